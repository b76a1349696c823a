"""Round trip: parse(render(ir)) == ir on the whole corpus and on hypothesis-generated IR; wording variants agree."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compiler import ir
from compiler.parse import parse_effect
from compiler.parse.checks import check
from compiler.parse.transform import Unsupported
from compiler.render import render
from tests.conftest import CORPUS


def _texts():
    return [json.loads(line) for line in (CORPUS / "effect_texts.jsonl").read_text(encoding="utf-8").splitlines()]


def test_round_trip_on_the_corpus(corpus):
    checked = 0
    for row in _texts():
        node = parse_effect(row["text"], row["kind"])
        if ir.has_unresolved(node):
            continue
        text = render(node, row["kind"])
        assert parse_effect(text, row["kind"]) == node, (row["text"], text)
        checked += 1
    assert checked >= 499




def test_every_wording_variant_parses_to_the_same_ir(corpus):
    rows = [json.loads(line) for line in (corpus / "text_variants.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 33
    for row in rows:
        kind = "ability" if row["field"] == "ability" else "trainer" if row["field"].startswith("trainer") else "attack"
        want = parse_effect(row["chosen"], kind)
        assert not ir.has_unresolved(want), row["chosen"]
        for text in {row["deckgym"], row["vociferix"], *row["tcgdex"]} - {None}:
            assert parse_effect(text, kind) == want, text


# ----------------------------------------------------------------------------------------------- hypothesis
TYPES = ["Grass", "Fire", "Water", "Lightning", "Psychic", "Fighting", "Darkness", "Metal"]
CONDS = ["Asleep", "Burned", "Confused", "Paralyzed", "Poisoned"]
tens = st.integers(1, 12).map(lambda n: n * 10)
small = st.integers(2, 4)
player = st.sampled_from(["you", "opponent"])
pre_filter = st.one_of(st.sampled_from(TYPES).map(lambda t: ir.TypeIs(types=(t,))),
                       st.sampled_from(["basic", "stage1", "stage2"]).map(lambda s: ir.StageIs(stage=s)))
filters = st.lists(pre_filter, max_size=1).map(tuple) | st.just((ir.IsEx(),))
among = st.builds(lambda p, z, f: ir.Among(player=p, zone=z, filters=f), player, st.sampled_from(["bench", "in_play"]),
                  filters)
single = st.one_of(
    st.just(ir.ThisPokemon()), st.just(ir.Defending()),
    st.builds(lambda p, f: ir.Active(player=p, filters=f), player, filters),
    st.builds(lambda n, a: ir.Choose(count=n, among=a), st.integers(1, 2), among),
)
target = st.one_of(single, st.builds(lambda a: ir.Each(among=a), among))
heads_or_const = st.one_of(tens.map(lambda v: ir.Const(value=v)),
                           tens.map(lambda v: ir.Per(each=v, count=ir.Heads())))
energy = st.builds(lambda n, t: ir.EnergySel(count=n, energy_type=t), st.integers(1, 3), st.sampled_from(TYPES))

clause_step = st.one_of(
    st.builds(lambda m, a: ir.AttackDamage(mode=m, amount=a), st.sampled_from(["set", "more"]), heads_or_const),
    st.builds(lambda a, t: ir.Damage(amount=ir.Const(value=a), target=t), tens,
              single.filter(lambda t: not isinstance(t, ir.ThisPokemon))),
    st.builds(lambda a: ir.Damage(amount=ir.Const(value=a), target=ir.ThisPokemon()), tens),
    st.builds(lambda a, t: ir.Heal(amount=ir.Const(value=a), target=t), tens, target),
    st.builds(lambda t, cs: ir.ApplyCondition(target=t, conditions=tuple(cs)), single,
              st.lists(st.sampled_from(CONDS), min_size=1, max_size=2, unique=True)),
    st.builds(lambda n: ir.Draw(amount=ir.Const(value=n)), st.integers(1, 3)),
    st.builds(lambda e, t: ir.DiscardEnergy(target=t, energy=(e,)), energy, single),
    st.builds(lambda e, t: ir.AttachEnergy(energy=(e,), target=t), energy, single),
    st.builds(lambda p, n: ir.DiscardCards(player=p, zone="deck", count=n), player, st.integers(1, 3)),
)
duration = st.sampled_from(["opponent_next_turn", "your_next_turn", "this_turn"])
modifier = st.one_of(
    st.builds(lambda t, d: ir.DamageTaken(target=t, delta=-d), single, tens),
    st.builds(lambda t: ir.CantAttack(target=t), single),
    st.builds(lambda t: ir.CantRetreat(target=t), single),
    st.builds(lambda t: ir.NoWeakness(target=t), single),
)
coin = st.sampled_from([ir.CoinOutcome(outcome=o) for o in ("heads", "tails", "all_heads", "all_tails")])
cond_target = st.one_of(st.just(ir.ThisPokemon()), st.just(ir.Defending()),
                        st.builds(lambda p, f: ir.Active(player=p, filters=f), player, filters))
condition = st.one_of(coin, st.builds(lambda t, f: ir.Matches(target=t, filters=(f,)), cond_target,
                                      st.sampled_from([ir.Damaged(), ir.HasTool(), ir.IsEx(),
                                                       ir.HasCondition(conditions=("Poisoned",))])))
sentence_step = st.one_of(
    clause_step,
    st.builds(lambda n: ir.Flip(count=ir.Const(value=n)), st.integers(1, 4)),
    st.just(ir.Flip(until_tails=True)),
    st.builds(lambda c, s: ir.If(condition=c, then=(s,)), condition, clause_step),
    st.builds(lambda d, m: ir.Lasting(duration=d, modifier=m), duration, modifier),
    st.builds(lambda s: ir.Repeat(times=ir.Per(each=1, count=ir.Heads()), steps=(s,)), clause_step),
)
attacks = st.builds(lambda ss: ir.Attack(steps=tuple(ss)), st.lists(sentence_step, min_size=1, max_size=4))


def _well_scoped(node) -> bool:
    """The generated IR reads its coins and 'it' only after a flip / a Pokémon they can refer to."""
    try:
        check(node)
    except Unsupported:
        return False
    return True


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(attacks)
def test_round_trip_on_generated_attacks(node):
    text = render(node)
    if _well_scoped(node):
        assert parse_effect(text, "attack") == node, text
    else:  # e.g. "If heads" with no flip, or after 2 coins: refused, never read as something else
        assert isinstance(parse_effect(text, "attack"), ir.Unresolved), text


abilities = st.one_of(
    st.builds(lambda ss, c: ir.Activated(steps=tuple(ss), requirement=c),
              st.lists(clause_step.filter(lambda s: not isinstance(s, (ir.AttackDamage, ir.Damage))), min_size=1,
                       max_size=2), st.none() | condition.filter(lambda c: isinstance(c, ir.Matches))),
    st.builds(lambda m: ir.Passive(modifiers=(m,)), modifier.filter(lambda m: not isinstance(m.target, ir.Defending))),
)


@settings(max_examples=150, deadline=None)
@given(abilities)
def test_round_trip_on_generated_abilities(node):
    text = render(node)
    assert parse_effect(text, "ability") == node, text


trainer_target = st.one_of(
    st.builds(lambda p, f: ir.Active(player=p, filters=f), player, filters),
    st.builds(lambda n, a: ir.Choose(count=n, among=a), st.integers(1, 2), among),
    st.builds(lambda a: ir.Each(among=a), among),
)
trainer_step = st.one_of(
    st.builds(lambda a, t: ir.Heal(amount=ir.Const(value=a), target=t), tens, trainer_target),
    st.builds(lambda n: ir.Draw(amount=ir.Const(value=n)), st.integers(1, 4)),
    st.builds(lambda t: ir.Recover(target=t), trainer_target),
    st.builds(lambda n, f: ir.Fetch(count=n, filter=ir.CardFilter(kind="pokemon", filters=f)), st.integers(1, 2),
              st.lists(pre_filter, max_size=1).map(tuple)),
    st.builds(lambda d, m: ir.Lasting(duration=d, modifier=m), duration, st.builds(
        lambda a, d: ir.DamageTaken(target=ir.Each(among=a), delta=-d, attacker_player="opponent"), among, tens)),
    st.builds(lambda s: ir.Switch(player="opponent", new_active=ir.Choose(
        chooser="opponent", among=ir.Among(player="opponent", zone="bench")), only_if=s),
        st.lists(pre_filter, max_size=1).map(tuple)),
)
tool_mod = st.one_of(
    st.builds(lambda v: ir.HpBonus(target=ir.ToolHolder(), amount=ir.Const(value=v)), tens),
    st.builds(lambda d: ir.DamageTaken(target=ir.ToolHolder(), delta=-d, attacker_player="opponent"), tens),
    st.builds(lambda d: ir.RetreatCost(target=ir.ToolHolder(), delta=-d), st.integers(1, 2)),
)
trainers = st.one_of(
    st.builds(lambda ss: ir.TrainerEffect(steps=tuple(ss)), st.lists(trainer_step, min_size=1, max_size=3)),
    st.builds(lambda m, f: ir.Tool(effects=(ir.Passive(modifiers=(m,), requirement=ir.Matches(
        target=ir.ToolHolder(), filters=f) if f else None),)), tool_mod, st.lists(pre_filter, max_size=1).map(tuple)),
)


@settings(max_examples=200, deadline=None)
@given(trainers)
def test_round_trip_on_generated_trainers(node):
    text = render(node, "trainer")
    assert parse_effect(text, "trainer") == node, text


ability_step = clause_step.filter(lambda s: not isinstance(s, (ir.AttackDamage, ir.Damage)))
effect_damage = st.builds(lambda a, t: ir.Damage(amount=ir.Const(value=a), target=t, by_attack=False), tens,
                          st.sampled_from([ir.Attacking(), ir.Active(player="opponent")]))
trigger = st.sampled_from([
    ir.Trigger(event="damaged_by_attack", while_active=True), ir.Trigger(event="damaged_by_attack"),
    ir.Trigger(event="knocked_out_by_attack", while_active=True), ir.Trigger(event="knocked_out"),
    ir.Trigger(event="energy_attached", energy_type="Fire"), ir.Trigger(event="end_of_turn", while_active=True),
    ir.Trigger(event="checkup", while_active=True), ir.Trigger(event="end_of_first_turn"),
])
triggered = st.one_of(
    st.builds(lambda t, ss: ir.Triggered(trigger=t, steps=tuple(ss)), trigger,
              st.lists(st.one_of(ability_step, effect_damage), min_size=1, max_size=2)),
    st.builds(lambda e, ss: ir.Triggered(trigger=ir.Trigger(event=e), optional=True, once=True, steps=tuple(ss)),
              st.sampled_from(["evolved_from_hand", "played_to_bench"]), st.lists(ability_step, min_size=1, max_size=2)),
)


@settings(max_examples=200, deadline=None)
@given(triggered)
def test_round_trip_on_generated_triggered_abilities(node):
    text = render(node, "ability")
    assert parse_effect(text, "ability") == node, text
