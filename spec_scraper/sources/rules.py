"""Source: a rules page in prose. Rule sentences become RulesSpec overrides, each with the sentence it came from.

"Each deck must contain exactly 20 cards" → deck_size = 20. A rule no sentence states keeps the preset's value and
is listed as not found. Only the first sentence that states a rule counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bs4 import BeautifulSoup

from ..text import element_text

_WORDS = {"a": 1, "an": 1, "one": 1, "once": 1, "two": 2, "twice": 2, "three": 3, "four": 4, "five": 5, "six": 6,
          "seven": 7, "eight": 8, "nine": 9, "ten": 10, "twenty": 20, "thirty": 30}
N = r"(\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty)"

PATTERNS: list[tuple[str, str]] = [
    ("deck_size", rf"\bdecks?\b[^.]*?\b(?:contains?|consists? of|has|have|is made up of|holds?|of)\s+"
                  rf"(?:exactly\s+)?{N}\s+cards\b"),
    ("max_copies_per_name", rf"\b(?:up to|no more than|at most|a maximum of|only)\s+{N}\s+(?:copies|cards)\s+"
                            rf"(?:of|with)\s+(?:the same name|any (?:one |single )?card|a card|each card)"),
    ("min_basic_pokemon", rf"\bdeck\b[^.]*?\b(?:at least|a minimum of)\s+{N}\s+Basic Pokémon"),
    ("max_energy_types", rf"\b(?:up to|no more than|at most)\s+{N}\s+(?:Energy|energy)\s+types\b"),
    ("opening_hand_size", rf"\b(?:draws?|opening hand of|starting hand of)\s+{N}\s+cards\b[^.]*?"
                          rf"(?:start|setup|set up|begin|opening|first)|\b(?:start|setup|beginning)\b[^.]*?"
                          rf"\bdraws?\s+{N}\s+cards\b"),
    ("bench_size", rf"\bup to\s+{N}\s+Pokémon on (?:your|the|their|a player's) Bench|\bBench\b[^.]*?"
                   rf"\b(?:holds?|hold up to|has room for)\s+(?:up to\s+)?{N}\b"),
    ("hand_limit", rf"\b(?:up to|no more than|a maximum of|at most)\s+{N}\s+cards in (?:your|their|a player's|the)"
                   rf" hand|\bhand limit (?:is|of)\s+{N}"),
    ("draw_per_turn", rf"\bdraws?\s+{N}\s+cards?\s+at the (?:start|beginning) of (?:your|each|their) turn"),
    ("energy_attach_per_turn", rf"\battach\s+(?:only\s+)?{N}\s+Energy\b[^.]*?\b(?:per|each|a|every)\s+turn"),
    ("supporters_per_turn", rf"\b(?:only\s+)?{N}\s+Supporter cards?\s+(?:per|each|a|during (?:your|each))\s+turn"),
    ("retreats_per_turn", r"\bretreat\s+(?:only\s+)?(once|twice|(?:\d+|two|three) times)\s+(?:per|each|a|during your)\s+turn"),
    ("weakness_bonus", rf"\bWeakness\b[^.]*?(?:\+|\badditional\s+|\bmore\s+|\bextra\s+){N}\s+damage|"
                       rf"\b{N}\s+(?:more|additional|extra) damage\b[^.]*?\bWeakness"),
    ("special_conditions.poison_damage", rf"\bPoison(?:ed)?\b[^.]*?\b{N}\s+damage"),
    ("special_conditions.burn_damage", rf"\bBurn(?:ed)?\b[^.]*?\b{N}\s+damage"),
    ("knockout_points.mega_ex", rf"\bMega\b[^.]*?\bex\b[^.]*?\b{N}\s+points?\b"),
    ("knockout_points.ex", rf"^(?!.*\bMega\b).*?\bPokémon ex\b[^.]*?\b{N}\s+points?\b"),
    ("points_to_win", rf"\b(?:first (?:player )?to (?:earn|get|collect|score|reach|win)|collects?)\s+{N}\s+points"
                      rf"|\b{N}\s+points\s+wins?\b"),
    ("turn_limit", rf"\b(?:after|limit of|reaches|reach|more than)\s+{N}\s+turns\b"),
]
"""Rule field (dotted for nested fields) → pattern whose first non-empty group is the number."""


@dataclass(frozen=True)
class RuleFinding:
    field: str
    value: int
    sentence: str


def _number(text: str) -> int:
    text = text.lower().replace(" times", "")
    return int(text) if text.isdigit() else _WORDS[text]


def sentences(soup: BeautifulSoup) -> list[str]:
    """The page's sentences, from its innermost text blocks (navigation, scripts and styles left out)."""
    for el in soup.find_all(["script", "style", "nav", "header", "footer"]):
        el.decompose()
    blocks = [el for el in soup.find_all(["p", "li", "td", "dd", "dt", "h1", "h2", "h3", "h4", "blockquote"])
              if el.find(["p", "li", "td", "dd"]) is None]
    out = []
    for block in blocks:
        out += [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z(\"'])", element_text(block)) if s]
    return out


def find_rules(soup: BeautifulSoup) -> tuple[list[RuleFinding], list[str]]:
    """(rules stated on the page, each with its sentence; names of the rules not found)."""
    found: dict[str, RuleFinding] = {}
    for sentence in sentences(soup):
        for field, pattern in PATTERNS:
            if field in found:
                continue
            m = re.search(pattern, sentence, re.I)
            if m:
                value = next(g for g in m.groups() if g)
                found[field] = RuleFinding(field, _number(value), sentence)
    missing = [f for f, _ in PATTERNS if f not in found]
    return sorted(found.values(), key=lambda r: [f for f, _ in PATTERNS].index(r.field)), missing


def overrides(findings: list[RuleFinding]) -> dict[str, Any]:
    """Findings → the nested `rules.overrides` mapping of spec.yaml."""
    out: dict[str, Any] = {}
    for f in findings:
        *parents, leaf = f.field.split(".")
        node = out
        for p in parents:
            node = node.setdefault(p, {})
        node[leaf] = f.value
    return out
