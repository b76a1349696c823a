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
