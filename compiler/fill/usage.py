"""What a pool's fills do: how many distinct effect texts are parsed, filled and still unresolved, and which fills
are stale (their text is printed on no card of the pool, or the grammar parses it now)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import ir
from ..diagnostics import plural


@dataclass
class Stale:
    kind: str
    text: str
    why: str
    where: str

    def __str__(self) -> str:
        return f"{self.where}: stale fill of the {self.kind} text {_short(self.text)!r}: {self.why}"


@dataclass
class Usage:
    """Distinct (kind, text) pairs of a pool by outcome, and the stale fills."""

    parsed: int = 0
    filled: int = 0
    unresolved: int = 0
    stale: list[Stale] = field(default_factory=list)
    misfits: list[str] = field(default_factory=list)
    """Texts whose fill fits none of the cards that print it (they count as unresolved)."""

    @property
    def total(self) -> int:
        return self.parsed + self.filled + self.unresolved

    def as_json(self) -> dict:
        return {"texts": self.total, "parsed": self.parsed, "filled": self.filled, "unresolved": self.unresolved,
                "stale_fills": [s.__dict__ for s in self.stale]}

    def line(self) -> str:
        return (f"{plural(self.total, 'distinct effect text')}: {self.parsed} parsed, {self.filled} filled, "
                f"{self.unresolved} unresolved")


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 3] + "..."


def usage(cards, fills) -> Usage:
    """Parsed / filled / unresolved counts of the pool `cards` (distinct kind+text pairs) with `fills` (a FillSet or
    None) applied as compiler.pool.card_irs applies them, and the stale fills."""
    from ..pool import card_irs, effects_of, unresolved_texts

    cards = list(cards)
    before = unresolved_texts(cards)
    after: dict[tuple[str, str], bool] = {}  # pair -> resolved on every card that prints it
    for card, cir in zip(cards, card_irs(cards, fills) if fills is not None else [None] * len(cards)):
        if cir is None or isinstance(cir, Exception):
            continue
        for kind, text, eff in effects_of(card, cir):
            key = (kind, text)
            after[key] = after.get(key, True) and not ir.has_unresolved(eff)
    printed = {(k, t) for c in cards for k, t, _ in effects_of(c, _blank(c)) if t}
    u = Usage()
    for key in printed:
        if key not in before:
            u.parsed += 1
        elif fills is not None and fills.get(*key) is not None and after.get(key, False):
            u.filled += 1
        else:
            u.unresolved += 1
            if fills is not None and fills.get(*key) is not None:
                u.misfits.append(key[1])
    for f in (fills.fills if fills is not None else []):
        if f.key not in printed:
            u.stale.append(Stale(f.kind, f.text, "no card of the pool prints it", fills.where(f.key)))
        elif f.key not in before:
            u.stale.append(Stale(f.kind, f.text, "the grammar parses it now (the fill is not used)",
                                 fills.where(f.key)))
    return u


def _blank(card) -> ir.CardIR:
    """A CardIR shaped like the card's effects (for listing its printed texts)."""
    from ..spec import PokemonCard

    if isinstance(card, PokemonCard):
        return ir.CardIR(card_id=card.id, attacks=tuple(ir.CardAttack(name=a.name, effect=ir.Attack())
                                                        for a in card.attacks),
                         ability=ir.Passive(modifiers=()) if card.ability else None)
    return ir.CardIR(card_id=card.id, trainer=ir.TrainerEffect(steps=()))
