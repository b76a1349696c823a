"""The JAX side of the fill check, for real: `tcgc fill` builds the check pool's engine and plays games on both
engines in lockstep with decks that hold the card (one build and compile for this file; the second check reuses
the compiled engine from JAX's persistent cache). A reference engine that disagrees with the generated one makes the
check reject the fill."""

from __future__ import annotations

import json
import shutil
import time

import pytest
from click.testing import CliRunner

from compiler.cli import main
from compiler.fill.answer import Candidate
from compiler.fill.check import Options, check_candidate
from compiler.fill.run import targets
from compiler.fill.store import load_fills
from compiler.spec import load_spec
from tests.test_fill_store import DATA

JUICE = "Restore 20 HP of 1 of your Pokémon."
HEAL = "Heal 20 damage from 1 of your Pokémon."


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    """`tcgc fill --jax games` on the Item text of the small pool, answered by a replay file."""
    d = tmp_path_factory.mktemp("fill_jax")
    for f in ("spec.yaml", "cards.yaml", "fills.yaml"):
        shutil.copy(DATA / f, d / f)
    (d / "replay.yaml").write_text(json.dumps({"format": "tcgc-fill-replay", "version": 1, "answers": [
        {"kind": "trainer", "text": JUICE, "responses": [{"text": HEAL}]}]}), encoding="utf-8")
    t0 = time.perf_counter()
    res = CliRunner().invoke(main, ["fill", str(d / "spec.yaml"), "--agent", f"replay:{d / 'replay.yaml'}",
                                    "--only", "Restore", "--games", "4", "--log", str(d / "log.jsonl")])
    return d, res, time.perf_counter() - t0


def test_fill_runs_lockstep_games_on_both_engines(filled):
    d, res, _ = filled
    assert res.exit_code == 0, res.output
    assert "filled 1 of 1 text" in res.output
    (fill,) = load_fills(d / "fills.yaml").fills
    assert fill.checks["lowering"] == "ok"
    lock = fill.checks["lockstep"]
    assert lock.startswith("ok: 4 games, ") and lock.endswith("actions with the card; states and masks equal")
    assert int(lock.split(" steps in lockstep, ")[1].split(" actions")[0]) > 0


def test_a_reference_engine_that_disagrees_is_caught(filled, monkeypatch):
    """The same check pool (so the same compiled engine), with the reference's heal broken: the lockstep games
    diverge and the fill is rejected with the reproducer's first lines."""
    from reference.game import Game

    d, _, _ = filled
    loaded = load_spec(d / "spec.yaml")
    bare = d / "bare.yaml"
    bare.write_text((d / "spec.yaml").read_text(encoding="utf-8").replace("fills: fills.yaml\n", ""),
                    encoding="utf-8")
    (target,) = [t for t in targets(load_spec(bare)) if t.text == JUICE]

    def heal(self, p, pk, amount):
        pk.damage = min(pk.damage + 10, 10)  # "heals" by adding damage: a reference bug the JAX engine lacks
        return 0

    monkeypatch.setattr(Game, "heal", heal)
    rep = check_candidate(Candidate(text=HEAL), target, loaded, Options(games=4))
    assert rep.failed == "lockstep", rep.results
    assert rep.reason.startswith("lockstep: the engines diverge: game ")
    assert "damage: reference" in rep.reason
