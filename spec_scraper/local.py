"""Scraping from local files: a JSON/JSONL dump or a saved card page (PATH targets of `tcgc scrape`)."""

from __future__ import annotations

import json
from pathlib import Path

from compiler.diagnostics import Diagnostic, SpecError, display_path
from compiler.spec import CardSetFile

from .crawl import detect, validate_card
from .fetch import decode_body
from .sources.base import ExtractError, soup_of
from .sources.jsonl import MAX_LINE_ERRORS, corpus_record_to_card, json_kind, read_jsonl

DUMP_SUFFIXES = (".jsonl", ".json")
PAGE_SUFFIXES = (".html", ".htm")


def read_local(path: str | Path, set_code: str | None) -> tuple[CardSetFile, list[str]]:
    """A card set (each card's `source` naming the file) and warnings, from a dump or a saved card page."""
    path = Path(path)
    shown = display_path(path)
    if not path.is_file():
        raise SpecError(Diagnostic(shown, "file not found" if not path.exists() else "not a file"))
    if path.suffix == ".jsonl":
        cs = read_jsonl(path, set_code)
        return _with_source(cs, shown), []
    if path.suffix == ".json":
        return _with_source(read_json_dump(path, set_code), shown), []
    if path.suffix in PAGE_SUFFIXES:
        return read_saved_page(path, set_code)
    raise SpecError(Diagnostic(shown, f"unknown input: expected a URL, a dump ({', '.join(DUMP_SUFFIXES)}) or a "
                                      f"saved page ({', '.join(PAGE_SUFFIXES)})"))


def _with_source(cs: CardSetFile, source: str) -> CardSetFile:
    return cs.model_copy(update={"cards": [c.model_copy(update={"source": c.source or source}) for c in cs.cards]})


def read_json_dump(path: Path, set_code: str | None) -> CardSetFile:
    """A JSON dump: a list of corpus-format records, or {"set": ..., "cards": [...]}."""
    shown = display_path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as e:
        raise SpecError(Diagnostic(shown, f"not UTF-8 text ({e.reason} at byte {e.start})")) from None
    except json.JSONDecodeError as e:
        raise SpecError(Diagnostic(shown, f"invalid JSON: {e.msg}", e.lineno, e.colno)) from None
    records = data.get("cards") if isinstance(data, dict) else data
    if not isinstance(records, list):
        raise SpecError(Diagnostic(shown, 'expected a list of cards or {"cards": [...]}'))
    cards, diags = [], []
    for i, rec in enumerate(records):
        try:
            if not isinstance(rec, dict) or not {"id", "name", "category"} <= rec.keys():
                raise ExtractError("each card needs id, name and category")
            cards.append(validate_card(corpus_record_to_card(rec)))
        except (ExtractError, KeyError) as e:
            diags.append(Diagnostic(shown, str(e), field=f"[{i}]"))
    if diags:
        hint = []
        if not cards:
            first = records[0]
            looks = (f"has the keys {', '.join(map(str, list(first)[:8]))}" if isinstance(first, dict)
                     else f"is a JSON {json_kind(first)}, not an object")
            hint = [Diagnostic(shown, f"not a card dump (a list of card records with id, name, category, ...): its "
                                      f"first record {looks}")]
        raise SpecError(hint + diags[:MAX_LINE_ERRORS], omitted=max(0, len(diags) - MAX_LINE_ERRORS))
    sets = {c["id"].rsplit("-", 1)[0] for c in cards}
    code = set_code or (data.get("set") if isinstance(data, dict) else None) or (
        sets.pop() if len(sets) == 1 else path.stem)
    return CardSetFile(set=code, cards=cards)


def read_saved_page(path: Path, set_code: str | None) -> tuple[CardSetFile, list[str]]:
    """A saved card page of a known site → a one-card set."""
    shown = display_path(path)
    text, warnings = decode_body(path.read_bytes(), None)
    site, kind = detect(text)
    if site is None:
        raise SpecError(Diagnostic(shown, "not a page of a known card site"))
    if kind != "card":
        raise SpecError(Diagnostic(shown, f"a saved {site.name} {kind} page holds no card data; scrape the site's "
                                          "URL instead, or save the card pages"))
    if not set_code:
        raise SpecError(Diagnostic(shown, "a saved card page does not say its set code: pass --set CODE"))
    try:
        extracted = site.parse_card(soup_of(text), shown, set_code)
        card = validate_card({**extracted.card, "source": shown})
    except ExtractError as e:
        raise SpecError(Diagnostic(shown, str(e))) from None
    return CardSetFile(set=set_code, cards=[card]), warnings + extracted.warnings
