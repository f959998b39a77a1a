"""A preliminary read in a note's course gives way to the final read below it (labels.md section 3, session 21)."""

from __future__ import annotations

from typing import Any

from reportnlp.run.extractor import Extractor

_FINAL = "ADDENDUM 02:10: Final read CT L-spine: no acute fracture.\n"


def fractures(extractor: Extractor, text: str) -> list[dict[str, Any]]:
    return [m for m in extractor.record_for_text("t", text)["mentions"] if m["concept"] == "fracture"]


def test_a_wet_read_finding_is_history_once_a_final_read_follows(extractor: Extractor) -> None:
    text = "ED course: fall at home.\nWet read: possible L3 transverse process fracture.\n" + _FINAL
    record = extractor.record_for_text("t", text)
    assert record["labels"]["fracture"] == "absent"
    assert [m["assertion"] for m in fractures(extractor, text)] == ["historical", "absent"]


def test_a_wet_read_with_no_final_read_below_counts(extractor: Extractor) -> None:
    text = "ED course: fall at home.\nWet read: possible L3 transverse process fracture.\n"
    assert extractor.record_for_text("t", text)["labels"]["fracture"] == "possible"


def test_every_finding_of_a_long_wet_read_line_gives_way(extractor: Extractor) -> None:
    levels = ", ".join(f"possible fracture of the L{n % 5 + 1} transverse process" for n in range(60))
    text = f"ED course: fall.\nWet read: {levels}\n" + _FINAL
    found = fractures(extractor, text)
    assert len(found) == 61
    assert {m["assertion"] for m in found[:-1]} == {"historical"}


def test_a_sentence_after_the_wet_read_on_its_line_is_no_part_of_it(extractor: Extractor) -> None:
    text = "ED course: fall.\nWet read: possible L3 fracture. Exam: tender, possible rib fracture.\n" + _FINAL
    assert [m["assertion"] for m in fractures(extractor, text)] == ["historical", "possible", "absent"]


def test_an_own_read_gives_way_to_a_radiology_over_read(extractor: Extractor) -> None:
    text = ("ED note\nImaging: XR L-spine, my read: L1 compression fx.\n"
            "Radiology overread by Dr. Lee: disagree, no fracture.\n")
    assert extractor.record_for_text("t", text)["labels"]["fracture"] == "absent"


def test_an_over_read_that_only_agrees_keeps_the_preliminary_read(extractor: Extractor) -> None:
    text = ("CT C-SPINE\nPreliminary read (teleradiology, 02:14): Acute fracture of the right C6 lamina.\n"
            "Attending over-read 07:30: Agree with the preliminary interpretation.\n")
    assert extractor.record_for_text("t", text)["labels"]["fracture"] == "present"


def test_an_over_read_still_to_come_replaces_nothing(extractor: Extractor) -> None:
    text = "ED note\nXR L-spine, my read: L1 compression fx, pending radiology overread.\n"
    assert extractor.record_for_text("t", text)["labels"]["fracture"] == "present"
