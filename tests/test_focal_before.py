"""``focal_before`` answers as the search it stands for, ``_FOCAL.search(text, clause start, mention end)``, whatever
the clause holds and wherever in it the mention ends (the clause's first match is remembered per report)."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from reportnlp.records.labels.lesions import _FOCAL, focal_before

PIECES = ["focal", "focus", "foci", "focused", "lesion", "lesions", "lesionsx", "solitary", "single", "singles",
          "uptake", "ſingle", "x", " ", ",", "-", "é"]


class _Nearby:
    def __init__(self, text: str) -> None:
        self.text = text
        self._once: dict[tuple[Any, ...], Any] = {}

    def once(self, key: tuple[Any, ...], compute: Any) -> Any:
        if key not in self._once:
            self._once[key] = compute()
        return self._once[key]


@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=12).map("".join), st.data())
def test_focal_before_is_the_search_from_the_clause_start_to_the_mention_end(text: str, data: st.DataObject) -> None:
    lo = data.draw(st.integers(0, len(text)))
    hi = data.draw(st.integers(lo, len(text)))
    nearby = _Nearby(text)
    for end in data.draw(st.lists(st.integers(lo, len(text)), min_size=1, max_size=6)):  # some past the clause's end
        m = {"clause": {"start": lo, "end": hi}, "end": end}
        assert focal_before(m, nearby) == (_FOCAL.search(text, lo, end) is not None)
