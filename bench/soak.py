"""Soak test: `reportnlp extract` over many generated reports with every kind of bad input mixed in.

Generates N reports into a temporary folder (about 60% plain-text files, 25% one JSONL file, 15% one
CSV file) with a sprinkling of every bad-input kind, runs the real command in a subprocess
(records to stdout, read and checked here line by line), samples the resident memory of the
command and its workers over time, and prints:

* input count == output count, and ids in input order;
* error records by type, and warnings by code;
* memory at 10%, 50% and 90% of the records: of the whole process tree (PSS, so pages the forked
  workers share with the command count once), of the command, and of the largest worker; and the
  peak (flat means the 90% figure is close to the 10% one);
* whether stderr holds any report text (every report carries a marker word; stderr must not).

    python bench/soak.py --n 100000 --jobs 2        # 15 to 60 minutes on 2 cores, by machine load
    python bench/soak.py --n 2000                   # a quick look

Linux only (memory is read from /proc). Nothing is read from any corpus: texts come from
bench/reportgen.py, seeded.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import orjson

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH), str(BENCH.parent)]
from reportgen import generate  # noqa: E402 - the bench folder is not a package

MARKER = "Zanzibarquux"  # stands in for patient data: in every report, never allowed on stderr
PER_FOLDER = 1000


@dataclass
class Inputs:
    paths: list[str]
    expected_ids: list[str] = field(default_factory=list)  # one per report the command must emit


def _text(text: str, i: int) -> str:
    return f"PATIENT: {MARKER} {i}\n{text}"


def _bad_files(folder: Path, big: int) -> list[tuple[str, bytes | None]]:
    """(name, content) of every bad plain-text kind; None for the special files made apart."""
    sample = f"FINDINGS: {MARKER} lytic lesion at L2. No fracture.\n"
    return [
        ("empty.txt", b""),
        ("whitespace.txt", b"  \n\t \r\n"),
        ("nul_bytes.txt", f"{MARKER}\x00\x00binary".encode()),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + MARKER.encode()),
        ("document.txt", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00" + MARKER.encode()),
        ("invalid_utf8.txt", sample.encode() + b"\xff\xfe\xfa"),
        ("utf16_bom.txt", sample.encode("utf-16")),
        ("latin1.txt", f"FINDINGS: {MARKER} l\xe9sion lytique, pas de fracture.\n".encode("latin-1")),
        ("crlf.txt", sample.replace("\n", "\r\n").encode()),
        ("too_large.txt", (sample * (big // len(sample) + 1)).encode()),
        ("long_line.txt", ("No fracture at L4-5. " * 400 + MARKER).encode()),  # 8 kB, no newline
        ("fifo.txt", None),
        ("socket.txt", None),
        ("dangling_link.txt", None),
    ]


def make_inputs(root: Path, n: int, seed: int, big: int) -> Inputs:
    """Write about n reports (each bad kind once per 10,000 good ones, at least once) in input order."""
    folder, jsonl_path, csv_path = root / "reports", root / "export.jsonl", root / "export.csv"
    n_files, n_jsonl = int(n * 0.60), int(n * 0.25)
    n_csv = n - n_files - n_jsonl
    rounds = max(1, n // 10_000)
    inputs = Inputs([str(folder), str(jsonl_path), str(csv_path)])
    reports = generate(n, seed)

    file_ids: list[str] = []
    for i in range(n_files):
        rid, text = next(reports)
        rel = f"{i // PER_FOLDER:04d}/{rid}.txt"
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(_text(text, i))
        file_ids.append(rel)
    for r in range(rounds):
        bad = folder / f"bad_{r:03d}"
        bad.mkdir()
        for name, data in _bad_files(bad, big):
            path = bad / name
            if name == "fifo.txt":
                os.mkfifo(path)
            elif name == "socket.txt":
                with socket.socket(socket.AF_UNIX) as sock:
                    sock.bind(str(path))
            elif name == "dangling_link.txt":
                path.symlink_to(bad / "nowhere")
            else:
                assert data is not None
                path.write_bytes(data)
            file_ids.append(f"bad_{r:03d}/{name}")
        (bad / "loop").symlink_to(bad)  # a symlink loop: walked once, adds nothing
    huge = folder / "huge_50MB.txt"
    with huge.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    file_ids.append(huge.name)
    inputs.expected_ids += sorted(file_ids)

    with jsonl_path.open("wb") as out:
        line = 0
        for i in range(n_jsonl):
            rid, text = next(reports)
            out.write(orjson.dumps({"id": rid, "text": _text(text, i), "site": "north"}) + b"\n")
            line += 1
            inputs.expected_ids.append(rid)
            if i % 10_000 == 5000 or (i == n_jsonl - 1 and n_jsonl < 10_000):
                bad_lines = [
                    f'{{"id": "broken", "text": "{MARKER}'.encode(),  # malformed JSON
                    b'["not", "an object"]',
                    f'{{"id": "no_text", "body": "{MARKER}"}}'.encode(),
                    f'{{"id": "not_a_string", "text": ["{MARKER}"]}}'.encode(),
                    f'{{"id": "surrogate", "text": "{MARKER} \\ud800 lesion"}}'.encode(),
                    orjson.dumps({"id": rid, "text": _text("No fracture.", i)}),  # duplicate id
                    orjson.dumps({"text": f"{MARKER} no id"}),
                ]
                for raw in bad_lines:
                    out.write(raw + b"\n")
                    line += 1
                    obj = None
                    try:
                        obj = json.loads(raw)  # as reportnlp reads it (orjson refuses lone surrogates)
                    except ValueError:
                        pass
                    has_id = isinstance(obj, dict) and isinstance(obj.get("id"), str)
                    inputs.expected_ids.append(obj["id"] if has_id else f"{jsonl_path.name}:{line}")

    with csv_path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "text", "site"])
        for i in range(n_csv):
            rid, text = next(reports)
            writer.writerow([rid, _text(text, i) + ' He said "quoted", then left.', "south"])
            inputs.expected_ids.append(rid)
            if i % 10_000 == 3000 or (i == n_csv - 1 and n_csv < 10_000):
                fh.write(f"ragged,{MARKER},south,extra\n")
                inputs.expected_ids.append(f"{csv_path.name}:{_csv_line(csv_path, fh)}")
                writer.writerow(["empty_text", "  ", "south"])
                inputs.expected_ids.append("empty_text")
                writer.writerow(["", f"{MARKER} no id", "south"])
                inputs.expected_ids.append(f"{csv_path.name}:{_csv_line(csv_path, fh)}")
    return inputs


def _csv_line(path: Path, fh: object) -> int:
    """Physical line number of the row just written (rows hold embedded newlines)."""
    fh.flush()  # type: ignore[attr-defined]
    data = path.read_bytes()
    return data.count(b"\n")


@dataclass
class Watch:
    """What the reader thread saw on stdout."""

    count: int = 0
    ids: list[str] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    warnings: Counter[str] = field(default_factory=Counter)
    bad_lines: int = 0


def read_records(stream: object, watch: Watch) -> None:
    for line in stream:  # type: ignore[attr-defined]
        try:
            record = orjson.loads(line)
        except orjson.JSONDecodeError:
            watch.bad_lines += 1
            continue
        watch.ids.append(record["id"])
        if record["status"] != "ok":
            watch.errors[record["error"]["type"]] += 1
        watch.warnings.update(record["warnings"])
        watch.count += 1


@dataclass(frozen=True)
class Memory:
    """One sample of the process tree (KiB). PSS shares each page among the processes mapping it:
    forked workers share most of their pages with the parent, so summed RSS would count them twice."""

    tree_pss: int
    parent_rss: int
    worker_rss: int  # the largest worker


def _kib(path: Path, key: str) -> int:
    try:
        for line in path.read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def sample_memory(root: int) -> Memory:
    """The command (root) and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            ppid = _kib(entry / "status", "PPid")
            parents[int(entry.name)] = ppid
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        children = [p for p, pp in parents.items() if pp == pid and p not in tree]
        tree.update(children)
        frontier.extend(children)
    workers = [_kib(Path(f"/proc/{p}/status"), "VmRSS") for p in tree if p != root]
    return Memory(
        tree_pss=sum(_kib(Path(f"/proc/{p}/smaps_rollup"), "Pss") for p in tree),
        parent_rss=_kib(Path(f"/proc/{root}/status"), "VmRSS"),
        worker_rss=max(workers, default=0),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="generated good reports (default 100000)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", default=None, help="passed to extract (0: --jobs 1 runs in the command's process)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", action="store_true", help="keep the generated folder (path printed)")
    args = parser.parse_args(argv)
    if not Path("/proc/self/status").exists():
        print("soak: needs Linux /proc to read memory", file=sys.stderr)
        return 0

    tmp = Path(tempfile.mkdtemp(prefix="reportnlp_soak_"))
    t0 = time.monotonic()
    inputs = make_inputs(tmp, args.n, args.seed, big=150_000)
    expected = len(inputs.expected_ids)
    print(f"soak: {expected} input reports generated in {time.monotonic() - t0:.0f} s under {tmp}", file=sys.stderr)

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(BENCH.parent), os.environ.get("PYTHONPATH")]))}
    cmd = [sys.executable, "-m", "reportnlp", "extract", *inputs.paths, "--jobs", str(args.jobs), "--no-progress"]
    if args.timeout is not None:
        cmd += ["--timeout", args.timeout]
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=tmp)
    watch = Watch()
    err_chunks: list[bytes] = []
    readers = [threading.Thread(target=read_records, args=(proc.stdout, watch), daemon=True),
               threading.Thread(target=lambda: err_chunks.append(proc.stderr.read()), daemon=True)]  # type: ignore[union-attr]
    for reader in readers:
        reader.start()
    samples: list[tuple[int, Memory]] = []  # (records so far, memory)
    while proc.poll() is None:
        samples.append((watch.count, sample_memory(proc.pid)))
        time.sleep(1.0)
    for reader in readers:
        reader.join()
    seconds = time.monotonic() - t0
    stderr = b"".join(err_chunks)

    def at(fraction: float) -> Memory:
        due = [m for count, m in samples if count >= fraction * expected and m.tree_pss]
        return due[0] if due else Memory(0, 0, 0)

    def mib(kib: int) -> str:
        return f"{kib / 1024:.0f}"

    ok = watch.count == expected and watch.ids == inputs.expected_ids and watch.bad_lines == 0
    leaked = MARKER.encode() in stderr
    stray = [line for line in stderr.decode("utf-8", "replace").splitlines() if not line.startswith("reportnlp: ")]
    print(f"## soak: `{' '.join(['reportnlp', *cmd[3:]])}`\n")
    print("| check | value |\n|---|---|")
    print(f"| input reports | {expected} |")
    print(f"| output records | {watch.count} ({'equal' if watch.count == expected else 'DIFFERENT'}) |")
    print(f"| ids in input order | {'yes' if watch.ids == inputs.expected_ids else 'NO'} |")
    print(f"| lines that are not JSON | {watch.bad_lines} |")
    print(f"| exit code | {proc.returncode} (1 expected: some reports failed) |")
    print(f"| wall time | {seconds:.0f} s ({watch.count / seconds:.0f} records/s, --jobs {args.jobs}) |")
    m10, m50, m90 = at(0.1), at(0.5), at(0.9)
    for label, field_name in (("process tree (PSS)", "tree_pss"), ("command (RSS)", "parent_rss"),
                              ("largest worker (RSS)", "worker_rss")):
        values = [getattr(m, field_name) for m in (m10, m50, m90)]
        ratio = values[2] / max(values[0], 1)
        print(f"| memory of the {label} at 10% / 50% / 90% of records | {' / '.join(mib(v) for v in values)} MiB "
              f"(90% / 10% = {ratio:.2f}) |")
    peak = max((m.tree_pss for _, m in samples), default=0)
    print(f"| peak memory of the process tree (PSS) | {mib(peak)} MiB |")
    error_lines = stderr.count(b"reportnlp: error: ")
    print(f"| error lines on stderr | {error_lines} (one per error record: {error_lines == sum(watch.errors.values())}) |")
    print(f"| report text on stderr | {'YES' if leaked else 'none'} ({len(stderr.splitlines())} lines, "
          f"{len(stray)} not starting 'reportnlp: ') |")
    print("\n| error type | records |\n|---|---|")
    for kind, count in sorted(watch.errors.items()):
        print(f"| {kind} | {count} |")
    print("\n| warning | records |\n|---|---|")
    for kind, count in sorted(watch.warnings.items()):
        print(f"| {kind} | {count} |")
    if args.keep:
        print(f"\nsoak: inputs kept in {tmp}", file=sys.stderr)
    else:
        subprocess.run(["rm", "-rf", str(tmp)], check=False)
    return 0 if ok and not leaked and not stray and proc.returncode == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
