"""Page text → corpus text conventions (see ../shared/data/pocket/README.md).

Energy symbols (`span[data-tooltip]`, or an `<img alt>` naming a type) become `[G] [R] ...`, whitespace is collapsed, U+2212 becomes `-`, curly apostrophes and quotes are
straightened, `×` after a number becomes `x`. `span.copy-only` is skipped; reminder text is kept as printed.
"""

from __future__ import annotations

import re

from bs4 import NavigableString, Tag
from bs4.element import Comment

from compiler.spec import ENERGY_SYMBOLS

TYPE_LETTER: dict[str, str] = {v: k for k, v in ENERGY_SYMBOLS.items()}
"""Energy type name → its bracket letter (Grass → G)."""

TYPE_ALIASES: dict[str, str] = {
    "grass": "Grass", "fire": "Fire", "water": "Water", "lightning": "Lightning", "electric": "Lightning",
    "psychic": "Psychic", "fighting": "Fighting", "darkness": "Darkness", "dark": "Darkness", "metal": "Metal",
    "steel": "Metal", "colorless": "Colorless", "normal": "Colorless", "dragon": "Dragon",
}
"""Type names and the synonyms sites use, lower-case → the spec's EnergyType."""

_TRANSLATE = str.maketrans({
    "\u2212": "-", "\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " ", "\u2009": " ",
    "\u200b": "",
})


class UnknownSymbol(ValueError):
    """An energy symbol or type name the scraper does not know."""


def energy_type(name: str) -> str:
    """A site's type name ("Grass Energy", "electric", "G") → the spec's EnergyType; UnknownSymbol otherwise."""
    key = re.sub(r"\s*energy$", "", name.strip(), flags=re.I).lower()
    if key in TYPE_ALIASES:
        return TYPE_ALIASES[key]
    if len(key) == 1 and key.upper() in ENERGY_SYMBOLS:
        return ENERGY_SYMBOLS[key.upper()]
    raise UnknownSymbol(f"unknown energy symbol {name.strip()!r}")


def normalize(text: str) -> str:
    """Apply the corpus text conventions to already-extracted text."""
    text = text.translate(_TRANSLATE)
    text = re.sub(r"(\d)\s*\u00d7", r"\1x", text)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([.,;:!?)])", r"\1", text)
    return re.sub(r"([(])\s+", r"\1", text)


def element_text(el: Tag | NavigableString | None) -> str:
    """The visible text of an element in corpus conventions: energy spans as [X], copy-only spans skipped.

    Raises UnknownSymbol for an energy span whose type is not known (never silently dropped).
    """
    if el is None:
        return ""
    return normalize("".join(_walk(el)))


def _walk(el: Tag | NavigableString):
    if isinstance(el, Comment):
        return
    if isinstance(el, NavigableString):
        yield str(el)
        return
    if el.name in ("script", "style"):
        return
    classes = el.get("class") or []
    if "copy-only" in classes:
        return
    if el.name == "br":
        yield " "
        return
    if el.name == "img":
        kind = TYPE_ALIASES.get(re.sub(r"\s*energy$", "", (el.get("alt") or "").strip(), flags=re.I).lower())
        if kind in TYPE_LETTER:
            yield f"[{TYPE_LETTER[kind]}]"
        return
    tooltip = el.get("data-tooltip")
    if el.name == "span" and tooltip is not None:
        kind = energy_type(tooltip)
        if kind not in TYPE_LETTER:
            raise UnknownSymbol(f"{tooltip.strip()!r} is not an Energy symbol")
        yield f"[{TYPE_LETTER[kind]}]"
        return
    for child in el.children:
        yield from _walk(child)
