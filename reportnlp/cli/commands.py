"""The ``reportnlp`` commands and their options, as typer reads them (help, usage errors, every command).

No NLP here, and nothing heavy imported at module level, so ``--help`` and ``--version``
start instantly. Data goes to stdout, people-facing messages to stderr.
Exit codes: 0 every report ok, 1 some reports failed (the rest were written) or the output could
not be written, 2 usage error (nothing processed). The entry point is :mod:`reportnlp.cli.app`, which
runs the common ``extract`` command lines without typer (:mod:`reportnlp.cli.extract_args`).
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from reportnlp.cli.extract_args import run_extract_command
from reportnlp.version import __version__

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Radiology reports in, auditable JSON records out.\n\n"
    "Exit codes: 0 ok, 1 some reports failed, 2 usage error, 130/143 interrupted (Ctrl-C/SIGTERM).",
    pretty_exceptions_enable=False,
)


def _err(message: str) -> None:
    """One line on stderr: 'reportnlp: error: <what>: <reason>' (never report text)."""
    from reportnlp.render.safe_text import one_line

    sys.stderr.write(f"reportnlp: error: {one_line(message)}\n")


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
        list[str], typer.Argument(help="Folders, .txt/.csv/.jsonl/.parquet files (also .gz), or - for stdin.")
    ],
    output: Annotated[
        str, typer.Option("-o", "--output", help="Write JSON Lines here (atomically) instead of stdout.")
    ] = "-",
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, help="Worker processes (default: 1 for up to 32 reports, else one per core, "
                     "at most 8).", show_default=False),
    ] = None,
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
    resume: Annotated[
        bool, typer.Option("--resume", help="Continue an interrupted -o run (same inputs and options).")
    ] = False,
    timeout: Annotated[
        float | None,
        typer.Option("--timeout", min=0, help="Seconds a report may take (per million characters for longer ones; "
                     "default 60, 0: no limit); a slower one gets a report_timeout record."),
    ] = None,
    max_report_bytes: Annotated[
        int, typer.Option("--max-report-bytes", min=1, help="Refuse larger reports (error record).")
    ] = 1_000_000,
    debug: Annotated[
        bool, typer.Option("--debug", help="Tracebacks and library warnings on stderr (may show report text).")
    ] = False,
    output_format: Annotated[
        str, typer.Option("--format", help="jsonl (records), or csv / parquet: one row per report, labels flattened.")
    ] = "jsonl",
    patient_column: Annotated[
        str | None, typer.Option("--patient-column", help="Patient id field of .csv/.jsonl inputs (record.report).")
    ] = None,
    date_column: Annotated[
        str | None, typer.Option("--date-column", help="Report date field of .csv/.jsonl inputs (else from the header).")
    ] = None,
    engine: Annotated[
        str, typer.Option("--engine", help="local, dask or spark (a cluster; extras dask, spark): -o then names a folder.")
    ] = "local",
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="--engine dask: the scheduler's address, e.g. tcp://host:8786.")
    ] = None,
    workers: Annotated[
        int | None, typer.Option("--workers", min=1, help="--engine dask or spark: local workers (default: one per core).")
    ] = None,
    partition_size: Annotated[
        int | None, typer.Option("--partition-size", min=1, help="--engine dask or spark: reports per partition (default 1000).")
    ] = None,
    input_format: Annotated[
        str, typer.Option("--input-format", help="auto (by extension; stdin is text), or text, csv, jsonl for - and files.")
    ] = "auto",
    glob_case: Annotated[
        str, typer.Option("--glob-case", help="sensitive, or insensitive: --glob '*.txt' also takes *.TXT.")
    ] = "sensitive",
    empty: Annotated[
        str, typer.Option("--empty", help="error: an empty report is an error record; ok: kept as ok, flagged empty_report.")
    ] = "error",
    master: Annotated[
        str | None, typer.Option("--master", help="--engine spark: the Spark master, e.g. spark://host:7077 (default: local).")
    ] = None,
    parquet: Annotated[
        bool, typer.Option("--parquet", help="--engine spark -o FOLDER: also FOLDER/records.parquet (Spark's writer).")
    ] = False,
    dashboard_address: Annotated[
        str | None, typer.Option("--dashboard-address", help="--engine dask, local cluster: where its dashboard "
                                 "listens (default 127.0.0.1:8787, this machine only; 0.0.0.0:8787 for every interface).")
    ] = None,
    matcher: Annotated[
        str, typer.Option("--matcher", help="fast, or medspacy: medspaCy's own TargetMatcher and ConText (same records, slower).")
    ] = "fast",
) -> None:
    """Extract one JSON record per report (JSON Lines on stdout, in input order).

    Exit codes: 0 every report ok; 1 some reports failed (each still has a record) or the output
    could not be written; 2 usage error, found before any record was written (missing input, CSV
    without the named columns, broken rule file, bad -o target, --resume that does not match);
    130 / 143 stopped by Ctrl-C / SIGTERM (whole records only; -o keeps a part file for --resume).

    Examples:

        reportnlp extract corpus_samples/ > records.jsonl

        reportnlp extract reports/ --jobs 2 -o records.jsonl

        reportnlp extract reports/ --jobs 2 -o records.jsonl --resume    # after Ctrl-C

        cat report.txt | reportnlp extract -

        reportnlp extract export.csv --id-column accession --text-column report_text

        duckdb -json -c "SELECT id, text FROM notes" | reportnlp extract - --input-format jsonl

        reportnlp extract export.csv.gz reports.parquet --empty ok

        reportnlp extract reports/ --engine dask --workers 4 -o out/     # out/part-*.jsonl, out/manifest.json

        reportnlp extract reports/ --engine spark --workers 4 -o out/    # the same, on a local Spark

        reportnlp extract corpus_samples/ --matcher medspacy    # the reference: medspaCy itself on the same rules
    """
    raise typer.Exit(run_extract_command(**locals()))  # every parameter above, by name


@app.command()
def schema(
    summary: Annotated[
        bool, typer.Option("--summary", help="The schema of `summarize --format json` output instead.")
    ] = False,
) -> None:
    """Print the JSON Schema of one output record (draft 2020-12) to stdout.

    Examples:

        reportnlp schema > record.schema.json

        reportnlp schema --summary > summary.schema.json
    """
    from reportnlp.records.schema import record_schema_text, summary_schema_text

    sys.stdout.write(summary_schema_text() if summary else record_schema_text())


@app.command()
def evaluate(
    records: Annotated[str, typer.Argument(help="Records from `reportnlp extract` (JSON Lines), or - for stdin.")],
    gold: Annotated[str, typer.Option("--gold", help="Gold labels keyed by report id: .jsonl, or .csv.")],
    output_format: Annotated[str, typer.Option("--format", help="table (for people) or json (versioned).")] = "table",
    id_column: Annotated[str, typer.Option("--id-column", help="Id field of the gold file.")] = "id",
    resamples: Annotated[int, typer.Option("--resamples", min=0, help="Bootstrap resamples (0: no intervals).")] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Bootstrap random seed.")] = 0,
) -> None:
    """Score records against gold labels written by others: per label and status, with 95% intervals.

    Examples:

        reportnlp evaluate --gold corpus_samples/labels.jsonl records.jsonl

        reportnlp evaluate --gold gold.csv records.jsonl --format json > scores.json
    """
    if output_format not in ("table", "json"):
        _err(f"--format: must be 'table' or 'json', not {output_format!r}")
        raise typer.Exit(EXIT_USAGE)
    from reportnlp.cli.evaluate import run_evaluate
    from reportnlp.evaluation.gold import GoldError

    try:
        raise typer.Exit(run_evaluate(gold, records, output_format, id_column, resamples, seed))
    except GoldError as exc:
        _err(str(exc))
        raise typer.Exit(EXIT_USAGE) from None


@app.command()
def summarize(
    inputs: Annotated[list[str], typer.Argument(help="Record files from `reportnlp extract` (JSON Lines), or - for stdin.")],
    by: Annotated[
        str | None, typer.Option("--by", help="Split every table by modality, a label, or a field of the input.")
    ] = None,
    output_format: Annotated[
        str | None,
        typer.Option("--format", help="table, json, csv or markdown (default: table on a terminal, else json)."),
    ] = None,
    html: Annotated[str | None, typer.Option("--html", help="Also write one self-contained HTML page here.")] = None,
    patterns: Annotated[
        str | None, typer.Option("--patterns", help="Rule folder whose prevalence.json to compare with.")
    ] = None,
    dedupe: Annotated[
        bool, typer.Option("--dedupe", help="Count a report whose text repeats an earlier one's (same text_sha256) once.")
    ] = False,
) -> None:
    """Summarize a cohort of records: label statuses, sites, levels, modalities, prevalence vs people without symptoms.

    Streams: memory does not grow with the number of records. Malformed lines are counted and listed on
    stderr, never fatal. Exit codes: 0 ok; 1 some lines were malformed (the summary is still written) or
    the page could not be written; 2 usage error (missing input, bad --format or --html target).

    Examples:

        reportnlp extract reports/ | reportnlp summarize -

        reportnlp summarize records.jsonl --by modality

        reportnlp summarize records.jsonl --format json > summary.json

        reportnlp summarize records.jsonl --html summary.html

        reportnlp summarize records.jsonl --dedupe          # an export that repeats report texts
    """
    from reportnlp.cli.summarize import summarize_command

    raise typer.Exit(summarize_command(inputs, by=by, fmt=output_format, html=html, patterns=patterns, dedupe=dedupe))


@app.command()
def patients(
    inputs: Annotated[list[str], typer.Argument(help="Record files from `reportnlp extract` (JSON Lines), or - for stdin.")],
    output_format: Annotated[
        str | None,
        typer.Option("--format", help="table, csv, json (JSON Lines) or parquet (default: table on a terminal, else json)."),
    ] = None,
    output: Annotated[
        str | None, typer.Option("-o", "--output", help="Write here instead of stdout (needed for parquet).")
    ] = None,
    tmp_dir: Annotated[
        str | None, typer.Option("--tmp-dir", help="Folder for the temporary sort store (default: system temp).")
    ] = None,
) -> None:
    """One row per patient: reports, first and last date, first bone metastasis, first SRE, latest change.

    Needs records with report.patient_id and report.date (extract --patient-column --date-column). Memory
    stays flat (records are sorted on disk). Records without them are counted and listed on stderr.
    Exit codes: 0 ok; 1 malformed lines, or no record has a patient and a date; 2 usage error.

    Examples:

        reportnlp extract reports.csv --patient-column mrn --date-column exam_date > records.jsonl

        reportnlp patients records.jsonl --format csv > patients.csv
    """
    from reportnlp.cli.patients import run_patients

    raise typer.Exit(run_patients(inputs, output_format, output, tmp_dir))


@app.command()
def table(
    inputs: Annotated[list[str], typer.Argument(help="Record files from `reportnlp extract` (JSON Lines), or - for stdin.")],
    of: Annotated[str, typer.Option("--of", help="reports (one row each, labels flattened), mentions, or note_nlp (OMOP).")]
    = "reports",
    output_format: Annotated[
        str | None,
        typer.Option("--format", help="csv, json (JSON Lines), parquet or table (default: table on a terminal, else csv)."),
    ] = None,
    output: Annotated[
        str | None, typer.Option("-o", "--output", help="Write here (atomically) instead of stdout (needed for parquet).")
    ] = None,
    nlp_date: Annotated[str | None, typer.Option("--nlp-date", help="--of note_nlp: NOTE_NLP.nlp_date (default: today).")]
    = None,
    concept_map: Annotated[
        str | None,
        typer.Option(
            "--concept-map",
            help='--of note_nlp: JSON of OMOP concept ids {"snomed": {code: id}, "snomed_source": {code: id}, '
            '"concepts": {name: id}, "sections": {name: id}} (docs/codes.md builds one from Athena).',
        ),
    ] = None,
) -> None:
    """Records as a flat table: one row per report, per mention, or per counted mention as OMOP NOTE_NLP.

    Streams: memory does not grow with the number of records. CSV cells that a spreadsheet would run as a
    formula get a leading '. Exit codes: 0 ok; 1 malformed lines (counted, on stderr); 2 usage error.

    Examples:

        reportnlp table records.jsonl --of reports > reports.csv

        reportnlp table records.jsonl --of mentions --format parquet -o mentions.parquet

        reportnlp table records.jsonl --of note_nlp -o note_nlp.csv
    """
    from reportnlp.cli.table import run_table

    raise typer.Exit(run_table(inputs, of, output_format, output, nlp_date, concept_map=concept_map))


@app.command()
def show(
    report: Annotated[
        str, typer.Argument(help="A report (.txt, or - for stdin; .csv/.jsonl with --id), or a records .jsonl with --id.")
    ],
    report_id: Annotated[str | None, typer.Option("--id", help="Which report or record of a .csv/.jsonl.")] = None,
    text_from: Annotated[
        str | None, typer.Option("--text-from", help="Where a record's text is: folder, text file, .csv or .jsonl.")
    ] = None,
    html: Annotated[str | None, typer.Option("--html", help="Write the view as one static HTML page instead.")] = None,
    patterns: Annotated[str | None, typer.Option("--patterns", help="Rule folder to extract with.")] = None,
    id_column: Annotated[str, typer.Option("--id-column", help="Id field of .csv/.jsonl inputs (and of --text-from).")] = "id",
    text_column: Annotated[
        str, typer.Option("--text-column", help="Text field of .csv/.jsonl inputs (and of --text-from).")
    ] = "text",
    glob: Annotated[str, typer.Option(help="--text-from FOLDER: which files are reports (as extract's --glob).")] = "*.txt",
) -> None:
    """Show one report: sections, mentions colored by assertion with cue and location, and why each label.

    Exit codes: 0 shown; 1 the report failed, the id is not there, or the text does not match the
    record; 2 usage error (missing path, --id missing or misplaced, bad --html target).

    Examples:

        reportnlp show corpus_samples/spine_mets_01.txt

        reportnlp show records.jsonl --id spine_mets_01 --text-from corpus_samples/

        reportnlp show report.txt --html report.html

        reportnlp show records.jsonl --id A17 --text-from export.csv --id-column accession --text-column report_text
    """
    from reportnlp.cli.show import show_command

    raise typer.Exit(show_command(report, report_id, text_from, html, patterns,
                                  id_column=id_column, text_column=text_column, glob=glob))
