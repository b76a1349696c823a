"""Card-page extraction: corpus text conventions, odd markup, and per-card errors that say what is wrong."""

from __future__ import annotations

import json

import pytest

from spec_scraper.sources.base import ExtractError, soup_of
from spec_scraper.sources.limitless import Limitless
from spec_scraper.text import element_text, normalize
from tests.conftest import CORPUS
from tests.fixtures_site.limitless_site import load_corpus_set, render_card, render_text

URL = "http://127.0.0.1/cards/A1/5"


def parse(html: str, code: str = "A1") -> dict:
    return Limitless().parse_card(soup_of(html), URL, code).card


def effect_texts() -> list[str]:
    return [json.loads(line)["text"] for line in (CORPUS / "effect_texts.jsonl").read_text(encoding="utf-8").splitlines()]


def test_corpus_texts_are_already_normal():
    texts = effect_texts()
    assert len(texts) == 554
    assert [t for t in texts if normalize(t) != t] == []


def test_every_corpus_effect_text_survives_rendering_and_extraction():
    texts = effect_texts()
    assert [t for t in texts if element_text(soup_of(f"<p>{render_text(t)}</p>").p) != t] == []


def test_page_text_conventions():
    html = ('<p>Discard a <span class="ptcg-symbol" data-tooltip="Fire Energy">R</span>'
            '<span class="copy-only">{R}</span>   Energy.\n  This Pokémon’s attacks do \u221220 damage '
            '<span class="reminder-text">(until the end of your next turn)</span>.<!-- note --></p>')
    assert element_text(soup_of(html).p) == (
        "Discard a [R] Energy. This Pokémon's attacks do -20 damage (until the end of your next turn).")


def test_energy_images_in_text_become_symbols():
    html = '<p>Discard <img alt="Fire"> <img alt="Water Energy"> Energy. <img alt="Rarity_Common.png"></p>'
    assert element_text(soup_of(html).p) == "Discard [R] [W] Energy."


def caterpie() -> str:
    rec = next(r for r in load_corpus_set(CORPUS, "A1") if r["id"] == "A1-005")
    return render_card(rec, 5, "◊")


def test_attack_without_damage_keeps_its_whole_name():
    [attack] = parse(caterpie())["attacks"]
    assert (attack["name"], attack["damage"], attack["cost"]) == ("Find a Friend", "", ["Colorless"])


@pytest.mark.parametrize("card_id, name, damage", [("A4-032", "Toasty Toss", ""), ("A4-101", "Slappy Knuckle", "20"),
                                                     ("A4-075", "Shivery Wave", "20x")])
def test_free_attack_cost_0_is_no_cost(card_id, name, damage):
    rec = next(r for r in load_corpus_set(CORPUS, "A4") if r["id"] == card_id)
    html = render_card(rec, rec["number"], None)
    assert '<span class="ptcg-symbol">0</span>' in html
    [attack] = parse(html, "A4")["attacks"]
    assert (attack["name"], attack["damage"], attack["cost"]) == (name, damage, [])


@pytest.mark.parametrize("info, name, damage", [
    ("Vine Whip 40", "Vine Whip", "40"), ("Powerful Bloom 50×", "Powerful Bloom", "50x"),
    ("Surf  40+", "Surf", "40+"), ("Find a Friend", "Find a Friend", ""), ("Leaf Step\n 80\n", "Leaf Step", "80"),
])
def test_attack_line(info, name, damage):
    html = caterpie().replace("\n  Find a Friend\n  \n", f" {info}")
    [attack] = parse(html)["attacks"]
    assert (attack["name"], attack["damage"]) == (name, damage)


def test_extra_markup_is_read_through():
    html = caterpie().replace("Put 1 random", "<b>Put</b> <a href='/x'>1</a> <em>random</em>").replace(
        '<p class="card-text-type">', '<p class="card-text-type"><!-- x --> <script>1</script>')
    card = parse(html)
    assert card["attacks"][0]["text"] == "Put 1 random [G] Pokémon from your deck into your hand."
    assert card["stage"] == "basic"


def test_unknown_energy_symbol_in_text_is_an_error_naming_it():
    html = caterpie().replace('data-tooltip="Grass Energy"', 'data-tooltip="Fairy Energy"')
    with pytest.raises(ExtractError, match="unknown energy symbol 'Fairy Energy'"):
        parse(html)


def test_unknown_cost_letter_is_an_error_naming_it():
    html = caterpie().replace('<span class="ptcg-symbol">C</span>', '<span class="ptcg-symbol">Y</span>')
    with pytest.raises(ExtractError, match="unknown energy symbol 'Y'"):
        parse(html)


@pytest.mark.parametrize("selector", ["card-text-title", "card-text-type", "card-text-wrr"])
def test_missing_field_is_an_error_naming_it(selector):
    html = caterpie().replace(f'class="{selector}"', 'class="something-else"')
    with pytest.raises(ExtractError, match=f"no p.{selector} on the page"):
        parse(html)


def test_unknown_stage_and_trainer_kind_are_errors():
    with pytest.raises(ExtractError, match="unknown stage"):
        parse(caterpie().replace("Pokémon - Basic", "Pokémon - Stage 9"))
    rec = next(r for r in load_corpus_set(CORPUS, "A1") if r["id"] == "A1-219")
    with pytest.raises(ExtractError, match="unknown trainer kind"):
        parse(render_card(rec, 219, "◊").replace("Trainer - Supporter", "Trainer - Gadget"))


def test_weakness_none_and_fossil_and_tool():
    a1 = {r["id"]: r for r in load_corpus_set(CORPUS, "A1")}
    a2 = {r["id"]: r for r in load_corpus_set(CORPUS, "A2")}
    dragon = next(r for r in a1.values() if r["category"] == "pokemon" and r["weakness"] is None)
    assert parse(render_card(dragon, dragon["number"], None))["weakness"] is None
    fossil = parse(render_card(a1["A1-216"], 216, None))
    assert (fossil["trainer_kind"], fossil["is_fossil"]) == ("item", True)
    tool = parse(render_card(a2["A2-147"], 147, None), "A2")
    assert (tool["trainer_kind"], tool["is_fossil"]) == ("tool", False)


def test_rule_box_sections_are_not_part_of_trainer_text():
    rec = next(r for r in load_corpus_set(CORPUS, "A1") if r["id"] == "A1-219")
    html = render_card(rec, 219, "◊").replace(
        '<div class="card-text-section card-text-artist">',
        '<div class="card-text-section">You may play only 1 Supporter card during your turn.</div>'
        '<div class="card-text-section card-text-artist">')
    assert parse(html)["text"] == rec["text"]


def test_every_corpus_card_of_every_set_survives_rendering_and_extraction():
    """All 14 corpus sets (not only the three the server test crawls), page by page, without HTTP."""
    from pydantic import TypeAdapter

    from compiler.spec import Card
    from spec_scraper.sources.jsonl import corpus_record_to_card
    from tests.conftest import CORPUS_SETS

    card = TypeAdapter(Card)
    bad, total = [], 0
    for code in CORPUS_SETS:
        for rec in load_corpus_set(CORPUS, code):
            total += 1
            got = card.validate_python(parse(render_card(rec, rec["number"], rec["rarity"]), code))
            if got != card.validate_python(corpus_record_to_card(rec)):
                bad.append(rec["id"])
    assert total > 1800 and bad == []


def test_printed_card_attributes_become_tags():
    # "Pokémon - Basic - Ultra Beast": what follows the stage (other than "Evolves from") is a printed attribute
    card = parse(caterpie().replace("Pokémon - Basic", "Pokémon - Basic - Ultra Beast"))
    assert card["tags"] == ["Ultra Beast"] and card["stage"] == "basic"
    assert "tags" not in parse(caterpie())
