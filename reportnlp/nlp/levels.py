"""Normalise spine level expressions: "L4-5", "L4/5", "L4-L5", "L45" -> L4-L5; "T10 through L2" expanded."""

from __future__ import annotations

import re

SEQUENCE = (
    [f"C{i}" for i in range(1, 8)]
    + [f"T{i}" for i in range(1, 13)]
    + [f"L{i}" for i in range(1, 6)]
    + [f"S{i}" for i in range(1, 6)]
)
INDEX = {name: i for i, name in enumerate(SEQUENCE)}
REGION = {"C": "cervical spine", "T": "thoracic spine", "L": "lumbar spine", "S": "sacrum"}
DISC_SEPARATORS = {"-", "–", "/"}
_DORSAL = {"D": "T", "TH": "T"}  # the dorsal spine's levels are the thoracic ones (anatomy.json spine_level_dorsal),
# and so are the "Th" levels European reports write (spine_level_th)
_DISC = re.compile(r"^([CTLS]\d{1,2})-([CTLS]\d{1,2})$")
# a vertebra named by its spelled ordinal and its region's word ("the fourth lumbar vertebra": anatomy.json
# spine_level_ordinal; session 35)
_ORDINALS = {
    w: i for i, w in enumerate(
        ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh",
         "twelfth"), start=1,
    )
}
_REGION_WORDS = {"CERVICAL": "C", "THORACIC": "T", "DORSAL": "T", "LUMBAR": "L", "SACRAL": "S"}
_LISTED = {"and", "or", ","}  # "the second and fourth lumbar vertebrae": two vertebrae, no range


def _number(written: str) -> int:
    return int(written) if written.isdigit() else _ORDINALS[written.lower()]


def normalize(match: re.Match[str]) -> tuple[str, list[str]]:
    """Return (type, levels) for a match of the anatomy rule ``spine_level``.

    type is ``vertebra`` (one level), ``disc`` (adjacent pair joined by - or /) or ``range``.
    """
    a = match.group("a").upper()
    a = _DORSAL.get(a) or _REGION_WORDS.get(a, a)  # "D6" and "Th6" are written for T6, "lumbar" for L
    first = f"{a}{_number(match.group('an'))}"
    if first not in INDEX:
        return "vertebra", []
    if not match.group("bn"):
        return "vertebra", [first]
    b = (match.group("b") or a).upper()
    b = _DORSAL.get(b, b)
    second = f"{b}{_number(match.group('bn'))}"
    sep = match.group("sep").lower()
    if sep.strip() in _LISTED:
        return "vertebra", [first] + ([second] if second in INDEX else [])
    if sep == "on":  # one vertebra slipped on the next ("L5 on S1"): the segment between them (session 34)
        if INDEX.get(second) == INDEX[first] + 1:
            return "disc", [f"{first}-{second}"]
        return "vertebra", [first] + ([second] if match.group("b") and second in INDEX else [])
    if not sep:  # written without a separator ("L45", "L5S1"): a disc level, or no level at all
        return ("disc", [f"{first}-{second}"]) if INDEX.get(second) == INDEX[first] + 1 else ("vertebra", [])
    if second not in INDEX or INDEX[second] <= INDEX[first]:
        return "vertebra", [first]
    if sep in DISC_SEPARATORS and INDEX[second] == INDEX[first] + 1 and first[0] != "S":
        return "disc", [f"{first}-{second}"]
    # the sacral segments are fused, no disc between them: "S1-S2" is both segments (session 32)
    return "range", SEQUENCE[INDEX[first] : INDEX[second] + 1]


def expand_disc_range(first: str, last: str) -> list[str]:
    """'L3-L4' through 'L5-S1' -> every disc level between, inclusive."""
    a, b = _DISC.match(first), _DISC.match(last)
    if not a or not b:
        return [first, last]
    i, j = INDEX[a.group(1)], INDEX[b.group(1)]
    if j <= i:
        return [first, last]
    return [f"{SEQUENCE[k]}-{SEQUENCE[k + 1]}" for k in range(i, j + 1)]


def region_of(level: str) -> str:
    return REGION[level[0]]
