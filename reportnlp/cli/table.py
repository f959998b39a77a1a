"""``reportnlp table`` and ``extract --format csv|parquet``: records as flat tables, streamed.

``table`` reads records (files, part folders or ``-``) line by line; malformed lines are counted and
the first few located on stderr (exit 1), never fatal. Output goes to stdout or, with ``-o``, to a
part file beside the target renamed at the end, so the target is never half written.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date
from typing import IO, Any

from reportnlp.cli.table_output import check_output, output_target, quiet_broken_pipe
from reportnlp.records.stream import check_paths, iter_lines
from reportnlp.tables.flat import COLUMNS, KINDS, ConceptMap, ConceptMapError, NoteNlp, load_concept_map, rows_of
from reportnlp.tables.writers import write_table
from reportnlp.version import __version__

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2
MAX_EXAMPLES = 20


def run_table(inputs: list[str], of: str, fmt: str | None, output: str | None, nlp_date: str | None = None,
              stdout: IO[str] | None = None, stderr: IO[str] | None = None, concept_map: str | None = None) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    fmt = fmt or ("table" if stdout.isatty() and output is None else "csv")
    problem = None if of in KINDS else f"--of: must be one of {', '.join(KINDS)}"
    problem = problem or check_output(fmt, output)
    if problem is None:
        try:
            check_paths(inputs)
            nlp_date = date.fromisoformat(nlp_date).isoformat() if nlp_date else date.today().isoformat()
        except FileNotFoundError as exc:
            problem = str(exc)
        except ValueError:
            problem = "--nlp-date: must be an ISO date, YYYY-MM-DD"
    mapping = ConceptMap()
    if problem is None and concept_map is not None:
        try:
            mapping = load_concept_map(concept_map)
        except ConceptMapError as exc:
            problem = f"--concept-map: {exc}"
    if problem is not None:
        stderr.write(f"reportnlp: error: {problem}\n")
        return EXIT_USAGE
    malformed = [0]

    def records() -> Iterator[dict[str, Any]]:
        for line in iter_lines(inputs):
            if line.record is None:
                malformed[0] += 1
                if malformed[0] <= MAX_EXAMPLES:
                    stderr.write(f"reportnlp: error: {line.file}:{line.line}: {line.reason}\n")
                continue
            yield line.record

    note_nlp = NoteNlp(f"reportnlp {__version__}", str(nlp_date), mapping) if of == "note_nlp" else None
    try:
        with output_target(output, fmt, stdout) as (text, binary):
            n = write_table(fmt, COLUMNS[of], rows_of(of, records(), note_nlp), text, binary_out=binary, title=of)
    except BrokenPipeError:  # downstream closed (`| head`): stop quietly
        quiet_broken_pipe(stdout)
        return EXIT_OK
    except OSError as exc:
        stderr.write(f"reportnlp: error: cannot read or write ({exc.strerror or type(exc).__name__})\n")
        return EXIT_SOME_FAILED
    stderr.write(f"reportnlp: {n} rows ({of}), {malformed[0]} malformed lines\n")
    return EXIT_SOME_FAILED if malformed[0] else EXIT_OK
