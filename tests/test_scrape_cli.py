"""`tcgc scrape` on the command line: summary, exit codes, located errors, and the grammar report."""

from __future__ import annotations

import sys
import types

import pytest
from click.testing import CliRunner

from compiler.cli import main
from compiler.spec import load_card_set
from spec_scraper.summary import unparsed_effects
from tests.conftest import CORPUS
from tests.fixtures_site.fixtures import fresh_site, served  # noqa: F401 (fixtures)
from tests.fixtures_site.server import Fault

FAST = ["--delay", "0", "--timeout", "15", "--retries", "1", "--no-progress"]


def tcgc(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_scrape_url_prints_the_summary(fresh_site, tmp_path):
    res = tcgc("scrape", f"{fresh_site.url}/cards", "--set", "F1", "-o", str(tmp_path), *FAST)
    assert res.exit_code == 0, res.output
    assert f"wrote {tmp_path / 'cards' / 'F1.yaml'}: set F1 (Fault Drills), 8 cards" in res.output
    assert "cards written: 8" in res.output and "cards failed: 0" in res.output
    assert "effect texts not yet parsed:" in res.output
    assert len(load_card_set(tmp_path / "cards" / "F1.yaml")[0].cards) == 8
    assert "evolves from cards in no scraped set: Ivysaur, Metapod (scrape their sets too" in res.output


def test_a_set_page_url_and_a_set_name_work_too(fresh_site, tmp_path):
    res = tcgc("scrape", f"{fresh_site.url}/cards/F1", "-o", str(tmp_path / "a"), *FAST)
    assert res.exit_code == 0, res.output
    assert "set F1, 8 cards" in res.output
    res = tcgc("scrape", f"{fresh_site.url}/cards", "--set", "fault drills", "-o", str(tmp_path / "b"), *FAST)
    assert res.exit_code == 0, res.output
    assert "set F1 (Fault Drills), 8 cards" in res.output


def test_failed_cards_are_listed_with_url_and_reason_and_exit_1(fresh_site, tmp_path):
    fresh_site.site.arm("/cards/F1/2", Fault(status=404))
    res = tcgc("scrape", f"{fresh_site.url}/cards", "--set", "F1", "-o", str(tmp_path), *FAST)
    assert res.exit_code == 1
    assert "cards failed: 1" in res.output and f"  {fresh_site.url}/cards/F1/2: HTTP 404" in res.output
    assert "cards written: 7" in res.output


def test_unknown_set_is_a_located_error(fresh_site, tmp_path):
    res = tcgc("scrape", f"{fresh_site.url}/cards", "--set", "ZZ", "-o", str(tmp_path), *FAST)
    assert res.exit_code == 2
    assert f"{fresh_site.url}/cards: set(s) ZZ not on the index; it lists: A1, A2, B1a, X1, F1" in res.output


def test_a_page_that_is_no_card_index_is_a_located_error(fresh_site, tmp_path):
    res = tcgc("scrape", f"{fresh_site.url}/cards/F1/1", "-o", str(tmp_path), *FAST)
    assert res.exit_code == 2 and "not a card index or set page (a limitless card page)" in res.output


def test_unreachable_index_is_a_located_error(fresh_site, tmp_path):
    res = tcgc("scrape", f"{fresh_site.url}/nowhere", "-o", str(tmp_path), *FAST)
    assert res.exit_code == 2 and f"{fresh_site.url}/nowhere: HTTP 404" in res.output


def test_jsonl_dump_as_a_path(tmp_path):
    res = tcgc("scrape", str(CORPUS / "A1a.jsonl"), "-o", str(tmp_path), "--no-progress")
    assert res.exit_code == 0, res.output
    cards = load_card_set(tmp_path / "cards" / "A1a.yaml")[0].cards
    assert len(cards) == 68 and cards[0].source.endswith("A1a.jsonl")
    assert (tmp_path / "spec.yaml").is_file()


def test_json_dump_as_a_path(tmp_path):
    records = [__import__("json").loads(line) for line in (CORPUS / "A1a.jsonl").read_text("utf-8").splitlines()]
    dump = tmp_path / "dump.json"
    dump.write_text(__import__("json").dumps(records[:5]), encoding="utf-8")
    res = tcgc("scrape", str(dump), "-o", str(tmp_path / "out"), "--no-progress")
    assert res.exit_code == 0, res.output
    assert [c.id for c in load_card_set(tmp_path / "out" / "cards" / "A1a.yaml")[0].cards] == [
        r["id"] for r in records[:5]]


@pytest.mark.parametrize("content, message", [
    ('[{"id": "A1-001"}]', "[0]] each card needs id, name and category"),
    ("{not json", "invalid JSON"),
])
def test_bad_json_dump_is_a_located_error(tmp_path, content, message):
    dump = tmp_path / "bad.json"
    dump.write_text(content, encoding="utf-8")
    res = tcgc("scrape", str(dump), "-o", str(tmp_path / "out"))
    assert res.exit_code == 2 and "bad.json" in res.output and message in res.output


def test_missing_and_unknown_paths_are_located_errors(tmp_path):
    res = tcgc("scrape", str(tmp_path / "nope.jsonl"), "-o", str(tmp_path / "out"))
    assert res.exit_code == 2 and "nope.jsonl: file not found" in res.output
    (tmp_path / "cards.txt").write_text("x", encoding="utf-8")
    res = tcgc("scrape", str(tmp_path / "cards.txt"), "-o", str(tmp_path / "out"))
    assert res.exit_code == 2 and "unknown input" in res.output


def test_grammar_not_available_is_said_not_fatal(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "compiler.parse", None)  # importing it now raises ImportError
    res = tcgc("scrape", str(CORPUS / "A1a.jsonl"), "-o", str(tmp_path), "--no-progress")
    assert res.exit_code == 0
    assert "effect texts not yet parsed: unknown (grammar not available)" in res.output


def test_unparsed_effect_texts_are_listed(monkeypatch):
    """With a grammar that leaves every coin flip Unresolved, exactly those texts are listed, once each."""
    class Unresolved:
        pass

    fake = types.ModuleType("compiler.parse")
    fake.parse_effect = lambda text, kind: [Unresolved()] if "coin" in text else []
    monkeypatch.setitem(sys.modules, "compiler.parse", fake)
    monkeypatch.setitem(sys.modules, "compiler.ir", types.ModuleType("compiler.ir"))  # no has_unresolved: walk
    card_set = read_card_set_from_corpus()
    note, unparsed = unparsed_effects([card_set])
    assert note is None
    assert unparsed and all("coin" in text for _, text, _ in unparsed)
    assert len({(k, t) for k, t, _ in unparsed}) == len(unparsed)
    expected = {(k, t) for c in card_set.cards for k, t in _texts(c) if "coin" in t}
    assert {(k, t) for k, t, _ in unparsed} == expected


def read_card_set_from_corpus():
    from spec_scraper.sources.jsonl import read_jsonl
    return read_jsonl(CORPUS / "A1.jsonl")


def _texts(card):
    if card.category == "trainer":
        return [("trainer", card.text)]
    out = [("attack", a.text) for a in card.attacks if a.text]
    return out + ([("ability", card.ability.text)] if card.ability else [])


def test_bad_options_are_errors_not_tracebacks(tmp_path):
    res = tcgc("scrape", str(CORPUS / "A1a.jsonl"), "-o", str(tmp_path), "--name", "My Game")
    assert res.exit_code == 2 and "--name: 'My Game' is not a valid engine name" in res.output
    res = CliRunner().invoke(main, ["scrape", "http://127.0.0.1:9/cards", "-o", str(tmp_path), "--delay", "-1"])
    assert res.exit_code == 2 and "--delay" in res.output
    assert not (tmp_path / "spec.yaml").exists()


def test_connection_refused_is_a_located_error(tmp_path):
    res = tcgc("scrape", "http://127.0.0.1:9/cards", "-o", str(tmp_path), "--retries", "0", "--no-progress")
    assert res.exit_code == 2
    assert "http://127.0.0.1:9/cards: robots.txt unreachable, so the site is not crawled (connection error" in res.output


def test_json_dump_of_the_wrong_kind_stops_after_a_few_errors(tmp_path):
    dump = tmp_path / "bad.json"
    dump.write_text(__import__("json").dumps([{"kind": "attack", "text": "x"}] * 200), encoding="utf-8")
    res = tcgc("scrape", str(dump), "-o", str(tmp_path / "out"))
    assert res.exit_code == 2 and res.output.count("each card needs id, name and category") == 5, res.output
    assert "195 more not shown" in res.output and "its first record has the keys kind, text" in res.output
