"""`tcgc bench`: plays random games and reports games/s and steps/s."""

from __future__ import annotations

import re

from click.testing import CliRunner

from compiler.cli import main

from tests.conftest import EXAMPLE_SPEC, ROOT


def test_bench_spec_decks():
    r = CliRunner().invoke(main, ["bench", str(EXAMPLE_SPEC), "--engine", "reference", "--games", "5"])
    assert r.exit_code == 0, r.output
    assert re.search(r"[\d.]+ games/s, \d+ steps/s", r.output) and "exceptions: 0" in r.output


def test_bench_random_decks_on_the_whole_corpus():
    r = CliRunner().invoke(main, ["bench", str(ROOT / "tests/data/pocket-all/spec.yaml"), "--games", "10",
                                  "--random-decks"])
    assert r.exit_code == 0, r.output
    assert "10 games" in r.output and "exceptions: 0" in r.output


def test_bench_greedy_bots_finish_games():
    r = CliRunner().invoke(main, ["bench", str(EXAMPLE_SPEC), "--games", "6", "--bot", "greedy"])
    assert r.exit_code == 0, r.output
    assert "wins" in r.output and "exceptions: 0" in r.output


def test_bench_bad_spec_exits_2(tmp_path):
    r = CliRunner().invoke(main, ["bench", str(tmp_path / "missing.yaml")])
    assert r.exit_code == 2


def test_bench_counts_read_as_english():
    r = CliRunner().invoke(main, ["bench", str(EXAMPLE_SPEC), "--engine", "reference", "--games", "1"])
    assert r.exit_code == 0, r.output
    assert "engine reference: 1 game, " in r.output
    assert not re.search(r"(?<![\d.])1 games\b", r.output), r.output  # a rate such as "67.1 games/s" is fine
