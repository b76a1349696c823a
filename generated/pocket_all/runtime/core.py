"""The rules of play in JAX: one `Game` runs one action to its end on a working copy of the state.

This module mirrors reference/game.py and reference/engine.py line by line (the reference engine is the
definition of the rules; docs/rules.md says them in prose). It is traced once by `jit`: every `if` on game data is
a mask, every mutation goes through `Game.put`, which applies it only while the action is still running.

Exceptions of the reference become flags: a decision that has not been made yet (`NeedChoice`) sets `halt` and
records the pending decision; the end of the game (`GameOver`) sets `over`. After either, no later mutation of the
action takes effect, exactly as the reference stops executing. A decision is then resumed as the reference does it:
the state keeps the state before the action, the action, its key and the choices so far, and the next `choose`
action re-runs the action with one more choice (`replay`). Every random draw is addressed, so a replay draws the
same bits.
"""

from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from . import struct
from .rng import draw_u32

I32 = jnp.int32
SETUP, MAIN, CHOICE, OVER = 0, 1, 2, 3
TIE = 2
ROT_NONE, ASLEEP, PARALYZED, CONFUSED = 0, 1, 2, 3
K_POKEMON, K_ITEM, K_SUPPORTER, K_TOOL, K_STADIUM = 0, 1, 2, 3, 4
PEND_NONE, PEND_PROMOTE, PEND_POKEMON, PEND_ENERGY, PEND_CARD, PEND_CONDITION, PEND_OPTIONAL, PEND_ATTACK, \
    PEND_OPTION = range(9)
N_ENERGY = 8
MAX_STACK = 3
NDUR = 16
# Rule addresses (compiler/engine_model/rng.py: Addr)
A_FIRST_PLAYER, A_SHUFFLE, A_OPENING_SWAP, A_ENERGY, A_CHECKUP_BURN, A_CHECKUP_SLEEP, A_CONFUSION, A_ATTACK_FLIP = \
    1, 2, 4, 6, 8, 10, 12, 13
A_EFFECT, A_RESHUFFLE = 100, 101


@struct.dataclass
class Core:
    """The game state (card instances 0..2D-1 in zones; `card_of` maps an instance to its card index)."""

    card_of: jnp.ndarray
    turn: jnp.ndarray
    turn_actions: jnp.ndarray
    turn_player: jnp.ndarray
    current_player: jnp.ndarray
    first_player: jnp.ndarray
    phase: jnp.ndarray
    winner: jnp.ndarray
    terminated: jnp.ndarray
    truncated: jnp.ndarray
    stadium: jnp.ndarray
    stadium_owner: jnp.ndarray
    rewards: jnp.ndarray
    points: jnp.ndarray
    deck: jnp.ndarray
    hand: jnp.ndarray
    discard: jnp.ndarray
    discard_energy: jnp.ndarray
    energy_types: jnp.ndarray
    energy_current: jnp.ndarray
    energy_next: jnp.ndarray
    supporters_played: jnp.ndarray
    retreats: jnp.ndarray
    energy_attached: jnp.ndarray
    turns_taken: jnp.ndarray
    ko_by_attack_turn: jnp.ndarray
    last_attack: jnp.ndarray
    last_attack_turn: jnp.ndarray
    stack: jnp.ndarray
    tools: jnp.ndarray
    damage: jnp.ndarray
    energy: jnp.ndarray
    poisoned: jnp.ndarray
    burned: jnp.ndarray
    rot: jnp.ndarray
    paralysis_left: jnp.ndarray
    paralysis_turn: jnp.ndarray
    entered_turn: jnp.ndarray
    evolved_turn: jnp.ndarray
    ability_used: jnp.ndarray
    poison_damage: jnp.ndarray
    moved_active_turn: jnp.ndarray
    attack_damaged_turn: jnp.ndarray
    dur_owner: jnp.ndarray
    dur_player: jnp.ndarray
    dur_target: jnp.ndarray
    dur_until: jnp.ndarray
    dur_source_card: jnp.ndarray
    dur_mod: jnp.ndarray
    dur_bind: jnp.ndarray
    pending_chooser: jnp.ndarray
    pending_kind: jnp.ndarray
    pending_optional: jnp.ndarray
    pending_options: jnp.ndarray


def empty_core(T) -> Core:
    """A Core with every field at its padding value (shapes and dtypes from the tables)."""
    S, D, H, E, TL, M = T.S, T.D, T.H, T.E, T.TOOLS, T.M
    i8, i16, b = jnp.int8, jnp.int16, jnp.bool_

    def f(shape, dt, v=-1):
        return jnp.full(shape, v, dtype=dt)
    return Core(
        card_of=f((2 * D,), i16), turn=f((), i16, 0), turn_actions=f((), i16, 0), turn_player=f((), i8, 0),
        current_player=f((), i8, 0), first_player=f((), i8, 0), phase=f((), i8, SETUP), winner=f((), i8, -1),
        terminated=f((), b, False), truncated=f((), b, False), stadium=f((), i16), stadium_owner=f((), i8),
        rewards=f((2,), jnp.float32, 0), points=f((2,), i8, 0), deck=f((2, D), i16), hand=f((2, H), i16),
        discard=f((2, D), i16), discard_energy=f((2, N_ENERGY), i8, 0), energy_types=f((2, E), i8),
        energy_current=f((2,), i8), energy_next=f((2,), i8), supporters_played=f((2,), i8, 0),
        retreats=f((2,), i8, 0), energy_attached=f((2,), i8, 0), turns_taken=f((2,), i8, 0),
        ko_by_attack_turn=f((2,), i16), last_attack=f((2,), i16), last_attack_turn=f((2,), i16),
        stack=f((2, S, MAX_STACK), i16), tools=f((2, S, TL), i16), damage=f((2, S), i16, 0),
        energy=f((2, S, N_ENERGY), i8, 0), poisoned=f((2, S), b, False), burned=f((2, S), b, False),
        rot=f((2, S), i8, 0), paralysis_left=f((2, S), i8, 0), paralysis_turn=f((2, S), i16, 0),
        entered_turn=f((2, S), i16, 0), evolved_turn=f((2, S), i16), ability_used=f((2, S), b, False),
        poison_damage=f((2, S), i16), moved_active_turn=f((2, S), i16), attack_damaged_turn=f((2, S), i16),
        dur_owner=f((NDUR,), i8), dur_player=f((NDUR,), i8), dur_target=f((NDUR,), i16), dur_until=f((NDUR,), i16),
        dur_source_card=f((NDUR,), i16), dur_mod=f((NDUR,), i16), dur_bind=f((NDUR, 4 + T.S * 2), i16),
        pending_chooser=f((), i8), pending_kind=f((), i8, 0), pending_optional=f((), b, False),
        pending_options=f((M,), i16))


class CardPack(NamedTuple):
    rows: np.ndarray
    """(cards, columns) int32: every table of T.CARD_FIELDS side by side."""
    cols: dict
    """id(table) -> (first column, per-card shape, dtype)."""


_PACKS: dict = {}


def card_pack(T) -> CardPack:
    """The card tables of T packed into one int32 array (built once per tables module)."""
    got = _PACKS.get(id(T))
    if got is not None and got[0] is T:
        return got[1]
    parts, cols, start = [], {}, 0
    for name, _dtype in T.CARD_FIELDS:
        arr = np.asarray(getattr(T, name))
        flat = arr.reshape(arr.shape[0], -1).astype(np.int32)
        cols[id(getattr(T, name))] = (start, tuple(arr.shape[1:]), arr.dtype)
        parts.append(flat)
        start += flat.shape[1]
    pack = CardPack(np.concatenate(parts, axis=1), cols)
    _PACKS[id(T)] = (T, pack)
    return pack


# --- small array helpers (fixed shapes, -1 padding) -------------------------------------------------------------

def count(row):
    """Entries in a -1 padded row."""
    return jnp.sum(row >= 0, axis=-1).astype(I32)


def remove_at(row, i):
    """The row without entry i (later entries shift left)."""
    n = row.shape[-1]
    idx = jnp.arange(n)
    src = jnp.where(idx >= i, idx + 1, idx)
    return jnp.where(src < n, row[jnp.clip(src, 0, n - 1)], -1).astype(row.dtype)


def push(row, v):
    """The row with v appended after its last entry (dropped when full)."""
    return row.at[count(row)].set(jnp.asarray(v, row.dtype), mode="drop")


def index_of(row, v):
    """The first index of v in row (the row's length when absent)."""
    hit = row == v
    return jnp.where(jnp.any(hit), jnp.argmax(hit), row.shape[-1]).astype(I32)


def compact(row, keep):
    """The kept entries of a row, in order, then -1 padding (also for rows of rows: keep is over the first
    axis of `row`, or its last axis when `row` is 1-D)."""
    n = keep.shape[-1]
    i = jnp.arange(n)
    upto = jnp.sum((i[None, :] <= i[:, None]) & keep[None, :], axis=1)  # a running count; cumsum is slow on CPU
    pos = jnp.where(keep, upto - 1, n)
    return jnp.full(row.shape, -1, row.dtype).at[pos].set(row, mode="drop")


def argsort_stable(*keys):
    """The stable argsort of a short row by `keys` (the first most significant), as `jnp.lexsort(keys[::-1])`:
    each entry's rank by pairwise comparisons, then a scatter. XLA's sort is many times slower on CPU."""
    n = keys[0].shape[-1]
    i = jnp.arange(n)
    before = i[None, :] < i[:, None]  # [a, b]: b goes before a
    for k in reversed(keys):
        k = k.astype(I32) if k.dtype == jnp.bool_ else k
        before = (k[None, :] < k[:, None]) | ((k[None, :] == k[:, None]) & before)
    rank = jnp.sum(before, axis=1)
    return jnp.zeros(n, I32).at[rank].set(i.astype(I32))


@struct.dataclass
class Flow:
    """What an action's execution carries besides the state: the replay inputs and the exception flags."""

    choices: jnp.ndarray
    nchoices: jnp.ndarray
    ci: jnp.ndarray
    halt: jnp.ndarray
    over: jnp.ndarray


class Game:
    """One action's execution context. `s` is replaced (never mutated) by every `put`."""

    def __init__(self, T, effects, s: Core, k0, k1, flow: Flow):
        self.T = T
        self.effects = effects
        self.s = s
        self.k0, self.k1 = k0, k1
        self.flow = flow
        self._memo = []
        self._mask = None

    # --- control ------------------------------------------------------------------------------------------------
    def live(self):
        """The action is still running here: no decision pending, the game not over, and inside the current
        `when` (if any)."""
        live = ~(self.flow.halt | self.flow.over)
        return live if self._mask is None else (live & self._mask)

    def when(self, pred, fn, extra=()):
        """`extra = fn(extra)`, which may change the game, only where `pred` holds: `fn` runs masked (every
        mutation inside it is applied only where `pred` holds). The batch driver runs a piece of work only on the
        games that need it (sched.py), so the games here are those that need it or close to it."""
        saved = self._mask
        pred = jnp.asarray(pred, bool)
        self._mask = pred if saved is None else (saved & pred)
        try:
            new = fn(extra)
        finally:
            self._mask = saved
        return jax.tree.map(lambda a, b: jnp.where(pred, a, b), new, extra)

    def when_any(self, pred, fn, extra=()):
        """`when`, but as a while loop of at most one trip: in a vmapped piece, `fn` runs only when some game of
        the chunk needs it (and its result is kept only for those games). For rare work inside a piece (a
        knockout, one instruction kind of a group)."""
        @self.scoped
        def body(c):
            _, self.s, self.flow, ex = c
            saved = self._mask
            self._mask = None
            try:
                ex = fn(ex)
            finally:
                self._mask = saved
            return jnp.asarray(False), self.s, self.flow, ex
        pred = jnp.asarray(pred, bool) if self._mask is None else (jnp.asarray(pred, bool) & self._mask)
        init = (pred, self.s, self.flow, extra)
        _, self.s, self.flow, extra = jax.lax.while_loop(lambda c: c[0], body, init)
        return extra

    def loop(self, n, body, extra=()):
        """`extra = body(i, extra)` for i in range(n), where body may change the game; `n` is traced, so under
        `vmap` the batch runs the largest `n` of its games, not a fixed bound (callers pass 0 when idle)."""
        @self.scoped
        def step(c):
            i, self.s, self.flow, ex = c
            ex = body(i, ex)
            return i + 1, self.s, self.flow, ex
        init = (jnp.asarray(0, I32), self.s, self.flow, extra)
        _, self.s, self.flow, extra = jax.lax.while_loop(lambda c: c[0] < n, step, init)
        return extra

    def scoped(self, fn):
        """fn for a nested trace (a loop body, a vmapped function): what it memoizes stays inside it."""
        def run(*args):
            saved = self._memo
            try:
                return fn(*args)
            finally:
                self._memo = saved
        return run

    def vmap(self, fn):
        return jax.vmap(self.scoped(fn))

    def put(self, cond=True, **fields):
        """Set fields (whole arrays) where `cond` holds and the action is still running."""
        on = self.live() & cond
        upd = {}
        for k, v in fields.items():
            old = getattr(self.s, k)
            upd[k] = jnp.where(on, jnp.asarray(v).astype(old.dtype), old)
        self.s = self.s.replace(**upd)

    def set_at(self, name, idx, value, cond=True):
        """Set one entry (or row) of a field where `cond` holds and the action is still running. The entry is
        picked by a one-hot mask, not a scatter (cheaper for these small arrays under vmap)."""
        old = getattr(self.s, name)
        mask, v = self._at(old, idx, value)
        self.put(cond, **{name: jnp.where(mask, v, old)})

    def add_at(self, name, idx, value, cond=True):
        old = getattr(self.s, name)
        mask, v = self._at(old, idx, value)
        self.put(cond, **{name: old + jnp.where(mask, v, 0).astype(old.dtype)})

    @staticmethod
    def _at(old, idx, value):
        """(mask over old's shape selecting old[idx], value broadcast to old's shape)."""
        idx = idx if isinstance(idx, tuple) else (idx,)
        k = len(idx)
        mask = jnp.ones((), bool)
        for axis, i in enumerate(idx):
            shape = [1] * old.ndim
            shape[axis] = old.shape[axis]
            mask = mask & (jnp.arange(old.shape[axis]).reshape(shape) == jnp.asarray(i))
        v = jnp.asarray(value).astype(old.dtype)
        v = jnp.broadcast_to(v.reshape((1,) * k + v.shape), (1,) * k + old.shape[k:])
        return jnp.broadcast_to(mask, old.shape), v

    def draw(self, address, index):
        return draw_u32(self.k0, self.k1, jnp.asarray(address, jnp.uint32), jnp.asarray(index, jnp.uint32))

    def coin(self, address, index=0):
        return (self.draw(address, index) & jnp.uint32(1)) == jnp.uint32(1)

    def randint(self, address, n, index=0):
        n = jnp.maximum(jnp.asarray(n, I32), 1).astype(jnp.uint32)
        return (self.draw(address, index) % n).astype(I32)

    def choose(self, chooser, kind, options, n, optional=False, enabled=True):
        """The chosen option (-1: none or declined), or a pending decision (halt) when not made yet.

        `options` is a fixed-size array whose first `n` entries are the options, in the reference's order. A
        single mandatory option is taken without asking; more than M options are capped at M."""
        T = self.T
        M = T.M
        opts = jnp.full((M,), -1, I32)
        L = min(options.shape[0], M)
        opts = opts.at[:L].set(options[:L].astype(I32))
        n = jnp.minimum(jnp.asarray(n, I32), M)
        optional = jnp.asarray(optional)
        on = self.live() & enabled & (n > 0)
        auto = (n == 1) & ~optional
        fl = self.flow
        have = fl.ci < fl.nchoices
        c = fl.choices[jnp.clip(fl.ci, 0, fl.choices.shape[0] - 1)].astype(I32)
        ask = on & ~auto
        take = ask & have
        need = ask & ~have
        picked = jnp.where(c < 0, -1, opts[jnp.clip(c, 0, M - 1)])
        result = jnp.where(n <= 0, -1, jnp.where(auto, opts[0], picked))
        self.put(need, pending_chooser=chooser, pending_kind=kind, pending_optional=optional,
                 pending_options=jnp.where(jnp.arange(M) < n, opts, -1))
        self.flow = fl.replace(ci=fl.ci + take.astype(I32), halt=fl.halt | need)
        return jnp.where(on, result, -1)

    def finish(self, winner, cond=True):
        """The game ends (GameOver): winner, rewards, phase over; nothing after it in this action happens."""
        on = self.live() & cond
        rew = jnp.where(winner == TIE, jnp.zeros(2), jnp.where(winner == 0, jnp.array([1.0, -1.0]),
                                                                 jnp.array([-1.0, 1.0])))
        self.put(on, winner=winner, phase=OVER, terminated=True, pending_kind=PEND_NONE, rewards=rew)
        self.put(on, pending_chooser=-1, pending_optional=False,
                 pending_options=jnp.full((self.T.M,), -1, jnp.int16))
        self.flow = self.flow.replace(over=self.flow.over | on)

    # --- views --------------------------------------------------------------------------------------------------
    def uids(self):
        """(2, S) uid (bottom card instance) of each slot, -1 when empty."""
        return self.s.stack[:, :, 0].astype(I32)

    def occupied(self):
        return self.uids() >= 0

    def top_inst(self):
        st = self.s.stack.astype(I32)
        n = jnp.sum(st >= 0, axis=-1)
        return jnp.take_along_axis(st, jnp.clip(n - 1, 0, MAX_STACK - 1)[..., None], axis=-1)[..., 0] \
            * (n > 0) + (-1) * (n == 0)

    def _memoized(self, keys, make, tag=None):
        """make(), computed once per `tag` and identity of the traced values `keys` (a state field replaced by
        `put`, or a loop's carry, is a new value): the card lookups of one board are then shared by every rule
        that reads them, where XLA would compute them again at each use."""
        for t, ks, v in self._memo:
            if t == tag and len(ks) == len(keys) and all(a is b for a, b in zip(ks, keys)):
                return v
        v = make()
        self._memo = [(tag, keys, v)] + self._memo[:23]
        return v

    def top_card(self):
        """(2, S) card index of each slot's current card, -1 when empty."""
        def make():
            ti = self.top_inst()
            return jnp.where(ti >= 0, self.s.card_of[jnp.clip(ti, 0)].astype(I32), -1)
        return self._memoized((self.s.stack, self.s.card_of), make)

    def card(self, inst):
        return jnp.where(inst >= 0, self.s.card_of[jnp.clip(inst, 0)].astype(I32), -1)

    def tab(self, table, cards):
        """A card table looked up at card indices (padding -1 reads row 0; mask it yourself). The card tables
        are packed into one array (`card_pack`), and one gather at `cards` serves every table read there."""
        pack = card_pack(self.T)
        spec = pack.cols.get(id(table))
        if spec is None or not isinstance(cards, jax.Array):
            return jnp.asarray(table)[jnp.clip(cards, 0)]
        rows = self._memoized((cards,), lambda: jnp.asarray(pack.rows)[jnp.clip(cards, 0)])
        start, shape, dtype = spec
        size = int(np.prod(shape, dtype=np.int64))
        return rows[..., start:start + size].reshape(cards.shape + shape).astype(dtype)

    def max_hp(self):
        """(2, S) max HP: printed HP plus HpBonus modifiers, at least 1."""
        hp = self.tab(self.T.HP, self.top_card()) + self.hp_bonus()
        return jnp.maximum(1, hp)

    def hp_bonus(self):
        return self.effects.hp_bonus(self)

    def hand_count(self, p):
        return count(self.s.hand[p])

    def deck_count(self, p):
        return count(self.s.deck[p])

    # --- zones --------------------------------------------------------------------------------------------------
    def pop_hand(self, p, h, cond=True):
        """Take hand card h of player p out of the hand; returns the instance."""
        inst = self.s.hand[p, h].astype(I32)
        self.set_at("hand", p, remove_at(self.s.hand[p], h), cond)
        return inst

    def append(self, zone, p, inst, cond=True):
        self.set_at(zone, p, push(getattr(self.s, zone)[p], inst), cond & (inst >= 0))

    def remove_value(self, zone, p, inst, cond=True):
        row = getattr(self.s, zone)[p]
        self.set_at(zone, p, remove_at(row, index_of(row, inst)), cond)

    def to_hand(self, p, inst, cond=True):
        """A card (already out of its zone) into p's hand; to the discard pile when the hand is full."""
        full = self.hand_count(p) >= self.T.H
        self.append("hand", p, inst, cond & ~full)
        self.append("discard", p, inst, cond & full)

    def draw_cards(self, p, n, cond=True):
        """Draw up to n cards (stops at an empty deck or a full hand); returns the number drawn."""
        T = self.T
        hc, dc = self.hand_count(p), self.deck_count(p)
        k = jnp.clip(jnp.minimum(jnp.minimum(jnp.asarray(n, I32), dc), T.H - hc), 0)
        hand, deck = self.s.hand[p], self.s.deck[p]
        i = jnp.arange(T.H)
        src = jnp.clip(i - hc, 0, T.D - 1)
        new_hand = jnp.where(i < hc, hand, jnp.where(i < hc + k, deck[src], -1))
        j = jnp.arange(T.D)
        new_deck = jnp.where(j + k < T.D, deck[jnp.clip(j + k, 0, T.D - 1)], -1)
        self.set_at("hand", p, new_hand, cond)
        self.set_at("deck", p, new_deck, cond)
        return jnp.where(self.live() & cond, k, 0)

    def shuffle_deck(self, p, salt, cond=True):
        T = self.T
        deck = self.s.deck[p]
        n = self.deck_count(p)
        addr = jnp.asarray(A_RESHUFFLE + 2 * salt + p, I32).astype(jnp.uint32)
        words = self.draw(addr, jnp.arange(T.D))
        self.set_at("deck", p, deck[_perm_first_n(words, n, T.D)], cond)

    # --- turn structure -----------------------------------------------------------------------------------------
    def roll_energy(self, p, index):
        types = self.s.energy_types[p].astype(I32)
        n = count(types)
        return types[jnp.clip(self.randint(A_ENERGY + p, n, index), 0, types.shape[0] - 1)]

    def start_turn(self, p, cond=True):
        T, R = self.T, self.T.RULES
        s = self.s
        turn = s.turn.astype(I32) + 1
        self.put(cond, turn=turn, turn_actions=0, turn_player=p, current_player=p, phase=MAIN)
        self.add_at("turns_taken", p, 1, cond)
        self.set_at("supporters_played", p, 0, cond)
        self.set_at("retreats", p, 0, cond)
        self.set_at("energy_attached", p, 0, cond)
        self.set_at("ability_used", p, jnp.zeros((T.S,), bool), cond)
        if R["energy_zone"]:
            first = turn == 1
            nxt = self.s.energy_next[p].astype(I32)
            cur = jnp.where(nxt >= 0, nxt, self.roll_energy(p, 1))
            if not R["first_player_energy"]:
                cur = jnp.where(first, -1, cur)
            self.set_at("energy_current", p, cur, cond)
            self.set_at("energy_next", p, self.roll_energy(p, 0), cond)
        draws = jnp.asarray(True)
        if not R["first_player_draws"]:
            draws = turn != 1
        if R["deck_out_loses"] and R["draw_per_turn"] > 0:
            self.finish(1 - p, cond & draws & (self.deck_count(p) == 0))
        self.draw_cards(p, R["draw_per_turn"], cond & draws)

    def next_turn(self, cond):
        """The last part of the end of the turn (reference: Game.end_turn): the turn limit, then the next turn. The
        parts before it (end-of-turn triggers, lasting effects expiring, the Pokémon Checkup, each followed by
        knockouts) are scheduled by env.py, each only on the games where it can do something."""
        R = self.T.RULES
        p = self.s.turn_player.astype(I32)
        self.end_by_turn_limit(cond & (self.s.turn >= R["turn_limit"]))
        self.start_turn(1 - p, cond)

    def expiring(self):
        """Whether some lasting effect ends at the end of this turn."""
        s = self.s
        return jnp.any((s.dur_mod >= 0) & (s.dur_until <= s.turn))

    def checkup_matters(self):
        """Whether the Pokémon Checkup can change anything: an Active with a Special Condition (or a checkup
        trigger in the pool)."""
        s = self.s
        act = (s.stack[:, 0, 0] >= 0) & (s.poisoned[:, 0] | s.burned[:, 0] | (s.rot[:, 0] != ROT_NONE))
        return jnp.any(act) | self.effects.checkup_triggers_used

    def expire_durations(self, cond):
        s = self.s
        ending = (s.dur_mod >= 0) & (s.dur_until <= s.turn)
        self.effects.durations_ending(self, ending, cond)
        self.drop_durations_where(ending, cond)

    def drop_durations_where(self, drop, cond=True):
        s = self.s
        keep = (s.dur_mod >= 0) & ~drop
        fields = {}
        for name in ("dur_owner", "dur_player", "dur_target", "dur_until", "dur_source_card", "dur_mod", "dur_bind"):
            fields[name] = compact(getattr(s, name), keep)
        self.put(cond, **fields)

    def drop_durations(self, uid, cond=True):
        self.drop_durations_where(self.s.dur_target.astype(I32) == uid, cond & (uid >= 0))

    def checkup(self, cond):
        """The Pokémon Checkup, in the rules' order, for the turn player's Active then the opponent's."""
        R = self.T.RULES
        sc = R["special_conditions"]
        tp = self.s.turn_player.astype(I32)
        for step in R["checkup_order"]:
            for p in (tp, 1 - tp):
                s = self.s
                here = cond & (s.stack[p, 0, 0] >= 0)
                if step == "poisoned":
                    pd = s.poison_damage[p, 0].astype(I32)
                    amount = jnp.where(pd >= 0, pd, sc["poison_damage"])
                    self.place_damage(p, 0, amount, here & s.poisoned[p, 0])
                elif step == "burned":
                    burned = s.burned[p, 0]
                    self.place_damage(p, 0, sc["burn_damage"], here & burned)
                    if sc["burn_recover_coin"]:
                        heads = self.coin(A_CHECKUP_BURN + p, s.turn)
                        self.set_at("burned", (p, 0), False, here & burned & heads)
                elif step == "asleep":
                    if sc["sleep_wake_coin"]:
                        heads = self.coin(A_CHECKUP_SLEEP + p, s.turn)
                        self.set_at("rot", (p, 0), ROT_NONE, here & (s.rot[p, 0] == ASLEEP) & heads)
                elif step == "paralyzed":
                    on = here & (s.rot[p, 0] == PARALYZED) & (p == tp) & (s.paralysis_turn[p, 0] < s.turn)
                    left = s.paralysis_left[p, 0].astype(I32) - 1
                    self.set_at("paralysis_left", (p, 0), left, on)
                    self.set_at("rot", (p, 0), ROT_NONE, on & (left <= 0))
        self.effects.checkup_triggers(self, cond)

    # --- end of game --------------------------------------------------------------------------------------------
    def end_by_turn_limit(self, cond):
        R = self.T.RULES
        a, b = self.s.points[0].astype(I32), self.s.points[1].astype(I32)
        winner = jnp.asarray(TIE, I32)
        if R["at_turn_limit"] == "more_points_wins":
            winner = jnp.where(a != b, jnp.where(a > b, 0, 1), TIE)
        self.put(cond, truncated=True, turn=jnp.minimum(self.s.turn, R["turn_limit"]))
        self.finish(winner, cond)

    def check_winner(self, cond=True):
        R = self.T.RULES
        occ = self.occupied()
        wins = []
        for p in (0, 1):
            w = self.s.points[p] >= R["points_to_win"]
            if R["no_pokemon_in_play_loses"]:
                w = w | ~jnp.any(occ[1 - p])
            wins.append(w)
        both = wins[0] & wins[1]
        self.finish(jnp.where(both, TIE, jnp.where(wins[0], 0, 1)), cond & (wins[0] | wins[1]))

    # --- damage and knockouts -----------------------------------------------------------------------------------
    def place_damage(self, p, slot, amount, cond=True):
        """Put damage on a Pokémon (no modifiers), never above its max HP."""
        amount = jnp.asarray(amount, I32)
        hp = self.max_hp()[p, slot]
        new = jnp.minimum(self.s.damage[p, slot].astype(I32) + amount, hp)
        self.set_at("damage", (p, slot), new, cond & (amount > 0) & (self.s.stack[p, slot, 0] >= 0))

    def knockout_points(self, cards):
        kp = self.T.RULES["knockout_points"]
        return jnp.where(self.tab(self.T.IS_MEGA, cards), kp["mega_ex"],
                         jnp.where(self.tab(self.T.IS_EX, cards), kp["ex"], kp["normal"]))

    def knockouts(self, cond=True, attacker_p=-1, attacker_uid=-1):
        """Knock out every Pokémon whose damage reached its HP, score, check the winner, then promote.
        `attacker_p` >= 0: after an attack by that player's Pokémon `attacker_uid` (reference: knockouts(attacker))."""
        T = self.T
        eff = self.effects
        attacker_p = jnp.asarray(attacker_p, I32)
        eff.would_be_knocked_out(self, attacker_p, attacker_uid, cond)
        down = self.occupied() & (self.s.damage.astype(I32) >= self.max_hp())
        any_ko = jnp.any(down) & cond
        tp = self.s.turn_player.astype(I32)
        # knocked-out triggers see the board before any knocked-out Pokémon leaves (turn player's first)
        kos_uid = jnp.where(down, self.uids(), -1)

        def one(i, _):  # the turn player's Pokémon first, each player's Active first
            p = jnp.where(i < T.S, tp, 1 - tp)
            sl = i % T.S
            uid = kos_uid[p, sl]
            on = (self.s.stack[p, sl, 0].astype(I32) == uid) & (uid >= 0)
            card = self.top_card()[p, sl]
            pts = jnp.where(eff.no_points_for(self, uid), 0, self.knockout_points(card))
            self.add_at("points", 1 - p, pts, on)
            self.discard_pokemon(p, sl, on)
            return ()

        def knock(_):
            eff.knocked_out(self, kos_uid, tp, attacker_p, attacker_uid, True)
            self.loop(2 * T.S, one)
            self.check_winner(True)
            self.promote_all(True)
            return ()
        self.when_any(any_ko & self.live(), knock)

    def discard_pokemon(self, p, slot, cond=True):
        """Remove a Pokémon from play: its cards and Tools to the discard pile, its Energy to the discarded Energy."""
        T = self.T
        s = self.s
        uid = s.stack[p, slot, 0].astype(I32)
        on = cond & (uid >= 0)
        row = s.discard[p]
        for c in range(MAX_STACK):
            row = jnp.where(s.stack[p, slot, c] >= 0, push(row, s.stack[p, slot, c]), row)
        for t in range(T.TOOLS):
            row = jnp.where(s.tools[p, slot, t] >= 0, push(row, s.tools[p, slot, t]), row)
        self.set_at("discard", p, row, on)
        self.add_at("discard_energy", p, s.energy[p, slot], on)
        self.clear_slot(p, slot, on)
        self.drop_durations(uid, on)

    def clear_slot(self, p, slot, cond):
        for name, v in SLOT_DEFAULTS.items():
            self.set_at(name, (p, slot), v, cond)

    def promote_all(self, cond=True):
        tp = self.s.turn_player.astype(I32)
        for p in (1 - tp, tp):
            self.promote(p, cond & (self.s.stack[p, 0, 0] < 0))
        self.check_winner(cond)

    def promote(self, p, cond=True):
        T = self.T
        occ = self.occupied()[p]
        bench = occ & (jnp.arange(T.S) > 0)
        opts = compact(jnp.arange(T.S, dtype=I32), bench)
        n = jnp.sum(bench)
        on = cond & (n > 0)
        slot = self.choose(p, PEND_PROMOTE, opts, n, False, on)
        self.move_slot(p, slot, 0, on & (slot > 0))
        self.set_at("moved_active_turn", (p, 0), self.s.turn, on & (slot > 0))

    def move_slot(self, p, src, dst, cond):
        """Move the Pokémon of slot src into the empty slot dst (all its per-slot fields)."""
        src = jnp.clip(src, 0, self.T.S - 1)
        for name in SLOT_DEFAULTS:
            arr = getattr(self.s, name)
            self.set_at(name, (p, dst), arr[p, src], cond)
        self.clear_slot(p, src, cond)

    def swap_slots(self, p, a, b, cond):
        a = jnp.clip(a, 0, self.T.S - 1)
        b = jnp.clip(b, 0, self.T.S - 1)
        for name in SLOT_DEFAULTS:
            arr = getattr(self.s, name)
            va, vb = arr[p, a], arr[p, b]
            self.set_at(name, (p, a), vb, cond)
            self.set_at(name, (p, b), va, cond)

    def clear_conditions(self, p, slot, cond):
        for name, v in (("poisoned", False), ("burned", False), ("rot", ROT_NONE), ("paralysis_left", 0),
                        ("poison_damage", -1)):
            self.set_at(name, (p, slot), v, cond)

    def switch_active(self, p, slot, cond=True):
        """Swap p's Active with Bench `slot`; the Pokémon leaving the Active Spot loses conditions and effects."""
        old_uid = self.s.stack[p, 0, 0].astype(I32)
        self.swap_slots(p, 0, slot, cond)
        self.set_at("moved_active_turn", (p, 0), self.s.turn, cond)
        had = cond & (old_uid >= 0)
        self.clear_conditions(p, slot, had)
        self.drop_durations(old_uid, had)

    # --- energy -------------------------------------------------------------------------------------------------
    def discard_energy(self, p, slot, etype, n, cond=True):
        have = self.s.energy[p, slot, jnp.clip(etype, 0, 7)].astype(I32)
        k = jnp.minimum(jnp.asarray(n, I32), have)
        on = cond & (etype >= 0)
        self.add_at("energy", (p, slot, jnp.clip(etype, 0, 7)), -k, on)
        self.add_at("discard_energy", (p, jnp.clip(etype, 0, 7)), k, on)
        return jnp.where(self.live() & on, k, 0)

    # --- player actions -----------------------------------------------------------------------------------------
    def setup_place(self, p, h, cond):
        inst = self.pop_hand(p, h, cond)
        occ = self.occupied()[p]
        slot = jnp.where(~occ[0], 0, first_empty_bench(occ))
        self.new_pokemon(p, slot, inst, 0, cond)

    def setup_done(self, p, cond):
        first = p == self.s.first_player
        self.put(cond & first, current_player=1 - p, turn_player=1 - p)
        self.start_turn(self.s.first_player.astype(I32), cond & ~first)

    def new_pokemon(self, p, slot, inst, entered, cond):
        self.clear_slot(p, slot, cond)
        self.set_at("stack", (p, slot, 0), inst, cond)
        self.set_at("entered_turn", (p, slot), entered, cond)

    def attach_energy(self, p, slot, cond):
        t = self.s.energy_current[p].astype(I32)
        self.add_at("energy", (p, slot, jnp.clip(t, 0, 7)), 1, cond)
        self.set_at("energy_current", p, -1, cond)
        self.add_at("energy_attached", p, 1, cond)
        self.effects.energy_attached(self, p, slot, t, cond)

    def play_basic(self, p, h, cond):
        inst = self.pop_hand(p, h, cond)
        slot = first_empty_bench(self.occupied()[p])
        self.new_pokemon(p, slot, inst, self.s.turn, cond)
        self.effects.benched_from_hand(self, p, slot, cond)

    def evolve(self, p, h, slot, cond):
        inst = self.pop_hand(p, h, cond)
        n = jnp.sum(self.s.stack[p, slot] >= 0)
        self.set_at("stack", (p, slot, jnp.clip(n, 0, MAX_STACK - 1)), inst, cond)
        self.clear_conditions(p, slot, cond)
        self.set_at("entered_turn", (p, slot), self.s.turn, cond)
        self.set_at("evolved_turn", (p, slot), self.s.turn, cond)
        self.set_at("ability_used", (p, slot), False, cond)
        self.drop_durations(self.s.stack[p, slot, 0].astype(I32), cond)
        self.effects.evolved(self, p, slot, cond)

    def attach_tool(self, p, h, slot, cond):
        inst = self.pop_hand(p, h, cond)
        self.set_at("tools", (p, slot), push(self.s.tools[p, slot], inst), cond)

    def play_trainer(self, p, h, cond):
        """Play an Item, Supporter or Stadium from the hand: it goes to the discard pile (a Stadium into play);
        its effect runs next (effects.run), then knockouts."""
        T = self.T
        inst = self.pop_hand(p, h, cond)
        card = self.card(inst)
        kind = self.tab(T.KIND, card)
        self.add_at("supporters_played", p, 1, cond & (kind == K_SUPPORTER))
        stadium = cond & (kind == K_STADIUM)
        old = self.s.stadium.astype(I32)
        owner = jnp.clip(self.s.stadium_owner.astype(I32), 0, 1)
        self.append("discard", owner, old, stadium & (old >= 0))
        self.put(stadium, stadium=inst, stadium_owner=p)
        self.append("discard", p, inst, cond & (kind != K_STADIUM))
        return card, cond & (kind != K_STADIUM)

    def discard_fossil(self, p, slot, cond):
        self.discard_pokemon(p, slot, cond)
        self.check_winner(cond & (slot == 0))
        self.promote(p, cond & (slot == 0))

    def use_ability(self, p, slot, cond):
        """The Ability of a slot (a fossil: discard it from play)."""
        T = self.T
        card = self.top_card()[p, slot]
        fossil = self.tab(T.IS_FOSSIL, card)
        self.set_at("ability_used", (p, slot), True, cond)
        self.discard_fossil(p, slot, cond & fossil)

    def retreat(self, p, bench_slot, cond):
        cost = self.effects.retreat_cost(self)[p, 0]
        en = self.s.energy[p, 0].astype(I32)
        # the type with the most Energy attached goes first, ties by type order
        order = argsort_stable(-en * 16 + jnp.arange(N_ENERGY))
        for i in range(N_ENERGY):
            t = order[i]
            k = self.discard_energy(p, 0, t, cost, cond)
            cost = cost - k
        self.add_at("retreats", p, 1, cond)
        self.switch_active(p, bench_slot, cond)

    def attack(self, p, k, cond):
        """Use attack k of p's Active: the coins that can stop it (AttackFlip, Confusion). Returns whether its
        effect runs (effects.run); knockouts and the end of the turn follow (env.run)."""
        R = self.T.RULES
        sc = R["special_conditions"]
        s = self.s
        flip = self.effects.attack_flip(self, p)
        flip_fails = flip & ~self.coin(A_ATTACK_FLIP, s.turn)
        confused = (s.rot[p, 0] == CONFUSED)
        conf_fails = ~flip_fails & confused
        if sc["confusion_coin"]:
            conf_fails = conf_fails & ~self.coin(A_CONFUSION, s.turn)
        else:
            conf_fails = conf_fails & False
        self.place_damage(p, 0, sc["confusion_self_damage"], cond & conf_fails)
        return cond & ~flip_fails & ~conf_fails

    # --- special conditions -------------------------------------------------------------------------------------
    def set_condition(self, p, slot, cond_name, cond=True):
        """Make a Pokémon Asleep/Paralyzed/Confused/Poisoned/Burned (only an Active can be affected)."""
        R = self.T.RULES
        on = cond & (slot == 0) & (self.s.stack[p, 0, 0] >= 0) & ~self.effects.condition_immune(self, p, cond_name)
        if cond_name == "Poisoned":
            self.set_at("poisoned", (p, 0), True, on)
        elif cond_name == "Burned":
            self.set_at("burned", (p, 0), True, on)
        elif cond_name == "Asleep":
            self.set_at("rot", (p, 0), ASLEEP, on)
        elif cond_name == "Confused":
            self.set_at("rot", (p, 0), CONFUSED, on)
        elif cond_name == "Paralyzed":
            self.set_at("rot", (p, 0), PARALYZED, on)
            self.set_at("paralysis_left", (p, 0), R["special_conditions"]["paralysis_turns"], on)
            self.set_at("paralysis_turn", (p, 0), self.s.turn, on)
        return on & self.live()


SLOT_DEFAULTS = {"stack": -1, "tools": -1, "damage": 0, "energy": 0, "poisoned": False, "burned": False, "rot": 0,
                 "paralysis_left": 0, "paralysis_turn": 0, "entered_turn": 0, "evolved_turn": -1,
                 "ability_used": False, "poison_damage": -1, "moved_active_turn": -1, "attack_damaged_turn": -1}
"""Every per-slot field and its value for an empty slot (and for a new Pokémon)."""


def first_empty_bench(occ_row):
    S = occ_row.shape[0]
    free = ~occ_row & (jnp.arange(S) > 0)
    return jnp.where(jnp.any(free), jnp.argmax(free), S - 1).astype(I32)


def _perm_first_n(words, n, size):
    """Stable argsort of the first n words (the rest stay in place after them)."""
    idx = jnp.arange(size)
    live = idx < n
    # sort key: (not live, word, index) -- live entries by word, stable; padding keeps its order at the end
    return argsort_stable(~live, jnp.where(live, words, jnp.uint32(0)))
