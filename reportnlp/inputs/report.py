"""What one input report is: its id, text or read error, where it came from, and the shared helpers
every reader uses to fill one in. Messages never contain report text (patient data)."""

from dataclasses import dataclass, field

# The largest report processed by default. Time grows linearly with size, a few seconds per MB
# (docs/robustness.md, bench/report_size.py); the longest MTSamples note is 18 kB, so a bigger
# "report" is most likely a whole export in one cell. `--max-report-bytes` raises it.
MAX_BYTES = 1_000_000


class InputUsageError(Exception):
    """Problems found before any work starts (CLI exit code 2); one line, never report text."""


@dataclass(frozen=True, slots=True)
class ReadError:
    type: str
    message: str


@dataclass(frozen=True, slots=True)
class Report:
    id: str
    text: str | None
    source: dict
    error: ReadError | None = None
    warnings: tuple[str, ...] = ()
    fields: dict = field(default_factory=dict)


def source_of(path: str, fmt: str, line: int | None = None, encoding: str | None = None) -> dict:
    return {"path": printable_name(path), "format": fmt, "line": line, "encoding": encoding}


# A file name that is not valid UTF-8 (POSIX names are bytes) reaches Python with its bad bytes as lone
# surrogates ("surrogateescape"), which no JSON writer accepts. Such a name is shown with each bad byte as
# the four characters \xNN (and, in that name only, each backslash doubled, so the escape is reversible),
# and its reports get this warning. Valid names are never changed.
UNDECODABLE_NAME = "undecodable_file_name"


def printable_name(name: str) -> str:
    """``name`` itself when it is valid Unicode; else with undecodable bytes as ``\\xNN`` (see UNDECODABLE_NAME)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        doubled = name.replace("\\", "\\\\")
        try:
            return doubled.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:  # a surrogate that is no escaped byte (not from a file system)
            return doubled.encode("utf-8", "backslashreplace").decode("utf-8")
    return name


def name_id(name: str) -> tuple[str, tuple[str, ...]]:
    """A file name as a report id, and the warnings that go with it (UNDECODABLE_NAME when escaped)."""
    shown = printable_name(name)
    return shown, (() if shown == name else (UNDECODABLE_NAME,))


def too_large(max_bytes: int) -> ReadError:
    return ReadError("report_too_large", f"report exceeds the {max_bytes}-byte limit (--max-report-bytes); not read")


def os_error(what: str, exc: OSError) -> ReadError:
    return ReadError("unreadable_file", f"{what}: {exc.strerror or type(exc).__name__}")


def scrub(value: str, warnings: list[str], warning: str) -> str:
    """Lone surrogates (undecodable CSV bytes, JSON "\\ud800" escapes) would break JSON writers."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        warnings.append(warning)
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return value


def report_id(value: object) -> str | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    return (value.strip() or None) if isinstance(value, str) else None
