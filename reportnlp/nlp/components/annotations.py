"""What our components say about each mention, kept as one plain object per mention.

The span extensions (``span._.reportnlp_assertion``, ``_cues``, ``_locations`` ...) read and write
a :class:`MentionInfo` held in a per-doc table keyed by the span's tokens and label, the same key
spaCy's own extension storage uses. Components and records.py use the objects directly, which
avoids spaCy's per-access extension machinery (it was a tenth of the run time).
"""

from dataclasses import dataclass
from functools import partial
from typing import Any

from spacy.tokens import Doc, Span

from reportnlp.nlp.components.docdata import doc_value, set_doc_value
from reportnlp.nlp.components.msgpack_types import register

PRESENT = "present"
MENTION_INFO = "reportnlp_mention_info"  # the Doc extension holding the table

if not Doc.has_extension(MENTION_INFO):
    Doc.set_extension(MENTION_INFO, default=None)


@dataclass(slots=True)
class MentionInfo:
    rule: str | None = None
    meta: dict[str, Any] | None = None
    assertion: str = PRESENT
    cues: tuple[Any, ...] = ()
    locations: tuple[dict[str, Any], ...] = ()
    laterality: str | None = None
    clause: tuple[int, int] | None = None


def _mention_info(values: list[Any]) -> MentionInfo:
    """A MentionInfo read back by msgpack, which gives arrays as lists: its tuples made tuples again."""
    rule, meta, assertion, cues, locations, laterality, clause = values
    return MentionInfo(rule, meta, assertion, tuple(cues), tuple(locations), laterality,
                       None if clause is None else tuple(clause))


register(MentionInfo, build=_mention_info)  # Doc.to_bytes, DocBin and nlp.pipe(n_process=...) carry it

_Key = tuple[int, int, int]  # a mention's (start token, end token, label ID): spaCy's own key for span data


class MentionTable:
    """The finished Doc's MentionInfo table. Its keys are tuples, which msgpack writes as arrays and cannot
    read back as keys: held in this class, it is written as rows ([start, end, label, info]) and read back
    as the same table, so ``Doc.to_bytes``, ``DocBin`` and ``nlp.pipe(n_process=...)`` keep every mention's
    annotations. The components' working Doc keeps a plain dict (no indirection on the hot path)."""

    __slots__ = ("by_span",)

    def __init__(self, by_span: dict[_Key, MentionInfo]) -> None:
        self.by_span = by_span

    def get(self, key: _Key) -> MentionInfo | None:
        return self.by_span.get(key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MentionTable) and other.by_span == self.by_span

    __hash__ = None  # type: ignore[assignment]  # mutable, as the dict it holds


register(
    MentionTable,
    lambda table: [[*key, info] for key, info in table.by_span.items()],
    lambda rows: MentionTable({(start, end, label): info for start, end, label, info in rows}),
)


def info_table(doc: Doc) -> dict[_Key, MentionInfo]:
    table = doc_value(doc, MENTION_INFO)
    if table is None:
        table = {}
        set_doc_value(doc, MENTION_INFO, table)
    elif type(table) is MentionTable:
        return table.by_span
    return table


def info(span: Span) -> MentionInfo:
    """The span's MentionInfo (created on first use, so spans made by hand work too)."""
    table = info_table(span.doc)
    key = (span.start, span.end, span.label)
    found = table.get(key)
    if found is None:
        found = table[key] = MentionInfo()
    return found


def _info_of(span: Span) -> MentionInfo | None:
    """The span's MentionInfo, or None (unlike :func:`info`, made for reading: nothing is created)."""
    table = doc_value(span.doc, MENTION_INFO)
    return table.get((span.start, span.end, span.label)) if table is not None else None


def _field_of(field: str, span: Span) -> Any:
    found = _info_of(span)
    return getattr(found if found is not None else _DEFAULTS, field)


def _set_field(field: str, span: Span, value: Any) -> None:
    setattr(info(span), field, value)


def _register(name: str, field: str) -> None:
    # getters and setters are partials of module functions, not closures: spaCy pickles every extension's
    # getter to its worker processes where they are spawned (nlp.pipe(n_process=...) on macOS, Windows)
    if not Span.has_extension(name):
        Span.set_extension(name, getter=partial(_field_of, field), setter=partial(_set_field, field))


_DEFAULTS = MentionInfo()
for _field in ("rule", "meta", "assertion", "cues", "locations", "laterality", "clause"):
    _register(f"reportnlp_{_field}", _field)

# medspaCy's ConText attribute names, read from the mention's one assertion, so that medspaCy's
# visualize_ent / DocConsumer and displaCy work on a reportnlp Doc. A name medspaCy (or anyone) has
# registered first is theirs: then the assertion component writes the value into it (set_context_flags).
CONTEXT_FLAGS = {
    "is_negated": "absent",
    "is_uncertain": "possible",
    "is_historical": "historical",
    "is_hypothetical": "hypothetical",
    "is_family": "family",
}
OWN_FLAGS: set[str] = set()


def _flag_of(assertion: str, span: Span) -> bool:
    found = _info_of(span)
    return found is not None and found.assertion == assertion


def _register_flag(name: str, assertion: str) -> None:
    if not Span.has_extension(name):
        Span.set_extension(name, getter=partial(_flag_of, assertion))  # a partial, as _register's
        OWN_FLAGS.add(name)


for _name, _assertion in CONTEXT_FLAGS.items():
    _register_flag(_name, _assertion)


def set_context_flags(spans: Any) -> None:
    """Write the ConText flags of ``spans`` into names registered by someone else (ours are getters)."""
    foreign = [(name, assertion) for name, assertion in CONTEXT_FLAGS.items() if name not in OWN_FLAGS]
    if not foreign:
        return
    table = info_table(spans[0].doc) if len(spans) else {}
    for span in spans:
        found = table.get((span.start, span.end, span.label))
        for name, assertion in foreign:
            setattr(span._, name, found is not None and found.assertion == assertion)
