"""The pgx-style environment over the rules (core.py) and the effect VM (effects.py).

`Env.init(key) -> State`, `Env.step(state, action, key) -> State`, `Env.observe(state, player_id)`, with pgx 2's
conventions: at a terminal state the legal-action mask is all True and `step` returns the state unchanged with zero
rewards; an illegal action ends the game with -1 for the player who took it (+1 for the other). The game itself is
`State._core` (the canonical encoding: `canonical(core)`); a pending decision keeps the state before the action that
asked (`_base`), that action, its key words and the choices so far, and the next step replays it (core.py).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from jax.custom_batching import custom_vmap

from . import struct
from .core import (CHOICE, I32, K_POKEMON, K_STADIUM, K_SUPPORTER, K_TOOL, MAIN, MAX_STACK, N_ENERGY, NDUR,
                   PEND_CARD, PEND_NONE, SETUP, A_FIRST_PLAYER, A_OPENING_SWAP, A_SHUFFLE, Core, Flow, Game,
                   _perm_first_n, count, empty_core, first_empty_bench)
from .effects import EV_ATTACHED, EV_BENCHED, EV_EVOLVED, Ctx, Effects, new_ctx
from .sched import Packing, run_where
from .rng import draw_u32

A_DECK_PAIRING = 0x0DEC
"""Address of the two draws that pick each player's deck from the Env's deck pool at init."""
K_CHOICES = 16
"""Most decisions one action can ask for (promotions, targets, Energy, cards ...)."""


@struct.dataclass
class Work:
    """One game's action while it runs through the scheduled pieces of a step: the state, the replay inputs and
    flags, the decoded action, the effect's registers and what later pieces need to know."""

    core: Core
    flow: Flow
    k0: jnp.ndarray
    k1: jnp.ndarray
    active: jnp.ndarray
    p: jnp.ndarray
    kind: jnp.ndarray
    h: jnp.ndarray
    slot: jnp.ndarray
    idx: jnp.ndarray
    ctx: Ctx
    vm_on: jnp.ndarray
    attack_on: jnp.ndarray
    atk_name: jnp.ndarray
    attacker: jnp.ndarray
    ko_cond: jnp.ndarray
    end_cond: jnp.ndarray
    attacked: jnp.ndarray


@struct.dataclass
class State:
    current_player: jnp.ndarray
    observation: jnp.ndarray
    rewards: jnp.ndarray
    terminated: jnp.ndarray
    truncated: jnp.ndarray
    legal_action_mask: jnp.ndarray
    _step_count: jnp.ndarray
    _core: Core
    _base: Core
    _base_action: jnp.ndarray
    _base_key: jnp.ndarray
    _choices: jnp.ndarray
    _nchoices: jnp.ndarray


def key_words(key):
    """The two uint32 words of a JAX PRNG key (typed or raw uint32[2]); the reference engine's 64-bit key is
    `words[0] | words[1] << 32`."""
    if jnp.issubdtype(key.dtype, jax.dtypes.prng_key):
        key = jax.random.key_data(key)
    key = key.astype(jnp.uint32).reshape(-1)
    return key[0], key[-1] if key.shape[0] > 1 else jnp.uint32(0)


class Env:
    """A generated engine: the rules of one spec over its card tables `T`."""

    def __init__(self, T, decks=None):
        self.T = T
        self.effects = Effects(T)
        if decks is None:
            self.deck_cards = jnp.asarray(T.DECK_CARDS, jnp.int16)
            self.deck_energy = jnp.asarray(T.DECK_ENERGY, jnp.int8)
        else:
            self.deck_cards = jnp.asarray([d[0] for d in decks], jnp.int16)
            self.deck_energy = jnp.asarray([list(d[1]) + [-1] * (T.E - len(d[1])) for d in decks], jnp.int8)
        self.id = T.NAME
        self.version = T.VERSION
        self.num_players = 2
        self.num_actions = T.NUM_ACTIONS
        self.observation_shape = (T.OBS_SIZE,)
        self._step1 = self._make_step1()
        self._checked_trainers = np.flatnonzero((T.TR_REQ >= 0) | (T.TR_BIND >= 0) |
                                                np.any(T.TR_REMOVE >= 0, axis=-1)).tolist()
        """Trainer cards of the pool whose play has a requirement (checked only when one is in the hand)."""
        self._checked_attackers = np.flatnonzero(np.any(T.ATK_REQ >= 0, axis=-1) |
                                                 np.any(T.ATK_REMOVE >= 0, axis=(-1, -2))).tolist()
        """Pokémon cards of the pool with an attack that has a requirement (checked only when one is Active)."""
        self._has_abilities = bool(np.any(T.AB_ACTIVATED))
        self._has_triggers = bool(np.any(T.TRIG_EVENT >= 0))
        """Whether some Pokémon of the pool has an activated Ability (checked only when one is in play)."""
        self._passives_in_mask = bool(self.effects.npas) and self.effects.mod_ops_in_mask
        """Whether a passive Ability of the pool can change the legal actions (one in play: the full check)."""
        self._full_checks = bool(self._checked_trainers or self._checked_attackers or
                                 self.effects.mod_ops_in_mask or self._has_abilities)

    # --- pgx API --------------------------------------------------------------------------------------------------
    def init(self, key) -> State:
        """A new game: each player's deck drawn from the deck pool, then the rules' setup (core `init_game`)."""
        k0, k1 = key_words(key)
        n = self.deck_cards.shape[0]
        if n == 0:
            raise ValueError("this engine has no decks: pass Env(decks=[(cards, energy_types), ...])")
        i = (draw_u32(k0, k1, jnp.uint32(A_DECK_PAIRING), jnp.arange(2, dtype=jnp.uint32)) % jnp.uint32(n))
        i = i.astype(I32)
        return self.init_game(k0, k1, self.deck_cards[i], self.deck_energy[i])

    def step(self, state: State, action, key=None) -> State:
        if key is None:
            k0, k1 = jnp.uint32(0), jnp.uint32(0)
        else:
            k0, k1 = key_words(key)
        return self.step_words(state, action, k0, k1)

    def observe(self, state: State, player_id) -> jnp.ndarray:
        return self.flat_observation(state._core, player_id)

    # --- games from explicit decks and key words (what the differential check uses) ------------------------------
    def init_game(self, k0, k1, cards, energy) -> State:
        """A new game of two decks (card indices (2, D), Energy Zone types (2, E), -1 padded) under key words."""
        T = self.T
        D, nh = T.D, T.RULES["opening_hand_size"]
        core = empty_core(T)
        card_of = cards.astype(jnp.int16).reshape(-1)
        decks, hands = [], []
        for p in (0, 1):
            words = draw_u32(k0, k1, jnp.uint32(A_SHUFFLE + p), jnp.arange(D, dtype=jnp.uint32))
            order = (p * D + _perm_first_n(words, D, D)).astype(I32)
            if T.RULES["opening_hand_has_basic"]:
                basic = jnp.asarray(T.IS_BASIC)[card_of[order].astype(I32)]
                no_basic = ~jnp.any(basic[:nh])
                j = jnp.argmax(basic)
                has = jnp.any(basic)
                k = (draw_u32(k0, k1, jnp.uint32(A_OPENING_SWAP + p), jnp.uint32(0)) % jnp.uint32(nh)).astype(I32)
                swapped = order.at[k].set(order[j]).at[j].set(order[k])
                order = jnp.where(no_basic & has, swapped, order)
            hands.append(jnp.full((T.H,), -1, I32).at[:nh].set(order[:nh]))
            decks.append(jnp.where(jnp.arange(D) < D - nh, jnp.roll(order, -nh), -1))
        first = ((draw_u32(k0, k1, jnp.uint32(A_FIRST_PLAYER), jnp.uint32(0)) & jnp.uint32(1)) == 1).astype(I32)
        core = core.replace(card_of=card_of, deck=jnp.stack(decks).astype(jnp.int16),
                            hand=jnp.stack(hands).astype(jnp.int16), energy_types=energy.astype(jnp.int8),
                            first_player=first.astype(jnp.int8), current_player=first.astype(jnp.int8),
                            turn_player=first.astype(jnp.int8))
        return self._wrap(core, core, jnp.asarray(0, I32), jnp.zeros(2, jnp.uint32),
                          jnp.full((K_CHOICES,), -1, jnp.int8), jnp.asarray(0, jnp.int8), jnp.asarray(0, I32))

    def _wrap(self, core, base, base_action, base_key, choices, nch, step_count, rewards=None, mask=None):
        """The State around a core. `mask` None: a new game (setup phase, where no lasting effect or requirement
        can matter)."""
        mask = self.legal_mask(core, full=False) if mask is None else mask
        over = core.terminated | core.truncated
        st = State(current_player=core.current_player.astype(I32), observation=jnp.zeros(self.observation_shape,
                   jnp.int16), rewards=jnp.zeros(2, jnp.float32) if rewards is None else rewards,
                   terminated=core.terminated, truncated=core.truncated,
                   legal_action_mask=jnp.where(over, True, mask), _step_count=step_count, _core=core, _base=base,
                   _base_action=base_action, _base_key=base_key, _choices=choices, _nchoices=nch)
        return st.replace(observation=self.flat_observation(core, st.current_player))

    def step_words(self, state: State, action, k0, k1) -> State:
        """pgx's step over key words: terminal no-op, illegal action penalty, then the rules. Under `vmap` this
        runs `step_batch` on the whole batch (a custom batching rule), so the batch's games share one schedule."""
        return self._step1(state, jnp.asarray(action, I32), jnp.asarray(k0, jnp.uint32),
                           jnp.asarray(k1, jnp.uint32))

    def _make_step1(self):
        @custom_vmap
        def step1(state, action, k0, k1):
            one = jax.tree.map(lambda x: x[None], (state, action, k0, k1))
            return jax.tree.map(lambda x: x[0], self.step_batch(*one))

        @step1.def_vmap
        def rule(axis_size, in_batched, state, action, k0, k1):
            args = jax.tree.map(lambda x, b: x if b else jnp.broadcast_to(x, (axis_size,) + jnp.shape(x)),
                                (state, action, k0, k1), tuple(in_batched))
            out = self.step_batch(*args)
            return out, jax.tree.map(lambda _: True, out)
        return step1

    def step_batch(self, state: State, action, k0, k1) -> State:
        """`step_words` for a batch (every argument with a leading batch axis)."""
        n_act = self.num_actions

        def prelude(state, action, k0, k1):
            done = state.terminated | state.truncated
            illegal = ~state.legal_action_mask[jnp.clip(action, 0, n_act - 1)] | (action < 0) | (action >= n_act)
            return done, illegal
        done, illegal = jax.vmap(prelude)(state, action, k0, k1)
        nxt = self._step_core_batch(state, action, k0, k1, ~done & ~illegal)

        def epilogue(state, nxt, done, illegal):
            penalty = jnp.where(jnp.arange(2) == state.current_player, -1.0, 1.0).astype(jnp.float32)
            bad = state.replace(terminated=jnp.asarray(True), rewards=penalty, _step_count=state._step_count + 1,
                                legal_action_mask=jnp.ones_like(state.legal_action_mask))
            out = jax.tree.map(lambda a, b: jnp.where(illegal & ~done, a, b), bad, nxt)
            same = state.replace(rewards=jnp.zeros_like(state.rewards))
            return jax.tree.map(lambda a, b: jnp.where(done, a, b), same, out)
        return jax.vmap(epilogue)(state, nxt, done, illegal)

    def _step_core_batch(self, state: State, action, k0, k1, active) -> State:
        """The reference's Engine.step: a choice replays the action that asked with one more choice."""
        T = self.T

        def prelude(state, action, k0, k1):
            prev = state._core
            in_choice = prev.phase == CHOICE
            c = jnp.where(action == T.ACT_CHOOSE_DONE, -1, action - T.ACT_CHOOSE).astype(jnp.int8)
            nch = state._nchoices.astype(I32)
            choices = jnp.where(in_choice, state._choices.at[jnp.clip(nch, 0, K_CHOICES - 1)].set(c),
                                jnp.full((K_CHOICES,), -1, jnp.int8))
            nch = jnp.where(in_choice, nch + 1, 0)
            base = jax.tree.map(lambda a, b: jnp.where(in_choice, a, b), state._base, prev)
            act = jnp.where(in_choice, state._base_action, action)
            kw0 = jnp.where(in_choice, state._base_key[0], k0)
            kw1 = jnp.where(in_choice, state._base_key[1], k1)
            return base, act, kw0, kw1, choices, nch
        base, act, kw0, kw1, choices, nch = jax.vmap(prelude)(state, action, k0, k1)
        out = self.run_batch(base, act, kw0, kw1, choices, nch, active)
        ta = jnp.where((out.turn == state._core.turn) & (out.phase != SETUP), state._core.turn_actions + 1,
                       out.turn_actions)
        out = out.replace(turn_actions=ta.astype(out.turn_actions.dtype))
        mask = self.legal_mask_batch(out)

        def epilogue(state, out, base, act, kw0, kw1, choices, nch, mask):
            prev = state._core
            rewards = jnp.where(out.terminated & ~prev.terminated, out.rewards, 0.0).astype(jnp.float32)
            return self._wrap(out, base, act, jnp.stack([kw0, kw1]), choices, nch.astype(jnp.int8),
                              state._step_count + 1, rewards, mask)
        return jax.vmap(epilogue)(state, out, base, act, kw0, kw1, choices, nch, mask)

    # --- one action, scheduled over the batch -------------------------------------------------------------------
    def run_batch(self, core, action, k0, k1, choices, nch, active) -> Core:
        """Run one action per game on `core` with the recorded choices (reference: Engine._run / _perform).

        Each kind of work runs only on the games that need it (sched.run_where): the action's own rule (one per
        action kind), the effect VM one instruction kind at a time until every program has ended, the action's
        knockouts, the end of the turn."""
        T = self.T
        eff = self.effects
        w = jax.vmap(self._begin)(core, action, k0, k1, choices, nch, active)
        pk = Packing(w)
        rows = pk.pack(w)
        kinds = T.ACT_KINDS
        setup = w.core.phase == SETUP
        main = w.active & ~setup
        is_ = lambda name: w.kind == kinds.index(name)  # noqa: E731
        for need, fn in ((w.active & setup & is_("play"), self._k_setup_place),
                         (w.active & setup & ~is_("play"), self._k_setup_done),
                         (main & is_("attach_energy"), self._k_attach),
                         (main & is_("play"), self._k_play),
                         (main & is_("play_on"), self._k_play_on),
                         (main & is_("retreat"), self._k_retreat),
                         (main & is_("attack"), self._k_attack),
                         (main & is_("ability"), self._k_ability)):
            rows = run_where(need, fn, rows, pk)
        kernels = eff.kernels() if T.VM_STEPS > 0 else []
        if kernels:
            instr_op = jnp.asarray(T.INSTR)[:, 0].astype(I32)

            def running(w):
                c = w.ctx
                return w.vm_on & ~w.flow.halt & ~w.flow.over & (c.pc < c.end) & ~c.stopped & \
                    (c.iters < T.VM_STEPS)

            def iteration(rows):
                for ks, fn in kernels:
                    w = pk.unpack_batch(rows)
                    op = instr_op[jnp.clip(w.ctx.pc, 0, instr_op.shape[0] - 1)]
                    need = running(w) & jnp.any(op[:, None] == jnp.asarray(ks)[None, :], axis=1)
                    rows = run_where(need, lambda x, fn=fn: self._vm_kernel(x, fn), rows, pk)
                return rows
            rows = jax.lax.while_loop(lambda r: jnp.any(running(pk.unpack_batch(r))), iteration, rows)
        w = pk.unpack_batch(rows)
        live = ~w.flow.halt & ~w.flow.over
        rows = run_where(w.attack_on & live, self._k_attack_done, rows, pk)
        rows = run_where(jax.vmap(self._ko_pending)(pk.unpack_batch(rows)), self._k_knockouts, rows, pk)
        # the end of the turn (reference: Game.end_turn), each part only on the games where it can do something
        def ending(rows, extra=None):
            w = pk.unpack_batch(rows)
            on = (w.end_cond | (w.vm_on & w.ctx.end_turn)) & ~w.flow.halt & ~w.flow.over
            return on if extra is None else on & jax.vmap(lambda w: extra(self._game(w)))(w)
        if self.effects.turn_ending_used:
            rows = run_where(ending(rows), self._k_turn_ending, rows, pk)
        rows = run_where(ending(rows, self._ko_down), self._k_end_knockouts, rows, pk)
        rows = run_where(ending(rows, lambda g: g.expiring()), self._k_expire, rows, pk)
        rows = run_where(ending(rows, self._ko_down), self._k_end_knockouts, rows, pk)
        rows = run_where(ending(rows, lambda g: g.checkup_matters()), self._k_checkup, rows, pk)
        rows = run_where(ending(rows, self._ko_down), self._k_end_knockouts, rows, pk)
        rows = run_where(ending(rows), self._k_next_turn, rows, pk)
        return jax.vmap(self._finalize)(pk.unpack_batch(rows))

    def _begin(self, core, action, k0, k1, choices, nch, active):
        T = self.T
        flow = Flow(choices=choices, nchoices=jnp.asarray(nch, I32), ci=jnp.asarray(0, I32),
                    halt=jnp.asarray(False), over=jnp.asarray(False))
        kind = jnp.asarray(T.ACT_KIND)[action].astype(I32)
        p = core.current_player.astype(I32)
        main = active & (core.phase != SETUP)
        core = core.replace(phase=jnp.where(main, MAIN, core.phase).astype(core.phase.dtype))
        is_ = lambda name: kind == T.ACT_KINDS.index(name)  # noqa: E731
        ctx = new_ctx(T, p, -1, -1, 0, 0, 0, 0)
        return Work(core=core, flow=flow, k0=k0, k1=k1, active=active, p=p, kind=kind,
                    h=jnp.asarray(T.ACT_HAND)[action].astype(I32), slot=jnp.asarray(T.ACT_SLOT)[action].astype(I32),
                    idx=jnp.asarray(T.ACT_INDEX)[action].astype(I32), ctx=ctx, vm_on=jnp.asarray(False),
                    attack_on=jnp.asarray(False), atk_name=jnp.asarray(-1, I32),
                    attacker=core.stack[p, 0, 0].astype(I32),
                    ko_cond=main & ~is_("end_turn") & ~is_("retreat"),
                    end_cond=main & (is_("end_turn") | is_("attack")), attacked=main & is_("attack"))

    def _game(self, w):
        return Game(self.T, self.effects, w.core, w.k0, w.k1, w.flow)

    def _k_setup_place(self, w):
        g = self._game(w)
        g.setup_place(w.p, w.h, True)
        return w.replace(core=g.s, flow=g.flow)

    def _k_setup_done(self, w):
        g = self._game(w)
        g.setup_done(w.p, True)
        return w.replace(core=g.s, flow=g.flow)

    def _k_attach(self, w):
        g = self._game(w)
        t = w.core.energy_current[w.p].astype(I32)
        g.attach_energy(w.p, w.slot, True)
        return self._triggered(w, g, w.slot, EV_ATTACHED, t, jnp.asarray(True))

    def _triggered(self, w, g, slot, event, etype, cond):
        """The work item after an action's rule, with the program of the triggered Ability that `event` starts on
        the Pokémon in `slot`, if any (reference: Interpreter.fire from the rule's hook)."""
        if not self._has_triggers:
            return w.replace(core=g.s, flow=g.flow)
        ctx, on = self.effects.start_trigger(g, w.p, slot, event, etype, cond)
        ctx = jax.tree.map(lambda a, b: jnp.where(on, a, b), ctx, w.ctx)
        return w.replace(core=g.s, flow=g.flow, ctx=ctx, vm_on=w.vm_on | on)

    def _k_play(self, w):
        T = self.T
        g = self._game(w)
        hcard = g.card(w.core.hand[w.p, jnp.clip(w.h, 0, T.H - 1)].astype(I32))
        as_basic = g.tab(T.PLAYS_AS_BASIC, hcard)
        slot = first_empty_bench(g.occupied()[w.p])
        g.play_basic(w.p, w.h, as_basic)
        tcard, trainer = g.play_trainer(w.p, w.h, ~as_basic)
        ctx, _ = self.effects.start(g, w.p, jnp.asarray(False), 0, trainer, tcard)
        w = w.replace(ctx=ctx, vm_on=trainer)
        return self._triggered(w, g, slot, EV_BENCHED, -1, as_basic)

    def _k_play_on(self, w):
        T = self.T
        g = self._game(w)
        hcard = g.card(w.core.hand[w.p, jnp.clip(w.h, 0, T.H - 1)].astype(I32))
        tool = g.tab(T.KIND, hcard) == K_TOOL
        g.attach_tool(w.p, w.h, w.slot, tool)
        g.evolve(w.p, w.h, w.slot, ~tool)
        return self._triggered(w, g, w.slot, EV_EVOLVED, -1, ~tool)

    def _k_retreat(self, w):
        g = self._game(w)
        g.retreat(w.p, w.slot, True)
        return w.replace(core=g.s, flow=g.flow)

    def _k_attack(self, w):
        g = self._game(w)
        runs = g.attack(w.p, w.idx, True)
        ctx, name = self.effects.start(g, w.p, runs, w.idx, jnp.asarray(False), -1)
        return w.replace(core=g.s, flow=g.flow, ctx=ctx, vm_on=runs, attack_on=runs, atk_name=name.astype(I32))

    def _k_ability(self, w):
        g = self._game(w)
        ctx, on = self.effects.start_ability(g, w.p, w.slot)
        g.use_ability(w.p, w.slot, True)
        return w.replace(core=g.s, flow=g.flow, ctx=ctx, vm_on=on)

    def _vm_kernel(self, w, fn):
        g = self._game(w)
        ctx = fn(g, w.ctx, w.vm_on)
        return w.replace(core=g.s, flow=g.flow, ctx=ctx)

    def _k_attack_done(self, w):
        g = self._game(w)
        self.effects.finish(g, w.p, w.attack_on, w.atk_name)
        return w.replace(core=g.s, flow=g.flow)

    def _ko_down(self, g):
        """Whether some Pokémon's damage reached its HP (a knockout check can knock out something)."""
        return jnp.any(g.occupied() & (g.s.damage.astype(I32) >= g.max_hp()))

    def _ko_pending(self, w):
        """Whether the action's knockout check can knock out anything."""
        g = self._game(w)
        return w.ko_cond & g.live() & self._ko_down(g)

    def _k_knockouts(self, w):
        g = self._game(w)
        g.knockouts(True, jnp.where(w.attacked, w.p, -1), w.attacker)
        return w.replace(core=g.s, flow=g.flow)

    def _piece(self, run):
        """A per-game piece of work that only changes the game: run(g) on the work item's game."""
        def fn(w):
            g = self._game(w)
            run(g)
            return w.replace(core=g.s, flow=g.flow)
        return fn

    @property
    def _k_turn_ending(self):
        return self._piece(lambda g: self.effects.turn_ending(g, g.s.turn_player.astype(I32), True))

    @property
    def _k_end_knockouts(self):
        return self._piece(lambda g: g.knockouts(True))

    @property
    def _k_expire(self):
        return self._piece(lambda g: g.expire_durations(True))

    @property
    def _k_checkup(self):
        return self._piece(lambda g: g.checkup(True))

    @property
    def _k_next_turn(self):
        return self._piece(lambda g: g.next_turn(True))

    def _finalize(self, w):
        """The state after the action: the choice phase and the chooser when a decision is pending, else the
        turn player to act."""
        fl = w.flow
        s = w.core
        halted = fl.halt & ~fl.over
        fine = ~fl.halt & ~fl.over
        s = s.replace(phase=jnp.where(halted, CHOICE, jnp.where(fine & (s.phase == CHOICE), MAIN, s.phase))
                      .astype(s.phase.dtype))
        cp = jnp.where(halted, s.pending_chooser, jnp.where(fine & (s.phase != SETUP), s.turn_player,
                                                            s.current_player))
        s = s.replace(current_player=cp.astype(s.current_player.dtype))
        clear = fine
        return s.replace(pending_kind=jnp.where(clear, PEND_NONE, s.pending_kind).astype(jnp.int8),
                         pending_chooser=jnp.where(clear, -1, s.pending_chooser).astype(jnp.int8),
                         pending_optional=jnp.where(clear, False, s.pending_optional),
                         pending_options=jnp.where(clear, -1, s.pending_options).astype(jnp.int16))

    # --- legal actions (reference: Engine._legal_actions) ---------------------------------------------------------
    def legal_mask_batch(self, core) -> jnp.ndarray:
        """The legal-action masks of a batch of states: the plain rules for every game, then the full check
        (lasting effects, Trainer and attack requirements) only for the games where one of them can matter."""
        fast = jax.vmap(lambda c: self.legal_mask(c, full=False))(core)
        need = jax.vmap(self._mask_needs_full)(core)
        pk = Packing((core, fast))
        rows = run_where(need, lambda t: (t[0], self.legal_mask(t[0])), pk.pack((core, fast)), pk)
        return pk.unpack_batch(rows)[1]

    def _mask_needs_full(self, core):
        """Whether a lasting effect, a Trainer requirement or an attack requirement can change this state's mask."""
        T = self.T
        if not self._full_checks:
            return jnp.asarray(False)
        p = core.current_player.astype(I32)
        need = jnp.asarray(False)
        if self.effects.mod_ops_in_mask:
            need = need | jnp.any(core.dur_mod >= 0)
        if len(self._checked_trainers):
            hc = jnp.where(core.hand[p] >= 0, core.card_of[jnp.clip(core.hand[p].astype(I32), 0)], -1)
            need = need | jnp.any(hc[:, None] == jnp.asarray(self._checked_trainers)[None, :])
        if len(self._checked_attackers):
            top = Game(T, self.effects, core, jnp.uint32(0), jnp.uint32(0), None).top_card()[p, 0]
            need = need | jnp.any(top == jnp.asarray(self._checked_attackers))
        if self._has_abilities or self._passives_in_mask:
            g = Game(T, self.effects, core, jnp.uint32(0), jnp.uint32(0), None)
            top = g.top_card()
            if self._has_abilities:
                need = need | jnp.any(g.occupied()[p] & g.tab(T.AB_ACTIVATED, top[p]))
            if self._passives_in_mask:
                need = need | jnp.any(g.occupied() & (g.tab(T.PAS_MOD, top) >= 0))
        return need & (core.phase == MAIN) & ~(core.terminated | core.truncated)

    def legal_mask(self, core, full=True) -> jnp.ndarray:
        """The legal-action mask of one state (reference: Engine._legal_actions). `full` False: without lasting
        effects and requirements (right where `_mask_needs_full` is False)."""
        T = self.T
        R = T.RULES
        g = Game(T, self.effects, core, jnp.uint32(0), jnp.uint32(0),
                 Flow(choices=jnp.full((1,), -1, jnp.int8), nchoices=jnp.asarray(0, I32), ci=jnp.asarray(0, I32),
                      halt=jnp.asarray(True), over=jnp.asarray(False)))
        NA = T.NUM_ACTIONS
        p = core.current_player.astype(I32)
        occ = g.occupied()
        hand = core.hand[p].astype(I32)
        hcards = g.card(hand)
        in_hand = hand >= 0
        mask = jnp.zeros(NA, bool)
        o = T.ACT_OFFSETS
        # choice
        n_opt = count(core.pending_options)
        choice = jnp.zeros(NA, bool).at[o["choose"]:o["choose"] + T.M].set(jnp.arange(T.M) < n_opt)
        choice = choice.at[o["choose_done"]].set(core.pending_optional)
        # setup
        setup = jnp.zeros(NA, bool).at[o["end_turn"]].set(occ[p, 0])
        room = ~jnp.all(occ[p])
        setup = setup.at[o["play"]:o["play"] + T.H].set(in_hand & jnp.asarray(T.IS_BASIC)[jnp.clip(hcards, 0)] & room)
        # main
        main = self.main_mask(g, p, occ, hand, hcards, in_hand, full)
        capped = jnp.zeros(NA, bool).at[o["end_turn"]].set(True)
        main = jnp.where(core.turn_actions >= R["max_actions_per_turn"], capped, main)
        mask = jnp.where(core.phase == CHOICE, choice, jnp.where(core.phase == SETUP, setup, main))
        return jnp.where(core.terminated | core.truncated, False, mask)

    def main_mask(self, g, p, occ, hand, hcards, in_hand, full=True):
        T = self.T
        R = T.RULES
        eff = self.effects
        core = g.s
        o = T.ACT_OFFSETS
        S, H = T.S, T.H
        NA = T.NUM_ACTIONS
        m = jnp.zeros(NA, bool).at[o["end_turn"]].set(True)
        turn = core.turn.astype(I32)
        if R["energy_zone"]:
            can = (core.energy_current[p] >= 0) & (core.energy_attached[p] < R["energy_attach_per_turn"])
            m = m.at[o["attach_energy"]:o["attach_energy"] + S].set(can & occ[p])
        bench_room = ~jnp.all(occ[p, 1:])
        first_turn = core.turns_taken[p] <= 1
        kind = g.tab(T.KIND, hcards)
        basic = g.tab(T.PLAYS_AS_BASIC, hcards)
        sup_ok = ~((core.supporters_played[p] >= R["supporters_per_turn"]) |
                   ((turn == 1) & (not R["first_player_supporter"])))

        def trainer_ok(card):
            ctx = new_ctx(T, p, -1, card, 9, 0, 0, 0)
            ok = eff.cond(g, ctx, g.tab(T.TR_REQ, card))
            bind = g.tab(T.TR_BIND, card)
            codes, _ = eff.targets(g, ctx, bind, None)
            ctx = ctx.replace(that=jnp.where(bind >= 0, eff.codes_to_uids(g, codes), ctx.that))
            return ok & ~eff.could_leave_no_pokemon(g, ctx, g.tab(T.TR_REMOVE, card))
        # only Trainers with a requirement need a check: each such card of the pool in the hand
        checked = self._checked_trainers
        if len(checked) == 0 or not full:
            tr_ok = jnp.ones(hcards.shape, bool)
        else:
            oks = g.vmap(trainer_ok)(jnp.asarray(checked, I32))
            hit = hcards[:, None] == jnp.asarray(checked)[None, :]
            tr_ok = ~jnp.any(hit & ~oks[None, :], axis=1)
        tr_ok = tr_ok & ~g.tab(T.UNPLAYABLE, hcards)
        if full and "cant_play" in T.MOD_OP_IDS:
            tr_ok = tr_ok & ~eff.cant_play(g, p, kind)
        items = (kind == 1) | ((kind == K_SUPPORTER) & sup_ok)
        stadium_name = jnp.where(core.stadium >= 0, g.tab(T.NAME, g.card(core.stadium.astype(I32))), -2)
        stad_ok = (kind == K_STADIUM) & (g.tab(T.NAME, hcards) != stadium_name) & tr_ok
        play = in_hand & ((basic & bench_room) | (items & tr_ok & ~basic) | stad_ok)
        m = m.at[o["play"]:o["play"] + H].set(play)
        # play onto a slot: Tools, evolution
        ntools = jnp.sum(core.tools[p] >= 0, axis=-1)
        tool = in_hand[:, None] & (kind == K_TOOL)[:, None] & (occ[p] & (ntools < R["tools_per_pokemon"]))[None, :]
        top = g.top_card()[p]
        evo_card = in_hand & (kind == K_POKEMON) & ~basic
        if not R["evolve_on_first_turn"]:
            evo_card = evo_card & ~first_turn
        name_ok = g.tab(T.EVOLVES_FROM, hcards)[:, None] == jnp.where(occ[p], g.tab(T.NAME, top), -2)[None, :]
        when_ok = (core.entered_turn[p] < turn) | R["evolve_same_turn_played"]
        evo = evo_card[:, None] & name_ok & (occ[p] & when_ok)[None, :]
        m = m.at[o["play_on"]:o["play_on"] + H * S].set((tool | evo).reshape(-1))
        # retreat and attacks of the Active
        act_here = occ[p, 0]
        rot = core.rot[p, 0]
        sc = R["special_conditions"]
        blocked = ((rot == 1) & sc["asleep_blocks_retreat"]) | ((rot == 2) & sc["paralyzed_blocks_retreat"])
        acard = top[0]
        cost = eff.retreat_cost(g)[p, 0] if full else g.tab(T.RETREAT, acard).astype(I32)
        cant = eff.cant_retreat(g, p) if full else jnp.asarray(False)
        can_retreat = act_here & (core.retreats[p] < R["retreats_per_turn"]) & ~blocked & \
            ~g.tab(T.IS_FOSSIL, acard) & ~cant & (jnp.sum(core.energy[p, 0].astype(I32)) >= cost)
        m = m.at[o["retreat"]:o["retreat"] + T.B].set(can_retreat & occ[p, 1:])
        att_ok = act_here & (rot != 1) & (rot != 2)
        if not R["first_player_attack"]:
            att_ok = att_ok & (turn != 1)
        en = core.energy[p, 0].astype(I32)

        def attack_ok(k):
            typed = g.tab(T.ATK_COST, acard)[k].astype(I32)
            colorless = g.tab(T.ATK_COLORLESS, acard)[k].astype(I32)
            if full:
                typed, colorless = eff.attack_cost(g, typed, colorless, p * S)
            paid = jnp.all(en >= typed) & (jnp.sum(en) >= jnp.sum(typed) + colorless)
            ok = (k < g.tab(T.ATK_N, acard)) & paid
            if not full:
                return ok
            ok = ok & ~eff.cant_attack(g, p, k)
            if np.any(T.ATK_REQ >= 0):  # requirements and removals only when the pool has some
                ctx = new_ctx(T, p, core.stack[p, 0, 0], acard, k, 0, 0, 0)
                ctx = ctx.replace(atk=jnp.asarray(k, I32), defending=core.stack[1 - p, 0, 0].astype(I32),
                                  cost=jnp.concatenate([typed, colorless[None]]))
                ok = ok & eff.cond(g, ctx, g.tab(T.ATK_REQ, acard)[k])
            if np.any(T.ATK_REMOVE >= 0):
                fresh = new_ctx(T, p, core.stack[p, 0, 0], acard, k, 0, 0, 0)
                ok = ok & ~eff.could_leave_no_pokemon(g, fresh, g.tab(T.ATK_REMOVE, acard)[k])
            return ok
        atks = g.vmap(attack_ok)(jnp.arange(T.A))
        m = m.at[o["attack"]:o["attack"] + T.A].set(att_ok & atks)
        ability = occ[p] & g.tab(T.IS_FOSSIL, top) & (jnp.sum(occ[p]) > 1)  # never your only Pokémon
        if full and self._has_abilities:  # activated Abilities (checked only where one is in play: _mask_needs_full)
            ability = ability | (occ[p] & g.vmap(lambda slot: eff.ability_ok(g, p, slot))(jnp.arange(S)))
        m = m.at[o["ability"]:o["ability"] + S].set(ability)
        return m

    # --- canonical encoding and observation -----------------------------------------------------------------------
    def canonical(self, core) -> dict:
        """The canonical arrays of a state (docs/engine-model.md), equal to reference.export.encode_state."""
        T = self.T
        S = T.S
        co = core.card_of.astype(I32)

        def cards(x):
            x = x.astype(I32)
            return jnp.where(x >= 0, co[jnp.clip(x, 0)], -1).astype(jnp.int16)
        out = {}
        for f in ("turn", "turn_actions", "turn_player", "current_player", "first_player", "phase", "winner",
                  "terminated", "truncated", "stadium_owner", "points", "discard_energy", "energy_types",
                  "energy_current", "energy_next", "supporters_played", "retreats", "energy_attached", "turns_taken",
                  "ko_by_attack_turn", "last_attack", "last_attack_turn", "damage", "energy", "poisoned", "burned",
                  "rot", "paralysis_left", "paralysis_turn", "entered_turn", "evolved_turn", "ability_used",
                  "poison_damage", "moved_active_turn", "attack_damaged_turn", "dur_owner", "dur_player",
                  "dur_until", "dur_source_card", "pending_chooser", "pending_kind", "pending_optional"):
            out[f] = getattr(core, f)
        out["stadium"] = cards(core.stadium)
        for f in ("deck", "hand", "discard", "stack", "tools"):
            out[f] = cards(getattr(core, f))
        g = Game(T, self.effects, core, jnp.uint32(0), jnp.uint32(0), None)
        out["card"] = g.top_card().astype(jnp.int16)
        uids = g.uids().reshape(-1)
        tgt = core.dur_target.astype(I32)
        hit = (uids[None, :] == tgt[:, None]) & (tgt[:, None] >= 0)
        out["dur_target"] = jnp.where(jnp.any(hit, 1), jnp.argmax(hit, 1), -1).astype(jnp.int8)
        out["dur_op"] = jnp.where(core.dur_mod >= 0, jnp.asarray(T.MOD_CANON_OP)[jnp.clip(core.dur_mod, 0)],
                                  -1).astype(jnp.int8)
        opts = core.pending_options
        out["pending_options"] = jnp.where(core.pending_kind == PEND_CARD, cards(opts), opts).astype(jnp.int16)
        # a slot's per-slot fields are at their defaults when empty: the reference leaves them -1 / False
        empty = ~g.occupied()
        for f, v in CANON_EMPTY.items():
            arr = out[f]
            e = empty.reshape(empty.shape + (1,) * (arr.ndim - 2))
            out[f] = jnp.where(e, jnp.asarray(v, arr.dtype), arr)
        return out

    def canonical_observation(self, core, player) -> dict:
        """What `player` may see, in the canonical layout (reference.export.encode_observation)."""
        out = self.canonical(core)
        opp = 1 - player
        out["hand_count"] = count(core.hand).astype(jnp.int8)
        out["deck_count"] = count(core.deck).astype(jnp.int8)
        out["hand"] = out["hand"].at[opp].set(-1)
        out["deck"] = jnp.full_like(out["deck"], -1)
        hide = (core.pending_kind != PEND_NONE) & (core.pending_chooser != player)
        out["pending_options"] = jnp.where(hide, -1, out["pending_options"])
        return out

    def flat_observation(self, core, player) -> jnp.ndarray:
        """One int16 vector from `player`'s view, per-player fields with `player` first (layout: T.OBS_LAYOUT)."""
        obs = self.canonical_observation(core, player)
        parts = []
        for name, per_player, _start, _end in self.T.OBS_LAYOUT:
            x = obs[name].astype(jnp.int16)
            if per_player:
                x = jnp.where(player == 0, x, x[::-1])
            parts.append(x.reshape(-1))
        return jnp.concatenate(parts)


CANON_EMPTY = {"card": -1, "damage": -1, "energy": -1, "poisoned": False, "burned": False, "rot": -1,
               "paralysis_left": -1, "paralysis_turn": -1, "entered_turn": -1, "evolved_turn": -1,
               "ability_used": False, "poison_damage": -1, "moved_active_turn": -1, "attack_damaged_turn": -1}
"""Per-slot canonical fields of an empty slot (the reference exports nothing there: padding)."""
