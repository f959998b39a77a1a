"""The ``reportnlp`` command: parse arguments, wire the stages, map outcomes to exit codes.

No NLP here, and nothing heavy imported at module level, so ``--help`` and ``--version``
start instantly. Data goes to stdout, people-facing messages to stderr.
Exit codes: 0 every report ok, 1 some reports failed (the rest were written) or the output could
not be written, 2 usage error (nothing processed).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from reportnlp import __version__

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Radiology reports in, auditable JSON records out.\n\n"
    "Exit codes: 0 ok, 1 some reports failed, 2 usage error.",
    pretty_exceptions_enable=False,
)


def _err(message: str) -> None:
    """One line on stderr: 'reportnlp: error: <what>: <reason>' (never report text)."""
    sys.stderr.write(f"reportnlp: error: {message}\n")


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"reportnlp {__version__}\n")
        raise typer.Exit(EXIT_OK)


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """reportnlp: bone metastasis, fracture, cord compression and degenerative spine findings from reports."""


@app.command()
def extract(
    inputs: Annotated[
        list[str], typer.Argument(help="Folders, .txt/.csv/.jsonl files, or - for one report on stdin.")
    ],
    output: Annotated[
        str, typer.Option("-o", "--output", help="Write JSON Lines here (atomically) instead of stdout.")
    ] = "-",
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Worker processes.")] = 1,
    glob: Annotated[str, typer.Option(help="File-name pattern for files inside folders.")] = "*.txt",
    id_column: Annotated[str, typer.Option("--id-column", help="Id field of .csv/.jsonl inputs.")] = "id",
    text_column: Annotated[
        str, typer.Option("--text-column", help="Text field of .csv/.jsonl inputs.")
    ] = "text",
    patterns: Annotated[
        str | None,
        typer.Option("--patterns", help="Folder of rule files to use instead of the built-in ones."),
    ] = None,
    progress: Annotated[
        bool | None,
        typer.Option("--progress/--no-progress", help="Progress bar on stderr (default: when a terminal)."),
    ] = None,
) -> None:
    """Extract one JSON record per report (JSON Lines on stdout, in input order).

    Examples:

        reportnlp extract corpus_samples/ > records.jsonl

        reportnlp extract reports/ --jobs 2 -o records.jsonl

        cat report.txt | reportnlp extract -

        reportnlp extract export.csv --id-column accession --text-column report_text
    """
    from reportnlp.inputs import InputUsageError, iter_reports, validate_inputs
    from reportnlp.rules import RuleError, load_rules

    try:
        validate_inputs(inputs, id_field=id_column, text_field=text_column)
        load_rules(patterns)
    except (InputUsageError, RuleError) as exc:
        _err(str(exc))
        raise typer.Exit(EXIT_USAGE) from None
    if output != "-" and not Path(output).absolute().parent.is_dir():
        _err(f"{output}: folder does not exist")
        raise typer.Exit(EXIT_USAGE)
    if output != "-" and Path(output).is_dir():
        _err(f"{output}: is a folder, not a file")
        raise typer.Exit(EXIT_USAGE)

    from reportnlp.output import JsonlWriter, OutputError
    from reportnlp.progress import progress_bar
    from reportnlp.run import records

    failed = 0
    reports = iter_reports(inputs, glob=glob, id_field=id_column, text_field=text_column)
    show = sys.stderr.isatty() and not os.environ.get("NO_PROGRESS") if progress is None else progress
    try:
        with JsonlWriter(output) as writer, progress_bar(show) as advance:
            for record in records(reports, patterns=patterns, jobs=jobs):
                writer.write(record)
                if record["status"] != "ok":
                    failed += 1
                    _err(f"{record['id']}: {record['error']['message']}")
                advance()
    except InputUsageError as exc:
        _err(str(exc))
        raise typer.Exit(EXIT_USAGE) from None
    except OutputError as exc:
        _err(str(exc))
        raise typer.Exit(EXIT_SOME_FAILED) from None
    except BrokenPipeError:
        sys.stderr.close()  # downstream closed (e.g. `| head`): stop quietly
        raise typer.Exit(EXIT_OK) from None
    sys.stderr.write(f"reportnlp: {writer.count} records, {failed} failed\n")
    raise typer.Exit(EXIT_SOME_FAILED if failed else EXIT_OK)


@app.command()
def schema() -> None:
    """Print the JSON Schema of one output record (draft 2020-12) to stdout.

    Examples:

        reportnlp schema > record.schema.json
    """
    from reportnlp.schema import record_schema_text

    sys.stdout.write(record_schema_text())


def main() -> None:
    """Console-script entry point (also ``python -m reportnlp``)."""
    try:
        app(prog_name="reportnlp")
    except KeyboardInterrupt:
        sys.stderr.write("reportnlp: interrupted\n")
        sys.exit(130)
