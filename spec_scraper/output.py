"""Writing spec.yaml for scraped card sets, with each scraped rule commented with the sentence it came from."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from compiler.spec import GameSpec
from compiler.yaml_io import check_aliases

from .fetch import atomic_write
from .sources.rules import RuleFinding


def spec_name(out_dir: Path) -> str:
    """A valid engine name derived from the output folder's name."""
    name = re.sub(r"[^a-z0-9_]+", "_", Path(out_dir).resolve().name.lower()).strip("_")
    return name if re.match(r"^[a-z]", name) else f"scraped_{name}".rstrip("_")


def write_spec(out_dir: Path, set_files: list[Path], findings: list[RuleFinding], source: str,
               name: str | None = None, rules_source: str | None = None, rules_missing: list[str] = ()) -> Path:
    """Write OUT/spec.yaml naming the card-set files (relative paths) and the rule overrides found.

    An existing spec.yaml there (from an earlier scrape into the same folder) keeps its card sets that still
    exist, its name, and its rules when this run read no rules page.
    """
    out_dir = Path(out_dir)
    old = _old_spec(out_dir / "spec.yaml")
    name = name or old.get("name") or spec_name(out_dir)
    files = [f for f in old.get("card_sets", []) if (out_dir / f).is_file()]
    files += [f for f in (os.path.relpath(p, out_dir).replace(os.sep, "/") for p in set_files) if f not in files]
    GameSpec(name=name, card_sets=files)  # fail here, not in the user's next command, on a bad name
    overrides = CommentedMap()
    for f in findings:
        *parents, leaf = f.field.split(".")
        node = overrides
        for p in parents:
            node = node.setdefault(p, CommentedMap())
        node[leaf] = f.value
        node.yaml_add_eol_comment(f"\"{f.sentence}\"", leaf)
    rules = old["rules"] if not findings and isinstance(old.get("rules"), CommentedMap) else CommentedMap(
        preset="pocket", overrides=overrides)
    doc = CommentedMap(name=name, format_version=1, rules=rules, card_sets=files)
    header = f"Scraped by `tcgc scrape` from {source}"
    if rules_source:
        header += f"\nrules from {rules_source}"
        if rules_missing:
            header += f"\nnot stated there (preset value kept): {', '.join(rules_missing)}"
    doc.yaml_set_start_comment(header)
    yaml = YAML()
    yaml.default_flow_style = False
    buf = io.StringIO()
    yaml.dump(doc, buf)
    path = out_dir / "spec.yaml"
    out_dir.mkdir(parents=True, exist_ok=True)
    atomic_write(path, buf.getvalue().encode("utf-8"))
    return path


def _old_spec(path: Path) -> dict:
    """The spec.yaml already in the output folder (round-trip, comments kept), or {} when none or unreadable."""
    try:
        text = path.read_text(encoding="utf-8")
        check_aliases(text, str(path))
        data = YAML().load(text)
    except Exception:  # absent, broken or an alias bomb: start afresh
        return {}
    return data if isinstance(data, dict) else {}
