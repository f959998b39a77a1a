"""The ``reportnlp_labels`` component: a processed Doc gets its record's fields, labels first.

It runs after the other rule components (only reportnlp_source_text follows) and sets
``doc._.reportnlp_labels`` (the same dict as the record's ``labels``) and ``doc._.reportnlp_fields``
(labels, evidence, patient, exam, document, sections and mentions, in the record's order), so a
record is ``base_record`` plus these fields. The labels are decided in records/labels/decider.py and the Doc is
read by records/assemble.py, as before; this module only puts them on the Doc. It lives in
``records/`` (nlp must not import records) and is found by spaCy through the ``spacy_factories`` entry
point, or by importing this module.
"""

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from reportnlp.nlp.components import RuleComponent, with_rules  # one rule load per folder, shared with the components
from reportnlp.nlp.components.docdata import set_doc_value
from reportnlp.nlp.components.locations import AnatomyFinder
from reportnlp.nlp.rules import RuleSet
from reportnlp.records.assemble import (
    doc_document,
    doc_input,
    doc_sections,
    doc_text,
    exam_title,
    mention_dicts,
    quote_input,
    section_dicts,
)
from reportnlp.records.caution import low_sensitivity_negative
from reportnlp.records.change import ChangeFinder
from reportnlp.records.labels import BIOPSY_TITLE, NOT_SPINE_NOTES, PART_LABEL, ExamContext, LabelDecider, specimen_spans
from reportnlp.records.line_starts import LineStarts
from reportnlp.records.patient import PatientFinder
from reportnlp.records.prevalence import PrevalenceTable
from reportnlp.records.title_side import give_title_side

RADIOLOGY = "radiology_report"
TITLE_SECTIONS = ("exam", "technique", "preamble")  # where a report names its own study
PATHOLOGY = "pathology_report"

for _name in ("reportnlp_labels", "reportnlp_fields"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


class ReportLabels(RuleComponent):
    """Decide the report's labels (and the rest of its record) from what the components found."""

    def __init__(self, nlp: Language, rules: RuleSet, name: str = "reportnlp_labels") -> None:
        self.nlp, self.name = nlp, name
        self.rules = rules
        self.decider = LabelDecider(rules.concepts, rules.targets.get("links"))
        self.patient = PatientFinder(rules.patient)
        self.prevalence = PrevalenceTable(rules.prevalence)
        self.change = ChangeFinder(rules.change)
        self.categories = rules.sections["categories"]
        self._find_anatomy: Any = None
        # anatomy a title may name beside bones and still image only bone ("XR HAND 3+ VIEWS": anatomy.json bone_exam)
        self._bone_exam_rules = {r["id"] for r in rules.anatomy["anatomy_rules"] if r.get("bone_exam")}
        # the bones a title's joint images ("XR LEFT SHOULDER": humerus, scapula, clavicle), for its one side
        self._joint_bones = {k: frozenset(v) for k, v in rules.anatomy.get("joint_bones", {}).get("joints", {}).items()}

    def find_anatomy(self, text: str, offset: int) -> Any:
        if self._find_anatomy is None:
            # The locations component remembers the anatomy of texts it has seen (exam titles repeat).
            pipe = self.nlp.get_pipe("reportnlp_locations") if "reportnlp_locations" in self.nlp.pipe_names else None
            self._find_anatomy = getattr(pipe, "find", None) or AnatomyFinder(self.rules.anatomy).find
        return self._find_anatomy(text, offset)

    def use_rules(self, rules: RuleSet) -> None:
        self.__init__(self.nlp, rules, name=self.name)  # type: ignore[misc]

    def __call__(self, doc: Doc) -> Doc:
        if self.missing is not None:
            self.refuse()
        text = doc_text(doc)
        sections = doc_sections(doc)
        document = doc_document(doc, RADIOLOGY)
        lines = LineStarts(text)  # one per report: the record's assembly and the labels read its line breaks
        mentions = mention_dicts(doc, self.rules.concepts, self.categories, lines)
        patient = self.patient.find(text)
        radiology = document["type"] == RADIOLOGY
        title = exam_title(text, sections, first_line=radiology)
        exam = self._exam(title, mentions, radiology)
        if document["type"] == PATHOLOGY:
            bone = self._bone_specimen(text)
            exam = ExamContext(bone_only=bone, spine=exam.spine, pathology=True, one_study=False,
                               organ_parts=self._organ_parts(text) if bone else ())
        labels, evidence = self.decider.decide(mentions, exam, text, lines)
        if radiology:  # "XR FEMUR LEFT": the title's one side to its bone's findings with none (labels first: no label moves)
            give_title_side(title, self.find_anatomy, mentions, TITLE_SECTIONS, self._joint_bones)
        for m in mentions:
            key = self.rules.concepts[m["concept"]].get("degenerative")
            if key:  # a word the labels judged no spine finding ("herniated orbital fat") has no spine prevalence
                m["prevalence"] = (
                    None if m.get("note") in NOT_SPINE_NOTES else self.prevalence.describe(key, m["meta"], patient["age"])
                )
        self.change.annotate(text, mentions)
        labels["change"], evidence["change"] = self.change.report(mentions)
        labels["low_sensitivity_negative"] = low_sensitivity_negative(labels)
        given = doc_input(doc)
        if given is not text:
            quote_input(mentions, given)
        # doc._.reportnlp_labels and doc._.reportnlp_fields, set where spaCy keeps them (components/docdata.py:
        # each doc._ access first builds an Underscore object)
        set_doc_value(doc, "reportnlp_labels", labels)
        set_doc_value(doc, "reportnlp_fields", {
            "labels": labels,
            "evidence": evidence,
            "patient": patient,
            "exam": {"title": title, "bone_only": exam.bone_only, "spine": exam.spine},
            "document": document,
            "sections": section_dicts(sections, self.categories),
            "mentions": mentions,
        })
        return doc

    def _bone_specimen(self, text: str) -> bool:
        """A pathology report's specimen line ("SPECIMEN: L3 vertebral body, core biopsy.") names a bone or a
        spine level: what the report finds, it finds in bone."""
        for start, end in specimen_spans(text):
            kinds = {a.kind for a in self.find_anatomy(text[start:end], 0)}
            if kinds & {"bone", "level"} and not kinds & {"organ"}:
                return True
        return False

    def _organ_parts(self, text: str) -> tuple[tuple[int, int], ...]:
        """Where a bone specimen's report gives another part's diagnosis: the rest of each line whose label names
        an organ and no bone ("A. Liver, segment 6, core biopsy: Metastatic adenocarcinoma.")."""
        spans = []
        for line in PART_LABEL.finditer(text):
            kinds = {a.kind for a in self.find_anatomy(line.group("label"), 0)}
            if "organ" in kinds and not kinds & {"bone", "level"}:
                spans.append(line.span("rest"))
        return tuple(spans)

    def _bone_film(self, anatomy: list[Any], mentions: list[dict[str, Any]]) -> bool:
        """The title names a hand, foot or digit (anatomy.json ``bone_exam``) and the report's own study is a
        radiograph ("XR HAND 3+ VIEWS RIGHT", "FOOT 2 VIEWS"): a film of those images their bones. A PET/CT
        "from vertex to feet" is not one (session 19)."""
        return any(a.rule in self._bone_exam_rules for a in anatomy) and any(
            m["concept"] == "modality" and m["meta"].get("modality") == "XR" and m["section"] in TITLE_SECTIONS
            and m["assertion"] == "present" for m in mentions
        )

    def _exam(self, title: str, mentions: list[dict[str, Any]], radiology: bool = True) -> ExamContext:
        """What this report's exam images. Only a radiology report is about one exam: a clinical note
        is never a bone-only exam, and a bone scan counts only as the report's own study (named in its
        title, technique or untitled opening), not one suggested or compared in its text."""
        anatomy = self.find_anatomy(title, 0) if title else []
        kinds = {a.kind for a in anatomy}
        spine = any(a.kind == "level" or a.region == "spine" for a in anatomy)
        bone_scan = any(
            m["concept"] == "modality" and m["meta"].get("bone_only_exam") and m["section"] in TITLE_SECTIONS
            and (m["assertion"] == "present" or (m["section"] != "preamble" and m["assertion"] not in ("absent", "family")))
            for m in mentions
        )
        bone_title = (bool(kinds & {"bone", "level"}) or self._bone_film(anatomy, mentions)) and not kinds & {"organ", "region"}
        bone_only = radiology and (bone_scan or bone_title)
        return ExamContext(bone_only=bone_only, spine=spine, one_study=radiology,
                           biopsy=bone_only and BIOPSY_TITLE.search(title) is not None)


@Language.factory(
    "reportnlp_labels",
    default_config={"patterns": None},
    assigns=["doc._.reportnlp_labels", "doc._.reportnlp_fields"],
    requires=["doc.spans", "doc._.reportnlp_sections"],
)
def make_labels(nlp: Language, name: str, patterns: str | None) -> ReportLabels:
    return with_rules(patterns, lambda rules: ReportLabels(nlp, rules, name=name))
