"""The rules of play, applied to a working copy of the state: one `Game` runs one action to its end.

`Game` is the executable definition of the Pocket rules (each number read from RulesSpec): setup, turn start
(Energy Zone, draw), energy attachment, playing cards, evolution, retreat, attacks and damage, knockouts and
promotion, the Pokémon Checkup, durations, winning and the turn limit. Card effects run through
`effects.Interpreter`; passive effects are asked through `passives`.

A decision inside an action (promote after a knockout, a target of an effect) calls `Game.choose`, which
takes the next recorded choice or raises `NeedChoice`; the engine then waits and replays the action with the
choice appended (engine.step). Every random draw is addressed (compiler.engine_model.rng), so a replay draws
the same bits.
"""

from __future__ import annotations

from typing import Any

from compiler.engine_model.rng import Addr, coin, permutation, randint

from compiler.diagnostics import plural

from .cards import CardDB, CardInfo
from .events import Event, names
from .state import (ASLEEP, CONFUSED, ENERGY_TYPES, MAIN, N_ENERGY, OVER, PARALYZED, ROT_NONE, TIE, Duration,
                    PlayerState, Pokemon, State)


class NeedChoice(Exception):
    """Raised when an action needs a decision that has not been made yet."""

    def __init__(self, chooser: int, kind: str, options: list[Any], optional: bool, prompt: str):
        super().__init__(prompt)
        self.chooser, self.kind, self.options, self.optional, self.prompt = chooser, kind, options, optional, prompt


def knockout_points(rules, info: CardInfo) -> int:
    """The points the opponent scores when this card's Pokémon is knocked out."""
    kp = rules.knockout_points
    return kp.mega_ex if info.is_mega else kp.ex if info.is_ex else kp.normal


class GameOver(Exception):
    """Raised to stop an action when the game has ended inside it."""


class Game:
    """One action's execution context over a mutable working state."""

    def __init__(self, engine, s: State, key: int, choices: list[int]):
        self.engine = engine
        self.db: CardDB = engine.db
        self.rules = engine.rules
        self.s = s
        self.key = key
        self.choices = choices
        self.ci = 0
        self.no_points: set[int] = set()
        self.ko_to_hand: set[int] = set()
        """uids of knocked-out Pokémon whose cards go to the hand instead of the discard pile (KnockedOutToHand)."""
        """uids of knocked-out Pokémon whose knockout scores nothing (NoPoints)."""

    # --- helpers ----------------------------------------------------------------------------------------------------
    def card(self, instance: int) -> CardInfo:
        return self.db[self.s.card_of[instance]]

    def info(self, pk: Pokemon) -> CardInfo:
        return self.db[self.s.card_of[pk.top]]

    def pl(self, p: int) -> PlayerState:
        return self.s.players[p]

    def log(self, msg: str, private: int = -1, detail: str = "", kind: str = "info") -> None:
        """Record an event (events.py); `detail` is shown only to player `private` (e.g. the cards drawn)."""
        self.s.log.append(Event(kind, msg, private, detail))

    def who(self, p: int, pk: Pokemon) -> str:
        """A Pokémon for the log: "player 0's Pikachu"."""
        return f"player {p}'s {self.info(pk).name}"

    def where(self, pk: Pokemon) -> tuple[int, int] | None:
        """(player, slot) of a Pokémon in play (by identity), or None once it has left play."""
        for p in (0, 1):
            for i, x in enumerate(self.s.players[p].slots):
                if x is pk:
                    return p, i
        return None

    def slot_of(self, p: int, pk: Pokemon) -> int:
        for i, x in enumerate(self.s.players[p].slots):
            if x is pk:
                return i
        raise ValueError("Pokémon not in play")

    def card_name(self, index: int) -> str:
        """A CardDB card's name (an effect's source card), or "an effect" (-1)."""
        return self.db[index].name if index >= 0 else "an effect"

    def name(self, pk: Pokemon) -> str:
        return self.info(pk).name

    def max_hp(self, p: int, pk: Pokemon) -> int:
        return max(1, self.info(pk).hp + self.engine.passives.hp_bonus(self, p, pk))

    def choose(self, chooser: int, kind: str, options: list[Any], optional: bool = False, prompt: str = "") -> Any:
        """The chosen option (None when declined). A single mandatory option is taken without asking."""
        if not options:
            return None
        if len(options) == 1 and not optional:
            return options[0]
        options = options[: self.engine.layout.max_options]  # the action layout's limit (docs/engine-model.md)
        if self.ci < len(self.choices):
            c = self.choices[self.ci]
            self.ci += 1
            return None if c < 0 else options[c]
        raise NeedChoice(chooser, kind, list(options), optional, prompt or kind)

    def coin(self, address: int, index: int = 0) -> bool:
        return coin(self.key, address, index)

    def flip(self, address: int, index: int, why: str, heads: str, tails: str) -> bool:
        """A coin flip that is logged with what it decided ("coin for ...: heads, <heads>")."""
        h = self.coin(address, index)
        self.log(f"coin {why}: {'heads' if h else 'tails'}, {heads if h else tails}", kind="coin")
        return h

    # --- setup ------------------------------------------------------------------------------------------------------
    def setup_place(self, p: int, hand_index: int) -> None:
        """During setup, put a Basic from the hand into the Active Spot, or onto the Bench once it is filled."""
        pl = self.pl(p)
        inst = pl.hand.pop(hand_index)
        slot = 0 if pl.slots[0] is None else pl.slots.index(None, 1)
        pl.slots[slot] = Pokemon([inst], entered_turn=0)
        self.log(f"player {p} puts {self.card(inst).name} {'in the Active Spot' if slot == 0 else 'on the Bench'}",
                 kind="action")

    def setup_done(self, p: int) -> None:
        """A player finishes setup; after both, the first player's turn 1 starts."""
        s = self.s
        if p == s.first_player:
            s.current_player = s.turn_player = 1 - p
        else:
            self.start_turn(s.first_player)

    # --- turn structure ---------------------------------------------------------------------------------------------
    def roll_energy(self, p: int, index: int) -> int:
        types = self.pl(p).energy_types
        return types[randint(self.key, Addr.ENERGY + p, len(types), index)]

    def start_turn(self, p: int) -> None:
        s, r = self.s, self.rules
        s.turn += 1
        s.turn_actions = 0
        s.turn_player = s.current_player = p
        s.phase = MAIN
        pl = self.pl(p)
        self.log(f"turn {s.turn}: player {p}", kind="turn")
        pl.turns_taken += 1
        pl.supporters_played = pl.retreats = pl.energy_attached = 0
        for _, pk in pl.in_play():
            pk.ability_used = False
        if r.energy_zone:
            if s.turn == 1 and not r.first_turn.first_player_energy:
                pl.energy_current = -1
            else:
                pl.energy_current = pl.energy_next if pl.energy_next >= 0 else self.roll_energy(p, 1)
            pl.energy_next = self.roll_energy(p, 0)
        if not (s.turn == 1 and not r.first_turn.first_player_draws):
            if not pl.deck and r.deck_out_loses and r.draw_per_turn > 0:
                self.finish(1 - p, f"player {p} cannot draw")
            self.draw(p, r.draw_per_turn)
        self.engine.passives.turn_started(self, p)

    def discard_stadium(self) -> bool:
        """Discard the Stadium in play into the discard pile of the player who played it (False: none in play)."""
        s = self.s
        if s.stadium < 0:
            return False
        self.pl(s.stadium_owner).discard.append(s.stadium)
        self.log(f"{self.card(s.stadium).name} goes to the discard pile", kind="cards")
        s.stadium, s.stadium_owner = -1, -1
        return True

    def draw(self, p: int, n: int) -> int:
        """Draw up to n cards; stops at an empty deck or a full hand. Returns the number drawn."""
        pl = self.pl(p)
        k = 0
        while k < n and pl.deck and len(pl.hand) < self.rules.hand_limit:
            pl.hand.append(pl.deck.pop(0))
            k += 1
        if k:
            self.log(f"player {p} draws {plural(k, 'card')}", p, names(self.card(i) for i in pl.hand[-k:]), "cards")
        if k < n:
            why = "the deck is empty" if not pl.deck else "the hand is full"
            self.log(f"player {p} can't draw {'more ' if k else ''}({why})", kind="cards")
        return k

    def to_hand(self, p: int, inst: int) -> None:
        """Put a card (already taken from its zone) into p's hand; to the discard pile when the hand is full."""
        pl = self.pl(p)
        if len(pl.hand) >= self.rules.hand_limit:
            self.log(f"player {p}'s hand is full: {self.card(inst).name} goes to the discard pile", kind="cards")
        (pl.hand if len(pl.hand) < self.rules.hand_limit else pl.discard).append(inst)

    def shuffle_deck(self, p: int, salt: int = 0) -> None:
        pl = self.pl(p)
        perm = permutation(self.key, Addr.RESHUFFLE + 2 * salt + p, len(pl.deck))
        pl.deck = [pl.deck[i] for i in perm]
        self.log(f"player {p} shuffles their deck", kind="cards")

    def end_turn(self) -> None:
        """End the turn: end-of-turn effects, durations expire, Pokémon Checkup, knockouts, next turn."""
        s = self.s
        p = s.turn_player
        self.engine.passives.turn_ending(self, p)
        self.knockouts()
        ending = [d for d in s.durations if d.until <= s.turn]
        s.durations = [d for d in s.durations if d.until > s.turn]
        self.engine.passives.durations_ending(self, ending)
        self.knockouts()
        self.checkup()
        self.knockouts()
        if s.turn >= self.rules.turn_limit:
            self.end_by_turn_limit()
        self.start_turn(1 - p)

    def checkup(self) -> None:
        """Pokémon Checkup between turns, in the rules' order, for the turn player's Active then the opponent's."""
        s, sc = self.s, self.rules.special_conditions
        order = (s.turn_player, 1 - s.turn_player)
        for step in sc.checkup_order:
            for p in order:
                pk = self.pl(p).active
                if pk is None:
                    continue
                if step == "poisoned" and pk.poisoned:
                    n = pk.poison_damage if pk.poison_damage >= 0 else sc.poison_damage
                    n += self.engine.passives.condition_damage(self, p, pk, "Poisoned")
                    self.place_damage(p, pk, max(0, n),
                                      "Poisoned")
                elif step == "burned" and pk.burned:
                    self.place_damage(p, pk, max(0, sc.burn_damage + self.engine.passives.condition_damage(
                        self, p, pk, "Burned")), "Burned")
                    if sc.burn_recover_coin and self.flip(Addr.CHECKUP_BURN + p, s.turn,
                                                          f"for Burned {self.who(p, pk)}", "it recovers",
                                                          "it stays Burned"):
                        pk.burned = False
                elif step == "asleep" and pk.rot == ASLEEP:
                    if sc.sleep_wake_coin and self.flip(Addr.CHECKUP_SLEEP + p, s.turn, f"for Asleep {self.who(p, pk)}",
                                                        "it wakes up", "it stays Asleep"):
                        pk.rot = ROT_NONE
                elif step == "paralyzed" and pk.rot == PARALYZED and p == s.turn_player \
                        and pk.paralysis_turn < s.turn:
                    pk.paralysis_left -= 1
                    if pk.paralysis_left <= 0:
                        pk.rot = ROT_NONE
                        self.log(f"{self.who(p, pk)} is no longer Paralyzed", kind="condition")
        self.engine.passives.checkup(self)

    # --- end of game ------------------------------------------------------------------------------------------------
    def finish(self, winner: int, why: str) -> None:
        s = self.s
        s.winner = winner
        s.phase = OVER
        s.terminated = True
        s.pending = None
        s.rewards = (0.0, 0.0) if winner == TIE else ((1.0, -1.0) if winner == 0 else (-1.0, 1.0))
        self.log(f"game over: {why}", kind="over")
        raise GameOver

    def end_by_turn_limit(self) -> None:
        s = self.s
        s.truncated = True
        a, b = self.pl(0).points, self.pl(1).points
        winner = TIE
        if self.rules.at_turn_limit == "more_points_wins" and a != b:
            winner = 0 if a > b else 1
        s.turn = min(s.turn, self.rules.turn_limit)
        self.finish(winner, "turn limit")

    def check_winner(self) -> None:
        r = self.rules
        wins = [False, False]
        for p in (0, 1):
            if self.pl(p).points >= r.points_to_win:
                wins[p] = True
            if r.no_pokemon_in_play_loses and not self.pl(1 - p).in_play():
                wins[p] = True
        if wins[0] and wins[1]:
            self.finish(TIE, "both players won at once")
        if wins[0] or wins[1]:
            self.finish(0 if wins[0] else 1, "win")

    # --- damage and knockouts ---------------------------------------------------------------------------------------
    def place_damage(self, p: int, pk: Pokemon, amount: int, how: str = "") -> None:
        """Put damage on a Pokémon (no modifiers), never above its HP; `how` says why, for the log."""
        if amount > 0:
            hp = self.max_hp(p, pk)
            pk.damage = min(pk.damage + amount, hp)
            self.log(f"{self.who(p, pk)} takes {amount} damage{f' ({how})' if how else ''}, "
                     f"{hp - pk.damage}/{hp} HP left", kind="damage")

    def heal(self, p: int, pk: Pokemon, amount: int) -> int:
        if self.engine.passives.heal_blocked(self, p, pk):
            self.log(f"{self.who(p, pk)} can't be healed", kind="heal")
            return 0
        healed = min(pk.damage, amount)
        pk.damage -= healed
        if healed:
            self.log(f"{self.who(p, pk)} is healed {healed} damage", kind="heal")
        return healed

    def knockout_points(self, info: CardInfo) -> int:
        return knockout_points(self.rules, info)

    def knockouts(self, attacker: tuple[int, int] | None = None) -> None:
        """Knock out every Pokémon whose damage reached its HP, score, check the winner, then promote."""
        s = self.s
        if attacker is not None:
            for p in (0, 1):
                for slot, pk in self.pl(p).in_play():
                    if pk.damage >= self.max_hp(p, pk):
                        self.engine.passives.would_be_knocked_out(self, p, pk, attacker)
        kos = []
        for p in (s.turn_player, 1 - s.turn_player):
            for slot, pk in self.pl(p).in_play():
                if pk.damage >= self.max_hp(p, pk):
                    kos.append((p, slot, pk))
        if not kos:
            return
        for p, slot, pk in kos:
            self.engine.passives.knocked_out(self, p, slot, pk, attacker)
        for p, slot, pk in kos:
            if self.pl(p).slots[slot] is not pk:
                continue
            info = self.info(pk)
            self.pl(p).knocked_out += 1
            self.log(f"{self.who(p, pk)} is knocked out", kind="ko")
            if pk.uid not in self.no_points:
                self.pl(1 - p).points += self.knockout_points(info)
                self.log(f"player {1 - p} scores {plural(self.knockout_points(info), 'point')} "
                         f"({self.pl(1 - p).points} in all)", kind="points")
            else:
                self.log("this knockout scores no points", kind="points")
            self.discard_pokemon(p, slot, to_hand=pk.uid in self.ko_to_hand)
        self.check_winner()
        self.promote_all()

    def discard_pokemon(self, p: int, slot: int, to_hand: bool = False) -> None:
        """Remove a Pokémon from play: its cards (into the hand with `to_hand`) and tools to the discard pile, its
        Energy to the discarded Energy."""
        pl = self.pl(p)
        pk = pl.slots[slot]
        assert pk is not None
        (pl.hand if to_hand else pl.discard).extend(pk.cards)
        pl.discard.extend(pk.tools)
        for t in range(N_ENERGY):
            pl.discard_energy[t] += pk.energy[t]
        pl.slots[slot] = None
        self.drop_durations(pk.uid)

    def drop_durations(self, uid: int) -> None:
        self.s.durations = [d for d in self.s.durations if d.target != uid]

    def promote_all(self) -> None:
        """Each player without an Active Pokémon chooses a Benched one to promote (the non-turn player first)."""
        s = self.s
        for p in (1 - s.turn_player, s.turn_player):
            if self.pl(p).active is None:
                self.promote(p)
        self.check_winner()

    def promote(self, p: int) -> None:
        pl = self.pl(p)
        options = [slot for slot, _ in pl.bench()]
        if not options:
            return
        slot = self.choose(p, "promote", options, prompt="choose your new Active Pokémon")
        pl.slots[0], pl.slots[slot] = pl.slots[slot], None
        pl.slots[0].moved_active_turn = self.s.turn
        self.log(f"{self.who(p, pl.slots[0])} moves to the Active Spot", kind="action")

    def switch_active(self, p: int, slot: int) -> None:
        """Swap p's Active with Bench `slot`; the Pokémon leaving the Active Spot loses conditions and effects."""
        pl = self.pl(p)
        old = pl.slots[0]
        pl.slots[0], pl.slots[slot] = pl.slots[slot], old
        pl.slots[0].moved_active_turn = self.s.turn
        self.log(f"{self.who(p, pl.slots[0])} moves to the Active Spot"
                 + (f", {self.info(old).name} to the Bench" if old is not None else ""), kind="action")
        if old is not None:
            self.cleared(p, old, "on the Bench")
            old.clear_conditions()
            self.drop_durations(old.uid)

    def cleared(self, p: int, pk: Pokemon, why: str) -> None:
        """Log the Special Conditions a Pokémon is about to lose (it left the Active Spot, evolved)."""
        if pk.conditions():
            self.log(f"{self.who(p, pk)} is no longer {' or '.join(pk.conditions())} ({why})", kind="condition")

    # --- energy -----------------------------------------------------------------------------------------------------
    def discard_energy(self, p: int, pk: Pokemon, etype: int, n: int = 1, quiet: bool = False) -> int:
        k = min(n, pk.energy[etype])
        pk.energy[etype] -= k
        self.pl(p).discard_energy[etype] += k
        if k and not quiet:
            self.log(f"{self.who(p, pk)} discards {k} {ENERGY_TYPES[etype]} Energy", kind="energy")
        return k

    def retreat_discard_order(self, pk: Pokemon) -> list[int]:
        """Which Energy a retreat discards first: the type with the most attached, ties by type order."""
        return sorted(range(N_ENERGY), key=lambda t: (-pk.energy[t], t))

    # --- player actions ---------------------------------------------------------------------------------------------
    def attach_energy(self, p: int, slot: int) -> None:
        pl = self.pl(p)
        pk = pl.slots[slot]
        t = pl.energy_current
        pk.energy[t] += 1
        self.log(f"player {p} attaches {ENERGY_TYPES[t]} Energy to {self.info(pk).name}", kind="energy")
        pl.energy_current = -1
        pl.energy_attached += 1
        self.engine.passives.energy_attached(self, p, slot, pk, t)
        self.knockouts()

    def play_basic(self, p: int, hand_index: int) -> None:
        pl = self.pl(p)
        inst = pl.hand.pop(hand_index)
        slot = pl.slots.index(None, 1)
        pk = Pokemon([inst], entered_turn=self.s.turn)
        pl.slots[slot] = pk
        self.log(f"player {p} puts {self.info(pk).name} on the Bench", kind="action")
        self.engine.passives.benched_from_hand(self, p, slot, pk)
        self.knockouts()

    def evolve(self, p: int, hand_index: int, slot: int) -> None:
        pl = self.pl(p)
        inst = pl.hand.pop(hand_index)
        pk = pl.slots[slot]
        self.log(f"{self.who(p, pk)} evolves into {self.card(inst).name}", kind="action")
        self.cleared(p, pk, "it evolved")
        pk.cards.append(inst)
        pk.clear_conditions()
        pk.entered_turn = pk.evolved_turn = self.s.turn
        pk.ability_used = False
        self.drop_durations(pk.uid)
        self.engine.passives.evolved(self, p, slot, pk)
        self.knockouts()

    def attach_tool(self, p: int, hand_index: int, slot: int) -> None:
        pl = self.pl(p)
        inst = pl.hand.pop(hand_index)
        pl.slots[slot].tools.append(inst)
        self.log(f"player {p} attaches {self.card(inst).name} to {self.info(pl.slots[slot]).name}", kind="action")
        self.knockouts()

    def play_trainer(self, p: int, hand_index: int) -> None:
        """Play an item, supporter or stadium: it goes to the discard pile (a stadium into play), then its effect."""
        pl = self.pl(p)
        inst = pl.hand.pop(hand_index)
        info = self.card(inst)
        if info.kind == "supporter":
            pl.supporters_played += 1
        self.log(f"player {p} plays {info.name}", kind="action")
        if info.kind == "stadium":
            self.discard_stadium()
            self.s.stadium, self.s.stadium_owner = inst, p
        else:
            pl.discard.append(inst)
        if info.effect is not None and info.kind != "stadium":
            self.engine.interpreter.run_trainer(self, p, info)
        self.knockouts()

    def discard_fossil(self, p: int, slot: int) -> None:
        self.log(f"player {p} discards {self.info(self.pl(p).slots[slot]).name} from play", kind="action")
        self.discard_pokemon(p, slot)
        if slot == 0:
            self.check_winner()
            self.promote(p)

    def use_ability(self, p: int, slot: int) -> None:
        pk = self.pl(p).slots[slot]
        pk.ability_used = True
        self.engine.interpreter.run_ability(self, p, slot, pk)
        self.knockouts()

    def retreat(self, p: int, bench_slot: int) -> None:
        pl = self.pl(p)
        pk = pl.active
        cost = self.engine.passives.retreat_cost(self, p, pk)
        paid = []
        for t in self.retreat_discard_order(pk):
            k = self.discard_energy(p, pk, t, cost, quiet=True)
            cost -= k
            paid += [ENERGY_TYPES[t]] * k
        self.log(f"player {p} retreats {self.info(pk).name}, "
                 + (f"discarding {', '.join(paid)} Energy" if paid else "free"), kind="energy")
        pl.retreats += 1
        self.switch_active(p, bench_slot)

    def attack(self, p: int, k: int) -> None:
        """Use attack k of p's Active: confusion coin, damage and effects, knockouts, then the turn ends."""
        s, sc = self.s, self.rules.special_conditions
        pk = self.pl(p).active
        info = self.info(pk)
        atk = info.attacks[k]
        self.log(f"{self.who(p, pk)} uses {atk.name}", kind="action")
        if self.engine.passives.attack_flip(self, p, pk) and not self.flip(
                Addr.ATTACK_FLIP, s.turn, "to attack", "the attack goes ahead", "the attack doesn't happen"):
            pass
        elif pk.rot == CONFUSED and sc.confusion_coin and not self.flip(
                Addr.CONFUSION, s.turn, "for Confused " + info.name, "the attack goes ahead", "the attack fails"):
            self.place_damage(p, pk, sc.confusion_self_damage, "Confused")
        else:
            self.engine.interpreter.run_attack(self, p, pk, k, atk)
        self.knockouts(attacker=(p, pk.uid))
        self.end_turn()

    # --- special conditions -----------------------------------------------------------------------------------------
    def set_condition(self, p: int, pk: Pokemon, cond: str) -> bool:
        """Make a Pokémon Asleep/Paralyzed/Confused/Poisoned/Burned (only an Active can be affected)."""
        if self.pl(p).active is not pk or self.engine.passives.condition_immune(self, p, pk, cond):
            return False
        if cond == "Poisoned":
            pk.poisoned = True
        elif cond == "Burned":
            pk.burned = True
        elif cond == "Asleep":
            pk.rot = ASLEEP
        elif cond == "Confused":
            pk.rot = CONFUSED
        elif cond == "Paralyzed":
            pk.rot = PARALYZED
            pk.paralysis_left = self.rules.special_conditions.paralysis_turns
            pk.paralysis_turn = self.s.turn
        else:
            raise ValueError(f"unknown special condition {cond!r}")
        self.log(f"{self.who(p, pk)} is now {cond}", kind="condition")
        return True

    def add_duration(self, owner: int, player: int, target: int, until: int, data: Any, source_card: int = -1):
        self.s.durations.append(Duration(owner, player, target, until, data, source_card))
