"""``reportnlp extract --format csv|parquet``: one row per report (labels flattened) instead of JSON Lines.

The same run as JSON Lines output (same inputs, workers, timeouts and error records), each record
turned into its ``table --of reports`` row as it comes. ``-o FILE`` is written to a part file renamed
at the end; an interrupted run leaves no partial table (``--resume`` is for JSON Lines only).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import closing
from typing import Any

import orjson

from reportnlp.cli.errors import EXIT_OK, EXIT_SOME_FAILED, err, exit_code_for
from reportnlp.cli.table_output import output_target, quiet_broken_pipe
from reportnlp.inputs import iter_reports
from reportnlp.run.signals import Interrupted, StopSignals
from reportnlp.tables.flat import REPORT_COLUMNS, report_row
from reportnlp.tables.writers import write_table

TABLE_FORMATS = ("csv", "parquet")


def stream_table(opts: Any, extractor: object, stop: StopSignals) -> int:
    """Run ``opts`` (an ExtractOptions with ``output_format`` csv or parquet); returns the exit code."""
    from reportnlp.run.batch import encoded_records

    failed = 0
    count = 0

    def rows(stream: Iterator[Any]) -> Iterator[dict[str, Any]]:
        nonlocal failed, count
        for record in stream:
            count += 1
            if record.error is not None:
                failed += 1
                err(f"{record.id}: {record.error}")
            yield report_row(orjson.loads(record.line))

    try:
        reports = iter_reports(opts.inputs, glob=opts.glob, id_field=opts.id_column, text_field=opts.text_column,
                               max_bytes=opts.max_report_bytes)
        stream = encoded_records(reports, jobs=opts.jobs, extractor=extractor,  # type: ignore[arg-type]
                                 timeout=opts.timeout, debug=opts.debug)
        with closing(stream), output_target(None if opts.output == "-" else opts.output, opts.output_format,
                                            sys.stdout) as (text, binary):
            write_table(opts.output_format, REPORT_COLUMNS, rows(stream), text, binary_out=binary)
    except Interrupted as exc:
        sys.stderr.write(f"reportnlp: interrupted by {exc.name} after {count} records; no table written\n")
        return exc.exit_code
    except BrokenPipeError:
        quiet_broken_pipe(sys.stdout)
        return EXIT_OK
    except Exception as exc:
        return exit_code_for(exc, debug=opts.debug)
    sys.stderr.write(f"reportnlp: {count} records, {failed} failed\n")
    return EXIT_SOME_FAILED if failed else EXIT_OK
