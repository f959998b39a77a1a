"""Import spaCy without paying for its command line.

``import spacy`` runs ``from .cli.info import info``, and ``spacy/cli/__init__.py`` imports every
command: typer, click, weasel, requests, jinja2 ... about 40% of spaCy's import time (0.2 s of CPU on the development machine),
for ``spacy.info()``, which a pipeline never calls. spaCy's ``util`` also imports ``langcodes`` (its
language tables take 20-50 ms to load) only to match language codes it does not know ("en" it knows).

:func:`install` puts a finder first on ``sys.meta_path`` that, only while spaCy's own package is being
imported, hands out ``spacy.cli`` and ``spacy.cli.info`` as the real modules whose code runs on first
use of a name they do not have yet (``spacy.cli.download``, ``from spacy.cli import setup_cli``), and
``langcodes`` through :class:`importlib.util.LazyLoader`. ``spacy.info`` is a function that runs
``spacy/cli/info.py`` and calls its ``info``. Nothing else changes: a submodule such as
``spacy.cli.train`` imports as before, and ``python -m spacy`` works. After spaCy's import the finder
stays on ``sys.meta_path`` and answers nothing (a name test per import). The console script's extract
also defers ``spacy.pipeline`` (:func:`defer_spacy_components`), whose components reportnlp never uses.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import sys
import threading
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

_DEFERRED = ("spacy.cli", "spacy.cli.info")  # children after parents: the parent's code imports them
# spaCy's own components (parser, NER, tagger, textcat ... and the models behind them): deferred only after
# defer_spacy_components(), what the console script's extract asks for
_COMPONENTS = "spacy.pipeline"
# names a deferred module hands out from the submodule that defines them, its own code left unrun
# (spacy/lang/en imports the Lemmatizer its English lemmatizer subclasses)
_FROM_SUBMODULE = {_COMPONENTS: {"Lemmatizer": "spacy.pipeline.lemmatizer"}}
_LAZY = ("langcodes",)
_lock = threading.RLock()
_defer_components = False


def _spacy_info(*args: Any, **kwargs: Any) -> Any:
    """``spacy.info``: runs ``spacy/cli/info.py`` (and what it imports) on first call."""
    module = sys.modules["spacy.cli.info"]
    run_deferred(module)
    return module.info(*args, **kwargs)


_PRESET: dict[str, dict[str, Callable[..., Any]]] = {"spacy.cli.info": {"info": _spacy_info}}


class _Deferred(types.ModuleType):
    """A module imported but not run yet: reading any name but a preset one or a dunder the import
    system reads (``__path__``, ``__spec__`` ...) runs its code first, even a name the module already
    has (a package's ``info``, set by importing its submodule, that its code would rebind)."""

    def __getattribute__(self, name: str) -> Any:
        own = types.ModuleType.__getattribute__(self, "__name__")
        if (not name.startswith("__") or name == "__all__") and name not in _PRESET.get(own, ()):
            source = _FROM_SUBMODULE.get(own, {}).get(name)
            if source is not None:
                return getattr(importlib.import_module(source), name)
            run_deferred(self)
        return types.ModuleType.__getattribute__(self, name)


def run_deferred(module: types.ModuleType) -> None:
    """Run a deferred module's code now (its deferred submodules first); nothing if it already ran."""
    with _lock:
        if type(module) is not _Deferred:
            return
        for name in (*_DEFERRED, _COMPONENTS):  # spacy/cli/__init__.py imports .info: its real code must have run
            child = sys.modules.get(name)
            if child is not module and child is not None and name.startswith(module.__name__ + "."):
                run_deferred(child)
        loader = module.__spec__.loader.real  # type: ignore[union-attr]
        module.__class__ = types.ModuleType
        module.__spec__.loader = module.__loader__ = loader  # type: ignore[union-attr]
        loader.exec_module(module)


class _DeferringLoader:
    """Creates the module as the import system does, and leaves its code for :func:`run_deferred`."""

    def __init__(self, real: Any, preset: dict[str, Callable[..., Any]]) -> None:
        self.real, self.preset = real, preset

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType | None:
        return None

    def exec_module(self, module: types.ModuleType) -> None:
        module.__class__ = _Deferred
        module.__dict__.update(self.preset)


class _Finder:  # importlib.abc is not imported: it costs more than this whole module
    def find_spec(self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
                  ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in _DEFERRED and fullname not in _LAZY and not (_defer_components and fullname == _COMPONENTS):
            return None
        spacy = sys.modules.get("spacy")
        if spacy is None or not getattr(spacy.__spec__, "_initializing", False):
            return None  # asked for outside spaCy's own import: the ordinary module
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return None
        if fullname in _LAZY:
            from importlib.util import LazyLoader

            spec.loader = LazyLoader(spec.loader)
        else:
            spec.loader = _DeferringLoader(spec.loader, _PRESET.get(fullname, {}))
        return spec


_FINDER = _Finder()


def defer_spacy_components() -> None:
    """Have the next ``import spacy`` also defer ``spacy.pipeline``: spaCy's own components (parser, NER,
    textcat ... and the thinc models behind them, about 50 of its modules) are imported when one of their
    names is first read, which registers their factories too. reportnlp's pipeline uses none of them, so
    only the console script's extract asks for this: a program that adds one of spaCy's components by
    name (``nlp.add_pipe("sentencizer")``) without reading a name of ``spacy.pipeline`` first would not
    find its factory."""
    global _defer_components
    _defer_components = True


def install() -> None:
    """Make the next ``import spacy`` lean (nothing when spaCy is imported already, or it is installed)."""
    with _lock:
        if "spacy" in sys.modules or _FINDER in sys.meta_path:
            return
        sys.meta_path.insert(0, _FINDER)
