"""`tcgc verify SPEC`: check that the generated JAX engine plays the reference engine's game (DESIGN.md,
Verification; docs/verify.md). Levels built so far: `property` (invariants on the generated engine's own random
rollouts), `interaction` (constructed states for each card effect, both engines compared) and `rollout` (both engines
in lockstep, every step compared). Exit 0: no violation, no divergence; 1: one
was found (the first divergence's replay file is written); 2: bad input."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..diagnostics import plural

LEVELS = ("property", "interaction", "rollout", "policy")
BUILT = ("property", "interaction", "rollout", "policy")
DEFAULT = ("property", "rollout")


@click.command("verify")
@click.argument("spec", type=click.Path(dir_okay=False))
@click.option("--level", "levels", type=click.Choice(LEVELS), multiple=True,
              help="Level to run, repeatable  [default: property rollout]; policy: bots (and --policy) on both "
                   "engines, win rates and game lengths compared (docs/train.md)")
@click.option("--cards", "cards", multiple=True, metavar="NAME",
              help="Only these cards (name or id, repeatable or comma-separated): interaction scenarios of their "
                   "effects; property and rollout decks that hold them.")
@click.option("--games", type=click.IntRange(1), default=100, show_default=True, help="Games per level.")
@click.option("--seed", type=int, default=0, show_default=True, help="Fixes decks, keys and actions.")
@click.option("--batch", type=click.IntRange(1), default=64, show_default=True, help="Games stepped together.")
@click.option("--package", type=click.Path(file_okay=False, exists=True),
              help="Verify this generated package (e.g. generated/pocket_a1) instead of building SPEC's engine.")
@click.option("--reproducer", type=click.Path(dir_okay=False), default="tcgc-divergence.json", show_default=True,
              help="Where the first divergence's replay file is written (tcgc play --replay FILE).")
@click.option("--policy", "policy_file", type=click.Path(dir_okay=False),
              help="Policy level: also play this trained policy (a tcgc train checkpoint).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--cache", type=click.Path(file_okay=False), default=".tcgc-cache/verify", show_default=True,
              help="Folder SPEC's engine is built into (CACHE/<spec folder>/).")
def command(spec: str, levels: tuple[str, ...], cards: tuple[str, ...], games: int, seed: int, batch: int,
            package: str | None, reproducer: str, as_json: bool, cache: str, policy_file: str | None = None) -> None:
    """Check SPEC's generated engine against the reference engine; report per level."""
    from ..spec import load_spec
    from ..verify.interaction import run_interactions
    from ..verify.properties import run_properties
    from ..verify.rollout import load_package, run_rollouts

    levels = tuple(dict.fromkeys(levels or DEFAULT))
    missing = [lv for lv in levels if lv not in BUILT]
    if missing:
        raise click.UsageError(f"level {', '.join(missing)} is not built yet (built: {', '.join(BUILT)}); "
                               "see docs/verify.md")
    if policy_file and "policy" not in levels:
        raise click.UsageError("--policy is for --level policy")
    if policy_file and not Path(policy_file).is_file():
        from ..diagnostics import Diagnostic, SpecError

        raise SpecError(Diagnostic(str(policy_file), "no such policy file"))
    loaded = load_spec(spec)
    names = tuple(n.strip() for c in cards for n in c.split(",") if n.strip())
    if names:
        known = {c.name.lower() for c in loaded.cards.values()} | {c.id.lower() for c in loaded.cards.values()}
        unknown = [n for n in names if n.lower() not in known]
        if unknown:
            raise click.BadParameter(f"no card named {', '.join(map(repr, unknown))} in {spec}", param_hint="--cards")
    report: dict = {"spec": str(spec), "games": games, "seed": seed, "levels": {}}
    failed = False
    results = {}
    with _progress() as prog:
        task = prog.add_task("building the JAX engine", total=None)
        if package:
            from .play_jax import find_package

            pkg = load_package(find_package(loaded, package))  # SpecError (exit 2): no engine, or another spec's
        else:
            from ..bench import build_engine

            dest = Path(cache) / (Path(spec).resolve().parent.name or "spec")
            loaded, _, pkg = build_engine(spec, dest, echo=lambda m: prog.update(task, description=m))
        manifest = json.loads((Path(pkg.__file__).parent / "MANIFEST.json").read_text(encoding="utf-8"))
        refused = {r["id"] for r in manifest["refused"]}  # the cards this engine leaves out
        deck_fn = None
        if names:
            from ..verify.interaction import deck_with

            deck_fn = deck_with(names)
        for lv in levels:
            prog.update(task, description=f"{lv}: compiling and playing", total=games, completed=0)
            def advance(n):
                prog.advance(task, n)
            if lv == "policy":
                from ..verify.policy import run_policy_level

                n_match = 3 + (2 if policy_file else 0)
                prog.update(task, total=2 * games * n_match)
                res = run_policy_level(loaded, pkg, refused, games, seed, policy_file=policy_file,
                                       progress=advance)
                report["levels"][lv] = {"games": games, "decks": res.decks, "matchups": res.matchups,
                                        "steps": 0, "finished": 2 * games * len(res.matchups)}
                failed |= bool(res.failed)
                results[lv] = res.failed
            elif lv == "property":
                res = run_properties(loaded, pkg, games, seed, batch, refused_ids=refused, progress=advance,
                                     deck_fn=deck_fn)
                report["levels"][lv] = {
                    "games": res.games, "steps": res.steps, "finished": res.finished,
                    "states_checked": res.checks["states"], "violations": [v.__dict__ for v in res.violations]}
                failed |= bool(res.violations)
                results[lv] = res.violations
            elif lv == "interaction":
                prog.update(task, description="interaction: scenarios", total=None, completed=0)

                def step(n, total):
                    prog.update(task, description="interaction: comparing paths", total=total)
                    prog.advance(task, n)
                res = run_interactions(loaded, pkg, seed, batch, refused_ids=refused, names=names, progress=step)
                entry = {"paths": res.paths, "steps": res.steps, "coverage": res.coverage(),
                         "divergences": [{"effect": d.effect, "card": d.card, "board": d.variant, "step": d.step,
                                          "actions": d.action_names[:d.step], "fields": d.fields}
                                         for d in res.divergences]}
                failed |= _record(report, results, lv, entry, res.divergences, spec, reproducer)
            else:
                res = run_rollouts(loaded, pkg, games, seed, batch, refused_ids=refused, progress=advance,
                                   deck_fn=deck_fn)
                entry = {"games": res.games, "steps": res.steps, "finished": res.finished,
                         "divergences": [{"game": d.game, "seed": d.seed, "step": d.step, "last_action": d.last_action,
                                          "fields": d.fields} for d in res.divergences]}
                failed |= _record(report, results, lv, entry, res.divergences, spec, reproducer)
    _print(report, results, as_json)
    raise SystemExit(1 if failed else 0)


def _record(report: dict, results: dict, lv: str, entry: dict, divergences: list, spec, reproducer) -> bool:
    """A level's report entry; the first divergence, if any, written as a replay file. Whether the level failed."""
    if divergences:
        Path(reproducer).write_text(json.dumps(divergences[0].replay_record(spec), indent=1) + "\n", encoding="utf-8")
        entry["reproducer"] = str(reproducer)
    report["levels"][lv] = entry
    results[lv] = divergences
    return bool(divergences)


def _progress():
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=Console(stderr=True), transient=True)


def _print(report: dict, results: dict, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(report, indent=1, default=str))
        return
    for lv, e in report["levels"].items():
        if lv == "policy":
            click.echo(f"policy: {plural(e['games'], 'game')} per engine per matchup, decks {e['decks']}")
            for m in e["matchups"]:
                j, r, c = m["jax"], m["reference"], m["comparison"]
                click.echo(f"  {m['player']:>13} vs {m['opponent']:<6} win rate jax {j['win_rate']:.1%} reference "
                           f"{r['win_rate']:.1%} (z {c['win_rate_z']:+.2f}), mean length jax {j['mean_length']:.1f} "
                           f"reference {r['mean_length']:.1f} (z {c['length_z']:+.2f}): "
                           + ("same at 99%" if c["same"] else "DIFFERENT at 99%"))
            continue
        bad = e.get("violations", e.get("divergences", []))
        what = "violation" if lv == "property" else "divergence"
        if lv == "interaction":
            cov = e["coverage"]
            click.echo(f"interaction: {cov['covered']}/{cov['effects']} effects covered, {plural(e['paths'], 'path')}, "
                       f"{e['steps']:,} steps, coins both ways on {cov['coins_both_ways']}/{cov['with_coins']}, "
                       f"{plural(len(bad), what)}")
            for line in cov["not_covered"][:10]:
                click.echo(f"  not covered: {line}")
            for line in cov["reference_errors"][:5]:
                click.echo(f"  the reference engine failed: {line}")
        else:
            click.echo(f"{lv}: {plural(e['games'], 'game')}, {e['steps']:,} steps, {e['finished']} finished, "
                       f"{plural(len(bad), what)}")
        for item in results[lv][:3]:
            click.echo("  " + item.report().replace("\n", "\n  "))
        if e.get("reproducer"):
            click.echo(f"  replay: tcgc play --replay {e['reproducer']} --engine jax|reference")
