"""Imaging-history timelines: dated lines of past studies.

An oncology flowsheet, a registry abstract or an MDT summary lists the patient's studies one a line, each
opening with its date ("03/2021  MRI L-spine: L4-5 HNP", "JAN 2022 WB-MRI: ...", "2019 SKELETAL SURVEY:
..."). A line whose date is a year or more before the latest date the text names is the patient's past
(labels.md section 2: what a study of an earlier year showed is historical; section 4: a study dated a year
or more before the visit was not performed). Only a line that opens with its date and names its study right
after it is read so, or a records review's line whose label ends with its date and a colon ("2. MRI lumbar spine
05/12/2023: ..."); a date inside a sentence is the study's own business (labels/modalities.py `dated_before_note`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from operator import itemgetter
from typing import Any

from reportnlp.nlp.date_rules import day_first

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
# A date opening a line (after a bullet): 03/2021, 11/20/24, 2024-02-14, Mar 2024, MAR 2024, 2019.
_LINE_DATE = re.compile(
    r"[ \t>*\u2022-]*(?:(?P<a>\d{1,2})(?:/(?:(?P<b>\d{1,2})/(?P<y>(?:19|20)?\d\d)|(?P<y4>(?:19|20)\d\d))"
    r"|\.(?P<db>\d{1,2})\.(?P<dy>(?:19|20)\d\d))(?![\d/.]\d|[\d/])"
    r"|(?P<iy>(?:19|20)\d\d)-(?P<im>\d\d)-\d\d"
    rf"|(?P<mon>{_MONTH})[ \t]+(?P<my>(?:19|20)\d\d)"
    r"|(?P<bare>(?:19|20)\d\d)(?![\d/-]))\b(?P<mon2>(?!))?",
    re.IGNORECASE,
)
# What may stand between a line's date and its study: separators and a few words ("LOW-DOSE WB-").
_TO_STUDY = re.compile(r"[A-Za-z \t:,/-]{0,30}")
# A records review's item: a line whose label of a few words ends with its date and a colon ("2. MRI lumbar spine
# 05/12/2023: L4-5 protrusion", "1. ED note 04/18/2023: lumbar strain; lumbar x-rays negative for fracture"; session
# 26). All the line tells is that record's, so a study anywhere on it is dated so.
_LABEL_DATE = re.compile(
    r"[ \t>*\u2022-]*(?:\d{1,2}[.)][ \t]*)?(?:[A-Za-z][\w/&+-]*[ \t]+){1,6}?"
    r"(?:(?P<a>\d{1,2})(?:/(?:(?P<b>\d{1,2})/(?P<y>(?:19|20)?\d\d)|(?P<y4>(?:19|20)\d\d))"
    r"|\.(?P<db>\d{1,2})\.(?P<dy>(?:19|20)\d\d))(?![\d/.]\d|[\d/])"
    r"|(?P<iy>(?:19|20)\d\d)-(?P<im>\d\d)-\d\d"
    rf"|(?P<mon>{_MONTH})[ \t]+(?P<my>(?:19|20)\d\d))(?P<bare>(?!))?(?P<mon2>(?!))?"
    r"(?:[ \t]*\([^()\n]{1,40}\))?[ \t]*:",
    re.IGNORECASE,
)
_LABEL_REACH = 120  # the longest such label read from a line's start: each study's try stays bounded
# Every date of the text whose month is known, and a bare year that opens a line ("2019 SKELETAL SURVEY"). The word
# boundary that four of them open with is asked once, before them: Python's re tries each branch at every character,
# and the branches' own boundaries were a third of a scan (a long clinical note is read whole for its latest date).
_ANY_DATE = re.compile(
    r"\b(?:(?P<a>\d{1,2})(?:/(?:(?P<b>\d{1,2})/(?P<y>(?:19|20)?\d\d)|(?P<y4>(?:19|20)\d\d))"
    r"|\.(?P<db>\d{1,2})\.(?P<dy>(?:19|20)\d\d))(?![\d/.]\d|[\d/])"
    r"|(?P<iy>(?:19|20)\d\d)-(?P<im>\d\d)-\d\d\b"
    rf"|(?P<mon>{_MONTH})[ \t]+(?:\d{{1,2}},?[ \t]+)?(?P<my>(?:19|20)\d\d)\b"
    # "3 Nov 24": a day, a month word and a two-digit year (session 32)
    rf"|\d{{1,2}}(?:st|nd|rd|th)?[ \t]+(?P<mon2>{_MONTH})[ \t]+'?(?P<my2>\d\d)\b(?![.:/]\d))"
    r"|(?:^|\n)[ \t>*\u2022-]*(?P<bare>(?:19|20)\d\d)(?![\d/-])",
    re.IGNORECASE,
)
_YEAR_MONTHS = 12
_line_start = itemgetter(0)


def _month_index(m: re.Match[str], bare_month: int, order: _Order) -> int | None:
    """Months since year 0 of a date match; a bare year takes ``bare_month`` (1 for the earliest it can
    be, 12 for the latest); a numeric date is month first unless its first number is over 12 or the text writes
    its dates day first (``order``; labels.md section 8)."""
    if m.group("a") is not None:  # a month-year date needs its four-digit year ("10/10" is a score)
        year = int(m.group("y") or m.group("y4") or m.group("dy"))
        year = year if year > 99 else (2000 + year if year < 70 else 1900 + year)
        a, b = int(m.group("a")), m.group("b") or m.group("db")
        month = a if a <= 12 and (b is None or int(b) > 12 or not order.day_first()) else (int(b) if b is not None else 0)
        return year * 12 + month if 1 <= month <= 12 else None
    if m.group("mon2") is not None:
        year = int(m.group("my2"))
        return (2000 + year if year < 70 else 1900 + year) * 12 + _MONTHS.index(m.group("mon2")[:3].lower()) + 1
    if m.group("iy") is not None:
        month = int(m.group("im"))
        return int(m.group("iy")) * 12 + month if 1 <= month <= 12 else None
    if m.group("mon") is not None:
        return int(m.group("my")) * 12 + _MONTHS.index(m.group("mon")[:3].lower()) + 1
    return int(m.group("bare")) * 12 + bare_month


class _Order:
    """Whether the text writes its numeric dates day first (``date_rules.day_first``), asked only when a date reads
    both ways, and then once."""

    __slots__ = ("_day_first", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._day_first: bool | None = None

    def day_first(self) -> bool:
        if self._day_first is None:
            self._day_first = day_first(self.text)
        return self._day_first


def latest_date(text: str, order: _Order | None = None) -> int | None:
    """The latest date the text names, in months (a bare year at a line start as its January). The last text's is
    remembered: a note asks again for each of its studies with a date after it (``dated_a_year_before``). The memo is
    one tuple, read and replaced whole, so two pipelines in two threads never pair one text with another's date."""
    global _latest
    asked, latest = _latest
    if asked is text:
        return latest
    order = order or _Order(text)
    found = [i for m in _ANY_DATE.finditer(text) if (i := _month_index(m, 1, order)) is not None]
    latest = max(found) if found else None
    _latest = (text, latest)
    return latest


_latest: tuple[str | None, int | None] = (None, None)  # the last text asked and its latest date


def past_lines(text: str, studies: Iterable[dict[str, Any]]) -> list[tuple[int, int]]:
    """(start, end) of each line that opens with a date, names one of ``studies`` (modality mentions)
    right after it, and is dated a year or more before the latest date of the text."""
    lines: dict[int, tuple[int, int]] = {}  # line start -> (line end, date in months)
    order = _Order(text)
    at, start = 0, 0  # the last study's start and its line's start
    for s in studies:
        # Studies come in text order: the line break before this one is after the last study's or its line
        # starts where the last one's does, so the text is read back once, not from each study to its line start
        # (thousands of studies on one long line stayed quadratic: session 22).
        back = text.rfind("\n", at if s["start"] >= at else 0, s["start"])
        start = back + 1 if back >= 0 or s["start"] < at else start
        at = s["start"]
        if start in lines:
            continue
        m = _LINE_DATE.match(text, start, s["start"])
        if m is None or _TO_STUDY.fullmatch(text, m.end(), s["start"]) is None:
            m = _LABEL_DATE.match(text, start, start + _LABEL_REACH)
            if m is None or text.find("\n", start, s["start"]) >= 0:
                continue
        when = _month_index(m, 12, order)
        if when is not None:
            end = text.find("\n", s["start"])
            lines[start] = (len(text) if end < 0 else end, when)
    if not lines:
        return []  # nearly every text: no study opens a dated line
    latest = latest_date(text, order)
    if latest is None:
        return []
    return [(start, end) for start, (end, when) in sorted(lines.items()) if latest - when >= _YEAR_MONTHS]


def on_lines(m: dict[str, Any], lines: list[tuple[int, int]]) -> bool:
    """Whether mention m lies on one of the lines (``past_lines``: in text order, apart), by bisection: only the
    last line starting at or before the mention can hold it (a timeline of thousands of dated lines stays
    linear: session 21)."""
    at = m["start"]
    k = bisect_right(lines, at, key=_line_start)
    return k > 0 and at < lines[k - 1][1]


# A study's own full date right after it ("The CT of 06/22/2025 showed no fracture", "MRI dated 14.02.2024"; session
# 32), a few words of its body part between.
_DATE_AFTER_STUDY = re.compile(
    r"(?:[ \t]+[\w-]+){0,4}?[ \t]+(?:of|from|dated|on|done[ \t]+on)[ \t]+"
    r"(?P<a>\d{1,2})(?:/(?P<b>\d{1,2})/(?P<y>(?:19|20)?\d\d)|\.(?P<db>\d{1,2})\.(?P<dy>(?:19|20)\d\d))(?![\d/.]\d|[\d/])"
    r"(?P<y4>(?!))?(?P<iy>(?!))?(?P<mon>(?!))?(?P<mon2>(?!))?(?P<bare>(?!))?",
    re.IGNORECASE,
)


def dated_a_year_before(text: str, start: int, end: int) -> bool:
    """Whether the words from ``start`` (a study's end) up to ``end`` give the study its own full date right after it,
    a year or more before the latest date the text names."""
    m = _DATE_AFTER_STUDY.match(text, start, end)
    if m is None:
        return False
    order = _Order(text)
    when, latest = _month_index(m, 12, order), latest_date(text, order)
    return when is not None and latest is not None and latest - when >= _YEAR_MONTHS
