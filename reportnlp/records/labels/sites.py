"""Predicates over one mention dict's sites and spans: bone or spine named, which levels and bones, same site."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any


def kinds_of(m: dict[str, Any]) -> set[str]:
    return {loc["kind"] for loc in m["locations"]}


# the tissue a finding is made of, named with no organ ("enhancing soft tissue ... at T9"): no site of its own
_PLAIN_SOFT_TISSUE = re.compile(r"soft\s+tissues?", re.I)


def has_bone(m: dict[str, Any]) -> bool:
    """A bone named, or a spine level with no soft tissue (cord, node) named beside it. Plain "soft tissue" is
    what a finding at a level is made of, no organ ("enhancing soft tissue at T9, granulation tissue versus
    recurrent tumor"), and a soft-tissue region beside a level ("a mass in the left neck at the level of C4") is
    the site the level only gives the height of (session 26)."""
    kinds = kinds_of(m)
    if any(loc["kind"] == "bone" for loc in own_locations(m)):
        # a study label's segment alone ("MRI T-spine: ... No epidural tumor.") names the spine's region, cord and
        # canal as much as its bones (session 35)
        return True
    if "level" not in kinds:
        return False
    if "organ" in kinds and any(
        loc["kind"] == "organ" and not _PLAIN_SOFT_TISSUE.fullmatch(loc["text"]) for loc in m["locations"]
    ):
        return False
    return "region" not in kinds or not soft_region(m)


_SEGMENT = re.compile(
    r"(?:(?:cervical|thoracic|lumbar|lumbosacral|dorsal)\s+(?:spine|spinal)|[ctl]-?spine|spine|spinal\s+column|"
    r"cervicothoracic|thoracolumbar|lumbosacral|lumbar)", re.I)


def segment_only(m: dict[str, Any]) -> bool:
    """Its only bone sites are whole spine segments ("C-spine", "the lumbar spine"), with no level and no
    vertebra, vertebral body or other bony part named."""
    bones = [loc for loc in m["locations"] if loc["kind"] in ("bone", "level")]
    return bool(bones) and all(loc["kind"] == "bone" and _SEGMENT.fullmatch(loc["text"]) for loc in bones)


def soft_region(m: dict[str, Any]) -> bool:
    """Only soft-tissue regions named (neck, abdomen, mediastinum), none that holds bone ("abdomen and
    pelvis" may be the pelvic bones)."""
    regions = [loc for loc in m["locations"] if loc["kind"] == "region"]
    return bool(regions) and all(loc.get("value") for loc in regions)


def spine_site(m: dict[str, Any]) -> bool:
    return any(loc["kind"] == "level" or loc.get("region") == "spine" for loc in m["locations"])


def other_site(m: dict[str, Any]) -> bool:
    return any(
        loc["kind"] == "joint" or (loc["kind"] == "bone" and loc.get("region") not in ("spine", None))
        for loc in m["locations"]
    )


# the spine segments a study's line label gives a finding with no level ("MRI T/L-spine: ... fracture"): the
# segment tells the spine from other organs, but no place that meets or parts it from a level's finding (session 35)
_SEGMENT_VALUES = frozenset(("cervical spine", "thoracic spine", "lumbar spine"))


def _label_segment(loc: dict[str, Any]) -> bool:
    return bool(loc.get("inherited")) and loc.get("value") in _SEGMENT_VALUES


def own_locations(m: dict[str, Any]) -> list[dict[str, Any]]:
    """The sites a mention names itself: all but the segment a study's line label gives it (session 35), so a
    check for "no site of its own" still reads "XR T-spine: ... No new collapse." as naming none."""
    return [loc for loc in m["locations"] if not _label_segment(loc)]


def sites_of(m: dict[str, Any]) -> set[str]:
    """Specific sites (levels, named bones) a mention is tied to; generic 'bone' is too vague to match."""
    out = set()
    for loc in m["locations"]:
        if loc["kind"] == "level":
            out.update(loc.get("levels", []))
        elif loc["kind"] == "bone" and loc.get("value") not in (None, "bone", "spine") and not _label_segment(loc):
            out.add(f"{loc.get('laterality') or ''}:{loc['value']}")
    return out


def generic_bone_only(m: dict[str, Any]) -> bool:
    """m names no place of its own but bone in general ("A bone island is favored."; not "in the liver")."""
    return all(loc["kind"] == "bone" and loc.get("value") in (None, "bone") for loc in m["locations"])


def sites_meet(sa: set[str], sb: set[str]) -> bool:
    """Two sets of sites share one: the same site, or a bone one names with no side and the other with one."""
    return bool(sa & sb) or _unsided_in(sa, sb) or _unsided_in(sb, sa)


def _unsided_in(one: set[str], other: set[str]) -> bool:
    """A bone of ``one`` named with no side (":rib") is a bone ``other`` names with a side ("right:rib")."""
    unsided = {site[1:] for site in one if site.startswith(":")}
    return bool(unsided) and any(site.partition(":")[2] in unsided for site in other if not site.startswith(":"))


def meeting_keys(sites: set[str]) -> list[tuple[str, str]]:
    """The keys under which a mention of these sites is filed (by_site): each site, and for a bone named with a
    side ("right:rib") the bone alone, which an unsided one (":rib") asks for; ("none", "") for no site."""
    keys = [("site", s) for s in sites]
    keys += [("sided", s.partition(":")[2]) for s in sites if ":" in s and not s.startswith(":")]
    return keys or [("none", "")]


def asking_keys(sites: set[str]) -> list[tuple[str, str]]:
    """The keys a mention of these sites asks: those of the filed mentions whose sites meet these (sites_meet: a
    shared site, an unsided bone beside a sided one of the same bone, either way round)."""
    keys = [("site", s) for s in sites]
    for s in sites:
        if s.startswith(":"):
            keys.append(("sided", s[1:]))
        elif ":" in s:
            keys.append(("site", ":" + s.partition(":")[2]))
    return keys


def by_site(mentions: Iterable[dict[str, Any]]) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """The mentions filed under their meeting_keys, each once per key, in the order given: a mention asks the
    lists of its asking_keys for the others its site meets, instead of testing every pair (session 23)."""
    out: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for m in mentions:
        for key in dict.fromkeys(meeting_keys(sites_of(m))):
            out.setdefault(key, []).append(m)
    return out


def affirmed(m: dict[str, Any]) -> bool:
    return m["assertion"] in ("present", "possible")


def span_of(m: dict[str, Any], key: str) -> tuple[int, int]:
    return m[key]["start"], m[key]["end"]


def levels_of(m: dict[str, Any]) -> set[str]:
    return {level for loc in m["locations"] if loc["kind"] == "level" for level in loc.get("levels", [])}


# A rib's number told beside its name: "left 6th rib", "5th-7th right ribs", "fourth and fifth ribs", "rib 8".
_ORDINAL = (r"(?:\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|"
            r"twelfth)")
_RIB_NUMBERS_BEFORE = re.compile(
    rf"\b({_ORDINAL}(?:\s*(?:-|–|to|through|and|,|&)\s*{_ORDINAL})*)\s+"
    r"(?:(?:left|right|bilateral|posterior|anterior|lateral|posterolateral|anterolateral|lower|upper)\s+){0,2}$",
    re.I)
_RIB_NUMBERS_AFTER = re.compile(r"\s+(\d{1,2})(?:\s*(?:-|–|to|through)\s*(\d{1,2}))?\b(?!\s*(?:cm|mm)\b|\.\d)", re.I)
_ORDINAL_PART = re.compile(rf"{_ORDINAL}|-|–|\bto\b|\bthrough\b", re.I)
_WORD_NUMBER = {w: i for i, w in enumerate(("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
                                            "ninth", "tenth", "eleventh", "twelfth"), start=1)}
_RIB_REACH = 60


def rib_numbers(m: dict[str, Any], text: str) -> frozenset[int]:
    """The numbers of the ribs m names ("left 6th rib": {6}; "5th-7th ribs": {5, 6, 7}); empty when it names
    none by number. Two findings of numbered ribs meet only at a number they share: a healing left 6th rib
    fracture is no reading of a left 8th rib focus (session 29)."""
    out: set[int] = set()
    for loc in m["locations"]:
        if loc["kind"] != "bone" or loc.get("value") != "rib" or "start" not in loc:
            continue
        before = _RIB_NUMBERS_BEFORE.search(text, max(0, loc["start"] - _RIB_REACH), loc["start"])
        if before is not None:
            out |= _numbers(before.group(1))
        elif (after := _RIB_NUMBERS_AFTER.match(text, loc["end"])) is not None:
            first = int(after.group(1))
            out |= set(range(first, int(after.group(2) or first) + 1))
    return frozenset(n for n in out if 1 <= n <= 12)


def _numbers(told: str) -> set[int]:
    """The numbers of an ordinal list or range ("5th-7th": 5, 6, 7; "fourth and sixth": 4, 6)."""
    out: set[int] = set()
    ranged = False
    last = 0
    for part in (p.group().lower() for p in _ORDINAL_PART.finditer(told)):
        if part in ("-", "–", "to", "through"):
            ranged = True
            continue
        n = _WORD_NUMBER.get(part) or int(part[:-2])
        out.update(range(last + 1, n + 1) if ranged and last and last < n <= last + 12 else (n,))
        ranged, last = False, n
    return out
