"""reportnlp: radiology reports in, auditable JSON records out."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from pathlib import Path

    from spacy.language import Language

    from reportnlp.inputs import Report

from reportnlp.nlp import lean_spacy
from reportnlp.version import __version__

lean_spacy.install()  # spaCy without its command line, whoever imports it first (reportnlp.nlp.lean_spacy)


def load(patterns: str | Path | None = None) -> Language:
    """The reportnlp spaCy pipeline (built-in rules, or the rule folder ``patterns``); its Docs carry the
    mentions as ``doc.ents`` (with medspaCy's ConText flags) and the labels as ``doc._.reportnlp_labels``."""
    import reportnlp.records.doc_labels  # noqa: F401  (registers the reportnlp_labels factory)
    from reportnlp.nlp.pipeline import load as _load

    return _load(patterns)


def extract_records(
    items: Iterable[Report | tuple[str, str] | tuple[str, str, dict[str, Any]]], patterns: str | Path | None = None
) -> Iterator[dict[str, Any]]:
    """One record per item, in order: the API any batch engine (a Dask task, a Spark
    ``mapPartitions`` function) can call per partition.

    An item is an ``(id, text)`` pair, an ``(id, text, source)`` triple (``source`` a dict such as
    ``{"path": ..., "format": ..., "line": ..., "encoding": ...}``) or a ``Report`` from
    :func:`reportnlp.inputs.iter_reports`, whose record is exactly the one ``reportnlp extract`` writes.
    Text that is not a string gives an error record. The pipeline is built once per process and
    rule set, then reused by later calls.
    """
    from reportnlp.inputs import Report
    from reportnlp.records.assemble import error_record
    from reportnlp.run.extractor_cache import extractor_for

    extractor = extractor_for(patterns)
    for item in items:
        if isinstance(item, Report):
            yield extractor.record_for(item)
            continue
        if len(item) not in (2, 3):
            raise ValueError(f"extract_records: an item has {len(item)} values; give (id, text) or (id, text, source)")
        report_id, text = str(item[0]), item[1]
        source = item[2] if len(item) == 3 else {"path": None, "format": "api"}  # type: ignore[misc]
        if not isinstance(text, str):
            yield error_record(report_id, source, "invalid_text_field", f"text is {type(text).__name__}, not a string")
            continue
        yield extractor.record_for_text(report_id, text, source)

__all__ = ["__version__", "extract_records", "load"]
