"""`tcgc bench SPEC --engine reference --games N`: bot-vs-bot games (random by default), games/s and steps/s."""

from __future__ import annotations

import random
import sys
import time
import traceback
from collections import Counter

import click

from ..spec import load_spec


@click.command("bench")
@click.argument("spec", type=click.Path(dir_okay=False))
@click.option("--engine", "engine_name", type=click.Choice(["reference"]), default="reference", show_default=True)
@click.option("--games", type=click.IntRange(1), default=100, show_default=True)
@click.option("--random-decks", is_flag=True, help="New random legal decks from the executable pool each game.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--bot", type=click.Choice(["random", "greedy"]), default="random", show_default=True,
              help="Policy of both players.")
def command(spec: str, engine_name: str, games: int, random_decks: bool, seed: int, bot: str) -> None:
    """Play GAMES bot-vs-bot games (random by default) and print games/s and steps/s (exit 1 if a game raised)."""
    from reference import Engine
    from reference.bots import BOTS
    from reference.session import pick_decks, play_bots

    loaded = load_spec(spec)
    engine = Engine.from_spec(loaded)
    rng = random.Random(seed)
    fixed = None if random_decks else pick_decks(engine, loaded, (), False, rng, spec)
    results: Counter[str] = Counter()
    errors: list[str] = []
    steps = turns = 0
    t0 = time.perf_counter()
    for g in range(games):
        decks = fixed or pick_decks(engine, loaded, (), True, rng, spec)
        game_seed = seed * 1_000_003 + g
        try:
            r = play_bots(engine, decks, game_seed, [BOTS[bot](game_seed), BOTS[bot](game_seed + 1)])
        except Exception as e:  # report, keep measuring
            errors.append(f"game {g} (seed {game_seed}): {type(e).__name__}: {e}\n{traceback.format_exc(limit=3)}")
            continue
        steps += r.steps
        turns += r.turns
        results["tie" if r.winner == 2 else f"player {r.winner} wins"] += 1
    dt = time.perf_counter() - t0
    click.echo(f"engine {engine_name}: {games} games, {steps} steps, {dt:.2f} s")
    click.echo(f"{games / dt:.1f} games/s, {steps / dt:.0f} steps/s, {steps / max(1, games):.1f} steps/game, "
               f"{turns / max(1, games):.1f} turns/game")
    click.echo("results: " + ", ".join(f"{k} {v}" for k, v in sorted(results.items())))
    click.echo(f"exceptions: {len(errors)}")
    for e in errors[:5]:
        click.echo(e, err=True)
    if errors:
        sys.exit(1)
