"""`tcgc schema`: JSON Schemas of spec.yaml and card-set files, for editors."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..spec import CardSetFile, GameSpec, RulesSpec

SCHEMAS = {"spec": GameSpec, "cardset": CardSetFile, "rules": RulesSpec}


def schema_of(kind: str) -> dict:
    """The JSON Schema of one file kind: spec, cardset or rules."""
    schema = SCHEMAS[kind].model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


@click.command("schema")
@click.option("--kind", type=click.Choice(sorted(SCHEMAS)), default="spec", show_default=True,
              help="Which file's schema to print.")
@click.option("-o", "--out-dir", type=click.Path(file_okay=False),
              help="Write all schemas (tcgc-spec.schema.json, ...) into this folder instead.")
def command(kind: str, out_dir: str | None) -> None:
    """Print (or write) the JSON Schema of spec.yaml, card-set files or rules."""
    if out_dir:
        d = Path(out_dir)
        d.mkdir(parents=True, exist_ok=True)
        for k in sorted(SCHEMAS):
            p = d / f"tcgc-{k}.schema.json"
            p.write_text(json.dumps(schema_of(k), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            click.echo(f"wrote {p}")
    else:
        click.echo(json.dumps(schema_of(kind), indent=2, ensure_ascii=False))
