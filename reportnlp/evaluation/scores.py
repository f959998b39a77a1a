"""Score predicted report labels against gold labels written by others (pure: no spaCy, no files).

Inputs are flat label maps, report id -> {label name: value}, as ``reportnlp.evaluation.gold`` reads them:
status labels ("fracture", "degenerative.disc_bulge", ...) hold one of the four statuses, set labels
("lesion_pattern", "modalities") a set of values. A label missing from a report's gold is not scored
for that report. Metrics are one-vs-rest per status (or per set value), macro and micro averages, the
"present or possible vs the rest" view, confusion matrices, and percentile bootstrap confidence
intervals that resample reports (every label of a resampled report moves together).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from reportnlp.evaluation.bootstrap import confidence_interval, resample_counts
from reportnlp.evaluation.metrics import Metrics, binary_metrics, set_metrics, status_metrics
from reportnlp.records.labels import DEGENERATIVE_KEYS, LESION_PATTERNS, MODALITIES, SIMPLE_LABELS

EVALUATION_VERSION = "1.0"
STATUSES = ("present", "possible", "absent", "not_mentioned")
POSITIVE = frozenset({"present", "possible"})
ANY_DEGENERATIVE = "degenerative.any"


@dataclass(frozen=True)
class Label:
    """A scored label: its classes (statuses, or the values a set may hold)."""

    name: str
    classes: tuple[str, ...] = STATUSES
    is_set: bool = False
    positive: frozenset[str] = POSITIVE  # status labels: the positive side of the binary view


LABELS: tuple[Label, ...] = (
    *(Label(name) for name in SIMPLE_LABELS),
    Label("lesion_pattern", LESION_PATTERNS, is_set=True),
    *(Label(f"degenerative.{key}") for key in DEGENERATIVE_KEYS),
    Label(ANY_DEGENERATIVE),  # derived: the highest status of the nine (labels.md precedence)
    Label("modalities", MODALITIES, is_set=True),
)
LABELS_BY_NAME = {label.name: label for label in LABELS}


# ---------------------------------------------------------------------------------------------
# Per-label tallies


@dataclass
class Tally:
    """One label over the reports whose gold holds it: a one-hot row per report, summed to counts."""

    label: Label
    rows: list[int]  # indices into the scored ids
    onehot: np.ndarray  # (reports, cells)
    exact: np.ndarray  # (reports,) 1 where the report is entirely right

    def metrics(self, counts: np.ndarray, exact: np.ndarray, n: np.ndarray) -> dict[str, Any]:
        k = len(self.label.classes)
        if self.label.is_set:
            return set_metrics(counts.reshape(*counts.shape[:-1], k, 4), exact, n)
        positive = np.array([c in self.label.positive for c in self.label.classes])
        return status_metrics(counts.reshape(*counts.shape[:-1], k, k), positive)


def tally(label: Label, rows: list[int], pairs: list[tuple[Any, Any]]) -> Tally:
    k = len(label.classes)
    index = {c: i for i, c in enumerate(label.classes)}
    width = k * 4 if label.is_set else k * k
    onehot = np.zeros((len(pairs), width), dtype=np.int64)
    exact = np.zeros(len(pairs), dtype=np.int64)
    for r, (gold, pred) in enumerate(pairs):
        if label.is_set:
            for c, i in index.items():
                onehot[r, i * 4 + 2 * (c in gold) + (c in pred)] = 1
            exact[r] = set(gold) == set(pred)
        else:
            onehot[r, index[gold] * k + index[pred]] = 1
            exact[r] = gold == pred
    return Tally(label, rows, onehot, exact)


# ---------------------------------------------------------------------------------------------
# The evaluation


def evaluate(
    gold: Mapping[str, Mapping[str, Any]],
    predicted: Mapping[str, Mapping[str, Any]],
    *,
    failed: Sequence[str] = (),
    deciding: Mapping[str, Mapping[str, Any]] | None = None,
    labels: Sequence[Label] = LABELS,
    resamples: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
) -> dict[str, Any]:
    """The whole evaluation as a JSON-ready dict (shape versioned by ``EVALUATION_VERSION``).

    ``failed`` are ids whose record is an error (listed, not scored); ``deciding`` maps id -> label ->
    the mentions that decided the prediction (a list, or value -> list for set labels), shown with
    each disagreement.
    """
    failed_set = set(failed)
    ids = [i for i in gold if i in predicted]
    tallies = []
    for label in labels:
        rows = [r for r, i in enumerate(ids) if gold[i].get(label.name) is not None]
        pairs = [(gold[ids[r]][label.name], predicted[ids[r]][label.name]) for r in rows]
        if rows:
            tallies.append(tally(label, rows, pairs))
    point = [t.metrics(t.onehot.sum(0), t.exact.sum(), np.array(len(t.rows))) for t in tallies]
    boot = _bootstrap(tallies, len(ids), resamples, seed)
    ci = _interval_fn(boot, confidence)
    out_labels = {t.label.name: _label_report(t, point[j], lambda *p, j=j: ci(j, *p)) for j, t in enumerate(tallies)}
    return {
        "evaluation_version": EVALUATION_VERSION,
        "ids": {
            "scored": len(ids),
            "gold_only": [i for i in gold if i not in predicted and i not in failed_set],
            "records_only": [i for i in predicted if i not in gold],
            "failed_records": [i for i in failed if i in gold],
            "failed_records_not_in_gold": [i for i in failed if i not in gold],
        },
        "bootstrap": {
            "resamples": resamples,
            "seed": seed,
            "confidence": confidence,
            "method": "percentile; resamples reports with replacement",
        },
        "labels": out_labels,
        "overall": _overall(point, boot, confidence),
        "disagreements": _disagreements(gold, predicted, ids, tallies, deciding or {}),
    }


def _bootstrap(tallies: list[Tally], n_ids: int, resamples: int, seed: int) -> list[dict[str, Any]] | None:
    if resamples <= 0 or not tallies:
        return None
    counts = resample_counts(
        n_ids, resamples, seed, [(t.rows, np.column_stack([t.onehot, t.exact, np.ones_like(t.exact)])) for t in tallies]
    )
    return [t.metrics(c[:, :-2], c[:, -2], c[:, -1]) for t, c in zip(tallies, counts, strict=True)]


def _interval_fn(boot: list[dict[str, Any]] | None, confidence: float) -> Callable[..., list[float] | None]:
    def ci(j: int, *path: str | int) -> list[float] | None:
        if boot is None:
            return None
        value: Any = boot[j]
        for key in path:
            value = value[key] if isinstance(key, str) else value[..., key]
        return confidence_interval(value, confidence)

    return ci


def _num(x: Any) -> float | None:
    x = float(x)
    return None if np.isnan(x) else round(x, 4)


def _with_ci(metrics: Metrics, ci: Callable[..., list[float] | None], *path: str | int) -> dict[str, Any]:
    out = {}
    for key, value in metrics.items():
        v = _num(value)
        out[key] = {"value": v, "ci": ci(*path, key) if v is not None else None}
    return out


def _label_report(t: Tally, m: dict[str, Any], ci: Callable[..., list[float] | None]) -> dict[str, Any]:
    label, k = t.label, len(t.label.classes)
    counts = t.onehot.sum(0)
    report: dict[str, Any] = {"kind": "set" if label.is_set else "status", "n": len(t.rows), "classes": {}}
    cells = counts.reshape(k, 4) if label.is_set else None
    matrix = None if label.is_set else counts.reshape(k, k)
    for i, cls in enumerate(label.classes):
        per = {key: m["classes"][key][i] for key in m["classes"]}
        entry = _with_ci(per, lambda *p, i=i: ci("classes", p[0], i))
        if cells is not None:
            tn, fp, fn, tp = (int(x) for x in cells[i])
        else:
            assert matrix is not None
            tp = int(matrix[i, i])
            fp, fn = int(matrix[:, i].sum()) - tp, int(matrix[i].sum()) - tp
            tn = len(t.rows) - tp - fp - fn
        entry.update(support=tp + fn, predicted=tp + fp, tp=tp, fp=fp, fn=fn, tn=tn)
        report["classes"][cls] = entry
    report["macro"] = _with_ci(m["macro"], ci, "macro")
    report["micro"] = _with_ci(m["micro"], ci, "micro")
    key = "exact_match" if label.is_set else "accuracy"
    report[key] = _with_ci({"value": m["accuracy"]}, lambda *_: ci("accuracy"))["value"]
    if matrix is not None:
        positive = [c for c in label.classes if c in label.positive]
        pos = np.array([c in label.positive for c in label.classes])
        report["binary"] = {
            "positive": positive,
            **_with_ci(m["binary"], ci, "binary"),
            "tp": int(matrix[pos][:, pos].sum()),
            "fp": int(matrix[~pos][:, pos].sum()),
            "fn": int(matrix[pos][:, ~pos].sum()),
            "tn": int(matrix[~pos][:, ~pos].sum()),
        }
        report["confusion"] = {"classes": list(label.classes), "gold_by_predicted": matrix.tolist()}
    return report


def _overall(point: list[dict[str, Any]], boot: list[dict[str, Any]] | None, confidence: float) -> dict[str, Any]:
    """Macro: mean of the per-label macro averages. Micro: TP, FP, FN pooled over every label and class."""

    def combine(ms: list[dict[str, Any]]) -> dict[str, Metrics]:
        macro = {k: np.mean(np.stack([m["macro"][k] for m in ms]), axis=0) for k in ("precision", "recall", "f1")}
        tp, fp, fn = (sum(m["pooled"][i] for m in ms) for i in range(3))
        micro = {k: v for k, v in binary_metrics(tp, fp, fn, 0 * tp).items() if k != "specificity"}
        return {"macro": macro, "micro": micro}

    out: dict[str, Any] = {"labels": len(point), "macro": None, "micro": None}
    if not point:
        return out
    here = combine(point)
    there = combine(boot) if boot is not None else None
    for avg in ("macro", "micro"):
        out[avg] = {}
        for k, v in here[avg].items():
            value = _num(v)
            interval = confidence_interval(there[avg][k], confidence) if there and value is not None else None
            out[avg][k] = {"value": value, "ci": interval}
    return out


def _disagreements(
    gold: Mapping[str, Mapping[str, Any]],
    predicted: Mapping[str, Mapping[str, Any]],
    ids: list[str],
    tallies: list[Tally],
    deciding: Mapping[str, Mapping[str, Any]],
) -> list[dict[str, Any]]:
    out = []
    for t in tallies:
        name = t.label.name
        for r, ok in zip(t.rows, t.exact, strict=True):
            if ok:
                continue
            rid = ids[r]
            g, p = gold[rid][name], predicted[rid][name]
            why = deciding.get(rid, {}).get(name)
            if t.label.is_set:
                g, p = sorted(g, key=t.label.classes.index), sorted(p, key=t.label.classes.index)
                why = [m for v in p if v not in g for m in (why or {}).get(v, [])]
            out.append({"id": rid, "label": name, "gold": g, "predicted": p, "mentions": list(why or [])})
    return out
