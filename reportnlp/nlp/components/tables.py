"""Plain per-doc lookup tables of tokens and sentences, so components need not walk spaCy objects.

Creating a spaCy Token or Span costs a Python object per access; the components look tokens and
sentences up thousands of times per report. These tables hold the same facts as plain lists,
built once per Doc and cached on it. Sentences follow spaCy's own ``Span.sent`` rule exactly.
"""

from bisect import bisect_left, bisect_right

import numpy
from spacy.attrs import SENT_START
from spacy.tokens import Doc, SpanGroup

from reportnlp.nlp.components.docdata import doc_value, set_doc_value

for _name in ("reportnlp_tokens", "reportnlp_sentence_table", "reportnlp_span_rows"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


class TokenTable:
    """Token texts, lower-case forms and start offsets in the text exactly as given."""

    __slots__ = ("lower", "starts", "text", "words")

    def __init__(self, text: str, words: list[str], lower: list[str], starts: list[int]) -> None:
        self.text = text
        self.words = words
        self.lower = lower
        self.starts = starts

    def offsets(self, start: int, end: int) -> tuple[int, int]:
        """Original-text offsets of tokens [start, end)."""
        if end <= start:
            pos = self.starts[start] if start < len(self.starts) else len(self.text)
            return pos, pos
        return self.starts[start], self.starts[end - 1] + len(self.words[end - 1])

    def doc_text(self, start: int, end: int) -> str:
        """``doc[start:end].text`` without making the Span: the tokens' words with one space wherever the
        text has a gap between two (the Doc's ``spaces``: ReportTokenizer's Doc writes any gap as one space,
        another tokenizer's Doc text has exactly that one space). About 0.3 us against 2-3 us."""
        if end - start <= 1:
            return self.words[start] if end > start else ""
        words, starts = self.words, self.starts
        parts = []
        for i in range(start, end - 1):
            parts.append(words[i])
            if starts[i] + len(words[i]) < starts[i + 1]:
                parts.append(" ")
        parts.append(words[end - 1])
        return "".join(parts)


def token_table(doc: Doc) -> TokenTable:
    """The doc's TokenTable: set by ReportTokenizer, or built here for a Doc from any other tokenizer."""
    table = doc_value(doc, "reportnlp_tokens")
    if table is None or len(table.words) != len(doc):
        starts = doc_value(doc, "reportnlp_starts")
        text = doc_value(doc, "reportnlp_text")
        table = TokenTable(
            text if text is not None else doc.text,
            [t.text for t in doc],
            [t.lower_ for t in doc],
            list(starts) if starts is not None else [t.idx for t in doc],
        )
        set_doc_value(doc, "reportnlp_tokens", table)
    return table


class SentenceTable:
    """Sentence starts of a Doc, answering ``token.sent`` / ``span.sent`` as spaCy 3.7 does.

    spaCy's ``Span.sent`` walks back from the span's first token to a token with ``sent_start == 1``
    (or to token 0), and forward from the token after it to the next one (or the doc end). A span
    crossing a boundary gets its first sentence.
    """

    __slots__ = ("_of", "n", "starts")

    def __init__(self, starts: list[int], n: int) -> None:
        self.starts = starts
        self.n = n
        self._of: dict[int, tuple[int, int]] = {}

    def sent(self, i: int) -> tuple[int, int]:
        """(start, end) token bounds of the sentence of token i (also of any span starting at i)."""
        found = self._of.get(i)
        if found is None:
            starts = self.starts
            k = bisect_right(starts, i)
            lo = starts[k - 1] if k else 0
            k = bisect_left(starts, i + 1)
            found = self._of[i] = (lo, starts[k] if k < len(starts) else self.n)
        return found

    def previous(self, start: int) -> tuple[int, int]:
        """The sentence of the token before ``start``."""
        return self.sent(start - 1)


def sentence_table(doc: Doc) -> SentenceTable:
    """The doc's SentenceTable, read from its SENT_START annotation (set by any sentencizer)."""
    table = doc_value(doc, "reportnlp_sentence_table")
    if table is None or table.n != len(doc):
        if not doc.has_annotation("SENT_START"):
            raise ValueError("sentence boundaries are not set: add a sentencizer before this component")
        flags = doc.to_array(SENT_START)
        table = SentenceTable(numpy.flatnonzero(flags == 1).tolist(), len(doc))
        set_doc_value(doc, "reportnlp_sentence_table", table)
    return table


# SENT_START's "not a start" (-1 as spaCy's uint64 array holds it) and its dtype, made once: building the
# scalar and parsing the dtype name cost about 0.5 us of every report's sentence marks.
_UINT64 = numpy.dtype("uint64")
_NOT_START = numpy.uint64(2**64 - 1)


def set_sentence_starts(doc: Doc, starts: list[int]) -> None:
    """Mark exactly these tokens as sentence starts (all others as not), as ``token.is_sent_start`` would."""
    # empty + fill + put: the same array as full + fancy indexing, without numpy.full's Python layer and the
    # index array made from the list (about 3 us less per report)
    flags = numpy.empty(len(doc), dtype=_UINT64)
    flags.fill(_NOT_START)
    flags.put(starts, 1)
    doc.from_array([SENT_START], flags)
    set_sentence_table(doc, starts)


def set_sentence_table(doc: Doc, starts: list[int]) -> None:
    """The doc's SentenceTable with these starts, without spaCy's SENT_START marks (the Extractor's own Doc:
    sentences.py ``spacy_starts``): what every reportnlp component reads."""
    set_doc_value(doc, "reportnlp_sentence_table", SentenceTable(sorted(starts), len(doc)))


SpanRow = tuple[int, int, int, str]  # (start token, end token, label hash, label)


def span_rows(doc: Doc, name: str) -> list[SpanRow] | None:
    """(start, end, label hash, label) of each span of the group ``doc.spans[name]``, in the group's order;
    None without that group, unless the rows were set without one (``set_span_rows`` with ``group`` None: the
    Extractor's own Doc, whose mentions are made no Span objects).

    Iterating a SpanGroup makes a Span object per item and each ``label_`` is a StringStore lookup (about
    1.2 us per span and pass); ConText, locations and the record each passed over the mentions. The rows
    are read once per doc and remembered with the group they were read from (the mention matcher gives
    them as it makes the group: ``set_span_rows``); a group set anew, grown or shrunk is read again. (A
    span replaced in place, ``group[i] = span``, between two of our components is not noticed.)"""
    group = doc.spans.get(name)
    known = doc_value(doc, "reportnlp_span_rows")
    found = None if known is None else known.get(name)
    if group is None:
        return found[1] if found is not None and found[0] is None else None
    if found is not None and found[0] is group and len(found[1]) == len(group):
        return found[1]
    rows = [(s.start, s.end, s.label, s.label_) for s in group]
    set_span_rows(doc, name, group, rows)
    return rows


def set_span_rows(doc: Doc, name: str, group: SpanGroup | None, rows: list[SpanRow]) -> None:
    """Remember ``rows`` as ``span_rows(doc, name)`` while ``doc.spans[name]`` is ``group`` (None: while there is
    no such group)."""
    known = doc_value(doc, "reportnlp_span_rows")
    if known is None:
        known = {}
        set_doc_value(doc, "reportnlp_span_rows", known)
    known[name] = (group, rows)
