"""Code generation: a `Lowered` pool → an importable package `generated/<name>/` that depends only on jax and numpy.

The package holds the hand-written runtime (codegen_templates/runtime/, copied verbatim), `tables.py` rendered from
a Jinja2 template (card rows, effect programs, rule constants, decks; every row commented with its card and text),
`__init__.py`, a README and MANIFEST.json. Spec strings reach the code only through `repr` literals and sanitised
comments, never as code. The same spec gives byte-identical output.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import jinja2
import numpy as np

from . import __version__
from .lower import Lowered

TEMPLATES = Path(__file__).resolve().parent.parent / "codegen_templates"
RUNTIME_FILES = ("__init__.py", "struct.py", "rng.py", "sched.py", "core.py", "effects.py", "env.py")
CARD_FIELDS = ("KIND", "IS_FOSSIL", "STAGE", "HP", "TYPE", "WEAKNESS", "RETREAT", "IS_EX", "IS_MEGA", "NAME",
               "EVOLVES_FROM", "IS_BASIC", "PLAYS_AS_BASIC", "HAS_ABILITY", "UNPLAYABLE", "ATK_N", "ATK_COST",
               "ATK_COLORLESS", "ATK_DAMAGE", "ATK_NAME", "ATK_PROG", "ATK_PROG_END", "ATK_REQ", "ATK_IGN_WEAK",
               "ATK_IGN_EFF", "ATK_REMOVE", "TR_PROG", "TR_PROG_END", "TR_REQ", "TR_REMOVE", "TR_BIND",
               "AB_PROG", "AB_PROG_END", "AB_REQ", "AB_BIND", "AB_REMOVE", "AB_ONCE", "AB_ACTIVATED", "AB_COST",
               "TRIG_EVENT", "TRIG_ETYPE", "TRIG_ACTIVE", "PAS_MOD")
ROW_TABLES = ("FILTER", "TARGET", "AMOUNT", "COND", "CARDF", "MOD", "NAMESET", "MOD_CANON_OP", "ACT_KIND", "ACT_HAND",
              "ACT_SLOT", "ACT_INDEX")
_LINE_BREAKS = re.compile(r"[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")


def comment(text) -> str:
    """Text safe inside a `#` comment: one line, no control characters."""
    return _LINE_BREAKS.sub(" ", str(text)).replace("\x00", "")


def pyrepr(value) -> str:
    """A Python literal of plain data (ints, bools, strings, lists, dicts), deterministic."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{pyrepr(k)}: {pyrepr(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (set, frozenset)):
        return f"frozenset({pyrepr(sorted(value))})"
    if isinstance(value, (list, tuple)):
        inner = ", ".join(pyrepr(v) for v in value)
        return f"[{inner}]"
    if isinstance(value, (bool, np.bool_)):
        return "True" if value else "False"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, str):
        return repr(value)
    if value is None:
        return "None"
    raise TypeError(f"not plain data: {type(value).__name__}")


def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, autoescape=False)
    env.filters["comment"] = comment
    env.filters["pyrepr"] = pyrepr
    return env


def spec_hash(loaded) -> str:
    """sha256 over the spec file and its card-set files (their bytes, in spec order)."""
    h = hashlib.sha256()
    paths = [Path(loaded.path)] + [Path(loaded.path).parent / p for p in loaded.spec.card_sets]
    for p in paths:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def _rowlist(arr: np.ndarray) -> str:
    return pyrepr(arr.tolist())


def render(low: Lowered, loaded) -> dict[str, str]:
    """Every file of the generated package, by relative path."""
    env = _env()
    t = low.tables
    consts = dict(low.consts)
    consts["ACTION_NAMES"] = low.action_names
    consts["OBS_LAYOUT"] = [list(x) for x in low.obs_layout]
    shapes = {f: list(t[f].shape[1:]) for f in CARD_FIELDS}
    cards = []
    for i, cid in enumerate(low.card_ids):
        row = tuple(t[f][i].tolist() for f in CARD_FIELDS)
        cards.append({"index": i, "id": cid, "name": low.card_names[i], "text": low.card_texts[i],
                      "row": pyrepr(row).replace("[", "(", 1)[:-1] + ")"})
    starts = {p["start"]: p for p in low.programs}
    instrs = []
    for j in range(t["INSTR"].shape[0]):
        op = low.consts["OPS"][int(t["INSTR"][j, 0])]
        n = int(t["INSTR_PLEN"][j])
        row = (t["INSTR"][j].tolist(), t["INSTR_PATH"][j].tolist(), n)
        instrs.append({"index": j, "op": op, "row": pyrepr(row), "program": starts.get(j)})
    ctx = {
        "name": low.name, "version": __version__, "spec_name": Path(loaded.path).name, "rules": low.rules,
        "consts": sorted(consts.items()), "card_ids": low.card_ids, "card_names": low.card_names,
        "card_fields": [[f, str(t[f].dtype)] for f in CARD_FIELDS], "card_shapes": shapes, "cards": cards,
        "row_tables": [(n, _rowlist(t[n])) for n in ROW_TABLES],
        "dtypes": {n: str(t[n].dtype) for n in ROW_TABLES}, "instrs": instrs,
        "instr_width": t["INSTR"].shape[1], "path_width": t["INSTR_PATH"].shape[1],
        "deck_names": [d["name"] for d in low.decks], "deck_cards": _rowlist(t["DECK_CARDS"]),
        "deck_energy": _rowlist(t["DECK_ENERGY"]),
    }
    files = {"tables.py": env.get_template("tables.py.j2").render(ctx),
             "__init__.py": env.get_template("package_init.py.j2").render(ctx)}
    for f in RUNTIME_FILES:
        files[f"runtime/{f}"] = (TEMPLATES / "runtime" / f).read_text()
    sh = spec_hash(loaded)
    files["MANIFEST.json"] = json.dumps(manifest(low, loaded, sh), indent=1, ensure_ascii=False) + "\n"
    files["README.md"] = env.get_template("README.md.j2").render(
        name=low.name, version=__version__, spec_name=Path(loaded.path).name, spec_hash=sh,
        n_decks=len(low.decks), n_cards=len(low.card_ids), n_refused=len(low.refused),
        num_actions=low.consts["NUM_ACTIONS"], obs_size=low.consts["OBS_SIZE"],
        ops=[o for o in low.consts["OPS"] if o != "nop"])
    return files


def manifest(low: Lowered, loaded, sh: str) -> dict:
    return {
        "name": low.name, "tcgc_version": __version__, "spec": Path(loaded.path).name, "spec_hash": sh,
        "num_actions": low.consts["NUM_ACTIONS"], "action_layout": low.action_names,
        "observation_shape": [low.consts["OBS_SIZE"]],
        "observation_layout": [{"field": n, "per_player": pp, "start": a, "end": b} for n, pp, a, b in low.obs_layout],
        "cards": [{"index": i, "id": cid, "name": n} for i, (cid, n) in enumerate(zip(low.card_ids, low.card_names))],
        "primitives": [o for o in low.consts["OPS"] if o != "nop"],
        "lasting_modifiers": low.mod_ops_used,
        "refused": [{"id": r.card_id, "name": r.name, "reasons": r.reasons} for r in low.refused],
        "decks": [{"name": d["name"], "energy": d["energy"]} for d in low.decks],
        "dropped_decks": [{"name": d["name"], "refused_cards": d["refused_cards"]} for d in low.dropped_decks],
        "rules": low.rules,
    }


def write(files: dict[str, str], out: Path) -> list[Path]:
    """Write the package (replacing what a previous build wrote there); returns the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for rel in sorted(files):
        p = out / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(files[rel], encoding="utf-8")
        written.append(p)
    known = {out / rel for rel in files}
    for p in sorted(out.rglob("*.py")):
        if p not in known and "__pycache__" not in p.parts:
            p.unlink()
    return written
