"""Peak memory and time of `reportnlp patients` over up to 1,000,000 synthetic records.

    python bench/patients_bench.py [--sizes 10000,100000,1000000]

Each record is a minimal extract record (labels, labels.change, report.patient_id and report.date;
no mentions: the command reads only those) for one of n/5 patients with a random date, written
straight into the stdin of a fresh `python -m reportnlp patients - --format csv` as it is made.
Peak RSS is VmHWM, read by the measured process itself at exit; CPU time comes from wait4. The table
(markdown) goes to stdout. The claim: peak RSS does not grow with the number of records or patients.
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

REPO_ROOT = Path(__file__).resolve().parent.parent
SEED = 20261203
CHUNK = 2000
PEAK = (
    "import atexit, sys\n"
    "def _peak():\n"
    "    for line in open('/proc/self/status'):\n"
    "        if line.startswith('VmHWM:'):\n"
    "            sys.stderr.write('bench-peak-kb ' + line.split()[1] + '\\n')\n"
    "atexit.register(_peak)\n"
    "sys.argv = ['reportnlp', *sys.argv[1:]]\nfrom reportnlp.cli.app import main\nmain()\n"
)
DEGENERATIVE = ("disc_herniation disc_bulge disc_degeneration endplate_changes annular_fissure facet_arthropathy "
                "spinal_stenosis spondylolisthesis spondylosis").split()
STATUSES = ("present", "possible", "absent", "not_mentioned")
CHANGES = (None, None, None, "new", "stable", "progressed", "improved", "resolved")


def synthetic(n: int, seed: int = SEED) -> Iterator[bytes]:
    rng = random.Random(seed)
    patients = max(1, n // 5)
    lines: list[bytes] = []
    for i in range(n):
        labels = {
            "bone_metastasis": rng.choice(STATUSES), "pathologic_fracture": rng.choice(STATUSES),
            "fracture": rng.choice(STATUSES), "cord_compression": rng.choice(STATUSES), "lesion_pattern": [],
            "degenerative": {k: rng.choice(STATUSES) for k in DEGENERATIVE}, "modalities": ["XR"],
            "change": {"bone_metastasis": rng.choice(CHANGES), "pathologic_fracture": None, "fracture": None,
                       "cord_compression": None},
            "low_sensitivity_negative": rng.random() < 0.1,
        }
        date = f"{rng.randint(2010, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        record = {"schema_version": "1.0", "id": f"r{i}", "status": "ok", "labels": labels, "mentions": [],
                  "report": {"patient_id": f"P{rng.randrange(patients):07d}", "date": date, "date_raw": date,
                             "date_source": "column", "date_evidence": None}}
        lines.append(orjson.dumps(record) + b"\n")
        if len(lines) == CHUNK:
            yield b"".join(lines)
            lines = []
    if lines:
        yield b"".join(lines)


def run(n: int) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))}
    command = [sys.executable, "-c", PEAK, "patients", "-", "--format", "csv"]
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    start, sent = time.perf_counter(), 0
    for chunk in synthetic(n):
        proc.stdin.write(chunk)
        sent += len(chunk)
    proc.stdin.close()
    rows = sum(1 for _ in proc.stdout) - 1
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"bench: patients exited {os.waitstatus_to_exitcode(status)}: {err.decode()[-500:]}")
    peak = re.search(rb"bench-peak-kb (\d+)", err)
    rss = int(peak.group(1)) / 1024 if peak else usage.ru_maxrss / 1024
    return {"n": n, "patients": rows, "bytes": sent, "wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss": rss}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    args = parser.parse_args()
    print("| records | patients | input MB | wall s | CPU s | records/s (CPU) | peak RSS MB |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for n in (int(s) for s in args.sizes.split(",")):
        r = run(n)
        print(f"| {r['n']:,} | {r['patients']:,} | {r['bytes'] / 1e6:,.0f} | {r['wall']:.1f} | {r['cpu']:.1f} | "
              f"{r['n'] / r['cpu']:,.0f} | {r['rss']:.1f} |", flush=True)


if __name__ == "__main__":
    main()
