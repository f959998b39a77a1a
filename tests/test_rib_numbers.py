"""A rib's number read beside its name (labels/sites.py ``rib_numbers``, session 29): two findings of numbered
ribs meet only at a number they share."""

from __future__ import annotations

from typing import Any

import pytest

from reportnlp.records.labels.sites import rib_numbers


def _at_rib(text: str) -> dict[str, Any]:
    start = text.index("rib")
    end = start + (4 if text[start : start + 4] == "ribs" else 3)
    return {"locations": [{"kind": "bone", "value": "rib", "text": text[start:end], "start": start, "end": end}]}


@pytest.mark.parametrize(("text", "numbers"), [
    ("Healing fracture of the left 6th rib laterally.", {6}),
    ("Focal uptake in the posterior left tenth rib.", {10}),
    ("Four foci in the left 5th-8th ribs.", {5, 6, 7, 8}),
    ("Fractures of the fourth and sixth right ribs.", {4, 6}),
    ("Lucency in left rib 8 posteriorly.", {8}),
    ("Healing left rib fractures.", set()),
    ("A 2 cm lesion of the rib 3 cm from the spine.", set()),
])
def test_a_ribs_number_is_read_beside_it(text: str, numbers: set[int]) -> None:
    assert rib_numbers(_at_rib(text), text) == numbers
