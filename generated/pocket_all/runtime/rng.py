"""Addressed randomness in JAX: the same bits as compiler/engine_model/rng.py for the same (key words, address,
index). Four rounds of the lowbias32 mixer; tests/test_engine_model_rng.py proves the twins bit-identical."""

from __future__ import annotations

import jax.numpy as jnp

M1 = 0x7FEB352D
M2 = 0x846CA68B


def u32(x):
    """x as uint32 (a Python int is taken modulo 2**32; arrays of any integer dtype are cast)."""
    if isinstance(x, int):
        return jnp.uint32(x & 0xFFFFFFFF)
    return jnp.asarray(x).astype(jnp.uint32)


def mix32(x):
    x = u32(x)
    x = x ^ (x >> jnp.uint32(16))
    x = x * jnp.uint32(M1)
    x = x ^ (x >> jnp.uint32(15))
    x = x * jnp.uint32(M2)
    return x ^ (x >> jnp.uint32(16))


def draw_u32(k0, k1, address, index):
    """uint32 words for (key words k0/k1, address, index); broadcasts over arrays."""
    h = mix32(address)
    h = mix32(h ^ u32(index))
    h = mix32(h ^ u32(k0))
    return mix32(h ^ u32(k1))


def coin(k0, k1, address, index=0):
    return (draw_u32(k0, k1, address, index) & jnp.uint32(1)) == jnp.uint32(1)


def randint(k0, k1, address, n, index=0):
    return draw_u32(k0, k1, address, index) % jnp.asarray(n, dtype=jnp.uint32)


def permutation(k0, k1, address, n: int):
    words = draw_u32(k0, k1, address, jnp.arange(n, dtype=jnp.uint32))
    return jnp.argsort(words, stable=True)
