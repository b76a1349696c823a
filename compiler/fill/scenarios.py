"""The small pool a fill is checked in, and whole-board scenarios on the reference engine where its card plays.

The check pool is a spec written to a folder: the cards that print the text, their evolution lines (and one card
that evolves from each), the cards the fill names (with their lines), and filler cards with plain, parsed effects
(a Basic of every Energy type and Colorless, a Basic ex, a Stage 1 and a Stage 2, an Item, a Supporter and a Tool).
Its fills file holds the candidate fill (and the accepted fills of the other cards), so the candidate reaches both
engines through the same loader and `compiler.pool.card_irs` as any fill.

Scenarios are constructed boards (reference/testing.py) where the card is in the Active Spot, hurt on a crowded
board (with the Basic Pokémon the fill names on the Bench), on the Bench with empty hands and decks, in the hand,
and facing the opponent's turn. In each, every legal
action of the player to act is taken, with step keys chosen until every coin flip it makes has come out both heads
and tails (or `MAX_KEYS` keys were tried), and every option of every decision that follows is taken (breadth-first
over the decision tree, at most `MAX_PATHS` complete paths per action). Any exception fails the check, and so does
a broken invariant of the state after the action (compiler/verify/properties.py: each card in exactly one zone,
damage within HP, a legal action until the end, points and rewards).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .. import ir
from ..spec import PokemonCard, TrainerCard
from ..spec.base import ENERGY_SYMBOLS
from ..yaml_io import dump_yaml

MAX_KEYS = 12
"""Step keys tried per action (until every coin flip seen came out both ways)."""
MAX_PATHS = 24
"""Complete decision paths taken per action and key."""
MAX_STEPS = 6000
"""Engine steps per check, all scenarios together (a check that needs more fails as too large to check)."""
ZONE_TYPES = ("Grass", "Fire", "Water", "Lightning", "Psychic", "Fighting", "Darkness", "Metal")
LETTER = {v: k for k, v in ENERGY_SYMBOLS.items()}
FILLER_SET = "TCGCCHECK"


def _fid(n: int) -> str:
    return f"{FILLER_SET}-{n:03d}"


def filler_cards() -> list[PokemonCard | TrainerCard]:
    """The plain cards every check pool has (ids TCGCCHECK-nnn, names 'Filler ...')."""
    out: list = []
    tackle = {"name": "Filler Tackle", "cost": ["Colorless"], "damage": "10"}
    blast = {"name": "Filler Blast", "cost": ["Colorless", "Colorless", "Colorless"], "damage": "50"}
    types = list(ZONE_TYPES) + ["Colorless"]
    for i, t in enumerate(types):
        weak = ZONE_TYPES[(i + 1) % len(ZONE_TYPES)]
        out.append(PokemonCard(id=_fid(i + 1), name=f"Filler {t}", category="pokemon", stage="basic",
                               hp=60 + 10 * i, type=t, weakness=weak, retreat=1 + i % 2,
                               attacks=[tackle, blast]))
    n = len(out)
    out.append(PokemonCard(id=_fid(n + 1), name="Filler ex", category="pokemon", stage="basic", hp=150,
                           type="Colorless", weakness="Fighting", retreat=2, is_ex=True, attacks=[tackle, blast]))
    out.append(PokemonCard(id=_fid(n + 2), name="Filler Evolved", category="pokemon", stage="stage1",
                           evolves_from="Filler Colorless", hp=110, type="Colorless", weakness="Fighting", retreat=2,
                           attacks=[tackle, blast]))
    out.append(PokemonCard(id=_fid(n + 3), name="Filler Final", category="pokemon", stage="stage2",
                           evolves_from="Filler Evolved", hp=150, type="Colorless", weakness="Fighting", retreat=3,
                           attacks=[tackle, blast]))
    out.append(TrainerCard(id=_fid(n + 4), name="Filler Item", category="trainer", trainer_kind="item",
                           text="Draw a card."))
    out.append(TrainerCard(id=_fid(n + 5), name="Filler Supporter", category="trainer", trainer_kind="supporter",
                           text="Draw 2 cards."))
    out.append(TrainerCard(id=_fid(n + 6), name="Filler Tool", category="trainer", trainer_kind="tool",
                           text="The Pokémon this card is attached to gets +20 HP."))
    return out


def lineage(card, by_name: dict[str, list]) -> list:
    """The card's evolution line, Basic first, ending with the card (names the pool lacks are left out)."""
    line = [card]
    seen = {card.name}
    while isinstance(line[0], PokemonCard) and line[0].evolves_from and line[0].evolves_from not in seen:
        prev = by_name.get(line[0].evolves_from)
        if not prev:
            break
        seen.add(prev[0].name)
        line.insert(0, prev[0])
    return line


def check_pool(loaded, targets: list, node: ir.Node) -> list:
    """The cards of the check pool (see the module docstring), targets first, without duplicate names."""
    from ..pool import named

    by_name = loaded.card_by_name()
    cards: dict[str, object] = {}

    def add_line(card) -> None:
        for c in lineage(card, by_name):
            cards.setdefault(c.id, c)

    for t in targets:
        add_line(t)
        if isinstance(t, PokemonCard):
            evo = next((c for c in loaded.cards.values()
                        if isinstance(c, PokemonCard) and c.evolves_from == t.name), None)
            if evo is not None:
                add_line(evo)
    for what, name in named(node):
        if what == "card" and name in by_name:
            add_line(by_name[name][0])
        elif what in ("attack", "Ability"):
            for c in loaded.cards.values():
                if isinstance(c, PokemonCard) and (
                        what == "attack" and any(a.name == name for a in c.attacks)
                        or what == "Ability" and c.ability is not None and c.ability.name == name):
                    add_line(c)
                    break
    # one card per id; keep targets first (their pool order), then the rest in pool order
    order = {cid: i for i, cid in enumerate(loaded.cards)}
    rest = sorted((c for c in cards.values() if c not in targets), key=lambda c: order[c.id])
    return list(targets) + rest + filler_cards()


def write_check_spec(folder: Path, name: str, rules_ref, cards: list, fills) -> Path:
    """Write the check pool as spec.yaml + cards.yaml + fills.yaml in `folder`; returns the spec's path."""
    from .store import save_fills

    folder.mkdir(parents=True, exist_ok=True)
    cards_data = [c.model_dump(mode="json", exclude_none=True, exclude_defaults=True) | {"category": c.category}
                  for c in cards]
    (folder / "cards.yaml").write_text(dump_yaml({"set": "CHECK", "cards": cards_data}), encoding="utf-8")
    save_fills(fills, folder / "fills.yaml")
    spec = {"name": name, "rules": rules_ref.model_dump(mode="json"), "card_sets": ["cards.yaml"],
            "fills": "fills.yaml"}
    path = folder / "spec.yaml"
    path.write_text(dump_yaml(spec), encoding="utf-8")
    return path


# --- scenarios ----------------------------------------------------------------------------------------------------


@dataclass
class ScenarioReport:
    """What the scenarios did: boards and actions run, whether the card's effect ran, coins, problems."""

    scenarios: int = 0
    actions: int = 0
    runs: int = 0
    steps: int = 0
    effect_runs: int = 0
    coins_one_way: set = field(default_factory=set)
    coins_both_ways: set = field(default_factory=set)
    failure: str | None = None

    def summary(self) -> str:
        coins = ""
        if self.coins_both_ways or self.coins_one_way:
            one = self.coins_one_way - self.coins_both_ways
            coins = f", coins both ways on {len(self.coins_both_ways)} of {len(self.coins_both_ways | one)} flips"
        return (f"{self.scenarios} boards, {self.actions} actions, {self.runs} runs ({self.steps} steps), "
                f"the effect ran {self.effect_runs} times{coins}")


class Budget(Exception):
    """The scenarios took more than MAX_STEPS steps."""


def _energy(code: list[str]) -> str:
    return "".join(LETTER.get(t, "G") if t in ZONE_TYPES else "" for t in code)


def _main_type(card) -> str:
    t = getattr(card, "type", None)
    return t if t in ZONE_TYPES else "Grass"


def attack_energy(card) -> str:
    """Energy (letters) that pays every attack of `card`, plus one more of its type."""
    main = _main_type(card)
    need: Counter = Counter()
    for a in getattr(card, "attacks", []):
        c = Counter(t if t in ZONE_TYPES else main for t in a.cost)
        for t, n in c.items():
            need[t] = max(need[t], n)
    need[main] += 1
    return "".join(LETTER[t] * n for t, n in need.items())


def scenario_boards(eng, target, loaded_check) -> list[tuple[str, object, str]]:
    """(name, State, what the card's effect is) for each scenario of `target`'s card."""
    from reference.testing import board, mon, side

    by_name = loaded_check.card_by_name()
    ids = [c.id for c in loaded_check.cards.values()]
    fill = {c.name: c.id for c in loaded_check.cards.values() if c.id.startswith(FILLER_SET)}
    others = [c for c in loaded_check.cards.values() if not c.id.startswith(FILLER_SET) and c.id != target.id]
    named_basics = [c.id for c in others if isinstance(c, PokemonCard) and c.stage == "basic"]
    named_other = [c.id for c in others if not (isinstance(c, PokemonCard) and c.stage == "basic")]

    def chain(card, **kw):
        return mon(*[c.id for c in lineage(card, by_name)], **kw)

    def fmon(name, **kw):
        if name == "Filler Evolved":
            return mon(fill["Filler Colorless"], fill["Filler Evolved"], **kw)
        return mon(fill[name], **kw)

    item, sup, tool = fill["Filler Item"], fill["Filler Supporter"], fill["Filler Tool"]
    H = eng.rules.hand_limit
    main = _main_type(target)
    zl = LETTER[main]
    weak_to_me = next((f"Filler {t}" for t in ZONE_TYPES
                       if f"Filler {t}" in fill and by_name[f"Filler {t}"][0].weakness == main), "Filler Colorless")
    mixed_deck = [fill["Filler Grass"], fill["Filler Fire"], item, sup, fill["Filler Colorless"], fill["Filler ex"],
                  fill["Filler Evolved"], tool, fill["Filler Water"]] + named_basics[:3] + named_other[:3]
    hand = [item, sup, tool, fill["Filler Colorless"], fill["Filler Evolved"]] + named_basics[:2] + named_other[:2]
    out = []
    is_pokemon = isinstance(target, PokemonCard)
    me = target.id
    eng_ids = set(ids)
    assert me in eng_ids

    def opp_plain():
        return side(active=fmon(weak_to_me, energy="GG"),
                    bench=[fmon("Filler ex", damage=30, energy="G"), fmon("Filler Evolved", tools=[tool])],
                    hand=[item, fill["Filler Fire"], sup], deck=mixed_deck[:8], discard=[item, fill["Filler Water"]],
                    points=1, energy="G", current="G", next="G")

    if is_pokemon:
        e = attack_energy(target)
        line = lineage(target, by_name)
        you = side(active=chain(target, energy=e),
                   bench=[fmon(f"Filler {main}" if f"Filler {main}" in fill else "Filler Colorless"),
                          fmon("Filler ex", energy=zl)],
                   hand=(hand + [c.id for c in others
                                 if isinstance(c, PokemonCard) and c.evolves_from == target.name])[:H],
                   deck=mixed_deck + [c.id for c in line], discard=[item, fill["Filler Grass"], sup] + named_other[:2],
                   discard_energy=zl * 2, energy=zl, current=zl, next=zl)
        out.append(("in the Active Spot", board(eng, you, opp_plain()), "active"))
        hurt = min(30, (target.hp - 10) // 10 * 10)
        bench = [mon(c, energy=zl) for c in named_basics[:2]] + [fmon("Filler Evolved", energy="GG"),
                                                                  fmon("Filler ex", energy=zl),
                                                                  fmon("Filler Metal", damage=20)]
        you = side(active=chain(target, energy=e + zl, damage=max(hurt, 0), conditions=("Poisoned",)),
                   bench=bench[:3],
                   hand=(hand + [item, sup, fill["Filler Fire"]])[:H], deck=[fill["Filler Water"], item], points=2,
                   discard=[fill["Filler Final"], tool], energy=zl, current=zl, next=zl)
        opp = side(active=fmon("Filler ex", damage=50, energy="GGG", conditions=("Asleep",)),
                   bench=[fmon("Filler Grass", damage=10), fmon("Filler Evolved", energy="G", tools=[tool]),
                          fmon("Filler Fire")],
                   hand=[item, sup, fill["Filler Water"], fill["Filler Grass"], tool, item], deck=[item], points=2,
                   energy="G", current="G", next="G")
        out.append(("hurt, on a crowded board", board(eng, you, opp), "active"))
        you = side(active=fmon("Filler Colorless", energy="GG"), bench=[chain(target, energy=e)], energy=zl,
                   current=zl, next=zl)
        opp = side(active=fmon("Filler Fire"), deck=[item, fill["Filler Grass"], sup, fill["Filler Water"], item])
        out.append(("on the Bench, empty hands and decks", board(eng, you, opp), "bench"))
        you = side(active=chain(target, energy=e), bench=[fmon("Filler Colorless")], hand=hand[:3],
                   deck=mixed_deck[:6], energy=zl, current=zl, next=zl)
        opp = side(active=fmon(weak_to_me, energy="GGG"), bench=[fmon("Filler ex")], hand=[item],
                   deck=mixed_deck[:6], energy="G", current="G", next="G")
        out.append(("facing the opponent's turn", board(eng, you, opp, turn=4, turn_player=1), "opponent"))
        if len(line) > 1:
            you = side(active=chain(line[-2], energy=e), hand=[me, item], deck=mixed_deck[:5], energy=zl, current=zl,
                       next=zl)
            out.append(("evolving into it from the hand", board(eng, you, opp_plain()), "hand"))
        else:
            you = side(active=fmon("Filler Colorless", energy="G"), hand=[me, item], deck=mixed_deck[:5],
                       energy=zl, current=zl, next=zl)
            out.append(("played from the hand", board(eng, you, opp_plain()), "hand"))
    else:
        you = side(active=fmon("Filler Evolved", energy="GG", damage=30), bench=[fmon("Filler ex", energy="G")],
                   hand=[me] + hand[:4], deck=mixed_deck, discard=[item, fill["Filler Grass"], sup] + named_other[:2],
                   discard_energy="GG", energy="G", current="G", next="G")
        out.append(("in the hand", board(eng, you, opp_plain()), "hand"))
        you = side(active=fmon("Filler Colorless", energy="G", damage=20, conditions=("Poisoned",)),
                   bench=[fmon("Filler Evolved", energy="GG", damage=10), fmon("Filler ex"),
                          fmon("Filler Grass", damage=40)],
                   hand=[me, item, sup, fill["Filler Fire"], tool, item, sup, fill["Filler Grass"]],
                   deck=[fill["Filler Water"]], points=2, energy="G", current="G", next="G")
        opp = side(active=fmon("Filler ex", damage=50, energy="GG", conditions=("Asleep",)),
                   bench=[fmon("Filler Grass", damage=10), fmon("Filler Evolved", energy="G", tools=[tool]),
                          fmon("Filler Fire")], hand=[item, sup, tool], deck=[item], points=2)
        out.append(("in the hand, on a crowded board", board(eng, you, opp), "hand"))
        you = side(active=fmon("Filler Colorless"), hand=[me], energy="G", current="G", next="G")
        opp = side(active=fmon("Filler Fire"))
        out.append(("in the hand, empty decks", board(eng, you, opp), "hand"))
    return out


def _damage_problems(s) -> list[tuple[str, str]]:
    """Damage on a Pokémon in play that is negative, not a multiple of 10, or (outside a decision) at least its HP
    with every bonus counted."""
    from reference.game import Game

    g = Game(s.engine, s, 0, [])
    out = []
    for p, pl in enumerate(s.players):
        for i, pk in enumerate(pl.slots):
            if pk is None:
                continue
            if pk.damage < 0 or pk.damage % 10:
                out.append(("damage within HP", f"player {p} slot {i}: damage {pk.damage}"))
            elif s.pending is None and not (s.terminated or s.truncated) and pk.damage >= g.max_hp(p, pk):
                out.append(("damage within HP", f"player {p} slot {i}: damage {pk.damage} >= HP "
                            f"{g.max_hp(p, pk)} and still in play"))
    return out


def _coin_lines(s) -> list[tuple[str, bool]]:
    """(which coin, heads?) for each coin flip logged by the step that led to `s`."""
    out = []
    for ev in s.log:
        if ev.kind == "coin":
            head, _, rest = ev.text.partition(":")
            out.append((head, rest.strip().startswith("heads")))
    return out


def _option_order(options: list[int]) -> list[int]:
    """First, last, second, second-to-last, ...: spread the options so a capped search still sees both ends."""
    out, lo, hi = [], 0, len(options) - 1
    while lo <= hi:
        out.append(options[lo])
        if hi != lo:
            out.append(options[hi])
        lo, hi = lo + 1, hi - 1
    return out


def run_scenarios(eng, target, loaded_check, kind: str, node: ir.Node) -> ScenarioReport:
    """Run every scenario of `target` (see the module docstring); `failure` says what went wrong, if anything."""
    import numpy as np

    from reference.export import encode_state

    from ..verify.properties import card_multiset, check_state

    rep = ScenarioReport()
    L = eng.layout
    hp = np.array([info.hp for info in eng.db.cards], np.int32)
    pts = int(eng.rules.points_to_win)
    tindex = eng.db.by_id[target.id]
    try:
        boards = scenario_boards(eng, target, loaded_check)
    except Exception as e:  # a board the engine rejects: a bug of the check, reported as such
        rep.failure = f"the check could not set up its boards: {type(e).__name__}: {e}"
        return rep

    def uses_effect(s, a: int) -> bool:
        """Whether action `a` in `s` runs the effect (or, for a Passive / Triggered / Tool effect, happens while the
        card is in play)."""
        d = L.decode(a)
        pl = s.players[s.current_player]
        if kind == "attack":
            return d.kind == "attack" and pl.slots[0] is not None and s.card_of[pl.slots[0].top] == tindex
        if isinstance(node, ir.Activated):
            return d.kind == "ability" and pl.slots[d.slot] is not None and s.card_of[pl.slots[d.slot].top] == tindex
        if d.kind in ("play", "play_on") and s.card_of[pl.hand[d.hand]] == tindex:
            return True
        if isinstance(node, (ir.Passive, ir.Triggered, ir.Tool)):
            return any(pk is not None and (s.card_of[pk.top] == tindex or any(s.card_of[t] == tindex
                                                                               for t in pk.tools))
                       for p2 in s.players for pk in p2.slots)
        return False

    def invariants(s0, s, own, where: str) -> str | None:
        c = encode_state(s)
        mask = np.array(eng.legal_action_mask(s), bool) if not (s.terminated or s.truncated) else \
            np.ones(L.size, bool)
        bad = check_state(c, mask, np.array(s.rewards, np.float32), own, hp, np.array([p.points for p in s0.players]),
                          pts)
        bad = [b for b in bad if b[0] != "damage within HP"] + _damage_problems(s)  # HP with its bonuses
        return f"{where}: broke '{bad[0][0]}': {bad[0][1]}" if bad else None

    for name, s0, _where in boards:
        rep.scenarios += 1
        c0 = encode_state(s0)
        own = [sorted(card_multiset(c0, p).elements()) for p in range(2)]
        for a in eng.legal_actions(s0):
            rep.actions += 1
            hits = uses_effect(s0, a)
            seen: dict[str, set] = {}
            for key in range(1, MAX_KEYS + 1):
                where = f"board '{name}', action {L.name(a)} (key {key})"
                try:
                    leaves = _explore(eng, s0, a, key, rep)
                except Budget:
                    rep.failure = f"the scenarios need more than {MAX_STEPS} engine steps: too large to check"
                    return rep
                except Exception as e:
                    rep.failure = f"{where}: the reference engine raised {type(e).__name__}: {e}"
                    return rep
                for path, s, coins in leaves:
                    rep.runs += 1
                    if hits:
                        rep.effect_runs += 1
                    why = invariants(s0, s, own, where + (f", choices {path}" if path else ""))
                    if why:
                        rep.failure = why
                        return rep
                    count: Counter = Counter()
                    for coin, heads in coins:
                        count[coin] += 1
                        seen.setdefault(f"{coin} #{count[coin]}", set()).add(heads)
                if not seen or all(len(v) == 2 for v in seen.values()):
                    break
            for coin, outs in seen.items():
                (rep.coins_both_ways if len(outs) == 2 else rep.coins_one_way).add(f"{name}: {L.name(a)}: {coin}")
    return rep


def _explore(eng, s0, action: int, key: int, rep: ScenarioReport) -> list[tuple[list[str], object, list]]:
    """Every complete result of `action` from `s0` with `key`: (decision path, state, coin flips), taking each
    option of each decision (at most MAX_PATHS paths)."""
    from reference.state import CHOICE

    L = eng.layout
    first = eng.step(s0, action, key)
    rep.steps += 1
    frontier = [([], first, _coin_lines(first))]
    done = []
    while frontier and len(done) < MAX_PATHS:
        path, s, coins = frontier.pop(0)
        if s.phase != CHOICE or s.terminated or s.truncated:
            done.append((path, s, coins))
            continue
        for c in _option_order(eng.legal_actions(s)):
            if rep.steps >= MAX_STEPS:
                raise Budget()
            nxt = eng.step(s, c, 0)
            rep.steps += 1
            frontier.append((path + [L.name(c)], nxt, coins + _coin_lines(nxt)))
            if len(frontier) + len(done) >= MAX_PATHS * 4:
                break
    return done
