"""An agent's answer, decoded as data: size-limited, JSON only, scanned for anything that looks like code.

The answer protocol (the prompt states it): one JSON object, optionally in a ```json fence, with exactly one of
  {"ir": <IR JSON>}                      the effect as IR (compiler/ir.py)
  {"text": "<canonical effect text>"}    the effect in the English the grammar reads
  {"cannot": "<why>"}                    the IR can't express the text exactly (nothing is filled)
Nothing in an answer is ever evaluated, executed, imported or rendered through a template: it is parsed with
`json.loads`, validated by pydantic, and parsed by the Lark grammar. The code scan is a second line of defence that
also makes such answers visible in the log.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

MAX_ANSWER_CHARS = 64_000
"""The longest answer read (an effect's IR is a few kilobytes)."""
MAX_DEPTH = 40
"""The deepest nesting of JSON accepted (the deepest IR of the corpus is about 15)."""
CODE = re.compile(r"__\w+__|\b(?:eval|exec|compile|getattr|open|system|popen)\s*\(|\bimport\s+[\w.]+|"
                  r"\bsubprocess\b|\bos\.\w+|\{\{|\{%|<script\b|\blambda\b", re.IGNORECASE)
"""What looks like code (Python, templates, script) in a string of an answer."""
_FENCE = re.compile(r"```(?:json|JSON)?\s*\n(.*?)\n?```", re.DOTALL)


class AnswerError(ValueError):
    """An answer that is not a well-formed fill: the reason is fed back to the agent."""


@dataclass(frozen=True)
class Candidate:
    """A decoded answer: IR data (`ir`, a JSON object, unvalidated) or canonical text (`text`)."""

    ir: dict | None = None
    text: str | None = None


@dataclass(frozen=True)
class Declined:
    """The agent says the IR can't express the text."""

    reason: str


def decode(answer: str) -> Candidate | Declined:
    """The Candidate (or Declined) in an answer; AnswerError says what is wrong with it."""
    if len(answer) > MAX_ANSWER_CHARS:
        raise AnswerError(f"the answer is {len(answer):,} characters long, more than the limit of "
                          f"{MAX_ANSWER_CHARS:,}")
    body = answer.strip()
    fenced = _FENCE.search(body)
    if fenced:
        body = fenced.group(1).strip()
    if not body:
        raise AnswerError("the answer is empty")
    try:
        data = json.loads(body)
    except json.JSONDecodeError as e:
        raise AnswerError(f"malformed JSON: {e.msg} (line {e.lineno}, column {e.colno}); answer with one JSON "
                          "object") from None
    except RecursionError:
        raise AnswerError(f"the JSON nests deeper than {MAX_DEPTH} levels") from None
    if not isinstance(data, dict):
        raise AnswerError(f"the answer is a JSON {type(data).__name__}, not an object with 'ir', 'text' or "
                          "'cannot'")
    depth = _depth(data)
    if depth > MAX_DEPTH:
        raise AnswerError(f"the JSON nests {depth} levels deep, more than the limit of {MAX_DEPTH}")
    for s in _strings(data):
        m = CODE.search(s)
        if m:
            raise AnswerError(f"a string of the answer looks like code ({m.group(0)!r}): an answer is data (IR or "
                              "effect text) and is never run")
    keys = set(data) & {"ir", "text", "cannot"}
    extra = sorted(set(data) - {"ir", "text", "cannot"})
    if extra:
        raise AnswerError(f"unknown key {extra[0]!r}: the object has exactly one of 'ir', 'text', 'cannot'")
    if len(keys) != 1:
        raise AnswerError("the object must have exactly one of 'ir', 'text', 'cannot'")
    (key,) = keys
    value = data[key]
    if key == "cannot":
        if not isinstance(value, str) or not value.strip():
            raise AnswerError("'cannot' must be a string that says why")
        return Declined(value.strip())
    if key == "text":
        if not isinstance(value, str) or not value.strip():
            raise AnswerError("'text' must be a non-empty string of canonical effect text")
        return Candidate(text=value.strip())
    if not isinstance(value, dict):
        raise AnswerError(f"'ir' must be a JSON object (an IR node with its 'op'), not a {type(value).__name__}")
    return Candidate(ir=value)


def _strings(x: Any):
    """Every string in a JSON value, keys included."""
    stack = [x]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            yield v
        elif isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)


def _depth(x: Any) -> int:
    best = 0
    stack = [(x, 1)]
    while stack:
        v, d = stack.pop()
        best = max(best, d)
        if isinstance(v, dict):
            stack.extend((w, d + 1) for w in v.values())
        elif isinstance(v, list):
            stack.extend((w, d + 1) for w in v)
    return best
