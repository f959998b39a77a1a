"""Rule files in medspaCy's own shapes; older reportnlp-shaped folders are upgraded (on load and in place)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from medspacy.context import ConTextRule
from medspacy.section_detection import SectionRule
from medspacy.target_matcher import TargetRule

from reportnlp.nlp.rule_shapes import RULE_LISTS, is_old, main, upgrade_folder, upgrade_section, upgrade_target
from reportnlp.nlp.rules import RULE_FILES, RuleError, builtin_patterns_dir, load_rules

OLD_TARGET = {"id": "pars_defect", "concept": "fracture", "pattern": [{"LOWER": "pars"}], "meta": {"needs_spine": True}}
OLD_CONTEXT = {"id": "neg_no", "category": "NEGATED_EXISTENCE", "direction": "FORWARD", "literal": "no", "comment": "x"}


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    for name in RULE_FILES:
        shutil.copy(builtin_patterns_dir() / name, tmp_path / name)
    return tmp_path


def _old_shape(folder: Path) -> None:
    """Write the target, context and change rules of ``folder`` back in reportnlp's former shape."""
    for name in ("targets.json", "context.json", "change.json"):
        data = json.loads((folder / name).read_text())
        key = RULE_LISTS[name]
        rules = []
        for r in data[key]:
            meta = dict(r.get("metadata") or {})
            rid = meta.pop("id", None) or r["id"]
            old = {"id": rid, **{k: v for k, v in r.items() if k not in ("metadata", "id")}}
            if name == "targets.json" and "category" in old:
                old["concept"] = old.pop("category")
                if meta:
                    old["meta"] = meta
            elif "comment" in meta:
                old["comment"] = meta["comment"]
            if "pattern" in old:
                old.pop("literal", None)
            rules.append(old)
        data[key] = rules
        (folder / name).write_text(json.dumps(data))


def test_old_target_rule_becomes_a_target_rule() -> None:
    new = upgrade_target(OLD_TARGET)
    assert new == {"literal": "pars_defect", "category": "fracture", "pattern": [{"LOWER": "pars"}],
                   "metadata": {"id": "pars_defect", "needs_spine": True}}
    assert TargetRule.from_dict(new).category == "fracture"


def test_old_section_rule_becomes_one_section_rule_per_header() -> None:
    new = upgrade_section({"id": "impression", "category": "impression", "literals": ["impression", "conclusion"]})
    assert [SectionRule.from_dict(r).literal for r in new] == ["impression", "conclusion"]
    assert {r["metadata"]["id"] for r in new} == {"impression"}


def test_upgraded_folder_loads_with_medspacys_own_from_json(rules_copy: Path) -> None:
    _old_shape(rules_copy)
    upgrade_folder(rules_copy)
    assert len(TargetRule.from_json(str(rules_copy / "targets.json"))) == len(load_rules().targets["target_rules"])
    assert ConTextRule.from_json(str(rules_copy / "context.json"))
    assert SectionRule.from_json(str(rules_copy / "sections.json"))
    assert len(ConTextRule.from_json(str(rules_copy / "change.json"))) == len(load_rules().change["context_rules"])


def test_old_and_new_shapes_load_to_the_same_rules(rules_copy: Path) -> None:
    _old_shape(rules_copy)
    old = load_rules(rules_copy)
    upgrade_folder(rules_copy)
    new = load_rules(rules_copy)
    assert (old.targets, old.context, old.sections, old.change) == (new.targets, new.context, new.sections, new.change)


def test_upgrade_runs_again_without_change(rules_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _old_shape(rules_copy)
    assert main(["--upgrade", str(rules_copy)]) == 0
    before = {name: (rules_copy / name).read_bytes() for name in RULE_FILES}
    assert upgrade_folder(rules_copy) == []
    assert before == {name: (rules_copy / name).read_bytes() for name in RULE_FILES}


def test_upgrade_keeps_the_one_rule_per_line_layout(rules_copy: Path) -> None:
    upgrade_folder(rules_copy)
    lines = (rules_copy / "context.json").read_text().splitlines()
    rules = json.loads((rules_copy / "context.json").read_text())["context_rules"]
    assert sum(line.startswith('  {"literal"') for line in lines) == len(rules)


def test_error_names_the_rule_by_its_metadata_id(rules_copy: Path) -> None:
    upgrade_folder(rules_copy)
    data = json.loads((rules_copy / "targets.json").read_text())
    data["target_rules"][0]["category"] = "nope"
    (rules_copy / "targets.json").write_text(json.dumps(data))
    rid = data["target_rules"][0]["metadata"]["id"]
    with pytest.raises(RuleError, match=rf"^targets.json: rule {rid}: unknown concept 'nope'"):
        load_rules(rules_copy)


def test_a_rule_without_metadata_id_is_refused(rules_copy: Path) -> None:
    upgrade_folder(rules_copy)
    data = json.loads((rules_copy / "context.json").read_text())
    del data["context_rules"][2]["metadata"]["id"]
    (rules_copy / "context.json").write_text(json.dumps(data))
    with pytest.raises(RuleError, match=r"^context.json: rule #3: needs a 'metadata' object"):
        load_rules(rules_copy)


def test_an_old_rule_mixed_into_a_new_file_still_loads(rules_copy: Path) -> None:
    upgrade_folder(rules_copy)
    data = json.loads((rules_copy / "context.json").read_text())
    # a cue of its own words: one that tokenized as the shipped "no" rule would be refused as a tie (rule_ties.py)
    data["context_rules"].append(OLD_CONTEXT | {"id": "local_no", "literal": "nary a"})
    (rules_copy / "context.json").write_text(json.dumps(data))
    assert load_rules(rules_copy).context["context_rules"][-1]["metadata"] == {"id": "local_no", "comment": "x"}


def test_shipped_rule_files_load_with_medspacys_own_from_json() -> None:
    """The built-in rule lists are medspaCy's own JSON: loaded unchanged by TargetRule, ConTextRule, SectionRule."""
    folder = builtin_patterns_dir()
    rules = load_rules()
    targets = TargetRule.from_json(str(folder / "targets.json"))
    assert [r.metadata["id"] for r in targets] == [r["metadata"]["id"] for r in rules.targets["target_rules"]]
    assert {r.category for r in targets} <= set(rules.concepts)
    cues = ConTextRule.from_json(str(folder / "context.json"))
    assert [r.metadata["id"] for r in cues] == [r["metadata"]["id"] for r in rules.context["context_rules"]]
    headers = SectionRule.from_json(str(folder / "sections.json"))
    assert len(headers) == len(rules.sections["section_rules"])
    for name, key in RULE_LISTS.items():  # nothing left in the former shape
        assert not any(is_old(r) for r in json.loads((folder / name).read_text())[key]), name


def test_shipped_change_rules_load_with_medspacys_context_rule_from_json() -> None:
    rules = load_rules()
    cues = ConTextRule.from_json(str(builtin_patterns_dir() / "change.json"))
    assert [r.metadata["id"] for r in cues] == [r["metadata"]["id"] for r in rules.change["context_rules"]]
    assert {r.category for r in cues} <= set(rules.change["categories"])


TERMINATED = {"literal": "nary a", "category": "NEGATED_EXISTENCE", "direction": "FORWARD",
              "metadata": {"id": "neg_no_until_possible", "terminated_by": ["POSSIBLE_EXISTENCE"]}}


def _with_cue(folder: Path, rule: dict[str, object]) -> None:
    data = json.loads((folder / "context.json").read_text())
    data["context_rules"].insert(0, rule)
    (folder / "context.json").write_text(json.dumps(data))


def test_terminated_by_under_metadata_loads_with_medspacys_from_json(rules_copy: Path) -> None:
    _with_cue(rules_copy, TERMINATED)
    assert load_rules(rules_copy).context["context_rules"][0] == TERMINATED
    assert ConTextRule.from_json(str(rules_copy / "context.json"))[0].metadata["terminated_by"] == ["POSSIBLE_EXISTENCE"]


def test_terminated_by_reaches_both_contexts() -> None:
    """The fast ConText and the medspaCy rule that --matcher medspacy builds both read it from metadata."""
    from reportnlp.nlp.components.context import CueRule
    from reportnlp.nlp.components.reference import context_rule

    assert CueRule(TERMINATED).terminated_by == {"POSSIBLE_EXISTENCE"}
    assert context_rule(TERMINATED, None).terminated_by == {"POSSIBLE_EXISTENCE"}


def test_a_top_level_terminated_by_moves_under_metadata(rules_copy: Path) -> None:
    metadata = {k: v for k, v in TERMINATED["metadata"].items() if k != "terminated_by"}  # type: ignore[union-attr]
    _with_cue(rules_copy, {**TERMINATED, "metadata": metadata, "terminated_by": ["POSSIBLE_EXISTENCE"]})
    assert load_rules(rules_copy).context["context_rules"][0] == TERMINATED
    assert upgrade_folder(rules_copy) == ["context.json"]
    assert ConTextRule.from_json(str(rules_copy / "context.json"))[0].metadata == TERMINATED["metadata"]


def test_terminated_by_names_declared_categories(rules_copy: Path) -> None:
    _with_cue(rules_copy, {**TERMINATED, "metadata": {"id": "x", "terminated_by": ["SOMETIMES"]}})
    with pytest.raises(RuleError, match=r"^context.json: rule x: unknown value\(s\): SOMETIMES"):
        load_rules(rules_copy)
