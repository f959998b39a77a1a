"""Apache Spark for real: one local Spark session (``local[2,4]``: two task slots, four tries per task)
for the module, started the way ``reportnlp extract --engine spark`` starts it. ``extract_df`` gives
``extract_records``'s bytes; the command's part files are a local run's records; a Python worker
killed mid-partition loses nothing; ``--resume`` redoes only what is missing; the real command keeps
stdout for records. Skipped when pyspark or a Java runtime cannot be had (.ci/run installs both)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

import reportnlp
from reportnlp.cli.cluster import ClusterOptions, run_cluster_extract
from reportnlp.inputs import iter_reports
from reportnlp.run.extractor import Extractor
from reportnlp.run.output import dumps
from tests.conftest import REPO, RunCli

pytest.importorskip("pyspark")
if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
    pytest.skip("no Java runtime for Spark", allow_module_level=True)

from reportnlp.engines import spark_engine  # after the skips: it needs pyspark

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    cluster = spark_engine.connect(None, 2)
    assert cluster.context.master == "local[2,4]"
    yield cluster.session
    cluster.session.stop()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """360 generated reports (bench/reportgen.py, no corpus text), one file each."""
    root = tmp_path_factory.mktemp("spark_data") / "folder"
    root.mkdir()
    made = subprocess.run([sys.executable, str(REPO / "bench" / "reportgen.py"), "360", "--seed", "11"],
                          capture_output=True, check=True).stdout.splitlines()
    for line in made:
        row = orjson.loads(line)
        (root / f"{row['id']}.txt").write_text(row["text"])
    return root


def _local(extractor: Extractor, *inputs: str) -> bytes:
    """What `reportnlp extract --jobs 1` writes for these inputs."""
    return b"".join(dumps(extractor.record_for(report)) for report in iter_reports(list(inputs)))


def _parts(out: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(out.glob("part-*.jsonl")))


def _manifest(out: Path) -> dict[str, Any]:
    return orjson.loads((out / "manifest.json").read_bytes())


def _extract(*inputs: str, output: str, size: int, resume: bool = False, parquet: bool = False) -> int:
    """The command's engine in this process, on the module's Spark session."""
    return run_cluster_extract(ClusterOptions(inputs=list(inputs), output=output, engine="spark", partition_size=size,
                                              resume=resume, parquet=parquet))


def test_the_part_files_in_order_are_a_local_runs_records(spark: Any, extractor: Extractor, tmp_path: Path) -> None:
    inputs = ("corpus_samples/", str(REPO / "corpus_samples" / "spine_mets_01.txt"))  # a duplicate id too
    out = tmp_path / "out"
    assert _extract(*inputs, output=str(out), size=10, parquet=True) == 0
    assert _parts(out) == _local(extractor, *inputs)
    table = spark.read.parquet(str(out / "records.parquet"))  # --parquet: Spark's writer, from the part files
    assert sorted(row.id for row in table.select("id").collect()) == sorted(
        orjson.loads(line)["id"] for line in _local(extractor, *inputs).splitlines())
    manifest = _manifest(out)
    assert manifest["complete"] is True and manifest["errors"] == []
    assert manifest["totals"]["records"] == manifest["totals"]["inputs"] == 53
    assert [p["file"] for p in manifest["partitions"]] == [f"part-{i:05d}.jsonl" for i in range(6)]
    workers = {p["worker"] for p in manifest["partitions"]}
    assert 1 <= len(workers) <= 2  # two Python workers at most, each building the pipeline once


def test_without_an_output_folder_the_records_stream_in_input_order(
    spark: Any, extractor: Extractor, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    assert _extract("corpus_samples/", output="-", size=7) == 0
    out, err = capsysbinary.readouterr()
    assert out == _local(extractor, "corpus_samples/")
    assert err.decode().splitlines()[0].startswith("reportnlp: local Spark local[2,4], 2 cores")


def _daemon_workers() -> list[int]:
    """The Python workers that Spark's daemon forked (each runs one task at a time)."""
    pids = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and b"pyspark.daemon" in (proc / "cmdline").read_bytes():
                parent = (proc / "stat").read_text().rsplit(")", 1)[1].split()[1]
                if b"pyspark.daemon" in (Path("/proc") / parent / "cmdline").read_bytes():
                    pids.append(int(proc.name))
        except OSError:
            continue
    return pids


def _writer_of(out: Path) -> tuple[int, str] | None:
    """A Python worker holding an unfinished part file open, and that file's name."""
    for pid in _daemon_workers():
        try:
            for fd in (Path("/proc") / str(pid) / "fd").iterdir():
                target = str(fd.readlink())
                if target.startswith(str(out)) and target.endswith(".jsonl.part"):
                    return pid, Path(target).name
        except OSError:
            continue
    return None


def test_a_python_worker_killed_mid_partition_loses_nothing(spark: Any, extractor: Extractor, folder: Path,
                                                            tmp_path: Path) -> None:
    """Spark retries its task (local[2,4]: up to four tries) in a new Python worker."""
    out = tmp_path / "out"
    codes: list[int] = []
    run = threading.Thread(target=lambda: codes.append(_extract(str(folder), output=str(out), size=60)))
    run.start()
    victim = None
    deadline = time.monotonic() + 180
    while victim is None and run.is_alive() and time.monotonic() < deadline:
        victim = _writer_of(out)
        time.sleep(0.005)
    assert victim is not None, "no partition was seen being written"
    pid, part = victim
    os.kill(pid, signal.SIGKILL)
    run.join(240)
    assert codes == [0]
    assert _parts(out) == _local(extractor, str(folder))
    manifest = _manifest(out)
    assert manifest["complete"] is True and manifest["totals"]["records"] == 360
    entry = next(p for p in manifest["partitions"] if p["file"] == part.removeprefix(".").removesuffix(".part"))
    assert entry["worker"].rsplit(":", 1)[1] != str(pid)  # another Python worker wrote it
    assert not list(out.glob(".part-*"))


def test_resume_redoes_only_the_missing_partitions(spark: Any, extractor: Extractor, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _extract("corpus_samples/", output=str(out), size=12) == 0
    kept = {p.name: p.stat() for p in out.glob("part-*.jsonl") if p.name != "part-00002.jsonl"}
    (out / "part-00002.jsonl").unlink()
    assert _extract("corpus_samples/", output=str(out), size=20) == 2  # without --resume: refused
    assert _extract("corpus_samples/", output=str(out), size=12, resume=True) == 0
    assert _parts(out) == _local(extractor, "corpus_samples/")
    for name, before in kept.items():
        after = (out / name).stat()
        assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_the_command_starts_its_own_spark_and_keeps_stdout_for_records(cli: RunCli, corpus_run: Any) -> None:
    run = cli("extract", "corpus_samples/", "--engine", "spark", "--workers", "2", "--partition-size", "20")
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout == corpus_run.stdout
    assert run.stderr.decode().splitlines() == [
        run.stderr.decode().splitlines()[0], "reportnlp: 52 records, 0 failed, 3 partitions"]
    assert run.stderr.decode().startswith("reportnlp: local Spark local[2,4], 2 cores (Spark ")


# Last: after Spark SQL jobs, the next RDD jobs started new Python workers (Spark 4.3), which the worker count above would see.
def test_extract_df_gives_extract_records_bytes_in_row_order(spark: Any, corpus_texts: dict[str, str],
                                                             tmp_path: Path) -> None:
    rows = [*corpus_texts.items(), ("no-text", None)]
    df = spark.createDataFrame(rows, "accession string, report string")  # two partitions: row order kept
    expected = [orjson.dumps(r).decode() for r in reportnlp.extract_records(rows[:-1])]
    from reportnlp.spark import extract_df  # the public name

    assert extract_df is spark_engine.extract_df
    got = extract_df(df, text_col="report", id_col="accession").collect()
    assert [row.record for row in got[:-1]] == expected
    assert [(row.id, row.status) for row in got[:2]] == [(i, "ok") for i in list(corpus_texts)[:2]]
    assert (got[-1].id, got[-1].status, orjson.loads(got[-1].record)["error"]["type"]) == \
        ("no-text", "error", "invalid_text_field")
    lines = spark_engine.extract_df(df, text_col="report", id_col="accession", json_lines=True)
    lines.write.text(str(tmp_path / "jsonl"))
    written = b"".join(p.read_bytes() for p in sorted((tmp_path / "jsonl").glob("part-*")))
    assert written.decode().splitlines()[:-1] == expected
    records = spark_engine.extract_df(df, text_col="report", id_col="accession")
    records.write.parquet(str(tmp_path / "records.parquet"))  # Spark's own writer, no pyarrow needed
    assert spark.read.parquet(str(tmp_path / "records.parquet")).count() == len(rows)
