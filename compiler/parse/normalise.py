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
    (re.compile(r", recovers from all Special Conditions, and can't be affected by any Special Conditions"),
     " and can't be affected by any Special Conditions"),  # ConditionImmunity includes recovering
    (re.compile(r" recovers from all Special Conditions and can't be affected by any Special Conditions"),
     " can't be affected by any Special Conditions"),
    (re.compile(r"\bcards from among\b"), "cards among"),
    (re.compile(r"(\[[A-Z]\]) Pokémon and (\[[A-Z]\]) Pokémon\b"), r"\1 or \2 Pokémon"),  # either type
    (re.compile(r"\bYou must (.+?) in order to use this Ability\."), r"To use this Ability, you must \1."),
    (re.compile(r"(?<=\d)-HP\b"), " HP"),
    (re.compile(r"\[([A-Z])\],(?=\S)"), r"[\1], "),
    (re.compile(r"\bat random:"), "at random :"),  # a list follows (a colon inside a word belongs to a name)
    (re.compile(r"\bUltra Beasts\b"), "ultrabeasts"),  # a card attribute (PokemonCard.tags), not a name
    (re.compile(r"\bUltra Beast\b"), "ultrabeast"),
    (re.compile(r"\s+"), " "),
]
_REMINDER = re.compile(r"\s*\((?:This Pok[eé]mon can't evolve during your first turn or the turn you play it"
                       r"|You still need the necessary Energy to use each attack)\.\)")
"""Known reminder text: a parenthesised sentence that only restates a rule, dropped. Any other parenthesised
sentence stays in the text, and the grammar reads it or the text is Unresolved: "(You choose the new Active
Pokémon.)" changes the meaning and must never be dropped unread."""
_CHECKED_REMINDER = re.compile(r"\((Your opponent chooses the new Active Pok[eé]mon\.)\)")
"""A reminder the grammar reads (without its parentheses) and the transformer checks against the step before."""
_TOKEN = re.compile(r"\[[A-Z]\]|[+-]\d+|\d+|Mr\.|[A-Za-zÀ-ÿ♂♀][\w♂♀'’:-]*|[①②]|[^\s\w]")


@lru_cache(maxsize=1)
def keywords() -> frozenset[str]:
    """Every lowercase word literal of the grammar."""
    words = re.findall(r'"([^"\s]+)"', GRAMMAR.read_text(encoding="utf-8"))
    return frozenset(w for w in words if re.fullmatch(r"[a-zà-ÿ'’]+", w))


def normalise(text: str) -> str:
    """The text in the spelling the grammar reads (see module docstring)."""
    t = text.replace("’", "'")
    t = _CHECKED_REMINDER.sub(r"\1", _REMINDER.sub("", t))
    for pat, rep in _REPLACE:
        t = pat.sub(rep, t)
    kw = keywords()
    out = []
    for tok in _TOKEN.findall(t.strip()):
        low = tok.lower()
        out.append(low if low in kw else tok)
    return " ".join(_name_lists(out))


_CONDITIONS = frozenset({"asleep", "burned", "confused", "paralyzed", "poisoned"})


def _item_word(tok: str) -> bool:
    """A word of a list item: a card name word (capitalised, or "ex") or a Special Condition."""
    return tok[:1].isupper() or tok == "ex" or tok in _CONDITIONS


def _item_start(tok: str) -> bool:
    return tok[:1].isupper() or tok in _CONDITIONS


def _name_lists(toks: list[str]) -> list[str]:
    """Lists of names or Special Conditions ("Ninetales, Rapidash, or Magmar", "Poisoned and Burned") get their own
    tokens: "|" between items and "|or" / "|and" before the last one. Then a plain comma or "and" always joins
    clauses, and the LALR grammar never has to look two words ahead."""
    out = list(toks)
    for i, tok in enumerate(toks):
        if tok not in ("or", "and") or i + 1 >= len(toks) or not _item_start(toks[i + 1]):
            continue
        j = i - 1
        if j >= 1 and toks[j] == "," and _item_word(toks[j - 1]):
            out[j] = None  # "A, B, or C": the comma before the conjunction goes
            j -= 1
        if j < 0 or not _item_word(toks[j]):
            continue
        out[i] = "|" + tok
        while True:  # walk back over earlier items, turning the commas between them into "|"
            while j >= 0 and _item_word(toks[j]):
                j -= 1
            if j >= 1 and toks[j] == "," and _item_word(toks[j - 1]):
                out[j] = "|"
                j -= 1
            else:
                break
    return [t for t in out if t is not None]
