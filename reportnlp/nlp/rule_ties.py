"""Refuse two matcher rules of one category that match the same tokens.

spaCy splits some words ("cannot" -> "can", "not"), so "cannot exclude" and "can not exclude" are one
token sequence: both rules match the same words, and which rule id a record's cue names then depends on
the matcher's order (medspaCy keeps one of two equal matches). One rule says it; its comment may name the
other spelling. Checked when the rule files are validated (rules.py), with spaCy's English tokenizer,
which the pipeline's tokenizer (components/tokenizer.py) splits a literal's words as.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from reportnlp.nlp.rule_checks import RuleError, rule_id

Tokenize = Callable[[str], tuple[str, ...]]


@lru_cache(maxsize=1)
def english_tokens() -> Tokenize:
    """spaCy's English tokenizer as words (lower case), built once, only when rules are validated."""
    from spacy.lang.en import English

    tokenizer = English().tokenizer
    return lambda text: tuple(t.text for t in tokenizer(text.lower()))


def rule_tokens(rule: dict[str, Any], tokenize: Tokenize) -> tuple[str, ...] | None:
    """The words a rule matches, when it matches one fixed sequence: a literal's tokens, or a token pattern
    of plain ``{"LOWER": word}`` items; None for a pattern with choices, operators or other attributes."""
    pattern = rule.get("pattern")
    if pattern is None:
        return tokenize(rule["literal"])
    if all(set(item) == {"LOWER"} and isinstance(item["LOWER"], str) for item in pattern):
        return tuple(item["LOWER"].lower() for item in pattern)
    return None


def check_token_ties(file: str, rules: Iterable[dict[str, Any]], tokenize: Tokenize | None = None) -> None:
    """Raise RuleError naming the file and both rule ids when two rules of one category match the same tokens."""
    words_of = tokenize or english_tokens()
    seen: dict[tuple[str, tuple[str, ...]], str] = {}
    for rule in rules:
        words = rule_tokens(rule, words_of)
        if words is None:
            continue
        key = (rule["category"], words)
        rid = rule_id(rule)
        if key in seen:
            raise RuleError(
                file, rid,
                f"matches the same tokens as rule {seen[key]} (category {rule['category']}): which id a match names "
                "would depend on the matcher's order; keep one rule",
            )
        seen[key] = rid
