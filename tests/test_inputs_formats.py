"""Inputs people have (issue #17.4, #19.7, #19.8): undecodable file names, CSV bytes and huge cells,
gzip, Parquet, CSV/JSONL on stdin, case-insensitive globs, empty reports kept, and the cheap counts
behind the progress bar's total."""

from __future__ import annotations

import csv
import gzip
import io
import os
import re
import sys
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportnlp.engines.partitions import partition_reports, plan
from reportnlp.inputs import InputUsageError, Report, count_reports, csv_reports, iter_reports, printable_name, validate_inputs

posix_bytes_names = pytest.mark.skipif(sys.platform == "darwin" or os.name == "nt",
                                       reason="needs a file system that stores names as bytes")


def read(*paths: Path | str, **kwargs: object) -> list[Report]:
    return list(iter_reports([str(p) for p in paths], **kwargs))  # type: ignore[arg-type]


def unescape(shown: str) -> bytes:
    """The documented way back from an id flagged undecodable_file_name to the name's bytes."""
    out = re.sub(r"\\\\|\\x([0-9a-f]{2})", lambda m: "\\" if m[1] is None else chr(0xDC00 + int(m[1], 16)), shown)
    return os.fsencode(out)


@posix_bytes_names
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.binary(min_size=1, max_size=12).filter(lambda b: b"/" not in b and b"\0" not in b
                                                       and b not in (b".", b"..")))
def test_any_file_name_gives_a_json_safe_reversible_id(tmp_path_factory: pytest.TempPathFactory, name: bytes) -> None:
    folder = tmp_path_factory.mktemp("names")
    (Path(os.fsdecode(bytes(folder))) / os.fsdecode(name)).write_bytes(b"No fracture.")
    (report,) = read(folder, glob="*")
    orjson.dumps(report.id), orjson.dumps(report.source)  # a surrogate would raise TypeError
    try:
        name.decode("utf-8")
    except UnicodeDecodeError:
        assert report.warnings[0] == "undecodable_file_name"
        assert unescape(report.id) == name
    else:
        assert report.id == name.decode() and "undecodable_file_name" not in report.warnings


@posix_bytes_names
def test_an_undecodable_name_is_shown_with_xNN_and_read(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    Path(os.fsdecode(os.fsencode(tmp_path) + b"/in/caf\xe9\\.txt")).write_bytes(b"Lytic lesion.")
    (report,) = read(tmp_path / "in")
    assert report.id == "caf\\xe9\\\\.txt"  # the bad byte as \xe9, the name's backslash doubled
    assert report.source["path"].endswith("in/caf\\xe9\\\\.txt")
    assert report.text == "Lytic lesion." and report.warnings == ("undecodable_file_name",)
    assert printable_name("café.txt") == "café.txt"
    Path(os.fsdecode(os.fsencode(tmp_path) + b"/in/\xff16.txt")).write_bytes("\ufeffNo fracture.".encode("utf-16-le"))
    assert read(tmp_path / "in")[-1].warnings == ("undecodable_file_name", "utf16_bom")


def test_invalid_bytes_in_a_csv_header_cost_no_row(tmp_path: Path) -> None:
    (tmp_path / "h.csv").write_bytes(b"id,s\xe9te,text\n1,a,No fracture.\n2,b,Lytic lesion.\n")
    reports = read(tmp_path / "h.csv")
    assert [(r.id, r.text, r.warnings) for r in reports] == [
        ("1", "No fracture.", ("invalid_utf8_replaced",)), ("2", "Lytic lesion.", ("invalid_utf8_replaced",))]
    assert reports[0].fields == {"s\ufffdte": "a"}
    orjson.dumps(reports[0].fields)


@pytest.mark.parametrize("big", ['"' + 'x"" \n' * 60 + '"', "y" * 300])
def test_a_cell_over_the_field_limit_costs_its_row_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         big: str) -> None:
    monkeypatch.setattr(csv_reports, "CSV_FIELD_LIMIT", 100)
    old = csv.field_size_limit(100)
    try:
        (tmp_path / "big.csv").write_text(f"id,text\n1,first\n2,{big}\n3,\"third, \"\"quoted\"\"\"\n4,fourth\n")
        reports = read(tmp_path / "big.csv", max_bytes=20)
    finally:
        csv.field_size_limit(old)
    assert [r.id for r in reports] == ["1", "big.csv:3", "3", "4"]
    assert reports[1].error is not None and reports[1].error.type == "report_too_large"
    assert reports[2].source["line"] == (64 if big.startswith('"') else 4)
    assert [r.text for r in reports[2:]] == ['third, "quoted"', "fourth"]


def test_gzip_files_are_read_like_their_plain_selves(tmp_path: Path) -> None:
    plain = {"r.csv": b"id,text,site\n1,No fracture.,A\n", "r.jsonl": b'{"id": "2", "text": "Lytic lesion."}\n',
             "r.txt": b"Disc bulge at L4-5."}
    for name, data in plain.items():
        (tmp_path / name).write_bytes(data)
        (tmp_path / "gz").mkdir(exist_ok=True)
        (tmp_path / "gz" / f"{name}.gz").write_bytes(gzip.compress(data))
    for name in plain:
        (want,), (got,) = read(tmp_path / name), read(tmp_path / "gz" / f"{name}.gz")
        assert (got.text, got.fields, got.source["format"]) == (want.text, want.fields, want.source["format"])
    (folder_report,) = read(tmp_path / "gz", glob="*.txt.gz")
    assert (folder_report.id, folder_report.text) == ("r.txt.gz", "Disc bulge at L4-5.")
    (tmp_path / "gz" / "bad.txt.gz").write_bytes(b"not gzip at all")
    bad = read(tmp_path / "gz", glob="*.txt.gz")[0]
    assert bad.id == "bad.txt.gz" and bad.error is not None and bad.error.type == "corrupt_gzip"


def test_gzip_limits_the_decompressed_size(tmp_path: Path) -> None:
    (tmp_path / "bomb.txt.gz").write_bytes(gzip.compress(b"a" * 10_000))
    (report,) = read(tmp_path / "bomb.txt.gz", max_bytes=1000)
    assert report.error is not None and report.error.type == "report_too_large"


@pytest.mark.parametrize(("fmt", "data"), [
    ("csv", b'id,text,site\n1,"No\nfracture.",A\n2,Lytic lesion.,B\n'),
    ("jsonl", b'{"id": 1, "text": "No\\nfracture.", "site": "A"}\n{"id": "2", "text": "Lytic lesion.", "site": "B"}\n'),
])
def test_csv_and_jsonl_stream_on_stdin(fmt: str, data: bytes) -> None:
    reports = list(iter_reports(["-"], stdin=io.BytesIO(data), input_format=fmt))
    assert [(r.id, r.text, r.fields) for r in reports] == [("1", "No\nfracture.", {"site": "A"}),
                                                          ("2", "Lytic lesion.", {"site": "B"})]
    assert reports[0].source == {"path": "-", "format": fmt, "line": 2 if fmt == "csv" else 1, "encoding": "utf-8"}
    (text,) = iter_reports(["-"], stdin=io.BytesIO(data))  # the default is still one text report
    assert text.id == "stdin"


def test_a_csv_on_stdin_without_the_columns_is_a_usage_error() -> None:
    with pytest.raises(InputUsageError, match="lacks column"):
        list(iter_reports(["-"], stdin=io.BytesIO(b"a,b\n1,2\n"), input_format="csv"))


def test_glob_case_insensitive_and_a_warning_when_nothing_matches(tmp_path: Path) -> None:
    for name in ("A.TXT", "b.rpt", "c.Txt"):
        (tmp_path / name).write_text("No fracture.")
    said: list[str] = []
    assert read(tmp_path, notice=said.append) == []
    assert said == [f"{tmp_path}: no file matches --glob '*.txt'; it holds 1 *.TXT, 1 *.Txt, 1 *.rpt; "
                    "2 would match with --glob-case insensitive"]
    assert [r.id for r in read(tmp_path, glob_case="insensitive")] == ["A.TXT", "c.Txt"]


def test_empty_reports_are_kept_and_flagged_with_empty_ok(tmp_path: Path) -> None:
    (tmp_path / "e.csv").write_text("id,text\n1,\n2,  \n3,No fracture.\n")
    strict = read(tmp_path / "e.csv")
    assert [r.error.type if r.error else None for r in strict] == ["empty_report", "empty_report", None]
    kept = read(tmp_path / "e.csv", empty="ok")
    assert [(r.text, r.error, r.warnings) for r in kept[:2]] == [("", None, ("empty_report",))] * 2


def test_parquet_needs_pyarrow_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "r.parquet").write_bytes(b"PAR1")
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(InputUsageError, match=re.escape("reading Parquet needs pyarrow: pip install 'reportnlp[parquet]'")):
        validate_inputs([str(tmp_path / "r.parquet")])


def test_parquet_rows_are_reports(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    table = pa.table({"id": ["00123", None, "3"], "text": ["No fracture.", "Lytic lesion.", None], "year": [2020, 2021, None]})
    pq.write_table(table, tmp_path / "r.parquet")
    validate_inputs([str(tmp_path / "r.parquet")])
    reports = read(tmp_path / "r.parquet")
    assert [(r.id, r.text, r.fields) for r in reports] == [
        ("00123", "No fracture.", {"year": "2020"}), ("r.parquet:2", "Lytic lesion.", {"year": "2021"}),
        ("3", None, {"year": "null"})]
    assert reports[1].warnings == ("missing_id",) and reports[2].error.type == "empty_report"  # type: ignore[union-attr]
    assert reports[0].source == {"path": str(tmp_path / "r.parquet"), "format": "parquet", "line": 1, "encoding": "utf-8"}
    assert count_reports([str(tmp_path / "r.parquet")]) == 3
    with pytest.raises(InputUsageError, match="lacks column"):
        validate_inputs([str(tmp_path / "r.parquet")], id_field="accession")


def test_counts_are_cheap_and_never_read_stdin(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    for i in range(3):
        (tmp_path / "d" / f"{i}.txt").write_text("x")
    (tmp_path / "r.csv").write_text('id,text\n1,"a\nb"\n2,"x ""q""\n"\n3,c')
    (tmp_path / "r.jsonl").write_text('{"id": 1, "text": "a"}\n\n{"id": 2, "text": "b"}\n')
    assert count_reports([str(tmp_path / "d"), str(tmp_path / "r.csv"), str(tmp_path / "r.jsonl")]) == 3 + 3 + 2
    assert count_reports([str(tmp_path / "d"), "-"]) is None
    assert len(read(tmp_path / "r.csv")) == 3 and len(read(tmp_path / "r.jsonl")) == 2


@posix_bytes_names
def test_dask_partitions_read_the_new_inputs_as_a_local_run_does(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    folder = os.fsencode(tmp_path / "in")
    for name, data in ((b"caf\xe9.txt", b"Lytic lesion."), (b"empty.txt", b""), (b"z.txt.gz", gzip.compress(b"Disc bulge."))):
        Path(os.fsdecode(folder + b"/" + name)).write_bytes(data)
    (tmp_path / "e.csv.gz").write_bytes(gzip.compress(b"id,text\n1,\n2,ok\n"))
    inputs = [str(tmp_path / "in"), str(tmp_path / "e.csv.gz"), str(tmp_path / "in")]
    for options in ({"glob": "*.txt*"}, {"glob": "*.TXT*", "glob_case": "insensitive", "empty": "ok"}):
        local = list(iter_reports(inputs, **options))  # type: ignore[arg-type]
        parts = list(plan(inputs, size=2, **options))  # type: ignore[arg-type]
        assert [r for p in parts for r in partition_reports(p)] == local
        assert all(orjson.dumps(p.ids_sha256) for p in parts)


cell_bytes = st.binary(max_size=8).filter(lambda b: not set(b) & set(b',"\r\n\0'))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(header=cell_bytes.filter(lambda b: b not in (b"id", b"text")), ids=st.lists(cell_bytes, min_size=1, max_size=4))
def test_any_csv_id_and_header_bytes_give_one_json_safe_report_per_row(tmp_path_factory: pytest.TempPathFactory,
                                                                        header: bytes, ids: list[bytes]) -> None:
    path = tmp_path_factory.mktemp("csv") / "r.csv"
    path.write_bytes(b"id,text," + header + b"\n" + b"".join(rid + b",No fracture.,x\n" for rid in ids))
    reports = read(path)
    assert len(reports) == len(ids) and all(r.error is None for r in reports)
    for report in reports:
        orjson.dumps([report.id, report.fields, report.warnings])
    parts = [r for p in plan([str(path)], size=1) for r in partition_reports(p)]
    assert parts == reports


@pytest.mark.parametrize(("name", "data"), [
    ("r.csv.gz", b"id,text\n" + b"".join(b"%d,No fracture number %d.\n" % (i, i) for i in range(3000))),
    ("r.jsonl.gz", b"".join(b'{"id": %d, "text": "No fracture number %d."}\n' % (i, i) for i in range(3000))),
])
def test_a_truncated_gz_keeps_the_rows_before_and_ends_with_one_error(tmp_path: Path, name: str, data: bytes) -> None:
    packed = gzip.compress(data)
    (tmp_path / name).write_bytes(packed[: len(packed) // 2])
    reports = read(tmp_path / name)
    assert len(reports) > 1 and all(r.error is None for r in reports[:-1])
    last = reports[-1]
    assert last.error is not None and last.error.type in ("csv_parse_error", "unreadable_file")
    assert last.id == f"{name}:{last.source['line']}" and "could not be read (EOFError)" in last.error.message


@posix_bytes_names
def test_show_finds_the_text_of_an_escaped_id_in_a_folder(tmp_path: Path) -> None:
    from reportnlp.show.source import load_view

    (tmp_path / "in").mkdir()
    Path(os.fsdecode(os.fsencode(tmp_path / "in") + b"/caf\xe9.rpt")).write_bytes(b"Lytic lesion.")
    record = {"schema_version": "1.0", "id": "caf\\xe9.rpt", "status": "ok", "labels": {}, "source": {}}
    (tmp_path / "records.jsonl").write_bytes(orjson.dumps(record) + b"\n")
    got, text = load_view(str(tmp_path / "records.jsonl"), "caf\\xe9.rpt", str(tmp_path / "in"), glob="*.rpt")
    assert (got["id"], text) == ("caf\\xe9.rpt", "Lytic lesion.")
