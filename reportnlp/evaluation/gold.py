"""Read gold labels (JSON Lines or CSV) and extract records into the flat label maps evaluate scores.

Flat names: ``fracture``, ``degenerative.disc_bulge``, ``lesion_pattern``, ``modalities``, and the
derived ``degenerative.any`` (the highest status of the nine, by labels.md precedence). A gold
label that is absent, null or an empty CSV cell is not scored. Errors name the file and line, never
a value (a misaligned CSV could put report text in a label column).
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportnlp.evaluation.scores import ANY_DEGENERATIVE, LABELS, LABELS_BY_NAME, STATUSES, Label

EMPTY_SET = "none"  # a CSV cell that states an empty set (an empty cell means: not scored)
SET_SEPARATOR = ";"


class GoldError(ValueError):
    """A gold or records file that cannot be used; the message is '<file>: <reason>'."""


@dataclass
class Predictions:
    """Flat labels of the ok records, the mentions that decided them, and the ids of error records."""

    labels: dict[str, dict[str, Any]] = field(default_factory=dict)
    deciding: dict[str, dict[str, Any]] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)


def _value(label: Label, raw: Any, where: str) -> Any:
    """Validate one gold value: a status string, or a list (CSV: ';'-separated text) for set labels."""
    if label.is_set:
        if isinstance(raw, str):
            items = [] if raw.strip().lower() == EMPTY_SET else [p for p in raw.split(SET_SEPARATOR) if p.strip()]
        elif isinstance(raw, list) and all(isinstance(p, str) for p in raw):
            items = raw
        else:
            raise GoldError(f"{where}: '{label.name}' must be a list of {', '.join(label.classes)}")
        canon = {c.lower(): c for c in label.classes}
        values = {canon.get(p.strip().lower()) for p in items}
        if None in values:
            raise GoldError(f"{where}: '{label.name}' holds a value other than {', '.join(label.classes)}")
        return frozenset(values)
    status = raw.strip().lower() if isinstance(raw, str) else None
    if status not in STATUSES:
        raise GoldError(f"{where}: '{label.name}' must be one of {', '.join(STATUSES)}")
    return status


def flat_gold(labels: Mapping[str, Any], where: str) -> tuple[dict[str, Any], list[str]]:
    """(scored labels, names of fields that are not labels) from one gold object's labels."""
    flat, unknown = {}, []
    items = list(labels.items())
    nested = labels.get("degenerative")
    if isinstance(nested, Mapping):
        items = [(k, v) for k, v in items if k != "degenerative"] + [(f"degenerative.{k}", v) for k, v in nested.items()]
    for name, raw in items:
        label = LABELS_BY_NAME.get(name)
        if label is None:
            unknown.append(name)
        elif raw is not None and raw != "":
            flat[name] = _value(label, raw, where)
    return flat, unknown


def flat_record_labels(labels: Mapping[str, Any]) -> dict[str, Any]:
    """A record's labels (always complete) as flat names, plus ``degenerative.any``."""
    flat: dict[str, Any] = {}
    for label in LABELS:
        if label.name == ANY_DEGENERATIVE:
            statuses = set(labels["degenerative"].values())
            flat[label.name] = next((s for s in STATUSES if s in statuses), STATUSES[-1])
        elif label.name.startswith("degenerative."):
            flat[label.name] = labels["degenerative"][label.name.split(".", 1)[1]]
        elif label.is_set:
            flat[label.name] = frozenset(labels[label.name])
        else:
            flat[label.name] = labels[label.name]
    return flat


# ---------------------------------------------------------------------------------------------
# Files


def _open_text(path: str) -> io.TextIOBase:
    if path == "-":
        return io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig")
    try:
        return Path(path).open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise GoldError(f"{path}: {exc.strerror or 'cannot be read'}") from None


def _json_lines(path: str) -> Iterator[tuple[int, dict[str, Any]]]:
    with _open_text(path) as f:
        try:
            for n, line in enumerate(f, start=1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError:
                    raise GoldError(f"{path}: line {n}: not valid JSON") from None
                if not isinstance(obj, dict):
                    raise GoldError(f"{path}: line {n}: not a JSON object")
                yield n, obj
        except UnicodeDecodeError:
            raise GoldError(f"{path}: not UTF-8 text") from None


def _id(obj: Mapping[str, Any], id_field: str, where: str, seen: set[str]) -> str:
    raw = obj.get(id_field)
    if not isinstance(raw, str | int) or isinstance(raw, bool) or str(raw) == "":
        raise GoldError(f"{where}: no '{id_field}'")
    rid = str(raw)
    if rid in seen:
        raise GoldError(f"{where}: duplicate id '{rid}'")
    seen.add(rid)
    return rid


def read_gold(path: str, id_field: str = "id") -> tuple[dict[str, dict[str, Any]], list[str]]:
    """(id -> flat gold labels in file order, sorted names of fields that are not labels).

    ``.csv`` files have one column per flat label name; anything else is read as JSON Lines, each
    object holding its labels under ``labels`` (shaped like a record's) or at the top level.
    """
    gold: dict[str, dict[str, Any]] = {}
    ignored: set[str] = set()
    seen: set[str] = set()
    if path.lower().endswith(".csv"):
        with _open_text(path) as f:
            try:
                reader = csv.DictReader(f)
                if reader.fieldnames is None or id_field not in reader.fieldnames:
                    raise GoldError(f"{path}: no '{id_field}' column")
                for n, row in enumerate(reader, start=2):
                    where = f"{path}: line {n}"
                    rid = _id(row, id_field, where, seen)
                    labels = {k: v for k, v in row.items() if k not in (id_field, None)}
                    gold[rid], unknown = flat_gold(labels, where)
                    ignored.update(unknown)
            except UnicodeDecodeError:
                raise GoldError(f"{path}: not UTF-8 text") from None
            except csv.Error as exc:
                raise GoldError(f"{path}: not readable as CSV ({exc})") from None
    else:
        for n, obj in _json_lines(path):
            where = f"{path}: line {n}"
            rid = _id(obj, id_field, where, seen)
            labels = obj.get("labels")
            if isinstance(labels, Mapping):
                gold[rid], unknown = flat_gold(labels, where)
            else:
                gold[rid], unknown = flat_gold({k: v for k, v in obj.items() if k != id_field}, where)
            ignored.update(unknown)
    return gold, sorted(ignored)


def read_records(path: str) -> Predictions:
    """Records written by ``reportnlp extract`` (JSON Lines; ``-`` is stdin)."""
    out = Predictions()
    seen: set[str] = set()
    for n, record in _json_lines(path):
        where = f"{path}: line {n}"
        rid = _id(record, "id", where, seen)
        if record.get("status") != "ok":
            out.failed.append(rid)
            continue
        labels = record.get("labels")
        try:
            out.labels[rid] = flat_record_labels(labels) if isinstance(labels, Mapping) else {}
        except (KeyError, TypeError, AttributeError):
            raise GoldError(f"{where}: not a reportnlp record (labels incomplete)") from None
        for label in LABELS:
            value = out.labels[rid].get(label.name)
            if not (value <= set(label.classes) if label.is_set else value in label.classes):
                raise GoldError(f"{where}: not a reportnlp record ('{label.name}' missing or unknown)")
        out.deciding[rid] = deciding_mentions(record)
    return out


# ---------------------------------------------------------------------------------------------
# The mentions behind each predicted value


def _mention(m: Mapping[str, Any]) -> dict[str, Any]:
    cue = next((c["text"] for c in m.get("cues", []) if c.get("decided") and c.get("assertion")), None)
    return {"id": m["id"], "text": m["text"], "assertion": m["assertion"], "section": m["section"], "cue": cue}


def deciding_mentions(record: Mapping[str, Any]) -> dict[str, Any]:
    """Flat label -> summaries of the mentions in the record's ``evidence`` (value -> list for sets)."""
    by_id = {m["id"]: m for m in record.get("mentions", [])}
    evidence = record.get("evidence") or {}

    def summaries(ids: list[int]) -> list[dict[str, Any]]:
        return [_mention(by_id[i]) for i in ids if i in by_id]

    out: dict[str, Any] = {}
    degenerative = evidence.get("degenerative", {})
    for label in LABELS:
        if label.name == ANY_DEGENERATIVE:
            status = flat_record_labels(record["labels"])[label.name]
            ids = [i for e in degenerative.values() if e["status"] == status for i in e["mentions"]]
            out[label.name] = summaries(sorted(set(ids)))
        elif label.name.startswith("degenerative."):
            out[label.name] = summaries(degenerative.get(label.name.split(".", 1)[1], {}).get("mentions", []))
        elif label.is_set:
            out[label.name] = {v: summaries(ids) for v, ids in evidence.get(label.name, {}).items()}
        else:
            out[label.name] = summaries(evidence.get(label.name, {}).get("mentions", []))
    return out
