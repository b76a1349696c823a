"""Front end: effect text -> IR. Normalise wording variants, parse with the LALR grammar, transform to IR.

Public API: `parse_effect(text, kind)` and `parse_card(card)`. Text that cannot be parsed becomes an
`ir.Unresolved(text, reason)` node: never an exception, never a guess.
"""

from __future__ import annotations

from typing import Literal

from . import ir
from .spec import PokemonCard, TrainerCard

Kind = Literal["attack", "ability", "trainer"]


def parse_effect(text: str, kind: Kind) -> ir.AnyTop:
    """The IR of one effect text of the given kind, or Unresolved."""
    return ir.Unresolved(text=text, reason="grammar not written yet")


def parse_card(card: PokemonCard | TrainerCard) -> ir.CardIR:
    """The IR of every effect of a card, its printed attack damage taken into account."""
    if isinstance(card, TrainerCard):
        return ir.CardIR(card_id=card.id, trainer=parse_effect(card.text, "trainer"))
    attacks = tuple(
        ir.CardAttack(name=a.name, base_damage=a.base_damage, suffix=a.damage_suffix,
                      effect=parse_effect(a.text, "attack") if a.text else ir.Attack())
        for a in card.attacks
    )
    ability = parse_effect(card.ability.text, "ability") if card.ability else None
    return ir.CardIR(card_id=card.id, attacks=attacks, ability=ability)
