"""``labels.low_sensitivity_negative``: a negative for bone metastasis that radiographs alone cannot make.

Plain radiographs show a bone metastasis only once a large part of the bone's mineral is gone (about
30-50% of trabecular bone, so when it is advanced); bone scintigraphy, CT, MRI and PET find it much
earlier. A report whose only study is a radiograph and whose bone_metastasis is ``absent`` or
``not_mentioned`` is flagged so that a cohort does not read it as "no metastasis" (docs/labels.md
section 10). Plain data: no spaCy.
"""

from __future__ import annotations

from typing import Any

RADIOGRAPH = "XR"
NEGATIVE = ("absent", "not_mentioned")


def low_sensitivity_negative(labels: dict[str, Any]) -> bool:
    """True when the report's modalities are radiographs only and bone_metastasis is absent or not_mentioned."""
    modalities = labels.get("modalities") or []
    return list(modalities) == [RADIOGRAPH] and labels.get("bone_metastasis") in NEGATIVE
