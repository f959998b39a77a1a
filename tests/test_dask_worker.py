"""What a worker does with one partition: the shipped rules, checked; the pipeline, built once; the
part file, whole or absent. Also the per-partition Python API any engine can call."""

from __future__ import annotations

import shutil
import zlib
from dataclasses import replace
from pathlib import Path
from typing import Any

import orjson
import pytest

import reportnlp
from reportnlp.engines.partition_task import run_partition
from reportnlp.engines.partitions import plan
from reportnlp.engines.rule_bundle import BundleError, RuleBundle, worker_extractor
from reportnlp.inputs import iter_reports
from reportnlp.nlp.rules import builtin_patterns_dir, load_rules
from reportnlp.run.extractor import Extractor
from reportnlp.run.extractor_cache import extractor_for
from reportnlp.run.output import dumps

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus_samples"


@pytest.fixture(scope="module")
def bundle() -> RuleBundle:
    return RuleBundle.from_folder()


@pytest.fixture(scope="module")
def first_partition() -> Any:
    return next(plan([str(CORPUS)], size=5))


def _expected(extractor: Extractor, n: int) -> bytes:
    return b"".join(dumps(extractor.record_for(r)) for r in list(iter_reports([str(CORPUS)]))[:n])


def test_shipped_rules_unpack_to_files_with_the_same_hash(bundle: RuleBundle, tmp_path: Path) -> None:
    bundle.unpack(tmp_path)
    assert load_rules(tmp_path).sha256 == bundle.sha256 == load_rules().sha256


def test_shipped_rules_that_do_not_match_their_hash_are_refused(bundle: RuleBundle, tmp_path: Path) -> None:
    files = orjson.loads(zlib.decompress(bundle.packed))
    files["patient.json"] = files["patient.json"].replace("year", "yr", 1)
    tampered = replace(bundle, packed=zlib.compress(orjson.dumps(files)))
    with pytest.raises(BundleError, match="refused"):
        tampered.unpack(tmp_path)


def test_a_worker_with_another_reportnlp_version_refuses_the_job(bundle: RuleBundle, tmp_path: Path) -> None:
    with pytest.raises(BundleError, match="install the same version everywhere"):
        replace(bundle, version="99.0").unpack(tmp_path)


def test_rules_travel_with_the_job_not_through_the_workers_disk(tmp_path: Path) -> None:
    mine = tmp_path / "my_patterns"
    shutil.copytree(builtin_patterns_dir(), mine)
    shipped = RuleBundle.from_folder(mine)
    shutil.rmtree(mine)  # gone from disk: a worker elsewhere never had it
    assert worker_extractor(shipped).rules.sha256 == shipped.sha256


def test_the_pipeline_is_built_once_per_process_and_rule_set(bundle: RuleBundle) -> None:
    assert worker_extractor(bundle) is worker_extractor(bundle)
    assert extractor_for(None) is extractor_for(builtin_patterns_dir())


def test_a_partition_is_written_as_one_part_file_with_a_local_runs_bytes(
    bundle: RuleBundle, first_partition: Any, extractor: Extractor, tmp_path: Path
) -> None:
    result = run_partition(first_partition, bundle, str(tmp_path), 100_000)
    written = (tmp_path / "part-00000.jsonl").read_bytes()
    assert written == _expected(extractor, 5)
    assert (result.error, result.reports, result.bytes, result.lines) == (None, 5, len(written), None)
    assert [p.name for p in tmp_path.iterdir()] == ["part-00000.jsonl"]


def test_running_a_partition_again_writes_the_same_file(bundle: RuleBundle, first_partition: Any, tmp_path: Path) -> None:
    first = run_partition(first_partition, bundle, str(tmp_path), 100_000)
    before = (tmp_path / "part-00000.jsonl").read_bytes()
    again = run_partition(first_partition, bundle, str(tmp_path), 100_000)
    assert (tmp_path / "part-00000.jsonl").read_bytes() == before
    assert again.sha256 == first.sha256


def test_without_an_output_folder_the_records_come_back(bundle: RuleBundle, first_partition: Any,
                                                        extractor: Extractor) -> None:
    result = run_partition(first_partition, bundle, None, 100_000)
    assert result.lines == _expected(extractor, 5)


def test_a_partition_that_cannot_be_written_returns_its_error_and_leaves_nothing(
    bundle: RuleBundle, first_partition: Any, tmp_path: Path
) -> None:
    result = run_partition(first_partition, bundle, str(tmp_path / "missing"), 100_000)
    assert result.error is not None and "cannot write" in result.error
    assert not (tmp_path / "missing").exists()


def test_a_partition_with_refused_rules_writes_nothing(bundle: RuleBundle, first_partition: Any, tmp_path: Path) -> None:
    result = run_partition(first_partition, replace(bundle, sha256="0" * 64), str(tmp_path), 100_000)
    assert result.error is not None and "refused" in result.error
    assert list(tmp_path.iterdir()) == []


def test_failed_reports_are_listed_by_id_and_reason(bundle: RuleBundle, tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_text(" ")
    (tmp_path / "in" / "ok.txt").write_text("No fracture.")
    result = run_partition(next(plan([str(tmp_path / "in")])), bundle, None, 100_000)
    assert result.failed == [("empty.txt", "report is empty or whitespace-only")]


# --- reportnlp.extract_records: the per-partition API for other engines (Spark's mapPartitions) ---


def test_extract_records_of_reports_equals_the_commands_records(extractor: Extractor) -> None:
    reports = list(iter_reports([str(CORPUS)]))[:4]
    assert list(reportnlp.extract_records(reports)) == [extractor.record_for(r) for r in reports]


def test_extract_records_takes_id_text_pairs_and_triples_with_a_source() -> None:
    source = {"path": "export.csv", "format": "csv", "line": 2, "encoding": "utf-8"}
    pair, triple = reportnlp.extract_records([("r1", "No fracture."), ("r2", "No fracture.", source)])
    assert (pair["id"], pair["source"]["format"], pair["labels"]["fracture"]) == ("r1", "api", "absent")
    assert triple["source"] == source and triple["labels"] == pair["labels"]


def test_extract_records_gives_an_error_record_for_text_that_is_not_a_string() -> None:
    [record] = reportnlp.extract_records([("r1", None)])  # a null cell in a data frame
    assert (record["status"], record["error"]["type"]) == ("error", "invalid_text_field")


def test_extract_records_refuses_items_of_another_shape() -> None:
    with pytest.raises(ValueError, match="give \\(id, text\\)"):
        list(reportnlp.extract_records([("r1", "text", {}, "extra")]))
