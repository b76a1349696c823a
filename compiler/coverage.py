"""Parse coverage of effect texts: how many distinct (kind, text) pairs the grammar turns into IR with no
Unresolved node, per set and per kind, how many of the others a spec's fills.yaml fills, and which texts remain
unresolved, grouped by reason.

Inputs are specs (spec.yaml), card-set YAML files and corpus JSONL files (cards, or `effect_texts.jsonl`-style
lines with `kind` and `text`). The CLI (`tcgc coverage`) is a thin layer over `collect` and `report`.
"""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from . import ir
from .diagnostics import Diagnostic, SpecError, display_path
from .parse import KINDS, POKEMON_POWER, parse_card, parse_effect
from .spec import PokemonCard, TrainerCard, load_card_set, load_spec
from .yaml_io import load_yaml


@dataclass
class Source:
    """The effect texts of one set: (kind, text) -> ids of the cards printing it, and the cards themselves."""

    name: str
    texts: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    cards: list[PokemonCard | TrainerCard] = field(default_factory=list)
    note: str | None = None
    fills: object = None
    """The spec's fills (compiler.fill.store.FillSet) when the set was read through a spec that has them."""


def card_texts(card: PokemonCard | TrainerCard) -> list[tuple[str, str]]:
    """The (kind, text) pairs printed on a card."""
    if isinstance(card, TrainerCard):
        return [("trainer", card.text)]
    out = [("attack", a.text) for a in card.attacks if a.text]
    if card.ability:
        out.append(("ability", card.ability.text))
    if card.pokemon_power:
        out.append((POKEMON_POWER, card.pokemon_power.text))
    return out


def _from_cards(name: str, cards) -> Source:
    src = Source(name, cards=list(cards))
    for c in src.cards:
        for pair in card_texts(c):
            src.texts.setdefault(pair, []).append(c.id)
    return src


def _from_jsonl(path: Path) -> list[Source]:
    from spec_scraper.sources.jsonl import read_jsonl

    shown = display_path(path)
    try:
        first = next((ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()), "")
        rec = json.loads(first) if first else {}
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise SpecError(Diagnostic(shown, f"cannot read as JSON Lines: {e}")) from None
    if isinstance(rec, dict) and "kind" in rec and "text" in rec and "category" not in rec:
        src = Source(path.stem)
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                r = json.loads(line)
                kind, text = r["kind"], r["text"]
            except (json.JSONDecodeError, KeyError, TypeError) as e:
                raise SpecError(Diagnostic(shown, f"bad effect-text line: {e}", n, 1)) from None
            if kind not in KINDS or not isinstance(text, str):
                raise SpecError(Diagnostic(shown, f"kind must be one of {', '.join(KINDS)}", n, 1, "kind"))
            src.texts.setdefault((kind, text), []).extend(r.get("cards", []))
        return [src]
    if isinstance(rec, dict) and "chosen" in rec and "category" not in rec:
        return [Source(path.stem, note="wording variants, not cards: skipped")]
    card_set = read_jsonl(path)
    return [_from_cards(card_set.set, card_set.cards)]


def collect(paths: list[str | Path]) -> list[Source]:
    """Read every input; a SpecError names the file (and line) of any bad input."""
    sources: list[Source] = []
    for p in paths:
        path = Path(p)
        if not path.is_file():
            raise SpecError(Diagnostic(display_path(path), "file not found"))
        if path.suffix == ".jsonl":
            sources.extend(_from_jsonl(path))
            continue
        if path.suffix not in (".yaml", ".yml"):
            raise SpecError(Diagnostic(display_path(path), "expected a .yaml/.yml spec or card set, or a .jsonl corpus"))
        data = load_yaml(path, positions=False)
        if isinstance(data, dict) and "cards" in data and "set" in data:
            card_set, _ = load_card_set(path)
            sources.append(_from_cards(card_set.set, card_set.cards))
        else:
            loaded = load_spec(path)
            for s in loaded.sets:
                src = _from_cards(s.set, [loaded.cards.get(c.id, c) for c in s.cards])
                src.fills = loaded.fills
                sources.append(src)
    return sources


def renders_as_printed(kind: str, text: str, node: ir.Node, base_damage: int = 0) -> bool:
    """Whether the canonical English of a parsed text is the printed text, after normalisation (the spelling the
    grammar reads: case of keywords, list separators, apostrophes, dropped reminder text)."""
    from .parse.normalise import normalise
    from .render import RenderError, render

    if kind == POKEMON_POWER or ir.has_unresolved(node):
        return False
    try:
        return normalise(render(node, kind, base_damage)) == normalise(text)
    except RenderError:
        return False


def reason_group(reason: str) -> str:
    """Syntax errors grouped by kind; other reasons as they are."""
    if reason.startswith("no grammar rule reads"):
        return "not in the grammar: an unexpected word"
    if reason.startswith("the text ends"):
        return "not in the grammar: the text ends early"
    if reason.startswith("the word"):
        return "not in the grammar: a word the grammar does not know"
    return reason


def _counts(results: dict[tuple[str, str], ir.Node], pairs, filled: set) -> dict:
    by_kind = {k: {"total": 0, "parsed": 0, "filled": 0, "unresolved": 0} for k in KINDS}
    for pair in pairs:
        ok = not ir.has_unresolved(results[pair])
        d = by_kind["ability" if pair[0] == POKEMON_POWER else pair[0]]
        d["total"] += 1
        d["parsed" if ok else "filled" if pair in filled else "unresolved"] += 1
    total = sum(d["total"] for d in by_kind.values())
    parsed = sum(d["parsed"] for d in by_kind.values())
    n_filled = sum(d["filled"] for d in by_kind.values())
    return {"total": total, "parsed": parsed, "filled": n_filled, "unresolved": total - parsed - n_filled,
            "by_kind": by_kind}


def report(sources: list[Source]) -> dict:
    """Coverage figures (the `--json` object of `tcgc coverage`)."""
    owners: dict[tuple[str, str], list[str]] = defaultdict(list)
    for s in sources:
        for pair, ids in s.texts.items():
            owners[pair].extend(i for i in ids if i not in owners[pair])
    start = time.perf_counter()
    results = {pair: parse_effect(pair[1], pair[0]) for pair in owners}
    seconds = time.perf_counter() - start
    filled = {pair for s in sources if s.fills is not None for pair in s.texts
              if ir.has_unresolved(results[pair]) and s.fills.get(*pair) is not None}
    overall = _counts(results, owners, filled)
    sets = {}
    cards_total = cards_covered = 0
    for s in sources:
        if s.note:
            sets[s.name] = {"note": s.note}
            continue
        entry = _counts(results, s.texts, filled)
        covered = sum(1 for c in s.cards if not ir.has_unresolved(_card_ir(c, s.fills)))
        entry.update(cards=len(s.cards), cards_covered=covered)
        cards_total += len(s.cards)
        cards_covered += covered
        sets[s.name] = entry
    unresolved = []
    for pair, node in results.items():
        if pair in filled:
            continue
        for u in ir.unresolved_nodes(node)[:1]:
            unresolved.append({"kind": pair[0], "text": pair[1], "reason": u.reason, "cards": owners[pair]})
    groups = Counter(reason_group(u["reason"]) for u in unresolved)
    base = {("attack", a.text): a.base_damage for s in sources for c in s.cards if isinstance(c, PokemonCard)
            for a in c.attacks if a.text}  # the printed damage beside an attack text (for "also")
    differ = [{"kind": k, "text": t} for (k, t), node in results.items()
              if not ir.has_unresolved(node) and not renders_as_printed(k, t, node, base.get((k, t), 0))]
    return {
        **overall,
        "renders_as_printed": overall["parsed"] - len(differ),
        "renders_differently": differ,
        "cards": cards_total,
        "cards_covered": cards_covered,
        "parse_seconds": round(seconds, 3),
        "sets": sets,
        "unresolved_texts": unresolved,
        "filled_texts": [{"kind": k, "text": t, "cards": owners[(k, t)]} for k, t in sorted(filled)],
        "stale_fills": _stale(sources),
        "by_reason": [{"reason": r, "count": n} for r, n in groups.most_common()],
    }


def _card_ir(card, fills) -> ir.CardIR:
    """A card's IR with the fills of its spec applied (compiler.pool), or as parsed."""
    if fills is None:
        return parse_card(card)
    from .pool import card_ir

    return card_ir(card, None, fills)


def _stale(sources: list[Source]) -> list[dict]:
    """The stale fills of each spec read (compiler.fill.usage), as {kind, text, why, where}."""
    from .fill.usage import usage

    out, seen = [], set()
    for fills in {id(s.fills): s.fills for s in sources if s.fills is not None}.values():
        cards = [c for s in sources if s.fills is fills for c in s.cards]
        for st in usage(cards, fills).stale:
            if (st.kind, st.text) not in seen:
                seen.add((st.kind, st.text))
                out.append(st.__dict__)
    return out
