"""What a scrape produced: cards written, cards failed (URL + reason), warnings, and its summary text."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from compiler.spec import CardSetFile


@dataclass(frozen=True)
class Failure:
    url: str
    reason: str


@dataclass
class ScrapeResult:
    written: dict[str, Path] = field(default_factory=dict)
    """Set code → card-set YAML written."""
    cards: dict[str, int] = field(default_factory=dict)
    """Set code → cards in that file."""
    set_names: dict[str, str | None] = field(default_factory=dict)
    card_sets: dict[str, CardSetFile] = field(default_factory=dict)
    """Set code → the card set as written."""
    failed: list[Failure] = field(default_factory=list)
    warnings: list[Failure] = field(default_factory=list)
    collapsed: list[tuple[str, str]] = field(default_factory=list)
    """(dropped id, kept id): printings that differ only in number, rarity or artwork."""
    spec_path: Path | None = None
    rules_found: list = field(default_factory=list)
    rules_missing: list[str] = field(default_factory=list)
    requests: int = 0
    cache_hits: int = 0
    resumed: int = 0
    """Cards taken from an earlier run's records (--resume)."""
    interrupted: bool = False

    @property
    def total_cards(self) -> int:
        return sum(self.cards.values())
