"""The JAX twin of `rng`: the same bits for the same (key words, address, index). Imported only by JAX code."""

from __future__ import annotations

import jax.numpy as jnp

from .rng import M1, M2


def mix32(x):
    x = x.astype(jnp.uint32)
    x = x ^ (x >> jnp.uint32(16))
    x = x * jnp.uint32(M1)
    x = x ^ (x >> jnp.uint32(15))
    x = x * jnp.uint32(M2)
    return x ^ (x >> jnp.uint32(16))


def draw_u32(k0, k1, address, index):
    """uint32 words for (key words k0/k1, address, index); broadcasts over arrays."""
    h = mix32(jnp.asarray(address, dtype=jnp.uint32))
    h = mix32(h ^ jnp.asarray(index, dtype=jnp.uint32))
    h = mix32(h ^ jnp.asarray(k0, dtype=jnp.uint32))
    return mix32(h ^ jnp.asarray(k1, dtype=jnp.uint32))


def coin(k0, k1, address, index=0):
    return (draw_u32(k0, k1, address, index) & jnp.uint32(1)) == jnp.uint32(1)


def randint(k0, k1, address, n, index=0):
    return draw_u32(k0, k1, address, index) % jnp.asarray(n, dtype=jnp.uint32)


def permutation(k0, k1, address, n: int):
    words = draw_u32(k0, k1, address, jnp.arange(n, dtype=jnp.uint32))
    return jnp.argsort(words, stable=True)
