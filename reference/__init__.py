"""The plain-Python reference engine: the executable definition of the rules.

    eng = Engine.from_spec(load_spec("examples/pocket-a1/spec.yaml"))
    s = eng.init([eng.deck_from_spec(d) for d in spec.decks[:2]], key=1)
    while not (s.terminated or s.truncated):
        s = eng.step(s, eng.legal_actions(s)[0], key)

Module-level `init / legal_actions / legal_action_mask / step / observe` are the same calls, with the engine
taken from the state.
"""

from __future__ import annotations

from .engine import Deck, Engine, IllegalAction
from .state import State


def init(loaded, decks=None, key: int = 0) -> State:
    """A new game for a LoadedSpec: `decks` are two Decks or deck names (default: the spec's first two decks)."""
    eng = Engine.from_spec(loaded)
    if decks is None:
        decks = [d.name for d in loaded.spec.decks[:2]]
    by_name = {d.name: d for d in loaded.spec.decks}
    decks = [eng.deck_from_spec(by_name[d]) if isinstance(d, str) else d for d in decks]
    return eng.init(decks, key)


def legal_actions(s: State) -> list[int]:
    return s.engine.legal_actions(s)


def legal_action_mask(s: State) -> list[bool]:
    return s.engine.legal_action_mask(s)


def step(s: State, action: int, key: int) -> State:
    return s.engine.step(s, action, key)


def observe(s: State, player: int) -> dict:
    return s.engine.observe(s, player)


def rewards(s: State) -> tuple[float, float]:
    return s.rewards


__all__ = ["Deck", "Engine", "IllegalAction", "State", "init", "legal_actions", "legal_action_mask", "step",
           "observe", "rewards"]
