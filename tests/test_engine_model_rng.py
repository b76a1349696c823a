"""Addressed randomness: the plain-Python, NumPy and JAX implementations draw bit-identical words."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from compiler.engine_model import rng, rng_jax

U32 = st.integers(0, 2**32 - 1)


def test_plain_numpy_and_jax_are_bit_identical_on_a_grid():
    gen = np.random.default_rng(0)
    k0, k1, addr, idx = (gen.integers(0, 2**32, size=512, dtype=np.uint64).astype(np.uint32) for _ in range(4))
    plain = np.array([rng.draw_u32(int(a) | (int(b) << 32), int(c), int(d)) for a, b, c, d in zip(k0, k1, addr, idx)],
                     dtype=np.uint32)
    assert np.array_equal(plain, rng.draw_u32_np(k0, k1, addr, idx))
    assert np.array_equal(plain, np.asarray(rng_jax.draw_u32(k0, k1, addr, idx)))


@settings(max_examples=40, deadline=None)
@given(key=st.integers(0, 2**64 - 1), address=U32, n=st.integers(1, 30))
def test_coins_randint_and_permutations_agree_with_jax(key, address, n):
    k0, k1 = rng.key_words(key)
    assert bool(rng_jax.coin(k0, k1, address, 3)) == rng.coin(key, address, 3)
    assert int(rng_jax.randint(k0, k1, address, n, 5)) == rng.randint(key, address, n, 5)
    assert [int(x) for x in rng_jax.permutation(k0, k1, address, n)] == rng.permutation(key, address, n)


def test_permutation_is_a_permutation_and_depends_on_the_key():
    a = rng.permutation(1, rng.Addr.SHUFFLE, 20)
    assert sorted(a) == list(range(20))
    assert a != rng.permutation(2, rng.Addr.SHUFFLE, 20)


def test_coin_is_fair_enough():
    heads = sum(rng.coin(k, 7) for k in range(4000))
    assert 1850 < heads < 2150


def test_fold_in_and_address_are_deterministic_and_distinct():
    assert rng.fold_in(5, 1) == rng.fold_in(5, 1) != rng.fold_in(5, 2)
    assert rng.address(100, 1, 2) == rng.address(100, 1, 2) != rng.address(100, 2, 1)
