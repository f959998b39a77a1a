"""Linking a fracture to the tumor that caused it: the indexed search gives what comparing the fracture
with every tumor of its clause gives (the plain rule below), on arbitrary clauses."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from reportnlp.nlp.rules import load_rules
from reportnlp.records.labels import Neighbours
from reportnlp.records.labels.causes import ALTERNATIVE
from reportnlp.records.labels.label_rules import LabelRules
from reportnlp.records.labels.pathologic_links import _malignant, link_pathologic_causes

RULES = load_rules(None)
LABEL_RULES = LabelRules(RULES.concepts, RULES.targets.get("links"))
CONCEPTS = {"fracture": "fracture", "metastasis": "metastasis", "lesion": "lesion", "myeloma": "bone_malignancy"}
FILLER = ["due to", "causing", "secondary to", "with", "or", "rather than", "and", "the", "at", "a", ",", "from the"]


def plain_causes(mentions: list[dict[str, Any]], text: str) -> dict[int, int]:
    """The rule as first written: every tumor of the clause in turn, the last one that qualifies wins."""
    out = {}
    for f in mentions:
        if f["concept"] != "fracture":
            continue
        for n in mentions:
            if n is f or n["clause"] != f["clause"] or not _malignant(LABEL_RULES, n, f):
                continue
            if n["start"] >= f["end"]:
                gap = text[f["end"] : n["start"]]
                if LABEL_RULES.cause_after.search(gap) and not ALTERNATIVE.search(gap):
                    out[f["id"]] = n["id"]
            elif n["end"] <= f["start"]:
                gap = text[n["end"] : f["start"]]
                if LABEL_RULES.cause_before.search(gap) and not ALTERNATIVE.search(gap):
                    out[f["id"]] = n["id"]
    return out


def clause(words: list[tuple[str, bool, bool]]) -> tuple[str, list[dict[str, Any]]]:
    text, mentions = "", []
    for word, affirmed, bone in words:
        start = len(text) + (1 if text else 0)
        text = f"{text} {word}" if text else word
        if word in CONCEPTS:
            mentions.append({
                "id": len(mentions), "concept": CONCEPTS[word], "start": start, "end": len(text),
                "assertion": "present" if affirmed else "absent", "counts": True,
                "locations": [{"kind": "bone", "region": "pelvis"}] if bone else [],
            })
    for m in mentions:
        m["clause"] = m["sentence"] = {"start": 0, "end": len(text)}
    return text, mentions


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([*CONCEPTS, *FILLER]), st.booleans(), st.booleans()), max_size=24))
def test_each_fracture_gets_the_cause_the_plain_rule_gives(words: list[tuple[str, bool, bool]]) -> None:
    text, mentions = clause(words)
    expected = plain_causes(mentions, text)
    link_pathologic_causes(LABEL_RULES, Neighbours(mentions, lambda m: False), text)
    assert {m["id"]: m["pathologic_cause"] for m in mentions if "pathologic_cause" in m} == expected


def test_a_cue_far_from_the_fracture_links_nothing() -> None:
    text, mentions = clause([("fracture", True, True), *[("the", True, True)] * 12, ("due to", True, True),
                             ("metastasis", True, True)])
    link_pathologic_causes(LABEL_RULES, Neighbours(mentions, lambda m: False), text)
    assert "pathologic_cause" not in mentions[0]
