"""Tokenize with spaCy's English rules, then fold away whitespace tokens.

Reports wrap sentences over lines ("facet\\narthropathy", "no evidence\\r\\nof"), and spaCy
turns every newline into a token of its own, which breaks phrase matching across the wrap.
This tokenizer keeps spaCy's tokens but drops the whitespace ones, and remembers for every
token where it starts in the text exactly as given and how many line breaks precede it, so
sections, sentences and records still speak in offsets of the original text.
"""

from bisect import bisect_left, bisect_right
from collections.abc import Callable

import spacy
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

for _name in ("reportnlp_text", "reportnlp_starts", "reportnlp_breaks"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


def _mostly_capitals(text: str) -> bool:
    upper = sum(c.isupper() for c in text)
    return upper > 2 * sum(c.islower() for c in text)


class ReportTokenizer:
    def __init__(self, vocab: Vocab, base: Callable[[str], Doc]) -> None:
        self.vocab = vocab
        self.base = base

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        starts: list[int] = []
        breaks: list[int] = []
        prev_end = 0
        # Split ALL CAPS reports on their lower-cased text so that they get the same tokens as any
        # other ("CANNOT" -> "CAN", "NOT" like "cannot"); token texts still come from `text`.
        folded = text.lower() if _mostly_capitals(text) else text
        if len(folded) != len(text):
            folded = text
        for tok in self.base(folded):
            if tok.is_space:
                continue
            words.append(text[tok.idx : tok.idx + len(tok.text)])
            starts.append(tok.idx)
            breaks.append(text.count("\n", prev_end, tok.idx))
            prev_end = tok.idx + len(tok.text)
        ends = [*starts[1:], len(text)]
        spaces = [s + len(w) < e for s, w, e in zip(starts, words, ends, strict=True)]
        doc = Doc(self.vocab, words=words, spaces=spaces)
        doc._.reportnlp_text = text
        doc._.reportnlp_starts = starts
        doc._.reportnlp_breaks = breaks
        return doc

    # spaCy serializes the tokenizer with the pipeline; ours has no state beyond the base rules.
    def to_bytes(self, **kwargs: object) -> bytes:
        return self.base.to_bytes(**kwargs)  # type: ignore[attr-defined]

    def from_bytes(self, data: bytes, **kwargs: object) -> "ReportTokenizer":
        self.base.from_bytes(data, **kwargs)  # type: ignore[attr-defined]
        return self

    def to_disk(self, path: str, **kwargs: object) -> None:
        self.base.to_disk(path, **kwargs)  # type: ignore[attr-defined]

    def from_disk(self, path: str, **kwargs: object) -> "ReportTokenizer":
        self.base.from_disk(path, **kwargs)  # type: ignore[attr-defined]
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
