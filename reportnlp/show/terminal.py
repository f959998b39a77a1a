"""One report in the terminal: marked sections, mentions colored by assertion, then why each label.

Mentions are highlighted in their assertion's color and followed by a tag ``[#id concept
assertion]``, so the view still says everything without color (``NO_COLOR``, a pipe); cues are
underlined. Below the text: every mention with its cue and location (one line each, readable in
a narrow terminal), then each label with the mention(s) that decided it.
"""

from __future__ import annotations

from typing import IO, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from reportnlp.render.palette import ASSERTION_COLORS, STATUS_COLORS
from reportnlp.render.safe_text import one_line, text_block
from reportnlp.show.view import LABELS_DOC, header_facts, label_rows, mention_rows, pieces


def _style(assertion: str) -> str:
    return f"bold #ffffff on {ASSERTION_COLORS.get(assertion, '#5d6d7e')}"


def report_text(record: dict[str, Any], text: str) -> Text:
    out = Text()
    for piece in pieces(record, text):
        if piece.section is not None:
            s = piece.section
            counts = "counts toward labels" if s["counts"] else "does not count toward labels"
            if out and not out.plain.endswith("\n"):
                out.append("\n")
            out.append(f"── {one_line(s['name'])} ({counts}) ──\n", style="bold #5d6d7e")
        style = _style(piece.mention["assertion"]) if piece.mention else ""
        if piece.cue is not None:
            style = f"{style} underline".strip() if style else "underline bold"
        out.append(text_block(piece.text), style=style or None)
        for m in piece.ends:
            color = ASSERTION_COLORS.get(m["assertion"], "#5d6d7e")
            out.append(one_line(f" [#{m['id']} {m['concept']} {m['assertion']}]"), style=f"{color} italic")
    return out


def _legend() -> Text:
    """The six assertion colors and the cue style, in under 80 columns."""
    legend = Text()
    for assertion in ASSERTION_COLORS:
        legend.append(f" {assertion} ", style=_style(assertion))
        legend.append(" ")
    legend.append("cue", style="underline bold")
    return legend


def mention_lines(record: dict[str, Any]) -> Text:
    """One line per mention: text, concept, assertion, cue, location, section, what it gave."""
    out = Text()
    for row in mention_rows(record):
        row = {k: one_line(v) if isinstance(v, str) else v for k, v in row.items()}
        color = ASSERTION_COLORS.get(row["assertion"], "")
        out.append(f"#{row['id']:<3} ", style="bold")
        out.append(row["text"], style=_style(row["assertion"]))
        out.append(f"  {row['concept']} ")
        out.append(row["assertion"], style=f"bold {color}")
        if row["cue"]:
            out.append(f" · cue {row['cue']}")
        if row["location"]:
            out.append(f" · at {row['location']}")
        if row["prevalence"]:
            out.append(f" · without symptoms: {row['prevalence']}")
        out.append(f" · {row['section']} -> {row['gives'] or 'nothing'}\n", style="#5d6d7e")
    return out


def label_table(record: dict[str, Any]) -> tuple[Table, list[str]]:
    """Labels with a value and the mentions behind it; and the labels nothing mentions."""
    table = Table(title="Labels and the mentions that decided them", title_justify="left")
    for column in ("label", "value", "decided by"):
        table.add_column(column, overflow="fold")
    silent = []
    for label, value, mentions in label_rows(record):
        if value == "not_mentioned":
            silent.append(one_line(label.removeprefix("degenerative.")))
            continue
        decided = "; ".join(f"#{m['id']} {' '.join(m['text'].split())!r} ({m['assertion']})" for m in mentions)
        table.add_row(Text(one_line(label)), Text(one_line(value), style=STATUS_COLORS.get(value, "")),
                      Text(one_line(decided or "-")))
    return table, silent


def print_report(record: dict[str, Any], text: str, file: IO[str]) -> None:
    console = Console(file=file, highlight=False)
    for name, value in header_facts(record):
        console.print(Text.assemble((f"{name}: ", "bold"), one_line(value)))
    console.print(_legend())
    console.print()
    console.print(report_text(record, text))
    console.print()
    console.print(Text("Mentions", style="bold"))
    console.print(mention_lines(record))
    table, silent = label_table(record)
    console.print(table)
    if silent:
        console.print(Text.assemble(("not mentioned: ", "bold"), ", ".join(silent)))
    console.print(Text(LABELS_DOC, style="dim"))
