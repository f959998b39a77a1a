"""`reportnlp evaluate` end to end, in a subprocess (true stdout, stderr and exit codes)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import RunCli
from tests.fake_records import labels, record

CORPUS = Path(__file__).resolve().parents[1] / "corpus_samples"

pytestmark = pytest.mark.slow


@pytest.fixture
def files(tmp_path: Path) -> tuple[str, str]:
    rows = [
        record("a", labels(fracture="absent", modalities=["XR"])),
        record("b", labels(fracture="present", modalities=["XR"])),
        record("c", labels()),
    ]
    records = tmp_path / "records.jsonl"
    records.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    gold = tmp_path / "gold.csv"
    gold.write_text("id,fracture,modalities\na,present,XR\nb,present,XR\nd,absent,\n", encoding="utf-8")
    return str(gold), str(records)


def test_json_output_is_versioned_and_scores_the_shared_ids(cli: RunCli, files: tuple[str, str]) -> None:
    gold, records = files
    run = cli("evaluate", "--gold", gold, records, "--format", "json")
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["evaluation_version"] == "1.0"
    assert result["ids"]["scored"] == 2
    assert result["ids"]["gold_only"] == ["d"] and result["ids"]["records_only"] == ["c"]
    # fracture: a called absent, b right -> present recall 1/2; modalities both right
    assert result["labels"]["fracture"]["classes"]["present"]["recall"]["value"] == 0.5
    assert result["labels"]["modalities"]["exact_match"]["value"] == 1.0
    [wrong] = result["disagreements"]
    assert (wrong["id"], wrong["gold"], wrong["predicted"]) == ("a", "present", "absent")
    assert wrong["mentions"][0]["text"] == "no fracture"
    assert run.stderr.decode() == "reportnlp: 2 reports scored, 1 only in gold, 1 only in records, 0 failed records\n"


def test_table_output_has_every_part(cli: RunCli, files: tuple[str, str]) -> None:
    gold, records = files
    run = cli("evaluate", "--gold", gold, records)
    assert run.returncode == 0
    out = run.stdout.decode()
    for title in ("Per label and status", "Present or possible vs the rest", "Confusion matrices", "Disagreements (1)"):
        assert title in out
    assert "only in gold: 1 (d)" in out


def test_records_may_come_from_stdin(cli: RunCli, files: tuple[str, str]) -> None:
    gold, records = files
    run = cli("evaluate", "--gold", gold, "-", "--format", "json", stdin=Path(records).read_bytes())
    assert run.returncode == 0
    assert json.loads(run.stdout)["ids"]["scored"] == 2


@pytest.mark.parametrize(
    ("gold_text", "message"),
    [
        ("id,fracture\na,broken\n", "line 2: 'fracture' must be one of present, possible, absent, not_mentioned"),
        ("id,fracture\na,present\na,absent\n", "line 3: duplicate id 'a'"),
    ],
)
def test_unusable_gold_is_a_one_line_usage_error(
    cli: RunCli, tmp_path: Path, files: tuple[str, str], gold_text: str, message: str
) -> None:
    gold = tmp_path / "bad.csv"
    gold.write_text(gold_text, encoding="utf-8")
    run = cli("evaluate", "--gold", str(gold), files[1])
    assert run.returncode == 2
    assert run.stdout == b""
    assert run.stderr.decode() == f"reportnlp: error: {gold}: {message}\n"


def test_unknown_format_and_missing_records_are_usage_errors(cli: RunCli, files: tuple[str, str], tmp_path: Path) -> None:
    gold, records = files
    assert cli("evaluate", "--gold", gold, records, "--format", "xml").returncode == 2
    missing = cli("evaluate", "--gold", gold, str(tmp_path / "none.jsonl"))
    assert missing.returncode == 2
    assert missing.stderr.decode().startswith(f"reportnlp: error: {tmp_path / 'none.jsonl'}: ")


def test_corpus_samples_agree_with_their_own_labels(
    cli: RunCli, corpus_run: subprocess.CompletedProcess[bytes], tmp_path: Path
) -> None:
    records = tmp_path / "records.jsonl"
    records.write_bytes(corpus_run.stdout)
    run = cli("evaluate", "--gold", str(CORPUS / "labels.jsonl"), str(records), "--format", "json", "--resamples", "0")
    result = json.loads(run.stdout)
    assert result["ids"]["scored"] == len(list(CORPUS.glob("*.txt")))
    assert result["disagreements"] == []
    assert all(rep["accuracy" if rep["kind"] == "status" else "exact_match"]["value"] == 1.0 for rep in result["labels"].values())
