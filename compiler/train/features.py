"""The observation vector (the generated Env's `observation`, int16, layout `T.OBS_LAYOUT`) as network inputs, and
the same vector computed on the reference engine from `reference.export.encode_observation`.

Card-valued fields hold card indices (-1: none). They go through one learned card embedding: the Active and Bench
cards (`card`), their Tools and the Stadium position by position; the hand, the discard pile and the cards beneath the
Pokémon in play as a bag per player (the sum of the embeddings); the decks are hidden (all -1) and skipped. Every
other field is a number, fed as sign(x) * log(1 + |x|).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

CARD_SLOTS = ("stadium", "card", "tools", "dur_source_card")
"""Card fields fed position by position."""
CARD_BAGS = ("hand", "discard", "stack")
"""Card fields fed as one bag of cards per player."""
SKIPPED = ("deck",)
"""Fields the observer never sees (always -1)."""


@dataclass(frozen=True)
class ObsLayout:
    """Where the network's inputs sit in the observation vector."""

    size: int
    n_cards: int
    n_actions: int
    numeric: tuple
    """Indices of the numeric fields."""
    slots: tuple
    """Indices of the card fields fed position by position."""
    bags: tuple
    """One tuple of indices per bag (field, player)."""
    active: int
    """Index of the observer's Active Pokémon card (`card[observer][0]`)."""

    @classmethod
    def from_tables(cls, T) -> "ObsLayout":
        numeric, slots, bags = [], [], []
        active = -1
        for name, per_player, start, end in T.OBS_LAYOUT:
            idx = list(range(start, end))
            if name in SKIPPED:
                continue
            if name == "card":
                active = start
            if name in CARD_SLOTS:
                slots += idx
            elif name in CARD_BAGS:
                if per_player:
                    half = len(idx) // 2
                    bags += [tuple(idx[:half]), tuple(idx[half:])]
                else:
                    bags.append(tuple(idx))
            else:
                numeric += idx
        if active < 0:
            raise ValueError("the observation layout has no 'card' field")
        return cls(int(T.OBS_SIZE), int(T.N), int(T.NUM_ACTIONS), tuple(numeric), tuple(slots), tuple(bags), active)

    def key(self) -> dict:
        """What a checkpoint records to check it fits an engine."""
        return {"obs_size": self.size, "n_cards": self.n_cards, "n_actions": self.n_actions}


def reference_observation(s, player: int, obs_layout) -> np.ndarray:
    """The generated Env's `flat_observation(core, player)` computed on a reference State: the canonical observation
    (`reference.export.encode_observation`), per-player fields with `player` first, concatenated in layout order."""
    from reference.export import encode_observation

    obs = encode_observation(s, player)
    parts = []
    for name, per_player, start, end in obs_layout:
        x = np.asarray(obs[name]).astype(np.int16)
        if per_player and player == 1:
            x = x[::-1]
        x = x.reshape(-1)
        if x.shape[0] != end - start:
            raise ValueError(f"observation field {name}: {x.shape[0]} values, the layout has {end - start}")
        parts.append(x)
    return np.concatenate(parts)
