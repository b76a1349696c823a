"""The learner's seat over a batch of games of a generated engine, with the opponent's moves inside the loop.

Each call of `Arena.step` makes one engine step in every game of the batch (`Env.step_batch`, so the whole batch
shares one schedule): where the learner is to move it plays the learner's action, elsewhere the opponent's (random
bot, greedy bot, or the network with a past snapshot's parameters, per game). The learner only sees its own
decisions: a step where the opponent moved is marked `learner=False` and is left out of the updates (ppo.gae folds
its reward into the learner's previous decision). A finished game is replaced at once by a new one (new seat, new
opponent kind, decks of the pairing), so every slot always plays.
"""

from __future__ import annotations

from dataclasses import dataclass

import flax.struct
import jax
import jax.numpy as jnp
import numpy as np

from .network import sample
from .opponents import KINDS, Greedy, random_action


@flax.struct.dataclass
class Games:
    state: object
    """The batched engine State."""
    seat: jnp.ndarray
    """The learner's seat per game."""
    opp: jnp.ndarray
    """The opponent kind per game (index in opponents.KINDS)."""
    length: jnp.ndarray
    """Engine steps of the current game so far."""
    decisions: jnp.ndarray
    """The learner's decisions in the current game so far."""


@dataclass
class DeckPairs:
    """The decks games are played with: `cards` (K, D) and `energy` (K, E) of K decks and the pairs that may meet
    ((P, 2) indices: learner's deck, opponent's deck); each new game draws one pair uniformly."""

    names: list
    cards: np.ndarray
    energy: np.ndarray
    pairs: np.ndarray

    def label(self) -> str:
        if len(self.pairs) == 1:
            a, b = self.pairs[0]
            return f"{self.names[a]} vs {self.names[b]}"
        return f"{len(self.pairs)} pairings of {len(self.names)} decks"


class Arena:
    def __init__(self, env, T, layout, decks: DeckPairs, opponent_probs, apply=None):
        """`opponent_probs`: probability of each opponent kind (opponents.KINDS) for a new game; `apply(params,
        obs)` -> (logits, value): the network (needed for the "self" opponent)."""
        self.env, self.T, self.layout = env, T, layout
        self.cards = jnp.asarray(decks.cards, jnp.int16)
        self.energy = jnp.asarray(decks.energy, jnp.int8)
        self.pairs = jnp.asarray(decks.pairs, jnp.int32)
        p = np.asarray(opponent_probs, np.float64)
        self.opp_logits = jnp.asarray(np.log(np.maximum(p / p.sum(), 1e-30)), jnp.float32)
        self.kinds_used = tuple(k for k, q in zip(KINDS, p) if q > 0)
        self.greedy = Greedy(T, layout.active)
        self.apply = apply

    def new_games(self, key, n: int, opp=None) -> Games:
        """n new games: seat, pairing and opponent kind drawn from `key` (`opp` fixes the kind)."""
        ks, kp, ko, kg = jax.random.split(key, 4)
        seat = jax.random.bernoulli(ks, 0.5, (n,)).astype(jnp.int32)
        pair = self.pairs[jax.random.randint(kp, (n,), 0, self.pairs.shape[0])]
        if opp is None:
            opp = jax.random.categorical(ko, self.opp_logits, shape=(n,)).astype(jnp.int32)
        else:
            opp = jnp.broadcast_to(jnp.asarray(opp, jnp.int32), (n,))
        # deck of seat s: the learner's where s is the learner's seat
        order = jnp.where(seat[:, None] == 0, pair, pair[:, ::-1])
        words = jax.random.bits(kg, (n, 2), jnp.uint32)
        state = jax.vmap(self.env.init_game)(words[:, 0], words[:, 1], self.cards[order], self.energy[order])
        z = jnp.zeros(n, jnp.int32)
        return Games(state, seat, opp, z, z)

    def opponent_action(self, key, state, games: Games, opp_params):
        obs, mask = state.observation, state.legal_action_mask
        kr, kg, ks = jax.random.split(key, 3)
        act = jnp.zeros(obs.shape[0], jnp.int32)
        if "random" in self.kinds_used:
            act = jnp.where(games.opp == 0, random_action(kr, mask), act)
        if "greedy" in self.kinds_used:
            act = jnp.where(games.opp == 1, self.greedy.action(kg, obs, mask), act)
        if "self" in self.kinds_used:
            logits, _ = self.apply(opp_params, obs)
            act = jnp.where(games.opp == 2, sample(ks, logits, mask), act)
        return act

    def step(self, key, games: Games, learner_action, opp_params, reset: bool = True):
        """One engine step of every game. Returns (games, info) with info: learner (the learner moved), reward (the
        learner's), done (the game ended at this step), and for ended games their opponent kind, length, decisions
        and result."""
        st = games.state
        k_opp, k_step, k_new = jax.random.split(key, 3)
        learner = st.current_player == games.seat
        over = st.terminated | st.truncated
        action = jnp.where(learner, learner_action, self.opponent_action(k_opp, st, games, opp_params))
        words = jax.random.bits(k_step, (action.shape[0], 2), jnp.uint32)
        nxt = self.env.step_batch(st, action, words[:, 0], words[:, 1])
        done = (nxt.terminated | nxt.truncated) & ~over
        reward = jnp.take_along_axis(nxt.rewards, games.seat[:, None], axis=1)[:, 0]
        length = games.length + (~over).astype(jnp.int32)
        decisions = games.decisions + (learner & ~over).astype(jnp.int32)
        info = {"learner": learner & ~over, "reward": reward, "done": done, "opp": games.opp, "length": length,
                "decisions": decisions, "truncated": nxt.truncated & done}
        games = Games(nxt, games.seat, games.opp, length, decisions)
        if reset:
            fresh = self.new_games(k_new, action.shape[0])
            games = jax.tree.map(lambda a, b: jnp.where(done.reshape(done.shape + (1,) * (a.ndim - 1)), a, b),
                                 fresh, games)
        return games, info
