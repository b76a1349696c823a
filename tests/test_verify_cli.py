"""`tcgc verify`: the property and rollout levels pass on the committed A1 engine, catch broken states and a mutated
engine, and write a reproducer that `tcgc play --replay` steps through on both engines (docs/verify.md)."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from compiler.cli import main
from compiler.lower import lower
from compiler.spec import load_spec
from compiler.verify.properties import run_properties

from .conftest import EXAMPLE_SPEC, ROOT

A1 = ROOT / "generated" / "pocket_a1"


def test_the_committed_a1_engine_passes_both_levels():
    r = CliRunner().invoke(main, ["verify", str(EXAMPLE_SPEC), "--package", str(A1), "--games", "12",
                                  "--batch", "16", "--seed", "3", "--json"])
    assert r.exit_code == 0, r.output[-3000:]
    rep = json.loads(r.output)
    prop, roll = rep["levels"]["property"], rep["levels"]["rollout"]
    assert prop["games"] == roll["games"] == 12 and prop["finished"] == roll["finished"] == 12
    assert prop["violations"] == [] and roll["divergences"] == []
    assert prop["states_checked"] > 12 * 30 and roll["steps"] > 12 * 30


def test_interaction_on_named_cards_of_the_committed_engine():
    """Constructed boards for the effects of a few cards (a coin, a Paralysis, a lasting effect, a choice of
    target, a Supporter): both engines agree, every effect is applied and each coin is forced both ways."""
    r = CliRunner().invoke(main, ["verify", str(EXAMPLE_SPEC), "--package", str(A1), "--level", "interaction",
                                  "--cards", "Articuno,Omastar", "--cards", "Seadra", "--cards", "A1-225",
                                  "--batch", "16", "--json"])
    assert r.exit_code == 0, r.output[-3000:]
    inter = json.loads(r.output)["levels"]["interaction"]
    cov = inter["coverage"]
    assert inter["divergences"] == [] and inter["paths"] >= 20 and inter["steps"] > inter["paths"]
    assert cov["effects"] == cov["covered"] == 4 and cov["not_covered"] == []
    assert cov["with_coins"] == cov["coins_both_ways"] == 1  # Articuno's Ice Beam
    assert cov["with_decisions"] >= 2  # Seadra's target, Sabrina's switch


def test_vmap_equals_a_loop_is_checked(a1_engine):
    loaded = load_spec(EXAMPLE_SPEC)
    refused = {r.card_id for r in lower(loaded).refused}
    res = run_properties(loaded, a1_engine, 2, seed=4, batch=16, refused_ids=refused, loop_games=1)
    assert res.violations == [] and res.checks["vmap equals a loop"] == 1


def test_broken_states_are_reported_by_property(a1_engine):
    """The invariants can fail: states doctored the way real bugs would break them are each reported."""
    loaded = load_spec(EXAMPLE_SPEC)
    refused = {r.card_id for r in lower(loaded).refused}

    def mutate(c, game):
        c = {k: v.copy() for k, v in c.items()}
        if game == 0 and int(c["turn"]) >= 3:  # a card copied into the hand
            free = list(c["hand"][0]).index(-1)
            c["hand"][0][free] = c["deck"][0][0] if c["deck"][0][0] >= 0 else c["card"][0][0]
        if game == 1 and int(c["turn"]) >= 3:  # damage that is not a multiple of 10
            c["damage"][0][0] = 15 if c["card"][0][0] >= 0 else c["damage"][0][0]
        if game == 2 and int(c["turn"]) >= 4:  # a point taken back
            c["points"][:] = -1
        if game == 3 and not (c["terminated"] or c["truncated"]) and int(c["turn"]) >= 3:
            return None
        return c

    res = run_properties(loaded, a1_engine, 4, seed=5, batch=4, refused_ids=refused, mutate=mutate)
    broken = {v.game: v.prop for v in res.violations}
    assert broken.get(0) == "each card in exactly one zone"
    assert broken.get(1) == "damage within HP"
    assert broken.get(2) in ("points never decrease", "points within bounds")
    assert 3 not in broken and res.finished == 1
    assert all(v.actions and v.decks for v in res.violations)


def test_bad_input_exits_2(tmp_path):
    r = CliRunner().invoke(main, ["verify", str(EXAMPLE_SPEC), "--policy", str(tmp_path / "p.npz")])
    assert r.exit_code == 2 and "--policy is for --level policy" in r.output
    r = CliRunner().invoke(main, ["verify", str(EXAMPLE_SPEC), "--level", "interaction", "--cards", "Pikachu,Nobody"])
    assert r.exit_code == 2 and "no card named 'Nobody'" in r.output and "Traceback" not in r.output
    r = CliRunner().invoke(main, ["verify", str(EXAMPLE_SPEC), "--level", "sideways"])
    assert r.exit_code == 2 and "sideways" in r.output
    r = CliRunner().invoke(main, ["verify", str(EXAMPLE_SPEC), "--games", "0"])
    assert r.exit_code == 2
    r = CliRunner().invoke(main, ["verify", str(EXAMPLE_SPEC), "--package", str(tmp_path)])
    assert r.exit_code == 2 and "MANIFEST" in r.output and "Traceback" not in r.output
    r = CliRunner().invoke(main, ["verify", str(tmp_path / "none.yaml")])
    assert r.exit_code == 2
    bad = tmp_path / "spec.yaml"
    bad.write_text("game: [\n")
    r = CliRunner().invoke(main, ["verify", str(bad)])
    assert r.exit_code == 2 and "spec.yaml" in r.output and "Traceback" not in r.output


def mutant(dest, module: str, line: str, replacement: str):
    """A copy of the committed A1 engine at `dest` with one line of runtime/`module` replaced (a bug it could have)."""
    shutil.copytree(A1, dest)
    path = dest / "runtime" / module
    src = path.read_text()
    assert src.count(line) == 1
    path.write_text(src.replace(line, replacement))
    return dest


@pytest.fixture(scope="module")
def weakless(tmp_path_factory):
    """The committed engine with Weakness skipped (the runtime's weakness bonus never added)."""
    return mutant(tmp_path_factory.mktemp("mut") / "pocket_a1_weakless", "effects.py",
                  'dmg = dmg + jnp.where(is_weak, R["weakness_bonus"], 0)', "dmg = dmg + jnp.where(is_weak, 0, 0)")


def test_a_skipped_weakness_is_caught_with_a_replayable_reproducer(weakless, tmp_path):
    repro = tmp_path / "div.json"
    r = CliRunner().invoke(main, ["verify", str(EXAMPLE_SPEC), "--package", str(weakless), "--level", "rollout",
                                  "--games", "48", "--batch", "48", "--seed", "1", "--reproducer", str(repro)])
    assert r.exit_code == 1, r.output[-3000:]
    assert "divergence" in r.output and "damage: reference" in r.output
    assert "attack:" in r.output, "the report names the action that diverged"
    rec = json.loads(repro.read_text())
    assert rec["actions"] and rec["divergence"]["fields"]
    # the reference engine steps through the reproducer; the mutated JAX engine is caught at the same step
    ref = CliRunner().invoke(main, ["play", "--replay", str(repro)])
    assert ref.exit_code == 0, ref.output[-3000:]
    jx = CliRunner().invoke(main, ["play", "--replay", str(repro), "--engine", "jax", "--package", str(weakless)])
    assert jx.exit_code == 1, jx.output[-3000:]
    assert "damage" in jx.output


def test_a_leaked_hand_is_caught_by_property(tmp_path):
    """The engine with the opponent's hand left in the observation: the property level reports it."""
    dest = mutant(tmp_path / "pocket_a1_leaky", "env.py", 'out["hand"] = out["hand"].at[opp].set(-1)', "pass")
    r = CliRunner().invoke(main, ["verify", str(EXAMPLE_SPEC), "--package", str(dest), "--level", "property",
                                  "--games", "4", "--batch", "4"])
    assert r.exit_code == 1, r.output[-3000:]
    assert "observations hide the opponent's hand" in r.output
