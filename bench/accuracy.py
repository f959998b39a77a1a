"""Measure reportnlp against labels written by others, through `reportnlp extract` and `reportnlp evaluate`.

    python bench/accuracy.py [--out docs/accuracy.md] [--corpora DIR] [--patterns DIR] [--failures FILE]

* corpus_samples/: `extract` the 52 reports, `evaluate` them against corpus_samples/labels.jsonl.
* dev-gold: 153 real development reports (radiology reports and clinical notes) labelled by two readers,
  every label scored (P/R/F1 of "present or possible", 4-way accuracy), beside a keyword-plus-negation
  baseline scored by the same metrics code.
* Open-i chest X-ray reports, development and held-out splits apart: gold files built from the human MeSH
  codes (`degenerative.any` and `fracture`), then `extract` + `evaluate`; a keyword baseline is scored by
  the same metrics code.
* NegEx and ConText annotated sentences: our assertion of each annotated concept (`reportnlp.nlp.probe`) scored
  by `reportnlp.evaluation.scores` as the labels `negation`, `temporality` and `experiencer`.
* MTSamples unique transcriptions: records produced and error records (should be 0).

Tables go to stdout (and --out); progress to stderr. Report texts are handed to `extract` in a temporary
folder deleted at the end; held-out text and held-out failure cases are never printed or kept.
``--failures`` writes development failure cases (corpus text: only outside the repository).
Without the corpora only corpus_samples is measured.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench.accuracy_text import (  # noqa: E402
    ASSERTION_NOTE,
    DEV_GOLD_NOTE,
    OPENI_NOTE,
    PUBLISHED_NOTE,
    REMAINING_NOTE,
    REMAINING_WRITTEN_FOR,
    SCORE_HEADER,
    Section,
    ci_cell,
    score_row,
    table,
)
from reportnlp.evaluation import corpora  # noqa: E402
from reportnlp.evaluation.gold import flat_gold  # noqa: E402
from reportnlp.evaluation.scores import LABELS_BY_NAME, Label, evaluate  # noqa: E402

SPLITS = corpora.SPLITS
RESAMPLES = 1000
BASELINE = {
    "degenerative.any": re.compile(r"degenerat|osteophyt|spondylo", re.IGNORECASE),
    "fracture": re.compile(r"fractur", re.IGNORECASE),
}
# The "simple keyword-plus-negation tool" of dev-gold's table: a keyword in a sentence is present, or absent
# when a negation word comes before it in that sentence; nothing else (no sections, no hedges, no context).
DEV_GOLD_KEYWORDS = {
    "bone_metastasis": r"metasta|\bmets\b|lytic|blastic|myeloma",
    "pathologic_fracture": r"patholog\w* fracture",
    "fracture": r"fractur",
    "cord_compression": r"cord compression|compression of the (?:spinal )?cord|cauda equina compression",
    "degenerative.disc_herniation": r"herniat|protrusion|extrusion|\bhnp\b",
    "degenerative.disc_bulge": r"bulg",
    "degenerative.disc_degeneration": r"disc degenerat|degenerative disc|desiccat|disc space narrow|disc height",
    "degenerative.endplate_changes": r"endplate|modic|schmorl",
    "degenerative.annular_fissure": r"annular (?:fissure|tear)",
    "degenerative.facet_arthropathy": r"facet (?:arthropathy|hypertroph|arthros|degenerat)",
    "degenerative.spinal_stenosis": r"stenosis|foraminal narrowing",
    "degenerative.spondylolisthesis": r"listhesis",
    "degenerative.spondylosis": r"spondylosis|osteophyt|degenerative change",
}
KEYWORD_NEGATION = re.compile(r"\b(?:no|not|without|negative for|free of|denies)\b", re.IGNORECASE)
DEV_GOLD_TARGET_F1 = 0.95
ASSERTIONS = ("present", "possible", "absent", "historical", "hypothetical", "family")
# Assertion tasks: label name, the class scored, gold of a phrase, and which kits annotate it.
TASKS: tuple[tuple[str, str, Callable[[Any], str], tuple[str, ...]], ...] = (
    ("negation", "absent", lambda p: "absent" if p.negated else "present", ("NegEx", "ConText")),
    ("temporality", "historical", lambda p: "historical" if p.historical else "present", ("ConText",)),
    ("experiencer", "family", lambda p: "family" if p.other_experiencer else "present", ("ConText",)),
)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class Cli:
    """The installed-or-source `reportnlp` command, run as `python -m reportnlp` on this checkout."""

    def __init__(self, patterns: Path | None) -> None:
        self.patterns = ["--patterns", str(patterns)] if patterns else []
        path = os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))
        self.env = {**os.environ, "PYTHONPATH": path, "NO_PROGRESS": "1"}

    def run(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "reportnlp", *args], capture_output=True, env=self.env, check=False, text=True
        )
        if done.returncode not in (0, 1):
            raise SystemExit(f"accuracy: `reportnlp {args[0]}` failed (exit {done.returncode}): {done.stderr[-500:]}")
        return done.stdout

    def extract(self, inputs: str, records: Path) -> float:
        t0 = time.perf_counter()
        self.run("extract", inputs, "-o", str(records), "--no-progress", *self.patterns)
        return time.perf_counter() - t0

    def evaluate(self, gold: Path, records: Path) -> dict[str, Any]:
        return json.loads(self.run("evaluate", "--gold", str(gold), str(records), "--format", "json"))


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# ---------------------------------------------------------------------------------------------
# corpus_samples


def run_samples(cli: Cli, work: Path, figures: dict[str, Any]) -> tuple[Section, dict[str, tuple[int, float]]]:
    records = work / "corpus_samples.records.jsonl"
    seconds = cli.extract("corpus_samples/", records)
    result = cli.evaluate(REPO_ROOT / "corpus_samples" / "labels.jsonl", records)
    ids = result["ids"]
    figures["corpus_samples wrong"] = len(result["disagreements"]) + len(ids["gold_only"]) + len(ids["failed_records"])
    section = Section("corpus_samples against its own labels")
    section.body.append(
        "```sh\nreportnlp extract corpus_samples/ -o records.jsonl\n"
        "reportnlp evaluate --gold corpus_samples/labels.jsonl records.jsonl\n```"
    )
    rows = []
    for name, rep in result["labels"].items():
        key = "exact_match" if rep["kind"] == "set" else "accuracy"
        wrong = sum(d["label"] == name for d in result["disagreements"])
        rows.append([name, str(rep["n"]), ci_cell(rep[key]), ci_cell(rep["macro"]["f1"]), str(wrong)])
    overall = result["overall"]
    section.body.append(
        f"{ids['scored']} reports scored ({len(ids['gold_only'])} only in the gold, {len(ids['records_only'])} only in "
        f"the records, {len(ids['failed_records'])} error records); {len(result['disagreements'])} disagreements; "
        f"micro F1 {ci_cell(overall['micro']['f1'])}, macro F1 {ci_cell(overall['macro']['f1'])}.\n\n"
        + table(["label", "n", "accuracy / exact match", "macro F1", "wrong"], rows)
    )
    return section, {"corpus_samples": (ids["scored"], seconds)}


# ---------------------------------------------------------------------------------------------
# dev-gold


def keyword_labels(text: str) -> dict[str, str]:
    """The keyword-plus-negation baseline's report labels (see DEV_GOLD_KEYWORDS)."""
    found: dict[str, str] = {}
    for sentence in re.split(r"(?<=[.!?])\s+|\n", text):
        for name, pattern in DEV_GOLD_KEYWORDS.items():
            hit = re.search(pattern, sentence, re.IGNORECASE)
            if hit is None:
                continue
            status = "absent" if KEYWORD_NEGATION.search(sentence, 0, hit.start()) else "present"
            if found.get(name) != "present":
                found[name] = status
    return {name: found.get(name, "not_mentioned") for name in DEV_GOLD_KEYWORDS}


def run_dev_gold(
    cli: Cli, root: Path, work: Path, failures: list[dict[str, Any]] | None, figures: dict[str, Any]
) -> tuple[Section, dict[str, tuple[int, float]]]:
    section = Section("dev-gold: real development reports labelled by two readers")
    section.body.append(DEV_GOLD_NOTE)
    reports = list(corpora.iter_dev_gold(root))
    texts, gold_file, records = work / "dev_gold.reports.jsonl", work / "dev_gold.gold.jsonl", work / "dev_gold.records.jsonl"
    write_jsonl(texts, ({"id": r.id, "text": r.text} for r in reports))
    write_jsonl(gold_file, ({"id": r.id, **r.gold} for r in reports))
    seconds = cli.extract(str(texts), records)
    result = cli.evaluate(gold_file, records)
    texts.unlink()
    log(f"  dev-gold: {len(reports)} reports in {seconds:.1f} s")
    flat = {r.id: flat_gold(r.gold, r.id)[0] for r in reports}
    baseline = evaluate(
        {rid: {k: v for k, v in g.items() if k in DEV_GOLD_KEYWORDS} for rid, g in flat.items()},
        {r.id: keyword_labels(r.text) for r in reports},
        labels=[LABELS_BY_NAME[name] for name in DEV_GOLD_KEYWORDS],
        resamples=RESAMPLES,
    )
    rows, set_rows = [], []
    for name, rep in result["labels"].items():
        if rep["kind"] == "set":
            for cls, m in rep["classes"].items():
                if m["tp"] + m["fn"] + m["fp"]:
                    set_rows.append(score_row(f"{name}: {cls}", m, rep["n"]))
            set_rows.append([f"{name}: micro", *(ci_cell(rep["micro"][k]) for k in ("precision", "recall", "f1")),
                             "", "", str(rep["n"]), f"exact match {ci_cell(rep['exact_match'])}"])
            figures[f"dev-gold {name}"] = rep["micro"]
            continue
        figures[f"dev-gold {name}"] = rep["binary"]
        figures[f"dev-gold {name} accuracy"] = rep["accuracy"]
        base = baseline["labels"].get(name)
        rows.append([*score_row(name, rep["binary"], rep["n"]), ci_cell(rep["accuracy"]),
                     ci_cell(base["binary"]["f1"]) if base else "-"])
    section.body.append(
        f"{result['ids']['scored']} reports scored, {len(result['ids']['failed_records'])} error records, "
        f"{len(result['disagreements'])} disagreements. Each status label: the \"present or possible\" view "
        "(P/R/F1), the 4-way accuracy (present / possible / absent / not_mentioned), and the keyword baseline's "
        "F1 on the same view.\n\n"
        + table(["label", *SCORE_HEADER, "4-way accuracy", "keyword baseline F1"], rows)
    )
    section.body.append("Sets (each value scored as its own yes/no):\n\n" + table(["label: value", *SCORE_HEADER], set_rows))
    confusion = result["labels"]["bone_metastasis"]["confusion"]
    cells = zip(confusion["classes"], confusion["gold_by_predicted"], strict=True)
    section.body.append(
        "bone_metastasis, gold (rows) by ours (columns):\n\n"
        + table(["gold", *confusion["classes"]], [[g, *(str(c) for c in counts)] for g, counts in cells])
    )
    if failures is not None:
        recs = {rec["id"]: rec for rec in read_jsonl(records)}
        by_id = {r.id: r for r in reports}
        for d in result["disagreements"]:
            failures.append({"source": "dev-gold", **d, "text": by_id[d["id"]].text,
                             "document": recs[d["id"]].get("document"), "exam": recs[d["id"]].get("exam")})
    records.unlink()
    return section, {"dev-gold": (len(reports), seconds)}


# ---------------------------------------------------------------------------------------------
# Open-i


def openi_gold(mesh: str) -> dict[str, str]:
    found = corpora.openi_gold(mesh)
    return {
        "degenerative.any": "present" if found["degenerative"] else "absent",
        "fracture": "present" if found["fracture"] else "absent",
    }


def run_openi(
    cli: Cli, root: Path, work: Path, failures: list[dict[str, Any]] | None, figures: dict[str, Any]
) -> tuple[Section, dict[str, tuple[int, float]]]:
    section = Section("Open-i chest X-ray reports vs MeSH codes")
    section.body.append(OPENI_NOTE)
    timings = {}
    heldout = corpora.read_heldout(root)
    for split in SPLITS:
        reports = list(corpora.iter_openi(root, split, heldout))
        texts = work / f"openi_{split}.reports.jsonl"
        gold_file, records = work / f"openi_{split}.gold.jsonl", work / f"openi_{split}.records.jsonl"
        write_jsonl(texts, ({"id": r.id, "text": r.text} for r in reports))
        gold = {r.id: openi_gold(r.mesh) for r in reports}
        write_jsonl(gold_file, ({"id": rid, **labels} for rid, labels in gold.items()))
        seconds = cli.extract(str(texts), records)
        result = cli.evaluate(gold_file, records)
        baseline = evaluate(
            gold,
            {r.id: {k: "present" if rx.search(r.text) else "absent" for k, rx in BASELINE.items()} for r in reports},
            labels=[Label(k) for k in BASELINE],
            resamples=RESAMPLES,
        )
        texts.unlink()
        timings[f"open-i {split}"] = (len(reports), seconds)
        log(f"  open-i {split}: {len(reports)} reports in {seconds:.1f} s")
        rows = []
        for name, title in (("degenerative.any", "degenerative (any)"), ("fracture", "fracture")):
            rep = result["labels"][name]
            rows.append(score_row(f"{title}, ours (present)", rep["classes"]["present"], rep["n"]))
            rows.append(score_row(f"{title}, ours (present or possible)", rep["binary"], rep["n"]))
            base = baseline["labels"][name]
            rows.append(score_row(f"{title}, keyword baseline", base["classes"]["present"], base["n"]))
            figures[f"open-i {split} {name}"] = rep["classes"]["present"]
        errors = len(result["ids"]["failed_records"])
        section.body.append(
            f"**{split}** ({result['ids']['scored']} reports scored, {errors} error records)\n\n"
            + table(["label / predictor", *SCORE_HEADER], rows)
        )
        if failures is not None and split == corpora.DEV:
            collect_openi_failures(failures, reports, result, records)
        records.unlink()
    return section, timings


def collect_openi_failures(
    out: list[dict[str, Any]], reports: list[Any], result: dict[str, Any], records: Path
) -> None:
    """Development reports where presence disagrees (absent vs not_mentioned is no disagreement here)."""
    by_id = {r.id: r for r in reports}
    recs = {rec["id"]: rec for rec in read_jsonl(records)}
    for d in result["disagreements"]:
        if (d["gold"] == "present") == (d["predicted"] == "present"):
            continue
        rep, rec = by_id[d["id"]], recs[d["id"]]
        group = "degenerative" if d["label"] == "degenerative.any" else "fracture"
        mentions = [
            {k: m[k] for k in ("concept", "text", "section", "counts", "assertion")}
            | {"cues": [c["text"] for c in m["cues"]], "note": m.get("note"),
               "sentence": rep.text[m["sentence"]["start"] : m["sentence"]["end"]]}
            for m in rec["mentions"]
            if m["category"] == group
        ]
        out.append(
            {"source": "open-i", "id": d["id"], "label": d["label"], "kind": "FN" if d["gold"] == "present" else "FP",
             "mesh": rep.mesh, "predicted": d["predicted"], "mentions": mentions, "text": rep.text}
        )


# ---------------------------------------------------------------------------------------------
# NegEx / ConText


def run_assertions(
    root: Path,
    nlp: Any,
    assert_phrase: Callable[..., Any],
    failures: list[dict[str, Any]] | None,
    figures: dict[str, Any],
) -> tuple[Section, dict[str, tuple[int, float]]]:
    section = Section("Assertion of annotated concepts (NegEx / ConText test kits)")
    section.body.append(ASSERTION_NOTE)
    timings = {}
    rows: list[list[str]] = []
    confusion_rows: list[list[str]] = []
    for kit, iterate in (("NegEx", corpora.iter_negex), ("ConText", corpora.iter_context)):
        for split in SPLITS:
            t0 = time.perf_counter()
            gold: dict[str, dict[str, str]] = {}
            ours: dict[str, dict[str, str]] = {}
            skipped = 0
            for phrase in iterate(root, split):
                result = assert_phrase(nlp, phrase.sentence, phrase.start, phrase.end) if phrase.start is not None else None
                if result is None:
                    skipped += 1
                    continue
                tasks = [t for t in TASKS if kit in t[3]]
                gold[phrase.id] = {name: to_gold(phrase) for name, _, to_gold, _ in tasks}
                ours[phrase.id] = dict.fromkeys(gold[phrase.id], result["assertion"])
                if failures is not None and split == corpora.DEV:
                    wrong = [n for n, cls, _, _ in tasks if (gold[phrase.id][n] == cls) != (result["assertion"] == cls)]
                    if wrong:
                        failures.append(
                            {"source": kit, "id": phrase.id, "wrong": wrong, "ours": result["assertion"],
                             "cues": result["cues"], "gold_negated": phrase.negated, "temporality": phrase.temporality,
                             "experiencer": phrase.experiencer, "concept": phrase.concept, "sentence": phrase.sentence}
                        )
            labels = [Label(name, ASSERTIONS, positive=frozenset({cls})) for name, cls, _, kits in TASKS if kit in kits]
            scores = evaluate(gold, ours, labels=labels, resamples=RESAMPLES)
            elapsed = time.perf_counter() - t0
            timings[f"{kit} {split}"] = (len(gold) + skipped, elapsed)
            log(f"  {kit} {split}: {len(gold)} rows scored, {skipped} not scored, {elapsed:.1f} s")
            for name, cls, _, kits in TASKS:
                if kit in kits:
                    rep = scores["labels"][name]
                    rows.append([kit, split, *score_row(f"{name}: {cls}", rep["classes"][cls], rep["n"]), str(skipped)])
            figures[f"{kit} {split} negation"] = scores["labels"]["negation"]["classes"]["absent"]
            negation = scores["labels"]["negation"]["confusion"]
            for gold_class in ("present", "absent"):
                counts = negation["gold_by_predicted"][negation["classes"].index(gold_class)]
                name = "Negated" if gold_class == "absent" else "Affirmed"
                confusion_rows.append([kit, split, name, *(str(c) for c in counts), str(sum(counts))])
    section.body.append(table(["set", "split", "task: class", *SCORE_HEADER, "not scored"], rows))
    section.body.append(
        "Our assertion by gold negation (the `negation` confusion matrix):\n\n"
        + table(["set", "split", "gold", *ASSERTIONS, "total"], confusion_rows)
    )
    return section, timings


# ---------------------------------------------------------------------------------------------
# MTSamples


def run_mtsamples(cli: Cli, root: Path, work: Path) -> tuple[Section, dict[str, tuple[int, float]]]:
    section = Section("MTSamples unique transcriptions (robustness)")
    rows, timings = [], {}
    heldout = corpora.read_heldout(root)
    for split in SPLITS:
        samples = list(corpora.iter_mtsamples(root, split, heldout))
        texts, records = work / f"mtsamples_{split}.reports.jsonl", work / f"mtsamples_{split}.records.jsonl"
        write_jsonl(texts, ({"id": s.id, "text": s.text} for s in samples))
        seconds = cli.extract(str(texts), records)
        recs = read_jsonl(records)
        texts.unlink()
        records.unlink()
        errors = [r["error"]["type"] for r in recs if r["status"] != "ok"]
        mentions = sum(len(r["mentions"]) for r in recs)
        timings[f"mtsamples {split}"] = (len(samples), seconds)
        log(f"  mtsamples {split}: {len(recs)} records in {seconds:.1f} s ({len(errors)} error records)")
        types = ", ".join(f"{t} {errors.count(t)}" for t in sorted(set(errors))) or "-"
        rows.append([split, str(len(samples)), str(len(recs)), str(len(errors)), types, str(mentions)])
    section.body.append(
        table(["split", "unique transcriptions", "records", "error records", "error types", "mentions"], rows)
    )
    return section, timings


# ---------------------------------------------------------------------------------------------


TARGETS = (
    ("NegEx held-out negation F1", "NegEx heldout negation", "f1", 0.93),
    ("NegEx held-out negation specificity", "NegEx heldout negation", "specificity", 0.97),
    ("ConText held-out negation F1", "ConText heldout negation", "f1", 0.93),
    ("ConText held-out negation specificity", "ConText heldout negation", "specificity", 0.97),
    ("Open-i held-out any degenerative F1", "open-i heldout degenerative.any", "f1", 0.97),
    ("Open-i held-out fracture F1", "open-i heldout fracture", "f1", 0.90),
    ("Open-i development fracture F1 (present)", "open-i dev fracture", "f1", 0.95),
    ("Open-i development any degenerative F1", "open-i dev degenerative.any", "f1", 0.97),
)


def targets(figures: dict[str, Any]) -> Section:
    """Issue 4's targets, each against its held-out measurement, and issue 11's dev-gold targets (point
    estimate; interval beside it)."""
    section = Section("Targets")
    rows = []
    for title, key, metric, goal in TARGETS:
        if key in figures:
            m = figures[key][metric]
            rows.append([title, f">= {goal:.2f}", ci_cell(m), "yes" if m["value"] >= goal else "**no**"])
    for key in [k for k in figures if k.startswith("dev-gold ")]:
        m = figures[key]
        metric, what = ("value", "4-way accuracy") if key.endswith(" accuracy") else ("f1", "F1")
        value = m if metric == "value" else m["f1"]
        name = key.removeprefix("dev-gold ").removesuffix(" accuracy")
        if metric == "value" and name != "bone_metastasis":
            continue
        if value["value"] is None:
            continue
        rows.append([f"dev-gold {name} {what}", f">= {DEV_GOLD_TARGET_F1:.2f}", ci_cell(value),
                     "yes" if value["value"] >= DEV_GOLD_TARGET_F1 else "**no**"])
    wrong = figures["corpus_samples wrong"]
    rows.append(["corpus_samples: every label right", "0 wrong", f"{wrong} wrong", "yes" if wrong == 0 else "**no**"])
    section.body.append(table(["target", "goal", "measured (95% interval)", "met"], rows))
    return section


def published(figures: dict[str, Any]) -> Section:
    """Our held-out figures in the rows of the published ones (different data: a guide, not a contest)."""
    section = Section("Beside published figures")

    def ours(key: str) -> list[str]:
        m = figures[key]
        return [ci_cell(m["recall"]), ci_cell(m["precision"]), ci_cell(m["specificity"])]

    rows = [
        ["NegEx, published", "negation in discharge-summary sentences", "0.778", "0.845", "0.945"],
        ["reportnlp, NegEx kit held-out", "negation (`absent`)", *ours("NegEx heldout negation")],
        ["reportnlp, ConText kit held-out", "negation (`absent`)", *ours("ConText heldout negation")],
        ["LIRE rules-based, published", "lumbar spine findings, mean over findings", "0.83", "-", "0.97"],
        ["reportnlp, Open-i held-out", "any degenerative spine finding present", *ours("open-i heldout degenerative.any")],
        ["reportnlp, Open-i held-out", "fracture present", *ours("open-i heldout fracture")],
    ]
    section.body.append(PUBLISHED_NOTE)
    section.body.append(table(["system, data", "task", "sensitivity", "PPV (precision)", "specificity"], rows))
    return section


def remaining(figures: dict[str, Any]) -> Section:
    """The hand-written reading of the development failures, marked out of date when the counts it was
    written for are no longer what this run measures (prose must not outlive the rules it describes)."""
    stale = []
    for key, (fp, fn) in REMAINING_WRITTEN_FOR.items():
        m = figures.get(key)
        if m is not None and (m["fp"], m["fn"]) != (fp, fn):
            stale.append(f"{key}: written for {fp} FP / {fn} FN, measured {m['fp']} FP / {m['fn']} FN")
    section = Section("What remains", [REMAINING_NOTE])
    if stale:
        log("'What remains' is out of date (" + "; ".join(stale) + "): re-read --failures, update bench/accuracy_text.py")
        section.body.insert(0, "**Out of date**: " + "; ".join(stale) + ". Re-read the failures and rewrite this section.")
    return section


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="also write the markdown report here (e.g. docs/accuracy.md)")
    parser.add_argument("--corpora", type=Path, help="corpora folder (default: $REPORTNLP_CORPORA or ../shared/corpora)")
    parser.add_argument("--patterns", type=Path, help="rule folder (default: the built-in patterns)")
    parser.add_argument(
        "--failures", type=Path, help="write development failure cases as JSONL here (corpus text: outside the repo)"
    )
    args = parser.parse_args(argv)
    if args.failures is not None and args.failures.resolve().is_relative_to(REPO_ROOT):
        parser.error("--failures holds corpus text: write it outside the repository")
    os.chdir(REPO_ROOT)

    start = time.perf_counter()
    cli = Cli(args.patterns)
    failures: list[dict[str, Any]] | None = [] if args.failures else None
    figures: dict[str, Any] = {}
    timings: dict[str, tuple[int, float]] = {}
    sections: list[Section] = []
    root = corpora.corpora_dir(args.corpora)
    with tempfile.TemporaryDirectory(prefix="reportnlp-accuracy-") as tmp:
        work = Path(tmp)
        log("corpus_samples:")
        section, times = run_samples(cli, work, figures)
        sections.append(section)
        timings.update(times)
        if root is None:
            log("corpora folder not found (set REPORTNLP_CORPORA or put it at ../shared/corpora): corpus_samples only")
        else:
            import reportnlp
            from reportnlp.nlp.probe import assert_phrase

            nlp = reportnlp.load(args.patterns)
            for title, run in (
                ("dev-gold", lambda: run_dev_gold(cli, root, work, failures, figures)),
                ("open-i", lambda: run_openi(cli, root, work, failures, figures)),
                ("negex/context", lambda: run_assertions(root, nlp, assert_phrase, failures, figures)),
                ("mtsamples", lambda: run_mtsamples(cli, root, work)),
            ):
                log(f"{title}:")
                section, times = run()
                sections.append(section)
                timings.update(times)
            sections.append(published(figures))
            sections.append(remaining(figures))
    total = time.perf_counter() - start
    timing = Section("Run time")
    timing.body.append(
        "Seconds of wall time on a shared 2-core machine (`extract` includes its pipeline load), so only a rough guide.\n\n"
        + table(
            ["part", "items", "seconds"],
            [[k, str(n), f"{s:.1f}"] for k, (n, s) in timings.items()] + [["total", "", f"{total:.1f}"]],
        )
    )
    sections.append(timing)
    sections.insert(0, targets(figures))
    markdown = header(cli) + "\n" + "\n".join(s.render() for s in sections)
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


def header(cli: Cli) -> str:
    from reportnlp import __version__
    from reportnlp.nlp.rules import load_rules

    sha = load_rules(cli.patterns[1] if cli.patterns else None).sha256
    return (
        "# reportnlp accuracy on reports labelled by others\n\n"
        "Generated by `python bench/accuracy.py --out docs/accuracy.md` (see bench/README.md). "
        f"Rules: patterns sha256 `{sha[:12]}`, reportnlp {__version__}. Splits: `dev` may be inspected and tuned "
        "on; `heldout` is only scored (see ../shared/corpora/README.md). Intervals: 95% percentile bootstrap over "
        f"reports (or sentences), {RESAMPLES} resamples, seed 0, as `reportnlp evaluate` computes them.\n"
    )


if __name__ == "__main__":
    sys.exit(main())
