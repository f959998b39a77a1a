"""Inline SVG charts for the summary page: plain strings, no scripts, no fonts, no network.

Each chart is one ``<svg id=...>`` element sized in pixels, with a ``<title>`` for screen readers
and a ``<title>`` on every bar (the exact count shows on hover). Text inherits the page's
system font.
"""

from __future__ import annotations

from html import escape
from typing import Any

from reportnlp.nlp.levels import SEQUENCE
from reportnlp.render.palette import (
    DEGENERATIVE_COLOR,
    EXPECTED_COLOR,
    GRID,
    INK,
    METASTASIS_COLOR,
    MUTED,
    STATUS_COLORS,
)
from reportnlp.summary.cohort import STATUSES, level_order

SPINE = [*SEQUENCE[: SEQUENCE.index("S1") + 1]]  # C1..S1, the levels the diagram always shows
SPINE_ROWS = [x for i, v in enumerate(SPINE) for x in ([v] if i == len(SPINE) - 1 else [v, f"{v}-{SPINE[i + 1]}"])]


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _pct(n: float, of: float) -> str:
    return f"{100 * n / of:.1f}%" if of else "-"


def svg(chart_id: str, width: int, height: int, title: str, body: list[str]) -> str:
    return (
        f'<svg id="{chart_id}" class="chart" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="{chart_id}-title">'
        f'<title id="{chart_id}-title">{_e(title)}</title>{"".join(body)}</svg>'
    )


def rect(x: float, y: float, w: float, h: float, fill: str, tip: str = "", extra: str = "") -> str:
    title = f"<title>{_e(tip)}</title>" if tip else ""
    return f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{h:.1f}" fill="{fill}" {extra}>{title}</rect>'


def text(x: float, y: float, s: object, size: int = 12, anchor: str = "start", fill: str = INK, weight: str = "") -> str:
    bold = ' font-weight="bold"' if weight else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{fill}"{bold}>{_e(s)}</text>'
    )


def _legend(items: list[tuple[str, str]], x: float, y: float) -> list[str]:
    out = []
    for label, color in items:
        out += [rect(x, y - 10, 12, 12, color), text(x + 16, y, label, 12)]
        x += 28 + 7 * len(label)
    return out


_NICE = (1, 2, 5, 10, 20, 25, 50, 100)


def nice_top(share: float, floor: float = 5.0) -> float:
    """The top of a percent scale: the smallest of 1, 2, 5, 10, 20, 25, 50, 100 at or above ``share``
    and ``floor``, so a rare finding is drawn small and the scale says so."""
    return next((t for t in _NICE if t >= max(share, floor)), 100)


MENTIONED = ("present", "possible", "absent")


def label_status_chart(labels: dict[str, dict[str, int]], ok: int, chart_id: str = "chart-label-status") -> str:
    """One bar per label: the share of reports where it is present, possible or absent, on a scale zoomed
    to the most mentioned label (at real prevalence most reports never mention most labels, and a bar
    of the whole would be a grey band); the counts of every status are written beside each bar."""
    left, bar_w, row_h = 170, 420, 24
    shares = [100 * sum(c[s] for s in MENTIONED) / ok for c in labels.values()] if ok else [0.0]
    top = nice_top(max(shares, default=0.0))
    body = _legend([(s, STATUS_COLORS[s]) for s in MENTIONED], left, 16)
    body.append(text(left + bar_w, 16, f"scale: 0-{top:g}% of {ok} reports", 11, "end", MUTED))
    for i, (label, counts) in enumerate(labels.items()):
        y = 30 + i * row_h
        body.append(text(left - 8, y + 15, label.removeprefix("degenerative."), 12, "end"))
        x = float(left)
        for status in MENTIONED:
            n = counts[status]
            w = bar_w * (100 * n / ok) / top if ok else 0
            tip = f"{label}: {status} {n} of {ok} reports ({_pct(n, ok)})"
            body.append(rect(x, y + 2, w, row_h - 6, STATUS_COLORS[status], tip, f'class="bar status-{status}"'))
            x += w
        words = " · ".join(f"{s.replace('_', ' ')} {counts[s]}" for s in STATUSES)
        body.append(text(max(x, left) + 6, y + 15, words if ok else "no reports", 11, fill=MUTED))
    height = 30 + len(labels) * row_h + 8
    return svg(chart_id, left + bar_w + 330, height, f"Label status of {ok} reports", body)


def group_comparison_chart(rows: list[tuple[str, dict[str, Any]]], chart_id: str = "chart-groups") -> str:
    """Groups side by side: for each label, one bar per group with the share of its reports where the
    label is present or possible, on one zoomed scale, so groups compare at a glance."""
    palette = ["#2e86c1", "#ca6f1e", "#239b56", "#8e44ad", "#b03a2e", "#5d6d7e", "#d4ac0d", "#17a589"]
    names = [name for name, _ in rows]
    labels = list(rows[0][1]["labels"]) if rows else []
    left, bar_w, bar_h = 170, 420, 9
    row_h = bar_h * max(len(rows), 1) + 8
    values = {
        (name, label): (g["labels"][label]["present"] + g["labels"][label]["possible"], g["reports"]["ok"])
        for name, g in rows for label in labels
    }
    top = nice_top(max((100 * n / ok for n, ok in values.values() if ok), default=0.0), floor=1.0)
    body = _legend([(name, palette[i % len(palette)]) for i, name in enumerate(names)], left, 16)
    body.append(text(left + bar_w, 32, f"present or possible, share of each group's reports (scale 0-{top:g}%)", 11,
                     "end", MUTED))
    for i, label in enumerate(labels):
        y = 44 + i * row_h
        body.append(text(left - 8, y + row_h / 2 + 2, label.removeprefix("degenerative."), 12, "end"))
        for j, name in enumerate(names):
            n, ok = values[(name, label)]
            w = bar_w * (100 * n / ok) / top if ok else 0
            by = y + j * bar_h
            body += [rect(left, by, w, bar_h - 1, palette[j % len(palette)], f"{label}, {name}: {n} of {ok} ({_pct(n, ok)})",
                          'class="bar group"'),
                     text(left + w + 4, by + bar_h - 1, f"{_pct(n, ok)}", 9, fill=MUTED)]
    height = 44 + len(labels) * row_h + 8
    return svg(chart_id, left + bar_w + 80, height, "Groups side by side", body)


def spine_rows(*level_maps: dict[str, int]) -> list[str]:
    """C1, C1-C2, C2 ... L5-S1, S1, plus any other level the counts hold (S2 ...), in spine order."""
    extra = {lv for m in level_maps for lv in m if lv not in SPINE_ROWS}
    return sorted([*SPINE_ROWS, *extra], key=level_order)


def spine_chart(
    metastasis: dict[str, int], degenerative: dict[str, int], met_reports: int, ok: int, chart_id: str = "chart-spine"
) -> str:
    """The spine laid on its side, C1 to S1: vertebrae and discs along the middle, reports with bone
    metastasis at each vertebra above it, reports with a degenerative finding at each level below it.

    Bars are shares of all ``ok`` reports on a scale zoomed to the busiest level but never below 5%, so a
    level named in one report of a thousand draws a sliver, not a full bar; an empty half says so."""
    rows = spine_rows(metastasis, degenerative)
    left, vert_w, disc_w, bar_h = 70, 22, 9, 110
    axis_y, axis_h = 28 + bar_h + 14, 24
    met_top = nice_top(100 * max(metastasis.values(), default=0) / ok if ok else 0.0)
    deg_top = nice_top(100 * max(degenerative.values(), default=0) / ok if ok else 0.0)
    width = left + sum(disc_w if "-" in lv else vert_w for lv in rows) + 20
    body = [
        text(left, 16, f"bone metastasis: reports per vertebra ({met_reports} of {ok} reports have bone metastasis; "
             f"scale 0-{met_top:g}% of {ok})", 12, fill=METASTASIS_COLOR, weight="b"),
        text(left, axis_y + axis_h + bar_h + 40, f"degenerative findings: reports per level (scale 0-{deg_top:g}% of {ok})",
             12, fill=DEGENERATIVE_COLOR, weight="b"),
        text(left - 8, axis_y + 16, "spine", 11, "end", MUTED),
    ]
    if not metastasis:
        body.append(text(left + 10, axis_y - bar_h / 2, "no report places bone metastasis at a spine level", 12,
                         fill=MUTED))
    if not degenerative:
        body.append(text(left + 10, axis_y + axis_h + bar_h / 2, "no report places a degenerative finding at a spine level",
                         12, fill=MUTED))
    x, region = float(left), ""
    for level in rows:
        disc = "-" in level
        w = disc_w if disc else vert_w
        cx = x + w / 2
        if disc:
            body.append(rect(x + 1, axis_y + 5, w - 2, axis_h - 10, "#d6dbdf", f"disc {level}", 'rx="2"'))
        else:
            body += [rect(x, axis_y, w, axis_h, "#f2f3f4", f"vertebra {level}", f'rx="3" stroke="{MUTED}"'),
                     text(cx, axis_y + 16, level, 9, "middle", INK)]
            if level[0] != region:
                region = level[0]
                name = {"C": "cervical", "T": "thoracic", "L": "lumbar", "S": "sacrum"}[region]
                body.append(text(x, axis_y + axis_h + bar_h + 22, name, 10, fill=MUTED))
        n_met = metastasis.get(level, 0)
        if n_met:
            h = max(bar_h * (100 * n_met / ok) / met_top, 1.5)
            tip = f"{level}: bone metastasis in {n_met} of {ok} reports ({_pct(n_met, ok)})"
            body += [rect(x + 2, axis_y - 3 - h, w - 4, h, METASTASIS_COLOR, tip, 'class="bar metastasis"'),
                     text(cx, axis_y - 6 - h, n_met, 9, "middle", METASTASIS_COLOR)]
        n_deg = degenerative.get(level, 0)
        if n_deg:
            h = max(bar_h * (100 * n_deg / ok) / deg_top, 1.5)
            tip = f"{level}: degenerative finding in {n_deg} of {ok} reports ({_pct(n_deg, ok)})"
            opacity = "1" if disc else "0.55"
            body += [rect(x + 1, axis_y + axis_h + 3, w - 2, h, DEGENERATIVE_COLOR, tip,
                          f'class="bar degenerative" fill-opacity="{opacity}"'),
                     text(cx, axis_y + axis_h + 13 + h, n_deg, 9, "middle", DEGENERATIVE_COLOR)]
        x += w
    height = axis_y + axis_h + bar_h + 50
    return svg(chart_id, int(max(width, 640)), height, "Bone metastasis and degenerative findings by spine level", body)


def prevalence_chart(prevalence: dict[str, Any], chart_id: str = "chart-prevalence") -> str:
    """Per degenerative finding: share in the cohort (reports with an age) against the share expected
    in people without symptoms of the same ages; a band where the reference has only a range."""
    left, bar_w, row_h = 170, 440, 34
    with_age = prevalence["reports_with_age"]
    body = _legend([(f"cohort, {with_age} reports with an age", DEGENERATIVE_COLOR),
                    ("expected without symptoms, same ages", EXPECTED_COLOR)], left, 16)
    top = 44
    findings = prevalence["findings"]
    bottom = top + len(findings) * row_h
    for tick in (0, 25, 50, 75, 100):
        x = left + bar_w * tick / 100
        body += [f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{bottom}" stroke="{GRID}"/>',
                 text(x, top - 9, f"{tick}%", 10, "middle", MUTED)]
    for i, (key, f) in enumerate(findings.items()):
        y = top + i * row_h
        body.append(text(left - 8, y + 19, key, 12, "end"))
        cohort = 100 * f["present_with_age"] / with_age if with_age else None
        if cohort is not None:
            tip = f"{key}: present in {f['present_with_age']} of {with_age} reports with an age ({cohort:.1f}%)"
            body += [rect(left, y + 4, bar_w * cohort / 100, 11, DEGENERATIVE_COLOR, tip, 'class="bar cohort"'),
                     text(left + bar_w * cohort / 100 + 4, y + 13, f"{cohort:.1f}%", 10, fill=DEGENERATIVE_COLOR)]
        expected, note = f["expected_percent"], ""
        if expected is not None:
            tip = f"{key}: expected {expected:.1f}% in people without symptoms of the cohort's ages"
            body += [rect(left, y + 17, bar_w * expected / 100, 11, EXPECTED_COLOR, tip, 'class="bar expected"'),
                     text(left + bar_w * expected / 100 + 4, y + 26, f"{expected:.1f}%", 10, fill=MUTED)]
            if cohort is not None and cohort <= expected:
                note = "not above people without symptoms"
        elif f["range_percent"]:
            low, high = f["range_percent"]
            tip = f"{key}: {low}-{high}% in people without symptoms (all ages)"
            body += [rect(left + bar_w * low / 100, y + 17, max(bar_w * (high - low) / 100, 2), 11, EXPECTED_COLOR, tip,
                          'class="bar expected-range" fill-opacity="0.5"'),
                     text(left + bar_w * high / 100 + 6, y + 26, f"{low}-{high}% (all ages)" if low != high
                          else f"{low}% (all ages)", 10, fill=MUTED)]
        else:
            note = "no reference figure"
        if note:
            body.append(text(left + bar_w + 12, y + 19, note, 11, fill=MUTED))
    if not with_age:
        body.append(text(left, bottom + 18, "No report states the patient's age: the cohort cannot be set beside "
                         "people without symptoms of the same ages.", 12, fill=MUTED))
        bottom += 20
    title = "Degenerative findings: cohort versus people without symptoms of the same ages"
    return svg(chart_id, left + bar_w + 230, bottom + 8, title, body)


def bar_chart(rows: list[tuple[str, int]], of: int, chart_id: str, title: str, color: str) -> str:
    """Simple horizontal bars: count and share of ``of`` per row."""
    left, bar_w, row_h = 170, 420, 22
    top = max((n for _, n in rows), default=0) or 1
    body = []
    for i, (label, n) in enumerate(rows):
        y = 6 + i * row_h
        w = bar_w * n / top
        body += [text(left - 8, y + 14, label, 12, "end"),
                 rect(left, y + 2, w, row_h - 6, color, f"{label}: {n} of {of} ({_pct(n, of)})", 'class="bar"'),
                 text(left + w + 4, y + 14, f"{n} ({_pct(n, of)})", 11, fill=MUTED)]
    if not rows:
        body.append(text(left, 18, "none", 12, fill=MUTED))
    return svg(chart_id, left + bar_w + 110, 12 + max(len(rows), 1) * row_h, title, body)
