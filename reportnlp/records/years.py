"""The calendar years a text names, read without running a word-led regex over the whole text.

``DATED_YEAR`` says what a named year is. Its last branch starts with a word ("in", "since", a month ...), so
``finditer`` over a whole report tries that alternation at every character (about 0.1 ms a generated report,
issue 18 item 4). Every match holds a digit, so ``years_named`` finds the digit runs first (one C scan) and
tries the regex only where a match could start: at a run, or at the word just before it. It returns the same
years, in the same order, as ``finditer`` would (tests/test_years.py checks it against the plain scan).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# A year the text names: a numeric date's year (two or four digits, or an ISO date's), a month's year, or
# "in / since / of ... 2003".
DATED_YEAR = re.compile(
    r"\b\d{1,2}[/-]\d{1,2}[/-](?:(?P<short>\d\d)|(?P<long>(?:19|20)\d\d))\b"
    r"|\b\d{1,2}/(?P<long2>(?:19|20)\d\d)\b"
    r"|\b(?P<iso>(?:19|20)\d\d)-\d\d-\d\d\b"
    r"|(?:\b(?:in|since|of|from|during|until|by|year|jan\w*|feb\w*|mar\w*|apr\w*|may|jun\w*|jul\w*|aug\w*|sep\w*|"
    r"oct\w*|nov\w*|dec\w*|spring|summer|fall|autumn|winter)\.?,?\s+(?:\d{1,2},?\s+)?)(?P<long3>(?:19|20)\d\d)\b(?![/-]\d)",
    re.IGNORECASE,
)
_DIGIT_RUN = re.compile(r"\d+")
# What the word-led branch reads from its first digit on (filters only, so that most runs skip the step back to
# the word): after whitespace, its year or a day and its year; inside a word ("jan1 2003"), the word's rest first.
_YEAR_FROM_HERE = re.compile(r"(?:\d{1,2},?\s+)?(?:19|20)\d\d")
_WORD_THEN_YEAR = re.compile(r"\w*\.?,?\s+(?:\d{1,2},?\s+)?(?:19|20)\d\d")
_AFTER_DATE_DIGITS = ("/", "-")  # a date's first run is followed by one


def years_named(text: str) -> Iterator[int]:
    """The years ``DATED_YEAR.finditer(text)`` names, in its order: the dates' years (03/14/2021, 12/31/08,
    07/2003, 2021-03-14, March 2021) and the years after "in", "of", "since" ... ("in 2003")."""
    match = DATED_YEAR.match
    pos = 0  # where finditer would search from: the end of the last match
    for run in _DIGIT_RUN.finditer(text):
        d, e = run.span()
        if d < pos:
            continue  # inside a run no match starts: a digit follows a word character, and no branch opens with one
        before = text[d - 1] if d else " "
        if (
            (before.isspace() and _YEAR_FROM_HERE.match(text, d) is not None)  # "in 2003", "March 4, 2003"
            or (
                ((before.isalnum() and not before.isdecimal()) or before == "_")
                and _WORD_THEN_YEAR.match(text, d) is not None  # "jan1 2003"
            )
        ):
            m = _led_by_word(text, d, pos)
            if m is not None:
                pos = m.end()
                yield _year(m)
                continue
        if text[e : e + 1] in _AFTER_DATE_DIGITS and not (before.isalnum() or before == "_"):
            m = match(text, d)  # 03/14/2021, 07/2003, 2021-03-14: a run after a word boundary, then / or -
            if m is not None:
                pos = m.end()
                yield _year(m)


def _led_by_word(text: str, d: int, floor: int) -> re.Match[str] | None:
    """The word-led match whose first digit is ``text[d]``, if any: text[p:d] is the word's non-digit
    characters, then an optional stop, comma and whitespace ("March, ", "in ", "jan" of "jan1")."""
    p = _word_before(text, d, floor)
    return DATED_YEAR.match(text, p) if p is not None else None


def _word_before(text: str, d: int, floor: int) -> int | None:
    """Where the word-led branch must start for its first digit to be ``text[d]``: text[p:d] is that word's
    non-digit characters, then an optional stop, comma and whitespace ("March, ", "in ", "jan" of "jan1")."""
    i = d
    while i > floor and text[i - 1].isspace():
        i -= 1
    if i > floor and text[i - 1] == ",":
        i -= 1
    if i > floor and text[i - 1] == ".":
        i -= 1
    j = i
    while j > floor and (text[j - 1].isalnum() or text[j - 1] == "_") and not text[j - 1].isdecimal():
        j -= 1
    return j if j < i else None  # no word: only a branch that opens with the digit can match


def _year(m: re.Match[str]) -> int:
    """The year one match names; a two-digit year below 40 is this century's."""
    if m.group("short"):
        y = int(m.group("short"))
        return 2000 + y if y < 40 else 1900 + y
    return int(m.group("long") or m.group("long2") or m.group("long3") or m.group("iso"))
