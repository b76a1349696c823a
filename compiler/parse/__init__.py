"""Front end: effect text -> IR. Normalise wording variants, parse with the LALR grammar, transform to IR.

Public API: `parse_effect(text, kind)` and `parse_card(card)`. Text that cannot be parsed becomes an
`ir.Unresolved(text, reason)` node: never an exception, never a guess.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

from lark import Lark, Token
from lark.lexer import Lexer, PatternStr
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken, VisitError
from pydantic import ValidationError

from .. import ir
from ..spec import PokemonCard, TrainerCard
from .normalise import GRAMMAR, normalise
from .checks import check
from .transform import ToIR, Unsupported

Kind = Literal["attack", "ability", "trainer"]
KINDS: tuple[Kind, ...] = ("attack", "ability", "trainer")

POKEMON_POWER = "pokemon_power"
"""The text kind of a paper-TCG Pokémon Power (PokemonCard.pokemon_power). The IR has no node for it, so its text is
always Unresolved; coverage counts it with the Abilities."""
POKEMON_POWER_REASON = "a Pokémon Power (paper TCG): the IR has no node for it"

_LACKS = "the IR has no "
_REFUSE = [
    (re.compile(r"\bprovides \d+ \[[A-Z]\] Energy\b"),
     "an Energy that provides more than one Energy: " + _LACKS + "rule for what attached Energy provides"),
    (re.compile(r"\bKnocked Out\b.*\bmove \d+ .*Energy from that Pokémon and attach\b"),
     "moving a Knocked Out Pokémon's Energy to several Pokémon as it is Knocked Out: " + _LACKS + "step that "
     "splits Energy among several Pokémon from a Pokémon leaving play"),
    (re.compile(r"\bUse the effect of that card as the effect of this card\b"),
     "using another card's effect: " + _LACKS + "step that plays a Trainer card's effect from the deck"),
    (re.compile(r"\bThe next time you flip any number of coins\b"),
     "a rule on the next coin flip (it is heads): " + _LACKS + "modifier of future coin flips"),
    (re.compile(r"\bcan use any attack from its previous Evolutions\b"),
     "attacks of previous Evolutions: " + _LACKS + "way to give a Pokémon other cards' attacks"),
    (re.compile(r"\bduring each player's turn, that player may\b", re.IGNORECASE),
     "an effect each player may use during their own turn (a Stadium's): " + _LACKS + "such effect, and the "
     "action layout has no action that uses it"),
]
"""Recognised phrases whose meaning the IR cannot express: the text is Unresolved with a reason that names what
the IR lacks (checked before parsing; an IR that gains the meaning removes its entry)."""


class UnknownWord(LarkError):
    """A normalised token that no terminal of the grammar matches as a whole."""

    def __init__(self, word: str, column: int):
        super().__init__(f"the word {word!r} is not in the grammar (column {column})")
        self.word, self.column = word, column


class WordLexer(Lexer):
    """Lexes the space-separated tokens of `normalise()` as whole words: a keyword is never split into shorter
    keywords ("another" is not "an" + "other"), and a word the grammar does not know is an error."""

    def __init__(self, lexer_conf):
        self.literals = {}
        self.patterns = []
        for t in lexer_conf.terminals:
            if t.name.startswith("__IGNORE"):
                continue
            if isinstance(t.pattern, PatternStr):
                self.literals[t.pattern.value] = t.name
            else:
                self.patterns.append((t.name, re.compile(t.pattern.to_regexp())))
        clash = [w for w in self.literals if any(rx.fullmatch(w) for _, rx in self.patterns)]
        if clash:
            raise ValueError(f"grammar keywords also match a pattern terminal: {clash}")

    def lex(self, data: str):
        col = 1
        for word in data.split(" "):
            if word:
                name = self.literals.get(word)
                if name is None:
                    name = next((n for n, rx in self.patterns if rx.fullmatch(word)), None)
                if name is None:
                    raise UnknownWord(word, col)
                yield Token(name, word, start_pos=col - 1, line=1, column=col)
            col += len(word) + 1


@lru_cache(maxsize=1)
def parser() -> Lark:
    """The LALR(1) parser of grammar/effects.lark, built once per process. `strict=True`: a shift/reduce conflict in
    the grammar is an error when it loads, so no parse ever depends on a silent conflict resolution."""
    return Lark(GRAMMAR.read_text(encoding="utf-8"), parser="lalr", start=list(KINDS), lexer=WordLexer,
                strict=True, cache=True)


def _tail(text: str, limit: int = 40) -> str:
    """The end of `text` in whole words, at most `limit` characters, with '... ' in front when it is cut."""
    if len(text) <= limit:
        return text
    words = text[-limit:].split(" ")
    if text[-limit - 1] != " ":
        words = words[1:]  # the first piece starts mid-word
    return "... " + " ".join(words).lstrip() if any(words) else "... " + text[-limit:]


def _syntax_reason(err: UnexpectedInput, norm: str) -> str:
    if isinstance(err, UnexpectedEOF):
        return "the text ends where the grammar expects more"
    if isinstance(err, UnexpectedToken):
        tok = err.token
        if tok.type == "$END":
            return "the text ends where the grammar expects more"
        before = norm[:max(tok.column - 1, 0)].rstrip()
        if not before:
            return f"no grammar rule reads {str(tok)!r} at column {tok.column} (the start of the text)"
        return f"no grammar rule reads {str(tok)!r} at column {tok.column} after {_tail(before)!r}"
    if isinstance(err, UnexpectedCharacters):
        word = re.match(r"\S+", norm[err.pos_in_stream:])
        return f"the word {word.group(0) if word else norm[err.pos_in_stream]!r} is not in the grammar (column {err.column})"
    return f"syntax error: {err}"


@lru_cache(maxsize=8192)
def parse_effect(text: str, kind: Kind) -> ir.Node:
    """The IR of one effect text of the given kind, or Unresolved(text, reason). Never raises for bad text."""
    if kind == POKEMON_POWER:
        return ir.Unresolved(text=text, reason=POKEMON_POWER_REASON)
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    for pat, reason in _REFUSE:
        if pat.search(text):
            return ir.Unresolved(text=text, reason=reason)
    norm = normalise(text)
    try:
        tree = parser().parse(norm, start=kind)
    except UnknownWord as err:
        return ir.Unresolved(text=text, reason=str(err))
    except UnexpectedInput as err:
        return ir.Unresolved(text=text, reason=_syntax_reason(err, norm))
    except LarkError as err:
        return ir.Unresolved(text=text, reason=f"parse error: {err}")
    try:
        node = ToIR(kind).transform(tree)
        check(node)
        return node
    except VisitError as err:
        orig = err.orig_exc
        if isinstance(orig, Unsupported):
            return ir.Unresolved(text=text, reason=str(orig))
        if isinstance(orig, ValidationError):
            return ir.Unresolved(text=text, reason=f"invalid IR from rule {err.rule!r}: {orig.errors()[0]['msg']}")
        return ir.Unresolved(text=text, reason=f"internal error in rule {err.rule!r}: {orig!r}")
    except Unsupported as err:
        return ir.Unresolved(text=text, reason=str(err))


def _attack_effect(text: str | None, base: int, suffix: str) -> ir.Node:
    """An attack's effect, checked against its printed damage ("50+" needs "more damage", "20x" a "for each")."""
    if not text:
        if suffix:
            return ir.Unresolved(text="", reason=f"printed damage {base}{suffix} but no effect text")
        return ir.Attack()
    eff = parse_effect(text, "attack")
    if isinstance(eff, ir.Unresolved):
        return eff
    why = attack_misfit(eff, base, suffix)
    return ir.Unresolved(text=text, reason=why) if why else eff


def attack_misfit(eff: ir.Node, base: int, suffix: str) -> str | None:
    """Why an attack's effect IR does not fit its printed damage ("50+" needs "more damage", "20x" sets it), or
    None when it fits (also used on fills: compiler.pool)."""
    if not isinstance(eff, ir.Attack):
        return f"an attack's effect must be an Attack node, not {type(eff).__name__}"
    modes = {n.mode for n in ir.iter_nodes(eff) if isinstance(n, ir.AttackDamage)}
    if suffix == "x" and "set" not in modes:
        return f"printed damage {base}x but the text sets no damage"
    if suffix == "+" and "more" not in modes:
        return f"printed damage {base}+ but the text adds no damage"
    if suffix == "" and base and "set" in modes:
        return f"printed damage {base} but the text sets the damage"
    return None


_TRAINER_NODE = {"item": ir.TrainerEffect, "supporter": ir.TrainerEffect, "tool": ir.Tool, "stadium": ir.Stadium}


def _trainer_effect(card: TrainerCard) -> ir.Node:
    """A Trainer's text, checked against its kind: a Tool's text must be about the Pokémon it is attached to, a
    Stadium's a rule in force for both players, a fossil's the fossil rule, an Item's or Supporter's something done
    when played."""
    eff = parse_effect(card.text, "trainer")
    if isinstance(eff, ir.Unresolved):
        return eff
    why = trainer_misfit(eff, card)
    return ir.Unresolved(text=card.text, reason=why) if why else eff


def trainer_misfit(eff: ir.Node, card: TrainerCard) -> str | None:
    """Why a Trainer's effect IR does not fit its kind (a Tool's text is about its holder, a Stadium's a rule in
    force for both players, a fossil's the fossil rule, an Item's or Supporter's is done when played), or None when
    it fits (also used on fills)."""
    want = ir.Fossil if card.is_fossil else _TRAINER_NODE[card.trainer_kind]
    if not isinstance(eff, want):
        kind = "fossil" if card.is_fossil else card.trainer_kind
        return f"a {kind} card whose text reads as a {type(eff).__name__}"
    return None


def parse_card(card: PokemonCard | TrainerCard) -> ir.CardIR:
    """The IR of every effect of a card, its printed attack damage taken into account: the main damage starts at
    `base_damage` (0 for an "x" attack, whose text sets it). A Pokémon Power takes the Ability's place as an
    Unresolved node, so that no engine runs the card without it."""
    if isinstance(card, TrainerCard):
        return ir.CardIR(card_id=card.id, trainer=_trainer_effect(card))
    attacks = tuple(
        ir.CardAttack(name=a.name, base_damage=0 if a.damage_suffix == "x" else a.base_damage,
                      suffix=a.damage_suffix, effect=_attack_effect(a.text, a.base_damage, a.damage_suffix))
        for a in card.attacks
    )
    ability = parse_effect(card.ability.text, "ability") if card.ability else None
    if card.pokemon_power:
        ability = parse_effect(card.pokemon_power.text, POKEMON_POWER)
    return ir.CardIR(card_id=card.id, attacks=attacks, ability=ability)
