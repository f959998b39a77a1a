"""The cohort page's per-patient view: time to first bone metastasis and to first SRE.

Drawn from the plain dict of :func:`reportnlp.tables.outcomes.patient_outcomes` (the CLI computes it
from the same records when they carry a patient id and a date): a cumulative-incidence chart with
one step line per event, the headline numbers, and the first patients as a table.
"""

from __future__ import annotations

from html import escape
from typing import Any

from reportnlp.render.palette import GRID, METASTASIS_COLOR, MUTED
from reportnlp.summary.charts import svg, text

SRE_COLOR = "#7d3c98"
CURVES = (("bone_metastasis", "first bone metastasis", METASTASIS_COLOR), ("sre", "first SRE", SRE_COLOR))


def incidence_chart(outcomes: dict[str, Any], chart_id: str = "chart-time-to-event") -> str:
    """Cumulative percent of patients with each event against days since their first report."""
    width, height, left, right, top, bottom = 640, 300, 48, 170, 16, 40
    span = max(1, max(outcomes[name]["follow_up_days"] for name, _, _ in CURVES))
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(day: float) -> float:
        return left + plot_w * day / span

    def y(pct: float) -> float:
        return top + plot_h * (1 - pct / 100)

    body = []
    for pct in (0, 25, 50, 75, 100):
        body += [f'<line x1="{left}" x2="{left + plot_w}" y1="{y(pct):.1f}" y2="{y(pct):.1f}" stroke="{GRID}"/>',
                 text(left - 6, y(pct) + 4, f"{pct}%", 11, "end", MUTED)]
    for frac in (0, 0.5, 1):
        body.append(text(x(span * frac), top + plot_h + 16, f"{round(span * frac):,} d", 11, "middle", MUTED))
    body.append(text(left + plot_w / 2, height - 6, "days since the patient's first report", 11, "middle", MUTED))
    for i, (name, label, color) in enumerate(CURVES):
        c = outcomes[name]
        points, path = c["cumulative_percent"], []
        for j, (day, pct) in enumerate(points):
            if j:
                path.append(f"L{x(day):.1f},{y(points[j - 1][1]):.1f}")
            path.append(f"{'M' if not j else 'L'}{x(day):.1f},{y(pct):.1f}")
        path.append(f"L{x(c['follow_up_days']):.1f},{y(points[-1][1]):.1f}")
        tip = f"{label}: {c['patients_with_event']} of {outcomes['patients']} patients; " \
              f"median {c['median_days'] if c['median_days'] is not None else 'not reached'} days"
        body.append(f'<path class="curve curve-{name}" d="{"".join(path)}" fill="none" stroke="{color}" '
                    f'stroke-width="2"><title>{escape(tip)}</title></path>')
        ly = top + 14 + 20 * i
        body += [f'<line x1="{width - right + 12}" x2="{width - right + 32}" y1="{ly - 4}" y2="{ly - 4}" '
                 f'stroke="{color}" stroke-width="3"/>', text(width - right + 38, ly, label, 12)]
    return svg(chart_id, width, height, "Cumulative percent of patients with a first bone metastasis and a first SRE "
               "by days since their first report", body)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return escape(";".join(value) if isinstance(value, list) else str(value))


def patients_section(outcomes: dict[str, Any]) -> str:
    """The section, or '' when no record had both a patient id and a date."""
    n = outcomes["patients"]
    if not n:
        return ""
    bm, sre = outcomes["bone_metastasis"], outcomes["sre"]

    def median(c: dict[str, Any]) -> str:
        return f"{c['median_days']:,} days" if c["median_days"] is not None else "not reached"

    cards = [
        (str(n), "patients (with a patient id and report dates)"),
        (f"{bm['patients_with_event']}", f"with bone metastasis present ({bm['at_first_report']} at the first report)"),
        (median(bm), "median time to first bone metastasis"),
        (f"{sre['patients_with_event']}", "with an SRE (pathologic fracture or cord compression present)"),
        (median(sre), "median time to first SRE"),
    ]
    columns = ["patient", "reports", "first report", "last report", "first bone metastasis", "days to it",
               "first SRE", "which", "days to it", "latest change"]
    keys = ["patient_id", "reports", "first_date", "last_date", "first_bone_metastasis_present", "days_to_bone_metastasis",
            "first_sre_date", "first_sre", "days_to_sre", "latest_change"]
    rows = "".join("<tr>" + "".join(f"<td>{_cell(p[k])}</td>" for k in keys) + "</tr>" for p in outcomes["listed"])
    shown = len(outcomes["listed"])
    return "\n".join([
        '<section id="patients"><h2>Patients</h2>',
        '<div class="cards">' + "".join(f"<div class=card><b>{escape(v)}</b><span>{escape(k)}</span></div>"
                                        for v, k in cards) + "</div>",
        "<figure><figcaption>Time to first bone metastasis and first skeletal-related event</figcaption>",
        incidence_chart(outcomes),
        '<div class="muted small">Cumulative percent of patients (1 - Kaplan-Meier) by days since their first report; '
        "a patient without the event counts until their last report. SRE: pathologic fracture or cord compression "
        "present.</div></figure>",
        f"<h3>Per patient (the first {shown} of {n} by patient id; <code>reportnlp patients</code> lists all)</h3>",
        '<table class="table-patients"><thead><tr>' + "".join(f"<th>{escape(c)}</th>" for c in columns)
        + f"</tr></thead><tbody>{rows}</tbody></table>",
        "</section>",
    ])
