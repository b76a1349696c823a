"""`tcgc train`: a short PPO run on the committed A1 engine against the random bot (compiled once for the module):
finite losses, a win rate against random that rises above its start, and the outputs (checkpoint, metrics, curves)
in their documented formats."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from click.testing import CliRunner

from compiler.cli import main

from .conftest import EXAMPLE_SPEC, ROOT

A1 = ROOT / "generated" / "pocket_a1"
STEPS = 64 * 16 * 90
"""90 updates of 64 games x 16 steps (about 90,000 engine steps, some 900 games)."""


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp("train")
    r = CliRunner().invoke(main, ["train", str(EXAMPLE_SPEC), "--package", str(A1), "--steps", str(STEPS),
                                  "--batch", "64", "--rollout", "16", "--hidden", "32", "--opponent", "random",
                                  "--lr", "1e-3", "--seed", "1", "-o", str(out), "--json"])
    assert r.exit_code == 0, r.output[-3000:]
    records = [json.loads(line) for line in r.stdout.splitlines() if line.startswith("{")]
    return out, records, r


def test_losses_are_finite_and_steps_counted(run):
    _, records, _ = run
    assert len(records) == 90 and records[-1]["engine_steps"] == STEPS
    for rec in records:
        for k in ("policy_loss", "value_loss", "entropy", "approx_kl"):
            assert math.isfinite(rec[k]), (rec["update"], k, rec[k])
        assert rec["steps_per_s"] > 0 and rec["games"]["greedy"] == rec["games"]["self"] == 0
    assert 0.3 * STEPS < records[-1]["decisions"] < 0.7 * STEPS  # the learner moves about half the time


def test_win_rate_against_random_rises(run):
    _, records, _ = run
    def rate(recs):
        g = sum(r["games"]["random"] for r in recs)
        return sum(r["wins"]["random"] for r in recs) / g, g
    early, ge = rate(records[:15])
    late, gl = rate(records[-15:])
    assert ge > 100 and gl > 100
    # the first network plays about as well as the random bot; a rise of 10 points is far beyond noise here
    assert late > early + 0.10 and late > 0.6, (early, late)


def test_outputs(run):
    from compiler.train import checkpoint

    out, records, r = run
    params, meta = checkpoint.load(out / "policy.npz")
    assert meta["format"] == "tcgc-policy" and meta["engine"] == "pocket_a1" and meta["hidden"] == 32
    assert meta["engine_steps"] == STEPS and meta["obs_size"] > 0
    with np.load(out / "policy.npz") as z:
        assert "params/Dense_0/kernel" in z.files and z["params/Dense_0/kernel"].shape[1] == 32
    lines = (out / "metrics.jsonl").read_text().splitlines()
    assert [json.loads(x)["update"] for x in lines] == [rec["update"] for rec in records]
    assert (out / "curves.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    summary = json.loads((out / "summary.json").read_text())
    assert summary["engine_steps"] == STEPS and summary["checkpoint"].endswith("policy.npz")
    assert "win rate over the last games: vs random" in r.stdout
