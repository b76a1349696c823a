"""Interaction tests of the Pocket rules: a constructed state, one action, the exact expected state.

Each expectation is written from the rule (docs/rules.md, RulesSpec), not from the engine's output.
"""

from __future__ import annotations

import pytest

from compiler.engine_model.rng import Addr, coin
from reference import IllegalAction
from reference.testing import board, board_diff, engine, game_over, mon, side, view

from tests.test_reference_pool import (RULES_POOL)

ENG = engine(RULES_POOL)
L = ENG.layout


def eng_with(**overrides):
    return engine(RULES_POOL, **overrides)


def hand_index(s, player, cid):
    db = s.engine.db
    return [db[s.card_of[i]].id for i in s.players[player].hand].index(cid)


def two(you, opp, **kw):
    return board(ENG, you, opp, **kw)


def next_turn(you, opp, eng=ENG):
    """The expected view after player 0's turn 3 ended: player 1's turn 4, Grass current and next in their zone."""
    opp.current = opp.next = "G"
    return view(board(eng, you, opp, turn=4, turn_player=1))


# --- setup -----------------------------------------------------------------------------------------------------

def deck_of(eng, ids):
    from reference.engine import Deck

    return Deck("d", (3,), tuple(eng.db.by_id[i] for i in ids))


def test_init_deals_opening_hand_with_a_basic_and_enters_setup():
    ids = ["T-002"] * 10 + ["T-102"] * 9 + ["T-001"]  # one Basic among 20 cards
    s = ENG.init([deck_of(ENG, ids), deck_of(ENG, ids)], key=7)
    for pl in s.players:
        assert len(pl.hand) == 5 and len(pl.deck) == 15
        assert any(ENG.db[s.card_of[i]].is_basic for i in pl.hand)
    assert s.phase == "setup" and s.turn == 0 and s.current_player == s.first_player


def test_first_player_is_drawn_by_the_addressed_coin():
    # Setup 1: a coin at address FIRST_PLAYER decides who goes first
    ids = ["T-001"] * 20
    for key in range(1, 6):
        s = ENG.init([deck_of(ENG, ids), deck_of(ENG, ids)], key=key)
        assert s.first_player == (1 if coin(key, Addr.FIRST_PLAYER) else 0)


def test_setup_places_active_then_bench_then_both_players_done_starts_turn_one():
    ids = ["T-001"] * 20
    s = ENG.init([deck_of(ENG, ids), deck_of(ENG, ids)], key=3)
    f = s.first_player
    assert L.end_turn() not in ENG.legal_actions(s)  # no Active yet
    s = ENG.step(s, L.play(0), 1)
    s = ENG.step(s, L.play(0), 2)
    assert s.players[f].active is not None and s.players[f].slots[1] is not None
    s = ENG.step(s, L.end_turn(), 3)
    assert s.current_player == 1 - f and s.phase == "setup"
    s = ENG.step(s, L.play(0), 4)
    s = ENG.step(s, L.end_turn(), 5)
    # first player: 5 - 2 placed + 1 drawn, deck 15 - 1, no Energy on the very first turn; second: 5 - 1, no draw
    first = side(active=mon("T-001", entered_turn=0), bench=[mon("T-001")], hand=["T-001"] * 4, deck=["T-001"] * 14,
                 energy="L", next="L")
    second = side(active=mon("T-001"), hand=["T-001"] * 4, deck=["T-001"] * 15, energy="L")
    sides = (first, second) if f == 0 else (second, first)
    assert view(s) == view(board(ENG, *sides, turn=1, turn_player=f))


def test_second_player_gets_energy_and_draws_on_turn_two():
    # Turn start: next Energy becomes current, a new next is drawn; the player draws a card
    s = two(side(active=mon("T-001"), energy="L", deck=["T-001"]),
            side(active=mon("T-001"), energy="L", deck=["T-003", "T-001"]), turn=1, turn_player=0)
    s.players[0].turns_taken = s.players[1].turns_taken = 0
    s.players[0].turns_taken = 1
    after = ENG.step(s, L.end_turn(), 1)
    exp = two(side(active=mon("T-001"), energy="L", deck=["T-001"]),
              side(active=mon("T-001"), energy="L", deck=["T-001"], hand=["T-003"], current="L", next="L"), turn=2,
              turn_player=1)
    assert view(after) == view(exp)


# --- turn start: draw, hand limit, deck out -----------------------------------------------------------------------

def test_hand_limit_skips_the_draw():
    full = ["T-102"] * 10
    s = two(side(active=mon("T-001")), side(active=mon("T-001"), hand=full, deck=["T-003"]), turn=3)
    after = ENG.step(s, L.end_turn(), 1)  # 10 cards in hand: no draw
    assert view(after) == next_turn(side(active=mon("T-001")), side(active=mon("T-001"), hand=full, deck=["T-003"]))


def test_empty_deck_skips_the_draw_without_losing():
    # Empty deck: the draw is skipped (deck_out_loses is off in Pocket)
    s = two(side(active=mon("T-001")), side(active=mon("T-001"), deck=[]))
    after = ENG.step(s, L.end_turn(), 1)
    assert view(after) == next_turn(side(active=mon("T-001")), side(active=mon("T-001")))


def test_empty_deck_loses_when_deck_out_loses():
    # Empty deck with deck_out_loses: the player who cannot draw loses
    eng = eng_with(deck_out_loses=True)
    s = board(eng, side(active=mon("T-001")), side(active=mon("T-001"), deck=[]))
    after = eng.step(s, eng.layout.end_turn(), 1)
    assert view(after) == game_over(next_turn(side(active=mon("T-001")), side(active=mon("T-001")), eng), 0)
    assert after.rewards == (1.0, -1.0)


# --- energy -------------------------------------------------------------------------------------------------------

def test_attach_energy_from_zone_once_per_turn():
    # The current Zone Energy may be attached to one of your Pokémon, once per turn
    s = two(side(active=mon("T-001"), bench=[mon("T-003")], energy="L", current="L"), side(active=mon("T-001")))
    after = ENG.step(s, L.attach_energy(1), 1)
    exp = two(side(active=mon("T-001"), bench=[mon("T-003", energy="L")], energy="L", energy_attached=1),
              side(active=mon("T-001")))
    assert view(after) == view(exp)
    assert not any(L.decode(a).kind == "attach_energy" for a in ENG.legal_actions(after))


def test_no_attach_when_the_zone_is_empty():
    # No current Energy in the Zone: nothing to attach
    s = two(side(active=mon("T-001"), energy="L", current=None), side(active=mon("T-001")))
    assert L.attach_energy(0) not in ENG.legal_actions(s)


# --- playing cards --------------------------------------------------------------------------------------------------

def test_play_basic_to_first_empty_bench_slot():
    # A Basic Pokémon goes to the first empty Bench slot
    s = two(side(active=mon("T-001"), bench=[mon("T-003")], hand=["T-007"]), side(active=mon("T-001")))
    after = ENG.step(s, L.play(0), 1)
    exp = two(side(active=mon("T-001"), bench=[mon("T-003"), mon("T-007", entered_turn=3)]),
              side(active=mon("T-001")))
    assert view(after) == view(exp)


def test_play_basic_illegal_with_full_bench():
    # bench_size 3: a full Bench takes no more Pokémon
    s = two(side(active=mon("T-001"), bench=[mon("T-003")] * 3, hand=["T-007"]), side(active=mon("T-001")))
    assert L.play(0) not in ENG.legal_actions(s)


def test_evolve_keeps_damage_and_energy_and_clears_conditions():
    # Evolving keeps damage and Energy and removes Special Conditions
    s = two(side(active=mon("T-001", damage=30, energy="LL", conditions=("Poisoned", "Asleep")), hand=["T-002"]),
            side(active=mon("T-003")))
    after = ENG.step(s, L.play_on(0, 0), 1)
    exp = two(side(active=mon("T-001", "T-002", damage=30, energy="LL")), side(active=mon("T-003")))
    assert view(after) == view(exp)


def test_evolve_illegal_on_the_turn_played():
    # Not on the turn the Pokémon was put into play (evolve_same_turn_played off)
    s = two(side(active=mon("T-001", entered_turn=3), hand=["T-002"]), side(active=mon("T-003")))
    assert L.play_on(0, 0) not in ENG.legal_actions(s)


def test_evolve_legal_on_the_turn_played_when_the_rule_allows():
    # evolve_same_turn_played: true allows it
    eng = eng_with(evolve_same_turn_played=True)
    s = board(eng, side(active=mon("T-001", entered_turn=3), hand=["T-002"]), side(active=mon("T-003")))
    after = eng.step(s, eng.layout.play_on(0, 0), 1)
    assert view(after) == view(board(eng, side(active=mon("T-001", "T-002")), side(active=mon("T-003"))))


def test_evolve_illegal_on_own_first_turn_even_for_the_second_player():
    # Not during the player's own first turn: the second player can't evolve on turn 2
    s = two(side(active=mon("T-003")), side(active=mon("T-001"), hand=["T-002"], turns_taken=1), turn=2,
            turn_player=1)
    assert L.play_on(0, 0) not in ENG.legal_actions(s)


def test_evolve_on_first_turn_when_the_rule_allows():
    # first_turn.evolve_on_first_turn: true allows it
    eng = eng_with(first_turn={"evolve_on_first_turn": True})
    s = board(eng, side(active=mon("T-003")), side(active=mon("T-001"), hand=["T-002"], turns_taken=1), turn=2,
              turn_player=1)
    after = eng.step(s, eng.layout.play_on(0, 0), 1)
    assert view(after) == view(board(eng, side(active=mon("T-003")), side(active=mon("T-001", "T-002")), turn=2,
                                     turn_player=1))


def test_stage2_cannot_skip_stage1():
    # A Stage 2 evolves only from the Stage 1 it names
    s = two(side(active=mon("T-001"), hand=["T-006"]), side(active=mon("T-003")))
    assert not any(L.decode(a).kind == "play_on" for a in ENG.legal_actions(s))


def test_stage2_evolves_a_stage1():
    # A Stage 2 on the Stage 1 it names: the stack grows
    s = two(side(active=mon("T-001", "T-002"), hand=["T-006"]), side(active=mon("T-003")))
    after = ENG.step(s, L.play_on(0, 0), 1)
    assert view(after) == view(two(side(active=mon("T-001", "T-002", "T-006")), side(active=mon("T-003"))))


def test_supporter_once_per_turn():
    # supporters_per_turn 1; Professor: "Draw 2 cards."
    s = two(side(active=mon("T-001"), hand=["T-102", "T-102"], deck=["T-003"] * 5), side(active=mon("T-001")))
    after = ENG.step(s, L.play(0), 1)
    exp = two(side(active=mon("T-001"), hand=["T-102", "T-003", "T-003"], deck=["T-003"] * 3,
                   discard=["T-102"], supporters_played=1), side(active=mon("T-001")))
    assert view(after) == view(exp)
    assert L.play(0) not in ENG.legal_actions(after)


def test_supporter_on_first_turn_forbidden_by_rule():
    eng = eng_with(first_turn={"first_player_supporter": False})
    s = board(eng, side(active=mon("T-001"), hand=["T-102"]), side(active=mon("T-001")), turn=1)
    assert eng.layout.play(0) not in eng.legal_actions(s)
    # allowed by default: Professor draws 2
    s = board(ENG, side(active=mon("T-001"), hand=["T-102"], deck=["T-003"] * 2), side(active=mon("T-001")), turn=1)
    after = ENG.step(s, L.play(0), 1)
    assert view(after) == view(board(ENG, side(active=mon("T-001"), hand=["T-003"] * 2, discard=["T-102"],
                                               supporters_played=1), side(active=mon("T-001")), turn=1))


def test_items_are_not_limited_per_turn():
    # Items: any number. Potion: "Heal 20 damage from 1 of your Pokémon."
    s = two(side(active=mon("T-001", damage=40), hand=["T-101", "T-101"]), side(active=mon("T-001")))
    s = ENG.step(s, L.play(0), 1)
    after = ENG.step(s, L.play(0), 2)
    exp = two(side(active=mon("T-001", damage=0), discard=["T-101", "T-101"]), side(active=mon("T-001")))
    assert view(after) == view(exp)


def test_tool_attaches_once_and_raises_hp():
    # tools_per_pokemon 1; Giant Cape: "The Pokémon this card is attached to gets +20 HP."
    s = two(side(active=mon("T-001", damage=60 - 10), hand=["T-103", "T-103"]), side(active=mon("T-001")))
    after = ENG.step(s, L.play_on(0, 0), 1)
    exp = two(side(active=mon("T-001", damage=50, tools=["T-103"]), hand=["T-103"]), side(active=mon("T-001")))
    assert view(after) == view(exp)
    assert L.play_on(0, 0) not in ENG.legal_actions(after)
    assert ENG.observe(after, 0)["you"]["slots"][0]["hp"] == 80


def test_stadium_replaces_the_old_one_into_its_owners_discard():
    s = two(side(active=mon("T-001"), hand=["T-105", "T-104"]), side(active=mon("T-001")), stadium="T-104")
    assert L.play(1) not in ENG.legal_actions(s)  # same name as the stadium in play
    after = ENG.step(s, L.play(0), 1)
    exp = two(side(active=mon("T-001"), hand=["T-104"], discard=["T-104"]), side(active=mon("T-001")),
              stadium="T-105")
    assert view(after) == view(exp)


# --- fossils ---------------------------------------------------------------------------------------------------------

def test_fossil_plays_as_basic_with_its_hp_and_cannot_retreat():
    # A fossil is played as a Basic with the HP its text gives (40) and can't retreat
    s = two(side(active=mon("T-001"), hand=["T-106"]), side(active=mon("T-001")))
    after = ENG.step(s, L.play(0), 1)
    assert view(after) == view(two(side(active=mon("T-001"), bench=[mon("T-106")]), side(active=mon("T-001"))))
    assert ENG.observe(after, 0)["you"]["slots"][1]["hp"] == 40
    s2 = two(side(active=mon("T-106", energy="LLL"), bench=[mon("T-001")]), side(active=mon("T-001")))
    assert not any(L.decode(a).kind == "retreat" for a in ENG.legal_actions(s2))


def test_fossil_may_be_discarded_from_play():
    s = two(side(active=mon("T-001"), bench=[mon("T-106", damage=10)]), side(active=mon("T-001")))
    after = ENG.step(s, L.ability(1), 1)
    exp = two(side(active=mon("T-001"), discard=["T-106"]), side(active=mon("T-001")))
    assert view(after) == view(exp)  # no points for the opponent


def test_omanyte_evolves_from_helix_fossil():
    # Omanyte evolves from Helix Fossil
    s = two(side(active=mon("T-106"), hand=["T-008"]), side(active=mon("T-001")))
    after = ENG.step(s, L.play_on(0, 0), 1)
    assert view(after) == view(two(side(active=mon("T-106", "T-008")), side(active=mon("T-001"))))


# --- retreat --------------------------------------------------------------------------------------------------------

def test_retreat_pays_cost_swaps_and_clears_conditions():
    # Retreat: pay the Retreat Cost (3) in Energy; the Pokémon moving to the Bench loses its conditions
    s = two(side(active=mon("T-003", energy="FFF", conditions=("Poisoned",), damage=20), bench=[mon("T-001")]),
            side(active=mon("T-001")))
    after = ENG.step(s, L.retreat(1), 1)
    exp = two(side(active=mon("T-001"), bench=[mon("T-003", damage=20)], discard_energy="FFF", retreats=1),
              side(active=mon("T-001")))
    assert view(after) == view(exp)


def test_retreat_discards_the_most_plentiful_energy_first():
    s = two(side(active=mon("T-001", energy="GLL"), bench=[mon("T-003")]), side(active=mon("T-001")))
    after = ENG.step(s, L.retreat(1), 1)  # Retreat Cost 1: one of the two Lightning goes
    assert view(after) == view(two(side(active=mon("T-003"), bench=[mon("T-001", energy="GL")], discard_energy="L",
                                        retreats=1), side(active=mon("T-001"))))


def test_retreat_once_per_turn():
    # retreats_per_turn 1
    s = two(side(active=mon("T-001", energy="LL"), bench=[mon("T-001")], retreats=1), side(active=mon("T-001")))
    assert not any(L.decode(a).kind == "retreat" for a in ENG.legal_actions(s))


def test_retreat_needs_enough_energy():
    # Onix's Retreat Cost is 3: two Energy are not enough
    s = two(side(active=mon("T-003", energy="FF"), bench=[mon("T-001")]), side(active=mon("T-001")))
    assert L.retreat(1) not in ENG.legal_actions(s)


@pytest.mark.parametrize("cond", ["Asleep", "Paralyzed"])
def test_asleep_or_paralyzed_cannot_retreat_or_attack(cond):
    # An Asleep or Paralyzed Active can't attack or retreat
    s = two(side(active=mon("T-001", energy="LL", conditions=(cond,)), bench=[mon("T-001")]),
            side(active=mon("T-001")))
    kinds = {L.decode(a).kind for a in ENG.legal_actions(s)}
    assert "retreat" not in kinds and "attack" not in kinds


def test_confused_and_poisoned_may_retreat():
    s = two(side(active=mon("T-001", energy="L", conditions=("Confused", "Poisoned")), bench=[mon("T-003")]),
            side(active=mon("T-001")))
    after = ENG.step(s, L.retreat(1), 1)  # and moving to the Bench removes them
    assert view(after) == view(two(side(active=mon("T-003"), bench=[mon("T-001")], discard_energy="L", retreats=1),
                                   side(active=mon("T-001"))))


# --- attacks ---------------------------------------------------------------------------------------------------------

def test_attack_cost_typed_and_colorless():
    s = two(side(active=mon("T-001", "T-002", energy="LG")), side(active=mon("T-003")))
    assert L.attack(0) not in ENG.legal_actions(s)  # Bolt LLC needs 2 Lightning
    s = two(side(active=mon("T-001", "T-002", energy="LLG")), side(active=mon("T-003")))
    after = ENG.step(s, L.attack(0), 1)  # Grass pays the [C]; Bolt does 90 (Onix is weak to Grass, not Lightning)
    assert view(after) == next_turn(side(active=mon("T-001", "T-002", energy="LLG")),
                                    side(active=mon("T-003", damage=90)))


def test_attack_deals_printed_damage_ends_turn_and_opponent_draws():
    # Thunder (LL) 40: the attack ends the turn; the opponent's turn starts with Energy and a draw
    s = two(side(active=mon("T-001", energy="LL")), side(active=mon("T-003"), deck=["T-001"], energy="F", next="F"))
    after = ENG.step(s, L.attack(1), 1)
    exp = two(side(active=mon("T-001", energy="LL")),
              side(active=mon("T-003", damage=40), hand=["T-001"], energy="F", current="F", next="F"), turn=4,
              turn_player=1)
    assert view(after) == view(exp)


def test_weakness_adds_twenty():
    s = two(side(active=mon("T-003", energy="FF")), side(active=mon("T-001", "T-002")))
    after = ENG.step(s, L.attack(0), 1)  # Raichu is weak to Fighting: Slam 60 + 20
    assert view(after) == next_turn(side(active=mon("T-003", energy="FF")), side(active=mon("T-001", "T-002",
                                                                                           damage=80)))


def test_first_player_may_attack_on_turn_one_unless_the_rule_forbids():
    you, opp = side(active=mon("T-001", energy="L"), turns_taken=1), side(active=mon("T-003"))
    after = ENG.step(board(ENG, you, opp, turn=1), L.attack(0), 1)  # Gnaw: 10
    assert view(after) == view(board(ENG, side(active=mon("T-001", energy="L")),
                                     side(active=mon("T-003", damage=10), current="G", next="G"), turn=2,
                                     turn_player=1))
    eng = eng_with(first_turn={"first_player_attack": False})
    assert eng.layout.attack(0) not in eng.legal_actions(board(eng, you, opp, turn=1))


# --- knockouts, points, promotion, winning -------------------------------------------------------------------------

def test_knockout_scores_one_discards_everything_and_auto_promotes_the_only_bench():
    s = two(side(active=mon("T-003", energy="FF")),
            side(active=mon("T-001", "T-002", damage=40, energy="LL", tools=["T-103"]),
                 bench=[mon("T-007")]))  # Raichu 100 + Cape 20 = 120 HP: 40 + Slam 60 + Weakness 20 = 120
    after = ENG.step(s, L.attack(0), 1)
    exp = two(side(active=mon("T-003", energy="FF"), points=1),
              side(active=mon("T-007"), discard=["T-001", "T-002", "T-103"], discard_energy="LL", current="G",
                   next="G"),
              turn=4, turn_player=1)
    assert view(after) == view(exp)


def test_knockout_promotion_is_the_owners_choice():
    # Promotion is the owner's decision (two Benched Pokémon: a choice)
    s = two(side(active=mon("T-003", energy="FF")), side(active=mon("T-001"), bench=[mon("T-007"), mon("T-004")]))
    mid = ENG.step(s, L.attack(0), 1)
    assert mid.phase == "choice" and mid.current_player == 1 and mid.pending.kind == "promote"
    assert mid.pending.options == [1, 2] and mid.players[0].points == 1
    after = ENG.step(mid, L.choose(1), 2)
    exp = two(side(active=mon("T-003", energy="FF"), points=1),
              side(active=mon("T-004"), bench=[mon("T-007")], discard=["T-001"], current="G", next="G"), turn=4,
              turn_player=1)
    assert view(after) == view(exp)


@pytest.mark.parametrize("victim,points", [("T-004", 2), ("T-005", 3)])
def test_ex_scores_two_and_mega_ex_three(victim, points):
    s = two(side(active=mon("T-003", energy="FF")), side(active=mon(victim, damage=190), bench=[mon("T-007")]))
    after = ENG.step(s, L.attack(0), 1)
    if points < 3:
        exp = next_turn(side(active=mon("T-003", energy="FF"), points=points), side(active=mon("T-007"),
                                                                                   discard=[victim]))
    else:  # 3 points win at once: no promotion
        exp = game_over(view(two(side(active=mon("T-003", energy="FF"), points=3),
                                 side(bench=[mon("T-007")], discard=[victim]))), 0)
    assert view(after) == exp


def test_three_points_win():
    s = two(side(active=mon("T-003", energy="FF"), points=2), side(active=mon("T-001"), bench=[mon("T-007")]))
    after = ENG.step(s, L.attack(0), 1)  # the game ends at once: no promotion, no next turn
    exp = two(side(active=mon("T-003", energy="FF"), points=3), side(bench=[mon("T-007")], discard=["T-001"]))
    assert view(after) == game_over(view(exp), 0)
    assert after.rewards == (1.0, -1.0) and ENG.legal_actions(after) == []
    with pytest.raises(IllegalAction):
        ENG.step(after, L.end_turn(), 1)


def test_no_pokemon_left_loses():
    # no_pokemon_in_play_loses: a player with no Pokémon in play loses
    s = two(side(active=mon("T-003", energy="FF")), side(active=mon("T-001")))
    after = ENG.step(s, L.attack(0), 1)
    exp = two(side(active=mon("T-003", energy="FF"), points=1), side(discard=["T-001"]))
    assert view(after) == game_over(view(exp), 0)


def test_turn_limit_is_a_tie_by_default_and_can_go_to_points():
    s = two(side(active=mon("T-001"), points=1), side(active=mon("T-001")), turn=30)
    after = ENG.step(s, L.end_turn(), 1)  # after turn 30 ends the game stops
    exp = view(two(side(active=mon("T-001"), points=1), side(active=mon("T-001")), turn=30))
    assert view(after) == game_over(exp, 2, truncated=True)
    assert after.rewards == (0.0, 0.0)
    eng = eng_with(at_turn_limit="more_points_wins")
    after = eng.step(board(eng, side(active=mon("T-001"), points=1), side(active=mon("T-001")), turn=30),
                     eng.layout.end_turn(), 1)
    assert view(after) == game_over(exp, 0, truncated=True)


def test_points_to_win_is_a_parameter():
    # points_to_win: 1 — the first knockout wins
    eng = eng_with(points_to_win=1)
    s = board(eng, side(active=mon("T-003", energy="FF")), side(active=mon("T-001"), bench=[mon("T-007")]))
    exp = board(eng, side(active=mon("T-003", energy="FF"), points=1), side(bench=[mon("T-007")], discard=["T-001"]))
    assert view(eng.step(s, eng.layout.attack(0), 1)) == game_over(view(exp), 0)


# --- special conditions and checkup --------------------------------------------------------------------------------

def test_poison_does_ten_at_checkup():
    # Checkup: Poisoned does poison_damage (10)
    s = two(side(active=mon("T-001")), side(active=mon("T-003", conditions=("Poisoned",))))
    after = ENG.step(s, L.end_turn(), 1)
    assert view(after) == next_turn(side(active=mon("T-001")), side(active=mon("T-003", damage=10,
                                                                               conditions=("Poisoned",))))


def test_poison_damage_is_a_parameter():
    # special_conditions.poison_damage: 30
    eng = eng_with(special_conditions={"poison_damage": 30})
    s = board(eng, side(active=mon("T-001")), side(active=mon("T-003", conditions=("Poisoned",))))
    assert view(eng.step(s, eng.layout.end_turn(), 1)) == next_turn(
        side(active=mon("T-001")), side(active=mon("T-003", damage=30, conditions=("Poisoned",))), eng)


@pytest.mark.parametrize("heads", [True, False])
def test_burn_does_twenty_then_a_coin_may_recover(heads):
    # Checkup: Burned does 20, then a coin: heads removes Burned
    s = two(side(active=mon("T-001")), side(active=mon("T-003", conditions=("Burned",))))
    key = next(k for k in range(1, 200) if coin(k, Addr.CHECKUP_BURN + 1, 3) == heads)
    after = ENG.step(s, L.end_turn(), key)
    assert view(after) == next_turn(side(active=mon("T-001")),
                                    side(active=mon("T-003", damage=20, conditions=() if heads else ("Burned",))))


@pytest.mark.parametrize("heads", [True, False])
def test_asleep_wakes_on_heads_at_checkup(heads):
    # Checkup: Asleep flips a coin, heads wakes it
    s = two(side(active=mon("T-001", conditions=("Asleep",))), side(active=mon("T-003")))
    key = next(k for k in range(1, 200) if coin(k, Addr.CHECKUP_SLEEP + 0, 3) == heads)
    after = ENG.step(s, L.end_turn(), key)
    assert view(after) == next_turn(side(active=mon("T-001", conditions=() if heads else ("Asleep",))),
                                    side(active=mon("T-003")))


def test_paralysis_lasts_through_the_owners_next_turn():
    # Player 1's Active was paralyzed during turn 3 (player 0's turn).
    s = two(side(active=mon("T-001")), side(active=mon("T-003"), deck=["T-001"] * 3))
    s.players[1].active.rot, s.players[1].active.paralysis_left, s.players[1].active.paralysis_turn = 2, 1, 3
    s = ENG.step(s, L.end_turn(), 1)  # end of turn 3: still paralyzed during turn 4
    assert view(s) == next_turn(side(active=mon("T-001")), side(active=mon("T-003", conditions=("Paralyzed",)),
                                                                hand=["T-001"], deck=["T-001"] * 2))
    assert not any(L.decode(a).kind in ("attack", "retreat") for a in ENG.legal_actions(s))
    s = ENG.step(s, L.end_turn(), 2)  # end of the owner's turn 4: recovers
    assert view(s) == view(two(side(active=mon("T-001"), current="G", next="G"),
                               side(active=mon("T-003"), hand=["T-001"], deck=["T-001"] * 2, current="G", next="G"),
                               turn=5))


@pytest.mark.parametrize("heads", [True, False])
def test_confused_attack_needs_heads(heads):
    s = two(side(active=mon("T-003", energy="FF", conditions=("Confused",))), side(active=mon("T-001", "T-002")))
    key = next(k for k in range(1, 200) if coin(k, Addr.CONFUSION, 3) == heads)
    after = ENG.step(s, L.attack(0), key)  # tails: the attack does nothing, but the turn still ends
    assert view(after) == next_turn(side(active=mon("T-003", energy="FF", conditions=("Confused",))),
                                    side(active=mon("T-001", "T-002", damage=80 if heads else 0)))


def test_checkup_knockout_scores_for_the_opponent():
    # A checkup knockout scores for the opponent of the owner; the owner promotes
    s = two(side(active=mon("T-001", damage=50, conditions=("Poisoned",)), bench=[mon("T-003")]),
            side(active=mon("T-003")))
    after = ENG.step(s, L.end_turn(), 1)
    exp = two(side(active=mon("T-003"), discard=["T-001"]),
              side(active=mon("T-003"), points=1, current="G", next="G"), turn=4, turn_player=1)
    assert view(after) == view(exp)


def test_checkup_order_is_a_parameter_and_both_actives_are_checked():
    # Each checkup step looks at the turn player's Active, then the opponent's
    s = two(side(active=mon("T-001", conditions=("Poisoned",))), side(active=mon("T-003", conditions=("Poisoned",))))
    after = ENG.step(s, L.end_turn(), 1)
    assert view(after) == next_turn(side(active=mon("T-001", damage=10, conditions=("Poisoned",))),
                                    side(active=mon("T-003", damage=10, conditions=("Poisoned",))))


# --- API behaviour ----------------------------------------------------------------------------------------------------

def test_illegal_action_raises_a_clear_error():
    # API: an action not in legal_actions raises IllegalAction naming it
    s = two(side(active=mon("T-001")), side(active=mon("T-001")))
    with pytest.raises(IllegalAction, match="illegal action .*attack:0"):
        ENG.step(s, L.attack(0), 1)
    with pytest.raises(IllegalAction, match="not in 0"):
        ENG.step(s, 10_000, 1)


def test_step_never_changes_its_input_state():
    # API: step returns a new state; its input is unchanged
    s = two(side(active=mon("T-003", energy="FF")), side(active=mon("T-001"), bench=[mon("T-007")]))
    before = view(s)
    ENG.step(s, L.attack(0), 1)
    assert view(s) == before


def test_observe_hides_the_opponents_hand_and_deck_order():
    # API: observe shows counts, never hidden cards
    s = two(side(active=mon("T-001"), hand=["T-002"], deck=["T-003", "T-001"]),
            side(active=mon("T-001"), hand=["T-004", "T-005"], deck=["T-006"]))
    obs = ENG.observe(s, 0)
    assert obs["you"]["hand"] == ["T-002"] and "hand" not in obs["opponent"]
    assert obs["opponent"]["hand_count"] == 2 and obs["you"]["deck_count"] == 2
    assert "T-004" not in repr(obs) and "T-006" not in repr(obs) and "deck" not in obs["you"]


def test_actions_per_turn_are_bounded():
    eng = eng_with(max_actions_per_turn=2)
    s = board(eng, side(active=mon("T-001", damage=40), hand=["T-101"] * 3), side(active=mon("T-001")))
    s = eng.step(s, eng.layout.play(0), 1)
    s = eng.step(s, eng.layout.play(0), 2)
    assert eng.legal_actions(s) == [eng.layout.end_turn()]
    s = eng.step(s, eng.layout.end_turn(), 3)  # two Potions healed 40; the third stays in hand
    assert view(s) == next_turn(side(active=mon("T-001"), hand=["T-101"], discard=["T-101"] * 2),
                                side(active=mon("T-001")), eng)
    assert s.turn_actions == 0 and len(eng.legal_actions(s)) >= 1


# --- more rule interactions (edge cases of docs/rules.md) -----------------------------------------------------------

def test_both_actives_knocked_out_at_checkup_both_score_and_both_promote():
    # Checkup: poison on both Actives; each knockout scores for the owner's opponent; each promotes its only Benched
    s = two(side(active=mon("T-001", damage=50, conditions=("Poisoned",)), bench=[mon("T-003")]),
            side(active=mon("T-003", damage=90, conditions=("Poisoned",)), bench=[mon("T-007")]))
    after = ENG.step(s, L.end_turn(), 1)
    assert view(after) == next_turn(side(active=mon("T-003"), discard=["T-001"], points=1),
                                    side(active=mon("T-007"), discard=["T-003"], points=1))


def test_both_players_reaching_the_points_at_once_is_a_tie():
    # "A player wins with points_to_win points ... Both at once: a tie." (the game ends before promotion)
    s = two(side(active=mon("T-001", damage=50, conditions=("Poisoned",)), bench=[mon("T-003")], points=2),
            side(active=mon("T-003", damage=90, conditions=("Poisoned",)), bench=[mon("T-007")], points=2))
    after = ENG.step(s, L.end_turn(), 1)
    exp = two(side(bench=[mon("T-003")], discard=["T-001"], points=3),
              side(bench=[mon("T-007")], discard=["T-003"], points=3))
    assert view(after) == game_over(view(exp), 2)
    assert after.rewards == (0.0, 0.0)


@pytest.mark.parametrize("heads", [True, False])
def test_poisoned_and_burned_both_hurt_at_checkup(heads):
    # Poisoned: 10; Burned: 20, then a coin: heads removes Burned (Poisoned stays)
    s = two(side(active=mon("T-001")), side(active=mon("T-003", conditions=("Poisoned", "Burned"))))
    key = next(k for k in range(1, 200) if coin(k, Addr.CHECKUP_BURN + 1, 3) == heads)
    after = ENG.step(s, L.end_turn(), key)
    conds = ("Poisoned",) if heads else ("Poisoned", "Burned")
    assert view(after) == next_turn(side(active=mon("T-001")), side(active=mon("T-003", damage=30, conditions=conds)))


@pytest.mark.parametrize("heads", [True, False])
def test_asleep_and_poisoned_stack(heads):
    # Asleep and Poisoned stack: poison does 10, the sleep coin decides whether it wakes
    s = two(side(active=mon("T-001", conditions=("Asleep", "Poisoned"))), side(active=mon("T-003")))
    key = next(k for k in range(1, 200) if coin(k, Addr.CHECKUP_SLEEP + 0, 3) == heads)
    after = ENG.step(s, L.end_turn(), key)
    conds = ("Poisoned",) if heads else ("Asleep", "Poisoned")
    assert view(after) == next_turn(side(active=mon("T-001", damage=10, conditions=conds)), side(active=mon("T-003")))


def test_evolving_keeps_tools_damage_and_energy():
    # "Evolving keeps damage, Energy and Tools"
    s = two(side(active=mon("T-003"), bench=[mon("T-001", damage=20, energy="L", tools=["T-103"])], hand=["T-002"]),
            side(active=mon("T-003")))
    after = ENG.step(s, L.play_on(0, 1), 1)
    assert view(after) == view(two(side(active=mon("T-003"), bench=[mon("T-001", "T-002", damage=20, energy="L",
                                                                         tools=["T-103"])]),
                                   side(active=mon("T-003"))))


def test_retreat_keeps_the_evolution_stack_tools_and_damage():
    # Retreat moves the whole Pokémon (stack, Tools, damage); only the cost is discarded
    s = two(side(active=mon("T-001", "T-002", damage=30, energy="LL", tools=["T-103"]), bench=[mon("T-003")]),
            side(active=mon("T-001")))
    after = ENG.step(s, L.retreat(1), 1)
    assert view(after) == view(two(side(active=mon("T-003"), bench=[mon("T-001", "T-002", damage=30, energy="L",
                                                                        tools=["T-103"])],
                                        discard_energy="L", retreats=1), side(active=mon("T-001"))))


def test_a_draw_with_a_full_hand_is_not_taken():
    # Professor "Draw 2 cards" with 9 cards left in hand after playing it: only 1 is drawn
    s = two(side(active=mon("T-001"), hand=["T-102"] + ["T-101"] * 9, deck=["T-003"] * 3), side(active=mon("T-001")))
    after = ENG.step(s, L.play(0), 1)
    assert view(after) == view(two(side(active=mon("T-001"), hand=["T-101"] * 9 + ["T-003"], deck=["T-003"] * 2,
                                        discard=["T-102"], supporters_played=1), side(active=mon("T-001"))))


def test_attaching_energy_uses_up_the_current_energy_and_the_next_stays():
    # The Zone's current Energy is attached; the next one is only revealed for the next turn
    s = two(side(active=mon("T-001"), energy="L", current="L", next="L"), side(active=mon("T-001")))
    after = ENG.step(s, L.attach_energy(0), 1)
    assert view(after) == view(two(side(active=mon("T-001", energy="L"), energy="L", next="L", energy_attached=1),
                                   side(active=mon("T-001"))))


def whole_board_tests(path) -> tuple[list[str], list[str]]:
    """(tests asserting `view(state) == ...` or `view(state) in ...`, the other tests) of a test module."""
    import ast

    whole, other = [], []
    for fn in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(fn, ast.FunctionDef) and fn.name.startswith("test_"):
            asserts = [n.test for n in ast.walk(fn) if isinstance(n, ast.Assert) and isinstance(n.test, ast.Compare)]
            hit = any(isinstance(op, (ast.Eq, ast.In)) and any(
                isinstance(x, ast.Call) and getattr(x.func, "id", "") == "view" for x in [a.left, *a.comparators])
                for a in asserts for op in a.ops)
            (whole if hit else other).append(fn.name)
    return whole, other


def test_at_least_120_interaction_tests_compare_the_whole_board():
    # issue 4 "Done when": a constructed state and the exact expected state after the action, at least 120 tests
    from pathlib import Path

    here = Path(__file__).parent
    names = ("test_reference_ir.py", "test_reference_ir_more.py", "test_reference_rules.py")
    assert sum(len(whole_board_tests(here / n)[0]) for n in names) >= 120


def test_board_diff_names_each_differing_field():
    # The helper behind readable failures of whole-board tests
    a = view(two(side(active=mon("T-001", damage=10)), side(active=mon("T-003"))))
    b = view(two(side(active=mon("T-001", damage=20)), side(active=mon("T-003"), hand=["T-101"])))
    assert board_diff(a, b) == [".players[0].slots[0].damage: 10 != 20", ".players[1].hand: [] != ['T-101']"]
    assert board_diff(a, a) == []


def test_a_replaced_stadium_goes_to_its_owners_discard_pile():
    # "Stadiums: replace the Stadium in play (which goes to its owner's discard pile)": the opponent's Training Area
    s = two(side(active=mon("T-001"), hand=["T-105"]), side(active=mon("T-001")), stadium="T-104", stadium_owner=1)
    after = ENG.step(s, L.play(0), 1)
    assert view(after) == view(two(side(active=mon("T-001")), side(active=mon("T-001"), discard=["T-104"]),
                                   stadium="T-105", stadium_owner=0))


def test_retreat_energy_ties_go_in_type_order():
    # docs/rules.md: the type with the most Energy goes first, ties broken by type order (Grass before Lightning)
    s = two(side(active=mon("T-001", energy="GL"), bench=[mon("T-003")]), side(active=mon("T-001")))
    after = ENG.step(s, L.retreat(1), 1)
    assert view(after) == view(two(side(active=mon("T-003"), bench=[mon("T-001", energy="L")], discard_energy="G",
                                        retreats=1), side(active=mon("T-001"))))


def test_confusion_self_damage_is_a_parameter():
    # special_conditions.confusion_self_damage: 30 — tails: the attack fails and the attacker takes 30
    eng = eng_with(special_conditions={"confusion_self_damage": 30})
    s = board(eng, side(active=mon("T-003", energy="FF", conditions=("Confused",))), side(active=mon("T-001")))
    key = next(k for k in range(1, 200) if not coin(k, Addr.CONFUSION, 3))
    after = eng.step(s, eng.layout.attack(0), key)
    assert view(after) == next_turn(side(active=mon("T-003", energy="FF", damage=30, conditions=("Confused",))),
                                    side(active=mon("T-001")), eng)


def test_burn_without_the_recovery_coin_stays():
    # special_conditions.burn_recover_coin: false — Burned does 20 and is never removed by a coin
    eng = eng_with(special_conditions={"burn_recover_coin": False})
    s = board(eng, side(active=mon("T-001")), side(active=mon("T-003", conditions=("Burned",))))
    for key in (1, 2, 3, 4):
        after = eng.step(s, eng.layout.end_turn(), key)
        assert view(after) == next_turn(side(active=mon("T-001")),
                                        side(active=mon("T-003", damage=20, conditions=("Burned",))), eng)


def test_checkup_knockout_promotion_choice_comes_before_the_next_turn():
    # Poison knocks out player 1's Active at the checkup; player 1 chooses the new Active, then their turn 4 starts
    s = two(side(active=mon("T-001")), side(active=mon("T-001", damage=50, conditions=("Poisoned",)),
                                            bench=[mon("T-003"), mon("T-007")], deck=["T-101"]))
    mid = ENG.step(s, L.end_turn(), 1)
    assert (mid.current_player, mid.pending.kind, mid.players[0].points) == (1, "promote", 1)
    after = ENG.step(mid, L.choose(1), 2)  # Machop
    assert view(after) == next_turn(side(active=mon("T-001"), points=1),
                                    side(active=mon("T-007"), bench=[mon("T-003")], discard=["T-001"],
                                         hand=["T-101"]))


def test_zone_energy_next_becomes_current_and_a_new_next_is_drawn_from_the_zone_types():
    # Turn start: "the next Energy becomes current and a new next is drawn from the deck's Energy types" (L or W)
    s = two(side(active=mon("T-001")), side(active=mon("T-001"), energy="LW", next="W"))
    after = ENG.step(s, L.end_turn(), 1)
    assert view(after) in [view(two(side(active=mon("T-001")), side(active=mon("T-001"), energy="LW", current="W",
                                                                    next=n), turn=4, turn_player=1))
                           for n in "LW"]


def test_an_active_fossil_discarded_from_play_is_replaced_from_the_bench():
    # A fossil "during your turn may be discarded from play (not a knockout, no points)"; an empty Active Spot is
    # filled from the Bench (one option: automatic)
    s = two(side(active=mon("T-106"), bench=[mon("T-001")]), side(active=mon("T-001")))
    after = ENG.step(s, L.ability(0), 1)
    assert view(after) == view(two(side(active=mon("T-001"), discard=["T-106"]), side(active=mon("T-001"))))


# --- no play may leave you with no Pokémon in play ----------------------------------------------------------------

def no_pokemon_pool():
    from compiler import ir
    from reference.testing import atk, poke, trainer

    you = ir.Among(player="you")
    koga = trainer("A1-222", "Koga", "supporter", ir.TrainerEffect(steps=(ir.ReturnPokemon(target=ir.Active(
        player="you", filters=(ir.NameIs(names=("Muk", "Weezing")),)), to="hand"),)))
    ilima = trainer("A3-149", "Ilima", "supporter", ir.TrainerEffect(steps=(ir.ReturnPokemon(target=ir.Choose(
        among=ir.Among(player="you", filters=(ir.TypeIs(types=("Colorless",)), ir.Damaged()))), to="hand"),)))
    weezing = poke("A1-177", "Weezing", hp=110, type="Darkness", weakness="Fighting", retreat=3, stage="stage1",
                   evolves_from="Koffing", attacks=[atk("Tackle", "D", 30)])
    liepard = poke("B1a-048", "Liepard", hp=90, type="Darkness", weakness="Grass", retreat=1, stage="stage1",
                   evolves_from="Purrloin", attacks=[atk("Snatch and Flee", "D", 60, ir.HandToDeck(
                       player="opponent", random=True), ir.ReturnPokemon(target=ir.ThisPokemon(), to="deck"))])
    pocket = poke("X-301", "Pocket", type="Colorless", ability=ir.Activated(steps=(ir.DiscardPokemon(
        target=ir.ThisPokemon()),)), attacks=[atk("Tap", "", 10)])
    return engine(RULES_POOL + [koga, ilima, weezing, liepard, pocket])


NP = no_pokemon_pool()


def test_koga_cant_return_your_only_pokemon_in_play():
    # Koga (A1-222): "Put your Muk or Weezing in the Active Spot into your hand." With Weezing your only Pokémon in
    # play you would lose at once: Koga can't be played (docs/rules.md).
    s = board(NP, side(active=mon("A1-177", energy="D"), hand=["A1-222"]), side(active=mon("T-001")))
    assert L.play(0) not in NP.legal_actions(s)
    with pytest.raises(IllegalAction):
        NP.step(s, L.play(0), 1)
    # with a Benched Pokémon it can: Weezing to the hand (its Energy discarded), Pikachu promoted
    s = board(NP, side(active=mon("A1-177", energy="D"), bench=[mon("T-001")], hand=["A1-222"]),
              side(active=mon("T-001")))
    after = NP.step(s, L.play(0), 1)
    assert view(after) == view(board(NP, side(active=mon("T-001"), hand=["A1-177"], discard=["A1-222"],
                                              discard_energy="D", supporters_played=1), side(active=mon("T-001"))))


def test_a_chosen_pokemon_to_return_cant_be_your_only_one():
    # Ilima (A3-149): "Put 1 of your [C] Pokémon that has damage on it into your hand." Your only Pokémon is a
    # damaged [C] Pokémon: not playable. With another Pokémon in play it is, and only the damaged [C] one can go.
    s = board(NP, side(active=mon("X-301", damage=10), hand=["A3-149"]), side(active=mon("T-001")))
    assert L.play(0) not in NP.legal_actions(s)
    s = board(NP, side(active=mon("X-301", damage=10), bench=[mon("T-001", damage=10)], hand=["A3-149"]),
              side(active=mon("T-001")))
    after = NP.step(s, L.play(0), 1)
    assert view(after) == view(board(NP, side(active=mon("T-001", damage=10), hand=["X-301"], discard=["A3-149"],
                                              supporters_played=1), side(active=mon("T-001"))))


def test_an_attack_cant_shuffle_away_your_only_pokemon():
    # Liepard's Snatch and Flee (B1a-048), [D] 60: "Your opponent reveals a random card from their hand and shuffles
    # it into their deck. Shuffle this Pokémon into your deck." Not usable as your only Pokémon in play.
    s = board(NP, side(active=mon("B1a-048", energy="D")), side(active=mon("T-003")))
    assert L.attack(0) not in NP.legal_actions(s)
    s = board(NP, side(active=mon("B1a-048", energy="D"), bench=[mon("T-001")]), side(active=mon("T-003")))
    after = NP.step(s, L.attack(0), 1)
    assert view(after) == next_turn(side(active=mon("T-001"), deck=["B1a-048"], discard_energy="D"),
                                    side(active=mon("T-003", damage=60)), eng=NP)


def test_an_ability_or_a_fossil_cant_discard_your_only_pokemon():
    # "Once during your turn, you may discard this Pokémon and all attached cards." / a fossil discarded from play:
    # not as your only Pokémon in play; with another one, yes
    for cid in ("X-301", "T-106"):
        s = board(NP, side(active=mon(cid)), side(active=mon("T-001")))
        assert L.ability(0) not in NP.legal_actions(s)
        s = board(NP, side(active=mon(cid), bench=[mon("T-001")]), side(active=mon("T-001")))
        after = NP.step(s, L.ability(0), 1)
        assert view(after) == view(board(NP, side(active=mon("T-001"), discard=[cid]), side(active=mon("T-001"))))


def test_a_pokemon_evolved_this_turn_cant_evolve_again_this_turn():
    # Evolution: not on the turn the Pokémon evolved. Pikachu → Raichu; Alakazam can't go on Raichu until next turn.
    s = two(side(active=mon("T-001"), hand=["T-002", "T-006"]), side(active=mon("T-003")))
    after = ENG.step(s, L.play_on(0, 0), 1)
    assert view(after) == view(two(side(active=mon("T-001", "T-002"), hand=["T-006"]), side(active=mon("T-003"))))
    assert L.play_on(0, 0) not in ENG.legal_actions(after)
    with pytest.raises(IllegalAction):
        ENG.step(after, L.play_on(0, 0), 1)
    s = ENG.step(ENG.step(after, L.end_turn(), 1), L.end_turn(), 1)  # turn 5: now it may
    after = ENG.step(s, L.play_on(0, 0), 1)
    assert view(after) == view(board(ENG, side(active=mon("T-001", "T-002", "T-006"), current="G", next="G"),
                                     side(active=mon("T-003"), current="G", next="G"), turn=5))


def test_the_supporter_allowance_comes_back_at_the_start_of_each_of_your_turns():
    # supporters_per_turn 1, counted per player and reset when that player's turn starts. Professor: "Draw 2 cards."
    deck = ["T-003"] * 4
    s = two(side(active=mon("T-001"), hand=["T-102"], deck=deck, supporters_played=1),
            side(active=mon("T-001"), hand=["T-102"], deck=deck, supporters_played=1))
    assert L.play(0) not in ENG.legal_actions(s)  # used this turn
    s = ENG.step(s, L.end_turn(), 1)  # turn 4: player 1's allowance is back (they draw 1)
    assert view(s) == next_turn(side(active=mon("T-001"), hand=["T-102"], deck=deck, supporters_played=1),
                                side(active=mon("T-001"), hand=["T-102", "T-003"], deck=deck[1:]))
    s = ENG.step(s, L.play(0), 1)
    assert view(s) == next_turn(side(active=mon("T-001"), hand=["T-102"], deck=deck, supporters_played=1),
                                side(active=mon("T-001"), hand=["T-003"] * 3, deck=deck[3:], discard=["T-102"],
                                     supporters_played=1))
    s = ENG.step(s, L.end_turn(), 1)  # turn 5: player 0's is back
    s = ENG.step(s, L.play(0), 1)
    assert view(s) == view(board(ENG, side(active=mon("T-001"), hand=["T-003"] * 3, deck=deck[3:], discard=["T-102"],
                                           supporters_played=1, current="G", next="G"),
                                 side(active=mon("T-001"), hand=["T-003"] * 3, deck=deck[3:], discard=["T-102"],
                                      supporters_played=1, current="G", next="G"), turn=5))
