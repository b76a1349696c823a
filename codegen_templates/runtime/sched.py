"""Batch-level scheduling: run a per-game function only on the games of a batch that need it.

Under `vmap` every branch runs for every game, so a batched step would pay for every rule and every instruction
kind at every step. The engine's step is therefore written at the level of the batch (env.py wraps it in
`jax.custom_batching.custom_vmap`, so `vmap(env.step)` calls it with the whole batch): each piece of work (an
action kind, an instruction kind of the effect VM, the end of a turn) is a per-game function that runs, vmapped,
on the games that need it, gathered into chunks of at most `chunk(B)` games, and is skipped when no game needs it.
The cost of a step is then what its games do, not everything any game could do.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp


def chunk(batch: int) -> int:
    """Games per chunk of a scheduled piece of work (an eighth of the batch)."""
    return max(1, -(-batch // 8))


def run_where(need, fn, tree):
    """`tree` (a pytree of arrays with a leading batch axis) with `fn` (a per-game function of one game's tree to
    its new tree) applied to the games where `need` holds; the others are unchanged.

    The games that need it are gathered in chunks of `chunk(B)` (a while loop over the chunks: none when no game
    needs it), `fn` runs vmapped on each chunk, and the results are scattered back."""
    B = need.shape[0]
    K = chunk(B)

    def body(c):
        tree, rem = c
        idx = jnp.nonzero(rem, size=K, fill_value=B)[0]
        src = jnp.minimum(idx, B - 1)
        sub = jax.tree.map(lambda x: x[src], tree)
        new = jax.vmap(fn)(sub)
        tree = jax.tree.map(lambda x, y: x.at[idx].set(y, mode="drop"), tree, new)
        return tree, rem.at[idx].set(False, mode="drop")

    tree, _ = jax.lax.while_loop(lambda c: jnp.any(c[1]), body, (tree, need))
    return tree
