"""How common a degenerative finding is in people without symptoms, at the patient's age."""

from __future__ import annotations

from typing import Any


class PrevalenceTable:
    def __init__(self, prevalence: dict[str, Any]) -> None:
        self.ages: list[float] = prevalence["ages"]
        self.rows = {row["id"]: row for row in prevalence["findings"]}
        self.by_key: dict[str, str | None] = prevalence["by_degenerative_key"]

    def row_id(self, degenerative_key: str, rule_meta: dict[str, Any] | None) -> str | None:
        specific = (rule_meta or {}).get("prevalence")
        return specific if specific in self.rows else self.by_key.get(degenerative_key)

    def at_age(self, row_id: str, age: float | None) -> float | None:
        """Linear between the tabulated ages, the nearest end outside them; None when unknown."""
        by_age = self.rows[row_id].get("by_age")
        if by_age is None or age is None:
            return None
        ages = self.ages
        if age <= ages[0]:
            return float(by_age[0])
        if age >= ages[-1]:
            return float(by_age[-1])
        for (a0, v0), (a1, v1) in zip(zip(ages, by_age, strict=True), zip(ages[1:], by_age[1:], strict=True), strict=True):
            if a0 <= age <= a1:
                return round(v0 + (v1 - v0) * (age - a0) / (a1 - a0), 1)
        return None  # unreachable: ages are sorted

    def describe(self, degenerative_key: str, rule_meta: dict[str, Any] | None, age: int | None) -> dict[str, Any] | None:
        row_id = self.row_id(degenerative_key, rule_meta)
        if row_id is None:
            return None
        row = self.rows[row_id]
        by_age = row.get("by_age")
        low, high = row["range"] if "range" in row else (min(by_age), max(by_age))
        return {
            "finding": row["finding"],
            "table": row_id,
            "age": age,
            "percent_at_age": self.at_age(row_id, age),
            "range_percent": [low, high],
            "range_ages": [self.ages[0], self.ages[-1]] if by_age else None,
            "source": row["source"],
        }
