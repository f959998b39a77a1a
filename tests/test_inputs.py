"""Tests for reportnlp.inputs: one Report per input report, deterministic, never leaking text."""

import io
import json
import os
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportnlp.inputs import InputUsageError, Report, iter_reports, validate_inputs

SECRET = "Zanzibarquux"  # distinctive word standing in for patient data


def read(*paths: Path | str, **kwargs: object) -> list[Report]:
    return list(iter_reports([str(p) for p in paths], **kwargs))  # type: ignore[arg-type]


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def run_with_timeout(paths: list[str], seconds: float = 10) -> list[Report]:
    """Iterate in a thread so a blocking open fails the test instead of hanging the suite."""
    out: list[Report] = []
    worker = threading.Thread(target=lambda: out.extend(iter_reports(paths)), daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), "iter_reports blocked"
    return out


def test_folder_is_recursive_sorted_by_relative_path_and_filtered_by_glob(tmp_path: Path) -> None:
    for rel in ["b.txt", "a0.txt", "a/z.txt", "a/sub/y.txt", "notes.md", "a/skip.csv"]:
        write(tmp_path / rel, f"report {rel}")
    reports = read(tmp_path)
    assert [r.id for r in reports] == ["a/sub/y.txt", "a/z.txt", "a0.txt", "b.txt"]
    assert reports[0].source == {"path": str(tmp_path / "a/sub/y.txt"), "format": "txt",
                                 "line": None, "encoding": "utf-8"}
    assert [r.id for r in read(tmp_path, glob="*.md")] == ["notes.md"]


def test_single_file_id_is_its_file_name(tmp_path: Path) -> None:
    (report,) = read(write(tmp_path / "dir" / "r1.report", "No fracture."))
    assert (report.id, report.text, report.error) == ("r1.report", "No fracture.", None)


def test_stdin_is_one_report_with_id_stdin() -> None:
    (report,) = list(iter_reports(["-"], stdin=io.BytesIO(b"Lytic lesion L2.")))
    assert (report.id, report.text) == ("stdin", "Lytic lesion L2.")
    assert report.source["path"] == "-" and report.source["format"] == "stdin"


def test_crlf_and_surrounding_whitespace_are_preserved(tmp_path: Path) -> None:
    (report,) = read(write(tmp_path / "r.txt", b"  FINDINGS:\r\nNormal.\r\n"))
    assert report.text == "  FINDINGS:\r\nNormal.\r\n"


def test_utf8_bom_is_stripped(tmp_path: Path) -> None:
    (report,) = read(write(tmp_path / "r.txt", "\ufeffImpression: ok".encode()))
    assert report.text == "Impression: ok"
    assert report.source["encoding"] == "utf-8-sig" and report.warnings == ()


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom_is_decoded_with_warning(tmp_path: Path, codec: str) -> None:
    (report,) = read(write(tmp_path / "r.txt", "\ufeffVertebra T12 – fracture".encode(codec)))
    assert report.text == "Vertebra T12 – fracture"
    assert "utf16_bom" in report.warnings


def test_invalid_utf8_is_replaced_with_warning(tmp_path: Path) -> None:
    (report,) = read(write(tmp_path / "r.txt", b"Caf\xe9 lesion"))
    assert report.text == "Caf\ufffd lesion"
    assert report.warnings == ("invalid_utf8_replaced",)


def test_file_with_nul_bytes_is_binary_error(tmp_path: Path) -> None:
    (report,) = read(write(tmp_path / "r.txt", b"PK\x03\x04\x00\x00 " + SECRET.encode()))
    assert report.text is None and report.error is not None
    assert report.error.type == "binary_file"


@pytest.mark.parametrize("content", [b"", b" \r\n\t \n", "\ufeff \u00a0\n".encode()])
def test_empty_or_whitespace_only_file_is_empty_report_error(tmp_path: Path, content: bytes) -> None:
    (report,) = read(write(tmp_path / "r.txt", content))
    assert report.error is not None and report.error.type == "empty_report"
    assert report.text is None


def test_file_over_max_bytes_is_error_without_text(tmp_path: Path) -> None:
    (report,) = read(write(tmp_path / "r.txt", "x" * 101), max_bytes=100)
    assert report.error is not None and report.error.type == "report_too_large"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX FIFOs")
def test_fifo_in_folder_is_error_and_does_not_block(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    write(tmp_path / "real.txt", "ok")
    reports = run_with_timeout([str(tmp_path)])
    assert [(r.id, r.error and r.error.type) for r in reports] == [
        ("pipe.txt", "not_a_regular_file"), ("real.txt", None)]


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_symlink_loop_in_folder_terminates(tmp_path: Path) -> None:
    write(tmp_path / "a" / "r.txt", "ok")
    (tmp_path / "a" / "loop").symlink_to(tmp_path / "a", target_is_directory=True)
    (tmp_path / "a" / "up").symlink_to(tmp_path, target_is_directory=True)
    assert [r.id for r in run_with_timeout([str(tmp_path)])] == ["a/r.txt"]


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_symlinked_directory_is_followed(tmp_path: Path) -> None:
    write(tmp_path / "data" / "r.txt", "ok")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "linked").symlink_to(tmp_path / "data", target_is_directory=True)
    assert [r.id for r in read(tmp_path / "in")] == ["linked/r.txt"]


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_broken_symlink_in_folder_is_unreadable_error(tmp_path: Path) -> None:
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (report,) = read(tmp_path)
    assert report.id == "gone.txt" and report.error is not None
    assert report.error.type == "unreadable_file"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read anything")
def test_unreadable_file_is_error_record(tmp_path: Path) -> None:
    path = write(tmp_path / "r.txt", "secret")
    path.chmod(0)
    try:
        (report,) = read(tmp_path)
    finally:
        path.chmod(0o600)
    assert report.error is not None and report.error.type == "unreadable_file"


def test_csv_custom_columns_and_extra_fields(tmp_path: Path) -> None:
    csv_text = "acc,site,body,year\nA1,north,Lytic lesion.,2021\n7,south,Normal.,2022\n"
    path = write(tmp_path / "reports.csv", csv_text)
    validate_inputs([str(path)], id_field="acc", text_field="body")
    reports = read(path, id_field="acc", text_field="body")
    assert [(r.id, r.text, r.fields) for r in reports] == [
        ("A1", "Lytic lesion.", {"site": "north", "year": "2021"}),
        ("7", "Normal.", {"site": "south", "year": "2022"}),
    ]
    assert [r.source["line"] for r in reports] == [2, 3]
    assert reports[0].source["format"] == "csv"


def test_csv_missing_column_fails_validation_without_echoing_header(tmp_path: Path) -> None:
    path = write(tmp_path / "r.csv", f"1,{SECRET} sclerotic focus\n2,normal\n")  # no header row
    with pytest.raises(InputUsageError) as excinfo:
        validate_inputs([str(path)])
    message = str(excinfo.value)
    assert "'id'" in message and "'text'" in message
    assert SECRET not in message and "\n" not in message


def test_csv_embedded_newlines_quotes_and_bom(tmp_path: Path) -> None:
    body = 'FINDINGS:\r\nT12 "wedge" fracture,\nold.'
    csv_text = '\ufeffid,text\r\n1,"' + body.replace('"', '""') + '"\r\n2,ok\r\n'
    reports = read(write(tmp_path / "r.csv", csv_text.encode()))
    assert [(r.id, r.text) for r in reports] == [("1", body), ("2", "ok")]
    assert [r.source["line"] for r in reports] == [2, 5]


def test_csv_ragged_row_is_error_and_other_rows_are_read(tmp_path: Path) -> None:
    path = write(tmp_path / "r.csv", f"id,text\n1,ok\n2,{SECRET},extra\n3\n4,fine\n")
    reports = read(path)
    assert [(r.id, r.error and r.error.type) for r in reports] == [
        ("1", None), ("r.csv:3", "malformed_csv_row"), ("r.csv:4", "malformed_csv_row"), ("4", None)]
    assert "line 3" in reports[1].error.message  # type: ignore[union-attr]


def test_csv_empty_text_cell_and_missing_id(tmp_path: Path) -> None:
    reports = read(write(tmp_path / "r.csv", "id,text\n1,  \n,has text\n"))
    assert reports[0].error is not None and reports[0].error.type == "empty_report"
    assert (reports[1].id, reports[1].text, reports[1].warnings) == ("r.csv:3", "has text", ("missing_id",))


def test_csv_invalid_utf8_cell_is_replaced_with_warning(tmp_path: Path) -> None:
    (report,) = read(write(tmp_path / "r.csv", b"id,text\n1,Caf\xe9\n"))
    assert report.text == "Caf\ufffd" and report.warnings == ("invalid_utf8_replaced",)


def test_csv_huge_cell_is_error_and_parsing_stays_in_sync(tmp_path: Path) -> None:
    path = write(tmp_path / "r.csv", 'id,text\n1,"' + "x\n" * 100 + '"\n2,ok\n')
    reports = read(path, max_bytes=150)
    assert [(r.id, r.error and r.error.type) for r in reports] == [("1", "report_too_large"), ("2", None)]


def test_jsonl_malformed_line_is_error_with_line_number_and_rest_is_read(tmp_path: Path) -> None:
    bad = f'{{"id": "b", "text": "{SECRET}'
    lines = ['{"id": "a", "text": "one"}', "", bad, '{"id": 3, "text": "three"}']
    reports = read(write(tmp_path / "r.jsonl", "\n".join(lines) + "\n"))
    assert [r.id for r in reports] == ["a", "r.jsonl:3", "3"]
    assert reports[1].error is not None and reports[1].error.type == "malformed_jsonl_line"
    assert "line 3" in reports[1].error.message and SECRET not in reports[1].error.message
    assert [r.source["line"] for r in reports] == [1, 3, 4]


@pytest.mark.parametrize(("line", "error_type"), [
    ('["not", "an object"]', "missing_text_field"),
    ('{"id": "x", "body": "no text key"}', "missing_text_field"),
    ('{"id": "x", "text": 42}', "invalid_text_field"),
    ('{"id": "x", "text": " "}', "empty_report"),
])
def test_jsonl_record_without_usable_text_is_error(tmp_path: Path, line: str, error_type: str) -> None:
    (report,) = read(write(tmp_path / "r.ndjson", line + "\n"))
    assert report.error is not None and report.error.type == error_type


def test_jsonl_extra_fields_are_strings(tmp_path: Path) -> None:
    line = '{"id": "a", "text": "t", "site": "n", "year": 2021, "tags": ["x"], "ok": true}'
    (report,) = read(write(tmp_path / "r.jsonl", line))
    assert report.fields == {"site": "n", "year": "2021", "tags": '["x"]', "ok": "true"}


def test_jsonl_integer_beyond_64_bits_keeps_its_digits(tmp_path: Path) -> None:
    line = '{"id": "a", "text": "t", "accession": 123456789012345678901234567890}\n'
    (report,) = read(write(tmp_path / "r.jsonl", line))
    assert report.fields == {"accession": "123456789012345678901234567890"}


@pytest.mark.parametrize("number", ["-9223372036854775809", "18446744073709551616", "-12345678901234567890"])
def test_jsonl_integer_just_outside_64_bits_keeps_its_digits(tmp_path: Path, number: str) -> None:
    # orjson reads -2**63 - 1 (19 digits) and 2**64 as floats; json keeps them exact
    (report,) = read(write(tmp_path / "r.jsonl", f'{{"id": "a", "text": "t", "n": {number}}}\n'))
    assert report.fields == {"n": number}


def test_jsonl_integer_beyond_64_bits_inside_a_list_keeps_its_digits(tmp_path: Path) -> None:
    line = '{"id": "a", "text": "t", "codes": [12345678901234567890123, 1.5]}\n'
    (report,) = read(write(tmp_path / "r.jsonl", line))
    assert report.fields == {"codes": "[12345678901234567890123, 1.5]"}


_JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=6,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(["a", "b", "n", "v"]), _JSON_VALUE, max_size=4))
def test_jsonl_extra_fields_read_as_python_json_reads_them(tmp_path: Path, extra: dict) -> None:
    # orjson's fast path must never change a value json would read exactly (integers over 64 bits)
    line = json.dumps({"id": "r", "text": "No fracture.", **extra})
    (report,) = read(write(tmp_path / "r.jsonl", line + "\n"))
    assert report.fields == {k: v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
                             for k, v in json.loads(line).items() if k not in ("id", "text")}


def test_jsonl_infinity_and_nan_are_read_as_python_reads_them(tmp_path: Path) -> None:
    (report,) = read(write(tmp_path / "r.jsonl", '{"id": "a", "text": "t", "v": 1e400, "w": NaN}\n'))
    assert report.fields == {"v": "Infinity", "w": "NaN"}


def test_jsonl_lone_surrogate_escape_is_replaced(tmp_path: Path) -> None:
    (report,) = read(write(tmp_path / "r.jsonl", '{"id": "a", "text": "bad \\ud800 char"}\n'))
    assert report.text == "bad \ufffd char" and "invalid_unicode_replaced" in report.warnings


def test_duplicate_ids_are_kept_and_later_ones_flagged(tmp_path: Path) -> None:
    path = write(tmp_path / "r.jsonl", '{"id": "a", "text": "1"}\n{"id": "a", "text": "2"}\n')
    single = write(tmp_path / "x" / "a", "3")
    reports = read(path, single)
    assert [(r.id, r.text, r.warnings) for r in reports] == [
        ("a", "1", ()), ("a", "2", ("duplicate_id",)), ("a", "3", ("duplicate_id",))]


def test_missing_path_is_usage_error(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope")
    with pytest.raises(InputUsageError, match="does not exist"):
        validate_inputs([missing])
    with pytest.raises(InputUsageError, match="does not exist"):
        read(missing)


def test_iteration_is_lazy(tmp_path: Path) -> None:
    reports = iter_reports([str(write(tmp_path / "a.txt", "ok")), str(tmp_path / "missing")])
    assert next(reports).id == "a.txt"  # the later usage error has not fired yet
    with pytest.raises(InputUsageError):
        next(reports)


def test_error_messages_never_contain_report_text(tmp_path: Path) -> None:
    write(tmp_path / "d" / "bin.txt", f"{SECRET}\x00".encode())
    write(tmp_path / "d" / "big.txt", SECRET * 20)
    csv_path = write(tmp_path / "r.csv", f'id,text\n1,{SECRET},{SECRET}\n{SECRET}\n2, \n')
    jsonl = write(tmp_path / "r.jsonl", f'{SECRET}\n{{"id": 1, "text": ["{SECRET}"]}}\n["{SECRET}"]\n')
    reports = read(tmp_path / "d", csv_path, jsonl, max_bytes=100)
    errors = [r.error for r in reports if r.error]
    assert len(errors) == len(reports) == 8
    assert all(SECRET not in e.message and "\n" not in e.message for e in errors)
    assert all(SECRET not in r.id for r in reports)


def test_n_inputs_give_n_reports(tmp_path: Path) -> None:
    for i in range(5):
        write(tmp_path / "d" / f"{i}.txt", "ok" if i % 2 else "")
    csv_path = write(tmp_path / "r.csv", "id,text\n1,a\n2,b,c\n3,\n")
    jsonl = write(tmp_path / "r.jsonl", '{"id": 1, "text": "a"}\n\nnot json\n{"text": "b"}\n')
    reports = list(iter_reports([str(tmp_path / "d"), str(csv_path), str(jsonl), "-"],
                                stdin=io.BytesIO(b"")))
    assert len(reports) == 5 + 3 + 3 + 1


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300))
def test_any_bytes_give_exactly_one_well_formed_report(tmp_path: Path, data: bytes) -> None:
    (report,) = read(write(tmp_path / "r.txt", data))
    assert (report.text is None) == (report.error is not None)
    if report.text is not None:
        assert isinstance(report.text, str)
        report.text.encode("utf-8")  # no lone surrogates: output JSON can always be written
    if report.error is not None:
        assert report.error.message and "\n" not in report.error.message


# --- huge reports: refused with bounded memory, the rest of the file still read -------------------


def test_a_50_mb_report_is_refused_without_being_read(tmp_path: Path) -> None:
    import tracemalloc

    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: 50 MB of NULs without writing them
    line = b'{"id": "a", "text": "' + b"x" * (50 * 1024 * 1024) + b'"}\n'
    jsonl = write(tmp_path / "big.jsonl", line + b'{"id": "b", "text": "ok"}\n')
    del line
    tracemalloc.start()
    reports = read(big, jsonl)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [(r.id, r.error and r.error.type) for r in reports] == [
        ("big.txt", "report_too_large"), ("big.jsonl:1", "report_too_large"), ("b", None)]
    assert peak < 5 * 1024 * 1024


def test_a_csv_cell_far_over_the_limit_fails_alone(tmp_path: Path) -> None:
    path = write(tmp_path / "r.csv", 'id,text\n1,"' + "x" * 3_000_000 + '"\n2,ok\n')
    reports = read(path, max_bytes=1000)
    assert [(r.id, r.error and r.error.type) for r in reports] == [("1", "report_too_large"), ("2", None)]


def test_the_default_limit_refuses_reports_over_1_mb(tmp_path: Path) -> None:
    ok, big = write(tmp_path / "d" / "ok.txt", "x" * 1_000_000), write(tmp_path / "d" / "big.txt", "x" * 1_000_001)
    assert [(r.id, r.error and r.error.type) for r in read(ok, big)] == [("ok.txt", None), ("big.txt", "report_too_large")]
