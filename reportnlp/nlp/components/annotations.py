"""What our components say about each mention, kept as one plain object per mention.

The span extensions (``span._.reportnlp_assertion``, ``_cues``, ``_locations`` ...) read and write
a :class:`MentionInfo` held in a per-doc table keyed by the span's tokens and label, the same key
spaCy's own extension storage uses. Components and records.py use the objects directly, which
avoids spaCy's per-access extension machinery (it was a tenth of the run time).
"""

from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc, Span

from reportnlp.nlp.components.docdata import doc_value, set_doc_value

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


def info_table(doc: Doc) -> dict[tuple[int, int, int], MentionInfo]:
    table = doc_value(doc, "reportnlp_mention_info")
    if table is None:
        table = {}
        set_doc_value(doc, "reportnlp_mention_info", table)
    return table


def info(span: Span) -> MentionInfo:
    """The span's MentionInfo (created on first use, so spans made by hand work too)."""
    table = info_table(span.doc)
    key = (span.start, span.end, span.label)
    found = table.get(key)
    if found is None:
        found = table[key] = MentionInfo()
    return found


def _register(name: str, field: str) -> None:
    if Span.has_extension(name):
        return

    def get(span: Span) -> Any:
        table = doc_value(span.doc, "reportnlp_mention_info")
        found = table.get((span.start, span.end, span.label)) if table else None
        return getattr(found if found is not None else _DEFAULTS, field)

    def set_(span: Span, value: Any) -> None:
        setattr(info(span), field, value)

    Span.set_extension(name, getter=get, setter=set_)


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


def _register_flag(name: str, assertion: str) -> None:
    if Span.has_extension(name):
        return

    def get(span: Span) -> bool:
        table = doc_value(span.doc, "reportnlp_mention_info")
        found = table.get((span.start, span.end, span.label)) if table else None
        return found is not None and found.assertion == assertion

    Span.set_extension(name, getter=get)
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
