"""Canonical English for IR nodes: `render(node) -> str`. `parse(render(ir)) == ir` for every parsed IR."""

from __future__ import annotations

from . import ir


def render(node: ir.Node) -> str:
    """Canonical English text of a top-level IR node."""
    if isinstance(node, ir.Unresolved):
        return node.text
    raise NotImplementedError(type(node).__name__)
