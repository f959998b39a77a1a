"""Start-up: what a one-report run pays before its first record (issue 18, "Speed").

spaCy is imported without its command line (reportnlp.nlp.lean_spacy), rule files are validated once
per content, a forked worker does not copy the parent's heap, and the console script ends without
Python's teardown once its output is out. Each of these must leave behaviour as it was.
"""

from __future__ import annotations

import gc
import json
import multiprocessing as mp
import os
import re
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from reportnlp.cli import app as cli_app
from reportnlp.inputs import Report
from reportnlp.nlp import rules
from reportnlp.nlp.rules import RuleError, builtin_patterns_dir, load_rules, validation_marker
from reportnlp.run.pool import parallel_records

from .conftest import PACKAGE_ROOT

SPACY_COMMAND_LINE = ("spacy.cli._util", "spacy.cli.download", "typer", "click", "weasel", "requests", "jinja2",
                      "langcodes.data_dicts")  # langcodes itself is there, lazy: its tables are not loaded


@pytest.fixture(autouse=True)
def _blas_setting_restored(monkeypatch: pytest.MonkeyPatch) -> None:
    """``extract`` sets OPENBLAS_NUM_THREADS when it is unset: as it was after each test."""
    original = os.environ.get("OPENBLAS_NUM_THREADS")
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", original or "1")  # recorded, so undone after the test
    if original is None:
        monkeypatch.delenv("OPENBLAS_NUM_THREADS")


def _python(code: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter that imports this checkout's reportnlp."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(PACKAGE_ROOT), os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120, check=False)


def _json_from(code: str) -> Any:
    done = _python(code)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_importing_spacy_after_reportnlp_leaves_spacys_command_line_unimported() -> None:
    loaded = _json_from(
        "import json, sys, reportnlp, spacy\n"
        f"print(json.dumps(sorted(m for m in {SPACY_COMMAND_LINE!r} if m in sys.modules)))"
    )
    assert loaded == []


def test_building_the_pipeline_imports_no_command_line_module() -> None:
    loaded = _json_from(
        "import json, sys, reportnlp\n"
        "reportnlp.load()\n"
        f"print(json.dumps(sorted(m for m in {SPACY_COMMAND_LINE!r} if m in sys.modules)))"
    )
    assert loaded == []


def test_spacy_command_line_functions_still_work_when_first_used() -> None:
    found = _json_from(
        "import json, reportnlp, spacy\n"
        "from spacy.cli import info as info_function\n"
        "print(json.dumps([spacy.cli.download.__module__, info_function.__module__,\n"
        "                  spacy.info()['spacy_version'] == spacy.__version__]))"
    )
    assert found == ["spacy.cli.download", "spacy.cli.info", True]


def test_a_spacy_cli_submodule_imported_first_leaves_the_package_whole() -> None:
    """Importing ``spacy.cli.train`` before anything else of spacy.cli: ``spacy.cli.info`` is still the
    function the package's own code binds, not the submodule."""
    found = _json_from(
        "import json, reportnlp, spacy\n"
        "import spacy.cli.train\n"
        "from spacy.cli import info\n"
        "print(json.dumps([callable(info), type(info).__name__]))"
    )
    assert found == [True, "function"]


def test_a_star_import_of_spacy_cli_gets_its_public_names() -> None:
    assert _json_from("import json, reportnlp, spacy\nns = {}\nexec('from spacy.cli import *', ns)\n"
                      "print(json.dumps('download' in ns and 'info' in ns))") is True


def test_spacy_still_matches_language_codes_it_does_not_know_directly() -> None:
    assert _json_from("import json, reportnlp, spacy.util\nprint(json.dumps(spacy.util.find_matching_language('en-US')))") == "en"


SPACY_COMPONENTS = ("spacy.pipeline.dep_parser", "spacy.pipeline.ner", "spacy.pipeline.textcat", "spacy.pipeline.tok2vec")
_DEFERRED_COMPONENTS = "import json, sys, reportnlp\nreportnlp.nlp.lean_spacy.defer_spacy_components()\n"


def test_extracts_pipeline_built_with_spacys_components_deferred_imports_none_of_them() -> None:
    loaded = _json_from(
        _DEFERRED_COMPONENTS + "from reportnlp.run.extractor import Extractor\n"
        "Extractor().record_for_text('r1', 'MRI lumbar spine. No fracture. Mild disc bulge at L4-L5.')\n"
        f"print(json.dumps(sorted(m for m in {SPACY_COMPONENTS!r} if m in sys.modules)))"
    )
    assert loaded == []


def test_spacys_components_deferred_are_there_once_a_name_is_read() -> None:
    found = _json_from(
        _DEFERRED_COMPONENTS + "import spacy\nfrom spacy.pipeline import Sentencizer\n"
        "nlp = spacy.blank('en')\nnlp.add_pipe('sentencizer')\n"
        "print(json.dumps([Sentencizer.__module__, [len(list(s)) for s in nlp('One. Two three.').sents]]))"
    )
    assert found == ["spacy.pipeline.sentencizer", [2, 3]]


def test_the_english_lemmatizer_gets_spacys_own_lemmatizer_class_with_components_deferred() -> None:
    found = _json_from(
        _DEFERRED_COMPONENTS + "import spacy\nfrom spacy.lang.en.lemmatizer import EnglishLemmatizer\n"
        "from spacy.pipeline import Lemmatizer\nfrom spacy.pipeline.lemmatizer import Lemmatizer as Own\n"
        "print(json.dumps([issubclass(EnglishLemmatizer, Lemmatizer), Lemmatizer is Own]))"
    )
    assert found == [True, True]


def test_importing_reportnlp_and_spacy_leaves_spacys_components_as_they_are() -> None:
    assert _json_from("import json, sys, reportnlp, spacy\nprint(json.dumps(type(sys.modules['spacy.pipeline']).__name__))"
                      ) == "module"


def test_extract_writes_the_records_the_api_gives_with_spacys_components_deferred(cli, extractor) -> None:  # type: ignore[no-untyped-def]
    report = b"CT chest. Lytic lesion in the T8 vertebral body, suspicious for metastasis. No fracture.\n"
    done = cli("extract", "-", stdin=report)
    assert done.returncode == 0
    record = json.loads(done.stdout)
    expected = extractor.record_for_text("stdin", report.decode(), {"path": "-", "format": "stdin", "line": None,
                                                                    "encoding": "utf-8"})
    assert record == expected


@pytest.fixture
def rules_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "patterns"
    folder.mkdir()
    for source in builtin_patterns_dir().glob("*.json"):
        (folder / source.name).write_bytes(source.read_bytes())
    return folder


def test_rules_are_validated_once_per_content(rules_folder: Path) -> None:
    first = load_rules(rules_folder)
    assert load_rules(rules_folder) is first


def test_an_edited_rule_file_is_validated_again(rules_folder: Path) -> None:
    folder = rules_folder
    first = load_rules(folder)
    path = folder / "prevalence.json"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    second = load_rules(folder)
    assert second is not first and second.sha256 != first.sha256


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh validation cache, and no rule set remembered in this process."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("REPORTNLP_CACHE_DIR", str(folder))
    monkeypatch.setattr(rules, "_VALIDATED", type(rules._VALIDATED)())
    return folder


def _refuse_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(data: dict[str, Any]) -> None:
        raise AssertionError("validated again")

    monkeypatch.setattr(rules, "_check", refuse)
    monkeypatch.setattr(rules, "_VALIDATED", type(rules._VALIDATED)())


def test_rules_that_passed_validation_are_recorded_by_their_content(rules_folder: Path, cache_dir: Path) -> None:
    loaded = load_rules(rules_folder)
    marker = validation_marker(loaded.sha256)
    assert marker is not None and marker.parent == cache_dir and marker.is_file()


def test_a_later_process_reads_recorded_rules_without_checking_them(rules_folder: Path, cache_dir: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    first = load_rules(rules_folder)
    _refuse_checks(monkeypatch)  # as a new process: nothing in memory, and checking would fail
    again = load_rules(rules_folder)
    assert again.sha256 == first.sha256 and again.targets == first.targets


def test_edited_rules_are_checked_again_despite_an_earlier_record(rules_folder: Path, cache_dir: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    load_rules(rules_folder)
    monkeypatch.setattr(rules, "_VALIDATED", type(rules._VALIDATED)())
    path = rules_folder / "targets.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"category"', '"categroy"', 1), encoding="utf-8")
    with pytest.raises(RuleError):
        load_rules(rules_folder)


def test_rules_that_fail_validation_are_never_recorded(rules_folder: Path, cache_dir: Path) -> None:
    path = rules_folder / "targets.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"category"', '"categroy"', 1), encoding="utf-8")
    with pytest.raises(RuleError):
        load_rules(rules_folder)
    assert not cache_dir.exists() or not any(cache_dir.iterdir())


def test_an_empty_cache_setting_reads_and_writes_nothing(rules_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORTNLP_CACHE_DIR", "")
    assert validation_marker(load_rules(rules_folder).sha256) is None


class _FreezeProbe:
    """A stand-in extractor whose record says how many objects its process's GC leaves alone."""

    def record_for(self, report: Report) -> dict[str, Any]:
        return {"id": report.id, "frozen": gc.get_freeze_count()}


@pytest.mark.skipif("fork" not in mp.get_all_start_methods(), reason="the probe is inherited by fork")
def test_a_forked_worker_leaves_the_inherited_objects_to_itself_and_out_of_its_gc() -> None:
    report = Report(id="a", text="No fracture.", source={"path": None, "format": "api"})
    [record] = parallel_records([report], jobs=1, extractor=_FreezeProbe())
    assert record["frozen"] > 0


def test_the_console_script_exits_at_once_when_nothing_needs_pythons_exit(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in cli_app._ORDINARY_EXIT_MODULES:
        monkeypatch.delitem(sys.modules, name, raising=False)
    assert not cli_app.needs_ordinary_exit()


def test_a_running_thread_that_is_not_a_daemon_keeps_pythons_exit() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=False)
    thread.start()
    try:
        assert cli_app.needs_ordinary_exit()
    finally:
        stop.set()
        thread.join()


def test_a_cluster_engine_keeps_pythons_exit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", sys)  # any module object: only its presence counts
    assert cli_app.needs_ordinary_exit()


def test_a_quick_exit_still_writes_the_whole_output_file_and_the_exit_code(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "out.jsonl"
    done = cli("extract", "-", "-o", str(target), stdin=b"Compression fracture of L2.\n")
    assert done.returncode == 0
    assert [json.loads(line)["id"] for line in target.read_text(encoding="utf-8").splitlines()] == ["stdin"]
    assert not list(tmp_path.glob(".*.part"))


def test_a_quick_exit_keeps_the_exit_code_of_failed_reports(cli) -> None:  # type: ignore[no-untyped-def]
    done = cli("extract", "-", stdin=b"   \n")
    assert done.returncode == 1
    assert json.loads(done.stdout)["status"] == "error"


# --- the tokenizer's special-case analysis, remembered by the SHA-256 of its inputs ---


@pytest.fixture
def analyses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh cache folder, and no analysis remembered in this process."""
    from reportnlp.nlp.components import tokenizer

    folder = tmp_path / "cache"
    monkeypatch.setenv("REPORTNLP_CACHE_DIR", str(folder))
    monkeypatch.setattr(tokenizer, "_ANALYSES", {})
    return folder


def _english_tokenizer() -> Any:
    import spacy

    return spacy.blank("en").tokenizer


def _forget_and_refuse(monkeypatch: pytest.MonkeyPatch) -> None:
    """As a new process: nothing in memory, and analysing would fail."""
    from reportnlp.nlp.components import tokenizer

    def refuse(base: Any) -> Any:
        raise AssertionError("analysed again")

    monkeypatch.setattr(tokenizer, "_ANALYSES", {})
    monkeypatch.setattr(tokenizer, "_analyse", refuse)


def test_a_later_process_reads_the_special_case_analysis_from_the_cache(analyses: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from reportnlp.nlp.components.tokenizer import _analyse, _special_analysis

    base = _english_tokenizer()
    first = _special_analysis(base)
    assert first == _analyse(base)
    assert [p.name.startswith("tokenizer-specials-") for p in analyses.iterdir()] == [True]
    _forget_and_refuse(monkeypatch)
    assert _special_analysis(base) == first


def test_the_special_case_analysis_is_remembered_in_the_process(analyses: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reportnlp.nlp.components import tokenizer

    base = _english_tokenizer()
    first = tokenizer._special_analysis(base)
    monkeypatch.setattr(tokenizer, "_analyse", lambda base: pytest.fail("analysed again"))
    monkeypatch.setenv("REPORTNLP_CACHE_DIR", "")
    assert tokenizer._special_analysis(base) is first


def test_a_new_special_case_is_analysed_again_despite_the_cache(analyses: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from spacy.attrs import ORTH

    from reportnlp.nlp.components import tokenizer

    base = _english_tokenizer()
    before = tokenizer._special_analysis(base)
    monkeypatch.setattr(tokenizer, "_ANALYSES", {})
    base.add_special_case("Xq.", [{ORTH: "Xq."}])  # its affix tokens are "Xq" + ".": a changing one
    after = tokenizer._special_analysis(base)
    assert after != before and after == tokenizer._analyse(base)
    assert re.fullmatch(after[1], "Xq.") and not re.fullmatch(before[1], "Xq.")


def test_a_changed_affix_pattern_is_analysed_again_despite_the_cache(analyses: Path) -> None:
    from reportnlp.nlp.components.tokenizer import _analysis_key

    base = _english_tokenizer()
    key = _analysis_key(base)
    base.suffix_search = re.compile(r"\.$").search
    assert _analysis_key(base) not in (key, None)


def test_a_damaged_cache_file_is_analysed_again(analyses: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reportnlp.nlp.components import tokenizer

    base = _english_tokenizer()
    first = tokenizer._special_analysis(base)
    [cached] = analyses.iterdir()
    cached.write_text('{"key": "' + cached.stem.removeprefix("tokenizer-specials-") + '", "followers": [', encoding="utf-8")
    monkeypatch.setattr(tokenizer, "_ANALYSES", {})
    assert tokenizer._special_analysis(base) == first
    assert json.loads(cached.read_text(encoding="utf-8"))["alternation"] == first[1]  # written anew


def test_an_affix_function_that_is_no_regex_is_analysed_every_time(analyses: Path) -> None:
    from reportnlp.nlp.components.tokenizer import _analysis_key, _special_analysis

    base = _english_tokenizer()
    base.token_match = lambda text: None
    assert _analysis_key(base) is None
    _special_analysis(base)
    assert not analyses.exists()


def test_the_pipeline_is_built_with_pythons_gc_paused_and_then_restored(monkeypatch: pytest.MonkeyPatch) -> None:
    from reportnlp.nlp import pipeline

    seen = []
    monkeypatch.setattr(pipeline, "_build", lambda *args: seen.append(gc.isenabled()))
    assert gc.isenabled()
    pipeline.load()
    assert seen == [False] and gc.isenabled()


def test_a_gc_paused_by_the_caller_stays_paused_after_a_build(monkeypatch: pytest.MonkeyPatch) -> None:
    from reportnlp.nlp import pipeline

    monkeypatch.setattr(pipeline, "_build", lambda *args: None)
    gc.disable()
    try:
        pipeline.load()
        assert not gc.isenabled()
    finally:
        gc.enable()


# --- spaCy's validation of token patterns, recorded by the patterns' content ---

TOKEN_PATTERNS = [("fracture_0", [{"LOWER": "fracture"}]), ("wedge_1", [{"LOWER": {"IN": ["wedge", "wedging"]}}, {"OP": "?"}])]


def _token_matcher(patterns: list[tuple[str, list[dict[str, Any]]]]) -> Any:
    import spacy

    from reportnlp.nlp.components.matching import TokenPatternMatcher, add_token_pattern

    return TokenPatternMatcher(spacy.blank("en"), patterns, add_token_pattern)


def test_token_patterns_spacy_validated_once_are_not_validated_again(analyses: Path) -> None:
    first = _token_matcher(TOKEN_PATTERNS)
    assert first.spacy_matcher.validate
    assert [p.name.startswith("patterns-valid-") for p in analyses.iterdir()] == [True]
    assert not _token_matcher(TOKEN_PATTERNS).spacy_matcher.validate


def test_changed_token_patterns_are_validated_again(analyses: Path) -> None:
    _token_matcher(TOKEN_PATTERNS)
    changed = [*TOKEN_PATTERNS[:1], ("wedge_1", [{"LOWER": {"IN": ["wedge", "wedged"]}}, {"OP": "?"}])]
    assert _token_matcher(changed).spacy_matcher.validate


def test_token_patterns_spacy_rejects_are_never_recorded(analyses: Path) -> None:
    with pytest.raises(ValueError, match="LOWERCASE"):
        _token_matcher([*TOKEN_PATTERNS, ("broken_2", [{"LOWERCASE": "x"}])])
    assert not analyses.exists() or not any(analyses.iterdir())


def test_new_token_patterns_are_added_to_spacys_matcher_before_any_report(analyses: Path) -> None:
    assert _token_matcher(TOKEN_PATTERNS)._spacy_matcher is not None


def test_validated_token_patterns_go_to_spacys_matcher_only_when_it_is_first_asked(analyses: Path) -> None:
    import spacy

    _token_matcher(TOKEN_PATTERNS)
    later = _token_matcher(TOKEN_PATTERNS)
    doc = spacy.blank("en")("old wedge fracture")
    found = later(doc)  # the engine answers alone
    assert later._spacy_matcher is None
    assert sorted(found) == sorted(later.spacy_matcher(doc)) != []
    assert len(later.spacy_matcher) == len(TOKEN_PATTERNS)


def test_without_a_cache_folder_token_patterns_are_always_validated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORTNLP_CACHE_DIR", "")
    _token_matcher(TOKEN_PATTERNS)
    assert _token_matcher(TOKEN_PATTERNS).spacy_matcher.validate


# --- the console script's extract: Python's GC paused until the pipeline is built ---


def test_extract_builds_its_pipeline_with_the_gc_paused_and_streams_with_it_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reportnlp.cli import extract
    from reportnlp.run import batch

    seen: list[tuple[str, bool]] = []

    def build(*args: Any, **kwargs: Any) -> object:
        seen.append(("build", gc.isenabled()))
        return object()

    def stream(*args: Any) -> int:
        seen.append(("stream", gc.isenabled()))
        return 0

    monkeypatch.setattr(batch, "build_extractor", build)
    monkeypatch.setattr(extract, "_stream", stream)
    report = tmp_path / "one.txt"
    report.write_text("No fracture.\n", encoding="utf-8")
    try:
        assert cli_app._run(["extract", str(report), "-o", str(tmp_path / "out.jsonl")]) == 0
        assert seen == [("build", False), ("stream", True)] and gc.isenabled()
        assert gc.get_freeze_count() > 0  # what start-up built stays out of later collections
    finally:
        gc.unfreeze()


def test_a_cluster_extract_runs_with_the_gc_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reportnlp.cli import cluster

    monkeypatch.setattr(cluster, "option_problem", lambda *args, **kwargs: None)
    monkeypatch.setattr(cluster, "run_cluster_extract", lambda options: 0 if gc.isenabled() else 99)
    try:
        assert cli_app._run(["extract", str(tmp_path), "--engine", "dask", "-o", str(tmp_path / "out")]) == 0
    finally:
        gc.unfreeze()


def test_an_extract_usage_error_leaves_the_gc_on() -> None:
    assert cli_app._run(["extract", "-", "--matcher", "nope"]) == 2
    assert gc.isenabled()


# --- the console script's extract: OpenBLAS (loaded with numpy by spaCy) on one thread ---


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="threads counted in /proc")
def test_extract_loads_numpy_without_blas_threads() -> None:
    code = ("import os; from reportnlp.cli import app; app._run(['extract', '-', '--matcher', 'nope']); import numpy; "
            "print(len(os.listdir('/proc/self/task')))")
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120, check=True)
    assert done.stdout.split() == ["1"]


def test_a_blas_thread_count_set_by_the_user_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "4")
    assert cli_app._run(["extract", "-", "--matcher", "nope"]) == 2
    assert os.environ["OPENBLAS_NUM_THREADS"] == "4"


def test_extract_sets_one_blas_thread_when_the_environment_does_not_say(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)  # the autouse fixture restores it
    assert cli_app._run(["extract", "-", "--matcher", "nope"]) == 2
    assert os.environ["OPENBLAS_NUM_THREADS"] == "1"
