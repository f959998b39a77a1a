"""Standard codes of a concept: its SNOMED CT concept id and RadLex RID (``codes`` in targets.json).

Registries and OMOP tables join on codes, not on reportnlp's names, so each concept of
``patterns/targets.json`` names its codes; docs/codes.md says where each one was verified. A code
that could not be verified is null. The checks here are on form only: a SNOMED CT identifier ends in
a Verhoeff check digit and its partition identifier says "concept"; a RadLex id is ``RID`` and digits.
"""

from __future__ import annotations

import re
from typing import Any

SYSTEMS = ("snomed", "radlex")
NO_CODES: dict[str, str | None] = dict.fromkeys(SYSTEMS)
RADLEX_RID = re.compile(r"RID[0-9]+")
_SCTID = re.compile(r"[1-9][0-9]{5,17}")

# Verhoeff's dihedral-group tables (multiplication, permutation, inverse), as SNOMED CT specifies them.
_D = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9), (1, 2, 3, 4, 0, 6, 7, 8, 9, 5), (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7), (4, 0, 1, 2, 3, 9, 5, 6, 7, 8), (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2), (7, 6, 5, 9, 8, 2, 1, 0, 4, 3), (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_P = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9), (1, 5, 7, 6, 2, 8, 3, 0, 9, 4), (5, 8, 0, 3, 7, 9, 6, 1, 4, 2),
    (8, 9, 1, 6, 0, 4, 3, 5, 2, 7), (9, 4, 5, 3, 1, 2, 6, 8, 7, 0), (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5), (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)


def verhoeff_valid(digits: str) -> bool:
    """True when ``digits`` (check digit last) passes Verhoeff's check: it catches every single-digit
    error and every swap of adjacent digits, the typing slips a copied code is prone to."""
    if not digits.isdigit() or not digits.isascii():
        return False
    check = 0
    for i, ch in enumerate(reversed(digits)):
        check = _D[check][_P[i % 8][int(ch)]]
    return check == 0


def snomed_concept_id_valid(code: str) -> bool:
    """A well-formed SNOMED CT concept id: 6-18 digits, partition identifier (the two digits before
    the check digit) 00 or 10 (concept, international or extension), Verhoeff check digit valid."""
    return bool(_SCTID.fullmatch(code)) and code[-3:-1] in ("00", "10") and verhoeff_valid(code)


def codes_problem(codes: Any) -> str | None:
    """Why a concept's ``codes`` value is malformed, or None when it is ``{"snomed": id|null, "radlex": RID|null}``."""
    if not isinstance(codes, dict) or set(codes) != set(SYSTEMS):
        return f"'codes' must be an object with exactly {', '.join(repr(s) for s in SYSTEMS)} (each a code or null)"
    snomed, radlex = codes["snomed"], codes["radlex"]
    if snomed is not None and not (isinstance(snomed, str) and snomed_concept_id_valid(snomed)):
        return f"'codes.snomed' {snomed!r} is not a SNOMED CT concept id (digits, Verhoeff check digit)"
    if radlex is not None and not (isinstance(radlex, str) and RADLEX_RID.fullmatch(radlex)):
        return f"'codes.radlex' {radlex!r} is not a RadLex id (RID and digits)"
    return None


def modality_codes_problem(table: Any) -> str | None:
    """Why a concept's ``modality_codes`` (modality -> codes) is malformed, or None."""
    if not isinstance(table, dict) or not all(isinstance(k, str) and k for k in table):
        return "'modality_codes' must map modality names to codes"
    for modality, codes in table.items():
        if (problem := codes_problem(codes)) is not None:
            return f"modality_codes.{modality}: {problem}"
    return None


def concept_codes(concept: dict[str, Any], meta: dict[str, Any] | None = None) -> dict[str, str | None]:
    """The codes a mention of this concept carries: those of its ``meta.modality`` when the concept codes
    each modality (a modality word names an imaging procedure), else the concept's (all null when the rule
    folder names none)."""
    by_modality = concept.get("modality_codes")
    if by_modality and meta and meta.get("modality") in by_modality:
        return dict(by_modality[meta["modality"]])
    codes = concept.get("codes")
    return dict(codes) if codes else dict(NO_CODES)
