"""How far before a sentence ConText's cue matching starts (components/context.py ``_near``).

A cue that starts before a sentence and runs into it must be found (the whole doc is then compared, as
medspaCy does). Most rules are a few tokens long: only the words that can start a longer pattern make a
sentence take the longest pattern's reach before it. tests/test_equivalence.py checks that the cues are
the whole doc's either way.
"""

from types import SimpleNamespace
from typing import Any

from reportnlp.nlp.components.context import _reached


def _tokens(words: list[str]) -> Any:
    return SimpleNamespace(words=words, lower=[w.lower() for w in words])


# a pattern of at most 7 tokens can start at "without", one of at most 17 at "risks"
LONG = (frozenset({"risks", "without"}), frozenset(),
        [(17, frozenset({"risks"}), frozenset()), (7, frozenset({"without"}), frozenset())])
SHORT = 5  # the longest literal


def _sentence_at(before: list[str]) -> tuple[Any, int, int]:
    words = [*before, "Fracture", "."]
    lo = len(before)
    return _tokens(words), lo, max(0, lo - (SHORT - 1))


def test_the_long_rules_start_words_are_listed_by_their_length(extractor: Any) -> None:
    matcher = extractor.nlp.get_pipe("reportnlp_assertion").cues.matcher
    assert matcher.short == 5
    by_length = {length: lowers for length, lowers, _ in matcher.long_starts}
    assert "without" in by_length[7]  # pseudo_without_trauma: "without (any) (history) (of) (known) trauma (history)"
    assert all(length > matcher.short for length in by_length)
    assert not any("no" in lowers for lowers in by_length.values())  # "no" starts only short cues


def test_words_that_start_only_short_rules_leave_the_short_lead() -> None:
    tokens, lo, near = _sentence_at("there is no evidence of acute change in the spine today at all .".split())
    assert not _reached(tokens, LONG, lo, near)


def test_a_long_rules_start_word_within_its_reach_takes_the_long_lead() -> None:
    tokens, lo, near = _sentence_at("seen without a history of known trauma .".split())  # "without" 7 before
    assert lo - tokens.lower.index("without") == 7
    assert not _reached(tokens, LONG, lo, near)  # 7 tokens from "without" end just before the sentence
    tokens, lo, near = _sentence_at("without history of known trauma .".split())  # 6 before: can reach it
    assert _reached(tokens, LONG, lo, near)


def test_the_longest_rules_start_word_reaches_from_far_back() -> None:
    before = "risks and benefits were discussed with the patient including the chance of".split()
    tokens, lo, near = _sentence_at(before)
    assert lo - tokens.lower.index("risks") == 12
    assert _reached(tokens, LONG, lo, near)


def test_exact_word_tests_count_too() -> None:
    tokens, lo, near = _sentence_at("we saw MR findings of note here .".split())
    assert not _reached(tokens, (frozenset(), frozenset({"CT"}), [(9, frozenset(), frozenset({"CT"}))]), lo, near)
    assert _reached(tokens, (frozenset(), frozenset({"MR"}), [(9, frozenset(), frozenset({"MR"}))]), lo, near)
