"""The JAX twin of `rng`: it is the generated engines' runtime module (codegen_templates/runtime/rng.py), so the
bits tested here are the bits every generated engine draws. Imported only by JAX code."""

from __future__ import annotations

from codegen_templates.runtime.rng import M1, M2, coin, draw_u32, mix32, permutation, randint

from . import rng as _rng

assert (M1, M2) == (_rng.M1, _rng.M2)

__all__ = ["mix32", "draw_u32", "coin", "randint", "permutation"]
