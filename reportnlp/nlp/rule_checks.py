"""Checks every rule file shares: the one-line RuleError, key sets, rule lists and their ids, string
lists, concept-type lists and RE2 regexes.

Its own module so the per-file validators (rules.py, change_rules.py, date_rules.py) all build on it
and none of them imports another's checks back.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from reportnlp.nlp.safe_regex import SafePattern, UnsafeRegex, compile_safe

DIRECTIONS = ("FORWARD", "BACKWARD", "BIDIRECTIONAL", "TERMINATE", "PSEUDO")


class RuleError(ValueError):
    """A rule file is unusable; the message names file, rule and reason on one line."""

    def __init__(self, file: str, rule: str | None, reason: str) -> None:
        where = f"{file}: rule {rule}" if rule else file
        super().__init__(f"{where}: {reason}")
        self.file, self.rule, self.reason = file, rule, reason


def check_keys(file: str, rule: str | None, obj: Any, required: set[str], optional: set[str]) -> None:
    """``obj`` is a JSON object with every ``required`` key and no key outside ``required | optional``."""
    if not isinstance(obj, dict):
        raise RuleError(file, rule, "must be a JSON object")
    missing = required - obj.keys()
    if missing:
        raise RuleError(file, rule, f"missing key(s): {', '.join(sorted(missing))}")
    unknown = obj.keys() - required - optional
    if unknown:
        raise RuleError(file, rule, f"unknown key(s): {', '.join(sorted(unknown))}")


def _walk_rules(
    file: str, doc: dict[str, Any], key: str, check: Callable[[str, dict[str, Any]], None],
    id_of: Callable[[Any], Any], needs: str, unique: bool,
) -> None:
    """Check every rule of ``doc[key]`` with ``check(label, rule)``; ``id_of`` reads a rule's id."""
    rules = doc.get(key)
    if not isinstance(rules, list) or not rules:
        raise RuleError(file, None, f"'{key}' must be a non-empty list")
    seen: set[str] = set()
    for i, rule in enumerate(rules):
        rid = id_of(rule) if isinstance(rule, dict) else None
        label = str(rid) if rid else f"#{i + 1}"
        if not isinstance(rid, str) or not rid:
            raise RuleError(file, label, f"needs {needs}")
        if unique and rid in seen:
            raise RuleError(file, rid, "duplicate id")
        seen.add(rid)
        check(label, rule)


def check_rules(file: str, doc: dict[str, Any], key: str, check: Callable[[str, dict[str, Any]], None]) -> None:
    """Rules in reportnlp's own shape: the id is ``id``."""
    _walk_rules(file, doc, key, check, lambda rule: rule.get("id"), "a non-empty string 'id'", unique=True)


def rule_id(rule: dict[str, Any]) -> str:
    """The id of a target, ConText or section rule (kept in medspaCy's ``metadata``)."""
    return rule["metadata"]["id"]


def check_medspacy_rules(
    file: str, doc: dict[str, Any], key: str, check: Callable[[str, dict[str, Any]], None], unique: bool = True
) -> None:
    """Rules in medspaCy's shape: the id is ``metadata.id``."""
    _walk_rules(file, doc, key, check, _metadata_id, "a 'metadata' object with a non-empty string 'id'", unique)


def _metadata_id(rule: dict[str, Any]) -> Any:
    metadata = rule.get("metadata")
    return metadata.get("id") if isinstance(metadata, dict) else None


def compile_regex(file: str, rule: str, pattern: Any, flags: int = 0) -> SafePattern:
    """Compile a rule's regex with RE2 (matching time linear in the text, whatever the pattern);
    a pattern RE2 refuses (backreferences, lookarounds) is a RuleError."""
    try:
        compiled = compile_safe(pattern, flags)
    except UnsafeRegex as exc:
        raise RuleError(file, rule, f"bad regex: {exc}") from None
    try:  # the Python syntax too: the scan reads the pattern's first characters with re's parser
        re.compile(pattern, flags)
    except re.error as exc:
        raise RuleError(file, rule, f"bad regex: {exc}") from None
    return compiled


def check_string_list(file: str, rule: str, value: Any, allowed: Iterable[str] | None = None) -> None:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise RuleError(file, rule, "must be a list of non-empty strings")
    if allowed is not None:
        bad = set(value) - set(allowed)
        if bad:
            raise RuleError(file, rule, f"unknown value(s): {', '.join(sorted(bad))}")


def check_type_lists(f: str, rid: str, rule: dict[str, Any], known: set[str], fold: Callable[[str], str] = str.upper) -> None:
    """A cue's ``allowed_types`` / ``excluded_types``: lists of known concepts (compared as ``fold`` gives them)."""
    for key in ("allowed_types", "excluded_types"):
        if key in rule:
            check_string_list(f, rid, rule[key])
            bad = {t for t in rule[key] if fold(t) not in known}
            if bad:
                raise RuleError(f, rid, f"{key} names unknown concept(s): {', '.join(sorted(bad))}")
