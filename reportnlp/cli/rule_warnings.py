"""Load-time warnings about a rule folder: what makes a run slower without changing its records.

A token pattern that tests something the fast token engine does not cover (a SHAPE test, POS, a "+" repeat)
hands every report's whole matching to spaCy's Matcher: about seven times the CPU, with the same records.
A user's own rule file (``--patterns DIR``) says nothing of it, so the run says it once, before the first
report: one line per such rule on stderr, naming the file, the rule and what it tests (rule files only,
never report text).
"""

from __future__ import annotations

import sys
from typing import TextIO

from reportnlp.nlp.rules import RuleSet
from reportnlp.render.safe_text import one_line


def warn_slow_rules(rules: RuleSet, stream: TextIO | None = None) -> int:
    """Write one warning line per rule the fast token engine cannot run; returns how many."""
    from reportnlp.nlp.components.matching import slow_rules  # spaCy: only for a command that runs the pipeline

    found = slow_rules(rules)
    out = stream or sys.stderr
    for file, rule, what in found:
        out.write(one_line(
            f"reportnlp: warning: {file} rule '{rule}' tests {what}, which the fast token engine does not cover: "
            "every report is matched by spaCy's Matcher instead, about 7x the CPU (the records are the same); "
            "write it with LOWER / TEXT / ORTH (a string, IN, NOT_IN or REGEX), IS_* flags and ? or {n,m} repeats"
        ) + "\n")
    return len(found)
