"""Decide the report labels of labels.md from the mentions: the one place that does it (``LabelDecider``).

Pure functions over plain mention dicts (as in the record), so that the decision can be
re-run, tested and explained without spaCy. Every mention gets ``contributes`` (label ->
status) or a ``note`` saying why it does not count; each label keeps the ids of the mentions
that decided it.

``LabelDecider.decide`` reads as the order of the steps; each step lives in the module of what it decides:
``assertions`` (alternatives hedged or affirmed, past studies' findings dated, consent risk lists), ``corrections``
(wet reads superseded, quoted reads, deleted items, suspicions answered), ``pathologic_links`` (a fracture's
tumour cause linked, or its pathologic reading), ``contributions`` (what each mention gives: ``lesion_contribution``,
``fracture_contribution``, ``degenerative_contribution``) and ``votes`` (the votes folded into labels).
"""

from __future__ import annotations

from typing import Any

from reportnlp.records.labels.assertions import (
    affirm_malignant_alternatives,
    date_past_study_findings,
    hedge_benign_alternatives,
    hedge_herniation_beside_bulge,
    risk_listed,
)
from reportnlp.records.labels.contributions import contributions
from reportnlp.records.labels.corrections import answer_suspicions, deleted_items, quoted_reads, supersede_wet_reads
from reportnlp.records.labels.degenerative import sac_contact_outranked
from reportnlp.records.labels.exam import ExamContext
from reportnlp.records.labels.label_rules import LabelRules
from reportnlp.records.labels.lesions import current_pattern
from reportnlp.records.labels.neighbours import Neighbours
from reportnlp.records.labels.pathologic_links import link_denials_after_lesions, link_pathologic_causes
from reportnlp.records.labels.sites import affirmed
from reportnlp.records.labels.vocabulary import DIFFUSE_ONLY
from reportnlp.records.labels.votes import fold_votes
from reportnlp.records.line_starts import LineStarts


class LabelDecider:
    """Decides a report's labels from its mentions (``decide``), with the rules' concepts and cause cues
    (``rules``: a ``LabelRules``, handed to every step)."""

    def __init__(self, concepts: dict[str, dict[str, Any]], links: dict[str, list[str]] | None = None) -> None:
        self.rules = LabelRules(concepts, links)

    def decide(
        self, mentions: list[dict[str, Any]], exam: ExamContext, text: str, lines: LineStarts | None = None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """(labels, evidence): labels exactly as labels.md names them, evidence = deciding mention ids. ``lines``:
        the report's line starts, shared with the record's assembly (made when not given)."""
        rules = self.rules
        lines = LineStarts.of_text(text, lines)
        if all(m["concept"] == "modality" for m in mentions):
            # Studies alone (half the public texts) or nothing: every step before the labels reads or changes
            # findings only, and no mention votes (session 25). A step that reads studies goes above this test.
            return fold_votes({}, {}, mentions, exam, lines)
        nearby = Neighbours(mentions, lambda n: rules.group(n) == "benign" and n["counts"] and affirmed(n)
                            and n["rule"] not in DIFFUSE_ONLY, text, lines)
        hedge_benign_alternatives(rules, nearby, text)
        hedge_herniation_beside_bulge(mentions, text)
        affirm_malignant_alternatives(nearby, text)
        date_past_study_findings(nearby, text)
        risk_listed(nearby.all, text, lines)
        supersede_wet_reads(nearby.all, text)
        if exam.one_study and not exam.pathology:  # a radiology report (a note's quoted report is its result)
            quoted_reads(nearby.all, text)
            deleted_items(nearby.all, text)
        denied = link_pathologic_causes(rules, nearby, text)
        if denied:
            link_denials_after_lesions(rules, nearby, text, denied)
        votes: dict[str, dict[str, list[int]]] = {}
        patterns: dict[str, list[int]] = {}
        for m in mentions:
            if m["concept"] == "modality":
                continue  # decided by modalities() in fold_votes
            contrib = contributions(rules, m, nearby, exam)
            m["contributes"] = contrib
            for label, status in contrib.items():
                votes.setdefault(label, {}).setdefault(status, []).append(m["id"])
            if m.get("pattern_only") or ("bone_metastasis" in contrib and contrib["bone_metastasis"] != "absent"):
                pattern = (m.get("meta") or {}).get("lesion_pattern") or rules.concepts[m["concept"]].get("lesion_pattern")
                if pattern:
                    pattern = current_pattern(m, pattern, text)
                    patterns.setdefault(pattern, []).append(m["id"])
        if not (exam.one_study or exam.pathology):  # a clinical note tells its work-up in order
            answered = answer_suspicions(votes, mentions, text)
            if answered:  # a suspected lesion the note's result denied gives no pattern
                kept = ((p, [i for i in ids if i not in answered]) for p, ids in patterns.items())
                patterns = {p: ids for p, ids in kept if ids}
        sac_contact_outranked(mentions, votes, text)
        return fold_votes(votes, patterns, mentions, exam, lines)
