"""The reference engine's public API: `Engine.init / legal_actions / step / observe`.

Functional: `step(state, action, key)` returns a new State and never changes its argument. Randomness enters
only through the key (compiler.engine_model.rng). A decision inside an action (promote after a knockout, the
target of an effect, an optional effect) puts the state into the `choice` phase: `current_player` becomes the
chooser and the next action is a `choose:i` / `choose_done` action. Internally the engine then replays the
original action from its original state and key with the choices made so far, so the rules read as straight-line
code (game.py) and every replay draws the same random bits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from compiler.diagnostics import Diagnostic, SpecError
from compiler.engine_model.actions import ActionLayout, slot_name
from compiler.engine_model.rng import Addr, coin, permutation, randint

from .cards import CardDB
from .effects import Interpreter
from .game import Game, GameOver, NeedChoice
from .state import (ASLEEP, CHOICE, ENERGY_TYPES, MAIN, OVER, PARALYZED, SETUP, Pending, PlayerState, State)


class IllegalAction(ValueError):
    """An action that is not legal in the given state."""


@dataclass(frozen=True)
class Deck:
    """A deck as the engine uses it: a name, Energy Zone types (indices) and card indices (one per copy)."""

    name: str
    energy: tuple[int, ...]
    cards: tuple[int, ...]


class Engine:
    """The rules for one card pool: CardDB, RulesSpec, action layout and the IR interpreter."""

    def __init__(self, db: CardDB):
        self.db = db
        self.rules = db.rules
        self.layout = ActionLayout.from_rules(self.rules, db.max_attacks)
        self.interpreter = Interpreter(db, self.rules)
        self.passives = self.interpreter
        self.attack_names = sorted({a.name for c in db.cards for a in c.attacks})
        """Attack names of the pool, sorted (the canonical encoding's index for `last_attack`)."""

    @classmethod
    def from_spec(cls, loaded) -> "Engine":
        return cls(CardDB.from_spec(loaded))

    def action_names(self) -> list[str]:
        return self.layout.names()

    # --- decks ------------------------------------------------------------------------------------------------------
    def deck_from_spec(self, deck) -> Deck:
        """A DeckSpec as a Deck; SpecError when a card's effects can't be executed."""
        cards: list[int] = []
        problems = []
        for cid, n in deck.cards.items():
            info = self.db[self.db.by_id[cid]]
            problems += [Diagnostic(f"deck {deck.name}", f"{cid} {info.name}: {pr}") for pr in info.problems]
            cards += [info.index] * n
        if problems:
            raise SpecError(problems)
        return Deck(deck.name, tuple(ENERGY_TYPES.index(t) for t in deck.energy), tuple(cards))

    # --- init -------------------------------------------------------------------------------------------------------
    def init(self, decks: Sequence[Deck], key: int) -> State:
        """A new game: first player by coin, decks shuffled, opening hands with a Basic; then setup decisions."""
        r = self.rules
        D = r.deck_size
        card_of: list[int] = []
        players = []
        for p, deck in enumerate(decks):
            if len(deck.cards) != D:
                raise ValueError(f"deck {deck.name!r} has {len(deck.cards)} cards; the rules require {D}")
            card_of += list(deck.cards)
            order = [p * D + i for i in permutation(key, Addr.SHUFFLE + p, D)]
            n = r.opening_hand_size
            if r.opening_hand_has_basic and not any(self.db[card_of[i]].is_basic for i in order[:n]):
                j = next((j for j, i in enumerate(order) if self.db[card_of[i]].is_basic), None)
                if j is not None:
                    k = randint(key, Addr.OPENING_SWAP + p, n)
                    order[k], order[j] = order[j], order[k]
            players.append(PlayerState(deck=order[n:], hand=order[:n], slots=[None] * (1 + r.bench_size),
                                       energy_types=tuple(deck.energy)))
        first = 1 if coin(key, Addr.FIRST_PLAYER) else 0
        return State(players=players, card_of=card_of, first_player=first, current_player=first, turn_player=first,
                     engine=self)

    # --- legal actions ----------------------------------------------------------------------------------------------
    def legal_actions(self, s: State) -> list[int]:
        """Every legal action index (empty once the game is over)."""
        if s.legal_cache is None:
            s.legal_cache = self._legal_actions(s)
        return list(s.legal_cache)

    def _legal_actions(self, s: State) -> list[int]:
        if s.terminated or s.truncated:
            return []
        L = self.layout
        if s.phase == CHOICE:
            pend = s.pending
            out = [L.choose(i) for i in range(len(pend.options))]
            return out + [L.choose_done()] if pend.optional else out
        p = s.current_player
        pl = s.players[p]
        if s.phase == SETUP:
            out = [L.end_turn()] if pl.active is not None else []
            if None in pl.slots:
                out += [L.play(h) for h, i in enumerate(pl.hand) if self.db[s.card_of[i]].is_basic]
            return sorted(out)
        if s.turn_actions >= self.rules.max_actions_per_turn:
            return [L.end_turn()]
        g = Game(self, s, 0, [])
        return self._main_actions(g, p, pl)

    def _main_actions(self, g: Game, p: int, pl: PlayerState) -> list[int]:
        s, r, L, db = g.s, self.rules, self.layout, self.db
        it = self.interpreter
        out = [L.end_turn()]
        in_play = pl.in_play()
        if r.energy_zone and pl.energy_current >= 0 and pl.energy_attached < r.energy_attach_per_turn:
            out += [L.attach_energy(slot) for slot, pk in in_play if it.can_attach_energy(g, p, pk)]
        bench_room = None in pl.slots[1:]
        first_turn = pl.turns_taken <= 1
        for h, inst in enumerate(pl.hand):
            info = db[s.card_of[inst]]
            if info.plays_as_basic:
                if bench_room:
                    out.append(L.play(h))
            elif info.kind in ("item", "supporter"):
                if info.kind == "supporter" and (pl.supporters_played >= r.supporters_per_turn or (
                        s.turn == 1 and not r.first_turn.first_player_supporter)):
                    continue
                if it.can_play_trainer(g, p, info):
                    out.append(L.play(h))
            elif info.kind == "stadium":
                if (s.stadium < 0 or db[s.card_of[s.stadium]].name != info.name) and it.can_play_trainer(g, p, info):
                    out.append(L.play(h))
            elif info.kind == "tool":
                out += [L.play_on(h, slot) for slot, pk in in_play if len(pk.tools) < r.tools_per_pokemon]
            elif info.kind == "pokemon" and info.evolves_from is not None:
                in_time = not first_turn or r.first_turn.evolve_on_first_turn
                for slot, pk in in_play:
                    if (db[s.card_of[pk.top]].name == info.evolves_from or it.evolves_as(g, p, pk, info.evolves_from)) \
                            and (in_time and (pk.entered_turn < s.turn or r.evolve_same_turn_played)
                                 or it.evolves_early(g, p, pk)) and it.can_evolve(g, p, pk):
                        out.append(L.play_on(h, slot))
        act = pl.active
        sc = r.special_conditions
        if act is not None:
            blocked = (act.rot == ASLEEP and sc.asleep_blocks_retreat) or (
                act.rot == PARALYZED and sc.paralyzed_blocks_retreat)
            if pl.retreats < r.retreats_per_turn and not blocked and it.can_retreat(g, p, act):
                out += [L.retreat(slot) for slot, _ in pl.bench()]
            if not (s.turn == 1 and not r.first_turn.first_player_attack) and act.rot not in (ASLEEP, PARALYZED):
                info = db[s.card_of[act.top]]
                out += [L.attack(k) for k in range(len(info.attacks)) if it.can_use_attack(g, p, act, k)]
        for slot, pk in in_play:
            if it.can_use_ability(g, p, slot, pk):
                out.append(L.ability(slot))
        return sorted(out)

    def legal_action_mask(self, s: State) -> list[bool]:
        mask = [False] * self.layout.size
        for a in self.legal_actions(s):
            mask[a] = True
        return mask

    # --- step -------------------------------------------------------------------------------------------------------
    def step(self, s: State, action: int, key: int) -> State:
        """The state after `action`; IllegalAction when it is not legal."""
        if s.terminated or s.truncated:
            raise IllegalAction("the game is over")
        if not isinstance(action, int) or not 0 <= action < self.layout.size:
            raise IllegalAction(f"action {action!r} is not in 0..{self.layout.size - 1}")
        legal = self.legal_actions(s)
        if action not in legal:
            raise IllegalAction(f"illegal action {action} ({self.layout.name(action)}); legal: "
                                + ", ".join(self.layout.name(a) for a in legal))
        if s.phase == CHOICE:
            pend = s.pending
            a = self.layout.decode(action)
            c = -1 if a.kind == "choose_done" else a.index
            out = self._run(pend.base, pend.action, pend.key, pend.choices + [c])
            del out.log[:pend.logged]  # logged by the steps before this decision
        else:
            out = self._run(s, action, key, [])
        out.step_count = s.step_count + 1
        if out.turn == s.turn and out.phase != SETUP:
            out.turn_actions = s.turn_actions + 1
        return out

    def _run(self, base: State, action: int, key: int, choices: list[int]) -> State:
        s = base.clone()
        g = Game(self, s, key, choices)
        try:
            self._perform(g, action)
            self.interpreter.sweep_immunity(g)
        except NeedChoice as nc:
            s.phase = CHOICE
            s.pending = Pending(nc.chooser, nc.kind, nc.options, nc.optional, nc.prompt, base, action, key, choices,
                                len(s.log))
            s.current_player = nc.chooser
            return s
        except GameOver:
            return s
        s.pending = None
        if s.phase == CHOICE:
            s.phase = MAIN
        s.current_player = s.turn_player if s.phase != SETUP else s.current_player
        return s

    def _perform(self, g: Game, action: int) -> None:
        s = g.s
        a = self.layout.decode(action)
        p = s.current_player
        if s.phase == SETUP:
            if a.kind == "play":
                g.setup_place(p, a.hand)
            else:
                g.setup_done(p)
            return
        s.phase = MAIN
        if a.kind == "end_turn":
            g.end_turn()
        elif a.kind == "attach_energy":
            g.attach_energy(p, a.slot)
        elif a.kind == "play":
            info = g.card(s.players[p].hand[a.hand])
            (g.play_basic if info.plays_as_basic else g.play_trainer)(p, a.hand)
        elif a.kind == "play_on":
            info = g.card(s.players[p].hand[a.hand])
            (g.attach_tool if info.kind == "tool" else g.evolve)(p, a.hand, a.slot)
        elif a.kind == "retreat":
            g.retreat(p, a.slot)
        elif a.kind == "attack":
            g.attack(p, a.index)
        elif a.kind == "ability":
            g.use_ability(p, a.slot)
        else:
            raise IllegalAction(f"{self.layout.name(action)} is not an action of the {s.phase} phase")

    # --- observation ------------------------------------------------------------------------------------------------
    def observe(self, s: State, player: int) -> dict[str, Any]:
        """What `player` may see: never the opponent's hand nor either deck's order."""
        db = self.db

        def cid(i: int) -> str:
            return db[s.card_of[i]].id

        def side(p: int, own: bool) -> dict[str, Any]:
            pl = s.players[p]
            g = Game(self, s, 0, [])
            slots = []
            for i, pk in enumerate(pl.slots):
                if pk is None:
                    slots.append(None)
                    continue
                info = db[s.card_of[pk.top]]
                slots.append({"slot": slot_name(i), "card": info.id, "name": info.name, "hp": g.max_hp(p, pk),
                              "damage": pk.damage, "energy": {ENERGY_TYPES[t]: n for t, n in enumerate(pk.energy) if n},
                              "tools": [cid(t) for t in pk.tools], "conditions": pk.conditions(),
                              "stack": [cid(c) for c in pk.cards[:-1]]})
            out = {"points": pl.points, "deck_count": len(pl.deck), "hand_count": len(pl.hand),
                   "discard": [cid(i) for i in pl.discard],
                   "discard_energy": {ENERGY_TYPES[t]: n for t, n in enumerate(pl.discard_energy) if n},
                   "energy_zone": {"types": [ENERGY_TYPES[t] for t in pl.energy_types],
                                   "current": ENERGY_TYPES[pl.energy_current] if pl.energy_current >= 0 else None,
                                   "next": ENERGY_TYPES[pl.energy_next] if pl.energy_next >= 0 else None},
                   "slots": slots}
            if own:
                out["hand"] = [cid(i) for i in pl.hand]
            return out

        obs = {"player": player, "turn": s.turn, "turn_player": s.turn_player, "current_player": s.current_player,
               "phase": s.phase, "you": side(player, True), "opponent": side(1 - player, False),
               "stadium": cid(s.stadium) if s.stadium >= 0 else None, "winner": s.winner,
               "terminated": s.terminated, "truncated": s.truncated}
        if s.phase == CHOICE and s.pending is not None and s.pending.chooser == player:
            obs["pending"] = {"kind": s.pending.kind, "prompt": s.pending.prompt, "optional": s.pending.optional,
                              "options": [self.describe_option(s, s.pending.kind, o) for o in s.pending.options]}
        if s.current_player == player:
            obs["legal_actions"] = [self.layout.name(a) for a in self.legal_actions(s)]
        return obs

    def describe_option(self, s: State, kind: str, o: Any) -> str:
        """A readable label for one option of a pending choice."""
        S = 1 + self.rules.bench_size
        if kind == "promote":
            return f"{slot_name(o)}: {self.db[s.card_of[s.players[s.pending.chooser].slots[o].top]].name}"
        if kind == "pokemon":
            p, slot = divmod(o, S)
            pk = s.players[p].slots[slot]
            who = "your" if p == s.pending.chooser else "opponent's"
            name = self.db[s.card_of[pk.top]].name if pk else "?"
            return f"{who} {slot_name(slot)}: {name}"
        if kind == "energy":
            return f"{ENERGY_TYPES[o]} Energy"
        if kind == "card":
            return self.db[s.card_of[o]].name
        if kind == "condition":
            from .effects import COND_NAMES

            return COND_NAMES[o]
        if kind == "optional":
            return "yes"
        return str(o)


def is_over(s: State) -> bool:
    return s.terminated or s.truncated or s.phase == OVER
