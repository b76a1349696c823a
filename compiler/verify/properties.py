"""The property check: invariants on every state of batched random rollouts of the generated engine alone
(DESIGN.md, Verification level 1).

Games are played with `jit(step_batch)` (what `vmap(step_words)` runs), actions drawn from the engine's own legal-action mask with a seeded
`numpy` generator. After every step each game's canonical state is checked (`check_state`), and the whole batch is
played a second time from the same keys to check that the engine is deterministic.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from .rollout import Lockstep, restricted_engine, start_games


@dataclass
class Violation:
    game: int
    seed: int
    step: int
    prop: str
    detail: str
    decks: list
    actions: list[int]

    def report(self) -> str:
        return (f"game {self.game} (seed {self.seed}) broke '{self.prop}' at step {self.step}: {self.detail}\n"
                f"  decks: {self.decks}\n  actions: {self.actions}")


@dataclass
class PropertyResult:
    games: int = 0
    steps: int = 0
    finished: int = 0
    checks: Counter = field(default_factory=Counter)
    violations: list[Violation] = field(default_factory=list)


def card_multiset(c: dict, p: int) -> Counter:
    """Every card player `p` owns, wherever it is (deck, hand, discard pile, in play, attached, the Stadium)."""
    cards = [c["deck"][p], c["hand"][p], c["discard"][p], c["stack"][p].ravel(), c["tools"][p].ravel()]
    out = Counter(int(x) for a in cards for x in a if x >= 0)
    if int(c["stadium"]) >= 0 and int(c["stadium_owner"]) == p:
        out[int(c["stadium"])] += 1
    return out


def check_state(c: dict, mask: np.ndarray, rewards: np.ndarray, deck_cards: list[list[int]], hp: np.ndarray,
                prev_points: np.ndarray | None, points_to_win: int) -> list[tuple[str, str]]:
    """The invariants of one canonical state `c` (with its legal mask and the rewards of the step that led to it);
    returns (property, detail) for each one broken."""
    out = []
    for p in range(2):
        have, own = card_multiset(c, p), Counter(deck_cards[p])
        if have != own:
            extra, missing = have - own, own - have
            out.append(("each card in exactly one zone",
                        f"player {p}: extra {dict(extra)}, missing {dict(missing)} (card indices)"))
    dmg, top = c["damage"], c["card"]
    for p, s in zip(*np.nonzero(top >= 0)):
        d = int(dmg[p, s])
        if d < 0 or d % 10:
            out.append(("damage within HP", f"player {p} slot {s}: damage {d}"))
        elif int(c["pending_kind"]) == 0 and not (c["tools"][p, s] >= 0).any() and d >= int(hp[top[p, s]]):
            out.append(("damage within HP",
                        f"player {p} slot {s}: damage {d} >= HP {int(hp[top[p, s]])} and still in play"))
    over = bool(c["terminated"]) or bool(c["truncated"])
    if over and not mask.all():
        out.append(("terminal mask all True", f"{int((~mask).sum())} actions masked off"))
    if not over and not mask.any():
        out.append(("a legal action until the end", "no legal action"))
    pts = c["points"].astype(int)
    if prev_points is not None and (pts < prev_points).any():
        out.append(("points never decrease", f"{prev_points.tolist()} -> {pts.tolist()}"))
    if (pts < 0).any() or (pts > points_to_win + 2).any():
        out.append(("points within bounds", f"{pts.tolist()}"))
    if not over and rewards.any():
        out.append(("rewards zero until the end", f"{rewards.tolist()}"))
    if over and rewards.any() and not (sorted(rewards.tolist()) == [-1.0, 1.0]):
        out.append(("rewards +1 / -1 at a win", f"{rewards.tolist()}"))
    if over and int(c["winner"]) in (0, 1) and rewards.tolist()[int(c["winner"])] != 1.0:
        out.append(("rewards +1 / -1 at a win", f"winner {int(c['winner'])}, rewards {rewards.tolist()}"))
    return out


def run_properties(loaded, pkg, games: int, seed: int = 0, batch: int = 64, max_steps: int = 3000,
                   refused_ids=(), progress=None, mutate=None, loop_games: int = 2, deck_fn=None) -> PropertyResult:
    """Play `games` random games on the generated engine and check the invariants after every step.

    The first `loop_games` games are also played one at a time (`jit(step_words)` on a single game, a Python loop)
    and must give the same canonical state as the batched run after every step ("vmap equals a loop"; one more
    compile, of the single-game step).

    `deck_fn(eng, rng, name)` draws the decks (default: random legal decks). `mutate(canonical_dict, game)` (tests only) may change a state's canonical arrays before they are checked."""
    import jax.numpy as jnp

    eng = restricted_engine(loaded, set(refused_ids))
    ls = Lockstep.of(pkg)
    hp = np.array([info.hp for info in eng.db.cards], np.int32)
    points_to_win = int(pkg.tables.RULES["points_to_win"])
    res = PropertyResult()
    for b0 in range(0, games, batch):
        n = min(batch, games - b0)
        ids = list(range(b0, b0 + n))
        seeds = [seed * 1_000_003 + g for g in ids]
        decks, js, _ = start_games(eng, ls, pkg.tables, seeds, deck_fn=deck_fn)
        deck_cards = [[list(d.cards) for d in dd] for dd in decks]
        rng = np.random.default_rng(seed * 7919 + b0)
        keys = rng.integers(0, 2**32, size=(max_steps + 1, 2, n), dtype=np.uint64).astype(np.uint32)
        res.games += n
        alive = np.ones(n, bool)
        history: list[list[int]] = [[] for _ in range(n)]
        prev = [None] * n
        trace = []
        for t in range(max_steps + 1):
            canon = {k: np.asarray(v) for k, v in ls.canon(js).items()}
            mask = np.asarray(js.legal_action_mask)
            rewards = np.asarray(js.rewards)
            trace.append(canon)
            hidden_ok = _hidden_cards_stay_hidden(ls, js, canon, rng)
            for i in np.flatnonzero(alive):
                c = {k: v[i] for k, v in canon.items()}
                if mutate is not None:
                    c = mutate(c, ids[i]) or c
                broken = check_state(c, mask[i], rewards[i], deck_cards[i], hp, prev[i], points_to_win)
                res.checks["states"] += 1
                if not hidden_ok[i]:
                    broken.append(("observations hide the opponent's hand and both decks' order",
                                   "the observation changed when hidden cards were shuffled"))
                for prop, detail in broken:
                    res.violations.append(Violation(ids[i], seeds[i], t, prop, detail, _deck_json(decks[i]),
                                                    list(history[i])))
                prev[i] = c["points"].astype(int)
                if broken:
                    alive[i] = False
                elif bool(c["terminated"]) or bool(c["truncated"]):
                    alive[i] = False
                    res.finished += 1
            if not alive.any():
                break
            # a uniformly random legal action per game (its own mask; finished games take action 0)
            u = rng.random((n, mask.shape[1]))
            actions = np.where(mask, u, -1.0).argmax(axis=1).astype(np.int32)
            actions[~alive] = 0
            for i in np.flatnonzero(alive):
                history[i].append(int(actions[i]))
            res.steps += int(alive.sum())
            js = ls.step(js, jnp.asarray(actions), jnp.asarray(keys[t, 0]), jnp.asarray(keys[t, 1]))
        res.checks["determinism"] += _replay_matches(ls, eng, pkg, ids, seeds, history, keys, trace, res, decks)
        for i in range(min(n, max(0, loop_games - b0))):
            res.checks["vmap equals a loop"] += _single_matches(ls, pkg, i, ids, seeds, history, keys, trace, res,
                                                                decks)
        if progress is not None:
            progress(n)
    return res


def _hidden_cards_stay_hidden(ls, js, canon, rng) -> np.ndarray:
    """Per game: does the current player's observation stay the same when the cards of the opponent's hand and of
    both decks are shuffled among those places? (Checked where no decision is pending: a search shows the chooser
    cards of their own deck.)"""
    import jax.numpy as jnp

    core = js._core
    card_of, hand, deck = np.asarray(core.card_of), np.asarray(core.hand), np.asarray(core.deck)
    cur = np.asarray(core.current_player).astype(np.int32)
    scrambled = card_of.copy()
    for i in range(card_of.shape[0]):
        opp = 1 - int(cur[i])
        for q in range(2):
            inst = [x for x in deck[i, q] if x >= 0] + ([x for x in hand[i, q] if x >= 0] if q == opp else [])
            if inst:
                scrambled[i, inst] = card_of[i, rng.permutation(inst)]
    before = np.asarray(ls.observe_core(core, jnp.asarray(cur)))
    after = np.asarray(ls.observe_core(core.replace(card_of=jnp.asarray(scrambled)), jnp.asarray(cur)))
    same = (before == after).all(axis=1)
    return same | (canon["pending_kind"] != 0)


def _replay_matches(ls, eng, pkg, ids, seeds, history, keys, trace, res, decks) -> int:
    """Play the batch again with the same keys and actions; every canonical state must be the same."""
    import jax.numpy as jnp

    n = len(seeds)
    same = iter([d for dd in decks for d in dd])  # the same decks again, in the order start_games asks
    _, js, _ = start_games(eng, ls, pkg.tables, seeds, deck_fn=lambda e, r, name: next(same))
    for t, canon in enumerate(trace):
        again = {k: np.asarray(v) for k, v in ls.canon(js).items()}
        for k, v in canon.items():
            bad = np.flatnonzero((again[k] != v).reshape(n, -1).any(axis=1))
            for i in bad[:1]:
                res.violations.append(Violation(ids[i], seeds[i], t, "determinism for a key",
                                                f"field {k} differs on a second run", _deck_json(decks[i]),
                                                history[i][:t]))
            if len(bad):
                return 0
        if t + 1 == len(trace):
            break
        actions = np.array([h[t] if t < len(h) else 0 for h in history], np.int32)
        js = ls.step(js, jnp.asarray(actions), jnp.asarray(keys[t, 0]), jnp.asarray(keys[t, 1]))
    return 1


def _single_matches(ls, pkg, i, ids, seeds, history, keys, trace, res, decks) -> int:
    """Play game `i` of the batch alone (unbatched `jit(step_words)`, one Python call per step) with the batch's
    keys and actions; its canonical state must equal the batched run's after every step."""
    import jax
    import jax.numpy as jnp

    from ..engine_model.rng import key_words

    env, T = ls.env, pkg.tables
    if not hasattr(ls, "step1"):
        ls.init1 = jax.jit(env.init_game)
        ls.step1 = jax.jit(env.step_words)
        ls.canon1 = jax.jit(lambda st: env.canonical(st._core))
    cards = np.array([list(d.cards) for d in decks[i]], np.int16)
    energy = np.full((2, T.E), -1, np.int8)
    for p, d in enumerate(decks[i]):
        energy[p, :len(d.energy)] = d.energy
    k0, k1 = key_words(seeds[i])
    st = ls.init1(jnp.uint32(k0), jnp.uint32(k1), jnp.asarray(cards), jnp.asarray(energy))
    h = history[i]
    for t in range(min(len(h) + 1, len(trace))):
        one = {k: np.asarray(v) for k, v in ls.canon1(st).items()}
        bad = [k for k, v in trace[t].items() if not np.array_equal(v[i], one[k])]
        if bad:
            res.violations.append(Violation(ids[i], seeds[i], t, "vmap equals a loop",
                                            f"fields {', '.join(bad[:6])} differ between the batched and the "
                                            "single-game run", _deck_json(decks[i]), h[:t]))
            return 0
        if t == len(h):
            break
        st = ls.step1(st, jnp.int32(h[t]), jnp.uint32(keys[t, 0, i]), jnp.uint32(keys[t, 1, i]))
    return 1


def _deck_json(dd) -> list:
    return [{"name": d.name, "energy": list(d.energy), "cards": list(d.cards)} for d in dd]
