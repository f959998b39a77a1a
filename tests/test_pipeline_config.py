"""One pipeline everywhere: reportnlp.load(), nlp.to_disk() + spacy.load(), and a pipeline built from nlp.config
give identical Docs (the tokenizer is named in [nlp.tokenizer] and every component is a registered factory)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import spacy
from spacy.language import Language

import reportnlp
from reportnlp.nlp.components import rules_for
from reportnlp.nlp.components.tokenizer import TOKENIZER, ReportTokenizer

CORPUS = Path(__file__).resolve().parents[1] / "corpus_samples"
TEXTS = [
    "FINDINGS:\r\n  No  fracture.\tLytic lesion in L2,\npossibly a metastasis. Mild facet\narthropathy at L4-5.",
    *[p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))[:12]],
]


def _facts(doc: Any) -> tuple[Any, ...]:
    return (
        doc.text,
        [(t.text, t.idx, t.whitespace_, t.is_sent_start) for t in doc],
        [(e.start, e.end, e.label_, e._.is_negated, e._.is_uncertain) for e in doc.ents],
        [(s.start, s.end, s.label_, s._.reportnlp_assertion, s._.reportnlp_locations) for s in doc.spans["reportnlp_mentions"]],
        doc._.reportnlp_labels,
        doc._.reportnlp_fields,
    )


@pytest.fixture(scope="module")
def nlp() -> Language:
    return reportnlp.load()


def test_the_tokenizer_is_named_in_the_config(nlp: Language) -> None:
    assert nlp.config["nlp"]["tokenizer"] == {"@tokenizers": TOKENIZER}
    assert isinstance(nlp.tokenizer, ReportTokenizer)


def test_to_disk_and_spacy_load_give_identical_docs(nlp: Language, tmp_path: Path) -> None:
    nlp.to_disk(tmp_path / "pipeline")
    loaded = spacy.load(tmp_path / "pipeline")
    assert isinstance(loaded.tokenizer, ReportTokenizer) and loaded.pipe_names == nlp.pipe_names
    for text in TEXTS:
        assert _facts(loaded(text)) == _facts(nlp(text))


def test_a_pipeline_built_from_the_config_gives_identical_docs(nlp: Language) -> None:
    built = spacy.util.load_model_from_config(nlp.config, auto_fill=True, validate=True)
    assert isinstance(built.tokenizer, ReportTokenizer) and built.pipe_names == nlp.pipe_names
    for text in TEXTS:
        assert _facts(built(text)) == _facts(nlp(text))


def test_the_medspacy_matcher_choice_survives_the_config(tmp_path: Path) -> None:
    from reportnlp.nlp.pipeline import load

    reference = load(matcher="medspacy")
    reference.to_disk(tmp_path / "ref")
    loaded = spacy.load(tmp_path / "ref")
    assert loaded.config["components"]["reportnlp_assertion"]["matcher"] == "medspacy"
    assert _facts(loaded(TEXTS[0])) == _facts(reference(TEXTS[0]))


CUSTOM = "A zorblax lesion in L2."  # "zorblax lesion" is a rule of the custom folder only


@pytest.fixture
def custom_rules(tmp_path: Path) -> Path:
    import json
    import shutil

    from reportnlp.nlp.rules import RULE_FILES, builtin_patterns_dir

    folder = tmp_path / "rules"
    folder.mkdir()
    for name in RULE_FILES:
        shutil.copy(builtin_patterns_dir() / name, folder / name)
    data = json.loads((folder / "targets.json").read_text())
    data["target_rules"].append({"literal": "zorblax lesion", "category": "lytic_lesion", "metadata": {"id": "zorblax"}})
    (folder / "targets.json").write_text(json.dumps(data))
    return folder


def _found(nlp: Language) -> list[tuple[str, str]]:
    return [(e.text, e.label_) for e in nlp(CUSTOM).ents]


def test_a_saved_pipeline_carries_its_rules_when_the_folder_is_gone(custom_rules: Path, tmp_path: Path) -> None:
    import shutil

    nlp = reportnlp.load(custom_rules)
    assert _found(nlp) == [("zorblax lesion", "lytic_lesion")]
    nlp.to_disk(tmp_path / "saved")
    shutil.rmtree(custom_rules)
    loaded = spacy.load(tmp_path / "saved")
    assert _facts(loaded(CUSTOM)) == _facts(nlp(CUSTOM))


def test_the_saved_rules_win_over_a_folder_edited_since(custom_rules: Path, tmp_path: Path) -> None:
    nlp = reportnlp.load(custom_rules)
    nlp.to_disk(tmp_path / "saved")
    (custom_rules / "targets.json").write_bytes((Path(reportnlp.__file__).parents[1] / "patterns" / "targets.json").read_bytes())
    rules_for.cache_clear()  # the folder is read again, as in a new process
    assert _found(spacy.load(tmp_path / "saved")) == [("zorblax lesion", "lytic_lesion")]


def test_the_rules_are_saved_byte_for_byte(custom_rules: Path, tmp_path: Path) -> None:
    from reportnlp.nlp.rules import load_rules

    reportnlp.load(custom_rules).to_disk(tmp_path / "saved")
    for component in ("reportnlp_sections", "reportnlp_mentions", "reportnlp_assertion", "reportnlp_locations",
                      "reportnlp_labels"):
        assert load_rules(tmp_path / "saved" / component / "patterns").sha256 == load_rules(custom_rules).sha256


def test_to_bytes_carries_the_rules_too(custom_rules: Path) -> None:
    data = reportnlp.load(custom_rules).to_bytes()
    assert _found(reportnlp.load().from_bytes(data)) == [("zorblax lesion", "lytic_lesion")]


def test_a_pipeline_whose_folder_is_gone_and_saved_nothing_refuses_to_run(custom_rules: Path) -> None:
    import shutil

    from reportnlp.nlp.rules import RuleError

    config = reportnlp.load(custom_rules).config
    shutil.rmtree(custom_rules)
    built = spacy.util.load_model_from_config(config, auto_fill=True)
    with pytest.raises(RuleError, match="patterns folder not found"):
        built(CUSTOM)


def test_a_pickled_pipeline_gives_identical_docs(nlp: Language) -> None:
    import pickle

    loaded = pickle.loads(pickle.dumps(nlp))
    assert isinstance(loaded.tokenizer, ReportTokenizer) and loaded.pipe_names == nlp.pipe_names
    for text in TEXTS:
        assert _facts(loaded(text)) == _facts(nlp(text))


def test_a_pickled_pipeline_keeps_its_own_rules(custom_rules: Path) -> None:
    import pickle
    import shutil

    nlp = reportnlp.load(custom_rules)
    pickled = pickle.dumps(nlp)
    shutil.rmtree(custom_rules)
    assert _found(pickle.loads(pickled)) == [("zorblax lesion", "lytic_lesion")]


def test_the_medspacy_matcher_choice_survives_pickling() -> None:
    import pickle

    from reportnlp.nlp.pipeline import load

    reference = load(matcher="medspacy")
    loaded = pickle.loads(pickle.dumps(reference))
    assert loaded.get_pipe("reportnlp_assertion").choice == "medspacy"
    assert _facts(loaded(TEXTS[0])) == _facts(reference(TEXTS[0]))


def test_a_pickled_tokenizer_starts_with_an_empty_memo(nlp: Language) -> None:
    import pickle

    for text in TEXTS:
        nlp.make_doc(text)
    assert len(nlp.tokenizer._chunks) > 0
    loaded = pickle.loads(pickle.dumps(nlp.tokenizer))
    assert len(loaded._chunks) == 0
    assert [t.text for t in loaded(TEXTS[0])] == [t.text for t in nlp.tokenizer(TEXTS[0])]


_SPAWNED = """
import json, multiprocessing, sys
import reportnlp
if __name__ == "__main__":
    multiprocessing.set_start_method("spawn", force=True)
    nlp = reportnlp.load()
    texts = json.loads(sys.stdin.read())
    serial = [d._.reportnlp_labels for d in nlp.pipe(texts)]
    spawned = [d._.reportnlp_labels for d in nlp.pipe(texts, n_process=2, batch_size=2)]
    print(json.dumps(spawned == serial))
"""


def test_pipe_with_spawned_worker_processes_gives_the_same_labels(tmp_path: Path) -> None:
    """Where Python spawns workers (macOS, Windows) spaCy pickles the pipeline to send it to them."""
    import json
    import subprocess
    import sys

    script = tmp_path / "spawned.py"
    script.write_text(_SPAWNED)
    done = subprocess.run([sys.executable, str(script)], input=json.dumps(TEXTS[:6]), capture_output=True, text=True,
                          timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "true"


def test_a_component_whose_rules_never_came_still_refuses_after_pickling(tmp_path: Path) -> None:
    import pickle

    from reportnlp.nlp.rules import RuleError

    nlp = spacy.blank("en")
    nlp.add_pipe("reportnlp_sections", config={"patterns": str(tmp_path / "gone")})
    with pytest.raises(RuleError):
        nlp("FINDINGS: No fracture.")
    loaded = pickle.loads(pickle.dumps(nlp))
    with pytest.raises(RuleError, match="patterns folder not found"):
        loaded("FINDINGS: No fracture.")
