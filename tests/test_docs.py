"""The README's two commands are single commands, and CI runs the README's test command."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def fenced_blocks(section: str) -> list[str]:
    """The fenced code blocks of one '## ' section of the README."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(section)}\n(.*?)(?=^## |\Z)", readme, re.M | re.S)
    assert match, f"README has no '## {section}' section"
    return re.findall(r"^```[a-z]*\n(.*?)^```", match.group(1), re.M | re.S)


def test_quick_start_is_one_single_line_command() -> None:
    (block,) = fenced_blocks("Quick start")
    assert block.count("\n") == 1 and "reportnlp extract corpus_samples/" in block


def test_ci_runs_the_readme_test_command() -> None:
    (block,) = fenced_blocks("Tests")
    lines = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    ci = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    assert block.count("\n") == 1
    for step in block.strip().split(" && "):
        assert step.replace("python3 ", '"$PYTHON" ', 1) in ci or step in ci, step


def test_the_label_contract_defines_every_label_status_and_assertion() -> None:
    from reportnlp.records.labels import DEGENERATIVE_KEYS, SIMPLE_LABELS

    doc = (REPO / "docs" / "labels.md").read_text(encoding="utf-8")
    names = [*SIMPLE_LABELS, "lesion_pattern", "modalities", *DEGENERATIVE_KEYS]
    names += ["present", "possible", "absent", "not_mentioned", "historical", "hypothetical", "family"]
    assert [name for name in names if f"`{name}`" not in doc] == []


def test_the_record_schema_points_at_the_projects_label_contract() -> None:
    schema = (REPO / "reportnlp" / "records" / "schema" / "record.schema.json").read_text(encoding="utf-8")
    assert "docs/labels.md" in schema and "shared/spec" not in schema
