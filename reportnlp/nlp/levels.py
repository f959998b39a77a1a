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


def normalize(match: re.Match[str]) -> tuple[str, list[str]]:
    """Return (type, levels) for a match of the anatomy rule ``spine_level``.

    type is ``vertebra`` (one level), ``disc`` (adjacent pair joined by - or /) or ``range``.
    """
    a = _DORSAL.get(match.group("a").upper(), match.group("a").upper())  # "D6" and "Th6" are written for T6
    first = f"{a}{int(match.group('an'))}"
    if first not in INDEX:
        return "vertebra", []
    if not match.group("bn"):
        return "vertebra", [first]
    b = (match.group("b") or a).upper()
    b = _DORSAL.get(b, b)
    second = f"{b}{int(match.group('bn'))}"
    sep = match.group("sep").lower()
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
