"""Shared test fixtures: paths to the repo's examples and the ../shared corpus."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_SPEC = ROOT / "examples" / "pocket-a1" / "spec.yaml"
CORPUS = ROOT.parent / "shared" / "data" / "pocket"
os.environ.setdefault("JAX_COMPILATION_CACHE_DIR", str(ROOT / ".tcgc-cache" / "jax"))
"""Compiled engines are cached across test processes (the two xdist workers compile each engine once)."""
CORPUS_SETS = ["A1", "A1a", "A2", "A2a", "A2b", "A3", "A3a", "A3b", "A4", "A4a", "A4b", "B1", "B1a", "P-A"]


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The ../shared/data/pocket corpus; CI always has it beside the repo."""
    assert CORPUS.is_dir(), f"corpus not found at {CORPUS} (../shared must sit beside the repo)"
    return CORPUS


def pytest_assertrepr_compare(op, left, right):
    """Two engine board views compared with == fail with one line per differing field, not a wall of dicts."""
    if op == "==" and isinstance(left, dict) and isinstance(right, dict) and "players" in left and "players" in right:
        from reference.testing import board_diff
        return ["engine boards differ:"] + board_diff(left, right)
    return None


@pytest.fixture(scope="session")
def a1_build(tmp_path_factory):
    """The example spec's engine, built once per test process (allow_unresolved: cards not compiled yet are
    left out, as the README's set-up command does)."""
    from compiler.cli.build import build

    return build(EXAMPLE_SPEC, tmp_path_factory.mktemp("a1_build"), allow_unresolved=True)


@pytest.fixture(scope="session")
def a1_engine():
    """The committed example engine (generated/pocket_a1, kept current by test_build), imported."""
    from compiler.verify.rollout import load_package

    return load_package(ROOT / "generated" / "pocket_a1")
