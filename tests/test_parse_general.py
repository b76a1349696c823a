"""The grammar reads the language, not a list of corpus strings: plausible wordings that are not in the corpus
parse to the IR they mean, and round-trip through the canonical rendering."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compiler import ir
from compiler.parse import parse_effect
from compiler.render import render

OPP = ir.Active(player="opponent")
C = lambda v: ir.Const(value=v)  # noqa: E731

CASES = [
    ("attack", "Flip 3 coins. For each heads, discard a random Energy from your opponent's Active Pokémon.",
     ir.Attack(steps=(ir.Flip(count=C(3)), ir.Repeat(times=ir.Per(each=1, count=ir.Heads()), steps=(
         ir.DiscardEnergy(target=OPP, energy=(ir.EnergySel(),), random=True),))))),
    ("attack", "Your opponent's Active Pokémon is now Burned and Confused.",
     ir.Attack(steps=(ir.ApplyCondition(target=OPP, conditions=("Burned", "Confused")),))),
    ("attack", "Your opponent's Active Pokémon is now Poisoned, and this Pokémon is now Asleep.",
     ir.Attack(steps=(ir.ApplyCondition(target=OPP, conditions=("Poisoned",)),
                      ir.ApplyCondition(target=ir.ThisPokemon(), conditions=("Asleep",))))),
    ("attack", "Choose 1 of your opponent's Benched Pokémon. This attack does 30 damage to it.",
     ir.Attack(steps=(ir.Select(target=ir.Choose(among=ir.Among(player="opponent", zone="bench"))),
                      ir.Damage(amount=C(30), target=ir.That())))),
    ("attack", "If you have 4 or more cards in your hand, this attack does 40 more damage.",
     ir.Attack(steps=(ir.If(condition=ir.CardIn(zone="hand", filter=ir.CardFilter(), at_least=4),
                            then=(ir.AttackDamage(mode="more", amount=C(40)),)),))),
    ("attack", "Discard all [W] Energy from this Pokémon. This attack does 40 more damage for each Energy you "
               "discarded in this way.",
     ir.Attack(steps=(ir.DiscardEnergy(target=ir.ThisPokemon(), energy=(ir.EnergySel(count=None, energy_type="Water"),)),
                      ir.AttackDamage(mode="more", amount=ir.Per(each=40, count=ir.DoneCount()))))),
    ("trainer", "Each player draws 3 cards.",
     ir.TrainerEffect(steps=(ir.Draw(amount=C(3)), ir.Draw(amount=C(3), player="opponent")))),
    ("trainer", "Draw cards until you have 5 cards in your hand.", ir.TrainerEffect(steps=(ir.DrawUntil(size=5),))),
    ("trainer", "Your opponent reveals their hand. Choose an Item card you find there and discard it.",
     ir.TrainerEffect(steps=(ir.RevealHand(), ir.DiscardCards(player="opponent", filter=ir.CardFilter(kind="item"))))),
    ("trainer", "If the Pokémon this card is attached to is damaged by an attack from your opponent's Pokémon, do 10 "
                "damage to the Attacking Pokémon.",
     ir.Tool(effects=(ir.Triggered(trigger=ir.Trigger(event="damaged_by_attack"), steps=(
         ir.Damage(amount=C(10), target=ir.Attacking(), by_attack=False),)),))),
    ("ability", "Your [W] Pokémon take -10 damage from attacks.",
     ir.Passive(modifiers=(ir.DamageTaken(target=ir.Each(among=ir.Among(player="you", filters=(
         ir.TypeIs(types=("Water",)),))), delta=-10),))),
    ("ability", "Once during your turn, you may put 1 random [W] Pokémon from your discard pile into your hand.",
     ir.Activated(steps=(ir.Fetch(filter=ir.CardFilter(kind="pokemon", filters=(ir.TypeIs(types=("Water",)),)),
                                  source="discard"),))),
    ("ability", "As long as this Pokémon is in the Active Spot, your opponent can't play any Item cards from their "
                "hand.",
     ir.Passive(requirement=ir.Matches(target=ir.ThisPokemon(), filters=(ir.InZone(zone="active"),)),
                modifiers=(ir.CantPlay(player="opponent", card="item"),))),
    ("attack", "If this Pokémon has 3 or more [R] Energy attached, this attack does 50 more damage.",
     ir.Attack(steps=(ir.If(condition=ir.Matches(target=ir.ThisPokemon(), filters=(
         ir.HasEnergy(energy_type="Fire", at_least=3),)), then=(ir.AttackDamage(mode="more", amount=C(50)),)),))),
    ("attack", "If you have 3 or more Benched Pokémon, this attack does 30 more damage.",
     ir.Attack(steps=(ir.If(condition=ir.CountAtLeast(count=ir.PokemonCount(among=ir.Among(player="you", zone="bench")),
                                                      value=3),
                            then=(ir.AttackDamage(mode="more", amount=C(30)),)),))),
    ("trainer", "Switch out your opponent's Active Pokémon to the Bench. Your opponent chooses the new Active Pokémon.",
     ir.TrainerEffect(steps=(ir.Switch(player="opponent", new_active=ir.Choose(
         chooser="opponent", among=ir.Among(player="opponent", zone="bench"))),))),
    ("attack", "Discard 2 random cards from your opponent's hand.",
     ir.Attack(steps=(ir.DiscardCards(player="opponent", count=2, random=True),))),
    ("attack", "Until this Pokémon leaves the Active Spot, it takes -30 damage from attacks.",
     ir.Attack(steps=(ir.Lasting(duration="until_leaves_active",
                                 modifier=ir.DamageTaken(target=ir.ThisPokemon(), delta=-30)),))),
    ("ability", "Attacks used by your [P] Pokémon and [M] Pokémon do +30 damage to your opponent's Active Pokémon.",
     ir.Passive(modifiers=(ir.DamageDealt(attacker=ir.Each(among=ir.Among(player="you", filters=(
         ir.TypeIs(types=("Psychic", "Metal")),))), delta=30, defender=OPP),))),
    ("ability", "This Pokémon's attacks do +20 damage to your opponent's Active Pokémon.",
     ir.Passive(modifiers=(ir.DamageDealt(attacker=ir.ThisPokemon(), delta=20, defender=OPP),))),
]


@pytest.mark.parametrize("kind,text,expected", CASES, ids=[t[:60] for _, t, _ in CASES])
def test_unseen_wording(kind, text, expected):
    node = parse_effect(text, kind)
    assert node == expected, render(node, kind) if not isinstance(node, ir.Unresolved) else node.reason
    assert parse_effect(render(node, kind), kind) == node


@pytest.mark.parametrize("name", ["Mr. Mime", "Farfetch'd", "Ho-Oh ex", "Porygon-Z", "Nidoran♀", "Flabébé", "Type: Null"])
def test_card_names_with_odd_characters(name):
    text = f"If you have {name} in play, this attack does 10 more damage."
    node = parse_effect(text, "attack")
    assert node.steps[0].condition == ir.Exists(among=ir.Among(player="you", filters=(ir.NameIs(names=(name,)),)))
    assert parse_effect(render(node), "attack") == node


def test_keywords_are_lexed_as_whole_words():
    """'another' must not be read as 'an' + 'other', nor 'onto' as 'on' + 'to'."""
    node = parse_effect("Draw another card.", "trainer")
    assert isinstance(node, ir.Unresolved) and "'another'" in node.reason


_WORDS = ("Flip a coin . If heads , this attack does 30 more damage to 1 of your opponent's Benched Pokémon "
          "ex [R] Energy Arceus or and , heal discard it each Choose ① ② ( ) — -20 +10 is now Poisoned "
          "during next turn can't attack Pokemon Fire[R] Mr. until you get tails for").split()


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=25).map(" ".join), st.sampled_from(["attack", "ability", "trainer"]))
def test_random_word_salad_never_raises(text, kind):
    node = parse_effect(text, kind)
    assert isinstance(node, ir.Node)
    if not ir.has_unresolved(node):
        assert parse_effect(render(node, kind), kind) == node


def test_the_grammar_loads_in_strict_mode():
    from compiler.parse import parser

    assert parser().options.strict


def test_every_grammar_alias_has_a_transformer_method_and_back():
    import re

    from lark import Transformer

    from compiler.parse.normalise import GRAMMAR
    from compiler.parse.transform import ToIR

    text = GRAMMAR.read_text(encoding="utf-8")
    aliases = set(re.findall(r"->\s*(\w+)", text))
    rules = set(re.findall(r"^\??(\w+):", text, re.M))
    methods = {n for n in dir(ToIR) if not n.startswith("_")} - set(dir(Transformer))
    assert aliases <= methods, sorted(aliases - methods)
    assert methods <= aliases | rules, sorted(methods - aliases - rules)
