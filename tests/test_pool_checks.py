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
