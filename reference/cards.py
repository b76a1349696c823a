"""The card pool as the engine sees it: one `CardInfo` per card, indexed, with each effect's IR.

Built once per spec (`CardDB.from_spec`). Effects come from the front end (`compiler.parse.parse_card`); an
effect the interpreter cannot execute makes the card *unplayable*: `CardDB.check_executable` raises a SpecError
naming the card and the effect, and random decks only draw from executable cards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from compiler.spec import PokemonCard, TrainerCard

from .state import COLORLESS, POKEMON_TYPES


def type_index(name: str | None) -> int:
    return -1 if name is None else POKEMON_TYPES.index(name)


@dataclass(frozen=True, slots=True)
class AttackInfo:
    name: str
    cost: tuple[int, ...]
    damage: int
    suffix: str
    text: str | None
    effect: Any = None

    def cost_needs(self) -> tuple[list[int], int]:
        """(typed Energy needed per type, Colorless count)."""
        typed = [0] * 8
        colorless = 0
        for t in self.cost:
            if t == COLORLESS or t >= 8:
                colorless += 1
            else:
                typed[t] += 1
        return typed, colorless


@dataclass(slots=True)
class CardInfo:
    """What the rules need to know about a card."""

    index: int
    id: str
    name: str
    kind: str  # pokemon | item | supporter | tool | stadium
    is_fossil: bool = False
    stage: int = 0
    evolves_from: str | None = None
    hp: int = 0
    type: int = -1
    weakness: int = -1
    retreat: int = 0
    is_ex: bool = False
    is_mega: bool = False
    attacks: list[AttackInfo] = field(default_factory=list)
    ability_name: str | None = None
    tags: tuple[str, ...] = ()
    """Printed card attributes (PokemonCard.tags, e.g. "Ultra Beast")."""
    ability_text: str | None = None
    ability: Any = None
    text: str | None = None
    effect: Any = None
    problems: list[str] = field(default_factory=list)
    """Why an effect of this card can't be executed (empty: fully executable)."""

    @property
    def is_pokemon(self) -> bool:
        return self.kind == "pokemon"

    @property
    def is_basic(self) -> bool:
        """A Basic Pokémon card (fossils are not: they are played as Basics, see `plays_as_basic`)."""
        return self.kind == "pokemon" and self.stage == 0

    @property
    def plays_as_basic(self) -> bool:
        return self.is_basic or self.is_fossil

    @property
    def executable(self) -> bool:
        return not self.problems


class CardDB:
    """All cards of a pool, indexed 0..n-1 in pool order, with lookups by id and name."""

    def __init__(self, cards: list[CardInfo], rules):
        self.cards = cards
        self.rules = rules
        self.by_id = {c.id: c.index for c in cards}
        self.by_name: dict[str, list[int]] = {}
        for c in cards:
            self.by_name.setdefault(c.name, []).append(c.index)
        self.max_attacks = max([len(c.attacks) for c in cards] + [1])

    def __getitem__(self, i: int) -> CardInfo:
        return self.cards[i]

    def __len__(self) -> int:
        return len(self.cards)

    @classmethod
    def from_cards(cls, cards: list[PokemonCard | TrainerCard], rules, parse: bool = True) -> "CardDB":
        infos = [card_info(i, c, rules) for i, c in enumerate(cards)]
        db = cls(infos, rules)
        if parse:
            from .effects import attach_effects

            attach_effects(db, cards)
        return db

    @classmethod
    def from_spec(cls, loaded, parse: bool = True) -> "CardDB":
        return cls.from_cards(list(loaded.cards.values()), loaded.rules, parse)


def card_info(index: int, card: PokemonCard | TrainerCard, rules) -> CardInfo:
    """The rule-relevant fields of one spec card."""
    if isinstance(card, PokemonCard):
        stage = {"basic": 0, "stage1": 1, "stage2": 2}[card.stage]
        attacks = [AttackInfo(a.name, tuple(type_index(t) for t in a.cost), a.base_damage, a.damage_suffix, a.text)
                   for a in card.attacks]
        return CardInfo(index, card.id, card.name, "pokemon", stage=stage, evolves_from=card.evolves_from,
                        hp=card.hp, type=type_index(card.type), weakness=type_index(card.weakness),
                        retreat=card.retreat, is_ex=card.is_ex, is_mega=card.is_mega, attacks=attacks,
                        ability_name=card.ability.name if card.ability else None,
                        ability_text=card.ability.text if card.ability else None, tags=tuple(card.tags))
    info = CardInfo(index, card.id, card.name, card.trainer_kind, is_fossil=card.is_fossil, text=card.text)
    if card.is_fossil:
        info.type = COLORLESS  # HP and type come from the card's Fossil IR (effects.attach_effects)
    return info
