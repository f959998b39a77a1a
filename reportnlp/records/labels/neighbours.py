"""A mention's neighbours: the report's mentions grouped by clause and sentence (``Neighbours``), and the
questions the label rules ask of them (a spine study reported, a specimen line). The organ a cord compression or
stenosis presses on is left out of the other findings' sites by the locations step (labels.md section 6)."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterator
from functools import cached_property
from itertools import accumulate, pairwise
from typing import Any

from reportnlp.records.labels.exam import specimen_spans
from reportnlp.records.labels.sites import affirmed, kinds_of, span_of, spine_site
from reportnlp.records.labels.vocabulary import DIFFUSE_ONLY, MALIGNANT
from reportnlp.records.line_starts import LineStarts


def _affirmed_keys(n: dict[str, Any], group: Callable[[dict[str, Any]], str]) -> list[str]:
    """The facts an affirmed mention adds to its clause's and sentence's counts (none if not affirmed)."""
    if not affirmed(n):
        return []
    # a cause that explains only diffuse marrow uptake is no benign reading of anything else ("group:diffuse_cause")
    kind = "diffuse_cause" if n["rule"] in DIFFUSE_ONLY else group(n)
    keys = [f"group:{kind}", f"concept:{n['concept']}", f"rule:{n['rule']}"]
    if n["concept"] in MALIGNANT:
        keys.append(f"malignant:{n['assertion']}")
    return keys


def without(counts: Counter[str], own: list[str]) -> Counter[str]:
    """``counts - Counter(own)`` for a few ``own`` keys: a copy with each of them taken away once (keys
    that reach zero dropped), instead of Counter subtraction's walk over every key of a long clause's counts."""
    out = counts.copy()
    for key in own:
        left = out.get(key, 0) - 1
        if left > 0:
            out[key] = left
        else:
            out.pop(key, None)
    return out


def _ordered_starts(members: list[dict[str, Any]]) -> list[int] | None:
    """The members' starts when they are in start order, else None."""
    starts = [n["start"] for n in members]
    return starts if all(a <= b for a, b in pairwise(starts)) else None


# A sentence of at most this many mentions is read on from a start, not listed (listing costs more than it saves)
_SHORT_SENTENCE = 16


def _kept_with_starts(members: list[dict[str, Any]], keep: Callable[[dict[str, Any]], bool]
                      ) -> tuple[list[dict[str, Any]], list[int] | None]:
    kept = [n for n in members if keep(n)]
    return kept, _ordered_starts(kept)


class Neighbours:
    """A report's mentions grouped by clause and by sentence, in mention order.

    Labels look at the other mentions of a mention's clause or sentence; looking them up here
    keeps a long report linear instead of comparing every pair of its mentions.
    """

    def __init__(
        self, mentions: list[dict[str, Any]], benign: Callable[[dict[str, Any]], bool], text: str = "",
        lines: LineStarts | None = None,
    ) -> None:
        self.all = mentions
        self.text = text
        self.lines = LineStarts.of_text(text, lines)  # the report's line starts
        self._is_benign = benign
        self._clause: dict[tuple[int, int], list[dict[str, Any]]] = {}
        self._sentence: dict[tuple[int, int], list[dict[str, Any]]] = {}
        self._order: list[tuple[int, int]] | None = None
        self._clause_counts: dict[tuple[int, int], Counter[str]] = {}
        self._sentence_counts: dict[tuple[int, int], Counter[str]] = {}
        self._least: dict[tuple[str, int, int], int | None] = {}
        self._organ_finding: dict[tuple[int, int], bool] = {}
        self._organ_anywhere: bool | None = None  # some affirmed lesion or benign finding of the report names an organ
        self._once: dict[tuple[Any, ...], Any] = {}
        for m in mentions:
            self._clause.setdefault(span_of(m, "clause"), []).append(m)
            self._sentence.setdefault(span_of(m, "sentence"), []).append(m)

    # The two below are read for a few mentions of a few reports (a lesion a benign finding may explain, a
    # finding that needs the spine), so they are found then, once. What they read is never changed by the
    # label steps before (concept, counts, rule, locations; an assertion only from present to possible).
    @cached_property
    def benign(self) -> list[dict[str, Any]]:
        """The counting, affirmed benign findings."""
        return [m for m in self.all if self._is_benign(m)]

    @cached_property
    def names_spine(self) -> bool:
        """Some study or counting finding of the report names a spine site."""
        return any(spine_site(m) for m in self.all if m["concept"] == "modality" or m["counts"])

    def sentence_least(self, m: dict[str, Any], name: str, value: Callable[[dict[str, Any]], int | None]) -> int | None:
        """The least ``value`` over the mentions of m's sentence (None values left out, None if none is left),
        computed once per sentence and ``name``. Callers ask about the other mentions: m's own value is None."""
        key = (name, *span_of(m, "sentence"))
        if key not in self._least:
            values = [v for n in self._sentence.get(key[1:], ()) if (v := value(n)) is not None]
            self._least[key] = min(values, default=None)
        return self._least[key]

    def clause_counts(self, m: dict[str, Any], group: Callable[[dict[str, Any]], str]) -> Counter[str]:
        """What the other mentions of m's clause affirm, counted once per clause: ``group:<g>``,
        ``concept:<c>``, ``rule:<r>`` and, for malignant concepts, ``malignant:<assertion>``."""
        return self._counts(self._clause, self._clause_counts, span_of(m, "clause"), m, group)

    def sentence_counts(self, m: dict[str, Any], group: Callable[[dict[str, Any]], str]) -> Counter[str]:
        """The same counts for the other mentions of m's sentence."""
        return self._counts(self._sentence, self._sentence_counts, span_of(m, "sentence"), m, group)

    @staticmethod
    def _counts(members: dict[tuple[int, int], list[dict[str, Any]]], cache: dict[tuple[int, int], Counter[str]],
                key: tuple[int, int], m: dict[str, Any] | None, group: Callable[[dict[str, Any]], str]) -> Counter[str]:
        counts = cache.get(key)
        if counts is None:
            counts = cache[key] = Counter()
            for n in members.get(key, ()):
                counts.update(_affirmed_keys(n, group))
        own = _affirmed_keys(m, group) if m is not None else []
        return without(counts, own) if own else counts

    def clause_members(self, m: dict[str, Any]) -> list[dict[str, Any]]:
        """All mentions of m's clause, m included, in mention order."""
        return self._clause.get(span_of(m, "clause"), [])

    def once(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        """``compute()``, remembered under ``key`` for this report: what a label rule asks of a clause, a
        sentence or the whole report is found once however many mentions ask (a long report stays linear)."""
        if key not in self._once:
            self._once[key] = compute()
        return self._once[key]

    def found_in(self, m: dict[str, Any], part: str, pattern: re.Pattern[str]) -> bool:
        """``pattern`` occurs in m's ``part`` ("sentence" or "clause"), searched once per stretch of text and pattern:
        each mention searching its own sentence or clause made one of many findings cost its length once per
        finding ("No collapse, no collapse, ...": session 22)."""
        key = (pattern, *span_of(m, part))
        found = self._once.get(key)
        if found is None:
            found = self._once[key] = pattern.search(self.text, key[1], key[2]) is not None
        return found

    def by_id(self, mention_id: int) -> dict[str, Any]:
        """The mention with this id (a linked cause's, say); the map is built once per report."""
        return self.once(("by id",), lambda: {n["id"]: n for n in self.all})[mention_id]

    def previous_sentence_counts(self, m: dict[str, Any], group: Callable[[dict[str, Any]], str]) -> Counter[str]:
        """The counts of ``sentence_counts`` for the sentence right before m's (empty if text parts them)."""
        before = self.previous_sentence(m)
        if not before:
            return Counter()
        return self._counts(self._sentence, self._sentence_counts, span_of(before[0], "sentence"), None, group)

    def previous_organ_finding(self, m: dict[str, Any], group: Callable[[dict[str, Any]], str]) -> bool:
        """The sentence right before m's holds an affirmed lesion or benign finding tied to a non-bone organ
        and none tied to a bone or spine level (found once per sentence)."""
        if self._organ_anywhere is None:  # (asked once per report: a report with no such finding asks no sentence)
            self._organ_anywhere = any(
                n["counts"] and affirmed(n) and group(n) in ("bone_lesion", "benign") and "organ" in kinds_of(n)
                for n in self.all
            )
        if not self._organ_anywhere:
            return False
        before = self.previous_sentence(m)
        if not before:
            return False
        key = span_of(before[0], "sentence")
        found = self._organ_finding.get(key)
        if found is None:
            lesions = [n for n in before if n["counts"] and affirmed(n) and group(n) in ("bone_lesion", "benign")]
            kinds = [kinds_of(n) for n in lesions]  # a spine level beside an organ may still be bone
            found = self._organ_finding[key] = any("organ" in k for k in kinds) and not any(
                k & {"bone", "level"} for k in kinds
            )
        return found

    def reads_organ_lesion(self, m: dict[str, Any], group: Callable[[dict[str, Any]], str]) -> bool:
        """m is the reading item that ends its sentence's list (", consistent with metastases") and the affirmed
        lesions before it in its sentence are tied to a non-bone organ, none to a bone or spine level: the reading
        is of those lesions ("three new enhancing lesions: 9 mm in the right frontal lobe, 6 mm in the left
        cerebellar hemisphere ..., consistent with metastases"; session 34)."""
        if _READING_ITEM.search(self.text, max(0, m["start"] - _READING_REACH), m["start"]) is None:
            return False
        lesions = [n for n in self.sentence_members(m)
                   if n["start"] < m["start"] and n["counts"] and affirmed(n) and group(n) in ("bone_lesion", "benign")]
        kinds = [kinds_of(n) for n in lesions]
        return any("organ" in k for k in kinds) and not any(k & {"bone", "level"} for k in kinds)

    def _neighbour(self, m: dict[str, Any], step: int, quiet: bool = False) -> list[dict[str, Any]]:
        """The mentions of the sentence right before (step -1) or after (+1) m's, if only spaces part them
        (quiet: if one sentence that names nothing parts them)."""
        if self._order is None:
            self._order = sorted(self._sentence)
        here = span_of(m, "sentence")
        k = bisect_left(self._order, here) + step
        if not 0 <= k < len(self._order):
            return []
        other = self._order[k]
        gap = (self.text[other[1] : here[0]] if step < 0 else self.text[here[1] : other[0]]).strip()
        return self._sentence[other] if (_QUIET_SENTENCE.fullmatch(gap) if quiet else not gap) else []

    def sentence_members(self, m: dict[str, Any]) -> list[dict[str, Any]]:
        """All mentions of m's sentence, m included, in mention order."""
        return self._sentence.get(span_of(m, "sentence"), [])

    def sentence_members_from(self, m: dict[str, Any], start: int) -> Iterator[dict[str, Any]]:
        """The mentions of m's sentence from the first that starts at or after ``start`` on, in mention order
        (found by halving the sentence's starts, kept once per sentence: a fracture asking for the finding after
        it, in a sentence of thousands of them, made a report quadratic). Where mention order is not start
        order, from the sentence's first mention: a caller keeps its own test of the start."""
        key = span_of(m, "sentence")
        members = self._sentence.get(key, [])
        starts = self.once(("sentence starts", key), lambda: _ordered_starts(members))
        return map(members.__getitem__, range(bisect_left(starts, start) if starts else 0, len(members)))

    def first_kept(self, m: dict[str, Any], start: int, name: str, keep: Callable[[dict[str, Any]], bool]
                   ) -> dict[str, Any] | None:
        """The first mention of m's sentence, in mention order, that starts at or after ``start`` and that ``keep``
        (called ``name``) holds for. The kept mentions are listed once per sentence and name and found by halving
        their starts: each fracture of a sentence of thousands read on past the mentions it does not keep (a line
        of findings that do not count: 100 kB 1.3 s; session 24). Where their order is not start order, they are
        read from the first."""
        key = span_of(m, "sentence")
        if len(self._sentence.get(key, ())) <= _SHORT_SENTENCE:  # nearly every sentence: read on, no list kept
            return next((n for n in self.sentence_members_from(m, start) if n["start"] >= start and keep(n)), None)
        kept, starts = self.once(("kept", name, *key), lambda: _kept_with_starts(self._sentence.get(key, []), keep))
        if starts is None:
            return next((n for n in kept if n["start"] >= start), None)
        i = bisect_left(starts, start)
        return kept[i] if i < len(kept) else None

    def previous_sentence(self, m: dict[str, Any]) -> list[dict[str, Any]]:
        """The mentions of the sentence right before m's (nothing but spaces between them)."""
        return self._neighbour(m, -1)

    def next_sentence(self, m: dict[str, Any]) -> list[dict[str, Any]]:
        """The mentions of the sentence right after m's (nothing but spaces between them)."""
        return self._neighbour(m, +1)

    def past_quiet_sentence(self, m: dict[str, Any], step: int) -> list[dict[str, Any]]:
        """The mentions of the sentence two before (step -1) or after (+1) m's, when the one sentence between
        names nothing and holds no header ("Collapse of T11. There is mild retropulsion. An underlying lesion
        cannot be excluded."); [] when a sentence with mentions is next to m's (session 17)."""
        return [] if self._neighbour(m, step) else self._neighbour(m, step, quiet=True)


# One sentence that names nothing, between two that do: no header (colon), no second sentence.
_QUIET_SENTENCE = re.compile(r"[^.!?:\n]+[.!?]")
# a comma item that reads the findings listed before it ("..., consistent with metastases")
_READING_ITEM = re.compile(
    r",[ \t]*(?:(?:most|more|likely|probably)[ \t]+)?(?:consistent[ \t]+with|compatible[ \t]+with|in[ \t]+keeping[ \t]+with|"
    r"suspicious[ \t]+for|concerning[ \t]+for|suggestive[ \t]+of|representing|likely|probably)[ \t]+$", re.I)
_READING_REACH = 40  # characters before a mention where its reading item's words are looked for


def reports_a_spine_study(m: dict[str, Any], nearby: Neighbours) -> bool:
    """m's sentence, or the one right before it, names a spine study done ("MRI lumbar spine shows ... No
    stenosis."), or m's line opens with one ("MRI L-spine (21:05): Small L5-S1 protrusion. No compression of the
    cauda equina. Canal otherwise capacious."; session 35): what a note (which has no exam title) reports of that
    study is read as spine imaging."""
    return nearby.once(  # type: ignore[no-any-return]
        ("spine_study", *span_of(m, "sentence")),
        lambda: any(_a_spine_study(n) for n in (*nearby.sentence_members(m), *nearby.previous_sentence(m))),
    ) or _line_opens_with_a_spine_study(m, nearby)


def _a_spine_study(n: dict[str, Any]) -> bool:
    return bool(
        n["concept"] == "modality" and n["assertion"] == "present" and (n["counts"] or n.get("counts_modality"))
        and spine_site(n)
    )


def _line_opens_with_a_spine_study(m: dict[str, Any], nearby: Neighbours) -> bool:
    """The last study named before m on m's own line is a spine study done (its result line goes on past one
    sentence); a study of another part named between them ("... lumbar spine showed stenosis. A CTA of the neck
    showed ... no stenosis", one exported paragraph) has the words after it."""
    line_start = nearby.text.rfind("\n", 0, m["start"]) + 1
    last = max(
        (n for n in nearby.all if n["concept"] == "modality" and line_start <= n["start"] < m["start"]),
        key=lambda n: n["start"], default=None,
    )
    return last is not None and _a_spine_study(last)


def on_specimen_line(m: dict[str, Any], nearby: Neighbours) -> bool:
    """m sits on a specimen line of a pathology report (the lines are found once per report)."""
    lines = nearby.once(("specimen lines",), lambda: sorted(specimen_spans(nearby.text)))
    if not lines:
        return False
    # Some span starting by m reaches past its end: the furthest end of the spans that start by m says (a header's
    # parts may repeat a line the header pattern also finds, so the spans may overlap).
    starts, reach = nearby.once(("specimen line reach",), lambda: _starts_and_reach(lines))
    i = bisect_right(starts, m["start"]) - 1
    return i >= 0 and m["end"] <= reach[i]


def _starts_and_reach(spans: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """The sorted spans' starts and, for each, the furthest end of it and the spans before it."""
    return [lo for lo, _ in spans], list(accumulate((hi for _, hi in spans), max))
