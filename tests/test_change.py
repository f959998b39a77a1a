"""Change since a prior exam: mention.change (with its cue) and labels.change, from patterns/change.json."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from reportnlp.nlp.rules import RULE_FILES, RuleError, builtin_patterns_dir, load_rules
from reportnlp.run.extractor import Extractor


def _record(extractor: Extractor, text: str) -> dict[str, Any]:
    return extractor.record_for_text("t", "FINDINGS: " + text)


def _change_of(extractor: Extractor, text: str, mention_text: str) -> str | None:
    record = _record(extractor, text)
    (m,) = [m for m in record["mentions"] if m["text"].lower() == mention_text.lower()]
    return m["change"]["status"] if m["change"] else None


@pytest.mark.parametrize(
    ("text", "mention", "status"),
    [
        ("Interval enlargement of the lytic metastasis in L2.", "lytic metastasis", "progressed"),
        ("The osseous metastases have increased in size.", "osseous metastases", "progressed"),
        ("Progression of osseous metastatic disease in the spine.", "osseous metastatic disease", "progressed"),
        ("New lytic metastasis in the T9 vertebral body.", "lytic metastasis", "new"),
        ("The sclerotic metastasis in T8 is unchanged.", "sclerotic metastasis", "stable"),
        ("No significant change in the blastic metastases of the pelvis.", "blastic metastases", "stable"),
        ("Static appearances of the sclerotic metastases.", "sclerotic metastases", "stable"),  # British (session 8)
        ("The sclerotic deposits remain static.", "sclerotic deposits", "stable"),
        ("Sclerotic metastases, no significant interval change.", "Sclerotic metastases", "stable"),
        ("The sclerotic metastases are more conspicuous.", "sclerotic metastases", "progressed"),
        ("The lytic metastasis in the iliac wing is smaller.", "lytic metastasis", "improved"),
        ("Healing pathologic fracture of the right femur.", "pathologic fracture", "improved"),
        ("The L1 fracture has resolved.", "fracture", "resolved"),
        ("9 mm sclerotic focus in T6, not seen on the prior.", "sclerotic focus", "new"),  # session 17
        ("A lytic lesion in L2, not evident previously.", "lytic lesion", "new"),
    ],
)
def test_cue_gives_the_mention_its_change(extractor: Extractor, text: str, mention: str, status: str) -> None:
    assert _change_of(extractor, text, mention) == status


def test_mention_change_names_its_cue(extractor: Extractor) -> None:
    record = _record(extractor, "The osseous metastases are stable.")
    (m,) = [m for m in record["mentions"] if m["concept"] != "modality"]
    cue = m["change"]["cue"]
    assert (cue["text"], cue["rule"], cue["category"]) == ("stable", "stable_stable", "STABLE")
    assert record["mentions"] and "FINDINGS: The osseous metastases are stable."[cue["start"] : cue["end"]] == "stable"


def test_a_bone_scans_static_images_are_no_change(extractor: Extractor) -> None:
    assert _change_of(extractor, "Static images show uptake in T4 consistent with metastasis.", "metastasis") is None


def test_a_sentence_without_change_words_gives_null(extractor: Extractor) -> None:
    assert _change_of(extractor, "Lytic metastasis in L3.", "lytic metastasis") is None


def test_increased_uptake_is_not_progression(extractor: Extractor) -> None:
    record = _record(extractor, "Increased radiotracer uptake in the rib metastasis.")
    assert record["labels"]["change"]["bone_metastasis"] is None


@pytest.mark.parametrize(
    ("text", "mention"),
    [
        ("The fracture was reduced under fluoroscopy.", "fracture"),  # an orthopaedic reduction
        ("Stable fixation of the femoral fracture was achieved.", "fracture"),  # an operative note
        ("Neural foraminal stenosis at L5-S1, slightly worse on the right.", "Neural foraminal stenosis"),
        ("The two smaller foci may represent metastasis.", "metastasis"),  # a size, not a change
    ],
)
def test_words_that_only_look_like_change_give_none(extractor: Extractor, text: str, mention: str) -> None:
    assert _change_of(extractor, text, mention) is None


def test_a_denied_mention_takes_no_change_but_resolved(extractor: Extractor) -> None:
    assert _change_of(extractor, "No new osseous metastases.", "osseous metastases") is None


def test_the_nearest_cue_decides(extractor: Extractor) -> None:
    text = "Stable sclerotic metastasis in T8 and new lytic metastasis in L2."
    assert _change_of(extractor, text, "sclerotic metastasis") == "stable"
    assert _change_of(extractor, text, "lytic metastasis") == "new"


def test_a_terminating_word_ends_the_cue(extractor: Extractor) -> None:
    assert _change_of(extractor, "The rib lesions are unchanged, but a lytic metastasis in L4.", "lytic metastasis") is None


def test_report_change_takes_the_first_in_precedence(extractor: Extractor) -> None:
    record = _record(extractor, "The sclerotic metastasis in T8 is unchanged. The lytic metastasis in L2 has enlarged.")
    assert record["labels"]["change"]["bone_metastasis"] == "progressed"


def test_report_change_of_a_label_without_changes_is_null(extractor: Extractor) -> None:
    record = _record(extractor, "The lytic metastasis in L2 has enlarged.")
    assert record["labels"]["change"]["cord_compression"] is None


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    for name in RULE_FILES:
        shutil.copy(builtin_patterns_dir() / name, tmp_path / name)
    return tmp_path


def _edit(folder: Path, change) -> None:  # type: ignore[no-untyped-def]
    data = json.loads((folder / "change.json").read_text())
    change(data)
    (folder / "change.json").write_text(json.dumps(data))


def test_an_undeclared_category_names_file_and_rule(rules_copy: Path) -> None:
    _edit(rules_copy, lambda d: d["context_rules"][0].update(category="WORSE"))
    with pytest.raises(RuleError, match=r"^change\.json: rule new_new: category 'WORSE' is not declared"):
        load_rules(rules_copy)


def test_a_status_outside_the_five_is_refused(rules_copy: Path) -> None:
    _edit(rules_copy, lambda d: d["categories"].update(NEW="fresh"))
    with pytest.raises(RuleError, match=r"^change\.json: rule category NEW: status must be one of"):
        load_rules(rules_copy)


def test_a_pattern_token_with_unsupported_keys_is_refused(rules_copy: Path) -> None:
    _edit(rules_copy, lambda d: d["context_rules"].append(
        {"id": "x", "category": "NEW", "direction": "FORWARD", "pattern": [{"LEMMA": "grow"}]}))
    with pytest.raises(RuleError, match=r"^change\.json: rule x: pattern tokens take only LOWER and OP"):
        load_rules(rules_copy)


def test_evidence_names_the_mentions_that_decided_the_report_change(extractor: Extractor) -> None:
    record = _record(extractor, "The sclerotic metastasis in T8 is unchanged. The lytic metastasis in L2 has enlarged.")
    (mid,) = record["evidence"]["change"]["bone_metastasis"]
    assert record["mentions"][mid]["text"] == "lytic metastasis"
    assert record["evidence"]["change"]["fracture"] == []


def test_show_lists_the_change_of_each_label(extractor: Extractor) -> None:
    from reportnlp.show.view import label_rows

    record = _record(extractor, "The lytic metastasis in L2 has enlarged.")
    (row,) = [r for r in label_rows(record) if r[0] == "change: bone_metastasis"]
    assert row[1] == "progressed" and [m["text"] for m in row[2]] == ["lytic metastasis"]


def test_change_cue_offsets_index_the_text(corpus_records: list[dict[str, Any]], corpus_texts: dict[str, str]) -> None:
    cues = [(r["id"], m["change"]["cue"]) for r in corpus_records for m in r["mentions"] if m.get("change")]
    assert cues  # the samples include follow-up reports
    for rid, cue in cues:
        assert corpus_texts[rid][cue["start"] : cue["end"]] == cue["text"]


def test_a_change_rules_pattern_wins_over_the_literal_that_names_it() -> None:
    """As in medspaCy's ConTextRule: with a token pattern, the literal is only the rule's name."""
    from reportnlp.nlp.change_rules import compile_change

    rule = {"literal": "growing", "category": "PROGRESSED", "direction": "BACKWARD",
            "pattern": [{"LOWER": "enlarging"}], "metadata": {"id": "p"}}
    (compiled,), _ = compile_change({"categories": {"PROGRESSED": "progressed"}, "context_rules": [rule]})
    assert compiled.regex.search("an enlarging lesion") and not compiled.regex.search("a growing lesion")
    assert compiled.first_words == {"enlarging"}


def test_sentences_found_again_at_other_offsets_keep_their_changes() -> None:
    """A sentence seen before (in this report or an earlier one) is its remembered cues moved to where it stands now;
    one without cues, moved, is itself (session 23): the changes are those a fresh extractor finds."""
    text = "CT SPINE\nFINDINGS: Lytic lesion at L2. Interval increase in the lytic lesion at T9. Lytic lesion at L2."
    fresh = [m["change"] for m in Extractor().record_for_text("t", text)["mentions"]]
    warmed = Extractor()
    warmed.record_for_text("a", "Lytic lesion at L2. Old note. Interval increase in the lytic lesion at T9.")
    assert [m["change"] for m in warmed.record_for_text("t", text)["mentions"]] == fresh
    assert any(change is not None for change in fresh) and any(change is None for change in fresh)


def test_new_after_with_reaches_forward_only(extractor: Extractor) -> None:
    """Session 27: "mets with new gait change" does not make the metastases new; what follows "with new" is."""
    assert _change_of(extractor, "Known bone mets in L2 with new gait change.", "bone mets") is None
    text = "Stable sclerotic T8 metastasis with new pathologic compression fracture of T8."
    assert _change_of(extractor, text, "pathologic compression fracture") == "new"


def test_with_new_lesions_is_progression_of_the_disease_before_it(extractor: Extractor) -> None:
    """Session 27: the longer "with new lesions" keeps progressed_new_lesions' reading."""
    assert _change_of(extractor, "Osseous metastases with new lesions in L2 and L4.", "osseous metastases") == "progressed"
