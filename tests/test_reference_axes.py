"""Whole-board tests of the IR nodes added for issue 10 (docs/ir.md change log, v6): each builds a small pool with
hand-written IR, a board, one action, and the expected board written from the card text the IR stands for."""

from __future__ import annotations

import pytest

from compiler import ir
from reference.testing import atk, board, mon, poke, side, trainer, view

from tests.test_reference_ir import OPP_ACTIVE, THIS, YOUR_BENCH, after_turn, attack, attacker, make

C = ir.Const
DONE = ir.Done()


# --- Done: "If you do, ..." after a step that may do nothing ----------------------------------------------------

@pytest.mark.parametrize("damage,healed_then", [(30, True), (0, False)])
def test_done_after_a_heal(damage, healed_then):
    # "Heal 20 damage from this Pokémon. If you do, your opponent's Active Pokémon is now Asleep."
    eng = make(attacker(ir.Heal(amount=C(value=20), target=THIS),
                        ir.If(condition=DONE, then=(ir.ApplyCondition(target=OPP_ACTIVE, conditions=("Asleep",)),))))
    after = attack(eng, side(active=mon("A-001", damage=damage)), side(active=mon("D-001")))
    conds = ("Asleep",) if healed_then else ()
    assert view(after) == after_turn(eng, side(active=mon("A-001", damage=max(0, damage - 20))),
                                     side(active=mon("D-001", conditions=conds)))


@pytest.mark.parametrize("discard_energy,then", [("R", True), ("", False)])
def test_done_after_an_attach_from_the_discard_pile(discard_energy, then):
    # "Once during your turn, you may attach a [R] Energy from your discard pile to this Pokémon. If you do, do 20
    # damage to this Pokémon."
    ab = ir.Activated(steps=(ir.AttachEnergy(source="discard", energy=(ir.EnergySel(energy_type="Fire"),),
                                             target=THIS),
                             ir.If(condition=DONE, then=(ir.Damage(amount=C(value=20), target=THIS,
                                                                   by_attack=False),))))
    eng = make(poke("A-001", "Burner", ability=ab))
    s = board(eng, side(active=mon("A-001"), discard_energy=discard_energy), side(active=mon("D-001")))
    after = eng.step(s, eng.layout.ability(0), 1)
    exp = board(eng, side(active=mon("A-001", ability_used=True, energy="R" if then else "", damage=20 if then else 0)),
                side(active=mon("D-001")))
    assert view(after) == view(exp)


def test_done_after_discarding_tools():
    # "Discard all Pokémon Tools from your opponent's Active Pokémon. If you do, this attack does 30 more damage."
    tool = trainer("H-001", "Band", "tool", ir.Tool(effects=(ir.Passive(modifiers=(
        ir.NoWeakness(target=ir.ToolHolder()),)),)))
    eng = make(tool, attacker(ir.DiscardTools(target=OPP_ACTIVE),
                              ir.If(condition=DONE, then=(ir.AttackDamage(mode="more", amount=C(value=30)),)), base=10))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("D-001", tools=["H-001"])))
    assert view(after) == after_turn(eng, side(active=mon("A-001")), side(active=mon("D-001", damage=40),
                                                                          discard=["H-001"]))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("D-001")))
    assert view(after) == after_turn(eng, side(active=mon("A-001")), side(active=mon("D-001", damage=10)))


# --- comparisons, remaining HP, half HP --------------------------------------------------------------------------

@pytest.mark.parametrize("mine,theirs,more", [(50, 0, True), (0, 0, False), (0, 50, False)])
def test_compare_remaining_hp(mine, theirs, more):
    # "If your opponent's Active Pokémon has more remaining HP than this Pokémon, this attack does 50 more damage."
    cond = ir.Compare(left=ir.RemainingHp(target=OPP_ACTIVE), relation="more", right=ir.RemainingHp(target=THIS))
    eng = make(attacker(ir.If(condition=cond, then=(ir.AttackDamage(mode="more", amount=C(value=50)),)), base=10))
    after = attack(eng, side(active=mon("A-001", damage=mine)), side(active=mon("D-001", damage=theirs)))
    assert view(after) == after_turn(eng, side(active=mon("A-001", damage=mine)),
                                     side(active=mon("D-001", damage=theirs + (60 if more else 10))))


@pytest.mark.parametrize("relation,want", [("more", False), ("fewer", True), ("same", False)])
def test_compare_relations_on_energy(relation, want):
    cond = ir.Compare(left=ir.EnergyCount(target=THIS), relation=relation, right=ir.EnergyCount(target=OPP_ACTIVE))
    eng = make(attacker(ir.If(condition=cond, then=(ir.AttackDamage(mode="more", amount=C(value=50)),)), base=10))
    after = attack(eng, side(active=mon("A-001", energy="G")), side(active=mon("D-001", energy="GG")))
    assert view(after) == after_turn(eng, side(active=mon("A-001", energy="G")),
                                     side(active=mon("D-001", energy="GG", damage=60 if want else 10)))


@pytest.mark.parametrize("damage,heals", [(50, True), (40, False)])
def test_half_hp_tool_heals_then_discards_itself(damage, heals):
    # "At the end of each turn, if the Pokémon this card is attached to has half of its maximum HP or less
    # remaining, heal 30 damage from it. If you do, discard this card." (100 HP: 50 damage is half)
    berry = trainer("H-001", "Berry", "tool", ir.Tool(effects=(ir.Triggered(
        trigger=ir.Trigger(event="end_of_turn", each_turn=True),
        requirement=ir.Matches(target=ir.ToolHolder(), filters=(ir.HpAtMostHalf(),)),
        steps=(ir.Heal(amount=C(value=30), target=ir.That()),
               ir.If(condition=DONE, then=(ir.DiscardTools(target=ir.ToolHolder()),)))),)))
    eng = make(berry)
    s = board(eng, side(active=mon("D-001", damage=damage, tools=["H-001"])), side(active=mon("D-001")))
    after = eng.step(s, eng.layout.end_turn(), 1)
    mine = (mon("D-001", damage=damage - 30) if heals else mon("D-001", damage=damage, tools=["H-001"]))
    exp = side(active=mine, discard=["H-001"] if heals else [])
    opp = side(active=mon("D-001"))
    opp.current = opp.next = "G"
    assert view(after) == view(board(eng, exp, opp, turn=4, turn_player=1))


# --- batch 2: Ability names, revealing, Special Condition damage, per search, pooled Energy ---------------------

def test_condition_damage_adds_to_poison_at_checkup():
    # "Your opponent's Active Pokémon takes +10 damage from being Poisoned." (the attack Poisons: 10 + 10)
    ab = ir.Passive(modifiers=(ir.ConditionDamage(target=OPP_ACTIVE, condition="Poisoned", delta=10),))
    eng = make(attacker(ir.ApplyCondition(target=OPP_ACTIVE, conditions=("Poisoned",)), ability=ab))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("D-001")))
    assert view(after) == after_turn(eng, side(active=mon("A-001")),
                                     side(active=mon("D-001", damage=20, conditions=("Poisoned",))))


@pytest.mark.parametrize("other,applies", [("U-002", True), ("U-001", False)])
def test_ability_named_other_than(other, applies):
    # GUARD: "This Ability works if you have any Unown in play with an Ability other than GUARD. All of your
    # Pokémon take -10 damage from attacks." The other Unown has POWER (works) or GUARD (doesn't)
    guard = ir.Passive(requirement=ir.Exists(among=ir.Among(player="you", filters=(
        ir.NameIs(names=("Unown",)), ir.AbilityNamed(names=("GUARD",), value=False)))),
        modifiers=(ir.DamageTaken(target=ir.Each(among=ir.Among(player="you")), delta=-10),))
    power = ir.Passive(modifiers=(ir.NoWeakness(target=THIS),))
    g = poke("U-001", "Unown", ability=guard)
    g.card = g.card.model_copy(update={"ability": g.card.ability.model_copy(update={"name": "GUARD"})})
    p = poke("U-002", "Unown", ability=power)
    p.card = p.card.model_copy(update={"ability": p.card.ability.model_copy(update={"name": "POWER"})})
    eng = make(g, p, attacker(base=30))
    s = board(eng, side(active=mon("D-001"), bench=[mon("U-001"), mon(other)]), side(active=mon("A-001")),
              turn_player=1)
    after = eng.step(s, eng.layout.attack(0), 1)
    assert after.players[0].slots[0].damage == (20 if applies else 30)


def test_reveal_cards_changes_nothing():
    # "Your opponent reveals all of the Supporter cards in their deck."
    card = trainer("X-001", "Look", "supporter", ir.TrainerEffect(steps=(
        ir.RevealCards(zone="deck", filter=ir.CardFilter(kind="supporter")),)))
    eng = make(card)
    s = board(eng, side(active=mon("D-001"), hand=["X-001"]), side(active=mon("D-001"), deck=["X-001", "D-001"]))
    after = eng.step(s, eng.layout.play(0), 1)
    exp = board(eng, side(active=mon("D-001"), discard=["X-001"], supporters_played=1),
                side(active=mon("D-001"), deck=["X-001", "D-001"]))
    assert view(after) == view(exp)  # information only


def test_for_each_card_fetched_shuffle_one_back():
    # "Put 2 random Pokémon from your deck into your hand. For each Pokémon you put into your hand in this way,
    # choose a Pokémon to shuffle from your hand into your deck." (only 1 Pokémon in the deck: 1 found, 1 back)
    card = trainer("X-001", "Swap", "item", ir.TrainerEffect(steps=(
        ir.Fetch(count=2, filter=ir.CardFilter(kind="pokemon")),
        ir.Repeat(times=ir.Per(each=1, count=ir.DoneCount()), steps=(
            ir.HandToDeck(player="you", filter=ir.CardFilter(kind="pokemon"), random=False),)))))
    eng = make(card)
    s = board(eng, side(active=mon("D-001"), hand=["X-001", "D-003"], deck=["D-004", "X-001"]),
              side(active=mon("D-001")))
    mid = eng.step(s, eng.layout.play(0), 1)
    assert mid.pending is not None and len(mid.pending.options) == 2  # Leafy (in hand) or Weakling (found)
    after = eng.step(mid, eng.layout.choose(0), 2)
    hand = sorted(eng.db.cards[after.card_of[i]].id for i in after.players[0].hand)
    deck = sorted(eng.db.cards[after.card_of[i]].id for i in after.players[0].deck)
    assert len(hand) == 1 and hand[0] in ("D-003", "D-004") and len(deck) == 2 and "X-001" in deck


@pytest.mark.parametrize("key", [1, 2, 3, 4, 5, 6])
def test_discard_energy_among_pools_both_players_energy(key):
    # "Discard a random Energy from among the Energy attached to all Pokémon (both yours and your opponent's)."
    eng = make(attacker(ir.DiscardEnergyAmong(among=ir.Among(player="both"))))
    s = board(eng, side(active=mon("A-001", energy="G"), bench=[mon("D-001", energy="RR")]),
              side(active=mon("D-001", energy="WWW")))
    after = eng.step(s, eng.layout.attack(0), key)
    left = sum(sum(pk.energy) for pl in after.players for pk in pl.slots if pk is not None)
    discarded = sum(sum(pl.discard_energy) for pl in after.players)
    assert left == 5 and discarded == 1


# --- batch 4: the Energy Zone, either/each player, the top of the deck --------------------------------------------

def test_set_next_energy_changes_the_opponents_next_energy():
    # "Change the type of the next Energy that will be generated for your opponent to 1 of the following at random:
    # [W] or [L]."  (a random pick of the two)
    eng = make(attacker(ir.SetNextEnergy(types=("Water", "Lightning"))))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("D-001")))
    # the opponent's turn 4 started: its current Energy is the one set, a fresh next one is rolled
    assert after.players[1].energy_current in (2, 3)


@pytest.mark.parametrize("key", [1, 2, 3])
def test_change_energy_type_keeps_the_count(key):
    eng = make(attacker(ir.ChangeEnergyType(target=OPP_ACTIVE, types=("Metal",))))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("D-001", energy="GR"))) if key == 1 else \
        eng.step(board(eng, side(active=mon("A-001")), side(active=mon("D-001", energy="GR"))), eng.layout.attack(0), key)
    e = after.players[1].slots[0].energy
    assert sum(e) == 2 and e[7] == 1  # one of the two became [M]


def test_shuffle_hand_redraw_each_player_draws_as_many():
    # "Each player shuffles the cards in their hand into their deck, then draws that many cards."
    card = trainer("X-001", "Redraw", "supporter", ir.TrainerEffect(steps=(ir.ShuffleHandRedraw(),)))
    eng = make(card)
    s = board(eng, side(active=mon("D-001"), hand=["X-001", "D-003", "D-004"], deck=["D-001"]),
              side(active=mon("D-001"), hand=["D-003"], deck=["D-004", "D-004"]))
    after = eng.step(s, eng.layout.play(0), 1)
    assert [len(pl.hand) for pl in after.players] == [2, 1]
    assert [len(pl.deck) for pl in after.players] == [1, 2]


@pytest.mark.parametrize("key", [1, 2, 3, 4])
def test_pooled_hand_to_deck_moves_one_card_of_either_hand(key):
    card = trainer("X-001", "Mix", "item", ir.TrainerEffect(steps=(ir.PooledHandToDeck(),)))
    eng = make(card)
    s = board(eng, side(active=mon("D-001"), hand=["X-001", "D-003"]), side(active=mon("D-001"), hand=["D-004"] * 3))
    after = eng.step(s, eng.layout.play(0), key)
    assert sum(len(pl.hand) for pl in after.players) == 3 and sum(len(pl.deck) for pl in after.players) == 1
    assert all(len(pl.hand) + len(pl.deck) == n for pl, n in zip(after.players, (1, 3)))  # back to its owner


def test_swap_hand_deck():
    # "Choose a Pokémon in your hand and switch it with a random Pokémon in your deck."
    card = trainer("X-001", "Swap", "item", ir.TrainerEffect(steps=(ir.SwapHandDeck(filter=ir.CardFilter(
        kind="pokemon")),)))
    eng = make(card)
    s = board(eng, side(active=mon("D-001"), hand=["X-001", "D-003"], deck=["D-004", "X-001"]),
              side(active=mon("D-001")))
    mid = eng.step(s, eng.layout.play(0), 1)
    after = eng.step(mid, eng.layout.choose(0), 1) if mid.pending is not None else mid
    hand = [eng.db.cards[after.card_of[i]].id for i in after.players[0].hand]
    deck = sorted(eng.db.cards[after.card_of[i]].id for i in after.players[0].deck)
    assert hand == ["D-004"] and deck == ["D-003", "X-001"]


def test_reveal_top_count_scales_damage_then_shuffle():
    # "Reveal the top 3 cards of your deck. This attack does 60 damage for each Pokémon with a Retreat Cost of 3 or
    # more you find there. Shuffle the revealed cards back into your deck." Leafy has Retreat Cost 2, Heavy 3
    heavy = poke("H-002", "Heavy", retreat=3)
    cnt = ir.TopDeckCount(count=3, filter=ir.CardFilter(kind="pokemon", filters=(ir.RetreatAtLeast(count=3),)))
    eng = make(heavy, attacker(ir.RevealTop(count=3), ir.AttackDamage(mode="set", amount=ir.Per(each=60, count=cnt)),
                               ir.ShuffleDeck()))
    s = board(eng, side(active=mon("A-001"), deck=["H-002", "D-003", "D-003", "H-002"]), side(active=mon("D-001")))
    after = eng.step(s, eng.layout.attack(0), 1)
    assert after.players[1].slots[0].damage == 60 and len(after.players[0].deck) == 4


@pytest.mark.parametrize("top,taken", [("D-003", True), ("X-009", False)])
def test_take_top_to_hand_or_bottom(top, taken):
    # "Look at the top card of your deck. If that card is a [G] Pokémon, put it into your hand. If it is not a [G]
    # Pokémon, put it on the bottom of your deck."
    other = trainer("X-009", "Other", "item", ir.TrainerEffect(steps=(ir.Draw(amount=C(value=1)),)))
    card = trainer("X-001", "Peek", "item", ir.TrainerEffect(steps=(ir.TakeTop(filter=ir.CardFilter(
        kind="pokemon", filters=(ir.TypeIs(types=("Grass",)),)), rest="bottom"),)))
    eng = make(card, other)
    s = board(eng, side(active=mon("D-001"), hand=["X-001"], deck=[top, "D-001"]), side(active=mon("D-001")))
    after = eng.step(s, eng.layout.play(0), 1)
    exp = side(active=mon("D-001"), hand=[top] if taken else [], deck=["D-001"] if taken else ["D-001", top],
               discard=["X-001"])
    assert view(after) == view(board(eng, exp, side(active=mon("D-001"))))


@pytest.mark.parametrize("top,more", [("D-003", True), ("D-001", False)])
def test_milled_card_condition(top, more):
    # "Discard the top card of your deck. If that card is a [G] Pokémon, this attack does 60 more damage."
    eng = make(attacker(ir.DiscardCards(zone="deck"), ir.If(condition=ir.Milled(filter=ir.CardFilter(
        kind="pokemon", filters=(ir.TypeIs(types=("Grass",)),))), then=(ir.AttackDamage(mode="more", amount=C(
            value=60)),)), base=10))
    after = attack(eng, side(active=mon("A-001"), deck=[top, "D-001"]), side(active=mon("D-001")))
    assert view(after) == after_turn(eng, side(active=mon("A-001"), deck=["D-001"], discard=[top]),
                                     side(active=mon("D-001", damage=70 if more else 10)))


# --- batch 5: damage flips, survival, named Tools, several types, any number, alternative costs -----------------

def _key(pred):
    from reference.testing import key_where

    return key_where(pred)


@pytest.mark.parametrize("heads", [True, False])
def test_damage_flip_prevents_on_heads(heads):
    # "If any damage is done to this Pokémon by attacks, flip a coin. If heads, prevent that damage."
    from compiler.engine_model.rng import coin
    from reference.testing import effect_address

    lucky = poke("P-009", "Lucky", ability=ir.Passive(modifiers=(ir.DamageFlip(target=THIS),)))
    eng = make(lucky, attacker(base=30))
    a = effect_address(eng, "P-009", 8, 1, 0, 0xDF)
    key = _key(lambda k: coin(k, a, 0) == heads)
    after = attack(eng, side(active=mon("A-001")), side(active=mon("P-009")), key)
    assert after.players[1].slots[0].damage == (0 if heads else 30)


@pytest.mark.parametrize("mine,survives", [("D-003", True), ("D-001", False)])
def test_survive_as_a_lasting_rule(mine, survives):
    # "During your opponent's next turn, if your Leafy would be Knocked Out by damage from an attack, it is not
    # Knocked Out and its remaining HP becomes 10." The opponent's 50 damage on 20 HP left: Leafy stays at 10 HP,
    # Dummy (not named) is Knocked Out
    card = trainer("X-001", "Hold", "supporter", ir.TrainerEffect(steps=(ir.Lasting(
        duration="opponent_next_turn", modifier=ir.Survive(target=ir.Each(among=ir.Among(filters=(
            ir.NameIs(names=("Leafy",)),))), hp=10)),)))
    eng = make(card, attacker(base=50))
    s = board(eng, side(active=mon(mine, damage=80), hand=["X-001"], bench=[mon("D-004")]),
              side(active=mon("A-001")))
    s = eng.step(s, eng.layout.play(0), 1)
    s = eng.step(s, eng.layout.end_turn(), 1)
    after = eng.step(s, eng.layout.attack(0), 1)
    assert (after.players[1].points == 0) == survives
    if survives:
        assert after.players[0].slots[0].damage == 90


@pytest.mark.parametrize("tool,coins", [(True, 4), (False, 2)])
def test_flip_instead_with_a_named_tool(tool, coins):
    # "Flip 2 coins. This attack does 30 damage for each heads. If this Pokémon has Lucky Mittens attached, flip 4
    # coins instead." With every coin heads: 120 or 60
    from compiler.engine_model.rng import coin
    from reference.testing import effect_address

    mittens = trainer("H-003", "Lucky Mittens", "tool", ir.Tool(effects=(ir.Passive(modifiers=(
        ir.NoWeakness(target=ir.ToolHolder()),)),)))
    big = poke("B-001", "Big", hp=200)
    steps = (ir.If(condition=ir.Matches(target=THIS, filters=(ir.HasToolNamed(names=("Lucky Mittens",)),)),
                   then=(ir.Flip(count=C(value=4)),), otherwise=(ir.Flip(count=C(value=2)),)),
             ir.AttackDamage(mode="set", amount=ir.Per(each=30, count=ir.Heads())))
    eng = make(mittens, big, attacker(*steps))
    addr = effect_address(eng, "A-001", 0, 0, 0, 0, 0 if tool else 1, 0)
    key = _key(lambda k: all(coin(k, addr, i) for i in range(coins)))
    after = attack(eng, side(active=mon("A-001", tools=["H-003"] if tool else [])), side(active=mon("B-001")), key)
    assert after.players[1].slots[0].damage == 30 * coins


def test_move_energy_one_of_several_types():
    # "Move a [R], [W], or [L] Energy from 1 of your Benched Pokémon to your Active Pokémon." (only [W] qualifies)
    card = trainer("X-001", "Shift", "item", ir.TrainerEffect(steps=(ir.MoveEnergyOneOf(
        energy_types=("Fire", "Water", "Lightning"), source=ir.Choose(among=YOUR_BENCH),
        target=ir.Active(player="you")),)))
    eng = make(card)
    s = board(eng, side(active=mon("D-001"), bench=[mon("D-003", energy="GW")], hand=["X-001"]),
              side(active=mon("D-001")))
    after = eng.step(s, eng.layout.play(0), 1)
    exp = board(eng, side(active=mon("D-001", energy="W"), bench=[mon("D-003", energy="G")], discard=["X-001"]),
                side(active=mon("D-001")))
    assert view(after) == view(exp)


def test_choose_any_discard_scales_damage():
    # "You may discard any number of your Benched Pokémon. This attack does 40 more damage for each Benched Pokémon
    # you discarded in this way." Discard two of three, then stop
    eng = make(attacker(ir.DiscardPokemon(target=ir.ChooseAny(among=YOUR_BENCH)),
                        ir.AttackDamage(mode="more", amount=ir.Per(each=40, count=ir.DoneCount())), base=10))
    s = board(eng, side(active=mon("A-001"), bench=[mon("D-001"), mon("D-003"), mon("D-004")]),
              side(active=mon("B-002")) if False else side(active=mon("D-002")))
    s = eng.step(s, eng.layout.attack(0), 1)
    s = eng.step(s, eng.layout.choose(0), 1)
    s = eng.step(s, eng.layout.choose(0), 1)
    after = eng.step(s, eng.layout.choose_done(), 1)
    assert sum(1 for pk in after.players[0].slots[1:] if pk is not None) == 1
    assert after.players[1].slots[0].damage == 90


@pytest.mark.parametrize("damaged,usable", [(True, True), (False, False)])
def test_alternative_cost_while_damaged(damaged, usable):
    # "If this Pokémon has damage on it, this attack can be used for 1 [L] Energy." (printed [L][L][L])
    eng = make(attacker(ir.AlternativeCost(condition=ir.Matches(target=THIS, filters=(ir.Damaged(),)),
                                           cost=("Lightning",)), base=80, cost="LLL"))
    s = board(eng, side(active=mon("A-001", energy="L", damage=10 if damaged else 0)), side(active=mon("D-001")))
    assert (eng.layout.attack(0) in eng.legal_actions(s)) == usable


# --- batch 6: printed card attributes (tags), an amount in a damage modifier -----------------------------------

def _tagged(tc, *tags):
    tc.card = tc.card.model_copy(update={"tags": list(tags)})
    return tc


def test_has_tag_reads_the_cards_printed_attributes():
    # "During your opponent's next turn, all of your Ultra Beasts take -20 damage from attacks."
    beast = _tagged(poke("U-009", "Beast", hp=100), "Ultra Beast")
    card = trainer("X-001", "Wall", "supporter", ir.TrainerEffect(steps=(ir.Lasting(
        duration="opponent_next_turn", modifier=ir.DamageTaken(target=ir.Each(among=ir.Among(filters=(
            ir.HasTag(tag="Ultra Beast"),))), delta=-20)),)))
    eng = make(beast, card, attacker(base=50))
    for mine, dmg in (("U-009", 30), ("D-001", 50)):
        s = board(eng, side(active=mon(mine), hand=["X-001"]), side(active=mon("A-001")))
        s = eng.step(eng.step(s, eng.layout.play(0), 1), eng.layout.end_turn(), 1)
        after = eng.step(s, eng.layout.attack(0), 1)
        assert after.players[0].slots[0].damage == dmg


def test_damage_dealt_by_points_gotten():
    # "Attacks used by the Pokémon this card is attached to do +10 damage to your opponent's Active Pokémon for
    # each point you have gotten." (2 points: +20)
    band = trainer("H-004", "Band", "tool", ir.Tool(effects=(ir.Passive(modifiers=(ir.DamageDealtBy(
        attacker=ir.ToolHolder(), amount=ir.Per(each=10, count=ir.PointsOf()), defender=OPP_ACTIVE),)),)))
    eng = make(band, attacker(base=30))
    after = attack(eng, side(active=mon("A-001", tools=["H-004"]), points=2), side(active=mon("D-001")))
    assert view(after) == after_turn(eng, side(active=mon("A-001", tools=["H-004"]), points=2),
                                     side(active=mon("D-001", damage=50)))


# --- batch 7: a knocked-out Pokémon into the hand, devolving --------------------------------------------------

def test_knocked_out_to_hand_instead_of_the_discard_pile():
    # "If the Pokémon this card is attached to is Knocked Out by damage from an attack from your opponent's
    # Pokémon, put it into your hand instead of the discard pile." (the Tool and the Energy are discarded)
    scarf = trainer("H-005", "Scarf", "tool", ir.Tool(effects=(ir.Triggered(
        trigger=ir.Trigger(event="knocked_out_by_attack"), steps=(ir.KnockedOutToHand(),)),)))
    eng = make(scarf, attacker(base=100))
    s = board(eng, side(active=mon("D-001", tools=["H-005"], energy="G"), bench=[mon("D-003")]),
              side(active=mon("A-001")), turn_player=1)
    after = eng.step(s, eng.layout.attack(0), 1)
    pl = after.players[0]
    assert [eng.db.cards[after.card_of[i]].id for i in pl.hand] == ["D-001"]
    assert [eng.db.cards[after.card_of[i]].id for i in pl.discard] == ["H-005"] and after.players[1].points == 1


@pytest.mark.parametrize("damage,ko", [(30, False), (70, True)])
def test_devolve_puts_the_top_card_into_the_owners_hand(damage, ko):
    # "If your opponent's Active Pokémon is an evolved Pokémon, devolve it by putting the highest Stage Evolution
    # card on it into your opponent's hand." Bloom (120 HP) on Sprout (60 HP): 70 damage is a knockout once devolved
    sprout = poke("E-001", "Sprout", hp=60)
    bloom = poke("E-002", "Bloom", hp=120, stage="stage1", evolves_from="Sprout")
    eng = make(sprout, bloom, attacker(ir.If(condition=ir.Matches(target=OPP_ACTIVE, filters=(
        ir.StageIs(stage="evolution"),)), then=(ir.Devolve(target=ir.That()),))))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("E-001", "E-002", damage=damage,
                                                                   conditions=("Poisoned",)), bench=[mon("D-001")]))
    opp = after.players[1]
    assert [eng.db.cards[after.card_of[i]].id for i in opp.hand] == ["E-002"]
    if ko:
        assert after.players[0].points == 1
    else:
        pk = opp.slots[0]
        assert [eng.db.cards[after.card_of[i]].id for i in pk.cards] == ["E-001"] and not pk.poisoned


# --- IR v7: Stadiums -----------------------------------------------------------------------------------------------

BOTH = lambda *fs, zone="in_play": ir.Each(among=ir.Among(player="both", zone=zone, filters=fs))  # noqa: E731
BASIC = ir.StageIs(stage="basic")


def stadium(cid, name, *mods, requirement=None):
    return trainer(cid, name, "stadium", ir.Stadium(effects=(ir.Passive(requirement=requirement, modifiers=mods),)))


PLAZA = stadium("S-001", "Plaza", ir.HpBonus(target=BOTH(BASIC), amount=C(value=20)))
"""'Basic Pokémon in play (both yours and your opponent's) get +20 HP.'"""
MARSH = stadium("S-002", "Marsh", ir.DamageTaken(target=BOTH(ir.TypeIs(types=("Grass",))), delta=-10))
"""'Each [G] Pokémon (both yours and your opponent's) takes -10 damage from attacks.'"""
PATH = stadium("S-003", "Path", ir.RetreatCost(target=BOTH(BASIC), delta=-1))
"""'The Retreat Cost of each Basic Pokémon (both yours and your opponent's) is 1 less.'"""


def test_a_stadium_gives_hp_to_both_players_until_another_replaces_it():
    # Plaza (played by player 1) is in play: both 110-damage Basic Pokémon live at 120 HP. Player 0 plays Marsh:
    # Plaza goes to player 1's discard pile, HP is 100 again and both Pokémon are Knocked Out at once.
    eng = make(PLAZA, MARSH)
    s = board(eng, side(active=mon("D-001", damage=110), bench=[mon("D-001")], hand=["S-002"]),
              side(active=mon("D-001", damage=110), bench=[mon("D-003")]), stadium="S-001", stadium_owner=1)
    assert eng.observe(s, 0)["you"]["slots"][0]["hp"] == 120 == eng.observe(s, 0)["opponent"]["slots"][0]["hp"]
    after = eng.step(s, eng.layout.play(0), 1)
    exp = board(eng, side(active=mon("D-001"), discard=["D-001"], points=1),
                side(active=mon("D-003"), discard=["D-001", "S-001"], points=1), stadium="S-002", stadium_owner=0)
    assert view(after) == view(exp)


@pytest.mark.parametrize("owner", [0, 1])
def test_a_stadiums_rule_holds_for_both_players_whoever_played_it(owner):
    # Marsh: [G] Pokémon take -10 damage from attacks; the attacker's 30 damage to a Grass Pokémon is 20
    eng = make(MARSH, attacker(base=30))
    s = board(eng, side(active=mon("A-001")), side(active=mon("D-003")), stadium="S-002", stadium_owner=owner)
    after = eng.step(s, eng.layout.attack(0), 1)
    assert after.players[1].slots[0].damage == 20


def test_a_stadiums_retreat_rule_makes_a_retreat_legal():
    # Leafy's Retreat Cost is 2; with Path in play it is 1, so 1 Energy pays for it
    eng = make(PATH)
    s = board(eng, side(active=mon("D-003", energy="G"), bench=[mon("D-001")]), side(active=mon("D-001")))
    assert eng.layout.retreat(1) not in eng.legal_actions(s)
    s = board(eng, side(active=mon("D-003", energy="G"), bench=[mon("D-001")]), side(active=mon("D-001")),
              stadium="S-003", stadium_owner=1)
    after = eng.step(s, eng.layout.retreat(1), 1)
    exp = board(eng, side(active=mon("D-001"), bench=[mon("D-003")], discard_energy="G", retreats=1),
                side(active=mon("D-001")), stadium="S-003", stadium_owner=1)
    assert view(after) == view(exp)


@pytest.mark.parametrize("blocked", [True, False])
def test_a_rule_against_playing_stadiums(blocked):
    # "Your opponent can't play any Stadium cards from their hand." (player 1's Ability)
    ab = ir.Passive(modifiers=(ir.CantPlay(player="opponent", card="stadium"),))
    eng = make(PLAZA, poke("B-001", "Blocker", ability=ab))
    s = board(eng, side(active=mon("D-001"), hand=["S-001"]), side(active=mon("B-001" if blocked else "D-001")))
    assert (eng.layout.play(0) in eng.legal_actions(s)) == (not blocked)


@pytest.mark.parametrize("player,stadium_owner,more", [
    ("both", None, False), ("both", 0, True), ("both", 1, True),
    ("you", 0, True), ("you", 1, False), ("opponent", 1, True), ("opponent", 0, False)])
def test_stadium_in_play_condition(player, stadium_owner, more):
    # "If a Stadium is in play / If you have a Stadium in play / If your opponent has a Stadium in play, this attack
    # does 30 more damage."
    cond = ir.StadiumInPlay(player=player)
    eng = make(PATH, attacker(ir.If(condition=cond, then=(ir.AttackDamage(mode="more", amount=C(value=30)),)),
                              base=10))
    s = board(eng, side(active=mon("A-001")), side(active=mon("D-001")),
              stadium=None if stadium_owner is None else "S-003", stadium_owner=stadium_owner)
    after = eng.step(s, eng.layout.attack(0), 1)
    assert after.players[1].slots[0].damage == (40 if more else 10)


@pytest.mark.parametrize("name,more", [("Path", True), ("Plaza", False)])
def test_a_stadium_named_in_play(name, more):
    # "If Path is in play, this attack does 30 more damage."
    eng = make(PATH, PLAZA, attacker(ir.If(condition=ir.StadiumInPlay(names=(name,)), then=(
        ir.AttackDamage(mode="more", amount=C(value=30)),)), base=10))
    s = board(eng, side(active=mon("A-001")), side(active=mon("D-001")), stadium="S-003")
    after = eng.step(s, eng.layout.attack(0), 1)
    assert after.players[1].slots[0].damage == (40 if more else 10)


@pytest.mark.parametrize("in_play", [True, False])
def test_discard_the_stadium_in_play_then_if_you_do(in_play):
    # "Discard the Stadium in play. If you do, this attack does 30 more damage." (player 1 played it: it goes to
    # player 1's discard pile)
    eng = make(PATH, attacker(ir.DiscardStadium(), ir.If(condition=DONE, then=(
        ir.AttackDamage(mode="more", amount=C(value=30)),)), base=10))
    s = board(eng, side(active=mon("A-001")), side(active=mon("D-001")),
              stadium="S-003" if in_play else None, stadium_owner=1 if in_play else None)
    after = eng.step(s, eng.layout.attack(0), 1)
    assert view(after) == after_turn(eng, side(active=mon("A-001")), side(
        active=mon("D-001", damage=40 if in_play else 10), discard=["S-003"] if in_play else []))


def test_search_the_deck_for_a_stadium_card():
    # "Put a random Stadium card from your deck into your hand."
    card = trainer("X-001", "Finder", "item", ir.TrainerEffect(steps=(
        ir.Fetch(filter=ir.CardFilter(kind="stadium")),)))
    eng = make(card, PATH)
    s = board(eng, side(active=mon("D-001"), hand=["X-001"], deck=["D-001", "S-003", "X-001"]),
              side(active=mon("D-001")))
    after = eng.step(s, eng.layout.play(0), 1)
    exp = board(eng, side(active=mon("D-001"), hand=["S-003"], deck=["D-001", "X-001"], discard=["X-001"]),
                side(active=mon("D-001")))
    assert view(after) == view(exp)


# --- IR v7: triggers at the points of a turn -------------------------------------------------------------------------

def turn_trigger(event, *steps, requirement=None, **flags):
    return ir.Triggered(trigger=ir.Trigger(event=event, **flags), requirement=requirement, steps=steps)


@pytest.mark.parametrize("where,heals", [("active", True), ("bench", False)])
def test_beginning_of_your_turn_while_active(where, heals):
    # Player 1's "At the beginning of your turn, if this Pokémon is in the Active Spot, heal 20 damage from it."
    # Player 0 attacks (ending turn 3); player 1's turn 4 begins.
    eng = make(attacker(base=10), poke("B-001", "Sunny", ability=turn_trigger(
        "start_of_turn", ir.Heal(amount=C(value=20), target=ir.That()), while_active=True)))
    sunny = mon("B-001", damage=50)
    opp = side(active=sunny, bench=[mon("D-001")]) if where == "active" else \
        side(active=mon("D-001"), bench=[sunny])
    after = attack(eng, side(active=mon("A-001")), opp)
    if where == "active":
        exp = side(active=mon("B-001", damage=50 + 10 - 20), bench=[mon("D-001")])
    else:
        exp = side(active=mon("D-001", damage=10), bench=[mon("B-001", damage=50)])
    assert view(after) == after_turn(eng, side(active=mon("A-001")), exp)


def test_beginning_of_your_turn_comes_after_the_draw():
    # "At the beginning of your turn, if you have exactly 1 card in your hand, heal 30 damage from this Pokémon."
    # Player 1 has no card in hand before turn 4's draw and 1 after it: the trigger sees the card drawn.
    eng = make(attacker(base=10), poke("B-001", "Sunny", ability=turn_trigger(
        "start_of_turn", ir.Heal(amount=C(value=30), target=THIS),
        requirement=ir.HandSize(player="you", sizes=(1,)))))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("B-001", damage=40), deck=["D-001"]))
    assert view(after) == after_turn(eng, side(active=mon("A-001")),
                                     side(active=mon("B-001", damage=20), hand=["D-001"]))


@pytest.mark.parametrize("flags,fires", [({}, False), ({"opponent_turn": True}, True), ({"each_turn": True}, True)])
def test_beginning_of_your_opponents_turn_and_knockout(flags, fires):
    # Player 0's "At the beginning of your opponent's turn (of each turn / of your turn), do 30 damage to your
    # opponent's Active Pokémon": at the beginning of player 1's turn 4, the 80-damage Dummy is Knocked Out
    eng = make(attacker(base=0), poke("B-001", "Storm", ability=turn_trigger(
        "start_of_turn", ir.Damage(amount=C(value=30), target=OPP_ACTIVE, by_attack=False), **flags)))
    s = board(eng, side(active=mon("B-001"), bench=[mon("D-001")]),
              side(active=mon("D-001", damage=80), bench=[mon("D-003")]))
    after = eng.step(s, eng.layout.end_turn(), 1)
    if fires:
        exp = side(active=mon("D-003"), discard=["D-001"])
        assert view(after) == after_turn(eng, side(active=mon("B-001"), bench=[mon("D-001")], points=1), exp)
    else:
        exp = side(active=mon("D-001", damage=80), bench=[mon("D-003")])
        assert view(after) == after_turn(eng, side(active=mon("B-001"), bench=[mon("D-001")]), exp)


def test_end_of_your_opponents_turn():
    # Player 1's "At the end of your opponent's turn, heal 10 damage from this Pokémon." Player 0's attack does 30
    # to it (20 before): 50, then 40 when player 0's turn ends.
    eng = make(attacker(base=30), poke("B-001", "Moss", ability=turn_trigger(
        "end_of_turn", ir.Heal(amount=C(value=10), target=THIS), opponent_turn=True)))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("B-001", damage=20)))
    assert view(after) == after_turn(eng, side(active=mon("A-001")), side(active=mon("B-001", damage=40)))


# --- IR v7: what happened since a Pokémon came into play ---------------------------------------------------------

FIRST_ATTACK = ir.Matches(target=THIS, filters=(ir.SinceInPlay(event="attacked", value=False),))


@pytest.mark.parametrize("before,dmg", [(0, 60), (1, 10), (3, 10)])
def test_first_attack_since_coming_into_play(before, dmg):
    # "If this is the first time this Pokémon has attacked since it came into play, this attack does 50 more damage."
    eng = make(attacker(ir.If(condition=FIRST_ATTACK, then=(ir.AttackDamage(mode="more", amount=C(value=50)),)),
                        base=10))
    after = attack(eng, side(active=mon("A-001", attacks_in_play=before)), side(active=mon("D-001")))
    assert after.players[1].slots[0].damage == dmg
    assert after.players[0].slots[0].attacks_in_play == before + 1


def test_evolving_keeps_what_happened_since_coming_into_play():
    # the Pokémon attacked before it evolved: it is the same Pokémon in play, so its next attack is not its first
    evo = poke("E-001", "Grown", stage="stage1", evolves_from="Attacker", attacks=[atk(
        "Test", "", 10, ir.If(condition=FIRST_ATTACK, then=(ir.AttackDamage(mode="more", amount=C(value=50)),)))])
    eng = make(attacker(base=10), evo)
    s = board(eng, side(active=mon("A-001", attacks_in_play=1), hand=["E-001"]), side(active=mon("D-001")))
    s = eng.step(s, eng.layout.play_on(0, 0), 1)
    after = eng.step(s, eng.layout.attack(0), 1)
    assert after.players[1].slots[0].damage == 10


@pytest.mark.parametrize("before,fires", [(0, True), (1, False)])
def test_first_time_damaged_trigger(before, fires):
    # Player 1's "The first time this Pokémon is damaged by an attack from your opponent's Pokémon after coming into
    # play, your opponent's Active Pokémon is now Paralyzed."
    ab = ir.Triggered(trigger=ir.Trigger(event="damaged_by_attack", first_time=True), steps=(
        ir.ApplyCondition(target=OPP_ACTIVE, conditions=("Paralyzed",)),))
    eng = make(attacker(base=10), poke("B-001", "Spiky", ability=ab))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("B-001", attack_damaged_times=before)))
    assert after.players[0].slots[0].conditions() == (["Paralyzed"] if fires else [])
    assert after.players[1].slots[0].attack_damaged_times == before + 1


@pytest.mark.parametrize("before,dmg", [(0, 10), (1, 30)])
def test_not_damaged_since_coming_into_play_reduces_the_first_attack(before, dmg):
    # Player 1's "If this Pokémon hasn't been damaged by an attack from your opponent's Pokémon since it came into
    # play, it takes -20 damage from attacks."
    ab = ir.Passive(requirement=ir.Matches(target=THIS, filters=(ir.SinceInPlay(event="damaged", value=False),)),
                    modifiers=(ir.DamageTaken(target=THIS, delta=-20),))
    eng = make(attacker(base=30), poke("B-001", "Shell", ability=ab))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("B-001", attack_damaged_times=before)))
    assert after.players[1].slots[0].damage == dmg


# --- counting anything, exact values, comparisons of points ----------------------------------------------------------

def test_count_cards_of_a_kind_in_the_discard_pile():
    # "This attack does 20 damage for each Item card in your discard pile." (2 Items, a Pokémon)
    eng = make(attacker(ir.AttackDamage(mode="set", amount=ir.Per(each=20, count=ir.CardCount(
        player="you", zone="discard", filter=ir.CardFilter(kind="item"))))), trainer("X-001", "Junk", "item", (
            ir.TrainerEffect(steps=(ir.Draw(amount=C(value=1)),)))))
    after = attack(eng, side(active=mon("A-001"), discard=["X-001", "X-001", "D-001"]), side(active=mon("D-001")))
    assert after.players[1].slots[0].damage == 40


def test_count_tools_and_types_of_energy():
    # "This attack does 30 damage for each Pokémon Tool attached to your opponent's Active Pokémon, and 20 more
    # for each different type of Energy attached to this Pokémon." (1 Tool; [G], [R] and [W]: 3 types)
    band = trainer("H-001", "Band", "tool", ir.Tool(effects=(ir.Passive(modifiers=(
        ir.NoWeakness(target=ir.ToolHolder()),)),)))
    eng = make(band, attacker(
        ir.AttackDamage(mode="set", amount=ir.Per(each=30, count=ir.ToolCount(target=OPP_ACTIVE))),
        ir.AttackDamage(mode="more", amount=ir.Per(each=20, count=ir.EnergyTypeCount(target=THIS)))))
    after = attack(eng, side(active=mon("A-001", energy="GGRW")), side(active=mon("D-001", tools=["H-001"])))
    assert after.players[1].slots[0].damage == 30 + 60


@pytest.mark.parametrize("energy,more", [("RR", True), ("R", False), ("RRR", False), ("RW", False)])
def test_exactly_n_energy(energy, more):
    # "If this Pokémon has exactly 2 [R] Energy attached, this attack does 30 more damage."
    cond = ir.CountIn(count=ir.EnergyCount(target=THIS, energy_type="Fire"), values=(2,))
    eng = make(attacker(ir.If(condition=cond, then=(ir.AttackDamage(mode="more", amount=C(value=30)),)), base=10))
    after = attack(eng, side(active=mon("A-001", energy=energy)), side(active=mon("D-001")))
    assert after.players[1].slots[0].damage == (40 if more else 10)


@pytest.mark.parametrize("mine,theirs,more", [(0, 1, True), (1, 1, False), (2, 1, False)])
def test_compare_points(mine, theirs, more):
    # "If your opponent has more points than you, this attack does 50 more damage."
    cond = ir.Compare(left=ir.PointsOf(player="opponent"), relation="more", right=ir.PointsOf())
    eng = make(attacker(ir.If(condition=cond, then=(ir.AttackDamage(mode="more", amount=C(value=50)),)), base=10))
    after = attack(eng, side(active=mon("A-001"), points=mine), side(active=mon("D-001"), points=theirs))
    assert after.players[1].slots[0].damage == (60 if more else 10)


def test_knockouts_so_far_are_counted():
    # "This attack does 20 more damage for each of your Pokémon that was Knocked Out during this game." Player 0
    # lost 1 Pokémon before; the attack knocks out player 1's Active, which counts for player 1 only.
    eng = make(attacker(ir.AttackDamage(mode="more", amount=ir.Per(each=20, count=ir.KnockOutCount())), base=10))
    after = attack(eng, side(active=mon("A-001"), knocked_out=1), side(active=mon("D-001", damage=70),
                                                                        bench=[mon("D-001")]))
    assert after.players[0].points == 1
    assert [pl.knocked_out for pl in after.players] == [1, 1]


@pytest.mark.parametrize("evolve_first,more", [(True, True), (False, False)])
def test_evolved_from_a_named_pokemon_this_turn(evolve_first, more):
    # Grown (evolves from Attacker): "If this Pokémon evolved from Attacker during this turn, this attack does 50
    # more damage." Evolved this turn, or already in play as Grown
    cond = ir.All(conditions=(ir.History(event="evolved_this_turn"),
                              ir.Matches(target=THIS, filters=(ir.EvolvesFrom(name="Attacker"),))))
    evo = poke("E-001", "Grown", stage="stage1", evolves_from="Attacker", attacks=[atk(
        "Test", "", 10, ir.If(condition=cond, then=(ir.AttackDamage(mode="more", amount=C(value=50)),)))])
    eng = make(attacker(base=10), evo)
    if evolve_first:
        s = board(eng, side(active=mon("A-001"), hand=["E-001"]), side(active=mon("D-001")))
        s = eng.step(s, eng.layout.play_on(0, 0), 1)
    else:
        s = board(eng, side(active=mon("A-001", "E-001")), side(active=mon("D-001")))
    after = eng.step(s, eng.layout.attack(0), 1)
    assert after.players[1].slots[0].damage == (60 if more else 10)


def test_choose_a_pokemon_of_either_player():
    # "Choose 1 Pokémon (either yours or your opponent's). Heal 40 damage from it." (the opponent's is chosen)
    card = trainer("X-001", "Mend", "item", ir.TrainerEffect(steps=(
        ir.Select(target=ir.Choose(among=ir.Among(player="both"))), ir.Heal(amount=C(value=40), target=ir.That()))))
    eng = make(card)
    s = board(eng, side(active=mon("D-001", damage=50), hand=["X-001"]), side(active=mon("D-001", damage=50)))
    mid = eng.step(s, eng.layout.play(0), 1)
    assert mid.pending is not None and len(mid.pending.options) == 2
    after = eng.step(mid, eng.layout.choose(1), 1)
    exp = board(eng, side(active=mon("D-001", damage=50), discard=["X-001"]), side(active=mon("D-001", damage=10)))
    assert view(after) == view(exp)


def test_two_types_of_energy_from_the_zone_to_one_pokemon():
    # "Take a [L] Energy and a [M] Energy from your Energy Zone and attach them to this Pokémon."
    eng = make(attacker(ir.AttachEnergy(energy=(ir.EnergySel(energy_type="Lightning"),
                                                ir.EnergySel(energy_type="Metal")), target=THIS)))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("D-001")))
    assert view(after) == after_turn(eng, side(active=mon("A-001", energy="LM")), side(active=mon("D-001")))


def test_arrange_the_top_cards_of_the_opponents_deck():
    # "Look at the top 3 cards of your opponent's deck and put them back in any order." Their deck: Dummy, Leafy,
    # Weakling, Dummy ex (top first). The options are in card order (Dummy, Leafy, Weakling): Weakling on top, then
    # Dummy; Leafy is last of the three. The 4th card stays where it was.
    eng = make(attacker(ir.ArrangeTop(player="opponent", count=C(value=3))))
    s = board(eng, side(active=mon("A-001")), side(active=mon("D-001"), deck=["D-001", "D-003", "D-004", "D-002"]))
    s = eng.step(s, eng.layout.attack(0), 1)
    assert s.pending is not None and s.pending.kind == "card" and len(s.pending.options) == 3
    s = eng.step(s, eng.layout.choose(2), 1)  # Weakling
    assert len(s.pending.options) == 2
    after = eng.step(s, eng.layout.choose(0), 1)  # Dummy
    # player 1's turn 4 began with drawing the card put on top
    assert [eng.db[after.card_of[i]].id for i in after.players[1].hand] == ["D-004"]
    assert [eng.db[after.card_of[i]].id for i in after.players[1].deck] == ["D-001", "D-003", "D-002"]


# --- rules on evolving -----------------------------------------------------------------------------------------------

EEVEE = poke("V-001", "Eevee", ability=ir.Passive(
    requirement=ir.Matches(target=THIS, filters=(ir.InZone(zone="active"),)),
    modifiers=(ir.EvolveEarly(target=THIS),)))
"""'As long as this Pokémon is in the Active Spot, it can evolve during your first turn or the turn you play it.'"""
VAPOR = poke("V-002", "Vapor", stage="stage1", evolves_from="Eevee")


@pytest.mark.parametrize("where,turns_taken,entered,legal", [
    ("active", 1, 3, True), ("active", 2, 3, True), ("bench", 1, 0, False), ("bench", 2, 3, False),
    ("bench", 2, 0, True)])
def test_evolve_early_while_active(where, turns_taken, entered, legal):
    # first turn (turns_taken 1) or put into play this turn (entered 3): only the Active Eevee may evolve
    eng = make(EEVEE, VAPOR)
    eevee = mon("V-001", entered_turn=entered)
    you = side(active=eevee, hand=["V-002"], turns_taken=turns_taken) if where == "active" else \
        side(active=mon("D-001"), bench=[eevee], hand=["V-002"], turns_taken=turns_taken)
    s = board(eng, you, side(active=mon("D-001")))
    slot = 0 if where == "active" else 1
    assert (eng.layout.play_on(0, slot) in eng.legal_actions(s)) == legal


@pytest.mark.parametrize("ability,legal", [(True, True), (False, False)])
def test_evolves_as_another_name(ability, legal):
    # "This Pokémon can evolve into any Pokémon that evolves from Eevee if you play it from your hand onto this
    # Pokémon." on a Pokémon named Kit
    kit = poke("K-001", "Kit", ability=ir.Passive(modifiers=(ir.EvolvesAs(target=THIS, name="Eevee"),))
               if ability else None)
    eng = make(kit, VAPOR, EEVEE)
    s = board(eng, side(active=mon("K-001"), hand=["V-002"]), side(active=mon("D-001")))
    assert (eng.layout.play_on(0, 0) in eng.legal_actions(s)) == legal
    if legal:
        after = eng.step(s, eng.layout.play_on(0, 0), 1)
        assert view(after) == view(board(eng, side(active=mon("K-001", "V-002", entered_turn=3)),
                                         side(active=mon("D-001"))))


@pytest.mark.parametrize("entered,evolves", [(0, True), (3, False)])
def test_evolve_a_chosen_pokemon_from_the_deck(entered, evolves):
    # "Choose 1 of your [C] Pokémon in play. Put a random Pokémon ex from your deck that evolves from that Pokémon
    # onto that Pokémon to evolve it. You can't use this card during your first turn or on a Pokémon that was put
    # into play this turn." The deck has Vapor (not ex) and Vapor ex: only the ex may come.
    card = trainer("X-001", "Boost", "item", ir.TrainerEffect(
        requirement=ir.Not(condition=ir.History(event="your_first_turn")), steps=(
            ir.Select(target=ir.Choose(among=ir.Among(filters=(ir.TypeIs(types=("Colorless",)),
                                                               ir.PutIntoPlayThisTurn(value=False))))),
            ir.EvolveFromDeck(target=ir.That(), filter=ir.CardFilter(kind="pokemon", filters=(ir.IsEx(),))))))
    vapor_ex = poke("V-003", "Vapor ex", stage="stage1", evolves_from="Eevee", ex=True)
    eng = make(card, EEVEE, VAPOR, vapor_ex)
    you = side(active=mon("V-001", entered_turn=entered), hand=["X-001"], deck=["V-002", "V-003"])
    s = board(eng, you, side(active=mon("D-001")))
    after = eng.step(s, eng.layout.play(0), 1)
    active = mon("V-001", "V-003", entered_turn=3) if evolves else mon("V-001", entered_turn=entered)
    exp = board(eng, side(active=active, discard=["X-001"], deck=["V-002"] if evolves else ["V-002", "V-003"]),
                side(active=mon("D-001")))
    assert view(after) == view(exp)
    # during your first turn it can't be played at all
    first = board(eng, side(active=mon("V-001"), hand=["X-001"], deck=["V-003"], turns_taken=1),
                  side(active=mon("D-001")), turn=1)
    assert eng.layout.play(0) not in eng.legal_actions(first)


@pytest.mark.parametrize("hand,evolves_into", [(["F-003", "X-001"], "F-003"), (["F-004", "X-001"], None)])
def test_evolve_from_the_hand_skipping_the_stage_1(hand, evolves_into):
    # Rare Candy: "Choose 1 of your Basic Pokémon in play. If you have a Stage 2 card in your hand that evolves from
    # that Pokémon, put that card onto the Basic Pokémon to evolve it, skipping the Stage 1. You can't use this card
    # during your first turn or on a Basic Pokémon that was put into play this turn." Seed -> Sprout -> Bloom; Other
    # is a Stage 2 of another line.
    candy = trainer("X-001", "Candy", "item", ir.TrainerEffect(
        requirement=ir.Not(condition=ir.History(event="your_first_turn")), steps=(
            ir.Select(target=ir.Choose(among=ir.Among(filters=(ir.StageIs(stage="basic"),
                                                               ir.PutIntoPlayThisTurn(value=False))))),
            ir.EvolveFromHand(target=ir.That(), skip_stage1=True))))
    seed = poke("F-001", "Seed")
    sprout = poke("F-002", "Sprout", stage="stage1", evolves_from="Seed")
    bloom = poke("F-003", "Bloom", stage="stage2", evolves_from="Sprout")
    other = poke("F-004", "Other", stage="stage2", evolves_from="Elsewhere")
    eng = make(candy, seed, sprout, bloom, other)
    s = board(eng, side(active=mon("F-001", damage=30), hand=list(reversed(hand))), side(active=mon("D-001")))
    after = eng.step(s, eng.layout.play(0), 1)
    if evolves_into:
        exp = side(active=mon("F-001", evolves_into, damage=30, entered_turn=3), discard=["X-001"])
    else:
        exp = side(active=mon("F-001", damage=30), hand=["F-004"], discard=["X-001"])
    assert view(after) == view(board(eng, exp, side(active=mon("D-001"))))


def test_count_energy_in_the_discard_pile():
    # "This attack does 20 damage for each [R] Energy in your discard pile." (2 [R] and a [W] discarded)
    eng = make(attacker(ir.AttackDamage(mode="set", amount=ir.Per(each=20, count=ir.DiscardedEnergyCount(
        energy_type="Fire")))))
    after = attack(eng, side(active=mon("A-001"), discard_energy="RRW"), side(active=mon("D-001")))
    assert after.players[1].slots[0].damage == 40
