"""`tcgc eval POLICY SPEC`: play a trained policy (a `tcgc train` checkpoint) against a bot on the generated JAX
engine, the reference engine, or both, and report the win rate (with its 99% interval) and the mean game length;
with both engines, whether they agree within the 99% level (docs/train.md)."""

from __future__ import annotations

import json

import click

from ..diagnostics import Diagnostic, SpecError


@click.command("eval")
@click.argument("policy", type=click.Path(dir_okay=False))
@click.argument("spec", type=click.Path(dir_okay=False))
@click.option("--engine", "engines", type=click.Choice(["jax", "reference", "both"]), default="both",
              show_default=True)
@click.option("--opponent", type=click.Choice(["random", "greedy"]), default="greedy", show_default=True)
@click.option("--games", type=click.IntRange(1), default=1000, show_default=True, help="Games per engine.")
@click.option("--mode", type=click.Choice(["sample", "argmax"]), default="sample", show_default=True,
              help="Sample the policy's action, or take its most likely legal action.")
@click.option("--decks", default="fixed", show_default=True, help="As tcgc train --decks.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--batch", type=click.IntRange(1), default=500, show_default=True,
              help="Games played together (JAX batch; reference games in flight).")
@click.option("--package", type=click.Path(file_okay=False),
              help="Use this generated package instead of building SPEC's engine.")
@click.option("--cache", type=click.Path(file_okay=False), default=".tcgc-cache/train", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
def command(policy, spec, engines, opponent, games, mode, decks, seed, batch, package, cache, as_json) -> None:
    """Play POLICY against a bot on SPEC's engines; exit 1 if the two engines' results differ at the 99% level."""
    from pathlib import Path

    if not Path(policy).is_file():
        raise SpecError(Diagnostic(str(policy), "no such policy file"))
    from ..train.engine import deck_pairs, engine_name, load_engine
    from ..train.evaluate import JaxGames, Policy, compare, reference_games
    from ..train.features import ObsLayout

    loaded, pkg, refused = load_engine(spec, package, cache)
    layout = ObsLayout.from_tables(pkg.tables)
    pol = Policy.from_checkpoint(policy, layout, engine_name(pkg))
    pairs = deck_pairs(loaded, pkg, refused, decks, seed)
    player = "policy" if mode == "sample" else "policy-argmax"
    results = []
    with _progress() as prog:
        if engines in ("jax", "both"):
            task = prog.add_task("jax: compiling and playing", total=games)
            jg = JaxGames(pkg, pairs, pol, batch=min(batch, games))
            results.append(jg.run(player, opponent, games, seed, progress=lambda n: prog.advance(task, n)))
        if engines in ("reference", "both"):
            task = prog.add_task("reference: playing", total=games)
            results.append(reference_games(loaded, refused, pkg, pairs, pol, player, opponent, games, seed,
                                           batch=batch, progress=lambda n: prog.advance(task, n)))
    cmp = compare(*results) if len(results) == 2 else None
    if as_json:
        click.echo(json.dumps({"policy": str(policy), "decks": pairs.label(), "mode": mode,
                               "results": [r.as_json() for r in results], "comparison": cmp}, indent=1))
    else:
        click.echo(f"policy {policy} ({mode}) vs {opponent}, decks {pairs.label()}")
        for r in results:
            j = r.as_json()
            click.echo(f"{r.engine:<10} {r.games:>6} games: win rate {r.win_rate:.1%} (99% CI "
                       f"{j['win_rate_ci99'][0]:.1%}-{j['win_rate_ci99'][1]:.1%}), {j['losses']} losses, "
                       f"{j['ties']} ties/turn limits, mean length {r.mean_length:.1f} steps")
        if cmp:
            click.echo(f"engines agree at the 99% level: win rate {'yes' if cmp['win_rate_same'] else 'NO'} "
                       f"(z {cmp['win_rate_z']}), game length {'yes' if cmp['length_same'] else 'NO'} "
                       f"(z {cmp['length_z']})")
    if cmp and not cmp["same"]:
        raise SystemExit(1)


def _progress():
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=Console(stderr=True), transient=True)
