"""Canonical English for IR nodes: `render(node) -> str`.

The output is card wording that grammar/effects.lark reads back, so `parse_effect(render(x), kind) == x` for every
IR the parser produces. A tree the grammar has no wording for raises `RenderError` (hand-made IR only).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from . import ir
from .spec.base import ENERGY_SYMBOLS

SYMBOL = {name: f"[{sym}]" for sym, name in ENERGY_SYMBOLS.items()}
DURATION = {"opponent_next_turn": "your opponent's next turn", "your_next_turn": "your next turn",
            "this_turn": "this turn"}
HISTORY = {
    "played_supporter_this_turn": "you played a Supporter card from your hand during this turn",
    "ko_last_turn": "any of your Pokémon were Knocked Out by damage from an attack during your opponent's last turn",
    "moved_to_active_this_turn": "this Pokémon moved from your Bench to the Active Spot this turn",
    "evolved_this_turn": "this Pokémon evolved during this turn",
    "damaged_last_turn_while_active": "this Pokémon was damaged by an attack during your opponent's last turn "
                                      "while it was in the Active Spot",
    "ko_by_this_attack": "your opponent's Pokémon is Knocked Out by damage from this attack",
}
_OPP_ATTACK = "an attack from your opponent's Pokémon"


class RenderError(ValueError):
    """The IR has no canonical wording (the parser never produces such a tree)."""


@dataclass
class Ctx:
    """What wording depends on: the effect kind and, for a Tool, the filters on the Pokémon holding it."""

    kind: str
    holder: tuple = ()
    also: bool = False
    devolve_owner: str | None = None
    """Whose Pokémon "it" is in "devolve it" (the Pokémon the If before tested)."""
    """An attack with main damage: its damage to other Pokémon is what it "also" does."""


def render(node: ir.Node, kind: str | None = None, base_damage: int = 0) -> str:
    """Canonical English text of a top-level IR node (or of a CardIR: one line per effect). `base_damage`: an
    attack's printed damage, so that its damage to other Pokémon reads as what it "also" does."""
    if isinstance(node, ir.CardIR):
        return _render_card(node)
    if isinstance(node, ir.Unresolved):
        return node.text
    if isinstance(node, ir.Attack):
        main = base_damage > 0 or any(isinstance(n, ir.AttackDamage) and n.mode != "less" for n in ir.iter_nodes(node))
        return _attack(node, Ctx("attack", also=main))
    if isinstance(node, (ir.Activated, ir.Passive, ir.Triggered)) and kind != "trainer":
        return _ability(node, Ctx("ability"))
    if isinstance(node, (ir.TrainerEffect, ir.Tool, ir.Stadium, ir.Fossil)):
        return _trainer(node, Ctx("trainer"))
    raise RenderError(f"not a top-level node: {type(node).__name__}")


def _render_card(card: ir.CardIR) -> str:
    lines = []
    for a in card.attacks:
        dmg = f"{a.base_damage or ''}{a.suffix}" if a.suffix else (str(a.base_damage) if a.base_damage else "")
        lines.append(f"{a.name} {dmg}".rstrip() + (f": {render(a.effect, base_damage=a.base_damage)}"
                                                   if a.effect != ir.Attack() else ""))
    if card.ability is not None:
        lines.append(f"Ability: {render(card.ability)}")
    if card.trainer is not None:
        lines.append(render(card.trainer, "trainer"))
    return "\n".join(lines)


def cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def low(s: str) -> str:
    """Lowercase the first letter unless the sentence starts with a name."""
    from .parse.normalise import keywords

    first = s.split(" ", 1)[0]
    return s[:1].lower() + s[1:] if first.lower() in keywords() else s


def join_and(items: list[str], conj: str = "and") -> str:
    if len(items) == 1:
        return items[0]
    if len(items) == 2:
        return f"{items[0]} {conj} {items[1]}"
    return ", ".join(items[:-1]) + f", {conj} {items[-1]}"


# --------------------------------------------------------------------------------------------------- top level
def _attack(a: ir.Attack, c: Ctx) -> str:
    out = []
    if a.requirement is not None:
        out.append(f"You can use this attack only if {cond(a.requirement, c)}.")
    steps = list(a.steps)
    if a.damage_at is not None:
        out.append(f"Before doing damage, {clauses(steps[:a.damage_at], c)}.")
        steps = steps[a.damage_at:]
    out.extend(sentences(steps, c))
    return " ".join(out)


def _ability(node, c: Ctx) -> str:
    if isinstance(node, ir.Activated):
        head = "Once during your turn" if node.once else "As often as you like during your turn"
        if node.requirement is not None:
            if not node.once:
                raise RenderError("a requirement on an as-often-as-you-like Ability")
            head += f", if {cond(node.requirement, c)}"
        body = f"{head}, you may {_may(node.steps, c)}"
        if node.cost:
            body = f"You must {clauses(node.cost, c)} in order to use this Ability. {body}"
        return body
    if isinstance(node, ir.Passive):
        return _passive(node, c)
    return _triggered(node, c)


def _may(steps, c: Ctx) -> str:
    """The steps after "you may", the first one worded as a verb phrase ("make your opponent's Active Pokémon
    Burned", "have your opponent reveal their hand") where its clause has a subject of its own."""
    first, rest = steps[0] if steps else None, list(steps[1:])
    head = None
    match first:
        case ir.ApplyCondition(pick="all", poison_damage=None, target=t) if not _plural(t):
            head = f"make {target(t, c)} {join_and(list(first.conditions))}."
        case ir.RevealHand(player="opponent"):
            head = "have your opponent reveal their hand."
    if head is None:
        return low(" ".join(sentences(steps, c)))
    return " ".join([head] + sentences(rest, c))


def _passive(node: ir.Passive, c: Ctx) -> str:
    if node.requirement is None and len(node.modifiers) == 1 and isinstance(node.modifiers[0], ir.DamageFlip):
        m = node.modifiers[0]
        t = target(m.target, c)
        then = "prevent that damage" if m.delta is None else f"{t} takes {m.delta:+d} damage from that attack"
        return f"If any damage is done to {t} by attacks, flip a coin. If heads, {then}."
    mods = modifiers(node.modifiers, c)
    req = node.requirement
    if req is None:
        return cap(mods) + "."
    if req == ir.History(event="your_first_turn"):
        return f"During your first turn, {mods}."
    if isinstance(req, ir.Matches) and isinstance(req.target, ir.ThisPokemon) and req.filters in (
            (ir.InZone(zone="active"),), (ir.InZone(zone="bench"),)):
        where = "in the Active Spot" if req.filters[0].zone == "active" else "on your Bench"
        if mods.startswith("this Pokémon "):  # "As long as this Pokémon is ..., it ..."
            mods = "it " + mods[len("this Pokémon "):]
        return f"As long as this Pokémon is {where}, {mods}."
    if any(isinstance(n, ir.AbilityNamed) for n in ir.iter_nodes(req)):
        return f"This Ability works if {cond(req, c)}. {cap(mods)}."
    return f"If {cond(req, c)}, {mods}."


def _triggered(node: ir.Triggered, c: Ctx) -> str:
    t = node.trigger
    me = target(ir.ToolHolder() if c.kind == "trainer" else ir.ThisPokemon(), c)
    body = " ".join(sentences(node.steps, c))
    req = node.requirement
    if t.event in ("evolved_from_hand", "played_to_bench"):
        if not (node.optional and node.once) or req is not None:
            raise RenderError("an evolve/bench trigger that is not 'once during your turn, you may'")
        what = ("play this Pokémon from your hand to evolve 1 of your Pokémon" if t.event == "evolved_from_hand"
                else "put this Pokémon from your hand onto your Bench")
        return f"Once during your turn, when you {what}, you may {_may(node.steps, c)}"
    if node.optional or node.once:
        raise RenderError("an optional trigger other than evolve/bench")
    if (t.each_turn or t.opponent_turn) and t.event not in ("end_of_turn", "start_of_turn"):
        raise RenderError(f"no wording for trigger {t}")
    if t.event in ("end_of_turn", "start_of_turn", "end_of_first_turn", "checkup"):
        if t.event == "checkup":
            head = "During Pokémon Checkup"
        elif t.event == "end_of_first_turn":
            head = "At the end of your first turn"
        else:
            whose = "each turn" if t.each_turn else "your opponent's turn" if t.opponent_turn else "your turn"
            head = f"At the {'end' if t.event == 'end_of_turn' else 'beginning'} of {whose}"
        if t.while_active and (req is not None or t.event == "end_of_first_turn"):
            raise RenderError("a turn-point trigger with both a requirement and while_active")
        if t.while_active:
            head += f", if {me} is in the Active Spot"
        elif req is not None:
            head += f", if {cond(req, c)}"
        elif node.steps and isinstance(node.steps[0], ir.If) and not node.steps[0].otherwise:
            raise RenderError("a turn-point trigger whose first step is an If would read as its requirement")
        return f"{head}, {low(body)}"
    if t.first_time:
        if t.event != "damaged_by_attack" or t.while_active or req is not None:
            raise RenderError(f"no wording for trigger {t}")
        return f"The first time {me} is damaged by {_OPP_ATTACK} after coming into play, {low(body)}"
    if req is not None:
        raise RenderError("a trigger with a requirement")
    energy = (f"a {SYMBOL[t.energy_type]} Energy" if t.energy_type else "an Energy")
    active = "As long as this Pokémon is in the Active Spot, "
    heads = {
        ("damaged_by_attack", True): f"If {me} is in the Active Spot and is damaged by {_OPP_ATTACK}",
        ("knocked_out_by_attack", True): f"If {me} is in the Active Spot and is Knocked Out by damage from "
                                         f"{_OPP_ATTACK}",
        ("knocked_out_by_attack", False): f"If {me} is Knocked Out by damage from {_OPP_ATTACK}",
        ("damaged_by_attack", False): f"If {me} is damaged by {_OPP_ATTACK}",
        ("would_be_knocked_out", False): f"If {me} would be Knocked Out by damage from an attack",
        ("knocked_out", False): f"When {me} is Knocked Out",
        ("energy_attached", False): f"Whenever you attach {energy} from your Energy Zone to {me}",
        ("energy_attached", True): f"{active}whenever you attach {energy} from your Energy Zone to it",
        ("opponent_attaches_energy", True): f"{active}whenever your opponent attaches an Energy from their "
                                            "Energy Zone to 1 of their Pokémon",
        ("opponent_ko_by_holder", False): "Whenever your opponent's Pokémon is Knocked Out by damage from an attack "
                                          f"used by {me}",
    }
    key = (t.event, t.while_active)
    if key not in heads or (t.energy_type and t.event != "energy_attached"):
        raise RenderError(f"no wording for trigger {t}")
    if c.kind == "ability" and key == ("energy_attached", True) and me != "this Pokémon":
        raise RenderError("energy trigger")
    return f"{heads[key]}, {low(body)}"


def _trainer(node, c: Ctx) -> str:
    if isinstance(node, ir.Fossil):
        if node.type != "Colorless":
            pass
        return (f"Play this card as if it were a {node.hp}-HP Basic {SYMBOL[node.type]} Pokémon. At any time during "
                "your turn, you may discard this card from play. This card can't retreat.")
    if isinstance(node, ir.Stadium):
        if len(node.effects) != 1:
            raise RenderError("a Stadium with several effects")
        return _passive(node.effects[0], c)
    if isinstance(node, ir.Tool):
        if len(node.effects) != 1:
            raise RenderError("a Tool with several effects")
        eff = node.effects[0]
        req = eff.requirement
        if isinstance(req, ir.Matches) and isinstance(req.target, ir.ToolHolder) and _desc_only(req.filters):
            c = Ctx("trainer", holder=req.filters)
            eff = eff.model_copy(update={"requirement": None})
        elif isinstance(req, ir.All) and isinstance(req.conditions[0], ir.Matches) and \
                isinstance(req.conditions[0].target, ir.ToolHolder) and _desc_only(req.conditions[0].filters):
            c = Ctx("trainer", holder=req.conditions[0].filters)
            rest = req.conditions[1:]
            eff = eff.model_copy(update={"requirement": rest[0] if len(rest) == 1 else ir.All(conditions=rest)})
        if isinstance(eff, ir.Passive):
            return _passive(eff, c)
        return _triggered(eff, c)
    out = []
    steps, last = list(node.steps), None
    if node.requirement == ir.Not(condition=ir.History(event="your_first_turn")):
        last = "You can't use this card during your first turn."
        first = steps[0] if steps else None
        new = ir.PutIntoPlayThisTurn(value=False)
        if isinstance(first, ir.Select) and isinstance(first.target, ir.Choose) and \
                first.target.among.filters[-1:] == (new,):
            among = first.target.among.model_copy(update={"filters": first.target.among.filters[:-1]})
            steps[0] = first.model_copy(update={"target": first.target.model_copy(update={"among": among})})
            stage = _pre(tuple(f for f in among.filters if isinstance(f, ir.StageIs))) or ""
            last = last[:-1] + f" or on a {stage}Pokémon that was put into play this turn."
    elif node.requirement is not None:
        out.append(f"You can use this card only if {cond(node.requirement, c)}.")
    out.extend(sentences(steps, c))
    if last:
        out.append(last)
    return " ".join(out)


# --------------------------------------------------------------------------------------------------- steps
def sentences(steps, c: Ctx) -> list[str]:
    """Each step as a sentence, merging the pairs the grammar words together."""
    steps = list(steps)
    out = []
    i = 0
    while i < len(steps):
        s = steps[i]
        nxt = steps[i + 1] if i + 1 < len(steps) else None
        if isinstance(s, ir.Select) and isinstance(s.target, ir.RandomPokemon):
            if nxt is None:
                raise RenderError("a random pick with nothing done to it")
            out.append(f"{cap(_random(s.target, c))}. {cap(clause(nxt, c))}.")
            i += 2
            continue
        if isinstance(s, ir.Select) and isinstance(s.target, ir.Choose) and \
                ir.StageIs(stage="basic") in s.target.among.filters and \
                nxt == ir.EvolveFromHand(target=ir.That(), skip_stage1=True):
            out.append(sentence(s, c))
            out.append("If you have a Stage 2 card in your hand that evolves from that Pokémon, put that card onto the "
                       "Basic Pokémon to evolve it, skipping the Stage 1.")
            i += 2
            continue
        if isinstance(s, ir.Heal) and nxt == ir.Recover(target=ir.That(), random=True):
            out.append(f"Heal {_amount_plain(s.amount)} damage and remove a random Special Condition from "
                       f"{target(s.target, c)}.")
            i += 2
            continue
        if isinstance(s, ir.Lasting) and isinstance(nxt, ir.Lasting) and nxt.duration == s.duration and \
                s.stacks and nxt.stacks and s.duration in DURATION:
            try:
                out.append(f"During {DURATION[s.duration]}, {modifiers((s.modifier, nxt.modifier), c)}.")
                i += 2
                continue
            except RenderError:
                pass
        if isinstance(s, ir.Draw) and s.player == "you" and isinstance(s.amount, ir.Const) and \
                nxt == s.model_copy(update={"player": "opponent"}):
            n = s.amount.value
            out.append("Each player draws a card." if n == 1 else f"Each player draws {n} cards.")
            i += 2
            continue
        if isinstance(s, ir.DiscardCards) and s.zone == "deck" and s.player == "you" and isinstance(
                nxt, ir.DiscardCards) and nxt == s.model_copy(update={"player": "opponent"}) and s.count > 1:
            out.append(f"Discard the top {s.count} cards of each player's deck.")
            i += 2
            continue
        if isinstance(s, ir.Select) and isinstance(s.target, ir.Choose) and s.target.count > 1 and \
                isinstance(nxt, ir.AttachEnergy) and isinstance(nxt.target, ir.That):
            # the attach gives each of those Pokémon its Energy: the wording says so
            out.append(sentence(s, c))
            out.append(f"For each of those Pokémon, {clause(nxt, c)}.")
            i += 2
            continue
        if isinstance(s, ir.Fetch) and s.to == "hand" and isinstance(nxt, ir.Repeat) and \
                nxt.times == ir.Per(each=1, count=ir.DoneCount()):
            out.append(f"{cap(clause(s, c))}. For each {_card_desc(s.filter)} you put into your hand in this way, "
                       f"{clauses(nxt.steps, c)}.")
            i += 2
            continue
        if s == ir.ShuffleDeck() and any(isinstance(x, ir.RevealTop) and x.player == "you" for x in steps[:i]):
            out.append("Shuffle the revealed cards back into your deck.")
            i += 1
            continue
        out.append(sentence(s, c))
        i += 1
    return out


def sentence(s, c: Ctx) -> str:
    """One step as a whole sentence."""
    if isinstance(s, ir.Flip):
        return f"Flip {_coins(s)}."
    if isinstance(s, ir.If):
        return _if(s, c)
    if isinstance(s, ir.Repeat):
        return _repeat(s, c)
    if isinstance(s, ir.Select):
        if not isinstance(s.target, ir.Choose):
            raise RenderError("Select of a random Pokémon must be followed by a step")
        a = s.target.among
        if a.player == "both" and s.target.chooser == "you" and not s.target.up_to and not a.other and \
                _pre(a.filters) is not None:
            return f"Choose {s.target.count} {desc(a.zone, a.filters)} (either yours or your opponent's)."
        if a.zone == "in_play" and a.filters and _pre(a.filters) is not None and isinstance(s.target, ir.Choose) \
                and target(s.target, c).endswith(" Pokémon"):
            return f"Choose {target(s.target, c)} in play."
        return f"Choose {target(s.target, c)}."
    if isinstance(s, ir.Lasting):
        return _lasting(s, c)
    if isinstance(s, ir.ArrangeTop) and isinstance(s.count, ir.Per) and s.count.each == 1 and \
            isinstance(s.count.count, ir.PokemonCount) and s.count.count.among.player in ("you", "opponent"):
        a = s.count.count.among
        d = desc(a.zone, a.filters) + (" in play" if a.zone == "in_play" else "")
        return (f"For each of {_owner(a.player)} {d}, look at that many cards from the top of {_owner(s.player)} deck "
                "and put them back in any order.")
    if s == ir.Optional_(steps=(ir.ShuffleDeck(),)):
        return "Then, you may shuffle your deck."
    if isinstance(s, ir.Optional_) and s.then:
        return f"{sentence(s.model_copy(update={'then': ()}), c)} If you do, {clauses(s.then, c)}."
    if isinstance(s, ir.EndTurn):
        return "Your turn ends."
    if isinstance(s, ir.AttackDoesNothing):
        return "This attack does nothing."
    if isinstance(s, ir.AlternativeCost) and s.cost and len(set(s.cost)) == 1:
        return (f"If {cond(s.condition, c)}, this attack can be used for {len(s.cost)} {SYMBOL[s.cost[0]]} "
                "Energy.")
    if isinstance(s, ir.DamageIgnores):
        if s.what == "weakness":
            return "This attack's damage isn't affected by Weakness."
        return "This attack's damage isn't affected by any effects on your opponent's Active Pokémon."
    if isinstance(s, ir.CopyAttack):
        return _copy(s, c)
    if isinstance(s, ir.TakeTop):
        d = _card_desc(s.filter)
        a = "an" if d[0] in "AEIOU" else "a"
        if s.rest == "bottom" and s.count == 1:
            return (f"Look at the top card of your deck. If that card is {a} {d}, put it into your hand. If it is not "
                    f"{a} {d}, put it on the bottom of your deck.")
        if s.rest == "shuffle" and s.count > 1:
            return (f"Look at the top {s.count} cards of your deck. Put all {_card_desc(s.filter, plural=True)} you find "
                    "there into your hand. Shuffle the other cards back into your deck.")
        raise RenderError(f"no wording for {s}")
    if isinstance(s, ir.ChooseOne) and len(s.options) == 2 and all(
            len(o) == 1 and isinstance(o[0], ir.LookTop) for o in s.options) and \
            [o[0].player for o in s.options] == ["you", "opponent"] and s.options[0][0].count == s.options[1][0].count:
        n = s.options[0][0].count
        what = "the top card" if n == 1 else f"the top {n} cards"
        return f"Choose either player. Look at {what} of that player's deck."
    if isinstance(s, ir.ChooseOne):
        if len(s.options) != 2:
            raise RenderError("Choose 1 of other than 2 options")
        a, b = (" ".join(sentences(o, c)) for o in s.options)
        return f"Choose 1: ① {a} ② {b}"
    if isinstance(s, ir.ApplyCondition) and (s.pick != "all" or s.poison_damage is not None):
        return _apply_special(s, c)
    return cap(clause(s, c)) + "."


def clauses(steps, c: Ctx) -> str:
    """Steps joined as clauses of one sentence ("A, and B")."""
    parts = [clause(s, c) for s in steps]
    if not parts:
        raise RenderError("no steps")
    return parts[0] if len(parts) == 1 else ", and ".join(parts)


def clause(s, c: Ctx) -> str:
    """A step that the grammar reads as a clause (lowercase, no period)."""
    match s:
        case ir.AttackDamage():
            return _attack_damage(s, c)
        case ir.Damage():
            return _damage(s, c)
        case ir.Heal(amount=ir.Per(each=1, count=ir.DamageDone())):
            return (f"heal from {target(s.target, c)} the same amount of damage you did to your opponent's Active "
                    "Pokémon")
        case ir.Heal(amount=None):
            return f"heal all damage from {target(s.target, c)}"
        case ir.Heal():
            return f"heal {_amount_plain(s.amount)} damage from {target(s.target, c)}"
        case ir.ApplyCondition(pick="all", poison_damage=None):
            verb = "are" if _plural(s.target) else "is"
            return f"{target(s.target, c)} {verb} now {join_and(list(s.conditions))}"
        case ir.Recover(random=False, conditions=()):
            return f"{target(s.target, c)} recovers from all Special Conditions"
        case ir.Recover(random=False):
            return f"{target(s.target, c)} recovers from being {join_and(list(s.conditions))}"
        case ir.Draw(player="you", amount=ir.Const(value=1)):
            return "draw a card"
        case ir.Draw(player="you", amount=ir.Const(value=n)):
            return f"draw {n} cards"
        case ir.Draw(player="you", amount=ir.Per(each=1, count=cnt)):
            return f"draw a card for each {count(cnt, c)}"
        case ir.Draw(player="opponent", amount=ir.Const(value=n)) if n > 1:
            return f"your opponent draws {n} cards"
        case ir.Draw(player="opponent", amount=ir.Per(each=1, count=ir.PointsToWin(player="opponent"))):
            return "your opponent draws a card for each of their remaining points needed to win"
        case ir.Devolve():
            own = {"opponent": "your opponent's", "you": "your"}.get(_owner_of(s.target) or c.devolve_owner or "")
            if own is None:
                raise RenderError("a devolve whose Pokémon's owner the wording can't tell")
            return (f"devolve {target(s.target, c)} by putting the highest Stage Evolution card on it into {own} "
                    "hand")
        case ir.KnockedOutToHand():
            return "put it into your hand instead of the discard pile"
        case ir.NoPoints():
            return "your opponent can't get any points for it"
        case ir.DrawUntil(size=None):
            return "draw cards until you have the same number of cards in your hand as your opponent"
        case ir.DrawUntil(size=int(n)):
            return f"draw cards until you have {n} cards in your hand"
        case ir.ShuffleHand(player="both"):
            return "each player shuffles their hand into their deck"
        case ir.DiscardEnergy():
            return _discard_energy(s, c)
        case ir.SwapHandDeck():
            d = _card_desc(s.filter)
            return (f"choose {'an' if d[0] in 'AEIOU' else 'a'} {d} in your hand and switch it with a random {d} in "
                    "your deck")
        case ir.PooledHandToDeck():
            return ("a card from among both player's hands is chosen at random, revealed to the other player, and "
                    "shuffled into its owner's deck")
        case ir.ShuffleHandRedraw(player="both"):
            return "each player shuffles the cards in their hand into their deck, then draws that many cards"
        case ir.ShuffleHandRedraw(player="you"):
            return "shuffle the cards in your hand into your deck, then draw that many cards"
        case ir.RevealTop(player="you") if s.count > 1:
            return f"reveal the top {s.count} cards of your deck"
        case ir.SetNextEnergy():
            who = "you" if s.player == "you" else "your opponent"
            return (f"change the type of the next Energy that will be generated for {who} to 1 of the following at "
                    f"random: {_energy_list(s.types)}")
        case ir.ChangeEnergyType():
            return (f"change the type of a random Energy attached to {target(s.target, c)} to 1 of the following at "
                    f"random: {_energy_list(s.types)}")
        case ir.DiscardEnergyAmong(among=a):
            pool = ("all Pokémon (both yours and your opponent's)" if a == ir.Among(player="both")
                    else f"all of {_owner(a.player)} {desc(a.zone, a.filters)}")
            n = "a" if s.count == 1 else str(s.count)
            return f"discard {n} random Energy from among the Energy attached to {pool}"
        case ir.DiscardTools():
            return f"discard all Pokémon Tools from {target(s.target, c)}"
        case ir.AttachEnergy():
            return _attach(s, c)
        case ir.MoveEnergyOneOf():
            return (f"move a {_energy_list(s.energy_types)} Energy from {target(s.source, c)} to "
                    f"{target(s.target, c)}")
        case ir.MoveEnergy():
            return f"move {_energy_sel(s.energy)} from {target(s.source, c)} to {target(s.target, c)}"
        case ir.DiscardCards():
            return _discard_cards(s, c)
        case ir.Fetch():
            return _fetch(s, c)
        case ir.EvolveFromHand(target=ir.That(), skip_stage1=True):
            return ("if you have a Stage 2 card in your hand that evolves from that Pokémon, put that card onto that "
                    "Pokémon to evolve it, skipping the Stage 1")
        case ir.EvolveFromDeck(target=ir.ThisPokemon() | ir.That() as t):
            d, who = _card_desc(s.filter), target(t, c)
            return f"put a random {d} from your deck that evolves from {who} onto {who} to evolve it"
        case ir.ShuffleHand(player="you"):
            return "shuffle your hand into your deck"
        case ir.ShuffleHand(player="opponent"):
            return "your opponent shuffles their hand into their deck"
        case ir.RevealHand(player="opponent"):
            return "your opponent reveals their hand"
        case ir.RevealCards(player="opponent"):
            return f"your opponent reveals all of the {_card_kind(s.filter, True)} in their {s.zone}"
        case ir.HandToDeck(player="opponent", random=True, filter=ir.CardFilter(kind="card", filters=())):
            return "your opponent reveals a random card from their hand and shuffles it into their deck"
        case ir.HandToDeck(player="you", random=False, chooser="you"):
            d = _card_desc(s.filter)
            return f"choose {'an' if d[0] in 'AEIOU' else 'a'} {d} to shuffle from your hand into your deck"
        case ir.HandToDeck(player="opponent", random=False, chooser="you"):
            return f"choose a {_card_kind(s.filter, False)} you find there and shuffle it into your opponent's deck"
        case ir.LookTop(count=1):
            return f"look at the top card of {_owner(s.player)} deck"
        case ir.LookTop():
            return f"look at the top {s.count} cards of {_owner(s.player)} deck"
        case ir.Switch():
            return _switch(s, c)
        case ir.Optional_(steps=(ir.Switch(player="you", only_if=()) as sw,), then=()) if c.kind != "trainer" \
                and not isinstance(sw.new_active, ir.ThisPokemon):
            return "you may " + _switch(sw, c)
        case ir.ReturnPokemon(to="hand"):
            return f"put {target(s.target, c)} into {'their' if _owner_of(s.target) == 'opponent' else 'your'} hand"
        case ir.ReturnPokemon(to="deck", target=ir.Active(player="opponent", filters=())):
            return "your opponent shuffles their Active Pokémon into their deck"
        case ir.ReturnPokemon(to="deck", target=ir.ThisPokemon()):
            return "shuffle this Pokémon into your deck"
        case ir.KnockOut():
            return f"{target(s.target, c)} is Knocked Out"
        case ir.SetHp(halve=True, hp=None):
            return f"halve {possessive(s.target, c)} remaining HP, rounded down"
        case ir.SetHp(halve=False, hp=int(hp)):
            return f"{possessive(s.target, c)} remaining HP is now {hp}"
        case ir.MoveDamage(amount=None, source=ir.That(), target=ir.ThisPokemon()):
            return "move all of its damage to this Pokémon"
        case ir.MoveDamage(amount=ir.Const(value=n), source=ir.That()):
            return f"move {n} of its damage to {target(s.target, c)}"
        case ir.DiscardPokemon(target=ir.ChooseAny(chooser="you", among=a)) if a.player == "you":
            return f"you may discard any number of your {desc(a.zone, a.filters)}"
        case ir.DiscardPokemon():
            return f"discard {target(s.target, c)}"
        case ir.SurviveKnockOut():
            return f"it is not Knocked Out and its remaining HP becomes {s.hp}"
        case ir.DiscardStadium():
            return "discard the Stadium in play"
        case ir.ArrangeTop(count=ir.Const(value=n)) if n > 1:
            return f"look at the top {n} cards of {_owner(s.player)} deck and put them back in any order"
    raise RenderError(f"no clause wording for {type(s).__name__}: {s}")


def _energy_list(types) -> str:
    syms = [SYMBOL[t] for t in types]
    if len(syms) < 2:
        raise RenderError("a list of fewer than 2 types")
    return ", ".join(syms[:-1]) + ", or " + syms[-1]


def _plural(t) -> bool:
    return isinstance(t, ir.Each) and t.among.player == "both" and t.among.zone == "active" and not t.among.filters


BOTH = "(both yours and your opponent's)"


def _group(a: ir.Among) -> str:
    """Both players' Pokémon as a group ("Basic Pokémon (both yours and your opponent's)")."""
    return f"{desc(a.zone, a.filters)} {BOTH}"


def _coins(f: ir.Flip) -> str:
    if f.until_tails:
        if f.count != ir.Const(value=1):
            raise RenderError("until tails with a count")
        return "a coin until you get tails"
    match f.count:
        case ir.Const(value=1):
            return "a coin"
        case ir.Const(value=n) if n > 1:
            return f"{n} coins"
        case ir.Per(each=1, count=cnt):
            return f"a coin for each {count(cnt, Ctx('attack'))}"
    raise RenderError(f"no wording for {f}")


def _if(s: ir.If, c: Ctx) -> str:
    if len(s.then) == 1 and len(s.otherwise) == 1 and isinstance(s.then[0], ir.Flip) and \
            isinstance(s.otherwise[0], ir.Flip):
        return (f"Flip {_coins(s.otherwise[0])}. If {cond(s.condition, c)}, flip {_coins(s.then[0])} instead.")
    if s.otherwise:
        raise RenderError("If with otherwise")
    if isinstance(s.condition, ir.Milled):
        d = _card_desc(s.condition.filter)
        head = f"If that card is {'an' if d[0] in 'AEIOU' else 'a'} {d}"
    else:
        head = "If you do" if isinstance(s.condition, ir.Done) else f"If {cond(s.condition, c)}"
    then = list(s.then)
    if isinstance(s.condition, ir.Matches):
        t = s.condition.target
        owner = "opponent" if isinstance(t, (ir.Defending, ir.Attacking)) else "you" if isinstance(
            t, (ir.ThisPokemon, ir.ToolHolder)) else _owner_of(t)
        c = replace(c, devolve_owner=owner)
    if then == [ir.AttackDoesNothing()]:
        return f"{head}, this attack does nothing."
    if len(then) == 1 and isinstance(then[0], ir.Lasting):
        return f"{head}, {low(_lasting(then[0], c))}"
    if len(then) == 1 and isinstance(then[0], ir.CopyAttack) and not then[0].needs_energy:
        return f"{head}, {low(_copy(then[0], c))}"
    return f"{head}, {clauses(then, c)}."


def _repeat(s: ir.Repeat, c: Ctx) -> str:
    steps = list(s.steps)
    if s.times == ir.Per(each=1, count=ir.Heads()):
        if steps == [ir.HandToDeck(player="opponent")]:
            return ("For each heads, a card is chosen at random from your opponent's hand. Your opponent reveals that "
                    "card and shuffles it into their deck.")
        return f"For each heads, {clauses(steps, c)}."
    if isinstance(s.times, ir.Const) and steps and isinstance(steps[0], ir.Select) and \
            isinstance(steps[0].target, ir.RandomPokemon) and len(steps) > 1:
        return (f"{cap(_random(steps[0].target, c))} {s.times.value} times. For each time a Pokémon was chosen, "
                f"{clauses(steps[1:], c)}.")
    raise RenderError(f"no wording for {s}")


def _random(t: ir.RandomPokemon, c: Ctx) -> str:
    if t.among == ir.Among(player="both", other=True):
        return f"{t.count} other Pokémon (either yours or your opponent's) is chosen at random"
    if t.among.player == "both" and not t.among.other and _pre(t.among.filters) is not None:
        return f"{t.count} {desc(t.among.zone, t.among.filters)} (either yours or your opponent's) is chosen at random"
    if t.among.other or t.among.player == "both":
        raise RenderError("random pick wording")
    return f"{t.count} of {_owner(t.among.player)} {desc(t.among.zone, t.among.filters)} is chosen at random"


def _lasting(s: ir.Lasting, c: Ctx) -> str:
    if isinstance(s.modifier, ir.Survive) and s.duration in DURATION and s.stacks:
        return (f"During {DURATION[s.duration]}, if {_plain(s.modifier.target, c)} would be Knocked Out by damage "
                f"from an attack, it is not Knocked Out and its remaining HP becomes {s.modifier.hp}.")
    m = s.modifier
    if isinstance(m, ir.AttackFlip):
        flip = (f"if {target(m.target, c)} tries to use an attack, your opponent flips a coin. If tails, that attack "
                "doesn't happen")
        if s.duration == "until_leaves_active" and not s.stacks:
            return (f"{cap(flip)}. This effect lasts until {target(m.target, c)} leaves the Active Spot, and it "
                    "doesn't stack.")
        if s.duration in DURATION and s.stacks:
            return f"During {DURATION[s.duration]}, {flip}."
        raise RenderError("attack flip duration")
    if not s.stacks:
        raise RenderError("a non-stacking lasting effect")
    if s.duration == "until_leaves_active":
        return f"Until this Pokémon leaves the Active Spot, {modifiers((m,), c)}."
    d = DURATION[s.duration]
    if isinstance(m, ir.OnDamaged):
        return f"During {d}, if {target(m.target, c)} is damaged by an attack, {clauses(m.steps, c)}."
    if isinstance(m, ir.OnEnergyAttached):
        return (f"During {d}, if they attach Energy from their Energy Zone to {target(m.target, c)}, "
                f"{clauses(m.steps, c)}.")
    if isinstance(m, ir.AtEnd):
        return f"At the end of {d}, {clauses(m.steps, c)}."
    return f"During {d}, {modifiers((m,), c)}."


def _copy(s: ir.CopyAttack, c: Ctx) -> str:
    a = s.among
    filters = a.filters
    except_ex = bool(filters) and filters[-1] == ir.IsEx(value=False)
    if except_ex:
        filters = filters[:-1]
    whose = f"{_owner(a.player)} {desc_poss(a.zone, filters)}"
    energy = (" If this Pokémon doesn't have the necessary Energy to use that attack, this attack does nothing."
              if s.needs_energy else "")
    if except_ex:
        if not s.needs_energy:
            raise RenderError("copy attack wording")
        return f"Choose 1 of {whose} attacks, except any Pokémon ex, and use it as this attack.{energy}"
    return f"Choose 1 of {whose} attacks and use it as this attack.{energy}"


def _apply_special(s: ir.ApplyCondition, c: Ctx) -> str:
    t = target(s.target, c)
    if s.pick == "choose" and len(s.conditions) == 2 and s.poison_damage is None and s.chooser == "you":
        a, b = s.conditions
        return f"Choose either {a} or {b}. {cap(t)} is now affected by that Special Condition."
    if s.pick == "random" and s.exclude_existing and s.poison_damage is None:
        return (f"1 Special Condition from among {join_and(list(s.conditions))} is chosen at random, and {t} is now "
                "affected by that Special Condition. Any Special Conditions already affecting that Pokémon will not "
                "be chosen.")
    if s.pick == "all" and "Poisoned" in s.conditions and s.poison_damage is not None and c.kind != "trainer":
        return (f"{cap(t)} is now {join_and(list(s.conditions))}. Do {s.poison_damage} damage to this Pokémon "
                "instead of the usual amount for this Special Condition.")
    raise RenderError(f"no wording for {s}")


def _attack_damage(s: ir.AttackDamage, c: Ctx) -> str:
    a = s.amount
    if isinstance(a, ir.Per) and isinstance(a.count, ir.DamageOn) and a.each == 1:
        on = target(a.count.target, c)
        if s.mode == "more":
            return f"this attack does more damage equal to the damage {on} has on it"
        if s.mode == "set":
            return f"this attack does damage to your opponent's Active Pokémon equal to the damage {on} has on it"
        return f"this attack's damage is reduced by the amount of damage {on} has on it"
    if s.mode == "less":
        raise RenderError("less damage wording")
    more = " more" if s.mode == "more" else ""
    return f"this attack does {_amount_plain(a)}{more} damage{_per(a, c)}"


def _damage(s: ir.Damage, c: Ctx) -> str:
    a = s.amount
    if s.by_attack:
        if c.kind != "attack":
            raise RenderError("attack damage outside an attack")
        if isinstance(s.target, ir.ThisPokemon) and isinstance(a, ir.Const):
            return f"this Pokémon also does {a.value} damage to itself"
        also = " also" if c.also and s.target != ir.Active(player="opponent") else ""
        return f"this attack{also} does {_amount_plain(a)} damage to {target(s.target, c)}{_per(a, c)}"
    if not isinstance(a, ir.Const):
        raise RenderError("effect damage with a count")
    return f"do {a.value} damage to {target(s.target, c)}"


def _amount_plain(a) -> str:
    if isinstance(a, ir.Const):
        return str(a.value)
    if isinstance(a, ir.Per):
        return str(a.each)
    raise RenderError(f"amount {a}")


def _per(a, c: Ctx) -> str:
    return f" for each {count(a.count, c)}" if isinstance(a, ir.Per) else ""


def _energy_sel(e: ir.EnergySel) -> str:
    sym = f" {SYMBOL[e.energy_type]}" if e.energy_type else ""
    if e.count is None:
        return f"all{sym} Energy"
    if e.count == 1:
        return f"a{sym} Energy" if sym else "an Energy"
    return f"{e.count}{sym} Energy"


def _several(energy) -> str:
    """Several Energy from the Energy Zone: "a [R] Energy and a [W] Energy", "a [R], [W], and [L] Energy"."""
    if len(energy) == 2 and all(e.count is not None and e.energy_type is not None for e in energy):
        return " and ".join(_energy_sel(e) for e in energy)
    return _three(energy)


def _three(energy) -> str:
    if len(energy) != 3 or any(e.count != 1 or e.energy_type is None for e in energy):
        raise RenderError("energy list wording")
    a, b, cc = (SYMBOL[e.energy_type] for e in energy)
    return f"a {a}, {b}, and {cc} Energy"


def _discard_energy(s: ir.DiscardEnergy, c: Ctx) -> str:
    t = target(s.target, c)
    if s.random:
        (e,) = s.energy
        if e.energy_type is not None or e.count is None:
            raise RenderError("random typed discard")
        return f"discard a random Energy from {t}" if e.count == 1 else f"discard {e.count} random Energy from {t}"
    if len(s.energy) == 1:
        return f"discard {_energy_sel(s.energy[0])} from {t}"
    return f"discard {_three(s.energy)} from {t}"


def _attach(s: ir.AttachEnergy, c: Ctx) -> str:
    if s.source == "discard":
        if s.distribute:
            raise RenderError("distributing from the discard pile")
        (e,) = s.energy
        if s.random:
            if e.energy_type is not None or e.count is None:
                raise RenderError("random attach wording")
            return f"attach {e.count} random Energy from your discard pile to {target(s.target, c)}"
        return f"attach {_energy_sel(e)} from your discard pile to {target(s.target, c)}"
    if s.random:
        raise RenderError("random Energy Zone attach")
    if s.distribute:
        if not isinstance(s.target, ir.Each):
            raise RenderError("distribute to a non-set")
        a = s.target.among
        return (f"take {_several(s.energy)} from your Energy Zone and attach them to {_owner(a.player)} "
                f"{desc(a.zone, a.filters)} in any way you like")
    if len(s.energy) > 1:
        return f"take {_several(s.energy)} from your Energy Zone and attach them to {target(s.target, c)}"
    (e,) = s.energy
    if e.count is None or e.energy_type is None:
        raise RenderError("Energy Zone attach needs count and type")
    return f"take {_energy_sel(e)} from your Energy Zone and attach it to {target(s.target, c)}"


def _card_kind(f: ir.CardFilter, plural: bool) -> str:
    if f.filters:
        raise RenderError("card kind with filters")
    base = {"card": "card", "item": "Item card", "supporter": "Supporter card", "trainer": "Trainer card",
            "tool": "Pokémon Tool card", "stadium": "Stadium card"}[f.kind]
    if plural and f.kind == "trainer":
        raise RenderError("plural Trainer cards")
    return base + "s" if plural else base


def _card_desc(f: ir.CardFilter, plural: bool = False) -> str:
    """A card description after "random" / "a" in a fetch (`plural`: after a number above 1)."""
    if f.kind in ("card", "item", "supporter", "trainer", "tool", "stadium") and not f.filters:
        return _card_kind(f, plural)
    if f.kind == "card" and len(f.filters) == 1 and isinstance(f.filters[0], ir.NameIs):
        return _names(f.filters[0].names, "or")
    if f.kind == "pokemon":
        fs = list(f.filters)
        if len(fs) == 1 and isinstance(fs[0], ir.EvolvesFrom) and fs[0].name:
            return f"card that evolves from {fs[0].name}"
        hp = ""
        if fs and isinstance(fs[-1], ir.HpAtMost) and not fs[-1].remaining:
            hp = f" with {fs.pop().hp} HP or less"
        ex = ""
        if fs and fs[-1] == ir.IsEx():
            ex = " ex"
            fs.pop()
        elif ir.IsEx(mega=True) in fs:
            ex = " ex"
        pre = _pre(tuple(fs))
        if pre is None or (hp and ex):
            raise RenderError(f"card description {f}")
        return f"{pre}Pokémon{ex}{hp}"
    raise RenderError(f"card description {f}")


def _discard_cards(s: ir.DiscardCards, c: Ctx) -> str:
    if s.zone == "deck":
        if s.random or s.up_to or s.filter != ir.CardFilter() or s.chooser != "you":
            raise RenderError("deck discard wording")
        own = _owner(s.player)
        return f"discard the top card of {own} deck" if s.count == 1 else \
            f"discard the top {s.count} cards of {own} deck"
    if s.player == "you" and not s.random and s.chooser == "you":
        if s.up_to:
            return f"discard up to {s.count} {_card_kind(s.filter, True)} from your hand"
        if s.count == 1:
            return f"discard a {_card_kind(s.filter, False)} from your hand"
        return f"discard {s.count} {_card_kind(s.filter, True)} from your hand"
    if s.player == "opponent" and s.count > 1 and s.random and not s.up_to and s.chooser == "you":
        return f"discard {s.count} random {_card_kind(s.filter, True)} from your opponent's hand"
    if s.player == "opponent" and s.count == 1 and not s.up_to:
        if s.random:
            return f"discard a random {_card_kind(s.filter, False)} from your opponent's hand"
        if s.chooser == "you":
            return f"choose a {_card_kind(s.filter, False)} you find there and discard it"
    raise RenderError(f"no wording for {s}")


def _fetch(s: ir.Fetch, c: Ctx) -> str:
    where = {"deck": "deck", "discard": "discard pile"}[s.source]
    to = "into your hand" if s.to == "hand" else "onto your Bench"
    if s.player == "opponent":
        if not (s.source == "discard" and s.to == "bench" and not s.random and s.count == 1):
            raise RenderError("fetch from the opponent")
        return f"put a {_card_desc(s.filter)} from your opponent's {where} onto their Bench"
    if not s.random:
        if s.count != 1:
            raise RenderError("chosen fetch of several cards")
        return f"put a {_card_desc(s.filter)} from your {where} {to}"
    f = s.filter
    if s.count > 1 and f.kind == "card" and len(f.filters) == 1 and isinstance(f.filters[0], ir.NameIs) and \
            len(f.filters[0].names) > 1:
        return f"put {s.count} random cards from among {_names(f.filters[0].names, 'and')} from your {where} {to}"
    if s.count == 1:
        return f"put a random {_card_desc(f)} from your {where} {to}"
    return f"put {s.count} random {_card_desc(f, plural=True)} from your {where} {to}"


def _switch(s: ir.Switch, c: Ctx) -> str:
    new = s.new_active
    if s.player == "you":
        if isinstance(new, ir.ThisPokemon) and not s.only_if:
            return "switch it with your Active Pokémon"
        if not (isinstance(new, ir.Choose) and new.chooser == "you" and new.among.player == "you"
                and new.among.zone == "bench"):
            raise RenderError("switch wording")
        if not s.only_if and c.kind != "trainer":
            return f"switch this Pokémon with {target(new, c)}"
        return f"switch your Active {desc(None, s.only_if)} with {target(new, c)}"
    if isinstance(new, ir.Choose) and new.among.player == "opponent" and new.among.zone == "bench":
        if new.chooser == "opponent" and new.count == 1 and not new.among.filters and not new.up_to:
            pre = _pre(s.only_if)
            if pre is None:
                raise RenderError("switch out filter")
            return f"switch out your opponent's Active {pre}Pokémon to the Bench"
        if new.chooser == "you" and not s.only_if:
            return f"switch in {target(new, c)} to the Active Spot"
    raise RenderError(f"no wording for {s}")


# --------------------------------------------------------------------------------------------------- modifiers
def modifiers(mods, c: Ctx) -> str:
    mods = list(mods)
    first = mods[0]
    if len(mods) == 2 and isinstance(first, ir.AttackCost) and isinstance(mods[1], ir.RetreatCost) and \
            first.delta > 0 and mods[1].delta > 0 and not mods[1].none and first.target == mods[1].target:
        return (f"attacks used by {target(first.target, c)} cost {first.delta} {SYMBOL[first.energy_type]} more, "
                f"and its Retreat Cost is {mods[1].delta} [C] more")
    text = modifier(first, c)
    for m in mods[1:]:
        if m == ir.NoWeakness(target=first.target) and isinstance(first, ir.DamageTaken):
            text += " and has no Weakness"
        elif m == ir.ConditionImmunity(target=first.target) and isinstance(first, ir.DamageTaken):
            text += " and can't be affected by any Special Conditions"
        else:
            raise RenderError("several modifiers")
    return text


def _from(filters, player) -> str:
    if player == "opponent":
        return f" from your opponent's {desc(None, filters)}"
    if player is None and filters:
        return f" from {desc(None, filters)}"
    if player is None:
        return ""
    raise RenderError("attacker filter wording")


def modifier(m, c: Ctx) -> str:
    if isinstance(m, ir.ConditionDamage):
        verb = "take" if _plural(m.target) else "takes"
        return f"{target(m.target, c)} {verb} {m.delta:+d} damage from being {m.condition}"
    t = target(m.target, c) if hasattr(m, "target") else ""
    has = "have" if _plural(getattr(m, "target", None)) else "has"
    match m:
        case ir.DamageTaken():
            if isinstance(m.target, ir.Each) and m.target.among.player in ("you", "opponent"):
                a = m.target.among
                return (f"all of {_owner(a.player)} {desc(a.zone, a.filters)} take {m.delta:+d} damage from attacks"
                        f"{_from(m.attacker, m.attacker_player)}")
            verb = "take" if _plural(m.target) else "takes"
            return f"{t} {verb} {m.delta:+d} damage from attacks{_from(m.attacker, m.attacker_player)}"
        case ir.DamageDealt(attack_name=str(name)):
            to = f" to {target(m.defender, c)}" if m.defender is not None else ""
            return f"{possessive(m.attacker, c)} {name} attack does {m.delta:+d} damage{to}"
        case ir.DamageDealt():
            to = f" to {target(m.defender, c)}" if m.defender is not None else ""
            return f"attacks used by {_plain(m.attacker, c)} do {m.delta:+d} damage{to}"
        case ir.DamageDealtBy(amount=ir.Per(each=n, count=cnt)) if m.defender is not None and n > 0:
            return (f"attacks used by {_plain(m.attacker, c)} do +{n} damage to {target(m.defender, c)} for each "
                    f"{count(cnt, c)}")
        case ir.CountAtLeast():
            raise RenderError("condition in a modifier")
        case ir.PreventDamage(effects=True, attacker=(), attacker_player=None, at_most=None):
            return f"prevent all damage from and effects of attacks done to {t}"
        case ir.PreventDamage(effects=False, at_most=int(n), attacker=(), attacker_player=None):
            return f"prevent all damage done to {t} by attacks if that damage is {n} or less"
        case ir.PreventDamage(effects=False, at_most=None):
            return f"prevent all damage done to {t} by attacks{_from(m.attacker, m.attacker_player)}"
        case ir.PreventEffects(attacker_player="opponent"):
            return f"prevent all effects of attacks used by your opponent's Pokémon done to {t}"
        case ir.CantAttack(attack_name=None):
            return f"{t} can't attack"
        case ir.CantAttack():
            return f"{t} can't use {m.attack_name}"
        case ir.CantRetreat():
            return f"{t} can't retreat"
        case ir.AttackCost(delta=d) if d > 0 and m.energy_type:
            return f"attacks used by {_plain(m.target, c)} cost {d} {SYMBOL[m.energy_type]} more"
        case ir.AttackCost(delta=d) if d < 0 and m.energy_type:
            return f"attacks used by {_plain(m.target, c)} cost {-d} less {SYMBOL[m.energy_type]} Energy"
        case ir.RetreatCost(none=True):
            if isinstance(m.target, ir.Active) and m.target.player == "you":
                return f"your Active {desc(None, m.target.filters)} has no Retreat Cost"
            return f"{t} {has} no Retreat Cost"
        case ir.RetreatCost(none=False, delta=d) if d != 0:
            word = "more" if d > 0 else "less"
            return f"the Retreat Cost of {t} is {abs(d)} {word}"
        case ir.NoWeakness():
            return f"{t} {has} no Weakness"
        case ir.HpBonus(amount=ir.Const(value=v)):
            if isinstance(m.target, ir.Each) and m.target.among.player != "both":
                a = m.target.among
                return f"each of {_owner(a.player)} {desc(a.zone, a.filters)} gets {v:+d} HP"
            return f"{t} {'get' if _plural(m.target) else 'gets'} {v:+d} HP"
        case ir.HpBonus(amount=ir.Per(each=v, count=cnt)):
            return f"{t} gets {v:+d} HP for each {count(cnt, c)}"
        case ir.CantPlay(player="opponent", card="item"):
            return "they can't play any Item cards from their hand"
        case ir.CantPlay(player="opponent", card="supporter"):
            return "your opponent can't use any Supporter cards from their hand"
        case ir.CantPlay(player="opponent", card="stadium"):
            return "your opponent can't play any Stadium cards from their hand"
        case ir.ConditionImmunity(conditions=()):
            return f"{t} can't be affected by any Special Conditions"
        case ir.ConditionImmunity(conditions=(one,)):
            return f"{t} can't be {one}"
        case ir.CantBeHealed(among=a) if not a.other and a.player == "both":
            return f"{_group(a)} can't be healed"
        case ir.CantBeHealed(among=a) if not a.other:
            return f"{target(ir.Each(among=a), c)} can't be healed"
        case ir.EvolveEarly():
            return f"{t} can evolve during your first turn or the turn you play it"
        case ir.EvolvesAs(target=ir.ThisPokemon()):
            return (f"this Pokémon can evolve into any Pokémon that evolves from {m.name} if you play it from your hand "
                    "onto this Pokémon")
        case ir.CantEvolve(player="opponent", target=ir.Active(player="opponent", filters=())):
            return "your opponent can't play any Pokémon from their hand to evolve their Active Pokémon"
        case ir.CantAttachEnergy(player="opponent", target=ir.Active(player="opponent", filters=())):
            return "they can't take any Energy from their Energy Zone to attach to their Active Pokémon"
    raise RenderError(f"no wording for modifier {m}")


# --------------------------------------------------------------------------------------------------- conditions
def cond(x, c: Ctx) -> str:
    match x:
        case ir.CoinOutcome(outcome="heads"):
            return "heads"
        case ir.CoinOutcome(outcome="tails"):
            return "tails"
        case ir.CoinOutcome(outcome="all_heads"):
            return "both of them are heads"
        case ir.CoinOutcome(outcome="all_tails"):
            return "both of them are tails"
        case ir.CoinOutcome(outcome="at_least", count=n):
            return f"at least {n} of them {'is' if n == 1 else 'are'} heads"
        case ir.Matches():
            return _matches(x, c)
        case ir.Exists():
            return _exists(x)
        case ir.All(conditions=conds) if conds and all(isinstance(e, ir.Exists) for e in conds):
            zones = {e.among.zone for e in conds}
            names = [e.among.filters[0].names[0] for e in conds if len(e.among.filters) == 1 and
                     isinstance(e.among.filters[0], ir.NameIs) and len(e.among.filters[0].names) == 1]
            if len(names) == len(conds) > 1 and len(zones) == 1 and all(e.among.player == "you" for e in conds):
                where = "on your Bench" if zones == {"bench"} else "in play"
                return f"you have {_names(tuple(names), 'and')} {where}"
        case ir.CardIn(player="you", zone="discard", at_least=1, filter=ir.CardFilter(kind="card", filters=(
                ir.NameIs(names=(name,)),))):
            return f"{name} is in your discard pile"
        case ir.Not(condition=ir.CardIn(player="you", zone="hand", filter=ir.CardFilter(kind="card", filters=()),
                                        at_least=n)):
            return f"you have fewer than {n} {'card' if n == 1 else 'cards'} in your hand"
        case ir.CardIn(zone="hand", filter=ir.CardFilter(kind="card", filters=()), at_least=n) if n > 1:
            if x.player == "you":
                return f"you have {n} or more cards in your hand"
            return f"your opponent has {n} or more cards in their hand"
        case ir.CountAtLeast(count=ir.PokemonCount(among=a), value=n) if a.player in ("you", "opponent") \
                and not a.other:
            d = desc(a.zone, a.filters)
            if a.zone == "in_play":
                if any(isinstance(f, ir.HasAbility) for f in a.filters):
                    raise RenderError("count wording")
                d += " in play"
            who = "you have" if a.player == "you" else "your opponent has"
            return f"{who} {n} or more {d}"
        case ir.HandSize(player="you", sizes=sizes) if len(sizes) >= 2:
            return f"you have exactly {join_and([str(n) for n in sizes], 'or')} cards in your hand"
        case ir.Points(player="opponent", at_most=None, at_least=n) if n >= 1:
            return f"your opponent has gotten at least {n} point{'s' if n > 1 else ''}"
        case ir.Points(player="you", at_most=None, at_least=n) if n >= 1:
            return f"you have gotten at least {n} point{'s' if n > 1 else ''}"
        case ir.All(conditions=(ir.History(event="evolved_this_turn"), ir.Matches(
                target=ir.ThisPokemon(), filters=(ir.EvolvesFrom(name=str(name), this=False),)))):
            return f"this Pokémon evolved from {name} during this turn"
        case ir.CountAtLeast(count=ir.EnergyCount(target=t, energy_type=e), value=n) if _owner_of(t) == "you":
            sym = f"{SYMBOL[e]} " if e else ""
            where = (f"all of your {desc(t.among.zone, t.among.filters)}" if isinstance(t, ir.Each)
                     else target(t, c))
            return f"you have {n} or more {sym}Energy attached to {where}"
        case ir.Points(player="opponent", at_least=0, at_most=0):
            return "your opponent hasn't gotten any points"
        case ir.History(event="used_attack_last_turn", name=str(name)):
            return f"1 of your Pokémon used {name} during your last turn"
        case ir.History(event=e, name=None) if e in HISTORY:
            return HISTORY[e]
        case ir.Compare():
            return _compare(x, c)
        case ir.CountIn(count=ir.EnergyCount(target=t, energy_type=e), values=(n,)):
            sym = f"{SYMBOL[e]} " if e else ""
            return f"{target(t, c)} has exactly {n} {sym}Energy attached"
        case ir.CountIn(count=ir.PokemonCount(among=a), values=(n,)) if a.player in ("you", "opponent") \
                and not a.other:
            d = desc(a.zone, a.filters) + (" in play" if a.zone == "in_play" else "")
            who = "you have" if a.player == "you" else "your opponent has"
            return f"{who} exactly {n} {d}"
        case ir.StadiumInPlay(player="both", names=()):
            return "a Stadium is in play"
        case ir.StadiumInPlay(player="you", names=()):
            return "you have a Stadium in play"
        case ir.StadiumInPlay(player="opponent", names=()):
            return "your opponent has a Stadium in play"
        case ir.StadiumInPlay(player="both", names=names):
            return f"{_names(names, 'or')} is in play"
        case ir.Not(condition=ir.StadiumInPlay(player="both", names=())):
            return "there is no Stadium in play"
    raise RenderError(f"no wording for condition {x}")


_REL = {"more": "more", "fewer": "less"}


def _compare(x: ir.Compare, c: Ctx) -> str:
    match x.left, x.right:
        case ir.RemainingHp(target=a), ir.RemainingHp(target=b):
            if x.relation == "same":
                return f"{target(a, c)} has the same amount of remaining HP as {target(b, c)}"
            return f"{target(a, c)} has {_REL[x.relation]} remaining HP than {target(b, c)}"
        case ir.EnergyCount(target=a, energy_type=t), ir.EnergyCount(target=b, energy_type=u) \
                if t == u and x.relation != "same":
            sym = f"{SYMBOL[t]} " if t else ""
            rel = "fewer" if x.relation == "fewer" else "more"
            return f"{target(a, c)} has {rel} {sym}Energy attached than {target(b, c)}"
        case ir.CardCount(player="you", zone="hand", filter=ir.CardFilter(kind="card", filters=())), \
                ir.CardCount(player="opponent", zone="hand", filter=ir.CardFilter(kind="card", filters=())):
            if x.relation == "same":
                return "you have the same number of cards in your hand as your opponent"
            return f"you have {'fewer' if x.relation == 'fewer' else 'more'} cards in your hand than your opponent"
        case ir.PointsOf(player=a), ir.PointsOf(player=b) if a != b:
            if x.relation == "same" and a == "you":
                return "you have the same number of points as your opponent"
            rel = "fewer" if x.relation == "fewer" else "more"
            if x.relation != "same":
                return (f"you have {rel} points than your opponent" if a == "you"
                        else f"your opponent has {rel} points than you")
    raise RenderError(f"no wording for condition {x}")


def _exists(x: ir.Exists) -> str:
    a = x.among
    if a.player != "you" or a.other:
        raise RenderError("exists wording")
    if a.zone == "bench" and a.filters == (ir.Damaged(),):
        return "any of your Benched Pokémon have damage on them"
    match a.filters:
        case (ir.NameIs(names=names), ir.AbilityNamed(names=(other,), value=False)) if a.zone == "in_play":
            return f"you have any {_names(names, 'or')} in play with an Ability other than {other}"
    if len(a.filters) == 1 and isinstance(a.filters[0], ir.NameIs):
        names = a.filters[0].names
        if a.zone == "bench":
            return f"{names[0]} is on your Bench" if len(names) == 1 else f"you have {_names(names, 'or')} on your Bench"
        if a.zone == "in_play":
            return f"you have {_names(names, 'or')} in play"
    raise RenderError(f"no wording for {x}")


def _matches(x: ir.Matches, c: Ctx) -> str:
    t = target(x.target, c)
    fs = x.filters
    if len(fs) == 1:
        f = fs[0]
        match f:
            case ir.NameIs():
                return f"{t} is {_names(f.names, 'or')}"
            case ir.HasCondition(conditions=()):
                return f"{t} is affected by a Special Condition"
            case ir.HasCondition(conditions=(one,)):
                return f"{t} is {one}"
            case ir.Damaged(value=True):
                return f"{t} has damage on it"
            case ir.Damaged(value=False):
                return f"{t} has no damage on it"
            case ir.HasTool(value=True):
                return f"{t} has a Pokémon Tool attached"
            case ir.HasToolNamed():
                return f"{t} has {_names(f.names, 'or')} attached"
            case ir.HasAbility():
                return f"{t} has an Ability"
            case ir.HasEnergy(at_least=1, extra=False):
                sym = f" {SYMBOL[f.energy_type]}" if f.energy_type else ""
                return f"{t} has any{sym} Energy attached"
            case ir.HasEnergy(extra=False):
                sym = f" {SYMBOL[f.energy_type]}" if f.energy_type else ""
                return f"{t} has {f.at_least} or more{sym} Energy attached"
            case ir.HasEnergy(extra=True) if f.energy_type:
                return f"{t} has at least {f.at_least} extra {SYMBOL[f.energy_type]} Energy attached"
            case ir.EnergyTypesAtLeast():
                return f"{t} has {f.count} or more different types of Energy attached"
            case ir.HpAtMost(remaining=True):
                return f"{possessive(x.target, c)} remaining HP is {f.hp} or less"
            case ir.HpAtMostHalf():
                return f"{t} has half of its maximum HP or less remaining"
            case ir.InZone(zone="active"):
                return f"{t} is in the Active Spot"
            case ir.InZone(zone="bench"):
                return f"{t} is on your Bench"
            case ir.RetreatAtLeast():
                return f"{t} has a Retreat Cost of {f.count} or more"
            case ir.SinceInPlay(event="attacked", value=False):
                return f"this is the first time {t} has attacked since it came into play"
            case ir.SinceInPlay(event="attacked", value=True):
                return f"{t} has attacked since it came into play"
            case ir.SinceInPlay(event="damaged"):
                verb = "has" if f.value else "hasn't"
                return f"{t} {verb} been damaged by {_OPP_ATTACK} since it came into play"
    d = _desc_only(fs) and desc(None, fs)
    if d:
        article = "an" if d[0].lower() in "aeiou" else "a"
        return f"{t} is {article} {d}"
    raise RenderError(f"no wording for {x}")


# --------------------------------------------------------------------------------------------------- targets
def _owner(player: str) -> str:
    return {"you": "your", "opponent": "your opponent's"}[player]


def _owner_of(t) -> str | None:
    if isinstance(t, ir.Active):
        return t.player
    if isinstance(t, (ir.Each, ir.Choose, ir.RandomPokemon)):
        return t.among.player
    return None


def target(t, c: Ctx) -> str:
    match t:
        case ir.ThisPokemon():
            if c.kind == "trainer":
                raise RenderError("this Pokémon in a Trainer")
            return "this Pokémon"
        case ir.ToolHolder():
            if c.kind != "trainer":
                raise RenderError("tool holder outside a Trainer")
            if c.holder == (ir.HasTag(tag="Ultra Beast"),):
                return "the Ultra Beast this card is attached to"
            pre = _pre(c.holder)
            if pre is None:
                raise RenderError(f"no wording for a Tool holder {c.holder}")
            return f"the {pre}Pokémon this card is attached to"
        case ir.Defending():
            return "the Defending Pokémon"
        case ir.Attacking():
            return "the Attacking Pokémon"
        case ir.That():
            return "that Pokémon"
        case ir.Active():
            return f"{_owner(t.player)} {desc('active', t.filters)}"
        case ir.Each(among=a):
            if a.other:
                raise RenderError("each other")
            if a.player == "both":
                if a.zone == "active" and not a.filters:
                    return "both Active Pokémon"
                return f"each {_group(a)}"
            return f"each of {_owner(a.player)} {desc(a.zone, a.filters)}"
        case ir.Choose(chooser="you", up_to=False, among=a) if not a.other and a.player != "both":
            return f"{t.count} of {_owner(a.player)} {desc(a.zone, a.filters)}"
    raise RenderError(f"no wording for target {t}")


def _plain(t, c: Ctx) -> str:
    """A target as the printed text names a group ("your [W] Pokémon", not "each of your [W] Pokémon")."""
    a = t.among if isinstance(t, ir.Each) else None
    if a is not None and a.player in ("you", "opponent") and not a.other:
        return f"{_owner(a.player)} {desc(a.zone, a.filters)}"
    if a is not None and a.player == "both" and not a.other and not _plural(t):
        return _group(a)
    return target(t, c)


def possessive(t, c: Ctx) -> str:
    if isinstance(t, ir.ThisPokemon) and c.kind != "trainer":
        return "this Pokémon's"
    if isinstance(t, ir.Active):
        return f"{_owner(t.player)} {desc_poss('active', t.filters)}"
    raise RenderError(f"no possessive wording for {t}")


_PRE_STAGE = {"basic": "Basic ", "stage1": "Stage 1 ", "stage2": "Stage 2 ", "evolution": "Evolution "}


def _pre(filters) -> str | None:
    """Filters written before "Pokémon" ("[G] ", "Basic ", "Mega Evolution "), or None if one can't be."""
    out = []
    for f in filters:
        match f:
            case ir.TypeIs(types=(one,)):
                out.append(SYMBOL[one] + " ")
            case ir.TypeIs(types=(a, b)):
                out.append(f"{SYMBOL[a]} or {SYMBOL[b]} ")
            case ir.StageIs():
                out.append(_PRE_STAGE[f.stage])
            case ir.IsEx(value=True, mega=True):
                out.append("Mega Evolution ")
            case ir.HasCondition(conditions=(one,)):
                out.append(f"{one} ")
            case _:
                return None
    return "".join(out)


def _names(names, conj: str) -> str:
    return join_and(list(names), conj)


def _desc_only(filters) -> bool:
    """Every filter can be written in a description ("Basic [G] Pokémon ex")."""
    try:
        desc(None, filters)
        return True
    except RenderError:
        return False


def desc(zone: str | None, filters) -> str:
    """A Pokémon description: zone word, filters before the head, head (Pokémon / Pokémon ex / names), then
    trailing filters ("that has damage on it")."""
    fs = list(filters)
    i = 0
    pre = []
    while i < len(fs) and _pre((fs[i],)) is not None:
        pre.append(fs[i])
        i += 1
    head = "Pokémon"
    if i < len(fs) and fs[i] == ir.IsEx():
        head = "Pokémon ex"
        i += 1
    elif i < len(fs) and isinstance(fs[i], ir.NameIs):
        head = _names(fs[i].names, "or")
        i += 1
    elif i < len(fs) and fs[i] == ir.HasTag(tag="Ultra Beast") and not pre:
        head = "Ultra Beast" if zone in ("active", None) else "Ultra Beasts"  # "1 of your Ultra Beasts"
        i += 1
    post = []
    for f in fs[i:]:
        match f:
            case ir.Damaged(value=True):
                post.append("that has damage on it")
            case ir.HasEnergy(at_least=1, extra=False):
                sym = f" {SYMBOL[f.energy_type]}" if f.energy_type else ""
                post.append(f"that has any{sym} Energy attached")
            case ir.EvolvesFrom(name=str(name), this=False):
                post.append(f"that evolves from {name}")
            case ir.HasAbility():
                post.append("in play that has an Ability")
            case ir.PutIntoPlayThisTurn(value=True):
                post.append("that was put into play this turn")
            case _:
                raise RenderError(f"no description wording for filter {f}")
    if len(post) > 1:
        raise RenderError("several trailing filters")
    z = {"active": "Active ", "bench": "Benched ", "in_play": "", None: ""}[zone]
    if head != "Pokémon" and head != "Pokémon ex" and pre and z == "":
        pass
    return f"{z}{_pre(pre)}{head}" + (f" {post[0]}" if post else "")


def desc_poss(zone: str | None, filters) -> str:
    if any(_pre((f,)) is None for f in filters):
        raise RenderError("possessive description with non-prefix filters")
    z = {"active": "Active ", "bench": "Benched ", "in_play": "", None: ""}[zone]
    return f"{z}{_pre(filters)}Pokémon's"


def count(x, c: Ctx) -> str:
    match x:
        case ir.Heads():
            return "heads"
        case ir.EnergyCount():
            sym = f"{SYMBOL[x.energy_type]} " if x.energy_type else ""
            t = x.target
            if isinstance(t, ir.Each) and t.among.player in ("you", "opponent"):
                where = f"all of {_owner(t.among.player)} {desc(t.among.zone, t.among.filters)}"
            else:
                where = target(t, c)
            return f"{sym}Energy attached to {where}"
        case ir.PokemonCount(among=a):
            if a.other:
                raise RenderError("count of other")
            if a.player == "both" and _pre(a.filters) is not None:
                return _group(a)
            if a.zone == "in_play" and a.player == "you" and _pre(a.filters) is not None:
                return f"{_pre(a.filters)}Pokémon you have in play"
            if a.player == "both":
                raise RenderError("count of both players' Pokémon")
            if a.filters and a.filters[-1] == ir.HasAbility():
                return f"of {_owner(a.player)} {desc(a.zone, a.filters)}"
            return f"of {_owner(a.player)} {desc(a.zone, a.filters)}"
        case ir.RetreatCostOf():
            return f"Energy in {possessive(x.target, c)} Retreat Cost"
        case ir.CardCount():
            zone = {"deck": "deck", "hand": "hand", "discard": "discard pile"}[x.zone]
            return f"{_card_desc(x.filter)} in {_owner(x.player)} {zone}"
        case ir.DiscardedEnergyCount():
            sym = f"{SYMBOL[x.energy_type]} " if x.energy_type else ""
            return f"{sym}Energy in {_owner(x.player)} discard pile"
        case ir.ToolCount():
            return f"Pokémon Tool attached to {target(x.target, c)}"
        case ir.EnergyTypeCount():
            return f"different type of Energy attached to {target(x.target, c)}"
        case ir.KnockOutCount():
            return f"of {_owner(x.player)} Pokémon that was Knocked Out during this game"
        case ir.AttackUses():
            return f"time your Pokémon used {x.name} during this game"
        case ir.DoneCount():
            return "card you discarded in this way"
        case ir.PointsOf(player="you"):
            return "point you have gotten"
        case ir.PointsOf(player="opponent"):
            return "point your opponent has gotten"
        case ir.TopDeckCount(player="you", filter=ir.CardFilter(kind="pokemon", filters=fs)):
            fs = list(fs)
            ret = f" with a Retreat Cost of {fs.pop().count} or more" if fs and isinstance(fs[-1], ir.RetreatAtLeast) \
                else ""
            sym = f"{SYMBOL[fs.pop().types[0]]} " if fs and isinstance(fs[-1], ir.TypeIs) and \
                len(fs[-1].types) == 1 else ""
            if fs:
                raise RenderError(f"no wording for count {x}")
            return f"{sym}Pokémon{ret} you find there"
    raise RenderError(f"no wording for count {x}")
