"""The effect VM: runs the lowered effect programs of the card tables, and answers the rules' questions about
lasting effects. Mirrors reference/effects.py (the definition); the instruction set is docs/backend.md's.

A program is a run of rows of `T.INSTR` (opcode, arguments) with jumps for If / Repeat / Optional. The VM runs a
fixed number of iterations (`T.VM_STEPS`, the longest run any program of the pool can take); each iteration masks
every instruction kind the pool uses by the current opcode, so under `vmap` there is one code path. Targets,
amounts, conditions and filters are rows of their own tables, evaluated for all Pokémon slots at once.
"""

from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from . import struct
from .core import (ASLEEP, CONFUSED, I32, K_ITEM, K_POKEMON, K_SUPPORTER, K_TOOL, N_ENERGY, NDUR, PARALYZED,
                   PEND_CARD, PEND_CONDITION, PEND_ENERGY, PEND_OPTION, PEND_OPTIONAL, PEND_POKEMON, ROT_NONE, A_EFFECT,
                   argsort_stable, compact, count, push, remove_at, index_of)
from .rng import mix32

COND_NAMES = ("Asleep", "Burned", "Confused", "Paralyzed", "Poisoned")
ADDR_SEED = 0x2545F491
ABILITY_SLOT = 8
TRAINER_SLOT = 9
EV_EVOLVED, EV_BENCHED, EV_ATTACHED = range(3)
"""Trigger events by code (compiler.lower.programs.TRIGGER_EVENTS)."""
"""The effect slots of an Ability's and a Trainer's program in their draw-site addresses (attacks use their
index; reference: effects.ABILITY_SLOT / TRAINER_SLOT)."""
# target kinds
T_THIS, T_HOLDER, T_DEFENDING, T_ATTACKING, T_THAT, T_ACTIVE, T_EACH, T_CHOOSE, T_RANDOM = range(9)
TARGET_KIND_NAMES = ("this", "tool_holder", "defending", "attacking", "that", "active", "each", "choose",
                     "random_pokemon")


@struct.dataclass
class Ctx:
    """The registers of one running effect (reference: effects.Ctx)."""

    me: jnp.ndarray
    this: jnp.ndarray
    holder: jnp.ndarray
    card: jnp.ndarray
    eslot: jnp.ndarray
    src_slot: jnp.ndarray
    defending: jnp.ndarray
    attacking: jnp.ndarray
    that: jnp.ndarray
    nflips: jnp.ndarray
    heads: jnp.ndarray
    done: jnp.ndarray
    main: jnp.ndarray
    stopped: jnp.ndarray
    end_turn: jnp.ndarray
    rep: jnp.ndarray
    rep_outer: jnp.ndarray
    rep_n: jnp.ndarray
    rep_r: jnp.ndarray
    is_attack: jnp.ndarray
    ign_weak: jnp.ndarray
    ign_eff: jnp.ndarray
    main_done: jnp.ndarray
    atk: jnp.ndarray
    pc: jnp.ndarray
    end: jnp.ndarray
    iters: jnp.ndarray
    cost: jnp.ndarray
    """The current attack's cost as paid when it started (8 typed counts, then Colorless), for extra Energy."""


def new_ctx(T, me, this, card, eslot, src_slot, start, end):
    z = jnp.asarray(0, I32)
    m1 = jnp.asarray(-1, I32)
    f = jnp.asarray(False)
    return Ctx(me=jnp.asarray(me, I32), this=jnp.asarray(this, I32), holder=m1, card=jnp.asarray(card, I32),
               eslot=jnp.asarray(eslot, I32), src_slot=jnp.asarray(src_slot, I32), defending=m1, attacking=m1,
               that=jnp.full((2 * T.S,), -1, I32), nflips=z, heads=z, done=z, main=z, stopped=f, end_turn=f,
               rep=z, rep_outer=z, rep_n=z, rep_r=z, is_attack=f, ign_weak=f, ign_eff=f, main_done=z, atk=m1,
               pc=jnp.asarray(start, I32), end=jnp.asarray(end, I32), iters=z, cost=jnp.zeros((N_ENERGY + 1,), I32))


def fold(h, part):
    return mix32(h ^ jnp.asarray(part, I32).astype(jnp.uint32))


class Sel(NamedTuple):
    """What one VM iteration computes once for its instruction: the selection (flat codes in order, their number,
    their uids, their (2, S) mask), which Pokémon an attack's effects can't touch, and the attack damage each of
    the opponent's Pokémon would take (for `main` / `damage`)."""

    codes: jnp.ndarray
    n: jnp.ndarray
    uids: jnp.ndarray
    mask: jnp.ndarray
    prevented: jnp.ndarray
    damage: jnp.ndarray | None


class Effects:
    """The VM and the modifier queries for one pool's tables `T`."""

    def __init__(self, T):
        self.T = T
        self.ops = list(T.OPS)
        self.op_id = {name: i for i, name in enumerate(self.ops)}
        self.mod_ops = list(T.MOD_OPS)
        self._in_attack_cost = False
        self._passive = False
        self._kinds = None
        """While a requirement of an Ability is traced: the kinds of conditions, filters, targets and counts that such
        requirements use (T.PASSIVE_KINDS, T.ABILITY_KINDS), the only ones then computed."""
        """True while a passive Ability's requirement is traced: only the kinds passive requirements use are computed
        (T.PASSIVE_KINDS), and the modifiers read there are the lasting effects' alone (no requirement of the pool
        reads modifiers: the lowering refuses one that would)."""
        self.reads_extra_energy = bool(np.any((T.FILTER[:, 0] == T.FILTER_OPS["has_energy"]) & (T.FILTER[:, 3] == 1)))
        """Whether some filter of the pool counts extra Energy (the attack's cost is then kept in Ctx.cost)."""
        self.npas = 2 * T.S if bool(np.any(T.PAS_MOD >= 0)) else 0
        """Modifier sources before the durations: one per slot of both players, for their passive Abilities."""
        self.mod_ops_in_mask = bool({"cant_attack", "cant_retreat", "retreat_cost", "attack_cost", "cant_play"} &
                                    set(T.MOD_OP_IDS))
        """Whether a lasting effect of this pool can change the legal actions."""

    # ================================================================================================================
    # Entry points (reference: Interpreter.run_attack / run_ability / run_trainer)
    # ================================================================================================================
    def start(self, g, p, attack_on, k, trainer_on, tcard):
        """The registers of this action's effect: attack k of p's Active (attack_on) or the Trainer card tcard
        (trainer_on), and whether its program runs. Reference: Interpreter.run_attack / run_trainer. The program
        itself runs in the VM (`kernels`, scheduled by env.py), then `finish`."""
        T = self.T
        s = g.s
        acard = g.top_card()[p, 0]
        kk = jnp.clip(k, 0, T.A - 1)
        a_start, a_end = g.tab(T.ATK_PROG, acard)[kk], g.tab(T.ATK_PROG_END, acard)[kk]
        t_start, t_end = g.tab(T.TR_PROG, tcard), g.tab(T.TR_PROG_END, tcard)
        start = jnp.where(attack_on, a_start, t_start)
        end = jnp.where(attack_on, a_end, jnp.where(trainer_on, t_end, start))
        ctx = new_ctx(T, p, jnp.where(attack_on, s.stack[p, 0, 0], -1), jnp.where(attack_on, acard, tcard),
                      jnp.where(attack_on, kk, TRAINER_SLOT), 0, start, end)
        if self.reads_extra_energy:
            typed, colorless = self.attack_cost(g, g.tab(T.ATK_COST, acard)[kk].astype(I32),
                                                g.tab(T.ATK_COLORLESS, acard)[kk].astype(I32), p * T.S)
            ctx = ctx.replace(cost=jnp.concatenate([typed, colorless[None]]))
        ctx = ctx.replace(is_attack=attack_on, atk=jnp.where(attack_on, kk, -1),
                          defending=jnp.where(attack_on, s.stack[1 - p, 0, 0].astype(I32), -1),
                          main=jnp.where(attack_on, g.tab(T.ATK_DAMAGE, acard)[kk].astype(I32), 0),
                          ign_weak=attack_on & g.tab(T.ATK_IGN_WEAK, acard)[kk],
                          ign_eff=attack_on & g.tab(T.ATK_IGN_EFF, acard)[kk])
        return ctx, g.tab(T.ATK_NAME, acard)[kk]

    def finish(self, g, p, attack_on, name):
        """After an attack's program: the attack is remembered (History)."""
        g.set_at("last_attack", p, name, attack_on)
        g.set_at("last_attack_turn", p, g.s.turn, attack_on)

    def start_ability(self, g, p, slot):
        """The registers of the activated Ability of p's Pokémon in `slot`, and whether its program runs (a
        fossil's "Ability" is its discard, core.use_ability). Reference: Interpreter.run_ability: the program binds
        That (a Matches requirement), runs the cost steps, then the steps."""
        T = self.T
        card = g.top_card()[p, slot]
        on = g.tab(T.AB_ACTIVATED, card) & ~g.tab(T.IS_FOSSIL, card)
        start, end = g.tab(T.AB_PROG, card), g.tab(T.AB_PROG_END, card)
        ctx = new_ctx(T, p, g.s.stack[p, slot, 0], card, ABILITY_SLOT, slot, start, jnp.where(on, end, start))
        return ctx, on

    def start_trigger(self, g, p, slot, event, etype, cond):
        """The registers of the triggered Ability of p's Pokémon in `slot` for `event` (a TRIG_EVENT code; etype:
        the attached Energy's type), and whether its program runs. Reference: Interpreter.fire's checks: the event
        (and Energy type), the Active Spot when `while_active`, once per turn, the requirement with That = this
        Pokémon. The program (lower_trigger) then binds That, asks "you may", marks the Ability used, runs the
        steps."""
        T = self.T
        card = g.top_card()[p, slot]
        uid = g.s.stack[p, slot, 0].astype(I32)
        start, end = g.tab(T.AB_PROG, card), g.tab(T.AB_PROG_END, card)
        ctx = new_ctx(T, p, uid, card, ABILITY_SLOT, slot, start, start)
        ctx = ctx.replace(that=ctx.that.at[0].set(uid))
        et = g.tab(T.TRIG_ETYPE, card)
        on = cond & g.occupied()[p, slot] & (g.tab(T.TRIG_EVENT, card) == event) & ((et < 0) | (et == etype))
        on = on & ~(g.tab(T.TRIG_ACTIVE, card) & (slot != 0)) & ~(g.tab(T.AB_ONCE, card) & g.s.ability_used[p, slot])
        if np.any((T.TRIG_EVENT >= 0) & (T.AB_REQ >= 0)):
            on = on & self.requirement(g, ctx, g.tab(T.AB_REQ, card))
        return ctx.replace(end=jnp.where(on, end, start)), on

    def requirement(self, g, ctx, cid):
        """An activated or triggered Ability's requirement, traced with only the kinds such requirements use."""
        self._kinds = self.T.ABILITY_KINDS
        try:
            return self.cond(g, ctx, cid)
        finally:
            self._kinds = None

    def ability_ok(self, g, p, slot):
        """Whether p may use the activated Ability of the Pokémon in `slot` now (reference:
        Interpreter.can_use_ability): not used yet this turn when once, its requirement holds, it could not leave you
        with no Pokémon in play, and its cost can be paid."""
        T = self.T
        act = T.AB_ACTIVATED
        card = g.top_card()[p, slot]
        ctx, on = self.start_ability(g, p, slot)
        ok = on & ~(g.tab(T.AB_ONCE, card) & g.s.ability_used[p, slot])
        # each check is traced only when some activated Ability of the pool needs it
        if np.any(act & (T.AB_REQ >= 0)):
            ok = ok & self.requirement(g, ctx, g.tab(T.AB_REQ, card))
        if np.any(act & (T.AB_BIND >= 0)) and np.any(act[:, None] & (T.AB_REMOVE >= 0)):
            bind = g.tab(T.AB_BIND, card)
            self._kinds = T.ABILITY_KINDS
            try:
                codes, _ = self.targets(g, ctx, bind, None)
            finally:
                self._kinds = None
            ctx = ctx.replace(that=jnp.where(bind >= 0, self.codes_to_uids(g, codes), ctx.that))
        if np.any(act[:, None] & (T.AB_REMOVE >= 0)):
            ok = ok & ~self.could_leave_no_pokemon(g, ctx, g.tab(T.AB_REMOVE, card))
        if np.any(act & (T.AB_COST[:, 0] >= 0)):
            cost = g.tab(T.AB_COST, card).astype(I32)
            payable = self.zone_count(g, ctx, cost[0], 0, cost[1]) >= cost[2]
            ok = ok & ((cost[0] < 0) | payable)
        return ok

    # --- hooks of the rules that no lowered effect of this pool uses yet ----------------------------------------
    turn_ending_used = False
    """Whether `turn_ending` can do anything (the batch driver skips it otherwise)."""
    checkup_triggers_used = False
    """Whether `checkup_triggers` can do anything (the Checkup then runs at every end of turn)."""

    def turn_ending(self, g, p, cond):
        pass

    def checkup_triggers(self, g, cond):
        pass

    def durations_ending(self, g, ending, cond):
        pass

    def energy_attached(self, g, p, slot, t, cond):
        pass

    def benched_from_hand(self, g, p, slot, cond):
        pass

    def evolved(self, g, p, slot, cond):
        pass

    def would_be_knocked_out(self, g, ap, auid, cond):
        pass

    def knocked_out(self, g, kos_uid, tp, ap, auid, cond):
        """Before knocked-out Pokémon leave play: a Knock Out by an attack of the other player is recorded."""
        for p in (0, 1):
            hit = jnp.any(kos_uid[p] >= 0) & (ap >= 0) & (ap != p)
            g.set_at("ko_by_attack_turn", p, g.s.turn, cond & hit)

    def no_points_for(self, g, uid):
        return jnp.asarray(False)

    def hp_bonus(self, g):
        return jnp.zeros((2, self.T.S), I32)

    def condition_immune(self, g, p, cond_name):
        return jnp.asarray(False)

    def attack_flip(self, g, p):
        """Whether p's Active must flip a coin to attack (an AttackFlip modifier on it)."""
        m = self.mods(g, "attack_flip")
        if m is None:
            return jnp.asarray(False)
        active, rows = m
        return jnp.any(active & self.members(g, rows, 1)[:, p, 0])

    # ================================================================================================================
    # The VM
    # ================================================================================================================
    def running(self, g, ctx, cond):
        """Whether the program still runs: started (cond), not stopped, not halted by a decision or the end of the
        game, within its bound."""
        return cond & g.live() & (ctx.pc < ctx.end) & ~ctx.stopped & (ctx.iters < self.T.VM_STEPS)

    def opcode(self, ctx):
        """The opcode at the program counter."""
        instr = jnp.asarray(self.T.INSTR)
        return instr[jnp.clip(ctx.pc, 0, instr.shape[0] - 1), 0].astype(I32)

    def kernels(self):
        """The VM's instruction kinds, grouped: [(opcodes, fn)], where fn(g, ctx, cond) runs the instruction at
        ctx.pc when its opcode is one of `opcodes` and the program is running. The batch driver (env.py) runs each
        group only on the games at such an instruction. Groups: the register-only instructions (CHEAP_OPS), the
        main damage, the instructions that select Pokémon (TARGET_OPS: the selection is made once), then every
        other kind alone."""
        ids = self.op_id
        groups = [[k for n, k in ids.items() if n in CHEAP_OPS - TARGET_OPS], [ids[n] for n in ("main",) if n in ids],
                  [k for n, k in ids.items() if n in TARGET_OPS]]
        groups += [[k] for n, k in ids.items() if n not in CHEAP_OPS | TARGET_OPS | {"main"}]
        return [(tuple(ks), (lambda g, ctx, cond, ks=tuple(ks): self.instruction(g, ctx, cond, ks)))
                for ks in groups if ks]

    def instruction(self, g, ctx, cond, kinds):
        """Run the instruction at ctx.pc if its opcode is in `kinds` (reference: Interpreter.exec of one step).

        An instruction row is (opcode, target row, amount row, arguments...): its target is selected and its
        amount evaluated once, then the instruction runs."""
        T = self.T
        instr = jnp.asarray(T.INSTR)
        S2 = 2 * T.S
        row = instr[jnp.clip(ctx.pc, 0, instr.shape[0] - 1)].astype(I32)
        op, tid, aid, a = row[0], row[1], row[2], row[3:]
        on = self.running(g, ctx, cond) & jnp.any(op == jnp.asarray(kinds))
        names = {self.ops[k] for k in kinds}
        addr = self.addr(g, ctx) if names & RANDOM_OPS else jnp.uint32(0)
        ctx = ctx.replace(pc=jnp.where(on, ctx.pc + 1, ctx.pc), iters=ctx.iters + on.astype(I32))
        amt = self.amount(g, ctx, aid) if names & AMOUNT_OPS else jnp.asarray(0, I32)
        none = (jnp.full((S2,), -1, I32), jnp.asarray(0, I32))
        if names & TARGET_OPS:
            t_on = on & (tid >= 0)
            if "switch" in names:
                t_on = t_on & ((op != self.op_id["switch"]) | self.switch_ok(g, ctx, a))
            codes, n = g.when(t_on, lambda _: self.targets(g, ctx, tid, t_on, addr), none)
        else:
            t_on = jnp.asarray(False)
            codes, n = none
        uids = self.codes_to_uids(g, codes)
        sel = Sel(codes, n, uids, self.slot_mask_of_uids(g, uids), None, None)
        if {"prevent_effects", "prevent_damage"} & set(T.MOD_OP_IDS) and names & TARGET_OPS:
            prev = g.when(t_on & ctx.is_attack, lambda _: self.prevented_all(g, ctx), jnp.zeros((2, T.S), bool))
        else:
            prev = jnp.zeros((2, T.S), bool)
        sel = sel._replace(prevented=prev)
        if {"main", "damage"} & names:
            is_main = op == self.op_id.get("main", -1)
            hits = on & (is_main | (op == self.op_id.get("damage", -1)))
            dmg = g.when(hits & ctx.is_attack,
                         lambda _: self.attack_damage_all(g, ctx, jnp.where(is_main, ctx.main, amt), is_main),
                         jnp.zeros((2, T.S), I32))
            sel = sel._replace(damage=dmg)
        for k in kinds:
            fn = getattr(self, "op_" + self.ops[k])
            if len(kinds) == 1 or self.ops[k] in CHEAP_OPS:
                ctx = fn(g, ctx, a, on & (op == k), sel, amt, addr)
            else:  # a group: only the kinds some game of the chunk is at
                ctx = g.when_any(on & (op == k), lambda c, fn=fn: fn(g, c, a, True, sel, amt, addr), ctx)
        return ctx

    def loop(self, g, n, body, extra):
        """A traced loop over i in range(n) (n traced: 0 when idle) whose body changes the game and `extra`."""
        return g.loop(n, body, extra)

    def addr(self, g, ctx):
        """The draw-site address of the current instruction (reference: Ctx.addr(path))."""
        T = self.T
        pc = jnp.clip(ctx.pc, 0, T.INSTR.shape[0] - 1)
        h = jnp.uint32(ADDR_SEED)
        for part in (A_EFFECT, ctx.card, ctx.eslot, ctx.me, ctx.src_slot):
            h = fold(h, part)
        path = jnp.asarray(T.INSTR_PATH)[pc]
        n = jnp.asarray(T.INSTR_PLEN)[pc]
        for i in range(T.INSTR_PATH.shape[1]):
            h = jnp.where(i < n, fold(h, path[i]), h)
        return h

    # ================================================================================================================
    # Pokémon references, filters, targets
    # ================================================================================================================
    def code_of_uid(self, g, uid):
        """Flat slot code (player * S + slot) of the Pokémon with this uid, -1 when not in play."""
        u = g.uids().reshape(-1)
        hit = (u == uid) & (uid >= 0)
        return jnp.where(jnp.any(hit), jnp.argmax(hit), -1).astype(I32)

    def uid_of_code(self, g, code):
        u = g.uids().reshape(-1)
        return jnp.where(code >= 0, u[jnp.clip(code, 0, u.shape[0] - 1)], -1)

    def slot_mask_of_uids(self, g, uids):
        u = g.uids()
        return jnp.any((u[None] == uids[:, None, None]) & (uids[:, None, None] >= 0), axis=0) & (u >= 0)

    def used(self, kind):
        """The kinds of conditions / filters / targets / counts this pool uses (while a passive requirement is traced:
        those passive requirements use)."""
        T = self.T
        full = {"cond": T.COND_USED, "filter": T.FILTER_USED, "target": T.TARGET_USED, "count": T.COUNT_USED}[kind]
        if self._kinds is None:
            return full
        names = set(self._kinds[kind])
        if kind == "target":
            return full & {TARGET_KIND_NAMES.index(n) for n in names}
        return full & names

    def filter_mask(self, g, ctx, fid, cards=None, in_play=True):
        """A filter row on every Pokémon in play ((2, S) bool), or on the card indices `cards` (in_play False).
        Only the filter kinds this pool uses are computed."""
        T = self.T
        used = self.used("filter")
        if not used:
            return jnp.broadcast_to(jnp.asarray(True), (2, T.S) if in_play else cards.shape)
        row = jnp.asarray(T.FILTER)[jnp.clip(fid, 0)].astype(I32)
        op, a0, a1, a2 = row[0], row[1], row[2], row[3]
        c = g.top_card() if in_play else cards
        out = jnp.zeros(c.shape, bool)
        for name in sorted(used):
            v = self.filter_op(g, ctx, name, c, a0, a1, a2, in_play)
            out = jnp.where(op == T.FILTER_OPS[name], v, out)
        return jnp.where(fid < 0, True, out & (c >= 0))

    def filter_op(self, g, ctx, name, c, a0, a1, a2, in_play):
        """One filter kind (reference: Interpreter.passes) on cards c ((2, S) in play, or any shape)."""
        T = self.T
        false = jnp.zeros(c.shape, bool)
        if name == "type_is":
            return ((a0 >> jnp.clip(g.tab(T.TYPE, c), 0, 15)) & 1) == 1
        if name == "stage_is":
            stage, is_pk = g.tab(T.STAGE, c), g.tab(T.KIND, c) == K_POKEMON
            return jnp.where(a0 == 3, is_pk & (stage > 0), jnp.where(
                a0 == 0, (is_pk & (stage == 0)) | g.tab(T.IS_FOSSIL, c), is_pk & (stage == a0)))
        if name == "is_ex":
            return jnp.where(a1 == 1, g.tab(T.IS_MEGA, c), g.tab(T.IS_EX, c)) == (a0 == 1)
        if name == "name_is":
            names = jnp.asarray(T.NAMESET)[jnp.clip(a0, 0)]
            return jnp.any(g.tab(T.NAME, c)[..., None] == names, axis=-1)
        if name == "evolves_from":
            ref = jnp.where(ctx.that[0] >= 0, ctx.that[0], ctx.this)
            code = self.code_of_uid(g, ref)
            ref_card = g.top_card().reshape(-1)[jnp.clip(code, 0)]
            ref_name = jnp.where(code >= 0, g.tab(T.NAME, ref_card), -2)
            return g.tab(T.EVOLVES_FROM, c) == jnp.where(a0 >= 0, a0, ref_name)
        if name == "hp_at_most":
            if in_play:
                return jnp.where(a1 == 1, g.max_hp() - g.s.damage.astype(I32), g.tab(T.HP, c)) <= a0
            return g.tab(T.HP, c) <= a0
        if not in_play:
            return false
        s = g.s
        if name == "damaged":
            return (s.damage > 0) == (a0 == 1)
        if name == "has_energy":
            en = s.energy.astype(I32)
            typed = jnp.take_along_axis(en, jnp.clip(a0, 0, 7) * jnp.ones((2, T.S, 1), I32), axis=-1)[..., 0]
            n = jnp.where(a0 < 0, jnp.sum(en, axis=-1), typed)
            n = jnp.where(a2 == 1, self.extra_energy(g, ctx, a0, en), n)
            return n >= a1
        if name == "energy_types_at_least":
            return jnp.sum(s.energy > 0, axis=-1) >= a0
        if name == "has_tool":
            return jnp.any(s.tools >= 0, axis=-1) == (a0 == 1)
        if name == "has_ability":
            return g.tab(T.HAS_ABILITY, c)
        if name == "has_condition":
            conds = jnp.stack([s.rot == ASLEEP, s.burned, s.rot == CONFUSED, s.rot == PARALYZED, s.poisoned], -1)
            bits = ((a0 >> jnp.arange(5)) & 1) == 1
            return jnp.where(a0 == 0, jnp.any(conds, -1), jnp.any(conds & bits, -1))
        if name == "retreat_at_least":
            return self.retreat_cost(g) >= a0
        if name == "in_zone":
            return jnp.broadcast_to((jnp.arange(T.S)[None, :] == 0) == (a0 == 0), c.shape)
        raise ValueError(f"unknown filter {name}")

    def extra_energy(self, g, ctx, t, en):
        """(2, S) Energy of type t (any: t < 0) beyond what the current attack's whole cost needs (reference:
        Interpreter.extra_energy): typed symbols of t, then the Colorless symbols other types could not pay."""
        T = self.T
        if self._passive:  # no attack is current (a passive requirement with extra Energy is refused)
            return jnp.where(t < 0, jnp.sum(en, -1), en[..., jnp.clip(t, 0, 7)])
        # the cost as paid when the attack started (ctx.cost): the lowering admits extra Energy only in an
        # attack's requirement and its first step's condition, before anything of the attack has changed the game
        typed, colorless = ctx.cost[:N_ENERGY], ctx.cost[N_ENERGY]
        spare = jnp.maximum(0, en - typed)  # (2, S, 8)
        tt = jnp.clip(t, 0, 7)
        mine = spare[..., tt]
        others = jnp.sum(spare, axis=-1) - mine
        typed_extra = jnp.maximum(0, mine - jnp.maximum(0, colorless - others))
        any_extra = jnp.maximum(0, jnp.sum(en, -1) - jnp.sum(typed) - colorless)
        have = jnp.where(t < 0, any_extra, typed_extra)
        plain = jnp.where(t < 0, jnp.sum(en, -1), en[..., tt])
        return jnp.where(ctx.atk >= 0, have, plain)

    def players_mask(self, ctx, who):
        """(2,) which players a Player/Players code means: 0 you, 1 opponent, 2 both."""
        p = jnp.arange(2)
        return jnp.where(who == 2, True, jnp.where(who == 0, p == ctx.me, p != ctx.me))

    def among_mask(self, g, ctx, trow):
        T = self.T
        occ = g.occupied()
        pm = self.players_mask(ctx, trow[2])[:, None]
        zone = trow[3]
        sl = jnp.arange(T.S)[None, :]
        zm = jnp.where(zone == 0, sl == 0, jnp.where(zone == 1, sl > 0, True))
        m = occ & pm & zm
        m = m & ~((trow[4] == 1) & (g.uids() == ctx.this))
        for i in range(4):
            m = m & self.filter_mask(g, ctx, trow[8 + i])
        return m

    def ordered(self, ctx, mask):
        """The flat codes of a (2, S) mask in the reference's order (your Pokémon first, Active first)."""
        S = self.T.S
        mine = ctx.me == 0
        order = jnp.where(mine, jnp.arange(2 * S), (jnp.arange(2 * S) + S) % (2 * S)).astype(I32)
        # a reverse, not a gather (slow on CPU); the barrier keeps XLA from computing the mask once per use
        mask = jax.lax.optimization_barrier(mask)
        keep = jnp.where(mine, mask, mask[::-1]).reshape(-1)
        return compact(order, keep), jnp.sum(keep).astype(I32)

    def targets(self, g, ctx, tid, on, addr=None):
        """The Pokémon a target row selects, as flat codes in order ((2S,), n). A choice becomes a decision.

        `on` None: a query that changes nothing (a choice then reads as all its candidates)."""
        T = self.T
        S = T.S
        trow = jnp.asarray(T.TARGET)[jnp.clip(tid, 0)].astype(I32)
        kind = trow[0]
        codes_none = jnp.full((2 * S,), -1, I32)

        def one(uid, extra=True):
            c = self.code_of_uid(g, uid)
            ok = (c >= 0) & extra
            return codes_none.at[0].set(jnp.where(ok, c, -1)), ok.astype(I32)
        used = self.used("target")
        res = {}
        if T_THIS in used:
            res[T_THIS] = one(ctx.this)
        if T_HOLDER in used:
            res[T_HOLDER] = one(ctx.holder)
        if T_DEFENDING in used:
            dc = self.code_of_uid(g, ctx.defending)
            res[T_DEFENDING] = one(ctx.defending, (dc % S) == 0)
        if T_ATTACKING in used:
            res[T_ATTACKING] = one(ctx.attacking)
        if T_THAT in used:
            tc = g.vmap(lambda u: self.code_of_uid(g, u))(ctx.that)
            keep = tc >= 0
            res[T_THAT] = (compact(tc, keep), jnp.sum(keep).astype(I32))
        if T_ACTIVE in used:
            ap = jnp.where(trow[1] == 0, ctx.me, 1 - ctx.me)
            act_ok = g.occupied()[ap, 0]
            for i in range(4):
                act_ok = act_ok & self.filter_mask(g, ctx, trow[8 + i])[ap, 0]
            res[T_ACTIVE] = (codes_none.at[0].set(jnp.where(act_ok, ap * S, -1)), act_ok.astype(I32))
        if not used & {T_EACH, T_CHOOSE, T_RANDOM}:
            return self.pick(kind, res, codes_none)
        cands, nc = self.ordered(ctx, self.among_mask(g, ctx, trow))
        res[T_EACH] = (cands, nc)
        cnt, up_to = trow[5], trow[6] == 1
        pure = on is None
        if T_CHOOSE in used:
            on_choose = (jnp.asarray(False) if pure else on) & (kind == T_CHOOSE)
            all_of = (nc <= cnt) & ~up_to
            chooser = jnp.where(trow[7] == 0, ctx.me, 1 - ctx.me)
            chosen = codes_none
            nch = jnp.asarray(0, I32)
            stop = all_of
            for i in range(T.MAX_CHOOSE if not pure else 0):
                avail = (cands >= 0) & ~jnp.any(cands[:, None] == chosen[None, :], axis=1)
                opts = compact(cands, avail)
                n = jnp.sum(avail)
                go = on_choose & ~stop & (i < cnt) & (n > 0)
                c = g.choose(chooser, PEND_POKEMON, opts, n, up_to, go)
                took = go & (c >= 0) & g.live()
                chosen = chosen.at[i].set(jnp.where(took, c, chosen[i]))
                nch = nch + took.astype(I32)
                stop = stop | (go & (c < 0))
            res[T_CHOOSE] = (jnp.where(all_of | pure, cands, chosen), jnp.where(all_of | pure, nc, nch))
        if T_RANDOM in used:
            if addr is None:
                addr = jnp.uint32(0)
            picked = codes_none
            for i in range(T.MAX_CHOOSE):
                avail = (cands >= 0) & ~jnp.any(cands[:, None] == picked[None, :], axis=1)
                rest = compact(cands, avail)
                n = jnp.sum(avail)
                go = (i < jnp.minimum(cnt, nc)) & (n > 0)
                j = g.randint(addr, n, ctx.rep * 256 + i)
                picked = picked.at[i].set(jnp.where(go, rest[jnp.clip(j, 0, 2 * S - 1)], -1))
            res[T_RANDOM] = (picked, jnp.minimum(cnt, nc))
        return self.pick(kind, res, codes_none)

    @staticmethod
    def pick(kind, res, codes_none):
        codes, n = codes_none, jnp.asarray(0, I32)
        for k, (cs, nn) in res.items():
            codes = jnp.where(kind == k, cs, codes)
            n = jnp.where(kind == k, nn, n)
        return codes, n

    def could_leave_no_pokemon(self, g, ctx, rows):
        """Whether a ReturnPokemon / DiscardPokemon step of an effect (its target rows) could take every Pokémon
        you have in play (reference: Interpreter.could_leave_no_pokemon): such a play is illegal."""
        T = self.T
        mine = g.occupied()[ctx.me]
        out = jnp.asarray(False)
        for i in range(rows.shape[0]):
            tid = rows[i]
            trow = jnp.asarray(T.TARGET)[jnp.clip(tid, 0)].astype(I32)
            picks = (trow[0] == T_CHOOSE) | (trow[0] == T_RANDOM)
            cands = self.among_mask(g, ctx, trow)[ctx.me]
            sel = self.member_of(g, ctx, tid)[ctx.me]  # read only when the row does not pick
            pick_hit = (jnp.sum(mine) <= trow[5]) & jnp.all(~mine | cands)
            hit = jnp.where(picks, pick_hit, jnp.all(~mine | sel))
            out = out | ((tid >= 0) & hit)
        return out & jnp.any(mine)

    def target_member(self, g, ctx, tid):
        """(2, S) membership of a non-choice target row (for modifier queries)."""
        codes, n = self.targets(g, ctx, tid, None)
        flat = jnp.any(codes[:, None] == jnp.arange(2 * self.T.S)[None, :], axis=0)
        return flat.reshape(2, self.T.S)

    def codes_to_uids(self, g, codes):
        return g.vmap(lambda c: self.uid_of_code(g, c))(codes)

    # ================================================================================================================
    # Amounts, counts, conditions
    # ================================================================================================================
    def amount(self, g, ctx, aid):
        T = self.T
        row = jnp.asarray(T.AMOUNT)[jnp.clip(aid, 0)].astype(I32)
        return jnp.where(row[0] == 0, row[1], row[1] * self.count(g, ctx, row[2:]))

    def count(self, g, ctx, c):
        T = self.T
        op, a0, a1 = c[0], c[1], c[2]
        s = g.s
        res = {}
        res["heads"] = ctx.heads
        used = self.used("count")
        if not used:
            return jnp.asarray(0, I32)
        mem = self.target_member(g, ctx, a0) if used & {"energy_count", "damage_on", "retreat_cost_of"} else None
        en = s.energy.astype(I32)
        per = jnp.where(a1 < 0, jnp.sum(en, -1),
                        jnp.take_along_axis(en, jnp.clip(a1, 0, 7) * jnp.ones((2, T.S, 1), I32), -1)[..., 0])
        if "energy_count" in used:
            res["energy_count"] = jnp.sum(jnp.where(mem, per, 0))
        if "pokemon_count" in used:
            res["pokemon_count"] = jnp.sum(self.target_member(g, ctx, a0))
        if "damage_on" in used:
            res["damage_on"] = jnp.sum(jnp.where(mem, s.damage.astype(I32), 0))
        res["done_count"] = ctx.done
        res["damage_done"] = ctx.main_done
        res["points_to_win"] = jnp.maximum(0, T.RULES["points_to_win"]
                                           - s.points[jnp.where(a0 == 0, ctx.me, 1 - ctx.me)].astype(I32))
        if "card_count" in used:
            res["card_count"] = self.zone_count(g, ctx, a0, a1, c[3])
        if "retreat_cost_of" in used:
            res["retreat_cost_of"] = jnp.sum(jnp.where(mem, self.retreat_cost(g), 0))
        out = jnp.asarray(0, I32)
        for name in sorted(used):
            out = jnp.where(op == T.COUNT_OPS[name], res[name], out)
        return out

    def zone_row(self, g, ctx, who, zone):
        p = jnp.where(who == 0, ctx.me, 1 - ctx.me)
        s = g.s
        D = self.T.D
        hand = jnp.full((D,), -1, I32).at[: self.T.H].set(s.hand[p].astype(I32))
        row = jnp.where(zone == 0, hand, jnp.where(zone == 1, s.deck[p].astype(I32), s.discard[p].astype(I32)))
        return p, row

    def card_ok(self, g, ctx, cfid, cards):
        T = self.T
        row = jnp.asarray(T.CARDF)[jnp.clip(cfid, 0)].astype(I32)
        k = row[0]
        kind = g.tab(T.KIND, cards)
        ok = cards >= 0
        ok = ok & jnp.where(k == 1, kind == K_POKEMON, True)
        ok = ok & jnp.where(k == 2, kind != K_POKEMON, True)
        ok = ok & jnp.where(k == 3, kind == K_ITEM, True) & jnp.where(k == 4, kind == K_SUPPORTER, True)
        ok = ok & jnp.where(k == 5, kind == K_TOOL, True)
        for i in range(4):
            ok = ok & self.filter_mask(g, ctx, row[1 + i], cards, in_play=False)
        return ok

    def zone_count(self, g, ctx, who, zone, cfid):
        _, row = self.zone_row(g, ctx, who, zone)
        return jnp.sum(self.card_ok(g, ctx, cfid, g.card(row))).astype(I32)

    def cond(self, g, ctx, cid):
        """A condition row (one level of All; Not is the row's `neg` flag)."""
        T = self.T
        rows = jnp.asarray(T.COND)
        row = rows[jnp.clip(cid, 0)].astype(I32)

        def leaf(r):
            return self.cond_leaf(g, ctx, r) != (r[1] == 1)
        if "all" in self.used("cond"):
            subs = [leaf(rows[jnp.clip(row[2 + i], 0)].astype(I32)) | (row[2 + i] < 0) for i in range(4)]
            all_ = subs[0] & subs[1] & subs[2] & subs[3]
            v = jnp.where(row[0] == T.COND_OPS["all"], all_ != (row[1] == 1), leaf(row))
        else:
            v = leaf(row)
        return jnp.where(cid < 0, True, v)

    def cond_leaf(self, g, ctx, row):
        """One condition kind (reference: Interpreter.cond); only the kinds this pool uses are computed."""
        T = self.T
        op = row[0]
        a = row[2:]
        s = g.s
        used = self.used("cond")
        out = jnp.asarray(False)
        for name in sorted(used):
            if name == "all":
                continue
            if name == "coin_outcome":
                heads, n, oc = ctx.heads, ctx.nflips, a[0]
                v = jnp.where(oc == 0, heads >= 1, jnp.where(oc == 1, heads < n, jnp.where(
                    oc == 2, (n > 0) & (heads == n), jnp.where(oc == 3, heads == 0, heads >= a[1]))))
            elif name == "matches":
                codes, nn = self.targets(g, ctx, a[0], None)
                fm = jnp.ones((2, T.S), bool)
                for i in range(3):
                    fm = fm & self.filter_mask(g, ctx, a[1 + i])
                flat = fm.reshape(-1)
                v = (nn > 0) & jnp.all(jnp.where(codes >= 0, flat[jnp.clip(codes, 0)], True))
            elif name == "exists":
                v = jnp.any(self.target_member(g, ctx, a[0]))
            elif name == "card_in":
                v = self.zone_count(g, ctx, a[0], a[1], a[2]) >= a[3]
            elif name in ("hand_size", "points"):
                hp = jnp.where(a[0] == 0, ctx.me, 1 - ctx.me)
                if name == "hand_size":
                    v = ((a[1] >> jnp.clip(count(s.hand[hp]), 0, 30)) & 1) == 1
                else:
                    pts = s.points[hp].astype(I32)
                    v = (pts >= a[1]) & ((a[2] < 0) | (pts <= a[2]))
            elif name == "count_at_least":
                v = self.count(g, ctx, jnp.asarray(T.AMOUNT)[jnp.clip(a[0], 0)].astype(I32)[2:]) >= a[1]
            elif name == "history":
                v = self.history(g, ctx, a[0], a[1])
            else:
                raise ValueError(f"unknown condition {name}")
            out = jnp.where(op == T.COND_OPS[name], v, out)
        return out

    def history(self, g, ctx, ev, name):
        T = self.T
        s = g.s
        me = ctx.me
        code = self.code_of_uid(g, ctx.this)
        here = code >= 0
        flat = lambda f: getattr(s, f).reshape(-1)[jnp.clip(code, 0)].astype(I32)  # noqa: E731
        turn = s.turn.astype(I32)
        res = [
            s.supporters_played[me] > 0,
            (s.ko_by_attack_turn[me] == turn - 1) & (s.turn_player == me),
            (s.last_attack[me] == name) & (s.last_attack_turn[me] == turn - 2),
            here & (flat("moved_active_turn") == turn),
            here & (flat("evolved_turn") == turn),
            here & (flat("attack_damaged_turn") == turn - 1),
            self.ko_by_this_attack(g, ctx),
            (s.turns_taken[me] == 1) & (s.turn_player == me),
        ]
        out = jnp.asarray(False)
        for i, v in enumerate(res):
            out = jnp.where(ev == i, v, out)
        return out

    def ko_by_this_attack(self, g, ctx):
        code = self.code_of_uid(g, ctx.defending)
        dmg = g.s.damage.reshape(-1)[jnp.clip(code, 0)]
        hp = g.max_hp().reshape(-1)[jnp.clip(code, 0)]
        return (ctx.defending >= 0) & ((code < 0) | (dmg >= hp))

    # ================================================================================================================
    # Lasting effects (modifiers held by durations)
    # ================================================================================================================
    def bound_ctx(self, g, d):
        s = g.s
        b = s.dur_bind[d].astype(I32)
        ctx = new_ctx(self.T, s.dur_owner[d], -1, s.dur_source_card[d], 0, 0, 0, 0)
        that = b[4:]
        tc = g.vmap(lambda u: self.code_of_uid(g, u))(that)
        that = compact(that, tc >= 0)
        this = jnp.where(self.code_of_uid(g, b[0]) >= 0, b[0], -1)
        hold = jnp.where(self.code_of_uid(g, b[2]) >= 0, b[2], -1)
        return ctx.replace(this=this, defending=b[1], holder=hold, that=that)

    def passive_ctx(self, g, code):
        """The context of the passive Ability of the Pokémon at flat slot `code`, and whether it is in force (in
        play, with a passive Ability whose requirement holds; That bound by a Matches requirement). Reference:
        Interpreter.modifiers."""
        T = self.T
        p, slot = code // T.S, code % T.S
        card = g.top_card()[p, slot]
        uid = g.s.stack[p, slot, 0].astype(I32)
        ctx = new_ctx(T, p, uid, card, ABILITY_SLOT, slot, 0, 0)
        ctx = ctx.replace(that=ctx.that.at[0].set(uid))
        on = (card >= 0) & (g.tab(T.PAS_MOD, card) >= 0)
        self._passive, self._kinds = True, T.PASSIVE_KINDS
        try:
            on = on & self.cond(g, ctx, g.tab(T.AB_REQ, card))
            bind = g.tab(T.AB_BIND, card)
            codes, _ = self.targets(g, ctx, bind, None)
        finally:
            self._passive, self._kinds = False, None
        ctx = ctx.replace(that=jnp.where(bind >= 0, self.codes_to_uids(g, codes), ctx.that))
        return ctx, on

    def sources(self, g):
        """Every source of modifiers in force, in the reference's order: the passive Abilities of the Pokémon in play
        (player 0's slots, then player 1's; `npas` entries, none when the pool has no passive), then the durations.
        (modifier rows (K,), owners (K,), contexts (a Ctx batched over K), in force (K,)); computed once per
        state. While a passive requirement is traced, the durations alone."""
        T = self.T
        s = g.s

        def make():
            ids = s.dur_mod.astype(I32)
            owners = s.dur_owner.astype(I32)
            ctxs = g.vmap(lambda d: self.bound_ctx(g, d))(jnp.arange(NDUR))
            ok = ids >= 0
            if self.npas and not self._passive:
                pctx, pon = g.vmap(lambda c: self.passive_ctx(g, c))(jnp.arange(self.npas))
                pid = jnp.where(pon, g.tab(T.PAS_MOD, g.top_card()).reshape(-1), -1).astype(I32)
                ids = jnp.concatenate([pid, ids])
                owners = jnp.concatenate([jnp.arange(self.npas, dtype=I32) // T.S, owners])
                ctxs = jax.tree.map(lambda a, b: jnp.concatenate([a, b]), pctx, ctxs)
                ok = jnp.concatenate([pon, ok])
            return ids, owners, ctxs, ok
        return g._memoized(tuple(jax.tree.leaves(s)), make, ("sources", self._passive))

    def mods(self, g, name):
        """For each modifier source (`sources`): whether it holds a modifier `name` in force, and its modifier row
        (None: no such modifier in this pool)."""
        T = self.T
        if name not in T.MOD_OP_IDS:
            return None
        ids, _, _, ok = self.sources(g)
        rows = g._memoized((ids,), lambda: jnp.asarray(T.MOD)[jnp.clip(ids, 0)].astype(I32), "mod rows")
        active = ok & (ids >= 0) & (rows[:, 0] == T.MOD_OP_IDS[name])
        return active, rows

    def members(self, g, rows, col):
        """(K, 2, S): the Pokémon the target row in column `col` of each source's modifier selects, in that source's
        context (a row of -1: every Pokémon). Computed once per state."""
        T = self.T
        mod_tids = np.concatenate([T.MOD[:, 1], T.MOD[:, 4]]) if T.MOD.size else np.zeros(0, np.int64)
        mod_kinds = set(T.TARGET[np.clip(mod_tids[mod_tids >= 0], 0, len(T.TARGET) - 1), 0].tolist()) \
            if len(T.TARGET) else set()
        member = self.target_member if T_RANDOM in mod_kinds else self.member_of
        ctxs = self.sources(g)[2]

        def one(c, tid):
            return member(g, c, tid) | (tid < 0)
        return g._memoized((rows,) + tuple(jax.tree.leaves(g.s)), lambda: g.vmap(one)(ctxs, rows[:, col]),
                           ("members", col, self._passive))

    def member_of(self, g, ctx, tid):
        """(2, S) membership of a target row as `target_member` gives it for a row that is not random, without
        ordering the selection: uids compared, or the candidates' mask (a choice reads as all its candidates)."""
        T = self.T
        S = T.S
        trow = jnp.asarray(T.TARGET)[jnp.clip(tid, 0)].astype(I32)
        kind = trow[0]
        u = g.uids()
        used = self.used("target")
        out = jnp.zeros((2, S), bool)
        for k, ref in ((T_THIS, ctx.this), (T_HOLDER, ctx.holder), (T_ATTACKING, ctx.attacking)):
            if k in used:
                out = jnp.where(kind == k, (u == ref) & (ref >= 0), out)
        if T_DEFENDING in used:
            out = jnp.where(kind == T_DEFENDING, (u == ctx.defending) & (ctx.defending >= 0) &
                            (jnp.arange(S) == 0)[None, :], out)
        if T_THAT in used:
            out = jnp.where(kind == T_THAT, jnp.any((u[..., None] == ctx.that) & (ctx.that >= 0), axis=-1), out)
        if T_ACTIVE in used:
            ap = jnp.where(trow[1] == 0, ctx.me, 1 - ctx.me)
            act = g.occupied() & (jnp.arange(2)[:, None] == ap) & (jnp.arange(S) == 0)[None, :]
            for i in range(4):
                act = act & self.filter_mask(g, ctx, trow[8 + i])
            out = jnp.where(kind == T_ACTIVE, act, out)
        if used & {T_EACH, T_CHOOSE}:
            out = jnp.where((kind == T_EACH) | (kind == T_CHOOSE), self.among_mask(g, ctx, trow), out)
        return out

    def attackers_ok(self, g, rows, who_col, f_col, acode, attacker_player):
        """(K,) the attacker passes each source modifier's attacker filters and attacker_player."""
        def one(c, row):
            return self.attacker_ok(g, c, acode, attacker_player, row[who_col], row[f_col:f_col + 3])
        return g.vmap(one)(self.sources(g)[2], rows)

    def cant_attack(self, g, p, k):
        """Whether a CantAttack modifier stops attack k of p's Active."""
        m = self.mods(g, "cant_attack")
        if m is None:
            return jnp.asarray(False)
        active, rows = m
        T = self.T
        name = g.tab(T.ATK_NAME, g.top_card()[p, 0])[jnp.clip(k, 0, T.A - 1)]
        hit = active & ((rows[:, 2] < 0) | (rows[:, 2] == name))
        return jnp.any(hit & self.members(g, rows, 1)[:, p, 0])

    def retreat_cost(self, g):
        """(2, S) Retreat Cost of every Pokémon in play, after RetreatCost modifiers."""
        T = self.T
        cost = g.tab(T.RETREAT, g.top_card()).astype(I32)
        m = self.mods(g, "retreat_cost")
        if m is None:
            return cost
        active, rows = m
        mem = active[:, None, None] & self.members(g, rows, 1)
        none = jnp.any(mem & (rows[:, 3] == 1)[:, None, None], axis=0)
        cost = cost + jnp.sum(jnp.where(mem, rows[:, 2][:, None, None], 0), axis=0)
        return jnp.where(none, 0, jnp.maximum(0, cost))

    def cant_play(self, g, p, kinds):
        """(len(kinds),) whether a CantPlay modifier stops p from playing cards of each kind (reference:
        Interpreter.can_play_trainer)."""
        m = self.mods(g, "cant_play")
        if m is None:
            return jnp.zeros(kinds.shape, bool)
        active, rows = m
        owners = self.sources(g)[1]
        who = jnp.where(rows[:, 2] == 0, owners, 1 - owners)
        hit = (active & (who == p))[:, None] & (rows[:, 3][:, None] == kinds[None, :])
        return jnp.any(hit, axis=0)

    def cant_retreat(self, g, p):
        m = self.mods(g, "cant_retreat")
        if m is None:
            return jnp.asarray(False)
        active, rows = m
        return jnp.any(active & self.members(g, rows, 1)[:, p, 0])

    def attack_damage_all(self, g, ctx, amount, main):
        """(2, S) damage an attack of `amount` does to each of the opponent's Pokémon (reference:
        Interpreter.attack_damage): attacker modifiers, Weakness (the Active only), defender modifiers,
        prevention."""
        T, R = self.T, self.T.RULES
        S = T.S
        amount = jnp.asarray(amount, I32)
        dmg = jnp.broadcast_to(amount, (2, S))
        acode = self.code_of_uid(g, ctx.this)
        m = self.mods(g, "damage_dealt")
        if m is not None:
            active, rows = m
            aname = g.tab(T.ATK_NAME, ctx.card)[jnp.clip(ctx.atk, 0, T.A - 1)]
            att = self.members(g, rows, 1).reshape(rows.shape[0], -1)[:, jnp.clip(acode, 0)] & (acode >= 0)
            name_ok = (rows[:, 3] < 0) | (rows[:, 3] == aname)
            on = active & att & name_ok
            defm = self.members(g, rows, 4)
            dmg = dmg + jnp.sum(jnp.where(on[:, None, None] & defm, rows[:, 2][:, None, None], 0), axis=0)
        dmg = jnp.maximum(0, dmg)
        tcards = g.top_card()
        weak = g.tab(T.WEAKNESS, tcards)
        acard = g.top_card().reshape(-1)[jnp.clip(acode, 0)]
        is_weak = (jnp.arange(S)[None, :] == 0) & (dmg > 0) & (weak >= 0) & ~(main & ctx.ign_weak) & \
            (g.tab(T.TYPE, acard) == weak) & ~self.no_weakness(g)
        dmg = dmg + jnp.where(is_weak, R["weakness_bonus"], 0)
        ign = main & ctx.ign_eff
        m = self.mods(g, "damage_taken")
        if m is not None:
            active, rows = m
            ok = active & self.attackers_ok(g, rows, 3, 4, acode, ctx.me) & ~ign
            hit = ok[:, None, None] & self.members(g, rows, 1)
            dmg = dmg + jnp.sum(jnp.where(hit, rows[:, 2][:, None, None], 0), axis=0)
        dmg = jnp.maximum(0, dmg)
        m = self.mods(g, "prevent_damage")
        if m is not None:
            active, rows = m
            ok = active & self.attackers_ok(g, rows, 3, 4, acode, ctx.me) & ~ign
            hit = ok[:, None, None] & self.members(g, rows, 1)
            small = (rows[:, 2] < 0)[:, None, None] | (dmg[None] <= rows[:, 2][:, None, None])
            dmg = jnp.where(jnp.any(hit & small, axis=0), 0, dmg)
        return dmg

    def deal_attack_damage(self, g, ctx, mask, amount, theirs, on):
        """Damage from an attack on the Pokémon of `mask` ((2, S)): the opponent's as `theirs` (from
        `attack_damage_all`), your own as printed."""
        s = g.s
        T = self.T
        amount = jnp.asarray(amount, I32)
        own = (jnp.arange(2) == ctx.me)[:, None]
        dmg = jnp.where(own, amount, theirs)
        hit = mask & g.occupied() & (dmg > 0) & on
        new = jnp.minimum(s.damage.astype(I32) + dmg, g.max_hp())
        g.put(True, damage=jnp.where(hit, new, s.damage))
        active_hit = hit & ~own & (jnp.arange(T.S)[None, :] == 0)
        g.put(True, attack_damaged_turn=jnp.where(active_hit, s.turn, s.attack_damaged_turn))

    def no_weakness(self, g):
        """(2, S): the Pokémon a NoWeakness modifier is on."""
        m = self.mods(g, "no_weakness")
        if m is None:
            return jnp.zeros((2, self.T.S), bool)
        active, rows = m
        return jnp.any(active[:, None, None] & self.members(g, rows, 1), axis=0)

    def attack_cost(self, g, typed, colorless, code):
        """An attack's cost (typed (8,), Colorless) as paid by the Pokémon at flat `code` (-1: none): AttackCost
        modifiers on it applied in order, each kept at 0 or more (reference: Interpreter.attack_cost)."""
        m = self.mods(g, "attack_cost")
        if m is None or self._in_attack_cost:
            # (nested: a modifier's own target reads Energy beyond an attack's cost while its membership is
            # computed; there no attack is current, so the cost is not read)
            return typed, colorless
        active, rows = m
        self._in_attack_cost = True
        try:
            mem = self.members(g, rows, 1)
        finally:
            self._in_attack_cost = False
        on = active & mem.reshape(rows.shape[0], -1)[:, jnp.clip(code, 0)] & (code >= 0)
        for d in range(rows.shape[0]):
            t, delta = rows[d, 3], rows[d, 2]
            colorless = jnp.where(on[d] & (t < 0), jnp.maximum(0, colorless + delta), colorless)
            typed = jnp.where(on[d] & (t >= 0) & (jnp.arange(N_ENERGY) == t), jnp.maximum(0, typed + delta), typed)
        return typed, colorless

    def attacker_ok(self, g, bc, acode, attacker_player, who, filters):
        """The attacker passes a modifier's attacker filters and attacker_player (-1: any)."""
        pl = jnp.where(who == 0, bc.me, 1 - bc.me)
        ok = (who < 0) | (pl == attacker_player)
        for i in range(3):
            ok = ok & self.filter_mask(g, bc, filters[i]).reshape(-1)[jnp.clip(acode, 0)]
        return ok

    def prevented_all(self, g, ctx):
        """(2, S): which Pokémon an attack's effects (not damage) can't touch (reference: effects_prevented):
        the opponent's, under PreventEffects, or PreventDamage with effects."""
        T = self.T
        out = jnp.zeros((2, T.S), bool)
        m = self.mods(g, "prevent_effects")
        if m is not None:
            active, rows = m
            owners = self.sources(g)[1]
            who = jnp.where(rows[:, 2] == 0, owners, 1 - owners)
            out = out | jnp.any((active & (who == ctx.me))[:, None, None] & self.members(g, rows, 1), axis=0)
        m = self.mods(g, "prevent_damage")
        if m is not None:
            active, rows = m
            acode = self.code_of_uid(g, ctx.this)
            ok = active & (rows[:, 7] == 1) & self.attackers_ok(g, rows, 3, 4, acode, ctx.me)
            out = out | jnp.any(ok[:, None, None] & self.members(g, rows, 1), axis=0)
        return out & ctx.is_attack & (jnp.arange(2) != ctx.me)[:, None]

    @staticmethod
    def prevented(sel, code):
        return (code >= 0) & sel.prevented.reshape(-1)[jnp.clip(code, 0)]

    # ================================================================================================================
    # Instructions (reference: Interpreter.do_<op>); each runs only where `on`
    # ================================================================================================================
    def op_nop(self, g, ctx, a, on, sel, amt, addr):
        return ctx

    def op_main(self, g, ctx, a, on, sel, amt, addr):
        s = g.s
        tp = 1 - ctx.me
        go = on & (ctx.main > 0) & (s.stack[tp, 0, 0] >= 0)
        before = s.damage[tp, 0].astype(I32)
        mask = (jnp.arange(2)[:, None] == tp) & (jnp.arange(self.T.S)[None, :] == 0)
        self.deal_attack_damage(g, ctx, mask, ctx.main, sel.damage, go)
        return ctx.replace(main_done=jnp.where(go & g.live(), g.s.damage[tp, 0].astype(I32) - before,
                                               ctx.main_done))

    def op_attack_damage(self, g, ctx, a, on, sel, amt, addr):
        mode = a[0]
        new = jnp.where(mode == 0, amt, jnp.where(mode == 1, ctx.main + amt, jnp.maximum(0, ctx.main - amt)))
        return ctx.replace(main=jnp.where(on, new, ctx.main))

    def op_does_nothing(self, g, ctx, a, on, sel, amt, addr):
        return ctx.replace(main=jnp.where(on, 0, ctx.main), stopped=ctx.stopped | on)

    def op_flip(self, g, ctx, a, on, sel, amt, addr):
        T = self.T
        idx = jnp.arange(T.MAX_FLIPS)
        coins = (g.draw(addr, ctx.rep * 256 + idx) & jnp.uint32(1)) == 1
        n = jnp.minimum(amt, T.MAX_FLIPS)
        first_tail = jnp.where(jnp.any(~coins), jnp.argmax(~coins), T.MAX_FLIPS - 1)
        nf = jnp.where(a[0] == 1, first_tail + 1, n)
        heads = jnp.sum(coins & (idx < nf))
        return ctx.replace(nflips=jnp.where(on, nf, ctx.nflips), heads=jnp.where(on, heads, ctx.heads))

    def op_if(self, g, ctx, a, on, sel, amt, addr):
        ok = self.cond(g, ctx, a[0])
        return ctx.replace(pc=jnp.where(on & ~ok, a[1], ctx.pc))

    def op_jump(self, g, ctx, a, on, sel, amt, addr):
        return ctx.replace(pc=jnp.where(on, a[0], ctx.pc))

    def op_repeat(self, g, ctx, a, on, sel, amt, addr):
        go = on & (amt > 0)
        return ctx.replace(rep_outer=jnp.where(on, ctx.rep, ctx.rep_outer), rep_n=jnp.where(on, amt, ctx.rep_n),
                           rep_r=jnp.where(on, 0, ctx.rep_r), rep=jnp.where(go, ctx.rep * 64 + 1, ctx.rep),
                           pc=jnp.where(on & ~go, a[0], ctx.pc))

    def op_repeat_end(self, g, ctx, a, on, sel, amt, addr):
        r = ctx.rep_r + 1
        again = on & (r < ctx.rep_n)
        return ctx.replace(rep_r=jnp.where(on, r, ctx.rep_r),
                           rep=jnp.where(again, ctx.rep_outer * 64 + r + 1, jnp.where(on, ctx.rep_outer, ctx.rep)),
                           pc=jnp.where(again, a[0], ctx.pc))

    @staticmethod
    def selected(g, sel):
        return sel.uids, sel.mask

    def op_select(self, g, ctx, a, on, sel, amt, addr):
        uids, _ = self.selected(g, sel)
        return ctx.replace(that=jnp.where(on, uids, ctx.that))

    def op_damage(self, g, ctx, a, on, sel, amt, addr):
        uids, mask = self.selected(g, sel)
        by_attack = (a[0] == 1) & ctx.is_attack
        self.deal_attack_damage(g, ctx, mask, amt, sel.damage, on & by_attack)
        s = g.s
        new = jnp.minimum(s.damage.astype(I32) + amt, g.max_hp())
        g.put(on & ~by_attack & (amt > 0), damage=jnp.where(mask & g.occupied(), new, s.damage))
        return ctx.replace(that=jnp.where(on, uids, ctx.that))

    def op_heal(self, g, ctx, a, on, sel, amt, addr):
        uids, mask = self.selected(g, sel)
        dmg = g.s.damage.astype(I32)
        k = jnp.where(a[0] == 1, dmg, jnp.minimum(dmg, amt))
        g.put(on, damage=jnp.where(mask & g.occupied(), dmg - k, dmg))
        return ctx.replace(that=jnp.where(on, uids, ctx.that))

    def each_selected(self, g, ctx, uids, on, body):
        """Run body(j, code, go) for each selected Pokémon j still in play, in selection order (a traced loop);
        returns the sum of what body returns (None: 0)."""
        def one(j, total):
            c = self.code_of_uid(g, uids[j])
            r = body(j, c, on & (c >= 0))
            return total + (0 if r is None else r)
        last = jnp.max(jnp.where(uids >= 0, jnp.arange(uids.shape[0]) + 1, 0))
        return self.loop(g, jnp.where(on, jnp.minimum(last, self.T.MAX_TARGETS), 0), one, jnp.asarray(0, I32))

    def op_apply_condition(self, g, ctx, a, on, sel, amt, addr):
        T = self.T
        uids, _ = self.selected(g, sel)
        mask, pick = a[0], a[1]
        chooser = jnp.where(a[2] == 0, ctx.me, 1 - ctx.me)

        def body(j, c, go):
            go = go & ~self.prevented(sel, c)
            p, sl = jnp.clip(c, 0) // T.S, jnp.clip(c, 0) % T.S
            s = g.s
            have = jnp.stack([s.rot[p, sl] == ASLEEP, s.burned[p, sl], s.rot[p, sl] == CONFUSED,
                              s.rot[p, sl] == PARALYZED, s.poisoned[p, sl]])
            listed = ((mask >> jnp.arange(5)) & 1) == 1
            cand = listed & ~((a[3] == 1) & have)
            candl = compact(jnp.arange(5, dtype=I32), cand)
            nc = jnp.sum(cand)
            r = candl[jnp.clip(g.randint(addr, nc, ctx.rep * 256 + j), 0, 4)]
            opts = compact(jnp.arange(5, dtype=I32), listed)
            ch = g.choose(chooser, PEND_CONDITION, opts, jnp.sum(listed), False, go & (pick == 2))
            chosen = jnp.where(pick == 1, r, ch)
            apply = jnp.where(pick == 0, listed, (jnp.arange(5) == chosen) & ((pick != 1) | (nc > 0)))
            for ci, name in enumerate(COND_NAMES):
                ok = g.set_condition(p, sl, name, go & apply[ci])
                if name == "Poisoned":
                    g.set_at("poison_damage", (p, sl), a[4], ok & (a[4] >= 0))
        self.each_selected(g, ctx, uids, on, body)
        return ctx.replace(that=jnp.where(on, uids, ctx.that))

    def op_recover(self, g, ctx, a, on, sel, amt, addr):
        T = self.T
        uids, _ = self.selected(g, sel)

        def body(j, c, go):
            p, sl = jnp.clip(c, 0) // T.S, jnp.clip(c, 0) % T.S
            s = g.s
            # the order of Pokemon.conditions(): the rotation condition, then Poisoned, then Burned
            rot = s.rot[p, sl].astype(I32)
            have = jnp.stack([rot != ROT_NONE, s.poisoned[p, sl], s.burned[p, sl]])
            names = jnp.stack([jnp.where(rot == ASLEEP, 0, jnp.where(rot == PARALYZED, 3, 2)),
                               jnp.asarray(4), jnp.asarray(1)])
            listed = ((a[0] >> names) & 1) == 1
            pick = have & ((a[0] == 0) | listed)
            idx = compact(jnp.arange(3, dtype=I32), pick)
            r = idx[jnp.clip(g.randint(addr, jnp.sum(pick), ctx.rep * 256 + j), 0, 2)]
            pick = jnp.where(a[1] == 1, pick & (jnp.arange(3) == r), pick)
            g.set_at("rot", (p, sl), ROT_NONE, go & pick[0])
            g.set_at("paralysis_left", (p, sl), 0, go & pick[0])
            g.set_at("poisoned", (p, sl), False, go & pick[1])
            g.set_at("poison_damage", (p, sl), -1, go & pick[1])
            g.set_at("burned", (p, sl), False, go & pick[2])
        self.each_selected(g, ctx, uids, on, body)
        return ctx.replace(that=jnp.where(on, uids, ctx.that))

    def op_draw(self, g, ctx, a, on, sel, amt, addr):
        p = jnp.where(a[0] == 0, ctx.me, 1 - ctx.me)
        k = g.draw_cards(p, amt, on)
        return ctx.replace(done=jnp.where(on, k, ctx.done))

    def op_discard_energy(self, g, ctx, a, on, sel, amt, addr):
        """a: random, then (type, count) pairs (type -1: any, -2: unused; count -1: all)."""
        T = self.T
        uids, _ = self.selected(g, sel)

        def body(j, c, go):
            go = go & ~self.prevented(sel, c)
            p, sl = jnp.clip(c, 0) // T.S, jnp.clip(c, 0) % T.S
            done = jnp.asarray(0, I32)
            for si in range(T.MAX_ESEL):
                t, cnt = a[1 + 2 * si], a[2 + 2 * si]
                used = go & (t > -2)
                en = g.s.energy[p, sl].astype(I32)
                every = used & (cnt < 0)
                take = jnp.where(every & ((t < 0) | (jnp.arange(N_ENERGY) == t)), en, 0)
                g.add_at("energy", (p, sl), -take, every)
                g.add_at("discard_energy", p, take, every)

                def unit(k, done, t=t, cnt=cnt, used=used, si=si):
                    en = g.s.energy[p, sl].astype(I32)
                    types = (en > 0) & ((t < 0) | (jnp.arange(N_ENERGY) == t))
                    nt = jnp.sum(types)
                    step = used & (cnt > k) & (nt > 0)
                    units = jnp.cumsum(en * types)
                    r = g.randint(addr, units[-1], ctx.rep * 256 + j * 16 + si * 4 + k)
                    ru = jnp.argmax(units > r)
                    opts = compact(jnp.arange(N_ENERGY, dtype=I32), types)
                    ch = g.choose(ctx.me, PEND_ENERGY, opts, nt, False, step & (a[0] != 1))
                    u = jnp.where(a[0] == 1, ru, ch)
                    return done + g.discard_energy(p, sl, u, 1, step & (u >= 0))
                done = done + jnp.where(every & g.live(), jnp.sum(take), 0)
                done = self.loop(g, jnp.where(used & (cnt > 0), jnp.minimum(cnt, T.MAX_ECOUNT), 0), unit, done)
            return done
        done = self.each_selected(g, ctx, uids, on, body)
        return ctx.replace(that=jnp.where(on, uids, ctx.that), done=jnp.where(on, done, ctx.done))

    def op_attach_energy(self, g, ctx, a, on, sel, amt, addr):
        """a: source (0 zone, 1 discard), distribute, random, then (type, count) pairs."""
        T = self.T
        codes, n, uids, mask = sel.codes, sel.n, sel.uids, sel.mask
        that = jnp.where(on, uids, ctx.that)
        on = on & (n > 0)
        me = ctx.me
        zone = a[0] == 0
        units = jnp.full((T.MAX_UNITS,), -1, I32)
        nu = jnp.asarray(0, I32)
        for si in range(T.MAX_ESEL):
            t, cnt = a[3 + 2 * si], a[4 + 2 * si]
            used = t > -2
            for k in range(T.MAX_ECOUNT):  # from the Energy Zone: count (or 1) Energy, a random Zone type for "any"
                want = on & zone & used & (k < jnp.maximum(cnt, 1))
                u = jnp.where(t >= 0, t, g.roll_energy(me, 16 + si * 4 + k))
                slot = jnp.clip(nu, 0, T.MAX_UNITS - 1)
                units = units.at[slot].set(jnp.where(want, u, units[slot]))
                nu = nu + want.astype(I32)

            def from_discard(k, carry, t=t, cnt=cnt, used=used, si=si):
                units, nu = carry
                de = g.s.discard_energy[me].astype(I32)
                avail = (de > 0) & ((t < 0) | (jnp.arange(N_ENERGY) == t))
                na = jnp.sum(avail)
                want = on & ~zone & used & ((cnt < 0) | (k < cnt)) & (na > 0)
                pool = jnp.cumsum(de * avail)
                r = g.randint(addr, pool[-1], ctx.rep * 256 + si * 16 + k)
                ru = jnp.argmax(pool > r)
                opts = compact(jnp.arange(N_ENERGY, dtype=I32), avail)
                rnd = (a[2] == 1) | (na == 1)
                ch = g.choose(me, PEND_ENERGY, opts, na, False, want & ~rnd)
                u = jnp.where(rnd, ru, ch)
                take = want & (u >= 0) & g.live()
                g.add_at("discard_energy", (me, jnp.clip(u, 0, 7)), -1, take)
                slot = jnp.clip(nu, 0, T.MAX_UNITS - 1)
                return units.at[slot].set(jnp.where(take, u, units[slot])), nu + take.astype(I32)
            n_disc = jnp.where(on & ~zone & used, jnp.where(cnt < 0, T.MAX_UNITS, jnp.minimum(cnt, T.MAX_UNITS)), 0)
            units, nu = self.loop(g, n_disc, from_discard, (units, nu))
        dist = (a[1] == 1) & (n > 1)
        opts = compact(codes, codes >= 0)

        def place(i, ex):
            u = jnp.clip(units[i], 0, 7)
            has = on & (i < nu) & g.live()
            c = g.choose(me, PEND_POKEMON, opts, n, False, has & dist)
            cp, cs = jnp.clip(c, 0) // T.S, jnp.clip(c, 0) % T.S
            g.add_at("energy", (cp, cs, u), 1, has & dist & (c >= 0))
            add = (mask & g.occupied() & has & ~dist).astype(I32)
            g.put(True, energy=g.s.energy.astype(I32).at[:, :, u].add(add))
            return ex
        self.loop(g, jnp.where(on, jnp.minimum(nu, T.MAX_UNITS), 0), place, jnp.asarray(0, I32))
        return ctx.replace(that=that, done=jnp.where(on, nu, ctx.done))

    def switch_ok(self, g, ctx, a):
        """The checks a Switch makes before it selects the new Active (reference: do_switch)."""
        T = self.T
        p = jnp.where(a[0] == 0, ctx.me, 1 - ctx.me)
        ok = g.s.stack[p, 0, 0] >= 0
        for i in range(2):
            ok = ok & self.filter_mask(g, ctx, a[1 + i])[p, 0]
        return ok & ~((p != ctx.me) & self.prevented_all(g, ctx)[p, 0])

    def op_switch(self, g, ctx, a, on, sel, amt, addr):
        """a: player, only_if filters (2); the target picks the new Active."""
        T = self.T
        p = jnp.where(a[0] == 0, ctx.me, 1 - ctx.me)
        codes, n = sel.codes, sel.n
        c = codes[0]
        go = on & self.switch_ok(g, ctx, a) & (n > 0) & (c >= 0) & (c // T.S == p) & (c % T.S != 0)
        new_uid = self.uid_of_code(g, c)
        g.switch_active(p, c % T.S, go)
        return ctx.replace(that=jnp.where(go, jnp.full((2 * T.S,), -1, I32).at[0].set(new_uid), ctx.that))

    def op_return_pokemon(self, g, ctx, a, on, sel, amt, addr):
        """a: to (0 hand, 1 deck)."""
        T = self.T
        uids, _ = self.selected(g, sel)

        def body(j, c, go):
            go = go & ~self.prevented(sel, c)
            p, sl = jnp.clip(c, 0) // T.S, jnp.clip(c, 0) % T.S
            s = g.s
            cards = jnp.concatenate([s.stack[p, sl], s.tools[p, sl]]).astype(I32)
            g.add_at("discard_energy", p, s.energy[p, sl], go)
            g.clear_slot(p, sl, go)
            g.drop_durations(uids[j], go)
            to_deck = a[0] == 1
            for ci in range(cards.shape[0]):
                g.append("deck", p, cards[ci], go & to_deck)
                g.to_hand(p, cards[ci], go & ~to_deck & (cards[ci] >= 0))
            g.shuffle_deck(p, addr & jnp.uint32(0xFFFF), go & to_deck)
        self.each_selected(g, ctx, uids, on, body)
        g.promote_all(on)
        return ctx

    def op_fetch(self, g, ctx, a, on, sel, amt, addr):
        """a: count, card filter, source (0 deck, 1 discard), to (0 hand, 1 bench), random, player."""
        T = self.T
        p = jnp.where(a[5] == 0, ctx.me, 1 - ctx.me)
        from_deck = a[2] == 0
        to_bench = a[3] == 1

        def one(k, carry):
            done, stop = carry
            s = g.s
            zone = jnp.where(from_deck, s.deck[p], s.discard[p]).astype(I32)
            cards = g.card(zone)
            ok = self.card_ok(g, ctx, a[1], cards) & (zone >= 0)
            ok = ok & jnp.where(to_bench, g.tab(T.PLAYS_AS_BASIC, cards), True)
            full = jnp.where(to_bench, jnp.all(g.occupied()[p, 1:]), g.hand_count(p) >= T.H)
            stop = stop | full | ~jnp.any(ok)
            go = on & ~stop & (k < a[0])
            nc = jnp.sum(ok)
            cand = compact(zone, ok)
            r = cand[jnp.clip(g.randint(addr, nc, ctx.rep * 256 + k), 0, T.D - 1)]
            ckey = jnp.where(ok, cards * 64 + zone, 1 << 20)  # a choice lists them by (card index, instance)
            opts = jnp.where(jnp.arange(T.D) < nc, zone[argsort_stable(ckey)], -1)
            ch = g.choose(p, PEND_CARD, opts, nc, False, go & (a[4] != 1))
            inst = jnp.where(a[4] == 1, r, ch)
            go = go & (inst >= 0) & g.live()
            g.remove_value("deck", p, inst, go & from_deck)
            g.remove_value("discard", p, inst, go & ~from_deck)
            slot = jnp.argmax(~g.occupied()[p] & (jnp.arange(T.S) > 0))
            g.new_pokemon(p, slot, inst, g.s.turn, go & to_bench)
            g.append("hand", p, inst, go & ~to_bench)
            return done + go.astype(I32), stop
        n_fetch = jnp.where(on, jnp.minimum(a[0], T.MAX_FETCH), 0)
        done, _ = self.loop(g, n_fetch, one, (jnp.asarray(0, I32), jnp.asarray(False)))
        g.shuffle_deck(p, addr & jnp.uint32(0xFFFF), on & from_deck)
        return ctx.replace(done=jnp.where(on, done, ctx.done))

    def op_discard_cards(self, g, ctx, a, on, sel, amt, addr):
        """a: player, zone (0 hand, 1 deck), count, card filter, random, chooser, up_to."""
        T = self.T
        p = jnp.where(a[0] == 0, ctx.me, 1 - ctx.me)
        deck = a[1] == 1
        s = g.s
        k = jnp.minimum(a[2], g.deck_count(p))
        row = s.discard[p]
        for i in range(T.MAX_FETCH):
            row = jnp.where(i < k, push(row, s.deck[p, i]), row)
        godeck = on & deck
        g.set_at("discard", p, row, godeck)
        j = jnp.arange(T.D)
        g.set_at("deck", p, jnp.where(j + k < T.D, s.deck[p, jnp.clip(j + k, 0, T.D - 1)], -1), godeck)
        chooser = jnp.where(a[5] == 0, ctx.me, 1 - ctx.me)

        def one(i, carry):
            done, stop = carry
            hand = g.s.hand[p].astype(I32)
            cards = g.card(hand)
            ok = self.card_ok(g, ctx, a[3], cards) & (hand >= 0)
            nc = jnp.sum(ok)
            stop = stop | (nc == 0)
            go = on & ~deck & ~stop & (i < a[2])
            cand = compact(hand, ok)
            r = cand[jnp.clip(g.randint(addr, nc, ctx.rep * 256 + i), 0, T.H - 1)]
            ckey = jnp.where(ok, cards * 64 + hand, 1 << 20)
            opts = jnp.where(jnp.arange(T.H) < nc, hand[argsort_stable(ckey)], -1)
            ch = g.choose(chooser, PEND_CARD, opts, nc, a[6] == 1, go & (a[4] != 1))
            inst = jnp.where(a[4] == 1, r, ch)
            stop = stop | (go & (inst < 0))
            go = go & (inst >= 0) & g.live()
            g.remove_value("hand", p, inst, go)
            g.append("discard", p, inst, go)
            return done + go.astype(I32), stop
        n_hand = jnp.where(on & ~deck, jnp.minimum(a[2], T.MAX_FETCH), 0)
        done, _ = self.loop(g, n_hand, one, (jnp.where(godeck, k, 0), jnp.asarray(False)))
        return ctx.replace(done=jnp.where(on, done, ctx.done))

    def op_shuffle_deck(self, g, ctx, a, on, sel, amt, addr):
        p = jnp.where(a[0] == 0, ctx.me, 1 - ctx.me)
        g.shuffle_deck(p, addr & jnp.uint32(0xFFFF), on)
        return ctx

    def op_discard_tools(self, g, ctx, a, on, sel, amt, addr):
        """Each selected Pokémon's Tools to its owner's discard pile; `done` counts them. Reference:
        do_discard_tools."""
        T = self.T
        uids, _ = self.selected(g, sel)

        def body(j, c, go):
            go = go & ~self.prevented(sel, c)
            p, sl = jnp.clip(c, 0) // T.S, jnp.clip(c, 0) % T.S
            s = g.s
            tools = s.tools[p, sl]
            row = s.discard[p]
            for t in range(T.TOOLS):
                row = jnp.where(tools[t] >= 0, push(row, tools[t]), row)
            g.set_at("discard", p, row, go)
            g.set_at("tools", (p, sl), jnp.full_like(tools, -1), go)
            return jnp.where(go & g.live(), count(tools), 0)
        done = self.each_selected(g, ctx, uids, on, body)
        return ctx.replace(that=jnp.where(on, uids, ctx.that), done=jnp.where(on, done, ctx.done))

    def op_set_hp(self, g, ctx, a, on, sel, amt, addr):
        """a: halve, hp (-1: none). Each selected Pokémon's remaining HP becomes hp, or half of it rounded down
        to a multiple of 10. Reference: do_set_hp (That unchanged)."""
        _, mask = self.selected(g, sel)
        hp = g.max_hp()
        dmg = g.s.damage.astype(I32)
        new = jnp.where(a[0] == 1, (hp - dmg) // 2 // 10 * 10, a[1])
        hit = mask & g.occupied() & ~sel.prevented
        g.put(on & ((a[0] == 1) | (a[1] >= 0)), damage=jnp.where(hit, jnp.maximum(0, hp - new), dmg))
        return ctx

    def op_hand_to_deck(self, g, ctx, a, on, sel, amt, addr):
        """a: player, card filter, random, chooser. One card of the player's hand passing the filter (at random,
        or chosen) is shuffled into their deck. Reference: do_hand_to_deck."""
        T = self.T
        p = jnp.where(a[0] == 0, ctx.me, 1 - ctx.me)
        chooser = jnp.where(a[3] == 0, ctx.me, 1 - ctx.me)
        hand = g.s.hand[p].astype(I32)
        cards = g.card(hand)
        ok = self.card_ok(g, ctx, a[1], cards) & (hand >= 0)
        nc = jnp.sum(ok)
        go = on & (nc > 0)
        r = compact(hand, ok)[jnp.clip(g.randint(addr, nc, ctx.rep * 256), 0, T.H - 1)]
        ckey = jnp.where(ok, cards * 64 + hand, 1 << 20)  # a choice lists them by (card index, instance)
        opts = jnp.where(jnp.arange(T.H) < nc, hand[argsort_stable(ckey)], -1)
        ch = g.choose(chooser, PEND_CARD, opts, nc, False, go & (a[2] != 1))
        inst = jnp.where(a[2] == 1, r, ch)
        go = go & (inst >= 0) & g.live()
        g.remove_value("hand", p, inst, go)
        g.append("deck", p, inst, go)
        g.shuffle_deck(p, addr & jnp.uint32(0xFFFF), go)
        return ctx.replace(done=jnp.where(go, 1, ctx.done))

    def op_pooled_hand_to_deck(self, g, ctx, a, on, sel, amt, addr):
        """One card at random from both hands taken together (player 0's first) is shuffled into its owner's
        deck. Reference: do_pooled_hand_to_deck."""
        T = self.T
        both = jnp.concatenate([g.s.hand[0], g.s.hand[1]]).astype(I32)
        ok = both >= 0
        n = jnp.sum(ok)
        k = jnp.clip(g.randint(addr, n, ctx.rep * 256), 0, 2 * T.H - 1)
        inst = compact(both, ok)[k]
        p = compact(jnp.arange(2 * T.H, dtype=I32), ok)[k] // T.H
        go = on & (n > 0)
        g.remove_value("hand", p, inst, go)
        g.append("deck", p, inst, go)
        g.shuffle_deck(p, addr & jnp.uint32(0xFFFF), go)
        return ctx.replace(done=jnp.where(go, 1, ctx.done))

    def op_shuffle_hand(self, g, ctx, a, on, sel, amt, addr):
        """a: player (0 you, 1 opponent, 2 both: you first), redraw. The player shuffles their hand into their
        deck (with redraw: then draws as many cards). Reference: do_shuffle_hand / do_shuffle_hand_redraw."""
        T = self.T
        for i in range(2):
            p = jnp.where(a[0] == 1, 1 - ctx.me, ctx.me) if i == 0 else 1 - ctx.me
            go = on if i == 0 else on & (a[0] == 2)
            s = g.s
            hand, deck = s.hand[p], s.deck[p]
            n, dc = count(hand), count(deck)
            j = jnp.arange(T.D)
            back = hand[jnp.clip(j - dc, 0, T.H - 1)]
            g.set_at("deck", p, jnp.where(j < dc, deck, jnp.where(j - dc < T.H, back, -1)), go)
            g.set_at("hand", p, jnp.full_like(hand, -1), go)
            redraw = a[1] == 1
            salt = (addr + jnp.where(redraw, p, 0).astype(jnp.uint32)) & jnp.uint32(0xFFFF)
            g.shuffle_deck(p, salt, go)
            g.draw_cards(p, n, go & redraw)
        return ctx

    def op_mark_used(self, g, ctx, a, on, sel, amt, addr):
        """A once-per-turn triggered Ability is used (reference: Interpreter.fire sets ability_used)."""
        code = self.code_of_uid(g, ctx.this)
        S = self.T.S
        g.set_at("ability_used", (jnp.clip(code, 0) // S, jnp.clip(code, 0) % S), True, on & (code >= 0))
        return ctx

    def op_end_turn(self, g, ctx, a, on, sel, amt, addr):
        """The turn ends after this effect (env.py runs the end of the turn). Reference: do_end_turn."""
        return ctx.replace(end_turn=ctx.end_turn | on)

    def op_choose_one(self, g, ctx, a, on, sel, amt, addr):
        """a: number of options, the first instruction of each option's steps. Reference: do_choose_one."""
        k = g.choose(ctx.me, PEND_OPTION, jnp.arange(4, dtype=I32), a[0], False, on)
        return ctx.replace(pc=jnp.where(on & (k >= 0), a[1 + jnp.clip(k, 0, 3)], ctx.pc))

    def op_move_energy(self, g, ctx, a, on, sel, amt, addr):
        """a: energy type (-1: any), count (-1: all), source target row, destination target row (its first
        Pokémon). From each source in turn: all of the type, or one at a time (the mover picks the type) until
        `count` have moved. Reference: do_move_energy (at most one of the two targets is a choice, none random,
        so selecting the destination first asks the same questions)."""
        T = self.T
        S = T.S
        src, n_src = self.targets(g, ctx, a[2], on, addr)
        dst_codes, nd = self.targets(g, ctx, a[3], on, addr)
        dst = jnp.clip(dst_codes[0], 0)
        go = on & (nd > 0) & (dst_codes[0] >= 0)
        dp, ds = dst // S, dst % S
        t, cnt = a[0], a[1]
        types_ok = (t < 0) | (jnp.arange(N_ENERGY) == t)

        def one(j, moved):
            c = jnp.clip(src[j], 0)
            ok = go & (src[j] >= 0) & (c != dst)
            sp, ss = c // S, c % S
            every = ok & (cnt < 0)
            take = jnp.where(every & types_ok, g.s.energy[sp, ss].astype(I32), 0)
            g.add_at("energy", (sp, ss), -take, every)
            g.add_at("energy", (dp, ds), take, every)
            moved = moved + jnp.where(every & g.live(), jnp.sum(take), 0)

            def unit(k, moved):
                types = (g.s.energy[sp, ss] > 0) & types_ok
                nt = jnp.sum(types)
                step = ok & (cnt >= 0) & (moved < cnt) & (nt > 0)
                u = g.choose(ctx.me, PEND_ENERGY, compact(jnp.arange(N_ENERGY, dtype=I32), types), nt, False, step)
                step = step & (u >= 0) & g.live()
                one_hot = (jnp.arange(N_ENERGY) == u).astype(I32)
                g.add_at("energy", (sp, ss), -one_hot, step)
                g.add_at("energy", (dp, ds), one_hot, step)
                return moved + step.astype(I32)
            return self.loop(g, jnp.where(ok & (cnt >= 0), cnt, 0), unit, moved)
        moved = self.loop(g, jnp.where(go, n_src, 0), one, jnp.asarray(0, I32))
        dst_uid = jnp.full((2 * S,), -1, I32).at[0].set(self.uid_of_code(g, dst))
        return ctx.replace(that=jnp.where(go, dst_uid, ctx.that), done=jnp.where(go, moved, ctx.done))

    def op_move_energy_one_of(self, g, ctx, a, on, sel, amt, addr):
        """a: Energy types (3, -1 padded, in the listed order), source target row, destination target row. One
        Energy of those types from the first source that has one (the mover picks the type when several).
        Reference: do_move_energy_one_of."""
        T = self.T
        S = T.S
        src, n_src = self.targets(g, ctx, a[3], on, addr)
        dst_codes, nd = self.targets(g, ctx, a[4], on, addr)
        dst = jnp.clip(dst_codes[0], 0)
        go = on & (nd > 0) & (dst_codes[0] >= 0)
        allowed = a[0:3]

        def one(j, done):
            c = jnp.clip(src[j], 0)
            ok = go & (src[j] >= 0) & (c != dst) & (done == 0)
            en = g.s.energy[c // S, c % S].astype(I32)
            has = (allowed >= 0) & (en[jnp.clip(allowed, 0)] > 0)
            nt = jnp.sum(has)
            u = g.choose(ctx.me, PEND_ENERGY, compact(allowed, has), nt, False, ok & (nt > 0))
            step = ok & (nt > 0) & (u >= 0) & g.live()
            one_hot = (jnp.arange(N_ENERGY) == u).astype(I32)
            g.add_at("energy", (c // S, c % S), -one_hot, step)
            g.add_at("energy", (dst // S, dst % S), one_hot, step)
            return done + step.astype(I32)
        done = self.loop(g, jnp.where(go, n_src, 0), one, jnp.asarray(0, I32))
        dst_uid = jnp.full((2 * S,), -1, I32).at[0].set(self.uid_of_code(g, dst))
        return ctx.replace(that=jnp.where(go, dst_uid, ctx.that), done=jnp.where(on, done, ctx.done))

    def op_arrange_top(self, g, ctx, a, on, sel, amt, addr):
        """a: player; amount: how many. You put the top cards of the deck back in the order you choose, the top
        one first (a decision for each place but the last). Reference: do_arrange_top."""
        T = self.T
        p = jnp.where(a[0] == 0, ctx.me, 1 - ctx.me)
        deck = g.s.deck[p].astype(I32)
        i = jnp.arange(T.D)
        n = jnp.clip(jnp.minimum(amt, g.deck_count(p)), 0, T.MAX_FETCH)
        left = i < n
        order = jnp.full((T.D,), -1, I32)
        cards = g.card(deck)
        for k in range(T.MAX_FETCH - 1):
            step = on & (n - k > 1)
            nl = jnp.sum(left)
            opts = jnp.where(i < nl, deck[argsort_stable(jnp.where(left, cards * 64 + deck, 1 << 20))], -1)
            c = g.choose(ctx.me, PEND_CARD, opts, nl, False, step)
            take = step & (c >= 0)
            order = order.at[k].set(jnp.where(take, c, order[k]))
            left = left & ~(take & (deck == c))
        k = jnp.maximum(n - 1, 0)
        rest = compact(deck, left)
        top = jnp.where(i < k, order, rest[jnp.clip(i - k, 0, T.D - 1)])
        g.set_at("deck", p, jnp.where(i < n, top, deck), on & (n > 1))
        return ctx

    def op_knock_out(self, g, ctx, a, on, sel, amt, addr):
        """Each selected Pokémon's damage becomes its HP. Reference: do_knock_out."""
        _, mask = self.selected(g, sel)
        hit = mask & g.occupied() & ~sel.prevented
        g.put(on, damage=jnp.where(hit, g.max_hp(), g.s.damage.astype(I32)))
        return ctx

    def op_draw_until(self, g, ctx, a, on, sel, amt, addr):
        """a: hand size (-1: as many as the opponent holds). Reference: do_draw_until."""
        goal = jnp.where(a[0] < 0, g.hand_count(1 - ctx.me), a[0])
        k = g.draw_cards(ctx.me, jnp.maximum(0, goal - g.hand_count(ctx.me)), on)
        return ctx.replace(done=jnp.where(on, k, ctx.done))

    def op_discard_energy_among(self, g, ctx, a, on, sel, amt, addr):
        """a: count; the target (an Each) gives the Pokémon. Each time, one Energy at random from all of theirs
        taken together (in selection order, then by type). Reference: do_discard_energy_among."""
        T = self.T
        codes = sel.codes
        valid = (codes >= 0) & ~g.vmap(lambda c: self.prevented(sel, c))(codes)

        def one(k, done):
            en = g.s.energy.reshape(2 * T.S, N_ENERGY).astype(I32)[jnp.clip(codes, 0)]
            cum = jnp.cumsum(jnp.where(valid[:, None], en, 0).reshape(-1))
            total = cum[-1]
            at = jnp.argmax(cum > g.randint(addr, total, ctx.rep * 256 + k))
            c = jnp.clip(codes[at // N_ENERGY], 0)
            return done + g.discard_energy(c // T.S, c % T.S, at % N_ENERGY, 1, total > 0)
        done = self.loop(g, jnp.where(on, a[0], 0), one, jnp.asarray(0, I32))
        return ctx.replace(done=jnp.where(on, done, ctx.done))

    def op_swap_hand_deck(self, g, ctx, a, on, sel, amt, addr):
        """a: card filter. A chosen card of your hand and a random card of your deck (both passing the filter)
        change places; the deck is shuffled. Reference: do_swap_hand_deck."""
        T = self.T
        p = ctx.me
        hand, deck = g.s.hand[p].astype(I32), g.s.deck[p].astype(I32)
        hcards = g.card(hand)
        hok = self.card_ok(g, ctx, a[0], hcards) & (hand >= 0)
        dok = self.card_ok(g, ctx, a[0], g.card(deck)) & (deck >= 0)
        nh, nd = jnp.sum(hok), jnp.sum(dok)
        go = on & (nh > 0) & (nd > 0)
        got = compact(deck, dok)[jnp.clip(g.randint(addr, nd, ctx.rep * 256), 0, T.D - 1)]
        ckey = jnp.where(hok, hcards * 64 + hand, 1 << 20)
        opts = jnp.where(jnp.arange(T.H) < nh, hand[argsort_stable(ckey)], -1)
        inst = g.choose(p, PEND_CARD, opts, nh, False, go)
        go = go & (inst >= 0) & g.live()
        g.remove_value("hand", p, inst, go)
        g.remove_value("deck", p, got, go)
        g.append("deck", p, inst, go)
        g.append("hand", p, got, go)
        g.shuffle_deck(p, addr & jnp.uint32(0xFFFF), go)
        return ctx.replace(done=jnp.where(go, 1, ctx.done))

    def op_take_top(self, g, ctx, a, on, sel, amt, addr):
        """a: count, card filter, rest (0 shuffled back, 1 to the bottom). The top cards passing the filter go to
        your hand (in order; to the discard pile when it is full), the others back. Reference: do_take_top."""
        T = self.T
        p = ctx.me
        deck = g.s.deck[p].astype(I32)
        i = jnp.arange(T.D)
        top = (i < a[0]) & (deck >= 0)
        take = top & self.card_ok(g, ctx, a[1], g.card(deck))
        for k in range(T.MAX_FETCH):
            g.to_hand(p, deck[k], on & take[k])
        rest = top & ~take
        below = ~top & (deck >= 0)
        bottom = a[2] == 1
        first, second = jnp.where(bottom, below, rest), jnp.where(bottom, rest, below)
        order = argsort_stable(jnp.where(first, 0, jnp.where(second, 1, 2)))
        g.set_at("deck", p, jnp.where(jnp.arange(T.D) < jnp.sum(first | second), deck[order], -1), on)
        g.shuffle_deck(p, addr & jnp.uint32(0xFFFF), on & ~bottom)
        return ctx.replace(done=jnp.where(on, jnp.sum(take), ctx.done))

    def op_optional(self, g, ctx, a, on, sel, amt, addr):
        """a: end of the optional block, possibility condition. Declining skips its steps and `then`."""
        possible = self.cond(g, ctx, a[1])
        ask = on & possible
        c = g.choose(ctx.me, PEND_OPTIONAL, jnp.ones((1,), I32), 1, True, ask)
        skip = on & (~possible | (ask & (c < 0)))
        return ctx.replace(pc=jnp.where(skip, a[0], ctx.pc))

    def op_lasting(self, g, ctx, a, on, sel, amt, addr):
        """a: duration (0 this turn, 1 opponent's next turn, 2 your next turn, 3 until it leaves the Active
        Spot), modifier row, stacks, target mode (0 player-wide; 1 the target selects the Pokémon it is on; 2 the
        target is a choice / random / That, and the modifier reads it as That). The target row is the
        instruction's."""
        T = self.T
        s = g.s
        turn = s.turn.astype(I32)
        until = jnp.where(a[0] == 0, turn, jnp.where(a[0] == 1, turn + 1, jnp.where(a[0] == 2, turn + 2, 32767)))
        mode = a[3]
        codes, n, uids = sel.codes, sel.n, sel.uids
        that = jnp.where(mode == 2, uids, ctx.that)
        prevented = jnp.any(g.vmap(lambda c: self.prevented(sel, c))(codes))
        go = on & ~((mode > 0) & ((n == 0) | prevented))
        uid = jnp.where(mode > 0, uids[0], -1)
        player = jnp.where(mode > 0, codes[0] // T.S, ctx.me)
        dup = jnp.any((s.dur_mod.astype(I32) == a[1]) & (s.dur_target.astype(I32) == uid))
        go = go & ~((a[2] == 0) & dup)
        k = jnp.sum(s.dur_mod >= 0)
        bind = jnp.concatenate([jnp.stack([ctx.this, ctx.defending, ctx.holder, jnp.asarray(-1, I32)]), that])
        kk = jnp.clip(k, 0, NDUR - 1)
        go = go & (k < NDUR)
        for name, v in (("dur_owner", ctx.me), ("dur_player", player), ("dur_target", uid), ("dur_until", until),
                        ("dur_source_card", ctx.card), ("dur_mod", a[1])):
            g.set_at(name, kk, v, go)
        g.set_at("dur_bind", kk, bind, go)
        return ctx.replace(that=jnp.where(on & (mode == 2), that, ctx.that))


CHEAP_OPS = {"nop", "attack_damage", "does_nothing", "flip", "jump", "repeat", "repeat_end", "select", "end_turn"}
"""Instructions that change only the registers: masked in every iteration rather than skipped."""
TARGET_OPS = {"select", "damage", "heal", "apply_condition", "recover", "discard_energy", "attach_energy", "switch",
              "return_pokemon", "lasting", "discard_tools", "set_hp", "knock_out", "discard_energy_among"}
"""Instructions whose target row (column 1) selects Pokémon before they run."""
AMOUNT_OPS = {"attack_damage", "flip", "repeat", "damage", "heal", "draw", "arrange_top"}
"""Instructions that read their amount row (column 2)."""
RANDOM_OPS = {"flip", "apply_condition", "recover", "discard_energy", "attach_energy", "return_pokemon", "fetch",
              "discard_cards", "shuffle_deck", "hand_to_deck", "pooled_hand_to_deck", "shuffle_hand",
              "swap_hand_deck", "take_top"} | TARGET_OPS
"""Instructions that draw random bits at their address (a random target included)."""
