"""Time for one report as it grows: is `extract` linear in report size?

    python bench/report_size.py                       # 25 kB .. 2 MB, about a minute
    python bench/report_size.py --sizes 100,1000 --repeat 3

Two kinds of long text, each cut to the size: the corpus_samples reports concatenated (about one
mention per 65 characters) and a dense list where every sentence holds a finding and a cue (about
one mention per 20 characters). Each size is timed in one process with
``Extractor.record_for_text`` (median of ``--repeat``); "ms per kB" should stay flat if time is
linear, and the last column divides it by that of the smallest size.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

_LEVELS = [f"{region}{n}" for region, count in (("C", 7), ("T", 12), ("L", 5)) for n in range(1, count + 1)]
_DENSE = [
    "No lytic lesion at {level}.",
    "Possible sclerotic metastasis in the {level} vertebral body.",
    "Mild disc bulge at {level} without stenosis.",
    "There is no pathologic fracture of {level}.",
    "Facet arthropathy at {level}, likely degenerative.",
]


def samples_text(size: int) -> str:
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "corpus_samples").glob("*.txt"))]
    return _repeat(texts, size)


def dense_text(size: int) -> str:
    sentences = [s.format(level=level) for level in _LEVELS for s in _DENSE]
    return _repeat(sentences, size, joiner=" ")


def _repeat(parts: list[str], size: int, joiner: str = "\n\n") -> str:
    out: list[str] = []
    length, i = 0, 0
    while length < size:
        out.append(parts[i % len(parts)])
        length += len(out[-1]) + len(joiner)
        i += 1
    return joiner.join(out)[:size]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="25,100,250,500,1000,2000", help="kB, comma-separated")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)
    from reportnlp.run.extractor import Extractor

    extractor = Extractor()
    sizes = [int(s) * 1000 for s in args.sizes.split(",")]
    print("| text | size | mentions | seconds | ms per kB | vs smallest |\n|---|---:|---:|---:|---:|---:|")
    for name, make in (("corpus_samples concatenated", samples_text), ("dense findings and cues", dense_text)):
        first = None
        for size in sizes:
            text = make(size)
            times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                record = extractor.record_for_text("size", text)
                times.append(time.perf_counter() - started)
            seconds = statistics.median(times)
            per_kb = seconds * 1000 / (size / 1000)
            first = first or per_kb
            mentions = len(record.get("mentions") or [])
            print(f"| {name} | {size // 1000:,} kB | {mentions:,} | {seconds:.2f} | {per_kb:.2f} | {per_kb / first:.2f}x |",
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
