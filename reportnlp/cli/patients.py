"""``reportnlp patients``: one row per patient from records (timeline of metastasis and SREs).

Checks inputs and the output before reading (exit 2); records without a patient id or a date are
counted and the first few located on stderr; they end the run (exit 1) only when no record has both.
"""

from __future__ import annotations

import sys
from typing import IO

from reportnlp.cli.table_output import check_output, output_target, quiet_broken_pipe
from reportnlp.records.stream import check_paths, iter_lines
from reportnlp.tables.patients import COLUMNS, PatientTable
from reportnlp.tables.writers import write_table

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


def run_patients(inputs: list[str], fmt: str | None, output: str | None, tmp_dir: str | None = None,
                 stdout: IO[str] | None = None, stderr: IO[str] | None = None) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    fmt = fmt or ("table" if stdout.isatty() and output is None else "json")
    problem = check_output(fmt, output)
    if problem is None:
        try:
            check_paths(inputs)
        except FileNotFoundError as exc:
            problem = str(exc)
    if problem is not None:
        stderr.write(f"reportnlp: error: {problem}\n")
        return EXIT_USAGE
    with PatientTable(tmp_dir) as table:
        try:
            for line in iter_lines(inputs):
                table.add(line)
        except OSError as exc:
            stderr.write(f"reportnlp: error: cannot read input ({exc.strerror or type(exc).__name__})\n")
            return EXIT_SOME_FAILED
        c = table.counts
        for example in c.examples:
            stderr.write(f"reportnlp: warning: {example}\n")
        if c.used == 0 and (c.no_patient or c.no_date):
            stderr.write("reportnlp: error: no record has both report.patient_id and report.date "
                         "(run extract with --patient-column and --date-column)\n")
            return EXIT_SOME_FAILED
        try:
            with output_target(output, fmt, stdout) as (text, binary):
                n = write_table(fmt, COLUMNS, table.rows(), text, binary_out=binary, title="Patients")
        except BrokenPipeError:  # downstream closed (`| head`): stop quietly
            quiet_broken_pipe(stdout)
            return EXIT_OK
    stderr.write(f"reportnlp: {n} patients from {c.used} records; left out: {c.no_patient} without a patient id, "
                 f"{c.no_date} without a date, {c.failed} failed reports, {c.malformed} malformed lines\n")
    return EXIT_SOME_FAILED if c.malformed else EXIT_OK
