"""The event log of a step: what happened, in order, as readable lines (`State.log`).

Events only record; no rule reads them. A step's state holds the events of that step alone: after a decision
the engine replays the action and keeps only the events after the ones already logged (engine.step), so each
event is logged once. An event may carry a private `detail` that only one player sees (the cards a player drew).
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("turn", "action", "damage", "heal", "condition", "energy", "cards", "coin", "ko", "points", "over", "info")
"""Event kinds (what a display may colour)."""
ALL = -2
"""A viewer who sees every private detail (a replay)."""


@dataclass(frozen=True, slots=True)
class Event:
    kind: str
    text: str
    private: int = -1
    """The player who sees `detail` (-1: none)."""
    detail: str = ""

    def shown(self, viewer: int | None) -> str:
        """The line `viewer` (a player, None for a spectator, ALL) sees."""
        if self.detail and (self.private < 0 or viewer == ALL or viewer == self.private):
            return f"{self.text}: {self.detail}"
        return self.text

    def __str__(self) -> str:
        return self.shown(ALL)

    def __contains__(self, part: str) -> bool:
        return part in str(self)


def names(cards) -> str:
    """Card names as a list: 'Pikachu, Potion'."""
    return ", ".join(c.name for c in cards)
