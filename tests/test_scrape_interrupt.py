"""A real interrupt: `tcgc scrape` in a subprocess gets SIGINT mid-run, keeps its cards, and --resume finishes."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from click.testing import CliRunner

from compiler.cli import main
from compiler.spec import load_card_set
from spec_scraper.state import STATE_DIR
from tests.conftest import ROOT
from tests.fixtures_site.fixtures import fresh_site, served  # noqa: F401 (fixtures)
from tests.fixtures_site.server import Fault


def test_sigint_keeps_scraped_cards_and_resume_fetches_nothing_twice(fresh_site, tmp_path):
    site = fresh_site.site
    for n in range(1, 9):
        site.arm(f"/cards/F1/{n}", Fault(delay=0.15))
    args = ["scrape", f"{fresh_site.url}/cards", "--set", "F1", "-o", str(tmp_path), "--delay", "0",
            "--concurrency", "1", "--no-progress"]
    proc = subprocess.Popen([sys.executable, "-c", "from compiler.cli import main; main()", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    records = tmp_path / STATE_DIR / "cards" / "F1"
    deadline = time.monotonic() + 30
    while len(list(records.glob("*.json"))) < 3 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "interrupted: the cards scraped so far are written; rerun with --resume" in err
    kept = [c.id for c in load_card_set(tmp_path / "cards" / "F1.yaml")[0].cards]
    assert 3 <= len(kept) < 8 and kept == [f"F1-{n:03d}" for n in range(1, len(kept) + 1)]

    with site.lock:
        site.faults.clear()
    res = CliRunner().invoke(main, [*args, "--resume"])
    assert res.exit_code == 0, res.output
    assert f"cards written: 8 ({len(kept)} from the earlier run)" in res.output
    assert [c.id for c in load_card_set(tmp_path / "cards" / "F1.yaml")[0].cards] == [f"F1-{n:03d}" for n in range(1, 9)]
    for n in range(1, len(kept) + 1):
        assert site.hits[f"/cards/F1/{n}"] == 1  # kept cards were never fetched again
    assert site.hits["/cards"] == 1 and site.hits["/cards/F1"] == 1  # index and set page came from the cache
