"""The sections of `tcgc diff` that need no games: rules, cards, effects and the engine interface.

Each returns a JSON-ready dict; `changed(section)` says whether it holds a difference.
"""

from __future__ import annotations

from typing import Any

from .. import ir
from .sides import Side

# --- generic structural diff --------------------------------------------------------------------------------------


def _label(x: Any) -> str:
    if isinstance(x, dict):
        for k in ("id", "name"):
            if isinstance(x.get(k), str):
                return f"({x[k]})"
    return ""


def changes(a: Any, b: Any, path: str = "") -> list[dict]:
    """Every difference between two JSON-like values as {"path", "a", "b"} (None where one side lacks it).

    Dicts recurse by key; lists of dicts recurse by index (labelled with an item's id or name: `attacks[0](Slash)`);
    a node whose `op` changed, and a list of scalars, is reported whole."""
    if a == b:
        return []
    if isinstance(a, dict) and isinstance(b, dict) and a.get("op") == b.get("op"):
        out = []
        for k in list(a) + [k for k in b if k not in a]:
            out += changes(a.get(k), b.get(k), f"{path}.{k}" if path else str(k))
        return out
    if isinstance(a, list) and isinstance(b, list) and any(isinstance(x, dict) for x in a + b):
        out = []
        for i in range(max(len(a), len(b))):
            x = a[i] if i < len(a) else None
            y = b[i] if i < len(b) else None
            out += changes(x, y, f"{path}[{i}]{_label(x if x is not None else y)}")
        return out
    return [{"path": path, "a": a, "b": b}]


def flatten(d: dict, prefix: str = "") -> dict[str, Any]:
    """Nested dicts as dotted keys: {"first_turn.evolve_on_first_turn": False, ...}."""
    out = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(flatten(v, key + "."))
        else:
            out[key] = v
    return out


# --- 1. rules -------------------------------------------------------------------------------------------------------


def rules_section(a: Side, b: Side) -> dict:
    """Changed RulesSpec parameters, old and new value (nested groups as dotted names)."""
    ra, rb = flatten(a.rules()), flatten(b.rules())
    return {"changed": [{"field": k, "a": ra.get(k), "b": rb.get(k)}
                        for k in list(ra) + [k for k in rb if k not in ra] if ra.get(k) != rb.get(k)]}


# --- 2. cards and decks ---------------------------------------------------------------------------------------------


def _card_dump(card) -> dict:
    return card.model_dump(mode="json", exclude_defaults=False)


def cards_section(a: Side, b: Side) -> dict:
    """Cards added, removed and changed (field by field when both sides are specs; by name otherwise), and decks."""
    ca, cb = dict(a.cards()), dict(b.cards())
    full = a.is_spec and b.is_spec
    out: dict = {"a_count": len(ca), "b_count": len(cb), "detail": "fields" if full else "names",
                 "added": [{"id": i, "name": n} for i, n in cb.items() if i not in ca],
                 "removed": [{"id": i, "name": n} for i, n in ca.items() if i not in cb], "changed": []}
    for cid in (i for i in ca if i in cb):
        if full:
            fields = changes(_card_dump(a.loaded.cards[cid]), _card_dump(b.loaded.cards[cid]))
        else:
            fields = changes({"name": ca[cid]}, {"name": cb[cid]})
        if fields:
            out["changed"].append({"id": cid, "name": cb[cid], "fields": fields})
    out["decks"] = _decks(a, b)
    return out


def _deck_dumps(side: Side) -> dict[str, dict]:
    if side.is_spec:
        return {d.name: d.model_dump(mode="json", exclude={"name"}) for d in side.loaded.spec.decks}
    decks = {d["name"]: {"energy": d.get("energy")} for d in side.manifest.get("decks") or []
             if isinstance(d, dict) and "name" in d}
    for d in side.manifest.get("dropped_decks") or []:
        if isinstance(d, dict) and "name" in d:
            decks[d["name"]] = {"left_out_for": d.get("refused_cards")}
    return decks


def _decks(a: Side, b: Side) -> dict:
    da, db = _deck_dumps(a), _deck_dumps(b)
    if a.is_spec != b.is_spec:  # a spec's deck lists against a build's Energy types: compare names only
        da, db = {k: None for k in da}, {k: None for k in db}
    return {"added": [n for n in db if n not in da], "removed": [n for n in da if n not in db],
            "changed": [{"name": n, "fields": f} for n in da if n in db for f in [changes(da[n], db[n])] if f]}


# --- 3. effects -----------------------------------------------------------------------------------------------------


def _status(node) -> str:
    """parsed | unresolved | error | none. ("filled", for an effect taken from fills.yaml, comes with fills.)"""
    if node is None:
        return "none"
    if isinstance(node, Exception):
        return "error"
    return "unresolved" if ir.has_unresolved(node) else "parsed"


def _text(node, kind: str, attack: ir.CardAttack | None = None) -> str | None:
    """Canonical English of one effect (an attack's line with its name and printed damage)."""
    from ..render import RenderError, render

    if node is None:
        return None
    if isinstance(node, Exception):
        return f"(the parser failed: {type(node).__name__})"
    try:
        if attack is not None:
            return render(ir.CardIR(card_id="-", attacks=(attack,)))
        return render(node, kind)
    except RenderError as e:
        return f"(no canonical wording: {e})"


def _effects_of(cir) -> dict[str, tuple[Any, str | None, Any]]:
    """Effect key -> (IR node or exception, canonical text, JSON dump) for every effect of a card."""
    if isinstance(cir, Exception):
        return {"card": (cir, _text(cir, ""), None)}
    out = {}
    for k, at in enumerate(cir.attacks):
        out[f"attack {k}"] = (at.effect, _text(at.effect, "attack", at), at.model_dump(mode="json"))
    if cir.ability is not None:
        out["ability"] = (cir.ability, _text(cir.ability, "ability"), cir.ability.model_dump(mode="json"))
    if cir.trainer is not None:
        out["trainer"] = (cir.trainer, _text(cir.trainer, "trainer"), cir.trainer.model_dump(mode="json"))
    return out


def _effect_name(key: str, cir) -> str:
    if key.startswith("attack ") and not isinstance(cir, Exception):
        k = int(key.split()[1])
        if k < len(cir.attacks):
            return f"attack {cir.attacks[k].name}"
    return key


def effects_section(a: Side, b: Side) -> dict:
    """For the cards on both sides: each effect whose IR changed (canonical English before and after, the IR paths
    that changed) and each effect whose status moved between parsed and unresolved. Build directories carry no
    effect texts: for them the section lists cards that moved between compiled and refused."""
    if not (a.is_spec and b.is_spec):
        return _refused_moves(a, b)
    ia, ib = a.card_irs(), b.card_irs()
    out: dict = {"available": True, "compared": "ir", "changed": [], "moved": []}
    for cid in (i for i in ia if i in ib):
        ea, eb = _effects_of(ia[cid]), _effects_of(ib[cid])
        name = b.loaded.cards[cid].name
        for key in list(ea) + [k for k in eb if k not in ea]:
            na, ta, da = ea.get(key, (None, None, None))
            nb, tb, db = eb.get(key, (None, None, None))
            what = _effect_name(key, ib[cid] if key in eb else ia[cid])
            if da != db or ta != tb:
                paths = changes(da, db) if da is not None and db is not None else []
                out["changed"].append({"card": cid, "name": name, "effect": what, "a": ta, "b": tb,
                                       "paths": paths, "a_status": _status(na), "b_status": _status(nb)})
            if _status(na) != _status(nb) and "none" not in (_status(na), _status(nb)):
                out["moved"].append({"card": cid, "name": name, "effect": what, "a": _status(na), "b": _status(nb)})
    return out


def _refused_moves(a: Side, b: Side) -> dict:
    note = "a build directory's MANIFEST.json holds no effect texts"
    if a.kind != b.kind:  # the reference engine and a build refuse for different reasons: not comparable
        return {"available": False, "compared": "none", "changed": [], "moved": [],
                "note": note + ": effects are not compared"}
    ra, rb = a.refused(), b.refused()
    ids = dict(b.cards())
    moved = [{"card": i, "name": ids[i], "effect": "card", "a": "refused" if i in ra else "compiled",
              "b": "refused" if i in rb else "compiled", "reason": rb.get(i) or ra.get(i)}
             for i, _ in a.cards() if i in ids and (i in ra) != (i in rb)]
    return {"available": False, "compared": "refused", "changed": [], "moved": moved,
            "note": note + ": only the cards that moved between compiled and refused are compared"}


# --- 4. engine interface --------------------------------------------------------------------------------------------


def _positions(names: list) -> dict:
    pos: dict = {}
    for i, n in enumerate(names):
        pos.setdefault(n if not isinstance(n, list) else tuple(n), i)
    return pos


def interface_section(a: Side, b: Side) -> dict:
    """Action layout, observation layout, state fields and card indices; any change of the first three (and a card
    whose index moved) is breaking for a trained policy. `mapping`: old action name -> new index, where it exists."""
    ia, ib = a.interface(), b.interface()
    pa, pb = _positions(ia.actions), _positions(ib.actions)
    actions = {"a_size": len(ia.actions), "b_size": len(ib.actions),
               "added": [{"name": n, "b": i} for n, i in pb.items() if n not in pa],
               "removed": [{"name": n, "a": i} for n, i in pa.items() if n not in pb],
               "moved": [{"name": n, "a": i, "b": pb[n]} for n, i in pa.items() if n in pb and pb[n] != i],
               "mapping": {n: pb[n] for n in pa if n in pb}}
    actions["changed"] = ia.actions != ib.actions

    obs: dict = {"a_size": ia.observation_size, "b_size": ib.observation_size}
    if ia.observation is not None and ib.observation is not None:
        oa, ob = dict(ia.observation), dict(ib.observation)
        obs.update(added=[{"field": k, "size": n} for k, n in ob.items() if k not in oa],
                   removed=[{"field": k, "size": n} for k, n in oa.items() if k not in ob],
                   resized=[{"field": k, "a": n, "b": ob[k]} for k, n in oa.items() if k in ob and ob[k] != n])
        obs["changed"] = ia.observation != ib.observation or ia.observation_size != ib.observation_size
        obs["reordered"] = [k for k in oa if k in ob] != [k for k in ob if k in oa]
    else:
        obs["changed"] = ia.observation_size != ib.observation_size

    state: dict = {"available": ia.state is not None and ib.state is not None}
    if state["available"]:
        sa, sb = ia.state, ib.state
        state.update(added=[{"field": k, "b": v} for k, v in sb.items() if k not in sa],
                     removed=[{"field": k, "a": v} for k, v in sa.items() if k not in sb],
                     changed=[{"field": k, "a": v, "b": sb[k]} for k, v in sa.items() if k in sb and sb[k] != v])
    state_changed = bool(state.get("added") or state.get("removed") or state.get("changed"))

    ca, cb = ia.card_index, ib.card_index
    names = dict(b.cards()) | {k: v for k, v in a.cards() if k not in cb}
    cards = {"moved": [{"id": k, "name": names[k], "a": i, "b": cb[k]} for k, i in ca.items() if k in cb and cb[k] != i],
             "removed": [{"id": k, "name": names[k], "a": i} for k, i in ca.items() if k not in cb],
             "added": sum(1 for k in cb if k not in ca)}
    cards_breaking = bool(cards["moved"] or cards["removed"])

    out = {"name": {"a": ia.name, "b": ib.name} if ia.name != ib.name else None,
           "actions": actions, "observation": obs, "state": state, "cards": cards}
    out["breaking"] = bool(actions["changed"] or obs["changed"] or state_changed or cards_breaking)
    out["reasons"] = [r for r, on in (("action layout", actions["changed"]), ("observation", obs["changed"]),
                                      ("state fields", state_changed), ("card indices", cards_breaking)) if on]
    return out


# --- which sections differ -----------------------------------------------------------------------------------------


def changed(name: str, section: dict | None) -> bool:
    """Whether a section of the report holds a difference."""
    if section is None:
        return False
    if name == "rules":
        return bool(section["changed"])
    if name == "cards":
        d = section["decks"]
        return bool(section["added"] or section["removed"] or section["changed"] or d["added"] or d["removed"]
                    or d["changed"])
    if name == "effects":
        return bool(section["changed"] or section["moved"])
    if name == "interface":
        return section["breaking"] or section["name"] is not None or bool(section["cards"]["added"])
    if name == "behaviour":
        return any(p["significant"] for p in section["pairings"]) or section["games_differ"] > 0
    raise KeyError(name)
