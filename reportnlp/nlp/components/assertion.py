"""Give every mention exactly one assertion (labels.md section 2) with the cues behind it.

ConText (components/context.py, medspaCy's algorithm) finds cues and their scopes from
`patterns/context.json`; this component then resolves the cues that reach a mention into one
assertion by the file's precedence (family > hypothetical > absent > historical > possible >
present by default). A DEFINITE_EXISTENCE cue ("old", "healed", "known", "stable") overrides
HISTORICAL: an old fracture seen on this exam is present. Cues from another sentence never count.
"""


import itertools
import re
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from reportnlp.nlp.components._memo import memo_table, remember
from reportnlp.nlp.components._rules import RuleComponent, rule_errors, with_rules
from reportnlp.nlp.components.annotations import (
    CONTEXT_FLAGS,
    OWN_FLAGS,
    PRESENT,
    MentionInfo,
    info_table,
    set_context_flags,
)
from reportnlp.nlp.components.context import ConTextCues, NearCues
from reportnlp.nlp.components.mentions import MENTIONS
from reportnlp.nlp.components.msgpack_types import register
from reportnlp.nlp.components.reference import MATCHERS, MedspacyContext
from reportnlp.nlp.components.tables import sentence_table, span_rows, token_table
from reportnlp.nlp.literals import required_groups, required_literal
from reportnlp.nlp.safe_regex import compile_safe


@register  # Doc.to_bytes, DocBin and nlp.pipe(n_process=...) carry it
@dataclass(frozen=True, slots=True)
class Cue:
    text: str
    category: str
    assertion: str
    start: int
    end: int
    rule: str
    direction: str
    decided: bool


def _inside(cue: tuple[int, int], span: tuple[int, int]) -> bool:
    """A cue within the mention's own words is part of it, not a modifier of it ("disc bulge without
    stenosis" as one annotated phrase). medspaCy means to skip such cues but its overlap test misses
    a cue strictly inside the target."""
    return span[0] <= cue[0] and cue[1] <= span[1]


def _alternation(words: list[str]) -> str:
    return "|".join(r"\s+".join(map(re.escape, w.split())) for w in sorted(words, key=len, reverse=True))


_NO_INFO = MentionInfo()


_REACH = 200


class TemplatedLines:
    """A synoptic ``finding: value`` line is read as its value says ("Fracture: No." is absent), and so is a
    checklist answer after a dash, a question mark or a tab ("Fracture - no.", "Fracture? No", "Cord
    compression<TAB>No"), also when the next field follows on its line ("Pathologic fracture: No   Spinal cord
    compression: No") or by a dash and its detail ("Yes - T9"); a field answered "N/A" or "unknown", or left
    blank, is asked and not answered (``hypothetical``).

    The finding must open its line (after a section header or a bullet at most, with a few words of
    its own label) and the value must end the line or its sentence; the values are data in
    `patterns/context.json` ``templated_values`` (assertion -> words). A "no" glued to the punctuation
    before the finding ("FINDINGS:(No fracture)") negates it too.
    """

    _LABEL_BEFORE = re.compile(r"(?:^\s*|[:.;\n(\-\u2022*]\s*)(?:[A-Za-z/'-]+\s+){0,3}$")  # (an indented field too)
    # "no" glued to the punctuation before it (",No demonstrated metastases", "FINDINGS:(No fracture)") is
    # one token to the tokenizer, so ConText misses it; it negates the next few words.
    _GLUED_NO = re.compile(
        r"[^\sA-Za-z]no\s+(?!(?:change|increase|interval|significant|new|further)\b)(?:[A-Za-z-]+\s+){0,3}$", re.IGNORECASE
    )
    # Both end at the end of the text before the mention ($): re's search would try them from every
    # character of it (about 7 us per mention). Read backwards they start at its end: each is matched once
    # on the reversed text (the same texts match: tests/test_assertion_reversed.py). A trailing line break
    # that $ may stand before is the optional first "\n"; the lookahead after "no" is a lookbehind per word.
    _LABEL_BEFORE_REVERSED = re.compile(r"\n?(?:\s+[A-Za-z/'-]+){0,3}(?:\s*[:.;\n(\-\u2022*]|\s*\Z)")
    _GLUED_NO_REVERSED = re.compile(
        r"\n?(?:\s+[A-Za-z-]+){0,3}"
        + "".join(rf"(?<!\b{word[::-1]})" for word in ("change", "increase", "interval", "significant", "new", "further"))
        + r"\s+on[^\sA-Za-z]",
        re.IGNORECASE,
    )

    def __init__(self, values: dict[str, list[str]]) -> None:
        self.value_of: dict[str, str] = {}
        for assertion, words in values.items():
            for w in words:
                self.value_of[" ".join(w.lower().split())] = assertion
        alternation = _alternation(list(self.value_of)) if self.value_of else r"(?!x)x"
        self.after = re.compile(
            r"[^:.;?\n]{0,30}?(?::|\?|\s[-\u2013\u2014]+|\t)\s*\(?\s*(?P<value>" + alternation + r")\s*\)?\s*(?:[.;,]|\n|$|"
            r"(?<=\s)(?=(?-i:[A-Z])[A-Za-z /()-]{0,40}:)|(?<=\s)[-\u2013\u2014](?=\s))",
            re.IGNORECASE,
        )

    def read(self, text: str, start: int, end: int) -> str | None:
        """The assertion the line's value gives the mention at text[start:end], or None."""
        # The label is a few words at most: look no further back than _REACH characters, so a long line
        # of many findings costs each one a bounded look (a cut line starts with a non-delimiter).
        reach = max(0, start - _REACH)
        line_start = text.rfind("\n", reach, start) + 1
        before = text[line_start:start] if line_start or not reach else "\x00" + text[reach:start]
        backwards = before[::-1]
        if self._GLUED_NO_REVERSED.match(backwards):  # self._GLUED_NO.search(before)
            return "absent"
        if not self._LABEL_BEFORE_REVERSED.match(backwards):  # self._LABEL_BEFORE.search(before)
            return None
        m = self.after.match(text, end)
        if not m:
            return "hypothetical" if text.find(":", end, end + 32) >= 0 and self._BLANK.match(text, end) else None
        return self.value_of.get(" ".join(m.group("value").lower().split()))

    # A field left blank asks and does not answer: a line of underscores, or nothing before the next blank field
    # or the end of the text ("Fracture:" then "Pathological fracture:" and nothing after it), or before a field
    # that closes a form ("Pathological fracture:" then "Outcome: adjuvant chemoradiation"): a form's outcome,
    # disposition, decision or signature is never a finding's sub-field, as "Thoracic spine: T4 ..." under
    # "Osseous metastases:" may be (session 29). Not "Plan:": a problem list's "L1 compression fracture:" heads
    # its own plan.
    _BLANK = re.compile(
        r"[^:.;?\n]{0,30}?:[ \t]*(?:_{2,}[ \t]*(?:\n|\Z)|\n[ \t]*[A-Za-z][A-Za-z/ -]{1,40}:[ \t]*(?:\n|\Z)|"
        r"\n[ \t]*(?i:outcome|disposition|decision|signed)"
        r"(?:[ \t]+[A-Za-z/-]+){0,3}[ \t]*:|\s*\Z)"
    )


FrameHit = tuple[str, str, int, int, str]
_FRAME_REACH = 80  # characters: a frame's words are a few, so each mention costs each frame a bounded look
_FRAMES_REMEMBERED = 10_000  # (label, words before, words after) whose frame hits are remembered


class FrameCues:
    """Cues read from the words that touch a mention: ``frame_cues`` in `patterns/context.json`.

    A ConText cue never modifies a target it overlaps, and a token pattern cannot ask for words on both
    sides of a target. A frame cue can: "which can compress the spinal cord" (the mention starts with the
    verb the modal governs) or "no recent echocardiogram available" (words before and after the study).
    ``before`` must match the text of the mention's sentence up to the mention and end there; ``after``
    must match right after the mention. Both readings are the same whichever matcher found the cues.
    """

    def __init__(self, frames: list[dict[str, Any]]) -> None:
        self.frames = [
            (
                frame["id"],
                frame["category"],
                compile_safe(f"(?:{frame['before']})$", re.IGNORECASE) if "before" in frame else None,
                compile_safe(frame["after"], re.IGNORECASE) if "after" in frame else None,
                {t.upper() for t in frame.get("allowed_types", ())} or None,
                {t.upper() for t in frame.get("excluded_types", ())},
                required_literal(frame.get("before", "")),
                required_literal(frame.get("after", "")),
                required_groups(frame.get("before", "")),
                required_groups(frame.get("after", "")),
            )
            for frame in frames
        ]
        self._known: OrderedDict[tuple[str, str, str], tuple[Any, ...]] = memo_table()
        # label -> the frames its allowed / excluded types let read it (as many entries as the rules have labels),
        # with their word gates (_gates) and whether those words are all ASCII (_ascii_words)
        self._for_label: dict[str, tuple[list[tuple[Any, ...]], _Gates, bool]] = {}

    def read(self, text: str, sentence: tuple[int, int], span: tuple[int, int], label: str) -> list[FrameHit]:
        """(rule id, category, cue start, cue end, direction) of each frame around text[span] in its sentence."""
        start, end = span
        first, last = sentence
        # A question's answer is part of its frame ("Any fracture? None seen."), and a "?" glued before a
        # word ("?mets", "? met at L2") is a query, not a sentence end: the sentence component splits at
        # every "?", so the frame reaches across that one boundary (only there; the words stay bounded).
        # (the search last: most sentences do not follow a "?"; not a slice: a sentence may be long). The
        # query may stand before the finding's own modifiers ("?new osteoporotic vertebral fracture"): up to
        # five words between, which the frame's own pattern then names (session 16; five since session 19:
        # "?nondisplaced L L2 transverse process fx").
        if first > 0 and text[max(0, first - 2) : first].rstrip().endswith("?") and (
            _NON_SPACE.search(text, first, start) is None or _QUERY_WORDS.fullmatch(text, first, start) is not None
        ):
            first = 0
        if text[max(end, last - 2) : last].rstrip().endswith("?"):
            last = len(text)
        elif text[max(end, last - 3) : last].rstrip(" ,").endswith(":"):
            # A field label the splitter cut from its value ("X-RAYS: , None."): the value is its frame.
            last = len(text)
        reach = max(first, start - _FRAME_REACH)
        head, tail = text[reach:start], text[end : min(last, end + _FRAME_REACH)]  # once per mention
        # The frames read only these words (and the label), so their hits are remembered by them, with
        # offsets from the head's start (a cue start) or the tail's (a cue end): reports repeat phrases.
        key = (label, head, tail)
        hits = self._known.get(key)
        if hits is None:
            hits = remember(self._known, key, self._hits(head, tail, label), _FRAMES_REMEMBERED)
        return [(rule, category, (reach if s_head else end) + s, (reach if e_head else end) + e, direction)
                for rule, category, s_head, s, e_head, e, direction in hits]

    def _hits(self, head: str, tail: str, label: str) -> tuple[tuple[str, str, bool, int, bool, int, str], ...]:
        """The frames around a mention preceded by ``head`` and followed by ``tail``: (rule id, category,
        whether the cue start counts from the head's start (else from the tail's), that offset, the same for
        the cue end, direction)."""
        found = []
        head_lower, tail_lower = head.lower(), tail.lower()
        # Case folding maps a few non-ASCII letters onto ASCII ones that lower() leaves apart (the long s "ſ"
        # matches "s"): a frame's words are looked for in ASCII words as they are (plain_head, plain_tail: the
        # words may be looked for there).
        plain_head, plain_tail = head.isascii(), tail.isascii()
        for_label = self._for_label.get(label)
        if for_label is None:  # the type test, made once per label rather than once per frame and mention
            frames = [
                frame for frame in self.frames if not ((frame[4] is not None and label not in frame[4]) or label in frame[5])
            ]
            for_label = self._for_label[label] = (frames, _gates(frames), _ascii_words(frames))
        frames, (head_words, head_frames, tail_words, tail_frames, open_frames), ascii_words = for_label
        if not (plain_head and plain_tail) and ascii_words:
            # Words with a character beyond ASCII: with the four that fold onto an ASCII letter (_ASCII_FOLD) made
            # that letter, they hold every ASCII word a frame's match holds, so the words are looked for there too.
            # Before, every frame of the label ran its regexes around each such mention (mixed scripts: a third of
            # the CPU, session 22).
            head_lower, tail_lower = head.translate(_ASCII_FOLD).lower(), tail.translate(_ASCII_FOLD).lower()
            plain_head = plain_tail = True
        if plain_head and plain_tail:
            # Most frames need a word the words around a mention lack (about 22 of the 27 a label reads are cut
            # by one missing literal): each word the label's frames need is looked for once, instead of every
            # frame being unpacked and tested; the frames it leaves are tested in full below, in frame order. The
            # words are tested by filter() in compiled code: a label's frames look for 28 to 59 words, of which a
            # few are there (a Python loop over them was most of a frame reading's cost, session 24).
            maybe = set(open_frames)
            for word in head_words:
                if word in head_lower:
                    maybe.update(head_frames[word])
            for word in tail_words:
                if word in tail_lower:
                    maybe.update(tail_frames[word])
            frames = [frames[k] for k in sorted(maybe)]
        for rule, category, before, after, _, _, head_needs, tail_needs, head_groups, tail_groups in frames:
            if (head_needs and plain_head and head_needs not in head_lower) or (
                tail_needs and plain_tail and tail_needs not in tail_lower
            ):
                continue
            # one word of each group of alternatives the frame goes through (its first group was gated above)
            if head_groups and plain_head and not all(any(word in head_lower for word in group) for group in head_groups):
                continue
            # (a frame read after every finding, as a table row's status cell, must find its tab or "|")
            if tail_groups and plain_tail and not all(any(word in tail_lower for word in group) for group in tail_groups):
                continue
            start_in_head = end_in_head = True
            cue_start = cue_end = None
            if before is not None:
                m = before.search(head)
                if m is None:
                    continue
                cue_start, cue_end = m.start(), m.start() + len(m.group(0).rstrip())
            if after is not None:
                m = after.match(tail)
                if m is None:
                    continue
                words = m.group(0)
                if cue_start is None:
                    start_in_head, cue_start = False, len(words) - len(words.lstrip())
                end_in_head, cue_end = False, len(words.rstrip())
            assert cue_start is not None and cue_end is not None
            direction = "BACKWARD" if before is None else "FORWARD" if after is None else "BIDIRECTIONAL"
            found.append((rule, category, start_in_head, cue_start, end_in_head, cue_end, direction))
        return tuple(found)


# The characters beyond ASCII that match an ASCII letter in a case-insensitive regex, as that letter: the long s
# and the Kelvin sign in RE2 and re, the dotted and dotless I in re (tests/test_frame_memo.py checks every code point).
_ASCII_FOLD = str.maketrans({"\u017f": "s", "\u212a": "k", "\u0130": "i", "\u0131": "i"})


def _ascii_words(frames: list[tuple[Any, ...]]) -> bool:
    """Every word the frames' gates look for is ASCII (so a text folded by _ASCII_FOLD can be gated too)."""
    return all(
        all(w.isascii() for w in (head_needs, tail_needs, *itertools.chain(*head_groups, *tail_groups)))
        for *_, head_needs, tail_needs, head_groups, tail_groups in frames
    )


# The words to look for before the mention and the frames that may need each, the same after it, the frames that
# need no word: a frame is listed under one side only, under each word it may need there (any one of them); frames
# are numbered in their list's order, and each word is looked for once (frames share words: "no", "or", "is").
_Gates = tuple[tuple[str, ...], dict[str, tuple[int, ...]], tuple[str, ...], dict[str, tuple[int, ...]], list[int]]


def _gates(frames: list[tuple[Any, ...]]) -> _Gates:
    """Each frame's words to look for before testing it: its one needed literal before the mention, else the
    one after it, else any of its words before it, else any of those after it; a frame needing none is open.
    A frame the words around a mention hold none of its words for cannot match there (FrameCues._hits)."""
    head: dict[str, list[int]] = {}
    tail: dict[str, list[int]] = {}
    open_frames: list[int] = []
    for k, (*_, head_needs, tail_needs, head_groups, tail_groups) in enumerate(frames):
        side, words = (head, (head_needs,)) if head_needs else (tail, (tail_needs,)) if tail_needs else (
            (head, head_groups[0]) if head_groups else (tail, tail_groups[0]) if tail_groups else (tail, ()))
        if not words:
            open_frames.append(k)
        for word in words:
            side.setdefault(word, []).append(k)
    return (tuple(head), {w: tuple(ks) for w, ks in head.items()}, tuple(tail), {w: tuple(ks) for w, ks in tail.items()},
            open_frames)


# After a comma, a finding whose own clause asserts it with an existence verb right after it ("..., healed
# right 10th rib fracture noted") is out of the forward scope of a hedge before the comma. A list ("suggestive
# of pneumonia, effusion", "... pneumonia, effusion or edema noted") has no verb of its own, or is joined by
# and / or, and stays hedged.
_ASSERTED_AFTER = re.compile(
    r"(?:\s+(?:of|in|at|along|within|involving)\s+[^,.;:\n]{1,40}?)?"  # its site ("of the right 6th rib")
    r"\s*(?:(?:is|are|was|were|also|again|incidentally)\s+){0,2}"
    r"(?:noted|seen|present|identified|demonstrated|observed|visualized|evident)\b", re.IGNORECASE
)
_QUERY_WORDS = re.compile(r"[ \t]*(?:[A-Za-z0-9-]+[ \t]+){1,5}")  # the words between a "?" and its finding
_NON_SPACE = re.compile(r"\S")  # searched from a sentence start: found at once unless only spaces lie there
_CLAUSE_REACH = 200  # characters from a comma to the finding its clause asserts
_LIST_JOIN = re.compile(r"\b(?:and|or|nor|versus|vs|with|without)\b|/", re.IGNORECASE)


def _own_clause_asserts(
    tokens: Any, mods: list[Any], span: tuple[int, int], assertion_of: dict[str, str | None]
) -> list[Any]:
    """mods without the forward hedges that a comma clause asserting the mention on its own cuts off."""
    text = tokens.text
    start, end = tokens.offsets(*span)
    if not _ASSERTED_AFTER.match(text, end):
        return mods
    comma = text.rfind(",", max(0, start - _CLAUSE_REACH), start)  # a clause is a few words: a bounded look back
    if comma < 0 or _LIST_JOIN.search(text, comma + 1, start):
        return mods
    return [
        m for m in mods
        if not (
            m.direction == "FORWARD" and assertion_of.get(m.category) == "possible"
            and tokens.offsets(m.start, m.end)[1] <= comma
        )
    ]


# A comma item that carries its own diagnosis word ("c/w", "consistent with") is a finding of its own, out of a
# denial's list: "no adenopathy, sclerotic lesions L3 and R ilium c/w osseous mets" (session 23).
_ITEM_AFFIRMED = re.compile(r"(?<![\w/])(?:c/w|consistent\s+with|compatible\s+with|in\s+keeping\s+with)\b", re.IGNORECASE)
_ITEM_END = re.compile(r"[,;.:\n]")
# what every _ITEM_AFFIRMED match holds, as written (str's "in" is one fast scan each; a case-blind regex search
# over the whole text is not); the commonest first, since the first found ends the look
_ITEM_WORDS = ("onsistent", "ompatible", "eeping", "c/w", "C/W", "C/w", "ONSISTENT", "OMPATIBLE", "EEPING")
# "no fracture, dislocation, or lesion c/w ...": the list's last item, still under its denial
_ITEM_JOINED = re.compile(r"\s*(?:and|or|nor)\b", re.IGNORECASE)


def _own_item_affirms(
    tokens: Any, mods: list[Any], span: tuple[int, int], assertion_of: dict[str, str | None]
) -> list[Any]:
    """mods without the forward denials before a comma whose item, holding the mention, affirms a diagnosis of
    its own: the denial's list ended at that comma."""
    text = tokens.text
    start, end = tokens.offsets(*span)
    kept = []
    for m in mods:
        if m.direction == "FORWARD" and assertion_of.get(m.category) == "absent":
            # an item is a few words: bounded looks, so a long sentence of denied findings stays linear
            comma = text.rfind(",", max(tokens.offsets(m.start, m.end)[1], start - _CLAUSE_REACH), start)
            if comma >= 0 and not _ITEM_JOINED.match(text, comma + 1):
                stop = _ITEM_END.search(text, end, end + _CLAUSE_REACH)
                if _ITEM_AFFIRMED.search(text, comma + 1, stop.start() if stop else min(len(text), end + _CLAUSE_REACH)):
                    continue
        kept.append(m)
    return kept


# A judgement written after a comma item that names its own finding ("Compression fracture of T12, pathologic
# fracture unlikely", "lytic lesion in T12, fracture unlikely") judges that item's finding, not the one before the
# comma, as "sclerotic focus, unlikely metastatic" judges the reading after it (session 10); its rules say so with
# ``own_item`` (session 32). A list joined by and / or ("fracture, dislocation or lesion unlikely") stays one list.
_ITEM_LIST_JOIN = re.compile(r"\b(?:and|or|nor)\b|/", re.IGNORECASE)


def _own_item_judged(tokens: Any, mods: list[Any], span: tuple[int, int], findings: "_Findings") -> list[Any]:
    """mods without the judgements after a later comma item that holds a finding of its own."""
    text = tokens.text
    end = tokens.offsets(*span)[1]
    kept = []
    for m in mods:
        if m.rule.own_item and m.start >= span[1] and m.direction in ("BACKWARD", "BIDIRECTIONAL"):
            cue_start = tokens.offsets(m.start, m.end)[0]
            comma = text.find(",", end, cue_start)
            if (comma >= 0 and findings.any_within(comma + 1, cue_start)
                    and not _ITEM_LIST_JOIN.search(text, comma + 1, cue_start)):
                continue
        kept.append(m)
    return kept


_ASIDE_REACH = 120  # characters back from a mention to the bracket that holds it


class _Findings:
    """The character spans of a doc's mentions, sorted by start, with the least end from each one on: whether a
    mention lies wholly within a stretch of text is one bisection, not a walk over every mention of the report
    (a long text of bracketed, negated findings stays linear: session 21)."""

    __slots__ = ("least_end", "starts")

    def __init__(self, tokens: Any, targets: list[tuple[int, int, int, str]]) -> None:
        spans = sorted([tokens.offsets(s, e) for s, e, *_ in targets])
        self.starts = [lo for lo, _ in spans]
        self.least_end = list(itertools.accumulate([hi for _, hi in reversed(spans)], min))[::-1]

    def any_within(self, lo: int, hi: int) -> bool:
        """Whether some mention starts at or after ``lo`` and ends by ``hi``."""
        k = bisect_left(self.starts, lo)
        return k < len(self.starts) and self.least_end[k] <= hi


def _bracket_asides(
    tokens: Any, mods: list[Any], span: tuple[int, int], findings: _Findings, assertion_of: dict[str, str | None]
) -> list[Any]:
    """mods without the forward negations that end before a bracket holding the mention, when no other finding
    stands between the cue and the bracket: "without signal change in the cord (Bilsky grade 2)", "without
    marrow oedema (old L1 compression fracture, unchanged)" put an aside in brackets, which the negation does
    not reach. A bracket right after a negated finding lists its kinds ("no osseous lesions (lytic or
    blastic)") and stays negated; so does "no (acute) fracture" (session 20)."""
    text = tokens.text
    start, _ = tokens.offsets(*span)
    opening = text.rfind("(", max(0, start - _ASIDE_REACH), start)
    if opening < 0 or ")" in text[opening:start]:
        return mods
    kept = []
    for m in mods:
        cue_end = tokens.offsets(m.start, m.end)[1]
        if (m.direction == "FORWARD" and assertion_of.get(m.category) == "absent" and cue_end <= opening
                and text[cue_end:opening].strip() and not findings.any_within(cue_end, opening)):
            continue
        kept.append(m)
    return kept


class AssertionResolver(RuleComponent):
    def __init__(
        self, nlp: Language, context: dict[str, Any], name: str = "reportnlp_assertion", matcher: str = "fast"
    ) -> None:
        self.nlp, self.name, self.choice = nlp, name, matcher
        self.assertion_of: dict[str, str | None] = context["categories"]
        self.rank = {a: i for i, a in enumerate(context.get("precedence", []))}
        self.by_concept: dict[str, dict[str, str]] = context.get("by_concept", {})
        # category -> assertion per concept with its own readings, merged once per rule set (it was merged for
        # every mention of such a concept: a modality's, in nearly every report)
        self._assertion_of_concept: dict[str, dict[str, str | None]] = {
            concept: {**self.assertion_of, **override} for concept, override in self.by_concept.items() if override
        }
        self.reference: MedspacyContext | None = None
        if matcher == "medspacy":  # medspaCy's own ConText: the reference (components/reference.py)
            self.reference = MedspacyContext(nlp, context["context_rules"], MENTIONS, context.get("default_max_scope"))
        elif matcher != "fast":
            raise ValueError(f"matcher must be one of {', '.join(MATCHERS)}, not {matcher!r}")
        else:
            self.cues = ConTextCues(
                nlp, context["context_rules"], lambda rule_id: rule_errors("context.json", rule_id),
                context.get("default_max_scope"),
            )
        self.templated = TemplatedLines(context.get("templated_values", {}))
        self.frames = FrameCues(context.get("frame_cues", []))

    def decide(self, found: set[str]) -> str:
        if "historical" in found and PRESENT in found:
            found = found - {"historical"}
        ranked = sorted((a for a in found if a in self.rank), key=self.rank.__getitem__)
        return ranked[0] if ranked else PRESENT

    def _modifiers(self, doc: Doc, group: Any, targets: list[tuple[int, int, int, str]]) -> Iterator[list[Any]]:
        """Per target: the cues of its sentence whose scope reaches it (ConText's edges)."""
        if self.reference is not None:
            yield from self.reference(doc, list(group))
            return
        sentences = sentence_table(doc)
        sentence_of = [sentences.sent(start)[0] for start, *_ in targets]
        by_sentence = self.cues.by_sentence(doc, set(sentence_of))
        near = {sentence: NearCues(mods, self.cues.max_scope) for sentence, mods in by_sentence.items()}
        for (start, end, _, label_), sentence in zip(targets, sentence_of, strict=True):
            upper = label_.upper()
            yield near[sentence].modifying(start, end, upper) if sentence in near else []

    def use_rules(self, rules: Any) -> None:
        self.__init__(self.nlp, rules.context, name=self.name, matcher=self.choice)  # type: ignore[misc]

    def __call__(self, doc: Doc) -> Doc:
        if self.missing is not None:
            self.refuse()
        targets = span_rows(doc, MENTIONS)
        if not targets:
            return doc
        group = doc.spans.get(MENTIONS)  # None in the Extractor's own Doc (mentions.py spacy_spans): read as rows
        tokens = token_table(doc)
        sentences = sentence_table(doc)
        infos = info_table(doc)
        texts: dict[tuple[int, int], str] = {}
        paren = "(" in tokens.text  # a bracket aside is possible at all (_bracket_asides)
        findings: _Findings | None = None  # made for the first mention that may stand in a bracket aside
        item_words: bool | None = None  # the text holds a comma item's diagnosis word at all (_own_item_affirms)
        for (start, end, label, label_), modifying in zip(targets, self._modifiers(doc, group, targets), strict=True):
            mods = [m for m in modifying if not _inside((m.start, m.end), (start, end))]
            assertion_of = self._assertion_of_concept.get(label_, self.assertion_of)
            if any(m.direction == "FORWARD" and assertion_of.get(m.category) == "possible" for m in mods):
                mods = _own_clause_asserts(tokens, mods, (start, end), assertion_of)
            if paren and mods and any(m.direction == "FORWARD" and assertion_of.get(m.category) == "absent" for m in mods):
                if findings is None:
                    findings = _Findings(tokens, targets)
                mods = _bracket_asides(tokens, mods, (start, end), findings, assertion_of)
            if mods and any(m.rule.own_item for m in mods):  # a judgement cue at all: rare
                if findings is None:
                    findings = _Findings(tokens, targets)
                mods = _own_item_judged(tokens, mods, (start, end), findings)
            found = {a for m in mods if (a := assertion_of.get(m.category))}
            if "absent" in found:
                if item_words is None:  # once per doc, for its first denied mention: most texts hold no such word
                    item_words = any(w in tokens.text for w in _ITEM_WORDS)
                if item_words and len(kept := _own_item_affirms(tokens, mods, (start, end), assertion_of)) < len(mods):
                    mods = kept
                    found = {a for m in mods if (a := assertion_of.get(m.category))}
            frames = self.frames.read(
                tokens.text, tokens.offsets(*sentences.sent(start)), tokens.offsets(start, end), label_.upper()
            ) if self.frames.frames else []
            found.update(a for _, category, *_ in frames if (a := assertion_of.get(category)))
            assertion = self.decide(found) if found else PRESENT
            if label_ != "modality" and assertion == "possible":
                # A field label's own hedge is the question, the value its answer: "Suspicious bone
                # lesion: No." is absent ("... : Yes" keeps the hedge: a suspicious lesion is there).
                if (answer := self.templated.read(tokens.text, *tokens.offsets(start, end))) in ("absent", "hypothetical"):
                    assertion = answer
            elif (
                assertion == "absent" and len(mods) == 1 and mods[0].end <= start and mods[0].direction == "FORWARD"
                and label_ != "modality"
            ):
                # A field's own answer outranks a denial before its label: the answer of the field before it on
                # its line ("Pathologic fracture: No   Cord compression: Yes - T9"; session 22). Nearly every denied
                # mention has no colon or tab right after it ("No fracture."): only a field is read.
                text_start, text_end = tokens.offsets(start, end)
                line = tokens.text[text_end : text_end + 32].partition("\n")[0]
                if (":" in line or "\t" in line) and (answer := self.templated.read(tokens.text, text_start, text_end)):
                    assertion = answer
            elif label_ != "modality" and assertion == PRESENT:
                templated = self.templated.read(tokens.text, *tokens.offsets(start, end))
                if templated:
                    assertion = templated
                else:
                    meta = (infos.get((start, end, label)) or _NO_INFO).meta or {}
                    if meta.get("normal"):
                        # A normal statement ("disc spaces are maintained", "canal and foramina are
                        # patent") says the finding is not there.
                        assertion = "absent"
                    elif meta.get("shape_only") or meta.get("query"):
                        # A shape a finding gives ("anterior wedging of T8", "stable wedging"): how a
                        # compression fracture looks, not the report saying there is one; an
                        # existence cue ("stable", "old") affirms the shape, not the fracture. A query
                        # written into the mention's own words ("? met") hedges it the same way.
                        assertion = "possible"
            cues = []
            for m in sorted(mods, key=lambda m: (m.start, m.end)) if len(mods) > 1 else mods:
                cue_start, cue_end = tokens.offsets(m.start, m.end)
                category_assertion = assertion_of.get(m.category) or ""
                text = texts.get((m.start, m.end))
                if text is None:
                    text = texts[(m.start, m.end)] = tokens.doc_text(m.start, m.end)
                cues.append(
                    Cue(
                        text=text,
                        category=m.category,
                        assertion=category_assertion,
                        start=cue_start,
                        end=cue_end,
                        rule=m.rule.id,
                        direction=m.direction,
                        decided=category_assertion == assertion,
                    )
                )
            if frames:
                cues.extend(
                    Cue(
                        text=tokens.text[cue_start:cue_end],
                        category=category,
                        assertion=assertion_of.get(category) or "",
                        start=cue_start,
                        end=cue_end,
                        rule=rule,
                        direction=direction,
                        decided=assertion_of.get(category) == assertion,
                    )
                    for rule, category, cue_start, cue_end, direction in frames
                )
                cues.sort(key=lambda c: (c.start, c.end))
            key = (start, end, label)
            mention = infos.get(key)
            if mention is None:
                mention = infos[key] = MentionInfo()
            mention.assertion = assertion
            mention.cues = tuple(cues)
        if group is not None and not OWN_FLAGS.issuperset(CONTEXT_FLAGS):  # else nothing to write (doc.ents makes a
            set_context_flags(group)  # Span per entity)
            set_context_flags(doc.ents)
        return doc


@Language.factory(
    "reportnlp_assertion",
    default_config={"patterns": None, "matcher": "fast"},
    assigns=["span._.reportnlp_assertion", "span._.reportnlp_cues"],
    requires=["token.is_sent_start"],
)
def make_assertion(nlp: Language, name: str, patterns: str | None, matcher: str) -> AssertionResolver:
    return with_rules(patterns, lambda rules: AssertionResolver(nlp, rules.context, name=name, matcher=matcher))
