"""Known mutations of a generated engine: bugs a real engine could have, each a textual patch of one generated file.

Used by the tests that show the verifier can fail ("a wrong engine is caught", docs/verify.md): `mutant(src, dest,
name)` copies a generated package and applies one patch, checking that each patched text occurs exactly once, so a
change of the runtime templates turns a mutation into a test error instead of a silent no-op.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Mutation:
    name: str
    what: str
    file: str
    """Path inside the package (runtime/effects.py, tables.py ...)."""
    patches: tuple[tuple[str, str], ...]
    """(text that must occur exactly once, its replacement)."""
    level: str
    """The verify level expected to catch it."""


MUTATIONS = {m.name: m for m in (
    Mutation("off_by_one_damage", "an attack's base damage one damage counter (10) too high", "runtime/effects.py",
             (("main=jnp.where(attack_on, g.tab(T.ATK_DAMAGE, acard)[kk].astype(I32), 0)",
               "main=jnp.where(attack_on, g.tab(T.ATK_DAMAGE, acard)[kk].astype(I32) + 10, 0)"),), "rollout"),
    Mutation("skipped_weakness", "Weakness never adds its bonus", "runtime/effects.py",
             (('dmg = dmg + jnp.where(is_weak, R["weakness_bonus"], 0)', "dmg = dmg + jnp.where(is_weak, 0, 0)"),),
             "rollout"),
    Mutation("coin_address", "an effect's coins read one draw index too far", "runtime/effects.py",
             (("coins = (g.draw(addr, ctx.rep * 256 + idx) & jnp.uint32(1)) == 1",
               "coins = (g.draw(addr, ctx.rep * 256 + idx + 1) & jnp.uint32(1)) == 1"),), "interaction"),
    Mutation("lasting_never_expires", "a lasting effect is never dropped at the end of its last turn",
             "runtime/core.py",
             (("ending = (s.dur_mod >= 0) & (s.dur_until <= s.turn)", "ending = (s.dur_mod >= 0) & (s.dur_until < 0)"),),
             "interaction"),
    Mutation("paralysis_ends_early", "Paralysis ends at the end of the turn it was applied, not the owner's next",
             "runtime/core.py",
             (("on = here & (s.rot[p, 0] == PARALYZED) & (p == tp) & (s.paralysis_turn[p, 0] < s.turn)",
               "on = here & (s.rot[p, 0] == PARALYZED) & (s.paralysis_turn[p, 0] <= s.turn)"),), "interaction"),
    Mutation("retreat_mask_left_on", "the legal mask lets an Asleep or Paralyzed Active retreat", "runtime/env.py",
             (("can_retreat = act_here & (core.retreats[p] < R[\"retreats_per_turn\"]) & ~blocked & \\",
               "can_retreat = act_here & (core.retreats[p] < R[\"retreats_per_turn\"]) & \\"),), "interaction"),
    Mutation("hand_leak", "the opponent's hand is left in the observation", "runtime/env.py",
             (('out["hand"] = out["hand"].at[opp].set(-1)', "pass"),), "property"),
    Mutation("target_option_order", "a choice of Pokémon lists its options in reverse order", "runtime/effects.py",
             (("opts = compact(cands, avail)", "opts = compact(cands[::-1], avail[::-1])"),), "interaction"),
)}


def mutant(src: Path, dest: Path, name: str) -> Path:
    """A copy of the generated package `src` at `dest` with mutation `name` applied (AssertionError when a patched
    text is not found exactly once)."""
    m = MUTATIONS[name]
    shutil.copytree(src, dest)
    path = Path(dest) / m.file
    text = path.read_text(encoding="utf-8")
    for old, new in m.patches:
        n = text.count(old)
        assert n == 1, f"mutation {name}: {m.file} has {n} copies of {old!r} (the runtime changed: update the patch)"
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return Path(dest)
