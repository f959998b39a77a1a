"""Percentile bootstrap over reports: seeded, so the same inputs always give the same intervals.

Each resample draws as many reports as were scored, with replacement; a report drawn twice counts
twice for every label its gold holds. Counts are summed per resample from one-hot rows, so any
metric that is a function of counts can be recomputed for all resamples at once.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

CELLS_PER_CHUNK = 2_000_000  # resamples x reports held in memory at once


def resample_counts(
    n: int, resamples: int, seed: int, parts: Sequence[tuple[Sequence[int], np.ndarray]]
) -> list[np.ndarray]:
    """For each part (rows into the n reports, one-hot matrix rows x cells): counts (resamples, cells)."""
    rng = np.random.default_rng(seed)
    out = [np.zeros((resamples, m.shape[1]), dtype=np.int64) for _, m in parts]
    if n == 0:
        return out
    chunk = max(1, min(resamples, CELLS_PER_CHUNK // n))
    for start in range(0, resamples, chunk):
        size = min(chunk, resamples - start)
        drawn = rng.integers(0, n, size=(size, n))
        offsets = drawn + n * np.arange(size)[:, None]
        weights = np.bincount(offsets.ravel(), minlength=size * n).reshape(size, n)
        for (rows, matrix), counts in zip(parts, out, strict=True):
            counts[start : start + size] = weights[:, list(rows)] @ matrix
    return out


def confidence_interval(values: np.ndarray, confidence: float) -> list[float] | None:
    """[low, high] percentiles of the resampled values (resamples where a metric is undefined are left out)."""
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    if values.size == 0:
        return None
    tail = 100 * (1 - confidence) / 2
    low, high = np.percentile(values, [tail, 100 - tail])
    return [round(float(low), 4), round(float(high), 4)]
