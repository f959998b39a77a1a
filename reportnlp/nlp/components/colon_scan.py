"""Header scans that start from a text's colons and look back, instead of walking every character.

An ALL CAPS label ("CT PELVIS:", "2. IMPRESSION:", "SKELETAL SURVEY (today):") ends at its colon, and
what stands before that colon within the match is drawn from a few characters (capitals, digits,
blanks, a list number, a short parenthesis), none of them a colon or a line break. So a match's colon
is the first colon after its start, and its start lies inside the run of such characters that ends
at that colon. A report has a few colons (about 10 in a long note) and thousands of characters:
``re`` searched the whole text for each label shape (about 16 us per report and shape on the
development texts); here each colon's run is read backwards (a regex on the reversed text, in
compiled code) and only the starts it leaves are asked. The matches, their groups and their order
are ``finditer``'s (tests/test_sections_scan.py compares them on arbitrary text).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_BREAKS = ",\n"  # what a label opening with (?:^|(?<=,)) follows
# re's ``[^\S\r\n]`` (white space but line breaks) written as a class's members, to join another class in one: a
# run of ``(?:[ABC]|[^\S\r\n])*`` took a branch per character (about three times as slow as one class; session 27).
# Every character ``str.isspace()`` takes, which is re's ``\s`` in a str pattern, but "\r" and "\n"
# (tests/test_sections_scan.py checks every code point).
BLANKS = r"\t\x0b\x0c\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"


class Colons:
    """The colons of one text and the text reversed (when it has a colon): made once per text for every scan.

    A scan reads the run before a colon as ``back.match(reversed, len(text) - colon)``: the reversed offset
    of the character before the colon; the run starts ``end() - at`` characters before the colon. Each scan
    does it inline (a method call per colon and scan was about a tenth of the header scans' time)."""

    __slots__ = ("positions", "reversed", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        positions = []
        find = text.find
        at = find(":")
        while at >= 0:
            positions.append(at)
            at = find(":", at + 1)
        self.positions = positions
        # every scan reads each colon's run backwards: a text with a colon is always reversed, once
        self.reversed = text[::-1] if positions else ""


class BreakLabels:
    """``pattern.finditer`` of a label opening with ``(?:^|(?<=,))`` (MULTILINE): at a line start or after a
    comma. ``back`` takes, read backwards from the colon, every character a match can hold before its
    colon, and stops at the comma or line break a match follows (a comma inside a parenthesis it takes
    whole), so a match's start is exactly where that run begins: one start to ask per colon."""

    __slots__ = ("back", "pattern")

    def __init__(self, pattern: re.Pattern[str], back: str) -> None:
        if not pattern.pattern.startswith("(?:^|(?<=,))") or not pattern.flags & re.MULTILINE:
            raise ValueError("the pattern must open with (?:^|(?<=,)) and be MULTILINE")
        self.pattern = pattern
        self.back = re.compile(back)

    def __call__(self, text: str, colons: Colons | None = None) -> Iterator[re.Match[str]]:
        colons = colons if colons is not None else Colons(text)
        match, back, reversed_text, size = self.pattern.match, self.back.match, colons.reversed, len(text)
        pos = 0
        for colon in colons.positions:
            if colon < pos:
                continue  # inside the last match
            at = size - colon  # the run before the colon, read backwards (Colons)
            run = back(reversed_text, at)
            start = colon - (run.end() - at) if run is not None else colon
            if start < pos or (start and text[start - 1] not in _BREAKS):
                continue
            m = match(text, start)
            if m is not None:
                yield m
                pos = m.end()  # finditer's next start (a label match is never empty)


class WordLabels:
    """A scan yielding ``pattern.finditer``'s matches where ``opening`` matches at their start (the header scan's
    "not after a word character" opening, sections._NotAfterWord), for a pattern whose every match ends its
    pre-colon part at the first colon after its start with only characters ``back`` takes: its start is one of the
    places inside that run where ``opening`` matches (a word's first letter), each asked left to right as finditer
    would. A place inside a word is never asked (searching the run for the pattern tried the headers at each of its
    letters and then turned down the places inside words: about 5 us a colon, a third of the sections' colon scans;
    session 27)."""

    __slots__ = ("back", "match", "opening")

    def __init__(self, pattern: re.Pattern[str], back: str, opening: re.Pattern[str]) -> None:
        self.match = pattern.match
        self.back = re.compile(back)
        self.opening = opening.search

    def __call__(self, text: str, colons: Colons | None = None) -> Iterator[re.Match[str]]:
        colons = colons if colons is not None else Colons(text)
        match, back, opening, reversed_text, size = self.match, self.back.match, self.opening, colons.reversed, len(text)
        pos = 0
        for colon in colons.positions:
            if colon < pos:
                continue
            at = size - colon  # the run before the colon, read backwards (Colons)
            lo = max(pos, colon - (back(reversed_text, at).end() - at))  # (``back`` always matches, maybe empty)
            if lo == colon:
                continue  # no run (a colon after a lower-case word, a time's): no match's colon
            # a match whose colon is this one starts in [lo, colon), where the opening holds; asked at such a place, the
            # pattern matches up to this colon or not at all (no colon lies in the run)
            while (place := opening(text, lo, colon)) is not None:
                m = match(text, place.start())
                if m is not None:
                    yield m
                    pos = m.end()
                    break
                lo = place.start() + 1
