"""The three providers behind one interface, each kind of failure with its test: a real chat-completions server on
127.0.0.1 (tests/fill_agents.py), real subprocesses, real replay files. The API key never shows in an error."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from compiler.diagnostics import SpecError
from compiler.fill import providers
from compiler.fill.providers import (CommandProvider, OpenAIProvider, ProviderError, Recorder, ReplayProvider, Request,
                                     make_provider)
from tests.fill_agents import ChatServer

KEY = "sk-test-0123456789SECRET"
TEXT = "Toss a coin 2 times; this attack deals 30 damage per heads."
AGENT = str(Path(__file__).parent / "fill_agents.py")


def request(text: str = TEXT, attempt: int = 1) -> Request:
    return Request([{"role": "system", "content": "the prompt"},
                    {"role": "user", "content": f"Write the attack text {json.dumps(text)} as one JSON object."}],
                   "attack", text, attempt)


def openai(server: ChatServer, **kw) -> OpenAIProvider:
    kw = {"timeout": 2.0, "retries": 0, "backoff": 0.0, **kw}
    return OpenAIProvider(server.url, "test-model", KEY, **kw)


def test_openai_answer_with_model_and_tokens():
    with ChatServer({TEXT: [("answer", '{"text": "Flip 2 coins."}')]}, usage=(1234, 56)) as srv:
        reply = openai(srv).ask(request())
        assert (reply.content, reply.model, reply.prompt_tokens, reply.completion_tokens) == \
            ('{"text": "Flip 2 coins."}', "test-model", 1234, 56)
        (req,) = srv.requests
        assert req["path"] == "/v1/chat/completions" and req["auth"] == f"Bearer {KEY}"
        assert req["body"]["model"] == "test-model" and req["body"]["messages"] == request().messages
        assert req["body"]["temperature"] == 0.0


def test_openai_retries_a_500_then_answers():
    with ChatServer({TEXT: [("status", 500, "oops"), ("answer", "{}")]}) as srv:
        assert openai(srv, retries=1).ask(request()).content == "{}"
        assert len(srv.requests) == 2


def test_openai_gives_up_after_its_retries():
    with ChatServer({TEXT: [("status", 503, "busy")] * 3}) as srv:
        with pytest.raises(ProviderError) as e:
            openai(srv, retries=2).ask(request())
        assert str(e.value) == f"HTTP 503 from {srv.url}/chat/completions: busy (after 3 tries)"
        assert not e.value.fatal and len(srv.requests) == 3


def test_openai_timeout():
    with ChatServer({TEXT: [("sleep", 1.5, "{}")]}) as srv:
        with pytest.raises(ProviderError, match=r"no answer within 0.3 s \(after 1 tries\)"):
            openai(srv, timeout=0.3).ask(request())


def test_openai_refused_key_is_fatal_and_never_quoted():
    with ChatServer({TEXT: [("echo_auth", 401)]}) as srv:
        with pytest.raises(ProviderError) as e:
            openai(srv).ask(request())
        assert e.value.fatal and "refuses the API key" in str(e.value) and KEY not in str(e.value)


def test_a_server_that_echoes_the_key_gets_it_redacted():
    with ChatServer({TEXT: [("echo_auth", 400)]}) as srv:
        with pytest.raises(ProviderError) as e:
            openai(srv).ask(request())
        assert "bad request from Bearer ***" in str(e.value) and KEY not in str(e.value)


def test_openai_not_a_chat_completion():
    with ChatServer({TEXT: [("status", 200, "<html>hello</html>")]}) as srv:
        with pytest.raises(ProviderError, match="not a chat completion"):
            openai(srv).ask(request())


def test_openai_oversized_response(monkeypatch):
    monkeypatch.setattr(providers, "MAX_RESPONSE_BYTES", 1000)
    with ChatServer({TEXT: [("answer", "x" * 5000)]}) as srv:
        with pytest.raises(ProviderError, match="larger than 1,000 bytes"):
            openai(srv).ask(request())


def test_openai_unreachable():
    p = OpenAIProvider("http://127.0.0.1:9/v1", "m", None, timeout=1.0, retries=0)
    with pytest.raises(ProviderError, match=r"cannot reach http://127.0.0.1:9/v1/chat/completions: ConnectError"):
        p.ask(request())


def test_openai_setup_errors_and_redacted_label(monkeypatch):
    monkeypatch.delenv("TCGC_MODEL", raising=False)
    monkeypatch.delenv("OPENAI_MODEL", raising=False)
    with pytest.raises(ProviderError, match="needs a model"):
        make_provider("openai:http://127.0.0.1:1/v1")
    p = make_provider("openai:https://user:hunter2@example.org/v1?key=abc", model="m")
    assert p.label == "openai:https://***@example.org/v1"
    assert p.secrets.redact("hunter2 and hunter2") == "*** and ***"
    with pytest.raises(ProviderError, match="http"):
        make_provider("openai:ftp://example.org", model="m")
    with pytest.raises(ProviderError, match="unknown agent kind 'llm'"):
        make_provider("llm:gpt")
    monkeypatch.setenv("TCGC_API_KEY", KEY)
    p = make_provider("openai:http://127.0.0.1:1/v1", model="m")
    assert p.secrets.values == [KEY] and KEY not in p.label


def agent(tmp_path: Path, steps: list) -> CommandProvider:
    script = tmp_path / "script.json"
    script.write_text(json.dumps({TEXT: steps}), encoding="utf-8")
    return CommandProvider([sys.executable, AGENT, str(script), str(tmp_path / "state.json")], timeout=5.0)


def test_command_answers_from_stdout_with_the_prompt_on_stdin(tmp_path):
    p = agent(tmp_path, [["answer", '{"text": "Flip 2 coins."}']])
    assert p.ask(request()).content == '{"text": "Flip 2 coins."}'
    assert p.label.startswith("command:") and "fill_agents.py" in p.label


def test_command_exit_code_is_checked(tmp_path):
    with pytest.raises(ProviderError, match=r"the command exited with code 7: quota exceeded"):
        agent(tmp_path, [["status", 7, "quota exceeded"]]).ask(request())


def test_command_timeout(tmp_path):
    p = agent(tmp_path, [["sleep", 3, "{}"]])
    p.timeout = 0.5
    with pytest.raises(ProviderError, match=r"no answer within 0.5 s"):
        p.ask(request())


def test_command_output_is_size_limited(tmp_path, monkeypatch):
    monkeypatch.setattr(providers, "MAX_RESPONSE_BYTES", 1000)
    with pytest.raises(ProviderError, match="more than 1,000 bytes"):
        agent(tmp_path, [["flood", 50_000]]).ask(request())


def test_command_not_found_is_fatal():
    with pytest.raises(ProviderError) as e:
        make_provider("command:tcgc-no-such-agent --flag").ask(request())
    assert e.value.fatal and str(e.value) == "command not found: tcgc-no-such-agent"


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "replay.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_replay_answers_in_order_then_runs_out(tmp_path):
    p = ReplayProvider(write(tmp_path, f"format: tcgc-fill-replay\nversion: 1\nanswers:\n  - kind: attack\n    "
                                      f"text: '{TEXT}'\n    responses:\n      - 'first'\n      - {{text: second}}\n"))
    assert p.ask(request()).content == "first"
    assert json.loads(p.ask(request()).content) == {"text": "second"}
    with pytest.raises(ProviderError) as e:
        p.ask(request())
    assert e.value.exhausted and "no answer left for this text (2 used)" in str(e.value)
    with pytest.raises(ProviderError, match="no answers for this attack text"):
        p.ask(request("Another text."))


@pytest.mark.parametrize("body, expect", [
    ("format: tcgc-fill-replay\nanswers:\n  - {kind: attack, text: x, responses: [a], extra: 1}\n",
     "replay.yaml:3:45: [answers[0].extra] unknown key"),
    ("format: something\n", "replay.yaml:1:1: [format] String should match pattern"),
    ("format: tcgc-fill-replay\nanswers:\n  - {kind: attack, text: x, responses: []}\n",
     "[answers[0].responses] List should have at least 1 item"),
    ("format: tcgc-fill-replay\nanswers:\n  - {kind: attack, text: x, responses: [a]}\n  - {kind: attack, text: x, "
     "responses: [b]}\n", "replay.yaml:4:20: [answers[1].text] a second entry for this text"),
])
def test_bad_replay_files_are_located_errors(tmp_path, body, expect):
    with pytest.raises(SpecError) as e:
        ReplayProvider(write(tmp_path, body))
    assert any(expect in str(d) for d in e.value.diagnostics), [str(d) for d in e.value.diagnostics]


def test_a_recording_replays_the_same_answers(tmp_path):
    with ChatServer({TEXT: [("answer", "one"), ("answer", '{"text": "two"}')]}) as srv:
        rec = Recorder(openai(srv))
        assert [rec.ask(request()).content for _ in range(2)] == ["one", '{"text": "two"}']
    rec.save(tmp_path / "rec.yaml")
    replay = ReplayProvider(tmp_path / "rec.yaml")
    assert [replay.ask(request()).content for _ in range(2)] == ["one", '{"text": "two"}']
    assert KEY not in (tmp_path / "rec.yaml").read_text(encoding="utf-8")
