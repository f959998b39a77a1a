"""Change cues by position: the indexed search (nearest cue outwards, blocked at TERMINATE cues) gives what
weighing every cue of the sentence gives (the plain rule below), on arbitrary sentences."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from reportnlp.nlp.rules import load_rules
from reportnlp.records.change import ChangeFinder

FINDER = ChangeFinder(load_rules().change)
WORD = re.compile(r"\w+")
FINDINGS = {"metastasis": "metastasis", "fracture": "fracture", "lesions": "lytic_lesion"}
WORDS = ["new", "stable", "unchanged", "increased", "decreased", "resolved", "no longer seen", "but", ";", "since",
         "the", "in", "size", "interval", "progression of", "again", "and", ",", "prior", "enlarging", "healing"]


def plain_change(text: str, m: dict[str, Any]) -> str | None:
    """Every cue of the sentence weighed in turn; the nearest applicable wins, then precedence, then text order."""
    cues = FINDER.cues(text, m["sentence"]["start"], m["sentence"]["end"])
    stops = [c for c in cues if c[2].direction == "TERMINATE"]
    best = None
    for cue in cues:
        start, end, rule = cue
        if not FINDER._applies(m, rule):
            continue
        if end > m["start"] and start < m["end"]:
            gap = (m["start"], m["start"])
        elif end <= m["start"] and rule.direction in ("FORWARD", "BIDIRECTIONAL"):
            gap = (end, m["start"])
        elif start >= m["end"] and rule.direction in ("BACKWARD", "BIDIRECTIONAL"):
            gap = (m["end"], start)
        else:
            continue
        if any(s >= gap[0] and e <= gap[1] for s, e, _ in stops):
            continue
        distance = len(WORD.findall(text, gap[0], gap[1]))
        if rule.max_scope is not None and distance > rule.max_scope:
            continue
        key = (distance, FINDER.rank[rule.status])
        if best is None or key < best[0]:
            best = (key, rule.status)
    return best[1] if best else None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([*WORDS, *FINDINGS]), st.sampled_from(["present", "possible", "absent"])),
                max_size=30))
def test_each_mention_gets_the_change_the_plain_rule_gives(words: list[tuple[str, str]]) -> None:
    text, mentions = "", []
    for word, assertion in words:
        start = len(text) + (1 if text else 0)
        text = f"{text} {word}" if text else word
        if word in FINDINGS:
            mentions.append({"id": len(mentions), "concept": FINDINGS[word], "category": "bone_lesion",
                             "assertion": assertion, "start": start, "end": len(text)})
    for m in mentions:
        m["sentence"] = {"start": 0, "end": len(text)}
    FINDER.annotate(text, mentions)
    assert [(m["change"] or {}).get("status") for m in mentions] == [plain_change(text, m) for m in mentions]
