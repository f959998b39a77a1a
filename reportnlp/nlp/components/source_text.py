"""The pipeline's last step: the Doc a spaCy user expects, whose text is the input exactly.

The components work on the tokenizer's folded view (whitespace tokens dropped, so phrases match
across wrapped lines and ConText scopes count words, as medspaCy's do on the same Doc). This step
returns a new Doc with the same tokens plus spaCy's whitespace tokens for every gap that is not one
space (a token's ``whitespace_`` holds one trailing space; the rest of a gap, and leading
whitespace, is a token of its own, as spaCy's tokenizer makes them), so ``doc.text`` is the input
and every ``start_char`` / ``end_char`` indexes it. Sentences, entities, span groups, the
per-mention table and stored extension values move with their tokens (a whitespace token joins the
sentence before it). Batch extraction reads the record's fields off the folded Doc and disables this
step.
"""

from typing import Any

import numpy
from spacy.attrs import LEMMA, MORPH, POS, SENT_START, TAG
from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup

from reportnlp.nlp.components.annotations import MENTION_INFO, MentionTable

SOURCE_TEXT = "reportnlp_source_text"
_PER_TOKEN = (TAG, POS, MORPH, LEMMA)  # annotations that belong to one token (no links to others)
_NOT_START = numpy.uint64(2**64 - 1)  # SENT_START -1: not a sentence start
# The folded view's own tables: meaningless on the exact Doc, whose offsets are its own.
_WORKING_ONLY = frozenset(
    ("reportnlp_text", "reportnlp_input", "reportnlp_starts", "reportnlp_breaks", "reportnlp_tokens", "reportnlp_sentence_table",
     MENTION_INFO, "reportnlp_span_rows")
)


def layout(text: str, words: list[str], starts: list[int]) -> tuple[list[str], list[bool], list[int]]:
    """Words and spaces of the exact Doc for tokens ``words`` at ``starts`` of ``text``, and each
    token's index in it; the gaps become whitespace tokens as spaCy's tokenizer makes them."""
    out: list[str] = []
    spaces: list[bool] = []
    where: list[int] = []
    n = len(words)
    first = starts[0] if n else len(text)
    if first:
        out.append(text[:first])
        spaces.append(False)
    for i in range(n):
        where.append(len(out))
        word = words[i]
        out.append(word)
        end = starts[i] + len(word)
        gap_end = starts[i + 1] if i + 1 < n else len(text)
        if gap_end == end:
            spaces.append(False)
            continue
        space = text[end] == " "
        spaces.append(space)
        if space:
            end += 1
        if end < gap_end:
            out.append(text[end:gap_end])
            spaces.append(False)
    return out, spaces, where


class SourceText:
    """Folded Doc in, exact Doc out. A Doc not from ReportTokenizer, or one whose tokens a component
    before this one merged or split (the kept offsets no longer fit), is returned as it is."""

    def __call__(self, doc: Doc) -> Doc:
        text, starts = doc._.reportnlp_text, doc._.reportnlp_starts
        if text is None or starts is None or len(starts) != len(doc):
            return doc
        table = doc._.reportnlp_tokens
        words = table.words if table is not None and len(table.words) == len(doc) else [t.text for t in doc]
        given = doc._.reportnlp_input
        if given is not None:  # the tokens are the working text's: the exact Doc's are the input's same stretches
            text = given
            words = [given[s : s + len(w)] for s, w in zip(starts, words, strict=True)]
        out_words, spaces, where = layout(text, words, starts)
        exact = Doc(doc.vocab, words=out_words, spaces=spaces)
        _Remap(doc, exact, words, where).carry()
        return exact


class _Remap:
    """Carries what the pipeline put on the folded Doc over to the exact one."""

    def __init__(self, doc: Doc, exact: Doc, words: list[str], where: list[int]) -> None:
        self.doc, self.exact, self.words, self.where = doc, exact, words, where
        self._chars: tuple[dict[int, int], dict[int, int]] | None = None

    def tokens(self, start: int, end: int) -> tuple[int, int]:
        """Exact-Doc token bounds of folded tokens [start, end)."""
        where = self.where
        if end > start:
            return where[start], where[end - 1] + 1
        pos = where[start] if start < len(where) else len(self.exact)
        return pos, pos

    def span(self, span: Span) -> Span:
        start, end = self.tokens(span.start, span.end)
        return Span(self.exact, start, end, label=span.label, kb_id=span.kb_id, span_id=span.id)

    def carry(self) -> None:
        doc, exact = self.doc, self.exact
        if self._annotations():
            exact.set_ents([self.span(e) for e in doc.ents], default="outside")
        for name, group in doc.spans.items():
            exact.spans[name] = SpanGroup(exact, name=name, attrs=dict(group.attrs), spans=[self.span(s) for s in group])
        info = doc.user_data.get(("._.", MENTION_INFO, None, None))
        if info:
            exact.user_data[("._.", MENTION_INFO, None, None)] = MentionTable({
                (*self.tokens(start, end), label): value for (start, end, label), value in info.items()
            })
        self._user_data()
        exact.cats = dict(doc.cats)
        exact.user_hooks.update(doc.user_hooks)
        exact.user_token_hooks.update(doc.user_token_hooks)
        exact.user_span_hooks.update(doc.user_span_hooks)

    def _annotations(self) -> bool:
        """Copy sentence starts and per-token annotations; whether the Doc has entity annotation.

        A whitespace token continues the sentence before it (one that opens the text opens the first
        sentence).
        """
        doc, exact, where = self.doc, self.exact, self.where
        if not len(doc):
            return False
        attrs = [a for a in _PER_TOKEN if doc.has_annotation(a)]
        if doc.has_annotation("SENT_START"):
            attrs.append(SENT_START)
        if attrs:
            array = numpy.zeros((len(exact), len(attrs)), dtype="uint64")
            array[where] = doc.to_array(attrs).reshape(len(doc), len(attrs))
            if attrs[-1] == SENT_START:
                column = array[:, -1]
                spaces = numpy.ones(len(exact), dtype=bool)
                spaces[where] = False
                column[spaces] = _NOT_START
                column[0] = 1
                if where[0]:
                    column[where[0]] = _NOT_START
            exact.from_array(attrs, array)
        return doc.has_annotation("ENT_IOB")

    def _char_maps(self) -> tuple[dict[int, int], dict[int, int]]:
        """Folded-Doc char offset -> exact-Doc char offset, of token starts and of token ends."""
        if self._chars is None:
            folded, exact = self.doc, self.exact
            starts = {t.idx: exact[j].idx for t, j in zip(folded, self.where, strict=True)}
            ends = {t.idx + len(t): exact[j].idx + len(exact[j]) for t, j in zip(folded, self.where, strict=True)}
            self._chars = starts, ends
        return self._chars

    def _user_data(self) -> None:
        """Extension values spaCy stores by the folded Doc's char offsets get the exact Doc's; the
        Doc's own values are kept (but for the folded view's tables), and other keys as they are."""
        out = self.exact.user_data
        for key, value in self.doc.user_data.items():
            if not (isinstance(key, tuple) and len(key) == 4 and key[0] == "._."):
                out[key] = value
                continue
            _, name, start, end = key
            if start is None:
                if name not in _WORKING_ONLY:
                    out[key] = value
                continue
            starts, ends = self._char_maps()
            new_start = starts.get(start)
            new_end = None if end is None else ends.get(end, starts.get(end) if end == start else None)
            if new_start is not None and (end is None or new_end is not None):
                out[("._.", name, new_start, new_end)] = value


@Language.factory(SOURCE_TEXT, assigns=["doc.text"])
def make_source_text(nlp: Language, name: str) -> Any:
    return SourceText()
