"""Generate a Limitless-markup site (index, set pages, card pages) from corpus JSONL records.

Rendering deliberately varies the text the way real pages do (curly apostrophes, U+2212, `×`, energy spans with a
`data-tooltip` plus a `span.copy-only` twin, reminder text in `span.reminder-text`, line breaks inside sentences),
so that extraction must apply the corpus text conventions to get the corpus back.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from compiler.spec import ENERGY_SYMBOLS

SET_NAMES = {
    "A1": "Genetic Apex", "A1a": "Mythical Island", "A2": "Space-Time Smackdown", "A2a": "Triumphant Light",
    "A2b": "Shining Revelry", "A3": "Celestial Guardians", "A3a": "Extradimensional Crisis", "A3b": "Eevee Grove",
    "A4": "Wisdom of Sea and Sky", "A4a": "Secluded Springs", "A4b": "Deluxe Pack ex", "B1": "Mega Rising",
    "B1a": "Crimson Blaze", "P-A": "Promo-A", "X1": "Fixture Extras", "F1": "Fault Drills",
}
_LETTER = {v: k for k, v in ENERGY_SYMBOLS.items()}
_KIND = {"item": "Item", "supporter": "Supporter", "tool": "Pokémon Tool", "stadium": "Stadium"}
_STAGE = {"basic": "Basic", "stage1": "Stage 1", "stage2": "Stage 2"}

STADIUM_HTML = (Path(__file__).parent / "stadium_card.html").read_text(encoding="utf-8")
"""A hand-written stadium card page (the corpus has no stadiums), served as X1/1."""

STADIUM_CARD = {
    "id": "X1-001", "name": "Sunlit Meadow", "number": 1, "category": "trainer", "trainer_kind": "stadium",
    "is_fossil": False, "rarity": "◊◊",
    "text": "Each Basic [G] Pokémon in play (both yours and your opponent's) gets +10 HP. "
    "(You can't play a Stadium card that has the same name as the Stadium in play.)",
    "first_printed": "X1-001",
}
"""The card STADIUM_HTML must yield."""


def load_corpus_set(corpus: Path, code: str) -> list[dict]:
    """The corpus records of one set."""
    return [json.loads(line) for line in (corpus / f"{code}.jsonl").read_text(encoding="utf-8").splitlines() if line]


def render_text(text: str) -> str:
    """Corpus text → page HTML, undoing the corpus conventions the way real pages differ from them."""
    out = html.escape(text, quote=False)
    out = re.sub(r"\((?=[A-Z])([^()]*)\)", r'<span class="reminder-text">(\1)</span>', out)
    out = out.replace("'", "\u2019")
    out = re.sub(r"(?<![\w-])-(?=\d)", "\u2212", out)
    out = re.sub(r"\. (?=[A-Z])", ".\n    ", out)

    def energy(m: re.Match) -> str:
        name = ENERGY_SYMBOLS[m.group(1)]
        return (f'<span class="ptcg-symbol" data-tooltip="{name} Energy">{m.group(1)}</span>'
                f'<span class="copy-only">[{m.group(1)}]</span>')

    return re.sub(r"\[([A-Z])\]", energy, out)


def render_card(rec: dict, number: int, rarity: str | None) -> str:
    """One card page."""
    e = html.escape
    name = f'<span class="card-text-name"><a href="/cards?q=name:{e(rec["name"])}">{e(rec["name"])}</a></span>'
    sections = []
    if rec["category"] == "pokemon":
        kind = f"Pokémon - {_STAGE[rec['stage']]}"
        if rec["evolves_from"]:
            kind += f' - Evolves from <a href="/cards?q=name:x">{e(rec["evolves_from"])}</a>'
        sections.append(f'<p class="card-text-title">\n  {name} - {rec["type"]}\n  - {rec["hp"]} HP\n</p>\n'
                        f'<p class="card-text-type">{kind}</p>')
        body = []
        if rec["ability"]:
            body.append(f'<div class="card-text-ability"><p class="card-text-ability-info">Ability: '
                        f'{e(rec["ability"]["name"])}</p>\n<p class="card-text-ability-effect">'
                        f'{render_text(rec["ability"]["text"])}</p></div>')
        for a in rec["attacks"]:
            cost = "".join(_LETTER[c] for c in a["cost"])
            sym = f'<span class="ptcg-symbol">{cost or "0"}</span>'  # the site shows a free attack's cost as 0
            dmg = a["damage"].replace("x", "×")
            effect = f'\n<p class="card-text-attack-effect">{render_text(a["text"])}</p>' if a["text"] else ""
            body.append(f'<div class="card-text-attack"><p class="card-text-attack-info">{sym}\n  '
                        f'{e(a["name"])}\n  {dmg}\n</p>{effect}</div>')
        sections.append("\n".join(body))
        weak = rec["weakness"] or "none"
        sections.append(f'<p class="card-text-wrr">Weakness: {weak}<br>\nRetreat: {rec["retreat"]}</p>')
    else:
        sections.append(f'<p class="card-text-title">{name}</p>\n'
                        f'<p class="card-text-type">Trainer - {_KIND[rec["trainer_kind"]]}</p>')
        sections.append(render_text(rec["text"]))
    text = "\n".join(f'<div class="card-text-section">\n{s}\n</div>' for s in sections)
    versions = ""
    if rec["first_printed"] and rec["first_printed"] != rec["id"]:
        fset, fnum = rec["first_printed"].rsplit("-", 1)
        versions = (f'<table class="card-prints-versions"><tr><td><a href="/cards/{fset}/{int(fnum)}">'
                    f'{SET_NAMES.get(fset, fset)} #{int(fnum)}</a></td></tr>'
                    f'<tr><td><a href="/cards/{rec["set"]}/{number}">{SET_NAMES[rec["set"]]} #{number}</a>'
                    f'</td></tr></table>')
    current = f"#{number}" + (f" · {e(rarity)}" if rarity else "")
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{e(rec["name"])}</title></head><body>'
            f'<nav><a href="/cards">Cards</a></nav><div class="card-page-main"><div class="card-text">{text}'
            f'<div class="card-text-section card-text-artist">Illustrated by <a href="/x">Someone</a></div></div>'
            f'<div class="card-prints"><div class="card-prints-current"><span class="text-lg">'
            f'{e(SET_NAMES[rec["set"]])}</span>\n<span>{current}</span></div>{versions}</div></div></body></html>')


def render_set(code: str, numbers: list[int]) -> str:
    """A set page linking to each card page."""
    links = "\n".join(f'<a href="/cards/{code}/{n}"><img src="/img/{code}_{n}.webp" alt=""></a>' for n in numbers)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{SET_NAMES[code]}</title></head><body>'
            f'<h1>{SET_NAMES[code]}</h1><div class="card-search-grid">\n{links}\n</div></body></html>')


def render_index(codes: list[str]) -> str:
    """The card index with the sets table."""
    rows = "\n".join(
        f'<tr><td><a href="/cards/{c}"><img src="/img/{c}.png" alt=""> {SET_NAMES[c]} '
        f'<span class="code annotation">{c}</span></a></td><td>2024</td></tr>' for c in codes)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Cards</title></head><body>'
            f'<table class="sets-table"><tr><th>Set</th><th>Release</th></tr>\n{rows}\n</table></body></html>')


def build_site(corpus: Path, codes: list[str]) -> tuple[dict[str, bytes], dict[str, list[dict]]]:
    """Pages by path for the corpus sets `codes` (duplicate printings included), the stadium set X1 and the small
    set F1 that fault tests use.

    Returns the pages and, per set, the corpus records the scrape must reproduce.
    """
    pages: dict[str, str] = {"/cards": render_index(codes + ["X1", "F1"])}
    expected: dict[str, list[dict]] = {}
    for code in codes:
        recs = load_corpus_set(corpus, code)
        expected[code] = recs
        numbers = []
        for rec in recs:
            pages[f"/cards/{code}/{rec['number']}"] = render_card(rec, rec["number"], rec["rarity"])
            numbers.append(rec["number"])
            for dup in rec["duplicate_numbers"]:
                pages[f"/cards/{code}/{dup}"] = render_card(rec, dup, "☆")
                numbers.append(dup)
        pages[f"/cards/{code}"] = render_set(code, sorted(numbers))
    pages["/cards/X1/1"] = STADIUM_HTML
    pages["/cards/X1"] = render_set("X1", [1])
    small = small_set(corpus)
    expected["F1"] = small
    for rec in small:
        pages[f"/cards/F1/{rec['number']}"] = render_card(rec, rec["number"], rec["rarity"])
    pages["/cards/F1"] = render_set("F1", [r["number"] for r in small])
    return {k: v.encode("utf-8") for k, v in pages.items()}, expected


SMALL_SET_IDS = ["A1-005", "A1-007", "A1-026", "A1-216", "A2-147", "A1-219", "A1a-003", "A1-004"]
"""F1: a damage-less attack (Caterpie), an ability (Butterfree), a fossil, a tool, a supporter, an 'x' attack."""


def small_set(corpus: Path) -> list[dict]:
    """Corpus cards renumbered as set F1 (1, 2, ...), for fault tests."""
    by_id = {}
    for code in {i.rsplit("-", 1)[0] for i in SMALL_SET_IDS}:
        by_id.update({r["id"]: r for r in load_corpus_set(corpus, code)})
    out = []
    for n, card_id in enumerate(SMALL_SET_IDS, 1):
        rec = dict(by_id[card_id], set="F1", number=n, id=f"F1-{n:03d}", duplicate_numbers=[])
        rec["first_printed"] = rec["id"]
        out.append(rec)
    return out
