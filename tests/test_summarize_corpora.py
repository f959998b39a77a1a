"""summarize and show on development reports of the public corpora (skipped when they are absent).

Texts go to a temporary folder only; failure messages carry ids and counts, never corpus text.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reportnlp.evaluation import corpora
from reportnlp.inputs import iter_reports
from reportnlp.records.schema import validate_summary

RunCli = Callable[..., subprocess.CompletedProcess[bytes]]
N_OPENI, N_MTSAMPLES = 400, 60
pytestmark = pytest.mark.corpora


@pytest.fixture(scope="module")
def dev_files(extractor: Any, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(reports.jsonl, records.jsonl) of the first Open-i and MTSamples development reports."""
    root = corpora.corpora_dir()
    if root is None:
        pytest.skip("corpora folder absent (../shared/corpora or $REPORTNLP_CORPORA)")
    folder = tmp_path_factory.mktemp("dev")
    rows = []
    for i, r in enumerate(corpora.iter_openi(root, corpora.DEV)):
        if i == N_OPENI:
            break
        rows.append({"id": f"openi-{r.id}", "text": r.text, "corpus": "openi"})
    for i, m in enumerate(corpora.iter_mtsamples(root, corpora.DEV)):
        if i == N_MTSAMPLES:
            break
        rows.append({"id": f"mtsamples-{m.id}", "text": m.text, "corpus": "mtsamples"})
    reports = folder / "reports.jsonl"
    reports.write_text("".join(json.dumps(row) + "\n" for row in rows))
    records = folder / "records.jsonl"
    with records.open("w") as fh:
        for report in iter_reports([str(reports)]):
            fh.write(json.dumps(extractor.record_for(report)) + "\n")
    return reports, records


def test_dev_summary_by_corpus_matches_the_schema(cli: RunCli, dev_files: tuple[Path, Path]) -> None:
    run = cli("summarize", str(dev_files[1]), "--by", "corpus", "--format", "json")
    assert run.returncode == 0, run.stderr.decode()[-500:]
    summary = json.loads(run.stdout)
    validate_summary(summary)
    assert summary["overall"]["reports"]["processed"] == N_OPENI + N_MTSAMPLES
    assert {g["value"]: g["reports"]["processed"] for g in summary["groups"]} == {
        "mtsamples": N_MTSAMPLES, "openi": N_OPENI}


def test_dev_summary_html_page_is_written(cli: RunCli, dev_files: tuple[Path, Path], tmp_path: Path) -> None:
    page = tmp_path / "summary.html"
    assert cli("summarize", str(dev_files[1]), "--html", str(page), "--by", "modality").returncode == 0
    assert '<svg id="chart-spine"' in page.read_text()


def test_show_a_dev_record_with_text_from_the_reports(cli: RunCli, dev_files: tuple[Path, Path]) -> None:
    reports, records = dev_files
    with records.open() as fh:
        record = next(r for r in map(json.loads, fh) if r["status"] == "ok" and len(r["mentions"]) >= 3)
    run = cli("show", str(records), "--id", record["id"], "--text-from", str(reports))
    assert run.returncode == 0, run.stderr.decode()[-500:]
    flat = " ".join(run.stdout.decode().split())
    assert all(f"[#{m['id']} {m['concept']} {m['assertion']}]" in flat for m in record["mentions"])
