"""In-process CPU per report: the Extractor as `extract` builds it, timed with time.process_time().

    python bench/per_report_cpu.py /tmp/devall.jsonl                       # first 1,500 texts, 3 runs
    PYTHONPATH=/tmp/wt-old python bench/per_report_cpu.py FILE --n 1500    # another checkout, side by side

The pipeline is built and warmed on 50 texts first (not counted); then the same texts are run
``--repeat`` times in this process and each run's CPU seconds printed, with spaCy's blank tokenizer
alone over the same texts for scale. The first run meets every text for the first time; later runs
find what the components remember (per word, sentence and chunk), as a long run over similar
reports does. Prints one JSON line; nothing is written. Which checkout was imported is printed too
(``reportnlp.__file__``): this script does not put its own tree on the path.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any


def _texts(path: str, n: int) -> list[tuple[str, str]]:
    import orjson

    out = []
    with Path(path).open("rb") as f:
        for line in f:
            if len(out) >= n:
                break
            record = orjson.loads(line)
            out.append((str(record["id"]), record["text"]))
    return out


def _extractor() -> Any:
    try:
        from reportnlp.run.extractor import Extractor
    except ImportError:  # checkouts from before the stage subpackages
        from reportnlp.extract import Extractor  # type: ignore[import-not-found,no-redef]
    return Extractor()


def measure(texts: list[tuple[str, str]], repeat: int) -> dict[str, Any]:
    import spacy

    import reportnlp

    extractor = _extractor()
    for report_id, text in texts[:50]:
        extractor.record_for_text(report_id, text)
    runs = []
    for _ in range(repeat):
        start = time.process_time()
        for report_id, text in texts:
            extractor.record_for_text(report_id, text)
        runs.append(time.process_time() - start)
    blank = spacy.blank("en").tokenizer
    tokenizer = []
    for _ in range(repeat):
        start = time.process_time()
        for _, text in texts:
            blank(text)
        tokenizer.append(time.process_time() - start)
    return {
        "tree": reportnlp.__file__,
        "reports": len(texts),
        "runs_cpu_s": [round(r, 3) for r in runs],
        "median_cpu_s": round(statistics.median(runs), 3),
        "tokenizer_runs_cpu_s": [round(r, 3) for r in tokenizer],
        "vs_tokenizer": round(statistics.median(runs) / statistics.median(tokenizer), 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("jsonl", help='one {"id", "text"} object per line')
    parser.add_argument("--n", type=int, default=1500, help="the first N texts (default 1500)")
    parser.add_argument("--repeat", type=int, default=3, help="runs over the texts (default 3)")
    args = parser.parse_args(argv)
    print(json.dumps(measure(_texts(args.jsonl, args.n), args.repeat)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
