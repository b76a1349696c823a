"""The policy+value network and the masked categorical distribution.

`PolicyNet(layout, hidden)(obs)` -> (logits over every action, value). Inputs (features.py): the numeric fields
squashed, the card fields through one embedding; then two dense layers of `hidden` units (ReLU) shared by a policy
head and a value head. Illegal actions are masked out of the logits (`masked_logits`), so the policy puts no
probability on them.
"""

from __future__ import annotations

import flax.linen as nn
import jax
import jax.numpy as jnp
import numpy as np

from .features import ObsLayout

EMBED = 16
"""Width of the card embedding."""
NEG = -1e9


class PolicyNet(nn.Module):
    layout: ObsLayout
    hidden: int = 128
    embed: int = EMBED

    @nn.compact
    def __call__(self, obs):
        L = self.layout
        obs = obs.astype(jnp.int32)
        x = obs[..., np.asarray(L.numeric)].astype(jnp.float32)
        parts = [jnp.sign(x) * jnp.log1p(jnp.abs(x))]
        emb = nn.Embed(L.n_cards + 1, self.embed, embedding_init=nn.initializers.normal(0.1))
        slots = obs[..., np.asarray(L.slots)]
        e = emb(jnp.clip(slots + 1, 0, L.n_cards))
        parts.append(e.reshape(e.shape[:-2] + (-1,)))
        for bag in L.bags:
            c = obs[..., np.asarray(bag)]
            e = emb(jnp.clip(c + 1, 0, L.n_cards)) * (c >= 0)[..., None]
            parts.append(jnp.sum(e, axis=-2))
        h = jnp.concatenate(parts, axis=-1)
        for _ in range(2):
            h = nn.relu(nn.Dense(self.hidden)(h))
        logits = nn.Dense(L.n_actions, kernel_init=nn.initializers.orthogonal(0.01))(h)
        value = nn.Dense(1, kernel_init=nn.initializers.orthogonal(1.0))(h)[..., 0]
        return logits, value


def init_params(net: PolicyNet, key):
    return net.init(key, jnp.zeros((1, net.layout.size), jnp.int16))["params"]


def masked_logits(logits, mask):
    return jnp.where(mask, logits, NEG)


def log_probs(logits, mask):
    return jax.nn.log_softmax(masked_logits(logits, mask), axis=-1)


def sample(key, logits, mask):
    """An action per row drawn from the masked categorical."""
    return jax.random.categorical(key, masked_logits(logits, mask), axis=-1).astype(jnp.int32)


def entropy(logits, mask):
    lp = log_probs(logits, mask)
    return -jnp.sum(jnp.where(mask, jnp.exp(lp) * lp, 0.0), axis=-1)


def n_params(params) -> int:
    return int(sum(np.prod(x.shape) for x in jax.tree.leaves(params)))
