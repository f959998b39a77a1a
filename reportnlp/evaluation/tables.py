"""Render an evaluation (the dict of ``reportnlp.evaluation.scores``) as rich tables for people.

Only the labels the gold holds are shown. Every metric is printed with its bootstrap interval;
``--format json`` carries the same numbers for programs.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from reportnlp.render.safe_text import one_line

MAX_IDS_SHOWN = 20


def _metric(m: dict[str, Any] | None) -> str:
    if not m or m["value"] is None:
        return "n/a"
    ci = m.get("ci")
    return f"{m['value']:.3f}" + (f" ({ci[0]:.3f}-{ci[1]:.3f})" if ci else "")


def _ids(title: str, ids: list[str]) -> str:
    shown = ", ".join(one_line(i) for i in ids[:MAX_IDS_SHOWN])
    shown += (f", ... {len(ids) - MAX_IDS_SHOWN} more" if len(ids) > MAX_IDS_SHOWN else "")
    return f"{title}: {len(ids)}" + (f" ({shown})" if ids else "")


def summary_lines(result: dict[str, Any]) -> list[str]:
    ids, boot = result["ids"], result["bootstrap"]
    return [
        f"reports scored: {ids['scored']}",
        _ids("only in gold", ids["gold_only"]),
        _ids("only in records", ids["records_only"]),
        _ids("failed records (not scored)", ids["failed_records"] + ids["failed_records_not_in_gold"]),
        f"confidence intervals: {boot['confidence']:.0%} percentile bootstrap over reports, "
        f"{boot['resamples']} resamples, seed {boot['seed']}",
    ]


def per_class_table(result: dict[str, Any]) -> Table:
    table = Table(title="Per label and status (one vs the rest)")
    for col in ("label", "status / value", "precision", "recall", "F1", "specificity", "support", "predicted", "n"):
        table.add_column(col, justify="left" if col in ("label", "status / value") else "right")
    for name, rep in result["labels"].items():
        for cls, m in rep["classes"].items():
            if not m["support"] and not m["predicted"]:
                continue
            table.add_row(
                name, cls, _metric(m["precision"]), _metric(m["recall"]), _metric(m["f1"]),
                _metric(m["specificity"]), str(m["support"]), str(m["predicted"]), str(rep["n"]),
            )
        for avg in ("macro", "micro"):
            a = rep[avg]
            table.add_row(name, avg, _metric(a["precision"]), _metric(a["recall"]), _metric(a["f1"]), "", "", "", "")
        exact = "exact_match" if rep["kind"] == "set" else "accuracy"
        table.add_row(name, exact.replace("_", " "), "", "", _metric(rep[exact]), "", "", "", str(rep["n"]))
        table.add_section()
    overall = result["overall"]
    for avg in ("macro", "micro"):
        if overall[avg]:
            a = overall[avg]
            table.add_row("all labels", avg, _metric(a["precision"]), _metric(a["recall"]), _metric(a["f1"]), "", "", "", "")
    return table


def binary_table(result: dict[str, Any]) -> Table:
    table = Table(title="Present or possible vs the rest")
    for col in ("label", "precision", "recall", "F1", "specificity", "TP", "FP", "FN", "TN"):
        table.add_column(col, justify="left" if col == "label" else "right")
    for name, rep in result["labels"].items():
        b = rep.get("binary")
        if b:
            table.add_row(
                name, _metric(b["precision"]), _metric(b["recall"]), _metric(b["f1"]), _metric(b["specificity"]),
                *(str(b[k]) for k in ("tp", "fp", "fn", "tn")),
            )
    return table


def confusion_table(result: dict[str, Any]) -> Table:
    table = Table(title="Confusion matrices (rows gold, columns predicted)")
    statuses: list[str] = next((r["confusion"]["classes"] for r in result["labels"].values() if "confusion" in r), [])
    table.add_column("label")
    table.add_column("gold")
    for s in statuses:
        table.add_column(s, justify="right")
    for name, rep in result["labels"].items():
        if "confusion" not in rep:
            continue
        for cls, row in zip(rep["confusion"]["classes"], rep["confusion"]["gold_by_predicted"], strict=True):
            if any(row):
                table.add_row(name, cls, *(str(x) for x in row))
        table.add_section()
    return table


def disagreement_table(result: dict[str, Any]) -> Table:
    table = Table(title=f"Disagreements ({len(result['disagreements'])})")
    for col in ("id", "label", "gold", "predicted", "deciding mentions"):
        table.add_column(col)

    def show(v: Any) -> str:
        return ", ".join(v) or "(none)" if isinstance(v, list) else str(v)

    for d in result["disagreements"]:
        mentions = "; ".join(
            f"\"{m['text']}\" {m['assertion']}" + (f" ({m['cue']})" if m.get("cue") else "") for m in d["mentions"]
        )
        table.add_row(*(Text(one_line(v)) for v in (d["id"], d["label"], show(d["gold"]), show(d["predicted"]),
                                                     mentions or "-")))
    return table


def print_tables(result: dict[str, Any], console: Console) -> None:
    for line in summary_lines(result):
        console.print(line, highlight=False, markup=False)
    if not result["labels"]:
        console.print("no label was scored: no report id is in both files with a gold label", markup=False)
        return
    console.print(per_class_table(result))
    if any("binary" in r for r in result["labels"].values()):
        console.print(binary_table(result))
        console.print(confusion_table(result))
    if result["disagreements"]:
        console.print(disagreement_table(result))
