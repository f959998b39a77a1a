"""Frame cues (assertion.FrameCues) remembered per (label, words before, words after) give what reading
every frame at every mention gives: the plain reading is written out here, as it was before the memo."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from reportnlp.nlp.components import assertion
from reportnlp.nlp.components.assertion import _FRAME_REACH, _NON_SPACE, _QUERY_WORDS, FrameCues
from reportnlp.nlp.rules import load_rules
from reportnlp.nlp.safe_regex import compile_safe

FRAMES = load_rules().context.get("frame_cues", [])


def _plain_read(frames: FrameCues, text: str, sentence: tuple[int, int], span: tuple[int, int], label: str) -> list[Any]:
    found = []
    start, end = span
    first, last = sentence
    # a "?" before the sentence reaches it when the finding opens it or only query words stand between (session 19)
    query_before = _NON_SPACE.search(text, first, start) is None or _QUERY_WORDS.fullmatch(text, first, start) is not None
    if first > 0 and query_before and text[max(0, first - 2) : first].rstrip().endswith("?"):
        first = 0
    if text[max(end, last - 2) : last].rstrip().endswith("?"):
        last = len(text)
    elif text[max(end, last - 3) : last].rstrip(" ,").endswith(":"):  # a field label cut from its value
        last = len(text)
    reach = max(first, start - _FRAME_REACH)
    head, tail = text[reach:start], text[end : min(last, end + _FRAME_REACH)]
    for rule, category, before, after, allowed, excluded, *_ in frames.frames:
        if (allowed is not None and label not in allowed) or label in excluded:
            continue
        cue_start = cue_end = None
        if before is not None:
            m = before.search(head)
            if m is None:
                continue
            cue_start, cue_end = reach + m.start(), reach + m.start() + len(m.group(0).rstrip())
        if after is not None:
            m = after.match(tail)
            if m is None:
                continue
            words = m.group(0)
            cue_start = end + len(words) - len(words.lstrip()) if cue_start is None else cue_start
            cue_end = end + len(words.rstrip())
        direction = "BACKWARD" if before is None else "FORWARD" if after is None else "BIDIRECTIONAL"
        found.append((rule, category, cue_start, cue_end, direction))
    return found


def _frame_words() -> list[str]:
    """Words the shipped frames look for (their required literals' words), and some others."""
    words = {"no", "which", "can", "recent", "available", "?", "fracture", "the", "cord", "metastasis", "is"}
    for frame in FRAMES:
        for key in ("before", "after"):
            words.update(w.lower() for w in re.findall(r"[A-Za-z]{2,}", frame.get(key, "")))
    return sorted(words)


WORDS = _frame_words()
LABELS = sorted({t.upper() for f in FRAMES for t in f.get("allowed_types", []) + f.get("excluded_types", [])} | {"FRACTURE"})


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(WORDS), min_size=2, max_size=40),
    st.lists(st.sampled_from([" ", "  ", "\n", ", ", "? ", ". "]), min_size=40, max_size=40),
    st.lists(st.tuples(st.integers(0, 39), st.integers(1, 3), st.integers(0, 3), st.sampled_from(LABELS)),
             min_size=1, max_size=12),
)
def test_remembered_frames_equal_the_plain_reading(words: list[str], gaps: list[str], spans: list[Any]) -> None:
    # one memo across every mention (repeated mentions hit it)
    _assert_plain_reading(FrameCues(FRAMES), FrameCues(FRAMES), words, gaps, spans * 2)


def _assert_plain_reading(frames: FrameCues, fresh: FrameCues, words: list[str], gaps: list[str], spans: list[Any]) -> None:
    """Each span (first word, words, sentence start in words back, label) of the words joined by the gaps reads in
    ``frames`` what the plain reading of ``fresh`` gives."""
    pieces, starts = [], []
    for word, gap in zip(words, gaps, strict=False):
        starts.append(sum(map(len, pieces)))
        pieces += [word, gap]
    text = "".join(pieces)
    for first, length, sentence_back, label in spans:
        first %= len(starts)
        last = min(first + length, len(starts))
        start, end = starts[first], starts[last - 1] + len(words[last - 1])
        sentence = (starts[max(0, first - sentence_back)], len(text))
        expected = _plain_read(fresh, text, sentence, (start, end), label)
        assert frames.read(text, sentence, (start, end), label) == expected


def test_a_frame_found_again_at_another_offset_moves_with_it() -> None:
    frames = FrameCues([{"id": "f", "category": "HYPOTHETICAL", "before": r"\bwhich\s+can\s+", "after": r"\s+if\s+\w+"}])
    text = "X which can compress the cord if untreated. X which can compress the cord if untreated."
    for first in (0, text.rfind("X")):
        at = text.find("compress", first)
        end = at + len("compress the cord")
        sentence = (first, text.find(".", first) + 1)
        assert frames.read(text, sentence, (at, end), "CORD") == _plain_read(frames, text, sentence, (at, end), "CORD")
    assert len(frames._known) == 1  # the second mention was read from the memo
    assert assertion._FRAMES_REMEMBERED >= 1000


def test_a_frame_is_read_where_only_case_folding_gives_its_word() -> None:
    """The words a frame needs are looked for in ASCII words only: the long s folds onto "s" for the frame's
    regex, so "iſ" still gives the frame that needs "is"."""
    frames = FrameCues([{"id": "f", "category": "HYPOTHETICAL", "before": r"\bis\s+"}])
    text = "X iſ compressing the cord."
    at = text.find("compressing")
    hits = frames.read(text, (0, len(text)), (at, at + len("compressing the cord")), "CORD")
    assert [(rule, start) for rule, _, start, _, _ in hits] == [("f", text.find("iſ"))]



def test_the_ascii_fold_holds_every_character_beyond_ascii_that_matches_an_ascii_letter() -> None:
    """Frames are gated on non-ASCII words folded by assertion._ASCII_FOLD (session 22): that is sound only if no
    other character beyond ASCII matches an ASCII letter case-insensitively, in RE2 (the frames) or in re."""
    beyond = "".join(chr(c) for c in range(0x80, 0x110000) if not 0xD800 <= c < 0xE000)
    found = set(re.findall("[a-z]", beyond, re.IGNORECASE)) | {m.group(0) for m in compile_safe("[a-z]", re.I).finditer(beyond)}
    assert found == {c for c in map(chr, range(0x80, 0x110000)) if c.translate(assertion._ASCII_FOLD) != c}
    assert all(c.translate(assertion._ASCII_FOLD).lower() in "".join(map(chr, range(0x80))) for c in found)


NON_ASCII = ["\u017fuspected", "i\u017f", "\u212anown", "\u0130S", "\u0131s", "métastase", "骨", "🦴", "e\u0301", "\u202e",
             "Ｎo", "nο"]  # "nο" with a Greek omicron: no "no"


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(WORDS + NON_ASCII), min_size=2, max_size=30),
    st.lists(st.sampled_from([" ", "  ", "\n", ", ", "? ", ". "]), min_size=30, max_size=30),
    st.lists(st.tuples(st.integers(0, 29), st.integers(1, 3), st.integers(0, 3), st.sampled_from(LABELS)),
             min_size=1, max_size=12),
)
def test_frames_around_words_beyond_ascii_equal_the_plain_reading(words: list[str], gaps: list[str], spans: list[Any]) -> None:
    """The gate on folded non-ASCII words (session 22) leaves out only frames whose regexes cannot match there."""
    frames = FrameCues(FRAMES)
    _assert_plain_reading(frames, frames, words, gaps, spans)
