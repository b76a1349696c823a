"""`tcgc fill`'s loop: for each distinct Unresolved text of a pool, ask the agent, check the answer, feed the reason
of a rejection back, and write each accepted fill to fills.yaml at once (atomically); every answer, accepted or
not, goes to the log (JSON Lines) with its outcome and reason.

The log and fills.yaml hold what the agent said and what tcgc decided, never a secret: every string is passed
through the provider's redaction (the API key) before it is written.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from .answer import AnswerError, Declined, decode
from .check import Options, Target, check_candidate
from .prompt import build_prompt, parsed_texts, prompt_hash, repair_message
from .providers import Provider, ProviderError, Request, Secrets
from .store import Fill, FillSet, Tokens, dump_fills, save_fills

LOG_EXCERPT = 2_000
"""Characters of each answer kept in the log."""


@dataclass
class TextResult:
    kind: str
    text: str
    outcome: str  # filled | rejected | declined | error
    attempts: int = 0
    reasons: list[str] = field(default_factory=list)
    rendering: str | None = None


@dataclass
class Summary:
    results: list[TextResult] = field(default_factory=list)
    attempts: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    tokens_known: bool = True
    seconds: float = 0.0
    still_unresolved: int = 0
    stopped: str | None = None
    """Why the run stopped early (a fatal provider error), if it did."""

    @property
    def filled(self) -> int:
        return sum(r.outcome == "filled" for r in self.results)

    @property
    def rejected(self) -> int:
        return sum(r.outcome != "filled" for r in self.results)

    def cost(self, price_in: float, price_out: float) -> float:
        """Cost in the currency of the prices, which are per million prompt / completion tokens."""
        return (self.prompt_tokens * price_in + self.completion_tokens * price_out) / 1e6


def targets(loaded, only: list[str] | None = None) -> list[Target]:
    """The distinct Unresolved texts of the pool that no fill covers yet (pool order), with the cards that print
    them and the first reason; `only`: just the texts that contain one of these strings."""
    from .. import ir
    from ..pool import card_irs, effects_of, unresolved_texts

    cards = list(loaded.cards.values())
    pending = unresolved_texts(cards)
    reasons: dict[tuple[str, str], str] = {}
    for card, cir in zip(cards, card_irs(cards)):
        if isinstance(cir, Exception):
            continue
        for kind, text, eff in effects_of(card, cir):
            if (kind, text) in pending and isinstance(eff, ir.Unresolved):
                reasons.setdefault((kind, text), eff.reason)
    out = []
    for (kind, text), cs in pending.items():
        if (kind, text) not in reasons:  # a fill covers it on every card
            continue
        if only and not any(o in text for o in only):
            continue
        out.append(Target(kind, text, cs, reasons[(kind, text)]))
    return out


class Log:
    """The attempts log, one JSON object per line, appended (every string redacted)."""

    def __init__(self, path: Path | None, secrets: Secrets):
        self.path = path
        self.secrets = secrets

    def write(self, **entry) -> None:
        if self.path is None:
            return
        entry = {"time": _now(), **entry}
        line = self.secrets.redact(json.dumps(entry, ensure_ascii=False))
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(line + "\n")


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def fill_pool(loaded, provider: Provider, fills: FillSet, fills_path: Path, attempts: int = 3,
              opts: Options | None = None, log: Log | None = None, only: list[str] | None = None,
              progress: Callable[[str, int, int], None] | None = None) -> Summary:
    """Ask `provider` for a fill of every Unresolved text of `loaded`'s pool; accepted fills are added to `fills`
    and saved to `fills_path` one by one. `progress(message, done, total)` is called as it goes."""
    opts = opts or Options()
    secrets = getattr(provider, "secrets", None) or Secrets()
    log = log or Log(None, secrets)
    say = progress or (lambda msg, done, total: None)
    _reloaded(loaded, fills)  # the texts `fills` covers are not asked for again
    todo = targets(loaded, only)
    parsed = parsed_texts(loaded.cards.values())
    summary = Summary()
    t0 = time.perf_counter()
    for n, target in enumerate(todo):
        short = target.text if len(target.text) <= 50 else target.text[:47] + "..."
        messages = build_prompt(target, loaded, parsed)
        phash = prompt_hash(messages)
        res = TextResult(target.kind, target.text, "rejected")
        tokens = Tokens()
        for attempt in range(1, attempts + 1):
            say(f"[{target.kind}] {short}: attempt {attempt}/{attempts}", n, len(todo))
            res.attempts = attempt
            summary.attempts += 1
            try:
                reply = provider.ask(Request(messages, target.kind, target.text, attempt))
            except ProviderError as e:
                reason = secrets.redact(str(e))
                res.reasons.append(f"attempt {attempt}: no answer: {reason}")
                log.write(kind=target.kind, text=target.text, attempt=attempt, provider=provider.label,
                          outcome="error", reason=reason)
                if e.fatal:
                    res.outcome = "error"
                    summary.stopped = reason
                    break
                if e.exhausted:
                    break
                continue
            summary.prompt_tokens += reply.prompt_tokens
            summary.completion_tokens += reply.completion_tokens
            if not (reply.prompt_tokens or reply.completion_tokens):
                summary.tokens_known = False
            tokens = Tokens(prompt=tokens.prompt + reply.prompt_tokens,
                            completion=tokens.completion + reply.completion_tokens)
            entry = dict(kind=target.kind, text=target.text, attempt=attempt, provider=provider.label,
                         model=reply.model or provider.model, answer=reply.content[:LOG_EXCERPT],
                         tokens={"prompt": reply.prompt_tokens, "completion": reply.completion_tokens})
            try:
                cand = decode(reply.content)
            except AnswerError as e:
                reason = secrets.redact(f"answer: {e}")
                res.reasons.append(f"attempt {attempt}: {reason}")
                log.write(**entry, outcome="rejected", reason=reason)
                messages = messages + [{"role": "assistant", "content": reply.content[:LOG_EXCERPT]},
                                       repair_message(reason)]
                continue
            if isinstance(cand, Declined):
                res.outcome = "declined"
                res.reasons.append(secrets.redact(f"attempt {attempt}: the agent says the IR can't express it: "
                                                  f"{cand.reason}"))
                log.write(**entry, outcome="declined", reason=cand.reason)
                break
            say(f"[{target.kind}] {short}: checking attempt {attempt}", n, len(todo))
            rep = check_candidate(cand, target, loaded, opts)
            if rep.ok and any(secrets.redact(x) != x for x in (dump_fills(FillSet([_fill(target, rep)])),)):
                rep.fail("names", "the fill contains a secret (the API key)")
            if not rep.ok:
                reason = secrets.redact(rep.reason)
                res.reasons.append(f"attempt {attempt}: {reason}")
                log.write(**entry, outcome="rejected", reason=reason, checks=rep.results)
                messages = messages + [{"role": "assistant", "content": reply.content[:LOG_EXCERPT]},
                                       repair_message(reason)]
                continue
            fill = Fill(kind=target.kind, text=target.text, ir=rep.node, rendering=rep.rendering,
                        provider=provider.label, model=reply.model or provider.model, time=_now(),
                        prompt_hash=phash, attempts=attempt, checks=rep.results,
                        tokens=tokens if (tokens.prompt or tokens.completion) else None, reviewed=False)
            fills.put(fill)
            save_fills(fills, fills_path)
            log.write(**entry, outcome="accepted", checks=rep.results)
            res.outcome = "filled"
            res.rendering = rep.rendering
            break
        summary.results.append(res)
        if summary.stopped:
            break
    say("done", len(todo), len(todo))
    summary.still_unresolved = len(targets(_reloaded(loaded, fills)))
    summary.seconds = time.perf_counter() - t0
    return summary


def _fill(target: Target, rep) -> Fill:
    return Fill(kind=target.kind, text=target.text, ir=rep.node, rendering=rep.rendering, checks=rep.results)


def _reloaded(loaded, fills: FillSet):
    """`loaded` with `fills` attached to its cards (what a build would see now)."""
    from ..pool import attach_fills

    attach_fills(loaded.cards.values(), fills)
    loaded.fills = fills
    return loaded
