"""Building blocks for interaction tests: small card pools with hand-written IR, constructed boards, and a
canonical `view` of a state to compare with an expected board.

    eng = engine([poke("T-1", "Pika", hp=60, attacks=[atk("Zap", "L", 30)])])
    s = board(eng, you=side(active=mon("T-1")), opp=side(active=mon("T-1")))
    after = eng.step(s, eng.layout.attack(0), key=1)
    assert view(after) == view(board(...expected...))
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from compiler import ir
from compiler.engine_model.rng import Addr, address
from compiler.spec import AbilitySpec, AttackSpec, PokemonCard, RulesSpec, TrainerCard
from compiler.spec.base import ENERGY_SYMBOLS

from .cards import CardDB, card_info
from .effects import set_card_ir
from .engine import Engine
from .state import ENERGY_TYPES, MAIN, N_ENERGY, ROT_NAMES, PlayerState, Pokemon, State

LETTER = {v: k for k, v in ENERGY_SYMBOLS.items()}


def energy_list(code: str) -> list[str]:
    """'GGC' -> ['Grass', 'Grass', 'Colorless']."""
    return [ENERGY_SYMBOLS[c] for c in code]


@dataclass
class TestCard:
    """A card model plus its IR (built by hand, so tests don't depend on the grammar)."""

    card: Any
    cir: ir.CardIR


def atk(name: str, cost: str = "", damage: int | str = 0, *steps, requirement=None, damage_at=None) -> tuple:
    """An attack: (AttackSpec, CardAttack)."""
    dmg = str(damage) if damage not in (0, "0", "") else ""
    spec = AttackSpec(name=name, cost=energy_list(cost), damage=dmg, text="effect" if steps else None)
    eff = ir.Attack(steps=tuple(steps), requirement=requirement, damage_at=damage_at)
    return spec, ir.CardAttack(name=name, base_damage=spec.base_damage if spec.damage_suffix != "x" else 0,
                               suffix=spec.damage_suffix, effect=eff)


def poke(cid: str, name: str, hp: int = 100, type: str = "Colorless", attacks=(), ability=None, weakness=None,
         retreat: int = 1, stage: str = "basic", evolves_from: str | None = None, ex: bool = False,
         mega: bool = False) -> TestCard:
    card = PokemonCard(id=cid, name=name, category="pokemon", stage=stage, evolves_from=evolves_from, hp=hp,
                       type=type, weakness=weakness, retreat=retreat, is_ex=ex or mega, is_mega=mega,
                       attacks=[a[0] for a in attacks],
                       ability=AbilitySpec(name=f"{name} ability", text="ability") if ability is not None else None)
    return TestCard(card, ir.CardIR(card_id=cid, attacks=tuple(a[1] for a in attacks), ability=ability))


def trainer(cid: str, name: str, kind: str = "item", effect=None, fossil_hp: int | None = None) -> TestCard:
    card = TrainerCard(id=cid, name=name, category="trainer", trainer_kind=kind, is_fossil=fossil_hp is not None,
                       text="text")
    eff = ir.Fossil(hp=fossil_hp) if fossil_hp is not None else effect
    return TestCard(card, ir.CardIR(card_id=cid, trainer=eff))


def engine(cards: list[TestCard], **overrides) -> Engine:
    rules = RulesSpec.model_validate({**RulesSpec().model_dump(), **overrides})
    db = CardDB([card_info(i, c.card, rules) for i, c in enumerate(cards)], rules)
    for info, c in zip(db.cards, cards):
        set_card_ir(info, c.cir)
    db.max_attacks = max([len(c.attacks) for c in db.cards] + [1])
    return Engine(db)


@dataclass
class Mon:
    """A Pokémon for a constructed board: card ids (Basic first), damage, Energy ('GGR'), conditions, tools."""

    cards: list[str]
    damage: int = 0
    energy: str = ""
    conditions: tuple[str, ...] = ()
    tools: list[str] = field(default_factory=list)
    entered_turn: int = 0
    ability_used: bool = False
    attacks_in_play: int = 0
    attack_damaged_times: int = 0


def mon(*cards: str, **kw) -> Mon:
    return Mon(list(cards), **kw)


@dataclass
class Side:
    active: Mon | None = None
    bench: list[Mon | None] = field(default_factory=list)
    hand: list[str] = field(default_factory=list)
    deck: list[str] = field(default_factory=list)
    discard: list[str] = field(default_factory=list)
    points: int = 0
    energy: str = "G"
    """Energy Zone types, e.g. 'L' (Grass by default)."""
    current: str | None = None
    next: str | None = None
    discard_energy: str = ""
    supporters_played: int = 0
    retreats: int = 0
    energy_attached: int = 0
    turns_taken: int = 2
    knocked_out: int = 0
    """Pokémon of this player Knocked Out so far (ir.KnockOutCount)."""


def side(**kw) -> Side:
    return Side(**kw)


def board(eng: Engine, you: Side, opp: Side, turn: int = 3, turn_player: int = 0, first_player: int | None = None,
          stadium: str | None = None, stadium_owner: int | None = None) -> State:
    """A state in the main phase of `turn_player`'s turn; `you` is player 0, `opp` player 1. The `stadium` in play
    belongs to `stadium_owner` (the turn player by default)."""
    db = eng.db
    card_of: list[int] = []

    def inst(cid: str) -> int:
        card_of.append(db.by_id[cid])
        return len(card_of) - 1

    def mk_mon(m: Mon | None) -> Pokemon | None:
        if m is None:
            return None
        pk = Pokemon([inst(c) for c in m.cards], entered_turn=m.entered_turn, damage=m.damage,
                     ability_used=m.ability_used, attacks_in_play=m.attacks_in_play,
                     attack_damaged_times=m.attack_damaged_times)
        for c in m.energy:
            pk.energy[ENERGY_TYPES.index(ENERGY_SYMBOLS[c])] += 1
        pk.tools = [inst(t) for t in m.tools]
        for cond in m.conditions:
            if cond == "Poisoned":
                pk.poisoned = True
            elif cond == "Burned":
                pk.burned = True
            else:
                pk.rot = {v: k for k, v in ROT_NAMES.items()}[cond]
                if cond == "Paralyzed":
                    pk.paralysis_left = eng.rules.special_conditions.paralysis_turns
                    pk.paralysis_turn = turn - 1
        return pk

    def etype(c: str | None) -> int:
        return -1 if c is None else ENERGY_TYPES.index(ENERGY_SYMBOLS[c])

    players = []
    for sd in (you, opp):
        slots = [mk_mon(sd.active)] + [mk_mon(b) for b in sd.bench]
        slots += [None] * (1 + eng.rules.bench_size - len(slots))
        de = [0] * N_ENERGY
        for c in sd.discard_energy:
            de[ENERGY_TYPES.index(ENERGY_SYMBOLS[c])] += 1
        pl = PlayerState(deck=[inst(c) for c in sd.deck], hand=[inst(c) for c in sd.hand], slots=slots,
                         energy_types=tuple(etype(c) for c in sd.energy),
                         discard=[inst(c) for c in sd.discard], points=sd.points, energy_current=etype(sd.current),
                         energy_next=etype(sd.next), discard_energy=de, supporters_played=sd.supporters_played,
                         retreats=sd.retreats, energy_attached=sd.energy_attached, turns_taken=sd.turns_taken,
                         knocked_out=sd.knocked_out)
        players.append(pl)
    s = State(players=players, card_of=card_of, turn=turn, turn_player=turn_player, current_player=turn_player,
              first_player=first_player if first_player is not None else (0 if turn % 2 == 1 else 1) ^ turn_player,
              phase=MAIN, engine=eng)
    if stadium is not None:
        s.stadium, s.stadium_owner = inst(stadium), turn_player if stadium_owner is None else stadium_owner
    return s


def view(s: State) -> dict[str, Any]:
    """Everything rule-relevant in a state, with card ids instead of instance numbers (for exact comparison)."""
    db = s.engine.db

    def cid(i: int) -> str:
        return db[s.card_of[i]].id

    def energy(counts: list[int]) -> str:
        return "".join(LETTER[ENERGY_TYPES[t]] * n for t, n in enumerate(counts))

    players = []
    for pl in s.players:
        slots = []
        for pk in pl.slots:
            slots.append(None if pk is None else {
                "cards": [cid(c) for c in pk.cards], "damage": pk.damage, "energy": energy(pk.energy),
                "conditions": sorted(pk.conditions()), "tools": [cid(t) for t in pk.tools],
                "ability_used": pk.ability_used})
        players.append({"points": pl.points, "hand": [cid(i) for i in pl.hand], "deck": sorted(cid(i) for i in pl.deck),
                        "discard": sorted(cid(i) for i in pl.discard), "discard_energy": energy(pl.discard_energy),
                        "slots": slots, "energy_current": pl.energy_current, "energy_next": pl.energy_next,
                        "supporters_played": pl.supporters_played, "retreats": pl.retreats,
                        "energy_attached": pl.energy_attached})
    pending = None if s.pending is None else (s.pending.kind, list(s.pending.options))
    return {"turn": s.turn, "turn_player": s.turn_player, "current_player": s.current_player, "phase": s.phase,
            "winner": s.winner, "terminated": s.terminated, "truncated": s.truncated, "pending": pending,
            "stadium": cid(s.stadium) if s.stadium >= 0 else None, "stadium_owner": s.stadium_owner,
            "players": players,
            "durations": sorted(duration_view(s, d) for d in s.durations)}


def game_over(v: dict[str, Any], winner: int, truncated: bool = False) -> dict[str, Any]:
    """The expected view `v` of a finished game: phase "over", `winner` (2: a tie); `truncated` when the turn limit
    ended it (the engine then marks it terminated too)."""
    return {**v, "phase": "over", "winner": winner, "terminated": True, "truncated": truncated}


def duration_view(s: State, d) -> tuple:
    """A lasting effect as (player it applies to, card id of the Pokémon or None, last turn, modifier op)."""
    mod = d.data[0] if isinstance(d.data, tuple) else d.data
    target = s.engine.db[s.card_of[d.target]].id if d.target >= 0 else None
    return (d.player, target, d.until, getattr(mod, "op", type(mod).__name__))


def effect_address(eng: Engine, card_id: str, eslot: int, me: int, src_slot: int, *path: int) -> int:
    """The draw-site address of a node of a card's effect (see effects.Ctx.addr)."""
    return address(Addr.EFFECT, eng.db.by_id[card_id], eslot, me, src_slot, *path)


def key_where(pred, start: int = 1) -> int:
    """The first key (from `start`) for which pred(key) holds: to force a coin or a random pick in a test."""
    k = start
    while not pred(k):
        k += 1
    return k


def board_diff(a: Any, b: Any, path: str = "") -> list[str]:
    """The differences between two views, one line per differing field ('.players[1].slots[0].damage: 40 != 30'):
    for a readable assertion message (tests/conftest.py can return it from pytest_assertrepr_compare)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return [d for k in sorted(set(a) | set(b), key=str)
                for d in board_diff(a.get(k, "<missing>"), b.get(k, "<missing>"), f"{path}.{k}")]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in board_diff(x, y, f"{path}[{i}]")]
    return [] if a == b else [f"{path}: {a!r} != {b!r}"]
