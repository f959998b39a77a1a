"""The options every ``reportnlp extract`` run takes, whichever engine does the work."""

from __future__ import annotations

from dataclasses import dataclass

from reportnlp.inputs import MAX_BYTES


@dataclass(frozen=True)
class RunOptions:
    """Inputs, output and the per-report limits, shared by the local run and the cluster engines."""

    inputs: list[str]
    output: str = "-"
    glob: str = "*.txt"
    id_column: str = "id"
    text_column: str = "text"
    patterns: str | None = None
    progress: bool = False
    resume: bool = False
    debug: bool = False
    timeout: float | None = None  # None: the default budget (reportnlp.run.budget); 0: no limit
    max_report_bytes: int = MAX_BYTES
    input_format: str = "auto"  # auto, text, csv, jsonl
    glob_case: str = "sensitive"  # or insensitive
    empty: str = "error"  # or ok: empty reports are ok records flagged empty_report
