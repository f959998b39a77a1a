"""Patient age and sex, when the report states them (rules in `patterns/patient.json`)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from reportnlp.nlp.rules import compile_regex
from reportnlp.nlp.safe_regex import SafeSet, UnsafeRegex

MAX_AGE = 120
# How far back a match's own sentence is read for another person or a word that makes its age another's
LOOK_BACK = 80
# A sentence ends at its stop (not a decimal point's) or line; a label's colon ends what it names ("HX (from her
# boyfriend): This 31 y/o ...")
_SENTENCE_END = re.compile(r"[.!?\n:](?!\d)")
# Words that may stand between an age and the person it is of ("the patient's 16-year-old half brother")
_BEFORE_OTHER = r"[\s,]*(?:(?:maternal|paternal|older|younger|elder|half|step|twin|healthy|male|female)[\s-]*){0,2}"

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
_SEX_WORDS = {"m": "male", "male": "male", "f": "female", "female": "female"}


def age_value(text: str) -> int | None:
    """An age as written: digits ('072' is 72) or English words ('sixty-two', 'one hundred and two')."""
    if text.isdigit():
        return int(text)
    total = 0
    for word in re.split(r"[\s-]+", text.lower()):
        if word == "hundred":
            total = max(total, 1) * 100
        elif word in _NUMBER_WORDS:
            total += _NUMBER_WORDS[word]
        elif word not in ("a", "and"):
            return None
    return total or None


class PatientFinder:
    def __init__(self, patient: dict[str, Any]) -> None:
        def flags(rule: dict[str, Any]) -> int:
            return 0 if rule.get("case_sensitive") else re.I

        self.age = [(r["id"], compile_regex("patient.json", r["id"], r["regex"], flags(r))) for r in patient["age_rules"]]
        self.sex = [
            (r["id"], r["sex"], compile_regex("patient.json", r["id"], r["regex"], flags(r))) for r in patient["sex_rules"]
        ]
        # Optional (a rule file of before session 32 has none): what no age follows, and other people
        not_after, reporting = patient.get("age_not_after"), patient.get("reporting")
        self.age_not_after = compile_regex("patient.json", "age_not_after", not_after, re.I) if not_after else None
        self.others = [
            (o.get("sex"), compile_regex("patient.json", "others", o["regex"], re.I)) for o in patient.get("others", [])
        ]
        self.reporting = compile_regex("patient.json", "reporting", reporting, re.I) if reporting else None
        # an age right before another person ("her 16-year-old brother", "a 4-year-old son") is that person's; not
        # the patient told as one ("a 31-year-old mother of two")
        other_words = "|".join(o["regex"] for o in patient.get("others", []))
        self._other_next = (
            compile_regex("patient.json", "others", f"{_BEFORE_OTHER}(?:{other_words})(?P<veto>\\s+of\\b)?", re.I)
            if other_words else None
        )
        patterns = [rx for _, rx in self.age] + [rx for _, _, rx in self.sex] + [rx for _, rx in self.others]
        self._first_other = len(self.age) + len(self.sex)
        # Which rules match the text at all, asked together (RE2's multi-pattern set, one pass); None: ask each.
        # The same pass tells whether the text names another person at all: most reports name none, and then no
        # match's sentence is read for one.
        try:
            self._set: SafeSet | None = SafeSet(patterns)
        except UnsafeRegex:
            self._set = None

    def find(self, text: str) -> dict[str, Any]:
        """The earliest plausible age of any age rule; the earliest sex of any sex rule or age rule with a sex.

        Only what decides is searched: each matching rule's matches up to its first one that counts (every
        match of every rule was collected before, and "he", "his", "her" recur through a note;
        tests/test_patient_prevalence.py compares with reading them all). At one start the rule listed first
        wins."""
        out: dict[str, Any] = {"age": None, "sex": None, "evidence": {}}
        hits = self._set.matching(text) if self._set is not None else None
        others = hits is None or max(hits, default=-1) >= self._first_other
        age: tuple[int, int, Any, str, int] | None = None  # (start, rule order, match, rule id, age)
        sex: tuple[int, int, Any, str, str] | None = None  # (start, rule order, match, rule id, sex)
        for k, (rule_id, rx) in enumerate(self.age):
            if hits is not None and k not in hits:
                continue
            for m, value in self._ages(rx, text, others):
                if age is None or (m.start(), k) < age[:2]:
                    age = (m.start(), k, m, rule_id, value)
                word = _SEX_WORDS[m.group("sex").lower()] if "sex" in rx.groupindex and m.group("sex") else None
                if word and (sex is None or (m.start(), k) < sex[:2]) and not (
                    others and self._others_before(text, m.start(), word)
                ):
                    sex = (m.start(), k, m, rule_id, word)
                break
        for k, (rule_id, rule_sex, rx) in enumerate(self.sex, start=len(self.age)):
            if hits is not None and k not in hits:
                continue
            for m in rx.finditer(text):
                if sex is not None and (m.start(), k) > sex[:2]:
                    break
                if not (others and self._others_before(text, m.start(), rule_sex)):
                    sex = (m.start(), k, m, rule_id, rule_sex)
                    break
        if age:
            out["age"] = age[4]
            out["evidence"]["age"] = _evidence(age[2], age[3])
        if sex:
            out["sex"] = sex[4]
            out["evidence"]["sex"] = _evidence(sex[2], sex[3])
        return out

    def _ages(self, rx: Any, text: str, others: bool = True) -> Iterator[tuple[Any, int]]:
        """A rule's matches that state the patient's age now, with that age (lazily, in text order)."""
        for m in rx.finditer(text):
            value = age_value(m.group("age"))
            if value is None or not 0 < value <= MAX_AGE:
                continue
            start = m.start()
            # the whole text with bounds, never a slice: a rule regex keeps one text's encoding (safe_regex._encoded)
            if self.age_not_after is not None and self.age_not_after.search(text, max(0, start - LOOK_BACK), start):
                continue
            if others and (self._others_before(text, start, None) or self._other_after(text, m.end())):
                continue
            yield m, value

    def _other_after(self, text: str, end: int) -> bool:
        """Whether another person is named right after an age ("the patient's 16-year-old brother")."""
        return self._other_next is not None and self._other_next.match(text, end, end + LOOK_BACK) is not None

    def _others_before(self, text: str, start: int, sex: str | None) -> bool:
        """Whether the sentence before ``start`` names another person (of ``sex``, or anyone when None) whom no
        reporting word follows: "her husband, 70", "the patient's wife; she ..." but not "her daughter
        reports that she ..." (the patient)."""
        if not self.others:
            return False
        begin = _sentence_start(text, start)
        if begin >= start:
            return False
        for other_sex, rx in self.others:
            if sex is not None and other_sex is not None and other_sex != sex:
                continue
            ends = [m.end() for m in rx.finditer(text, begin, start)]  # the last mention of that person counts
            if ends and not (self.reporting is not None and self.reporting.search(text, ends[-1], start)):
                return True
        return False


def _sentence_start(text: str, start: int) -> int:
    """Where ``start``'s sentence begins, at most LOOK_BACK characters before it."""
    begin = max(0, start - LOOK_BACK)
    ends = [m.end() for m in _SENTENCE_END.finditer(text, begin, start)]
    return ends[-1] if ends else begin


def _evidence(m: re.Match[str], rule: str) -> dict[str, Any]:
    return {"text": m.group(0), "start": m.start(), "end": m.end(), "rule": rule}
