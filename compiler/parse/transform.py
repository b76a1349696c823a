"""Lark parse tree -> IR. One method per grammar alias (grammar/effects.lark); each builds IR directly.

A method raises `Unsupported(reason)` for text the grammar recognises but the IR cannot express; the front end
turns it into `ir.Unresolved`. Unknown tree nodes raise too (`__default__`), so a grammar rule without a method can
never silently produce a wrong IR.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lark import Token, Transformer, Tree, v_args

from .. import ir
from ..spec.base import ENERGY_SYMBOLS


class Unsupported(Exception):
    """Recognised text whose meaning the IR cannot express (the message is the Unresolved reason)."""


@dataclass(frozen=True)
class Desc:
    """A Pokémon description: zone (active / bench / None) and filters."""

    zone: str | None = None
    filters: tuple = ()
    distribute: bool = False


@dataclass(frozen=True)
class Distribute:
    """A set of Pokémon to split Energy among "in any way you like" (only attach steps accept it)."""

    each: ir.Each


@dataclass(frozen=True)
class NameList:
    """Card names joined by "or" / "and" (which matters in conditions: "you have Uxie and Azelf")."""

    names: tuple
    conj: str

    def filter(self) -> ir.NameIs:
        return ir.NameIs(names=self.names)


@dataclass(frozen=True)
class CantDiscard:
    """"If you can't [discard N cards], this attack does nothing." after a discard from the hand."""

    again: tuple


@dataclass(frozen=True)
class KnockedOutMark:
    """"(Pokémon) that was Knocked Out during this game": only a count reads it (KnockOutCount); anywhere else it
    is not an IR filter, so the IR it would go into fails validation and the text is Unresolved."""


@dataclass(frozen=True)
class BareNames:
    """A target written as bare card names ("Golem or Onix"): only attach steps accept it."""

    choose: ir.Choose


def _owner_of(t) -> str | None:
    """Whose Pokémon a target selects, when the text says."""
    if isinstance(t, (ir.ThisPokemon, ir.ToolHolder)):
        return "you"
    if isinstance(t, (ir.Defending, ir.Attacking)):
        return "opponent"
    if isinstance(t, ir.Active):
        return t.player
    if isinstance(t, (ir.Each, ir.Choose, ir.RandomPokemon)) and t.among.player != "both":
        return t.among.player
    return None


@dataclass(frozen=True)
class BareDraw:
    """"... and draws N cards": the player who draws is the subject of the clause before."""

    amount: ir.Const | ir.Per


def _subject_draws(prev, bare: BareDraw) -> list:
    """The Draw steps of "X shuffles their hand into their deck and draws ...", X being the previous clause's
    subject; anything else has no subject the IR can tell."""
    if isinstance(prev, ir.ShuffleHand) and prev.player == "opponent":
        return [ir.Draw(amount=bare.amount, player="opponent")]
    if isinstance(prev, ir.ShuffleHand) and prev.player == "both" and isinstance(bare.amount, ir.Const):
        return [ir.Draw(amount=bare.amount, player=p) for p in ("you", "opponent")]
    raise Unsupported("'draws' without a subject the IR can tell")


@dataclass(frozen=True)
class OppChooses:
    """"Your opponent chooses the new Active Pokémon." (reminder text written without parentheses)."""


@dataclass(frozen=True)
class IfYouDo:
    """"If you do, ...": conditional on a preceding optional step."""

    steps: tuple


@dataclass(frozen=True)
class PutBackAnyOrder:
    """"put them back in any order": joins the look at the top cards before it (ir.ArrangeTop)."""


@dataclass(frozen=True)
class NotFirstTurn:
    """"You can't use this card during your first turn (or on a <Pokémon> that was put into play this turn).": the
    Trainer's requirement, and a filter on the Pokémon it chooses (trainer_effect)."""

    desc: Any


@dataclass(frozen=True)
class EvolveHandMark:
    """An EvolveFromHand sentence, checked against the Select before it (sentences): `the_basic` when the text says
    "onto the Basic Pokémon"."""

    step: Any
    the_basic: bool


@dataclass(frozen=True)
class IfHealed:
    """"If you healed any damage in this way, ...": conditional on the heal before it (`ir.Done`)."""

    steps: tuple


@dataclass(frozen=True)
class PerFetched:
    """"For each <card> you put into your hand in this way, ...": a Repeat over what the search before it found."""

    filter: ir.CardFilter
    steps: tuple


@dataclass(frozen=True)
class TopMarker:
    """A phrase about the top cards of your deck that joins the step before it (sentences() merges them):
    what: "found" ("Put all <cards> you find there into your hand", `filter`), "others" ("Shuffle the other
    cards back into your deck"), "revealed" ("Shuffle the revealed cards back into your deck"), "bottom" ("put it on
    the bottom of your deck"), "hand" ("put it into your hand" about the card looked at)."""

    what: str
    filter: ir.CardFilter | None = None


@dataclass(frozen=True)
class ThatCardIs:
    """The condition "that card is (not) a <card>" about the card the step before looked at or discarded."""

    filter: ir.CardFilter
    negated: bool = False


@dataclass(frozen=True)
class IfThatCard:
    cond: ThatCardIs
    steps: tuple


@dataclass(frozen=True)
class TakePending:
    """Top cards looked at, those passing `filter` put into the hand; what happens to the others comes next."""

    count: int
    filter: ir.CardFilter


def _top_sentence(s, prev, out):
    """The IR of a top-of-deck phrase `s` joined with the step `prev` before it (see TopMarker), or Unsupported."""
    look1 = isinstance(prev, ir.LookTop) and prev.player == "you"
    if isinstance(s, list) and len(s) == 1 and isinstance(s[0], TopMarker):
        m = s[0]
        if m.what == "found" and look1:
            return TakePending(prev.count, m.filter)
        if m.what == "others" and isinstance(prev, TakePending):
            return ir.TakeTop(count=prev.count, filter=prev.filter, rest="shuffle")
        if m.what == "revealed" and any(isinstance(x, ir.RevealTop) and x.player == "you" for x in out):
            return ir.ShuffleDeck()
    if isinstance(s, IfThatCard):
        c, steps = s.cond, list(s.steps)
        if not c.negated and look1 and prev.count == 1 and steps == [TopMarker("hand")]:
            return TakePending(1, c.filter)
        if c.negated and isinstance(prev, TakePending) and prev.count == 1 and c.filter == prev.filter and \
                steps == [TopMarker("bottom")]:
            return ir.TakeTop(count=1, filter=c.filter, rest="bottom")
        if not c.negated and isinstance(prev, ir.DiscardCards) and prev.zone == "deck" and prev.player == "you" \
                and not any(isinstance(x, TopMarker) for x in steps):
            return ir.If(condition=ir.Milled(filter=c.filter), then=tuple(steps))
    raise Unsupported("a phrase about the top cards of the deck that does not follow looking at, revealing or "
                      "discarding them")


@dataclass(frozen=True)
class FlipInstead:
    """"If <condition>, flip <coins> instead.": the latest flip before it becomes these coins when it holds."""

    cond: Any
    flip: Any


@dataclass(frozen=True)
class DevolveThat:
    """"devolve it by putting ... into <player>'s hand": checked against what "it" is (if_sentence)."""

    player: str


@dataclass(frozen=True)
class NeedsEnergy:
    """The sentence "If this Pokémon doesn't have the necessary Energy to use that attack, this attack does nothing."""


@dataclass(frozen=True)
class PoisonDamage:
    """"Do 20 damage to this Pokémon instead of the usual amount for this Special Condition."."""

    damage: int


def _always_happens(step) -> bool:
    """A step that cannot fail to do something, so that "If you do, ..." after it adds no condition: Energy from
    the Energy Zone attached to this Pokémon. (A discard, a heal, an attach from the discard pile may do nothing.)"""
    return isinstance(step, ir.AttachEnergy) and step.source == "zone" and isinstance(step.target, ir.ThisPokemon)


def _not_new(steps, desc) -> list:
    """"... or on a <Pokémon> that was put into play this turn": the Pokémon the card chooses (its first step, a
    Select of 1 of your Pokémon that fit the description) must not have been put into play this turn."""
    first = steps[0] if steps else None
    new = ir.PutIntoPlayThisTurn()
    ok = isinstance(first, ir.Select) and isinstance(first.target, ir.Choose) and first.target.count == 1 and \
        first.target.among.player == "you" and desc.zone is None and desc.filters and desc.filters[-1] == new and \
        all(f in first.target.among.filters for f in desc.filters[:-1])
    if not ok:
        raise Unsupported("'on a Pokémon that was put into play this turn' not about the Pokémon the card chooses")
    among = first.target.among
    among = among.model_copy(update={"filters": among.filters + (ir.PutIntoPlayThisTurn(value=False),)})
    return [first.model_copy(update={"target": first.target.model_copy(update={"among": among})})] + list(steps[1:])


def _single(t) -> bool:
    """A target that selects at most one Pokémon."""
    return isinstance(t, (ir.ThisPokemon, ir.ToolHolder, ir.Defending, ir.Attacking, ir.That, ir.Active)) or (
        isinstance(t, (ir.Choose, ir.RandomPokemon)) and t.count == 1)


def _one_pokemon(t):
    """A target that names one Pokémon (a comparison of two Pokémon's HP or Energy is about one each)."""
    if isinstance(t, (ir.Each, ir.RandomPokemon)) or isinstance(t, ir.Choose) and t.count != 1:
        raise Unsupported("a comparison about several Pokémon")
    return t


DONE_STEPS = (ir.Heal, ir.AttachEnergy, ir.DiscardEnergy, ir.DiscardEnergyAmong, ir.DiscardTools, ir.DiscardCards, ir.Fetch, ir.MoveEnergy,
              ir.Draw, ir.DiscardStadium)
"""Steps that tally what they did (`ir.Done`), so that "If you do, ..." after one of them is a condition on it."""


def from_revealed(step) -> bool:
    """"Choose a card you find there and ...": a step about the hand the previous step revealed."""
    return (isinstance(step, ir.DiscardCards) and step.player == "opponent" and step.zone == "hand"
            and not step.random) or (isinstance(step, ir.HandToDeck) and step.player == "opponent" and not step.random)


def _one(tok) -> None:
    if str(tok) != "1":
        raise Unsupported(f"expected 1, found {tok}")


@dataclass
class BeforeDamage:
    """Steps that the text says run before the attack's damage."""

    steps: list = field(default_factory=list)


def energy(tok: Token | None) -> str | None:
    """'[R]' -> 'Fire'."""
    return None if tok is None else ENERGY_SYMBOLS[str(tok)[1]]


def cond_name(tok: Token) -> str:
    return str(tok).capitalize()


def flat(items) -> list:
    """Flatten lists of steps (a clause may yield several steps)."""
    out = []
    for x in items:
        if isinstance(x, list):
            out.extend(flat(x))
        elif x is not None:
            out.append(x)
    return out


def among(player: str, desc: Desc) -> ir.Among:
    return ir.Among(player=player, zone=desc.zone or "in_play", filters=desc.filters)


def owned(player: str, desc: Desc):
    """"your opponent's Active Pokémon" -> Active; "your Benched Pokémon" -> Each."""
    if desc.zone == "active" and not desc.distribute:
        return ir.Active(player=player, filters=desc.filters)
    each = ir.Each(among=among(player, desc))
    return Distribute(each) if desc.distribute else each


def amount(n, per=None) -> ir.Const | ir.Per:
    return ir.Per(each=int(n), count=per) if per is not None else ir.Const(value=int(n))


def signed(tok: Token) -> int:
    return int(str(tok))


def _replace_that(node, target):
    """`node` with every That replaced by `target` ("If this Pokémon has ..., it has no Retreat Cost")."""
    if isinstance(node, ir.That):
        return target
    if isinstance(node, ir.Node):
        upd = {k: _replace_that(getattr(node, k), target) for k in type(node).model_fields}
        return type(node)(**upd)
    if isinstance(node, tuple):
        return tuple(_replace_that(x, target) for x in node)
    return node


def _replace_by_attack(node):
    """Damage done by a lasting effect is not attack damage."""
    if isinstance(node, ir.Damage):
        return node.model_copy(update={"by_attack": False})
    return node


_ONE_PLAYER_TARGETS = (ir.ThisPokemon, ir.ToolHolder, ir.That, ir.Defending, ir.Attacking, ir.Active, ir.Choose,
                       ir.ChooseAny, ir.RandomPokemon)


def one_player(node) -> str | None:
    """Why a rule is not written for both players alike, or None: a Stadium's rules apply to both players, so they
    may name no player ("your", "your opponent's") and no particular Pokémon."""
    for n in ir.iter_nodes(node):
        if isinstance(n, _ONE_PLAYER_TARGETS):
            return f"it names {type(n).__name__}"
        if isinstance(n, ir.Among) and n.player != "both":
            return f"it names {n.player!r}'s Pokémon"
        for f in ("player", "attacker_player", "chooser"):
            if getattr(n, f, None) in ("you", "opponent"):
                return f"its {type(n).__name__} names {getattr(n, f)!r}"
    return None


def mentions_that(node) -> bool:
    return any(isinstance(n, ir.That) for n in ir.iter_nodes(node))


@v_args(inline=True)
class ToIR(Transformer):
    """Builds IR for one effect kind ("attack", "ability", "trainer")."""

    def __init__(self, kind: str):
        super().__init__()
        self.kind = kind
        self.holder_filters: tuple = ()
        self.last_top: int | None = None
        self.plain_sets: set[int] = set()

    def __default__(self, data, children, meta):
        raise Unsupported(f"no IR for grammar rule {data!r}")

    # ---------------------------------------------------------------- top level
    def attack(self, *args):
        req = args[0] if len(args) == 2 else None
        steps, damage_at = [], None
        for s in args[-1]:
            if isinstance(s, BeforeDamage):
                steps.extend(s.steps)
                damage_at = len(steps)
            else:
                steps.append(s)
        return ir.Attack(steps=tuple(steps), requirement=req, damage_at=damage_at)

    def attack_req(self, cond):
        return cond

    def ability(self, x):
        return x

    def _steps(self, *parts):
        return tuple(flat(parts))

    def activated(self, _once, clauses, more=None):
        return ir.Activated(once=True, steps=self._steps(clauses, more))

    def activated_if(self, _once, cond, clauses, more=None):
        return ir.Activated(once=True, requirement=cond, steps=self._steps(clauses, more))

    def activated_req_first(self, cond, _once, clauses, more=None):
        return ir.Activated(once=True, requirement=cond, steps=self._steps(clauses, more))

    def activated_cost(self, cost, _once, clauses, more=None):
        return ir.Activated(once=True, cost=tuple(flat([cost])), steps=self._steps(clauses, more))

    def activated_often(self, clauses, more=None):
        return ir.Activated(once=False, steps=self._steps(clauses, more))

    def once_head(self):
        return True

    def ability_cost(self, clauses):
        return clauses

    def passive(self, mods):
        if any(isinstance(n, ir.That) for n in ir.iter_nodes(mods)):
            raise Unsupported("'it' in a passive effect without a subject")
        return ir.Passive(modifiers=tuple(mods), requirement=self._holder_req())

    def passive_damage_flip(self, target, outcome):
        kind, t2, delta = outcome
        if t2 is not None and t2 != target:
            raise Unsupported("a damage flip that changes another Pokémon's damage")
        if delta is not None and delta >= 0:
            raise Unsupported("a damage flip that adds damage")
        return self.passive([ir.DamageFlip(target=target, delta=delta)])

    def fo_prevent(self):
        return "prevent", None, None

    def fo_reduce(self, target, n):
        return "reduce", target, signed(n)

    def passive_if(self, req, mods):
        if isinstance(req, ir.Matches):
            mods = [_replace_that(m, req.target) for m in mods]
        return ir.Passive(requirement=self._merge_req(req), modifiers=tuple(mods))

    def ab_while(self, _as, cond):
        return cond

    def ab_if(self, cond):
        return cond

    def as_long_as(self):
        return None

    def _holder_req(self):
        if self.holder_filters:
            return ir.Matches(target=ir.ToolHolder(), filters=self.holder_filters)
        return None

    def _merge_req(self, req):
        h = self._holder_req()
        if h is None:
            return req
        if req is None:
            return h
        return ir.All(conditions=(h, req))

    def triggered(self, trig, clauses, more=None):
        trigger, req = trig
        return ir.Triggered(trigger=trigger, requirement=self._merge_req(req), steps=self._steps(clauses, more))

    def triggered_evolve(self, _once, one, clauses, more=None):
        _one(one)
        return ir.Triggered(trigger=ir.Trigger(event="evolved_from_hand"), optional=True, once=True,
                            steps=self._steps(clauses, more))

    def triggered_bench(self, _once, clauses, more=None):
        return ir.Triggered(trigger=ir.Trigger(event="played_to_bench"), optional=True, once=True,
                            steps=self._steps(clauses, more))

    def _self(self, target):
        if isinstance(target, ir.ThisPokemon) and self.kind == "ability":
            return
        if isinstance(target, ir.ToolHolder) and self.kind == "trainer":
            return
        raise Unsupported("a trigger about a Pokémon other than this one")

    def t_damaged_active(self, target, *_):
        self._self(target)
        return ir.Trigger(event="damaged_by_attack", while_active=True), None

    def t_ko_active(self, target, *_):
        self._self(target)
        return ir.Trigger(event="knocked_out_by_attack", while_active=True), None

    def t_ko_by_attack(self, target, *_):
        self._self(target)
        return ir.Trigger(event="knocked_out_by_attack"), None

    def t_would_ko(self, target):
        self._self(target)
        return ir.Trigger(event="would_be_knocked_out"), None

    def t_ko(self, target):
        self._self(target)
        return ir.Trigger(event="knocked_out"), None

    def t_energy(self, etype, target):
        self._self(target)
        return ir.Trigger(event="energy_attached", energy_type=etype), None

    # ---------------------------------------------------------------- triggers at a point of the turn
    def tp_end(self, whose):
        if whose == "first":
            return ir.Trigger(event="end_of_first_turn")
        return self._turn_trigger("end_of_turn", whose)

    def tp_start(self, whose):
        if whose == "first":
            raise Unsupported("the beginning of your first turn: the IR has no such trigger")
        return self._turn_trigger("start_of_turn", whose)

    def tp_checkup(self):
        return ir.Trigger(event="checkup")

    @staticmethod
    def _turn_trigger(event, whose):
        return ir.Trigger(event=event, each_turn=whose == "each", opponent_turn=whose == "opponent")

    def w_yours(self):
        return "yours"

    def w_each(self):
        return "each"

    def w_opp(self):
        return "opponent"

    def w_first(self):
        return "first"

    def triggered_turn(self, trig, body):
        return ir.Triggered(trigger=trig, requirement=self._holder_req(), steps=tuple(flat(body)))

    def triggered_turn_if(self, trig, cond, body):
        """"At the end of your turn, if this Pokémon is in the Active Spot, ..." is the trigger's `while_active`;
        any other condition is its requirement."""
        me = ir.ToolHolder() if self.kind == "trainer" else ir.ThisPokemon()
        if cond == ir.Matches(target=me, filters=(ir.InZone(zone="active"),)) and trig.event != "end_of_first_turn":
            trig, cond = trig.model_copy(update={"while_active": True}), None
        return ir.Triggered(trigger=trig, requirement=self._merge_req(cond), steps=tuple(flat(body)))

    def t_first_damaged(self, target, _since):
        """"The first time this Pokémon is damaged by an attack from your opponent's Pokémon after coming into
        play, ..."."""
        self._self(target)
        return ir.Trigger(event="damaged_by_attack", first_time=True), None

    def since_in_play(self):
        return None

    def t_opp_attach(self, cond, one):
        _one(one)
        if cond != ir.Matches(target=ir.ThisPokemon(), filters=(ir.InZone(zone="active"),)):
            raise Unsupported("unsupported requirement on an energy trigger")
        return ir.Trigger(event="opponent_attaches_energy", while_active=True), None

    def t_opp_ko(self, target):
        self._self(target)
        return ir.Trigger(event="opponent_ko_by_holder"), None

    def t_opp_ko_by(self, victim, attacker):
        """"If your opponent's Pokémon is Knocked Out by damage from this Pokémon's attacks": the same event."""
        if victim != ir.Each(among=ir.Among(player="opponent")):
            raise Unsupported("a knockout trigger about other than any of your opponent's Pokémon")
        return self.t_opp_ko(attacker)

    def energy_one(self, etype=None):
        return energy(etype)

    def _attack_from_opp(self):
        return None

    def trainer_effect(self, *args):
        req = args[0] if len(args) == 2 else None
        steps = flat(args[-1])
        marks = [s for s in steps if isinstance(s, NotFirstTurn)]
        if marks:
            if len(marks) > 1 or req is not None:
                raise Unsupported("'you can't use this card during your first turn' with another requirement")
            steps = [s for s in steps if not isinstance(s, NotFirstTurn)]
            req = ir.Not(condition=ir.History(event="your_first_turn"))
            if marks[0].desc is not None:
                steps = _not_new(steps, marks[0].desc)
        return ir.TrainerEffect(requirement=req, steps=tuple(steps))

    def trainer_req(self, cond):
        return cond

    def tool(self, passive):
        """A Trainer's rule in force: a Tool's when it is about the Pokémon the card is attached to, a Stadium's when
        it is written for both players (its card's kind decides which it may be: parse_card)."""
        if self.holder_filters or any(isinstance(n, ir.ToolHolder) for n in ir.iter_nodes(passive)):
            self._needs_holder(passive)
            return ir.Tool(effects=(passive,))
        why = one_player(passive)
        if why is not None:
            raise Unsupported("a Trainer text with a rule in force that is neither about the Pokémon it is attached to "
                              f"(a Tool) nor written for both players (a Stadium: {why})")
        return ir.Stadium(effects=(passive,))

    def tool_passive(self, passive):
        return passive

    def tool_triggered(self, trig):
        self._needs_holder(trig)
        return ir.Tool(effects=(trig,))

    def _needs_holder(self, node):
        if isinstance(node, ir.Triggered):
            return  # its trigger was checked to be about the ToolHolder
        if not any(isinstance(n, ir.ToolHolder) for n in ir.iter_nodes(node)):
            raise Unsupported("a Trainer text with a lasting rule that is not about the Pokémon it is attached to")

    def fossil(self, hp, etype):
        return ir.Fossil(hp=int(hp), type=energy(etype))

    def choose_one(self, one, a, b):
        _one(one)
        return ir.TrainerEffect(steps=(ir.ChooseOne(options=(tuple(flat(a)), tuple(flat(b)))),))

    # ---------------------------------------------------------------- sentences
    def sentences(self, *ss):
        out = []
        for s in ss:
            if isinstance(s, CantDiscard):
                prev = out[-1] if out else None
                if not (isinstance(prev, ir.DiscardCards) and prev.zone == "hand" and prev.player == "you"
                        and not prev.random and not prev.up_to) or s.again and s.again != (prev.count, prev.filter):
                    raise Unsupported("'if you can't' after something other than discarding from your hand")
                have = ir.CardIn(player="you", zone="hand", filter=prev.filter, at_least=prev.count)
                out[-1:] = [ir.If(condition=ir.Not(condition=have), then=(ir.AttackDoesNothing(),)), prev]
                continue
            if isinstance(s, EvolveHandMark):
                prev = out[-1] if out else None
                chosen = prev.target if isinstance(prev, ir.Select) else None
                if not (isinstance(chosen, ir.Choose) and chosen.count == 1 and chosen.among.player == "you") or (
                        s.the_basic and ir.StageIs(stage="basic") not in chosen.among.filters):
                    raise Unsupported("evolving from the hand a Pokémon other than 1 of yours chosen before")
                out.append(s.step)
                continue
            if isinstance(s, IfHealed):
                prev = out[-1] if out else None
                if not isinstance(prev, ir.Heal):
                    raise Unsupported("'if you healed any damage in this way' not after a heal")
                out.append(ir.If(condition=ir.Done(), then=s.steps))
                continue
            if isinstance(s, IfYouDo):
                prev = out[-1] if out else None
                if isinstance(prev, ir.Optional_) and not prev.then:
                    out[-1] = prev.model_copy(update={"then": s.steps})
                elif _always_happens(prev):
                    out.extend(s.steps)  # after a step that always happens, "if you do" adds no condition
                elif isinstance(prev, DONE_STEPS):
                    out.append(ir.If(condition=ir.Done(), then=s.steps))
                else:
                    raise Unsupported("'if you do' after a step that may do nothing and whose outcome the IR does "
                                      "not record (only heals, attaches, discards, moves, searches and draws do)")
                continue
            if isinstance(s, IfThatCard) or isinstance(s, list) and len(s) == 1 and isinstance(s[0], TopMarker):
                prev = out[-1] if out else None
                merged = _top_sentence(s, prev, out)
                if isinstance(merged, (TakePending, ir.TakeTop)) or (
                        isinstance(merged, ir.If) and isinstance(merged.condition, ir.Milled)):
                    out[-1:] = [merged] if not isinstance(merged, ir.If) else [prev, merged]
                else:
                    out.append(merged)
                continue
            if isinstance(s, list) and s and isinstance(s[0], PutBackAnyOrder):
                prev = out[-1] if out else None
                if not isinstance(prev, ir.LookTop) or prev.count < 2:
                    raise Unsupported("'put them back in any order' not after looking at the top cards of a deck")
                out[-1] = ir.ArrangeTop(player=prev.player, count=ir.Const(value=prev.count))
                out.extend(s[1:])
                continue
            if isinstance(s, FlipInstead):
                at = [k for k, x in enumerate(out) if isinstance(x, ir.Flip)]
                if not at:
                    raise Unsupported("'flip ... instead' with no flip before it")
                k = at[-1]
                out[k] = ir.If(condition=s.cond, then=(s.flip,), otherwise=(out[k],))
                continue
            if isinstance(s, PerFetched):
                prev = out[-1] if out else None
                if not (isinstance(prev, ir.Fetch) and prev.to == "hand" and prev.filter == s.filter):
                    raise Unsupported("'for each card you put into your hand in this way' not after a search for "
                                      "such cards")
                out.append(ir.Repeat(times=ir.Per(each=1, count=ir.DoneCount()), steps=s.steps))
                continue
            if isinstance(s, OppChooses):
                prev = out[-1] if out else None
                if not (isinstance(prev, ir.Switch) and prev.player == "opponent" and isinstance(
                        prev.new_active, ir.Choose) and prev.new_active.chooser == "opponent"):
                    raise Unsupported("'your opponent chooses the new Active Pokémon' after something else")
                continue  # restates what the switch-out already says
            if isinstance(s, NeedsEnergy):
                prev = out[-1] if out else None
                if not isinstance(prev, ir.CopyAttack) or prev.needs_energy:
                    raise Unsupported("'the necessary Energy to use that attack' without a copied attack")
                out[-1] = prev.model_copy(update={"needs_energy": True})
                continue
            if isinstance(s, PoisonDamage):
                prev = out[-1] if out else None
                if not (isinstance(prev, ir.ApplyCondition) and "Poisoned" in prev.conditions):
                    raise Unsupported("Poisoned damage instead of the usual amount, not after Poisoning")
                out[-1] = prev.model_copy(update={"poison_damage": s.damage})
                continue
            s = s if isinstance(s, list) else [s]
            prev = out[-1] if out else None
            if s and from_revealed(s[0]) and isinstance(prev, ir.If) and not prev.otherwise and \
                    prev.then and prev.then[-1] == ir.RevealHand(player="opponent"):
                # "If heads, your opponent reveals their hand. Choose a card you find there and ...": the card is
                # chosen only when the hand was revealed, so the sentence belongs to the same branch
                out[-1] = prev.model_copy(update={"then": prev.then + tuple(s)})
                continue
            out.extend(s)
        if any(isinstance(x, TakePending) for x in out):
            raise Unsupported("cards looked at and put into the hand, with no word on the others")
        return out

    def if_lasting(self, cond, duration, mods):
        return [ir.If(condition=cond, then=tuple(self.lasting(duration, mods)))]

    def if_lasting_post(self, cond, pair):
        return [ir.If(condition=cond, then=tuple(self.lasting_post(pair)))]

    def plain(self, clauses):
        return clauses

    def clauses(self, *cs):
        out = []
        for c in flat(cs):
            if isinstance(c, BareDraw):
                out[-1:] = out[-1:] + _subject_draws(out[-1] if out else None, c)
            elif isinstance(c, PutBackAnyOrder) and out:  # a sentence of its own: sentences() joins it
                prev = out[-1]
                if not isinstance(prev, ir.LookTop) or prev.count < 2:
                    raise Unsupported("'put them back in any order' not after looking at the top cards of a deck")
                out[-1] = ir.ArrangeTop(player=prev.player, count=ir.Const(value=prev.count))
            else:
                out.append(c)
        return out

    def if_sentence(self, cond, clauses):
        if isinstance(cond, ThatCardIs):
            return IfThatCard(cond, tuple(clauses))
        if any(isinstance(c, DevolveThat) for c in clauses):
            owner = _owner_of(cond.target) if isinstance(cond, ir.Matches) else None
            if owner is None or any(isinstance(c, DevolveThat) and c.player != owner for c in clauses):
                raise Unsupported("putting an Evolution card into a hand other than its owner's")
            clauses = [ir.Devolve(target=ir.That()) if isinstance(c, DevolveThat) else c for c in clauses]
        return [ir.If(condition=cond, then=tuple(clauses))]

    def per_heads(self, clauses):
        return [ir.Repeat(times=ir.Per(each=1, count=ir.Heads()), steps=tuple(clauses))]

    def if_you_do(self, clauses):
        return IfYouDo(tuple(clauses))

    def lasting(self, duration, mods):
        if duration == "until_leaves_active":  # "Until this Pokémon leaves the Active Spot, it ..."
            mods = [_replace_that(m, ir.ThisPokemon()) for m in mods]
        return [ir.Lasting(duration=duration, modifier=m) for m in mods]

    def lasting_post(self, pair):
        mods, duration = pair
        return [ir.Lasting(duration=duration, modifier=m) for m in mods]

    def modifiers_post(self, mods, duration):
        return mods, duration

    def flip(self, coins):
        return [coins]

    def chosen_random(self, target):
        if not isinstance(target, ir.Choose):
            raise Unsupported("'is chosen at random' of something other than 'N of ...'")
        return ir.RandomPokemon(count=target.count, among=target.among)

    def other_random(self, n):
        return ir.RandomPokemon(count=int(n), among=ir.Among(player="both", other=True))

    def chosen_random_times(self, rnd, times):
        return rnd, int(times)

    def repeat_random(self, rt, clauses):
        rnd, times = rt
        return [ir.Repeat(times=ir.Const(value=times), steps=(ir.Select(target=rnd), *clauses))]

    def random_then(self, rnd, clauses):
        return [ir.Select(target=rnd), *clauses]

    def end_turn(self):
        return [ir.EndTurn()]

    def does_nothing(self):
        return [ir.AttackDoesNothing()]

    def if_does_nothing(self, cond):
        return [ir.If(condition=cond, then=(ir.AttackDoesNothing(),))]

    def select_sentence(self, target):
        return [ir.Select(target=target)]

    def at_end(self, duration, clauses):
        steps = tuple(_replace_by_attack(s) for s in clauses)
        return [ir.Lasting(duration=duration, modifier=ir.AtEnd(steps=steps))]

    def attack_flip(self, target):
        return ir.AttackFlip(target=target)

    def lasting_flip(self, duration, mod):
        return [ir.Lasting(duration=duration, modifier=mod)]

    def flip_until_leaves(self, mod, target):
        if target != mod.target:
            raise Unsupported("the effect lasts until another Pokémon leaves the Active Spot")
        return [ir.Lasting(duration="until_leaves_active", modifier=mod, stacks=False)]

    def passive_first_turn(self, mods):
        return ir.Passive(requirement=ir.History(event="your_first_turn"), modifiers=tuple(mods))

    def m_no_attach_they(self):
        return ir.CantAttachEnergy(player="opponent", target=ir.Active(player="opponent"))

    def may_shuffle(self):
        return [ir.Optional_(steps=(ir.ShuffleDeck(),))]

    def per_heads_hand_to_deck(self, kind):
        if kind != ir.CardFilter():
            raise Unsupported("a random card of a kind from the opponent's hand")
        return [ir.Repeat(times=ir.Per(each=1, count=ir.Heads()), steps=(ir.HandToDeck(player="opponent"),))]

    def lasting_on_attach(self, duration, target, clauses):
        steps = tuple(_replace_by_attack(s) for s in clauses)
        return [ir.Lasting(duration=duration, modifier=ir.OnEnergyAttached(target=target, steps=steps))]

    def heal_done(self, target):
        if self.kind != "attack":
            raise Unsupported("'the damage you did' outside an attack")
        return ir.Heal(amount=ir.Per(each=1, count=ir.DamageDone()), target=target)

    def c_attack_uses(self, name):
        return ir.AttackUses(name=name.names[0])

    def c_opp_points_to_win(self):
        return ir.PointsToWin(player="opponent")

    def opp_draw_per(self, count):
        return ir.Draw(amount=ir.Per(each=1, count=count), player="opponent")

    def bare_draw_per(self, count):
        return BareDraw(ir.Per(each=1, count=count))

    def bare_draw(self, n):
        return BareDraw(amount(n))

    def no_points(self):
        return ir.NoPoints()

    def m_opp_cant_evolve_active(self):
        return ir.CantEvolve(player="opponent", target=ir.Active(player="opponent"))

    def stacks(self):
        return []  # every Lasting effect is its own instance, so repeated uses always stack

    def lasting_on_damaged(self, duration, target, clauses):
        steps = tuple(_replace_by_attack(s) for s in clauses)
        return [ir.Lasting(duration=duration, modifier=ir.OnDamaged(target=target, steps=steps))]

    def if_cant_discard(self, *again):
        return CantDiscard(again)

    def ignores_weakness(self):
        return [ir.DamageIgnores(what="weakness")]

    def ignores_effects(self):
        return [ir.DamageIgnores(what="effects")]

    def copy_from(self, player, desc):
        return among(player, desc)

    def copy_attack(self, one, source):
        _one(one)
        return [ir.CopyAttack(among=source)]

    def needs_energy(self):
        return NeedsEnergy()

    def copy_attack_not_ex(self, one, source):
        _one(one)
        src = source.model_copy(update={"filters": source.filters + (ir.IsEx(value=False),)})
        return [ir.CopyAttack(among=src)]

    def if_copy_attack(self, cond, one, source):
        _one(one)
        return [ir.If(condition=cond, then=(ir.CopyAttack(among=source),))]

    def per_heads_fetch_discard(self, filt):
        fetch = ir.Fetch(count=1, filter=filt, source="discard", to="hand", random=True)
        return [ir.Repeat(times=ir.Per(each=1, count=ir.Heads()), steps=(fetch,))]

    def cond_fewer_cards(self, n, kind):
        if kind != ir.CardFilter():
            raise Unsupported("fewer than N cards of a kind")
        return ir.Not(condition=ir.CardIn(player="you", zone="hand", filter=kind, at_least=int(n)))

    def t_energy_while(self, req, etype, target):
        if not isinstance(target, ir.That):
            self._self(target)
        if req != ir.Matches(target=ir.ThisPokemon(), filters=(ir.InZone(zone="active"),)):
            raise Unsupported("unsupported requirement on an energy trigger")
        return ir.Trigger(event="energy_attached", energy_type=etype, while_active=True), None

    def discard_pokemon(self, target):
        return ir.DiscardPokemon(target=target)

    def choose_then_flip(self, target, coins):
        return [ir.Select(target=target), coins]

    def choose_then(self, target, clauses):
        return [ir.Select(target=target), *clauses]

    def before_damage(self, clauses):
        return BeforeDamage(list(clauses))

    def one_coin(self):
        return ir.Flip()

    def n_coins(self, n):
        return ir.Flip(count=ir.Const(value=int(n)))

    def until_tails(self):
        return ir.Flip(until_tails=True)

    def coin_per(self, count):
        return ir.Flip(count=ir.Per(each=1, count=count))

    # ---------------------------------------------------------------- damage
    def _split_that(self, target, amt, make):
        """"does 20 damage to 1 of your opponent's Pokémon for each Energy attached to that Pokémon": select first."""
        if mentions_that(amt) and isinstance(target, (ir.Choose, ir.RandomPokemon)):
            return [ir.Select(target=target), make(ir.That())]
        return [make(target)]

    def set_damage(self, n, per=None):
        return ir.AttackDamage(mode="set", amount=amount(n, per))

    def more_damage(self, n, per=None):
        return ir.AttackDamage(mode="more", amount=amount(n, per))

    def more_damage_equal(self, target):
        return ir.AttackDamage(mode="more", amount=ir.Per(each=1, count=ir.DamageOn(target=target)))

    def set_damage_equal(self, to, target):
        if to != ir.Active(player="opponent"):
            raise Unsupported("damage equal to something, to a Pokémon other than the opponent's Active")
        return ir.AttackDamage(mode="set", amount=ir.Per(each=1, count=ir.DamageOn(target=target)))

    def less_damage_equal(self, target):
        return ir.AttackDamage(mode="less", amount=ir.Per(each=1, count=ir.DamageOn(target=target)))

    def damage_to(self, n, target, per=None):
        amt = amount(n, per)
        return self._split_that(target, amt, lambda t: ir.Damage(amount=amt, target=t, by_attack=True))

    def self_damage(self, n):
        return ir.Damage(amount=amount(n), target=ir.ThisPokemon(), by_attack=self.kind == "attack")

    def do_damage(self, n, target):
        return ir.Damage(amount=amount(n), target=target, by_attack=self.kind == "attack")

    def knock_out(self, target):
        return ir.KnockOut(target=target)

    def per(self, count):
        return count

    # ---------------------------------------------------------------- counts
    def c_heads(self):
        return ir.Heads()

    def c_energy(self, *args):
        etype = energy(args[0]) if len(args) == 2 else None
        return ir.EnergyCount(target=args[-1], energy_type=etype)

    def c_pokemon(self, player, desc):
        if any(isinstance(f, KnockedOutMark) for f in desc.filters):
            if desc.filters != (KnockedOutMark(),) or desc.zone is not None:
                raise Unsupported("a count of Knocked Out Pokémon of a kind: the IR counts them all")
            return ir.KnockOutCount(player=player)
        return ir.PokemonCount(among=among(player, desc))

    def post_new(self):
        return ir.PutIntoPlayThisTurn()

    def post_knocked_out(self):
        return KnockedOutMark()

    def _pres_desc(self, pres) -> Desc:
        filters, zone = self._pre(pres)
        return Desc(zone=zone, filters=filters)

    def c_both(self, *parts):
        """"Benched Pokémon (both yours and your opponent's)"."""
        return ir.PokemonCount(among=among("both", self._pres_desc(parts[:-1])))

    def c_on_bench(self, *parts):
        """"for each [W] Pokémon on your Bench"."""
        *pres, player = parts
        desc = self._pres_desc(pres)
        if desc.zone is not None:
            raise Unsupported("a zone word before 'on your Bench'")
        return ir.PokemonCount(among=ir.Among(player=player, zone="bench", filters=desc.filters))

    def c_in_play(self, *pres):
        return ir.PokemonCount(among=among("you", self._pres_desc(pres)))

    def c_opp_in_play(self, *pres):
        return ir.PokemonCount(among=among("opponent", self._pres_desc(pres)))

    def c_done_pokemon(self, *pres):
        """"for each (Benched) Pokémon you discarded in this way": what the step before discarded."""
        if list(pres) not in ([], [("zone", "bench")]):
            raise Unsupported("a count of discarded Pokémon of a kind")
        return ir.DoneCount()

    def c_cards(self, filt, player, zone):
        """"for each Supporter card in your discard pile", "for each [G] Pokémon in your deck"."""
        return ir.CardCount(player=player, zone=zone, filter=filt)

    def c_discarded_energy(self, *args):
        etype = energy(args[0]) if len(args) == 2 else None
        return ir.DiscardedEnergyCount(player=args[-1], energy_type=etype)

    def c_tools(self, target):
        return ir.ToolCount(target=target)

    def c_energy_types(self, *args):
        return ir.EnergyTypeCount(target=_one_pokemon(args[-1]))

    def c_retreat(self, target):
        return ir.RetreatCostOf(target=target)


    def c_done(self, kind=None):
        return ir.DoneCount()

    # ---------------------------------------------------------------- heal, special conditions
    def heal(self, n, target):
        return ir.Heal(amount=amount(n), target=target)

    def heal_all(self, target):
        return ir.Heal(amount=None, target=target)

    def recover_all(self, target):
        return ir.Recover(target=target)

    def recover_some(self, target, conds):
        return ir.Recover(target=target, conditions=conds)

    def heal_remove_random(self, n, target):
        return [ir.Heal(amount=amount(n), target=target), ir.Recover(target=ir.That(), random=True)]

    def cond_list(self, *conds):
        return tuple(cond_name(c) for c in conds if isinstance(c, Token) and c.type == "COND")

    def apply_conditions(self, target, conds):
        return ir.ApplyCondition(target=target, conditions=conds)

    def apply_conditions_make(self, target, conds):
        return ir.ApplyCondition(target=target, conditions=conds)

    def choose_condition(self, a, conj, b, target):
        if str(conj) != "|or":
            raise Unsupported("'choose either A and B'")
        return ir.ApplyCondition(target=target, conditions=(cond_name(a), cond_name(b)), pick="choose")

    def random_condition(self, one, conds, target):
        _one(one)
        return ir.ApplyCondition(target=target, conditions=conds, pick="random", exclude_existing=True)

    def poison_damage(self, n, target):
        if target != ir.ThisPokemon():
            raise Unsupported("Special Condition damage instead of the usual amount, not for this Pokémon")
        return PoisonDamage(int(n))

    # ---------------------------------------------------------------- energy
    def energy_n(self, n, etype=None):
        return ir.EnergySel(count=int(n), energy_type=energy(etype))

    def energy_a(self, etype=None):
        return ir.EnergySel(count=1, energy_type=energy(etype))

    def energy_all(self, etype=None):
        return ir.EnergySel(count=None, energy_type=energy(etype))

    def discard_energy(self, sel, target):
        return ir.DiscardEnergy(target=target, energy=(sel,))

    def discard_random_energy(self, target):
        return ir.DiscardEnergy(target=target, energy=(ir.EnergySel(),), random=True)

    def discard_energy_among(self, pool):
        return ir.DiscardEnergyAmong(among=pool)

    def discard_energy_among_n(self, n, pool):
        return ir.DiscardEnergyAmong(among=pool, count=int(n))

    def pool_both(self):
        return ir.Among(player="both")

    def pool_owned(self, player, desc):
        return among(player, desc)

    def discard_random_energy_n(self, n, target):
        return ir.DiscardEnergy(target=target, energy=(ir.EnergySel(count=int(n)),), random=True)

    def discard_energy_list(self, a, b, c, target):
        return ir.DiscardEnergy(target=target, energy=tuple(ir.EnergySel(energy_type=energy(e)) for e in (a, b, c)))

    def it_them(self):
        return None

    def _attach_target(self, target):
        """Bare names ("attach it to Golem or Onix") mean 1 of your Pokémon with that name; a plain plural ("attach
        it to your Benched Pokémon") is ambiguous between each and one of them, so it is refused."""
        if isinstance(target, BareNames):
            return target.choose
        if id(target) in self.plain_sets:
            raise Unsupported("attaching to 'your ... Pokémon' without 'each of' or '1 of'")
        return target

    def attach_zone(self, sel, _it, target):
        if sel.count is None or sel.energy_type is None:
            raise Unsupported("Energy from the Energy Zone needs a count and a type")
        return ir.AttachEnergy(energy=(sel,), target=self._attach_target(target))

    def attach_zone_list(self, a, b, c, target):
        return self._attach_several(tuple(ir.EnergySel(energy_type=energy(e)) for e in (a, b, c)), target)

    def attach_zone_pair(self, a, b, target):
        """"Take a [R] Energy and a [W] Energy from your Energy Zone and attach them to this Pokémon"."""
        if any(x.count is None or x.energy_type is None for x in (a, b)) or a.energy_type == b.energy_type:
            raise Unsupported("Energy from the Energy Zone needs a count and a type (two different types here)")
        return self._attach_several((a, b), target)

    def _attach_several(self, sels, target):
        """Several Energy from the Energy Zone: split among a set of Pokémon ("in any way you like"), or all to one
        Pokémon; "attach them to your Benched Pokémon" (each? one?) is refused."""
        if isinstance(target, Distribute):
            return ir.AttachEnergy(energy=sels, target=target.each, distribute=True)
        target = self._attach_target(target)
        if not _single(target):
            raise Unsupported("several Energy attached to several Pokémon without 'in any way you like'")
        return ir.AttachEnergy(energy=sels, target=target)

    def attach_zone_heads(self, etype, target):
        target = target.each if isinstance(target, Distribute) else None
        if not isinstance(target, ir.Each):
            raise Unsupported("distributing Energy to a single Pokémon")
        one = ir.AttachEnergy(energy=(ir.EnergySel(energy_type=energy(etype)),),
                              target=ir.Choose(count=1, among=target.among))
        return ir.Repeat(times=ir.Per(each=1, count=ir.Heads()), steps=(one,))

    def attach_discard(self, sel, target):
        return ir.AttachEnergy(source="discard", energy=(sel,), target=self._attach_target(target))

    def attach_discard_random(self, n, target):
        return ir.AttachEnergy(source="discard", energy=(ir.EnergySel(count=int(n)),), target=target, random=True)

    def move_energy(self, sel, src, dst):
        return ir.MoveEnergy(energy=sel, source=src, target=dst)

    def move_energy_one_of(self, types, src, dst):
        return ir.MoveEnergyOneOf(energy_types=types, source=src, target=dst)

    # ---------------------------------------------------------------- cards
    def draw_one(self):
        return ir.Draw(amount=ir.Const(value=1))

    def draw_n(self, n):
        return ir.Draw(amount=amount(n))

    def draw_per(self, count):
        return ir.Draw(amount=ir.Per(each=1, count=count))

    def draw_until(self):
        return ir.DrawUntil()

    def count_word(self, n=None):
        return 1 if n is None else int(n)

    def fetch_random(self, n, filt):
        return int(n), filt, True

    def fetch_random_one(self, filt):
        return 1, filt, True

    def fetch_chosen(self, filt):
        return 1, filt, False

    def z_deck(self):
        return "deck"

    def z_discard(self):
        return "discard"

    def to_hand(self):
        return "hand"

    def to_bench(self):
        return "bench"

    def fetch(self, sel, player, source, to):
        n, filt, rnd = sel
        if player == "opponent" and not (to == "bench" and source == "discard"):
            raise Unsupported("taking cards from the opponent's deck or discard pile")
        return ir.Fetch(count=n, filter=filt, source=source, to=to, random=rnd, player=player)

    def card_desc(self, kind):
        return kind

    def card_pokemon(self, *args):
        pres = [a for a in args if isinstance(a, tuple)]
        hp = [a for a in args if isinstance(a, Token)]
        filters, zone = self._pre(pres)
        if zone:
            raise Unsupported("a card description with a zone")
        if hp:
            filters += (ir.HpAtMost(hp=int(hp[0])),)
        return ir.CardFilter(kind="pokemon", filters=filters)

    def card_pokemon_ex(self, *pres):
        filters, zone = self._pre(pres)
        if zone:
            raise Unsupported("a card description with a zone")
        if ir.IsEx(mega=True) in filters:
            return ir.CardFilter(kind="pokemon", filters=filters)
        return ir.CardFilter(kind="pokemon", filters=filters + (ir.IsEx(),))

    def card_named(self, names):
        return ir.CardFilter(kind="card", filters=(names.filter(),))

    def card_evolves_from(self, name):
        return ir.CardFilter(kind="pokemon", filters=(ir.EvolvesFrom(name=name.names[0]),))

    def k_card(self):
        return ir.CardFilter(kind="card")

    def k_item(self):
        return ir.CardFilter(kind="item")

    def k_supporter(self):
        return ir.CardFilter(kind="supporter")

    def k_trainer(self):
        return ir.CardFilter(kind="trainer")

    def k_tool(self):
        return ir.CardFilter(kind="tool")

    def k_stadium(self):
        return ir.CardFilter(kind="stadium")

    # ---------------------------------------------------------------- Stadiums
    def discard_stadium(self):
        return ir.DiscardStadium()

    def discard_stadium_one(self, n):
        if n != 1:
            raise Unsupported("more than 1 Stadium: only 1 can be in play")
        return ir.DiscardStadium()

    def discard_stadium_kind(self, n, kind):
        if kind != ir.CardFilter(kind="stadium"):
            raise Unsupported(f"discarding {kind.kind} cards in play")
        return self.discard_stadium_one(n)

    def a_any(self):
        return None

    def cond_stadium(self, *_):
        return ir.StadiumInPlay()

    def cond_no_stadium(self, *_):
        return ir.Not(condition=ir.StadiumInPlay())

    def cond_your_stadium(self):
        return ir.StadiumInPlay(player="you")

    def cond_opp_stadium(self):
        return ir.StadiumInPlay(player="opponent")

    def cond_named_stadium(self, names):
        """"If Mesa Plaza is in play": only a Stadium is said to be in play by its name alone (a Pokémon is "you have
        X in play"); the pool check makes a name that is not a Stadium card of the pool Unresolved."""
        if names.conj != "or":
            raise Unsupported("several Stadiums in play at once")
        return ir.StadiumInPlay(names=names.names)

    # ---------------------------------------------------------------- since a Pokémon came into play
    def cond_first_attack(self, target, *_):
        return ir.Matches(target=target, filters=(ir.SinceInPlay(event="attacked", value=False),))

    def cond_has_attacked(self, target, _since):
        return ir.Matches(target=target, filters=(ir.SinceInPlay(event="attacked"),))

    def cond_not_damaged_since(self, target, _since):
        return self._damaged_since(target, False)

    def cond_damaged_since(self, target, _since):
        return self._damaged_since(target, True)

    @staticmethod
    def _damaged_since(target, value):
        """"... has been damaged by an attack from your opponent's Pokémon since ...": "your opponent's" is the
        Pokémon's owner's opponent only when the Pokémon is yours."""
        if _owner_of(target) != "you":
            raise Unsupported("damage 'from your opponent's Pokémon' to a Pokémon that may not be yours")
        return ir.Matches(target=target, filters=(ir.SinceInPlay(event="damaged", value=value),))

    def mill_one(self, player):
        return ir.DiscardCards(player=player, zone="deck", count=1)

    def mill(self, n, player):
        return ir.DiscardCards(player=player, zone="deck", count=int(n))

    def mill_both(self, n):
        return [ir.DiscardCards(player=p, zone="deck", count=int(n)) for p in ("you", "opponent")]

    def discard_hand(self, n, kind):
        return ir.DiscardCards(count=n, filter=kind)

    def discard_random_opp_n(self, n, kind):
        return ir.DiscardCards(player="opponent", count=int(n), filter=kind, random=True)

    def opp_chooses_new_active(self):
        return OppChooses()

    def discard_random_opp(self, kind):
        return ir.DiscardCards(player="opponent", count=1, filter=kind, random=True)

    def discard_up_to(self, n, kind):
        return ir.DiscardCards(count=int(n), filter=kind, up_to=True)

    def shuffle_hand(self):
        return ir.ShuffleHand(player="you")

    def opp_shuffle_hand(self):
        return ir.ShuffleHand(player="opponent")

    def opp_draw(self, n):
        return ir.Draw(amount=amount(n), player="opponent")

    def reveal_hand(self):
        return ir.RevealHand(player="opponent")

    def reveal_top(self, n):
        self.last_top = int(n)
        return ir.RevealTop(player="you", count=int(n))

    def shuffle_back(self):
        return TopMarker("revealed")

    def shuffle_others(self):
        return TopMarker("others")

    def put_found(self, filt):
        return TopMarker("found", filt)

    def put_bottom(self, target):
        if not isinstance(target, ir.That):
            raise Unsupported("putting a Pokémon in play on the bottom of a deck")
        return TopMarker("bottom")

    def cond_that_card(self, filt):
        return ThatCardIs(filt)

    def cond_not_card(self, target, filt):
        if not isinstance(target, ir.That):
            raise Unsupported("'is not a' card about a Pokémon in play")
        return ThatCardIs(filt, negated=True)

    def c_found(self, *args):
        desc = self._pres_desc([a for a in args if isinstance(a, tuple)])
        if desc.zone is not None:
            raise Unsupported("a zone word about cards found in the deck")
        ints = [int(a) for a in args if isinstance(a, Token) and a.type == "INT"]
        filters = desc.filters + ((ir.RetreatAtLeast(count=ints[0]),) if ints else ())
        if self.last_top is None:
            raise Unsupported("'you find there' with no cards revealed before it")
        return ir.TopDeckCount(player="you", count=self.last_top, filter=ir.CardFilter(kind="pokemon", filters=filters))

    def discard_any(self, player, desc):
        if player != "you" or desc.zone != "bench":
            raise Unsupported("discarding any number of Pokémon other than your Benched Pokémon")
        return ir.DiscardPokemon(target=ir.ChooseAny(among=among(player, desc)))

    def devolve(self, target, player):
        if isinstance(target, ir.That):
            return DevolveThat(player)  # if_sentence checks the hand against the Pokémon "it" is
        if _owner_of(target) != player:
            raise Unsupported("putting an Evolution card into a hand other than its owner's")
        return ir.Devolve(target=target)

    def ko_to_hand(self, target, player):
        if not isinstance(target, ir.That) or player != "you":
            raise Unsupported("putting a Knocked Out Pokémon into a hand other than its owner's")
        return ir.KnockedOutToHand()

    def lasting_survive(self, duration, target, it, hp):
        if not isinstance(it, ir.That):
            raise Unsupported("a knockout survived by another Pokémon than the one named")
        return [ir.Lasting(duration=duration, modifier=ir.Survive(target=target, hp=int(hp)))]

    def alt_cost(self, cond, n, etype):
        if self.kind != "attack":
            raise Unsupported("an alternative attack cost outside an attack's text")
        return [ir.AlternativeCost(condition=cond, cost=(energy(etype),) * int(n))]

    def flip_instead(self, cond, coins):
        return FlipInstead(cond, coins)

    def cond_tool_named(self, target, names):
        if names.conj != "or" and len(names.names) > 1:
            raise Unsupported("several Tools attached at once")
        return ir.Matches(target=target, filters=(ir.HasToolNamed(names=names.names),))

    def per_fetched(self, filt, clauses):
        return PerFetched(filt, tuple(clauses))

    def hand_to_deck_chosen(self, _a, filt):
        return ir.HandToDeck(player="you", filter=filt, random=False, chooser="you")

    def energy_types(self, *toks):
        types = tuple(energy(t) for t in toks if isinstance(t, Token) and t.type == "ENERGY")
        if "Colorless" in types:
            raise Unsupported("[C] in a list of Energy types (Colorless is no Energy type)")
        return types

    def choose_player_look(self, n=None):
        k = 1 if n is None else int(n)
        return [ir.ChooseOne(options=((ir.LookTop(player="you", count=k),), (ir.LookTop(player="opponent", count=k),)))]

    def next_energy(self, player, one, types):
        _one(one)
        return ir.SetNextEnergy(player=player, types=types)

    def change_energy_type(self, target, one, types):
        _one(one)
        return ir.ChangeEnergyType(target=target, types=types)

    def swap_hand_deck(self, _a, mine, theirs):
        if mine != theirs:
            raise Unsupported("switching a card of one kind for a card of another")
        return ir.SwapHandDeck(filter=mine)

    def pooled_hand_to_deck(self):
        return ir.PooledHandToDeck()

    def each_redraws(self):
        return ir.ShuffleHandRedraw(player="both")

    def you_redraw(self):
        return ir.ShuffleHandRedraw(player="you")

    def reveal_cards(self, kind, zone):
        return ir.RevealCards(player="opponent", zone=zone, filter=kind)

    def z_hand(self):
        return "hand"

    def a_an(self):
        return None

    def draw_until_n(self, n):
        return ir.DrawUntil(size=int(n))

    def each_draws(self, n):
        return [ir.Draw(amount=amount(n)), ir.Draw(amount=amount(n), player="opponent")]

    def each_draws_one(self):
        return self.each_draws(1)

    def each_shuffles(self):
        return ir.ShuffleHand(player="both")

    def cond_hand_at_least(self, n):
        return ir.CardIn(player="you", zone="hand", filter=ir.CardFilter(), at_least=int(n))

    def cond_opp_hand_at_least(self, n):
        return ir.CardIn(player="opponent", zone="hand", filter=ir.CardFilter(), at_least=int(n))

    def t_damaged(self, target, *_):
        self._self(target)
        return ir.Trigger(event="damaged_by_attack"), None

    def discard_from_revealed(self, _a, kind):
        return ir.DiscardCards(player="opponent", count=1, filter=kind, chooser="you")

    def shuffle_from_revealed(self, _a, kind):
        return ir.HandToDeck(player="opponent", filter=kind, random=False)

    def random_hand_to_deck(self):
        return ir.HandToDeck(player="opponent", random=True)

    def look_one(self, player):
        return ir.LookTop(player=player, count=1)

    def look_n(self, n, player):
        return ir.LookTop(player=player, count=int(n))

    def evolve_from_deck(self, sel, player, zone, source, onto):
        """"Put a random [G] Pokémon from your deck that evolves from that Pokémon onto that Pokémon to evolve it"."""
        n, filt, rnd = sel
        if n != 1 or not rnd or player != "you" or zone != "deck" or filt.kind not in ("card", "pokemon"):
            raise Unsupported("evolving from something other than a random card of your deck")
        if source != onto or not isinstance(source, (ir.ThisPokemon, ir.That)):
            raise Unsupported("evolving one Pokémon with a card that evolves from another")
        filt = ir.CardFilter() if filt == ir.CardFilter(kind="pokemon") else filt
        return ir.EvolveFromDeck(target=source, filter=filt)

    def not_first_turn(self):
        return NotFirstTurn(None)

    def not_first_turn_nor_new(self, _a, desc):
        return NotFirstTurn(desc)

    # ---------------------------------------------------------------- switching, returning, misc
    def switch_self(self, choose):
        if choose.among.player != "you" or choose.among.zone != "bench":
            raise Unsupported("switching with a Pokémon that is not on your Bench")
        return ir.Switch(player="you", new_active=choose)

    def switch_self_may(self, choose):
        return ir.Optional_(steps=(self.switch_self(choose),))

    def switch_out_opp(self, *pres):
        filters, _ = self._pre(pres)
        new = ir.Choose(chooser="opponent", count=1, among=ir.Among(player="opponent", zone="bench"))
        return ir.Switch(player="opponent", new_active=new, only_if=filters)

    def gust(self, choose):
        if choose.among.player != "opponent" or choose.among.zone != "bench":
            raise Unsupported("switching in a Pokémon that is not on the opponent's Bench")
        return ir.Switch(player="opponent", new_active=choose)

    def switch_active(self, desc, choose):
        if choose.among.player != "you" or choose.among.zone != "bench" or desc.zone is not None:
            raise Unsupported("unusual switch")
        return ir.Switch(player="you", new_active=choose, only_if=desc.filters)

    def switch_it(self):
        return ir.Switch(player="you", new_active=ir.ThisPokemon())

    def return_hand(self, target, player):
        if isinstance(target, ir.That) and player == "you":
            return TopMarker("hand")  # "put it into your hand": the card just looked at (sentences() checks)
        owner = "opponent" if _owner_of(target) == "opponent" else "you" if _owner_of(target) == "you" else None
        if owner != player:
            raise Unsupported("putting a Pokémon into a hand other than its owner's")
        return ir.ReturnPokemon(target=target, to="hand")

    def return_hand_opp(self, target):
        if _owner_of(target) != "opponent":
            raise Unsupported("putting a Pokémon into a hand other than its owner's")
        return ir.ReturnPokemon(target=target, to="hand")

    def return_deck_opp(self):
        return ir.ReturnPokemon(target=ir.Active(player="opponent"), to="deck")

    def return_deck_self(self):
        return ir.ReturnPokemon(target=ir.ThisPokemon(), to="deck")

    def set_hp(self, target, n):
        return ir.SetHp(target=target, hp=int(n))

    def halve_hp(self, target):
        return ir.SetHp(target=target, halve=True)

    def survive(self, target, n):
        if not isinstance(target, (ir.ThisPokemon, ir.ToolHolder, ir.That)):
            raise Unsupported("surviving a knockout, for another Pokémon")
        return ir.SurviveKnockOut(hp=int(n))

    def discard_this_card(self):
        if self.kind != "trainer":
            raise Unsupported("'discard this card' outside a Trainer text")
        return ir.DiscardTools(target=ir.ToolHolder())

    def move_all_damage(self):
        return ir.MoveDamage(amount=None, source=ir.That(), target=ir.ThisPokemon())

    def move_damage(self, n, target):
        return ir.MoveDamage(amount=amount(n), source=ir.That(), target=target)

    def discard_tools(self, target):
        return ir.DiscardTools(target=target)

    # ---------------------------------------------------------------- modifiers
    def d_opp_next(self):
        return "opponent_next_turn"

    def d_your_next(self):
        return "your_next_turn"

    def d_this_turn(self):
        return "this_turn"

    def d_until_leaves(self):
        return "until_leaves_active"

    def duration_front(self, d):
        return d

    def modifiers(self, mod, *tails):
        mods = mod if isinstance(mod, list) else [mod]
        for tail in tails:
            extra = tail(mods[0].target)
            if extra is not None and extra not in mods:
                mods.append(extra)
        return mods


    def tail_immune(self):
        return lambda target: ir.ConditionImmunity(target=target)

    def tail_no_weakness(self):
        return lambda target: ir.NoWeakness(target=target)

    def mod(self, m):
        return m

    def _from(self, af):
        return af if af is not None else ((), None)

    def m_takes(self, target, delta, af=None):
        filters, player = self._from(af)
        return ir.DamageTaken(target=target, delta=signed(delta), attacker=filters, attacker_player=player)

    def from_filtered(self, desc):
        if desc.zone:
            raise Unsupported("attacker filter with a zone")
        return desc.filters, None

    def from_opp(self, desc):
        if desc.zone:
            raise Unsupported("attacker filter with a zone")
        return desc.filters, "opponent"

    def m_cant_attack(self, target):
        return ir.CantAttack(target=target)

    def m_cant_retreat(self, target):
        return ir.CantRetreat(target=target)

    def m_cant_use(self, target, name):
        return ir.CantAttack(target=target, attack_name=name.names[0])

    def m_no_weakness(self, target):
        return ir.NoWeakness(target=target)

    def m_no_retreat(self, target):
        return ir.RetreatCost(target=target, none=True)

    def more(self):
        return 1

    def less(self):
        return -1

    def m_retreat(self, target, n, sign):
        return ir.RetreatCost(target=target, delta=sign * int(n))

    def m_retreat_of(self, target, n, sign):
        return ir.RetreatCost(target=target, delta=sign * int(n))

    def attacker(self, t):
        return t

    def to_defender(self, t):
        return t

    def m_dealt(self, attacker, delta, defender=None):
        return ir.DamageDealt(attacker=attacker, delta=signed(delta), defender=defender)

    def m_dealt_per(self, attacker, delta, defender, per):
        n = signed(delta)
        if n <= 0:
            raise Unsupported("less damage for each of something")
        return ir.DamageDealtBy(attacker=attacker, amount=ir.Per(each=n, count=per), defender=defender)

    def t_holder_ultra_beast(self):
        return self.t_holder(("filter", ir.HasTag(tag="Ultra Beast")))

    def c_your_points(self):
        return ir.PointsOf(player="you")

    def c_opp_points(self):
        return ir.PointsOf(player="opponent")

    def m_cost_more(self, target, n, etype):
        return ir.AttackCost(target=target, delta=int(n), energy_type=energy(etype))

    def m_cost_less(self, target, n, etype):
        return ir.AttackCost(target=target, delta=-int(n), energy_type=energy(etype))

    def m_cost_and_retreat(self, target, n, etype, r, retype):
        if energy(retype) != "Colorless":
            raise Unsupported("a typed Retreat Cost")
        return [ir.AttackCost(target=target, delta=int(n), energy_type=energy(etype)),
                ir.RetreatCost(target=target, delta=int(r))]

    def m_named_attack(self, target, name, delta, defender=None):
        return ir.DamageDealt(attacker=target, delta=signed(delta), attack_name=name.names[0], defender=defender)

    def m_prevent(self, target, af=None):
        filters, player = self._from(af)
        return ir.PreventDamage(target=target, attacker=filters, attacker_player=player)

    def m_prevent_upto(self, target, n):
        return ir.PreventDamage(target=target, at_most=int(n))

    def m_prevent_all(self, target):
        return ir.PreventDamage(target=target, effects=True)

    def m_prevent_effects(self, target):
        return ir.PreventEffects(target=target)

    def m_cant_play(self, kind):
        if kind.kind not in ("item", "supporter", "stadium") or kind.filters:
            raise Unsupported(f"a rule against playing {kind.kind} cards: the IR has none")
        return ir.CantPlay(player="opponent", card=kind.kind)

    def m_immune_all(self, target):
        return ir.ConditionImmunity(target=target)

    def m_immune_one(self, target, cond):
        return ir.ConditionImmunity(target=target, conditions=(cond_name(cond),))

    def m_hp(self, target, n):
        return ir.HpBonus(target=target, amount=ir.Const(value=signed(n)))


    def m_hp_per(self, target, n, count):
        return ir.HpBonus(target=target, amount=ir.Per(each=signed(n), count=_replace_that(count, target)))

    def m_condition_damage(self, target, n, cond):
        c = cond_name(cond)
        if c not in ("Poisoned", "Burned"):
            raise Unsupported(f"damage from being {c}: only Poisoned and Burned do damage")
        return ir.ConditionDamage(target=target, condition=c, delta=signed(n))

    def m_evolve_early(self, target):
        return ir.EvolveEarly(target=target)

    def m_evolves_as(self, target, name, onto):
        if onto != target or not isinstance(target, (ir.ThisPokemon, ir.That)):
            raise Unsupported("evolving one Pokémon by playing a card onto another")
        return ir.EvolvesAs(target=target, name=name.names[0])

    def m_cant_be_healed(self, target):
        if not isinstance(target, ir.Each):
            raise Unsupported("'can't be healed' about a Pokémon other than a group of them")
        return ir.CantBeHealed(among=target.among)

    # ---------------------------------------------------------------- conditions
    def cond_heads(self):
        return ir.CoinOutcome(outcome="heads")

    def cond_tails(self):
        return ir.CoinOutcome(outcome="tails")

    def cond_all_heads(self):
        return ir.CoinOutcome(outcome="all_heads")

    def cond_all_tails(self):
        return ir.CoinOutcome(outcome="all_tails")

    def cond_at_least(self, n):
        return ir.CoinOutcome(outcome="at_least", count=int(n))

    def cond_is(self, target, desc):
        if desc.zone:
            raise Unsupported("'is a ...' with a zone")
        if not desc.filters:
            raise Unsupported("'is a Pokémon' tests nothing")
        return ir.Matches(target=target, filters=desc.filters)

    def cond_is_named(self, target, names):
        return ir.Matches(target=target, filters=(names.filter(),))

    def cond_status(self, target, cond):
        return ir.Matches(target=target, filters=(ir.HasCondition(conditions=(cond_name(cond),)),))

    def cond_any_status(self, target):
        return ir.Matches(target=target, filters=(ir.HasCondition(),))

    def cond_damaged(self, target):
        return ir.Matches(target=target, filters=(ir.Damaged(),))

    def cond_undamaged(self, target):
        return ir.Matches(target=target, filters=(ir.Damaged(value=False),))

    def cond_retreat_at_least(self, target, n):
        return ir.Matches(target=target, filters=(ir.RetreatAtLeast(count=int(n)),))

    def cond_tool(self, target):
        return ir.Matches(target=target, filters=(ir.HasTool(),))

    def cond_ability(self, target):
        return ir.Matches(target=target, filters=(ir.HasAbility(),))

    def cond_energy_any(self, target, etype=None):
        return ir.Matches(target=target, filters=(ir.HasEnergy(energy_type=energy(etype)),))

    def cond_extra_energy(self, target, n, etype):
        if self.kind != "attack":
            raise Unsupported("'extra' Energy outside an attack")
        return ir.Matches(target=target, filters=(ir.HasEnergy(energy_type=energy(etype), at_least=int(n),
                                                                extra=True),))

    def cond_energy_at_least(self, target, n, etype=None):
        return ir.Matches(target=target, filters=(ir.HasEnergy(energy_type=energy(etype), at_least=int(n)),))

    def _count_at_least(self, player, n, desc):
        return ir.CountAtLeast(count=ir.PokemonCount(among=among(player, desc)), value=int(n))

    def cond_you_count(self, n, desc):
        return self._count_at_least("you", n, desc)

    def cond_opp_count(self, n, desc):
        return self._count_at_least("opponent", n, desc)

    def cond_energy_types(self, target, n):
        return ir.Matches(target=target, filters=(ir.EnergyTypesAtLeast(count=int(n)),))

    def cond_hp_at_most(self, target, n):
        return ir.Matches(target=target, filters=(ir.HpAtMost(hp=int(n), remaining=True),))

    def cond_in_active(self, target):
        return ir.Matches(target=target, filters=(ir.InZone(zone="active"),))

    def cond_on_bench(self, target):
        return ir.Matches(target=target, filters=(ir.InZone(zone="bench"),))

    def cond_named_on_bench(self, names):
        return self._exists(names, "bench")

    def cond_named_on_bench1(self, names):
        if len(names.names) != 1:
            raise Unsupported("several names 'is on your Bench'")
        return self._exists(names, "bench")

    def cond_have_in_play(self, names):
        return self._exists(names, "in_play")

    def _exists(self, names, zone):
        if names.conj == "and" and len(names.names) > 1:
            return ir.All(conditions=tuple(
                ir.Exists(among=ir.Among(player="you", zone=zone, filters=(ir.NameIs(names=(n,)),)))
                for n in names.names))
        return ir.Exists(among=ir.Among(player="you", zone=zone, filters=(names.filter(),)))

    def cond_in_discard(self, names):
        return ir.CardIn(player="you", zone="discard", filter=ir.CardFilter(filters=(names.filter(),)))

    def cond_bench_damaged(self):
        return ir.Exists(among=ir.Among(player="you", zone="bench", filters=(ir.Damaged(),)))

    def cond_hand_size(self, *ns):
        return ir.HandSize(player="you", sizes=tuple(int(n) for n in ns))

    def cond_played_supporter(self):
        return ir.History(event="played_supporter_this_turn")

    def cond_ko_last_turn(self):
        return ir.History(event="ko_last_turn")

    def cond_used_attack(self, target, name):
        if target != ir.Choose(count=1, among=ir.Among(player="you")):
            raise Unsupported("an attack used by other than 1 of your Pokémon")
        return ir.History(event="used_attack_last_turn", name=name.names[0])

    def cond_moved_active(self):
        return ir.History(event="moved_to_active_this_turn")

    def cond_evolved(self):
        return ir.History(event="evolved_this_turn")

    def cond_evolved_from(self, name):
        """"this Pokémon evolved from Eevee during this turn": it evolved this turn, and its card evolves from Eevee."""
        if self.kind == "trainer":
            raise Unsupported("'this Pokémon' in a Trainer text")
        return ir.All(conditions=(ir.History(event="evolved_this_turn"), ir.Matches(
            target=ir.ThisPokemon(), filters=(ir.EvolvesFrom(name=name.names[0]),))))

    def cond_energy_on_group(self, n, *rest):
        """"If you have 3 or more [G] Energy attached to your Pokémon": the Energy of all of them together."""
        etype, target = (energy(rest[0]), rest[1]) if len(rest) == 2 else (None, rest[0])
        if _owner_of(target) != "you":
            raise Unsupported("'you have ... Energy attached to' Pokémon that may not be yours")
        return ir.CountAtLeast(count=ir.EnergyCount(target=target, energy_type=etype), value=int(n))

    def cond_your_points_at_least(self, n, *_):
        return ir.Points(player="you", at_least=int(n))

    def point_s(self):
        return None

    def either_players(self):
        return None

    def select_either(self, n, desc, _either):
        """"Choose 1 Pokémon (either yours or your opponent's)."."""
        return [ir.Select(target=ir.Choose(count=int(n), among=among("both", desc)))]

    def random_either_then(self, n, desc, _either, clauses):
        """"1 Pokémon (either yours or your opponent's) is chosen at random. Do 20 damage to it."."""
        return [ir.Select(target=ir.RandomPokemon(count=int(n), among=among("both", desc))), *clauses]

    def evolve_from_hand(self, stage, source, onto, skip=None):
        """"If you have a Stage 2 card in your hand that evolves from that Pokémon, put that card onto the Basic
        Pokémon to evolve it, skipping the Stage 1.": the Stage 2 with "skipping the Stage 1", a Stage 1 without."""
        stage = int(stage)
        if (stage, skip) != (2, 1):
            raise Unsupported(f"evolving into a Stage {stage} card from the hand, skipping {skip or 'nothing'}: the IR "
                              "has only the Stage 2 that skips the Stage 1")
        if source != ir.That() or onto not in (ir.That(), "the basic"):
            raise Unsupported("evolving from the hand a Pokémon other than the one chosen before")
        return EvolveHandMark(ir.EvolveFromHand(target=ir.That(), skip_stage1=stage == 2), onto == "the basic")

    def onto_target(self, t):
        return t

    def the_basic(self, *pres):
        if list(pres) != [("filter", ir.StageIs(stage="basic"))]:
            raise Unsupported("'onto the ... Pokémon' other than the Basic Pokémon chosen")
        return "the basic"

    def skipping(self, n):
        if int(n) != 1:
            raise Unsupported(f"skipping the Stage {n}")
        return 1

    def put_back_any_order(self):
        return PutBackAnyOrder()

    def arrange_per(self, player, desc, deck_owner):
        """"For each of your [F] Pokémon in play, look at that many cards from the top of your deck and put them back
        in any order."."""
        return [ir.ArrangeTop(player=deck_owner, count=ir.Per(each=1, count=ir.PokemonCount(
            among=among(player, desc))))]

    def if_healed(self, clauses):
        return IfHealed(tuple(clauses))

    def cond_damaged_last_turn(self):
        return ir.History(event="damaged_last_turn_while_active")

    def cond_ko_by_attack(self, target):
        if target != ir.Each(among=ir.Among(player="opponent")):
            raise Unsupported("a knockout by this attack of something other than your opponent's Pokémon")
        return ir.History(event="ko_by_this_attack")

    def cond_opp_points(self, n):
        return ir.Points(player="opponent", at_least=int(n))

    def cond_opp_no_points(self):
        return ir.Points(player="opponent", at_most=0)

    def cond_have_ability_other(self, names, ability):
        return ir.Exists(among=ir.Among(player="you", filters=(
            names.filter(), ir.AbilityNamed(names=ability.names, value=False))))

    def cond_half_hp(self, target):
        return ir.Matches(target=target, filters=(ir.HpAtMostHalf(),))

    def rel_more(self):
        return "more"

    def rel_fewer(self):
        return "fewer"

    @staticmethod
    def _compare(left, rel, right):
        return ir.Compare(left=left, relation=rel, right=right)

    def cond_compare_hp(self, a, rel, b):
        return self._compare(ir.RemainingHp(target=_one_pokemon(a)), rel, ir.RemainingHp(target=_one_pokemon(b)))

    def cond_same_hp(self, a, b):
        return self.cond_compare_hp(a, "same", b)

    def cond_compare_energy(self, a, rel, *rest):
        etype, b = (energy(rest[0]), rest[1]) if len(rest) == 2 else (None, rest[0])
        return self._compare(ir.EnergyCount(target=_one_pokemon(a), energy_type=etype), rel,
                             ir.EnergyCount(target=_one_pokemon(b), energy_type=etype))

    def cond_same_hands(self):
        return ir.Compare(left=ir.CardCount(player="you", zone="hand"), relation="same",
                          right=ir.CardCount(player="opponent", zone="hand"))

    def cond_compare_points(self, rel):
        return self._compare(ir.PointsOf(player="you"), rel, ir.PointsOf(player="opponent"))

    def cond_opp_compare_points(self, rel):
        return self._compare(ir.PointsOf(player="opponent"), rel, ir.PointsOf(player="you"))

    def cond_same_points(self):
        return ir.Compare(left=ir.PointsOf(player="you"), relation="same", right=ir.PointsOf(player="opponent"))

    def cond_energy_exactly(self, target, n, etype=None):
        return ir.CountIn(count=ir.EnergyCount(target=_one_pokemon(target), energy_type=energy(etype)),
                          values=(int(n),))

    def cond_you_exactly(self, n, desc):
        return ir.CountIn(count=ir.PokemonCount(among=among("you", desc)), values=(int(n),))

    def cond_opp_exactly(self, n, desc):
        return ir.CountIn(count=ir.PokemonCount(among=among("opponent", desc)), values=(int(n),))

    def cond_compare_hands(self, rel):
        return self._compare(ir.CardCount(player="you", zone="hand"), rel, ir.CardCount(player="opponent", zone="hand"))

    # ---------------------------------------------------------------- targets
    def t_this(self, *_):
        if self.kind == "trainer":
            raise Unsupported("'this Pokémon' in a Trainer text")
        return ir.ThisPokemon()

    def t_that(self):
        return ir.That()

    def t_defending(self):
        return ir.Defending()

    def t_attacking(self):
        return ir.Attacking()

    def t_owned(self, player, desc):
        t = owned(player, desc)
        if isinstance(t, ir.Each):
            self.plain_sets.add(id(t))
        return t

    def t_each(self, player, desc):
        return ir.Each(among=among(player, desc))

    def t_both(self, desc, _both):
        """"Basic Pokémon (both yours and your opponent's)": every such Pokémon of either player."""
        if desc.distribute:
            raise Unsupported("'in any way you like' among both players' Pokémon")
        return ir.Each(among=among("both", desc))

    def t_each_player(self, desc):
        """"each player's Active Pokémon": the Pokémon of both players."""
        if desc.distribute:
            raise Unsupported("'in any way you like' among both players' Pokémon")
        return ir.Each(among=among("both", desc))

    def both_players(self):
        return None

    def t_both_active(self):
        return ir.Each(among=ir.Among(player="both", zone="active"))

    def t_the_active(self, *pres):
        filters, zone = self._pre(pres)
        if zone:
            raise Unsupported("zone word before 'in the Active Spot'")
        return ir.Active(player="you", filters=filters)

    def target(self, t):
        return t

    def t_choose(self, n, player, desc):
        return ir.Choose(count=int(n), among=among(player, desc))

    def choose_target(self, t):
        return t

    def t_named(self, names):
        return BareNames(ir.Choose(count=1, among=ir.Among(player="you", filters=(names.filter(),))))

    def t_holder(self, *pres):
        if self.kind != "trainer":
            raise Unsupported("'this card is attached to' outside a Trainer text")
        filters, zone = self._pre(pres)
        if zone:
            raise Unsupported("zone word in a Tool's holder")
        self.holder_filters = self.holder_filters + tuple(f for f in filters if f not in self.holder_filters)
        return ir.ToolHolder()

    def you(self):
        return "you"

    def opponent(self):
        return "opponent"

    def _pre(self, pres) -> tuple[tuple, str | None]:
        filters, zone = [], None
        for kind, val in pres:
            if kind == "zone":
                if zone is not None:
                    raise Unsupported("two zone words")
                zone = val
            else:
                filters.append(val)
        return tuple(filters), zone

    def mon_desc(self, *parts):
        pres = [p for p in parts if isinstance(p, tuple) and len(p) == 2 and isinstance(p[0], str)]
        rest = [p for p in parts if not (isinstance(p, tuple) and len(p) == 2 and isinstance(p[0], str))]
        filters, zone = self._pre(pres)
        head, *post = rest
        filters = filters + tuple(head)
        distribute = False
        for p in post:
            if p == "distribute":
                distribute = True
            elif isinstance(p, str):
                if zone is not None and zone != p:
                    raise Unsupported("conflicting zones")
                zone = p
            elif p is not None:
                filters = filters + (p,)
        return Desc(zone=zone if zone != "in_play" else None, filters=filters, distribute=distribute)

    mon_desc_bare = mon_desc

    def mon_desc_poss(self, *pres):
        filters, zone = self._pre(pres)
        return Desc(zone=zone, filters=filters)

    def pre_type(self, *toks):
        return ("filter", ir.TypeIs(types=tuple(energy(t) for t in toks)))

    def pre_basic(self):
        return ("filter", ir.StageIs(stage="basic"))

    def pre_stage(self, n):
        if str(n) not in ("1", "2"):
            raise Unsupported(f"Stage {n}")
        return ("filter", ir.StageIs(stage=f"stage{n}"))

    def pre_evolution(self):
        return ("filter", ir.StageIs(stage="evolution"))

    def pre_bench(self):
        return ("zone", "bench")

    def pre_active(self):
        return ("zone", "active")

    def pre_condition(self, cond):
        """"Poisoned Pokémon": affected by that Special Condition."""
        return ("filter", ir.HasCondition(conditions=(cond_name(cond),)))

    def pre_mega(self):
        return ("filter", ir.IsEx(mega=True))

    def h_pokemon(self):
        return ()

    def h_ex(self):
        return (ir.IsEx(),)

    def h_ultra_beast(self):
        return (ir.HasTag(tag="Ultra Beast"),)

    def h_names(self, names):
        return (names.filter(),)

    def post_damaged(self, *_):
        return ir.Damaged()

    def post_energy(self, etype=None):
        return ir.HasEnergy(energy_type=energy(etype))

    def post_evolves_from(self, _evolve, name):
        return ir.EvolvesFrom(name=name.names[0])

    def post_in_play(self):
        return "in_play"

    def post_ability(self):
        return ir.HasAbility()

    def post_active(self):
        return "active"

    def post_any_way(self):
        return "distribute"

    def has_have(self):
        return None

    def evolve_s(self):
        return None

    def names(self, *parts):
        conj = "or"
        names = []
        for p in parts:
            if isinstance(p, ir.NameIs):
                names.extend(p.names)
            elif isinstance(p, Token) and p.type == "CONJ":
                conj = str(p)[1:]
        return NameList(tuple(names), conj)

    def attach_target(self, t):
        return t


    def name(self, *parts):
        words = [str(p) for p in parts if isinstance(p, Token)]
        if any(isinstance(p, Tree) or p is True for p in parts):
            words.append("ex")
        return ir.NameIs(names=(" ".join(words),))

    def ex(self):
        return True

    def possessive(self, t):
        return t


def check_tree(tree: Any) -> None:
    """Not used at run time; kept for debugging parse trees."""
    print(tree.pretty() if isinstance(tree, Tree) else tree)
