"""What a person types at `tcgc play`'s prompt: an action by number, stable name or readable words (`attack
Psychic`, `play Clefairy`, `retreat Mewtwo ex`, any unambiguous word prefixes), and the commands around it."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from compiler import ir
from compiler.engine_model.actions import slot_name

HELP = """commands:
  N                 the action numbered N in the list
  words             an action in words, any unambiguous prefix of each word: 'attack Psychic',
                    'play Clefairy', 'attach Mewtwo', 'evolve Ralts', 'retreat Mewtwo ex', 'use Psy Shadow',
                    'end turn'; in a decision, the option ('Mewtwo ex', 'decline'); or a stable name (play:hand0)
  ? / info          list the cards you can see, numbered
  ? N / info N      a card in full (attacks, Ability, text, HP, Weakness, Retreat Cost); also 'info NAME'
  board / b         show the board again; 'list' / 'l' shows the actions
  help / h          this help
  q / quit          leave the game"""

END_WORDS = ("end turn", "end", "pass", "done")
DECLINE_WORDS = ("decline", "done", "stop", "no", "skip")


def norm(text: str) -> str:
    """Lower case, no accents, single spaces: what typed text and phrases are compared as."""
    text = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).lower().split())


def phrases(engine, s, action: int) -> list[str]:
    """Readable ways to name an action in this state (its stable name first)."""
    L, db = engine.layout, engine.db
    a = L.decode(action)
    pl = s.players[s.current_player]
    out = [L.name(action)]

    def mon(slot: int) -> list[str]:
        pk = pl.slots[slot]
        return [db[s.card_of[pk.top]].name, slot_name(slot)] if pk else [slot_name(slot)]
    if s.pending is not None and s.phase == "choice":
        if a.kind == "choose_done":
            return out + list(DECLINE_WORDS)
        label = engine.describe_option(s, s.pending.kind, s.pending.options[a.index])
        parts = [label] + [x.strip() for x in label.split(":")] + [label.replace(":", "")]
        return out + parts + [f"choose {x}" for x in parts]
    if a.kind == "end_turn":
        return out + list(END_WORDS) + (["ready"] if s.phase == "setup" else [])
    if a.kind == "attach_energy":
        return out + [f"{verb} {m}" for m in mon(a.slot) for verb in ("attach", "attach energy to", "energy")]
    if a.kind == "attack":
        name = db[s.card_of[pl.active.top]].attacks[a.index].name
        return out + [f"attack {name}", name, f"attack {a.index}"]
    if a.kind == "retreat":
        return out + [f"retreat {m}" for m in mon(a.slot)] + [f"retreat to {m}" for m in mon(a.slot)]
    if a.kind == "ability":
        info = db[s.card_of[pl.slots[a.slot].top]]
        if info.is_fossil:
            return out + [f"discard {m}" for m in mon(a.slot)]
        return out + [f"use {info.ability_name}", str(info.ability_name)] + [f"ability {m}" for m in mon(a.slot)]
    card = db[s.card_of[pl.hand[a.hand]]]
    if a.kind == "play":
        return out + [f"play {card.name}", card.name]
    on = mon(a.slot)  # play_on: evolve, or attach a Tool
    verbs = [f"evolve {m} into {card.name}" for m in on] + [f"evolve {m}" for m in on] if card.is_pokemon else \
        [f"attach {card.name} to {m}" for m in on]
    return out + verbs + [f"play {card.name} on {m}" for m in on] + [f"play {card.name}", card.name]


def words_match(typed: list[str], phrase: list[str]) -> bool:
    """Each typed word is a prefix of the phrase's word at the same place."""
    return len(typed) <= len(phrase) and all(p.startswith(t) for t, p in zip(typed, phrase))


@dataclass
class Parsed:
    """What a typed line meant: an action, or an error message saying why not."""

    action: int | None = None
    error: str = ""


def parse_action(engine, s, legal: list[int], text: str, describe) -> Parsed:
    """The legal action a typed line names (see HELP); `describe(action)` labels candidates in messages."""
    t = norm(text)
    if not t:
        return Parsed(error="type an action (its number or its words); 'help' lists the commands")
    if t.isdigit():
        i = int(t)
        if i < len(legal):
            return Parsed(legal[i])
        return Parsed(error=f"not a legal action: {text!r}; the actions are numbered 0-{len(legal) - 1}")
    forms = {a: [norm(p) for p in phrases(engine, s, a)] + [norm(describe(a))] for a in legal}
    found = [a for a in legal if t in forms[a]] or \
        [a for a in legal if any(words_match(t.split(), p.split()) for p in forms[a])]
    if not found:
        example = phrases(engine, s, legal[-1])[1:2]
        hint = f", words such as {example[0]!r}" if example else ""
        return Parsed(error=f"not a legal action: {text!r}; type a number 0-{len(legal) - 1}{hint}, or 'help'")
    if len({describe(a) for a in found}) > 1:
        options = "; ".join(f"{legal.index(a)}: {describe(a)}" for a in found[:6])
        return Parsed(error=f"{text!r} could be {len(found)} actions ({options}): type more of it or a number")
    return Parsed(found[0])


def confirmation(engine, s, action: int, legal: list[int]) -> str:
    """Why an action deserves a second thought (it discards your Energy, or ends the turn early), or ""."""
    from reference.game import Game

    L, db = engine.layout, engine.db
    a = L.decode(action)
    p = s.current_player
    pl = s.players[p]
    if s.phase != "main":
        return ""
    if a.kind == "end_turn":
        could = sorted({L.decode(b).kind for b in legal} & {"attack", "attach_energy"})
        words = {"attack": "attack", "attach_energy": "attach Energy"}
        return f"you can still {' and '.join(words[k] for k in could)} this turn" if could else ""
    if a.kind == "retreat":
        cost = engine.interpreter.retreat_cost(Game(engine, s, 0, []), p, pl.active)
        return f"retreating discards {cost} Energy from {db[s.card_of[pl.active.top]].name}" if cost else ""
    node = None
    if a.kind == "attack":
        node = db[s.card_of[pl.active.top]].attacks[a.index].effect
    elif a.kind == "ability":
        node = db[s.card_of[pl.slots[a.slot].top]].ability
    elif a.kind == "play":
        node = db[s.card_of[pl.hand[a.hand]]].effect
    nodes = list(ir.iter_nodes(node)) if node is not None else []
    if any(isinstance(n, ir.DiscardEnergy) and own_target(n.target) for n in nodes):
        return "this discards Energy from your Pokémon"
    if a.kind != "attack" and any(isinstance(n, ir.EndTurn) for n in nodes):
        return "this ends your turn"
    return ""


def own_target(t) -> bool:
    """A target that is (or may be) one of your own Pokémon."""
    if t.op in ("this", "that", "tool_holder"):
        return True
    who = getattr(t, "player", None) or getattr(getattr(t, "among", None), "player", None)
    return who in ("you", "both")
