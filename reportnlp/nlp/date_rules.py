"""Dates as reports write them, and ``patterns/report_date.json`` (how the header gives the report's date).

The date grammar lives here so the rules (``{DATE}`` in a rule's regex) and :func:`parse_date` agree on
what a date is. Every problem with the rule file is a :class:`RuleError` naming the file and the rule.
No spaCy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from reportnlp.nlp.rule_checks import RuleError, check_keys, check_rules, compile_regex
from reportnlp.nlp.safe_regex import SafePattern, SafeSet, UnsafeRegex

DATE_FILE = "report_date.json"
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
# One date as written in reports; numeric forms read month first (US) unless the first number is over 12 or the text
# writes its dates day first (day_first; session 32). A two-digit year after a month word ("3 Nov 24") is no header
# date: every form here holds DATE_HINT, which lets a header line be read at all.
DATE = (
    r"(?:\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2})?\S*)?"
    r"|\d{4}/\d{1,2}/\d{1,2}"
    r"|\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})"
    rf"|{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\.?,?\s+\d{{4}}"
    r"|(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))"
)
_WHOLE_DATE = re.compile(rf"\s*({DATE})\s*", re.IGNORECASE)
# Every DATE form holds four digits in a row or a digit, a separator and a digit ("2021", "3/4/21", "14.03.2021"): a
# header line without them holds no date (most header lines with a digit: "2 views", "T12", "Clinical: 45M"), so the
# rules need not read it (session 23: RE2's set of the rules read every line with a digit, about 0.1 M instructions a
# public report, most of it building DFA states for new lines).
DATE_HINT = re.compile(r"\d(?:\d{3}|[/.-]\d)")


# How a text tells the order of its numeric dates (session 32): a date whose first number is over 12 and second is not
# ("25/10/2024") is day first, the reverse ("10/25/2024") month first; else a day written before a month word with
# its year ("3rd November 2024", "3 Nov 24") is day first and a month word before its day ("November 3, 2024") month
# first; else dates with stops ("03.11.2024") are day first, as Europe writes them; else a UK hospital's "NHS" is.
# English spelled outside the US ("tumour", "oedema", "orthopaedic") is no sign: writers mix it with US dates (13 of
# the project's own phrasing cases do: "TUMOUR BOARD 12/03/2026" is 3 December), so a text with nothing else keeps
# the month first.
# Each pattern opens with a digit, so Python's re skips to digits in C (a led-by-word or look-behind pattern stepped
# through every character: 0.5 ms a 2 kB report); what must not stand before the match is checked after it.
_NUMERIC_DATE = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(?:\d{4}|\d{2})(?![\d/.-]?\d)")
_DAY_BEFORE_MONTH = re.compile(rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\.?,?\s+'?(?:(?:19|20)\d\d|\d\d)\b", re.I)
_DAY_AND_YEAR = re.compile(r"\d{1,2}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d\b", re.I)  # "3, 2024" of "November 3, 2024"
_MONTH_JUST_BEFORE = re.compile(rf"\b{_MONTH}\.?\s+$", re.I)
_UK_HOSPITAL = re.compile(r"\bNHS\b")
_NOT_BEFORE_DATE = "0123456789/.-"


def _first(pattern: re.Pattern[str], text: str, not_before: str) -> int | None:
    """Where ``pattern`` first matches with no character of ``not_before`` (nor, for letters, a letter) before it."""
    for m in pattern.finditer(text):
        before = text[m.start() - 1] if m.start() else " "
        if before not in not_before and not before.isalpha():
            return m.start()
    return None


def _month_before_day(text: str) -> int | None:
    """Where a month word before its day and year ("November 3, 2024") first stands."""
    for m in _DAY_AND_YEAR.finditer(text):
        d = m.start()
        if (not d or not text[d - 1].isalnum()) and _MONTH_JUST_BEFORE.search(text, max(0, d - 12), d):
            return d
    return None


AMBIGUOUS_DATE = re.compile(r"\s*(\d{1,2})[/.-](\d{1,2})[/.-]")


def day_first(text: str) -> bool:
    """Whether the text writes its numeric dates day first (see _NUMERIC_DATE above for how it tells)."""
    dotted = False
    for m in _NUMERIC_DATE.finditer(text):
        if m.start() and text[m.start() - 1] in _NOT_BEFORE_DATE:
            continue  # inside a longer number or date ("2024-11-03")
        a, b = int(m.group(1)), int(m.group(3))
        if 12 < a <= 31 and 1 <= b <= 12:
            return True
        if 12 < b <= 31 and 1 <= a <= 12:
            return False
        dotted = dotted or m.group(2) == "."
    day_word, month_word = _first(_DAY_BEFORE_MONTH, text, _NOT_BEFORE_DATE), _month_before_day(text)
    if day_word is not None or month_word is not None:
        return month_word is None or (day_word is not None and day_word < month_word)
    return dotted or _UK_HOSPITAL.search(text) is not None


def ambiguous(value: str) -> bool:
    """Whether a numeric date reads both ways ("03/11/2024"; not "14/03/2021", "2021-03-14")."""
    m = AMBIGUOUS_DATE.match(value)
    return m is not None and 1 <= int(m.group(1)) <= 12 and 1 <= int(m.group(2)) <= 12


def parse_date(value: str, day_first: bool = False) -> str | None:
    """ISO ``YYYY-MM-DD`` for a date written as reports and exports write them, else None; ``day_first`` reads a
    numeric date whose two first numbers are both 12 or under day first ("03/11/2024" 3 November)."""
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
            month, day = (b, a) if a > 12 or (day_first and b <= 12) else (a, b)
            return date(y, month, day).isoformat()
        words = re.findall(r"[a-z]+|\d+", s)
        numbers = [int(w) for w in words if w.isdigit()]
        month = next(_MONTHS[w] for w in words if w in _MONTHS)
        day, year = (numbers[0], numbers[1]) if numbers[0] <= 31 else (numbers[1], numbers[0])
        return date(year, month, day).isoformat()
    except (ValueError, StopIteration, IndexError):
        return None


@dataclass(frozen=True)
class DateRules:
    """The compiled report_date.json."""

    header_chars: int
    header_lines: int
    skip_lines: re.Pattern[str]
    rules: tuple[tuple[str, re.Pattern[str], bool], ...]  # (id, regex, first line only)
    # RE2's multi-pattern set of the rules' regexes (which rules can match a line, one pass); None when
    # the rules are not all RE2 ones or the set refuses them: then every rule is tried
    rule_set: SafeSet | None = None


def _rule_regex(rid: str, rule: dict[str, Any]) -> re.Pattern[str]:
    raw = rule["regex"]
    if not isinstance(raw, str) or "{DATE}" not in raw:
        raise RuleError(DATE_FILE, rid, "regex must be a string containing {DATE}")
    rx = compile_regex(DATE_FILE, rid, raw.replace("{DATE}", DATE), re.IGNORECASE | re.MULTILINE)
    if "date" not in rx.groupindex:
        raise RuleError(DATE_FILE, rid, "regex needs a named group (?P<date>...)")
    return rx


def validate_date_rules(doc: dict[str, Any]) -> None:
    """Raise RuleError for anything wrong with report_date.json (called by ``load_rules``)."""
    f = DATE_FILE
    check_keys(f, None, doc, {"name", "version", "header_chars", "header_lines", "skip_lines", "date_rules"}, {"description"})
    for key in ("header_chars", "header_lines"):
        value = doc[key]
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise RuleError(f, key, "must be a positive integer")
    compile_regex(f, "skip_lines", doc["skip_lines"], re.IGNORECASE)

    def check(rid: str, rule: dict[str, Any]) -> None:
        check_keys(f, rid, rule, {"id", "regex"}, {"first_line_only", "comment"})
        if not isinstance(rule.get("first_line_only", False), bool):
            raise RuleError(f, rid, "'first_line_only' must be true or false")
        _rule_regex(rid, rule)

    check_rules(f, doc, "date_rules", check)


def compile_date_rules(doc: dict[str, Any]) -> DateRules:
    """The compiled rules of a validated report_date.json."""
    rules = tuple((r["id"], _rule_regex(r["id"], r), bool(r.get("first_line_only"))) for r in doc["date_rules"])
    patterns = [pattern for _, pattern, _ in rules]
    try:
        rule_set = SafeSet(patterns) if all(isinstance(p, SafePattern) for p in patterns) else None
    except UnsafeRegex:
        rule_set = None
    return DateRules(
        header_chars=doc["header_chars"],
        header_lines=doc["header_lines"],
        skip_lines=re.compile(doc["skip_lines"], re.IGNORECASE),
        rules=rules,
        rule_set=rule_set,
    )
