"""Run the pipeline on one report and turn it into its record (ok or error, never both).

The Extractor is built once per process (or worker) and reused: building the pipeline costs
about a second, processing a report a few milliseconds.
"""

from __future__ import annotations

import hashlib
import sys
import traceback
from pathlib import Path
from typing import Any

from spacy.errors import Errors
from spacy.tokens import Doc

from reportnlp.inputs import Report
from reportnlp.nlp.components.docdata import doc_value
from reportnlp.nlp.date_rules import compile_date_rules
from reportnlp.nlp.pipeline import EXACT, collector_paused, load
from reportnlp.nlp.rules import load_rules
from reportnlp.records.assemble import base_record, error_record
from reportnlp.records.doc_labels import ReportLabels  # registers the reportnlp_labels factory
from reportnlp.records.report_meta import ReportColumns, report_block
from reportnlp.version import __version__

MAX_CHARS = 5_000_000


class Extractor:
    """Report in, record out. With ``debug``, the traceback of a report that fails is printed to
    stderr (it may quote report text, so only on request); the report still gets its error record."""

    def __init__(self, patterns: str | Path | None = None, *, debug: bool = False,
                 report_columns: ReportColumns | None = None, matcher: str = "fast") -> None:
        self.debug = debug
        self.report_columns = report_columns or ReportColumns()
        self.matcher = matcher  # "medspacy": medspaCy's own TargetMatcher and ConText (the reference)
        self.rules = load_rules(patterns)
        self.nlp = load(patterns, matcher=matcher)
        self.nlp.max_length = MAX_CHARS + 1
        # Records are built from the folded Doc's fields (offsets into the text as given already), so
        # the exact-text Doc that reportnlp.load() users get is not made here.
        self.nlp.disable_pipe(EXACT)
        # Nor are the mentions made spaCy Spans (their span group and doc.ents): this Doc never leaves the Extractor,
        # and the later components and the record read the mentions' rows (about 2% of a public report's CPU;
        # session 26). medspaCy's own ConText, the reference, reads the span group.
        if matcher == "fast":
            self.nlp.get_pipe("reportnlp_mentions").spacy_spans = False
            # Nor are the sentences written as spaCy's SENT_START marks: the components read the sentence table.
            self.nlp.get_pipe("reportnlp_sentences").spacy_starts = False
        # The components run by _doc, fixed here: Language.__call__ asks each one, for every report, for an
        # error handler it does not have (a failed attribute lookup) and rebuilds the pipeline list, about
        # 10 us of a short report's CPU.
        self._steps = [(name, proc) for name, proc in self.nlp.pipeline]
        labels: ReportLabels = self.nlp.get_pipe("reportnlp_labels")
        self.decider, self.patient, self.prevalence = labels.decider, labels.patient, labels.prevalence
        self.categories, self._exam = labels.categories, labels._exam  # for bench/perf_profile.py
        self.date_rules = compile_date_rules(self.rules.report_date)
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
        record = self.record_for_text(report.id, report.text, report.source, list(report.warnings), fields=report.fields)
        if report.fields:  # on every record, ok or error (record_for_text may give an error record)
            record["fields"] = dict(report.fields)
        return record

    def record_for_text(
        self, report_id: str, text: str, source: dict[str, Any] | None = None, warnings: list[str] | None = None,
        fields: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        source = source if source is not None else {"path": None, "format": "api"}
        if not text.strip() and "empty_report" not in (warnings or []):  # flagged: kept, as an empty report
            return error_record(report_id, source, "empty_report", "report has no text", warnings or [])
        if len(text) > MAX_CHARS:
            return error_record(
                report_id, source, "report_too_large", f"report has {len(text)} characters (limit {MAX_CHARS})", warnings or []
            )
        try:
            # Python's cyclic GC paused while one report is processed: its objects live until its record
            # is made, and each full collection on the way walks all of them, which made a 1 MB report
            # about 60% slower than ten 100 kB ones (bench/adversarial.py). Garbage is collected after.
            with collector_paused():
                return self._build(report_id, text, source, warnings or [], fields)
        except Exception as exc:  # one bad report must not end the run; never echo report text
            if self.debug:
                traceback.print_exc(file=sys.stderr)
            return error_record(report_id, source, "processing_error", f"{type(exc).__name__} while processing", warnings or [])

    def _build(self, report_id: str, text: str, source: dict[str, Any], warnings: list[str],
               fields: dict[str, str] | None = None) -> dict[str, Any]:
        doc = self._doc(text)  # the last component, reportnlp_labels, puts the record's fields on the Doc
        report = report_block(text, fields, self.report_columns, warnings, self.date_rules)
        record = base_record(report_id, source, warnings)
        record.update(text_sha256=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(), report=report)
        # each record its own copy of the pipeline block: one dict shared by every record of the run let a caller
        # that edits one record's block edit all the others' (and the patterns hash resume reads)
        record.update(doc_value(doc, "reportnlp_fields"), pipeline=dict(self.pipeline_info))  # doc._.reportnlp_fields
        return record

    def _doc(self, text: str) -> Doc:
        """``self.nlp(text)``: the same components on the same Doc, and the same errors (spaCy's default
        error handler re-raises, a KeyError as a ValueError, and a component must return a Doc)."""
        doc = self.nlp.make_doc(text)
        for name, proc in self._steps:
            try:
                doc = proc(doc)
            except KeyError as exc:
                raise ValueError(Errors.E109.format(name=name)) from exc
            if not isinstance(doc, Doc):
                raise ValueError(Errors.E005.format(name=name, returned_type=type(doc)))
        return doc
