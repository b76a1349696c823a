"""An agent's answer is data: decoded with json.loads, size- and depth-limited, scanned for code, one of three
shapes. Each kind of bad answer has a test."""

from __future__ import annotations

import json

import pytest

from compiler.fill.answer import MAX_ANSWER_CHARS, MAX_DEPTH, AnswerError, Candidate, Declined, decode

IR = {"op": "attack", "steps": [{"op": "flip", "count": {"op": "const", "value": 2}}]}


def test_ir_text_and_cannot_answers():
    assert decode(json.dumps({"ir": IR})) == Candidate(ir=IR)
    assert decode('{"text": "  Flip 2 coins.  "}') == Candidate(text="Flip 2 coins.")
    assert decode('{"cannot": "the IR has no step that reorders a deck"}') == \
        Declined("the IR has no step that reorders a deck")


def test_a_fenced_answer_with_prose_around_it():
    answer = "Here it is:\n```json\n" + json.dumps({"ir": IR}) + "\n```\nHope it helps."
    assert decode(answer) == Candidate(ir=IR)


@pytest.mark.parametrize("answer, reason", [
    ('{"ir": {"op": "attack", "steps": [}', "malformed JSON: Expecting value (line 1, column 35)"),
    ("Flip 2 coins. This attack does 30 damage for each heads.", "malformed JSON"),
    ("", "the answer is empty"),
    ('["ir"]', "the answer is a JSON list, not an object"),
    ('{"ir": {}, "text": "Flip a coin."}', "exactly one of 'ir', 'text', 'cannot'"),
    ('{"fill": {}}', "unknown key 'fill'"),
    ('{}', "exactly one of"),
    ('{"ir": "attack"}', "'ir' must be a JSON object"),
    ('{"text": 3}', "'text' must be a non-empty string"),
    ('{"cannot": ""}', "'cannot' must be a string that says why"),
])
def test_malformed_answers_are_rejected_with_a_reason(answer, reason):
    with pytest.raises(AnswerError) as e:
        decode(answer)
    assert reason in str(e.value)


def test_an_answer_over_the_size_limit():
    with pytest.raises(AnswerError, match="more than the limit"):
        decode('{"text": "' + "a" * MAX_ANSWER_CHARS + '"}')


def test_deep_nesting_is_refused_before_validation():
    deep = {"op": "not", "condition": None}
    node = deep
    for _ in range(MAX_DEPTH + 5):
        node["condition"] = {"op": "not", "condition": None}
        node = node["condition"]
    with pytest.raises(AnswerError, match="nests"):
        decode(json.dumps({"ir": {"op": "attack", "requirement": deep}}))


@pytest.mark.parametrize("smuggled", [
    "__import__('os').system('touch PWNED')",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "eval(compile('1', 'x', 'exec'))",
    "import os; os.remove('x')",
    "lambda: 1",
])
def test_strings_that_look_like_code_are_rejected(smuggled):
    ir = {"op": "attack", "steps": [{"op": "fetch", "count": 1, "source": "deck", "to": "hand",
                                     "filter": {"filters": [{"op": "name_is", "names": [smuggled]}]}}]}
    with pytest.raises(AnswerError, match="looks like code"):
        decode(json.dumps({"ir": ir}))
    with pytest.raises(AnswerError, match="looks like code"):
        decode(json.dumps({"text": f"Put a random {smuggled} from your deck into your hand."}))


def test_code_in_a_key_is_caught_too():
    with pytest.raises(AnswerError, match="looks like code"):
        decode(json.dumps({"ir": {"op": "attack", "__class__": 1}}))
