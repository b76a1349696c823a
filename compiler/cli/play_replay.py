"""`tcgc play --replay FILE`: step through a recorded game, every event shown, on the reference engine or also
on the generated JAX engine (`--engine jax`: both engines are stepped and compared after every step)."""

from __future__ import annotations

import sys

from ..diagnostics import Diagnostic, SpecError, plural
from ..spec import load_spec
from .play_record import action_of, decks_of, load_record, result_of
from .play_view import View, show_step


def replay(view: View, path: str, spec: str | None, engine_kind: str, package: str | None) -> int:
    """Replay a recording; the exit code (0: as recorded, 1: it ended otherwise or the engines differ)."""
    from reference import Engine
    from reference.board import render_board
    from reference.events import ALL
    from reference.session import step_key

    rec = load_record(path)
    spec = spec or rec.spec
    if not spec:
        raise SpecError(Diagnostic(path, "the recording names no spec: pass SPEC", field="spec"))
    loaded = load_spec(spec)
    engine = Engine.from_spec(loaded)
    if rec.board is not None:
        from compiler.verify.interaction import build_state

        decks = None
        try:
            s = build_state(engine, rec.board)
        except (KeyError, TypeError, ValueError, IndexError) as e:
            raise SpecError(Diagnostic(path, f"not a board this spec's engine can build: {e}", field="board")) \
                from None
    else:
        decks = decks_of(rec, engine)
        s = engine.init(decks, rec.seed)
    jx = None
    if engine_kind == "jax":
        from .play_jax import JaxGame, find_package

        pkg = find_package(loaded, package)
        view.say(f"compiling the JAX engine {pkg} (a minute the first time, cached after)", "info")
        jx = JaxGame(pkg, engine, decks, rec.seed, start=s if decks is None else None)
    if decks is None:
        view.say(f"tcgc play: replay of {path}: a constructed board, {plural(len(rec.actions), 'action')} on the "
                 f"{engine_kind} engine", "title")
    else:
        view.say(f"tcgc play: replay of {path}: {decks[0].name} (player 0) vs {decks[1].name} (player 1), seed "
                 f"{rec.seed}, {plural(len(rec.actions), 'action')} on the {engine_kind} engine", "title")
    pause = sys.stdin.isatty() and sys.stdout.isatty()
    turn = None
    for i in range(len(rec.actions) + 1):
        if jx is not None and (diff := jx.differences(engine, s)):
            view.say(f"the JAX engine differs from the reference after step {i}:", "error")
            for k, (ref, mine) in list(diff.items())[:12]:
                view.say(f"  {k}: reference {ref} | jax {mine}")
            return 1
        if i == len(rec.actions):
            break
        if s.terminated or s.truncated:
            raise SpecError(Diagnostic(path, f"the game is over after {plural(i, 'action')}, but the recording "
                                       "goes on", field=f"actions[{i}]"))
        a = action_of(rec, engine, i)
        legal = engine.legal_actions(s)
        if a not in legal:
            raise SpecError(Diagnostic(path, f"{engine.layout.name(a)} is not legal here (step {i}); legal: "
                                       + ", ".join(engine.layout.name(b) for b in legal), field=f"actions[{i}]"))
        if s.turn != turn:
            turn = s.turn
            view.board(render_board(engine, s, s.current_player, legal, "the view of"))
        key = rec.keys[i] if rec.keys is not None else step_key(rec.seed, s)
        s = show_step(view, engine, s, a, key, ALL)
        if jx is not None:
            jx.step(a, key)
        if pause:
            try:
                answer = view.ask("(Enter: next step · c: to the end · q: quit) ").strip().lower()
            except EOFError:
                answer = "c"
            if answer in ("q", "quit"):
                return 0
            pause = answer != "c"
    view.board(render_board(engine, s, s.turn_player, who="the view of"))
    view.result(s)
    if jx is not None:
        view.say(f"the JAX engine agrees with the reference at every step ({plural(len(rec.actions), 'step')})")
    if rec.result is not None and result_of(s) != rec.result:
        view.say(f"the replay ends otherwise than recorded: recorded {rec.result}, replayed {result_of(s)}", "error")
        return 1
    if rec.result is not None:
        view.say("the replay ends as recorded")
    return 0
