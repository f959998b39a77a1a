"""Cohort summary numbers, checked against counts worked out by hand on six hand-written records.

The records below are written out here (not produced by the extractor); every expected number in
these tests was counted from them by hand, as the comments show.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from reportnlp.nlp.rules import load_rules
from reportnlp.records.schema import validate_summary
from reportnlp.records.stream import iter_lines
from reportnlp.summary.cohort import summarize

DEGENERATIVE = (
    "disc_herniation disc_bulge disc_degeneration endplate_changes annular_fissure facet_arthropathy "
    "spinal_stenosis spondylolisthesis spondylosis"
).split()


def level(name: str, region: str, level_type: str = "vertebra") -> dict[str, Any]:
    return {"kind": "level", "text": name, "start": 0, "end": 1, "region": region, "level_type": level_type,
            "levels": [name], "rule": "spine_level"}


def bone(value: str, region: str) -> dict[str, Any]:
    return {"kind": "bone", "text": value, "start": 0, "end": 1, "value": value, "region": region, "rule": value}


def mention(i: int, concept: str, category: str, assertion: str, contributes: dict[str, str] | None,
            locations: list[dict[str, Any]] = ()) -> dict[str, Any]:
    m = {"id": i, "concept": concept, "category": category, "assertion": assertion, "locations": list(locations)}
    if contributes is None:
        m["note"] = "assertion 'hypothetical' never counts"
    else:
        m["contributes"] = contributes
    return m


def record(rid: str, age: int | None, modalities: list[str], patterns: list[str], mentions: list[dict[str, Any]],
           site: str | None, **statuses: str) -> dict[str, Any]:
    labels: dict[str, Any] = {
        "bone_metastasis": "not_mentioned", "pathologic_fracture": "not_mentioned", "fracture": "not_mentioned",
        "cord_compression": "not_mentioned", "lesion_pattern": patterns,
        "degenerative": dict.fromkeys(DEGENERATIVE, "not_mentioned"), "modalities": modalities,
    }
    for key, value in statuses.items():
        (labels["degenerative"] if key in DEGENERATIVE else labels)[key] = value
    out = {"schema_version": "1.0", "id": rid, "status": "ok", "error": None, "labels": labels,
           "patient": {"age": age, "sex": None}, "mentions": mentions}
    if site is not None:
        out["fields"] = {"site": site, "year": "2024"}
    return out


A = record("a", 70, ["MRI"], ["lytic"], [
    mention(0, "bone_metastasis", "bone_lesion", "present", {"bone_metastasis": "present"},
            [level("T4", "thoracic spine")]),
    mention(1, "lytic_lesion", "bone_lesion", "possible", {"bone_metastasis": "possible"}, [bone("rib", "thorax")]),
    mention(2, "disc_bulge", "degenerative", "present", {"degenerative.disc_bulge": "present"},
            [level("L4-L5", "lumbar spine", "disc")]),
], "A", bone_metastasis="present", disc_bulge="present")
B = record("b", 45, ["CT", "MRI"], ["blastic"], [
    mention(0, "blastic_lesion", "bone_lesion", "possible", {"bone_metastasis": "possible"},
            [level("L1-L2", "lumbar spine", "disc"), bone("spine", "spine")]),
    mention(1, "disc_degeneration", "degenerative", "present", {"degenerative.disc_degeneration": "present"},
            [level("L4-L5", "lumbar spine", "disc")]),
    mention(2, "facet_arthropathy", "degenerative", "absent", {"degenerative.facet_arthropathy": "absent"},
            [level("L5-S1", "lumbar spine", "disc")]),
    mention(3, "disc_bulge", "degenerative", "hypothetical", None, [level("L3-L4", "lumbar spine", "disc")]),
], "B", bone_metastasis="possible", disc_degeneration="present", facet_arthropathy="absent")
C = record("c", None, ["XR"], [], [
    mention(0, "fracture", "fracture", "present", {"fracture": "present"}),
    mention(1, "bone_metastasis", "bone_lesion", "absent", {"bone_metastasis": "absent"}, [level("T4", "thoracic spine")]),
    mention(2, "disc_bulge", "degenerative", "present", {"degenerative.disc_bulge": "present"},
            [level("L4-L5", "lumbar spine", "disc")]),
    mention(3, "spondylosis", "degenerative", "possible", {"degenerative.spondylosis": "possible"},
            [level("C5", "cervical spine")]),
], "A", bone_metastasis="absent", fracture="present", disc_bulge="present", spondylosis="possible")
D = record("d", 85, [], [], [
    mention(0, "bone_metastasis", "bone_lesion", "present", {"bone_metastasis": "present"}, [bone("bone", "bone")]),
], None, bone_metastasis="present")
E = {"schema_version": "1.0", "id": "e", "status": "error", "error": {"type": "empty_report", "message": "empty"},
     "labels": None, "patient": None, "mentions": []}
F = record("f", 20, ["NM"], [], [
    mention(0, "disc_protrusion", "degenerative", "present", {"degenerative.disc_herniation": "present"}),
], "B", disc_herniation="present")
RECORDS = [A, B, C, D, E, F]

MALFORMED = [
    "this is not json",                                           # bad JSON
    "[1, 2]",                                                     # JSON, not an object
    '{"status": "weird", "schema_version": "1.0"}',              # not a record
    '{"status": "ok", "schema_version": "2.0", "labels": {}}',    # unknown major version
    json.dumps({**A, "labels": {"fracture": "present"}}),         # ok record without its labels
]


@pytest.fixture(scope="module")
def prevalence() -> dict[str, Any]:
    return load_rules().prevalence


@pytest.fixture(scope="module")
def summary(prevalence: dict[str, Any]) -> dict[str, Any]:
    return summarize(RECORDS, prevalence)


@pytest.fixture(scope="module")
def overall(summary: dict[str, Any]) -> dict[str, Any]:
    return summary["overall"]


@pytest.fixture
def records_file(tmp_path: Path) -> Path:
    """The six records with the malformed lines and a blank line among them."""
    lines = [json.dumps(A), MALFORMED[0], json.dumps(B), "", MALFORMED[1], json.dumps(C), MALFORMED[2],
             json.dumps(D), MALFORMED[3], json.dumps(E), MALFORMED[4], json.dumps(F)]
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_reports_processed_ok_and_error(overall: dict[str, Any]) -> None:
    assert overall["reports"] == {"processed": 6, "ok": 5, "error": 1, "error_types": {"empty_report": 1},
                                  "with_text_hash": 0, "distinct_texts": 0, "repeated_texts": 0}


def test_label_status_counts(overall: dict[str, Any]) -> None:
    labels = overall["labels"]
    assert labels["bone_metastasis"] == {"present": 2, "possible": 1, "absent": 1, "not_mentioned": 1}  # a,d / b / c / f
    assert labels["fracture"] == {"present": 1, "possible": 0, "absent": 0, "not_mentioned": 4}
    assert labels["degenerative.disc_bulge"] == {"present": 2, "possible": 0, "absent": 0, "not_mentioned": 3}
    assert labels["degenerative.facet_arthropathy"]["absent"] == 1
    assert labels["degenerative.spondylosis"]["possible"] == 1


def test_every_label_adds_up_to_the_ok_reports(overall: dict[str, Any]) -> None:
    assert len(overall["labels"]) == 4 + 9
    assert all(sum(counts.values()) == 5 for counts in overall["labels"].values())


def test_lesion_patterns_count_reports_and_empty_sets(overall: dict[str, Any]) -> None:
    assert overall["lesion_pattern"] == {"lytic": 1, "blastic": 1, "mixed": 0, "(none)": 3}


def test_metastasis_sites_come_from_affirmed_mentions_only(overall: dict[str, Any]) -> None:
    # a: T4 (thoracic spine) and rib; b: L1-L2 (lumbar spine; the generic "spine" is dropped);
    # d: no site; c's T4 is absent and counts nowhere.
    met = overall["metastasis"]
    assert met["reports"] == 3
    assert met["sites"] == {"(site not stated)": 1, "lumbar spine": 1, "rib": 1, "thoracic spine": 1}


def test_metastasis_levels_split_disc_levels_into_vertebrae(overall: dict[str, Any]) -> None:
    assert overall["metastasis"]["levels"] == {"T4": 1, "L1": 1, "L2": 1}
    assert list(overall["metastasis"]["levels"]) == ["T4", "L1", "L2"]  # spine order


def test_degenerative_levels_count_present_or_possible_mentions(overall: dict[str, Any]) -> None:
    levels = overall["degenerative_levels"]
    assert levels["any"] == {"C5": 1, "L4-L5": 3}  # a, b, c at L4-L5; b's absent L5-S1 and hypothetical L3-L4 do not count
    assert levels["disc_bulge"] == {"L4-L5": 2}
    assert levels["facet_arthropathy"] == {}


def test_modalities_count_reports_with_none_for_empty(overall: dict[str, Any]) -> None:
    assert overall["modalities"] == {"MRI": 2, "(none)": 1, "CT": 1, "NM": 1, "XR": 1}


def test_mention_assertion_distribution(overall: dict[str, Any]) -> None:
    mentions = overall["mentions"]
    assert mentions["total"] == 13
    assert mentions["by_assertion"] == {"present": 7, "possible": 3, "absent": 2, "historical": 0, "hypothetical": 1,
                                        "family": 0}
    assert mentions["by_category"]["bone_lesion"] == {"present": 2, "possible": 2, "absent": 1}
    assert mentions["by_category"]["degenerative"] == {"present": 4, "possible": 1, "absent": 1, "hypothetical": 1}


def test_reports_without_an_age_are_counted_apart(overall: dict[str, Any]) -> None:
    p = overall["prevalence"]
    assert (p["reports_with_age"], p["reports_without_age"]) == (4, 1)
    assert p["ages"] == {"20": 1, "45": 1, "70": 1, "85": 1}


def test_cohort_prevalence_counts_present_reports_with_and_without_age(overall: dict[str, Any]) -> None:
    bulge = overall["prevalence"]["findings"]["disc_bulge"]
    assert (bulge["present"], bulge["present_with_age"]) == (2, 1)  # a (70) and c (no age)


def test_expected_prevalence_is_the_mean_over_the_cohort_ages(overall: dict[str, Any]) -> None:
    findings = overall["prevalence"]["findings"]
    # disc bulge by age 20..80: 30 40 50 60 69 77 84 -> ages 20, 45, 70, 85: 30, 55, 77, 84 (85 past the table)
    assert findings["disc_bulge"]["expected_percent"] == pytest.approx((30 + 55 + 77 + 84) / 4)
    # disc degeneration: 37 52 68 80 88 93 96 -> 37, 74, 93, 96
    assert findings["disc_degeneration"]["expected_percent"] == pytest.approx((37 + 74 + 93 + 96) / 4)


def test_findings_without_an_age_table_have_no_expected_value(overall: dict[str, Any]) -> None:
    findings = overall["prevalence"]["findings"]
    assert findings["spinal_stenosis"]["expected_percent"] is None
    assert findings["spinal_stenosis"]["reference"] is None
    assert findings["endplate_changes"]["expected_percent"] is None
    assert findings["endplate_changes"]["range_percent"] == [10, 10]


def test_range_falls_back_to_the_lowest_and_highest_by_age_value(overall: dict[str, Any]) -> None:
    findings = overall["prevalence"]["findings"]
    assert findings["disc_bulge"]["range_percent"] == [30, 84]  # no review-figure range: by-age 20..80
    assert findings["disc_herniation"]["range_percent"] == [25, 50]  # the review figure's own range


def test_by_a_csv_field_splits_every_table(prevalence: dict[str, Any]) -> None:
    groups = {g["value"]: g for g in summarize(RECORDS, prevalence, by="site")["groups"]}
    assert list(groups) == ["(missing)", "A", "B"]
    assert groups["A"]["reports"]["ok"] == 2  # a, c
    assert groups["A"]["labels"]["bone_metastasis"] == {"present": 1, "possible": 0, "absent": 1, "not_mentioned": 0}
    missing = groups["(missing)"]["reports"]
    assert (missing["processed"], missing["ok"], missing["error"], missing["error_types"]) == (2, 1, 1, {"empty_report": 1})
    assert groups["B"]["prevalence"]["findings"]["disc_herniation"]["present"] == 1  # f


def test_by_modality_puts_a_report_in_each_of_its_modalities(prevalence: dict[str, Any]) -> None:
    groups = {g["value"]: g["reports"]["processed"] for g in summarize(RECORDS, prevalence, by="modality")["groups"]}
    assert groups == {"(error)": 1, "(none)": 1, "CT": 1, "MRI": 2, "NM": 1, "XR": 1}


def test_by_a_label_orders_groups_by_status_precedence(prevalence: dict[str, Any]) -> None:
    groups = summarize(RECORDS, prevalence, by="bone_metastasis")["groups"]
    assert [(g["value"], g["reports"]["processed"]) for g in groups] == [
        ("present", 2), ("possible", 1), ("absent", 1), ("not_mentioned", 1), ("(error)", 1)]


def test_by_a_degenerative_key_with_or_without_prefix(prevalence: dict[str, Any]) -> None:
    for by in ("degenerative.disc_bulge", "disc_bulge"):
        groups = {g["value"]: g["reports"]["ok"] for g in summarize(RECORDS, prevalence, by=by)["groups"]}
        assert groups == {"present": 2, "not_mentioned": 3, "(error)": 0}


def test_by_a_record_path(prevalence: dict[str, Any]) -> None:
    groups = {g["value"]: g["reports"]["processed"] for g in summarize(RECORDS, prevalence, by="status")["groups"]}
    assert groups == {"error": 1, "ok": 5}


def test_malformed_lines_are_counted_and_located_never_fatal(records_file: Path, prevalence: dict[str, Any]) -> None:
    summary = summarize(iter_lines([str(records_file)]), prevalence)
    assert summary["lines"] == {"records": 6, "malformed": 5}  # the blank line is neither
    assert summary["overall"]["reports"]["processed"] == 6
    assert [(m["line"], m["reason"].split(" (")[0]) for m in summary["malformed_examples"]] == [
        (2, "not valid JSON"), (5, "JSON but not an object"), (7, "not a reportnlp record"),
        (9, "unsupported schema_version"), (11, "record of unexpected shape")]


def test_summary_of_the_fixture_matches_the_summary_schema(summary: dict[str, Any], prevalence: dict[str, Any]) -> None:
    validate_summary(summary)
    validate_summary(summarize(RECORDS, prevalence, by="modality"))


def test_schema_rejects_a_share_where_a_count_belongs(summary: dict[str, Any]) -> None:
    broken = json.loads(json.dumps(summary))
    broken["overall"]["labels"]["fracture"]["present"] = 0.2
    with pytest.raises(ValueError, match="fracture"):
        validate_summary(broken)


def test_summarize_runs_without_spacy(records_file: Path) -> None:
    code = (
        "import sys, io\n"
        "from reportnlp.cli.summarize import summarize_command\n"
        f"summarize_command([{str(records_file)!r}], fmt='json', html={str(records_file.with_suffix('.html'))!r},"
        " stdout=io.StringIO(), stderr=io.StringIO())\n"
        "assert not [m for m in sys.modules if m.startswith('spacy')], 'spacy imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[1])
