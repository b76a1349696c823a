"""The pool's IR: the one function both engines take every card's effects from.

The reference engine (`reference.cards.CardDB`) and the lowering (`compiler.lower`) both call `card_irs`, so the two
engines can never read different IR. Fills (agent or human, `fills.yaml`, compiler/fill/) join here: a fill replaces
the Unresolved node of its (kind, text), when it fits the card (an attack's printed damage, a Trainer's kind);
one that does not fit leaves an Unresolved node that says why. `load_spec` attaches the spec's fills to its cards
(`attach_fills`), so every consumer of a loaded spec's cards gets them without passing them along.

Two checks tie an effect's IR to the pool it is played in (docs/ir.md "Names and the pool"):

* `unknown_names`: every card, attack and Ability name an effect's IR names must be a card, attack or Ability of
  the pool; the spec loader reports one that is not as a located error (file, line, field of the text).
* `pool_meaning`: a step whose meaning can't hold for the cards it names is Unresolved, never silently weaker:
  putting named cards from the deck or discard pile onto the Bench (`Fetch(to=bench)`) when one of those names is
  not a Basic Pokémon in the pool (only Basic Pokémon can be put onto the Bench); a Pokémon in play named by a
  card that is not a Pokémon ("If you have Mesa Plaza in play", Mesa Plaza a Stadium); a Stadium in play named by
  a card that is not a Stadium ("If Pikachu is in play").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import ir
from .spec import PokemonCard, TrainerCard


@dataclass
class PoolNames:
    """The names a pool's cards print: card names (Basic Pokémon among them), attack names, Ability names."""

    cards: set[str] = field(default_factory=set)
    basics: set[str] = field(default_factory=set)
    pokemon: set[str] = field(default_factory=set)
    """Names of cards that can be Pokémon in play: Pokémon cards and fossils."""
    stadiums: set[str] = field(default_factory=set)
    attacks: set[str] = field(default_factory=set)
    abilities: set[str] = field(default_factory=set)
    tags: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, cards) -> "PoolNames":
        out = cls()
        for c in cards:
            out.cards.add(c.name)
            if isinstance(c, PokemonCard):
                out.pokemon.add(c.name)
                if c.stage == "basic":
                    out.basics.add(c.name)
                out.attacks.update(a.name for a in c.attacks)
                if c.ability is not None:
                    out.abilities.add(c.ability.name)
                out.tags.update(c.tags)
            elif c.is_fossil:
                out.basics.add(c.name)  # played as a Basic Pokémon
                out.pokemon.add(c.name)
            elif c.trainer_kind == "stadium":
                out.stadiums.add(c.name)
        return out


def named(node) -> list[tuple[str, str]]:
    """Every (what, name) an IR tree names: what is "card", "attack" or "Ability"."""
    out = []
    for n in ir.iter_nodes(node):
        if isinstance(n, (ir.NameIs, ir.HasToolNamed, ir.StadiumInPlay)):
            out += [("card", x) for x in n.names]
        elif isinstance(n, ir.EvolvesFrom) and n.name is not None:
            out.append(("card", n.name))
        elif isinstance(n, ir.EvolvesAs):
            out.append(("card", n.name))
        elif isinstance(n, ir.AbilityNamed):
            out += [("Ability", x) for x in n.names]
        elif isinstance(n, (ir.CantAttack, ir.DamageDealt)) and n.attack_name is not None:
            out.append(("attack", n.attack_name))
        elif isinstance(n, (ir.History, ir.AttackUses)) and getattr(n, "name", None) is not None:
            out.append(("attack", n.name))
    return out


def unknown_names(node, names: PoolNames) -> list[str]:
    """The names in `node` that no card of the pool prints, as messages."""
    have = {"card": names.cards, "attack": names.attacks, "Ability": names.abilities}
    out = []
    for what, name in named(node):
        if name not in have[what]:
            msg = f"names the {what} {name!r}, which no card in the pool has"
            if msg not in out:
                out.append(msg)
    return out


def _pokemon_names(node) -> list[str]:
    """The names an IR tree gives to Pokémon in play (NameIs outside a CardFilter, which is about cards in a zone)."""
    if isinstance(node, ir.CardFilter):
        return []
    if isinstance(node, ir.NameIs):
        return list(node.names)
    if isinstance(node, ir.Node):
        return [x for f in type(node).model_fields for x in _pokemon_names(getattr(node, f))]
    if isinstance(node, (tuple, list)):
        return [x for item in node for x in _pokemon_names(item)]
    return []


def pool_meaning(effect, text: str | None, names: PoolNames):
    """`effect`, or Unresolved(text) when one of its steps can't mean what it says for the cards it names."""
    if effect is None or isinstance(effect, ir.Unresolved):
        return effect
    bad = [x for x in _pokemon_names(effect) if x in names.cards and x not in names.pokemon]
    if bad:
        return ir.Unresolved(text=text or "", reason=(
            f"names {', '.join(dict.fromkeys(bad))} as a Pokémon in play, but no Pokémon card of the pool has that "
            "name"))
    for n in ir.iter_nodes(effect):
        if isinstance(n, ir.StadiumInPlay):
            bad = [x for x in n.names if x in names.cards and x not in names.stadiums]
            if bad:
                return ir.Unresolved(text=text or "", reason=(
                    f"names {', '.join(bad)} as a Stadium in play, but no Stadium card of the pool has that name"))
        if isinstance(n, ir.HasTag) and n.tag not in names.tags:
            return ir.Unresolved(text=text or "", reason=(
                f"refers to {n.tag!r}, a card attribute no card of the pool carries (PokemonCard.tags): the pool's "
                "card data lacks it"))
        if isinstance(n, ir.Fetch) and n.to == "bench":
            for f in n.filter.filters:
                bad = [x for x in f.names if x in names.cards and x not in names.basics] \
                    if isinstance(f, ir.NameIs) else []
                if bad:
                    return ir.Unresolved(text=text or "", reason=(
                        f"puts {', '.join(bad)} onto the Bench, but only Basic Pokémon can be put onto the Bench and "
                        "the IR has no step that puts an Evolution card there"))
    return effect


def attach_fills(cards, fills) -> None:
    """Make `fills` (a compiler.fill.store.FillSet, or None) the fills `card_irs` applies to these cards."""
    for c in cards:
        c._fills = fills


def fills_of(cards):
    """The fills attached to the cards (attach_fills), or None."""
    return next((c._fills for c in cards if getattr(c, "_fills", None) is not None), None)


def apply_fills(card: PokemonCard | TrainerCard, cir: ir.CardIR, fills) -> ir.CardIR:
    """`cir` with each top-level Unresolved effect replaced by the fill of its text, where one fits the card."""
    from .parse import attack_misfit, trainer_misfit

    def filled(eff, kind: str, text: str | None, misfit):
        f = fills.get(kind, text) if isinstance(eff, ir.Unresolved) else None
        if f is None:
            return eff
        why = misfit(f.ir)
        return ir.Unresolved(text=text, reason=f"the fill of this text does not fit this card: {why}") if why else f.ir

    if isinstance(card, TrainerCard):
        return cir.model_copy(update={"trainer": filled(cir.trainer, "trainer", card.text,
                                                         lambda e: trainer_misfit(e, card))})
    attacks = tuple(a.model_copy(update={"effect": filled(a.effect, "attack", spec.text,
                                                          lambda e, a=a, spec=spec: attack_misfit(
                                                              e, spec.base_damage, spec.damage_suffix))})
                    for a, spec in zip(cir.attacks, card.attacks))
    ability = cir.ability
    if card.ability is not None and card.pokemon_power is None:
        ability = filled(ability, "ability", card.ability.text, lambda e: None)
    return cir.model_copy(update={"attacks": attacks, "ability": ability})


def card_ir(card: PokemonCard | TrainerCard, names: PoolNames | None = None, fills=None) -> ir.CardIR:
    """The IR of one card's effects (its printed damage taken into account), checked against the pool's names, with
    the fills of its Unresolved texts applied (and checked against the pool's names in turn)."""
    from .parse import parse_card

    cir = parse_card(card)
    if names is not None:
        cir = _pool_meanings(card, cir, names)
    if fills is not None:
        filled = apply_fills(card, cir, fills)
        if filled != cir and names is not None:
            filled = _pool_meanings(card, filled, names)
        cir = filled
    return cir


def _pool_meanings(card: PokemonCard | TrainerCard, cir: ir.CardIR, names: PoolNames) -> ir.CardIR:
    if isinstance(card, TrainerCard):
        return cir.model_copy(update={"trainer": pool_meaning(cir.trainer, card.text, names)})
    attacks = tuple(a.model_copy(update={"effect": pool_meaning(a.effect, spec.text, names)})
                    for a, spec in zip(cir.attacks, card.attacks))
    ab_text = card.ability.text if card.ability else None
    return cir.model_copy(update={"attacks": attacks, "ability": pool_meaning(cir.ability, ab_text, names)})


def unresolved_texts(cards) -> dict[tuple[str, str], list]:
    """The (kind, text) pairs the grammar (and the pool checks) leave Unresolved, without fills: what fills are
    for. Each with the cards that print it, in pool order, and the first reason."""
    names = PoolNames.of(cards)
    out: dict[tuple[str, str], list] = {}
    for card in cards:
        try:
            cir = card_ir(card, names)
        except Exception:  # a front-end bug: card_irs reports it
            continue
        for kind, text, eff in effects_of(card, cir):
            if isinstance(eff, ir.Unresolved) and text:
                out.setdefault((kind, text), []).append(card)
    return out


def effects_of(card: PokemonCard | TrainerCard, cir: ir.CardIR) -> list[tuple[str, str | None, ir.Node]]:
    """(kind, printed text, IR) of each effect of a card that a fill can stand for."""
    if isinstance(card, TrainerCard):
        return [("trainer", card.text, cir.trainer)]
    out = [("attack", spec.text, a.effect) for a, spec in zip(cir.attacks, card.attacks) if spec.text]
    if card.ability is not None and card.pokemon_power is None:
        out.append(("ability", card.ability.text, cir.ability))
    return out


def card_irs(cards: list[PokemonCard | TrainerCard], fills=None) -> list[ir.CardIR | Exception]:
    """The IR of every card, in pool order, with `fills` (default: the fills attached to the cards) applied; a
    front-end failure is returned as the exception, never raised."""
    names = PoolNames.of(cards)
    fills = fills if fills is not None else fills_of(cards)
    out: list[ir.CardIR | Exception] = []
    for card in cards:
        try:
            out.append(card_ir(card, names, fills))
        except Exception as e:  # a front-end bug must not stop an engine: the card becomes unplayable
            out.append(e)
    return out
