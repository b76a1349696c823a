"""Simple policies: a uniform random bot and a greedy bot (attack hardest, develop the board, then end turn)."""

from __future__ import annotations

import random

from .engine import Engine
from .state import State


class RandomBot:
    """Picks a legal action uniformly at random."""

    def __init__(self, seed: int = 0):
        self.rng = random.Random(seed)

    def act(self, engine: Engine, s: State) -> int:
        return self.rng.choice(engine.legal_actions(s))


GREEDY_ORDER = {"attack": 0, "play_on": 1, "attach_energy": 2, "play": 3, "ability": 4, "choose": 5,
                "choose_done": 6, "retreat": 8, "end_turn": 9}


class GreedyBot:
    """Evolves, develops the Bench, attaches Energy to the Active, then uses its strongest attack.

    It uses each Ability at most twice a turn (an "as often as you like" Ability stays legal even when it no
    longer does anything)."""

    def __init__(self, seed: int = 0):
        self.rng = random.Random(seed)
        self.ability_uses: dict[tuple[int, int], int] = {}

    def act(self, engine: Engine, s: State) -> int:
        L = engine.layout
        legal = engine.legal_actions(s)
        pk = s.players[s.current_player].active
        legal = [a for a in legal if L.decode(a).kind != "ability"
                 or self.ability_uses.get((s.turn, L.decode(a).slot), 0) < 2] or legal

        def score(a: int) -> tuple:
            d = L.decode(a)
            if d.kind == "attack":
                info = engine.db[s.card_of[pk.top]]
                # attack last (it ends the turn), strongest first
                return (7, -info.attacks[d.index].damage, self.rng.random())
            if d.kind == "attach_energy":
                return (2, d.slot, self.rng.random())
            return (GREEDY_ORDER[d.kind], self.rng.random())
        best = min(legal, key=score)
        if L.decode(best).kind == "ability":
            key = (s.turn, L.decode(best).slot)
            self.ability_uses[key] = self.ability_uses.get(key, 0) + 1
        return best


BOTS = {"random": RandomBot, "greedy": GreedyBot}
