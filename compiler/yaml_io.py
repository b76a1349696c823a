"""YAML reading with positions, and deterministic YAML writing.

`load_yaml` keeps ruamel's round-trip nodes so that `locate` can map a validation error's field path
(pydantic's `loc`) back to the line and column in the file.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (AliasEvent, MappingEndEvent, MappingStartEvent, ScalarEvent, SequenceEndEvent,
                                SequenceStartEvent)

from .diagnostics import Diagnostic, SpecError, display_path


def _safe_yaml() -> YAML:
    y = YAML(typ="safe")
    y.allow_duplicate_keys = False
    return y


def _rt_yaml() -> YAML:
    y = YAML(typ="rt")
    y.allow_duplicate_keys = False
    return y


def load_yaml(path: str | Path, positions: bool = True) -> Any:
    """Load a YAML file, keeping positions unless `positions=False` (faster, plain dicts and lists).

    Missing files and syntax errors raise SpecError.
    """
    path = Path(path)
    shown = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SpecError(Diagnostic(shown, "file not found")) from None
    except IsADirectoryError:
        raise SpecError(Diagnostic(shown, "is a directory, expected a YAML file")) from None
    except UnicodeDecodeError as e:
        raise SpecError(Diagnostic(shown, f"not UTF-8 text ({e.reason} at byte {e.start})")) from None
    except OSError as e:
        raise SpecError(Diagnostic(shown, f"cannot read file: {e.strerror}")) from None
    try:
        check_aliases(text, shown)
        return (_rt_yaml() if positions else _safe_yaml()).load(text)
    except MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        problem = e.problem or e.context or "invalid YAML"
        raise SpecError(Diagnostic(shown, f"YAML syntax error: {problem}", line, col)) from None
    except YAMLError as e:
        raise SpecError(Diagnostic(shown, f"YAML error: {e}")) from None


MAX_ALIAS_NODES = 100_000
"""How many nodes all the aliases of one file may stand for together (each alias counts its anchor's full size)."""


def check_aliases(text: str, shown: str) -> None:
    """Refuse aliases that nest into a huge document ("billion laughs") or into themselves, before loading.

    Walks the parser's event stream once, keeping only the expanded size of each anchor, so the check takes time
    linear in the file and memory linear in its anchors, however far the aliases would expand.
    """
    if "*" not in text:
        return
    size: dict[str, int] = {}  # anchor -> nodes its value expands to
    stack: list[list] = []  # open collections: [anchor, nodes so far]
    expanded = 0
    for ev in _safe_yaml().parse(text):
        if isinstance(ev, (SequenceStartEvent, MappingStartEvent)):
            stack.append([ev.anchor, 1])
            continue
        if isinstance(ev, (SequenceEndEvent, MappingEndEvent)):
            anchor, n = stack.pop()
            if anchor is not None:
                size[anchor] = n
        elif isinstance(ev, ScalarEvent):
            n = 1
            if ev.anchor is not None:
                size[ev.anchor] = 1
        elif isinstance(ev, AliasEvent):
            line, col = ev.start_mark.line + 1, ev.start_mark.column + 1
            if any(anchor == ev.anchor for anchor, _ in stack):
                raise SpecError(Diagnostic(shown, f"recursive alias *{ev.anchor}: a value cannot contain itself",
                                           line, col))
            if ev.anchor not in size:
                continue  # an undefined alias: the loader reports it with its position
            n = size[ev.anchor]
            expanded += n
            if expanded > MAX_ALIAS_NODES:
                raise SpecError(Diagnostic(shown, f"YAML aliases nest too deep: with *{ev.anchor} here they stand "
                                           f"for more than {MAX_ALIAS_NODES} values (nested aliases, a 'billion "
                                           "laughs' document?); write the values out instead", line, col))
        else:
            continue
        if stack:
            stack[-1][1] += n


class YamlFile:
    """A YAML file read fast (libyaml when present) for its data; positions are loaded only when an error needs them."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.shown = display_path(self.path)
        self.data = load_yaml(self.path, positions=False)
        self._nodes: Any = None

    @property
    def nodes(self) -> Any:
        """The same document with line/column information (ruamel round-trip nodes)."""
        if self._nodes is None:
            self._nodes = load_yaml(self.path)
        return self._nodes

    def locate(self, loc: tuple[Any, ...]) -> tuple[int | None, int | None]:
        return locate(self.nodes, loc)


def locate(data: Any, loc: tuple[Any, ...]) -> tuple[int | None, int | None]:
    """Line and column (1-based) of the deepest node on `loc` that exists in `data`.

    For a mapping key that is present, the key's position is used; for a missing key, the mapping's own.
    Path elements that match no key (such as the tag pydantic inserts for a discriminated union) are skipped.
    """
    node = data
    line = col = None
    if isinstance(node, (CommentedMap, CommentedSeq)) and node.lc.line is not None:
        line, col = node.lc.line + 1, node.lc.col + 1
    for part in loc:
        if isinstance(node, CommentedMap) and part in node:
            kl, kc = node.lc.key(part)
            line, col = kl + 1, kc + 1
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            il, ic = node.lc.item(part)
            line, col = il + 1, ic + 1
            node = node[part]
        elif isinstance(node, CommentedMap) and isinstance(part, str):
            continue  # a path element with no YAML node (e.g. a union tag pydantic adds): look past it
        else:
            break
    return line, col


def plain(data: Any) -> Any:
    """ruamel round-trip containers → plain dicts and lists (for validation)."""
    if isinstance(data, dict):
        return {k: plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [plain(v) for v in data]
    return data


def _flow_scalar_lists(data: Any) -> Any:
    """Lists of scalars become flow-style (`[Grass, Colorless]`); everything else stays block-style."""
    if isinstance(data, dict):
        return CommentedMap((k, _flow_scalar_lists(v)) for k, v in data.items())
    if isinstance(data, list):
        seq = CommentedSeq(_flow_scalar_lists(v) for v in data)
        if data and all(not isinstance(v, (dict, list)) for v in data):
            seq.fa.set_flow_style()
        return seq
    return data


def dump_yaml(data: Any) -> str:
    """Deterministic block-style YAML (keys in insertion order, unicode kept, no line wrapping)."""
    data = _flow_scalar_lists(data)
    y = YAML(typ="rt")
    y.default_flow_style = False
    y.allow_unicode = True
    y.width = 10_000
    y.indent(mapping=2, sequence=4, offset=2)
    buf = io.StringIO()
    y.dump(data, buf)
    return buf.getvalue()
