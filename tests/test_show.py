"""`reportnlp show`: one report with its mentions highlighted by assertion, and why each label."""

from __future__ import annotations

import io
import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reportnlp.show.html import report_page
from reportnlp.show.terminal import print_report
from reportnlp.show.view import TextMismatch, check_text, label_rows, pieces

RunCli = Callable[..., subprocess.CompletedProcess[bytes]]
REPORT_ID = "lumbar_degen_02.txt"


@pytest.fixture(scope="module")
def record(corpus_records: list[dict[str, Any]]) -> dict[str, Any]:
    return next(r for r in corpus_records if r["id"] == REPORT_ID)


@pytest.fixture(scope="module")
def text(corpus_texts: dict[str, str]) -> str:
    return corpus_texts[REPORT_ID]


@pytest.fixture(scope="module")
def terminal(record: dict[str, Any], text: str) -> str:
    out = io.StringIO()
    print_report(record, text, out)
    return out.getvalue()


@pytest.fixture(scope="module")
def records_file(corpus_run: subprocess.CompletedProcess[bytes], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("show") / "records.jsonl"
    path.write_bytes(corpus_run.stdout)
    return path


def test_pieces_put_the_text_back_together(corpus_records: list[dict[str, Any]], corpus_texts: dict[str, str]) -> None:
    for rec in corpus_records:
        assert "".join(p.text for p in pieces(rec, corpus_texts[rec["id"]])) == corpus_texts[rec["id"]]


def test_each_mention_is_tagged_once_where_it_ends(record: dict[str, Any], text: str) -> None:
    tagged = [m["id"] for p in pieces(record, text) for m in p.ends]
    assert sorted(tagged) == [m["id"] for m in record["mentions"]]


def test_a_cue_piece_knows_it_is_a_cue(record: dict[str, Any], text: str) -> None:
    cue_texts = {p.text for p in pieces(record, text) if p.cue is not None}
    assert "No" in cue_texts


def test_terminal_view_tags_every_mention_with_concept_and_assertion(record: dict[str, Any], terminal: str) -> None:
    flat = " ".join(terminal.split())
    for m in record["mentions"]:
        assert f"[#{m['id']} {m['concept']} {m['assertion']}]" in flat


def test_terminal_view_marks_sections_and_whether_they_count(terminal: str) -> None:
    assert "── findings (counts toward labels) ──" in terminal
    assert "── indication (does not count toward labels) ──" in terminal


def test_terminal_view_lists_each_mention_with_its_cue_and_location(terminal: str) -> None:
    flat = " ".join(terminal.split())
    assert "annular fissure annular_fissure absent · cue 'No' NEGATED_EXISTENCE · at L5-S1 (from heading)" in flat


def test_terminal_view_says_which_mentions_decided_a_label(terminal: str) -> None:
    line = next(line for line in terminal.splitlines() if "│ degenerative.disc_degeneration " in line)
    assert "present" in line and "#2 'disc desiccation'" in line


def test_label_rows_follow_the_record_evidence(record: dict[str, Any]) -> None:
    rows = {label: (value, [m["id"] for m in ms]) for label, value, ms in label_rows(record)}
    assert rows["degenerative.disc_herniation"] == ("present", record["evidence"]["degenerative"]["disc_herniation"]["mentions"])
    assert rows["modality: MRI"] == ("yes", record["evidence"]["modalities"]["MRI"])


def test_html_view_highlights_mentions_by_assertion(record: dict[str, Any], text: str) -> None:
    html = report_page(record, text)
    assert re.search(r'<mark class="m a-absent" data-mention="5"[^>]*>annular fissure</mark>', html)
    assert re.search(r'<mark class="m a-present" data-mention="2"[^>]*>disc desiccation</mark>', html)
    assert '<span class="tag"' in html and "#5 annular_fissure · absent" in html
    assert "<script" not in html and "<link" not in html


def test_terminal_view_points_at_the_label_contract(terminal: str) -> None:
    assert "docs/labels.md" in terminal


def test_html_view_points_at_the_label_contract(record: dict[str, Any], text: str) -> None:
    assert "docs/labels.md" in report_page(record, text)


def test_html_view_escapes_report_text(record: dict[str, Any]) -> None:
    text = "FINDINGS: <b>No</b> fracture."
    bare = {**record, "mentions": [], "sections": []}
    assert "&lt;b&gt;No&lt;/b&gt;" in report_page(bare, text)


def test_a_text_that_does_not_match_the_record_is_refused(record: dict[str, Any], text: str) -> None:
    with pytest.raises(TextMismatch):
        check_text(record, "X" + text)


def test_show_a_text_file(cli: RunCli) -> None:
    run = cli("show", f"corpus_samples/{REPORT_ID}")
    assert run.returncode == 0
    assert "disc desiccation" in run.stdout.decode()


def test_show_a_record_with_text_from_a_folder_matches_show_of_the_file(cli: RunCli, records_file: Path) -> None:
    from_record = cli("show", str(records_file), "--id", REPORT_ID, "--text-from", "corpus_samples/")
    from_text = cli("show", f"corpus_samples/{REPORT_ID}")
    assert from_record.returncode == 0
    assert from_record.stdout == from_text.stdout


def test_show_finds_a_record_by_its_id_without_the_file_suffix(cli: RunCli, records_file: Path) -> None:
    run = cli("show", str(records_file), "--id", "lumbar_degen_02", "--text-from", "corpus_samples/")
    assert run.returncode == 0
    assert run.stdout.decode().startswith(f"report: {REPORT_ID}\n")


def test_show_a_record_whose_text_changed_fails_without_echoing_it(cli: RunCli, records_file: Path, tmp_path: Path) -> None:
    (tmp_path / REPORT_ID).write_text("Zanzibarquux " + (Path("corpus_samples") / REPORT_ID).read_text())
    run = cli("show", str(records_file), "--id", REPORT_ID, "--text-from", str(tmp_path))
    assert run.returncode == 1
    assert "not at its offsets" in run.stderr.decode() and "Zanzibarquux" not in run.stderr.decode()


def test_show_a_records_file_needs_an_id(cli: RunCli, records_file: Path) -> None:
    run = cli("show", str(records_file))
    assert run.returncode == 2
    assert "--id" in run.stderr.decode()


def test_show_an_unknown_id_fails(cli: RunCli, records_file: Path) -> None:
    run = cli("show", str(records_file), "--id", "nope.txt", "--text-from", "corpus_samples/")
    assert run.returncode == 1
    assert "no record with id 'nope.txt'" in run.stderr.decode()


def test_show_one_report_of_a_reports_jsonl(cli: RunCli, tmp_path: Path) -> None:
    reports = tmp_path / "reports.jsonl"
    reports.write_text(json.dumps({"id": "x1", "text": "FINDINGS: No lytic lesion at L2."}) + "\n")
    out = cli("show", str(reports), "--id", "x1").stdout.decode()
    assert "[#0 lytic_lesion absent]" in " ".join(out.split())


def test_show_html_writes_a_page(cli: RunCli, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    run = cli("show", f"corpus_samples/{REPORT_ID}", "--html", str(page))
    assert run.returncode == 0 and run.stdout == b""
    assert 'class="m a-present"' in page.read_text()
