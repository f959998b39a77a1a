"""Throughput and peak memory of `reportnlp summarize` over up to 1,000,000 synthetic records.

    python bench/summarize_bench.py [--sizes 10000,100000,1000000] [--out docs/performance.md]

Templates: the 52 records `extract` makes of corpus_samples/ (real shapes: ~13 mentions each, cues,
locations, prevalence). Each synthetic record is a template with a new id, a random age (or none),
and `fields` site/year, written straight into the stdin of `python -m reportnlp summarize -` as it is
made: nothing holds the records, neither here nor (that is the claim) in the summarizer. Each run is
a fresh process; its CPU time (wait4) and peak RSS (VmHWM, read by the process itself at exit) are
its own.

Rows: summarize at each size, then `--by site` at the largest size, then the baseline: a process
that only parses each line with orjson (the floor for any JSON Lines reader), at the largest size.
With --out, the "## summarize" section of the file is replaced (other sections are kept).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import orjson
from doc_sections import write_section  # bench/ is the script's folder, first on sys.path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

SEED = 20240601
CHUNK = 2000
SITES = [b"north", b"south", b"east", b"west", b"central"]
PLACEHOLDER = re.compile(rb'"__(ID|AGE|SITE|YEAR)__"')
# Peak RSS is VmHWM read by the measured process itself at exit: ru_maxrss from wait4 would also count
# the memory of this (bigger) parent process at fork time, which Linux carries across exec.
PEAK = (
    "import atexit, sys\n"
    "def _peak():\n"
    "    for line in open('/proc/self/status'):\n"
    "        if line.startswith('VmHWM:'):\n"
    "            sys.stderr.write('bench-peak-kb ' + line.split()[1] + '\\n')\n"
    "atexit.register(_peak)\n"
)
SUMMARIZE = PEAK + "sys.argv = ['reportnlp', *sys.argv[1:]]\nfrom reportnlp.cli.app import main\nmain()\n"
PARSE_ONLY = PEAK + "import orjson\nn = 0\nfor line in sys.stdin.buffer:\n    orjson.loads(line)\n    n += 1\nprint(n)\n"
SECTION = "## summarize"


def templates() -> list[list[bytes]]:
    """Each corpus_samples record as byte parts around the placeholders id, age, site, year."""
    from reportnlp.inputs import iter_reports
    from reportnlp.run.extractor import Extractor

    extractor = Extractor()
    out = []
    for report in iter_reports([str(REPO_ROOT / "corpus_samples")]):
        record = extractor.record_for(report)
        record["id"] = "__ID__"
        record["patient"] = {**(record["patient"] or {}), "age": "__AGE__"}
        record["fields"] = {"site": "__SITE__", "year": "__YEAR__"}
        out.append(PLACEHOLDER.split(orjson.dumps(record)))  # text, name, text, name, ..., text
    return out


def synthetic(parts: list[list[bytes]], n: int, seed: int = SEED) -> Iterator[bytes]:
    """n JSON lines in chunks of CHUNK lines; deterministic for a seed."""
    rng = random.Random(seed)
    lines: list[bytes] = []
    for i in range(n):
        template = parts[i % len(parts)]
        age = b"null" if rng.random() < 0.3 else str(rng.randint(18, 95)).encode()
        values = {b"ID": b'"syn-%d"' % i, b"AGE": age, b"SITE": b'"%s"' % rng.choice(SITES),
                  b"YEAR": b'"%d"' % rng.randint(2015, 2024)}
        pieces = [template[0]]
        for k in range(1, len(template), 2):
            pieces += [values[template[k]], template[k + 1]]
        pieces.append(b"\n")
        lines.append(b"".join(pieces))
        if len(lines) == CHUNK:
            yield b"".join(lines)
            lines = []
    if lines:
        yield b"".join(lines)


def run(command: list[str], parts: list[list[bytes]], n: int) -> dict[str, float]:
    """Feed n records to a fresh process; its wall time, CPU time, peak RSS and bytes read."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    start, sent = time.perf_counter(), 0
    for chunk in synthetic(parts, n):
        proc.stdin.write(chunk)
        sent += len(chunk)
    proc.stdin.close()
    out, err = proc.stdout.read(), proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"bench: {command[3:]} exited {proc.returncode}: {err.decode()[-500:]}")
    if b"summary_schema_version" in out:
        summary = orjson.loads(out)
        assert summary["lines"] == {"records": n, "malformed": 0}, summary["lines"]
    else:
        assert int(out) == n, out
    peak = re.search(rb"bench-peak-kb (\d+)", err)
    rss = int(peak.group(1)) / 1024 if peak else usage.ru_maxrss / 1024  # no /proc: an upper bound
    return {"n": n, "bytes": sent, "wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss": rss}


def table(rows: list[tuple[str, dict[str, float]]]) -> str:
    base_rss = rows[0][1]["rss"]
    parse = next((r for name, r in rows if name.startswith("parse only")), None)
    lines = [
        "| run | records | input MB | wall s | CPU s | records/s (CPU) | MB/s (CPU) | peak RSS MB | RSS vs first row "
        "| CPU vs parse only |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in rows:
        vs_parse = f"{r['cpu'] / parse['cpu']:.2f}x" if parse and parse["n"] == r["n"] else ""
        lines.append(
            f"| {name} | {r['n']:,} | {r['bytes'] / 1e6:,.0f} | {r['wall']:.1f} | {r['cpu']:.1f} | "
            f"{r['n'] / r['cpu']:,.0f} | {r['bytes'] / 1e6 / r['cpu']:,.0f} | {r['rss']:.1f} | "
            f"{r['rss'] / base_rss:.2f}x | {vs_parse} |"
        )
    return "\n".join(lines) + "\n"


def section_text(templates_used: int, result: str) -> str:
    note = (
        f"`python bench/summarize_bench.py` on {os.cpu_count()} cores (shared, noisy machine: read the ratios). "
        f"Synthetic records: the {templates_used} corpus_samples records with new ids, ages (30% none) and "
        "site/year fields, streamed into `reportnlp summarize -` (each run a fresh process; peak RSS is its "
        "VmHWM at exit). Memory stays flat from the first row to the largest: the summary holds counters only. "
        '"CPU vs parse only": the summarizer\'s CPU time over a process that only parses each line.'
    )
    return f"{note}\n\n{result}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="Comma-separated record counts.")
    parser.add_argument("--out", type=Path, help="Markdown file whose '## summarize' section to (re)write.")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print("bench: extracting the corpus_samples templates", file=sys.stderr)
    parts = templates()
    summarize = [sys.executable, "-c", SUMMARIZE, "summarize", "-", "--format", "json"]
    rows = []
    for n in sizes:
        print(f"bench: summarize {n:,} records", file=sys.stderr)
        rows.append((f"summarize `{n:,}`", run(summarize, parts, n)))
    largest = max(sizes)
    print(f"bench: summarize --by site {largest:,} records", file=sys.stderr)
    rows.append(("summarize `--by site`", run([*summarize, "--by", "site"], parts, largest)))
    print(f"bench: parse only {largest:,} records", file=sys.stderr)
    rows.append(("parse only (orjson.loads per line)", run([sys.executable, "-c", PARSE_ONLY], parts, largest)))
    result = table(rows)
    sys.stdout.write(result)
    if args.out:
        write_section(args.out, SECTION, section_text(len(parts), result))

if __name__ == "__main__":
    main()
