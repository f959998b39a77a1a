"""Patient rows -> the cohort's time to first bone metastasis and to first skeletal-related event.

Time runs from a patient's first report. A patient whose reports never show the event is censored at
their last report, so the cumulative incidence is 1 minus the Kaplan-Meier estimate (no competing
risks). Memory is flat: events and censorings are counted per day since the first report (a bounded
number of distinct values), and only the first ``LISTED`` patients are kept for the page's table.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Any

LISTED = 100
MAX_POINTS = 400
EVENTS = {"bone_metastasis": "first_bone_metastasis_present", "sre": "first_sre_date"}


def _days(start: str, end: str) -> int | None:
    try:
        return (date.fromisoformat(end) - date.fromisoformat(start)).days
    except ValueError:
        return None


class _Curve:
    def __init__(self) -> None:
        self.events: Counter[int] = Counter()
        self.censored: Counter[int] = Counter()
        self.at_first_report = 0

    def add(self, first: str, last: str, event: str | None) -> None:
        if event is not None:
            t = _days(first, event)
            if t is not None:
                self.events[t] += 1
                self.at_first_report += t == 0
                return
        t = _days(first, last)
        if t is not None:
            self.censored[t] += 1

    def to_dict(self) -> dict[str, Any]:
        at_risk = sum(self.events.values()) + sum(self.censored.values())
        survival, median, points = 1.0, None, [[0, 0.0]]
        for t in sorted(set(self.events) | set(self.censored)):
            d = self.events[t]
            if d and at_risk:
                survival *= 1 - d / at_risk
                points.append([t, round(100 * (1 - survival), 2)])
                if median is None and survival <= 0.5:
                    median = t
            at_risk -= d + self.censored[t]
        if len(points) > MAX_POINTS:  # keep the shape: every k-th step and the last
            k = -(-len(points) // MAX_POINTS)
            points = points[::k] + ([points[-1]] if (len(points) - 1) % k else [])
        last = max([*self.events, *self.censored], default=0)
        return {
            "patients_with_event": sum(self.events.values()),
            "at_first_report": self.at_first_report,
            "censored": sum(self.censored.values()),
            "median_days": median,
            "follow_up_days": last,
            "cumulative_percent": points,
        }


def patient_outcomes(rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """From ``reportnlp.tables.patients`` rows: counts, the two cumulative-incidence curves, the first patients."""
    curves = {name: _Curve() for name in EVENTS}
    patients = 0
    listed: list[dict[str, Any]] = []
    for row in rows:
        patients += 1
        for name, column in EVENTS.items():
            curves[name].add(row["first_date"], row["last_date"], row[column])
        if len(listed) < LISTED:
            listed.append({
                **{k: row[k] for k in ("patient_id", "reports", "first_date", "last_date", "first_bone_metastasis_present",
                                       "first_sre_date", "first_sre", "latest_change")},
                "days_to_bone_metastasis": _days(row["first_date"], row["first_bone_metastasis_present"])
                if row["first_bone_metastasis_present"] else None,
                "days_to_sre": _days(row["first_date"], row["first_sre_date"]) if row["first_sre_date"] else None,
            })
    return {"patients": patients, **{name: c.to_dict() for name, c in curves.items()}, "listed": listed}
