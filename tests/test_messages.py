"""User-facing messages: a count of one takes the singular ("1 card", not "1 cards")."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from compiler.cli import main
from compiler.diagnostics import SpecError, plural
from compiler.spec import load_spec

PIKACHU = {"id": "A1-094", "name": "Pikachu", "category": "pokemon", "stage": "basic", "hp": 60, "type": "Lightning",
           "retreat": 1, "set": "A1",
           "attacks": [{"name": "Gnaw", "cost": ["Lightning"], "damage": "20", "text": "Draw a card."}]}


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def one_card(tmp_path):
    """A one-card JSONL dump, imported as a one-card set, and a spec naming it."""
    dump = tmp_path / "one.jsonl"
    dump.write_text(json.dumps(PIKACHU) + "\n", encoding="utf-8")
    r = run("import-jsonl", dump, "-o", tmp_path / "cards" / "A1.yaml")
    assert r.exit_code == 0, r.output
    assert r.output.strip().endswith("set A1, 1 card")
    (tmp_path / "spec.yaml").write_text("name: one\ncard_sets: [cards/A1.yaml]\n", encoding="utf-8")
    return tmp_path


def test_plural():
    assert [plural(n, "card") for n in (0, 1, 2)] == ["0 cards", "1 card", "2 cards"]
    assert plural(1, "copy", "copies") == "1 copy" and plural(3, "copy", "copies") == "3 copies"


def test_validate_summary_of_one_card(one_card):
    r = run("validate", one_card / "spec.yaml")
    assert r.exit_code == 0, r.output
    assert "1 card in 1 set, 1 distinct effect text" in r.output


def test_deck_of_one_card(one_card):
    spec = one_card / "spec.yaml"
    spec.write_text(spec.read_text() + "decks:\n  - {name: d, energy: [Lightning], cards: {A1-094: 1}}\n")
    with pytest.raises(SpecError) as info:
        load_spec(spec)
    assert "deck has 1 card; the rules require exactly 20" in str(info.value)


def test_coverage_of_one_text(one_card):
    r = run("coverage", one_card / "spec.yaml")
    assert r.exit_code == 0, r.output
    assert "parsed 1 distinct text in" in r.output


def test_scrape_summary_of_one_card(one_card):
    r = run("scrape", one_card / "one.jsonl", "-o", one_card / "out", "--no-progress")
    assert r.exit_code == 0, r.output
    assert "set A1, 1 card\n" in r.output
