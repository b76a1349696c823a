"""The spec: pydantic models for spec.yaml, card sets, decks and rules, and their strict loader."""

from .base import ENERGY_SYMBOLS, EnergyType
from .dump import card_set_to_yaml, write_card_set
from .cards import AbilitySpec, AttackSpec, Card, CardSetFile, PokemonCard, TrainerCard, is_basic
from .game import DeckSpec, GameSpec, RulesetRef
from .load import AnyCard, LoadedSpec, check_deck, load_card_set, load_spec
from .rules import PRESETS, FirstTurnRules, KnockoutPoints, RulesSpec, SpecialConditionRules

__all__ = [
    "ENERGY_SYMBOLS", "EnergyType", "AbilitySpec", "AttackSpec", "Card", "CardSetFile", "PokemonCard", "TrainerCard",
    "is_basic", "DeckSpec", "GameSpec", "RulesetRef", "AnyCard", "LoadedSpec", "check_deck", "load_card_set",
    "load_spec", "card_set_to_yaml", "write_card_set", "PRESETS", "FirstTurnRules", "KnockoutPoints", "RulesSpec", "SpecialConditionRules",
]
