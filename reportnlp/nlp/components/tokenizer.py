"""Tokenize with spaCy's English rules, then fold away whitespace tokens.

Reports wrap sentences over lines ("facet\\narthropathy", "no evidence\\r\\nof"), and spaCy
turns every newline into a token of its own, which breaks phrase matching across the wrap.
This tokenizer keeps spaCy's tokens but drops the whitespace ones, and remembers for every
token where it starts in the text exactly as given and how many line breaks precede it, so
sections, sentences and records still speak in offsets of the original text.

spaCy splits a text at whitespace first and tokenizes each whitespace-free chunk on its own,
so the tokens of a chunk depend only on the chunk: they are cached per chunk, which makes
this several times faster than calling spaCy's tokenizer on the whole text. The one rule that
looks across chunks (special cases such as "''" or "(:" matched over tokens that a single
space separates) is detected, and the chunks it could join go through spaCy's tokenizer together.
"""

import hashlib
import html
import html.entities
import itertools
import json
import os
import re
import sys
import tempfile
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Callable
from contextlib import suppress
from itertools import compress, repeat
from operator import is_
from pathlib import Path
from re import _constants, _parser  # type: ignore[attr-defined]

import numpy
import spacy
from spacy.lang.char_classes import UNITS
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from reportnlp.nlp.cache_dir import retire_older
from reportnlp.nlp.components._memo import memo_table, remember
from reportnlp.nlp.components.docdata import doc_value, set_doc_value
from reportnlp.nlp.components.lexeme_attrs import use_shortcuts
from reportnlp.nlp.components.tables import TokenTable
from reportnlp.nlp.rules import cache_folder

for _name in ("reportnlp_text", "reportnlp_input", "reportnlp_starts", "reportnlp_breaks"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)

_CHUNK = re.compile(r"\S+")  # re's \s is str.isspace(), the test spaCy splits on
# Exports glue list items and headers with commas ("EXAM:,MRI", "normal.,No", "spine,Degenerative"):
# spaCy keeps such a token whole. These are the places inside a token where it is cut; a comma between
# digits ("1,000"), a decimal point ("3.5") and abbreviations ("e.g.", "U.S.") stay whole.
_GLUED = re.compile(
    r"(?<=[.:;])(?=,)"  # ".," ":," ";,"
    r"|(?<=,)(?=[^\W_])(?<!\d,(?=\d))"  # after a comma before a letter or digit (not 1,000)
    r"|(?<=[^\W_])(?=,[^\W_])(?<!\d(?=,\d))"  # before that comma
    r"|(?<=[^\W\d_]{2}[.:])(?=[^\W_])"  # after "word." or "word:" before a letter or digit
    r"|(?<=[^\W\d_]{2})(?=[.:][^\W_])(?![.:][^\W\d_]{1,2}\.)"  # before that stop ("e.g." "a.m." stay)
    r"|(?<=[^\W_])(?=[.:],)"  # before the stop of ".," ":,"
)
_GLUE_CHARS = frozenset(",.:")


def split_glued(pieces: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Cut tokens where a comma, period or colon is glued to the next word; offsets stay exact."""
    out: list[tuple[int, str]] = []
    for idx, word in pieces:
        if len(word) < 2 or _GLUE_CHARS.isdisjoint(word):
            out.append((idx, word))
            continue
        cuts = [m.start() for m in _GLUED.finditer(word) if 0 < m.start() < len(word)]
        if not cuts:
            out.append((idx, word))
            continue
        prev = 0
        for cut in [*sorted(set(cuts)), len(word)]:
            out.append((idx + prev, word[prev:cut]))
            prev = cut
    return out
_REMEMBERED = 20_000  # the most recent words whose lower-case forms are remembered
# The most recent chunks whose tokens are remembered. A new chunk costs about 9 us (spaCy's tokenizer for one
# in six, and its description); over the 5,024 dev texts (70k distinct chunks) 20,000 learned 112k chunks
# in one pass, 40,000 learn 83k (about 0.05 ms per report less) for about 12 MB more of memory, 80,000 learn
# 70k (every chunk once: tokenizer 505 -> 472 us a cold report, session 19) for about 20 MB more. spaCy's own
# tokenizer cache has no bound at all; this one keeps a million-report run's memory flat.
_CHUNKS_REMEMBERED = 80_000


_ASCII_UPPER = bytes(range(ord("A"), ord("Z") + 1))
_ASCII_LOWER = bytes(range(ord("a"), ord("z") + 1))


def mostly_capitals(text: str) -> bool:
    """Whether ``text`` is written in capitals (capitals outnumber twice its lower-case letters)."""
    if text.isascii():  # the common case, counted in C: an ASCII char is upper/lower iff A-Z/a-z
        raw = text.encode("ascii")
        # Capitals outnumber twice the lower-case letters only if those are under a third of the text: the
        # lower-case letters of its first 60% settle most texts (an ordinary text has about two thirds).
        head = raw[: len(raw) * 3 // 5]
        if 3 * (len(head) - len(head.translate(None, _ASCII_LOWER))) >= len(raw):
            return False
        upper = len(raw) - len(raw.translate(None, _ASCII_UPPER))
        return upper > 2 * (len(raw) - len(raw.translate(None, _ASCII_LOWER)))
    return sum(map(str.isupper, text)) > 2 * sum(map(str.islower, text))


# Markup left in exported text: HTML tags and entities ("bulges.<br>No", "lesion&nbsp;in"), RTF control
# words ("L4-5.\\par No"). spaCy would glue them to the words beside them; the words are split as if the
# markup were white space (the text, and so doc.text, keep it: the exact Doc gets it as a gap token).
_HTML_TAG = (
    r"</?(?:br|p|div|span|b|i|u|strong|em|li|ul|ol|table|tr|td|th|tbody|thead|font|sup|sub|hr|pre|h[1-6]|html"
    r"|body|head|center|blockquote|a|nobr|small|big|caption|o:p)(?:\s[^<>]{0,200})?\s*/?>"
)
# An HTML entity ("&ndash;", "&#8211;", "&#x2019;") stands for a character; one that is no entity stays text.
_ENTITY = r"&(?:[a-z][a-z0-9]{1,31}|#\d{1,7}|#x[0-9a-f]{1,6});"
_MARKUP = re.compile(
    _HTML_TAG + "|" + _ENTITY + r"|\\(?:par|line|tab|pard|plain)\b(?:-?\d{1,6})?",
    re.IGNORECASE,
)
# In a text that opens an RTF document ("{\\rtf1"): every control word ("\\fs20", "\\viewkind4"), its braces, the
# header's font, colour and style tables, and a character written by its code page byte ("\\'96", an en dash).
_RTF_MARKUP = re.compile(
    r"\{\\(?:fonttbl|colortbl|stylesheet|info|\*)[^{}]*(?:\{[^{}]*\}[^{}]*)*\}"
    r"|\\'[0-9a-f]{2}|\\[a-z]{1,32}(?:-?\d{1,10})? ?|[{}]",
    re.IGNORECASE,
)
# Characters an export writes for plain ones, each read as that one (one for one, so offsets stay): the dashes and
# hyphens ("L4\u20135", "L4\u20115", "L5\u2212S1"), curly quotes, full-width ASCII ("FINDINGS\uff1a"), white space that
# is no ASCII space (no-break, thin, ideographic), the zero-width marks a web page hides between words, a size's
# multiplication sign and a list's bullets.
_PLAIN_CHARS = {
    **dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63"), "-"),
    **dict.fromkeys(map(ord, "\u2018\u2019\u201a\u201b\u2032"), "'"),
    **dict.fromkeys(map(ord, "\u201c\u201d\u201e\u201f\u2033"), '"'),
    ord("\u00d7"): "x",  # a size's "2.1 \u00d7 1.4 cm"
    # a list's bullets read as the bullet "\u2022" (a check box's squares stay: "\u25a0 Yes \u25a1 No")
    **dict.fromkeys(map(ord, "\u25e6\u25aa\u25ab\u25cf\u25cb\u2023\u27a2\u25ba\u25b8\u2043\u2219"), "\u2022"),
    **{code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)},
    **dict.fromkeys(map(ord, "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"), " "),
    **dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), " "),
}
_NAMED_ENTITIES = html.entities.html5
_LONE_CR = re.compile(r"\r(?!\n)")
# A double-spaced text: a blank line after every line, so a blank line is no paragraph break ("There is no" /
# blank line / "compression fracture."). One line break between two lines of text says it is not; a blank line
# inside a sentence (a lower-case word or a comma before it, a lower-case word after it) says it is.
_ONE_BREAK = re.compile(r"\S[ \t]*\r?\n[ \t]*\S")
_WRAP_BREAK = re.compile(r"[a-z,][ \t]*\r?\n[ \t]*\r?\n[ \t]*[a-z]")
_BREAKS = re.compile(r"(?:[ \t]*\r?\n){2,}[ \t]*")


def _entity_char(entity: str) -> str:
    """An entity's text as a plain run of its length: its character where the entity stands, apostrophes at the
    end (they lean on the next letters: "patient&#39;s"), the rest centred; white space and unknown ones spaces."""
    width = len(entity)
    if entity[1] != "#":
        named = _NAMED_ENTITIES.get(entity[1:]) or _NAMED_ENTITIES.get(entity[1:].lower())
        if named is None:  # "&notanentity;": no entity, the text's own letters
            return entity
        char = named.translate(_PLAIN_CHARS)
    else:
        char = html.unescape(entity).translate(_PLAIN_CHARS)
    if char == entity or len(char) != 1 or char.isspace():
        return " " * width
    if char == "'":
        return " " * (width - 1) + char
    before = (width - 1) // 2
    return " " * before + char + " " * (width - 1 - before)


# Markup that ends a line where it stands: an HTML block ("<br>", "</p><p>", "<li>", "<tr>") and RTF's "\\par" /
# "\\line" ("No fracture</li><li>Lytic lesion in T9" are two items; "<p>Findings:" opens its line). RTF's "\\tab" is
# a tab ("\\b HISTORY:\\b0\\tab Cough").
_LINE_MARKUP = re.compile(
    r"</?(?:br|p|div|li|tr|ul|ol|table|h[1-6]|hr|pre|blockquote|center|caption)\b|\\(?:par|line)\b", re.IGNORECASE
)


_NEXT_CELL = re.compile(r"\s*<t[dh]\b", re.IGNORECASE)


def _markup_run(match: re.Match[str]) -> str:
    found = match.group()
    if found[0] == "&":
        return _entity_char(found)
    if _LINE_MARKUP.match(found):
        text, end = match.string, match.end()
        if text[end : end + 1] not in ("\n", "\r") and text[match.start() - 1 : match.start()] != "\n":
            return " " * (len(found) - 1) + "\n"  # a line break of its own, unless one stands beside it
    elif found[:4].lower() == "\\tab":
        return "\t" + " " * (len(found) - 1)
    elif found[:4].lower() in ("</td", "</th") and _NEXT_CELL.match(match.string, match.end()):
        return ":" + " " * (len(found) - 1)  # a row's cell before the next one is its label ("Fracture</td><td>None")
    return " " * len(found)


def _rtf_run(match: re.Match[str]) -> str:
    found = match.group()
    if found.startswith("\\'"):
        char = bytes([int(found[2:], 16)]).decode("cp1252", "replace").translate(_PLAIN_CHARS)
        if len(char) == 1 and not char.isspace() and char != "\ufffd":
            return " " + char + "  "
    return " " * len(found)


def mask_markup(text: str) -> str:
    """``text`` with markup replaced by as many spaces and an entity by the character it stands for (offsets
    unchanged); ``text`` itself when it has none."""
    if "<" not in text and "&" not in text and "\\" not in text:
        return text
    masked, found = _MARKUP.subn(_markup_run, text)
    if "{\\rtf" in masked[:200]:
        masked, more = _RTF_MARKUP.subn(_rtf_run, masked)
        found += more
    return masked if found else text


def working_text(text: str) -> str:
    """The text the components read: ``text`` with markup masked (``mask_markup``), the characters of
    ``_PLAIN_CHARS`` read as plain ones, a carriage return alone as a line break, and a double-spaced text's
    blank lines as the line breaks they stand for; of the same length, so every offset is one into ``text``
    (``text`` itself when nothing changes)."""
    work = mask_markup(text)
    if not work.isascii():
        work = work.translate(_PLAIN_CHARS)
    if "\r" in work:
        work = _LONE_CR.sub("\n", work)
    if "\n\n" in work and _ONE_BREAK.search(work) is None and _WRAP_BREAK.search(work) is not None:
        work = _BREAKS.sub(_single_spaced, work)
    return text if work == text else work


def _single_spaced(match: re.Match[str]) -> str:
    """A double-spaced text's run of line breaks as half as many, padded with spaces to its length."""
    run = match.group()
    breaks = run.count("\n") // 2
    return " " * (len(run) - breaks) + "\n" * breaks


class _SpecialCases:
    """What spaCy's doc-wide special-case pass could do across a chunk boundary.

    After tokenizing each chunk, spaCy's ``_apply_special_cases`` matches every special case's affix
    tokenization ("''" as ' + ') over the tokens of the whole doc and retokenizes the matches. A
    match across a single space never retokenizes (its text holds the space), but it can keep an
    overlapping match from retokenizing, and that changes the tokens only where a special case
    whose tokens differ from its affix tokens ("Dr." vs "Dr" + ".") is written inside a chunk.
    """

    def __init__(self, base: Tokenizer) -> None:
        followers, alternation = _special_analysis(base)
        self.followers: dict[str, set[str]] = {first: set(seconds) for first, seconds in followers.items()}
        self.sorted_followers = {first: tuple(sorted(seconds)) for first, seconds in followers.items()}
        # Followers by the last character of the token they follow, to try only the ones that can end a chunk.
        self.followers_by_last: dict[str, list[tuple[str, set[str]]]] = {}
        for first, seconds in self.followers.items():
            self.followers_by_last.setdefault(first[-1], []).append((first, seconds))
        self.holds_changing = re.compile(alternation).search
        self.starts_changing = re.compile(alternation).match
        # Whether a chunk ends with a changing special case: a search for (?:alternation)\Z tries every
        # character of the chunk (about 2 us); the changing cases reversed are matched once on the chunk
        # reversed instead. tests/test_tokenizer_specials.py checks both agree.
        whole = re.compile(alternation).fullmatch
        changing = [special for special in base.rules if whole(special)]
        self._ends_reversed = re.compile(_trie_regex([c[::-1] for c in changing]) if changing else "(?!x)x").match
        # A chunk can begin (end) with a changing case only if it begins (ends) with the first (last) k characters
        # of one: asked first, in a set, this spares three quarters of the new chunks both regexes (k = 2: about
        # 1,200 cases, a quarter of the chunks pass either set; one character passes two thirds or more).
        k = min(2, *map(len, changing)) if changing else 1
        self._k = k
        self._first_k = frozenset(c[:k] for c in changing)
        self._last_k = frozenset(c[-k:] for c in changing)
        # The last k characters that are a changing case whole ("e." of "spine.": every word of letters and its stop
        # ends with one): such a chunk ends with a changing case, no regex needed.
        self._whole_k = frozenset(c for c in changing if len(c) == k)
        # The followers of a chunk that ends with a changing case depend only on its last characters, as many as
        # the longest case ending in its last character has: remembered by them (most such chunks end in a stop,
        # whose only case of that kind is "." itself, so one entry answers them).
        self._widths = {last: max(map(len, (first for first, _ in pairs))) for last, pairs in self.followers_by_last.items()}
        self._ending: dict[str, tuple[str, ...]] = {}

    def ends_changing(self, chunk: str) -> bool:
        tail = chunk[-self._k :]
        return tail in self._last_k and (tail in self._whole_k or self._ends_reversed(chunk[::-1]) is not None)

    def followers_of(self, chunk: str, last_token: str) -> tuple[str, ...]:
        """The first tokens of a next chunk that could meet this chunk's end in a special case, sorted: those that
        follow its last token, or, when the chunk ends with a changing case (its last token before spaCy's pass may
        differ), those that follow any case the chunk ends with."""
        if not self.ends_changing(chunk):
            return self.sorted_followers.get(last_token, ())
        width = self._widths.get(chunk[-1])
        if width is None:
            return ()
        tail = chunk[-width:]
        found = self._ending.get(tail)
        if found is None:
            if len(self._ending) >= _ENDINGS_REMEMBERED:
                self._ending.clear()
            candidates = self.followers_by_last[chunk[-1]]
            found = self._ending[tail] = tuple(sorted({x for y, xs in candidates if tail.endswith(y) for x in xs}))
        return found

    def begins_changing(self, chunk: str) -> bool:
        """Whether the chunk begins with a changing special case (``starts_changing`` matches)."""
        return chunk[: self._k] in self._first_k and self.starts_changing(chunk) is not None


_ENDINGS_REMEMBERED = 10_000  # _SpecialCases.followers_of's answers by a chunk's last characters
_Analysis = tuple[dict[str, list[str]], str]  # (followers, sorted; the changing special cases' regex)
# The analysis of a tokenizer's special cases re-tokenizes every one of them twice (about 30 ms for
# spaCy's English 1,347, another few for the regex): it is remembered by the SHA-256 of everything it
# depends on (the special cases, the affix and URL patterns, spaCy's version, this module's code), in
# this process and as a small JSON file next to the rule-validation markers (REPORTNLP_CACHE_DIR).
_ANALYSES: dict[str, _Analysis] = {}


def _special_analysis(base: Tokenizer) -> _Analysis:
    key = _analysis_key(base)
    if key is None:  # a tokenizer we cannot fingerprint (a custom callable): analysed every time
        return _analyse(base)
    found = _ANALYSES.get(key)
    if found is not None:
        return found
    folder = cache_folder()
    path = folder / f"tokenizer-specials-{key}.json" if folder is not None else None
    found = _read_analysis(path, key) if path is not None else None
    if found is None:
        found = _analyse(base)
        if path is not None:
            _write_analysis(path, key, found)
    _ANALYSES[key] = found
    return found


def _analysis_key(base: Tokenizer) -> str | None:
    """The SHA-256 of every input of :func:`_analyse`, or None when one of them has no fingerprint."""
    searches = []
    for find in (base.prefix_search, base.suffix_search, base.infix_finditer, base.token_match, base.url_match):
        if find is None:
            searches.append(None)
            continue
        compiled = getattr(find, "__self__", None)
        if not isinstance(compiled, re.Pattern):
            return None
        searches.append([compiled.pattern, compiled.flags, find.__name__])
    digest = hashlib.sha256(Path(__file__).read_bytes())
    inputs = [spacy.about.__version__, base.faster_heuristics, searches, list(base.rules.items())]
    digest.update(json.dumps(inputs, default=repr, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _read_analysis(path: Path, key: str) -> _Analysis | None:
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("key") != key:
        return None
    followers, alternation = data.get("followers"), data.get("alternation")
    if not isinstance(alternation, str) or not isinstance(followers, dict):
        return None
    if not all(isinstance(v, list) and all(isinstance(x, str) for x in v) for v in followers.values()):
        return None
    return followers, alternation


def _write_analysis(path: Path, key: str, analysis: _Analysis) -> None:
    followers, alternation = analysis
    _write_json(path, json.dumps({"key": key, "followers": followers, "alternation": alternation}, ensure_ascii=False))


def _write_json(path: Path, data: str) -> None:
    """Write a cache file whole or not at all (a temporary file renamed)."""
    with suppress(OSError):  # a cache that cannot be written is only a slower next run
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data.encode("utf-8", "surrogatepass"))
            Path(temporary).replace(path)
        except OSError:
            Path(temporary).unlink(missing_ok=True)
            raise
        retire_older(path)


def _analyse(base: Tokenizer) -> _Analysis:
    """Which tokens can follow which in a special case, and a regex of the special cases whose tokens
    differ from their affix tokens ("changing"). Raises ValueError for a multi-token special case
    holding whitespace."""
    bare = Tokenizer(
        base.vocab,
        rules={},
        prefix_search=base.prefix_search,
        suffix_search=base.suffix_search,
        infix_finditer=base.infix_finditer,
        token_match=base.token_match,
        url_match=base.url_match,
    )
    bare.faster_heuristics = base.faster_heuristics
    followers: dict[str, set[str]] = {}
    changing = []
    for special in base.rules:
        words = [t.text for t in bare(special)]
        if any(c.isspace() for c in special):
            if len(words) > 1:
                raise ValueError("a multi-token special case holds whitespace")
            continue
        for first, second in itertools.pairwise(words):
            followers.setdefault(first, set()).add(second)
        if words != [t.text for t in base(special)]:
            changing.append(special)
    alternation = _trie_regex(changing) if changing else "(?!x)x"
    return {first: sorted(seconds) for first, seconds in followers.items()}, alternation


def _trie_regex(strings: list[str]) -> str:
    """One regex for a set of literal strings, nested by shared prefixes so that matching is fast."""
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for string in strings:
        node = trie
        for char in string:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:  # type: ignore[type-arg]
        branches = [re.escape(char) + build(node[char]) for char in sorted(node) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


def _plain(chunk: str, rules: frozenset[str], tails: "_Tails | None" = None) -> tuple[tuple[int, str, str], ...] | None:
    """The tokens (cut by :func:`split_glued`) of a chunk that is a word of letters or of ASCII digits,
    optionally followed by one of ``,;:`` or a stop, or of such words, sentences and headers glued by ",",
    ".," or ":," as exports join them ("normal.,IMPRESSION:,1."); also a number and its unit ("5mm"), a
    possessive, a closing mark and its stop, a run of stops; None for any other chunk or when unsure, and for
    special cases. ``tails``: a memo of :func:`_plain_joined`'s answers for what follows a chunk's first joint.

    spaCy's English affix rules all need a character that is not a letter or digit; ``,;:`` always
    split off a word's end, and a stop does after a digit, a lower-case or two capital ASCII letters.
    tests/test_tokenizer.py checks this against spaCy's tokenizer and split_glued on arbitrary chunks.
    """
    if chunk.isalpha():  # most chunks
        return None if chunk in rules else ((0, chunk, chunk.lower()),)
    if chunk in rules:
        return None
    word, last = chunk[:-1], chunk[-1]
    if last in _PLAIN_ENDS and word.isalpha():  # the next most: a word and its comma, colon or stop
        if word in rules or (last == "." and not _splits_stop(word)):  # (what _plain_word finds for them)
            return None
        return ((0, word, word.lower()), (len(word), last, last))
    if last in _PLAIN_ENDS and len(word) > 1 and word[-1] in _PLAIN_CLOSERS:  # "views).", "(L4),": both split off
        rest = _plain(word, rules, tails)
        return None if rest is None or rest[-1][1] + last in rules else (*rest, (len(word), last, last))
    if last in _PLAIN_CLOSERS and len(chunk) > 1:  # "views)", 'normal"': spaCy's suffix rules split them off
        rest = _plain(word, rules, tails)
        # unless the word's last token and the mark are a special case: spaCy's pass joins "8" ")" as "8)"
        return None if rest is None or rest[-1][1] + last in rules else (*rest, (len(word), last, last))
    first = chunk[0]
    if first in _PLAIN_PREFIXES and len(chunk) > 1:  # ",Mild" (a list item glued after its comma), "(on", '"pain'
        rest = _plain(chunk[1:], rules, tails)
        if rest is None or first + rest[0][1] in rules:
            return None
        return ((0, first, first), *[(i + 1, w, low) for i, w, low in rest])
    if chunk.endswith(".."):  # "normal..": spaCy's suffix rule cuts a run of stops off a word
        stem = chunk.rstrip(".")
        if stem.isalpha() and stem not in rules:
            return ((0, stem, stem.lower()), (len(stem), chunk[len(stem) :], chunk[len(stem) :]))
        return None
    if "," not in chunk:
        return _plain_word(chunk, rules)
    return _plain_joined(chunk, rules, tails)


# Where exports glue a list's items or a report's sentences and headers into one chunk: a comma, after a stop or
# colon or not, between letters or digits ("normal.,IMPRESSION:,1.", "spine,Degenerative", "L5,S1"). Inside a
# chunk spaCy's affix rules do not reach these, and split_glued cuts each one (a comma between two digits it
# keeps: "1,000").
_JOINT = re.compile(r"(?<=[^\W_])([.:]?),(?=[^\W_])")


_Pieces = tuple[tuple[int, str, str], ...]
_Tails = OrderedDict[str, "_Pieces | None"]
_TAILS_REMEMBERED = 5_000  # what follows a glued chunk's first joint ("IMPRESSION:", "No", "1."): a few thousand recur


def _plain_joined(chunk: str, rules: frozenset[str], tails: _Tails | None = None) -> _Pieces | None:
    """:func:`_plain` of a chunk with a comma: its parts between the joints each as spaCy tokenizes it alone (the
    last one with its trailing marks, the others a plain core and their stop or colon), the joints' marks each a
    token; None when a part is not plain or a comma sits between two digits.

    What follows a joint is read as a chunk of its own would be (a joint needs a letter or digit on both sides, so
    the joints after it are the same), so with ``tails`` it is remembered: exports glue one sentence's last word to
    the next line's first ("fracture.,IMPRESSION:", "normal.,No"), each such pair mostly seen once, its second
    half often. The search starts just before the first comma (a joint holds one)."""
    out: list[tuple[int, str, str]] = []
    at = 0
    for joint in _JOINT.finditer(chunk, max(chunk.find(",") - 1, 0)):
        lo, mark = joint.start(), joint.group(1)
        part = chunk[at:lo]
        if not mark:
            if part[-1].isdigit() and chunk[lo + 1].isdigit():
                continue  # "1,000" stays whole: a part's comma (see _plain_core)
            core = _plain_core(part, rules, ends=False)
        elif mark == "." and part.isalpha():  # most: what _plain_word(part + ".") finds, without its calls
            if part in rules or not _splits_stop(part) or part + "." in rules:
                return None
            core = ((0, part, part.lower()), (len(part), ".", "."))
        else:
            core = _plain_word(part + mark, rules, ends=False)
            if core is None or core[-1][1] != mark:
                return None
        if core is None:
            return None
        out += [(at + i, w, low) for i, w, low in core]
        out.append((lo + len(mark), ",", ","))
        at = joint.end()
        if tails is not None:
            found = _tail_pieces(chunk[at:], rules, tails)
            if found is None:
                return None
            out += [(at + i, w, low) for i, w, low in found]
            return tuple(out)
    if not out:
        return _plain_word(chunk, rules)
    last = chunk[at:]
    if last.isalpha() and last not in rules:  # _plain_word's answer for a word of letters
        out.append((at, last, last.lower()))
    else:
        pieces = _plain_word(last, rules)
        if pieces is None:
            return None
        out += [(at + i, w, low) for i, w, low in pieces]
    return tuple(out)


_UNSEEN = object()  # a tail not remembered yet (None is a remembered answer)


def _tail_pieces(rest: str, rules: frozenset[str], tails: _Tails) -> _Pieces | None:
    """:func:`_plain_joined`'s pieces of what follows a glued chunk's first joint, read as a chunk of its own would
    be, remembered in ``tails`` by its text."""
    found = tails.get(rest, _UNSEEN)
    if found is _UNSEEN:
        found = remember(tails, rest, _plain_joined(rest, rules) if "," in rest else _plain_word(rest, rules),
                         _TAILS_REMEMBERED)
    return found  # type: ignore[return-value]


def _plain_word(chunk: str, rules: frozenset[str], ends: bool = True) -> tuple[tuple[int, str, str], ...] | None:
    """:func:`_plain` of a chunk without a joint (see _JOINT); ``ends`` as :func:`_plain_core`'s."""
    core = _plain_core(chunk, rules, ends)
    if core is not None or chunk in rules:
        return core
    if chunk.endswith((":,", ".,")):  # a header or sentence glued to a comma ("FINDINGS:,"): "," then ":" split off
        head = _plain_word(chunk[:-1], rules, ends)
        return None if head is None or head[-1][1] != chunk[-2] else (*head, (len(chunk) - 1, ",", ","))
    word, last = chunk[:-1], chunk[-1:]
    if last not in _PLAIN_ENDS or word in rules:
        return None
    core = _plain_core(word, rules, ends)
    if core is None:
        return None
    if last == ".":  # a stop splits off after a digit, a "%", a lower-case or two capital ASCII letters
        before = core[-1][1]  # the word's last token (after a hyphen, the stop sees only it)
        if before + "." in rules or not _stop_splits_after(before):
            return None
    return (*core, (len(word), last, last))


def _stop_splits_after(token: str) -> bool:
    """Whether spaCy's suffix rule cuts a stop off after this token: after an ASCII digit, lower-case letter or
    "%", or two ASCII capitals (beyond ASCII spaCy's letter classes are not Python's: left to spaCy)."""
    if not token.isascii():
        return False
    last, two = token[-1], token[-2:]
    return last.isdigit() or last.islower() or last == "%" or (len(two) == 2 and two.isalpha() and two.isupper())


def _splits_stop(word: str) -> bool:
    return word.isascii() and word.isalpha() and (word[-1].islower() or (len(word) > 1 and word[-2:].isupper()))


def _plain_core(word: str, rules: frozenset[str], ends: bool = True) -> tuple[tuple[int, str, str], ...] | None:
    """The tokens of a word without a trailing stop or comma: letters or ASCII digits, a decimal ("3.5"),
    digits joined by slashes ("12/3/2004") or letters then digits ("L4"), each one token; or ASCII words
    joined by slashes or hyphens where spaCy's infix rules cut each one ("facet-joint", "L4-5", "a/b");
    None for anything else, and when a part is a special case. A word at the chunk's end (``ends``) is also cut
    by spaCy's suffix rules: a number and its unit ("5mm", "50%"), a word and its "'s"; inside a chunk (before
    a joint) those stay whole in spaCy and are left to it here."""
    if word in rules:
        return None
    if word.isalpha() or (word.isdigit() and word.isascii()):
        return ((0, word, word.lower()),)
    if not word.isascii():
        return None
    whole, point, fraction = word.partition(".")
    if point and whole.isdigit() and fraction.isdigit():
        return ((0, word, word),)
    if ("," in word or ":" in word) and word.replace(",", "").replace(":", "").isdigit():
        # "1,000", "10:30": no affix rule cuts a comma or colon between digits (nor split_glued)
        return ((0, word, word),) if "" not in word.replace(":", ",").split(",") else None
    if "/" in word:
        parts = word.split("/")
        if all(map(str.isdigit, parts)):  # a date or ratio ("12/3/2004"): whole
            return ((0, word, word),)
        # words of letters joined by slashes ("and/or" is a special case): spaCy's infix rule cuts each slash
        if "-" in word or not all(map(str.isalpha, parts)) or not rules.isdisjoint(parts):
            return None
        return _joined(parts, "/")
    head = word.rstrip(_DIGITS)
    if head.isalpha() and len(head) < len(word):  # letters then digits ("L4", "T12"): no affix rule cuts it
        return ((0, word, word.lower()),)
    number = word.rstrip(_UNIT_CHARS)
    tail = word[len(number) :]
    if tail and (tail.isalpha() or tail == "%") and (number.isdigit() or _decimal(number)):  # "5mm", "2nd", "2.5%"
        if not ends or tail not in _UNITS:  # spaCy's only suffix rule that ends in a letter: a unit after a number
            return ((0, word, word.lower()),) if tail.isalpha() else None
        return None if number in rules or tail in rules else ((0, number, number), (len(number), tail, tail.lower()))
    if ends and word.endswith(_POSSESSIVES) and word[:-2].isalpha():  # "patient's": spaCy's suffix rule cuts "'s"
        stem = word[:-2]
        return None if stem in rules else ((0, stem, stem.lower()), (len(stem), word[-2:], word[-2:].lower()))
    if ends and word[-1:] == "'" and word[:-1].isalpha():  # "patients'": and a quote
        stem = word[:-1]
        return None if stem in rules else ((0, stem, stem.lower()), (len(stem), "'", "'"))
    parts = word.split("-")
    if len(parts) < 2 or not rules.isdisjoint(parts):
        return None
    # Words of letters, numbers and spine levels ("L4") joined by hyphens: spaCy's infix rules cut a hyphen
    # before a letter, or between digits ("12-mm", "L4-5"); one they keep ("T-12") stays inside its token.
    out = []
    start = at = 0
    before = ""
    for part in parts:
        if not (part.isalpha() or part.isdigit() or part.rstrip(_DIGITS).isalpha() or _decimal(part)):
            return None
        if before and (part[0].isalpha() or (before[-1].isdigit() and part[0].isdigit())):
            out += [(start, word[start : at - 1]), (at - 1, "-")]
            start = at
        before = part
        at += len(part) + 1
    out.append((start, word[start:]))
    if any(w in rules for _, w in out):
        return None
    return tuple((i, w, w.lower()) for i, w in out)


_DIGITS = "0123456789"
_UNIT_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ%"
_POSSESSIVES = ("'s", "'S")
# spaCy's units, which its English suffix rule cuts off a number ("5mm" -> "5", "mm"; "50%"): case matters ("5MM" stays)
_UNITS = frozenset(UNITS.split("|"))


def _decimal(word: str) -> bool:
    """An ASCII decimal number ("2.5"), which no affix rule cuts."""
    whole, point, fraction = word.partition(".")
    return bool(point) and whole.isdigit() and fraction.isdigit()


def _joined(parts: list[str], mark: str) -> tuple[tuple[int, str, str], ...]:
    """The tokens of ``parts`` joined by ``mark``, cut at each one."""
    out = []
    at = 0
    for part in parts:
        if at:
            out.append((at - 1, mark, mark))
        out.append((at, part, part.lower()))
        at += len(part) + 1
    return tuple(out)


_PLAIN_ENDS = frozenset(",;:.?!")
_PLAIN_PREFIXES = frozenset(',("#')  # characters spaCy's English prefix rules always split off a word's start
_PLAIN_CLOSERS = frozenset(')"')  # and its suffix rules off a word's end


def _english_affixes(base: object) -> bool:
    """Whether ``base`` splits words by spaCy's English affix rules (those :func:`_plain` knows)."""
    from spacy.lang.en import English
    from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

    def pattern(find: object) -> tuple[str, int] | None:
        compiled = getattr(find, "__self__", None)
        return (compiled.pattern, compiled.flags) if isinstance(compiled, re.Pattern) else None

    english = English.Defaults
    expected = [
        (compile_prefix_regex(english.prefixes), "prefix_search"),
        (compile_suffix_regex(english.suffixes), "suffix_search"),
        (compile_infix_regex(english.infixes), "infix_finditer"),
    ]
    if any(pattern(getattr(base, name, None)) != (rx.pattern, rx.flags) for rx, name in expected):
        return False
    url = english.url_match
    return getattr(base, "token_match", 0) is english.token_match is None and (
        pattern(getattr(base, "url_match", None)) == pattern(url)
    )
# (words, starts, breaks, spaces, lower forms or None, the words' lexeme IDs (orth) or None)
_Split = tuple[list[str], list[int], list[int], list[bool], list[str] | None, list[int] | None]


# What is remembered of a chunk, as a plain tuple: the loop of _split_chunks unpacks one per chunk, and
# Python unpacks an exact tuple in compiled code but a NamedTuple through its iterator (the loop about 7%
# slower). Per token, in the order the Doc lists them, as tuples a text's lists are extended with:
#   words           each token's text
#   lowers          each token's lower-case text
#   offsets         where each token starts in the chunk
#   spaces          whether white space follows it: only the last one's, as a chunk ends at white space
#   orths           each token's lexeme ID in the vocab (spaCy's Doc takes these without hashing text)
# and of the chunk:
#   followers       a next chunk's first token that could meet this one's last in a special case
#   flexible_start  begins with a changing special case: its first token before the pass may differ
#   single_lower    the lower-case text of a one-token chunk (None for several tokens)
_Chunk = tuple[
    tuple[str, ...], tuple[str, ...], tuple[int, ...], tuple[bool, ...], tuple[int, ...],
    tuple[str, ...], bool, str | None,
]
_EMPTY: _Chunk = ((), (), (), (), (), (), False, None)
_ONE_OFFSET = (0,)
_ONE_SPACE = (True,)
_TWO_SPACES = (False, True)
_SPACES = [(), _ONE_SPACE, *[(False,) * (n - 1) + _ONE_SPACE for n in range(2, 17)]]  # shared, by token count

# str.isspace() of each ASCII character (what str.split() cuts at) as a byte 1 or 0: the table chunk_starts reads an
# ASCII text's bytes through (``bytes.translate``, a plain loop in C; numpy's indexing by the bytes cost about four
# times as many instructions, session 31)
_ASCII_SPACE = bytes(chr(c).isspace() for c in range(128)) + bytes(128)


# Below this many chunks the search chunk by chunk costs fewer instructions than numpy's fixed cost per call
# (session 27: about 1.4 k instructions a chunk against about 35 k a call).
_SEARCHED_BELOW = 25


def chunk_starts(text: str, parts: list[str]) -> list[int]:
    """Where each of ``parts`` (``text.split()``) starts in ``text``. An ASCII text of ``_SEARCHED_BELOW`` chunks or
    more is read at once in compiled code (a chunk starts at every character that is no white space after one that
    is, and at 0): ``str.find`` per chunk parses its arguments as a tuple, and with the end kept for the next call
    it was about a tenth of a warm report's tokenizer (session 26); a shorter text, and any other, is searched
    chunk by chunk."""
    if not parts:
        return []
    if len(parts) >= _SEARCHED_BELOW and text.isascii():
        # one white space before the text: entry i is then the character before text[i], and a chunk starts at
        # every i where that is white space and text[i] is not (at 0 too, without a test)
        space = numpy.frombuffer(b"\x01" + text.encode("ascii").translate(_ASCII_SPACE), dtype=numpy.bool_)
        return (space[:-1] > space[1:]).nonzero()[0].tolist()
    starts = []
    find = text.find
    at = 0
    for chunk in parts:
        at = find(chunk, at)
        starts.append(at)
        at += len(chunk)
    return starts


def _joins(
    chunk: str, first: str, followers: tuple[str, ...], flexible_start: bool, before: str,
    holds_changing: Callable[[str], object],
) -> bool:
    """Whether a chunk right after ``before`` (one space between) could meet it in a special case that changes
    the split: its start (or first word) follows ``before``'s end in a case, and either chunk holds a changing
    case. Asked only when ``before`` has followers, the chunk's first word is one of them (or its start may differ)
    and the two are one space apart (the loop's inline test: the first word is a follower for about one chunk in 270
    that reach it, 31 a report over the public development texts; a call each was about 0.2% of a report)."""
    return (chunk.startswith(followers) if flexible_start else first in followers) and (
        holds_changing(before) or holds_changing(chunk)
    )


class _Orths(OrderedDict):  # type: ignore[type-arg]
    """Tokens' lexeme IDs (``StringStore.add``'s answers, which it stores the string for), the most recent
    _ORTHS_REMEMBERED: looked up in compiled code (``__getitem__``), a string not held asked of ``add``."""

    def __init__(self, add: Callable[[str], int]) -> None:
        super().__init__()
        self.add = add

    def __missing__(self, word: str) -> int:
        if len(self) >= _ORTHS_REMEMBERED:
            self.popitem(last=False)
        orth = self[word] = self.add(word)
        return orth


_ORTHS_REMEMBERED = 20_000


class ReportTokenizer:
    def __init__(self, vocab: Vocab, base: Callable[[str], Doc]) -> None:
        self.vocab = vocab
        use_shortcuts(vocab)  # this tokenizer's Docs make the vocab's new lexemes
        self.base = base
        self._reset()

    def _reset(self) -> None:
        self._chunks: OrderedDict[str, _Chunk] = memo_table()
        self._lower: OrderedDict[str, str] = memo_table()
        self._tails: _Tails = memo_table()  # _plain_joined's, by what follows a glued chunk's first joint
        self._orths = _Orths(self.vocab.strings.add)
        self._tail_entries: OrderedDict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[int, ...], tuple[int, ...]] | None] = (
            memo_table()  # _described_tail's
        )
        try:
            self._specials: _SpecialCases | None = _SpecialCases(self.base) if isinstance(self.base, Tokenizer) else None
        except ValueError:
            self._specials = None
        # the special cases' own strings: a chunk that is one of them is not known to be one token
        self._rule_keys: frozenset[str] = frozenset(self.base.rules) if self._specials is not None else frozenset()
        # _plain knows English's affix rules only: another language's (or a user's own) tokenizer is asked
        self._plain_ok = self._specials is not None and _english_affixes(self.base)

    def _learn(self, chunks: list[str]) -> dict[str, _Chunk]:
        """Tokenize new chunks in one call of spaCy's tokenizer, remember them and return them by chunk
        (the caller reads them here: a text with more new chunks than are remembered forgets its first).

        Joined by line breaks they tokenize as each would alone: a line break is a whitespace token,
        and no special case matches across one.
        """
        # Most new chunks are a word, or a word and a stop or comma ("spine", "normal.", "disc,"): their
        # tokens are known without asking spaCy (about half of a cold pass's new chunks; see _plain).
        rules = self._rule_keys
        learned: dict[str, _Chunk] = {}
        rest = []
        if self._plain_ok:
            # A word, or a word and its comma, colon or stop, described here without _plain's pieces and
            # _describe's general case (two thirds of a cold pass's new chunks; the same entries).
            word_entry, describe, table, tails = self._word_entry, self._describe, self._chunks, self._tails
            glued = self._glued_entry
            for chunk in chunks:
                if chunk.isalpha():
                    entry = None if chunk in rules else word_entry(chunk, "")
                else:
                    word, last = chunk[:-1], chunk[-1]
                    if last in _PLAIN_ENDS and word.isalpha():
                        entry = (
                            None
                            if chunk in rules or word in rules or (last == "." and not _splits_stop(word))
                            else word_entry(word, last)
                        )
                    else:  # others, among them a word of letters and digits ("L4")
                        entry = glued(chunk) if ".," in chunk else _UNSEEN
                        if entry is _UNSEEN:
                            pieces = _plain(chunk, rules, tails)
                            entry = None if pieces is None else describe(chunk, pieces)
                if entry is None:
                    rest.append(chunk)
                    continue
                if len(table) >= _CHUNKS_REMEMBERED:
                    table.popitem(last=False)
                learned[chunk] = table[chunk] = entry
        else:
            rest = chunks
        if not rest:
            return learned
        chunks = rest
        joined = "\n".join(chunks)
        tokens = [
            (i, w, w.lower()) for i, w in split_glued([(t.idx, t.text) for t in self.base(joined) if not t.is_space])
        ]
        position = 0
        k = 0
        for chunk in chunks:
            end = position + len(chunk)
            pieces = []
            while k < len(tokens) and tokens[k][0] < end:
                idx, word, low = tokens[k]
                pieces.append((idx - position, word, low))
                k += 1
            learned[chunk] = remember(self._chunks, chunk, self._describe(chunk, tuple(pieces)), _CHUNKS_REMEMBERED)
            position = end + 1
        return learned

    def _word_entry(self, word: str, last: str) -> _Chunk:
        """:meth:`_describe` of a chunk that is a word of letters, with ``last`` (one of ``,;:.``) after it
        when not empty: the tuples are made directly, and those that do not depend on the word are shared."""
        specials = self._specials
        assert specials is not None
        chunk = word + last if last else word
        followers = specials.followers_of(chunk, last or word)
        flexible_start = specials.begins_changing(chunk)
        add = self.vocab.strings.add
        low = word.lower()
        if not last:
            words = (word,)
            low, lowers = (word, words) if low == word else (low, (low,))
            return (words, lowers, _ONE_OFFSET, _ONE_SPACE, (add(word),), followers, flexible_start, low)
        return (
            (word, last), (low, last), (0, len(word)), _TWO_SPACES, (add(word), self._orths[last]), followers, flexible_start,
            None,
        )

    def _glued_entry(self, chunk: str) -> "_Chunk | object | None":
        """:meth:`_describe` of :func:`_plain`'s pieces for a chunk that glues a sentence's last word, its stop and a
        comma to what follows ("fracture.,IMPRESSION:", "normal.,No", "stable.,2."; about two thirds of the glued
        chunks of a cold pass, most seen once): the tokens of what follows the comma are remembered by that text
        (_described_tail), so only the word before the stop is read here. ``_UNSEEN`` for any other chunk (or
        when unsure): the caller asks _plain. The conditions are those under which _plain reaches
        _plain_joined and its first joint is this stop and comma (tests/test_tokenizer_chunks.py compares)."""
        at = chunk.find(".,")
        word, rest = chunk[:at], chunk[at + 2 :]
        last = chunk[-1]
        if (
            not word.isalpha() or not rest[:1].isalnum() or chunk.endswith("..") or last in _PLAIN_CLOSERS
            or (last in _PLAIN_ENDS and chunk[-2] in _PLAIN_CLOSERS) or chunk in self._rule_keys
        ):
            return _UNSEEN
        rules = self._rule_keys
        if word in rules or not _splits_stop(word) or word + "." in rules:
            return None  # _plain_joined's answer: spaCy is asked
        tail = self._described_tail(rest)
        if tail is None:
            return None
        words, lowers, offsets, orths = tail
        specials = self._specials
        assert specials is not None
        words = (word, ".", ",", *words)
        followers = specials.followers_of(chunk, words[-1])
        n = len(words)
        orth_of = self._orths
        return (
            words, (word.lower(), ".", ",", *lowers), (0, at, at + 1, *map((at + 2).__add__, offsets)),
            _SPACES[n] if n < len(_SPACES) else (False,) * (n - 1) + _ONE_SPACE,
            (self.vocab.strings.add(word), orth_of["."], orth_of[","], *orths), followers,
            specials.begins_changing(chunk), None,
        )

    def _described_tail(self, rest: str) -> "tuple[tuple[str, ...], tuple[str, ...], tuple[int, ...], tuple[int, ...]] | None":
        """What follows a glued chunk's first joint as tokens (words, lower forms, offsets, lexeme IDs), remembered
        by its text (the tails memo's pieces, described); None when _plain_joined gives it up."""
        found = self._tail_entries.get(rest, _UNSEEN)
        if found is not _UNSEEN:
            return found  # type: ignore[return-value]
        pieces = _tail_pieces(rest, self._rule_keys, self._tails)
        described = None
        if pieces is not None:
            offsets, words, lowers = zip(*pieces, strict=True)  # type: ignore[misc]
            described = (words, lowers, offsets, tuple(map(self._orths.__getitem__, words)))
        return remember(self._tail_entries, rest, described, _TAILS_REMEMBERED)

    def _describe(self, chunk: str, pieces: tuple[tuple[int, str, str], ...]) -> _Chunk:
        """A chunk's tokens, and how its ends could meet a neighbour's in a special case.

        The special-case pass sees the tokens *before* its own retokenization; they differ from the
        final ones only inside a changing special case, so a chunk that begins or ends with one is
        taken to begin or end with any of the strings it could.
        """
        specials = self._specials
        assert specials is not None
        if not pieces:
            return _EMPTY
        # Whether the chunk holds a changing case anywhere matters only where a special case's tokens meet
        # across a space (rare): _split_chunks asks then. Asked here it was a search at every character.
        followers = specials.followers_of(chunk, pieces[-1][1])
        flexible_start = specials.begins_changing(chunk)
        add = self.vocab.strings.add  # a word's lexeme ID (its lexeme is made by the first Doc that has it)
        if len(pieces) == 1:
            _, word, low = pieces[0]
            words = (word,)  # its lower-case form shares the word's string and tuple when the same (less memory)
            low, lowers = (word, words) if low == word else (low, (low,))
            return (words, lowers, _ONE_OFFSET, _ONE_SPACE, (add(word),), followers, flexible_start, low)
        offsets, words, lowers = zip(*pieces, strict=True)
        n = len(pieces)
        spaces = _SPACES[n] if n < len(_SPACES) else (False,) * (n - 1) + _ONE_SPACE
        # several tokens: most are words and marks seen before ("normal", ".", ",", "IMPRESSION", ":"), their IDs
        # remembered (the string store's add costs about 0.4 us even for a string it holds)
        return (words, lowers, offsets, spaces, tuple(map(self._orths.__getitem__, words)), followers, flexible_start, None)

    def __call__(self, text: str) -> Doc:
        # Split ALL CAPS reports on their lower-cased text so that they get the same tokens as any
        # other ("CANNOT" -> "CAN", "NOT" like "cannot"); token texts still come from `text`. Markup is
        # masked first: its letters ("&nbsp;", "\\par") are not the report's and must not decide its case.
        # The tokens are the working text's (``working_text``: an entity read as its character, a curly quote or
        # a full-width colon as the plain one); it has the input's length, so every offset is one into the input,
        # which the Doc keeps as ``reportnlp_input`` when the two differ.
        given = text
        text = masked = working_text(text)
        folded = masked.lower() if mostly_capitals(masked) else masked
        if len(folded) != len(text):
            folded = masked
        found = self._split_chunks(text, folded) if self._specials is not None else None
        if found is None:
            words, starts, breaks = self._split_whole(text, folded)
            ends = [*starts[1:], len(text)] if starts else []
            spaces = [s + len(w) < e for s, w, e in zip(starts, words, ends, strict=True)]
            lower = orths = None
        else:
            words, starts, breaks, spaces, lower, orths = found
        if lower is None:
            lower_of = self._lower
            lower = []
            for w in words:
                low = lower_of.get(w)
                if low is None:
                    low = remember(lower_of, w, self.vocab[w].lower_, _REMEMBERED)
                lower.append(low)
        doc = self._doc(words, spaces, orths)
        set_doc_value(doc, "reportnlp_text", text)
        set_doc_value(doc, "reportnlp_input", None if given is text else given)
        set_doc_value(doc, "reportnlp_starts", starts)
        set_doc_value(doc, "reportnlp_breaks", breaks)
        set_doc_value(doc, "reportnlp_tokens", TokenTable(text, words, lower, starts))
        return doc

    def _doc(self, words: list[str], spaces: list[bool], orths: list[int] | None) -> Doc:
        """spaCy's Doc of these tokens: from their lexeme IDs when known (Doc's constructor hashes each
        word's text otherwise, about 0.25 us a token, five times the cost of the rest of it); the same Doc."""
        if orths is not None:
            try:
                return Doc(self.vocab, words=orths, spaces=spaces)
            except (KeyError, ValueError):  # a vocab whose strings were reloaded since: remembered IDs are stale
                self._chunks.clear()
                self._orths.clear()
                self._tail_entries.clear()
        return Doc(self.vocab, words=words, spaces=spaces)

    def _split_whole(self, text: str, folded: str) -> tuple[list[str], list[int], list[int]]:
        """spaCy's tokenizer over the whole text, whitespace tokens dropped."""
        words: list[str] = []
        starts: list[int] = []
        breaks: list[int] = []
        prev_end = 0
        for idx, word in split_glued([(t.idx, t.text) for t in self.base(folded) if not t.is_space]):
            words.append(text[idx : idx + len(word)])
            starts.append(idx)
            breaks.append(text.count("\n", prev_end, idx))
            prev_end = idx + len(word)
        return words, starts, breaks

    def _split_chunks(self, text: str, folded: str) -> _Split:
        """(words, starts, breaks, spaces, lower forms, lexeme IDs) from cached per-chunk tokenizations (lower
        forms and IDs are None for ALL CAPS texts).

        A chunk boundary of exactly one space joins the chunks' tokens in spaCy's doc-wide special-case
        pass; where a special case's tokens could meet across it, that stretch is tokenized by spaCy (_respan).
        """
        chunks = self._chunks
        same = folded is text
        words: list[str] = []
        lower: list[str] = []
        starts: list[int] = []
        orths: list[int] = []
        spaces: list[bool] = []
        add_word, add_lower, add_start, add_orth, add_space = (
            words.append, lower.append, starts.append, orths.append, spaces.append
        )
        add_words, add_lowers, add_starts, add_orths, add_spaces = (
            words.extend, lower.extend, starts.extend, orths.extend, spaces.extend
        )
        get = chunks.get
        followers: tuple[str, ...] = ()  # of the chunk before
        before = ""  # the chunk before
        assert self._specials is not None
        holds_changing = self._specials.holds_changing
        joins: list[int] = []  # where a chunk could meet the one before in a special case
        parts = folded.split()  # str.split() splits on str.isspace(), as spaCy does
        positions = chunk_starts(folded, parts)
        # Every chunk looked up at once in compiled code; the new ones (in order, each once) learned in one call.
        entries = list(map(get, parts))
        if None in entries:
            new = list(compress(range(len(parts)), map(is_, entries, repeat(None))))
            learned = self._learn(list(dict.fromkeys(map(parts.__getitem__, new))))
            for k in new:
                entries[k] = learned[parts[k]]
        # Two copies of one loop: most texts are not ALL CAPS, and their loop takes each word from its chunk
        # without asking per chunk; a one-token chunk is looked at before the rare empty one. A chunk is one
        # space after the one before when the character before it is a space and the one before that is not
        # white space (the chunk before ends there); a chunk with no tokens meets no neighbour.
        if same:
            for chunk, entry, c0 in zip(parts, entries, positions, strict=True):
                chunk_words, lowers, offsets, chunk_spaces, chunk_orths, next_followers, flexible_start, single = entry
                if single is not None:  # most chunks: one token, the chunk itself
                    if followers and (flexible_start or chunk in followers) and folded[c0 - 1] == " " and (
                        not folded[c0 - 2].isspace()
                    ):
                        if _joins(chunk, chunk, followers, flexible_start, before, holds_changing):
                            joins.append(c0)
                    add_start(c0)
                    add_word(chunk)
                    add_lower(single)
                    add_orth(chunk_orths[0])
                    add_space(True)
                else:
                    if not chunk_words:
                        followers = ()
                        continue
                    if followers and (flexible_start or chunk_words[0] in followers) and folded[c0 - 1] == " " and (
                        not folded[c0 - 2].isspace()
                    ):
                        if _joins(chunk, chunk_words[0], followers, flexible_start, before, holds_changing):
                            joins.append(c0)
                    add_starts(map(c0.__add__, offsets))
                    add_words(chunk_words)
                    add_lowers(lowers)
                    add_orths(chunk_orths)
                    add_spaces(chunk_spaces)
                followers, before = next_followers, chunk
        else:
            for chunk, entry, c0 in zip(parts, entries, positions, strict=True):
                chunk_words, _, offsets, chunk_spaces, _, next_followers, flexible_start, single = entry
                if not chunk_words:
                    followers = ()
                    continue
                if followers and (flexible_start or chunk_words[0] in followers) and folded[c0 - 1] == " " and (
                    not folded[c0 - 2].isspace()
                ):
                    if _joins(chunk, chunk_words[0], followers, flexible_start, before, holds_changing):
                        joins.append(c0)
                if single is not None:  # one token: the chunk as the text writes it
                    add_start(c0)
                    add_word(text[c0 : c0 + len(chunk)])
                    add_space(True)
                else:
                    add_starts(map(c0.__add__, offsets))
                    add_words([text[c0 + i : c0 + i + len(w)] for i, w in zip(offsets, chunk_words, strict=True)])
                    add_spaces(chunk_spaces)
                followers, before = next_followers, chunk
        last = len(parts) - 1  # the last chunk with tokens: white space follows its last token if the text goes on
        while last >= 0 and not entries[last][0]:
            last -= 1
        prev_end = positions[last] + len(parts[last]) if last >= 0 else 0
        # Tokens hold no white space and cover their chunk, so white space follows a chunk's last token (the
        # text's last one only if the text goes on); a line break lies in exactly one gap: the line breaks
        # before each token are counted from the offsets.
        if joins:
            words, starts, spaces, lower, orths = self._respan(
                text, folded, parts, positions, entries, joins, words, starts, spaces, lower, orths
            )
        if spaces:
            spaces[-1] = prev_end < len(text)
        breaks = [0] * len(starts)
        at = text.find("\n")
        while at >= 0:
            k = bisect_right(starts, at)
            if k == len(starts):
                break
            breaks[k] += 1
            at = text.find("\n", at + 1)
        return words, starts, breaks, spaces, lower if same else None, orths if same else None

    def _respan(
        self, text: str, folded: str, parts: list[str], positions: list[int], entries: list[_Chunk], joins: list[int],
        words: list[str], starts: list[int], spaces: list[bool], lower: list[str], orths: list[int],
    ) -> tuple[list[str], list[int], list[bool], list[str], list[int]]:
        """The token lists with the chunks around each join (a chunk at one of ``joins`` that could meet the one
        before it in a special case) tokenized by spaCy instead, all in one call: the two chunks, and beside them
        every chunk one space away whose tokens could meet theirs in a special case, and so on.

        spaCy's special-case pass matches over tokens and keeps a match unless a match over its first or last
        token came first; no match spans other white space (a token of its own) or a space between tokens that
        follow each other in no special case, so the chunks inside such bounds get the tokens they get inside the
        whole text, and the rest keeps its chunks' tokens (session 23: a line of thousands of characters with one
        "Chest: 1." in it went whole to spaCy, about 10,000 instructions a character).
        """
        def meets(k: int) -> bool:  # whether chunk k's tokens could meet chunk k - 1's across one space
            followers, chunk_words, flexible_start = entries[k - 1][5], entries[k][0], entries[k][6]
            if not followers or not chunk_words or positions[k] != positions[k - 1] + len(parts[k - 1]) + 1:
                return False
            return folded[positions[k] - 1] == " " and (
                parts[k].startswith(followers) if flexible_start else chunk_words[0] in followers
            )

        stretches: list[tuple[int, int]] = []
        last = -1  # the last chunk taken
        for at in joins:
            k = bisect_left(positions, at)
            if k <= last:
                continue  # taken with the join before
            first = k - 1
            while first > 0 and meets(first):
                first -= 1
            last = k
            while last + 1 < len(parts) and meets(last + 1):
                last += 1
            stretches.append((positions[first], positions[last] + len(parts[last])))
        same = folded is text
        base_tokens = split_glued(
            [(t.idx, t.text) for t in self.base("\n".join(folded[a:b] for a, b in stretches)) if not t.is_space]
        )
        add = self.vocab.strings.add
        new_words: list[str] = []
        new_starts: list[int] = []
        new_spaces: list[bool] = []
        new_lower: list[str] = []
        new_orths: list[int] = []
        done = 0  # tokens of the old lists taken
        position = 0  # where the stretch starts in spaCy's text
        k = 0
        for a, b in stretches:
            head, tail = bisect_left(starts, a), bisect_left(starts, b)
            new_words += words[done:head]
            new_starts += starts[done:head]
            new_spaces += spaces[done:head]
            if same:
                new_lower += lower[done:head]
                new_orths += orths[done:head]
            done = tail
            end = position + b - a
            while k < len(base_tokens) and base_tokens[k][0] < end:
                idx, word = base_tokens[k]
                start = a + idx - position
                new_starts.append(start)
                new_words.append(text[start : start + len(word)])
                # white space follows a token where the next one does not start at its end, and after the stretch
                new_spaces.append(k + 1 == len(base_tokens) or base_tokens[k + 1][0] != idx + len(word))
                if same:
                    new_lower.append(word.lower())
                    new_orths.append(add(word))
                k += 1
            position = end + 1
        new_words += words[done:]
        new_starts += starts[done:]
        new_spaces += spaces[done:]
        if same:
            new_lower += lower[done:]
            new_orths += orths[done:]
        return new_words, new_starts, new_spaces, new_lower, new_orths

    # spaCy serializes the tokenizer with the pipeline; ours has no state beyond the base rules.
    def __reduce__(self) -> tuple[object, ...]:
        """Pickled as its vocab and spaCy's tokenizer under it: the memo of chunks (up to 80,000) starts empty."""
        return ReportTokenizer, (self.vocab, self.base)

    def to_bytes(self, **kwargs: object) -> bytes:
        return self.base.to_bytes(**kwargs)  # type: ignore[attr-defined]

    def from_bytes(self, data: bytes, **kwargs: object) -> "ReportTokenizer":
        self.base.from_bytes(data, **kwargs)  # type: ignore[attr-defined]
        self._reset()
        return self

    def to_disk(self, path: str, **kwargs: object) -> None:
        self.base.to_disk(path, **kwargs)  # type: ignore[attr-defined]

    def from_disk(self, path: str, **kwargs: object) -> "ReportTokenizer":
        self.base.from_disk(path, **kwargs)  # type: ignore[attr-defined]
        self._reset()
        return self


class SuffixSearch:
    """``pattern.search`` of a suffix regex that spaCy's ``compile_suffix_regex`` made of ``entries`` (each entry
    followed by ``$``), asked only where a match can start: the same match object.

    ``re`` tries the whole alternation (83 entries for English, most behind a lookbehind) at every position
    of the string, though an entry of at most ``w`` characters can only match in its last ``w``. When no entry
    without such a bound can match anywhere (for English, ``\\.\\.+``: the string does not end in two stops),
    the search starts ``w`` characters from the end, and lookbehinds still see the characters before that start
    (``pos`` is not slicing); otherwise, and for a string with a line break (``$`` also matches before a final
    one), the whole string is searched. spaCy reads the regex back through ``__self__`` (serialisation), as
    :func:`_analysis_key` and :func:`_english_affixes` do. tests/test_tokenizer_suffix.py compares it with the
    plain search on arbitrary strings.
    """

    __slots__ = ("__self__", "_entries", "_search", "_unbounded", "_width")
    __name__ = "search"

    def __init__(self, pattern: re.Pattern[str], entries: list[str], bounds: "_Bounds") -> None:
        self.__self__ = pattern
        self._entries = entries
        self._search = pattern.search
        self._width, unbounded = bounds
        self._unbounded = re.compile("|".join(entries[i] + "$" for i in unbounded)).search if unbounded else None

    def __call__(self, string: str) -> re.Match[str] | None:
        unbounded = self._unbounded
        if (unbounded is not None and unbounded(string) is not None) or "\n" in string:
            return self._search(string)
        return self._search(string, len(string) - self._width if len(string) > self._width else 0)

    def __reduce__(self) -> tuple[object, ...]:
        return (suffix_search_of, (self._entries,))


def suffix_search_of(suffixes: list[str] | None) -> Callable[[str], re.Match[str] | None] | None:
    """spaCy's suffix search of these entries (``compile_suffix_regex(suffixes).search``), as a SuffixSearch
    when every entry is one it can bound (no anchor but the final ``$``)."""
    if not suffixes:
        return None
    from spacy.util import compile_suffix_regex

    entries = list(suffixes)
    pattern = compile_suffix_regex(entries)
    bounds = _suffix_bounds(entries)
    return pattern.search if bounds is None else SuffixSearch(pattern, entries, bounds)


_Bounds = tuple[int, list[int]]  # the widest bounded suffix entry's width; the unbounded entries' indices
# Parsing English's 83 entries costs about 3.5 ms (three are classes of thousands of characters): the answer
# is remembered by the entries' SHA-256, in this process and in the cache folder, as the special cases' is.
_BOUNDS: dict[str, _Bounds | None] = {}
_UNKNOWN = object()


def _suffix_bounds(entries: list[str]) -> _Bounds | None:
    """:func:`_parse_bounds`, remembered."""
    key = hashlib.sha256(json.dumps([sys.version, entries], ensure_ascii=False).encode("utf-8", "surrogatepass"))
    digest = key.hexdigest()
    if digest in _BOUNDS:
        return _BOUNDS[digest]
    folder = cache_folder()
    path = folder / f"tokenizer-suffixes-{digest}.json" if folder is not None else None
    found = _read_bounds(path, digest, len(entries)) if path is not None else _UNKNOWN
    if found is _UNKNOWN:
        found = _parse_bounds(entries)
        if path is not None:
            _write_json(path, json.dumps({"key": digest, "bounds": found}))
    _BOUNDS[digest] = found  # type: ignore[assignment]
    return found  # type: ignore[return-value]


def _read_bounds(path: Path, key: str, count: int) -> object:
    """The remembered bounds (None: an anchored entry), or _UNKNOWN."""
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return _UNKNOWN
    if not isinstance(data, dict) or data.get("key") != key or "bounds" not in data:
        return _UNKNOWN
    bounds = data["bounds"]
    if bounds is None:
        return None
    if isinstance(bounds, list) and len(bounds) == 2 and type(bounds[0]) is int and isinstance(bounds[1], list):
        if all(type(i) is int and 0 <= i < count for i in bounds[1]):
            return bounds[0], bounds[1]
    return _UNKNOWN


def _parse_bounds(entries: list[str]) -> _Bounds | None:
    """The widest match of an entry that has a bound, and the entries with none; None when an entry holds an
    anchor (``^``, ``\\A``, ``\\b``...: a search from ``pos`` is not the same for those) or ``re`` cannot parse it."""
    try:
        parsed = [_parser.parse(entry) for entry in entries]
        if not all(map(_only_end_anchor, parsed)):
            return None
        widths = [p.getwidth()[1] for p in parsed]
    except (re.error, TypeError, ValueError, AttributeError, OverflowError):  # another re's internals
        return None
    bounded = [w for w in widths if w < _parser.MAXREPEAT]
    return max(bounded, default=0), [i for i, w in enumerate(widths) if w >= _parser.MAXREPEAT]


def _only_end_anchor(parsed: object) -> bool:
    """Whether a parsed entry has no anchor at any depth: ``pos`` changes only what those see."""
    for op, av in parsed:  # type: ignore[attr-defined]
        if op is _constants.AT:
            return False
        for item in av if isinstance(av, list | tuple) else ():
            if isinstance(item, _parser.SubPattern) and not _only_end_anchor(item):
                return False
            if isinstance(item, list | tuple) and not all(
                _only_end_anchor(x) for x in item if isinstance(x, _parser.SubPattern)
            ):
                return False
    return True


TOKENIZER = "reportnlp.ReportTokenizer.v1"  # its name in spaCy's registry (and entry point spacy_tokenizers)


@spacy.registry.tokenizers(TOKENIZER)
def create_report_tokenizer() -> Callable[[spacy.language.Language], ReportTokenizer]:
    """For config files: ``[nlp.tokenizer] @tokenizers = "reportnlp.ReportTokenizer.v1"``."""

    def make(nlp: spacy.language.Language) -> ReportTokenizer:
        return ReportTokenizer(nlp.vocab, base_tokenizer(nlp))

    return make


def base_tokenizer(nlp: spacy.language.Language) -> Tokenizer:
    """spaCy's own tokenizer for this language and vocab, as its ``spacy.Tokenizer.v1`` makes it (the rules from
    ``nlp.Defaults``), with the suffix search as a :class:`SuffixSearch` (session 18: the same matches; spaCy
    asks it about 3 times per chunk it splits, and for each of English's 1,347 special cases as it loads them)."""
    from spacy.util import compile_infix_regex, compile_prefix_regex

    defaults = nlp.Defaults
    prefixes, infixes = defaults.prefixes, defaults.infixes
    return Tokenizer(
        nlp.vocab,
        rules=defaults.tokenizer_exceptions,
        prefix_search=compile_prefix_regex(prefixes).search if prefixes else None,
        suffix_search=suffix_search_of(defaults.suffixes),
        infix_finditer=compile_infix_regex(infixes).finditer if infixes else None,
        token_match=defaults.token_match,
        url_match=defaults.url_match,
    )


def source_text(doc: Doc) -> str:
    """The text the components read, of the input's length (Doc.text has whitespace folded): the input itself
    unless ``working_text`` read an export's characters in it."""
    text = doc_value(doc, "reportnlp_text")
    return text if text is not None else doc.text


def input_text(doc: Doc) -> str:
    """The text exactly as given, which every offset indexes."""
    text = doc_value(doc, "reportnlp_input")
    return text if text is not None else source_text(doc)


def token_start(doc: Doc, i: int) -> int:
    starts = doc_value(doc, "reportnlp_starts")
    return starts[i] if starts is not None else doc[i].idx


def offsets(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Original-text offsets of tokens [start, end)."""
    if end <= start:
        pos = token_start(doc, start) if start < len(doc) else len(source_text(doc))
        return pos, pos
    return token_start(doc, start), token_start(doc, end - 1) + len(doc[end - 1].text)


def span_offsets(span: Span) -> tuple[int, int]:
    return offsets(span.doc, span.start, span.end)


def token_at_or_after(doc: Doc, char: int) -> int:
    starts = doc_value(doc, "reportnlp_starts") or [t.idx for t in doc]
    return bisect_left(starts, char)


def tokens_within(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Token range [i, j) of the tokens that start inside original chars [start, end)."""
    starts = doc_value(doc, "reportnlp_starts") or [t.idx for t in doc]
    return bisect_left(starts, start), bisect_right(starts, end - 1)
