"""reportnlp.evaluation.scores: metrics on small hand-made gold/prediction pairs, computed by hand below.

Each expected number is worked out in the comment above it from the counts of the example, not by
running the code.
"""

from __future__ import annotations

from typing import Any

import pytest

from reportnlp.evaluation.scores import LABELS_BY_NAME, evaluate

FRACTURE = [LABELS_BY_NAME["fracture"]]
MODALITIES = [LABELS_BY_NAME["modalities"]]


def fracture_case(pred_r6: str = "not_mentioned") -> tuple[dict[str, Any], dict[str, Any]]:
    gold = ["present", "present", "present", "absent", "absent", "not_mentioned"]
    pred = ["present", "present", "absent", "absent", "present", pred_r6]
    return (
        {f"r{i}": {"fracture": g} for i, g in enumerate(gold, 1)},
        {f"r{i}": {"fracture": p} for i, p in enumerate(pred, 1)},
    )


def value(metric: dict[str, Any]) -> float | None:
    return metric["value"]


def test_status_label_scores_each_status_one_vs_rest() -> None:
    gold, pred = fracture_case()
    rep = evaluate(gold, pred, labels=FRACTURE, resamples=0)["labels"]["fracture"]
    present = rep["classes"]["present"]
    # present: TP r1 r2, FP r5, FN r3, TN r4 r6 -> P 2/3, R 2/3, F1 2*2/(2*2+1+1) = 2/3, specificity 2/3
    assert (present["tp"], present["fp"], present["fn"], present["tn"]) == (2, 1, 1, 2)
    assert value(present["precision"]) == pytest.approx(2 / 3, abs=1e-4)
    assert value(present["recall"]) == pytest.approx(2 / 3, abs=1e-4)
    assert value(present["f1"]) == pytest.approx(2 / 3, abs=1e-4)
    assert value(present["specificity"]) == pytest.approx(2 / 3, abs=1e-4)
    assert (present["support"], present["predicted"]) == (3, 3)
    absent = rep["classes"]["absent"]
    # absent: TP r4, FP r3, FN r5, TN r1 r2 r6 -> P 1/2, R 1/2, F1 1/2, specificity 3/4
    assert (absent["tp"], absent["fp"], absent["fn"], absent["tn"]) == (1, 1, 1, 3)
    assert value(absent["f1"]) == pytest.approx(0.5)
    assert value(absent["specificity"]) == pytest.approx(0.75)
    # not_mentioned: r6 only, right -> all 1
    assert value(rep["classes"]["not_mentioned"]["f1"]) == 1.0


def test_status_never_in_gold_or_prediction_is_undefined_and_left_out_of_macro() -> None:
    gold, pred = fracture_case()
    rep = evaluate(gold, pred, labels=FRACTURE, resamples=0)["labels"]["fracture"]
    possible = rep["classes"]["possible"]
    assert possible["support"] == possible["predicted"] == 0
    assert value(possible["precision"]) is None and value(possible["f1"]) is None
    # macro over present, absent, not_mentioned: (2/3 + 1/2 + 1) / 3 = 0.7222
    for key in ("precision", "recall", "f1"):
        assert value(rep["macro"][key]) == pytest.approx(0.7222, abs=1e-4)


def test_micro_average_of_a_status_label_is_its_accuracy() -> None:
    gold, pred = fracture_case()
    rep = evaluate(gold, pred, labels=FRACTURE, resamples=0)["labels"]["fracture"]
    # 4 of 6 reports right (r1 r2 r4 r6)
    assert value(rep["accuracy"]) == pytest.approx(4 / 6, abs=1e-4)
    for key in ("precision", "recall", "f1"):
        assert value(rep["micro"][key]) == pytest.approx(4 / 6, abs=1e-4)


def test_macro_counts_an_undefined_precision_or_recall_as_zero() -> None:
    gold, pred = fracture_case(pred_r6="possible")
    rep = evaluate(gold, pred, labels=FRACTURE, resamples=0)["labels"]["fracture"]
    # possible: TP 0, FP r6 -> P 0, R undefined, F1 0; not_mentioned: FN r6 -> P undefined, R 0, F1 0
    assert value(rep["classes"]["possible"]["precision"]) == 0.0
    assert value(rep["classes"]["possible"]["recall"]) is None
    assert value(rep["classes"]["not_mentioned"]["recall"]) == 0.0
    # all four statuses occur: P = (2/3 + 0 + 1/2 + 0) / 4 = 0.2917, same for R and F1
    for key in ("precision", "recall", "f1"):
        assert value(rep["macro"][key]) == pytest.approx(0.2917, abs=1e-4)


def test_binary_view_puts_present_and_possible_against_the_rest() -> None:
    gold, pred = fracture_case(pred_r6="possible")
    binary = evaluate(gold, pred, labels=FRACTURE, resamples=0)["labels"]["fracture"]["binary"]
    # gold positive r1 r2 r3; predicted positive r1 r2 r5 r6 -> TP 2, FP 2, FN 1, TN 1 (r4)
    assert binary["positive"] == ["present", "possible"]
    assert (binary["tp"], binary["fp"], binary["fn"], binary["tn"]) == (2, 2, 1, 1)
    assert value(binary["precision"]) == pytest.approx(0.5)
    assert value(binary["recall"]) == pytest.approx(2 / 3, abs=1e-4)
    assert value(binary["f1"]) == pytest.approx(4 / 7, abs=1e-4)  # 2*2 / (2*2 + 2 + 1)
    assert value(binary["specificity"]) == pytest.approx(1 / 3, abs=1e-4)  # TN 1 / (TN 1 + FP 2)


def test_confusion_matrix_rows_are_gold_and_columns_predicted() -> None:
    gold, pred = fracture_case(pred_r6="possible")
    confusion = evaluate(gold, pred, labels=FRACTURE, resamples=0)["labels"]["fracture"]["confusion"]
    assert confusion["classes"] == ["present", "possible", "absent", "not_mentioned"]
    assert confusion["gold_by_predicted"] == [
        [2, 0, 1, 0],  # gold present: r1 r2 right, r3 called absent
        [0, 0, 0, 0],
        [1, 0, 1, 0],  # gold absent: r5 called present, r4 right
        [0, 1, 0, 0],  # gold not_mentioned: r6 called possible
    ]


def modality_case() -> tuple[dict[str, Any], dict[str, Any]]:
    gold = [{"CT"}, {"MRI"}, {"CT", "MRI"}, set()]
    pred = [{"CT"}, {"CT"}, {"CT"}, {"XR"}]
    return (
        {f"r{i}": {"modalities": frozenset(g)} for i, g in enumerate(gold, 1)},
        {f"r{i}": {"modalities": frozenset(p)} for i, p in enumerate(pred, 1)},
    )


def test_set_label_scores_each_value_as_its_own_yes_or_no() -> None:
    gold, pred = modality_case()
    rep = evaluate(gold, pred, labels=MODALITIES, resamples=0)["labels"]["modalities"]
    ct, mri, xr = (rep["classes"][v] for v in ("CT", "MRI", "XR"))
    # CT: TP r1 r3, FP r2, TN r4 -> P 2/3, R 1, F1 2*2/(2*2+1) = 0.8, specificity 1/2
    assert (ct["tp"], ct["fp"], ct["fn"], ct["tn"]) == (2, 1, 0, 1)
    assert value(ct["precision"]) == pytest.approx(2 / 3, abs=1e-4)
    assert value(ct["recall"]) == 1.0
    assert value(ct["f1"]) == pytest.approx(0.8)
    assert value(ct["specificity"]) == pytest.approx(0.5)
    # MRI: FN r2 r3 -> P undefined, R 0; XR: FP r4 -> P 0, R undefined
    assert value(mri["precision"]) is None and value(mri["recall"]) == 0.0
    assert value(xr["precision"]) == 0.0 and value(xr["recall"]) is None
    assert rep["classes"]["PET"]["support"] == rep["classes"]["PET"]["predicted"] == 0


def test_set_label_averages_and_exact_match() -> None:
    gold, pred = modality_case()
    rep = evaluate(gold, pred, labels=MODALITIES, resamples=0)["labels"]["modalities"]
    # macro over CT, MRI, XR: P (2/3 + 0 + 0)/3 = 0.2222, R (1 + 0 + 0)/3 = 0.3333, F1 0.8/3 = 0.2667
    assert value(rep["macro"]["precision"]) == pytest.approx(0.2222, abs=1e-4)
    assert value(rep["macro"]["recall"]) == pytest.approx(0.3333, abs=1e-4)
    assert value(rep["macro"]["f1"]) == pytest.approx(0.2667, abs=1e-4)
    # micro: TP 2, FP 2 (CT r2, XR r4), FN 2 (MRI r2 r3) -> 0.5 each
    for key in ("precision", "recall", "f1"):
        assert value(rep["micro"][key]) == pytest.approx(0.5)
    # only r1 has exactly the gold set
    assert value(rep["exact_match"]) == pytest.approx(0.25)


def test_overall_macro_averages_labels_and_micro_pools_counts() -> None:
    gold, pred = fracture_case()
    mgold, mpred = modality_case()
    for rid in mgold:
        gold[rid] |= mgold[rid]
        pred[rid] |= mpred[rid]
    labels = FRACTURE + MODALITIES
    overall = evaluate(gold, pred, labels=labels, resamples=0)["overall"]
    # macro F1: (0.7222 + 0.2667) / 2 = 0.4944
    assert value(overall["macro"]["f1"]) == pytest.approx(0.4944, abs=1e-3)
    # micro: fracture TP 4 FP 2 FN 2 (accuracy 4/6) + modalities TP 2 FP 2 FN 2 -> 6 / 10
    assert value(overall["micro"]["precision"]) == pytest.approx(0.6)
    assert value(overall["micro"]["recall"]) == pytest.approx(0.6)


def test_a_label_missing_from_a_reports_gold_is_not_scored() -> None:
    gold, pred = fracture_case()
    del gold["r5"]["fracture"]  # the one false positive for present
    rep = evaluate(gold, pred, labels=FRACTURE, resamples=0)["labels"]["fracture"]
    assert rep["n"] == 5
    assert rep["classes"]["present"]["fp"] == 0
    assert value(rep["classes"]["present"]["precision"]) == 1.0


def test_ids_in_one_file_only_are_counted_and_listed() -> None:
    gold = {"a": {"fracture": "present"}, "b": {"fracture": "absent"}, "c": {"fracture": "absent"}}
    pred = {"a": {"fracture": "present"}, "z": {"fracture": "absent"}}
    result = evaluate(gold, pred, labels=FRACTURE, failed=["c", "y"], resamples=0)
    assert result["ids"] == {
        "scored": 1,
        "gold_only": ["b"],
        "records_only": ["z"],
        "failed_records": ["c"],
        "failed_records_not_in_gold": ["y"],
    }
    assert result["labels"]["fracture"]["n"] == 1


def test_no_overlap_scores_nothing_without_failing() -> None:
    result = evaluate({"a": {"fracture": "present"}}, {"b": {"fracture": "present"}}, labels=FRACTURE)
    assert result["labels"] == {}
    assert result["overall"]["macro"] is None


def test_disagreements_carry_gold_predicted_and_deciding_mentions() -> None:
    gold, pred = modality_case()
    gold["r1"]["fracture"], pred["r1"]["fracture"] = "present", "absent"
    mention = {"id": 3, "text": "fracture", "assertion": "absent", "section": "findings", "cue": "no"}
    deciding = {"r1": {"fracture": [mention]}, "r4": {"modalities": {"XR": [mention | {"text": "radiograph"}]}}}
    result = evaluate(gold, pred, labels=FRACTURE + MODALITIES, deciding=deciding, resamples=0)
    rows = {(d["id"], d["label"]): d for d in result["disagreements"]}
    assert set(rows) == {("r1", "fracture"), ("r2", "modalities"), ("r3", "modalities"), ("r4", "modalities")}
    assert rows["r1", "fracture"] == {
        "id": "r1", "label": "fracture", "gold": "present", "predicted": "absent", "mentions": [mention]
    }
    assert rows["r4", "modalities"]["gold"] == [] and rows["r4", "modalities"]["predicted"] == ["XR"]
    assert [m["text"] for m in rows["r4", "modalities"]["mentions"]] == ["radiograph"]


# ---------------------------------------------------------------------------------------------
# Bootstrap intervals


def bigger_case() -> tuple[dict[str, Any], dict[str, Any]]:
    gold, pred = {}, {}
    statuses = ["present", "absent", "not_mentioned", "possible"]
    for i in range(60):
        g = statuses[i % 4]
        p = g if i % 7 else statuses[(i + 1) % 4]  # every 7th report wrong
        gold[f"r{i}"], pred[f"r{i}"] = {"fracture": g}, {"fracture": p}
    return gold, pred


def intervals(result: dict[str, Any]) -> list[tuple[float | None, list[float] | None]]:
    rep = result["labels"]["fracture"]
    metrics = [m for c in rep["classes"].values() for k, m in c.items() if isinstance(m, dict)]
    metrics += list(rep["macro"].values()) + list(rep["binary"].values())[1:5] + [rep["accuracy"]]
    return [(m["value"], m["ci"]) for m in metrics]


def test_bootstrap_intervals_are_the_same_for_the_same_seed() -> None:
    gold, pred = bigger_case()
    first = evaluate(gold, pred, labels=FRACTURE, resamples=200, seed=7)
    assert evaluate(gold, pred, labels=FRACTURE, resamples=200, seed=7) == first
    assert intervals(evaluate(gold, pred, labels=FRACTURE, resamples=200, seed=8)) != intervals(first)


def test_bootstrap_intervals_bracket_the_point_estimate() -> None:
    gold, pred = bigger_case()
    result = evaluate(gold, pred, labels=FRACTURE, resamples=500, seed=0)
    checked = 0
    for point, ci in intervals(result):
        if point is None:
            assert ci is None
            continue
        assert ci is not None and ci[0] <= point <= ci[1]
        checked += 1
    assert checked > 20
    assert result["bootstrap"]["resamples"] == 500 and result["bootstrap"]["seed"] == 0


def test_interval_of_a_perfect_score_is_a_point_and_of_an_imperfect_one_is_wider() -> None:
    gold, pred = bigger_case()
    rep = evaluate(gold, pred, labels=FRACTURE, resamples=300)["labels"]["fracture"]
    acc = rep["accuracy"]
    assert acc["ci"][0] < acc["value"] < acc["ci"][1]
    perfect = evaluate(gold, gold, labels=FRACTURE, resamples=300)["labels"]["fracture"]["accuracy"]
    assert perfect == {"value": 1.0, "ci": [1.0, 1.0]}


def test_zero_resamples_gives_no_intervals() -> None:
    gold, pred = bigger_case()
    result = evaluate(gold, pred, labels=FRACTURE, resamples=0)
    assert all(ci is None for _, ci in intervals(result))
