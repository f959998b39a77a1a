"""reportnlp on Apache Spark: ``from reportnlp.spark import extract_df`` (needs ``pip install 'reportnlp[spark]'``).

``extract_df(df, text_col="text", id_col="id")`` gives one record per row, in the rows' order; see
:func:`reportnlp.engines.spark_engine.extract_df`. The command line's ``reportnlp extract --engine spark``
runs on the same engine. A thin public face: nothing inside reportnlp imports this module.
"""

from __future__ import annotations

from reportnlp.engines.spark_engine import extract_df

__all__ = ["extract_df"]
