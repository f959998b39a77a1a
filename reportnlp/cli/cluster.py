"""``reportnlp extract --engine dask`` (or ``spark``): the same records as a local run, computed on a Dask
cluster or on Apache Spark (:mod:`reportnlp.engines.dask_engine`, :mod:`reportnlp.engines.spark_engine`).

Checked before any work (exit 2): inputs, rule files, the output folder and, with ``--resume``,
its manifest; then, once connected, spaCy's checks of the rules on one worker (the client never
imports spaCy). Then the inputs are planned into partitions
(:mod:`reportnlp.engines.partitions`), each a task (:mod:`reportnlp.engines.partition_task`) that a worker runs
with the rules shipped by this command (:mod:`reportnlp.engines.rule_bundle`) and writes as
``out/part-NNNNN.jsonl``; ``out/manifest.json`` (:mod:`reportnlp.engines.manifest`) says which are done.
With ``-o -`` the records come back and are written to stdout in input order. Failed reports get one
line on stderr as in a local run; a failed partition too (exit 1; ``--resume`` redoes it). SIGINT and
SIGTERM stop the run (exit 130 / 143): the manifest lists the finished partitions for ``--resume``.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, closing, contextmanager, suppress
from dataclasses import dataclass
from typing import Any

from reportnlp.cli.errors import EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, err, exit_code_for, quiet_libraries
from reportnlp.cli.options import RunOptions
from reportnlp.engines.partitions import DEFAULT_SIZE, Partition, plan
from reportnlp.inputs import InputUsageError, printable_name, validate_inputs
from reportnlp.nlp.rules import RuleError
from reportnlp.render.safe_text import one_line
from reportnlp.run.budget import resolve_timeout
from reportnlp.run.output import OutputError, stdout_problem
from reportnlp.run.resume import ResumeError
from reportnlp.run.signals import Interrupted, StopSignals
from reportnlp.version import __version__


@dataclass(frozen=True)
class ClusterOptions(RunOptions):
    scheduler: str | None = None
    workers: int | None = None  # local cluster size; default: one per core
    partition_size: int = DEFAULT_SIZE
    engine: str = "dask"  # or spark
    master: str | None = None  # --engine spark: the Spark master (default: local[workers,4])
    parquet: bool = False  # --engine spark -o FOLDER: also FOLDER/records.parquet once complete
    dashboard: str = "127.0.0.1:8787"  # a local Dask cluster's dashboard (host:port)


def option_problem(engine: str, *, jobs: int | None, timeout: float | None, scheduler: str | None,
                   workers: int | None, partition_size: int | None, master: str | None = None,
                   parquet: bool = False, output: str = "-", dashboard: str | None = None) -> str | None:
    """What is wrong with this mix of extract options (exit 2), or None."""
    if engine not in ("local", "dask", "spark"):
        return f"--engine: must be 'local', 'dask' or 'spark', not {engine!r}"
    if dashboard is not None and (engine != "dask" or scheduler):
        return "--dashboard-address: only for the local cluster of --engine dask (without --scheduler)"
    if dashboard is not None and not _host_port(dashboard):
        return f"--dashboard-address: must be HOST:PORT (e.g. 127.0.0.1:8787), not {dashboard!r}"
    if parquet and (engine != "spark" or output == "-"):
        return "--parquet: needs --engine spark and -o FOLDER"
    if engine == "local":
        return "--scheduler, --master, --workers and --partition-size: need --engine dask or spark"
    if jobs is not None and jobs > 1:
        return f"--jobs: not with --engine {engine} (the cluster's workers do the work; --workers N for a local one)"
    if engine == "dask" and master:
        return "--master: needs --engine spark (Dask: --scheduler)"
    if engine == "spark" and scheduler:
        return "--scheduler: needs --engine dask (Spark: --master)"
    if (scheduler or master) and workers:
        return f"--workers: not with {'--scheduler' if scheduler else '--master'} (that cluster has its own workers)"
    return None


def _host_port(value: str) -> bool:
    host, sep, port = value.rpartition(":")
    return bool(sep) and port.isdigit() and int(port) < 65536 and "/" not in host


def _say(message: str) -> None:
    sys.stderr.write(f"reportnlp: {one_line(message)}\n")


def run_cluster_extract(opts: ClusterOptions) -> int:
    """Run the command; returns the exit code."""
    with quiet_libraries(opts.debug), StopSignals() as stop:
        try:
            return _run(opts, stop)
        except Interrupted as exc:  # while checking, or while the cluster starts
            _say(f"interrupted by {exc.name}")
            return exc.exit_code


def _run(opts: ClusterOptions, stop: StopSignals) -> int:
    from reportnlp.engines.manifest import Manifest, read_manifest
    from reportnlp.engines.part_folder import check_folder
    from reportnlp.engines.rule_bundle import RuleBundle

    manifest = None
    try:
        if opts.output == "-" and opts.resume:
            raise InputUsageError("--resume: needs -o FOLDER (stdout cannot be continued)")
        if opts.output == "-" and stdout_problem():
            raise InputUsageError(str(stdout_problem()))
        validate_inputs(opts.inputs, id_field=opts.id_column, text_field=opts.text_column,
                        input_format=opts.input_format)
        bundle = RuleBundle.from_folder(opts.patterns)
        if opts.output != "-":
            folder = check_folder(opts.output, resume=opts.resume)
            header = {"reportnlp_version": __version__, "patterns_sha256": bundle.sha256,
                      "inputs": [printable_name(raw) for raw in opts.inputs], "options": _options(opts)}
            manifest = Manifest(folder, header, read_manifest(folder) if opts.resume else None)
        engine = _engine(opts.engine)
    except (InputUsageError, RuleError, ResumeError) as exc:
        err(str(exc))
        return EXIT_USAGE
    except ImportError:
        what = "pyspark (pip install 'reportnlp[spark]') and Java" if opts.engine == "spark" else \
            "Dask's distributed package (pip install 'reportnlp[dask]')"
        err(f"--engine {opts.engine}: needs {what}")
        return EXIT_USAGE
    try:
        address = opts.master if opts.engine == "spark" else opts.scheduler
        extra = {"dashboard": opts.dashboard} if opts.engine == "dask" else {}
        cluster = engine.connect(address, opts.workers or os.cpu_count() or 1, debug=opts.debug, **extra)
    except engine.EngineError as exc:
        err(str(exc))
        return EXIT_USAGE
    try:
        _say(cluster.describe())
        problem = engine.check_pipeline(cluster, bundle)  # spaCy's own checks of the rules, on a worker
        if problem is not None:
            err(problem)
            return EXIT_USAGE
        return _stream(opts, engine, cluster, bundle, manifest, stop)
    except engine.EngineError as exc:
        err(str(exc))
        return EXIT_SOME_FAILED
    finally:
        cluster.close()


def _engine(name: str) -> Any:
    """The engine module (raises ImportError when its extra is not installed)."""
    if name == "spark":
        from reportnlp.engines import spark_engine

        return spark_engine
    from reportnlp.engines import dask_engine

    return dask_engine


def _options(opts: ClusterOptions) -> dict[str, Any]:
    options = {"glob": opts.glob, "id_column": opts.id_column, "text_column": opts.text_column,
               "max_report_bytes": opts.max_report_bytes, "partition_size": opts.partition_size}
    extra = {"input_format": "auto", "glob_case": "sensitive", "empty": "error"}  # shown only when changed,
    options.update({key: getattr(opts, key) for key, default in extra.items() if getattr(opts, key) != default})
    return options  # so a manifest from before these options still resumes


class _Run:
    """Counts of this run, and the plan (counted as it is read, so the total is known at its end)."""

    def __init__(self, opts: ClusterOptions, manifest: Any) -> None:
        self.opts, self.manifest = opts, manifest
        self.planned: int | None = None
        self.skipped = self.records = self.failed = self.failed_partitions = self.empty = 0
        self.on_skip: Callable[[Partition], None] = lambda _: None

    def todo(self) -> Iterator[Partition]:
        count = 0
        for partition in plan(self.opts.inputs, glob=self.opts.glob, id_field=self.opts.id_column,
                              text_field=self.opts.text_column, max_bytes=self.opts.max_report_bytes,
                              size=self.opts.partition_size, glob_case=self.opts.glob_case,
                              input_format=self.opts.input_format, empty=self.opts.empty):
            count += 1
            if self.manifest is not None and self.manifest.already_done(partition):
                self.skipped += 1
                self.on_skip(partition)
                continue
            yield partition
        self.planned = count
        if self.manifest is not None:
            self.manifest.planned = count


def _stream(opts: ClusterOptions, engine: Any, cluster: Any, bundle: Any, manifest: Any, stop: StopSignals) -> int:
    from reportnlp.engines.part_folder import FolderLock, remove_leftovers

    run = _Run(opts, manifest)
    out_dir = None if manifest is None else str(manifest.folder.absolute())
    try:
        with ExitStack() as stack:
            if manifest is not None:
                stack.enter_context(FolderLock(manifest.folder))
                remove_leftovers(manifest.folder)  # what a killed run left half-written
            bar = stack.enter_context(_progress(opts.progress, run))
            run.on_skip = lambda p: bar(p, len(p.items))
            stream = engine.results(cluster, run.todo(), bundle=bundle, out_dir=out_dir,
                                    max_bytes=opts.max_report_bytes, ordered=manifest is None, debug=opts.debug,
                                    timeout=resolve_timeout(opts.timeout))
            with closing(stream):
                for partition, result in stream:
                    with stop.deferred():
                        _take(run, partition, result, manifest)
                    bar(partition, result.reports)
            if manifest is not None:
                with stop.deferred():
                    done = sum(entry["status"] == "done" for entry in manifest.entries.values())
                    manifest.complete = done == run.planned
                    manifest.save(force=True)
                    remove_leftovers(manifest.folder)
            if manifest is not None and manifest.complete and opts.parquet:
                engine.write_parquet(cluster, manifest.folder)
    except Interrupted as exc:
        if manifest is not None:
            manifest.save(force=True)
        where = f"; the finished partitions are in {opts.output}: run the same command with --resume to continue"
        _say(f"interrupted by {exc.name} after {run.records} records" + (where if manifest is not None else ""))
        return exc.exit_code
    except Exception as exc:
        return exit_code_for(exc, debug=opts.debug)
    return _finish(run, manifest)


def _take(run: _Run, partition: Partition, result: Any, manifest: Any) -> None:
    """Account for one finished partition: manifest entry, records on stdout, error lines."""
    if manifest is not None:
        manifest.add(partition, result)
        manifest.save()
    if result.error is not None:
        run.failed_partitions += 1
        err(f"{partition.name} (partition {partition.index}, {len(partition.items)} reports): {result.error}")
        if manifest is not None:
            return  # no part file; --resume redoes it
        result.lines = _error_lines(partition, result)  # stdout: still one record per report
        result.reports = len(partition.items)
        run.failed += len(partition.items)
    if result.lines is not None:
        try:
            sys.stdout.buffer.write(result.lines)
            sys.stdout.buffer.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(f"stdout: cannot write ({exc.strerror or type(exc).__name__})") from None
    run.records += result.reports
    run.failed += len(result.failed)
    run.empty += getattr(result, "empty", 0)
    for report_id, reason in result.failed:
        err(f"{report_id}: {reason}")


def _error_lines(partition: Partition, result: Any) -> bytes:
    """An error record for each report of a partition that could not be done (rare: imports spaCy)."""
    from reportnlp.engines.partitions import failed_reports
    from reportnlp.records.assemble import error_record
    from reportnlp.run.output import dumps

    message = f"its partition could not be done: {result.error}"
    return b"".join(dumps(error_record(r.id, r.source, result.error_type, message, r.warnings, r.fields))
                    for r in failed_reports(partition))


def _finish(run: _Run, manifest: Any) -> int:
    if manifest is not None:
        totals = manifest.to_dict()["totals"]
        records, failed, bad = totals["records"], totals["failed_records"], totals["partitions_failed"]
    else:
        records, failed, bad = run.records, run.failed, run.failed_partitions
    line = f"{records} records, {failed} failed, {run.planned or 0} partitions"
    if run.empty:
        line += f", {run.empty} empty reports kept (--empty ok)"
    if run.skipped:
        line += f" ({run.skipped} done by the interrupted run)"
    if bad:
        line += f"; {bad} partitions failed: run the same command with --resume to retry them"
    _say(line)
    return EXIT_SOME_FAILED if failed or bad else EXIT_OK


@contextmanager
def _progress(show: bool, run: _Run) -> Iterator[Callable[[Partition, int], None]]:
    """A bar of partitions done (total known once the inputs are planned) with a count of reports."""
    if not show:
        yield lambda partition, reports: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("partitions"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[reports]:,}{task.fields[of]} reports"), TimeElapsedColumn(),
                  console=Console(stderr=True), redirect_stdout=False, redirect_stderr=True, transient=True) as bar:
        task = bar.add_task("extract", total=None, reports=0, of="")
        done = 0

        def learn_total() -> None:  # as a local run's bar: cheap counts only, never stdin read twice
            from reportnlp.inputs import count_reports

            opts = run.opts
            with suppress(Exception):
                total = count_reports(opts.inputs, glob=opts.glob, glob_case=opts.glob_case,
                                      input_format=opts.input_format)
                if total is not None:
                    bar.update(task, of=f" of {total:,}")

        threading.Thread(target=learn_total, name="reportnlp-count", daemon=True).start()

        def advance(partition: Partition, reports: int) -> None:
            nonlocal done
            done += reports
            bar.update(task, advance=1, total=run.planned, reports=done)

        yield advance

