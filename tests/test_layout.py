"""The package layout: stages in subpackages, imports pointing one way, no private helpers across stages."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "reportnlp"
STAGES = ("cli", "inputs", "nlp", "records", "run", "engines", "summary", "show", "render", "evaluation", "tables")


def _modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found.append((name, path))
    return found


def _imports(path: Path, module: str) -> list[tuple[str, str, int]]:
    """(imported module, imported name, line) of every ``from X import name`` in a file, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package.split(".")[: len(package.split(".")) - node.level + 1], base]).strip(".")
            found += [(base, alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [(alias.name, "", node.lineno) for alias in node.names]
    return found


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "reportnlp" and parts[1] in STAGES else None


def test_import_linter_contracts_are_kept() -> None:
    """The contracts in pyproject.toml (layers cli -> engines -> run -> records -> nlp -> inputs; no spaCy in
    summary, show, evaluation) hold for the source tree."""
    pytest.importorskip("importlinter")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports())"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]


def test_every_module_lives_in_a_stage() -> None:
    loose = [name for name, path in _modules() if name.count(".") == 1 and _stage(name) is None
             and name not in ("reportnlp.__main__", "reportnlp.version", "reportnlp.spark")]
    assert loose == []


def test_every_package_ships_in_the_wheel() -> None:
    """pyproject.toml lists the packages by name: a new subpackage left off the list is missing from an installed
    reportnlp (the source tree's tests import it, the wheel does not have it; session 18's records/labels/)."""
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    packages = {".".join(path.parent.relative_to(ROOT).parts) for path in PACKAGE.rglob("__init__.py")}
    assert packages - listed == set()


def test_every_stage_says_its_job_in_its_docstring() -> None:
    for stage in STAGES:
        init = PACKAGE / stage / "__init__.py"
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc, f"reportnlp/{stage}/__init__.py has no docstring"


def test_no_private_name_is_imported_from_another_stage() -> None:
    offences = []
    for module, path in _modules():
        here = _stage(module)
        for target, name, line in _imports(path, module):
            there = _stage(target)
            private = name.startswith("_") or any(part.startswith("_") and part != "__init__" for part in target.split("."))
            if there and here and there != here and private:
                offences.append(f"{path.relative_to(ROOT)}:{line} imports {target}.{name}")
    assert offences == []


def test_the_public_api_is_where_it_was() -> None:
    import reportnlp

    assert callable(reportnlp.extract_records)
    assert callable(reportnlp.load)
    assert isinstance(reportnlp.__version__, str)
