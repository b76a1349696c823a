"""Fault drills against the fixture server: each fault behaves as documented and no scraped card is lost."""

from __future__ import annotations

import time

import pytest

from compiler.diagnostics import SpecError

from spec_scraper.crawl import ScrapeOptions
from compiler.spec import load_card_set
from spec_scraper.scrape import scrape
from tests.fixtures_site.fixtures import fast_config, fresh_site, served  # noqa: F401 (fixtures)
from tests.fixtures_site.limitless_site import SMALL_SET_IDS, render_card
from tests.fixtures_site.server import Fault

N = len(SMALL_SET_IDS)


def run(srv, out, **fetch):
    result, _ = scrape(f"{srv.url}/cards", out, ScrapeOptions(sets=["F1"], fetch=fast_config(**fetch), progress=False))
    return result


def written_ids(out) -> list[str]:
    return [c.id for c in load_card_set(out / "cards" / "F1.yaml")[0].cards]


def all_but(*numbers: int) -> list[str]:
    return [f"F1-{n:03d}" for n in range(1, N + 1) if n not in numbers]


def test_404_fails_that_card_only_without_retrying(fresh_site, tmp_path):
    fresh_site.site.arm("/cards/F1/2", Fault(status=404))
    result = run(fresh_site, tmp_path)
    assert [(f.url, f.reason) for f in result.failed] == [(f"{fresh_site.url}/cards/F1/2", "HTTP 404")]
    assert fresh_site.site.hits["/cards/F1/2"] == 1
    assert written_ids(tmp_path) == all_but(2)


def test_500_then_200_is_retried(fresh_site, tmp_path):
    fresh_site.site.arm("/cards/F1/3", Fault(status=500), Fault(status=503))
    result = run(fresh_site, tmp_path)
    assert result.failed == []
    assert fresh_site.site.hits["/cards/F1/3"] == 3
    assert written_ids(tmp_path) == all_but()


def test_500_every_time_gives_up_and_says_so(fresh_site, tmp_path):
    fresh_site.site.arm("/cards/F1/3", *[Fault(status=500)] * 3)
    result = run(fresh_site, tmp_path, retries=2)
    assert [f.reason for f in result.failed] == ["HTTP 500 (gave up after 3 tries)"]
    assert written_ids(tmp_path) == all_but(3)


def test_429_waits_as_long_as_retry_after_says(fresh_site, tmp_path):
    fresh_site.site.arm("/cards/F1/4", Fault(status=429, retry_after="1"))
    start = time.perf_counter()
    result = run(fresh_site, tmp_path, backoff=0.01)
    assert time.perf_counter() - start >= 0.95  # the backoff alone would have waited 0.01 s
    assert result.failed == [] and fresh_site.site.hits["/cards/F1/4"] == 2
    assert written_ids(tmp_path) == all_but()


def test_429_retry_after_is_capped(fresh_site, tmp_path):
    fresh_site.site.arm("/cards/F1/4", Fault(status=429, retry_after="3600"))
    start = time.perf_counter()
    result = run(fresh_site, tmp_path, max_retry_after=0.2)
    assert time.perf_counter() - start < 5
    assert result.failed == [] and written_ids(tmp_path) == all_but()


def test_slow_response_past_the_timeout_is_retried(fresh_site, tmp_path):
    fresh_site.site.arm("/cards/F1/5", Fault(delay=1.5))
    result = run(fresh_site, tmp_path, timeout=0.5)
    assert result.failed == [] and fresh_site.site.hits["/cards/F1/5"] == 2
    assert written_ids(tmp_path) == all_but()


def test_always_slow_page_fails_with_a_timeout(fresh_site, tmp_path):
    fresh_site.site.arm("/cards/F1/5", Fault(delay=1.5), Fault(delay=1.5))
    result = run(fresh_site, tmp_path, timeout=0.5, retries=1)
    assert [(f.url, f.reason) for f in result.failed] == [
        (f"{fresh_site.url}/cards/F1/5", "timed out after 0.5 s (gave up after 2 tries)")]
    assert written_ids(tmp_path) == all_but(5)


def test_truncated_body_is_retried(fresh_site, tmp_path):
    fresh_site.site.arm("/cards/F1/6", Fault(truncate=True))
    result = run(fresh_site, tmp_path)
    assert result.failed == [] and fresh_site.site.hits["/cards/F1/6"] == 2
    assert written_ids(tmp_path) == all_but()


def test_always_truncated_body_fails_that_card(fresh_site, tmp_path):
    fresh_site.site.arm("/cards/F1/6", *[Fault(truncate=True)] * 3)
    result = run(fresh_site, tmp_path, retries=2)
    [failure] = result.failed
    assert failure.url.endswith("/cards/F1/6")
    assert failure.reason.startswith("connection closed before the whole page arrived")
    assert written_ids(tmp_path) == all_but(6)


def test_page_cut_short_in_its_html_is_reported_with_what_is_missing(fresh_site, tmp_path):
    page = fresh_site.site.pages["/cards/F1/1"]
    cut = page[: page.index(b"card-text-wrr") - 20]
    fresh_site.site.arm("/cards/F1/1", Fault(body=cut))
    result = run(fresh_site, tmp_path)
    assert [(f.url, f.reason) for f in result.failed] == [
        (f"{fresh_site.url}/cards/F1/1", "no p.card-text-wrr on the page")]
    assert written_ids(tmp_path) == all_but(1)


def test_non_utf8_page_is_decoded_and_flagged(fresh_site, served, tmp_path):
    rec = served.expected["F1"][6]  # Celebi ex: 'Pokémon' in its attack text
    page = render_card(rec, 7, None).replace("\u2019", "'").replace("\u2212", "-")
    fresh_site.site.arm("/cards/F1/7", Fault(body=page.encode("cp1252", errors="strict")))
    result = run(fresh_site, tmp_path)
    assert result.failed == []
    [warning] = result.warnings
    assert warning.url.endswith("/cards/F1/7")
    assert warning.reason.startswith("page is not valid utf-8 at byte") and "windows-1252" in warning.reason
    card = load_card_set(tmp_path / "cards" / "F1.yaml")[0].cards[6]
    assert card.attacks[0].text == rec["attacks"][0]["text"] and "é" in card.attacks[0].text


def test_robots_txt_disallowed_path_is_not_fetched(fresh_site, tmp_path):
    fresh_site.site.robots = b"User-agent: *\nDisallow: /cards/F1/8\n"
    result = run(fresh_site, tmp_path)
    assert [(f.url, f.reason) for f in result.failed] == [
        (f"{fresh_site.url}/cards/F1/8", "disallowed by robots.txt")]
    assert fresh_site.site.hits["/cards/F1/8"] == 0 and fresh_site.site.hits["/robots.txt"] == 1
    assert written_ids(tmp_path) == all_but(8)


def test_robots_txt_disallowing_everything_stops_the_crawl_cleanly(fresh_site, tmp_path):
    fresh_site.site.robots = b"User-agent: tcgc\nDisallow: /\n"
    with pytest.raises(SpecError) as err:
        run(fresh_site, tmp_path)
    assert "disallowed by robots.txt" in str(err.value)
    assert sum(n for p, n in fresh_site.site.hits.items() if p != "/robots.txt") == 0


def test_unreachable_robots_txt_means_no_crawling(fresh_site, tmp_path):
    fresh_site.site.arm("/robots.txt", *[Fault(status=500)] * 3)
    with pytest.raises(SpecError) as err:
        run(fresh_site, tmp_path, retries=2)
    assert "robots.txt unreachable" in str(err.value)


def test_interrupted_run_keeps_its_cards_and_resume_fetches_nothing_twice(fresh_site, tmp_path):
    seen = []

    def interrupt_after_three(url: str) -> None:
        seen.append(url)
        if len(seen) == 3:
            raise KeyboardInterrupt

    options = ScrapeOptions(sets=["F1"], fetch=fast_config(concurrency=1), progress=False,
                            on_card=interrupt_after_three)
    with pytest.raises(KeyboardInterrupt):
        scrape(f"{fresh_site.url}/cards", tmp_path, options)
    assert written_ids(tmp_path) == ["F1-001", "F1-002", "F1-003"]  # written although the run was interrupted

    result, _ = scrape(f"{fresh_site.url}/cards", tmp_path,
                       ScrapeOptions(sets=["F1"], resume=True, fetch=fast_config(), progress=False))
    assert result.resumed == 3 and result.failed == []
    assert written_ids(tmp_path) == all_but()
    card_hits = {p: n for p, n in fresh_site.site.hits.items() if p.startswith("/cards/F1/")}
    assert card_hits == {f"/cards/F1/{n}": 1 for n in range(1, N + 1)}
    assert fresh_site.site.hits["/cards"] == 1 and fresh_site.site.hits["/cards/F1"] == 1


def test_a_fresh_run_without_resume_rescrapes_from_the_cache(fresh_site, tmp_path):
    run(fresh_site, tmp_path)
    fresh_site.site.reset()
    result = run(fresh_site, tmp_path)
    assert result.resumed == 0 and result.requests == 0 and result.cache_hits == N + 2
    assert written_ids(tmp_path) == all_but()


def test_unknown_energy_symbol_is_reported_for_that_card_only(fresh_site, tmp_path):
    page = fresh_site.site.pages["/cards/F1/1"].replace(b'data-tooltip="Grass Energy"', b'data-tooltip="Fairy Energy"')
    fresh_site.site.arm("/cards/F1/1", Fault(body=page))
    result = run(fresh_site, tmp_path)
    assert [(f.url, f.reason) for f in result.failed] == [
        (f"{fresh_site.url}/cards/F1/1", "unknown energy symbol 'Fairy Energy'")]
    assert written_ids(tmp_path) == all_but(1)
