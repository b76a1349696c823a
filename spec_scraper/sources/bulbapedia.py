"""Source: Bulbapedia (paper Pokémon TCG) card pages, set lists and the expansions list.

The markup is nested `table.roundy` layout with inline styles and almost no semantic classes: labels are found by
their text (`Hit Points`, `weakness`, `English card no.`), Energy symbols are `<img alt="Psychic">`, and names carry
their Japanese name in a `<small>` that is left out. Only Pokémon card pages are read; Trainer and Energy card
pages are reported as not supported.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from bs4 import BeautifulSoup, Tag

from ..text import UnknownSymbol, element_text, energy_type
from .base import CardRef, Extracted, ExtractError, SetRef

_STAGES = {"basic": "basic", "stage 1": "stage1", "stage 2": "stage2"}
_NUMBER = re.compile(r"^\s*(\d+)\s*/\s*\d+\s*$")
_POWER_LABEL = re.compile(r"^(Pokémon Power|Poké-POWER|Poké-BODY|Ability)\s*:?", re.I)
"""Labels of a card's non-attack power: Pokémon Power (1999-2003), Poké-Power/Body (2003-2011), Ability (2011-)."""


class Bulbapedia:
    """bulbapedia.bulbagarden.net, paper TCG pages."""

    name = "bulbapedia"

    def detect(self, soup: BeautifulSoup) -> str | None:
        content = soup.select_one("#mw-content-text")
        if content is None:
            return None
        for table in content.select("table.sortable"):
            header = table.find("tr")
            if header is not None and "English set" in header.get_text():
                return "index"
        if soup.find(id="Set_lists") is not None:
            return "set"
        if soup.find(id="Card_text") is not None:
            return "card"
        return None

    def parse_index(self, soup: BeautifulSoup, url: str) -> list[SetRef]:
        sets = []
        for table in soup.select("#mw-content-text table.sortable"):
            rows = table.find_all("tr")
            header = [element_text(c) for c in rows[0].find_all(["th", "td"])] if rows else []
            if "English set" not in header:
                continue
            col_name, col_code = header.index("English set"), _find(header, "Set Abbreviation", "Set Abbrevation")
            for row in rows[1:]:
                cells = row.find_all(["th", "td"], recursive=False)
                if len(cells) <= col_name:
                    continue
                link = cells[col_name].find("a", href=True)
                if link is None:
                    continue
                name = element_text(cells[col_name])
                code = element_text(cells[col_code]) if col_code is not None and col_code < len(cells) else ""
                code = code or re.sub(r"[^A-Za-z0-9]", "", name)
                sets.append(SetRef(code=code, name=name, url=urljoin(url, link["href"])))
        return sets

    def parse_set(self, soup: BeautifulSoup, url: str, set_code: str) -> list[CardRef]:
        heading = soup.find(id="Set_lists")
        if heading is None:
            return []
        for table in heading.find_all_next("table"):
            refs = []
            for row in table.find_all("tr"):
                cells = row.find_all(["td", "th"], recursive=False)
                if not cells or not _NUMBER.match(cells[0].get_text()):
                    continue
                link = next((c.find("a", href=True) for c in cells[1:] if c.find("a", href=re.compile(r"/wiki/"))
                             and "image" not in (c.find("a").get("class") or [])), None)
                if link is None:
                    continue
                refs.append(CardRef(url=urljoin(url, link["href"]), number=int(_NUMBER.match(cells[0].get_text())[1]),
                                    name=element_text(link)))
            if refs:
                return refs
        return []

    def parse_card(self, soup: BeautifulSoup, url: str, set_code: str, number: int | None = None) -> Extracted:
        try:
            return _parse_card(soup, url, set_code, number)
        except UnknownSymbol as e:
            raise ExtractError(str(e)) from None


def _find(header: list[str], *names: str) -> int | None:
    return next((header.index(n) for n in names if n in header), None)


def _labelled(content: Tag) -> dict[str, Tag]:
    """Infobox rows: label text (lower case) → the cell holding its value. The first of each label wins."""
    out: dict[str, Tag] = {}
    for row in content.find_all("tr"):
        cells = row.find_all(["th", "td"], recursive=False)
        if len(cells) == 2:
            label = element_text(cells[0]).lower()
            if label and len(label) < 40:
                out.setdefault(label, cells[1])
    for th in content.find_all("th"):
        small = th.find("small")
        if small is not None and element_text(small).lower() in ("weakness", "resistance", "retreat cost"):
            out.setdefault(element_text(small).lower(), th)
    return out


def _types_in(cell: Tag) -> list[str]:
    """Energy types shown as images in a cell (`alt` or `title`), in order; blank-alt images count as Colorless."""
    out = []
    for img in cell.find_all("img"):
        alt = (img.get("alt") or "").strip()
        out.append(energy_type(alt) if alt else "Colorless")
    return out


def _name_of(cell: Tag) -> str:
    """A cell's text without the Japanese name in its <small>."""
    for small in cell.find_all("small"):
        small.extract()
    return element_text(cell)


def _parse_card(soup: BeautifulSoup, url: str, set_code: str, number: int | None) -> Extracted:
    content = soup.select_one("#mw-content-text")
    if content is None:
        raise ExtractError("no #mw-content-text on the page")
    info = _labelled(content)
    if "hit points" not in info:
        raise ExtractError("not a Pokémon card page (no Hit Points): paper Trainer and Energy cards are not read")
    name = element_text(info.get("card name")) or element_text(soup.find("h1"))
    stage_text = element_text(info.get("evolution stage"))
    stage = next((v for k, v in _STAGES.items() if stage_text.lower().startswith(k)), None)
    if stage is None:
        raise ExtractError(f"unknown evolution stage {stage_text!r}")
    evolves = re.search(r"Evolves from (.+)$", stage_text)
    if number is None:
        m = _NUMBER.match(element_text(info.get("english card no.")) or "")
        if m is None:
            raise ExtractError("no English card number on the page")
        number = int(m[1])
    weakness = _types_in(info["weakness"]) if "weakness" in info else []
    resistance = _types_in(info["resistance"]) if "resistance" in info else []
    level = re.search(r"\bLV\.\s*(\d+)", element_text(content.find("table")))
    card = {
        "id": f"{set_code}-{number:03d}", "name": name, "number": number, "category": "pokemon", "stage": stage,
        "evolves_from": evolves.group(1).strip() if evolves and stage != "basic" else None,
        "hp": int(re.sub(r"\D", "", element_text(info["hit points"])) or 0),
        "type": energy_type(element_text(info["type"])) if "type" in info else None,
        "weakness": weakness[0] if weakness else None, "resistance": resistance[0] if resistance else None,
        "retreat": len(_types_in(info["retreat cost"])) if "retreat cost" in info else 0,
        "is_ex": name.endswith(" ex"), "level": int(level.group(1)) if level else None,
        **_card_text(soup),
    }
    rarity = info.get("rarity")
    if rarity is not None:
        img = rarity.find("img")
        card["rarity"] = (img.get("alt") if img is not None else None) or element_text(rarity) or None
    return Extracted(card)


def _card_text(soup: BeautifulSoup) -> dict:
    """Attacks, and a Pokémon Power (Poké-Power/Body) or Ability, from the first print's card box under the
    `Card text` heading."""
    heading = soup.find(id="Card_text")
    box = heading.find_next("table", class_="roundy") if heading is not None else None
    if box is None:
        raise ExtractError("no card text box after the 'Card text' heading")
    body = box.find("tbody") or box
    attacks, power, ability, pending = [], None, None, None
    for row in body.find_all("tr", recursive=False):
        cell_text = element_text(row)
        cost_cell = row.find("th", class_="roundyleft")
        label = _POWER_LABEL.match(cell_text)
        if label is not None and cost_cell is None:
            name_cell = row.find("td", style=re.compile("text-align: center"))
            found = {"name": _name_of(name_cell) if name_cell else "", "text": ""}
            if label.group(1).lower() == "ability":
                ability = found
            else:
                power = found
            pending = found
        elif cost_cell is not None:
            heads = cost_cell.find_next_siblings("th")
            if not heads:
                raise ExtractError("attack row without a name")
            damage = element_text(heads[1]).replace("×", "x") if len(heads) > 1 else ""
            attack = {"name": _name_of(heads[0]), "cost": _types_in(cost_cell), "damage": damage, "text": None}
            attacks.append(attack)
            pending = attack
        elif pending is not None and cell_text:
            pending["text"] = cell_text
            pending = None
    for what, found in (("Pokémon Power", power), ("Ability", ability)):
        if found is not None and not (found["name"] and found["text"]):
            raise ExtractError(f"{what} {found['name']!r} lacks its name or text")
    return {"attacks": attacks, "pokemon_power": power, "ability": ability}

