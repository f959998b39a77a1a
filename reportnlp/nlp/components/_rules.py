"""One cached rule load per patterns folder, shared by all components of a pipeline; and the rules
travelling with a saved pipeline (``RuleComponent``).

Factory modules avoid `from __future__ import annotations`: spaCy reads their signatures at run time.
"""

import hashlib
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import srsly

from reportnlp.nlp.components._memo import memo_table, remember
from reportnlp.nlp.rules import RULE_FILES, RuleError, RuleSet, load_rules, rules_from_files

SAVED_RULES = "patterns"  # the rule files' folder inside a component's folder of a saved pipeline


@lru_cache(maxsize=8)
def rules_for(patterns: str | None) -> RuleSet:
    return load_rules(patterns)


_saved: "OrderedDict[str, RuleSet]" = memo_table()


def saved_rules(files: dict[str, bytes], where: str) -> RuleSet:
    """Rules from the files a saved pipeline carries, validated once for all its components."""
    key = hashlib.sha256(b"".join(name.encode() + b"\0" + files.get(name, b"") + b"\0" for name in RULE_FILES)).hexdigest()
    found = _saved.get(key)
    return found if found is not None else remember(_saved, key, rules_from_files(files, where), 8)


class RuleComponent:
    """A component built from rule files that travel with a saved pipeline.

    ``nlp.to_disk()`` writes the files it was built from (byte for byte) into the component's folder
    and ``spacy.load()`` rebuilds it from them (``to_bytes`` / ``from_bytes`` likewise), so a saved
    pipeline keeps its rules where the configured ``patterns`` folder has changed or is gone.
    """

    rules: RuleSet
    missing: str | None = None  # the configured folder, gone when the component was built

    def use_rules(self, rules: RuleSet) -> None:
        """Rebuild the component from other rules."""
        raise NotImplementedError

    def refuse(self) -> None:
        """Called instead of running when the rules never came (a missing folder, no saved rules)."""
        raise RuleError(str(self.missing), None, "patterns folder not found (and no rules saved with the pipeline)")

    def _take(self, rules: RuleSet) -> None:
        if rules.files != self.rules.files or self.missing is not None:
            self.use_rules(rules)
        self.rules, self.missing = rules, None

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its rule files and what :meth:`use_rules` reads (name, matcher choice, the pipeline's
        vocab and tokenizer), and built again from them on loading: what it compiles (RE2 programs, spaCy
        matchers) does not pickle. So a pipeline pickles as spaCy's own do, for ``nlp.pipe(n_process=...)``
        where workers are spawned (macOS, Windows), ``copy.deepcopy(nlp)`` and pickling frameworks."""
        nlp = getattr(self, "nlp", None)
        kept = {attr: getattr(self, attr) for attr in _KEPT if hasattr(self, attr)}
        pipeline = None if nlp is None else (nlp.vocab, nlp.tokenizer)
        return _unpickled, (type(self), self.rules.files, pipeline, kept, self.missing)

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        folder = Path(path) / SAVED_RULES
        folder.mkdir(parents=True, exist_ok=True)
        for name, raw in self.rules.files.items():
            (folder / name).write_bytes(raw)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> Any:
        folder = Path(path) / SAVED_RULES
        if folder.is_dir():  # a pipeline saved before its rules travelled keeps the configured folder's
            files = {name: (folder / name).read_bytes() for name in RULE_FILES if (folder / name).is_file()}
            self._take(saved_rules(files, str(folder)))
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return srsly.msgpack_dumps(self.rules.files)

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> Any:
        self._take(saved_rules(srsly.msgpack_loads(data), "<saved pipeline>"))
        return self


C = TypeVar("C", bound=RuleComponent)
_KEPT = ("name", "choice")  # what a component's use_rules reads of itself, besides its rules and nlp


def _unpickled(cls: type[C], files: dict[str, bytes], pipeline: tuple[Any, Any] | None, kept: dict[str, Any],
               missing: str | None = None) -> C:
    """A component built again from its pickled rule files (see :meth:`RuleComponent.__reduce__`); one whose
    configured folder was gone (``missing``) still refuses to run, as before pickling.

    A component that holds its pipeline gets one made of the pickled vocab and tokenizer, which are all it
    reads of it (a component's rules are tokenized with the pipeline's tokenizer): the pipeline being
    unpickled is not built yet when its components are."""
    component = cls.__new__(cls)
    for attr, value in kept.items():
        setattr(component, attr, value)
    if pipeline is not None:
        component.nlp = _PickledPipeline(*pipeline)  # type: ignore[attr-defined]
    rules = saved_rules(files, "<pickled pipeline>")
    component.use_rules(rules)
    component.rules, component.missing = rules, missing
    return component


class _PickledPipeline:
    """What an unpickled rule component holds of its pipeline: the vocab and the tokenizer, all that it and
    medspaCy's matchers read of one (a blank spaCy pipeline made per component cost ~70 ms each, a third of
    unpickling); no components of its own, so the labels component finds anatomy with its own finder."""

    pipe_names: tuple[str, ...] = ()

    def __init__(self, vocab: Any, tokenizer: Any) -> None:
        self.vocab, self.tokenizer = vocab, tokenizer


def with_rules(patterns: str | None, build: Callable[[RuleSet], C]) -> C:
    """A component built from the configured rule folder. If the folder is gone (a saved pipeline moved
    elsewhere), a stand-in from the built-in rules: ``from_disk`` gives it the saved ones, and it refuses
    to run if nothing does."""
    missing = patterns is not None and not Path(patterns).is_dir()
    rules = rules_for(None if missing else patterns)
    component = build(rules)
    component.rules, component.missing = rules, patterns if missing else None
    return component


@contextmanager
def rule_errors(file: str, rule: str) -> Iterator[None]:
    """Turn spaCy's complaint about one rule's token pattern into a RuleError naming it."""
    try:
        yield
    except (ValueError, TypeError, KeyError) as exc:  # spacy MatchPatternError is a ValueError
        reason = " ".join(str(exc).split())
        raise RuleError(file, rule, f"token pattern rejected by spaCy: {reason[:300]}") from None
