"""Split reports into sentences the way they are laid out, not the way prose is.

Reports break sentences at headers, blank lines, list items ("1.", "-") and line ends that
close a statement, but also wrap one sentence over several lines. This rule splitter runs
in one pass over plain token lists and sets all boundaries at once; it replaces PyRuSH,
which is slow and logs at DEBUG.
"""


from bisect import bisect_left, bisect_right
from itertools import compress
from operator import sub

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc

from reportnlp.nlp.components.docdata import doc_value
from reportnlp.nlp.components.tables import set_sentence_starts, set_sentence_table, token_table

TERMINAL = {".", "!", "?", "..", "...", "…"}
# "|": a row of a pipe table ("| L2 body | intense | ... |"); "#": a problem list's item ("# L1 compression fx")
BULLETS = {"-", "*", "•", "·", "–", "+", "|", "#"}
# A line ending in one of these continues on the next line.
CONTINUES = {
    ",", "and", "or", "of", "the", "with", "to", "at", "in", "a", "an", "for", "from", "by", "on",
    "without", "is", "are", "was", "were", "-", "/", "which", "that", "as", "than", "no", "not",
    "into", "involving", "including", "within", "along", "be", "has", "have", "there", "may", "its",
    "their", "this", "these", "demonstrates", "shows", "reveals", "suggest", "suggests", "mild",
    "moderate", "severe", "small", "large", "left", "right", "both", "bilateral", "through", "&",
}


# Dictation with no punctuation at all ("... no acute hemorrhage no cervical spine fracture mild multilevel
# spondylosis impression ...") runs many statements into one sentence. Within a long run of words with no
# punctuation, a new statement starts at "no", at "there is / are" or at a degree word (mild, moderate ...)
# that follows a word which cannot lead into it (not a joiner, article, degree or level): a radiologist
# hears "... or malalignment | mild multilevel spondylosis". Sentences of normal reports are short or
# punctuated, so they keep their boundaries.
MIN_RUN = 20  # words without punctuation before a run counts as unpunctuated dictation
OPENS_STATEMENT = {"no", "there", "mild", "moderate", "severe", "minimal"}  # not "marked": also a verb
_COPULAS = {"is", "are", "was", "were"}
_IN_RUN = {"-", "/", "+", "%", "&", "'s"}  # inside words and levels ("l4-5", "and/or"): no punctuation of a clause
# Words that lead into a degree word, a "no" or a "there is" within one statement, besides CONTINUES and
# spaCy's English stop words (pronouns, determiners, auxiliaries): verbs that take a clause or an object
# ("reports no", "found no", "do not believe there is") and modifiers. An adverb in -ly and a verb in -ing
# lead on too ("currently no", "yielding moderate stenosis"), but not a finding noun in -ing ("narrowing").
LEADS_ON = CONTINUES | STOP_WORDS | {
    "old", "high", "low", "xxxx", "very", "most", "more", "less", "only", "also", "still", "now", "again", "but",
    "nor", "then", "yet",
    "show", "showed", "shown", "reveal", "revealed", "demonstrate", "demonstrated", "find", "found", "report",
    "reports", "reported", "deny", "denies", "denied", "believe", "believes", "think", "thinks", "thought",
    "feel", "feels", "felt", "suspect", "know", "knows", "say", "says", "said", "tell", "told", "state",
    "states", "stated", "note", "notes", "confirm", "confirms", "confirmed", "ensure", "sure", "apparent",
    "clear", "evident", "suggest", "suggested", "indicate", "indicates", "indicated", "document", "documented",
    "take", "takes", "took", "minimal", "marked", "multilevel", "grade", "degree", "stable", "unchanged", "new",
    "rather", "otherwise", "whether", "unless", "although", "though", "because", "since", "despite", "known",
    "diffuse", "given", "recent", "somewhat", "got", "need", "needs", "leave", "leaves", "serve", "serves",
}
_ING_NOUNS = {
    "narrowing", "thickening", "bleeding", "scarring", "swelling", "wedging", "bulging", "spurring", "widening",
    "loosening", "lipping", "remodeling", "remodelling", "effacing",
}


_DEGREES = OPENS_STATEMENT - {"no", "there"}  # the degree words among the openers
# An adjective goes on into a degree word within one noun phrase ("proximal moderate stenosis", "an old
# moderate-sized infarct"); a noun that ends like one ends its statement ("canal", "malalignment").
_ADJECTIVE_ENDINGS = ("al", "ic", "ed", "ar", "ous", "ive", "ent", "ant", "ile", "ary")
_NOUNS_LIKE_ADJECTIVES = {"canal", "interval", "signal"}


def _leads_on(word: str, opener: str) -> bool:
    if word in LEADS_ON:
        return True
    if not word.isalpha():
        # A level or number ends a statement ("no fracture at l1 | mild bulge at l4-5"), as in level-first
        # dictation ("l3-4 no bulge l4-5 | mild bulge", where the level goes with the statement before, so
        # its site is lost but not its assertion); other marks lead on.
        return not word.isalnum()
    if word.endswith("ly") or (word.endswith("ing") and word not in _ING_NOUNS):
        return True
    return (
        opener in _DEGREES and word.endswith(_ADJECTIVE_ENDINGS) and not word.endswith("ment")
        and word not in _NOUNS_LIKE_ADJECTIVES
    )


def _in_run(word: str) -> bool:
    return word[0].isalnum() or word in _IN_RUN


def _dictation_starts(words: list[str], lower: list[str], first: int, last: int) -> list[int]:
    """New statements inside sentence [first, last) where it holds a long run with no punctuation."""
    found: list[int] = []
    inner = lower[first + 1 : last]
    if OPENS_STATEMENT.isdisjoint(inner):
        return found
    # Only an opener whose previous word cannot lead into it is a candidate (few per sentence); then its
    # run is measured outwards, at most MIN_RUN words, so a long sentence costs one pass of set lookups.
    for i in [k for k, w in enumerate(inner, first + 1) if w in OPENS_STATEMENT]:
        word = lower[i]
        if _leads_on(lower[i - 1], word):
            continue
        if word == "there" and (i + 1 >= last or lower[i + 1] not in _COPULAS):
            continue
        a, b = i, i  # the run holding i: words[a:b + 1], no punctuation inside
        while a > first and b - a + 1 < MIN_RUN and _in_run(words[a - 1]):
            a -= 1
        while b + 1 < last and b - a + 1 < MIN_RUN and _in_run(words[b + 1]):
            b += 1
        if b - a + 1 >= MIN_RUN and _in_run(words[i - 1]):
            found.append(i)
    return found


_SPOKEN_STOPS = frozenset({"period", "paragraph"})


def _spoken_stops(words: list[str], lower: list[str]) -> list[int]:
    """A stop dictated as a word the software wrote out ("no lytic lesion period Healing fracture ...", "new
    paragraph Mild ..."): the capitalised word after it starts a sentence (session 28); a time period ("the
    postoperative period"), with no capital after it, ends nothing."""
    if _SPOKEN_STOPS.isdisjoint(lower):
        return []
    return [i + 1 for i, w in enumerate(lower[:-1]) if w in _SPOKEN_STOPS and words[i + 1][:1].isupper()]


def _is_list_number(words: list[str], i: int) -> bool:
    word = words[i]
    return word.isdigit() and len(word) <= 2 and i + 1 < len(words) and words[i + 1] in {".", ")"}


def _after_stops(words: list[str]) -> "compress[int]":
    """The index after every stop (``i + 1`` for each ``words[i]`` in TERMINAL), picked in compiled code: the
    Python loop over every token it replaces was about 8% of the sentencizer's instructions."""
    return compress(range(1, len(words) + 1), map(TERMINAL.__contains__, words))


def _after_breaks(source: str, char_starts: list[int], breaks: list[int]) -> "list[int] | compress[int]":
    """The tokens with a line break before them (``breaks[i] > 0``), in order. A text of few lines (most public
    reports have a handful of line breaks and hundreds of tokens) is read from its line breaks, each one's next
    token found by bisection as the tokenizer counted them, the text then searched on from that token; a text of
    many short lines is read token by token (session 30)."""
    n = len(char_starts)
    if source.count("\n") * 8 > n:
        return compress(range(n), breaks)
    found: list[int] = []
    at = source.find("\n")
    while at >= 0:
        i = bisect_right(char_starts, at)
        if i == n:
            break
        found.append(i)
        at = source.find("\n", char_starts[i])
    return found


WRAP_WIDTH = 60  # a line at least this long that breaks without punctuation was wrapped
_COLUMN_GAP = "   "  # three spaces inside a line: a gap between a table's columns


def _line_starts_sentence(
    words: list[str], prev_lower: str, prev: str, i: int, prev_line_length: int, title_line: bool = False
) -> bool:
    """After one line break: a new item, or a wrapped sentence going on? ``title_line``: the line before is
    two or more words, all in capitals."""
    word = words[i]
    if _is_list_number(words, i) or word in BULLETS:
        return True
    if prev_lower in CONTINUES:
        return False
    if word[0].islower():
        # A line of capitals over lower-case text is a title ("SPINE CLINIC FOLLOW UP NOTE" / "pt is a 58 yo
        # M ..."): dictated text with no punctuation still does not run on into it (session 28).
        return title_line
    if prev in {":", ";"}:
        return True
    title_case = len(word) > 1 and word[0].isupper() and word[1:].islower() and word.isalpha()
    caps_word = word.isalpha() and word.isupper() and len(word) >= 4
    # Short capitals (CT, MRI, L4-5) and numbers usually continue a wrapped line, and so does
    # any word after a line filled to the wrap width.
    return (title_case or caps_word) and prev_line_length < WRAP_WIDTH


def _title_line(line: str) -> bool:
    """A short line of two or more words, all in capitals, with no stop at its end: a title or a header."""
    line = line.strip()
    return len(line) < WRAP_WIDTH and " " in line and line.isupper() and line[-1].isalpha()


_LABEL_JOINERS = {"-", "/", "--"}  # inside a field's label ("Text--Dx Proc--X-ray/Scan:")


def _opens_label(words: list[str], i: int) -> bool:
    """Whether the words from ``i`` are a form field's label: one to four words (or up to ten tokens joined by
    hyphens and slashes), then its colon."""
    for j in range(i, min(i + 10, len(words))):
        if not (words[j].isalpha() and (j < i + 4 or words[j - 1] in _LABEL_JOINERS)) and words[j] not in _LABEL_JOINERS:
            return False
        if j + 1 < len(words) and words[j + 1] == ":":
            return True
    return False


def _box_answer(source: str, line_start: int, word_start: int) -> bool:
    """Whether the line's last word is a checkbox's answer ("Cord compression on MRI  [ ] Yes  [x] No"): a
    form's row ends at its line, so its "No" denies nothing on the next row (session 34)."""
    before = source[line_start:word_start].rstrip(" \t")
    return before.endswith("]") and "[" in before


def _break_starts(
    words: list[str], lower: list[str], source: str, char_starts: list[int], i: int, newlines: int, prev: int
) -> bool:
    """Whether token ``i``, after ``newlines`` line breaks and word ``prev`` (no stop), starts a sentence."""
    if newlines >= 2:
        return True
    if newlines != 1:
        return False
    prev_word = words[prev]
    prev_start = char_starts[prev]
    line_start = source.rfind("\n", 0, prev_start) + 1
    prev_end = prev_start + len(prev_word)
    title_line = words[i][0].islower() and _title_line(source[line_start:prev_end])
    if _line_starts_sentence(words, lower[prev], prev_word, i, prev_end - line_start, title_line):
        return True
    word = words[i]
    if word[0].isupper() and _opens_label(words, i) and ":" in source[line_start:prev_start]:
        # A form's field after a field answered on its own line ("Cord compression: no" then "Pathologic
        # fracture: [x] yes"): the answer ends its field, even an answer that could lead on ("no", "mild").
        return True
    if _box_answer(source, line_start, prev_start):
        return True
    if word[0].islower() or lower[prev] in CONTINUES:
        return False
    if word.isalpha() and i + 1 < len(words) and words[i + 1] == ":":
        return True  # a label opens its line ("Other: 4 mm anterolisthesis") even after a full-width line
    # A row of a table laid out in columns of spaces ends at its line, as the row after it does (session 21); so
    # does one laid out in tabs ("Level<TAB>Disc<TAB>Facets" over "L3-4<TAB>normal<TAB>mild DJD"; session 30)
    row = source[line_start:prev_end].lstrip()
    if _COLUMN_GAP not in row and "\t" not in row:
        return False
    here = char_starts[i]
    line_end = source.find("\n", here)
    next_row = source[here : line_end if line_end >= 0 else len(source)].rstrip()
    return _COLUMN_GAP in next_row or "\t" in next_row


def _starts_in_order(
    words: list[str], lower: list[str], source: str, char_starts: list[int], breaks: list[int],
    candidates: list[int], forced: set[int], space: list[bool] | None,
) -> set[int]:
    """The sentence starts, token by token: a stop's next token starts one unless the stop is a list
    number's (then the token is read like one after a line break)."""
    starts: set[int] = {0}
    prev = -1
    list_marker_period: int | None = None
    for i in candidates:
        if space is None:
            prev = i - 1
        elif prev < 0:
            prev = i
            continue
        if words[prev] == "?" and i not in forced and _query_glued(lower, source, char_starts, prev, i):
            start = False  # "for ?pathological fracture" (session 26)
        elif words[prev] in TERMINAL and prev != list_marker_period:
            start = True
        else:  # (another tokenizer's Doc: the word before may be further back than i - 1)
            start = _break_starts(words, lower, source, char_starts, i, breaks[i], prev)
        if start or i in forced:
            starts.add(i)
            if _is_list_number(words, i):
                list_marker_period = i + 1
        prev = i
    return starts


def _query_glued(lower: list[str], source: str, char_starts: list[int], q: int, p: int) -> bool:
    """The "?" before token p asks about that word, glued to it after a space or bracket on its line ("for
    ?pathological fracture", "(?lytic)"): a query of the word, no sentence's end, when the word before it leads
    on (CONTINUES: "for", "of", "with"; "- ?osteoporotic ?pathological" stays a list of queries)."""
    mark = char_starts[q]
    return (q >= 1 and lower[q - 1] in CONTINUES and mark > 0 and char_starts[p] == mark + 1
            and source[mark - 1] in " (\t" and source[mark + 1].isalpha())


def _plain_starts(
    words: list[str], lower: list[str], source: str, char_starts: list[int], breaks: list[int],
    after_stop: list[int], forced: set[int],
) -> set[int]:
    """_starts_in_order's starts for a doc of words only (our tokenizer's), read at once rather than by
    walking every stop in Python (about 30 per report): every stop's next token starts a sentence, a token
    after a line break is read on its own, a header starts one. Then, left to right, a stop right after
    a list number that starts a sentence ("2." of "1. ... 2. ...") is taken back: the token after it
    starts one only as a token after a line break would (whether that number starts a sentence may
    itself depend on an earlier such stop, hence the order)."""
    n = len(words)
    starts = {0, *after_stop, *forced}
    starts.update([
        i for i in _after_breaks(source, char_starts, breaks)
        if i not in starts and _break_starts(words, lower, source, char_starts, i, breaks[i], i - 1)
    ])
    starts.discard(n)
    for p in after_stop:  # the first token is never asked whether it is a list number: p >= 3
        if words[p - 1] == "?" and p < n and p not in forced and _query_glued(lower, source, char_starts, p - 1, p):
            starts.discard(p)  # "would need XR for ?pathological fracture": a query glued to its word (session 26)
        elif 3 <= p < n and words[p - 1] == "." and p - 2 in starts and _is_list_number(words, p - 2):
            if p not in forced and not _break_starts(words, lower, source, char_starts, p, breaks[p], p - 1):
                starts.discard(p)
    return starts


class ReportSentencizer:
    # Whether the starts are also written as spaCy's SENT_START marks (``token.is_sent_start``, ``Span.sent``,
    # ``doc.sents``: a user's pipeline, medspaCy's ConText). reportnlp's own components read the sentence table
    # (tables.sentence_table), kept on the Doc either way; the Extractor turns the marks off on its own pipeline with
    # the fast matcher, whose Doc is read for its record and dropped. A class attribute, like mentions.py's spacy_spans.
    spacy_starts = True

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
        if space is None:  # every token a word: only a token after a stop, a line break or a header can start
            starts = _plain_starts(words, lower, source, char_starts, breaks, list(_after_stops(words)), forced)
        else:
            candidates = [i for i in range(n) if not space[i]]
            starts = _starts_in_order(words, lower, source, char_starts, breaks, candidates, forced, space)
        ordered = sorted(starts)
        extra: list[int] = []
        ends = [*ordered[1:], n]
        # the sentences longer than MIN_RUN tokens, picked in compiled code (most are shorter)
        for first, last in compress(zip(ordered, ends, strict=True), map(MIN_RUN.__lt__, map(sub, ends, ordered))):
            extra += _dictation_starts(words, lower, first, last)
        extra += _spoken_stops(words, lower)
        if extra:
            ordered = sorted(starts.union(extra))
        if self.spacy_starts:
            set_sentence_starts(doc, ordered)
        else:
            set_sentence_table(doc, ordered)
        return doc


@Language.factory("reportnlp_sentences", assigns=["token.is_sent_start"])
def make_sentences(nlp: Language, name: str) -> ReportSentencizer:
    return ReportSentencizer()
