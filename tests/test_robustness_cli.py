"""`reportnlp extract` under bad input, crashes, bad rule files and huge reports: one record per
input, no report text on stderr unless --debug, rule problems found before any output.

Runs the real command in subprocesses; where a failure has to be provoked, a few lines of Python
patch the extractor before calling the command's entry point (forked workers inherit the patch).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

import reportnlp
from reportnlp.cli.app import app
from reportnlp.inputs import MAX_BYTES
from reportnlp.nlp.rules import RULE_FILES, builtin_patterns_dir

PACKAGE_ROOT = Path(reportnlp.__file__).resolve().parents[1]
SECRET = "Zanzibarquux"  # distinctive word standing in for patient data
REPORT = f"EXAM: MRI L-SPINE {SECRET}\nFINDINGS: Lytic lesion at L2 in {SECRET}. No fracture.\n"

# Patches, run before the command in the child process. `_build` is where the extractor turns one
# report's text into a record; `record_for` is what a worker calls per report.
RAISE_WITH_TEXT = """
def patch(orig):
    def _build(self, report_id, text, *args, **kwargs):
        if "RAISE" in text:
            raise ValueError("cannot handle " + text)
        return orig(self, report_id, text, *args, **kwargs)
    return _build
from reportnlp.run.extractor import Extractor
Extractor._build = patch(Extractor._build)
"""
WARN_AND_LOG_TEXT = """
def patch(orig):
    import logging, warnings
    def _build(self, report_id, text, *args, **kwargs):
        warnings.warn("odd token in " + text)
        logging.getLogger("spacy").warning("odd token in %s", text)
        return orig(self, report_id, text, *args, **kwargs)
    return _build
from reportnlp.run.extractor import Extractor
Extractor._build = patch(Extractor._build)
"""
CRASH_WORKER = """
def patch(orig):
    import os
    def record_for(self, report):
        if report.text and "CRASH" in report.text:
            os._exit(9)
        return orig(self, report)
    return record_for
from reportnlp.run.extractor import Extractor
Extractor.record_for = patch(Extractor.record_for)
"""
FAIL_WRITING = """
def write_lines(self, lines):
    raise ValueError("cannot write " + str(lines))
from reportnlp.run.output import JsonlWriter
JsonlWriter.write_lines = write_lines
"""


def run(*args: str, patch: str = "", cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    path = os.pathsep.join(filter(None, [str(PACKAGE_ROOT), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": path}
    env.pop("NO_PROGRESS", None)
    code = f"{patch}\nfrom reportnlp.cli.app import main\nmain()\n"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, cwd=cwd or PACKAGE_ROOT,
                          env=env, timeout=300, check=False)


def records_of(out: bytes) -> list[dict]:  # type: ignore[type-arg]
    assert out == b"" or out.endswith(b"\n")
    return [orjson.loads(line) for line in out.splitlines()]


@pytest.fixture(scope="module")
def bad_inputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], int]:
    """Every kind of bad input, most of them holding SECRET; returns (paths, number of reports)."""
    root = tmp_path_factory.mktemp("bad")
    d = root / "folder"
    d.mkdir()
    files = {
        "good.txt": REPORT.encode(),
        "empty.txt": b"",
        "blank.txt": b"  \n\t\n",
        "binary.txt": f"{SECRET}\x00\x01\x02".encode(),
        "pdf.txt": b"%PDF-1.4\n" + SECRET.encode() + b"\x00\xff\xfe",
        "latin1.txt": f"FINDINGS: {SECRET} l\xe9sion lytique.".encode("latin-1"),
        "utf16.txt": REPORT.encode("utf-16"),
        "huge.txt": (SECRET + " ") * (MAX_BYTES // 10),
        "one_line.txt": ("No fracture. " * 300).encode(),  # no newline
        "raise.txt": f"FINDINGS: RAISE {SECRET}".encode(),
        "crash.txt": f"FINDINGS: CRASH {SECRET}".encode(),
    }
    for name, data in files.items():
        (d / name).write_bytes(data if isinstance(data, bytes) else data.encode())
    os.mkfifo(d / "fifo.txt")
    (d / "loop").symlink_to(d)
    (d / "dangling.txt").symlink_to(d / "nowhere")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(d / "socket.txt"))
    sock.close()
    n_folder = len(files) + 3  # fifo, dangling link and socket each get an error record
    csv = root / "export.csv"
    csv.write_text(f'id,text\nc1,"{SECRET} ""quoted""\nsecond line, lytic lesion"\nc2,{SECRET},extra\nc3,\n')
    jsonl = root / "export.jsonl"
    jsonl.write_text(f'{{"id": "j1", "text": "{SECRET}"}}\n{{"id": "j2", "text": "{SECRET}\nnot json\n'
                     f'{{"id": "j1", "text": ["{SECRET}"]}}\n[1, 2]\n')
    return [str(d), str(csv), str(jsonl)], n_folder + 3 + 5


@pytest.fixture(scope="module", params=["1", "2"])
def bad_run(request: pytest.FixtureRequest, bad_inputs: tuple[list[str], int]) -> subprocess.CompletedProcess[bytes]:
    patch = RAISE_WITH_TEXT + WARN_AND_LOG_TEXT + (CRASH_WORKER if request.param == "2" else "")
    return run("extract", *bad_inputs[0], "--jobs", request.param, patch=patch)


def test_every_bad_input_gets_exactly_one_record(bad_run: subprocess.CompletedProcess[bytes],
                                                 bad_inputs: tuple[list[str], int]) -> None:
    records = records_of(bad_run.stdout)
    assert bad_run.returncode == 1
    assert len(records) == bad_inputs[1]
    errors = {r["id"]: r["error"]["type"] for r in records if r["status"] == "error"}
    assert errors["huge.txt"] == "report_too_large"
    assert errors["raise.txt"] == "processing_error"
    assert {errors[k] for k in ("fifo.txt", "socket.txt")} == {"not_a_regular_file"}
    assert "latin1.txt" not in errors and "utf16.txt" not in errors and "one_line.txt" not in errors


def test_stderr_of_failing_runs_never_holds_report_text(bad_run: subprocess.CompletedProcess[bytes]) -> None:
    assert SECRET.encode() in bad_run.stdout  # the text did reach the pipeline
    assert SECRET.encode() not in bad_run.stderr
    lines = bad_run.stderr.decode().splitlines()
    assert all(line.startswith("reportnlp: ") for line in lines)


def test_a_worker_crash_costs_only_its_report(bad_inputs: tuple[list[str], int]) -> None:
    result = run("extract", *bad_inputs[0], "--jobs", "2", patch=CRASH_WORKER)
    records = records_of(result.stdout)
    assert len(records) == bad_inputs[1]
    (crashed,) = [r for r in records if r["status"] == "error" and r["error"]["type"] == "worker_crashed"]
    assert crashed["id"] == "crash.txt"
    assert "reportnlp: error: crash.txt: the worker process died on this report (exit code 9)" in result.stderr.decode()


def test_debug_shows_tracebacks_warnings_and_log_lines(tmp_path: Path) -> None:
    report = tmp_path / "raise.txt"
    report.write_text(f"FINDINGS: RAISE {SECRET}")
    quiet = run("extract", str(report), patch=RAISE_WITH_TEXT + WARN_AND_LOG_TEXT)
    loud = run("extract", str(report), "--debug", patch=RAISE_WITH_TEXT + WARN_AND_LOG_TEXT)
    assert quiet.returncode == loud.returncode == 1
    assert quiet.stdout == loud.stdout
    assert SECRET.encode() not in quiet.stderr
    err = loud.stderr.decode()
    assert "Traceback (most recent call last)" in err and f"ValueError: cannot handle FINDINGS: RAISE {SECRET}" in err
    assert f"UserWarning: odd token in FINDINGS: RAISE {SECRET}" in err
    assert f"odd token in FINDINGS: RAISE {SECRET}\n" in err  # the log record


def test_an_unexpected_error_is_one_line_naming_only_its_type(tmp_path: Path) -> None:
    out = tmp_path / "records.jsonl"
    result = run("extract", str(PACKAGE_ROOT / "corpus_samples"), "-o", str(out), patch=FAIL_WRITING)
    assert result.returncode == 1
    (line,) = result.stderr.decode().splitlines()
    assert line.startswith("reportnlp: error: internal error (ValueError); rerun with --debug")
    assert list(tmp_path.iterdir()) == []  # no partial file


def test_a_5_mb_single_line_report_is_refused_at_once(tmp_path: Path) -> None:
    report = tmp_path / "big.txt"
    report.write_bytes(b"No lytic lesion at L4-5 but possible fracture. " * 110_000)  # 5.2 MB, no newline
    result = run("extract", str(report))
    (record,) = records_of(result.stdout)
    assert result.returncode == 1
    assert record["error"]["type"] == "report_too_large"
    assert "--max-report-bytes" in record["error"]["message"]


def test_max_report_bytes_sets_the_limit(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("No fracture. " * 10)
    result = CliRunner().invoke(app, ["extract", str(tmp_path), "--max-report-bytes", "100"])
    assert result.exit_code == 1
    assert orjson.loads(result.stdout)["error"]["type"] == "report_too_large"


def test_the_cli_default_size_limit_is_the_documented_one() -> None:
    result = CliRunner().invoke(app, ["extract", "--help"], terminal_width=200)
    assert f"{MAX_BYTES}" in result.stdout.replace(",", "").replace("_", "")


def test_help_documents_every_exit_code() -> None:
    for args in (["--help"], ["extract", "--help"]):
        text = " ".join(CliRunner().invoke(app, args, terminal_width=200).stdout.split())
        for code in ("0", "1", "2", "130", "143"):
            assert code in text, (args, code)


# --- rule files -------------------------------------------------------------------------------


def _edit_targets(folder: Path, change: object) -> None:
    path = folder / "targets.json"
    data = json.loads(path.read_text())
    change(data)  # type: ignore[operator]
    path.write_text(json.dumps(data))


def _edit_anatomy_regex(folder: Path, regex: str) -> None:
    path = folder / "anatomy.json"
    data = json.loads(path.read_text())
    data["anatomy_rules"][0]["regex"] = regex
    path.write_text(json.dumps(data))


BROKEN_RULES = {
    "bad_json": (lambda f: (f / "context.json").write_text("{not json"), r"context.json: not valid JSON"),
    "unknown_key": (lambda f: _edit_targets(f, lambda d: d["target_rules"][0].update(colour="red")),
                    "targets.json: rule .*: unknown key"),
    "bad_regex": (lambda f: _edit_anatomy_regex(f, "(unclosed"), "anatomy.json: rule .*: bad regex"),
    "lookaround_regex": (lambda f: _edit_anatomy_regex(f, "ribs?(?!x)"), "anatomy.json: rule .*: bad regex: not accepted by RE2"),
    "duplicate_key": (lambda f: (f / "sections.json").write_text('{"name": "a", "name": "b"}'),
                      r'sections.json: not valid JSON \(duplicate key "name"\)'),
    "spacy_rejects_token_pattern": (
        lambda f: _edit_targets(f, lambda d: d["target_rules"].append(
            {"id": "broken_pattern", "concept": "fracture", "pattern": [{"LOWERCASE": "x"}]})),
        "targets.json: rule broken_pattern: token pattern rejected by spaCy"),
}


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("kind", sorted(BROKEN_RULES))
def test_a_broken_rule_file_stops_the_run_before_any_output(tmp_path: Path, kind: str, jobs: str) -> None:
    import re

    rules = tmp_path / "rules"
    rules.mkdir()
    for name in RULE_FILES:
        shutil.copy(builtin_patterns_dir() / name, rules / name)
    breaks, message = BROKEN_RULES[kind]
    breaks(rules)  # type: ignore[operator]
    out = tmp_path / "out"
    out.mkdir()
    result = CliRunner().invoke(app, ["extract", str(PACKAGE_ROOT / "corpus_samples"), "--patterns", str(rules),
                                      "-o", str(out / "records.jsonl"), "--jobs", jobs])
    assert result.exit_code == 2
    assert result.stdout == "" and list(out.iterdir()) == []
    (line,) = result.stderr.splitlines()
    assert re.match(f"reportnlp: error: {message}", line), line


def test_resume_needs_an_output_file() -> None:
    result = CliRunner().invoke(app, ["extract", str(PACKAGE_ROOT / "corpus_samples"), "--resume"])
    assert result.exit_code == 2
    assert result.stderr == "reportnlp: error: --resume: needs -o FILE (stdout cannot be continued)\n"


def test_library_warnings_and_log_lines_are_quiet_without_debug_and_logging_comes_back(
    capsys: pytest.CaptureFixture[str], recwarn: pytest.WarningsRecorder
) -> None:
    """One guard (``quiet_libraries``) for `extract` here and on a cluster: a library's warning or log line may quote
    report text, so none reaches stderr without --debug; after the run, logging is as it was."""
    import logging
    import warnings

    from reportnlp.cli.errors import quiet_libraries

    spacy_log = logging.getLogger("spacy")
    before = logging.root.manager.disable
    with quiet_libraries(debug=False):
        warnings.warn("odd token in SECRET-TEXT", stacklevel=1)
        spacy_log.error("odd token in %s", "SECRET-TEXT")
    assert not recwarn.list and "SECRET-TEXT" not in capsys.readouterr().err
    assert logging.root.manager.disable == before
    with quiet_libraries(debug=True):
        warnings.warn("odd token in SHOWN-TEXT", stacklevel=1)
    assert [str(w.message) for w in recwarn.list] == ["odd token in SHOWN-TEXT"]
