"""The cohort page's per-patient view rendered by headless Chromium (skipped without chromium)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from reportnlp.cli.summarize import summarize_command
from tests.test_html_browser import BROWSER, chromium
from tests.test_patients import _rec

pytestmark = [pytest.mark.slow, pytest.mark.skipif(BROWSER is None, reason="no chromium on PATH")]


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("patients-page")
    records = [
        _rec("a", "P1", "2020-01-01"), _rec("b", "P1", "2020-04-10", bone_metastasis="present"),
        _rec("c", "P1", "2020-09-01", bone_metastasis="present", pathologic_fracture="present"),
        _rec("d", "P2", "2021-02-01"), _rec("e", "P2", "2021-08-01", bone_metastasis="possible"),
    ]
    (folder / "records.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    target = folder / "summary.html"
    assert summarize_command([str(folder / "records.jsonl")], html=str(target), stdout=io.StringIO(),
                             stderr=io.StringIO()) == 0
    return target


def test_patient_view_chart_and_table_are_in_the_rendered_dom(page: Path, tmp_path: Path) -> None:
    run = chromium(tmp_path, "--dump-dom", page.as_uri())
    dom = run.stdout
    assert '<svg id="chart-time-to-event"' in dom, run.stderr[-2000:]
    assert 'class="curve curve-bone_metastasis"' in dom and 'class="curve curve-sre"' in dom
    assert dom.count("<tr><td>P") == 2  # one row per patient
    assert "<td>pathologic_fracture</td>" in dom


def test_patient_view_screenshot_is_produced(page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "patients.png"
    run = chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,1200", page.as_uri())
    assert shot.is_file() and shot.stat().st_size > 10_000, run.stderr[-2000:]
