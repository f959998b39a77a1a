"""Where start-up work is remembered across processes, in a module that imports nothing heavy.

The console script asks for the folder before anything else is imported (reportnlp.cli.regex_programs),
so it cannot live in reportnlp.nlp.rules, whose imports compile regexes of their own.
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_folder() -> Path | None:
    """Where start-up work is remembered across processes (REPORTNLP_CACHE_DIR), or None.

    REPORTNLP_CACHE_DIR names the folder (default $XDG_CACHE_HOME/reportnlp, else ~/.cache/reportnlp);
    set empty, nothing is read or written."""
    configured = os.environ.get("REPORTNLP_CACHE_DIR")
    if configured == "":
        return None
    try:
        cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    except RuntimeError:  # no home folder
        return None
    return Path(configured) if configured else Path(cache) / "reportnlp"
