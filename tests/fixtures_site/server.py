"""A real HTTP server on 127.0.0.1 serving pages from memory, with faults that tests arm per path."""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


@dataclass
class Fault:
    """What to do instead of serving a page normally: once per request, in the order armed."""

    status: int | None = None
    retry_after: str | None = None
    delay: float = 0.0
    truncate: bool = False
    body: bytes | None = None
    location: str | None = None
    """A redirect target (with a 3xx status)."""
    content_type: str = "text/html; charset=utf-8"


@dataclass
class Site:
    """Pages by path, faults armed by path, and a count of requests per path."""

    pages: dict[str, bytes]
    robots: bytes | None = None
    faults: dict[str, list[Fault]] = field(default_factory=lambda: defaultdict(list))
    hits: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)
    in_flight: int = 0
    max_in_flight: int = 0
    user_agents: set = field(default_factory=set)
    started: list = field(default_factory=list)
    """Monotonic start time of each request, in arrival order."""

    def arm(self, path: str, *faults: Fault) -> None:
        with self.lock:
            self.faults[path].extend(faults)

    def next_fault(self, path: str, user_agent: str | None) -> Fault | None:
        with self.lock:
            self.hits[path] += 1
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            self.user_agents.add(user_agent)
            self.started.append(time.monotonic())
            queue = self.faults.get(path)
            return queue.pop(0) if queue else None

    def done(self) -> None:
        with self.lock:
            self.in_flight -= 1

    def reset(self) -> None:
        with self.lock:
            self.faults.clear()
            self.hits.clear()
            self.max_in_flight = 0
            self.user_agents.clear()
            self.started.clear()


def _handler(site: Site):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # keep test output quiet
            pass

        def do_GET(self) -> None:
            try:
                self._get()
            finally:
                site.done()

        def _get(self) -> None:
            path = urlsplit(self.path).path
            fault = site.next_fault(path, self.headers.get("User-Agent")) or Fault()
            if fault.delay:
                time.sleep(fault.delay)
            if path == "/robots.txt":
                body, status = site.robots, 200 if site.robots is not None else 404
                body = body or b"not found"
            else:
                body = site.pages.get(path)
                status = 200 if body is not None else 404
                body = body if body is not None else b"<html><body>not found</body></html>"
            if fault.body is not None:
                body = fault.body
            if fault.status is not None:
                status, body = fault.status, b"<html><body>error</body></html>"
            try:
                self.send_response(status)
                self.send_header("Content-Type", fault.content_type)
                self.send_header("Content-Length", str(len(body)))
                if fault.retry_after is not None:
                    self.send_header("Retry-After", fault.retry_after)
                if fault.location is not None:
                    self.send_header("Location", fault.location)
                self.end_headers()
                self.wfile.write(body[: len(body) // 2] if fault.truncate else body)
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True

    return Handler


class SiteServer:
    """`with SiteServer(site) as srv:` serves `site` at `srv.url` (http://127.0.0.1:PORT) in a thread."""

    def __init__(self, site: Site):
        self.site = site
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> "SiteServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
