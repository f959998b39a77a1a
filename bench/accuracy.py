"""Measure reportnlp against the public corpora in ../shared/corpora (development and held-out splits).

    python bench/accuracy.py [--out docs/accuracy.md] [--corpora DIR] [--failures /tmp/dev_failures.jsonl]

* Open-i chest X-ray reports: report-level "any degenerative spine finding" and "fracture" against the human
  MeSH codes, next to a bare keyword baseline, per split.
* NegEx and ConText annotated sentences: our assertion of the annotated concept (``reportnlp.probe``) against
  gold negation, and for ConText also temporality (historical) and experiencer (other than the patient).
* MTSamples unique transcriptions: records produced, error records (should be 0), run time.

Tables go to stdout (and to --out); progress and timing to stderr. Held-out data is only scored: no text or
failure case from it is ever printed or written. ``--failures`` writes development failure cases only (they
contain corpus text: write them outside the repository). Exits 0 with a note when the corpora are absent.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
BASELINE = {
    "degenerative": re.compile(r"degenerat|osteophyt|spondylo", re.IGNORECASE),
    "fracture": re.compile(r"fractur", re.IGNORECASE),
}
SPLITS = ("dev", "heldout")

OPENI_NOTE = " ".join(
    """
Gold from the MeSH codes (`reportnlp.corpora.openi_gold`): degenerative = a Spine / Thoracic / Lumbar /
Cervical Vertebrae item with a `degenerative` modifier, or Spondylosis, or Osteophyte (not of another
joint); fracture = any `Fractures, Bone` item. Ours: any of the 9 `labels.degenerative` statuses, and
`labels.fracture`. Keyword baseline: regex `degenerat|osteophyt|spondylo` / `fractur` anywhere in the
report text (all sections). Report text = EXAM / INDICATION / COMPARISON / FINDINGS / IMPRESSION.
""".split()
)
ASSERTION_NOTE = " ".join(
    """
Each (sentence, concept) pair is run through our sections, sentences and assertion components with the
concept as the only mention (`reportnlp.probe.assert_phrase`). Negation: ours `absent` vs gold Negated.
Historical: ours `historical` vs gold temporality Historical. Other experiencer: ours `family` vs gold
experiencer other than Patient. NegEx dev = reports 1-60; ConText dev = line numbers 1-1188. Rows whose
concept is not found inside the sentence (the annotation runs past the sentence) are not scored.
""".split()
)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# Scores


@dataclass
class Confusion:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, gold: bool, pred: bool) -> None:
        if gold and pred:
            self.tp += 1
        elif pred:
            self.fp += 1
        elif gold:
            self.fn += 1
        else:
            self.tn += 1

    @property
    def n(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    def row(self) -> list[str]:
        def ratio(a: int, b: int) -> float | None:
            return a / b if b else None

        p = ratio(self.tp, self.tp + self.fp)
        r = ratio(self.tp, self.tp + self.fn)
        f1 = 2 * p * r / (p + r) if p is not None and r is not None and p + r else None
        spec = ratio(self.tn, self.tn + self.fp)
        return [
            fmt(p),
            fmt(r),
            fmt(f1),
            fmt(spec),
            str(self.tp + self.fn),
            str(self.n),
            f"{self.tp}/{self.fp}/{self.fn}/{self.tn}",
        ]


def fmt(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3f}"


SCORE_HEADER = ["precision", "recall", "F1", "specificity", "support", "n", "TP/FP/FN/TN"]


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


# ---------------------------------------------------------------------------------------------
# Open-i


def degenerative_statuses(record: dict[str, Any]) -> set[str]:
    return set((record["labels"] or {}).get("degenerative", {}).values())


def run_openi(
    corpora: Any, root: Path, extractor: Any, failures: list[dict[str, Any]] | None
) -> tuple[Section, dict]:
    views: dict[str, Callable[[dict[str, Any], str], bool]] = {
        "degenerative, ours (present)": lambda rec, _t: "present" in degenerative_statuses(rec),
        "degenerative, ours (present or possible)": lambda rec, _t: bool(
            degenerative_statuses(rec) & {"present", "possible"}
        ),
        "degenerative, keyword baseline": lambda _r, text: bool(BASELINE["degenerative"].search(text)),
        "fracture, ours (present)": lambda rec, _t: rec["labels"]["fracture"] == "present",
        "fracture, ours (present or possible)": lambda rec, _t: (
            rec["labels"]["fracture"] in ("present", "possible")
        ),
        "fracture, keyword baseline": lambda _r, text: bool(BASELINE["fracture"].search(text)),
    }
    section = Section("Open-i chest X-ray reports vs MeSH codes")
    timings = {}
    heldout = corpora.read_heldout(root)
    for split in SPLITS:
        scores = {name: Confusion() for name in views}
        errors = 0
        t0 = time.perf_counter()
        reports = list(corpora.iter_openi(root, split, heldout))
        for i, rep in enumerate(reports, 1):
            record = extractor.record_for_text(rep.id, rep.text)
            if i % 500 == 0:
                log(f"  open-i {split}: {i}/{len(reports)}")
            if record["status"] != "ok":
                errors += 1
                continue
            gold = corpora.openi_gold(rep.mesh)
            for name, view in views.items():
                pred = view(record, rep.text)
                scores[name].add(gold[name.split(",")[0]], pred)
            if failures is not None and split == "dev":
                collect_openi_failures(failures, rep, record, gold)
        elapsed = time.perf_counter() - t0
        timings[f"open-i {split}"] = (len(reports), elapsed)
        log(f"  open-i {split}: {len(reports)} reports in {elapsed:.1f} s ({errors} error records)")
        rows = [[name, *scores[name].row()] for name in views]
        section.body.append(
            f"**{split}** ({len(reports)} reports, {errors} error records, "
            f"{elapsed:.1f} s)\n\n" + table(["label / predictor", *SCORE_HEADER], rows)
        )
    section.body.insert(0, OPENI_NOTE)
    return section, timings


def collect_openi_failures(
    out: list[dict[str, Any]], rep: Any, record: dict[str, Any], gold: dict[str, bool]
) -> None:
    preds = {
        "degenerative": "present" in degenerative_statuses(record),
        "fracture": record["labels"]["fracture"] == "present",
    }
    for label in ("degenerative", "fracture"):
        if gold[label] == preds[label]:
            continue
        group = "degenerative" if label == "degenerative" else "fracture"
        mentions = [
            {k: m[k] for k in ("concept", "text", "section", "counts", "assertion")}
            | {
                "cues": [c["text"] for c in m["cues"]],
                "note": m.get("note"),
                "sentence": rep.text[m["sentence"]["start"] : m["sentence"]["end"]],
            }
            for m in record["mentions"]
            if m["category"] == group or m["concept"].startswith(group)
        ]
        out.append(
            {
                "source": "open-i",
                "id": rep.id,
                "label": label,
                "kind": "FN" if gold[label] else "FP",
                "mesh": rep.mesh,
                "labels": record["labels"]["degenerative"]
                if label == "degenerative"
                else record["labels"]["fracture"],
                "mentions": mentions,
                "text": rep.text,
            }
        )


# ---------------------------------------------------------------------------------------------
# NegEx / ConText


def run_assertions(
    corpora: Any, root: Path, nlp: Any, assert_phrase: Callable, failures: list[dict[str, Any]] | None
) -> tuple[Section, dict]:
    section = Section("Assertion of annotated concepts (NegEx / ConText test kits)")
    section.body.append(ASSERTION_NOTE)
    timings = {}
    rows: list[list[str]] = []
    dist_rows: list[list[str]] = []
    for source, iterate in (("NegEx", corpora.iter_negex), ("ConText", corpora.iter_context)):
        for split in SPLITS:
            t0 = time.perf_counter()
            scores = {"negation": Confusion(), "historical": Confusion(), "other experiencer": Confusion()}
            dist: Counter[tuple[str, str]] = Counter()
            skipped = n = 0
            for phrase in iterate(root, split):
                n += 1
                result = None
                if phrase.start is not None:
                    result = assert_phrase(nlp, phrase.sentence, phrase.start, phrase.end)
                if result is None:
                    skipped += 1
                    continue
                ours = result["assertion"]
                gold_neg = "Negated" if phrase.negated else "Affirmed"
                dist[(gold_neg, ours)] += 1
                scores["negation"].add(phrase.negated, ours == "absent")
                if source == "ConText":
                    scores["historical"].add(phrase.historical, ours == "historical")
                    scores["other experiencer"].add(phrase.other_experiencer, ours == "family")
                if failures is not None and split == "dev":
                    wrong = [
                        k
                        for k, ok in (
                            ("negation", phrase.negated == (ours == "absent")),
                            (
                                "historical",
                                source != "ConText" or phrase.historical == (ours == "historical"),
                            ),
                            (
                                "experiencer",
                                source != "ConText" or phrase.other_experiencer == (ours == "family"),
                            ),
                        )
                        if not ok
                    ]
                    if wrong:
                        failures.append(
                            {
                                "source": source,
                                "id": phrase.id,
                                "wrong": wrong,
                                "ours": ours,
                                "cues": result["cues"],
                                "gold_negated": phrase.negated,
                                "temporality": phrase.temporality,
                                "experiencer": phrase.experiencer,
                                "concept": phrase.concept,
                                "sentence": phrase.sentence,
                            }
                        )
            elapsed = time.perf_counter() - t0
            timings[f"{source} {split}"] = (n, elapsed)
            log(f"  {source} {split}: {n} rows ({skipped} not scored) in {elapsed:.1f} s")
            tasks = ["negation"] + (["historical", "other experiencer"] if source == "ConText" else [])
            for task in tasks:
                rows.append([source, split, task, *scores[task].row(), str(skipped)])
            total = sum(dist.values())
            for gold in ("Affirmed", "Negated"):
                counts = {
                    a: dist[(gold, a)]
                    for a in ("present", "possible", "absent", "historical", "hypothetical", "family")
                }
                other = sum(v for (g, a), v in dist.items() if g == gold and a not in counts)
                dist_rows.append(
                    [
                        source,
                        split,
                        gold,
                        *(str(v) for v in counts.values()),
                        str(other),
                        str(sum(counts.values()) + other),
                    ]
                )
            assert total == sum(int(r[-1]) for r in dist_rows[-2:])
    section.body.append(table(["set", "split", "task", *SCORE_HEADER, "not scored"], rows))
    section.body.append(
        "Our assertion by gold negation label:\n\n"
        + table(
            [
                "set",
                "split",
                "gold",
                "present",
                "possible",
                "absent",
                "historical",
                "hypothetical",
                "family",
                "other",
                "total",
            ],
            dist_rows,
        )
    )
    return section, timings


# ---------------------------------------------------------------------------------------------
# MTSamples


def run_mtsamples(corpora: Any, root: Path, extractor: Any) -> tuple[Section, dict]:
    section = Section("MTSamples unique transcriptions (robustness)")
    rows = []
    timings = {}
    heldout = corpora.read_heldout(root)
    for split in SPLITS:
        t0 = time.perf_counter()
        n = errors = mentions = 0
        error_types: Counter[str] = Counter()
        reports = list(corpora.iter_mtsamples(root, split, heldout))
        for i, rep in enumerate(reports, 1):
            record = extractor.record_for_text(rep.id, rep.text)
            n += 1
            mentions += len(record["mentions"])
            if record["status"] != "ok":
                errors += 1
                error_types[record["error"]["type"]] += 1
            if i % 500 == 0:
                log(f"  mtsamples {split}: {i}/{len(reports)}")
        elapsed = time.perf_counter() - t0
        timings[f"mtsamples {split}"] = (n, elapsed)
        log(f"  mtsamples {split}: {n} records in {elapsed:.1f} s ({errors} error records)")
        rows.append(
            [
                split,
                str(len(reports)),
                str(n),
                str(errors),
                ", ".join(f"{k} {v}" for k, v in sorted(error_types.items())) or "-",
                str(mentions),
                f"{elapsed:.1f}",
                f"{1000 * elapsed / max(n, 1):.1f}",
            ]
        )
    section.body.append(
        table(
            [
                "split",
                "unique transcriptions",
                "records",
                "error records",
                "error types",
                "mentions",
                "seconds",
                "ms / report",
            ],
            rows,
        )
    )
    return section, timings


# ---------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--out", type=Path, help="also write the markdown report here (e.g. docs/accuracy.md)"
    )
    parser.add_argument(
        "--corpora", type=Path, help="corpora folder (default: $REPORTNLP_CORPORA or ../shared/corpora)"
    )
    parser.add_argument("--patterns", type=Path, help="rule folder (default: the built-in patterns)")
    parser.add_argument(
        "--failures",
        type=Path,
        help="write development-split failure cases as JSONL here (corpus text: keep outside the repo)",
    )
    args = parser.parse_args(argv)

    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    from reportnlp import corpora

    root = corpora.corpora_dir(args.corpora)
    if root is None:
        log(
            "corpora folder not found (set REPORTNLP_CORPORA or put it at ../shared/corpora):"
            " nothing to measure"
        )
        return 0
    if args.failures is not None and args.failures.resolve().is_relative_to(REPO_ROOT):
        parser.error("--failures holds corpus text: write it outside the repository")

    import reportnlp
    from reportnlp.extract import Extractor
    from reportnlp.probe import assert_phrase

    start = time.perf_counter()
    log("loading pipeline")
    extractor = Extractor(args.patterns)
    nlp = reportnlp.load(args.patterns)
    failures: list[dict[str, Any]] | None = [] if args.failures else None
    timings: dict[str, tuple[int, float]] = {}
    sections = []
    for title, run in (
        ("open-i", lambda: run_openi(corpora, root, extractor, failures)),
        ("negex/context", lambda: run_assertions(corpora, root, nlp, assert_phrase, failures)),
        ("mtsamples", lambda: run_mtsamples(corpora, root, extractor)),
    ):
        log(f"{title}:")
        section, times = run()
        sections.append(section)
        timings.update(times)
    total = time.perf_counter() - start

    timing = Section("Run time")
    timing.body.append(
        table(
            ["part", "items", "seconds"],
            [[k, str(n), f"{s:.1f}"] for k, (n, s) in timings.items()]
            + [["total (with pipeline load)", "", f"{total:.1f}"]],
        )
    )
    sections.append(timing)
    info = extractor.pipeline_info
    header = (
        "# reportnlp accuracy on public corpora\n\n"
        f"Generated by `python bench/accuracy.py`. Rules: patterns sha256 `{info['patterns_sha256'][:12]}`,"
        f" reportnlp {info['version']}. Splits: `dev` may be inspected and tuned on; `heldout` is"
        " only scored (see ../shared/corpora/README.md).\n"
    )
    markdown = header + "\n" + "\n".join(s.render() for s in sections)
    print(markdown)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(markdown, encoding="utf-8")
        log(f"wrote {args.out}")
    if failures is not None:
        with args.failures.open("w", encoding="utf-8") as f:
            for item in failures:
                f.write(json.dumps(item, ensure_ascii=False) + "\n")
        log(f"wrote {len(failures)} development failure cases to {args.failures}")
    log(f"total {total:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
