"""``reportnlp extract``: its options checked and handed to the engine, and its common command lines read
without typer.

Typer builds its commands from annotations, imports click (and pydantic, for its parameter types) and
parses: about 50 ms of CPU, a tenth of a one-report run. :func:`parse_extract` reads the command lines
people and scripts write (inputs, ``--option value``, ``--option=value``, ``-o`` / ``-j value``, the
flags) into exactly the values typer would give ``extract``; anything else (``--help``, an unknown or
misspelt option, a value typer converts or refuses, ``--``) gives None, and typer reads the command
line and says what is wrong, as before. ``tests/test_extract_args.py`` checks the two readings agree.
"""

from __future__ import annotations

import os
import re
import sys
from typing import Any

# Every option of `extract` (reportnlp.cli.commands.extract): its names, the parameter it sets, its
# default, and its kind: str, int or float with a minimum, or a flag with the value it sets.
_VALUE_OPTIONS: tuple[tuple[tuple[str, ...], str, Any, str, float | None], ...] = (
    (("-o", "--output"), "output", "-", "str", None),
    (("--jobs", "-j"), "jobs", None, "int", 1),
    (("--glob",), "glob", "*.txt", "str", None),
    (("--id-column",), "id_column", "id", "str", None),
    (("--text-column",), "text_column", "text", "str", None),
    (("--patterns",), "patterns", None, "str", None),
    (("--timeout",), "timeout", None, "float", 0),
    (("--max-report-bytes",), "max_report_bytes", 1_000_000, "int", 1),
    (("--format",), "output_format", "jsonl", "str", None),
    (("--patient-column",), "patient_column", None, "str", None),
    (("--date-column",), "date_column", None, "str", None),
    (("--engine",), "engine", "local", "str", None),
    (("--scheduler",), "scheduler", None, "str", None),
    (("--workers",), "workers", None, "int", 1),
    (("--partition-size",), "partition_size", None, "int", 1),
    (("--input-format",), "input_format", "auto", "str", None),
    (("--glob-case",), "glob_case", "sensitive", "str", None),
    (("--empty",), "empty", "error", "str", None),
    (("--master",), "master", None, "str", None),
    (("--dashboard-address",), "dashboard_address", None, "str", None),
    (("--matcher",), "matcher", "fast", "str", None),
)
_FLAGS: dict[str, tuple[str, bool]] = {
    "--resume": ("resume", True), "--debug": ("debug", True), "--parquet": ("parquet", True),
    "--progress": ("progress", True), "--no-progress": ("progress", False),
}
_FLAG_DEFAULTS: dict[str, bool | None] = {"resume": False, "debug": False, "parquet": False, "progress": None}
_VALUES = {name: (param, kind, minimum) for names, param, _, kind, minimum in _VALUE_OPTIONS for name in names}
DEFAULTS: dict[str, Any] = {param: default for _, param, default, _, _ in _VALUE_OPTIONS} | _FLAG_DEFAULTS
# Numbers as people write them; click also takes "+3", " 3", "1_000", "1e3", "inf" ... (typer reads those)
_NUMBER = {"int": re.compile(r"[0-9]{1,18}"), "float": re.compile(r"[0-9]{1,18}(?:\.[0-9]{1,18})?")}


def parse_extract(args: list[str]) -> dict[str, Any] | None:
    """The keyword arguments of ``extract`` for the arguments after ``extract``, or None: typer's turn."""
    values: dict[str, Any] = {"inputs": [], **DEFAULTS}
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "-" or not arg.startswith("-"):
            values["inputs"].append(arg)
            continue
        if arg in _FLAGS:
            param, value = _FLAGS[arg]
            values[param] = value
            continue
        name, equals, value = arg.partition("=")
        if name not in _VALUES or (equals and not name.startswith("--")):
            return None  # --help, --, an unknown option, -oFILE, -j=2
        if not equals:
            if i == len(args):
                return None
            value, i = args[i], i + 1
        if value.startswith("-") and value != "-":
            return None  # click would take it as the value; a slip more likely: typer decides
        param, kind, minimum = _VALUES[name]
        if kind != "str":
            if not _NUMBER[kind].fullmatch(value):
                return None
            number = int(value) if kind == "int" else float(value)
            if minimum is not None and number < minimum:
                return None
            values[param] = number
        else:
            values[param] = value
    return values if values["inputs"] else None


def input_option_problem(input_format: str, glob_case: str, empty: str) -> str | None:
    """What is wrong with --input-format, --glob-case or --empty (exit 2), or None."""
    for option, value, allowed in (("--input-format", input_format, ("auto", "text", "csv", "jsonl")),
                                   ("--glob-case", glob_case, ("sensitive", "insensitive")),
                                   ("--empty", empty, ("error", "ok"))):
        if value not in allowed:
            return f"{option}: must be one of {', '.join(allowed)}, not {value!r}"
    return None


def run_extract_command(
    *, inputs: list[str], output: str, jobs: int | None, glob: str, id_column: str, text_column: str,
    patterns: str | None, progress: bool | None, resume: bool, timeout: float | None, max_report_bytes: int,
    debug: bool, output_format: str, patient_column: str | None, date_column: str | None, engine: str,
    scheduler: str | None, workers: int | None, partition_size: int | None, input_format: str, glob_case: str,
    empty: str, master: str | None, parquet: bool, dashboard_address: str | None, matcher: str,
) -> int:
    """Check the options that depend on each other and run the local or the cluster engine; the exit code."""
    from reportnlp.cli.errors import EXIT_USAGE, err

    show = sys.stderr.isatty() and not os.environ.get("NO_PROGRESS") if progress is None else progress
    problem = input_option_problem(input_format, glob_case, empty)
    if problem:
        err(problem)
        return EXIT_USAGE
    run_opts = {  # the options every engine takes (reportnlp.cli.options.RunOptions)
        "inputs": inputs, "output": output, "glob": glob, "id_column": id_column, "text_column": text_column,
        "patterns": patterns, "progress": show, "resume": resume, "debug": debug, "timeout": timeout,
        "max_report_bytes": max_report_bytes, "input_format": input_format, "glob_case": glob_case, "empty": empty,
    }
    if matcher not in ("fast", "medspacy"):
        err(f"--matcher must be fast or medspacy, not {matcher!r}")
        return EXIT_USAGE
    if engine != "local" or scheduler or workers or partition_size or master or parquet or dashboard_address:
        if matcher != "fast":
            err("--matcher medspacy runs with --engine local only")
            return EXIT_USAGE
        from reportnlp.cli.regex_programs import store
        from reportnlp.cli.startup_gc import resume_collector

        resume_collector()  # a cluster engine runs in this process with Python's GC on, as always
        store()  # and with re compiling on its own (reportnlp.cli.regex_programs)
        from reportnlp.cli.cluster import DEFAULT_SIZE, ClusterOptions, option_problem, run_cluster_extract

        problem = option_problem(engine, jobs=jobs, timeout=timeout, scheduler=scheduler, workers=workers,
                                 partition_size=partition_size, master=master, parquet=parquet, output=output,
                                 dashboard=dashboard_address)
        if not problem and (patient_column or date_column or output_format != "jsonl"):
            problem = f"--patient-column / --date-column / --format: not supported with --engine {engine} yet"
        if problem:
            err(problem)
            return EXIT_USAGE
        return run_cluster_extract(ClusterOptions(
            **run_opts, scheduler=scheduler, workers=workers, partition_size=partition_size or DEFAULT_SIZE,
            engine=engine, master=master, parquet=parquet,
            **({"dashboard": dashboard_address} if dashboard_address else {}),
        ))
    from reportnlp.cli.extract import ExtractOptions, run_extract

    return run_extract(ExtractOptions(
        **run_opts, jobs=jobs, matcher=matcher, patient_column=patient_column, date_column=date_column,
        output_format=output_format,
    ))
