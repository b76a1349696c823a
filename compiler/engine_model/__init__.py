"""The engine model shared by the reference engine and the generated JAX engine.

- `rng`: addressed randomness (one counter-based 32-bit hash), plain Python / NumPy; `rng_jax` is the JAX twin.
- `actions`: the flat action layout with stable action names, derived from the rules and the pool.
- `encoding`: the canonical array encoding of a game state (fixed shapes, small int dtypes, -1 padding).

See docs/engine-model.md.
"""

from .actions import ActionLayout, Slot
from .rng import Addr, coin, draw_u32, fold_in, key_words, permutation, randint

__all__ = ["ActionLayout", "Slot", "Addr", "coin", "draw_u32", "fold_in", "key_words", "permutation", "randint"]
