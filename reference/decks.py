"""Decks for games: the spec's decks, or random legal decks drawn from the executable part of the pool."""

from __future__ import annotations

import random
from collections import Counter

from .cards import CardDB, CardInfo
from .engine import Deck, Engine
from .state import COLORLESS, ENERGY_TYPES


def playable_cards(db: CardDB) -> list[CardInfo]:
    """Cards whose every effect the engine can execute (random decks draw only from these)."""
    return [c for c in db.cards if c.executable]


def deck_pool(engine: Engine) -> tuple:
    """(playable cards, Basics, evolutions, trainers, fossil names, filler cards), computed once per engine."""
    cached = getattr(engine, "_deck_pool", None)
    if cached is None:
        pool = playable_cards(engine.db)
        cached = (pool, [c for c in pool if c.is_basic], [c for c in pool if c.kind == "pokemon" and c.stage > 0],
                  [c for c in pool if c.kind != "pokemon"], {c.name for c in pool if c.is_fossil},
                  [c for c in pool if c.plays_as_basic or c.kind != "pokemon"])
        engine._deck_pool = cached
    return cached


def random_deck(engine: Engine, rng: random.Random, name: str = "random") -> Deck:
    """A legal deck: Basic Pokémon, evolutions whose pre-evolution is in the deck, and trainers.

    Energy types: the typed Energy the deck's attacks need (at most the rules' limit; a random type when none)."""
    db, r = engine.db, engine.rules
    pool, basics, evolutions, trainers, fossil_names, filler = deck_pool(engine)
    if not basics:
        raise ValueError("the pool has no executable Basic Pokémon")
    names: Counter[str] = Counter()
    cards: list[int] = []
    in_deck: set[str] = set()

    def add(c: CardInfo, n: int) -> None:
        n = min(n, r.max_copies_per_name - names[c.name], r.deck_size - len(cards))
        if n > 0:
            cards.extend([c.index] * n)
            names[c.name] += n
            in_deck.add(c.name)

    add(rng.choice(basics), 2)
    tries = 0
    while len(cards) < r.deck_size and tries < 2000:
        tries += 1
        roll = rng.random()
        if roll < 0.35:
            c = rng.choice(basics)
        elif roll < 0.65:
            options = [e for e in evolutions if e.evolves_from in in_deck and names[e.name] < r.max_copies_per_name]
            if not options:
                continue
            c = rng.choice(options)
        else:
            if not trainers:
                continue
            c = rng.choice(trainers)
            if c.is_fossil and c.name not in fossil_names:
                continue
        add(c, rng.choice((1, 2)))
    while len(cards) < r.deck_size:
        add(rng.choice(filler), 1)
    need = Counter()
    for i in cards:
        for a in db[i].attacks:
            for t in a.cost:
                if t < COLORLESS and t < len(ENERGY_TYPES):
                    need[t] += 1
    types = [t for t, _ in need.most_common(r.max_energy_types)]
    if not types:
        types = [rng.randrange(len(ENERGY_TYPES))]
    return Deck(name, tuple(types), tuple(sorted(cards)))
