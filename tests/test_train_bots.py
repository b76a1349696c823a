"""The JAX greedy bot picks the reference greedy bot's actions, and the reference engine's observation vector (what
`tcgc eval --engine reference` feeds the policy) is built from the canonical encoding in the generated layout. No
engine compile here: the bots run on reference states."""

from __future__ import annotations

import random

import jax
import jax.numpy as jnp
import numpy as np

from compiler.spec import load_spec
from compiler.train.features import ObsLayout, reference_observation
from compiler.train.opponents import Greedy
from reference.bots import GreedyBot, RandomBot
from reference.decks import random_deck
from reference.session import step_key

from .conftest import EXAMPLE_SPEC


class _FirstTie(random.Random):
    """Ties broken by the first legal action (the reference bot's tie-break draws 0), as argmin does."""

    def random(self):
        return 0.0


def test_jax_greedy_picks_the_reference_greedy_action_in_lockstep(a1_engine):
    from compiler.verify.rollout import restricted_engine

    T = a1_engine.tables
    layout = ObsLayout.from_tables(T)
    greedy = Greedy(T, layout.active)
    pick = jax.jit(lambda obs, mask: greedy.action(None, obs, mask, noise=0.0))
    refused = set()
    import json
    from pathlib import Path

    manifest = json.loads((Path(a1_engine.__file__).parent / "MANIFEST.json").read_text())
    refused = {r["id"] for r in manifest["refused"]}
    eng = restricted_engine(load_spec(EXAMPLE_SPEC), refused)
    checked = attacks = 0
    for g in range(12):
        rng = random.Random(g)
        decks = [random_deck(eng, rng, "a"), random_deck(eng, rng, "b")]
        s = eng.init(decks, g)
        ref = GreedyBot(g)
        ref.rng = _FirstTie()
        other = RandomBot(g)
        while not (s.terminated or s.truncated):
            p = s.current_player
            obs = reference_observation(s, p, T.OBS_LAYOUT)
            mask = np.array(eng.legal_action_mask(s), bool)
            want = ref.act(eng, s)
            got = int(pick(jnp.asarray(obs[None]), jnp.asarray(mask[None]))[0])
            assert got == want, (g, s.turn, eng.layout.name(got), eng.layout.name(want))
            checked += 1
            attacks += eng.layout.decode(want).kind == "attack"
            # player 0 greedy, player 1 random: varied states, both seats checked
            a = want if p == 0 else other.act(eng, s)
            s = eng.step(s, a, step_key(g, s))
    assert checked > 500 and attacks > 20


def test_reference_observation_has_the_generated_layout(a1_engine):
    T = a1_engine.tables
    eng_spec = load_spec(EXAMPLE_SPEC)
    from reference import Engine

    eng = Engine.from_spec(eng_spec)
    rng = random.Random(1)
    s = eng.init([random_deck(eng, rng, "a"), random_deck(eng, rng, "b")], 1)
    for p in (0, 1):
        obs = reference_observation(s, p, T.OBS_LAYOUT)
        assert obs.shape == (T.OBS_SIZE,) and obs.dtype == np.int16
        start = {n: (a, b) for n, _, a, b in T.OBS_LAYOUT}
        a, b = start["hand"]
        half = (b - a) // 2
        assert (obs[a + half:b] == -1).all() and (obs[a:a + half] >= 0).sum() == len(s.players[p].hand)
        a, b = start["deck"]
        assert (obs[a:b] == -1).all()
        a, b = start["hand_count"]
        assert list(obs[a:b]) == [len(s.players[p].hand), len(s.players[1 - p].hand)]
