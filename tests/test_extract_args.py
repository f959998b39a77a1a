"""The ``extract`` command lines read without typer give exactly what typer gives, or are left to typer."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
import typer.main
from hypothesis import given, settings
from hypothesis import strategies as st

from reportnlp.cli.commands import app
from reportnlp.cli.extract_args import DEFAULTS, parse_extract

from .conftest import PACKAGE_ROOT

EXTRACT = typer.main.get_command(app).commands["extract"]  # type: ignore[attr-defined]


def typer_values(args: list[str]) -> dict[str, Any]:
    """The values typer's click command gives ``extract`` for these arguments."""
    values = dict(EXTRACT.make_context("extract", list(args)).params)
    values["inputs"] = list(values["inputs"])
    return values


def test_every_option_of_extract_is_known_with_its_default() -> None:
    options = {p.name: p.default for p in EXTRACT.params if p.name != "inputs"}
    assert options == DEFAULTS


@pytest.mark.parametrize("args", [
    ["-"],
    ["reports/", "a.csv", "-o", "out.jsonl", "--jobs", "2"],
    ["--jobs=3", "x.jsonl", "--no-progress", "--timeout", "2.5", "--debug"],
    ["-j", "1", "-", "--input-format", "jsonl", "--id-column", "accession", "--text-column=body", "--resume"],
    ["x", "--engine", "dask", "--workers", "2", "--partition-size", "100", "--dashboard-address", "0.0.0.0:1"],
    ["x", "--glob", "*.rpt", "--glob-case", "insensitive", "--empty", "ok", "--max-report-bytes", "500", "--progress"],
    ["x", "--format", "csv", "--patient-column", "mrn", "--date-column", "d", "--matcher", "medspacy", "--timeout", "0"],
    ["x", "--engine=spark", "--master", "local[2]", "--parquet", "-o", "out", "--patterns", "rules/", "-o", "-"],
])
def test_common_command_lines_are_read_as_typer_reads_them(args: list[str]) -> None:
    fast = parse_extract(args)
    assert fast is not None
    assert fast == typer_values(args)


@pytest.mark.parametrize("args", [
    [], ["--help"], ["x", "--jobs", "0"], ["x", "--jobs", "two"], ["x", "-j2"], ["x", "--jobs"], ["x", "--job", "2"],
    ["x", "--", "-y"], ["x", "--timeout", "1e3"], ["x", "--debug=yes"], ["x", "-o", "--debug"],
])
def test_anything_else_is_left_to_typer(args: list[str]) -> None:
    assert parse_extract(args) is None


TOKENS = st.sampled_from([
    "-", "a.txt", "dir/", "--jobs", "-j", "--timeout", "--max-report-bytes", "--workers", "-o", "--output", "--glob",
    "--format", "--engine", "--empty", "--resume", "--debug", "--parquet", "--progress", "--no-progress", "--help",
    "--", "0", "1", "2", "08", "1.5", "-1", "x", "", "--jobs=4", "--timeout=0.5", "-o=x", "--bogus", "ok", "-x",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(TOKENS, max_size=8))
def test_whenever_the_fast_reading_answers_it_is_typers(args: list[str]) -> None:
    fast = parse_extract(args)
    if fast is not None:
        assert fast == typer_values(args)


NOT_ON_THE_HOT_PATH = {"typer", "click", "rich", "pyarrow", "pandas", "dask", "distributed", "pyspark", "jinja2", "requests",
                       "medspacy", "weasel"}


def test_a_common_extract_imports_no_typer_nor_optional_heavy_packages() -> None:
    code = ("import os, sys\nimport reportnlp.cli.app as cli\n"
            f"cli._exit = lambda code: (print(sorted({{m.split('.')[0] for m in sys.modules}} & {NOT_ON_THE_HOT_PATH!r}), "
            "file=sys.stderr), os._exit(code))\n"
            "sys.argv = ['reportnlp', 'extract', '-']\ncli.main()\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(PACKAGE_ROOT), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, "-c", code], input=b"No fracture.\n", capture_output=True, env=env, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert b"[]" in done.stderr.splitlines()
