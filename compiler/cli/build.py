"""`tcgc build SPEC [-o DIR] [--allow-unresolved]`: lower a spec and generate its JAX engine package."""

from __future__ import annotations

import time
from pathlib import Path

import click

from ..diagnostics import Diagnostic, SpecError, plural
from ..spec import load_spec


def build(spec: str | Path, out: str | Path | None = None, allow_unresolved: bool = False, echo=None) -> dict:
    """Build the engine of a spec into `out` (default: generated/ beside the repo's examples, i.e. the current
    directory's generated/). Returns a summary; SpecError when a card can't be compiled and `allow_unresolved` is
    off."""
    from ..codegen import render, write
    from ..lower import lower

    say = echo or (lambda msg: None)
    t0 = time.perf_counter()
    say("loading the spec")
    loaded = load_spec(spec)
    say(f"lowering {plural(len(loaded.cards), 'card')}")
    low = lower(loaded)
    from ..fill.usage import usage

    texts = usage(loaded.cards.values(), loaded.fills)
    if low.refused and not allow_unresolved:
        diags = [Diagnostic(str(spec), f"{r.card_id} {r.name}: {why}") for r in low.refused for why in r.reasons]
        diags.append(Diagnostic(str(spec), f"{plural(len(low.refused), 'card')} can't be compiled; "
                                "--allow-unresolved builds the engine without them (they can be in no deck)"))
        raise SpecError(diags)
    say("generating code")
    files = render(low, loaded)
    dest = Path(out) if out is not None else Path("generated")
    pkg = dest / low.name
    written = write(files, pkg)
    n_programs = len(low.programs)
    return {"name": low.name, "cards": len(low.card_ids), "effects": n_programs, "refused": low.refused,
            "primitives": [o for o in low.consts["OPS"] if o != "nop"], "decks": [d["name"] for d in low.decks],
            "dropped_decks": low.dropped_decks, "files": written, "package": pkg, "texts": texts.as_json(),
            "seconds": time.perf_counter() - t0}


@click.command("build")
@click.argument("spec", type=click.Path(dir_okay=False))
@click.option("-o", "--out", type=click.Path(file_okay=False), default="generated", show_default=True,
              help="Folder that receives the package generated/<name>/.")
@click.option("--allow-unresolved", is_flag=True,
              help="Build without the cards whose effects can't be compiled (listed, and recorded in MANIFEST.json).")
def command(spec: str, out: str, allow_unresolved: bool) -> None:
    """Compile SPEC into a batched, jit-compiled JAX engine package (pgx-style Env) under OUT/<name>/."""
    s = build(spec, out, allow_unresolved, echo=lambda m: click.echo(f"... {m}", err=True))
    click.echo(f"built {s['name']} in {s['seconds']:.2f} s: {s['package']}")
    click.echo(f"  {plural(s['cards'], 'card')}, {plural(s['effects'], 'effect program')}, "
               f"{plural(len(s['primitives']), 'primitive')} ({', '.join(s['primitives'])})")
    t = s["texts"]
    click.echo(f"  {plural(t['texts'], 'distinct effect text')}: {t['parsed']} parsed, {t['filled']} filled "
               f"(fills.yaml), {t['unresolved']} unresolved")
    for st in t["stale_fills"]:
        click.echo(f"  warning: {st['where']}: stale fill of the {st['kind']} text {st['text']!r}: {st['why']}")
    click.echo(f"  decks: {', '.join(s['decks']) or '(none)'}")
    if s["refused"]:
        click.echo(f"  {plural(len(s['refused']), 'card')} left out (in no deck; listed in MANIFEST.json):")
        for r in s["refused"]:
            click.echo(f"    {r.card_id} {r.name}: {r.reasons[0]}")
    for d in s["dropped_decks"]:
        click.echo(f"  deck {d['name']} left out: it has {', '.join(d['refused_cards'])}")
    click.echo(f"  {plural(len(s['files']), 'file')} written")
