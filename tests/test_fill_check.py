"""The check of a candidate fill, one test per step that can reject it (the JAX lockstep step is off here; it runs
for real in test_fill_jax.py). Every rejection names its step and a reason that is fed back to the agent."""

from __future__ import annotations

import json

import pytest

from compiler import ir
from compiler.fill.answer import Candidate
from compiler.fill.check import Options, check_candidate, meaning_problem
from compiler.fill.prompt import build_prompt, compact_schema
from compiler.fill.run import targets
from compiler.fill.store import ir_data
from compiler.parse import parse_effect
from compiler.render import render
from compiler.spec import load_spec
from tests.test_fill_store import DATA

TOSS = "Toss a coin 2 times; this attack deals 30 damage per heads."
SUMMON = "Summon 1 random Rattata from your deck to your Bench."
LUCKY = "Once on your turn, you can draw 1 card."
JUICE = "Restore 20 HP of 1 of your Pokémon."
OFF = Options(lockstep=False)


@pytest.fixture(scope="module")
def pool():
    loaded = load_spec(DATA / "spec.yaml")
    return loaded, {t.text: t for t in targets(loaded)}


def check(pool, text: str, answer: dict | str, opts: Options = OFF):
    loaded, ts = pool
    cand = Candidate(text=answer) if isinstance(answer, str) else Candidate(ir=answer)
    return check_candidate(cand, ts[text], loaded, opts)


def as_ir(text: str, kind: str = "attack") -> dict:
    return ir_data(parse_effect(text, kind))


def test_the_pool_has_four_unresolved_texts(pool):
    _, ts = pool
    assert set(ts) == {TOSS, SUMMON, LUCKY, JUICE}
    assert [c.id for c in ts[TOSS].cards] == ["FT-002"]
    assert ts[TOSS].reason == "no grammar rule reads 'a' at column 6 after 'Toss'"


def test_a_correct_fill_passes_every_step_it_runs(pool):
    rep = check(pool, TOSS, as_ir("Flip 2 coins. This attack does 30 damage for each heads."))
    assert rep.ok, rep.results
    assert rep.rendering == "Flip 2 coins. This attack does 30 damage for each heads."
    assert rep.results["lowering"] == "ok" and rep.results["lockstep"] == "skipped"
    sc = rep.results["scenarios"]
    assert sc.startswith("ok: 5 boards") and "coins both ways on" in sc
    assert "the effect ran 0 times" not in sc


def test_canonical_text_answers_are_parsed(pool):
    rep = check(pool, JUICE, "Heal 20 damage from 1 of your Pokémon.")
    assert rep.ok, rep.results
    assert rep.node == parse_effect("Heal 20 damage from 1 of your Pokémon.", "trainer")
    rep = check(pool, SUMMON, "Put a random Rattata from your deck onto your Bench.")
    assert rep.ok, rep.results


def test_schema_violations(pool):
    rep = check(pool, TOSS, {"op": "attack", "steps": [{"op": "flip", "count": 2}]})
    assert rep.failed == "schema"
    assert "steps.0.flip.count" in rep.reason and "Input should be a valid dictionary" in rep.reason
    rep = check(pool, TOSS, {"op": "attack", "steps": [{"op": "teleport"}]})
    assert rep.failed == "schema" and "'teleport'" in rep.reason
    rep = check(pool, TOSS, {"op": "unresolved", "text": TOSS, "reason": "shrug"})
    assert rep.failed == "schema" and "Unresolved" in rep.reason


def test_text_that_does_not_parse(pool):
    rep = check(pool, TOSS, "Zap the foe real good.")
    assert rep.failed == "text"
    assert rep.reason == "text: the canonical text does not parse: no grammar rule reads 'the' at column 5 after 'Zap'"


def test_an_ir_with_no_canonical_english_is_refused(pool):
    node = as_ir("Flip 2 coins. This attack does 30 damage for each heads.")
    node["damage_at"] = 0  # main damage before the flip: the language has no wording for it here
    rep = check(pool, TOSS, node)
    assert rep.failed == "render" and "the IR has no canonical English" in rep.reason


def test_an_ir_whose_english_reads_back_differently_is_refused(pool, monkeypatch):
    """A reviewer reads the rendering: it must be exactly the IR the engines run (a renderer that loses a detail,
    simulated here, makes the check refuse the fill rather than show a misleading rendering)."""
    import compiler.render

    monkeypatch.setattr(compiler.render, "render", lambda node, kind=None, base=0: "Flip 2 coins. This attack does "
                                                                                  "30 more damage for each heads.")
    rep = check(pool, TOSS, as_ir("Flip 2 coins. This attack does 30 damage for each heads."))
    assert rep.failed == "render" and "does not parse back to the same IR (it reads back as a different IR)" in \
        rep.reason


def test_the_ir_must_fit_the_kind_and_the_card(pool):
    rep = check(pool, LUCKY, as_ir("Draw a card."))  # an attack node for an Ability text
    assert rep.failed == "card" and "an ability text's IR must have op activated or passive or triggered" in rep.reason
    rep = check(pool, TOSS, as_ir("Flip 2 coins. This attack does 30 more damage for each heads."))
    assert rep.failed == "card"
    assert "FT-002 Raichu, attack 'Double Zap' (30x): printed damage 30x but the text sets no damage" in rep.reason
    rep = check(pool, JUICE, as_ir("The Pokémon this card is attached to gets +20 HP.", "trainer"))
    assert rep.failed == "card" and "a item card whose text reads as a Tool" in rep.reason


def test_names_must_be_in_the_pool_and_mean_what_they_say(pool):
    rep = check(pool, SUMMON, "Put a random Mewtwo from your deck onto your Bench.")
    assert rep.failed == "names" and "names the card 'Mewtwo', which no card in the pool has" in rep.reason
    rep = check(pool, SUMMON, "Put a random Raichu from your deck onto your Bench.")
    assert rep.failed == "names" and "puts Raichu onto the Bench" in rep.reason


def test_a_changed_number_or_energy_symbol_is_caught(pool):
    rep = check(pool, TOSS, "Flip 2 coins. This attack does 20 damage for each heads.")
    assert rep.failed == "meaning"
    assert "the card prints 30 but the fill's English never says it" in rep.reason
    assert "the fill's English says 20, which the card does not print" in rep.reason
    rep = check(pool, LUCKY, "Once during your turn, you may draw 2 cards.")
    assert rep.failed == "meaning"


def test_the_meaning_check_holds_for_every_parsed_corpus_text(corpus):
    """The claim in docs/fill.md: no parsed text of the corpus would be refused by the meaning check."""
    rows = [json.loads(x) for x in (corpus / "effect_texts.jsonl").read_text(encoding="utf-8").splitlines()]
    checked = 0
    for row in rows:
        node = parse_effect(row["text"], row["kind"])
        if isinstance(node, ir.Unresolved):
            continue
        checked += 1
        assert meaning_problem(row["text"], render(node, row["kind"])) is None, row["text"]
    assert checked >= 540


def test_the_lowering_must_accept_the_card(pool):
    wider = "At the end of your turn, draw a card."  # a trigger the JAX back end does not compile yet
    rep = check(pool, LUCKY, wider)
    assert rep.failed == "lowering"
    assert "the JAX back end refuses it: FT-004 Meowth: Ability 'Lucky Charm': Ability (triggered on end_of_turn) " \
        "not lowered yet" in rep.reason
    rep = check(pool, LUCKY, "Once during your turn, you may draw a card.", Options(lockstep=False))
    assert rep.ok and rep.results["lowering"] == "ok", rep.results
    rep = check(pool, LUCKY, wider, Options(lowering=False, lockstep=False))
    assert rep.ok, rep.results
    assert rep.results["lowering"] == "skipped" and rep.results["lockstep"].startswith("skipped")


def test_an_effect_no_board_lets_run_is_refused(pool):
    rep = check(pool, TOSS, "You can use this attack only if you have Raichu on your Bench. Flip 2 coins. This "
                            "attack does 30 damage for each heads.")
    assert rep.failed == "scenarios"
    assert "no board of the check let the effect run" in rep.reason


def test_an_exception_in_the_reference_engine_is_caught(pool, monkeypatch):
    from reference.effects import Interpreter

    def broken(self, ctx, st, path):
        raise RuntimeError("heal exploded")

    monkeypatch.setattr(Interpreter, "do_heal", broken)
    rep = check(pool, JUICE, "Heal 20 damage from 1 of your Pokémon.")
    assert rep.failed == "scenarios"
    assert "the reference engine raised RuntimeError: heal exploded" in rep.reason
    assert "board 'in the hand', action play:hand0" in rep.reason


def test_a_broken_invariant_after_the_effect_is_caught(pool, monkeypatch):
    from reference.game import Game

    def heal(self, p, pk, amount):
        pk.damage -= amount  # heals below zero damage
        return amount

    monkeypatch.setattr(Game, "heal", heal)
    rep = check(pool, JUICE, "Heal 20 damage from 1 of your Pokémon.")
    assert rep.failed == "scenarios" and "broke 'damage within HP'" in rep.reason


def test_the_prompt_has_every_part(pool):
    loaded, ts = pool
    system, user = build_prompt(ts[TOSS], loaded)
    s = system["content"]
    assert "Printed text: " + TOSS in s
    assert "Why the grammar could not read it: no grammar rule reads 'a' at column 6 after 'Toss'" in s
    assert "Raichu (FT-002): Stage 1 Pokémon, evolves from Pikachu; 100 HP, Lightning type" in s
    assert "Attack Double Zap, cost [L][C], damage 30x" in s
    assert "- flip (count, until_tails): " in s  # the language: every node with its fields and documentation
    assert "## Texts of this pool that the grammar reads, with their IR\n\n(none)" in s  # none parses here
    assert compact_schema() in s and "{{" not in s
    assert '"ir"' in s and '"cannot"' in s
    assert json.loads(user["content"][len("Write the attack text "):-len(" as one JSON object.")]) == TOSS


def test_the_compact_schema_resolves_every_reference():
    schema = json.loads(compact_schema())
    refs = set()
    stack = [schema]
    while stack:
        x = stack.pop()
        if isinstance(x, dict):
            if "$ref" in x:
                refs.add(x["$ref"].rsplit("/", 1)[1])
            stack.extend(x.values())
        elif isinstance(x, list):
            stack.extend(x)
    assert refs <= set(schema["$defs"])
    assert {"Step", "Condition", "Target", "Modifier"} <= set(schema["$defs"])
    assert len(json.dumps(schema)) < len(json.dumps(ir.TOP_ADAPTER.json_schema())) / 3


def test_the_examples_are_the_most_similar_parsed_texts_of_the_pool():
    from compiler.fill.check import Target
    from compiler.fill.prompt import parsed_texts, similar
    from tests.conftest import EXAMPLE_SPEC

    loaded = load_spec(EXAMPLE_SPEC)
    parsed = parsed_texts(loaded.cards.values())
    top = similar("attack", TOSS, parsed)
    assert len(top) == 6 and all(kind == "attack" for kind, _, _ in top)
    assert any(t.startswith("Flip 2 coins. This attack does") and t.endswith("damage for each heads.")
               for _, t, _ in top[:3]), [t for _, t, _ in top]
    system, _ = build_prompt(Target("attack", TOSS, [loaded.cards["A1-001"]]), loaded, parsed)
    example = system["content"].split("with their IR\n\n")[1]
    assert example.startswith("[attack] " + top[0][1] + "\n" + json.dumps(ir_data(top[0][2]), separators=(",", ":")))
