"""`tcgc parse TEXT`: one effect text -> IR (YAML or JSON), its canonical rendering, or why it is unresolved."""

from __future__ import annotations

import json
import sys

import click

from .. import ir
from ..parse import KINDS, parse_effect
from ..render import render
from ..yaml_io import dump_yaml


@click.command("parse")
@click.argument("text")
@click.option("--kind", type=click.Choice(KINDS), default="attack", show_default=True, help="Which kind of text.")
@click.option("--json", "as_json", is_flag=True, help="Print the IR as JSON only.")
def command(text: str, kind: str, as_json: bool) -> None:
    """Parse TEXT (an attack, Ability or Trainer effect). Exit 1 when it is unresolved."""
    node = parse_effect(text, kind)
    data = node.model_dump(mode="json")
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(dump_yaml(data), nl=False)
        if not ir.has_unresolved(node):
            click.echo(f"# canonical: {render(node, kind)}")
    if ir.has_unresolved(node):
        for u in ir.unresolved_nodes(node):
            click.echo(f"unresolved: {u.reason}", err=True)
        sys.exit(1)
