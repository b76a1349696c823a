"""fills.yaml: loaded strictly with the spec (located errors, exit 2), joined into the pool's IR in one place for
both engines, stale fills reported, parsed / filled / unresolved counted apart by coverage, build and validate."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from compiler import ir
from compiler.cli import main
from compiler.diagnostics import SpecError
from compiler.fill.store import Fill, FillSet, dump_fills, load_fills, save_fills
from compiler.fill.usage import usage
from compiler.parse import parse_effect
from compiler.spec import load_spec

DATA = Path(__file__).parent / "data" / "fill"
TOSS = "Toss a coin 2 times; this attack deals 30 damage per heads."
JUICE = "Restore 20 HP of 1 of your Pokémon."
TOSS_IR = parse_effect("Flip 2 coins. This attack does 30 damage for each heads.", "attack")
JUICE_IR = parse_effect("Heal 20 damage from 1 of your Pokémon.", "trainer")


def spec_with(tmp_path: Path, fills_text: str) -> Path:
    for f in ("spec.yaml", "cards.yaml"):
        shutil.copy(DATA / f, tmp_path / f)
    (tmp_path / "fills.yaml").write_text(fills_text, encoding="utf-8")
    return tmp_path / "spec.yaml"


def good_fills() -> str:
    return dump_fills(FillSet([Fill(kind="attack", text=TOSS, ir=TOSS_IR), Fill(kind="trainer", text=JUICE,
                                                                                ir=JUICE_IR)]))


def errors(spec: Path) -> list[str]:
    with pytest.raises(SpecError) as e:
        load_spec(spec)
    return [str(d) for d in e.value.diagnostics]


def test_a_written_fills_file_loads_back_equal(tmp_path):
    fs = FillSet([Fill(kind="attack", text=TOSS, ir=TOSS_IR, checks={"schema": "ok"}, reviewed=True)])
    save_fills(fs, tmp_path / "fills.yaml")
    back = load_fills(tmp_path / "fills.yaml")
    assert back.fills == fs.fills
    assert dump_fills(back) == (tmp_path / "fills.yaml").read_text(encoding="utf-8")  # deterministic
    assert not list(tmp_path.glob(".fills-*"))  # the temporary file of the atomic write is gone


@pytest.mark.parametrize("body, expect", [
    ("format_version: 1\nfills:\n  - kind: attack\n    text: x\n    ir: {op: attack}\n    colour: red\n",
     "fills.yaml:6:5: [fills[0].colour] unknown key"),
    ("format_version: 1\nfills:\n  - kind: attack\n    text: x\n    ir: {op: attack}\n    reviewed: maybe\n",
     "fills.yaml:6:5: [fills[0].reviewed] Input should be a valid boolean"),
    ("format_version: 1\nfills:\n  - kind: attack\n    text: x\n    ir: {op: attack, steps: [{op: zap}]}\n",
     "fills.yaml:5:30: [fills[0].ir.attack.steps[0]] Input tag 'zap' found using 'op' does not match"),
    ("format_version: 1\nfills:\n  - kind: spell\n    text: x\n    ir: {op: attack}\n",
     "fills.yaml:3:5: [fills[0].kind] should be 'attack', 'ability' or 'trainer' (got 'spell')"),
    ("format_version: 1\nfills:\n  - kind: attack\n    ir: {op: attack}\n",
     "[fills[0].text] required field is missing"),
    ("format_version: 1\nfills:\n  - kind: ability\n    text: x\n    ir: {op: attack}\n",
     "fills.yaml:5:5: [fills[0].ir] an ability text's IR must have op activated or passive or triggered"),
    ("format_version: 1\nfills:\n  - kind: attack\n    text: x\n    ir: {op: unresolved, text: x, reason: y}\n",
     "[fills[0].ir] Value error, a fill can't contain an Unresolved node"),
    ("format_version: 1\nfills:\n  - {kind: attack, text: x, ir: {op: attack}}\n  - {kind: attack, text: x, ir: "
     "{op: attack}}\n", "fills.yaml:4:20: [fills[1].text] a second fill of this attack text (the first is at line 3)"),
    ("format_version: 1\nfills:\n  - kind: attack\n    text: x\n    ir: {op: attack, steps: [{op: attack_damage, "
     "mode: set, amount: {op: per, each: 10, count: {op: heads}}}]}\n",
     "[fills[0].ir] the IR is refused by the front end's checks: a coin result without a coin flip before it"),
    ("format_version: 2\nfills: []\n",
     "fills.yaml:1:1: [format_version] Input should be less than or equal to 1 (got 2)"),
    ("- kind: attack\n", "a fills file must be a mapping"),
    ("format_version: 1\nfills: [\n", "YAML syntax error"),
])
def test_bad_fills_files_are_located_errors(tmp_path, body, expect):
    msgs = errors(spec_with(tmp_path, body))
    assert any(expect in m for m in msgs), msgs


def test_a_fill_that_names_a_card_not_in_the_pool_is_an_error_at_its_ir(tmp_path):
    mewtwo = parse_effect("Put a random Mewtwo from your deck onto your Bench.", "attack")
    spec = spec_with(tmp_path, dump_fills(FillSet([Fill(kind="attack", text="Summon 1 random Rattata from your deck "
                                                        "to your Bench.", ir=mewtwo)])))
    (msg,) = errors(spec)
    assert "fills.yaml:" in msg and "[fills[0].ir] the fill names the card 'Mewtwo', which no card in the pool has" \
        in msg


def test_the_cli_reports_a_bad_fills_file_with_exit_2_and_no_traceback(tmp_path):
    spec = spec_with(tmp_path, "format_version: 1\nfills:\n  - kind: attack\n    text: x\n    ir: {op: attak}\n")
    for cmd in (["validate"], ["build", "--allow-unresolved", "-o", str(tmp_path / "gen")], ["coverage"],
                ["fill", "--dry-run"]):
        res = CliRunner().invoke(main, [*cmd, str(spec)])
        assert res.exit_code == 2, (cmd, res.output)
        assert "fills.yaml:5:" in res.output and "[fills[0].ir" in res.output
        assert "Traceback" not in res.output


def test_fills_reach_both_engines_through_card_irs(tmp_path):
    from compiler.lower import lower
    from reference import Engine

    loaded = load_spec(spec_with(tmp_path, good_fills()))
    eng = Engine.from_spec(loaded)
    raichu = eng.db[eng.db.by_id["FT-002"]]
    juice = eng.db[eng.db.by_id["FT-005"]]
    assert raichu.attacks[0].effect == TOSS_IR and raichu.executable
    assert juice.effect == JUICE_IR and juice.executable
    low = lower(loaded)
    refused = {r.card_id for r in low.refused}
    assert "FT-002" not in refused and "FT-005" not in refused
    assert "FT-004" in refused  # Meowth: its Ability has no fill
    assert {p["card"] for p in low.programs} >= {"FT-002", "FT-005"}


def test_without_the_fills_file_the_same_cards_are_unresolved(tmp_path):
    from reference import Engine

    spec = spec_with(tmp_path, good_fills())
    text = spec.read_text(encoding="utf-8").replace("fills: fills.yaml\n", "")
    spec.write_text(text, encoding="utf-8")
    eng = Engine.from_spec(load_spec(spec))
    assert not eng.db[eng.db.by_id["FT-002"]].executable


def test_a_fill_that_does_not_fit_a_card_leaves_it_unresolved_with_the_reason(tmp_path):
    """The same text printed as '30x' on one card and '30' on another: the fill sets the damage, which fits only the
    first; the second stays Unresolved and says why (never silently wrong)."""
    from compiler.pool import card_irs

    spec = spec_with(tmp_path, good_fills())
    cards = (tmp_path / "cards.yaml").read_text(encoding="utf-8")
    cards += ("  - id: FT-006\n    name: Zapdos\n    category: pokemon\n    stage: basic\n    hp: 100\n    type: "
              "Lightning\n    attacks:\n      - {name: Bolt, cost: [Lightning], damage: \"30\", text: \""
              + TOSS + "\"}\n")
    (tmp_path / "cards.yaml").write_text(cards, encoding="utf-8")
    loaded = load_spec(spec)
    irs = dict(zip(loaded.cards, card_irs(list(loaded.cards.values()))))
    assert irs["FT-002"].attacks[0].effect == TOSS_IR
    zap = irs["FT-006"].attacks[0].effect
    assert isinstance(zap, ir.Unresolved)
    assert zap.reason == ("the fill of this text does not fit this card: printed damage 30 but the text sets the "
                          "damage")
    u = usage(loaded.cards.values(), loaded.fills)
    assert (u.parsed, u.filled, u.unresolved) == (0, 1, 3)  # the misfit text counts as unresolved
    assert u.misfits == [TOSS]


def test_stale_fills_are_reported(tmp_path):
    """A fill whose text no card prints, and one whose text the grammar parses now, are stale: reported, unused."""
    healed = "Heal 20 damage from 1 of your Pokémon."
    fs = FillSet([Fill(kind="attack", text=TOSS, ir=TOSS_IR),
                  Fill(kind="trainer", text="A text no card prints.", ir=JUICE_IR),
                  Fill(kind="trainer", text=healed, ir=JUICE_IR)])
    spec = spec_with(tmp_path, dump_fills(fs))
    cards = (tmp_path / "cards.yaml").read_text(encoding="utf-8").replace(JUICE, healed)
    (tmp_path / "cards.yaml").write_text(cards, encoding="utf-8")
    loaded = load_spec(spec)
    u = usage(loaded.cards.values(), loaded.fills)
    assert [(s.text, s.why) for s in u.stale] == [
        ("A text no card prints.", "no card of the pool prints it"),
        (healed, "the grammar parses it now (the fill is not used)"),
    ]
    assert [s.where.rsplit("fills.yaml", 1)[1] for s in u.stale] == [":23", ":37"]  # the line of each entry
    res = CliRunner().invoke(main, ["validate", str(spec)])
    assert res.exit_code == 0
    assert "stale fill of the trainer text 'A text no card prints.': no card of the pool prints it" in res.output
    assert "stale fill of the trainer text 'Heal 20 damage from 1 of your Pokémon.': the grammar parses it now" \
        in res.output


def test_coverage_and_build_count_parsed_filled_unresolved_apart(tmp_path):
    spec = spec_with(tmp_path, good_fills())
    res = CliRunner().invoke(main, ["coverage", "--json", str(spec)])
    assert res.exit_code == 0, res.output
    r = json.loads(res.output)
    assert (r["total"], r["parsed"], r["filled"], r["unresolved"]) == (4, 0, 2, 2)
    assert {t["text"] for t in r["filled_texts"]} == {TOSS, JUICE}
    assert {t["text"] for t in r["unresolved_texts"]} == {"Once on your turn, you can draw 1 card.",
                                                          "Summon 1 random Rattata from your deck to your Bench."}
    assert r["cards_covered"] == 3  # Pikachu, Raichu, Berry Juice
    res = CliRunner().invoke(main, ["coverage", str(spec)])
    assert "2 texts filled by the spec's fills file" in res.output
    res = CliRunner().invoke(main, ["build", str(spec), "-o", str(tmp_path / "gen"), "--allow-unresolved"])
    assert res.exit_code == 0, res.output
    assert "4 distinct effect texts: 0 parsed, 2 filled (fills.yaml), 2 unresolved" in res.output
