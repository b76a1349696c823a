"""The game as text for a person: the board a player sees, what each action does, the cards they can look up.

Visible cards are numbered once per position (`visible_cards`): the viewer's hand first (so hand card i is [i]),
then the viewer's Pokémon, the opponent's, the Stadium and the discard piles; the board shows those numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from compiler.diagnostics import plural
from compiler.engine_model.actions import slot_name

from .cardtext import SYMBOLS, attack_line
from .engine import Engine
from .game import Game
from .state import CHOICE, ENERGY_TYPES, SETUP, State


@dataclass(frozen=True)
class Visible:
    """A card the viewer can see: where it is and its CardDB index."""

    where: str
    card: int


def visible_cards(engine: Engine, s: State, viewer: int) -> list[Visible]:
    """The cards `viewer` may see, in board order (hand, Pokémon in play and their Tools, Stadium, discards)."""
    out = [Visible("your hand", s.card_of[i]) for i in s.players[viewer].hand]
    for p, who in ((viewer, "your"), (1 - viewer, "opponent's")):
        for slot, pk in s.players[p].in_play():
            out.append(Visible(f"{who} {slot_name(slot)}", s.card_of[pk.top]))
            out += [Visible(f"{who} {slot_name(slot)} (Tool)", s.card_of[t]) for t in pk.tools]
    if s.stadium >= 0:
        out.append(Visible("Stadium", s.card_of[s.stadium]))
    for p, who in ((viewer, "your"), (1 - viewer, "opponent's")):
        seen = []
        for i in s.players[p].discard:
            if s.card_of[i] not in seen:
                seen.append(s.card_of[i])
        out += [Visible(f"{who} discard pile", c) for c in seen]
    return out


def energy_text(energy) -> str:
    """Attached Energy as symbols ("PPR"), from a count per type."""
    return "".join(SYMBOLS[ENERGY_TYPES[t]] * n for t, n in enumerate(energy)) or "-"


def render_board(engine: Engine, s: State, viewer: int, legal: list[int] | None = None,
                 who: str = "you are") -> list[str]:
    """The board as `viewer` sees it, opponent on top; the Actives' attacks (✓ usable now, when `legal` is given).
    The title says "(`who` player N)"."""
    db, L = engine.db, engine.layout
    numbers = {}
    for n, v in enumerate(visible_cards(engine, s, viewer)):
        numbers.setdefault((v.where, v.card), n)
    phase = {SETUP: " · setup: place your Basic Pokémon", CHOICE: " · a decision"}.get(s.phase, "")
    lines = [f"== turn {s.turn} · player {s.turn_player}'s turn{phase} ({who} player {viewer}) =="]
    if s.stadium >= 0:
        lines.append(f"Stadium: [{numbers[('Stadium', s.card_of[s.stadium])]}] {db[s.card_of[s.stadium]].name}")
    usable = {L.decode(a).index for a in legal or () if L.decode(a).kind == "attack"}
    for p, who, label in ((1 - viewer, "opponent's", "Opponent"), (viewer, "your", "You")):
        pl = s.players[p]
        zone = "/".join(ENERGY_TYPES[t] for t in pl.energy_types)
        now = ENERGY_TYPES[pl.energy_current] if pl.energy_current >= 0 else "-"
        nxt = ENERGY_TYPES[pl.energy_next] if pl.energy_next >= 0 else "-"
        lines.append(f"{label} (player {p}): {plural(pl.points, 'point')} · hand {len(pl.hand)} · deck "
                     f"{len(pl.deck)} · discard {len(pl.discard)} · Energy Zone {zone} (now {now}, next {nxt})")
        g = Game(engine, s, 0, [])
        for slot, pk in enumerate(pl.slots):
            place = "Active " if slot == 0 else f"Bench {slot}"
            if pk is None:
                if slot == 0:
                    lines.append(f"  {place} (empty)")
                continue
            info = db[s.card_of[pk.top]]
            hp = g.max_hp(p, pk)
            extra = [f"Energy {energy_text(pk.energy)}"] + pk.conditions()
            extra += [f"Ability {info.ability_name}"] if info.ability_name else []
            extra += [f"+{db[s.card_of[t]].name} [{numbers[(f'{who} {slot_name(slot)} (Tool)', s.card_of[t])]}]"
                      for t in pk.tools]
            n = numbers[(f"{who} {slot_name(slot)}", info.index)]
            lines.append(f"  {place} [{n}] {info.name} {hp - pk.damage}/{hp} HP · " + " · ".join(extra))
            if slot == 0:
                for k, atk in enumerate(info.attacks):
                    mark = ("✓" if k in usable else "✗") if p == viewer and legal is not None else "-"
                    lines.append(f"      {mark} {attack_line(atk)}")
    hand = [f"[{i}] {db[s.card_of[c]].name}" for i, c in enumerate(s.players[viewer].hand)]
    lines.append("Your hand: " + (", ".join(hand) or "(empty)"))
    if s.phase == CHOICE and s.pending is not None and s.pending.chooser == viewer:
        lines.append(f"Decision: {s.pending.prompt}")
    return lines


def action_text(engine: Engine, s: State, action: int) -> str:
    """What an action does in this state, in words ("attach Psychic Energy to Mewtwo ex (active)")."""
    L, db = engine.layout, engine.db
    a = L.decode(action)
    pl = s.players[s.current_player]

    def card(i: int) -> str:
        return db[s.card_of[i]].name

    def at(slot: int) -> str:
        pk = pl.slots[slot]
        return f"{card(pk.top) if pk else '?'} ({slot_name(slot)})"
    if s.phase == CHOICE and s.pending is not None:
        if a.kind == "choose":
            return "choose " + engine.describe_option(s, s.pending.kind, s.pending.options[a.index])
        return "decline / stop"
    if a.kind == "end_turn":
        return "done placing Pokémon" if s.phase == SETUP else "end your turn"
    if a.kind == "attach_energy":
        return f"attach {ENERGY_TYPES[pl.energy_current]} Energy to {at(a.slot)}"
    if a.kind == "play":
        return f"play {card(pl.hand[a.hand])}"
    if a.kind == "play_on":
        return f"play {card(pl.hand[a.hand])} on {at(a.slot)}"
    if a.kind == "retreat":
        return f"retreat {card(pl.active.top)}: {at(a.slot)} becomes Active"
    if a.kind == "attack":
        atk = db[s.card_of[pl.active.top]].attacks[a.index]
        return f"attack {atk.name}" + (f" ({atk.damage}{atk.suffix})" if atk.damage or atk.suffix else "")
    if a.kind == "ability":
        info = db[s.card_of[pl.slots[a.slot].top]]
        return f"discard {at(a.slot)}" if info.is_fossil else f"use {info.ability_name} of {at(a.slot)}"
    return L.name(action)


def describe_action(engine: Engine, s: State, action: int) -> str:
    """A stable action name plus what it means in this state."""
    return f"{engine.layout.name(action)}: {action_text(engine, s, action)}"
