"""`tcgc validate SPEC`: load a spec strictly and summarise it."""

from __future__ import annotations

from collections import Counter

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..diagnostics import plural
from ..spec import LoadedSpec, PokemonCard, load_spec


def summarize(loaded: LoadedSpec) -> dict:
    """Counts a user wants to see after validation (also used by tests)."""
    kinds: Counter[str] = Counter()
    texts: set[tuple[str, str]] = set()
    for c in loaded.cards.values():
        if isinstance(c, PokemonCard):
            kinds[f"pokemon/{c.stage}"] += 1
            texts.update(("attack", a.text) for a in c.attacks if a.text)
            if c.ability:
                texts.add(("ability", c.ability.text))
            if c.pokemon_power:
                texts.add(("pokemon_power", c.pokemon_power.text))
        else:
            kinds[f"trainer/{'fossil' if c.is_fossil else c.trainer_kind}"] += 1
            texts.add(("trainer", c.text))
    return {
        "name": loaded.spec.name,
        "cards": len(loaded.cards),
        "by_kind": dict(sorted(kinds.items())),
        "sets": {s.set: len(s.cards) for s in loaded.sets},
        "effect_texts": len(texts),
        "decks": {d.name: sum(d.cards.values()) for d in loaded.spec.decks},
    }


@click.command("validate")
@click.argument("spec", type=click.Path(dir_okay=False))
def command(spec: str) -> None:
    """Load SPEC with its card sets and decks, check everything, print a summary."""
    loaded = load_spec(spec)
    s = summarize(loaded)
    out = Console()
    if loaded.fills is not None:
        from ..fill.usage import usage

        for st in usage(loaded.cards.values(), loaded.fills).stale:
            click.echo(f"warning: {st}", err=True)
    out.print(f"[bold green]ok[/] {escape(spec)}: game [bold]{escape(s['name'])}[/], {plural(s['cards'], 'card')} in "
              f"{plural(len(s['sets']), 'set')}, {plural(s['effect_texts'], 'distinct effect text')}",
              soft_wrap=True)  # one line, however long the path
    t = Table("cards by kind", "count")
    for k, n in s["by_kind"].items():
        t.add_row(k, str(n))
    out.print(t)
    if s["decks"]:
        d = Table("deck", "cards")
        for k, n in s["decks"].items():
            d.add_row(k, str(n))
        out.print(d)
