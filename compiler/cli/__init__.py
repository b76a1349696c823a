"""The `tcgc` command: a thin layer over library functions. One module per subcommand.

To add a subcommand, write `compiler/cli/<name>.py` defining a click command named `command`, and add the module
name to COMMANDS. A SpecError raised anywhere becomes located messages on stderr and exit code 2.
"""

from __future__ import annotations

import importlib
import sys

import click

from .. import __version__
from ..diagnostics import Diagnostic, SpecError

COMMANDS = ["validate", "schema", "import_jsonl", "scrape", "parse", "coverage", "build", "play", "bench", "verify",
            "train", "eval",
            "fill", "diff"]
"""Subcommand modules, in the order `tcgc --help` lists them."""


def report(err: SpecError) -> None:
    """Print every diagnostic of a SpecError to stderr."""
    for d in err.diagnostics:
        click.secho("error: ", fg="red", bold=True, err=True, nl=False)
        click.echo(str(d), err=True)
    n = len(err.diagnostics)
    if err.omitted:
        click.echo(f"{n + err.omitted} errors, {err.omitted} more not shown", err=True)
    elif n > 1:
        click.echo(f"{n} errors", err=True)


class _Group(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except SpecError as err:
            report(err)
            sys.exit(2)
        except OSError as err:  # a path given on the command line that cannot be read or written
            where = err.filename or "tcgc"
            report(SpecError(Diagnostic(str(where), err.strerror or str(err))))
            sys.exit(2)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tcgc")
def main() -> None:
    """tcgc: compile a declarative card-game spec into game engines."""


for _name in COMMANDS:
    main.add_command(importlib.import_module(f"{__name__}.{_name}").command)
