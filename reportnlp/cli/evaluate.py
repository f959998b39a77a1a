"""``reportnlp evaluate``: read the two files, score, print tables or JSON (no spaCy anywhere here)."""

from __future__ import annotations

import json
import sys

from rich.console import Console

from reportnlp.evaluation.gold import read_gold, read_records
from reportnlp.evaluation.scores import evaluate
from reportnlp.evaluation.tables import print_tables
from reportnlp.render.safe_text import one_line


def run_evaluate(gold_path: str, records_path: str, output_format: str, id_field: str, resamples: int, seed: int) -> int:
    """Write the evaluation to stdout and a one-line count to stderr; return the exit code (0).

    Raises GoldError for a file that cannot be used (the caller maps it to exit code 2).
    """
    gold, ignored = read_gold(gold_path, id_field)
    predictions = read_records(records_path)
    result = evaluate(
        gold,
        predictions.labels,
        failed=predictions.failed,
        deciding=predictions.deciding,
        resamples=resamples,
        seed=seed,
    )
    result["files"] = {"gold": gold_path, "records": records_path, "gold_fields_ignored": ignored}
    if output_format == "json":
        sys.stdout.write(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    else:
        print_tables(result, Console(highlight=False, width=None if sys.stdout.isatty() else 160))
    ids = result["ids"]
    if ignored:
        sys.stderr.write(one_line(f"reportnlp: {gold_path}: fields that are not labels were ignored: {', '.join(ignored)}")
                         + "\n")
    sys.stderr.write(
        f"reportnlp: {ids['scored']} reports scored, {len(ids['gold_only'])} only in gold, "
        f"{len(ids['records_only'])} only in records, "
        f"{len(ids['failed_records']) + len(ids['failed_records_not_in_gold'])} failed records\n"
    )
    return 0
