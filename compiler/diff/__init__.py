"""`tcgc diff`: what changed between two specs or builds of an engine (docs/diff.md).

`diff(a, b)` returns a JSON-ready report with the sections in order: rules, cards, effects, interface and, with
`games`, behaviour; `report["same"]` is False when any section holds a difference.
"""

from __future__ import annotations

from .behaviour import behaviour_section
from .sides import Side, load_revision, load_side
from .static import cards_section, changed, effects_section, interface_section, rules_section

SECTIONS = ("rules", "cards", "effects", "interface", "behaviour")


def diff(a: Side, b: Side, games: int = 0, **behaviour) -> dict:
    """The report of A -> B. `games` > 0 adds the behaviour section (keyword arguments: behaviour_section's)."""
    report: dict = {"a": {"path": a.label, "kind": a.kind}, "b": {"path": b.label, "kind": b.kind},
                    "rules": rules_section(a, b), "cards": cards_section(a, b), "effects": effects_section(a, b),
                    "interface": interface_section(a, b),
                    "behaviour": behaviour_section(a, b, games, **behaviour) if games else None}
    report["differs"] = [s for s in SECTIONS if changed(s, report[s])]
    report["same"] = not report["differs"]
    return report


__all__ = ["SECTIONS", "Side", "diff", "load_revision", "load_side"]
