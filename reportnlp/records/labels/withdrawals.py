"""Where a finding is taken back (``withdrawn``): a later addendum or correcting sentence denies the affirmed
fracture, cord compression or degenerative finding outright at its site ("ADDENDUM: at L4-5 there is no
protrusion."). Asked by the fracture, cord and degenerative contributions."""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

from reportnlp.records.labels.corrections import ADDENDUM, LaterDenials, addendum_heads
from reportnlp.records.labels.label_rules import LabelRules
from reportnlp.records.labels.neighbours import Neighbours
from reportnlp.records.labels.sites import affirmed

# What a text needs for a later word on its findings: an addendum's header ("addendum", "update", "amended",
# "correction", "discrepancy", "attending ...") or a correcting sentence's word (corrections.CORRECTION).
_LATER_WORDS = ("addend", "update", "amend", "correct", "discrepan", "attending", "actually", "retrospect", "review",
                "instead", "agree")


def withdrawn(rules: LabelRules, m: dict[str, Any], nearby: Neighbours) -> bool:
    """A later addendum or correcting sentence denies the affirmed m outright at its site: the reader's last
    word takes back what the body, or an earlier addendum, named there ("C4-5: small protrusion." ...
    "Attending statement: ... the C4-5 finding is a bulge, not a protrusion."). A cord compression is one
    organ's: a denial that names no site of its own ("There is no cord compression.") takes back any. An
    addendum's own finding is taken back only by a later addendum (a header between them)."""
    denials = nearby.once(("denials",), lambda: _later_denials(rules, nearby))
    if not denials:  # nearly every report: no addendum or correcting word in it, or no denial
        return False
    key = _withdrawal_key(rules, m)
    if key not in denials or not affirmed(m):
        return False
    after = m["end"]
    if m["section"] == ADDENDUM:
        heads = addendum_heads(nearby)
        i = bisect_left(heads, (m["end"], 0))
        if i == len(heads):
            return False
        after = max(after, heads[i][1] - 1)  # a denial from the end of the next header on
    return denials[key].takes_back(m, after, unsited=key == "cord", nearby=nearby)


def _later_denials(rules: LabelRules, nearby: Neighbours) -> dict[str, LaterDenials]:
    """The denials that may take a finding back, by what they deny; none in a report with no word an addendum's
    header or a correcting sentence needs (one lower-cased copy and a few substring scans: str, not regex)."""
    lower = nearby.text.lower()
    if not any(word in lower for word in _LATER_WORDS):
        return {}
    out: dict[str, list[dict[str, Any]]] = {}
    for n in nearby.all:
        if n["assertion"] == "absent" and n["counts"] and (k := _withdrawal_key(rules, n)) is not None:
            out.setdefault(k, []).append(n)
    return {k: LaterDenials(found) for k, found in out.items()}


def _withdrawal_key(rules: LabelRules, m: dict[str, Any]) -> str | None:
    """What a later denial must name to take m back: a fracture, a cord compression, or m's degenerative finding."""
    group = rules.group(m)
    if group in ("fracture", "cord"):
        return group
    return rules.concepts[m["concept"]]["degenerative"] if group == "degenerative" else None
