"""`tcgc diff`: real pairs built from the ../shared corpus (A1 vs A1 + A1a, a changed attack, a rules change,
identical specs), build directories, a git revision, the behaviour diff (a one-card nerf is significant, identical
engines are not) and every kind of bad input (exit 2, located, no traceback)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from compiler.cli import main
from compiler.diff import diff, load_side
from compiler.diff.behaviour import pairings, wilson, z_of
from compiler.spec import load_card_set, write_card_set
from spec_scraper.sources.jsonl import read_jsonl

from .conftest import EXAMPLE_SPEC

TWO_DECKS = ("venusaur-exeggutor", "charizard-moltres")
TROPICAL_40 = "Tropical Swing 40+: Flip a coin. If heads, this attack does 40 more damage."
TROPICAL_10 = "Tropical Swing 10+: Flip a coin. If heads, this attack does 30 more damage."


def spec_text(card_sets: list[str], overrides: str = "{}") -> str:
    """The example spec (its five decks) on other card-set files and rule overrides."""
    text = EXAMPLE_SPEC.read_text(encoding="utf-8")
    text = text.replace("  - cards/A1.yaml\n", "".join(f"  - {s}\n" for s in card_sets))
    return text.replace("overrides: {}", f"overrides: {overrides}")


def changed_set(src: Path, dest: Path, card_id: str, **attack0) -> None:
    """A copy of a card-set file with fields of one card's first attack changed."""
    cs, _ = load_card_set(src)
    cards = [c if c.id != card_id else c.model_copy(update={"attacks": [c.attacks[0].model_copy(update=attack0)]
                                                            + list(c.attacks[1:])}) for c in cs.cards]
    write_card_set(cs.model_copy(update={"cards": cards}), dest)


@pytest.fixture(scope="module")
def specs(tmp_path_factory, corpus) -> dict[str, Path]:
    """Specs built from the corpus: A1; A1 + A1a; A1 with Exeggutor ex's Tropical Swing at 10+ and its text at 30
    more; A1 with a Bench of 5; a second copy of A1's spec."""
    d = tmp_path_factory.mktemp("diff_specs")
    for s in ("A1", "A1a"):
        write_card_set(read_jsonl(corpus / f"{s}.jsonl"), d / f"{s}.yaml")
    changed_set(d / "A1.yaml", d / "A1-nerf.yaml", "A1-023", damage="10+",
                text="Flip a coin. If heads, this attack does 30 more damage.")
    files = {"a1": spec_text(["A1.yaml"]), "a1_copy": spec_text(["A1.yaml"]),
             "a1_a1a": spec_text(["A1.yaml", "A1a.yaml"]), "nerf": spec_text(["A1-nerf.yaml"]),
             "bench5": spec_text(["A1.yaml"], "{bench_size: 5}")}
    for name, text in files.items():
        (d / f"{name}.yaml").write_text(text, encoding="utf-8")
    return {name: d / f"{name}.yaml" for name in files} | {"dir": d}


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(main, ["diff", *map(str, args)])
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exc_info
    return r.exit_code, r.stdout, r.stderr


# --- identical -------------------------------------------------------------------------------------------------------

def test_identical_specs_exit_0_and_quiet_prints_nothing(specs):
    code, out, err = run(specs["a1"], specs["a1_copy"], "--quiet")
    assert (code, out, err) == (0, "", "")
    code, out, _ = run(specs["a1"], specs["a1_copy"])
    assert code == 0 and "no differences" in out
    code, out, _ = run(specs["a1"], specs["a1_copy"], "--stat")
    assert code == 0 and out.splitlines() == ["rules: same", "cards: same", "effects: same", "interface: same"]


# --- cards added ----------------------------------------------------------------------------------------------------

def test_a1_against_a1_plus_a1a_lists_the_added_cards(specs, corpus):
    a1a = [json.loads(line) for line in (corpus / "A1a.jsonl").read_text(encoding="utf-8").splitlines() if line]
    rep = diff(load_side(specs["a1"]), load_side(specs["a1_a1a"]))
    assert rep["differs"] == ["cards", "interface"]
    cards = rep["cards"]
    assert [c["id"] for c in cards["added"]] == [c.id for c in read_jsonl(corpus / "A1a.jsonl").cards]
    assert len(cards["added"]) == len(a1a) == 68 and cards["removed"] == cards["changed"] == []
    assert (cards["a_count"], cards["b_count"]) == (225, 293)
    assert rep["rules"]["changed"] == [] and rep["effects"]["changed"] == rep["effects"]["moved"] == []
    # new cards get new indices; no old card moves, so a trained policy's observation keeps its meaning
    ui = rep["interface"]
    assert not ui["breaking"] and ui["cards"] == {"moved": [], "removed": [], "added": 68}

    code, out, _ = run(specs["a1"], specs["a1_a1a"])
    assert code == 1
    assert "Cards: 68 added (225 -> 293 cards)" in out and "  + A1a-003 Celebi ex" in out
    assert "… 8 more (--json lists all)" in out  # 60 listed in text
    code, out, _ = run(specs["a1"], specs["a1_a1a"], "--stat")
    assert out.splitlines() == ["rules: same", "cards: 68 added (225 -> 293 cards)", "effects: same",
                                "interface: 68 new card indices"]


# --- one attack's damage and text -----------------------------------------------------------------------------------

def test_a_changed_attack_shows_its_effect_in_canonical_english_and_the_ir_paths(specs):
    rep = diff(load_side(specs["a1"]), load_side(specs["nerf"]))
    assert rep["differs"] == ["cards", "effects"]
    (card,) = rep["cards"]["changed"]
    assert card["id"] == "A1-023" and card["name"] == "Exeggutor ex"
    assert [(f["path"], f["a"], f["b"]) for f in card["fields"]] == [
        ("attacks[0](Tropical Swing).damage", "40+", "10+"),
        ("attacks[0](Tropical Swing).text", "Flip a coin. If heads, this attack does 40 more damage.",
         "Flip a coin. If heads, this attack does 30 more damage.")]
    (eff,) = rep["effects"]["changed"]
    assert (eff["card"], eff["effect"], eff["a"], eff["b"]) == ("A1-023", "attack Tropical Swing", TROPICAL_40,
                                                                TROPICAL_10)
    assert [(p["path"], p["a"], p["b"]) for p in eff["paths"]] == [
        ("base_damage", 40, 10), ("effect.steps[1].then[0].amount.value", 40, 30)]
    assert eff["a_status"] == eff["b_status"] == "parsed" and rep["effects"]["moved"] == []
    assert not rep["interface"]["breaking"]

    code, out, _ = run(specs["a1"], specs["nerf"])
    assert code == 1
    lines = out.splitlines()
    i = lines.index("  ~ A1-023 Exeggutor ex, attack Tropical Swing [parsed]")
    assert lines[i + 1:i + 5] == [f"      - {TROPICAL_40}", f"      + {TROPICAL_10}", "      IR:",
                                  "        base_damage: 40 -> 10"]


def test_an_effect_that_no_longer_parses_moves_to_unresolved_and_a_deck_change_is_listed(specs, tmp_path):
    cs, _ = load_card_set(specs["dir"] / "A1.yaml")
    cards = [c.model_copy(update={"text": "Heal all damage from your Pokémon once the moon is full."})
             if c.id == "A1-219" else c for c in cs.cards]
    write_card_set(cs.model_copy(update={"cards": cards}), tmp_path / "A1.yaml")
    text = spec_text([str(tmp_path / "A1.yaml")]).replace("      A1-219: 2   # Erika\n", "      A1-222: 2\n")
    (tmp_path / "spec.yaml").write_text(text, encoding="utf-8")
    rep = diff(load_side(specs["a1"]), load_side(tmp_path / "spec.yaml"))
    assert rep["effects"]["moved"] == [{"card": "A1-219", "name": "Erika", "effect": "trainer", "a": "parsed",
                                        "b": "unresolved"}]
    (eff,) = rep["effects"]["changed"]
    assert eff["a"] == "Heal 50 damage from 1 of your [G] Pokémon." and eff["paths"][0]["path"] == ""
    (deck,) = rep["cards"]["decks"]["changed"]
    assert deck["name"] == "venusaur-exeggutor"
    assert {(f["path"], f["a"], f["b"]) for f in deck["fields"]} == {("cards.A1-219", 2, None),
                                                                      ("cards.A1-222", None, 2)}


# --- rules change: breaking interface -------------------------------------------------------------------------------

def test_bench_size_3_to_5_flags_the_action_layout_as_breaking_with_the_mapping(specs):
    code, out, _ = run(specs["a1"], specs["bench5"], "--json")
    assert code == 1
    rep = json.loads(out)
    assert rep["rules"]["changed"] == [{"field": "bench_size", "a": 3, "b": 5}]
    ui = rep["interface"]
    assert ui["breaking"] and ui["reasons"] == ["action layout", "observation", "state fields"]
    acts = ui["actions"]
    assert (acts["a_size"], acts["b_size"]) == (85, 111) and acts["removed"] == []
    added = {x["name"] for x in acts["added"]}
    assert {"attach_energy:bench4", "attach_energy:bench5", "retreat:bench5", "ability:bench4"} <= added
    # every old action still exists: the mapping sends each old name to its new index
    b_names = load_side(specs["bench5"]).interface().actions
    a_names = load_side(specs["a1"]).interface().actions
    assert len(acts["mapping"]) == 85 and all(b_names[i] == n for n, i in acts["mapping"].items())
    assert acts["mapping"]["end_turn"] == 0 and acts["mapping"]["play:hand0"] == b_names.index("play:hand0") == 7
    assert {x["name"] for x in acts["moved"]} == {n for n in a_names if b_names.index(n) != a_names.index(n)}
    assert ui["observation"]["a_size"] == 476 and ui["observation"]["b_size"] > 476
    assert {"field": "card", "a": [[2, 4], "int16"], "b": [[2, 6], "int16"]} in ui["state"]["changed"]

    code, out, _ = run(specs["a1"], specs["bench5"])
    assert "Engine interface: BREAKING for trained policies: actions 85 -> 111" in out
    assert "      play:hand0: 5 -> 7" in out and "  bench_size: 3 -> 5" in out


# --- build directories -------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def builds(specs, tmp_path_factory) -> dict[str, Path]:
    from compiler.cli.build import build

    out = {}
    for name in ("a1", "bench5"):
        out[name] = build(specs[name], tmp_path_factory.mktemp(f"build_{name}"), allow_unresolved=True)["package"]
    return out


def test_build_directories_compare_by_their_manifest(specs, builds):
    rep = diff(load_side(builds["a1"]), load_side(builds["bench5"]))
    assert rep["rules"]["changed"] == [{"field": "bench_size", "a": 3, "b": 5}]
    assert rep["interface"]["breaking"] and rep["cards"]["detail"] == "names"
    spec_rep = diff(load_side(specs["a1"]), load_side(specs["bench5"]))
    assert rep["interface"]["actions"] == spec_rep["interface"]["actions"]
    assert rep["interface"]["state"] == spec_rep["interface"]["state"]
    assert rep["effects"] == {"available": False, "compared": "refused", "changed": [], "moved": [],
                              "note": rep["effects"]["note"]}


def test_a_spec_and_its_own_build_have_the_same_interface(specs, builds):
    """The reference engine's interface (what the diff reads from a spec) is the one the build records."""
    rep = diff(load_side(specs["a1"]), load_side(builds["a1"] / "MANIFEST.json"))
    assert not rep["interface"]["breaking"] and rep["interface"]["cards"] == {"moved": [], "removed": [], "added": 0}
    assert rep["interface"]["observation"]["a_size"] == rep["interface"]["observation"]["b_size"] == 476
    assert rep["rules"]["changed"] == [] and rep["cards"]["added"] == rep["cards"]["removed"] == []


def test_build_directories_report_cards_moved_between_compiled_and_refused(builds, tmp_path):
    m = json.loads((builds["a1"] / "MANIFEST.json").read_text(encoding="utf-8"))
    m["refused"].append({"id": "A1-001", "name": "Bulbasaur", "reasons": ["pretend"]})
    (tmp_path / "MANIFEST.json").write_text(json.dumps(m), encoding="utf-8")
    code, out, _ = run(builds["a1"], tmp_path)
    assert code == 1 and "  > A1-001 Bulbasaur, card: compiled -> refused (pretend)" in out


# --- behaviour ------------------------------------------------------------------------------------------------------

def test_the_behaviour_diff_detects_a_one_card_nerf(specs, tmp_path):
    prefix = tmp_path / "game"
    rep = diff(load_side(specs["a1"]), load_side(specs["nerf"]), games=300, decks=TWO_DECKS, replay=prefix)
    (p,) = rep["behaviour"]["pairings"]
    assert (p["deck0"], p["deck1"]) == TWO_DECKS
    w = p["win_rate"]
    assert w["significant"] and w["ci"][1] < 0  # Exeggutor ex at 10+ instead of 40+ loses more often
    assert p["b"]["win_rate"] < p["a"]["win_rate_ci"][0]  # beyond A's own interval
    assert 0 < p["games_differ"] < 300 and rep["behaviour"]["games_differ"] == p["games_differ"]
    d = rep["behaviour"]["first_divergence"]
    assert d["a"] != d["b"] and d["files"] == [f"{prefix}.a.json", f"{prefix}.b.json"]
    # the replay files step through on the reference engine, each to its recorded result
    for f in d["files"]:
        rec = json.loads(Path(f).read_text(encoding="utf-8"))
        assert rec["seed"] == d["seed"] and rec["divergence"]["step"] == d["step"]
        r = CliRunner().invoke(main, ["play", "--replay", f], input="")
        assert r.exit_code == 0 and "the replay ends as recorded" in r.output, r.output[-2000:]


def test_identical_engines_report_no_significant_difference(specs):
    a, b = load_side(specs["a1"]), load_side(specs["a1_copy"])
    same = diff(a, b, games=150, decks=TWO_DECKS)["behaviour"]
    assert same["games_differ"] == 0 and same["first_divergence"] is None
    assert not same["pairings"][0]["significant"] and same["pairings"][0]["win_rate"]["delta"] == 0
    # independent games (other seeds for B) on the same engine: the intervals cover 0, as they should
    rep = diff(a, b, games=300, decks=TWO_DECKS, seed_b=10_000)["behaviour"]
    (p,) = rep["pairings"]
    assert p["games_differ"] == 300 and not p["significant"], p
    assert p["win_rate"]["ci"][0] < 0 < p["win_rate"]["ci"][1] and p["turns"]["ci"][0] < 0 < p["turns"]["ci"][1]
    assert abs(p["a"]["win_rate"] - p["b"]["win_rate"]) < 0.08


def test_random_decks_play_the_same_cards_on_both_sides(specs):
    rep = diff(load_side(specs["a1"]), load_side(specs["a1_a1a"]), games=20, random_decks=2, seed=4)["behaviour"]
    assert list(rep["decks"]) == ["random-0", "random-1"] and rep["skipped"] == []
    assert all(len(ids) == 20 and all(c.startswith("A1-") for c in ids) for ids in rep["decks"].values())
    assert len(rep["pairings"]) == 1 and rep["games_differ"] == 0  # A1a's cards change no game of A1 cards
    # decks drawn from A1 + A1a hold A1a cards, which A1 lacks: B skips them, named
    back = diff(load_side(specs["a1_a1a"]), load_side(specs["a1"]), games=2, random_decks=3, seed=4)["behaviour"]
    assert back["skipped"] and all(k["side"] == "b" and k["reason"].startswith("B has no card A1a-")
                                   for k in back["skipped"])
    left = [n for n in back["decks"] if n not in {k["deck"] for k in back["skipped"]}]
    assert [(p["deck0"], p["deck1"]) for p in back["pairings"]] == pairings(left, ("greedy", "greedy"))


def test_pairings():
    assert pairings(["x", "y", "z"], ("greedy", "greedy")) == [("x", "y"), ("x", "z"), ("y", "z")]
    assert pairings(["x"], ("random", "random")) == [("x", "x")]
    assert pairings(["x", "y"], ("greedy", "random")) == [("x", "x"), ("x", "y"), ("y", "x"), ("y", "y")]


def test_behaviour_on_the_command_line(specs, tmp_path):
    code, out, _ = run(specs["a1"], specs["nerf"], "--games", "40", "--deck", TWO_DECKS[0], "--deck", TWO_DECKS[1],
                       "--replay", tmp_path / "g", "--stat")
    assert code == 1 and out.splitlines()[-1].startswith("behaviour: 1 pairing, ")
    code, out, _ = run(specs["a1"], specs["a1_copy"], "--games", "20", "--deck", TWO_DECKS[0], "--deck",
                       TWO_DECKS[1], "--replay", tmp_path / "h")
    assert code == 0 and "no differences (and the same 20 games)" in out and not list(tmp_path.glob("h*"))


def test_wilson_interval():
    lo, hi = wilson(50, 100, z_of(0.95))
    assert round(lo, 3) == 0.404 and round(hi, 3) == 0.596
    assert wilson(0, 20, 1.96)[0] == 0.0 and 0.1 < wilson(0, 20, 1.96)[1] < 0.2


# --- colour ---------------------------------------------------------------------------------------------------------

def test_colour_only_when_asked_or_on_a_terminal(specs):
    _, plain, _ = run(specs["a1"], specs["nerf"])
    _, coloured, _ = run(specs["a1"], specs["nerf"], "--color", "always")
    assert "\x1b[" not in plain and "\x1b[" in coloured
    _, never, _ = run(specs["a1"], specs["nerf"], "--color", "never")
    assert never == plain


# --- git revisions ----------------------------------------------------------------------------------------------

def test_git_revision_of_a_spec(specs, tmp_path, monkeypatch):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    (repo / "game" / "cards").mkdir(parents=True)
    shutil.copy(specs["dir"] / "A1.yaml", repo / "game" / "cards" / "A1.yaml")
    (repo / "game" / "spec.yaml").write_text(spec_text(["cards/A1.yaml"]), encoding="utf-8")

    def git(*args):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=repo, check=True,
                       capture_output=True)
    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "A1")
    monkeypatch.chdir(repo)
    code, out, _ = run("--git", "HEAD", "game/spec.yaml", "--quiet")
    assert (code, out) == (0, "")
    changed_set(specs["dir"] / "A1.yaml", repo / "game" / "cards" / "A1.yaml", "A1-023", damage="10+")
    code, out, _ = run("--git", "HEAD", "game/spec.yaml")
    assert code == 1 and out.splitlines()[0] == "--- a: HEAD:game/spec.yaml (spec)"
    assert 'attacks[0](Tropical Swing).damage: "40+" -> "10+"' in out
    # errors at the revision name REV:path
    (repo / "game" / "spec.yaml").write_text("name: [\n", encoding="utf-8")
    git("commit", "-qam", "broken")
    code, _, err = run("--git", "HEAD", "game/spec.yaml")
    assert code == 2 and err.startswith("error: HEAD:game/spec.yaml:") and "Traceback" not in err
    code, _, err = run("--git", "no-such-rev", "game/spec.yaml")
    assert code == 2 and "--git no-such-rev" in err


# --- bad input -----------------------------------------------------------------------------------------------------

def _bad(args, *needles) -> None:
    code, out, err = run(*args)
    assert code == 2, (out, err)
    assert err.startswith("error: ") and "Traceback" not in err
    for n in needles:
        assert n in err, err


def test_missing_file(specs, tmp_path):
    _bad([specs["a1"], tmp_path / "nope.yaml"], "nope.yaml", "no such file or directory")


def test_spec_with_a_yaml_syntax_error(specs, tmp_path):
    (tmp_path / "spec.yaml").write_text("name: pocket\nrules: [\n", encoding="utf-8")
    _bad([tmp_path / "spec.yaml", specs["a1"]], "spec.yaml:", "YAML syntax error")


def test_spec_with_an_unknown_key(specs, tmp_path):
    (tmp_path / "spec.yaml").write_text(spec_text([str(specs["dir"] / "A1.yaml")]) + "colour: blue\n",
                                        encoding="utf-8")
    _bad([specs["a1"], tmp_path / "spec.yaml"], "[colour] unknown key")


def test_a_card_set_is_not_a_spec(specs):
    _bad([specs["dir"] / "A1a.yaml", specs["a1"]], "A1a.yaml", "required field is missing")


def test_directory_without_manifest_or_spec(specs, tmp_path):
    _bad([tmp_path, specs["a1"]], "a directory without MANIFEST.json")


def test_manifest_that_is_not_json(specs, tmp_path):
    (tmp_path / "MANIFEST.json").write_text('{"name": "x",\n  oops}', encoding="utf-8")
    _bad([tmp_path, specs["a1"]], "MANIFEST.json:2:", "not JSON")


def test_manifest_without_the_fields(specs, tmp_path):
    (tmp_path / "MANIFEST.json").write_text('{"name": "x", "cards": []}', encoding="utf-8")
    _bad([tmp_path, specs["a1"]], "[action_layout] missing", "[rules] missing")


def test_games_need_specs_and_known_decks(specs, builds):
    _bad([builds["a1"], specs["a1"], "--games", "2"], "--games plays games on the reference engine")
    _bad([specs["a1"], specs["a1_copy"], "--games", "2", "--deck", "nope"], "no deck 'nope' in both specs")
    _bad([specs["a1"], specs["a1_copy"], "--games", "2", "--deck", TWO_DECKS[0], "--random-decks", "2"],
         "not both")


def test_bad_options(specs):
    _bad([specs["a1"]], "give two paths")
    _bad([specs["a1"], specs["a1"], "--git", "HEAD"], "--git REV compares one SPEC")
    _bad([specs["a1"], specs["a1"], "--json", "--stat"], "choose one")
    _bad([specs["a1"], specs["a1"], "--bot", "greedy", "--bot", "greedy", "--bot", "random"], "at most two --bot")


def test_git_outside_a_repository(tmp_path):
    (tmp_path / "spec.yaml").write_text("name: x\n", encoding="utf-8")
    _bad(["--git", "HEAD", tmp_path / "spec.yaml"], "spec.yaml")
