"""Where the time of `reportnlp extract` goes: CPU milliseconds per report, stage by stage.

    python bench/perf_profile.py                 # generated reports (bench/reportgen.py), 2000, seed 7
    python bench/perf_profile.py --public        # the Open-i + MTSamples development texts instead

One fresh pass over the corpus, as `extract` makes it (caches start empty), timing each pipeline
component and each step that turns the Doc into a record, next to spaCy's blank tokenizer alone
(its own process state, also one pass). Prints a markdown table; nothing is written.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def _texts(public: bool, n: int, seed: int) -> list[str]:
    if not public:
        import reportgen

        return [text for _, text in reportgen.generate(n, seed)]
    from reportnlp.evaluation.corpora import DEV, corpora_dir, iter_mtsamples, iter_openi

    root = corpora_dir()
    if root is None:
        sys.exit("perf_profile: ../shared/corpora is absent")
    return [r.text for r in iter_openi(root, DEV)] + [r.text for r in iter_mtsamples(root, DEV)]


def profile(texts: list[str]) -> list[tuple[str, float]]:
    import orjson
    import spacy

    from reportnlp.records.assemble import exam_title, mention_dicts, section_dicts
    from reportnlp.run.extractor import Extractor

    extractor = Extractor()
    nlp = extractor.nlp
    clock = time.process_time
    spent: Counter[str] = Counter()
    for text in texts:
        t = clock()
        doc = nlp.make_doc(text)
        spent["tokenizer (ours)"] += clock() - t
        for name, component in nlp.pipeline:
            if name == "reportnlp_labels":  # its steps are timed one by one below
                continue
            t = clock()
            doc = component(doc)
            spent[name] += clock() - t
        t = clock()
        sections = doc._.reportnlp_sections or []
        mentions = mention_dicts(doc, extractor.rules.concepts, extractor.categories)
        spent["records.mention_dicts"] += clock() - t
        t = clock()
        patient = extractor.patient.find(text)
        spent["patient.py (age, sex)"] += clock() - t
        t = clock()
        title = exam_title(text, sections)
        exam = extractor._exam(title, mentions)
        labels, evidence = extractor.decider.decide(mentions, exam, text)
        spent["labels.py (with exam)"] += clock() - t
        t = clock()
        for m in mentions:
            key = extractor.rules.concepts[m["concept"]].get("degenerative")
            if key:
                m["prevalence"] = extractor.prevalence.describe(key, m["meta"], patient["age"])
        record = {"labels": labels, "evidence": evidence, "patient": patient, "exam": title,
                  "sections": section_dicts(sections, extractor.categories), "mentions": mentions}
        orjson.dumps(record)
        spent["prevalence, record, JSON"] += clock() - t
    blank = spacy.blank("en").tokenizer
    t = clock()
    for text in texts:
        blank(text)
    spent["spaCy blank tokenizer alone"] = clock() - t
    return [(name, seconds * 1000 / len(texts)) for name, seconds in spent.items()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--public", action="store_true", help="Open-i + MTSamples development texts")
    parser.add_argument("--reports", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    texts = _texts(args.public, args.reports, args.seed)
    rows = profile(texts)
    baseline = dict(rows)["spaCy blank tokenizer alone"]
    total = sum(ms for name, ms in rows if name != "spaCy blank tokenizer alone")
    print(f"{len(texts):,} reports, CPU ms per report (one pass, fresh process)\n")
    print("| stage | ms | share | vs tokenizer alone |\n|---|---:|---:|---:|")
    for name, ms in rows:
        share = "" if name.startswith("spaCy") else f"{ms / total:.0%}"
        print(f"| {name} | {ms:.3f} | {share} | {ms / baseline:.2f}x |")
    print(f"| **total** | **{total:.3f}** | 100% | {total / baseline:.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
