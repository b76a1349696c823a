"""`tcgc fill` end to end on the small pool of tests/data/fill (four unresolved texts), with each provider kind:
a real OpenAI-compatible server on 127.0.0.1, a command-line agent, a replay file. Each bad answer is rejected or
retried with its reason recorded; only checked fills reach fills.yaml; the API key appears nowhere. The lowering
runs; the lockstep games on the JAX engine run in test_fill_jax.py (`--jax lowering` here keeps these fast)."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from compiler.cli import main
from compiler.fill.answer import Candidate
from compiler.fill.check import STEPS, Options, check_candidate
from compiler.fill.run import targets
from compiler.fill.store import ir_data, load_fills
from compiler.parse import parse_effect
from compiler.spec import load_spec
from tests.fill_agents import ChatServer
from tests.test_fill_store import DATA

KEY = "sk-test-0123456789SECRET"
TOSS = "Toss a coin 2 times; this attack deals 30 damage per heads."
SUMMON = "Summon 1 random Rattata from your deck to your Bench."
LUCKY = "Once on your turn, you can draw 1 card."
JUICE = "Restore 20 HP of 1 of your Pokémon."
TOSS_IR = json.dumps({"ir": ir_data(parse_effect("Flip 2 coins. This attack does 30 damage for each heads.",
                                                 "attack"))})
SMUGGLE = json.dumps({"ir": {"op": "attack", "steps": [{"op": "fetch", "count": 1, "source": "deck", "to": "bench",
                                                        "random": True, "filter": {"filters": [{
                                                            "op": "name_is",
                                                            "names": ["__import__('os').system('touch PWNED')"]}]}}]}})
ANSWERS = {  # per text, one answer per attempt (--attempts 3)
    TOSS: [("answer", '{"ir": {"op": "attack", "steps": ['),  # malformed JSON
           ("answer", '{"ir": {"op": "attack", "steps": [{"op": "flip", "count": 2}]}}'),  # schema violation
           ("answer", "Here you go:\n```json\n" + TOSS_IR + "\n```")],  # correct
    JUICE: [("echo_auth", 500),  # a server error that quotes the Authorization header
            ("sleep", 3, '{"text": "Heal 20 damage from 1 of your Pokémon."}'),  # a timeout
            ("answer", '{"text": "Heal 20 damage from 1 of your Pokémon."}')],  # correct
    SUMMON: [("answer", '{"text": "Summon a Rattata onto the Bench."}'),  # does not parse
             ("answer", '{"text": "Put a random Mewtwo from your deck onto your Bench."}'),  # not in the pool
             ("answer", SMUGGLE)],  # code
    LUCKY: [("answer", '{"text": "Once during your turn, you may draw 2 cards."}'),  # a changed number
            ("answer", '{"text": "At the end of your turn, draw a card."}'),  # a trigger the JAX back end can't
                                                                                # compile yet
            ("answer", '{"text": "Once during your turn, you may draw a ' + KEY + '."}')],  # the key, echoed
}
REASONS = {
    TOSS: ["answer: malformed JSON: Expecting value (line 1, column 35)",
           "schema: the IR does not validate: attack.steps.0.flip.count: Input should be a valid dictionary"],
    JUICE: ["no answer: HTTP 500 from ", "no answer: no answer within 1 s"],
    SUMMON: ["text: the canonical text does not parse: no grammar rule reads 'a' at column 8 after 'Summon'",
             "names: the fill names the card 'Mewtwo', which no card in the pool has",
             "answer: a string of the answer looks like code ('__import__')"],
    LUCKY: ["meaning: the fill's English says 2, which the card does not print",
            "lowering: the JAX back end refuses it: FT-004 Meowth: Ability 'Lucky Charm': Ability (triggered on "
            "end_of_turn) not lowered yet", "text: the canonical text does not parse: the word '***' is not in the grammar"],
}


@pytest.fixture
def spec(tmp_path, monkeypatch) -> Path:
    for f in ("spec.yaml", "cards.yaml", "fills.yaml"):
        shutil.copy(DATA / f, tmp_path / f)
    monkeypatch.chdir(tmp_path)
    return tmp_path / "spec.yaml"


def fill(spec: Path, agent: str, *extra: str, env=None, jax: str = "lowering"):
    return CliRunner().invoke(main, ["fill", str(spec), "--agent", agent, "--attempts", "3", "--jax", jax,
                                     "--timeout", "1", "--retries", "0", *extra], env=env or {})


def log_entries(spec: Path) -> list[dict]:
    return [json.loads(x) for x in (spec.parent / "fills.log.jsonl").read_text(encoding="utf-8").splitlines()]


def assert_only_checked_fills(spec: Path, expected: set[str], lowering: bool = True) -> None:
    """fills.yaml holds exactly the expected texts, each with every check passed or skipped, and each passes the
    check again when it is re-run on its IR."""
    fills = load_fills(spec.parent / "fills.yaml")
    assert {f.text for f in fills.fills} == expected
    loaded = load_spec(spec.parent / "spec.yaml")
    fresh = {t.text: t for t in targets(load_spec_without_fills(spec))}
    for f in fills.fills:
        assert list(f.checks) == list(STEPS)
        assert all(v.startswith(("ok", "skipped")) for v in f.checks.values()), f.checks
        assert f.checks["lowering"] == ("ok" if lowering else "skipped")
        assert not f.reviewed and f.prompt_hash.startswith("sha256:") and f.rendering
        rep = check_candidate(Candidate(ir=ir_data(f.ir)), fresh[f.text], loaded, Options(lowering, lockstep=False))
        assert rep.ok, rep.results


def load_spec_without_fills(spec: Path):
    bare = spec.parent / "bare.yaml"
    bare.write_text(spec.read_text(encoding="utf-8").replace("fills: fills.yaml\n", ""), encoding="utf-8")
    return load_spec(bare)


def test_openai_server_every_kind_of_answer(spec):
    with ChatServer({k: list(v) for k, v in ANSWERS.items()}) as srv:
        res = fill(spec, f"openai:{srv.url}", "--model", "test-model", "--price", "1,2",
                   env={"TCGC_API_KEY": KEY})
        requests = srv.requests
    out = res.output
    assert res.exit_code == 1, out  # one text was not filled
    assert "filled 2 of 4 texts, 2 not filled; 2 still unresolved in the pool" in out
    assert "12 attempts, 1,000 prompt + 200 completion tokens" in out  # 10 answers, 2 errors without tokens
    assert "cost 0.0014 (at 1 / 2 per million tokens)" in out
    assert f"  not filled (rejected) [attack] {SUMMON}" in out
    assert_only_checked_fills(spec, {TOSS, JUICE})
    entries = log_entries(spec)
    assert len(entries) == 12
    for text, reasons in REASONS.items():
        got = [e["reason"] for e in entries if e["text"] == text and e["outcome"] != "accepted"]
        assert len(got) == len(reasons), got
        for want, reason in zip(reasons, got):
            assert reason.startswith(want.split(": ", 1)[1] if want.startswith("no answer: ") else want), reason
    assert [e["outcome"] for e in entries if e["text"] == TOSS] == ["rejected", "rejected", "accepted"]
    assert [e["outcome"] for e in entries if e["text"] == JUICE] == ["error", "error", "accepted"]
    # each rejection went back to the agent with its reason, the rejected answer before it
    toss = [r["body"]["messages"] for r in requests if TOSS in r["body"]["messages"][1]["content"]]
    assert len(toss[1]) == 4 and toss[1][2] == {"role": "assistant", "content": ANSWERS[TOSS][0][1]}
    assert toss[1][3]["content"].startswith("Your answer was rejected: answer: malformed JSON")
    assert toss[2][5]["content"].startswith("Your answer was rejected: schema: the IR does not validate")
    # the key was sent, and is nowhere else
    assert all(r["auth"] == f"Bearer {KEY}" for r in requests)
    for f in spec.parent.iterdir():
        assert KEY not in f.read_text(encoding="utf-8", errors="replace"), f
    assert KEY not in out and "Bearer ***" in (spec.parent / "fills.log.jsonl").read_text(encoding="utf-8")
    assert not (spec.parent / "PWNED").exists() and not Path("PWNED").exists()
    fills = load_fills(spec.parent / "fills.yaml")
    assert {f.provider for f in fills.fills} == {f"openai:{srv.url}"}
    assert {f.model for f in fills.fills} == {"test-model"}
    toss_fill = fills.get("attack", TOSS)
    assert toss_fill.attempts == 3 and toss_fill.tokens.prompt == 300


def test_a_built_engine_uses_the_accepted_fills(spec):
    with ChatServer({k: list(v) for k, v in ANSWERS.items()}) as srv:
        fill(spec, f"openai:{srv.url}", "--model", "m")
    res = CliRunner().invoke(main, ["build", str(spec), "-o", "gen", "--allow-unresolved"])
    assert res.exit_code == 0, res.output
    assert "4 distinct effect texts: 0 parsed, 2 filled (fills.yaml), 2 unresolved" in res.output
    assert "FT-003 Rattata" in res.output and "FT-002" not in res.output.split("left out")[1]


def command_agent(tmp_path: Path, script: dict) -> str:
    path = tmp_path / "agent-script.json"
    path.write_text(json.dumps({k: [list(s) for s in v] for k, v in script.items()}), encoding="utf-8")
    agent = Path(__file__).parent / "fill_agents.py"
    return f"command:{sys.executable} {agent} {path} {tmp_path / 'agent-state.json'}"


def test_command_agent_every_kind_of_answer(spec, tmp_path):
    script = dict(ANSWERS)
    script[JUICE] = [("status", 3, "rate limited"), ("sleep", 3, "{}"), ANSWERS[JUICE][2]]
    res = fill(spec, command_agent(tmp_path, script))
    assert res.exit_code == 1, res.output
    assert "filled 2 of 4 texts, 2 not filled" in res.output
    assert "12 attempts, tokens not reported by command:" in res.output
    assert_only_checked_fills(spec, {TOSS, JUICE})
    reasons = [e["reason"] for e in log_entries(spec) if e["text"] == JUICE and e["outcome"] == "error"]
    assert reasons == ["the command exited with code 3: rate limited", "the command gave no answer within 1 s"]


def test_replay_file_every_kind_of_answer(spec, tmp_path):
    answers = [{"kind": k, "text": t, "responses": [s[1] for s in ANSWERS[t] if s[0] == "answer"]}
               for k, t in (("attack", TOSS), ("trainer", JUICE), ("attack", SUMMON), ("ability", LUCKY))]
    (tmp_path / "replay.yaml").write_text(json.dumps({"format": "tcgc-fill-replay", "version": 1,
                                                      "answers": answers}), encoding="utf-8")
    res = fill(spec, f"replay:{tmp_path / 'replay.yaml'}", jax="off")  # the Ability passes without the lowering
    assert res.exit_code == 1, res.output
    assert "filled 3 of 4 texts, 1 not filled" in res.output
    assert "9 attempts" in res.output
    assert_only_checked_fills(spec, {TOSS, JUICE, LUCKY}, lowering=False)
    assert {f.provider for f in load_fills(spec.parent / "fills.yaml").fills} == {"replay:replay.yaml"}


def test_a_recorded_run_replays_to_the_same_fills(spec, tmp_path):
    with ChatServer({k: list(v) for k, v in ANSWERS.items()}) as srv:
        res = fill(spec, f"openai:{srv.url}", "--model", "m", "--record", str(tmp_path / "rec.yaml"))
    assert res.exit_code == 1
    first = {f.text: f.ir for f in load_fills(spec.parent / "fills.yaml").fills}
    (spec.parent / "fills.yaml").write_text("format_version: 1\nfills: []\n", encoding="utf-8")
    res = fill(spec, f"replay:{tmp_path / 'rec.yaml'}")
    assert {f.text: f.ir for f in load_fills(spec.parent / "fills.yaml").fills} == first


def test_a_second_run_asks_only_for_what_is_left(spec):
    with ChatServer({k: list(v) for k, v in ANSWERS.items()}) as srv:
        fill(spec, f"openai:{srv.url}", "--model", "m")
    with ChatServer({SUMMON: [("answer", '{"text": "Put a random Rattata from your deck onto your Bench."}')]}) as srv:
        res = fill(spec, f"openai:{srv.url}", "--model", "m", "--only", "Rattata")
        asked = {json.loads(r["body"]["messages"][1]["content"][len("Write the attack text "):-len(
            " as one JSON object.")]) for r in srv.requests}
    assert res.exit_code == 0, res.output
    assert asked == {SUMMON}
    assert "filled 1 of 1 text, 0 not filled; 1 still unresolved in the pool" in res.output
    res = fill(spec, "replay:nowhere.yaml")
    assert res.exit_code == 2 and "nowhere.yaml: file not found" in res.output
    res = CliRunner().invoke(main, ["fill", str(spec), "--dry-run"])
    assert "1 unresolved text to ask for" in res.output and LUCKY in res.output


def test_the_agent_may_decline(spec, tmp_path):
    script = {TOSS: [("answer", '{"cannot": "the IR has no way to toss"}'), ("answer", TOSS_IR)]}
    res = fill(spec, command_agent(tmp_path, script), "--only", "Toss")
    assert res.exit_code == 1
    assert "not filled (declined) [attack] " + TOSS in res.output
    assert "the agent says the IR can't express it: the IR has no way to toss" in res.output
    assert load_fills(spec.parent / "fills.yaml").fills == []


def test_an_unusable_agent_stops_the_run_with_exit_2(spec):
    res = fill(spec, "command:tcgc-no-such-agent")
    assert res.exit_code == 2
    assert "error: --agent: stopped: command not found: tcgc-no-such-agent" in res.output
    res = fill(spec, "gpt:4")
    assert res.exit_code == 2 and "unknown agent kind 'gpt'" in res.output
    res = CliRunner().invoke(main, ["fill", str(spec)])
    assert res.exit_code == 2 and "--agent PROVIDER is needed" in res.output


def test_dry_run_lists_the_texts(spec):
    res = CliRunner().invoke(main, ["fill", str(spec), "--dry-run"])
    assert res.exit_code == 0
    assert "4 unresolved texts to ask for:" in res.output and f"[trainer] {JUICE}" in res.output
    assert (spec.parent / "fills.yaml").read_text(encoding="utf-8") == (DATA / "fills.yaml").read_text(
        encoding="utf-8")


def test_review_and_accept_all(spec):
    with ChatServer({k: list(v) for k, v in ANSWERS.items()}) as srv:
        fill(spec, f"openai:{srv.url}", "--model", "m")
    res = CliRunner().invoke(main, ["fill", str(spec), "--review"], input="y\nn\n")
    assert res.exit_code == 0, res.output
    assert f"  printed:   {TOSS}\n  canonical: Flip 2 coins. This attack does 30 damage for each heads." in res.output
    assert "attack text on FT-002 Raichu" in res.output
    assert "    meaning: ok: the printed numbers and Energy symbols match" in res.output
    assert "2 fills changed, 0 left unreviewed" in res.output
    fills = load_fills(spec.parent / "fills.yaml")
    assert [(f.kind, f.reviewed) for f in fills.fills] == [("attack", True)]  # the trainer fill was removed
    with ChatServer({JUICE: [ANSWERS[JUICE][2]]}) as srv:
        fill(spec, f"openai:{srv.url}", "--model", "m")
    res = CliRunner().invoke(main, ["fill", str(spec), "--review"], input="s\n")
    assert "0 fills changed, 1 left unreviewed" in res.output
    res = CliRunner().invoke(main, ["fill", str(spec), "--accept-all"])
    assert res.exit_code == 0 and "1 fill changed, 0 left unreviewed" in res.output
    assert all(f.reviewed for f in load_fills(spec.parent / "fills.yaml").fills)
    res = CliRunner().invoke(main, ["fill", str(spec), "--review"])
    assert "no unreviewed fill" in res.output


def test_bad_options_are_usage_errors(spec):
    res = CliRunner().invoke(main, ["fill", str(spec), "--agent", "replay:x.yaml", "--price", "cheap"])
    assert res.exit_code == 2 and "price per million tokens" in res.output
    res = CliRunner().invoke(main, ["fill", str(spec), "--agent", "replay:x.yaml", "--review"])
    assert res.exit_code == 2 and "--review / --accept-all don't ask an agent" in res.output
