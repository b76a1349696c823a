"""`tcgc bench SPEC [--engine jax|reference|both]`: random legal-action games on the generated JAX engine (batched,
jit-compiled, one loop of steps per call) and on the reference engine, over the same decks; steps/s and games/s.
The measurement itself lives in compiler/bench.py; docs/bench.md explains the figures."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..diagnostics import plural
from ..spec import load_spec

EXPLANATION = """\
What the figures mean: steps/s counts every engine step (one action of one game, a choice inside an effect included)
of every game in the batch, per second of wall time, compile time excluded; games/s counts the steps that ended a game
(terminated or truncated) per second. Both players pick uniformly among the legal actions and a finished game is
replaced by a new one at once. A short run at a large batch undercounts games/s: every game starts at the same time,
so none ends during the first game length. "turn limit" games were stopped by the turn limit (truncated; rewards 0
when the spec's at_turn_limit is a tie): that is not a draw by rule, which is "tie by rule" (both players lose at
once). x reference is JAX steps/s over the reference engine's steps/s (one game at a time in Python) on the same
decks. Compile time is paid once per batch size; peak memory is this process's maxrss so far (it only grows)."""


@click.command("bench")
@click.argument("spec", type=click.Path(dir_okay=False))
@click.option("--engine", "engine_name", type=click.Choice(["jax", "reference", "both"]), default=None,
              help="Which engine to time  [default: both; reference when --games or --bot greedy is given]")
@click.option("--batch", "batches", type=click.IntRange(1), multiple=True,
              help="JAX batch size, repeatable  [default: 1 64 1024 4096]")
@click.option("--seconds", type=click.FloatRange(0, min_open=True), default=5.0, show_default=True,
              help="Time of each measurement (whole JAX calls, at least one step; whole reference games).")
@click.option("--devices", type=click.IntRange(1), default=1, show_default=True,
              help="Shard the JAX batch over this many local devices (on CPU: "
                   "XLA_FLAGS=--xla_force_host_platform_device_count=N).")
@click.option("--games", type=click.IntRange(1), default=None,
              help="Reference engine: play exactly this many games instead of --seconds.")
@click.option("--random-decks", is_flag=True,
              help="Both engines draw each game's two decks from one list of random legal decks (instead of the "
                   "spec's decks).")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--bot", type=click.Choice(["random", "greedy"]), default="random", show_default=True,
              help="Policy of both players on the reference engine (the JAX benchmark plays random actions).")
@click.option("--auto-reset", "reset", type=click.Choice(["bench", "pgx"]), default="bench", show_default=True,
              help="How the JAX engine starts a new game when one ends: the benchmark's own (one hash gives the "
                   "action and the keys), or pgx.experimental.auto_reset with act_randomly (needs pgx).")
@click.option("--compile-cache", type=click.Path(file_okay=False), default=None,
              help="JAX persistent compilation cache folder: a rerun on an unchanged engine skips most of the "
                   "XLA compile (the compile time then measures the cache).")
@click.option("--json", "as_json", is_flag=True, help="Print the measurements as a JSON list.")
@click.option("--cache", type=click.Path(file_okay=False), default=".tcgc-cache/bench", show_default=True,
              help="Folder the JAX engine is built into (CACHE/<spec folder>/, rebuilt each run).")
def command(spec: str, engine_name: str | None, batches: tuple[int, ...], seconds: float, devices: int,
            games: int | None, random_decks: bool, seed: int, bot: str, reset: str, compile_cache: str | None,
            as_json: bool, cache: str) -> None:
    """Time random legal-action games on SPEC's engines; print steps/s and games/s (exit 1 if a reference game
    raised)."""
    from .. import bench

    if engine_name is None:
        engine_name = "reference" if games is not None or bot != "random" else "both"
    use_jax = engine_name in ("jax", "both")
    use_ref = engine_name in ("reference", "both")
    if use_jax and bot != "random":
        raise click.UsageError("the JAX engine benchmark plays random actions only: pass --engine reference "
                               "with --bot greedy")
    batches = batches or bench.DEFAULT_BATCHES
    if use_jax and reset == "pgx":
        try:
            import pgx.experimental  # noqa: F401
        except ImportError:
            raise click.UsageError("--auto-reset pgx needs pgx (pip install pgx)") from None
    if use_jax and compile_cache:
        import jax

        jax.config.update("jax_compilation_cache_dir", str(compile_cache))
    loaded = load_spec(spec)
    with _Progress() as prog:
        pkg = env = summary = None
        if use_jax:
            prog.phase("building the JAX engine")
            dest = Path(cache) / (Path(spec).resolve().parent.name or "spec")
            loaded, summary, pkg = bench.build_engine(spec, dest, echo=prog.phase)
            refused = {r.card_id for r in summary["refused"]}
        else:
            refused = set()
        pool, ref_engine = bench.deck_pool(loaded, pkg, refused, random_decks, seed, source=spec)
        measures = []
        skipped = []
        if use_jax:
            env = pkg.Env(decks=pool.env_decks())
            sbytes = bench.state_bytes(env)
            for b in batches:
                if b % devices:
                    skipped.append(b)
                    continue
                prog.start(f"jax batch {b}", seconds)
                try:
                    m = bench.measure_jax(pkg, env, b, seconds, seed, devices, progress=prog.update, reset=reset)
                except ValueError as e:
                    raise click.UsageError(str(e)) from None
                m.state_bytes = sbytes
                measures.append(m)
        if use_ref:
            prog.start("reference", games if games is not None else seconds)
            measures.append(bench.measure_reference(ref_engine, pool, None if games else seconds, games, seed, bot,
                                                    progress=prog.update))
    ref = next((m for m in measures if m.engine == "reference"), None)
    if as_json:
        out = []
        for m in measures:
            d = m.as_json()
            if m.engine == "jax":
                d["state_bytes"] = m.state_bytes
            if ref is not None and ref.steps_per_s > 0:
                d["vs_reference"] = float(f"{m.steps_per_s / ref.steps_per_s:.4g}")
            out.append(d)
        click.echo(json.dumps(out, indent=1))
    else:
        _report(spec, pool, summary, env, measures, ref, skipped, devices)
    errors = ref.errors if ref is not None else []
    for e in errors[:5]:
        click.echo(e, err=True)
    if errors:
        sys.exit(1)


def _report(spec, pool, summary, env, measures, ref, skipped, devices) -> None:
    click.echo(f"spec {spec} · decks: {pool.label}")
    if summary is not None:
        m0 = next(m for m in measures if m.engine == "jax") if any(m.engine == "jax" for m in measures) else None
        click.echo(f"jax engine {summary['name']}: {plural(summary['cards'], 'card')}"
                   + (f" ({len(summary['refused'])} left out)" if summary["refused"] else "")
                   + (f", {m0.state_bytes:,} bytes of state per game" if m0 else "")
                   + f", {env.num_actions} actions")
    for m in measures:
        if m.engine == "reference":
            click.echo(f"engine reference: {plural(m.games, 'game')}, {plural(m.steps, 'step')}, {m.seconds:.2f} s")
            click.echo(f"{m.games_per_s:.1f} games/s, {m.steps_per_s:.0f} steps/s, {m.steps_per_game:.1f} steps/game, "
                       f"{m.turns_per_game:.1f} turns/game")
    head = f"{'engine':<10} {'batch':>6} {'devices':>7} {'steps/s':>11} {'games/s':>10} {'steps/game':>10} " \
           f"{'compile s':>9} {'x reference':>11}"
    click.echo(head)
    for m in measures:
        ratio = f"{m.steps_per_s / ref.steps_per_s:.3g}" if ref is not None and ref.steps_per_s > 0 else "-"
        comp = f"{m.compile_s:.1f}" if m.engine == "jax" else "-"
        click.echo(f"{m.engine:<10} {m.batch:>6} {m.devices:>7} {m.steps_per_s:>11,.0f} {m.games_per_s:>10,.1f} "
                   f"{m.steps_per_game:>10.1f} {comp:>9} {ratio:>11}")
    if skipped:
        click.echo(f"skipped batch {', '.join(map(str, skipped))}: not a multiple of {devices} devices")
    if measures:
        click.echo(f"peak memory (maxrss): {max(m.peak_rss_mb for m in measures):,.0f} MB")
    for m in measures:
        label = m.engine if m.engine == "reference" else f"jax batch {m.batch}"
        click.echo(f"results ({label}): " + (", ".join(f"{k} {v}" for k, v in m.results.items() if v)
                                             or "no game ended in the time"))
    if ref is not None:
        click.echo(f"exceptions: {len(ref.errors)}")
    click.echo("")
    click.echo(EXPLANATION)


class _Progress:
    """A rich progress display on stderr: a spinner while building and compiling, a bar while measuring."""

    def __init__(self):
        self.p = None
        self.task = None

    def __enter__(self):
        from rich.console import Console
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.p = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                          TextColumn("{task.fields[info]}"), TimeElapsedColumn(),
                          console=Console(stderr=True), transient=True)
        self.p.__enter__()
        self.task = self.p.add_task("starting", total=None, info="")
        self.label = ""
        return self

    def __exit__(self, *exc):
        return self.p.__exit__(*exc)

    def phase(self, msg: str) -> None:
        self.p.update(self.task, description=msg, total=None, completed=0, info="")

    def start(self, label: str, total: float) -> None:
        self.label = label
        self.total = total
        self.p.update(self.task, description=label, total=None, completed=0, info="")

    def update(self, phase: str = "running", done: float | None = None, steps: int | None = None,
               compile_s: float | None = None) -> None:
        if phase == "compiling":
            self.p.update(self.task, description=f"{self.label}: compiling", total=None, info="")
            return
        info = f"{steps:,} steps" if steps is not None else ""
        self.p.update(self.task, description=self.label, total=self.total, completed=done or 0, info=info)
