"""`reportnlp extract --engine dask`: options checked before any work, a light command side, and one
record per report on stdout even when a partition fails."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from reportnlp.cli import cluster as cluster_command
from reportnlp.cli.cluster import ClusterOptions
from reportnlp.engines.partition_task import PartitionResult
from reportnlp.engines.partitions import plan
from reportnlp.inputs import iter_reports
from tests.conftest import PACKAGE_ROOT, RunCli

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("args", "message"), [
    (["--scheduler", "tcp://h:8786"], "--scheduler, --master, --workers and --partition-size: need --engine dask or spark"),
    (["--engine", "ray"], "--engine: must be 'local', 'dask' or 'spark', not 'ray'"),
    (["--engine", "dask", "--master", "local[2]"], "--master: needs --engine spark (Dask: --scheduler)"),
    (["--engine", "spark", "--scheduler", "tcp://h:8786"], "--scheduler: needs --engine dask (Spark: --master)"),
    (["--engine", "spark", "--master", "local[2]", "--workers", "2"], "--workers: not with --master"),
    (["--engine", "spark", "--jobs", "2"], "--jobs: not with --engine spark"),
    (["--engine", "dask", "--parquet", "-o", "out"], "--parquet: needs --engine spark and -o FOLDER"),
    (["--engine", "spark", "--parquet"], "--parquet: needs --engine spark and -o FOLDER"),
    (["--engine", "dask", "--jobs", "2"], "--jobs: not with --engine dask"),
    (["--engine", "dask", "--scheduler", "tcp://h:8786", "--workers", "2"], "--workers: not with --scheduler"),
    (["--engine", "dask", "--resume"], "--resume: needs -o FOLDER (stdout cannot be continued)"),
    (["--dashboard-address", "127.0.0.1:8787"], "--dashboard-address: only for the local cluster"),
    (["--engine", "dask", "--scheduler", "tcp://h:8786", "--dashboard-address", "127.0.0.1:1"],
     "--dashboard-address: only for the local cluster"),
    (["--engine", "dask", "--dashboard-address", "localhost"], "--dashboard-address: must be HOST:PORT"),
])
def test_options_that_do_not_go_with_the_engine_are_usage_errors(cli: RunCli, args: list[str], message: str) -> None:
    run = cli("extract", "corpus_samples/", *args)
    assert run.returncode == 2
    assert run.stderr.decode().startswith(f"reportnlp: error: {message}")
    assert run.stdout == b""


def test_a_file_as_output_folder_is_a_usage_error(cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "records.jsonl").write_bytes(b"")
    run = cli("extract", "corpus_samples/", "--engine", "dask", "-o", str(tmp_path / "records.jsonl"))
    assert run.returncode == 2 and b"is not a folder" in run.stderr


def test_the_command_side_never_imports_spacy() -> None:
    pytest.importorskip("distributed")
    code = ("import sys; import reportnlp.cli.cluster, reportnlp.engines.dask_engine, reportnlp.engines.manifest, "
            "reportnlp.engines.part_folder, reportnlp.engines.partition_task, reportnlp.engines.rule_bundle; "
            "from reportnlp.engines.rule_bundle import RuleBundle; RuleBundle.from_folder(); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'medspacy')))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=PACKAGE_ROOT, check=True)
    assert run.stdout.strip() == b"[]"


def test_a_failed_partition_still_streams_one_error_record_per_report(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    (tmp_path / "in").mkdir()
    for name in ("a.txt", "b.txt"):
        (tmp_path / "in" / name).write_text("No fracture.")
    partition = next(plan([str(tmp_path / "in"), str(tmp_path / "in" / "a.txt")]))
    run = cluster_command._Run(ClusterOptions(inputs=[]), None)
    failure = PartitionResult(0, worker="", error="the workers running it died 4 times (KilledWorker); see the "
                              "workers' logs", error_type="worker_crashed")
    cluster_command._take(run, partition, failure, None)
    out, err = capsysbinary.readouterr()
    records = [orjson.loads(line) for line in out.splitlines()]
    expected = list(iter_reports([str(tmp_path / "in"), str(tmp_path / "in" / "a.txt")]))
    assert [(r["id"], r["source"]["path"], r["warnings"]) for r in records] == [
        (e.id, e.source["path"], list(e.warnings)) for e in expected]
    assert {(r["status"], r["error"]["type"]) for r in records} == {("error", "worker_crashed")}
    assert err.decode().startswith("reportnlp: error: part-00000.jsonl (partition 0, 3 reports): the workers")
    assert (run.records, run.failed, run.failed_partitions) == (3, 3, 1)


def test_the_local_clusters_dashboard_listens_on_loopback_only() -> None:
    """Dask's default (":8787") listens on every interface while printing 127.0.0.1 (#17.6)."""
    pytest.importorskip("bokeh")
    psutil = pytest.importorskip("psutil")
    from reportnlp.engines import dask_engine

    before = {c.laddr for c in psutil.Process().net_connections("tcp") if c.status == psutil.CONN_LISTEN}
    cluster = dask_engine.connect(None, 1, dashboard="127.0.0.1:0")
    try:
        listening = {c.laddr for c in psutil.Process().net_connections("tcp") if c.status == psutil.CONN_LISTEN} - before
        assert listening, "the scheduler and its dashboard listen in this process"
        assert {addr.ip for addr in listening} == {"127.0.0.1"}
        assert (cluster.dashboard or "").startswith("http://127.0.0.1:")
    finally:
        cluster.close()
