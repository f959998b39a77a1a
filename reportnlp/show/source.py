"""Find what ``show`` shows: one record and the exact text it was made from.

Either a report (a text file, ``-``, or one row of a .csv / reports .jsonl picked with ``--id``)
that is extracted now, or an existing record (a records .jsonl with ``--id``) whose text comes
from ``--text-from`` (a folder, text file, .csv or .jsonl) or else from the path the record was
read from. Text is read with the same decoding as ``extract``, so the record's offsets apply.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from reportnlp.inputs import InputUsageError, Report, folder_files, iter_reports
from reportnlp.records.stream import iter_lines

_TABLES = (".csv", ".jsonl", ".ndjson")


class ShowError(Exception):
    """One line for stderr (never report text) and the exit code it means."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def _is_records_file(path: Path) -> bool:
    """A .jsonl whose first record-like line is an extract record (not a report to extract)."""
    if path.suffix.lower() not in (".jsonl", ".ndjson"):
        return False
    for line in iter_lines([str(path)]):
        return line.record is not None
    return False


def _find_report(path: str, report_id: str | None, id_column: str, text_column: str) -> Report:
    try:
        reports = iter_reports([path], id_field=id_column, text_field=text_column)
        for report in reports:
            if report_id is None or report.id == report_id:
                return report
    except InputUsageError as exc:
        raise ShowError(str(exc), 2) from None
    raise ShowError(f"{path}: no report with id {report_id!r}")


def _find_record(path: str, report_id: str) -> dict[str, Any]:
    """The record with this id; else the first whose id is it plus a file suffix ('x' finds 'x.txt')."""
    by_stem = None
    for line in iter_lines([path]):
        record = line.record
        rid = record.get("id") if record is not None else None
        if record is None or not isinstance(rid, str):
            continue
        if rid == report_id:
            return record
        suffix = Path(rid).suffix
        if by_stem is None and suffix and rid[: -len(suffix)] == report_id:
            by_stem = record
    if by_stem is not None:
        return by_stem
    raise ShowError(f"{path}: no record with id {report_id!r}")


def _text_for(record: dict[str, Any], text_from: str | None, id_column: str = "id", text_column: str = "text",
              glob: str = "*.txt") -> str:
    rid = record["id"]
    if text_from is None:
        source = record.get("source") or {}
        if source.get("format") != "txt" or not source.get("path") or not Path(source["path"]).is_file():
            raise ShowError(f"{rid}: the record's source is not a readable text file; give --text-from", 2)
        candidates = [source["path"]]
    elif Path(text_from).is_dir():
        candidates = [str(p) for p in (Path(text_from) / rid, Path(text_from) / Path(rid).name) if p.is_file()]
        if not candidates:  # an id that is no plain path (an escaped file name): the folder's own ids
            candidates = [str(file) for fid, _, file, _ in folder_files(Path(text_from), glob, notice=lambda _: None)
                          if fid == rid]
        if not candidates:
            raise ShowError(f"{text_from}: no file {rid!r} in this folder")
    elif Path(text_from).suffix.lower() in _TABLES:
        report = _find_report(text_from, rid, id_column, text_column)
        if report.text is None:
            raise ShowError(f"{rid}: {report.error.message if report.error else 'no text'}")
        return report.text
    else:
        candidates = [text_from]
    report = _find_report(candidates[0], None, "id", "text")
    if report.text is None:
        raise ShowError(f"{candidates[0]}: {report.error.message if report.error else 'no text'}")
    return report.text


def load_view(
    path: str,
    report_id: str | None = None,
    text_from: str | None = None,
    extract: Callable[[Report], dict[str, Any]] | None = None,
    id_column: str = "id",
    text_column: str = "text",
    glob: str = "*.txt",
) -> tuple[dict[str, Any], str]:
    """(record, text) for ``reportnlp show``; ShowError with exit code 2 for usage problems.

    A report (rather than a record) is turned into its record by ``extract``, which the caller
    supplies: this package draws records and never runs the NLP pipeline itself."""
    if path != "-" and not Path(path).exists():
        raise ShowError(f"input path does not exist: {path}", 2)
    if text_from is not None and not Path(text_from).exists():
        raise ShowError(f"--text-from: path does not exist: {text_from}", 2)
    if path != "-" and Path(path).is_dir():
        raise ShowError(f"{path}: is a folder; show takes one report (a file, or a .csv/.jsonl with --id)", 2)
    if path != "-" and _is_records_file(Path(path)):
        if report_id is None:
            raise ShowError(f"{path}: holds records; say which one with --id", 2)
        record = _find_record(path, report_id)
        if record["status"] != "ok":
            raise ShowError(f"{report_id}: record has status error ({record['error']['message']})")
        return record, _text_for(record, text_from, id_column, text_column, glob)
    if Path(path).suffix.lower() in _TABLES and report_id is None:
        raise ShowError(f"{path}: holds several reports; say which one with --id", 2)
    if Path(path).suffix.lower() not in _TABLES and report_id is not None:
        raise ShowError("--id: applies to .csv and .jsonl inputs only", 2)
    report = _find_report(path, report_id, id_column, text_column)
    if extract is None:
        raise ShowError(f"{path}: is a report, not records; no extractor was given to process it", 2)
    record = extract(report)
    if record["status"] != "ok" or report.text is None:
        raise ShowError(f"{record['id']}: {record['error']['message']}")
    return record, report.text
