"""The package works as a wheel, not only as an editable install: data files travel with it."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from .conftest import ROOT

DATA_PATTERNS = {"grammar": "*.lark", "codegen_templates": "**/*.j2", "compiler": "fill/*.md"}


def test_wheel_contains_code_and_package_data(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                    str(tmp_path), str(ROOT)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("tcgc-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"compiler/cli/__init__.py", "compiler/spec/load.py", "spec_scraper/sources/jsonl.py"} <= names
    expected = {str(p.relative_to(ROOT)) for pkg, pat in DATA_PATTERNS.items() for p in (ROOT / pkg).glob(pat)}
    assert expected <= names, f"missing from the wheel: {sorted(expected - names)}"
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "tcgc = compiler.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
