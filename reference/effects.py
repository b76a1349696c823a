"""The IR interpreter: runs attacks, Abilities and Trainer effects, and answers the rules' questions about
passive effects (Abilities, Pokémon Tools and lasting effects).

Conventions follow docs/ir.md. Every node kind of `compiler.ir` has a handler here; `executable_problems`
lists what a card's IR holds that the interpreter can't run (an Unresolved node, an unknown op, a `That` with no
Pokémon to refer to: `that_problems`), and such a card is refused at load time (`Engine` / `check_decks`), never
run as a silent no-op.

Random draws inside an effect are addressed by (card, effect slot, owner, source slot, node path) and the draw
number, so a replay or another engine draws the same bits (compiler.engine_model.rng).
"""

from __future__ import annotations

from typing import Any, Iterable

from compiler import ir
from compiler.engine_model.rng import Addr, address, coin, randint

from compiler.diagnostics import plural

from .cards import CardDB, CardInfo, type_index
from .events import names
from .state import ASLEEP, CONFUSED, ENERGY_TYPES, N_ENERGY, PARALYZED, ROT_NONE, Pokemon

ABILITY_SLOT = 8
TRAINER_SLOT = 9
TOOL_SLOT = 10
STADIUM_SLOT = 11
MAX_FLIPS = 64
"""Cap on "flip until tails" (documented in docs/rules.md)."""
COND_NAMES = ("Asleep", "Burned", "Confused", "Paralyzed", "Poisoned")
LASTS = {"this_turn": "for this turn", "opponent_next_turn": "until the end of player {opp}'s next turn",
         "your_next_turn": "until the end of player {me}'s next turn",
         "until_leaves_active": "while the Pokémon stays in the Active Spot"}
"""How long a Lasting effect lasts, for the log."""
COIN_OUTCOMES = {"heads": "heads", "tails": "tails", "all_heads": "all heads", "all_tails": "all tails",
                 "at_least": "at least {n} heads"}

STEP_OPS = {"attack_damage", "attack_does_nothing", "damage", "heal", "apply_condition", "recover", "flip", "if",
            "repeat", "select", "draw", "draw_until", "discard_energy", "discard_tools", "attach_energy",
            "move_energy", "discard_cards", "fetch", "evolve_from_deck", "shuffle_hand", "reveal_hand",
            "hand_to_deck", "look_top", "switch", "return_pokemon", "knock_out", "set_hp", "move_damage", "lasting",
            "end_turn", "optional", "damage_ignores", "copy_attack", "discard_pokemon", "survive_knock_out",
            "choose_one", "shuffle_deck", "no_points", "reveal_cards",
            "discard_energy_among", "set_next_energy", "change_energy_type",
            "shuffle_hand_redraw", "pooled_hand_to_deck",
            "swap_hand_deck", "reveal_top", "take_top",
            "move_energy_one_of",
            "alternative_cost"}
V6_OPS = {"condition_damage", "top_deck_count", "milled", "damage_flip", "survive", "has_tool_named",
          "choose_any", "has_tag", "damage_dealt_by", "points_of",
          "ko_to_hand", "devolve"}
"""Ops added in IR v6 (docs/ir.md change log) that are neither steps nor top-level nodes."""
V7_OPS = {"stadium", "stadium_in_play", "discard_stadium", "since_in_play", "tool_count", "energy_type_count",
          "knock_out_count", "count_in", "arrange_top", "evolve_early", "evolves_as",
          "put_into_play_this_turn", "evolve_from_hand",
          "discarded_energy_count"}
"""Ops added in IR v7 (Stadiums, what happened since a Pokémon came into play)."""
TOP_OPS = {"attack", "activated", "passive", "triggered", "trainer", "tool", "fossil"}
OTHER_OPS = {"type_is", "stage_is", "is_ex", "name_is", "evolves_from", "damaged", "has_energy",
             "energy_types_at_least", "has_tool", "has_ability", "has_condition", "hp_at_most", "retreat_at_least",
             "in_zone", "this", "tool_holder", "defending", "attacking", "that", "active", "each", "choose",
             "random_pokemon", "heads", "energy_count", "pokemon_count", "card_count", "damage_on",
             "retreat_cost_of", "done_count", "const", "per", "coin_outcome", "matches", "exists", "card_in",
             "hand_size", "points", "history", "not", "all", "damage_taken", "damage_dealt", "prevent_damage",
             "prevent_effects", "cant_attack", "cant_retreat", "attack_cost", "retreat_cost", "no_weakness",
             "hp_bonus", "cant_play", "condition_immunity", "cant_be_healed", "on_damaged", "attack_flip", "at_end",
             "cant_attach_energy", "cant_evolve", "on_energy_attached", "damage_done", "attack_uses",
             "points_to_win", "count_at_least", "done", "compare", "remaining_hp", "hp_at_most_half",
             "ability_named"}
EXECUTABLE_OPS = STEP_OPS | TOP_OPS | OTHER_OPS | V6_OPS | V7_OPS
"""Every op the interpreter runs (a test checks this equals the ops of compiler.ir)."""


def executable_problems(node: Any, where: str) -> list[str]:
    """Why an effect can't be executed: Unresolved nodes, ops without a handler, a `That` with nothing to refer to."""
    out = []
    for n in ir.iter_nodes(node):
        if isinstance(n, ir.Unresolved):
            out.append(f"{where}: unresolved ({n.reason}): {n.text}")
        op = getattr(n, "op", None)
        if op is not None and op not in EXECUTABLE_OPS and op != "unresolved":
            out.append(f"{where}: no interpreter for op {op!r}")
    if not out:
        out += [f"{where}: {p}" for p in that_problems(node)]
    return out


# --- where `That` is bound (docs/ir.md "Anaphora") -------------------------------------------------------------
BINDING_STEPS = {"select", "damage", "heal", "apply_condition", "recover", "discard_energy", "discard_tools",
                 "attach_energy", "move_energy", "switch"}
"""Steps after which `That` is the Pokémon they selected (their `target`; a Switch: the new Active Pokémon)."""
TARGET_NODES = (ir.ThisPokemon, ir.ToolHolder, ir.Defending, ir.Attacking, ir.Active, ir.Each, ir.Choose,
                ir.RandomPokemon)
NONE, AMBIGUOUS = -1, -2


def that_problems(node: Any) -> list[str]:
    """Every `That` in a top-level effect that the interpreter could not bind to the Pokémon the text means, with
    where it is: one with no antecedent (nothing selected before it in its branch, no trigger or requirement subject),
    or one whose antecedent is unclear (after a step that names a Pokémon without rebinding `That`, or after an If,
    Repeat, "you may" or "Choose 1" whose branches rebind it).

    A scope is NONE, AMBIGUOUS, or the number of the binding `That` refers to (a new number for each step that
    rebinds it to another Pokémon)."""
    out: list[str] = []
    counter = [0]

    def fresh() -> int:
        counter[0] += 1
        return counter[0]

    def refs(x: Any, scope: int, where: str) -> None:
        if scope < 0 and any(isinstance(n, ir.That) for n in ir.iter_nodes(x)):
            why = "nothing selected before it in its branch" if scope == NONE else \
                "the Pokémon it refers to is unclear (a Pokémon was named or selected in a branch since)"
            msg = f"'it' / 'that Pokémon' (That) in {where}: {why}"
            if msg not in out:
                out.append(msg)

    def rebind(target, scope: int) -> int:
        return scope if isinstance(target, ir.That) else fresh()

    def after(before: int, ends: list[int]) -> int:
        """`That` after a step with branches: unchanged when no branch rebinds it, else unclear (and a Pokémon
        selected only inside a branch is not visible after it)."""
        return before if before == NONE or all(e == before for e in ends) else AMBIGUOUS

    def walk(steps, scope: int, where: str) -> int:
        for i, st in enumerate(steps):
            here = f"{where}[{i}] ({st.op})"
            op = st.op
            if op == "if":
                refs(st.condition, scope, here + ".condition")
                inner = rebind(st.condition.target, scope) if st.condition.op == "matches" else scope
                ends = [walk(st.then, inner, here + ".then"), walk(st.otherwise, inner, here + ".otherwise")]
                scope = after(scope, ends + [inner])
            elif op == "repeat":
                refs(st.times, scope, here + ".times")
                end = walk(st.steps, scope, here + ".steps")
                if end != scope:  # a later time round starts from what the previous one bound
                    walk(st.steps, AMBIGUOUS, here + ".steps")
                scope = after(scope, [end])
            elif op == "optional":
                mid = walk(st.steps, scope, here + ".steps")
                scope = after(scope, [mid, walk(st.then, mid, here + ".then")])
            elif op == "choose_one":
                scope = after(scope, [walk(o, scope, f"{here}.options[{k}]") for k, o in enumerate(st.options)])
            elif op == "lasting":
                m = st.modifier
                if hasattr(m, "steps"):
                    refs(m.model_copy(update={"steps": ()}), scope, here + ".modifier")
                    # OnDamaged / OnEnergyAttached: That = the Pokémon damaged / given Energy; AtEnd: as here
                    walk(m.steps, scope if m.op == "at_end" else fresh(), here + ".modifier.steps")
                else:
                    refs(m, scope, here + ".modifier")
                if any(isinstance(n, TARGET_NODES) for n in ir.iter_nodes(m)):
                    scope = AMBIGUOUS  # it names a Pokémon but leaves That as it was
            else:
                refs(st, scope, here)
                if op in BINDING_STEPS:
                    scope = rebind(st.new_active if op == "switch" else st.target, scope)
                elif any(isinstance(n, TARGET_NODES) for n in ir.iter_nodes(st)):
                    scope = AMBIGUOUS  # it names a Pokémon but leaves That as it was
        return scope

    def start(req) -> int:
        return fresh() if req is not None and req.op == "matches" else NONE

    def top(n: Any, where: str) -> None:
        if isinstance(n, ir.Attack):
            refs(n.requirement, NONE, where + "requirement")
            walk(n.steps, start(n.requirement), where + "steps")
        elif isinstance(n, ir.Activated):
            refs(n.requirement, NONE, where + "requirement")
            walk(n.steps, walk(n.cost, start(n.requirement), where + "cost"), where + "steps")
        elif isinstance(n, ir.TrainerEffect):
            refs(n.requirement, NONE, where + "requirement")
            walk(n.steps, start(n.requirement), where + "steps")
        elif isinstance(n, ir.Triggered):  # That = the trigger's subject, or its requirement's
            walk(n.steps, fresh(), where + "steps")
        elif isinstance(n, ir.Passive):  # That = this Pokémon / the Tool's holder, or its requirement's subject
            for k, m in enumerate(n.modifiers):
                if hasattr(m, "steps"):
                    walk(m.steps, fresh(), f"{where}modifiers[{k}].steps")
        elif isinstance(n, (ir.Tool, ir.Stadium)):
            for k, e in enumerate(n.effects):
                top(e, f"{where}effects[{k}].")
    top(node, "")
    return out


def attach_effects(db: CardDB, cards: list) -> None:
    """Parse every card's effects into the CardDB and record what is not executable."""
    from compiler.pool import card_irs

    for info, cir in zip(db.cards, card_irs(cards)):
        if isinstance(cir, Exception):
            info.problems = [f"the parser failed on this card: {type(cir).__name__}: {str(cir).splitlines()[0]}"]
            continue
        set_card_ir(info, cir)


def set_card_ir(info: CardInfo, cir: "ir.CardIR") -> None:
    """Attach a card's IR (from the parser, or built by hand in tests) and check it is executable."""
    info.problems = []
    for k, ca in enumerate(cir.attacks):
        if k < len(info.attacks):
            a = info.attacks[k]
            info.attacks[k] = type(a)(a.name, a.cost, ca.base_damage, ca.suffix, a.text, ca.effect)
            info.problems += executable_problems(ca.effect, f"attack {a.name!r}")
    if cir.ability is not None:
        info.ability = cir.ability
        info.problems += executable_problems(cir.ability, f"ability {info.ability_name!r}")
    if cir.trainer is not None:
        info.effect = cir.trainer
        info.problems += executable_problems(cir.trainer, "text")
        if isinstance(cir.trainer, ir.Fossil):
            info.hp = cir.trainer.hp
            info.type = type_index(cir.trainer.type)
        elif info.is_fossil:
            info.problems.append("text: a fossil's text must parse to a Fossil node")
    elif info.kind != "pokemon":
        info.problems.append("text: no IR")


class StopEffect(Exception):
    """AttackDoesNothing: no later step runs."""


class Ctx:
    """The context one effect runs in: who "you" is, the Pokémon it is about, coins, selections, main damage."""

    __slots__ = ("g", "me", "this", "holder", "card", "eslot", "src_slot", "defending", "attacking", "that",
                 "flips", "done", "main", "attack", "stopped", "end_turn", "rep", "is_attack", "damaged",
                 "ignore_weakness", "ignore_effects", "copied", "main_done", "milled")

    def __init__(self, g, me: int, this: Pokemon | None = None, card: int = -1, eslot: int = 0, src_slot: int = 0):
        self.g = g
        self.me = me
        self.this = this
        self.holder: Pokemon | None = None
        self.card = card
        self.eslot = eslot
        self.src_slot = src_slot
        self.defending: Pokemon | None = None
        self.attacking: Pokemon | None = None
        self.that: list[Pokemon] = []
        self.flips: list[bool] = []
        self.done = 0
        self.milled: list[int] = []  # the cards the latest deck discard of this effect took (ir.Milled)
        self.main = 0
        self.attack = None
        self.stopped = False
        self.end_turn = False
        self.rep = 0
        self.is_attack = False
        self.damaged: list[Pokemon] = []
        self.ignore_weakness = False
        self.ignore_effects = False
        self.copied = False
        self.main_done = 0

    def addr(self, path: tuple[int, ...]) -> int:
        return address(Addr.EFFECT, self.card, self.eslot, self.me, self.src_slot, *path)


class Interpreter:
    """Runs IR effects on a `Game`, and answers every rules question that passive effects can change."""

    def __init__(self, db: CardDB, rules):
        self.db = db
        self.rules = rules
        self.removals: dict[int, tuple[Any, list]] = {}
        """Per effect node: its ReturnPokemon / DiscardPokemon steps (for `could_leave_no_pokemon`)."""
        self.index_passives()

    # ================================================================================================================
    # Entry points called by the rules (game.py)
    # ================================================================================================================
    def run_attack(self, g, p: int, pk: Pokemon, k: int, atk) -> None:
        """An attack: its steps in order, the main damage dealt at `main_damage_index`, then damage triggers."""
        info = g.info(pk)
        eff = atk.effect if atk.effect is not None else ir.Attack()
        ctx = Ctx(g, p, pk, info.index, k, g.slot_of(p, pk))
        ctx.is_attack = True
        ctx.attack = atk
        ctx.defending = g.pl(1 - p).active
        ctx.main = atk.damage
        self.bind_requirement(ctx, eff.requirement)
        idx = ir.main_damage_index(eff)
        steps = eff.steps
        for st in steps:  # "This attack's damage isn't affected by ..." holds wherever it is written
            if isinstance(st, ir.DamageIgnores):
                self.do_damage_ignores(ctx, st, ())
        try:
            for i, step in enumerate(steps):
                if i == idx:
                    self.deal_main(ctx)
                self.step(ctx, step, (i,))
            if idx >= len(steps):
                self.deal_main(ctx)
        except StopEffect:
            pass
        pl = g.pl(p)
        pl.last_attack, pl.last_attack_turn = atk.name, g.s.turn
        pl.attack_uses[atk.name] = pl.attack_uses.get(atk.name, 0) + 1
        pk.attacks_in_play += 1  # ir.SinceInPlay(attacked): counted once its steps have run
        self.fire_damaged(g, ctx)

    def deal_main(self, ctx: Ctx) -> None:
        g = ctx.g
        target = g.pl(1 - ctx.me).active
        if ctx.main > 0 and target is not None and not ctx.copied:
            before = target.damage
            self.attack_damage(ctx, 1 - ctx.me, target, ctx.main, main=True)
            ctx.main_done = target.damage - before

    def run_ability(self, g, p: int, slot: int, pk: Pokemon) -> None:
        info = g.info(pk)
        if info.is_fossil:
            g.discard_fossil(p, slot)
            return
        ab = info.ability
        ctx = Ctx(g, p, pk, info.index, ABILITY_SLOT, slot)
        g.log(f"{g.who(p, pk)} uses {info.ability_name}", kind="action")
        self.bind_requirement(ctx, ab.requirement)
        self.steps(ctx, ab.cost, (0,))
        self.steps(ctx, ab.steps, (1,))
        if ctx.end_turn:
            g.end_turn()

    def run_trainer(self, g, p: int, info: CardInfo) -> None:
        eff = info.effect
        if isinstance(eff, ir.TrainerEffect):
            ctx = Ctx(g, p, None, info.index, TRAINER_SLOT, 0)
            self.bind_requirement(ctx, eff.requirement)
            self.steps(ctx, eff.steps, (0,))
            if ctx.end_turn:
                g.end_turn()

    # ================================================================================================================
    # Legality questions
    # ================================================================================================================
    def can_use_attack(self, g, p: int, pk: Pokemon, k: int) -> bool:
        info = g.info(pk)
        atk = info.attacks[k]
        if isinstance(atk.effect, ir.Attack) and atk.effect.requirement is not None:
            ctx = Ctx(g, p, pk, info.index, k, g.slot_of(p, pk))
            ctx.attack = atk
            ctx.defending = g.pl(1 - p).active
            if not self.cond(ctx, atk.effect.requirement):
                return False
        for m, c in self.modifiers(g, "cant_attack"):
            if (m.attack_name is None or m.attack_name == atk.name) and pk in self.targets(c, m.target, ()):
                return False
        if atk.effect is not None and self.could_leave_no_pokemon(Ctx(g, p, pk, info.index, k), atk.effect):
            return False
        return self.cost_paid(g, p, pk, atk)

    def attack_cost(self, g, p: int, pk: Pokemon, atk) -> tuple[list[int], int]:
        typed, colorless = atk.cost_needs()
        eff = atk.effect
        for st in (eff.steps if isinstance(eff, ir.Attack) else ()):
            if st.op == "alternative_cost" and self.cond(Ctx(g, p, pk, g.info(pk).index, 0, g.slot_of(p, pk)),
                                                         st.condition):
                typed, colorless = [0] * N_ENERGY, 0
                for t in st.cost:
                    if energy_index(t) is None:
                        colorless += 1
                    else:
                        typed[energy_index(t)] += 1
        for m, c in self.modifiers(g, "attack_cost"):
            if pk in self.targets(c, m.target, ()):
                if m.energy_type is None or m.energy_type == "Colorless":
                    colorless = max(0, colorless + m.delta)
                else:
                    t = type_index(m.energy_type)
                    typed[t] = max(0, typed[t] + m.delta)
        return typed, colorless

    def cost_paid(self, g, p: int, pk: Pokemon, atk) -> bool:
        typed, colorless = self.attack_cost(g, p, pk, atk)
        have = pk.energy
        if any(have[t] < typed[t] for t in range(N_ENERGY)):
            return False
        return sum(have) >= sum(typed) + colorless

    def can_use_ability(self, g, p: int, slot: int, pk: Pokemon) -> bool:
        info = g.info(pk)
        if info.is_fossil:  # discarding it from play, unless it is your only Pokémon in play
            return any(q is not pk for _, q in g.pl(p).in_play())
        ab = info.ability
        if not isinstance(ab, ir.Activated) or (ab.once and pk.ability_used):
            return False
        ctx = Ctx(g, p, pk, info.index, ABILITY_SLOT, slot)
        if ab.requirement is not None and not self.cond(ctx, ab.requirement):
            return False
        self.bind_requirement(ctx, ab.requirement)
        if self.could_leave_no_pokemon(ctx, ab):
            return False
        return all(self.step_possible(ctx, st) for st in ab.cost)

    def can_play_trainer(self, g, p: int, info: CardInfo) -> bool:
        for m, c in self.modifiers(g, "cant_play"):
            if m.card == info.kind and self.player(c, m.player) == p:
                return False
        eff = info.effect
        if isinstance(eff, ir.TrainerEffect):
            ctx = Ctx(g, p, None, info.index, TRAINER_SLOT, 0)
            if eff.requirement is not None and not self.cond(ctx, eff.requirement):
                return False
            self.bind_requirement(ctx, eff.requirement)
            return not self.could_leave_no_pokemon(ctx, eff)
        return True

    def could_leave_no_pokemon(self, ctx: Ctx, node) -> bool:
        """Whether a step of `node` (anywhere in it, in any branch) that returns Pokémon to the hand or deck or
        discards them from play (ReturnPokemon, DiscardPokemon) could, run now, take every Pokémon you have in play:
        such a play is illegal (docs/rules.md). A Choose or RandomPokemon could when all your Pokémon are among its
        candidates and it picks at least as many; a That refers to what is bound before the effect runs."""
        key = id(node)
        if key not in self.removals:  # (node kept alive with its steps, so its id is not reused)
            self.removals[key] = (node, [n for n in ir.iter_nodes(node)
                                         if isinstance(n, (ir.ReturnPokemon, ir.DiscardPokemon))])
        steps = self.removals[key][1]
        if not steps:
            return False
        g = ctx.g
        mine = [pk for _, pk in g.pl(ctx.me).in_play()]
        if not mine:
            return False
        for n in steps:
            t = n.target
            if t.op in ("choose", "random_pokemon", "choose_any"):
                cands = self.among(ctx, t.among)
                hit = len(mine) <= getattr(t, "count", len(cands)) and all(pk in cands for pk in mine)
            else:
                sel = self.targets(ctx, t, ())
                hit = all(pk in sel for pk in mine)
            if hit:
                return True
        return False

    def step_possible(self, ctx: Ctx, st) -> bool:
        """Whether an Ability's cost step can be paid (enough cards, Energy, damage)."""
        g = ctx.g
        if isinstance(st, ir.DiscardCards) and st.zone == "hand":
            pl = g.pl(self.player(ctx, st.player))
            return sum(1 for i in pl.hand if self.card_ok(ctx, g.card(i), st.filter)) >= st.count
        if isinstance(st, ir.DiscardEnergy):
            pks = self.targets(ctx, st.target, ())
            return bool(pks) and all(self.energy_available(pk, sel) for pk in pks for sel in st.energy)
        return True

    @staticmethod
    def energy_available(pk: Pokemon, sel) -> bool:
        t = energy_index(sel.energy_type)
        n = sum(pk.energy) if t is None else pk.energy[t]
        return n >= (sel.count or 1)

    def attack_flip(self, g, p: int, pk: Pokemon) -> bool:
        """Whether the Active must flip a coin to attack (AttackFlip)."""
        return any(pk in self.targets(c, m.target, ()) for m, c in self.modifiers(g, "attack_flip"))

    def can_evolve(self, g, p: int, pk: Pokemon) -> bool:
        for m, c in self.modifiers(g, "cant_evolve"):
            if self.player(c, m.player) == p and pk in self.targets(c, m.target, ()):
                return False
        return True

    def evolves_as(self, g, p: int, pk: Pokemon, name: str) -> bool:
        """Whether a card that evolves from `name` may be played onto pk (ir.EvolvesAs)."""
        return any(m.name == name and pk in self.targets(c, m.target, ()) for m, c in self.modifiers(g, "evolves_as"))

    def evolves_early(self, g, p: int, pk: Pokemon) -> bool:
        """Whether pk may evolve on its owner's first turn and the turn it came into play (ir.EvolveEarly)."""
        return any(pk in self.targets(c, m.target, ()) for m, c in self.modifiers(g, "evolve_early"))

    def can_attach_energy(self, g, p: int, pk: Pokemon) -> bool:
        for m, c in self.modifiers(g, "cant_attach_energy"):
            if self.player(c, m.player) == p and pk in self.targets(c, m.target, ()):
                return False
        return True

    def durations_ending(self, g, ending: list) -> None:
        """Run the AtEnd steps of lasting effects whose duration just ended."""
        for d in ending:
            m = d.data[0]
            if m.op == "at_end":
                ctx = self.bound_ctx(g, d)
                try:
                    self.steps(ctx, m.steps, (4,))
                except StopEffect:
                    pass

    def retreat_cost(self, g, p: int, pk: Pokemon) -> int:
        cost = g.info(pk).retreat
        none = False
        for m, c in self.modifiers(g, "retreat_cost"):
            if pk in self.targets(c, m.target, ()):
                none = none or m.none
                cost += m.delta
        return 0 if none else max(0, cost)

    def can_retreat(self, g, p: int, pk: Pokemon) -> bool:
        if g.info(pk).is_fossil:
            return False
        for m, c in self.modifiers(g, "cant_retreat"):
            if pk in self.targets(c, m.target, ()):
                return False
        return sum(pk.energy) >= self.retreat_cost(g, p, pk)

    def hp_bonus(self, g, p: int, pk: Pokemon) -> int:
        bonus = 0
        for m, c in self.modifiers(g, "hp_bonus"):
            if pk in self.targets(c, m.target, ()):
                bonus += self.amount(c, m.amount)
        return bonus

    def condition_damage(self, g, p: int, pk: Pokemon, cond: str) -> int:
        """The ConditionDamage deltas in force on pk for the Special Condition `cond` (Pokémon Checkup)."""
        return sum(m.delta for m, c in self.modifiers(g, "condition_damage")
                   if m.condition == cond and pk in self.targets(c, m.target, ()))

    def heal_blocked(self, g, p: int, pk: Pokemon) -> bool:
        return any(pk in self.among(c, m.among) for m, c in self.modifiers(g, "cant_be_healed"))

    def condition_immune(self, g, p: int, pk: Pokemon, cond: str | None = None) -> bool:
        for m, c in self.modifiers(g, "condition_immunity"):
            if (cond is None or not m.conditions or cond in m.conditions) and pk in self.targets(c, m.target, ()):
                return True
        return False

    def sweep_immunity(self, g) -> None:
        """Pokémon under a ConditionImmunity recover from those conditions."""
        for m, c in self.modifiers(g, "condition_immunity"):
            for pk in self.targets(c, m.target, ()):
                conds = m.conditions or COND_NAMES
                for cond in conds:
                    if cond in pk.conditions():
                        g.log(f"{g.who(g.where(pk)[0], pk)} is no longer {cond} (immune)", kind="condition")
                    remove_condition(pk, cond)

    # ================================================================================================================
    # Modifiers: passive Abilities, Tools, lasting effects
    # ================================================================================================================
    def modifiers(self, g, op: str) -> Iterable[tuple[Any, Ctx]]:
        """Every modifier of kind `op` in force, with the context its targets resolve in."""
        s = g.s
        if op in self.passive_ops:
            for p in (0, 1):
                for slot, pk in enumerate(s.players[p].slots):
                    if pk is None:
                        continue
                    ci = s.card_of[pk.top]
                    entry = self.ability_mods.get(ci)
                    if entry is not None and op in entry[1]:
                        ctx = Ctx(g, p, pk, ci, ABILITY_SLOT, slot)
                        ctx.that = [pk]
                        if entry[0].requirement is None or self.cond(ctx, entry[0].requirement):
                            self.bind_requirement(ctx, entry[0].requirement)
                            for m in entry[1][op]:
                                yield m, ctx
                    for t in pk.tools:
                        ti = s.card_of[t]
                        for passive, by_op in self.tool_mods.get(ti, ()):
                            if op in by_op:
                                ctx = Ctx(g, p, pk, ti, TOOL_SLOT, slot)
                                ctx.holder = pk
                                ctx.that = [pk]
                                if passive.requirement is None or self.cond(ctx, passive.requirement):
                                    self.bind_requirement(ctx, passive.requirement)
                                    for m in by_op[op]:
                                        yield m, ctx
            if s.stadium >= 0:  # ir.Stadium: its rules, for both players, while it is in play
                ci = s.card_of[s.stadium]
                for passive, by_op in self.stadium_mods.get(ci, ()):
                    if op in by_op:
                        ctx = Ctx(g, s.stadium_owner, None, ci, STADIUM_SLOT, 0)
                        if passive.requirement is None or self.cond(ctx, passive.requirement):
                            for m in by_op[op]:
                                yield m, ctx
        for d in s.durations:
            m = d.data[0]
            if m.op == op:
                yield m, self.bound_ctx(g, d)

    def index_passives(self) -> None:
        """Per card: its passive Ability's and Tools' modifiers by op (so `modifiers` skips most cards)."""
        self.ability_mods: dict[int, tuple[Any, dict[str, list]]] = {}
        self.tool_mods: dict[int, list[tuple[Any, dict[str, list]]]] = {}
        self.stadium_mods: dict[int, list[tuple[Any, dict[str, list]]]] = {}
        self.passive_ops: set[str] = set()

        def by_op(passive) -> dict[str, list]:
            out: dict[str, list] = {}
            for m in passive.modifiers:
                out.setdefault(m.op, []).append(m)
                self.passive_ops.add(m.op)
            return out
        for c in self.db.cards:
            if isinstance(c.ability, ir.Passive):
                self.ability_mods[c.index] = (c.ability, by_op(c.ability))
            if isinstance(c.effect, ir.Tool):
                self.tool_mods[c.index] = [(e, by_op(e)) for e in c.effect.effects if isinstance(e, ir.Passive)]
            if isinstance(c.effect, ir.Stadium):
                self.stadium_mods[c.index] = [(e, by_op(e)) for e in c.effect.effects]

    def bound_ctx(self, g, d) -> Ctx:
        """The context of a lasting effect: its Pokémon references (stored as uids) found in the current state."""
        m, (this, defending, that, holder) = d.data
        ctx = Ctx(g, d.owner, None, d.source_card)
        ctx.this, ctx.defending, ctx.holder = (self.by_uid(g, u) for u in (this, defending, holder))
        ctx.that = [pk for pk in (self.by_uid(g, u) for u in that) if pk is not None]
        return ctx

    @staticmethod
    def by_uid(g, uid: int) -> Pokemon | None:
        if uid < 0:
            return None
        found = g.s.find(uid)
        return found[2] if found else None

    def bound(self, ctx: Ctx, pk: Pokemon | None) -> Pokemon | None:
        """A Pokémon reference from a lasting effect, if it is still in play."""
        return pk if pk is not None and ctx.g.where(pk) is not None else None

    # ================================================================================================================
    # Damage
    # ================================================================================================================
    def attack_damage(self, ctx: Ctx, tp: int, target: Pokemon, amount: int, main: bool = False) -> None:
        """Damage from an attack: attacker modifiers, Weakness (opponent's Active only), defender modifiers,
        prevention. Damage to the attacker's own Pokémon is placed as printed."""
        g = ctx.g
        attacker = ctx.this
        if tp == ctx.me or amount <= 0:
            g.place_damage(tp, target, amount)
            return
        dmg = amount
        how = [str(amount)]
        aname = ctx.attack.name if ctx.attack is not None else None
        for m, c in self.modifiers(g, "damage_dealt"):
            if attacker in self.targets(c, m.attacker, ()) and (m.attack_name is None or m.attack_name == aname):
                if m.defender is None or target in self.targets(c, m.defender, ()):
                    dmg += m.delta
                    how.append(f"{m.delta:+d} ({g.card_name(c.card)})")
        for m, c in self.modifiers(g, "damage_dealt_by"):  # ir.DamageDealtBy: an amount evaluated now
            if attacker in self.targets(c, m.attacker, ()) and (m.defender is None
                                                               or target in self.targets(c, m.defender, ())):
                n = self.amount(c, m.amount)
                dmg += n
                how.append(f"{n:+d} ({g.card_name(c.card)})")
        dmg = max(0, dmg)
        tinfo = g.info(target)
        ignore_effects = main and ctx.ignore_effects
        if (target is g.pl(tp).active and dmg > 0 and tinfo.weakness >= 0 and not (main and ctx.ignore_weakness)
                and g.info(attacker).type == tinfo.weakness and not self.no_weakness(g, target)):
            dmg += self.rules.weakness_bonus
            how.append(f"{self.rules.weakness_bonus:+d} Weakness")
        for m, c in self.modifiers(g, "damage_taken"):
            if not ignore_effects and target in self.targets(c, m.target, ()) \
                    and self.attacker_ok(c, attacker, ctx.me, m):
                dmg += m.delta
                how.append(f"{m.delta:+d} ({g.card_name(c.card)})")
        for m, c in self.modifiers(g, "damage_flip"):  # ir.DamageFlip: the owner flips for each damage done
            if not ignore_effects and dmg > 0 and target in self.targets(c, m.target, ()):
                if coin(g.key, c.addr((0xDF,)), ctx.rep * 64 + len(ctx.damaged)):
                    dmg = 0 if m.delta is None else max(0, dmg + m.delta)
                    how.append(f"heads: {'prevented' if m.delta is None else f'{m.delta:+d}'} "
                               f"({g.card_name(c.card)})")
        dmg = max(0, dmg)
        for m, c in self.modifiers(g, "prevent_damage"):
            if not ignore_effects and target in self.targets(c, m.target, ()) \
                    and self.attacker_ok(c, attacker, ctx.me, m):
                if m.at_most is None or dmg <= m.at_most:
                    if dmg > 0:
                        g.log(f"{g.who(tp, target)}: the damage is prevented ({g.card_name(c.card)})",
                              kind="damage")
                    dmg = 0
        if dmg > 0:
            g.place_damage(tp, target, dmg, " ".join(how) if len(how) > 1 else "")
            if target is g.pl(tp).active:
                target.attack_damaged_turn = g.s.turn
            if target not in ctx.damaged:
                ctx.damaged.append(target)
                target.attack_damaged_times += 1  # ir.SinceInPlay(damaged): once per attack

    def no_weakness(self, g, pk: Pokemon) -> bool:
        return any(pk in self.targets(c, m.target, ()) for m, c in self.modifiers(g, "no_weakness"))

    def attacker_ok(self, c: Ctx, attacker: Pokemon, attacker_player: int, m) -> bool:
        if m.attacker_player is not None and self.player(c, m.attacker_player) != attacker_player:
            return False
        info = c.g.info(attacker)
        return all(self.passes(c, attacker_player, attacker, info, f) for f in m.attacker)

    def effects_prevented(self, ctx: Ctx, pk: Pokemon) -> bool:
        """An attack's effects (not damage) on an opponent's Pokémon are prevented."""
        if not ctx.is_attack:
            return False
        g = ctx.g
        w = g.where(pk)
        if w is None or w[0] == ctx.me:
            return False
        for m, c in self.modifiers(g, "prevent_effects"):
            if pk in self.targets(c, m.target, ()) and self.player(c, m.attacker_player) == ctx.me:
                return self.prevented(g, w[0], pk, c)
        for m, c in self.modifiers(g, "prevent_damage"):
            if m.effects and pk in self.targets(c, m.target, ()) and self.attacker_ok(c, ctx.this, ctx.me, m):
                return self.prevented(g, w[0], pk, c)
        return False

    @staticmethod
    def prevented(g, p: int, pk: Pokemon, c: Ctx) -> bool:
        g.log(f"{g.who(p, pk)}: the attack's effects are prevented ({g.card_name(c.card)})", kind="info")
        return True

    # ================================================================================================================
    # Triggers
    # ================================================================================================================
    def triggered(self, g, pk: Pokemon) -> list[tuple[Any, CardInfo, bool]]:
        """(Triggered node, source card, from a tool) for a Pokémon's Ability and its Tools."""
        out = []
        info = g.info(pk)
        if isinstance(info.ability, ir.Triggered):
            out.append((info.ability, info, False))
        for t in pk.tools:
            tinfo = g.card(t)
            if isinstance(tinfo.effect, ir.Tool):
                out += [(e, tinfo, True) for e in tinfo.effect.effects if isinstance(e, ir.Triggered)]
        return out

    def fire(self, g, p: int, pk: Pokemon, event: str, setup=None, check=None) -> None:
        """Run every trigger of `event` on Pokémon pk of player p."""
        for trig, info, is_tool in self.triggered(g, pk):
            t = trig.trigger
            if t.event != event or (check is not None and not check(t)):
                continue
            w = g.where(pk)
            if w is None and event not in ("knocked_out", "knocked_out_by_attack"):
                continue
            slot = w[1] if w else 0
            if t.while_active and slot != 0:
                continue
            if trig.once and pk.ability_used:
                continue
            if t.first_time and pk.attack_damaged_times != 1:  # only damaged_by_attack has first_time
                continue
            ctx = Ctx(g, p, pk, info.index, TOOL_SLOT if is_tool else ABILITY_SLOT, slot)
            if is_tool:
                ctx.holder = pk
            ctx.that = [pk]  # the trigger's subject: the Pokémon with the Ability, the Tool's holder
            if setup is not None:
                setup(ctx)  # ... or the Pokémon the event is about (opponent_attaches_energy)
            if trig.requirement is not None and not self.cond(ctx, trig.requirement):
                continue
            self.bind_requirement(ctx, trig.requirement)
            if trig.optional and g.choose(p, "optional", [1], optional=True,
                                          prompt=f"use {info.ability_name or info.name}?") is None:
                continue
            if trig.once:
                pk.ability_used = True
            try:
                self.steps(ctx, trig.steps, (2,))
            except StopEffect:
                pass
            if ctx.end_turn and g.s.turn_player == p:
                g.end_turn()

    def fire_damaged(self, g, ctx: Ctx) -> None:
        for pk in ctx.damaged:
            for m, c in list(self.modifiers(g, "on_damaged")):
                if pk in self.targets(c, m.target, ()) or (g.where(pk) is None and pk in c.that):
                    c.attacking = ctx.this
                    c.that = [pk]
                    try:
                        self.steps(c, m.steps, (3,))
                    except StopEffect:
                        pass
            w = g.where(pk)
            if w is None or w[0] == ctx.me:
                continue

            def setup(c, a=ctx.this):
                c.attacking = a
            self.fire(g, w[0], pk, "damaged_by_attack", setup)

    @staticmethod
    def whose_turn(t, mine: bool) -> bool:
        """Whether a turn-point trigger of a Pokémon fires at this turn: each turn, the opponent's turns
        (`opponent_turn`), or else its owner's (`mine`)."""
        return t.each_turn or t.opponent_turn != mine

    def turn_started(self, g, p: int) -> None:
        """`start_of_turn` triggers, after the turn's Energy Zone and draw (the turn player's Pokémon first), then
        knockouts. Nothing happens (not even a knockout check) when no Pokémon in play has such a trigger."""
        fired = False
        for q in (p, 1 - p):
            for _, pk in list(g.pl(q).in_play()):
                if any(tr.trigger.event == "start_of_turn" for tr, _, _ in self.triggered(g, pk)):
                    fired = True
                    self.fire(g, q, pk, "start_of_turn", check=lambda t, q=q: self.whose_turn(t, q == p))
        if fired:
            g.knockouts()

    def turn_ending(self, g, p: int) -> None:
        for q in (p, 1 - p):
            for _, pk in list(g.pl(q).in_play()):
                self.fire(g, q, pk, "end_of_turn", check=lambda t, q=q: self.whose_turn(t, q == p))
                if q == p and g.pl(p).turns_taken == 1:
                    self.fire(g, q, pk, "end_of_first_turn")

    def checkup(self, g) -> None:
        for q in (g.s.turn_player, 1 - g.s.turn_player):
            for _, pk in list(g.pl(q).in_play()):
                self.fire(g, q, pk, "checkup")

    def energy_attached(self, g, p: int, slot: int, pk: Pokemon, etype: int) -> None:
        ename = ir_energy_name(etype)
        for m, c in list(self.modifiers(g, "on_energy_attached")):
            if pk in self.targets(c, m.target, ()):
                c.that = [pk]
                try:
                    self.steps(c, m.steps, (5,))
                except StopEffect:
                    pass
        self.fire(g, p, pk, "energy_attached", check=lambda t: t.energy_type in (None, ename))

        def setup(c, pk=pk):
            c.that = [pk]
        for _, opk in list(g.pl(1 - p).in_play()):
            self.fire(g, 1 - p, opk, "opponent_attaches_energy", setup)

    def benched_from_hand(self, g, p: int, slot: int, pk: Pokemon) -> None:
        self.fire(g, p, pk, "played_to_bench")

    def evolved(self, g, p: int, slot: int, pk: Pokemon) -> None:
        self.fire(g, p, pk, "evolved_from_hand")

    def would_be_knocked_out(self, g, p: int, pk: Pokemon, attacker) -> None:
        if attacker is not None:
            self.fire(g, p, pk, "would_be_knocked_out")
            for m, c in self.modifiers(g, "survive"):  # ir.Survive, a lasting rule
                if pk.damage >= g.max_hp(p, pk) and pk in self.targets(c, m.target, ()):
                    pk.damage = max(0, g.max_hp(p, pk) - m.hp)
                    g.log(f"{g.who(p, pk)} is not knocked out: it keeps {m.hp} HP ({g.card_name(c.card)})",
                          kind="damage")

    def knocked_out(self, g, p: int, slot: int, pk: Pokemon, attacker) -> None:
        """Before a knocked-out Pokémon leaves play: its knockout triggers and the attacker's KO triggers."""
        by_attack = attacker is not None and attacker[0] != p
        if by_attack:
            g.pl(p).ko_by_attack_turn = g.s.turn
            att = g.s.find(attacker[1])

            def setup(c, att=att):
                c.attacking = att[2] if att else None
            self.fire(g, p, pk, "knocked_out_by_attack", setup)
            if att is not None:
                self.fire(g, att[0], att[2], "opponent_ko_by_holder")
        self.fire(g, p, pk, "knocked_out")

    # ================================================================================================================
    # Players, targets, filters
    # ================================================================================================================
    @staticmethod
    def player(ctx: Ctx, who: str) -> int:
        return ctx.me if who == "you" else 1 - ctx.me

    def players(self, ctx: Ctx, who: str) -> tuple[int, ...]:
        return (ctx.me, 1 - ctx.me) if who == "both" else (self.player(ctx, who),)

    def among(self, ctx: Ctx, am) -> list[Pokemon]:
        g = ctx.g
        out = []
        for p in self.players(ctx, am.player):
            for slot, pk in g.pl(p).in_play():
                if am.zone == "active" and slot != 0 or am.zone == "bench" and slot == 0:
                    continue
                if am.other and pk is ctx.this:
                    continue
                info = g.info(pk)
                if all(self.passes(ctx, p, pk, info, f) for f in am.filters):
                    out.append(pk)
        return out

    def targets(self, ctx: Ctx, t, path: tuple[int, ...]) -> list[Pokemon]:
        """The Pokémon a target selects (a choice becomes a pending decision)."""
        g = ctx.g
        op = t.op
        if op == "this":
            return [p for p in (self.bound(ctx, ctx.this),) if p is not None]
        if op == "tool_holder":
            return [p for p in (self.bound(ctx, ctx.holder),) if p is not None]
        if op == "defending":
            d = ctx.defending
            if d is not None:
                w = g.where(d)
                if w is not None and w[1] == 0:
                    return [d]
            return []
        if op == "attacking":
            return [p for p in (self.bound(ctx, ctx.attacking),) if p is not None]
        if op == "that":
            return [p for p in ctx.that if g.where(p) is not None]
        if op == "active":
            p = self.player(ctx, t.player)
            pk = g.pl(p).active
            if pk is None or not all(self.passes(ctx, p, pk, g.info(pk), f) for f in t.filters):
                return []
            return [pk]
        if op == "each":
            return self.among(ctx, t.among)
        if op == "choose":
            cands = self.among(ctx, t.among)
            if len(cands) <= t.count and not t.up_to:
                return cands
            chosen: list[Pokemon] = []
            chooser = self.player(ctx, t.chooser)
            for _ in range(t.count):
                opts = [self.encode_pokemon(g, pk) for pk in cands if pk not in chosen]
                if not opts:
                    break
                c = g.choose(chooser, "pokemon", opts, optional=t.up_to or bool(chosen) and False,
                             prompt=f"choose a Pokémon ({len(chosen) + 1} of {t.count})")
                if c is None:
                    break
                chosen.append(self.decode_pokemon(g, c))
            return chosen
        if op == "choose_any":  # any number: a Choose of up to all of them
            n = len(self.among(ctx, t.among))
            return self.targets(ctx, ir.Choose(chooser=t.chooser, count=n, up_to=True, among=t.among), path) if n else []
        if op == "random_pokemon":
            cands = self.among(ctx, t.among)
            chosen = []
            for i in range(min(t.count, len(cands))):
                rest = [pk for pk in cands if pk not in chosen]
                chosen.append(rest[randint(g.key, ctx.addr(path), len(rest), ctx.rep * 256 + i)])
            return chosen
        raise ValueError(f"unknown target {op}")

    def encode_pokemon(self, g, pk: Pokemon) -> int:
        p, slot = g.where(pk)
        return p * (1 + self.rules.bench_size) + slot

    def decode_pokemon(self, g, code: int) -> Pokemon:
        S = 1 + self.rules.bench_size
        return g.pl(code // S).slots[code % S]

    def passes(self, ctx: Ctx, p: int, pk: Pokemon | None, info: CardInfo, f) -> bool:
        """A filter on a Pokémon in play (pk) or on a card (pk None: only card fields)."""
        op = f.op
        if op == "type_is":
            return info.type in [type_index(t) for t in f.types]
        if op == "stage_is":
            if f.stage == "evolution":
                return info.kind == "pokemon" and info.stage > 0
            return info.plays_as_basic if f.stage == "basic" else info.stage == {"stage1": 1, "stage2": 2}[f.stage] \
                and info.kind == "pokemon"
        if op == "is_ex":
            return (info.is_mega if f.mega else info.is_ex) == f.value
        if op == "name_is":
            return info.name in f.names
        if op == "evolves_from":
            if f.name is not None:
                return info.evolves_from == f.name
            ref = ctx.that[0] if ctx.that else ctx.this
            return ref is not None and info.evolves_from == ctx.g.info(ref).name
        if op == "hp_at_most":
            if f.remaining and pk is not None:
                return ctx.g.max_hp(p, pk) - pk.damage <= f.hp
            return info.hp <= f.hp
        if op == "has_tag":
            return f.tag in info.tags
        if op == "retreat_at_least" and pk is None:  # a card: its printed Retreat Cost
            return info.retreat >= f.count
        if pk is None:
            return False
        if op == "damaged":
            return (pk.damage > 0) == f.value
        if op == "has_energy":
            t = energy_index(f.energy_type)
            n = sum(pk.energy) if t is None else pk.energy[t]
            if f.extra and ctx.attack is not None:
                n = self.extra_energy(ctx, pk, t)
            return n >= f.at_least
        if op == "energy_types_at_least":
            return sum(1 for x in pk.energy if x > 0) >= f.count
        if op == "has_tool_named":
            return any(ctx.g.card(t).name in f.names for t in pk.tools)
        if op == "has_tool":
            return bool(pk.tools) == f.value
        if op == "has_ability":
            return info.ability is not None
        if op == "has_condition":
            have = pk.conditions()
            return bool(have) if not f.conditions else any(c in have for c in f.conditions)
        if op == "retreat_at_least":
            return self.retreat_cost(ctx.g, p, pk) >= f.count
        if op == "ability_named":
            return info.ability_name is not None and (info.ability_name in f.names) == f.value
        if op == "put_into_play_this_turn":
            return (pk.entered_turn == ctx.g.s.turn) == f.value
        if op == "since_in_play":
            n = pk.attacks_in_play if f.event == "attacked" else pk.attack_damaged_times
            return (n > 0) == f.value
        if op == "hp_at_most_half":
            return 2 * (ctx.g.max_hp(p, pk) - pk.damage) <= ctx.g.max_hp(p, pk)
        if op == "in_zone":
            w = ctx.g.where(pk)
            return w is not None and (w[1] == 0) == (f.zone == "active")
        raise ValueError(f"unknown filter {op}")

    def extra_energy(self, ctx: Ctx, pk: Pokemon, t: int | None) -> int:
        """The Energy of type t (any type when None) attached to pk beyond what the whole cost of the current attack
        needs (its cost as paid, after AttackCost modifiers; docs/ir.md HasEnergy): the typed symbols of type t,
        plus the Colorless symbols that the other types' Energy left over after their own typed symbols can't pay."""
        g = ctx.g
        w = g.where(ctx.this) if ctx.this is not None else None
        typed, colorless = (self.attack_cost(g, w[0], ctx.this, ctx.attack) if w is not None
                            else ctx.attack.cost_needs())
        have = pk.energy
        if t is None:
            return max(0, sum(have) - sum(typed) - colorless)
        others = sum(max(0, have[u] - typed[u]) for u in range(N_ENERGY) if u != t)
        return max(0, have[t] - typed[t] - max(0, colorless - others))

    def card_ok(self, ctx: Ctx, info: CardInfo, cf) -> bool:
        """A card (in hand, deck or discard pile) passes a CardFilter."""
        k = cf.kind
        if k == "pokemon" and not info.is_pokemon:
            return False
        if k == "trainer" and info.is_pokemon:
            return False
        if k in ("item", "supporter", "tool", "stadium") and info.kind != k:
            return False
        return all(self.passes(ctx, ctx.me, None, info, f) for f in cf.filters)

    # ================================================================================================================
    # Amounts, counts, conditions
    # ================================================================================================================
    def amount(self, ctx: Ctx, a) -> int:
        if a.op == "const":
            return a.value
        return a.each * self.count(ctx, a.count)

    def count(self, ctx: Ctx, c) -> int:
        g = ctx.g
        op = c.op
        if op == "heads":
            return sum(ctx.flips)
        if op == "energy_count":
            t = energy_index(c.energy_type)
            return sum(sum(pk.energy) if t is None else pk.energy[t] for pk in self.targets(ctx, c.target, ()))
        if op == "pokemon_count":
            return len(self.among(ctx, c.among))
        if op == "card_count":
            return len(self.zone_cards(ctx, c.player, c.zone, c.filter))
        if op == "damage_on":
            return sum(pk.damage for pk in self.targets(ctx, c.target, ()))
        if op == "retreat_cost_of":
            out = 0
            for pk in self.targets(ctx, c.target, ()):
                out += self.retreat_cost(g, g.where(pk)[0], pk)
            return out
        if op == "done_count":
            return ctx.done
        if op == "damage_done":
            return ctx.main_done
        if op == "attack_uses":
            return g.pl(ctx.me).attack_uses.get(c.name, 0)
        if op == "points_to_win":
            return max(0, self.rules.points_to_win - g.pl(self.player(ctx, c.player)).points)
        if op == "top_deck_count":
            deck = g.pl(self.player(ctx, c.player)).deck[:c.count]
            return sum(1 for i in deck if self.card_ok(ctx, g.card(i), c.filter))
        if op == "points_of":
            return g.pl(self.player(ctx, c.player)).points
        if op == "tool_count":
            return sum(len(pk.tools) for pk in self.targets(ctx, c.target, ()))
        if op == "energy_type_count":
            return sum(sum(1 for n in pk.energy if n > 0) for pk in self.targets(ctx, c.target, ()))
        if op == "discarded_energy_count":
            t = energy_index(c.energy_type)
            de = g.pl(self.player(ctx, c.player)).discard_energy
            return sum(de) if t is None else de[t]
        if op == "knock_out_count":
            return g.pl(self.player(ctx, c.player)).knocked_out
        if op == "remaining_hp":
            return sum(g.max_hp(g.where(pk)[0], pk) - pk.damage for pk in self.targets(ctx, c.target, ()))
        raise ValueError(f"unknown count {op}")

    def zone_cards(self, ctx: Ctx, who: str, zone: str, cf) -> list[int]:
        g = ctx.g
        pl = g.pl(self.player(ctx, who))
        cards = {"hand": pl.hand, "deck": pl.deck, "discard": pl.discard}[zone]
        return [i for i in cards if self.card_ok(ctx, g.card(i), cf)]

    def cond(self, ctx: Ctx, c) -> bool:
        g = ctx.g
        op = c.op
        if op == "coin_outcome":
            f = ctx.flips
            heads = sum(f)
            return {"heads": heads >= 1, "tails": heads < len(f), "all_heads": bool(f) and heads == len(f),
                    "all_tails": heads == 0, "at_least": heads >= c.count}[c.outcome]
        if op == "matches":
            return self.matches(ctx, self.targets(ctx, c.target, ()), c.filters)
        if op == "exists":
            return bool(self.among(ctx, c.among))
        if op == "card_in":
            return len(self.zone_cards(ctx, c.player, c.zone, c.filter)) >= c.at_least
        if op == "hand_size":
            return len(g.pl(self.player(ctx, c.player)).hand) in c.sizes
        if op == "points":
            pts = g.pl(self.player(ctx, c.player)).points
            return pts >= c.at_least and (c.at_most is None or pts <= c.at_most)
        if op == "history":
            return self.history(ctx, c)
        if op == "count_at_least":
            return self.count(ctx, c.count) >= c.value
        if op == "count_in":
            return self.count(ctx, c.count) in c.values
        if op == "done":
            return ctx.done > 0
        if op == "milled":
            return bool(ctx.milled) and all(self.card_ok(ctx, g.card(i), c.filter) for i in ctx.milled)
        if op == "compare":
            a, b = self.count(ctx, c.left), self.count(ctx, c.right)
            return a > b if c.relation == "more" else a < b if c.relation == "fewer" else a == b
        if op == "stadium_in_play":
            s = g.s
            return s.stadium >= 0 and (c.player == "both" or s.stadium_owner == self.player(ctx, c.player)) and (
                not c.names or g.card(s.stadium).name in c.names)
        if op == "not":
            return not self.cond(ctx, c.condition)
        if op == "all":
            return all(self.cond(ctx, x) for x in c.conditions)
        raise ValueError(f"unknown condition {op}")

    def matches(self, ctx: Ctx, pks: list[Pokemon], filters) -> bool:
        g = ctx.g
        return bool(pks) and all(self.passes(ctx, g.where(pk)[0], pk, g.info(pk), f) for pk in pks for f in filters)

    def bind_requirement(self, ctx: Ctx, req) -> None:
        """After a requirement that is a `Matches` passed, `That` is the Pokémon it was about ("if the Pokémon
        this card is attached to is affected by a Special Condition, it recovers ...")."""
        if req is not None and req.op == "matches":
            ctx.that = self.targets(ctx, req.target, ())

    def history(self, ctx: Ctx, c) -> bool:
        g = ctx.g
        s = g.s
        pl = g.pl(ctx.me)
        ev = c.event
        pk = ctx.this
        if ev == "played_supporter_this_turn":
            return pl.supporters_played > 0
        if ev == "ko_last_turn":
            return pl.ko_by_attack_turn == s.turn - 1 and s.turn_player == ctx.me
        if ev == "used_attack_last_turn":
            return pl.last_attack == c.name and pl.last_attack_turn == s.turn - 2
        if ev == "moved_to_active_this_turn":
            return pk is not None and pk.moved_active_turn == s.turn
        if ev == "evolved_this_turn":
            return pk is not None and pk.evolved_turn == s.turn
        if ev == "damaged_last_turn_while_active":
            return pk is not None and pk.attack_damaged_turn == s.turn - 1
        if ev == "your_first_turn":
            return pl.turns_taken == 1 and s.turn_player == ctx.me
        if ev == "ko_by_this_attack":
            d = ctx.defending
            return d is not None and (g.where(d) is None or d.damage >= g.max_hp(1 - ctx.me, d))
        raise ValueError(f"unknown history event {ev}")

    # ================================================================================================================
    # Steps
    # ================================================================================================================
    def steps(self, ctx: Ctx, steps, path: tuple[int, ...]) -> None:
        for i, st in enumerate(steps):
            self.step(ctx, st, path + (i,))

    def step(self, ctx: Ctx, st, path: tuple[int, ...]) -> None:
        getattr(self, "do_" + st.op)(ctx, st, path)

    def do_attack_damage(self, ctx: Ctx, st, path) -> None:
        n = self.amount(ctx, st.amount)
        ctx.main = n if st.mode == "set" else ctx.main + n if st.mode == "more" else max(0, ctx.main - n)

    def do_attack_does_nothing(self, ctx: Ctx, st, path) -> None:
        ctx.main = 0
        ctx.stopped = True
        raise StopEffect

    def do_damage(self, ctx: Ctx, st, path) -> None:
        g = ctx.g
        pks = self.targets(ctx, st.target, path)
        n = self.amount(ctx, st.amount)
        ctx.that = pks
        for pk in pks:
            w = g.where(pk)
            if w is None:
                continue
            if st.by_attack and ctx.is_attack:
                self.attack_damage(ctx, w[0], pk, n)
            else:
                g.place_damage(w[0], pk, n)

    def do_heal(self, ctx: Ctx, st, path) -> None:
        g = ctx.g
        pks = self.targets(ctx, st.target, path)
        n = None if st.amount is None else self.amount(ctx, st.amount)  # evaluated once, before That is rebound
        ctx.that = pks
        ctx.done = 0
        for pk in pks:
            ctx.done += g.heal(g.where(pk)[0], pk, pk.damage if n is None else n)

    def do_apply_condition(self, ctx: Ctx, st, path) -> None:
        g = ctx.g
        pks = self.targets(ctx, st.target, path)
        ctx.that = pks
        for j, pk in enumerate(pks):
            if self.effects_prevented(ctx, pk):
                continue
            p = g.where(pk)[0]
            conds = list(st.conditions)
            if st.pick == "random":
                if st.exclude_existing:
                    conds = [c for c in conds if c not in pk.conditions()]
                if not conds:
                    continue
                conds = [conds[randint(g.key, ctx.addr(path), len(conds), ctx.rep * 256 + j)]]
            elif st.pick == "choose":
                k = g.choose(self.player(ctx, st.chooser), "condition", [COND_NAMES.index(c) for c in conds],
                             prompt="choose a Special Condition")
                conds = [COND_NAMES[k]]
            for cond in conds:
                if g.set_condition(p, pk, cond) and cond == "Poisoned" and st.poison_damage is not None:
                    pk.poison_damage = st.poison_damage

    def do_recover(self, ctx: Ctx, st, path) -> None:
        g = ctx.g
        pks = self.targets(ctx, st.target, path)
        ctx.that = pks
        for j, pk in enumerate(pks):
            have = [c for c in pk.conditions() if not st.conditions or c in st.conditions]
            if st.random and have:
                have = [have[randint(g.key, ctx.addr(path), len(have), ctx.rep * 256 + j)]]
            for c in have:
                g.log(f"{g.who(g.where(pk)[0], pk)} is no longer {c}", kind="condition")
                remove_condition(pk, c)

    def do_flip(self, ctx: Ctx, st, path) -> None:
        g = ctx.g
        a = ctx.addr(path)
        base = ctx.rep * 256
        if st.until_tails:
            flips = []
            while len(flips) < MAX_FLIPS:
                h = coin(g.key, a, base + len(flips))
                flips.append(h)
                if not h:
                    break
        else:
            n = min(self.amount(ctx, st.count), MAX_FLIPS)
            flips = [coin(g.key, a, base + i) for i in range(n)]
        ctx.flips = flips
        g.log(f"{plural(len(flips), 'coin')} flipped: {' '.join('heads' if f else 'tails' for f in flips) or 'none'}"
              f" ({plural(sum(flips), 'heads', 'heads')})", kind="coin")

    def do_if(self, ctx: Ctx, st, path) -> None:
        c = st.condition
        if c.op == "matches":  # "If the Defending Pokémon is a Basic Pokémon, it ...": That = its subject
            pks = self.targets(ctx, c.target, ())
            ok = self.matches(ctx, pks, c.filters)
            ctx.that = pks
        else:
            ok = self.cond(ctx, c)
        if c.op == "coin_outcome":
            g = ctx.g
            g.log(f"if {COIN_OUTCOMES[c.outcome].format(n=c.count)}: {'yes' if ok else 'no'}", kind="coin")
        if ok:
            self.steps(ctx, st.then, path + (0,))
        else:
            self.steps(ctx, st.otherwise, path + (1,))

    def do_repeat(self, ctx: Ctx, st, path) -> None:
        n = self.amount(ctx, st.times)
        outer = ctx.rep
        for r in range(n):
            ctx.rep = outer * 64 + r + 1
            self.steps(ctx, st.steps, path)
        ctx.rep = outer

    def do_select(self, ctx: Ctx, st, path) -> None:
        ctx.that = self.targets(ctx, st.target, path)

    def do_draw(self, ctx: Ctx, st, path) -> None:
        ctx.done = ctx.g.draw(self.player(ctx, st.player), self.amount(ctx, st.amount))

    def do_draw_until(self, ctx: Ctx, st, path) -> None:
        g = ctx.g
        size = getattr(st, "size", None)
        target = len(g.pl(1 - ctx.me).hand) if size is None else size
        ctx.done = g.draw(ctx.me, max(0, target - len(g.pl(ctx.me).hand)))

    def do_discard_energy(self, ctx: Ctx, st, path) -> None:
        g = ctx.g
        pks = self.targets(ctx, st.target, path)
        ctx.that = pks
        done = 0
        for j, pk in enumerate(pks):
            if self.effects_prevented(ctx, pk):
                continue
            p = g.where(pk)[0]
            for si, sel in enumerate(st.energy):
                t = energy_index(sel.energy_type)
                if sel.count is None:
                    for u in ([t] if t is not None else range(N_ENERGY)):
                        done += g.discard_energy(p, pk, u, pk.energy[u])
                    continue
                for k in range(sel.count):
                    types = [u for u in range(N_ENERGY) if pk.energy[u] > 0 and (t is None or u == t)]
                    if not types:
                        break
                    if st.random:
                        units = [u for u in types for _ in range(pk.energy[u])]
                        u = units[randint(g.key, ctx.addr(path), len(units), ctx.rep * 256 + j * 16 + si * 4 + k)]
                    else:
                        u = g.choose(ctx.me, "energy", types, prompt="choose an Energy to discard")
                    done += g.discard_energy(p, pk, u, 1)
        ctx.done = done

    def do_discard_energy_among(self, ctx: Ctx, st, path) -> None:
        """`count` Energy at random from all the Energy of the Pokémon of `among` taken together (docs/ir.md)."""
        g = ctx.g
        pks = [pk for pk in self.among(ctx, st.among) if not self.effects_prevented(ctx, pk)]
        done = 0
        for k in range(st.count):
            units = [(pk, u) for pk in pks for u in range(N_ENERGY) for _ in range(pk.energy[u])]
            if not units:
                break
            pk, u = units[randint(g.key, ctx.addr(path), len(units), ctx.rep * 256 + k)]
            done += g.discard_energy(g.where(pk)[0], pk, u, 1)
        ctx.done = done

    def do_set_next_energy(self, ctx: Ctx, st, path) -> None:
        g = ctx.g
        pl = g.pl(self.player(ctx, st.player))
        pl.energy_next = energy_index(st.types[randint(g.key, ctx.addr(path), len(st.types), ctx.rep * 256)])

    def do_change_energy_type(self, ctx: Ctx, st, path) -> None:
        g = ctx.g
        for j, pk in enumerate(self.targets(ctx, st.target, path)):
            if self.effects_prevented(ctx, pk):
                continue
            units = [u for u in range(N_ENERGY) for _ in range(pk.energy[u])]
            if not units:
                continue
            u = units[randint(g.key, ctx.addr(path), len(units), ctx.rep * 256 + j * 2)]
            v = energy_index(st.types[randint(g.key, ctx.addr(path), len(st.types), ctx.rep * 256 + j * 2 + 1)])
            pk.energy[u] -= 1
            pk.energy[v] += 1

    def do_discard_tools(self, ctx: Ctx, st, path) -> None:
        g = ctx.g
        pks = self.targets(ctx, st.target, path)
        ctx.that = pks
        ctx.done = 0
        for pk in pks:
            if self.effects_prevented(ctx, pk):
                continue
            p = g.where(pk)[0]
            ctx.done += len(pk.tools)
            if pk.tools:
                g.log(f"{names(g.card(t) for t in pk.tools)} discarded from {g.who(p, pk)}", kind="cards")
            g.pl(p).discard.extend(pk.tools)
            pk.tools = []

    def do_attach_energy(self, ctx: Ctx, st, path) -> None:
        g = ctx.g
        pks = self.targets(ctx, st.target, path)
        ctx.that = pks
        if not pks:
            return
        pl = g.pl(ctx.me)
        units: list[int] = []
        for si, sel in enumerate(st.energy):
            t = energy_index(sel.energy_type)
            if st.source == "zone":
                for k in range(sel.count or 1):
                    units.append(t if t is not None else g.roll_energy(ctx.me, 16 + si * 4 + k))
            else:
                n = sel.count
                avail = lambda: [u for u in range(N_ENERGY) if pl.discard_energy[u] > 0 and (t is None or u == t)]
                k = 0
                while (n is None or k < n) and avail():
                    types = avail()
                    if st.random or len(types) == 1:
                        pool = [u for u in types for _ in range(pl.discard_energy[u])]
                        u = pool[randint(g.key, ctx.addr(path), len(pool), ctx.rep * 256 + si * 16 + k)]
                    else:
                        u = g.choose(ctx.me, "energy", types, prompt="choose an Energy from your discard pile")
                    pl.discard_energy[u] -= 1
                    units.append(u)
                    k += 1
        src = "the Energy Zone" if st.source == "zone" else "the discard pile"
        if st.distribute and len(pks) > 1:
            for u in units:
                c = g.choose(ctx.me, "pokemon", [self.encode_pokemon(g, pk) for pk in pks],
                             prompt=f"attach {ir_energy_name(u)} Energy to")
                self.decode_pokemon(g, c).energy[u] += 1
                self.log_energy(g, [u], self.decode_pokemon(g, c), src)
        else:
            for pk in pks:
                for u in units:
                    pk.energy[u] += 1
                self.log_energy(g, units, pk, src)
        ctx.done = len(units)

    @staticmethod
    def log_energy(g, units: list[int], pk: Pokemon, src: str) -> None:
        if units:
            g.log(f"{g.who(g.where(pk)[0], pk)} gets {', '.join(ENERGY_TYPES[u] for u in units)} Energy from {src}",
                  kind="energy")

    def move_ends(self, ctx: Ctx, st, path) -> tuple[list, Any] | None:
        """Sources and the one destination of a move step (its first target), or None without a destination."""
        srcs = self.targets(ctx, st.source, path + (0,))
        dsts = self.targets(ctx, st.target, path + (1,))
        return (srcs, dsts[0]) if dsts else None

    def do_move_energy_one_of(self, ctx: Ctx, st, path) -> None:
        g = ctx.g
        ends = self.move_ends(ctx, st, path)
        ctx.done = 0
        if ends is None:
            return
        srcs, dst = ends
        allowed = [energy_index(t) for t in st.energy_types]
        for src in srcs:
            types = [u for u in allowed if src is not dst and src.energy[u] > 0]
            if not types:
                continue
            u = types[0] if len(types) == 1 else g.choose(ctx.me, "energy", types, prompt="choose an Energy to move")
            src.energy[u] -= 1
            dst.energy[u] += 1
            ctx.done = 1
            g.log(f"{ENERGY_TYPES[u]} Energy moves from {g.who(g.where(src)[0], src)} to {g.info(dst).name}",
                  kind="energy")
            break
        ctx.that = [dst]

    def do_move_energy(self, ctx: Ctx, st, path) -> None:
        g = ctx.g
        ends = self.move_ends(ctx, st, path)
        if ends is None:
            return
        srcs, dst = ends
        t = energy_index(st.energy.energy_type)
        moved = 0
        for src in srcs:
            if src is dst:
                continue
            before = list(src.energy)
            if st.energy.count is None:  # all (of the type)
                for u in ([t] if t is not None else range(N_ENERGY)):
                    n, src.energy[u] = src.energy[u], 0
                    dst.energy[u] += n
                    moved += n
            else:
                while moved < st.energy.count:  # one at a time; the owner picks the type when several are attached
                    types = [u for u in range(N_ENERGY) if src.energy[u] > 0 and (t is None or u == t)]
                    if not types:
                        break
                    u = g.choose(ctx.me, "energy", types, prompt="choose an Energy to move")
                    src.energy[u] -= 1
                    dst.energy[u] += 1
                    moved += 1
            units = [u for u in range(N_ENERGY) for _ in range(before[u] - src.energy[u])]
            if units:
                g.log(f"{', '.join(ENERGY_TYPES[u] for u in units)} Energy moves from {g.who(g.where(src)[0], src)} "
                      f"to {g.info(dst).name}", kind="energy")
        ctx.that = [dst]
        ctx.done = moved

    def do_discard_cards(self, ctx: Ctx, st, path) -> None:
        g = ctx.g
        p = self.player(ctx, st.player)
        pl = g.pl(p)
        if st.zone == "deck":
            k = min(st.count, len(pl.deck))
            if k:
                g.log(f"player {p} discards the top {plural(k, 'card')} of their deck: "
                      f"{names(g.card(i) for i in pl.deck[:k])}", kind="cards")
            pl.discard.extend(pl.deck[:k])
            ctx.milled = list(pl.deck[:k])
            del pl.deck[:k]
            ctx.done = k
            return
        done = 0
        for k in range(st.count):
            cands = [i for i in pl.hand if self.card_ok(ctx, g.card(i), st.filter)]
            if not cands:
                break
            if st.random:
                inst = cands[randint(g.key, ctx.addr(path), len(cands), ctx.rep * 256 + k)]
            else:
                inst = g.choose(self.player(ctx, st.chooser), "card", sorted(cands, key=lambda i: (g.s.card_of[i], i)),
                                optional=st.up_to, prompt="choose a card to discard")
                if inst is None:
                    break
            pl.hand.remove(inst)
            pl.discard.append(inst)
            g.log(f"player {p} discards {g.card(inst).name} from their hand", kind="cards")
            done += 1
        ctx.done = done

    def do_fetch(self, ctx: Ctx, st, path) -> None:
        g = ctx.g
        p = self.player(ctx, st.player)
        pl = g.pl(p)
        zone = pl.deck if st.source == "deck" else pl.discard
        done = 0
        for k in range(st.count):
            cands = [i for i in zone if self.card_ok(ctx, g.card(i), st.filter)]
            if st.to == "bench":
                cands = [i for i in cands if g.card(i).plays_as_basic]
                if None not in pl.slots[1:]:
                    break
            elif len(pl.hand) >= self.rules.hand_limit:
                break
            if not cands:
                break
            if st.random:
                inst = cands[randint(g.key, ctx.addr(path), len(cands), ctx.rep * 256 + k)]
            else:
                inst = g.choose(p, "card", sorted(cands, key=lambda i: (g.s.card_of[i], i)),
                                prompt=f"choose a card from your {st.source}")
            zone.remove(inst)
            if st.to == "bench":
                slot = pl.slots.index(None, 1)
                pl.slots[slot] = Pokemon([inst], entered_turn=g.s.turn)
                g.log(f"player {p} puts {g.card(inst).name} from their {st.source} onto the Bench", kind="cards")
            else:
                pl.hand.append(inst)
                if st.source == "deck":  # the opponent sees that a card was taken, not which
                    g.log(f"player {p} puts a card from their deck into their hand", p, g.card(inst).name, "cards")
                else:
                    g.log(f"player {p} puts {g.card(inst).name} from their discard pile into their hand",
                          kind="cards")
            done += 1
        if st.source == "deck":
            g.shuffle_deck(p, salt=ctx.addr(path) & 0xFFFF)
        ctx.done = done

    def do_evolve_from_deck(self, ctx: Ctx, st, path) -> None:
        g = ctx.g
        for j, pk in enumerate(self.targets(ctx, st.target, path)):
            p = g.where(pk)[0]
            pl = g.pl(p)
            name = g.info(pk).name
            cands = [i for i in pl.deck if g.card(i).evolves_from == name and self.card_ok(ctx, g.card(i), st.filter)]
            if cands:
                inst = cands[randint(g.key, ctx.addr(path), len(cands), ctx.rep * 256 + j)]
                pl.deck.remove(inst)
                pl.hand.append(inst)
                g.evolve(p, len(pl.hand) - 1, g.slot_of(p, pk))
            g.shuffle_deck(p, salt=ctx.addr(path) & 0xFFFF)

    def do_evolve_from_hand(self, ctx: Ctx, st, path) -> None:
        """Evolve each of your target Pokémon with a card you choose from your hand that evolves from it (with
        skip_stage1: a Stage 2 card whose Stage 1, by name, evolves from it); nothing happens without one."""
        g = ctx.g
        pl = g.pl(ctx.me)
        ctx.done = 0
        for pk in self.targets(ctx, st.target, path):
            w = g.where(pk)
            if w is None or w[0] != ctx.me:
                continue
            name = g.info(pk).name
            if st.skip_stage1:
                mids = {c.name for c in self.db.cards if c.kind == "pokemon" and c.stage == 1 and c.evolves_from == name}
                cands = [i for i in pl.hand if g.card(i).stage == 2 and g.card(i).evolves_from in mids]
            else:
                cands = [i for i in pl.hand if g.card(i).kind == "pokemon" and g.card(i).evolves_from == name]
            inst = g.choose(ctx.me, "card", sorted(cands, key=lambda i: (g.s.card_of[i], i)),
                            prompt=f"choose a card from your hand to evolve {name} into")
            if inst is not None:
                g.evolve(ctx.me, pl.hand.index(inst), w[1])
                ctx.done += 1

    def do_shuffle_hand(self, ctx: Ctx, st, path) -> None:
        g = ctx.g
        for p in self.players(ctx, st.player):
            pl = g.pl(p)
            g.log(f"player {p} shuffles {plural(len(pl.hand), 'card')} from their hand into their deck", kind="cards")
            pl.deck.extend(pl.hand)
            pl.hand = []
            g.shuffle_deck(p, salt=ctx.addr(path) & 0xFFFF)

    def do_shuffle_hand_redraw(self, ctx: Ctx, st, path) -> None:
        g = ctx.g
        for p in self.players(ctx, st.player):
            pl = g.pl(p)
            n = len(pl.hand)
            pl.deck.extend(pl.hand)
            pl.hand = []
            g.shuffle_deck(p, salt=(ctx.addr(path) + p) & 0xFFFF)
            g.draw(p, n)

    def do_pooled_hand_to_deck(self, ctx: Ctx, st, path) -> None:
        g = ctx.g
        cards = [(p, i) for p in (0, 1) for i in g.pl(p).hand]
        if not cards:
            return
        p, inst = cards[randint(g.key, ctx.addr(path), len(cards), ctx.rep * 256)]
        g.pl(p).hand.remove(inst)
        g.pl(p).deck.append(inst)
        g.log(f"player {p} shuffles {g.card(inst).name} from their hand into their deck")
        g.shuffle_deck(p, salt=ctx.addr(path) & 0xFFFF)
        ctx.done = 1

    def do_swap_hand_deck(self, ctx: Ctx, st, path) -> None:
        g = ctx.g
        pl = g.pl(ctx.me)
        mine = [i for i in pl.hand if self.card_ok(ctx, g.card(i), st.filter)]
        theirs = [i for i in pl.deck if self.card_ok(ctx, g.card(i), st.filter)]
        if not mine or not theirs:
            return
        got = theirs[randint(g.key, ctx.addr(path), len(theirs), ctx.rep * 256)]
        inst = g.choose(ctx.me, "card", sorted(mine, key=lambda i: (g.s.card_of[i], i)),
                        prompt="choose a card to switch with a random one of your deck")
        pl.hand.remove(inst)
        pl.deck.remove(got)
        pl.deck.append(inst)
        pl.hand.append(got)
        g.log(f"player {ctx.me} switches a card from their hand with one from their deck", ctx.me,
              f"{g.card(inst).name} for {g.card(got).name}")
        g.shuffle_deck(ctx.me, salt=ctx.addr(path) & 0xFFFF)
        ctx.done = 1

    def do_reveal_top(self, ctx: Ctx, st, path) -> None:
        g = ctx.g
        p = self.player(ctx, st.player)
        g.log(f"player {p} reveals the top of their deck: " + ", ".join(g.card(i).name for i in g.pl(p).deck[:st.count]))

    def do_take_top(self, ctx: Ctx, st, path) -> None:
        g = ctx.g
        pl = g.pl(ctx.me)
        top, below = pl.deck[:st.count], pl.deck[st.count:]
        take = [i for i in top if self.card_ok(ctx, g.card(i), st.filter)]
        rest = [i for i in top if i not in take]
        for i in take:
            g.to_hand(ctx.me, i)  # to the discard pile when the hand is full
        g.log(f"player {ctx.me} looks at the top of their deck and puts {plural(len(take), 'card')} into their hand",
              ctx.me, ", ".join(g.card(i).name for i in take))
        if st.rest == "bottom":
            pl.deck = below + rest
        else:
            pl.deck = rest + below
            g.shuffle_deck(ctx.me, salt=ctx.addr(path) & 0xFFFF)
        ctx.done = len(take)

    def do_reveal_hand(self, ctx: Ctx, st, path) -> None:
        g = ctx.g
        p = self.player(ctx, st.player)
        g.log(f"player {p} reveals: " + (names(g.card(i) for i in g.pl(p).hand) or "an empty hand"), kind="cards")

    def do_reveal_cards(self, ctx: Ctx, st, path) -> None:
        g = ctx.g
        p = self.player(ctx, st.player)
        shown = [g.card(i).name for i in self.zone_cards(ctx, st.player, st.zone, st.filter)]
        g.log(f"player {p} reveals from their {st.zone}: " + (", ".join(shown) or "nothing"))

    def do_look_top(self, ctx: Ctx, st, path) -> None:
        g = ctx.g
        p = self.player(ctx, st.player)
        deck = "their" if p == ctx.me else f"player {p}'s"
        g.log(f"player {ctx.me} looks at the top of {deck} deck", private=ctx.me, kind="cards",
              detail=", ".join(g.card(i).name for i in g.pl(p).deck[:st.count]))

    def do_arrange_top(self, ctx: Ctx, st, path) -> None:
        """Look at the top N cards of a deck and put them back in the order you choose: the card for the top first,
        then the next (a decision of yours for each position but the last)."""
        g = ctx.g
        p = self.player(ctx, st.player)
        deck = g.pl(p).deck
        n = min(max(0, self.amount(ctx, st.count)), len(deck))
        left, order = list(deck[:n]), []
        who = "their" if p == ctx.me else f"player {p}'s"
        g.log(f"player {ctx.me} looks at the top {plural(n, 'card')} of {who} deck", private=ctx.me, kind="cards",
              detail=", ".join(g.card(i).name for i in left))
        while len(left) > 1:
            c = g.choose(ctx.me, "card", sorted(left, key=lambda i: (g.s.card_of[i], i)), prompt=f"put a card back on top of the deck ({len(order) + 1} "
                                                            f"of {n}, from the top)")
            left.remove(c)
            order.append(c)
        deck[:n] = order + left
        if n > 1:
            g.log(f"player {ctx.me} puts them back in the order they chose", kind="cards")

    def do_hand_to_deck(self, ctx: Ctx, st, path) -> None:
        g = ctx.g
        p = self.player(ctx, st.player)
        pl = g.pl(p)
        cands = [i for i in pl.hand if self.card_ok(ctx, g.card(i), st.filter)]
        if not cands:
            return
        if st.random:
            inst = cands[randint(g.key, ctx.addr(path), len(cands), ctx.rep * 256)]
        else:
            inst = g.choose(self.player(ctx, st.chooser), "card", sorted(cands, key=lambda i: (g.s.card_of[i], i)),
                            prompt="choose a card to shuffle into the deck")
        pl.hand.remove(inst)
        pl.deck.append(inst)
        g.log(f"player {p} puts a card from their hand into their deck", p, g.card(inst).name, "cards")
        g.shuffle_deck(p, salt=ctx.addr(path) & 0xFFFF)
        ctx.done = 1

    def do_switch(self, ctx: Ctx, st, path) -> None:
        g = ctx.g
        p = self.player(ctx, st.player)
        act = g.pl(p).active
        if act is None or not all(self.passes(ctx, p, act, g.info(act), f) for f in st.only_if):
            return
        if p != ctx.me and self.effects_prevented(ctx, act):
            return
        new = self.targets(ctx, st.new_active, path)
        if not new:
            return
        w = g.where(new[0])
        if w is None or w[0] != p or w[1] == 0:
            return
        g.switch_active(p, w[1])
        new[0].moved_active_turn = g.s.turn
        ctx.that = [new[0]]

    def do_return_pokemon(self, ctx: Ctx, st, path) -> None:
        g = ctx.g
        for pk in self.targets(ctx, st.target, path):
            if self.effects_prevented(ctx, pk):
                continue
            p, slot = g.where(pk)
            pl = g.pl(p)
            g.log(f"{g.who(p, pk)} is returned to the {'deck' if st.to == 'deck' else 'hand'}", kind="cards")
            cards = pk.cards + pk.tools
            for t in range(N_ENERGY):
                pl.discard_energy[t] += pk.energy[t]
            pl.slots[slot] = None
            g.drop_durations(pk.uid)
            if st.to == "deck":
                pl.deck.extend(cards)
                g.shuffle_deck(p, salt=ctx.addr(path) & 0xFFFF)
            else:
                for c in cards:
                    g.to_hand(p, c)
        g.promote_all()

    def do_knock_out(self, ctx: Ctx, st, path) -> None:
        g = ctx.g
        for pk in self.targets(ctx, st.target, path):
            if self.effects_prevented(ctx, pk):
                continue
            g.log(f"an effect knocks out {g.who(g.where(pk)[0], pk)}", kind="damage")
            pk.damage = g.max_hp(g.where(pk)[0], pk)

    def do_set_hp(self, ctx: Ctx, st, path) -> None:
        g = ctx.g
        for pk in self.targets(ctx, st.target, path):
            if self.effects_prevented(ctx, pk):
                continue
            hp = g.max_hp(g.where(pk)[0], pk)
            remaining = hp - pk.damage
            new = (remaining // 2) // 10 * 10 if st.halve else st.hp
            if new is not None:
                pk.damage = max(0, hp - new)
                g.log(f"{g.who(g.where(pk)[0], pk)} now has {hp - pk.damage}/{hp} HP", kind="damage")

    def do_move_damage(self, ctx: Ctx, st, path) -> None:
        g = ctx.g
        ends = self.move_ends(ctx, st, path)
        if ends is None:
            return
        srcs, dst = ends
        dp = g.where(dst)[0]
        for src in srcs:
            if src is dst or self.effects_prevented(ctx, dst):
                continue
            n = src.damage if st.amount is None else min(src.damage, self.amount(ctx, st.amount))
            src.damage -= n
            g.place_damage(dp, dst, n, f"moved from {g.info(src).name}")

    def do_lasting(self, ctx: Ctx, st, path) -> None:
        g = ctx.g
        s = g.s
        m = st.modifier
        until = {"this_turn": s.turn, "opponent_next_turn": s.turn + 1, "your_next_turn": s.turn + 2,
                 "until_leaves_active": 10**9}[st.duration]
        field = pokemon_field(m)
        target_node = getattr(m, field) if field else None
        uid, player = -1, ctx.me
        that = ctx.that
        if target_node is not None and target_node.op in ("choose", "random_pokemon", "that"):
            that = self.targets(ctx, target_node, path)
            m = m.model_copy(update={field: ir.That()})
        if target_node is not None and target_node.op not in ("active", "each"):
            sel = that if target_node.op in ("choose", "random_pokemon", "that") else \
                self.targets(ctx, target_node, path)
            if not sel:
                return
            if any(self.effects_prevented(ctx, pk) for pk in sel):
                return
            uid = sel[0].uid
            player = g.where(sel[0])[0]
        def uid_of(pk: Pokemon | None) -> int:
            return -1 if pk is None else pk.uid
        binding = (uid_of(ctx.this), uid_of(ctx.defending), [pk.uid for pk in that], uid_of(ctx.holder))
        if not st.stacks and any(d.target == uid and d.data[0] == m for d in s.durations):
            return
        g.add_duration(ctx.me, player, uid, until, (m, binding), ctx.card)
        on = f" on {g.who(player, sel[0])}" if uid >= 0 else ""
        g.log(f"{g.card_name(ctx.card)}'s effect{on} lasts {LASTS[st.duration].format(me=ctx.me, opp=1 - ctx.me)}",
              kind="info")

    def do_alternative_cost(self, ctx: Ctx, st, path) -> None:
        """Read when the attack's cost is checked (attack_cost)."""

    def do_damage_ignores(self, ctx: Ctx, st, path) -> None:
        if st.what == "weakness":
            ctx.ignore_weakness = True
        else:
            ctx.ignore_effects = True

    def do_copy_attack(self, ctx: Ctx, st, path) -> None:
        """Choose an attack of a Pokémon of `among` and run it as this attack (its damage and steps)."""
        g = ctx.g
        opts = []
        for pk in self.among(ctx, st.among):
            code = self.encode_pokemon(g, pk)
            opts += [code * 16 + k for k, a in enumerate(g.info(pk).attacks)
                     if not any(isinstance(n, ir.CopyAttack) for n in ir.iter_nodes(a.effect))]
        if not opts:
            return
        c = g.choose(ctx.me, "attack", opts, prompt="choose an attack to use")
        src = self.decode_pokemon(g, c // 16)
        copied = g.info(src).attacks[c % 16]
        g.log(f"{g.info(ctx.this).name} uses {g.info(src).name}'s {copied.name}", kind="action")
        ctx.main = 0
        ctx.copied = True
        if st.needs_energy and not self.cost_paid(g, ctx.me, ctx.this, copied):
            return
        eff = copied.effect if isinstance(copied.effect, ir.Attack) else ir.Attack()
        inner = Ctx(g, ctx.me, ctx.this, g.info(src).index, c % 16, ctx.src_slot)
        inner.is_attack, inner.attack, inner.defending, inner.main = True, copied, ctx.defending, copied.damage
        idx = ir.main_damage_index(eff)
        try:
            for i, step in enumerate(eff.steps):
                if i == idx:
                    self.deal_main(inner)
                self.step(inner, step, path + (i,))
            if idx >= len(eff.steps):
                self.deal_main(inner)
        except StopEffect:
            pass
        ctx.damaged += [pk for pk in inner.damaged if pk not in ctx.damaged]
        ctx.end_turn = ctx.end_turn or inner.end_turn

    def do_discard_pokemon(self, ctx: Ctx, st, path) -> None:
        g = ctx.g
        ctx.done = 0
        for pk in self.targets(ctx, st.target, path):
            if self.effects_prevented(ctx, pk):
                continue
            w = g.where(pk)
            if w is not None:
                g.log(f"{g.who(w[0], pk)} is discarded from play", kind="cards")
                g.discard_pokemon(*w)
                ctx.done += 1
        g.check_winner()
        g.promote_all()

    def do_survive_knock_out(self, ctx: Ctx, st, path) -> None:
        g = ctx.g
        pk = ctx.this
        w = g.where(pk) if pk is not None else None
        if w is not None:
            pk.damage = max(0, g.max_hp(w[0], pk) - st.hp)
            g.log(f"{g.who(w[0], pk)} is not knocked out: it keeps {st.hp} HP", kind="damage")

    def do_choose_one(self, ctx: Ctx, st, path) -> None:
        k = ctx.g.choose(ctx.me, "option", list(range(len(st.options))), prompt="choose 1")
        self.steps(ctx, st.options[k], path + (k,))

    def do_shuffle_deck(self, ctx: Ctx, st, path) -> None:
        ctx.g.shuffle_deck(self.player(ctx, st.player), salt=ctx.addr(path) & 0xFFFF)

    def do_discard_stadium(self, ctx: Ctx, st, path) -> None:
        ctx.done = int(ctx.g.discard_stadium())

    def do_no_points(self, ctx: Ctx, st, path) -> None:
        if ctx.this is not None:
            ctx.g.no_points.add(ctx.this.uid)

    def do_devolve(self, ctx: Ctx, st, path) -> None:
        g = ctx.g
        for pk in self.targets(ctx, st.target, path):
            w = g.where(pk)
            if w is None or len(pk.cards) < 2 or self.effects_prevented(ctx, pk):
                continue
            inst = pk.cards.pop()
            g.pl(w[0]).hand.append(inst)
            g.log(f"{g.card(inst).name} is put into player {w[0]}'s hand: {g.who(w[0], pk)} devolves", kind="cards")
            pk.clear_conditions()
            g.drop_durations(pk.uid)

    def do_ko_to_hand(self, ctx: Ctx, st, path) -> None:
        pk = ctx.holder or ctx.this
        if pk is not None:
            ctx.g.ko_to_hand.add(pk.uid)

    def do_end_turn(self, ctx: Ctx, st, path) -> None:
        ctx.end_turn = True

    def do_optional(self, ctx: Ctx, st, path) -> None:
        g = ctx.g
        if not all(self.step_possible(ctx, x) for x in st.steps):
            return
        if g.choose(ctx.me, "optional", [1], optional=True, prompt="use this effect?") is None:
            return
        self.steps(ctx, st.steps, path + (0,))
        self.steps(ctx, st.then, path + (1,))


def pokemon_field(m) -> str | None:
    """The field naming the Pokémon a modifier is on (its `target`; a DamageDealt's `attacker`), or None (CantPlay,
    CantBeHealed, AtEnd). A Lasting effect on one Pokémon ends when that Pokémon leaves the Active Spot
    (until_leaves_active), moves to the Bench, evolves or leaves play."""
    fields = type(m).model_fields
    return "target" if "target" in fields else "attacker" if "attacker" in fields else None


def energy_index(name: str | None) -> int | None:
    """An Energy type's index; None for "any type" (no type, or [C]: an Energy of any type)."""
    if name is None or name in ("Colorless", "Dragon"):
        return None
    return type_index(name)


def remove_condition(pk: Pokemon, cond: str) -> None:
    if cond == "Poisoned":
        pk.poisoned = False
        pk.poison_damage = -1
    elif cond == "Burned":
        pk.burned = False
    elif (cond == "Asleep" and pk.rot == ASLEEP or cond == "Paralyzed" and pk.rot == PARALYZED
          or cond == "Confused" and pk.rot == CONFUSED):
        pk.rot = ROT_NONE
        pk.paralysis_left = 0


def ir_energy_name(t: int) -> str:
    from .state import POKEMON_TYPES

    return POKEMON_TYPES[t]


__all__ = ["Interpreter", "Ctx", "executable_problems", "that_problems", "attach_effects", "set_card_ir",
           "EXECUTABLE_OPS"]
