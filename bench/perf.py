"""Speed of `reportnlp extract` against spaCy's tokenizer and stock medspaCy, side by side in one run.

    python bench/perf.py                        # tables to stdout (markdown), progress to stderr
    python bench/perf.py --out docs/performance.md   # also rewrite that file's "## extract" section
    python bench/perf.py --memory 1000,100000   # also: peak RSS of --jobs 1 over 1k and 100k reports
    python bench/perf.py --repeat 0 --memory 1000,100000   # the memory check alone

For each corpus (seeded generated reports from bench/reportgen.py, and the Open-i + MTSamples
development texts when ../shared/corpora exists, read at run time) and each repetition, every
run is a fresh process over the same JSONL file, measured whole (CPU time of the process and the
workers it reaped, from wait4):

  (a) spaCy's blank English tokenizer alone (reads the file, tokenizes every text), (b) stock
  medspaCy (``medspacy.load()``: PyRuSH sentences, target matcher with our target rules, ConText
  with its default rules) on an evenly spaced sample, (c) ``reportnlp extract FILE --jobs 1``
  exactly as a user runs it, records to a pipe, (d) the same without ``--jobs`` (the default: one
  worker per core, at most 8; its output must be byte-identical to (c)); and the floors under (c):
  (e) reportnlp's tokenizer alone (reads the file, makes our Doc of every text, nothing else) and
  (f) ``reportnlp extract FILE --jobs 1`` with an empty pipeline (the same command, reading, worker
  pool, report block and record JSON, with no tokenizer or component run: each record takes the
  fields of an empty report, made once). c/a can reach at most e/a, and with (f)'s costs added less.
  And (g) ``reportnlp extract FILE --jobs 1 --matcher medspacy``: medspaCy's own TargetMatcher and
  ConText on the same rule files, the reference (c) must equal byte for byte.

CPU rates are per report beyond the first: each process's CPU time less that of the same program on
one report (its start-up), so (a), (b) and (c) are compared on the same footing; wall-clock rates
count the records after the first over the time after the first. (a) and (c), whose ratio is the
target that sits inside the machine's run-to-run spread, run as ``--pairs`` pairs back to back
(taking turns to go first): c/a is the median of the pairs' own ratios, reported with their range
and count. The other runs are repeated ``--repeat`` times; their ratios are of medians measured in
the same run (on a shared machine wall-clock rates move with the neighbours' load, CPU rates much
less). Then the one-report run as a user types it
(``reportnlp extract -`` with a short report on stdin, ``--first N`` times): CPU time of the whole
process, and where it goes (a fresh process timing each step in-process), after a warm-up run, as
any run after a machine's first finds its bytecode and cache folder; a first run with an empty cache
folder is timed beside it. And the CPU per report of each pipeline stage (bench/perf_profile.py, one
pass over each corpus). Children write and read bytecode as an installed package does, whatever
PYTHONDONTWRITEBYTECODE says.
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
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

TARGETS = {"c/b": 40.0, "c/a": 0.80, "d/c": 1.8, "first_cpu": 0.8}
ONE_REPORT = b"MRI lumbar spine. No fracture. Mild disc bulge at L4-L5.\n"  # our own words, no corpus text


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
    return {"n": len(texts), "seconds": seconds, "cpu": cpu, "tokens": tokens}


def _child_our_tokenizer(path: str) -> dict[str, Any]:
    """(e): reportnlp's tokenizer alone, as ``extract`` builds it (the pipeline's ``make_doc``)."""
    from reportnlp.run.extractor import Extractor

    texts = _read_texts(path)
    make_doc = Extractor().nlp.make_doc
    tokens = 0
    start, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        tokens += len(make_doc(text))
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"n": len(texts), "seconds": seconds, "cpu": cpu, "tokens": tokens}


def _empty_pipeline_extract(args: list[str]) -> None:
    """(f): ``reportnlp extract`` as a user runs it, with no tokenizer or component run: every record takes
    the fields of an empty report (made once), so what is left is reading the input, the worker pool, the
    report block, the record's hash and JSON, and writing it."""
    from reportnlp.cli.app import main as reportnlp_main
    from reportnlp.run import extractor as module

    fields: dict[str, Any] = {}

    def build(self: Any, report_id: str, text: str, source: dict[str, Any], warnings: list[str],
              fields_in: dict[str, str] | None = None) -> dict[str, Any]:
        if not fields:
            fields.update(self.nlp("")._.reportnlp_fields)
        report = module.report_block(text, fields_in, self.report_columns, warnings, self.date_rules)
        record = module.base_record(report_id, source, warnings)
        record.update(text_sha256=module.hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(), report=report)
        record.update(fields, pipeline=self.pipeline_info)
        return record

    module.Extractor._build = build  # type: ignore[method-assign]  # the forked worker inherits it
    sys.argv = ["reportnlp", *args]
    reportnlp_main()


def _child_words(path: str) -> dict[str, Any]:
    """Tokens that are not whitespace, per corpus (not timed: the tokenizer's run only tokenizes)."""
    import spacy

    nlp = spacy.blank("en")
    return {"words": sum(1 for text in _read_texts(path) for t in nlp.tokenizer(text) if not t.is_space)}


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


# A one-report run's steps, timed in a fresh process as `reportnlp extract -` takes them (without the
# worker process, the reading and the writing, which the whole-process figure includes), with OpenBLAS
# on one thread and Python's GC paused from the command line to the built pipeline, as the console
# script does.
STARTUP_CHILD = """
import json, sys, time
clock = time.process_time
marks = [("Python start-up (interpreter, site)", clock())]
import reportnlp.cli.app
reportnlp.cli.app._one_blas_thread()
import reportnlp.cli.startup_gc
reportnlp.cli.startup_gc.pause_collector()
import reportnlp.cli.regex_programs
reportnlp.cli.regex_programs.remember()
reportnlp.nlp.lean_spacy.defer_spacy_components()
import reportnlp.cli.extract_args
marks.append(("reportnlp.cli: the command line, read without typer", clock()))
import reportnlp.cli.extract
marks.append(("extract's own modules (inputs, rules, output, worker pool)", clock()))
from reportnlp.nlp.rules import load_rules
load_rules()
marks.append(("rule files read and validated", clock()))
import spacy
marks.append(("spaCy imported (its command line left out)", clock()))
from reportnlp.run.extractor import Extractor
marks.append(("reportnlp's components and record modules imported", clock()))
extractor = Extractor()
reportnlp.cli.startup_gc.resume_collector()
reportnlp.cli.regex_programs.store()
marks.append(("pipeline built (spaCy's English tokenizer, reportnlp's components)", clock()))
extractor.record_for_text("one", sys.stdin.read())
marks.append(("first record", clock()))
print(json.dumps(marks))
"""


def _child(mode: str, path: str) -> None:
    result = {"tokenizer": _child_tokenizer, "ours": _child_our_tokenizer, "words": _child_words,
              "medspacy": _child_medspacy}[mode](path)
    result["maxrss_mb"] = _peak_mb(os.getpid()) or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sys.stdout.write(json.dumps(result) + "\n")


# --- the parent ----------------------------------------------------------------------------------


def _env(**extra: str) -> dict[str, str]:
    """The children's environment. Python writes and reads bytecode as for an installed package (pip
    compiles it at install): with PYTHONDONTWRITEBYTECODE set, as some shells and containers have it,
    every run of a source checkout would compile reportnlp's ~70 modules again (about 90 ms), a cost
    no installed copy pays."""
    path = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": path, "NO_PROGRESS": "1", **extra}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _run_child(mode: str, path: Path) -> dict[str, Any]:
    """A child of this script in a fresh process: its JSON line, plus the CPU time of the whole process."""
    proc = subprocess.Popen([sys.executable, __file__, "--child", mode, str(path)], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, env=_env())
    assert proc.stdout is not None
    out = proc.stdout.read()
    proc.stdout.close()
    _, status, usage = os.wait4(proc.pid, 0)  # before Popen reaps it: its rusage, children included
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"perf child {mode} exited {proc.returncode}")
    result = json.loads(out.decode().strip().splitlines()[-1])
    result["cpu_total"] = usage.ru_utime + usage.ru_stime
    return result


def _startup_steps(repeat: int) -> list[tuple[str, float]]:
    """CPU seconds of each step of a one-report run (STARTUP_CHILD, each time a fresh process), medians."""
    runs = []
    for _ in range(repeat):
        done = subprocess.run([sys.executable, "-c", STARTUP_CHILD], input=ONE_REPORT, capture_output=True, env=_env(),
                              cwd=tempfile.gettempdir(), check=True)
        marks = json.loads(done.stdout.decode().strip().splitlines()[-1])
        runs.append([(marks[0][0], marks[0][1])] + [(name, t - marks[i][1]) for i, (name, t) in enumerate(marks[1:])])
    return [(name, statistics.median(run[i][1] for run in runs)) for i, (name, _) in enumerate(runs[0])]


def _first_record(repeat: int) -> dict[str, Any]:
    """`reportnlp extract -` with one short report on stdin, ``repeat`` times: CPU of the whole process.

    A first run with an empty cache folder (REPORTNLP_CACHE_DIR: what a machine's first run, or one with
    no writable cache, pays while it compiles the regex programs it then remembers) is timed on its own;
    the measured runs find the user's cache folder as any later run does (a warm-up run goes first, which
    writes it, and the bytecode, where they are missing)."""
    _run_extract(None, None, stdin=ONE_REPORT)  # bytecode and the cache written where missing
    with tempfile.TemporaryDirectory() as empty_cache:
        cold = _run_extract(None, None, stdin=ONE_REPORT, env=_env(REPORTNLP_CACHE_DIR=empty_cache))
    runs = [_run_extract(None, None, stdin=ONE_REPORT) for _ in range(repeat)]
    return {"cpu": [round(r["cpu_total"], 3) for r in runs], "wall": [round(r["startup"], 3) for r in runs],
            "cpu_median": _median(runs, "cpu_total"), "wall_median": _median(runs, "startup"),
            "cold_cpu": round(cold["cpu_total"], 3), "steps": _startup_steps(repeat)}


def _stage_profile(corpora: list[tuple[str, Path, str]], generated: int, seed: int,
                   folder: str | None = None) -> list[tuple[str, str]]:
    """bench/perf_profile.py's table for each corpus (its stdout), or the reason it could not run; ``folder``:
    the corpora folder given to this script, passed on."""
    out = []
    for name, _, _ in corpora:
        cmd = [sys.executable, str(Path(__file__).with_name("perf_profile.py")), "--reports", str(generated), "--seed",
               str(seed)] + (["--public"] + (["--corpora", folder] if folder else []) if name == "public" else [])
        print(f"perf: stage profile, {name}", file=sys.stderr)
        done = subprocess.run(cmd, capture_output=True, env=_env(), text=True, check=False)
        out.append((name, done.stdout.strip() if done.returncode == 0 else
                    f"(bench/perf_profile.py failed: {done.stderr.strip().splitlines()[-1:]})"))
    return out


def _run_extract(path: Path | None, jobs: int | None, keep: Path | None = None, stdin: bytes = b"",
                 empty: bool = False, matcher: str | None = None, env: dict[str, str] | None = None) -> dict[str, Any]:
    """`reportnlp extract` in a fresh process (``path`` None: ``-``, ``stdin`` fed to it; ``jobs`` None:
    the default; ``empty``: with an empty pipeline, run (f); ``matcher``: its ``--matcher``, run (g)),
    records read from its stdout as they come."""
    command = [__file__, "--empty-pipeline"] if empty else ["-m", "reportnlp"]
    cmd = [sys.executable, *command, "extract", str(path) if path else "-"]
    cmd += ["--jobs", str(jobs)] if jobs else []
    cmd += ["--matcher", matcher] if matcher else []
    errors = tempfile.TemporaryFile()
    launched = time.perf_counter()
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors,
                            env=env or _env(), cwd=tempfile.gettempdir())
    assert proc.stdout is not None and proc.stdin is not None
    proc.stdin.write(stdin)
    proc.stdin.close()
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
        "rate": (records - 1) / max(ended - first, 1e-9),
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


def _marginal_cpu_rate(whole: dict[str, Any], one: dict[str, Any]) -> float:
    """Reports per CPU-second beyond the first: the whole process's CPU less a one-report run's."""
    return (whole["n"] - 1) / max(whole["cpu_total"] - one["cpu_total"], 1e-9)


def pair_order(index: int) -> tuple[str, str]:
    """Which of (a) and (c) runs first in pair ``index``: they take turns, so neither always meets the machine
    first (a neighbour's burst, a cold page cache) and the other always after it."""
    return ("a", "c") if index % 2 == 0 else ("c", "a")


def run_pairs(count: int, run: dict[str, Callable[[bool], dict[str, Any]]]) -> list[dict[str, Any]]:
    """``count`` pairs of (a) and (c), back to back in :func:`pair_order`. ``run[key](first)`` measures one (its
    result, with a ``rate`` and a ``cpu_rate``); ``first`` says it opens its pair, so that it can time its
    one-report start-up run before its whole run and the second after, and the pair's two whole runs stay
    adjacent. Each pair is one dict {"a": ..., "c": ..., "first": key}."""
    pairs = []
    for i in range(count):
        order = pair_order(i)
        pairs.append({"first": order[0], **{key: run[key](key == order[0]) for key in order}})
    return pairs


def pair_ratio(pairs: list[dict[str, Any]], rate: str) -> dict[str, Any]:
    """c/a measured as pairs: the median of each pair's own c/a (``rate``: "rate" wall, "cpu_rate" CPU), with
    the range and count. A ratio of medians would divide (c) and (a) measured minutes apart, each at its own
    moment of the machine's load; the two runs of a pair share theirs."""
    ratios = [p["c"][rate] / p["a"][rate] for p in pairs]
    return {"median": statistics.median(ratios), "min": min(ratios), "max": max(ratios), "n": len(ratios),
            "ratios": ratios}


def _measure(name: str, path: Path, tmp: Path, repeat: int, pairs: int, medspacy_sample: int) -> dict[str, Any]:
    sample = _sample(path, medspacy_sample, tmp / f"{name}.sample.jsonl")
    one = _sample(path, 1, tmp / f"{name}.one.jsonl")
    runs: dict[str, list[dict[str, Any]]] = {"b": [], "d": [], "e": [], "f": [], "g": []}
    keep = tmp / f"{name}.records.jsonl"

    def timed(whole: Callable[[], dict[str, Any]], start_up: Callable[[], dict[str, Any]], first: bool) -> dict[str, Any]:
        """One program's whole run and its one-report run, the whole run on the pair's side."""
        if first:  # the start-up run before, the whole run last: next to the other program's whole run
            one_run = start_up()
            result = whole()
        else:
            result = whole()
            one_run = start_up()
        if "rate" not in result:  # the children report their own wall time; extract's is read from the pipe
            result["rate"] = result["n"] / result["seconds"]
        result["cpu_rate"] = _marginal_cpu_rate(result, one_run)
        return result

    def run_a(first: bool) -> dict[str, Any]:
        print(f"perf: {name} (a), pair {len(done) // 2 + 1}/{pairs}", file=sys.stderr)
        done.append("a")
        return timed(lambda: _run_child("tokenizer", path), lambda: _run_child("tokenizer", one), first)

    def run_c(first: bool) -> dict[str, Any]:
        print(f"perf: {name} (c), pair {len(done) // 2 + 1}/{pairs}", file=sys.stderr)
        done.append("c")
        return timed(lambda: _run_extract(path, 1, None if keep.exists() else keep), lambda: _run_extract(one, 1), first)

    done: list[str] = []
    measured_pairs = run_pairs(pairs, {"a": run_a, "c": run_c})
    runs["a"] = [p["a"] for p in measured_pairs]
    runs["c"] = [p["c"] for p in measured_pairs]
    for i in range(repeat):
        print(f"perf: {name} repetition {i + 1}/{repeat} of (b) (d) (e) (f) (g)", file=sys.stderr)
        b = _run_child("medspacy", sample)
        b["rate"], b["cpu_rate"] = b["n"] / b["seconds"], _marginal_cpu_rate(b, _run_child("medspacy", one))
        runs["b"].append(b)
        runs["d"].append(_run_extract(path, None))
        e = _run_child("ours", path)
        e["rate"], e["cpu_rate"] = e["n"] / e["seconds"], _marginal_cpu_rate(e, _run_child("ours", one))
        runs["e"].append(e)
        f = _run_extract(path, 1, empty=True)
        f["cpu_rate"] = _marginal_cpu_rate(f, _run_extract(one, 1, empty=True))
        runs["f"].append(f)
        g = _run_extract(path, 1, matcher="medspacy")
        g["cpu_rate"] = _marginal_cpu_rate(g, _run_extract(one, 1, matcher="medspacy"))
        runs["g"].append(g)
    identical = all(r["sha256"] == runs["c"][0]["sha256"] for r in runs["c"] + runs["d"])
    reference_identical = all(r["sha256"] == runs["c"][0]["sha256"] for r in runs["g"])
    n = runs["a"][0]["n"]
    words = _run_child("words", path)["words"]
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
        "c_a": {"wall": pair_ratio(measured_pairs, "rate"), "cpu": pair_ratio(measured_pairs, "cpu_rate")},
        "pair_first": [p["first"] for p in measured_pairs],
        "rss": {k: _median(v, "maxrss_mb") for k, v in runs.items()},
        "startup": _median(runs["c"], "startup"),
        "identical": identical,
        "reference_identical": reference_identical,
        "summarize": _summarize_rate(keep),
        "repeat": repeat,
        "pairs": pairs,
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


def _verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def pair_cell(ratio: dict[str, Any]) -> str:
    """A ratio measured as pairs, for a table cell: its median and range, two decimals of a per cent (the target
    sits inside the run-to-run spread: a median of 79.95% must not read 80%)."""
    return f"{ratio['median']:.2%} ({ratio['min']:.2%}-{ratio['max']:.2%})"


def _table(result: dict[str, Any], default_jobs: int) -> str:
    r, cpu, rss = result["rates"], result["cpu_rates"], result["rss"]
    words = result["words_per_report"]
    rows = [
        ("(a) spaCy `blank(\"en\")` tokenizer only", "a"),
        (f"(b) stock medspaCy (`medspacy.load()` + our target rules), {result['b_n']} reports", "b"),
        ("(c) `reportnlp extract --jobs 1`", "c"),
        (f"(d) `reportnlp extract` (default `--jobs`: {default_jobs} here)", "d"),
        ("(e) reportnlp's tokenizer alone (our Doc of every report, nothing else)", "e"),
        ("(f) `reportnlp extract --jobs 1` with an empty pipeline (reading, worker, record JSON)", "f"),
        ("(g) `reportnlp extract --jobs 1 --matcher medspacy` (medspaCy's own TargetMatcher and ConText)", "g"),
    ]
    lines = [
        "| run | reports/s | tokens/s | reports per CPU-second | peak RSS MB (largest process) |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, key in rows:
        per_cpu = f"{cpu[key]:,.0f}" if key in cpu else "-"
        lines.append(f"| {label} | {r[key]:,.0f} | {r[key] * words:,.0f} | {per_cpu} | {rss[key]:,.0f} |")
    c_b, d_c = r["c"] / r["b"], r["d"] / r["c"]
    cpu_c_b, c_a = cpu["c"] / cpu["b"], result["c_a"]
    lines += [
        "",
        "| ratio | wall clock | CPU time | target (CPU) | |",
        "|---|---:|---:|---:|---|",
        f"| c/b: extract vs stock medspaCy | {c_b:,.1f}x | {cpu_c_b:,.1f}x | >= {TARGETS['c/b']:.0f}x | "
        f"{_verdict(cpu_c_b >= TARGETS['c/b'])} |",
        f"| c/a: extract vs tokenizer only, {c_a['cpu']['n']} pairs: median of the pairs' ratios (range) | "
        f"{pair_cell(c_a['wall'])} | {pair_cell(c_a['cpu'])} | >= {TARGETS['c/a']:.0%} | "
        f"{_verdict(c_a['cpu']['median'] >= TARGETS['c/a'])} |",
        f"| e/a: reportnlp's tokenizer alone vs spaCy's (the most c/a can reach) | {r['e'] / r['a']:.0%} | "
        f"{cpu['e'] / cpu['a']:.0%} | | |",
        f"| f/a: extract with an empty pipeline vs spaCy's tokenizer | {r['f'] / r['a']:.0%} | {cpu['f'] / cpu['a']:.0%} | | |",
        f"| e+f floor: 1 / (a/e + a/f), the c/a of a run whose components cost nothing | "
        f"{1 / (r['a'] / r['e'] + r['a'] / r['f']):.0%} | {1 / (cpu['a'] / cpu['e'] + cpu['a'] / cpu['f']):.0%} | | |",
        f"| d/c: default `--jobs` ({default_jobs}) vs `--jobs 1` | {d_c:.2f}x | | (wall) >= {TARGETS['d/c']}x on 2 cores | "
        f"{_verdict(d_c >= TARGETS['d/c']) if default_jobs == 2 else 'n/a'} |",
        f"| time to first record, `--jobs 1`, {result['n']:,}-report file | {result['startup']:.2f} s | | | |",
        f"| default `--jobs` output byte-identical to `--jobs 1` | {'yes' if result['identical'] else 'NO'} | | yes | "
        f"{_verdict(result['identical'])} |",
        f"| c/g: reportnlp's matcher and ConText vs medspaCy's own on the same rules | {r['c'] / r['g']:,.1f}x | "
        f"{cpu['c'] / cpu['g']:,.1f}x | | |",
        f"| `--matcher medspacy` records byte-identical to (c) | {'yes' if result['reference_identical'] else 'NO'} | | yes | "
        f"{_verdict(result['reference_identical'])} |",
    ]
    s = result["summarize"]
    if s:
        lines.append(
            f"\n`reportnlp summarize` over the {s['n']:,} records of (c): {s['rate']:,.0f} records/s "
            f"({s['seconds']:.1f} s wall, start-up included)."
        )
    return "\n".join(lines)


def _times(n: int) -> str:
    return "once" if n == 1 else "twice" if n == 2 else f"{n} times"


def _c_a_prose(cpu: dict[str, Any]) -> str:
    """The sentence that states c/a (CPU) and the verdict on it, from the pairs."""
    ratios = ", ".join(f"{x:.4f}" for x in cpu["ratios"])
    verdict = "met" if cpu["median"] >= TARGETS["c/a"] else "missed"
    return (f"c/a (CPU) is the median of the {cpu['n']} pairs' own ratios: **{cpu['median']:.4f}** (range "
            f"{cpu['min']:.4f}-{cpu['max']:.4f}; pairs in order: {ratios}), so the {TARGETS['c/a']:.2f} target "
            f"is {verdict}.")


def _first_table(first: dict[str, Any]) -> str:
    steps = first["steps"]
    lines = [
        f"`reportnlp extract -` with one short report on stdin, {len(first['cpu'])} runs: CPU time of the whole "
        f"process, its worker included, **{first['cpu_median']:.2f} s** (median; runs: {first['cpu']}), first record "
        f"after {first['wall_median']:.2f} s wall. Target < {TARGETS['first_cpu']} s CPU: "
        f"{_verdict(first['cpu_median'] < TARGETS['first_cpu'])}. A first run with an empty cache folder (a "
        f"machine's first run, which compiles the regex programs later runs take from the cache): "
        f"{first['cold_cpu']:.2f} s.",
        "",
        f"Where it goes: the same steps timed inside one process ({len(first['cpu'])} fresh processes, medians; "
        "the real run adds its worker process, reading the report and writing the record):",
        "",
        "| step | CPU ms |",
        "|---|---:|",
    ]
    lines += [f"| {name} | {seconds * 1000:,.0f} |" for name, seconds in steps]
    lines.append(f"| **sum of the steps** | **{sum(seconds for _, seconds in steps) * 1000:,.0f}** |")
    return "\n".join(lines)


def _section(machine: str, corpora: list[tuple[str, Path, str]], results: list[dict[str, Any]], first: dict[str, Any] | None,
             profiles: list[tuple[str, str]], default_jobs: int, generated: int, command: str, minutes: float) -> str:
    out = [
        f"`{command}` wrote this section on {time.strftime('%Y-%m-%d %H:%M %Z')} "
        f"({minutes:.0f} minutes of wall clock). Machine: " + machine
        + ". The machine is shared: CPU speed and neighbours' load move "
        "from run to run, so read CPU times and the ratios measured side by side in the same run (c/a, the "
        "target nearest the noise, from pairs of (a) and (c) run back to back); wall-clock "
        f"figures are for orientation (1-minute load average at the end: {os.getloadavg()[0]:.1f}).",
        "",
        "Every run is a fresh process over the same JSON Lines file, measured whole: the CPU time of the process "
        "and the workers it reaped. Per-report CPU rates leave start-up out the same way for every program: the "
        "whole process's CPU time less that of the same program on one report of the file. (a) spaCy's blank "
        "English tokenizer alone, (b) stock medspaCy (`medspacy.load()`: PyRuSH, the target matcher with our "
        "target rules, ConText) on an evenly spaced sample, (c) `reportnlp extract --jobs 1` and (d) "
        "`reportnlp extract` with its default `--jobs`, exactly as a user runs them, records read from a pipe. "
        "The floors under (c): (e) reportnlp's tokenizer alone (a fresh process reading the same file and making "
        "our Doc of every report, nothing else) and (f) `reportnlp extract --jobs 1` with an empty pipeline (the "
        "same command, reading, worker pool, report block, record hash and JSON, writing; no tokenizer or "
        "component runs and every record takes the fields of an empty report, made once). Whatever the "
        "components cost, c/a can reach at most e/a, and with (f)'s costs added at most the e+f floor row. "
        "And the reference: (g) `reportnlp extract --jobs 1 --matcher medspacy`, medspaCy's own TargetMatcher and "
        "ConText on the same rule files in place of reportnlp's matcher and ConText; its records must be "
        "byte-identical to (c)'s. (a) and (c) run as pairs, back to back, taking turns to go first: c/a is the "
        "median of the pairs' own ratios, given with their range, since a ratio of medians would divide runs "
        "made minutes apart, each at its own moment of the machine's load.",
        "",
        "### One report: CPU to the first record",
        "",
        _first_table(first) if first else "(not measured: --first 0)",
        "",
    ]
    for (_, _, description), result in zip(corpora, results, strict=True):
        out += [
            f"### {result['name']}: {description}",
            "",
            f"{result['tokens_per_report']:,.0f} spaCy tokens per report ({result['words_per_report']:,.0f} "
            f"without whitespace tokens; tokens/s below count these). (a) and (c) ran as {result['pairs']} pairs, "
            f"back to back, taking turns to go first; (b), (d), (e), (f) and (g) {_times(result['repeat'])} each; "
            f"rates are medians. {_c_a_prose(result['c_a']['cpu'])} Every run's reports/s: "
            f"`{json.dumps(result['all_rates'])}`, per CPU-second: `{json.dumps(result['all_cpu_rates'])}`.",
            "",
            _table(result, default_jobs),
            "",
        ]
    if profiles:
        out += [
            "### Where the time goes, stage by stage",
            "",
            "`python bench/perf_profile.py` (and `--public`): CPU milliseconds per report of each pipeline "
            "component and each step that turns the Doc into a record, one pass in a fresh process, next to "
            f"spaCy's blank tokenizer alone (generated: the same {generated:,} reports as above).",
            "",
        ]
        for name, table in profiles:
            out += [f"{name.capitalize()}:", "", table, ""]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--empty-pipeline"]:  # run (f): `reportnlp extract ...` with no component run
        _empty_pipeline_extract(argv[1:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", nargs=2, metavar=("MODE", "FILE"), help=argparse.SUPPRESS)
    parser.add_argument("--generated", type=int, default=2000, help="generated reports (default 2000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3,
                        help="repetitions of (b) (d) (e) (f) (g), medians reported (default 3; 0: memory check only)")
    parser.add_argument("--pairs", type=int, default=7,
                        help="pairs of (a) and (c) run back to back; c/a is the median of their ratios (default 7)")
    parser.add_argument("--first", type=int, default=5, help="one-report runs for the first-record CPU (default 5)")
    parser.add_argument("--medspacy-sample", type=int, default=150, help="reports for stock medspaCy (default 150)")
    parser.add_argument("--corpora", help="corpora folder (default ../shared/corpora; absent: generated only)")
    parser.add_argument("--memory", help="comma-separated corpus sizes for the peak-memory check, e.g. 1000,100000")
    parser.add_argument("--no-profile", action="store_true", help="leave out bench/perf_profile.py's stage tables")
    parser.add_argument("--out", type=Path, help="Markdown file whose '## extract' section to (re)write")
    args = parser.parse_args(argv)
    if args.child:
        _child(*args.child)
        return 0
    if args.repeat > 0 and args.pairs < 1:
        parser.error("--pairs must be at least 1 (c/a is measured from the pairs)")
    from doc_sections import write_section  # bench/ is on sys.path

    from reportnlp.run.jobs import available_cores, default_jobs

    started = time.monotonic()

    with tempfile.TemporaryDirectory(prefix="reportnlp-perf-") as name:
        tmp = Path(name)
        corpora = _corpora(tmp, args.generated, args.seed, args.corpora) if args.repeat > 0 else []
        print("perf: one-report runs", file=sys.stderr)
        first = _first_record(args.first) if args.first > 0 else None
        results = [_measure(corpus, path, tmp, args.repeat, args.pairs, args.medspacy_sample)
                   for corpus, path, _ in corpora]
        profiles = [] if args.no_profile else _stage_profile(corpora, args.generated, args.seed, args.corpora)
        memory = _memory(tmp, [int(s) for s in args.memory.split(",")], args.seed) if args.memory else []
    # the command as run (its options say how many pairs and repetitions the figures are medians of)
    command = " ".join(["python bench/perf.py", *argv])
    section = _section(_machine(), corpora, results, first, profiles, default_jobs(None, available_cores()),
                       args.generated, command, (time.monotonic() - started) / 60) if corpora or first else ""
    out = [section]
    if memory:
        out += ["### peak memory of `reportnlp extract --jobs 1` by corpus size (generated reports)", "",
                "| reports | peak RSS MB |", "|---:|---:|"]
        out += [f"| {size:,} | {mb:,.0f} |" for size, mb in memory]
        out.append("")
    sys.stdout.write("\n".join(out))
    if args.out and section:
        write_section(args.out, "## extract", section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
