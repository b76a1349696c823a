"""Source: the Limitless-style Pokémon TCG Pocket card database (markup described in DESIGN.md).

Index: `table.sets-table` rows, each linking to a set page. Set page: card links under `div.card-search-grid`.
Card page: `p.card-text-title` (name - type - HP), `p.card-text-type` (Pokémon - Stage 1 - Evolves from X, or
Trainer - Item), `div.card-text-ability`, one `div.card-text-attack` per attack, `p.card-text-wrr`,
`div.card-prints-current` (#number · rarity) and `table.card-prints-versions` (printings, the first one first).
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urljoin, urlparse

from bs4 import BeautifulSoup, Tag

from ..text import UnknownSymbol, element_text, energy_type, normalize
from .base import CardRef, Extracted, ExtractError, SetRef

_TRAINER_KINDS = {"item": "item", "supporter": "supporter", "pokémon tool": "tool", "pokemon tool": "tool",
                  "tool": "tool", "stadium": "stadium"}
_STAGES = {"basic": "basic", "stage 1": "stage1", "stage 2": "stage2", "stage1": "stage1", "stage2": "stage2"}
_ATTACK = re.compile(r"^(?P<name>.+?)(?:\s+(?P<damage>\d+[+x]?))?$")
_FOSSIL = re.compile(r"as if it were a \d+[- ]?HP Basic", re.I)
_CARD_PATH = re.compile(r"/cards/(?P<set>[^/?#]+)/(?P<number>\d+)/?$")
_RULE_BOX = re.compile(
    r"^(You may play only 1 Supporter card during your turn\.|You may play any number of Item cards during your "
    r"turn\.|You may attach any number of Pokémon Tools to your Pokémon during your turn\.[^.]*\.|"
    r"(Mega )?ex rule: .*|You may play only 1 Stadium card during your turn\.[^.]*\.)$", re.I)
"""Rule-box text that some pages print with every card of a kind: not the card's own effect."""


class Limitless:
    """The Limitless Pocket card database."""

    name = "limitless"

    def detect(self, soup: BeautifulSoup) -> str | None:
        if soup.select_one("table.sets-table"):
            return "index"
        if soup.select_one("div.card-search-grid"):
            return "set"
        if soup.select_one("p.card-text-title"):
            return "card"
        return None

    def parse_index(self, soup: BeautifulSoup, url: str) -> list[SetRef]:
        sets = []
        for row in soup.select("table.sets-table tr"):
            link = row.find("a", href=True)
            if link is None:
                continue
            href = urljoin(url, link["href"])
            code = unquote(urlparse(href).path.rstrip("/").rsplit("/", 1)[-1])
            name_el = link.find(class_="set-name")
            if name_el is None:
                for code_el in link.select(".code"):
                    code_el.extract()
                name_el = link
            sets.append(SetRef(code=code, name=element_text(name_el) or None, url=href))
        return sets

    def parse_set(self, soup: BeautifulSoup, url: str, set_code: str) -> list[CardRef]:
        links = [urljoin(url, a["href"]) for grid in soup.select("div.card-search-grid")
                 for a in grid.find_all("a", href=True)]
        cards = [h for h in links if _CARD_PATH.search(urlparse(h).path)]
        refs = []
        for href in dict.fromkeys(cards or links):  # card links (/cards/SET/N) when there are any; in order, once
            m = _CARD_PATH.search(urlparse(href).path)
            refs.append(CardRef(url=href, number=int(m["number"]) if m else None))
        return refs

    def parse_card(self, soup: BeautifulSoup, url: str, set_code: str, number: int | None = None) -> Extracted:
        try:
            return _parse_card(soup, url, set_code)
        except UnknownSymbol as e:
            raise ExtractError(str(e)) from None


def _need(soup: BeautifulSoup | Tag, selector: str) -> Tag:
    el = soup.select_one(selector)
    if el is None:
        raise ExtractError(f"no {selector} on the page")
    return el


def _parse_card(soup: BeautifulSoup, url: str, set_code: str) -> Extracted:
    warnings: list[str] = []
    title = _need(soup, "p.card-text-title")
    name_el = title.select_one(".card-text-name")
    parts = [p.strip() for p in element_text(title).split(" - ")]
    name = element_text(name_el) if name_el is not None else parts[0]
    if not name:
        raise ExtractError("empty card name in p.card-text-title")
    kind_parts = [p.strip() for p in element_text(_need(soup, "p.card-text-type")).split(" - ")]
    number, rarity = _number_and_rarity(soup, url)
    card: dict = {"id": f"{set_code}-{number:03d}", "name": name, "number": number}
    if kind_parts[0].lower() in ("pokémon", "pokemon"):
        card.update(_pokemon(soup, parts, kind_parts))
    elif kind_parts[0].lower() == "trainer":
        card.update(_trainer(soup, name, kind_parts))
    else:
        raise ExtractError(f"unknown card category {kind_parts[0]!r} in p.card-text-type")
    if rarity:
        card["rarity"] = rarity
    card["first_printed"] = _first_printed(soup, url) or card["id"]
    return Extracted(card, warnings)


def _pokemon(soup: BeautifulSoup, title_parts: list[str], kind_parts: list[str]) -> dict:
    rest = " - ".join(title_parts[1:])
    m = re.search(r"^(?P<type>[A-Za-zé ]+?)\s*-\s*(?P<hp>\d+)\s*HP\b", rest)
    if m is None:
        raise ExtractError(f"p.card-text-title lacks 'type - HP': {' - '.join(title_parts)!r}")
    stage = _STAGES.get(kind_parts[1].lower()) if len(kind_parts) > 1 else None
    if stage is None:
        raise ExtractError(f"unknown stage in p.card-text-type: {' - '.join(kind_parts)!r}")
    evolves = None
    tags = []
    for part in kind_parts[2:]:
        ev = re.match(r"Evolves from (.+)$", part)
        if ev:
            evolves = ev.group(1).strip()
        elif part:
            tags.append(part)  # a printed card attribute ("Pokémon - Basic - Ultra Beast")
    out = {"category": "pokemon", "stage": stage, "evolves_from": evolves, "hp": int(m["hp"]),
           "type": energy_type(m["type"]), "attacks": [_attack(a) for a in soup.select("div.card-text-attack")]}
    ability = soup.select_one("div.card-text-ability")
    if ability is not None:
        info = element_text(_need(ability, "p.card-text-ability-info"))
        info = re.sub(r"^(Ability|Pokémon Power|Poké-Power|Poké-Body)\s*:\s*", "", info)
        out["ability"] = {"name": info, "text": element_text(_need(ability, "p.card-text-ability-effect"))}
    wrr = element_text(_need(soup, "p.card-text-wrr"))
    weak = re.search(r"Weakness:\s*([^\s]+)", wrr)
    retreat = re.search(r"Retreat:\s*(\d+)", wrr)
    if weak is None or retreat is None:
        raise ExtractError(f"p.card-text-wrr lacks weakness or retreat: {wrr!r}")
    out["weakness"] = None if weak.group(1).lower() in ("none", "n/a", "-", "—") else energy_type(weak.group(1))
    out["retreat"] = int(retreat.group(1))
    name_el = soup.select_one("p.card-text-title .card-text-name")
    name = element_text(name_el) if name_el is not None else title_parts[0]
    out["is_ex"] = name.endswith(" ex")
    out["is_mega"] = out["is_ex"] and name.startswith("Mega ")
    if tags:
        out["tags"] = tags
    return out


FREE_COST = "0"
"""The cost symbol the site shows for an attack that needs no Energy."""


def _attack(div: Tag) -> dict:
    info = _need(div, "p.card-text-attack-info")
    cost = []
    for sym in info.select("span.ptcg-symbol"):
        letters = sym.get_text().strip()
        if letters != FREE_COST:
            cost.extend(energy_type(letter) for letter in letters)
        sym.extract()
    line = normalize(element_text(info).replace("\u00d7", "x"))
    m = _ATTACK.match(line)
    if not line or m is None:
        raise ExtractError("empty attack name in p.card-text-attack-info")
    effect = div.select_one("p.card-text-attack-effect")
    text = element_text(effect) if effect is not None else ""
    return {"name": m["name"], "cost": cost, "damage": m["damage"] or "", "text": text or None}


def _trainer(soup: BeautifulSoup, name: str, kind_parts: list[str]) -> dict:
    kind = _TRAINER_KINDS.get(kind_parts[1].lower()) if len(kind_parts) > 1 else None
    if kind is None:
        raise ExtractError(f"unknown trainer kind in p.card-text-type: {' - '.join(kind_parts)!r}")
    texts = []
    for section in soup.select("div.card-text-section"):
        if section.select_one("p.card-text-title, p.card-text-type, p.card-text-wrr") or "card-text-artist" in (
            section.get("class") or []
        ):
            continue
        text = element_text(section)
        if not _RULE_BOX.match(text):
            texts.append(text)
    text = " ".join(t for t in texts if t)
    if not text:
        raise ExtractError("trainer card without effect text")
    return {"category": "trainer", "trainer_kind": kind, "text": text,
            "is_fossil": kind == "item" and (bool(_FOSSIL.search(text)) or name.endswith(" Fossil"))}


def _number_and_rarity(soup: BeautifulSoup, url: str) -> tuple[int, str | None]:
    current = soup.select_one("div.card-prints-current")
    if current is not None:
        m = re.search(r"#(\d+)(?:\s*·\s*(\S.*?))?\s*$", element_text(current))
        if m:
            return int(m.group(1)), m.group(2)
    m = _CARD_PATH.search(urlparse(url).path)
    if m is None:
        raise ExtractError("no card number (no div.card-prints-current, and the URL has none)")
    return int(m["number"]), None


def _first_printed(soup: BeautifulSoup, url: str) -> str | None:
    for link in soup.select("table.card-prints-versions a[href]"):
        m = _CARD_PATH.search(urlparse(urljoin(url, link["href"])).path)
        if m:
            return f"{unquote(m['set'])}-{int(m['number']):03d}"
    return None
