"""parse_card: every effect of a card, with its printed damage taken into account."""

from __future__ import annotations

from compiler import ir
from compiler.parse import parse_card, parse_effect
from compiler.spec import PokemonCard, TrainerCard, load_card_set
from tests.conftest import EXAMPLE_SPEC


def mon(*attacks, ability=None):
    return PokemonCard(id="T1-001", name="Testmon", category="pokemon", stage="basic", hp=70, type="Fire",
                       attacks=[dict(name=n, damage=d, text=t, cost=["Fire"]) for n, d, t in attacks],
                       ability=ability)


def test_plain_and_effect_attacks_keep_their_order_and_printed_damage():
    card = parse_card(mon(("Tackle", "30", None), ("Flare", "20x", "Flip 2 coins. This attack does 20 damage for each heads."),
                          ("Bite", "40+", "Flip a coin. If heads, this attack does 40 more damage.")))
    tackle, flare, bite = card.attacks
    assert (tackle.name, tackle.base_damage, tackle.suffix, tackle.effect) == ("Tackle", 30, "", ir.Attack())
    assert (flare.base_damage, flare.suffix) == (0, "x") and not ir.has_unresolved(flare)
    assert (bite.base_damage, bite.suffix) == (40, "+") and not ir.has_unresolved(bite)
    assert card.ability is None and card.trainer is None


def test_printed_damage_that_disagrees_with_the_text_is_unresolved():
    card = parse_card(mon(("A", "30+", "Your opponent's Active Pokémon is now Asleep."),
                          ("B", "20x", "Flip a coin. If heads, this attack does 20 more damage."),
                          ("C", "30", "Flip 2 coins. This attack does 30 damage for each heads."),
                          ("D", "30+", None)))
    assert all(isinstance(a.effect, ir.Unresolved) for a in card.attacks)
    assert "30+" in card.attacks[0].effect.reason


def test_ability_and_trainer():
    card = parse_card(mon(("Tackle", "10", None), ability={"name": "Heal", "text":
                                                           "Once during your turn, you may heal 20 damage from your Active Pokémon."}))
    assert isinstance(card.ability, ir.Activated)
    t = TrainerCard(id="T1-002", name="Potion", category="trainer", trainer_kind="item",
                    text="Heal 20 damage from 1 of your Pokémon.")
    assert isinstance(parse_card(t).trainer, ir.TrainerEffect)


def test_every_card_of_the_example_set(tmp_path):
    card_set, _ = load_card_set(EXAMPLE_SPEC.parent / "cards" / "A1.yaml")
    cards = [parse_card(c) for c in card_set.cards]
    covered = sum(not ir.has_unresolved(c) for c in cards)
    assert covered / len(cards) > 0.95


def test_bad_input_never_raises():
    for text in ("", "   ", "(", "Draw a card", "draw a card.", "Flip 99999999999999999999 coins.", "①②", "[Z]"):
        for kind in ("attack", "ability", "trainer"):
            node = parse_effect(text, kind)
            assert isinstance(node, (ir.Unresolved, ir.Attack, ir.TrainerEffect, ir.Activated, ir.Passive,
                                     ir.Triggered))


def _trainer(kind, text, fossil=False):
    return TrainerCard(id="T1-003", name="Thing", category="trainer", trainer_kind=kind, is_fossil=fossil, text=text)


def test_trainer_text_must_fit_the_trainer_kind():
    tool_text = "The Pokémon this card is attached to gets +20 HP."
    assert isinstance(parse_card(_trainer("tool", tool_text)).trainer, ir.Tool)
    wrong = parse_card(_trainer("item", tool_text)).trainer
    assert isinstance(wrong, ir.Unresolved) and "item" in wrong.reason
    assert isinstance(parse_card(_trainer("tool", "Draw 2 cards.")).trainer, ir.Unresolved)
    assert isinstance(parse_card(_trainer("stadium", "Draw 2 cards.")).trainer, ir.Unresolved)
    fossil = ("Play this card as if it were a 40-HP Basic [C] Pokémon. At any time during your turn, you may discard "
              "this card from play. This card can't retreat.")
    assert isinstance(parse_card(_trainer("item", fossil, fossil=True)).trainer, ir.Fossil)
    assert isinstance(parse_card(_trainer("item", "Draw 2 cards.", fossil=True)).trainer, ir.Unresolved)


def test_if_you_do_after_an_optional_step_is_conditional():
    node = parse_effect("You may switch this Pokémon with 1 of your Benched Pokémon. If you do, heal 30 damage from "
                        "this Pokémon.", "attack")
    (opt,) = node.steps
    assert isinstance(opt, ir.Optional_) and opt.then == (ir.Heal(amount=ir.Const(value=30), target=ir.ThisPokemon()),)
