"""Writing card-set files: deterministic, compact YAML (defaults left out, key order as in the models)."""

from __future__ import annotations

from pathlib import Path

from ..yaml_io import dump_yaml
from .cards import CardSetFile


def card_set_to_yaml(card_set: CardSetFile) -> str:
    """The YAML text of a card set. Same model, same bytes."""
    data = card_set.model_dump(mode="json", exclude_defaults=True)
    data["cards"] = [_card_order(c) for c in data.get("cards", [])]
    return dump_yaml(data)


def write_card_set(card_set: CardSetFile, path: str | Path) -> None:
    """Write a card set atomically (a temp file renamed into place), so an interrupted write loses nothing."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(card_set_to_yaml(card_set), encoding="utf-8")
    tmp.replace(path)


_FIRST = ("id", "name", "category")


def _card_order(card: dict) -> dict:
    """id, name and category first; first_printed only where it differs from the id."""
    if card.get("first_printed") == card["id"]:
        del card["first_printed"]
    return {**{k: card[k] for k in _FIRST}, **{k: v for k, v in card.items() if k not in _FIRST}}
