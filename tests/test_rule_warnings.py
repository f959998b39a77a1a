"""A rule the fast token engine cannot run is named once, at load, on stderr (reportnlp.cli.rule_warnings).

One such token pattern hands every report's matching to spaCy's Matcher (about 7x the CPU) with the same
records, so a user's own rule folder (``--patterns DIR``) must hear of it: file, rule id and what it tests.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from reportnlp.cli.rule_warnings import warn_slow_rules
from reportnlp.nlp.components.matching import slow_rules, uncovered
from reportnlp.nlp.rules import builtin_patterns_dir, load_rules
from reportnlp.run.extractor import Extractor
from tests.conftest import RunCli

REPORT = {"id": "r1", "text": "FINDINGS: Lytic lesion in L2. Radiotherapy 30 Gy to L2 last year."}
# an ignore rule that takes the lytic lesion's words (so the records show it ran), led by a SHAPE test ...
SHAPE_RULE = {"literal": "lesion_in_level", "category": "ignore", "metadata": {"id": "my_level_rule"},
              "pattern": [{"LOWER": "lytic"}, {"LOWER": "lesion"}, {"LOWER": "in"}, {"SHAPE": "Xd"}]}
# ... and its twin with a REGEX test, which the fast engine runs
REGEX_RULE = {**SHAPE_RULE, "pattern": [*SHAPE_RULE["pattern"][:3], {"TEXT": {"REGEX": "^[A-Z]\\d$"}}]}


def rule_folder(tmp_path: Path, name: str, *rules: dict[str, Any]) -> Path:
    """The shipped rules with ``rules`` added to targets.json."""
    folder = tmp_path / name
    shutil.copytree(builtin_patterns_dir(), folder)
    targets = json.loads((folder / "targets.json").read_text())
    targets["target_rules"] += list(rules)
    (folder / "targets.json").write_text(json.dumps(targets))
    return folder


def run(cli: RunCli, tmp_path: Path, folder: Path) -> subprocess.CompletedProcess[bytes]:
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(REPORT) + "\n")
    return cli("extract", str(source), "--patterns", str(folder))


def warnings_of(result: subprocess.CompletedProcess[bytes]) -> list[str]:
    return [line for line in result.stderr.decode().splitlines() if line.startswith("reportnlp: warning:")]


def without_pipeline(out: bytes) -> list[dict[str, Any]]:
    return [{k: v for k, v in json.loads(line).items() if k != "pipeline"} for line in out.decode().splitlines()]


@pytest.mark.parametrize(
    ("pattern", "what"),
    [
        ([{"SHAPE": "dd"}, {"LOWER": "gy"}], "SHAPE"),
        ([{"LOWER": "disc"}, {"POS": "NOUN"}], "POS"),
        ([{"LOWER": "a", "OP": "+"}], "OP '+'"),
        ([{"LOWER": {"FUZZY": "stenosis"}}], "LOWER FUZZY"),
        ([{"LENGTH": 1}], "LENGTH"),
    ],
)
def test_what_the_fast_engine_does_not_cover_is_named(pattern: list[dict[str, Any]], what: str) -> None:
    assert uncovered(pattern) == what


@pytest.mark.parametrize(
    "pattern",
    [
        [{"LOWER": {"IN": ["disc", "disk"]}}, {"TEXT": {"REGEX": "^\\d\\d$"}, "OP": "?"}],
        [{"IS_DIGIT": True}, {"LOWER": "gy"}],
        [{"ORTH": "L4"}, {"LOWER": {"NOT_IN": ["weighted"]}, "OP": "{0,3}"}],
    ],
)
def test_what_the_fast_engine_covers_is_not_named(pattern: list[dict[str, Any]]) -> None:
    assert uncovered(pattern) is None


def test_the_shipped_rules_name_no_slow_rule() -> None:
    assert slow_rules(load_rules()) == []


def test_a_slow_context_rule_is_named_with_its_file(tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    shutil.copytree(builtin_patterns_dir(), folder)
    context = json.loads((folder / "context.json").read_text())
    context["context_rules"].append({"literal": "neg_shape", "category": "NEGATED_EXISTENCE", "direction": "FORWARD",
                                     "pattern": [{"LOWER": "nope"}, {"SHAPE": "xxx"}], "metadata": {"id": "my_cue"}})
    (folder / "context.json").write_text(json.dumps(context))
    assert slow_rules(load_rules(folder)) == [("context.json", "my_cue", "SHAPE")]


def test_each_slow_rule_is_one_warning_line(tmp_path: Path) -> None:
    other = {**SHAPE_RULE, "metadata": {"id": "my_other_rule"}, "pattern": [{"LOWER": "x", "OP": "+"}]}
    out = io.StringIO()
    assert warn_slow_rules(load_rules(rule_folder(tmp_path, "rules", SHAPE_RULE, other)), out) == 2
    lines = out.getvalue().splitlines()
    assert [line.split("'")[1] for line in lines] == ["my_level_rule", "my_other_rule"]


def test_extract_warns_once_naming_the_file_the_rule_and_the_attribute(cli: RunCli, tmp_path: Path) -> None:
    result = run(cli, tmp_path, rule_folder(tmp_path, "slow", SHAPE_RULE))
    assert result.returncode == 0
    [line] = warnings_of(result)
    assert "targets.json rule 'my_level_rule' tests SHAPE" in line
    assert "spaCy's Matcher" in line and "7x the CPU" in line  # why the run is slower
    assert "Lytic" not in result.stderr.decode()  # no report text


def test_a_slow_rule_gives_the_records_its_fast_twin_gives(cli: RunCli, tmp_path: Path) -> None:
    slow = run(cli, tmp_path, rule_folder(tmp_path, "slow", SHAPE_RULE))
    fast = run(cli, tmp_path, rule_folder(tmp_path, "fast", REGEX_RULE))
    assert warnings_of(fast) == []
    records = without_pipeline(slow.stdout)
    assert records == without_pipeline(fast.stdout)
    assert [m["concept"] for m in records[0]["mentions"]] == []  # the rule took the lesion's words


def test_the_shipped_rules_never_warn(cli: RunCli, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(REPORT) + "\n")
    assert warnings_of(cli("extract", str(source))) == []


def test_a_slow_context_rule_keeps_the_shipped_sentence_start_cues(tmp_path: Path) -> None:
    # "Know fracture." opening a sentence is the dictated "No" (an IS_SENT_START rule of context.json); with a
    # context rule the engine cannot run, spaCy's Matcher reads the whole file and must find the same starts
    folder = tmp_path / "rules"
    shutil.copytree(builtin_patterns_dir(), folder)
    context = json.loads((folder / "context.json").read_text())
    context["context_rules"].append({"literal": "neg_plus", "category": "NEGATED_EXISTENCE", "direction": "FORWARD",
                                     "pattern": [{"LOWER": "nope", "OP": "+"}], "metadata": {"id": "my_cue"}})
    (folder / "context.json").write_text(json.dumps(context))
    text = "CT CHEST\nFINDINGS: Know fracture. Lungs are clear.\nIMPRESSION: Know fracture.\n"
    shipped, slow = Extractor(), Extractor(folder)
    assert slow_rules(slow.rules) == [("context.json", "my_cue", "OP '+'")]
    assert slow.record_for_text("r1", text)["labels"]["fracture"] == "absent"
    assert slow.record_for_text("r1", text)["mentions"] == shipped.record_for_text("r1", text)["mentions"]
