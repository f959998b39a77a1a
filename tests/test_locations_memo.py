"""The location linker's remembered regex answers (all_levels, anaphora) are the searches they stand for,
whatever the text around the clause: the key holds the clause and the one character before it."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from reportnlp.nlp.components.docdata import doc_value
from reportnlp.nlp.components.locations import (
    _HEADING,
    _HEADING_FIRST,
    Anatomy,
    LocationLinker,
    _copy,
    _fields,
    _may_head,
    _may_hold_heading,
    _may_name_side,
)
from reportnlp.nlp.components.tables import sentence_table, token_table
from reportnlp.nlp.rules import load_rules

RULES = load_rules()
LINKER = LocationLinker(RULES.anatomy, RULES.concepts)  # one memo across every example
PIECES = ["multilevel", "multi-level", "at all levels", "every", "level", "levels", "other", "disc", "elsewhere",
          "these findings", "This", "it is noted", "it", "which", "they", "the two lesions", "Mets.", "x", "é",
          "ſ", " ", "  ", "\n", ".", ",", ";", "but", "L4-5"]
TEXT = st.lists(st.sampled_from(PIECES), min_size=1, max_size=14).map("".join)


@settings(max_examples=500, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=4), st.lists(st.tuples(st.integers(0, 3), st.integers(0, 60), st.integers(0, 60)),
                                                     min_size=1, max_size=10))
def test_remembered_all_levels_and_anaphora_answers_are_the_searches(texts: list[str], cuts: list[tuple[int, int, int]]) -> None:
    for k, lo, length in cuts * 2:  # twice: the second time from the memo
        text = texts[k % len(texts)]
        lo = min(lo, len(text))
        hi = min(lo + length, len(text))
        assert LINKER._every_level(text, lo, hi) == (LINKER.all_levels.search(text, lo, hi) is not None)
        m = LINKER.anaphora.match(text, lo, hi)
        assert LINKER._opener(text, lo, hi) == (None if m is None else m.group(0))


def test_the_character_before_the_clause_is_part_of_the_key() -> None:
    """'xmultilevel' from its 'm' is no word start (no \\b), 'multilevel' at a text's start is."""
    assert LINKER._every_level("xmultilevel", 1, 11) is (LINKER.all_levels.search("xmultilevel", 1, 11) is not None)
    assert LINKER._every_level("multilevel", 0, 10) is True
    assert LINKER._every_level(" multilevel", 1, 11) is True



def test_a_clause_holding_none_of_the_every_level_words_is_ruled_out_but_a_folded_one_is_searched() -> None:
    """all_levels' matches each hold "multi", "elsewhere" or "level": an ASCII clause with none of them is not
    searched. RE2 folds the long s onto "s", which lower() does not: such a clause is searched."""
    folded = "No stenosis el\u017fewhere."
    assert LINKER.all_levels.search(folded) is not None
    assert LINKER._every_level(folded, 0, len(folded)) is True
    assert LINKER._every_level("No stenosis at L4-5.", 0, 20) is False

@settings(max_examples=200, deadline=None)
@given(st.builds(
    Anatomy, kind=st.sampled_from(["level", "bone", "organ"]), text=st.text(max_size=5), start=st.integers(0, 99),
    end=st.integers(0, 99), value=st.none() | st.text(max_size=3), region=st.none() | st.text(max_size=3),
    levels=st.lists(st.sampled_from(["L4", "L5", "T1"]), max_size=3), level_type=st.none() | st.sampled_from(["disc", "range"]),
    laterality=st.none() | st.sampled_from(["left", "bilateral"]), rule=st.text(max_size=3), inherited=st.booleans(),
    antecedent=st.booleans(),
))
def test_written_out_copy_and_dict_are_the_generic_ones(a: Anatomy) -> None:
    """``_copy`` and ``as_dict`` written out field by field give what the generic forms gave."""
    assert _copy(a) == Anatomy(**_fields(a)) and _copy(a).levels is a.levels
    out: dict[str, object] = {"kind": a.kind, "text": a.text, "start": a.start, "end": a.end}
    for key in ("value", "region", "level_type", "laterality"):
        if getattr(a, key) is not None:
            out[key] = getattr(a, key)
    if a.levels:
        out["levels"] = list(a.levels)
    if a.inherited:
        out["inherited"] = True
    if a.antecedent:
        out["antecedent"] = True
    out["rule"] = a.rule
    assert list(a.as_dict().items()) == list(out.items())


def test_a_clause_search_does_not_encode_the_whole_report(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The regex wrapper encodes the string it is given: searching each clause inside the whole text of a
    long non-ASCII report made the work grow with clauses x length (bench/adversarial.py, mixed Unicode)."""
    from reportnlp.nlp import safe_regex

    sizes: list[int] = []
    real = safe_regex._Encoded.__init__

    def counting(self, text: str) -> None:  # type: ignore[no-untyped-def]
        sizes.append(len(text))
        real(self, text)

    monkeypatch.setattr(safe_regex._Encoded, "__init__", counting)
    linker = LocationLinker(RULES.anatomy, RULES.concepts)
    text = " ".join(f"clause {i} métastase é" for i in range(200))
    for i in range(200):
        lo = i * 24
        linker._every_level(text, lo, lo + 23)
        linker._opener(text, lo, lo + 23)
    assert max(sizes, default=0) < 100


HEADING_PIECES = ["L4-5:", "C5-6, C6-7:", "at L2-3:", "T12:", "Stable.", "Lytic lesion.", "Small disc bulge.", "No stenosis.",
                  "Canal patent.", "\n", "\n\n", " ", "Soft tissues:", "Alignment normal.", "FINDINGS:", "S1:"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(HEADING_PIECES), min_size=1, max_size=30), st.randoms(use_true_random=False))
def test_nearest_heading_walk_is_the_plain_walk(extractor: Any, pieces: list[str], order: Any) -> None:
    """The remembered walk back to a level heading (sentence starts by index) finds, for every sentence asked in
    any order, what the plain walk back over ``SentenceTable.previous`` finds."""
    nlp = extractor.nlp
    doc = nlp.make_doc(" ".join(pieces))
    for name in ("reportnlp_sections", "reportnlp_sentences"):
        doc = nlp.get_pipe(name)(doc)
    linker = nlp.get_pipe("reportnlp_locations")
    tokens, sentences = token_table(doc), sentence_table(doc)
    sections = doc_value(doc, "reportnlp_sections") or []
    headings: dict[int, Any] = {}
    firsts = sorted({0, *sentences.starts})
    order.shuffle(firsts)
    for first in firsts:
        if first >= len(doc):
            continue
        sent = sentences.sent(first)
        m_lo = tokens.offsets(*sent)[0]
        remembered = linker._heading_levels(sections, tokens, sentences, sent, m_lo, {}, headings)
        plain = linker._heading_levels(sections, tokens, sentences, sent, m_lo, {}, None)
        assert [_fields(a) for a in remembered] == [_fields(a) for a in plain]


HEAD_CHARS = st.text(alphabet=st.sampled_from(list("aAtTcClLsSſ0123456789٤:-/,& \t\nxéK")), max_size=12)


@settings(max_examples=1000, deadline=None)
@given(HEAD_CHARS)
def test_a_sentence_the_heading_precheck_passes_over_is_no_heading(text: str) -> None:
    """``_may_head`` lets through every sentence start where the heading regex matches (it opens with one of its
    first letters, then "t" of "at" or a level's digit, any Unicode digit as ``\\d``)."""
    for at in range(len(text)):
        if text[at] in _HEADING_FIRST and _HEADING.match(text, at):
            assert _may_head(text, at)


HEADING_TEXT = st.text(alphabet=st.sampled_from(list("aAtTcClLsSſeEvV0123456789٤:-/,& \t\nxéK")), max_size=16)


@settings(max_examples=1000, deadline=None)
@given(HEADING_TEXT)
def test_a_text_the_heading_gate_passes_over_holds_no_heading(text: str) -> None:
    """``_may_hold_heading`` is true of every text where the heading regex matches anywhere (a level's digit, maybe
    blanks and "level(s)", then a colon, read backwards), so a report it is false for walks back to no heading."""
    if any(_HEADING.match(text, at) for at in range(len(text))):
        assert _may_hold_heading(text)


def test_the_heading_gate_reads_headings_and_passes_over_prose() -> None:
    for text in ("Findings:\nL4-5: disc bulge.", "C5-6, C6-7 levels: stable.", "T12 level : wedge", "At \u017f1: no"):
        assert _may_hold_heading(text)
    for text in ("EXAM: chest, 2 views.\nIMPRESSION: no fracture.", "Lumbar spine: L4-5 disc bulge.", ""):
        assert not _may_hold_heading(text)


def test_the_heading_precheck_passes_over_common_sentence_openings() -> None:
    for opening in ("The spine", "She has", "There is", "Left hip", "CT chest", "Soft tissues"):
        assert not _may_head(opening, 0)
    for heading in ("L4-5:", "at L2-3:", "At C5:", "S1:", "T12:", "\u017f1:", "L\u0664-5:"):
        assert _may_head(heading, 0) and _HEADING.match(heading)


SIDE_TEXT = st.lists(
    st.sampled_from([*"leftrighbaLEFTRIGHB ,\nİıK", "left ", "right ", "bilateral", " at L4-5 ", "on the "]), max_size=16
).map("".join)


@settings(max_examples=1000, deadline=None)
@given(SIDE_TEXT, st.data())
def test_a_clause_the_side_gate_passes_over_gives_its_mentions_no_side(text: str, data: Any) -> None:
    """``_may_name_side`` is true of every clause where a mention's side is read (before it or after it, inside the
    clause), so a mention of a clause it is false for has no side without the two regex reads."""
    lo = data.draw(st.integers(0, len(text)))
    hi = data.draw(st.integers(lo, len(text)))
    start = data.draw(st.integers(lo, hi))
    end = data.draw(st.integers(start, hi))
    if LocationLinker._mention_laterality(text, start, end, lo, hi) is not None:
        assert _may_name_side(text, lo, hi)


def test_the_side_gate_reads_side_words_in_any_case() -> None:
    assert _may_name_side("Healing LEFT rib fracture.", 0, 26)
    assert _may_name_side("disc bulge, bilaterally", 0, 23)
    assert not _may_name_side("Chest, 2 views, frontal and lateral", 0, 35)
