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
        if rec.get("tags"):
            out["tags"] = list(rec["tags"])
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


MAX_LINE_ERRORS = 5
"""Bad lines listed one by one; the rest are only counted (a file of the wrong kind is bad on every line)."""

CARD_KEYS = ("id", "name", "category")


def json_kind(value: Any) -> str:
    """The JSON name of a decoded value's type: object, list, string, number, boolean or null."""
    if value is None:
        return "null"
    return {dict: "object", list: "list", str: "string", bool: "boolean"}.get(type(value), "number")


def _not_a_card_dump(shown: str, lines: list[str]) -> list[Diagnostic]:
    """When no line is a card: what the file looks like instead, from its first non-empty line."""
    n, first = next(((n, ln) for n, ln in enumerate(lines, 1) if ln.strip()), (1, ""))
    try:
        rec = json.loads(first)
    except json.JSONDecodeError:
        looks = f"its first line is not JSON: {first[:40]!r}{'...' if len(first) > 40 else ''}"
    else:
        if isinstance(rec, dict):
            if all(k in rec for k in CARD_KEYS):
                return []  # card records with bad fields: the line errors say it all
            keys = list(rec)
            looks = (f"its first line has the keys {', '.join(map(str, keys[:8]))}{', ...' if len(keys) > 8 else ''}"
                     if keys else "its first line is an empty object")
        else:
            looks = f"its first line is a JSON {json_kind(rec)}, not an object"
    return [Diagnostic(shown, f"not a card dump in the corpus JSONL format (one card per line with "
                              f"{', '.join(CARD_KEYS)}, ...): {looks}", n)]


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
        hint = [] if cards else _not_a_card_dump(shown, lines)
        raise SpecError(hint + diags[:MAX_LINE_ERRORS], omitted=max(0, len(diags) - MAX_LINE_ERRORS))
    code = set_code or (sets.pop() if len(sets) == 1 else path.stem)
    return CardSetFile(set=code, cards=cards)
