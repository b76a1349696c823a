"""`tcgc build`: the generated package, its determinism, its MANIFEST, refusals, injection safety, and that the
committed engines under generated/ are current."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from compiler.cli.build import build

from .conftest import EXAMPLE_SPEC, ROOT

GENERATED = ROOT / "generated"


def files_of(pkg: Path) -> dict[str, bytes]:
    return {str(p.relative_to(pkg)): p.read_bytes() for p in sorted(pkg.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts}


def test_build_writes_a_package_with_manifest(a1_build):
    pkg = a1_build["package"]
    names = set(files_of(pkg))
    assert {"__init__.py", "tables.py", "MANIFEST.json", "README.md", "runtime/env.py", "runtime/core.py",
            "runtime/effects.py", "runtime/rng.py"} <= names
    m = json.loads((pkg / "MANIFEST.json").read_text())
    assert m["name"] == "pocket_a1" and len(m["spec_hash"]) == 64
    assert m["num_actions"] == len(m["action_layout"]) == 85
    assert len(m["cards"]) == 225 and m["cards"][0]["id"] == "A1-001"
    assert "main" in m["primitives"] and "flip" in m["primitives"]
    assert m["observation_layout"][-1]["end"] == m["observation_shape"][0]
    refused = {r["id"]: r for r in m["refused"]}
    assert "A1-061" in refused and "Counterattack" in refused["A1-061"]["reasons"][0]
    assert not {"A1-007", "A1-067"} & set(refused)  # Butterfree, Cloyster: activated and passive Abilities
    assert [d["name"] for d in m["decks"]] == ["mewtwo-gardevoir", "charizard-moltres", "pikachu-zapdos",
                                               "starmie-articuno", "venusaur-exeggutor"]


def test_two_builds_are_byte_identical(a1_build, tmp_path):
    again = build(EXAMPLE_SPEC, tmp_path, allow_unresolved=True)
    assert files_of(again["package"]) == files_of(a1_build["package"])


def test_build_refuses_cards_it_cannot_compile_without_the_flag(tmp_path):
    r = subprocess.run([sys.executable, "-m", "compiler.cli", "build", str(EXAMPLE_SPEC), "-o", str(tmp_path)],
                       capture_output=True, text=True)
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr
    assert "A1-061 Poliwrath" in r.stderr and "Counterattack" in r.stderr
    assert "--allow-unresolved" in r.stderr
    assert not (tmp_path / "pocket_a1").exists()


def test_build_cli_summary(tmp_path):
    """A deck holding a card the lowering refuses is left out and named (here: mewtwo-gardevoir with Poliwrath)."""
    spec_dir = tmp_path / "spec"
    shutil.copytree(EXAMPLE_SPEC.parent, spec_dir)
    yaml = YAML()
    spec = yaml.load((spec_dir / "spec.yaml").read_text())
    deck = spec["decks"][0]["cards"]
    del deck["A1-126"]
    deck["A1-061"] = 2  # Poliwrath: its Ability triggered by damage is not compiled yet
    with open(spec_dir / "spec.yaml", "w") as f:
        yaml.dump(spec, f)
    r = subprocess.run([sys.executable, "-m", "compiler.cli", "build", str(spec_dir / "spec.yaml"), "-o",
                        str(tmp_path / "out"), "--allow-unresolved"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "built pocket_a1" in r.stdout and "225 cards" in r.stdout
    assert "A1-061 Poliwrath" in r.stdout and "deck mewtwo-gardevoir left out" in r.stdout
    assert "A1-007 Butterfree" not in r.stdout


def test_a_hostile_card_name_builds_a_harmless_working_engine(tmp_path):
    """Spec strings reach generated code only as literals and one-line comments."""
    spec_dir = tmp_path / "spec"
    (spec_dir / "cards").mkdir(parents=True)
    yaml = YAML()
    spec = yaml.load(EXAMPLE_SPEC.read_text())
    cards = yaml.load((EXAMPLE_SPEC.parent / "cards" / "A1.yaml").read_text())
    sentinel = tmp_path / "pwned"
    evil = f"\"; __import__('os').system('touch {sentinel}') #\r\nimport os; os.system('touch {sentinel}')"
    for c in cards["cards"]:
        if c["id"] == "A1-129":  # Mewtwo ex: nothing evolves from it
            c["name"] = evil
    with open(spec_dir / "cards" / "A1.yaml", "w") as f:
        yaml.dump(cards, f)
    with open(spec_dir / "spec.yaml", "w") as f:
        yaml.dump(spec, f)
    out = build(spec_dir / "spec.yaml", tmp_path / "out", allow_unresolved=True)
    code = (out["package"] / "tables.py").read_text()
    assert all("os.system" not in line or line.lstrip().startswith("#") or "'" in line or '"' in line
               for line in code.splitlines())
    r = subprocess.run([sys.executable, "-c", (
        "import sys; sys.path.insert(0, sys.argv[1]); import pocket_a1 as P; import jax; "
        "env = P.Env(); s = env.init(jax.random.PRNGKey(0)); "
        "i = P.card_names().index(sys.argv[2]); print(i, int(s.legal_action_mask.sum()))"),
        str(out["package"].parent), evil], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split()[0] == "128"
    assert not sentinel.exists()


@pytest.mark.parametrize("spec, name", [(EXAMPLE_SPEC, "pocket_a1"),
                                        (ROOT / "tests" / "data" / "pocket-all" / "spec.yaml", "pocket_all")])
def test_committed_engines_are_current(spec, name, tmp_path):
    """generated/<name>/ is what `tcgc build --allow-unresolved` writes today: rebuild it when this fails."""
    fresh = build(spec, tmp_path, allow_unresolved=True)
    committed = GENERATED / name
    assert committed.is_dir(), f"generated/{name} is missing: run tcgc build {spec} --allow-unresolved"
    assert files_of(committed) == files_of(fresh["package"]), (
        f"generated/{name} is stale: run `tcgc build {spec.relative_to(ROOT)} --allow-unresolved`")
