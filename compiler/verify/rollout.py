"""The rollout check: full random games on both engines from the same keys and decks, the canonical state and the
legal-action mask compared after every step (DESIGN.md, Verification level 3).

Games run in lockstep: the generated engine steps a batch of games with one `jit(vmap(step))` call per step while
the reference engine steps each game in Python. Actions are drawn from the reference's legal actions with a seeded
`random.Random`, so both engines take the same action. The first difference stops its game and is reported with a
reproducer: seed, decks, action history, the differing fields with both values.
"""

from __future__ import annotations

import importlib
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..engine_model.rng import key_words


@dataclass
class Divergence:
    game: int
    seed: int
    step: int
    decks: list
    actions: list[int]
    fields: dict[str, tuple]
    last_action: str = ""

    def replay_record(self, spec) -> dict:
        """A recording of the game up to the divergence, for `tcgc play --replay FILE --engine jax|reference`
        (compiler/cli/play_record.py: decks as card indices, actions as indices)."""
        return {"format": "tcgc-play-record", "version": 1, "spec": str(Path(spec).resolve()), "seed": self.seed,
                "decks": self.decks, "actions": list(self.actions),
                "divergence": {"step": self.step, "fields": sorted(self.fields)}}

    def report(self) -> str:
        lines = [f"game {self.game} (seed {self.seed}) diverged after step {self.step}"
                 + (f" (action {self.last_action})" if self.last_action else ""),
                 f"  decks: {self.decks}", f"  actions: {self.actions}"]
        for k, (ref, jx) in list(self.fields.items())[:12]:
            lines.append(f"  {k}: reference {ref} | jax {jx}")
        return "\n".join(lines)


@dataclass
class RolloutResult:
    games: int = 0
    steps: int = 0
    divergences: list[Divergence] = field(default_factory=list)
    finished: int = 0


def enable_compilation_cache(folder: str | Path = ".tcgc-cache/jax") -> None:
    """Cache compiled engines on disk (JAX's persistent compilation cache), unless the user configured one: the
    second run of the same engine skips the XLA compile."""
    import os

    if "JAX_COMPILATION_CACHE_DIR" not in os.environ:
        import jax

        if not jax.config.jax_compilation_cache_dir:
            jax.config.update("jax_compilation_cache_dir", str(Path(folder).resolve()))


def load_package(path: Path):
    """Import a generated package from its folder (a fresh import each call); compiled code is cached on disk."""
    enable_compilation_cache()
    path = Path(path).resolve()
    name = path.name
    for mod in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
        del sys.modules[mod]
    sys.path.insert(0, str(path.parent))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(path.parent))


def restricted_engine(loaded, refused_ids):
    """A reference Engine whose random decks draw only from cards the generated engine plays."""
    from reference import Engine

    eng = Engine.from_spec(loaded)
    for info in eng.db.cards:
        if info.id in refused_ids and not info.problems:
            info.problems = ["refused by the lowering"]
    return eng


def diff_fields(ref: dict, jx: dict) -> dict[str, tuple]:
    out = {}
    for k, rv in ref.items():
        jv = np.asarray(jx[k])
        if rv.shape != jv.shape or not np.array_equal(rv.astype(np.int64), jv.astype(np.int64)):
            out[k] = (rv.tolist(), jv.tolist())
    return out


class Lockstep:
    """A jitted, vmapped stepper of a generated Env and its canonical export. `Lockstep.of(pkg)` shares one per
    package within a process, so that the verify levels and repeated runs trace and compile each batch shape once."""

    _shared: dict[int, "Lockstep"] = {}

    @classmethod
    def of(cls, pkg) -> "Lockstep":
        ls = cls._shared.get(id(pkg))
        if ls is None or ls.pkg is not pkg:
            ls = cls._shared[id(pkg)] = cls(pkg)
        return ls

    def __init__(self, pkg):
        self.pkg = pkg
        import jax

        self.jax = jax
        self.env = pkg.Env()
        env = self.env
        self.init = jax.jit(jax.vmap(env.init_game))
        self.step = jax.jit(env.step_batch)
        self.canon = jax.jit(jax.vmap(lambda s: env.canonical(s._core)))
        self.observe_core = jax.jit(jax.vmap(env.flat_observation))


def start_games(eng, ls, T, seeds, rngs=None, deck_fn=None):
    """Random legal decks (drawn with `random.Random(seed)`, or `rngs`; by `deck_fn(eng, rng, name)` instead of
    `reference.decks.random_deck` when given) and the first state of each game on both engines: (decks, the batched
    JAX state, the reference states)."""
    import jax.numpy as jnp

    from reference.decks import random_deck

    rngs = rngs if rngs is not None else [random.Random(s) for s in seeds]
    deck_fn = deck_fn or random_deck
    decks = [[deck_fn(eng, r, "a"), deck_fn(eng, r, "b")] for r in rngs]
    states = [eng.init(d, s) for d, s in zip(decks, seeds)]
    n = len(seeds)
    cards = np.array([[list(d.cards) for d in dd] for dd in decks], np.int16)
    energy = np.full((n, 2, T.E), -1, np.int8)
    for i, dd in enumerate(decks):
        for p, d in enumerate(dd):
            energy[i, p, :len(d.energy)] = d.energy
    k0 = np.array([key_words(s)[0] for s in seeds], np.uint32)
    k1 = np.array([key_words(s)[1] for s in seeds], np.uint32)
    js = ls.init(jnp.asarray(k0), jnp.asarray(k1), jnp.asarray(cards), jnp.asarray(energy))
    return decks, js, states


def run_rollouts(loaded, pkg, games: int, seed: int = 0, batch: int = 64, max_steps: int = 3000,
                 refused_ids=(), progress=None, deck_fn=None, choose=None) -> RolloutResult:
    """Play `games` random games on both engines and compare every step. `deck_fn(eng, rng, name)` draws the decks
    (default: random legal decks); `choose(eng, state, legal, rng)` picks each action (default: uniformly among the
    legal ones)."""
    import jax.numpy as jnp

    from reference.export import encode_state
    from reference.session import step_key

    eng = restricted_engine(loaded, set(refused_ids))
    ls = Lockstep.of(pkg)
    T = pkg.tables
    res = RolloutResult()
    for b0 in range(0, games, batch):
        n = min(batch, games - b0)
        ids = list(range(b0, b0 + n))
        seeds = [seed * 1_000_003 + g for g in ids]
        # a last, smaller batch is padded with copies of its last game (not compared): one batch shape, one compile
        pad = [seeds[-1]] * (batch - n) if games > batch else []
        rngs = [random.Random(s) for s in seeds + pad]
        decks, js, states = start_games(eng, ls, T, seeds + pad, rngs, deck_fn)
        alive = [True] * n
        history: list[list[int]] = [[] for _ in range(n)]
        res.games += n
        for t in range(max_steps + 1):
            canon = {k: np.asarray(v) for k, v in ls.canon(js).items()}
            mask = np.asarray(js.legal_action_mask)
            actions = np.zeros(n + len(pad), np.int32)
            sk0 = np.zeros(n + len(pad), np.uint32)
            sk1 = np.zeros(n + len(pad), np.uint32)
            for i in range(n):
                if not alive[i]:
                    continue
                s = states[i]
                ref = encode_state(s)
                d = diff_fields(ref, {k: v[i] for k, v in canon.items()})
                over = s.terminated or s.truncated
                rmask = np.array(eng.legal_action_mask(s), bool)
                if not over and not np.array_equal(rmask, mask[i]):
                    names = eng.layout.names()
                    d["legal_action_mask"] = ([names[a] for a in np.flatnonzero(rmask & ~mask[i])],
                                              [names[a] for a in np.flatnonzero(mask[i] & ~rmask)])
                if d:
                    last = eng.layout.name(history[i][-1]) if history[i] else ""
                    res.divergences.append(Divergence(ids[i], seeds[i], t, [
                        {"name": dk.name, "energy": list(dk.energy), "cards": list(dk.cards)} for dk in decks[i]],
                        list(history[i]), d, last))
                    alive[i] = False
                    continue
                if over:
                    alive[i] = False
                    res.finished += 1
                    continue
                legal = eng.legal_actions(s)
                a = choose(eng, s, legal, rngs[i]) if choose is not None else rngs[i].choice(legal)
                key = step_key(seeds[i], s)
                states[i] = eng.step(s, a, key)
                history[i].append(a)
                actions[i] = a
                sk0[i], sk1[i] = key_words(key)
                res.steps += 1
            if not any(alive):
                break
            js = ls.step(js, jnp.asarray(actions), jnp.asarray(sk0), jnp.asarray(sk1))
        if progress is not None:
            progress(n)
    return res
