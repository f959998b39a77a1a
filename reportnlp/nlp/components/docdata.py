"""Our Doc extension values, read and written where spaCy keeps them, without ``doc._``.

spaCy stores a Doc extension's value in ``doc.user_data[("._.", name, None, None)]`` and builds an
``Underscore`` object on every ``doc._`` access first; the components read their tables dozens of
times per report, and that object alone was about 4% of a report's CPU. Only for our own extensions,
which are plain values with a ``None`` default (no getter or setter); ``doc._`` sees the same values
(tests/test_spacy_doc.py).
"""

from typing import Any

from spacy.tokens import Doc


def doc_value(doc: Doc, name: str) -> Any:
    """``doc._.<name>`` for an extension registered with ``default=None``."""
    return doc.user_data.get(("._.", name, None, None))


def set_doc_value(doc: Doc, name: str, value: Any) -> None:
    """``doc._.<name> = value`` for an extension registered with ``default=None``."""
    doc.user_data[("._.", name, None, None)] = value
