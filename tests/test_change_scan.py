"""Change cues in a long sentence are looked for only where their words start, and found exactly as
``re.finditer`` over the whole sentence finds them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportnlp.nlp.change_rules import compile_change
from reportnlp.nlp.rules import load_rules
from reportnlp.records import change
from reportnlp.records.change import ChangeFinder, _SentenceCues, _WordStarts

RULES, _ = compile_change(load_rules().change)
# Rules of our own beside the built-in ones: a first token that is optional, two that are.
EXTRA, _ = compile_change({
    "categories": {"NEW": "new", "TERMINATE": None},
    "context_rules": [
        {"literal": "lead", "category": "NEW", "direction": "FORWARD", "metadata": {"id": "lead"},
         "pattern": [{"LOWER": "no", "OP": "?"}, {"LOWER": {"IN": ["new", "change"]}}]},
        {"literal": "two_leads", "category": "NEW", "direction": "FORWARD", "metadata": {"id": "two_leads"},
         "pattern": [{"LOWER": "a", "OP": "?"}, {"LOWER": "b", "OP": "?"}, {"LOWER": "new"}]},
        {"literal": "is new", "category": "NEW", "direction": "BACKWARD", "metadata": {"id": "word"}},
        {"literal": "ſtable", "category": "NEW", "direction": "BACKWARD", "metadata": {"id": "ſtable"}},
    ],
})
WORDS = sorted({w for r in RULES for w in r.first_words} | {"no", "new", "change", "a", "b", "is", "stable", "ſtable",
                                                             "NEW", "İs", "interval", "lesion", "x"})
GLUE = st.sampled_from([" ", "  ", "\n", "\t", ",", ".", "-", "", "\u00a0", "é"])
TEXT = st.lists(st.one_of(st.sampled_from(WORDS), GLUE), max_size=40).map("".join)


def _spans(matches: object) -> list[tuple[int, int]]:
    return [m.span() for m in matches]  # type: ignore[attr-defined]


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_each_rule_finds_at_word_starts_what_finditer_finds(text: str) -> None:
    index = _WordStarts(text)
    for rule in [*RULES, *EXTRA]:
        assert _spans(index.finditer(rule)) == _spans(rule.regex.finditer(text)), rule.id


def test_rules_that_may_match_no_word_scan_the_whole_text() -> None:
    """A rule whose first word is not ASCII is not looked up by word: "stable" matches "ſtable" under IGNORECASE."""
    (rule,) = [r for r in EXTRA if r.id == "ſtable"]
    assert not rule.anchored
    assert _spans(_WordStarts("is stable").finditer(rule)) == [(3, 9)]


def test_a_long_sentence_gives_the_cues_a_short_one_gives() -> None:
    """Past 2,000 characters a sentence is searched by word starts: the same cues, at the same places."""
    finder = ChangeFinder(load_rules().change)
    unit = "no new lesion, the fracture is unchanged and no longer seen but enlarging "
    text = unit * 40
    cues = finder.cues(text, 0, len(text))
    assert len(text) > 2000 and len(cues) > 40
    assert [(s, e, r.id) for s, e, r in cues] == [
        (s + k * len(unit), e + k * len(unit), r.id) for k in range(40) for s, e, r in finder.cues(unit, 0, len(unit))
    ]


def _fields(sentence: _SentenceCues) -> tuple[object, ...]:
    return tuple(getattr(sentence, name) for name in _SentenceCues.__slots__)


@settings(max_examples=300, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=5), st.lists(st.tuples(st.integers(0, 4), st.sampled_from(["", " ", ". ", "\n"])),
                                                      min_size=1, max_size=12))
def test_a_sentence_found_again_gives_the_cues_and_words_it_gave(sentences: list[str], order: list[tuple[int, str]]) -> None:
    """ChangeFinder remembers a sentence's cues and words by its text: read again at another offset (or the
    same one), they are what reading it there gives."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(change, "_REMEMBERED", 2)  # entries dropped all the time
        _read_again(sentences, order)


def _read_again(sentences: list[str], order: list[tuple[int, str]]) -> None:
    finder = ChangeFinder(load_rules().change)
    text, spans = "", []
    for k, gap in order:
        sentence = sentences[k % len(sentences)]
        text += gap
        spans.append((len(text), len(text) + len(sentence)))
        text += sentence
    for span in spans * 2:
        assert _fields(finder._sentence(text, span)) == _fields(_SentenceCues(text, span, finder.cues(text, *span)))
