"""`tcgc play --replay FILE --engine jax`: the generated JAX engine steps the recorded game beside the reference
engine, and their canonical states and legal actions are compared after every step (as compiler/verify/rollout.py)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ..diagnostics import Diagnostic, SpecError


def find_package(loaded, given: str | None) -> Path:
    """The generated package of this spec: `given`, else the generated/ folder whose MANIFEST has the spec's hash."""
    from ..codegen import spec_hash

    want = spec_hash(loaded)
    if given:
        path = Path(given)
        if not (path / "MANIFEST.json").is_file():
            raise SpecError(Diagnostic(given, "not a generated engine (no MANIFEST.json): build one with tcgc build",
                                       field="--package"))
        if json.loads((path / "MANIFEST.json").read_text(encoding="utf-8")).get("spec_hash") != want:
            raise SpecError(Diagnostic(given, f"built from another spec than {loaded.path} (or an older version of "
                                       "it): rebuild it with tcgc build", field="--package"))
        return path
    roots = [Path("generated"), Path(__file__).resolve().parents[2] / "generated"]
    for root in roots:
        for m in sorted(root.glob("*/MANIFEST.json")):
            if json.loads(m.read_text(encoding="utf-8")).get("spec_hash") == want:
                return m.parent
    raise SpecError(Diagnostic(str(loaded.path), "no generated engine of this spec in generated/: build one with "
                               "tcgc build SPEC, or pass --package DIR", field="--engine"))


class JaxGame:
    """One game on the generated engine, from the recording's decks and seed, stepped with the same keys."""

    def __init__(self, package: Path, engine, decks, seed: int, start=None):
        """From the decks and seed, or from reference state `start` (a constructed board) when given."""
        import jax

        from compiler.engine_model.rng import key_words
        from compiler.verify.rollout import load_package

        manifest = json.loads((package / "MANIFEST.json").read_text(encoding="utf-8"))
        refused = {r["id"]: r["name"] for r in manifest.get("refused", [])}
        held = [i for d in decks for i in d.cards] if start is None else [i for i in start.card_of if i >= 0]
        bad = sorted({f"{engine.db[i].id} {engine.db[i].name}" for i in held if engine.db[i].id in refused})
        if bad:
            raise SpecError(Diagnostic(str(package), "the JAX engine can't play these cards of the recorded decks: "
                                       + ", ".join(bad), field="--engine"))
        pkg = load_package(package)
        self.env = env = pkg.Env()
        T = pkg.tables
        self._step = jax.jit(env.step_words)
        self._canon = jax.jit(lambda st: env.canonical(st._core))
        self._obs = jax.jit(lambda st: (env.canonical_observation(st._core, 0),
                                        env.canonical_observation(st._core, 1)))
        if start is not None:
            from compiler.verify.interaction import JaxReplayer

            self.state = jax.tree.map(lambda x: x[0], JaxReplayer(pkg).states([start]))
            return
        cards = np.array([list(d.cards) for d in decks], np.int16)
        energy = np.full((2, T.E), -1, np.int8)
        for p, d in enumerate(decks):
            energy[p, :len(d.energy)] = d.energy
        k0, k1 = key_words(seed)
        self.state = jax.jit(env.init_game)(np.uint32(k0), np.uint32(k1), cards, energy)

    def step(self, action: int, key: int) -> None:
        from compiler.engine_model.rng import key_words

        k0, k1 = key_words(key)
        self.state = self._step(self.state, np.int32(action), np.uint32(k0), np.uint32(k1))

    def differences(self, engine, s) -> dict:
        """The canonical fields (and legal actions) where this game differs from reference state `s`."""
        from compiler.verify.rollout import diff_fields
        from reference.export import encode_state

        d = diff_fields(encode_state(s), {k: np.asarray(v) for k, v in self._canon(self.state).items()})
        if not (s.terminated or s.truncated):
            mine = np.asarray(self.state.legal_action_mask, bool)
            ref = np.array(engine.legal_action_mask(s), bool)
            if not np.array_equal(mine, ref):
                names = engine.layout.names()
                d["legal_action_mask"] = ([names[a] for a in np.flatnonzero(ref & ~mine)],
                                          [names[a] for a in np.flatnonzero(mine & ~ref)])
        if not d:
            from reference.export import encode_observation

            for p, obs in enumerate(self._obs(self.state)):
                for k, v in diff_fields(encode_observation(s, p), {k: np.asarray(x) for k, x in obs.items()}).items():
                    d[f"observation[{p}].{k}"] = v
        return d
