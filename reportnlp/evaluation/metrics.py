"""Precision, recall, F1 and specificity from confusion counts, vectorized over bootstrap resamples.

Every function takes count arrays whose leading axes are free (none for the point estimate, one for
the resamples) and returns arrays of the same leading shape, NaN where a metric is undefined (a zero
denominator).
"""

from __future__ import annotations

from typing import Any

import numpy as np

Metrics = dict[str, np.ndarray]


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    num, den = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    out = np.full(np.broadcast(num, den).shape, np.nan)
    np.divide(num, den, out=out, where=den > 0)
    return out


def binary_metrics(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray, tn: np.ndarray) -> Metrics:
    """Precision, recall, F1 (2TP / (2TP + FP + FN)), specificity; NaN where a denominator is 0."""
    return {
        "precision": _ratio(tp, tp + fp),
        "recall": _ratio(tp, tp + fn),
        "f1": _ratio(2 * tp, 2 * tp + fp + fn),
        "specificity": _ratio(tn, tn + fp),
    }


def _macro(per_class: Metrics, occurs: np.ndarray) -> Metrics:
    """Unweighted mean over the classes found in gold or prediction; an undefined P or R counts 0 there."""
    n = occurs.sum(-1)
    return {
        k: _ratio(np.where(occurs, np.nan_to_num(per_class[k]), 0.0).sum(-1), n)
        for k in ("precision", "recall", "f1")
    }


def status_metrics(matrix: np.ndarray, positive: np.ndarray) -> dict[str, Any]:
    """Metrics of one status label from confusion counts (..., K, K): rows gold, columns predicted."""
    tp = np.diagonal(matrix, axis1=-2, axis2=-1)
    support, predicted = matrix.sum(-1), matrix.sum(-2)
    n = matrix.sum((-2, -1))[..., None]
    fp, fn = predicted - tp, support - tp
    per_class = binary_metrics(tp, fp, fn, n - tp - fp - fn)
    accuracy = _ratio(tp.sum(-1), n[..., 0])
    btp = matrix[..., positive, :][..., :, positive].sum((-2, -1))
    bfp = matrix[..., ~positive, :][..., :, positive].sum((-2, -1))
    bfn = matrix[..., positive, :][..., :, ~positive].sum((-2, -1))
    btn = matrix[..., ~positive, :][..., :, ~positive].sum((-2, -1))
    return {
        "classes": per_class,
        "macro": _macro(per_class, support + predicted > 0),
        "micro": {"precision": accuracy, "recall": accuracy, "f1": accuracy},
        "accuracy": accuracy,
        "binary": binary_metrics(btp, bfp, bfn, btn),
        "pooled": (tp.sum(-1), (n[..., 0] - tp.sum(-1)), (n[..., 0] - tp.sum(-1))),
    }


def set_metrics(cells: np.ndarray, exact: np.ndarray, n: np.ndarray) -> dict[str, Any]:
    """Metrics of one set label from per-value counts (..., V, 4) ordered TN, FP, FN, TP."""
    tn, fp, fn, tp = (cells[..., i] for i in range(4))
    per_class = binary_metrics(tp, fp, fn, tn)
    ptp, pfp, pfn = tp.sum(-1), fp.sum(-1), fn.sum(-1)
    return {
        "classes": per_class,
        "macro": _macro(per_class, tp + fp + fn > 0),
        "micro": {k: v for k, v in binary_metrics(ptp, pfp, pfn, tn.sum(-1)).items() if k != "specificity"},
        "accuracy": _ratio(exact, n),
        "pooled": (ptp, pfp, pfn),
    }
