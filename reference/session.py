"""Running games outside tests: choosing decks for a spec, a bot-vs-bot loop, a text rendering of the board and of
actions. Used by `tcgc play` and `tcgc bench`."""

from __future__ import annotations

import random
from dataclasses import dataclass

from compiler.diagnostics import Diagnostic, SpecError
from compiler.engine_model.actions import slot_name
from compiler.engine_model.rng import fold_in

from .engine import Deck, Engine
from .state import CHOICE, ENERGY_TYPES, State

LETTERS = {"Grass": "G", "Fire": "R", "Water": "W", "Lightning": "L", "Psychic": "P", "Fighting": "F",
           "Darkness": "D", "Metal": "M"}


def pick_decks(engine: Engine, loaded, names: tuple[str, ...], random_decks: bool, rng: random.Random,
               source: str) -> list[Deck]:
    """Two decks: named spec decks, random decks from the executable pool, or the spec's first two decks."""
    from .decks import random_deck

    if random_decks:
        return [random_deck(engine, rng, f"random-{i}") for i in range(2)]
    by_name = {d.name: d for d in loaded.spec.decks}
    if names:
        missing = [n for n in names if n not in by_name]
        if missing:
            raise SpecError(Diagnostic(source, f"unknown deck {missing[0]!r}; the spec has: "
                                       + (", ".join(by_name) or "no decks")))
        chosen = list(names) if len(names) == 2 else [names[0], names[0]]
    else:
        if not loaded.spec.decks:
            raise SpecError(Diagnostic(source, "the spec has no decks: pass --random-decks"))
        chosen = [d.name for d in loaded.spec.decks[:2]]
        if len(chosen) == 1:
            chosen *= 2
    return [engine.deck_from_spec(by_name[n]) for n in chosen]


def step_key(seed: int, s: State) -> int:
    """The key of the next step of a game played with `seed`."""
    return fold_in(seed, s.step_count)


@dataclass
class GameResult:
    winner: int
    steps: int
    turns: int
    truncated: bool


def play_bots(engine: Engine, decks: list[Deck], seed: int, bots) -> GameResult:
    """Play one game between two bots (objects with `act(engine, state)`)."""
    s = engine.init(decks, seed)
    steps = 0
    while not (s.terminated or s.truncated):
        s = engine.step(s, bots[s.current_player].act(engine, s), step_key(seed, s))
        steps += 1
    return GameResult(s.winner, steps, s.turn, s.truncated)


# --- text rendering --------------------------------------------------------------------------------------------------

def energy_text(energy: dict[str, int]) -> str:
    return "".join(LETTERS[t] * n for t, n in energy.items()) or "-"


def render_board(engine: Engine, s: State, player: int) -> str:
    """The board as `player` sees it (observe): opponent on top, you below."""
    obs = engine.observe(s, player)
    db = engine.db
    lines = [f"== turn {obs['turn']} · player {obs['turn_player']}'s turn · phase {obs['phase']} =="]
    if obs["stadium"]:
        lines.append(f"Stadium: {db[db.by_id[obs['stadium']]].name}")

    def mon(sl) -> str:
        if sl is None:
            return "(empty)"
        conds = f" [{', '.join(sl['conditions'])}]" if sl["conditions"] else ""
        tools = f" +{', '.join(db[db.by_id[t]].name for t in sl['tools'])}" if sl["tools"] else ""
        return (f"{sl['name']} {sl['hp'] - sl['damage']}/{sl['hp']} HP, energy {energy_text(sl['energy'])}"
                f"{conds}{tools}")

    for label, side in (("Opponent", obs["opponent"]), ("You", obs["you"])):
        ez = side["energy_zone"]
        lines.append(f"{label}: {side['points']} points · hand {side['hand_count']} · deck {side['deck_count']} · "
                     f"discard {len(side['discard'])} · energy zone {'/'.join(ez['types'])} "
                     f"(current {ez['current'] or '-'}, next {ez['next'] or '-'})")
        lines.append(f"  Active: {mon(side['slots'][0])}")
        for i, sl in enumerate(side["slots"][1:], 1):
            lines.append(f"  Bench {i}: {mon(sl)}")
    hand = [db[db.by_id[c]].name for c in obs["you"]["hand"]]
    lines.append("Your hand: " + (", ".join(f"[{i}] {n}" for i, n in enumerate(hand)) or "(empty)"))
    if "pending" in obs:
        lines.append(f"Decision: {obs['pending']['prompt']}")
    return "\n".join(lines)


def describe_action(engine: Engine, s: State, action: int) -> str:
    """A stable action name plus what it means in this state."""
    L, db = engine.layout, engine.db
    a = L.decode(action)
    name = L.name(action)
    pl = s.players[s.current_player]

    def card(i: int) -> str:
        return db[s.card_of[i]].name

    def at(slot: int) -> str:
        pk = pl.slots[slot]
        return card(pk.top) if pk else "?"
    if s.phase == CHOICE and s.pending is not None:
        if a.kind == "choose":
            return f"{name}: {engine.describe_option(s, s.pending.kind, s.pending.options[a.index])}"
        return f"{name}: decline / stop"
    if a.kind == "end_turn":
        return f"{name}: {'done placing Pokémon' if s.phase == 'setup' else 'end your turn'}"
    if a.kind == "attach_energy":
        return f"{name}: attach {ENERGY_TYPES[pl.energy_current]} Energy to {at(a.slot)}"
    if a.kind == "play":
        return f"{name}: play {card(pl.hand[a.hand])}"
    if a.kind == "play_on":
        return f"{name}: play {card(pl.hand[a.hand])} on {at(a.slot)} ({slot_name(a.slot)})"
    if a.kind == "retreat":
        return f"{name}: retreat, {at(a.slot)} becomes Active"
    if a.kind == "attack":
        atk = db[s.card_of[pl.active.top]].attacks[a.index]
        return f"{name}: {atk.name} ({atk.damage}{atk.suffix})"
    if a.kind == "ability":
        info = db[s.card_of[pl.slots[a.slot].top]]
        return f"{name}: {'discard ' + info.name if info.is_fossil else info.ability_name} ({slot_name(a.slot)})"
    return name
