"""Phrase readers for the degenerative spine findings: a thecal sac only touched where the canal is denied, a
summary ("degenerative changes only"), the facet word."""

from __future__ import annotations

import re
from typing import Any

from reportnlp.records.labels.sites import _levels

_FACET = re.compile(r"\bfacets?\b", re.IGNORECASE)
# A line of a table laid out in spaces (two words three spaces or more apart), and one of its cells (words one
# space apart).
_TABLE_LINE = re.compile(r"\S {3,}\S")
_CELL = re.compile(r"\S+(?: \S+)*")


def in_facet_column(text: str, start: int) -> bool:
    """A generic degenerative word at ``start`` stands in the column a table laid out in spaces heads with the
    facets ("Level   Disc   Facets" over "L3-4   normal   mild DJD"; session 22), so it is tied to them as if its
    clause named them (the decider searches the clause itself, once per clause)."""
    return _FACET.search(column_header(text, start)) is not None


def column_header(text: str, start: int) -> str:
    """The header of the column of a table laid out in spaces that ``start`` stands in ("" when it stands in
    none): the first line of the run of table lines above its line (a line of its own with three spaces before
    ``start``), its cell starting at or before ``start``'s column, up to the next cell."""
    line_start = text.rfind("\n", 0, start) + 1
    if text.find("   ", line_start, start) < 0:  # most lines: no table row
        return ""
    header: tuple[int, int] | None = None
    end = line_start - 1
    while end > 0:
        above = text.rfind("\n", 0, end) + 1
        if _TABLE_LINE.search(text, above, end) is None:
            break
        header, end = (above, end), above - 1
    if header is None:
        return ""
    column = start - line_start
    cell = ""
    for found in _CELL.finditer(text, header[0], header[1]):
        if found.start() - header[0] > column:
            break
        cell = found.group()
    return cell


# A thecal sac a finding only touches ("indents / effaces the ventral thecal sac", "mass effect on the thecal
# sac"), with no narrowing word.
_SAC_CONTACT = re.compile(r"\b(?:indent\w*|effac\w*|impress\w*|deform\w*|flatten\w*|effect)", re.I)
_NARROWING = re.compile(r"\b(?:narrow\w*|stenos[ie]s|stenotic|compress\w*|encroach\w*|compromis\w*)", re.I)
# Where a stenosis is: the foramina or the recesses (a negation of only those says nothing of the canal).
_NOT_CANAL = re.compile(r"\b(?:foramin\w*|neuroforamin\w*|foramen|recess\w*|nf[ns]?)\b", re.I)
_CANAL = re.compile(r"\b(?:canal|central|spinal|thecal)\b", re.I)
SAC_CONTACT_NOTE = "thecal sac indentation alone, and the report says there is no canal stenosis at its level"


def _canal_denied(m: dict[str, Any], text: str) -> bool:
    """m says the canal is not stenotic: an absent stenosis mention that names the canal or no place at all
    ("no significant stenosis", "without canal or foraminal stenosis", "the central canal is patent")."""
    if m["concept"] != "spinal_stenosis" or m["assertion"] != "absent" or not m["counts"]:
        return False
    start = min([m["start"], *(c["start"] for c in m.get("cues") or () if c.get("assertion") == "absent")])
    words = text[start : m["end"]]
    return bool(_CANAL.search(words)) or not _NOT_CANAL.search(m["text"])


def _sac_contact_outranked(mentions: list[dict[str, Any]], votes: dict[str, dict[str, list[int]]], text: str) -> None:
    """A thecal sac a finding only indents or effaces is not stenosis when the report says the canal is not
    stenotic at that level (or with no level named): "without significant canal stenosis ... the protrusion
    indents the ventral thecal sac" is no stenosis (docs/decisions.md). A sac narrowing word keeps it."""
    sac = [
        m for m in mentions
        if m["concept"] == "spinal_stenosis" and m.get("contributes", {}).get("degenerative.spinal_stenosis") == "present"
        and _SAC_CONTACT.search(m["text"]) and not _NARROWING.search(m["text"])
    ]
    if not sac:
        return
    denials = [_levels(m) for m in mentions if _canal_denied(m, text)]
    if not denials:
        return
    # A denial with no level covers every level; otherwise a sac shares a level with some denial exactly
    # when it shares one with their union (one set, so many of each stay linear).
    everywhere = any(not denied for denied in denials)
    denied_levels: set[str] = set().union(*denials)
    outranked = {m["id"] for m in sac if everywhere or _levels(m) & denied_levels}
    for m in sac:
        if m["id"] in outranked:
            m["contributes"] = {}
            m["note"] = SAC_CONTACT_NOTE
    votes_for = votes.get("degenerative.spinal_stenosis", {})
    if outranked and "present" in votes_for:
        votes_for["present"][:] = [i for i in votes_for["present"] if i not in outranked]


# "degenerative uptake only"; "degenerative changes as above / as described" (also cut off: "as descri")
# points back to the findings already named
_ONLY_AFTER = re.compile(r"\s+(?:only\b|as\s+(?:descri|above\b|noted\b|detailed\b|mentioned\b))", re.I)
_ONLY_BEFORE = re.compile(r"\bonly\s+(?:(?:mild|minimal|minor|some|early)\s+)?$", re.I)


def _only_summary(text: str, start: int, end: int) -> bool:
    """A generic degenerative mention said to be all there is: "degenerative uptake only", "only mild
    degenerative changes", or that points back to them ("degenerative changes as described")."""
    return _ONLY_AFTER.match(text, end) is not None or _ONLY_BEFORE.search(text, max(0, start - 30), start) is not None
