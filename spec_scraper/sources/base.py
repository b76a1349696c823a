"""The interface every card-database source implements, and the data passed between crawl stages.

A site source is three pure functions over HTML (index → sets, set page → card links, card page → card fields),
plus `detect` to recognise its pages. Fetching, caching and writing are the crawler's job, not the source's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from bs4 import BeautifulSoup


@dataclass(frozen=True)
class SetRef:
    """One set listed on a site's index page."""

    code: str
    name: str | None
    url: str


@dataclass(frozen=True)
class CardRef:
    """One card listed on a set page."""

    url: str
    number: int | None = None
    name: str | None = None


@dataclass
class Extracted:
    """The fields of one card (not yet validated) and what was odd about its page."""

    card: dict[str, Any]
    warnings: list[str] = field(default_factory=list)


class ExtractError(ValueError):
    """A card page lacks something needed, or holds something not understood. The message says what."""


class CardSite(Protocol):
    """A card-database website: the pages a crawl walks through, each parsed by a pure function."""

    name: str

    def detect(self, soup: BeautifulSoup) -> str | None:
        """'index', 'set' or 'card' when the page is one of this site's, else None."""

    def parse_index(self, soup: BeautifulSoup, url: str) -> list[SetRef]:
        """The sets listed on the index page."""

    def parse_set(self, soup: BeautifulSoup, url: str, set_code: str) -> list[CardRef]:
        """The card pages a set page links to, in set order."""

    def parse_card(self, soup: BeautifulSoup, url: str, set_code: str, number: int | None = None) -> Extracted:
        """The card on a card page (`number` as the set page listed it, if known); raises ExtractError with the
        reason when it cannot."""


def soup_of(html: str) -> BeautifulSoup:
    """Parse HTML with the standard-library parser (no lxml dependency)."""
    return BeautifulSoup(html, "html.parser")
