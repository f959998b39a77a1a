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
space separates) is detected and sends that text through spaCy's tokenizer whole.
"""

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable

import spacy
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from reportnlp.components.tables import TokenTable

for _name in ("reportnlp_text", "reportnlp_starts", "reportnlp_breaks"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)

_CHUNK = re.compile(r"\S+")  # re's \s is str.isspace(), the test spaCy splits on
_CACHE_LIMIT = 100_000  # chunks (and words) remembered before the caches start afresh


def _mostly_capitals(text: str) -> bool:
    upper = sum(c.isupper() for c in text)
    return upper > 2 * sum(c.islower() for c in text)


def _cross_chunk_pairs(base: Callable[[str], Doc]) -> tuple[set[tuple[str, str]], set[str]] | None:
    """Adjacent token pairs of the special cases, and the special-case strings; None if unknown.

    After tokenizing each chunk, spaCy's ``_apply_special_cases`` matches every special case's affix
    tokenization (e.g. "''" as ' + ') over the tokens of the whole doc and retokenizes the matches. A
    match across a single space never retokenizes (its text holds the space) but can keep an
    overlapping one from applying, so such texts must be tokenized whole.
    """
    if not isinstance(base, Tokenizer):
        return None
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
    pairs: set[tuple[str, str]] = set()
    specials = set(base.rules)
    for special in specials:
        words = [t.text for t in bare(special)]
        if len(words) > 1 and any(c.isspace() for c in special):
            return None  # a multi-token special case holding whitespace: no safe chunking
        pairs.update(zip(words, words[1:], strict=False))
    return pairs, {s for s in specials if not s.isspace()}


class ReportTokenizer:
    def __init__(self, vocab: Vocab, base: Callable[[str], Doc]) -> None:
        self.vocab = vocab
        self.base = base
        self._reset()

    def _reset(self) -> None:
        self._chunks: dict[str, tuple[tuple[tuple[int, str], ...], tuple[str, ...], bool]] = {}
        self._lower: dict[str, str] = {}
        found = _cross_chunk_pairs(self.base)
        self._chunking = found is not None
        pairs, self._specials = found or (set(), set())
        self._followers: dict[str, set[str]] = {}
        for first, second in pairs:
            self._followers.setdefault(first, set()).add(second)

    def _chunk(self, chunk: str) -> tuple[tuple[tuple[int, str], ...], tuple[str, ...], bool]:
        """A chunk's tokens as (offset, text); what a next chunk must start with to meet its end in a
        special case; whether its own start may have been retokenized by a special case.

        spaCy matches special cases over the tokens *before* that retokenization; they equal the final
        ones except inside a special-case string, so where the chunk begins or ends with one, every
        token the string allows is considered.
        """
        pieces = tuple((t.idx, t.text) for t in self.base(chunk))
        if not pieces:
            return pieces, (), False
        if any(chunk.endswith(s) for s in self._specials):
            followers = {x for y, xs in self._followers.items() if chunk.endswith(y) for x in xs}
        else:
            followers = self._followers.get(pieces[-1][1], set())
        flexible_start = any(chunk.startswith(s) for s in self._specials)
        return pieces, tuple(sorted(followers)), flexible_start

    def __call__(self, text: str) -> Doc:
        # Split ALL CAPS reports on their lower-cased text so that they get the same tokens as any
        # other ("CANNOT" -> "CAN", "NOT" like "cannot"); token texts still come from `text`.
        folded = text.lower() if _mostly_capitals(text) else text
        if len(folded) != len(text):
            folded = text
        found = self._split_chunks(text, folded) if self._chunking else None
        words, starts, breaks = found if found is not None else self._split_whole(text, folded)
        ends = [*starts[1:], len(text)] if starts else []
        spaces = [s + len(w) < e for s, w, e in zip(starts, words, ends, strict=True)]
        doc = Doc(self.vocab, words=words, spaces=spaces)
        lower_of = self._lower
        if len(lower_of) > _CACHE_LIMIT:
            lower_of.clear()
        lower = []
        for w in words:
            low = lower_of.get(w)
            if low is None:
                low = lower_of[w] = self.vocab[w].lower_
            lower.append(low)
        doc._.reportnlp_text = text
        doc._.reportnlp_starts = starts
        doc._.reportnlp_breaks = breaks
        doc._.reportnlp_tokens = TokenTable(text, words, lower, starts)
        return doc

    def _split_whole(self, text: str, folded: str) -> tuple[list[str], list[int], list[int]]:
        """spaCy's tokenizer over the whole text, whitespace tokens dropped."""
        words: list[str] = []
        starts: list[int] = []
        breaks: list[int] = []
        prev_end = 0
        for tok in self.base(folded):
            if tok.is_space:
                continue
            words.append(text[tok.idx : tok.idx + len(tok.text)])
            starts.append(tok.idx)
            breaks.append(text.count("\n", prev_end, tok.idx))
            prev_end = tok.idx + len(tok.text)
        return words, starts, breaks

    def _split_chunks(self, text: str, folded: str) -> tuple[list[str], list[int], list[int]] | None:
        """The same tokens, from cached per-chunk tokenizations; None when a special case may cross chunks.

        A chunk boundary of exactly one space joins the chunks' tokens in spaCy's doc-wide special-case
        pass; where a special case's tokens could meet across it, the caller tokenizes the text whole.
        """
        chunks = self._chunks
        if len(chunks) > _CACHE_LIMIT:
            chunks.clear()
        same = folded is text
        words: list[str] = []
        starts: list[int] = []
        breaks: list[int] = []
        prev_end = 0
        followers: tuple[str, ...] = ()
        for m in _CHUNK.finditer(folded):
            c0, c1 = m.span()
            chunk = m.group()
            entry = chunks.get(chunk)
            if entry is None:
                entry = chunks[chunk] = self._chunk(chunk)
            pieces, next_followers, flexible_start = entry
            if not pieces:
                continue
            if followers and c0 == prev_end + 1 and folded[prev_end] == " ":
                if chunk.startswith(followers) if flexible_start else pieces[0][1] in followers:
                    return None
            breaks.append(text.count("\n", prev_end, c0))
            breaks.extend([0] * (len(pieces) - 1))
            for off, word in pieces:
                starts.append(c0 + off)
                words.append(word if same else text[c0 + off : c0 + off + len(word)])
            prev_end = c1
            followers = next_followers
        return words, starts, breaks

    # spaCy serializes the tokenizer with the pipeline; ours has no state beyond the base rules.
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


@spacy.registry.tokenizers("reportnlp.ReportTokenizer.v1")
def create_report_tokenizer() -> Callable[[spacy.language.Language], ReportTokenizer]:
    """For config files: ``[nlp.tokenizer] @tokenizers = "reportnlp.ReportTokenizer.v1"``."""

    def make(nlp: spacy.language.Language) -> ReportTokenizer:
        return ReportTokenizer(nlp.vocab, spacy.blank(nlp.lang).tokenizer)

    return make


def source_text(doc: Doc) -> str:
    """The text exactly as given (Doc.text has whitespace folded)."""
    return doc._.reportnlp_text if doc._.reportnlp_text is not None else doc.text


def token_start(doc: Doc, i: int) -> int:
    starts = doc._.reportnlp_starts
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
    starts = doc._.reportnlp_starts or [t.idx for t in doc]
    return bisect_left(starts, char)


def tokens_within(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Token range [i, j) of the tokens that start inside original chars [start, end)."""
    starts = doc._.reportnlp_starts or [t.idx for t in doc]
    return bisect_left(starts, start), bisect_right(starts, end - 1)
