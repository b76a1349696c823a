"""The check of a candidate fill, step by step, cheapest first; the first failing step rejects it with its reason.

1. schema: the IR validates against the IR union (compiler.ir.TOP_ADAPTER).
2. text: canonical effect text, when the answer gives text, parses (the grammar, no Unresolved).
3. card (first half): the top-level op fits the text's kind; the front end's checks on coins and "it" pass.
4. render: the IR has canonical English, and that English parses back to the same IR (what a reviewer reads is
   exactly what the engines run).
   card (second half): the IR fits every card that prints the text (an attack's printed damage: "50+" needs more
   damage, "20x" sets it; a Tool's text is a Tool).
5. names: every card, attack and Ability it names is in the pool; its steps can mean what they say for those cards.
6. meaning: every number (2 and up) and Energy symbol printed in the text appears in the rendering and the other
   way round (on the corpus's 543 parsed texts this holds for all of them; "1" is left out, as it reads "a").
7. reference: the reference interpreter has a handler for every node and can bind every "it".
8. lowering: `compiler.lower.lower` compiles the card with the fill (no refusal for it).
9. scenarios: whole-board scenarios on the reference engine (scenarios.py): no exception, no broken invariant, and
   the effect ran at least once.
10. lockstep: games on both engines in lockstep with decks holding the card (`jax_lockstep_check`), state and mask
    compared after every step.

What the check can't catch: a fill that is well-formed, executable and consistent with the printed numbers and
symbols but means something else than the text (a wrong target, a missing condition, "your" for "your opponent's").
That is what `tcgc fill --review` is for: the card text beside the canonical rendering.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from .. import ir
from ..diagnostics import SpecError
from .answer import Candidate

STEPS = ("schema", "text", "render", "card", "names", "meaning", "reference", "lowering", "scenarios", "lockstep")


@dataclass
class Target:
    """One distinct Unresolved effect text of the pool and the cards that print it (pool order)."""

    kind: str
    text: str
    cards: list
    reason: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.text)


@dataclass
class Options:
    """What the check runs. `lowering` / `lockstep` off: those steps are recorded as skipped."""

    lowering: bool = True
    lockstep: bool = True
    games: int = 8
    seed: int = 0
    max_cards: int = 3
    """Cards printing the text that are checked (the first ones in pool order)."""
    workdir: Path | None = None
    """Where check pools and engines are built (a temporary folder when None)."""


@dataclass
class Report:
    """The result of each step run ("ok: ...", or the failure), the IR and its rendering when they exist."""

    results: dict[str, str] = field(default_factory=dict)
    failed: str | None = None
    node: ir.Node | None = None
    rendering: str | None = None

    @property
    def ok(self) -> bool:
        return self.failed is None

    @property
    def reason(self) -> str:
        return f"{self.failed}: {self.results[self.failed]}" if self.failed else ""

    def passed(self, step: str, detail: str = "") -> None:
        self.results[step] = "ok" + (f": {detail}" if detail else "")

    def fail(self, step: str, detail: str) -> "Report":
        self.results[step] = detail
        self.failed = step
        return self

    def skip(self, step: str, why: str = "") -> None:
        self.results[step] = "skipped" + (f": {why}" if why else "")


def _validation_reason(err: ValidationError, limit: int = 3) -> str:
    parts = []
    for e in err.errors(include_url=False)[:limit]:
        loc = ".".join(str(x) for x in e["loc"])
        parts.append(f"{loc or '(top)'}: {e['msg']}")
    more = len(err.errors()) - limit
    return "; ".join(parts) + (f" (and {more} more)" if more > 0 else "")


_NUMBER_WORDS = {"two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8",
                 "nine": "9", "ten": "10", "twice": "2"}
_TOKEN = re.compile(r"(?<![\w])\d+(?![\w])|\[[A-Z]\]")


def printed_tokens(text: str) -> set[str]:
    """The numbers (2 and up) and Energy symbols of a text, reminder text in parentheses left out."""
    text = re.sub(r"\([^)]*\)", " ", text)
    text = re.sub(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b", lambda m: _NUMBER_WORDS[m.group(1).lower()], text,
                  flags=re.IGNORECASE)
    return {t for t in _TOKEN.findall(text) if t not in ("0", "1")}


def meaning_problem(text: str, rendering: str) -> str | None:
    """Numbers or Energy symbols that the printed text and the fill's rendering do not share."""
    a, b = printed_tokens(text), printed_tokens(rendering)
    if a == b:
        return None
    parts = []
    if a - b:
        parts.append(f"the card prints {', '.join(sorted(a - b))} but the fill's English never says it")
    if b - a:
        parts.append(f"the fill's English says {', '.join(sorted(b - a))}, which the card does not print")
    return "; ".join(parts) + f" (the fill reads: {rendering!r})"


def static_checks(cand: Candidate, target: Target, loaded, rep: Report) -> ir.Node | None:
    """Steps 1-7 (no engine built); the IR, or None with `rep.failed` set."""
    from ..parse import attack_misfit, parse_effect, trainer_misfit
    from ..pool import PoolNames, pool_meaning, unknown_names
    from ..render import RenderError, render
    from .store import fill_problem
    from reference.effects import executable_problems

    if cand.ir is not None:
        try:
            node = ir.TOP_ADAPTER.validate_python(cand.ir)
        except ValidationError as e:
            rep.fail("schema", f"the IR does not validate: {_validation_reason(e)}")
            return None
        except RecursionError:
            rep.fail("schema", "the IR nests too deep")
            return None
        rep.passed("schema")
        rep.skip("text", "the answer gave IR")
    else:
        node = parse_effect(cand.text, target.kind)
        if isinstance(node, ir.Unresolved):
            rep.fail("text", f"the canonical text does not parse: {node.reason}")
            return None
        rep.passed("schema", "from the parsed text")
        rep.passed("text")
    if ir.has_unresolved(node):
        rep.fail("schema", "a fill can't contain an Unresolved node")
        return None
    rep.node = node
    why = fill_problem(target.kind, node)
    if why:
        rep.fail("card", why)
        return None
    base = next((a.base_damage for c in target.cards for a in getattr(c, "attacks", []) if a.text == target.text),
                0) if target.kind == "attack" else 0
    try:
        rendering = render(node, target.kind, base)
    except RenderError as e:
        rep.fail("render", f"the IR has no canonical English: {e}")
        return None
    back = parse_effect(rendering, target.kind)
    if back != node:
        why = back.reason if isinstance(back, ir.Unresolved) else "it reads back as a different IR"
        rep.fail("render", f"its canonical English {rendering!r} does not parse back to the same IR ({why})")
        return None
    rep.rendering = rendering
    rep.passed("render", rendering)
    for card in target.cards:
        if why:
            break
        if target.kind == "attack":
            for a in card.attacks:
                if a.text == target.text:
                    why = attack_misfit(node, a.base_damage, a.damage_suffix)
                    if why:
                        why = f"{card.id} {card.name}, attack {a.name!r} ({a.damage or 'no damage'}): {why}"
                        break
        elif target.kind == "trainer":
            why = trainer_misfit(node, card)
            why = f"{card.id} {card.name}: {why}" if why else None
    if why:
        rep.fail("card", why)
        return None
    rep.passed("card")
    names = PoolNames.of(loaded.cards.values())
    bad = unknown_names(node, names)
    if bad:
        rep.fail("names", "the fill " + "; ".join(bad))
        return None
    pm = pool_meaning(node, target.text, names)
    if isinstance(pm, ir.Unresolved):
        rep.fail("names", pm.reason)
        return None
    rep.passed("names")
    why = meaning_problem(target.text, rendering)
    if why:
        rep.fail("meaning", why)
        return None
    rep.passed("meaning", "the printed numbers and Energy symbols match")
    probs = executable_problems(node, target.kind)
    if probs:
        rep.fail("reference", "; ".join(probs))
        return None
    rep.passed("reference")
    return node


def check_candidate(cand: Candidate, target: Target, loaded, opts: Options | None = None) -> Report:
    """Run the check's steps on a candidate fill of `target` in the pool of `loaded`; the Report says which passed
    and why the first failing one failed."""
    opts = opts or Options()
    rep = Report()
    node = static_checks(cand, target, loaded, rep)
    if node is None:
        return rep
    if opts.workdir is not None:
        opts.workdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tcgc-fill-", dir=opts.workdir) as tmp:
        return _engine_checks(node, target, loaded, opts, rep, Path(tmp))


def _engine_checks(node, target: Target, loaded, opts: Options, rep: Report, tmp: Path) -> Report:
    from reference import Engine

    from .scenarios import check_pool, run_scenarios, write_check_spec
    from .store import Fill, FillSet

    cards = target.cards[: opts.max_cards]
    pool = check_pool(loaded, cards, node)
    fills = FillSet([Fill(kind=target.kind, text=target.text, ir=node, provider="check")])
    for f in (loaded.fills.fills if loaded.fills is not None else []):
        if f.key != target.key:
            fills.put(f)
    spec = write_check_spec(tmp / "pool", "fill_check", loaded.spec.rules, pool, fills)
    from ..spec import load_spec

    try:
        checked = load_spec(spec)
    except SpecError as e:
        rep.fail("names", "the check pool with this fill does not load: " + "; ".join(
            d.message for d in e.diagnostics[:3]))
        return rep
    ids = [c.id for c in cards]
    if opts.lowering:
        from ..lower import lower

        low = lower(checked)
        refused = [r for r in low.refused if r.card_id in ids]
        if refused:
            rep.fail("lowering", "the JAX back end refuses it: " + "; ".join(
                f"{r.card_id} {r.name}: {why}" for r in refused[:2] for why in r.reasons[:2]))
            return rep
        rep.passed("lowering")
    else:
        rep.skip("lowering")
    eng = Engine.from_spec(checked)
    probs = [p for cid in ids for p in eng.db[eng.db.by_id[cid]].problems]
    if probs:
        rep.fail("reference", "; ".join(probs[:3]))
        return rep
    runs = []
    for card in cards:
        sr = run_scenarios(eng, card, checked, target.kind, node)
        if sr.failure:
            rep.fail("scenarios", f"{card.id} {card.name}: {sr.failure}")
            return rep
        if sr.effect_runs == 0:
            rep.fail("scenarios", f"{card.id} {card.name}: no board of the check let the effect run (its "
                     "requirement never held), so the check could not run it")
            return rep
        runs.append(sr.summary())
    rep.passed("scenarios", "; ".join(runs))
    if not opts.lockstep:
        rep.skip("lockstep")
        return rep
    if not opts.lowering:
        rep.skip("lockstep", "the lowering was skipped")
        return rep
    ok, detail = jax_lockstep_check(spec, checked, ids, opts.games, opts.seed, tmp / "engine")
    if not ok:
        return rep.fail("lockstep", detail)
    rep.passed("lockstep", detail)
    return rep


# --- the JAX side -------------------------------------------------------------------------------------------------


def jax_lockstep_check(spec: Path, loaded, card_ids: list[str], games: int = 8, seed: int = 0,
                       out: Path | None = None, max_steps: int = 400) -> tuple[bool, str]:
    """Build the check pool's JAX engine and play `games` games on both engines in lockstep, with decks that hold
    the cards `card_ids` (and their evolution lines) and a policy that prefers the actions that use them; the state
    and legal mask are compared after every step (compiler.verify.rollout). Returns (passed, what happened).

    This is the one place the fill check touches the JAX engine: it is meant to become `tcgc verify`'s interaction
    level (constructed boards on both engines) once that level exists."""
    import random

    from ..cli.build import build
    from ..verify.rollout import load_package, run_rollouts

    out = Path(out or tempfile.mkdtemp(prefix="tcgc-fill-engine-"))
    summary = build(spec, out, allow_unresolved=True)
    refused = {r.card_id for r in summary["refused"]}
    if refused & set(card_ids):
        return False, "the JAX back end refuses the card"
    pkg = load_package(summary["package"])
    targets = set()
    used = [0]

    def deck_fn(eng, rng: random.Random, name: str):
        return deck_with(eng, rng, name, card_ids)

    def choose(eng, s, legal, rng: random.Random):
        if not targets:
            targets.update(eng.db.by_id[c] for c in card_ids)
        pref = [a for a in legal if _uses(eng, s, a, targets)]
        if pref:
            used[0] += 1
        return rng.choice(pref) if pref and rng.random() < 0.8 else rng.choice(legal)

    res = run_rollouts(loaded, pkg, games, seed, batch=games, max_steps=max_steps, refused_ids=refused,
                       deck_fn=deck_fn, choose=choose)
    if res.divergences:
        return False, "the engines diverge: " + res.divergences[0].report().replace("\n", " | ")
    if used[0] == 0:
        return False, f"{res.games} games, {res.steps} steps: no game played the card, so the JAX engine never ran it"
    return True, (f"{res.games} games, {res.steps} steps in lockstep, {used[0]} actions with the card; states "
                  "and masks equal")


def _uses(eng, s, a: int, targets: set[int]) -> bool:
    """An action that plays, evolves into, powers up or uses one of the target cards."""
    d = eng.layout.decode(a)
    pl = s.players[s.current_player]
    if d.kind in ("play", "play_on") and 0 <= d.hand < len(pl.hand):
        return s.card_of[pl.hand[d.hand]] in targets
    if d.kind in ("attack", "ability", "attach_energy"):
        slot = 0 if d.kind == "attack" else d.slot
        pk = pl.slots[slot] if 0 <= slot < len(pl.slots) else None
        return pk is not None and s.card_of[pk.top] in targets
    return False


def deck_with(eng, rng, name: str, card_ids: list[str]):
    """A legal deck that holds each card of `card_ids` (as many copies as the rules allow) with its evolution line,
    filled up with random Basic Pokémon and Trainers of the pool that the engine plays."""
    from collections import Counter

    from reference.decks import deck_pool
    from reference.engine import Deck
    from reference.state import COLORLESS

    db, r = eng.db, eng.rules
    pool, basics, _evos, trainers, _fossils, _filler = deck_pool(eng)
    playable = {c.index for c in pool}
    names: Counter = Counter()
    cards: list[int] = []

    def add(i: int, n: int) -> None:
        n = min(n, r.max_copies_per_name - names[db[i].name], r.deck_size - len(cards))
        if n > 0 and i in playable:
            cards.extend([i] * n)
            names[db[i].name] += n

    for cid in card_ids:
        info = db[db.by_id[cid]]
        line = [info]
        while line[0].evolves_from and line[0].evolves_from in db.by_name:
            line.insert(0, db[db.by_name[line[0].evolves_from][0]])
        if any(c.index not in playable for c in line):
            continue
        for c in line:
            add(c.index, r.max_copies_per_name)
    extra = [c for c in basics + trainers if not c.id.startswith("TCGCCHECK")] + \
        [c for c in basics + trainers if c.id.startswith("TCGCCHECK")]
    tries = 0
    while len(cards) < r.deck_size and tries < 500:
        tries += 1
        c = rng.choice(extra[: max(4, len(extra))])
        add(c.index, rng.choice((1, 2)))
    if not any(db[i].plays_as_basic and db[i].is_basic for i in cards):
        add(basics[0].index, 1)
    need: Counter = Counter()
    for i in cards:
        for a in db[i].attacks:
            need.update(t for t in a.cost if t < COLORLESS)
    types = [t for t, _ in need.most_common(r.max_energy_types)] or [0]
    return Deck(name, tuple(types), tuple(sorted(cards[: r.deck_size])))
