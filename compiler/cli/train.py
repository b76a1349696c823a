"""`tcgc train SPEC`: PPO on SPEC's generated JAX engine (compiler/train/; docs/train.md). The learner plays one
seat against the random bot, the greedy bot or past snapshots of itself; every step runs on device inside jit.
Writes OUT/policy.npz (checkpoint), OUT/metrics.jsonl (one record per update), OUT/curves.png and OUT/summary.json.
`--profile` instead measures throughput: the engine's random-action steps/s beside PPO's at two network sizes."""

from __future__ import annotations

import json
import sys
import time

import click

from ..diagnostics import Diagnostic, SpecError


def _sizes(text: str) -> tuple[int, ...]:
    try:
        out = tuple(int(x) for x in text.split(","))
    except ValueError:
        out = ()
    if not out or min(out) < 1:
        raise click.BadParameter(f"{text!r}: expected positive widths separated by commas, e.g. 64,256")
    return out


@click.command("train")
@click.argument("spec", type=click.Path(dir_okay=False))
@click.option("--steps", type=click.IntRange(1), default=5_000_000, show_default=True,
              help="Engine steps to train for (the learner's and the opponent's moves, all games).")
@click.option("--minutes", type=click.FloatRange(0, min_open=True), default=None,
              help="Stop after this much training time (compile excluded), if --steps is not reached first.")
@click.option("--batch", type=click.IntRange(2), default=256, show_default=True, help="Games stepped together.")
@click.option("--rollout", type=click.IntRange(1), default=32, show_default=True,
              help="Engine steps per game per PPO update.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--decks", default="fixed", show_default=True,
              help="fixed (the engine's first deck against its second, or itself), A,B (deck names; the learner "
                   "plays A) or random (random legal decks of the engine's cards).")
@click.option("--hidden", type=click.IntRange(1), default=128, show_default=True, help="Width of the dense layers.")
@click.option("--opponent", type=click.Choice(["mix", "random", "greedy", "self"]), default="mix",
              show_default=True, help="The learner's opponent; mix: per game random 20%, greedy 50%, "
                                      "past snapshots 30%.")
@click.option("--lr", type=click.FloatRange(0, min_open=True), default=3e-4, show_default=True)
@click.option("-o", "--out", type=click.Path(file_okay=False), default="runs/train", show_default=True,
              help="Output folder: policy.npz, metrics.jsonl, curves.png, summary.json.")
@click.option("--package", type=click.Path(file_okay=False),
              help="Use this generated package (e.g. generated/pocket_a1) instead of building SPEC's engine.")
@click.option("--cache", type=click.Path(file_okay=False), default=".tcgc-cache/train", show_default=True,
              help="Folder SPEC's engine is built into (CACHE/<spec folder>/).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON record per update on stdout.")
@click.option("--profile", is_flag=True,
              help="Do not train: measure engine steps/s (random actions), the arena alone and PPO at each "
                   "--profile-hidden width, in one run.")
@click.option("--profile-hidden", default="64,256", show_default=True, help="Network widths for --profile.")
@click.option("--profile-seconds", type=click.FloatRange(0, min_open=True), default=20.0, show_default=True)
def command(spec, steps, minutes, batch, rollout, seed, decks, hidden, opponent, lr, out, package, cache, as_json,
            profile, profile_hidden, profile_seconds) -> None:
    """Train a policy for SPEC's engine with PPO (or --profile its throughput)."""
    widths = _sizes(profile_hidden)
    from ..train.ppo import PPOConfig

    if (batch * rollout) % 4:
        raise click.BadParameter("--batch times --rollout must be a multiple of 4 (the minibatches)",
                                 param_hint="--batch")
    cfg = PPOConfig(batch=batch, steps=rollout, lr=lr)
    t0 = time.perf_counter()

    def phase(msg):
        click.echo(f"[{time.perf_counter() - t0:7.1f}s] {msg}", err=True)

    from ..train.engine import deck_pairs, engine_name, load_engine

    phase("building the engine" if not package else f"loading {package}")
    loaded, pkg, refused = load_engine(spec, package, cache, echo=None)
    pairs = deck_pairs(loaded, pkg, refused, decks, seed)
    phase(f"engine {engine_name(pkg)}: {pkg.tables.NUM_ACTIONS} actions, observation {pkg.tables.OBS_SIZE}; "
          f"decks {pairs.label()}")
    if profile:
        from ..train.loop import profile as run_profile

        rows = run_profile(pkg, pairs, opponent=opponent, hiddens=widths, cfg=cfg, seed=seed,
                           seconds=profile_seconds, on_phase=phase)
        if as_json:
            click.echo(json.dumps(rows, indent=1))
            return
        click.echo(f"throughput at batch {batch}, rollout {rollout} (engine steps/s: every move of every game)")
        click.echo(f"{'what':<44} {'hidden':>6} {'params':>8} {'steps/s':>9} {'env share':>9} {'compile s':>9}")
        for r in rows:
            click.echo(f"{r['what']:<44} {r['hidden'] or '-':>6} {r.get('params', '-'):>8} "
                       f"{r['steps_per_s']:>9,.0f} "
                       f"{(format(r['env_share'], '.0%') if 'env_share' in r else '-'):>9} {r['compile_s']:>9.1f}")
        return
    from ..train.loop import train

    last = {"t": 0.0}

    def on_update(rec):
        if as_json:
            click.echo(json.dumps(rec))
            sys.stdout.flush()
        now = time.perf_counter()
        if now - last["t"] >= 10 or rec["engine_steps"] >= steps:
            last["t"] = now
            wr = " ".join(f"{k} {v:.2f}" for k, v in rec["win_rate"].items() if v is not None)
            phase(f"update {rec['update']}: {rec['engine_steps']:,} steps, {rec['steps_per_s']:,.0f} steps/s; "
                  f"win rate {wr or '-'}; game {rec['game_length'] or 0:.0f} steps; value loss "
                  f"{rec['value_loss']:.3f}, entropy {rec['entropy']:.2f}")
    try:
        res = train(pkg, pairs, opponent=opponent, hidden=hidden, cfg=cfg, seed=seed, max_steps=steps,
                    max_seconds=minutes * 60 if minutes else None, out=out, on_update=on_update, on_phase=phase,
                    meta_extra={"spec": str(spec)})
    except KeyboardInterrupt:
        raise SpecError(Diagnostic("tcgc train", "interrupted")) from None
    wr = ", ".join(f"vs {k} {v:.1%}" for k, v in res.win_rate.items() if v is not None)
    click.echo(f"trained {res.updates} updates, {res.engine_steps:,} engine steps ({res.decisions:,} learner "
               f"decisions) in {res.seconds:.0f} s (+{res.compile_s:.0f} s compile), "
               f"{res.engine_steps / max(res.seconds, 1e-9):,.0f} steps/s")
    click.echo(f"win rate over the last games: {wr or '-'}")
    click.echo(f"checkpoint {res.checkpoint}; curves {res.plot}")
