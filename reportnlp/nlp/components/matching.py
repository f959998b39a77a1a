"""Find the matches of rule files (literals and token patterns) exactly as medspaCy's MedspacyMatcher does.

medspaCy runs spaCy's PhraseMatcher for literals and spaCy's Matcher for token patterns, then keeps
the longest of overlapping matches. spaCy's Matcher tries every pattern at every token and calls
Python for each ``IN`` test, which made it most of the pipeline's time. Here token patterns are
matched by a small engine that only starts a pattern at tokens its first words allow, and yields
the same set of matches. spaCy's Matcher is still built (it validates patterns not seen before) and takes over
for any pattern the engine does not cover, and for a doc where two patterns match the very same
tokens (then only spaCy's own order says which one wins the tie) unless both are fixed-length
patterns (no repeat operators): spaCy's Matcher then gives the earlier-added pattern's match first,
so it wins, as here.
"""

import hashlib
import json
import re
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Callable
from itertools import chain, compress, islice, starmap
from operator import itemgetter
from pathlib import Path
from typing import Any

from pydantic.version import VERSION as pydantic_version
from spacy.about import __version__ as spacy_version
from spacy.attrs import LOWER
from spacy.lang import lex_attrs
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from reportnlp.nlp.components._memo import memo_table, remember
from reportnlp.nlp.components.docdata import doc_value
from reportnlp.nlp.components.lexeme_attrs import string_getter, text_flags
from reportnlp.nlp.components.tables import sentence_table, set_sentence_starts, token_table
from reportnlp.nlp.regex_scan import WordGate, regex_literals, text_body, word_gate
from reportnlp.nlp.rules import RuleSet, cache_folder, record_marker, rule_id
from reportnlp.nlp.safe_regex import SafeSet, UnsafeRegex, compile_safe

Match = tuple[int, int, int]  # (key hash, start token, end token), as spaCy's matchers give them
Test = Callable[[int], bool]

# Lexeme flags a pattern may test with true/false, read from spaCy's lexemes.
FLAGS = {
    "IS_ALPHA", "IS_ASCII", "IS_DIGIT", "IS_LOWER", "IS_UPPER", "IS_TITLE", "IS_PUNCT", "IS_SPACE",
    "IS_BRACKET", "IS_QUOTE", "IS_LEFT_PUNCT", "IS_RIGHT_PUNCT", "IS_CURRENCY", "IS_STOP",
    "LIKE_NUM", "LIKE_URL", "LIKE_EMAIL",
}
_TEXT_ATTRS = {"LOWER": "LOWER", "TEXT": "ORTH", "ORTH": "ORTH"}
_REMEMBERED = 20_000  # lexeme flags and pattern sets (Plans) remembered
# Words whose Plan is remembered, per generation (TokenPatternMatcher._remember_start): a fresh pass over the
# public development texts meets about 32,000 different words; at 20,000 a generation filled about three times
# in it, and each time every word met again moved over (a lookup that missed, about 6 a report).
_WORDS_REMEMBERED = 32_000


def tuple_overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """medspaCy's overlap test (note: false when b strictly contains a)."""
    return a[0] <= b[0] < a[1] or a[0] < b[1] <= a[1]


_START_END = itemgetter(1, 2)  # a match's (start, end): the sort key of pruning, in compiled code


def prune_overlapping_matches(matches: list[Match]) -> list[Match]:
    """medspaCy's ``prune_overlapping_matches`` (strategy "longest"), pass for pass.

    Each pass walks the matches sorted by (start, end) and, of two neighbours that overlap, keeps
    the longer (the first of equals); passes repeat until one removes nothing. medspaCy pops from
    the front of a list and recurses; this walks an index and loops, with the same result
    (tests/test_equivalence.py compares the two).
    """
    if not matches:
        return matches
    current = sorted(matches, key=_START_END)
    count = len(matches)
    while True:
        pruned: list[Match] = []
        n = len(current)
        curr = current[0]
        i = 1
        while True:
            if i == n:
                pruned.append(curr)
                break
            nxt = current[i]
            i += 1
            if curr[1] <= nxt[1] < curr[2] or curr[1] < nxt[2] <= curr[2]:
                pruned.append(nxt if nxt[2] - nxt[1] > curr[2] - curr[1] else curr)
                if i == n:
                    break
                curr = current[i]
                i += 1
            else:
                pruned.append(curr)
                curr = nxt
        if len(pruned) == count:
            return pruned
        count = len(pruned)
        current = sorted(pruned, key=_START_END)


class _Tokens:
    """What the engine's tests read: exact and lower-case token texts, and sentence starts."""

    __slots__ = ("doc", "lower", "sent_starts", "text", "words")

    def __init__(self, doc: Doc) -> None:
        table = token_table(doc)
        self.doc = doc
        self.lower = table.lower
        self.words = table.words
        self.text = table.text  # every token's text is a piece of it (TokenTable)
        self.sent_starts: set[int] | None = None

    def is_sent_start(self, i: int) -> bool:
        if self.sent_starts is None:
            self.sent_starts = set(sentence_table(self.doc).starts)
        return i in self.sent_starts


WordTest = Callable[[str, str], bool]  # (text, lower text) -> passes
PositionTest = Callable[[_Tokens, int], bool]


class _Element:
    """One pattern token: the tests a token must pass, repeated between lo and hi times.

    ``word_test`` is set when the tests depend on the word alone (not on its position), which
    lets the matcher remember per word which patterns can start there.
    """

    __slots__ = ("hi", "lo", "lower_in", "lower_words", "regexes", "test", "text_in", "word_test")

    def __init__(self, word_test: WordTest | None, test: PositionTest, lo: int, hi: int) -> None:
        self.word_test, self.test, self.lo, self.hi = word_test, test, lo, hi
        self.lower_in: frozenset[str] | None = None  # set when the only test is LOWER == / IN: checked inline
        self.text_in: frozenset[str] | None = None  # set when the only test is TEXT / ORTH == / IN: looked up by them
        self.lower_words: frozenset[str] | None = None  # a LOWER == / IN test among others: the token is one of these
        # REGEX tests the token must pass: (True for the lower-case form, else the text; the pattern)
        self.regexes: tuple[tuple[bool, str], ...] = ()


def _repeats(spec: dict[str, Any]) -> tuple[int, int] | None:
    """(min, max) repeats of a spec's OP as spaCy expands it; None for ops the engine does not cover."""
    op = next((v for k, v in spec.items() if isinstance(k, str) and k.upper() == "OP"), None)
    if op is None or op == "1":
        return 1, 1
    if op == "?":
        return 0, 1
    if isinstance(op, str) and re.fullmatch(r"\{\d*(,\d*)?\}", op):
        lo, _, hi = op[1:-1].partition(",") if "," in op else (op[1:-1], ",", op[1:-1])
        if not hi:
            return None  # {n,}: unbounded
        low, high = int(lo or 0), int(hi)
        return (low, high) if low <= high else None
    return None  # *, +, ! and anything else: spaCy's Matcher decides


def _string_check(value: Any) -> Callable[[str], bool] | None:
    """A test of one token string against a spec value: "x", {"IN": [...]}, {"NOT_IN": [...]}, {"REGEX": "..."}."""
    if isinstance(value, str):
        return lambda s: s == value
    if not isinstance(value, dict) or not value or not all(isinstance(k, str) for k in value):
        return None
    checks: list[Callable[[str], bool]] = []
    for op, arg in value.items():
        op = op.upper()
        if op in ("IN", "NOT_IN") and isinstance(arg, list) and all(isinstance(a, str) for a in arg):
            values = frozenset(arg)
            checks.append(values.__contains__ if op == "IN" else (lambda s, vs=values: s not in vs))
        elif op == "REGEX" and isinstance(arg, str):
            checks.append(_regex_check(compile_safe(arg)))  # RE2 (validated at load): linear in the token
        else:
            return None  # other predicates (comparisons, FUZZY, IS_SUBSET ...): spaCy's Matcher decides
    if len(checks) == 1:
        return checks[0]
    return lambda s: all(check(s) for check in checks)


_REGEX_REMEMBERED = 2_000  # per REGEX test: the token strings whose answer is remembered


def _regex_check(rx: Any) -> Callable[[str], bool]:
    """``rx.search(s) is not None``, remembered per string (the most recent ones). RE2's search goes through
    a Python wrapper (the text's bytes, their offsets) that costs several microseconds per token, and a
    pattern's REGEX test meets the same few words ("L4", "disc", numbers) at every place it is tried."""
    known: OrderedDict[str, bool] = memo_table()
    get = known.get

    def check(s: str) -> bool:
        found = get(s)
        if found is None:
            found = remember(known, s, rx.search(s) is not None, _REGEX_REMEMBERED)
        return found

    return check


def _atom(
    attr: str, value: Any, flags: Callable[[str, str], bool], word_flags: Callable[[str, str], bool] | None = None
) -> tuple[WordTest | None, PositionTest | None]:
    """Tests for one attribute of a spec: (word test, position test); (None, None) if not covered. A flag's
    word test reads ``word_flags`` (``flags`` if None): a word is tested once, when it is new."""
    if attr in _TEXT_ATTRS:
        check = _string_check(value)
        if check is None:
            return None, None
        if _TEXT_ATTRS[attr] == "LOWER":
            return (lambda word, lower: check(lower)), (lambda toks, i: check(toks.lower[i]))
        return (lambda word, lower: check(word)), (lambda toks, i: check(toks.words[i]))
    if attr in FLAGS and isinstance(value, bool):
        name = attr.lower()
        of_word = word_flags or flags
        return (lambda word, lower: of_word(word, name) == value), (lambda toks, i: flags(toks.words[i], name) == value)
    if attr == "IS_SENT_START" and isinstance(value, bool):
        return None, (lambda toks, i: toks.is_sent_start(i) == value)
    return None, None


def compile_pattern(
    pattern: list[dict[str, Any]], flags: Callable[[str, str], bool], word_flags: Callable[[str, str], bool] | None = None
) -> list[_Element] | None:
    """The engine's form of a spaCy token pattern, or None if it uses something the engine does not cover."""
    compiled = _compile(pattern, flags, word_flags)
    return None if isinstance(compiled, str) else compiled


def uncovered(pattern: list[dict[str, Any]]) -> str | None:
    """What of a spaCy token pattern the engine does not cover ("SHAPE", "OP '+'", "LOWER FUZZY"), or None when
    the engine runs it. One such pattern hands every report's whole matching to spaCy's Matcher (about seven
    times the CPU); the matches, and so the records, are the same."""
    compiled = _compile(pattern, _no_flag)
    return compiled if isinstance(compiled, str) else None


# The rule lists matched by a RuleMatcher: (rule file, its RuleSet field, the list's key).
TOKEN_RULE_LISTS = (("targets.json", "targets", "target_rules"), ("context.json", "context", "context_rules"))


def slow_rules(rules: RuleSet) -> list[tuple[str, str, str]]:
    """(file, rule id, what the engine does not cover) of each rule whose token pattern the engine cannot run."""
    return [
        (file, rule_id(rule), what)
        for file, field, key in TOKEN_RULE_LISTS
        for rule in getattr(rules, field).get(key, ())
        if "pattern" in rule and (what := uncovered(rule["pattern"])) is not None
    ]


def _no_flag(word: str, name: str) -> bool:
    """A flag reader for ``uncovered``: compiling a pattern reads no flag."""
    return False


def _compile(
    pattern: list[dict[str, Any]], flags: Callable[[str, str], bool], word_flags: Callable[[str, str], bool] | None = None
) -> list[_Element] | str:
    """``compile_pattern``, or (a string) the first thing in the pattern the engine does not cover."""
    elements = []
    for spec in pattern:
        if not isinstance(spec, dict):
            return "a token that is no object"
        repeats = _repeats(spec)
        if repeats is None:
            return f"OP {next(v for k, v in spec.items() if isinstance(k, str) and k.upper() == 'OP')!r}"
        word_tests: list[WordTest | None] = []
        tests: list[PositionTest] = []
        attrs = []
        for key, value in spec.items():
            if not isinstance(key, str):
                return "a key that is no string"
            attr = key.upper()
            if attr == "OP":
                continue
            word_test, test = _atom(attr, value, flags, word_flags)
            if test is None:
                if attr in _TEXT_ATTRS and isinstance(value, dict):  # the predicates the engine does not cover
                    ops = sorted(str(op).upper() for op, arg in value.items() if _string_check({op: arg}) is None)
                    return " ".join([attr, *ops])
                return attr
            word_tests.append(word_test)
            tests.append(test)
            attrs.append((attr, value))
        if not tests:
            element = _Element(lambda word, lower: True, lambda toks, i: True, *repeats)
        elif len(tests) == 1:
            element = _Element(word_tests[0], tests[0], *repeats)
            element.lower_in = _lower_in(*attrs[0])
            element.text_in = _text_in(*attrs[0])
        else:
            word_all = (
                None if None in word_tests
                else (lambda word, lower, ws=tuple(word_tests): all(w(word, lower) for w in ws))  # type: ignore[misc]
            )
            element = _Element(word_all, lambda toks, i, ts=tuple(tests): all(t(toks, i) for t in ts), *repeats)
        for attr, value in attrs:
            words = _lower_in(attr, value)
            if words is not None:
                element.lower_words = words if element.lower_words is None else element.lower_words & words
        element.regexes = tuple(
            (_TEXT_ATTRS[attr] == "LOWER", value["REGEX"])
            for attr, value in attrs
            if attr in _TEXT_ATTRS and isinstance(value, dict) and isinstance(value.get("REGEX"), str)
        )
        elements.append(element)
    return elements


def _lower_in(attr: str, value: Any) -> frozenset[str] | None:
    """The strings a LOWER-only spec accepts ("x" or {"IN": [...]}), else None."""
    if attr != "LOWER":
        return None
    if isinstance(value, str):
        return frozenset([value])
    if isinstance(value, dict) and len(value) == 1:
        op, arg = next(iter(value.items()))
        if isinstance(op, str) and op.upper() == "IN" and isinstance(arg, list) and all(isinstance(a, str) for a in arg):
            return frozenset(arg)
    return None


def _text_in(attr: str, value: Any) -> frozenset[str] | None:
    """The strings a TEXT / ORTH-only spec accepts ("x", {"IN": [...]}, or a REGEX that spells them out,
    {"REGEX": "^(?:SCS|CCS)$"}), else None."""
    if _TEXT_ATTRS.get(attr) != "ORTH":
        return None
    if isinstance(value, dict) and len(value) == 1 and isinstance(value.get("REGEX"), str):
        return regex_literals(value["REGEX"])
    return _lower_in("LOWER", value)  # the same shapes, read as exact texts


def _leading(elements: list[_Element]) -> list[_Element]:
    """The elements one of which consumes the first token of any match."""
    out = []
    for element in elements:
        out.append(element)
        if element.lo >= 1:
            break
    return out


def _second_words(elements: list[_Element], lower_of: Callable[[str], str] = str.lower) -> frozenset[str] | None:
    """Lower-case words one of which must follow the first token of any match, when the pattern says
    so: None if a one-token match is possible or a test other than LOWER or TEXT == / IN may take that
    token. A TEXT test ("MR", "#", "SCC" after a grade or a bone word) gives its texts' lower-case forms,
    ``lower_of`` (the vocab's LOWER) and ``str.lower`` both: a token with that text has one of them as its
    lower-case form whichever made the token table, so the next-word lookup still only skips tries that
    cannot match (about 50,000 of a public pass's 83,000 tries of whole patterns had failed there)."""
    second: set[str] = set()
    for i, element in enumerate(elements):
        if any(e.lo > 0 for e in elements[:i]):
            break  # element i can no longer take the first token
        if element.hi < 1:
            continue
        if element.lo <= 1 and all(e.lo == 0 for e in elements[i + 1 :]):
            return None
        takers = [element] if element.hi >= 2 else []
        if element.lo <= 1:
            for e in elements[i + 1 :]:
                if e.hi >= 1:
                    takers.append(e)
                if e.lo > 0:
                    break
        for taker in takers:
            if taker.lower_in is not None:
                second |= taker.lower_in
            elif taker.text_in is not None:
                second.update(form for text in taker.text_in for form in (lower_of(text), text.lower()))
            else:
                return None
    return frozenset(second)


Anchor = tuple[frozenset[str], int, int]


def _anchors(elements: list[_Element], lower_of: Callable[[str], str] = str.lower) -> list[Anchor]:
    """Up to two (words, first, last), in pattern order: any match needs one of ``words`` (lower case)
    among its tokens ``first`` to ``last`` (counted from its start), because a later element a match must
    take a token for has a LOWER == / IN test, or a TEXT / ORTH one (its texts' lower-case forms, as
    _second_words reads them), and the elements before it take between ``first`` and ``last`` tokens.
    The element the pattern is looked up by gives none.

    Patterns that open with optional words ("the", "left", ... {0,3} before "foramina"), with a
    number ("3-day history of") or with any word ({"IS_ALPHA": true} before a field's ":" and "[")
    would otherwise be tried at every "the", number or word of a report; the second anchor tells the
    field's ":" that opens no "[" (one rule so tried took 5.2 M of a public report's 13.8 M instructions;
    session 29)."""
    found: list[Anchor] = []
    first = last = 0
    for i, element in enumerate(elements):
        needed = element.lo >= 1
        known = i == 0 and (element.lower_in is not None or element.text_in is not None)  # looked up by it
        if needed and not known:
            if element.lower_words is not None:
                found.append((element.lower_words, first, last))
            elif element.text_in is not None:
                words = frozenset(form for text in element.text_in for form in (lower_of(text), text.lower()))
                found.append((words, first, last))
            if len(found) == 2:
                break
        first += element.lo
        last += element.hi
    return found


def _ends(elements: list[_Element], toks: _Tokens, start: int, n: int) -> set[int]:
    """Every end of a match of the pattern from ``start`` (all ways, like spaCy's Matcher).

    While a try has one way to go (most do: one-token elements, mostly LOWER == / IN tests) its position
    is tested as it is, without the lists the general step builds (a comprehension is a call of its own:
    about half of the matcher's time on mention-dense reports went to this function)."""
    lower = toks.lower
    current = [start]
    for element in elements:
        lo, hi, values = element.lo, element.hi, element.lower_in
        if hi == 1 and len(current) == 1:  # one token or an optional one, from one position
            p = current[0]
            if p < n and (
                lower[p] in values if values is not None
                else toks.words[p] in element.text_in if element.text_in is not None  # its only test (exact)
                else element.test(toks, p)
            ):
                current = [p + 1, p] if lo == 0 else [p + 1]
            elif lo != 0:
                return set()
            continue
        if hi == 1:  # the common shapes, one token or an optional one
            if values is not None:
                reached = [p + 1 for p in current if p < n and lower[p] in values]
            else:
                test = element.test
                reached = [p + 1 for p in current if p < n and test(toks, p)]
            if lo == 0:
                reached = list({*current, *reached})
        else:
            test = element.test
            found = set()
            for pos in current:
                if lo == 0:
                    found.add(pos)
                count = 0
                while count < hi and pos < n and test(toks, pos):
                    pos += 1
                    count += 1
                    if count >= lo:
                        found.add(pos)
            reached = list(found)
        if not reached:
            return set()
        current = reached
    return set(current)


class _RegexSets:
    """The REGEX tests of the elements that can start patterns, asked together per new word.

    A word the matcher has not seen is tested against every pattern that may start with it; most of
    those tests are REGEX ones, each an RE2 search through its Python wrapper. RE2's multi-pattern set
    answers for all of them in one call per form of the word (its text, its lower case), and an
    element with a REGEX the set rules out cannot take the word, so its own tests are skipped.
    """

    __slots__ = ("_lower", "_lower_gate", "_word", "_word_gate")

    def __init__(self, elements: list[_Element]) -> None:
        self._lower = self._bank({p for e in elements for lower, p in e.regexes if lower})
        self._word = self._bank({p for e in elements for lower, p in e.regexes if not lower})
        # each bank's word_gate test, asked here before the bank (most new words pass neither gate: a call
        # and a set less for them)
        self._lower_gate = _gate_test(self._lower)
        self._word_gate = _gate_test(self._word)

    @staticmethod
    def _bank(patterns: set[str]) -> tuple[list[str], SafeSet, WordGate | None] | None:
        """(the patterns in order, their RE2 set, ``word_gate`` of them) or None for no patterns."""
        ordered = sorted(patterns)
        return (ordered, SafeSet([compile_safe(p) for p in ordered]), word_gate(ordered)) if ordered else None

    def hits(self, word: str, lower: str) -> "set[tuple[bool, str]] | frozenset[tuple[bool, str]]":
        """The REGEX tests that may pass on this word, as ``_Element.regexes`` names them: an element
        with a test outside this set cannot take the word."""
        asks_lower = self._lower is not None and self._lower_gate(lower)
        asks_word = self._word is not None and self._word_gate(word)
        if not (asks_lower or asks_word):
            return _NO_HITS  # most words: RE2's set (about 3 us through its wrapper) need not be asked
        hits: set[tuple[bool, str]] = set()
        if asks_lower:
            self._bank_hits(hits, True, self._lower, lower)  # type: ignore[arg-type]
        if asks_word:
            self._bank_hits(hits, False, self._word, word)  # type: ignore[arg-type]
        return hits

    @staticmethod
    def _bank_hits(hits: set[tuple[bool, str]], is_lower: bool, bank: tuple[list[str], SafeSet, WordGate | None],
                   text: str) -> None:
        names, regexes, _ = bank
        found = regexes.matching_word(text)
        if found:  # most words match none
            hits.update((is_lower, names[i]) for i in found)


_NO_HITS: frozenset[tuple[bool, str]] = frozenset()


def _gate_test(bank: tuple[list[str], SafeSet, WordGate | None] | None) -> Callable[[str], bool]:
    """Whether a word may match one of the bank's patterns (its gate's may_match; always, without a gate)."""
    gate = bank[2] if bank is not None else None
    return gate.may_match if gate is not None else _always


def _always(text: str) -> bool:
    return True


def _number(candidate: "_Candidate") -> int:
    return candidate[0]


# number, key, elements, its first anchor, its second
_Candidate = tuple[int, int, list[_Element], Anchor | None, Anchor | None]
Plan = tuple[tuple[_Candidate, ...], dict[str, tuple[_Candidate, ...]]] | tuple[()]


def _marked(doc: Doc) -> Doc:
    """The doc with spaCy's SENT_START marks, as spaCy's Matcher reads them. The Extractor's own Doc keeps its
    sentences in the table alone (sentences.py ``spacy_starts``), where the engine reads them; spaCy's Matcher,
    which answers for a rule file with a pattern the engine does not cover, and for ties, would find no sentence
    start there, and every IS_SENT_START rule would stop matching ("Know fracture." read as a fracture)."""
    if not doc.has_annotation("SENT_START"):
        table = doc_value(doc, "reportnlp_sentence_table")
        if table is not None and table.n == len(doc):
            set_sentence_starts(doc, list(table.starts))
    return doc


class _WordPlans:
    """Word -> the Plan of the patterns that can start at it, leaving out the patterns ``left_out``; at most
    2 x _WORDS_REMEMBERED words, in two generations: a word met again while it is in the older one moves to
    the newer, so the words of every report stay. A first-in first-out table of 20,000 words dropped "the"
    and "left" after 20,000 new words (the public reports hold 32,000) and computed them again and again."""

    __slots__ = ("left_out", "newer", "older")

    def __init__(self, left_out: frozenset[int]) -> None:
        self.left_out = left_out
        self.newer: dict[str, Plan] = {}
        self.older: dict[str, Plan] = {}

    def remember(self, word: str, plan: "Plan") -> "Plan":
        if len(self.newer) >= _WORDS_REMEMBERED:
            self.older, self.newer = self.newer, {}
        self.newer[word] = plan
        return plan


def _text_gates(
    numbers: list[int], anchors: list[Anchor | None], thens: list[Anchor | None]
) -> list[tuple[int, tuple[frozenset[str], ...]]]:
    """(pattern, the anchors' words it needs) of each of these patterns that has an anchor of marks alone, words
    without a letter that has a case (":", "[", "{"): a token whose lower-case form (str.lower) is such a mark has it
    as its text, so a report whose text holds none of an anchor's marks holds no match of the pattern. Its other
    anchors are left to the matcher."""
    gates = []
    for number in sorted(set(numbers)):
        needs = tuple(anchor[0] for anchor in (anchors[number], thens[number])
                      if anchor is not None and all(_caseless(word) for word in anchor[0]))
        if needs:
            gates.append((number, needs))
    return gates


def _caseless(word: str) -> bool:
    """No character of the word has a case: only the word itself has it as its lower-case form (no character of
    Unicode lower-cases to characters without a case)."""
    return word == word.upper() == word.lower()


# Words common in reports, commonest first: the public development texts' commonest of the words the shipped rules
# need. The match gate keys each pattern on the least common of the word lists it needs (_MatchGate); every choice
# finds the same matches, a rarer word only leaves fewer tokens to walk.
_COMMON_WORDS = (
    ".", ",", "the", "and", ":", "was", "of", "to", "a", "with", "-", "in", "is", "no", "xxxx", "for", "were", "on",
    "right", "left", "at", "or", "normal", "chest", "are", "has", "history", "that", "2", "1", "lateral", "be",
    "findings", "pain", "exam", "had", "from", "well", "impression", "not", "an", "acute", "old", "which", "3", "by",
    "clear", "disease", "4", "after", "_", "0", "using", "i", "lungs", "mg", "pa", "time", "x", "noted",
)
_COMMONNESS = {word: len(_COMMON_WORDS) - rank for rank, word in enumerate(_COMMON_WORDS)}

# What a match needs of one of its tokens: (the lower-case words it is one of, or None; else a regex its text holds and
# whether that regex reads the lower-case form; the fewest and the most tokens before it in a match)
_Need = tuple[frozenset[str] | None, tuple[str, bool] | None, int, int]
_HEAD, _HEAD_HITS = 64, 9  # a report opening with more than 9 words a match needs in its first 64 is walked whole


def _needs(elements: list[_Element], lower_of: Callable[[str], str]) -> list[_Need]:
    """What each element a match must take a token for tells of that token: the lower-case words it is one of (a
    LOWER == / IN test; a TEXT one's texts in both lower-case forms, as _anchors reads them), or else a regex the
    token's text holds (a REGEX test's body, ``regex_scan.text_body``)."""
    found: list[_Need] = []
    first = last = 0
    for element in elements:
        if element.lo >= 1:
            words = element.lower_words
            if words is None and element.text_in is not None:
                words = frozenset(form for text in element.text_in for form in (lower_of(text), text.lower()))
            body = None
            for is_lower, regex in element.regexes if words is None else ():
                text = text_body(regex)
                if text is not None:
                    body = (text, is_lower)
                    break
            if words is not None or body is not None:
                found.append((words, body, first, last))
        first += element.lo
        last += element.hi
    return found


def _commonness(need: _Need) -> tuple[int, int]:
    words = need[0] or frozenset()
    return sum(_COMMONNESS.get(word, 0) for word in words), len(words)


class _MatchGate:
    """Where a match of the patterns can start, read from the words each pattern needs (session 35).

    Every pattern needs a token that is one of some words (the least common of its elements' word lists, _needs),
    among its tokens ``first`` to ``last``, so a match can start only ``first`` to ``last`` tokens before a token
    that is such a word: the report's lower-case words are looked up in compiled code (no word is learned), and the
    engine walks the few positions before the hits (about 26 of a public report's 300 tokens) instead of every word
    that starts a pattern (about 116, most dropped one by one by the next word's lookup or an anchor). The few
    patterns with no word list (the TNM stages, "2v") need a token that holds a REGEX test's body: the bodies are
    searched in the report's text with RE2 (one pass, about 7 us a public report), at every position one may start
    at, and each hit's token counts. A body the test reads in lower case is searched without case, in an ASCII text
    only (case folding beyond ASCII need not line up with ``str.lower``): a text beyond ASCII is then walked whole."""

    __slots__ = ("ascii_only", "reach", "regex", "regex_offsets")

    def __init__(self, needs: list[list[_Need]]) -> None:
        reach: dict[str, tuple[int, int]] = {}  # lower-case word -> (fewest, most tokens before it in a match)
        bodies: list[str] = []
        firsts: list[int] = []
        lasts: list[int] = []
        self.ascii_only = False
        for need in needs:
            listed = [n for n in need if n[0] is not None]
            if listed:
                words, _, first, last = min(listed, key=_commonness)
                for word in words or ():
                    lo, hi = reach.get(word, (first, last))
                    reach[word] = (min(lo, first), max(hi, last))
                continue
            _, (body, is_lower), first, last = need[0]  # type: ignore[misc]
            bodies.append(f"(?i:{body})" if is_lower else body)
            self.ascii_only = self.ascii_only or is_lower
            firsts.append(first)
            lasts.append(last)
        # word -> the offsets (0 or less) from its position at which a match may start
        self.reach = {word: tuple(range(-hi, 1 - lo)) for word, (lo, hi) in reach.items()}
        self.regex = compile_safe("|".join(f"(?:{b})" for b in sorted(set(bodies)))) if bodies else None
        self.regex_offsets = tuple(range(-max(lasts, default=0), 1 - min(firsts, default=0)))

    @classmethod
    def of(cls, patterns: list[list[_Element]], lower_of: Callable[[str], str]) -> "_MatchGate | None":
        """The gate of these patterns, or None when one of them needs no token a word or a regex tells (a pattern
        led by a flag or a position, the rest optional): then every report is walked whole."""
        needs = [_needs(elements, lower_of) for elements in patterns]
        if not all(needs):
            return None
        try:
            return cls(needs)
        except UnsafeRegex:  # bodies RE2 will not join (a group name twice): no gate
            return None

    def positions(self, toks: _Tokens) -> list[int] | None:
        """The positions (in order) where a match can start; None when that is most of the report."""
        lower = toks.lower
        n = len(lower)
        reach = self.reach
        needed = reach.__contains__
        # A report dense with such words (a spine report's levels, most generated reports) would be walked at most of
        # its words: its first words tell, before the rest are looked up (in the public development texts, 3 in
        # 500 open with more than 9 in 64 words; in the generated reports, most).
        hits = [*compress(range(_HEAD), map(needed, lower[:_HEAD]))]  # most words are none of them
        if len(hits) > _HEAD_HITS:
            return None
        if n > _HEAD:
            hits += compress(range(_HEAD, n), map(needed, islice(lower, _HEAD, None)))
        found = {i + d for i in hits for d in reach[lower[i]]}
        if self.regex is not None:
            text = toks.text
            if self.ascii_only and not text.isascii():
                return None
            search = self.regex.search
            match = search(text)
            if match is not None:  # every position a body's match starts at, overlapping ones too (rare)
                starts = token_table(toks.doc).starts
                while match is not None:
                    i = bisect_right(starts, match.start()) - 1  # the token holding it
                    found.update(i + d for d in self.regex_offsets)
                    match = search(text, match.start() + 1)
        if 2 * len(found) > n:
            return None
        ordered = sorted(found)
        return ordered[bisect_left(ordered, 0):]


class TokenPatternMatcher:
    """spaCy's ``Matcher`` results (as a set) for token patterns, computed only where they can start."""

    def __init__(
        self, nlp: Language, keyed_patterns: list[tuple[str, list[dict[str, Any]]]], add: Callable[..., None],
        gate: bool = False,
    ) -> None:
        """``gate``: a whole report is matched only where the words its patterns need are (_MatchGate)."""
        marker = _validation_marker(keyed_patterns)
        validate = marker is None or not marker.is_file()
        self.vocab = nlp.vocab
        # spaCy's Matcher answers only what the engine below cannot (3 of the 5,024 dev reports): patterns it
        # validated in an earlier run are added to it when it is first asked (about 40 ms of start-up).
        self._spacy_patterns: tuple[list[tuple[str, list[dict[str, Any]]]], Callable[..., None], bool] | None = (
            keyed_patterns, add, validate)
        self._spacy_matcher: Matcher | None = None
        # the patterns of a few keys, for ties (_settle): spaCy's Matcher with every pattern costs ~50 ms to build
        self._keyed_patterns, self._add = keyed_patterns, add
        self._tie_matchers: dict[frozenset[int], Matcher] = {}
        if validate:  # new patterns: spaCy checks them now, before any report
            self.spacy_matcher  # noqa: B018
        # (word, flag name) -> the lexeme's flag, in two generations as _starts (an OrderedDict's
        # insertion and drop cost more than the lexeme lookup on a new word, each met once)
        self._flags: dict[tuple[str, str], bool] = {}
        self._older_flags: dict[tuple[str, str], bool] = {}
        self._text_flags = text_flags(self.vocab)
        self._plans: OrderedDict[tuple[int, ...], Plan] = memo_table()  # patterns a word starts -> their Plan
        self.patterns: list[tuple[int, list[_Element], frozenset[str] | None]] = []
        self.fixed: list[bool] = []  # per pattern: every element takes exactly one token
        self.anchors: list[Anchor | None] = []  # per pattern: _anchors' first
        self.thens: list[Anchor | None] = []  # per pattern: _anchors' second
        self.by_lower: dict[str, set[int]] = {}  # lower-case word -> patterns a LOWER == / IN test lets start
        self.by_text: dict[str, set[int]] = {}  # word -> patterns a TEXT / ORTH == test (and LOWER ones) lets start
        self.by_word: list[tuple[int, list[_Element]]] = []  # (number, leading elements tested otherwise)
        self.anywhere: list[int] = []  # patterns whose first token depends on its position alone
        self.lean = True
        self.longest = 0  # the most tokens a match of the engine's patterns can take
        anchors: dict[Anchor, Anchor] = {}
        getter = string_getter(self.vocab.lex_attr_getters.get(LOWER))  # a string, not its ID (lexeme_attrs)
        lower_of: Callable[[str], str] = getter if callable(getter) else str.lower  # a lexeme's LOWER, as the vocab makes it
        for key, pattern in keyed_patterns:
            elements = compile_pattern(pattern, self._flag, self._word_flag)
            if elements is None:
                self.lean = False
                continue
            number = len(self.patterns)
            self.longest = max(self.longest, sum(e.hi for e in elements))
            self.patterns.append((self.vocab.strings.add(key), elements, _second_words(elements, lower_of)))
            self.fixed.append(all(e.lo == e.hi == 1 for e in elements))
            leading = _leading(elements)
            anchor, then = [*_anchors(elements, lower_of), None, None][:2]
            # equal anchors as one object: the matcher skips a pattern whose anchor just failed at that start
            self.anchors.append(anchors.setdefault(anchor, anchor) if anchor is not None else None)
            self.thens.append(then)
            if any(e.word_test is None for e in leading):  # a test of the position (IS_SENT_START)
                if all(e.lower_words is not None for e in leading):  # ... beside a LOWER test: start at those words
                    for element in leading:
                        for word in element.lower_words or ():
                            self.by_lower.setdefault(word, set()).add(number)
                else:
                    self.anywhere.append(number)
                continue
            for element in leading:
                for word in element.lower_in or ():
                    self.by_lower.setdefault(word, set()).add(number)
            others = [e for e in leading if e.lower_in is None]
            if others and all(e.text_in is not None for e in others):  # "MR", "?", {"IN": ["CT", "C/T"]}: by the word
                for element in others:
                    for text in element.text_in or ():
                        self.by_text.setdefault(text, set()).add(number)
            elif others:
                self.by_word.append((number, others))
        self._candidates = [(number, key, elements, anchor, then) for number, ((key, elements, _), anchor, then)
                            in enumerate(zip(self.patterns, self.anchors, self.thens, strict=True))]
        # by_word split: patterns whose every leading element has a REGEX test are tried only when the
        # sets say one of those tests may pass on the word (most words pass none).
        self._gated = [(number, leading) for number, leading in self.by_word if all(e.regexes for e in leading)]
        self._ungated = [(number, leading) for number, leading in self.by_word if not all(e.regexes for e in leading)]
        try:
            self._regex_sets = _RegexSets([e for _, leading in self._gated for e in leading])
        except UnsafeRegex:  # RE2's set refused a pattern its own search took: every pattern is tried
            self._gated, self._ungated = [], list(self.by_word)
        self._ungated_tests = [(number, tuple(e.word_test for e in leading)) for number, leading in self._ungated]
        # Patterns tried at every word of a kind (IS_ALPHA, LIKE_NUM: no listed word and no REGEX starts them) or at
        # every position that need marks a report may not hold at all (_text_gates), and what each word can start
        # in every report (_all) or in one that can hold none of those patterns (_lean: most reports). The marks
        # are read in the text, which holds a token's lower-case form only when the vocab's LOWER is str.lower.
        self._gates = _text_gates(
            [n for n, _ in self._ungated] + self.anywhere, self.anchors, self.thens
        ) if lower_of in (str.lower, lex_attrs.lower) else []
        self._all = _WordPlans(frozenset())
        self._lean = _WordPlans(frozenset(n for n, _ in self._gates))
        self._match_gate = _MatchGate.of([elements for _, elements, _ in self.patterns], lower_of) if gate else None
        if validate and marker is not None:  # every pattern passed spaCy's validation
            record_marker(marker)

    def long_starts(self, longer_than: int) -> list[tuple[int, frozenset[str], frozenset[str]]] | None:
        """Per length above ``longer_than`` that a match can take (most first): (that length, the lower-case words
        and the words at which a pattern that long at most can start). None when such a pattern may start at
        other words too (a REGEX or position test leads it) or spaCy's Matcher decides."""
        reach = {n: sum(e.hi for e in elements) for n, (_, elements, _) in enumerate(self.patterns)}
        long = {n for n, length in reach.items() if length > longer_than}
        if not self.lean or long & {n for n, _ in self.by_word} or long & set(self.anywhere):
            return None
        return [
            (length,
             frozenset(w for w, numbers in self.by_lower.items() if any(reach[n] == length for n in numbers)),
             frozenset(w for w, numbers in self.by_text.items() if any(reach[n] == length for n in numbers)))
            for length in sorted({reach[n] for n in long}, reverse=True)
        ]

    @property
    def spacy_matcher(self) -> Matcher:
        """spaCy's Matcher with every pattern, built on first use (at once for patterns not validated before)."""
        if self._spacy_matcher is None:
            assert self._spacy_patterns is not None
            keyed_patterns, add, validate = self._spacy_patterns
            matcher = Matcher(self.vocab, validate=validate)
            for key, pattern in keyed_patterns:
                add(matcher, key, pattern)
            self._spacy_matcher, self._spacy_patterns = matcher, None
        return self._spacy_matcher

    @spacy_matcher.setter
    def spacy_matcher(self, matcher: Matcher) -> None:
        self._spacy_matcher = matcher

    def _tie_matcher(self, keys: frozenset[int]) -> Matcher:
        """spaCy's Matcher with only the patterns of ``keys`` (hashes), added in the order of the full one: the
        order it gives matches of the same tokens is that of their patterns' states, which no other pattern
        touches. Built once per set of keys (a tie of two HYPOTHETICAL cues in 3 of 503 public texts built
        every pattern of the rule file in the run: ~0.1 M instructions a report of that run)."""
        matcher = self._tie_matchers.get(keys)
        if matcher is None:
            matcher = self._tie_matchers[keys] = Matcher(self.vocab, validate=False)  # validated with every pattern
            for key, pattern in self._keyed_patterns:
                if self.vocab.strings[key] in keys:
                    self._add(matcher, key, pattern)
        return matcher

    def _flag(self, word: str, name: str) -> bool:
        key = (word, name)
        value = self._flags.get(key)
        if value is None:
            value = self._older_flags.get(key)
            if value is None:
                value = bool(getattr(self.vocab[word], name))
            if len(self._flags) >= _REMEMBERED:
                self._older_flags, self._flags = self._flags, {}
            self._flags[key] = value
        return value

    def _word_flag(self, word: str, name: str) -> bool:
        """A lexeme flag of a new word: the word tests run once per new word, so the remembered flags (_flag,
        for the tests of later tokens) would only hold each word once more (the remembering cost about 0.5 us
        of the 1.5 us a new word's LIKE_NUM test took). A flag the vocab computes from the word's text alone
        (:func:`text_flags`) is computed here from it, without the lexeme lookup: the one rule that leads
        with LIKE_NUM tests every new word (0.3 against 1.1 us)."""
        getter = self._text_flags.get(name)
        if getter is not None:
            return getter(word)
        return bool(getattr(self.vocab[word], name))

    def _starting(self, word: str, lower: str, left_out: frozenset[int] = frozenset()) -> tuple[int, ...]:
        """The patterns that can start at the word, but those ``left_out`` (whose tests are not run)."""
        # plain loops and no set for a word that starts nothing (most): this runs once per new word (32,000
        # in a fresh public pass, about 4 us each before)
        by_lower, by_text = self.by_lower.get(lower), self.by_text.get(word)
        found = set(by_lower) if by_lower else set()
        if by_text:
            found.update(by_text)
        for number, tests in self._ungated_tests:
            if number not in found and number not in left_out:
                for test in tests:
                    if test(word, lower):
                        found.add(number)
                        break
        if self._gated:
            hits = self._regex_sets.hits(word, lower)
            if hits:
                found.update(
                    number for number, leading in self._gated
                    if number not in found
                    and any(all(r in hits for r in e.regexes) and e.word_test(word, lower) for e in leading)  # type: ignore[misc]
                )
        if self.anywhere:
            found.update(self.anywhere)
        if left_out and found:
            found -= left_out
        return tuple(sorted(found)) if found else ()

    def _plan(self, numbers: tuple[int, ...]) -> "Plan":
        """What the matcher tries at a word that can start these patterns: (the patterns any next word
        may continue, {next word: those and the patterns that word continues}), each in pattern order, with what
        each needs (_Candidate). () when none: most words. Looking the next word up once replaces
        testing it against the second words of every pattern (most tries ended there: "the" starts
        a dozen patterns)."""
        if not numbers:
            return ()
        plan = self._plans.get(numbers)
        if plan is None:
            candidates = self._candidates
            free = tuple(candidates[k] for k in numbers if self.patterns[k][2] is None)
            after: dict[str, list[_Candidate]] = {}
            for k in numbers:
                for word in self.patterns[k][2] or ():
                    after.setdefault(word, []).append(candidates[k])
            # after a listed next word: its patterns and the free ones together, in pattern order
            merged = {w: tuple(sorted([*free, *c], key=_number)) for w, c in after.items()}
            plan = remember(self._plans, numbers, (free, merged), _REMEMBERED)
        return plan

    def _known_start(self, plans: "_WordPlans", word: str, lower: str) -> "Plan":
        """The word's plan in ``plans``, worked out when the word is new to it."""
        known = plans.newer.get(word)
        if known is None:
            known = plans.older.get(word)
            if known is None:
                known = self._plan(self._starting(word, lower, plans.left_out))
            known = plans.remember(word, known)
        return known

    def _plans_for(self, text: str) -> "_WordPlans":
        """The word plans for a report of this text: without the gated patterns when the text lacks, for each of
        them, a mark it needs (a template's unfilled "[" after a field's ":"): they cannot match there, and
        leaving them out of the plans spares their anchor test at every word they could start at (every word of
        a report for the template rule). Leaving out a pattern that cannot match changes no match and no order
        of ties (matches are numbered by their patterns, which keep their numbers)."""
        for _, needs in self._gates:
            if all(any(mark in text for mark in marks) for marks in needs):
                return self._all  # this report may hold one of them: every pattern is tried
        return self._lean

    def __call__(self, doc: Doc, ranges: list[tuple[int, int]] | None = None) -> list[Match]:
        """The matches; with ``ranges`` (sorted, apart), only those that start in one of them."""
        if not self.patterns and self.lean:  # no pattern at all
            return []
        if not self.lean:
            return _starting_in(self.spacy_matcher(_marked(doc)), ranges)
        toks = _Tokens(doc)
        words, lower = toks.words, toks.lower
        n = len(words)
        # the positions of the ranges, listed in compiled code (a Python loop here cost about 2 us a call)
        positions: range | list[int] = range(n) if ranges is None else [*chain.from_iterable(starmap(range, ranges))]
        if ranges is None and self._match_gate is not None:
            # every match starts at one of these (None: at most of the report's words): the same matches, and
            # ``ranges`` stays None (none to filter out)
            gated = self._match_gate.positions(toks)
            if gated is not None:
                if not gated:
                    return []  # no word any pattern needs
                positions = gated
        plans = self._plans_for(toks.text) if self._gates else self._all
        get = plans.newer.get
        fixed = self.fixed
        found: dict[tuple[int, int], int] = {}
        first: dict[tuple[int, int], int] = {}  # (start, end) -> number of the first pattern that matched it
        ties: list[Match] = []  # later patterns' matches of the same tokens (fixed-length ones in pattern order)
        unsettled: set[tuple[int, int]] = set()  # tokens matched by patterns spaCy's own order must settle
        # what each word can start (None: not yet known)
        starting = list(map(get, words if positions.__class__ is range else map(words.__getitem__, positions)))
        k = -1
        try:
            while True:  # the words not yet known (list.index scans in C: a report has few of them)
                k = starting.index(None, k + 1)
                i = positions[k]
                starting[k] = self._known_start(plans, words[i], lower[i])
        except ValueError:
            pass
        last = n - 1
        for start, (candidates, after) in compress(zip(positions, starting, strict=True), starting):  # most words start none
            if after and start < last:
                candidates = after.get(lower[start + 1], candidates)  # with the patterns the next word continues
            if not candidates:
                continue  # most words that start a pattern: the next word continues none of them
            failed = None  # the anchor that failed here last (patterns that share one come in a row)
            for number, key, elements, anchor, then in candidates:
                if anchor is not None and (
                    anchor is failed or anchor[0].isdisjoint(lower[start + anchor[1] : start + anchor[2] + 1])
                ):
                    failed = anchor
                    continue  # no word the pattern needs is where it would have to be
                if then is not None and then[0].isdisjoint(lower[start + then[1] : start + then[2] + 1]):
                    continue
                for end in _ends(elements, toks, start, n):
                    if end > start:
                        if (start, end) in found:
                            # A tie. Fixed-length patterns reach their end together, and spaCy gives
                            # their matches in the order the patterns were added (numbers run in it).
                            ties.append((key, start, end))
                            if not (fixed[number] and fixed[first[(start, end)]]):
                                unsettled.add((start, end))  # otherwise spaCy's order decides
                            continue
                        found[(start, end)] = key
                        first[(start, end)] = number
        if unsettled and not self._settle(_marked(doc), unsettled, found, ties):
            return _starting_in(self.spacy_matcher(doc), ranges)
        # Pruning sorts by (start, end) and keeps the order of equal ones: ties after the first match.
        return [(key, start, end) for (start, end), key in found.items()] + ties

    def _settle(self, doc: Doc, unsettled: set[tuple[int, int]], found: dict[tuple[int, int], int], ties: list[Match]) -> bool:
        """Order the matches of each of these tokens as spaCy's Matcher does, asked on just those tokens
        (its order among patterns that match the same tokens does not depend on the tokens around them;
        the whole long report, where its Python-level tests cost about 0.1 s, need not be matched).
        False when spaCy's Matcher there does not give exactly the keys found: then the caller asks it
        on the whole doc."""
        settled: list[Match] = []
        for start, end in sorted(unsettled):
            keys = [found[(start, end)], *(k for k, s, e in ties if s == start and e == end)]
            order = [k for k, s, e in self._tie_matcher(frozenset(keys))(doc[start:end]) if s == 0 and e == end - start]
            if sorted(order) != sorted(keys):
                return False
            found[(start, end)] = order[0]
            settled += [(k, start, end) for k in order[1:]]
        ties[:] = [t for t in ties if (t[1], t[2]) not in unsettled] + settled
        return True


def _starting_in(matches: list[Match], ranges: list[tuple[int, int]] | None) -> list[Match]:
    """The matches that start in one of ``ranges`` (sorted, apart): all of them for None."""
    if ranges is None:
        return matches
    los = [lo for lo, _ in ranges]
    return [m for m in matches if (k := bisect_right(los, m[1]) - 1) >= 0 and m[1] < ranges[k][1]]


def _validation_marker(keyed_patterns: list[tuple[str, list[dict[str, Any]]]]) -> Path | None:
    """The file recording that spaCy's Matcher validated these very patterns (its pydantic schema, about
    30 ms for the shipped rules), or None (no cache folder). Named by the SHA-256 of the patterns and of
    the spaCy and pydantic versions, so any change to either validates again; written only once every
    pattern passed. Without validation spaCy's Matcher adds the patterns just the same."""
    folder = cache_folder()
    if folder is None:
        return None
    inputs = [spacy_version, pydantic_version, keyed_patterns]
    digest = hashlib.sha256(json.dumps(inputs, default=repr, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    return folder / f"patterns-valid-{digest.hexdigest()}"


def add_token_pattern(matcher: Matcher, key: str, pattern: list[dict[str, Any]]) -> None:
    matcher.add(key, [pattern])


class RuleMatcher:
    """medspaCy's ``MedspacyMatcher`` for rules given as (category, literal, pattern), same keys and result.

    Keys are ``f"{category}_{n}"`` with n counting every rule in order, as in medspaCy: the
    PhraseMatcher orders matches of identical literals by key, so the keys must be the same.
    """

    def __init__(
        self,
        nlp: Language,
        rules: list[tuple[str, str, list[dict[str, Any]] | None]],
        guard: Callable[[int], Any],
        gate: bool = False,
    ) -> None:
        """``gate``: the token patterns of a whole doc are matched only where the words they need are
        (TokenPatternMatcher); the target rules', which most of a report's sentences hold none of."""
        self.phrase_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.rule_of: dict[int, int] = {}  # key hash -> rule index
        keyed_patterns = []
        longest_literal = 0
        for n, (category, literal, pattern) in enumerate(rules):
            key = f"{category}_{n}"
            self.rule_of[nlp.vocab.strings.add(key)] = n
            if pattern is not None:
                keyed_patterns.append((key, pattern, n))
            else:
                phrase = nlp.tokenizer(literal.lower())
                longest_literal = max(longest_literal, len(phrase))
                self.phrase_matcher.add(key, [phrase])

        def add(matcher: Matcher, key: str, pattern: list[dict[str, Any]]) -> None:
            with guard(self.rule_of[nlp.vocab.strings[key]]):
                add_token_pattern(matcher, key, pattern)

        self.token_matcher = TokenPatternMatcher(nlp, [(k, p) for k, p, _ in keyed_patterns], add, gate=gate)
        # The most tokens a match can take; None when spaCy's Matcher decides some pattern (maybe unbounded).
        self.longest: int | None = (
            max(longest_literal, self.token_matcher.longest) if self.token_matcher.lean else None
        )
        # Most rules are short: a PhraseMatcher match takes ``short`` tokens at most, and a longer match (the few
        # long token patterns) can start only at these words (None: at any), so a stretch without them holds no
        # match of more than ``short`` tokens.
        self.short = max(longest_literal, 1)
        self.long_starts = self.token_matcher.long_starts(self.short) if self.token_matcher.lean else None

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        """(rule index, start, end) of the kept matches, in medspaCy's order."""
        return self.prune(self.raw(doc))

    def raw(self, doc: Doc, ranges: list[tuple[int, int]] | None = None) -> list[Match]:
        """Every match before pruning (key, start, end); with ``ranges`` (sorted, apart), those starting in them."""
        if ranges is None or self.longest is None:
            return self.token_matcher(doc, ranges) + _starting_in(self.phrase_matcher(doc), ranges)
        # The PhraseMatcher asked on each range and the tokens a literal starting there can reach: the same
        # matches, in the same order, as on the whole doc (it tries every start in turn, left to right). A
        # literal reaches fewer tokens than a token pattern (5 and 17 in context.json): not ``self.longest``.
        # Each range as a Span made directly: ``doc[lo:hi]`` clamps the bounds in Python (spaCy's normalize_slice,
        # about 1 us a range of a report's 1.7); the end is clamped here the same way.
        phrase = []
        n = len(doc)
        for lo, hi in ranges:
            phrase += [m for m in self.phrase_matcher(Span(doc, lo, min(hi + self.short - 1, n))) if m[1] < hi]
        return self.token_matcher(doc, ranges) + phrase

    def prune(self, matches: list[Match]) -> list[tuple[int, int, int]]:
        """(rule index, start, end) of the matches medspaCy keeps, in its order."""
        return [(self.rule_of[key], start, end) for key, start, end in prune_overlapping_matches(matches)]
