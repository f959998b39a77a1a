"""Values from reports and records made safe to show to people: terminals, CSV, markdown, HTML.

Ids, field values and report text come from the exports we read, and records files can be crafted.
Shown raw, they could drive a terminal (an ESC sequence clears the screen, an OSC 8 link hides its
target, an OSC 0 sequence retitles the window), forge a line (a newline in an id followed by
``reportnlp: ...``), reorder what is read (bidi overrides), run a formula in a spreadsheet (a CSV cell
starting with ``=``) or a script in a page. Every human-facing writer passes values through here;
JSON on stdout is data and stays exact.
"""

from __future__ import annotations

import csv
import html
import re
from collections.abc import Iterable
from typing import IO, Any

# C0 and C1 controls, DEL, the bidi embeddings, overrides and isolates, line and paragraph
# separators, and the zero-width marks that can hide or reorder text.
_MARKS = "\u200e\u200f\u061c\u2028\u2029\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f{_MARKS}]")
_UNSAFE_IN_BLOCK = re.compile(f"\r(?!\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_MARKS}]")
_CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_MARKDOWN_SPECIAL = re.compile(r"([\\`\[\]|])")


def _visible(m: re.Match[str]) -> str:
    c = m.group(0)
    return f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"


def one_line(value: object) -> str:
    """``value`` as text on one line with every control, bidi and line-breaking character shown as
    an escape (``\\x1b``, ``\\n``, ``\\u202e``): for error lines, ids, labels and table cells."""
    return _UNSAFE.sub(_visible, str(value))


def text_block(value: object) -> str:
    """Report text for a terminal: newlines (and CRLF) and tabs kept, every other control, bidi and
    separator character shown as an escape."""
    return _UNSAFE_IN_BLOCK.sub(_visible, str(value))


def csv_cell(value: Any) -> Any:
    """A CSV cell that no spreadsheet runs as a formula (OWASP): text starting with ``=``, ``+``,
    ``-``, ``@``, tab or CR gets a leading ``'``. Numbers are left as they are."""
    if isinstance(value, str) and value.startswith(_CSV_TRIGGERS):
        return "'" + value
    return value


def csv_writer(out: IO[str], **kwargs: Any) -> Any:
    """``csv.writer`` whose ``writerow`` / ``writerows`` pass every cell through :func:`csv_cell`:
    every CSV the package writes goes through it."""
    return _SafeCsvWriter(csv.writer(out, **kwargs))


class _SafeCsvWriter:
    def __init__(self, writer: Any) -> None:
        self._writer = writer

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([csv_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def markdown_text(value: object) -> str:
    """Text for a markdown cell or heading: one line, HTML escaped (markdown passes raw HTML
    through), and the characters that make links, code or cells (``[ ] ` \\ |``) backslash-escaped."""
    text = one_line(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def html_text(value: object) -> str:
    """Text or attribute value for HTML (quotes escaped too), with controls shown as escapes."""
    return html.escape(text_block(value), quote=True)
