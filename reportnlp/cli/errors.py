"""How a command that processes reports ends when something goes wrong: one line, one exit code.

`extract` on this machine and on a cluster fail the same ways (a usage problem found while reading,
an output that cannot be written, a closed pipe downstream, a bug), and must say so the same way:
one line on stderr that never quotes report text.
"""

from __future__ import annotations

import logging
import sys
import traceback
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

from reportnlp.inputs import InputUsageError
from reportnlp.render.safe_text import one_line
from reportnlp.run.output import OutputError
from reportnlp.run.pool import PoolError
from reportnlp.run.resume import ResumeError

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


def err(message: str) -> None:
    """One line on stderr; ids, paths and reasons with control characters (a newline that would
    forge a ``reportnlp:`` line, terminal escapes) are shown escaped."""
    sys.stderr.write(f"reportnlp: error: {one_line(message)}\n")


@contextmanager
def quiet_libraries(debug: bool) -> Iterator[None]:
    """Library warnings and log records (spaCy's, Dask's) can quote the text they choke on: none without --debug.
    spaCy's logger has its own handler writing to stderr, so logging is disabled, not only the root handler."""
    if debug:
        yield
        return
    previous = logging.root.manager.disable
    logging.disable(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logging.disable(previous)


def exit_code_for(exc: Exception, *, debug: bool) -> int:
    """Report ``exc`` (caught while a run was going) and give the command's exit code."""
    if isinstance(exc, InputUsageError | ResumeError):  # found while reading (a CSV header, another run's files)
        err(str(exc))
        return EXIT_USAGE
    if isinstance(exc, OutputError | PoolError):
        err(str(exc))
        return EXIT_SOME_FAILED
    if isinstance(exc, BrokenPipeError):
        sys.stderr.close()  # downstream closed (e.g. `| head`): stop quietly
        return EXIT_OK
    # A bug: one line naming the type only; its message may hold report text.
    if debug:
        traceback.print_exception(exc)
    err(f"internal error ({type(exc).__name__}); rerun with --debug for the traceback (it may show report text)")
    return EXIT_SOME_FAILED
