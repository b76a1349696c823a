"""Politeness and caching of the fetcher: User-Agent, rate and concurrency limits, Crawl-delay, the cache."""

from __future__ import annotations

import asyncio
import email.utils
import time

from spec_scraper.crawl import ScrapeOptions
from spec_scraper.fetch import USER_AGENT, Fetcher, PageCache, decode_body, retry_after_seconds
from spec_scraper.scrape import scrape
from tests.fixtures_site.fixtures import fast_config, fresh_site, served  # noqa: F401 (fixtures)
from tests.fixtures_site.server import Fault


def run(srv, out, **fetch):
    result, _ = scrape(f"{srv.url}/cards", out, ScrapeOptions(sets=["F1"], fetch=fast_config(**fetch), progress=False))
    return result


def test_user_agent_is_honest(fresh_site, tmp_path):
    run(fresh_site, tmp_path)
    assert fresh_site.site.user_agents == {USER_AGENT}
    assert USER_AGENT.startswith("tcgc/0.") and "+https://" in USER_AGENT


def test_concurrency_limit_per_host(fresh_site, tmp_path):
    for n in range(1, 9):
        fresh_site.site.arm(f"/cards/F1/{n}", Fault(delay=0.1))
    result = run(fresh_site, tmp_path, concurrency=2)
    assert result.failed == []
    assert fresh_site.site.max_in_flight == 2  # requests did overlap, never more than two


def test_rate_limit_spaces_request_starts(fresh_site, tmp_path):
    run(fresh_site, tmp_path, min_interval=0.05)
    starts = fresh_site.site.started
    assert len(starts) == 11  # robots.txt, index, set page, 8 cards
    assert starts[-1] - starts[0] >= 8 * 0.05  # 10 gaps of at least 0.05 s, less slack for arrival jitter


def test_crawl_delay_is_honoured_up_to_its_cap(fresh_site, tmp_path):
    fresh_site.site.robots = b"User-agent: *\nCrawl-delay: 1\n"
    start = time.perf_counter()
    run(fresh_site, tmp_path, max_crawl_delay=0.08)
    elapsed = time.perf_counter() - start
    assert 9 * 0.08 <= elapsed < 5


def test_half_written_cache_entry_counts_as_absent(fresh_site, tmp_path):
    async def get(url):
        async with Fetcher(fast_config(), tmp_path / "cache") as f:
            page = await f.get(url)
            return page, f.requests

    url = f"{fresh_site.url}/cards/F1/1"
    page, requests = asyncio.run(get(url))
    assert not page.from_cache and requests == 2  # robots.txt + the page
    page, requests = asyncio.run(get(url))
    assert page.from_cache and requests == 0
    body, meta = PageCache(tmp_path / "cache")._paths(url)
    meta.unlink()  # as if the run died between writing the body and its meta
    page, requests = asyncio.run(get(url))
    assert not page.from_cache and requests == 2
    assert list((tmp_path / "cache").rglob("*.tmp")) == []


def test_retry_after_forms():
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds(None) is None and retry_after_seconds("soon") is None
    later = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25 <= retry_after_seconds(later) <= 31


def test_decoding():
    assert decode_body("Pokémon".encode(), "text/html; charset=utf-8") == ("Pokémon", [])
    assert decode_body("Pokémon".encode("latin-1"), 'text/html; charset="iso-8859-1"') == ("Pokémon", [])
    assert decode_body('<meta charset="windows-1252">Pok\xe9mon'.encode("cp1252"), None)[0].endswith("Pokémon")
    text, [warning] = decode_body("Pokémon".encode("cp1252"), "text/html; charset=utf-8")
    assert text == "Pokémon" and warning == "page is not valid utf-8 at byte 3; decoded as windows-1252"


def test_redirects_are_followed_and_cached(fresh_site, tmp_path):
    fresh_site.site.arm("/old/cards", Fault(status=301, location="/cards"))
    result, _ = scrape(f"{fresh_site.url}/old/cards", tmp_path,
                       ScrapeOptions(sets=["F1"], fetch=fast_config(), progress=False))
    assert result.failed == [] and result.cards == {"F1": 8}
    fresh_site.site.reset()
    again, _ = scrape(f"{fresh_site.url}/old/cards", tmp_path,
                      ScrapeOptions(sets=["F1"], fetch=fast_config(), progress=False))
    assert again.requests == 0 and again.cards == {"F1": 8}
