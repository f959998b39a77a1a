"""`reportnlp patients`: one row per patient from records, sorted on disk."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from reportnlp.cli.patients import run_patients
from tests.fake_records import labels


def _rec(rid: str, pid: str | None, date: str | None, **lab: Any) -> dict[str, Any]:
    change = lab.pop("change", None)
    out = labels(**lab)
    out["change"] = {"bone_metastasis": change, "pathologic_fracture": None, "fracture": None, "cord_compression": None}
    return {"schema_version": "1.0", "id": rid, "status": "ok", "labels": out, "mentions": [],
            "report": {"patient_id": pid, "date": date, "date_raw": date, "date_source": "column", "date_evidence": None}}


def _run(tmp_path: Path, records: list[dict[str, Any]], *args: str) -> tuple[int, str, str]:
    path = tmp_path / "records.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = run_patients([str(path)], args[0] if args else "json", None, str(tmp_path), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def _rows(tmp_path: Path, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    code, out, err = _run(tmp_path, records)
    assert code == 0, err
    return [json.loads(line) for line in out.splitlines()]


def test_one_row_per_patient_with_first_and_last_date(tmp_path: Path) -> None:
    rows = _rows(tmp_path, [_rec("a", "P1", "2021-05-01"), _rec("b", "P2", "2020-01-01"), _rec("c", "P1", "2020-03-01")])
    assert [(r["patient_id"], r["reports"], r["first_date"], r["last_date"]) for r in rows] == [
        ("P1", 2, "2020-03-01", "2021-05-01"), ("P2", 1, "2020-01-01", "2020-01-01")]


def test_first_bone_metastasis_dates_present_and_possible(tmp_path: Path) -> None:
    (row,) = _rows(tmp_path, [_rec("a", "P", "2020-01-01", bone_metastasis="possible"),
                              _rec("b", "P", "2020-06-01", bone_metastasis="present"),
                              _rec("c", "P", "2020-09-01", bone_metastasis="present")])
    assert (row["first_bone_metastasis_present_or_possible"], row["first_bone_metastasis_present"]) == (
        "2020-01-01", "2020-06-01")


def test_first_sre_is_the_earliest_pathologic_fracture_or_cord_compression(tmp_path: Path) -> None:
    (row,) = _rows(tmp_path, [_rec("a", "P", "2021-01-01", pathologic_fracture="present"),
                              _rec("b", "P", "2020-07-01", cord_compression="present"),
                              _rec("c", "P", "2020-01-01", cord_compression="possible")])
    assert (row["first_sre_date"], row["first_sre"]) == ("2020-07-01", ["cord_compression"])


def test_latest_change_is_the_last_report_that_has_one(tmp_path: Path) -> None:
    (row,) = _rows(tmp_path, [_rec("a", "P", "2020-01-01", change="new"), _rec("b", "P", "2020-05-01", change="progressed"),
                              _rec("c", "P", "2020-09-01")])
    assert (row["latest_change"], row["latest_change_date"]) == ("progressed", "2020-05-01")


def test_degenerative_findings_seen_over_all_reports(tmp_path: Path) -> None:
    (row,) = _rows(tmp_path, [_rec("a", "P", "2020-01-01", disc_bulge="present"),
                              _rec("b", "P", "2020-02-01", disc_herniation="present", disc_bulge="absent")])
    assert row["degenerative_seen"] == ["disc_herniation", "disc_bulge"]


def test_records_without_patient_or_date_are_counted_not_fatal(tmp_path: Path) -> None:
    code, out, err = _run(tmp_path, [_rec("a", "P", "2020-01-01"), _rec("b", None, "2020-01-01"), _rec("c", "P", None)])
    assert code == 0
    assert len(out.splitlines()) == 1
    assert "1 without a patient id, 1 without a date" in err
    assert "record b has no report.patient_id" in err


def test_all_records_without_a_patient_is_an_error(tmp_path: Path) -> None:
    code, out, err = _run(tmp_path, [_rec("a", None, "2020-01-01")])
    assert code == 1 and out == ""
    assert "--patient-column" in err


def test_csv_cells_cannot_be_formulas(tmp_path: Path) -> None:
    code, out, _ = _run(tmp_path, [_rec("a", "=HYPERLINK(1)", "2020-01-01")], "csv")
    assert code == 0
    assert out.splitlines()[1].startswith("'=HYPERLINK(1)")


def test_parquet_needs_an_output_file(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    code, _, err = _run(tmp_path, [_rec("a", "P", "2020-01-01")], "parquet")
    assert code == 2 and "needs -o FILE" in err


def test_parquet_rows_match_json(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "records.jsonl"
    path.write_text(json.dumps(_rec("a", "P", "2020-01-01", disc_bulge="present")) + "\n", encoding="utf-8")
    target = tmp_path / "p.parquet"
    assert run_patients([str(path)], "parquet", str(target), str(tmp_path), stdout=io.StringIO(), stderr=io.StringIO()) == 0
    (row,) = pq.read_table(target).to_pylist()
    assert (row["patient_id"], row["reports"], row["degenerative_seen"]) == ("P", 1, ["disc_bulge"])


def test_the_temporary_store_is_removed(tmp_path: Path) -> None:
    _run(tmp_path, [_rec("a", "P", "2020-01-01")])
    assert not list(tmp_path.glob("reportnlp-patients-*"))


def test_the_patients_command_is_wired(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "records.jsonl"
    path.write_text(json.dumps(_rec("a", "P1", "2020-01-01", bone_metastasis="present")) + "\n", encoding="utf-8")
    run = cli("patients", str(path), "--format", "csv")
    assert run.returncode == 0, run.stderr
    assert run.stdout.decode().splitlines()[1].startswith("P1,1,2020-01-01,2020-01-01,2020-01-01,2020-01-01,")
