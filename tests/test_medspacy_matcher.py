"""``--matcher medspacy``: medspaCy's own TargetMatcher and ConText on the same rule files give the same records.

This is the user-facing form of tests/test_equivalence.py (which compares matches and ConText edges one
by one): whole records on corpus_samples, from both pipelines.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from reportnlp.run.extractor import Extractor

CORPUS = Path(__file__).resolve().parents[1] / "corpus_samples"


@pytest.fixture(scope="module")
def extractors() -> tuple[Extractor, Extractor]:
    return Extractor(), Extractor(matcher="medspacy")


def test_medspacy_matcher_gives_the_same_records_on_corpus_samples(extractors: tuple[Extractor, Extractor]) -> None:
    fast, reference = extractors
    paths = sorted(CORPUS.glob("*.txt"))
    assert len(paths) > 40
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert reference.record_for_text(path.name, text) == fast.record_for_text(path.name, text), path.name


def test_medspacy_matcher_really_runs_medspacy(extractors: tuple[Extractor, Extractor]) -> None:
    from medspacy.context import ConText
    from medspacy.target_matcher import TargetMatcher

    _, reference = extractors
    assert isinstance(reference.nlp.get_pipe("reportnlp_mentions").matcher.matcher, TargetMatcher)
    assert isinstance(reference.nlp.get_pipe("reportnlp_assertion").reference.context, ConText)
    assert reference.nlp.config["components"]["reportnlp_mentions"]["matcher"] == "medspacy"


def test_the_fast_pipeline_does_not_import_medspacy() -> None:
    code = "import sys, reportnlp.nlp.pipeline as p; p.load(); print('medspacy' in sys.modules)"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "False"


def test_cli_matcher_option(tmp_path: Path) -> None:
    report = tmp_path / "r.txt"
    report.write_text("FINDINGS: No fracture. Lytic lesion in L2, possibly a metastasis.\n")
    runs = [
        subprocess.run([sys.executable, "-m", "reportnlp", "extract", str(report), "--matcher", m],
                       capture_output=True, text=True, check=False)
        for m in ("fast", "medspacy")
    ]
    assert [r.returncode for r in runs] == [0, 0]
    assert json.loads(runs[0].stdout) == json.loads(runs[1].stdout)
    bad = subprocess.run([sys.executable, "-m", "reportnlp", "extract", str(report), "--matcher", "nope"],
                         capture_output=True, text=True, check=False)
    assert bad.returncode == 2 and "--matcher" in bad.stderr


def test_a_pattern_spacy_rejects_is_named_with_the_medspacy_matcher(tmp_path: Path) -> None:
    from reportnlp.nlp.rules import RULE_FILES, RuleError, builtin_patterns_dir

    for name in RULE_FILES:
        (tmp_path / name).write_bytes((builtin_patterns_dir() / name).read_bytes())
    targets = json.loads((tmp_path / "targets.json").read_text())
    targets["target_rules"].append({"literal": "x", "category": "fracture", "pattern": [{"LOWERCASE": "x"}],
                                    "metadata": {"id": "broken_pattern"}})
    (tmp_path / "targets.json").write_text(json.dumps(targets))
    with pytest.raises(RuleError, match=r"^targets.json: rule broken_pattern: token pattern rejected by spaCy"):
        Extractor(str(tmp_path), matcher="medspacy")


def test_two_concepts_on_one_span_get_their_own_cues_from_medspacy(extractors: tuple[Extractor, Extractor]) -> None:
    """One span, two concepts ("endplate or facet changes"): medspaCy keeps span attributes by character
    offsets, so its cues are read from the ConText graph's edges, one list per concept."""
    fast, reference = extractors
    text = "FINDINGS: There are no significant degenerative endplate or facet changes at L4-5."
    mentions = reference.record_for_text("t", text)["mentions"]
    assert len(mentions) == 2 and all(len(m["cues"]) == 1 for m in mentions)
    assert mentions == fast.record_for_text("t", text)["mentions"]


def test_medspacy_matcher_reads_a_word_hyphenated_across_a_line_wrap_as_the_fast_one_does(
    extractors: tuple[Extractor, Extractor],
) -> None:
    fast, reference = extractors
    text = "CT CHEST\nFINDINGS: Lytic destruction of T7 in keeping with a meta-\nstasis. No patho-\nlogic fracture.\n"
    record = fast.record_for_text("wrap", text)
    assert record["labels"]["pathologic_fracture"] == "absent"
    assert reference.record_for_text("wrap", text) == record
