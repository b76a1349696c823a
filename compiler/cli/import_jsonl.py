"""`tcgc import-jsonl FILE -o OUT`: corpus JSON Lines → card-set YAML."""

from __future__ import annotations

import click

from spec_scraper.sources.jsonl import read_jsonl

from ..diagnostics import plural
from ..spec import write_card_set


@click.command("import-jsonl")
@click.argument("jsonl", type=click.Path(dir_okay=False))
@click.option("-o", "--out", "out", required=True, type=click.Path(dir_okay=False), help="Card-set YAML to write.")
@click.option("--set", "set_code", help="Set code (default: the cards' own set).")
def command(jsonl: str, out: str, set_code: str | None) -> None:
    """Convert a card dump in the corpus JSONL format into a card-set YAML file."""
    card_set = read_jsonl(jsonl, set_code)
    write_card_set(card_set, out)
    click.echo(f"wrote {out}: set {card_set.set}, {plural(len(card_set.cards), 'card')}")
