"""What a degenerative mention gives (``degenerative_contribution``): its degenerative key's status, or nothing
with the note saying why (a joint other than the spine, no spine named, a finding withdrawn, a generic
"degenerative changes" carried by a specific finding or summing up those the report names). A generic change
tied to the facets is facet arthropathy (``_at_facets``). The phrases are read in ``degenerative.py``."""

from __future__ import annotations

from functools import partial
from typing import Any

from reportnlp.records.labels.causes import VERSUS_CUE
from reportnlp.records.labels.degenerative import FACET, in_facet_column, only_summary
from reportnlp.records.labels.exam import ExamContext
from reportnlp.records.labels.label_rules import LabelRules
from reportnlp.records.labels.neighbours import Neighbours, reports_a_spine_study
from reportnlp.records.labels.sites import kinds_of, other_site, spine_site
from reportnlp.records.labels.vocabulary import (
    COUNTING,
    JOINT_WORD_NOTE,
    NO_SPINE_NOTE,
    OTHER_SITE_NOTE,
    SPINE_EXAM_WORD_NOTE,
    STATUSES,
    WITHDRAWN,
)
from reportnlp.records.labels.withdrawals import withdrawn


def degenerative_contribution(rules: LabelRules, m: dict[str, Any], nearby: Neighbours, exam: ExamContext) -> dict[str, str]:
    key = rules.concepts[m["concept"]]["degenerative"]
    if withdrawn(rules, m, nearby):  # "L4-5: disc protrusion." ... "ADDENDUM: at L4-5 there is no protrusion."
        m["note"] = WITHDRAWN
        return {}
    needs_spine = m["concept"] == "degenerative_generic" or (m.get("meta") or {}).get("needs_spine")
    sided = m.get("laterality") in ("left", "right", "bilateral")  # the spine is midline
    if needs_spine and not spine_site(m) and (other_site(m) or sided or "organ" in kinds_of(m)):
        m["note"] = OTHER_SITE_NOTE
        return {}
    if needs_spine and not spine_site(m) and not exam.spine and not nearby.names_spine:
        # A bare word ("degenerative changes", "spurring", "herniation") is the spine's only when
        # its clause names a spine site or level, the exam is of the spine, or the report's
        # findings are tied to the spine elsewhere ("Lumbar spine, 3 views." with no title).
        m["note"] = NO_SPINE_NOTE
        return {}
    if (m.get("meta") or {}).get("own_spine_site") and not spine_site(m) and not exam.spine:
        # A systemic diagnosis ("Osteoarthritis." in a problem list) is the spine's only where its own
        # clause names the spine or the exam is of the spine, never by a spine word nearby.
        m["note"] = JOINT_WORD_NOTE
        return {}
    if (m.get("meta") or {}).get("needs_spine_exam") and not spine_site(m) and not exam.spine:
        if not reports_a_spine_study(m, nearby):
            m["note"] = SPINE_EXAM_WORD_NOTE
            return {}
    if m["concept"] == "degenerative_generic":
        # Carried only by a specific finding at least as certain: in "degenerative changes without
        # stenosis" or "degenerative changes, possibly DISH" the changes themselves are still present.
        best = nearby.sentence_least(m, "specific degenerative", partial(_specific_rank, rules))
        if best is not None and (best <= STATUSES.index(m["assertion"]) or _specific_alternatives(rules, m, nearby)):
            m["note"] = "a more specific degenerative finding in the same sentence carries it"
            return {}
        if m["assertion"] in STATUSES and only_summary(nearby.text, m["start"], m["end"]):
            # "Degenerative uptake only." / "only degenerative changes": a summary of what the report
            # described, carried by a specific finding anywhere in it (without "only" an unsited
            # generic may add changes of its own: it still counts beside specific ones).
            least = nearby.once(("summarised",), lambda: min(
                (r for n in nearby.all if (r := _summarised_rank(rules, n, nearby)) is not None), default=None
            ))
            if least is not None and least <= STATUSES.index(m["assertion"]):
                m["note"] = "a summary ('degenerative changes only') of the specific findings the report names"
                return {}
        if _at_facets(m, nearby):
            # "degenerative changes of the L4-5 facet joints", "uptake at the facets, degenerative": the
            # degenerated joint is named, so the change is facet arthropathy, not spondylosis.
            key = "facet_arthropathy"
    return {f"degenerative.{key}": m["assertion"]}


def _specific_alternatives(rules: LabelRules, m: dict[str, Any], nearby: Neighbours) -> bool:
    """m's sentence poses two specific degenerative findings as each other's alternative ("where there is a
    small central protrusion versus bulge"): one of them is there, so the generic change is that disc's, as an
    affirmed one carries it (session 32, w74_20)."""
    return sum(1 for n in nearby.sentence_members(m)
               if _specific_rank(rules, n) is not None and n["assertion"] == "possible"
               and any(VERSUS_CUE.search(c["rule"]) for c in n["cues"])) >= 2


def _summarised_rank(rules: LabelRules, n: dict[str, Any], nearby: Neighbours) -> int | None:
    """_specific_rank, also for a generic change its clause ties to the facets (facet arthropathy)."""
    if n["concept"] == "degenerative_generic" and n["counts"] and n["assertion"] in COUNTING:
        return STATUSES.index(n["assertion"]) if _at_facets(n, nearby) else None
    return _specific_rank(rules, n)


def _specific_rank(rules: LabelRules, n: dict[str, Any]) -> int | None:
    """The status rank of a counting degenerative finding more specific than "degenerative changes"."""
    if n["concept"] == "degenerative_generic" or rules.group(n) != "degenerative" or not n["counts"]:
        return None
    return STATUSES.index(n["assertion"]) if n["assertion"] in COUNTING else None


def _at_facets(m: dict[str, Any], nearby: Neighbours) -> bool:
    """A generic degenerative mention tied to the facets: its clause names them, or it stands in a table's
    "Facets" column (its clause and the table's header lines are each searched once per report)."""
    headers = nearby.once(("table headers",), dict)
    return nearby.found_in(m, "clause", FACET) or in_facet_column(nearby.text, m["start"], headers)
