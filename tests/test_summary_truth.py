"""The summary tells the truth at real prevalence: repeated texts are counted and can be left out, the
label chart zooms and writes every count, the spine scale is a share of the cohort, empty halves and
missing ages say so, and --by groups are compared side by side."""

from __future__ import annotations

import re
from typing import Any

from reportnlp.nlp.rules import load_rules
from reportnlp.records.stream import Line
from reportnlp.summary.charts import label_status_chart, nice_top, prevalence_chart, spine_chart
from reportnlp.summary.cohort import CohortSummary, summarize
from reportnlp.summary.html import summary_page
from tests.fake_records import labels

PREVALENCE = load_rules().prevalence


def record(rid: str, lab: dict[str, Any]) -> dict[str, Any]:
    return {"id": rid, "status": "ok", "labels": lab, "mentions": [], "patient": {"age": None}}


def _with_text(rid: str, text_hash: str, **lab: Any) -> dict[str, Any]:
    return {**record(rid, labels(**lab)), "text_sha256": text_hash * 64}


def test_repeated_texts_are_counted_but_kept_by_default() -> None:
    out = summarize([_with_text("a", "1"), _with_text("b", "1"), _with_text("c", "2")], PREVALENCE)
    reports = out["overall"]["reports"]
    assert (reports["ok"], reports["distinct_texts"], reports["repeated_texts"]) == (3, 2, 1)


def test_dedupe_counts_each_text_once() -> None:
    summary = CohortSummary(PREVALENCE, dedupe=True)
    for i, r in enumerate([_with_text("a", "1", fracture="present"), _with_text("b", "1", fracture="present")], 1):
        summary.add(Line("x", i, r))
    out = summary.to_dict()
    assert out["dedupe"] == {"on": True, "skipped_repeats": 1}
    assert out["overall"]["labels"]["fracture"]["present"] == 1


def test_records_without_a_text_hash_are_counted_as_before() -> None:
    out = summarize([record("a", labels()), record("b", labels())], PREVALENCE)
    assert out["overall"]["reports"]["ok"] == 2 and out["overall"]["reports"]["with_text_hash"] == 0


def test_the_page_warns_when_repeated_texts_are_counted() -> None:
    page = summary_page(summarize([_with_text("a", "1"), _with_text("b", "1")], PREVALENCE))
    assert "1 of 2 reports repeat the text of an earlier report" in page


def test_the_label_chart_zooms_to_the_most_mentioned_label_and_writes_every_count() -> None:
    counts = {"fracture": {"present": 3, "possible": 1, "absent": 6, "not_mentioned": 990}}
    chart = label_status_chart(counts, 1000)
    assert "scale: 0-5% of 1000 reports" in chart
    assert "present 3 · possible 1 · absent 6 · not mentioned 990" in chart
    width = float(re.search(r'class="bar status-absent"', chart) and
                  re.search(r'width="([0-9.]+)"[^>]*class="bar status-absent"', chart).group(1))
    assert width > 40  # 0.6% of the cohort on a 5% scale, not a sliver of a 100% bar


def test_one_report_of_a_thousand_draws_a_sliver_on_the_spine() -> None:
    chart = spine_chart({"T5": 1}, {"L4-L5": 400}, 1, 1000)
    heights = [float(h) for h in re.findall(r'height="([0-9.]+)" fill="[^"]+" class="bar metastasis"', chart)]
    assert heights and max(heights) < 5
    assert "scale 0-5% of 1000" in chart and "scale 0-50% of 1000" in chart


def test_an_empty_half_of_the_spine_says_so() -> None:
    chart = spine_chart({}, {"L4-L5": 2}, 0, 10)
    assert "no report places bone metastasis at a spine level" in chart


def test_the_prevalence_chart_says_when_no_report_states_an_age() -> None:
    out = summarize([record("a", labels(disc_bulge="present"))], PREVALENCE)
    assert "No report states the patient" in prevalence_chart(out["overall"]["prevalence"])


def test_the_prevalence_figure_says_which_exams_the_cohort_holds() -> None:
    page = summary_page(summarize([record("a", labels(modalities=["XR"], disc_bulge="present"))], PREVALENCE))
    assert "The reference figures come from MRI and CT" in page and "XR 1" in page


def test_groups_are_compared_side_by_side_on_one_chart() -> None:
    records = [{**record("a", labels(fracture="present")), "fields": {"site": "north"}},
               {**record("b", labels()), "fields": {"site": "south"}}]
    page = summary_page(summarize(records, PREVALENCE, by="site"))
    assert '<svg id="chart-groups"' in page
    assert "fracture, north: 1 of 1 (100.0%)" in page and "fracture, south: 0 of 1 (0.0%)" in page


def test_nice_scale_tops() -> None:
    assert [nice_top(v) for v in (0.1, 5.0, 7.0, 33.0, 100.0)] == [5, 5, 10, 50, 100]
