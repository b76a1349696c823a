"""Shared pydantic base and small types for spec models."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

EnergyType = Literal[
    "Grass", "Fire", "Water", "Lightning", "Psychic", "Fighting", "Darkness", "Metal", "Dragon", "Colorless"
]
"""Pokémon types. Every type but Dragon and Colorless can also be an Energy type of the Energy Zone."""

ENERGY_SYMBOLS: dict[str, str] = {
    "G": "Grass", "R": "Fire", "W": "Water", "L": "Lightning", "P": "Psychic",
    "F": "Fighting", "D": "Darkness", "M": "Metal", "C": "Colorless",
}
"""The bracketed symbols used in effect text, e.g. `[R]` for Fire."""


class StrictModel(BaseModel):
    """Immutable, strict about unknown keys: a misspelled YAML key is an error, never ignored."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=False)
