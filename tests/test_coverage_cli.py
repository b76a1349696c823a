"""`tcgc coverage` and `tcgc parse`: real files in, tables and JSON out; bad input is a located error (exit 2)."""

from __future__ import annotations

import json
import time

from click.testing import CliRunner

from compiler.cli import main
from compiler.coverage import collect, report
from compiler.parse import parse_effect
from tests.conftest import CORPUS, CORPUS_SETS, EXAMPLE_SPEC

SET_FILES = [str(CORPUS / f"{s}.jsonl") for s in CORPUS_SETS]


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_corpus_coverage_is_at_least_90_percent(corpus):
    r = report(collect(SET_FILES))
    assert r["total"] == 554
    assert r["parsed"] / r["total"] >= 0.90
    assert r["unresolved"] == len(r["unresolved_texts"]) == r["total"] - r["parsed"]
    assert set(r["sets"]) == set(CORPUS_SETS)
    assert sum(g["count"] for g in r["by_reason"]) == r["unresolved"]


def test_parsing_every_corpus_text_takes_under_two_seconds(corpus):
    rows = [json.loads(line) for line in (corpus / "effect_texts.jsonl").read_text(encoding="utf-8").splitlines()]
    start = time.perf_counter()
    for row in rows:
        parse_effect(row["text"], row["kind"])
    assert time.perf_counter() - start < 2.0


def test_coverage_json_on_all_corpus_files(corpus):
    res = run("coverage", "--json", *sorted(str(p) for p in corpus.glob("*.jsonl")))
    assert res.exit_code == 0, res.output
    r = json.loads(res.output)
    for key in ("total", "parsed", "unresolved", "sets", "unresolved_texts"):
        assert key in r
    assert r["total"] == 554 and r["sets"]["text_variants"] == {"note": "wording variants, not cards: skipped"}
    assert r["sets"]["effect_texts"]["total"] == 554
    assert {"kind", "text", "reason"} <= set(r["unresolved_texts"][0])
    # the share of parsed texts whose canonical English is the printed text (after normalisation)
    assert r["renders_as_printed"] + len(r["renders_differently"]) == r["parsed"]
    assert r["renders_as_printed"] >= 0.85 * r["parsed"]


def test_coverage_tables_name_sets_kinds_time_and_reasons(corpus):
    res = run("coverage", *SET_FILES[:2])
    assert res.exit_code == 0, res.output
    for word in ("A1", "A1a", "all (distinct)", "attack", "ability", "trainer", "cards covered", "parsed", " s ",
                 "canonical English equals the printed text"):
        assert word in res.output
    assert "[attack]" in res.output or "[ability]" in res.output or "[trainer]" in res.output


def test_coverage_reads_a_spec_and_a_card_set_yaml():
    by_spec = report(collect([EXAMPLE_SPEC]))
    by_set = report(collect([EXAMPLE_SPEC.parent / "cards" / "A1.yaml"]))
    assert by_spec["total"] == by_set["total"] > 50
    assert by_spec["parsed"] == by_set["parsed"]


def test_coverage_missing_file_is_a_located_error(tmp_path):
    res = run("coverage", str(tmp_path / "nope.jsonl"))
    assert res.exit_code == 2
    assert "nope.jsonl" in res.output and "file not found" in res.output


def test_coverage_bad_jsonl_line_names_the_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"kind": "attack", "text": "Draw a card."}\n{"kind": "attack"\n', encoding="utf-8")
    res = run("coverage", str(bad))
    assert res.exit_code == 2
    assert "bad.jsonl:2" in res.output


def test_coverage_bad_kind_is_reported(tmp_path):
    bad = tmp_path / "kinds.jsonl"
    bad.write_text('{"kind": "spell", "text": "Draw a card."}\n', encoding="utf-8")
    res = run("coverage", str(bad))
    assert res.exit_code == 2 and "kinds.jsonl:1" in res.output and "kind" in res.output


def test_coverage_rejects_other_file_types(tmp_path):
    other = tmp_path / "cards.txt"
    other.write_text("hello", encoding="utf-8")
    res = run("coverage", str(other))
    assert res.exit_code == 2 and "cards.txt" in res.output


def test_parse_prints_yaml_and_canonical_text():
    res = run("parse", "Flip 2 coins. This attack does 20 damage for each heads.")
    assert res.exit_code == 0, res.output
    assert "op: flip" in res.output and "op: attack_damage" in res.output
    assert "# canonical: Flip 2 coins. This attack does 20 damage for each heads." in res.output


def test_parse_json_of_an_ability():
    res = run("parse", "--kind", "ability", "--json", "This Pokémon takes -20 damage from attacks.")
    assert res.exit_code == 0
    assert json.loads(res.output)["modifiers"][0] == {
        "op": "damage_taken", "target": {"op": "this"}, "delta": -20, "attacker": [], "attacker_player": None}


def test_parse_unresolved_exits_1_with_the_reason():
    res = run("parse", "--kind", "trainer", "Shuffle your opponent's hand into their deck.")
    assert res.exit_code == 1
    assert "op: unresolved" in res.output and "unresolved:" in res.output


def test_parse_rejects_an_unknown_kind():
    res = run("parse", "--kind", "spell", "Draw a card.")
    assert res.exit_code == 2


ALAKAZAM = """set: BS
cards:
  - id: BS-001
    name: Alakazam
    category: pokemon
    stage: basic
    hp: 80
    type: Psychic
    attacks:
      - name: Confuse Ray
        cost: [Psychic, Psychic, Psychic]
        damage: '30'
        text: Flip a coin. If heads, the Defending Pokémon is now Confused.
    pokemon_power:
      name: Damage Swap
      text: As often as you like during your turn (before your attack), you may move 1 damage counter from 1 of your
        Pokémon to another as long as you don't Knock Out that Pokémon.
"""


def test_a_pokemon_power_counts_as_an_unresolved_text(tmp_path):
    (tmp_path / "BS.yaml").write_text(ALAKAZAM, encoding="utf-8")
    r = report(collect([tmp_path / "BS.yaml"]))
    assert (r["total"], r["parsed"], r["unresolved"]) == (2, 1, 1)
    assert r["by_kind"]["ability"] == {"total": 1, "parsed": 0, "filled": 0, "unresolved": 1}
    assert (r["cards"], r["cards_covered"]) == (1, 0)
    [u] = r["unresolved_texts"]
    assert u["kind"] == "pokemon_power" and u["text"].startswith("As often as you like")
    assert "Pokémon Power" in u["reason"]
    res = run("coverage", str(tmp_path / "BS.yaml"))
    assert res.exit_code == 0, res.output
    assert "[pokemon_power] As often as you like" in res.output


def test_validate_counts_the_pokemon_power_among_the_effect_texts(tmp_path):
    (tmp_path / "BS.yaml").write_text(ALAKAZAM, encoding="utf-8")
    (tmp_path / "spec.yaml").write_text("name: bs\ncard_sets: [BS.yaml]\n", encoding="utf-8")
    res = run("validate", str(tmp_path / "spec.yaml"))
    assert res.exit_code == 0, res.output
    assert "1 card in 1 set, 2 distinct effect texts" in res.output
