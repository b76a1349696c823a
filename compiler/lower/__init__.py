"""Lowering: a loaded spec and its pool's IR → the numeric tables the generated JAX engine indexes.

`lower(loaded)` returns a `Lowered`: card tables (HP, type, stage, evolution names, attacks with costs, damage and
program ranges, ...), the effect programs as one instruction table with its target / amount / condition / filter /
modifier rows (`programs.py`), the action layout, the observation layout, the decks, the rule constants, and which
cards are refused and why. A card whose IR has an Unresolved node or an op the lowering cannot compile is refused
(named with its text), never compiled as a silent no-op; such a card can be in no deck. Card indices are the pool's
order, the same as the reference engine's CardDB, so canonical states of the two engines compare directly.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass, field

import numpy as np

from .. import ir
from ..engine_model.actions import GROUPS, ActionLayout
from ..engine_model.encoding import StateLayout
from ..pool import card_irs
from ..spec import PokemonCard, TrainerCard
from .programs import (COND_OPS, COUNT_OPS, ENERGY_TYPES, FILTER_OPS, MAX_CHOOSE, MAX_ECOUNT, MAX_FETCH,
                       MAX_FLIPS, MAX_REMOVE, MOD_OPS, POKEMON_TYPES, TRIGGER_EVENTS, VM_CAP, Pool, Unlowerable,
                       ability_cost_check, bind_target, energy_index, lower_ability, lower_attack, lower_passive,
                       lower_trigger, lower_trainer, passive_kinds, removals, steps_bound, unsupported_reason)

KINDS = {"pokemon": 0, "item": 1, "supporter": 2, "tool": 3, "stadium": 4}
MODIFIER_OPS = sorted(t.model_fields["op"].default for t in typing.get_args(typing.get_args(ir.Modifier)[0]))
"""Every modifier op of the IR, sorted: the canonical encoding's `dur_op` (as reference/export.py)."""


@dataclass
class Refused:
    """A card the engine can't play, and why (each reason names the effect and its text)."""

    card_id: str
    name: str
    reasons: list[str]


@dataclass
class Lowered:
    name: str
    rules: dict
    tables: dict[str, np.ndarray]
    consts: dict[str, typing.Any]
    card_ids: list[str]
    card_names: list[str]
    card_texts: list[str]
    refused: list[Refused]
    decks: list[dict]
    dropped_decks: list[dict]
    action_names: list[str]
    obs_layout: list[tuple[str, bool, int, int]]
    ops_used: list[str]
    mod_ops_used: list[str]
    programs: list[dict] = field(default_factory=list)
    """One entry per program: card id, effect label, text, start and end instruction."""


def rules_consts(rules) -> dict:
    """The rule constants the runtime reads (flattened names for nested rule groups)."""
    d = rules.model_dump()
    out = {k: v for k, v in d.items() if not isinstance(v, dict)}
    out.update(d["first_turn"])
    out["special_conditions"] = d["special_conditions"]
    out["knockout_points"] = d["knockout_points"]
    out["checkup_order"] = list(d["special_conditions"]["checkup_order"])
    return out


def max_targets(pool, slots: int) -> int:
    """Most Pokémon one target row of the pool can select (the VM's loops over selected Pokémon)."""
    from .programs import TARGET_KINDS
    S2 = 2 * slots
    n = 1
    for r in pool.targets.rows:
        kind = TARGET_KINDS[r[0]]
        if kind in ("each", "that"):
            return S2
        if kind in ("choose", "random_pokemon"):
            n = max(n, r[5])
    return n


def _type(name: str | None) -> int:
    return -1 if name is None else POKEMON_TYPES.index(name)


def lower(loaded) -> Lowered:
    """Lower a LoadedSpec (compiler.spec.load_spec) into engine tables."""
    rules = loaded.rules
    cards = list(loaded.cards.values())
    irs = card_irs(cards)
    N = len(cards)
    max_attacks = max([len(c.attacks) for c in cards if isinstance(c, PokemonCard)] + [1])
    layout = ActionLayout.from_rules(rules, max_attacks)
    A = layout.max_attacks
    names: dict[str, int] = {}
    for c in cards:
        names.setdefault(c.name, len(names))
    attack_names = sorted({a.name for c in cards if isinstance(c, PokemonCard) for a in c.attacks})
    pool = Pool(names, attack_names)

    i16 = np.int16
    t = {
        "KIND": np.zeros(N, np.int8), "IS_FOSSIL": np.zeros(N, bool), "STAGE": np.zeros(N, np.int8),
        "HP": np.zeros(N, i16), "TYPE": np.full(N, -1, np.int8), "WEAKNESS": np.full(N, -1, np.int8),
        "RETREAT": np.zeros(N, np.int8), "IS_EX": np.zeros(N, bool), "IS_MEGA": np.zeros(N, bool),
        "NAME": np.zeros(N, i16), "EVOLVES_FROM": np.full(N, -1, i16), "IS_BASIC": np.zeros(N, bool),
        "PLAYS_AS_BASIC": np.zeros(N, bool), "HAS_ABILITY": np.zeros(N, bool), "UNPLAYABLE": np.zeros(N, bool),
        "ATK_N": np.zeros(N, np.int8), "ATK_COST": np.zeros((N, A, 8), np.int8),
        "ATK_COLORLESS": np.zeros((N, A), np.int8), "ATK_DAMAGE": np.zeros((N, A), i16),
        "ATK_NAME": np.full((N, A), -1, i16), "ATK_PROG": np.zeros((N, A), i16), "ATK_PROG_END": np.zeros((N, A), i16),
        "ATK_REQ": np.full((N, A), -1, i16), "ATK_IGN_WEAK": np.zeros((N, A), bool),
        "ATK_IGN_EFF": np.zeros((N, A), bool), "TR_PROG": np.zeros(N, i16), "TR_PROG_END": np.zeros(N, i16),
        "TR_REQ": np.full(N, -1, i16), "TR_REMOVE": np.full((N, MAX_REMOVE), -1, i16),
        "TR_BIND": np.full(N, -1, i16),
        "ATK_REMOVE": np.full((N, A, MAX_REMOVE), -1, i16),
        "AB_PROG": np.zeros(N, i16), "AB_PROG_END": np.zeros(N, i16), "AB_REQ": np.full(N, -1, i16),
        "AB_BIND": np.full(N, -1, i16), "AB_REMOVE": np.full((N, MAX_REMOVE), -1, i16),
        "AB_ONCE": np.zeros(N, bool), "AB_ACTIVATED": np.zeros(N, bool), "AB_COST": np.full((N, 3), -1, i16),
        "TRIG_EVENT": np.full(N, -1, np.int8), "TRIG_ETYPE": np.full(N, -1, np.int8),
        "TRIG_ACTIVE": np.zeros(N, bool), "PAS_MOD": np.full(N, -1, i16),
    }
    refused: list[Refused] = []
    passives: list = []
    passive_ids: list[str] = []
    requirements: list = []
    programs: list[dict] = []
    instrs = []
    vm_steps = 0
    texts: list[str] = []

    def place(code, card, label, text) -> tuple[int, int]:
        nonlocal vm_steps
        bound = steps_bound(code)
        if bound > VM_CAP:
            raise Unlowerable(f"a program that can run {bound} instructions (more than {VM_CAP})")
        start = len(instrs)
        for ins in code:
            args = list(ins.args)
            jumps = {"if": (3,), "jump": (2,), "repeat": (2,), "repeat_end": (2,), "optional": (2,),
                     "choose_one": (3, 4, 5, 6)}.get(ins.op, ())
            for j in jumps:
                if args[j] >= 0:
                    args[j] += start
            instrs.append((ins.op, args, ins.path, card.id, label))
        vm_steps = max(vm_steps, bound)
        programs.append({"card": card.id, "name": card.name, "effect": label, "text": text or "",
                         "start": start, "end": len(instrs)})
        return start, len(instrs)

    for i, (card, cir) in enumerate(zip(cards, irs)):
        reasons: list[str] = []
        t["NAME"][i] = names[card.name]
        saved = (len(instrs), len(programs))
        if isinstance(cir, Exception):
            reasons.append(f"the parser failed on this card: {type(cir).__name__}")
            cir = None
        if isinstance(card, PokemonCard):
            t["KIND"][i] = 0
            t["STAGE"][i] = {"basic": 0, "stage1": 1, "stage2": 2}[card.stage]
            t["HP"][i] = card.hp
            t["TYPE"][i] = _type(card.type)
            t["WEAKNESS"][i] = _type(card.weakness)
            t["RETREAT"][i] = card.retreat
            t["IS_EX"][i], t["IS_MEGA"][i] = card.is_ex, card.is_mega
            t["IS_BASIC"][i] = t["PLAYS_AS_BASIC"][i] = card.stage == "basic"
            if card.evolves_from:
                t["EVOLVES_FROM"][i] = pool.name_id(card.evolves_from)
            t["ATK_N"][i] = len(card.attacks)
            texts.append(" / ".join(f"{a.name}: {a.text}" for a in card.attacks if a.text)
                         + (f" / Ability {card.ability.name}: {card.ability.text}" if card.ability else ""))
            for k, a in enumerate(card.attacks):
                t["ATK_NAME"][i, k] = attack_names.index(a.name)
                for sym in a.cost:
                    ti = POKEMON_TYPES.index(sym)
                    if ti >= 8:
                        t["ATK_COLORLESS"][i, k] += 1
                    else:
                        t["ATK_COST"][i, k, ti] += 1
                if cir is None:
                    continue
                ca = cir.attacks[k]
                t["ATK_DAMAGE"][i, k] = ca.base_damage
                why = unsupported_reason(ca.effect)
                if why:
                    reasons.append(f"attack {a.name!r}: {why}: {a.text}")
                    continue
                try:
                    code, ign_w, ign_e = lower_attack(pool, ca.effect)
                    t["ATK_REQ"][i, k] = pool.cond(ca.effect.requirement)
                    t["ATK_REMOVE"][i, k] = removals(pool, ca.effect)
                    t["ATK_PROG"][i, k], t["ATK_PROG_END"][i, k] = place(code, card, f"attack {a.name}", a.text)
                    t["ATK_IGN_WEAK"][i, k], t["ATK_IGN_EFF"][i, k] = ign_w, ign_e
                except Unlowerable as e:
                    reasons.append(f"attack {a.name!r}: {e} not lowered yet: {a.text}")
            if cir is not None and cir.ability is not None:
                t["HAS_ABILITY"][i] = True
                ab, label = cir.ability, f"Ability {card.ability.name!r}"
                why = unsupported_reason(ab)
                if why:
                    reasons.append(f"{label}: {why}: {card.ability.text}")
                else:
                    try:
                        lower_ability_of(pool, t, i, ab, lambda code: place(
                            code, card, f"Ability {card.ability.name}", card.ability.text))
                        if isinstance(ab, ir.Passive):
                            passives.append(ab)
                            passive_ids.append(card.id)
                        elif ab.requirement is not None:
                            requirements.append((ab.requirement, card.id))
                    except Unlowerable as e:
                        reasons.append(f"{label}: {e} not lowered yet: {card.ability.text}")
        else:
            t["KIND"][i] = KINDS[card.trainer_kind]
            t["IS_FOSSIL"][i] = card.is_fossil
            texts.append(card.text)
            eff = cir.trainer if cir is not None else None
            if card.is_fossil:
                t["TYPE"][i] = POKEMON_TYPES.index("Colorless")
                if isinstance(eff, ir.Fossil):
                    t["HP"][i] = eff.hp
                    t["TYPE"][i] = _type(eff.type)
                    t["PLAYS_AS_BASIC"][i] = True
                else:
                    reasons.append("text: a fossil's text must parse to a Fossil node")
            elif eff is None:
                reasons.append("text: no IR")
            elif isinstance(eff, ir.TrainerEffect):
                try:
                    t["TR_REQ"][i] = pool.cond(eff.requirement)
                    t["TR_REMOVE"][i] = removals(pool, eff)
                    t["TR_BIND"][i] = bind_target(pool, eff.requirement)
                    t["TR_PROG"][i], t["TR_PROG_END"][i] = place(lower_trainer(pool, eff), card, "text", card.text)
                except Unlowerable as e:
                    reasons.append(f"text: {e} not lowered yet: {card.text}")
            else:
                why = unsupported_reason(eff) or f"{eff.op} not lowered yet"
                reasons.append(f"text: {why}: {card.text}")
        if reasons:
            t["UNPLAYABLE"][i] = True
            refused.append(Refused(card.id, card.name, reasons))
            del instrs[saved[0]:]  # a refused card keeps no instructions (its rows are unused data)
            del programs[saved[1]:]
            for key in ("ATK_PROG", "ATK_PROG_END"):
                t[key][i] = 0
            t["AB_PROG"][i] = t["AB_PROG_END"][i] = 0
            t["AB_ACTIVATED"][i] = False
            t["TRIG_EVENT"][i] = -1
            t["PAS_MOD"][i] = -1
            t["TR_PROG"][i] = t["TR_PROG_END"][i] = 0

    low = _assemble(loaded, rules, layout, pool, t, instrs, programs, refused, vm_steps, cards, texts)
    out = {r.card_id for r in refused}
    low.consts["PASSIVE_KINDS"] = passive_kinds([p for p, cid in zip(passives, passive_ids) if cid not in out])
    low.consts["ABILITY_KINDS"] = passive_kinds([r for r, cid in requirements if cid not in out])
    return low


def lower_ability_of(pool, t, i, ab, place) -> None:
    """Card i's Ability into its table rows: a passive's modifier, an activated or triggered Ability's program
    (placed by `place`) with its checks."""
    t["AB_ONCE"][i] = getattr(ab, "once", False)
    if isinstance(ab, ir.Passive):
        t["PAS_MOD"][i], t["AB_REQ"][i], t["AB_BIND"][i] = lower_passive(pool, ab)
        return
    t["AB_REQ"][i] = pool.cond(ab.requirement)
    if isinstance(ab, ir.Activated):
        t["AB_BIND"][i] = bind_target(pool, ab.requirement)
        t["AB_REMOVE"][i] = removals(pool, ab)
        t["AB_COST"][i] = ability_cost_check(pool, ab.cost)
        code = lower_ability(pool, ab)
        t["AB_ACTIVATED"][i] = True
    else:
        code = lower_trigger(pool, ab)
        trig = ab.trigger
        t["TRIG_EVENT"][i] = TRIGGER_EVENTS.index(trig.event)
        t["TRIG_ETYPE"][i] = -1 if trig.energy_type is None else energy_index(trig.energy_type)
        t["TRIG_ACTIVE"][i] = trig.while_active
    t["AB_PROG"][i], t["AB_PROG_END"][i] = place(code)


def _assemble(loaded, rules, layout, pool, t, instrs, programs, refused, vm_steps, cards, texts) -> Lowered:
    ops = sorted({op for op, *_ in instrs} | {"nop"})
    plen = max([len(p) for _, _, p, _, _ in instrs] + [1])
    width = max([len(a) for _, a, _, _, _ in instrs] + [1])
    NI = max(1, len(instrs))
    instr = np.zeros((NI, 1 + width), np.int16)
    instr[:, 0] = ops.index("nop")
    ipath = np.zeros((NI, plen), np.int32)
    iplen = np.zeros(NI, np.int8)
    for j, (op, args, path, _cid, _label) in enumerate(instrs):
        instr[j, 0] = ops.index(op)
        instr[j, 1:1 + len(args)] = args
        instr[j, 1 + len(args):] = -1
        ipath[j, :len(path)] = path
        iplen[j] = len(path)

    def rows(r, width):
        arr = np.array(r.rows if r.rows else [(-1,) * width], dtype=np.int16).reshape(-1, width)
        return arr
    t.update({"INSTR": instr, "INSTR_PATH": ipath, "INSTR_PLEN": iplen, "FILTER": rows(pool.filters, 4),
              "TARGET": rows(pool.targets, 12), "AMOUNT": rows(pool.amounts, 6), "COND": rows(pool.conds, 8),
              "CARDF": rows(pool.cardfs, 5), "MOD": rows(pool.mods, 10)})
    ns = pool.namesets.rows or [(-1,) * 8]
    t["NAMESET"] = np.array(ns, dtype=np.int16).reshape(-1, 8)
    t["MOD_CANON_OP"] = np.array([MODIFIER_OPS.index(MOD_OPS[r[0]]) for r in pool.mods.rows] or [-1], np.int8)
    # action layout
    names = layout.names()
    NA = layout.size
    kinds = np.zeros(NA, np.int8)
    hand = np.zeros(NA, np.int8)
    slot = np.zeros(NA, np.int8)
    index = np.zeros(NA, np.int8)
    for a in range(NA):
        d = layout.decode(a)
        kinds[a] = GROUPS.index(d.kind)
        hand[a], slot[a], index[a] = max(d.hand, 0), max(d.slot, 0), max(d.index, 0)
    t.update({"ACT_KIND": kinds, "ACT_HAND": hand, "ACT_SLOT": slot, "ACT_INDEX": index})
    # decks
    playable = {c.id for c, u in zip(cards, t["UNPLAYABLE"]) if not u}
    index_of = {c.id: i for i, c in enumerate(cards)}
    decks, dropped = [], []
    for d in loaded.spec.decks:
        bad = sorted(cid for cid in d.cards if cid not in playable)
        entry = {"name": d.name, "energy": list(d.energy),
                 "cards": [index_of[cid] for cid, n in d.cards.items() for _ in range(n)]}
        (dropped if bad else decks).append(entry | ({"refused_cards": bad} if bad else {}))
    E = rules.max_energy_types
    t["DECK_CARDS"] = np.array([d["cards"] for d in decks], np.int16).reshape(len(decks), rules.deck_size)
    t["DECK_ENERGY"] = np.array([[ENERGY_TYPES.index(e) for e in d["energy"]] + [-1] * (E - len(d["energy"]))
                                 for d in decks], np.int8).reshape(len(decks), E)
    # observation layout: the canonical observation's fields, per-player ones with the observer first
    st = StateLayout.from_rules(rules, layout.max_options).fields()
    st["hand_count"] = ((2,), np.dtype(np.int8))
    st["deck_count"] = ((2,), np.dtype(np.int8))
    obs_layout, pos = [], 0
    for name, (shape, _dt) in st.items():
        size = int(np.prod(shape)) if shape else 1
        obs_layout.append((name, bool(shape) and shape[0] == 2, pos, pos + size))
        pos += size
    consts = {"S": layout.slots, "D": rules.deck_size, "H": rules.hand_limit, "B": rules.bench_size,
              "A": layout.max_attacks, "M": layout.max_options, "E": E, "TOOLS": max(1, rules.tools_per_pokemon),
              "N": len(cards), "NUM_ACTIONS": NA, "OBS_SIZE": pos, "VM_STEPS": vm_steps, "MAX_FLIPS": MAX_FLIPS,
              "MAX_CHOOSE": pool.max_choose, "MAX_ESEL": pool.max_esel, "MAX_ECOUNT": MAX_ECOUNT,
              "MAX_FETCH": MAX_FETCH, "MAX_UNITS": max(pool.max_units, 1),
              "MAX_TARGETS": max_targets(pool, layout.slots), "ACT_KINDS": list(GROUPS),
              "ACT_OFFSETS": dict(layout.offsets),
              "ACT_CHOOSE": layout.offsets["choose"], "ACT_CHOOSE_DONE": layout.offsets["choose_done"],
              "OPS": ops, "FILTER_OPS": {n: i for i, n in enumerate(FILTER_OPS)},
              "COUNT_OPS": {n: i for i, n in enumerate(COUNT_OPS)},
              "COND_OPS": {n: i for i, n in enumerate(COND_OPS)}, "MOD_OPS": list(MOD_OPS),
              "MOD_OP_IDS": {n: i for i, n in enumerate(MOD_OPS) if n in pool.mod_ops_used},
              "FILTER_USED": frozenset(FILTER_OPS[r[0]] for r in pool.filters.rows),
              "COUNT_USED": frozenset(COUNT_OPS[r[2]] for r in pool.amounts.rows if r[0] == 1),
              "COND_USED": frozenset(COND_OPS[r[0]] for r in pool.conds.rows),
              "TARGET_USED": frozenset(r[0] for r in pool.targets.rows)}
    assert MAX_CHOOSE >= pool.max_choose
    return Lowered(name=loaded.spec.name, rules=rules_consts(rules), tables=t, consts=consts,
                   card_ids=[c.id for c in cards], card_names=[c.name for c in cards], card_texts=texts,
                   refused=refused, decks=decks, dropped_decks=dropped, action_names=names, obs_layout=obs_layout,
                   ops_used=[o for o in ops if o != "nop" or any(op == "nop" for op, *_ in instrs)],
                   mod_ops_used=sorted(pool.mod_ops_used), programs=programs)
