"""The working text: what the components read of an exported report, of the input's own length.

Record systems export entities ("&ndash;"), RTF control words, curly quotes, full-width colons, no-break
and zero-width spaces, lone carriage returns and double-spaced lines. The components read each as the plain
character or line break it stands for; offsets, doc.text and the record's quotes stay the input's.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language

import reportnlp
from reportnlp.nlp.components.tokenizer import working_text
from reportnlp.run.extractor import Extractor


@pytest.fixture(scope="module")
def nlp() -> Language:
    return reportnlp.load()


def _levels(record: dict, concept: str) -> list[list[str]]:
    return [
        loc["levels"]
        for m in record["mentions"]
        if m["concept"] == concept
        for loc in m["locations"] or []
        if loc.get("levels")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("L4&ndash;5 bulge", "L4   -   5 bulge"),
        ("L4&#8211;L5", "L4   -   L5"),
        ("patient&#39;s back", "patient    's back"),
        ("patient&rsquo;s back", "patient      's back"),
        ("no fracture&mdash;the", "no fracture   -   the"),
        ("2 &times; 3 cm", "2    x    3 cm"),
        ("lesion&nbsp;in", "lesion      in"),
        ("FINDINGS\uff1a normal", "FINDINGS: normal"),
        ("C5\u20116 and L5\u2212S1", "C5-6 and L5-S1"),
        ("\u201cmild\u201d", '"mild"'),
        ("fracture.\u200b Mild", "fracture.  Mild"),
        ("XR hip &amp; pelvis", "XR hip   &   pelvis"),
        ("\u25aa no fracture\n\u25e6 disc bulge", "\u2022 no fracture\n\u2022 disc bulge"),
        ("<tr><td>Fracture</td><td>None</td></tr>", "   \n    Fracture:        None         \n"),
        ("a\rb\r\nc", "a\nb\r\nc"),
        ("{\\rtf1\\ansi {\\fonttbl{\\f0 Arial;}}\\f0\\fs20 No fracture.\\par}", " " * 43 + "No fracture.   \n "),
        ("No fracture</li><li>Lytic lesion", "No fracture    \n   \nLytic lesion"),
        ("<p>Findings:</p><p>No", "  \nFindings:   \n  \nNo"),
        ("Bulge.<br>\nNo fracture", "Bulge.    \nNo fracture"),
        ("\\b HISTORY:\\b0\\tab Cough\\par X", "\\b HISTORY:\\b0\t    Cough   \n X"),
        ("{\\rtf1 L4\\'965}", "       L4 -  5 "),
    ],
)
def test_an_export_s_characters_are_read_as_the_plain_ones_they_stand_for(text: str, expected: str) -> None:
    assert working_text(text) == expected


@pytest.mark.parametrize(
    "text",
    ["A&P: D&C done.", "Pain 3<4, x<y.", "C:\\Reports\\today", "R&D; &notanentity; done", "FINDINGS: normal.\n"],
)
def test_text_with_nothing_to_read_is_left_alone(text: str) -> None:
    assert working_text(text) is text


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["&ndash;", "&#39;", "&rsquo;", "\u2013", "\uff1a", "\u00a0", "\u200b", "\r", "\r\n",
                                 "\n\n", "No", "fracture", ".", " ", "{\\rtf1 ", "\\par ", "\\'96", "L4-5", "<br>"]),
                max_size=20).map("".join))
def test_the_working_text_keeps_every_offset(text: str) -> None:
    assert len(working_text(text)) == len(text)


def test_a_double_spaced_text_reads_its_blank_lines_as_line_breaks() -> None:
    text = "FINDINGS: There is no\n\ncompression fracture. Mild\n\ndisc space narrowing.\n\n\n\nIMPRESSION: Normal.\n"
    assert working_text(text) == (
        "FINDINGS: There is no \ncompression fracture. Mild \ndisc space narrowing.  \n\nIMPRESSION: Normal.\n"
    )


@pytest.mark.parametrize(
    "text",
    [
        "FINDINGS: No fracture.\n\nIMPRESSION: Normal study.\n\nSigned.\n",  # one-line paragraphs: real breaks
        "FINDINGS: There is no\n\ncompression fracture.\nMild disc space\nnarrowing.\n",  # one break: not double-spaced
    ],
)
def test_blank_lines_of_a_text_that_is_not_double_spaced_stay(text: str) -> None:
    assert working_text(text) is text


def test_a_denial_wrapped_over_a_double_spaced_blank_line_still_denies(extractor: Extractor) -> None:
    text = (
        "XR LUMBAR SPINE\n\nFINDINGS: There is no\n\ncompression fracture. No suspicious lytic or\n\n"
        "blastic lesion.\n\nIMPRESSION: Normal.\n"
    )
    labels = extractor.record_for_text("r", text)["labels"]
    assert (labels["fracture"], labels["bone_metastasis"], labels["lesion_pattern"]) == ("absent", "absent", [])


def test_a_header_with_a_full_width_colon_starts_its_section(extractor: Extractor) -> None:
    text = "SPINE CLINIC NOTE\nHPI\uff1a history of L2 compression fracture.\nAssessment\uff1a L4-5 disc herniation.\n"
    record = extractor.record_for_text("r", text)
    assert [s["name"] for s in record["sections"]][-2:] == ["history", "impression"]
    assert record["labels"]["fracture"] == "not_mentioned"


@pytest.mark.parametrize("dash", ["&ndash;", "&#8211;", "\u2011", "\u2212", "\\'96"])
def test_a_level_written_with_an_export_s_dash_is_the_disc_level(extractor: Extractor, dash: str) -> None:
    prefix = "{\\rtf1 " if dash.startswith("\\") else ""
    record = extractor.record_for_text("r", f"{prefix}MRI LUMBAR SPINE\nFINDINGS: L4{dash}5 disc protrusion.\n")
    assert _levels(record, "disc_herniation") == [["L4-L5"]]


def test_a_denial_glued_to_an_entity_dash_still_denies(extractor: Extractor) -> None:
    text = "CT LUMBAR SPINE<br>FINDINGS: L1 fracture with retropulsion&mdash;no significant canal compromise.<br>"
    assert extractor.record_for_text("r", text)["labels"]["degenerative"]["spinal_stenosis"] == "absent"


def test_a_zero_width_space_after_a_stop_ends_the_sentence(extractor: Extractor) -> None:
    text = "CT C-SPINE\nIMPRESSION: No fracture.\u200bDegenerative disc disease at C5-6.\n"
    assert extractor.record_for_text("r", text)["labels"]["degenerative"]["disc_degeneration"] == "present"


def test_the_record_quotes_the_report_as_given(extractor: Extractor) -> None:
    text = "MRI LUMBAR SPINE<br>FINDINGS: L4&ndash;5 disc protrusion.\u00a0No\u200b fracture.<br>"
    record = extractor.record_for_text("r", text)
    for m in record["mentions"]:
        assert m["text"] == text[m["start"] : m["end"]]
        for loc in m["locations"] or []:
            assert loc["text"] == text[loc["start"] : loc["end"]]
        for cue in m["cues"] or []:
            assert cue["text"] == text[cue["start"] : cue["end"]]
    assert "L4&ndash;5" in [loc["text"] for m in record["mentions"] for loc in m["locations"] or []]


def test_the_doc_of_an_export_keeps_its_text_exactly(nlp: Language) -> None:
    text = "MRI L-SPINE\r\r&ldquo;FINDINGS\uff1a&rdquo; L4&ndash;5 protrusion.\u200b No\u00a0fracture.\r"
    doc = nlp(text)
    assert doc.text == text
    assert [text[e.start_char : e.end_char] for e in doc.ents] == [e.text for e in doc.ents]


def test_list_items_of_an_html_export_are_sentences_of_their_own(extractor: Extractor) -> None:
    text = "<p>CT CHEST</p><p>Impression:</p><ul><li>No acute fracture</li><li>Lytic lesion in T9</li></ul>"
    labels = extractor.record_for_text("r", text)["labels"]
    assert (labels["fracture"], labels["bone_metastasis"], labels["lesion_pattern"]) == ("absent", "possible", ["lytic"])


def test_a_mixed_case_header_after_a_paragraph_tag_opens_its_section(extractor: Extractor) -> None:
    text = "<p>CT CHEST</p><p>History: prior T4 compression fracture.</p><p>Findings: No fracture.</p>"
    record = extractor.record_for_text("r", text)
    assert [s["name"] for s in record["sections"]] == ["exam", "indication", "findings"]
    assert record["labels"]["fracture"] == "absent"


def test_a_study_joined_by_an_entity_ampersand_opens_its_results(extractor: Extractor) -> None:
    text = "ED NOTE CC: fall. EXAM: R leg shortened. XR R hip &amp; pelvis: displaced femoral neck fx. A&amp;P: ortho."
    record = extractor.record_for_text("r", text)
    assert [s["name"] for s in record["sections"]][-2:] == ["findings", "impression"]
    assert record["labels"]["fracture"] == "present"


def test_a_square_bullet_opens_an_item_a_denial_above_it_does_not_reach(extractor: Extractor) -> None:
    text = "MRI LUMBAR SPINE\nIMPRESSION:\n\u25aa No fracture or listhesis\n\u25aa disc bulges at L4-5 and L5-S1\n"
    labels = extractor.record_for_text("r", text)["labels"]
    assert (labels["fracture"], labels["degenerative"]["disc_bulge"]) == ("absent", "present")
