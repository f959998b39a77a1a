"""One row per patient from records: the timeline of bone metastasis and skeletal-related events.

Records are reduced to a few columns as they stream in and stored in an SQLite file on disk; the
rows are then read back sorted by patient and date (SQLite sorts with temporary files when they do
not fit its small cache), and each patient's row is built from its reports alone. So memory stays
flat whatever the number of records or patients (``bench/patients_bench.py`` measures it). A record
needs ``report.patient_id`` and ``report.date`` (``extract --patient-column --date-column``, or a date
in the report header): records without them are counted and left out, as are error records.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportnlp.records.labels import DEGENERATIVE_KEYS
from reportnlp.records.stream import Line
from reportnlp.tables.writers import Column

SRE_LABELS = ("pathologic_fracture", "cord_compression")
AFFIRMED = ("present", "possible")
COLUMNS = [
    Column("patient_id"),
    Column("reports", "int"),
    Column("first_date"),
    Column("last_date"),
    Column("first_bone_metastasis_present"),
    Column("first_bone_metastasis_present_or_possible"),
    Column("first_sre_date"),
    Column("first_sre", "list"),
    Column("latest_change"),
    Column("latest_change_date"),
    Column("degenerative_seen", "list"),
    Column("low_sensitivity_negatives", "int"),
]
_INSERT_BATCH = 5_000


@dataclass
class Counts:
    """What was read and what was left out, for stderr and the exit code."""

    lines: int = 0
    malformed: int = 0
    failed: int = 0
    no_patient: int = 0
    no_date: int = 0
    used: int = 0
    examples: list[str] = field(default_factory=list)


def _row(record: dict[str, Any]) -> tuple[Any, ...] | str:
    """The stored columns of one ok record, or why it cannot be placed on a timeline."""
    report = record.get("report") if isinstance(record.get("report"), dict) else {}
    pid, date = report.get("patient_id"), report.get("date")
    if not isinstance(pid, str) or not pid:
        return "no_patient"
    if not isinstance(date, str) or not date:
        return "no_date"
    labels = record["labels"]
    degenerative = labels.get("degenerative") or {}
    change = labels.get("change") or {}
    return (
        pid,
        date,
        str(record.get("id")),
        labels.get("bone_metastasis"),
        ",".join(s for s in SRE_LABELS if labels.get(s) == "present"),
        change.get("bone_metastasis"),
        ",".join(k for k in DEGENERATIVE_KEYS if degenerative.get(k) == "present"),
        1 if labels.get("low_sensitivity_negative") else 0,
    )


class PatientTable:
    """Add lines with :meth:`add`, then iterate :meth:`rows`; :meth:`close` removes the temporary store."""

    def __init__(self, tmp_dir: str | None = None, cache_kib: int = 8_192) -> None:
        self.counts = Counts()
        self._dir = tempfile.mkdtemp(prefix="reportnlp-patients-", dir=tmp_dir)
        self._db = sqlite3.connect(Path(self._dir) / "records.sqlite")
        self._db.execute(f"PRAGMA cache_size = -{cache_kib}")
        self._db.execute("PRAGMA temp_store = FILE")
        self._db.execute("PRAGMA journal_mode = OFF")
        self._db.execute("PRAGMA synchronous = OFF")
        self._db.execute("CREATE TABLE r (seq INTEGER PRIMARY KEY, pid TEXT, date TEXT, id TEXT, bm TEXT, sre TEXT,"
                         " chg TEXT, degen TEXT, lsn INTEGER)")
        self._pending: list[tuple[Any, ...]] = []

    def add(self, line: Line) -> None:
        c = self.counts
        c.lines += 1
        if line.record is None:
            c.malformed += 1
            self._example(f"{line.file}:{line.line}: {line.reason}")
            return
        record = line.record
        if record.get("status") != "ok":
            c.failed += 1
            return
        row = _row(record)
        if row == "no_patient":
            c.no_patient += 1
            self._example(f"{line.file}:{line.line}: record {record.get('id')!s:.80} has no report.patient_id")
        elif row == "no_date":
            c.no_date += 1
            self._example(f"{line.file}:{line.line}: record {record.get('id')!s:.80} has no report.date")
        else:
            c.used += 1
            self._pending.append(row)  # type: ignore[arg-type]
            if len(self._pending) >= _INSERT_BATCH:
                self._flush()

    def _example(self, text: str) -> None:
        if len(self.counts.examples) < 10:
            self.counts.examples.append(text)

    def _flush(self) -> None:
        self._db.executemany("INSERT INTO r (pid, date, id, bm, sre, chg, degen, lsn) VALUES (?,?,?,?,?,?,?,?)",
                             self._pending)
        self._pending = []

    def rows(self) -> Iterator[dict[str, Any]]:
        """One dict per patient, sorted by patient id."""
        self._flush()
        self._db.commit()
        cursor = self._db.execute("SELECT pid, date, bm, sre, chg, degen, lsn FROM r ORDER BY pid, date, seq")
        current: dict[str, Any] | None = None
        degenerative: set[str] = set()
        for pid, date, bm, sre, chg, degen, lsn in cursor:
            if current is None or current["patient_id"] != pid:
                if current is not None:
                    current["degenerative_seen"] = sorted(degenerative, key=DEGENERATIVE_KEYS.index)
                    yield current
                current = {c.name: None for c in COLUMNS}
                current.update(patient_id=pid, reports=0, first_date=date, first_sre=[], low_sensitivity_negatives=0)
                degenerative = set()
            current["reports"] += 1
            current["last_date"] = date
            if bm == "present" and current["first_bone_metastasis_present"] is None:
                current["first_bone_metastasis_present"] = date
            if bm in AFFIRMED and current["first_bone_metastasis_present_or_possible"] is None:
                current["first_bone_metastasis_present_or_possible"] = date
            if sre and current["first_sre_date"] is None:
                current["first_sre_date"] = date
            if sre and current["first_sre_date"] == date:
                current["first_sre"] = sorted(set(current["first_sre"]) | set(sre.split(",")), key=SRE_LABELS.index)
            if chg:
                current["latest_change"], current["latest_change_date"] = chg, date
            if degen:
                degenerative.update(degen.split(","))
            current["low_sensitivity_negatives"] += lsn
        if current is not None:
            current["degenerative_seen"] = sorted(degenerative, key=DEGENERATIVE_KEYS.index)
            yield current

    def close(self) -> None:
        self._db.close()
        shutil.rmtree(self._dir, ignore_errors=True)

    def __enter__(self) -> PatientTable:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
