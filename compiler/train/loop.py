"""The training loop: compile the PPO update once, call it until the step or time budget is spent; after each update
the metrics (win rate per opponent kind, game length, losses, steps/s), a self-play snapshot every
`snapshot_every` updates, a checkpoint every `checkpoint_every` updates and at the end, the learning curves at the
end. Also `profile`: the throughput report (engine random-action steps/s, the arena without a network, PPO at
several network sizes, in one run)."""

from __future__ import annotations

import json
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .engine import engine_name
from .opponents import KINDS

OPPONENT_MIXES = {"random": (1, 0, 0), "greedy": (0, 1, 0), "self": (0, 0, 1), "mix": (0.2, 0.5, 0.3)}
"""--opponent: probability of each opponent kind (random, greedy, self) for a new game."""
WINDOW = 4000
"""Win rates are over the last WINDOW games against each opponent kind."""


@dataclass
class TrainResult:
    updates: int = 0
    engine_steps: int = 0
    decisions: int = 0
    seconds: float = 0.0
    compile_s: float = 0.0
    win_rate: dict = field(default_factory=dict)
    history: list = field(default_factory=list)
    checkpoint: str = ""
    plot: str = ""


def build(pkg, pairs, opponent: str, hidden: int, cfg, seed: int):
    """(arena, net, update, tx, initial params, games) for one network size."""
    import jax

    from .arena import Arena
    from .features import ObsLayout
    from .network import PolicyNet, init_params
    from .ppo import make_update

    T = pkg.tables
    env = pkg.Env()
    layout = ObsLayout.from_tables(T)
    arena = Arena(env, T, layout, pairs, OPPONENT_MIXES[opponent])
    net = PolicyNet(layout, hidden)
    update, tx = make_update(arena, net, cfg)
    key = jax.random.PRNGKey(seed)
    k_init, k_games = jax.random.split(key)
    params = init_params(net, k_init)
    games = jax.jit(arena.new_games, static_argnums=1)(k_games, cfg.batch)
    return arena, net, update, tx, params, games


def train(pkg, pairs, *, opponent="mix", hidden=128, cfg=None, seed=0, max_steps=1_000_000, max_seconds=None,
          out=None, snapshot_every=10, snapshots=8, checkpoint_every=20, on_update=None, on_phase=None,
          meta_extra=None) -> TrainResult:
    """Train until `max_steps` engine steps (learner's and opponent's moves) or `max_seconds` of training (compile
    excluded) are spent. `on_update(record)` gets each update's metrics."""
    import jax
    import jax.numpy as jnp

    from . import checkpoint
    from .features import ObsLayout
    from .ppo import PPOConfig

    cfg = cfg or PPOConfig()
    say = on_phase or (lambda m: None)
    say("tracing the PPO update")
    arena, net, update, tx, params, games = build(pkg, pairs, opponent, hidden, cfg, seed)
    opt_state = tx.init(params)
    layout = ObsLayout.from_tables(pkg.tables)
    pool = [params]
    rng = np.random.default_rng(seed)
    key = jax.random.PRNGKey(seed + 1)
    say("compiling the PPO update (engine, opponents, network)")
    t0 = time.perf_counter()
    update_c = update.lower(params, opt_state, games, params, key).compile()
    res = TrainResult(compile_s=time.perf_counter() - t0)
    per_update = cfg.batch * cfg.steps
    windows = {k: deque(maxlen=WINDOW) for k in KINDS}
    lengths = deque(maxlen=WINDOW)
    out = Path(out) if out else None
    if out:
        out.mkdir(parents=True, exist_ok=True)
        mfile = (out / "metrics.jsonl").open("w", encoding="utf-8")
    meta = {"engine": engine_name(pkg), **layout.key(), "hidden": hidden, "embed": net.embed, "opponent": opponent,
            "decks": pairs.label(), "ppo": cfg.as_dict(), "seed": seed, **(meta_extra or {})}

    def save():
        if out:
            res.checkpoint = str(checkpoint.save(out / "policy.npz", jax.device_get(params),
                                                 {**meta, "updates": res.updates, "engine_steps": res.engine_steps,
                                                  "decisions": res.decisions,
                                                  "win_rate": res.win_rate}))
    say("training")
    t_start = time.perf_counter()
    while res.engine_steps < max_steps and (max_seconds is None or res.seconds < max_seconds):
        key, k = jax.random.split(key)
        opp_params = pool[int(rng.integers(len(pool)))]
        t1 = time.perf_counter()
        params, opt_state, games, m = update_c(params, opt_state, games, opp_params, k)
        m = jax.device_get(m)
        dt = time.perf_counter() - t1
        res.updates += 1
        res.engine_steps += per_update
        res.decisions += int(m["decisions"])
        res.seconds = time.perf_counter() - t_start
        for i, kind in enumerate(KINDS):
            n, w, lo = int(m["games"][i]), int(m["wins"][i]), int(m["losses"][i])
            windows[kind].extend([1.0] * w + [0.0] * (n - w))
            if n:
                lengths.extend([float(m["length"][i]) / n] * n)
        res.win_rate = {k: (sum(v) / len(v) if v else None) for k, v in windows.items()}
        rec = {"update": res.updates, "engine_steps": res.engine_steps, "decisions": res.decisions,
               "wall_s": round(res.seconds, 3), "steps_per_s": round(per_update / dt, 1),
               "decisions_per_s": round(int(m["decisions"]) / dt, 1),
               "policy_loss": float(m["policy_loss"]), "value_loss": float(m["value_loss"]),
               "entropy": float(m["entropy"]), "approx_kl": float(m["approx_kl"]),
               "games": {k: int(m["games"][i]) for i, k in enumerate(KINDS)},
               "wins": {k: int(m["wins"][i]) for i, k in enumerate(KINDS)},
               "losses": {k: int(m["losses"][i]) for i, k in enumerate(KINDS)},
               "game_length": (float(m["length"].sum() / m["games"].sum()) if m["games"].sum() else None),
               "win_rate": {k: (round(v, 4) if v is not None else None) for k, v in res.win_rate.items()},
               "window_games": {k: len(v) for k, v in windows.items()}}
        res.history.append(rec)
        if out:
            mfile.write(json.dumps(rec) + "\n")
            mfile.flush()
        if on_update:
            on_update(rec)
        if res.updates % snapshot_every == 0:
            pool.append(jax.tree.map(jnp.copy, params))
            if len(pool) > snapshots:
                pool.pop(1)  # keep the first (random) network, drop the oldest other
        if res.updates % checkpoint_every == 0:
            save()
    save()
    if out:
        mfile.close()
        from .plot import plot_curves

        res.plot = str(plot_curves(res.history, out / "curves.png", title=f"{engine_name(pkg)}: {pairs.label()}, "
                                                                          f"hidden {hidden}, batch {cfg.batch}"))
        (out / "summary.json").write_text(json.dumps(
            {"updates": res.updates, "engine_steps": res.engine_steps, "decisions": res.decisions,
             "seconds": round(res.seconds, 2), "compile_s": round(res.compile_s, 2), "win_rate": res.win_rate,
             "window": WINDOW, "checkpoint": res.checkpoint, "plot": res.plot, "meta": meta}, indent=1) + "\n",
            encoding="utf-8")
    return res


def profile(pkg, pairs, *, opponent="mix", hiddens=(64, 256), cfg=None, seed=0, seconds=20.0, on_phase=None):
    """The throughput report, in one run at one batch size: the engine's random-action steps/s (compiler/bench.py's
    loop), the arena alone (engine + opponents, random learner actions, no network) and PPO updates at each network
    size: engine steps/s, and the environment's share of a PPO update (arena time over PPO time for the same number
    of engine steps)."""
    import jax
    import jax.numpy as jnp

    from .. import bench
    from .opponents import random_action
    from .ppo import PPOConfig

    cfg = cfg or PPOConfig()
    say = on_phase or (lambda m: None)
    rows = []
    say(f"engine alone: random actions at batch {cfg.batch}")
    m = bench.measure_jax(pkg, pkg.Env(), cfg.batch, seconds / 2, seed)
    rows.append({"what": "engine, random actions (tcgc bench)", "hidden": None, "steps_per_s": m.steps_per_s,
                 "compile_s": m.compile_s})
    # the arena without a network: the learner plays random legal actions
    arena, net, update, tx, params, games = build(pkg, pairs, opponent, min(hiddens), cfg, seed)

    def env_only(games, opp_params, key):
        def body(games, k):
            ka, ks = jax.random.split(k)
            a = random_action(ka, games.state.legal_action_mask)
            games, info = arena.step(ks, games, a, opp_params)
            return games, info["done"].sum()
        return jax.lax.scan(body, games, jax.random.split(key, cfg.steps))

    say("compiling the arena alone")
    key = jax.random.PRNGKey(seed)
    t0 = time.perf_counter()
    env_c = jax.jit(env_only).lower(games, params, key).compile()
    comp = time.perf_counter() - t0
    env_s = _time_calls(lambda g, k: env_c(g, params, k)[0], games, seconds / 2)
    per_update = cfg.batch * cfg.steps
    rows.append({"what": f"arena ({opponent} opponents), random learner", "hidden": None,
                 "steps_per_s": per_update / env_s, "compile_s": comp})
    for h in hiddens:
        say(f"compiling PPO, hidden {h}")
        arena, net, update, tx, params, games = build(pkg, pairs, opponent, h, cfg, seed)
        opt_state = tx.init(params)
        t0 = time.perf_counter()
        upd = update.lower(params, opt_state, games, params, key).compile()
        comp = time.perf_counter() - t0
        state = {"p": params, "o": opt_state}

        def call(g, k):
            state["p"], state["o"], g, _ = upd(state["p"], state["o"], g, params, k)
            return g
        say(f"PPO, hidden {h}")
        ppo_s = _time_calls(call, games, seconds)
        rows.append({"what": "PPO update (rollout + learning)", "hidden": h, "steps_per_s": per_update / ppo_s,
                     "env_share": min(1.0, env_s / ppo_s), "compile_s": comp,
                     "params": sum(int(np.prod(x.shape)) for x in jax.tree.leaves(params))})
    return rows


def _time_calls(fn, games, seconds):
    """Seconds per call of fn(games, key) -> games, after one warm-up call, over about `seconds`."""
    import jax

    key = jax.random.PRNGKey(123)
    games = fn(games, key)
    jax.block_until_ready(games)
    n, t0 = 0, time.perf_counter()
    while True:
        key, k = jax.random.split(key)
        games = fn(games, k)
        jax.block_until_ready(games)
        n += 1
        if time.perf_counter() - t0 >= seconds:
            break
    return (time.perf_counter() - t0) / n
