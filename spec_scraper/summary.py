"""The end-of-scrape summary: cards written, cards failed (URL + reason), and effect texts not yet parsed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from compiler.diagnostics import plural
from compiler.spec import CardSetFile, PokemonCard

from .result import ScrapeResult


POKEMON_POWER = "pokemon_power"
"""The kind of a paper-TCG Pokémon Power's text (compiler.parse.POKEMON_POWER, spelled out so that the summary works
without the grammar): never parsed, always listed as not parsed."""


def effect_texts(card_sets: Iterable[CardSetFile]) -> dict[tuple[str, str], list[str]]:
    """Distinct (kind, text) effect texts → ids of the cards printing them; kind is attack, ability, trainer or
    pokemon_power."""
    out: dict[tuple[str, str], list[str]] = {}
    for cs in card_sets:
        for card in cs.cards:
            texts = []
            if isinstance(card, PokemonCard):
                texts += [("attack", a.text) for a in card.attacks if a.text]
                if card.ability:
                    texts.append(("ability", card.ability.text))
                if card.pokemon_power:
                    texts.append((POKEMON_POWER, card.pokemon_power.text))
            else:
                texts.append(("trainer", card.text))
            for key in texts:
                out.setdefault(key, []).append(card.id)
    return out


def missing_evolutions(card_sets: Iterable[CardSetFile]) -> list[str]:
    """Names that scraped cards evolve from but no scraped card has, sorted."""
    cards = [c for cs in card_sets for c in cs.cards]
    names = {c.name for c in cards}
    return sorted({c.evolves_from for c in cards if isinstance(c, PokemonCard) and c.evolves_from} - names)


def _walk_unresolved(node: Any) -> bool:
    if type(node).__name__ == "Unresolved" or getattr(node, "op", None) == "unresolved":
        return True
    if isinstance(node, (list, tuple)):
        return any(_walk_unresolved(n) for n in node)
    if isinstance(node, dict):
        return any(_walk_unresolved(n) for n in node.values())
    fields = getattr(type(node), "model_fields", None)
    return bool(fields) and any(_walk_unresolved(getattr(node, f)) for f in fields)


def unparsed_effects(card_sets: Iterable[CardSetFile]) -> tuple[str | None, list[tuple[str, str, list[str]]]]:
    """(None, texts the grammar leaves Unresolved), or ("grammar not available", []) when there is no parser yet.

    The grammar is imported here, lazily, so the scraper works before (and without) it.
    """
    try:
        from compiler.parse import parse_effect
    except ImportError:
        return "grammar not available", []
    except Exception as e:  # present but broken: the scrape itself does not need it
        return f"grammar not available: {type(e).__name__}: {e}", []
    try:
        from compiler.ir import has_unresolved
    except ImportError:
        has_unresolved = _walk_unresolved
    out = []
    for (kind, text), ids in effect_texts(card_sets).items():
        if kind == POKEMON_POWER:
            out.append((kind, text, ids))
            continue
        try:
            unresolved = has_unresolved(parse_effect(text, kind))
        except Exception:  # a grammar bug must not cost the user the scrape summary
            unresolved = True
        if unresolved:
            out.append((kind, text, ids))
    return None, out


def format_summary(result: ScrapeResult, card_sets: list[CardSetFile], show: int = 20) -> str:
    """The text printed at the end of `tcgc scrape`."""
    lines = []
    for code, path in result.written.items():
        name = f" ({result.set_names[code]})" if result.set_names.get(code) else ""
        lines.append(f"wrote {path}: set {code}{name}, {plural(result.cards[code], 'card')}")
    if result.spec_path:
        lines.append(f"wrote {result.spec_path}")
    lines.append(f"cards written: {result.total_cards}" + (f" ({result.resumed} from the earlier run)"
                                                           if result.resumed else ""))
    if result.collapsed:
        lines.append(f"printings folded into an earlier number (same card, other rarity or art): "
                     f"{len(result.collapsed)}")
    lines.append(f"pages fetched: {result.requests}, from cache: {result.cache_hits}")
    lines.append(f"cards failed: {len(result.failed)}")
    lines += [f"  {f.url}: {f.reason}" for f in result.failed]
    if result.warnings:
        lines.append(f"warnings: {len(result.warnings)}")
        lines += [f"  {w.url}: {w.reason}" for w in result.warnings[:show]]
    if result.rules_found or result.rules_missing:
        lines.append(f"rules found on the rules page: {len(result.rules_found)}")
        lines += [f"  {r.field} = {r.value}  <- \"{r.sentence}\"" for r in result.rules_found]
        if result.rules_missing:
            lines.append(f"rules not found (preset value kept): {', '.join(result.rules_missing)}")
    dangling = missing_evolutions(card_sets)
    if dangling:
        lines.append(f"evolves from cards in no scraped set: {', '.join(dangling)} (scrape their sets too, or "
                     "`tcgc validate` will report them)")
    note, unparsed = unparsed_effects(card_sets)
    if note:
        lines.append(f"effect texts not yet parsed: unknown ({note})")
    else:
        lines.append(f"effect texts not yet parsed: {len(unparsed)}")
        for kind, text, ids in unparsed[:show]:
            lines.append(f"  [{kind}] {text}  ({', '.join(ids[:3])}{', ...' if len(ids) > 3 else ''})")
        if len(unparsed) > show:
            lines.append(f"  ... and {len(unparsed) - show} more")
    return "\n".join(lines)
