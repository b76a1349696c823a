"""An effect's IR is checked against the pool it is played in (compiler.pool, docs/ir.md "Names and the pool"):
names no card prints are reported by the loader (tests/test_spec_load.py), and a step whose meaning can't hold for
the cards it names is Unresolved rather than silently weaker."""

from __future__ import annotations

from compiler import ir
from compiler.pool import PoolNames, card_irs, unknown_names
from compiler.spec import PokemonCard, TrainerCard


def mon(cid, name, stage="basic", evolves_from=None, attacks=(), ability=None):
    return PokemonCard(id=cid, name=name, category="pokemon", stage=stage, evolves_from=evolves_from, hp=60,
                       type="Grass", attacks=list(attacks), ability=ability)


def item(cid, name, text, kind="item"):
    return TrainerCard(id=cid, name=name, category="trainer", trainer_kind=kind, text=text)


POOL = [mon("X-001", "Sprout"), mon("X-002", "Bloom", "stage1", "Sprout"), mon("X-003", "Seedling")]


def test_fetch_to_bench_of_an_evolution_name_is_unresolved():
    # "Bloom" is a Stage 1 card: the Bench takes only Basic Pokémon, so the effect can't mean what it says
    card = item("T-001", "Call", "Put a random Sprout or Bloom from your deck onto your Bench.")
    (cir,) = card_irs(POOL + [card])[-1:]
    assert isinstance(cir.trainer, ir.Unresolved)
    assert "Bloom" in cir.trainer.reason and "only Basic Pokémon" in cir.trainer.reason
    assert cir.trainer.text == card.text


def test_fetch_to_bench_of_basic_names_stays():
    card = item("T-001", "Call", "Put a random Sprout or Seedling from your deck onto your Bench.")
    (cir,) = card_irs(POOL + [card])[-1:]
    assert isinstance(cir.trainer, ir.TrainerEffect)


def test_unknown_names_cover_cards_attacks_and_abilities():
    names = PoolNames.of(POOL)
    node = ir.Attack(steps=(
        ir.If(condition=ir.Exists(among=ir.Among(filters=(ir.NameIs(names=("Sprout", "Mew")),
                                                          ir.AbilityNamed(names=("GUARD",), value=False)))),
              then=(ir.Lasting(duration="this_turn", modifier=ir.CantAttack(target=ir.ThisPokemon(),
                                                                             attack_name="Vine")),)),))
    assert unknown_names(node, names) == ["names the card 'Mew', which no card in the pool has",
                                          "names the Ability 'GUARD', which no card in the pool has",
                                          "names the attack 'Vine', which no card in the pool has"]


def test_a_tag_no_card_of_the_pool_carries_is_unresolved():
    # the corpus cards carry no tags yet: an effect about Ultra Beasts can't hold in such a pool
    card = item("T-001", "Wall", "Choose 1 of your Ultra Beasts. Heal 30 damage from that Pokémon.")
    (cir,) = card_irs(POOL + [card])[-1:]
    assert isinstance(cir.trainer, ir.Unresolved) and "'Ultra Beast'" in cir.trainer.reason
    beast = POOL[0].model_copy(update={"tags": ["Ultra Beast"]})
    (cir,) = card_irs([beast] + POOL[1:] + [card])[-1:]
    assert isinstance(cir.trainer, ir.TrainerEffect)


def test_corpus_records_carry_tags():
    from spec_scraper.sources.jsonl import corpus_record_to_card

    rec = {"id": "X-1", "name": "Beast", "category": "pokemon", "stage": "basic", "hp": 90, "type": "Grass",
           "tags": ["Ultra Beast"]}
    assert corpus_record_to_card(rec)["tags"] == ["Ultra Beast"]
    assert PokemonCard.model_validate(corpus_record_to_card(rec)).tags == ["Ultra Beast"]


# --- IR v7: Stadiums and the names of Pokémon and Stadiums in play --------------------------------------------------

def attacker(cid, text):
    from compiler.spec import AttackSpec

    return mon(cid, "Striker", attacks=[AttackSpec(name="Hit", cost=["Grass"], damage="10+", text=text)])


STADIUM = item("S-001", "Mesa Plaza", "Basic Pokémon in play (both yours and your opponent's) get +10 HP.",
               kind="stadium")


def test_a_stadium_named_in_play_must_be_a_stadium_of_the_pool():
    ok = attacker("X-010", "If Mesa Plaza is in play, this attack does 30 more damage.")
    bad = attacker("X-011", "If Sprout is in play, this attack does 30 more damage.")
    cirs = card_irs(POOL + [STADIUM, ok, bad])
    assert cirs[-2].attacks[0].effect.steps[0].condition == ir.StadiumInPlay(names=("Mesa Plaza",))
    eff = cirs[-1].attacks[0].effect
    assert isinstance(eff, ir.Unresolved) and "Sprout as a Stadium in play" in eff.reason


def test_a_pokemon_in_play_must_be_named_by_a_pokemon_card():
    # "If you have Mesa Plaza in play" reads as a Pokémon in play: Mesa Plaza is a Stadium, so it can't hold
    bad = attacker("X-012", "If you have Mesa Plaza in play, this attack does 30 more damage.")
    ok = attacker("X-013", "If you have Sprout in play, this attack does 30 more damage.")
    cirs = card_irs(POOL + [STADIUM, bad, ok])
    assert isinstance(cirs[-2].attacks[0].effect, ir.Unresolved)
    assert "Mesa Plaza as a Pokémon in play" in cirs[-2].attacks[0].effect.reason
    assert isinstance(cirs[-1].attacks[0].effect, ir.Attack)


def test_a_stadium_cards_text_must_be_a_rule_for_both_players():
    from compiler.parse import parse_card

    assert isinstance(parse_card(STADIUM).trainer, ir.Stadium)
    one_player = item("S-002", "Own Field", "Your Basic Pokémon get +10 HP.", kind="stadium")
    assert isinstance(parse_card(one_player).trainer, ir.Unresolved)
    steps = item("S-003", "Odd Field", "Draw a card.", kind="stadium")
    assert "reads as a TrainerEffect" in parse_card(steps).trainer.reason
    # the same rule on a Tool or an Item card is not what those cards do
    for kind in ("tool", "item"):
        assert isinstance(parse_card(item("S-004", "Misfit", STADIUM.text, kind=kind)).trainer, ir.Unresolved)
