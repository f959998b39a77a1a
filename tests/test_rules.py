"""Rule files are validated on load, with one error naming file, rule and reason."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import reportnlp
from reportnlp.nlp.rules import RULE_FILES, RuleError, builtin_patterns_dir, load_rules


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


def test_bad_regex_is_rejected(rules_copy: Path) -> None:
    edit(rules_copy, "anatomy.json", lambda d: d["anatomy_rules"][1].update(regex="(unclosed"))
    with pytest.raises(RuleError, match=r"anatomy\.json: rule .*: bad regex"):
        load_rules(rules_copy)


def test_bad_all_levels_regex_names_the_rule(rules_copy: Path) -> None:
    edit(rules_copy, "anatomy.json", lambda d: d["all_levels"].update(regex="(unclosed"))
    with pytest.raises(RuleError, match=r"anatomy\.json: rule all_levels: bad regex"):
        load_rules(rules_copy)


def test_catastrophic_regex_is_rejected(rules_copy: Path) -> None:
    edit(rules_copy, "anatomy.json", lambda d: d["anatomy_rules"][1].update(regex="(a+)+b"))
    with pytest.raises(RuleError, match="nested quantifier"):
        load_rules(rules_copy)


def test_duplicate_rule_id_is_rejected(rules_copy: Path) -> None:
    edit(rules_copy, "context.json", lambda d: d["context_rules"].append(dict(d["context_rules"][0])))
    with pytest.raises(RuleError, match="duplicate id"):
        load_rules(rules_copy)


def test_bad_direction_is_rejected(rules_copy: Path) -> None:
    edit(rules_copy, "context.json", lambda d: d["context_rules"][0].update(direction="SIDEWAYS"))
    with pytest.raises(RuleError, match="direction must be one of"):
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
