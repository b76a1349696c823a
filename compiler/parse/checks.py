"""Checks on a parsed IR that refuse readings the grammar accepts but the text does not support: a card "you find
there" without the reveal it refers to, a coin result without the flip it reads, "it" / "that Pokémon" without a
Pokémon it can refer to. Each raises `Unsupported`, so the text becomes Unresolved instead of a silent guess."""

from __future__ import annotations

from dataclasses import dataclass, replace

from .. import ir
from .transform import Unsupported, from_revealed

TARGETS = (ir.ThisPokemon, ir.ToolHolder, ir.Defending, ir.Attacking, ir.That, ir.Active, ir.Each, ir.Choose,
           ir.RandomPokemon)


def check(node) -> None:
    """Run every check on a top-level IR node."""
    _check_knockout_steps(node)
    _check_revealed(node)
    _check_scopes(node)
    _check_conditions(node)


def _check_knockout_steps(node) -> None:
    """A step about a knockout in progress ("put it into your hand instead of the discard pile") belongs to a
    trigger on that knockout, about the Pokémon with the text (its own steps, not a nested effect)."""
    tops = node.effects if isinstance(node, ir.Tool) else (node,)
    allowed = set()
    for t in tops:
        if isinstance(t, ir.Triggered) and t.trigger.event in ("knocked_out", "knocked_out_by_attack"):
            allowed |= {id(s) for s in t.steps}
    for n in ir.iter_nodes(node):
        if isinstance(n, ir.KnockedOutToHand) and id(n) not in allowed:
            raise Unsupported("a knockout that goes elsewhere, outside a trigger on that knockout")


def _check_conditions(node) -> None:
    """A condition on a group ("If your opponent's Benched Pokémon has damage on it") does not say whether all or
    any of them must pass; `Exists` is "any" and is written "If any of ..."."""
    for n in ir.iter_nodes(node):
        if isinstance(n, ir.Matches) and isinstance(n.target, (ir.Each, ir.Choose, ir.RandomPokemon)):
            raise Unsupported("a condition on a group of Pokémon that does not say 'any' or 'all'")


def _check_revealed(node) -> None:
    """Every "card you find there" step must directly follow, in the same list of steps, the reveal of the
    opponent's hand it refers to (else it would act on a hand nobody revealed)."""
    lists = [getattr(n, name) for n in ir.iter_nodes(node) for name in type(n).model_fields]
    while lists:
        steps = lists.pop()
        if not isinstance(steps, tuple):
            continue
        lists.extend(x for x in steps if isinstance(x, tuple))  # ChooseOne options
        for i, step in enumerate(steps):
            if from_revealed(step) and (i == 0 or steps[i - 1] != ir.RevealHand(player="opponent")):
                raise Unsupported("'a card you find there' not right after your opponent reveals their hand")


@dataclass(frozen=True)
class Scope:
    """What a step can refer to: the latest coin flip it can read, and whether some Pokémon was selected before
    it (for `That`). Steps inside an If, Repeat, Optional or Choose 1 branch do not change the scope after it."""

    flip: ir.Flip | None = None
    ref: bool = False
    selected: bool = False  # a Select chose a Pokémon
    mixed: bool = False  # ... and another Pokémon was targeted since: "it" is ambiguous


def _check_scopes(node) -> None:
    if isinstance(node, ir.Attack):
        _check_refs(node.requirement, Scope())
        _walk(node.steps, Scope(ref=isinstance(node.requirement, ir.Matches)))
    elif isinstance(node, ir.Activated):
        _check_refs(node.requirement, Scope())
        scope = _walk(node.cost, Scope(ref=isinstance(node.requirement, ir.Matches)))
        _walk(node.steps, scope)
    elif isinstance(node, ir.TrainerEffect):
        _check_refs(node.requirement, Scope())
        _walk(node.steps, Scope())
    elif isinstance(node, ir.Triggered):
        _check_refs(node.requirement, Scope(ref=True))
        _walk(node.steps, Scope(ref=True))  # "it": the Pokémon the trigger is about
    elif isinstance(node, ir.Tool):
        for eff in node.effects:
            _check_scopes(eff)
    elif isinstance(node, ir.Passive):
        _check_refs((node.requirement, node.modifiers), Scope(ref=True))


def _walk(steps, scope: Scope) -> Scope:
    """Check each step against what precedes it; return the scope after the steps."""
    for step in steps:
        if isinstance(step, ir.If):
            _check_refs(step.condition, scope)
            inner = replace(scope, ref=scope.ref or isinstance(step.condition, ir.Matches))
            _walk(step.then, inner)
            _walk(step.otherwise, inner)
            ends = [b[-1] for b in (step.then, step.otherwise) if b and isinstance(b[-1], ir.Flip)]
            if len(ends) == 2:  # "Flip 2 coins. ... If ..., flip 4 coins instead.": a flip on either branch
                scope = replace(scope, flip=min(ends, key=lambda f: (f.until_tails, _coins(f))))
        elif isinstance(step, ir.Repeat):
            _check_refs(step.times, scope)
            _walk(step.steps, scope)
        elif isinstance(step, ir.Optional_):
            _walk(step.then, _walk(step.steps, scope))
        elif isinstance(step, ir.ChooseOne):
            for option in step.options:
                _walk(option, scope)
        elif isinstance(step, ir.Lasting) and hasattr(step.modifier, "steps"):
            _check_refs(step.modifier.model_copy(update={"steps": ()}), scope)
            _walk(step.modifier.steps, Scope(ref=True))  # they run later, about the Pokémon they name
        else:
            _check_refs(step, scope)
            if isinstance(step, ir.Flip):
                scope = replace(scope, flip=step)
            if isinstance(step, ir.Select):
                scope = replace(scope, ref=True, selected=True, mixed=False)
            elif any(isinstance(n, TARGETS) and not isinstance(n, ir.That) for n in ir.iter_nodes(step)):
                scope = replace(scope, ref=True, mixed=scope.selected)
    return scope


def _check_refs(node, scope: Scope) -> None:
    """The coin results and `That` in `node` (no nested steps) must have something to refer to."""
    for n in ir.iter_nodes(node):
        if isinstance(n, (ir.Heads, ir.CoinOutcome)) and scope.flip is None:
            raise Unsupported("a coin result without a coin flip before it")
        if isinstance(n, ir.CoinOutcome) and not _fits(n, scope.flip):
            raise Unsupported(f"'{n.outcome}' does not fit the coins flipped before it")
        if isinstance(n, ir.That) and not scope.ref:
            raise Unsupported("'it' / 'that Pokémon' without a Pokémon selected before it in the same branch")
        if isinstance(n, ir.That) and scope.mixed:
            raise Unsupported("'it' / 'that Pokémon' after both a chosen Pokémon and another target")


def _coins(flip: ir.Flip) -> int:
    return flip.count.value if isinstance(flip.count, ir.Const) else 0


def _fits(outcome: ir.CoinOutcome, flip: ir.Flip) -> bool:
    """"If heads" / "If tails" read one coin; "both of them" two coins; "at least N of them" N or more coins."""
    n = flip.count.value if isinstance(flip.count, ir.Const) and not flip.until_tails else None
    if outcome.outcome in ("heads", "tails"):
        return n == 1
    if outcome.outcome in ("all_heads", "all_tails"):
        return n == 2
    return n is None and not flip.until_tails or n is not None and n >= max(outcome.count, 2)
