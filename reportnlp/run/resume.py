"""Continue an interrupted ``-o`` run: what its partial file holds, and which reports to skip.

An interrupted run keeps its records in ``.<name>.part`` beside the target, whole lines only
(a line cut short by a hard kill is dropped). Resuming skips as many reports as the partial file
holds, checking that they are the same reports in the same order (same inputs and options), so
the finished file equals an uninterrupted run's byte for byte.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

import orjson

from reportnlp.inputs import Report


class ResumeError(Exception):
    """The partial file cannot be continued with these inputs; one line, never report text."""


@dataclass
class Done:
    """What the partial file already holds."""

    ids: list[str] = field(default_factory=list)
    failed: int = 0
    size: int = 0  # bytes of whole, valid lines; anything after is dropped
    patterns_sha256: set[str] = field(default_factory=set)


def scan(fh: BinaryIO, name: str) -> Done:
    """Read the records of a partial file; the last line may be cut short, no other may be bad."""
    done = Done()
    fh.seek(0)
    for lineno, line in enumerate(fh, start=1):
        if not line.endswith(b"\n"):
            break  # cut short by a hard kill: redo that report
        try:
            record = orjson.loads(line)
            rid, status = record["id"], record["status"]
        except (orjson.JSONDecodeError, KeyError, TypeError):
            raise ResumeError(f"{name}: line {lineno} is not a record; cannot resume (run without --resume)") from None
        done.ids.append(rid)
        done.failed += status != "ok"
        sha = (record.get("pipeline") or {}).get("patterns_sha256")
        if sha:
            done.patterns_sha256.add(sha)
        done.size += len(line)
    return done


def check_rules(done: Done, sha256: str, name: str) -> None:
    """Records made with other rules would make the resumed file a mix of two runs."""
    if done.patterns_sha256 - {sha256}:
        raise ResumeError(f"{name}: was written with other rule files; cannot resume (run without --resume)")


def skip_done(reports: Iterable[Report], done_ids: list[str], name: str) -> Iterator[Report]:
    """Drop the reports the partial file already holds, after checking each is the one expected."""
    it = iter(reports)
    for position, expected in enumerate(done_ids, start=1):
        report = next(it, None)
        if report is None:
            raise ResumeError(f"{name}: holds {len(done_ids)} records but the inputs have only {position - 1}; "
                              "cannot resume (same inputs and options needed)")
        if report.id != expected:
            raise ResumeError(f"{name}: record {position} is for another report than input {position}; "
                              "cannot resume (same inputs and options needed)")
    yield from it
