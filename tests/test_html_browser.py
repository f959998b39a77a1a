"""The summary and report pages in a real headless browser (Debian's chromium, installed by .ci/run).

Skipped where no chromium is installed. The browser runs with no network services, a throwaway
profile, and the page from a file:// URL: what renders here renders offline.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path
from typing import Any

import pytest

from reportnlp.nlp.rules import load_rules
from reportnlp.show.html import report_page
from reportnlp.summary.cohort import summarize
from reportnlp.summary.html import summary_page

BROWSER = next((shutil.which(name) for name in ("chromium", "chromium-browser") if shutil.which(name)), None)
pytestmark = [pytest.mark.slow, pytest.mark.skipif(BROWSER is None, reason="no chromium on PATH")]
WIDTH, HEIGHT = 1200, 2000


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert BROWSER is not None
    command = [
        BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}", *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)


def png_info(path: Path) -> tuple[int, int, int]:
    """(width, height, distinct byte values in the decompressed pixel data)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    pos, idat = 8, b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        if kind == b"IDAT":
            idat += data[pos + 8 : pos + 8 + length]
        pos += 12 + length
    return width, height, len(set(zlib.decompress(idat)))


@pytest.fixture(scope="module")
def summary_file(corpus_records: list[dict[str, Any]], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("page") / "summary.html"
    path.write_text(summary_page(summarize(corpus_records, load_rules().prevalence)), encoding="utf-8")
    return path


def test_summary_page_screenshot_is_produced_and_not_blank(summary_file: Path, tmp_path: Path) -> None:
    shot = tmp_path / "summary.png"
    run = chromium(tmp_path, f"--screenshot={shot}", f"--window-size={WIDTH},{HEIGHT}", summary_file.as_uri())
    assert shot.is_file(), run.stderr[-2000:]
    width, height, distinct = png_info(shot)
    assert (width, height) == (WIDTH, HEIGHT)
    assert shot.stat().st_size > 30_000
    assert distinct > 100  # text, bars and colors, not an empty page


def test_summary_page_charts_are_in_the_rendered_dom(summary_file: Path, tmp_path: Path) -> None:
    run = chromium(tmp_path, "--dump-dom", summary_file.as_uri())
    dom = run.stdout
    for chart in ("chart-label-status", "chart-spine", "chart-prevalence"):
        assert f'<svg id="{chart}"' in dom, run.stderr[-2000:]
    assert dom.count('class="bar status-present"') == 13  # one present segment per label
    assert 'class="bar metastasis"' in dom and 'class="bar degenerative"' in dom
    assert 'class="bar cohort"' in dom and 'class="bar expected"' in dom


def test_report_page_renders_marks_in_the_browser(
    corpus_records: list[dict[str, Any]], corpus_texts: dict[str, str], tmp_path: Path
) -> None:
    record = next(r for r in corpus_records if r["id"] == "spine_mets_01.txt")
    page = tmp_path / "report.html"
    page.write_text(report_page(record, corpus_texts[record["id"]]), encoding="utf-8")
    dom = chromium(tmp_path, "--dump-dom", page.as_uri()).stdout
    assert dom.count('<mark class="m a-present"') >= 5
    assert "cord_compression · hypothetical" in dom


def test_summary_page_by_group_shows_groups_side_by_side_in_the_browser(
    corpus_records: list[dict[str, Any]], tmp_path: Path
) -> None:
    page = tmp_path / "by.html"
    page.write_text(summary_page(summarize(corpus_records, load_rules().prevalence, by="modality")), encoding="utf-8")
    dom = chromium(tmp_path, "--dump-dom", page.as_uri()).stdout
    assert '<svg id="chart-groups"' in dom and dom.count('class="bar group"') >= 13 * 2
    assert "scale: 0-" in dom  # the label chart says how far it is zoomed
