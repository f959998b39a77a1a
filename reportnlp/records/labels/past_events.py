"""A clinical note's fracture or cord compression that is the patient's past event, not a finding seen now: dated by
an earlier year after it ("L2 fracture in 2019", "seen on the CT in 2019": ``note_dated_event``) or called
previous or prior (``note_past_fracture``). Asked by the fracture and cord contributions, one mention at a time."""

from __future__ import annotations

import re
from typing import Any

from reportnlp.records.labels.exam import ExamContext
from reportnlp.records.labels.neighbours import Neighbours
from reportnlp.records.years import years_named

NOTE_DATED_EVENT = "a clinical note's fracture or cord compression dated by an earlier year outside its findings: the past"
# A clinical note's "previous" / "prior" fracture, the past word at most four words before it ("Osteoporosis with
# previous hip fracture", "prior T12 and L1 fragility fractures"): a past event of the patient's, where a
# radiology report's "prior L1 compression fracture" is an old one seen on the film (labels.md; session 28).
# Not "prior to", nor one the words between call seen healed or old ("prior healed rib fracture").
_NOTE_PAST_FRACTURE = re.compile(
    r"\b(?:previous|prior)[ \t]+(?!to\b)(?:(?!(?:healed|healing|old|united|ununited|chronic|remote|new|acute)\b)"
    r"[\w/-]+,?[ \t]+){0,4}\Z", re.I)
# A clinical note's event dated after it by its year ("fractured her left wrist in 2019", "T10 MSCC in March 2025",
# "hip fracture back in 2009") or by "last year" (session 31): a few words of its own between, none that ties the date
# to a study it was compared with or seen on ("unchanged since", "seen on the CT in 2019").
_EVENT_YEAR_AFTER = re.compile(
    r"(?:,?[ \t]+(?!(?:on|since|from|than|compared|unchanged|stable|seen|noted|shown|visible|study|scan|ct|mri|xr|film|"
    r"films|radiographs?|imaging)\b)[\w/'-]+){0,5}?,?[ \t]+(?:(?P<last>last[ \t]+year\b)|(?:(?P<back>back[ \t]+)?in|during)"
    r"[ \t]+(?:(?:early|late|mid)[ \t]+)?(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?[ \t]+)?"
    r"(?P<year>(?:19|20)\d\d)\b(?![/-]\d))",
    re.I)
# What a study of an earlier year showed, told in a clinical note after its finding (session 32): "L2 fracture seen on the
# CT in 2019", "T12 compression fracture, shown by an MRI of the spine in 2021", "cord compression found on the 2020
# MRI". The study word must stand between the verb and the year: "seen in 2019" dates no study.
_STUDY_WORD = (r"(?:ct|cts|mri|mris|mr|x-?rays?|xr|radiographs?|films?|scans?|pet(?:[-/]ct)?|imaging|study|studies|dxa|dexa"
               r"|myelogram|survey)")
_SHOWN_BY_STUDY_OF_YEAR = re.compile(
    r"(?:,?[ \t]+(?:which|that)[ \t]+(?:was|were))?,?[ \t]+(?:first[ \t]+)?(?:seen|shown|noted|found|demonstrated|identified"
    r"|detected|diagnosed|documented|confirmed|described|reported)[ \t]+(?:on|by|at|in)[ \t]+"
    r"(?:(?:an?|the|her|his|their|outside|prior|previous)[ \t]+)?(?:"
    rf"(?:[\w/-]+[ \t]+){{0,2}}?{_STUDY_WORD}(?:[ \t]+[\w/-]+){{0,4}}?,?[ \t]+(?:in|from|of|dated|done[ \t]+in)[ \t]+"
    r"(?:(?:early|late|mid)[ \t]+)?(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?[ \t]+)?"
    r"(?P<year>(?:19|20)\d\d)\b(?![/-]\d)"
    rf"|(?P<year2>(?:19|20)\d\d)[ \t]+(?:[\w/-]+[ \t]+){{0,2}}?{_STUDY_WORD}\b)",
    re.I)


def note_dated_event(m: dict[str, Any], nearby: Neighbours, exam: ExamContext) -> bool:
    """A fracture or cord compression a clinical note dates, outside its findings, by a year after it ("L2 fracture in
    2019", "fractured her hip back in 2009", "hip fracture last year"): the patient's past event, when the year is
    "back in", "last year", or before a later year the note names (its own date; a year alone may be the note's own).
    So is what a study of such a year showed ("L2 fracture seen on the CT in 2019"; session 32).
    Not in a radiology report (an old fracture seen is there), nor when a cue affirms it as seen now ("unchanged")."""
    if exam.one_study or exam.pathology or m["section"] == "findings":
        return False
    text, sentence = nearby.text, m["sentence"]
    hi = min(sentence["end"], m["end"] + 80)
    if "19" not in text[m["end"]:hi] and "20" not in text[m["end"]:hi] and "last" not in text[m["end"]:hi].lower():
        return False  # nearly every mention: no year or "last" after it (two slices, no regex)
    dated = _EVENT_YEAR_AFTER.match(text, m["end"], hi) or _SHOWN_BY_STUDY_OF_YEAR.match(text, m["end"], hi)
    if dated is None or any(c["category"] == "DEFINITE_EXISTENCE" and not dated.start() <= c["start"] < dated.end()
                            for c in m["cues"]):
        return False  # (the words that date it may hold a cue of their own: "seen on the CT in 2019")
    if dated.groupdict().get("last") or dated.groupdict().get("back"):
        return True
    year = int(dated.group("year") or dated.group("year2"))
    return nearby.once(("years named",), lambda: max(years_named(text), default=0)) > year


def note_past_fracture(m: dict[str, Any], text: str, exam: ExamContext) -> bool:
    """A fracture a clinical note calls previous or prior outside its findings (an assessment, a plan, an
    untitled opening): not a radiology report's old fracture seen, nor a note's quoted imaging result, nor one its
    sentence affirms as seen now ("Prior T12 compression fracture, unchanged on today's film": a cue of
    DEFINITE_EXISTENCE)."""
    return (not exam.one_study and not exam.pathology and m["section"] != "findings"
            and not any(c["category"] == "DEFINITE_EXISTENCE" for c in m["cues"])
            and _NOTE_PAST_FRACTURE.search(text, max(0, m["start"] - 60), m["start"]) is not None)
