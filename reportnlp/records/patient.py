"""Patient age and sex, when the report states them (rules in `patterns/patient.json`)."""

from __future__ import annotations

import re
from typing import Any

from reportnlp.nlp.rules import compile_regex
from reportnlp.nlp.safe_regex import SafeSet, UnsafeRegex

MAX_AGE = 120


class PatientFinder:
    def __init__(self, patient: dict[str, Any]) -> None:
        self.age = [(r["id"], compile_regex("patient.json", r["id"], r["regex"], re.I)) for r in patient["age_rules"]]
        self.sex = [
            (r["id"], r["sex"], compile_regex("patient.json", r["id"], r["regex"], 0 if r.get("case_sensitive") else re.I))
            for r in patient["sex_rules"]
        ]
        patterns = [rx for _, rx in self.age] + [rx for _, _, rx in self.sex]
        # Which rules match the text at all, asked together (RE2's multi-pattern set, one pass); None: ask each
        try:
            self._set: SafeSet | None = SafeSet(patterns)
        except UnsafeRegex:
            self._set = None

    def find(self, text: str) -> dict[str, Any]:
        """Age from the first rule that matches; sex from the earliest match of any sex rule.

        Only what decides is searched: an age rule's matches up to its first plausible age, a sex rule's
        first match (every match of every rule was collected before, and "he", "his", "her" recur through
        a note; tests/test_patient_prevalence.py compares with reading them all)."""
        out: dict[str, Any] = {"age": None, "sex": None, "evidence": {}}
        hits = self._set.matching(text) if self._set is not None else None
        for k, (rule_id, rx) in enumerate(self.age):
            if hits is not None and k not in hits:
                continue
            m = next((m for m in rx.finditer(text) if 0 < int(m.group("age")) <= MAX_AGE), None)
            if m:
                out["age"] = int(m.group("age"))
                out["evidence"]["age"] = _evidence(m, rule_id)
                break
        best: tuple[int, str, Any, str] | None = None
        for k, (rule_id, sex, rx) in enumerate(self.sex, start=len(self.age)):
            if hits is not None and k not in hits:
                continue
            m = rx.search(text)
            if m and (best is None or m.start() < best[0]):
                best = (m.start(), sex, m, rule_id)
        if best:
            out["sex"] = best[1]
            out["evidence"]["sex"] = _evidence(best[2], best[3])
        return out


def _evidence(m: re.Match[str], rule: str) -> dict[str, Any]:
    return {"text": m.group(0), "start": m.start(), "end": m.end(), "rule": rule}
