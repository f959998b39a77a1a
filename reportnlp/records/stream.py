"""Read extract records back from JSON Lines files, folders of part files or stdin, line by line.

Memory stays flat whatever the number of records: only the current line is held. A line that
is not a record (bad JSON, not an object, no ``status``, an unknown major ``schema_version``)
comes with a reason instead of a record, so callers count and report it; it never ends the run.
Blank lines are skipped. Reasons never quote the line: records hold report text.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import orjson

SUPPORTED_MAJOR = "1"


@dataclass(frozen=True, slots=True)
class Line:
    """One non-blank input line: its record, or the reason it is not one (never its content)."""

    file: str
    line: int
    record: dict[str, Any] | None
    reason: str | None = None


def part_files(folder: Path) -> list[Path]:
    """The ``part-NNNNN.jsonl`` files of a cluster run's folder, in partition order (numerically)."""
    numbered = [(int(p.name[5:-6]), p) for p in folder.glob("part-*.jsonl") if p.name[5:-6].isdigit()]
    return [p for _, p in sorted(numbered)]


def check_paths(paths: list[str]) -> None:
    """Raise FileNotFoundError naming the first input that is not a readable file, a folder of part
    files (``extract --engine dask -o FOLDER``) or ``-``."""
    for raw in paths:
        if raw != "-" and Path(raw).is_dir():
            if not part_files(Path(raw)):
                raise FileNotFoundError(f"{raw}: folder without part-*.jsonl files")
        elif raw != "-" and not Path(raw).is_file():
            raise FileNotFoundError(f"{raw}: no such file" if not Path(raw).exists() else f"{raw}: not a file")


def _problem(obj: Any) -> str | None:
    if not isinstance(obj, dict):
        return "JSON but not an object"
    status = obj.get("status")
    if status not in ("ok", "error"):
        return "not a reportnlp record (status is not 'ok' or 'error')"
    version = obj.get("schema_version")
    if not isinstance(version, str) or version.split(".")[0] != SUPPORTED_MAJOR:
        return f"unsupported schema_version (this reportnlp reads {SUPPORTED_MAJOR}.x)"
    if status == "ok" and not isinstance(obj.get("labels"), dict):
        return "record with status 'ok' has no labels object"
    return None


def _lines(stream: BinaryIO, name: str) -> Iterator[Line]:
    for lineno, raw in enumerate(stream, start=1):
        if lineno == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        if not raw.strip():
            continue
        try:
            obj = orjson.loads(raw)
        except orjson.JSONDecodeError:
            yield Line(name, lineno, None, "not valid JSON")
            continue
        problem = _problem(obj)
        yield Line(name, lineno, None, problem) if problem else Line(name, lineno, obj)


def iter_lines(paths: list[str], stdin: BinaryIO | None = None) -> Iterator[Line]:
    """Every non-blank line of every input in order (``-`` is stdin; a folder, its part files), parsed
    and checked."""
    for raw in paths:
        if raw == "-":
            yield from _lines(stdin if stdin is not None else sys.stdin.buffer, "stdin")
            continue
        for path in part_files(Path(raw)) if Path(raw).is_dir() else [Path(raw)]:
            with path.open("rb") as fh:
                yield from _lines(fh, str(path) if path != Path(raw) else raw)
