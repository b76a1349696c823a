"""Interaction tests of the IR interpreter: one test (at least) per IR node kind.

Each builds a small pool with hand-written IR (so the grammar is not involved), a board, one action, and the
exact expected board written from the card text the IR stands for.
"""

from __future__ import annotations

import copy

import pytest

from compiler import ir
from compiler.diagnostics import SpecError
from compiler.engine_model.rng import coin, randint
from reference.effects import ABILITY_SLOT, EXECUTABLE_OPS, TRAINER_SLOT
from reference.testing import atk, board, effect_address, engine, key_where, mon, poke, side, trainer, view

from tests.test_reference_pool import RULES_POOL

C = ir.Const
YOU, OPP = ir.Among(player="you"), ir.Among(player="opponent")
OPP_BENCH, YOUR_BENCH = ir.Among(player="opponent", zone="bench"), ir.Among(player="you", zone="bench")
OPP_ACTIVE = ir.Active(player="opponent")
THIS = ir.ThisPokemon()
DUMMY = poke("D-001", "Dummy", hp=100, attacks=[atk("Tap", "", 10)])
DUMMY_EX = poke("D-002", "Dummy ex", hp=100, ex=True, type="Fire")
GRASS = poke("D-003", "Leafy", hp=100, type="Grass", retreat=2, attacks=[atk("Leaf", "G", 30)])
WEAK = poke("D-004", "Weakling", hp=100, weakness="Colorless")


def attacker(*steps, base=0, cost="", requirement=None, damage_at=None, **kw):
    return poke("A-001", "Attacker", hp=100, retreat=1,
                attacks=[atk("Test", cost, base, *steps, requirement=requirement, damage_at=damage_at)], **kw)


def make(*cards, **rules):
    return engine(list(cards) + [DUMMY, DUMMY_EX, GRASS, WEAK] + RULES_POOL, **rules)


def attack(eng, you, opp, key=1):
    s = board(eng, you, opp)
    return eng.step(s, eng.layout.attack(0), key)


def after_turn(eng, you, opp):
    """The expected board once the attack ended turn 3: player 1's turn 4 (Grass Energy current and next in their
    zone, the only type)."""
    opp.current = opp.next = "G"
    return view(board(eng, you, opp, turn=4, turn_player=1))


def turn_five(eng, you, opp):
    """The expected board once player 1's turn 4 ended too: player 0's turn 5 (both zones show Grass)."""
    you.current = opp.current = you.next = opp.next = "G"
    return view(board(eng, you, opp, turn=5, turn_player=0))


def key_for(eng, bits, *path, card="A-001", eslot=0, me=0, src=0, start=1):
    """A key whose coins at this effect node come out as `bits` (True = heads)."""
    a = effect_address(eng, card, eslot, me, src, *path)
    return key_where(lambda k: all(coin(k, a, i) == b for i, b in enumerate(bits)), start)


def test_every_ir_op_has_an_interpreter():
    ops = set()
    for name in dir(ir):
        obj = getattr(ir, name)
        if isinstance(obj, type) and issubclass(obj, ir.Node) and "op" in obj.model_fields:
            ops.add(obj.model_fields["op"].default)
    assert ops - {"unresolved"} <= EXECUTABLE_OPS, ops - EXECUTABLE_OPS


# --- main damage -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("bits,dmg", [((True, True), 40), ((True, False), 20), ((False, False), 0)])
def test_attack_damage_set_per_heads(bits, dmg):
    # "Flip 2 coins. This attack does 20 damage for each heads." (printed 20x)
    eng = make(attacker(ir.Flip(count=C(value=2)), ir.AttackDamage(mode="set", amount=ir.Per(each=20,
                                                                                            count=ir.Heads()))))
    key = key_for(eng, bits, 0)
    after = attack(eng, side(active=mon("A-001")), side(active=mon("D-001")), key)
    assert view(after) == after_turn(eng, side(active=mon("A-001")), side(active=mon("D-001", damage=dmg)))


@pytest.mark.parametrize("heads,dmg", [(True, 60), (False, 30)])
def test_attack_damage_more_if_heads(heads, dmg):
    # 30+ "Flip a coin. If heads, this attack does 30 more damage."
    eng = make(attacker(ir.Flip(), ir.If(condition=ir.CoinOutcome(outcome="heads"),
                                         then=(ir.AttackDamage(mode="more", amount=C(value=30)),)), base=30))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("D-001")), key_for(eng, [heads], 0))
    assert view(after) == after_turn(eng, side(active=mon("A-001")), side(active=mon("D-001", damage=dmg)))


def test_attack_damage_less():
    # 50 "This attack does 20 less damage for each Energy attached to this Pokémon."
    eng = make(attacker(ir.AttackDamage(mode="less", amount=ir.Per(each=20, count=ir.EnergyCount(target=THIS))),
                        base=50))
    after = attack(eng, side(active=mon("A-001", energy="GG")), side(active=mon("D-001")))
    assert view(after) == after_turn(eng, side(active=mon("A-001", energy="GG")), side(active=mon("D-001", damage=10)))


def test_attack_does_nothing_on_tails_stops_later_steps():
    # 50 "Flip a coin. If tails, this attack does nothing. Your opponent's Active Pokémon is now Asleep."
    eng = make(attacker(ir.Flip(), ir.If(condition=ir.CoinOutcome(outcome="tails"),
                                         then=(ir.AttackDoesNothing(),)),
                        ir.ApplyCondition(target=OPP_ACTIVE, conditions=("Asleep",)), base=50))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("D-001")), key_for(eng, [False], 0))
    assert view(after) == after_turn(eng, side(active=mon("A-001")), side(active=mon("D-001")))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("D-001")), key_for(eng, [True], 0))
    assert view(after) == after_turn(eng, side(active=mon("A-001")),
                                     side(active=mon("D-001", damage=50, conditions=("Asleep",))))


def test_damage_at_runs_steps_before_the_main_damage():
    # "Before doing damage, switch in 1 of your opponent's Benched Pokémon" (damage_at=1)
    eng = make(attacker(ir.Switch(player="opponent", new_active=ir.Choose(among=OPP_BENCH)), base=30, damage_at=1))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("D-001"), bench=[mon("T-003")]))
    assert view(after) == after_turn(eng, side(active=mon("A-001")),
                                     side(active=mon("T-003", damage=30), bench=[mon("D-001")]))


# --- damage, heal ---------------------------------------------------------------------------------------------------

def test_bench_damage_by_attack_has_no_weakness():
    # 30 "This attack also does 20 damage to each of your opponent's Benched Pokémon."
    eng = make(attacker(ir.Damage(amount=C(value=20), target=ir.Each(among=OPP_BENCH)), base=30))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("D-004"), bench=[mon("D-004"), mon("D-001")]))
    exp = after_turn(eng, side(active=mon("A-001")),
                     side(active=mon("D-004", damage=50), bench=[mon("D-004", damage=20), mon("D-001", damage=20)]))
    assert view(after) == exp


def test_self_damage_is_not_modified():
    # 80 "This Pokémon also does 20 damage to itself." (attacker is weak to Colorless: still 20)
    eng = make(poke("A-001", "Attacker", weakness="Colorless", attacks=[atk("Test", "", 80, ir.Damage(
        amount=C(value=20), target=THIS))]))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("D-001")))
    assert view(after) == after_turn(eng, side(active=mon("A-001", damage=20)), side(active=mon("D-001", damage=80)))


def test_ability_damage_is_not_attack_damage():
    # "Once during your turn, you may do 20 damage to 1 of your opponent's Pokémon."
    ab = ir.Activated(steps=(ir.Damage(amount=C(value=20), target=ir.Choose(among=OPP), by_attack=False),))
    eng = make(poke("A-001", "Attacker", ability=ab))
    s = board(eng, side(active=mon("A-001")), side(active=mon("D-004"), bench=[mon("D-001")]))
    mid = eng.step(s, eng.layout.ability(0), 1)
    assert mid.pending.kind == "pokemon" and mid.pending.options == [4, 5]
    after = eng.step(mid, eng.layout.choose(0), 2)
    exp = board(eng, side(active=mon("A-001", ability_used=True)), side(active=mon("D-004", damage=20),
                                                                       bench=[mon("D-001")]))
    assert view(after) == view(exp)  # the view includes ability_used
    assert eng.layout.ability(0) not in eng.legal_actions(after)  # once during your turn


def test_heal_amount_and_heal_all():
    # "Heal 30 damage from this Pokémon. Heal all damage from each of your Benched Pokémon."
    eng = make(attacker(ir.Heal(amount=C(value=30), target=THIS),
                        ir.Heal(amount=None, target=ir.Each(among=YOUR_BENCH))))
    after = attack(eng, side(active=mon("A-001", damage=50), bench=[mon("D-001", damage=70)]),
                   side(active=mon("D-001")))
    assert view(after) == after_turn(eng, side(active=mon("A-001", damage=20), bench=[mon("D-001")]),
                                     side(active=mon("D-001")))


# --- special conditions -------------------------------------------------------------------------------------------

def test_apply_conditions_all():
    eng = make(attacker(ir.ApplyCondition(target=OPP_ACTIVE, conditions=("Poisoned", "Confused"))))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("D-001")))
    exp = after_turn(eng, side(active=mon("A-001")), side(active=mon("D-001", damage=10,  # poisoned at checkup
                                                                    conditions=("Poisoned", "Confused"))))
    assert view(after) == exp


def test_apply_condition_random_picks_one():
    conds = ("Asleep", "Burned", "Confused", "Paralyzed", "Poisoned")
    eng = make(attacker(ir.ApplyCondition(target=OPP_ACTIVE, conditions=conds, pick="random")))
    key = 5
    pick = conds[randint(key, effect_address(eng, "A-001", 0, 0, 0, 0), 5, 0)]
    after = attack(eng, side(active=mon("A-001")), side(active=mon("D-001")), key)
    dmg = {"Poisoned": 10, "Burned": 20}.get(pick, 0)  # the checkup between turns
    assert view(after) == after_turn(eng, side(active=mon("A-001")),
                                     side(active=mon("D-001", damage=dmg, conditions=(pick,))))


def test_apply_condition_chosen_by_you():
    # "Your opponent's Active Pokémon is now Asleep or Paralyzed (your choice)."
    eng = make(attacker(ir.ApplyCondition(target=OPP_ACTIVE, conditions=("Asleep", "Paralyzed"), pick="choose")))
    mid = attack(eng, side(active=mon("A-001")), side(active=mon("D-001")))
    assert mid.pending.kind == "condition" and mid.current_player == 0
    after = eng.step(mid, eng.layout.choose(1), 9)
    assert view(after) == after_turn(eng, side(active=mon("A-001")),
                                     side(active=mon("D-001", conditions=("Paralyzed",))))


def test_poison_damage_override():
    # "Your opponent's Active Pokémon is now Poisoned. Do 20 damage to this Pokémon instead of the usual amount"
    eng = make(attacker(ir.ApplyCondition(target=OPP_ACTIVE, conditions=("Poisoned",), poison_damage=20)))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("D-001")))
    assert view(after) == after_turn(eng, side(active=mon("A-001")),
                                     side(active=mon("D-001", damage=20, conditions=("Poisoned",))))


def test_conditions_only_affect_the_active():
    # "Each of your opponent's Benched Pokémon is now Poisoned." Only an Active can be affected
    eng = make(attacker(ir.ApplyCondition(target=ir.Each(among=OPP_BENCH), conditions=("Poisoned",))))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("D-001"), bench=[mon("D-001")]))
    assert view(after) == after_turn(eng, side(active=mon("A-001")), side(active=mon("D-001"), bench=[mon("D-001")]))


def test_recover_all_and_random():
    eng = make(attacker(ir.Recover(target=THIS)))
    after = attack(eng, side(active=mon("A-001", conditions=("Poisoned", "Burned"))), side(active=mon("D-001")))
    assert view(after) == after_turn(eng, side(active=mon("A-001")), side(active=mon("D-001")))
    # random: exactly one of the two goes; Poisoned left does 10 at the checkup
    eng = make(attacker(ir.Recover(target=THIS, random=True)))
    after = attack(eng, side(active=mon("A-001", conditions=("Poisoned", "Confused"))), side(active=mon("D-001")))
    assert view(after) in (
        after_turn(eng, side(active=mon("A-001", damage=10, conditions=("Poisoned",))), side(active=mon("D-001"))),
        after_turn(eng, side(active=mon("A-001", conditions=("Confused",))), side(active=mon("D-001"))))


# --- coins, control flow --------------------------------------------------------------------------------------------

def test_flip_until_tails_counts_heads():
    # "Flip a coin until you get tails. This attack does 40 damage for each heads."
    eng = make(attacker(ir.Flip(until_tails=True), ir.AttackDamage(mode="set", amount=ir.Per(each=40,
                                                                                          count=ir.Heads()))))
    key = key_for(eng, [True, True, False], 0)
    after = attack(eng, side(active=mon("A-001")), side(active=mon("D-001", bench=None) if False else mon("D-001")),
                   key)
    assert view(after) == after_turn(eng, side(active=mon("A-001")), side(active=mon("D-001", damage=80)))


def test_if_otherwise_branch():
    eng = make(attacker(ir.If(condition=ir.Matches(target=OPP_ACTIVE, filters=(ir.IsEx(),)),
                              then=(ir.AttackDamage(mode="more", amount=C(value=50)),),
                              otherwise=(ir.Heal(amount=C(value=10), target=THIS),)), base=10))
    # 10 "If the Defending Pokémon is a Pokémon ex, this attack does 50 more damage. Otherwise, heal 10 from this."
    after = attack(eng, side(active=mon("A-001", damage=20)), side(active=mon("D-002")))
    assert view(after) == after_turn(eng, side(active=mon("A-001", damage=20)), side(active=mon("D-002", damage=60)))
    after = attack(eng, side(active=mon("A-001", damage=20)), side(active=mon("D-001")))
    assert view(after) == after_turn(eng, side(active=mon("A-001", damage=10)), side(active=mon("D-001", damage=10)))


def test_repeat_with_random_targets():
    # "Do 10 damage to 1 of your opponent's Pokémon chosen at random 3 times."
    eng = make(attacker(ir.Repeat(times=C(value=3), steps=(ir.Damage(amount=C(value=10), target=ir.RandomPokemon(
        among=OPP)),))))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("D-001"), bench=[mon("D-001")]), 3)
    assert view(after) in [after_turn(eng, side(active=mon("A-001")), side(active=mon("D-001", damage=a),
                                                                         bench=[mon("D-001", damage=30 - a)]))
                           for a in (0, 10, 20, 30)]


def test_select_then_that():
    # "Choose 1 of your opponent's Benched Pokémon. Do 20 damage to it and it is ... (That)"
    eng = make(attacker(ir.Select(target=ir.Choose(among=OPP_BENCH)),
                        ir.Damage(amount=C(value=20), target=ir.That()),
                        ir.Damage(amount=C(value=10), target=ir.That())))
    mid = attack(eng, side(active=mon("A-001")), side(active=mon("D-001"), bench=[mon("D-001"), mon("T-003")]))
    after = eng.step(mid, eng.layout.choose(1), 2)
    assert view(after) == after_turn(eng, side(active=mon("A-001")),
                                     side(active=mon("D-001"), bench=[mon("D-001"), mon("T-003", damage=30)]))


# --- cards: draw, discard, fetch, shuffle ---------------------------------------------------------------------------

def test_draw_and_draw_until():
    eng = make(attacker(ir.Draw(amount=C(value=2)), ir.DrawUntil()))
    # "Draw 2 cards. Then draw until you have as many cards in your hand as your opponent." (1 + 2, then 2 more)
    after = attack(eng, side(active=mon("A-001"), deck=["D-001"] * 6, hand=["T-101"]),
                   side(active=mon("D-001"), hand=["T-101"] * 5))
    assert view(after) == after_turn(eng, side(active=mon("A-001"), hand=["T-101"] + ["D-001"] * 4, deck=["D-001"] * 2),
                                     side(active=mon("D-001"), hand=["T-101"] * 5))


def test_discard_energy_typed_all_and_random():
    # "Discard a [R] Energy from this Pokémon. Discard all Energy from your opponent's Active
    # Pokémon. Discard a random Energy from each of your opponent's Benched Pokémon."
    eng = make(attacker(ir.DiscardEnergy(target=THIS, energy=(ir.EnergySel(count=1, energy_type="Fire"),)),
                        ir.DiscardEnergy(target=OPP_ACTIVE, energy=(ir.EnergySel(count=None),)),
                        ir.DiscardEnergy(target=ir.Each(among=OPP_BENCH), energy=(ir.EnergySel(count=1),),
                                         random=True)))
    after = attack(eng, side(active=mon("A-001", energy="RRW")), side(active=mon("D-001", energy="GGL"),
                                                                        bench=[mon("D-001", energy="W")]))
    exp = after_turn(eng, side(active=mon("A-001", energy="RW"), discard_energy="R"),
                     side(active=mon("D-001"), bench=[mon("D-001")], discard_energy="GGLW"))
    assert view(after) == exp


def test_discard_energy_choice_when_types_differ():
    eng = make(attacker(ir.DiscardEnergy(target=THIS, energy=(ir.EnergySel(count=1),))))
    mid = attack(eng, side(active=mon("A-001", energy="RW")), side(active=mon("D-001")))
    assert mid.pending.kind == "energy" and mid.pending.options == [1, 2]
    after = eng.step(mid, eng.layout.choose(1), 1)  # option 1: the Water
    assert view(after) == after_turn(eng, side(active=mon("A-001", energy="R"), discard_energy="W"),
                                     side(active=mon("D-001")))


def test_discard_tools():
    # "Discard all Pokémon Tools from your opponent's Active Pokémon." (to its owner's discard pile)
    eng = make(attacker(ir.DiscardTools(target=OPP_ACTIVE)))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("D-001", tools=["T-103"])))
    assert view(after) == after_turn(eng, side(active=mon("A-001")), side(active=mon("D-001"), discard=["T-103"]))


def test_discard_cards_from_hand_chosen_random_and_deck_top():
    eng = make(attacker(ir.DiscardCards(player="opponent", zone="deck", count=2),
                        ir.DiscardCards(player="opponent", random=True)))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("D-001"), deck=["T-001", "T-002", "T-003"],
                                                        hand=["T-101"]))
    # "Discard the top 2 cards of your opponent's deck. Your opponent discards a random card from their hand."
    assert view(after) == after_turn(eng, side(active=mon("A-001")),  # then they drew T-003 on turn 4
                                     side(active=mon("D-001"), hand=["T-003"], discard=["T-001", "T-002", "T-101"]))


def test_discard_cards_chosen_counts_done():
    # "Discard a card from your hand. If you do, draw ... for each card discarded" → DoneCount
    eng = make(attacker(ir.DiscardCards(filter=ir.CardFilter(kind="item")),
                        ir.AttackDamage(mode="set", amount=ir.Per(each=50, count=ir.DoneCount()))))
    after = attack(eng, side(active=mon("A-001"), hand=["T-101", "T-102", "T-103"]), side(active=mon("D-001")))
    # the only Item was taken without asking; 50 for the 1 card discarded
    assert view(after) == after_turn(eng, side(active=mon("A-001"), hand=["T-102", "T-103"], discard=["T-101"]),
                                     side(active=mon("D-001", damage=50)))


def test_fetch_random_pokemon_to_hand_shuffles_deck():
    # "Put 1 random [G] Pokémon from your deck into your hand."
    eng = make(attacker(ir.Fetch(filter=ir.CardFilter(kind="pokemon", filters=(ir.TypeIs(types=("Grass",)),)))))
    after = attack(eng, side(active=mon("A-001"), deck=["T-001", "D-003", "T-101"]), side(active=mon("D-001")))
    assert view(after) == after_turn(eng, side(active=mon("A-001"), hand=["D-003"], deck=["T-001", "T-101"]),
                                     side(active=mon("D-001")))


def test_fetch_basic_to_bench_and_from_discard_by_choice():
    eng = make(attacker(ir.Fetch(filter=ir.CardFilter(kind="pokemon", filters=(ir.StageIs(stage="basic"),)),
                                 to="bench"),
                        ir.Fetch(source="discard", filter=ir.CardFilter(kind="item"), random=False)))
    mid = attack(eng, side(active=mon("A-001"), deck=["T-002", "T-007"], discard=["T-101", "T-106"]),
                 side(active=mon("D-001")))
    assert mid.pending.kind == "card"
    after = eng.step(mid, eng.layout.choose(1), 1)
    # "Put a Basic Pokémon from your deck onto your Bench. Put an Item card you choose from your discard into hand."
    assert view(after) == after_turn(eng, side(active=mon("A-001"), bench=[mon("T-007")], deck=["T-002"],
                                               hand=["T-106"], discard=["T-101"]), side(active=mon("D-001")))


def test_evolve_from_deck():
    # "Find a card that evolves from 1 of your Benched Pokémon in your deck and evolve it." (damage kept)
    eng = make(attacker(ir.EvolveFromDeck(target=ir.Choose(among=YOUR_BENCH))))
    after = attack(eng, side(active=mon("A-001"), bench=[mon("T-001", damage=10)], deck=["T-002", "T-003"]),
                   side(active=mon("D-001")))
    assert view(after) == after_turn(eng, side(active=mon("A-001"), bench=[mon("T-001", "T-002", damage=10)],
                                               deck=["T-003"]), side(active=mon("D-001")))


def test_shuffle_hand_both_players():
    eng = make(attacker(ir.ShuffleHand(player="both"), ir.Draw(amount=C(value=1))))
    after = attack(eng, side(active=mon("A-001"), hand=["T-101", "T-102"]), side(active=mon("D-001"),
                                                                                   hand=["T-103"]))
    # "Each player shuffles their hand into their deck. Draw a card." The opponent drew theirs back on turn 4.
    assert view(after) in [after_turn(eng, side(active=mon("A-001"), hand=[h], deck=[d]),
                                      side(active=mon("D-001"), hand=["T-103"]))
                           for h, d in (("T-101", "T-102"), ("T-102", "T-101"))]


def test_reveal_hand_and_look_top_change_nothing():
    # "Your opponent reveals their hand. Look at the top 2 cards of their deck." Nothing moves
    eng = make(attacker(ir.RevealHand(), ir.LookTop(player="opponent", count=2)))
    you, opp = side(active=mon("A-001")), side(active=mon("D-001"), hand=["T-101"], deck=["T-102", "T-103"])
    after = attack(eng, you, opp)
    assert view(after) == after_turn(eng, side(active=mon("A-001")),
                                     side(active=mon("D-001"), hand=["T-101", "T-102"], deck=["T-103"]))
    assert any("reveals: Potion" in line for line in after.log)


def test_hand_to_deck_random():
    eng = make(attacker(ir.HandToDeck()))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("D-001"), hand=["T-101", "T-101"]))
    # one shuffled into the deck, then drawn back at the start of turn 4
    assert view(after) == after_turn(eng, side(active=mon("A-001")), side(active=mon("D-001"), hand=["T-101"] * 2))


# --- switching, returning, knocking out, HP -----------------------------------------------------------------------

def test_switch_gust_opponents_bench():
    # "Switch in 1 of your opponent's Benched Pokémon to the Active Spot."
    eng = make(attacker(ir.Switch(player="opponent", new_active=ir.Choose(among=OPP_BENCH))))
    mid = attack(eng, side(active=mon("A-001")), side(active=mon("D-001", conditions=("Asleep",)),
                                                       bench=[mon("T-003"), mon("D-003")]))
    after = eng.step(mid, eng.layout.choose(1), 1)
    exp = after_turn(eng, side(active=mon("A-001")), side(active=mon("D-003"), bench=[mon("T-003"), mon("D-001")]))
    assert view(after) == exp


def test_switch_out_opponent_chooses():
    # "Switch out your opponent's Active Pokémon to the Bench. (Your opponent chooses the new Active Pokémon.)"
    eng = make(attacker(ir.Switch(player="opponent", new_active=ir.Choose(chooser="opponent", among=OPP_BENCH))))
    mid = attack(eng, side(active=mon("A-001")), side(active=mon("D-001"), bench=[mon("T-003"), mon("D-003")]))
    assert mid.current_player == 1 and mid.pending.kind == "pokemon"
    after = eng.step(mid, eng.layout.choose(1), 1)  # they pick Leafy; Dummy takes its Bench spot
    assert view(after) == after_turn(eng, side(active=mon("A-001")),
                                     side(active=mon("D-003"), bench=[mon("T-003"), mon("D-001")]))


def test_switch_own_active_only_if():
    eng = make(attacker(ir.Switch(new_active=ir.Choose(among=YOUR_BENCH), only_if=(ir.TypeIs(types=("Water",)),))))
    # "If this Pokémon is a [W] Pokémon, switch it with 1 of your Benched Pokémon." Attacker is Colorless: no switch
    after = attack(eng, side(active=mon("A-001"), bench=[mon("D-001")]), side(active=mon("D-001")))
    assert view(after) == after_turn(eng, side(active=mon("A-001"), bench=[mon("D-001")]), side(active=mon("D-001")))


def test_return_pokemon_to_hand_discards_energy():
    # "Put this Pokémon and all attached cards into your hand." Energy is not a card: discarded
    eng = make(attacker(ir.ReturnPokemon(target=THIS, to="hand")))
    after = attack(eng, side(active=mon("T-001", "A-001", energy="LL", tools=["T-103"]), bench=[mon("D-001")]),
                   side(active=mon("D-001")))
    exp = after_turn(eng, side(active=mon("D-001"), hand=["T-001", "A-001", "T-103"], discard_energy="LL"),
                     side(active=mon("D-001")))
    assert view(after) == exp


def test_return_pokemon_to_deck():
    eng = make(attacker(ir.ReturnPokemon(target=ir.Each(among=OPP_BENCH), to="deck")))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("D-001"), bench=[mon("T-001", "T-002")]))
    # "Shuffle each of your opponent's Benched Pokémon and all attached cards into their deck." Then they draw 1.
    assert view(after) in [after_turn(eng, side(active=mon("A-001")), side(active=mon("D-001"), hand=[h], deck=[d]))
                           for h, d in (("T-001", "T-002"), ("T-002", "T-001"))]


def test_knock_out_scores():
    eng = make(attacker(ir.KnockOut(target=ir.Each(among=OPP_BENCH))))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("D-001"), bench=[mon("D-002")]))
    assert view(after) == after_turn(eng, side(active=mon("A-001"), points=2),  # Dummy ex: 2 points
                                     side(active=mon("D-001"), discard=["D-002"]))


def test_set_hp_and_halve():
    eng = make(attacker(ir.SetHp(target=OPP_ACTIVE, halve=True), ir.SetHp(target=THIS, hp=10)))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("D-001", damage=30)))
    # remaining 70 -> 35 -> rounded down to 30 (damage 70); attacker's remaining HP becomes 10
    assert view(after) == after_turn(eng, side(active=mon("A-001", damage=90)), side(active=mon("D-001", damage=70)))


def test_move_damage():
    # "Move all damage from 1 of your Benched Pokémon to your opponent's Active Pokémon" style
    eng = make(attacker(ir.MoveDamage(amount=None, source=ir.Choose(among=YOUR_BENCH), target=OPP_ACTIVE)))
    after = attack(eng, side(active=mon("A-001"), bench=[mon("D-001", damage=40)]), side(active=mon("D-001")))
    assert view(after) == after_turn(eng, side(active=mon("A-001"), bench=[mon("D-001")]),
                                     side(active=mon("D-001", damage=40)))


def test_attach_energy_from_zone_to_this_and_chosen_bench():
    # "Take 2 [R] Energy from your Energy Zone and attach them to this Pokémon. Take a [W]
    # Energy and attach it to 1 of your Benched Pokémon."
    eng = make(attacker(ir.AttachEnergy(energy=(ir.EnergySel(count=2, energy_type="Fire"),), target=THIS),
                        ir.AttachEnergy(energy=(ir.EnergySel(energy_type="Water"),),
                                        target=ir.Choose(among=YOUR_BENCH))))
    after = attack(eng, side(active=mon("A-001"), bench=[mon("D-001")]), side(active=mon("D-001")))
    assert view(after) == after_turn(eng, side(active=mon("A-001", energy="RR"), bench=[mon("D-001", energy="W")]),
                                     side(active=mon("D-001")))


def test_attach_energy_distribute_and_from_discard():
    eng = make(attacker(ir.AttachEnergy(energy=(ir.EnergySel(count=2, energy_type="Water"),),
                                        target=ir.Each(among=YOUR_BENCH), distribute=True),
                        ir.AttachEnergy(source="discard", energy=(ir.EnergySel(count=1, energy_type="Fire"),),
                                        target=THIS)))
    mid = attack(eng, side(active=mon("A-001"), bench=[mon("D-001"), mon("D-001")], discard_energy="RR"),
                 side(active=mon("D-001")))
    mid = eng.step(mid, eng.layout.choose(0), 1)
    after = eng.step(mid, eng.layout.choose(0), 2)
    # "Attach 2 [W] from your Energy Zone to your Benched Pokémon in any way you like. Attach 1 [R] from your discard
    # pile to this Pokémon." Both Water go to the first Benched Pokémon.
    assert view(after) == after_turn(eng, side(active=mon("A-001", energy="R"), bench=[mon("D-001", energy="WW"),
                                                                                      mon("D-001")],
                                               discard_energy="R"), side(active=mon("D-001")))


def test_move_energy_all_of_a_type():
    # "Move all [W] Energy from your Benched Pokémon to this Pokémon."
    eng = make(attacker(ir.MoveEnergy(energy=ir.EnergySel(count=None, energy_type="Water"),
                                      source=ir.Each(among=YOUR_BENCH), target=THIS)))
    after = attack(eng, side(active=mon("A-001"), bench=[mon("D-001", energy="WWG")]), side(active=mon("D-001")))
    assert view(after) == after_turn(eng, side(active=mon("A-001", energy="WW"), bench=[mon("D-001", energy="G")]),
                                     side(active=mon("D-001")))


# --- lasting effects -----------------------------------------------------------------------------------------------

def lasting(duration, modifier, base=10):
    return attacker(ir.Lasting(duration=duration, modifier=modifier), base=base)


def test_prevent_damage_during_opponents_next_turn_then_expires():
    eng = make(lasting("opponent_next_turn", ir.PreventDamage(target=THIS)))
    s = attack(eng, side(active=mon("A-001")), side(active=mon("D-001", energy="")))
    s = eng.step(s, eng.layout.attack(0), 1)  # Dummy's Tap (10) during the opponent's next turn
    # "During your opponent's next turn, prevent all damage done to this Pokémon by attacks." (expired: durations [])
    assert view(s) == turn_five(eng, side(active=mon("A-001")), side(active=mon("D-001", damage=10)))


def test_damage_taken_reduction():
    eng = make(lasting("opponent_next_turn", ir.DamageTaken(target=THIS, delta=-20)))
    s = attack(eng, side(active=mon("A-001")), side(active=mon("T-003", energy="FF")))
    s = eng.step(s, eng.layout.attack(0), 1)  # Onix Slam 60 → 40
    assert view(s) == turn_five(eng, side(active=mon("A-001", damage=40)),
                                side(active=mon("T-003", energy="FF", damage=10)))


def test_damage_dealt_bonus_your_next_turn():
    eng = make(lasting("your_next_turn", ir.DamageDealt(attacker=THIS, delta=30)))
    # 10 "During your next turn, this Pokémon's attacks do +30 damage." (not this turn's attack)
    s = attack(eng, side(active=mon("A-001")), side(active=mon("D-001")))
    exp = after_turn(eng, side(active=mon("A-001")), side(active=mon("D-001", damage=10)))
    exp["durations"] = [(0, "A-001", 5, "damage_dealt")]  # on A-001, through turn 5
    assert view(s) == exp
    s = eng.step(s, eng.layout.end_turn(), 2)
    s = eng.step(s, eng.layout.attack(0), 3)
    exp = board(eng, side(active=mon("A-001"), current="G", next="G"),
                side(active=mon("D-001", damage=10 + 40), current="G", next="G"), turn=6, turn_player=1)
    exp = view(exp)
    exp["durations"] = [(0, "A-001", 7, "damage_dealt")]  # the first expired after turn 5; this attack made a new one
    assert view(s) == exp


def test_cant_attack_and_cant_retreat_on_the_defending_pokemon():
    eng = make(attacker(ir.Lasting(duration="opponent_next_turn", modifier=ir.CantAttack(target=ir.Defending())),
                        ir.Lasting(duration="opponent_next_turn", modifier=ir.CantRetreat(target=ir.Defending()))))
    # "During your opponent's next turn, the Defending Pokémon can't attack or retreat."
    s = attack(eng, side(active=mon("A-001")), side(active=mon("D-001"), bench=[mon("D-001")]))
    exp = after_turn(eng, side(active=mon("A-001")), side(active=mon("D-001"), bench=[mon("D-001")]))
    exp["durations"] = [(1, "D-001", 4, "cant_attack"), (1, "D-001", 4, "cant_retreat")]
    assert view(s) == exp
    kinds = {eng.layout.decode(a).kind for a in eng.legal_actions(s)}
    assert "attack" not in kinds and "retreat" not in kinds


def test_attack_cost_increase():
    eng = make(lasting("opponent_next_turn", ir.AttackCost(target=OPP_ACTIVE, delta=1)))
    # "During your opponent's next turn, attacks used by their Active Pokémon cost 1 [C] more."
    s = attack(eng, side(active=mon("A-001")), side(active=mon("D-001", energy="")))
    exp = after_turn(eng, side(active=mon("A-001")), side(active=mon("D-001", damage=10)))
    exp["durations"] = [(0, None, 4, "attack_cost")]  # whoever is their Active: kept on the attacking player
    assert view(s) == exp
    assert eng.layout.attack(0) not in eng.legal_actions(s)  # Tap now costs [C]


def test_this_turn_effect_expires_at_end_of_turn():
    ab = ir.Activated(steps=(ir.Lasting(duration="this_turn",
                                        modifier=ir.DamageDealt(attacker=ir.Each(among=YOU), delta=30)),))
    eng = make(poke("A-001", "Attacker", ability=ab, attacks=[atk("Tap", "", 10)]))
    # "During this turn, attacks used by your Pokémon do +30 damage."
    s = board(eng, side(active=mon("A-001")), side(active=mon("D-001")))
    s = eng.step(s, eng.layout.ability(0), 1)
    exp = view(board(eng, side(active=mon("A-001", ability_used=True)), side(active=mon("D-001"))))
    exp["durations"] = [(0, None, 3, "damage_dealt")]
    assert view(s) == exp
    s = eng.step(s, eng.layout.attack(0), 2)
    assert view(s) == after_turn(eng, side(active=mon("A-001", ability_used=True)),
                                 side(active=mon("D-001", damage=40)))


def test_lasting_effect_on_a_pokemon_ends_when_it_leaves_the_active_spot():
    eng = make(lasting("until_leaves_active", ir.DamageTaken(target=THIS, delta=-20)))
    # "This Pokémon takes -20 damage from attacks" until it leaves the Active Spot (docs/rules.md)
    s = attack(eng, side(active=mon("A-001", energy="G"), bench=[mon("D-001")]), side(active=mon("D-001")))
    exp = after_turn(eng, side(active=mon("A-001", energy="G"), bench=[mon("D-001")]), side(active=mon("D-001",
                                                                                                   damage=10)))
    exp["durations"] = [(0, "A-001", 10 ** 9, "damage_taken")]  # no end turn: it ends when A-001 leaves
    assert view(s) == exp
    s = eng.step(s, eng.layout.end_turn(), 1)
    s = eng.step(s, eng.layout.retreat(1), 1)  # retreats (paying its 1 Energy): the effect ends
    assert view(s) == turn_five(eng, side(active=mon("D-001"), bench=[mon("A-001")], discard_energy="G", retreats=1),
                                side(active=mon("D-001", damage=10)))


def test_end_turn_step_ends_the_turn():
    ab = ir.Activated(steps=(ir.AttachEnergy(energy=(ir.EnergySel(energy_type="Psychic"),), target=THIS),
                             ir.EndTurn()))
    eng = make(poke("A-001", "Attacker", ability=ab))
    s = board(eng, side(active=mon("A-001")), side(active=mon("D-001")))
    # "Take a [P] Energy from your Energy Zone and attach it to this Pokémon. Your turn ends."
    after = eng.step(s, eng.layout.ability(0), 1)
    assert view(after) == after_turn(eng, side(active=mon("A-001", energy="P", ability_used=True)),
                                     side(active=mon("D-001")))


def test_optional_step_yes_and_no():
    # "You may discard a card from your hand. If you do, draw 2 cards." (Optional with then)
    eng = make(attacker(ir.Optional_(steps=(ir.DiscardCards(),), then=(ir.Draw(amount=C(value=2)),))))
    mid = attack(eng, side(active=mon("A-001"), hand=["T-101"], deck=["T-001", "T-002"]), side(active=mon("D-001")))
    assert mid.pending.kind == "optional" and mid.pending.optional
    no = eng.step(mid, eng.layout.choose_done(), 1)
    assert view(no) == after_turn(eng, side(active=mon("A-001"), hand=["T-101"], deck=["T-001", "T-002"]),
                                  side(active=mon("D-001")))
    yes = eng.step(mid, eng.layout.choose(0), 1)
    assert view(yes) == after_turn(eng, side(active=mon("A-001"), hand=["T-001", "T-002"], discard=["T-101"]),
                                   side(active=mon("D-001")))


# --- filters (through Each/Among) ---------------------------------------------------------------------------------

FILTER_CASES = [
    (ir.TypeIs(types=("Grass",)), ["D-003"]),
    (ir.StageIs(stage="basic"), ["D-001", "D-003", "D-002"]),
    (ir.StageIs(stage="evolution"), ["T-002"]),
    (ir.StageIs(stage="stage1"), ["T-002"]),
    (ir.IsEx(), ["D-002"]),
    (ir.IsEx(value=False), ["D-001", "T-002", "D-003"]),
    (ir.NameIs(names=("Leafy",)), ["D-003"]),
    (ir.EvolvesFrom(name="Pikachu"), ["T-002"]),
    (ir.Damaged(), ["D-003"]),
    (ir.Damaged(value=False), ["D-001", "T-002", "D-002"]),
    (ir.HasEnergy(energy_type="Grass", at_least=2), ["D-002"]),
    (ir.EnergyTypesAtLeast(count=2), ["D-001"]),
    (ir.HasTool(), ["T-002"]),
    (ir.HasCondition(conditions=("Poisoned",)), ["D-001"]),
    (ir.HpAtMost(hp=100), ["D-001", "T-002", "D-003", "D-002"]),
    (ir.HpAtMost(hp=80, remaining=True), ["D-003"]),
    (ir.RetreatAtLeast(count=2), ["D-003"]),
    (ir.InZone(zone="bench"), ["T-002", "D-003", "D-002"]),
]


@pytest.mark.parametrize("filt,hit", FILTER_CASES, ids=[f[0].op + str(i) for i, f in enumerate(FILTER_CASES)])
def test_filters_select_pokemon(filt, hit):
    eng = make(attacker(ir.Damage(amount=C(value=10), target=ir.Each(among=ir.Among(player="opponent",
                                                                                  filters=(filt,)))),
                        ))
    opp = side(active=mon("D-001", energy="GR", conditions=("Poisoned",)),
               bench=[mon("T-001", "T-002", tools=["T-103"]), mon("D-003", damage=30), mon("D-002", energy="GG")])
    after = attack(eng, side(active=mon("A-001")), opp)
    # "Do 10 damage to each of your opponent's Pokémon that <filter>"; the Poisoned Active takes 10 more at checkup
    d = {c: (10 if c in hit else 0) for c in ("D-001", "T-002", "D-003", "D-002")}
    exp = side(active=mon("D-001", energy="GR", conditions=("Poisoned",), damage=10 + d["D-001"]),
               bench=[mon("T-001", "T-002", tools=["T-103"], damage=d["T-002"]), mon("D-003", damage=30 + d["D-003"]),
                      mon("D-002", energy="GG", damage=d["D-002"])])
    assert view(after) == after_turn(eng, side(active=mon("A-001")), exp)


def test_has_ability_filter_and_other():
    ab = ir.Passive(modifiers=(ir.NoWeakness(target=THIS),))
    eng = make(poke("B-001", "Abil", ability=ab),
               attacker(ir.Damage(amount=C(value=10), target=ir.Each(among=ir.Among(player="both", other=True,
                                                                                    filters=(ir.HasAbility(),))))))
    # "Do 10 damage to each Pokémon (both yours and your opponent's) with an Ability, other than this one."
    after = attack(eng, side(active=mon("A-001"), bench=[mon("B-001")]), side(active=mon("B-001")))
    assert view(after) == after_turn(eng, side(active=mon("A-001"), bench=[mon("B-001", damage=10)]),
                                     side(active=mon("B-001", damage=10)))


def test_has_energy_extra_counts_beyond_the_attack_cost():
    # "If this Pokémon has at least 2 extra [W] Energy attached, this attack does 60 more damage."
    eng = make(attacker(ir.If(condition=ir.Matches(target=THIS, filters=(ir.HasEnergy(energy_type="Water",
                                                                                       at_least=2, extra=True),)),
                              then=(ir.AttackDamage(mode="more", amount=C(value=60)),)), base=10, cost="W"))
    for energy, dmg in (("WW", 10), ("WWW", 70)):
        after = attack(eng, side(active=mon("A-001", energy=energy)), side(active=mon("D-001")))
        assert view(after) == after_turn(eng, side(active=mon("A-001", energy=energy)),
                                         side(active=mon("D-001", damage=dmg)))


# --- targets --------------------------------------------------------------------------------------------------------

def test_choose_up_to_allows_fewer():
    eng = make(attacker(ir.Damage(amount=C(value=10), target=ir.Choose(count=2, up_to=True, among=OPP_BENCH))))
    mid = attack(eng, side(active=mon("A-001")), side(active=mon("D-001"), bench=[mon("D-001"), mon("D-001")]))
    assert mid.pending.optional
    after = eng.step(mid, eng.layout.choose_done(), 1)  # "up to 2": none chosen
    assert view(after) == after_turn(eng, side(active=mon("A-001")),
                                     side(active=mon("D-001"), bench=[mon("D-001"), mon("D-001")]))


def test_choose_two_distinct():
    eng = make(attacker(ir.Damage(amount=C(value=10), target=ir.Choose(count=2, among=OPP))))
    mid = attack(eng, side(active=mon("A-001")), side(active=mon("D-001"), bench=[mon("D-001"), mon("D-001")]))
    mid = eng.step(mid, eng.layout.choose(2), 1)
    assert len(mid.pending.options) == 2  # the first pick is gone
    after = eng.step(mid, eng.layout.choose(0), 1)
    assert view(after) == after_turn(eng, side(active=mon("A-001")),
                                     side(active=mon("D-001", damage=10),
                                          bench=[mon("D-001"), mon("D-001", damage=10)]))


def test_random_pokemon_count_two_distinct():
    eng = make(attacker(ir.Damage(amount=C(value=10), target=ir.RandomPokemon(count=2, among=OPP))))
    # "Do 10 damage to 2 of your opponent's Pokémon chosen at random" (2 in play: both, once each)
    after = attack(eng, side(active=mon("A-001")), side(active=mon("D-001"), bench=[mon("D-001")]))
    assert view(after) == after_turn(eng, side(active=mon("A-001")),
                                     side(active=mon("D-001", damage=10), bench=[mon("D-001", damage=10)]))


def test_tool_holder_and_attacking_in_a_damage_trigger():
    # Rocky Helmet: "If the Pokémon this card is attached to is in the Active Spot and is damaged by an attack from
    # your opponent's Pokémon, do 20 damage to the Attacking Pokémon."
    helmet = trainer("H-001", "Rocky Helmet", "tool", ir.Tool(effects=(ir.Triggered(
        trigger=ir.Trigger(event="damaged_by_attack", while_active=True),
        steps=(ir.Damage(amount=C(value=20), target=ir.Attacking(), by_attack=False),)),)))
    eng = make(helmet, attacker(base=30))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("D-001", tools=["H-001"])))
    assert view(after) == after_turn(eng, side(active=mon("A-001", damage=20)),
                                     side(active=mon("D-001", damage=30, tools=["H-001"])))


# --- counts ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("count,expected", [
    (ir.EnergyCount(target=OPP_ACTIVE), 3),
    (ir.EnergyCount(target=OPP_ACTIVE, energy_type="Grass"), 2),
    (ir.PokemonCount(among=YOUR_BENCH), 2),
    (ir.CardCount(player="opponent", zone="hand"), 3),
    (ir.CardCount(player="you", zone="discard", filter=ir.CardFilter(kind="supporter")), 1),
    (ir.DamageOn(target=THIS), 40),
    (ir.RetreatCostOf(target=OPP_ACTIVE), 2),
])
def test_counts_scale_damage(count, expected):
    eng = make(attacker(ir.AttackDamage(mode="set", amount=ir.Per(each=1, count=count))))
    # "This attack does 1 damage for each <count>."
    you = dict(bench=[mon("D-001"), mon("D-001")], discard=["T-102", "T-101"])
    after = attack(eng, side(active=mon("A-001", damage=40), **you),
                   side(active=mon("D-003", energy="GGL"), hand=["T-101"] * 3))
    assert view(after) == after_turn(eng, side(active=mon("A-001", damage=40), **you),
                                     side(active=mon("D-003", energy="GGL", damage=expected), hand=["T-101"] * 3))


# --- conditions -----------------------------------------------------------------------------------------------------

def cond_attack(condition):
    return attacker(ir.If(condition=condition, then=(ir.AttackDamage(mode="more", amount=C(value=50)),)), base=10)


@pytest.mark.parametrize("condition,you,opp,hit", [
    (ir.Exists(among=ir.Among(player="you", filters=(ir.NameIs(names=("Leafy",)),))),
     side(active=mon("A-001"), bench=[mon("D-003")]), side(active=mon("D-001")), True),
    (ir.Exists(among=ir.Among(player="you", filters=(ir.NameIs(names=("Leafy",)),))),
     side(active=mon("A-001")), side(active=mon("D-001")), False),
    (ir.CardIn(zone="discard", filter=ir.CardFilter(kind="tool")),
     side(active=mon("A-001"), discard=["T-103"]), side(active=mon("D-001")), True),
    (ir.HandSize(player="opponent", sizes=(0,)), side(active=mon("A-001")), side(active=mon("D-001")), True),
    (ir.HandSize(player="opponent", sizes=(0,)), side(active=mon("A-001")), side(active=mon("D-001"), hand=["T-101"]),
     False),
    (ir.Points(player="opponent", at_least=2), side(active=mon("A-001")), side(active=mon("D-001"), points=2), True),
    (ir.Points(player="you", at_least=0, at_most=0), side(active=mon("A-001"), points=1), side(active=mon("D-001")),
     False),
    (ir.Not(condition=ir.Matches(target=OPP_ACTIVE, filters=(ir.IsEx(),))), side(active=mon("A-001")),
     side(active=mon("D-001")), True),
    (ir.All(conditions=(ir.HandSize(player="you", sizes=(0,)), ir.Matches(target=OPP_ACTIVE,
                                                                          filters=(ir.Damaged(),)))),
     side(active=mon("A-001")), side(active=mon("D-001", damage=10)), True),
    (ir.History(event="played_supporter_this_turn"), side(active=mon("A-001"), supporters_played=1),
     side(active=mon("D-001")), True),
    (ir.History(event="evolved_this_turn"), side(active=mon("A-001")), side(active=mon("D-001")), False),
])
def test_conditions(condition, you, opp, hit):
    # 10 "If <condition>, this attack does 50 more damage."
    eng = make(cond_attack(condition))
    exp_you, exp_opp = copy.deepcopy(you), copy.deepcopy(opp)
    exp_opp.active.damage += 60 if hit else 10
    after = attack(eng, you, opp)
    assert view(after) == after_turn(eng, exp_you, exp_opp)


def test_history_ko_last_turn_and_used_attack_last_turn():
    # 10 "If any of your Pokémon were Knocked Out by damage from an attack during your opponent's
    # last turn / if this Pokémon used Test during your last turn, this attack does 50 more damage."
    eng = make(cond_attack(ir.History(event="ko_last_turn")))
    s = board(eng, side(active=mon("A-001")), side(active=mon("D-001")))
    s.players[0].ko_by_attack_turn = 2
    exp = after_turn(eng, side(active=mon("A-001")), side(active=mon("D-001", damage=60)))
    assert view(eng.step(s, eng.layout.attack(0), 1)) == exp
    eng = make(cond_attack(ir.History(event="used_attack_last_turn", name="Test")))
    s = board(eng, side(active=mon("A-001")), side(active=mon("D-001")))
    s.players[0].last_attack, s.players[0].last_attack_turn = "Test", 1
    assert view(eng.step(s, eng.layout.attack(0), 1)) == exp


def test_history_ko_by_this_attack():
    # 60 "If your opponent's Pokémon is Knocked Out by damage from this attack, draw a card." (after damage)
    eng = make(attacker(ir.If(condition=ir.History(event="ko_by_this_attack"), then=(ir.Draw(amount=C(value=1)),)),
                        base=100))
    after = attack(eng, side(active=mon("A-001"), deck=["T-101"]), side(active=mon("D-001"), bench=[mon("D-001")]))
    assert view(after) == after_turn(eng, side(active=mon("A-001"), hand=["T-101"], points=1),
                                     side(active=mon("D-001"), discard=["D-001"]))


def test_coin_outcome_kinds():
    # 10 "Flip 2 coins. If <all heads / all tails / at least 1 heads>, this attack does 50 more damage."
    for outcome, bits, hit in [("all_heads", (True, True), True), ("all_heads", (True, False), False),
                               ("all_tails", (False, False), True), ("at_least", (True, False), True)]:
        eng = make(attacker(ir.Flip(count=C(value=2)), ir.If(condition=ir.CoinOutcome(outcome=outcome, count=1),
                                                            then=(ir.AttackDamage(mode="more", amount=C(value=50)),)),
                            base=10))
        after = attack(eng, side(active=mon("A-001")), side(active=mon("D-001")), key_for(eng, bits, 0))
        assert view(after) == after_turn(eng, side(active=mon("A-001")),
                                         side(active=mon("D-001", damage=60 if hit else 10))), outcome


def test_attack_requirement_blocks_the_attack():
    # "You can use this attack only if you have Leafy in play."
    eng = make(attacker(base=10, requirement=ir.Exists(among=ir.Among(player="you", filters=(
        ir.NameIs(names=("Leafy",)),)))))
    s = board(eng, side(active=mon("A-001")), side(active=mon("D-001")))
    assert eng.layout.attack(0) not in eng.legal_actions(s)


# --- passive modifiers ----------------------------------------------------------------------------------------------

def passive(*mods, requirement=None):
    return poke("P-001", "Passive", hp=100, ability=ir.Passive(modifiers=mods, requirement=requirement),
                attacks=[atk("Tap", "", 10)])


def test_passive_damage_taken_only_while_active():
    eng = make(passive(ir.DamageTaken(target=THIS, delta=-20),
                       requirement=ir.Matches(target=THIS, filters=(ir.InZone(zone="active"),))), attacker(base=50))
    # "If this Pokémon is in the Active Spot, it takes -20 damage from attacks." 50 - 20
    after = attack(eng, side(active=mon("A-001")), side(active=mon("P-001")))
    assert view(after) == after_turn(eng, side(active=mon("A-001")), side(active=mon("P-001", damage=30)))


def test_passive_damage_dealt_by_your_type():
    # "Attacks used by your [C] Pokémon do +20 damage to your opponent's Active Pokémon."
    eng = make(passive(ir.DamageDealt(attacker=ir.Each(among=ir.Among(filters=(ir.TypeIs(types=("Colorless",)),))),
                                      delta=20, defender=OPP_ACTIVE)), attacker(base=30))
    after = attack(eng, side(active=mon("A-001"), bench=[mon("P-001")]), side(active=mon("D-001")))
    assert view(after) == after_turn(eng, side(active=mon("A-001"), bench=[mon("P-001")]),
                                     side(active=mon("D-001", damage=50)))


def test_passive_prevent_damage_from_ex():
    eng = make(passive(ir.PreventDamage(target=THIS, attacker=(ir.IsEx(),))),
               poke("A-002", "Big ex", ex=True, attacks=[atk("Hit", "", 50)]))
    # "Prevent all damage done to this Pokémon by attacks from your opponent's Pokémon ex."
    s = board(eng, side(active=mon("A-002")), side(active=mon("P-001")))
    assert view(eng.step(s, eng.layout.attack(0), 1)) == after_turn(eng, side(active=mon("A-002")),
                                                                    side(active=mon("P-001")))


def test_passive_prevent_effects():
    # "Prevent all effects of attacks used by your opponent's Pokémon done to this Pokémon." (damage still done)
    eng = make(passive(ir.PreventEffects(target=THIS)),
               attacker(ir.ApplyCondition(target=OPP_ACTIVE, conditions=("Asleep",)), base=10))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("P-001")))
    assert view(after) == after_turn(eng, side(active=mon("A-001")), side(active=mon("P-001", damage=10)))


def test_passive_cant_attack_cant_retreat():
    # "Your opponent's Active Pokémon can't attack or retreat."
    eng = make(passive(ir.CantRetreat(target=OPP_ACTIVE), ir.CantAttack(target=OPP_ACTIVE)))
    s = board(eng, side(active=mon("P-001")), side(active=mon("D-001", energy="C" * 0), bench=[mon("D-001")]),
              turn_player=1, turn=4)
    assert {eng.layout.decode(a).kind for a in eng.legal_actions(s)} <= {"end_turn", "attach_energy", "ability"}


def test_passive_attack_cost_and_retreat_cost():
    eng = make(passive(ir.AttackCost(target=THIS, delta=-1, energy_type="Fighting"),
                       ir.RetreatCost(target=ir.Each(among=YOU), none=True)), )
    eng2 = make(poke("P-001", "Passive", ability=ir.Passive(modifiers=(
        ir.AttackCost(target=THIS, delta=-1, energy_type="Lightning"), ir.RetreatCost(target=THIS, none=True))),
        attacks=[atk("Zap", "LC", 30)]))
    s = board(eng2, side(active=mon("P-001", energy="G"), bench=[mon("D-001")]), side(active=mon("D-001")))
    legal = eng2.legal_actions(s)
    assert eng2.layout.attack(0) in legal and eng2.layout.retreat(1) in legal
    after = eng2.step(s, eng2.layout.retreat(1), 1)
    # "This Pokémon has no Retreat Cost": nothing discarded
    assert view(after) == view(board(eng2, side(active=mon("D-001"), bench=[mon("P-001", energy="G")], retreats=1),
                                     side(active=mon("D-001"))))
    del eng


def test_passive_retreat_cost_delta():
    eng = make(poke("P-001", "Passive", retreat=2, ability=ir.Passive(modifiers=(
        ir.RetreatCost(target=THIS, delta=-1),))))
    # "This Pokémon's Retreat Cost is 1 less." 2 - 1: one Energy discarded
    s = board(eng, side(active=mon("P-001", energy="GG"), bench=[mon("D-001")]), side(active=mon("D-001")))
    assert view(eng.step(s, eng.layout.retreat(1), 1)) == view(board(
        eng, side(active=mon("D-001"), bench=[mon("P-001", energy="G")], discard_energy="G", retreats=1),
        side(active=mon("D-001"))))


def test_passive_no_weakness_and_hp_bonus():
    eng = make(passive(ir.NoWeakness(target=ir.Each(among=YOU)),
                       ir.HpBonus(target=ir.Each(among=YOU), amount=C(value=20))), attacker(base=100))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("D-004"), bench=[mon("P-001")]))
    # 120 HP, no Weakness: 100 damage, no knockout
    assert view(after) == after_turn(eng, side(active=mon("A-001")),
                                     side(active=mon("D-004", damage=100), bench=[mon("P-001")]))


def test_passive_cant_play_supporters():
    # "Your opponent can't play Supporter cards from their hand." (you still can; Items too)
    eng = make(passive(ir.CantPlay(player="opponent", card="supporter")))
    s = board(eng, side(active=mon("D-001"), hand=["T-102", "T-101"]), side(active=mon("P-001")))
    legal = eng.legal_actions(s)
    assert eng.layout.play(0) not in legal and eng.layout.play(1) in legal


def test_passive_condition_immunity_and_recovery():
    eng = make(passive(ir.ConditionImmunity(target=THIS)),
               attacker(ir.ApplyCondition(target=OPP_ACTIVE, conditions=("Poisoned",))))
    # "This Pokémon can't be affected by any Special Conditions" (and recovers from those it had)
    after = attack(eng, side(active=mon("A-001")), side(active=mon("P-001", conditions=("Asleep",))))
    assert view(after) == after_turn(eng, side(active=mon("A-001")), side(active=mon("P-001")))


def test_passive_cant_be_healed():
    eng = make(passive(ir.CantBeHealed(among=ir.Among(player="both"))), attacker(ir.Heal(amount=C(value=30),
                                                                                         target=THIS)))
    # "Pokémon (both yours and your opponent's) can't be healed."
    after = attack(eng, side(active=mon("A-001", damage=30)), side(active=mon("P-001")))
    assert view(after) == after_turn(eng, side(active=mon("A-001", damage=30)), side(active=mon("P-001")))


# --- triggers -------------------------------------------------------------------------------------------------------

def trig(event, *steps, **kw):
    return poke("R-001", "Trig", hp=100, ability=ir.Triggered(trigger=ir.Trigger(event=event, **kw), steps=steps),
                attacks=[atk("Tap", "", 10)])


def test_trigger_damaged_by_attack_poisons_attacker():
    # "If this Pokémon is in the Active Spot and is damaged by an attack, the Attacking Pokémon is
    # now Poisoned." (10 at the checkup)
    eng = make(trig("damaged_by_attack", ir.ApplyCondition(target=ir.Attacking(), conditions=("Poisoned",)),
                    while_active=True), attacker(base=30))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("R-001")))
    assert view(after) == after_turn(eng, side(active=mon("A-001", damage=10, conditions=("Poisoned",))),
                                     side(active=mon("R-001", damage=30)))


def test_trigger_knocked_out_by_attack_hits_back():
    # "If this Pokémon is in the Active Spot and is Knocked Out by damage from an attack, do 50 damage
    # to the Attacking Pokémon."
    eng = make(trig("knocked_out_by_attack", ir.Damage(amount=C(value=50), target=ir.Attacking(), by_attack=False),
                    while_active=True), attacker(base=100))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("R-001"), bench=[mon("D-001")]))
    assert view(after) == after_turn(eng, side(active=mon("A-001", damage=50), points=1),
                                     side(active=mon("D-001"), discard=["R-001"]))


def test_trigger_would_be_knocked_out_survives_at_ten():
    # "If this Pokémon would be Knocked Out, its remaining HP becomes 10 instead." (150 on 100 HP)
    eng = make(trig("would_be_knocked_out", ir.SetHp(target=THIS, hp=10)), attacker(base=150))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("R-001")))
    assert view(after) == after_turn(eng, side(active=mon("A-001")), side(active=mon("R-001", damage=90)))


def test_trigger_energy_attached_makes_asleep():
    eng = make(trig("energy_attached", ir.ApplyCondition(target=THIS, conditions=("Asleep",)), while_active=True))
    s = board(eng, side(active=mon("R-001"), current="G"), side(active=mon("D-001")))
    # "Whenever you attach an Energy from your Energy Zone to this Pokémon, it is now Asleep."
    after = eng.step(s, eng.layout.attach_energy(0), 1)
    assert view(after) == view(board(eng, side(active=mon("R-001", energy="G", conditions=("Asleep",)),
                                               energy_attached=1), side(active=mon("D-001"))))


def test_trigger_opponent_attaches_energy_damages_that():
    eng = make(trig("opponent_attaches_energy", ir.Damage(amount=C(value=20), target=ir.That(), by_attack=False),
                    while_active=True))
    s = board(eng, side(active=mon("D-001"), current="G"), side(active=mon("R-001")))
    # "Whenever your opponent attaches an Energy from their Energy Zone to 1 of their Pokémon, do 20 damage to that
    # Pokémon."
    after = eng.step(s, eng.layout.attach_energy(0), 1)
    assert view(after) == view(board(eng, side(active=mon("D-001", energy="G", damage=20), energy_attached=1),
                                     side(active=mon("R-001"))))


def test_trigger_end_of_turn_draws_when_active():
    eng = make(trig("end_of_turn", ir.Draw(amount=C(value=1)), while_active=True))
    s = board(eng, side(active=mon("R-001"), deck=["T-101"]), side(active=mon("D-001")))
    # "At the end of your turn, if this Pokémon is in the Active Spot, draw a card."
    after = eng.step(s, eng.layout.end_turn(), 1)
    assert view(after) == after_turn(eng, side(active=mon("R-001"), hand=["T-101"]), side(active=mon("D-001")))


def test_trigger_end_of_first_turn_only():
    eng = make(trig("end_of_first_turn", ir.AttachEnergy(energy=(ir.EnergySel(energy_type="Lightning"),),
                                                         target=THIS)))
    # "At the end of your first turn, take a [L] Energy from your Energy Zone and attach it to this Pokémon."
    s = board(eng, side(active=mon("R-001"), turns_taken=1), side(active=mon("D-001")), turn=1)
    assert view(eng.step(s, eng.layout.end_turn(), 1)) == view(board(
        eng, side(active=mon("R-001", energy="L")), side(active=mon("D-001"), current="G", next="G"), turn=2,
        turn_player=1))
    s = board(eng, side(active=mon("R-001"), turns_taken=2), side(active=mon("D-001")))
    assert view(eng.step(s, eng.layout.end_turn(), 1)) == after_turn(eng, side(active=mon("R-001")),
                                                                     side(active=mon("D-001")))


def test_trigger_checkup_damages_opponent_active():
    eng = make(trig("checkup", ir.Damage(amount=C(value=10), target=OPP_ACTIVE, by_attack=False), while_active=True))
    # "During Pokémon Checkup, if this Pokémon is in the Active Spot, do 10 damage to your opponent's Active
    # Pokémon."
    s = board(eng, side(active=mon("R-001")), side(active=mon("D-001")))
    assert view(eng.step(s, eng.layout.end_turn(), 1)) == after_turn(eng, side(active=mon("R-001")),
                                                                     side(active=mon("D-001", damage=10)))


def test_trigger_played_to_bench_optional():
    eng = make(poke("R-001", "Trig", ability=ir.Triggered(trigger=ir.Trigger(event="played_to_bench"), optional=True,
                                                         steps=(ir.Draw(amount=C(value=1)),))))
    s = board(eng, side(active=mon("D-001"), hand=["R-001"], deck=["T-101"]), side(active=mon("D-001")))
    mid = eng.step(s, eng.layout.play(0), 1)
    # "When you play this Pokémon from your hand onto your Bench, you may draw a card."
    assert mid.pending.kind == "optional"
    assert view(eng.step(mid, eng.layout.choose(0), 1)) == view(board(
        eng, side(active=mon("D-001"), bench=[mon("R-001")], hand=["T-101"]), side(active=mon("D-001"))))


def test_trigger_evolved_from_hand_heals():
    eng = make(poke("R-002", "Evo", stage="stage1", evolves_from="Dummy", ability=ir.Triggered(
        trigger=ir.Trigger(event="evolved_from_hand"), once=True,
        steps=(ir.Heal(amount=C(value=60), target=THIS),))))
    s = board(eng, side(active=mon("D-001", damage=80), hand=["R-002"]), side(active=mon("D-001")))
    # "When you play this Pokémon from your hand to evolve 1 of your Pokémon, heal 60 damage from this Pokémon."
    # (once: it counts as this turn's use of its Ability)
    after = eng.step(s, eng.layout.play_on(0, 0), 1)
    assert view(after) == view(board(eng, side(active=mon("D-001", "R-002", damage=20, ability_used=True)),
                                     side(active=mon("D-001"))))


def test_trigger_knocked_out_any_way_and_opponent_ko_by_holder():
    eng = make(trig("opponent_ko_by_holder", ir.Draw(amount=C(value=1))),
               poke("R-002", "Bye", ability=ir.Triggered(trigger=ir.Trigger(event="knocked_out"),
                                                         steps=(ir.Draw(amount=C(value=1)),))))
    s = board(eng, side(active=mon("R-001"), deck=["T-101"]), side(active=mon("R-002", damage=90),
                                                                    bench=[mon("D-001")], deck=["T-102"]))
    # holder: "If your opponent's Pokémon is Knocked Out by damage from this Pokémon's attack, draw a card."
    # victim: "If this Pokémon is Knocked Out, draw a card." (its owner draws; Dummy is promoted)
    after = eng.step(s, eng.layout.attack(0), 1)
    assert view(after) == after_turn(eng, side(active=mon("R-001"), hand=["T-101"], points=1),
                                     side(active=mon("D-001"), hand=["T-102"], discard=["R-002"]))


# --- trainers, abilities, load-time checks -------------------------------------------------------------------------

def test_trainer_requirement():
    # "You can play this card only if 1 of your Pokémon has damage on it."
    card = trainer("X-001", "Cond Item", "item", ir.TrainerEffect(
        requirement=ir.Exists(among=ir.Among(player="you", filters=(ir.Damaged(),))),
        steps=(ir.Heal(amount=C(value=20), target=ir.Each(among=YOU)),)))
    eng = make(card)
    s = board(eng, side(active=mon("D-001"), hand=["X-001"]), side(active=mon("D-001")))
    assert eng.layout.play(0) not in eng.legal_actions(s)


def test_supporter_effect_targets_chosen_pokemon():
    # "Heal 50 damage from 1 of your Pokémon" with two damaged
    card = trainer("X-002", "Nurse", "supporter", ir.TrainerEffect(steps=(ir.Heal(amount=C(value=50), target=ir.Choose(
        among=ir.Among(player="you", filters=(ir.Damaged(),)))),)))
    eng = make(card)
    s = board(eng, side(active=mon("D-001", damage=60), bench=[mon("D-001", damage=30)], hand=["X-002"]),
              side(active=mon("D-001")))
    mid = eng.step(s, eng.layout.play(0), 1)
    after = eng.step(mid, eng.layout.choose(1), 2)
    exp = board(eng, side(active=mon("D-001", damage=60), bench=[mon("D-001")], discard=["X-002"],
                          supporters_played=1), side(active=mon("D-001")))
    assert view(after) == view(exp)


def test_activated_ability_with_a_cost():
    ab = ir.Activated(cost=(ir.DiscardCards(),), steps=(ir.Draw(amount=C(value=2)),))
    eng = make(poke("A-001", "Attacker", ability=ab))
    s = board(eng, side(active=mon("A-001")), side(active=mon("D-001")))
    assert eng.layout.ability(0) not in eng.legal_actions(s)  # no card to discard
    s = board(eng, side(active=mon("A-001"), hand=["T-101"], deck=["T-001", "T-002"]), side(active=mon("D-001")))
    # "Once during your turn, you may discard a card from your hand. If you do, draw 2 cards."
    after = eng.step(s, eng.layout.ability(0), 1)
    assert view(after) == view(board(eng, side(active=mon("A-001", ability_used=True), hand=["T-001", "T-002"],
                                               discard=["T-101"]), side(active=mon("D-001"))))


def test_unresolved_effect_is_a_load_time_error():
    from compiler.spec import DeckSpec, PokemonCard
    from reference.testing import TestCard

    card = PokemonCard(id="U-001", name="Broken", category="pokemon", stage="basic", hp=50, type="Fire",
                       attacks=[{"name": "Odd", "cost": [], "damage": "", "text": "Do something odd."}])
    tc = TestCard(card, ir.CardIR(card_id="U-001", attacks=(ir.CardAttack(name="Odd", effect=ir.Unresolved(
        text="Do something odd.", reason="no rule")),)))
    eng = make(tc)
    assert not eng.db[eng.db.by_id["U-001"]].executable
    with pytest.raises(SpecError, match="U-001 Broken: attack 'Odd': unresolved"):
        eng.deck_from_spec(DeckSpec(name="d", energy=["Fire"], cards={"U-001": 2, "D-001": 18}))


def test_unresolved_card_in_a_spec_deck_exits_2(tmp_path):
    from click.testing import CliRunner

    from compiler.cli import main

    (tmp_path / "cards.yaml").write_text(
        "set: X\ncards:\n"
        "  - {id: X-001, name: Odd, category: pokemon, stage: basic, hp: 50, type: Fire,\n"
        "     attacks: [{name: Odd, cost: [], text: Qwerty the zorblax.}]}\n"
        "  - {id: X-002, name: Plain, category: pokemon, stage: basic, hp: 50, type: Fire,\n"
        "     attacks: [{name: Hit, cost: [], damage: '10'}]}\n", encoding="utf-8")
    cards = "".join(f"      X-00{i}: 2\n" for i in (1, 2))
    (tmp_path / "spec.yaml").write_text(
        "name: odd\ncard_sets: [cards.yaml]\nrules: {overrides: {deck_size: 4}}\n"
        f"decks:\n  - name: d\n    energy: [Fire]\n    cards:\n{cards}", encoding="utf-8")
    r = CliRunner().invoke(main, ["play", str(tmp_path / "spec.yaml"), "--human", "none"])
    assert r.exit_code == 2 and "X-001 Odd: attack 'Odd': unresolved" in r.output, r.output


def test_ability_and_trainer_effect_addresses_are_distinct_slots():
    assert ABILITY_SLOT != TRAINER_SLOT
