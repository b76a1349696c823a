"""RulesSpec: every rule a card game of this family could vary, as a named, documented parameter.

The `pocket` preset holds the values of Pokémon TCG Pocket. A spec names a preset and overrides any field.
Interpretations of unclear rules are written down in docs/rules.md.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import StrictModel


class KnockoutPoints(StrictModel):
    """Points the attacker's owner scores for knocking out a Pokémon, by card class."""

    normal: int = Field(1, ge=0, description="A Pokémon that is neither ex nor Mega ex.")
    ex: int = Field(2, ge=0, description="A Pokémon ex.")
    mega_ex: int = Field(3, ge=0, description="A Mega Pokémon ex.")


class SpecialConditionRules(StrictModel):
    """Numbers and behaviour of the special conditions."""

    poison_damage: int = Field(10, ge=0, description="Damage to a Poisoned Pokémon at each checkup.")
    burn_damage: int = Field(20, ge=0, description="Damage to a Burned Pokémon at each checkup.")
    burn_recover_coin: bool = Field(True, description="At checkup, flip a coin: heads removes Burned.")
    sleep_wake_coin: bool = Field(True, description="At checkup, flip a coin: heads wakes an Asleep Pokémon.")
    paralysis_turns: int = Field(
        1, ge=1, description="Paralyzed is removed at the end of its owner's next turn (1 = that next turn)."
    )
    confusion_coin: bool = Field(True, description="A Confused Pokémon flips a coin to attack; tails: no attack.")
    confusion_self_damage: int = Field(0, ge=0, description="Damage to itself when a Confused attack fails.")
    checkup_order: list[Literal["poisoned", "burned", "asleep", "paralyzed"]] = Field(
        default_factory=lambda: ["poisoned", "burned", "asleep", "paralyzed"],
        description="Order of the between-turns Pokémon Checkup steps (each applied to both Active Pokémon).",
    )
    asleep_blocks_retreat: bool = Field(True, description="An Asleep Active Pokémon can't retreat.")
    paralyzed_blocks_retreat: bool = Field(True, description="A Paralyzed Active Pokémon can't retreat.")


class FirstTurnRules(StrictModel):
    """Restrictions on the first turns of the game."""

    first_player_draws: bool = Field(True, description="The player who goes first draws on their first turn.")
    first_player_energy: bool = Field(
        False, description="An Energy appears in the Energy Zone on the very first turn of the game."
    )
    first_player_supporter: bool = Field(True, description="A Supporter may be played on the first turn.")
    first_player_attack: bool = Field(True, description="The player who goes first may attack on turn 1.")
    evolve_on_first_turn: bool = Field(False, description="Evolution is allowed on a player's own first turn.")


class RulesSpec(StrictModel):
    """The complete rules of one game of the family, each rule a parameter."""

    # Deck building
    deck_size: int = Field(20, ge=1, description="Exact number of cards in a deck.")
    max_copies_per_name: int = Field(2, ge=1, description="Copies of cards with the same name allowed in a deck.")
    min_basic_pokemon: int = Field(1, ge=0, description="A deck must hold at least this many Basic Pokémon.")
    fossils_count_as_basic: bool = Field(True, description="Fossil items count as Basic Pokémon for deck legality.")
    max_energy_types: int = Field(3, ge=1, description="Energy types a deck may register for its Energy Zone.")
    # Setup
    opening_hand_size: int = Field(5, ge=1, description="Cards drawn at setup.")
    opening_hand_has_basic: bool = Field(True, description="The opening hand always contains a Basic Pokémon.")
    bench_size: int = Field(3, ge=0, description="Maximum number of Benched Pokémon.")
    hand_limit: int = Field(10, ge=1, description="Maximum cards in hand; draws beyond it are not taken.")
    draw_per_turn: int = Field(1, ge=0, description="Cards drawn at the start of each turn.")
    deck_out_loses: bool = Field(
        False, description="A player who must draw from an empty deck loses (False: the draw is skipped)."
    )
    # Energy
    energy_zone: bool = Field(True, description="Energy comes from an Energy Zone, one per turn, not from the deck.")
    energy_attach_per_turn: int = Field(1, ge=0, description="Energy attachments from the Energy Zone per turn.")
    # Turn structure
    supporters_per_turn: int = Field(1, ge=0, description="Supporter cards a player may play per turn.")
    retreats_per_turn: int = Field(1, ge=0, description="Retreats a player may make per turn.")
    evolve_same_turn_played: bool = Field(False, description="A Pokémon may evolve on the turn it was put into play.")
    tools_per_pokemon: int = Field(1, ge=0, description="Pokémon Tools attached to one Pokémon at a time.")
    first_turn: FirstTurnRules = Field(default_factory=FirstTurnRules)
    # Combat
    weakness_bonus: int = Field(20, ge=0, description="Damage added when the defender is weak to the attacker.")
    resistance_reduction: int = Field(0, ge=0, description="Damage subtracted for resistance (Pocket has none).")
    special_conditions: SpecialConditionRules = Field(default_factory=SpecialConditionRules)
    # Winning
    points_to_win: int = Field(3, ge=1, description="Points that win the game.")
    knockout_points: KnockoutPoints = Field(default_factory=KnockoutPoints)
    no_pokemon_in_play_loses: bool = Field(
        True, description="A player with no Pokémon in play (after promotion) loses."
    )
    max_actions_per_turn: int = Field(
        200, ge=1, description="After this many actions in one turn only ending the turn is legal (the real game has "
        "a turn timer; this bounds every game, e.g. against an Ability usable as often as you like)."
    )
    turn_limit: int = Field(
        30, ge=1, description="Total turns (both players) after which the game stops; 0 turns are never played."
    )
    at_turn_limit: Literal["tie", "more_points_wins"] = Field(
        "tie", description="Result when the turn limit is reached without a winner."
    )


PRESETS: dict[str, RulesSpec] = {"pocket": RulesSpec()}
"""Built-in rulesets by name."""
