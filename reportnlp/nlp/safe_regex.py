"""Rule regexes compiled with RE2, whose matching time is linear in the text whatever the pattern.

Python's ``re`` backtracks: ``(a|a)*b`` or ``(\\w+\\s?)+$`` on a 60-character line would never finish,
and rule files are user input (``--patterns``). Every rule regex is therefore compiled with RE2
(``google-re2``); a pattern RE2 cannot compile (backreferences, lookarounds) is refused.

:class:`SafePattern` has the part of ``re.Pattern``'s interface the pipeline uses (``match``,
``search``, ``finditer``, ``fullmatch``, ``pattern``, ``flags``, ``groupindex``) and keeps Python's
meaning of ``\\d``, ``\\w`` and ``\\s`` (Unicode; RE2's are ASCII); ``\\b`` is RE2's, between an ASCII
letter, digit or ``_`` and anything else. Text is encoded to UTF-8 once per text (not once per call,
as the ``re2`` module does), so scanning a text at many positions stays linear.

RE2 has no lookaround; rule files say the same with two kinds of named group:

- ``(?P<veto>...)?`` (any name starting with ``veto``) at the end of a branch: when the group takes
  part in a match, the match is dropped, and the search goes on from the next position. This is
  ``(?!...)``, for a pattern that cannot end anywhere else at that start.
- ``(?P<after>...)`` (any name starting with ``after``): context that must follow and is not part of
  the match, which ends where the group starts: ``(?=...)``.
- ``(?P<optional>...)?`` (names starting with ``optional``): a vetoed match in which this group took
  part is tried again at the same start without it, as ``re`` would backtrack out of an optional
  part to satisfy a lookahead (``L4-5 posterior``: ``L4-5`` is vetoed, ``L4`` is a match).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from typing import Any

import numpy
import re2
from re2 import _re2

from reportnlp.nlp import re2_shapes
from reportnlp.nlp.literals import closing_paren

MAX_PATTERN = 2000
_ANCHOR_START = _re2.RE2.Anchor.ANCHOR_START
_ANCHOR_BOTH = _re2.RE2.Anchor.ANCHOR_BOTH
_UNANCHORED = _re2.RE2.Anchor.UNANCHORED
# Python's \s for str patterns (str.isspace()), \d (Unicode decimal digits) and \w (str.isalnum() or _).
_SPACE = r"\t\n\x{0b}\x{0c}\r\x{1c}-\x{1f} \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}"
_DIGIT = r"\p{Nd}"
_WORD = r"\p{L}\p{N}\p{Mn}\p{Mc}_"
_CLASSES = {"s": _SPACE, "d": _DIGIT, "w": _WORD}
_ASCII_WORD, _ASCII_DIGIT = "0-9A-Za-z_", "0-9"  # the ASCII characters of _WORD and _DIGIT
_SET_KEY = "\0set\0"  # a remembered set's key among the patterns' sources (reportnlp.nlp.re2_shapes)
_FLAGS = ((re.IGNORECASE, "i"), (re.MULTILINE, "m"), (re.DOTALL, "s"))


class UnsafeRegex(ValueError):
    """RE2 cannot compile the pattern; the message says why in one line."""


def translate(pattern: str) -> str:
    """Python regex syntax -> RE2's: Unicode ``\\s \\d \\w`` (and their negations outside a class),
    ``\\Z`` -> ``\\z``. Everything else is passed on for RE2 to accept or refuse."""
    out: list[str] = []
    i, in_class, n = 0, False, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            e = pattern[i + 1]
            i += 2
            if e in _CLASSES:
                out.append(_CLASSES[e] if in_class else f"[{_CLASSES[e]}]")
            elif e.lower() in _CLASSES and in_class:
                raise UnsafeRegex(f"\\{e} inside [...] would mean ASCII only under RE2: name the characters instead")
            elif e.lower() in _CLASSES:
                out.append(f"[^{_CLASSES[e.lower()]}]")
            elif e == "Z":
                out.append(r"\z")
            else:
                out.append("\\" + e)
            continue
        if c == "[" and not in_class:
            in_class = True
            out.append(c)
            i += 1
            if i < n and pattern[i] == "^":
                out.append("^")
                i += 1
            if i < n and pattern[i] == "]":  # a ] first in a class is a literal
                out.append(r"\]")
                i += 1
            continue
        if c == "]" and in_class:
            in_class = False
        out.append(c)
        i += 1
    return "".join(out)


def compile_safe(pattern: str, flags: int = 0) -> SafePattern:
    """Compile with RE2, or raise :class:`UnsafeRegex` (one line: why)."""
    if not isinstance(pattern, str) or not pattern:
        raise UnsafeRegex("regex must be a non-empty string")
    if len(pattern) > MAX_PATTERN:
        raise UnsafeRegex(f"regex longer than {MAX_PATTERN} characters")
    if flags & ~(re.IGNORECASE | re.MULTILINE | re.DOTALL | re.UNICODE):
        raise UnsafeRegex("only the flags i, m and s are supported")
    inline = "".join(letter for flag, letter in _FLAGS if flags & flag)
    source = (f"(?{inline})" if inline else "") + translate(pattern)
    shape = re2_shapes.shape_of(source)  # RE2 compiled it in an earlier start-up: its program when a text needs it
    if shape is None:
        regexp = _utf8_program(source)
        shape = _shape(regexp)
        re2_shapes.note(source, shape)
        compiled = SafePattern(pattern, flags, source, shape, regexp)
    else:
        compiled = SafePattern(pattern, flags, source, shape)
    if compiled._veto:
        for name in [n for n in compiled.groupindex if n.startswith("optional")]:
            without = _without_group(pattern, name)
            if without is None:
                raise UnsafeRegex(f"group {name} must be optional: (?P<{name}>...)?")
            compiled._shorter.append((compiled.groupindex[name], compile_safe(without, flags)))
    return compiled


def _utf8_program(source: str) -> Any:
    """RE2's program for ``source`` on UTF-8 text, or :class:`UnsafeRegex` when RE2 refuses it."""
    options = re2.Options()
    options.log_errors = False
    regexp = _re2.RE2(source.encode("utf-8"), options)
    if not regexp.ok():
        why = regexp.error().decode("utf-8", "replace") if isinstance(regexp.error(), bytes) else str(regexp.error())
        raise UnsafeRegex(f"not accepted by RE2, which keeps matching time linear ({why}): "
                          "no backreferences or lookarounds (see veto and after groups in README)")
    return regexp


def _shape(regexp: Any) -> re2_shapes.Shape:
    return regexp.NumberOfCapturingGroups(), {name.decode("utf-8"): index for name, index in regexp.NamedCapturingGroups()}


def _without_group(pattern: str, name: str) -> str | None:
    """``pattern`` without the text of ``(?P<name>...)?``; None when the group is not followed by ``?``."""
    start = pattern.find(f"(?P<{name}>")
    i = closing_paren(pattern, start)
    if i is None or pattern[i + 1 : i + 2] != "?" or pattern[i + 2 : i + 3] in ("?", "+"):
        return None
    return pattern[:start] + pattern[i + 2 :]


class _Encoded:
    """A text as UTF-8, with the offsets between its characters and its bytes."""

    __slots__ = ("data", "text", "to_byte", "to_char")

    def __init__(self, text: str) -> None:
        self.text = text
        self.data = text.encode("utf-8", "surrogatepass")
        if len(self.data) == len(text):
            self.to_byte = self.to_char = None
            return
        # UTF-8 bytes per character (1-4 by code point; a lone surrogate takes 3, as surrogatepass writes
        # it), summed in numpy: a long text with one accent is not walked character by character.
        points = numpy.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=numpy.uint32)
        sizes = 1 + (points >= 0x80).astype(numpy.int64) + (points >= 0x800) + (points >= 0x10000)
        # Byte offsets back to characters by bisection: a dict of every offset cost more to build than the
        # few lookups (the ends of matches) a text gets.
        self.to_byte = self.to_char = [0, *numpy.cumsum(sizes).tolist()]

    def byte(self, pos: int) -> int:
        return pos if self.to_byte is None else self.to_byte[pos]

    def char(self, pos: int) -> int:
        """The character at byte offset ``pos``, which must start one (a KeyError otherwise, as a lookup)."""
        if self.to_char is None:
            return pos
        at = bisect_left(self.to_char, pos)
        if at == len(self.to_char) or self.to_char[at] != pos:
            raise KeyError(pos)
        return at


_last: list[Any] = [None]  # the most recent text's encoding: a scan calls match() many times on one text


def _encoded(text: str) -> _Encoded:
    cached = _last[0]
    if cached is not None and cached.text is text:
        return cached
    enc = _Encoded(text)
    _last[0] = enc
    return enc


_ESCAPE = re.compile(r"\\(?:x\{([0-9A-Fa-f]+)\}|.)", re.DOTALL)  # an escape; group 1: a code point's
# What _latin1_escape changes: a code point of three hex digits or more (maybe only Latin-1's, with leading zeros, or
# inside an escaped backslash's text: then every escape is read). The substitution calls Python for each escape of the
# source (Python's \s is a dozen): at each pattern's first ASCII text, about as much as RE2's compile of the program.
_WIDE_POINT = re.compile(r"\\x\{[0-9A-Fa-f]{3,}\}")


def _latin1_options() -> Any:
    options = re2.Options()
    options.log_errors = False
    options.encoding = re2.Options.Encoding.LATIN1
    return options


def _latin1_source(source: str) -> str:
    """An RE2 source for Latin-1 text that matches an ASCII text exactly as ``source`` does on UTF-8: Python's
    \\w and \\d as their ASCII members (Unicode property classes cost RE2 about 6 ms to parse under case
    folding, per pattern); then every other character beyond ASCII as a code point (:func:`_latin1_escape`)."""
    source = source.replace(_WORD, _ASCII_WORD).replace(_DIGIT, _ASCII_DIGIT).replace(_SPACE, _LATIN1_SPACE)
    if not source.isascii():  # (most sources are: their Unicode classes are written as escapes)
        source = "".join(c if c.isascii() else f"\\x{{{ord(c):x}}}" for c in source)
    if _WIDE_POINT.search(source) is None:
        return source  # most sources: no code point beyond Latin-1 left, every escape stays as it is
    return _ESCAPE.sub(_latin1_escape, source)


def _latin1_escape(m: re.Match[str]) -> str:
    """A code point above Latin-1 as U+00FF, which RE2's Latin-1 parser takes (it refuses the others): in a
    class or a range, alone or as an end, it keeps or leaves out every ASCII character as the code point did."""
    if m.group(1) is not None and int(m.group(1), 16) > 0xFF:
        return "\\x{ff}"
    return m.group(0)


# Python's \\s as the Latin-1 parser takes it, made once: each \\s of a pattern is a dozen escapes, and a callback for
# each of them at every first use of a pattern on ASCII text cost more than RE2's compile of the program (session 23).
_LATIN1_SPACE = _ESCAPE.sub(_latin1_escape, _SPACE)


class SafeMatch:
    """What ``re.Match`` offers that the pipeline reads: group(), start(), end(), span(), groupdict()."""

    __slots__ = ("_spans", "pos", "re", "string")

    def __init__(self, pattern: SafePattern, string: str, pos: int, spans: list[tuple[int, int]]) -> None:
        self.re, self.string, self.pos, self._spans = pattern, string, pos, spans

    def _index(self, group: int | str) -> int:
        if isinstance(group, str):
            try:
                return self.re.groupindex[group]
            except KeyError:
                raise IndexError("no such group") from None
        return group

    def span(self, group: int | str = 0) -> tuple[int, int]:
        return self._spans[self._index(group)]

    def start(self, group: int | str = 0) -> int:
        return self.span(group)[0]

    def end(self, group: int | str = 0) -> int:
        return self.span(group)[1]

    def group(self, *groups: int | str) -> Any:
        if len(groups) > 1:
            return tuple(self.group(g) for g in groups)
        start, end = self.span(groups[0] if groups else 0)
        return None if start < 0 else self.string[start:end]

    __getitem__ = group

    def groups(self, default: Any = None) -> tuple[Any, ...]:
        return tuple(default if (g := self.group(i)) is None else g for i in range(1, len(self._spans)))

    def groupdict(self, default: Any = None) -> dict[str, Any]:
        return {name: default if (g := self.group(i)) is None else g for name, i in self.re.groupindex.items()}

    def __repr__(self) -> str:
        return f"<SafeMatch span={self.span()}>"


class SafePattern:
    """A rule regex compiled with RE2 (see the module docstring)."""

    __slots__ = ("_after", "_ascii", "_regexp", "_shorter", "_veto", "flags", "groupindex", "groups", "pattern", "source")

    def __init__(self, pattern: str, flags: int, source: str, shape: re2_shapes.Shape, regexp: Any = None) -> None:
        self.pattern, self.flags = pattern, flags
        self.source = source  # the RE2 source (translated, flags inline)
        if regexp is not None:  # otherwise made at its first use (__getattr__)
            self._regexp = regexp
        self.groups, self.groupindex = shape
        self._veto = [i for name, i in self.groupindex.items() if name.startswith("veto")]
        self._after = [i for name, i in self.groupindex.items() if name.startswith("after")]
        self._shorter: list[tuple[int, SafePattern]] = []  # (optional group, the pattern without it)
        self._ascii: Any = None  # the program for ASCII texts (_ascii_program), made at its first use

    def __getattr__(self, name: str) -> Any:
        """The UTF-8 program of a pattern whose shape was remembered (reportnlp.nlp.re2_shapes), compiled when
        first needed: a text with a character beyond ASCII, or a source RE2 refuses for Latin-1."""
        if name != "_regexp":
            raise AttributeError(name)
        regexp = _utf8_program(self.source)
        if _shape(regexp) != (self.groups, self.groupindex):
            raise UnsafeRegex(f"RE2 gave {self.pattern!r} other groups than remembered")
        self._regexp = regexp
        return regexp

    def _ascii_program(self) -> Any:
        """The pattern compiled for Latin-1 text, which matches an ASCII text exactly as the UTF-8 program does
        (its non-ASCII characters, written as code points, cannot occur there). RE2 compiles a search's
        reverse program at its first use, and the UTF-8 one of a pattern with Unicode classes (Python's
        ``\\w``, ``\\s``, case folding) cost about 150 M instructions over the anatomy rules alone, once per
        process (session 19): the Latin-1 programs are a fraction of that to build and run."""
        regexp = _re2.RE2(_latin1_source(self.source).encode("ascii"), _latin1_options())
        self._ascii = regexp if regexp.ok() else self._regexp
        return self._ascii

    def _spans(self, enc: _Encoded, anchor: Any, pos: int, endpos: int) -> list[tuple[int, int]] | None:
        end = enc.byte(endpos)
        # The text ends at endpos for $ and \b, as in re: RE2 would look past it, so it gets a slice (no copy).
        data = enc.data if end == len(enc.data) else memoryview(enc.data)[:end]
        regexp = self._regexp if enc.to_char is not None else self._ascii or self._ascii_program()
        raw = regexp.Match(anchor, data, enc.byte(pos), end)
        if raw[0][0] < 0:
            return None
        if enc.to_char is None:
            # ASCII: byte offsets are the character offsets, and RE2 gives (-1, -1) for a group that took no
            # part, in a new list per call (a call per offset was most of a veto rule's match on a sentence)
            return raw
        return [(-1, -1) if s < 0 else (enc.char(s), enc.char(e)) for s, e in raw]

    def _accept(self, spans: list[tuple[int, int]]) -> bool:
        return not any(spans[i][0] >= 0 for i in self._veto)

    def _trim(self, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        ends = [spans[i][0] for i in self._after if spans[i][0] >= 0]
        if ends:
            spans[0] = (spans[0][0], min(ends))
        return spans

    def _bounds(self, text: str, pos: int, endpos: int | None) -> tuple[int, int]:
        n = len(text)
        return max(0, min(pos, n)), n if endpos is None else max(0, min(endpos, n))

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> SafeMatch | None:
        pos, endpos = self._bounds(text, pos, endpos)
        if pos > endpos:
            return None
        spans = self._spans(_encoded(text), _ANCHOR_START, pos, endpos)
        if spans is None:
            return None
        if not self._accept(spans):
            return self._fallback(text, spans, pos, endpos)
        return SafeMatch(self, text, pos, self._trim(spans))

    def _fallback(self, text: str, spans: list[tuple[int, int]], pos: int, endpos: int) -> SafeMatch | None:
        """The match at the same start without an optional group that took part in a vetoed one."""
        for group, shorter in self._shorter:
            if spans[group][0] >= 0:
                m = shorter.match(text, spans[0][0], endpos)
                if m is not None:
                    return SafeMatch(self, text, pos, self._spans_of(m))
        return None

    def _spans_of(self, m: SafeMatch) -> list[tuple[int, int]]:
        """A match of a shorter variant as spans of this pattern (by group name; the others did not take part)."""
        spans = [(-1, -1)] * (self.groups + 1)
        spans[0] = m.span()
        for name, index in self.groupindex.items():
            if name in m.re.groupindex:
                spans[index] = m.span(name)
        return spans

    def fullmatch(self, text: str, pos: int = 0, endpos: int | None = None) -> SafeMatch | None:
        pos, endpos = self._bounds(text, pos, endpos)
        if pos > endpos:
            return None
        spans = self._spans(_encoded(text), _ANCHOR_BOTH, pos, endpos)
        if spans is None or not self._accept(spans) or (self._after and self._trim(spans)[0][1] != endpos):
            return None
        return SafeMatch(self, text, pos, spans)

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> SafeMatch | None:
        return next(self.finditer(text, pos, endpos), None)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[SafeMatch]:
        """Matches left to right, each search starting where the last match ended (one character on
        after an empty match or a vetoed one), as ``re.finditer``."""
        pos, endpos = self._bounds(text, pos, endpos)
        enc = _encoded(text)
        while pos <= endpos:
            spans = self._spans(enc, _UNANCHORED, pos, endpos)
            if spans is None:
                return
            start = spans[0][0]
            if not self._accept(spans):
                shorter = self._fallback(text, spans, pos, endpos)
                if shorter is None:
                    pos = start + 1
                    continue
                spans = shorter._spans
            spans = self._trim(spans)
            yield SafeMatch(self, text, pos, spans)
            pos = spans[0][1] if spans[0][1] > start else start + 1

    def matches(self, text: str) -> list[SafeMatch]:
        """``list(self.finditer(text))``. An ASCII text (character and byte offsets alike) and a pattern with
        no veto group take a loop over RE2's own spans, which are then the match's as they come: the
        anatomy scan asks this of every rule that matches a new sentence, and finditer's generator, offset
        conversions and checks were about half its cost (session 19)."""
        enc = _encoded(text)
        if enc.to_char is not None or self._veto:
            return list(self.finditer(text))
        data, after, found = enc.data, self._after, []
        n = len(data)
        match = (self._ascii or self._ascii_program()).Match
        pos = 0
        while pos <= n:
            spans = match(_UNANCHORED, data, pos, n)
            start, end = spans[0]
            if start < 0:
                break
            if after:
                end = self._trim(spans)[0][1]
            found.append(SafeMatch(self, text, pos, spans))
            pos = end if end > start else start + 1
        return found

    def findall(self, text: str) -> list[Any]:
        return [m.group(0) if not self.groups else m.groups("") if self.groups > 1 else m.group(1) or ""
                for m in self.finditer(text)]

    def __repr__(self) -> str:
        return f"SafePattern({self.pattern!r})"


class SafeSet:
    """Several SafePatterns asked at once which of them match a text anywhere (RE2's multi-pattern set:
    one pass over the text). A pattern the set rules out cannot match, so its own search is skipped; a
    vetoed or shorter match needs the pattern to match first, so nothing is lost.

    As a pattern does, the set searches an ASCII text with its Latin-1 form (made at its first such text:
    a fraction of the UTF-8 set's cost to build, about 15 ms for the anatomy rules' set) and other texts
    with the UTF-8 set, built and so checked with the pipeline, or, when an earlier start-up of the
    console script built the same set (reportnlp.nlp.re2_shapes), at its first text beyond ASCII."""

    __slots__ = ("_ascii", "_patterns", "_sources", "_utf8")

    def __init__(self, patterns: list[SafePattern]) -> None:
        self._patterns = [pattern.pattern for pattern in patterns]  # for a refusal's message
        self._sources = [pattern.source for pattern in patterns]
        self._ascii: Any = None
        key = _SET_KEY + "".join(f"{len(source)}:{source}" for source in self._sources)
        if re2_shapes.shape_of(key) is None:
            self._utf8 = self._utf8_set()
            re2_shapes.note(key, (len(self._sources), {}))

    def __getattr__(self, name: str) -> Any:
        if name != "_utf8":
            raise AttributeError(name)
        self._utf8 = self._utf8_set()
        return self._utf8

    def _utf8_set(self) -> Any:
        options = re2.Options()
        options.log_errors = False
        regexps = _re2.Set(_UNANCHORED, options)
        for pattern, source in zip(self._patterns, self._sources, strict=True):
            if regexps.Add(source.encode("utf-8")) < 0:
                raise UnsafeRegex(f"RE2 set refused {pattern!r}")
        if not regexps.Compile():
            raise UnsafeRegex("RE2 set did not compile")
        return regexps

    def _ascii_set(self) -> Any:
        """The set for ASCII texts (see :meth:`SafePattern._ascii_program`); the UTF-8 set if RE2 refuses it."""
        regexps = _re2.Set(_UNANCHORED, _latin1_options())
        if all(regexps.Add(_latin1_source(source).encode("ascii")) >= 0 for source in self._sources) and regexps.Compile():
            self._ascii = regexps
        else:
            self._ascii = self._utf8
        return self._ascii

    def matching(self, text: str) -> set[int]:
        """Positions (in the order given) of the patterns that match somewhere in ``text``."""
        enc = _encoded(text)
        regexps = self._utf8 if enc.to_char is not None else self._ascii or self._ascii_set()
        return set(regexps.Match(enc.data))

    def matching_word(self, text: str) -> list[int]:
        """:meth:`matching` as a list, for a short text asked once (a new word): it is encoded here, not
        through the one-text cache that a scan of a long text reuses (about 1.5 us less per word)."""
        if text.isascii():
            return (self._ascii or self._ascii_set()).Match(text.encode("ascii"))
        return self._utf8.Match(text.encode("utf-8", "surrogatepass"))
