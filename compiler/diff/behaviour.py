"""The behaviour section of `tcgc diff --games N`: the same seeds, decks and bots on both specs' reference engines.

Games run on the reference engine (reference.Engine.from_spec, bots from reference/bots.py, keys from
reference.session.step_key), never on a generated engine. Game g of a pairing uses seed `seed + g` for the deck
shuffle, coins and keys, bot 0 seeded `seed + g` and bot 1 `seed + g + 1` (as `tcgc play --seed` does), on both
sides. Per pairing: player 0's win rate (a tie counts half) with a Wilson interval, the mean game length in turns
with a normal interval, and the paired difference B - A of both over the same seeds with a normal interval; a
difference is significant when its interval excludes 0. A game *diverges* at the first step where the action
taken or the events it logged differ; the first diverging game is written as two replay files.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from statistics import NormalDist

from ..diagnostics import Diagnostic, SpecError, plural
from .sides import Side


@dataclass
class Game:
    """One finished game: its result and, per step, the action's name and the events it logged."""

    seed: int
    winner: int
    turns: int
    steps: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    actions: list[dict] = field(default_factory=list)
    state: object = None

    @property
    def score(self) -> float:
        """Player 0's score: 1 win, 0.5 tie, 0 loss."""
        return 1.0 if self.winner == 0 else 0.5 if self.winner == 2 else 0.0


def play_game(engine, decks, seed: int, bots: tuple[str, str], keep: bool = False) -> Game:
    """One bot-vs-bot game on the reference engine; `keep` also keeps the actions and the final state."""
    from reference.bots import BOTS
    from reference.session import step_key

    players = [BOTS[bots[0]](seed), BOTS[bots[1]](seed + 1)]
    s = engine.init(decks, seed)
    g = Game(seed, -1, 0, [("init", tuple(str(e) for e in s.log))])
    name = engine.layout.name
    while not (s.terminated or s.truncated):
        p = s.current_player
        a = players[p].act(engine, s)
        s = engine.step(s, a, step_key(seed, s))
        g.steps.append((name(a), tuple(str(e) for e in s.log)))
        if keep:
            g.actions.append({"player": p, "action": a, "name": name(a)})
    g.winner, g.turns = s.winner, s.turn
    if keep:
        g.state = s
    return g


def first_difference(x: Game, y: Game) -> int | None:
    """Index of the first step where two games differ (0: the set-up), None when they are the same game."""
    for i, (p, q) in enumerate(zip(x.steps, y.steps)):
        if p != q:
            return i
    if len(x.steps) != len(y.steps) or x.winner != y.winner:
        return min(len(x.steps), len(y.steps))
    return None


# --- statistics -----------------------------------------------------------------------------------------------------


def z_of(confidence: float) -> float:
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def wilson(successes: float, n: int, z: float) -> tuple[float, float]:
    """Wilson score interval of a proportion (successes may count ties as halves)."""
    if n == 0:
        return (0.0, 1.0)
    p = successes / n
    den = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return (max(0.0, centre - half), min(1.0, centre + half))


def mean_interval(xs: list[float], z: float) -> tuple[float, float | None, float | None]:
    """Mean and its normal-approximation interval (sample standard deviation); no interval from one value."""
    n = len(xs)
    m = sum(xs) / n
    if n < 2:
        return m, None, None
    sd = math.sqrt(sum((x - m) ** 2 for x in xs) / (n - 1))
    h = z * sd / math.sqrt(n)
    return m, m - h, m + h


def _side_stats(games: list[Game], z: float) -> dict:
    n = len(games)
    wins = sum(g.winner == 0 for g in games)
    losses = sum(g.winner == 1 for g in games)
    ties = n - wins - losses
    rate = (wins + ties / 2) / n
    t, tlo, thi = mean_interval([g.turns for g in games], z)
    return {"games": n, "wins": wins, "losses": losses, "ties": ties, "win_rate": rate,
            "win_rate_ci": list(wilson(wins + ties / 2, n, z)), "turns": t, "turns_ci": [tlo, thi],
            "steps": sum(len(g.steps) - 1 for g in games) / n}


def _paired(xs: list[float], ys: list[float], z: float) -> dict:
    d, lo, hi = mean_interval([y - x for x, y in zip(xs, ys)], z)
    return {"delta": d, "ci": [lo, hi], "significant": lo is not None and (lo > 0 or hi < 0)}


# --- the section ----------------------------------------------------------------------------------------------------


def _decks(side: Side, names: list[str]) -> tuple[dict, dict]:
    """Deck name -> engine Deck for the named decks the side's reference engine can play; name -> why not."""
    by_name = {d.name: d for d in side.loaded.spec.decks}
    ok, bad = {}, {}
    for n in names:
        try:
            ok[n] = side.engine().deck_from_spec(by_name[n])
        except SpecError as e:
            bad[n] = e.diagnostics[0].message
    return ok, bad


def pairings(decks: list[str], bots: tuple[str, str]) -> list[tuple[str, str]]:
    """Which decks meet: with the same bot on both seats every pair once (a lone deck plays its mirror); with
    different bots every ordered pair, mirrors included."""
    if bots[0] == bots[1]:
        pairs = [(x, y) for i, x in enumerate(decks) for y in decks[i + 1:]]
        return pairs or [(x, x) for x in decks[:1]]
    return [(x, y) for x in decks for y in decks]


def _random_decks(a: Side, b: Side, k: int, seed: int) -> tuple[dict, dict, dict]:
    """`k` random legal decks drawn from A's executable cards (reference.decks.random_deck, seeded `seed + i`), the
    same card ids on B; a deck holding a card B lacks or can't execute is B's to skip."""
    import random

    from reference.decks import random_deck
    from reference.engine import Deck

    ea, eb = a.engine(), b.engine()
    oka, okb, badb = {}, {}, {}
    for i in range(k):
        try:
            d = random_deck(ea, random.Random(seed + i), f"random-{i}")
        except ValueError as e:
            raise SpecError(Diagnostic(a.label, f"--random-decks: {e}")) from None
        oka[d.name] = d
        ids = [ea.db[c].id for c in d.cards]
        missing = sorted({c for c in ids if c not in eb.db.by_id})
        bad = sorted({c for c in ids if c in eb.db.by_id and eb.db[eb.db.by_id[c]].problems})
        if missing or bad:
            badb[d.name] = (f"B has no card {', '.join(missing)}" if missing else
                            f"B can't execute {', '.join(bad)}")
        else:
            okb[d.name] = Deck(d.name, d.energy, tuple(eb.db.by_id[c] for c in ids))
    return oka, okb, badb


def behaviour_section(a: Side, b: Side, games: int, seed: int = 0, bots: tuple[str, str] = ("greedy", "greedy"),
                      decks: tuple[str, ...] = (), random_decks: int = 0, confidence: float = 0.95,
                      seed_b: int | None = None, replay: str | Path | None = None, progress=None) -> dict:
    """Play `games` games per deck pairing on both sides and compare them (module docstring). The decks: the specs'
    decks of the same name (`decks` picks some), or `random_decks` random decks. `seed_b`: B's seeds start there
    instead (independent games: a check of the statistics). `replay`: file prefix of the first diverging game's
    recordings (PREFIX.a.json, PREFIX.b.json)."""
    for side in (a, b):
        if not side.is_spec:
            raise SpecError(Diagnostic(side.label, "--games plays games on the reference engine, which needs a spec; "
                                                   "this is a build directory"))
    if random_decks:
        if decks:
            raise SpecError(Diagnostic("--random-decks", "give --deck or --random-decks, not both"))
        oka, okb, badb = _random_decks(a, b, random_decks, seed)
        names, bada = list(oka), {}
    else:
        common = [d.name for d in a.loaded.spec.decks if any(e.name == d.name for e in b.loaded.spec.decks)]
        for n in decks:
            if n not in common:
                raise SpecError(Diagnostic("--deck", f"no deck {n!r} in both specs; decks in both: "
                                                     + (", ".join(common) or "none")))
        names = list(decks) or common
        if not names:
            raise SpecError(Diagnostic("--games", "no deck has the same name in both specs: the behaviour diff "
                                                  "plays the specs' decks (add decks, name them alike, or pass "
                                                  "--random-decks K)"))
        oka, bada = _decks(a, names)
        okb, badb = _decks(b, names)
    skipped = [{"deck": n, "side": s, "reason": why} for s, bad in (("a", bada), ("b", badb)) for n, why in bad.items()]
    playable = [n for n in names if n in oka and n in okb]
    z = z_of(confidence)
    sb = seed if seed_b is None else seed_b
    out: dict = {"games": games, "seed": seed, "seed_b": sb, "bots": list(bots), "confidence": confidence,
                 "decks": {n: [a.engine().db[c].id for c in oka[n].cards] for n in oka} if random_decks else None,
                 "pairings": [], "skipped": skipped, "games_differ": 0, "first_divergence": None}
    ea, eb = a.engine(), b.engine()
    for x, y in pairings(playable, bots):
        ga = [play_game(ea, [oka[x], oka[y]], seed + g, bots) for g in range(games)]
        if progress:
            progress(games)
        gb = [play_game(eb, [okb[x], okb[y]], sb + g, bots) for g in range(games)]
        if progress:
            progress(games)
        diverged = [(g, first_difference(ga[g], gb[g])) for g in range(games)]
        diverged = [(g, i) for g, i in diverged if i is not None]
        sa, sbs = _side_stats(ga, z), _side_stats(gb, z)
        rate = _paired([g.score for g in ga], [g.score for g in gb], z)
        turns = _paired([g.turns for g in ga], [g.turns for g in gb], z)
        out["pairings"].append({"deck0": x, "deck1": y, "a": sa, "b": sbs, "win_rate": rate, "turns": turns,
                                "significant": rate["significant"] or turns["significant"],
                                "games_differ": len(diverged)})
        out["games_differ"] += len(diverged)
        if diverged and out["first_divergence"] is None:
            g, step = diverged[0]
            out["first_divergence"] = _divergence(a, b, (oka[x], oka[y]), (okb[x], okb[y]), x, y, seed + g, sb + g,
                                                  step, bots, ga[g], gb[g], replay)
    return out


def _divergence(a: Side, b: Side, da, db, x: str, y: str, seed_a: int, seed_b: int, step: int, bots, game_a: Game,
                game_b: Game, replay) -> dict:
    def at(game: Game) -> dict:
        if step < len(game.steps):
            action, events = game.steps[step]
            return {"action": action, "events": list(events)}
        return {"action": None, "events": [], "note": f"the game ended after {plural(len(game.steps) - 1, 'step')}"}
    out = {"deck0": x, "deck1": y, "seed": seed_a, "step": step, "a": at(game_a), "b": at(game_b), "files": []}
    if seed_b != seed_a:
        out["seed_b"] = seed_b
    if replay is not None:
        for tag, side, decks, seed, other in (("a", a, da, seed_a, game_b), ("b", b, db, seed_b, game_a)):
            path = Path(f"{replay}.{tag}.json")
            write_replay(path, side, decks, seed, bots, step)
            out["files"].append(str(path))
    return out


def write_replay(path: Path, side: Side, decks, seed: int, bots, step: int) -> None:
    """A recording of one side's game in `tcgc play --record`'s format (`tcgc play --replay FILE` steps it), with
    a `divergence` entry naming the step where the other side's game went another way."""
    from ..cli.play_record import FORMAT, dump, result_of
    from reference.state import ENERGY_TYPES

    eng = side.engine()
    g = play_game(eng, list(decks), seed, bots, keep=True)
    data = {"format": FORMAT, "version": 1, "spec": str(Path(side.path).resolve()), "seed": seed,
            "decks": [{"name": d.name, "energy": [ENERGY_TYPES[t] for t in d.energy],
                       "cards": [eng.db[i].id for i in d.cards]} for d in decks],
            "actions": g.actions, "result": result_of(g.state),
            "divergence": {"step": step, "bots": list(bots),
                           "note": "step 0 is the set-up; step k is the k-th action (actions[k-1])"}}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump(data), encoding="utf-8")
