"""The bots in JAX, on the observation vector and the legal-action mask of the player to move (what both engines
give: the generated Env's `observation`, or features.reference_observation on the reference engine).

`random_action`: uniform among the legal actions (reference.bots.RandomBot). `greedy_action`: reference.bots.GreedyBot,
the lowest score wins: evolve (play_on) 1, attach Energy 2 (to the Active first, then Bench slot by slot), play a
card 3, use an Ability 4, choose 5, choose_done 6, attack 7 (strongest printed damage first: it ends the turn),
retreat 8, end the turn 9; ties are broken at random. Not modelled: the reference greedy bot's limit of two uses of one
Ability per turn (the A1 engine compiles no Ability yet, so none is ever legal there).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from reference.bots import GREEDY_ORDER

KINDS = ("random", "greedy", "self")
"""Opponent kinds, by index (per game in a batch)."""


def random_action(key, mask):
    """(batch,) uniform legal actions."""
    return jax.random.categorical(key, jnp.where(mask, 0.0, -jnp.inf), axis=-1).astype(jnp.int32)


class Greedy:
    """The greedy bot over one engine's action layout and attack table."""

    def __init__(self, T, active_index: int):
        kinds = list(T.ACT_KINDS)
        # reference.bots.GreedyBot.score: an attack scores (7, -damage) whatever GREEDY_ORDER says
        order = np.array([7 if kinds[k] == "attack" else GREEDY_ORDER[kinds[k]] for k in T.ACT_KIND], np.float32)
        self.order = jnp.asarray(order)
        self.slot = jnp.asarray(np.asarray(T.ACT_SLOT, np.float32))
        self.is_attack = jnp.asarray(np.asarray(T.ACT_KIND) == kinds.index("attack"))
        self.is_attach = jnp.asarray(np.asarray(T.ACT_KIND) == kinds.index("attach_energy"))
        self.atk_index = jnp.asarray(np.asarray(T.ACT_INDEX, np.int32))
        dmg = np.asarray(T.ATK_DAMAGE, np.float32)
        self.damage = jnp.asarray(dmg.reshape(dmg.shape[0], -1))
        self.active = active_index

    def scores(self, obs, mask):
        """(batch, actions) scores without the random tie-break; illegal actions +inf."""
        card = jnp.clip(obs[..., self.active].astype(jnp.int32), 0, self.damage.shape[0] - 1)
        idx = jnp.clip(self.atk_index, 0, self.damage.shape[1] - 1)
        atk = self.damage[card[..., None], idx[None, :]]
        sub = jnp.where(self.is_attack, -atk, jnp.where(self.is_attach, self.slot, 0.0))
        s = self.order * 1000.0 + sub
        return jnp.where(mask, s, jnp.inf)

    def action(self, key, obs, mask, noise: float = 0.5):
        """(batch,) the greedy bot's action: the lowest score, ties broken at random (`noise` 0: the first)."""
        s = self.scores(obs, mask)
        if noise:
            s = s + noise * jax.random.uniform(key, s.shape)
        return jnp.argmin(s, axis=-1).astype(jnp.int32)
