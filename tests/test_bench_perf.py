"""bench/perf.py measures c/a (extract vs spaCy's tokenizer) as pairs run back to back and reports the median of the
pairs' own ratios, with their range and count; the verdict on the 0.80 target reads that median."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def perf() -> Any:
    sys.path.insert(0, str(REPO))
    from bench import perf

    return perf


def _pairs(a_rates: list[float], c_rates: list[float]) -> list[dict[str, Any]]:
    return [{"a": {"cpu_rate": a, "rate": a}, "c": {"cpu_rate": c, "rate": c}} for a, c in zip(a_rates, c_rates, strict=True)]


def test_c_over_a_is_the_median_of_each_pairs_own_ratio_not_a_ratio_of_medians(perf: Any) -> None:
    # pairs' ratios 0.9, 0.5, 0.8: median 0.8; the medians' ratio would be 100 / 200 = 0.5
    ratio = perf.pair_ratio(_pairs([100.0, 200.0, 300.0], [90.0, 100.0, 240.0]), "cpu_rate")
    assert ratio["median"] == pytest.approx(0.8)
    assert (ratio["min"], ratio["max"], ratio["n"]) == (pytest.approx(0.5), pytest.approx(0.9), 3)


def test_an_even_count_of_pairs_takes_the_mean_of_the_middle_two(perf: Any) -> None:
    ratio = perf.pair_ratio(_pairs([100.0] * 4, [70.0, 78.0, 82.0, 90.0]), "cpu_rate")
    assert ratio["median"] == pytest.approx(0.80)


def test_wall_and_cpu_ratios_are_read_from_their_own_rates(perf: Any) -> None:
    pairs = [{"a": {"cpu_rate": 100.0, "rate": 50.0}, "c": {"cpu_rate": 80.0, "rate": 10.0}}]
    assert perf.pair_ratio(pairs, "cpu_rate")["median"] == pytest.approx(0.8)
    assert perf.pair_ratio(pairs, "rate")["median"] == pytest.approx(0.2)


def test_a_and_c_take_turns_to_open_a_pair_and_run_back_to_back(perf: Any) -> None:
    calls: list[tuple[str, bool]] = []

    def runner(key: str) -> Any:
        def run(first: bool) -> dict[str, Any]:
            calls.append((key, first))
            return {"key": key}
        return run

    pairs = perf.run_pairs(4, {"a": runner("a"), "c": runner("c")})
    assert calls == [("a", True), ("c", False), ("c", True), ("a", False),
                     ("a", True), ("c", False), ("c", True), ("a", False)]
    assert [p["first"] for p in pairs] == ["a", "c", "a", "c"]
    assert all(p["a"] == {"key": "a"} and p["c"] == {"key": "c"} for p in pairs)


def _result(c_a_cpu: dict[str, Any]) -> dict[str, Any]:
    keys = "abcdefg"
    rates = dict.fromkeys(keys, 100.0)
    rates["a"], rates["c"] = 200.0, 100.0  # ratio of medians 0.50: the table must not show it
    wall = {"median": 0.5, "min": 0.4, "max": 0.6, "n": c_a_cpu["n"], "ratios": [0.5] * c_a_cpu["n"]}
    return {"rates": rates, "cpu_rates": {k: v for k, v in rates.items() if k != "d"}, "rss": dict.fromkeys(keys, 1.0),
            "words_per_report": 10.0, "b_n": 150, "n": 1000, "startup": 0.5, "identical": True,
            "reference_identical": True, "summarize": None, "c_a": {"wall": wall, "cpu": c_a_cpu}}


def _c_a_row(table: str) -> str:
    return next(line for line in table.splitlines() if line.startswith("| c/a"))


def test_the_table_gives_the_pairs_median_with_its_range_and_count_and_judges_it(perf: Any) -> None:
    cpu = {"median": 0.8012, "min": 0.761, "max": 0.843, "n": 7, "ratios": [0.8012] * 7}
    row = _c_a_row(perf._table(_result(cpu), 2))
    assert "7 pairs" in row
    assert "| 80.12% (76.10%-84.30%) |" in row
    assert row.endswith("| met |")


def test_a_median_a_hair_under_the_target_is_missed_whatever_the_best_pair(perf: Any) -> None:
    cpu = {"median": 0.7995, "min": 0.76, "max": 0.84, "n": 5, "ratios": [0.7995] * 5}
    row = _c_a_row(perf._table(_result(cpu), 2))
    assert "| 79.95% (76.00%-84.00%) |" in row
    assert row.endswith("| **missed** |")


def test_the_prose_states_the_median_the_range_every_pair_and_the_verdict(perf: Any) -> None:
    text = perf._c_a_prose({"median": 0.7995, "min": 0.76, "max": 0.84, "n": 3, "ratios": [0.84, 0.7995, 0.76]})
    assert "median of the 3 pairs' own ratios: **0.7995** (range 0.7600-0.8400; pairs in order: 0.8400, 0.7995, 0.7600)" in text
    assert text.endswith("target is missed.")
