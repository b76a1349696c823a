"""Normalisation before parsing: unify wording variants and spell keywords the way the grammar expects.

The grammar's keywords are lowercase words; names (of cards and attacks) are capitalised words. This pass
lowercases every word that is a grammar keyword, folds known variants ("Pokemon", "Fire[R]", em-dash asides,
reminder sentences in parentheses, "back into") and separates punctuation, so that the LALR lexer sees clean tokens.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

GRAMMAR = Path(__file__).resolve().parents[2] / "grammar" / "effects.lark"

_ENERGY_NAMES = {"Grass": "G", "Fire": "R", "Water": "W", "Lightning": "L", "Psychic": "P", "Fighting": "F",
                 "Darkness": "D", "Metal": "M", "Colorless": "C"}

_REPLACE = [
    (re.compile(r"\bPokemon\b"), "Pokémon"),
    (re.compile(r"\b(?:" + "|".join(_ENERGY_NAMES) + r")\s*(\[[A-Z]\])"), r"a \1"),  # "Fire[R]" -> "a [R]"
    (re.compile(r"\ba a \["), "a ["),
    (re.compile(r"\s*[—–]\s*"), " — "),
    (re.compile(r"\bfrom — and effects of — attacks"), "from and effects of attacks"),
    (re.compile(r"\bback into\b"), "into"),
    (re.compile(r"(?<=\d)-HP\b"), " HP"),
    (re.compile(r"\[([A-Z])\],(?=\S)"), r"[\1], "),
    (re.compile(r"\s+"), " "),
]
_REMINDER = re.compile(r"\s*\((?=[A-Z])[^()]*\.\)")
"""A parenthesised full sentence is reminder text: it restates a rule and is dropped."""
_TOKEN = re.compile(r"\[[A-Z]\]|[+-]\d+|\d+|Mr\.|[A-Za-zÀ-ÿ♂♀][\w♂♀'’:-]*|[①②]|[^\s\w]")


@lru_cache(maxsize=1)
def keywords() -> frozenset[str]:
    """Every lowercase word literal of the grammar."""
    words = re.findall(r'"([^"\s]+)"', GRAMMAR.read_text(encoding="utf-8"))
    return frozenset(w for w in words if re.fullmatch(r"[a-zà-ÿ'’]+", w))


def normalise(text: str) -> str:
    """The text in the spelling the grammar reads (see module docstring)."""
    t = text.replace("’", "'")
    t = _REMINDER.sub("", t)
    for pat, rep in _REPLACE:
        t = pat.sub(rep, t)
    kw = keywords()
    out = []
    for tok in _TOKEN.findall(t.strip()):
        low = tok.lower()
        out.append(low if low in kw else tok)
    return " ".join(_name_lists(out))


_CONDITIONS = frozenset({"asleep", "burned", "confused", "paralyzed", "poisoned"})


def _is_name(tok: str) -> bool:
    """A word of a card name, or a Special Condition (lists of those are comma lists too)."""
    return tok[:1].isupper() or tok == "ex" or tok in _CONDITIONS


def _starts_item(tok: str) -> bool:
    return tok[:1].isupper() or tok in _CONDITIONS


def _name_lists(toks: list[str]) -> list[str]:
    """Commas inside a list of names ("Ninetales, Rapidash, or Magmar") become "|", so that the LALR grammar
    never has to guess whether a comma after a name continues the list or ends the clause."""
    out = list(toks)
    for i, tok in enumerate(toks):
        if tok != "," or i == 0 or not _is_name(toks[i - 1]):
            continue
        # a list item follows: a name, or "or"/"and" then a name
        j = i + 1
        if j < len(toks) and toks[j] in ("or", "and"):
            j += 1
        if j < len(toks) and _starts_item(toks[j]) and _list_has_conj(toks, i):
            out[i] = "|"
    return out


def _list_has_conj(toks: list[str], i: int) -> bool:
    """From the comma at i, the run of names and commas ends with "or"/"and" + a name."""
    j = i
    while j < len(toks):
        if toks[j] == "," or _is_name(toks[j]):
            j += 1
        elif toks[j] in ("or", "and") and j + 1 < len(toks) and _starts_item(toks[j + 1]):
            return True
        else:
            return False
    return False
