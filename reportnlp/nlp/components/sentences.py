"""Split reports into sentences the way they are laid out, not the way prose is.

Reports break sentences at headers, blank lines, list items ("1.", "-") and line ends that
close a statement, but also wrap one sentence over several lines. This rule splitter runs
in one pass over plain token lists and sets all boundaries at once; it replaces PyRuSH,
which is slow and logs at DEBUG.
"""


from bisect import bisect_left
from itertools import compress

from spacy.language import Language
from spacy.tokens import Doc

from reportnlp.nlp.components.docdata import doc_value
from reportnlp.nlp.components.tables import set_sentence_starts, token_table

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


def _is_list_number(words: list[str], i: int) -> bool:
    word = words[i]
    return word.isdigit() and len(word) <= 2 and i + 1 < len(words) and words[i + 1] in {".", ")"}


WRAP_WIDTH = 60  # a line at least this long that breaks without punctuation was wrapped


def _line_starts_sentence(words: list[str], prev_lower: str, prev: str, i: int, prev_line_length: int) -> bool:
    """After one line break: a new item, or a wrapped sentence going on?"""
    word = words[i]
    if _is_list_number(words, i) or word in BULLETS:
        return True
    if prev_lower in CONTINUES or word[0].islower():
        return False
    if prev in {":", ";"}:
        return True
    title_case = len(word) > 1 and word[0].isupper() and word[1:].islower() and word.isalpha()
    caps_word = word.isalpha() and word.isupper() and len(word) >= 4
    # Short capitals (CT, MRI, L4-5) and numbers usually continue a wrapped line, and so does
    # any word after a line filled to the wrap width.
    return (title_case or caps_word) and prev_line_length < WRAP_WIDTH


class ReportSentencizer:
    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if not n:
            return doc
        table = token_table(doc)
        words, lower, char_starts, source = table.words, table.lower, table.starts, table.text
        sections = doc_value(doc, "reportnlp_sections") if Doc.has_extension("reportnlp_sections") else None
        forced = {bisect_left(char_starts, char) for s in sections or [] for char in (s.start, s.body_start)}
        breaks = doc_value(doc, "reportnlp_breaks")
        # Our tokenizer leaves no whitespace tokens; a Doc from another one may have them.
        space = None if breaks is not None else [t.is_space for t in doc]
        if breaks is None:
            breaks = [doc.text.count("\n", doc[i - 1].idx, t.idx) if i else 0 for i, t in enumerate(doc)]
        starts: set[int] = {0}
        if space is None:  # every token a word: only a token after a stop, a line break or a header can start
            after_stop = [i + 1 for i, w in enumerate(words) if w in TERMINAL]
            candidates = sorted({*after_stop, *compress(range(n), breaks), *forced} - {0, n})
        else:
            candidates = [i for i in range(n) if not space[i]]
        prev = -1
        list_marker_period: int | None = None
        for i in candidates:
            if space is None:
                prev = i - 1
            elif prev < 0:
                prev = i
                continue
            newlines = breaks[i]
            prev_word = words[prev]
            if prev_word in TERMINAL and prev != list_marker_period:
                start = True
            elif newlines >= 2:
                start = True
            elif newlines == 1:
                prev_start = char_starts[prev]
                line_length = prev_start + len(prev_word) - (source.rfind("\n", 0, prev_start) + 1)
                start = _line_starts_sentence(words, lower[prev], prev_word, i, line_length)
            else:
                start = False
            if start or i in forced:
                starts.add(i)
                if _is_list_number(words, i):
                    list_marker_period = i + 1
            prev = i
        set_sentence_starts(doc, sorted(starts))
        return doc


@Language.factory("reportnlp_sentences", assigns=["token.is_sent_start"])
def make_sentences(nlp: Language, name: str) -> ReportSentencizer:
    return ReportSentencizer()
