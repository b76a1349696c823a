"""The typed IR of card effects: frozen pydantic nodes, discriminated unions on `op`.

Every node documents its meaning precisely enough to execute it; docs/ir.md is the prose reference. Conventions:

* "you" is the player who owns the card whose text this is; "opponent" is the other player.
* A *target* selects Pokémon in play. Selecting has no effect by itself; the step that uses the target acts on every
  selected Pokémon. `That` refers back to the Pokémon most recently selected in the same effect.
* An *amount* is a number of HP of damage (multiples of 10), cards or Energy, evaluated when the step runs.
* Steps of an effect run in order. `AttackDoesNothing` and a failed requirement stop the effect.
* The IR never guesses: text the parser cannot express is an `Unresolved(text, reason)` node.
"""

from __future__ import annotations

from typing import Annotated, Any, Iterator, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from .spec.base import EnergyType

Player = Literal["you", "opponent"]
"""Relative to the owner of the card whose text this is."""
Players = Literal["you", "opponent", "both"]
Zone = Literal["active", "bench", "in_play"]
"""Where in play: the Active Spot, the Bench, or either."""
Condition_ = Literal["Asleep", "Burned", "Confused", "Paralyzed", "Poisoned"]
SpecialCondition = Condition_
CardZone = Literal["hand", "deck", "discard"]


class Node(BaseModel):
    """Base of every IR node: immutable, hashable, unknown keys rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid")


# ---------------------------------------------------------------------------------------------------------------
# Filters on Pokémon (in play or as cards)


class TypeIs(Node):
    """The Pokémon's type is one of `types`."""

    op: Literal["type_is"] = "type_is"
    types: tuple[EnergyType, ...]


class StageIs(Node):
    """The Pokémon's stage: basic, stage1, stage2, or evolution (= stage1 or stage2, i.e. not Basic)."""

    op: Literal["stage_is"] = "stage_is"
    stage: Literal["basic", "stage1", "stage2", "evolution"]


class IsEx(Node):
    """The Pokémon is a Pokémon ex (value=True) or is not (value=False). `mega`: a Mega Evolution Pokémon ex."""

    op: Literal["is_ex"] = "is_ex"
    value: bool = True
    mega: bool = False


class NameIs(Node):
    """The card's name is one of `names` (exact printed names, e.g. "Arceus ex")."""

    op: Literal["name_is"] = "name_is"
    names: tuple[str, ...]


class EvolvesFrom(Node):
    """The Pokémon card evolves from a card named `name` (its `evolves_from`); with `name` None: from the Pokémon
    referred to by `That` / this Pokémon in context (e.g. "a card that evolves from this Pokémon")."""

    op: Literal["evolves_from"] = "evolves_from"
    name: str | None = None
    this: bool = False


class Damaged(Node):
    """The Pokémon has damage on it (value=True) or has none, i.e. full HP (value=False)."""

    op: Literal["damaged"] = "damaged"
    value: bool = True


class HasEnergy(Node):
    """At least `at_least` Energy of `energy_type` (any type when None) is attached. With `extra` (in an attack),
    count only the extra Energy: what is attached beyond what the attack's whole cost needs (as paid, after
    AttackCost modifiers). For a type T: its Energy minus the [T] symbols minus the Colorless symbols that the
    other types' Energy can't pay once their own typed symbols are paid, i.e. max(0, T attached - T symbols -
    max(0, C symbols - sum over other types U of max(0, U attached - U symbols))); for any type: max(0, all attached
    Energy - all symbols). "At least 2 extra [W] Energy" on [W][W][C] needs 5 [W], or 4 [W] and another
    Energy."""

    op: Literal["has_energy"] = "has_energy"
    energy_type: EnergyType | None = None
    at_least: int = 1
    extra: bool = False


class EnergyTypesAtLeast(Node):
    """At least `count` different types of Energy are attached."""

    op: Literal["energy_types_at_least"] = "energy_types_at_least"
    count: int


class HasTool(Node):
    """A Pokémon Tool is attached (value=True)."""

    op: Literal["has_tool"] = "has_tool"
    value: bool = True


class HasToolNamed(Node):
    """A Pokémon Tool named one of `names` is attached ("If this Pokémon has Lucky Mittens attached")."""

    op: Literal["has_tool_named"] = "has_tool_named"
    names: tuple[str, ...]


class HasTag(Node):
    """The card carries the printed attribute `tag` (`PokemonCard.tags`, e.g. "Ultra Beast")."""

    op: Literal["has_tag"] = "has_tag"
    tag: str


class HasAbility(Node):
    """The Pokémon has an Ability."""

    op: Literal["has_ability"] = "has_ability"


class HasCondition(Node):
    """The Pokémon is affected by one of `conditions` (any Special Condition when empty)."""

    op: Literal["has_condition"] = "has_condition"
    conditions: tuple[SpecialCondition, ...] = ()


class HpAtMost(Node):
    """The Pokémon's printed (max) HP is at most `hp` (remaining=False), or its remaining HP is (remaining=True)."""

    op: Literal["hp_at_most"] = "hp_at_most"
    hp: int
    remaining: bool = False


class RetreatAtLeast(Node):
    """The Pokémon's Retreat Cost is at least `count`."""

    op: Literal["retreat_at_least"] = "retreat_at_least"
    count: int


class HpAtMostHalf(Node):
    """The Pokémon's remaining HP is at most half of its maximum HP ("has half of its maximum HP or less
    remaining")."""

    op: Literal["hp_at_most_half"] = "hp_at_most_half"


class AbilityNamed(Node):
    """The Pokémon has an Ability named one of `names` (value=True), or has an Ability named none of them
    (value=False: "with an Ability other than GUARD"). A Pokémon without an Ability passes neither."""

    op: Literal["ability_named"] = "ability_named"
    names: tuple[str, ...]
    value: bool = True


class InZone(Node):
    """The Pokémon is in the Active Spot (zone=active) or on the Bench (zone=bench)."""

    op: Literal["in_zone"] = "in_zone"
    zone: Literal["active", "bench"]


class SinceInPlay(Node):
    """What happened to the Pokémon since it came into play (it was put onto the Bench or into the Active Spot; evolving
    or moving between the Bench and the Active Spot keeps it, leaving play and coming back starts afresh):
    event=attacked: it has used an attack (its attack's steps ran; during an attack the one being used is not
    counted); event=damaged: it has been damaged by an attack from the opponent's Pokémon (counted once per attack,
    when that attack first puts damage on it). `value`=False: it has not ("If this is the first time this Pokémon
    has attacked since it came into play" is attacked/False)."""

    op: Literal["since_in_play"] = "since_in_play"
    event: Literal["attacked", "damaged"]
    value: bool = True


class PutIntoPlayThisTurn(Node):
    """The Pokémon was put into play during this turn (value=True), or was not (value=False: "You can't use this
    card ... on a Pokémon that was put into play this turn"). A Pokémon that evolved this turn counts as put into
    play this turn (it can't evolve again this turn)."""

    op: Literal["put_into_play_this_turn"] = "put_into_play_this_turn"
    value: bool = True


Filter = Annotated[
    Union[TypeIs, StageIs, IsEx, NameIs, EvolvesFrom, Damaged, HasEnergy, EnergyTypesAtLeast, HasTool, HasAbility,
          HasCondition, HpAtMost, RetreatAtLeast, InZone, HpAtMostHalf, AbilityNamed, HasToolNamed, HasTag,
          SinceInPlay, PutIntoPlayThisTurn],
    Field(discriminator="op"),
]
"""A test on one Pokémon. A tuple of filters means all of them must hold."""


class CardFilter(Node):
    """Which cards (in hand, deck or discard pile) qualify: the card `kind` and, for Pokémon, `filters`.

    kind: any card; pokemon; trainer (any Trainer); item; supporter; tool (Pokémon Tool); stadium. `filters` apply to
    Pokémon cards (TypeIs, StageIs, IsEx, NameIs, EvolvesFrom, HpAtMost); NameIs also applies to Trainer cards."""

    kind: Literal["card", "pokemon", "trainer", "item", "supporter", "tool", "stadium"] = "card"
    filters: tuple[Filter, ...] = ()


# ---------------------------------------------------------------------------------------------------------------
# Targets: which Pokémon in play


class Among(Node):
    """The Pokémon in play of `player` ("both": either player's) in `zone` that pass all `filters`.
    `other`: excluding this Pokémon."""

    player: Players = "you"
    zone: Zone = "in_play"
    filters: tuple[Filter, ...] = ()
    other: bool = False


class ThisPokemon(Node):
    """The Pokémon whose attack or Ability this is ("this Pokémon", "itself")."""

    op: Literal["this"] = "this"


class ToolHolder(Node):
    """The Pokémon the Pokémon Tool card with this text is attached to."""

    op: Literal["tool_holder"] = "tool_holder"


class Defending(Node):
    """The opponent's Active Pokémon at the moment this attack was used ("the Defending Pokémon"); later effects
    follow that Pokémon and end if it leaves the Active Spot."""

    op: Literal["defending"] = "defending"


class Attacking(Node):
    """In a trigger or modifier about an attack: the Pokémon that used that attack ("the Attacking Pokémon")."""

    op: Literal["attacking"] = "attacking"


class That(Node):
    """Back-reference ("it", "that Pokémon", "those Pokémon"): the Pokémon selected by the most recent target in
    this effect (or the Pokémon the trigger or condition was about)."""

    op: Literal["that"] = "that"


class Active(Node):
    """`player`'s Active Pokémon, if it passes all `filters` (else no Pokémon is selected)."""

    op: Literal["active"] = "active"
    player: Player = "opponent"
    filters: tuple[Filter, ...] = ()


class Each(Node):
    """Every Pokémon of `among` ("each of your opponent's Benched Pokémon", "both Active Pokémon")."""

    op: Literal["each"] = "each"
    among: Among


class Choose(Node):
    """A choice: `chooser` picks `count` distinct Pokémon of `among` (all of them if fewer exist; with `up_to`,
    any number from 0 to count). The engine turns it into a pending decision."""

    op: Literal["choose"] = "choose"
    chooser: Player = "you"
    count: int = 1
    up_to: bool = False
    among: Among


class ChooseAny(Node):
    """A choice of any number of Pokémon of `among` (none, some or all): `chooser` picks them one at a time and may
    stop at any point ("You may discard any number of your Benched [W] Pokémon")."""

    op: Literal["choose_any"] = "choose_any"
    chooser: Player = "you"
    among: Among


class RandomPokemon(Node):
    """`count` distinct Pokémon of `among` chosen uniformly at random (all of them if fewer exist)."""

    op: Literal["random_pokemon"] = "random_pokemon"
    count: int = 1
    among: Among


Target = Annotated[
    Union[ThisPokemon, ToolHolder, Defending, Attacking, That, Active, Each, Choose, RandomPokemon, ChooseAny],
    Field(discriminator="op"),
]


# ---------------------------------------------------------------------------------------------------------------
# Counts and amounts


class Heads(Node):
    """The number of heads in the most recent coin flip of this effect."""

    op: Literal["heads"] = "heads"


class EnergyCount(Node):
    """The number of Energy of `energy_type` (any when None) attached to the `target` Pokémon (summed)."""

    op: Literal["energy_count"] = "energy_count"
    target: Target
    energy_type: EnergyType | None = None


class PokemonCount(Node):
    """The number of Pokémon in play of `among`."""

    op: Literal["pokemon_count"] = "pokemon_count"
    among: Among


class CardCount(Node):
    """The number of cards passing `filter` in `player`'s `zone` (hand, deck or discard pile)."""

    op: Literal["card_count"] = "card_count"
    player: Player
    zone: CardZone
    filter: CardFilter = CardFilter()


class DamageOn(Node):
    """The damage (HP, 10 per damage counter) on the `target` Pokémon."""

    op: Literal["damage_on"] = "damage_on"
    target: Target


class RetreatCostOf(Node):
    """The number of Energy in the `target` Pokémon's Retreat Cost."""

    op: Literal["retreat_cost_of"] = "retreat_cost_of"
    target: Target


class DoneCount(Node):
    """How many cards, Pokémon or Energy the previous step of this effect discarded or put into the hand ("for each
    card you discarded in this way", "for each Energy you discarded in this way")."""

    op: Literal["done_count"] = "done_count"


class DamageDone(Node):
    """The damage this attack did to the opponent's Active Pokémon (after Weakness and modifiers)."""

    op: Literal["damage_done"] = "damage_done"


class AttackUses(Node):
    """How many times your Pokémon have used the attack named `name` during this game (before this use)."""

    op: Literal["attack_uses"] = "attack_uses"
    name: str


class PointsToWin(Node):
    """How many more points `player` needs to win."""

    op: Literal["points_to_win"] = "points_to_win"
    player: Player


class TopDeckCount(Node):
    """The number of cards passing `filter` among the top `count` cards of `player`'s deck ("for each Pokémon ...
    you find there" after revealing them)."""

    op: Literal["top_deck_count"] = "top_deck_count"
    player: Player = "you"
    count: int
    filter: CardFilter = CardFilter()


class PointsOf(Node):
    """The points `player` has gotten so far."""

    op: Literal["points_of"] = "points_of"
    player: Player = "you"


class RemainingHp(Node):
    """The remaining HP (max HP minus damage) of the `target` Pokémon (summed when it selects several)."""

    op: Literal["remaining_hp"] = "remaining_hp"
    target: Target


class ToolCount(Node):
    """The number of Pokémon Tools attached to the `target` Pokémon (summed)."""

    op: Literal["tool_count"] = "tool_count"
    target: Target


class EnergyTypeCount(Node):
    """The number of different types of Energy attached to the `target` Pokémon (one Pokémon; summed over several)."""

    op: Literal["energy_type_count"] = "energy_type_count"
    target: Target


class DiscardedEnergyCount(Node):
    """The number of Energy of `energy_type` (any when None) in `player`'s discard pile (Energy discarded from their
    Pokémon: "for each [R] Energy in your discard pile")."""

    op: Literal["discarded_energy_count"] = "discarded_energy_count"
    player: Player = "you"
    energy_type: EnergyType | None = None


class KnockOutCount(Node):
    """How many of `player`'s Pokémon have been Knocked Out during this game (any way; a Pokémon evolved from
    another counts once)."""

    op: Literal["knock_out_count"] = "knock_out_count"
    player: Player = "you"


Count = Annotated[
    Union[Heads, EnergyCount, PokemonCount, CardCount, DamageOn, RetreatCostOf, DoneCount, DamageDone, AttackUses,
          PointsToWin, RemainingHp, TopDeckCount, PointsOf, ToolCount, EnergyTypeCount, KnockOutCount,
          DiscardedEnergyCount],
    Field(discriminator="op"),
]


class Const(Node):
    """A fixed number."""

    op: Literal["const"] = "const"
    value: int


class Per(Node):
    """`each` times the value of `count` ("20 damage for each heads": each=20, count=Heads)."""

    op: Literal["per"] = "per"
    each: int
    count: Count


Amount = Annotated[Union[Const, Per], Field(discriminator="op")]


class EnergySel(Node):
    """`count` Energy (all of them when None) of `energy_type` (any type when None)."""

    count: int | None = 1
    energy_type: EnergyType | None = None


# ---------------------------------------------------------------------------------------------------------------
# Conditions


class CoinOutcome(Node):
    """Outcome of the most recent coin flip: heads (the coin, or at least one coin, was heads), tails (at least one
    tails; for one coin: it was tails), all_heads, all_tails, or at_least (at least `count` heads)."""

    op: Literal["coin_outcome"] = "coin_outcome"
    outcome: Literal["heads", "tails", "all_heads", "all_tails", "at_least"]
    count: int = 1


class Matches(Node):
    """Every Pokémon selected by `target` exists and passes all `filters`."""

    op: Literal["matches"] = "matches"
    target: Target
    filters: tuple[Filter, ...]


class Exists(Node):
    """At least one Pokémon of `among` is in play ("If you have Arceus in play", "If Durant is on your Bench")."""

    op: Literal["exists"] = "exists"
    among: Among


class CardIn(Node):
    """At least `at_least` cards passing `filter` are in `player`'s `zone`."""

    op: Literal["card_in"] = "card_in"
    player: Player = "you"
    zone: CardZone
    filter: CardFilter
    at_least: int = 1


class HandSize(Node):
    """`player` has exactly one of `sizes` cards in hand."""

    op: Literal["hand_size"] = "hand_size"
    player: Player = "you"
    sizes: tuple[int, ...]


class Points(Node):
    """`player` has at least `at_least` and at most `at_most` (no bound when None) points."""

    op: Literal["points"] = "points"
    player: Player
    at_least: int = 0
    at_most: int | None = None


class History(Node):
    """Something happened earlier in the game:
    played_supporter_this_turn: you played a Supporter card from your hand during this turn;
    ko_last_turn: any of your Pokémon were Knocked Out by damage from an attack during your opponent's last turn;
    used_attack_last_turn: 1 of your Pokémon used the attack `name` during your last turn;
    moved_to_active_this_turn: this Pokémon moved from your Bench to the Active Spot this turn;
    evolved_this_turn: this Pokémon evolved during this turn;
    damaged_last_turn_while_active: this Pokémon was damaged by an attack during your opponent's last turn while it
    was in the Active Spot;
    ko_by_this_attack: the opponent's Pokémon was Knocked Out by damage from this attack (after damage is dealt);
    your_first_turn: it is your first turn of the game."""

    op: Literal["history"] = "history"
    event: Literal["played_supporter_this_turn", "ko_last_turn", "used_attack_last_turn",
                   "moved_to_active_this_turn", "evolved_this_turn", "damaged_last_turn_while_active",
                   "ko_by_this_attack", "your_first_turn"]
    name: str | None = None


class CountAtLeast(Node):
    """The `count` is at least `value` ("If you have 3 or more Benched Pokémon")."""

    op: Literal["count_at_least"] = "count_at_least"
    count: Count
    value: int


class CountIn(Node):
    """The `count` is exactly one of `values` ("If this Pokémon has exactly 2 Energy attached", "If you have exactly 1
    Benched Pokémon")."""

    op: Literal["count_in"] = "count_in"
    count: Count
    values: tuple[int, ...]


class Milled(Node):
    """The cards the previous step discarded from the top of a deck exist and all pass `filter` ("Discard the top
    card of your deck. If that card is a [F] Pokémon, ...")."""

    op: Literal["milled"] = "milled"
    filter: CardFilter


class Done(Node):
    """The previous step of this effect did something ("If you do, ..." after a step that may do nothing): it
    healed any damage, or discarded, attached, moved or put into the hand at least one card, Energy or Pokémon Tool
    (the same tally as `DoneCount`, with healed HP counted too)."""

    op: Literal["done"] = "done"


class Compare(Node):
    """`left` is greater than (`relation`=more), less than (fewer) or equal to (same) `right` ("If your opponent's
    Active Pokémon has more remaining HP than this Pokémon")."""

    op: Literal["compare"] = "compare"
    left: Count
    relation: Literal["more", "fewer", "same"]
    right: Count


class Not(Node):
    """The negation of `condition`."""

    op: Literal["not"] = "not"
    condition: "Condition"


class All(Node):
    """All `conditions` hold."""

    op: Literal["all"] = "all"
    conditions: tuple["Condition", ...]


class StadiumInPlay(Node):
    """A Stadium is in play: played by either player (`player`="both"), or by `player`; with `names`, only a Stadium
    named one of them ("If a Stadium is in play", "If your opponent has a Stadium in play", "If Mesa Plaza is in
    play"). The pool check makes a name that is not a Stadium card of the pool Unresolved."""

    op: Literal["stadium_in_play"] = "stadium_in_play"
    player: Players = "both"
    names: tuple[str, ...] = ()


Condition = Annotated[
    Union[CoinOutcome, Matches, Exists, CardIn, HandSize, Points, History, CountAtLeast, Done, Compare, Milled, Not, All,
          StadiumInPlay, CountIn],
    Field(discriminator="op"),
]


# ---------------------------------------------------------------------------------------------------------------
# Durations and lasting modifiers


Duration = Literal["this_turn", "opponent_next_turn", "your_next_turn", "until_leaves_active"]
"""How long a lasting effect applies: until the end of this turn; during the opponent's next turn; during your next
turn; until the affected Pokémon leaves the Active Spot."""


class DamageTaken(Node):
    """The `target` Pokémon takes `delta` more (negative: less) damage from attacks, only from attacks by Pokémon
    passing `attacker` filters, of `attacker_player` when set. Applied after Weakness; never below 0."""

    op: Literal["damage_taken"] = "damage_taken"
    target: Target
    delta: int
    attacker: tuple[Filter, ...] = ()
    attacker_player: Player | None = None


class DamageDealt(Node):
    """Attacks used by the `attacker` Pokémon do `delta` more (negative: less) damage, to the `defender` only
    (any Pokémon when None); only for the attack named `attack_name` when set. Applied before Weakness."""

    op: Literal["damage_dealt"] = "damage_dealt"
    attacker: Target
    delta: int
    defender: Target | None = None
    attack_name: str | None = None


class DamageDealtBy(Node):
    """Attacks used by the `attacker` Pokémon do `amount` more damage to the `defender` (any Pokémon when None), the
    amount evaluated whenever such an attack does damage ("do +10 damage to your opponent's Active Pokémon for each
    point you have gotten"). Applied before Weakness, as DamageDealt."""

    op: Literal["damage_dealt_by"] = "damage_dealt_by"
    attacker: Target
    amount: Amount
    defender: Target | None = None


class PreventDamage(Node):
    """Prevent all damage done by attacks to the `target` Pokémon (only from attackers passing `attacker`, of
    `attacker_player` when set; only when that damage is at most `at_most` when set). With `effects`, also prevent
    every effect of those attacks on it."""

    op: Literal["prevent_damage"] = "prevent_damage"
    target: Target
    attacker: tuple[Filter, ...] = ()
    attacker_player: Player | None = None
    at_most: int | None = None
    effects: bool = False


class PreventEffects(Node):
    """Prevent all effects (not damage) of attacks used by `attacker_player`'s Pokémon done to the `target`."""

    op: Literal["prevent_effects"] = "prevent_effects"
    target: Target
    attacker_player: Player = "opponent"


class CantAttack(Node):
    """The `target` Pokémon can't attack (any attack when `attack_name` is None, else only that attack)."""

    op: Literal["cant_attack"] = "cant_attack"
    target: Target
    attack_name: str | None = None


class CantRetreat(Node):
    """The `target` Pokémon can't retreat."""

    op: Literal["cant_retreat"] = "cant_retreat"
    target: Target


class AttackCost(Node):
    """Attacks used by the `target` Pokémon cost `delta` more (negative: less) Energy of `energy_type`
    (Colorless when None). Never below 0."""

    op: Literal["attack_cost"] = "attack_cost"
    target: Target
    delta: int
    energy_type: EnergyType | None = None


class RetreatCost(Node):
    """The `target` Pokémon's Retreat Cost is `delta` more (negative: less); `none`: it has no Retreat Cost."""

    op: Literal["retreat_cost"] = "retreat_cost"
    target: Target
    delta: int = 0
    none: bool = False


class NoWeakness(Node):
    """The `target` Pokémon has no Weakness."""

    op: Literal["no_weakness"] = "no_weakness"
    target: Target


class HpBonus(Node):
    """The `target` Pokémon gets `amount` more max HP (a Per amount is re-evaluated whenever HP is checked)."""

    op: Literal["hp_bonus"] = "hp_bonus"
    target: Target
    amount: Amount


class CantPlay(Node):
    """`player` can't play cards of `card` kind from their hand (item, supporter, stadium)."""

    op: Literal["cant_play"] = "cant_play"
    player: Player
    card: Literal["item", "supporter", "stadium"]


class ConditionImmunity(Node):
    """The `target` Pokémon can't be affected by `conditions` (every Special Condition when empty), and recovers
    from them while this applies."""

    op: Literal["condition_immunity"] = "condition_immunity"
    target: Target
    conditions: tuple[SpecialCondition, ...] = ()


class ConditionDamage(Node):
    """The `target` Pokémon takes `delta` more (negative: less) damage from being `condition` (Poisoned or Burned)
    during Pokémon Checkup ("Your opponent's Active Pokémon takes +10 damage from being Poisoned"); never below 0."""

    op: Literal["condition_damage"] = "condition_damage"
    target: Target
    condition: Literal["Poisoned", "Burned"]
    delta: int


class DamageFlip(Node):
    """Whenever damage is done to the `target` Pokémon by an attack, its owner flips a coin; if heads, that damage
    is reduced by -`delta` (`delta` negative), or prevented entirely when `delta` is None ("If any damage is done to
    this Pokémon by attacks, flip a coin. If heads, prevent that damage."). Applied after Weakness."""

    op: Literal["damage_flip"] = "damage_flip"
    target: Target
    delta: int | None = None


class Survive(Node):
    """If a `target` Pokémon would be Knocked Out by damage from an attack, it is not Knocked Out and its remaining
    HP becomes `hp` (a lasting rule: "During your opponent's next turn, if your Hariyama would be Knocked Out by
    damage from an attack, it is not Knocked Out and its remaining HP becomes 10.")."""

    op: Literal["survive"] = "survive"
    target: Target
    hp: int


class CantBeHealed(Node):
    """Pokémon of `among` can't be healed."""

    op: Literal["cant_be_healed"] = "cant_be_healed"
    among: Among


class OnDamaged(Node):
    """Whenever the `target` Pokémon is damaged by an attack from the opponent's Pokémon (and even if it is
    Knocked Out by it), run `steps`; in them, `Attacking` is the Pokémon that used that attack."""

    op: Literal["on_damaged"] = "on_damaged"
    target: Target
    steps: tuple["Step", ...]


class AttackFlip(Node):
    """When the `target` Pokémon tries to use an attack, its owner flips a coin; if tails, that attack doesn't
    happen (the turn ends as if it had attacked)."""

    op: Literal["attack_flip"] = "attack_flip"
    target: Target


class AtEnd(Node):
    """When the duration of the Lasting effect holding this modifier ends, run `steps` (e.g. "At the end of your
    opponent's next turn, do 90 damage to the Defending Pokémon")."""

    op: Literal["at_end"] = "at_end"
    steps: tuple["Step", ...]


class CantAttachEnergy(Node):
    """`player` can't attach Energy from their Energy Zone to the `target` Pokémon (Active(player) re-evaluated)."""

    op: Literal["cant_attach_energy"] = "cant_attach_energy"
    player: Player
    target: Target


class CantEvolve(Node):
    """`player` can't play Pokémon from their hand to evolve the `target` Pokémon."""

    op: Literal["cant_evolve"] = "cant_evolve"
    player: Player
    target: Target


class EvolveEarly(Node):
    """The `target` Pokémon can evolve during its owner's first turn and on the turn it was put into play (the
    rules' first-turn and same-turn restrictions don't apply to it: "it can evolve during your first turn or the
    turn you play it")."""

    op: Literal["evolve_early"] = "evolve_early"
    target: Target


class EvolvesAs(Node):
    """Its owner may play onto the `target` Pokémon, to evolve it, a card from their hand that evolves from `name`,
    as if the Pokémon were named `name` ("This Pokémon can evolve into any Pokémon that evolves from Eevee if you play
    it from your hand onto this Pokémon"); the other rules of evolving still apply."""

    op: Literal["evolves_as"] = "evolves_as"
    target: Target
    name: str


class OnEnergyAttached(Node):
    """Whenever the owner of the `target` Pokémon attaches Energy from their Energy Zone to it, run `steps`
    (`That` = that Pokémon)."""

    op: Literal["on_energy_attached"] = "on_energy_attached"
    target: Target
    steps: tuple["Step", ...]


Modifier = Annotated[
    Union[DamageTaken, DamageDealt, PreventDamage, PreventEffects, CantAttack, CantRetreat, AttackCost, RetreatCost,
          NoWeakness, HpBonus, CantPlay, ConditionImmunity, CantBeHealed, OnDamaged, AttackFlip, AtEnd,
          CantAttachEnergy, CantEvolve, OnEnergyAttached, ConditionDamage, DamageFlip, Survive, DamageDealtBy,
          EvolveEarly, EvolvesAs],
    Field(discriminator="op"),
]
"""A rule change that holds while its lasting effect or passive Ability applies."""


# ---------------------------------------------------------------------------------------------------------------
# Steps (what an effect does)


class AttackDamage(Node):
    """The main damage of this attack (to the opponent's Active Pokémon): mode "set" replaces it with `amount`
    ("This attack does 20 damage for each heads", printed "20x"); "more" adds `amount` ("does 30 more damage");
    "less" subtracts it (not below 0). See `main_damage_index` for when the main damage is dealt."""

    op: Literal["attack_damage"] = "attack_damage"
    mode: Literal["set", "more", "less"]
    amount: Amount


class AttackDoesNothing(Node):
    """The attack does nothing: no main damage, and no later step of this attack runs."""

    op: Literal["attack_does_nothing"] = "attack_does_nothing"


class Damage(Node):
    """Put `amount` damage on each `target` Pokémon. `by_attack`: it is attack damage (an attack's text), so damage
    modifiers apply (Weakness only to the opponent's Active); otherwise it is damage from an effect."""

    op: Literal["damage"] = "damage"
    amount: Amount
    target: Target
    by_attack: bool = True


class Heal(Node):
    """Heal `amount` damage (all damage when None) from each `target` Pokémon."""

    op: Literal["heal"] = "heal"
    amount: Amount | None
    target: Target


class ApplyCondition(Node):
    """Each `target` Pokémon is now affected by Special Conditions. pick=all: every one of `conditions`;
    random: 1 of `conditions` chosen at random (with `exclude_existing`, never one it already has);
    choose: the `chooser` picks 1 of `conditions`. `poison_damage` (when set) replaces the Poisoned damage."""

    op: Literal["apply_condition"] = "apply_condition"
    target: Target
    conditions: tuple[SpecialCondition, ...]
    pick: Literal["all", "random", "choose"] = "all"
    chooser: Player = "you"
    exclude_existing: bool = False
    poison_damage: int | None = None


class Recover(Node):
    """Each `target` Pokémon recovers from `conditions` (all Special Conditions when empty); with `random`, from 1
    Special Condition it has, chosen at random."""

    op: Literal["recover"] = "recover"
    target: Target
    conditions: tuple[SpecialCondition, ...] = ()
    random: bool = False


class Flip(Node):
    """Flip `count` coins (`until_tails`: flip until a tails; heads counted). The result is read by CoinOutcome and
    Heads in later steps."""

    op: Literal["flip"] = "flip"
    count: Amount = Const(value=1)
    until_tails: bool = False


class If(Node):
    """Run `then` when `condition` holds, otherwise `otherwise`."""

    op: Literal["if"] = "if"
    condition: Condition
    then: tuple["Step", ...]
    otherwise: tuple["Step", ...] = ()


class Repeat(Node):
    """Run `steps` `times` times (re-selecting random or chosen targets each time)."""

    op: Literal["repeat"] = "repeat"
    times: Amount
    steps: tuple["Step", ...]


class Select(Node):
    """Select Pokémon (a choice or random pick) without acting on them; later `That` targets refer to them."""

    op: Literal["select"] = "select"
    target: Target


class Draw(Node):
    """`player` draws `amount` cards."""

    op: Literal["draw"] = "draw"
    amount: Amount
    player: Player = "you"


class DrawUntil(Node):
    """You draw until you have `size` cards in your hand (with `size` None: as many as the opponent has in theirs)."""

    op: Literal["draw_until"] = "draw_until"
    size: int | None = None


class DiscardEnergy(Node):
    """Discard Energy attached to each `target` Pokémon: every EnergySel of `energy` in turn. `random`: the Energy
    is chosen at random; otherwise the owner of the effect chooses which."""

    op: Literal["discard_energy"] = "discard_energy"
    target: Target
    energy: tuple[EnergySel, ...]
    random: bool = False


class DiscardEnergyAmong(Node):
    """Discard `count` Energy chosen at random from all the Energy attached to the Pokémon of `among`, taken
    together: each attached Energy is equally likely, whichever Pokémon it is on ("Discard a random Energy from
    among the Energy attached to all Pokémon (both yours and your opponent's)"). Energy on a Pokémon protected from
    the effects of attacks is not among them."""

    op: Literal["discard_energy_among"] = "discard_energy_among"
    among: Among
    count: int = 1


class DiscardTools(Node):
    """Discard all Pokémon Tools attached to each `target` Pokémon."""

    op: Literal["discard_tools"] = "discard_tools"
    target: Target


class AttachEnergy(Node):
    """Attach Energy to the `target` Pokémon: from the Energy Zone (`source`=zone: new Energy of each EnergySel's
    type) or from your discard pile (chosen, or at `random`). With `distribute`, you split them among the `target`
    Pokémon in any way you like; otherwise each selected Pokémon gets all of them."""

    op: Literal["attach_energy"] = "attach_energy"
    source: Literal["zone", "discard"] = "zone"
    energy: tuple[EnergySel, ...]
    target: Target
    distribute: bool = False
    random: bool = False


class MoveEnergy(Node):
    """Move `energy` from the `source` Pokémon to the `target` Pokémon."""

    op: Literal["move_energy"] = "move_energy"
    energy: EnergySel
    source: Target
    target: Target


class MoveEnergyOneOf(Node):
    """Move 1 Energy of one of `energy_types` from the `source` Pokémon to the `target` Pokémon ("Move a [R], [W],
    or [L] Energy from 1 of your Benched Pokémon to your Active Pokémon"); the mover chooses the type when the
    source has several of them."""

    op: Literal["move_energy_one_of"] = "move_energy_one_of"
    energy_types: tuple[EnergyType, ...]
    source: Target
    target: Target


class DiscardCards(Node):
    """`player` discards cards from their `zone`: hand (`count` cards passing `filter`, chosen by `chooser` or at
    `random`; `up_to` allows fewer) or deck (the top `count` cards)."""

    op: Literal["discard_cards"] = "discard_cards"
    player: Player = "you"
    zone: Literal["hand", "deck"] = "hand"
    count: int = 1
    filter: CardFilter = CardFilter()
    random: bool = False
    chooser: Player = "you"
    up_to: bool = False


class Fetch(Node):
    """Put `count` cards passing `filter` from your `source` (deck or discard pile) into your hand or onto your
    Bench (`to`), chosen at `random` (else you choose). Put onto the Bench only Basic Pokémon and only while there
    is room. Searching the deck shuffles it."""

    op: Literal["fetch"] = "fetch"
    count: int = 1
    filter: CardFilter = CardFilter()
    source: Literal["deck", "discard"] = "deck"
    to: Literal["hand", "bench"] = "hand"
    random: bool = True
    player: Player = "you"


class EvolveFromDeck(Node):
    """Put a random card passing `filter` from your deck that evolves from the `target` Pokémon onto it to evolve it
    (then the deck is shuffled)."""

    op: Literal["evolve_from_deck"] = "evolve_from_deck"
    target: Target
    filter: CardFilter = CardFilter()


class EvolveFromHand(Node):
    """If you have in your hand a card that evolves from the `target` Pokémon (one of yours), you choose one and put
    it onto that Pokémon to evolve it; nothing happens when you have none. `skip_stage1`: a Stage 2 card whose Stage 1
    (a card of the pool named as the Stage 2 evolves from) evolves from the target ("If you have a Stage 2 card in
    your hand that evolves from that Pokémon, put that card onto the Basic Pokémon to evolve it, skipping the Stage
    1")."""

    op: Literal["evolve_from_hand"] = "evolve_from_hand"
    target: Target
    skip_stage1: bool = False


class ShuffleHand(Node):
    """`player` shuffles their hand into their deck."""

    op: Literal["shuffle_hand"] = "shuffle_hand"
    player: Players = "you"


class ShuffleHandRedraw(Node):
    """`player` (each player for "both") shuffles their hand into their deck, then draws as many cards as they
    shuffled in ("Each player shuffles the cards in their hand into their deck, then draws that many cards")."""

    op: Literal["shuffle_hand_redraw"] = "shuffle_hand_redraw"
    player: Players = "both"


class RevealHand(Node):
    """`player` reveals their hand (information only)."""

    op: Literal["reveal_hand"] = "reveal_hand"
    player: Player = "opponent"


class RevealCards(Node):
    """`player` reveals every card passing `filter` in their `zone` (information only; a deck keeps its order)."""

    op: Literal["reveal_cards"] = "reveal_cards"
    player: Player = "opponent"
    zone: Literal["hand", "deck"]
    filter: CardFilter = CardFilter()


class HandToDeck(Node):
    """A card from `player`'s hand (chosen by `chooser` from those passing `filter`, or at `random`) is shuffled into
    that player's deck."""

    op: Literal["hand_to_deck"] = "hand_to_deck"
    player: Player = "opponent"
    filter: CardFilter = CardFilter()
    random: bool = True
    chooser: Player = "you"


class SwapHandDeck(Node):
    """You choose a card passing `filter` in your hand and switch it with a random card passing `filter` in your
    deck: the random card (drawn from the deck as it was) goes into your hand, the chosen one into the deck, which
    is shuffled. Nothing happens unless both exist."""

    op: Literal["swap_hand_deck"] = "swap_hand_deck"
    filter: CardFilter = CardFilter()


class PooledHandToDeck(Node):
    """1 card chosen at random from among the cards in the hands of both players taken together (each card equally
    likely) is revealed and shuffled into its owner's deck."""

    op: Literal["pooled_hand_to_deck"] = "pooled_hand_to_deck"


class RevealTop(Node):
    """`player` reveals the top `count` cards of their deck (information only, to both players; order unchanged)."""

    op: Literal["reveal_top"] = "reveal_top"
    player: Player = "you"
    count: int = 1


class TakeTop(Node):
    """You look at the top `count` cards of your deck and put every one passing `filter` into your hand; the others
    are shuffled back into your deck (`rest`=shuffle) or put on the bottom of it in their order (`rest`=bottom)."""

    op: Literal["take_top"] = "take_top"
    count: int = 1
    filter: CardFilter = CardFilter()
    rest: Literal["shuffle", "bottom"] = "shuffle"


class ArrangeTop(Node):
    """You look at the top `count` cards of `player`'s deck (all of them when it has fewer) and put them back on top
    in any order you choose: you pick the card to go on top, then the next, and so on ("Look at the top 3 cards of
    your opponent's deck and put them back in any order")."""

    op: Literal["arrange_top"] = "arrange_top"
    player: Player = "you"
    count: Amount


class LookTop(Node):
    """Look at the top `count` cards of `player`'s deck (information only; order unchanged)."""

    op: Literal["look_top"] = "look_top"
    player: Player = "you"
    count: int = 1


class Switch(Node):
    """Switch `player`'s Active Pokémon with one of their Benched Pokémon, picked by `new_active` (a Choose or
    RandomPokemon among that player's Bench). `only_if`: the switch happens only if the Active passes these filters."""

    op: Literal["switch"] = "switch"
    player: Player = "you"
    new_active: Target
    only_if: tuple[Filter, ...] = ()


class SetNextEnergy(Node):
    """The next Energy that `player`'s Energy Zone generates (the one shown as next) becomes 1 of `types`, chosen at
    random."""

    op: Literal["set_next_energy"] = "set_next_energy"
    player: Player = "opponent"
    types: tuple[EnergyType, ...]


class ChangeEnergyType(Node):
    """A random Energy attached to each `target` Pokémon becomes 1 of `types`, chosen at random (it may stay the
    same type when its own type is among them)."""

    op: Literal["change_energy_type"] = "change_energy_type"
    target: Target
    types: tuple[EnergyType, ...]


class ReturnPokemon(Node):
    """Put each `target` Pokémon and every card attached to it into its owner's hand (`to`=hand; attached Energy is
    discarded) or shuffle them into its owner's deck (`to`=deck)."""

    op: Literal["return_pokemon"] = "return_pokemon"
    target: Target
    to: Literal["hand", "deck"]


class KnockOut(Node):
    """Each `target` Pokémon is Knocked Out."""

    op: Literal["knock_out"] = "knock_out"
    target: Target


class SetHp(Node):
    """Each `target` Pokémon's remaining HP becomes `hp` (halve: halved, rounded down to a multiple of 10)."""

    op: Literal["set_hp"] = "set_hp"
    target: Target
    hp: int | None = None
    halve: bool = False


class MoveDamage(Node):
    """Move `amount` damage (all of it when None) from the `source` Pokémon to the `target` Pokémon."""

    op: Literal["move_damage"] = "move_damage"
    amount: Amount | None
    source: Target
    target: Target


class Lasting(Node):
    """A rule change (`modifier`) that applies for `duration`. Each Lasting step creates its own instance, so
    repeated uses stack, unless `stacks` is False (then a second identical instance on the same Pokémon is not
    added)."""

    op: Literal["lasting"] = "lasting"
    duration: Duration
    modifier: Modifier
    stacks: bool = True


class EndTurn(Node):
    """Your turn ends."""

    op: Literal["end_turn"] = "end_turn"


class AlternativeCost(Node):
    """While `condition` holds, this attack can be used for `cost` instead of its printed cost ("If this Pokémon has
    damage on it, this attack can be used for 1 [L] Energy"); AttackCost modifiers apply to it as to a printed
    cost. Read when the attack's cost is checked; as a step it does nothing."""

    op: Literal["alternative_cost"] = "alternative_cost"
    condition: Condition
    cost: tuple[EnergyType, ...]


class DamageIgnores(Node):
    """This attack's main damage isn't affected by Weakness (`what`=weakness) or by any effects on the opponent's
    Active Pokémon (`what`=effects: its DamageTaken and PreventDamage modifiers are ignored)."""

    op: Literal["damage_ignores"] = "damage_ignores"
    what: Literal["weakness", "effects"]


class CopyAttack(Node):
    """You choose 1 attack of a Pokémon of `among` and use it as this attack (its damage and effects replace this
    attack's). `needs_energy`: if this Pokémon doesn't have the Energy that attack needs, this attack does nothing."""

    op: Literal["copy_attack"] = "copy_attack"
    among: Among
    needs_energy: bool = False


class DiscardPokemon(Node):
    """Discard each `target` Pokémon from play with every card attached to it (it is not Knocked Out: no points)."""

    op: Literal["discard_pokemon"] = "discard_pokemon"
    target: Target


class SurviveKnockOut(Node):
    """Only in a would_be_knocked_out trigger: the Pokémon is not Knocked Out, and its remaining HP becomes `hp`."""

    op: Literal["survive_knock_out"] = "survive_knock_out"
    hp: int


class ChooseOne(Node):
    """You choose 1 of `options` (each a list of steps) and run it ("Choose 1: ① ... ② ...")."""

    op: Literal["choose_one"] = "choose_one"
    options: tuple[tuple["Step", ...], ...]


class ShuffleDeck(Node):
    """`player` shuffles their deck."""

    op: Literal["shuffle_deck"] = "shuffle_deck"
    player: Player = "you"


class Devolve(Node):
    """Each `target` Pokémon that has evolved loses its highest Stage Evolution card, which goes into its owner's
    hand; it keeps its damage, Energy and Tools, and recovers from Special Conditions and loses other effects on it
    (as when it evolves); if its damage now reaches its HP it is Knocked Out."""

    op: Literal["devolve"] = "devolve"
    target: Target


class KnockedOutToHand(Node):
    """Only in a knocked_out or knocked_out_by_attack trigger: the Knocked Out Pokémon (its Basic and Evolution
    cards) goes into its owner's hand instead of the discard pile; its Tools and Energy are discarded as usual."""

    op: Literal["ko_to_hand"] = "ko_to_hand"


class DiscardStadium(Node):
    """Discard the Stadium in play (it goes to the discard pile of the player who played it); nothing happens when
    none is in play. It tallies what it did (`Done`: "If you do, ...")."""

    op: Literal["discard_stadium"] = "discard_stadium"


class NoPoints(Node):
    """Only in a knocked_out trigger: the opponent gets no points for this Knock Out."""

    op: Literal["no_points"] = "no_points"


class Optional_(Node):
    """You may run `steps` (a decision for you); `then` runs only if you did ("If you do, ...")."""

    op: Literal["optional"] = "optional"
    steps: tuple["Step", ...]
    then: tuple["Step", ...] = ()


Step = Annotated[
    Union[AttackDamage, AttackDoesNothing, Damage, Heal, ApplyCondition, Recover, Flip, If, Repeat, Select, Draw,
          DrawUntil, DiscardEnergy, DiscardEnergyAmong, DiscardTools, AttachEnergy, MoveEnergy, MoveEnergyOneOf,
          DiscardCards, Fetch, EvolveFromDeck,
          ShuffleHand, ShuffleHandRedraw, RevealHand, RevealCards, HandToDeck, PooledHandToDeck, SwapHandDeck, RevealTop, TakeTop, LookTop, Switch, ReturnPokemon, KnockOut, SetHp,
          MoveDamage, Lasting, SetNextEnergy, ChangeEnergyType,
          EndTurn, Optional_, DamageIgnores, AlternativeCost, CopyAttack, DiscardPokemon, SurviveKnockOut,
          ChooseOne, ShuffleDeck, KnockedOutToHand, Devolve,
          NoPoints, DiscardStadium, ArrangeTop, EvolveFromHand],
    Field(discriminator="op"),
]


# ---------------------------------------------------------------------------------------------------------------
# Triggers and top-level nodes


class Trigger(Node):
    """When a triggered Ability or Tool fires:
    damaged_by_attack: this Pokémon (tool: its holder) is damaged by an attack from the opponent's Pokémon (and
    survives or not); knocked_out_by_attack: it is Knocked Out by damage from such an attack; would_be_knocked_out:
    it would be Knocked Out by damage from an attack (steps may replace the knockout); knocked_out: it is Knocked
    Out (any way); evolved_from_hand: you play it from your hand to evolve 1 of your Pokémon; played_to_bench: you
    put it from your hand onto your Bench; energy_attached: you attach an Energy of `energy_type` (any when None)
    from your Energy Zone to it; opponent_attaches_energy: your opponent attaches an Energy from their Energy Zone
    to 1 of their Pokémon (That = that Pokémon); end_of_turn: at the end of your turn; start_of_turn: at the
    beginning of your turn (after its Energy Zone and draw; docs/rules.md); for both, `each_turn`: of every turn,
    `opponent_turn`: of your opponent's turns; end_of_first_turn: at the end of your first turn; checkup: during
    Pokémon Checkup; opponent_ko_by_holder: the opponent's Pokémon is Knocked Out by damage from an attack of this
    Pokémon (tool: its holder). `while_active`: only while this Pokémon is in the Active Spot. `first_time`: only
    the first time it happens to this Pokémon since it came into play (damaged_by_attack: the attack is the first
    to damage it; see SinceInPlay)."""

    event: Literal["damaged_by_attack", "knocked_out_by_attack", "would_be_knocked_out", "knocked_out",
                   "evolved_from_hand", "played_to_bench", "energy_attached", "opponent_attaches_energy",
                   "end_of_turn", "end_of_first_turn", "checkup", "opponent_ko_by_holder", "start_of_turn"]
    energy_type: EnergyType | None = None
    each_turn: bool = False
    while_active: bool = False
    opponent_turn: bool = False
    first_time: bool = False


class Attack(Node):
    """An attack's effect text. Steps run in order; the main damage (the printed damage, changed by AttackDamage
    steps) is dealt to the opponent's Active Pokémon at `main_damage_index(attack)`. `requirement`: the attack can
    be used only if it holds. `damage_at`: explicit position of the main damage ("Before doing damage, ...")."""

    op: Literal["attack"] = "attack"
    steps: tuple[Step, ...] = ()
    requirement: Condition | None = None
    damage_at: int | None = None


class Activated(Node):
    """An Ability used by choice: once during your turn (`once`=True) or as often as you like. It can be used only
    if `requirement` holds; using it runs `steps` (after paying `cost` steps, which must be possible)."""

    op: Literal["activated"] = "activated"
    once: bool = True
    requirement: Condition | None = None
    cost: tuple[Step, ...] = ()
    steps: tuple[Step, ...]


class Passive(Node):
    """An Ability (or Pokémon Tool) that applies while this Pokémon is in play and `requirement` holds."""

    op: Literal["passive"] = "passive"
    requirement: Condition | None = None
    modifiers: tuple[Modifier, ...]


class Triggered(Node):
    """An Ability (or Pokémon Tool) that runs `steps` when `trigger` happens and `requirement` holds; `optional`: you
    may choose not to; `once`: at most once during your turn."""

    op: Literal["triggered"] = "triggered"
    trigger: Trigger
    requirement: Condition | None = None
    steps: tuple[Step, ...]
    optional: bool = False
    once: bool = False


class TrainerEffect(Node):
    """An Item or Supporter: playable only if `requirement` holds; playing it runs `steps`."""

    op: Literal["trainer"] = "trainer"
    requirement: Condition | None = None
    steps: tuple[Step, ...]


class Tool(Node):
    """A Pokémon Tool: while attached, its `effects` (Passive / Triggered, with ToolHolder as the Pokémon) apply."""

    op: Literal["tool"] = "tool"
    effects: tuple[Union[Passive, Triggered], ...]


class Stadium(Node):
    """A Stadium card: while it is in play, its `effects` apply to both players. In them "you" is the player who
    played it; the parser reads only rules written for both players ("Basic Pokémon (both yours and your
    opponent's) get +10 HP"), so who played it changes nothing."""

    op: Literal["stadium"] = "stadium"
    effects: tuple[Passive, ...]


class Fossil(Node):
    """A fossil Item: played as if it were a `hp`-HP Basic Pokémon of `type` that can't retreat; during your turn you
    may discard it from play."""

    op: Literal["fossil"] = "fossil"
    hp: int
    type: EnergyType = "Colorless"


class Unresolved(Node):
    """Text the parser could not turn into IR; `reason` says why. Engines must refuse or ask for a fill."""

    op: Literal["unresolved"] = "unresolved"
    text: str
    reason: str


AttackIR = Union[Attack, Unresolved]
AbilityIR = Annotated[Union[Activated, Passive, Triggered, Unresolved], Field(discriminator="op")]
TrainerIR = Annotated[Union[TrainerEffect, Tool, Stadium, Fossil, Unresolved], Field(discriminator="op")]


class CardAttack(Node):
    """One attack of a card: its name, the printed base damage (0 when none is printed or for an "x" attack whose
    text sets the damage), the printed suffix ("", "+", "x") and its effect."""

    name: str
    base_damage: int = 0
    suffix: Literal["", "+", "x"] = ""
    effect: Annotated[Union[Attack, Unresolved], Field(discriminator="op")]


class CardIR(Node):
    """The IR of one card: its attacks in order, its Ability and its Trainer text (None when absent)."""

    card_id: str
    attacks: tuple[CardAttack, ...] = ()
    ability: AbilityIR | None = None
    trainer: TrainerIR | None = None


for _m in (Not, All, OnDamaged, AtEnd, OnEnergyAttached, Lasting, If, Repeat, Optional_, ChooseOne, Attack, Activated, Triggered, TrainerEffect):
    _m.model_rebuild()
del _m

AnyTop = Annotated[Union[Attack, Activated, Passive, Triggered, TrainerEffect, Tool, Stadium, Fossil, Unresolved],
                   Field(discriminator="op")]
TOP_ADAPTER: TypeAdapter = TypeAdapter(AnyTop)
"""Validates / dumps any top-level effect node (e.g. from JSON or fills.yaml)."""


# ---------------------------------------------------------------------------------------------------------------
# Helpers


def iter_nodes(node: Any) -> Iterator[Node]:
    """Every IR node in `node` (depth first, `node` first), looking inside tuples."""
    if isinstance(node, Node):
        yield node
        for name in type(node).model_fields:
            yield from iter_nodes(getattr(node, name))
    elif isinstance(node, (tuple, list)):
        for x in node:
            yield from iter_nodes(x)


def has_unresolved(node: Any) -> bool:
    """True when the tree contains an Unresolved node."""
    return any(isinstance(n, Unresolved) for n in iter_nodes(node))


def unresolved_nodes(node: Any) -> list[Unresolved]:
    """Every Unresolved node in the tree."""
    return [n for n in iter_nodes(node) if isinstance(n, Unresolved)]


def _touches_main_damage(step: Any) -> bool:
    return any(isinstance(n, (AttackDamage, AttackDoesNothing)) for n in iter_nodes(step))


def main_damage_index(attack: Attack) -> int:
    """Where an attack deals its main damage: before `attack.steps[i]` for the returned i. It is right after the last
    step that contains an AttackDamage or AttackDoesNothing (those steps compute the damage), or before the first
    step when there is none. Steps after it (status, self-damage, bench damage, discards...) run after the damage."""
    if attack.damage_at is not None:
        return attack.damage_at
    idx = 0
    for i, s in enumerate(attack.steps):
        if _touches_main_damage(s):
            idx = i + 1
    return idx


def markdown_reference() -> str:
    """The node-by-node reference section of docs/ir.md, generated from the docstrings and fields."""
    import inspect

    groups: dict[str, list[type[Node]]] = {}
    order = ["Filter", "Target", "Count", "Amount", "Condition", "Modifier", "Step", "AnyTop"]
    seen: set[type] = set()
    for g in order:
        union = globals()[g].__origin__ if hasattr(globals()[g], "__origin__") else globals()[g]
        members = [t for t in union.__args__ if isinstance(t, type)] if hasattr(union, "__args__") else []
        groups[g] = [m for m in members if m not in seen]
        seen.update(members)
    extra = [CardFilter, Among, EnergySel, Trigger, CardAttack, CardIR]
    groups["Supporting models"] = extra
    lines = []
    for g, members in groups.items():
        lines.append(f"### {g}\n")
        for m in members:
            op = m.model_fields["op"].default if "op" in m.model_fields else None
            head = f"#### `{m.__name__}`" + (f" (op `{op}`)" if op else "")
            fields = ", ".join(f"`{n}`" for n in m.model_fields if n != "op")
            doc = inspect.cleandoc(m.__doc__ or "").replace("\n", " ")
            lines.append(f"{head}\n\n{doc}\n\nFields: {fields or '(none)'}.\n")
    return "\n".join(lines)
