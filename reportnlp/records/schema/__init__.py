"""The JSON Schemas of one output record and of a cohort summary, shipped in the package.

Loaded with importlib.resources (never a path relative to ``__file__``) so it is found in
installed wheels too. jsonschema is imported only when validating: ``reportnlp schema`` and
``--help`` stay fast.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

RECORD_SCHEMA = "record.schema.json"
SUMMARY_SCHEMA = "summary.schema.json"


def record_schema_text() -> str:
    """The record schema exactly as shipped (what ``reportnlp schema`` prints)."""
    return resources.files(__package__).joinpath(RECORD_SCHEMA).read_text(encoding="utf-8")


def record_schema() -> dict[str, Any]:
    """The record schema as a dict (a fresh copy: callers may change it)."""
    return json.loads(record_schema_text())


@cache
def _validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    schema = record_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def validate_record(record: dict[str, Any]) -> None:
    """Raise ValueError naming the JSON path of the most relevant schema violation, if any."""
    from jsonschema.exceptions import best_match

    error = best_match(_validator().iter_errors(record))
    if error is not None:
        raise ValueError(f"{error.json_path}: {error.message}")


def summary_schema_text() -> str:
    """The summary schema exactly as shipped (``reportnlp schema --summary``)."""
    return resources.files(__package__).joinpath(SUMMARY_SCHEMA).read_text(encoding="utf-8")


@cache
def _summary_validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    schema = json.loads(summary_schema_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def validate_summary(summary: dict[str, Any]) -> None:
    """Raise ValueError naming the JSON path of the most relevant violation of the summary schema."""
    from jsonschema.exceptions import best_match

    error = best_match(_summary_validator().iter_errors(summary))
    if error is not None:
        raise ValueError(f"{error.json_path}: {error.message}")


__all__ = ["record_schema", "record_schema_text", "summary_schema_text", "validate_record", "validate_summary"]
