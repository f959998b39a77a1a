"""Split reports into sentences the way they are laid out, not the way prose is.

Reports break sentences at headers, blank lines, list items ("1.", "-") and line ends that
close a statement, but also wrap one sentence over several lines. This rule splitter runs
in one pass over the tokens; it replaces PyRuSH, which is slow and logs at DEBUG.
"""


from spacy.language import Language
from spacy.tokens import Doc, Token

from reportnlp.components.tokenizer import source_text, token_at_or_after, token_start

TERMINAL = {".", "!", "?", "..", "...", "…"}
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


WRAP_WIDTH = 60  # a line at least this long that breaks without punctuation was wrapped


def _line_starts_sentence(prev: Token, tok: Token, prev_line_length: int) -> bool:
    """After one line break: a new item, or a wrapped sentence going on?"""
    if _is_list_number(tok) or tok.text in BULLETS:
        return True
    if prev.lower_ in CONTINUES or tok.text[0].islower():
        return False
    if prev.text in {":", ";"}:
        return True
    word = tok.text
    title_case = len(word) > 1 and word[0].isupper() and word[1:].islower() and word.isalpha()
    caps_word = word.isalpha() and word.isupper() and len(word) >= 4
    # Short capitals (CT, MRI, L4-5) and numbers usually continue a wrapped line, and so does
    # any word after a line filled to the wrap width.
    return (title_case or caps_word) and prev_line_length < WRAP_WIDTH


class ReportSentencizer:
    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        starts: set[int] = {0}
        source = source_text(doc)
        sections = doc._.reportnlp_sections if Doc.has_extension("reportnlp_sections") else None
        forced = {token_at_or_after(doc, char) for s in sections or [] for char in (s.start, s.body_start)}
        breaks = doc._.reportnlp_breaks or [doc.text.count("\n", doc[i - 1].idx, t.idx) if i else 0 for i, t in enumerate(doc)]
        prev: Token | None = None
        list_marker_period: int | None = None
        for tok in doc:
            if tok.is_space:
                continue
            if prev is None:
                prev = tok
                continue
            newlines = breaks[tok.i]
            start = False
            if prev.text in TERMINAL and prev.i != list_marker_period:
                start = True
            elif newlines >= 2:
                start = True
            elif newlines == 1:
                prev_start = token_start(doc, prev.i)
                line_length = prev_start + len(prev.text) - (source.rfind("\n", 0, prev_start) + 1)
                start = _line_starts_sentence(prev, tok, line_length)
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
