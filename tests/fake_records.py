"""Hand-made extract records for the evaluate tests: complete labels, one deciding mention."""

from __future__ import annotations

from typing import Any

DEGENERATIVE = (
    "disc_herniation disc_bulge disc_degeneration endplate_changes annular_fissure facet_arthropathy "
    "spinal_stenosis spondylolisthesis spondylosis"
).split()


def labels(**changes: Any) -> dict[str, Any]:
    """A complete record ``labels`` object, everything not_mentioned / empty unless changed."""
    out: dict[str, Any] = {
        "bone_metastasis": "not_mentioned",
        "pathologic_fracture": "not_mentioned",
        "fracture": "not_mentioned",
        "cord_compression": "not_mentioned",
        "lesion_pattern": [],
        "degenerative": dict.fromkeys(DEGENERATIVE, "not_mentioned"),
        "modalities": [],
    }
    for key, value in changes.items():
        if key in DEGENERATIVE:
            out["degenerative"][key] = value
        else:
            out[key] = value
    return out


def record(rid: str, lab: dict[str, Any], status: str = "ok") -> dict[str, Any]:
    mention = {
        "id": 0, "text": "no fracture", "assertion": "absent", "section": "findings",
        "cues": [{"text": "no", "assertion": "absent", "decided": True}],
    }
    evidence = {"fracture": {"status": "absent", "mentions": [0]}, "modalities": {"XR": [0]}, "degenerative": {}}
    if status != "ok":
        return {"id": rid, "status": "error", "labels": None, "evidence": None, "mentions": []}
    return {"id": rid, "status": "ok", "labels": lab, "evidence": evidence, "mentions": [mention]}
