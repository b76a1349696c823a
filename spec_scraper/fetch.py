"""Polite, resumable HTTP fetching for the scraper.

`Fetcher` wraps an httpx.AsyncClient with: timeouts; retries with exponential backoff on connection errors,
timeouts, truncated bodies, 5xx and 429 (honouring Retry-After, capped); a per-host rate limit and concurrency
limit; an honest User-Agent; robots.txt (RFC 9309: a 4xx robots.txt allows everything, an unreachable one forbids
everything; Crawl-delay is honoured); and an on-disk cache keyed by URL, written atomically, so that a re-run or
an interrupted run fetches nothing twice. Every failure is a `FetchError` naming the URL and the reason.
"""

from __future__ import annotations

import asyncio
import email.utils
import hashlib
import json
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from compiler import __version__

USER_AGENT = f"tcgc/{__version__} (+https://github.com/tcgc/tcgc; card-spec scraper)"


@dataclass(frozen=True)
class FetchConfig:
    """Politeness and robustness settings. Tests shrink the delays; the defaults suit a real site."""

    user_agent: str = USER_AGENT
    timeout: float = 20.0
    """Seconds for connect, read and write each."""
    retries: int = 4
    """Extra attempts after the first, for retryable failures."""
    backoff: float = 1.0
    """Seconds before the first retry; doubles on each further retry."""
    max_backoff: float = 60.0
    max_retry_after: float = 120.0
    """Cap on a server's Retry-After (seconds)."""
    min_interval: float = 1.0
    """Seconds between the starts of two requests to the same host."""
    concurrency: int = 4
    """Requests in flight to one host at a time."""
    max_crawl_delay: float = 30.0
    """Cap on a robots.txt Crawl-delay."""


@dataclass
class Page:
    """A fetched page: its text and how it was obtained. `url` is where it was found (after redirects)."""

    url: str
    text: str
    from_cache: bool
    warnings: list[str] = field(default_factory=list)


class FetchError(Exception):
    """A page that could not be fetched; `reason` says why (HTTP status, timeout, robots.txt...)."""

    def __init__(self, url: str, reason: str):
        self.url, self.reason = url, reason
        super().__init__(f"{url}: {reason}")


class _Retry(Exception):
    def __init__(self, reason: str, wait: float | None = None):
        self.reason, self.wait = reason, wait


@dataclass
class _Host:
    sem: asyncio.Semaphore
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    next_start: float = 0.0
    interval: float = 0.0
    robots: RobotFileParser | None = None
    robots_error: str | None = None
    robots_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    robots_done: bool = False


class PageCache:
    """Fetched bodies on disk, keyed by URL (sha256), each written to a temp file and renamed into place."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def _paths(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()
        base = self.root / key[:2] / key
        return base.with_suffix(".body"), base.with_suffix(".json")

    def get(self, url: str) -> tuple[bytes, str | None, str] | None:
        """The cached body, content type and final URL (after redirects), or None. A half-written entry (no meta
        yet) counts as absent."""
        body, meta = self._paths(url)
        try:
            info = json.loads(meta.read_text(encoding="utf-8"))
            return body.read_bytes(), info.get("content_type"), info.get("final_url") or url
        except (OSError, ValueError):
            return None

    def put(self, url: str, body: bytes, content_type: str | None, final_url: str) -> None:
        body_path, meta_path = self._paths(url)
        body_path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(body_path, body)
        meta = {"url": url, "final_url": final_url, "content_type": content_type,
                "fetched": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        atomic_write(meta_path, json.dumps(meta).encode("utf-8"))


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` via a temp file in the same folder and a rename: never a half-written file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def decode_body(body: bytes, content_type: str | None) -> tuple[str, list[str]]:
    """Bytes → text by the declared charset (default UTF-8); bytes that are not valid in it fall back to
    windows-1252 with a warning, never silently replaced."""
    declared = None
    if content_type:
        m = re.search(r"charset=\"?([\w-]+)", content_type, re.I)
        declared = m.group(1) if m else None
    if declared is None:
        m = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", body[:2048], re.I)
        declared = m.group(1).decode("ascii") if m else "utf-8"
    try:
        return body.decode(declared), []
    except (UnicodeDecodeError, LookupError) as e:
        where = f" at byte {e.start}" if isinstance(e, UnicodeDecodeError) else ""
        return body.decode("cp1252", errors="replace"), [
            f"page is not valid {declared}{where}; decoded as windows-1252"]


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds (it may be a number or an HTTP date); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class Fetcher:
    """Use as `async with Fetcher(config, cache_dir) as f: page = await f.get(url)`."""

    def __init__(self, config: FetchConfig | None = None, cache_dir: str | Path | None = None):
        self.config = config or FetchConfig()
        self.cache = PageCache(Path(cache_dir)) if cache_dir else None
        self.requests = 0
        """Network requests made (robots.txt included)."""
        self.cache_hits = 0
        self._hosts: dict[str, _Host] = {}
        self._client: httpx.AsyncClient | None = None

    async def __aenter__(self) -> "Fetcher":
        cfg = self.config
        self._client = httpx.AsyncClient(
            headers={"User-Agent": cfg.user_agent}, timeout=httpx.Timeout(cfg.timeout), follow_redirects=True,
            limits=httpx.Limits(max_connections=max(8, cfg.concurrency * 2)))
        return self

    async def __aexit__(self, *exc) -> None:
        if self._client is not None:
            await self._client.aclose()

    def _host(self, url: str) -> _Host:
        netloc = urlsplit(url).netloc
        if netloc not in self._hosts:
            self._hosts[netloc] = _Host(asyncio.Semaphore(self.config.concurrency), interval=self.config.min_interval)
        return self._hosts[netloc]

    async def get(self, url: str) -> Page:
        """The page at `url`, from the cache when there; raises FetchError with the reason otherwise."""
        url = urldefrag(url).url
        if self.cache is not None:
            hit = self.cache.get(url)
            if hit is not None:
                self.cache_hits += 1
                text, warnings = decode_body(hit[0], hit[1])
                return Page(hit[2], text, True, warnings)
        host = self._host(url)
        await self._check_robots(url, host)
        body, content_type, final_url = await self._fetch(url, host)
        if self.cache is not None:
            self.cache.put(url, body, content_type, final_url)
        text, warnings = decode_body(body, content_type)
        return Page(final_url, text, False, warnings)

    async def _fetch(self, url: str, host: _Host) -> tuple[bytes, str | None, str]:
        cfg = self.config
        for attempt in range(cfg.retries + 1):
            try:
                return await self._attempt(url, host)
            except _Retry as r:
                if attempt == cfg.retries:
                    tries = "try" if attempt == 0 else "tries"
                    raise FetchError(url, f"{r.reason} (gave up after {attempt + 1} {tries})") from None
                backoff = min(cfg.max_backoff, cfg.backoff * 2**attempt)
                await asyncio.sleep(min(cfg.max_retry_after, r.wait) if r.wait is not None else backoff)
        raise AssertionError("unreachable")

    async def _attempt(self, url: str, host: _Host) -> tuple[bytes, str | None, str]:
        async with host.sem:
            async with host.lock:
                now = time.monotonic()
                if host.next_start > now:
                    await asyncio.sleep(host.next_start - now)
                host.next_start = time.monotonic() + host.interval
            self.requests += 1
            try:
                resp = await self._client.get(url)
            except httpx.TimeoutException:
                raise _Retry(f"timed out after {self.config.timeout:g} s") from None
            except httpx.RemoteProtocolError as e:
                raise _Retry(f"connection closed before the whole page arrived ({e})") from None
            except httpx.TransportError as e:
                raise _Retry(f"connection error: {type(e).__name__}: {e}") from None
        status = resp.status_code
        if status == 200:
            return resp.content, resp.headers.get("content-type"), str(resp.url)
        if status == 429 or status >= 500:
            raise _Retry(f"HTTP {status}", retry_after_seconds(resp.headers.get("retry-after")))
        raise FetchError(url, f"HTTP {status}")

    async def _check_robots(self, url: str, host: _Host) -> None:
        async with host.robots_lock:
            if not host.robots_done:
                await self._load_robots(url, host)
                host.robots_done = True
        if host.robots_error is not None:
            raise FetchError(url, host.robots_error)
        if host.robots is not None and not host.robots.can_fetch(self.config.user_agent, url):
            raise FetchError(url, "disallowed by robots.txt")

    async def _load_robots(self, url: str, host: _Host) -> None:
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        try:
            body, content_type, _ = await self._fetch(robots_url, host)
        except FetchError as e:
            if re.match(r"HTTP 4\d\d$", e.reason):
                return  # no robots.txt: everything is allowed
            host.robots_error = f"robots.txt unreachable, so the site is not crawled ({e.reason})"
            return
        parser = RobotFileParser(robots_url)
        parser.parse(decode_body(body, content_type)[0].splitlines())
        host.robots = parser
        delay = parser.crawl_delay(self.config.user_agent)
        if delay:
            host.interval = max(host.interval, min(float(delay), self.config.max_crawl_delay))
