"""Pytest fixtures for the scraper tests: one generated site and server per test session, one shared full scrape."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from spec_scraper.crawl import ScrapeOptions
from spec_scraper.fetch import FetchConfig
from spec_scraper.result import ScrapeResult
from spec_scraper.scrape import scrape

from ..conftest import CORPUS
from .limitless_site import build_site
from .server import Site, SiteServer

E2E_SETS = ["A1", "A2", "B1a"]
"""Three full corpus sets: damage-less attacks, abilities, tools and fossils (A1, A2), Mega ex (B1a)."""


def fast_config(**kw) -> FetchConfig:
    """Politeness delays shrunk for tests; everything else as in production."""
    base = dict(min_interval=0.0, concurrency=8, backoff=0.01, timeout=15.0, retries=2, max_retry_after=5.0)
    return FetchConfig(**{**base, **kw})


@dataclass
class Served:
    site: Site
    url: str
    expected: dict[str, list[dict]]


@dataclass
class E2E:
    result: ScrapeResult
    out: Path
    seconds: float
    hits: dict[str, int]


@pytest.fixture(scope="session")
def served() -> Served:
    pages, expected = build_site(CORPUS, E2E_SETS)
    site = Site(pages)
    with SiteServer(site) as srv:
        yield Served(site, srv.url, expected)


@pytest.fixture
def fresh_site(served: Served) -> Served:
    """The shared server with no faults armed, no robots.txt and zeroed hit counts."""
    served.site.reset()
    served.site.robots = None
    yield served
    served.site.reset()
    served.site.robots = None


@pytest.fixture(scope="session")
def e2e(served: Served, tmp_path_factory) -> E2E:
    """The three corpus sets and the stadium set scraped once through the server."""
    served.site.reset()
    out = tmp_path_factory.mktemp("e2e")
    start = time.perf_counter()
    result, _ = scrape(f"{served.url}/cards", out,
                       ScrapeOptions(sets=E2E_SETS + ["X1"], fetch=fast_config(), progress=False))
    seconds = time.perf_counter() - start
    hits = dict(served.site.hits)
    served.site.reset()
    return E2E(result, out, seconds, hits)
