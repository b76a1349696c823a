"""The axes of the card language added for issue 10 (docs/ir.md change log, v6): texts written in the cards' style
(not copies of corpus texts) parse to the IR they mean and round-trip through the canonical rendering; near misses
stay Unresolved."""

from __future__ import annotations

import pytest

from compiler import ir
from compiler.parse import parse_effect
from compiler.render import render

C = lambda v: ir.Const(value=v)  # noqa: E731
THIS, THAT, HOLDER = ir.ThisPokemon(), ir.That(), ir.ToolHolder()
OPP = ir.Active(player="opponent")
DONE = ir.Done()

CASES = [
    # --- conditions on what happened: "If you do" after a step that may do nothing
    ("trainer", "Heal 40 damage from 1 of your Benched Pokémon. If you do, draw a card.",
     ir.TrainerEffect(steps=(
         ir.Heal(amount=C(40), target=ir.Choose(among=ir.Among(player="you", zone="bench"))),
         ir.If(condition=DONE, then=(ir.Draw(amount=C(1)),))))),
    ("ability", "Once during your turn, you may attach a [W] Energy from your discard pile to this Pokémon. If you "
                "do, this Pokémon is now Asleep.",
     ir.Activated(steps=(
         ir.AttachEnergy(source="discard", energy=(ir.EnergySel(energy_type="Water"),), target=THIS),
         ir.If(condition=DONE, then=(ir.ApplyCondition(target=THIS, conditions=("Asleep",)),))))),
    ("attack", "Discard a random Energy from your opponent's Active Pokémon. If you do, this attack does 20 more "
               "damage.",
     ir.Attack(steps=(ir.DiscardEnergy(target=OPP, energy=(ir.EnergySel(),), random=True),
                      ir.If(condition=DONE, then=(ir.AttackDamage(mode="more", amount=C(20)),))))),
    ("attack", "Discard a card from your hand. If you do, draw 2 cards.",
     ir.Attack(steps=(ir.DiscardCards(), ir.If(condition=DONE, then=(ir.Draw(amount=C(2)),))))),
    # --- remaining HP as a fraction of the maximum
    ("ability", "If this Pokémon has half of its maximum HP or less remaining, attacks used by this Pokémon do +30 "
                "damage.",
     ir.Passive(requirement=ir.Matches(target=THIS, filters=(ir.HpAtMostHalf(),)),
                modifiers=(ir.DamageDealt(attacker=THIS, delta=30),))),
    # --- comparisons between two quantities
    ("attack", "If this Pokémon has less remaining HP than your opponent's Active Pokémon, this attack does 40 more "
               "damage.",
     ir.Attack(steps=(ir.If(condition=ir.Compare(left=ir.RemainingHp(target=THIS), relation="fewer",
                                                 right=ir.RemainingHp(target=OPP)),
                            then=(ir.AttackDamage(mode="more", amount=C(40)),)),))),
    ("attack", "If your opponent's Active Pokémon has the same amount of remaining HP as this Pokémon, your "
               "opponent's Active Pokémon is now Paralyzed.",
     ir.Attack(steps=(ir.If(condition=ir.Compare(left=ir.RemainingHp(target=OPP), relation="same",
                                                 right=ir.RemainingHp(target=THIS)),
                            then=(ir.ApplyCondition(target=OPP, conditions=("Paralyzed",)),)),))),
    ("attack", "If your opponent's Active Pokémon has more Energy attached than this Pokémon, this attack does 30 "
               "more damage.",
     ir.Attack(steps=(ir.If(condition=ir.Compare(left=ir.EnergyCount(target=OPP), relation="more",
                                                 right=ir.EnergyCount(target=THIS)),
                            then=(ir.AttackDamage(mode="more", amount=C(30)),)),))),
    ("trainer", "You can use this card only if you have fewer cards in your hand than your opponent. Draw 2 cards.",
     ir.TrainerEffect(requirement=ir.Compare(left=ir.CardCount(player="you", zone="hand"), relation="fewer",
                                             right=ir.CardCount(player="opponent", zone="hand")),
                      steps=(ir.Draw(amount=C(2)),))),
    # --- triggers: a knockout by this Pokémon's attacks
    ("ability", "If your opponent's Pokémon is Knocked Out by damage from this Pokémon's attacks, draw a card.",
     ir.Triggered(trigger=ir.Trigger(event="opponent_ko_by_holder"), steps=(ir.Draw(amount=C(1)),))),
    # --- card attributes: another Pokémon's Ability name
    ("ability", "This Ability works if you have any Pikachu in play with an Ability other than SPARK. Your Pokémon "
                "take -20 damage from attacks.",
     ir.Passive(requirement=ir.Exists(among=ir.Among(player="you", filters=(
         ir.NameIs(names=("Pikachu",)), ir.AbilityNamed(names=("SPARK",), value=False)))),
         modifiers=(ir.DamageTaken(target=ir.Each(among=ir.Among(player="you")), delta=-20),))),
    # --- revealing the cards of a kind in a zone
    ("trainer", "Your opponent reveals all of the Item cards in their hand.",
     ir.TrainerEffect(steps=(ir.RevealCards(zone="hand", filter=ir.CardFilter(kind="item")),))),
    # --- rules about Special Conditions while in play
    ("ability", "Your opponent's Active Pokémon takes +20 damage from being Burned.",
     ir.Passive(modifiers=(ir.ConditionDamage(target=OPP, condition="Burned", delta=20),))),
    # --- counting what a step did: for each card you put into your hand
    ("trainer", "Put 3 random Pokémon from your deck into your hand. For each Pokémon you put into your hand in this "
                "way, choose a Pokémon to shuffle from your hand into your deck.",
     ir.TrainerEffect(steps=(
         ir.Fetch(count=3, filter=ir.CardFilter(kind="pokemon")),
         ir.Repeat(times=ir.Per(each=1, count=ir.DoneCount()), steps=(
             ir.HandToDeck(player="you", filter=ir.CardFilter(kind="pokemon"), random=False),))))),
    # --- several Pokémon's Energy pooled for one random pick; player scope "both yours and your opponent's"
    ("attack", "Discard 2 random Energy from among the Energy attached to all Pokémon (both yours and your "
               "opponent's).",
     ir.Attack(steps=(ir.DiscardEnergyAmong(among=ir.Among(player="both"), count=2),))),
    ("attack", "Discard a random Energy from among the Energy attached to all of your opponent's Benched Pokémon. If "
               "you do, this attack does 20 more damage.",
     ir.Attack(steps=(ir.DiscardEnergyAmong(among=ir.Among(player="opponent", zone="bench")),
                      ir.If(condition=DONE, then=(ir.AttackDamage(mode="more", amount=C(20)),))))),
    # --- the Energy Zone and attached Energy changing type
    ("attack", "Change the type of the next Energy that will be generated for your opponent to 1 of the following at "
               "random: [R], [W], or [L].",
     ir.Attack(steps=(ir.SetNextEnergy(types=("Fire", "Water", "Lightning")),))),
    ("attack", "Change the type of a random Energy attached to this Pokémon to 1 of the following at random: [G] or "
               "[P].",
     ir.Attack(steps=(ir.ChangeEnergyType(target=THIS, types=("Grass", "Psychic")),))),
    # --- player scope: either player, each player
    ("ability", "Once during your turn, you may choose either player. Look at the top 2 cards of that player's deck.",
     ir.Activated(steps=(ir.ChooseOne(options=((ir.LookTop(count=2),), (ir.LookTop(player="opponent", count=2),))),))),
    ("trainer", "Shuffle the cards in your hand into your deck, then draw that many cards.",
     ir.TrainerEffect(steps=(ir.ShuffleHandRedraw(player="you"),))),
    ("trainer", "A card from among both player's hands is chosen at random, revealed to the other player, and "
                "shuffled into its owner's deck. Draw a card.",
     ir.TrainerEffect(steps=(ir.PooledHandToDeck(), ir.Draw(amount=C(1))))),
    ("trainer", "Choose a Supporter card in your hand and switch it with a random Supporter card in your deck.",
     ir.TrainerEffect(steps=(ir.SwapHandDeck(filter=ir.CardFilter(kind="supporter")),))),
    # --- the top cards of the deck: counting what is revealed, taking some, a condition on the card discarded
    ("attack", "Reveal the top 4 cards of your deck. This attack does 30 damage for each [W] Pokémon you find there. "
               "Shuffle the revealed cards back into your deck.",
     ir.Attack(steps=(ir.RevealTop(count=4), ir.AttackDamage(mode="set", amount=ir.Per(each=30, count=ir.TopDeckCount(
         count=4, filter=ir.CardFilter(kind="pokemon", filters=(ir.TypeIs(types=("Water",)),))))), ir.ShuffleDeck()))),
    ("trainer", "Look at the top 3 cards of your deck. Put all Item cards you find there into your hand. Shuffle the "
                "other cards back into your deck.",
     ir.TrainerEffect(steps=(ir.TakeTop(count=3, filter=ir.CardFilter(kind="item")),))),
    ("trainer", "Look at the top card of your deck. If that card is a Supporter card, put it into your hand. If it is "
                "not a Supporter card, put it on the bottom of your deck.",
     ir.TrainerEffect(steps=(ir.TakeTop(filter=ir.CardFilter(kind="supporter"), rest="bottom"),))),
    ("attack", "Discard the top card of your deck. If that card is a Basic Pokémon, your opponent's Active Pokémon is "
               "now Asleep.",
     ir.Attack(steps=(ir.DiscardCards(zone="deck"), ir.If(condition=ir.Milled(filter=ir.CardFilter(
         kind="pokemon", filters=(ir.StageIs(stage="basic"),))), then=(ir.ApplyCondition(
             target=OPP, conditions=("Asleep",)),))))),
    # --- damage done by attacks: a coin for each time, survival as a lasting rule
    ("ability", "If any damage is done to this Pokémon by attacks, flip a coin. If heads, this Pokémon takes -30 "
                "damage from that attack.",
     ir.Passive(modifiers=(ir.DamageFlip(target=THIS, delta=-30),))),
    ("trainer", "During your opponent's next turn, if your [F] Pokémon would be Knocked Out by damage from an attack, "
                "it is not Knocked Out and its remaining HP becomes 10.",
     ir.TrainerEffect(steps=(ir.Lasting(duration="opponent_next_turn", modifier=ir.Survive(target=ir.Each(
         among=ir.Among(filters=(ir.TypeIs(types=("Fighting",)),))), hp=10)),))),
    # --- a named Tool attached; "flip ... instead"
    ("attack", "Flip a coin. If this Pokémon has Lucky Helmet attached, flip 2 coins instead. This attack does 20 "
               "damage for each heads.",
     ir.Attack(steps=(ir.If(condition=ir.Matches(target=THIS, filters=(ir.HasToolNamed(names=("Lucky Helmet",)),)),
                            then=(ir.Flip(count=C(2)),), otherwise=(ir.Flip(),)),
                      ir.AttackDamage(mode="set", amount=ir.Per(each=20, count=ir.Heads()))))),
    # --- several Energy types in one step
    ("trainer", "Move a [G] or [W] Energy from 1 of your Benched Pokémon to your Active Pokémon.",
     ir.TrainerEffect(steps=(ir.MoveEnergyOneOf(energy_types=("Grass", "Water"), source=ir.Choose(
         among=ir.Among(zone="bench")), target=ir.Active(player="you")),))),
    # --- any number of Pokémon
    ("attack", "You may discard any number of your Benched Pokémon. This attack does 20 more damage for each Benched "
               "Pokémon you discarded in this way.",
     ir.Attack(steps=(ir.DiscardPokemon(target=ir.ChooseAny(among=ir.Among(zone="bench"))),
                      ir.AttackDamage(mode="more", amount=ir.Per(each=20, count=ir.DoneCount()))))),
    # --- an attack's cost that depends on the game
    ("attack", "If your opponent's Active Pokémon is a Pokémon ex, this attack can be used for 2 [C] Energy.",
     ir.Attack(steps=(ir.AlternativeCost(condition=ir.Matches(target=OPP, filters=(ir.IsEx(),)),
                                         cost=("Colorless", "Colorless")),))),
    # --- printed card attributes (PokemonCard.tags): Ultra Beasts
    ("ability", "Your Active Ultra Beast has no Retreat Cost.",
     ir.Passive(modifiers=(ir.RetreatCost(target=ir.Active(player="you", filters=(ir.HasTag(tag="Ultra Beast"),)),
                                          none=True),))),
    ("trainer", "Choose 1 of your Benched Ultra Beasts. Heal 30 damage from that Pokémon.",
     ir.TrainerEffect(steps=(ir.Select(target=ir.Choose(among=ir.Among(zone="bench", filters=(
         ir.HasTag(tag="Ultra Beast"),)))), ir.Heal(amount=C(30), target=THAT)))),
    ("ability", "Once during your turn, you may switch your Active Ultra Beast with 1 of your Benched Pokémon.",
     ir.Activated(steps=(ir.Switch(new_active=ir.Choose(among=ir.Among(zone="bench")),
                                   only_if=(ir.HasTag(tag="Ultra Beast"),)),))),
    # --- an amount in a damage modifier: points gotten
    ("trainer", "Attacks used by the Ultra Beast this card is attached to do +20 damage to your opponent's Active "
                "Pokémon for each point your opponent has gotten.",
     ir.Tool(effects=(ir.Passive(requirement=ir.Matches(target=HOLDER, filters=(ir.HasTag(tag="Ultra Beast"),)),
                                 modifiers=(ir.DamageDealtBy(attacker=HOLDER, amount=ir.Per(
                                     each=20, count=ir.PointsOf(player="opponent")), defender=OPP),)),))),
    # --- where a knocked-out or devolved Pokémon's cards go
    ("trainer", "If the [G] Pokémon this card is attached to is Knocked Out by damage from an attack from your "
                "opponent's Pokémon, put it into your hand instead of the discard pile.",
     ir.Tool(effects=(ir.Triggered(trigger=ir.Trigger(event="knocked_out_by_attack"), requirement=ir.Matches(
         target=HOLDER, filters=(ir.TypeIs(types=("Grass",)),)), steps=(ir.KnockedOutToHand(),)),))),
    ("attack", "If the Defending Pokémon is a Stage 2 Pokémon, devolve it by putting the highest Stage Evolution card "
               "on it into your opponent's hand.",
     ir.Attack(steps=(ir.If(condition=ir.Matches(target=ir.Defending(), filters=(ir.StageIs(stage="stage2"),)),
                            then=(ir.Devolve(target=THAT),)),))),
    ("attack", "Devolve your opponent's Active Pokémon by putting the highest Stage Evolution card on it into your "
               "opponent's hand.",
     ir.Attack(steps=(ir.Devolve(target=OPP),))),
]


BOTH = lambda *fs, zone="in_play": ir.Each(among=ir.Among(player="both", zone=zone, filters=fs))  # noqa: E731
BASIC = ir.StageIs(stage="basic")
STADIUM = lambda *mods, req=None: ir.Stadium(effects=(ir.Passive(requirement=req, modifiers=mods),))  # noqa: E731
FIRST_ATTACK = ir.SinceInPlay(event="attacked", value=False)

# IR v7: Stadiums (rules in force for both players, a Stadium in play, discarding and searching one), triggers at the
# points of a turn, what happened since a Pokémon came into play
CASES += [
    # --- a Stadium's text: rules for both players' Pokémon, in the wordings the cards use for both players
    ("trainer", "Basic Pokémon in play (both yours and your opponent's) get +20 HP.",
     STADIUM(ir.HpBonus(target=BOTH(BASIC), amount=C(20)))),
    ("trainer", "Each [W] Pokémon in play (both yours and your opponent's) takes -10 damage from attacks.",
     STADIUM(ir.DamageTaken(target=BOTH(ir.TypeIs(types=("Water",))), delta=-10))),
    ("trainer", "The Retreat Cost of each Stage 1 Pokémon (both yours and your opponent's) is 1 less.",
     STADIUM(ir.RetreatCost(target=BOTH(ir.StageIs(stage="stage1")), delta=-1))),
    ("trainer", "Attacks used by Pokémon ex (both yours and your opponent's) cost 1 [C] more.",
     STADIUM(ir.AttackCost(target=BOTH(ir.IsEx()), delta=1, energy_type="Colorless"))),
    ("trainer", "Attacks used by Evolution Pokémon (both yours and your opponent's) do +10 damage.",
     STADIUM(ir.DamageDealt(attacker=BOTH(ir.StageIs(stage="evolution")), delta=10))),
    ("trainer", "Each player's Active Pokémon can't be Confused.",
     STADIUM(ir.ConditionImmunity(target=BOTH(zone="active"), conditions=("Confused",)))),
    ("trainer", "Benched Pokémon (both yours and your opponent's) can't be healed.",
     STADIUM(ir.CantBeHealed(among=ir.Among(player="both", zone="bench")))),
    ("trainer", "Burned Pokémon (both yours and your opponent's) take +10 damage from being Burned.",
     STADIUM(ir.ConditionDamage(target=BOTH(ir.HasCondition(conditions=("Burned",))), condition="Burned",
                                delta=10))),
    # --- conditions on a Stadium in play, discarding one, searching for one, not playing one
    ("attack", "If a Stadium is in play, this attack does 40 more damage.",
     ir.Attack(steps=(ir.If(condition=ir.StadiumInPlay(), then=(ir.AttackDamage(mode="more", amount=C(40)),)),))),
    ("attack", "If there is no Stadium in play, your opponent's Active Pokémon is now Asleep.",
     ir.Attack(steps=(ir.If(condition=ir.Not(condition=ir.StadiumInPlay()), then=(
         ir.ApplyCondition(target=OPP, conditions=("Asleep",)),)),))),
    ("ability", "If you have a Stadium in play, this Pokémon gets +30 HP.",
     ir.Passive(requirement=ir.StadiumInPlay(player="you"), modifiers=(ir.HpBonus(target=THIS, amount=C(30)),))),
    ("attack", "If your opponent has a Stadium in play, this attack does 20 more damage.",
     ir.Attack(steps=(ir.If(condition=ir.StadiumInPlay(player="opponent"), then=(
         ir.AttackDamage(mode="more", amount=C(20)),)),))),
    ("attack", "If Misty Marsh is in play, heal 30 damage from this Pokémon.",
     ir.Attack(steps=(ir.If(condition=ir.StadiumInPlay(names=("Misty Marsh",)), then=(
         ir.Heal(amount=C(30), target=THIS),)),))),
    ("attack", "Discard a Stadium in play. If you do, this attack does 30 more damage.",
     ir.Attack(steps=(ir.DiscardStadium(), ir.If(condition=DONE, then=(ir.AttackDamage(mode="more", amount=C(30)),))))),
    ("trainer", "Discard the Stadium in play. Draw a card.",
     ir.TrainerEffect(steps=(ir.DiscardStadium(), ir.Draw(amount=C(1))))),
    ("trainer", "Put a random Stadium card from your discard pile into your hand.",
     ir.TrainerEffect(steps=(ir.Fetch(filter=ir.CardFilter(kind="stadium"), source="discard"),))),
    ("attack", "This attack does 20 damage for each Stadium card in your hand.",
     ir.Attack(steps=(ir.AttackDamage(mode="set", amount=ir.Per(each=20, count=ir.CardCount(
         player="you", zone="hand", filter=ir.CardFilter(kind="stadium")))),))),
    ("attack", "During your opponent's next turn, they can't play any Stadium cards from their hand.",
     ir.Attack(steps=(ir.Lasting(duration="opponent_next_turn", modifier=ir.CantPlay(player="opponent",
                                                                                    card="stadium")),))),
    # --- both players' Pokémon outside a Stadium
    ("attack", "Heal 20 damage from each Pokémon (both yours and your opponent's).",
     ir.Attack(steps=(ir.Heal(amount=C(20), target=BOTH()),))),
    ("ability", "As long as this Pokémon is in the Active Spot, Basic Pokémon (both yours and your opponent's) have no "
                "Weakness.",
     ir.Passive(requirement=ir.Matches(target=THIS, filters=(ir.InZone(zone="active"),)),
                modifiers=(ir.NoWeakness(target=BOTH(BASIC)),))),
    # --- triggers at the points of a turn
    ("ability", "At the beginning of your turn, if this Pokémon is in the Active Spot, heal 20 damage from it.",
     ir.Triggered(trigger=ir.Trigger(event="start_of_turn", while_active=True),
                  steps=(ir.Heal(amount=C(20), target=THAT),))),
    ("ability", "At the start of each turn, draw a card.",
     ir.Triggered(trigger=ir.Trigger(event="start_of_turn", each_turn=True), steps=(ir.Draw(amount=C(1)),))),
    ("ability", "At the beginning of your opponent's turn, if this Pokémon is on your Bench, do 10 damage to your "
                "opponent's Active Pokémon.",
     ir.Triggered(trigger=ir.Trigger(event="start_of_turn", opponent_turn=True),
                  requirement=ir.Matches(target=THIS, filters=(ir.InZone(zone="bench"),)),
                  steps=(ir.Damage(amount=C(10), target=OPP, by_attack=False),))),
    ("ability", "At the end of your opponent's turn, heal 10 damage from this Pokémon.",
     ir.Triggered(trigger=ir.Trigger(event="end_of_turn", opponent_turn=True),
                  steps=(ir.Heal(amount=C(10), target=THIS),))),
    ("trainer", "At the beginning of your turn, if the Pokémon this card is attached to is in the Active Spot, draw a "
                "card.",
     ir.Tool(effects=(ir.Triggered(trigger=ir.Trigger(event="start_of_turn", while_active=True),
                                   steps=(ir.Draw(amount=C(1)),)),))),
    ("ability", "During Pokémon Checkup, heal 10 damage from this Pokémon.",
     ir.Triggered(trigger=ir.Trigger(event="checkup"), steps=(ir.Heal(amount=C(10), target=THIS),))),
    # --- the first time a Pokémon attacks or is damaged since it came into play
    ("attack", "If this is the first time this Pokémon has attacked since it came into play, this attack does 60 more "
               "damage.",
     ir.Attack(steps=(ir.If(condition=ir.Matches(target=THIS, filters=(FIRST_ATTACK,)),
                            then=(ir.AttackDamage(mode="more", amount=C(60)),)),))),
    ("attack", "If this Pokémon has not attacked since it was put into play, draw a card.",
     ir.Attack(steps=(ir.If(condition=ir.Matches(target=THIS, filters=(FIRST_ATTACK,)),
                            then=(ir.Draw(amount=C(1)),)),))),
    ("attack", "If this Pokémon hasn't attacked since coming into play, draw 2 cards.",
     ir.Attack(steps=(ir.If(condition=ir.Matches(target=THIS, filters=(FIRST_ATTACK,)),
                            then=(ir.Draw(amount=C(2)),)),))),
    ("ability", "The first time this Pokémon is damaged by an attack from your opponent's Pokémon after it comes into "
                "play, your opponent's Active Pokémon is now Paralyzed.",
     ir.Triggered(trigger=ir.Trigger(event="damaged_by_attack", first_time=True),
                  steps=(ir.ApplyCondition(target=OPP, conditions=("Paralyzed",)),))),
    ("ability", "If this Pokémon hasn't been damaged by an attack from your opponent's Pokémon since it came into "
                "play, it takes -40 damage from attacks.",
     ir.Passive(requirement=ir.Matches(target=THIS, filters=(ir.SinceInPlay(event="damaged", value=False),)),
                modifiers=(ir.DamageTaken(target=THIS, delta=-40),))),
]


MORE = lambda n: ir.AttackDamage(mode="more", amount=C(n))  # noqa: E731
PER = lambda n, cnt: ir.AttackDamage(mode="set", amount=ir.Per(each=n, count=cnt))  # noqa: E731

# counting anything: cards of a kind in any zone, Tools, types of Energy, Pokémon in play, points, knockouts; exact
# values; comparisons of two quantities
CASES += [
    ("attack", "This attack does 20 damage for each Item card in your discard pile.",
     ir.Attack(steps=(PER(20, ir.CardCount(player="you", zone="discard", filter=ir.CardFilter(kind="item"))),))),
    ("attack", "This attack does 10 damage for each Basic [L] Pokémon in your opponent's discard pile.",
     ir.Attack(steps=(PER(10, ir.CardCount(player="opponent", zone="discard", filter=ir.CardFilter(
         kind="pokemon", filters=(BASIC, ir.TypeIs(types=("Lightning",)))))),))),
    ("attack", "This attack does 10 more damage for each [L] Energy in your discard pile.",
     ir.Attack(steps=(ir.AttackDamage(mode="more", amount=ir.Per(each=10, count=ir.DiscardedEnergyCount(
         energy_type="Lightning"))),))),
    ("attack", "This attack does 30 more damage for each Pokémon Tool attached to your opponent's Active Pokémon.",
     ir.Attack(steps=(ir.AttackDamage(mode="more", amount=ir.Per(each=30, count=ir.ToolCount(target=OPP))),))),
    ("attack", "This attack does 40 damage for each different type of Energy attached to this Pokémon.",
     ir.Attack(steps=(PER(40, ir.EnergyTypeCount(target=THIS)),))),
    ("attack", "This attack does 20 damage for each Evolution Pokémon your opponent has in play.",
     ir.Attack(steps=(PER(20, ir.PokemonCount(among=ir.Among(player="opponent", filters=(
         ir.StageIs(stage="evolution"),)))),))),
    ("attack", "This attack does 10 damage for each [P] Pokémon on your Bench.",
     ir.Attack(steps=(PER(10, ir.PokemonCount(among=ir.Among(zone="bench", filters=(ir.TypeIs(types=("Psychic",)),)))),))),
    ("attack", "This attack does 20 more damage for each of your Pokémon that was Knocked Out during this game.",
     ir.Attack(steps=(ir.AttackDamage(mode="more", amount=ir.Per(each=20, count=ir.KnockOutCount())),))),
    ("attack", "If your opponent has more points than you, this attack does 50 more damage.",
     ir.Attack(steps=(ir.If(condition=ir.Compare(left=ir.PointsOf(player="opponent"), relation="more",
                                                 right=ir.PointsOf()), then=(MORE(50),)),))),
    ("trainer", "You can use this card only if you have the same number of cards in your hand as your opponent. Draw "
                "a card.",
     ir.TrainerEffect(requirement=ir.Compare(left=ir.CardCount(player="you", zone="hand"), relation="same",
                                             right=ir.CardCount(player="opponent", zone="hand")),
                      steps=(ir.Draw(amount=C(1)),))),
    ("attack", "If this Pokémon has exactly 1 [F] Energy attached, this attack does 30 more damage.",
     ir.Attack(steps=(ir.If(condition=ir.CountIn(count=ir.EnergyCount(target=THIS, energy_type="Fighting"),
                                                 values=(1,)), then=(MORE(30),)),))),
    ("attack", "If your opponent has exactly 2 Benched Pokémon, this attack does 30 more damage.",
     ir.Attack(steps=(ir.If(condition=ir.CountIn(count=ir.PokemonCount(among=ir.Among(player="opponent",
                                                                                        zone="bench")), values=(2,)),
                            then=(MORE(30),)),))),
]


# what happened this turn, player scope "either yours or your opponent's", several Energy types at once, totals
CASES += [
    ("attack", "If this Pokémon evolved from Cubchoo during this turn, this attack does 60 more damage.",
     ir.Attack(steps=(ir.If(condition=ir.All(conditions=(ir.History(event="evolved_this_turn"), ir.Matches(
         target=THIS, filters=(ir.EvolvesFrom(name="Cubchoo"),)))), then=(MORE(60),)),))),
    ("attack", "Heal 20 damage from each of your Benched Pokémon. If you healed any damage in this way, draw a card.",
     ir.Attack(steps=(ir.Heal(amount=C(20), target=ir.Each(among=ir.Among(zone="bench"))),
                      ir.If(condition=DONE, then=(ir.Draw(amount=C(1)),))))),
    ("trainer", "Choose 1 Basic Pokémon (either yours or your opponent's). Heal 40 damage from it.",
     ir.TrainerEffect(steps=(ir.Select(target=ir.Choose(among=ir.Among(player="both", filters=(BASIC,)))),
                             ir.Heal(amount=C(40), target=THAT)))),
    ("attack", "1 Benched Pokémon (either yours or your opponent's) is chosen at random. Do 40 damage to it.",
     ir.Attack(steps=(ir.Select(target=ir.RandomPokemon(among=ir.Among(player="both", zone="bench"))),
                      ir.Damage(amount=C(40), target=THAT)))),
    ("attack", "Take a [L] Energy and a [M] Energy from your Energy Zone and attach them to this Pokémon.",
     ir.Attack(steps=(ir.AttachEnergy(energy=(ir.EnergySel(energy_type="Lightning"), ir.EnergySel(
         energy_type="Metal")), target=THIS),))),
    ("trainer", "Take a [G], [R], and [W] Energy from your Energy Zone and attach them to 1 of your Benched Pokémon.",
     ir.TrainerEffect(steps=(ir.AttachEnergy(energy=tuple(ir.EnergySel(energy_type=t) for t in (
         "Grass", "Fire", "Water")), target=ir.Choose(among=ir.Among(zone="bench"))),))),
    ("attack", "If you have 4 or more [W] Energy attached to all of your Pokémon, this attack does 50 more damage.",
     ir.Attack(steps=(ir.If(condition=ir.CountAtLeast(count=ir.EnergyCount(target=ir.Each(among=ir.Among()),
                                                                            energy_type="Water"), value=4),
                            then=(MORE(50),)),))),
    ("attack", "If you have 2 or more points, this attack does 30 more damage.",
     ir.Attack(steps=(ir.If(condition=ir.Points(player="you", at_least=2), then=(MORE(30),)),))),
    # rules on evolving
    ("ability", "As long as this Pokémon is on your Bench, it can evolve during your first turn or the turn you play "
                "it.",
     ir.Passive(requirement=ir.Matches(target=THIS, filters=(ir.InZone(zone="bench"),)),
                modifiers=(ir.EvolveEarly(target=THIS),))),
    ("ability", "This Pokémon can evolve into any Pokémon that evolves from Pichu if you play it from your hand onto "
                "this Pokémon.",
     ir.Passive(modifiers=(ir.EvolvesAs(target=THIS, name="Pichu"),))),
    ("trainer", "Choose 1 of your Basic [W] Pokémon. Put a random Pokémon ex from your deck that evolves from that "
                "Pokémon onto that Pokémon to evolve it. You can't use this card during your first turn or on a Basic "
                "Pokémon that was put into play this turn.",
     ir.TrainerEffect(requirement=ir.Not(condition=ir.History(event="your_first_turn")), steps=(
         ir.Select(target=ir.Choose(among=ir.Among(filters=(BASIC, ir.TypeIs(types=("Water",)),
                                                            ir.PutIntoPlayThisTurn(value=False))))),
         ir.EvolveFromDeck(target=THAT, filter=ir.CardFilter(kind="pokemon", filters=(ir.IsEx(),)))))),
    ("trainer", "You can't use this card during your first turn. Draw 3 cards.",
     ir.TrainerEffect(requirement=ir.Not(condition=ir.History(event="your_first_turn")),
                      steps=(ir.Draw(amount=C(3)),))),
    ("trainer", "Choose 1 of your Basic [F] Pokémon. If you have a Stage 2 card in your hand that evolves from that "
                "Pokémon, put that card onto that Pokémon to evolve it, skipping the Stage 1.",
     ir.TrainerEffect(steps=(ir.Select(target=ir.Choose(among=ir.Among(filters=(BASIC, ir.TypeIs(types=("Fighting",)))))),
                             ir.EvolveFromHand(target=THAT, skip_stage1=True)))),
    # rearranging the top of a deck
    ("ability", "Once during your turn, you may look at the top 4 cards of your deck and put them back in any order.",
     ir.Activated(steps=(ir.ArrangeTop(count=C(4)),))),
    ("trainer", "For each of your Benched Pokémon, look at that many cards from the top of your opponent's deck and "
                "put them back in any order.",
     ir.TrainerEffect(steps=(ir.ArrangeTop(player="opponent", count=ir.Per(each=1, count=ir.PokemonCount(
         among=ir.Among(zone="bench")))),))),
]


@pytest.mark.parametrize("kind,text,expected", CASES, ids=[c[1][:60] for c in CASES])
def test_new_axes_parse_to_the_ir_they_mean(kind, text, expected):
    assert parse_effect(text, kind) == expected


@pytest.mark.parametrize("kind,text,expected", CASES, ids=[c[1][:60] for c in CASES])
def test_new_axes_round_trip(kind, text, expected):
    assert parse_effect(render(expected, kind), kind) == expected


NEAR_MISS = [
    # "if you do" after a step that tallies nothing, or with nothing before it
    ("attack", "If you do, this attack does 20 more damage."),
    ("attack", "Your opponent's Active Pokémon is now Asleep. If you do, draw a card."),
    # a comparison about several Pokémon at once
    ("attack", "If each of your Benched Pokémon has more remaining HP than this Pokémon, draw a card."),
    # fractions other than half
    ("ability", "If this Pokémon has a third of its maximum HP or less remaining, it has no Retreat Cost."),
    # a knockout trigger about a Pokémon other than any of the opponent's
    ("ability", "If your opponent's Active Pokémon is Knocked Out by damage from this Pokémon's attacks, draw a card."),
    # an Ability condition without the Pokémon's name, or on an Ability's presence by name
    ("ability", "This Ability works if you have any Pokémon in play with an Ability. Your Pokémon can't retreat."),
    # a Special Condition that does no damage
    ("ability", "Your opponent's Active Pokémon takes +10 damage from being Asleep."),
    # "for each card you put into your hand" after something other than a search for such cards
    ("trainer", "Draw 2 cards. For each Pokémon you put into your hand in this way, draw a card."),
    ("trainer", "Put 2 random Item cards from your deck into your hand. For each Pokémon you put into your hand in "
                "this way, choose a Pokémon to shuffle from your hand into your deck."),
    # [C] is no Energy type to change to
    ("attack", "Change the type of a random Energy attached to this Pokémon to 1 of the following at random: [G] or "
               "[C]."),
    # top-of-deck phrases without the look, reveal or discard they are about
    ("trainer", "Put all Item cards you find there into your hand."),
    ("trainer", "Draw a card. If that card is a Supporter card, draw a card."),
    ("trainer", "Look at the top 3 cards of your deck. Put all Item cards you find there into your hand."),
    ("attack", "This attack does 30 damage for each [W] Pokémon you find there."),
    ("trainer", "Look at the top card of your deck. If that card is a Supporter card, put it into your hand."),
    # a damage flip that adds damage, or changes another Pokémon's
    ("ability", "If any damage is done to this Pokémon by attacks, flip a coin. If heads, this Pokémon takes +30 "
                "damage from that attack."),
    ("ability", "If any damage is done to this Pokémon by attacks, flip a coin. If heads, your Active Pokémon takes "
                "-30 damage from that attack."),
    # survival of another Pokémon than the one named
    ("trainer", "During your opponent's next turn, if your [F] Pokémon would be Knocked Out by damage from an attack, "
                "this Pokémon is not Knocked Out and its remaining HP becomes 10."),
    # "flip ... instead" with no flip before it
    ("attack", "If this Pokémon has Lucky Helmet attached, flip 2 coins instead."),
    # any number of the opponent's Pokémon, or of Pokémon in the Active Spot
    ("attack", "You may discard any number of your opponent's Benched Pokémon."),
    # an alternative cost outside an attack
    ("ability", "If this Pokémon has damage on it, this attack can be used for 1 [L] Energy."),
    # "Ultra" alone is part of names ("Ultra Necrozma ex"), not the attribute
    ("ability", "Your Active Ultra Pokémon has no Retreat Cost."),
    # less damage for each of something
    ("trainer", "Attacks used by the Pokémon this card is attached to do -10 damage to your opponent's Active "
                "Pokémon for each point you have gotten."),
    # a knocked-out Pokémon into the hand outside a trigger on that knockout, or into the other player's hand
    ("attack", "Put it into your hand instead of the discard pile."),
    ("trainer", "If the Pokémon this card is attached to is damaged by an attack from your opponent's Pokémon, put "
                "it into your hand instead of the discard pile."),
    # an Evolution card into the hand of the player who doesn't own it
    ("attack", "If your opponent's Active Pokémon is an evolved Pokémon, devolve it by putting the highest Stage "
               "Evolution card on it into your hand."),
    ("attack", "Devolve your opponent's Active Pokémon by putting the highest Stage Evolution card on it into your "
               "hand."),
    # switching cards of different kinds
    ("trainer", "Choose a Pokémon in your hand and switch it with a random Supporter card in your deck."),
    # revealing cards of the discard pile (public anyway) is not a wording the cards use
    ("trainer", "Your opponent reveals all of the Supporter cards in their discard pile."),
    # v7: a Trainer's rule about one player's Pokémon is neither a Tool's (about its holder) nor a Stadium's
    ("trainer", "Your Basic Pokémon get +10 HP."),
    # a Stadium's rule that names "your opponent's" Pokémon: whose opponent, when it applies to both players?
    ("trainer", "Attacks used by Basic Pokémon (both yours and your opponent's) do +10 damage to your opponent's "
                "Active Pokémon."),
    ("trainer", "[R] Pokémon (both yours and your opponent's) take -10 damage from attacks from your opponent's "
                "Pokémon."),
    # "it" after a condition on a Stadium: no Pokémon to refer to
    ("attack", "If a Stadium is in play, discard it."),
    # a Stadium effect that each player may use during their turn: the IR has none (nor an action for it)
    ("trainer", "Once during each player's turn, that player may draw a card."),
    # the beginning of the first turn: no such trigger
    ("ability", "At the beginning of your first turn, draw a card."),
    # a coin result as a turn-point trigger's condition, with no flip
    ("ability", "At the beginning of your turn, if heads, draw a card."),
    # "damaged by an attack" without whose attack (your own attacks can damage your Pokémon too)
    ("ability", "The first time this Pokémon is damaged by an attack after coming into play, draw a card."),
    # damage "from your opponent's Pokémon" to a Pokémon that may not be yours
    ("attack", "If the Defending Pokémon hasn't been damaged by an attack from your opponent's Pokémon since it came "
               "into play, this attack does 30 more damage."),
    # "the first time ... has been damaged" as a condition: the IR's tally can't tell it
    ("attack", "If this is the first time this Pokémon has been damaged by an attack since it came into play, draw a "
               "card."),
    # a rule against playing Tools: the IR has none
    ("ability", "Your opponent can't play any Pokémon Tool cards from their hand."),
    # two Stadiums in play at once
    ("attack", "If Misty Marsh and Cliff Path is in play, draw a card."),
    # more than 1 Stadium
    ("attack", "Discard 2 Stadium in play."),
    # counts: knockouts of a kind (the IR counts them all), knocked-out Pokémon as a target, types of Energy over
    # several Pokémon (all of them together, or each one's?)
    ("attack", "This attack does 20 damage for each of your [W] Pokémon that was Knocked Out during this game."),
    ("attack", "Heal 30 damage from each of your Pokémon that was Knocked Out during this game."),
    ("attack", "This attack does 20 damage for each different type of Energy attached to all of your Pokémon."),
    # "if you healed" after something other than a heal; the same type twice; several Energy to several Pokémon with
    # no word on how they are split; Energy "you have" on the opponent's Pokémon
    ("attack", "Discard a card from your hand. If you healed any damage in this way, draw a card."),
    ("attack", "Take a [R] Energy and a [R] Energy from your Energy Zone and attach them to this Pokémon."),
    ("attack", "Take a [G], [R], and [W] Energy from your Energy Zone and attach them to each of your Benched "
               "Pokémon."),
    ("attack", "If you have 3 or more Energy attached to your opponent's Active Pokémon, draw a card."),
    # "put them back in any order" with no cards looked at, or only 1
    ("trainer", "Draw 2 cards. Put them back in any order."),
    ("trainer", "Look at the top card of your deck and put them back in any order."),
    # evolving one Pokémon by playing a card onto another; early evolution of one player's Pokémon on a Trainer
    ("ability", "This Pokémon can evolve into any Pokémon that evolves from Pichu if you play it from your hand onto "
                "your Active Pokémon."),
    ("trainer", "Your Basic Pokémon can evolve during your first turn or the turn you play it."),
    # "put into play this turn" about a Pokémon the card doesn't choose; evolving a Pokémon with a card that evolves
    # from another
    ("trainer", "Heal 30 damage from each of your Pokémon. You can't use this card during your first turn or on a "
                "Pokémon that was put into play this turn."),
    ("trainer", "Choose 1 of your Pokémon. Put a random Pokémon from your deck that evolves from your Active Pokémon "
                "onto that Pokémon to evolve it."),
    # evolving from the hand into a Stage 1 (no stage filter on the step), into a Stage 2 without skipping, or a
    # Pokémon not chosen before
    ("trainer", "Choose 1 of your Pokémon. If you have a Stage 1 card in your hand that evolves from that Pokémon, put "
                "that card onto that Pokémon to evolve it."),
    ("trainer", "Choose 1 of your Basic Pokémon. If you have a Stage 2 card in your hand that evolves from that "
                "Pokémon, put that card onto that Pokémon to evolve it."),
    ("trainer", "If you have a Stage 2 card in your hand that evolves from that Pokémon, put that card onto the Basic "
                "Pokémon to evolve it, skipping the Stage 1."),
    # "evolved from" in a Trainer (no "this Pokémon" there)
    ("trainer", "You can use this card only if this Pokémon evolved from Eevee during this turn. Draw a card."),
    # a Pokémon discarded in this way of a kind other than what was discarded
    ("attack", "Discard a card from your hand. This attack does 20 damage for each [W] Pokémon you discarded in this "
               "way."),
]


@pytest.mark.parametrize("kind,text", NEAR_MISS, ids=[t[:60] for _, t in NEAR_MISS])
def test_near_misses_stay_unresolved(kind, text):
    assert isinstance(parse_effect(text, kind), ir.Unresolved), parse_effect(text, kind)


# --- canonical English reads as the printed text (issue 10, item 4) -----------------------------------------------

@pytest.mark.parametrize("kind,text,base", [
    ("ability", "Once during your turn, you may make your opponent's Active Pokémon Confused.", 0),
    ("ability", "Once during your turn, when you put this Pokémon from your hand onto your Bench, you may have your "
                "opponent reveal their hand.", 0),
    ("trainer", "Choose 2 of your Benched Pokémon. For each of those Pokémon, take a [G] Energy from your Energy "
                "Zone and attach it to that Pokémon.", 0),
    ("trainer", "Put 2 random Pokémon Tool cards from your deck into your hand.", 0),
    ("trainer", "Put a random Supporter card from your deck into your hand.", 0),
    ("attack", "This attack also does 20 damage to 1 of your opponent's Benched Pokémon.", 30),
    ("attack", "This attack does 20 damage to 1 of your opponent's Benched Pokémon.", 0),
    ("ability", "Attacks used by your [W] Pokémon do +10 damage to your opponent's Active Pokémon.", 0),
])
def test_canonical_english_is_the_printed_wording(kind, text, base):
    from compiler.coverage import renders_as_printed

    node = parse_effect(text, kind)
    assert renders_as_printed(kind, text, node, base), render(node, kind, base)
    assert parse_effect(render(node, kind, base), kind) == node
