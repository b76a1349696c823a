"""`tcgc scrape` as a library call: a URL (crawl) or a PATH (dump or saved page) → card-set YAML + spec.yaml."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from compiler.diagnostics import Diagnostic, SpecError, display_path
from compiler.spec import CardSetFile, write_card_set

from .crawl import ScrapeOptions, scrape_site
from .fetch import Fetcher, FetchError
from .local import read_local
from .output import write_spec
from .result import Failure, ScrapeResult
from .sources.base import soup_of
from .sources.rules import RuleFinding, find_rules
from .state import ScrapeState


def is_url(target: str) -> bool:
    return target.startswith(("http://", "https://"))


def scrape(target: str, out_dir: str | Path, options: ScrapeOptions | None = None, rules: str | None = None,
           name: str | None = None) -> tuple[ScrapeResult, list[CardSetFile]]:
    """Scrape `target` into `out_dir`: cards/<SET>.yaml and spec.yaml. Returns the result and the sets written."""
    options = options or ScrapeOptions()
    out_dir = Path(out_dir)
    if name is not None and not re.match(r"^[a-z][a-z0-9_]*$", name):
        raise SpecError(Diagnostic("--name", f"{name!r} is not a valid engine name (lower-case letters, digits and "
                                             "_, starting with a letter)"))
    findings, missing = read_rules(rules, out_dir, options) if rules else ([], [])
    if is_url(target):
        result = scrape_site(target, out_dir, options)
    else:
        if len(options.sets) > 1:
            raise SpecError(Diagnostic(display_path(target), "a file holds one set: pass at most one --set"))
        card_set, warnings = read_local(target, options.sets[0] if options.sets else None)
        path = out_dir / "cards" / f"{card_set.set}.yaml"
        write_card_set(card_set, path)
        result = ScrapeResult(written={card_set.set: path}, cards={card_set.set: len(card_set.cards)},
                              set_names={card_set.set: card_set.name}, card_sets={card_set.set: card_set},
                              warnings=[Failure(display_path(target), w) for w in warnings])
    result.rules_found, result.rules_missing = findings, missing
    card_sets = list(result.card_sets.values())
    if result.written:
        result.spec_path = write_spec(out_dir, list(result.written.values()), findings, target, name, rules,
                                      missing)
    return result, card_sets


def read_rules(source: str, out_dir: Path, options: ScrapeOptions) -> tuple[list[RuleFinding], list[str]]:
    """Rule sentences from a rules page (URL, fetched politely and cached, or a saved file)."""
    if is_url(source):
        async def fetch() -> str:
            async with Fetcher(options.fetch, options.cache_dir or ScrapeState(out_dir).cache_dir) as f:
                return (await f.get(source)).text
        try:
            text = asyncio.run(fetch())
        except FetchError as e:
            raise SpecError(Diagnostic(e.url, f"rules page: {e.reason}")) from None
    else:
        try:
            text = Path(source).read_bytes().decode("utf-8", errors="replace")
        except OSError as e:
            raise SpecError(Diagnostic(display_path(source), f"cannot read rules page: {e.strerror}")) from None
    return find_rules(soup_of(text))

