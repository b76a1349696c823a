"""The policy level of `tcgc verify` (DESIGN.md, Verification level 4): the same players on both engines give the
same results. Bots (random, greedy; and a trained policy with `--policy FILE`) play against the random and greedy
bots on the generated JAX engine and on the reference engine; each matchup's win rate and mean game length must agree
between the engines at the 99% level (two-sample z tests, compiler/train/evaluate.py). The games use the engine's
deck pairing (`tcgc train --decks fixed`), or random legal decks when the spec has no deck the engine plays.

A matchup that differs is a failure of the level, like a divergence of the rollout level: with thousands of games
per matchup a real difference in the rules shows, while 1% of honest matchups are expected to fail by chance (run
again with another --seed before hunting for a bug).
"""

from __future__ import annotations

from dataclasses import dataclass, field

BOT_MATCHUPS = (("random", "random"), ("greedy", "random"), ("greedy", "greedy"))
POLICY_MATCHUPS = (("policy", "random"), ("policy", "greedy"))


@dataclass
class PolicyLevelResult:
    decks: str = ""
    matchups: list = field(default_factory=list)
    """One dict per matchup: player, opponent, jax and reference GameStats as JSON, comparison."""

    @property
    def failed(self) -> list:
        return [m for m in self.matchups if not m["comparison"]["same"]]


def run_policy_level(loaded, pkg, refused, games: int, seed: int = 0, batch: int = 500, policy_file=None,
                     progress=None) -> PolicyLevelResult:
    from ..diagnostics import SpecError
    from ..train.engine import deck_pairs, engine_name
    from ..train.evaluate import JaxGames, Policy, compare, reference_games
    from ..train.features import ObsLayout

    layout = ObsLayout.from_tables(pkg.tables)
    pol = Policy.from_checkpoint(policy_file, layout, engine_name(pkg)) if policy_file else Policy(layout)
    try:
        pairs = deck_pairs(loaded, pkg, refused, "fixed", seed)
    except SpecError:
        pairs = deck_pairs(loaded, pkg, refused, "random", seed)
    res = PolicyLevelResult(pairs.label())
    jg = JaxGames(pkg, pairs, pol, batch=min(batch, games))
    matchups = BOT_MATCHUPS + (POLICY_MATCHUPS if policy_file else ())
    for i, (player, opp) in enumerate(matchups):
        s = seed * 7919 + i
        a = jg.run(player, opp, games, s, progress=progress)
        b = reference_games(loaded, refused, pkg, pairs, pol, player, opp, games, s, batch=batch, progress=progress)
        res.matchups.append({"player": player, "opponent": opp, "jax": a.as_json(), "reference": b.as_json(),
                             "comparison": compare(a, b)})
    return res
