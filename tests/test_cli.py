"""The `reportnlp` command as users and pipes see it: stdout is JSON Lines and nothing else,
stderr is one-line messages without report text, exit codes 0 / 1 / 2.

Most tests run `python -m reportnlp` in a real subprocess (the true streams and exit code);
typer's CliRunner covers the cheap paths that never build the pipeline.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import reportnlp
from reportnlp import __version__
from reportnlp.cli.app import app
from reportnlp.records.schema import record_schema, record_schema_text, validate_record

RunCli = Callable[..., subprocess.CompletedProcess[bytes]]
CORPUS = Path(__file__).resolve().parents[1] / "corpus_samples"
PACKAGE_ROOT = Path(reportnlp.__file__).resolve().parents[1]

SECRET = "Zanzibarquux"  # distinctive word standing in for patient data
REPORT = "FINDINGS: Lytic lesion in the L2 vertebral body. No fracture.\nIMPRESSION: Metastasis at L2.\n"


def records_of(out: bytes) -> list[dict[str, Any]]:
    """Parse JSON Lines strictly: every line is one JSON object, the output ends with a newline."""
    assert out.endswith(b"\n")
    lines = out.decode("utf-8").split("\n")[:-1]
    records = [json.loads(line) for line in lines]
    assert all(isinstance(r, dict) for r in records)
    return records


def stderr_lines(run: subprocess.CompletedProcess[bytes]) -> list[str]:
    return run.stderr.decode("utf-8").splitlines()


@pytest.fixture(scope="module")
def failing_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One good report holding SECRET, one empty report, one binary file."""
    folder = tmp_path_factory.mktemp("failing")
    (folder / "a_good.txt").write_text(f"EXAM: {SECRET} MRI\nFINDINGS: Sclerotic lesion of the T9 vertebra.\n")
    (folder / "b_empty.txt").write_text("")
    (folder / "c_binary.txt").write_bytes(f"{SECRET}\x00\x01".encode())
    return folder


@pytest.fixture(scope="module")
def failing_run(cli: RunCli, failing_folder: Path) -> subprocess.CompletedProcess[bytes]:
    return cli("extract", str(failing_folder))


# --- stdout contract ------------------------------------------------------------------------


def test_stdout_is_one_json_record_per_report_in_sorted_input_order(
    corpus_run: subprocess.CompletedProcess[bytes],
) -> None:
    records = records_of(corpus_run.stdout)
    expected = sorted(p.name for p in CORPUS.glob("*.txt"))
    assert [r["id"] for r in records] == expected


def test_all_ok_run_exits_0_with_a_summary_on_stderr(corpus_run: subprocess.CompletedProcess[bytes]) -> None:
    assert corpus_run.returncode == 0
    assert {r["status"] for r in records_of(corpus_run.stdout)} == {"ok"}
    assert stderr_lines(corpus_run) == [f"reportnlp: {len(list(CORPUS.glob('*.txt')))} records, 0 failed"]


def test_cli_records_validate_against_the_schema(corpus_run: subprocess.CompletedProcess[bytes]) -> None:
    for record in records_of(corpus_run.stdout):
        validate_record(record)


def test_mention_offsets_index_the_input_text(
    corpus_run: subprocess.CompletedProcess[bytes], corpus_texts: dict[str, str]
) -> None:
    checked = 0
    for record in records_of(corpus_run.stdout):
        text = corpus_texts[record["id"]]
        for m in record["mentions"]:
            assert text[m["start"] : m["end"]] == m["text"], (record["id"], m["id"])
            checked += 1
    assert checked > 100


def test_cue_and_location_offsets_index_the_input_text(
    corpus_run: subprocess.CompletedProcess[bytes], corpus_texts: dict[str, str]
) -> None:
    for record in records_of(corpus_run.stdout):
        text = corpus_texts[record["id"]]
        for m in record["mentions"]:
            for part in [*m["cues"], *m["locations"]]:
                assert text[part["start"] : part["end"]] == part["text"], (record["id"], m["id"], part)
            assert m["sentence"]["start"] <= m["start"] < m["end"] <= m["sentence"]["end"]


def test_jobs_2_output_is_byte_identical_to_jobs_1(
    cli: RunCli, corpus_run: subprocess.CompletedProcess[bytes]
) -> None:
    parallel = cli("extract", "corpus_samples/", "--jobs", "2")
    assert parallel.returncode == corpus_run.returncode == 0
    assert parallel.stdout == corpus_run.stdout


def test_jobs_2_keeps_input_order_when_an_early_report_is_slow(cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "00_long.txt").write_text("FINDINGS: Disc bulge at L4-5 without stenosis. No fracture. " * 250)
    for i in range(1, 25):
        (tmp_path / f"{i:02d}_short.txt").write_text("No fracture.")
    run = cli("extract", str(tmp_path), "--jobs", "2")
    assert [r["id"] for r in records_of(run.stdout)] == sorted(p.name for p in tmp_path.iterdir())


# --- inputs ---------------------------------------------------------------------------------


def test_dash_reads_one_report_from_stdin(cli: RunCli) -> None:
    run = cli("extract", "-", stdin=REPORT.encode())
    (record,) = records_of(run.stdout)
    assert run.returncode == 0
    assert (record["id"], record["source"]["format"], record["status"]) == ("stdin", "stdin", "ok")
    assert record["labels"]["bone_metastasis"] == "present"


def test_csv_uses_the_named_id_and_text_columns(cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    body = REPORT.replace('"', '""')
    path.write_text(f'site,accession,report_text\nnorth,A-17,"{body}"\nsouth,B-02,No fracture.\n')
    run = cli("extract", str(path), "--id-column", "accession", "--text-column", "report_text")
    records = records_of(run.stdout)
    assert run.returncode == 0
    assert [r["id"] for r in records] == ["A-17", "B-02"]
    assert [r["source"]["line"] for r in records] == [2, 5]
    assert records[0]["fields"] == {"site": "north"}
    assert records[1]["labels"]["fracture"] == "absent"


def test_jsonl_gives_one_record_per_line(cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "reports.jsonl"
    lines = [{"id": "r1", "text": REPORT}, {"id": "r2", "text": "No fracture.", "site": "north"}]
    path.write_text("".join(json.dumps(obj) + "\n" for obj in lines))
    run = cli("extract", str(path))
    records = records_of(run.stdout)
    assert run.returncode == 0
    assert [(r["id"], r["source"]["format"], r["source"]["line"]) for r in records] == [
        ("r1", "jsonl", 1),
        ("r2", "jsonl", 2),
    ]
    assert records[1]["fields"] == {"site": "north"}


# --- exit codes and errors ------------------------------------------------------------------


def test_csv_missing_the_text_column_exits_2_before_writing_anything(cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(f"id,body\n1,{SECRET} lytic lesion\n")
    out = tmp_path / "records.jsonl"
    run = cli("extract", str(CORPUS), str(path), "-o", str(out))
    assert run.returncode == 2
    assert run.stdout == b""
    assert not out.exists() and list(tmp_path.iterdir()) == [path]
    (line,) = stderr_lines(run)
    assert line.startswith("reportnlp: error: ") and "'text'" in line


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("extract",), "Missing argument 'inputs'"),
        (("extract", "--jobs", "many", "x.txt"), "Invalid value for '--jobs'"),
        (("extract", "--no-such-option", "x.txt"), "No such option: --no-such-option"),
        (("no-such-command",), "No such command 'no-such-command'"),
    ],
)
def test_usage_errors_are_one_line_naming_the_help_to_read(cli: RunCli, args: tuple[str, ...], says: str) -> None:
    run = cli(*args)
    assert run.returncode == 2
    assert run.stdout == b""
    (line,) = stderr_lines(run)
    assert line.startswith("reportnlp: error: ") and says in line and line.endswith("--help')")


def test_bare_command_prints_help_and_exits_2(cli: RunCli) -> None:
    run = cli()
    assert run.returncode == 2
    assert b"extract" in run.stdout and run.stderr == b""


def test_nonexistent_path_exits_2(cli: RunCli, tmp_path: Path) -> None:
    run = cli("extract", str(tmp_path / "missing"))
    assert run.returncode == 2
    assert run.stdout == b""
    (line,) = stderr_lines(run)
    assert line.startswith("reportnlp: error: ") and "does not exist" in line


def test_failed_reports_exit_1_and_still_get_a_record_each(
    failing_run: subprocess.CompletedProcess[bytes],
) -> None:
    records = records_of(failing_run.stdout)
    assert failing_run.returncode == 1
    assert [(r["id"], r["status"]) for r in records] == [
        ("a_good.txt", "ok"),
        ("b_empty.txt", "error"),
        ("c_binary.txt", "error"),
    ]
    assert [r["error"]["type"] for r in records[1:]] == ["empty_report", "binary_file"]


def test_stderr_of_a_failing_run_never_holds_report_text(
    failing_run: subprocess.CompletedProcess[bytes],
) -> None:
    assert failing_run.returncode == 1
    assert SECRET.encode() in failing_run.stdout  # the text reached the pipeline (exam title)
    assert SECRET.encode() not in failing_run.stderr


def test_each_failed_report_gets_one_error_line_on_stderr(
    failing_run: subprocess.CompletedProcess[bytes],
) -> None:
    errors, summary = stderr_lines(failing_run)[:-1], stderr_lines(failing_run)[-1]
    assert [line.split(": ")[:3] for line in errors] == [
        ["reportnlp", "error", "b_empty.txt"],
        ["reportnlp", "error", "c_binary.txt"],
    ]
    assert summary == "reportnlp: 3 records, 2 failed"


def test_error_records_never_hold_report_text(failing_run: subprocess.CompletedProcess[bytes]) -> None:
    failed = [r for r in records_of(failing_run.stdout) if r["status"] == "error"]
    assert failed and SECRET not in json.dumps(failed)


def test_output_file_gets_the_records_and_stdout_stays_empty(
    cli: RunCli, failing_folder: Path, failing_run: subprocess.CompletedProcess[bytes], tmp_path: Path
) -> None:
    out = tmp_path / "records.jsonl"
    run = cli("extract", str(failing_folder), "-o", str(out))
    assert run.returncode == 1
    assert run.stdout == b""
    assert out.read_bytes() == failing_run.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["records.jsonl"]  # no .part left behind


def test_version_prints_the_version(cli: RunCli) -> None:
    run = cli("--version")
    assert run.returncode == 0
    assert run.stdout.decode() == f"reportnlp {__version__}\n"


def test_schema_command_prints_the_record_schema_as_json(cli: RunCli) -> None:
    run = cli("schema")
    assert run.returncode == 0
    assert json.loads(run.stdout) == record_schema()


def test_cli_module_does_not_import_spacy() -> None:
    """--help, --version and schema must start instantly."""
    code = "import sys, reportnlp.cli.app; sys.exit('spacy' in sys.modules)"
    env = {"PYTHONPATH": str(PACKAGE_ROOT)}
    assert subprocess.run([sys.executable, "-c", code], env=env, check=False).returncode == 0


# --- CliRunner: in-process, for paths that never build the pipeline -------------------------


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_runner_same_id_and_text_column_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(tmp_path), "--id-column", "x", "--text-column", "x"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("reportnlp: error: ")


def test_runner_output_into_a_missing_folder_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(CORPUS), "-o", str(tmp_path / "no" / "records.jsonl")])
    assert result.exit_code == 2
    assert result.stderr == f"reportnlp: error: {tmp_path / 'no' / 'records.jsonl'}: folder does not exist\n"


def test_runner_broken_patterns_folder_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(CORPUS), "--patterns", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("reportnlp: error: ") and "targets.json" in line


def test_runner_jobs_below_1_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(app, ["extract", str(CORPUS), "--jobs", "0"])
    assert result.exit_code == 2
    assert result.stdout == ""


def test_runner_schema_output_is_the_shipped_file_verbatim(runner: CliRunner) -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    assert result.stdout == record_schema_text()


def test_runner_output_onto_a_folder_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(CORPUS), "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr.startswith("reportnlp: error: ") and list(tmp_path.iterdir()) == []
