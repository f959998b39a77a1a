"""One cached rule load per patterns folder, shared by all components of a pipeline.

Factory modules avoid `from __future__ import annotations`: spaCy reads their signatures at run time.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from reportnlp.nlp.rules import RuleError, RuleSet, load_rules


@lru_cache(maxsize=8)
def rules_for(patterns: str | None) -> RuleSet:
    return load_rules(patterns)


@contextmanager
def rule_errors(file: str, rule: str) -> Iterator[None]:
    """Turn spaCy's complaint about one rule's token pattern into a RuleError naming it."""
    try:
        yield
    except (ValueError, TypeError, KeyError) as exc:  # spacy MatchPatternError is a ValueError
        reason = " ".join(str(exc).split())
        raise RuleError(file, rule, f"token pattern rejected by spaCy: {reason[:300]}") from None
