"""Games of a player (the trained policy, or a bot) against an opponent bot on either engine, and the comparison of
the two engines' results.

On the JAX engine the games run in batches inside one jitted `lax.while_loop` (each game to its end, no reset); on the
reference engine they run in Python, all at once, the policy's decisions of every game that waits for one batched
through the same network, on the observation vector of features.reference_observation (equal to the generated Env's
`observation`). Each game: the player's seat drawn at random, decks of the pairing (player's deck in its seat), the
player's result (+1 win, -1 loss, 0 tie or turn limit) and the game's length in engine steps.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

import numpy as np

PLAYERS = ("random", "greedy", "policy", "policy-argmax")
"""What plays the learner's seat: a bot, or the policy (sampling from it, or its most likely action)."""
OPPONENTS = ("random", "greedy")
Z99 = 2.5758
"""Two-sided 99% normal quantile."""


@dataclass
class GameStats:
    engine: str
    player: str
    opponent: str
    games: int = 0
    wins: int = 0
    losses: int = 0
    truncated: int = 0
    lengths: list = field(default_factory=list)

    @property
    def win_rate(self) -> float:
        return self.wins / self.games if self.games else 0.0

    @property
    def mean_length(self) -> float:
        return float(np.mean(self.lengths)) if self.lengths else 0.0

    def ci(self) -> tuple[float, float]:
        """99% Wilson interval of the win rate."""
        n, p = self.games, self.win_rate
        if not n:
            return 0.0, 1.0
        d = 1 + Z99 ** 2 / n
        c = (p + Z99 ** 2 / (2 * n)) / d
        h = Z99 * math.sqrt(p * (1 - p) / n + Z99 ** 2 / (4 * n * n)) / d
        return max(0.0, c - h), min(1.0, c + h)

    def as_json(self) -> dict:
        lo, hi = self.ci()
        return {"engine": self.engine, "player": self.player, "opponent": self.opponent, "games": self.games,
                "wins": self.wins, "losses": self.losses, "ties": self.games - self.wins - self.losses,
                "truncated": self.truncated, "win_rate": round(self.win_rate, 4),
                "win_rate_ci99": [round(lo, 4), round(hi, 4)], "mean_length": round(self.mean_length, 2),
                "length_sd": round(float(np.std(self.lengths)), 2) if self.lengths else 0.0}


def compare(a: GameStats, b: GameStats) -> dict:
    """Do two engines give the same win rate and mean game length? Two-sample z tests at the 99% level (pooled
    proportion for the win rate, Welch's for the length)."""
    p = (a.wins + b.wins) / max(1, a.games + b.games)
    se = math.sqrt(max(p * (1 - p), 1e-12) * (1 / max(a.games, 1) + 1 / max(b.games, 1)))
    zw = (a.win_rate - b.win_rate) / se
    va, vb = np.var(a.lengths, ddof=1) if a.games > 1 else 0.0, np.var(b.lengths, ddof=1) if b.games > 1 else 0.0
    sl = math.sqrt(max(va / max(a.games, 1) + vb / max(b.games, 1), 1e-12))
    zl = (a.mean_length - b.mean_length) / sl
    return {"win_rate_z": round(zw, 3), "length_z": round(zl, 3),
            "win_rate_same": abs(zw) <= Z99, "length_same": abs(zl) <= Z99, "same": abs(zw) <= Z99 and abs(zl) <= Z99}


class Policy:
    """A network and its parameters (from a checkpoint), or none (bots only)."""

    def __init__(self, layout, params=None, hidden: int = 8, embed: int | None = None):
        import jax

        from .network import EMBED, PolicyNet, init_params

        self.net = PolicyNet(layout, hidden, embed or EMBED)
        self.params = params if params is not None else init_params(self.net, jax.random.PRNGKey(0))
        self.apply = lambda p, obs: self.net.apply({"params": p}, obs)

    @classmethod
    def from_checkpoint(cls, path, layout, engine_name: str):
        import jax.numpy as jnp

        from . import checkpoint

        params, meta = checkpoint.load(path)
        checkpoint.check_fits(meta, layout, engine_name, str(path))
        params = {k: _tree(v, jnp.asarray) for k, v in params.items()}
        return cls(layout, params, int(meta["hidden"]), int(meta.get("embed", 16)))


def _tree(x, f):
    return {k: _tree(v, f) for k, v in x.items()} if isinstance(x, dict) else f(x)


class JaxGames:
    """Compiled once per (engine, batch, network shape): plays a batch of games, the player kind and the opponent
    kind being arguments."""

    def __init__(self, pkg, pairs, policy: Policy, batch: int = 500, max_steps: int = 3000):
        import jax
        import jax.numpy as jnp

        from .arena import Arena
        from .features import ObsLayout
        from .network import sample
        from .opponents import Greedy, random_action

        T = pkg.tables
        layout = ObsLayout.from_tables(T)
        self.arena = arena = Arena(pkg.Env(), T, layout, pairs, (1, 1, 0))
        greedy = Greedy(T, layout.active)
        self.batch, self.policy = batch, policy
        apply = policy.apply

        def play(params, player, opp, key):
            k0, key = jax.random.split(key)
            games = arena.new_games(k0, batch, opp)

            def cond(c):
                games, _, _, t = c
                return jnp.any(~(games.state.terminated | games.state.truncated)) & (t < max_steps)

            def body(c):
                games, res, key, t = c
                key, kr, kg, kp, ks = jax.random.split(key, 5)
                obs, mask = games.state.observation, games.state.legal_action_mask
                logits, _ = apply(params, obs)
                a = jnp.select([player == 0, player == 1, player == 2],
                               [random_action(kr, mask), greedy.action(kg, obs, mask), sample(kp, logits, mask)],
                               jnp.argmax(jnp.where(mask, logits, -jnp.inf), -1).astype(jnp.int32))
                games, info = arena.step(ks, games, a, params, reset=False)
                d = info["done"]
                res = (jnp.where(d, info["reward"], res[0]), jnp.where(d, info["length"], res[1]),
                       jnp.where(d, info["truncated"], res[2]))
                return games, res, key, t + 1
            z = jnp.zeros(batch)
            res0 = (z, z.astype(jnp.int32), z.astype(bool))
            games, res, _, _ = jax.lax.while_loop(cond, body, (games, res0, key, jnp.int32(0)))
            over = games.state.terminated | games.state.truncated
            return res, over
        self._play = jax.jit(play)

    def run(self, player: str, opponent: str, games: int, seed: int = 0, progress=None) -> GameStats:
        import jax
        import jax.numpy as jnp

        st = GameStats("jax", player, opponent)
        pk, ok = PLAYERS.index(player), OPPONENTS.index(opponent)
        key = jax.random.PRNGKey(seed)
        while st.games < games:
            key, k = jax.random.split(key)
            (reward, length, trunc), over = jax.device_get(self._play(self.policy.params, jnp.int32(pk),
                                                                        jnp.int32(ok), k))
            n = min(self.batch, games - st.games)
            if not over[:n].all():
                raise RuntimeError("a JAX game did not end within the step cap")
            reward, length, trunc = reward[:n], length[:n], trunc[:n]
            st.games += n
            st.wins += int((reward > 0).sum())
            st.losses += int((reward < 0).sum())
            st.truncated += int(trunc.sum())
            st.lengths += [int(x) for x in length]
            if progress:
                progress(n)
        return st


def reference_games(loaded, refused, pkg, pairs, policy: Policy | None, player: str, opponent: str, games: int,
                    seed: int = 0, batch: int = 256, progress=None) -> GameStats:
    """`games` games on the reference engine, up to `batch` at a time (the policy's decisions batched)."""
    import jax
    import jax.numpy as jnp

    from reference.bots import BOTS
    from reference.engine import Deck
    from reference.session import step_key

    from ..verify.rollout import restricted_engine
    from .features import reference_observation

    T = pkg.tables
    eng = restricted_engine(loaded, set(refused))
    decks = [Deck(n, tuple(int(e) for e in en if e >= 0), tuple(int(c) for c in cs))
             for n, cs, en in zip(pairs.names, pairs.cards, pairs.energy)]
    layout = T.OBS_LAYOUT
    rng = random.Random(seed)
    np_rng = np.random.default_rng(seed)
    uses_net = player.startswith("policy")
    if uses_net:
        fwd = jax.jit(lambda p, o: policy.apply(p, o)[0])
    st = GameStats("reference", player, opponent)
    started = 0

    def new_game():
        nonlocal started
        g = started
        started += 1
        game_seed = seed * 1_000_003 + g
        seat = rng.randrange(2)
        a, b = pairs.pairs[rng.randrange(len(pairs.pairs))]
        dd = [decks[a], decks[b]] if seat == 0 else [decks[b], decks[a]]
        bots = {1 - seat: BOTS[opponent](game_seed + 1)}
        if not uses_net:
            bots[seat] = BOTS[player](game_seed)
        return {"seed": game_seed, "seat": seat, "s": eng.init(dd, game_seed), "bots": bots, "n": 0}

    live = [new_game() for _ in range(min(batch, games))]
    while live:
        want = [g for g in live if uses_net and g["s"].current_player == g["seat"]]
        acts = {}
        if want:
            obs = np.stack([reference_observation(g["s"], g["seat"], layout) for g in want])
            mask = np.array([eng.legal_action_mask(g["s"]) for g in want], bool)
            pad = -len(want) % 64
            logits = np.asarray(fwd(policy.params, jnp.asarray(np.pad(obs, ((0, pad), (0, 0))))))[:len(want)]
            logits = np.where(mask, logits.astype(np.float64), -np.inf)
            for g, lg in zip(want, logits):
                if player == "policy-argmax":
                    acts[id(g)] = int(np.argmax(lg))
                else:
                    p = np.exp(lg - lg.max())
                    acts[id(g)] = int(np_rng.choice(len(p), p=p / p.sum()))
        nxt = []
        for g in live:
            s = g["s"]
            a = acts[id(g)] if id(g) in acts else g["bots"][s.current_player].act(eng, s)
            s = eng.step(s, a, step_key(g["seed"], s))
            g["s"], g["n"] = s, g["n"] + 1
            if s.terminated or s.truncated:
                st.games += 1
                st.lengths.append(g["n"])
                st.truncated += int(bool(s.truncated))
                r = s.rewards[g["seat"]]
                st.wins += int(r > 0)
                st.losses += int(r < 0)
                if progress:
                    progress(1)
                if started < games:
                    nxt.append(new_game())
            else:
                nxt.append(g)
        live = nxt
    return st
