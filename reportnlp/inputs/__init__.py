"""Reading: discover, decode and read reports (folders, text files, CSV, JSONL, stdin) into `Report`s.

The names below are the package's interface; engines that read files on their workers (Dask) use the
same decoding (`read_bytes`, `text_report`) and folder walk (`walk`) as a local run, so records agree.
"""

from reportnlp.inputs.count import count_reports
from reportnlp.inputs.decode import read_bytes, text_report
from reportnlp.inputs.discover import (
    EMPTY_MODES,
    INPUT_FORMATS,
    empty_as,
    folder_files,
    iter_reports,
    validate_inputs,
)
from reportnlp.inputs.folders import walk
from reportnlp.inputs.report import MAX_BYTES, InputUsageError, ReadError, Report, name_id, printable_name, source_of

__all__ = [
    "EMPTY_MODES",
    "INPUT_FORMATS",
    "MAX_BYTES",
    "InputUsageError",
    "ReadError",
    "Report",
    "count_reports",
    "empty_as",
    "folder_files",
    "iter_reports",
    "name_id",
    "printable_name",
    "read_bytes",
    "source_of",
    "text_report",
    "validate_inputs",
    "walk",
]
