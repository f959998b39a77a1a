"""The new inputs through the real command: the same records under --jobs 1, --jobs 2, -o and the Dask
engine; error records that keep their fields; --empty ok; CSV/JSONL on stdin; show on an export."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import orjson
import pytest

from reportnlp.records.schema import validate_record
from tests.conftest import RunCli

posix_bytes_names = pytest.mark.skipif(sys.platform == "darwin" or os.name == "nt",
                                       reason="needs a file system that stores names as bytes")


def records(stdout: bytes) -> list[dict]:
    """The records of a run, each checked against the JSON Schema."""
    out = [orjson.loads(line) for line in stdout.splitlines()]
    for record in out:
        validate_record(record)
    return out


@posix_bytes_names
def test_an_undecodable_file_name_is_one_record_the_same_in_every_engine(cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    folder = os.fsencode(tmp_path / "in")
    Path(os.fsdecode(folder + b"/caf\xe9.txt")).write_bytes(b"Lytic lesion in L2.")
    Path(os.fsdecode(folder + b"/plain.txt")).write_bytes(b"No fracture.")
    (tmp_path / "h.csv").write_bytes(b"id,s\xe9te,text\n1,a,No fracture.\n2,b,Lytic lesion.\n")
    inputs = [os.fsdecode(folder), str(tmp_path / "h.csv"), os.fsdecode(folder + b"/caf\xe9.txt")]
    one = cli("extract", *inputs, "--no-progress")
    assert one.returncode == 0, one.stderr
    got = records(one.stdout)
    assert [r["id"] for r in got] == ["caf\\xe9.txt", "plain.txt", "1", "2", "caf\\xe9.txt"]
    assert got[0]["warnings"] == ["undecodable_file_name"] and got[0]["labels"]["bone_metastasis"] == "possible"
    assert got[2]["fields"] == {"s\ufffdte": "a"}
    assert cli("extract", *inputs, "--jobs", "2").stdout == one.stdout
    assert cli("extract", *inputs, "-o", str(tmp_path / "out.jsonl")).returncode == 0
    assert (tmp_path / "out.jsonl").read_bytes() == one.stdout
    pytest.importorskip("distributed")
    dask = cli("extract", *inputs, "--engine", "dask", "--workers", "1", "-o", str(tmp_path / "parts"))
    assert dask.returncode == 0, dask.stderr
    assert (tmp_path / "parts" / "part-00000.jsonl").read_bytes() == one.stdout  # and its manifest was written


def test_error_records_keep_fields_and_empty_ok_keeps_the_run_at_exit_0(cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "e.csv").write_text("id,site,text\n00123,A,\n2,B,No fracture.\n")
    strict = cli("extract", str(tmp_path / "e.csv"))
    assert strict.returncode == 1
    first = records(strict.stdout)[0]
    assert (first["id"], first["status"], first["fields"], first["labels"]) == ("00123", "error", {"site": "A"}, None)
    (tmp_path / "records.jsonl").write_bytes(strict.stdout)
    summary = orjson.loads(cli("summarize", str(tmp_path / "records.jsonl"), "--by", "site", "--format", "json").stdout)
    assert {g["value"]: g["reports"]["error"] for g in summary["groups"]} == {"A": 1, "B": 0}
    kept = cli("extract", str(tmp_path / "e.csv"), "--empty", "ok")
    assert kept.returncode == 0, kept.stderr
    first = records(kept.stdout)[0]
    assert (first["status"], first["warnings"], first["fields"], first["mentions"]) == ("ok", ["empty_report"], {"site": "A"}, [])
    assert kept.stderr.decode().endswith("reportnlp: 2 records, 0 failed, 1 empty (kept, --empty ok)\n")
    pytest.importorskip("distributed")
    dask = cli("extract", str(tmp_path / "e.csv"), "--empty", "ok", "--engine", "dask", "--workers", "1")
    assert dask.returncode == 0 and dask.stdout == kept.stdout
    assert dask.stderr.decode().endswith("2 records, 0 failed, 1 partitions, 1 empty reports kept (--empty ok)\n")
    assert cli("extract", str(tmp_path / "e.csv"), "--empty", "maybe").returncode == 2


def test_jsonl_and_csv_stream_on_stdin(cli: RunCli) -> None:
    jsonl = b'{"id": "a", "text": "No fracture."}\n{"id": "b", "text": "Lytic lesion."}\n'
    run = cli("extract", "-", "--input-format", "jsonl", stdin=jsonl)
    assert run.returncode == 0 and [r["id"] for r in records(run.stdout)] == ["a", "b"]
    run = cli("extract", "-", "--input-format", "csv", stdin=b"id,text\na,No fracture.\n")
    assert run.returncode == 0 and [r["source"]["format"] for r in records(run.stdout)] == ["csv"]
    run = cli("extract", "-", "--input-format", "csv", stdin=b"a,b\n1,2\n")
    assert run.returncode == 2
    assert run.stderr == b"reportnlp: error: CSV file stdin lacks column(s) 'id', 'text' (2 columns found)\n"


def test_a_folder_without_a_match_says_what_it_holds(cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "R1.TXT").write_text("No fracture.")
    run = cli("extract", str(tmp_path))
    assert run.returncode == 0 and run.stdout == b""
    assert b"reportnlp: warning: " in run.stderr and b"1 would match with --glob-case insensitive" in run.stderr
    run = cli("extract", str(tmp_path), "--glob-case", "insensitive")
    assert [r["id"] for r in records(run.stdout)] == ["R1.TXT"]


def test_show_reads_an_export_with_the_extract_input_options(cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "export.csv").write_text("accession,report_text\nA1,Lytic lesion in L2.\n")
    options = ["--id-column", "accession", "--text-column", "report_text"]
    run = cli("extract", str(tmp_path / "export.csv"), *options, "-o", str(tmp_path / "records.jsonl"))
    assert run.returncode == 0
    show = cli("show", str(tmp_path / "records.jsonl"), "--id", "A1", "--text-from", str(tmp_path / "export.csv"), *options)
    assert show.returncode == 0, show.stderr
    assert b"lytic_lesion" in show.stdout


def test_a_report_that_times_out_in_a_worker_keeps_its_fields(cli: RunCli, tmp_path: Path) -> None:
    slow = "Lytic lesion in L2. No fracture. " * 6000  # about 200 kB: far over a 0.05 s budget
    (tmp_path / "t.csv").write_text(f"id,site,text\n1,A,{slow}\n")
    run = cli("extract", str(tmp_path / "t.csv"), "--timeout", "0.05", "--max-report-bytes", "1000000")
    (record,) = records(run.stdout)
    assert (record["status"], record["error"]["type"], record["fields"]) == ("error", "report_timeout", {"site": "A"})


def test_parquet_without_pyarrow_is_one_line_and_exit_2(tmp_path: Path) -> None:
    import subprocess

    from tests.conftest import PACKAGE_ROOT

    (tmp_path / "r.parquet").write_bytes(b"PAR1")
    code = ("import sys; sys.modules['pyarrow'] = sys.modules['pyarrow.parquet'] = None; "
            f"sys.argv = ['reportnlp', 'extract', {str(tmp_path / 'r.parquet')!r}]; "
            "from reportnlp.cli.app import main; main()")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=PACKAGE_ROOT, timeout=120, check=False)
    assert run.returncode == 2 and run.stdout == b""
    assert run.stderr == b"reportnlp: error: reading Parquet needs pyarrow: pip install 'reportnlp[parquet]'\n"


def test_parquet_rows_are_records_under_every_jobs(cli: RunCli, tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    pq.write_table(pa.table({"id": ["00123", "2"], "text": ["Lytic lesion in L2.", ""], "site": ["A", "B"]}),
                   tmp_path / "r.parquet")
    one = cli("extract", str(tmp_path / "r.parquet"), "--empty", "ok")
    assert one.returncode == 0, one.stderr
    assert [(r["id"], r["source"]["format"], r["fields"]) for r in records(one.stdout)] == [
        ("00123", "parquet", {"site": "A"}), ("2", "parquet", {"site": "B"})]
    assert cli("extract", str(tmp_path / "r.parquet"), "--empty", "ok", "--jobs", "2").stdout == one.stdout
