"""Corpus robustness tests and unit tests of reportnlp.evaluation.corpora.

Tests marked ``corpora`` need ../shared/corpora (or $REPORTNLP_CORPORA) and skip cleanly without it.
They share the session ``extractor`` fixture (tests/conftest.py) and run it over every Open-i
development report (2,739) and every MTSamples development unique transcription (2,285): full sets,
no sampling, about 45 s on the development machine. Held-out reports are never run here (they are
only scored by bench/accuracy.py). Failure messages carry ids, never corpus text.

The unit tests below them use made-up strings only and always run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reportnlp.evaluation import corpora

# ---------------------------------------------------------------------------------------------
# Corpus tests


@pytest.fixture(scope="session")
def corpora_root() -> Path:
    root = corpora.corpora_dir()
    if root is None:
        pytest.skip("corpora folder absent (../shared/corpora or $REPORTNLP_CORPORA)")
    return root


def check_records(extractor: Any, items: list[tuple[str, str]]) -> None:
    """Exactly one ok record per report, with offsets that point at the mention text."""
    problems: list[str] = []
    for report_id, text in items:
        records = [extractor.record_for_text(report_id, text)]
        assert len(records) == 1
        record = records[0]
        if record["id"] != report_id:
            problems.append(f"{report_id}: record id {record['id']!r}")
        if record["status"] != "ok":
            problems.append(f"{report_id}: status {record['status']} {record['error']}")
            continue
        for m in record["mentions"]:
            if text[m["start"] : m["end"]] != m["text"]:
                problems.append(
                    f"{report_id}: mention {m['id']} offsets {m['start']}:{m['end']} do not match"
                )
            sent = m["sentence"]
            if not (0 <= sent["start"] <= m["start"] <= m["end"] <= sent["end"] <= len(text)):
                problems.append(f"{report_id}: mention {m['id']} outside its sentence")
    assert not problems, f"{len(problems)} problems, first: {problems[:10]}"


@pytest.mark.corpora
def test_every_openi_dev_report_gives_one_ok_record(corpora_root: Path, extractor: Any) -> None:
    reports = list(corpora.iter_openi(corpora_root, corpora.DEV))
    assert len(reports) > 2000
    check_records(extractor, [(r.id, r.text) for r in reports])


@pytest.mark.corpora
def test_every_mtsamples_dev_transcription_gives_one_ok_record(corpora_root: Path, extractor: Any) -> None:
    samples = list(corpora.iter_mtsamples(corpora_root, corpora.DEV))
    assert len(samples) > 2000
    assert len({s.text for s in samples}) == len(samples)
    check_records(extractor, [(s.id, s.text) for s in samples])


@pytest.mark.corpora
def test_splits_follow_the_heldout_list(corpora_root: Path) -> None:
    held = corpora.read_heldout(corpora_root)
    assert held.indiana and held.mtsamples
    openi = list(corpora.iter_openi(corpora_root))
    assert {r.id for r in openi if r.split == corpora.HELDOUT} == set(held.indiana)
    assert all(r.split == corpora.DEV for r in openi if r.id not in held.indiana)
    samples = list(corpora.iter_mtsamples(corpora_root))
    assert {s.id for s in samples if s.split == corpora.HELDOUT} <= set(held.mtsamples)
    negex = list(corpora.iter_negex(corpora_root))
    assert all((p.split == corpora.HELDOUT) == (p.report >= 61) for p in negex)
    context = list(corpora.iter_context(corpora_root))
    assert all((p.split == corpora.HELDOUT) == (int(p.id.split(":")[1]) > 1188) for p in context)
    found = [p for p in negex + context if p.start is not None]
    assert len(found) > 0.99 * len(negex + context)
    assert all(
        p.sentence[p.start : p.end].lower().split() == p.concept.lower().split()
        for p in found
        if "-" not in p.sentence[p.start : p.end]
    )


# ---------------------------------------------------------------------------------------------
# Unit tests (made-up strings; no corpora needed)


def test_corpora_dir_is_none_when_absent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(corpora.ENV_VAR, str(tmp_path / "missing"))
    assert corpora.corpora_dir() is None
    monkeypatch.setenv(corpora.ENV_VAR, "")
    assert corpora.corpora_dir() is None
    monkeypatch.setenv(corpora.ENV_VAR, str(tmp_path))
    assert corpora.corpora_dir() == tmp_path
    assert corpora.corpora_dir(tmp_path / "missing") is None


def test_read_heldout_parses_both_sources(tmp_path: Path) -> None:
    (tmp_path / "heldout_ids.txt").write_text(
        "# comment\nindiana uid 7\nmtsamples note_id 12\n\nindiana uid 9\n", encoding="utf-8"
    )
    held = corpora.read_heldout(tmp_path)
    assert held.indiana == {"7", "9"} and held.mtsamples == {"12"}


def test_openi_text_has_headers_and_skips_empty_fields() -> None:
    row = {
        "image": "Chest two views",
        "indication": " ",
        "comparison": "",
        "findings": "Clear.",
        "impression": "Normal.",
    }
    assert corpora.openi_text(row) == "EXAM: Chest two views\nFINDINGS: Clear.\nIMPRESSION: Normal."


@pytest.mark.parametrize(
    ("mesh", "degenerative", "fracture"),
    [
        ("normal", False, False),
        ("Thoracic Vertebrae/degenerative/mild", True, False),
        ("Thoracic vertebrae/degenerative", True, False),
        ("Spine/degenerative;Aorta/tortuous", True, False),
        ("Lumbar Vertebrae/mild/degenerative", True, False),
        ("Thoracic Vertebrae/scattered", False, False),
        ("Osteophyte/thoracic vertebrae/multiple", True, False),
        ("Osteophyte/shoulder/left", False, False),
        ("Spondylosis", True, False),
        ("Fractures, Bone/ribs/left/healed", False, True),
        ("Hernia, Hiatal;Arthritis/knee", False, False),
        ("Arthritis/spine", True, False),
        ("Arthritis/thoracic vertebrae/mild;Arthritis/severe", True, False),
        ("Arthritis/humerus/left", False, False),
        ("Hyperostosis, Diffuse Idiopathic Skeletal/thoracic vertebrae", True, False),
    ],
)
def test_openi_gold(mesh: str, degenerative: bool, fracture: bool) -> None:
    assert corpora.openi_gold(mesh) == {"degenerative": degenerative, "fracture": fracture}


@pytest.mark.parametrize(
    ("sentence", "concept", "found"),
    [
        ("No FOO BAR seen.", "foo bar", "FOO BAR"),
        ("No FOO    BAR seen.", "foo bar", "FOO    BAR"),
        ("No FOO\nBAR seen.", "foo   bar", "FOO\nBAR"),
        ("foo bar, and later FOO BAR.", "foo bar", "FOO BAR"),
        ("a foo bar here", "Foo Bar", "foo bar"),
        ("a foo-bar here", "foo bar", "foo-bar"),
        ("nothing here", "foo bar", None),
    ],
)
def test_find_concept(sentence: str, concept: str, found: str | None) -> None:
    span = corpora.find_concept(sentence, concept)
    assert (sentence[span[0] : span[1]] if span else None) == found


@pytest.mark.corpora
def test_dev_gold_reports_come_with_their_text_and_labels_only(corpora_root: Path) -> None:
    reports = list(corpora.iter_dev_gold(corpora_root))
    assert len(reports) == len({r.id for r in reports}) > 0
    assert all(r.text.strip() for r in reports)
    assert all(r.id.startswith(("mts-", "iu-")) for r in reports)
    assert all("bone_metastasis" in r.gold and not set(r.gold) & {"evidence", "notes", "age"} for r in reports)


@pytest.mark.corpora
def test_dev_gold_refuses_a_held_out_id(corpora_root: Path) -> None:
    first = next(corpora.iter_dev_gold(corpora_root))
    source, _, number = first.id.partition("-")
    held = corpora.HeldOut(
        indiana=frozenset({number} if source == "iu" else set()), mtsamples=frozenset({number} if source == "mts" else set())
    )
    with pytest.raises(ValueError, match="held-out"):
        list(corpora.iter_dev_gold(corpora_root, held))
