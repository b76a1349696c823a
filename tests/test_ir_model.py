"""The IR models: strict, frozen, tagged; documented in docs/ir.md; helpers behave."""

from __future__ import annotations

import inspect

import pytest
from pydantic import ValidationError

from compiler import ir
from tests.conftest import ROOT

NODES = [c for c in vars(ir).values() if inspect.isclass(c) and issubclass(c, ir.Node) and c is not ir.Node]


def test_docs_reference_is_generated_from_the_code():
    doc = (ROOT / "docs" / "ir.md").read_text(encoding="utf-8")
    assert ir.markdown_reference() in doc, "regenerate the node reference of docs/ir.md (see its header)"


@pytest.mark.parametrize("cls", NODES, ids=lambda c: c.__name__)
def test_every_node_is_documented(cls):
    assert cls.__doc__ and len(cls.__doc__) > 10
    assert f"`{cls.__name__}`" in (ROOT / "docs" / "ir.md").read_text(encoding="utf-8")


def test_unknown_fields_and_tags_are_rejected():
    with pytest.raises(ValidationError):
        ir.Draw(amount=ir.Const(value=1), cards=2)
    with pytest.raises(ValidationError, match="draw"):
        ir.TOP_ADAPTER.validate_python({"op": "attack", "steps": [{"op": "drow", "amount": {"op": "const", "value": 1}}]})


def test_nodes_are_frozen_and_hashable():
    d = ir.Draw(amount=ir.Const(value=1))
    with pytest.raises(ValidationError):
        d.player = "opponent"
    assert hash(d) == hash(ir.Draw(amount=ir.Const(value=1)))


def test_json_round_trip_of_a_nested_tree():
    a = ir.Attack(steps=(ir.Flip(count=ir.Const(value=2)),
                         ir.If(condition=ir.Not(condition=ir.CoinOutcome(outcome="all_tails")),
                               then=(ir.Lasting(duration="opponent_next_turn", modifier=ir.OnDamaged(
                                   target=ir.ThisPokemon(), steps=(ir.Damage(amount=ir.Const(value=20),
                                                                             target=ir.Attacking(),
                                                                             by_attack=False),))),))))
    assert ir.TOP_ADAPTER.validate_json(a.model_dump_json()) == a


def test_unresolved_helpers():
    u = ir.Unresolved(text="x", reason="y")
    card = ir.CardIR(card_id="A1-001", attacks=(ir.CardAttack(name="Tackle", base_damage=10, effect=ir.Attack()),
                                                 ir.CardAttack(name="Odd", effect=u)))
    assert ir.has_unresolved(card) and ir.unresolved_nodes(card) == [u]
    assert not ir.has_unresolved(card.attacks[0])


def test_main_damage_index():
    more = ir.If(condition=ir.CoinOutcome(outcome="heads"), then=(ir.AttackDamage(mode="more", amount=ir.Const(value=30)),))
    burn = ir.ApplyCondition(target=ir.Active(player="opponent"), conditions=("Burned",))
    assert ir.main_damage_index(ir.Attack(steps=(burn,))) == 0
    assert ir.main_damage_index(ir.Attack(steps=(ir.Flip(), more, burn))) == 2
    assert ir.main_damage_index(ir.Attack(steps=(burn, ir.Flip(), more), damage_at=1)) == 1
