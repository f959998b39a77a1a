"""One report as a static HTML page, displaCy style: mentions marked in their assertion's color
with a ``concept · assertion`` tag, cues underlined, sections labelled; then the mention and
label tables. Self-contained (inline CSS, no scripts); hover a mark for its cue and location."""

from __future__ import annotations

from typing import Any

from reportnlp.render.html_page import page
from reportnlp.render.palette import ASSERTION_COLORS, STATUS_COLORS
from reportnlp.render.safe_text import html_text as escape
from reportnlp.show.view import LABELS_DOC, header_facts, label_rows, location_text, mention_rows, pieces

CSS = """
.report { white-space: pre-wrap; font-size: 15px; line-height: 2.1; border: 1px solid #e5e8e8;
          border-radius: 6px; padding: 12px 16px; background: #fbfcfc; }
.section { display: inline-block; font-size: 11px; font-weight: 700; text-transform: uppercase; letter-spacing: .05em;
           color: #5d6d7e; background: #eaeded; border-radius: 3px; padding: 0 6px; line-height: 1.6; }
.section.nocount { color: #909497; background: #f4f6f6; font-weight: 400; }
mark.m { color: #fff; padding: 2px 3px; border-radius: 3px; }
.tag { font-size: 10px; font-weight: 700; padding: 1px 4px; margin: 0 3px 0 2px; border-radius: 3px;
       vertical-align: middle; border: 1px solid; background: #fff; }
.cue { text-decoration: underline 2px; text-underline-offset: 3px; font-weight: 700; }
.legend span { display: inline-block; color: #fff; padding: 0 6px; border-radius: 3px; margin-right: 4px; }
td.col-assertion, td.col-value { font-weight: 600; }
table.view th, table.view td { text-align: left; }
"""


def _mark(piece_text: str, m: dict[str, Any], cue: bool) -> str:
    color = ASSERTION_COLORS.get(m["assertion"], "#5d6d7e")
    tip = f"#{m['id']} {m['concept']} {m['assertion']}; {location_text(m) or 'no location'}"
    inner = f'<span class="cue">{escape(piece_text)}</span>' if cue else escape(piece_text)
    return (f'<mark class="m a-{escape(m["assertion"])}" data-mention="{escape(m["id"])}" style="background:{color}" '
            f'title="{escape(tip)}">{inner}</mark>')


def _tag(m: dict[str, Any]) -> str:
    color = ASSERTION_COLORS.get(m["assertion"], "#5d6d7e")
    return (f'<span class="tag" style="color:{color};border-color:{color}">#{escape(m["id"])} {escape(m["concept"])} · '
            f'{escape(m["assertion"])}</span>')


def report_html(record: dict[str, Any], text: str) -> str:
    out = []
    for piece in pieces(record, text):
        if piece.section is not None:
            s = piece.section
            cls, note = ("section", "counts") if s["counts"] else ("section nocount", "does not count")
            out.append(f'<span class="{cls}" title="{note} toward labels">{escape(s["name"])}</span> ')
        if piece.mention is not None:
            out.append(_mark(piece.text, piece.mention, piece.cue is not None))
        elif piece.cue is not None:
            out.append(f'<span class="cue" title="{escape(piece.cue["category"])}">{escape(piece.text)}</span>')
        else:
            out.append(escape(piece.text))
        out += [_tag(m) for m in piece.ends]
    return f'<div class="report">{"".join(out)}</div>'


def _table(title: str, columns: list[str], rows: list[list[str]], classes: list[str]) -> str:
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f'<td class="col-{k}">{v}</td>' for k, v in zip(classes, row, strict=True)) + "</tr>"
        for row in rows
    )
    return f"<h3>{escape(title)}</h3><table class=\"view\"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def report_page(record: dict[str, Any], text: str) -> str:
    facts = "".join(f"<div><b>{escape(k)}:</b> {escape(v)}</div>" for k, v in header_facts(record))
    legend = '<p class="legend small">' + "".join(
        f'<span style="background:{c}">{escape(a)}</span>' for a, c in ASSERTION_COLORS.items()
    ) + ' <span class="cue" style="color:#1c2833">cue</span></p>'
    keys = ["id", "text", "concept", "assertion", "cue", "section", "location", "prevalence", "gives"]
    mentions = [
        [escape(r[k]) if k != "assertion" else
         f'<span style="color:{ASSERTION_COLORS.get(r[k], "")}">{escape(r[k])}</span>' for k in keys]
        for r in mention_rows(record)
    ]
    labels = [
        [escape(label), f'<span style="color:{STATUS_COLORS.get(value, "#1c2833")}">{escape(value)}</span>',
         "; ".join(f"#{escape(m['id'])} {escape(' '.join(m['text'].split()))} ({escape(m['assertion'])})" for m in ms) or "-"]
        for label, value, ms in label_rows(record)
    ]
    body = "\n".join([
        f"<h1>{escape(record['id'])}</h1>", facts, legend, report_html(record, text),
        _table("Mentions", ["#", *keys[1:7], "without symptoms", "gives"], mentions, keys),
        _table("Labels and the mentions that decided them", ["label", "value", "decided by"], labels,
               ["label", "value", "decided"]),
        f"<p>{escape(LABELS_DOC)}</p>",
    ])
    return page(f"reportnlp: {record['id']}", body, CSS)
