"""Addressed randomness: every random draw is a pure function of (step key, draw-site address, index).

The one primitive is `draw_u32(key, address, index) -> uint32`, built from four rounds of the `lowbias32`
integer mixer (32-bit multiply, xor and shift only, so NumPy and JAX compute the same bits). A key is a
64-bit integer, used as two 32-bit words. Everything else (coins, integers below n, permutations) is derived
from `draw_u32` in the same way in both engines:

- coin: heads when the lowest bit is 1;
- integer in [0, n): `draw_u32 % n`;
- permutation of n items: a stable argsort of `draw_u32(key, address, i)` for i in 0..n-1.

`rng_jax` holds the JAX implementation; tests/test_engine_model_rng.py proves them bit-identical.
"""

from __future__ import annotations

import numpy as np

MASK = 0xFFFFFFFF
M1 = 0x7FEB352D
M2 = 0x846CA68B


def mix32(x: int) -> int:
    """lowbias32 (Chris Wellons): a bijective 32-bit mixer."""
    x ^= x >> 16
    x = (x * M1) & MASK
    x ^= x >> 15
    x = (x * M2) & MASK
    x ^= x >> 16
    return x


def key_words(key: int) -> tuple[int, int]:
    """A 64-bit key as its (low, high) 32-bit words."""
    return key & MASK, (key >> 32) & MASK


def draw_u32(key: int, address: int, index: int = 0) -> int:
    """The random 32-bit word for draw `index` at draw site `address` under `key`."""
    k0, k1 = key_words(key)
    h = mix32(address & MASK)
    h = mix32(h ^ (index & MASK))
    h = mix32(h ^ k0)
    return mix32(h ^ k1)


def coin(key: int, address: int, index: int = 0) -> bool:
    """A fair coin flip: True is heads."""
    return bool(draw_u32(key, address, index) & 1)


def randint(key: int, address: int, n: int, index: int = 0) -> int:
    """A uniform-ish integer in [0, n) (modulo reduction, identical in both engines)."""
    return draw_u32(key, address, index) % n


def permutation(key: int, address: int, n: int) -> list[int]:
    """A random permutation of range(n): stable argsort of the n words drawn at `address`."""
    words = [draw_u32(key, address, i) for i in range(n)]
    return sorted(range(n), key=lambda i: (words[i], i))


def fold_in(key: int, data: int) -> int:
    """A new 64-bit key derived from `key` and an integer (e.g. the step number of a game)."""
    lo = draw_u32(key, 0x5EED, data)
    hi = draw_u32(key, 0x5EED + 1, data)
    return (hi << 32) | lo


def address(*parts: int) -> int:
    """A 32-bit draw-site address from a tuple of small non-negative integers (hash chain)."""
    h = 0x2545F491
    for p in parts:
        h = mix32(h ^ (p & MASK))
    return h


class Addr:
    """Fixed draw-site addresses of the rules (effects use `address(EFFECT, card, slot, node, source)`)."""

    FIRST_PLAYER = 1
    SHUFFLE = 2  # + player: deck shuffle at init
    OPENING_SWAP = 4  # + player: which opening-hand position takes the Basic
    ENERGY = 6  # + player: Energy Zone's next energy
    CHECKUP_BURN = 8  # + player: burn recovery coin
    CHECKUP_SLEEP = 10  # + player: sleep wake coin
    CONFUSION = 12  # confused attack coin
    ATTACK_FLIP = 13  # "flip a coin to attack" lasting effect
    EFFECT = 100  # first part of an effect's address
    RESHUFFLE = 101  # deck shuffled by an effect


# --- NumPy (vectorised) twin, used by tests to check the JAX implementation on arrays ---------------------------

def mix32_np(x: np.ndarray) -> np.ndarray:
    x = x.astype(np.uint32)
    x ^= x >> np.uint32(16)
    x = x * np.uint32(M1)
    x ^= x >> np.uint32(15)
    x = x * np.uint32(M2)
    x ^= x >> np.uint32(16)
    return x


def draw_u32_np(k0: np.ndarray, k1: np.ndarray, address: np.ndarray, index: np.ndarray) -> np.ndarray:
    """Vectorised `draw_u32` over uint32 arrays (broadcasting)."""
    with np.errstate(over="ignore"):
        h = mix32_np(np.asarray(address, dtype=np.uint32))
        h = mix32_np(h ^ np.asarray(index, dtype=np.uint32))
        h = mix32_np(h ^ np.asarray(k0, dtype=np.uint32))
        return mix32_np(h ^ np.asarray(k1, dtype=np.uint32))
