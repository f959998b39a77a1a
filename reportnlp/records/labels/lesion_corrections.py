"""Where a bone lesion is corrected (``corrected``): a later benign reading at its site, in an addendum or a
correcting sentence ("ADDENDUM: the T8 lesion is actually a hemangioma"), that leaves no malignant reading open;
a site-less hedge ("metastasis not excluded") goes with the sited lesions it hedges, or the levels its paragraph
names, when each is corrected. The corrections are filed once a report by the sites they read (``_Corrections``);
the addendum phrases themselves are read in ``corrections.py``."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from typing import Any

from reportnlp.records.labels.benign_explanations import left_open
from reportnlp.records.labels.corrections import ADDENDUM, CORRECTION, Readdressings, addendum_heads
from reportnlp.records.labels.label_rules import LabelRules
from reportnlp.records.labels.neighbours import Neighbours
from reportnlp.records.labels.sites import affirmed, sites_of, span_of
from reportnlp.records.labels.vocabulary import LESIONS, MALIGNANT

# a spine level written as a word ("T10", "L1"), not inside a range or a word, nor an MRI sequence ("T1 hypointense",
# "T2 bright", "T1-weighted", "T1 and T2")
_LEVEL_WORD = re.compile(
    r"(?<![\w-])([CTLS])(\d{1,2})(?![\w-])(?!(?<=[Tt][12])\s+(?:and|or|hypo|hyper|iso|bright|dark|signal|weighted|post|fat|images?))",
    re.I)
# a spine level as written, for _levels_since_head's set (the level's own spelling, any case)
_LEVEL_AS_WRITTEN = re.compile(r"(?<![\w-])[CTLS]\d{1,2}(?![\w-])", re.I)
# How far back from a reading's sentence end, and from a hedge, the levels they name are read: a paragraph of a
# report (a whole report exported on one line is read this far, not to its start, once per reading or hedge)
_PARAGRAPH_REACH = 2000


def _levels_since_head(n: dict[str, Any], nearby: Neighbours) -> set[str]:
    """The levels a site-less benign reading n in an addendum names between the addendum's head and its sentence
    end (within _PARAGRAPH_REACH of it), as written: the addendum's reading of them (session 23)."""
    text, end = nearby.text, n["sentence"]["end"]
    heads = addendum_heads(nearby)
    i = bisect_right(heads, (n["start"], n["start"])) - 1
    while i >= 0 and heads[i][1] > n["start"]:  # a head must end by n's start
        i -= 1
    if i < 0:
        return set()
    lo = max(heads[i][0], end - _PARAGRAPH_REACH)
    return {x.group(0).upper() for x in _LEVEL_AS_WRITTEN.finditer(text, lo, end)}


def _reading_sites(n: dict[str, Any], nearby: Neighbours) -> set[str]:
    """The sites a benign reading names: its own, or those of the lesion its clause reads ("Attending addendum: the
    right iliac focus is a bone island": the island's site is the focus's, the iliac bone; session 23)."""
    return sites_of(n).union(*(sites_of(k) for k in nearby.clause_members(n) if k["concept"] in LESIONS and k is not n))


def _corrections(nearby: Neighbours) -> list[dict[str, Any]]:
    """The report's benign readings that may correct a lesion: in an addendum or in a correcting sentence (once a
    report)."""
    return nearby.once(("corrections",), lambda: [  # type: ignore[no-any-return]
        n for n in nearby.benign if n["section"] == ADDENDUM or nearby.found_in(n, "sentence", CORRECTION)
    ])


def _corrections_index(nearby: Neighbours) -> _Corrections:
    """The corrections filed by the sites they read (once a report)."""
    return nearby.once(("corrections index",), lambda: _Corrections(_corrections(nearby), nearby))  # type: ignore[no-any-return]


class _Corrections:
    """The report's corrections (benign readings in an addendum or a correcting sentence; corrected)
    filed by each site they read (_reading_sites), and, for a hedge's levels, by those sites and each level a
    site-less addendum reading's addendum names before it (_levels_since_head), in text order; the site-less
    addendum readings by the names their windows hold (Readdressings). A lesion asks, for each of its sites, for
    the latest correction filed there that leaves no malignant reading open for it, found once per site and site
    set: every lesion asked every correction (a report of thousands of lesions each corrected in an addendum
    line: 100 kB 3.0 s; session 24). (nearby is passed in, not kept: this lives in nearby's memo.)"""

    def __init__(self, corrections: list[dict[str, Any]], nearby: Neighbours) -> None:
        self.ordered = sorted(corrections, key=lambda n: n["start"])
        self.by_site: dict[str, list[dict[str, Any]]] = {}
        for n in self.ordered:
            for name in _reading_sites(n, nearby):
                self.by_site.setdefault(name, []).append(n)
        self.by_level: dict[str, list[dict[str, Any]]] | None = None
        self.readdressings = Readdressings(self.ordered, nearby.text, addendum_heads(nearby))
        self.latest: dict[tuple[bool, str, frozenset[str]], int] = {}

    def levels(self, nearby: Neighbours) -> dict[str, list[dict[str, Any]]]:
        """The corrections by site and by the levels named since their addendum's header (found when first asked)."""
        if self.by_level is None:
            self.by_level = {}
            for n in self.ordered:
                names = _reading_sites(n, nearby)
                if n["section"] == ADDENDUM and not sites_of(n):
                    names = names | _levels_since_head(n, nearby)
                for name in names:
                    self.by_level.setdefault(name, []).append(n)
        return self.by_level

    def after(self, m: dict[str, Any], name: str, left_open: Callable[[dict[str, Any], dict[str, Any]], bool],
              by_level: bool = False) -> bool:
        """A correction filed under ``name`` starts after m ends and leaves no malignant reading open for m (which
        asks of m's sites only)."""
        key = (by_level, name, frozenset(sites_of(m)))
        latest = self.latest.get(key)
        if latest is None:
            filed = (self.by_level or {}) if by_level else self.by_site
            latest = self.latest[key] = next((n["start"] for n in reversed(filed.get(name, ())) if not left_open(n, m)), -1)
        return latest > m["end"]


def corrected(rules: LabelRules, m: dict[str, Any], nearby: Neighbours) -> bool:
    """A later correction reads m's site as benign: an affirmed benign finding at one of m's sites, after it,
    in an addendum or in a sentence that corrects ("is actually", "on further review", "in retrospect")."""
    if not _corrections(nearby):  # nearly every report: no benign reading in an addendum or a correcting sentence
        return False
    sites = sites_of(m)
    if not sites:
        return _hedge_of_corrected(rules, m, nearby)
    index = _corrections_index(nearby)

    def open_for(n: dict[str, Any], k: dict[str, Any]) -> bool:
        return left_open(rules, n, k, nearby)

    return any(index.after(m, site, open_for) for site in sites) or index.readdressings.readdress(m, open_for)


def _hedge_of_corrected(rules: LabelRules, m: dict[str, Any], nearby: Neighbours) -> bool:
    """A hedged metastasis with no site of its own ("T6 sclerotic focus; metastasis not excluded", or
    "Metastasis cannot be excluded." right after it) is the hedge of the sited lesions of its sentence (or,
    with none there, of the sentence before): when a later correction reads every one of them as benign,
    the hedge goes with them (session 17)."""
    if m["assertion"] != "possible" or m["concept"] not in MALIGNANT:
        return False

    def lesions(members: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [n for n in members if n["concept"] in LESIONS and n["counts"] and affirmed(n) and sites_of(n)]

    # (both found once per sentence: each hedge of a long sentence read the lesions before it; session 24)
    sentence = span_of(m, "sentence")
    near = nearby.once(("hedged lesions", *sentence),
                       lambda: lesions(nearby.sentence_members(m)) or lesions(nearby.previous_sentence(m)))
    if not near:  # "1.3 cm enhancing focus in T10. Metastasis cannot be excluded." (a focus no rule names)
        return _levels_corrected(rules, m, nearby)
    return bool(nearby.once(("hedged lesions corrected", *sentence), lambda: all(corrected(rules, n, nearby) for n in near)))


def _levels_corrected(rules: LabelRules, m: dict[str, Any], nearby: Neighbours) -> bool:
    """The hedge m, with no sited lesion in its sentence or the one before, hedges what those sentences name
    at the spine levels its paragraph names: when a later correction reads each of them as benign ("ADDENDUM:
    ... It is a typical hemangioma" after naming T10), the hedge goes with it (session 23)."""
    text, end = nearby.text, m["sentence"]["end"]
    reach = max(0, m["start"] - _PARAGRAPH_REACH)
    line = max(text.rfind("\n", reach, m["start"]) + 1, reach)  # the hedge's paragraph, up to its sentence's end
    levels = {f"{x.group(1).upper()}{int(x.group(2))}" for x in _LEVEL_WORD.finditer(text, line, end)}
    if not levels:
        return False
    index = _corrections_index(nearby)
    index.levels(nearby)
    return all(index.after(m, level, lambda n, k: left_open(rules, n, k, nearby), by_level=True) for level in levels)
