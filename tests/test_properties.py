"""Property tests: arbitrary text never crashes the extractor and offsets always hold."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportnlp.run.extractor import Extractor

WORDS = [
    "FINDINGS:", "IMPRESSION:", "No", "lytic", "lesion", "L4-5", "T10 through L2", "fracture", "cord",
    "compression", "disc", "bulge", "\n", "\r\n", ".", ",", ";", "but", "metastases", "osseous", "1.", "-",
    "XXXX", "**NAME[AAA]", "cannot be excluded", "history of", "stenosis", "\t", "  ",
]
report_like = st.lists(st.sampled_from(WORDS), max_size=60).map(" ".join)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def check_record(record: dict, text: str) -> None:  # type: ignore[type-arg]
    if not text.strip():  # the only input that may fail: an empty report
        assert record["status"] == "error" and record["error"]["type"] == "empty_report"
        return
    assert record["status"] == "ok", record["error"]
    for m in record["mentions"]:
        assert 0 <= m["start"] < m["end"] <= len(text)
        assert text[m["start"] : m["end"]] == m["text"]
        for cue in m["cues"]:
            assert text[cue["start"] : cue["end"]] == cue["text"]
        for loc in m["locations"]:
            assert text[loc["start"] : loc["end"]] == loc["text"]
    for s in record["sections"]:
        assert 0 <= s["start"] <= s["body_start"] <= s["end"] <= len(text)


@SETTINGS
@given(text=st.text(max_size=400))
def test_arbitrary_unicode_gives_a_valid_record(extractor: Extractor, text: str) -> None:
    check_record(extractor.record_for_text("t", text), text)


@SETTINGS
@given(text=report_like)
def test_header_and_finding_soup_gives_a_valid_record(extractor: Extractor, text: str) -> None:
    check_record(extractor.record_for_text("t", text), text)


@SETTINGS
@given(word=st.sampled_from(WORDS), n=st.integers(min_value=1, max_value=400))
def test_huge_repetitions_give_a_valid_record(extractor: Extractor, word: str, n: int) -> None:
    text = (word + " ") * n
    check_record(extractor.record_for_text("t", text), text)
