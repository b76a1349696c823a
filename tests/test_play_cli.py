"""`tcgc play`: games through piped input and through a real pseudo-terminal (events once, card text, named
actions, confirmations), recordings and replays, and bad input that gets a message, never a traceback."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time

from click.testing import CliRunner

from compiler.cli import main

from tests.conftest import EXAMPLE_SPEC, ROOT

CLI = [sys.executable, "-m", "compiler.cli", "play"]
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
ACTION_LINE = re.compile(r"^ +(\d+)  (.+?)   (\S+)$", re.M)


def piped(args, answers: str, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run(CLI + args, input=answers, capture_output=True, text=True, timeout=timeout, cwd=ROOT)


def test_full_game_through_piped_input(tmp_path):
    record = tmp_path / "game.json"
    answers = "nonsense\n99\n" + "0\n" * 400  # junk first, then always the first listed action
    r = piped([str(EXAMPLE_SPEC), "--seed", "5", "--bot", "random", "--yes", "--record", str(record)], answers)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "not a legal action: 'nonsense'" in out and "not a legal action: '99'" in out
    assert "Your hand:" in out and "Active" in out and "Energy Zone" in out and "points" in out
    assert "game over after turn" in out
    assert "\x1b[" not in out  # plain text when piped
    assert " 1 points" not in out and " 1 cards" not in out
    log = json.loads(record.read_text())
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
    # nobody plays: every hidden card stays hidden (draws as counts only)
    assert re.search(r"player \d draws \d cards?\n", r.output) and not re.search(r"draws \d cards?: ", r.output)


def test_unknown_deck_is_a_located_error():
    r = CliRunner().invoke(main, ["play", str(EXAMPLE_SPEC), "--deck", "nope"])
    assert r.exit_code == 2 and "unknown deck 'nope'" in r.output


def test_spec_without_decks_needs_random_decks():
    r = CliRunner().invoke(main, ["play", str(ROOT / "tests/data/pocket-all/spec.yaml")])
    assert r.exit_code == 2 and "--random-decks" in r.output


def test_three_decks_is_an_error():
    r = CliRunner().invoke(main, ["play", str(EXAMPLE_SPEC), "--deck", "mewtwo-gardevoir", "--deck",
                                  "charizard-moltres", "--deck", "mewtwo-gardevoir", "--human", "none"])
    assert r.exit_code == 2, r.output
    assert "at most two --deck" in r.output and "got 3" in r.output
    assert r.exception is None or isinstance(r.exception, SystemExit)


def test_options_that_do_not_go_together_are_errors():
    for args, msg in ((["--engine", "jax"], "apply to --replay"), (["--replay", "x.json", "--deck", "a"],
                                                                     "leave out --deck"), ([], "give a SPEC")):
        r = CliRunner().invoke(main, ["play"] + ([str(EXAMPLE_SPEC)] if args and args[0] == "--engine" else [])
                               + args)
        assert r.exit_code == 2 and msg in r.output, (args, r.output)


# --- a real pseudo-terminal -------------------------------------------------------------------------------------

def answer(screen: str, script: list[str], seen: set) -> str:
    """What the test player types at the prompt ending `screen`: the script first, then an attack by a prefix
    of its words, else the listed action's own words (Energy first), else end the turn (and confirm). The first
    time it could attack it tries to end the turn, and says no when asked."""
    if screen.rstrip().endswith("[y/N]"):
        if "declined" in seen:
            return "y"
        seen.add("declined")
        return "n"
    if script:
        return script.pop(0)
    last = screen[screen.rfind("== turn"):] if "== turn" in screen else screen
    actions = ACTION_LINE.findall(last)
    if "tried" not in seen and any(name.startswith("attack:") for _, _, name in actions):
        seen.add("tried")
        return "end"
    for kind in ("attack:", "choose:", "attach_energy:", "play_on:", "play:"):
        for _, text, name in actions:
            if name.startswith(kind):
                return "attack " + text.split()[1][:4] if kind == "attack:" else text
    return "end"


def pty_game(args: list[str], script: list[str], timeout: float = 90) -> tuple[str, int]:
    import pty
    import select

    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")} | {"TERM": "xterm-256color"}
    proc = subprocess.Popen(CLI + args, stdin=slave, stdout=slave, stderr=slave, cwd=ROOT, close_fds=True, env=env)
    os.close(slave)
    raw, answered, deadline, seen = b"", 0, time.time() + timeout, set()
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
                raw += chunk
                screen = ANSI.sub("", raw.decode("utf-8", "replace")).replace("\r\n", "\n")
                prompts = screen.count("your action>") + screen.count("[y/N]")
                if prompts > answered and screen.rstrip().endswith(("your action>", "[y/N]")):
                    answered += 1
                    os.write(master, answer(screen, script, seen).encode() + b"\n")
            elif proc.poll() is not None:
                break
    finally:
        proc.kill() if proc.poll() is None else None
        os.close(master)
    return raw.decode("utf-8", "replace"), proc.wait()


def test_full_game_in_a_pseudo_terminal(tmp_path):
    record = tmp_path / "pty.json"
    raw, rc = pty_game([str(EXAMPLE_SPEC), "--seed", "2", "--record", str(record)],
                       ["help", "?", "? 0", "info Mewtwo ex", "attack nothing"])
    text = ANSI.sub("", raw).replace("\r\n", "\n")
    assert rc == 0, text[-3000:]
    assert "\x1b[" in raw  # colours on a terminal
    assert "game over after turn" in text, text[-3000:]
    # help, card text, a card in full
    assert "? N / info N" in text and "Weakness" in text and "Retreat Cost" in text
    assert "Attack Psydrive [PPCC] 150: Discard 2 [P] Energy from this Pokémon." in text
    assert re.search(r"✓ \w", text)  # usable attacks marked
    # named actions (an attack typed as a prefix of its name), a confirmation, an unknown one refused
    assert "not a legal action: 'attack nothing'" in text
    assert re.search(r"your action> attack \w{1,4}\n", text)
    assert re.search(r"you can still .*attack this turn: go ahead\? \[y/N\] n\nyour action>", text)
    # what happened: damage, coins, energy, own draws in full, the opponent's as counts, knockouts, points
    assert re.search(r"takes \d+ damage(?: \([^)]*\))?, \d+/\d+ HP left", text)
    assert re.search(r"^ +\d coins? flipped: (heads|tails)", text, re.M)
    assert re.search(r"player 0 draws 1 card: \w", text) and re.search(r"player 1 draws 1 card\n", text)
    assert "attaches Psychic Energy" in text and "is knocked out" in text and re.search(r"scores \d points?", text)
    # every event once: each turn starts once, each attack is announced once
    turns = [int(n) for n in re.findall(r"^ +turn (\d+): player \d$", text, re.M)]
    assert turns == list(range(1, len(turns) + 1))
    actions = json.loads(record.read_text())["actions"]
    attacks = sum(a["name"].startswith("attack:") for a in actions)
    assert len(re.findall(r"^ +player \d's .+ uses (?!.*'s )", text, re.M)) - len(
        re.findall(r"^ +player \d's .+ uses (Psy Shadow)", text, re.M)) == attacks


# --- recordings and replays -------------------------------------------------------------------------------------

def game_lines(out: str) -> list[str]:
    """The actions and events of a game's output, without private details (a replay shows them all)."""
    lines = (x.replace("your action> ", "") for x in out.splitlines())
    return [x.split(": ")[0] for x in lines if re.match(r"(player \d: |    \S)", x)]


def test_record_then_replay_reproduces_the_game(tmp_path):
    record = tmp_path / "game.json"
    answers = "play Clef\nattach\n" + "".join(f"attack\n{i % 3}\n" for i in range(300))
    r = piped([str(EXAMPLE_SPEC), "--seed", "7", "--yes", "--record", str(record)], answers)
    assert r.returncode == 0, r.stderr
    rec = json.loads(record.read_text())
    assert rec["result"]["over"] and rec["decks"][0]["cards"][0].startswith("A1-")
    again = CliRunner().invoke(main, ["play", "--replay", str(record)])
    assert again.exit_code == 0, again.output
    assert "the replay ends as recorded" in again.output
    assert game_lines(again.output) == game_lines(r.stdout)
    assert r.stdout.splitlines()[-2] in again.output  # the same final line (game over ..., points)
    # a recording that ends otherwise is reported (exit 1)
    rec["result"]["points"] = [9, 9]
    record.write_text(json.dumps(rec))
    changed = CliRunner().invoke(main, ["play", "--replay", str(record)])
    assert changed.exit_code == 1 and "otherwise than recorded" in changed.output


def test_replay_of_a_divergence_style_file(tmp_path):
    """Card indices, Energy by index and bare action indices (what a rollout divergence holds) replay too."""
    from reference import Engine
    from reference.session import pick_decks
    from compiler.spec import load_spec
    import random

    loaded = load_spec(EXAMPLE_SPEC)
    eng = Engine.from_spec(loaded)
    decks = pick_decks(eng, loaded, (), False, random.Random(0), "x")
    f = tmp_path / "div.json"
    first = eng.legal_actions(eng.init(decks, 3))[0]
    f.write_text(json.dumps({"spec": str(EXAMPLE_SPEC), "seed": 3, "actions": [first],
                             "decks": [{"name": d.name, "energy": list(d.energy), "cards": list(d.cards)}
                                       for d in decks]}))
    r = CliRunner().invoke(main, ["play", "--replay", str(f)])
    assert r.exit_code == 0, r.output
    assert "the game is not over" in r.output


def test_bad_recordings_are_located_errors(tmp_path):
    good = tmp_path / "good.json"
    piped([str(EXAMPLE_SPEC), "--human", "none", "--seed", "1", "--record", str(good)], "")
    rec = json.loads(good.read_text())
    cases = {"not JSON": "{", "missing seed": json.dumps({"decks": [], "actions": []}),
             "unknown card 'X-1'": json.dumps(rec | {"decks": [rec["decks"][0] | {"cards": ["X-1"] * 20},
                                                               rec["decks"][1]]}),
             "is not legal here": json.dumps(rec | {"actions": ["attack:0"] + rec["actions"]}),
             "not an action": json.dumps(rec | {"actions": [{"action": "fly"}]})}
    for msg, content in cases.items():
        f = tmp_path / "bad.json"
        f.write_text(content)
        r = CliRunner().invoke(main, ["play", "--replay", str(f)])
        assert r.exit_code == 2 and msg in r.output and "Traceback" not in r.output, (msg, r.output)
    r = CliRunner().invoke(main, ["play", "--replay", str(tmp_path / "missing.json")])
    assert r.exit_code == 2 and "missing.json" in r.output


# --- terminal behaviour -----------------------------------------------------------------------------------------

def test_closed_pipe_ends_quietly_and_ctrl_c_exits_130():
    proc = subprocess.Popen(CLI + [str(EXAMPLE_SPEC), "--seed", "3"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=ROOT)
    proc.stdout.readline()
    proc.stdout.close()  # the reader goes away
    _, err = proc.communicate(b"0\n" * 50, timeout=60)
    assert proc.returncode == 0 and b"Traceback" not in err and b"Broken" not in err, err

    proc = subprocess.Popen(CLI + [str(EXAMPLE_SPEC), "--seed", "3"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=ROOT)
    out = b""
    while b"your action>" not in out:
        out += proc.stdout.read1(4096)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and b"Traceback" not in err, err


def test_typed_words_and_moves_that_ask_first():
    from compiler.cli.play_input import confirmation, parse_action
    from compiler.spec import load_spec
    from reference import Engine
    from reference.board import action_text
    from reference.testing import board, mon, side

    eng = Engine.from_spec(load_spec(EXAMPLE_SPEC))
    s = board(eng, side(active=mon("A1-129", energy="PPPP"), bench=[mon("A1-130")], energy="P", current="P"),
              side(active=mon("A1-033")))
    legal = eng.legal_actions(s)
    L = eng.layout

    def parse(text):
        return parse_action(eng, s, legal, text, lambda a: action_text(eng, s, a))
    assert parse("attack Psychic").action == L.attack(0) and parse("att psyd").action == L.attack(1)
    assert parse("Psydrive").action == L.attack(1) and parse("retreat Ralts").action == L.retreat(1)
    assert parse("attach ralts").action == L.attach_energy(1) and parse("END TURN").action == L.end_turn()
    assert parse("attack").error.startswith("'attack' could be 2 actions")
    assert parse("attack Fire").error.startswith("not a legal action")
    assert confirmation(eng, s, L.attack(1), legal) == "this discards Energy from your Pokémon"
    assert "discards 2 Energy" in confirmation(eng, s, L.retreat(1), legal)
    assert "you can still attach Energy and attack" in confirmation(eng, s, L.end_turn(), legal)
    assert confirmation(eng, s, L.attack(0), legal) == ""


def test_replay_on_the_jax_engine(tmp_path):
    """The one JAX test here: the generated engine steps a recorded game beside the reference, equal throughout.
    The decks are random ones of the cards the committed engine plays."""
    import random

    from compiler.cli.play_record import write_record
    from compiler.spec import load_spec
    from compiler.verify.rollout import restricted_engine
    from reference.bots import GreedyBot
    from reference.decks import random_deck
    from reference.session import step_key

    manifest = json.loads((ROOT / "generated/pocket_a1/MANIFEST.json").read_text())
    eng = restricted_engine(load_spec(EXAMPLE_SPEC), {r["id"] for r in manifest["refused"]})
    rng = random.Random(4)
    decks = [random_deck(eng, rng, "a"), random_deck(eng, rng, "b")]
    s, log, bots = eng.init(decks, 4), [], [GreedyBot(0), GreedyBot(1)]
    while not (s.terminated or s.truncated) and len(log) < 150:
        a = bots[s.current_player].act(eng, s)
        log.append(a)
        s = eng.step(s, a, step_key(4, s))
    record = tmp_path / "jax.json"
    write_record(str(record), str(EXAMPLE_SPEC), 4, eng, decks, log, s)
    r = CliRunner().invoke(main, ["play", "--replay", str(record), "--engine", "jax"])
    assert r.exit_code == 0, r.output[-3000:]
    assert "the JAX engine agrees with the reference at every step" in r.output
    assert "the replay ends as recorded" in r.output


def test_jax_replay_of_decks_the_engine_cannot_play_is_an_error(tmp_path):
    record = tmp_path / "mg.json"
    CliRunner().invoke(main, ["play", str(EXAMPLE_SPEC), "--human", "none", "--record", str(record)])
    rec = json.loads(record.read_text())
    rec["decks"][0]["cards"][-2:] = ["A1-205", "A1-205"]  # Ditto: its Copy Anything is not compiled yet
    record.write_text(json.dumps(rec))
    r = CliRunner().invoke(main, ["play", "--replay", str(record), "--engine", "jax"])
    assert r.exit_code == 2 and "the JAX engine can't play these cards" in r.output, r.output
    assert "A1-205 Ditto" in r.output
    r = CliRunner().invoke(main, ["play", "--replay", str(record), "--engine", "jax", "--package", str(tmp_path)])
    assert r.exit_code == 2 and "not a generated engine" in r.output, r.output
