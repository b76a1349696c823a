"""Source: JSON Lines card dumps in the ../shared/data/pocket corpus format (one card per line)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from compiler.diagnostics import Diagnostic, SpecError, display_path
from compiler.spec import Card, CardSetFile

_CARD = TypeAdapter(Card)

_ATTACK_KEYS = ("name", "cost", "damage", "text")


def corpus_record_to_card(rec: dict[str, Any], source: str | None = None) -> dict[str, Any]:
    """Map one corpus record to the fields of a Card model (not yet validated)."""
    out: dict[str, Any] = {"id": rec["id"], "name": rec["name"], "category": rec["category"]}
    if rec.get("number") is not None:
        out["number"] = rec["number"]
    if rec["category"] == "pokemon":
        for k in ("stage", "evolves_from", "hp", "type", "weakness", "retreat", "is_ex", "is_mega"):
            if rec.get(k) is not None:
                out[k] = rec[k]
        out["attacks"] = [{k: a.get(k) for k in _ATTACK_KEYS} for a in rec.get("attacks") or []]
        out["ability"] = rec.get("ability")
    else:
        out["trainer_kind"] = rec.get("trainer_kind")
        out["is_fossil"] = bool(rec.get("is_fossil"))
        out["text"] = rec.get("text")
    for k in ("rarity", "first_printed"):
        if rec.get(k) is not None:
            out[k] = rec[k]
    if source:
        out["source"] = source
    return out


def read_jsonl(path: str | Path, set_code: str | None = None) -> CardSetFile:
    """Read a corpus JSONL file into a CardSetFile; every bad line is reported with its line number."""
    path = Path(path)
    shown = display_path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise SpecError(Diagnostic(shown, "file not found")) from None
    except UnicodeDecodeError as e:
        raise SpecError(Diagnostic(shown, f"not UTF-8 text ({e.reason} at byte {e.start})")) from None
    cards, diags, sets = [], [], set()
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            diags.append(Diagnostic(shown, f"invalid JSON: {e.msg}", n, e.colno))
            continue
        if not isinstance(rec, dict):
            diags.append(Diagnostic(shown, "each line must be a JSON object", n, 1))
            continue
        missing = [k for k in ("id", "name", "category") if k not in rec]
        if missing:
            diags.append(Diagnostic(shown, f"missing field(s): {', '.join(missing)}", n, 1))
            continue
        try:
            cards.append(_CARD.validate_python(corpus_record_to_card(rec)))
        except ValidationError as err:
            for e in err.errors(include_url=False):
                loc = ".".join(str(p) for p in e["loc"] if p not in ("pokemon", "trainer"))
                diags.append(Diagnostic(shown, f"{rec['id']}: {e['msg']}", n, None, loc))
            continue
        if rec.get("set"):
            sets.add(rec["set"])
    if diags:
        raise SpecError(diags)
    code = set_code or (sets.pop() if len(sets) == 1 else path.stem)
    return CardSetFile(set=code, cards=cards)
