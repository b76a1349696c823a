"""IR → effect programs: each effect becomes a run of VM instructions; targets, amounts, conditions, filters,
card filters and lasting modifiers become rows of their own tables (deduplicated, so equal nodes share a row).

The instruction set is documented in docs/backend.md; the VM that runs it is codegen_templates/runtime/effects.py.
A node this lowering cannot compile raises `Unlowerable` with the reason: the card is then refused by the build,
never compiled as a silent no-op.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .. import ir

ENERGY_TYPES = ("Grass", "Fire", "Water", "Lightning", "Psychic", "Fighting", "Darkness", "Metal")
POKEMON_TYPES = ENERGY_TYPES + ("Dragon", "Colorless")
COND_NAMES = ("Asleep", "Burned", "Confused", "Paralyzed", "Poisoned")
ROTATION = ("Asleep", "Confused", "Paralyzed")
"""The Special Conditions that replace each other (docs/rules.md)."""

FILTER_OPS = ("type_is", "stage_is", "is_ex", "name_is", "evolves_from", "damaged", "has_energy",
              "energy_types_at_least", "has_tool", "has_ability", "has_condition", "hp_at_most", "retreat_at_least",
              "in_zone")
COUNT_OPS = ("heads", "energy_count", "pokemon_count", "card_count", "damage_on", "retreat_cost_of", "done_count",
             "damage_done", "points_to_win")
COND_OPS = ("coin_outcome", "matches", "exists", "card_in", "hand_size", "points", "history", "count_at_least", "all")
MOD_OPS = ("damage_dealt", "damage_taken", "prevent_damage", "prevent_effects", "cant_attack", "cant_retreat",
           "retreat_cost", "attack_cost", "attack_flip", "no_weakness", "cant_play")
HISTORY_EVENTS = ("played_supporter_this_turn", "ko_last_turn", "used_attack_last_turn", "moved_to_active_this_turn",
                  "evolved_this_turn", "damaged_last_turn_while_active", "ko_by_this_attack", "your_first_turn")
TARGET_KINDS = ("this", "tool_holder", "defending", "attacking", "that", "active", "each", "choose", "random_pokemon")
CARD_KINDS = ("card", "pokemon", "trainer", "item", "supporter", "tool")
ZONES = {"hand": 0, "deck": 1, "discard": 2}
PLAYER = {"you": 0, "opponent": 1, "both": 2}
VM_CAP = 1024
"""Most instructions one program may run (the VM's bound on a program's iterations is the pool's longest run)."""
MAX_FLIPS = 64
"""Most coins one flip shows (reference.effects.MAX_FLIPS)."""
MAX_ESEL = 3
"""Energy selections one step may have (rows are padded to it; the runtime loops over the pool's most)."""
MAX_ECOUNT = 4
MAX_FETCH = 6
MAX_CHOOSE = 4
MAX_REMOVE = 2
MAX_OPTIONS = 4
"""Options of one ChooseOne."""
"""ReturnPokemon / DiscardPokemon steps one effect may have (checked before it is played: docs/rules.md)."""


class Unlowerable(Exception):
    """An IR node this lowering cannot compile (yet); the message names it."""


def energy_index(name: str | None) -> int:
    """An Energy type's index, -1 for any type (None, Colorless, Dragon), as reference.effects.energy_index."""
    if name is None or name in ("Colorless", "Dragon"):
        return -1
    return POKEMON_TYPES.index(name)


def player_code(who: str) -> int:
    return PLAYER[who]


@dataclass
class Rows:
    """A deduplicated table of fixed-width int rows."""

    width: int
    rows: list[tuple[int, ...]] = field(default_factory=list)
    index: dict[tuple[int, ...], int] = field(default_factory=dict)

    def add(self, values: list[int]) -> int:
        if len(values) > self.width:
            raise Unlowerable(f"row too wide ({len(values)} > {self.width})")
        row = tuple(values) + (-1,) * (self.width - len(values))
        if row not in self.index:
            self.index[row] = len(self.rows)
            self.rows.append(row)
        return self.index[row]


@dataclass
class Instr:
    op: str
    args: list[int]
    path: tuple[int, ...]
    bound: int = 0
    """A Repeat's most iterations (for `steps_bound`)."""


class Pool:
    """Every table the programs of one pool share (names, attack names, rows)."""

    def __init__(self, names: dict[str, int], attack_names: list[str]):
        self.names = names
        self.attack_names = attack_names
        self.filters = Rows(4)
        self.targets = Rows(12)
        self.amounts = Rows(6)
        self.conds = Rows(8)
        self.cardfs = Rows(5)
        self.mods = Rows(10)
        self.namesets = Rows(8)
        self.instrs: list[Instr] = []
        self.ops_used: set[str] = set()
        self.mod_ops_used: set[str] = set()
        self.max_choose = 1
        self.max_units = 1
        self.max_esel = 1

    # --- names ----------------------------------------------------------------------------------------------------
    def name_id(self, name: str) -> int:
        if name not in self.names:
            self.names[name] = len(self.names)  # a name no card has: never matches
        return self.names[name]

    def attack_name_id(self, name: str) -> int:
        return self.attack_names.index(name) if name in self.attack_names else -2

    # --- filters, targets ------------------------------------------------------------------------------------------
    def filter(self, f) -> int:
        op = f.op
        if op not in FILTER_OPS:
            raise Unlowerable(f"filter {op!r}")
        code = FILTER_OPS.index(op)
        if op == "type_is":
            args = [sum(1 << POKEMON_TYPES.index(t) for t in f.types)]
        elif op == "stage_is":
            args = [{"basic": 0, "stage1": 1, "stage2": 2, "evolution": 3}[f.stage]]
        elif op == "is_ex":
            args = [int(f.value), int(f.mega)]
        elif op == "name_is":
            ids = sorted(self.name_id(n) for n in f.names)
            if len(ids) > 8:
                raise Unlowerable("a name filter with more than 8 names")
            args = [self.namesets.add(ids)]
        elif op == "evolves_from":
            args = [self.name_id(f.name) if f.name is not None else -1]
        elif op == "damaged":
            args = [int(f.value)]
        elif op == "has_energy":
            args = [energy_index(f.energy_type), f.at_least, int(f.extra)]
        elif op == "energy_types_at_least":
            args = [f.count]
        elif op == "has_tool":
            args = [int(f.value)]
        elif op == "has_ability":
            args = []
        elif op == "has_condition":
            args = [sum(1 << COND_NAMES.index(c) for c in f.conditions)]
        elif op == "hp_at_most":
            args = [f.hp, int(f.remaining)]
        elif op == "retreat_at_least":
            args = [f.count]
        else:  # in_zone
            args = [0 if f.zone == "active" else 1]
        return self.filters.add([code] + args)

    def filter_list(self, filters, n: int) -> list[int]:
        if len(filters) > n:
            raise Unlowerable(f"more than {n} filters on one selection")
        return [self.filter(f) for f in filters] + [-1] * (n - len(filters))

    def among(self, am) -> list[int]:
        zone = {"active": 0, "bench": 1, "in_play": 2}[am.zone]
        return [player_code(am.player), zone, int(am.other)]

    def target(self, t, allow_choice: bool = True) -> int:
        op = t.op
        if op not in TARGET_KINDS:
            raise Unlowerable(f"target {op!r}")  # a node this lowering doesn't know: refused, never a crash
        kind = TARGET_KINDS.index(op)
        if op in ("choose", "random_pokemon") and not allow_choice:
            raise Unlowerable(f"a {op} target where only a fixed selection is allowed")
        if op == "active":
            row = [kind, player_code(t.player), 0, 0, 0, 0, 0, 0] + self.filter_list(t.filters, 4)
        elif op in ("each", "choose", "random_pokemon"):
            am = t.among
            cnt = getattr(t, "count", 0)
            if op in ("choose", "random_pokemon"):
                if cnt > MAX_CHOOSE:
                    raise Unlowerable(f"a selection of {cnt} Pokémon")
                self.max_choose = max(self.max_choose, cnt)
            row = [kind, 0] + self.among(am) + [cnt, int(getattr(t, "up_to", False)),
                                                 player_code(getattr(t, "chooser", "you"))] \
                + self.filter_list(am.filters, 4)
        else:
            row = [kind]
        return self.targets.add(row)

    def each(self, am) -> int:
        return self.target(ir.Each(among=am))

    # --- amounts, counts ------------------------------------------------------------------------------------------
    def count(self, c) -> list[int]:
        op = c.op
        if op not in COUNT_OPS:
            raise Unlowerable(f"count {op!r}")
        code = COUNT_OPS.index(op)
        if op == "energy_count":
            return [code, self.target(c.target, False), energy_index(c.energy_type)]
        if op == "pokemon_count":
            return [code, self.each(c.among)]
        if op == "card_count":
            return [code, player_code(c.player), ZONES[c.zone], self.cardf(c.filter)]
        if op in ("damage_on", "retreat_cost_of"):
            return [code, self.target(c.target, False)]
        if op == "points_to_win":
            return [code, player_code(c.player)]
        return [code]

    def amount(self, a) -> int:
        if a is None:
            return -1
        if a.op == "const":
            return self.amounts.add([0, a.value])
        return self.amounts.add([1, a.each] + self.count(a.count))

    def cardf(self, cf) -> int:
        if cf.kind not in CARD_KINDS:
            raise Unlowerable(f"a {cf.kind} card filter")
        return self.cardfs.add([CARD_KINDS.index(cf.kind)] + self.filter_list(cf.filters, 4))

    # --- conditions -----------------------------------------------------------------------------------------------
    def cond(self, c, neg: bool = False) -> int:
        if c is None:
            return -1
        if c.op == "not":
            return self.cond(c.condition, not neg)
        if c.op == "all":
            subs = [self.cond(x) for x in c.conditions]
            if len(subs) > 4 or any(self.conds.rows[i][0] == COND_OPS.index("all") for i in subs):
                raise Unlowerable("an All of more than 4 conditions, or nested All")
            return self.conds.add([COND_OPS.index("all"), int(neg)] + subs)
        return self.conds.add(self.cond_leaf(c, neg))

    def cond_leaf(self, c, neg: bool) -> list[int]:
        op = c.op
        if op not in COND_OPS:
            raise Unlowerable(f"condition {op!r}")
        head = [COND_OPS.index(op), int(neg)]
        if op == "coin_outcome":
            return head + [("heads", "tails", "all_heads", "all_tails", "at_least").index(c.outcome), c.count]
        if op == "matches":
            return head + [self.target(c.target, False)] + self.filter_list(c.filters, 3)
        if op == "exists":
            return head + [self.each(c.among)]
        if op == "card_in":
            return head + [player_code(c.player), ZONES[c.zone], self.cardf(c.filter), c.at_least]
        if op == "hand_size":
            if any(n > 30 for n in c.sizes):
                raise Unlowerable("a hand size above 30")
            return head + [player_code(c.player), sum(1 << n for n in c.sizes)]
        if op == "points":
            return head + [player_code(c.player), c.at_least, -1 if c.at_most is None else c.at_most]
        if op == "history":
            name = self.attack_name_id(c.name) if c.name is not None else -1
            return head + [HISTORY_EVENTS.index(c.event), name]
        # count_at_least
        return head + [self.amounts.add([1, 1] + self.count(c.count)), c.value]

    # --- lasting modifiers ----------------------------------------------------------------------------------------
    def modifier(self, m, lasting: bool = True) -> tuple[int, int, int]:
        """(modifier row, target mode, target row) of a Lasting step's modifier (see op_lasting), or of a passive
        Ability's (`lasting` False: its targets read in the Ability's context as they are; mode 0)."""
        op = m.op
        if op not in MOD_OPS:
            raise Unlowerable(f"{'lasting' if lasting else 'passive'} modifier {op!r}")
        self.mod_ops_used.add(op)
        fld = pokemon_field(m)
        tnode = getattr(m, fld) if fld else None
        mode, trow = 0, -1
        if not lasting:
            pass
        elif tnode is not None and tnode.op in ("choose", "random_pokemon", "that"):
            mode, trow = 2, self.target(tnode)
            m = m.model_copy(update={fld: ir.That()})
        elif tnode is not None and tnode.op not in ("active", "each"):
            mode, trow = 1, self.target(tnode)
        code = MOD_OPS.index(op)
        if op == "damage_dealt":
            row = [code, self.target(m.attacker, False), m.delta,
                   self.attack_name_id(m.attack_name) if m.attack_name else -1,
                   self.target(m.defender, False) if m.defender is not None else -1]
        elif op in ("damage_taken", "prevent_damage"):
            who = -1 if m.attacker_player is None else player_code(m.attacker_player)
            third = m.delta if op == "damage_taken" else (-1 if m.at_most is None else m.at_most)
            row = [code, self.target(m.target, False), third, who] + self.filter_list(m.attacker, 3)
            if op == "prevent_damage":
                row.append(int(m.effects))
        elif op == "prevent_effects":
            row = [code, self.target(m.target, False), player_code(m.attacker_player)]
        elif op == "cant_attack":
            row = [code, self.target(m.target, False),
                   self.attack_name_id(m.attack_name) if m.attack_name else -1]
        elif op == "cant_retreat":
            row = [code, self.target(m.target, False)]
        elif op == "retreat_cost":
            row = [code, self.target(m.target, False), m.delta, int(m.none)]
        elif op == "attack_cost":
            row = [code, self.target(m.target, False), m.delta, energy_index(m.energy_type)]
        elif op == "cant_play":
            row = [code, -1, player_code(m.player), ("pokemon", "item", "supporter", "tool", "stadium").index(m.card)]
        else:  # attack_flip, no_weakness
            row = [code, self.target(m.target, False)]
        return self.mods.add(row), mode, trow


def pokemon_field(m) -> str | None:
    """The field naming the Pokémon a modifier is on (reference.effects.pokemon_field): `target`, or a
    DamageDealt's `attacker`."""
    fields = type(m).model_fields
    return "target" if "target" in fields else "attacker" if "attacker" in fields else None


def removals(pool: Pool, node) -> list[int]:
    """Target rows of the ReturnPokemon / DiscardPokemon steps of an effect (for the legality check that no play
    may leave you with no Pokémon in play), -1 padded."""
    steps = [n for n in ir.iter_nodes(node) if isinstance(n, (ir.ReturnPokemon, ir.DiscardPokemon))]
    if len(steps) > MAX_REMOVE:
        raise Unlowerable(f"more than {MAX_REMOVE} steps that return or discard Pokémon")
    return [pool.target(n.target) for n in steps] + [-1] * (MAX_REMOVE - len(steps))


def bind_target(pool: Pool, req) -> int:
    """The target a Matches requirement binds `That` to (reference: bind_requirement), or -1."""
    if req is not None and req.op == "matches":
        return pool.target(req.target, False)
    return -1


class Program:
    """The instructions of one effect, as they are emitted (jump targets relative to the program's start)."""

    def __init__(self, pool: Pool):
        self.pool = pool
        self.code: list[Instr] = []

    def emit(self, op: str, args: list[int], path: tuple[int, ...], target: int = -1, amount: int = -1) -> int:
        """Append an instruction row (op, target row, amount row, args); returns its index."""
        self.pool.ops_used.add(op)
        self.code.append(Instr(op, [target, amount] + list(args), path))
        return len(self.code) - 1

    def patch(self, at: int, arg: int, value: int) -> None:
        """Set argument `arg` (after the target and amount columns) of instruction `at` (a jump target)."""
        self.code[at].args[2 + arg] = value

    def steps(self, steps, path: tuple[int, ...], in_repeat: bool = False) -> None:
        for i, st in enumerate(steps):
            self.step(st, path + (i,), in_repeat)

    def step(self, st, path: tuple[int, ...], in_repeat: bool = False) -> None:
        P = self.pool
        op = st.op
        if op == "attack_damage":
            self.emit("attack_damage", [("set", "more", "less").index(st.mode)], path, amount=P.amount(st.amount))
        elif op == "attack_does_nothing":
            self.emit("does_nothing", [], path)
        elif op == "damage":
            self.emit("damage", [int(st.by_attack)], path, P.target(st.target), P.amount(st.amount))
        elif op == "heal":
            self.emit("heal", [int(st.amount is None)], path, P.target(st.target), P.amount(st.amount))
        elif op == "apply_condition":
            # The VM applies a set of conditions in canonical order. That is the listed order's meaning too when
            # all are applied and the ones that replace each other (Asleep, Confused, Paralyzed) keep their order.
            rot = [c for c in st.conditions if c in ROTATION]
            if (st.pick != "all" and list(st.conditions) != sorted(st.conditions, key=COND_NAMES.index)) \
                    or rot != sorted(rot, key=COND_NAMES.index):
                raise Unlowerable("Special Conditions to pick from, not listed in canonical order")
            self.emit("apply_condition", [sum(1 << COND_NAMES.index(c) for c in st.conditions),
                                          ("all", "random", "choose").index(st.pick), player_code(st.chooser),
                                          int(st.exclude_existing),
                                          -1 if st.poison_damage is None else st.poison_damage], path,
                      P.target(st.target))
        elif op == "recover":
            self.emit("recover", [sum(1 << COND_NAMES.index(c) for c in st.conditions), int(st.random)], path,
                      P.target(st.target))
        elif op == "flip":
            self.emit("flip", [int(st.until_tails)], path, amount=P.amount(st.count))
        elif op == "if":
            if st.condition.op == "matches":  # That = the condition's subject (reference: do_if)
                self.emit("select", [], path, P.target(st.condition.target, False))
            at = self.emit("if", [P.cond(st.condition), -1], path)
            self.steps(st.then, path + (0,), in_repeat)
            if st.otherwise:
                jump = self.emit("jump", [-1], path)
                self.patch(at, 1, len(self.code))
                self.steps(st.otherwise, path + (1,), in_repeat)
                self.patch(jump, 0, len(self.code))
            else:
                self.patch(at, 1, len(self.code))
        elif op == "repeat":
            if in_repeat:
                raise Unlowerable("a Repeat inside a Repeat")
            times = repeat_bound(st.times)
            at = self.emit("repeat", [-1], path, amount=P.amount(st.times))
            self.code[at].bound = times
            body = len(self.code)
            self.steps(st.steps, path, True)
            self.emit("repeat_end", [body], path)
            self.patch(at, 0, len(self.code))
        elif op == "select":
            self.emit("select", [], path, P.target(st.target))
        elif op == "draw":
            self.emit("draw", [player_code(st.player)], path, amount=P.amount(st.amount))
        elif op in ("discard_energy", "attach_energy"):
            sels = []
            if len(st.energy) > MAX_ESEL:
                raise Unlowerable(f"more than {MAX_ESEL} Energy selections")
            units = 0
            P.max_esel = max(P.max_esel, len(st.energy))
            for sel in st.energy:
                if sel.count is not None and sel.count > MAX_ECOUNT:
                    raise Unlowerable(f"more than {MAX_ECOUNT} Energy in one selection")
                units += MAX_ECOUNT if sel.count is None else max(1, sel.count)
                sels += [energy_index(sel.energy_type), -1 if sel.count is None else sel.count]
            sels += [-2, 0] * (MAX_ESEL - len(st.energy))
            if op == "discard_energy":
                self.emit("discard_energy", [int(st.random)] + sels, path, P.target(st.target))
            else:
                P.max_units = max(P.max_units, units)
                self.emit("attach_energy", [0 if st.source == "zone" else 1, int(st.distribute), int(st.random)]
                          + sels, path, P.target(st.target))
        elif op == "switch":
            if len(st.only_if) > 2:
                raise Unlowerable("a Switch with more than 2 conditions")
            self.emit("switch", [player_code(st.player)] + P.filter_list(st.only_if, 2), path,
                      P.target(st.new_active))
        elif op == "return_pokemon":
            self.emit("return_pokemon", [0 if st.to == "hand" else 1], path, P.target(st.target))
        elif op == "fetch":
            if st.count > MAX_FETCH:
                raise Unlowerable(f"a search for more than {MAX_FETCH} cards")
            self.emit("fetch", [st.count, P.cardf(st.filter), 0 if st.source == "deck" else 1,
                                0 if st.to == "hand" else 1, int(st.random), player_code(st.player)], path)
        elif op == "discard_cards":
            if st.count > MAX_FETCH:
                raise Unlowerable(f"a discard of more than {MAX_FETCH} cards")
            self.emit("discard_cards", [player_code(st.player), 0 if st.zone == "hand" else 1, st.count,
                                        P.cardf(st.filter), int(st.random), player_code(st.chooser),
                                        int(st.up_to)], path)
        elif op == "shuffle_deck":
            self.emit("shuffle_deck", [player_code(st.player)], path)
        elif op == "end_turn":
            self.emit("end_turn", [], path)
        elif op == "move_energy":
            e = st.energy
            if e.count is not None and e.count > MAX_ECOUNT:
                raise Unlowerable(f"a move of more than {MAX_ECOUNT} Energy")
            ends = (st.source.op, st.target.op)
            if "random_pokemon" in ends or ends == ("choose", "choose"):
                raise Unlowerable("a move from or to a random Pokémon, or between two choices")
            self.emit("move_energy", [energy_index(e.energy_type), -1 if e.count is None else e.count,
                                      P.target(st.source), P.target(st.target)], path)
        elif op == "move_energy_one_of":
            if len(st.energy_types) > 3:
                raise Unlowerable("a move of one of more than 3 Energy types")
            ends = (st.source.op, st.target.op)
            if "random_pokemon" in ends or ends == ("choose", "choose"):
                raise Unlowerable("a move from or to a random Pokémon, or between two choices")
            types = [energy_index(t) for t in st.energy_types]
            self.emit("move_energy_one_of", types + [-1] * (3 - len(types))
                      + [P.target(st.source), P.target(st.target)], path)
        elif op == "arrange_top":
            if st.count.op != "const" or st.count.value > MAX_FETCH:
                raise Unlowerable(f"a look at more than {MAX_FETCH} cards, or a number of cards that varies")
            self.emit("arrange_top", [player_code(st.player)], path, amount=P.amount(st.count))
        elif op == "knock_out":
            self.emit("knock_out", [], path, P.target(st.target))
        elif op == "draw_until":
            self.emit("draw_until", [-1 if st.size is None else st.size], path)
        elif op == "discard_energy_among":
            self.emit("discard_energy_among", [st.count], path, P.each(st.among))
        elif op == "swap_hand_deck":
            self.emit("swap_hand_deck", [P.cardf(st.filter)], path)
        elif op == "take_top":
            if st.count > MAX_FETCH:
                raise Unlowerable(f"a look at more than {MAX_FETCH} cards")
            self.emit("take_top", [st.count, P.cardf(st.filter), int(st.rest == "bottom")], path)
        elif op == "choose_one":
            if len(st.options) > MAX_OPTIONS:
                raise Unlowerable(f"a choice of more than {MAX_OPTIONS} options")
            at = self.emit("choose_one", [len(st.options)] + [-1] * MAX_OPTIONS, path)
            jumps = []
            for k, option in enumerate(st.options):
                self.patch(at, 1 + k, len(self.code))
                self.steps(option, path + (k,), in_repeat)
                jumps.append(self.emit("jump", [-1], path))
            for j in jumps:
                self.patch(j, 0, len(self.code))
        elif op == "discard_tools":
            self.emit("discard_tools", [], path, P.target(st.target))
        elif op == "set_hp":
            self.emit("set_hp", [int(st.halve), -1 if st.hp is None else st.hp], path, P.target(st.target))
        elif op == "hand_to_deck":
            self.emit("hand_to_deck", [player_code(st.player), P.cardf(st.filter), int(st.random),
                                       player_code(st.chooser)], path)
        elif op in ("shuffle_hand", "shuffle_hand_redraw"):
            self.emit("shuffle_hand", [player_code(st.player), int(op == "shuffle_hand_redraw")], path)
        elif op == "pooled_hand_to_deck":
            self.emit("pooled_hand_to_deck", [], path)
        elif op in ("look_top", "reveal_hand", "reveal_cards", "reveal_top", "damage_ignores"):
            self.emit("nop", [], path)  # information only / read when the attack starts
        elif op == "optional":
            if any(x.op in ("discard_cards", "discard_energy") for x in st.steps):
                raise Unlowerable("an optional step whose possibility must be checked")
            at = self.emit("optional", [-1, -1], path)
            self.steps(st.steps, path + (0,), in_repeat)
            self.steps(st.then, path + (1,), in_repeat)
            self.patch(at, 0, len(self.code))
        elif op == "lasting":
            row, mode, trow = P.modifier(st.modifier)
            self.emit("lasting", [("this_turn", "opponent_next_turn", "your_next_turn", "until_leaves_active")
                                  .index(st.duration), row, int(st.stacks), mode], path, trow)
        else:
            raise Unlowerable(f"step {op!r}")


def steps_bound(code: list[Instr]) -> int:
    """Most instructions a program can run: its length, with each Repeat body counted its times."""
    n = len(code)
    for i, ins in enumerate(code):
        if ins.op == "repeat":
            body = ins.args[2] - i - 1
            n += body * max(ins.bound - 1, 0)
    return n


def repeat_bound(times) -> int:
    """Most times a Repeat's body can run: its number, or for a count the most the count can be (heads: the
    most coins a flip can show; cards done: the most one step moves)."""
    if times.op == "const":
        if times.value > 64:
            raise Unlowerable("a Repeat of more than 64 times")
        return times.value
    c = times.count
    bound = {"heads": MAX_FLIPS, "done_count": MAX_FETCH}.get(c.op)
    if bound is None:
        raise Unlowerable(f"a Repeat whose count is {c.op!r}")
    return bound * times.each


def reads_extra_energy(node) -> bool:
    return any(isinstance(n, ir.HasEnergy) and n.extra for n in ir.iter_nodes(node))


def lower_attack(pool: Pool, attack: ir.Attack) -> tuple[list[Instr], bool, bool]:
    """An attack's program (the main damage at `main_damage_index`), and its ignore-Weakness / -effects flags."""
    steps = attack.steps
    late = [st.then + st.otherwise if i == 0 and isinstance(st, ir.If) else (st,) for i, st in enumerate(steps)]
    if any(reads_extra_energy(x) for group in late for x in group):
        # the runtime keeps the cost as paid when the attack starts (Ctx.cost)
        raise Unlowerable("extra Energy read after the attack has changed the game (only its requirement and its "
                          "first step's condition may read it)")
    prog = Program(pool)
    bind = bind_target(pool, attack.requirement)
    if bind >= 0:
        prog.emit("select", [], (), bind)
    idx = ir.main_damage_index(attack)
    for i, st in enumerate(attack.steps):
        if i == idx:
            prog.emit("main", [], (i,))
        prog.step(st, (i,))
    if idx >= len(attack.steps):
        prog.emit("main", [], (len(attack.steps),))
    ign_w = any(isinstance(s, ir.DamageIgnores) and s.what == "weakness" for s in attack.steps)
    ign_e = any(isinstance(s, ir.DamageIgnores) and s.what == "effects" for s in attack.steps)
    return prog.code, ign_w, ign_e


def lower_trainer(pool: Pool, eff: ir.TrainerEffect) -> list[Instr]:
    prog = Program(pool)
    bind = bind_target(pool, eff.requirement)
    if bind >= 0:
        prog.emit("select", [], (), bind)
    prog.steps(eff.steps, (0,))
    return prog.code


def lower_ability(pool: Pool, ab: ir.Activated) -> list[Instr]:
    """An activated Ability's program (reference: Interpreter.run_ability): its cost steps (path (0, i)), then its
    steps (path (1, i)), after `That` is bound by a Matches requirement."""
    prog = Program(pool)
    bind = bind_target(pool, ab.requirement)
    if bind >= 0:
        prog.emit("select", [], (), bind)
    prog.steps(ab.cost, (0,))
    prog.steps(ab.steps, (1,))
    return prog.code


TRIGGER_EVENTS = ("evolved_from_hand", "played_to_bench", "energy_attached")
"""The trigger events the lowering compiles, by code (the runtime's TRIG_EVENT): those of an action's own rule (an
evolution, a Basic put onto the Bench, an Energy attached from the Zone), whose program the VM runs after it."""


def lower_trigger(pool: Pool, trig: ir.Triggered) -> list[Instr]:
    """A triggered Ability's program (reference: Interpreter.fire, whose checks of the event, the Pokémon's place,
    once per turn and the requirement the runtime makes when the event happens): That bound by a Matches
    requirement, the "you may" decision, the once-per-turn mark, then the steps (path (2, i))."""
    if trig.trigger.event not in TRIGGER_EVENTS:
        raise Unlowerable(f"a trigger on {trig.trigger.event!r}")
    prog = Program(pool)
    bind = bind_target(pool, trig.requirement)
    if bind >= 0:
        prog.emit("select", [], (), bind)
    at = prog.emit("optional", [-1, -1], ()) if trig.optional else -1
    if trig.once:
        prog.emit("mark_used", [], ())
    prog.steps(trig.steps, (2,))
    if at >= 0:
        prog.patch(at, 0, len(prog.code))
    return prog.code


def lower_passive(pool: Pool, passive: ir.Passive) -> tuple[int, int, int]:
    """A passive Ability: (its modifier row, its requirement's condition row, the target its Matches requirement
    binds That to). The runtime adds it to the modifiers in force while the Pokémon is in play and the requirement
    holds (reference: Interpreter.modifiers, passives first)."""
    if len(passive.modifiers) != 1:
        raise Unlowerable(f"a passive Ability with {len(passive.modifiers)} modifiers")
    req = passive.requirement
    reads_mods = ("retreat_at_least", "retreat_cost_of")
    if req is not None and any(getattr(n, "op", None) in reads_mods or getattr(n, "extra", False)
                               for n in ir.iter_nodes(req)):
        raise Unlowerable("a passive Ability whose requirement reads modifiers")
    row, _, _ = pool.modifier(passive.modifiers[0], lasting=False)
    return row, pool.cond(req), bind_target(pool, req)


def passive_kinds(nodes) -> dict[str, list[str]]:
    """The condition, filter, target and count kinds that a pool's passive Abilities (their requirements, or the
    requirements of its activated and triggered Abilities) use: the runtime computes only those when it evaluates
    such a requirement, so that the code of the modifiers, the mask and the rules' triggers stays small."""
    ops = {getattr(n, "op", None) for node in nodes for n in ir.iter_nodes(node)}
    return {"cond": sorted(ops & set(COND_OPS)), "filter": sorted(ops & set(FILTER_OPS)),
            "target": sorted(ops & set(TARGET_KINDS) | {"each", "this", "that"}),
            "count": sorted(ops & set(COUNT_OPS))}


def ability_cost_check(pool: Pool, cost) -> list[int]:
    """What must hold for an activated Ability's cost steps to be payable (reference: Interpreter.step_possible):
    (player code, card-filter row, count) of a discard from the hand, or -1s when the cost has none."""
    out = [-1, -1, -1]
    for st in cost:
        if isinstance(st, ir.DiscardCards) and st.zone == "hand" and out[0] < 0:
            out = [player_code(st.player), pool.cardf(st.filter), st.count]
        elif isinstance(st, (ir.DiscardCards, ir.DiscardEnergy)):
            raise Unlowerable(f"an Ability cost {st.op!r} of this form")
    return out


def unsupported_reason(node: Any) -> str | None:
    """Why a top-level node can't be lowered at all (before its steps are looked at)."""
    if isinstance(node, ir.Unresolved):
        return f"unresolved ({node.reason})"
    if isinstance(node, ir.Triggered) and node.trigger.event not in TRIGGER_EVENTS:
        return f"Ability (triggered on {node.trigger.event}) not lowered yet"
    if isinstance(node, ir.Tool):
        return "Pokémon Tool effects not lowered yet"
    if isinstance(node, ir.Attack):
        if any(isinstance(n, ir.CopyAttack) for n in ir.iter_nodes(node)):
            return "step 'copy_attack' not lowered yet"
    return None
