"""Where the line holding an offset starts, asked once per mention without reading back to the line's start.

A label rule that reads a mention's own line (a plan's bullet, a study's own dated line, a template's field line)
found its start with ``text.rfind("\\n", 0, start)``: on a long line that reads the whole line back once per mention,
and "PET/CT: CT CT CT ..." on one 1 MB line asked it for each of its 333,000 studies (session 26). ``LineStarts``
reads back at most ``_REACH`` characters; past that it lists the text's line breaks once (8 bytes a break, so at most
eight times the text's characters: bounded) and bisects them. One per report, shared by the record's assembly and
the labels.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left

_REACH = 256  # characters read back before the line breaks are listed: most lines are shorter


class LineStarts:
    """``of(at)`` is ``text.rfind("\\n", 0, at) + 1``: the start of the line holding offset ``at``."""

    __slots__ = ("_breaks", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._breaks: array[int] | None = None  # every line break's offset, listed at the first long read

    @classmethod
    def of_text(cls, text: str, lines: LineStarts | None = None) -> LineStarts:
        """``lines`` when it is this text's (the one its caller shares), else a new one for ``text``."""
        return lines if lines is not None and lines.text is text else cls(text)

    def of(self, at: int) -> int:
        text = self.text
        near = at - _REACH
        if near <= 0:
            return text.rfind("\n", 0, at) + 1
        found = text.rfind("\n", near, at)
        if found >= 0:
            return found + 1
        breaks = self._breaks
        if breaks is None:
            breaks = self._breaks = _line_breaks(text)
        k = bisect_left(breaks, near)  # the breaks before ``near``: none lies in [near, at)
        return breaks[k - 1] + 1 if k else 0


def _line_breaks(text: str) -> array[int]:
    breaks = array("q")
    find, add = text.find, breaks.append
    at = find("\n")
    while at >= 0:
        add(at)
        at = find("\n", at + 1)
    return breaks
