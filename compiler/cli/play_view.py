"""`tcgc play`'s output: rich colours on a terminal, plain text when piped (rich decides from the stream)."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

STYLES = {"turn": "bold cyan", "action": "bold", "damage": "red", "heal": "green", "condition": "magenta",
          "energy": "yellow", "cards": "blue", "coin": "bold yellow", "ko": "bold red", "points": "bold green",
          "over": "bold reverse", "info": "dim", "error": "bold red", "title": "bold underline"}
"""A style per event kind (reference/events.py) and per kind of message."""


class _Console(Console):
    def on_broken_pipe(self) -> None:  # leave it to the command (play.py), which ends quietly
        self.quiet = True
        raise BrokenPipeError


class View:
    """Prints lines and events, reads typed lines. The console follows sys.stdout as it is at each call."""

    def __init__(self):
        self.console = _Console(highlight=False, soft_wrap=True, emoji=False, markup=False)

    def say(self, text: str = "", style: str = "") -> None:
        self.console.print(Text(text, style=STYLES.get(style, style)))

    def event(self, event, viewer) -> None:
        self.say("    " + event.shown(viewer), event.kind)

    def board(self, lines: list[str]) -> None:
        self.say()
        for line in lines:
            style = "title" if line.startswith("==") else "green" if "✓" in line[:8] else \
                "dim" if "✗" in line[:8] else "bold" if line.startswith(("You", "Opponent", "Decision")) else ""
            self.say(line, style)

    def ask(self, prompt: str) -> str:
        """A typed line; EOFError at the end of input, KeyboardInterrupt on Ctrl-C."""
        return self.console.input(Text(prompt, style="bold"))

    def confirm(self, question: str) -> bool:
        try:
            return self.ask(f"{question}: go ahead? [y/N] ").strip().lower() in ("y", "yes")
        except EOFError:
            return False

    def action(self, i: int, text: str, name: str) -> None:
        """One line of the numbered action list: number, what it does, its stable name."""
        line = Text(f"  {i:>2}  ", style="bold")
        line.append(text)
        line.append(f"   {name}", style="dim")
        self.console.print(line)

    def result(self, s) -> None:
        """How the game ended (or that it has not)."""
        from compiler.diagnostics import plural

        points = f"points {s.players[0].points}-{s.players[1].points}"
        if not (s.terminated or s.truncated):
            self.say(f"the game is not over (turn {s.turn}, {plural(s.step_count, 'step')}); {points}", "title")
            return
        who = "a tie" if s.winner == 2 else f"player {s.winner} wins"
        self.say(f"game over after turn {s.turn}: {who}{' (turn limit)' if s.truncated else ''}; {points}", "title")


def show_step(view: View, engine, s, action: int, key: int, viewer):
    """Say who does what, take the step, print its events once; the new state."""
    from reference.board import action_text

    view.say(f"player {s.current_player}: {action_text(engine, s, action)}", "action")
    s = engine.step(s, action, key)
    for e in s.log:
        view.event(e, viewer)
    return s
