"""Running games outside tests: choosing decks for a spec, the key of each step, a bot-vs-bot loop. Used by
`tcgc play` and `tcgc bench` (the board as text: board.py)."""

from __future__ import annotations

import random
from dataclasses import dataclass

from compiler.diagnostics import Diagnostic, SpecError
from compiler.engine_model.rng import fold_in

from .engine import Deck, Engine
from .state import State


def pick_decks(engine: Engine, loaded, names: tuple[str, ...], random_decks: bool, rng: random.Random,
               source: str) -> list[Deck]:
    """Two decks: named spec decks, random decks from the executable pool, or the spec's first two decks."""
    from .decks import random_deck

    if random_decks:
        return [random_deck(engine, rng, f"random-{i}") for i in range(2)]
    by_name = {d.name: d for d in loaded.spec.decks}
    if names:
        missing = [n for n in names if n not in by_name]
        if missing:
            raise SpecError(Diagnostic(source, f"unknown deck {missing[0]!r}; the spec has: "
                                       + (", ".join(by_name) or "no decks")))
        chosen = list(names) if len(names) == 2 else [names[0], names[0]]
    else:
        if not loaded.spec.decks:
            raise SpecError(Diagnostic(source, "the spec has no decks: pass --random-decks"))
        chosen = [d.name for d in loaded.spec.decks[:2]]
        if len(chosen) == 1:
            chosen *= 2
    return [engine.deck_from_spec(by_name[n]) for n in chosen]


def step_key(seed: int, s: State) -> int:
    """The key of the next step of a game played with `seed`."""
    return fold_in(seed, s.step_count)


@dataclass
class GameResult:
    winner: int
    steps: int
    turns: int
    truncated: bool


def play_bots(engine: Engine, decks: list[Deck], seed: int, bots) -> GameResult:
    """Play one game between two bots (objects with `act(engine, state)`)."""
    s = engine.init(decks, seed)
    steps = 0
    while not (s.terminated or s.truncated):
        s = engine.step(s, bots[s.current_player].act(engine, s), step_key(seed, s))
        steps += 1
    return GameResult(s.winner, steps, s.turn, s.truncated)
