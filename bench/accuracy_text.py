"""Markdown pieces of bench/accuracy.py: the notes that say what each table measures, and cell formats."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


def _paragraph(text: str) -> str:
    return " ".join(text.split())


OPENI_NOTE = _paragraph(
    """
Gold files are built from the MeSH codes (`reportnlp.evaluation.corpora.openi_gold`): `degenerative.any` is present
for a Spine / Thoracic / Lumbar / Cervical Vertebrae item with a `degenerative` modifier, or Spondylosis, or
DISH (`Hyperostosis, Diffuse Idiopathic Skeletal`: spondylosis in our label contract), or Osteophyte (not of
another joint), or Arthritis placed at the spine (`Arthritis/spine`, `Arthritis/thoracic vertebrae`; since
session 4: earlier tables left DISH and spine arthritis out); `fracture` is present for any `Fractures, Bone`
item; every other report gets `absent` for both. Report text = EXAM / INDICATION / COMPARISON / FINDINGS / IMPRESSION fields. Then
`reportnlp extract reports.jsonl -o records.jsonl` and `reportnlp evaluate --gold gold.jsonl records.jsonl
--format json`. `degenerative.any` is the highest status of our nine degenerative labels. MeSH codes only
say what is present, so only presence is scored: the row "ours (present)" is the `present` status one vs
the rest, "ours (present or possible)" the evaluate command's binary view. Keyword baseline: regex
`degenerat|osteophyt|spondylo` / `fractur` anywhere in the text, scored by the same `reportnlp.evaluation.scores`.
"""
)
DEV_GOLD_NOTE = _paragraph(
    """
    `../shared/corpora/dev-gold/labels.jsonl`: 153 MTSamples transcriptions and Open-i reports (none held
    out), chosen for bone-metastasis vocabulary and spine imaging, among them clinic notes, consults,
    discharge and operative notes. Each was labelled by two readers following the label contract, with
    disagreements adjudicated. Development data: we read its disagreements to find general failures
    (`--failures`), so these figures are optimistic for unseen reports; held-out figures are below.
    """
)

ASSERTION_NOTE = _paragraph(
    """
Each (sentence, concept) pair is run through our sections, sentences and assertion components with the
concept as the only mention (`reportnlp.nlp.probe.assert_phrase`), and our assertion is scored by
`reportnlp.evaluation.scores` as three labels whose classes are the six assertions: `negation` (gold `absent` for
Negated, else `present`; row: class `absent`), `temporality` (gold `historical` for Historical; row:
`historical`), `experiencer` (gold `family` for any experiencer other than the patient; row: `family`).
NegEx dev = reports 1-60; ConText dev = line numbers 1-1188. Rows whose concept is not found inside the
sentence (the annotation runs past it) are not scored.
"""
)
PUBLISHED_NOTE = _paragraph(
    """
Published figures as quoted in issue 4: NegEx (Chapman et al., J Biomed Inform 2001) for negation, and the
rules-based system of the LIRE study (lumbar spine imaging findings; Tan et al., Acad Radiol 2018), mean over
its findings. Our rows are the held-out figures of the tables above, with 95% intervals. The data differ
(ours: the NegEx/ConText kits' held-out reports and Open-i chest radiographs, where spine findings are
incidental), so read them as a guide, not a head-to-head comparison.
"""
)
REMAINING_NOTE = """\
Written from the development split's failures (`--failures`) by reading them; held-out errors are never read.
Described in our own words: no corpus text is quoted here. The counts each paragraph was written for are
checked on every run (`REMAINING_WRITTEN_FOR`): when the rules move them, this section says so.

- **dev-gold** (every target met). A vertebral deformity whose kind the de-identification removed ("XXXX
  deformity within the midthoracic spine") is a possible fracture since session 8, as the readers read it.
  Since session 11 a pathology report keeps its type beside a requisition's operative diagnosis, and
  compression in a neural foramen is foraminal stenosis. Of the 6 remaining disagreements, three are reader
  labels we dispute in the issue notes (a hedged metastasis and a hedged cord compression the readers call
  present, and a metastasis the report does not name as one); a metastasis hedged in a clinic note's course
  whose vertebral finding is two sentences back; and two findings the readers took from a history-headed
  paragraph that reports the current imaging (a herniated disc and its MRI in a nerve conduction report).
- **Open-i fracture** (development below issue 11's 0.95). All 7 development false positives state a bone
  fracture the MeSH coders did not code `Fractures, Bone`: a hip, wrist, scapula or clavicle film read with
  the chest (4), old or healing rib and scapular fractures (2), and wedge deformities of thoracic vertebrae
  that the coders code `Deformity` (1; a compression fracture under our label contract). The 1 miss is a
  report whose only word for what was repaired is de-identified. A rule cannot reach 0.95 here without
  dropping fractures the reports state, so we ask for the target to be read against the label contract.
  The "present or possible" row counts 43 more, every `possible` fracture: 20 vertebral deformities whose
  kind is de-identified ("XXXX deformity of T9"; dev-gold's readers read them as possible fractures, MeSH
  codes them `Deformity`), 11 rib or clavicle deformities their sentence ties to a past injury (since
  session 11, the shape a healed fracture leaves), 4 vertebral wedging named alone and 8 fractures the
  report hedges.
- **Open-i degenerative** (targets met since the gold mapping counts DISH and spine arthritis, see
  docs/decisions.md). Of the 17 development false positives, 13 state degenerative change of the spine with
  no spine code (12 coded `normal`), 1 is a retrolisthesis coded as a dislocation, 1 endplate sclerosis coded
  `Sclerosis`, 1 "osseous structures" with degenerative change beside a thoracic kyphosis; 1 is ours:
  endplate sclerosis with central depression, the vertebrae of sickle cell disease, read as degenerative
  endplate change. Of the 3 misses, 2 are dictation slips that garble the finding's own word (a wrong word in
  place of "degenerative", a word dropped after it); session 11 read a de-identified word inside "cervical
  ... arthritis" and "of the spinal" with its noun missing. The third names only syndesmophytes, which since
  session 18 are no spondylosis (the bridging of an inflammatory spondyloarthropathy, not degeneration:
  docs/labels.md), though the coders gave it a degenerative code.
- **Negation** (targets met). The remaining development errors: annotations whose concept is a section
  header word, negation scopes that should end at a closing parenthesis, a comma or a new clause with its
  own subject, a negation that comes after a scope terminator, and annotations that read a phrase
  holding a negation as affirmed.
- **Historical** (no target). Of the development misses, about a quarter are items of a history list that
  stand alone as a sentence with no cue, and about a quarter are denied habits, which we call `absent` (one
  assertion per mention; absent outranks historical); most of the rest sit under a history header that
  the sentence splitter cuts off, and the probe scores cue rules, not sections.
"""
# The (false positives, misses) each paragraph of REMAINING_NOTE was written for, keyed by bench/accuracy.py's
# figure names: a run that measures other counts marks the section out of date instead of printing stale prose.
REMAINING_WRITTEN_FOR: dict[str, tuple[int, int]] = {
    "dev-gold fracture": (0, 0),
    "dev-gold bone_metastasis": (0, 1),
    "open-i dev fracture": (7, 1),
    "open-i dev degenerative.any": (17, 3),
}
SCORE_HEADER = ["precision", "recall", "F1", "specificity", "support", "n", "TP/FP/FN/TN"]


def ci_cell(metric: dict[str, Any] | None) -> str:
    """'0.912 (0.871-0.950)' from an evaluate metric {value, ci}; 'n/a' when undefined."""
    if not metric or metric["value"] is None:
        return "n/a"
    ci = metric.get("ci")
    return f"{metric['value']:.3f}" + (f" ({ci[0]:.3f}-{ci[1]:.3f})" if ci else "")


def score_row(name: str, m: dict[str, Any], n: int) -> list[str]:
    """One row of SCORE_HEADER from an evaluate class (or binary view) entry."""
    counts = f"{m['tp']}/{m['fp']}/{m['fn']}/{m['tn']}"
    cells = [ci_cell(m[k]) for k in ("precision", "recall", "f1", "specificity")]
    return [name, *cells, str(m["tp"] + m["fn"]), str(n), counts]


def table(header: list[str], rows: Iterable[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


@dataclass
class Section:
    title: str
    body: list[str] = field(default_factory=list)

    def render(self) -> str:
        return f"## {self.title}\n\n" + "\n\n".join(self.body) + "\n"
