"""Recorded games: `tcgc play --record FILE` writes one, `--replay FILE` reads one back (docs/play.md, "Replays").

A recording is JSON: the spec, the seed, both decks (card ids, or CardDB indices as a divergence report writes
them; Energy types by name or index) and the actions (indices, stable names, or {"action": i, ...}); `result`
(optional) is how the game ended, which a replay checks. A recording written by `tcgc verify --level interaction`
starts from a constructed board instead of a seed's first state: `board` (compiler/verify/interaction.py,
`build_state`) and `keys` (the key of each step, as decimal strings) replace `decks` and the seed's keys.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from reference.state import ENERGY_TYPES as ENERGY

from ..diagnostics import Diagnostic, SpecError

FORMAT = "tcgc-play-record"


def state_digest(s) -> str:
    """A short hash of a state's canonical encoding (reference/export.py): equal digests, equal games."""
    from reference.export import encode_state

    h = hashlib.sha256()
    for k, v in sorted(encode_state(s).items()):
        h.update(k.encode())
        h.update(v.astype("int64").tobytes())
    return h.hexdigest()[:16]


def result_of(s) -> dict:
    return {"steps": s.step_count, "turn": s.turn, "over": bool(s.terminated or s.truncated), "winner": s.winner,
            "points": [pl.points for pl in s.players], "state": state_digest(s)}


def write_record(path: str, spec: str, seed: int, engine, decks, log: list[dict], s) -> None:
    data = {"format": FORMAT, "version": 1, "spec": str(Path(spec).resolve()), "seed": seed,
            "decks": [{"name": d.name, "energy": [ENERGY[t] for t in d.energy],
                       "cards": [engine.db[i].id for i in d.cards]} for d in decks],
            "actions": log, "result": result_of(s)}
    Path(path).write_text(dump(data), encoding="utf-8")


def dump(data: dict) -> str:
    """JSON with one line per deck and per action (a recording stays readable and diffable)."""
    def one(v) -> str:
        return json.dumps(v, ensure_ascii=False)
    rows = []
    for k, v in data.items():
        if isinstance(v, list) and v:
            rows.append(f" {one(k)}: [\n  " + ",\n  ".join(one(x) for x in v) + "\n ]")
        else:
            rows.append(f" {one(k)}: {one(v)}")
    return "{\n" + ",\n".join(rows) + "\n}\n"


@dataclass
class Recording:
    path: str
    spec: str
    seed: int
    decks: list[dict]
    actions: list
    result: dict | None
    board: dict | None = None
    keys: list | None = None


def load_record(path: str) -> Recording:
    """A recording file, checked for shape; SpecError naming the file and field otherwise."""
    def bad(msg: str, field: str | None = None) -> SpecError:
        return SpecError(Diagnostic(path, msg, field=field))
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise bad("not a text file") from None
    except json.JSONDecodeError as e:
        raise SpecError(Diagnostic(path, f"not JSON: {e.msg}", e.lineno, e.colno)) from None
    if not isinstance(data, dict):
        raise bad("a recording is a JSON object with spec, seed, decks and actions")
    board = data.get("board")
    if board is not None:
        if not (isinstance(board, dict) and isinstance(board.get("players"), list) and len(board["players"]) == 2):
            raise bad("board must be an object with two players (written by tcgc verify --level interaction)",
                      "board")
        keys = data.get("keys")
        if not (isinstance(keys, list) and isinstance(data.get("actions"), list) and len(keys) == len(data["actions"])
                and all(isinstance(k, (int, str)) and str(k).isdigit() for k in keys)):
            raise bad("a board recording needs one key (a decimal string) per action", "keys")
        spec = data.get("spec")
        return Recording(path, spec if isinstance(spec, str) else "", 0, [], data["actions"], None, board,
                         [int(k) for k in keys])
    missing = [k for k in ("seed", "decks", "actions") if k not in data]
    if missing:
        raise bad(f"missing {', '.join(missing)}: a recording has spec, seed, decks and actions "
                  "(written by tcgc play --record)")
    if not isinstance(data["seed"], int) or isinstance(data["seed"], bool):
        raise bad("the seed must be an integer", "seed")
    decks = data["decks"]
    if not (isinstance(decks, list) and len(decks) == 2 and all(isinstance(d, dict) and isinstance(
            d.get("cards"), list) and isinstance(d.get("energy"), list) for d in decks)):
        raise bad("decks must be two objects with 'cards' and 'energy' lists", "decks")
    if not isinstance(data["actions"], list):
        raise bad("actions must be a list", "actions")
    spec = data.get("spec")
    if spec is not None and not isinstance(spec, str):
        raise bad("spec must be a path", "spec")
    result = data.get("result") if isinstance(data.get("result"), dict) else None
    return Recording(path, spec or "", data["seed"], decks, data["actions"], result)


def decks_of(rec: Recording, engine) -> list:
    """The recording's decks as engine Decks (SpecError on an unknown card or type)."""
    from reference.engine import Deck

    out = []
    for k, d in enumerate(rec.decks):
        cards = []
        for c in d["cards"]:
            if isinstance(c, int) and 0 <= c < len(engine.db):
                cards.append(c)
            elif isinstance(c, str) and c in engine.db.by_id:
                cards.append(engine.db.by_id[c])
            else:
                raise SpecError(Diagnostic(rec.path, f"unknown card {c!r} (not in the spec's pool)",
                                           field=f"decks[{k}].cards"))
        energy = []
        for t in d["energy"]:
            if isinstance(t, int) and 0 <= t < len(ENERGY):
                energy.append(t)
            elif t in ENERGY:
                energy.append(ENERGY.index(t))
            else:
                raise SpecError(Diagnostic(rec.path, f"unknown Energy type {t!r}", field=f"decks[{k}].energy"))
        if len(cards) != engine.rules.deck_size:
            raise SpecError(Diagnostic(rec.path, f"the deck has {len(cards)} cards; the rules require "
                                       f"{engine.rules.deck_size}", field=f"decks[{k}].cards"))
        out.append(Deck(str(d.get("name", f"deck-{k}")), tuple(energy), tuple(cards)))
    return out


def action_of(rec: Recording, engine, i: int) -> int:
    """Recorded action i as an index (given as an index, a stable name, or an object with 'action')."""
    a = rec.actions[i]
    if isinstance(a, dict):
        a = a.get("action", a.get("name"))
    names = engine.layout.names()
    if isinstance(a, str) and a in names:
        return names.index(a)
    if isinstance(a, int) and not isinstance(a, bool) and 0 <= a < len(names):
        return a
    raise SpecError(Diagnostic(rec.path, f"not an action: {a!r}", field=f"actions[{i}]"))
