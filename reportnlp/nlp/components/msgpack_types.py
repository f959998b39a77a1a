"""reportnlp's own annotation objects through spaCy's msgpack serialization.

``Doc.to_bytes``, ``DocBin(store_user_data=True)`` and ``nlp.pipe(n_process=...)`` (which sends every Doc
back from its workers as bytes) write ``doc.user_data`` with srsly's msgpack, which knows plain types only:
a reportnlp Doc holds a :class:`MentionInfo` per mention and its :class:`Section` list there, and failed to
serialize. srsly's own extension point (its ``msgpack_encoders`` / ``msgpack_decoders`` registries, as it
does for numpy arrays) carries each registered dataclass as a tagged map of its fields, and rebuilds it when
read back in any process that imported reportnlp's components.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import catalogue
import srsly

_TAG = "__reportnlp__"
_Fields = Callable[[Any], list[Any]]
_Build = Callable[[list[Any]], Any]
_BUILD: dict[str, _Build] = {}  # tag -> the object from its fields
_FIELDS: dict[type, tuple[str, _Fields]] = {}  # class -> (tag, its fields)


def _dataclass_fields(obj: Any) -> list[Any]:
    return [getattr(obj, field.name) for field in dataclasses.fields(obj)]


def register(cls: type, fields: _Fields | None = None, build: _Build | None = None) -> type:
    """Let msgpack write and read ``cls``: ``fields`` gives what is written (plain types, or other registered
    classes), ``build`` the object back from it. By default a dataclass's fields in order. A decorator too."""
    tag = f"{cls.__module__}.{cls.__qualname__}"
    _FIELDS[cls] = (tag, fields or _dataclass_fields)
    _BUILD[tag] = build or (lambda values: cls(*values))
    return cls


# medspaCy's msgpack decoder named "section" takes every map with a "section" key for one of its Sections, and
# fails on a record's mentions ({"section": "findings", ...}): kept to maps whose "section" is a map, as its own.
_MEDSPACY_SECTION = ("srsly", "msgpack_decoders", "section")


def guard_medspacy_section() -> None:
    """Keep medspaCy's "section" decoder (once registered: medspaCy imported) to the maps it wrote."""
    theirs = catalogue.REGISTRY.get(_MEDSPACY_SECTION)
    if theirs is None or getattr(theirs, "reportnlp_guard", False):
        return

    def guarded(obj: Any, chain: Callable[[Any], Any] | None = None) -> Any:
        if isinstance(obj.get("section"), dict):
            return theirs(obj, chain)
        return obj if chain is None else chain(obj)

    guarded.reportnlp_guard = True  # type: ignore[attr-defined]
    srsly.msgpack_decoders.register("section", func=guarded)


def _encode(obj: Any, chain: Callable[[Any], Any] | None = None) -> Any:
    found = _FIELDS.get(type(obj))
    if found is not None:
        guard_medspacy_section()  # medspaCy imported since: before a Doc of ours is read back
        tag, fields = found
        return {_TAG: tag, "fields": fields(obj)}
    return obj if chain is None else chain(obj)


def _decode(obj: Any, chain: Callable[[Any], Any] | None = None) -> Any:
    if isinstance(obj, dict) and _TAG in obj:
        build = _BUILD.get(obj[_TAG])
        if build is not None:
            return build(obj["fields"])
    return obj if chain is None else chain(obj)


srsly.msgpack_encoders.register("reportnlp", func=_encode)
srsly.msgpack_decoders.register("reportnlp", func=_decode)
guard_medspacy_section()
