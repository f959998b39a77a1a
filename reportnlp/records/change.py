"""How each finding changed since a prior exam: ``mention.change`` and ``labels.change``.

The cues are ``patterns/change.json`` (ConText-style rules, validated by ``load_rules``). A cue applies
to a mention in its sentence: a FORWARD cue to mentions after it, BACKWARD to mentions before it,
BIDIRECTIONAL to both, and any cue to a mention it overlaps ("new lesions"), within ``max_scope`` words
and not across a TERMINATE cue ("but", "however", ";"). Where cues overlap, the longest wins, so a
PSEUDO rule ("increased uptake") blocks the cue inside it. The nearest applicable cue decides a
mention; equally near cues go by the file's ``precedence``. Present and possible mentions take any
status; a denied mention takes only ``resolved`` ("The fracture has resolved"); historical,
hypothetical and family mentions and modalities take none. The report-level status of a label is the
first in precedence among the statuses of the counting mentions that gave the label a value
(docs/labels.md section 9). Plain data in, plain data out: no spaCy.
"""

from __future__ import annotations

import re
from typing import Any

from reportnlp.nlp.change_rules import ChangeRule, compile_change

CHANGE_LABELS = ("bone_metastasis", "pathologic_fracture", "fracture", "cord_compression")
_WORD = re.compile(r"\w+")
_TAKES_ANY = ("present", "possible")


class ChangeFinder:
    """Built once from a validated change.json; :meth:`annotate` then :meth:`report` per record."""

    def __init__(self, change_doc: dict[str, Any]) -> None:
        self.rules, self.precedence = compile_change(change_doc)
        self.rank = {status: i for i, status in enumerate(self.precedence)}
        # Rules by the words they start with: a sentence runs only the rules its words can start.
        self.always = [r for r in self.rules if not r.first_words]
        self.by_word: dict[str, list[ChangeRule]] = {}
        for rule in self.rules:
            for word in rule.first_words:
                self.by_word.setdefault(word, []).append(rule)

    def cues(self, text: str, start: int, end: int) -> list[tuple[int, int, ChangeRule]]:
        """Cue matches in ``text[start:end]``, overlaps resolved longest first, in text order."""
        chunk = text[start:end]
        words = set(_WORD.findall(chunk.lower()))
        candidates = {id(r): r for w in words & self.by_word.keys() for r in self.by_word[w]}
        rules = [*self.always, *candidates.values()]
        found = [(start + m.start(), start + m.end(), rule) for rule in rules for m in rule.regex.finditer(chunk)]
        found.sort(key=lambda c: (c[0] - c[1], c[0]))
        kept: list[tuple[int, int, ChangeRule]] = []
        for cue in found:
            if all(cue[1] <= k[0] or cue[0] >= k[1] for k in kept):
                kept.append(cue)
        return sorted(kept, key=lambda c: c[0])

    def annotate(self, text: str, mentions: list[dict[str, Any]]) -> None:
        """Set ``change`` on every mention: ``{"status", "cue"}`` or None."""
        by_sentence: dict[tuple[int, int], list[tuple[int, int, ChangeRule]]] = {}
        for m in mentions:
            m["change"] = None
            if m["category"] == "modality" or m["assertion"] not in (*_TAKES_ANY, "absent"):
                continue
            span = (m["sentence"]["start"], m["sentence"]["end"])
            if span not in by_sentence:
                by_sentence[span] = self.cues(text, *span)
            m["change"] = self._decide(text, m, by_sentence[span])

    def _decide(self, text: str, m: dict[str, Any], cues: list[tuple[int, int, ChangeRule]]) -> dict[str, Any] | None:
        stops = [c for c in cues if c[2].direction == "TERMINATE"]
        best: tuple[int, int, tuple[int, int, ChangeRule]] | None = None
        concept = m["concept"].lower()
        for cue in cues:
            start, end, rule = cue
            if rule.status is None:
                continue
            if m["assertion"] not in _TAKES_ANY and rule.status != "resolved":
                continue
            if concept in rule.excluded_types or (rule.allowed_types is not None and concept not in rule.allowed_types):
                continue
            if end > m["start"] and start < m["end"]:
                gap = (m["start"], m["start"])  # overlaps the mention
            elif end <= m["start"] and rule.direction in ("FORWARD", "BIDIRECTIONAL"):
                gap = (end, m["start"])
            elif start >= m["end"] and rule.direction in ("BACKWARD", "BIDIRECTIONAL"):
                gap = (m["end"], start)
            else:
                continue
            if any(s >= gap[0] and e <= gap[1] for s, e, _ in stops):
                continue
            distance = len(_WORD.findall(text, gap[0], gap[1]))
            if rule.max_scope is not None and distance > rule.max_scope:
                continue
            key = (distance, self.rank[rule.status], cue)
            if best is None or key[:2] < best[:2]:
                best = key
        if best is None:
            return None
        start, end, rule = best[2]
        return {
            "status": rule.status,
            "cue": {"text": text[start:end], "start": start, "end": end, "rule": rule.id, "category": rule.category,
                    "direction": rule.direction},
        }

    def report(self, mentions: list[dict[str, Any]]) -> tuple[dict[str, str | None], dict[str, list[int]]]:
        """(``labels.change``, ``evidence.change``): per label, the first status in precedence among its
        counting mentions, and the ids of the mentions with that status."""
        out: dict[str, str | None] = {}
        evidence: dict[str, list[int]] = {}
        for label in CHANGE_LABELS:
            voters = [
                m for m in mentions
                if m.get("change") and m["counts"] and label in (m.get("contributes") or {})
            ]
            status = min((m["change"]["status"] for m in voters), key=self.rank.__getitem__, default=None)
            out[label] = status
            evidence[label] = [m["id"] for m in voters if m["change"]["status"] == status]
        return out, evidence
