"""`reportnlp summarize` as users and pipes see it: formats, streams, exit codes, the HTML page."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reportnlp.cli.summarize import default_format
from reportnlp.records.schema import validate_summary

RunCli = Callable[..., subprocess.CompletedProcess[bytes]]
SECRET = "Zanzibarquux"  # stands in for report text on a malformed line: it must never be echoed


def _record(rid: str, bone_metastasis: str, site: str) -> dict[str, Any]:
    labels = {"bone_metastasis": bone_metastasis, "pathologic_fracture": "not_mentioned", "fracture": "absent",
              "cord_compression": "not_mentioned", "lesion_pattern": [], "modalities": ["CT"],
              "degenerative": dict.fromkeys(["disc_herniation", "disc_bulge", "disc_degeneration", "endplate_changes",
                                             "annular_fissure", "facet_arthropathy", "spinal_stenosis",
                                             "spondylolisthesis", "spondylosis"], "not_mentioned")}
    return {"schema_version": "1.0", "id": rid, "status": "ok", "labels": labels, "patient": {"age": 60},
            "mentions": [], "fields": {"site": site}}


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three records (metastasis present, present, absent) at two sites."""
    path = tmp_path_factory.mktemp("small") / "records.jsonl"
    rows = [_record("r1", "present", "north"), _record("r2", "present", "south"), _record("r3", "absent", "north")]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


@pytest.fixture(scope="module")
def with_malformed(small: Path) -> Path:
    path = small.with_name("malformed.jsonl")
    lines = small.read_text().splitlines()
    path.write_text("\n".join([lines[0], f"{{broken {SECRET}", lines[1], lines[2]]) + "\n")
    return path


@pytest.fixture(scope="module")
def corpus_records_file(corpus_run: subprocess.CompletedProcess[bytes], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "records.jsonl"
    path.write_bytes(corpus_run.stdout)
    return path


def test_json_is_the_default_when_stdout_is_not_a_terminal(cli: RunCli, small: Path) -> None:
    run = cli("summarize", str(small))
    assert run.returncode == 0
    summary = json.loads(run.stdout)
    validate_summary(summary)
    assert summary["overall"]["labels"]["bone_metastasis"]["present"] == 2


def test_table_is_the_default_on_a_terminal() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert default_format(Terminal()) == "table"
    assert default_format(io.StringIO()) == "json"


def test_stderr_gets_one_count_line(cli: RunCli, small: Path) -> None:
    run = cli("summarize", str(small))
    assert run.stderr.decode().splitlines() == ["reportnlp: 3 records, 0 malformed lines"]


def test_reads_stdin_with_dash(cli: RunCli, small: Path) -> None:
    run = cli("summarize", "-", "--format", "json", stdin=small.read_bytes())
    assert json.loads(run.stdout)["overall"]["reports"]["ok"] == 3


def test_several_inputs_add_up(cli: RunCli, small: Path) -> None:
    run = cli("summarize", str(small), str(small), "--format", "json")
    assert json.loads(run.stdout)["overall"]["reports"]["processed"] == 6


def test_malformed_line_is_reported_by_place_and_exit_is_1(cli: RunCli, with_malformed: Path) -> None:
    run = cli("summarize", str(with_malformed), "--format", "json")
    assert run.returncode == 1
    assert json.loads(run.stdout)["lines"] == {"records": 3, "malformed": 1}
    err = run.stderr.decode()
    assert f"reportnlp: error: {with_malformed}:2: not valid JSON" in err.splitlines()
    assert SECRET not in err


def test_missing_input_is_a_usage_error(cli: RunCli, tmp_path: Path) -> None:
    run = cli("summarize", str(tmp_path / "nope.jsonl"))
    assert run.returncode == 2
    assert run.stdout == b""
    assert re.fullmatch(r"reportnlp: error: .*nope\.jsonl: no such file\n", run.stderr.decode())


def test_unknown_format_is_a_usage_error(cli: RunCli, small: Path) -> None:
    run = cli("summarize", str(small), "--format", "xml")
    assert run.returncode == 2
    assert "--format" in run.stderr.decode()


def test_csv_is_one_row_per_count_with_its_denominator(cli: RunCli, small: Path) -> None:
    run = cli("summarize", str(small), "--format", "csv", "--by", "site")
    rows = list(csv.DictReader(io.StringIO(run.stdout.decode())))
    found = {(r["group"], r["table"], r["item"], r["measure"]): (r["value"], r["denominator"]) for r in rows}
    assert found[("(all)", "labels", "bone_metastasis", "present")] == ("2", "3")
    assert found[("north", "labels", "bone_metastasis", "absent")] == ("1", "2")


def test_markdown_has_pipe_tables_with_counts_and_shares(cli: RunCli, small: Path) -> None:
    out = cli("summarize", str(small), "--format", "markdown").stdout.decode()
    assert "| label | present | possible | absent | not mentioned |" in out
    assert "| bone_metastasis | 2 (66.7%) | 0 (0.0%) | 1 (33.3%) | 0 (0.0%) |" in out


def test_table_format_prints_titled_tables(cli: RunCli, small: Path) -> None:
    out = cli("summarize", str(small), "--format", "table").stdout.decode()
    assert "Labels (reports, share of 3 ok)" in out
    assert "bone_metastasis" in out


def test_by_splits_markdown_into_a_section_per_group(cli: RunCli, small: Path) -> None:
    out = cli("summarize", str(small), "--format", "markdown", "--by", "site").stdout.decode()
    assert "## site = north" in out and "## site = south" in out


def test_by_a_field_no_record_has_warns(cli: RunCli, small: Path) -> None:
    run = cli("summarize", str(small), "--by", "hospital")
    assert run.returncode == 0
    assert "reportnlp: warning: --by hospital: no record has this label or field" in run.stderr.decode()


def test_html_page_is_written_and_stdout_stays_empty(cli: RunCli, small: Path, tmp_path: Path) -> None:
    page = tmp_path / "summary.html"
    run = cli("summarize", str(small), "--html", str(page))
    assert run.returncode == 0
    assert run.stdout == b""
    assert page.read_text().startswith("<!DOCTYPE html>")


def test_html_page_into_a_missing_folder_is_a_usage_error(cli: RunCli, small: Path, tmp_path: Path) -> None:
    run = cli("summarize", str(small), "--html", str(tmp_path / "no" / "summary.html"))
    assert run.returncode == 2


def test_html_page_has_the_charts_and_loads_nothing(cli: RunCli, corpus_records_file: Path, tmp_path: Path) -> None:
    page = tmp_path / "summary.html"
    cli("summarize", str(corpus_records_file), "--html", str(page))
    html = page.read_text()
    for chart in ("chart-label-status", "chart-spine", "chart-prevalence", "chart-sites", "chart-modalities"):
        assert f'<svg id="{chart}"' in html
    for external in ("<script", "<link", "src=", "url(", "@import", 'href="http'):
        assert external not in html


def test_html_page_with_by_repeats_the_charts_per_group(cli: RunCli, small: Path, tmp_path: Path) -> None:
    page = tmp_path / "summary.html"
    cli("summarize", str(small), "--html", str(page), "--by", "site")
    html = page.read_text()
    assert html.count('class="chart"') == 3 * 5 + 1  # all, north, south x five charts, and the groups side by side
    assert 'id="site-north"' in html


def test_corpus_samples_summary_matches_the_schema(cli: RunCli, corpus_records_file: Path) -> None:
    summary = json.loads(cli("summarize", str(corpus_records_file), "--by", "modality").stdout)
    validate_summary(summary)
    assert summary["lines"] == {"records": 52, "malformed": 0}
    assert summary["overall"]["reports"]["ok"] == 52


def test_extract_piped_into_summarize(cli: RunCli, corpus_run: subprocess.CompletedProcess[bytes]) -> None:
    run = cli("summarize", "-", "--format", "json", stdin=corpus_run.stdout)
    assert json.loads(run.stdout)["overall"]["reports"]["processed"] == 52


def test_summary_schema_is_printed_by_the_schema_command(cli: RunCli) -> None:
    schema = json.loads(cli("schema", "--summary").stdout)
    assert schema["$id"] == "urn:reportnlp:schema:summary"
