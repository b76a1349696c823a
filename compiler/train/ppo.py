"""PPO (clipped surrogate, GAE) over the arena, in one jitted function per update: a `lax.scan` of `steps` engine
steps over the batch (the learner's decisions recorded), GAE over each game slot's decisions, then `epochs` passes
of `minibatches` shuffled minibatches with optax (Adam, gradient-norm clipping). Steps where the opponent moved carry
weight 0 in the losses.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import jax
import jax.numpy as jnp
import optax

from .network import entropy, log_probs, sample
from .opponents import KINDS


@dataclass(frozen=True)
class PPOConfig:
    batch: int = 256
    """Games stepped together."""
    steps: int = 32
    """Engine steps per game per update (the rollout length)."""
    epochs: int = 4
    minibatches: int = 4
    lr: float = 3e-4
    gamma: float = 0.995
    lam: float = 0.95
    clip: float = 0.2
    vf_coef: float = 0.5
    ent_coef: float = 0.01
    max_grad_norm: float = 0.5

    def as_dict(self) -> dict:
        return asdict(self)


def optimizer(cfg: PPOConfig):
    return optax.chain(optax.clip_by_global_norm(cfg.max_grad_norm), optax.adam(cfg.lr, eps=1e-5))


def gae(valid, reward, done, value, last_value, gamma, lam):
    """Advantages of the learner's decisions, all arrays (T, B). Between two decisions of one slot the opponent's steps
    add their rewards and game ends to the earlier decision; a game end cuts the bootstrap."""

    def body(carry, x):
        r_acc, d_acc, v_next, a_next = carry
        ok, r, d, v = x
        rs = r + r_acc
        ds = d | d_acc
        nd = 1.0 - ds.astype(jnp.float32)
        delta = rs + gamma * v_next * nd - v
        a = delta + gamma * lam * nd * a_next
        carry = (jnp.where(ok, 0.0, rs), jnp.where(ok, False, ds), jnp.where(ok, v, v_next),
                 jnp.where(ok, a, a_next))
        return carry, jnp.where(ok, a, 0.0)

    B = reward.shape[1]
    init = (jnp.zeros(B), jnp.zeros(B, bool), last_value, jnp.zeros(B))
    _, adv = jax.lax.scan(body, init, (valid, reward, done, value), reverse=True)
    return adv


def make_update(arena, net, cfg: PPOConfig):
    """`update(params, opt_state, games, opp_params, key)` -> (params, opt_state, games, metrics), jitted."""
    tx = optimizer(cfg)
    apply = net.apply

    def fwd(params, obs):
        return apply({"params": params}, obs)

    arena.apply = fwd
    n_kinds = len(KINDS)

    def rollout(params, games, opp_params, key):
        def body(games, k):
            ka, ks = jax.random.split(k)
            st = games.state
            obs, mask = st.observation, st.legal_action_mask
            logits, value = fwd(params, obs)
            a = sample(ka, logits, mask)
            lp = jnp.take_along_axis(log_probs(logits, mask), a[:, None], axis=1)[:, 0]
            games, info = arena.step(ks, games, a, opp_params)
            return games, (obs, mask, a, lp, value, info)
        games, traj = jax.lax.scan(body, games, jax.random.split(key, cfg.steps))
        # the learner's view at the end, for the bootstrap
        last_obs = jax.vmap(arena.env.observe)(games.state, games.seat)
        _, last_value = fwd(params, last_obs)
        return games, traj, last_value

    def loss_fn(params, mb):
        obs, mask, a, lp_old, adv, ret, w = mb
        logits, v = fwd(params, obs)
        lp = jnp.take_along_axis(log_probs(logits, mask), a[:, None], axis=1)[:, 0]
        n = jnp.maximum(w.sum(), 1.0)
        mean = jnp.sum(adv * w) / n
        std = jnp.sqrt(jnp.sum(w * (adv - mean) ** 2) / n) + 1e-8
        adv = (adv - mean) / std
        ratio = jnp.exp(lp - lp_old)
        pg = -jnp.minimum(ratio * adv, jnp.clip(ratio, 1 - cfg.clip, 1 + cfg.clip) * adv)
        pg = jnp.sum(pg * w) / n
        vl = 0.5 * jnp.sum(w * (v - ret) ** 2) / n
        ent = jnp.sum(w * entropy(logits, mask)) / n
        kl = jnp.sum(w * (lp_old - lp)) / n
        total = pg + cfg.vf_coef * vl - cfg.ent_coef * ent
        return total, (pg, vl, ent, kl)

    def update(params, opt_state, games, opp_params, key):
        k_roll, k_perm = jax.random.split(key)
        games, (obs, mask, a, lp, value, info), last_value = rollout(params, games, opp_params, k_roll)
        valid = info["learner"]
        adv = gae(valid, info["reward"], info["done"], value, last_value, cfg.gamma, cfg.lam)
        ret = adv + value
        N = cfg.steps * cfg.batch
        flat = tuple(x.reshape((N,) + x.shape[2:]) for x in
                     (obs, mask, a, lp, adv, ret, valid.astype(jnp.float32)))
        mb_size = N // cfg.minibatches

        def epoch(carry, k):
            params, opt_state = carry
            perm = jax.random.permutation(k, N)[:mb_size * cfg.minibatches].reshape(cfg.minibatches, mb_size)

            def minibatch(carry, idx):
                params, opt_state = carry
                mb = tuple(x[idx] for x in flat)
                (_, aux), grads = jax.value_and_grad(loss_fn, has_aux=True)(params, mb)
                upd, opt_state = tx.update(grads, opt_state, params)
                return (optax.apply_updates(params, upd), opt_state), jnp.stack(aux)
            return jax.lax.scan(minibatch, (params, opt_state), perm)
        (params, opt_state), aux = jax.lax.scan(epoch, (params, opt_state), jax.random.split(k_perm, cfg.epochs))
        aux = aux.reshape(-1, 4).mean(0)
        done = info["done"]
        onehot = jax.nn.one_hot(info["opp"], n_kinds) * done[..., None]
        r = info["reward"][..., None]
        metrics = {
            "policy_loss": aux[0], "value_loss": aux[1], "entropy": aux[2], "approx_kl": aux[3],
            "decisions": valid.sum(), "engine_steps": jnp.sum(info["length"] > 0),
            "games": onehot.sum((0, 1)), "wins": (onehot * (r > 0)).sum((0, 1)),
            "losses": (onehot * (r < 0)).sum((0, 1)),
            "length": (onehot * info["length"][..., None]).sum((0, 1)),
            "game_decisions": (onehot * info["decisions"][..., None]).sum((0, 1)),
            "value_mean": jnp.sum(value * valid) / jnp.maximum(valid.sum(), 1),
        }
        return params, opt_state, games, metrics

    return jax.jit(update), tx
