"""The docs stay true to the code: the paths they name exist, and shipped commands are not called future work."""

from __future__ import annotations

import re

import pytest

from compiler.cli import main

from .conftest import ROOT

DOCS = sorted((ROOT / "docs").glob("*.md"))
TOP = ("compiler", "reference", "spec_scraper", "grammar", "codegen_templates", "tests", "examples", "docs")
PATH = re.compile(r"`((?:%s)/[^`\s*]*)`" % "|".join(TOP))


@pytest.mark.parametrize("doc", DOCS, ids=[d.name for d in DOCS])
def test_paths_named_in_docs_exist(doc):
    text = doc.read_text(encoding="utf-8")
    missing = sorted({p for p in PATH.findall(text) if not (ROOT / p.split("#")[0].split(":")[0]).exists()})
    assert missing == [], f"{doc.name} names paths that do not exist: {missing}"


@pytest.mark.parametrize("doc", DOCS, ids=[d.name for d in DOCS])
def test_shipped_commands_are_not_called_future_work(doc):
    text = doc.read_text(encoding="utf-8")
    later = re.findall(r"`tcgc ([a-z-]+)[^`]*`\s*\((?:later|future|planned|not yet)", text)
    assert [c for c in later if c in main.commands] == []
