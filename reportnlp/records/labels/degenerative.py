"""Phrase readers for the degenerative spine findings: a thecal sac only touched where the canal is denied, a
summary ("degenerative changes only"), the facet word."""

from __future__ import annotations

import re
from typing import Any

from reportnlp.records.labels.sites import levels_of

FACET = re.compile(r"\bfacets?\b", re.IGNORECASE)
# A line of a table laid out in spaces (two words three spaces or more apart) or in tabs, and one of its cells
# (words one space apart).
_TABLE_LINE = re.compile(r"\S(?: {3,}|\t+ *)\S")
_CELL = re.compile(r"\S+(?: \S+)*")
_TABS = re.compile(r"\t+")
# A table row's characters before a cell's word, at most: a longer line is prose (searching a line of a megabyte
# back to its start for each generic word made one long line quadratic; session 22).
_ROW_REACH = 300


def in_facet_column(text: str, start: int, headers: dict[int, tuple[int, int] | None] | None = None) -> bool:
    """A generic degenerative word at ``start`` stands in the column a table laid out in spaces heads with the
    facets ("Level   Disc   Facets" over "L3-4   normal   mild DJD"; session 22), so it is tied to them as if its
    clause named them (the decider searches the clause itself, once per clause). ``headers``: the report's memo
    of each table line's header (see column_header)."""
    return FACET.search(column_header(text, start, headers)) is not None


def column_header(text: str, start: int, headers: dict[int, tuple[int, int] | None] | None = None) -> str:
    """The header of the column of a table laid out in spaces that ``start`` stands in ("" when it stands in
    none): the first line of the run of table lines above its line (a line of its own with three spaces before
    ``start``), its cell starting at or before ``start``'s column, up to the next cell. ``headers`` remembers, per
    line start, the header line found for it, so the rows of one long table walk up to it once between them (each
    row walking the whole table made a table of thousands of rows quadratic; session 22)."""
    reach = max(0, start - _ROW_REACH)
    line_start = text.rfind("\n", reach, start) + 1
    tabbed = text.find("\t", line_start, start) >= 0
    if (line_start == 0 and reach > 0) or (not tabbed and text.find("   ", line_start, start) < 0):
        return ""  # most lines: no table row; nor is a line of more than _ROW_REACH characters before the word
    header = _header_above(text, line_start, {} if headers is None else headers)
    if header is None:
        return ""
    if tabbed:  # a table laid out in tabs: the header's cell of as many tabs
        cells = _TABS.split(text[header[0] : header[1]].strip())
        column_index = len(_TABS.findall(text, line_start, start))
        return cells[column_index].strip() if column_index < len(cells) else ""
    column = start - line_start
    cell = ""
    for found in _CELL.finditer(text, header[0], header[1]):
        if found.start() - header[0] > column:
            break
        cell = found.group()
    return cell


def _header_above(text: str, line_start: int, headers: dict[int, tuple[int, int] | None]) -> tuple[int, int] | None:
    """The (start, end) of the first line of the run of table lines right above the line at ``line_start`` (None if
    the line above is no table line): the line above's own header if it has one, else that line. Every line
    walked is remembered in ``headers``, so the rows of one table find their header once between them."""
    chain: list[tuple[int, int]] = []  # (a line, the table line above it), nearest first
    while line_start not in headers:
        end = line_start - 1
        above = text.rfind("\n", 0, end) + 1 if end > 0 else -1
        if above < 0 or _TABLE_LINE.search(text, above, end) is None:
            headers[line_start] = None
            break
        chain.append((line_start, above))
        line_start = above
    for below, above in reversed(chain):  # the farthest first: each takes its line above's header, or that line
        headers[below] = headers[above] or (above, below - 1)
    return headers[chain[0][0]] if chain else headers[line_start]


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


def sac_contact_outranked(mentions: list[dict[str, Any]], votes: dict[str, dict[str, list[int]]], text: str) -> None:
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
    denials = [levels_of(m) for m in mentions if _canal_denied(m, text)]
    if not denials:
        return
    # A denial with no level covers every level; otherwise a sac shares a level with some denial exactly
    # when it shares one with their union (one set, so many of each stay linear).
    everywhere = any(not denied for denied in denials)
    denied_levels: set[str] = set().union(*denials)
    outranked = {m["id"] for m in sac if everywhere or levels_of(m) & denied_levels}
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


def only_summary(text: str, start: int, end: int) -> bool:
    """A generic degenerative mention said to be all there is: "degenerative uptake only", "only mild
    degenerative changes", or that points back to them ("degenerative changes as described")."""
    return _ONLY_AFTER.match(text, end) is not None or _ONLY_BEFORE.search(text, max(0, start - 30), start) is not None
