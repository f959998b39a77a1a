"""``modalities()``: the studies a report says were done (labels.modalities), and the readers of a study's
naming it uses (recommended, compared with, dated before the note, reported next, an angiogram, a valve's "MR")."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable
from typing import Any

from reportnlp.records.dated_lines import dated_a_year_before, on_lines, past_lines
from reportnlp.records.labels.sites import span_of
from reportnlp.records.line_starts import LineStarts
from reportnlp.records.years import years_named

# Also (session 12) a study put "on / in / from / with (the) recent" beside a finding of a titled report
# ("the tubing lies in the chest wall on recent chest CT": a study done before this one), one the reader
# is sent to ("please see the separate CT report"), and "XXXX on the CT scan" (a de-identified verb). A
# note has no exam title, so "stable on recent bone scan" in its assessment still names a study done.
# ConText reads one sentence; a study and what the next sentence says of it are two (session 14). A study
# recommended whose next sentence reports its result ("... recommended a CT angiogram. It showed ...") was
# done; a study named alone ("An MRI of the lumbar spine.") whose next sentence recommends it was not.
_REPORTED_NEXT = re.compile(
    r"\s*(?:this|it|the\s+(?:study|scan|exam|examination|test))\s+(?:showed|revealed|demonstrated|confirmed|"
    r"was\s+(?:negative|normal|unremarkable|positive|abnormal|done|performed|obtained|completed))\b", re.IGNORECASE
)
_NAMED_ALONE_BEFORE = re.compile(
    r"\W*(?:(?:an?|the|repeat|urgent|further|follow-?up|dedicated|plain|contrast|non-?contrast)\s+){0,2}", re.IGNORECASE
)
_NAMED_ALONE_AFTER = re.compile(r"(?:\s+(?:of|for)\s+(?:the\s+)?[a-z/-]+(?:\s+[a-z/-]+){0,2})?\s*\.?\s*", re.IGNORECASE)
_RECOMMENDED_NEXT = re.compile(
    r"\s*(?:this|it|such\s+an?\s+(?:study|scan|exam))\s+(?:is|would\s+be|will\s+be|should\s+be|may\s+be)\s+"
    r"(?:also\s+|strongly\s+|therefore\s+)?(?:recommended|advised|suggested|helpful|indicated|warranted|needed|required)\b",
    re.IGNORECASE,
)
# The studies of a sentence that closes on its advice after a bracket ("MRI and CT-guided biopsy (through a posterior
# tract planned with the sarcoma surgeon) recommended."): the verb is the whole sentence's, and a cue inside the
# bracket ("planned", "scheduled") ends its ConText reach there; at most eight words, no punctuation, between the
# study and the bracket (session 28).
_ADVISED_AFTER_BRACKET = re.compile(
    r"(?:[ \t]+[^\s().;:,]+){0,8}?[ \t]*\([^()\n]{1,200}\)[ \t]*(?:(?:is|are)[ \t]+)?(?:also[ \t]+)?"
    r"(?:recommended|suggested|advised)[ \t]*[.;]?\s*\Z", re.IGNORECASE)
# A survey's name alone on its line in capitals ("METASTATIC SURVEY", "BONE SURVEY:") in the body of a report whose
# title names another study: the heading of a template's block of fields, not a skeletal survey done (session 28).
_HEADING_LINE = re.compile(r"[ \t]*(?P<words>[A-Z][A-Z /-]*?)[ \t]*:?[ \t]*(?:\r?\n|\Z)")


def _survey_heading(m: dict[str, Any], text: str, titled: set[str], lines: LineStarts) -> bool:
    """A skeletal survey's words as the heading of a block in a report titled with another study."""
    if not (m["rule"].startswith("mod_xr_survey") and titled and "XR" not in titled
            and m["section"] != "exam"):
        return False
    line = _HEADING_LINE.match(text, lines.of(m["start"]))
    return line is not None and line.span("words") == (m["start"], m["end"])


# A study a note lists on its own dated line beside a PET/CT ("- CT AP 11/2026: no adenopathy" above "- PSMA
# PET/CT 11/2026: ..."): a CT done for itself, not the CT part of the PET/CT (session 18). The line opens with
# the CT (a list mark or number allowed), a date stands before its colon, and the line names no PET, SPECT or
# the hybrid CT's jobs (attenuation correction, localization).
_LIST_MARK = re.compile(r"[ \t]*(?:[-*>]|\d{1,2}[.)])?[ \t]*")
_DATED_LABEL = re.compile(r"[^:\n]{0,40}?\b\d{1,4}[/-]\d{1,4}(?:[/-]\d{2,4})?\b[^:\n]{0,20}:")
_HYBRID_LINE = re.compile(r"\b(?:pet|spect|attenuation|locali[sz]ation)\b", re.IGNORECASE)


def _own_dated_line(m: dict[str, Any], lines: LineStarts) -> bool:
    """A CT named at the start of its own line with a date before the line's colon, in a counting section. The
    line's start is read from ``lines``: each CT of a long line read the line back to its start (session 26)."""
    if m["section"] in ("technique", "exam"):
        return False
    text = lines.text
    line_start = lines.of(m["start"])
    if not _LIST_MARK.fullmatch(text, line_start, m["start"]):
        return False
    line_end = text.find("\n", m["end"]) % (len(text) + 1)  # no line break: the text's end
    return bool(_DATED_LABEL.match(text, m["end"], line_end)) and not _HYBRID_LINE.search(text, line_start, line_end)


# A note's study line that opens with a hybrid study and its colon ("Bone SPECT/CT 11/27: ... fracture line on CT").
_HYBRID_LABEL = re.compile(r"[ \t]*(?:[-*\u2022][ \t]*)?(?:\w+[ \t]+){0,2}(?:PET|SPECT)[ /-]?CT\b[^:\n]{0,30}:", re.IGNORECASE)


def _after_hybrid_label(m: dict[str, Any], lines: LineStarts) -> bool:
    """A CT word after the colon of its line's hybrid study label ("Bone SPECT/CT 11/27: focal uptake in the L4 pars
    with a fracture line on CT"): that study's CT, in a note too, where a CT named on its own is a study of its own
    (session 28)."""
    label = _HYBRID_LABEL.match(lines.text, lines.of(m["start"]))
    return label is not None and label.end() <= m["start"]


_YEAR_DIGITS = re.compile(r"\b(?:19|20)\d\d\b")
# A bare year dating the study its sentence names next: "In 1998, she had a normal", "back in 1999 he had a",
# "In 1990, his", "diagnosed in 2023, when a skeletal survey showed" (a few words between, no other clause; "when",
# session 32). Not a date's year ("on 03/14/2005").
_YEAR_BEFORE_STUDY = re.compile(
    r"\b(?:(?P<back>back\s+)?in|during)\s+(?:the\s+year\s+)?(?P<year>(?:19|20)\d\d)\b(?![/-]\d),?\s+"
    r"(?:(?:he|she|they|the|patient|his|her|their|had|has|underwent|got|received|was|were|did|an?|normal|negative|when|"
    r"unremarkable|abnormal|first|last|repeat|another|prior|previous)\s+){0,5}$",
    re.IGNORECASE,
)
# A year set before the study as its adjective, after a bracket or an article, maybe with a kind or a body part
# between ("History of degenerative disc disease by report (2019 radiographs)", "on the 2022 staging CT"; session
# 26): not a date's year ("performed in December 2008 showed normal myocardial perfusion").
_YEAR_ADJ_BEFORE_STUDY = re.compile(
    r"(?:\(|\b(?:the|a|an|his|her|their|its|prior|previous|old|earlier|outside)[ \t]+)(?P<year>(?:19|20)\d\d)[ \t]+"
    r"(?:(?:staging|restaging|baseline|outside|screening|surveillance|plain|lumbar|cervical|thoracic|spine|[ctl]-spine"
    r"|chest|pelvis|whole-body|bone|contrast)[ \t]+){0,2}$",
    re.IGNORECASE,
)
# From a study to a finding it showed: "MRI | showed a small L4-L5 | disc herniation", "CT of the spine in 2004 |
# revealed | a fracture" (one clause: no semicolon, colon or sentence stop between).
PAST_YEAR_FRAMES = ("frame_study_years_ago_after", "frame_study_last_year_after")  # "an MRI two years ago"
PAST_STUDY_SHOWED = re.compile(
    r"[^.;:]{0,80}?\b(?:showed|revealed|demonstrated|confirmed)\b[^.;:]{0,80}$", re.IGNORECASE)
# A bare year after the study: "a CT in 2005", "a hip film taken in 2010", "the scan done in 2003", "the MRI of
# 1996", "back in 1999" (up to four words between).
_YEAR_AFTER_STUDY = re.compile(
    r"(?:\s+[\w-]+){0,4}?\s+(?:(?P<back>back\s+)?in|of|from|during|dated)\s+(?:the\s+year\s+)?"
    r"(?P<year>(?:19|20)\d\d)\b(?![/-]\d)",
    re.IGNORECASE,
)
_SEEN_ON = re.compile(
    r"(?:\b(?:seen|noted|visible|evident|demonstrated|shown|identified|depicted|apparent|enlargement|increase|"
    r"progression|growth|xxxx)\s+on\s+(?:the\s+|an?\s+)?(?:(?:prior|previous|recent|concurrent|correlative|outside|"
    r"accompanying)\s+)?|\b(?:on|in|from|with)\s+(?:the\s+|an?\s+)?recent\s+"
    r"|\b(?:please\s+)?(?:see|refer\s+to)\s+(?:the\s+)?(?:(?:dedicated|separate|concurrent|same-day|subsequent)\s+)?)"
    r"(?:(?:chest|abdominal|abdomen|pelvic|pelvis|head|brain|neck|spine|body)\s+)?$",
    re.IGNORECASE,
)
# The same study sent to its own report by an aside after it: "the CT chest from the ED (see separate report)" (session 16).
_SENT_TO_AFTER = re.compile(
    r"(?:\s+[\w-]+){0,4}?\s*[(,-]?\s*(?:please\s+)?(?:see|refer\s+to)\s+(?:the\s+)?(?:dedicated|separate)\s+(?:[a-z]+\s+)?report\b",
    re.IGNORECASE,
)


# Another study named by its date after it ("the known L2 fracture on the CT of 11/20", "unchanged from the radiograph
# of 2024", "the MRI dated 10/02"): in a report whose title names its own study, that earlier study (session 27).
_DATED_AFTER = re.compile(r"[ \t]+(?:of|from|dated)[ \t]+(?:\d{1,2}/\d{1,2}(?:/\d{2,4})?|(?:19|20)\d\d)\b")
# ... or whose result the sentence quotes ("MRI shows epidural tumour at T9" in a CT report: the MRI is correlation,
# as the dated "MRI of 11/30 shows" is; session 28). Words only between: a date there ("PET/CT 04/22/2024 showed")
# is a retold study's line, read as the dated rules read it.
_RESULT_AFTER = re.compile(
    r"(?:[ \t]+(?:of[ \t]+)?(?:the[ \t]+)?[A-Za-z/-]+){0,3}?[ \t]+(?:shows|showed|demonstrates|demonstrated|reveals|"
    r"revealed)\b",
    re.IGNORECASE)


# The CT named as the part of a hybrid study it is: "the CT portion", "CT images", "CT component" (session 18).
_HYBRID_PART_AFTER = re.compile(r"[ \t]*(?:portion|component|part|images?|data|fusion|fused|correlate)\b", re.IGNORECASE)


def modalities(
    mentions: Iterable[dict[str, Any]], text: str = "", one_study: bool = True, lines: LineStarts | None = None
) -> tuple[list[str], dict[str, list[int]]]:
    """Exams described as performed: title, technique or body; not comparison, history, recommendation.

    Each study is resolved once over the whole document: it is performed if any of its mentions is.
    A title names the study done, whatever cue its words carry ("Evaluate for ... PA and lateral
    chest"). Words that only one modality shows (gadolinium, Hounsfield units) infer a study only when
    no study is named; a generic "film" names the study beside it, not a radiograph. A ``title_only``
    word (mammogram: in a note's text nearly always screening history, a plan or the reason for surgery)
    names a study only in the title, technique or the untitled opening sentence. Another study
    a finding is "seen on" or has grown on, in a report whose title names its own study ("BONE SCAN ...
    enlargement on CT"), is a correlative study, not one this report describes; so is one of a kind the comparison section names.
    Beside a PET/CT or SPECT/CT,
    a CT word is the hybrid's CT in a radiology report (``one_study``); a note, letter or summary retells
    several studies, and there only a CT named as the hybrid's part ("the CT portion") is.
    """
    found: dict[str, list[int]] = {}
    mentions = [m for m in mentions if m["concept"] == "modality"]
    if not mentions:  # a sixth of the public reports name no study: nothing below would find one
        return [], {}
    lines = LineStarts.of_text(text, lines)
    past = past_lines(text, mentions)  # a timeline's lines dated a year or more before its latest date
    hybrid = any(m["meta"].get("hybrid_ct") and m.get("counts_modality") and m["assertion"] == "present"
                 and not (past and on_lines(m, past)) for m in mentions)
    first_break = text.find("\n") % (len(text) + 1)  # the first line ends here (no line break: the text does)
    for m in mentions:
        if _follow_up_title(m, text, first_break):
            m["assertion"], m["note"] = "present", "a title's follow-up study: the study this report describes"
    titled = {
        m["meta"]["modality"] for m in mentions
        if study_performed(m) and not m["meta"].get("inferred")
        and (m["section"] == "exam" or (m["section"] == "preamble" and m["start"] <= first_break))
    }
    studies = _cross_sectional_studies(mentions)
    # the kinds of study the comparison section names: in a titled report, a study of another kind named in the
    # findings is that earlier study ("BONE SCAN ... COMPARISON: CT 11/02 ... a lytic lesion on CT"; session 23)
    compared = {m["meta"]["modality"] for m in mentions if m["section"] == "comparison"} if titled else set()
    performed = []
    sentences: dict[str, Any] = {}  # _study_sentences, counted when first asked
    for m in mentions:
        if m["meta"].get("angio_word") and _cross_sectional_angio(m, mentions, studies, text):
            m["note"] = "the angiography of a CT or MR angiography study, not catheter angiography"
        elif m["rule"] == "mod_mr" and _valve_list(text, m["start"], m["end"]):
            m["note"] = "'MR' among valve findings: mitral regurgitation, not an MR study"
        elif (
            hybrid and m["meta"]["modality"] == "CT" and not m["rule"].startswith("mod_ct_guided")
            and (one_study or _HYBRID_PART_AFTER.match(text, m["end"]) is not None or _after_hybrid_label(m, lines))
            and not _own_dated_line(m, lines)
        ):
            # a CT-guided biopsy is a CT of its own, never the CT part of the PET/CT (session 17); so is a CT a
            # note lists on its own dated line (session 18)
            m["note"] = "the CT part of a PET/CT or SPECT/CT does not add CT"
        elif _recommended_next(m, text):
            m["note"] = "a study named alone and recommended in the next sentence: not done"
        elif _survey_heading(m, text, titled, lines):
            m["note"] = "a survey's name as a block's heading in a report of another study: a template's title"
        elif m["assertion"] == "present" and _ADVISED_AFTER_BRACKET.match(text, m["end"], m["sentence"]["end"]):
            m["note"] = "a study its sentence's closing advice reaches over a bracket: recommended, not done"
        elif not study_performed(m) and not _reported_next(m, mentions, text, sentences):
            m["note"] = (
                "a study denied: not done, or not available to this report" if m["assertion"] == "absent"
                else "modality named as comparison, history or recommendation"
            )
        elif m["meta"].get("title_only") and not (
            m["section"] in ("exam", "technique")
            or (m["section"] == "preamble" and m["start"] <= first_break and not text[: m["sentence"]["start"]].strip())
        ):
            m["note"] = "a study word that names the report's own study only in its title or technique"
        elif (
            titled and m["meta"]["modality"] not in titled and m["section"] not in ("exam", "technique")
            and (m["meta"]["modality"] in compared or _SEEN_ON.search(text, max(0, m["start"] - 60), m["start"])
                 or _SENT_TO_AFTER.match(text, m["end"], m["end"] + 60) or _DATED_AFTER.match(text, m["end"], m["end"] + 24)
                 or _RESULT_AFTER.match(text, m["end"], m["end"] + 40))
        ):
            m["note"] = "another study a finding is seen on: correlative, not this report's"
        elif past and on_lines(m, past):
            m["note"] = "a study on a timeline's line dated a year or more before the text's latest date: the past"
        elif dated_before_note(m, text):
            m["note"] = "a study dated by a calendar year before the note's own time: the patient's past"
        else:
            if m["assertion"] == "hypothetical" and not study_performed(m):  # counted by _reported_next
                m["note"] = "recommended, then done: the next sentence reports its result"
            performed.append(m)
    named = [m for m in performed if not m["meta"].get("inferred")]
    for m in performed:
        if m["meta"].get("inferred") and named:
            m["note"] = "a word that implies the modality, but the study is named"
            continue
        if m["meta"].get("generic") and span_of(m, "sentence") in _study_sentences(mentions, sentences)["named"]:
            m["note"] = "a generic word ('film') for the study named beside it"
            continue
        modality = m["meta"]["modality"]
        m["contributes"] = {"modalities": modality}
        found.setdefault(modality, []).append(m["id"])
    return sorted(found), {k: found[k] for k in sorted(found)}


# "CT coronary angiography", "MR renal angiogram": at most two words between the CT or MR study and the
# angiography word, on one line.
_ANGIO_GAP = re.compile(r"[ \t/-]*(?:[A-Za-z]+[ \t/-]+){0,2}")
# Valve findings beside an "MR" (mitral regurgitation in an echo or cardiology note): the other valves'
# abbreviations (case-sensitive; not "MS", which is also multiple sclerosis) or valve words, within a short reach on either side.
_VALVE_ABBR = re.compile(r"\b(?:AR|TR|AS|AI|TI|PR|PI|MVP|LV|LVEF|EF)\b")
_VALVE_WORD = re.compile(r"\b(?:regurgita\w*|mitral|tricuspid|valv\w*|ventriculogra\w*|ejection\s+fraction)\b", re.I)


def _cross_sectional_angio(
    m: dict[str, Any], mentions: list[dict[str, Any]], studies: list[tuple[int, int]], text: str
) -> bool:
    """The angiography word of a CT or MR angiography ("CT CORONARY ANGIOGRAPHY"): that study, not an XR.
    ``studies`` are (end, index) of the CT and MR mentions in ``mentions``, sorted: only those ending
    within the gap's reach before the word are tried."""
    lo = bisect_left(studies, (_angio_gap_floor(text, m["start"]), -1))
    hi = bisect_right(studies, (m["start"], len(mentions)))
    return any(
        mentions[i]["sentence"] == m["sentence"] and _ANGIO_GAP.fullmatch(text, end, m["start"]) is not None
        for end, i in studies[lo:hi]
    )


def _cross_sectional_studies(mentions: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """(end, index) of the named CT and MR study mentions, sorted, for :func:`_cross_sectional_angio`."""
    return sorted(
        (o["end"], i) for i, o in enumerate(mentions) if o["meta"]["modality"] in ("CT", "MRI") and not o["meta"].get("inferred")
    )


def _angio_gap_floor(text: str, start: int) -> int:
    """The earliest offset an _ANGIO_GAP ending at ``start`` can begin at: back over separators, a word,
    separators, a word and separators (the gap holds at most two words)."""
    i = start
    for letters in (False, True, False, True, False):
        while i > 0 and ((text[i - 1].isascii() and text[i - 1].isalpha()) if letters else text[i - 1] in " \t/-"):
            i -= 1
    return i


def _valve_list(text: str, start: int, end: int) -> bool:
    """An "MR" with valve findings beside it ("no MR or AR", "EF 55%. No MR."): mitral regurgitation."""
    window = text[max(0, start - 40):end + 40]
    if _VALVE_WORD.search(window):
        return True
    # an all-capitals stretch ("MR LUMBAR SPINE AS FOLLOWS") cannot tell an abbreviation from a word
    return any(c.islower() for c in window) and _VALVE_ABBR.search(window.replace(text[start:end], "  ", 1)) is not None


def _compared_with(m: dict[str, Any]) -> bool:
    """A study a title names after "comparison" or "compared with" ("PA and lateral chest ... comparison CT from
    2019"): an Open-i title may hold the comparison, and that study is not the one done (session 11)."""
    return m["assertion"] == "historical" and any(
        c["category"] == "HISTORICAL" and c.get("direction") == "FORWARD" and c["text"][:6].lower() == "compar"
        for c in m.get("cues") or ()
    )  # a backward "comparison" after the title's own study ("PA and lateral chest, comparison ...") is no such cue


def _study_sentences(mentions: list[dict[str, Any]], memo: dict[str, Any]) -> dict[str, Any]:
    """How many study mentions each sentence holds ("all") and which sentences name a study by a word that is
    not generic ("named"), counted once per report (in ``memo``): each generic word ("film") asked every study
    of the report whether it shared its sentence (a line of thousands: 100 kB 23 s), and so did a recommended
    study (session 24)."""
    if not memo:
        memo["all"] = Counter(span_of(o, "sentence") for o in mentions)
        memo["named"] = {span_of(o, "sentence") for o in mentions if not o["meta"].get("generic")}
    return memo


def _reported_next(m: dict[str, Any], mentions: list[dict[str, Any]], text: str, memo: dict[str, Any]) -> bool:
    """A recommended study, the only one of its sentence, whose next sentence reports its result."""
    return (
        m["assertion"] == "hypothetical" and bool(m.get("counts_modality"))
        and _REPORTED_NEXT.match(text, m["sentence"]["end"]) is not None
        and _study_sentences(mentions, memo)["all"][span_of(m, "sentence")] == 1
    )


def dated_before_note(m: dict[str, Any], text: str) -> bool:
    """A study its own words date by a bare calendar year ("In 1998 she had an MRI", "a CT of the head in
    2005") that is before the note: "back in" the year, or a later year is named in the note (its own date,
    or events after the study). A year alone may be the note's own one, so it says nothing by itself. A study's own
    full date right after it ("the CT of 06/22/2025") is before the note when the text names a date a year or more
    later (session 32)."""
    sentence = m["sentence"]
    lo, hi = max(sentence["start"], m["start"] - 90), min(sentence["end"], m["end"] + 60)
    if (text.find("19", lo, hi) < 0 and text.find("20", lo, hi) < 0) or _YEAR_DIGITS.search(text, lo, hi) is None:
        return False  # nearly every study: no year beside it (the finds first: the search, led by \b, steps
        # through every character of the window in Python's re, about 5 us; two finds about 0.2)
    dated = (_YEAR_BEFORE_STUDY.search(text, lo, m["start"]) or _YEAR_AFTER_STUDY.match(text, m["end"], hi)
             or _YEAR_ADJ_BEFORE_STUDY.search(text, max(lo, m["start"] - 40), m["start"]))
    if dated is None:
        # "The CT of 06/22/2025 showed no fracture" in a report of 10/05/2026: its own date, a year or more before the
        # latest date the text names (session 32)
        return dated_a_year_before(text, m["end"], hi)
    if dated.groupdict().get("back"):
        return True
    year = int(dated.group("year"))
    return any(y > year for y in years_named(text))


def _recommended_next(m: dict[str, Any], text: str) -> bool:
    """A study named alone in its sentence ("An MRI of the lumbar spine.") that the next one recommends."""
    sentence = m["sentence"]
    if m["assertion"] != "present" or _RECOMMENDED_NEXT.match(text, sentence["end"]) is None:
        return False  # nearly every study: the next sentence recommends nothing
    before = _NAMED_ALONE_BEFORE.match(text, sentence["start"], m["start"])
    after = _NAMED_ALONE_AFTER.match(text, m["end"], sentence["end"])
    return before is not None and before.end() == m["start"] and after is not None and after.end() == sentence["end"]


# An ALL CAPS first line that opens with "FOLLOW-UP" and its study ("FOLLOW-UP SKELETAL SURVEY (LIMITED, 15 IMAGES)").
_FOLLOW_UP_TITLE = re.compile(r"[ \t]*FOLLOW[ -]?UP[ \t]+(?=[A-Z])")


def _follow_up_title(m: dict[str, Any], text: str, first_break: int) -> bool:
    """The study a title names after "FOLLOW-UP", on the report's first line in capitals: the follow-up study
    this report is, not one it plans; the forward "follow-up" cue (a plan in prose) does not reach a title
    (session 28)."""
    if m["section"] != "preamble" or m["start"] > first_break or m["assertion"] != "hypothetical":
        return False
    line = text[:first_break]
    return (
        line.isupper() and _FOLLOW_UP_TITLE.match(line) is not None
        and all(c["text"].upper().replace(" ", "-").startswith("FOLLOW") for c in m.get("cues") or ())
    )


# A title that names a form signed or filled in before a study ("CONSENT FOR CT-GUIDED BONE BIOPSY", "MRI SAFETY
# SCREENING QUESTIONNAIRE"): the study is still to come (session 33).
_FORM_TITLE_CUES = frozenset({"frame_study_consented_for", "frame_study_screening_form_after"})


def study_performed(m: dict[str, Any]) -> bool:
    if not m.get("counts_modality"):
        return False
    if m["section"] == "exam":  # the title names the study done, not the one it is compared with
        return m["assertion"] not in ("absent", "family") and not _compared_with(m) and not (
            m["assertion"] == "hypothetical" and any(c.get("rule") in _FORM_TITLE_CUES for c in m.get("cues") or ()))
    return bool(m["assertion"] == "present")
