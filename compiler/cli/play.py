"""`tcgc play SPEC`: a terminal game against a bot (or bot against bot) on the reference engine, every event
shown once; `--record FILE` writes the game, `--replay FILE` steps through one (docs/play.md)."""

from __future__ import annotations

import os
import random
import sys

import click

from ..diagnostics import Diagnostic, SpecError
from ..spec import load_spec


@click.command("play")
@click.argument("spec", required=False, type=click.Path(dir_okay=False))
@click.option("--deck", "decks", multiple=True, help="Deck name from the spec (give one or two; one is used twice).")
@click.option("--random-decks", is_flag=True, help="Random legal decks from the executable part of the pool.")
@click.option("--bot", type=click.Choice(["random", "greedy"]), default="greedy", show_default=True,
              help="The bot's policy.")
@click.option("--human", type=click.Choice(["0", "1", "none"]), default="0", show_default=True,
              help="Which player you are ('none': bot against bot).")
@click.option("--seed", type=int, default=0, show_default=True, help="Fixes decks, shuffles, coins and bots.")
@click.option("-y", "--yes", is_flag=True, help="Don't ask before a move that discards Energy or ends the turn early.")
@click.option("--record", type=click.Path(dir_okay=False), help="Write the game (decks, seed, actions) here (JSON).")
@click.option("--replay", type=click.Path(dir_okay=False), help="Step through a game written by --record.")
@click.option("--engine", "engine_kind", type=click.Choice(["reference", "jax"]), default="reference",
              show_default=True, help="With --replay: 'jax' also steps the generated JAX engine and checks it.")
@click.option("--package", type=click.Path(file_okay=False),
              help="With --engine jax: the generated engine's folder (default: the one in generated/ of this spec).")
def command(spec: str | None, decks: tuple[str, ...], random_decks: bool, bot: str, human: str, seed: int,
            yes: bool, record: str | None, replay: str | None, engine_kind: str, package: str | None) -> None:
    """Play a game in the terminal. Type an action's number or its words ('attack Psychic', 'play Clefairy');
    'help' lists the commands, 'q' quits."""
    from .play_view import View

    check_options(spec, decks, random_decks, record, replay, engine_kind, package)
    view = View()
    try:
        if replay:
            from .play_replay import replay as run_replay

            code = run_replay(view, replay, spec, engine_kind, package)
        else:
            code = play(view, spec, decks, random_decks, bot, human, seed, yes, record)
        sys.stdout.flush()
    except KeyboardInterrupt:
        click.echo("\ninterrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:  # the reader went away (`tcgc play ... | head`): stop quietly
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        sys.exit(0)
    sys.exit(code)


def check_options(spec, decks, random_decks, record, replay, engine_kind, package) -> None:
    def bad(msg: str, field: str) -> SpecError:
        return SpecError(Diagnostic("tcgc play", msg, field=field))
    if len(decks) > 2:
        raise bad(f"give at most two --deck options, one per player (got {len(decks)}: {', '.join(decks)})",
                  "--deck")
    if replay and (decks or random_decks or record):
        raise bad("--replay plays the recorded decks: leave out --deck, --random-decks and --record", "--replay")
    if not replay and (engine_kind != "reference" or package):
        raise bad("--engine and --package apply to --replay", "--engine")
    if package and engine_kind != "jax":
        raise bad("--package applies to --engine jax", "--package")
    if not spec and not replay:
        raise bad("give a SPEC (or --replay FILE)", "SPEC")


def play(view, spec: str, decks, random_decks: bool, bot: str, human: str, seed: int, yes: bool,
         record: str | None) -> int:
    """One game; a person plays `human` (unless 'none'), bots the rest. The exit code."""
    from reference import Engine
    from reference.bots import BOTS
    from reference.board import render_board
    from reference.session import pick_decks, step_key

    from .play_human import human_action
    from .play_record import write_record
    from .play_view import show_step

    loaded = load_spec(spec)
    engine = Engine.from_spec(loaded)
    chosen = pick_decks(engine, loaded, decks, random_decks, random.Random(seed), spec)
    s = engine.init(chosen, seed)
    me = None if human == "none" else int(human)
    bots = [BOTS[bot](seed), BOTS[bot](seed + 1)]
    log: list[dict] = []
    view.say(f"tcgc play: {chosen[0].name} (player 0) vs {chosen[1].name} (player 1), seed {seed}; player "
             f"{s.first_player} goes first" + (f"; you are player {me} ('help' lists the commands)"
                                               if me is not None else ""), "title")
    while not (s.terminated or s.truncated):
        p = s.current_player
        if p == me:
            action = human_action(view, engine, s, me, engine.legal_actions(s), yes)
            if action is None:
                view.say("game abandoned")
                break
        else:
            action = bots[p].act(engine, s)
        log.append({"player": p, "action": action, "name": engine.layout.name(action)})
        s = show_step(view, engine, s, action, step_key(seed, s), me)
    else:
        view.board(render_board(engine, s, me if me is not None else 0))
        view.result(s)
    if record:
        write_record(record, spec, seed, engine, chosen, log, s)
        view.say(f"wrote {record}")
    return 0
