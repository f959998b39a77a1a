"""One Extractor per rule set per process, for engines that call reportnlp once per partition.

Building the pipeline costs one to two seconds, a report a few milliseconds: a Dask task or a Spark
``mapPartitions`` call must not rebuild it each time. Keyed by the SHA-256 of the rule files, so
edited rules give a new pipeline, never a stale one. The two most recent rule sets are kept.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING

from reportnlp.nlp.rules import load_rules

if TYPE_CHECKING:
    from reportnlp.run.extractor import Extractor

KEEP = 2
_lock = threading.Lock()
_cache: OrderedDict[str, Extractor] = OrderedDict()


def extractor_for(patterns: str | Path | None = None) -> Extractor:
    """The cached Extractor for the rules in ``patterns`` (built-in when None), built if needed."""
    from reportnlp.run.extractor import Extractor

    sha256 = load_rules(patterns).sha256
    with _lock:  # one build per rule set, even when several threads ask at once
        extractor = _cache.get(sha256)
        if extractor is None:
            extractor = Extractor(patterns)
            _cache[extractor.rules.sha256] = extractor  # the rules it was really built from
            while len(_cache) > KEEP:
                _cache.popitem(last=False)
        else:
            _cache.move_to_end(sha256)
    return extractor
