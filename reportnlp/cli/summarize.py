"""``reportnlp summarize``: stream records in, write the summary out, report malformed lines.

The command's wiring (kept out of cli.py): check inputs and outputs before reading anything
(exit 2), count every line, print where the first malformed lines are on stderr (exit 1 when
there were any), then write the summary in the chosen format and, with ``--html``, the page.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import IO, Any

import orjson

from reportnlp.records.stream import check_paths, iter_lines
from reportnlp.render.safe_text import one_line
from reportnlp.summary.cohort import MAX_MALFORMED_EXAMPLES, MISSING, CohortSummary
from reportnlp.tables.outcomes import patient_outcomes
from reportnlp.tables.patients import PatientTable

FORMATS = ("table", "json", "csv", "markdown")
EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Found before any record is read (exit 2); one line."""


def default_format(stdout: IO[str]) -> str:
    """Rich tables for a person at a terminal, JSON for a pipe or a file."""
    return "table" if stdout.isatty() else "json"


def render(summary: dict[str, Any], fmt: str, stdout: IO[str]) -> None:
    from reportnlp.summary import tables as summary_render
    if fmt == "json":
        stdout.write(orjson.dumps(summary, option=orjson.OPT_INDENT_2).decode() + "\n")
    elif fmt == "csv":
        stdout.write(summary_render.to_csv(summary))
    elif fmt == "markdown":
        stdout.write(summary_render.to_markdown(summary))
    else:
        summary_render.print_rich(summary, stdout)


def _check(inputs: list[str], fmt: str | None, html: str | None) -> None:
    if fmt is not None and fmt not in FORMATS:
        raise UsageError(f"--format: must be one of {', '.join(FORMATS)}")
    try:
        check_paths(inputs)
    except FileNotFoundError as exc:
        raise UsageError(str(exc)) from None
    if inputs.count("-") > 1:
        raise UsageError("-: stdin can be read only once")
    if html is not None:
        target = Path(html)
        if target.is_dir():
            raise UsageError(f"{html}: is a folder, not a file")
        if not target.absolute().parent.is_dir():
            raise UsageError(f"{html}: folder does not exist")


def summarize_command(
    inputs: list[str],
    by: str | None = None,
    fmt: str | None = None,
    html: str | None = None,
    patterns: str | None = None,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
    dedupe: bool = False,
) -> int:
    """Run the command; returns the exit code. Messages never contain record content."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    from reportnlp.nlp.rules import RuleError, load_rules

    try:
        _check(inputs, fmt, html)
        prevalence = load_rules(patterns).prevalence
    except (UsageError, RuleError) as exc:
        stderr.write(one_line(f"reportnlp: error: {exc}") + "\n")
        return EXIT_USAGE
    summary = CohortSummary(prevalence, by=by, inputs=inputs, dedupe=dedupe)
    timeline = PatientTable() if html is not None else None  # the page's per-patient view, sorted on disk
    try:
        for line in iter_lines(inputs):
            if timeline is not None:
                timeline.add(line)
            bad = summary.add(line)
            if bad is not None and summary.malformed <= MAX_MALFORMED_EXAMPLES:
                stderr.write(one_line(f"reportnlp: error: {bad.file}:{bad.line}: {bad.reason}") + "\n")
    except OSError as exc:
        stderr.write(one_line(f"reportnlp: error: cannot read input ({exc.strerror or type(exc).__name__})") + "\n")
        if timeline is not None:
            timeline.close()
        return EXIT_SOME_FAILED
    result = summary.to_dict()
    outcomes = None
    if timeline is not None:
        with timeline:
            outcomes = patient_outcomes(timeline.rows()) if timeline.counts.used else None
    status = EXIT_SOME_FAILED if summary.malformed else EXIT_OK
    if html is not None:
        from reportnlp.render.html_page import write_page
        from reportnlp.summary.html import summary_page

        try:
            write_page(Path(html), summary_page(result, outcomes))
        except OSError as exc:
            stderr.write(one_line(f"reportnlp: error: {html}: cannot write ({exc.strerror or type(exc).__name__})") + "\n")
            status = EXIT_SOME_FAILED
    if fmt is not None or html is None:
        try:
            render(result, fmt or default_format(stdout), stdout)
            stdout.flush()
        except BrokenPipeError:  # downstream closed (`| head`): stop quietly, no traceback at exit
            if stdout is sys.stdout:
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return status
    shown = f" (the first {MAX_MALFORMED_EXAMPLES} listed above)" if summary.malformed > MAX_MALFORMED_EXAMPLES else ""
    stderr.write(one_line(f"reportnlp: {result['lines']['records']} records, {summary.malformed} malformed lines{shown}") + "\n")
    if by and result["groups"] and all(g["value"] == MISSING for g in result["groups"]):
        stderr.write(one_line(f"reportnlp: warning: --by {by}: no record has this label or field") + "\n")
    if html is not None and status == EXIT_OK:
        stderr.write(one_line(f"reportnlp: wrote {html}") + "\n")
    return status
