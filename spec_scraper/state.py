"""The scrape's working state on disk: one record per scraped card, written atomically as soon as it is scraped.

Layout under the output folder: `.tcgc-scrape/cache/` (HTTP cache) and `.tcgc-scrape/cards/<SET>/<key>.json`
(one scraped card: its URL, fields and warnings). Card-set YAML is assembled from these records, so a crash or an
interrupt loses no scraped card, and `--resume` skips every card already recorded.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .fetch import atomic_write

STATE_DIR = ".tcgc-scrape"


@dataclass
class CardRecord:
    url: str
    card: dict
    warnings: list[str] = field(default_factory=list)


class ScrapeState:
    """Per-card records of one output folder."""

    def __init__(self, out_dir: str | Path):
        self.root = Path(out_dir) / STATE_DIR

    @property
    def cache_dir(self) -> Path:
        return self.root / "cache"

    def _set_dir(self, set_code: str) -> Path:
        return self.root / "cards" / set_code

    def clear(self, set_code: str) -> None:
        """Forget the records of a set (a fresh, non-resumed run). The HTTP cache is kept."""
        shutil.rmtree(self._set_dir(set_code), ignore_errors=True)

    def save(self, set_code: str, record: CardRecord) -> None:
        folder = self._set_dir(set_code)
        folder.mkdir(parents=True, exist_ok=True)
        key = hashlib.sha256(record.url.encode("utf-8")).hexdigest()[:24]
        data = {"url": record.url, "card": record.card, "warnings": record.warnings}
        atomic_write(folder / f"{key}.json", json.dumps(data, ensure_ascii=False).encode("utf-8"))

    def load(self, set_code: str) -> dict[str, CardRecord]:
        """Records of a set by URL; unreadable files (there should be none: writes are atomic) are skipped."""
        out = {}
        folder = self._set_dir(set_code)
        for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                out[data["url"]] = CardRecord(data["url"], data["card"], data.get("warnings", []))
            except (OSError, ValueError, KeyError):
                continue
        return out
