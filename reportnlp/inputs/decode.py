"""Bytes to a Report: the decoding rule for plain-text reports (UTF-16 BOM, NUL bytes, UTF-8 with
replacement), and reading at most ``max_bytes`` of a file without ever blocking on a FIFO."""

import codecs
import os
import stat
from pathlib import Path

from reportnlp.inputs.report import ReadError, Report, os_error, too_large


def text_report(rid: str, source: dict, data: bytes | ReadError, max_bytes: int) -> Report:
    """Turn raw bytes into a Report by the decoding rule in the module docstring."""
    if isinstance(data, ReadError):
        return Report(rid, None, source, data)
    if len(data) > max_bytes:
        return Report(rid, None, source, too_large(max_bytes))
    warnings: list[str] = []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, warnings = "utf-16", ["utf16_bom"]
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            text = data.decode(encoding, "replace")
            warnings.append("invalid_utf16_replaced")
    elif b"\x00" in data:
        return Report(rid, None, source, ReadError("binary_file", "file contains NUL bytes (binary?)"))
    else:
        encoding = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            text = data.decode(encoding, "replace")
            warnings.append("invalid_utf8_replaced")
    source = {**source, "encoding": encoding}
    if not text.strip():
        error = ReadError("empty_report", "report is empty or whitespace-only")
        return Report(rid, None, source, error, tuple(warnings))
    return Report(rid, text, source, None, tuple(warnings))


def read_bytes(path: Path, max_bytes: int, *, regular_only: bool) -> bytes | ReadError:
    """Read at most max_bytes + 1 bytes; with regular_only, never open FIFOs, sockets or devices."""
    try:
        if regular_only and not stat.S_ISREG(path.stat().st_mode):
            return ReadError("not_a_regular_file", "not a regular file (FIFO, socket or device); skipped")
        nonblock = getattr(os, "O_NONBLOCK", 0) if regular_only else 0  # a swapped-in FIFO can't block
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0) | nonblock)
    except FileNotFoundError:
        return ReadError("unreadable_file", "file not found (broken symlink, or removed during the run)")
    except OSError as exc:
        return os_error("cannot open file", exc)
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fd)
        if regular_only and not stat.S_ISREG(st.st_mode):
            return ReadError("not_a_regular_file", "not a regular file (FIFO, socket or device); skipped")
        if stat.S_ISREG(st.st_mode) and st.st_size > max_bytes:
            return too_large(max_bytes)
        try:
            return fh.read(max_bytes + 1)
        except OSError as exc:
            return os_error("cannot read file", exc)
