"""fills.yaml: the effects the grammar can't parse, given as IR by an agent or a person, with their provenance.

One entry per distinct (kind, text). Loading is strict like every spec file (unknown keys, wrong types, an IR that
does not validate, a kind the IR does not fit, a duplicate text, an Unresolved node: each an error with file, line,
column and field). Writing is deterministic and atomic, so an interrupted `tcgc fill` never leaves a half-written
file. A fill replaces the Unresolved node of its text in `compiler.pool.card_irs`, the one function that gives both
engines the pool's IR.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator

from .. import ir
from ..ir import AnyTop
from ..diagnostics import Diagnostic, SpecError, display_path
from ..spec.base import StrictModel
from ..yaml_io import YamlFile, dump_yaml, locate

Kind = Literal["attack", "ability", "trainer"]
FORMAT_VERSION = 1
TOP_OPS: dict[str, tuple[str, ...]] = {"attack": ("attack",), "ability": ("activated", "passive", "triggered"),
                                       "trainer": ("trainer", "tool", "fossil")}
"""The top-level IR ops a fill of each kind may have."""


class Tokens(StrictModel):
    prompt: int = Field(0, ge=0)
    completion: int = Field(0, ge=0)


class Fill(StrictModel):
    """One filled effect text: its IR and where it came from."""

    kind: Kind
    text: str = Field(min_length=1, description="The printed effect text, exactly as in the card set.")
    ir: AnyTop = Field(description="The effect as IR (the JSON/YAML form of compiler/ir.py's nodes).")
    rendering: str | None = Field(None, description="The IR's canonical English, for review.")
    provider: str = Field("human", description="Who wrote it: a provider (openai:URL, command:ARGV, replay:FILE) "
                                               "or 'human'.")
    model: str | None = None
    time: str | None = Field(None, description="When it was accepted (ISO 8601, UTC).")
    prompt_hash: str | None = Field(None, description="sha256 of the first prompt sent for this text.")
    attempts: int | None = Field(None, ge=1, description="Answers asked for until this one was accepted.")
    checks: dict[str, str] = Field(default_factory=dict, description="Each check of compiler/fill/check.py and "
                                                                     "its result ('skipped' when not run).")
    tokens: Tokens | None = None
    reviewed: bool = Field(False, description="A person compared the text and the rendering (tcgc fill --review).")

    @field_validator("ir")
    @classmethod
    def _resolved(cls, v):
        from .. import ir

        if ir.has_unresolved(v):
            raise ValueError("a fill can't contain an Unresolved node")
        return v

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.text)


class FillsFile(StrictModel):
    """The whole fills.yaml."""

    format_version: int = Field(FORMAT_VERSION, ge=1, le=FORMAT_VERSION)
    fills: list[Fill] = Field(default_factory=list)


@dataclass
class FillSet:
    """The fills of a spec, by (kind, text); `line` gives the line of each entry in its file (for messages)."""

    fills: list[Fill] = field(default_factory=list)
    path: Path | None = None
    lines: dict[tuple[str, str], int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_key = {f.key: f for f in self.fills}

    def get(self, kind: str, text: str | None) -> Fill | None:
        return self.by_key.get((kind, text)) if text else None

    def __len__(self) -> int:
        return len(self.fills)

    def put(self, fill: Fill) -> None:
        """Add or replace the fill of its text."""
        old = self.by_key.get(fill.key)
        if old is not None:
            self.fills[self.fills.index(old)] = fill
        else:
            self.fills.append(fill)
        self.by_key[fill.key] = fill

    def remove(self, key: tuple[str, str]) -> None:
        f = self.by_key.pop(key, None)
        if f is not None:
            self.fills.remove(f)

    def where(self, key: tuple[str, str]) -> str:
        shown = display_path(self.path) if self.path else "fills"
        return f"{shown}:{self.lines[key]}" if key in self.lines else shown


def ir_data(node: Any) -> Any:
    """An IR node as plain data for YAML/JSON: fields at their default left out, `op` always kept."""
    if isinstance(node, ir.Node):
        out = {}
        for name, f in type(node).model_fields.items():
            v = getattr(node, name)
            if name == "op" or v != f.default:
                out[name] = ir_data(v)
        return out
    if isinstance(node, (tuple, list)):
        return [ir_data(x) for x in node]
    return node


def load_fills(path: str | Path) -> FillSet:
    """Load and check fills.yaml; SpecError lists every problem with its line and field."""
    yf = YamlFile(path)
    if yf.data is None:
        return FillSet([], Path(path))
    if not isinstance(yf.data, dict):
        raise SpecError(Diagnostic(yf.shown, "a fills file must be a mapping with 'format_version' and 'fills'", 1,
                                   1))
    from ..spec.load import validation_diagnostics

    try:
        model = FillsFile.model_validate(yf.data)
    except ValidationError as err:
        raise SpecError(validation_diagnostics(yf.shown, yf.nodes, err)) from None
    diags: list[Diagnostic] = []
    lines: dict[tuple[str, str], int] = {}
    for i, f in enumerate(model.fills):
        line, col = yf.locate(("fills", i, "text"))
        if f.key in lines:
            diags.append(Diagnostic(yf.shown, f"a second fill of this {f.kind} text (the first is at line "
                                    f"{lines[f.key]})", line, col, f"fills[{i}].text"))
            continue
        lines[f.key] = line or 0
        why = fill_problem(f.kind, f.ir)
        if why:
            line, col = yf.locate(("fills", i, "ir"))
            diags.append(Diagnostic(yf.shown, why, line, col, f"fills[{i}].ir"))
    if diags:
        raise SpecError(diags)
    return FillSet(list(model.fills), Path(path), lines)


def fill_problem(kind: str, node: ir.Node) -> str | None:
    """Why an IR can't be the fill of a text of `kind` on its own (any card): a top-level op the kind can't have,
    or a reading the front end's checks refuse (a coin result without a flip, 'it' with nothing to refer to)."""
    from ..parse.checks import check
    from ..parse.transform import Unsupported

    if node.op not in TOP_OPS[kind]:
        return f"an {kind} text's IR must have op {' or '.join(TOP_OPS[kind])}, not {node.op!r}"
    try:
        check(node)
    except Unsupported as e:
        return f"the IR is refused by the front end's checks: {e}"
    return None


def fill_name_diagnostics(fills: FillSet, names, used: set[tuple[str, str]]) -> list[Diagnostic]:
    """Every card, attack or Ability name that a fill in use names and no card of the pool prints (located at the
    fill's `ir`)."""
    from ..pool import unknown_names

    out = []
    nodes = YamlFile(fills.path).nodes if fills.path else None
    for i, f in enumerate(fills.fills):
        if f.key not in used:
            continue
        for msg in unknown_names(f.ir, names):
            line, col = locate(nodes, ("fills", i, "ir")) if nodes is not None else (None, None)
            out.append(Diagnostic(display_path(fills.path) if fills.path else "fills", f"the fill {msg}", line, col,
                                  f"fills[{i}].ir"))
    return out


def dump_fills(fills: FillSet) -> str:
    """fills.yaml text: entries sorted by kind and text, so that a re-run gives the same file."""
    entries = []
    for f in sorted(fills.fills, key=lambda f: (f.kind, f.text)):
        d = f.model_dump(mode="json", exclude_none=True)
        d["ir"] = ir_data(f.ir)
        if not d.get("checks"):
            d.pop("checks", None)
        entries.append(d)
    return ("# Effects the grammar can't parse, as IR: written by `tcgc fill`, checked before they are written "
            "(docs/fill.md).\n" + dump_yaml({"format_version": FORMAT_VERSION, "fills": entries}))


def save_fills(fills: FillSet, path: str | Path | None = None) -> Path:
    """Write fills.yaml atomically (a temporary file in the same folder, then a rename)."""
    path = Path(path or fills.path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".fills-", suffix=".yaml", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(dump_fills(fills))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fills.path = path
    return path
