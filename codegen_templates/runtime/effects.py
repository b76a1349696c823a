"""The effect VM: runs the lowered effect programs of the card tables, and answers the rules' questions about
lasting effects. Mirrors reference/effects.py (the definition); the instruction set is docs/backend.md's.

A program is a run of rows of `T.INSTR` (opcode, arguments) with jumps for If / Repeat / Optional. The VM runs a
fixed number of iterations (`T.VM_STEPS`, the longest run any program of the pool can take); each iteration masks
every instruction kind the pool uses by the current opcode, so under `vmap` there is one code path. Targets,
amounts, conditions and filters are rows of their own tables, evaluated for all Pokémon slots at once.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from . import struct
from .core import (ASLEEP, CONFUSED, I32, K_ITEM, K_POKEMON, K_SUPPORTER, K_TOOL, N_ENERGY, NDUR, PARALYZED,
                   PEND_CARD, PEND_CONDITION, PEND_ENERGY, PEND_OPTIONAL, PEND_POKEMON, ROT_NONE, A_EFFECT,
                   compact, count, push, remove_at, index_of)
from .rng import mix32

COND_NAMES = ("Asleep", "Burned", "Confused", "Paralyzed", "Poisoned")
ADDR_SEED = 0x2545F491
ATTACK_SLOT_ABILITY, TRAINER_SLOT, TOOL_SLOT = 8, 9, 10
# target kinds
T_THIS, T_HOLDER, T_DEFENDING, T_ATTACKING, T_THAT, T_ACTIVE, T_EACH, T_CHOOSE, T_RANDOM = range(9)


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


def new_ctx(T, me, this, card, eslot, src_slot, start, end):
    z = jnp.asarray(0, I32)
    m1 = jnp.asarray(-1, I32)
    f = jnp.asarray(False)
    return Ctx(me=jnp.asarray(me, I32), this=jnp.asarray(this, I32), holder=m1, card=jnp.asarray(card, I32),
               eslot=jnp.asarray(eslot, I32), src_slot=jnp.asarray(src_slot, I32), defending=m1, attacking=m1,
               that=jnp.full((2 * T.S,), -1, I32), nflips=z, heads=z, done=z, main=z, stopped=f, end_turn=f,
               rep=z, rep_outer=z, rep_n=z, rep_r=z, is_attack=f, ign_weak=f, ign_eff=f, main_done=z, atk=m1,
               pc=jnp.asarray(start, I32), end=jnp.asarray(end, I32))


def fold(h, part):
    return mix32(h ^ jnp.asarray(part, I32).astype(jnp.uint32))


class Effects:
    """The VM and the modifier queries for one pool's tables `T`."""

    def __init__(self, T):
        self.T = T
        self.ops = list(T.OPS)
        self.op_id = {name: i for i, name in enumerate(self.ops)}
        self.mod_ops = list(T.MOD_OPS)

    # ================================================================================================================
    # Entry points (reference: Interpreter.run_attack / run_ability / run_trainer)
    # ================================================================================================================
    def run_attack(self, g, p, k, cond):
        T = self.T
        s = g.s
        card = g.top_card()[p, 0]
        kk = jnp.clip(k, 0, T.A - 1)
        start, end = g.tab(T.ATK_PROG, card)[kk], g.tab(T.ATK_PROG_END, card)[kk]
        ctx = new_ctx(T, p, s.stack[p, 0, 0], card, kk, 0, start, end)
        ctx = ctx.replace(is_attack=jnp.asarray(True), atk=kk, defending=s.stack[1 - p, 0, 0].astype(I32),
                          main=g.tab(T.ATK_DAMAGE, card)[kk].astype(I32),
                          ign_weak=g.tab(T.ATK_IGN_WEAK, card)[kk], ign_eff=g.tab(T.ATK_IGN_EFF, card)[kk])
        ctx = self.run(g, ctx, cond)
        g.set_at("last_attack", p, g.tab(T.ATK_NAME, card)[kk], cond)
        g.set_at("last_attack_turn", p, s.turn, cond)

    def run_trainer(self, g, p, card, cond):
        T = self.T
        start, end = g.tab(T.TR_PROG, card), g.tab(T.TR_PROG_END, card)
        ctx = new_ctx(T, p, -1, card, TRAINER_SLOT, 0, start, end)
        ctx = self.run(g, ctx, cond & (end > start))
        g.end_turn(cond & ctx.end_turn)

    def run_ability(self, g, p, slot, card, cond):
        """No Ability of this pool is lowered to a program yet (the lowering refuses such cards)."""

    # --- hooks of the rules that no lowered effect of this pool uses yet ----------------------------------------
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
        if ap is None:
            return
        for p in (0, 1):
            hit = jnp.any(kos_uid[p] >= 0) & (ap != p)
            g.set_at("ko_by_attack_turn", p, g.s.turn, cond & hit)

    def no_points_for(self, g, uid):
        return jnp.asarray(False)

    def hp_bonus(self, g):
        return jnp.zeros((2, self.T.S), I32)

    def condition_immune(self, g, p, cond_name):
        return jnp.asarray(False)

    def attack_flip(self, g, p):
        return jnp.asarray(False)

    # ================================================================================================================
    # The VM
    # ================================================================================================================
    def run(self, g, ctx, cond):
        """Run a program from ctx.pc to ctx.end (at most T.VM_STEPS instructions)."""
        T = self.T
        instr = jnp.asarray(T.INSTR)

        def body(_, carry):
            s, flow, ctx = carry
            g.s, g.flow = s, flow
            on = cond & g.live() & (ctx.pc < ctx.end) & ~ctx.stopped
            row = instr[jnp.clip(ctx.pc, 0, instr.shape[0] - 1)].astype(I32)
            op, a = row[0], row[1:]
            nxt = ctx.pc + 1
            ctx = ctx.replace(pc=jnp.where(on, nxt, ctx.pc))
            for name, i in self.op_id.items():
                ctx = getattr(self, "op_" + name)(g, ctx, a, on & (op == i))
            return g.s, g.flow, ctx

        if T.VM_STEPS == 0:
            return ctx
        s, flow, ctx = jax.lax.fori_loop(0, T.VM_STEPS, body, (g.s, g.flow, ctx))
        g.s, g.flow = s, flow
        return ctx

    def addr(self, g, ctx):
        """The draw-site address of the current instruction (reference: Ctx.addr(path))."""
        T = self.T
        pc = jnp.clip(ctx.pc - 1, 0, T.INSTR.shape[0] - 1)
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

    def filter_mask(self, g, ctx, fid, cards=None, in_play=True):
        """A filter row on every Pokémon in play ((2, S) bool), or on the card indices `cards` (in_play False)."""
        T = self.T
        row = jnp.asarray(T.FILTER)[jnp.clip(fid, 0)].astype(I32)
        op, a0, a1, a2 = row[0], row[1], row[2], row[3]
        c = g.top_card() if in_play else cards
        ok_card = c >= 0
        ty = g.tab(T.TYPE, c)
        stage = g.tab(T.STAGE, c)
        kind = g.tab(T.KIND, c)
        fossil = g.tab(T.IS_FOSSIL, c)
        res = {}
        res["type_is"] = ((a0 >> jnp.clip(ty, 0, 15)) & 1) == 1
        is_pk = kind == K_POKEMON
        res["stage_is"] = jnp.where(a0 == 3, is_pk & (stage > 0),
                                    jnp.where(a0 == 0, (is_pk & (stage == 0)) | fossil, is_pk & (stage == a0)))
        res["is_ex"] = jnp.where(a1 == 1, g.tab(T.IS_MEGA, c), g.tab(T.IS_EX, c)) == (a0 == 1)
        names = jnp.asarray(T.NAMESET)[jnp.clip(a0, 0)]
        res["name_is"] = jnp.any(g.tab(T.NAME, c)[..., None] == names, axis=-1)
        ref = jnp.where(ctx.that[0] >= 0, ctx.that[0], ctx.this)
        ref_card = g.top_card().reshape(-1)[jnp.clip(self.code_of_uid(g, ref), 0)]
        ref_name = jnp.where(self.code_of_uid(g, ref) >= 0, g.tab(T.NAME, ref_card), -2)
        res["evolves_from"] = g.tab(T.EVOLVES_FROM, c) == jnp.where(a0 >= 0, a0, ref_name)
        if in_play:
            s = g.s
            dmg = s.damage.astype(I32)
            en = s.energy.astype(I32)
            hp = g.max_hp()
            res["hp_at_most"] = jnp.where(a1 == 1, hp - dmg, g.tab(T.HP, c)) <= a0
            res["damaged"] = (dmg > 0) == (a0 == 1)
            tot = jnp.sum(en, axis=-1)
            typed = jnp.take_along_axis(en, jnp.clip(a0, 0, 7) * jnp.ones((2, T.S, 1), I32), axis=-1)[..., 0]
            n = jnp.where(a0 < 0, tot, typed)
            need = self.cost_typed(g, ctx, a0)
            n = jnp.where((a2 == 1) & (a0 >= 0), n - need, n)
            res["has_energy"] = n >= a1
            res["energy_types_at_least"] = jnp.sum(en > 0, axis=-1) >= a0
            res["has_tool"] = jnp.any(s.tools >= 0, axis=-1) == (a0 == 1)
            res["has_ability"] = g.tab(T.HAS_ABILITY, c)
            conds = jnp.stack([s.rot == ASLEEP, s.burned, s.rot == CONFUSED, s.rot == PARALYZED, s.poisoned], -1)
            bits = ((a0 >> jnp.arange(5)) & 1) == 1
            res["has_condition"] = jnp.where(a0 == 0, jnp.any(conds, -1), jnp.any(conds & bits, -1))
            res["retreat_at_least"] = self.retreat_cost(g) >= a0
            res["in_zone"] = (jnp.arange(T.S)[None, :] == 0) == (a0 == 0)
        else:
            res["hp_at_most"] = g.tab(T.HP, c) <= a0
        out = jnp.zeros(c.shape, bool)
        for name, i in T.FILTER_OPS.items():
            out = jnp.where(op == i, res.get(name, jnp.zeros(c.shape, bool)), out)
        return jnp.where(fid < 0, True, out & ok_card)

    def cost_typed(self, g, ctx, t):
        """Energy of type t that the current attack's cost needs (for HasEnergy(extra))."""
        T = self.T
        card = g.tab(T.ATK_COST, ctx.card)[jnp.clip(ctx.atk, 0, T.A - 1)]
        return jnp.where(ctx.atk >= 0, card[jnp.clip(t, 0, 7)], 0)

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
        p = jnp.arange(2)[:, None]
        sl = jnp.arange(S)[None, :]
        key = jnp.where(p == ctx.me, 0, S) + sl
        code = p * S + sl
        flat_key = jnp.where(mask, key, 4 * S).reshape(-1)
        order = jnp.argsort(flat_key, stable=True)
        codes = code.reshape(-1)[order]
        n = jnp.sum(mask)
        return jnp.where(jnp.arange(2 * S) < n, codes, -1).astype(I32), n.astype(I32)

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
        res = {}
        res[T_THIS] = one(ctx.this)
        res[T_HOLDER] = one(ctx.holder)
        dc = self.code_of_uid(g, ctx.defending)
        res[T_DEFENDING] = one(ctx.defending, (dc % S) == 0)
        res[T_ATTACKING] = one(ctx.attacking)
        tc = jax.vmap(lambda u: self.code_of_uid(g, u))(ctx.that)
        keep = tc >= 0
        res[T_THAT] = (compact(tc, keep), jnp.sum(keep).astype(I32))
        ap = jnp.where(trow[1] == 0, ctx.me, 1 - ctx.me)
        act_ok = g.occupied()[ap, 0]
        for i in range(4):
            act_ok = act_ok & self.filter_mask(g, ctx, trow[8 + i])[ap, 0]
        res[T_ACTIVE] = (codes_none.at[0].set(jnp.where(act_ok, ap * S, -1)), act_ok.astype(I32))
        cands, nc = self.ordered(ctx, self.among_mask(g, ctx, trow))
        res[T_EACH] = (cands, nc)
        cnt, up_to = trow[5], trow[6] == 1
        # choose
        pure = on is None
        if on is None:
            on = jnp.asarray(False)
        on_choose = on & (kind == T_CHOOSE)
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
        res[T_CHOOSE] = (jnp.where(all_of, cands, chosen), jnp.where(all_of, nc, nch))
        # random
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
        codes, n = codes_none, jnp.asarray(0, I32)
        for k, (cs, nn) in res.items():
            codes = jnp.where(kind == k, cs, codes)
            n = jnp.where(kind == k, nn, n)
        return codes, n

    def target_member(self, g, ctx, tid):
        """(2, S) membership of a non-choice target row (for modifier queries)."""
        codes, n = self.targets(g, ctx, tid, None)
        flat = jnp.zeros((2 * self.T.S,), bool)
        flat = flat.at[jnp.clip(codes, 0)].max(codes >= 0)
        return flat.reshape(2, self.T.S)

    def codes_to_uids(self, g, codes):
        return jax.vmap(lambda c: self.uid_of_code(g, c))(codes)

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
        mem = self.target_member(g, ctx, a0)
        en = s.energy.astype(I32)
        per = jnp.where(a1 < 0, jnp.sum(en, -1),
                        jnp.take_along_axis(en, jnp.clip(a1, 0, 7) * jnp.ones((2, T.S, 1), I32), -1)[..., 0])
        res["energy_count"] = jnp.sum(jnp.where(mem, per, 0))
        res["pokemon_count"] = jnp.sum(self.target_member(g, ctx, a0))
        res["damage_on"] = jnp.sum(jnp.where(mem, s.damage.astype(I32), 0))
        res["done_count"] = ctx.done
        res["damage_done"] = ctx.main_done
        res["points_to_win"] = jnp.maximum(0, T.RULES["points_to_win"]
                                           - s.points[jnp.where(a0 == 0, ctx.me, 1 - ctx.me)].astype(I32))
        res["card_count"] = self.zone_count(g, ctx, a0, a1, c[3])
        res["retreat_cost_of"] = jnp.sum(jnp.where(mem, self.retreat_cost(g), 0))
        out = jnp.asarray(0, I32)
        for name, i in T.COUNT_OPS.items():
            out = jnp.where(op == i, res[name], out)
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
            return self.cond_leaf(g, ctx, r)
        subs = [leaf(rows[jnp.clip(row[2 + i], 0)].astype(I32)) | (row[2 + i] < 0) for i in range(4)]
        all_ = subs[0] & subs[1] & subs[2] & subs[3]
        v = jnp.where(row[0] == T.COND_OPS.get("all", -9), all_, leaf(row))
        return jnp.where(cid < 0, True, v != (row[1] == 1))

    def cond_leaf(self, g, ctx, row):
        T = self.T
        op = row[0]
        a = row[2:]
        s = g.s
        res = {}
        heads, n = ctx.heads, ctx.nflips
        oc = a[0]
        res["coin_outcome"] = jnp.where(oc == 0, heads >= 1, jnp.where(oc == 1, heads < n, jnp.where(
            oc == 2, (n > 0) & (heads == n), jnp.where(oc == 3, heads == 0, heads >= a[1]))))
        codes, nn = self.targets(g, ctx, a[0], None)
        ok = nn > 0
        fm = jnp.ones((2, T.S), bool)
        for i in range(3):
            fm = fm & self.filter_mask(g, ctx, a[1 + i])
        flat = fm.reshape(-1)
        res["matches"] = ok & jnp.all(jnp.where(codes >= 0, flat[jnp.clip(codes, 0)], True))
        res["exists"] = jnp.any(self.target_member(g, ctx, a[0]))
        res["card_in"] = self.zone_count(g, ctx, a[0], a[1], a[2]) >= a[3]
        hp = jnp.where(a[0] == 0, ctx.me, 1 - ctx.me)
        hc = count(s.hand[hp])
        res["hand_size"] = ((a[1] >> jnp.clip(hc, 0, 30)) & 1) == 1
        pts = s.points[hp].astype(I32)
        res["points"] = (pts >= a[1]) & ((a[2] < 0) | (pts <= a[2]))
        res["count_at_least"] = self.count(g, ctx, jnp.asarray(T.AMOUNT)[jnp.clip(a[0], 0)].astype(I32)[2:]) \
            >= a[1]
        res["history"] = self.history(g, ctx, a[0], a[1])
        out = jnp.asarray(False)
        for name, i in T.COND_OPS.items():
            if name in res:
                out = jnp.where(op == i, res[name], out)
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
        tc = jax.vmap(lambda u: self.code_of_uid(g, u))(that)
        that = compact(that, tc >= 0)
        this = jnp.where(self.code_of_uid(g, b[0]) >= 0, b[0], -1)
        hold = jnp.where(self.code_of_uid(g, b[2]) >= 0, b[2], -1)
        return ctx.replace(this=this, defending=b[1], holder=hold, that=that)

    def mods(self, g, name):
        """For each duration: whether it holds a modifier `name`, its modifier row, and its bound context."""
        T = self.T
        if name not in T.MOD_OP_IDS:
            return None
        s = g.s
        rows = jnp.asarray(T.MOD)[jnp.clip(s.dur_mod.astype(I32), 0)].astype(I32)
        active = (s.dur_mod >= 0) & (rows[:, 0] == T.MOD_OP_IDS[name])
        return active, rows

    def mod_member(self, g, d, tid):
        return self.target_member(g, self.bound_ctx(g, d), tid)

    def cant_attack(self, g, p, k):
        """Whether a CantAttack modifier stops attack k of p's Active."""
        m = self.mods(g, "cant_attack")
        if m is None:
            return jnp.asarray(False)
        active, rows = m
        T = self.T
        name = g.tab(T.ATK_NAME, g.top_card()[p, 0])[jnp.clip(k, 0, T.A - 1)]
        out = jnp.asarray(False)
        for d in range(NDUR):
            hit = active[d] & ((rows[d, 2] < 0) | (rows[d, 2] == name))
            out = out | (hit & self.mod_member(g, d, rows[d, 1])[p, 0])
        return out

    def retreat_cost(self, g):
        """(2, S) Retreat Cost of every Pokémon in play, after RetreatCost modifiers."""
        T = self.T
        cost = g.tab(T.RETREAT, g.top_card()).astype(I32)
        m = self.mods(g, "retreat_cost")
        if m is None:
            return cost
        active, rows = m
        none = jnp.zeros(cost.shape, bool)
        for d in range(NDUR):
            mem = active[d] & self.mod_member(g, d, rows[d, 1])
            none = none | (mem & (rows[d, 3] == 1))
            cost = cost + jnp.where(mem, rows[d, 2], 0)
        return jnp.where(none, 0, jnp.maximum(0, cost))

    def cant_retreat(self, g, p):
        m = self.mods(g, "cant_retreat")
        if m is None:
            return jnp.asarray(False)
        active, rows = m
        out = jnp.asarray(False)
        for d in range(NDUR):
            out = out | (active[d] & self.mod_member(g, d, rows[d, 1])[p, 0])
        return out

    def attack_damage(self, g, ctx, tp, slot, amount, main, on):
        """Damage from an attack (reference: Interpreter.attack_damage): attacker modifiers, Weakness (opponent's
        Active only), defender modifiers, prevention. Damage to the attacker's own Pokémon is placed as printed."""
        T, R = self.T, self.T.RULES
        s = g.s
        amount = jnp.asarray(amount, I32)
        own = tp == ctx.me
        g.place_damage(tp, slot, amount, on & (own | (amount <= 0)))
        on = on & ~own & (amount > 0)
        dmg = amount
        acode = self.code_of_uid(g, ctx.this)
        m = self.mods(g, "damage_dealt")
        if m is not None:
            active, rows = m
            aname = g.tab(T.ATK_NAME, ctx.card)[jnp.clip(ctx.atk, 0, T.A - 1)]
            for d in range(NDUR):
                bc = self.bound_ctx(g, d)
                att = self.target_member(g, bc, rows[d, 1]).reshape(-1)[jnp.clip(acode, 0)] & (acode >= 0)
                name_ok = (rows[d, 3] < 0) | (rows[d, 3] == aname)
                defm = self.target_member(g, bc, rows[d, 4])[tp, slot] | (rows[d, 4] < 0)
                dmg = dmg + jnp.where(active[d] & att & name_ok & defm, rows[d, 2], 0)
        dmg = jnp.maximum(0, dmg)
        tcard = g.top_card()[tp, slot]
        weak = g.tab(T.WEAKNESS, tcard)
        acard = g.top_card().reshape(-1)[jnp.clip(acode, 0)]
        is_weak = (slot == 0) & (dmg > 0) & (weak >= 0) & ~(main & ctx.ign_weak) & (g.tab(T.TYPE, acard) == weak)
        is_weak = is_weak & ~self.no_weakness(g, tp, slot)
        dmg = dmg + jnp.where(is_weak, R["weakness_bonus"], 0)
        ign = main & ctx.ign_eff
        m = self.mods(g, "damage_taken")
        if m is not None:
            active, rows = m
            for d in range(NDUR):
                bc = self.bound_ctx(g, d)
                hit = active[d] & self.target_member(g, bc, rows[d, 1])[tp, slot]
                hit = hit & self.attacker_ok(g, bc, acode, ctx.me, rows[d, 3], rows[d, 4:7])
                dmg = dmg + jnp.where(hit & ~ign, rows[d, 2], 0)
        dmg = jnp.maximum(0, dmg)
        m = self.mods(g, "prevent_damage")
        if m is not None:
            active, rows = m
            for d in range(NDUR):
                bc = self.bound_ctx(g, d)
                hit = active[d] & self.target_member(g, bc, rows[d, 1])[tp, slot]
                hit = hit & self.attacker_ok(g, bc, acode, ctx.me, rows[d, 3], rows[d, 4:7])
                small = (rows[d, 2] < 0) | (dmg <= rows[d, 2])
                dmg = jnp.where(hit & ~ign & small, 0, dmg)
        hit = on & (dmg > 0)
        g.place_damage(tp, slot, dmg, hit)
        g.set_at("attack_damaged_turn", (tp, slot), s.turn, hit & (slot == 0))

    def no_weakness(self, g, tp, slot):
        return jnp.asarray(False)

    def attacker_ok(self, g, bc, acode, attacker_player, who, filters):
        """The attacker passes a modifier's attacker filters and attacker_player (-1: any)."""
        pl = jnp.where(who == 0, bc.me, 1 - bc.me)
        ok = (who < 0) | (pl == attacker_player)
        for i in range(3):
            ok = ok & self.filter_mask(g, bc, filters[i]).reshape(-1)[jnp.clip(acode, 0)]
        return ok

    def effects_prevented(self, g, ctx, code):
        """An attack's effects (not damage) on an opponent's Pokémon are prevented (PreventEffects, or
        PreventDamage with effects)."""
        T = self.T
        p = code // T.S
        slot = code % T.S
        out = jnp.asarray(False)
        base = ctx.is_attack & (code >= 0) & (p != ctx.me)
        m = self.mods(g, "prevent_effects")
        if m is not None:
            active, rows = m
            for d in range(NDUR):
                bc = self.bound_ctx(g, d)
                who = jnp.where(rows[d, 2] == 0, bc.me, 1 - bc.me)
                out = out | (active[d] & self.target_member(g, bc, rows[d, 1])[p, slot] & (who == ctx.me))
        m = self.mods(g, "prevent_damage")
        if m is not None:
            active, rows = m
            acode = self.code_of_uid(g, ctx.this)
            for d in range(NDUR):
                bc = self.bound_ctx(g, d)
                hit = active[d] & (rows[d, 7] == 1) & self.target_member(g, bc, rows[d, 1])[p, slot]
                out = out | (hit & self.attacker_ok(g, bc, acode, ctx.me, rows[d, 3], rows[d, 4:7]))
        return base & out

    # ================================================================================================================
    # Instructions (reference: Interpreter.do_<op>); each runs only where `on`
    # ================================================================================================================
    def op_nop(self, g, ctx, a, on):
        return ctx

    def op_main(self, g, ctx, a, on):
        s = g.s
        tp = 1 - ctx.me
        here = s.stack[tp, 0, 0] >= 0
        go = on & (ctx.main > 0) & here
        before = s.damage[tp, 0].astype(I32)
        self.attack_damage(g, ctx, tp, 0, ctx.main, True, go)
        return ctx.replace(main_done=jnp.where(go, g.s.damage[tp, 0].astype(I32) - before, ctx.main_done))

    def op_attack_damage(self, g, ctx, a, on):
        n = self.amount(g, ctx, a[1])
        mode = a[0]
        new = jnp.where(mode == 0, n, jnp.where(mode == 1, ctx.main + n, jnp.maximum(0, ctx.main - n)))
        return ctx.replace(main=jnp.where(on, new, ctx.main))

    def op_does_nothing(self, g, ctx, a, on):
        return ctx.replace(main=jnp.where(on, 0, ctx.main), stopped=ctx.stopped | on)

    def op_flip(self, g, ctx, a, on):
        T = self.T
        addr = self.addr(g, ctx)
        base = ctx.rep * 256
        idx = jnp.arange(T.MAX_FLIPS)
        coins = (g.draw(addr, base + idx) & jnp.uint32(1)) == 1
        until = a[1] == 1
        n = jnp.minimum(self.amount(g, ctx, a[0]), T.MAX_FLIPS)
        first_tail = jnp.where(jnp.any(~coins), jnp.argmax(~coins), T.MAX_FLIPS - 1)
        nf = jnp.where(until, first_tail + 1, n)
        heads = jnp.sum(coins & (idx < nf))
        return ctx.replace(nflips=jnp.where(on, nf, ctx.nflips), heads=jnp.where(on, heads, ctx.heads))

    def op_if(self, g, ctx, a, on):
        ok = self.cond(g, ctx, a[0])
        return ctx.replace(pc=jnp.where(on & ~ok, a[1], ctx.pc))

    def op_jump(self, g, ctx, a, on):
        return ctx.replace(pc=jnp.where(on, a[0], ctx.pc))

    def op_repeat(self, g, ctx, a, on):
        n = self.amount(g, ctx, a[0])
        go = on & (n > 0)
        return ctx.replace(rep_outer=jnp.where(on, ctx.rep, ctx.rep_outer), rep_n=jnp.where(on, n, ctx.rep_n),
                           rep_r=jnp.where(on, 0, ctx.rep_r),
                           rep=jnp.where(go, ctx.rep * 64 + 1, ctx.rep),
                           pc=jnp.where(on & ~go, a[1], ctx.pc))

    def op_repeat_end(self, g, ctx, a, on):
        r = ctx.rep_r + 1
        again = on & (r < ctx.rep_n)
        return ctx.replace(rep_r=jnp.where(on, r, ctx.rep_r),
                           rep=jnp.where(again, ctx.rep_outer * 64 + r + 1, jnp.where(on, ctx.rep_outer, ctx.rep)),
                           pc=jnp.where(again, a[0], ctx.pc))

    def op_select(self, g, ctx, a, on):
        codes, n = self.targets(g, ctx, a[0], on, self.addr(g, ctx))
        return ctx.replace(that=jnp.where(on, self.codes_to_uids(g, codes), ctx.that))

    def op_damage(self, g, ctx, a, on):
        T = self.T
        codes, n = self.targets(g, ctx, a[1], on, self.addr(g, ctx))
        amt = self.amount(g, ctx, a[0])
        uids = self.codes_to_uids(g, codes)
        by_attack = (a[2] == 1) & ctx.is_attack
        for i in range(2 * T.S):
            c = self.code_of_uid(g, uids[i])
            go = on & (c >= 0)
            p, sl = jnp.clip(c, 0) // T.S, jnp.clip(c, 0) % T.S
            self.attack_damage(g, ctx, p, sl, amt, False, go & by_attack)
            g.place_damage(p, sl, amt, go & ~by_attack)
        return ctx.replace(that=jnp.where(on, uids, ctx.that))

    def op_heal(self, g, ctx, a, on):
        T = self.T
        codes, n = self.targets(g, ctx, a[1], on, self.addr(g, ctx))
        amt = self.amount(g, ctx, a[0])
        uids = self.codes_to_uids(g, codes)
        for i in range(2 * T.S):
            c = self.code_of_uid(g, uids[i])
            go = on & (c >= 0)
            p, sl = jnp.clip(c, 0) // T.S, jnp.clip(c, 0) % T.S
            dmg = g.s.damage[p, sl].astype(I32)
            k = jnp.where(a[0] < 0, dmg, jnp.minimum(dmg, amt))
            g.set_at("damage", (p, sl), dmg - k, go)
        return ctx.replace(that=jnp.where(on, uids, ctx.that))

    def op_apply_condition(self, g, ctx, a, on):
        T = self.T
        addr = self.addr(g, ctx)
        codes, n = self.targets(g, ctx, a[0], on, addr)
        uids = self.codes_to_uids(g, codes)
        mask, pick = a[1], a[2]
        chooser = jnp.where(a[3] == 0, ctx.me, 1 - ctx.me)
        for j in range(2 * T.S):
            c = self.code_of_uid(g, uids[j])
            go = on & (c >= 0) & ~self.effects_prevented(g, ctx, c)
            p, sl = jnp.clip(c, 0) // T.S, jnp.clip(c, 0) % T.S
            s = g.s
            have = jnp.stack([s.rot[p, sl] == ASLEEP, s.burned[p, sl], s.rot[p, sl] == CONFUSED,
                              s.rot[p, sl] == PARALYZED, s.poisoned[p, sl]])
            listed = ((mask >> jnp.arange(5)) & 1) == 1
            cand = listed & ~((a[4] == 1) & have)
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
                    g.set_at("poison_damage", (p, sl), a[5], ok & (a[5] >= 0))
        return ctx.replace(that=jnp.where(on, uids, ctx.that))

    def op_recover(self, g, ctx, a, on):
        T = self.T
        addr = self.addr(g, ctx)
        codes, n = self.targets(g, ctx, a[0], on, addr)
        uids = self.codes_to_uids(g, codes)
        for j in range(2 * T.S):
            c = self.code_of_uid(g, uids[j])
            go = on & (c >= 0)
            p, sl = jnp.clip(c, 0) // T.S, jnp.clip(c, 0) % T.S
            s = g.s
            # reference order of conditions(): the rotation condition, then Poisoned, then Burned
            rot = s.rot[p, sl].astype(I32)
            have = jnp.stack([rot != ROT_NONE, s.poisoned[p, sl], s.burned[p, sl]])
            names = jnp.stack([jnp.where(rot == ASLEEP, 0, jnp.where(rot == PARALYZED, 3, 2)),
                               jnp.asarray(4), jnp.asarray(1)])
            listed = ((a[1] >> names) & 1) == 1
            sel = have & ((a[1] == 0) | listed)
            nl = jnp.sum(sel)
            selidx = compact(jnp.arange(3, dtype=I32), sel)
            r = selidx[jnp.clip(g.randint(addr, nl, ctx.rep * 256 + j), 0, 2)]
            sel = jnp.where(a[2] == 1, sel & (jnp.arange(3) == r), sel)
            g.set_at("rot", (p, sl), ROT_NONE, go & sel[0])
            g.set_at("paralysis_left", (p, sl), 0, go & sel[0])
            g.set_at("poisoned", (p, sl), False, go & sel[1])
            g.set_at("poison_damage", (p, sl), -1, go & sel[1])
            g.set_at("burned", (p, sl), False, go & sel[2])
        return ctx.replace(that=jnp.where(on, uids, ctx.that))

    def op_draw(self, g, ctx, a, on):
        p = jnp.where(a[1] == 0, ctx.me, 1 - ctx.me)
        k = g.draw_cards(p, self.amount(g, ctx, a[0]), on)
        return ctx.replace(done=jnp.where(on, k, ctx.done))

    def op_end_turn(self, g, ctx, a, on):
        return ctx.replace(end_turn=ctx.end_turn | on)

    def op_discard_energy(self, g, ctx, a, on):
        """a: target, random, then (type, count) pairs (type -1: any; count -1: all)."""
        T = self.T
        addr = self.addr(g, ctx)
        codes, n = self.targets(g, ctx, a[0], on, addr)
        uids = self.codes_to_uids(g, codes)
        done = jnp.asarray(0, I32)
        for j in range(2 * T.S):
            c = self.code_of_uid(g, uids[j])
            go = on & (c >= 0) & ~self.effects_prevented(g, ctx, c)
            p, sl = jnp.clip(c, 0) // T.S, jnp.clip(c, 0) % T.S
            for si in range(T.MAX_ESEL):
                t, cnt = a[2 + 2 * si], a[3 + 2 * si]
                used = go & (cnt != 0) & (a[2 + 2 * si] > -2)
                # all of a type (or of every type)
                for u in range(N_ENERGY):
                    done = done + g.discard_energy(p, sl, u, g.s.energy[p, sl, u], used & (cnt < 0) &
                                                   ((t < 0) | (t == u)))
                for k in range(T.MAX_ECOUNT):
                    en = g.s.energy[p, sl].astype(I32)
                    types = (en > 0) & ((t < 0) | (jnp.arange(N_ENERGY) == t))
                    nt = jnp.sum(types)
                    step = used & (cnt > k) & (nt > 0)
                    units = jnp.cumsum(en * types)
                    r = g.randint(addr, units[-1], ctx.rep * 256 + j * 16 + si * 4 + k)
                    ru = jnp.argmax(units > r)
                    opts = compact(jnp.arange(N_ENERGY, dtype=I32), types)
                    ch = g.choose(ctx.me, PEND_ENERGY, opts, nt, False, step & (a[1] != 1))
                    u = jnp.where(a[1] == 1, ru, ch)
                    done = done + g.discard_energy(p, sl, u, 1, step & (u >= 0))
        return ctx.replace(that=jnp.where(on, uids, ctx.that), done=jnp.where(on, done, ctx.done))

    def op_attach_energy(self, g, ctx, a, on):
        """a: target, source (0 zone, 1 discard), distribute, random, then (type, count) pairs."""
        T = self.T
        addr = self.addr(g, ctx)
        codes, n = self.targets(g, ctx, a[0], on, addr)
        uids = self.codes_to_uids(g, codes)
        on = on & (n > 0)
        me = ctx.me
        units = jnp.full((T.MAX_UNITS,), -1, I32)
        nu = jnp.asarray(0, I32)
        zone = a[1] == 0
        for si in range(T.MAX_ESEL):
            t, cnt = a[4 + 2 * si], a[5 + 2 * si]
            used = cnt != 0
            # from the Energy Zone: count (or 1) Energy of the type, a random Zone type for "any"
            for k in range(T.MAX_ECOUNT):
                want = on & zone & used & (k < jnp.maximum(cnt, 1))
                u = jnp.where(t >= 0, t, g.roll_energy(me, 16 + si * 4 + k))
                units = units.at[jnp.clip(nu, 0, T.MAX_UNITS - 1)].set(jnp.where(want, u, units[jnp.clip(nu, 0, T.MAX_UNITS - 1)]))
                nu = nu + want.astype(I32)
            # from the discard pile: chosen (or random) types while there are any (count -1: all of them)
            for k in range(T.MAX_ECOUNT):
                de = g.s.discard_energy[me].astype(I32)
                avail = (de > 0) & ((t < 0) | (jnp.arange(N_ENERGY) == t))
                na = jnp.sum(avail)
                want = on & ~zone & used & ((cnt < 0) | (k < cnt)) & (na > 0)
                pool = jnp.cumsum(de * avail)
                r = g.randint(addr, pool[-1], ctx.rep * 256 + si * 16 + k)
                ru = jnp.argmax(pool > r)
                opts = compact(jnp.arange(N_ENERGY, dtype=I32), avail)
                ch = g.choose(me, PEND_ENERGY, opts, na, False, want & ~((a[3] == 1) | (na == 1)))
                u = jnp.where((a[3] == 1) | (na == 1), ru, ch)
                take = want & (u >= 0) & g.live()
                g.add_at("discard_energy", (me, jnp.clip(u, 0, 7)), -1, take)
                units = units.at[jnp.clip(nu, 0, T.MAX_UNITS - 1)].set(jnp.where(take, u, units[jnp.clip(nu, 0, T.MAX_UNITS - 1)]))
                nu = nu + take.astype(I32)
        dist = (a[2] == 1) & (n > 1)
        for i in range(T.MAX_UNITS):
            u = units[i]
            has = on & (i < nu) & g.live()
            opts = compact(codes, codes >= 0)
            c = g.choose(me, PEND_POKEMON, opts, n, False, has & dist)
            cp, cs = jnp.clip(c, 0) // T.S, jnp.clip(c, 0) % T.S
            g.add_at("energy", (cp, cs, jnp.clip(u, 0, 7)), 1, has & dist & (c >= 0))
            for j in range(2 * T.S):
                cj = self.code_of_uid(g, uids[j])
                pj, sj = jnp.clip(cj, 0) // T.S, jnp.clip(cj, 0) % T.S
                g.add_at("energy", (pj, sj, jnp.clip(u, 0, 7)), 1, has & ~dist & (cj >= 0))
        return ctx.replace(that=jnp.where(on, uids, ctx.that), done=jnp.where(on, nu, ctx.done))

    def op_switch(self, g, ctx, a, on):
        """a: player, new_active target, only_if filters (2)."""
        T = self.T
        p = jnp.where(a[0] == 0, ctx.me, 1 - ctx.me)
        here = g.s.stack[p, 0, 0] >= 0
        ok = here
        for i in range(2):
            ok = ok & self.filter_mask(g, ctx, a[2 + i])[p, 0]
        ok = ok & ~((p != ctx.me) & self.effects_prevented(g, ctx, p * T.S))
        go = on & ok
        codes, n = self.targets(g, ctx, a[1], go, self.addr(g, ctx))
        c = codes[0]
        go = go & (n > 0) & (c >= 0) & (c // T.S == p) & (c % T.S != 0)
        new_uid = self.uid_of_code(g, c)
        g.switch_active(p, c % T.S, go)
        return ctx.replace(that=jnp.where(go, jnp.full((2 * T.S,), -1, I32).at[0].set(new_uid), ctx.that))

    def op_return_pokemon(self, g, ctx, a, on):
        """a: target, to (0 hand, 1 deck)."""
        T = self.T
        addr = self.addr(g, ctx)
        codes, n = self.targets(g, ctx, a[0], on, addr)
        uids = self.codes_to_uids(g, codes)
        for j in range(2 * T.S):
            c = self.code_of_uid(g, uids[j])
            go = on & (c >= 0) & ~self.effects_prevented(g, ctx, c)
            p, sl = jnp.clip(c, 0) // T.S, jnp.clip(c, 0) % T.S
            s = g.s
            cards = jnp.concatenate([s.stack[p, sl], s.tools[p, sl]]).astype(I32)
            g.add_at("discard_energy", p, s.energy[p, sl], go)
            g.clear_slot(p, sl, go)
            g.drop_durations(uids[j], go)
            to_deck = a[1] == 1
            for ci in range(cards.shape[0]):
                g.append("deck", p, cards[ci], go & to_deck)
                g.to_hand(p, cards[ci], go & ~to_deck & (cards[ci] >= 0))
            g.shuffle_deck(p, addr & jnp.uint32(0xFFFF), go & to_deck)
        g.promote_all(on)
        return ctx

    def op_fetch(self, g, ctx, a, on):
        """a: count, card filter, source (0 deck, 1 discard), to (0 hand, 1 bench), random, player."""
        T = self.T
        addr = self.addr(g, ctx)
        p = jnp.where(a[5] == 0, ctx.me, 1 - ctx.me)
        from_deck = a[2] == 0
        to_bench = a[3] == 1
        done = jnp.asarray(0, I32)
        stop = jnp.asarray(False)
        for k in range(T.MAX_FETCH):
            s = g.s
            zone = jnp.where(from_deck, s.deck[p], s.discard[p]).astype(I32)
            cards = g.card(zone)
            ok = self.card_ok(g, ctx, a[1], cards) & (zone >= 0)
            ok = ok & jnp.where(to_bench, g.tab(T.PLAYS_AS_BASIC, cards), True)
            bench_full = jnp.all(g.occupied()[p, 1:])
            hand_full = g.hand_count(p) >= T.H
            stop = stop | jnp.where(to_bench, bench_full, hand_full) | ~jnp.any(ok)
            go = on & ~stop & (k < a[0])
            nc = jnp.sum(ok)
            cand = compact(zone, ok)
            r = cand[jnp.clip(g.randint(addr, nc, ctx.rep * 256 + k), 0, T.D - 1)]
            # the choice lists candidates sorted by (card index, instance)
            ckey = jnp.where(ok, cards * 64 + zone, 1 << 20)
            sorted_c = zone[jnp.argsort(ckey, stable=True)]
            opts = jnp.where(jnp.arange(T.D) < nc, sorted_c, -1)
            ch = g.choose(p, PEND_CARD, opts, nc, False, go & (a[4] != 1))
            inst = jnp.where(a[4] == 1, r, ch)
            go = go & (inst >= 0) & g.live()
            g.remove_value("deck", p, inst, go & from_deck)
            g.remove_value("discard", p, inst, go & ~from_deck)
            slot = jnp.argmax(~g.occupied()[p] & (jnp.arange(T.S) > 0))
            g.new_pokemon(p, slot, inst, g.s.turn, go & to_bench)
            g.append("hand", p, inst, go & ~to_bench)
            done = done + go.astype(I32)
        g.shuffle_deck(p, addr & jnp.uint32(0xFFFF), on & from_deck)
        return ctx.replace(done=jnp.where(on, done, ctx.done))

    def op_discard_cards(self, g, ctx, a, on):
        """a: player, zone (0 hand, 1 deck), count, card filter, random, chooser, up_to."""
        T = self.T
        addr = self.addr(g, ctx)
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
        done = jnp.where(godeck, k, 0)
        chooser = jnp.where(a[5] == 0, ctx.me, 1 - ctx.me)
        stop = jnp.asarray(False)
        for i in range(T.MAX_FETCH):
            hand = g.s.hand[p].astype(I32)
            cards = g.card(hand)
            ok = self.card_ok(g, ctx, a[3], cards) & (hand >= 0)
            nc = jnp.sum(ok)
            stop = stop | (nc == 0)
            go = on & ~deck & ~stop & (i < a[2])
            cand = compact(hand, ok)
            r = cand[jnp.clip(g.randint(addr, nc, ctx.rep * 256 + i), 0, T.H - 1)]
            ckey = jnp.where(ok, cards * 64 + hand, 1 << 20)
            opts = jnp.where(jnp.arange(T.H) < nc, hand[jnp.argsort(ckey, stable=True)], -1)
            ch = g.choose(chooser, PEND_CARD, opts, nc, a[6] == 1, go & (a[4] != 1))
            inst = jnp.where(a[4] == 1, r, ch)
            stop = stop | (go & (inst < 0))
            go = go & (inst >= 0) & g.live()
            g.remove_value("hand", p, inst, go)
            g.append("discard", p, inst, go)
            done = done + go.astype(I32)
        return ctx.replace(done=jnp.where(on, done, ctx.done))

    def op_shuffle_deck(self, g, ctx, a, on):
        p = jnp.where(a[0] == 0, ctx.me, 1 - ctx.me)
        g.shuffle_deck(p, self.addr(g, ctx) & jnp.uint32(0xFFFF), on)
        return ctx

    def op_optional(self, g, ctx, a, on):
        """a: end of the optional block, possibility condition. Declining skips steps and `then`."""
        possible = self.cond(g, ctx, a[1])
        ask = on & possible
        c = g.choose(ctx.me, PEND_OPTIONAL, jnp.ones((1,), I32), 1, True, ask)
        skip = on & (~possible | (ask & (c < 0)))
        return ctx.replace(pc=jnp.where(skip, a[0], ctx.pc))

    def op_lasting(self, g, ctx, a, on):
        """a: duration (0 this turn, 1 opponent's next turn, 2 your next turn, 3 until it leaves the Active
        Spot), modifier row, stacks, target mode (0 player-wide, 1 the target selects, 2 the target is a choice /
        random / That: bound to the selection), the target row."""
        T = self.T
        s = g.s
        turn = s.turn.astype(I32)
        until = jnp.where(a[0] == 0, turn, jnp.where(a[0] == 1, turn + 1, jnp.where(a[0] == 2, turn + 2, 32767)))
        mode = a[3]
        codes, n = self.targets(g, ctx, a[4], on & (mode > 0), self.addr(g, ctx))
        uids = self.codes_to_uids(g, codes)
        that = jnp.where(mode == 2, uids, ctx.that)
        prevented = jnp.asarray(False)
        for j in range(2 * T.S):
            prevented = prevented | ((codes[j] >= 0) & self.effects_prevented(g, ctx, codes[j]))
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
