"""How each finding changed since a prior exam: ``mention.change`` and ``labels.change``.

The cues are ``patterns/change.json`` (ConText-style rules, validated by ``load_rules``). A cue applies
to a mention in its sentence: a FORWARD cue to mentions after it, BACKWARD to mentions before it,
BIDIRECTIONAL to both, and any cue to a mention it overlaps ("new lesions"), within ``max_scope`` words
and not across a TERMINATE cue ("but", "however", ";"). Where cues overlap, the longest wins, so a
PSEUDO rule ("increased uptake") blocks the cue inside it. The nearest applicable cue decides a
mention; equally near cues go by the file's ``precedence``. Present and possible mentions take any
status; a denied mention takes only ``resolved`` ("The fracture has resolved"); historical,
hypothetical and family mentions and modalities take none. The report-level status of a label is the
first in precedence among the statuses of the counting mentions that gave the label a value
(docs/labels.md section 9). Plain data in, plain data out: no spaCy.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

from reportnlp.nlp.change_rules import ChangeRule, compile_change

CHANGE_LABELS = ("bone_metastasis", "pathologic_fracture", "fracture", "cord_compression")
_WORD = re.compile(r"\w+")
_SPACES = re.compile(r"\s+")
_TAKES_ANY = ("present", "possible")
_REMEMBERED = 5_000  # sentence texts whose change cues and words are remembered
_INDEXED = 2000  # characters: a longer sentence is searched only where each rule's first words are
_SCAN_PER_TRY = 64  # characters re scans in the time of one match attempt from Python (about 0.7 us)


class _WordStarts:
    """Where each word of a text starts, so a rule is tried only where a match of it can start.

    A rule whose regex ``re.finditer`` would scan the whole text is matched instead at the starts of its
    first words (and, for a pattern whose first token is optional, in the whitespace before them), in
    text order, each search going on from the end of the last match: the same matches, found without
    a scan per rule of a sentence that can be a whole report long."""

    __slots__ = ("at", "odd", "space_start", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.at: dict[str, list[int]] = {}
        self.odd: list[int] = []  # words outside ASCII: lower() does not say what IGNORECASE matches
        for m in _WORD.finditer(text):
            word = m.group()
            if word.isascii():
                self.at.setdefault(word.lower(), []).append(m.start())
            else:
                self.odd.append(m.start())
        self.space_start: dict[int, int] | None = None  # end of a whitespace run -> its start

    def _space_before(self, pos: int) -> int:
        if self.space_start is None:
            self.space_start = {m.end(): m.start() for m in _SPACES.finditer(self.text)}
        return self.space_start.get(pos, pos)

    def finditer(self, rule: ChangeRule) -> Iterator[re.Match[str]]:
        """``rule.regex.finditer(text)``: a match starts at a word (ASCII and one of the rule's first
        words, or any other word); a pattern with an optional first token may start it in the whitespace
        run just before such a word, at the run's first position or (when that has a word character
        before it) the next one, since a match from inside the run is the same from there."""
        if not rule.anchored:
            yield from rule.regex.finditer(self.text)
            return
        starts = set(self.odd)
        for word in rule.first_words:
            starts.update(self.at.get(word, ()))
        if rule.optional_lead:
            for pos in list(starts):
                run = self._space_before(pos)
                starts.update(q for q in (run, run + 1) if q < pos)
        text, regex, end = self.text, rule.regex, 0
        for pos in sorted(starts):
            if pos >= end and (m := regex.match(text, pos)) is not None:
                yield m
                end = m.end()


class _SentenceCues:
    """One sentence's cues (apart, in text order), its TERMINATE cues and its words, indexed by position."""

    __slots__ = ("backward", "cues", "ends", "forward", "starts", "stop_ends", "stop_starts", "word_ends", "word_starts")

    def __init__(self, text: str, span: tuple[int, int], cues: list[tuple[int, int, ChangeRule]]) -> None:
        self.cues = cues
        self.starts = [c[0] for c in cues]
        self.ends = [c[1] for c in cues]
        stops = [c for c in cues if c[2].direction == "TERMINATE"]
        # the cues that can reach a mention after them (FORWARD) and before them (BACKWARD), in text order
        self.forward = [i for i, c in enumerate(cues) if c[2].direction in ("FORWARD", "BIDIRECTIONAL")]
        self.backward = [i for i, c in enumerate(cues) if c[2].direction in ("BACKWARD", "BIDIRECTIONAL")]
        self.stop_starts = [c[0] for c in stops]
        self.stop_ends = [c[1] for c in stops]
        # Words are counted only between a cue and a mention: a sentence with no cue (most) needs none.
        words = [(w.start(), w.end()) for w in _WORD.finditer(text, *span)] if cues else []
        self.word_starts = [w[0] for w in words]
        self.word_ends = [w[1] for w in words]

    def moved(self, by: int) -> _SentenceCues:
        """The same sentence's cues and words ``by`` characters further on (its text found again there). A
        sentence without cues (most) holds no position at all (no stops, no words counted): itself, not a copy
        of eight empty lists (a report of one short sentence repeated made one per sentence; session 23)."""
        if not self.cues:
            return self
        moved = _SentenceCues.__new__(_SentenceCues)
        moved.cues = [(start + by, end + by, rule) for start, end, rule in self.cues]
        moved.starts = [x + by for x in self.starts]
        moved.ends = [x + by for x in self.ends]
        moved.forward, moved.backward = self.forward, self.backward  # indexes into cues: unchanged
        moved.stop_starts = [x + by for x in self.stop_starts]
        moved.stop_ends = [x + by for x in self.stop_ends]
        moved.word_starts = [x + by for x in self.word_starts]
        moved.word_ends = [x + by for x in self.word_ends]
        return moved

    def blocked(self, gap: tuple[int, int]) -> bool:
        """A TERMINATE cue lies wholly inside the gap (stops are apart: the first one starting in it ends first)."""
        i = bisect_left(self.stop_starts, gap[0])
        return i < len(self.stop_starts) and self.stop_ends[i] <= gap[1]

    def words_between(self, lo: int, hi: int) -> int:
        """Words of the text within [lo, hi), as ``_WORD.findall(text, lo, hi)`` counts them (a word cut by
        either end counts once)."""
        if hi <= lo:
            return 0
        return bisect_left(self.word_starts, hi) - bisect_right(self.word_ends, lo)


class ChangeFinder:
    """Built once from a validated change.json; :meth:`annotate` then :meth:`report` per record."""

    def __init__(self, change_doc: dict[str, Any]) -> None:
        self.rules, self.precedence = compile_change(change_doc)
        self.rank = {status: i for i, status in enumerate(self.precedence)}
        # Rules by the words they start with: a sentence runs only the rules its words can start.
        self.always = [r for r in self.rules if not r.first_words]
        self._known: OrderedDict[str, tuple[int, _SentenceCues]] = OrderedDict()  # sentence text -> (its start, cues)
        self.by_word: dict[str, list[ChangeRule]] = {}
        for rule in self.rules:
            for word in rule.first_words:
                self.by_word.setdefault(word, []).append(rule)

    def cues(self, text: str, start: int, end: int) -> list[tuple[int, int, ChangeRule]]:
        """Cue matches in ``text[start:end]``, overlaps resolved longest first, in text order."""
        chunk = text[start:end]
        lowered = chunk.lower()
        words = set(_WORD.findall(lowered))
        candidates = {id(r): r for w in words & self.by_word.keys() for r in self.by_word[w]}
        rules = [*self.always, *candidates.values()]
        if len(chunk) <= _INDEXED:
            found = [(start + m.start(), start + m.end(), rule) for rule in rules for m in rule.regex.finditer(chunk)]
        else:
            found = []
            index: _WordStarts | None = None
            for rule in rules:
                # Where the rule's first words are rare, try it only where they start; where they are dense
                # ("no no no ..."), one scan in compiled code is cheaper than a try from Python at each.
                # str.count over-counts them, which only errs towards the scan.
                if rule.anchored and sum(lowered.count(w) for w in rule.first_words) * _SCAN_PER_TRY <= len(chunk):
                    index = index or _WordStarts(chunk)
                    matches = index.finditer(rule)
                else:
                    matches = rule.regex.finditer(chunk)
                found.extend((start + m.start(), start + m.end(), rule) for m in matches)
        found.sort(key=lambda c: (c[0] - c[1], c[0]))
        # Longest first; a cue is kept when it overlaps no kept cue. The kept cues never overlap, so
        # sorted by start they are sorted by end too, and only the neighbours of a new cue can overlap it.
        kept: list[tuple[int, int, int]] = []  # (start, end, index into found)
        for i, cue in enumerate(found):
            at = bisect_left(kept, (cue[0], -1, -1))
            if at < len(kept) and kept[at][0] < cue[1]:
                continue  # a kept cue starts inside this one
            if at and kept[at - 1][1] > cue[0]:
                continue  # the kept cue before it runs into it
            insort(kept, (cue[0], cue[1], i))
        return [found[i] for _, _, i in kept]

    def annotate(self, text: str, mentions: list[dict[str, Any]]) -> None:
        """Set ``change`` on every mention: ``{"status", "cue"}`` or None."""
        by_sentence: dict[tuple[int, int], _SentenceCues] = {}
        for m in mentions:
            m["change"] = None
            if m["category"] == "modality" or m["assertion"] not in (*_TAKES_ANY, "absent"):
                continue
            span = (m["sentence"]["start"], m["sentence"]["end"])
            sentence = by_sentence.get(span)
            if sentence is None:
                sentence = by_sentence[span] = self._sentence(text, span)
            if sentence.cues:  # a sentence without change cues (most) gives none: not weighed per mention (session 26)
                m["change"] = self._decide(text, m, sentence)

    def _sentence(self, text: str, span: tuple[int, int]) -> _SentenceCues:
        """The sentence's cues and words, remembered by its text (reports repeat their sentences): both
        depend on the sentence's characters alone, so a sentence seen before is the one found then, moved."""
        start, end = span
        chunk = text[start:end]
        known = self._known.get(chunk)
        if known is None:
            sentence = _SentenceCues(text, span, self.cues(text, start, end))
            if len(self._known) >= _REMEMBERED:  # bounded: the oldest sentence goes
                self._known.popitem(last=False)
            self._known[chunk] = (start, sentence)
            return sentence
        return known[1] if known[0] == start else known[1].moved(start - known[0])

    def _applies(self, m: dict[str, Any], rule: ChangeRule) -> bool:
        if rule.status is None:
            return False
        if m["assertion"] not in _TAKES_ANY and rule.status != "resolved":
            return False
        concept = m["concept"].lower()
        return not (concept in rule.excluded_types or (rule.allowed_types is not None and concept not in rule.allowed_types))

    def _decide(self, text: str, m: dict[str, Any], sentence: _SentenceCues) -> dict[str, Any] | None:
        """The nearest applicable cue (in words; a TERMINATE cue between blocks it), equally near ones by
        precedence, then the first in the text. Cues are visited outwards from the mention and each side
        stops at a blocking cue or once farther than the best so far, so a sentence of many cues and
        mentions stays linear."""
        cues, starts, ends = sentence.cues, sentence.starts, sentence.ends
        best: tuple[int, int, int] | None = None  # (distance, rank, cue index)

        def consider(i: int, gap: tuple[int, int]) -> bool:
            """Weigh cue i; False once this side can give nothing better (blocked, or farther than best)."""
            nonlocal best
            if sentence.blocked(gap):
                return False
            distance = sentence.words_between(*gap)
            if best is not None and distance > best[0]:
                return False
            rule = cues[i][2]
            if self._applies(m, rule) and (rule.max_scope is None or distance <= rule.max_scope):
                key = (distance, self.rank[rule.status], i)
                if best is None or key < best:
                    best = key
            return True

        left_end = bisect_right(ends, m["start"])  # cues [0, left_end) end before the mention
        right_start = bisect_left(starts, m["end"])  # cues [right_start, ...) start after it
        for i in range(left_end, right_start):  # cues overlapping the mention: distance 0
            consider(i, (m["start"], m["start"]))
        # Only cues that can reach the mention are visited (a sentence of many backward cues before many
        # mentions stays linear); a cue blocked by a TERMINATE blocks every farther one on its side.
        forward, backward = sentence.forward, sentence.backward
        for j in range(bisect_left(forward, left_end) - 1, -1, -1):
            i = forward[j]
            if not consider(i, (cues[i][1], m["start"])):
                break
        for j in range(bisect_left(backward, right_start), len(backward)):
            i = backward[j]
            if not consider(i, (m["end"], cues[i][0])):
                break
        if best is None:
            return None
        start, end, rule = cues[best[2]]
        return {
            "status": rule.status,
            "cue": {"text": text[start:end], "start": start, "end": end, "rule": rule.id, "category": rule.category,
                    "direction": rule.direction},
        }

    def report(self, mentions: list[dict[str, Any]]) -> tuple[dict[str, str | None], dict[str, list[int]]]:
        """(``labels.change``, ``evidence.change``): per label, the first status in precedence among its
        counting mentions, and the ids of the mentions with that status."""
        out: dict[str, str | None] = {}
        evidence: dict[str, list[int]] = {}
        changed = [m for m in mentions if m.get("change") and m["counts"]]  # most mentions: none (once per report)
        if not changed:  # most reports
            return dict.fromkeys(CHANGE_LABELS), {label: [] for label in CHANGE_LABELS}
        for label in CHANGE_LABELS:
            voters = [m for m in changed if label in (m.get("contributes") or {})]
            status = min((m["change"]["status"] for m in voters), key=self.rank.__getitem__, default=None)
            out[label] = status
            evidence[label] = [m["id"] for m in voters if m["change"]["status"] == status]
        return out, evidence
