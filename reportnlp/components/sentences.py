"""Split reports into sentences the way they are laid out, not the way prose is.

Reports break sentences at headers, blank lines, list items ("1.", "-") and line ends that
close a statement, but also wrap one sentence over several lines. This rule splitter runs
in one pass over the tokens; it replaces PyRuSH, which is slow and logs at DEBUG.
"""


from bisect import bisect_left

from spacy.language import Language
from spacy.tokens import Doc, Token

TERMINAL = {".", "!", "?", "...", "…"}
BULLETS = {"-", "*", "•", "·", "–", "+"}
# A line ending in one of these continues on the next line.
CONTINUES = {
    ",", "and", "or", "of", "the", "with", "to", "at", "in", "a", "an", "for", "from", "by", "on",
    "without", "is", "are", "was", "were", "-", "/", "which", "that", "as", "than", "no", "not",
    "into", "involving", "including", "within", "along", "be", "has", "have", "there", "may", "its",
    "their", "this", "these", "demonstrates", "shows", "reveals", "suggest", "suggests", "mild",
    "moderate", "severe", "small", "large", "left", "right", "both", "bilateral", "through", "&",
}


def _is_list_number(tok: Token) -> bool:
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    return tok.text.isdigit() and len(tok.text) <= 2 and nxt is not None and nxt.text in {".", ")"}


class ReportSentencizer:
    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        text = doc.text
        starts: set[int] = {0}
        sections = doc._.reportnlp_sections if Doc.has_extension("reportnlp_sections") else None
        offsets = [t.idx for t in doc]
        forced: set[int] = set()
        for s in sections or []:
            for char in (s.start, s.body_start):
                i = bisect_left(offsets, char)
                while i < len(doc) and doc[i].is_space:
                    i += 1
                forced.add(i)
        prev: Token | None = None
        list_marker_period: int | None = None
        for tok in doc:
            if tok.is_space:
                continue
            if prev is None:
                prev = tok
                continue
            gap = text[prev.idx + len(prev.text) : tok.idx]
            newlines = gap.count("\n")
            start = False
            if prev.text in TERMINAL and prev.i != list_marker_period:
                start = True
            elif newlines >= 2:
                start = True
            elif newlines == 1:
                first = tok.text[0]
                if _is_list_number(tok) or tok.text in BULLETS:
                    start = True
                elif first.islower() or prev.lower_ in CONTINUES:
                    start = False
                elif first.isdigit():
                    start = prev.text in {":", ";"}
                else:
                    start = True
            if start or tok.i in forced:
                starts.add(tok.i)
                if _is_list_number(tok):
                    list_marker_period = tok.i + 1
            prev = tok
        for tok in doc:
            tok.is_sent_start = tok.i in starts
        return doc


@Language.factory("reportnlp_sentences", assigns=["token.is_sent_start"])
def make_sentences(nlp: Language, name: str) -> ReportSentencizer:
    return ReportSentencizer()
