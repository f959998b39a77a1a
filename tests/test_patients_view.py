"""The cohort page's per-patient view: time to first bone metastasis / SRE, from patient rows."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from reportnlp.cli.summarize import summarize_command
from reportnlp.summary.patients_html import patients_section
from reportnlp.tables.outcomes import patient_outcomes
from tests.test_patients import _rec


def _row(pid: str, first: str, last: str, bm: str | None = None, sre: str | None = None) -> dict[str, Any]:
    return {"patient_id": pid, "reports": 2, "first_date": first, "last_date": last,
            "first_bone_metastasis_present": bm, "first_sre_date": sre, "first_sre": ["cord_compression"] if sre else [],
            "latest_change": None}


def test_cumulative_incidence_counts_censored_patients_at_risk() -> None:
    rows = [_row("a", "2020-01-01", "2020-12-31", bm="2020-01-11"), _row("b", "2020-01-01", "2020-01-06"),
            _row("c", "2020-01-01", "2020-03-01", bm="2020-01-21")]
    bm = patient_outcomes(rows)["bone_metastasis"]
    # b leaves at day 5 (censored), so day 10 is 1 event of 2 at risk (50%), day 20 the 1 left (100%)
    assert bm["cumulative_percent"] == [[0, 0.0], [10, 50.0], [20, 100.0]]
    assert (bm["patients_with_event"], bm["censored"], bm["median_days"]) == (2, 1, 10)  # survival reaches 0.5 at day 10


def test_an_event_at_the_first_report_is_day_zero() -> None:
    bm = patient_outcomes([_row("a", "2020-01-01", "2020-02-01", bm="2020-01-01")])["bone_metastasis"]
    assert (bm["at_first_report"], bm["cumulative_percent"][-1]) == (1, [0, 100.0])


def test_median_not_reached_when_under_half_have_the_event() -> None:
    rows = [_row("a", "2020-01-01", "2020-06-01", sre="2020-02-01"), _row("b", "2020-01-01", "2020-06-01"),
            _row("c", "2020-01-01", "2020-06-01")]
    assert patient_outcomes(rows)["sre"]["median_days"] is None


def test_listed_patients_carry_days_to_each_event() -> None:
    (p,) = patient_outcomes([_row("a", "2020-01-01", "2020-06-01", bm="2020-01-31", sre="2020-03-01")])["listed"]
    assert (p["days_to_bone_metastasis"], p["days_to_sre"]) == (30, 60)


def test_section_has_the_chart_and_a_row_per_listed_patient() -> None:
    html = patients_section(patient_outcomes([_row("P<1>", "2020-01-01", "2020-06-01", bm="2020-01-31")]))
    assert '<svg id="chart-time-to-event"' in html and 'class="curve curve-bone_metastasis"' in html
    assert "<td>P&lt;1&gt;</td>" in html  # patient ids are escaped


def _summarize_html(tmp_path: Path, records: list[dict[str, Any]]) -> str:
    path = tmp_path / "records.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    page = tmp_path / "page.html"
    code = summarize_command([str(path)], html=str(page), stdout=io.StringIO(), stderr=io.StringIO())
    assert code == 0
    return page.read_text(encoding="utf-8")


def test_summarize_page_has_the_patient_view_when_records_have_patient_and_date(tmp_path: Path) -> None:
    page = _summarize_html(tmp_path, [_rec("a", "P1", "2020-01-01"), _rec("b", "P1", "2020-05-01", bone_metastasis="present")])
    assert '<section id="patients">' in page and "<td>P1</td>" in page


def test_summarize_page_has_no_patient_view_without_patient_ids(tmp_path: Path) -> None:
    page = _summarize_html(tmp_path, [_rec("a", None, "2020-01-01")])
    assert '<section id="patients">' not in page
