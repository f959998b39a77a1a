"""The shipped record schema: it accepts every record the extractor writes and rejects broken ones."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from reportnlp.inputs import iter_reports
from reportnlp.records.assemble import SCHEMA_VERSION
from reportnlp.records.labels import DEGENERATIVE_KEYS
from reportnlp.records.schema import record_schema, record_schema_text, validate_record
from reportnlp.run.extractor import Extractor

CORPUS = Path(__file__).resolve().parents[1] / "corpus_samples"


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return record_schema()


@pytest.fixture(scope="module")
def ok_record(corpus_records: list[dict[str, Any]]) -> dict[str, Any]:
    """A corpus record with mentions, locations and cues (a fresh copy per use: tests break it)."""
    return next(
        r for r in corpus_records
        if any(m["cues"] and m["locations"] and "prevalence" in m for m in r["mentions"])
    )


@pytest.fixture
def record(ok_record: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(ok_record)


@pytest.fixture(scope="module")
def error_record(extractor: Extractor, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("empty")
    (folder / "empty.txt").write_text("   \n")
    (report,) = iter_reports([str(folder)])
    return extractor.record_for(report)


def test_schema_is_a_valid_draft_2020_12_schema(schema: dict[str, Any]) -> None:
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_schema_version_matches_the_records_module(schema: dict[str, Any]) -> None:
    assert schema["properties"]["schema_version"]["const"] == SCHEMA_VERSION


def test_every_corpus_record_validates(corpus_records: list[dict[str, Any]]) -> None:
    assert len(corpus_records) >= 40
    for record in corpus_records:
        validate_record(record)


def test_error_record_validates(error_record: dict[str, Any]) -> None:
    assert error_record["status"] == "error"
    validate_record(error_record)


def test_record_missing_a_label_key_fails(record: dict[str, Any]) -> None:
    del record["labels"]["degenerative"]["disc_bulge"]
    with pytest.raises(ValueError, match=r"^\$\.labels\.degenerative: 'disc_bulge' is a required property"):
        validate_record(record)


def test_record_with_an_extra_label_key_fails(record: dict[str, Any]) -> None:
    record["labels"]["bone_mets"] = "present"
    with pytest.raises(ValueError, match=r"^\$\.labels:"):
        validate_record(record)


def test_label_with_a_bad_status_fails(record: dict[str, Any]) -> None:
    record["labels"]["fracture"] = "negative"
    with pytest.raises(ValueError, match=r"^\$\.labels\.fracture:"):
        validate_record(record)


def test_record_with_a_bad_status_fails(record: dict[str, Any]) -> None:
    record["status"] = "partial"
    with pytest.raises(ValueError, match=r"^\$\.status:"):
        validate_record(record)


def test_mention_with_a_bad_assertion_fails(record: dict[str, Any]) -> None:
    record["mentions"][0]["assertion"] = "negated"
    with pytest.raises(ValueError, match=r"^\$\.mentions\[0\]\.assertion:"):
        validate_record(record)


def test_error_record_with_labels_fails(error_record: dict[str, Any], ok_record: dict[str, Any]) -> None:
    broken = {**error_record, "labels": ok_record["labels"]}
    with pytest.raises(ValueError, match=r"^\$\.labels:"):
        validate_record(broken)


def test_ok_record_without_labels_fails(record: dict[str, Any]) -> None:
    record["labels"] = None
    with pytest.raises(ValueError, match=r"^\$\.labels:"):
        validate_record(record)


def test_unknown_record_fields_are_allowed(record: dict[str, Any]) -> None:
    record["added_in_a_later_release"] = {"anything": 1}
    validate_record(record)


def test_label_keys_are_those_of_the_reference_labels(schema: dict[str, Any]) -> None:
    """corpus_samples/labels.jsonl holds the radiologist's labels under labels.md's key names."""
    reference = json.loads((CORPUS / "labels.jsonl").read_text(encoding="utf-8").splitlines()[0])["labels"]
    labels = schema["$defs"]["labels"]
    derived = {"change", "low_sensitivity_negative"}  # computed from the labels, not in the reference
    assert set(labels["required"]) == set(labels["properties"]) - derived == set(reference)
    assert set(schema["$defs"]["degenerative_labels"]["required"]) == set(reference["degenerative"])
    assert tuple(schema["$defs"]["degenerative_key"]["enum"]) == DEGENERATIVE_KEYS


def test_every_field_the_extractor_writes_is_described(
    schema: dict[str, Any], corpus_records: list[dict[str, Any]], error_record: dict[str, Any]
) -> None:
    """additionalProperties is open for consumers, so check the other way: nothing undocumented."""
    defs = schema["$defs"]

    def described(node: dict[str, Any]) -> set[str]:
        return set(node["properties"])

    undescribed: set[str] = set()

    def check(where: str, obj: dict[str, Any] | None, node: dict[str, Any]) -> None:
        if obj is not None:
            undescribed.update(f"{where}.{key}" for key in set(obj) - described(node))

    for r in [*corpus_records, error_record]:
        check("record", r, schema)
        check("source", r["source"], defs["source"])
        check("patient", r["patient"], defs["patient"])
        check("exam", r["exam"], defs["exam"])
        check("report", r.get("report"), defs["report_meta"])
        check("pipeline", r.get("pipeline"), schema["properties"]["pipeline"])
        for s in r["sections"]:
            check("section", s, defs["section"])
        for m in r["mentions"]:
            check("mention", m, defs["mention"])
            check("prevalence", m.get("prevalence"), defs["prevalence"])
            for c in m["cues"]:
                check("cue", c, defs["cue"])
            if m.get("change"):
                check("change", m["change"], defs["mention_change"])
                check("change cue", m["change"]["cue"], defs["mention_change"]["properties"]["cue"])
            for loc in m["locations"]:
                check("location", loc, defs["location"])
    assert not undescribed


def test_every_property_has_a_description(schema: dict[str, Any]) -> None:
    missing: list[str] = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict) and "if" not in node:  # if/then only narrows fields described above
            for name, sub in node.get("properties", {}).items():
                if "description" not in sub and "$ref" not in sub:
                    missing.append(f"{path}.{name}")
            for key, sub in node.items():
                if key != "allOf":
                    walk(sub, f"{path}.{key}")
        elif isinstance(node, list):
            for i, sub in enumerate(node):
                walk(sub, f"{path}[{i}]")

    walk(schema, "$")
    missing += [f"$defs.{name}" for name, node in schema["$defs"].items() if "description" not in node]
    assert not missing


def test_schema_text_is_the_shipped_file_and_parses(schema: dict[str, Any]) -> None:
    assert json.loads(record_schema_text()) == schema
