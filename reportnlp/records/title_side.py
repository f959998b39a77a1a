"""An exam title's one side given to the findings at its bone that name no side of their own.

"XR FEMUR LEFT 2 VIEWS" then "a lytic lesion in the proximal femoral diaphysis": the radiograph is of the left femur,
so is the lesion (session 33). Only a title that names one side (left or right, not both, not "bilateral") gives
it, only to a bone location whose bone the title names (or a bone of the joint it names: "MRI LEFT SHOULDER" then
"the humeral head"), and only where neither the location nor its mention has a
side already ("XR RIGHT HUMERUS" then "the visualised left clavicle" keeps its left). A midline bone takes none.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

_SIDE = re.compile(r"\b(?:(left|lt)|(right|rt)|bilateral|bilat|both)\b", re.I)
_AFTER_SIDE = ("levels", "inherited", "antecedent", "rule")  # keys a location writes after its laterality
# Bones of the midline, or bone in general, have no side of their own: "DXA LUMBAR SPINE AND LEFT HIP" gives the spine's
# fractures none.
_MIDLINE = frozenset(("bone", "spine", "cervical spine", "thoracic spine", "lumbar spine", "sacrum", "sternum", "skull",
                      "mandible", "maxilla", "nasal bone"))


def title_side(title: str) -> str | None:
    """"left" or "right" when the title names that side alone, else None."""
    sides = set()
    for m in _SIDE.finditer(title):
        sides.add("left" if m.group(1) else "right" if m.group(2) else "both")
    return sides.pop() if len(sides) == 1 and "both" not in sides else None


def _sided(loc: dict[str, Any], side: str) -> dict[str, Any]:
    """The location with its laterality, the keys kept in the order a location writes them."""
    out: dict[str, Any] = {}
    for key, value in loc.items():
        if key in _AFTER_SIDE and "laterality" not in out:
            out["laterality"] = side
        out[key] = value
    out.setdefault("laterality", side)
    return out


def give_title_side(title: str, find_anatomy: Callable[[str, int], Iterable[Any]], mentions: list[dict[str, Any]],
                    title_sections: tuple[str, ...], joint_bones: Mapping[str, frozenset[str]]) -> None:
    """Give the title's one side to the bone locations, at a bone the title names or a bone of a joint it names
    (``joint_bones``: "shoulder" -> humerus, scapula, clavicle), of the mentions outside the title that have no side
    (in place)."""
    side = title_side(title) if title else None
    if side is None:
        return
    bones: set[str] = set()
    for a in find_anatomy(title, 0):
        if a.kind == "bone" and a.value:
            bones.add(a.value)
        elif a.kind == "joint":
            bones.update(joint_bones.get(a.text.lower().rstrip("s"), ()))
    bones -= _MIDLINE
    if not bones:
        return
    for m in mentions:
        if m.get("laterality") or m["section"] in title_sections:
            continue
        locations = m.get("locations")
        if not locations or any(loc.get("laterality") for loc in locations):
            continue
        m["locations"] = [_sided(loc, side) if loc["kind"] == "bone" and loc.get("value") in bones else loc
                          for loc in locations]
