"""Rule files are validated on load, with one error naming file, rule and reason."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

import reportnlp
from reportnlp.nlp.rules import MAX_RULE_FILE_BYTES, RULE_FILES, RuleError, builtin_patterns_dir, load_rules


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    for name in RULE_FILES:
        shutil.copy(builtin_patterns_dir() / name, tmp_path / name)
    return tmp_path


def edit(folder: Path, name: str, change) -> None:  # type: ignore[no-untyped-def]
    data = json.loads((folder / name).read_text())
    change(data)
    (folder / name).write_text(json.dumps(data))


def test_builtin_rules_load() -> None:
    rules = load_rules()
    assert rules.targets["target_rules"] and len(rules.sha256) == 64


def test_bad_json_names_the_file(rules_copy: Path) -> None:
    (rules_copy / "context.json").write_text("{not json")
    with pytest.raises(RuleError, match=r"^context.json: not valid JSON"):
        load_rules(rules_copy)


def test_unknown_key_names_file_and_rule(rules_copy: Path) -> None:
    edit(rules_copy, "targets.json", lambda d: d["target_rules"][0].update(colour="red"))
    rid = json.loads((rules_copy / "targets.json").read_text())["target_rules"][0]["metadata"]["id"]
    with pytest.raises(RuleError, match=rf"^targets.json: rule {rid}: unknown key\(s\): colour"):
        load_rules(rules_copy)


def test_unknown_concept_is_rejected(rules_copy: Path) -> None:
    edit(rules_copy, "targets.json", lambda d: d["target_rules"][0].update(category="nope"))
    with pytest.raises(RuleError, match="unknown concept 'nope'"):
        load_rules(rules_copy)


def test_presses_on_must_be_true_or_false(rules_copy: Path) -> None:
    edit(rules_copy, "targets.json", lambda d: d["concepts"]["cord_compression"].update(presses_on="yes"))
    with pytest.raises(RuleError, match="concept cord_compression: 'presses_on' must be true or false"):
        load_rules(rules_copy)


def test_bone_exam_must_be_true_or_false(rules_copy: Path) -> None:
    edit(rules_copy, "anatomy.json", lambda d: d["anatomy_rules"][1].update(bone_exam="yes"))
    with pytest.raises(RuleError, match="bone_exam must be true or false"):
        load_rules(rules_copy)


def test_a_joints_bones_must_be_bone_values(rules_copy: Path) -> None:
    edit(rules_copy, "anatomy.json", lambda d: d["joint_bones"]["joints"].update(shoulder=["humerus", "arm"]))
    with pytest.raises(RuleError, match="joint_bones: shoulder: a list of bone values"):
        load_rules(rules_copy)


def test_bad_regex_is_rejected(rules_copy: Path) -> None:
    edit(rules_copy, "anatomy.json", lambda d: d["anatomy_rules"][1].update(regex="(unclosed"))
    with pytest.raises(RuleError, match=r"anatomy\.json: rule .*: bad regex"):
        load_rules(rules_copy)


def test_bad_all_levels_regex_names_the_rule(rules_copy: Path) -> None:
    edit(rules_copy, "anatomy.json", lambda d: d["all_levels"].update(regex="(unclosed"))
    with pytest.raises(RuleError, match=r"anatomy\.json: rule all_levels: bad regex"):
        load_rules(rules_copy)


CATASTROPHIC = ["(a+)+b", "(a|a)*b", r"(\w+\s?)+$", "(a|aa)+c", "(a|a?)+$"]


@pytest.mark.parametrize("regex", CATASTROPHIC)
def test_a_catastrophic_regex_cannot_hang_the_run(rules_copy: Path, regex: str) -> None:
    """Shapes that make Python's re backtrack for ever are accepted: RE2 matches them in linear time."""
    from reportnlp.nlp.components.locations import AnatomyFinder
    from reportnlp.records.patient import PatientFinder

    edit(rules_copy, "anatomy.json", lambda d: d["anatomy_rules"][1].update(regex=regex))
    edit(rules_copy, "patient.json", lambda d: d["sex_rules"][0].update(regex=regex))
    rules = load_rules(rules_copy)
    trigger = "a" * 60 + "!" + " word" * 30 + "!"
    start = time.monotonic()
    AnatomyFinder(rules.anatomy).find(trigger * 3, 0)
    PatientFinder(rules.patient).find(trigger * 3)
    assert time.monotonic() - start < 2


@pytest.mark.parametrize(("regex", "why"), [
    ("(?<!x)ribs?", "lookbehind"), ("ribs?(?!x)", "lookahead"), (r"(rib)\1", "backreference"),
    ("(?P<a>rib)(?P=a)", "named backreference"), ("(?>rib)", "atomic group"), ("ribs?+", "possessive"),
])
def test_a_regex_re2_cannot_compile_is_refused_naming_file_and_rule(rules_copy: Path, regex: str, why: str) -> None:
    edit(rules_copy, "anatomy.json", lambda d: d["anatomy_rules"][1].update(regex=regex))
    rid = json.loads((rules_copy / "anatomy.json").read_text())["anatomy_rules"][1]["id"]
    with pytest.raises(RuleError, match=rf"^anatomy\.json: rule {rid}: bad regex") as info:
        load_rules(rules_copy)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(("file", "where"), [
    ("patient.json", lambda d: d["age_rules"][0]), ("anatomy.json", lambda d: d["all_levels"]),
])
def test_patient_and_all_levels_regexes_are_re2_too(rules_copy: Path, file: str, where) -> None:  # type: ignore[no-untyped-def]
    edit(rules_copy, file, lambda d: where(d).update(regex="(?P<age>\\d+)(?= years)"))
    with pytest.raises(RuleError, match=rf"^{file}: rule .*: bad regex: not accepted by RE2"):
        load_rules(rules_copy)


def test_a_token_pattern_regex_must_compile_with_re2(rules_copy: Path) -> None:
    edit(rules_copy, "targets.json", lambda d: d["target_rules"].append(
        {"id": "lookahead_token", "concept": "fracture", "pattern": [{"LOWER": {"REGEX": "^frac(?!t)"}}]}))
    with pytest.raises(RuleError, match=r"^targets\.json: rule lookahead_token: bad regex: not accepted by RE2"):
        load_rules(rules_copy)


def test_duplicate_json_keys_are_refused(rules_copy: Path) -> None:
    text = (rules_copy / "sections.json").read_text()
    (rules_copy / "sections.json").write_text(text.replace('"name":', '"name": "x", "name":', 1))
    with pytest.raises(RuleError, match=r'^sections\.json: not valid JSON \(duplicate key "name"\)$'):
        load_rules(rules_copy)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_refused_without_blocking(rules_copy: Path) -> None:
    (rules_copy / "context.json").unlink()
    os.mkfifo(rules_copy / "context.json")
    with pytest.raises(RuleError, match=r"^context\.json: not a regular file$"):
        load_rules(rules_copy)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_symlink_to_a_device_is_refused(rules_copy: Path) -> None:
    (rules_copy / "patient.json").unlink()
    (rules_copy / "patient.json").symlink_to("/dev/zero")
    with pytest.raises(RuleError, match=r"^patient\.json: not a regular file$"):
        load_rules(rules_copy)


def test_a_huge_rule_file_is_refused_unread(rules_copy: Path) -> None:
    with (rules_copy / "targets.json").open("r+b") as f:
        f.truncate(MAX_RULE_FILE_BYTES + 1)
    with pytest.raises(RuleError, match=r"^targets\.json: larger than 10,000,000 bytes$"):
        load_rules(rules_copy)


def test_duplicate_rule_id_is_rejected(rules_copy: Path) -> None:
    edit(rules_copy, "context.json", lambda d: d["context_rules"].append(dict(d["context_rules"][0])))
    with pytest.raises(RuleError, match="duplicate id"):
        load_rules(rules_copy)


def test_bad_direction_is_rejected(rules_copy: Path) -> None:
    edit(rules_copy, "context.json", lambda d: d["context_rules"][0].update(direction="SIDEWAYS"))
    with pytest.raises(RuleError, match="direction must be one of"):
        load_rules(rules_copy)


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"before": "(?<=no )"}, "bad regex"),
        ({"category": "SIDEWAYS"}, "not a declared category"),
        ({"category": "TERMINATE"}, "not a declared category with an assertion"),
        ({"allowed_types": ["no_such_concept"]}, "unknown concept"),
    ],
)
def test_a_bad_frame_cue_is_refused_naming_it(rules_copy: Path, change: dict[str, object], why: str) -> None:
    edit(rules_copy, "context.json", lambda d: d["frame_cues"][0].update(change))
    with pytest.raises(RuleError, match=rf"context\.json: rule frame_modal_before_verb: .*{why}"):
        load_rules(rules_copy)


def test_a_frame_cue_needs_words_on_one_side_at_least(rules_copy: Path) -> None:
    edit(rules_copy, "context.json", lambda d: d["frame_cues"][0].pop("before"))
    with pytest.raises(RuleError, match="needs 'before', 'after' or both"):
        load_rules(rules_copy)


def test_token_pattern_spacy_rejects_names_the_rule(rules_copy: Path) -> None:
    edit(rules_copy, "targets.json", lambda d: d["target_rules"].append(
        {"id": "broken_pattern", "concept": "fracture", "pattern": [{"LOWERCASE": "x"}]}))
    load_rules(rules_copy)  # the file is well-formed; spaCy itself rejects the token attribute
    with pytest.raises(RuleError, match=r"targets\.json: rule broken_pattern: token pattern rejected"):
        reportnlp.load(rules_copy)


def test_missing_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(RuleError, match="patterns folder not found"):
        load_rules(tmp_path / "absent")


def test_custom_rule_folder_changes_the_result(rules_copy: Path) -> None:
    from reportnlp.run.extractor import Extractor

    edit(rules_copy, "targets.json", lambda d: d["target_rules"].append(
        {"id": "local_word", "concept": "fracture", "literal": "crackle"}))
    record = Extractor(rules_copy).record_for_text("t", "FINDINGS: Rib crackle.")
    assert record["labels"]["fracture"] == "present"


def test_a_rule_that_could_rescan_the_text_from_every_word_runs_in_one_pass(rules_copy: Path) -> None:
    """`\\ba[^!]*!` tried at each of 100,000 word starts would read the rest of the text each time."""
    from reportnlp.nlp.components.locations import AnatomyFinder

    edit(rules_copy, "anatomy.json", lambda d: d["anatomy_rules"][1].update(regex=r"\ba[^!]*!"))
    finder = AnatomyFinder(load_rules(rules_copy).anatomy)
    start = time.monotonic()
    finder.find("a " * 100_000, 0)
    assert time.monotonic() - start < 2


def test_system_labels_must_continue_known_categories(rules_copy: Path) -> None:
    edit(rules_copy, "sections.json", lambda d: d["system_labels"].update({"continue": ["history", "nowhere"]}))
    with pytest.raises(RuleError, match=r"^sections\.json: rule system_labels: 'continue' names unknown categories: nowhere$"):
        load_rules(rules_copy)


def _cue(literal: str, rid: str, category: str = "POSSIBLE_EXISTENCE") -> dict[str, object]:
    return {"literal": literal, "category": category, "direction": "FORWARD", "metadata": {"id": rid}}


def test_two_rules_of_one_category_that_tokenize_alike_are_refused_naming_both(rules_copy: Path) -> None:
    """'cannot' is split into 'can' 'not': the two spellings would tie, and the matcher's order would pick the id."""
    edit(rules_copy, "context.json", lambda d: d["context_rules"].extend([
        _cue("cannot quite exclude", "tie_one"), _cue("can not quite exclude", "tie_two"),
    ]))
    with pytest.raises(RuleError, match=r"^context.json: rule tie_two: matches the same tokens as rule tie_one"):
        load_rules(rules_copy)


def test_a_plain_token_pattern_ties_with_the_literal_it_spells(rules_copy: Path) -> None:
    pattern = {**_cue("spelled out", "tie_pattern"), "pattern": [{"LOWER": "can"}, {"LOWER": "not"}, {"LOWER": "quite"}]}
    edit(rules_copy, "context.json", lambda d: d["context_rules"].extend([_cue("cannot quite", "tie_literal"), pattern]))
    with pytest.raises(RuleError, match="rule tie_pattern: matches the same tokens as rule tie_literal"):
        load_rules(rules_copy)


def test_the_same_words_in_two_categories_are_no_tie(rules_copy: Path) -> None:
    edit(rules_copy, "context.json", lambda d: d["context_rules"].extend([
        _cue("cannot quite exclude", "own_one"), _cue("can not quite exclude", "own_two", category="HYPOTHETICAL"),
    ]))
    assert load_rules(rules_copy).context["context_rules"][-1]["metadata"]["id"] == "own_two"


def test_ends_at_label_must_be_true_or_false(rules_copy: Path) -> None:
    edit(rules_copy, "sections.json", lambda d: d["section_rules"][0]["metadata"].update(ends_at_label="yes"))
    with pytest.raises(RuleError, match="'ends_at_label' must be true or false"):
        load_rules(rules_copy)


def slip_rule(doc: dict[str, object]) -> dict[str, object]:
    return next(r for r in doc["anatomy_rules"] if r["id"] == "spine_level_slip_on")  # type: ignore[attr-defined,no-any-return]


def test_the_slip_words_of_a_vertebra_slipped_on_the_next_come_from_its_rule(rules_copy: Path) -> None:
    """"L5 on S1" is one slipped segment only where its sentence says a slip; which words say one is the rule's
    ``metadata.slip_words`` in anatomy.json, not code."""
    from reportnlp.nlp.components.locations import AnatomyFinder

    text = "Satisfactory alignment of C1 on C2."
    assert [a.rule for a in AnatomyFinder(load_rules().anatomy).find(text, 0)] != ["spine_level_slip_on"]
    edit(rules_copy, "anatomy.json", lambda d: slip_rule(d)["metadata"].update(slip_words="alignment"))
    found = AnatomyFinder(load_rules(rules_copy).anatomy).find(text, 0)
    assert [(a.rule, a.levels) for a in found] == [("spine_level_slip_on", ["C1-C2"])]


@pytest.mark.parametrize(("change", "why"), [
    (lambda r: r["metadata"].update(slip_words="(unclosed"), "bad regex"),
    (lambda r: r["metadata"].update(slip_words="(?<!anterior )listhesis"), "bad regex: not accepted by RE2"),
    (lambda r: r["metadata"].update(slip_words=["slip"]), "metadata.slip_words must be a non-empty regex string"),
    (lambda r: r["metadata"].update(slip_words=""), "metadata.slip_words must be a non-empty regex string"),
    (lambda r: r["metadata"].update(slip_word="slip"), r"unknown key\(s\): slip_word"),
    (lambda r: r.update(metadata="slip"), "must be a JSON object"),
    (lambda r: r.update(kind="bone", value="spine"), "metadata.slip_words is read only on a level rule"),
])
def test_malformed_slip_words_are_refused_naming_file_and_rule(rules_copy: Path, change, why: str) -> None:  # type: ignore[no-untyped-def]
    edit(rules_copy, "anatomy.json", lambda d: change(slip_rule(d)))
    with pytest.raises(RuleError, match=rf"^anatomy\.json: rule spine_level_slip_on: {why}") as info:
        load_rules(rules_copy)
    assert "\n" not in str(info.value)
