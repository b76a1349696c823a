"""Strict loading of spec.yaml, card-set files and decks, with every error located in its file.

`load_spec` reports all problems it finds across files at once (as one SpecError), each with file, line, column
and field path. Cross-file checks (duplicate ids, dangling `evolves_from`, deck legality) run after every file
validated on its own.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..diagnostics import Diagnostic, SpecError, display_path, plural
from ..yaml_io import YamlFile, load_yaml, locate, plain
from .cards import CardSetFile, PokemonCard, TrainerCard, is_basic
from .game import DeckSpec, GameSpec, RulesetRef
from .rules import PRESETS, RulesSpec

ZONE_ENERGY = ("Grass", "Fire", "Water", "Lightning", "Psychic", "Fighting", "Darkness", "Metal")
"""Types an Energy Zone can produce."""

AnyCard = PokemonCard | TrainerCard


@dataclass
class LoadedSpec:
    """A validated game: spec, resolved rules, and the card pool in file order."""

    path: Path
    spec: GameSpec
    rules: RulesSpec
    sets: list[CardSetFile]
    cards: dict[str, AnyCard]
    origin: dict[str, tuple[str, int]] = field(default_factory=dict)
    """Card id → (card-set file, index in its `cards` list)."""
    fills: Any = None
    """The spec's fills file (compiler.fill.store.FillSet), None when it names none; attached to the cards."""

    def card_by_name(self) -> dict[str, list[AnyCard]]:
        out: dict[str, list[AnyCard]] = {}
        for c in self.cards.values():
            out.setdefault(c.name, []).append(c)
        return out


def _field_path(loc: tuple[Any, ...], data: Any) -> str:
    """A readable field path: cards[3](A1-004).attacks[0].damage."""
    parts: list[str] = []
    node = data
    for p in loc:
        if isinstance(p, int):
            label = f"[{p}]"
            if isinstance(node, list) and 0 <= p < len(node):
                node = node[p]
                if isinstance(node, dict) and isinstance(node.get("id", node.get("name")), str):
                    label += f"({node.get('id', node.get('name'))})"
            else:
                node = None
            parts.append(label)
        else:
            if isinstance(node, dict) and p in node:
                node = node[p]
            elif isinstance(node, dict) and p in ("pokemon", "trainer"):
                continue  # the discriminator tag pydantic inserts into the path
            else:
                node = None
            parts.append(("." if parts else "") + str(p))
    return "".join(parts)


def validation_diagnostics(source: str, raw: Any, err: ValidationError, prefix: tuple = ()) -> list[Diagnostic]:
    """Turn a pydantic ValidationError on `raw` (loaded by load_yaml) into located diagnostics."""
    out = []
    for e in err.errors(include_url=False):
        loc = prefix + tuple(e["loc"])
        line, col = locate(raw, loc)
        msg = e["msg"]
        if e["type"] == "extra_forbidden":
            msg = "unknown key"
        elif e["type"] == "missing":
            msg = "required field is missing"
        elif e["type"] in ("literal_error", "union_tag_invalid"):
            msg = msg.replace("Input should be", "should be")
        if e["type"] not in ("missing", "extra_forbidden") and "input" in e and not isinstance(e["input"], (dict, list)):
            msg += f" (got {e['input']!r})"
        out.append(Diagnostic(source, msg, line, col, _field_path(loc, plain(raw))))
    return out


def _validate(model: type[BaseModel], source: str, raw: Any, diags: list[Diagnostic]) -> Any:
    try:
        return model.model_validate(plain(raw))
    except ValidationError as err:
        diags.extend(validation_diagnostics(source, raw, err))
        return None


def load_card_set(path: str | Path) -> tuple[CardSetFile, YamlFile]:
    """Load and validate one card-set file on its own. Returns the model and the file (for positions)."""
    yf = YamlFile(path)
    if not isinstance(yf.data, dict):
        raise SpecError(Diagnostic(yf.shown, "a card-set file must be a mapping with 'set' and 'cards'", 1, 1))
    try:
        return CardSetFile.model_validate(yf.data), yf
    except ValidationError as err:
        raise SpecError(validation_diagnostics(yf.shown, yf.nodes, err)) from None


def resolve_rules(ref_raw: Any, spec: GameSpec, source: str, raw: Any) -> tuple[RulesSpec | None, list[Diagnostic]]:
    """The preset named by the spec with its overrides applied, validated."""
    preset = PRESETS.get(spec.rules.preset)
    if preset is None:
        line, col = locate(raw, ("rules", "preset"))
        return None, [Diagnostic(source, f"unknown preset {spec.rules.preset!r}; known: {', '.join(PRESETS)}",
                                 line, col, "rules.preset")]
    merged = _deep_merge(preset.model_dump(), plain(spec.rules.overrides))
    try:
        return RulesSpec.model_validate(merged), []
    except ValidationError as err:
        return None, validation_diagnostics(source, raw, err, prefix=("rules", "overrides"))


def _deep_merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        out[k] = _deep_merge(out[k], v) if isinstance(out.get(k), dict) and isinstance(v, dict) else v
    return out


def _salvage(data: dict) -> tuple[RulesetRef | None, list[tuple[int, str]], list[tuple[int, DeckSpec]]]:
    """The well-formed parts of a spec.yaml that failed validation, so their own checks still run.

    Returns the ruleset reference (None when it is malformed: deck legality then is not checked), the card-set
    paths and the decks that are well-formed, each with its index in the file.
    """
    try:
        ruleset: RulesetRef | None = RulesetRef.model_validate(data.get("rules", {}))
    except ValidationError:
        ruleset = None
    card_sets = data.get("card_sets")
    set_entries = [(i, p) for i, p in enumerate(card_sets) if isinstance(p, str)] if isinstance(card_sets, list) else []
    deck_entries = []
    decks = data.get("decks")
    for k, d in enumerate(decks if isinstance(decks, list) else []):
        try:
            deck_entries.append((k, DeckSpec.model_validate(d)))
        except ValidationError:
            pass
    return ruleset, set_entries, deck_entries


def load_spec(path: str | Path) -> LoadedSpec:
    """Load spec.yaml with its card sets and decks; raise SpecError listing every problem found."""
    path = Path(path)
    shown = display_path(path)
    raw = load_yaml(path)
    if not isinstance(raw, dict):
        raise SpecError(Diagnostic(shown, "a spec must be a mapping (name, rules, card_sets, decks)", 1, 1))
    diags: list[Diagnostic] = []
    spec: GameSpec | None = _validate(GameSpec, shown, raw, diags)
    if spec is None:  # keep checking what is well-formed: every error is reported, not only the first file's
        ruleset, set_entries, deck_entries = _salvage(plain(raw))
    else:
        ruleset, set_entries, deck_entries = spec.rules, list(enumerate(spec.card_sets)), list(enumerate(spec.decks))
    rules: RulesSpec | None = None
    if ruleset is not None:
        rules, rule_diags = resolve_rules(raw.get("rules"), GameSpec.model_construct(rules=ruleset), shown, raw)
        diags.extend(rule_diags)

    fills = spec.fills if spec is not None else plain(raw).get("fills")
    fill_set = None
    if isinstance(fills, str) and not (path.parent / fills).is_file():
        line, col = locate(raw, ("fills",))
        diags.append(Diagnostic(shown, f"fills file not found: {display_path(path.parent / fills)}", line, col,
                                "fills"))
    elif isinstance(fills, str):
        from ..fill.store import load_fills

        try:
            fill_set = load_fills(path.parent / fills)
        except SpecError as e:
            diags.extend(e.diagnostics)

    sets: list[CardSetFile] = []
    cards: dict[str, AnyCard] = {}
    where: dict[str, tuple[YamlFile, int]] = {}  # card id -> (file, index in its cards list)
    for i, rel in set_entries:
        set_path = path.parent / rel
        if not set_path.is_file():
            line, col = locate(raw, ("card_sets", i))
            diags.append(Diagnostic(shown, f"card set file not found: {display_path(set_path)}", line, col,
                                    f"card_sets[{i}]"))
            continue
        try:
            card_set, set_file = load_card_set(set_path)
        except SpecError as e:
            diags.extend(e.diagnostics)
            continue
        sets.append(card_set)
        set_shown = set_file.shown
        for j, card in enumerate(card_set.cards):
            if card.id in cards:
                line, col = set_file.locate(("cards", j, "id"))
                first_file, first_j = where[card.id]
                first_line, _ = first_file.locate(("cards", first_j, "id"))
                diags.append(Diagnostic(set_shown, f"duplicate card id {card.id} (first defined at "
                                        f"{first_file.shown}:{first_line})", line, col, f"cards[{j}].id"))
                continue
            cards[card.id] = card
            where[card.id] = (set_file, j)

    names = {c.name for c in cards.values()}
    for cid, card in cards.items():
        if isinstance(card, PokemonCard) and card.evolves_from and card.evolves_from not in names:
            set_file, j = where[cid]
            line, col = set_file.locate(("cards", j, "evolves_from"))
            diags.append(Diagnostic(set_file.shown, f"{cid} {card.name} evolves from {card.evolves_from!r}, "
                                    "which is no card in the pool", line, col, f"cards[{j}]({cid}).evolves_from"))

    if not diags:
        diags.extend(effect_name_diagnostics(cards, where))
        if fill_set is not None:
            from ..fill.store import fill_name_diagnostics
            from ..pool import PoolNames, unresolved_texts

            diags.extend(fill_name_diagnostics(fill_set, PoolNames.of(cards.values()),
                                                    set(unresolved_texts(list(cards.values())))))

    first_deck: dict[str, int] = {}  # deck name -> index of its first definition
    for k, deck in deck_entries:
        if deck.name in first_deck:
            line, col = locate(raw, ("decks", k, "name"))
            first_line, _ = locate(raw, ("decks", first_deck[deck.name], "name"))
            diags.append(Diagnostic(shown, f"duplicate deck name {deck.name!r} (first defined at {shown}:{first_line})",
                                    line, col, f"decks[{k}]({deck.name}).name"))
        else:
            first_deck[deck.name] = k
    if rules is not None:
        for k, deck in deck_entries:
            diags.extend(check_deck(deck, cards, rules, shown, raw, k))

    if diags:
        raise SpecError(diags)
    assert spec is not None and rules is not None
    origin = {cid: (f.shown, j) for cid, (f, j) in where.items()}
    if fill_set is not None:
        from ..pool import attach_fills

        attach_fills(cards.values(), fill_set)
    return LoadedSpec(path=path, spec=spec, rules=rules, sets=sets, cards=cards, origin=origin, fills=fill_set)


def effect_name_diagnostics(cards: dict[str, AnyCard], where: dict) -> list[Diagnostic]:
    """Every card, attack or Ability name that a card's effect IR names and no card of the pool prints, located at
    the effect's text (compiler.pool.unknown_names)."""
    from ..parse import parse_effect
    from ..pool import PoolNames, unknown_names

    names = PoolNames.of(cards.values())
    out = []
    for cid, card in cards.items():
        set_file, j = where[cid]
        texts = []
        if isinstance(card, PokemonCard):
            texts += [(("attacks", k, "text"), a.text, "attack") for k, a in enumerate(card.attacks) if a.text]
            if card.ability is not None:
                texts.append((("ability", "text"), card.ability.text, "ability"))
        else:
            texts.append((("text",), card.text, "trainer"))
        for loc, text, kind in texts:
            for msg in unknown_names(parse_effect(text, kind), names):
                line, col = set_file.locate(("cards", j) + loc)
                fld = f"cards[{j}]({cid})." + ".".join(f"[{x}]" if isinstance(x, int) else x for x in loc)
                out.append(Diagnostic(set_file.shown, f"{cid} {card.name}: its effect {msg}", line, col,
                                      fld.replace(".[", "[")))
    return out


def check_deck(deck: DeckSpec, cards: dict[str, AnyCard], rules: RulesSpec, source: str, raw: Any,
               k: int) -> list[Diagnostic]:
    """Deck legality: known cards, size, copies per name, a Basic, Energy types."""
    diags: list[Diagnostic] = []
    base = ("decks", k)
    where = f"decks[{k}]({deck.name})"

    def at(*loc: Any, msg: str, fld: str) -> None:
        line, col = locate(raw, base + loc)
        diags.append(Diagnostic(source, msg, line, col, f"{where}.{fld}"))

    known = {}
    for cid, n in deck.cards.items():
        if cid not in cards:
            at("cards", cid, msg=f"unknown card id {cid!r}", fld=f"cards.{cid}")
        elif n < 1:
            at("cards", cid, msg=f"count must be at least 1 (got {n})", fld=f"cards.{cid}")
        else:
            known[cid] = n
    total = sum(deck.cards.values())
    if total != rules.deck_size:
        at("cards", msg=f"deck has {plural(total, 'card')}; the rules require exactly {rules.deck_size}", fld="cards")
    per_name = Counter()
    for cid, n in known.items():
        per_name[cards[cid].name] += n
    for name, n in per_name.items():
        if n > rules.max_copies_per_name:
            at("cards", msg=f"{plural(n, 'copy', 'copies')} of {name!r}; at most {rules.max_copies_per_name} allowed", fld="cards")
    basics = sum(n for cid, n in known.items() if is_basic(cards[cid], rules.fossils_count_as_basic))
    if basics < rules.min_basic_pokemon:
        at("cards", msg=f"deck has {basics} Basic Pokémon; at least {rules.min_basic_pokemon} required", fld="cards")
    if len(deck.energy) > rules.max_energy_types:
        at("energy", msg=f"{plural(len(deck.energy), 'Energy type')}; at most {rules.max_energy_types} allowed", fld="energy")
    if len(set(deck.energy)) != len(deck.energy):
        at("energy", msg="an Energy type is listed twice", fld="energy")
    for i, t in enumerate(deck.energy):
        if rules.energy_zone and t not in ZONE_ENERGY:
            at("energy", i, msg=f"{t} is not an Energy Zone type ({', '.join(ZONE_ENERGY)})", fld=f"energy[{i}]")
    return sorted(diags, key=lambda d: (d.line or 0, d.column or 0))
