"""Pinned IR: the exact IR of real effect texts (tests/data/ir/pinned.jsonl, each with its canonical rendering
for review), hand-written IR for key texts, and near-miss texts that must stay Unresolved."""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import pytest

from compiler import ir
from compiler.parse import parse_effect
from compiler.render import render

DATA = Path(__file__).parent / "data" / "ir"
PINNED = [json.loads(line) for line in (DATA / "pinned.jsonl").read_text(encoding="utf-8").splitlines()]
NEAR_MISS = [json.loads(line) for line in (DATA / "near_miss.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("case", PINNED, ids=lambda c: c["text"][:60])
def test_pinned_ir(case):
    node = parse_effect(case["text"], case["kind"])
    assert node.model_dump(mode="json") == case["ir"]
    assert render(node, case["kind"]) == case["canonical"]


@pytest.mark.parametrize("case", NEAR_MISS, ids=lambda c: c["text"][:60])
def test_near_miss_stays_unresolved(case):
    node = parse_effect(case["text"], case["kind"])
    assert isinstance(node, ir.Unresolved), render(node, case["kind"])
    assert node.text == case["text"] and node.reason


def test_enough_cases():
    assert len(PINNED) >= 150 and len(NEAR_MISS) >= 40


def test_pinned_cases_cover_every_node_kind():
    seen = set()
    for case in PINNED:
        seen |= {type(n) for n in ir.iter_nodes(ir.TOP_ADAPTER.validate_python(case["ir"]))}
    seen |= {type(n) for n in ir.iter_nodes([parse_effect(c, k) for k, c in HANDWRITTEN_TEXTS])}
    every = {c for c in vars(ir).values() if inspect.isclass(c) and issubclass(c, ir.Node) and c is not ir.Node}
    missing = every - seen - {ir.CardIR, ir.CardAttack, ir.Unresolved}  # those have their own tests
    assert not missing, sorted(m.__name__ for m in missing)


T, OPP_ACTIVE, HEADS = ir.ThisPokemon(), ir.Active(player="opponent"), ir.Heads()
C = lambda v: ir.Const(value=v)  # noqa: E731

HANDWRITTEN = [
    ("attack", "Flip 2 coins. This attack does 20 damage for each heads.",
     ir.Attack(steps=(ir.Flip(count=C(2)), ir.AttackDamage(mode="set", amount=ir.Per(each=20, count=HEADS))))),
    ("attack", "Flip a coin. If heads, this attack does 30 more damage.",
     ir.Attack(steps=(ir.Flip(), ir.If(condition=ir.CoinOutcome(outcome="heads"),
                                       then=(ir.AttackDamage(mode="more", amount=C(30)),))))),
    ("attack", "Flip a coin. If tails, this attack does nothing.",
     ir.Attack(steps=(ir.Flip(), ir.If(condition=ir.CoinOutcome(outcome="tails"), then=(ir.AttackDoesNothing(),))))),
    ("attack", "Your opponent's Active Pokémon is now Poisoned and Burned.",
     ir.Attack(steps=(ir.ApplyCondition(target=OPP_ACTIVE, conditions=("Poisoned", "Burned")),))),
    ("attack", "Heal 30 damage from this Pokémon.", ir.Attack(steps=(ir.Heal(amount=C(30), target=T),))),
    ("attack", "This attack also does 20 damage to 1 of your opponent's Benched Pokémon.",
     ir.Attack(steps=(ir.Damage(amount=C(20), target=ir.Choose(count=1, among=ir.Among(player="opponent",
                                                                                         zone="bench"))),))),
    ("attack", "This Pokémon also does 30 damage to itself.", ir.Attack(steps=(ir.Damage(amount=C(30), target=T),))),
    ("attack", "Discard 2 [R] Energy from this Pokémon.",
     ir.Attack(steps=(ir.DiscardEnergy(target=T, energy=(ir.EnergySel(count=2, energy_type="Fire"),)),))),
    ("attack", "Take a [G] Energy from your Energy Zone and attach it to 1 of your Benched [G] Pokémon.",
     ir.Attack(steps=(ir.AttachEnergy(energy=(ir.EnergySel(energy_type="Grass"),), target=ir.Choose(
         among=ir.Among(player="you", zone="bench", filters=(ir.TypeIs(types=("Grass",)),)))),))),
    ("attack", "During your opponent's next turn, this Pokémon takes -20 damage from attacks.",
     ir.Attack(steps=(ir.Lasting(duration="opponent_next_turn", modifier=ir.DamageTaken(target=T, delta=-20)),))),
    ("attack", "During your opponent's next turn, the Defending Pokémon can't attack.",
     ir.Attack(steps=(ir.Lasting(duration="opponent_next_turn", modifier=ir.CantAttack(target=ir.Defending())),))),
    ("attack", "If your opponent's Active Pokémon is a Pokémon ex, this attack does 30 more damage.",
     ir.Attack(steps=(ir.If(condition=ir.Matches(target=OPP_ACTIVE, filters=(ir.IsEx(),)),
                            then=(ir.AttackDamage(mode="more", amount=C(30)),)),))),
    ("attack", "This attack does 20 more damage for each Energy attached to your opponent's Active Pokémon.",
     ir.Attack(steps=(ir.AttackDamage(mode="more", amount=ir.Per(each=20, count=ir.EnergyCount(target=OPP_ACTIVE))),))),
    ("attack", "Switch this Pokémon with 1 of your Benched Pokémon.",
     ir.Attack(steps=(ir.Switch(player="you", new_active=ir.Choose(among=ir.Among(player="you", zone="bench"))),))),
    ("attack", "Put 1 random Poliwag from your deck onto your Bench.",
     ir.Attack(steps=(ir.Fetch(filter=ir.CardFilter(filters=(ir.NameIs(names=("Poliwag",)),)), to="bench"),))),
    ("ability", "Once during your turn, you may heal 20 damage from each of your Pokémon.",
     ir.Activated(steps=(ir.Heal(amount=C(20), target=ir.Each(among=ir.Among(player="you"))),))),
    ("ability", "This Pokémon takes -20 damage from attacks.", ir.Passive(modifiers=(ir.DamageTaken(target=T, delta=-20),))),
    ("ability", "If this Pokémon is in the Active Spot and is damaged by an attack from your opponent's Pokémon, do 20 "
                "damage to the Attacking Pokémon.",
     ir.Triggered(trigger=ir.Trigger(event="damaged_by_attack", while_active=True),
                  steps=(ir.Damage(amount=C(20), target=ir.Attacking(), by_attack=False),))),
    ("ability", "If you have Latias in play, this Pokémon has no Retreat Cost.",
     ir.Passive(requirement=ir.Exists(among=ir.Among(player="you", filters=(ir.NameIs(names=("Latias",)),))),
                modifiers=(ir.RetreatCost(target=T, none=True),))),
    ("trainer", "Draw 2 cards.", ir.TrainerEffect(steps=(ir.Draw(amount=C(2)),))),
    ("trainer", "Switch out your opponent's Active Pokémon to the Bench. (Your opponent chooses the new Active Pokémon.)",
     ir.TrainerEffect(steps=(ir.Switch(player="opponent", new_active=ir.Choose(
         chooser="opponent", among=ir.Among(player="opponent", zone="bench"))),))),
    ("trainer", "The Pokémon this card is attached to gets +20 HP.",
     ir.Tool(effects=(ir.Passive(modifiers=(ir.HpBonus(target=ir.ToolHolder(), amount=C(20)),)),))),
    ("trainer", "Play this card as if it were a 40-HP Basic [C] Pokémon. At any time during your turn, you may discard "
                "this card from play. This card can't retreat.", ir.Fossil(hp=40)),
    ("trainer", "You can use this card only if you have 3 or more Pokémon in play. Draw 2 cards.",
     ir.TrainerEffect(requirement=ir.CountAtLeast(count=ir.PokemonCount(among=ir.Among(player="you")), value=3),
                      steps=(ir.Draw(amount=C(2)),))),
    ("trainer", "You can use this card only if your opponent has gotten at least 1 point. Draw 2 cards.",
     ir.TrainerEffect(requirement=ir.Points(player="opponent", at_least=1), steps=(ir.Draw(amount=C(2)),))),
    ("trainer", "Heal 60 damage from 1 of your Miltank, and it recovers from being Asleep, Paralyzed, and Confused.",
     ir.TrainerEffect(steps=(
         ir.Heal(amount=C(60), target=ir.Choose(among=ir.Among(player="you", filters=(ir.NameIs(names=("Miltank",)),)))),
         ir.Recover(target=ir.That(), conditions=("Asleep", "Paralyzed", "Confused"))))),
    # "If you do" after a step that always happens (Energy Zone to this Pokémon) adds no condition
    ("ability", "Once during your turn, if this Pokémon is on your Bench, you may take a [R] Energy from your Energy "
                "Zone and attach it to this Pokémon. If you do, discard this Pokémon.",
     ir.Activated(requirement=ir.Matches(target=T, filters=(ir.InZone(zone="bench"),)), steps=(
         ir.AttachEnergy(energy=(ir.EnergySel(energy_type="Fire"),), target=T), ir.DiscardPokemon(target=T)))),
    # "and draws" has the subject of the clause before it: each player, not only the opponent
    ("trainer", "Each player shuffles their hand into their deck and draws 4 cards.",
     ir.TrainerEffect(steps=(ir.ShuffleHand(player="both"), ir.Draw(amount=C(4)),
                             ir.Draw(amount=C(4), player="opponent")))),
    # the card you find there is chosen only if heads: the second sentence belongs to the If
    ("attack", "Flip a coin. If heads, your opponent reveals their hand. Choose a Supporter card you find there and "
               "discard it.",
     ir.Attack(steps=(ir.Flip(), ir.If(condition=ir.CoinOutcome(outcome="heads"), then=(
         ir.RevealHand(), ir.DiscardCards(player="opponent", filter=ir.CardFilter(kind="supporter"))))))),
    # IR v7 (no corpus text has a Stadium yet): a Stadium's rule for both players, a Stadium in play, discarding one,
    # the first attack since coming into play
    ("trainer", "Basic Pokémon in play (both yours and your opponent's) get +10 HP.",
     ir.Stadium(effects=(ir.Passive(modifiers=(ir.HpBonus(target=ir.Each(among=ir.Among(
         player="both", filters=(ir.StageIs(stage="basic"),))), amount=C(10)),)),))),
    ("attack", "If a Stadium is in play, discard the Stadium in play, and this attack does 30 more damage.",
     ir.Attack(steps=(ir.If(condition=ir.StadiumInPlay(), then=(
         ir.DiscardStadium(), ir.AttackDamage(mode="more", amount=C(30)))),))),
    ("attack", "If this is the first time this Pokémon has attacked since it came into play, this attack does 30 more "
               "damage.",
     ir.Attack(steps=(ir.If(condition=ir.Matches(target=T, filters=(ir.SinceInPlay(event="attacked", value=False),)),
                            then=(ir.AttackDamage(mode="more", amount=C(30)),)),))),
    # counts and exact values (IR v7)
    ("attack", "This attack does 20 damage for each Pokémon Tool attached to your opponent's Active Pokémon.",
     ir.Attack(steps=(ir.AttackDamage(mode="set", amount=ir.Per(each=20, count=ir.ToolCount(target=OPP_ACTIVE))),))),
    ("attack", "This attack does 20 damage for each different type of Energy attached to this Pokémon.",
     ir.Attack(steps=(ir.AttackDamage(mode="set", amount=ir.Per(each=20, count=ir.EnergyTypeCount(target=T))),))),
    ("attack", "This attack does 20 damage for each of your opponent's Pokémon that was Knocked Out during this game.",
     ir.Attack(steps=(ir.AttackDamage(mode="set", amount=ir.Per(each=20, count=ir.KnockOutCount(
         player="opponent"))),))),
    ("attack", "This attack does 20 damage for each Energy in your opponent's discard pile.",
     ir.Attack(steps=(ir.AttackDamage(mode="set", amount=ir.Per(each=20, count=ir.DiscardedEnergyCount(
         player="opponent"))),))),
    ("attack", "If this Pokémon has exactly 3 Energy attached, this attack does 30 more damage.",
     ir.Attack(steps=(ir.If(condition=ir.CountIn(count=ir.EnergyCount(target=T), values=(3,)),
                            then=(ir.AttackDamage(mode="more", amount=C(30)),)),))),
]
HANDWRITTEN_TEXTS = [(k, t) for k, t, _ in HANDWRITTEN]


@pytest.mark.parametrize("kind,text,expected", HANDWRITTEN, ids=[t[:60] for _, t, _ in HANDWRITTEN])
def test_handwritten_ir(kind, text, expected):
    assert parse_effect(text, kind) == expected
