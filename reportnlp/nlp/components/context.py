"""ConText cues and their scopes from `patterns/context.json`: medspaCy's algorithm, per sentence.

medspaCy's ConText compares every cue with every other cue of the whole doc to shorten scopes
(quadratic in the cues of a report) and then every cue with every target. A cue's scope never
leaves its sentence, and a cue only changes the scope of a cue whose scope overlaps its own,
so the comparisons are done within each sentence that holds a target; the result is the same
(tests/test_equivalence.py checks it against medspaCy). If a cue runs past the end of its
sentence, where that reasoning does not hold, the whole doc is compared as medspaCy does.

The rules keep medspaCy's ConTextRule shape and meaning: ``direction``, ``max_scope``,
``allowed_types`` / ``excluded_types`` (upper-cased target labels), ``terminated_by`` (under ``metadata``,
which medspaCy's ``from_json`` needs; reference.py hands it to ConTextRule). A rule file may
give ``default_max_scope`` for the rules that set none: every scope is then bounded, so two cues farther
apart than their scopes reach can never meet, and the scope update compares only cues that can
(a sweep over cues sorted by position): time linear in the cues of a sentence, not quadratic.
"""

from bisect import bisect_left
from itertools import pairwise
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from reportnlp.nlp.components.matching import RuleMatcher, tuple_overlaps
from reportnlp.nlp.components.tables import SentenceTable, sentence_table, token_table


class CueRule:
    """One ConText rule, normalized as medspaCy's ConTextRule does (upper-case names)."""

    __slots__ = ("allowed_types", "category", "direction", "excluded_types", "id", "max_scope", "own_item",
                 "terminated_by")

    def __init__(self, rule: dict[str, Any], default_max_scope: int | None = None) -> None:
        self.id: str = rule["metadata"]["id"]
        self.category: str = rule["category"].upper()
        self.direction: str = rule["direction"].upper()
        self.max_scope: int | None = rule.get("max_scope", default_max_scope)
        allowed, excluded = rule.get("allowed_types"), rule.get("excluded_types")
        self.allowed_types = {t.upper() for t in allowed} if allowed is not None else None
        self.excluded_types = {t.upper() for t in excluded} if excluded is not None else None
        self.terminated_by = {t.upper() for t in rule["metadata"].get("terminated_by") or ()}
        # a judgement written after its comma item ("..., pathologic fracture unlikely"): see assertion.py
        self.own_item: bool = bool(rule["metadata"].get("own_item"))

    def allows(self, label: str) -> bool:
        if self.allowed_types is not None:
            return label in self.allowed_types
        if self.excluded_types is not None:
            return label not in self.excluded_types
        return True


_NEVER_MODIFY = ("TERMINATE", "PSEUDO")  # directions of cues that only end or block scopes


class Modifier:
    """A matched cue and its scope: medspaCy's ConTextModifier, with its scope rules."""

    __slots__ = ("end", "rule", "scope_end", "scope_start", "start")

    def __init__(self, rule: CueRule, start: int, end: int, sentence: tuple[int, int]) -> None:
        self.rule, self.start, self.end = rule, start, end
        sent_start, sent_end = sentence
        max_scope = rule.max_scope
        direction = rule.direction
        if direction == "FORWARD":
            self.scope_start, self.scope_end = end, sent_end
            if max_scope is not None and (self.scope_end - self.scope_start) > max_scope:
                self.scope_end = end + max_scope
        elif direction == "BACKWARD":
            self.scope_start, self.scope_end = sent_start, start
            if max_scope is not None and (self.scope_end - self.scope_start) > max_scope:
                self.scope_start = start - max_scope
        else:  # bidirectional (and TERMINATE / PSEUDO, which never modify)
            self.scope_start, self.scope_end = sent_start, sent_end
            if max_scope is not None and (start - self.scope_start) > max_scope:
                self.scope_start = start - max_scope
            if max_scope is not None and (self.scope_end - end) > max_scope:
                self.scope_end = end + max_scope

    @property
    def category(self) -> str:
        return self.rule.category

    @property
    def direction(self) -> str:
        return self.rule.direction

    def limit_scope(self, other: "Modifier") -> None:
        """Let a TERMINATE cue, a cue of the same category or one named in terminated_by end this scope."""
        if not tuple_overlaps((self.scope_start, self.scope_end), (other.scope_start, other.scope_end)):
            return
        mine, theirs = self.rule, other.rule
        if mine.direction == "TERMINATE":
            return
        if theirs.direction != "TERMINATE" and theirs.category not in mine.terminated_by and theirs.category != mine.category:
            return
        if mine.category == theirs.category and (
            mine.allowed_types != theirs.allowed_types or mine.excluded_types != theirs.excluded_types
        ):
            return
        if mine.direction in ("FORWARD", "BIDIRECTIONAL") and other.start > self.start:
            self.scope_end = min(self.scope_end, other.start)
        if mine.direction in ("BACKWARD", "BIDIRECTIONAL") and other.end < self.end:
            self.scope_start = max(self.scope_start, other.end)

    def modifies(self, start: int, end: int, label: str) -> bool:
        """medspaCy's test: not overlapping the target, a modifying direction, allowed type, target in scope."""
        if tuple_overlaps((self.start, self.end), (start, end)):
            return False
        if self.rule.direction in _NEVER_MODIFY:
            return False
        if not self.rule.allows(label):
            return False
        return tuple_overlaps((self.scope_start, self.scope_end), (start, end))


def _update_scopes(modifiers: list[Modifier]) -> None:
    """Let every pair of cues limit each other's scopes, in medspaCy's pair order.

    ``limit_scope`` changes nothing for two cues whose scopes are apart, and scopes only shrink, so
    such pairs are skipped. With the cues in position order (as the matcher gives them), the cues after
    ``first`` whose scopes can still meet its scope start before ``first.scope_end`` (a cue whose scope
    starts at its own end, FORWARD) or before ``first.scope_end`` plus the longest backward reach of the
    rest; the sweep stops there. When some scope is unbounded that reach is the sentence, and every
    pair is compared as before.
    """
    if len(modifiers) < 2:
        return
    starts = [m.start for m in modifiers]
    if any(a > b for a, b in pairwise(starts)):
        _update_all_pairs(modifiers)
        return
    reach = 0
    for m in modifiers:
        if m.rule.direction != "FORWARD":
            if m.rule.max_scope is None:
                _update_all_pairs(modifiers)
                return
            reach = max(reach, m.start - m.scope_start)
    forward_only = [m.rule.direction == "FORWARD" for m in modifiers]
    count = len(modifiers)
    for i in range(count - 1):
        first = modifiers[i]
        for j in range(i + 1, count):
            second = modifiers[j]
            if second.start >= first.scope_end + reach:
                break  # neither this cue nor any later one can reach first's scope
            if forward_only[j] and second.end >= first.scope_end and second.start >= first.scope_end:
                continue  # its scope starts at its end, past first's scope
            first.limit_scope(second)
            second.limit_scope(first)


def _update_all_pairs(modifiers: list[Modifier]) -> None:
    for i in range(len(modifiers) - 1):
        first = modifiers[i]
        for j in range(i + 1, len(modifiers)):
            second = modifiers[j]
            first.limit_scope(second)
            second.limit_scope(first)


class NearCues:
    """The cues of one sentence, found by position: those whose scope can touch a given target.

    With bounded scopes a cue reaches at most ``max_scope`` tokens past its own span, so only the cues
    starting within ``max_scope`` plus the longest cue of the sentence before the target, and within
    ``max_scope`` after it, can modify it: a bisection instead of a walk over every cue. TERMINATE and
    PSEUDO cues never modify a target, so they are left out from the start."""

    __slots__ = ("longest", "max_scope", "modifiers", "starts")

    def __init__(self, modifiers: list[Modifier], max_scope: int | None) -> None:
        self.modifiers = [m for m in modifiers if m.rule.direction not in _NEVER_MODIFY]
        modifiers = self.modifiers
        self.starts = [m.start for m in modifiers]
        self.max_scope = max_scope if all(a <= b for a, b in pairwise(self.starts)) else None
        self.longest = max((m.end - m.start for m in modifiers), default=0)

    def around(self, start: int, end: int) -> list[Modifier]:
        if self.max_scope is None:
            return self.modifiers
        lo = bisect_left(self.starts, start - self.max_scope - self.longest)
        hi = bisect_left(self.starts, end + self.max_scope + 1)
        return self.modifiers[lo:hi]

    def modifying(self, start: int, end: int, label: str) -> list[Modifier]:
        """The cues that modify the target [start, end) of this (upper-case) label, in cue order:
        ``Modifier.modifies`` written out inline, since a dense sentence asks it of dozens of cues per target."""
        found = []
        for m in self.around(start, end):
            lo, hi = m.start, m.end
            if lo <= start < hi or lo < end <= hi:
                continue  # the cue overlaps the target
            lo, hi = m.scope_start, m.scope_end
            if (lo <= start < hi or lo < end <= hi) and m.rule.allows(label):
                found.append(m)
        return found


# (every long-start lower-case word, every long-start word, RuleMatcher.long_starts: (length, lowers, words) most first)
LongStarts = tuple[frozenset[str], frozenset[str], list[tuple[int, frozenset[str], frozenset[str]]]]


def _reached(tokens: Any, long_starts: LongStarts, lo: int, near: int) -> bool:
    """Whether a word before ``near`` starts a pattern long enough to reach token ``lo`` (one ``length`` tokens
    long at most must start after ``lo - length``): one set test over the farthest reach first (most sentences
    have none of the words there), then one per length; no word-by-word walk."""
    lowers, words, by_length = long_starts
    first = max(0, lo - by_length[0][0] + 1) if by_length else near
    if first >= near or (
        lowers.isdisjoint(tokens.lower[first:near]) and (not words or words.isdisjoint(tokens.words[first:near]))
    ):
        return False
    for length, length_lowers, length_words in by_length:
        first = max(0, lo - length + 1)
        if first < near and (
            not length_lowers.isdisjoint(tokens.lower[first:near])
            or (length_words and not length_words.isdisjoint(tokens.words[first:near]))
        ):
            return True
    return False


class ConTextCues:
    """Match the cue rules and give each sentence that holds a target its cues with final scopes."""

    def __init__(self, nlp: Language, rules: list[dict[str, Any]], guard: Any, default_max_scope: int | None = None) -> None:
        self.rules = [CueRule(r, default_max_scope) for r in rules]
        scopes = [r.max_scope for r in self.rules]
        # The longest scope of any rule, in tokens; None when some scope is the whole sentence.
        self.max_scope: int | None = None if None in scopes else max(scopes, default=0)
        self.matcher = RuleMatcher(
            nlp,
            [(r["category"].upper(), r["literal"], r.get("pattern")) for r in rules],
            lambda n: guard(self.rules[n].id),
        )
        by_length = self.matcher.long_starts
        self._long_starts: LongStarts | None = None if by_length is None else (
            frozenset().union(*(lowers for _, lowers, _ in by_length)),
            frozenset().union(*(words for _, _, words in by_length)),
            by_length,
        )

    def by_sentence(self, doc: Doc, sentences: set[int], gate: bool = True) -> dict[int, list[Modifier]]:
        """Sentence start token -> its cues (in medspaCy's order), for the given sentences (at least)."""
        table: SentenceTable = sentence_table(doc)
        if gate and self.matcher.longest is not None:
            found = self._near(doc, table, sentences)
            if found is not None:
                return self._per_sentence(found, sentences)
        found = []
        crosses = False
        for n, start, end in self.matcher(doc):
            sentence = table.sent(start)
            crosses = crosses or end > sentence[1]
            found.append((n, start, end, sentence))
        if crosses:  # compare every cue with every other, as medspaCy does
            out: dict[int, list[Modifier]] = {}
            every = [Modifier(self.rules[n], start, end, sentence) for n, start, end, sentence in found]
            _update_scopes(every)
            for modifier, (_, _, _, sentence) in zip(every, found, strict=True):
                out.setdefault(sentence[0], []).append(modifier)
            return out
        return self._per_sentence(found, sentences)

    def _per_sentence(self, found: list[tuple[int, int, int, tuple[int, int]]], sentences: set[int]) -> dict[int, list[Modifier]]:
        out: dict[int, list[Modifier]] = {}
        for n, start, end, sentence in found:
            if sentence[0] in sentences:
                out.setdefault(sentence[0], []).append(Modifier(self.rules[n], start, end, sentence))
        for modifiers in out.values():
            _update_scopes(modifiers)
        return out

    def _near(
        self, doc: Doc, table: SentenceTable, sentences: set[int]
    ) -> list[tuple[int, int, int, tuple[int, int]]] | None:
        """The cues of the given sentences, matched only there, or None when the whole doc must be matched.

        Most of a report's sentences hold no mention (nine tokens in ten on the public texts), and a cue
        changes another's scope only if their scopes overlap: within one sentence, unless a cue runs past
        its sentence's end. A cue not in these sentences that runs into none of them therefore changes no
        scope here (its own scope stays in its sentence; medspaCy's overlap test lets an empty scope at a
        sentence edge meet one in the next, but the shortening that follows moves nothing). So the matchers
        start only in these sentences and in the ``longest - 1`` tokens before each (where a cue running
        into it would start), or only the ``short - 1`` before it when none of the farther ones is a word a
        longer match can start at (``RuleMatcher.long_starts``: one pattern of 17 tokens made every sentence
        take 16 tokens before it, most rules take 5 at most; tests/test_context_lead.py). If any match found
        there, before pruning, runs past its sentence's end, the whole doc is matched as before (also when these
        tokens are half the doc or more: a second run there would cost more than the first saved); otherwise no
        match crosses the edges of these sentences, their matches prune as they would among all of the doc's,
        and the cues are those of the whole-doc path (tests/test_equivalence.py compares the two)."""
        bounds = [table.sent(first) for first in sorted(sentences)]
        if 2 * sum(hi - lo for lo, hi in bounds) > len(doc):
            return None  # the sentences alone are most of the doc (dense reports): no lead to work out
        lead = self.matcher.longest - 1  # type: ignore[operator]
        short, long_starts = self.matcher.short - 1, self._long_starts
        tokens = token_table(doc)
        ranges: list[tuple[int, int]] = []
        for lo, hi in bounds:
            far, near = max(0, lo - lead), max(0, lo - short)
            if ranges and far <= ranges[-1][1]:
                # near the range before: joined to it, as with the whole lead (a range costs more than a few
                # tokens; a match from before that range that could reach this sentence would reach that
                # range's first sentence, whose lead took it in)
                ranges[-1] = (ranges[-1][0], max(ranges[-1][1], hi))
                continue
            if far < near and long_starts is not None and not _reached(tokens, long_starts, lo, near):
                lo = near  # no match starting farther back reaches this sentence
            else:
                lo = far
            ranges.append((lo, hi))
        if 2 * sum(hi - lo for lo, hi in ranges) > len(doc):
            return None  # most of the doc: matched whole at once (a cue past a sentence end would cost two runs)
        raw = self.matcher.raw(doc, ranges)
        sent = table.sent
        if any(end > sent(start)[1] for _, start, end in raw):
            return None
        return [(n, start, end, sent(start)) for n, start, end in self.matcher.prune(raw)]
