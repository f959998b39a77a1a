"""Bytes to a Report: the decoding rule for plain-text reports (UTF-16 BOM, NUL bytes, UTF-8 with
replacement), and reading at most ``max_bytes`` of a file without ever blocking on a FIFO; a file whose
name ends in ``.gz`` is decompressed, and ``max_bytes`` bounds its decompressed size."""

import codecs
import gzip
import os
import stat
import zlib
from pathlib import Path

from reportnlp.inputs.report import ReadError, Report, os_error, too_large


def text_report(rid: str, source: dict, data: bytes | ReadError, max_bytes: int,
                name_warnings: tuple[str, ...] = ()) -> Report:
    """Turn raw bytes into a Report by the decoding rule in the module docstring; ``name_warnings``
    (from :func:`reportnlp.inputs.report.name_id`) come first in its warnings."""
    if isinstance(data, ReadError):
        return Report(rid, None, source, data, name_warnings)
    if len(data) > max_bytes:
        return Report(rid, None, source, too_large(max_bytes), name_warnings)
    warnings: list[str] = list(name_warnings)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
        warnings.append("utf16_bom")
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            text = data.decode(encoding, "replace")
            warnings.append("invalid_utf16_replaced")
    elif b"\x00" in data:
        return Report(rid, None, source, ReadError("binary_file", "file contains NUL bytes (binary?)"), name_warnings)
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
        if is_gzip(path.name):
            return _gunzip(fh, max_bytes)
        if stat.S_ISREG(st.st_mode) and st.st_size > max_bytes:
            return too_large(max_bytes)
        try:
            return fh.read(max_bytes + 1)
        except OSError as exc:
            return os_error("cannot read file", exc)


def is_gzip(name: str) -> bool:
    """Whether a file is read through gzip: its name ends in ``.gz`` (any case)."""
    return name.lower().endswith(".gz")


def _gunzip(fh: object, max_bytes: int) -> bytes | ReadError:
    try:
        with gzip.GzipFile(fileobj=fh, mode="rb") as gz:  # type: ignore[arg-type]
            return gz.read(max_bytes + 1)
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        return ReadError("corrupt_gzip", f"not a readable gzip file ({type(exc).__name__})")
    except OSError as exc:
        return os_error("cannot read file", exc)
