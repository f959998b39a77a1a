"""The target engine's match gate: a report is walked only before the words its patterns need, and finds every match.

The gate (components/matching.py ``_MatchGate``) keys each token pattern on one word list it needs (or, with none, on
a word test of a needed token) and lets the engine start only the few tokens before such a word. It is a speed step:
every match the engine finds on the whole report starts where the gate lets it, so the matches, their order and the
records are the same. Checked here on random patterns against spaCy's Matcher and the ungated engine, and on the
shipped target rules over the phrasing cases and over arbitrary text.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.tokens import Doc

from reportnlp.nlp.components import matching
from reportnlp.nlp.components.matching import TokenPatternMatcher, _Tokens, add_token_pattern

DATA = Path(__file__).resolve().parent / "data"
_BLANK = spacy.blank("en")


def _gated(keyed: list[tuple[str, list[dict[str, Any]]]]) -> TokenPatternMatcher:
    return TokenPatternMatcher(_BLANK, keyed, add_token_pattern, gate=True)


def _doc(words: list[str]) -> Doc:
    """A doc whose sentences start after each "."."""
    doc = Doc(_BLANK.vocab, words=words)
    for token in doc:
        token.is_sent_start = token.i == 0 or words[token.i - 1] == "."
    return doc


# --- how the gate reads patterns ------------------------------------------------------------------------------


def test_a_pattern_is_keyed_on_its_least_common_needed_word_list() -> None:
    """"the" and "lateral" are common in reports, "recess" is not: the pattern is looked for where "recess" is, the
    match starting one or two tokens before it (the optional "the" before it)."""
    pattern = [{"LOWER": "the", "OP": "?"}, {"LOWER": "lateral"}, {"LOWER": {"IN": ["recess", "recesses"]}}]
    gate = _gated([("P_0", pattern)])._match_gate
    assert gate is not None
    assert gate.reach == {"recess": (-2, -1), "recesses": (-2, -1)}  # the offsets from the word to a match's start


def test_a_pattern_with_no_word_list_is_keyed_on_its_regex_in_the_text() -> None:
    """A TNM stage ("T2N0M0") names no words: its REGEX test's body is searched in the report's text, in its case."""
    gate = _gated([("P_0", [{"LOWER": "stage", "OP": "?"}, {"TEXT": {"REGEX": "^T[0-4]N[0-3]M0$"}}])])._match_gate
    assert gate is not None and gate.reach == {} and gate.regex is not None
    assert gate.positions(_Tokens(_doc(["Stage", "T2N0M0", ".", "Plan", "."]))) == [0, 1]
    assert gate.positions(_Tokens(_doc(["Stage", "t2n0m0", ".", "Plan", "."]))) == []


def test_a_lower_case_regex_is_searched_without_case_in_an_ascii_text_only() -> None:
    gate = _gated([("P_0", [{"LOWER": {"REGEX": "^[1-9]v$"}}])])._match_gate
    assert gate is not None and gate.ascii_only
    assert gate.positions(_Tokens(_doc(["Chest", "2V", ".", "Clear", "."]))) == [1]
    assert gate.positions(_Tokens(_doc(["Chest", "2V", ".", "Cl\u00e9ar", "."]))) is None  # walked whole


def test_a_pattern_that_needs_no_token_a_word_tells_leaves_every_report_walked_whole() -> None:
    """A sentence start alone (a position, not a word) tells the gate nothing: no gate, as before."""
    assert _gated([("P_0", [{"IS_SENT_START": True}, {"LOWER": "x", "OP": "?"}])])._match_gate is None
    assert _gated([("P_0", [{"LOWER": "x", "OP": "?"}])])._match_gate is None
    assert _gated([("P_0", [{"IS_ALPHA": True}, {"LOWER": "x", "OP": "?"}])])._match_gate is None
    assert _gated([("P_0", [{"LOWER": {"REGEX": "\\bx"}}])])._match_gate is None  # a body that reads around it
    assert TokenPatternMatcher(_BLANK, [("P_0", [{"LOWER": "x"}])], add_token_pattern)._match_gate is None


def test_a_report_without_a_needed_word_is_not_walked() -> None:
    lean = _gated([("P_0", [{"LOWER": "lytic"}, {"LOWER": "lesion"}])])
    plain = _doc(["No", "acute", "findings", "."] * 5)
    assert lean._match_gate.positions(_Tokens(plain)) == []  # type: ignore[union-attr]
    assert lean(plain) == []
    found = _doc(["No", "acute", "findings", ".", "Lytic", "lesion", "."] + ["Normal", "."] * 5)
    assert lean._match_gate.positions(_Tokens(found)) == [4]  # type: ignore[union-attr]
    assert lean(found) == [(_BLANK.vocab.strings["P_0"], 4, 6)]


def test_a_report_dense_with_needed_words_is_walked_whole() -> None:
    """A spine report naming a level at every other word: looking up every word and walking most of them would cost
    more than the walk alone, and its first words tell so."""
    lean = _gated([("P_0", [{"LOWER": {"IN": ["l4", "l5"]}}, {"LOWER": "disc"}])])
    dense = _doc(["L4", "disc", "bulge", "."] * 20)
    assert lean._match_gate.positions(_Tokens(dense)) is None  # type: ignore[union-attr]
    assert sorted(lean(dense)) == sorted(lean.spacy_matcher(dense))


# --- the same matches -----------------------------------------------------------------------------------------

_WORDS = ["a", "A", "b", "B", "c", "the", ".", ",", "2v", "T1", "x"]
_SPEC = st.one_of(
    st.sampled_from(_WORDS).map(lambda w: {"LOWER": w.lower()}),
    st.lists(st.sampled_from(["a", "b", "c", "the", "x"]), min_size=1, max_size=3, unique=True).map(
        lambda ws: {"LOWER": {"IN": ws}}),
    st.sampled_from(["A", "b", "T1", ","]).map(lambda w: {"TEXT": w}),
    st.sampled_from(["^[1-9]v$", "^T[0-4]$", "^(?:a|b)$", "^[ab]"]).map(lambda rx: {"LOWER": {"REGEX": rx}}),
    st.sampled_from(["^T[0-4]$", "^(?:A|B)$"]).map(lambda rx: {"TEXT": {"REGEX": rx}}),
    st.just({"IS_ALPHA": True}),
    st.just({"IS_SENT_START": True, "LOWER": "a"}),
    st.just({}),
)
_SPEC_WITH_OP = st.tuples(_SPEC, st.sampled_from([None, None, "?", "{0,2}", "{1,2}"])).map(
    lambda pair: pair[0] if pair[1] is None else {**pair[0], "OP": pair[1]})


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.lists(_SPEC_WITH_OP, min_size=1, max_size=4), min_size=1, max_size=5),
    st.lists(st.lists(st.sampled_from([*_WORDS, "filler", "words"]), min_size=1, max_size=90), min_size=1, max_size=3),
)
def test_gated_patterns_find_what_the_whole_walk_and_spacy_matcher_find(
    patterns: list[list[dict[str, Any]]], docs: list[list[str]]
) -> None:
    """Random patterns (word lists, texts, regexes, flags, sentence starts, optional and repeated tokens) on reports
    long and short, sparse and dense: every match starts where the gate lets the engine start, and the gated engine
    gives the ungated one's matches in its order (so pruning keeps the same), which are spaCy's Matcher's."""
    keyed = [(f"P_{i}", p) for i, p in enumerate(patterns)]
    gated = _gated(keyed)
    whole = TokenPatternMatcher(_BLANK, keyed, add_token_pattern)
    for words in docs:
        doc = _doc(words)
        expected = whole(doc)
        if gated._match_gate is not None:
            positions = gated._match_gate.positions(_Tokens(doc))
            if positions is not None:
                assert {start for _, start, _ in expected} <= set(positions)
        assert gated(doc) == expected
        assert sorted(expected) == sorted(gated.spacy_matcher(doc))


# --- the shipped target rules ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def targets(extractor: Any) -> Any:
    """The Extractor's target matcher, its gate, and an ungated engine of the same patterns."""
    matcher = extractor.nlp.get_pipe("reportnlp_mentions").matcher
    engine = matcher.token_matcher
    whole = TokenPatternMatcher(extractor.nlp, engine._keyed_patterns, add_token_pattern)
    return matcher, engine, whole


def _prepared(extractor: Any, text: str) -> Doc:
    nlp = extractor.nlp
    doc = nlp.make_doc(text)
    for name in ("reportnlp_sections", "reportnlp_sentences"):
        doc = nlp.get_pipe(name)(doc)
    return doc


def test_every_shipped_target_pattern_is_gated(targets: Any) -> None:
    """A target pattern the gate cannot key (led by a position alone, the rest optional) would send every report
    back to the whole walk (about a third more of the mentions stage on a public report)."""
    _, engine, _ = targets
    assert engine._match_gate is not None


def test_the_phrasing_cases_match_as_on_the_whole_walk(extractor: Any, targets: Any) -> None:
    _, engine, whole = targets
    texts = [json.loads(line)["text"] for path in sorted(DATA.glob("phrasing*.jsonl")) for line in path.open()]
    assert len(texts) > 2000
    walked = 0
    for text in random.Random(35).sample(texts, 600):
        doc = _prepared(extractor, text)
        positions = engine._match_gate.positions(_Tokens(doc))
        walked += positions is not None
        assert engine(doc) == whole(doc)
    assert walked > 100  # the gate, not the whole walk, answered many of them


_REPORT_WORDS = [
    "No", "acute", "fracture", "of", "the", "L1", "vertebral", "body", ".", ",", "Lytic", "lesion", "in", "T12",
    "left", "lateral", "recess", "stenosis", "at", "L4-5", "Chest", "2", "views", "PA", "and", "2v", "T2N0M0", "stage",
    "metastatic", "disease", "bone", "scan", "normal", ":", "[", "]", "\n", "mild", "disc", "bulge", "cord",
    "compression", "#", "NOF", "hip", "pathologic", "possible", "xxxx", "degenerative", "changes",
]


@settings(max_examples=200, deadline=None)
@given(st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(_REPORT_WORDS), max_size=120).map(" ".join),
))
def test_shipped_target_matches_start_where_the_gate_lets_them(extractor: Any, targets: Any, text: str) -> None:
    """Any text, and runs of report words: the gated engine's matches are the whole walk's, and each starts at a
    position the gate gives (the gate is never silent where the engine would match)."""
    _, engine, whole = targets
    doc = _prepared(extractor, text)
    if not len(doc):
        return
    expected = whole(doc)
    positions = engine._match_gate.positions(_Tokens(doc))
    if positions is not None:
        assert {start for _, start, _ in expected} <= set(positions)
    assert engine(doc) == expected


def test_the_head_of_a_report_decides_a_dense_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the head's limit lifted the dense report is still matched the same (walked where the gate lets it)."""
    lean = _gated([("P_0", [{"LOWER": {"IN": ["l4", "l5"]}}, {"LOWER": "disc"}])])
    dense = _doc(["L4", "disc", "."] * 30)
    expected = sorted(lean(dense))
    monkeypatch.setattr(matching, "_HEAD_HITS", 10_000)
    assert sorted(lean(dense)) == expected == sorted(lean.spacy_matcher(dense))
