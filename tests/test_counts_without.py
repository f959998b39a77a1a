"""records/labels/neighbours.py ``without``: the fast form of Counter subtraction the label rules use per mention."""

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from reportnlp.records.labels import without

KEYS = st.sampled_from(["group:lesion", "concept:fracture", "rule:r1", "malignant:present", "x"])


@given(st.lists(KEYS, max_size=30), st.lists(KEYS, min_size=1, max_size=5))
def test_without_equals_counter_subtraction(counted: list[str], own: list[str]) -> None:
    counts = Counter(counted)
    assert without(counts, own) == counts - Counter(own)


def test_without_leaves_the_shared_counts_alone() -> None:
    counts = Counter({"concept:fracture": 2})
    without(counts, ["concept:fracture"])
    assert counts == Counter({"concept:fracture": 2})
