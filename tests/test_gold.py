"""reportnlp.evaluation.gold: gold files (CSV and JSON Lines) and extract records as flat label maps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reportnlp.evaluation.gold import GoldError, deciding_mentions, flat_record_labels, read_gold, read_records
from tests.fake_records import labels, record


def write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_csv_gold_reads_statuses_dotted_degenerative_columns_and_sets(tmp_path: Path) -> None:
    path = write(
        tmp_path / "gold.csv",
        "id,fracture,degenerative.disc_herniation,lesion_pattern,modalities\n"
        "r1,present,absent,lytic;blastic,CT; mri\n"
        "r2,Absent,,none,\n",
    )
    gold, ignored = read_gold(path)
    assert gold == {
        "r1": {
            "fracture": "present",
            "degenerative.disc_herniation": "absent",
            "lesion_pattern": {"lytic", "blastic"},
            "modalities": {"CT", "MRI"},
        },
        # an empty cell is not scored; "none" is the empty set
        "r2": {"fracture": "absent", "lesion_pattern": frozenset()},
    }
    assert ignored == []


def test_csv_gold_lists_columns_that_are_not_labels(tmp_path: Path) -> None:
    path = write(tmp_path / "gold.csv", "id,fracture,reader,degenerative.disc_hernation\nr1,present,dr a,absent\n")
    gold, ignored = read_gold(path)
    assert gold == {"r1": {"fracture": "present"}}
    assert ignored == ["degenerative.disc_hernation", "reader"]


def test_jsonl_gold_takes_labels_shaped_like_a_record(tmp_path: Path) -> None:
    rows = [
        {"id": "r1", "labels": {"fracture": "absent", "degenerative": {"disc_bulge": "present"}}, "notes": "x"},
        {"id": "r2", "labels": {"modalities": ["XR"], "fracture": None}},
    ]
    path = write(tmp_path / "gold.jsonl", "".join(json.dumps(r) + "\n" for r in rows))
    gold, ignored = read_gold(path)
    assert gold == {
        "r1": {"fracture": "absent", "degenerative.disc_bulge": "present"},
        "r2": {"modalities": {"XR"}},
    }
    assert ignored == []


def test_jsonl_gold_may_hold_labels_at_the_top_level(tmp_path: Path) -> None:
    path = write(tmp_path / "gold.jsonl", '{"id": 7, "bone_metastasis": "possible", "degenerative.any": "present"}\n')
    gold, _ = read_gold(path)
    assert gold == {"7": {"bone_metastasis": "possible", "degenerative.any": "present"}}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("id,fracture\nr1,maybe\n", "line 2: 'fracture' must be one of present, possible, absent, not_mentioned"),
        ("id,modalities\nr1,CT;XRAY\n", "line 2: 'modalities' holds a value other than XR, CT, MRI, NM, PET, US"),
        ("id,fracture\nr1,present\nr1,absent\n", "line 3: duplicate id 'r1'"),
        ("report,fracture\nr1,present\n", "no 'id' column"),
    ],
)
def test_csv_gold_errors_name_file_and_line_but_not_the_value(tmp_path: Path, text: str, reason: str) -> None:
    path = write(tmp_path / "gold.csv", text)
    with pytest.raises(GoldError) as info:
        read_gold(path)
    assert str(info.value) == f"{path}: {reason}"
    assert "XRAY" not in str(info.value) and "maybe" not in str(info.value)


def test_jsonl_gold_errors_name_the_line(tmp_path: Path) -> None:
    path = write(tmp_path / "gold.jsonl", '{"id": "a", "fracture": "present"}\n{"id": "b", \n')
    with pytest.raises(GoldError, match=r"gold.jsonl: line 2: not valid JSON$"):
        read_gold(path)


def test_missing_gold_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(GoldError, match=r"missing\.csv: "):
        read_gold(str(tmp_path / "missing.csv"))


def test_record_labels_flatten_with_the_highest_degenerative_status_as_any() -> None:
    flat = flat_record_labels(labels(disc_bulge="absent", spondylosis="possible", modalities=["CT", "XR"]))
    assert flat["degenerative.disc_bulge"] == "absent"
    assert flat["degenerative.any"] == "possible"  # possible > absent > not_mentioned
    assert flat["modalities"] == {"CT", "XR"}
    assert flat_record_labels(labels())["degenerative.any"] == "not_mentioned"


def test_records_give_labels_deciding_mentions_and_failed_ids(tmp_path: Path) -> None:
    rows = [record("a", labels(fracture="absent", modalities=["XR"])), record("b", labels(), status="error")]
    path = write(tmp_path / "records.jsonl", "".join(json.dumps(r) + "\n" for r in rows))
    predictions = read_records(path)
    assert list(predictions.labels) == ["a"]
    assert predictions.failed == ["b"]
    assert predictions.deciding["a"]["fracture"] == [
        {"id": 0, "text": "no fracture", "assertion": "absent", "section": "findings", "cue": "no"}
    ]
    assert predictions.deciding["a"]["modalities"]["XR"][0]["id"] == 0


def test_degenerative_any_is_decided_by_the_mentions_of_the_winning_status() -> None:
    rec = {
        "labels": labels(disc_bulge="present", spondylosis="absent"),
        "evidence": {
            "degenerative": {
                "disc_bulge": {"status": "present", "mentions": [1]},
                "spondylosis": {"status": "absent", "mentions": [2]},
            }
        },
        "mentions": [
            {"id": 1, "text": "bulge", "assertion": "present", "section": "findings", "cues": []},
            {"id": 2, "text": "spondylosis", "assertion": "absent", "section": "findings", "cues": []},
        ],
    }
    assert [m["text"] for m in deciding_mentions(rec)["degenerative.any"]] == ["bulge"]


def test_a_line_that_is_not_a_record_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "records.jsonl", '{"id": "a", "status": "ok", "labels": {"fracture": "absent"}}\n')
    with pytest.raises(GoldError, match="line 1: not a reportnlp record"):
        read_records(path)


def test_a_record_with_an_unknown_status_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "records.jsonl", json.dumps(record("a", labels(fracture="broken"))) + "\n")
    with pytest.raises(GoldError, match="line 1: not a reportnlp record \\('fracture' missing or unknown\\)"):
        read_records(path)
