"""`tcgc play`: a full game through piped input in a real process; bad input gets a message, not a crash."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from compiler.cli import main

from tests.conftest import EXAMPLE_SPEC, ROOT


def test_full_game_through_piped_input(tmp_path):
    replay = tmp_path / "game.json"
    answers = "nonsense\n99\n" + "0\n" * 400  # junk first, then always the first listed action
    r = subprocess.run([sys.executable, "-m", "compiler.cli", "play", str(EXAMPLE_SPEC), "--seed", "5", "--bot",
                        "random", "--replay", str(replay)], input=answers, capture_output=True, text=True,
                       timeout=120, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "not a legal action: 'nonsense'" in out and "not a legal action: '99'" in out
    assert "Your hand:" in out and "Active:" in out and "energy zone" in out and "points" in out
    assert "game over after turn" in out
    log = json.loads(replay.read_text())
    assert log["seed"] == 5 and len(log["actions"]) > 10
    assert {a["player"] for a in log["actions"]} == {0, 1}


def test_action_names_are_accepted_and_quit_works():
    r = CliRunner().invoke(main, ["play", str(EXAMPLE_SPEC), "--seed", "1", "--human", "0"],
                           input="play:hand0\nq\n")
    assert r.exit_code == 0, r.output
    assert "game abandoned" in r.output


def test_bot_against_bot_with_random_decks():
    r = CliRunner().invoke(main, ["play", str(ROOT / "tests/data/pocket-all/spec.yaml"), "--random-decks",
                                  "--human", "none", "--seed", "2"])
    assert r.exit_code == 0, r.output
    assert "game over after turn" in r.output


def test_unknown_deck_is_a_located_error():
    r = CliRunner().invoke(main, ["play", str(EXAMPLE_SPEC), "--deck", "nope"])
    assert r.exit_code == 2 and "unknown deck 'nope'" in r.output


def test_spec_without_decks_needs_random_decks():
    r = CliRunner().invoke(main, ["play", str(ROOT / "tests/data/pocket-all/spec.yaml")])
    assert r.exit_code == 2 and "--random-decks" in r.output


def test_full_game_in_a_pseudo_terminal():
    import os
    import pty
    import select
    import time

    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "compiler.cli", "play", str(EXAMPLE_SPEC), "--seed", "9"],
                            stdin=slave, stdout=slave, stderr=slave, cwd=ROOT, close_fds=True)
    os.close(slave)
    out, deadline = b"", time.time() + 120
    try:
        while time.time() < deadline:
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                out += chunk
                if out.rstrip().endswith(b"your action>"):
                    os.write(master, b"0\n")
            elif proc.poll() is not None:
                break
    finally:
        proc.kill() if proc.poll() is None else None
        os.close(master)
    text = out.decode("utf-8", "replace")
    assert "game over after turn" in text, text[-2000:]


def test_private_log_details_are_shown_only_to_their_player():
    from compiler.cli.play import public_line

    line = "player 1 looks at the top of player 0's deck [player 1 sees: Pikachu]"
    assert public_line(line, 0) == "player 1 looks at the top of player 0's deck"
    assert public_line(line, 1) == line


def test_three_decks_is_an_error():
    r = CliRunner().invoke(main, ["play", str(EXAMPLE_SPEC), "--deck", "mewtwo-gardevoir", "--deck",
                                  "charizard-moltres", "--deck", "mewtwo-gardevoir", "--human", "none"])
    assert r.exit_code == 2, r.output
    assert "at most two --deck" in r.output and "got 3" in r.output
    assert r.exception is None or isinstance(r.exception, SystemExit)
