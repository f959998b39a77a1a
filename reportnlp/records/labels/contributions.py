"""What each finding mention gives toward the labels (``contributions``: label -> status, or {} with the mention's
note saying why not): the section and assertion gates, a pathology report's specimen line, then the mention's
group: bone lesions (``lesion_contribution.py``), fractures (``fracture_contribution.py``), cord compression
(here), degenerative findings (``degenerative_contribution.py``)."""

from __future__ import annotations

from typing import Any

from reportnlp.records.labels.degenerative_contribution import degenerative_contribution
from reportnlp.records.labels.exam import ExamContext
from reportnlp.records.labels.fracture_contribution import collapse_beside, fracture_contribution
from reportnlp.records.labels.label_rules import LabelRules
from reportnlp.records.labels.lesion_contribution import bone_lesion_contribution
from reportnlp.records.labels.neighbours import Neighbours, on_specimen_line
from reportnlp.records.labels.past_events import NOTE_DATED_EVENT, note_dated_event
from reportnlp.records.labels.sites import spine_site
from reportnlp.records.labels.vocabulary import COUNTING, PAST_STUDY_FINDING, WITHDRAWN
from reportnlp.records.labels.withdrawals import withdrawn


def contributions(rules: LabelRules, m: dict[str, Any], nearby: Neighbours, exam: ExamContext) -> dict[str, str]:
    """Label -> status this mention gives, or {} with m["note"] set to say why not."""
    if not m["counts"]:
        m["note"] = f"section '{m['section']}' does not count toward labels"
        return {}
    if m["assertion"] not in COUNTING:
        if m.get("note") != PAST_STUDY_FINDING:
            m["note"] = f"assertion '{m['assertion']}' never counts"
        return {}
    if exam.pathology and on_specimen_line(m, nearby):
        # "SPECIMEN: Right iliac bone lesion, core biopsy.", "Left femoral head (subcapital fracture)": what
        # was sent and why; the diagnosis says what it is (session 24: any finding, not only a lesion)
        m["note"] = "a pathology report's specimen line names what was sent, not what it shows"
        return {}
    group = rules.group(m)
    if group == "bone_lesion":
        return bone_lesion_contribution(rules, m, nearby, exam)
    if group == "fracture":
        return fracture_contribution(rules, m, nearby, exam)
    if group == "cord":
        if (m.get("meta") or {}).get("needs_spine_exam") and not exam.spine and not spine_site(m):
            # "SCC" is spinal cord compression on spine imaging or at a level, squamous cell carcinoma elsewhere
            m["note"] = "an abbreviation that means the cord only on spine imaging or beside a spine level"
            return {}
        if withdrawn(rules, m, nearby):  # "... deforms the cord." ... "Addendum: ... There is no cord compression."
            m["note"] = WITHDRAWN
            return {}
        if m["assertion"] == "present" and note_dated_event(m, nearby, exam):  # "T10 MSCC in March 2025, treated with RT"
            m["assertion"] = "historical"
            m["note"] = NOTE_DATED_EVENT
            return {}
        return {"cord_compression": m["assertion"]}
    if group == "degenerative":
        return degenerative_contribution(rules, m, nearby, exam)
    if (m.get("meta") or {}).get("collapses") and collapse_beside(m, nearby.text):
        m["note"] = "osteonecrosis told with its collapse: the subchondral fracture giving way, no pathologic one"
        return {"fracture": m["assertion"]}
    return {}
