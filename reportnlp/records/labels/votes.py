"""Where the votes are folded into labels (``fold_votes``): each label takes the highest status any mention voted
(present > possible > absent > not_mentioned) and keeps the ids of the mentions that voted it; the lesion
patterns, the degenerative keys and the studies done (``modalities``) are added."""

from __future__ import annotations

from typing import Any

from reportnlp.records.labels.exam import ExamContext
from reportnlp.records.labels.modalities import modalities
from reportnlp.records.labels.vocabulary import DEGENERATIVE_KEYS, NOT_MENTIONED, SIMPLE_LABELS, STATUSES
from reportnlp.records.line_starts import LineStarts

# Each degenerative key with the name its votes go under: made once, not for each of the nine keys of every report.
_DEGENERATIVE_VOTES = tuple((key, f"degenerative.{key}") for key in DEGENERATIVE_KEYS)


def _status(votes: dict[str, list[int]]) -> tuple[str, dict[str, Any]]:
    if not votes:
        return NOT_MENTIONED, {"status": NOT_MENTIONED, "mentions": []}
    for status in STATUSES:
        if votes.get(status):
            return status, {"status": status, "mentions": votes[status]}
    return NOT_MENTIONED, {"status": NOT_MENTIONED, "mentions": []}


def fold_votes(
    votes: dict[str, dict[str, list[int]]], patterns: dict[str, list[int]], mentions: list[dict[str, Any]],
    exam: ExamContext, lines: LineStarts,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(labels, evidence) from the findings' votes and lesion patterns, and the studies."""
    labels: dict[str, Any] = {}
    evidence: dict[str, Any] = {}
    for label in SIMPLE_LABELS:
        # most of a report's thirteen labels: no mention voted (a fresh evidence dict, no call)
        labels[label], evidence[label] = (
            _status(votes[label]) if label in votes else (NOT_MENTIONED, {"status": NOT_MENTIONED, "mentions": []})
        )
    labels["lesion_pattern"] = sorted(patterns)
    evidence["lesion_pattern"] = {p: patterns[p] for p in sorted(patterns)}
    degenerative: dict[str, Any] = {}
    degenerative_evidence: dict[str, Any] = {}
    for key, voted_as in _DEGENERATIVE_VOTES:
        degenerative[key], degenerative_evidence[key] = (
            _status(votes[voted_as]) if voted_as in votes else (NOT_MENTIONED, {"status": NOT_MENTIONED, "mentions": []})
        )
    labels["degenerative"], evidence["degenerative"] = degenerative, degenerative_evidence
    labels["modalities"], evidence["modalities"] = modalities(mentions, lines.text, one_study=exam.one_study, lines=lines)
    return labels, evidence
