"""Speed of `reportnlp extract` against spaCy's tokenizer and stock medspaCy, side by side in one run.

    python bench/perf.py                     # tables to stdout (markdown), progress to stderr
    python bench/perf.py --memory 1000,100000   # also: peak RSS of --jobs 1 over 1k and 100k reports
    python bench/perf.py --repeat 0 --memory 1000,100000   # the memory check alone

For each corpus (seeded generated reports from bench/reportgen.py, and the Open-i + MTSamples
development texts when ../shared/corpora exists, read at run time) and each repetition, every
run is a fresh process over the same JSONL file:

  (a) spaCy's blank English tokenizer alone, (b) stock medspaCy (``medspacy.load()``: PyRuSH
  sentences, target matcher with our target rules, ConText with its default rules) on an evenly
  spaced sample, (c) ``reportnlp extract FILE --jobs 1`` exactly as a user runs it, records to a
  pipe, (d) the same with ``--jobs 2`` (its output must be byte-identical to (c)).

Rates are processing rates: (a) and (b) time their loop; (c) and (d) count the records after the
first over the time after the first, and the time to the first record is reported as start-up.
Medians over the repetitions; the ratios are of medians measured in the same run. On a shared
machine wall-clock rates move with the neighbours' load, so rates per CPU-second are printed too
((c): the process's CPU time, less that of a run on one report, which is start-up).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

TARGETS = {"c/b": 15.0, "c/a": 0.40, "d/c": 1.8, "startup": 2.0}


# --- children: each runs in its own process and prints one JSON line --------------------------


def _read_texts(path: str) -> list[str]:
    import orjson

    with Path(path).open("rb") as f:
        return [orjson.loads(line)["text"] for line in f]


def _child_tokenizer(path: str) -> dict[str, Any]:
    import spacy

    texts = _read_texts(path)
    nlp = spacy.blank("en")
    tokens = 0
    start, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        tokens += len(nlp.tokenizer(text))
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    words = sum(1 for text in texts for t in nlp.tokenizer(text) if not t.is_space)
    return {"n": len(texts), "seconds": seconds, "cpu": cpu, "tokens": tokens, "words": words}


def _child_medspacy(path: str) -> dict[str, Any]:
    import medspacy
    from medspacy.target_matcher import TargetRule

    from reportnlp.nlp.rules import load_rules

    texts = _read_texts(path)
    nlp = medspacy.load()
    rules = load_rules().targets["target_rules"]
    nlp.get_pipe("medspacy_target_matcher").add(
        [TargetRule.from_dict(r) for r in rules]
    )
    start, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        nlp(text)
    return {"n": len(texts), "seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu, "pipes": nlp.pipe_names}


def _child(mode: str, path: str) -> None:
    result = {"tokenizer": _child_tokenizer, "medspacy": _child_medspacy}[mode](path)
    result["maxrss_mb"] = _peak_mb(os.getpid()) or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sys.stdout.write(json.dumps(result) + "\n")


# --- the parent ----------------------------------------------------------------------------------


def _env() -> dict[str, str]:
    path = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": path, "NO_PROGRESS": "1"}


def _run_child(mode: str, path: Path) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(path)], capture_output=True, env=_env(), check=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _run_extract(path: Path, jobs: int, keep: Path | None = None) -> dict[str, Any]:
    """`reportnlp extract` in a fresh process, records read from its stdout as they come."""
    cmd = [sys.executable, "-m", "reportnlp", "extract", str(path), "--jobs", str(jobs), "--no-progress"]
    errors = tempfile.TemporaryFile()
    launched = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=errors, env=_env(), cwd=tempfile.gettempdir())
    assert proc.stdout is not None
    digest = hashlib.sha256()
    first = None
    records = 0
    sink = keep.open("wb") if keep else None
    peak = _peak_mb(proc.pid)
    polled = time.perf_counter()
    while chunk := proc.stdout.read1(1 << 20):
        if first is None and b"\n" in chunk:
            first = time.perf_counter()
        records += chunk.count(b"\n")
        digest.update(chunk)
        if sink:
            sink.write(chunk)
        if time.perf_counter() - polled > 0.5:
            peak, polled = max(peak, _peak_mb(proc.pid)), time.perf_counter()
    ended = time.perf_counter()
    peak = max(peak, _peak_mb(proc.pid))
    if sink:
        sink.close()
    _, status, usage = os.wait4(proc.pid, 0)
    errors.seek(0)
    stderr = errors.read()
    errors.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"reportnlp extract exited {proc.returncode}: {stderr.decode()[-500:]}")
    assert first is not None
    return {
        "n": records,
        "startup": first - launched,
        "seconds": ended - first,
        "rate": (records - 1) / (ended - first),
        "cpu_total": usage.ru_utime + usage.ru_stime,  # this process and the workers it reaped
        "maxrss_mb": peak or usage.ru_maxrss / 1024,
        "sha256": digest.hexdigest(),
    }


def _peak_mb(pid: int) -> float:
    """Peak resident memory so far (VmHWM, Linux) of the process or of its largest child; 0 if unknown.

    VmHWM covers the program the process runs; rusage's ru_maxrss would also count the pages of the
    parent it was forked from, before it started.
    """
    peak = 0.0
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if parent == pid:
            children.append(int(stat.parent.name))
    for p in (pid, *children):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]) / 1024)
        except (OSError, ValueError):
            pass
    return peak


def _write_jsonl(path: Path, items: Iterable[tuple[str, str]]) -> None:
    import orjson

    with path.open("wb") as f:
        for report_id, text in items:
            f.write(orjson.dumps({"id": report_id, "text": text}) + b"\n")


def _corpora(tmp: Path, n_generated: int, seed: int, corpora: str | None) -> list[tuple[str, Path, str]]:
    import reportgen

    from reportnlp.evaluation.corpora import DEV, corpora_dir, iter_mtsamples, iter_openi

    out = []
    gen = tmp / "generated.jsonl"
    _write_jsonl(gen, reportgen.generate(n_generated, seed))
    out.append(("generated", gen, f"{n_generated:,} reports from `bench/reportgen.py` (seed {seed})"))
    root = corpora_dir(corpora)
    if root is not None:
        public = tmp / "public.jsonl"
        items = [(f"openi_{r.id}", r.text) for r in iter_openi(root, DEV)]
        n_openi = len(items)
        items += [(f"mtsamples_{r.id}", r.text) for r in iter_mtsamples(root, DEV)]
        _write_jsonl(public, items)
        out.append(
            ("public", public, f"{len(items):,} development texts: {n_openi:,} Open-i reports and "
             f"{len(items) - n_openi:,} MTSamples transcriptions, read from `../shared/corpora` at run time")
        )
    return out


def _sample(path: Path, size: int, dest: Path) -> Path:
    lines = path.read_bytes().splitlines(keepends=True)
    step = max(1, len(lines) // size)
    dest.write_bytes(b"".join(lines[::step][:size]))
    return dest


def _summarize_rate(records: Path) -> dict[str, Any] | None:
    cmd = [sys.executable, "-m", "reportnlp", "summarize", str(records), "--format", "json"]
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, env=_env(), check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        return None
    n = sum(1 for _ in records.open("rb"))
    return {"n": n, "seconds": seconds, "rate": n / seconds}


def _median(runs: list[dict[str, Any]], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def _measure(name: str, path: Path, tmp: Path, repeat: int, medspacy_sample: int) -> dict[str, Any]:
    sample = _sample(path, medspacy_sample, tmp / f"{name}.sample.jsonl")
    one = _sample(path, 1, tmp / f"{name}.one.jsonl")
    runs: dict[str, list[dict[str, Any]]] = {"a": [], "b": [], "c": [], "d": []}
    keep = tmp / f"{name}.records.jsonl"
    for i in range(repeat):
        print(f"perf: {name} repetition {i + 1}/{repeat}", file=sys.stderr)
        a = _run_child("tokenizer", path)
        a["rate"] = a["n"] / a["seconds"]
        runs["a"].append(a)
        a["cpu_rate"] = a["n"] / a["cpu"]
        b = _run_child("medspacy", sample)
        b["rate"], b["cpu_rate"] = b["n"] / b["seconds"], b["n"] / b["cpu"]
        runs["b"].append(b)
        startup_cpu = _run_extract(one, 1)["cpu_total"]  # start-up and one report, to take off (c)'s CPU
        c = _run_extract(path, 1, keep if i == 0 else None)
        c["cpu_rate"] = (c["n"] - 1) / max(c["cpu_total"] - startup_cpu, 1e-9)
        runs["c"].append(c)
        runs["d"].append(_run_extract(path, 2))
    identical = all(r["sha256"] == runs["c"][0]["sha256"] for r in runs["c"] + runs["d"])
    words = runs["a"][0]["words"]
    n = runs["a"][0]["n"]
    rates = {k: _median(v, "rate") for k, v in runs.items()}
    cpu_rates = {k: _median(v, "cpu_rate") for k, v in runs.items() if k != "d"}
    return {
        "name": name,
        "n": n,
        "words_per_report": words / n,
        "tokens_per_report": runs["a"][0]["tokens"] / n,
        "b_n": runs["b"][0]["n"],
        "rates": rates,
        "cpu_rates": cpu_rates,
        "rss": {k: _median(v, "maxrss_mb") for k, v in runs.items()},
        "startup": _median(runs["c"], "startup"),
        "startup_d": _median(runs["d"], "startup"),
        "identical": identical,
        "summarize": _summarize_rate(keep),
        "repeat": repeat,
        "all_rates": {k: [round(r["rate"], 1) for r in v] for k, v in runs.items()},
        "all_cpu_rates": {k: [round(r["cpu_rate"], 1) for r in v] for k, v in runs.items() if k != "d"},
    }


def _memory(tmp: Path, sizes: list[int], seed: int) -> list[tuple[int, float]]:
    import reportgen

    out = []
    for size in sizes:
        path = tmp / f"memory_{size}.jsonl"
        _write_jsonl(path, reportgen.generate(size, seed))
        print(f"perf: memory, {size:,} reports", file=sys.stderr)
        result = _run_extract(path, 1)
        out.append((size, result["maxrss_mb"]))
        path.unlink()
    return out


def _machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import medspacy
    import spacy

    return (
        f"{os.cpu_count()} cores (nproc), {model}, Python {platform.python_version()}, "
        f"spaCy {spacy.__version__}, medspaCy {medspacy.__version__}, {platform.system()} {platform.release()}"
    )


def _table(result: dict[str, Any]) -> str:
    r, cpu, rss = result["rates"], result["cpu_rates"], result["rss"]
    words = result["words_per_report"]
    rows = [
        ("(a) spaCy `blank(\"en\")` tokenizer only", "a"),
        (f"(b) stock medspaCy (`medspacy.load()` + our target rules), {result['b_n']} reports", "b"),
        ("(c) `reportnlp extract --jobs 1`", "c"),
        ("(d) `reportnlp extract --jobs 2`", "d"),
    ]
    lines = [
        "| run | reports/s | tokens/s | reports per CPU-second | peak RSS MB (largest process) |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, key in rows:
        per_cpu = f"{cpu[key]:,.0f}" if key in cpu else "-"
        lines.append(f"| {label} | {r[key]:,.0f} | {r[key] * words:,.0f} | {per_cpu} | {rss[key]:,.0f} |")

    def verdict(ok: bool) -> str:
        return "met" if ok else "**missed**"

    c_b, c_a, d_c = r["c"] / r["b"], r["c"] / r["a"], r["d"] / r["c"]
    cpu_c_b, cpu_c_a = cpu["c"] / cpu["b"], cpu["c"] / cpu["a"]
    lines += [
        "",
        "| ratio | wall clock | CPU time | target | |",
        "|---|---:|---:|---:|---|",
        f"| c/b: extract vs stock medspaCy | {c_b:,.1f}x | {cpu_c_b:,.1f}x | >= 15x | {verdict(c_b >= TARGETS['c/b'])} |",
        f"| c/a: extract vs tokenizer only | {c_a:.0%} | {cpu_c_a:.0%} | >= 40% | {verdict(c_a >= TARGETS['c/a'])} |",
        f"| d/c: --jobs 2 vs --jobs 1 | {d_c:.2f}x | | >= 1.8x | {verdict(d_c >= TARGETS['d/c'])} |",
        f"| time to first record, --jobs 1 | {result['startup']:.2f} s | | < 2 s | {verdict(result['startup'] < 2)} |",
        f"| --jobs 2 output byte-identical to --jobs 1 | {'yes' if result['identical'] else 'NO'} | | yes | "
        f"{verdict(result['identical'])} |",
    ]
    s = result["summarize"]
    if s:
        lines.append(
            f"\n`reportnlp summarize` over the {s['n']:,} records of (c): {s['rate']:,.0f} records/s "
            f"({s['seconds']:.1f} s wall, start-up included)."
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", nargs=2, metavar=("MODE", "FILE"), help=argparse.SUPPRESS)
    parser.add_argument("--generated", type=int, default=2000, help="generated reports (default 2000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3, help="repetitions, medians reported (default 3; 0: memory check only)")
    parser.add_argument("--medspacy-sample", type=int, default=150, help="reports for stock medspaCy (default 150)")
    parser.add_argument("--corpora", help="corpora folder (default ../shared/corpora; absent: generated only)")
    parser.add_argument("--memory", help="comma-separated corpus sizes for the peak-memory check, e.g. 1000,100000")
    args = parser.parse_args(argv)
    if args.child:
        _child(*args.child)
        return 0
    with tempfile.TemporaryDirectory(prefix="reportnlp-perf-") as name:
        tmp = Path(name)
        corpora = _corpora(tmp, args.generated, args.seed, args.corpora) if args.repeat > 0 else []
        results = [_measure(corpus, path, tmp, args.repeat, args.medspacy_sample) for corpus, path, _ in corpora]
        memory = _memory(tmp, [int(s) for s in args.memory.split(",")], args.seed) if args.memory else []
    out = [f"Machine: {_machine()}.", ""]
    for (_, _, description), result in zip(corpora, results, strict=True):
        out += [
            f"### {result['name']}: {description}",
            "",
            f"{result['tokens_per_report']:,.0f} spaCy tokens per report ({result['words_per_report']:,.0f} "
            f"without whitespace tokens; tokens/s below count these). Medians of {result['repeat']} "
            f"repetitions; every run's reports/s: `{json.dumps(result['all_rates'])}`, per CPU-second: "
            f"`{json.dumps(result['all_cpu_rates'])}`.",
            "",
            _table(result),
            "",
        ]
    if memory:
        out += ["### peak memory of `reportnlp extract --jobs 1` by corpus size (generated reports)", "",
                "| reports | peak RSS MB |", "|---:|---:|"]
        out += [f"| {size:,} | {mb:,.0f} |" for size, mb in memory]
        out.append("")
    sys.stdout.write("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
