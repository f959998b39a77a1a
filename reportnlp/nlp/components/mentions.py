"""Find target mentions from `patterns/targets.json`, as medspaCy's TargetMatcher would.

The rules are in medspaCy's TargetRule shape (a ``literal``, or a token ``pattern`` that wins over
it, the concept as ``category``, our rule ``id`` and label-logic values in ``metadata``) and are
matched like medspaCy does (components/matching.py): literals on lower-cased tokens, token
patterns, then the longest of overlapping matches. Mentions go to the span group
``doc.spans["reportnlp_mentions"]``, where they can overlap, and those that fit to ``doc.ents``.
Matches of the ``ignore`` concept absorb hard negatives ("hiatal hernia", "aortic stenosis") and
are then dropped, and so is a match that runs over a line into the next sentence.
"""


import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from typing import Any

import numpy
from spacy.attrs import ENT_IOB, ENT_KB_ID, ENT_TYPE, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from reportnlp.nlp.components._rules import RuleComponent, rule_errors, with_rules
from reportnlp.nlp.components.annotations import MentionInfo, info_table
from reportnlp.nlp.components.docdata import doc_value
from reportnlp.nlp.components.matching import RuleMatcher
from reportnlp.nlp.components.reference import MATCHERS, MedspacyTargets
from reportnlp.nlp.components.tables import sentence_table, set_span_rows, token_table
from reportnlp.nlp.rules import rule_id

MENTIONS = "reportnlp_mentions"
IGNORE = "ignore"
PATHOLOGY = "pathology_report"  # the document type of a pathology report (patterns/sections.json)
# Rule metadata no mention carries (span._.reportnlp_meta, the record's meta): the id is the mention's rule
# (span._.reportnlp_rule), a comment documents the rule file, not the report, fraction_abbrev tells the
# matching below which matches may be a radiotherapy fraction, and bullet_hash which "#" may be a list's bullet.
RULE_ONLY_META = frozenset({"id", "comment", "fraction_abbrev", "bullet_hash"})


class MentionMatcher(RuleComponent):
    # Whether the mentions are made spaCy Spans: the span group ``doc.spans["reportnlp_mentions"]`` and, for those
    # that fit, ``doc.ents`` (displaCy, medspaCy's visualizers, a user's pipeline). The Extractor turns it off on its
    # own pipeline (with the fast matcher; medspaCy's ConText reads the group): its Doc is read for the record and
    # dropped, and the later components and the record read the mentions from their rows (tables.span_rows), never
    # from Spans. A class attribute, so that ``use_rules`` (which runs ``__init__`` again) keeps an instance's choice.
    spacy_spans = True

    def __init__(
        self, nlp: Language, targets: dict[str, Any], name: str = "reportnlp_mentions", matcher: str = "fast"
    ) -> None:
        self.nlp, self.name, self.choice = nlp, name, matcher
        self.target_rules = targets["target_rules"]
        self.matcher: Any
        if matcher == "medspacy":  # medspaCy's own TargetMatcher: the reference (components/reference.py)
            self.matcher = MedspacyTargets(nlp, self.target_rules)
        elif matcher == "fast":
            self.matcher = RuleMatcher(
                nlp,
                [(r["category"], r["literal"], r.get("pattern")) for r in self.target_rules],
                lambda n: rule_errors("targets.json", rule_id(self.target_rules[n])),
                gate=True,
            )
        else:
            raise ValueError(f"matcher must be one of {', '.join(MATCHERS)}, not {matcher!r}")
        self.rule_ids = [r["metadata"]["id"] for r in self.target_rules]
        # the values the label logic reads, once per rule
        self.metas = [{k: v for k, v in r["metadata"].items() if k not in RULE_ONLY_META} for r in self.target_rules]
        self.fraction_abbrev = frozenset(n for n, r in enumerate(self.target_rules) if r["metadata"].get("fraction_abbrev"))
        self.bullet_hash = frozenset(n for n, r in enumerate(self.target_rules) if r["metadata"].get("bullet_hash"))
        self.words = rule_words(self.target_rules)  # the words a hyphen at a line's end may be joined into
        # each concept's label hash (what Span(..., label=concept).label is), its string in the vocab's StringStore
        self.labels = {concept: nlp.vocab.strings.add(concept) for r in self.target_rules
                       for concept in (r["category"], *r["metadata"].get("also", ()))}

    def use_rules(self, rules: Any) -> None:
        self.__init__(self.nlp, rules.targets, name=self.name, matcher=self.choice)  # type: ignore[misc]

    def __call__(self, doc: Doc) -> Doc:
        if self.missing is not None:
            self.refuse()
        rows = []  # (start, end, label hash, concept) of each kept mention: tables.span_rows for the later components
        table = info_table(doc)
        starts: list[int] | None = None  # the sentences' first tokens, read at the first phrase of several tokens
        dosed: bool | None = None  # whether the report names a radiation dose (_DOSE)
        pathology: bool | None = None  # whether the doc is a pathology report, read at the first rule that asks
        for n, start, end in matches_over_wraps(doc, self.matcher, self.words):
            rule = self.target_rules[n]
            if rule["category"] == IGNORE:
                continue
            if end - start > 1:
                if starts is None:
                    starts = sentence_table(doc).starts
                k = bisect_right(starts, start)
                if k < len(starts) and starts[k] < end and _over_a_line(doc, start, end):
                    # A finding's words do not run over a line into the next sentence: a table's column header
                    # and the row below ("Facets" then "L1-2    normal") are no normal statement (session 21);
                    # "? met" (a stop inside the words) is one finding.
                    continue
            meta = self.metas[n]
            if meta.get("heading_hash") and _problem_heading(doc, start, end):
                continue
            if n in self.bullet_hash and _bullet_item_fracture(doc, start):
                continue
            if n in self.fraction_abbrev:
                if dosed is None:  # asked once a report, at its first "fx" or "# L1"
                    dosed = _DOSE.search(token_table(doc).text) is not None
                if dosed and _fraction_count(doc, start, end):
                    continue
            if meta.get("pathology_only"):
                # a pathologist's bare "carcinoma" names the specimen's tumour; anywhere else it is the primary
                if pathology is None:
                    pathology = (doc_value(doc, "reportnlp_document") or {}).get("type") == PATHOLOGY
                if not pathology:
                    continue
            # One span may carry more than one concept ("lytic myeloma lesion": a lytic lesion and a
            # malignancy): meta "also" names the other concepts, each kept as a mention of the same words.
            for concept in (rule["category"], *meta.get("also", ())):
                label = self.labels[concept]
                table[(start, end, label)] = MentionInfo(rule=self.rule_ids[n], meta=meta)
                rows.append((start, end, label, concept))
        if not self.spacy_spans:  # the Extractor's own Doc: the rows are all its readers take (about 2% of its CPU)
            set_span_rows(doc, MENTIONS, None, rows)
            return doc
        kept = [Span(doc, start, end, label=label) for start, end, label, _ in rows]
        doc.spans[MENTIONS] = kept
        set_span_rows(doc, MENTIONS, doc.spans[MENTIONS], rows)
        _add_ents(doc, kept, [(start, end, label) for start, end, label, _ in rows])
        return doc


# A word's first part, its hyphen at a line's end, and the rest of the word on the next line in lower case.
_WRAP = re.compile(r"(?<=[A-Za-z])-[ \t]*\r?\n[ \t]*(?=[a-z])")
_ANY_WRAP = re.compile(r"-[ \t]*\r?\n[ \t]*[a-z]")  # what every _WRAP match holds, searched first
_WORD = re.compile(r"[a-z]{4,}")
# A word cut by a hard wrap with no hyphen ("compression frac" / "ture of L1"): its first part at a line's end, its
# lower-case rest at the next line's start (an export that wraps at a fixed width, in the middle of a word).
_SPLIT = re.compile(r"\n([a-z]{2,})")  # a line break (a literal: re skips to it) and the lower-case rest
_FIRST_PART = re.compile(r"[A-Za-z]*[a-z]\r?\Z")  # the first part, read back from the line break


def rule_words(rules: list[dict[str, Any]]) -> frozenset[str]:
    """The lower-case words (4 letters or more) of the rules' literals and of their patterns' LOWER values."""
    words: set[str] = set()
    for rule in rules:
        words.update(_WORD.findall(rule["literal"].lower()))
        for strings in _lower_values(rule.get("pattern") or []):
            words.update(w for w in strings if _WORD.fullmatch(w))
    return frozenset(words)


def _lower_values(pattern: list[dict[str, Any]]) -> Iterator[list[str]]:
    for token in pattern:
        value = token.get("LOWER")
        if isinstance(value, str):
            yield [value]
        elif isinstance(value, dict):
            yield [v for v in value.get("IN", []) if isinstance(v, str)]


def matches_over_wraps(
    doc: Doc, matcher: Callable[[Doc], list[tuple[int, int, int]]], words: frozenset[str]
) -> list[tuple[int, int, int]]:
    """``matcher(doc)``, with a word hyphenated across a line wrap ("meta-" / "static") read as one word where
    the joined word is a rule's ("metastatic"; session 22): the doc's text and tokens stay the input's, so the
    rules are matched on a Doc whose tokens join the two halves and each match is mapped back to the doc's
    tokens (a match over the joined word spans both halves). "T11-" / "T12" (no lower-case rest) and a join
    no rule's word is stay apart. Only a text with a hyphen before a line break is looked at (one search; three
    ``in`` scans cost about 17,000 instructions a public report)."""
    table = token_table(doc)
    text = table.text
    starts, tokens, lower = table.starts, table.words, table.lower
    joins: list[int] = []  # the first halves' tokens
    if _ANY_WRAP.search(text) is not None:  # re skips to the hyphens (a literal first character) in compiled code
        for m in _WRAP.finditer(text):
            i = bisect_right(starts, m.start()) - 1  # the token holding the hyphen
            if (
                0 <= i < len(tokens) - 1 and starts[i] + len(tokens[i]) == m.start() + 1 and tokens[i].endswith("-")
                and starts[i + 1] == m.end() and lower[i][:-1] + lower[i + 1] in words
            ):
                joins.append(i)
    # a word cut with no hyphen: read whole where neither part is a rule's word and the whole is (session 30)
    cuts: list[int] = []
    for m in _SPLIT.finditer(text) if "\n" in text else ():
        rest = m.group(1)
        if rest in words or (first := _FIRST_PART.search(text, max(0, m.start() - 24), m.start())) is None:
            continue
        part = first.group().rstrip("\r").lower()
        if part + rest in words and part not in words:
            i = bisect_right(starts, first.start()) - 1
            if 0 <= i < len(tokens) - 1 and starts[i] == first.start() and starts[i + 1] == m.start() + 1:
                cuts.append(i)
    if not joins and not cuts:
        return matcher(doc)
    return _joined_matches(doc, matcher, sorted(joins + cuts), frozenset(cuts))


def _joined_matches(
    doc: Doc, matcher: Callable[[Doc], list[tuple[int, int, int]]], joins: list[int],
    unhyphenated: frozenset[int] = frozenset(),
) -> list[tuple[int, int, int]]:
    """The matches on a Doc with each join's two tokens as one word (the first's hyphen dropped, but for the
    ``unhyphenated`` cuts), in the doc's token numbers."""
    joined = set(joins)
    starts = _sentence_starts(doc)  # the sentences stay the doc's
    words: list[str] = []
    spaces: list[bool] = []
    sent_starts: list[bool | None] = []
    first: list[int] = []  # each joined token's first doc token
    last: list[int] = []  # and its last
    i, n = 0, len(doc)
    while i < n:
        token = doc[i]
        if i in joined:
            rest = doc[i + 1]
            words.append((token.text if i in unhyphenated else token.text[:-1]) + rest.text)
            spaces.append(bool(rest.whitespace_))
            first.append(i)
            last.append(i + 1)
            sent_starts.append(True if i in starts else None)
            i += 2
            continue
        words.append(token.text)
        spaces.append(bool(token.whitespace_))
        first.append(i)
        last.append(i)
        sent_starts.append(True if i in starts else None)
        i += 1
    surrogate = Doc(doc.vocab, words=words, spaces=spaces, sent_starts=sent_starts)
    return [(k, first[start], last[end - 1] + 1) for k, start, end in matcher(surrogate)]


def _sentence_starts(doc: Doc) -> set[int]:
    """The tokens the doc marks as sentence starts: its SENT_START marks, or its sentence table when it has no marks
    (the Extractor's own Doc: sentences.py ``spacy_starts``; the marks are exactly the table's starts). The joined
    Doc marks these tokens' words as starts and leaves the others unset (None), as it always did: it is read only
    for its starts (the fast matcher's IS_SENT_START)."""
    table = doc_value(doc, "reportnlp_sentence_table")
    if table is None or table.n != len(doc) or doc.has_annotation("SENT_START"):
        return set(numpy.flatnonzero(doc.to_array(SENT_START) == 1).tolist())
    return set(table.starts)


# A word after "# L2" that keeps the item a fracture ("# T12 vertebra"): the bone it names, not a heading's finding.
_HASH_BONE_WORDS = frozenset({"vertebra", "vertebral", "body", "spine"})
_LEVEL = re.compile(r"[CTLS]\d{1,2}")


def _opens_line_item(text: str, at: int) -> bool:
    """The "#" at ``at`` is a list item's bullet by its place: first on its line (after spaces or tabs) with a
    space or tab after it, as "# " opens a problem list's item and "#L1" glued does not."""
    if text[at + 1 : at + 2] not in (" ", "\t"):
        return False
    line = text.rfind("\n", 0, at) + 1
    return not text[line:at].strip(" \t")


def _problem_heading(doc: Doc, start: int, end: int) -> bool:
    """Tokens [start, end) ("#", a level) open a problem list's item: the "#" first on its line with a space after
    it, and the item goes on with a word of its own or a disc level's second half ("# T9 sclerotic lesion",
    "# L2-3 discitis"; session 23). "#L1" glued, or "# T12" ending its line or before a dash and words, stays
    British shorthand for a fracture (labels.md section 3)."""
    tokens = token_table(doc)
    text, starts, words = tokens.text, tokens.starts, tokens.words
    at = starts[start]
    if end >= len(words) or not _opens_line_item(text, at):
        return False
    after = starts[end]
    if "\n" in text[starts[end - 1] : after]:
        return False
    word = words[end]
    if word[0].isalpha():
        return word.lower() not in _HASH_BONE_WORDS
    return word == "-" and end + 1 < len(words) and starts[end + 1] == after + 1 and (
        words[end + 1].isdigit() or _LEVEL.fullmatch(words[end + 1]) is not None)


# A fracture word of a problem list's item: after "# " a bone and its own "fracture" make the "#" the item's bullet.
# A fracture service, risk or table named there ("# R clavicle - sling, fracture clinic in 1/52") is no such word.
_ITEM_FRACTURE = re.compile(
    r"(?i)\b(?:fractures?|fractured|fxs?)\b"
    r"(?![ \t]+(?:clinic|liaison|service|team|risk|prevention|table|probability|nurse|follow[ -]?up)\b)"
)


def _bullet_item_fracture(doc: Doc, start: int) -> bool:
    """Token ``start`` ("#" before a bone) opens a problem list's item that names its own fracture: the "#" first on
    its line with a space after it, and a fracture word later on that line ("# Left distal radius fracture (2019)",
    "# R NOF fx - s/p DHS"): the "#" is the item's bullet, not British shorthand for a fracture, and the item's own
    fracture word is the mention (its date or status reads as labels.md section 2 says; session 27). "# R clavicle
    - sling" and a glued "#NOF" stay fractures."""
    tokens = token_table(doc)
    text, at = tokens.text, tokens.starts[start]
    if not _opens_line_item(text, at):
        return False
    end = text.find("\n", at)
    return _ITEM_FRACTURE.search(text, at + 1, end if end >= 0 else len(text)) is not None


# A radiation dose ("8 Gy", "20Gy", "800 cGy"): the report speaks of radiotherapy, where "fx" and "#" count fractions.
_DOSE = re.compile(r"\d[ \t]?c?Gy\b")
_COUNT = re.compile(r"#?\d{1,2}(?:/\d{1,2})?")  # "5", "#3", "9/15": a fraction's number or count
_DOSE_COUNT = re.compile(r"(?i)(?:\d+(?:\.\d+)?)?c?gy/\d{1,2}")  # "20Gy/5 #", "Gy/15 Fx": a dose and its count, one token
# Words before "fx" that make it a fraction of a course ("per fx", "missed fx: none", "through last fx").
_FRACTION_BEFORE = frozenset({"per", "each", "every", "missed", "remaining", "last", "final", "next", "daily"})
_FRACTION_AFTER = frozenset({"delivered", "given", "received", "remaining", "missed"})  # "Fx delivered: 7 of 10"
# Words after "fx 2" that make it a fracture's age ("L1 fx 2 wks ago"), not the second fraction.
_TIME_WORDS = frozenset({"d", "day", "days", "wk", "wks", "week", "weeks", "mo", "mos", "month", "months", "yr", "yrs",
                         "year", "years", "ago"})


def _fraction_count(doc: Doc, start: int, end: int) -> bool:
    """Tokens [start, end) ("fx", "fxs", or "#" and a level) of a report that names a radiation dose count a course's
    fractions, not a fracture: a count stands before them ("27 Gy in 3 fx", "(3 fx)", "20Gy/5# T10-L2", "9 Gy / fx"), a
    course word before or after "fx" ("per fx", "missed fx", "last fx", "Fx delivered"), or a fraction's number after
    it ("after fx 1", "Fx 9/15"; not "L1 fx 2 wks ago"). "L1 fx", "no fx", "pathologic fx unlikely" stay fractures
    (session 24)."""
    words = token_table(doc).words
    before = words[start - 1] if start else ""
    if _COUNT.fullmatch(before) or _DOSE_COUNT.fullmatch(before):
        return True
    if before == "/" and start > 1 and words[start - 2].lower() in ("gy", "cgy"):
        return True
    if words[start].lower() not in ("fx", "fxs"):
        return False
    after = words[end] if end < len(words) else ""
    if before.lower() in _FRACTION_BEFORE or after.lower() in _FRACTION_AFTER:
        return True
    return _COUNT.fullmatch(after) is not None and (end + 1 >= len(words) or words[end + 1].lower() not in _TIME_WORDS)


def _over_a_line(doc: Doc, start: int, end: int) -> bool:
    """Whether tokens [start, end) hold a line break."""
    tokens = token_table(doc)
    return "\n" in tokens.text[tokens.starts[start] : tokens.starts[end - 1]]


def _add_ents(doc: Doc, spans: list[Span], rows: list[tuple[int, int, int]] | None = None) -> None:
    """The mentions that fit go to ``doc.ents`` too (displaCy, medspaCy's visualizer): the longest of
    overlapping ones, and none over another component's entity (the span group keeps them all).

    ``rows``: (start, end, label) of each span, as the matcher made them (no knowledge-base id); read from the
    spans when not given. ``doc.set_ents`` with the default ``"outside"`` is what assigning ``doc.ents`` does,
    without first copying every span; the doc's entities are read once."""
    if not spans:
        return
    if rows is None:
        rows = [(s.start, s.end, s.label) for s in spans]
    fits = _fits(rows)
    existing = doc.ents
    if not existing:
        _set_new_ents(doc, [rows[k] for k in fits])
        return
    taken = bytearray(len(doc))
    for ent in existing:
        taken[ent.start : ent.end] = b"\x01" * (ent.end - ent.start)
    kept = [spans[k] for k in fits if not any(taken[rows[k][0] : rows[k][1]])]
    if kept:
        doc.set_ents(sorted([*existing, *kept], key=lambda s: s.start), default="outside")


def _fits(rows: list[tuple[int, int, int]]) -> list[int]:
    """``spacy.util.filter_spans`` on (start, end, label) rows, as indexes into them in text order: the longest
    first (the earlier of two as long, then the one given first), each kept unless it overlaps one kept before.
    Span objects answer each ``start`` / ``end`` through a property (about a quarter of filter_spans' cost)."""
    order = sorted([(end - start, -start, -k) for k, (start, end, _) in enumerate(rows)], reverse=True)
    seen: set[int] = set()
    kept = []
    for length, neg_start, neg_k in order:
        start = -neg_start
        if start not in seen and start + length - 1 not in seen:
            kept.append((start, -neg_k))
            seen.update(range(start, start + length))
    kept.sort()
    return [k for _, k in kept]


# A token's IOB code (B 3, I 1, O 2) as the 8 bytes of its uint64 array cell
_B_CELL, _I_CELL, _O_CELL = ((code).to_bytes(8, "little") for code in (3, 1, 2))


def _set_new_ents(doc: Doc, fits: list[tuple[int, int, int]]) -> None:
    """``doc.set_ents(fits, default="outside")`` on a doc without entities (``fits``: (start, end, label) rows
    apart, without a knowledge-base id), written as token arrays.

    ``set_ents`` tests every token against a Python set of the covered ones (about 1,200 instructions a
    token: 0.4 M for a generated report's 330 tokens); the arrays say the same: B then I with the label over
    each span, O elsewhere, the knowledge-base id of each span (0) over its tokens, the rest of each token as
    it was (tests/test_spacy_doc.py compares the two). The two columns are written as bytes, one slice per
    span and column, and read by numpy without a copy: numpy's writes of a cell or a slice cost a few
    thousand instructions each (session 23).

    The IOB and type columns are written whole, not read first: only the knowledge-base ids must stay as
    they were outside the spans, and inside them they already are the spans' (0) on every doc a tokenizer
    made; a doc where one is not is written with the ids read and set (the three columns)."""
    n = len(doc)
    iob = bytearray(_O_CELL * n)
    types = bytearray(8 * n)
    labelled = []
    for start, end, label in fits:
        if not label:
            continue  # set_ents leaves a span without a label out
        iob[8 * start : 8 * start + 8] = _B_CELL
        if end - start > 1:
            iob[8 * start + 8 : 8 * end] = _I_CELL * (end - start - 1)
        types[8 * start : 8 * end] = label.to_bytes(8, "little") * (end - start)
        labelled.append((start, end))
    if not labelled:
        return
    iob += types
    array = numpy.frombuffer(iob, dtype=_UINT64).reshape(2, n).T  # column-major, as from_array reads it (no copy)
    if any(doc[i].ent_kb_id for start, end in labelled for i in range(start, end)):
        columns = [ENT_IOB, ENT_TYPE, ENT_KB_ID]
        ids = doc.to_array([ENT_KB_ID])
        for start, end in labelled:
            ids[start:end] = 0
        doc.from_array(columns, numpy.column_stack([array, ids]))
        return
    doc.from_array(_IOB_TYPE, array)


_IOB_TYPE = [ENT_IOB, ENT_TYPE]
_UINT64 = numpy.dtype("uint64")


@Language.factory(
    "reportnlp_mentions",
    default_config={"patterns": None, "matcher": "fast"},
    assigns=["doc.spans", "span._.reportnlp_rule", "span._.reportnlp_meta"],
)
def make_mentions(nlp: Language, name: str, patterns: str | None, matcher: str) -> MentionMatcher:
    return with_rules(patterns, lambda rules: MentionMatcher(nlp, rules.targets, name=name, matcher=matcher))
