"""What every step of the label decision reads of the rules (``LabelRules``): each concept's entry (its group,
its degenerative key, its lesion pattern) and the cue words that tie a fracture to its tumour cause.

Made once per rule set by ``LabelDecider`` and handed to each step, which keeps no state of its own."""

from __future__ import annotations

from typing import Any

from reportnlp.records.labels.causes import cue_regex, cue_words


class LabelRules:
    """The concepts (concept -> its entry of the rules) and the pathologic-cause cues of the rules' links."""

    def __init__(self, concepts: dict[str, dict[str, Any]], links: dict[str, list[str]] | None = None) -> None:
        self.concepts = concepts
        links = links or {}
        self.cause_after = cue_regex(links.get("pathologic_cause_after", []))
        self.cause_before = cue_regex(links.get("pathologic_cause_before", []))
        # The same cues, found anywhere: a clause's cue positions are looked up by bisection.
        self.cause_words = (
            cue_words(links.get("pathologic_cause_after", []), links.get("pathologic_cause_after_dash", [])),
            cue_words(links.get("pathologic_cause_before", [])),
        )

    def group(self, m: dict[str, Any]) -> str:
        """The group of m's concept (bone_lesion, fracture, cord, degenerative, benign ...)."""
        return self.concepts[m["concept"]]["group"]
