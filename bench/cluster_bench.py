"""Throughput of `reportnlp extract --engine dask` (1 and 2 local workers) and `--engine spark` (local[2,4])
against `--jobs 1` and `--jobs 2`.

    python bench/cluster_bench.py [--reports 2000] [--repeat 3] [--out docs/performance.md]

Input: a folder of generated reports (bench/reportgen.py, seed 7; nothing from any corpus), so dask
workers read their own files as on a cluster with a shared file system. Each configuration runs as
the user runs it (a fresh `python -m reportnlp extract ... -o` process; for dask, `--workers N` starts
a LocalCluster of N one-thread worker processes in that command, `--partition-size 250`; for spark,
`--workers 2` starts a local Spark session, master local[2,4], in that command), once on a
small set (`--small`, 100 reports) and once on the full set. Rows: the median wall time of the full
runs; "reports/s" is the marginal rate, (full - small) reports over (full - small) seconds, which
leaves out the fixed costs (start-up, pipeline builds, cluster start) that the "start-up s" column
shows; ratios are marginal rates against `--jobs 1` measured in the same run. "CPU ms per report" is
the marginal CPU time of the command and all its processes: what the engine costs beyond the NLP,
whatever else the machine is doing. Configurations take turns in each repetition. Every run's output
is checked byte for byte against `--jobs 1`. With --out, the "## cluster" section is replaced.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson
from doc_sections import write_section  # bench/ is the script's folder, first on sys.path

REPO_ROOT = Path(__file__).resolve().parent.parent
SECTION = "## cluster"
CONFIGS = [
    ("`--jobs 1` (baseline)", ["--jobs", "1"], "file"),
    ("`--jobs 2`", ["--jobs", "2"], "file"),
    ("`--engine dask --workers 1`", ["--engine", "dask", "--workers", "1", "--partition-size", "250"], "folder"),
    ("`--engine dask --workers 2`", ["--engine", "dask", "--workers", "2", "--partition-size", "250"], "folder"),
    ("`--engine spark --workers 2`", ["--engine", "spark", "--workers", "2", "--partition-size", "250"], "folder"),
]


def make_folder(root: Path, n: int) -> Path:
    made = subprocess.run([sys.executable, str(REPO_ROOT / "bench" / "reportgen.py"), str(n), "--seed", "7"],
                          capture_output=True, check=True).stdout.splitlines()
    folder = root / f"reports_{n}"
    folder.mkdir()
    for line in made:
        row = orjson.loads(line)
        (folder / f"{row['id']}.txt").write_text(row["text"], encoding="utf-8")
    return folder


def run_once(folder: Path, options: list[str], kind: str, out: Path) -> tuple[float, float, bytes]:
    """Wall and CPU seconds of one command (its worker processes included: each level reaps its
    children), and the records it wrote (part files concatenated in order)."""
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "NO_PROGRESS": "1"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "reportnlp", "extract", str(folder), *options, "-o", str(out)],
                   cwd=REPO_ROOT, env=env, check=True, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if kind == "file":
        data = out.read_bytes()
        out.unlink()
        return wall, cpu, data
    data = b"".join(p.read_bytes() for p in sorted(out.glob("part-*.jsonl")))
    for path in out.iterdir():
        path.unlink()
    out.rmdir()
    return wall, cpu, data


def measure(small: Path, full: Path, n_small: int, n_full: int, repeat: int, scratch: Path) -> list[dict[str, float]]:
    """Configurations take turns within each repetition, so a change in the machine's other load
    falls on all of them alike."""
    expected: dict[int, bytes] = {}
    walls: dict[tuple[int, int], list[float]] = {}
    cpus: dict[tuple[int, int], list[float]] = {}
    for rep in range(repeat):
        for c, (_label, options, kind) in enumerate(CONFIGS):
            for n, folder in ((n_small, small), (n_full, full)):
                wall, cpu, data = run_once(folder, options, kind, scratch / ("out" if kind == "folder" else "out.jsonl"))
                if expected.setdefault(n, data) != data:
                    raise SystemExit(f"cluster_bench: {options} wrote other records than --jobs 1")
                walls.setdefault((c, n), []).append(wall)
                cpus.setdefault((c, n), []).append(cpu)
            print(f"cluster_bench: run {rep + 1}/{repeat} {options}: {walls[c, n_full][-1]:.1f} s", file=sys.stderr)
    rows = []
    for c in range(len(CONFIGS)):
        t_small, t_full = statistics.median(walls[c, n_small]), statistics.median(walls[c, n_full])
        cpu_small, cpu_full = statistics.median(cpus[c, n_small]), statistics.median(cpus[c, n_full])
        rate = (n_full - n_small) / (t_full - t_small)
        rows.append({"wall": t_full, "rate": rate, "startup": max(t_small - n_small / rate, 0.0),
                     "cpu_ms": 1000 * (cpu_full - cpu_small) / (n_full - n_small)})
    return rows


def table(rows: list[dict[str, float]], n_full: int) -> str:
    base = rows[0]
    lines = [
        "| run | reports | wall s (median) | start-up s | reports/s (marginal) | vs `--jobs 1` "
        "| CPU ms per report (marginal) | CPU vs `--jobs 1` |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for (label, options, _kind), row in zip(CONFIGS, rows, strict=True):
        cpu = f"{row['cpu_ms']:.2f} | {row['cpu_ms'] / base['cpu_ms']:.2f}x"
        if "spark" in options:  # the JVM and its Python workers are never reaped by the command: not in its rusage
            cpu = "n/a | n/a"
        lines.append(f"| {label} | {n_full:,} | {row['wall']:.1f} | {row['startup']:.1f} | {row['rate']:.1f} | "
                     f"{row['rate'] / base['rate']:.2f}x | {cpu} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=2000, help="Reports in the full set.")
    parser.add_argument("--small", type=int, default=100, help="Reports in the small set (for the fixed costs).")
    parser.add_argument("--repeat", type=int, default=3, help="Runs per configuration and size (median taken).")
    parser.add_argument("--out", type=Path, help="Markdown file whose '## cluster' section to (re)write.")
    args = parser.parse_args()
    loads = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory(prefix="cluster_bench_") as tmp:
        scratch = Path(tmp)
        small, full = make_folder(scratch, args.small), make_folder(scratch, args.reports)
        rows = measure(small, full, args.small, args.reports, args.repeat, scratch)
    loads.append(os.getloadavg()[0])
    result = table(rows, args.reports)
    print(result)
    if args.out:
        note = (
            f"`python bench/cluster_bench.py --reports {args.reports} --repeat {args.repeat}` on {os.cpu_count()} "
            "cores (shared, noisy machine: read the ratios). Generated reports (bench/reportgen.py) in a folder; each "
            "run a fresh `reportnlp extract` process, output checked byte for byte against `--jobs 1`. Dask runs start "
            "a LocalCluster of one-thread worker processes in the command (`--workers N`, `--partition-size 250`); the "
            "Spark run starts a local Spark session (master `local[2,4]`: a JVM and two Python workers) in the command. "
            f"Marginal rate: ({args.reports} - {args.small}) reports over the difference of the median wall times of "
            "the two sizes, so start-up (imports, pipeline builds, cluster start: the \"start-up s\" column) is left "
            "out; the ratio compares those rates. \"CPU ms per report\": the marginal CPU time of the command and all "
            "its worker processes, per report (not for Spark: its JVM and Python workers end without being reaped by the "
            "command, so their CPU time is not counted). On two cores, two workers of either kind can at best double "
            "`--jobs 1`, and only when nothing else runs: the machine's 1-minute load average was "
            f"{loads[0]:.1f} when this run started and {loads[1]:.1f} when it ended (these runs account for up to "
            "2; above that, other work competed for the cores and the parallel rows are pessimistic)."
        )
        write_section(args.out, SECTION, f"{note}\n\n{result}")


if __name__ == "__main__":
    main()
