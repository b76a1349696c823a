"""`tcgc train`, `tcgc eval` and `tcgc verify --level policy`: every bad input is one clear line with exit code 2
(no engine compile: each fails before any)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from compiler.cli import main

from .conftest import EXAMPLE_SPEC, ROOT

A1 = ROOT / "generated" / "pocket_a1"


def _fails(args, *needles):
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 2, (r.exit_code, r.output)
    assert "Traceback" not in r.output
    for n in needles:
        assert n in r.output, r.output
    return r


def test_train_bad_inputs(tmp_path):
    _fails(["train", str(tmp_path / "none.yaml"), "--package", str(A1)], "none.yaml")
    _fails(["train", str(EXAMPLE_SPEC), "--package", str(A1), "--decks", "nope,venusaur-exeggutor"],
           "unknown or unplayable deck nope")
    _fails(["train", str(EXAMPLE_SPEC), "--package", str(A1), "--decks", "one"], "expected fixed, random")
    _fails(["train", str(EXAMPLE_SPEC), "--package", str(tmp_path)], "not a generated engine package")
    _fails(["train", str(EXAMPLE_SPEC), "--opponent", "chess"], "--opponent")
    _fails(["train", str(EXAMPLE_SPEC), "--batch", "0"], "--batch")
    _fails(["train", str(EXAMPLE_SPEC), "--profile-hidden", "64,x"], "positive widths")
    bad = tmp_path / "spec.yaml"
    bad.write_text("game: [\n")
    _fails(["train", str(bad), "--package", str(A1)], "spec.yaml")


def test_eval_bad_inputs(tmp_path):
    _fails(["eval", str(tmp_path / "none.npz"), str(EXAMPLE_SPEC), "--package", str(A1)], "no such policy file")
    junk = tmp_path / "junk.npz"
    junk.write_text("not a zip")
    _fails(["eval", str(junk), str(EXAMPLE_SPEC), "--package", str(A1)], "not a tcgc policy checkpoint")
    other = tmp_path / "other.npz"
    np.savez(other, meta=np.array(json.dumps({"format": "tcgc-policy", "version": 1, "engine": "elsewhere",
                                              "obs_size": 10, "n_cards": 3, "n_actions": 5, "hidden": 8})))
    _fails(["eval", str(other), str(EXAMPLE_SPEC), "--package", str(A1)], "trained on engine 'elsewhere'",
           "obs_size 10")
    foreign = tmp_path / "foreign.npz"
    np.savez(foreign, meta=np.array(json.dumps({"format": "something"})))
    _fails(["eval", str(foreign), str(EXAMPLE_SPEC), "--package", str(A1)], "not a tcgc-policy version 1")
    _fails(["eval", str(other), str(EXAMPLE_SPEC), "--engine", "gpu"], "--engine")
    _fails(["eval", str(other), str(EXAMPLE_SPEC), "--games", "0"], "--games")


def test_verify_policy_bad_inputs(tmp_path):
    _fails(["verify", str(EXAMPLE_SPEC), "--package", str(A1), "--level", "policy", "--policy",
            str(tmp_path / "none.npz")], "no such policy file")
    _fails(["verify", str(EXAMPLE_SPEC), "--package", str(A1), "--policy", str(tmp_path / "x.npz")],
           "--policy is for --level policy")


@pytest.mark.parametrize("cmd", ["train", "eval"])
def test_help(cmd):
    r = CliRunner().invoke(main, [cmd, "--help"])
    assert r.exit_code == 0 and "--opponent" in r.output
