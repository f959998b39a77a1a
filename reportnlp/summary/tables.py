"""A summary dict -> tables for people (rich, markdown) and tidy CSV for machines.

:func:`group_tables` turns one group's counts into plain :class:`Table` objects (strings only);
the rich, markdown and HTML renderers all draw those, so every format shows the same numbers.
CSV is long ("tidy") format straight from the counts: one row per number, with its denominator.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from reportnlp.render.safe_text import csv_writer, markdown_text, one_line
from reportnlp.summary.cohort import ASSERTIONS, STATUSES, level_order

CSV_COLUMNS = ("group", "table", "item", "measure", "value", "denominator")
ALL = "(all)"
SHORT = {
    "any": "any degenerative", "disc_herniation": "herniation", "disc_bulge": "bulge",
    "disc_degeneration": "disc degen.", "endplate_changes": "endplate", "annular_fissure": "fissure",
    "facet_arthropathy": "facet", "spinal_stenosis": "stenosis", "spondylolisthesis": "listhesis",
    "spondylosis": "spondylosis",
}


@dataclass
class Table:
    """One titled table of strings; column 0 is a row name, the others are numbers."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    note: str = ""


def share(n: int, of: int) -> str:
    """'12 (23.1%)'; a bare count when there is nothing to divide by."""
    return f"{n} ({100 * n / of:.1f}%)" if of else str(n)


def percent(n: int, of: int) -> float | None:
    return 100 * n / of if of else None


def groups(summary: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(heading, group counts): all reports first, then each --by group."""
    yield "All reports", summary["overall"]
    for g in summary["groups"]:
        yield f"{summary['by']} = {g['value']}", g


def group_tables(g: dict[str, Any]) -> list[Table]:
    ok, met = g["reports"]["ok"], g["metastasis"]["reports"]
    tables = [
        Table("reports", "Reports", ["", "reports"], [
            ["processed", str(g["reports"]["processed"])], ["ok", str(ok)], ["error", str(g["reports"]["error"])],
            *([f"error: {t}", str(n)] for t, n in g["reports"]["error_types"].items()),
        ]),
        Table("labels", f"Labels (reports, share of {ok} ok)", ["label", *(s.replace("_", " ") for s in STATUSES)],
              [[label, *(share(c[s], ok) for s in STATUSES)] for label, c in g["labels"].items()]),
        Table("lesion_pattern", "Lesion patterns (reports)", ["pattern", "reports"],
              [[p, share(n, ok)] for p, n in g["lesion_pattern"].items()]),
        Table("metastasis_sites", f"Metastasis sites ({met} reports with bone_metastasis present or possible)",
              ["site", "reports"], [[s, share(n, met)] for s, n in g["metastasis"]["sites"].items()]),
        _level_table(g),
        Table("modalities", "Modalities (reports)", ["modality", "reports"],
              [[m, share(n, ok)] for m, n in g["modalities"].items()]),
        Table("caution", "Weak negatives (reports)", ["", "reports"],
              [["bone_metastasis negative on radiographs only", share(g.get("low_sensitivity_negative", 0), ok)]],
              "Radiographs show bone metastases only when advanced; bone scan, CT, MRI and PET are more sensitive. "
              "These reports' absent / not mentioned is weak (labels.low_sensitivity_negative)."),
        _mention_table(g["mentions"]),
        _prevalence_table(g),
    ]
    return tables


def _level_table(g: dict[str, Any]) -> Table:
    degen = {k: c for k, c in g["degenerative_levels"].items() if c}
    mets = g["metastasis"]["levels"]
    levels = sorted(set(mets).union(*degen.values()), key=level_order)
    columns = ["level", "metastasis", *(SHORT.get(k, k) for k in degen)]
    rows = [[lv, str(mets.get(lv, "")), *(str(c.get(lv, "")) for c in degen.values())] for lv in levels]
    return Table("levels", "Findings by spine level (reports; degenerative: present or possible)", columns, rows,
                 "A disc level (L4-L5) counts for both vertebrae under metastasis.")


def _mention_table(mentions: dict[str, Any]) -> Table:
    rows = [
        [cat, *(str(by.get(a, 0)) for a in ASSERTIONS), str(sum(by.values()))]
        for cat, by in mentions["by_category"].items()
    ]
    rows.append(["all", *(str(mentions["by_assertion"][a]) for a in ASSERTIONS), str(mentions["total"])])
    return Table("mentions", "Mention assertions (mentions)", ["category", *ASSERTIONS, "total"], rows)


def expected_text(f: dict[str, Any]) -> str:
    if f["expected_percent"] is not None:
        return f"{f['expected_percent']:.1f}%"
    if f["range_percent"]:
        low, high = f["range_percent"]
        return f"{low}-{high}% (all ages)" if low != high else f"{low}% (all ages)"
    return "-"


def verdict(f: dict[str, Any], with_age: int) -> str:
    """Cohort share (reports with an age) over the expected share, e.g. '1.4x'; '-' when unknown."""
    cohort = percent(f["present_with_age"], with_age)
    if cohort is None or not f["expected_percent"]:
        return "-"
    ratio = cohort / f["expected_percent"]
    return f"{ratio:.2f}" + (" (not above)" if ratio <= 1 else "")


def _prevalence_table(g: dict[str, Any]) -> Table:
    p, ok = g["prevalence"], g["reports"]["ok"]
    with_age = p["reports_with_age"]
    rows = [
        [key, share(f["present"], ok), share(f["present_with_age"], with_age), expected_text(f), verdict(f, with_age)]
        for key, f in p["findings"].items()
    ]
    return Table(
        "prevalence",
        "Degenerative findings: cohort vs people without symptoms of the same ages",
        ["finding", f"present (of {ok})", f"present, with an age (of {with_age})", "expected without symptoms",
         "cohort / expected"],
        rows,
        f"Expected: mean over the {with_age} reports with an age of the prevalence at that age in people without "
        f"symptoms (Brinjikji et al. 2015; patterns/prevalence.json). {p['reports_without_age']} reports state no age "
        "and are left out of the comparison. cohort / expected = share present among reports with an age over the "
        "expected share; 'not above' (1 or less): no more common than in people without symptoms.",
    )


def input_rows(summary: dict[str, Any]) -> list[list[str]]:
    lines, reports = summary["lines"], summary["overall"]["reports"]
    rows = [["records read", str(lines["records"])], ["malformed lines (skipped)", str(lines["malformed"])],
            ["distinct report texts", f"{reports['distinct_texts']} of {reports['with_text_hash']}"]]
    dedupe = summary.get("dedupe") or {}
    if dedupe.get("on"):
        rows.append(["repeated texts left out (--dedupe)", str(dedupe["skipped_repeats"])])
    else:
        rows.append(["repeated texts (counted; --dedupe counts each text once)", str(reports["repeated_texts"])])
    return rows


# --- markdown ----------------------------------------------------------------------------------


def _md_cell(text: str) -> str:
    return markdown_text(text)


def markdown_table(t: Table) -> str:
    lines = [f"**{t.title}**", "", "| " + " | ".join(map(_md_cell, t.columns)) + " |",
             "|" + "|".join(["---", *["---:"] * (len(t.columns) - 1)]) + "|"]
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in t.rows]
    if t.note:
        lines += ["", t.note]
    return "\n".join(lines) + "\n"


def to_markdown(summary: dict[str, Any]) -> str:
    out = ["# Cohort summary\n", markdown_table(Table("input", "Input", ["", "lines"], input_rows(summary)))]
    for heading, g in groups(summary):
        out.append(f"## {markdown_text(heading)}\n")
        out += [markdown_table(t) for t in group_tables(g)]
    return "\n".join(out)


# --- rich --------------------------------------------------------------------------------------


def print_rich(summary: dict[str, Any], file: IO[str]) -> None:
    """Rich tables on ``file`` (colors only when it is a terminal and NO_COLOR is unset)."""
    from rich.console import Console
    from rich.table import Table as RichTable
    from rich.text import Text

    console = Console(file=file)
    for heading, g in groups(summary):
        console.rule(Text(one_line(heading), style="bold"))
        for t in group_tables(g) if heading != "All reports" else [
            Table("input", "Input", ["", "lines"], input_rows(summary)), *group_tables(g)
        ]:
            rt = RichTable(title=Text(one_line(t.title)), title_justify="left",
                           caption=Text(one_line(t.note)) if t.note else None, caption_justify="left")
            for i, col in enumerate(t.columns):
                rt.add_column(Text(one_line(col)), justify="left" if i == 0 else "right", no_wrap=i == 0)
            for row in t.rows:
                rt.add_row(*(Text(one_line(c)) for c in row))
            console.print(rt)


# --- csv ---------------------------------------------------------------------------------------


def _csv_rows(group: str, g: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
    ok, met = g["reports"]["ok"], g["metastasis"]["reports"]
    for measure in ("processed", "ok", "error"):
        yield group, "reports", "reports", measure, g["reports"][measure], ""
    for kind, n in g["reports"]["error_types"].items():
        yield group, "reports", "error_type", kind, n, g["reports"]["error"]
    for label, counts in g["labels"].items():
        for status, n in counts.items():
            yield group, "labels", label, status, n, ok
    for pattern, n in g["lesion_pattern"].items():
        yield group, "lesion_pattern", pattern, "reports", n, ok
    for site, n in g["metastasis"]["sites"].items():
        yield group, "metastasis_sites", site, "reports", n, met
    for level, n in g["metastasis"]["levels"].items():
        yield group, "metastasis_levels", level, "reports", n, met
    for key, levels in g["degenerative_levels"].items():
        for level, n in levels.items():
            yield group, "degenerative_levels", level, key, n, ok
    for modality, n in g["modalities"].items():
        yield group, "modalities", modality, "reports", n, ok
    yield group, "caution", "low_sensitivity_negative", "reports", g.get("low_sensitivity_negative", 0), ok
    for category, by in g["mentions"]["by_category"].items():
        for assertion, n in by.items():
            yield group, "mentions", category, assertion, n, g["mentions"]["total"]
    p = g["prevalence"]
    yield group, "prevalence", "reports", "with_age", p["reports_with_age"], ok
    yield group, "prevalence", "reports", "without_age", p["reports_without_age"], ok
    for age, n in p["ages"].items():
        yield group, "ages", age, "reports", n, p["reports_with_age"]
    for key, f in p["findings"].items():
        yield group, "prevalence", key, "present", f["present"], ok
        yield group, "prevalence", key, "present_with_age", f["present_with_age"], p["reports_with_age"]
        if f["expected_percent"] is not None:
            yield group, "prevalence", key, "expected_percent", f["expected_percent"], ""


def to_csv(summary: dict[str, Any]) -> str:
    buf = io.StringIO()
    writer = csv_writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerow((ALL, "input", "lines", "records", summary["lines"]["records"], ""))
    writer.writerow((ALL, "input", "lines", "malformed", summary["lines"]["malformed"], ""))
    writer.writerows(_csv_rows(ALL, summary["overall"]))
    for g in summary["groups"]:
        writer.writerows(_csv_rows(g["value"], g))
    return buf.getvalue()
