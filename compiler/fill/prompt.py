"""The prompt for one Unresolved text, built from one template (prompt_template.md): the text and why it is
unresolved, the card, the answer protocol, a compact description of the effect language (every IR node with its
documentation), the most similar texts of the pool that parse (with their IR), and the IR's JSON Schema (compacted:
titles and descriptions left out, each union defined once).

Values are put into the template in one pass (`{{name}}` placeholders; a value is never read as a placeholder);
the prompt is a plain string, and nothing an agent says ever goes through a template.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import re
import typing
from difflib import SequenceMatcher
from functools import lru_cache
from importlib import resources

from .. import ir
from ..spec import PokemonCard
from .store import TOP_OPS, ir_data

UNIONS = ("Filter", "Target", "Count", "Amount", "Condition", "Modifier", "Step", "AnyTop")
EXAMPLES = 6
"""How many similar parsed texts the prompt shows."""
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


def template() -> str:
    return resources.files("compiler.fill").joinpath("prompt_template.md").read_text(encoding="utf-8")


def fill_template(tpl: str, values: dict[str, str]) -> str:
    """`tpl` with each {{name}} replaced by values[name], in one pass (KeyError for a missing value)."""
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], tpl)


def _members(name: str) -> list[type]:
    u = getattr(ir, name)
    union = typing.get_args(u)[0] if typing.get_origin(u) is typing.Annotated else u
    return [t for t in typing.get_args(union) if isinstance(t, type)]


@lru_cache(maxsize=1)
def compact_schema() -> str:
    """The IR's JSON Schema (ir.TOP_ADAPTER), without titles and descriptions, each discriminated union defined once
    under its IR name ($defs/Step, $defs/Condition, ...)."""
    schema = ir.TOP_ADAPTER.json_schema()
    names = {frozenset(f"#/$defs/{m.__name__}" for m in _members(n)): n for n in UNIONS}
    hoisted: dict[str, dict] = {}

    def walk(x, root=False):
        if isinstance(x, dict):
            if "oneOf" in x and "discriminator" in x and not root:
                refs = frozenset(o.get("$ref") for o in x["oneOf"])
                name = names.get(refs)
                if name is not None:
                    hoisted[name] = {"oneOf": [{"$ref": r} for r in sorted(refs)],
                                     "discriminator": {"propertyName": "op"}}
                    return {"$ref": f"#/$defs/{name}"}
            return {k: walk(v) for k, v in x.items() if k not in ("title", "description")}
        if isinstance(x, list):
            return [walk(v) for v in x]
        return x

    out = walk(schema, root=True)
    out.setdefault("$defs", {}).update(hoisted)
    return json.dumps(out, separators=(",", ":"), sort_keys=True)


@lru_cache(maxsize=1)
def language() -> str:
    """Every IR node, grouped (filters, targets, counts, amounts, conditions, modifiers, steps, top level), with
    its fields and its documentation, one paragraph each."""
    lines = ["The IR is a tree of nodes, each an object with an \"op\" naming its kind. A target selects Pokémon in "
             "play; `that` refers back to the Pokémon most recently selected in the same effect. Amounts are HP of "
             "damage (multiples of 10), cards or Energy. Steps run in order."]
    seen: set[type] = set()
    for g in UNIONS:
        lines.append(f"\n{g if g != 'AnyTop' else 'Top level'}:")
        for m in _members(g):
            if m in seen:
                continue
            seen.add(m)
            lines.append(_node_line(m))
    lines.append("\nSupporting objects (no op):")
    for m in (ir.CardFilter, ir.Among, ir.EnergySel, ir.Trigger):
        lines.append(_node_line(m))
    return "\n".join(lines)


def _node_line(m: type) -> str:
    op = m.model_fields["op"].default if "op" in m.model_fields else None
    fields = ", ".join(n for n in m.model_fields if n != "op")
    doc = " ".join(inspect.cleandoc(m.__doc__ or "").split())
    return f"- {op or m.__name__} ({fields or 'no fields'}): {doc}"


def card_description(card) -> str:
    """The card as the prompt shows it: name, kind, stage, HP, type, weakness, retreat, attacks and Ability."""
    if not isinstance(card, PokemonCard):
        kind = "fossil Item" if card.is_fossil else card.trainer_kind.capitalize()
        return f"{card.name} ({card.id}): a Trainer card, {kind}.\nText: {card.text}"
    stage = {"basic": "Basic", "stage1": "Stage 1", "stage2": "Stage 2"}[card.stage]
    head = f"{card.name} ({card.id}): {stage} Pokémon{' ex' if card.is_ex else ''}"
    if card.evolves_from:
        head += f", evolves from {card.evolves_from}"
    out = [head + f"; {card.hp} HP, {card.type} type, weakness {card.weakness or 'none'}, retreat {card.retreat}."]
    if card.tags:
        out.append("Tags: " + ", ".join(card.tags))
    if card.ability:
        out.append(f"Ability {card.ability.name}: {card.ability.text}")
    for a in card.attacks:
        cost = "".join(f"[{_sym(t)}]" for t in a.cost) or "no Energy"
        out.append(f"Attack {a.name}, cost {cost}, damage {a.damage or 'none printed'}"
                   + (f": {a.text}" if a.text else ""))
    return "\n".join(out)


def _sym(t: str) -> str:
    from ..spec.base import ENERGY_SYMBOLS

    return {v: k for k, v in ENERGY_SYMBOLS.items()}.get(t, "C")


def parsed_texts(cards) -> list[tuple[str, str, ir.Node]]:
    """(kind, text, IR) of every distinct effect text of the pool that parses."""
    from ..parse import parse_effect
    from ..pool import effects_of
    from .usage import _blank

    out, seen = [], set()
    for c in cards:
        for kind, text, _ in effects_of(c, _blank(c)):
            if not text or (kind, text) in seen:
                continue
            seen.add((kind, text))
            node = parse_effect(text, kind)
            if not isinstance(node, ir.Unresolved):
                out.append((kind, text, node))
    return out


def similar(kind: str, text: str, parsed: list[tuple[str, str, ir.Node]], k: int = EXAMPLES) -> list:
    """The `k` parsed texts most like `text` (overlap of words, a final s dropped; then character similarity), same
    kind first."""
    def stems(t: str) -> set[str]:
        return {w.rstrip("s") for w in re.findall(r"\w+", t.lower())}

    words = stems(text)

    def score(item) -> tuple:
        other = stems(item[1])
        jac = len(words & other) / max(1, len(words | other))
        return (item[0] == kind, round(jac, 3), SequenceMatcher(None, text, item[1]).ratio())

    return sorted(parsed, key=score, reverse=True)[:k]


def examples_block(examples) -> str:
    return "\n\n".join(f"[{kind}] {text}\n{json.dumps(ir_data(node), ensure_ascii=False, separators=(',', ':'))}"
                       for kind, text, node in examples) or "(none)"


def build_prompt(target, loaded, parsed=None) -> list[dict[str, str]]:
    """The chat that asks for a fill of `target` (a check.Target) in the pool of `loaded`: one system message (the
    template) and one user message (the request)."""
    parsed = parsed if parsed is not None else parsed_texts(loaded.cards.values())
    values = {"kind": target.kind, "text": target.text, "reason": target.reason or "(not given)",
              "card": "\n\n".join(card_description(c) for c in target.cards[:2]),
              "ops": " or ".join(f'"{o}"' for o in TOP_OPS[target.kind]),
              "language": language(), "examples": examples_block(similar(target.kind, target.text, parsed)),
              "schema": compact_schema()}
    return [{"role": "system", "content": fill_template(template(), values)},
            {"role": "user", "content": f"Write the {target.kind} text {json.dumps(target.text, ensure_ascii=False)} "
                                        "as one JSON object."}]


def repair_message(reason: str) -> dict[str, str]:
    """The message that sends a rejected answer back with the reason."""
    return {"role": "user", "content": f"Your answer was rejected: {reason}\nAnswer again with one JSON object."}


def prompt_hash(messages: list[dict[str, str]]) -> str:
    h = hashlib.sha256()
    for m in messages:
        h.update(m["role"].encode() + b"\0" + m["content"].encode("utf-8") + b"\0")
    return "sha256:" + h.hexdigest()
