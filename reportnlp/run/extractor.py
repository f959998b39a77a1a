"""Run the pipeline on one report and turn it into its record (ok or error, never both).

The Extractor is built once per process (or worker) and reused: building the pipeline costs
about a second, processing a report a few milliseconds.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from typing import Any

from reportnlp.inputs import Report
from reportnlp.nlp.components.locations import AnatomyFinder
from reportnlp.nlp.pipeline import load
from reportnlp.nlp.rules import load_rules
from reportnlp.records.assemble import base_record, error_record, exam_title, mention_dicts, section_dicts
from reportnlp.records.labels import ExamContext, LabelDecider
from reportnlp.records.patient import PatientFinder
from reportnlp.records.prevalence import PrevalenceTable
from reportnlp.version import __version__

MAX_CHARS = 5_000_000
RADIOLOGY = "radiology_report"
TITLE_SECTIONS = ("exam", "technique", "preamble")  # where a report names its own study


class Extractor:
    """Report in, record out. With ``debug``, the traceback of a report that fails is printed to
    stderr (it may quote report text, so only on request); the report still gets its error record."""

    def __init__(self, patterns: str | Path | None = None, *, debug: bool = False, matcher: str = "fast") -> None:
        self.debug = debug
        self.matcher = matcher  # "medspacy": medspaCy's own TargetMatcher and ConText (the reference)
        self.rules = load_rules(patterns)
        self.nlp = load(patterns, matcher=matcher)
        self.nlp.max_length = MAX_CHARS + 1
        self.decider = LabelDecider(self.rules.concepts, self.rules.targets.get("links"))
        self.patient = PatientFinder(self.rules.patient)
        self.prevalence = PrevalenceTable(self.rules.prevalence)
        self.anatomy = AnatomyFinder(self.rules.anatomy)
        # The locations component remembers the anatomy of texts it has seen (exam titles repeat).
        self.find_anatomy = getattr(self.nlp.get_pipe("reportnlp_locations"), "find", self.anatomy.find)
        self.categories = self.rules.sections["categories"]
        self.pipeline_info = {"version": __version__, "patterns_sha256": self.rules.sha256}

    def record_for(self, report: Report) -> dict[str, Any]:
        if report.error is not None or report.text is None:
            error = report.error
            return error_record(
                report.id,
                report.source,
                error.type if error else "unreadable",
                error.message if error else "no text",
                report.warnings,
                report.fields,
            )
        record = self.record_for_text(report.id, report.text, report.source, list(report.warnings))
        if report.fields:  # on every record, ok or error (record_for_text may give an error record)
            record["fields"] = dict(report.fields)
        return record

    def record_for_text(
        self, report_id: str, text: str, source: dict[str, Any] | None = None, warnings: list[str] | None = None
    ) -> dict[str, Any]:
        source = source if source is not None else {"path": None, "format": "api"}
        if not text.strip() and "empty_report" not in (warnings or []):  # flagged: kept, as an empty report
            return error_record(report_id, source, "empty_report", "report has no text", warnings or [])
        if len(text) > MAX_CHARS:
            return error_record(
                report_id, source, "report_too_large", f"report has {len(text)} characters (limit {MAX_CHARS})", warnings or []
            )
        try:
            return self._build(report_id, text, source, warnings or [])
        except Exception as exc:  # one bad report must not end the run; never echo report text
            if self.debug:
                traceback.print_exc(file=sys.stderr)
            return error_record(report_id, source, "processing_error", f"{type(exc).__name__} while processing", warnings or [])

    def _build(self, report_id: str, text: str, source: dict[str, Any], warnings: list[str]) -> dict[str, Any]:
        doc = self.nlp(text)
        sections = doc._.reportnlp_sections or []
        document = dict(doc._.reportnlp_document or {"type": RADIOLOGY, "cue": None})
        mentions = mention_dicts(doc, self.rules.concepts, self.categories)
        patient = self.patient.find(text)
        radiology = document["type"] == RADIOLOGY
        title = exam_title(text, sections, first_line=radiology)
        exam = self._exam(title, mentions, radiology)
        labels, evidence = self.decider.decide(mentions, exam, text)
        for m in mentions:
            key = self.rules.concepts[m["concept"]].get("degenerative")
            if key:
                m["prevalence"] = self.prevalence.describe(key, m["meta"], patient["age"])
        record = base_record(report_id, source, warnings)
        record.update(
            labels=labels,
            evidence=evidence,
            patient=patient,
            exam={"title": title, "bone_only": exam.bone_only, "spine": exam.spine},
            document=document,
            sections=section_dicts(sections, self.categories),
            mentions=mentions,
            pipeline=self.pipeline_info,
        )
        return record

    def _exam(self, title: str, mentions: list[dict[str, Any]], radiology: bool = True) -> ExamContext:
        """What this report's exam images. Only a radiology report is about one exam: a clinical note
        is never a bone-only exam, and a bone scan counts only as the report's own study (named in its
        title, technique or untitled opening), not one suggested or compared in its text."""
        anatomy = self.find_anatomy(title, 0) if title else []
        kinds = {a.kind for a in anatomy}
        spine = any(a.kind == "level" or a.region == "spine" for a in anatomy)
        bone_scan = any(
            m["concept"] == "modality" and m["meta"].get("bone_only_exam") and m["section"] in TITLE_SECTIONS
            and (m["assertion"] == "present" or (m["section"] != "preamble" and m["assertion"] not in ("absent", "family")))
            for m in mentions
        )
        bone_title = bool(kinds & {"bone", "level"}) and not kinds & {"organ", "region"}
        return ExamContext(bone_only=radiology and (bone_scan or bone_title), spine=spine)
