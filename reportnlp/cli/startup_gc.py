"""Python's cyclic GC paused while ``extract`` starts up, and frozen out of the way when it resumes.

Importing spaCy and building the pipeline allocate objects that all live on, and the full collections
on the way walk every one of them for nothing (about 0.1 s of a one-report run's CPU). The reports
are processed (and workers forked) with the GC on as always. A module of its own so that the console
script (reportnlp.cli.app) and the commands it runs (extract, extract_args) share the switch without
importing each other.
"""

from __future__ import annotations

import gc

_collector_paused = False


def pause_collector() -> None:
    """Python's GC off until :func:`resume_collector`, if it is on now."""
    global _collector_paused
    if gc.isenabled():
        gc.disable()
        _collector_paused = True


def resume_collector() -> None:
    """Python's GC on again if the console script paused it for start-up; otherwise nothing.

    What start-up allocated (spaCy's modules, the pipeline) lives until the process ends: it is frozen
    out of the GC first, or the first collection after the pause would walk all of it at once (about
    60 ms), as a forked worker's would (reportnlp.run.pool freezes it there too)."""
    global _collector_paused
    if _collector_paused:
        _collector_paused = False
        gc.freeze()
        gc.enable()
