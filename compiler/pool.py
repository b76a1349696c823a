"""The pool's IR: the one function both engines take every card's effects from.

The reference engine (`reference.cards.CardDB`) and the lowering (`compiler.lower`) both call `card_irs`, so the two
engines can never read different IR. Fills (agent or human, `fills.yaml`) will join here.
"""

from __future__ import annotations

from . import ir
from .spec import PokemonCard, TrainerCard


def card_ir(card: PokemonCard | TrainerCard) -> ir.CardIR:
    """The IR of one card's effects (its printed damage taken into account)."""
    from .parse import parse_card

    return parse_card(card)


def card_irs(cards: list[PokemonCard | TrainerCard]) -> list[ir.CardIR | Exception]:
    """The IR of every card, in pool order; a front-end failure is returned as the exception, never raised."""
    out: list[ir.CardIR | Exception] = []
    for card in cards:
        try:
            out.append(card_ir(card))
        except Exception as e:  # a front-end bug must not stop an engine: the card becomes unplayable
            out.append(e)
    return out
