"""A cohort summary -> one static HTML page: headline numbers, SVG charts, then every table.

Charts: label status bars, the spine (metastasis and degenerative findings by level), the
cohort-versus-people-without-symptoms prevalence chart, metastasis sites and modalities. With
``--by`` each group gets the same charts and tables in its own section.
"""

from __future__ import annotations

import re
from typing import Any

from reportnlp.render.html_page import page
from reportnlp.render.palette import METASTASIS_COLOR, MUTED
from reportnlp.render.safe_text import html_text as escape
from reportnlp.summary.charts import bar_chart, group_comparison_chart, label_status_chart, prevalence_chart, spine_chart
from reportnlp.summary.patients_html import patients_section
from reportnlp.summary.tables import Table, group_tables, groups, input_rows, share

CSS = """
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 10px 0 6px; }
.card { border: 1px solid #e5e8e8; border-radius: 6px; padding: 6px 10px; }
.card b { display: block; font-size: 1.3em; } .card span { color: #5d6d7e; font-size: 0.8em; }
details > summary { cursor: pointer; font-weight: 600; margin: 8px 0; }
.warning { border-left: 4px solid #ca6f1e; padding: 4px 10px; background: #fdf2e9; }
.table-patients td { white-space: nowrap; }
"""


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "group"


def html_table(t: Table) -> str:
    head = "".join(f"<th>{escape(c)}</th>" for c in t.columns)
    rows = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in t.rows)
    caption = f"<caption>{escape(t.note)}</caption>" if t.note else ""
    return (f'<h3>{escape(t.title)}</h3><table class="table-{t.key}">{caption}'
            f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")


def _cards(g: dict[str, Any]) -> str:
    ok = g["reports"]["ok"]
    labels = g["labels"]
    affirmed = {k: labels[k]["present"] + labels[k]["possible"] for k in ("bone_metastasis", "cord_compression")}
    items = [
        (str(g["reports"]["processed"]), f"reports ({ok} ok, {g['reports']['error']} error)"),
        (share(affirmed["bone_metastasis"], ok), "bone metastasis present or possible"),
        (share(labels["fracture"]["present"], ok), "fracture present"),
        (share(affirmed["cord_compression"], ok), "cord compression present or possible"),
        (str(g["prevalence"]["reports_with_age"]), "state the patient's age"),
        (share(g.get("low_sensitivity_negative", 0), ok), "no bone metastasis, but radiographs only (weak negative)"),
        (str(g["reports"].get("distinct_texts", ok)), f"distinct report texts (of {g['reports'].get('with_text_hash', ok)})"),
    ]
    return '<div class="cards">' + "".join(f"<div class=card><b>{escape(v)}</b><span>{escape(k)}</span></div>"
                                           for v, k in items) + "</div>"


def _repeats(g: dict[str, Any], dedupe: dict[str, Any]) -> str:
    """Say when repeated report texts are counted more than once (an export with copies inflates counts)."""
    repeated = g["reports"].get("repeated_texts", 0)
    if not repeated:
        return ""
    return (f'<p class="warning"><b>{repeated} of {g["reports"]["with_text_hash"]} reports repeat the text of an '
            "earlier report and are counted again</b>: every count below includes the copies. "
            "<code>reportnlp summarize --dedupe</code> counts each text once.</p>") if not dedupe.get("on") else ""


def _modality_note(g: dict[str, Any]) -> str:
    """The reference figures are from MRI and CT; say which exams this cohort's findings come from."""
    seen = ", ".join(f"{m} {n}" for m, n in g["modalities"].items()) or "none stated"
    return ("The reference figures come from MRI and CT of people without symptoms; radiographs show fewer of these "
            f"findings, so a cohort of radiographs is not directly comparable. This cohort's exams: {seen}.")


def _figure(caption: str, chart: str, note: str = "") -> str:
    extra = f'<div class="muted small">{escape(note)}</div>' if note else ""
    return f"<figure><figcaption>{escape(caption)}</figcaption>{chart}{extra}</figure>"


def group_section(heading: str, g: dict[str, Any], suffix: str, dedupe: dict[str, Any] | None = None) -> str:
    ok, met = g["reports"]["ok"], g["metastasis"]
    p = g["prevalence"]
    parts = [
        f'<section id="{_slug(heading)}"><h2>{escape(heading)}</h2>',
        _cards(g),
        _repeats(g, dedupe or {}),
        _figure("Label status", label_status_chart(g["labels"], ok, f"chart-label-status{suffix}")),
        _figure(
            "Bone metastasis and degenerative findings by spine level",
            spine_chart(met["levels"], g["degenerative_levels"]["any"], met["reports"], ok, f"chart-spine{suffix}"),
            "Reports with a mention at each level that gave the label present or possible. Degenerative findings "
            "named at a disc level (L4-L5) are drawn under the disc; those named at a vertebra, lighter, under it.",
        ),
        _figure(
            "Degenerative findings: this cohort versus people without symptoms of the same ages",
            prevalence_chart(p, f"chart-prevalence{suffix}"),
            f"Cohort: share of the {p['reports_with_age']} reports that state an age with the finding present. "
            "Expected: the mean, over those reports, of the prevalence at that age in people without symptoms "
            f"(Brinjikji et al. 2015). {p['reports_without_age']} reports state no age and are not compared. "
            + _modality_note(g),
        ),
        _figure(f"Metastasis sites ({met['reports']} reports with bone metastasis present or possible)",
                bar_chart(list(met["sites"].items()), met["reports"], f"chart-sites{suffix}", "Metastasis sites",
                          METASTASIS_COLOR)),
        _figure("Modalities", bar_chart(list(g["modalities"].items()), ok, f"chart-modalities{suffix}", "Modalities",
                                        MUTED)),
        "<details open><summary>Tables</summary>",
        *(html_table(t) for t in group_tables(g)),
        "</details></section>",
    ]
    return "\n".join(parts)


def summary_page(summary: dict[str, Any], patients: dict[str, Any] | None = None) -> str:
    """The page; ``patients`` (from ``reportnlp.tables.outcomes.patient_outcomes``) adds the per-patient view."""
    inputs = ", ".join(summary["inputs"]) or "records"
    lines = summary["lines"]
    intro = (
        f"<h1>Cohort summary</h1><p class=muted>{escape(inputs)}: {lines['records']} records, "
        f"{lines['malformed']} malformed lines"
        + (f"; split by <b>{escape(summary['by'])}</b>" if summary["by"] else "")
        + f". Summary schema {escape(summary['summary_schema_version'])}.</p>"
    )
    dedupe = summary.get("dedupe") or {}
    sections = [group_section(heading, g, "" if i == 0 else f"-{i}", dedupe) for i, (heading, g) in enumerate(groups(summary))]
    toc = ""
    if summary["groups"]:
        toc = "<p>Groups: " + " · ".join(
            f'<a href="#{_slug(h)}">{escape(h)}</a>' for h, _ in list(groups(summary))[1:]) + "</p>"
        side = [(str(g["value"]), g) for g in summary["groups"]]
        toc += _figure(f"Groups side by side ({escape(summary['by'])})", group_comparison_chart(side),
                       "Each group's share of its own reports; the sections below give each group in full.")
    input_table = html_table(Table("input", "Input", ["", "lines"], input_rows(summary)))
    view = patients_section(patients) if patients else ""
    return page("reportnlp cohort summary", "\n".join([intro, toc, view, *sections, input_table]), CSS)
