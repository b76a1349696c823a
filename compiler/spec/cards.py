"""Card models: what a card-set YAML file holds. A discriminated union on `category`."""

from __future__ import annotations

import re
from typing import Annotated, Literal, Union

from pydantic import Field, PrivateAttr, model_validator

from .base import EnergyType, StrictModel

CARD_ID = r"^[A-Za-z0-9][A-Za-z0-9.]*(-[A-Za-z0-9.]+)*-\d+[a-z]?$"
_DAMAGE = re.compile(r"^(\d+)([+x]?)$")


class AttackSpec(StrictModel):
    """One attack: its Energy cost, printed damage ("", "30", "50+", "20x") and effect text."""

    name: str = Field(min_length=1)
    cost: list[EnergyType] = Field(default_factory=list, description="One entry per Energy symbol.")
    damage: str = Field("", pattern=r"^(\d+[+x]?)?$", description='As printed: "", "30", "50+" or "20x".')
    text: str | None = Field(None, description="Effect text, or null for a plain damage attack.")

    @property
    def base_damage(self) -> int:
        """The printed number (0 when none is printed)."""
        m = _DAMAGE.match(self.damage)
        return int(m.group(1)) if m else 0

    @property
    def damage_suffix(self) -> str:
        """'+' (more damage by the effect), 'x' (damage times a count) or ''."""
        m = _DAMAGE.match(self.damage)
        return m.group(2) if m else ""


class AbilitySpec(StrictModel):
    """A Pokémon's Ability."""

    name: str = Field(min_length=1)
    text: str = Field(min_length=1)


class _CardBase(StrictModel):
    _fills: object = PrivateAttr(default=None)
    """The spec's fills (compiler.fill.store.FillSet), attached by load_spec for compiler.pool.card_irs."""

    id: str = Field(pattern=CARD_ID, description="Unique card id, e.g. A1-001.")
    name: str = Field(min_length=1)
    number: int | None = Field(None, ge=0, description="Collector number within its set.")
    rarity: str | None = None
    first_printed: str | None = Field(None, description="Id of the original printing, for reprints.")
    source: str | None = Field(None, description="URL or file the card was scraped from.")


class PokemonCard(_CardBase):
    """A Pokémon card."""

    category: Literal["pokemon"]
    stage: Literal["basic", "stage1", "stage2"]
    evolves_from: str | None = Field(None, description="Name of the card this evolves from (stage1/stage2).")
    hp: int = Field(gt=0)
    type: EnergyType
    weakness: EnergyType | None = None
    retreat: int = Field(0, ge=0)
    is_ex: bool = False
    is_mega: bool = False
    attacks: list[AttackSpec] = Field(default_factory=list)
    ability: AbilitySpec | None = None
    tags: list[str] = Field(default_factory=list, description=(
        "Card attributes printed on the card that effects refer to, e.g. 'Ultra Beast' (scraped where the source "
        "shows them)."))
    # Paper-TCG fields (optional; Pocket cards leave them out). Added for the scraper's Bulbapedia source.
    resistance: EnergyType | None = Field(None, description="Paper TCG: the type this Pokémon resists.")
    pokemon_power: AbilitySpec | None = Field(None, description="Paper TCG (1999-2003): its Pokémon Power.")
    level: int | None = Field(None, ge=1, description="Paper TCG: the printed level (LV.), where there is one.")

    @model_validator(mode="after")
    def _stage_matches_evolution(self) -> "PokemonCard":
        if self.stage == "basic" and self.evolves_from is not None:
            raise ValueError("a basic Pokémon cannot have evolves_from")
        if self.stage != "basic" and not self.evolves_from:
            raise ValueError(f"a {self.stage} Pokémon needs evolves_from")
        if self.is_mega and not self.is_ex:
            raise ValueError("a Mega Pokémon is always ex (is_mega implies is_ex)")
        return self


class TrainerCard(_CardBase):
    """A Trainer card: item (fossils are items with is_fossil), supporter, tool or stadium."""

    category: Literal["trainer"]
    trainer_kind: Literal["item", "supporter", "tool", "stadium"]
    is_fossil: bool = False
    text: str = Field(min_length=1)

    @model_validator(mode="after")
    def _fossil_is_item(self) -> "TrainerCard":
        if self.is_fossil and self.trainer_kind != "item":
            raise ValueError("a fossil must be an item (trainer_kind: item)")
        return self


Card = Annotated[Union[PokemonCard, TrainerCard], Field(discriminator="category")]


class CardSetFile(StrictModel):
    """One card-set YAML file: the set code, an optional display name and its cards."""

    set: str = Field(min_length=1, description="Set code, e.g. A1.")
    name: str | None = Field(None, description="Display name of the set, e.g. Genetic Apex.")
    cards: list[Card] = Field(default_factory=list)


def is_basic(card: PokemonCard | TrainerCard, fossils_count: bool = True) -> bool:
    """True for a Basic Pokémon (and a fossil, which is played as one, when `fossils_count`)."""
    if isinstance(card, PokemonCard):
        return card.stage == "basic"
    return fossils_count and card.is_fossil
