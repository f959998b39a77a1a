"""Flat tables: `table --of reports|mentions|note_nlp`, `extract --format csv|parquet`, CSV formula safety."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from reportnlp.cli.table import run_table
from reportnlp.render.safe_text import csv_cell as safe_cell
from reportnlp.run.extractor import Extractor
from reportnlp.tables.flat import NOTE_NLP_COLUMNS, NoteNlp, mention_rows, report_row

TEXT = "FINDINGS: Lytic metastasis in L2 has enlarged. No fracture. History of pathologic fracture."


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_a_spreadsheet_would_run_gets_a_quote(start: str) -> None:
    assert safe_cell(start + "1+1") == "'" + start + "1+1"


def test_plain_cells_and_numbers_are_unchanged() -> None:
    assert (safe_cell("L2 lesion"), safe_cell(-3), safe_cell(None)) == ("L2 lesion", -3, None)


@pytest.fixture(scope="module")
def record(extractor: Extractor) -> dict[str, Any]:
    return extractor.record_for_text("42", TEXT)


def test_report_row_flattens_labels(record: dict[str, Any]) -> None:
    row = report_row(record)
    assert (row["id"], row["bone_metastasis"], row["change_bone_metastasis"], row["fracture"]) == (
        "42", "present", "progressed", "absent")
    assert row["degenerative_disc_bulge"] == "not_mentioned"


def test_report_row_of_an_error_record_has_its_error_type() -> None:
    row = report_row({"id": "x", "status": "error", "error": {"type": "empty_report"}, "labels": None, "mentions": []})
    assert (row["status"], row["error_type"], row["bone_metastasis"]) == ("error", "empty_report", None)


def test_one_mention_row_per_mention(record: dict[str, Any]) -> None:
    rows = list(mention_rows(record))
    assert [r["mention_id"] for r in rows] == [m["id"] for m in record["mentions"]]
    lytic = next(r for r in rows if r["text"] == "Lytic metastasis")
    assert (lytic["levels"], lytic["change"], lytic["change_cue"]) == (["L2"], "progressed", "has enlarged")


def test_note_nlp_has_the_omop_columns_in_order() -> None:
    assert [c.name for c in NOTE_NLP_COLUMNS] == [
        "note_nlp_id", "note_id", "section_concept_id", "snippet", "offset", "lexical_variant", "note_nlp_concept_id",
        "note_nlp_source_concept_id", "nlp_system", "nlp_date", "nlp_datetime", "term_exists", "term_temporal",
        "term_modifiers"]


def test_note_nlp_rows_are_counted_mentions_with_term_flags(record: dict[str, Any]) -> None:
    rows = list(NoteNlp("reportnlp test", "2026-01-02").rows(record))
    by_text = {r["lexical_variant"]: r for r in rows}
    assert (by_text["Lytic metastasis"]["term_exists"], by_text["Lytic metastasis"]["term_temporal"]) == ("Y", "present")
    assert by_text["fracture"]["term_exists"] == "N"
    assert rows[0]["note_id"] == 42 and rows[0]["note_nlp_concept_id"] == 0
    assert "concept=bone_metastasis" in by_text["Lytic metastasis"]["term_modifiers"]


def test_note_nlp_history_is_past(record: dict[str, Any]) -> None:
    rows = list(NoteNlp("s", "2026-01-02").rows(record))
    historical = [r for r in rows if "assertion=historical" in r["term_modifiers"]]
    assert historical and all(r["term_temporal"] == "past" for r in historical)


def test_note_nlp_ids_run_across_records_and_text_ids_use_position(record: dict[str, Any]) -> None:
    maker = NoteNlp("s", "2026-01-02")
    first = list(maker.rows(record))
    second = list(maker.rows({**record, "id": "report-b.txt"}))
    assert second[0]["note_nlp_id"] == len(first) + 1
    assert second[0]["note_id"] == 2


def _records_file(tmp_path: Path, records: list[dict[str, Any]]) -> Path:
    path = tmp_path / "records.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_table_csv_neutralises_formulas_in_ids(tmp_path: Path, record: dict[str, Any]) -> None:
    path = _records_file(tmp_path, [{**record, "id": "=cmd|' /C calc'!A0"}])
    out = io.StringIO()
    assert run_table([str(path)], "reports", "csv", None, stdout=out, stderr=io.StringIO()) == 0
    (row,) = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert row["id"].startswith("'=")


def test_table_counts_malformed_lines(tmp_path: Path, record: dict[str, Any]) -> None:
    path = _records_file(tmp_path, [record])
    path.write_text(path.read_text() + "{broken\n", encoding="utf-8")
    err = io.StringIO()
    assert run_table([str(path)], "mentions", "json", None, stdout=io.StringIO(), stderr=err) == 1
    assert ":2: not valid JSON" in err.getvalue()


def test_table_output_file_is_written_whole(tmp_path: Path, record: dict[str, Any]) -> None:
    path = _records_file(tmp_path, [record])
    target = tmp_path / "note_nlp.csv"
    assert run_table([str(path)], "note_nlp", "csv", str(target), "2026-01-02", stderr=io.StringIO()) == 0
    assert target.read_text().startswith("note_nlp_id,note_id,")
    assert not list(tmp_path.glob(".*.part"))


def test_table_parquet_mentions(tmp_path: Path, record: dict[str, Any]) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    path = _records_file(tmp_path, [record])
    target = tmp_path / "m.parquet"
    assert run_table([str(path)], "mentions", "parquet", str(target), stderr=io.StringIO()) == 0
    assert pq.read_table(target).num_rows == len(record["mentions"])


def test_extract_format_csv_gives_one_row_per_report(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a.txt").write_text("XR CHEST\nFINDINGS: No fracture.\n")
    (tmp_path / "b.txt").write_text("FINDINGS: Osseous metastases.\n")
    run = cli("extract", str(tmp_path), "--format", "csv")
    assert run.returncode == 0, run.stderr
    rows = list(csv.DictReader(io.StringIO(run.stdout.decode())))
    assert [(r["id"], r["bone_metastasis"]) for r in rows] == [("a.txt", "not_mentioned"), ("b.txt", "present")]


def test_extract_format_parquet_needs_an_output_file(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("pyarrow")
    (tmp_path / "a.txt").write_text("FINDINGS: No fracture.\n")
    run = cli("extract", str(tmp_path), "--format", "parquet")
    assert run.returncode == 2 and b"needs -o FILE" in run.stderr


def test_a_concept_map_fills_omop_concept_ids(tmp_path: Path, record: dict[str, Any]) -> None:
    path = _records_file(tmp_path, [record])
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"concepts": {"bone_metastasis": 1234}, "sections": {"findings": 5678}}))
    out = io.StringIO()
    assert run_table([str(path)], "note_nlp", "json", None, "2026-01-02", stdout=out, stderr=io.StringIO(),
                     concept_map=str(mapping)) == 0
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    lytic = next(r for r in rows if r["lexical_variant"] == "Lytic metastasis")
    assert (lytic["note_nlp_concept_id"], lytic["section_concept_id"]) == (1234, 5678)


def test_a_bad_concept_map_is_a_usage_error(tmp_path: Path, record: dict[str, Any]) -> None:
    path = _records_file(tmp_path, [record])
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"concepts": {"bone_metastasis": "C1234"}}))
    err = io.StringIO()
    assert run_table([str(path)], "note_nlp", "csv", None, stdout=io.StringIO(), stderr=err, concept_map=str(mapping)) == 2
    assert "'concepts' must map names to integer OMOP concept ids" in err.getvalue()


def test_the_table_command_is_wired(cli, tmp_path: Path, record: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    path = _records_file(tmp_path, [record])
    run = cli("table", str(path), "--of", "note_nlp", "--nlp-date", "2026-01-02")
    assert run.returncode == 0, run.stderr
    assert run.stdout.decode().startswith("note_nlp_id,note_id,section_concept_id,snippet,")
