"""Policy checkpoints: one .npz file.

Keys: `meta`, a JSON string (format "tcgc-policy", version 1, the engine's name, observation size, card and action
counts, the network's hidden width and embedding width, the deck pairing, the update and engine step counts, the
PPO settings); and one array per network parameter, `params/<layer>/<name>` (flax's parameter tree, joined with
`/`). `load` rebuilds the network from `meta` and checks it against the engine it is used with.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ..diagnostics import Diagnostic, SpecError

FORMAT = "tcgc-policy"
VERSION = 1


def _flatten(tree, prefix="params"):
    out = {}
    for k, v in tree.items():
        if isinstance(v, dict) or hasattr(v, "items"):
            out.update(_flatten(v, f"{prefix}/{k}"))
        else:
            out[f"{prefix}/{k}"] = np.asarray(v)
    return out


def _plain(x):
    """NumPy scalars and arrays in `meta` as plain JSON values."""
    return x.tolist() if hasattr(x, "tolist") else str(x)


def save(path, params, meta: dict) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = {"format": FORMAT, "version": VERSION, **meta}
    tmp = path.with_name(path.name + ".tmp.npz")
    np.savez(tmp, meta=np.array(json.dumps(meta, default=_plain)), **_flatten(params))
    tmp.replace(path)
    return path


def load(path):
    """(params as a nested dict of arrays, meta). A missing, unreadable or foreign file is a SpecError."""
    path = Path(path)
    if not path.is_file():
        raise SpecError(Diagnostic(str(path), "no such policy file"))
    try:
        with np.load(path, allow_pickle=False) as z:
            meta = json.loads(str(z["meta"]))
            arrays = {k: z[k] for k in z.files if k.startswith("params/")}
    except Exception as e:  # noqa: BLE001 - any unreadable file is bad input
        raise SpecError(Diagnostic(str(path), f"not a tcgc policy checkpoint ({type(e).__name__}: {e})")) from None
    if meta.get("format") != FORMAT or meta.get("version") != VERSION:
        raise SpecError(Diagnostic(str(path), f"not a {FORMAT} version {VERSION} checkpoint"))
    params: dict = {}
    for k, v in arrays.items():
        node = params
        parts = k.split("/")[1:]
        for p in parts[:-1]:
            node = node.setdefault(p, {})
        node[parts[-1]] = v
    return params, meta


def check_fits(meta: dict, layout, engine_name: str, source: str) -> None:
    """A checkpoint trained on another engine (other observation or action layout) is a SpecError."""
    want = layout.key()
    got = {k: meta.get(k) for k in want}
    if got != want:
        diff = ", ".join(f"{k} {got[k]} (engine {want[k]})" for k in want if got[k] != want[k])
        raise SpecError(Diagnostic(source, f"the policy was trained on engine {meta.get('engine')!r}, which does "
                                           f"not fit engine {engine_name!r}: {diff}"))
