"""Strict spec loading: the example validates; each kind of mistake gives one located message and exit 2."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from compiler.cli import main
from compiler.diagnostics import SpecError
from compiler.spec import PRESETS, PokemonCard, TrainerCard, load_spec

from .conftest import EXAMPLE_SPEC, ROOT

BROKEN = ROOT / "tests" / "data" / "broken"

# (spec file, file named in the message, line, field or None, words the message must contain)
CASES = [
    ("yaml_syntax.yaml", "yaml_syntax.yaml", 3, None, "YAML syntax error"),
    ("duplicate_key.yaml", "duplicate_key.yaml", 3, None, 'duplicate key "name"'),
    ("not_a_mapping.yaml", "not_a_mapping.yaml", 1, None, "must be a mapping"),
    ("unknown_key.yaml", "unknown_key.yaml", 3, "deks", "unknown key"),
    ("wrong_type.yaml", "cards/wrong_type_cards.yaml", 7, "cards[0](A1-001).hp", "valid integer"),
    ("missing_field.yaml", "cards/missing_field_cards.yaml", 3, "cards[0](A1-001).hp", "required field is missing"),
    ("duplicate_id.yaml", "cards/duplicate_id_cards.yaml", 3, "cards[0].id", "duplicate card id A1-094"),
    ("dangling_evolution.yaml", "cards/dangling_cards.yaml", 13, "cards[1](A1-005).evolves_from",
     "evolves from 'Pikachu', which is no card in the pool"),
    ("unknown_card.yaml", "unknown_card.yaml", 7, "decks[0](typo).cards.A1-999", "unknown card id 'A1-999'"),
    ("deck_size.yaml", "deck_size.yaml", 6, "decks[0](short).cards", "deck has 4 cards; the rules require exactly 20"),
    ("copies.yaml", "copies.yaml", 7, "decks[0](too-many).cards", "4 copies of 'Bulbasaur'; at most 2"),
    ("no_basic.yaml", "no_basic.yaml", 7, "decks[0](no-basic).cards", "0 Basic Pokémon"),
    ("energy_types.yaml", "energy_types.yaml", 6, "decks[0](rainbow).energy", "4 Energy types; at most 3"),
    ("energy_colorless.yaml", "energy_colorless.yaml", 6, "decks[0](colorless).energy[0]",
     "Colorless is not an Energy Zone type"),
    ("missing_card_set.yaml", "missing_card_set.yaml", 4, "card_sets[1]", "card set file not found"),
    ("unknown_preset.yaml", "unknown_preset.yaml", 2, "rules.preset", "unknown preset 'hearthstone'"),
    ("bad_override.yaml", "bad_override.yaml", 4, "rules.overrides.bench_size", "greater than or equal to 0"),
    ("duplicate_deck.yaml", "duplicate_deck.yaml", 8, "decks[1](grass).name",
     "duplicate deck name 'grass' (first defined at duplicate_deck.yaml:5)"),
    ("missing_fills.yaml", "missing_fills.yaml", 3, "fills", "fills file not found: fills/nowhere.yaml"),
    ("unknown_effect_name.yaml", "cards/unknown_effect_name_cards.yaml", 12, "cards[0](A1-001).attacks[0].text",
     "its effect names the card 'Pikachu', which no card in the pool has"),
]


@pytest.fixture(autouse=True)
def _in_broken_dir(monkeypatch):
    monkeypatch.chdir(BROKEN)


@pytest.mark.parametrize("spec, file, line, field, words", CASES, ids=[c[0] for c in CASES])
def test_broken_spec_reports_file_line_field(spec, file, line, field, words):
    with pytest.raises(SpecError) as info:
        load_spec(spec)
    d = info.value.diagnostics[0]
    assert (d.source, d.line, d.field) == (file, line, field)
    assert words in d.message


@pytest.mark.parametrize("spec, file, line, field, words", CASES, ids=[c[0] for c in CASES])
def test_cli_validate_broken_spec_exits_2_with_message(spec, file, line, field, words):
    result = CliRunner().invoke(main, ["validate", spec])
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)
    expected = re.escape(f"{file}:{line}:") + r"(\d+:)?" + (re.escape(f" [{field}]") if field else "")
    assert re.search(expected, result.output), result.output
    assert words in result.output
    assert "Traceback" not in result.output


def test_missing_spec_file_exits_2():
    result = CliRunner().invoke(main, ["validate", "no-such-spec.yaml"])
    assert result.exit_code == 2
    assert "no-such-spec.yaml: file not found" in result.output


def test_every_error_in_a_file_is_reported():
    with pytest.raises(SpecError) as info:
        load_spec("several_errors.yaml")
    messages = [str(d) for d in info.value.diagnostics]
    assert len(messages) == 2
    assert "an Energy type is listed twice" in messages[0]
    assert "unknown card id 'A1-404'" in messages[1]
    result = CliRunner().invoke(main, ["validate", "bad_override.yaml"])
    assert "[rules.overrides.hand_limt] unknown key" in result.output
    assert "2 errors" in result.output


def test_real_process_prints_no_traceback():
    proc = subprocess.run([sys.executable, "-m", "compiler.cli", "validate", "yaml_syntax.yaml"],
                          capture_output=True, text=True, cwd=BROKEN)
    assert proc.returncode == 2
    assert "yaml_syntax.yaml:3:6: YAML syntax error" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


def test_overrides_change_the_rules():
    loaded = load_spec("ok.yaml")
    assert loaded.rules.deck_size == 16
    assert loaded.rules.bench_size == PRESETS["pocket"].bench_size == 3
    assert len(loaded.cards) == 8


def test_example_spec_validates():
    loaded = load_spec(EXAMPLE_SPEC)
    assert len(loaded.cards) == 225
    assert len(loaded.spec.decks) >= 4
    for deck in loaded.spec.decks:
        assert sum(deck.cards.values()) == 20
        assert deck.energy
    fossil = loaded.cards["A1-216"]
    assert isinstance(fossil, TrainerCard) and fossil.is_fossil
    omanyte = loaded.cards["A1-081"]
    assert isinstance(omanyte, PokemonCard) and omanyte.evolves_from == "Helix Fossil"


def test_cli_validate_example_prints_summary():
    result = CliRunner().invoke(main, ["validate", str(EXAMPLE_SPEC)])
    assert result.exit_code == 0, result.output
    assert "225 cards" in result.output
    assert "84 distinct effect texts" in result.output
    assert "mewtwo-gardevoir" in result.output


def test_cli_validate_summary_is_one_line_under_a_long_path(tmp_path):
    import shutil

    deep = tmp_path / ("a-rather-long-folder-name-" * 4) / "[spec]"
    shutil.copytree(EXAMPLE_SPEC.parent, deep)
    result = CliRunner().invoke(main, ["validate", str(deep / "spec.yaml")])
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert first.startswith("ok ") and str(deep / "spec.yaml") in first and first.endswith("84 distinct effect texts")


def test_pocket_preset_values():
    r = PRESETS["pocket"]
    assert (r.deck_size, r.max_copies_per_name, r.opening_hand_size, r.hand_limit, r.bench_size) == (20, 2, 5, 10, 3)
    assert (r.points_to_win, r.knockout_points.normal, r.knockout_points.ex, r.knockout_points.mega_ex) == (3, 1, 2, 3)
    assert (r.weakness_bonus, r.special_conditions.poison_damage, r.special_conditions.burn_damage) == (20, 10, 20)
    assert r.first_turn.first_player_energy is False and r.first_turn.evolve_on_first_turn is False
    assert r.supporters_per_turn == 1 and r.retreats_per_turn == 1 and r.energy_zone


def test_every_rule_is_documented():
    from compiler.spec import RulesSpec
    for name, f in RulesSpec.model_fields.items():
        assert f.description or f.default_factory, name


def test_unwritable_output_path_is_an_error_not_a_traceback(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    src = tmp_path / "one.jsonl"
    src.write_text('{"id": "A1-094", "name": "Pikachu", "category": "pokemon", "stage": "basic", "hp": 60, '
                   '"type": "Lightning", "retreat": 1, "attacks": []}\n')
    out = blocker / "sub" / "A1.yaml"  # a folder inside a plain file cannot exist
    result = CliRunner().invoke(main, ["import-jsonl", str(src), "-o", str(out)])
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)
    assert "file: Not a directory" in result.output or "Not a directory" in result.output


def test_wrong_shapes_in_a_deck_are_located(tmp_path):
    (tmp_path / "c.yaml").write_text("set: A\ncards: []\n")
    (tmp_path / "s.yaml").write_text("name: x\ncard_sets: [c.yaml]\ndecks:\n  - name: d\n    energy: Fire\n"
                                     "    cards: [A1-001]\n")
    with pytest.raises(SpecError) as info:
        load_spec(tmp_path / "s.yaml")
    got = [(d.line, d.field) for d in info.value.diagnostics]
    assert got == [(5, "decks[0](d).energy"), (6, "decks[0](d).cards")]


def test_unknown_top_level_key_does_not_hide_the_other_errors():
    with pytest.raises(SpecError) as info:
        load_spec("unknown_key_and_deck.yaml")
    got = sorted((d.line, d.field, d.message) for d in info.value.diagnostics)
    assert [(line, fld) for line, fld, _ in got] == [
        (2, "card_sets[1]"), (3, "deks"), (7, "decks[0](short).cards"), (9, "decks[1](shapeless).energy"),
        (13, "decks[2](typo).cards"), (13, "decks[2](typo).cards"), (13, "decks[2](typo).cards.A1-999")]
    messages = " | ".join(m for _, _, m in got)
    assert "card set file not found" in messages and "unknown key" in messages
    assert "deck has 4 cards" in messages and "unknown card id 'A1-999'" in messages
    result = CliRunner().invoke(main, ["validate", "unknown_key_and_deck.yaml"])
    assert result.exit_code == 2 and "7 errors" in result.output, result.output


def test_bad_rules_and_bad_name_do_not_hide_card_set_errors():
    with pytest.raises(SpecError) as info:
        load_spec("bad_top_level_fields.yaml")
    got = [(d.line, d.field) for d in info.value.diagnostics]
    assert sorted(got, key=lambda x: x[0]) == [(1, "name"), (2, "rules.overide"), (4, "card_sets[0]")]


def _laughs(levels: int) -> str:
    lines = ["name: x", "card_sets: [c.yaml]", "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    prev = "a"
    for name in "bcdefghijk"[:levels]:
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
        prev = name
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("as_card_set", [False, True], ids=["spec", "card_set"])
def test_nested_aliases_are_refused_quickly(tmp_path, as_card_set):
    import time
    (tmp_path / "c.yaml").write_text("set: A\ncards: []\n")
    text = _laughs(9)
    if as_card_set:
        (tmp_path / "c.yaml").write_text(text.replace("name: x\ncard_sets: [c.yaml]", "set: A\ncards: []"))
        text = "name: x\ncard_sets: [c.yaml]\n"
    (tmp_path / "s.yaml").write_text(text)
    start = time.perf_counter()
    with pytest.raises(SpecError) as info:
        load_spec(tmp_path / "s.yaml")
    assert time.perf_counter() - start < 0.5
    (d,) = info.value.diagnostics
    assert d.source.endswith("c.yaml" if as_card_set else "s.yaml")
    assert d.line == 8 and "aliases" in d.message, d
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "s.yaml")])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)


def test_recursive_alias_is_refused(tmp_path):
    (tmp_path / "c.yaml").write_text("set: A\ncards: []\n")
    (tmp_path / "s.yaml").write_text("name: x\ncard_sets: &r [c.yaml, *r]\n")
    with pytest.raises(SpecError) as info:
        load_spec(tmp_path / "s.yaml")
    (d,) = info.value.diagnostics
    assert (d.line, d.column) == (2, 24) and "recursive alias *r" in d.message


def test_modest_aliases_still_load(tmp_path):
    ok = (BROKEN / "ok.yaml").read_text().replace("energy: [Grass]", "energy: &e [Grass]")
    ok = ok.replace("card_sets: [cards/mini.yaml]", f"card_sets: [{BROKEN / 'cards/mini.yaml'}]")
    ok += "  - name: again\n    energy: *e\n    cards: {A1-001: 2, A1-002: 2, A1-033: 2, A1-094: 2, A1-219: 2, " \
          "A1-223: 2, A1-225: 2, A1-216: 2}\n"
    (tmp_path / "s.yaml").write_text(ok)
    loaded = load_spec(tmp_path / "s.yaml")
    assert [d.energy for d in loaded.spec.decks] == [["Grass"], ["Grass"]]
