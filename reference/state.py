"""The game state as plain dataclasses. A state is never mutated after `step` returns it: `clone()` first.

Cards in a game are *instances* 0..2*deck_size-1 (player p owns p*deck_size..), and `card_of[i]` is the
index of instance i's card in the CardDB. Zones hold instance ids; a Pokémon in play is a `Pokemon` holding its
evolution stack and tools. Energy in Pocket is not a card: attached Energy is a count per type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ENERGY_TYPES = ("Grass", "Fire", "Water", "Lightning", "Psychic", "Fighting", "Darkness", "Metal")
"""Energy Zone types, in canonical order (index = energy type id)."""
POKEMON_TYPES = ENERGY_TYPES + ("Dragon", "Colorless")
"""Pokémon types (card type, weakness); Dragon = 8, Colorless = 9."""
COLORLESS = 9
N_ENERGY = len(ENERGY_TYPES)

# Asleep, Paralyzed and Confused replace one another ("rotation" conditions); Poisoned and Burned are markers.
ROT_NONE, ASLEEP, PARALYZED, CONFUSED = 0, 1, 2, 3
ROT_NAMES = {ASLEEP: "Asleep", PARALYZED: "Paralyzed", CONFUSED: "Confused"}

SETUP, MAIN, CHOICE, OVER = "setup", "main", "choice", "over"
TIE = 2


@dataclass(slots=True)
class Pokemon:
    """A Pokémon in play: its cards (Basic first, the current card last), tools, damage, Energy, conditions."""

    cards: list[int]
    entered_turn: int
    tools: list[int] = field(default_factory=list)
    damage: int = 0
    energy: list[int] = field(default_factory=lambda: [0] * N_ENERGY)
    poisoned: bool = False
    burned: bool = False
    rot: int = ROT_NONE
    paralysis_left: int = 0
    paralysis_turn: int = 0
    ability_used: bool = False
    evolved_turn: int = -1
    poison_damage: int = -1
    """Poison damage of this Pokémon's Poisoned condition when an effect set it (-1: the rules' value)."""
    moved_active_turn: int = -1
    attack_damaged_turn: int = -1
    """Last turn it was damaged by an opponent's attack while Active."""
    attacks_in_play: int = 0
    """Attacks it has used since it came into play (ir.SinceInPlay)."""
    attack_damaged_times: int = 0
    """Attacks from the opponent's Pokémon that have damaged it since it came into play (ir.SinceInPlay)."""

    @property
    def top(self) -> int:
        """The instance id of the card on top (the Pokémon's current card)."""
        return self.cards[-1]

    @property
    def uid(self) -> int:
        """A stable identity while in play: the instance id of its bottom card."""
        return self.cards[0]

    def clone(self) -> "Pokemon":
        return Pokemon(list(self.cards), self.entered_turn, list(self.tools), self.damage, list(self.energy),
                       self.poisoned, self.burned, self.rot, self.paralysis_left, self.paralysis_turn,
                       self.ability_used, self.evolved_turn, self.poison_damage, self.moved_active_turn,
                       self.attack_damaged_turn, self.attacks_in_play, self.attack_damaged_times)

    def clear_conditions(self) -> None:
        self.poisoned = self.burned = False
        self.rot = ROT_NONE
        self.paralysis_left = 0
        self.poison_damage = -1

    def conditions(self) -> list[str]:
        out = [ROT_NAMES[self.rot]] if self.rot else []
        if self.poisoned:
            out.append("Poisoned")
        if self.burned:
            out.append("Burned")
        return out


@dataclass(slots=True)
class PlayerState:
    """One player's zones, points, Energy Zone and per-turn counters."""

    deck: list[int]
    hand: list[int]
    slots: list[Pokemon | None]
    energy_types: tuple[int, ...]
    discard: list[int] = field(default_factory=list)
    points: int = 0
    energy_current: int = -1
    energy_next: int = -1
    discard_energy: list[int] = field(default_factory=lambda: [0] * N_ENERGY)
    supporters_played: int = 0
    retreats: int = 0
    energy_attached: int = 0
    turns_taken: int = 0
    ko_by_attack_turn: int = -1
    """Last turn one of this player's Pokémon was Knocked Out by damage from an attack."""
    last_attack: str = ""
    last_attack_turn: int = -1
    attack_uses: dict[str, int] = field(default_factory=dict)
    """How many times this player's Pokémon used each attack (by name) this game."""
    knocked_out: int = 0
    """How many of this player's Pokémon have been Knocked Out this game (ir.KnockOutCount)."""

    @property
    def active(self) -> Pokemon | None:
        return self.slots[0]

    def in_play(self) -> list[tuple[int, Pokemon]]:
        """(slot, Pokémon) for every Pokémon in play, Active first."""
        return [(i, p) for i, p in enumerate(self.slots) if p is not None]

    def bench(self) -> list[tuple[int, Pokemon]]:
        return [(i, p) for i, p in enumerate(self.slots) if i > 0 and p is not None]

    def clone(self) -> "PlayerState":
        return PlayerState(list(self.deck), list(self.hand), [p.clone() if p else None for p in self.slots],
                           self.energy_types, list(self.discard), self.points, self.energy_current,
                           self.energy_next, list(self.discard_energy), self.supporters_played, self.retreats,
                           self.energy_attached, self.turns_taken, self.ko_by_attack_turn, self.last_attack,
                           self.last_attack_turn, dict(self.attack_uses), self.knocked_out)


@dataclass(slots=True)
class Duration:
    """An effect that lasts: `data` says what it does; it ends after turn `until` (checked at end of turn).

    `owner` created it. `target` is the uid of the Pokémon it applies to, or -1 for a player-wide effect on
    `player`. Effects on a Pokémon end when it leaves the Active Spot, evolves or leaves play (docs/rules.md).
    """

    owner: int
    player: int
    target: int
    until: int
    data: Any
    source_card: int = -1

    def clone(self) -> "Duration":
        return Duration(self.owner, self.player, self.target, self.until, self.data, self.source_card)


@dataclass(slots=True)
class Pending:
    """A decision the game waits for: who chooses, what kind, among which options.

    The visible part is (chooser, kind, options, optional, prompt). The rest replays the action that asked:
    the state before it, the action, its key, and the choices made so far (see engine.step).
    """

    chooser: int
    kind: str
    options: list[Any]
    optional: bool
    prompt: str
    base: "State"
    action: int
    key: int
    choices: list[int]
    logged: int = 0
    """How many events the action had logged when it asked (a replay skips them: events.py)."""


@dataclass(slots=True)
class State:
    """The whole game. `current_player` is who acts now (a choosing opponent during a pending choice)."""

    players: list[PlayerState]
    card_of: list[int]
    turn: int = 0
    turn_player: int = 0
    current_player: int = 0
    first_player: int = 0
    phase: str = SETUP
    stadium: int = -1
    stadium_owner: int = -1
    durations: list[Duration] = field(default_factory=list)
    winner: int = -1
    terminated: bool = False
    truncated: bool = False
    rewards: tuple[float, float] = (0.0, 0.0)
    pending: Pending | None = None
    step_count: int = 0
    turn_actions: int = 0
    """Actions taken in the current turn (see RulesSpec.max_actions_per_turn)."""
    log: list = field(default_factory=list)
    """The events of the step that made this state (reference/events.py)."""
    engine: Any = None
    """The Engine whose rules this game follows (shared, never copied)."""
    legal_cache: list[int] | None = None
    """The legal actions, computed once (a returned State is never changed)."""

    def clone(self) -> "State":
        return State([p.clone() for p in self.players], self.card_of, self.turn, self.turn_player,
                     self.current_player, self.first_player, self.phase, self.stadium, self.stadium_owner,
                     [d.clone() for d in self.durations], self.winner, self.terminated, self.truncated,
                     self.rewards, self.pending, self.step_count, self.turn_actions, [], self.engine)

    def find(self, uid: int) -> tuple[int, int, Pokemon] | None:
        """(player, slot, Pokémon) of the Pokémon in play with this uid, or None."""
        for pi, pl in enumerate(self.players):
            for si, pk in enumerate(pl.slots):
                if pk is not None and pk.uid == uid:
                    return pi, si, pk
        return None
