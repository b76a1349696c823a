"""End to end: a Limitless-markup site generated from the corpus, served on 127.0.0.1, scraped card for card."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter

from compiler.diagnostics import SpecError
from compiler.spec import Card, load_spec
from spec_scraper.crawl import ScrapeOptions
from compiler.spec import load_card_set
from spec_scraper.scrape import scrape
from spec_scraper.sources.jsonl import corpus_record_to_card
from tests.fixtures_site.fixtures import E2E_SETS, e2e, fast_config, served  # noqa: F401 (fixtures)
from tests.fixtures_site.limitless_site import STADIUM_CARD

_CARD = TypeAdapter(Card)


def _without_source(card):
    """The card minus its source URL; first_printed spelled out (files leave it out when it is the card's own id)."""
    return card.model_copy(update={"source": None, "first_printed": card.first_printed or card.id})


def test_scraped_sets_equal_the_corpus_card_for_card(e2e, served):
    assert not e2e.result.failed, e2e.result.failed[:5]
    for code in E2E_SETS:
        scraped = load_card_set(e2e.out / "cards" / f"{code}.yaml")[0]
        want = [_CARD.validate_python(corpus_record_to_card(r)) for r in served.expected[code]]
        assert scraped.set == code
        assert len(scraped.cards) == len(want)
        for got, exp in zip(scraped.cards, want):
            assert _without_source(got) == exp, got.id


def test_every_card_names_its_source_page(e2e, served):
    for code in E2E_SETS:
        for card in e2e.result.card_sets[code].cards:
            assert card.source == f"{served.url}/cards/{code}/{card.number}"


def test_the_hand_written_stadium_page_is_scraped(e2e):
    [card] = load_card_set(e2e.out / "cards" / "X1.yaml")[0].cards
    assert _without_source(card) == _CARD.validate_python(STADIUM_CARD)


def test_set_names_come_from_the_index(e2e):
    assert load_card_set(e2e.out / "cards" / "A1.yaml")[0].name == "Genetic Apex"
    assert e2e.result.set_names["B1a"] == "Crimson Blaze"


def test_corpus_features_are_covered(e2e):
    cards = [c for code in E2E_SETS for c in e2e.result.card_sets[code].cards]
    kinds = {getattr(c, "trainer_kind", None) for c in cards}
    assert {"item", "supporter", "tool"} <= kinds
    assert any(getattr(c, "is_fossil", False) for c in cards)
    assert any(getattr(c, "ability", None) for c in cards)
    assert any(getattr(c, "is_mega", False) for c in cards)
    assert any(a.damage == "" for c in cards for a in getattr(c, "attacks", []))
    find_a_friend = next(c for c in cards if c.id == "A1-005")
    assert (find_a_friend.attacks[0].name, find_a_friend.attacks[0].damage) == ("Find a Friend", "")


def test_duplicate_printings_are_folded_into_the_first_number(e2e, served):
    dups = {f"{code}-{d:03d}": r["id"] for code in E2E_SETS for r in served.expected[code]
            for d in r["duplicate_numbers"]}
    assert dict(e2e.result.collapsed) == dups
    assert len(dups) > 50


def test_each_page_is_fetched_once_and_a_rerun_fetches_nothing(e2e, served):
    pages = sum(1 for p in served.site.pages if p.split("/")[2:3] and p.split("/")[2] in E2E_SETS + ["X1"])
    assert max(e2e.hits.values()) == 1
    assert e2e.result.requests == pages + 2  # + the index and robots.txt
    served.site.reset()
    again, _ = scrape(f"{served.url}/cards", e2e.out,
                      ScrapeOptions(sets=["B1a"], fetch=fast_config(), progress=False))
    assert again.requests == 0 and sum(served.site.hits.values()) == 0
    assert again.cards == {"B1a": 83}


def test_the_written_spec_loads_but_for_evolutions_from_unscraped_sets(e2e, tmp_path):
    spec = (e2e.out / "spec.yaml").read_text(encoding="utf-8")
    assert "card_sets:\n- cards/A1.yaml\n- cards/A2.yaml\n- cards/B1a.yaml\n- cards/X1.yaml" in spec
    with pytest.raises(SpecError) as err:
        load_spec(e2e.out / "spec.yaml")
    # B1a's Lunala ex, Solgaleo ex and Aegislash evolve from cards of sets not scraped here: that is all.
    assert {d.field.split(".")[0] for d in err.value.diagnostics} == {
        "cards[79](B1a-099)", "cards[81](B1a-101)", "cards[82](B1a-102)"}
    (tmp_path / "cards").mkdir()
    for code in ("A1", "A2", "X1"):
        (tmp_path / "cards" / f"{code}.yaml").write_bytes((e2e.out / "cards" / f"{code}.yaml").read_bytes())
    (tmp_path / "spec.yaml").write_text(spec.replace("- cards/B1a.yaml\n", ""), encoding="utf-8")
    loaded = load_spec(tmp_path / "spec.yaml")
    assert len(loaded.cards) == 225 + 155 + 1


def test_scrape_is_fast(e2e):
    assert e2e.result.total_cards == 225 + 155 + 83 + 1
    assert e2e.seconds < 60, e2e.seconds
