"""GameSpec and DeckSpec: the top-level spec.yaml."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from .base import EnergyType, StrictModel


class RulesetRef(StrictModel):
    """A built-in preset plus overrides of any RulesSpec field (nested fields as nested mappings)."""

    preset: str = Field("pocket", description="Name of a built-in ruleset, e.g. pocket.")
    overrides: dict[str, Any] = Field(default_factory=dict, description="RulesSpec fields to change.")


class DeckSpec(StrictModel):
    """A deck: its Energy Zone types and card counts by card id."""

    name: str = Field(min_length=1)
    energy: list[EnergyType] = Field(min_length=1, description="Energy types of the deck's Energy Zone.")
    cards: dict[str, int] = Field(description="Card id → number of copies.")


class GameSpec(StrictModel):
    """spec.yaml: what game to build. Paths are relative to the spec file."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Engine name; also the generated package name.")
    format_version: int = Field(1, ge=1, le=1, description="Version of this spec format.")
    rules: RulesetRef = Field(default_factory=RulesetRef)
    card_sets: list[str] = Field(min_length=1, description="Card-set YAML files.")
    fills: str | None = Field(None, description="fills.yaml with effects the grammar cannot parse.")
    decks: list[DeckSpec] = Field(default_factory=list)
