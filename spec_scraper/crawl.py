"""Crawl a card-database site: index → set pages → card pages, writing each card as soon as it is scraped.

`scrape_site` is the library entry point behind `tcgc scrape URL`. Sites are recognised by their markup
(see `sources.SITES`). Every card page either becomes a validated card or a `Failure` with its URL and reason.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup
from pydantic import TypeAdapter, ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from compiler.diagnostics import Diagnostic, SpecError
from compiler.spec import Card, CardSetFile, write_card_set

from .fetch import Fetcher, FetchConfig, FetchError
from .result import Failure, ScrapeResult
from .sources import SITES
from .sources.base import CardRef, CardSite, ExtractError, SetRef, soup_of
from .state import CardRecord, ScrapeState

_CARD = TypeAdapter(Card)
_NOT_GAME_FIELDS = ("id", "number", "rarity", "source", "first_printed")


@dataclass
class ScrapeOptions:
    sets: list[str] = field(default_factory=list)
    """Set codes to scrape; empty means every set on the index."""
    resume: bool = False
    fetch: FetchConfig = field(default_factory=FetchConfig)
    cache_dir: Path | None = None
    """HTTP cache; default: OUT/.tcgc-scrape/cache."""
    progress: bool = True
    on_card: Callable[[str], None] | None = None
    """Called with each card URL right after its record is written (tests use it to interrupt a run)."""


def validate_card(fields: dict) -> dict:
    """Validate card fields against the spec model; returns the model's JSON form. Raises ExtractError."""
    try:
        return _CARD.validate_python(fields).model_dump(mode="json", exclude_defaults=True)
    except ValidationError as err:
        e = err.errors(include_url=False)[0]
        loc = ".".join(str(p) for p in e["loc"] if p not in ("pokemon", "trainer"))
        raise ExtractError(f"invalid card ({loc}: {e['msg']})") from None


def scrape_site(index_url: str, out_dir: str | Path, options: ScrapeOptions | None = None) -> ScrapeResult:
    """Scrape the chosen sets of the site whose card index is at `index_url` into `out_dir/cards/<SET>.yaml`.

    Card-set files are written at the end and also when the run is interrupted, from the per-card records.
    """
    options = options or ScrapeOptions()
    out_dir = Path(out_dir)
    state = ScrapeState(out_dir)
    result = ScrapeResult()
    started: dict[str, SetRef] = {}
    try:
        asyncio.run(_crawl(index_url, state, options, result, started))
    except BaseException:
        result.interrupted = True
        raise
    finally:
        for code, ref in started.items():
            write_set(state, code, ref.name, out_dir, result)
    return result


def write_set(state: ScrapeState, code: str, name: str | None, out_dir: Path, result: ScrapeResult) -> None:
    """Assemble the card-set YAML of one set from its records (numbers in order, duplicate printings folded).

    Printings with the same game content (all but id, number, rarity, first_printed and source) are folded into
    the lowest number, as in the corpus."""
    records = sorted(state.load(code).values(), key=lambda r: (r.card.get("number") or 0, r.url))
    if not records:
        return  # nothing scraped (e.g. the set page failed): no empty file, the failure is reported
    kept: dict[str, dict] = {}
    by_content: dict[str, str] = {}
    for rec in records:
        card = {**rec.card, "source": rec.url}
        content = json.dumps({k: v for k, v in card.items() if k not in _NOT_GAME_FIELDS}, sort_keys=True)
        if content in by_content:
            result.collapsed.append((card["id"], by_content[content]))
            continue
        if card["id"] in kept:
            result.failed.append(Failure(rec.url, f"card id {card['id']} already taken by {kept[card['id']]['source']}"))
            continue
        by_content[content] = card["id"]
        kept[card["id"]] = card
        result.warnings.extend(Failure(rec.url, w) for w in rec.warnings)
    path = out_dir / "cards" / f"{code}.yaml"
    card_set = CardSetFile(set=code, name=name, cards=list(kept.values()))
    write_card_set(card_set, path)
    result.card_sets[code] = card_set
    result.written[code] = path
    result.cards[code] = len(kept)
    result.set_names[code] = name


async def _crawl(index_url: str, state: ScrapeState, options: ScrapeOptions, result: ScrapeResult,
                 started: dict[str, SetRef]) -> None:
    cache = options.cache_dir or state.cache_dir
    async with Fetcher(options.fetch, cache) as fetcher:
        try:
            page = await fetcher.get(index_url)
        except FetchError as e:
            raise SpecError(Diagnostic(e.url, e.reason)) from None
        site, kind, soup = detect_soup(page.text)
        if site is None or kind not in ("index", "set"):
            what = f"a {site.name} card page" if site else "no page of a known site"
            raise SpecError(Diagnostic(index_url, f"not a card index or set page ({what}); expected e.g. "
                                                  "table.sets-table or the Bulbapedia expansions list"))
        if kind == "set":
            sets = [_set_of_page(page.url, options.sets, index_url)]
        else:
            sets = _choose(site.parse_index(soup, page.url), options.sets, index_url)
        console = Console(stderr=True)
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                      console=console, disable=not options.progress, transient=False) as progress:
            for ref in sets:
                if not options.resume:
                    state.clear(ref.code)
                started[ref.code] = ref
                await _crawl_set(site, ref, fetcher, state, options, result, progress)
        result.requests, result.cache_hits = fetcher.requests, fetcher.cache_hits


def detect(html: str) -> tuple[CardSite | None, str | None]:
    """The site and page kind ('index', 'set', 'card') of a page, or (None, None)."""
    return detect_soup(html)[:2]


def detect_soup(html: str) -> tuple[CardSite | None, str | None, BeautifulSoup]:
    """`detect`, plus the parsed page (so that it is parsed once)."""
    soup = soup_of(html)
    for site in SITES:
        kind = site.detect(soup)
        if kind:
            return site, kind, soup
    return None, None, soup


def _set_of_page(url: str, wanted: list[str], target: str) -> SetRef:
    """A set page given directly: its code is --set, else the last segment of its URL."""
    if len(wanted) > 1:
        raise SpecError(Diagnostic(target, "a set page is one set: pass at most one --set"))
    code = wanted[0] if wanted else unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1])
    return SetRef(code=code, name=None, url=url)


def _choose(sets: list[SetRef], wanted: list[str], index_url: str) -> list[SetRef]:
    if not sets:
        raise SpecError(Diagnostic(index_url, "the index page lists no sets"))
    if not wanted:
        return sets
    by_code = {s.code: s for s in sets}
    by_key = {k.lower(): s for s in sets for k in (s.code, s.name or s.code)}
    missing = [w for w in wanted if w not in by_code and w.lower() not in by_key]
    if missing:
        raise SpecError(Diagnostic(index_url, f"set(s) {', '.join(missing)} not on the index; it lists: "
                                              f"{', '.join(by_code)}"))
    return [by_code.get(w) or by_key[w.lower()] for w in wanted]


async def _crawl_set(site: CardSite, ref: SetRef, fetcher: Fetcher, state: ScrapeState, options: ScrapeOptions,
                     result: ScrapeResult, progress: Progress) -> None:
    try:
        page = await fetcher.get(ref.url)
        cards = site.parse_set(soup_of(page.text), page.url, ref.code)
    except FetchError as e:
        result.failed.append(Failure(e.url, f"set page {ref.code}: {e.reason}"))
        return
    if not cards:
        result.failed.append(Failure(ref.url, f"set page {ref.code} links to no card pages"))
        return
    done = state.load(ref.code) if options.resume else {}
    todo = [c for c in cards if c.url not in done]
    result.resumed += len(cards) - len(todo)
    task = progress.add_task(f"{ref.code} ({urlsplit(ref.url).netloc})", total=len(cards),
                             completed=len(cards) - len(todo))

    async def one(card: CardRef) -> None:
        try:
            await _scrape_card(site, ref.code, card, fetcher, state, options)
        except (FetchError, ExtractError) as e:
            result.failed.append(Failure(card.url, getattr(e, "reason", None) or str(e)))
        progress.advance(task)

    await asyncio.gather(*(one(c) for c in todo))


async def _scrape_card(site: CardSite, code: str, ref: CardRef, fetcher: Fetcher, state: ScrapeState,
                       options: ScrapeOptions) -> None:
    page = await fetcher.get(ref.url)
    try:
        extracted = site.parse_card(soup_of(page.text), page.url, code, ref.number)
    except ExtractError:
        raise
    except Exception as e:  # a page shape no rule foresaw: report it for this card, never lose the others
        raise ExtractError(f"could not read the page ({type(e).__name__}: {e})") from None
    card = validate_card(extracted.card)
    state.save(code, CardRecord(ref.url, card, page.warnings + extracted.warnings))
    if options.on_card is not None:
        options.on_card(ref.url)
