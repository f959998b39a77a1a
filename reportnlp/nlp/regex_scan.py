"""Run many word-led regexes over a text at the cost of one pass over its word starts.

Rule files hold dozens of regexes of the form ``\\b(?:rib|ribs|costal)\\b``. Scanning a sentence
once per regex costs a pass per rule, and Python's ``re`` tries every alternative at every
character. Most rules can only match where a word starts with one of a few letters, which the
regex itself tells: :func:`first_chars` reads it from the parsed pattern. :class:`RegexScan`
visits each word start once and tries only the rules that can start with its letter; a rule
whose first letters cannot be read (or that may start inside a word) is run with ``finditer``
as before. Either way each rule yields exactly the matches ``finditer`` would. Rule regexes are
compiled with RE2 (:mod:`reportnlp.nlp.safe_regex`) and always run with their ``finditer``: one
linear pass each, as fast here as the walk, which could rescan the text from every word start.

The parsed pattern tells the token-pattern engine (components/matching.py) two more things:
:func:`word_gate`, what a word must open with (or hold) to pass one of some REGEX token tests, and
:func:`regex_literals`, the words a REGEX test spells out (``^(?:SCS|CCS)$``), looked up like a list.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

from reportnlp.nlp.safe_regex import SafePattern, SafeSet, UnsafeRegex, compile_safe

_WORD_START = re.compile(r"\b\w")
_MAX_RANGE = 64  # a character class wider than this is treated as "any character"
_DIGITS = frozenset("0123456789")
_BACKREF = re.compile(r"\\[1-9]|\(\?P=|\(\?\(")


def first_chars(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """The lower-cased characters a match can start with, when every match must begin at a word
    start (the pattern opens with ``\\b`` and then a word character); ``None`` when that cannot be
    shown, so the caller falls back to ``finditer``."""
    try:
        parsed = list(sre_parse.parse(pattern.pattern, pattern.flags))
    except Exception:  # an unexpected parse is only a missed shortcut
        return None
    if not parsed or parsed[0] != (sre.AT, sre.AT_BOUNDARY):
        return None
    chars, nullable = _first(parsed[1:])
    if chars is None or nullable or not chars:
        return None
    lowered = frozenset(c.lower() for c in chars) | frozenset(c.upper().lower() for c in chars)
    if not all(c.isalnum() or c == "_" for c in lowered):
        return None
    return lowered


class WordGate:
    """What a word must have to match one of a set of REGEX tests: an opening in ``heads`` (its first
    ``HEAD_CHARS`` characters or fewer), or one of ``literals`` in it. Made by :func:`word_gate`."""

    __slots__ = ("firsts", "heads", "literals")

    def __init__(self, heads: frozenset[str], literals: tuple[str, ...]) -> None:
        self.heads, self.literals = heads, literals
        self.firsts = frozenset(h[0] for h in heads)

    def may_match(self, text: str) -> bool:
        """False only when no pattern of the gate can match ``text``. Most words are told by their first
        character alone (one set lookup); one whose opening is not ASCII is always let through (Unicode
        digits, case folding onto ASCII letters)."""
        first = text[:1]
        if first in self.firsts:
            opening = text[:HEAD_CHARS]
            heads = self.heads
            if not opening.isascii() or opening in heads or opening[:2] in heads or first in heads:
                return True
        elif not first.isascii():
            return True
        for literal in self.literals:
            if literal in text:
                return True
        return False


HEAD_CHARS = 3  # the openings read: "thr" of "three" lets far fewer words through than "t" (or "th")
_MAX_HEADS = 4_096  # a pattern with more openings than this gives none


def word_gate(patterns: list[str]) -> WordGate | None:
    """What a word must hold to match one of these REGEX tests (RE2 searches, no flags), or None when that
    cannot be read from every pattern. A pattern anchored at the word's start (``^``) gives its possible
    openings, up to HEAD_CHARS characters (shorter where a match can end sooner); any other pattern a run
    of plain characters every match holds ("year" of ``year$``). A word with neither matches none of the
    patterns, so RE2's set (about 3 us a word through its wrapper) need not be asked. The pattern is read by
    Python's parser: for ASCII text it means what it means to RE2 (classes of characters, ``\\d`` as ASCII
    digits, no case folding), and a word opening with a non-ASCII character is always asked."""
    heads: set[str] = set()
    literals: list[str] = []
    for pattern in patterns:
        if _INLINE_FLAGS.search(pattern):
            return None
        try:
            parsed = sre_parse.parse(pattern)
        except Exception:  # RE2 took it, Python's parser did not: no shortcut
            return None
        items = list(parsed)
        if parsed.state.flags & (re.IGNORECASE | re.MULTILINE) or not items:
            return None
        found = _heads(items[1:], HEAD_CHARS) if items[0] in _AT_WORD_START else None
        if found is not None and "" not in found:
            heads |= found  # (an opening that is not ASCII is never looked up: such words are always asked)
            continue
        literal = _longest_literal(items)
        if not literal:
            return None
        literals.append(literal)
    # an opening whose own opening is there already adds nothing ("12" beside "1")
    kept = {h for h in heads if not any(h[:i] in heads for i in range(1, len(h)))}
    return WordGate(frozenset(kept), tuple(literals))


def _heads(items: Sequence[tuple[object, object]], k: int) -> set[str] | None:
    """The strings a match of the sequence can open with, cut at ``k`` characters (shorter where the
    sequence ends sooner); None when the sequence holds something not read here."""
    out = {""}
    for op, av in items:
        if op is sre.AT or op in (sre.ASSERT, sre.ASSERT_NOT):
            continue  # zero width: a superset is still a superset
        item = _item_heads(op, av, k)
        if item is None:
            return None
        out = _joined(out, item, k)
        if len(out) > _MAX_HEADS:
            return None
    return out


def _joined(left: set[str], right: set[str], k: int) -> set[str]:
    return {a if len(a) >= k else (a + b)[:k] for a in left for b in right}


def _item_heads(op: object, av: Any, k: int) -> set[str] | None:
    if op is sre.LITERAL:
        return {chr(av)}
    if op is sre.IN:
        chars = _charset(av)
        return set(chars) if chars is not None else None
    if op is sre.SUBPATTERN:
        return _heads(av[-1], k)
    if op is sre.BRANCH:
        out: set[str] = set()
        for alternative in av[1]:
            found = _heads(alternative, k)
            if found is None:
                return None
            out |= found
        return out
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)):
        low, high, sub = av
        one = _heads(sub, k)
        if one is None or "" in one:  # a repeat of what may be empty: not read
            return None
        # every repeat takes a character at least, so after k of them the opening is whole
        out, level, most = set(), {""}, min(high, k)
        for count in range(most + 1):
            if count >= min(low, k):
                out |= level
            if count < most:
                level = _joined(level, one, k)
                if len(level) > _MAX_HEADS:
                    return None
        return out
    return None


def _longest_literal(items: Sequence[tuple[object, object]]) -> str:
    """The longest run of plain characters side by side at the top of a parsed pattern: every match holds it."""
    runs, run = [], []
    for op, av in items:
        if op is sre.LITERAL:
            run.append(chr(av))  # type: ignore[arg-type]
        else:
            runs.append("".join(run))
            run = []
    runs.append("".join(run))
    return max(runs, key=len)


_INLINE_FLAGS = re.compile(r"\(\?[aiLmsux-]")
_AT_WORD_START = ((sre.AT, sre.AT_BEGINNING), (sre.AT, sre.AT_BEGINNING_STRING))


def _first(items: Sequence[tuple[object, object]]) -> tuple[set[str] | None, bool]:
    """(characters the sequence can start with, whether it can match the empty string)."""
    chars: set[str] = set()
    for op, av in items:
        if op is sre.AT or op in (sre.ASSERT, sre.ASSERT_NOT):
            continue  # zero width: a superset is still a superset
        if op is sre.LITERAL:
            chars.add(chr(av))  # type: ignore[arg-type]
            return chars, False
        if op is sre.IN:
            found = _charset(av)  # type: ignore[arg-type]
            if found is None:
                return None, False
            return chars | found, False
        if op is sre.SUBPATTERN:
            found, nullable = _first(av[-1])  # type: ignore[index]
        elif op is sre.BRANCH:
            found, nullable = set(), False
            for alternative in av[1]:  # type: ignore[index]
                alt_chars, alt_nullable = _first(alternative)
                if alt_chars is None:
                    return None, False
                found |= alt_chars
                nullable = nullable or alt_nullable
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)):
            low, _, sub = av  # type: ignore[misc]
            found, nullable = _first(sub)
            nullable = nullable or low == 0
        else:
            return None, False
        if found is None:
            return None, False
        chars |= found
        if not nullable:
            return chars, False
    return chars, True


def _charset(items: Sequence[tuple[object, object]]) -> set[str] | None:
    out: set[str] = set()
    for op, av in items:
        if op is sre.LITERAL:
            out.add(chr(av))  # type: ignore[arg-type]
        elif op is sre.RANGE:
            low, high = av  # type: ignore[misc]
            if high - low > _MAX_RANGE:
                return None
            out.update(chr(c) for c in range(low, high + 1))
        elif op is sre.CATEGORY and av is sre.CATEGORY_DIGIT:
            out |= _DIGITS
        else:
            return None
    return out


class RegexScan:
    """``finditer`` of each of several regexes over one text, sharing one walk over word starts."""

    def __init__(self, patterns: Sequence[re.Pattern[str]] | Sequence[SafePattern]) -> None:
        self.patterns = list(patterns)
        self._by_char: dict[str, list[int]] = {}
        self._plain: list[int] = []
        self._led: list[int] = []  # patterns read by first character, in order
        for index, pattern in enumerate(self.patterns):
            # Rule regexes are compiled with RE2 (reportnlp.nlp.safe_regex): its finditer is one linear
            # pass whatever the pattern, while matching at every word start could rescan the rest of
            # the text from each one. The walk is for re patterns.
            chars = first_chars(pattern) if isinstance(pattern, re.Pattern) else None
            if chars is None:
                self._plain.append(index)
                continue
            self._led.append(index)
            for c in chars:
                self._by_char.setdefault(c, []).append(index)
        # One alternation per first letter answers "does any rule match here?" in a single call,
        # and most word starts hold no match at all.
        self._gate = {c: _gate([self.patterns[i] for i in indices]) for c, indices in self._by_char.items()}
        # The RE2 patterns are asked together which of them match the text at all (one pass); only
        # those are then searched one by one.
        safe = [i for i in self._plain if isinstance(self.patterns[i], SafePattern)]
        self._unsafe = [i for i in self._plain if i not in safe]  # searched on every text
        # each pattern's matches in a text as a list (SafePattern.matches: its fast loop for ASCII text)
        self._matches = [p.matches if isinstance(p, SafePattern) else _listed(p) for p in self.patterns]
        try:
            self._set: tuple[list[int], SafeSet] | None = (safe, SafeSet([self.patterns[i] for i in safe])) if safe else None
        except UnsafeRegex:
            self._set = None

    def finditer_all(self, text: str) -> list[Sequence[re.Match[str]]]:
        """For each pattern, in its order, the matches ``pattern.finditer(text)`` gives (a list; an empty
        tuple for a pattern the set rules out, where the rules are all RE2 ones: a sentence matches a few
        of dozens, and this runs once per new sentence)."""
        plain = self._plain
        if self._set is not None:
            safe, regexps = self._set
            plain = sorted([*(safe[k] for k in regexps.matching(text)), *self._unsafe])
        if not self._by_char:
            searched: list[Sequence[re.Match[str]]] = [()] * len(self.patterns)
            for index in plain:
                searched[index] = list(self.patterns[index].finditer(text))
            return searched
        found: list[list[re.Match[str]]] = [[] for _ in self.patterns]
        for index in plain:
            found[index] = list(self.patterns[index].finditer(text))
        by_char, gates = self._by_char, self._gate
        patterns = self.patterns
        ends = [0] * len(patterns)  # finditer resumes each pattern after its own last match
        for start in _WORD_START.finditer(text):
            pos = start.start()
            c = text[pos]
            if c.isascii():
                key = c.lower()
                gate = gates.get(key)
                if gate is not None and gate.match(text, pos) is None:
                    continue
                indices = by_char.get(key, ())
            else:  # a non-ASCII letter can fold onto an ASCII one ("ſ" matches "s" under IGNORECASE)
                indices = self._led
            for index in indices:
                if pos < ends[index]:
                    continue
                m = patterns[index].match(text, pos)
                if m is not None:
                    found[index].append(m)
                    ends[index] = m.end()
        return found


    def found_in(self, text: str) -> list[tuple[int, Sequence[re.Match[str]]]]:
        """``finditer_all``'s non-empty entries as (pattern index, matches), in pattern order. A sentence
        matches about one of the anatomy file's 44 rules: a caller walking the matches this way takes no
        step for each rule it does not match (about 3 us per new sentence)."""
        if self._set is not None and not self._by_char:  # RE2 rules only: the set names the ones to search
            safe, regexps = self._set
            found: list[tuple[int, Sequence[re.Match[str]]]] = []
            for index in sorted([*(safe[k] for k in regexps.matching(text)), *self._unsafe]):
                matches = self._matches[index](text)
                if matches:
                    found.append((index, matches))
            return found
        return [(index, matches) for index, matches in enumerate(self.finditer_all(text)) if matches]


def _listed(pattern: re.Pattern[str]) -> Callable[[str], list[re.Match[str]]]:
    """``list(pattern.finditer(text))`` as a function of the text."""
    return lambda text: list(pattern.finditer(text))


def _gate(patterns: list[re.Pattern[str]]) -> re.Pattern[str] | None:
    """One regex that matches where any of ``patterns`` does, or None when they cannot be joined
    (different flags, repeated group names)."""
    if len(patterns) < 2 or len({p.flags for p in patterns}) != 1:
        return None
    if any(_BACKREF.search(p.pattern) for p in patterns):  # group numbers shift when joined
        return None
    try:
        return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), patterns[0].flags)
    except re.error:
        return None


_MAX_LITERALS = 64


def regex_literals(pattern: str) -> frozenset[str] | None:
    """The strings a REGEX test passes, when the regex spells them out: anchored at both ends (``^...$``, as
    RE2 reads them: the text's start and end) around literal characters, alternatives, groups without
    flags and classes of single characters, at most 64 strings. None for anything else (a repeat, a
    category such as \\d, a flag), and for a pattern RE2 or Python's parser would not take."""
    try:
        parsed = sre_parse.parse(pattern)
        compile_safe(pattern)  # RE2 reads the test
    except Exception:  # not a pattern this reading covers
        return None
    if parsed.state.flags & ~re.UNICODE:
        return None
    items = list(parsed)
    if len(items) < 2 or items[0] != (sre.AT, sre.AT_BEGINNING) or items[-1] != (sre.AT, sre.AT_END):
        return None
    found = _spelled(items[1:-1])
    return frozenset(found) if found is not None else None


def _spelled(items: list[Any]) -> set[str] | None:
    """The strings a parsed sequence matches, or None (see regex_literals)."""
    out = {""}
    for op, arg in items:
        if op is sre.LITERAL:
            options = {chr(arg)}
        elif op is sre.IN and arg and all(kind is sre.LITERAL for kind, _ in arg):
            options = {chr(c) for _, c in arg}
        elif op is sre.BRANCH:
            options = set()
            for branch in arg[1]:
                spelled = _spelled(list(branch))
                if spelled is None:
                    return None
                options |= spelled
        elif op is sre.SUBPATTERN and arg[1] == 0 and arg[2] == 0:
            spelled = _spelled(list(arg[3]))
            if spelled is None:
                return None
            options = spelled
        else:
            return None
        out = {a + b for a in out for b in options}
        if len(out) > _MAX_LITERALS:
            return None
    return out


# What a regex's match may hold that depends on the text around it, or that a joined regex would read anew.
_CONTEXT_OPS = frozenset({sre.AT, sre.ASSERT, sre.ASSERT_NOT, sre.GROUPREF, sre.GROUPREF_EXISTS})


def text_body(pattern: str) -> str | None:
    """The REGEX test ``pattern`` without its ``^`` / ``$`` anchors, when what is left matches by the characters it
    consumes alone (no ``\\b``, lookaround, back reference or flag): a token whose text passes the test then holds
    a match of the body, and the token's text is a piece of the report's text, so the body is found in the text
    at that token's place (components/matching.py ``_MatchGate``, which compiles it with RE2 as the test is).
    Read by Python's parser (a pattern it cannot read is not taken). None for anything else."""
    body = pattern[1:] if pattern.startswith("^") else pattern
    if body.endswith("$") and not body.endswith("\\$"):
        body = body[:-1]
    if not body or _INLINE_FLAGS.search(body) or _BACKREF.search(body):
        return None
    try:
        parsed = sre_parse.parse(body)
    except Exception:  # not a pattern this reading covers
        return None
    if parsed.state.flags & ~re.UNICODE or not _consuming(list(parsed)):
        return None
    return body


def _consuming(items: list[Any]) -> bool:
    """No item of a parsed sequence (at any depth) reads the text around what it consumes."""
    for op, arg in items:
        if op in _CONTEXT_OPS:
            return False
        if op is sre.SUBPATTERN:
            if arg[1] or arg[2] or not _consuming(list(arg[3])):
                return False
        elif op is sre.BRANCH:
            if not all(_consuming(list(branch)) for branch in arg[1]):
                return False
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            if not _consuming(list(arg[2])):
                return False
        elif op is sre.ATOMIC_GROUP and not _consuming(list(arg)):
            return False
    return True
