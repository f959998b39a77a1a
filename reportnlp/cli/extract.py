"""``reportnlp extract``: the wiring of a batch run that loses nothing and leaks nothing.

Everything that can be checked is checked before the first record is written (exit 2): input
paths and CSV headers, the rule files, the spaCy pipeline built from them, the output target and,
with ``--resume``, the partial file. Then every report yields one record; failed ones also get one
line on stderr naming the report and the reason, never its text. SIGINT and SIGTERM stop between
two records (exit 130 / 143); ``-o`` then keeps the partial file for ``--resume``. Without
``--debug``, library warnings and log lines are silenced (they may quote report text) and an
unexpected error is one line naming only its type.
"""

from __future__ import annotations

import sys
import warnings
from contextlib import closing
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from reportnlp.cli.errors import EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, err, exit_code_for, quiet_libraries
from reportnlp.cli.options import RunOptions
from reportnlp.cli.regex_programs import store as store_regex_programs
from reportnlp.cli.rule_warnings import warn_slow_rules
from reportnlp.cli.startup_gc import resume_collector
from reportnlp.inputs import InputUsageError, count_reports, iter_reports, validate_inputs
from reportnlp.nlp.rules import RuleError, load_rules
from reportnlp.render.safe_text import one_line
from reportnlp.run.budget import resolve_timeout
from reportnlp.run.jobs import SMALL_RUN, available_cores, default_jobs
from reportnlp.run.output import JsonlWriter, is_special, part_path, stdout_problem
from reportnlp.run.resume import check_rules, skip_done
from reportnlp.run.signals import Interrupted, StopSignals


@dataclass(frozen=True)
class ExtractOptions(RunOptions):
    jobs: int | None = None  # None: reportnlp.run.jobs.default_jobs
    patient_column: str | None = None
    date_column: str | None = None
    output_format: str = "jsonl"
    matcher: str = "fast"  # or medspacy: medspaCy's own TargetMatcher and ConText (the reference)


def _check_output(opts: ExtractOptions) -> str | None:
    """The reason the output target is unusable, or None."""
    if opts.output == "-":
        return "--resume: needs -o FILE (stdout cannot be continued)" if opts.resume else stdout_problem()
    path = Path(opts.output)
    if not path.absolute().parent.is_dir():
        return f"{opts.output}: folder does not exist"
    if path.is_dir():
        return f"{opts.output}: is a folder, not a file"
    if opts.resume and is_special(path):
        return f"--resume: {opts.output} is not a regular file"
    return None


def run_extract(opts: ExtractOptions) -> int:
    """Run the command; returns the exit code."""
    with quiet_libraries(opts.debug), StopSignals() as stop:
        try:
            return _run(opts, stop)
        except Interrupted as exc:  # while checking inputs or building the pipeline (or after the end)
            sys.stderr.write(f"reportnlp: interrupted by {exc.name}\n")
            return exc.exit_code


def _run(opts: ExtractOptions, stop: StopSignals) -> int:
    try:
        validate_inputs(opts.inputs, id_field=opts.id_column, text_field=opts.text_column,
                        input_format=opts.input_format)
        rules = load_rules(opts.patterns)
        problem = _check_output(opts) or _check_format(opts)
        if problem:
            raise InputUsageError(problem)
        from reportnlp.records.report_meta import ReportColumns
        from reportnlp.run.batch import build_extractor

        columns = ReportColumns(patient=opts.patient_column, date=opts.date_column)
        extractor = build_extractor(opts.patterns, debug=opts.debug, report_columns=columns,
                                    matcher=opts.matcher)  # spaCy checks the rules
        resume_collector()  # paused by the console script for start-up (reportnlp.cli.startup_gc)
        store_regex_programs()  # start-up is over: its new regex programs are remembered (reportnlp.cli.regex_programs)
        if opts.debug:
            warnings.simplefilter("default")  # medspaCy ignores every warning from its import on
        if opts.matcher == "fast" and opts.patterns is not None:
            # a user's rule folder only: the shipped rules all run in the fast engine (tests/test_equivalence.py
            # holds them there), and checking them again cost every run ~22 ms of CPU at start-up
            warn_slow_rules(rules)
    except (InputUsageError, RuleError) as exc:
        err(str(exc))
        return EXIT_USAGE
    if opts.jobs is None:
        opts = replace(opts, jobs=default_jobs(small_run_count(opts), available_cores()))
    if opts.output_format != "jsonl":
        from reportnlp.cli.extract_table import stream_table

        return stream_table(opts, extractor, stop)
    return _stream(opts, extractor, rules.sha256, stop)


def small_run_count(opts: ExtractOptions) -> int | None:
    """The number of reports, as far as :func:`default_jobs` needs it (a count above ``SMALL_RUN`` may
    stop early), or None when it is not known before reading: a CSV or JSONL stream on stdin.
    Stdin read as text is one report."""
    files = [raw for raw in opts.inputs if raw != "-"]
    stdin = len(opts.inputs) - len(files)
    if stdin and opts.input_format not in ("auto", "text"):
        return None
    found = count_reports(files, glob=opts.glob, glob_case=opts.glob_case, input_format=opts.input_format,
                          stop_above=SMALL_RUN)
    return None if found is None else found + stdin


def _check_format(opts: ExtractOptions) -> str | None:
    """The reason --format cannot be used with the other options, or None."""
    if opts.output_format == "jsonl":
        return None
    if opts.output_format not in ("csv", "parquet"):
        return "--format: must be one of jsonl, csv, parquet"
    if opts.resume:
        return "--resume: only with --format jsonl"
    from reportnlp.cli.table_output import check_output

    return check_output(opts.output_format, None if opts.output == "-" else opts.output)


def _stream(opts: ExtractOptions, extractor: object, rules_sha256: str, stop: StopSignals) -> int:
    from reportnlp.run.batch import encoded_batches
    from reportnlp.run.progress import progress_bar

    writer = JsonlWriter(opts.output, resume=opts.resume)
    failed = empty = 0
    try:
        with writer:
            reports = iter_reports(opts.inputs, glob=opts.glob, id_field=opts.id_column,
                                   text_field=opts.text_column, max_bytes=opts.max_report_bytes,
                                   glob_case=opts.glob_case, input_format=opts.input_format, empty=opts.empty)
            if opts.resume:
                check_rules(writer.done, rules_sha256, str(writer.part))
                reports = skip_done(reports, writer.done.ids, str(writer.part))
                failed = writer.done.failed
            stream = encoded_batches(reports, jobs=opts.jobs, extractor=extractor,  # type: ignore[arg-type]
                                     timeout=resolve_timeout(opts.timeout), debug=opts.debug)
            count = partial(count_reports, opts.inputs, glob=opts.glob, glob_case=opts.glob_case,
                            input_format=opts.input_format)
            with closing(stream), progress_bar(opts.progress, count, writer.done_count) as advance:
                for batch in stream:
                    with stop.deferred():
                        writer.write_lines([record.line for record in batch])
                    for record in batch:
                        if record.error is not None:
                            failed += 1
                            err(f"{record.id}: {record.error}")
                        empty += record.empty
                        advance()
            with stop.deferred():
                writer.finish()
    except Interrupted as exc:
        sys.stderr.write(one_line(_interrupted(exc, writer)) + "\n")
        return exc.exit_code
    except Exception as exc:
        return exit_code_for(exc, debug=opts.debug)
    total = writer.done_count + writer.count
    resumed = f" ({writer.done_count} from the interrupted run)" if writer.done_count else ""
    empties = f", {empty} empty (kept, --empty ok)" if empty else ""
    sys.stderr.write(f"reportnlp: {total} records, {failed} failed{empties}{resumed}\n")
    return EXIT_SOME_FAILED if failed else EXIT_OK


def _interrupted(exc: Interrupted, writer: JsonlWriter) -> str:
    total = writer.done_count + writer.count
    line = f"reportnlp: interrupted by {exc.name} after {total} records"
    if writer.path is not None and writer.part is not None and part_path(writer.path).exists():
        line += f"; they are in {writer.part}: run the same command with --resume to continue"
    return line
