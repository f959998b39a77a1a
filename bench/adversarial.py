"""Hostile report shapes: does one report's CPU time grow linearly with its size, whatever it holds?

    python bench/adversarial.py                          # every shape at 10 kB, 100 kB, 1 MB
    python bench/adversarial.py --sizes 10,100 --cap 60  # smaller sizes, 60 s cap per measurement
    python bench/adversarial.py --out docs/robustness.md # also replace that file's "Adversarial shapes" section

Each shape is text no real report looks like, but an export can hold: one sentence that never ends, full
of cues or findings. Each (shape, size) is measured in a fresh process (the pipeline is built first and not
counted) as the CPU time of ``Extractor.record_for_text`` on that one report; a measurement over ``--cap``
seconds is stopped and shown as "> cap". The growth exponent is the slope of log(CPU) against log(size)
over the sizes measured (1.0 is linear, 2.0 quadratic). The same run gives the bytes of the report's JSON
record (per byte of text at the largest size, and its growth exponent) and how far the report raised the
process's peak RSS: a record growing faster than the text is a blow-up even when the time is linear. Targets
(issue 17): exponent <= 1.2 and <= 5 s of CPU per MB for every shape; record exponent <= 1.2 (session 22).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

TARGET_EXPONENT = 1.2
TARGET_SECONDS_PER_MB = 5.0


def _fill(unit: Callable[[int], str], size: int, end: str = "") -> str:
    parts, length, i = [], 0, 0
    while length < size - len(end):
        parts.append(unit(i))
        length += len(parts[-1])
        i += 1
    return "".join(parts)[: size - len(end)] + end


def no_run(size: int) -> str:
    """'no no no ... metastasis': one negation cue after another, one finding at the end."""
    return _fill(lambda i: "no ", size, " metastasis")


def or_list(size: int) -> str:
    """'No fracture or metastasis or lytic lesion or ...': a negated list that never ends."""
    words = ("fracture", "metastasis", "lytic lesion", "cord compression", "disc bulge", "spinal stenosis")
    return "No " + _fill(lambda i: f"{words[i % len(words)]} or ", size - 3)


def and_findings(size: int) -> str:
    """'fracture and fracture and ...': mentions only."""
    return _fill(lambda i: "fracture and ", size)


def every_cue(size: int) -> str:
    """Every literal ConText cue of the built-in rules, repeated with a finding, with no full stop."""
    rules = json.loads((REPO / "patterns" / "context.json").read_text(encoding="utf-8"))["context_rules"]
    cues = [r["literal"] for r in rules if isinstance(r.get("literal"), str) and "pattern" not in r]
    return _fill(lambda i: f"{cues[i % len(cues)]} metastasis at L{i % 5 + 1} ", size)


def mixed_unicode(size: int) -> str:
    """Findings among scripts, combining marks, emoji and bidi controls, seeded so every run is the same."""
    rng = random.Random(17)
    pieces = ["metástasis", "лизис", "骨转移", "🦴", "e\u0301", "\u202e", "fracture", "T12", "ﬁ", "no", "ß", "\u200d", "L4-5"]
    return _fill(lambda i: rng.choice(pieces) + " ", size)


def site_list(size: int) -> str:
    """'Liver mass, metastasis, increased, metastasis, ...': one organ, then a comma list of findings and
    bare status items that all look back to it."""
    return "FINDINGS: Liver mass" + _fill(lambda i: ", increased" if i % 3 == 2 else ", metastasis", size - 21) + "."


def wedge_list(size: int) -> str:
    """'anterior wedging of T7, anterior wedging of T8, ...': shape-only fractures in one clause."""
    return "FINDINGS: Mild anterior wedging of T7" + _fill(lambda i: f", anterior wedging of T{i % 12 + 1}", size - 38) + "."


def glued_sentences(size: int) -> str:
    """'Normal.,No fracture.,Spine.,...' without a space: one chunk of sentences glued as exports glue them."""
    words = ["Normal", "fracture", "Spine", "metastasis", "L4", "disc", "3", "No"]
    return _fill(lambda i: words[i % len(words)] + ".,", size)


def study_names(size: int) -> str:
    """'CT scan and MRI and bone scan, ...' on one line: every study named in a report's first line."""
    return _fill(lambda i: "CT scan and MRI and bone scan, ", size)


def underlying_list(size: int) -> str:
    """'uptake with underlying lesion, ...': lesions that take the bone of their sentence's findings."""
    return _fill(lambda i: "uptake with underlying lesion, ", size)


def sac_denials(size: int) -> str:
    """'No stenosis at L4-5. The disc indents the thecal sac at L3-4. ...': each indentation against every denial."""
    unit = "No stenosis at L4-5. The disc indents the thecal sac at L3-4. "
    return "MRI LUMBAR SPINE\nFINDINGS: " + _fill(lambda i: unit, size - 27)


def hedged_noted(size: int) -> str:
    """'Suggestive of rib fracture noted rib fracture noted ...': one hedge, then findings each with its verb."""
    return "FINDINGS: Suggestive of " + _fill(lambda i: "rib fracture noted ", size - 24)


def finding_sentences(size: int) -> str:
    """'Mets. Mets. Mets. ...': a finding in every six characters, each its own sentence (the densest text)."""
    return "FINDINGS: " + _fill(lambda i: "Mets. ", size - 10)


def bracket_asides(size: int) -> str:
    """'No marrow oedema (old L1 compression fracture, unchanged). ...': a bracketed finding after each negation."""
    return "FINDINGS: " + _fill(lambda i: "No marrow oedema (old L1 compression fracture, unchanged). ", size - 10)


def level_table(size: int) -> str:
    """'L4-5 | protrusion | mild stenosis | patent' a row: a table of thousands of rows of levels."""
    head = "MRI LUMBAR SPINE\nLevel | Disc | Canal | Foramina\n"
    discs = ("bulge", "protrusion", "normal", "extrusion")
    return head + _fill(
        lambda i: f"{'CTLS'[i % 4]}{i % 9 + 1}-{i % 9 + 2} | {discs[i % 4]} | mild stenosis | patent\n", size - len(head)
    )


def semicolon_line(size: int) -> str:
    """'compression fracture of L2; no stenosis at L3-4; ...': one line of findings parted by semicolons."""
    items = ("compression fracture of L2", "no stenosis at L3-4", "disc bulge at L4-5", "lytic lesion in the T8 body",
             "no cord compression", "facet arthropathy at L5-S1")
    return "FINDINGS: " + _fill(lambda i: items[i % len(items)] + "; ", size - 10)


def section_headers(size: int) -> str:
    """'FINDINGS:\\nNo fracture.\\nIMPRESSION:\\n...': thousands of section headers, a short line under each."""
    heads = ("FINDINGS", "IMPRESSION", "HISTORY", "TECHNIQUE", "COMPARISON", "BONES", "SPINE", "L4-5")
    return _fill(lambda i: f"{heads[i % len(heads)]}:\nNo fracture.\n", size)


def dated_lines(size: int) -> str:
    """'03/2011  MRI L-spine: L4-5 disc bulge, lytic lesion at T3' a line: a timeline of thousands of past studies."""
    return _fill(
        lambda i: f"{i % 12 + 1:02d}/{2000 + i % 25}  MRI L-spine: L4-5 disc bulge, lytic lesion at T{i % 12 + 1}\n", size
    )


def findings_then_bones(size: int) -> str:
    """'lytic lesion, lytic lesion, ... of the femur, tibia, humerus, ...': a list of findings, then a list of
    bones that is one site group for every one of them."""
    findings, bones = "lytic lesion, " * (size // 28), "femur, tibia, humerus, " * (size // 46)
    return "FINDINGS: " + findings + "of the " + bones + "pelvis."


def findings_then_levels(size: int) -> str:
    """'compression fracture, ... at L1, L2, L3, ...': a list of findings, then one group of thousands of levels."""
    findings, levels = "compression fracture, " * (size // 44), "C1, T2, L3, C4, T5, L1, C2, T3, L4, C5, " * (size // 80)
    return "FINDINGS: " + findings + "at " + levels + "S1."


def malignant_alternatives(size: int) -> str:
    """'lytic lesion, metastasis versus myeloma, ...': two malignant readings posed against each other, thousands
    of times in one sentence (each "versus" affirms the mentions it alone hedges)."""
    return "FINDINGS: " + _fill(lambda i: "lytic lesion, metastasis versus myeloma, ", size, "end.")


def wet_read_line(size: int) -> str:
    """'Wet read: possible fracture of L1, possible fracture of L2, ...' on one line, then a final read: every
    finding of a long preliminary read gives way to the final read."""
    return "ED course: fall.\nWet read: " + _fill(lambda i: f"possible fracture of L{i % 5 + 1}, ", size - 80, "") + (
        "\nFinal read CT L-spine: no acute fracture.\n")


def dated_studies_one_line(size: int) -> str:
    """'03/2011 MRI L-spine: CT and MRI and bone scan, ...' on one line: a dated line naming thousands of studies
    (each study's line start was looked for back to the line's start: quadratic, session 22)."""
    return "03/2011 MRI L-spine: " + _fill(lambda i: "CT and MRI and bone scan, ", size - 21, "end.\n06/2024 CT: stable.\n")


def long_level_heading(size: int) -> str:
    """'C1-2, T2-3, L3-4, ...:' then 'Disc bulge. Disc bulge. ...': a level heading of thousands of levels over
    thousands of findings (each finding took every level: the record grew with the square, session 22)."""
    levels = "".join(f"{'CTL'[i % 3]}{i % 5 + 1}-{i % 5 + 2}, " for i in range(size // 12))  # 6 characters each
    return "MRI SPINE\nFINDINGS:\n" + levels + "L5-S1:\n" + _fill(lambda i: "Disc bulge. ", size - len(levels) - 27)


def addendum_blocks(size: int) -> str:
    """'ADDENDUM: ... Wet read: ... Final read: ...' blocks: a report amended thousands of times."""
    unit = ("ADDENDUM {i}:\nWet read: possible compression fracture of L{j}.\n"
            "Final read: no acute fracture. Chronic L{j} wedging, unchanged.\n")
    return "CT LUMBAR SPINE\nFINDINGS: Normal alignment.\n" + _fill(lambda i: unit.format(i=i + 1, j=i % 5 + 1), size - 44)


def correcting_denials(size: int) -> str:
    """'Compression fracture of L1. ADDENDUM: On further review, no fracture of L1, no fracture of L2, ...': one
    correcting sentence of thousands of denials (each searched its clause back to the start: quadratic, session 22)."""
    head = "CT SPINE\nFINDINGS: Compression fracture of L1.\nADDENDUM: On further review, "
    return head + _fill(lambda i: f"no fracture of L{i % 5 + 1}, ", size - len(head), "end.")


def bare_collapses(size: int) -> str:
    """'Lytic lesion at L2. No collapse, no collapse, ...': one sentence of bare denials of collapse, each asking
    whether its sentence names the lung (each searched the sentence: quadratic, session 22)."""
    head = "MRI SPINE\nFINDINGS: Lytic lesion at L2. "
    return head + _fill(lambda i: "no collapse, " if i else "No collapse, ", size - len(head), "end.")


def generic_changes(size: int) -> str:
    """'Degenerative changes, degenerative changes, ...': one clause of generic changes, each asking whether its
    clause names the facets (each searched the clause: quadratic, session 22)."""
    return "MRI LUMBAR SPINE\nFINDINGS: " + _fill(lambda i: "degenerative changes, ", size - 27, "end.")


_TEMPLATE = (
    "EXAM: MRI LUMBAR SPINE WITHOUT CONTRAST\nCLINICAL HISTORY: Low back pain radiating to the left leg. History of "
    "breast cancer.\nCOMPARISON: CT abdomen and pelvis 03/2021.\nTECHNIQUE: Sagittal T1, T2 and STIR, axial T1 and "
    "T2 images of the lumbar spine.\nFINDINGS:\nAlignment: Mild levoscoliosis. No spondylolisthesis.\nVertebrae: "
    "Vertebral body heights are maintained. No compression fracture. A 9 mm T1-hypointense focus in the L2 body "
    "without enhancement, likely a bone island. No marrow oedema.\nConus: Terminates at L1 and is normal in "
    "signal.\nT12-L1: No disc herniation. No stenosis.\nL1-2: No disc herniation. No stenosis.\nL2-3: Mild disc "
    "desiccation. No stenosis.\nL3-4: Disc bulge and mild facet arthropathy. Mild bilateral foraminal narrowing. "
    "No central canal stenosis.\nL4-5: Disc desiccation with loss of height. Broad-based disc protrusion with an "
    "annular fissure, contacting the traversing left L5 nerve root. Moderate central canal stenosis. Moderate left "
    "and mild right foraminal stenosis. Ligamentum flavum thickening.\nL5-S1: Small central disc extrusion without "
    "nerve root compression. Facet arthropathy. Mild bilateral foraminal narrowing.\nParaspinal soft tissues: "
    "Unremarkable. Incidental left renal cyst.\nIMPRESSION:\n1. Multilevel degenerative disc disease, worst at L4-5 "
    "with moderate central canal stenosis and a disc protrusion contacting the left L5 nerve root.\n2. No "
    "fracture. No suspicious osseous lesion; the L2 focus is most consistent with a bone island, though a "
    "sclerotic metastasis is not entirely excluded. Consider bone scan if clinically indicated.\n3. Small L5-S1 "
    "disc extrusion.\nDictated by: Radiologist on 04/2022.\n\n"
)


def repeated_template(size: int) -> str:
    """The same 1.6 kB lumbar MRI report, end to end, hundreds of times: an export that glued one report's copies."""
    return _fill(lambda i: _TEMPLATE, size)


def digits_punctuation(size: int) -> str:
    """'12.5/3-4, (7)-8; 90%...': a report of only digits and punctuation, seeded (a corrupted export)."""
    rng = random.Random(22)
    pieces = ["12", "3.5", "/", "-", ",", ";", ":", "(7)", "90%", "...", "4-5", "2021", " ", " ", "\n", "#", "+/-"]
    return _fill(lambda i: rng.choice(pieces), size)


def one_long_word(size: int) -> str:
    """'lyticlesionL4metastasisfracture...' with no space or line break: one word of a megabyte."""
    words = ("lytic", "lesion", "L4", "metastasis", "fracture", "no", "stenosis", "T12", "disc", "bulge")
    return _fill(lambda i: words[i % len(words)], size)


def facet_column_table(size: int) -> str:
    """'Level   Disc   Facets' over thousands of rows 'L3-4   normal   mild DJD': a table laid out in spaces whose
    every row asks for its column's header (each walked the table up to it: quadratic, session 22)."""
    head = "MRI LUMBAR SPINE\nFINDINGS:\nLevel    Disc              Facets\n"
    return head + _fill(lambda i: f"L{i % 5 + 1}-{i % 5 + 2}     normal            mild DJD\n", size - len(head))


def cause_contrasts(size: int) -> str:
    """'osteoporotic rather than pathologic fracture of L2, ...': one clause of thousands of cause contrasts, each
    fracture reading every cause word of the clause and searching it from its start (quadratic before session 22)."""
    head = "MRI SPINE\nFINDINGS: "
    return head + _fill(lambda i: f"osteoporotic rather than pathologic fracture of L{i % 5 + 1}, ", size - len(head), "end.")


def midline_study_labels(size: int) -> str:
    """'Pain since May. Pelvis XR 11/02: no fracture. ...' on one line: thousands of study labels after a sentence's
    stop, each reading its line back to the start for a parenthesis left open (quadratic before session 22)."""
    head = "CLINIC NOTE\nHPI: "
    return head + _fill(lambda i: "Pain since May. Pelvis XR 11/02: no fracture. ", size - len(head))


def chemo_uptakes(size: int) -> str:
    """'Diffuse marrow uptake related to chemotherapy, increased uptake, increased uptake, ...': one clause of
    thousands of uptakes under a cause that explains diffuse uptake only, each asking whether its clause calls it
    focal (each searched the clause from its start: quadratic, 100 kB 5.7 s before session 23)."""
    head = "BONE SCAN\nFINDINGS: Diffuse marrow uptake related to chemotherapy, "
    return head + _fill(lambda i: "increased uptake, ", size - len(head), "end.")


def tabbed_fields(size: int) -> str:
    """'Level:<tab>L4-5<tab>Disc:<tab>bulge<tab>...' lines: a templated export of many tab-parted fields a line."""
    unit = "Level:\tL4-5\tDisc:\tbulge\tCanal:\tmild stenosis\tFacets:\tarthropathy\tFracture:\tno\tLesion:\tnone\n"
    return "SYNOPTIC REPORT\n" + _fill(lambda i: unit, size - 16)


def hyphen_wrapped(size: int) -> str:
    """'No patho-\nlogic fracture and no meta-\nstatic disease ...': a word hyphen-wrapped at every line's end."""
    unit = "No patho-\nlogic fracture and no meta-\nstatic disease of the verte-\nbral bodies. "
    return "CT CHEST\nFINDINGS: " + _fill(lambda i: unit, size - 19)


def taken_back(size: int) -> str:
    """'Disc bulge at L4-5; no disc bulge at L4-5 on further review; ...' in an addendum, on one line: thousands of
    findings, each asking whether a later correcting denial takes it back (each asked every later denial, and
    searched for an addendum header between: 100 kB over 120 s before session 23's lead mend)."""
    head = "MRI LUMBAR SPINE\nFINDINGS: ok.\nADDENDUM: "
    return head + _fill(lambda i: "Disc bulge at L4-5; no disc bulge at L4-5 on further review; ", size - len(head))


def quoted_reads(size: int) -> str:
    """'the outside report read "L4 fracture" and "disc bulge"; ...' on one line: thousands of quotes, each reading
    its line back to the start for the words that make it another read's (quadratic before session 23's lead mend)."""
    head = "CT CHEST\nFINDINGS: "
    return head + _fill(lambda i: 'the outside report read "L4 fracture" and "disc bulge"; ', size - len(head))


def hedges_then_addenda(size: int) -> str:
    """'Enhancing focus in T10. Metastasis cannot be excluded. ADDENDUM: It is a typical hemangioma. ...' on one
    line: each hedge with no sited lesion asks which later addendum reads its paragraph's levels as benign (each
    asked every correction, and read its paragraph from the line's start: over 120 s at 100 kB before session
    23's lead mend)."""
    head = "MRI T SPINE\nFINDINGS: "
    unit = "Enhancing focus in T10. Metastasis cannot be excluded. ADDENDUM: It is a typical hemangioma. "
    return head + _fill(lambda i: unit, size - len(head))


def corrected_lines(size: int) -> str:
    """'Lytic lesion at T10.<newline>ADDENDUM: It is a typical hemangioma.' lines: thousands of lesions, each asking whether
    a later correction reads its site as benign (each asked every correction, and searched for addendum headers
    between the two: 100 kB 2.8 s before session 24)."""
    head = "MRI T SPINE\nFINDINGS:\n"
    return head + _fill(lambda i: "Lytic lesion at T10.\nADDENDUM: It is a typical hemangioma.\n", size - len(head))


def lesions_no_fracture(size: int) -> str:
    """'expansile lytic lesion of the left 8th rib, no fracture; ...' on one line: thousands of fractures denied after
    a lesion in one sentence, each asking which lesion it follows (each walked the sentence from its start: 100 kB
    0.82 s, 24x from 10 kB, before session 24's lead)."""
    head = "CT: "
    return head + _fill(lambda i: "expansile lytic lesion of the left 8th rib, no fracture; ", size - len(head))


def history_study_labels(size: int) -> str:
    """'HPI: ... Outside MRI L-spine reviewed: HNP L5-S1. ...' on one line: thousands of study labels inside a
    note's history, each asking whether it opens its line (each read its line back to the start: 1 MB 3.0 s,
    16x from 100 kB, before session 24's lead)."""
    head = "CLINIC NOTE\nHPI: Back pain. "
    return head + _fill(lambda i: "Outside MRI L-spine reviewed: HNP L5-S1. ", size - len(head))


def generic_films(size: int) -> str:
    """'films, films, ...': thousands of generic study words, each asking whether a named study shares its sentence
    (each asked every study of the report: 100 kB 23 s before session 24)."""
    return "XR HAND\nFINDINGS: " + _fill(lambda i: "films, ", size - 19, "end.")


def bare_lucencies(size: int) -> str:
    """'lucency at L2, lucency at L2, ...': one clause of bare lucencies, each asking whether its clause names a
    fracture (each read the clause: 100 kB 5.1 s before session 24)."""
    return "CT\nFINDINGS: " + _fill(lambda i: "lucency at L2, ", size - 13, "end.")


def fractures_then_tumors(size: int) -> str:
    """'fracture of L1, ... end. metastasis, metastasis, ...': a sentence of fractures, then one of tumors, each
    fracture asking whether the next sentence gives its cause (each read the whole next sentence: 100 kB 6.6 s
    before session 24)."""
    half = (size - 20) // 2
    return "CT\nFINDINGS: " + _fill(lambda i: "fracture of L1, ", half, "end. ") + _fill(lambda i: "metastasis, ", half, "end.")


def uncounted_suspicions(size: int) -> str:
    """'concern for fracture, no fracture, ...' in a history: findings that do not count, each fracture looking
    for the next finding that does (each read the rest of its sentence: 100 kB 1.3 s before session 24)."""
    return "PROGRESS NOTE\nHPI: " + _fill(lambda i: "concern for fracture, no fracture, ", size - 19, "end.")


def hedges_before_correction(size: int) -> str:
    """'sclerotic lesion at T10, ... end. metastasis not excluded, ... ADDENDUM: ... a bone island.': thousands of
    site-less hedges after a sentence of lesions a later addendum corrects (each hedge asked every lesion before
    it: 100 kB 2.6 s before session 24)."""
    half = (size - 80) // 2
    correction = "\nADDENDUM: The T10 lesion is actually a bone island.\n"
    return ("MRI\nFINDINGS: " + _fill(lambda i: "sclerotic lesion at T10, ", half, "end. ")
            + _fill(lambda i: "metastasis not excluded, ", half, "end.") + correction)


def plan_doses(size: int) -> str:
    """'PLAN: 30 Gy in 10 fractions to T10-L2 for metastasis; 8 Gy x 1 fx ...; ...': one plan sentence of thousands
    of mentions, each asking whether the sentence says its study was done (each searched the whole sentence: 100 kB
    26 s before session 25)."""
    return "RADIATION ONCOLOGY\nPLAN: " + _fill(
        lambda i: "30 Gy in 10 fractions to T10-L2 for metastasis; 8 Gy x 1 fx to the L4 metastasis; ", size - 25, "end.")


def causes_after_alternative(size: int) -> str:
    """'Fracture of L2. This, rather than trauma, is due to metastasis, metastasis, ...': a sentence that points back
    to a fracture and names its cause after an alternative, then thousands of tumors, each asking whether the
    sentence before it gives the cause plainly (each sliced the sentence up to itself: 1 MB 4.3 s before session
    25)."""
    return "MRI\nFINDINGS: Compression fracture of L2. This, rather than trauma, is due to " + _fill(
        lambda i: "metastasis, ", size - 79, "end.")


def prelim_final_pairs(size: int) -> str:
    """'Prelim: no fracture; Final: fracture of L2, ...': preliminary and final reads paired on one line (probed in
    session 25: linear)."""
    return "CT L-SPINE\nFINDINGS: " + _fill(lambda i: "Prelim: no fracture; Final: fracture of L2, ", size - 22, "end.")


def hybrid_ct_parts(size: int) -> str:
    """'PET/CT ... CT CT CT ...': a mention in every three characters, each the CT part of the report's PET/CT (the
    densest mentions of the probes; session 25: linear, but its constant is over the target, as "Mets." was)."""
    return "PET/CT WHOLE BODY\nFINDINGS: " + _fill(lambda i: "CT ", size - 32, "end.")


def two_rules_one_span(size: int) -> str:
    """'Healing fracture of the right 6th rib. The treated metastasis is now sclerotic. ...': two rules' mentions of
    one span ("Healing fracture": a fracture and a healing finding) came in either order, which sent every later
    sentence's search for a level heading down the plain walk back (100 kB 3.7 s; session 25: linear)."""
    return "CT\nFINDINGS: " + _fill(
        lambda i: "Healing fracture of the right 6th rib. The treated metastasis is now sclerotic. ", size - 16, "end.")


def plan_bullet_studies(size: int) -> str:
    """'A/P: ... - CT chest, CT chest, ... to eval.': one bullet line of thousands of studies under a combined
    assessment-and-plan header, each asking where its line starts (each read the line back to its start: 1 MB 4.05 s,
    12.9x over 100 kB, before session 26)."""
    return "ASSESSMENT AND PLAN:\n1. Back pain.\n- " + _fill(lambda i: "CT chest, ", size - 40, "to eval.")


SHAPES: dict[str, Callable[[int], str]] = {
    "no no no ... metastasis": no_run,
    "No X or Y or Z ...": or_list,
    "fracture and fracture ...": and_findings,
    "every cue, no full stop": every_cue,
    "mixed Unicode": mixed_unicode,
    "organ, finding, status, ...": site_list,
    "wedging of T7, wedging of T8, ...": wedge_list,
    "glued.,sentences.,without.,spaces": glued_sentences,
    "CT scan and MRI and bone scan, ...": study_names,
    "uptake with underlying lesion, ...": underlying_list,
    "no stenosis; the disc indents the sac; ...": sac_denials,
    "Suggestive of rib fracture noted ...": hedged_noted,
    "Mets. Mets. Mets. ...": finding_sentences,
    "No oedema (old fracture). ...": bracket_asides,
    "table rows: L4-5 / bulge / stenosis ...": level_table,
    "finding; finding; ... (one line)": semicolon_line,
    "HEADER: No fracture. HEADER: ...": section_headers,
    "03/2011 MRI L-spine: ... (dated lines)": dated_lines,
    "lytic lesion, ... of the femur, tibia, ...": findings_then_bones,
    "compression fracture, ... at L1, L2, ...": findings_then_levels,
    "metastasis versus myeloma, ...": malignant_alternatives,
    "Wet read: finding, finding, ... (one line)": wet_read_line,
    "03/2011 MRI: CT and MRI and ... (dated, one line)": dated_studies_one_line,
    "C1-2, T2-3, ...: (long level heading)": long_level_heading,
    "ADDENDUM / Wet read / Final read blocks": addendum_blocks,
    "ADDENDUM: On further review, no fracture, ...": correcting_denials,
    "Lytic lesion. No collapse, no collapse, ...": bare_collapses,
    "degenerative changes, degenerative changes, ...": generic_changes,
    "Level   Disc   Facets (a long space-laid table)": facet_column_table,
    "osteoporotic rather than pathologic fracture, ...": cause_contrasts,
    "... since May. Pelvis XR 11/02: ... (one line)": midline_study_labels,
    "uptake related to chemotherapy, uptake, ...": chemo_uptakes,
    "Level:<tab>L4-5<tab>Disc:<tab>... (tabbed fields)": tabbed_fields,
    "patho-<newline>logic fracture ... (hyphen-wrapped)": hyphen_wrapped,
    "ADDENDUM: bulge at L4-5; no bulge at L4-5 on further review; ...": taken_back,
    'the outside report read "L4 fracture"; ... (quotes, one line)': quoted_reads,
    "focus in T10. Metastasis cannot be excluded. ADDENDUM: hemangioma. ...": hedges_then_addenda,
    "Lytic lesion at T10. / ADDENDUM: It is a typical hemangioma. (lines)": corrected_lines,
    "lytic lesion of a rib, no fracture; ... (one sentence)": lesions_no_fracture,
    "HPI: ... Outside MRI L-spine reviewed: HNP ... (one line)": history_study_labels,
    "films, films, ... (generic study words)": generic_films,
    "lucency at L2, lucency at L2, ... (one clause)": bare_lucencies,
    "fracture of L1, ... end. metastasis, ... (two sentences)": fractures_then_tumors,
    "concern for fracture, no fracture, ... (history, one line)": uncounted_suspicions,
    "lesions at T10 ... end. metastasis not excluded, ... ADDENDUM: bone island": hedges_before_correction,
    "PLAN: 30 Gy in 10 fractions ... for metastasis; ... (one plan sentence)": plan_doses,
    "Fracture. This, rather than trauma, is due to metastasis, metastasis, ...": causes_after_alternative,
    "Prelim: no fracture; Final: fracture of L2, ... (one line)": prelim_final_pairs,
    "PET/CT: CT CT CT ... (the hybrid's CT parts)": hybrid_ct_parts,
    "Healing fracture of the right 6th rib. The treated metastasis is now sclerotic. ...": two_rules_one_span,
    "A/P: - CT chest, CT chest, ... to eval. (one plan bullet line)": plan_bullet_studies,
    "one 1.6 kB report repeated": repeated_template,
    "digits and punctuation only": digits_punctuation,
    "one word, no space or line break": one_long_word,
}


def measure_one(shape: str, size: int) -> tuple[float, int, int]:
    """CPU seconds of one report of this shape and size, in this process (the pipeline built beforehand), the
    bytes of its JSON record, and how far the report raised the process's peak RSS (bytes): a record or a
    working set growing faster than the text would exhaust a worker before its time budget stops it."""
    from reportnlp.run.extractor import Extractor
    from reportnlp.run.output import dumps

    extractor = Extractor()
    text = SHAPES[shape](size)
    extractor.record_for_text("warm", "No fracture.")
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.process_time()
    record = extractor.record_for_text("adversarial", text)
    elapsed = time.process_time() - start
    if record["status"] != "ok":
        raise SystemExit(f"{shape} {size}: {record['error']['type']}")
    record_bytes = len(dumps(record))
    peak_growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before) * 1024  # Linux: kB
    return elapsed, record_bytes, peak_growth


def measure(shape: str, size: int, cap: float) -> tuple[float, int, int] | None:
    """``measure_one`` in a fresh process, or None when it ran past ``cap`` wall seconds."""
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--one", shape, str(size)], capture_output=True, text=True, timeout=cap, check=True
        )
    except subprocess.TimeoutExpired:
        return None
    seconds, record_bytes, peak_growth = done.stdout.strip().splitlines()[-1].split()
    return float(seconds), int(record_bytes), int(peak_growth)


def exponent(points: list[tuple[int, float]]) -> float | None:
    """Least-squares slope of log(seconds), or of log(record bytes), on log(size)."""
    points = [(s, t) for s, t in points if t > 0]
    if len(points) < 2:
        return None
    xs = [math.log(s) for s, _ in points]
    ys = [math.log(t) for _, t in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


def report(sizes: list[int], cap: float) -> str:
    header = ["shape", *(f"{s // 1000} kB CPU s" for s in sizes), "s per MB (largest)", "exponent",
              "record / text (largest)", "record exponent", "peak RSS + MB (largest)", "met"]
    rows = []
    for shape in SHAPES:
        points: list[tuple[int, float]] = []
        records: list[tuple[int, float]] = []
        peak = None
        cells = []
        stopped = False
        for size in sizes:
            measured = None if stopped else measure(shape, size, cap)
            if measured is None:
                stopped = True
                cells.append(f"> {cap:.0f}")
            else:
                points.append((size, measured[0]))
                records.append((size, measured[1]))
                peak = measured[2]
                cells.append(f"{measured[0]:.3f}")
            print(f"  {shape} {size}: {cells[-1]}", file=sys.stderr, flush=True)
        slope, record_slope = exponent(points), exponent(records)
        per_mb = points[-1][1] / (points[-1][0] / 1e6) if points else None
        met = not stopped and slope is not None and slope <= TARGET_EXPONENT and per_mb is not None
        met = met and per_mb <= TARGET_SECONDS_PER_MB and record_slope is not None and record_slope <= TARGET_EXPONENT
        rows.append([shape, *cells, f"{per_mb:.2f}" if per_mb is not None else "-",
                     f"{slope:.2f}" if slope is not None else "-",
                     f"{records[-1][1] / records[-1][0]:.1f}" if records else "-",
                     f"{record_slope:.2f}" if record_slope is not None else "-",
                     f"{peak / 1e6:.0f}" if peak is not None else "-", "yes" if met else "**no**"])
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000", help="kB, comma-separated")
    parser.add_argument("--cap", type=float, default=300.0, help="wall seconds allowed per measurement")
    parser.add_argument("--out", type=Path, help="replace the 'Adversarial shapes' section of this markdown file")
    parser.add_argument("--one", nargs=2, metavar=("SHAPE", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(*measure_one(args.one[0], int(args.one[1])))
        return 0
    sizes = [int(kb) * 1000 for kb in args.sizes.split(",")]
    table = report(sizes, args.cap)
    section = (
        "## Adversarial shapes\n\n"
        f"`python bench/adversarial.py --sizes {args.sizes}`: CPU seconds of one report of each shape (fresh process, "
        f"pipeline load not counted; over {args.cap:.0f} s wall stopped), the fitted growth exponent and whether the "
        f"targets (exponent <= {TARGET_EXPONENT}, <= {TARGET_SECONDS_PER_MB:.0f} s CPU per MB, record exponent <= "
        f"{TARGET_EXPONENT}) are met; the JSON record's bytes per byte of text and the report's rise of the process's "
        "peak RSS are at the largest size.\n\n" + table + "\n"
    )
    print(section)
    if args.out:
        text = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        start = text.find("## Adversarial shapes")
        if start < 0:
            text = text.rstrip("\n") + "\n\n" + section
        else:
            end = text.find("\n## ", start + 1)
            text = text[:start] + section + (text[end + 1 :] if end >= 0 else "")
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
