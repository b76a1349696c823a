"""The canonical array encoding of a game state: field names, shapes and dtypes, derived from the rules.

Both engines export states into this layout (the JAX engine's State *is* this layout) and states are compared
field by field. Conventions: cards are card-pool indices (int16), -1 pads empty entries; Energy types are indices
into ENERGY_TYPES (Grass..Metal); slots are 0 = Active, 1..bench_size = Bench; Pokémon references in durations are
flattened slots `player * (1 + bench_size) + slot`. See docs/engine-model.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

PHASES = ("setup", "main", "choice", "over")
PENDING_KINDS = ("none", "promote", "pokemon", "energy", "card", "condition", "optional", "attack", "option")
ROT = ("none", "asleep", "paralyzed", "confused")
N_ENERGY = 8
MAX_STACK = 3
"""Cards in one evolution stack: Basic (or fossil), Stage 1, Stage 2."""
MAX_DURATIONS = 16


@dataclass(frozen=True)
class StateLayout:
    """Shapes and dtypes of every field of the canonical state."""

    bench_size: int
    deck_size: int
    hand_limit: int
    tools_per_pokemon: int
    max_energy_types: int
    max_options: int

    @classmethod
    def from_rules(cls, rules, max_options: int) -> "StateLayout":
        return cls(rules.bench_size, rules.deck_size, rules.hand_limit, max(1, rules.tools_per_pokemon),
                   rules.max_energy_types, max_options)

    def fields(self) -> dict[str, tuple[tuple[int, ...], np.dtype]]:
        S, D, H = 1 + self.bench_size, self.deck_size, self.hand_limit
        i8, i16, b = np.dtype(np.int8), np.dtype(np.int16), np.dtype(np.bool_)
        return {
            # game
            "turn": ((), i16), "turn_actions": ((), i16), "turn_player": ((), i8), "current_player": ((), i8),
            "first_player": ((), i8),
            "phase": ((), i8), "winner": ((), i8), "terminated": ((), b), "truncated": ((), b),
            "stadium": ((), i16), "stadium_owner": ((), i8),
            # players
            "points": ((2,), i8), "deck": ((2, D), i16), "hand": ((2, H), i16), "discard": ((2, D), i16),
            "discard_energy": ((2, N_ENERGY), i8), "energy_types": ((2, self.max_energy_types), i8),
            "energy_current": ((2,), i8), "energy_next": ((2,), i8), "supporters_played": ((2,), i8),
            "retreats": ((2,), i8), "energy_attached": ((2,), i8), "turns_taken": ((2,), i8),
            "ko_by_attack_turn": ((2,), i16), "last_attack": ((2,), i16), "last_attack_turn": ((2,), i16),
            # Pokémon in play
            "card": ((2, S), i16), "stack": ((2, S, MAX_STACK), i16), "tools": ((2, S, self.tools_per_pokemon), i16),
            "damage": ((2, S), i16), "energy": ((2, S, N_ENERGY), i8), "poisoned": ((2, S), b),
            "burned": ((2, S), b), "rot": ((2, S), i8), "paralysis_left": ((2, S), i8),
            "paralysis_turn": ((2, S), i16), "entered_turn": ((2, S), i16), "evolved_turn": ((2, S), i16),
            "ability_used": ((2, S), b), "poison_damage": ((2, S), i16), "moved_active_turn": ((2, S), i16),
            "attack_damaged_turn": ((2, S), i16),
            # lasting effects
            "dur_owner": ((MAX_DURATIONS,), i8), "dur_player": ((MAX_DURATIONS,), i8),
            "dur_target": ((MAX_DURATIONS,), i8), "dur_until": ((MAX_DURATIONS,), i16),
            "dur_source_card": ((MAX_DURATIONS,), i16), "dur_op": ((MAX_DURATIONS,), i8),
            # pending choice
            "pending_chooser": ((), i8), "pending_kind": ((), i8), "pending_optional": ((), b),
            "pending_options": ((self.max_options,), i16),
        }

    def empty(self) -> dict[str, np.ndarray]:
        """Every field filled with its padding value (-1 for ints, False for bools)."""
        return {k: np.full(shape, False if dt == np.bool_ else -1, dtype=dt) for k, (shape, dt) in self.fields().items()}
