"""The flat action layout (stable names) and the canonical state encoding."""

from __future__ import annotations

import numpy as np

from compiler.engine_model.actions import ActionLayout
from compiler.engine_model.encoding import StateLayout
from compiler.spec import RulesSpec
from reference.export import encode_state
from reference.testing import board, engine, mon, side

from tests.test_reference_pool import RULES_POOL


def test_pocket_layout_names_are_stable():
    lay = ActionLayout.from_rules(RulesSpec(), max_attacks=2)
    names = lay.names()
    assert len(names) == len(set(names)) == lay.size == 1 + 4 + 10 + 40 + 3 + 2 + 4 + 20 + 1
    assert names[:6] == ["end_turn", "attach_energy:active", "attach_energy:bench1", "attach_energy:bench2",
                         "attach_energy:bench3", "play:hand0"]
    assert names[lay.play_on(2, 1)] == "play_on:hand2:bench1"
    assert names[lay.retreat(3)] == "retreat:bench3" and names[lay.attack(1)] == "attack:1"
    assert names[lay.choose(19)] == "choose:19" and names[-1] == "choose_done"


def test_layout_grows_with_the_rules():
    small = ActionLayout.from_rules(RulesSpec(), 2)
    big = ActionLayout.from_rules(RulesSpec(bench_size=5, hand_limit=12), 3)
    assert big.size > small.size and big.name(big.retreat(5)) == "retreat:bench5"


def test_decode_inverts_every_encoder():
    lay = ActionLayout.from_rules(RulesSpec(), 2)
    for a in range(lay.size):
        d = lay.decode(a)
        again = {"end_turn": lambda: lay.end_turn(), "attach_energy": lambda: lay.attach_energy(d.slot),
                 "play": lambda: lay.play(d.hand), "play_on": lambda: lay.play_on(d.hand, d.slot),
                 "retreat": lambda: lay.retreat(d.slot), "attack": lambda: lay.attack(d.index),
                 "ability": lambda: lay.ability(d.slot), "choose": lambda: lay.choose(d.index),
                 "choose_done": lambda: lay.choose_done()}[d.kind]()
        assert again == a


def test_canonical_encoding_of_a_constructed_state():
    eng = engine(RULES_POOL)
    s = board(eng, side(active=mon("T-001", "T-002", damage=30, energy="LLW", tools=["T-103"],
                                   conditions=("Poisoned", "Asleep")), hand=["T-101"], deck=["T-003", "T-004"],
                        discard_energy="R", points=1),
              side(active=mon("T-003"), bench=[None, mon("T-007")]))
    enc = encode_state(s)
    lay = StateLayout.from_rules(eng.rules, eng.layout.max_options)
    for name, (shape, dtype) in lay.fields().items():
        assert enc[name].shape == shape and enc[name].dtype == dtype, name
    idx = eng.db.by_id
    assert enc["card"][0].tolist() == [idx["T-002"], -1, -1, -1]
    assert enc["stack"][0, 0].tolist() == [idx["T-001"], idx["T-002"], -1]
    assert enc["tools"][0, 0].tolist() == [idx["T-103"]]
    assert enc["damage"][0, 0] == 30 and enc["energy"][0, 0].tolist() == [0, 0, 1, 2, 0, 0, 0, 0]
    assert bool(enc["poisoned"][0, 0]) and enc["rot"][0, 0] == 1
    assert enc["card"][1].tolist() == [idx["T-003"], -1, idx["T-007"], -1]
    assert enc["hand"][0].tolist() == [idx["T-101"]] + [-1] * 9
    assert enc["deck"][0, :3].tolist() == [idx["T-003"], idx["T-004"], -1]
    assert enc["discard_energy"][0].tolist() == [0, 1, 0, 0, 0, 0, 0, 0]
    assert enc["points"].tolist() == [1, 0] and enc["phase"] == 1 and enc["pending_kind"] == 0
    assert np.all(enc["dur_op"] == -1)


def test_encoding_of_a_pending_choice():
    eng = engine(RULES_POOL)
    s = board(eng, side(active=mon("T-003", energy="FF")), side(active=mon("T-001"), bench=[mon("T-007"),
                                                                                            mon("T-004")]))
    mid = eng.step(s, eng.layout.attack(0), 1)
    enc = encode_state(mid)
    assert enc["phase"] == 2 and enc["pending_chooser"] == 1 and enc["pending_kind"] == 1
    assert enc["pending_options"][:3].tolist() == [1, 2, -1]


def test_observation_encoding_hides_the_opponents_hand_and_every_deck():
    from reference.export import encode_observation

    eng = engine(RULES_POOL)
    s = board(eng, side(active=mon("T-001"), hand=["T-002"], deck=["T-003", "T-004"]),
              side(active=mon("T-001"), hand=["T-005", "T-006"], deck=["T-007"]))
    obs = encode_observation(s, 0)
    idx = eng.db.by_id
    assert obs["hand"][0, 0] == idx["T-002"] and (obs["hand"][1] == -1).all() and (obs["deck"] == -1).all()
    assert obs["hand_count"].tolist() == [1, 2] and obs["deck_count"].tolist() == [2, 1]
    assert (encode_observation(s, 1)["hand"][1, :2] == [idx["T-005"], idx["T-006"]]).all()
