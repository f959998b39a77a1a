"""The ``reportnlp`` console script: run the command, map outcomes to exit codes, end quickly.

The commands and their options live in :mod:`reportnlp.cli.commands` (typer); a common ``extract``
command line is read by :mod:`reportnlp.cli.extract_args` without importing typer at all, since a
one-report run should cost as little as possible before its record. Data goes to stdout,
people-facing messages to stderr. Exit codes: 0 every report ok, 1 some reports failed (the rest were
written) or the output could not be written, 2 usage error (nothing processed).
"""

from __future__ import annotations

import os
import sys
from typing import Any

from reportnlp.cli import regex_programs
from reportnlp.cli.startup_gc import pause_collector, resume_collector
from reportnlp.nlp import lean_spacy

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2
# Imported only by engines whose clean-up runs at interpreter exit (a Dask cluster, a Spark JVM, the
# rule folders shipped to workers): with any of them loaded the process ends the ordinary way.
_ORDINARY_EXIT_MODULES = ("reportnlp.engines", "distributed", "pyspark")


def __getattr__(name: str) -> Any:
    """``reportnlp.cli.app.app``, the typer application, imported when asked for (tests, embedding)."""
    if name == "app":
        from reportnlp.cli.commands import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """Console-script entry point (also ``python -m reportnlp``).

    Usage errors (a missing argument, a bad option value) are one line like every other error,
    not the framed block typer prints by default, so scripts can grep and log them. Once the command
    has returned, its files closed and its workers stopped, the process ends without Python's
    teardown (:func:`_exit`).
    """
    try:
        code = _run(sys.argv[1:])
    except KeyboardInterrupt:
        sys.stderr.write("reportnlp: interrupted\n")
        sys.exit(130)
    except BrokenPipeError:  # downstream closed (`| head`): stop quietly
        _quiet_stdout()
        sys.exit(EXIT_OK)
    except (OSError, AttributeError) as exc:  # stdout full (/dev/full) or closed (>&-) under any command
        if "--debug" in sys.argv:
            raise
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else "closed" if sys.stdout is None else None
        _err(f"stdout: cannot write ({why})" if why else f"internal error ({type(exc).__name__})")
        _quiet_stdout()
        sys.exit(1)
    except _click_errors() as exc:  # only typer raises these (evaluated only when something was raised)
        command = f" {exc.ctx.command_path}" if getattr(exc, "ctx", None) is not None else ""
        hint = f" (see 'reportnlp{command.removeprefix(' reportnlp')} --help')" if isinstance(exc, _usage_error()) else ""
        message = " ".join(exc.format_message().split())
        if message:  # no message: the help was the answer (a bare `reportnlp`)
            _err(message + hint)
        sys.exit(exc.exit_code)
    _exit(code if isinstance(code, int) else EXIT_OK)


def _run(args: list[str]) -> Any:
    """The command's exit code: a common ``extract`` command line runs at once, anything else through typer."""
    if args[:1] == ["extract"]:
        _one_blas_thread()
        pause_collector()
        try:
            if "--debug" not in args:  # a remembered program skips re's parser, and with it any warning it gives
                regex_programs.remember()
            lean_spacy.defer_spacy_components()  # spaCy's own components, which extract never uses
            from reportnlp.cli.extract_args import parse_extract, run_extract_command

            options = parse_extract(args[1:])
            if options is not None:
                return run_extract_command(**options)
        finally:
            resume_collector()
            regex_programs.store()
    from reportnlp.cli.commands import app

    return app(args=args, prog_name="reportnlp", standalone_mode=False)


def _one_blas_thread() -> None:
    """numpy's OpenBLAS (spaCy imports numpy) starts a thread per core when it loads, and those threads spin
    (sched_yield) for a while before they sleep: about 0.1 s of CPU in a one-report run on two cores.
    reportnlp does no linear algebra, so ``extract`` loads OpenBLAS with one thread, unless the
    environment already says how many (a user's setting wins)."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def _err(message: str) -> None:
    """One line on stderr: 'reportnlp: error: <what>: <reason>' (never report text)."""
    from reportnlp.render.safe_text import one_line

    sys.stderr.write(f"reportnlp: error: {one_line(message)}\n")


def _exit(code: int) -> None:
    """End the process with ``code`` as soon as its output is out.

    Python's teardown frees every object the pipeline built (about 0.25 s of CPU with spaCy loaded);
    a command that has closed its files and stopped its workers has nothing left for it to do. So
    stdout and stderr are flushed and the process ends at once (``os._exit``), unless
    :func:`needs_ordinary_exit` or the flush fails (then Python's own exit reports it, as before).
    Only the console script does this, never the API.
    """
    if not needs_ordinary_exit():
        try:
            for stream in (sys.stdout, sys.stderr):
                if stream is not None:
                    stream.flush()
        except (OSError, ValueError):
            sys.exit(code)
        os._exit(code)
    sys.exit(code)


def needs_ordinary_exit() -> bool:
    """Whether something still needs Python's exit: a thread other than daemons that is running, or an
    engine that cleans up at exit (``_ORDINARY_EXIT_MODULES``)."""
    import threading

    return any(name in sys.modules for name in _ORDINARY_EXIT_MODULES) or any(
        thread is not threading.main_thread() and not thread.daemon and thread.is_alive() for thread in threading.enumerate())


def _quiet_stdout() -> None:
    """Nothing more for stdout: Python's flush at exit would fail again and print a traceback."""
    import contextlib

    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)


def _click_errors() -> type[Exception]:
    try:  # newer typer vendors click
        from typer._click.exceptions import ClickException  # type: ignore[import-not-found]
    except ImportError:
        from click.exceptions import ClickException
    return ClickException


def _usage_error() -> type[Exception]:
    try:
        from typer._click.exceptions import UsageError  # type: ignore[import-not-found]
    except ImportError:
        from click.exceptions import UsageError
    return UsageError
