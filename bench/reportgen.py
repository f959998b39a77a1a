"""Seeded generator of fictional spine and bone reports for the speed benchmark.

The reports look like the ones users run: about 360 spaCy tokens on average, laid out as headed
sections, level-by-level lists ("L4-5: ..."), run-on exports ("FINDINGS:,  ...  IMPRESSION:,  ..."),
ALL CAPS dictation and wrapped lines, with metastases, fractures, cord compression, degenerative
findings, negations, hedges and history. Same seed, same reports, byte for byte; nothing is read
from any corpus.

    python bench/reportgen.py 1000 --seed 7 > /tmp/generated.jsonl    # {"id", "text"} per line
"""

from __future__ import annotations

import argparse
import random
import sys
import textwrap
from collections.abc import Iterator

import orjson

LUMBAR = ["L1-L2", "L2-L3", "L3-L4", "L4-L5", "L5-S1"]
CERVICAL = ["C2-3", "C3-4", "C4-5", "C5-6", "C6-7", "C7-T1"]
VERTEBRAE = [f"T{i}" for i in range(1, 13)] + [f"L{i}" for i in range(1, 6)] + ["C5", "C6", "C7", "S1"]
BONES = ["sternum", "left iliac bone", "right sacral ala", "right 6th rib", "left 9th rib", "proximal right femur",
         "left humerus", "skull", "right scapula", "pelvis"]
ORGANS = ["liver", "lung", "adrenal gland", "brain", "mediastinal lymph nodes"]
PRIMARIES = ["breast cancer", "prostate cancer", "lung cancer", "renal cell carcinoma", "multiple myeloma", "melanoma"]
SEVERITY = ["mild", "moderate", "severe", "minimal", "mild to moderate", "moderate to severe"]
SIDES = ["left", "right", "bilateral"]

DEGEN_FINDINGS = [
    "{sev} disc desiccation", "{sev} loss of disc height", "a broad-based disc bulge", "a small central disc protrusion",
    "a {side} paracentral disc extrusion", "{sev} facet arthropathy", "{sev} facet hypertrophy",
    "an annular fissure", "Modic type 2 endplate changes", "a Schmorl node", "{sev} central canal stenosis",
    "{sev} {side} neural foraminal narrowing", "grade 1 anterolisthesis", "a disc-osteophyte complex",
    "{sev} lateral recess stenosis", "ligamentum flavum thickening", "uncovertebral hypertrophy",
]
NEGATED_DEGEN = [
    "No spinal canal or neural foraminal stenosis.", "No disc herniation.", "No significant disc bulge or protrusion.",
    "No facet arthropathy.", "There is no annular fissure.", "Without central canal stenosis.",
    "Negative for spondylolisthesis.", "No foraminal narrowing is seen.",
]
METS = [
    "There is an expansile lytic lesion of {v} consistent with metastasis.",
    "Multiple sclerotic lesions throughout the thoracic and lumbar spine, compatible with osseous metastatic disease.",
    "A {size} cm lytic lesion in the {bone} is suspicious for metastasis.",
    "Diffuse marrow replacement of the {v} vertebral body, concerning for metastatic involvement.",
    "Mixed lytic and sclerotic lesions involving {v} and {v2}, likely metastases given the history of {primary}.",
    "Blastic lesion of the {bone}, possibly representing a bone metastasis.",
    "Focal intense radiotracer uptake in the {bone} is worrisome for osseous metastasis.",
    "Epidural tumor at {v} with mild flattening of the spinal cord.",
    "Pathologic compression fracture of {v} with 30% loss of height.",
    "Metastatic disease to the {organ} is again seen.",
]
NEGATED_METS = [
    "No suspicious osseous lesions.", "No evidence of osseous metastatic disease.", "No lytic or blastic lesion.",
    "No destructive bone lesion is identified.", "There is no marrow replacing lesion.",
    "Negative for bone metastases.", "No epidural tumor or cord compression.",
    "Bone marrow signal is normal without evidence of metastatic disease.",
]
FRACTURES = [
    "There is an acute compression fracture of {v} with {pct}% loss of height.",
    "Old healed fracture of the {bone}.", "Chronic mild wedge compression deformity of {v}, unchanged.",
    "Nondisplaced fracture of the {bone}.", "Insufficiency fracture of the right sacral ala cannot be excluded.",
    "No acute fracture or subluxation.", "No fracture is seen.", "Vertebral body heights are maintained without fracture.",
]
NORMALS = [
    "Alignment is normal.", "Vertebral body heights and marrow signal are normal.", "The conus terminates at L1 and is normal.",
    "The spinal cord is normal in caliber and signal.", "Paraspinal soft tissues are unremarkable.",
    "The visualized abdominal organs are unremarkable.", "Straightening of the normal cervical lordosis.",
    "The craniocervical junction is normal.", "Bone mineralization is within normal limits.",
    "The sacroiliac joints are preserved.", "Prevertebral soft tissues are within normal limits.",
    "There is mild levoconvex scoliosis of the lumbar spine.", "The heart size is normal and the lungs are clear.",
    "Small amount of atherosclerotic calcification of the abdominal aorta.", "There is a small hiatal hernia.",
    "Degenerative changes of both knees are noted.", "Mild degenerative change of the right acromioclavicular joint.",
]
HEDGES = ["cannot be excluded", "is not excluded", "is suggested", "may represent early change", "is questionable"]
INDICATIONS = [
    "{age}-year-old {sex} with low back pain radiating to the {side} leg.",
    "History of {primary}. Evaluate for osseous metastases.",
    "Neck pain and bilateral hand numbness. {age} y/o {sex}.",
    "Fall from standing height. Rule out fracture.",
    "Back pain, history of {primary}. R/O pathologic fracture.",
    "Staging of {primary}. Age {age}, {sex}.",
    "Chronic back pain for {weeks} weeks, no red flags. Family history of {primary}.",
]
EXAMS = ["MRI LUMBAR SPINE WITHOUT CONTRAST", "MRI CERVICAL SPINE WITHOUT CONTRAST", "CT THORACIC SPINE WITHOUT CONTRAST",
         "NM BONE SCAN WHOLE BODY", "MRI THORACIC SPINE WITH AND WITHOUT CONTRAST", "XR LUMBAR SPINE 3 VIEWS",
         "CT CHEST ABDOMEN PELVIS WITH CONTRAST", "PET/CT SKULL BASE TO MID THIGH"]


class _Writer:
    """One report's sentences, drawn from a seeded Random."""

    def __init__(self, rng: random.Random) -> None:
        self.r = rng

    def fill(self, template: str) -> str:
        r = self.r
        v, v2 = r.sample(VERTEBRAE, 2)
        return template.format(
            sev=r.choice(SEVERITY), side=r.choice(SIDES), v=v, v2=v2, bone=r.choice(BONES), organ=r.choice(ORGANS),
            primary=r.choice(PRIMARIES), size=f"{r.randint(5, 40) / 10:.1f}", pct=r.choice([10, 20, 25, 40, 50]),
            age=r.randint(24, 91), sex=r.choice(["man", "woman", "male", "female"]), weeks=r.randint(2, 30),
        )

    def degen_sentence(self) -> str:
        r = self.r
        found = [self.fill(t) for t in r.sample(DEGEN_FINDINGS, r.randint(1, 3))]
        body = found[0] if len(found) == 1 else ", ".join(found[:-1]) + " and " + found[-1]
        sentence = body[0].upper() + body[1:]
        roll = r.random()
        if roll < 0.15:
            sentence += f", {r.choice(HEDGES)}"
        elif roll < 0.35:
            sentence += f" without {r.choice(['stenosis', 'cord compression', 'nerve root impingement'])}"
        return sentence + "."

    def level_list(self) -> list[str]:
        r = self.r
        levels = LUMBAR if r.random() < 0.7 else CERVICAL
        lines = []
        for level in levels:
            roll = r.random()
            if roll < 0.2:
                lines.append(f"{level}: Normal.")
            elif roll < 0.4:
                lines.append(f"{level}: {r.choice(NEGATED_DEGEN)}")
            else:
                lines.append(f"{level}: {self.degen_sentence()} {r.choice(NEGATED_DEGEN)}")
        return lines

    def findings(self) -> list[str]:
        r = self.r
        out = r.sample(NORMALS, r.randint(7, 13))
        for _ in range(r.randint(3, 5)):
            out.append(self.fill(r.choice(METS)) if r.random() < 0.5 else r.choice(NEGATED_METS))
        out += [self.fill(r.choice(FRACTURES)) for _ in range(r.randint(1, 3))]
        out += [self.degen_sentence() for _ in range(r.randint(2, 4))]
        if r.random() < 0.6:
            out.append(f"Disc degeneration from {r.choice(LUMBAR[:2])} through {r.choice(LUMBAR[3:])}.")
        r.shuffle(out)
        return out

    def impression(self) -> list[str]:
        r = self.r
        items = [self.fill(r.choice(METS + NEGATED_METS + FRACTURES)) for _ in range(r.randint(1, 3))]
        items.append(self.degen_sentence())
        if r.random() < 0.3:
            items.append("Recommend MRI to evaluate for metastatic disease if symptoms persist.")
        return items


def _structured(w: _Writer) -> str:
    r = w.r
    numbered = r.random() < 0.5
    impression = w.impression()
    parts = [
        f"EXAM: {r.choice(EXAMS)}",
        "",
        f"{r.choice(['INDICATION', 'CLINICAL HISTORY', 'Reason for exam'])}: {w.fill(r.choice(INDICATIONS))}",
        "",
        "TECHNIQUE: Multiplanar multisequence images were obtained without intravenous contrast.",
        "",
        f"COMPARISON: {r.choice(['None.', 'CT of the same region from 2019, which showed no fracture.'])}",
        "",
        "FINDINGS:",
        textwrap.fill(" ".join(w.findings()), width=r.choice([72, 80, 300])),
        "",
        *w.level_list(),
        "",
        "IMPRESSION:",
        *[(f"{i}. {s}" if numbered else s) for i, s in enumerate(impression, 1)],
    ]
    return "\n".join(parts) + "\n"


def _run_on(w: _Writer) -> str:
    r = w.r
    findings = " ".join(w.findings() + [line.split(": ", 1)[1] for line in w.level_list()])
    impression = "  ".join(f"{i}.  {s}" for i, s in enumerate(w.impression(), 1))
    return (
        f"EXAM:,  {r.choice(EXAMS).capitalize()}.  REASON FOR EXAM:,  {w.fill(r.choice(INDICATIONS))}  "
        f"FINDINGS:,  {findings}  IMPRESSION:,  {impression}"
    )


def _caps(w: _Writer) -> str:
    return _structured(w).upper()


def _narrative(w: _Writer) -> str:
    r = w.r
    paragraphs = [
        f"The patient is a {r.randint(30, 90)}-year-old {r.choice(['man', 'woman'])} with a history of {r.choice(PRIMARIES)}.",
        " ".join(w.findings()),
        " ".join(w.level_list()),
        " ".join(w.impression()),
    ]
    return "\n\n".join(textwrap.fill(p, width=76) for p in paragraphs) + "\n"


STYLES = ((_structured, 0.5), (_run_on, 0.2), (_caps, 0.15), (_narrative, 0.15))


def generate(n: int, seed: int = 0) -> Iterator[tuple[str, str]]:
    """``n`` (id, text) pairs; the same ``seed`` always gives the same reports."""
    rng = random.Random(seed)
    writer = _Writer(rng)
    styles, weights = zip(*STYLES, strict=True)
    for i in range(n):
        style = rng.choices(styles, weights)[0]
        yield f"gen{seed}_{i:06d}", style(writer)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="how many reports")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    out = sys.stdout.buffer
    for report_id, text in generate(args.n, args.seed):
        out.write(orjson.dumps({"id": report_id, "text": text}) + b"\n")


if __name__ == "__main__":
    main()
