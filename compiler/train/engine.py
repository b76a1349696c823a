"""The generated engine a training or evaluation run uses: built from the spec into a cache folder (as `tcgc bench`
does) or imported from a package folder; and the deck pairings games are played with."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np

from ..diagnostics import Diagnostic, SpecError
from .arena import DeckPairs

RANDOM_DECKS = 32
"""Random legal decks drawn for `--decks random`."""


def load_engine(spec, package=None, cache=".tcgc-cache/train", echo=None):
    """(loaded spec, package, refused card ids)."""
    import json

    from ..spec import load_spec
    from ..verify.rollout import load_package

    if package:
        p = Path(package)
        if not (p / "MANIFEST.json").is_file():
            raise SpecError(Diagnostic(str(p), "not a generated engine package (no MANIFEST.json)"))
        loaded = load_spec(spec)
        pkg = load_package(p)
    else:
        from ..bench import build_engine

        dest = Path(cache) / (Path(spec).resolve().parent.name or "spec")
        loaded, _, pkg = build_engine(spec, dest, echo=echo)
    manifest = json.loads((Path(pkg.__file__).parent / "MANIFEST.json").read_text(encoding="utf-8"))
    return loaded, pkg, {r["id"] for r in manifest["refused"]}


def deck_pairs(loaded, pkg, refused, decks: str, seed: int = 0, source: str = "--decks") -> DeckPairs:
    """`decks`: "fixed" (the engine's first deck against its second, or against itself when it has one),
    "A,B" (two deck names of the spec; the learner plays A), or "random" (RANDOM_DECKS random legal decks of the cards
    the engine plays, any two may meet)."""
    T = pkg.tables
    if decks == "random":
        from reference.decks import random_deck

        from ..verify.rollout import restricted_engine

        eng = restricted_engine(loaded, set(refused))
        rng = random.Random(seed)
        ds = [random_deck(eng, rng, f"random-{i}") for i in range(RANDOM_DECKS)]
        cards = np.array([list(d.cards) for d in ds], np.int16)
        energy = np.full((len(ds), T.E), -1, np.int8)
        for i, d in enumerate(ds):
            energy[i, :len(d.energy)] = d.energy
        k = len(ds)
        pairs = np.array([(a, b) for a in range(k) for b in range(k)], np.int32)
        return DeckPairs([d.name for d in ds], cards, energy, pairs)
    names = list(T.DECK_NAMES)
    if not names:
        raise SpecError(Diagnostic(source, "the engine has no playable deck of the spec: use --decks random"))
    cards = np.asarray(T.DECK_CARDS, np.int16)
    energy = np.asarray(T.DECK_ENERGY, np.int8)
    if decks == "fixed":
        pair = (0, 1 if len(names) > 1 else 0)
    else:
        parts = [p.strip() for p in decks.split(",")]
        if len(parts) != 2 or not all(parts):
            raise SpecError(Diagnostic(source, f"{decks!r}: expected fixed, random or two deck names A,B"))
        bad = [p for p in parts if p not in names]
        if bad:
            raise SpecError(Diagnostic(source, f"unknown or unplayable deck {', '.join(bad)} (the engine plays: "
                                               f"{', '.join(names)})"))
        pair = (names.index(parts[0]), names.index(parts[1]))
    return DeckPairs(names, cards, energy, np.array([pair], np.int32))


def engine_name(pkg) -> str:
    """The engine's name: its package's (the tables' NAME constant is shadowed by the card field NAME)."""
    return pkg.__name__.split(".")[-1]
