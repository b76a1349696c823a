"""The two things `tcgc diff` compares: a spec (spec.yaml with its card sets), a build directory (MANIFEST.json,
written by `tcgc build`), or a spec as it was at a git revision (`--git REV`).

A spec gives everything: rules, cards field by field, each effect's IR, and the engine interface of the reference
engine (action names, canonical state and observation layout). A build directory gives what its MANIFEST.json
records: rules, card ids and names with their indices, the cards the build refused, the decks, and the interface.
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, SpecError, display_path

MANIFEST = "MANIFEST.json"
MANIFEST_FIELDS = {"action_layout": list, "observation_shape": list, "cards": list, "rules": dict}
"""Fields of MANIFEST.json that the diff needs, with their JSON type."""


@dataclass
class Interface:
    """What code outside the engine sees: action names in index order, the observation layout as (field, size)
    in order, the canonical state fields (name -> [shape, dtype]; None when unknown) and card indices by id."""

    name: str
    actions: list[str]
    observation: list[tuple[str, int]] | None
    observation_size: int | None
    state: dict[str, list] | None
    card_index: dict[str, int]


@dataclass
class Side:
    """One side of the diff. `loaded` is set for a spec, `manifest` for a build directory."""

    label: str
    kind: str  # "spec" | "build"
    path: Path
    loaded: Any = None
    manifest: dict | None = None
    _engine: Any = field(default=None, repr=False)
    _irs: Any = field(default=None, repr=False)

    @property
    def is_spec(self) -> bool:
        return self.kind == "spec"

    def engine(self):
        """The reference engine of a spec (built once)."""
        if self._engine is None:
            from reference import Engine

            self._engine = Engine.from_spec(self.loaded)
        return self._engine

    def card_irs(self) -> dict[str, Any]:
        """Card id -> its CardIR (or the front end's exception), as the pool gives it to both engines."""
        if self._irs is None:
            from ..pool import card_irs

            cards = list(self.loaded.cards.values())
            self._irs = {c.id: r for c, r in zip(cards, card_irs(cards))}
        return self._irs

    def rules(self) -> dict:
        """The resolved rules as a JSON-like dict shaped like RulesSpec (nested groups nested)."""
        return self.loaded.rules.model_dump(mode="json") if self.is_spec else manifest_rules(self.manifest["rules"])

    def cards(self) -> list[tuple[str, str]]:
        """(id, name) of every card of the pool, in index order."""
        if self.is_spec:
            return [(c.id, c.name) for c in self.loaded.cards.values()]
        return [(c["id"], str(c.get("name", ""))) for c in sorted(self.manifest["cards"], key=lambda c: c["index"])]

    def refused(self) -> dict[str, str]:
        """Card id -> first reason, for the cards a build left out of its package."""
        return {r["id"]: (r.get("reasons") or [""])[0] for r in self.manifest.get("refused") or []
                if isinstance(r, dict) and "id" in r}

    def interface(self) -> Interface:
        return _spec_interface(self) if self.is_spec else _manifest_interface(self)


def load_side(path: str | Path, label: str | None = None) -> Side:
    """A spec file, a build directory (or its MANIFEST.json), or a folder holding spec.yaml; SpecError otherwise."""
    from ..spec import load_spec

    p = Path(path)
    shown = label or display_path(p)
    if not p.exists():
        raise SpecError(Diagnostic(shown, "no such file or directory (give a spec.yaml or a build directory with "
                                          f"{MANIFEST})"))
    if p.is_dir():
        if (p / MANIFEST).is_file():
            return Side(shown, "build", p, manifest=load_manifest(p / MANIFEST))
        if (p / "spec.yaml").is_file():
            p = p / "spec.yaml"
        else:
            raise SpecError(Diagnostic(shown, f"a directory without {MANIFEST} (written by tcgc build) or spec.yaml"))
    if p.suffix == ".json":
        return Side(shown, "build", p.parent, manifest=load_manifest(p))
    return Side(shown, "spec", p, loaded=load_spec(p))


def load_manifest(path: Path) -> dict:
    """MANIFEST.json, checked for the fields the diff reads."""
    shown = display_path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise SpecError(Diagnostic(shown, "not UTF-8 text")) from None
    except json.JSONDecodeError as e:
        raise SpecError(Diagnostic(shown, f"not JSON: {e.msg}", e.lineno, e.colno)) from None
    if not isinstance(data, dict):
        raise SpecError(Diagnostic(shown, "a MANIFEST.json is a JSON object (written by tcgc build)"))
    diags = [Diagnostic(shown, f"missing or not a {t.__name__} (is this a MANIFEST.json written by tcgc build?)",
                        field=k) for k, t in MANIFEST_FIELDS.items() if not isinstance(data.get(k), t)]
    if not diags:
        for i, c in enumerate(data["cards"]):
            if not (isinstance(c, dict) and isinstance(c.get("id"), str) and isinstance(c.get("index"), int)):
                diags.append(Diagnostic(shown, "a card is an object with index, id and name", field=f"cards[{i}]"))
                break
    if diags:
        raise SpecError(diags)
    return data


def manifest_rules(rules: dict) -> dict:
    """A build's recorded rules in RulesSpec's shape. MANIFEST.json keeps the runtime's constants, where a nested
    group's fields may sit at the top level (first_turn) or under the group's name; other keys are left out."""
    from ..spec import RulesSpec

    out: dict = {}
    for k, v in RulesSpec().model_dump(mode="json").items():
        if isinstance(v, dict):
            group = rules.get(k) if isinstance(rules.get(k), dict) else {}
            out[k] = {f: group.get(f, rules.get(f)) for f in v if f in group or f in rules}
        elif k in rules:
            out[k] = rules[k]
    return out


def _spec_interface(side: Side) -> Interface:
    """The reference engine's interface: the layout a generated engine of this spec has by construction."""
    import numpy as np

    from reference.engine import Deck
    from reference.export import encode_observation, state_layout

    eng = side.engine()
    state = {k: [list(shape), str(dt)] for k, (shape, dt) in state_layout(eng).fields().items()}
    obs = None
    if len(eng.db):  # any two decks give the layout: one card repeated
        deck = Deck("layout", (0,), (0,) * eng.rules.deck_size)
        o = encode_observation(eng.init([deck, deck], 0), 0)
        obs = [(k, int(np.prod(v.shape))) for k, v in o.items()]
    return Interface(side.loaded.spec.name, eng.action_names(), obs, sum(n for _, n in obs) if obs else None, state,
                     {c.id: c.index for c in eng.db.cards})


def _manifest_interface(side: Side) -> Interface:
    m = side.manifest
    obs, layout = None, m.get("observation_layout")
    if isinstance(layout, list) and all(isinstance(f, dict) and isinstance(f.get("field"), str)
                                        and isinstance(f.get("start"), int) and isinstance(f.get("end"), int)
                                        for f in layout):
        obs = [(f["field"], f["end"] - f["start"]) for f in layout]
    shape = m["observation_shape"]
    size = int(shape[0]) if len(shape) == 1 and isinstance(shape[0], int) else None
    return Interface(str(m.get("name", "")), list(m["action_layout"]), obs, size, _manifest_state(m),
                     {c["id"]: c["index"] for c in m["cards"]})


def _manifest_state(m: dict) -> dict | None:
    """State fields of a build: recorded ones (`state_fields`), else the canonical layout its rules and action layout
    imply (compiler.engine_model.encoding); None when the rules are not readable."""
    if isinstance(m.get("state_fields"), dict):
        return m["state_fields"]
    from pydantic import ValidationError

    from ..engine_model.encoding import StateLayout
    from ..spec import RulesSpec

    try:
        rules = RulesSpec.model_validate(manifest_rules(m["rules"]))
    except ValidationError:
        return None
    options = sum(1 for a in m["action_layout"] if isinstance(a, str) and a.startswith("choose:"))
    return {k: [list(shape), str(dt)] for k, (shape, dt) in StateLayout.from_rules(rules, options).fields().items()}


# --- git revisions ---------------------------------------------------------------------------------------------------

def _git(cwd: Path, *args: str, what: str) -> bytes:
    try:
        r = subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=60)
    except FileNotFoundError:
        raise SpecError(Diagnostic("--git", "git is not installed")) from None
    if r.returncode != 0:
        msg = r.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SpecError(Diagnostic(what, msg[-1] if msg else f"git {' '.join(args)} failed"))
    return r.stdout


def spec_at_revision(spec: str | Path, rev: str, into: Path) -> tuple[Path, str]:
    """Copy the spec file and the card sets and fills it names, as they were at git revision `rev`, into `into`
    (same paths relative to the repository root). Returns the copied spec's path and the label `REV:path`."""
    from ruamel.yaml import YAML, YAMLError

    spec = Path(spec)
    if not spec.is_file():
        raise SpecError(Diagnostic(display_path(spec), "no such file (--git REV needs the spec's path in the work tree)"))
    root = Path(_git(spec.resolve().parent, "rev-parse", "--show-toplevel", what=display_path(spec)).decode().strip())
    rel = spec.resolve().relative_to(root.resolve())
    label = f"{rev}:{rel.as_posix()}"
    _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", what=f"--git {rev}")

    def copy(relp: Path) -> bool:
        """Write file `relp` (relative to the repository root) as it was at `rev`; False when it was not there."""
        r = subprocess.run(["git", "show", f"{rev}:{relp.as_posix()}"], cwd=root, capture_output=True, timeout=60)
        if r.returncode != 0:
            return False
        dest = into / relp
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(r.stdout)
        return True

    if not copy(rel):
        raise SpecError(Diagnostic(label, f"the spec does not exist at revision {rev}"))
    try:
        raw = YAML(typ="safe").load((into / rel).read_text(encoding="utf-8"))
    except (YAMLError, UnicodeDecodeError):
        raw = None  # the loader reports it, located
    if isinstance(raw, dict):
        names = [x for x in raw.get("card_sets") or [] if isinstance(x, str)]
        names += [raw["fills"]] if isinstance(raw.get("fills"), str) else []
        for name in names:
            relp = Path(os.path.normpath((rel.parent / name).as_posix()))
            if not relp.is_absolute() and relp.parts[:1] != ("..",):
                copy(relp)  # a file missing at `rev` (or outside the repository) is reported by the loader
    return into / rel, label


def load_revision(spec: str | Path, rev: str, into: Path) -> Side:
    """The spec at revision `rev` as a Side; errors name `REV:path` instead of the temporary copy."""
    from ..spec import load_spec

    path, label = spec_at_revision(spec, rev, into)
    try:
        loaded = load_spec(path)
    except SpecError as err:
        prefix = display_path(into)
        raise SpecError([Diagnostic(d.source.replace(prefix + "/", f"{rev}:"), d.message, d.line, d.column, d.field)
                         for d in err.diagnostics], err.omitted) from None
    return Side(label, "spec", path, loaded=loaded)
