"""The JAX lowering refuses the IR nodes added for issue 10 (docs/ir.md v6) with a reason, never a crash and never a
silent no-op: a card that uses one stays out of the generated engine until the back end compiles it."""

from __future__ import annotations

import pytest

from compiler import ir
from compiler.lower.programs import Pool, Unlowerable, lower_attack, lower_trainer

C = ir.Const
THIS, OPP = ir.ThisPokemon(), ir.Active(player="opponent")
MORE = ir.AttackDamage(mode="more", amount=C(value=10))

NEW_NODE_ATTACKS = {
    "done": ir.Attack(steps=(ir.Heal(amount=C(value=10), target=THIS), ir.If(condition=ir.Done(), then=(MORE,)))),
    "compare/remaining_hp": ir.Attack(steps=(ir.If(condition=ir.Compare(
        left=ir.RemainingHp(target=OPP), relation="more", right=ir.RemainingHp(target=THIS)), then=(MORE,)),)),
    "hp_at_most_half": ir.Attack(steps=(ir.If(condition=ir.Matches(target=THIS, filters=(ir.HpAtMostHalf(),)),
                                              then=(MORE,)),)),
    "ability_named": ir.Attack(steps=(ir.If(condition=ir.Exists(among=ir.Among(filters=(
        ir.AbilityNamed(names=("GUARD",), value=False),))), then=(MORE,)),)),
    "reveal_cards": ir.Attack(steps=(ir.RevealCards(zone="deck", filter=ir.CardFilter(kind="supporter")),)),
    "condition_damage": ir.Attack(steps=(ir.Lasting(duration="opponent_next_turn", modifier=ir.ConditionDamage(
        target=OPP, condition="Poisoned", delta=10)),)),
    "discard_energy_among": ir.Attack(steps=(ir.DiscardEnergyAmong(among=ir.Among(player="both")),)),
    "repeat per card found": ir.Attack(steps=(ir.Fetch(count=2, filter=ir.CardFilter(kind="pokemon")), ir.Repeat(
        times=ir.Per(each=1, count=ir.DoneCount()), steps=(ir.HandToDeck(player="you", random=False),)))),
    "set_next_energy": ir.Attack(steps=(ir.SetNextEnergy(types=("Fire", "Water")),)),
    "change_energy_type": ir.Attack(steps=(ir.ChangeEnergyType(target=OPP, types=("Fire", "Water")),)),
    "shuffle_hand_redraw": ir.Attack(steps=(ir.ShuffleHandRedraw(),)),
    "pooled_hand_to_deck": ir.Attack(steps=(ir.PooledHandToDeck(),)),
    "swap_hand_deck": ir.Attack(steps=(ir.SwapHandDeck(),)),
    "reveal_top/top_deck_count": ir.Attack(steps=(ir.RevealTop(count=3), ir.AttackDamage(mode="set", amount=ir.Per(
        each=10, count=ir.TopDeckCount(count=3))))),
    "take_top": ir.Attack(steps=(ir.TakeTop(count=3),)),
    "milled": ir.Attack(steps=(ir.DiscardCards(zone="deck"), ir.If(condition=ir.Milled(filter=ir.CardFilter()),
                                                                   then=(MORE,)))),
    "damage_flip": ir.Attack(steps=(ir.Lasting(duration="opponent_next_turn", modifier=ir.DamageFlip(target=THIS)),)),
    "survive": ir.Attack(steps=(ir.Lasting(duration="opponent_next_turn", modifier=ir.Survive(target=THIS, hp=10)),)),
    "has_tool_named": ir.Attack(steps=(ir.If(condition=ir.Matches(target=THIS, filters=(
        ir.HasToolNamed(names=("Lucky Mittens",)),)), then=(MORE,)),)),
    "move_energy_one_of": ir.Attack(steps=(ir.MoveEnergyOneOf(energy_types=("Fire", "Water"), source=THIS,
                                                              target=OPP),)),
    "choose_any": ir.Attack(steps=(ir.DiscardPokemon(target=ir.ChooseAny(among=ir.Among(zone="bench"))),)),
    "alternative_cost": ir.Attack(steps=(ir.AlternativeCost(condition=ir.Matches(target=THIS, filters=(
        ir.Damaged(),)), cost=("Lightning",)),)),
    "has_tag": ir.Attack(steps=(ir.If(condition=ir.Matches(target=OPP, filters=(ir.HasTag(tag="Ultra Beast"),)),
                                      then=(MORE,)),)),
    "damage_dealt_by/points_of": ir.Attack(steps=(ir.Lasting(duration="this_turn", modifier=ir.DamageDealtBy(
        attacker=THIS, amount=ir.Per(each=10, count=ir.PointsOf()))),)),
    "devolve": ir.Attack(steps=(ir.Devolve(target=OPP),)),
    "ko_to_hand": ir.Attack(steps=(ir.KnockedOutToHand(),)),
    # IR v7
    "stadium_in_play": ir.Attack(steps=(ir.If(condition=ir.StadiumInPlay(), then=(MORE,)),)),
    "not stadium_in_play": ir.Attack(steps=(ir.If(condition=ir.Not(condition=ir.StadiumInPlay(player="opponent")),
                                                  then=(MORE,)),)),
    "discard_stadium": ir.Attack(steps=(ir.DiscardStadium(),)),
    "since_in_play": ir.Attack(steps=(ir.If(condition=ir.Matches(target=THIS, filters=(
        ir.SinceInPlay(event="attacked", value=False),)), then=(MORE,)),)),
    "tool_count": ir.Attack(steps=(ir.AttackDamage(mode="set", amount=ir.Per(each=10, count=ir.ToolCount(
        target=OPP))),)),
    "energy_type_count": ir.Attack(steps=(ir.AttackDamage(mode="set", amount=ir.Per(
        each=10, count=ir.EnergyTypeCount(target=THIS))),)),
    "knock_out_count": ir.Attack(steps=(ir.AttackDamage(mode="set", amount=ir.Per(each=10, count=ir.KnockOutCount())),)),
    "count_in": ir.Attack(steps=(ir.If(condition=ir.CountIn(count=ir.EnergyCount(target=THIS), values=(2,)),
                                       then=(MORE,)),)),
    "compare points": ir.Attack(steps=(ir.If(condition=ir.Compare(left=ir.PointsOf(), relation="same",
                                                                  right=ir.PointsOf(player="opponent")),
                                             then=(MORE,)),)),
    "arrange_top": ir.Attack(steps=(ir.ArrangeTop(player="opponent", count=C(value=3)),)),
    "evolve_early": ir.Attack(steps=(ir.Lasting(duration="this_turn", modifier=ir.EvolveEarly(target=THIS)),)),
    "evolves_as": ir.Attack(steps=(ir.Lasting(duration="this_turn", modifier=ir.EvolvesAs(target=THIS,
                                                                                           name="Eevee")),)),
    "put_into_play_this_turn": ir.Attack(steps=(ir.Heal(amount=C(value=10), target=ir.Each(among=ir.Among(
        filters=(ir.PutIntoPlayThisTurn(),)))),)),
    "evolve_from_hand": ir.Attack(steps=(ir.Select(target=ir.Choose(among=ir.Among())),
                                         ir.EvolveFromHand(target=ir.That(), skip_stage1=True))),
    "discarded_energy_count": ir.Attack(steps=(ir.AttackDamage(mode="set", amount=ir.Per(
        each=10, count=ir.DiscardedEnergyCount())),)),
    "cant_play stadium": ir.Attack(steps=(ir.Lasting(duration="opponent_next_turn", modifier=ir.CantPlay(
        player="opponent", card="stadium")),)),
}


LOWERED = {"reveal_cards": "nop", "discard_energy_among": "discard_energy_among",
           "repeat per card found": "hand_to_deck", "shuffle_hand_redraw": "shuffle_hand",
           "pooled_hand_to_deck": "pooled_hand_to_deck", "swap_hand_deck": "swap_hand_deck", "take_top": "take_top",
           "move_energy_one_of": "move_energy_one_of", "arrange_top": "arrange_top", "cant_play stadium": "lasting"}
"""The nodes above that the lowering compiles now, and an instruction each becomes."""


@pytest.mark.parametrize("name", sorted(LOWERED))
def test_lowered_nodes_become_their_instructions(name):
    pool = Pool({}, [])
    code, _, _ = lower_attack(pool, NEW_NODE_ATTACKS[name])
    assert LOWERED[name] in {ins.op for ins in code}
    assert {ins.op for ins in lower_trainer(Pool({}, []), ir.TrainerEffect(steps=NEW_NODE_ATTACKS[name].steps))} \
        == {ins.op for ins in code} - {"main"}


@pytest.mark.parametrize("name", sorted(set(NEW_NODE_ATTACKS) - set(LOWERED)))
def test_new_nodes_are_refused_by_the_lowering(name):
    with pytest.raises(Unlowerable):
        lower_attack(Pool({}, []), NEW_NODE_ATTACKS[name])
    with pytest.raises(Unlowerable):
        lower_trainer(Pool({}, []), ir.TrainerEffect(steps=NEW_NODE_ATTACKS[name].steps))


def test_a_search_for_stadium_cards_is_refused():
    search = ir.Attack(steps=(ir.Fetch(filter=ir.CardFilter(kind="stadium")),))
    with pytest.raises(Unlowerable):
        lower_attack(Pool({}, []), search)


def test_stadium_cards_and_turn_triggers_are_refused_when_a_pool_is_lowered():
    """A whole pool with a Stadium card, a turn-start Ability and a Stadium condition: each card is refused with a
    reason, and the lowering does not crash."""
    from types import SimpleNamespace

    from compiler.lower import lower
    from compiler.spec import AbilitySpec, AttackSpec, PokemonCard, RulesSpec, TrainerCard

    def mon(cid, name, attacks=(), ability=None):
        return PokemonCard(id=cid, name=name, category="pokemon", stage="basic", hp=60, type="Grass",
                           attacks=list(attacks), ability=ability)

    cards = [
        TrainerCard(id="S-001", name="Plaza", category="trainer", trainer_kind="stadium",
                    text="Basic Pokémon in play (both yours and your opponent's) get +10 HP."),
        mon("X-001", "Sunny", ability=AbilitySpec(name="Dawn", text="At the beginning of your turn, draw a card.")),
        mon("X-002", "Sprout", attacks=[AttackSpec(name="Grow", cost=["Grass"], damage="10+", text=(
            "If a Stadium is in play, this attack does 30 more damage."))]),
        mon("X-003", "Plain", attacks=[AttackSpec(name="Tap", cost=["Grass"], damage="10")]),
    ]
    low = lower(SimpleNamespace(rules=RulesSpec(), cards={c.id: c for c in cards}, spec=SimpleNamespace(decks=[], name="t")))
    refused = {r.card_id: " ".join(r.reasons) for r in low.refused}
    assert set(refused) == {"S-001", "X-001", "X-002"}
    assert "stadium" in refused["S-001"] and "stadium_in_play" in refused["X-002"]


def test_abilities_are_lowered_by_kind_and_the_rest_refused_with_a_reason():
    """Activated Abilities (with a hand-discard cost), triggers on an evolution / the Bench / an attachment, and
    passive Abilities become table rows and programs; a trigger at the end of the turn is refused with its event."""
    from types import SimpleNamespace

    from compiler.lower import lower
    from compiler.spec import AbilitySpec, PokemonCard, RulesSpec

    def mon(cid, name, text):
        return PokemonCard(id=cid, name=name, category="pokemon", stage="basic", hp=60, type="Grass",
                           attacks=[], ability=AbilitySpec(name=name + " Ability", text=text))

    texts = {
        "activated": "Once during your turn, you may heal 20 damage from each of your Pokémon.",
        "cost": "You must discard a card from your hand in order to use this Ability. Once during your turn, you may "
                "draw a card.",
        "evolved": "Once during your turn, when you play this Pokémon from your hand to evolve 1 of your Pokémon, you "
                   "may draw 2 cards.",
        "benched": "Once during your turn, when you put this Pokémon from your hand onto your Bench, you may have your "
                   "opponent reveal their hand.",
        "attached": "Whenever you attach a [D] Energy from your Energy Zone to this Pokémon, do 20 damage to your "
                    "opponent's Active Pokémon.",
        "passive": "If you have Arceus or Arceus ex in play, attacks used by this Pokémon do +30 damage to your "
                   "opponent's Active Pokémon.",
        "end_of_turn": "At the end of your turn, if this Pokémon is in the Active Spot, heal 20 damage from it.",
    }
    cards = [mon(f"X-{i:03d}", name, text) for i, (name, text) in enumerate(texts.items())]
    low = lower(SimpleNamespace(rules=RulesSpec(), cards={c.id: c for c in cards},
                                spec=SimpleNamespace(decks=[], name="t")))
    t, ops = low.tables, low.consts["OPS"]
    idx = {name: i for i, name in enumerate(texts)}
    refused = {r.card_id: " ".join(r.reasons) for r in low.refused}
    assert set(refused) == {"X-006"} and "triggered on end_of_turn" in refused["X-006"]

    def program(name):
        i = idx[name]
        return [ops[row[0]] for row in t["INSTR"][t["AB_PROG"][i]:t["AB_PROG_END"][i]]]
    assert t["AB_ACTIVATED"][idx["activated"]] and t["AB_ONCE"][idx["activated"]]
    assert program("activated") == ["heal"]
    assert list(t["AB_COST"][idx["cost"]][[0, 2]]) == [0, 1] and program("cost") == ["discard_cards", "draw"]
    assert t["TRIG_EVENT"][idx["evolved"]] == 0 and program("evolved") == ["optional", "mark_used", "draw"]
    assert t["TRIG_EVENT"][idx["benched"]] == 1 and program("benched") == ["optional", "mark_used", "nop"]
    i = idx["attached"]
    assert t["TRIG_EVENT"][i] == 2 and t["TRIG_ETYPE"][i] == 6 and not t["AB_ONCE"][i]
    assert program("attached") == ["damage"]
    i = idx["passive"]
    assert t["PAS_MOD"][i] >= 0 and t["AB_REQ"][i] >= 0 and not t["AB_ACTIVATED"][i] and t["TRIG_EVENT"][i] == -1
    assert low.consts["MOD_OPS"][t["MOD"][t["PAS_MOD"][i]][0]] == "damage_dealt"
    assert "exists" in low.consts["PASSIVE_KINDS"]["cond"]


def test_passive_abilities_the_runtime_cannot_evaluate_exactly_are_refused():
    from compiler.lower.programs import lower_passive

    two = ir.Passive(modifiers=(ir.RetreatCost(target=THIS, delta=-1), ir.NoWeakness(target=THIS)))
    reads = ir.Passive(requirement=ir.Matches(target=THIS, filters=(ir.RetreatAtLeast(count=2),)),
                       modifiers=(ir.RetreatCost(target=THIS, delta=-1),))
    for node, why in ((two, "2 modifiers"), (reads, "reads modifiers")):
        with pytest.raises(Unlowerable, match=why):
            lower_passive(Pool({}, []), node)
