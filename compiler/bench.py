"""Throughput of the engines (`tcgc bench`): random legal-action games on the generated JAX engine and on the
reference engine, over the same deck pool.

The JAX engine runs `jit(vmap(step))` inside a `lax.fori_loop` (a scan without outputs, whose length is an
argument, so one compile serves calls of any length): one call plays `n` steps of every game of the batch.
Actions are drawn uniformly among the legal ones and a finished game is replaced by a new one inside the loop
(auto-reset), so every game slot always plays. By default the random words of a step (action, step key, key of the
next game) come from one counter-based hash of (run seed, step number, game slot), the same mixer the engine uses
for its own randomness, rather than from `jax.random` calls; `reset="pgx"` uses pgx's own `auto_reset` and
`act_randomly` instead. Past one device the batch is sharded with `jax.sharding` (a 1-D mesh over the batch axis,
counters kept per game slot); games never talk to each other, so the devices exchange nothing while they play.

A game counts when a step ends it (terminated or truncated); steps count every step of every game slot.
"""

from __future__ import annotations

import random
import resource
import time
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_BATCHES = (1, 64, 1024, 4096)
RANDOM_POOL = 64
"""Random decks drawn for --random-decks (each game pairs two of them)."""
RESULTS = ("player 0 wins", "player 1 wins", "tie by rule", "turn limit")
"""The outcomes counted; "turn limit" is a game stopped by the turn limit (truncated), whatever its rewards."""

A_ACTION, A_STEP0, A_STEP1, A_NEW0, A_NEW1 = range(5)
"""Indices of the random words each game slot draws per step."""
RUN_ADDRESS = 0xBE9C
"""Address (in the engine's addressed-randomness scheme) of the benchmark's own random words."""


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (getrusage maxrss), in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class Measurement:
    engine: str
    batch: int
    devices: int
    steps_per_s: float
    games_per_s: float
    compile_s: float
    peak_rss_mb: float
    steps: int = 0
    games: int = 0
    seconds: float = 0.0
    steps_per_game: float = 0.0
    turns_per_game: float = 0.0
    state_bytes: int = 0
    results: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)

    def as_json(self) -> dict:
        return {"engine": self.engine, "batch": self.batch, "devices": self.devices,
                "steps_per_s": round(self.steps_per_s, 1), "games_per_s": round(self.games_per_s, 2),
                "compile_s": round(self.compile_s, 2), "peak_rss_mb": round(self.peak_rss_mb, 1),
                "steps": self.steps, "games": self.games, "seconds": round(self.seconds, 3),
                "steps_per_game": round(self.steps_per_game, 1), "turns_per_game": round(self.turns_per_game, 1),
                "results": dict(self.results),
                "exceptions": len(self.errors)}


@dataclass
class DeckPool:
    """The decks both engines draw from: each game pairs two decks drawn uniformly from `decks` (a reference Deck
    each), as the generated Env's `init` does."""

    label: str
    decks: list

    def env_decks(self) -> list:
        return [(list(d.cards), list(d.energy)) for d in self.decks]


# --- the engine and the decks --------------------------------------------------------------------------------------

def build_engine(spec, cache: str | Path, echo=None):
    """Build the spec's JAX engine into `cache` (rebuilt each call) and import it: (loaded spec, build summary,
    package)."""
    from .cli.build import build
    from .spec import load_spec
    from .verify.rollout import load_package

    loaded = load_spec(spec)
    summary = build(spec, out=cache, allow_unresolved=True, echo=echo)
    return loaded, summary, load_package(summary["package"])


def deck_pool(loaded, pkg, refused_ids, random_decks: bool, seed: int = 0, n: int = RANDOM_POOL,
              source: str = "spec"):
    """(DeckPool, reference Engine). Random decks come from the reference's generator restricted to the cards the JAX
    engine plays; otherwise the pool is the spec's decks that the JAX engine plays (its `Env()` decks). Without a
    JAX package (`pkg` None: the reference engine alone) the pool is the spec's decks the reference can play."""
    from reference.decks import random_deck
    from reference.engine import Deck

    from .diagnostics import Diagnostic, SpecError
    from .verify.rollout import restricted_engine

    eng = restricted_engine(loaded, set(refused_ids))
    if random_decks:
        rng = random.Random(seed)
        return DeckPool(f"{n} random decks (seed {seed})", [random_deck(eng, rng, f"random-{i}") for i in range(n)]), eng
    if pkg is not None:
        T = pkg.tables
        decks = [Deck(name, tuple(int(e) for e in energy if e >= 0), tuple(int(c) for c in cards))
                 for name, cards, energy in zip(T.DECK_NAMES, T.DECK_CARDS, T.DECK_ENERGY)]
    else:
        decks = []
        for d in loaded.spec.decks:
            try:
                decks.append(eng.deck_from_spec(d))
            except SpecError:
                continue
    if not decks:
        raise SpecError(Diagnostic(source, "no deck of the spec can be played: pass --random-decks"))
    return DeckPool("spec decks: " + ", ".join(d.name for d in decks), decks), eng


def state_bytes(env) -> int:
    """Bytes of one game's state (the sum of its leaves' nbytes)."""
    import jax
    import jax.numpy as jnp

    shapes = jax.eval_shape(env.init, jax.ShapeDtypeStruct((2,), jnp.uint32))
    return sum(int(x.size) * x.dtype.itemsize for x in jax.tree.leaves(shapes))


# --- the JAX engine --------------------------------------------------------------------------------------------------

RESETS = ("bench", "pgx")
"""How a finished game is replaced: `bench`, the benchmark's own (the step's key words and the action from one hash,
the new game's `init` under a `where`); `pgx`, pgx's `pgx.experimental.auto_reset` around `env.step` with
`pgx.experimental.act_randomly` and `jax.random` keys, i.e. what RL code written for pgx runs (needs pgx)."""
N_COUNTERS = 4 + len(RESULTS)
"""Per game slot: steps, games ended, steps and turns of the games that ended, then one per RESULTS entry."""


def rollout_fns(pkg, env, seed: int = 0, devices: int = 1, reset: str = "bench"):
    """(init, run, sharding of the batch axis). `init(slots)`: the carry for game slots `slots` (uint32 ids, one per
    game); `run(carry, n)`: `n` steps of every game (a traced loop count, so one compile serves any `n`), random legal
    actions, auto-reset. The carry is (state, slot ids, step number, steps of the current game, counters) with
    counters (batch, N_COUNTERS) int32."""
    import jax
    import jax.numpy as jnp
    import numpy as np

    draw = pkg.runtime.rng.draw_u32
    s0, s1 = seed & 0xFFFFFFFF, (seed >> 32) & 0xFFFFFFFF
    if reset not in RESETS:
        raise ValueError(f"unknown reset {reset!r}: one of {', '.join(RESETS)}")
    if reset == "pgx":
        from pgx.experimental import act_randomly, auto_reset

        step_fn = auto_reset(env.step, env.init)
    base_key = jax.random.PRNGKey(seed)

    def words(t, slot):
        return draw(s0 ^ t, s1, RUN_ADDRESS, slot * jnp.uint32(8) + jnp.arange(5, dtype=jnp.uint32))

    def new_game(slot):
        if reset == "pgx":
            return env.init(jax.random.fold_in(jax.random.fold_in(base_key, 0xFFFFFFFF), slot))
        return env.init(words(jnp.uint32(0xFFFFFFFF), slot)[A_NEW0:A_NEW1 + 1])

    def act(state, slot, t):
        """The step's action and key words (bench reset), or pgx's random action and keys."""
        if reset == "pgx":
            k_act, k_step = jax.random.split(jax.random.fold_in(jax.random.fold_in(base_key, t), slot))
            return act_randomly(k_act, state.legal_action_mask[None])[0], k_step
        w = words(t, slot)
        mask = state.legal_action_mask
        n = jnp.sum(mask, dtype=jnp.uint32)
        r = (w[A_ACTION] % jnp.maximum(n, 1)).astype(jnp.int32)
        return jnp.argmax(jnp.cumsum(mask, dtype=jnp.int32) > r).astype(jnp.int32), w[A_STEP0:A_STEP1 + 1]

    def after(nxt, slot, t, length):
        """Counters of the step, and a new game where one ended (bench reset)."""
        turn = jnp.zeros((), jnp.int32) if reset == "pgx" else nxt._core.turn.astype(jnp.int32)
        done = nxt.terminated | nxt.truncated
        length = length + 1
        trunc = nxt.truncated
        p0, p1 = nxt.rewards[0] > 0, nxt.rewards[1] > 0
        counts = jnp.stack([jnp.ones((), jnp.int32), done, jnp.where(done, length, 0), jnp.where(done, turn, 0),
                            done & ~trunc & p0, done & ~trunc & p1, done & ~trunc & ~p0 & ~p1,
                            done & trunc]).astype(jnp.int32)
        if reset != "pgx":
            fresh = env.init(words(t, slot)[A_NEW0:A_NEW1 + 1])
            nxt = jax.tree.map(lambda a, b: jnp.where(done, a, b), fresh, nxt)
        return nxt, jnp.where(done, 0, length), counts

    def vstep(state, slots, t, length):
        action, key = jax.vmap(act, in_axes=(0, 0, None))(state, slots, t)
        if reset == "pgx":
            nxt = jax.vmap(step_fn)(state, action, key)
        else:
            nxt = env.step_batch(state, action, key[:, 0], key[:, 1])
        return jax.vmap(after, in_axes=(0, 0, None, 0))(nxt, slots, t, length)

    def body(_, carry):
        state, slots, t, length, counters = carry
        state, length, counts = vstep(state, slots, t, length)
        return state, slots, t + jnp.uint32(1), length, counters + counts

    def run(carry, n):
        return jax.lax.fori_loop(0, n, body, carry)

    def init(slots):
        state = jax.vmap(new_game)(slots)
        b = slots.shape[0]
        return state, slots, jnp.uint32(0), jnp.zeros(b, jnp.int32), jnp.zeros((b, N_COUNTERS), jnp.int32)

    if devices > 1:
        from jax.sharding import Mesh, NamedSharding, PartitionSpec as P

        avail = jax.local_devices()
        if len(avail) < devices:
            raise ValueError(f"{devices} devices asked, {len(avail)} present ({avail[0].platform}); on CPU set "
                             f"XLA_FLAGS=--xla_force_host_platform_device_count={devices}")
        mesh = Mesh(np.array(avail[:devices]), ("batch",))
        shard, repl = NamedSharding(mesh, P("batch")), NamedSharding(mesh, P())
        # each device steps its own games (the engine's batch-level schedule is per device)
        vstep = jax.shard_map(vstep, mesh=mesh, in_specs=(P("batch"), P("batch"), P(), P("batch")),
                              out_specs=P("batch"), check_vma=False)
    else:
        shard = repl = jax.sharding.SingleDeviceSharding(jax.local_devices()[0])
    state_sh = jax.tree.map(lambda _: shard, jax.eval_shape(new_game, jax.ShapeDtypeStruct((), jnp.uint32)))
    carry_sh = (state_sh, shard, repl, shard, shard)
    init_j = jax.jit(init, in_shardings=(shard,), out_shardings=carry_sh)
    run_j = jax.jit(run, in_shardings=(carry_sh, repl), out_shardings=carry_sh, donate_argnums=0)
    return init_j, run_j, shard


def measure_jax(pkg, env, batch: int, seconds: float, seed: int = 0, devices: int = 1, progress=None,
                reset: str = "bench", call_s: float = 0.5) -> Measurement:
    """Compile, then time random games on the JAX engine at one batch size: calls of `run` until `seconds` have
    passed (at least one step). Each call plays as many steps as fit in about `call_s` seconds or what is left of the
    time, as measured on the calls before (the first call plays one step)."""
    import jax
    import jax.numpy as jnp
    import numpy as np

    if batch % devices:
        raise ValueError(f"batch {batch} can't be split evenly over {devices} devices")
    say = progress or (lambda **kw: None)
    say(phase="compiling")
    t0 = time.perf_counter()
    init_j, run_j, shard = rollout_fns(pkg, env, seed, devices, reset)
    slots = jax.device_put(jnp.arange(batch, dtype=jnp.uint32), shard)
    carry = init_j.lower(slots).compile()(slots)
    n_spec = jax.ShapeDtypeStruct((), jnp.int32)
    run_c = run_j.lower(carry, n_spec).compile()
    jax.block_until_ready(carry)
    compile_s = time.perf_counter() - t0
    say(phase="running", done=0.0, steps=0)
    t0 = time.perf_counter()
    n, played, dt = 1, 0, 0.0
    while True:
        t1 = time.perf_counter()
        carry = run_c(carry, jnp.int32(n))
        jax.block_until_ready(carry[4])
        now = time.perf_counter()
        played += n
        dt = now - t0
        say(phase="running", done=min(dt, seconds), steps=played * batch)
        if dt >= seconds:
            break
        per_step = max((now - t1) / n, 1e-7)
        n = int(max(1, min(1 << 20, min(call_s, seconds - dt) / per_step)))
    counters = np.asarray(carry[4]).sum(axis=0, dtype=np.int64)
    steps, games, ended_steps, ended_turns = (int(c) for c in counters[:4])
    return Measurement("jax", batch, devices, steps / dt, games / dt, compile_s, peak_rss_mb(), steps, games, dt,
                       ended_steps / games if games else 0.0,
                       ended_turns / games if games and reset != "pgx" else 0.0,
                       results={k: int(v) for k, v in zip(RESULTS, counters[4:])})


# --- the reference engine ------------------------------------------------------------------------------------------

def measure_reference(engine, pool: DeckPool, seconds: float | None = None, games: int | None = None, seed: int = 0,
                      bot: str = "random", progress=None) -> Measurement:
    """Bot-vs-bot games on the reference engine: for about `seconds` (whole games), or exactly `games` games. Each
    game pairs two decks drawn from the pool."""
    import traceback

    from reference.bots import BOTS
    from reference.session import step_key

    rng = random.Random(seed)
    say = progress or (lambda **kw: None)
    results = dict.fromkeys(RESULTS, 0)
    errors: list[str] = []
    steps = played = turns = 0
    t0 = time.perf_counter()
    g = 0
    while (games is not None and g < games) or (games is None and time.perf_counter() - t0 < (seconds or 0)):
        decks = [rng.choice(pool.decks), rng.choice(pool.decks)]
        game_seed = seed * 1_000_003 + g
        bots = [BOTS[bot](game_seed), BOTS[bot](game_seed + 1)]
        g += 1
        n = 0
        try:
            s = engine.init(decks, game_seed)
            while not (s.terminated or s.truncated):
                s = engine.step(s, bots[s.current_player].act(engine, s), step_key(game_seed, s))
                n += 1
        except Exception as e:  # report, keep measuring
            errors.append(f"game {g - 1} (seed {game_seed}): {type(e).__name__}: {e}\n"
                          f"{traceback.format_exc(limit=3)}")
            steps += n
            continue
        steps += n
        played += 1
        turns += s.turn
        results["turn limit" if s.truncated else "tie by rule" if s.winner == 2 else f"player {s.winner} wins"] += 1
        dt = time.perf_counter() - t0
        say(phase="running", done=min(dt, seconds) if games is None else g, steps=steps)
    dt = time.perf_counter() - t0
    return Measurement("reference", 1, 1, steps / dt, played / dt, 0.0, peak_rss_mb(), steps, played, dt,
                       steps / played if played else 0.0, turns / played if played else 0.0, results=results,
                       errors=errors)
