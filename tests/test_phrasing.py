"""Phrasing set: short reports written for this project in the many ways radiologists and clinicians
phrase the same findings ("the foramina are narrowed", "the cord is not compressed", "CHEST 1 VIEW"),
each with the labels a reader of docs/labels.md gives it, written before the extractor was run.

Every label must match, except the ones listed as a case's ``known_gaps`` (label -> the mechanism still
missing). A known gap must still differ: when a change fixes one, this test fails until the gap is taken
off the list, so the list is always the true list of what the extractor gets wrong here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reportnlp.run.extractor import Extractor

CASES = [
    json.loads(line)
    for path in sorted((Path(__file__).parent / "data").glob("phrasing*.jsonl"))  # one file per set of cases
    for line in path.read_text().splitlines()
    if line.strip()
]


def _flat(labels: dict[str, Any]) -> dict[str, Any]:
    out = {k: labels[k] for k in ("bone_metastasis", "pathologic_fracture", "fracture", "cord_compression")}
    out.update({f"degenerative.{k}": v for k, v in labels["degenerative"].items()})
    out["lesion_pattern"] = sorted(labels["lesion_pattern"])
    out["modalities"] = sorted(labels["modalities"])
    return out


def test_the_set_covers_each_kind_of_report() -> None:
    assert len(CASES) >= 100
    assert len({c["id"] for c in CASES}) == len(CASES)
    assert all(set(c["known_gaps"]) <= set(c["expected"]) for c in CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_phrasing_labels(extractor: Extractor, case: dict[str, Any]) -> None:
    record = extractor.record_for_text(case["id"], case["text"])
    got = _flat(record["labels"])
    gaps = case["known_gaps"]
    assert {k: got[k] for k in case["expected"] if k not in gaps} == {
        k: v for k, v in case["expected"].items() if k not in gaps
    }
    fixed = [k for k in gaps if got[k] == case["expected"][k]]
    assert not fixed, f"known gaps now right, take them off the list: {fixed}"


# Where and who: a case may also say where each label's evidence lies and what the report says of the
# patient. "locations" maps a label ("bone_metastasis", "degenerative.disc_bulge", ...) to any of "levels"
# (spine levels, as docs/labels.md section 6 normalizes them), "sites" (the bones named: "rib", "pelvis",
# "femur", "lumbar spine", ...) and "sides" ("left", "right", "bilateral"), each the sorted union over the
# mentions the record gives as that label's evidence; only the keys a case gives are checked.
# "patient" holds any of "age" and "sex" as the record's patient block has them. Known gaps are listed
# the same way as the labels' ("bone_metastasis.sides", "age") and must still differ.

LOCATED = [c for c in CASES if c.get("locations")]
PATIENTS = [c for c in CASES if c.get("patient")]


def _evidence_ids(record: dict[str, Any], label: str) -> list[int]:
    evidence = record["evidence"]
    if label.startswith("degenerative."):
        return evidence["degenerative"][label.split(".", 1)[1]]["mentions"]
    return evidence[label]["mentions"]


def _where(record: dict[str, Any], label: str) -> dict[str, list[str]]:
    """Levels, bones and sides over the mentions that are the label's evidence."""
    by_id = {m["id"]: m for m in record["mentions"]}
    levels: set[str] = set()
    sites: set[str] = set()
    sides: set[str] = set()
    for mention_id in _evidence_ids(record, label):
        mention = by_id[mention_id]
        for loc in mention["locations"]:
            levels.update(loc.get("levels") or ())
            if loc["kind"] == "bone" and loc.get("value"):
                sites.add(loc["value"])
                if loc.get("laterality"):
                    sides.add(loc["laterality"])
        if mention.get("laterality"):
            sides.add(mention["laterality"])
    return {"levels": sorted(levels), "sites": sorted(sites), "sides": sorted(sides)}


def test_location_and_patient_gaps_name_what_a_case_expects() -> None:
    for case in LOCATED:
        wanted = {f"{label}.{key}" for label, keys in case["locations"].items() for key in keys}
        assert set(case.get("known_location_gaps", {})) <= wanted, case["id"]
    for case in PATIENTS:
        assert set(case.get("known_patient_gaps", {})) <= set(case["patient"]), case["id"]


@pytest.mark.parametrize("case", LOCATED, ids=[c["id"] for c in LOCATED])
def test_phrasing_locations(extractor: Extractor, case: dict[str, Any]) -> None:
    record = extractor.record_for_text(case["id"], case["text"])
    gaps = case.get("known_location_gaps", {})
    got = {
        f"{label}.{key}": _where(record, label)[key]
        for label, keys in case["locations"].items()
        for key in keys
    }
    wanted = {
        f"{label}.{key}": sorted(values)
        for label, keys in case["locations"].items()
        for key, values in keys.items()
    }
    assert {k: v for k, v in got.items() if k not in gaps} == {k: v for k, v in wanted.items() if k not in gaps}
    fixed = [k for k in gaps if got[k] == wanted[k]]
    assert not fixed, f"known location gaps now right, take them off the list: {fixed}"


@pytest.mark.parametrize("case", PATIENTS, ids=[c["id"] for c in PATIENTS])
def test_phrasing_patient(extractor: Extractor, case: dict[str, Any]) -> None:
    record = extractor.record_for_text(case["id"], case["text"])
    gaps = case.get("known_patient_gaps", {})
    got = {k: record["patient"][k] for k in case["patient"]}
    assert {k: v for k, v in got.items() if k not in gaps} == {
        k: v for k, v in case["patient"].items() if k not in gaps
    }
    fixed = [k for k in gaps if got[k] == case["patient"][k]]
    assert not fixed, f"known patient gaps now right, take them off the list: {fixed}"
