"""The real saved Bulbapedia pages (paper TCG) parse to the right card, set list and expansions list."""

from __future__ import annotations

import pytest

from compiler.diagnostics import SpecError
from compiler.spec import PokemonCard
from spec_scraper.crawl import ScrapeOptions, detect
from compiler.spec import load_card_set
from spec_scraper.scrape import scrape
from spec_scraper.sources.base import ExtractError, soup_of
from spec_scraper.sources.bulbapedia import Bulbapedia
from tests.conftest import ROOT
from tests.fixtures_site.fixtures import fast_config
from tests.fixtures_site.server import Site, SiteServer

PAGES = ROOT.parent / "shared" / "fixtures" / "html" / "bulbapedia"
WIKI = "https://bulbapedia.bulbagarden.net/wiki"


def page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def alakazam() -> PokemonCard:
    extracted = Bulbapedia().parse_card(soup_of(page("Alakazam_Base_Set_1.html")), f"{WIKI}/Alakazam", "BS")
    return PokemonCard.model_validate(extracted.card)


def test_pages_are_recognised(alakazam):
    assert [detect(page(n))[1] for n in ("Alakazam_Base_Set_1.html", "Base_Set_TCG.html",
                                         "List_of_Pokemon_TCG_expansions.html")] == ["card", "set", "index"]
    assert detect(page("Alakazam_Base_Set_1.html"))[0].name == "bulbapedia"


def test_alakazam_card_fields(alakazam):
    c = alakazam
    assert (c.id, c.name, c.number, c.hp, c.type, c.stage, c.evolves_from) == (
        "BS-001", "Alakazam", 1, 80, "Psychic", "stage2", "Kadabra")
    assert (c.weakness, c.resistance, c.retreat, c.level, c.rarity, c.is_ex) == (
        "Psychic", None, 3, 42, "Rare Holo", False)


def test_alakazam_attack_and_pokemon_power(alakazam):
    [attack] = alakazam.attacks
    assert (attack.name, attack.cost, attack.damage) == ("Confuse Ray", ["Psychic"] * 3, "30")
    assert attack.text == "Flip a coin. If heads, the Defending Pokémon is now Confused."
    assert alakazam.ability is None
    assert alakazam.pokemon_power.name == "Damage Swap"
    assert alakazam.pokemon_power.text == (
        "As often as you like during your turn (before your attack), you may move 1 damage counter from 1 of "
        "your Pokémon to another as long as you don't Knock Out that Pokémon. This power can't be used if "
        "Alakazam is Asleep, Confused, or Paralyzed.")


def test_base_set_list():
    refs = Bulbapedia().parse_set(soup_of(page("Base_Set_TCG.html")), f"{WIKI}/Base_Set_(TCG)", "BS")
    assert len(refs) == 102
    assert [r.number for r in refs] == list(range(1, 103))
    assert (refs[0].name, refs[0].url) == ("Alakazam", f"{WIKI}/Alakazam_(Base_Set_1)")
    assert (refs[57].number, refs[57].name) == (58, "Pikachu")
    assert (refs[90].name, refs[101].name) == ("Bill", "Water Energy")


def test_expansions_list():

    sets = Bulbapedia().parse_index(soup_of(page("List_of_Pokemon_TCG_expansions.html")), f"{WIKI}/List")
    assert len(sets) == 85  # 87 rows; two Japanese-only sets have no English set
    assert (sets[0].code, sets[0].name, sets[0].url) == ("BS", "Base Set", f"{WIKI}/Base_Set_(TCG)")
    assert [s.code for s in sets[1:4]] == ["JU", "FO", "B2"]
    assert (sets[-2].code, sets[-2].name) == ("UNB", "Unbroken Bonds")
    assert (sets[-1].code, sets[-1].name) == ("UnifiedMinds", "Unified Minds")  # no abbreviation printed yet


def test_crawl_of_the_saved_pages_through_a_server(tmp_path):
    """Index → Base Set list → card pages; only Alakazam's page was saved, so the other 101 are 404s, reported."""
    site = Site({"/wiki/List_of_Pokemon_TCG_expansions": page("List_of_Pokemon_TCG_expansions.html").encode(),
                 "/wiki/Base_Set_(TCG)": page("Base_Set_TCG.html").encode(),
                 "/wiki/Alakazam_(Base_Set_1)": page("Alakazam_Base_Set_1.html").encode()})
    with SiteServer(site) as srv:
        result, [card_set] = scrape(f"{srv.url}/wiki/List_of_Pokemon_TCG_expansions", tmp_path,
                                    ScrapeOptions(sets=["BS"], fetch=fast_config(), progress=False))
    assert card_set.set == "BS" and card_set.name == "Base Set"
    [card] = card_set.cards
    assert (card.id, card.name, card.pokemon_power.name) == ("BS-001", "Alakazam", "Damage Swap")
    assert card.source == f"{srv.url}/wiki/Alakazam_(Base_Set_1)"
    assert len(result.failed) == 101 and {f.reason for f in result.failed} == {"HTTP 404"}
    assert load_card_set(tmp_path / "cards" / "BS.yaml")[0] == card_set


def test_saved_card_page_as_a_path(tmp_path):
    result, [card_set] = scrape(str(PAGES / "Alakazam_Base_Set_1.html"), tmp_path,
                                ScrapeOptions(sets=["BS"], progress=False))
    assert [c.id for c in card_set.cards] == ["BS-001"]
    assert card_set.cards[0].source.endswith("Alakazam_Base_Set_1.html")


def test_saved_set_list_as_a_path_is_a_located_error(tmp_path):
    with pytest.raises(SpecError) as err:
        scrape(str(PAGES / "Base_Set_TCG.html"), tmp_path, ScrapeOptions(sets=["BS"], progress=False))
    assert "Base_Set_TCG.html" in str(err.value) and "holds no card data" in str(err.value)


def test_saved_card_page_needs_a_set_code(tmp_path):
    with pytest.raises(SpecError, match="pass --set CODE"):
        scrape(str(PAGES / "Alakazam_Base_Set_1.html"), tmp_path, ScrapeOptions(progress=False))


def test_trainer_page_is_reported_not_guessed():
    html = page("Alakazam_Base_Set_1.html").replace("Hit Points", "Trainer class")
    with pytest.raises(ExtractError, match="not a Pokémon card page"):
        Bulbapedia().parse_card(soup_of(html), f"{WIKI}/X", "BS")


def test_an_ability_label_fills_ability_not_pokemon_power():
    html = page("Alakazam_Base_Set_1.html").replace(">Pokémon Power:<", ">Ability<", 1)
    card = PokemonCard.model_validate(Bulbapedia().parse_card(soup_of(html), f"{WIKI}/X", "BS").card)
    assert card.pokemon_power is None and card.ability.name == "Damage Swap"
    assert card.attacks[0].name == "Confuse Ray"


def test_the_summary_counts_the_pokemon_power_as_not_parsed(tmp_path):
    from spec_scraper.summary import format_summary
    result, card_sets = scrape(str(PAGES / "Alakazam_Base_Set_1.html"), tmp_path,
                               ScrapeOptions(sets=["BS"], progress=False))
    summary = format_summary(result, card_sets)
    assert "effect texts not yet parsed: 1" in summary
    assert "  [pokemon_power] As often as you like during your turn" in summary and "(BS-001)" in summary
