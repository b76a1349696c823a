"""`tcgc scrape URL|PATH --set A1 -o DIR`: card-database pages or dumps → card-set YAML + spec.yaml."""

from __future__ import annotations

import sys

import click

from spec_scraper.crawl import ScrapeOptions
from spec_scraper.fetch import FetchConfig
from spec_scraper.scrape import scrape
from spec_scraper.summary import format_summary


@click.command("scrape")
@click.argument("target")
@click.option("-o", "--out", "out", required=True, type=click.Path(file_okay=False), help="Output folder.")
@click.option("--set", "sets", multiple=True, help="Set code to scrape (repeatable; default: every set listed).")
@click.option("--resume", is_flag=True, help="Keep the cards an interrupted run already scraped.")
@click.option("--rules", help="A rules page (URL or saved file) to read rule overrides from.")
@click.option("--name", help="Engine name in spec.yaml (default: from the output folder).")
@click.option("--delay", type=click.FloatRange(min=0), default=1.0, show_default=True, help="Seconds between requests to one host.")
@click.option("--concurrency", type=click.IntRange(1, 16), default=4, show_default=True,
              help="Requests in flight to one host.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=20.0, show_default=True, help="Seconds before a request times out.")
@click.option("--retries", type=click.IntRange(0, 10), default=4, show_default=True, help="Retries per page.")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False), help="HTTP cache folder "
              "(default: OUT/.tcgc-scrape/cache).")
@click.option("--progress/--no-progress", default=True, help="Show a progress bar.")
def command(target: str, out: str, sets: tuple[str, ...], resume: bool, rules: str | None, name: str | None,
            delay: float, concurrency: int, timeout: float, retries: int, cache_dir: str | None,
            progress: bool) -> None:
    """Scrape cards from TARGET (the card index URL of a card database, or a JSON/JSONL dump or saved card page)
    into OUT/cards/<SET>.yaml and OUT/spec.yaml. Exit 1 when some cards failed (each is listed with its URL)."""
    options = ScrapeOptions(
        sets=list(sets), resume=resume, progress=progress and sys.stderr.isatty(), cache_dir=cache_dir,
        fetch=FetchConfig(min_interval=delay, concurrency=concurrency, timeout=timeout, retries=retries))
    try:
        result, card_sets = scrape(target, out, options, rules, name)
    except KeyboardInterrupt:
        click.echo("interrupted: the cards scraped so far are written; rerun with --resume to continue", err=True)
        sys.exit(130)
    click.echo(format_summary(result, card_sets))
    if result.failed:
        sys.exit(1)
