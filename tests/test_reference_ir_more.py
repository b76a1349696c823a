"""Interaction tests of the IR nodes added in IR v2 and v3 (docs/ir.md change log)."""

from __future__ import annotations

from compiler import ir
from compiler.engine_model.rng import Addr, coin
from reference.testing import atk, board, mon, poke, side, trainer, view

from tests.test_reference_ir import OPP, OPP_ACTIVE, OPP_BENCH, THIS, YOUR_BENCH, after_turn, attack, attacker, make

C = ir.Const


def test_damage_ignores_weakness():
    eng = make(poke("A-001", "Attacker", attacks=[atk("Test", "", 30, ir.DamageIgnores(what="weakness"))]))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("D-004")))  # Weakling: weak to Colorless
    assert after.players[1].active.damage == 30


def test_damage_ignores_effects_on_the_defender():
    shield = poke("P-001", "Shielded", ability=ir.Passive(modifiers=(ir.DamageTaken(target=THIS, delta=-20),)))
    eng = make(shield, attacker(ir.DamageIgnores(what="effects"), base=50))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("P-001")))
    assert after.players[1].active.damage == 50


def test_copy_attack_uses_the_chosen_attack():
    eng = make(attacker(ir.CopyAttack(among=ir.Among(player="opponent", zone="active"))))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("T-003")))  # copies Onix's Slam (60)
    assert after.players[1].active.damage == 60


def test_copy_attack_needs_energy():
    eng = make(attacker(ir.CopyAttack(among=ir.Among(player="opponent", zone="active"), needs_energy=True)))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("T-003")))  # Slam needs FF: does nothing
    assert after.players[1].active.damage == 0
    after = attack(eng, side(active=mon("A-001", energy="FF")), side(active=mon("T-003")))
    assert after.players[1].active.damage == 60


def test_discard_pokemon_scores_nothing_and_promotes():
    eng = make(attacker(ir.DiscardPokemon(target=OPP_ACTIVE)))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("D-001", energy="G"), bench=[mon("D-003")]))
    exp = after_turn(eng, side(active=mon("A-001")), side(active=mon("D-003"), discard=["D-001"], discard_energy="G"))
    assert view(after) == exp


def test_survive_knock_out_in_a_would_be_knocked_out_trigger():
    sturdy = poke("R-001", "Sturdy", ability=ir.Triggered(trigger=ir.Trigger(event="would_be_knocked_out"),
                                                         steps=(ir.SurviveKnockOut(hp=10),)))
    eng = make(sturdy, attacker(base=200))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("R-001")))
    assert after.players[1].active.damage == 90 and after.players[0].points == 0


def test_choose_one_runs_the_chosen_option():
    eng = make(attacker(ir.ChooseOne(options=((ir.AttackDamage(mode="more", amount=C(value=40)),),
                                              (ir.Heal(amount=C(value=30), target=THIS),)))))
    mid = attack(eng, side(active=mon("A-001", damage=30)), side(active=mon("D-001")))
    assert mid.pending.kind == "option" and mid.pending.options == [0, 1]
    a = eng.step(mid, eng.layout.choose(0), 1)
    b = eng.step(mid, eng.layout.choose(1), 1)
    assert (a.players[1].active.damage, a.players[0].active.damage) == (40, 30)
    assert (b.players[1].active.damage, b.players[0].active.damage) == (0, 0)


def test_attack_flip_lasting_effect():
    eng = make(attacker(ir.Lasting(duration="opponent_next_turn", modifier=ir.AttackFlip(target=OPP_ACTIVE))))
    s = attack(eng, side(active=mon("A-001")), side(active=mon("D-001")))
    for heads in (True, False):
        key = next(k for k in range(1, 300) if coin(k, Addr.ATTACK_FLIP, 4) == heads)
        after = eng.step(s, eng.layout.attack(0), key)  # Dummy's Tap (10)
        assert after.players[0].active.damage == (10 if heads else 0) and after.turn == 5


def test_at_end_runs_when_the_duration_ends():
    # "At the end of your opponent's next turn, do 90 damage to the Defending Pokémon."
    eng = make(attacker(ir.Lasting(duration="opponent_next_turn", modifier=ir.AtEnd(steps=(
        ir.Damage(amount=C(value=90), target=ir.Defending(), by_attack=False),)))))
    s = attack(eng, side(active=mon("A-001")), side(active=mon("D-001")))
    assert s.players[1].active.damage == 0
    s = eng.step(s, eng.layout.end_turn(), 1)
    assert s.players[1].active.damage == 90 and s.durations == []


def test_cant_attach_energy():
    eng = make(attacker(ir.Lasting(duration="opponent_next_turn", modifier=ir.CantAttachEnergy(
        player="opponent", target=ir.Active(player="opponent")))))
    s = attack(eng, side(active=mon("A-001")), side(active=mon("D-001"), bench=[mon("D-001")]))
    legal = eng.legal_actions(s)
    assert eng.layout.attach_energy(0) not in legal and eng.layout.attach_energy(1) in legal


def test_on_damaged_lasting_effect_hits_the_attacker():
    # "During your opponent's next turn, if this Pokémon is damaged by an attack, do 40 damage to the Attacking
    # Pokémon."
    eng = make(attacker(ir.Lasting(duration="opponent_next_turn", modifier=ir.OnDamaged(target=THIS, steps=(
        ir.Damage(amount=C(value=40), target=ir.Attacking(), by_attack=False),)))))
    s = attack(eng, side(active=mon("A-001")), side(active=mon("D-001")))
    s = eng.step(s, eng.layout.attack(0), 1)
    assert s.players[0].active.damage == 10 and s.players[1].active.damage == 40


def test_lasting_does_not_stack_when_stacks_is_false():
    eff = ir.Lasting(duration="opponent_next_turn", modifier=ir.DamageTaken(target=THIS, delta=-20), stacks=False)
    ab = ir.Activated(once=False, steps=(eff,))
    eng = make(poke("A-001", "Attacker", ability=ab))
    s = board(eng, side(active=mon("A-001")), side(active=mon("D-001")))
    s = eng.step(eng.step(s, eng.layout.ability(0), 1), eng.layout.ability(0), 2)
    assert len(s.durations) == 1


def test_card_in_at_least_and_your_first_turn():
    eng = make(attacker(ir.If(condition=ir.CardIn(zone="hand", filter=ir.CardFilter(), at_least=2),
                              then=(ir.AttackDamage(mode="more", amount=C(value=50)),)), base=10))
    assert attack(eng, side(active=mon("A-001"), hand=["T-101"]), side(active=mon("D-001"))).players[1].active.damage \
        == 10
    assert attack(eng, side(active=mon("A-001"), hand=["T-101"] * 2),
                  side(active=mon("D-001"))).players[1].active.damage == 60
    eng = make(attacker(ir.If(condition=ir.History(event="your_first_turn"),
                              then=(ir.AttackDamage(mode="more", amount=C(value=50)),)), base=10))
    s = board(eng, side(active=mon("A-001"), turns_taken=1), side(active=mon("D-001")), turn=1)
    assert eng.step(s, eng.layout.attack(0), 1).players[1].active.damage == 60


def test_damage_done_counts_the_main_damage_after_weakness():
    # "Heal from this Pokémon the same amount of damage you did to your opponent's Active Pokémon."
    eng = make(attacker(ir.Heal(amount=ir.Per(each=1, count=ir.DamageDone()), target=THIS), base=30))
    after = attack(eng, side(active=mon("A-001", damage=60)), side(active=mon("D-004")))  # 30 + 20 weakness
    assert after.players[0].active.damage == 10 and after.players[1].active.damage == 50


def test_attack_uses_counts_earlier_uses():
    # "This attack does 20 more damage for each time your Pokémon used Test during this game."
    eng = make(attacker(ir.AttackDamage(mode="more", amount=ir.Per(each=20, count=ir.AttackUses(name="Test"))),
                        base=10))
    s = board(eng, side(active=mon("A-001")), side(active=mon("D-001", damage=0)))
    s.players[0].attack_uses["Test"] = 2
    after = eng.step(s, eng.layout.attack(0), 1)
    assert after.players[1].active.damage == 50 and after.players[0].attack_uses["Test"] == 3


def test_points_to_win_count():
    eng = make(attacker(ir.AttackDamage(mode="set", amount=ir.Per(each=10, count=ir.PointsToWin(player="you")))))
    after = attack(eng, side(active=mon("A-001"), points=1), side(active=mon("D-001")))
    assert after.players[1].active.damage == 20


def test_cant_evolve():
    eng = make(attacker(ir.Lasting(duration="opponent_next_turn", modifier=ir.CantEvolve(
        player="opponent", target=ir.Each(among=OPP)))))
    s = attack(eng, side(active=mon("A-001")), side(active=mon("T-001"), hand=["T-002"]))
    assert not any(eng.layout.decode(a).kind == "play_on" for a in eng.legal_actions(s))


def test_on_energy_attached_lasting_effect():
    # "During your opponent's next turn, whenever they attach an Energy from their Energy Zone to the Defending
    # Pokémon, do 20 damage to it."
    eng = make(attacker(ir.Lasting(duration="opponent_next_turn", modifier=ir.OnEnergyAttached(
        target=ir.Defending(), steps=(ir.Damage(amount=C(value=20), target=ir.That(), by_attack=False),)))))
    s = attack(eng, side(active=mon("A-001")), side(active=mon("D-001")))
    after = eng.step(s, eng.layout.attach_energy(0), 1)
    assert after.players[1].active.damage == 20 and after.players[1].active.energy[0] == 1


def test_shuffle_deck_keeps_the_cards():
    eng = make(attacker(ir.ShuffleDeck(player="opponent")))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("D-001"), deck=["T-001", "T-002", "T-003"]))
    v = view(after)["players"][1]
    assert sorted(v["deck"] + v["hand"]) == ["T-001", "T-002", "T-003"] and len(v["hand"]) == 1


def test_no_points_on_a_knocked_out_trigger():
    ghost = poke("R-001", "Ghost", ability=ir.Triggered(trigger=ir.Trigger(event="knocked_out"),
                                                       steps=(ir.NoPoints(),)))
    eng = make(ghost, attacker(base=200))
    after = attack(eng, side(active=mon("A-001")), side(active=mon("R-001"), bench=[mon("D-001")]))
    assert after.players[0].points == 0 and view(after)["players"][1]["discard"] == ["R-001"]


def test_tool_trainer_with_triggered_effect_and_item_with_random_target():
    bomb = trainer("I-009", "Bomb", "item", ir.TrainerEffect(steps=(ir.Damage(
        amount=C(value=10), target=ir.RandomPokemon(among=OPP_BENCH), by_attack=False),)))
    eng = make(bomb)
    s = board(eng, side(active=mon("D-001"), hand=["I-009"]), side(active=mon("D-001"), bench=[mon("D-003")]))
    after = eng.step(s, eng.layout.play(0), 1)
    assert after.players[1].slots[1].damage == 10 and view(after)["players"][0]["discard"] == ["I-009"]


def test_move_energy_between_your_pokemon_by_ability_as_often_as_you_like():
    ab = ir.Activated(once=False, steps=(ir.MoveEnergy(energy=ir.EnergySel(count=1, energy_type="Water"),
                                                       source=ir.Choose(among=YOUR_BENCH), target=THIS),))
    eng = make(poke("A-001", "Attacker", ability=ab))
    s = board(eng, side(active=mon("A-001"), bench=[mon("D-001", energy="WW")]), side(active=mon("D-001")))
    s = eng.step(eng.step(s, eng.layout.ability(0), 1), eng.layout.ability(0), 2)
    assert view(s)["players"][0]["slots"][0]["energy"] == "WW"


def test_count_at_least_condition():
    # "If you have 2 or more Benched Pokémon, this attack does 50 more damage."
    eng = make(attacker(ir.If(condition=ir.CountAtLeast(count=ir.PokemonCount(among=YOUR_BENCH), value=2),
                              then=(ir.AttackDamage(mode="more", amount=C(value=50)),)), base=10))
    one = attack(eng, side(active=mon("A-001"), bench=[mon("D-001")]), side(active=mon("D-001")))
    two = attack(eng, side(active=mon("A-001"), bench=[mon("D-001")] * 2), side(active=mon("D-001")))
    assert (one.players[1].active.damage, two.players[1].active.damage) == (10, 60)


def test_draw_until_a_hand_size():
    # "Draw cards until you have 5 cards in your hand."
    eng = make(attacker(ir.DrawUntil(size=5)))
    after = attack(eng, side(active=mon("A-001"), hand=["T-101"] * 2, deck=["T-001"] * 6), side(active=mon("D-001")))
    assert len(after.players[0].hand) == 5 and len(after.players[0].deck) == 3


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
