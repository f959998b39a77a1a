"""How many worker processes ``extract`` uses when ``--jobs`` is not given.

One per core this process may run on (its CPU affinity, so ``taskset`` and container CPU sets are
respected), at most ``MAX_DEFAULT_JOBS``: beyond that the command, which reads every report and
writes every record, becomes the bottleneck, and each worker holds its own pipeline (about 100 MB).
A run of at most ``SMALL_RUN`` reports gets one worker: starting another costs more than it saves
(a forked worker costs about 25 ms of CPU, a report 2-3 ms). When the count is unknown (a CSV or JSONL
stream on stdin) the run is taken to be large: such streams are exports, and a worker that finds
nothing to do costs only its start. Records are the same, byte for byte, whatever the number.
"""

from __future__ import annotations

import os

SMALL_RUN = 32
MAX_DEFAULT_JOBS = 8


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def default_jobs(reports: int | None, cores: int) -> int:
    """Workers for a run of ``reports`` reports (None: not known) on ``cores`` cores."""
    if reports is not None and reports <= SMALL_RUN:
        return 1
    return max(1, min(cores, MAX_DEFAULT_JOBS))
