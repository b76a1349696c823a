"""`tcgc bench` on the generated JAX engine: the JSON figures, pgx's own auto-reset wrapper, and the batch sharded
over two (virtual CPU) devices.

Compiling the engine's step takes minutes on a small CPU, so the module compiles it twice and no more: one CLI run
in this process (both engines, `--auto-reset pgx`), and the two-device run in a subprocess started first, so that
the two compile at the same time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from compiler.cli import main

from tests.conftest import EXAMPLE_SPEC, ROOT

pgx = pytest.importorskip("pgx.experimental", reason="pgx is in the test extra")

FIELDS = ("engine", "batch", "devices", "steps_per_s", "games_per_s", "compile_s", "peak_rss_mb")
SECONDS = "10"
"""Long enough for a batch of 2 random games to finish at least one (a random game is about 85 steps)."""


@pytest.fixture(scope="module")
def two_devices(tmp_path_factory):
    """`tcgc bench --devices 2` in a subprocess with two virtual CPU devices, started before the in-process run."""
    out = tmp_path_factory.mktemp("bench_devices")
    env = dict(os.environ, XLA_FLAGS="--xla_force_host_platform_device_count=2", JAX_PLATFORMS="cpu")
    proc = subprocess.Popen(
        [sys.executable, "-m", "compiler.cli", "bench", str(EXAMPLE_SPEC), "--engine", "jax", "--devices", "2",
         "--batch", "2", "--seconds", SECONDS, "--json", "--cache", str(out / "cache")],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    yield proc
    if proc.poll() is None:
        proc.kill()
        proc.communicate()


@pytest.fixture(scope="module")
def both_run(two_devices, tmp_path_factory, request):
    """One CLI run on both engines at batch 2, the JAX games reset by pgx's own wrapper (spied on)."""
    import pgx.experimental as pe

    calls = []
    real = pe.auto_reset

    def spy(step_fn, init_fn):
        calls.append((step_fn, init_fn))
        return real(step_fn, init_fn)

    mp = pytest.MonkeyPatch()
    mp.setattr(pe, "auto_reset", spy)
    try:
        r = CliRunner().invoke(main, ["bench", str(EXAMPLE_SPEC), "--engine", "both", "--batch", "2", "--seconds",
                                      SECONDS, "--auto-reset", "pgx", "--json", "--cache",
                                      str(tmp_path_factory.mktemp("bench_both") / "cache")])
    finally:
        mp.undo()
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout), calls


def test_json_fields_present_and_positive(both_run):
    rows, _ = both_run
    assert [(d["engine"], d["batch"], d["devices"]) for d in rows] == [("jax", 2, 1), ("reference", 1, 1)]
    for d in rows:
        for k in FIELDS:
            assert k in d, (k, d)
        for k in ("steps_per_s", "games_per_s", "peak_rss_mb"):
            assert d[k] > 0, (k, d)
        assert d["games"] == sum(d["results"].values())
    jx, ref = rows
    assert jx["compile_s"] > 0 and ref["compile_s"] == 0
    assert jx["state_bytes"] > 0
    assert jx["vs_reference"] == pytest.approx(jx["steps_per_s"] / ref["steps_per_s"], rel=1e-2)
    assert ref["exceptions"] == 0


def test_env_runs_under_pgx_auto_reset(both_run):
    """The JAX rows of `--auto-reset pgx` come from jit(vmap(pgx.experimental.auto_reset(env.step, env.init))) with
    pgx's act_randomly: the wrapper was called on the generated Env, and games ended and new ones kept playing."""
    rows, calls = both_run
    assert len(calls) == 1
    step_fn, init_fn = calls[0]
    env = step_fn.__self__
    assert init_fn.__self__ is env and type(env).__name__ == "Env"
    assert env.num_actions > 0 and env.observation_shape[0] > 0
    jx = rows[0]
    assert jx["games"] >= 1
    # every slot plays every step: the steps after the last reset are counted too
    assert jx["steps"] >= jx["games"] * 1 and jx["steps"] % 2 == 0
    assert jx["steps_per_game"] > 1


def test_devices_shard_the_batch(two_devices):
    out, err = two_devices.communicate(timeout=600)
    assert two_devices.returncode == 0, err[-3000:]
    rows = json.loads(out)
    assert len(rows) == 1
    d = rows[0]
    assert (d["engine"], d["batch"], d["devices"]) == ("jax", 2, 2)
    for k in FIELDS:
        assert k in d
    assert d["steps_per_s"] > 0 and d["steps"] > 0 and d["compile_s"] > 0
