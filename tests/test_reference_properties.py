"""Property tests: random games between random bots, random legal decks from the whole corpus pool (the part
the grammar parses into executable IR), checked on every state."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compiler.engine_model.rng import fold_in
from compiler.spec import DeckSpec, check_deck, load_spec
from reference import Engine
from reference.bots import GreedyBot, RandomBot
from reference.decks import random_deck
from reference.export import encode_state
from reference.state import ENERGY_TYPES

from tests.conftest import ROOT

ALL_SPEC = ROOT / "tests" / "data" / "pocket-all" / "spec.yaml"


@pytest.fixture(scope="module")
def loaded():
    return load_spec(ALL_SPEC)


@pytest.fixture(scope="module")
def eng(loaded) -> Engine:
    return Engine.from_spec(loaded)


def zones(s) -> Counter:
    """How many times each card instance appears across every zone."""
    c: Counter = Counter()
    for pl in s.players:
        c.update(pl.deck)
        c.update(pl.hand)
        c.update(pl.discard)
        for pk in pl.slots:
            if pk is not None:
                c.update(pk.cards)
                c.update(pk.tools)
    if s.stadium >= 0:
        c[s.stadium] += 1
    return c


def play(eng, seed: int, bot_cls=RandomBot, check=None):
    rng = random.Random(seed)
    decks = [random_deck(eng, rng), random_deck(eng, rng)]
    s = eng.init(decks, seed)
    bots = [bot_cls(seed), bot_cls(seed + 1)]
    states = [s]
    while not (s.terminated or s.truncated):
        a = bots[s.current_player].act(eng, s)
        s = eng.step(s, a, fold_in(seed, s.step_count))
        states.append(s)
        assert len(states) < 5000, "game does not end"
    return decks, states


def check_invariants(eng, states):
    n_inst = 2 * eng.rules.deck_size
    prev_points = [0, 0]
    for s in states:
        z = zones(s)
        assert sorted(z) == list(range(n_inst)) and set(z.values()) == {1}, "each card in exactly one zone"
        from reference.game import Game

        g = Game(eng, s, 0, [])
        for p, pl in enumerate(s.players):
            for pk in pl.slots:
                if pk is not None:
                    assert 0 <= pk.damage <= g.max_hp(p, pk), "damage within HP"
            assert pl.points >= prev_points[p], "points never decrease"
            prev_points[p] = pl.points
            assert len(pl.hand) <= eng.rules.hand_limit
        assert s.turn <= eng.rules.turn_limit
        if not (s.terminated or s.truncated):
            assert eng.legal_actions(s), "a legal action exists until the game ends"
    assert states[-1].terminated or states[-1].truncated


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**31 - 1))
def test_random_games_keep_every_invariant(eng, seed):
    decks, states = play(eng, seed)
    check_invariants(eng, states)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**31 - 1))
def test_greedy_games_keep_every_invariant(eng, seed):
    _, states = play(eng, seed, GreedyBot)
    check_invariants(eng, states)


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**31 - 1))
def test_same_key_same_game(eng, seed):
    _, a = play(eng, seed)
    _, b = play(eng, seed)
    assert len(a) == len(b)
    for x, y in zip(a, b):
        ex, ey = encode_state(x), encode_state(y)
        assert all((ex[k] == ey[k]).all() for k in ex)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**31 - 1))
def test_random_decks_are_legal_and_executable(eng, loaded, seed):
    deck = random_deck(eng, random.Random(seed))
    counts = Counter(eng.db[i].id for i in deck.cards)
    spec = DeckSpec(name="r", energy=[ENERGY_TYPES[t] for t in deck.energy], cards=dict(counts))
    assert check_deck(spec, loaded.cards, eng.rules, "random", {}, 0) == []
    assert all(eng.db[i].executable for i in deck.cards)


def test_most_of_the_pool_is_playable(eng):
    playable = sum(c.executable for c in eng.db.cards)
    assert playable >= 0.5 * len(eng.db), f"only {playable}/{len(eng.db)} cards executable"
