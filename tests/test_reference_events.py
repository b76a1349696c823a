"""The reference engine's event log (reference/events.py): each event once across decisions, private details
shown only to their player, and the events a rule produces."""

from __future__ import annotations

import random

from compiler.spec import load_spec
from reference import Engine
from reference.bots import RandomBot
from reference.decks import random_deck
from reference.events import ALL, Event
from reference.session import step_key
from reference.testing import board, mon, side

from tests.conftest import EXAMPLE_SPEC, ROOT


def test_each_event_is_logged_once_across_decisions():
    """The events of the steps from an action through its decisions are exactly the events of the action run at
    once with all its choices: none repeated by the replay, none lost."""
    eng = Engine.from_spec(load_spec(ROOT / "tests/data/pocket-all/spec.yaml"))
    checked = 0
    for seed in range(40):
        rng = random.Random(seed)
        decks = [random_deck(eng, rng, "a"), random_deck(eng, rng, "b")]
        s, bots, since = eng.init(decks, seed), [RandomBot(seed), RandomBot(seed + 1)], []
        while not (s.terminated or s.truncated):
            a = bots[s.current_player].act(eng, s)
            before, s = s, eng.step(s, a, step_key(seed, s))
            since += s.log
            if s.phase != "choice":
                if before.phase == "choice":
                    pend, d = before.pending, eng.layout.decode(a)
                    once = eng._run(pend.base, pend.action, pend.key, pend.choices + [
                        d.index if d.kind == "choose" else -1])
                    assert [str(e) for e in since] == [str(e) for e in once.log], seed
                    checked += 1
                since = []
    assert checked > 20


def test_private_details_are_shown_only_to_their_player():
    e = Event("cards", "player 1 draws 2 cards", 1, "Pikachu, Potion")
    assert e.shown(0) == e.shown(None) == "player 1 draws 2 cards"
    assert e.shown(1) == e.shown(ALL) == str(e) == "player 1 draws 2 cards: Pikachu, Potion"
    assert "Potion" in e


def test_an_attack_logs_its_damage_with_weakness_and_the_knockout():
    eng = Engine.from_spec(load_spec(EXAMPLE_SPEC))
    # Mewtwo ex (Psychic) uses Psychic Sphere (50) on Machop (70 HP, weak to Psychic)
    s = board(eng, side(active=mon("A1-129", energy="PP")), side(active=mon("A1-143"), bench=[mon("A1-143")]))
    after = eng.step(s, eng.layout.attack(0), 1)
    lines = [str(e) for e in after.log]
    assert lines[0] == "player 0's Mewtwo ex uses Psychic Sphere"
    assert lines[1].startswith("player 1's Machop takes 70 damage (50 +20 Weakness), 0/")
    assert lines[2:4] == ["player 1's Machop is knocked out", "player 0 scores 1 point (1 in all)"]
