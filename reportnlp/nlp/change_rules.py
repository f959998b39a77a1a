"""Validate and compile ``patterns/change.json``: cues for how a finding changed since a prior exam.

The file has the shape of ``context.json`` (medspaCy's ConTextRule JSON, so ``ConTextRule.from_json``
loads it; the rule ``id`` and a ``comment`` under ``metadata``), with change categories instead of
assertions; a token ``pattern`` wins over the ``literal`` that names it, as in medspaCy. Every
problem is a :class:`RuleError` naming the file and the rule. Rules are compiled to regular
expressions over the text (no spaCy), so the records stage can apply them to a finished record's
mentions. Token patterns support ``LOWER`` (a string or ``{"IN": [...]}``) and ``OP: "?"``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from reportnlp.nlp.rule_checks import (
    DIRECTIONS,
    RuleError,
    check_keys,
    check_medspacy_rules,
    check_string_list,
    check_type_lists,
    rule_id,
)

CHANGE_FILE = "change.json"
CHANGE_STATUSES = ("progressed", "new", "stable", "improved", "resolved")
_RULE_KEYS = {"pattern", "max_scope", "allowed_types", "excluded_types"}


@dataclass(frozen=True)
class ChangeRule:
    id: str
    category: str
    status: str | None  # None for TERMINATE and PSEUDO
    direction: str
    regex: re.Pattern[str]
    max_scope: int | None
    allowed_types: frozenset[str] | None
    excluded_types: frozenset[str]
    first_words: frozenset[str]  # a match starts with one of these (lowercased); empty: no shortcut (punctuation)
    # A match may start in the whitespace before its first word (a pattern whose first token is optional).
    optional_lead: bool = False
    # A match takes at least one word: it can start only at one of first_words (or in the space before one).
    anchored: bool = False


def validate_change(doc: dict[str, Any], concepts: set[str]) -> None:
    """Raise RuleError for anything wrong with change.json (called by ``load_rules``)."""
    f = CHANGE_FILE
    check_keys(f, None, doc, {"name", "version", "categories", "context_rules"}, {"description", "precedence"})
    categories = doc["categories"]
    if not isinstance(categories, dict) or not categories:
        raise RuleError(f, None, "'categories' must map category to change status (or null)")
    for cat, status in categories.items():
        if status is not None and status not in CHANGE_STATUSES:
            raise RuleError(f, f"category {cat}", f"status must be one of {', '.join(CHANGE_STATUSES)} or null")
    precedence = doc.get("precedence", list(CHANGE_STATUSES))
    check_string_list(f, "precedence", precedence, CHANGE_STATUSES)
    if sorted(precedence) != sorted(CHANGE_STATUSES):
        raise RuleError(f, "precedence", f"must list each of {', '.join(CHANGE_STATUSES)} once")

    def check(rid: str, rule: dict[str, Any]) -> None:
        check_keys(f, rid, rule, {"literal", "category", "direction", "metadata"}, _RULE_KEYS)
        if rule["category"] not in categories:
            raise RuleError(f, rid, f"category '{rule['category']}' is not declared in 'categories'")
        if rule["direction"] not in DIRECTIONS:
            raise RuleError(f, rid, f"direction must be one of {', '.join(DIRECTIONS)}")
        scope = rule.get("max_scope")
        if scope is not None and (not isinstance(scope, int) or isinstance(scope, bool) or scope <= 0):
            raise RuleError(f, rid, "'max_scope' must be a positive integer")
        check_type_lists(f, rid, rule, concepts, str.lower)
        if "terminated_by" in rule["metadata"]:
            raise RuleError(f, rid, "'terminated_by' is not supported in change.json (use TERMINATE rules)")
        _regex(rid, rule)

    check_medspacy_rules(f, doc, "context_rules", check)


def compile_change(doc: dict[str, Any]) -> tuple[list[ChangeRule], tuple[str, ...]]:
    """The compiled rules and the precedence (most important first) of a validated change.json."""
    rules = [
        ChangeRule(
            id=rule_id(r),
            category=r["category"],
            status=doc["categories"][r["category"]],
            direction=r["direction"],
            regex=_regex(rule_id(r), r),
            max_scope=r.get("max_scope"),
            allowed_types=frozenset(t.lower() for t in r["allowed_types"]) if "allowed_types" in r else None,
            excluded_types=frozenset(t.lower() for t in r.get("excluded_types", ())),
            first_words=_first_words(r),
            optional_lead="pattern" in r and r["pattern"][0].get("OP") == "?",
            anchored=_anchored(r),
        )
        for r in doc["context_rules"]
    ]
    return rules, tuple(doc.get("precedence", CHANGE_STATUSES))


def _first_words(rule: dict[str, Any]) -> frozenset[str]:
    """The words a match of the rule can start with, so a sentence without any of them is skipped."""
    if "pattern" not in rule:
        first = rule["literal"].split()[0].lower()
        return frozenset([first]) if re.fullmatch(r"\w+", first) else frozenset()
    words: set[str] = set()
    for tok in rule["pattern"]:
        value = tok["LOWER"]
        words.update(w.lower() for w in (value["IN"] if isinstance(value, dict) else [value]))
        if tok.get("OP") != "?":
            break
    return frozenset(words) if all(re.fullmatch(r"\w+", w) for w in words) else frozenset()


def _anchored(rule: dict[str, Any]) -> bool:
    """Every match starts at a word of ``_first_words`` (or in the whitespace just before one): the rule
    has such words, all ASCII (so lower-casing a text's word says whether re's IGNORECASE matches it),
    and a token that is not optional (so no match is empty)."""
    words = _first_words(rule)
    required = "literal" in rule or any(tok.get("OP") != "?" for tok in rule["pattern"])
    return bool(words) and all(w.isascii() for w in words) and required


def _regex(rid: str, rule: dict[str, Any]) -> re.Pattern[str]:
    literal = rule["literal"]
    if not isinstance(literal, str) or not literal.strip():
        raise RuleError(CHANGE_FILE, rid, "'literal' must be a non-empty string")
    if "pattern" not in rule:  # a pattern wins over the literal that names it
        literal = literal.strip()
        body = r"\s+".join(re.escape(w) for w in literal.split())
    else:
        pattern = rule["pattern"]
        if not isinstance(pattern, list) or not pattern:
            raise RuleError(CHANGE_FILE, rid, "'pattern' must be a non-empty list of token dicts")
        body = ""
        for i, tok in enumerate(pattern):
            if not isinstance(tok, dict) or set(tok) - {"LOWER", "OP"} or "LOWER" not in tok:
                raise RuleError(CHANGE_FILE, rid, "pattern tokens take only LOWER and OP")
            value = tok["LOWER"]
            words = value.get("IN") if isinstance(value, dict) and set(value) == {"IN"} else [value]
            if not isinstance(words, list) or not words or not all(isinstance(w, str) and w for w in words):
                raise RuleError(CHANGE_FILE, rid, "LOWER must be a string or {\"IN\": [strings]}")
            op = tok.get("OP")
            if op not in (None, "?"):
                raise RuleError(CHANGE_FILE, rid, "OP may only be '?'")
            alt = "(?:" + "|".join(re.escape(w) for w in words) + ")"
            sep = r"\s+" if i else ""
            body += f"(?:{sep}{alt})?" if op == "?" else sep + alt
    first, last = (literal[0], literal[-1]) if "pattern" not in rule else ("a", "a")
    start = r"(?<!\w)" if re.match(r"\w", first) else ""
    end = r"(?!\w)" if re.match(r"\w", last) else ""
    return re.compile(f"{start}(?:{body}){end}", re.IGNORECASE)
