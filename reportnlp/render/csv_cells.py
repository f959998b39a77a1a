"""One CSV cell made safe to open in a spreadsheet (the one place every reportnlp CSV writer uses).

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a formula by
Excel, LibreOffice and Google Sheets (CSV / formula injection, OWASP); report text and input columns are
not ours to trust, so such a cell gets a leading ``'``, which spreadsheets show as text. Numbers are
written by the caller as numbers (not through this function), so ``-3`` stays a number.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` unchanged unless it is a string a spreadsheet would run as a formula; then ``'`` + value."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
