"""Patient age and sex, when the report states them (rules in `patterns/patient.json`)."""

from __future__ import annotations

import re
from typing import Any

from reportnlp.nlp.regex_scan import RegexScan
from reportnlp.nlp.rules import compile_regex

MAX_AGE = 120


class PatientFinder:
    def __init__(self, patient: dict[str, Any]) -> None:
        self.age = [(r["id"], compile_regex("patient.json", r["id"], r["regex"], re.I)) for r in patient["age_rules"]]
        self.sex = [
            (r["id"], r["sex"], compile_regex("patient.json", r["id"], r["regex"], 0 if r.get("case_sensitive") else re.I))
            for r in patient["sex_rules"]
        ]
        self.scan = RegexScan([rx for _, rx in self.age] + [rx for _, _, rx in self.sex])

    def find(self, text: str) -> dict[str, Any]:
        """Age from the first rule that matches; sex from the earliest match of any sex rule."""
        out: dict[str, Any] = {"age": None, "sex": None, "evidence": {}}
        found = self.scan.finditer_all(text)
        for (rule_id, _), matches in zip(self.age, found, strict=False):
            m = next((m for m in matches if 0 < int(m.group("age")) <= MAX_AGE), None)
            if m:
                out["age"] = int(m.group("age"))
                out["evidence"]["age"] = _evidence(m, rule_id)
                break
        best: tuple[int, str, re.Match[str], str] | None = None
        for (rule_id, sex, _), matches in zip(self.sex, found[len(self.age) :], strict=True):
            m = matches[0] if matches else None
            if m and (best is None or m.start() < best[0]):
                best = (m.start(), sex, m, rule_id)
        if best:
            out["sex"] = best[1]
            out["evidence"]["sex"] = _evidence(best[2], best[3])
        return out


def _evidence(m: re.Match[str], rule: str) -> dict[str, Any]:
    return {"text": m.group(0), "start": m.start(), "end": m.end(), "rule": rule}
