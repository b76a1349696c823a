"""A rules page: rule sentences become RulesSpec overrides with their sentence; unfound rules are listed."""

from __future__ import annotations

from pathlib import Path

import pytest

from compiler.spec import load_spec
from spec_scraper.crawl import ScrapeOptions
from spec_scraper.scrape import scrape
from spec_scraper.sources.base import soup_of
from spec_scraper.sources.rules import find_rules, overrides
from tests.conftest import CORPUS
from tests.fixtures_site.fixtures import fast_config
from tests.fixtures_site.server import Site, SiteServer

RULES_PAGE = Path(__file__).parent / "fixtures_site" / "rules_page.html"


def test_rule_sentences_become_overrides_with_their_sentence():
    found, missing = find_rules(soup_of(RULES_PAGE.read_text(encoding="utf-8")))
    by_field = {f.field: (f.value, f.sentence) for f in found}
    assert by_field["deck_size"] == (20, "Each deck must contain exactly 20 cards.")
    assert by_field["bench_size"] == (5, "You can have up to 5 Pokémon on your Bench.")
    assert by_field["weakness_bonus"] == (
        30, "If the Defending Pokémon has Weakness to the attacking Pokémon's type, it takes +30 damage.")
    assert by_field["max_copies_per_name"][0] == 2
    assert by_field["opening_hand_size"][0] == 5
    assert by_field["hand_limit"][0] == 10
    assert by_field["supporters_per_turn"][0] == 1 and by_field["retreats_per_turn"][0] == 1
    assert by_field["special_conditions.poison_damage"][0] == 10
    assert by_field["special_conditions.burn_damage"][0] == 20
    assert by_field["knockout_points.ex"][0] == 2 and by_field["points_to_win"][0] == 3
    assert by_field["min_basic_pokemon"][0] == 1
    assert sorted(missing) == sorted(["max_energy_types", "draw_per_turn", "energy_attach_per_turn",
                                      "knockout_points.mega_ex", "turn_limit"])
    assert overrides(found)["special_conditions"] == {"poison_damage": 10, "burn_damage": 20}


def test_navigation_and_script_text_are_not_rules():
    found, _ = find_rules(soup_of(RULES_PAGE.read_text(encoding="utf-8")))
    assert all("99" not in f.sentence and "60" not in f.sentence for f in found)


@pytest.mark.parametrize("sentence, field, value", [
    ("A deck is made up of 40 cards.", "deck_size", 40),
    ("You may attach one Energy to your Pokémon each turn.", "energy_attach_per_turn", 1),
    ("Draw a card at the start of your turn.", "draw_per_turn", 1),
    ("Knocking Out a Mega Pokémon ex earns 3 points.", "knockout_points.mega_ex", 3),
    ("The game ends in a tie after 30 turns.", "turn_limit", 30),
    ("A deck may use up to 3 Energy types.", "max_energy_types", 3),
])
def test_other_wordings(sentence, field, value):
    found, _ = find_rules(soup_of(f"<p>{sentence}</p>"))
    assert [(f.field, f.value) for f in found] == [(field, value)]


def test_rules_page_url_lands_in_spec_yaml_and_loads(tmp_path):
    site = Site({"/rules": RULES_PAGE.read_bytes()})
    with SiteServer(site) as srv:
        result, _ = scrape(str(CORPUS / "A1.jsonl"), tmp_path,
                           ScrapeOptions(fetch=fast_config(), progress=False), rules=f"{srv.url}/rules")
    text = (tmp_path / "spec.yaml").read_text(encoding="utf-8")
    assert 'bench_size: 5 # "You can have up to 5 Pokémon on your Bench."' in text
    assert "# not stated there (preset value kept): max_energy_types, draw_per_turn, energy_attach_per_turn, " \
           "knockout_points.mega_ex, turn_limit\n" in text
    loaded = load_spec(tmp_path / "spec.yaml")
    assert (loaded.rules.bench_size, loaded.rules.weakness_bonus, loaded.rules.deck_size) == (5, 30, 20)
    assert loaded.rules.knockout_points.mega_ex == 3  # not on the page: the preset's value
    assert "turn_limit" in result.rules_missing
    assert len(loaded.cards) == 225
