"""Importing the corpus JSONL format: every set imports, counts match, all 14 sets validate as one pool."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from compiler.cli import main
from compiler.diagnostics import SpecError
from compiler.spec import PokemonCard, TrainerCard, load_card_set, load_spec
from spec_scraper.sources.jsonl import read_jsonl

from .conftest import CORPUS_SETS


@pytest.fixture(scope="module")
def imported(corpus, tmp_path_factory):
    """All 14 corpus sets imported through the CLI into card-set YAML, plus a spec naming all of them."""
    out = tmp_path_factory.mktemp("pool")
    runner = CliRunner()
    for s in CORPUS_SETS:
        r = runner.invoke(main, ["import-jsonl", str(corpus / f"{s}.jsonl"), "-o", str(out / "cards" / f"{s}.yaml")])
        assert r.exit_code == 0, r.output
    (out / "spec.yaml").write_text("name: pocket_all\ncard_sets:\n" +
                                   "".join(f"  - cards/{s}.yaml\n" for s in CORPUS_SETS), encoding="utf-8")
    return out


def _corpus_records(corpus, s):
    return [json.loads(line) for line in (corpus / f"{s}.jsonl").read_text(encoding="utf-8").splitlines() if line]


@pytest.mark.parametrize("set_code", CORPUS_SETS)
def test_set_imports_with_corpus_counts(imported, corpus, set_code):
    card_set, _ = load_card_set(imported / "cards" / f"{set_code}.yaml")
    records = _corpus_records(corpus, set_code)
    assert card_set.set == set_code
    assert [c.id for c in card_set.cards] == [r["id"] for r in records]
    by_cat = lambda items, cat: sum(1 for x in items if x == cat)  # noqa: E731
    cats = [c.category for c in card_set.cards]
    assert by_cat(cats, "pokemon") == by_cat([r["category"] for r in records], "pokemon")
    assert by_cat(cats, "trainer") == by_cat([r["category"] for r in records], "trainer")


def test_imported_cards_keep_every_field(imported, corpus):
    card_set, _ = load_card_set(imported / "cards" / "A1.yaml")
    cards = {c.id: c for c in card_set.cards}
    for rec in _corpus_records(corpus, "A1"):
        card = cards[rec["id"]]
        assert card.name == rec["name"]
        if isinstance(card, PokemonCard):
            assert (card.stage, card.evolves_from, card.hp, card.type, card.weakness, card.retreat) == (
                rec["stage"], rec["evolves_from"], rec["hp"], rec["type"], rec["weakness"], rec["retreat"])
            assert (card.is_ex, card.is_mega) == (rec["is_ex"], rec["is_mega"])
            assert [(a.name, a.cost, a.damage, a.text) for a in card.attacks] == [
                (a["name"], a["cost"], a["damage"], a["text"]) for a in rec["attacks"]]
            assert (card.ability.model_dump() if card.ability else None) == rec["ability"]
        else:
            assert isinstance(card, TrainerCard)
            assert (card.trainer_kind, card.is_fossil, card.text) == (
                rec["trainer_kind"], bool(rec.get("is_fossil")), rec["text"])


def test_all_fourteen_sets_validate_as_one_pool(imported, corpus):
    loaded = load_spec(imported / "spec.yaml")
    total = sum(len(_corpus_records(corpus, s)) for s in CORPUS_SETS)
    assert len(loaded.cards) == total
    assert {s.set: len(s.cards) for s in loaded.sets} == {s: len(_corpus_records(corpus, s)) for s in CORPUS_SETS}
    texts = {(r["kind"], r["text"]) for r in map(json.loads, (corpus / "effect_texts.jsonl").read_text().splitlines())}
    from compiler.cli.validate import summarize
    assert summarize(loaded)["effect_texts"] == len(texts) == 554


@pytest.mark.parametrize("set_code, dangling", [("P-A", 23), ("A3a", 2), ("B1a", 3)])
def test_set_alone_may_not_name_basics_elsewhere(imported, set_code, dangling):
    """A set file may refer to other sets' cards, but a pool missing an evolution's basic is an error."""
    load_card_set(imported / "cards" / f"{set_code}.yaml")  # the file on its own is fine
    spec = imported / f"only-{set_code}.yaml"
    spec.write_text(f"name: only\ncard_sets: [cards/{set_code}.yaml]\n", encoding="utf-8")
    with pytest.raises(SpecError) as info:
        load_spec(spec)
    assert len(info.value.diagnostics) == dangling
    assert all("which is no card in the pool" in d.message for d in info.value.diagnostics)


def test_import_is_deterministic(imported, corpus, tmp_path):
    r = CliRunner().invoke(main, ["import-jsonl", str(corpus / "A1.jsonl"), "-o", str(tmp_path / "A1.yaml")])
    assert r.exit_code == 0
    assert (tmp_path / "A1.yaml").read_bytes() == (imported / "cards" / "A1.yaml").read_bytes()


def test_bad_jsonl_lines_are_located(tmp_path):
    good = ('{"id": "A1-094", "name": "Pikachu", "category": "pokemon", "stage": "basic", "hp": 60, '
            '"type": "Lightning", "retreat": 1, "attacks": []}')
    bad_hp = good.replace('"hp": 60', '"hp": "sixty"').replace("A1-094", "A1-095")
    p = tmp_path / "bad.jsonl"
    p.write_text("\n".join([good, "{not json", '{"name": "x"}', bad_hp]) + "\n", encoding="utf-8")
    with pytest.raises(SpecError) as info:
        read_jsonl(p)
    lines = [(d.line, d.message) for d in info.value.diagnostics]
    assert lines[0][0] == 2 and "invalid JSON" in lines[0][1]
    assert lines[1][0] == 3 and "missing field(s): id, category" in lines[1][1]
    assert lines[2][0] == 4 and "A1-095" in lines[2][1] and info.value.diagnostics[2].field == "hp"
    r = CliRunner().invoke(main, ["import-jsonl", str(p), "-o", str(tmp_path / "out.yaml")])
    assert r.exit_code == 2 and "bad.jsonl:2:" in r.output
    assert not (tmp_path / "out.yaml").exists()


def test_import_missing_file_exits_2(tmp_path):
    r = CliRunner().invoke(main, ["import-jsonl", str(tmp_path / "nope.jsonl"), "-o", str(tmp_path / "o.yaml")])
    assert r.exit_code == 2 and "file not found" in r.output


def test_schema_command_writes_valid_json_schemas(tmp_path):
    r = CliRunner().invoke(main, ["schema", "-o", str(tmp_path)])
    assert r.exit_code == 0
    spec_schema = json.loads((tmp_path / "tcgc-spec.schema.json").read_text())
    assert set(spec_schema["properties"]) >= {"name", "rules", "card_sets", "decks"}
    card_schema = json.loads((tmp_path / "tcgc-cardset.schema.json").read_text())
    assert "discriminator" in json.dumps(card_schema)
    r = CliRunner().invoke(main, ["schema", "--kind", "rules"])
    assert '"deck_size"' in r.output


def test_shipped_example_matches_the_corpus(imported):
    """examples/pocket-a1/cards/A1.yaml is exactly what `tcgc import-jsonl` makes of the corpus A1 set."""
    from .conftest import EXAMPLE_SPEC
    shipped = EXAMPLE_SPEC.parent / "cards" / "A1.yaml"
    assert shipped.read_bytes() == (imported / "cards" / "A1.yaml").read_bytes()


@pytest.mark.parametrize("set_code", CORPUS_SETS)
def test_committed_pool_matches_the_corpus(imported, set_code):
    """tests/data/pocket-all (used by engine and bench tests) is exactly the import of the corpus."""
    from .conftest import ROOT
    committed = ROOT / "tests" / "data" / "pocket-all" / "cards" / f"{set_code}.yaml"
    assert committed.read_bytes() == (imported / "cards" / f"{set_code}.yaml").read_bytes()


def test_wrong_kind_of_jsonl_stops_after_a_few_errors_and_says_what_it_is(tmp_path):
    p = tmp_path / "texts.jsonl"
    p.write_text("".join(json.dumps({"kind": "attack", "text": f"Heal {n} damage.", "cards": ["A1-001"]}) + "\n"
                         for n in range(300)), encoding="utf-8")
    r = CliRunner().invoke(main, ["import-jsonl", str(p), "-o", str(tmp_path / "out.yaml")])
    assert r.exit_code == 2 and isinstance(r.exception, SystemExit)
    out = r.output
    assert out.count("missing field(s): id, name, category") == 5, out
    assert "295 more not shown" in out
    assert "not a card dump" in out and "kind, text, cards" in out
    assert len(out.splitlines()) < 10


def test_a_few_bad_lines_are_all_reported(tmp_path):
    good = ('{"id": "A1-%03d", "name": "Pikachu", "category": "pokemon", "stage": "basic", "hp": 60, '
            '"type": "Lightning", "retreat": 1, "attacks": []}')
    lines = [good % n for n in range(1, 11)] + ['{"name": "x"}'] * 5
    p = tmp_path / "five.jsonl"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(SpecError) as info:
        read_jsonl(p)
    assert [d.line for d in info.value.diagnostics] == [11, 12, 13, 14, 15]
    assert info.value.omitted == 0 and "not shown" not in str(info.value)
