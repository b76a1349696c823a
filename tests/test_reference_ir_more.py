"""Interaction tests of the IR nodes added in IR v2 and v3 (docs/ir.md change log)."""

from __future__ import annotations

import pytest

from compiler import ir
from compiler.engine_model.rng import Addr, coin
from reference.testing import atk, board, mon, poke, side, trainer, view

from tests.test_reference_ir import (OPP, OPP_ACTIVE, OPP_BENCH, THIS, YOUR_BENCH, after_turn, attack, attacker, make,
                                     turn_five)

C = ir.Const


def test_damage_ignores_weakness():
    eng = make(poke("A-001", "Attacker", attacks=[atk("Test", "", 30, ir.DamageIgnores(what="weakness"))]))
    # 30 "This attack's damage isn't affected by Weakness." Weakling is weak to Colorless: still 30
    after = attack(eng, side(active=mon("A-001")), side(active=mon("D-004")))
    assert view(after) == after_turn(eng, side(active=mon("A-001")), side(active=mon("D-004", damage=30)))


def test_damage_ignores_effects_on_the_defender():
    shield = poke("P-001", "Shielded", ability=ir.Passive(modifiers=(ir.DamageTaken(target=THIS, delta=-20),)))
    eng = make(shield, attacker(ir.DamageIgnores(what="effects"), base=50))
    # 50 "This attack's damage isn't affected by any effects on your opponent's Active Pokémon." (-20 ignored)
    after = attack(eng, side(active=mon("A-001")), side(active=mon("P-001")))
    assert view(after) == after_turn(eng, side(active=mon("A-001")), side(active=mon("P-001", damage=50)))


def test_copy_attack_uses_the_chosen_attack():
    eng = make(attacker(ir.CopyAttack(among=ir.Among(player="opponent", zone="active"))))
    # "Choose 1 of your opponent's Active Pokémon's attacks and use it as this attack." Onix's Slam: 60
    after = attack(eng, side(active=mon("A-001")), side(active=mon("T-003")))
    assert view(after) == after_turn(eng, side(active=mon("A-001")), side(active=mon("T-003", damage=60)))


def test_copy_attack_needs_energy():
    eng = make(attacker(ir.CopyAttack(among=ir.Among(player="opponent", zone="active"), needs_energy=True)))
    # "... If this Pokémon doesn't have the necessary Energy to use that attack, this attack does nothing."
    after = attack(eng, side(active=mon("A-001")), side(active=mon("T-003")))  # Slam needs FF: does nothing
    assert view(after) == after_turn(eng, side(active=mon("A-001")), side(active=mon("T-003")))
    after = attack(eng, side(active=mon("A-001", energy="FF")), side(active=mon("T-003")))
    assert view(after) == after_turn(eng, side(active=mon("A-001", energy="FF")), side(active=mon("T-003", damage=60)))


def test_discard_pokemon_scores_nothing_and_promotes():
    # "Discard your opponent's Active Pokémon and all attached cards." Not a knockout: no points
    eng = make(attacker(ir.DiscardPokemon(target=OPP_ACTIVE)))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("D-001", energy="G"), bench=[mon("D-003")]))
    exp = after_turn(eng, side(active=mon("A-001")), side(active=mon("D-003"), discard=["D-001"], discard_energy="G"))
    assert view(after) == exp


def test_survive_knock_out_in_a_would_be_knocked_out_trigger():
    sturdy = poke("R-001", "Sturdy", ability=ir.Triggered(trigger=ir.Trigger(event="would_be_knocked_out"),
                                                         steps=(ir.SurviveKnockOut(hp=10),)))
    eng = make(sturdy, attacker(base=200))
    # "If this Pokémon would be Knocked Out by damage from an attack, it is not Knocked Out, and its remaining HP
    # becomes 10." (100 HP: 90 damage, no points)
    after = attack(eng, side(active=mon("A-001")), side(active=mon("R-001")))
    assert view(after) == after_turn(eng, side(active=mon("A-001")), side(active=mon("R-001", damage=90)))


def test_choose_one_runs_the_chosen_option():
    eng = make(attacker(ir.ChooseOne(options=((ir.AttackDamage(mode="more", amount=C(value=40)),),
                                              (ir.Heal(amount=C(value=30), target=THIS),)))))
    mid = attack(eng, side(active=mon("A-001", damage=30)), side(active=mon("D-001")))
    assert mid.pending.kind == "option" and mid.pending.options == [0, 1]
    # "Choose 1: this attack does 40 more damage; or heal 30 damage from this Pokémon."
    a = eng.step(mid, eng.layout.choose(0), 1)
    b = eng.step(mid, eng.layout.choose(1), 1)
    assert view(a) == after_turn(eng, side(active=mon("A-001", damage=30)), side(active=mon("D-001", damage=40)))
    assert view(b) == after_turn(eng, side(active=mon("A-001")), side(active=mon("D-001")))


def test_attack_flip_lasting_effect():
    eng = make(attacker(ir.Lasting(duration="opponent_next_turn", modifier=ir.AttackFlip(target=OPP_ACTIVE))))
    s = attack(eng, side(active=mon("A-001")), side(active=mon("D-001")))
    for heads in (True, False):
        key = next(k for k in range(1, 300) if coin(k, Addr.ATTACK_FLIP, 4) == heads)
        # "During your opponent's next turn, if their Active Pokémon tries to attack, they flip a coin. If tails,
        # that attack doesn't happen." Dummy's Tap (10); the turn ends either way and the effect expires.
        after = eng.step(s, eng.layout.attack(0), key)
        assert view(after) == turn_five(eng, side(active=mon("A-001", damage=10 if heads else 0)),
                                        side(active=mon("D-001")))


def test_at_end_runs_when_the_duration_ends():
    # "At the end of your opponent's next turn, do 90 damage to the Defending Pokémon."
    eng = make(attacker(ir.Lasting(duration="opponent_next_turn", modifier=ir.AtEnd(steps=(
        ir.Damage(amount=C(value=90), target=ir.Defending(), by_attack=False),)))))
    s = attack(eng, side(active=mon("A-001")), side(active=mon("D-001")))
    exp = after_turn(eng, side(active=mon("A-001")), side(active=mon("D-001")))
    exp["durations"] = [(0, None, 4, "at_end")]  # the attacker's, ending after turn 4
    assert view(s) == exp
    s = eng.step(s, eng.layout.end_turn(), 1)
    assert view(s) == turn_five(eng, side(active=mon("A-001")), side(active=mon("D-001", damage=90)))


def test_cant_attach_energy():
    eng = make(attacker(ir.Lasting(duration="opponent_next_turn", modifier=ir.CantAttachEnergy(
        player="opponent", target=ir.Active(player="opponent")))))
    # "During your opponent's next turn, they can't attach Energy from their Energy Zone to their Active Pokémon."
    s = attack(eng, side(active=mon("A-001")), side(active=mon("D-001"), bench=[mon("D-001")]))
    exp = after_turn(eng, side(active=mon("A-001")), side(active=mon("D-001"), bench=[mon("D-001")]))
    exp["durations"] = [(0, None, 4, "cant_attach_energy")]  # whoever is their Active
    assert view(s) == exp
    legal = eng.legal_actions(s)
    assert eng.layout.attach_energy(0) not in legal and eng.layout.attach_energy(1) in legal


def test_on_damaged_lasting_effect_hits_the_attacker():
    # "During your opponent's next turn, if this Pokémon is damaged by an attack, do 40 damage to the Attacking
    # Pokémon."
    eng = make(attacker(ir.Lasting(duration="opponent_next_turn", modifier=ir.OnDamaged(target=THIS, steps=(
        ir.Damage(amount=C(value=40), target=ir.Attacking(), by_attack=False),)))))
    s = attack(eng, side(active=mon("A-001")), side(active=mon("D-001")))
    s = eng.step(s, eng.layout.attack(0), 1)
    assert view(s) == turn_five(eng, side(active=mon("A-001", damage=10)), side(active=mon("D-001", damage=40)))


def test_lasting_does_not_stack_when_stacks_is_false():
    eff = ir.Lasting(duration="opponent_next_turn", modifier=ir.DamageTaken(target=THIS, delta=-20), stacks=False)
    ab = ir.Activated(once=False, steps=(eff,))
    eng = make(poke("A-001", "Attacker", ability=ab))
    s = board(eng, side(active=mon("A-001")), side(active=mon("D-001")))
    # "During your opponent's next turn, this Pokémon takes -20 damage from attacks." used twice: one effect
    s = eng.step(eng.step(s, eng.layout.ability(0), 1), eng.layout.ability(0), 2)
    exp = view(board(eng, side(active=mon("A-001", ability_used=True)), side(active=mon("D-001"))))
    exp["durations"] = [(0, "A-001", 4, "damage_taken")]
    assert view(s) == exp


def test_card_in_at_least_and_your_first_turn():
    eng = make(attacker(ir.If(condition=ir.CardIn(zone="hand", filter=ir.CardFilter(), at_least=2),
                              then=(ir.AttackDamage(mode="more", amount=C(value=50)),)), base=10))
    # 10 "If you have at least 2 cards in your hand, this attack does 50 more damage."
    for hand, dmg in ((["T-101"], 10), (["T-101"] * 2, 60)):
        after = attack(eng, side(active=mon("A-001"), hand=hand), side(active=mon("D-001")))
        assert view(after) == after_turn(eng, side(active=mon("A-001"), hand=hand), side(active=mon("D-001",
                                                                                                     damage=dmg)))
    # 10 "If it is your first turn, this attack does 50 more damage."
    eng = make(attacker(ir.If(condition=ir.History(event="your_first_turn"),
                              then=(ir.AttackDamage(mode="more", amount=C(value=50)),)), base=10))
    s = board(eng, side(active=mon("A-001"), turns_taken=1), side(active=mon("D-001")), turn=1)
    assert view(eng.step(s, eng.layout.attack(0), 1)) == view(board(
        eng, side(active=mon("A-001")), side(active=mon("D-001", damage=60), current="G", next="G"), turn=2,
        turn_player=1))


def test_damage_done_counts_the_main_damage_after_weakness():
    # "Heal from this Pokémon the same amount of damage you did to your opponent's Active Pokémon."
    eng = make(attacker(ir.Heal(amount=ir.Per(each=1, count=ir.DamageDone()), target=THIS), base=30))
    after = attack(eng, side(active=mon("A-001", damage=60)), side(active=mon("D-004")))  # 30 + 20 weakness
    assert view(after) == after_turn(eng, side(active=mon("A-001", damage=10)), side(active=mon("D-004", damage=50)))


def test_attack_uses_counts_earlier_uses():
    # "This attack does 20 more damage for each time your Pokémon used Test during this game."
    eng = make(attacker(ir.AttackDamage(mode="more", amount=ir.Per(each=20, count=ir.AttackUses(name="Test"))),
                        base=10))
    s = board(eng, side(active=mon("A-001")), side(active=mon("D-001", damage=0)))
    s.players[0].attack_uses["Test"] = 2
    after = eng.step(s, eng.layout.attack(0), 1)
    assert view(after) == after_turn(eng, side(active=mon("A-001")), side(active=mon("D-001", damage=50)))
    assert after.players[0].attack_uses["Test"] == 3


def test_points_to_win_count():
    eng = make(attacker(ir.AttackDamage(mode="set", amount=ir.Per(each=10, count=ir.PointsToWin(player="you")))))
    # "This attack does 10 damage for each point you still need to win." (3 - 1)
    after = attack(eng, side(active=mon("A-001"), points=1), side(active=mon("D-001")))
    assert view(after) == after_turn(eng, side(active=mon("A-001"), points=1), side(active=mon("D-001", damage=20)))


def test_cant_evolve():
    eng = make(attacker(ir.Lasting(duration="opponent_next_turn", modifier=ir.CantEvolve(
        player="opponent", target=ir.Each(among=OPP)))))
    # "During your opponent's next turn, they can't play Pokémon from their hand to evolve their Pokémon."
    s = attack(eng, side(active=mon("A-001")), side(active=mon("T-001"), hand=["T-002"]))
    exp = after_turn(eng, side(active=mon("A-001")), side(active=mon("T-001"), hand=["T-002"]))
    exp["durations"] = [(0, None, 4, "cant_evolve")]
    assert view(s) == exp
    assert not any(eng.layout.decode(a).kind == "play_on" for a in eng.legal_actions(s))


def test_on_energy_attached_lasting_effect():
    # "During your opponent's next turn, whenever they attach an Energy from their Energy Zone to the Defending
    # Pokémon, do 20 damage to it."
    eng = make(attacker(ir.Lasting(duration="opponent_next_turn", modifier=ir.OnEnergyAttached(
        target=ir.Defending(), steps=(ir.Damage(amount=C(value=20), target=ir.That(), by_attack=False),)))))
    s = attack(eng, side(active=mon("A-001")), side(active=mon("D-001")))
    after = eng.step(s, eng.layout.attach_energy(0), 1)
    exp = view(board(eng, side(active=mon("A-001")), side(active=mon("D-001", energy="G", damage=20),
                                                          energy_attached=1, next="G"), turn=4, turn_player=1))
    exp["durations"] = [(1, "D-001", 4, "on_energy_attached")]  # still on until the end of turn 4
    assert view(after) == exp


def test_shuffle_deck_keeps_the_cards():
    eng = make(attacker(ir.ShuffleDeck(player="opponent")))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("D-001"), deck=["T-001", "T-002", "T-003"]))
    # "Your opponent shuffles their deck." Same cards; they draw 1 of them on turn 4.
    cards = ["T-001", "T-002", "T-003"]
    assert view(after) in [after_turn(eng, side(active=mon("A-001")), side(active=mon("D-001"), hand=[c],
                                                                         deck=[d for d in cards if d != c]))
                           for c in cards]


def test_no_points_on_a_knocked_out_trigger():
    ghost = poke("R-001", "Ghost", ability=ir.Triggered(trigger=ir.Trigger(event="knocked_out"),
                                                       steps=(ir.NoPoints(),)))
    eng = make(ghost, attacker(base=200))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("R-001"), bench=[mon("D-001")]))
    # "If this Pokémon is Knocked Out, your opponent can't get any points for it."
    assert view(after) == after_turn(eng, side(active=mon("A-001")), side(active=mon("D-001"), discard=["R-001"]))


def test_tool_trainer_with_triggered_effect_and_item_with_random_target():
    bomb = trainer("I-009", "Bomb", "item", ir.TrainerEffect(steps=(ir.Damage(
        amount=C(value=10), target=ir.RandomPokemon(among=OPP_BENCH), by_attack=False),)))
    eng = make(bomb)
    s = board(eng, side(active=mon("D-001"), hand=["I-009"]), side(active=mon("D-001"), bench=[mon("D-003")]))
    # "Do 10 damage to 1 of your opponent's Benched Pokémon chosen at random." (only one)
    after = eng.step(s, eng.layout.play(0), 1)
    assert view(after) == view(board(eng, side(active=mon("D-001"), discard=["I-009"]),
                                     side(active=mon("D-001"), bench=[mon("D-003", damage=10)])))


def test_move_energy_between_your_pokemon_by_ability_as_often_as_you_like():
    ab = ir.Activated(once=False, steps=(ir.MoveEnergy(energy=ir.EnergySel(count=1, energy_type="Water"),
                                                       source=ir.Choose(among=YOUR_BENCH), target=THIS),))
    eng = make(poke("A-001", "Attacker", ability=ab))
    s = board(eng, side(active=mon("A-001"), bench=[mon("D-001", energy="WW")]), side(active=mon("D-001")))
    # "As often as you like during your turn, you may move a [W] Energy from 1 of your Benched Pokémon to this."
    s = eng.step(eng.step(s, eng.layout.ability(0), 1), eng.layout.ability(0), 2)
    assert view(s) == view(board(eng, side(active=mon("A-001", energy="WW", ability_used=True), bench=[mon("D-001")]),
                                 side(active=mon("D-001"))))


def test_count_at_least_condition():
    # "If you have 2 or more Benched Pokémon, this attack does 50 more damage."
    eng = make(attacker(ir.If(condition=ir.CountAtLeast(count=ir.PokemonCount(among=YOUR_BENCH), value=2),
                              then=(ir.AttackDamage(mode="more", amount=C(value=50)),)), base=10))
    for n, dmg in ((1, 10), (2, 60)):
        after = attack(eng, side(active=mon("A-001"), bench=[mon("D-001")] * n), side(active=mon("D-001")))
        assert view(after) == after_turn(eng, side(active=mon("A-001"), bench=[mon("D-001")] * n),
                                         side(active=mon("D-001", damage=dmg)))


def test_draw_until_a_hand_size():
    # "Draw cards until you have 5 cards in your hand."
    eng = make(attacker(ir.DrawUntil(size=5)))
    after = attack(eng, side(active=mon("A-001"), hand=["T-101"] * 2, deck=["T-001"] * 6), side(active=mon("D-001")))
    assert view(after) == after_turn(eng, side(active=mon("A-001"), hand=["T-101"] * 2 + ["T-001"] * 3,
                                               deck=["T-001"] * 3), side(active=mon("D-001")))


def test_move_one_energy_lets_the_owner_pick_the_type():
    # Dawn: "Move an Energy from 1 of your Benched Pokémon to your Active Pokémon."
    dawn = trainer("X-003", "Dawn", "supporter", ir.TrainerEffect(steps=(ir.MoveEnergy(
        energy=ir.EnergySel(count=1), source=ir.Choose(among=YOUR_BENCH), target=ir.Active(player="you")),)))
    eng = make(dawn)
    s = board(eng, side(active=mon("D-001"), bench=[mon("D-001", energy="GW")], hand=["X-003"]),
              side(active=mon("D-001")))
    mid = eng.step(s, eng.layout.play(0), 1)
    assert mid.pending.kind == "energy" and mid.pending.options == [0, 2]
    after = eng.step(mid, eng.layout.choose(1), 1)
    exp = board(eng, side(active=mon("D-001", energy="W"), bench=[mon("D-001", energy="G")], discard=["X-003"],
                          supporters_played=1), side(active=mon("D-001")))
    assert view(after) == view(exp)


def test_asleep_replaces_paralyzed_and_poisoned_stays():
    # "Your opponent's Active Pokémon is now Asleep." Asleep replaces Paralyzed; Poisoned stacks (10 at checkup)
    eng = make(attacker(ir.ApplyCondition(target=OPP_ACTIVE, conditions=("Asleep",))))
    key = next(k for k in range(1, 300) if not coin(k, Addr.CHECKUP_SLEEP + 1, 3))  # tails: stays Asleep
    after = attack(eng, side(active=mon("A-001")), side(active=mon("D-001", conditions=("Paralyzed", "Poisoned"))),
                   key)
    assert view(after) == after_turn(eng, side(active=mon("A-001")),
                                     side(active=mon("D-001", damage=10, conditions=("Asleep", "Poisoned"))))


def test_recoil_knockout_scores_for_the_opponent_too():
    # 100 "This Pokémon also does 20 damage to itself." Both Actives are Knocked Out: each side scores 1 and
    # promotes its only Benched Pokémon.
    eng = make(attacker(ir.Damage(amount=C(value=20), target=THIS), base=100))
    after = attack(eng, side(active=mon("A-001", damage=80), bench=[mon("D-003")]),
                   side(active=mon("D-001"), bench=[mon("D-004")]))
    assert view(after) == after_turn(eng, side(active=mon("D-003"), discard=["A-001"], points=1),
                                     side(active=mon("D-004"), discard=["D-001"], points=1))


def test_a_trainer_is_discarded_before_its_effect():
    # "Draw a card for each Supporter card in your discard pile." The played Supporter is already there: draws 1
    card = trainer("X-004", "Counter", "supporter", ir.TrainerEffect(steps=(ir.Draw(amount=ir.Per(
        each=1, count=ir.CardCount(player="you", zone="discard", filter=ir.CardFilter(kind="supporter")))),)))
    eng = make(card)
    s = board(eng, side(active=mon("D-001"), hand=["X-004"], deck=["T-101", "T-102"]), side(active=mon("D-001")))
    after = eng.step(s, eng.layout.play(0), 1)
    assert view(after) == view(board(eng, side(active=mon("D-001"), hand=["T-101"], deck=["T-102"],
                                               discard=["X-004"], supporters_played=1), side(active=mon("D-001"))))


def test_a_card_returning_to_a_full_hand_goes_to_the_discard_pile():
    # "Put this Pokémon and all attached cards into your hand." With 9 cards in hand only one more fits
    # (docs/rules.md: a card that would return to a full hand goes to the discard pile).
    eng = make(attacker(ir.ReturnPokemon(target=THIS, to="hand")))
    hand = ["T-101"] * 9
    after = attack(eng, side(active=mon("T-001", "A-001"), bench=[mon("D-001")], hand=hand), side(active=mon("D-001")))
    assert view(after) in [after_turn(eng, side(active=mon("D-001"), hand=hand + [a], discard=[b]),
                                      side(active=mon("D-001")))
                           for a, b in (("T-001", "A-001"), ("A-001", "T-001"))]


def test_evolving_ends_lasting_effects_on_the_pokemon():
    # "During your opponent's next turn, the Defending Pokémon can't attack." Evolving it ends the effect.
    eng = make(attacker(ir.Lasting(duration="opponent_next_turn", modifier=ir.CantAttack(target=ir.Defending()))))
    s = attack(eng, side(active=mon("A-001")), side(active=mon("T-001", energy="LLL"), hand=["T-002"]))
    after = eng.step(s, eng.layout.play_on(0, 0), 1)
    assert view(after) == view(board(eng, side(active=mon("A-001")), side(active=mon("T-001", "T-002", energy="LLL"),
                                                                          current="G", next="G"),
                                     turn=4, turn_player=1))
    assert eng.layout.attack(0) in eng.legal_actions(after)  # Raichu may use Bolt (LLC)


def test_damage_order_dealt_then_weakness_then_taken():
    # docs/rules.md "Damage": +DamageDealt (-10), then Weakness (+20), then DamageTaken (-20): 40 - 10 + 20 - 20
    weak_shield = poke("P-002", "Weak Shield", weakness="Colorless", ability=ir.Passive(modifiers=(
        ir.DamageTaken(target=THIS, delta=-20),)))
    eng = make(weak_shield, attacker(ir.Lasting(duration="this_turn", modifier=ir.DamageDealt(attacker=THIS,
                                                                                               delta=-10),),
                        base=40, damage_at=1))  # the effect first, then the damage
    after = attack(eng, side(active=mon("A-001")), side(active=mon("P-002")))
    assert view(after) == after_turn(eng, side(active=mon("A-001")), side(active=mon("P-002", damage=30)))


@pytest.mark.parametrize("base,dmg", [(30, 0), (40, 40)])
def test_prevent_damage_at_most(base, dmg):
    # "Prevent all damage done to this Pokémon by attacks if that damage is 30 or less."
    guard = poke("P-003", "Guard", ability=ir.Passive(modifiers=(ir.PreventDamage(target=THIS, at_most=30),)))
    eng = make(guard, attacker(base=base))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("P-003")))
    assert view(after) == after_turn(eng, side(active=mon("A-001")), side(active=mon("P-003", damage=dmg)))


def test_damage_dealt_reduction_never_below_zero():
    # 10 "During your next turn ... attacks do -30 damage" style: 10 - 30 is 0, not negative
    eng = make(poke("P-004", "Weakened", ability=ir.Passive(modifiers=(ir.DamageDealt(attacker=THIS, delta=-30),)),
                    attacks=[atk("Tap", "", 10)]))
    s = board(eng, side(active=mon("P-004")), side(active=mon("D-001", damage=20)))
    after = eng.step(s, eng.layout.attack(0), 1)
    assert view(after) == after_turn(eng, side(active=mon("P-004")), side(active=mon("D-001", damage=20)))


def test_discarding_a_hp_tool_knocks_out_a_pokemon_whose_damage_reaches_its_hp():
    # "Discard all Pokémon Tools from your opponent's Active Pokémon." Pikachu (60 HP) had 70 damage under Giant Cape
    # (+20 HP): without it the damage reaches its HP and it is Knocked Out.
    eng = make(attacker(ir.DiscardTools(target=OPP_ACTIVE)))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("T-001", damage=70, tools=["T-103"]),
                                                        bench=[mon("D-001")]))
    assert view(after) == after_turn(eng, side(active=mon("A-001"), points=1),
                                     side(active=mon("D-001"), discard=["T-001", "T-103"]))


def test_both_promotions_are_asked_non_turn_player_first():
    # Both Actives Knocked Out (recoil), each with two Benched Pokémon: the non-turn player chooses first
    eng = make(attacker(ir.Damage(amount=C(value=20), target=THIS), base=100))
    mid = attack(eng, side(active=mon("A-001", damage=80), bench=[mon("D-003"), mon("D-004")]),
                 side(active=mon("D-001"), bench=[mon("D-003"), mon("D-004")]))
    assert (mid.current_player, mid.pending.kind) == (1, "promote")
    mid = eng.step(mid, eng.layout.choose(1), 1)  # player 1 promotes Weakling
    assert (mid.current_player, mid.pending.kind) == (0, "promote")
    after = eng.step(mid, eng.layout.choose(0), 1)  # player 0 promotes Leafy
    # (Leafy leaves its Bench spot empty: Bench spots are not reordered)
    assert view(after) == after_turn(eng, side(active=mon("D-003"), bench=[None, mon("D-004")], discard=["A-001"],
                                               points=1),
                                     side(active=mon("D-004"), bench=[mon("D-003")], discard=["D-001"], points=1))


def test_ability_damage_knockout_scores_and_needs_no_attack():
    # "Once during your turn, you may do 20 damage to your opponent's Active Pokémon." A knockout scores 1 for you
    # and your turn goes on.
    ab = ir.Activated(steps=(ir.Damage(amount=C(value=20), target=OPP_ACTIVE, by_attack=False),))
    eng = make(poke("A-001", "Attacker", ability=ab))
    s = board(eng, side(active=mon("A-001")), side(active=mon("D-001", damage=90), bench=[mon("D-003")]))
    after = eng.step(s, eng.layout.ability(0), 1)
    assert view(after) == view(board(eng, side(active=mon("A-001", ability_used=True), points=1),
                                     side(active=mon("D-003"), discard=["D-001"])))


def test_prevent_effects_stops_being_switched_out():
    # "Prevent all effects of attacks used by your opponent's Pokémon done to this Pokémon." (docs/rules.md: it stops
    # being switched out) Gust: "Switch in 1 of your opponent's Benched Pokémon to the Active Spot." does nothing.
    shield = poke("P-005", "Shielded", ability=ir.Passive(modifiers=(ir.PreventEffects(target=THIS),)))
    eng = make(shield, attacker(ir.Switch(player="opponent", new_active=ir.Choose(among=OPP_BENCH)), base=10))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("P-005"), bench=[mon("D-001")]))
    assert view(after) == after_turn(eng, side(active=mon("A-001")),
                                     side(active=mon("P-005", damage=10), bench=[mon("D-001")]))


def test_move_damage_can_knock_out():
    # "Move 30 damage from this Pokémon to your opponent's Active Pokémon." Dummy had 80: Knocked Out
    eng = make(attacker(ir.MoveDamage(amount=C(value=30), source=THIS, target=OPP_ACTIVE)))
    after = attack(eng, side(active=mon("A-001", damage=50)), side(active=mon("D-001", damage=80),
                                                                   bench=[mon("D-003")]))
    assert view(after) == after_turn(eng, side(active=mon("A-001", damage=20), points=1),
                                     side(active=mon("D-003"), discard=["D-001"]))


def test_an_attack_returning_your_only_pokemon_is_not_legal():
    # "Put this Pokémon and all attached cards into your hand." With no Benched Pokémon it would leave you with no
    # Pokémon in play: the attack can't be used (docs/rules.md). With one, it is promoted.
    eng = make(attacker(ir.ReturnPokemon(target=THIS, to="hand")))
    s = board(eng, side(active=mon("A-001", energy="G")), side(active=mon("D-001")))
    assert eng.layout.attack(0) not in eng.legal_actions(s)
    after = attack(eng, side(active=mon("A-001", energy="G"), bench=[mon("D-003")]), side(active=mon("D-001")))
    assert view(after) == after_turn(eng, side(active=mon("D-003"), hand=["A-001"], discard_energy="G"),
                                     side(active=mon("D-001")))


def test_heal_never_below_zero_and_knockout_at_exactly_hp():
    # "Heal 50 damage from this Pokémon." with 20 damage: 0. 30 more damage on 70: exactly its 100 HP, Knocked Out.
    eng = make(attacker(ir.Heal(amount=C(value=50), target=THIS), base=30))
    after = attack(eng, side(active=mon("A-001", damage=20)), side(active=mon("D-001", damage=70),
                                                                   bench=[mon("D-003")]))
    assert view(after) == after_turn(eng, side(active=mon("A-001"), points=1),
                                     side(active=mon("D-003"), discard=["D-001"]))


def test_evolve_from_deck_on_the_chosen_pokemon_keeps_damage_and_energy():
    # "Choose 1 of your Pokémon in play. Find a card that evolves from it in your deck and use it to evolve that
    # Pokémon." Evolving keeps damage and Energy.
    eng = make(attacker(ir.EvolveFromDeck(target=ir.Choose(among=ir.Among(player="you")))))
    mid = attack(eng, side(active=mon("A-001"), bench=[mon("T-001", damage=10, energy="L")],
                           deck=["T-002", "T-101"]), side(active=mon("D-001")))
    assert mid.pending.options == [0, 1]  # any of your Pokémon (choosing one with no evolution finds nothing)
    after = eng.step(mid, eng.layout.choose(1), 1)
    assert view(after) == after_turn(eng, side(active=mon("A-001"), bench=[mon("T-001", "T-002", damage=10,
                                                                                  energy="L")], deck=["T-101"]),
                                     side(active=mon("D-001")))


def test_self_paralysis_lasts_through_your_next_turn():
    # 10 "This Pokémon is now Paralyzed." Applied during turn 3: still Paralyzed in turn 5 (its owner's next turn),
    # removed at the checkup after turn 5.
    eng = make(attacker(ir.ApplyCondition(target=THIS, conditions=("Paralyzed",)), base=10))
    s = attack(eng, side(active=mon("A-001")), side(active=mon("D-001")))
    assert view(s) == after_turn(eng, side(active=mon("A-001", conditions=("Paralyzed",))),
                                 side(active=mon("D-001", damage=10)))
    s = eng.step(s, eng.layout.end_turn(), 1)
    assert view(s) == turn_five(eng, side(active=mon("A-001", conditions=("Paralyzed",))),
                                side(active=mon("D-001", damage=10)))
    assert eng.layout.attack(0) not in eng.legal_actions(s)
    s = eng.step(s, eng.layout.end_turn(), 1)
    exp = board(eng, side(active=mon("A-001"), current="G", next="G"),
                side(active=mon("D-001", damage=10), current="G", next="G"), turn=6, turn_player=1)
    assert view(s) == view(exp)


def test_bench_knockout_by_attack_scores_without_promotion():
    # 10 "This attack also does 20 damage to each of your opponent's Benched Pokémon." Dummy ex on the Bench with
    # 80 damage is Knocked Out: 2 points; the Active stays.
    eng = make(attacker(ir.Damage(amount=C(value=20), target=ir.Each(among=OPP_BENCH)), base=10))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("D-001"), bench=[mon("D-002", damage=80,
                                                                                          energy="R")]))
    assert view(after) == after_turn(eng, side(active=mon("A-001"), points=2),
                                     side(active=mon("D-001", damage=10), discard=["D-002"], discard_energy="R"))


def test_evolving_makes_the_ability_usable_again():
    # docs/rules.md: evolving "makes its Ability usable again this turn"
    evo = poke("E-001", "Evo", stage="stage1", evolves_from="Attacker",
               ability=ir.Activated(steps=(ir.Draw(amount=C(value=1)),)))
    eng = make(evo, attacker(base=10))
    s = board(eng, side(active=mon("A-001", ability_used=True), hand=["E-001"], deck=["T-101"]),
              side(active=mon("D-001")))
    s = eng.step(s, eng.layout.play_on(0, 0), 1)
    assert view(s) == view(board(eng, side(active=mon("A-001", "E-001"), deck=["T-101"]), side(active=mon("D-001"))))
    s = eng.step(s, eng.layout.ability(0), 1)  # "Draw a card."
    assert view(s) == view(board(eng, side(active=mon("A-001", "E-001", ability_used=True), hand=["T-101"]),
                                 side(active=mon("D-001"))))


def test_a_search_into_a_full_hand_stops():
    # "Put 1 random Pokémon from your deck into your hand." With 10 cards in hand nothing moves (hand_limit).
    eng = make(attacker(ir.Fetch(filter=ir.CardFilter(kind="pokemon"))))
    after = attack(eng, side(active=mon("A-001"), hand=["T-101"] * 10, deck=["D-001"]), side(active=mon("D-001")))
    assert view(after) == after_turn(eng, side(active=mon("A-001"), hand=["T-101"] * 10, deck=["D-001"]),
                                     side(active=mon("D-001")))


def test_fetch_to_a_full_bench_leaves_the_card_in_the_deck():
    # "Put 1 random Basic Pokémon from your deck onto your Bench." With 3 Benched Pokémon (bench_size 3) it stays.
    eng = make(attacker(ir.Fetch(filter=ir.CardFilter(kind="pokemon"), to="bench")))
    full = [mon("D-001")] * 3
    after = attack(eng, side(active=mon("A-001"), bench=full, deck=["D-003"]), side(active=mon("D-001")))
    assert view(after) == after_turn(eng, side(active=mon("A-001"), bench=full, deck=["D-003"]),
                                     side(active=mon("D-001")))


def test_hit_back_trigger_can_knock_out_the_attacker_too():
    # "If this Pokémon is in the Active Spot and is Knocked Out by damage from an attack, do 50 damage to the
    # Attacking Pokémon." Both are Knocked Out: each side scores 1 and promotes.
    hit_back = poke("R-003", "Avenger", ability=ir.Triggered(
        trigger=ir.Trigger(event="knocked_out_by_attack", while_active=True),
        steps=(ir.Damage(amount=C(value=50), target=ir.Attacking(), by_attack=False),)))
    eng = make(hit_back, attacker(base=100))
    after = attack(eng, side(active=mon("A-001", damage=60), bench=[mon("D-003")]),
                   side(active=mon("R-003"), bench=[mon("D-001")]))
    assert view(after) == after_turn(eng, side(active=mon("D-003"), discard=["A-001"], points=1),
                                     side(active=mon("D-001"), discard=["R-003"], points=1))


def test_rocky_helmet_still_hits_when_its_holder_is_knocked_out():
    # Rocky Helmet: "... is damaged by an attack ..., do 20 damage to the Attacking Pokémon." (docs/rules.md:
    # damaged_by_attack also when Knocked Out). Both Knocked Out; the Tool goes with its holder.
    helmet = trainer("H-001", "Rocky Helmet", "tool", ir.Tool(effects=(ir.Triggered(
        trigger=ir.Trigger(event="damaged_by_attack", while_active=True),
        steps=(ir.Damage(amount=C(value=20), target=ir.Attacking(), by_attack=False),)),)))
    eng = make(helmet, attacker(base=30))
    after = attack(eng, side(active=mon("A-001", damage=90), bench=[mon("D-003")]),
                   side(active=mon("D-001", damage=90, tools=["H-001"]), bench=[mon("D-004")]))
    assert view(after) == after_turn(eng, side(active=mon("D-003"), discard=["A-001"], points=1),
                                     side(active=mon("D-004"), discard=["D-001", "H-001"], points=1))


def test_lasting_effects_on_a_knocked_out_pokemon_end():
    # "Your opponent's Active Pokémon is now Poisoned. During your opponent's next turn, the Defending Pokémon can't
    # attack." The poison knocks it out at the checkup: the effect leaves with it (docs/rules.md).
    eng = make(attacker(ir.ApplyCondition(target=OPP_ACTIVE, conditions=("Poisoned",)),
                        ir.Lasting(duration="opponent_next_turn", modifier=ir.CantAttack(target=ir.Defending()))))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("D-001", damage=90), bench=[mon("D-003")]))
    assert view(after) == after_turn(eng, side(active=mon("A-001"), points=1),
                                     side(active=mon("D-003"), discard=["D-001"]))


def test_energy_attached_trigger_ignores_effects_that_attach():
    # "Whenever you attach an Energy from your Energy Zone to this Pokémon, it is now Asleep." docs/rules.md: only
    # the Energy Zone attachment action, not an Item that attaches ("Take a [G] Energy ... attach it to your
    # Active Pokémon.")
    sleepy = poke("R-004", "Sleepy", ability=ir.Triggered(trigger=ir.Trigger(event="energy_attached"),
                                                          steps=(ir.ApplyCondition(target=THIS,
                                                                                   conditions=("Asleep",)),)))
    item = trainer("X-005", "Charger", "item", ir.TrainerEffect(steps=(ir.AttachEnergy(
        energy=(ir.EnergySel(energy_type="Grass"),), target=ir.Active(player="you")),)))
    eng = make(sleepy, item)
    s = board(eng, side(active=mon("R-004"), hand=["X-005"]), side(active=mon("D-001")))
    after = eng.step(s, eng.layout.play(0), 1)
    assert view(after) == view(board(eng, side(active=mon("R-004", energy="G"), discard=["X-005"]),
                                     side(active=mon("D-001"))))


# --- `That` bound to the subject of a trigger, a requirement or a condition -------------------------------------

LUM_BERRY = trainer("A2-149", "Lum Berry", "tool", ir.Tool(effects=(ir.Triggered(
    trigger=ir.Trigger(event="end_of_turn", each_turn=True),
    requirement=ir.Matches(target=ir.ToolHolder(), filters=(ir.HasCondition(),)),
    steps=(ir.Recover(target=ir.That()), ir.DiscardTools(target=ir.ToolHolder()))),)))
LEFTOVERS = trainer("A3b-067", "Leftovers", "tool", ir.Tool(effects=(ir.Triggered(
    trigger=ir.Trigger(event="end_of_turn", while_active=True),
    steps=(ir.Heal(amount=C(value=10), target=ir.That()),)),)))


def test_lum_berry_cures_its_holder_and_discards_itself():
    # Lum Berry (A2-149): "At the end of each turn, if the Pokémon this card is attached to is affected by any
    # Special Conditions, it recovers from all of them, and discard this card." Yours (Poisoned and Asleep) and your
    # opponent's (Confused, at the end of your turn too) recover before the checkup; a holder without a Special
    # Condition keeps its Lum Berry.
    eng = make(LUM_BERRY)
    s = board(eng, side(active=mon("D-001", conditions=("Asleep", "Poisoned"), tools=["A2-149"]),
                        bench=[mon("D-001", tools=["A2-149"])]),
              side(active=mon("D-001", conditions=("Confused",), tools=["A2-149"])))
    after = eng.step(s, eng.layout.end_turn(), 1)
    assert view(after) == after_turn(eng, side(active=mon("D-001"), bench=[mon("D-001", tools=["A2-149"])],
                                               discard=["A2-149"]),
                                     side(active=mon("D-001"), discard=["A2-149"]))


def test_leftovers_heals_its_active_holder():
    # Leftovers (A3b-067): "At the end of your turn, if the Pokémon this card is attached to is in the Active Spot,
    # heal 10 damage from that Pokémon." The Benched holder is not healed, nor the opponent's at your turn's end.
    eng = make(LEFTOVERS)
    s = board(eng, side(active=mon("D-001", damage=30, tools=["A3b-067"]),
                        bench=[mon("D-001", damage=30, tools=["A3b-067"])]),
              side(active=mon("D-001", damage=30, tools=["A3b-067"])))
    after = eng.step(s, eng.layout.end_turn(), 1)
    assert view(after) == after_turn(eng, side(active=mon("D-001", damage=20, tools=["A3b-067"]),
                                               bench=[mon("D-001", damage=30, tools=["A3b-067"])]),
                                     side(active=mon("D-001", damage=30, tools=["A3b-067"])))


def test_an_abilitys_end_of_turn_that_is_the_pokemon_with_the_ability():
    # "At the end of your turn, if this Pokémon is in the Active Spot, heal 20 damage from it."
    eng = make(poke("R-001", "Healer", ability=ir.Triggered(trigger=ir.Trigger(event="end_of_turn", while_active=True),
                                                           steps=(ir.Heal(amount=C(value=20), target=ir.That()),))))
    s = board(eng, side(active=mon("R-001", damage=50)), side(active=mon("D-001", damage=50)))
    after = eng.step(s, eng.layout.end_turn(), 1)
    assert view(after) == after_turn(eng, side(active=mon("R-001", damage=30)), side(active=mon("D-001", damage=50)))


def test_that_in_an_if_is_the_pokemon_the_condition_is_about():
    # Umbreon's Dark Binding (A3b-043), 40: "If the Defending Pokémon is a Basic Pokémon, it can't attack during
    # your opponent's next turn."
    eng = make(attacker(ir.If(condition=ir.Matches(target=ir.Defending(), filters=(ir.StageIs(stage="basic"),)),
                              then=(ir.Lasting(duration="opponent_next_turn",
                                               modifier=ir.CantAttack(target=ir.That())),)), base=40))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("D-001")))
    exp = after_turn(eng, side(active=mon("A-001")), side(active=mon("D-001", damage=40)))
    exp["durations"] = [(1, "D-001", 4, "cant_attack")]
    assert view(after) == exp
    assert not any(eng.layout.decode(a).kind == "attack" for a in eng.legal_actions(after))
    # a Stage 1 Defending Pokémon may still attack
    after = attack(eng, side(active=mon("A-001")), side(active=mon("T-001", "T-002")))
    assert view(after) == after_turn(eng, side(active=mon("A-001")), side(active=mon("T-001", "T-002", damage=40)))


def test_that_in_an_ability_is_the_subject_of_its_requirement():
    # "Once during your turn, if your opponent's Active Pokémon has damage on it, you may make it Poisoned."
    ab = ir.Activated(requirement=ir.Matches(target=OPP_ACTIVE, filters=(ir.Damaged(),)),
                      steps=(ir.ApplyCondition(target=ir.That(), conditions=("Poisoned",)),))
    eng = make(poke("A-001", "Attacker", ability=ab))
    s = board(eng, side(active=mon("A-001")), side(active=mon("D-001", damage=10)))
    after = eng.step(s, eng.layout.ability(0), 1)
    assert view(after) == view(board(eng, side(active=mon("A-001", ability_used=True)),
                                     side(active=mon("D-001", damage=10, conditions=("Poisoned",)))))


def test_on_damaged_that_is_the_damaged_pokemon():
    # "During your opponent's next turn, if this Pokémon is damaged by an attack, heal 20 damage from it."
    eng = make(attacker(ir.Lasting(duration="opponent_next_turn", modifier=ir.OnDamaged(target=THIS, steps=(
        ir.Heal(amount=C(value=20), target=ir.That()),)))))
    s = attack(eng, side(active=mon("A-001")), side(active=mon("T-003", energy="FF")))
    s = eng.step(s, eng.layout.attack(0), 1)  # Onix's Slam: 60, then 20 healed
    assert view(s) == turn_five(eng, side(active=mon("A-001", damage=40)), side(active=mon("T-003", energy="FF")))


def test_a_that_without_an_antecedent_is_a_located_load_time_problem():
    from compiler.diagnostics import SpecError
    from compiler.spec import DeckSpec

    heal_it = ir.Heal(amount=C(value=20), target=ir.That())
    flip_then_bench = (ir.Flip(), ir.If(condition=ir.CoinOutcome(outcome="heads"), then=(
        ir.Damage(amount=C(value=10), target=ir.Choose(among=OPP_BENCH)),)))
    cases = {
        # "Heal 20 damage from it." (nothing before it)
        "A-101": ((heal_it,), "steps[0] (heal): nothing selected before it in its branch"),
        # "Flip a coin. If heads, do 10 damage to 1 of your opponent's Benched Pokémon. Heal 20 damage from it."
        "A-102": (flip_then_bench + (heal_it,), "steps[2] (heal): nothing selected before it in its branch"),
        # "Heal 20 damage from this Pokémon. Flip a coin. If heads, do 10 damage to 1 of your opponent's Benched
        # Pokémon. Heal 20 damage from it." (this Pokémon, or the chosen one?)
        "A-103": ((ir.Heal(amount=C(value=20), target=THIS),) + flip_then_bench + (heal_it,),
                  "steps[3] (heal): the Pokémon it refers to is unclear"),
        # "Knock Out your opponent's Active Pokémon ... heal 20 damage from it" (a Knock Out does not rebind it)
        "A-104": ((ir.Heal(amount=C(value=20), target=THIS), ir.KnockOut(target=OPP_ACTIVE), heal_it),
                  "steps[2] (heal): the Pokémon it refers to is unclear"),
    }
    cards = [poke(cid, f"Bad {cid}", attacks=[atk("Odd", "", 0, *steps)]) for cid, (steps, _) in cases.items()]
    eng = make(*cards)
    for cid, (_, msg) in cases.items():
        info = eng.db[eng.db.by_id[cid]]
        assert not info.executable
        assert len(info.problems) == 1 and info.problems[0].startswith(
            f"attack 'Odd': 'it' / 'that Pokémon' (That) in {msg}"), info.problems
    with pytest.raises(SpecError, match=r"A-102 Bad A-102: attack 'Odd': 'it' / 'that Pokémon' \(That\) in steps"):
        eng.deck_from_spec(DeckSpec(name="d", energy=["Fire"], cards={"A-102": 2, "D-001": 18}))
    # Every `That` these tests use has an antecedent: a trigger's or Tool's subject, a requirement's, a condition's,
    # a Select, the previous step's target, the Pokémon an OnDamaged / OnEnergyAttached effect is about
    ok = make(LUM_BERRY, LEFTOVERS, attacker(ir.If(
        condition=ir.Matches(target=ir.Defending(), filters=(ir.StageIs(stage="basic"),)),
        then=(ir.Lasting(duration="opponent_next_turn", modifier=ir.CantAttack(target=ir.That())),)),
        ir.Select(target=ir.RandomPokemon(among=OPP)), ir.Damage(amount=C(value=10), target=ir.That()),
        ir.Lasting(duration="opponent_next_turn", modifier=ir.OnDamaged(target=THIS, steps=(heal_it,)))))
    assert all(info.executable for info in ok.db.cards), [(i.id, i.problems) for i in ok.db.cards if i.problems]


# --- a lasting DamageDealt is on its attacker -------------------------------------------------------------------

MILTANK = poke("A4a-062", "Miltank", hp=110, type="Colorless", weakness="Fighting", retreat=3, attacks=[atk(
    "Rolling Frenzy", "C", 10, ir.Lasting(duration="until_leaves_active", modifier=ir.DamageDealt(
        attacker=THIS, delta=30, attack_name="Rolling Frenzy")))])


def test_rolling_frenzy_stacks_until_miltank_leaves_the_active_spot():
    # Miltank's Rolling Frenzy (A4a-062), 10: "Until this Pokémon leaves the Active Spot, this Pokémon's Rolling
    # Frenzy attack does +30 damage. This effect stacks." 10, then 40; retreating ends both effects.
    eng = make(MILTANK)
    s = attack(eng, side(active=mon("A4a-062", energy="GGGG"), bench=[mon("D-001")]), side(active=mon("D-001")))
    exp = after_turn(eng, side(active=mon("A4a-062", energy="GGGG"), bench=[mon("D-001")]),
                     side(active=mon("D-001", damage=10)))
    exp["durations"] = [(0, "A4a-062", 10 ** 9, "damage_dealt")]  # on Miltank, no end turn
    assert view(s) == exp
    s = eng.step(eng.step(s, eng.layout.end_turn(), 1), eng.layout.attack(0), 1)
    exp = view(board(eng, side(active=mon("A4a-062", energy="GGGG"), bench=[mon("D-001")], current="G", next="G"),
                     side(active=mon("D-001", damage=10 + 40), current="G", next="G"), turn=6, turn_player=1))
    exp["durations"] = [(0, "A4a-062", 10 ** 9, "damage_dealt")] * 2
    assert view(s) == exp
    s = eng.step(eng.step(s, eng.layout.end_turn(), 1), eng.layout.retreat(1), 1)
    exp = board(eng, side(active=mon("D-001"), bench=[mon("A4a-062", energy="G")], discard_energy="GGG", retreats=1,
                          current="G", next="G"),
                side(active=mon("D-001", damage=50), current="G", next="G"), turn=7, turn_player=0)
    assert view(s) == view(exp)  # no lasting effect left


def test_a_lasting_damage_dealt_on_the_defending_pokemon_ends_when_it_evolves():
    # 10 "During your opponent's next turn, attacks used by the Defending Pokémon do -20 damage." Pikachu evolves
    # into Raichu: the effect ends (docs/rules.md), so Bolt does its full 90.
    eng = make(attacker(ir.Lasting(duration="opponent_next_turn", modifier=ir.DamageDealt(
        attacker=ir.Defending(), delta=-20)), base=10))
    s = attack(eng, side(active=mon("A-001")), side(active=mon("T-001", energy="LLL"), hand=["T-002"]))
    exp = after_turn(eng, side(active=mon("A-001")), side(active=mon("T-001", energy="LLL", damage=10),
                                                          hand=["T-002"]))
    exp["durations"] = [(1, "T-001", 4, "damage_dealt")]  # on the Defending Pokémon
    assert view(s) == exp
    s = eng.step(eng.step(s, eng.layout.play_on(0, 0), 1), eng.layout.attack(0), 1)
    assert view(s) == turn_five(eng, side(active=mon("A-001", damage=90)),
                                side(active=mon("T-001", "T-002", energy="LLL", damage=10)))


# --- "extra" Energy: beyond the whole cost, Colorless included ----------------------------------------------------

BLASTOISE = poke("A1-056", "Blastoise ex", hp=180, type="Water", weakness="Lightning", retreat=3, stage="stage2",
                 evolves_from="Wartortle", ex=True, attacks=[atk("Surf", "WC", 40), atk(
                     "Hydro Bazooka", "WWC", 100, ir.If(condition=ir.Matches(target=THIS, filters=(ir.HasEnergy(
                         energy_type="Water", at_least=2, extra=True),)),
                         then=(ir.AttackDamage(mode="more", amount=C(value=60)),)))])


@pytest.mark.parametrize("energy,dmg", [
    ("WWW", 100),  # exactly the cost
    ("WWWW", 100),  # [W][W] and the [C] paid by Water: 1 extra [W]
    ("WWWWW", 160),  # 2 extra [W]
    ("RWWW", 100),  # Fire pays the [C]: 1 extra [W]
    ("RWWWW", 160),  # Fire pays the [C]: 2 extra [W]
    ("RRWWW", 100),  # the second Fire is extra, but not [W]: 1 extra [W]
])
def test_hydro_bazooka_counts_extra_water_beyond_the_whole_cost(energy, dmg):
    # Blastoise ex's Hydro Bazooka (A1-056), [W][W][C] 100+: "If this Pokémon has at least 2 extra [W] Energy
    # attached, this attack does 60 more damage." (docs/ir.md HasEnergy: the Colorless symbol is paid by the other
    # types' Energy first, then by Water)
    eng = make(BLASTOISE)
    s = board(eng, side(active=mon("A1-056", energy=energy)), side(active=mon("T-005")))
    after = eng.step(s, eng.layout.attack(1), 1)
    assert view(after) == after_turn(eng, side(active=mon("A1-056", energy=energy)),
                                     side(active=mon("T-005", damage=dmg)))


@pytest.mark.parametrize("energy,dmg", [("WW", 10), ("GWW", 10), ("GGWW", 70)])
def test_extra_energy_of_any_type_is_beyond_the_whole_cost(energy, dmg):
    # [W][C] 10: "If this Pokémon has at least 2 extra Energy attached, this attack does 60 more damage."
    eng = make(attacker(ir.If(condition=ir.Matches(target=THIS, filters=(ir.HasEnergy(at_least=2, extra=True),)),
                              then=(ir.AttackDamage(mode="more", amount=C(value=60)),)), base=10, cost="WC"))
    after = attack(eng, side(active=mon("A-001", energy=energy)), side(active=mon("D-001")))
    assert view(after) == after_turn(eng, side(active=mon("A-001", energy=energy)),
                                     side(active=mon("D-001", damage=dmg)))
