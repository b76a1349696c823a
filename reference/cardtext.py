"""What a card does, as text for a person: attack lines and a card's full description (`tcgc play`'s `info`)."""

from __future__ import annotations

from compiler.diagnostics import plural

from .cards import AttackInfo, CardInfo
from .game import knockout_points
from .state import POKEMON_TYPES

SYMBOLS = {"Grass": "G", "Fire": "R", "Water": "W", "Lightning": "L", "Psychic": "P", "Fighting": "F",
           "Darkness": "D", "Metal": "M", "Dragon": "N", "Colorless": "C"}
"""One letter per type, as the card database writes Energy symbols."""


def cost_text(cost: tuple[int, ...]) -> str:
    """An attack cost as symbols: "PPC"; "free" for no cost."""
    return "".join(SYMBOLS[POKEMON_TYPES[t]] for t in cost) or "free"


def attack_line(atk: AttackInfo) -> str:
    """ "Psychic Sphere [PPC] 50: text" (damage left out when the attack does none)."""
    dmg = f" {atk.damage}{atk.suffix}" if atk.damage or atk.suffix else ""
    return f"{atk.name} [{cost_text(atk.cost)}]{dmg}" + (f": {atk.text}" if atk.text else "")


def kind_text(info: CardInfo) -> str:
    """ "Stage 1 Psychic Pokémon ex (evolves from Ralts)", "Supporter", "Fossil (played as a Basic)"."""
    if info.is_fossil:
        return "Item, Fossil (played as a Basic Pokémon)"
    if not info.is_pokemon:
        return {"item": "Item", "supporter": "Supporter", "tool": "Pokémon Tool", "stadium": "Stadium"}[info.kind]
    stage = ("Basic", "Stage 1", "Stage 2")[info.stage]
    kind = "Mega ex" if info.is_mega else "ex" if info.is_ex else ""
    out = f"{stage} {POKEMON_TYPES[info.type]} Pokémon" + (f" {kind}" if kind else "")
    return out + (f" (evolves from {info.evolves_from})" if info.evolves_from else "")


def card_text(info: CardInfo, rules=None) -> list[str]:
    """Every line a person needs to know a card: kind, HP, Weakness, Retreat Cost, Ability, attacks, text (and,
    given the rules, the points its knockout scores)."""
    lines = [f"{info.name} ({info.id}): {kind_text(info)}"]
    if info.is_pokemon or info.is_fossil:
        weak = POKEMON_TYPES[info.weakness] if info.weakness >= 0 else "none"
        retreat = "C" * info.retreat or "free"
        points = ""
        if rules is not None:
            points = f" · knocked out: {plural(knockout_points(rules, info), 'point')} to the opponent"
        lines.append(f"  HP {info.hp} · Weakness {weak} · Retreat Cost {retreat}{points}")
    if info.ability_name:
        lines.append(f"  Ability {info.ability_name}: {info.ability_text or ''}".rstrip(": "))
    lines += [f"  Attack {attack_line(a)}" for a in info.attacks]
    if info.text:
        lines.append(f"  {info.text}")
    if info.problems:
        lines.append(f"  (not playable here: {info.problems[0]})")
    return lines
