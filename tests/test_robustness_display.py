"""Output that is safe to look at (#17.5): ids, fields and report text with terminal escapes, bidi
overrides, newlines, formulas or HTML reach stderr, terminals, CSV, markdown and HTML neutralised;
JSON on stdout stays exact."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportnlp.cli.summarize import summarize_command
from reportnlp.render.safe_text import csv_cell, csv_writer, html_text, markdown_text, one_line, text_block
from reportnlp.show.html import report_page
from reportnlp.show.terminal import print_report
from tests.conftest import RunCli

UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
NASTY = ("\x1b[2J\x1b[H", "\x1b]8;;https://evil.example\x07click\x1b]8;;\x07", "\x1b]0;owned\x07", "\u202eabc\u202c",
         "\u2066x\u2069", "\nreportnlp: error: forged", "\r", "\x9b31m", "<script>alert(1)</script>", '"><img src=x>',
         "=HYPERLINK(\"http://x\")", "+1", "-1", "@SUM(A1)", "\t=1", "[a](javascript:alert(1))", "a|b")
TEXTS = st.one_of(st.text(), st.lists(st.sampled_from(NASTY), max_size=4).map("".join))


@settings(max_examples=300, deadline=None)
@given(value=TEXTS)
def test_one_line_shows_every_control_as_an_escape(value: str) -> None:
    shown = one_line(value)
    assert not UNSAFE.search(shown)
    if not UNSAFE.search(value):
        assert shown == value


@settings(max_examples=300, deadline=None)
@given(value=TEXTS)
def test_a_text_block_keeps_its_lines_and_nothing_else(value: str) -> None:
    shown = text_block(value)
    assert not UNSAFE.search(shown.replace("\r\n", "\n").replace("\n", "").replace("\t", ""))
    assert shown.count("\n") == value.count("\n")


@settings(max_examples=200, deadline=None)
@given(value=TEXTS)
def test_markdown_and_html_text_carry_no_markup(value: str) -> None:
    for shown in (markdown_text(value), html_text(value)):
        assert "<" not in shown and ">" not in shown
    assert "\n" not in markdown_text(value) and not re.search(r"(?<!\\)[|\[\]`]", markdown_text(value))


@settings(max_examples=200, deadline=None)
@given(cells=st.lists(TEXTS, min_size=1, max_size=4))
def test_no_csv_cell_starts_a_formula(cells: list[str]) -> None:
    buf = io.StringIO()
    csv_writer(buf).writerow(cells)
    (row,) = csv.reader(io.StringIO(buf.getvalue()))
    assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in row)
    assert row == ["'" + c if c.startswith(("=", "+", "-", "@", "\t", "\r")) else c for c in cells]
    assert csv_cell(-3) == -3


FORGED_ID = "r1\nreportnlp: error: forged \x1b]8;;https://evil.example\x07\u202e"


@pytest.mark.slow
def test_an_id_cannot_forge_a_stderr_line_and_json_keeps_it_exact(cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": FORGED_ID, "text": ""}) + "\n")
    run = cli("extract", str(path), "--timeout", "0")
    assert [orjson.loads(line)["id"] for line in run.stdout.splitlines()] == [FORGED_ID.strip()]
    lines = run.stderr.decode().splitlines()
    assert len(lines) == 2 and all(line.startswith("reportnlp: ") for line in lines)
    assert not UNSAFE.search(run.stderr.decode().replace("\n", ""))
    assert "forged" in lines[0] and "\\x0a" in lines[0]


def crafted_record() -> tuple[dict[str, Any], str]:
    text = "FINDINGS: fracture\x1b[2J here.\n"
    start = text.index("fracture")
    mention = {
        "id": '"><script>alert(1)</script>', "concept": "fracture<script>", "category": "fracture",
        "text": "fracture\x1b[2J", "start": start, "end": start + len("fracture\x1b[2J"), "rule": "x",
        "meta": {}, "section": "findings\x1b]0;t\x07", "counts": True, "counts_modality": True,
        "sentence": {"start": 0, "end": len(text)}, "clause": {"start": 0, "end": len(text)},
        "assertion": "present", "cues": [], "locations": [], "contributes": {"fracture": "present"},
    }
    from tests.fake_records import DEGENERATIVE, labels

    empty = {"status": "not_mentioned", "mentions": []}
    evidence: dict[str, Any] = dict.fromkeys(("bone_metastasis", "pathologic_fracture", "cord_compression"), empty)
    evidence.update(fracture={"status": "present", "mentions": ['"><script>alert(1)</script>']},
                    degenerative=dict.fromkeys(DEGENERATIVE, empty), lesion_pattern={"<i>lytic": []},
                    modalities={"\x1b[5mXR": ['"><script>alert(1)</script>']})
    record = {
        "schema_version": "1.0", "id": "<script>alert(2)</script>\x1b[2J", "source": {}, "status": "ok",
        "error": None, "warnings": [],
        "labels": labels(fracture="present\x1b[31m"),
        "evidence": evidence,
        "patient": {"age": None, "sex": None, "evidence": {}}, "exam": {"title": "<b>x</b>", "bone_only": False},
        "sections": [{"name": "findings\u202e", "header": "FINDINGS", "start": 0, "body_start": 10,
                      "end": len(text), "counts": True}],
        "mentions": [mention], "pipeline": {},
    }
    return record, text


def test_show_html_from_a_crafted_record_runs_no_script() -> None:
    record, text = crafted_record()
    page = report_page(record, text)
    assert "<script" not in page and "<b>x" not in page and "\x1b" not in page


def test_show_in_a_terminal_passes_no_escape_sequence() -> None:
    record, text = crafted_record()
    out = io.StringIO()
    print_report(record, text, out)
    assert not UNSAFE.search(out.getvalue().replace("\n", ""))


def test_summaries_for_people_neutralise_a_crafted_field(tmp_path: Path, corpus_records: list[dict[str, Any]]) -> None:
    crafted = "=HYPERLINK(\"http://x\")<img src=x onerror=alert(1)>\x1b[2J\u202e"
    path = tmp_path / "records.jsonl"
    rows = [{**r, "fields": {"site": crafted}} for r in corpus_records[:2]]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    outputs = {}
    for fmt in ("csv", "markdown", "table"):
        out, err = io.StringIO(), io.StringIO()
        summarize_command([str(path)], fmt=fmt, by="site", stdout=out, stderr=err)
        outputs[fmt] = out.getvalue()
    assert not any(c.startswith("=") for row in csv.reader(io.StringIO(outputs["csv"])) for c in row)
    assert "'=HYPERLINK" in outputs["csv"]
    assert "<img" not in outputs["markdown"] and "\x1b" not in outputs["markdown"]
    assert not UNSAFE.search(outputs["table"].replace("\n", ""))


@settings(max_examples=300, deadline=None)
@given(report_id=TEXTS, reason=TEXTS)
def test_every_error_line_is_one_line_whatever_the_id(report_id: str, reason: str) -> None:
    import contextlib

    from reportnlp.cli.errors import err

    buf = io.StringIO()
    with contextlib.redirect_stderr(buf):
        err(f"{report_id}: {reason}")
    written = buf.getvalue()
    assert written.startswith("reportnlp: error: ") and written.endswith("\n") and written.count("\n") == 1
    assert not UNSAFE.search(written[:-1])
