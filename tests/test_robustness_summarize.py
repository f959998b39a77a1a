"""Fuzzing `summarize`: any bytes, any record shape, and records of any report text are counted
exactly once (as a record or as a malformed line), never crash it, and never get quoted."""

from __future__ import annotations

import io
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportnlp.nlp.rules import load_rules
from reportnlp.records.stream import iter_lines
from reportnlp.run.extractor import Extractor
from reportnlp.summary.cohort import CohortSummary

SECRET = "Zanzibarquux"  # stands in for patient data inside a record
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
BY = [None, "modality", "fracture", "disc_bulge", "lesion_pattern", "site", "source.format"]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.floats(allow_nan=False)
    | st.text(max_size=20) | st.just(SECRET),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)


@pytest.fixture(scope="module")
def prevalence() -> dict[str, Any]:
    return load_rules().prevalence


@pytest.fixture(scope="module")
def sample_records(corpus_records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in corpus_records if r["mentions"]][:8]


def summarize_bytes(data: bytes, prevalence: dict[str, Any], by: str | None) -> tuple[CohortSummary, dict[str, Any]]:
    summary = CohortSummary(prevalence, by)
    for line in iter_lines(["-"], stdin=io.BytesIO(data)):
        summary.add(line)
    return summary, summary.to_dict()


def non_blank_lines(data: bytes) -> int:
    """Lines that are not blank once a UTF-8 byte order mark starting the input is dropped."""
    return sum(1 for line in io.BytesIO(data.removeprefix(b"\xef\xbb\xbf")) if line.strip())


def check_counts(result: dict[str, Any], lines: int) -> None:
    assert result["lines"]["records"] + result["lines"]["malformed"] == lines
    assert result["overall"]["reports"]["processed"] == result["lines"]["records"]
    orjson.dumps(result)  # the summary itself is always writable


@SETTINGS
@given(lines=st.lists(st.binary(max_size=60), max_size=12), by=st.sampled_from(BY))
def test_any_bytes_are_counted_line_by_line(prevalence: dict[str, Any], lines: list[bytes], by: str | None) -> None:
    data = b"\n".join(lines)
    _, result = summarize_bytes(data, prevalence, by)
    check_counts(result, non_blank_lines(data))


def _replace(record: Any, path: list[int], value: Any) -> Any:
    """The record with the node reached by following `path` (indices mod size) replaced by value."""
    if not path or not isinstance(record, dict | list) or not record:
        return value
    if isinstance(record, dict):
        key = list(record)[path[0] % len(record)]
        return {**record, key: _replace(record[key], path[1:], value)}
    i = path[0] % len(record)
    return [*record[:i], _replace(record[i], path[1:], value), *record[i + 1 :]]


@SETTINGS
@given(
    which=st.integers(0, 7),
    edits=st.lists(st.tuples(st.lists(st.integers(0, 50), min_size=1, max_size=6), json_values), min_size=1, max_size=3),
    by=st.sampled_from(BY),
)
def test_records_of_any_shape_are_counted_and_never_quoted(
    prevalence: dict[str, Any], sample_records: list[dict[str, Any]], which: int,
    edits: list[tuple[list[int], Any]], by: str | None,
) -> None:
    record: Any = sample_records[which % len(sample_records)]
    for path, value in edits:
        record = _replace(record, path, value)
    summary, result = summarize_bytes(orjson.dumps(record) + b"\n", prevalence, by)
    check_counts(result, 1)
    assert all(SECRET not in (m.reason or "") for m in summary.malformed_examples)


@SETTINGS
@given(text=st.text(max_size=300) | st.lists(st.sampled_from(
    ["FINDINGS:", "IMPRESSION:", "No", "lytic", "metastases", "L4-5", "T10 through L2", "fracture", "disc bulge",
     "stenosis", "\n", ".", "history of", "cannot be excluded", "Age: 54", "woman"]), max_size=40).map(" ".join))
def test_records_of_any_report_text_are_all_counted_as_records(
    prevalence: dict[str, Any], extractor: Extractor, text: str
) -> None:
    record = extractor.record_for_text("t", text)
    _, result = summarize_bytes(orjson.dumps(record) + b"\n", prevalence, "modality")
    assert result["lines"] == {"records": 1, "malformed": 0}
    assert result["overall"]["reports"]["ok" if record["status"] == "ok" else "error"] == 1
