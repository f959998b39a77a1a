"""``reportnlp show``: find the record and its text, check they belong together, draw them.

Exit codes: 0 shown; 1 the report failed, the id is not there, or the text does not match the
record; 2 usage (missing path, --id missing or misplaced, unwritable --html target).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from reportnlp.inputs import Report
from reportnlp.render.safe_text import one_line
from reportnlp.show.source import ShowError, load_view
from reportnlp.show.view import TextMismatch, check_text


def _extractor(patterns: str | None) -> Callable[[Report], dict[str, Any]]:
    """Process a report that has no record yet, building the pipeline only if it is needed."""

    def extract(report: Report) -> dict[str, Any]:
        from reportnlp.nlp.rules import RuleError
        from reportnlp.run.extractor import Extractor

        try:
            extractor = Extractor(patterns)
        except RuleError as exc:
            raise ShowError(str(exc), 2) from None
        return extractor.record_for(report)

    return extract


def show_command(
    path: str,
    report_id: str | None = None,
    text_from: str | None = None,
    html: str | None = None,
    patterns: str | None = None,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
    *,
    id_column: str = "id",
    text_column: str = "text",
    glob: str = "*.txt",
) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    try:
        if html is not None and (Path(html).is_dir() or not Path(html).absolute().parent.is_dir()):
            raise ShowError(f"{html}: not a file in an existing folder", 2)
        record, text = load_view(path, report_id, text_from, _extractor(patterns), id_column, text_column, glob)
        try:
            check_text(record, text)
        except TextMismatch as exc:
            raise ShowError(f"{record['id']}: {exc}") from None
    except ShowError as exc:
        stderr.write(one_line(f"reportnlp: error: {exc}") + "\n")
        return exc.code
    if html is not None:
        from reportnlp.render.html_page import write_page
        from reportnlp.show.html import report_page

        try:
            write_page(Path(html), report_page(record, text))
        except OSError as exc:
            stderr.write(one_line(f"reportnlp: error: {html}: cannot write ({exc.strerror or type(exc).__name__})") + "\n")
            return 1
        stderr.write(one_line(f"reportnlp: wrote {html}") + "\n")
        return 0
    from reportnlp.show.terminal import print_report

    try:
        print_report(record, text, stdout)
    except BrokenPipeError:
        return 0
    return 0
