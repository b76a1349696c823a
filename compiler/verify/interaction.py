"""The interaction check: constructed states for each card effect of the pool, stepped on both engines from the same
canonical state and compared after every step (DESIGN.md, Verification level 2).

For every distinct effect of the pool (an attack's effect, a Trainer's or Tool's text, an Ability), a few boards
are built where it applies: the card's Pokémon Active with the Energy its attack needs (or the Trainer in the hand,
the Ability's Pokémon in play), and around it boards with targets present and absent (empty or full Benches,
damaged and conditioned Pokémon, cards in deck, hand and discard pile, a Stadium, Weakness or not). The reference
engine takes the effect's action under keys searched so that each coin outcome (heads and tails, as the reference's
coin events show) is taken, then every option of every decision it asks (branching), then a short continuation
(attack when it can, else end the turn) through the next turns, so that lasting effects, Special Conditions and
their expiry are stepped too. Each path (start state, actions, keys) is then replayed on the generated engine from
the same state (`to_jax_core`: the reference state's zones and instances, loaded into the generated Core), and its
canonical state, legal mask and both players' observations are compared with the reference's after every step.

A board is a JSON-friendly description (`build_state`), so a divergence's reproducer (`tcgc play --replay FILE`)
carries it: the replay starts from the board, not from a seed's first state.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from .rollout import Lockstep, diff_fields, restricted_engine

CONDITIONS = ("Asleep", "Paralyzed", "Confused", "Poisoned", "Burned")
MAX_BRANCHES = 12
"""Decision paths followed per (board, key)."""
KEY_TRIES = 24
"""Keys tried per board to find distinct coin outcomes."""
MAX_KEYS = 4
"""Keys kept per board (one per distinct coin outcome, the first key always)."""
FOLLOW = 8
"""Steps of the continuation after the effect resolved."""


# --- boards ---------------------------------------------------------------------------------------------------------
def build_state(eng, board: dict):
    """A reference State from a board description (see module doc): instances numbered as a game's (player p owns
    p*deck_size..), main phase of `turn_player`'s turn, no lasting effect and no pending decision.

    board = {"turn", "turn_player", "first_player", "stadium": card|None, "stadium_owner",
             "players": [{"active": mon|None, "bench": [mon|None], "hand", "deck", "discard": [card],
                          "points", "energy_types": [t], "energy_current": t, "energy_next": t}, x2]}
    mon = {"cards": [card, ...] (Basic first), "damage", "energy": [count per type], "conditions": [name],
           "tools": [card]}"""
    from reference.state import MAIN, N_ENERGY, ROT_NAMES, PlayerState, Pokemon, State

    D = eng.rules.deck_size
    rot_of = {v: k for k, v in ROT_NAMES.items()}
    card_of = [-1] * (2 * D)
    turn = int(board["turn"])
    players = []
    for p, sd in enumerate(board["players"]):
        nxt = [p * D]

        def inst(card: int) -> int:
            i = nxt[0]
            if i >= (p + 1) * D:
                raise ValueError(f"player {p} has more than {D} cards on the board")
            card_of[i] = int(card)
            nxt[0] += 1
            return i

        def mk(m):
            if m is None:
                return None
            pk = Pokemon([inst(c) for c in m["cards"]], entered_turn=int(m.get("entered_turn", 0)),
                         damage=int(m.get("damage", 0)))
            pk.energy = list(m.get("energy", [0] * N_ENERGY))
            pk.tools = [inst(t) for t in m.get("tools", [])]
            for cond in m.get("conditions", []):
                if cond == "Poisoned":
                    pk.poisoned = True
                elif cond == "Burned":
                    pk.burned = True
                else:
                    pk.rot = rot_of[cond]
                    if cond == "Paralyzed":
                        pk.paralysis_left = eng.rules.special_conditions.paralysis_turns
                        pk.paralysis_turn = turn - 1
            return pk

        slots = [mk(sd.get("active"))] + [mk(b) for b in sd.get("bench", [])]
        slots += [None] * (1 + eng.rules.bench_size - len(slots))
        pl = PlayerState(deck=[inst(c) for c in sd.get("deck", [])], hand=[inst(c) for c in sd.get("hand", [])],
                         slots=slots, energy_types=tuple(sd["energy_types"]),
                         discard=[inst(c) for c in sd.get("discard", [])], points=int(sd.get("points", 0)),
                         energy_current=int(sd.get("energy_current", -1)),
                         energy_next=int(sd.get("energy_next", -1)), turns_taken=int(sd.get("turns_taken", 2)))
        if board.get("stadium") is not None and int(board.get("stadium_owner", 0)) == p:
            stadium = inst(board["stadium"])
        players.append(pl)
    tp = int(board["turn_player"])
    s = State(players=players, card_of=card_of, turn=turn, turn_player=tp, current_player=tp,
              first_player=int(board["first_player"]), phase=MAIN, engine=eng)
    if board.get("stadium") is not None:
        s.stadium, s.stadium_owner = stadium, int(board.get("stadium_owner", 0))
    return s


def to_jax_core(T, s, empty: dict) -> dict:
    """The generated engine's Core fields (as NumPy arrays) of reference state `s`: the same card instances in the
    same zone order. `empty` is `empty_core(T)` as NumPy arrays. Only states without lasting effects or a pending
    decision (what `build_state` makes)."""
    from reference.export import encode_state

    if s.durations or s.pending is not None:
        raise ValueError("to_jax_core takes a state without lasting effects or a pending decision")
    c = {k: np.array(v) for k, v in empty.items()}
    enc = encode_state(s)
    co = np.full(c["card_of"].shape, -1, np.int64)
    co[:len(s.card_of)] = s.card_of
    c["card_of"][:] = co
    for f in ("turn", "turn_actions", "turn_player", "current_player", "first_player", "phase", "winner",
              "terminated", "truncated", "stadium_owner", "points", "discard_energy", "energy_types",
              "energy_current", "energy_next", "supporters_played", "retreats", "energy_attached", "turns_taken",
              "ko_by_attack_turn", "last_attack", "last_attack_turn"):
        c[f][...] = enc[f]
    c["stadium"][...] = s.stadium

    def put(name, idx, values):
        arr = c[name][idx]
        arr[:] = -1
        arr[:len(values)] = values

    for p, pl in enumerate(s.players):
        put("deck", p, pl.deck)
        put("hand", p, pl.hand)
        put("discard", p, pl.discard)
        for i, pk in enumerate(pl.slots):
            if pk is None:
                continue
            put("stack", (p, i), pk.cards)
            put("tools", (p, i), pk.tools)
            for f in ("damage", "energy", "poisoned", "burned", "rot", "paralysis_left", "paralysis_turn",
                      "entered_turn", "evolved_turn", "ability_used", "poison_damage", "moved_active_turn",
                      "attack_damaged_turn"):
                c[f][p, i] = enc[f][p, i]
    return c


# --- effects of the pool --------------------------------------------------------------------------------------------
@dataclass
class Effect:
    """One distinct effect of the pool and the cards that carry it."""

    key: str
    kind: str  # attack | trainer | tool | ability
    label: str
    cards: list[tuple[int, int]] = field(default_factory=list)
    """(card index, attack index or -1)."""
    ops: tuple[str, ...] = ()
    flips: bool = False
    names: tuple[str, ...] = ()
    """Card names the effect mentions (a requirement, a search by name): a 'named' board puts them in play."""
    scenarios: int = 0
    applied: int = 0
    coin_outcomes: set = field(default_factory=set)
    decisions: int = 0
    divergences: int = 0
    why_not: str = ""
    reference_errors: list = field(default_factory=list)


def _ops(node, names: set | None = None) -> set[str]:
    """The IR ops used by `node` (and the card names its name_is nodes mention, into `names`)."""
    out = set()

    def walk(x):
        if isinstance(x, dict):
            if isinstance(x.get("op"), str):
                out.add(x["op"])
                if x["op"] == "name_is" and names is not None:
                    names.update(x.get("names", ()))
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
    walk(node.model_dump(mode="json") if hasattr(node, "model_dump") else node)
    return out


def pool_effects(eng, names: tuple[str, ...] = ()) -> tuple[list[Effect], list[str]]:
    """The distinct effects of the playable pool (restricted to cards named in `names` when given), and the cards
    left out (not executable or refused by the lowering)."""
    effects: dict[str, Effect] = {}
    skipped = []
    wanted = {n.lower() for n in names}
    for info in eng.db.cards:
        if wanted and info.name.lower() not in wanted and info.id.lower() not in wanted:
            continue
        if not info.executable:
            skipped.append(f"{info.id} {info.name}: {'; '.join(info.problems)[:160]}")
            continue
        items = []
        if info.kind == "pokemon":
            for k, a in enumerate(info.attacks):
                eff = a.effect
                body = eff.model_dump_json() if eff is not None else "null"
                items.append((f"attack|{a.suffix}|{body}", "attack", k, eff, f"attack {a.name!r}"))
            if info.ability is not None:
                items.append((f"ability|{info.ability.model_dump_json()}", "ability", -1, info.ability,
                              f"Ability {info.ability_name!r}"))
        elif info.effect is not None:
            kind = "tool" if info.kind == "tool" else "trainer"
            items.append((f"{info.kind}|{info.effect.model_dump_json()}", kind, -1, info.effect, info.kind))
        for key, kind, k, node, what in items:
            e = effects.get(key)
            if e is None:
                mentioned: set = set()
                ops = tuple(sorted(_ops(node, mentioned))) if node is not None else ()
                e = effects[key] = Effect(key, kind, f"{info.id} {info.name}: {what}", ops=ops,
                                          flips="flip" in ops or "coin_outcome" in ops,
                                          names=tuple(sorted(mentioned)))
            e.cards.append((info.index, k))
    out = list(effects.values())
    if not wanted:
        out += [Effect(f"rule|{g}", "rule", f"rules: {what}", cards=[(-1, -1)], ops=(), flips=g == "end_turn")
                for g, what in RULES]
    return out, skipped


RULES = (("attach_energy", "attach the Zone's Energy"), ("play_basic", "play a Basic to the Bench"),
         ("evolve", "evolve"), ("retreat", "retreat"), ("end_turn", "end the turn (Checkup, the next turn)"))
"""The rules' own actions, built like card effects (`--cards` leaves them out)."""


# --- scenarios (reference side) -------------------------------------------------------------------------------------
@dataclass
class Path:
    effect: int
    card: int
    variant: str
    board: dict
    actions: list[int]
    keys: list[int]
    states: list  # reference states: start, then after each action


class Boards:
    """Random board parts drawn from the playable pool."""

    def __init__(self, eng):
        from reference.state import COLORLESS

        self.eng = eng
        db = eng.db
        self.pool = [c for c in db.cards if c.executable]
        self.basics = [c for c in self.pool if c.is_basic]
        self.trainers = [c for c in self.pool if c.kind != "pokemon"]
        self.tools = [c for c in self.pool if c.kind == "tool"]
        self.stadiums = [c for c in self.pool if c.kind == "stadium"]
        self.colorless = COLORLESS
        self.by_name = {}
        for c in self.pool:
            self.by_name.setdefault(c.name, c)

    def stack(self, info) -> list[int]:
        """The card's evolution stack, Basic first (pre-evolutions by name from the pool)."""
        out = [info.index]
        cur = info
        while cur.evolves_from and len(out) < 3:
            pre = self.by_name.get(cur.evolves_from)
            if pre is None:
                break
            out.insert(0, pre.index)
            cur = pre
        return out

    def energy_for(self, info, k: int, rng, extra: int) -> list[int]:
        from reference.state import N_ENERGY

        e = [0] * N_ENERGY
        own = info.type if 0 <= info.type < N_ENERGY else rng.randrange(N_ENERGY)
        if k >= 0:
            for t in info.attacks[k].cost:
                e[t if t < N_ENERGY else own] += 1
        for _ in range(extra):
            e[rng.choice((own, rng.randrange(N_ENERGY)))] += 1
        return e

    def mon(self, rng, info=None, full=False, conditions=False) -> dict:
        from reference.state import N_ENERGY

        info = info or rng.choice(self.basics)
        m = {"cards": self.stack(info), "damage": 0, "energy": [0] * N_ENERGY, "conditions": [], "tools": []}
        if full:
            m["damage"] = 10 * rng.randrange(0, max(1, info.hp // 10))
            for _ in range(rng.randrange(0, 4)):
                m["energy"][rng.randrange(N_ENERGY)] += 1
            if self.tools and rng.random() < 0.3 and self.eng.rules.tools_per_pokemon > 0:
                m["tools"] = [rng.choice(self.tools).index]
        if conditions:
            rot = rng.choice((None, "Asleep", "Paralyzed", "Confused"))
            m["conditions"] = ([rot] if rot else []) + [c for c in ("Poisoned", "Burned") if rng.random() < 0.4]
        return m

    def cards(self, rng, n: int) -> list[int]:
        return [rng.choice(self.pool).index for _ in range(n)]

    def board(self, rng, variant: str, mine: dict | None, hand: list[int], opp_active: dict | None = None) -> dict:
        """A board of one of the variants: 'bare' (Actives only, small deck), 'full' (Benches, hands, discard
        piles, damage), 'conditions' (also Special Conditions and Tools), 'late' (a Stadium, points, nearly
        empty deck)."""
        full = variant != "bare"
        cond = variant == "conditions"
        variant = "full" if variant == "named" else variant
        me_active = mine or self.mon(rng, full=full, conditions=cond)
        if opp_active is None:
            opp_active = self.mon(rng, full=full, conditions=cond)
        bench_n = 0 if variant == "bare" else rng.randrange(1, self.eng.rules.bench_size + 1)

        def side(active, own_hand, bench, conditions):
            deck_n = {"bare": 6, "late": 1}.get(variant, 10)
            pl = {"active": active,
                  "bench": [self.mon(rng, full=full, conditions=conditions) for _ in range(bench)],
                  "hand": own_hand, "deck": self.cards(rng, deck_n),
                  "discard": self.cards(rng, 0 if variant == "bare" else 4),
                  "points": rng.randrange(0, 3) if variant == "late" else 0,
                  "energy_types": sorted({rng.randrange(8) for _ in range(rng.randrange(1, 3))})}
            pl["energy_current"] = rng.choice(pl["energy_types"])
            pl["energy_next"] = rng.choice(pl["energy_types"])
            return pl

        me = side(me_active, list(hand) + (self.cards(rng, 3) if full else []), bench_n, cond)
        opp = side(opp_active, self.cards(rng, 3), bench_n if variant != "full" else rng.randrange(0, 4), cond)
        b = {"turn": 5, "turn_player": 0, "first_player": 0, "players": [me, opp], "stadium": None,
             "stadium_owner": -1}
        if variant == "late" and self.stadiums:
            b["stadium"], b["stadium_owner"] = rng.choice(self.stadiums).index, rng.randrange(2)
        return b

    def name_cards(self, rng, b: dict, names) -> None:
        """The cards named by an effect: Pokémon of those names on your Bench, one of each in the hand, the deck
        and the discard pile."""
        named = [c for c in self.pool if c.name in set(names)]
        if not named:
            return
        me = b["players"][0]
        mons = [self.mon(rng, c, full=True) for c in named if c.kind == "pokemon"]
        me["bench"] = (mons + me["bench"])[:self.eng.rules.bench_size]
        for zone in ("hand", "deck", "discard"):
            me[zone] = [c.index for c in named] + me[zone]

    def rule_board(self, rng, variant: str, group: str) -> dict:
        """A board for one of the rules' actions: a Basic in the hand (play_basic), an evolution in the hand whose
        Basic is on the Bench (evolve), Energy on the Active to pay its retreat (retreat)."""
        b = self.board(rng, variant, None, [rng.choice(self.basics).index] if group == "play_basic" else [])
        me = b["players"][0]
        if group == "evolve":
            evos = [c for c in self.pool if c.kind == "pokemon" and c.stage > 0 and c.evolves_from in self.by_name]
            if evos:
                e = rng.choice(evos)
                pre = self.mon(rng, self.by_name[e.evolves_from], full=variant != "bare")
                me["bench"] = ([pre] + me["bench"])[:self.eng.rules.bench_size]
                me["hand"] = [e.index] + me["hand"]
        if group == "retreat":
            if not me["bench"]:
                me["bench"] = [self.mon(rng, full=True)]
            me["active"]["energy"][rng.randrange(8)] += 3
        return b

    def fit(self, b: dict) -> dict:
        """Trim hands and decks so that each player holds at most deck_size cards and hand_limit in hand."""
        D, H = self.eng.rules.deck_size, self.eng.rules.hand_limit
        for pl in b["players"]:
            pl["hand"] = pl["hand"][:H]
            mons = [m for m in [pl["active"]] + pl["bench"] if m is not None]
            held = sum(len(m["cards"]) + len(m["tools"]) for m in mons) + len(pl["hand"]) + len(pl["discard"])
            held += 1 if b.get("stadium") is not None else 0
            while held + len(pl["deck"]) > D and (pl["discard"] or pl["deck"]):
                (pl["discard"] if pl["discard"] else pl["deck"]).pop()
                held = sum(len(m["cards"]) + len(m["tools"]) for m in mons) + len(pl["hand"]) + len(pl["discard"])
                held += 1 if b.get("stadium") is not None else 0
        return b


VARIANTS = ("bare", "full", "conditions", "late")


def _coin_signature(states) -> tuple:
    return tuple(str(ev) for s in states for ev in s.log if ev.kind == "coin")


def _effect_actions(eng, s, effect: Effect, card: int, k: int) -> list[int]:
    """The legal actions of state `s` that use the effect: its attack, the card played from the hand (onto each
    slot it can go to), its Ability."""
    lay = eng.layout
    legal = set(eng.legal_actions(s))
    me = s.players[s.turn_player]
    out = []
    if effect.kind == "attack":
        out = [lay.attack(k)]
    elif effect.kind in ("trainer", "tool"):
        for h, i in enumerate(me.hand):
            if s.card_of[i] == card:
                out = [lay.play(h)] + [lay.play_on(h, sl) for sl in range(1 + eng.rules.bench_size)]
                break
    elif effect.kind == "rule":
        group = effect.key.split("|", 1)[1]
        names = lay.names()
        prefix = {"attach_energy": "attach_energy:", "play_basic": "play:", "evolve": "play_on:",
                  "retreat": "retreat:", "end_turn": "end_turn"}[group]
        out = [a for a in sorted(legal) if names[a].startswith(prefix)]
        if group == "play_basic":
            out = [a for a in out if eng.db[s.card_of[me.hand[lay.decode(a).hand]]].plays_as_basic]
    elif effect.kind == "ability":
        out = [lay.ability(sl) for sl, pk in enumerate(me.slots) if pk is not None and s.card_of[pk.top] == card]
    return [a for a in out if a in legal]


def _follow(eng, s) -> int:
    """The continuation's action: the first option of a decision, else an attack when one is legal, else end the
    turn."""
    lay = eng.layout
    legal = eng.legal_actions(s)
    if s.pending is not None:
        return legal[0]
    attacks = [lay.attack(k) for k in range(eng.db.max_attacks)]
    for a in attacks:
        if a in legal:
            return a
    return lay.end_turn() if lay.end_turn() in legal else legal[0]


def make_paths(eng, effects: list[Effect], seed: int = 0, cards_per_effect: int = 2,
               variants=VARIANTS) -> list[Path]:
    """The reference side: boards, keys, decisions and continuations for every effect; paths to replay."""
    boards = Boards(eng)
    rng0 = random.Random(seed)
    paths: list[Path] = []
    lay = eng.layout
    for ei, e in enumerate(effects):
        chosen = e.cards[:cards_per_effect]
        for card, k in chosen:
            info = eng.db[card] if card >= 0 else None
            for variant in variants + (("named",) if e.names else ()):
                rng = random.Random(rng0.randrange(2**62) ^ hash((card, k, variant)) & 0xFFFFFFFF)
                if e.kind == "attack":
                    mine = boards.mon(rng, info, full=variant != "bare")
                    mine["conditions"] = []
                    mine["energy"] = boards.energy_for(info, k, rng, 0 if variant == "bare" else rng.randrange(3))
                    opp = None
                    if variant in ("full", "late"):  # a Defending Pokémon weak to the attacker
                        weak = [c for c in boards.basics if c.weakness == info.type]
                        opp = boards.mon(rng, rng.choice(weak), full=True) if weak else None
                    b = boards.board(rng, variant, mine, [], opp)
                elif e.kind in ("trainer", "tool"):
                    b = boards.board(rng, variant, None, [card])
                elif e.kind == "rule":
                    b = boards.rule_board(rng, variant, e.key.split("|", 1)[1])
                else:  # ability: the Pokémon Active, on the Bench, or the opponent's Active
                    where = {"full": "bench", "conditions": "opponent"}.get(variant, "active")
                    m = boards.mon(rng, info, full=variant != "bare")
                    m["energy"] = boards.energy_for(info, 0 if info.attacks else -1, rng, 1)
                    if where == "active":
                        b = boards.board(rng, variant, m, [])
                    elif where == "opponent":
                        b = boards.board(rng, variant, None, [], m)
                    else:
                        b = boards.board(rng, variant, None, [])
                        b["players"][0]["bench"] = ([m] + b["players"][0]["bench"])[:eng.rules.bench_size]
                if variant == "named":
                    boards.name_cards(rng, b, e.names)
                b = boards.fit(b)
                e.scenarios += 1
                try:
                    s0 = build_state(eng, b)
                except ValueError:
                    continue
                acts = _effect_actions(eng, s0, e, card, k)
                if e.kind == "ability" and not acts:
                    acts = [_follow(eng, s0)]  # a passive Ability: it acts during the continuation
                if not acts:
                    continue
                e.applied += 1
                for a in acts[:3]:
                    paths += _paths_from(eng, ei, e, card, variant, b, s0, a, rng)
        if not e.applied and not e.why_not:
            e.why_not = "its action was not legal on any constructed board"
    return paths


def _paths_from(eng, ei, e, card, variant, b, s0, a, rng) -> list[Path]:
    lay = eng.layout
    keys, sigs = [], {}
    for _ in range(KEY_TRIES):
        key = rng.randrange(1, 2**63)
        s, seen = s0, []
        try:
            s = eng.step(s0, a, key)
            seen.append(s)
            for _ in range(6):
                if s.pending is None or s.terminated:
                    break
                s = eng.step(s, eng.legal_actions(s)[0], key)
                seen.append(s)
        except Exception:  # noqa: BLE001 - a reference error is reported by the replay as a difference
            pass
        sig = _coin_signature(seen)
        if sig not in sigs:
            sigs[sig] = key
            keys.append(key)
        if len(keys) >= MAX_KEYS or (not e.flips and keys):
            break
    e.coin_outcomes |= {sig for sig in sigs if sig}
    out = []
    for key in keys:
        stack = [([a], [key], [s0])]
        leaves = 0
        while stack and leaves < MAX_BRANCHES:
            acts, ks, sts = stack.pop()
            try:
                s = eng.step(sts[-1], acts[-1], ks[-1])
            except Exception as err:  # noqa: BLE001 - the reference failed: a finding, reported per effect
                e.reference_errors.append(f"{type(err).__name__}: {err}"[:200])
                continue
            sts = sts + [s]
            if s.pending is not None and not s.terminated and len(acts) < 8:
                legal = eng.legal_actions(s)
                e.decisions += 1
                for c in reversed(legal[:MAX_BRANCHES]):
                    stack.append((acts + [c], ks + [key], sts))
                continue
            # the continuation
            for _ in range(FOLLOW):
                if s.terminated or s.truncated:
                    break
                c = _follow(eng, s)
                kk = rng.randrange(1, 2**63)
                try:
                    s = eng.step(s, c, kk)
                except Exception as err:  # noqa: BLE001
                    e.reference_errors.append(f"{type(err).__name__}: {err}"[:200])
                    break
                acts, ks, sts = acts + [c], ks + [kk], sts + [s]
            out.append(Path(ei, card, variant, b, acts, ks, sts))
            leaves += 1
    return out


# --- replay on the generated engine ---------------------------------------------------------------------------------
@dataclass
class InteractionDivergence:
    effect: str
    card: str
    variant: str
    step: int
    board: dict
    actions: list[int]
    keys: list[int]
    fields: dict
    action_names: list[str]

    def report(self) -> str:
        lines = [f"{self.effect} ({self.variant} board) diverged after step {self.step}"
                 + (f" (action {self.action_names[self.step - 1]})" if self.step else " (the constructed state)"),
                 f"  actions: {self.action_names[:self.step]}"]
        for k, (ref, jx) in list(self.fields.items())[:12]:
            lines.append(f"  {k}: reference {ref} | jax {jx}")
        return "\n".join(lines)

    def replay_record(self, spec) -> dict:
        from pathlib import Path as P

        return {"format": "tcgc-play-record", "version": 1, "spec": str(P(spec).resolve()), "seed": 0,
                "decks": None, "board": self.board, "keys": [str(k) for k in self.keys[:self.step]],
                "actions": list(self.actions[:self.step]),
                "divergence": {"step": self.step, "fields": sorted(self.fields), "effect": self.effect}}


@dataclass
class InteractionResult:
    effects: list[Effect] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    paths: int = 0
    steps: int = 0
    divergences: list[InteractionDivergence] = field(default_factory=list)

    def coverage(self) -> dict:
        cov = [e for e in self.effects if e.applied]
        flips = [e for e in self.effects if e.flips]
        ops_all = Counter(o for e in self.effects for o in e.ops)
        ops_cov = {o for e in cov for o in e.ops}
        return {"effects": len(self.effects), "covered": len(cov),
                "not_covered": [f"{e.label} ({e.why_not})" for e in self.effects if not e.applied],
                "with_coins": len(flips),
                "coins_both_ways": sum(1 for e in flips if len({s for s in e.coin_outcomes}) >= 2),
                "with_decisions": sum(1 for e in self.effects if e.decisions),
                "ir_ops": len(ops_all), "ir_ops_covered": len(ops_cov),
                "ir_ops_not_covered": sorted(set(ops_all) - ops_cov),
                "cards_left_out": self.skipped,
                "reference_errors": [f"{e.label}: {e.reference_errors[0]}" for e in self.effects
                                     if e.reference_errors]}


class JaxReplayer:
    """Loads reference states into the generated engine and steps them as a batch."""

    def __init__(self, pkg, ls: Lockstep | None = None):
        import jax
        import jax.numpy as jnp

        self.ls = ls or Lockstep.of(pkg)
        env = self.env = self.ls.env
        self.T = pkg.tables
        core_mod = __import__(f"{pkg.__name__}.runtime.core", fromlist=["empty_core"])
        self.core_cls = type(core_mod.empty_core(self.T))
        self.empty = {f: np.asarray(getattr(core_mod.empty_core(self.T), f))
                      for f in self.core_cls.__dataclass_fields__}
        self.wrap = jax.jit(jax.vmap(lambda c: env._wrap(c, c, jnp.asarray(0, jnp.int32), jnp.zeros(2, jnp.uint32),
                                                         jnp.full(self._choices_shape(), -1, jnp.int8),
                                                         jnp.asarray(0, jnp.int8), jnp.asarray(0, jnp.int32),
                                                         mask=env.legal_mask(c))))
        self.observe = jax.jit(jax.vmap(lambda c: (env.canonical_observation(c, 0), env.canonical_observation(c, 1))))

    def _choices_shape(self):
        mod = __import__(self.env.__class__.__module__, fromlist=["K_CHOICES"])
        return (getattr(mod, "K_CHOICES", 16),)

    def states(self, ref_states):
        import jax.numpy as jnp

        cores = [to_jax_core(self.T, s, self.empty) for s in ref_states]
        stacked = {f: jnp.asarray(np.stack([c[f] for c in cores])) for f in self.empty}
        return self.wrap(self.core_cls(**stacked))


def compare(eng, s, canon: dict, mask: np.ndarray, obs: tuple) -> dict:
    """The differing canonical fields, legal actions and observation fields of reference state `s` and one game of
    the generated engine."""
    from reference.export import encode_observation, encode_state

    d = diff_fields(encode_state(s), canon)
    over = s.terminated or s.truncated
    if not over:
        rmask = np.array(eng.legal_action_mask(s), bool)
        if not np.array_equal(rmask, mask):
            names = eng.layout.names()
            d["legal_action_mask"] = ([names[a] for a in np.flatnonzero(rmask & ~mask)],
                                      [names[a] for a in np.flatnonzero(mask & ~rmask)])
    if not d:
        for p in (0, 1):
            for k, v in diff_fields(encode_observation(s, p), obs[p]).items():
                d[f"observation[{p}].{k}"] = v
    return d


def run_interactions(loaded, pkg, seed: int = 0, batch: int = 64, refused_ids=(), names: tuple[str, ...] = (),
                     progress=None, cards_per_effect: int = 2, ls: Lockstep | None = None) -> InteractionResult:
    """Build the scenarios of every effect (of the cards named in `names`, when given) and compare both engines
    along every path."""
    import jax.numpy as jnp

    from compiler.engine_model.rng import key_words

    eng = restricted_engine(loaded, set(refused_ids))
    effects, skipped = pool_effects(eng, names)
    res = InteractionResult(effects=effects, skipped=skipped)
    paths = make_paths(eng, effects, seed, cards_per_effect)
    res.paths = len(paths)
    if progress is not None:
        progress(0, len(paths))
    if not paths:
        return res
    ls = ls or Lockstep.of(pkg)
    jr = getattr(ls, "replayer", None) or JaxReplayer(pkg, ls)
    ls.replayer = jr  # shared with later runs on this package (one compile of its load and observe functions)
    names_ = eng.layout.names()
    for b0 in range(0, len(paths), batch):
        chunk = paths[b0:b0 + batch]
        n = len(chunk)
        padded = chunk + [chunk[-1]] * (batch - n)  # one batch shape: one compile
        js = jr.states([p.states[0] for p in padded])
        alive = [True] * n
        longest = max(len(p.actions) for p in chunk)
        for t in range(longest + 1):
            canon = {k: np.asarray(v) for k, v in jr.ls.canon(js).items()}
            mask = np.asarray(js.legal_action_mask)
            o0, o1 = jr.observe(js._core)
            o0 = {k: np.asarray(v) for k, v in o0.items()}
            o1 = {k: np.asarray(v) for k, v in o1.items()}
            acts = np.zeros(batch, np.int32)
            k0 = np.zeros(batch, np.uint32)
            k1 = np.zeros(batch, np.uint32)
            for i, p in enumerate(chunk):
                if not alive[i]:
                    continue
                d = compare(eng, p.states[t], {k: v[i] for k, v in canon.items()}, mask[i],
                            ({k: v[i] for k, v in o0.items()}, {k: v[i] for k, v in o1.items()}))
                if d:
                    e = effects[p.effect]
                    e.divergences += 1
                    res.divergences.append(InteractionDivergence(
                        e.label, eng.db[p.card].id if p.card >= 0 else "rules", p.variant, t, p.board, p.actions,
                        p.keys,
                        d, [names_[a] for a in p.actions]))
                    alive[i] = False
                    continue
                if t == len(p.actions):
                    alive[i] = False
                    continue
                acts[i] = p.actions[t]
                k0[i], k1[i] = key_words(p.keys[t])
                res.steps += 1
            if not any(alive):
                break
            js = jr.ls.step(js, jnp.asarray(acts), jnp.asarray(k0), jnp.asarray(k1))
        if progress is not None:
            progress(n, len(paths))
    return res


def board_json(b: dict) -> str:
    return json.dumps(b, separators=(",", ":"))


def deck_with(names: tuple[str, ...]):
    """A `deck_fn` for property and rollout games: a random legal deck in which the named cards (with the
    pre-evolutions they need) replace some of the cards, so that games play them."""
    from reference.decks import random_deck
    from reference.engine import Deck

    wanted = {n.lower() for n in names}

    def fn(eng, rng, name):
        d = random_deck(eng, rng, name)
        db, r = eng.db, eng.rules
        chosen = [c for c in db.cards if c.executable and (c.name.lower() in wanted or c.id.lower() in wanted)]
        if not chosen:
            return d
        by_name = {c.name: c for c in db.cards if c.executable}
        add = []
        for c in chosen:
            line, cur = [c], c
            while cur.evolves_from and cur.evolves_from in by_name:
                cur = by_name[cur.evolves_from]
                line.append(cur)
            for x in line:
                add += [x.index] * r.max_copies_per_name
        add = add[: r.deck_size - 1]
        keep = list(d.cards)
        rng.shuffle(keep)
        basics = [i for i in keep if db[i].plays_as_basic]
        rest = [i for i in keep if i not in add and db[i].name not in {db[a].name for a in add}]
        cards = add + [i for i in rest if db[i].is_basic][:1]
        cards += [i for i in rest if i not in cards][: r.deck_size - len(cards)]
        while len(cards) < r.deck_size:
            cards.append(basics[0] if basics else add[0])
        if not any(db[i].plays_as_basic for i in cards):
            cards[-1] = basics[0]
        need = Counter(t for i in cards for a in db[i].attacks for t in a.cost if t < 8)
        types = tuple(t for t, _ in need.most_common(r.max_energy_types)) or d.energy
        return Deck(d.name, types, tuple(sorted(cards)))
    return fn
