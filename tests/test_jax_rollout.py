"""The differential check: full random games on the generated JAX engine and the reference engine from the same keys
and random decks, the canonical state and the legal-action mask compared after every step (DESIGN.md, Verification
level 3). Decks are drawn from the cards the JAX engine compiles."""

from __future__ import annotations

import pytest

from compiler.lower import lower
from compiler.spec import load_spec
from compiler.verify.rollout import diff_fields, run_rollouts

from .conftest import EXAMPLE_SPEC, ROOT

FULL_SPEC = ROOT / "tests" / "data" / "pocket-all" / "spec.yaml"


def check(spec, pkg, games, seed, batch):
    loaded = load_spec(spec)
    refused = {r.card_id for r in lower(loaded).refused}
    res = run_rollouts(loaded, pkg, games, seed=seed, batch=batch, refused_ids=refused)
    assert res.games == games
    assert not res.divergences, "\n\n".join(d.report() for d in res.divergences[:3])
    assert res.finished == games, "every game reaches its end within the step bound"
    return res


def test_a1_random_games_match_the_reference(a1_engine):
    res = check(EXAMPLE_SPEC, a1_engine, games=200, seed=7, batch=100)
    assert res.steps > 200 * 40


@pytest.fixture(scope="module")
def full_engine():
    """The committed engine of every card of the 14 corpus sets (generated/pocket_all, kept current by
    test_build)."""
    from compiler.verify.rollout import load_package

    return load_package(ROOT / "generated" / "pocket_all")


def test_full_pool_random_games_match_the_reference(full_engine):
    check(FULL_SPEC, full_engine, games=100, seed=11, batch=100)


def test_the_check_catches_a_difference():
    """A differing field is reported (the comparison itself can fail)."""
    import numpy as np

    ref = {"damage": np.array([[10, 0], [0, 0]], np.int16), "turn": np.array(3, np.int16)}
    assert diff_fields(ref, {"damage": np.array([[20, 0], [0, 0]]), "turn": np.array(3)}) == {
        "damage": ([[10, 0], [0, 0]], [[20, 0], [0, 0]])}
