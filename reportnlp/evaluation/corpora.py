"""Read the public evaluation corpora (``../shared/corpora``) for benchmarks and corpus tests.

The corpora are not part of the package and are not shipped: on a user's machine the folder is
absent, :func:`corpora_dir` returns ``None`` and callers skip. Nothing here imports spaCy.

Splits follow ``heldout_ids.txt`` and the corpus README: held-out Open-i uids and MTSamples
note_ids; NegEx rows of reports 61-120 and ConText rows with line number above 1188 are held out.
Held-out data is for numbers only, never for reading text or failure cases.

Gold for Open-i comes from the human MeSH codes (see :func:`openi_gold`).
"""

from __future__ import annotations

import csv
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

ENV_VAR = "REPORTNLP_CORPORA"
REPO_ROOT = Path(__file__).resolve().parents[2]  # a source checkout: ../shared/corpora beside it

DEV = "dev"
HELDOUT = "heldout"
SPLITS = (DEV, HELDOUT)

NEGEX_HELDOUT_FROM_REPORT = 61  # NegEx rows of reports 61-120 are held out
CONTEXT_LAST_DEV_LINE = 1188  # ConText rows with line number above this are held out

OPENI_FILE = Path("indiana-iu-xray") / "indiana_reports.csv"
MTSAMPLES_FILE = Path("mtsamples") / "mtsamples.csv"
NEGEX_FILE = Path("negex-testset") / "negex_annotations_1-120.tsv"
CONTEXT_FILE = Path("negex-testset") / "context_annotations_1-120.tsv"
HELDOUT_FILE = Path("heldout_ids.txt")
DEV_GOLD_FILE = Path("dev-gold") / "labels.jsonl"
# Fields of a dev-gold line that are the readers' working, not labels.
DEV_GOLD_NOTES = ("evidence", "notes", "age")

# Open-i fields in report order, with the header each one gets in the assembled text.
OPENI_FIELDS = (
    ("image", "EXAM"),
    ("indication", "INDICATION"),
    ("comparison", "COMPARISON"),
    ("findings", "FINDINGS"),
    ("impression", "IMPRESSION"),
)
SPINE_MESH_TERMS = frozenset({"spine", "thoracic vertebrae", "lumbar vertebrae", "cervical vertebrae"})
# DISH is spondylosis in the label contract (docs/labels.md), so its MeSH term counts like Spondylosis.
SPINE_ONLY_MESH_TERMS = frozenset({"osteophyte", "spondylosis", "hyperostosis, diffuse idiopathic skeletal"})
# Arthritis counts where a modifier places it at the spine ("Arthritis/spine", "Arthritis/thoracic vertebrae"):
# arthritic change of the spine is degenerative change of the spine; "Arthritis/knee" is not a spine finding.
SITED_MESH_TERMS = frozenset({"arthritis"})
# Modifiers naming a joint that is not the spine: an osteophyte there is not a spine finding.
NON_SPINE_MESH_SITES = frozenset(
    {"shoulder", "knee", "hip", "acromioclavicular joint", "sternoclavicular joint", "humerus", "clavicle"}
)
FRACTURE_MESH_TERM = "fractures, bone"


# ---------------------------------------------------------------------------------------------
# Locating the folder and the held-out ids


def corpora_dir(path: str | os.PathLike[str] | None = None) -> Path | None:
    """The corpora folder, or None when it is absent.

    Order: ``path`` if given; else ``$REPORTNLP_CORPORA`` if set (an empty value disables the corpora);
    else ``../shared/corpora`` relative to the repository root, then relative to the current directory.
    """
    if path is not None:
        candidate = Path(path)
        return candidate if candidate.is_dir() else None
    env = os.environ.get(ENV_VAR)
    if env is not None:
        if not env.strip():
            return None
        candidate = Path(env).expanduser()
        return candidate if candidate.is_dir() else None
    for base in (REPO_ROOT, Path.cwd()):
        candidate = base.parent / "shared" / "corpora"
        if candidate.is_dir():
            return candidate.resolve()
    return None


@dataclass(frozen=True)
class HeldOut:
    """Held-out ids by source (strings, as written in the id file)."""

    indiana: frozenset[str]
    mtsamples: frozenset[str]


def read_heldout(root: Path) -> HeldOut:
    """Parse ``heldout_ids.txt``: lines ``indiana uid <n>`` and ``mtsamples note_id <n>``; ``#`` comments."""
    ids: dict[str, set[str]] = {"indiana": set(), "mtsamples": set()}
    path = root / HELDOUT_FILE
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if len(parts) == 3 and not line.lstrip().startswith("#") and parts[0] in ids:
                ids[parts[0]].add(parts[2])
    return HeldOut(indiana=frozenset(ids["indiana"]), mtsamples=frozenset(ids["mtsamples"]))


def _check_split(split: str | None) -> None:
    if split is not None and split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS} or None, not {split!r}")


def _dict_rows(path: Path, delimiter: str = ",") -> Iterator[dict[str, str]]:
    csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))  # long transcriptions
    with path.open(encoding="utf-8", newline="") as f:
        yield from csv.DictReader(f, delimiter=delimiter)


# ---------------------------------------------------------------------------------------------
# Open-i (Indiana University chest X-ray reports)


class OpeniReport(NamedTuple):
    id: str  # the uid column
    text: str
    split: str
    mesh: str


def openi_text(row: dict[str, str]) -> str:
    """Assemble the CSV fields into a headed report; empty fields are left out."""
    lines = []
    for column, header in OPENI_FIELDS:
        value = (row.get(column) or "").strip()
        if value:
            lines.append(f"{header}: {value}")
    return "\n".join(lines)


def iter_openi(root: Path, split: str | None = None, heldout: HeldOut | None = None) -> Iterator[OpeniReport]:
    """Open-i reports in file order as (id, text, split, mesh); ``split`` filters (None: both)."""
    _check_split(split)
    held = (heldout or read_heldout(root)).indiana
    for row in _dict_rows(root / OPENI_FILE):
        uid = row["uid"].strip()
        row_split = HELDOUT if uid in held else DEV
        if split is None or split == row_split:
            yield OpeniReport(uid, openi_text(row), row_split, row.get("MeSH") or "")


def _mesh_items(mesh: str) -> Iterator[tuple[str, list[str]]]:
    for item in mesh.split(";"):
        parts = [p.strip().lower() for p in item.split("/")]
        if parts[0]:
            yield parts[0], parts[1:]


def openi_gold(mesh: str) -> dict[str, bool]:
    """Report-level gold from the MeSH codes: ``{"degenerative": bool, "fracture": bool}``.

    Degenerative (any spine finding): a Spine / Thoracic / Lumbar / Cervical Vertebrae item with a
    ``degenerative`` modifier, or any ``Spondylosis`` or DISH (``Hyperostosis, Diffuse Idiopathic Skeletal``)
    item, or an ``Osteophyte`` item not placed at a non-spine joint (``Osteophyte/shoulder`` does not count:
    degenerative change of other joints is not a spine finding), or an ``Arthritis`` item placed at the spine
    (``Arthritis/spine``, ``Arthritis/thoracic vertebrae``; ``Arthritis/knee`` does not count). Fracture: any
    ``Fractures, Bone`` item (healed and old fractures count). Main terms are matched
    case-insensitively (the data has both ``Thoracic Vertebrae`` and ``Thoracic vertebrae``).
    """
    degenerative = fracture = False
    for term, modifiers in _mesh_items(mesh):
        if term in SPINE_MESH_TERMS and "degenerative" in modifiers:
            degenerative = True
        elif term in SPINE_ONLY_MESH_TERMS and not NON_SPINE_MESH_SITES.intersection(modifiers):
            degenerative = True
        elif term in SITED_MESH_TERMS and SPINE_MESH_TERMS.intersection(modifiers):
            degenerative = True
        elif term == FRACTURE_MESH_TERM:
            fracture = True
    return {"degenerative": degenerative, "fracture": fracture}


# ---------------------------------------------------------------------------------------------
# MTSamples


class MTSample(NamedTuple):
    id: str  # note_id of the first row holding this transcription
    text: str
    split: str


def iter_mtsamples(
    root: Path, split: str | None = None, heldout: HeldOut | None = None
) -> Iterator[MTSample]:
    """Unique non-empty transcriptions (dedupe on exact text, first note_id wins), in file order.

    A transcription is held out if any row holding it has a held-out note_id (in the data the first
    one always is, so this only guards against a later edit of the id file).
    """
    _check_split(split)
    held = (heldout or read_heldout(root)).mtsamples
    first: dict[str, str] = {}
    any_held: set[str] = set()
    for row in _dict_rows(root / MTSAMPLES_FILE):
        text = row.get("transcription") or ""
        if not text.strip():
            continue
        note_id = row["note_id"].strip()
        first.setdefault(text, note_id)
        if note_id in held:
            any_held.add(text)
    for text, note_id in first.items():
        row_split = HELDOUT if text in any_held else DEV
        if split is None or split == row_split:
            yield MTSample(note_id, text, row_split)


# ---------------------------------------------------------------------------------------------
# dev-gold: report-level labels by two readers on real development reports


class GoldReport(NamedTuple):
    id: str  # mts-<note_id> or iu-<uid>
    text: str
    gold: dict[str, Any]  # the labels only (evidence, notes and age left out)


def iter_dev_gold(root: Path, heldout: HeldOut | None = None) -> Iterator[GoldReport]:
    """The dev-gold reports in label-file order, each with its text composed as the readers saw it:
    ``mts-<note_id>`` is that MTSamples row's transcription, ``iu-<uid>`` the Open-i report assembled by
    :func:`openi_text`. An id from the held-out list is refused (ValueError): the file is development data."""
    held = heldout or read_heldout(root)
    lines = [json.loads(line) for line in (root / DEV_GOLD_FILE).read_text(encoding="utf-8").splitlines() if line.strip()]
    wanted = {line["id"] for line in lines}
    texts: dict[str, str] = {}
    for row in _dict_rows(root / MTSAMPLES_FILE):
        key = "mts-" + row["note_id"].strip()
        if key in wanted:
            texts[key] = row.get("transcription") or ""
    for row in _dict_rows(root / OPENI_FILE):
        key = "iu-" + row["uid"].strip()
        if key in wanted:
            texts[key] = openi_text(row)
    for line in lines:
        source, _, number = line["id"].partition("-")
        if number in (held.mtsamples if source == "mts" else held.indiana):
            raise ValueError(f"dev-gold id {line['id']} is in the held-out list")
        if line["id"] not in texts:
            raise ValueError(f"dev-gold id {line['id']} has no report text in the corpora")
        gold = {k: v for k, v in line.items() if k != "id" and k not in DEV_GOLD_NOTES}
        yield GoldReport(line["id"], texts[line["id"]], gold)


# ---------------------------------------------------------------------------------------------
# NegEx / ConText annotated sentences


@dataclass(frozen=True)
class AnnotatedPhrase:
    """One (sentence, concept) pair with gold labels; ``start``/``end`` are None when not found."""

    source: str  # "negex" or "context"
    id: str  # "negex:<row number>" (1-based data row) or "context:<line number>"
    report: int | None  # NegEx report number (None for ConText)
    sentence: str
    concept: str
    start: int | None
    end: int | None
    negated: bool
    temporality: str | None  # ConText only: Recent / Historical / Not particular
    experiencer: str | None  # ConText only: Patient / Family member / Other
    split: str

    @property
    def historical(self) -> bool:
        return self.temporality == "Historical"

    @property
    def other_experiencer(self) -> bool:
        return self.experiencer is not None and self.experiencer != "Patient"


def find_concept(sentence: str, concept: str) -> tuple[int, int] | None:
    """Character span of ``concept`` in ``sentence``, case-insensitive, any whitespace between words.

    Words may also be joined by a hyphen or nothing where the concept has a space. When several places
    match, the one written in capitals is taken (the NegEx kit writes the concept in UPPERCASE), else
    the first.
    """
    words = concept.split()
    if not words:
        return None
    for joiner in (r"\s+", r"[\s\-/]*"):
        pattern = re.compile(joiner.join(re.escape(w) for w in words), re.IGNORECASE)
        matches = list(pattern.finditer(sentence))
        if matches:
            upper = [
                m for m in matches if m.group().upper() == m.group() and any(c.isalpha() for c in m.group())
            ]
            best = (upper or matches)[0]
            return best.start(), best.end()
    return None


def _phrase(
    source: str,
    row_id: str,
    report: int | None,
    sentence: str,
    concept: str,
    negation: str,
    temporality: str | None,
    experiencer: str | None,
    split: str,
) -> AnnotatedPhrase:
    span = find_concept(sentence, concept)
    return AnnotatedPhrase(
        source=source,
        id=row_id,
        report=report,
        sentence=sentence,
        concept=concept,
        start=span[0] if span else None,
        end=span[1] if span else None,
        negated=negation.strip().lower() == "negated",
        temporality=temporality,
        experiencer=experiencer,
        split=split,
    )


def iter_negex(root: Path, split: str | None = None) -> Iterator[AnnotatedPhrase]:
    """NegEx kit rows; reports 61-120 are held out. Gold: Negated vs Affirmed."""
    _check_split(split)
    path = root / NEGEX_FILE
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter="\t")
        next(reader, None)
        for n, row in enumerate(reader, start=1):
            if len(row) < 4:
                continue
            report = int(row[0])
            row_split = HELDOUT if report >= NEGEX_HELDOUT_FROM_REPORT else DEV
            if split is None or split == row_split:
                yield _phrase("negex", f"negex:{n}", report, row[2], row[1], row[3], None, None, row_split)


def iter_context(root: Path, split: str | None = None) -> Iterator[AnnotatedPhrase]:
    """ConText kit rows; line numbers above 1188 are held out. Gold: negation, temporality, experiencer."""
    _check_split(split)
    path = root / CONTEXT_FILE
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter="\t")
        next(reader, None)
        for row in reader:
            if len(row) < 6:
                continue
            line = int(row[0])
            row_split = HELDOUT if line > CONTEXT_LAST_DEV_LINE else DEV
            if split is None or split == row_split:
                yield _phrase(
                    "context",
                    f"context:{line}",
                    None,
                    row[2],
                    row[1],
                    row[3],
                    row[4].strip(),
                    row[5].strip(),
                    row_split,
                )
