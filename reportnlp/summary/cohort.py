"""Records -> cohort summary: exact counts only, so memory is flat in the number of records.

Pure over the plain record dicts of ``extract`` (no spaCy). Each record is first reduced to its
:class:`Facts` (which may raise on a record of an unexpected shape: the caller counts it as
malformed and nothing of it is counted), then added to fixed-size counters. ``--by`` keeps one
set of counters per distinct group value, so memory grows with the number of groups only.
Counts are of reports, except ``mentions`` (counts of mentions). Shares are left to readers:
every count comes with the denominator it is a share of.
"""

from __future__ import annotations

import re
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from reportnlp.nlp.levels import INDEX
from reportnlp.records.caution import low_sensitivity_negative
from reportnlp.records.labels import DEGENERATIVE_KEYS, NOT_MENTIONED, SIMPLE_LABELS
from reportnlp.records.prevalence import PrevalenceTable
from reportnlp.records.stream import Line
from reportnlp.version import __version__

SUMMARY_SCHEMA_VERSION = "1.0"
STATUSES = ("present", "possible", "absent", NOT_MENTIONED)
AFFIRMED = ("present", "possible")
LABEL_KEYS = (*SIMPLE_LABELS, *(f"degenerative.{k}" for k in DEGENERATIVE_KEYS))
PATTERNS = ("lytic", "blastic", "mixed")
ASSERTIONS = ("present", "possible", "absent", "historical", "hypothetical", "family")
NONE, MISSING, ERROR = "(none)", "(missing)", "(error)"
NO_SITE = "(site not stated)"
SPINE_PARTS = {"cervical spine", "thoracic spine", "lumbar spine", "sacrum"}
MAX_MALFORMED_EXAMPLES = 20
_LEVEL = re.compile(r"^([CTLS][0-9]{1,2})(?:-([CTLS][0-9]{1,2}))?$")


def level_order(level: str) -> tuple[float, str]:
    """Spine order: C1 < C1-C2 < C2 < ... < L5-S1 < S1; unknown names last."""
    m = _LEVEL.match(level)
    if not m or m.group(1) not in INDEX:
        return (1e9, level)
    return (INDEX[m.group(1)] + (0.5 if m.group(2) else 0.0), level)


@dataclass
class Facts:
    """What one record adds to the counters (computed in full before anything is counted)."""

    ok: bool
    error_type: str | None = None
    statuses: dict[str, str] = field(default_factory=dict)
    patterns: list[str] = field(default_factory=list)
    modalities: list[str] = field(default_factory=list)
    met_sites: set[str] = field(default_factory=set)
    met_levels: set[str] = field(default_factory=set)
    degen_levels: dict[str, set[str]] = field(default_factory=dict)
    mentions: Counter[tuple[str, str]] = field(default_factory=Counter)
    age: int | None = None
    low_sensitivity_negative: bool = False
    text_hash: int | None = None  # the first 64 bits of the record's text_sha256


def text_hash(record: dict[str, Any]) -> int | None:
    """The first 64 bits of ``text_sha256`` (None for records without one): 8 bytes a record keep the
    count of distinct texts exact at any size (a chance collision is 1 in 10^7 at a million texts)."""
    value = record.get("text_sha256")
    if not isinstance(value, str) or len(value) != 64:
        return None
    try:
        return int(value[:16], 16)
    except ValueError:
        return None


def _str(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{what} is not a string")
    return value


def _status(value: Any, what: str) -> str:
    if value not in STATUSES:
        raise ValueError(f"{what} is not a known status")
    return value


def _age(patient: Any) -> int | None:
    age = patient.get("age") if isinstance(patient, dict) else None
    if isinstance(age, bool) or not isinstance(age, int | float) or not 0 <= age <= 130 or age != int(age):
        return None
    return int(age)


def _levels(location: dict[str, Any], split_discs: bool) -> Iterable[str]:
    for level in location.get("levels") or []:
        m = _LEVEL.match(level) if isinstance(level, str) else None
        if m and split_discs:
            yield from filter(None, m.groups())
        elif m:
            yield level


def _sites(location: dict[str, Any]) -> set[str]:
    if location.get("kind") == "level" and isinstance(location.get("region"), str):
        return {location["region"]}
    value = location.get("value")
    if location.get("kind") == "bone" and isinstance(value, str) and value != "bone":
        return {value}
    return set()


def record_facts(record: dict[str, Any]) -> Facts:
    """Reduce one record to what the summary counts; ValueError/TypeError/KeyError on a bad shape."""
    if record["status"] != "ok":
        error = record.get("error")
        return Facts(ok=False, error_type=str(error.get("type")) if isinstance(error, dict) else "unknown")
    labels = record["labels"]
    facts = Facts(ok=True, age=_age(record.get("patient")), text_hash=text_hash(record))
    for label in SIMPLE_LABELS:
        facts.statuses[label] = _status(labels[label], label)
    for key in DEGENERATIVE_KEYS:
        facts.statuses[f"degenerative.{key}"] = _status(labels["degenerative"][key], key)
    facts.patterns = sorted({_str(p, "lesion_pattern") for p in labels.get("lesion_pattern") or []})
    facts.modalities = sorted({_str(m, "modality") for m in labels.get("modalities") or []})
    flag = labels.get("low_sensitivity_negative")  # records before the field: decided the same way here
    facts.low_sensitivity_negative = flag if isinstance(flag, bool) else low_sensitivity_negative(labels)
    for m in record.get("mentions") or ():
        key = (m["category"], m["assertion"])
        if type(key[0]) is not str or type(key[1]) is not str:
            raise ValueError("mention category or assertion is not a string")
        facts.mentions[key] += 1
        for label, status in (m.get("contributes") or {}).items():
            if status not in AFFIRMED:
                continue  # absent mentions and modality contributions place nothing
            locations = [loc for loc in m.get("locations") or () if isinstance(loc, dict)]
            if label == "bone_metastasis":
                for loc in locations:
                    facts.met_sites |= _sites(loc)
                    facts.met_levels.update(_levels(loc, split_discs=True))
            elif label.startswith("degenerative."):
                levels = facts.degen_levels.setdefault(label.split(".", 1)[1], set())
                for loc in locations:
                    levels.update(_levels(loc, split_discs=False))
    if facts.statuses["bone_metastasis"] in AFFIRMED:
        if facts.met_sites & SPINE_PARTS:
            facts.met_sites.discard("spine")  # "spine" alone only when no part of it is named
        facts.met_sites = facts.met_sites or {NO_SITE}
    return facts


def group_values(record: dict[str, Any], by: str) -> list[str]:
    """The group(s) a record belongs to under ``--by``: modality and lesion_pattern may give several."""
    labels = record.get("labels") if isinstance(record.get("labels"), dict) else None
    key = by.removeprefix("labels.")
    if key in ("modality", "modalities", "lesion_pattern"):
        if labels is None:
            return [ERROR]
        values = labels.get("modalities" if key != "lesion_pattern" else "lesion_pattern") or []
        return sorted({str(v) for v in values}) or [NONE]
    if key in DEGENERATIVE_KEYS:
        key = f"degenerative.{key}"
    if key in LABEL_KEYS:
        if labels is None:
            return [ERROR]
        value = labels.get(key) if "." not in key else (labels.get("degenerative") or {}).get(key.split(".")[1])
        return [str(value)]
    fields = record.get("fields")
    if isinstance(fields, dict) and by in fields:
        return [str(fields[by])]
    value: Any = record
    for part in by.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return [MISSING if value is None or isinstance(value, dict | list) else str(value)]


def _by_count(counter: Counter[str]) -> dict[str, int]:
    return {k: counter[k] for k in sorted(counter, key=lambda k: (-counter[k], k))}


def _by_level(counter: Counter[str]) -> dict[str, int]:
    return {k: counter[k] for k in sorted(counter, key=level_order)}


class GroupSummary:
    """Fixed-size counters for one group of reports (or the whole cohort)."""

    def __init__(self) -> None:
        self.ok = 0
        self.errors: Counter[str] = Counter()
        self.statuses = {label: Counter[str]() for label in LABEL_KEYS}
        self.patterns: Counter[str] = Counter()
        self.modalities: Counter[str] = Counter()
        self.met_reports = 0
        self.met_sites: Counter[str] = Counter()
        self.met_levels: Counter[str] = Counter()
        self.degen_levels: dict[str, Counter[str]] = {"any": Counter(), **{k: Counter() for k in DEGENERATIVE_KEYS}}
        self.mentions: Counter[tuple[str, str]] = Counter()
        self.ages: Counter[int] = Counter()
        self.present: Counter[str] = Counter()
        self.present_with_age: Counter[str] = Counter()
        self.low_sensitivity_negative = 0
        self.hashes = array("Q")  # text hashes of the ok records that have one

    def add(self, f: Facts) -> None:
        if not f.ok:
            self.errors[f.error_type or "unknown"] += 1
            return
        self.ok += 1
        if f.text_hash is not None:
            self.hashes.append(f.text_hash)
        for label, status in f.statuses.items():
            self.statuses[label][status] += 1
        self.patterns.update(f.patterns or [NONE])
        self.modalities.update(f.modalities or [NONE])
        self.low_sensitivity_negative += f.low_sensitivity_negative
        if f.statuses["bone_metastasis"] in AFFIRMED:
            self.met_reports += 1
            self.met_sites.update(f.met_sites)
            self.met_levels.update(f.met_levels)
        for key, levels in f.degen_levels.items():
            self.degen_levels.setdefault(key, Counter()).update(levels)
        self.degen_levels["any"].update(set().union(*f.degen_levels.values()) if f.degen_levels else ())
        self.mentions.update(f.mentions)
        if f.age is not None:
            self.ages[f.age] += 1
        for key in DEGENERATIVE_KEYS:
            if f.statuses[f"degenerative.{key}"] == "present":
                self.present[key] += 1
                if f.age is not None:
                    self.present_with_age[key] += 1

    def to_dict(self, table: PrevalenceTable) -> dict[str, Any]:
        errors = sum(self.errors.values())
        categories = sorted({c for c, _ in self.mentions})
        by_category = {c: {a: self.mentions[(c, a)] for a in _assertions(self.mentions, c)} for c in categories}
        with_age = sum(self.ages.values())
        distinct = len(_unique(self.hashes))
        return {
            "reports": {
                "processed": self.ok + errors, "ok": self.ok, "error": errors, "error_types": _by_count(self.errors),
                "with_text_hash": len(self.hashes), "distinct_texts": distinct, "repeated_texts": len(self.hashes) - distinct,
            },
            "labels": {label: {s: self.statuses[label][s] for s in STATUSES} for label in LABEL_KEYS},
            "lesion_pattern": {p: self.patterns[p] for p in (*PATTERNS, NONE)}
            | {p: n for p, n in _by_count(self.patterns).items() if p not in (*PATTERNS, NONE)},
            "metastasis": {
                "reports": self.met_reports,
                "sites": _by_count(self.met_sites),
                "levels": _by_level(self.met_levels),
            },
            "degenerative_levels": {k: _by_level(c) for k, c in self.degen_levels.items()},
            "modalities": _by_count(self.modalities),
            "low_sensitivity_negative": self.low_sensitivity_negative,
            "mentions": {
                "total": sum(self.mentions.values()),
                "by_assertion": {a: sum(n for (_, x), n in self.mentions.items() if x == a) for a in ASSERTIONS},
                "by_category": by_category,
            },
            "prevalence": {
                "reports_with_age": with_age,
                "reports_without_age": self.ok - with_age,
                "ages": {str(age): self.ages[age] for age in sorted(self.ages)},
                "findings": {key: self._prevalence(key, table, with_age) for key in DEGENERATIVE_KEYS},
            },
        }

    def _prevalence(self, key: str, table: PrevalenceTable, with_age: int) -> dict[str, Any]:
        row_id = table.row_id(key, None)
        row = table.rows.get(row_id) if row_id else None
        expected = None
        if row_id and row and row.get("by_age") and with_age:
            total = sum(n * (table.at_age(row_id, age) or 0.0) for age, n in self.ages.items())
            expected = round(total / with_age, 1)
        return {
            "present": self.present[key],
            "present_with_age": self.present_with_age[key],
            "reference": row_id,
            "reference_finding": row["finding"] if row else None,
            "expected_percent": expected,
            "range_percent": _range(row),
        }


def _unique(hashes: array) -> Any:
    import numpy as np

    return np.unique(np.frombuffer(hashes, dtype=np.uint64))


def _range(row: dict[str, Any] | None) -> list[float] | None:
    """All-ages range, as records give it: the row's own range, else its lowest and highest by-age value."""
    if row is None:
        return None
    if "range" in row:
        return list(row["range"])
    return [min(row["by_age"]), max(row["by_age"])] if row.get("by_age") else None


def _assertions(mentions: Counter[tuple[str, str]], category: str) -> list[str]:
    seen = {a for c, a in mentions if c == category}
    return [a for a in ASSERTIONS if a in seen] + sorted(seen - set(ASSERTIONS))


class CohortSummary:
    """Feed input lines in with :meth:`add`; :meth:`to_dict` gives the summary."""

    def __init__(
        self, prevalence: dict[str, Any], by: str | None = None, inputs: list[str] | None = None, dedupe: bool = False
    ) -> None:
        """``dedupe``: count a record whose text repeats an earlier record's text (same ``text_sha256``) only
        once (memory then grows by a set entry per distinct text)."""
        self.dedupe = dedupe
        self.seen: set[int] = set()
        self.skipped_repeats = 0
        self.table = PrevalenceTable(prevalence)
        self.by = by
        self.inputs = list(inputs or [])
        self.overall = GroupSummary()
        self.groups: dict[str, GroupSummary] = {}
        self.lines = 0
        self.malformed = 0
        self.malformed_examples: list[Line] = []

    def add(self, item: Line) -> Line | None:
        """Count one line; returns it, with its reason set, when it is malformed."""
        self.lines += 1
        if item.record is not None:
            try:
                facts = record_facts(item.record)
                groups = group_values(item.record, self.by) if self.by else []
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                detail = str(exc) if isinstance(exc, ValueError) else f"{type(exc).__name__}"
                item = Line(item.file, item.line, None, f"record of unexpected shape ({detail})")
            else:
                if self.dedupe and facts.text_hash is not None:
                    if facts.text_hash in self.seen:
                        self.skipped_repeats += 1
                        return None
                    self.seen.add(facts.text_hash)
                self.overall.add(facts)
                for value in groups:
                    self.groups.setdefault(value, GroupSummary()).add(facts)
                return None
        self.malformed += 1
        if len(self.malformed_examples) < MAX_MALFORMED_EXAMPLES:
            self.malformed_examples.append(item)
        return item

    def to_dict(self) -> dict[str, Any]:
        return {
            "summary_schema_version": SUMMARY_SCHEMA_VERSION,
            "reportnlp_version": __version__,
            "inputs": self.inputs,
            "lines": {"records": self.lines - self.malformed, "malformed": self.malformed},
            "dedupe": {"on": self.dedupe, "skipped_repeats": self.skipped_repeats},
            "malformed_examples": [{"file": m.file, "line": m.line, "reason": m.reason} for m in self.malformed_examples],
            "by": self.by,
            "overall": self.overall.to_dict(self.table),
            "groups": [
                {"value": value, **self.groups[value].to_dict(self.table)}
                for value in sorted(self.groups, key=_group_order)
            ],
        }


def _group_order(value: str) -> tuple[int, str]:
    return (STATUSES.index(value), value) if value in STATUSES else (len(STATUSES), value)


def summarize(records: Iterable[dict[str, Any] | Line], prevalence: dict[str, Any], by: str | None = None) -> dict[str, Any]:
    """One-call form for the API and tests: the summary of records (dicts) or input lines."""
    summary = CohortSummary(prevalence, by)
    for i, item in enumerate(records, start=1):
        summary.add(item if isinstance(item, Line) else Line("", i, item))
    return summary.to_dict()
