"""`tcgc coverage PATH...`: how much effect text the grammar parses, per set and kind; unresolved texts by reason."""

from __future__ import annotations

import json
from collections import defaultdict

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..coverage import collect, reason_group, report
from ..diagnostics import plural


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f}%" if b else "-"


@click.command("coverage")
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of tables.")
def command(paths: tuple[str, ...], as_json: bool) -> None:
    """Parse every distinct effect text of PATHS (spec.yaml, card-set YAML or corpus JSONL) and report coverage."""
    r = report(collect(list(paths)))
    if as_json:
        click.echo(json.dumps(r, ensure_ascii=False, indent=2))
        return
    out = Console(width=160)
    t = Table("set", "texts", "parsed", "filled", "unresolved", "attack", "ability", "trainer", "cards covered",
              title="Effect text coverage (distinct kind+text pairs)")
    for name, s in r["sets"].items():
        if "note" in s:
            t.add_row(name, "", "", "", "", "", "", "", s["note"])
            continue
        kinds = [f"{k['parsed']}/{k['total']}" for k in s["by_kind"].values()]
        t.add_row(name, str(s["total"]), str(s["parsed"]), str(s["filled"]), str(s["unresolved"]), *kinds,
                  f"{s['cards_covered']}/{s['cards']}")
    kinds = [f"{k['parsed']}/{k['total']} ({_pct(k['parsed'], k['total'])})" for k in r["by_kind"].values()]
    t.add_row("[bold]all (distinct)[/]", str(r["total"]), f"{r['parsed']} ({_pct(r['parsed'], r['total'])})",
              str(r["filled"]), str(r["unresolved"]), *kinds, f"{r['cards_covered']}/{r['cards']}")
    out.print(t)
    out.print(f"parsed {plural(r['total'], 'distinct text')} in {r['parse_seconds']:.2f} s "
              "(one core, grammar load included)")
    out.print(f"canonical English equals the printed text (after normalisation) for {r['renders_as_printed']} of "
              f"the {r['parsed']} parsed texts ({_pct(r['renders_as_printed'], r['parsed'])})")
    if r["filled_texts"]:
        out.print(f"{plural(len(r['filled_texts']), 'text')} filled by the spec's fills file (parsed / filled / "
                  "unresolved counted apart)")
    for st in r["stale_fills"]:
        out.print(f"[yellow]warning:[/] {escape(st['where'])}: stale fill of the {st['kind']} text "
                  f"{escape(repr(st['text']))}: {escape(st['why'])}", highlight=False)
    groups = defaultdict(list)
    for u in r["unresolved_texts"]:
        groups[reason_group(u["reason"])].append(u)
    for g in r["by_reason"]:
        out.print(f"\n[bold]{g['count']}[/] × {escape(g['reason'])}", highlight=False)
        for u in groups[g["reason"]]:
            extra = "" if u["reason"] == g["reason"] else f"  [dim]({escape(u['reason'])})[/]"
            out.print(f"  {escape('[' + u['kind'] + ']')} {escape(u['text'])}{extra}", highlight=False)
