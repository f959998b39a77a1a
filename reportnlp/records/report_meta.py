"""Who a report is about and when it was written: the record's ``report`` block, for timelines.

The patient id and the date come from input columns when ``--patient-column`` / ``--date-column``
name them (CSV and JSONL inputs keep their other columns in ``Report.fields``). Without a date
column, the date is looked for in the report's header: a labelled exam date ("DATE OF EXAM:
03/14/2021") or a date on the first line ("MRI LUMBAR SPINE 03/14/2021"), never a date of birth or
a comparison / prior exam. Dates are written ISO (``YYYY-MM-DD``); a value that is not a date is
kept in ``date_raw`` with the warning ``unparseable_report_date``. Nothing here imports spaCy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

UNPARSEABLE_DATE = "unparseable_report_date"
MISSING_COLUMN = "report_column_missing"
# The header is the top of the report: dates further down are about other things (priors, history).
HEADER_CHARS = 600
HEADER_LINES = 8

_MONTHS = {
    name: i
    for i, names in enumerate(
        (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
         ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
         ("dec", "december")),
        start=1,
    )
    for name in names
}
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
# One date as written in reports; numeric forms read month first (US) unless the first number is over 12.
DATE = (
    r"(?:\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2})?\S*)?"
    r"|\d{4}/\d{1,2}/\d{1,2}"
    r"|\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})"
    rf"|{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\.?,?\s+\d{{4}}"
    r"|(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))"
)
_WHOLE_DATE = re.compile(rf"\s*({DATE})\s*", re.IGNORECASE)

# De-identified exports wrap dates: "**DATE[Mar 15 2019]" (the date inside is the evidence).
_WRAP = r"(?:\*\*DATE\[)?"
# Header rules, tried in this order; the first that matches decides. Group "date" is the evidence.
HEADER_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "labelled_exam_date",
        re.compile(
            r"(?<![A-Za-z])(?:date\s+of\s+(?:exam(?:ination)?|study|service|procedure|report)|exam(?:ination)?\s+date"
            r"|study\s+date|procedure\s+date|service\s+date|report\s+date|date\s+of\s+dictation|dos)(?:\s*/\s*time)?"
            rf"\s*[:#-]?\s*{_WRAP}(?P<date>{DATE})",
            re.IGNORECASE,
        ),
    ),
    (
        "labelled_date",
        re.compile(rf"(?<![A-Za-z])date\s*:\s*{_WRAP}(?P<date>{DATE})", re.IGNORECASE),
    ),
    # A title line ending in a date ("CT CHEST 2020-01-02"); a date inside a sentence is about something else.
    ("first_line_date", re.compile(rf"^.{{0,80}}?(?<![\w/.-]){_WRAP}(?P<date>{DATE})\]?[\s.:]*$", re.IGNORECASE)),
)
# A header line about something other than this exam: its dates are not the report's date.
_OTHER_DATE_LINE = re.compile(
    r"\b(?:dob|d\.o\.b|birth|born|comparison|compared|prior|previous|history|admi(?:t|ssion)|discharge)\b", re.IGNORECASE
)


@dataclass(frozen=True)
class ReportColumns:
    """The input columns (or JSONL fields) that hold the patient id and the report date."""

    patient: str | None = None
    date: str | None = None


def parse_date(value: str) -> str | None:
    """ISO ``YYYY-MM-DD`` for a date written as reports and exports write them, else None."""
    m = _WHOLE_DATE.fullmatch(value)
    if not m:
        return None
    s = m.group(1).lower()
    try:
        if re.fullmatch(r"\d{8}", s):
            return date(int(s[:4]), int(s[4:6]), int(s[6:])).isoformat()
        if re.match(r"\d{4}[-/]", s):
            y, mo, d = (int(x) for x in re.split(r"[-/]", re.split(r"[t ]", s)[0]))
            return date(y, mo, d).isoformat()
        if re.match(r"\d{1,2}[/.-]\d{1,2}[/.-]", s):
            a, b, y = (int(x) for x in re.split(r"[/.-]", s))
            if y < 100:
                y += 2000 if y < 70 else 1900
            month, day = (b, a) if a > 12 else (a, b)
            return date(y, month, day).isoformat()
        words = re.findall(r"[a-z]+|\d+", s)
        numbers = [int(w) for w in words if w.isdigit()]
        month = next(_MONTHS[w] for w in words if w in _MONTHS)
        day, year = (numbers[0], numbers[1]) if numbers[0] <= 31 else (numbers[1], numbers[0])
        return date(year, month, day).isoformat()
    except (ValueError, StopIteration, IndexError):
        return None


def header_date(text: str) -> dict[str, Any] | None:
    """The report's own date from its header, with the evidence: ``{"date", "text", "start", "end", "rule"}``."""
    head = text[:HEADER_CHARS]
    lines: list[tuple[int, str]] = []
    pos = 0
    for line in head.splitlines(keepends=True):
        if line.strip():
            lines.append((pos, line))
        pos += len(line)
        if len(lines) >= HEADER_LINES:
            break
    for rule, pattern in HEADER_RULES:
        candidates = lines[:1] if rule == "first_line_date" else lines
        for offset, line in candidates:
            if _OTHER_DATE_LINE.search(line):
                continue
            for m in pattern.finditer(line):
                iso = parse_date(m.group("date"))
                if iso:
                    start, end = offset + m.start("date"), offset + m.end("date")
                    return {"date": iso, "text": text[start:end], "start": start, "end": end, "rule": rule}
    return None


def report_block(text: str, fields: dict[str, str] | None, columns: ReportColumns, warnings: list[str]) -> dict[str, Any]:
    """The record's ``report`` block; appends warning codes to ``warnings``."""
    fields = fields or {}
    patient_id = None
    if columns.patient:
        if columns.patient not in fields:
            _warn(warnings, MISSING_COLUMN)
        else:
            patient_id = fields[columns.patient].strip() or None
    block: dict[str, Any] = {"patient_id": patient_id, "date": None, "date_raw": None, "date_source": None,
                             "date_evidence": None}
    if columns.date:
        raw = fields.get(columns.date)
        if raw is None:
            _warn(warnings, MISSING_COLUMN)
        elif raw.strip():
            block.update(date=parse_date(raw), date_raw=raw, date_source="column")
            if block["date"] is None:
                _warn(warnings, UNPARSEABLE_DATE)
        return block
    found = header_date(text)
    if found:
        block.update(date=found["date"], date_raw=found["text"], date_source="header",
                     date_evidence={k: found[k] for k in ("text", "start", "end", "rule")})
    return block


def _warn(warnings: list[str], code: str) -> None:
    if code not in warnings:
        warnings.append(code)

