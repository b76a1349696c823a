"""A person's turn at `tcgc play`: the board and the numbered actions, then the prompt until a legal action
(play_input.py reads it; `?`/`info` shows cards, `help` the commands)."""

from __future__ import annotations

from .play_input import HELP, confirmation, norm, parse_action, words_match
from .play_view import View

QUIT = ("q", "quit", "exit")


def show_choices(view: View, engine, s, me: int, legal: list[int]) -> None:
    from reference.board import action_text, render_board

    view.board(render_board(engine, s, me, legal))
    for i, a in enumerate(legal):
        view.action(i, action_text(engine, s, a), engine.layout.name(a))


def human_action(view: View, engine, s, me: int, legal: list[int], yes: bool) -> int | None:
    """The action the person picks; None when they quit (or the input ends)."""
    from reference.board import action_text

    show_choices(view, engine, s, me, legal)
    while True:
        try:
            text = view.ask("your action> ")
        except EOFError:
            return None
        cmd = norm(text)
        if cmd in QUIT:
            return None
        if cmd in ("help", "h"):
            view.say(HELP)
        elif cmd in ("board", "b", "list", "l"):
            show_choices(view, engine, s, me, legal)
        elif cmd.split(" ")[0] in ("?", "info"):
            show_info(view, engine, s, me, cmd.split(" ", 1)[1] if " " in cmd else "")
        else:
            got = parse_action(engine, s, legal, text, lambda a: action_text(engine, s, a))
            if got.error:
                view.say(got.error, "error")
                continue
            why = "" if yes else confirmation(engine, s, got.action, legal)
            if not why or view.confirm(why):
                return got.action


def show_info(view: View, engine, s, me: int, arg: str) -> None:
    """`?` lists the visible cards, numbered; `? N` or `info NAME` shows one in full (any card of the pool by name)."""
    from reference.board import visible_cards
    from reference.cardtext import card_text

    db = engine.db
    vis = visible_cards(engine, s, me)
    if not arg:
        for i, v in enumerate(vis):
            view.say(f"  [{i}] {db[v.card].name} ({v.where})")
        view.say("'? N' shows card N in full; 'info NAME' any card by name")
        return
    if arg.isdigit():
        if int(arg) >= len(vis):
            view.say(f"no card [{arg}]: the visible cards are numbered 0-{len(vis) - 1} ('?' lists them)", "error")
            return
        found = [vis[int(arg)].card]
    else:
        pool = [v.card for v in vis] + list(range(len(db)))
        found = [c for c in pool if norm(db[c].name) == arg] or \
            [c for c in pool if words_match(arg.split(), norm(db[c].name).split())]
        if not found:
            view.say(f"no card named {arg!r} (in play, in your hand or in the pool)", "error")
            return
    for line in card_text(db[found[0]], engine.rules):
        view.say(line)
