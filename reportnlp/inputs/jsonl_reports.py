"""JSON Lines exports: one report per object, parsed with orjson and json's slower path for what orjson refuses."""

import codecs
import gzip
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import orjson

from reportnlp.inputs.report import ReadError, Report, name_id, os_error, printable_name, report_id, scrub, source_of, too_large

_LONG_NUMBER = re.compile(rb"\d{19}")  # below -2**63 (19 digits) or over 2**64 - 1 (20)
# A file's read buffer: the default (the file system's block, often 4 kB) took a read call and a joined line for
# about every second public report (session 24).
READ_BUFFER = 1 << 20
_NESTED_OR_FLOAT = (dict, list, float)


def _plain_object(obj: object) -> bool:
    """An object whose values orjson cannot have read differently from json: no floats, nothing nested.

    orjson reads an integer outside 64 bits (below -2**63, over 2**64 - 1) as a float (json keeps it
    exact), so a line holding a float anywhere is searched for a number of 19 digits or more; checking
    the parsed values is about 40x cheaper than that search over a report's bytes (0.3 vs 12 us), and a
    plain object is what almost every export writes.
    """
    return type(obj) is dict and not any(type(v) in _NESTED_OR_FLOAT for v in obj.values())


def _jsonl_lines(fh: BinaryIO, max_bytes: int) -> Iterator[tuple[int, bytes | None]]:
    """Yield (line number, line), or None for a line over max_bytes, which is skipped unread."""
    lineno = 0
    while line := fh.readline(max_bytes + 1):
        lineno += 1
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while (rest := fh.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield lineno, None
        else:
            yield lineno, line


def _two_ascii_strings(obj: object, id_field: str, text_field: str, source: dict,
                       name_warnings: tuple[str, ...]) -> Report | None:
    """The Report of what almost every export writes, an object of an ASCII id and text and nothing else; None
    for anything else. It is :func:`_jsonl_report`'s for such an object (ASCII holds no lone surrogate to
    scrub), at half its cost: the command reads every report in the one process all of them pass through."""
    if type(obj) is not dict or len(obj) != 2:
        return None
    rid, text = obj.get(id_field), obj.get(text_field)
    if type(rid) is not str or type(text) is not str or not (rid.isascii() and text.isascii()):
        return None
    rid = rid.strip()
    if not rid or not text.strip():
        return None
    return Report(rid, text, source, None, name_warnings, {})


def _jsonl_report(obj: object, lineno: int, source: dict, fallback: str, warnings: list[str],
                  id_field: str, text_field: str) -> Report:
    if not isinstance(obj, dict):
        error = ReadError("missing_text_field", f"line {lineno} is JSON but not an object")
        return Report(fallback, None, source, error, tuple(warnings))
    rid = report_id(obj.get(id_field))
    if rid is None:
        rid = fallback
        warnings.append("missing_id")
    extra = {
        scrub(str(key), warnings, "invalid_unicode_replaced"):
        scrub(val if isinstance(val, str) else json.dumps(val, ensure_ascii=False),
               warnings, "invalid_unicode_replaced")
        for key, val in obj.items() if key not in (id_field, text_field)
    }
    text, error = obj.get(text_field), None
    if text_field not in obj:
        error = ReadError("missing_text_field", f"line {lineno} has no {text_field!r} field")
    elif not isinstance(text, str):
        kind = type(text).__name__
        error = ReadError("invalid_text_field", f"{text_field!r} on line {lineno} is {kind}, not a string")
    elif not text.strip():
        error = ReadError("empty_report", f"field {text_field!r} on line {lineno} is empty")
    else:
        text = scrub(text, warnings, "invalid_unicode_replaced")
    rid = scrub(rid, warnings, "invalid_unicode_replaced")
    return Report(rid, None if error else text, source, error, tuple(dict.fromkeys(warnings)), extra)


def iter_jsonl(path: Path | None, id_field: str, text_field: str, max_bytes: int,
               stream: BinaryIO | None = None) -> Iterator[Report]:
    """The objects of ``path`` (``.gz`` decompressed), or of ``stream`` (stdin, path None), one per line."""
    where = "-" if path is None else str(path)
    name, name_warnings = ("stdin", ()) if path is None else name_id(path.name)
    try:
        if path is None:
            fh: BinaryIO = stream  # type: ignore[assignment]
        elif path.name.lower().endswith(".gz"):
            fh = gzip.open(path, "rb")  # type: ignore[assignment]
        else:
            fh = path.open("rb", buffering=READ_BUFFER)
    except OSError as exc:
        yield Report(name, None, source_of(where, "jsonl"), os_error("cannot open file", exc), name_warnings)
        return
    lineno = [0]  # the last line read, for an error while reading the next
    try:
        yield from _objects(fh, where, name, name_warnings, id_field, text_field, max_bytes, lineno)
    except (OSError, EOFError) as exc:  # a truncated or corrupt .gz, a read error
        line = lineno[0] + 1
        msg = f"line {line} could not be read ({type(exc).__name__}); the rest of the file was not read"
        yield Report(f"{name}:{line}", None, source_of(where, "jsonl", line, "utf-8"),
                     ReadError("unreadable_file", msg), name_warnings)
    finally:
        if path is not None:
            fh.close()


def _objects(fh: BinaryIO, where: str, name: str, name_warnings: tuple[str, ...], id_field: str, text_field: str,
             max_bytes: int, position: list[int]) -> Iterator[Report]:
    shown = printable_name(where)  # source_of's path, once per file
    for lineno, raw in _jsonl_lines(fh, max_bytes):
        position[0] = lineno
        source = {"path": shown, "format": "jsonl", "line": lineno, "encoding": "utf-8"}
        if raw is None:
            yield Report(f"{name}:{lineno}", None, source, too_large(max_bytes), name_warnings)
            continue
        raw = raw.removeprefix(codecs.BOM_UTF8) if lineno == 1 else raw
        try:  # the common case, in one C call; whatever orjson refuses is read as before
            obj = orjson.loads(raw)
        except orjson.JSONDecodeError:
            if not raw.strip():  # a blank line (orjson refuses it) holds no report
                continue
            parsed = False
        else:
            if (report := _two_ascii_strings(obj, id_field, text_field, source, name_warnings)) is not None:
                yield report
                continue
            parsed = _plain_object(obj) or not _LONG_NUMBER.search(raw)
        fallback, warnings = f"{name}:{lineno}", list(name_warnings)
        if parsed:
            yield _jsonl_report(obj, lineno, source, fallback, warnings, id_field, text_field)
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            line = raw.decode("utf-8", "replace")
            warnings.append("invalid_utf8_replaced")
        try:
            obj = json.loads(line)
        except (ValueError, RecursionError) as exc:  # JSONDecodeError, huge ints, deep nesting
            detail = ""
            if isinstance(exc, json.JSONDecodeError):
                detail = f" ({exc.msg} at column {exc.colno})"
            error = ReadError("malformed_jsonl_line", f"line {lineno} is not valid JSON{detail}")
            yield Report(fallback, None, source, error, tuple(warnings))
            continue
        yield _jsonl_report(obj, lineno, source, fallback, warnings, id_field, text_field)
