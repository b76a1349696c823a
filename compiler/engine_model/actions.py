"""The flat discrete action space, derived from the rules and the pool, with a stable name per action.

Slots: slot 0 is the Active Spot, slots 1..bench_size the Bench (names `active`, `bench1`, ...).
Groups, in this order (see docs/engine-model.md):

| group          | count                 | meaning                                                          |
|----------------|-----------------------|------------------------------------------------------------------|
| end_turn       | 1                     | end the turn (in setup: done placing Pokémon)                    |
| attach_energy  | S                     | attach the Energy Zone's current Energy to slot s                |
| play           | H                     | play hand card h (Basic/fossil to Bench or Active in setup;      |
|                |                       | item, supporter, stadium)                                        |
| play_on        | H * S                 | play hand card h onto slot s (evolve, attach a Pokémon Tool)     |
| retreat        | B                     | retreat the Active, promoting Bench slot b                       |
| attack         | A                     | use attack k of the Active Pokémon                               |
| ability        | S                     | use the Ability of slot s (a fossil in play: discard it)         |
| choose         | M                     | pick option i of the pending choice                              |
| choose_done    | 1                     | decline an optional choice / stop choosing more                  |

S = 1 + bench_size, H = hand_limit, B = bench_size, A = max attacks on one card in the pool, M = max options.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple


class Slot:
    ACTIVE = 0


class Action(NamedTuple):
    """A decoded action: its group and its arguments (hand index, slot, attack index or option)."""

    kind: str
    hand: int = -1
    slot: int = -1
    index: int = -1


GROUPS = ("end_turn", "attach_energy", "play", "play_on", "retreat", "attack", "ability", "choose", "choose_done")


def slot_name(s: int) -> str:
    return "active" if s == 0 else f"bench{s}"


@dataclass(frozen=True)
class ActionLayout:
    """Sizes of the action groups; `names()` lists the stable action names in index order."""

    bench_size: int
    hand_limit: int
    max_attacks: int
    max_options: int

    @classmethod
    def from_rules(cls, rules, max_attacks: int) -> "ActionLayout":
        """The layout for a RulesSpec and the largest number of attacks on a card of the pool."""
        slots = 1 + rules.bench_size
        max_options = max(rules.deck_size, rules.hand_limit, 2 * slots, 8)
        return cls(rules.bench_size, rules.hand_limit, max(1, max_attacks), max_options)

    @property
    def slots(self) -> int:
        return 1 + self.bench_size

    @cached_property
    def sizes(self) -> dict[str, int]:
        S, H = self.slots, self.hand_limit
        return {"end_turn": 1, "attach_energy": S, "play": H, "play_on": H * S, "retreat": self.bench_size,
                "attack": self.max_attacks, "ability": S, "choose": self.max_options, "choose_done": 1}

    @cached_property
    def offsets(self) -> dict[str, int]:
        out, n = {}, 0
        for g in GROUPS:
            out[g] = n
            n += self.sizes[g]
        return out

    @property
    def size(self) -> int:
        return sum(self.sizes.values())

    # --- encode / decode ------------------------------------------------------------------------------------------
    def end_turn(self) -> int:
        return self.offsets["end_turn"]

    def attach_energy(self, slot: int) -> int:
        return self.offsets["attach_energy"] + slot

    def play(self, hand: int) -> int:
        return self.offsets["play"] + hand

    def play_on(self, hand: int, slot: int) -> int:
        return self.offsets["play_on"] + hand * self.slots + slot

    def retreat(self, bench_slot: int) -> int:
        """Retreat to Bench slot `bench_slot` (1..bench_size)."""
        return self.offsets["retreat"] + bench_slot - 1

    def attack(self, k: int) -> int:
        return self.offsets["attack"] + k

    def ability(self, slot: int) -> int:
        return self.offsets["ability"] + slot

    def choose(self, i: int) -> int:
        return self.offsets["choose"] + i

    def choose_done(self) -> int:
        return self.offsets["choose_done"]

    def decode(self, action: int) -> Action:
        """The group and arguments of an action index; ValueError when out of range."""
        if not 0 <= action < self.size:
            raise ValueError(f"action {action} out of range 0..{self.size - 1}")
        for g in reversed(GROUPS):
            off = self.offsets[g]
            if action >= off:
                i = action - off
                if g == "attach_energy" or g == "ability":
                    return Action(g, slot=i)
                if g == "play":
                    return Action(g, hand=i)
                if g == "play_on":
                    return Action(g, hand=i // self.slots, slot=i % self.slots)
                if g == "retreat":
                    return Action(g, slot=i + 1)
                if g in ("attack", "choose"):
                    return Action(g, index=i)
                return Action(g)
        raise AssertionError("unreachable")

    def name(self, action: int) -> str:
        a = self.decode(action)
        if a.kind in ("end_turn", "choose_done"):
            return a.kind
        if a.kind in ("attach_energy", "ability", "retreat"):
            return f"{a.kind}:{slot_name(a.slot)}"
        if a.kind == "play":
            return f"play:hand{a.hand}"
        if a.kind == "play_on":
            return f"play_on:hand{a.hand}:{slot_name(a.slot)}"
        return f"{a.kind}:{a.index}"

    def names(self) -> list[str]:
        """Every action's stable name, in index order."""
        return [self.name(i) for i in range(self.size)]
