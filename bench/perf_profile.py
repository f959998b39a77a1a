"""Where the time of `reportnlp extract` goes: CPU milliseconds per report, stage by stage.

    python bench/perf_profile.py                 # generated reports (bench/reportgen.py), 2000, seed 7
    python bench/perf_profile.py --public        # the Open-i + MTSamples development texts instead

One fresh pass over the corpus (caches start empty), each report processed as an ``extract``
worker does: Extractor.record_for_text's steps with the GC paused (each pipeline component, the
labels component's own steps, the report block and hash, the Doc's teardown), then the JSON line,
its pickled hand-off and the worker's gc.freeze. So the total is the worker's CPU per report; the
command's own reading and writing (0.04-0.09 ms a public report, on the other core) is not in
it. Next to it, spaCy's blank tokenizer alone (its own process state, also one pass). Prints a
markdown table; nothing is written.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

LABELS = "reportnlp_labels"
# The labels component's steps timed inside it: (attribute of the component, method) -> stage name.
# None as the attribute: a function of records/doc_labels.py's module.
LABELS_STEPS = {
    (None, "mention_dicts"): "labels: mention dicts",
    ("patient", "find"): "labels: patient (age, sex)",
    ("decider", "decide"): "labels: labels/decider.py",
    ("change", "annotate"): "labels: change cues",
}
LABELS_REST = "labels: the rest (exam, prevalence, fields)"


def _texts(public: bool, n: int, seed: int, corpora: str | None = None) -> list[str]:
    if not public:
        import reportgen

        return [text for _, text in reportgen.generate(n, seed)]
    from reportnlp.evaluation.corpora import DEV, corpora_dir, iter_mtsamples, iter_openi

    root = corpora_dir(corpora)
    if root is None:
        sys.exit(f"perf_profile: {corpora or '../shared/corpora'} is absent")
    return [r.text for r in iter_openi(root, DEV)] + [r.text for r in iter_mtsamples(root, DEV)]


def profile(texts: list[str]) -> list[tuple[str, float]]:
    import gc
    import hashlib
    import pickle

    import spacy

    from reportnlp.nlp.components.docdata import doc_value
    from reportnlp.nlp.pipeline import collector_paused
    from reportnlp.records import doc_labels
    from reportnlp.records.assemble import base_record
    from reportnlp.records.report_meta import report_block
    from reportnlp.run.extractor import Extractor
    from reportnlp.run.output import encoded_fields

    extractor = Extractor()
    clock = time.process_time
    spent: Counter[str] = Counter()
    _time_steps(extractor.nlp.get_pipe(LABELS), doc_labels, spent, clock)
    source = {"path": None, "format": "api"}
    gc.freeze()  # as a forked worker starts: the pipeline is never walked by the GC
    for seq, text in enumerate(texts):
        with collector_paused():  # as Extractor.record_for_text
            t = clock()
            doc = extractor.nlp.make_doc(text)
            spent["tokenizer (ours)"] += clock() - t
            for name, component in extractor._steps:
                t = clock()
                doc = component(doc)
                spent[LABELS_REST if name == LABELS else name] += clock() - t
            t = clock()  # Extractor._build
            record = base_record(str(seq), source, [])
            report = report_block(text, None, extractor.report_columns, [], extractor.date_rules)
            record.update(text_sha256=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(), report=report)
            record.update(doc_value(doc, "reportnlp_fields"), pipeline=extractor.pipeline_info)
            spent["record: report block, hash"] += clock() - t
            t = clock()
            del doc
            spent["Doc teardown"] += clock() - t
        t = clock()  # run/pool.py's worker: the answer pickled, then _settle
        answer = pickle.dumps((seq, encoded_fields(record)), pickle.HIGHEST_PROTOCOL)
        del record, answer
        gc.freeze()
        spent["JSON line, hand-off, gc.freeze"] += clock() - t
    spent[LABELS_REST] -= sum(spent[name] for name in LABELS_STEPS.values())  # timed inside it
    blank = spacy.blank("en").tokenizer
    t = clock()
    for text in texts:
        blank(text)
    spent["spaCy blank tokenizer alone"] = clock() - t
    return [(name, seconds * 1000 / len(texts)) for name, seconds in spent.items()]


def _time_steps(labels: Any, module: Any, spent: Counter[str], clock: Callable[[], float]) -> None:
    """Time the labels component's steps where it calls them (this process's pipeline only), so that
    the component runs whole, as in a worker; what they leave out is LABELS_REST."""

    def timed(name: str, step: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any) -> Any:
            t = clock()
            out = step(*args)
            spent[name] += clock() - t
            return out

        return run

    for (owner_name, method), name in LABELS_STEPS.items():
        owner = module if owner_name is None else getattr(labels, owner_name)
        setattr(owner, method, timed(name, getattr(owner, method)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--public", action="store_true", help="Open-i + MTSamples development texts")
    parser.add_argument("--reports", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--corpora", help="corpora folder for --public (default ../shared/corpora)")
    args = parser.parse_args(argv)
    texts = _texts(args.public, args.reports, args.seed, args.corpora)
    rows = profile(texts)
    baseline = dict(rows)["spaCy blank tokenizer alone"]
    total = sum(ms for name, ms in rows if name != "spaCy blank tokenizer alone")
    print(f"{len(texts):,} reports, CPU ms per report (one pass, fresh process, as an extract worker)\n")
    print("| stage | ms | share | vs tokenizer alone |\n|---|---:|---:|---:|")
    for name, ms in rows:
        share = "" if name.startswith("spaCy") else f"{ms / total:.0%}"
        print(f"| {name} | {ms:.3f} | {share} | {ms / baseline:.2f}x |")
    print(f"| **total** | **{total:.3f}** | 100% | {total / baseline:.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
