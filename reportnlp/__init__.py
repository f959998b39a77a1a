"""reportnlp: radiology reports in, auditable JSON records out."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from pathlib import Path

    from spacy.language import Language

try:
    __version__ = version("reportnlp")
except PackageNotFoundError:  # a source checkout that was never installed
    __version__ = "0.0.0+source"


def load(patterns: str | Path | None = None) -> Language:
    """The reportnlp spaCy pipeline (built-in rules, or the rule folder ``patterns``)."""
    from reportnlp.pipeline import load as _load

    return _load(patterns)


def extract_records(
    items: Iterable[tuple[str, str]], patterns: str | Path | None = None
) -> Iterator[dict[str, Any]]:
    """One record per (id, text) pair, in order: the API any batch engine can call per partition."""
    from reportnlp.extract import Extractor

    extractor = Extractor(patterns)
    for report_id, text in items:
        yield extractor.record_for_text(report_id, text)


__all__ = ["__version__", "extract_records", "load"]
