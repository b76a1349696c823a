"""Batch-level scheduling: run a per-game function only on the games of a batch that need it.

Under `vmap` every branch runs for every game, so a batched step would pay for every rule and every instruction
kind at every step. The engine's step is therefore written at the level of the batch (`Env.step_batch`;
`vmap(env.step)` reaches it through a custom batching rule): each piece of work (an action kind, an instruction
kind of the effect VM, the end of a turn) is a per-game function that runs, vmapped, on the games that need it,
gathered into chunks of at most `chunk(B)` games, and is skipped when no game needs it. The cost of a step is then
what its games do, not everything any game could do.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np


def chunk(batch: int) -> int:
    """Games per chunk of a scheduled piece of work (1/32 of the batch): rare work costs one small chunk, common
    work a few more."""
    return max(1, -(-batch // 32))


class Packing:
    """A pytree of per-game arrays as one int32 row per game (one gather and one scatter move a game)."""

    def __init__(self, tree):
        leaves, self.treedef = jax.tree.flatten(tree)
        self.specs = [(x.shape[1:], x.dtype) for x in leaves]
        self.sizes = [int(np.prod(s, dtype=np.int64)) for s, _ in self.specs]

    def pack(self, tree):
        """(B, width) int32 from a batched tree (or (width,) from one game's tree)."""
        leaves = jax.tree.leaves(tree)
        lead = leaves[0].shape[:leaves[0].ndim - len(self.specs[0][0])]
        parts = []
        for x, (shape, dt) in zip(leaves, self.specs):
            x = x.reshape(lead + (-1,))
            if dt == jnp.uint32 or dt == jnp.float32:
                x = jax.lax.bitcast_convert_type(x, jnp.int32)
            parts.append(x.astype(jnp.int32))
        return jnp.concatenate(parts, axis=-1)

    def unpack(self, row):
        """One game's tree from its (width,) row."""
        out, pos = [], 0
        for (shape, dt), n in zip(self.specs, self.sizes):
            x = row[pos:pos + n]
            pos += n
            if dt == jnp.uint32 or dt == jnp.float32:
                x = jax.lax.bitcast_convert_type(x, dt)
            else:
                x = x.astype(dt)
            out.append(x.reshape(shape))
        return jax.tree.unflatten(self.treedef, out)


    def unpack_batch(self, rows):
        """The batched tree of (B, width) rows (slices the caller does not read cost nothing under jit)."""
        out, pos = [], 0
        for (shape, dt), n in zip(self.specs, self.sizes):
            x = rows[:, pos:pos + n]
            pos += n
            x = jax.lax.bitcast_convert_type(x, dt) if (dt == jnp.uint32 or dt == jnp.float32) else x.astype(dt)
            out.append(x.reshape((rows.shape[0],) + shape))
        return jax.tree.unflatten(self.treedef, out)


def run_where(need, fn, rows, pk: Packing):
    """`rows` (games packed by `pk`, one per row) with `fn` (a per-game function of one game's tree to its new
    tree) applied to the games where `need` holds; the others are unchanged.

    The games that need it are gathered in chunks of `chunk(B)` (a while loop over the chunks: none when no game
    needs it), `fn` runs vmapped on each chunk, and the results are scattered back."""
    B = need.shape[0]
    K = chunk(B)

    def one(row):
        return pk.pack(fn(pk.unpack(row)))

    def body(c):
        rows, rem = c
        idx = jnp.nonzero(rem, size=K, fill_value=B)[0]
        sub = rows[jnp.minimum(idx, B - 1)]
        rows = rows.at[idx].set(jax.vmap(one)(sub), mode="drop")
        return rows, rem.at[idx].set(False, mode="drop")

    rows, _ = jax.lax.while_loop(lambda c: jnp.any(c[1]), body, (rows, need))
    return rows
