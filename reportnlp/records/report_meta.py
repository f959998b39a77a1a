"""Who a report is about and when it was written: the record's ``report`` block, for timelines.

The patient id and the date come from input columns when ``--patient-column`` / ``--date-column``
name them (CSV and JSONL inputs keep their other columns in ``Report.fields``). Without a date
column, the date is looked for in the report's header by the rules of ``patterns/report_date.json``:
a labelled exam date ("DATE OF EXAM: 03/14/2021") or a date ending the title line ("MRI LUMBAR SPINE
03/14/2021"), never a date of birth or a comparison / prior exam. Dates are written ISO
(``YYYY-MM-DD``; a header's numeric date that reads both ways is read as the report writes its
dates, ``date_rules.day_first``); a value that is not a date is kept in ``date_raw`` with the warning
``unparseable_report_date``. Nothing here imports spaCy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from reportnlp.nlp.date_rules import DATE_HINT, DateRules, ambiguous, day_first, parse_date

UNPARSEABLE_DATE = "unparseable_report_date"
MISSING_COLUMN = "report_column_missing"
_DIGIT = re.compile(r"[0-9]")
# ASCII with its digits folded to "0", and the shape every date form takes in it (_may_hold_date)
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")
_DATE_SHAPE = re.compile(rb"0000|0[/.-]00?[/.-]00")


@dataclass(frozen=True)
class ReportColumns:
    """The input columns (or JSONL fields) that hold the patient id and the report date."""

    patient: str | None = None
    date: str | None = None


def _may_hold_date(text: str) -> bool:
    """Whether ``text`` may hold a date: it holds an ASCII digit and DATE_HINT, and, when it is ASCII, a date's shape.

    Every date form (date_rules.DATE) written in ASCII holds four digits in a row, or a digit, a separator, one or
    two digits, a separator and two digits. With the digits folded to "0" that shape is a few substrings of bytes:
    a few C passes, against Python's regex engine reading the text twice for a digit and DATE_HINT (about 8 us of a
    public report's header, session 24), and fewer lines handed to the rules ("2-3 VIEWS", "L4-5" hold the hint).
    Other text is asked as before."""
    if text.isascii():
        folded = text.encode("ascii").translate(_DIGITS_AS_ZERO)
        if b"0000" in folded:
            return True
        return (b"0/0" in folded or b"0.0" in folded or b"0-0" in folded) and _DATE_SHAPE.search(folded) is not None
    return _DIGIT.search(text) is not None and DATE_HINT.search(text) is not None


def header_date(text: str, rules: DateRules) -> dict[str, Any] | None:
    """The report's own date from its header, with the evidence: ``{"date", "text", "start", "end", "rule"}``."""
    head = text[: rules.header_chars]
    if not _may_hold_date(head):  # 92% of the public reports: no line of their header can hold a date
        return None
    lines: list[tuple[int, str]] = []
    pos = 0
    for line in head.splitlines(keepends=True):
        if line.strip():
            lines.append((pos, line))
        pos += len(line)
        if len(lines) >= rules.header_lines:
            break
    # Whether a line can hold a date at all (_may_hold_date) is decided once per line, not once per rule and line.
    # Which rules can match a line is asked once per line (RE2's set, DateRules.rule_set), and only a line some rule
    # can match is tested against skip_lines (a line naming a birth or an earlier exam is never read): the same first
    # match as trying every rule on every line that has a digit and is not skipped.
    with_digit = [(i, offset, line) for i, (offset, line) in enumerate(lines) if _may_hold_date(line)]
    if not with_digit:
        return None
    rule_set = rules.rule_set
    hits = [rule_set.matching(line) if rule_set is not None else None for _, _, line in with_digit]
    skipped: dict[int, bool] = {}
    for k, (rule, pattern, first_line_only) in enumerate(rules.rules):
        for (i, offset, line), can_match in zip(with_digit, hits, strict=True):
            if first_line_only and i:
                break
            if can_match is not None and k not in can_match:
                continue
            if i not in skipped:
                skipped[i] = rules.skip_lines.search(line) is not None
            if skipped[i]:
                continue
            for m in pattern.finditer(line):
                raw = m.group("date")
                iso = parse_date(raw, day_first=ambiguous(raw) and day_first(text))
                if iso:
                    start, end = offset + m.start("date"), offset + m.end("date")
                    return {"date": iso, "text": text[start:end], "start": start, "end": end, "rule": rule}
    return None


def report_block(text: str, fields: dict[str, str] | None, columns: ReportColumns, warnings: list[str],
                 rules: DateRules) -> dict[str, Any]:
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
            # (a column's date is the export's, not the writer's: its order is not read from the text)
            block.update(date=parse_date(raw), date_raw=raw, date_source="column")
            if block["date"] is None:
                _warn(warnings, UNPARSEABLE_DATE)
        return block
    found = header_date(text, rules)
    if found:
        block.update(date=found["date"], date_raw=found["text"], date_source="header",
                     date_evidence={k: found[k] for k in ("text", "start", "end", "rule")})
    return block


def _warn(warnings: list[str], code: str) -> None:
    if code not in warnings:
        warnings.append(code)

