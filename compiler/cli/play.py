"""`tcgc play SPEC`: a terminal game against a bot (or bot against bot) on the reference engine."""

from __future__ import annotations

import json
import random
import re

import click

from ..diagnostics import Diagnostic, SpecError
from ..spec import load_spec


@click.command("play")
@click.argument("spec", type=click.Path(dir_okay=False))
@click.option("--deck", "decks", multiple=True, help="Deck name from the spec (give one or two; one is used twice).")
@click.option("--random-decks", is_flag=True, help="Random legal decks from the executable part of the pool.")
@click.option("--bot", type=click.Choice(["random", "greedy"]), default="greedy", show_default=True,
              help="The bot's policy.")
@click.option("--human", type=click.Choice(["0", "1", "none"]), default="0", show_default=True,
              help="Which player you are ('none': bot against bot).")
@click.option("--seed", type=int, default=0, show_default=True, help="Fixes decks, shuffles, coins and bots.")
@click.option("--replay", "replay", type=click.Path(dir_okay=False), help="Write the action log (JSON) here.")
def command(spec: str, decks: tuple[str, ...], random_decks: bool, bot: str, human: str, seed: int,
            replay: str | None) -> None:
    """Play a game in the terminal. Type an action's number or name; 'q' quits."""
    from reference import Engine
    from reference.bots import BOTS
    from reference.session import describe_action, pick_decks, render_board, step_key

    if len(decks) > 2:
        raise SpecError(Diagnostic("tcgc play", f"give at most two --deck options, one per player (got {len(decks)}: "
                                   f"{', '.join(decks)})", field="--deck"))
    loaded = load_spec(spec)
    engine = Engine.from_spec(loaded)
    chosen = pick_decks(engine, loaded, decks, random_decks, random.Random(seed), spec)
    s = engine.init(chosen, seed)
    me = None if human == "none" else int(human)
    bots = [BOTS[bot](seed), BOTS[bot](seed + 1)]
    log: list[dict] = []
    click.echo(f"tcgc play: {chosen[0].name} (player 0) vs {chosen[1].name} (player 1), seed {seed}; "
               f"player {s.first_player} goes first")
    quit_ = False
    while not (s.terminated or s.truncated):
        p = s.current_player
        legal = engine.legal_actions(s)
        if p == me:
            click.echo("\n" + render_board(engine, s, me))
            for i, a in enumerate(legal):
                click.echo(f"  {i:>2}. {describe_action(engine, s, a)}")
            action = None
            while action is None:
                try:
                    text = click.prompt("your action", prompt_suffix="> ", default="", show_default=False)
                except click.Abort:
                    text = "q"
                text = text.strip()
                if text in ("q", "quit", "exit"):
                    quit_ = True
                    break
                action = parse_choice(engine, legal, text)
                if action is None:
                    click.echo(f"not a legal action: {text!r}; type a number 0-{len(legal) - 1} or an action name")
            if quit_:
                break
        else:
            action = bots[p].act(engine, s)
            click.echo(f"player {p}: {describe_action(engine, s, action)}")
        log.append({"player": p, "action": action, "name": engine.layout.name(action)})
        s = engine.step(s, action, step_key(seed, s))
        for line in s.log:
            click.echo(f"    {public_line(line, me)}")
    if quit_:
        click.echo("game abandoned")
    else:
        click.echo("\n" + render_board(engine, s, me if me is not None else 0))
        result = "tie" if s.winner == 2 else f"player {s.winner} wins"
        click.echo(f"game over after turn {s.turn}: {result}"
                   f"{' (turn limit)' if s.truncated else ''}; points {s.players[0].points}-{s.players[1].points}")
    if replay:
        with open(replay, "w", encoding="utf-8") as f:
            json.dump({"spec": spec, "seed": seed, "decks": [{"name": d.name, "energy": list(d.energy),
                                                              "cards": [engine.db[i].id for i in d.cards]}
                                                             for d in chosen],
                       "actions": log, "winner": s.winner}, f, indent=1)
        click.echo(f"wrote {replay}")


def public_line(line: str, me: int | None) -> str:
    """A log line without the private detail another player saw (e.g. the top card of a deck)."""
    m = re.search(r" \[player (\d) sees: .*\]$", line)
    if m and (me is None or int(m.group(1)) != me):
        return line[: m.start()]
    return line


def parse_choice(engine, legal: list[int], text: str) -> int | None:
    """A legal action from a typed list number or action name, else None."""
    if text.isdigit():
        i = int(text)
        return legal[i] if i < len(legal) else None
    names = {engine.layout.name(a): a for a in legal}
    return names.get(text)
