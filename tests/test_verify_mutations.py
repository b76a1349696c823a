"""A wrong engine is caught (docs/verify.md, "Tests that the verifier can fail"): the committed A1 engine with one
known mutation (compiler/verify/mutations.py) is verified at the level that should catch it, which must report it
with a reproducer; the reproducer replays on the reference engine, and (for one mutant per reproducer kind) the
mutated JAX engine replays it to the difference.

Each mutant is a separate package, so each costs one compile of the batched step (one batch size, BATCH, for every
level); the JAX replays compile the single-game step once more.
"""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from compiler.cli import main
from compiler.verify.mutations import MUTATIONS, mutant

from .conftest import EXAMPLE_SPEC, ROOT

A1 = ROOT / "generated" / "pocket_a1"
BATCH = "16"

CASES = {
    # mutation: (level, extra arguments, a field or text the report must name, or several)
    "off_by_one_damage": ("rollout", ["--games", "16", "--seed", "2"], "damage: reference"),
    "coin_address": ("interaction", ["--cards", "Pinsir"], ("'Double Horn'", "after step 1 (action attack:0)")),
    "lasting_never_expires": ("interaction", ["--cards", "Omastar"], "dur_"),
    "paralysis_ends_early": ("interaction", ["--cards", "Articuno"], "rot: reference"),
    "retreat_mask_left_on": ("interaction", ["--cards", "Articuno,Sabrina"], "legal_action_mask"),
    "target_option_order": ("interaction", ["--cards", "Seadra"], "pending_options"),
    "hand_leak": ("interaction", ["--cards", "Sabrina"], "observation[0].hand"),
}
DEFAULT = ("off_by_one_damage", "paralysis_ends_early")
"""The mutants run by default (a rollout one and an interaction one; test_verify_cli.py runs a skipped Weakness and
a leaked hand). TCGC_MUTANTS=all runs every case (about one compile of the A1 engine each), TCGC_MUTANTS=a,b some."""
RUN = tuple(CASES) if os.environ.get("TCGC_MUTANTS") == "all" else \
    tuple(n for n in os.environ.get("TCGC_MUTANTS", ",".join(DEFAULT)).split(",") if n in CASES)
REPLAY_ON_JAX = {"paralysis_ends_early"}
"""Mutants whose reproducer is also replayed on the mutated JAX engine (a board recording; the rollout kind is
replayed in test_verify_cli.py)."""


def test_every_mutation_has_a_case():
    assert set(CASES) | {"skipped_weakness"} == set(MUTATIONS)
    for name, (level, _, _) in CASES.items():
        assert MUTATIONS[name].level in (level, "property", "rollout")


def test_a_patch_that_no_longer_applies_is_an_error(tmp_path, monkeypatch):
    from compiler.verify import mutations

    m = mutations.MUTATIONS["coin_address"]
    monkeypatch.setitem(mutations.MUTATIONS, "coin_address",
                        mutations.Mutation(m.name, m.what, m.file, (("no such text", "x"),), m.level))
    with pytest.raises(AssertionError, match="runtime changed"):
        mutant(A1, tmp_path / "pocket_a1_x", "coin_address")


@pytest.mark.parametrize("name", sorted(RUN))
def test_a_mutation_is_caught(name, tmp_path):
    level, extra, expect = CASES[name]
    pkg = mutant(A1, tmp_path / f"pocket_a1_{name}", name)
    repro = tmp_path / "div.json"
    r = CliRunner().invoke(main, ["verify", str(EXAMPLE_SPEC), "--package", str(pkg), "--level", level,
                                  "--batch", BATCH, "--reproducer", str(repro), *extra])
    assert r.exit_code == 1, f"{name} ({MUTATIONS[name].what}) was not caught by {level}:\n{r.output[-3000:]}"
    for part in (expect,) if isinstance(expect, str) else expect:
        assert part in r.output, r.output[-3000:]
    rec = json.loads(repro.read_text())
    assert rec["actions"] is not None and rec["divergence"]["fields"]
    ref = CliRunner().invoke(main, ["play", "--replay", str(repro)])
    assert ref.exit_code == 0, ref.output[-3000:]
    if name in REPLAY_ON_JAX:
        jx = CliRunner().invoke(main, ["play", "--replay", str(repro), "--engine", "jax", "--package", str(pkg)])
        assert jx.exit_code == 1 and "differs from the reference" in jx.output, jx.output[-3000:]
