"""The report as readable lines: `full(report)` and `stat(report)` give (text, style) pairs; the CLI colours them
(styles are rich style names) on a terminal and prints plain text otherwise."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from ..diagnostics import plural

LIMIT = 12
"""Items of a long list shown in text (--json has them all)."""
CARD_LIMIT = 60
TITLES = {"rules": "Rules", "cards": "Cards", "effects": "Effects", "interface": "Engine interface",
          "behaviour": "Behaviour"}

Line = tuple[str, str]


def value(v: Any, width: int = 70) -> str:
    """A value as compact JSON, shortened to `width` characters."""
    s = "(none)" if v is None else json.dumps(v, ensure_ascii=False)
    return s if len(s) <= width else s[: width - 1] + "…"


def counts(*pairs: tuple[int, str]) -> str:
    """'2 added, 1 changed' (zeros left out), or 'same'."""
    return ", ".join(f"{n} {w}" for n, w in pairs if n) or "same"


def summary(name: str, s: dict | None) -> str:
    """One line for a section (--stat, and the heading of each section)."""
    if name == "rules":
        return f"{len(s['changed'])} changed" if s["changed"] else "same"
    if name == "cards":
        d = s["decks"]
        text = counts((len(s["added"]), "added"), (len(s["removed"]), "removed"), (len(s["changed"]), "changed"))
        text += f" ({s['a_count']} -> {s['b_count']} cards)" if s["a_count"] != s["b_count"] else ""
        dk = counts((len(d["added"]), "added"), (len(d["removed"]), "removed"), (len(d["changed"]), "changed"))
        return text + (f"; decks: {dk}" if dk != "same" else "")
    if name == "effects":
        if s["compared"] == "none":
            return "not compared (a build directory holds no effect texts)"
        if s["compared"] == "refused":
            return f"{len(s['moved'])} moved between compiled and refused" if s["moved"] else \
                "same (builds: compiled and refused cards compared)"
        return counts((len(s["changed"]), "changed"), (len(s["moved"]), "moved between parsed and unresolved"))
    if name == "interface":
        a, o = s["actions"], s["observation"]
        parts = []
        if a["changed"]:
            parts.append(f"actions {a['a_size']} -> {a['b_size']} ({len(a['added'])} added, {len(a['removed'])} "
                         f"removed, {len(a['moved'])} moved)")
        if o["changed"]:
            parts.append(f"observation {o['a_size']} -> {o['b_size']}")
        st = s["state"]
        n_state = len(st.get("added", [])) + len(st.get("removed", [])) + len(st.get("changed", []))
        if n_state:
            parts.append(f"{plural(n_state, 'state field')} changed")
        c = s["cards"]
        if c["moved"] or c["removed"]:
            parts.append(f"{plural(len(c['moved']) + len(c['removed']), 'card index', 'card indices')} moved or gone")
        if c["added"]:
            parts.append(plural(c["added"], "new card index", "new card indices"))
        if s["name"]:
            parts.append(f"name {s['name']['a']} -> {s['name']['b']}")
        text = "; ".join(parts) or "same"
        return ("BREAKING for trained policies: " if s["breaking"] else "") + text
    if name == "behaviour":
        if s is None:
            return "not played (--games N)"
        sig = sum(p["significant"] for p in s["pairings"])
        n = s["games"] * len(s["pairings"])
        return (f"{plural(len(s['pairings']), 'pairing')}, {plural(sig, 'significant difference')}, "
                f"{s['games_differ']} of {n} games differ")
    raise KeyError(name)


def stat(report: dict) -> list[Line]:
    """One line per section."""
    out = []
    for name in TITLES:
        if name == "behaviour" and report["behaviour"] is None:
            continue
        style = "bold red" if name == "interface" and report[name]["breaking"] else \
            "" if name in report["differs"] else "dim"
        out.append((f"{name}: {summary(name, report[name])}", style))
    return out


class _more:
    """`for x in _more(items, limit, out, indent)`: the first `limit` items; then a line saying how many were left
    out is added to `out`."""

    def __init__(self, items: list, limit: int, lines: list[Line], indent: str):
        self.items, self.limit, self.lines, self.indent = items, limit, lines, indent

    def __iter__(self):
        yield from self.items[: self.limit]
        if len(self.items) > self.limit:
            self.lines.append((f"{self.indent}… {len(self.items) - self.limit} more (--json lists all)", "dim"))


def _field_change(c: dict, indent: str) -> list[Line]:
    a, b = c["a"], c["b"]
    if isinstance(a, str) and isinstance(b, str) and max(len(a), len(b)) > 40:
        return [(f"{indent}{c['path']}:", ""), (f"{indent}  - {a}", "red"), (f"{indent}  + {b}", "green")]
    return [(f"{indent}{c['path']}: {value(a)} -> {value(b)}", "")]


def full(report: dict) -> list[Line]:
    """The whole report, section by section."""
    out: list[Line] = [(f"--- a: {report['a']['path']} ({report['a']['kind']})", "bold red"),
                       (f"+++ b: {report['b']['path']} ({report['b']['kind']})", "bold green")]
    if report["same"]:
        played = report["behaviour"]
        out.append(("no differences" + (f" (and the same {plural(played['games'] * len(played['pairings']), 'game')})"
                                         if played else ""), "bold"))
        if "build" in (report["a"]["kind"], report["b"]["kind"]):
            out.append((f"({report['effects'].get('note', '')}; cards compared by id and name)", "dim"))
        return out
    for name in TITLES:
        s = report[name]
        if name == "behaviour" and s is None:
            continue
        style = "bold red" if name == "interface" and s["breaking"] else "bold" if name in report["differs"] else "dim"
        out.append(("", ""))
        out.append((f"{TITLES[name]}: {summary(name, s)}", style))
        out += globals()[f"_{name}"](s)
    return out


def _rules(s: dict) -> list[Line]:
    return [(f"  {c['field']}: {value(c['a'])} -> {value(c['b'])}", "yellow") for c in s["changed"]]


def _cards(s: dict) -> list[Line]:
    out: list[Line] = []
    for c in _more(s["added"], CARD_LIMIT, out, "  "):
        out.append((f"  + {c['id']} {c['name']}", "green"))
    for c in _more(s["removed"], CARD_LIMIT, out, "  "):
        out.append((f"  - {c['id']} {c['name']}", "red"))
    for c in _more(s["changed"], CARD_LIMIT, out, "  "):
        out.append((f"  ~ {c['id']} {c['name']}", "yellow"))
        for f in c["fields"]:
            out += _field_change(f, "      ")
    d = s["decks"]
    out += [(f"  + deck {n}", "green") for n in d["added"]] + [(f"  - deck {n}", "red") for n in d["removed"]]
    for c in d["changed"]:
        out.append((f"  ~ deck {c['name']}", "yellow"))
        out += [(f"      {f['path']}: {value(f['a'])} -> {value(f['b'])}", "") for f in c["fields"]]
    if s["detail"] == "names":
        out.append(("  (a build directory lists card ids and names only: fields are compared between specs)", "dim"))
    return out


def _effects(s: dict) -> list[Line]:
    out: list[Line] = []
    for e in _more(s["changed"], CARD_LIMIT, out, "  "):
        status = e["b_status"] if e["a_status"] == e["b_status"] else f"{e['a_status']} -> {e['b_status']}"
        out.append((f"  ~ {e['card']} {e['name']}, {e['effect']} [{status}]", "yellow"))
        for tag, text, style in (("-", e["a"], "red"), ("+", e["b"], "green")):
            for k, line in enumerate((text or "(none)").splitlines()):
                out.append((f"      {tag if k == 0 else ' '} {line}", style))
        paths = e["paths"]
        if paths:
            out.append(("      IR:", "dim"))
            for p in _more(paths, LIMIT, out, "        "):
                out.append((f"        {p['path'] or '(whole effect)'}: {value(p['a'], 50)} -> {value(p['b'], 50)}",
                            "dim"))
    for m in _more(s["moved"], CARD_LIMIT, out, "  "):
        why = f" ({m['reason']})" if m.get("reason") else ""
        out.append((f"  > {m['card']} {m['name']}, {m['effect']}: {m['a']} -> {m['b']}{why}", "magenta"))
    if s.get("note"):
        out.append((f"  ({s['note']})", "dim"))
    return out


def _interface(s: dict) -> list[Line]:
    out: list[Line] = []
    if s["name"]:
        out.append((f"  package name: {s['name']['a']} -> {s['name']['b']}", ""))
    a = s["actions"]
    if a["changed"]:
        out.append((f"  actions: {a['a_size']} -> {a['b_size']}", "bold"))
        for x in _more(a["added"], LIMIT, out, "    "):
            out.append((f"    + {x['name']} ({x['b']})", "green"))
        for x in _more(a["removed"], LIMIT, out, "    "):
            out.append((f"    - {x['name']} ({x['a']})", "red"))
        if a["moved"]:
            out.append(("    old index -> new index:", ""))
            for x in _more(a["moved"], LIMIT, out, "      "):
                out.append((f"      {x['name']}: {x['a']} -> {x['b']}", "yellow"))
    o = s["observation"]
    if o["changed"]:
        out.append((f"  observation: {o['a_size']} -> {o['b_size']}", "bold"))
        for x in o.get("added", []):
            out.append((f"    + {x['field']} ({x['size']})", "green"))
        for x in o.get("removed", []):
            out.append((f"    - {x['field']} ({x['size']})", "red"))
        for x in _more(o.get("resized", []), LIMIT, out, "    "):
            out.append((f"    ~ {x['field']}: {x['a']} -> {x['b']}", "yellow"))
        if o.get("reordered"):
            out.append(("    fields reordered", "yellow"))
    st = s["state"]
    if st.get("added") or st.get("removed") or st.get("changed"):
        out.append(("  state fields:", "bold"))
        for x in st["added"]:
            out.append((f"    + {x['field']} {_shape(x['b'])}", "green"))
        for x in st["removed"]:
            out.append((f"    - {x['field']} {_shape(x['a'])}", "red"))
        for x in _more(st["changed"], LIMIT, out, "    "):
            out.append((f"    ~ {x['field']}: {_shape(x['a'])} -> {_shape(x['b'])}", "yellow"))
    elif not st["available"]:
        out.append(("  state fields: not compared (unknown for one side)", "dim"))
    c = s["cards"]
    if c["moved"] or c["removed"]:
        out.append(("  card indices (observations name cards by index):", "bold"))
        for x in _more(c["moved"], LIMIT, out, "    "):
            out.append((f"    ~ {x['id']} {x['name']}: {x['a']} -> {x['b']}", "yellow"))
        for x in _more(c["removed"], LIMIT, out, "    "):
            out.append((f"    - {x['id']} {x['name']} ({x['a']})", "red"))
    return out


def _shape(v) -> str:
    """A state field's [shape, dtype] as '(2, 4) int16'."""
    if isinstance(v, list) and len(v) == 2 and isinstance(v[0], list):
        return f"({', '.join(map(str, v[0]))}{',' if len(v[0]) == 1 else ''}) {v[1]}"
    return value(v)


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def _pts(x: float | None) -> str:
    """A difference of rates in percentage points."""
    return "?" if x is None else f"{100 * x:+.1f}"


def _num(x: float | None, fmt: str) -> str:
    """A bound of an interval ('?' where one game gives none)."""
    return "?" if x is None else format(x, fmt)


def _behaviour(s: dict) -> list[Line]:
    g = s["games"]
    seeds = f"seeds {s['seed']}..{s['seed'] + g - 1}" + (f" (B: {s['seed_b']}..{s['seed_b'] + g - 1})"
                                                         if s["seed_b"] != s["seed"] else "")
    out: list[Line] = [(f"  {plural(g, 'game')} per pairing on the reference engines, {s['bots'][0]} (player 0) vs "
                        f"{s['bots'][1]} (player 1), {seeds}, {round(100 * s['confidence'])}% intervals, A -> B", "")]
    for name, ids in (s.get("decks") or {}).items():
        cards = Counter(ids)
        out.append((f"  {name}: " + ", ".join(f"{c} x{n}" if n > 1 else c for c, n in cards.items()), "dim"))
    for p in s["pairings"]:
        a, b, w, t = p["a"], p["b"], p["win_rate"], p["turns"]
        out.append((f"  {p['deck0']} vs {p['deck1']}: {p['games_differ']} of {g} games differ",
                    "bold" if p["significant"] else ""))
        lo, hi = a["win_rate_ci"], b["win_rate_ci"]
        out.append((f"    win rate of {p['deck0']}: {_pct(a['win_rate'])} [{_pct(lo[0])}, {_pct(lo[1])}] -> "
                    f"{_pct(b['win_rate'])} [{_pct(hi[0])}, {_pct(hi[1])}]; B - A {100 * w['delta']:+.1f} points "
                    f"[{_pts(w['ci'][0])}, {_pts(w['ci'][1])}]"
                    + (" significant" if w["significant"] else ""), "bold red" if w["significant"] else ""))
        ta, tb = a["turns_ci"], b["turns_ci"]
        out.append((f"    game length: {a['turns']:.1f} turns [{_num(ta[0], '.1f')}, {_num(ta[1], '.1f')}] -> "
                    f"{b['turns']:.1f} [{_num(tb[0], '.1f')}, {_num(tb[1], '.1f')}]; B - A {t['delta']:+.2f} "
                    f"[{_num(t['ci'][0], '+.2f')}, {_num(t['ci'][1], '+.2f')}]"
                    + (" significant" if t["significant"] else ""),
                    "bold red" if t["significant"] else ""))
    for k in s["skipped"]:
        out.append((f"  skipped deck {k['deck']} ({k['side'].upper()} can't play it: {k['reason']})", "dim"))
    d = s["first_divergence"]
    if d:
        out.append((f"  first diverging game: {d['deck0']} vs {d['deck1']}, seed {d['seed']}, "
                    + ("at the set-up" if d["step"] == 0 else f"step {d['step']}"), "bold"))
        ea, eb = d["a"]["events"], d["b"]["events"]
        k = next((i for i, (x, y) in enumerate(zip(ea, eb)) if x != y), min(len(ea), len(eb)))
        for tag in ("a", "b"):
            x = d[tag]
            shown = x["events"][k:k + 2]  # from the first event that differs
            ev = ("… " if k else "") + "; ".join(shown) + (" …" if len(x["events"]) > k + 2 else "")
            out.append((f"    {tag.upper()}: {x['action'] or x.get('note', '')}" + (f": {ev}" if shown else ""),
                        "red" if tag == "a" else "green"))
        if d["files"]:
            out.append((f"    replay: tcgc play --replay {d['files'][0]}  (and {d['files'][1]})", ""))
    return out
