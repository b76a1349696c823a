"""`tcgc diff A B`: what changed between two specs or build directories, section by section (docs/diff.md).
Exit 0: the same; 1: different; 2: bad input."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import click

from ..diagnostics import Diagnostic, SpecError


@click.command("diff")
@click.argument("paths", nargs=-1, type=click.Path(), metavar="A B | SPEC")
@click.option("--git", "rev", metavar="REV", help="Compare SPEC as it was at git revision REV (A) with the work tree (B).")
@click.option("--games", type=click.IntRange(0), default=0, show_default=True,
              help="Games per deck pairing for the behaviour section (reference engines; needs specs).")
@click.option("--seed", type=int, default=0, show_default=True, help="First seed of the games.")
@click.option("--bot", "bots", type=click.Choice(["greedy", "random"]), multiple=True,
              help="Policy of player 0, then of player 1 (give one or two)  [default: greedy greedy]")
@click.option("--deck", "decks", multiple=True, help="Play only these decks (repeatable; default: every deck in both).")
@click.option("--random-decks", type=click.IntRange(0), default=0, show_default=True, metavar="K",
              help="Play K random legal decks drawn from A's pool (the same cards on B) instead of the specs' decks.")
@click.option("--confidence", type=click.FloatRange(0.5, 0.999), default=0.95, show_default=True,
              help="Level of the intervals in the behaviour section.")
@click.option("--replay", "replay", default="tcgc-diff-game", show_default=True, metavar="PREFIX",
              help="The first diverging game is written to PREFIX.a.json and PREFIX.b.json (tcgc play --replay).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--stat", is_flag=True, help="One line per section.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing; only the exit code tells (0 same, 1 different).")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Colour the text report (auto: on a terminal).")
def command(paths: tuple[str, ...], rev: str | None, games: int, seed: int, bots: tuple[str, ...],
            decks: tuple[str, ...], random_decks: int, confidence: float, replay: str, as_json: bool, stat: bool, quiet: bool,
            color: str) -> None:
    """Compare A and B (specs or build directories; with --git REV, one SPEC at REV and now): rules, cards, effects,
    engine interface and, with --games N, behaviour. Exit 0 when they are the same, 1 when they differ."""
    from ..diff import diff, load_revision, load_side

    _check(paths, rev, bots, as_json, stat)
    if rev:
        into = Path(".tcgc-cache") / "diff" / "".join(c if c.isalnum() or c in "-_." else "_" for c in rev)
        shutil.rmtree(into, ignore_errors=True)  # our own copy of the last run: nothing stale may be read
        a, b = load_revision(paths[0], rev, into), load_side(paths[0])
    else:
        a, b = load_side(paths[0]), load_side(paths[1])
    two = (tuple(bots) * 2)[:2] if bots else ("greedy", "greedy")
    if games and not quiet and sys.stderr.isatty():  # a progress bar on a terminal only
        with _progress() as prog:
            task = prog.add_task("playing games", total=None)
            report = diff(a, b, games, seed=seed, bots=two, decks=decks, random_decks=random_decks,
                          confidence=confidence, replay=replay,
                          progress=lambda n: prog.advance(task, n))
    else:
        report = diff(a, b, games, seed=seed, bots=two, decks=decks, random_decks=random_decks,
                          confidence=confidence, replay=replay)
    if not quiet:
        _print(report, as_json, stat, color)
    sys.exit(0 if report["same"] else 1)


def _check(paths, rev, bots, as_json, stat) -> None:
    def bad(msg: str, field: str) -> SpecError:
        return SpecError(Diagnostic("tcgc diff", msg, field=field))
    if rev and len(paths) != 1:
        raise bad(f"--git REV compares one SPEC with itself at REV: give one path (got {len(paths)})", "--git")
    if not rev and len(paths) != 2:
        raise bad(f"give two paths, A and B (specs or build directories; got {len(paths)})", "A B")
    if len(bots) > 2:
        raise bad(f"give at most two --bot options, one per player (got {len(bots)})", "--bot")
    if as_json and stat:
        raise bad("--json and --stat are two formats: choose one", "--stat")


def _progress():
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=Console(stderr=True), transient=True)


def _print(report: dict, as_json: bool, stat: bool, color: str) -> None:
    if as_json:
        click.echo(json.dumps(report, indent=1, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.text import Text

    from ..diff.text import full, stat as stat_lines

    console = Console(highlight=False, soft_wrap=True, markup=False, emoji=False,
                      force_terminal=True if color == "always" else None,
                      color_system=None if color == "never" else "auto")
    for text, style in (stat_lines(report) if stat else full(report)):
        console.print(Text(text, style=style))
