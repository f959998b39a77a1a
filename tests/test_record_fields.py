"""What a record's fields say, read as a user piping records into jq or pandas: every mention has the
same keys with the same types, and nothing in a record documents the rule files instead of the report."""

from __future__ import annotations

import re
from pathlib import Path

import reportnlp
from reportnlp.nlp.rules import load_rules
from reportnlp.run.extractor import Extractor


def mentions(extractor: Extractor, text: str) -> list[dict[str, object]]:
    return extractor.record_for_text("t", text)["mentions"]  # type: ignore[no-any-return]


def test_a_rule_comment_stays_in_the_rule_file(extractor: Extractor) -> None:
    commented = {r["metadata"]["id"] for r in load_rules().targets["target_rules"] if "comment" in r["metadata"]}
    found = mentions(extractor, "EXAM: Chest, 2 views.\nFINDINGS: No acute disease.")
    views = next(m for m in found if m["text"] == "2 views")
    assert views["rule"] in commented  # the rule documents itself
    assert "comment" not in views["meta"] and views["meta"] == {"modality": "XR"}


def test_the_span_extension_meta_carries_no_rule_documentation_either() -> None:
    doc = reportnlp.load()("EXAM: Chest, 2 views.\nFINDINGS: No acute disease.")
    views = next(span for span in doc.spans["reportnlp_mentions"] if span.text == "2 views")
    assert views._.reportnlp_rule == "mod_xr_views"
    assert views._.reportnlp_meta == {"modality": "XR"}  # neither the rule's id nor its comment


def test_no_mention_of_a_record_carries_rule_documentation(extractor: Extractor) -> None:
    text = "EXAM: PA and lateral chest, 2 views.\nFINDINGS: Schmorl's node at L2. Old rib fracture. No metastases."
    assert all("comment" not in m["meta"] for m in mentions(extractor, text))


def test_a_modality_that_gives_nothing_has_empty_contributes_not_a_missing_key(extractor: Extractor) -> None:
    found = mentions(extractor, "COMPARISON: CT of 2019.\nFINDINGS: Normal chest radiograph.")
    compared = next(m for m in found if m["text"] == "CT")
    assert compared["contributes"] == {} and compared["note"]


def test_every_mention_has_the_same_keys_whatever_it_gives(extractor: Extractor) -> None:
    text = "COMPARISON: MRI 2019.\nFINDINGS: Rib fracture. No metastases. Vocal cord lesion."
    keys = [set(m) - {"note"} for m in mentions(extractor, text)]
    assert all(k == keys[0] for k in keys) and "contributes" in keys[0]


def test_a_word_judged_no_spine_finding_carries_no_spine_prevalence(extractor: Extractor) -> None:
    text = "HISTORY: 50-year-old woman.\nFINDINGS: The herniated orbital fat was removed."
    herniated = next(m for m in mentions(extractor, text) if m["text"] == "herniated")
    assert herniated["contributes"] == {} and herniated["prevalence"] is None


def test_a_spine_finding_keeps_its_prevalence(extractor: Extractor) -> None:
    text = "HISTORY: 50-year-old woman.\nFINDINGS: Disc herniation at L4-5."
    herniation = next(m for m in mentions(extractor, text) if m["text"] == "Disc herniation")
    assert herniation["prevalence"] is not None and herniation["prevalence"]["age"] == 50


def test_prevalence_sources_cite_the_labels_section_on_prevalence() -> None:
    root = Path(__file__).resolve().parents[1]
    headers = re.findall(r"^## (\d+)\. (.+)$", (root / "docs" / "labels.md").read_text(), re.MULTILINE)
    section = next(n for n, title in headers if "without symptoms" in title)
    cited = re.findall(r"labels\.md section (\d+)", (root / "patterns" / "prevalence.json").read_text())
    assert cited and set(cited) == {section}


def test_two_records_share_no_mutable_part(extractor: Extractor) -> None:
    """A caller that edits one record (its pipeline block, a mention's meta) must not edit another report's."""
    text = "CT CHEST\nFindings: Lytic lesion of the left 6th rib. No fracture.\nImpression: Lytic rib metastasis."
    first, second = extractor.record_for_text("a", text), extractor.record_for_text("b", text)

    def parts(value: object) -> set[int]:
        if isinstance(value, dict):
            return {id(value)}.union(*(parts(v) for v in value.values()))
        if isinstance(value, list):
            return {id(value)}.union(*(parts(v) for v in value))
        return set()

    assert parts(first).isdisjoint(parts(second))
    first["pipeline"]["run"] = "edited"
    assert "run" not in second["pipeline"]
