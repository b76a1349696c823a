"""`tcgc eval` and `tcgc verify --level policy` on both engines (the committed A1 engine): the same player gets the
same win rate and game length on each within the 99% level, and the reference engine's observation vector equals
the generated engine's after every step of lockstep games."""

from __future__ import annotations

import json
import random

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from click.testing import CliRunner

from compiler.cli import main
from compiler.train import checkpoint
from compiler.train.features import ObsLayout, reference_observation

from .conftest import EXAMPLE_SPEC, ROOT

A1 = ROOT / "generated" / "pocket_a1"


def test_observation_vectors_are_equal_in_lockstep(a1_engine):
    """Random games on both engines from the same keys and actions; both players' observation vectors compared
    after every step (the reference's is what `tcgc eval --engine reference` feeds the policy)."""
    from compiler.engine_model.rng import key_words
    from compiler.spec import load_spec
    from compiler.verify.rollout import Lockstep, restricted_engine, start_games
    from reference.session import step_key

    manifest = json.loads((A1 / "MANIFEST.json").read_text())
    eng = restricted_engine(load_spec(EXAMPLE_SPEC), {r["id"] for r in manifest["refused"]})
    ls = Lockstep(a1_engine)
    T = a1_engine.tables
    n = 12
    seeds = list(range(500, 500 + n))
    rngs = [random.Random(s) for s in seeds]
    _, js, states = start_games(eng, ls, T, seeds, rngs)
    compared = 0
    for _ in range(400):
        live = [i for i, s in enumerate(states) if not (s.terminated or s.truncated)]
        if not live:
            break
        for p in (0, 1):
            jobs = np.asarray(ls.observe_core(js._core, jnp.full(n, p, jnp.int32)))
            for i in live:
                ref = reference_observation(states[i], p, T.OBS_LAYOUT)
                bad = np.flatnonzero(ref != jobs[i])
                assert not len(bad), (i, p, [(int(k), int(ref[k]), int(jobs[i][k])) for k in bad[:10]])
                compared += 1
        actions = np.zeros(n, np.int32)
        k0, k1 = np.zeros(n, np.uint32), np.zeros(n, np.uint32)
        for i in live:
            s = states[i]
            a = rngs[i].choice(eng.legal_actions(s))
            key = step_key(seeds[i], s)
            states[i] = eng.step(s, a, key)
            actions[i] = a
            k0[i], k1[i] = key_words(key)
        js = ls.step(js, jnp.asarray(actions), jnp.asarray(k0), jnp.asarray(k1))
    assert compared > 2 * n * 30


@pytest.fixture(scope="module")
def policy_file(tmp_path_factory):
    """A checkpoint of a freshly initialised network (hidden 16), as `tcgc train` writes it."""
    from compiler.train.evaluate import Policy
    from compiler.verify.rollout import load_package

    pkg = load_package(A1)
    layout = ObsLayout.from_tables(pkg.tables)
    pol = Policy(layout, hidden=16)
    path = tmp_path_factory.mktemp("policy") / "policy.npz"
    checkpoint.save(path, jax.device_get(pol.params), {"engine": "pocket_a1", **layout.key(), "hidden": 16,
                                                       "embed": 16})
    return path


def test_eval_gives_the_same_results_on_both_engines(policy_file):
    r = CliRunner().invoke(main, ["eval", str(policy_file), str(EXAMPLE_SPEC), "--package", str(A1),
                                  "--opponent", "greedy", "--games", "300", "--batch", "150", "--seed", "2",
                                  "--json"])
    assert r.exit_code == 0, r.output[-3000:]
    rep = json.loads(r.stdout)
    jx, ref = rep["results"]
    assert jx["engine"] == "jax" and ref["engine"] == "reference" and jx["games"] == ref["games"] == 300
    assert rep["comparison"]["same"], rep
    # an untrained network plays about like the random bot: it loses most games to the greedy bot
    assert jx["win_rate"] < 0.5 and ref["win_rate"] < 0.5
    assert 20 < jx["mean_length"] < 400


def test_verify_policy_level(policy_file):
    r = CliRunner().invoke(main, ["verify", str(EXAMPLE_SPEC), "--package", str(A1), "--level", "policy",
                                  "--policy", str(policy_file), "--games", "150", "--seed", "4", "--json"])
    assert r.exit_code == 0, r.output[-3000:]
    rep = json.loads(r.stdout)["levels"]["policy"]
    got = {(m["player"], m["opponent"]): m for m in rep["matchups"]}
    assert set(got) == {("random", "random"), ("greedy", "random"), ("greedy", "greedy"), ("policy", "random"),
                        ("policy", "greedy")}
    for m in got.values():
        assert m["jax"]["games"] == m["reference"]["games"] == 150 and m["comparison"]["same"], m
    # greedy beats random on both engines
    assert got[("greedy", "random")]["jax"]["win_rate"] > 0.7
    assert got[("greedy", "random")]["reference"]["win_rate"] > 0.7
