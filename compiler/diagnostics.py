"""User-facing errors: every mistake in user input becomes a Diagnostic that names the place.

A stage that finds bad input raises `SpecError` with one or more diagnostics; the CLI prints them and exits 2.
No user mistake may surface as a Python traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Diagnostic:
    """One problem in one place: a file (or URL), an optional line/column (1-based) and field path."""

    source: str
    message: str
    line: int | None = None
    column: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = self.source
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        field = f" [{self.field}]" if self.field else ""
        return f"{where}:{field} {self.message}"


class SpecError(Exception):
    """Bad user input. Carries every diagnostic found, not only the first.

    `omitted` counts further problems of the same kind that were found but are not listed (a file that is wrong
    throughout would otherwise repeat one message per line).
    """

    def __init__(self, diagnostics: list[Diagnostic] | Diagnostic, omitted: int = 0):
        if isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        self.diagnostics = list(diagnostics)
        self.omitted = omitted
        text = "\n".join(str(d) for d in self.diagnostics)
        if omitted:
            text += f"\n... and {omitted} more not shown"
        super().__init__(text)


def plural(n: int, noun: str, nouns: str | None = None) -> str:
    """A count with its noun in the right number: plural(1, "card") == "1 card", plural(2, "card") == "2 cards"."""
    return f"{n} {noun if n == 1 else nouns or noun + 's'}"


def display_path(path: str | Path) -> str:
    """A path as the user would recognise it: relative to the working directory when possible."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)
