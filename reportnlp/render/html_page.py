"""The one HTML page shell both static pages use: inline CSS, system fonts, no scripts, no network."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from reportnlp.render.safe_text import html_text as escape
from reportnlp.version import __version__

BASE_CSS = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: #1c2833; margin: 24px auto; max-width: 1100px; padding: 0 16px; line-height: 1.45; }
h1 { font-size: 1.6em; margin: 0 0 4px; } h2 { margin-top: 1.8em; border-bottom: 1px solid #e5e8e8; }
h3 { margin: 1.4em 0 0.4em; font-size: 1.05em; }
.muted { color: #5d6d7e; } .small { font-size: 0.85em; }
table { border-collapse: collapse; margin: 6px 0 14px; font-size: 0.9em; }
th, td { border-bottom: 1px solid #e5e8e8; padding: 3px 10px; text-align: right; vertical-align: top; }
th:first-child, td:first-child { text-align: left; } th { background: #f4f6f6; }
caption { caption-side: bottom; text-align: left; color: #5d6d7e; font-size: 0.85em; padding-top: 4px; }
figure { margin: 10px 0 22px; } figcaption { font-weight: 600; margin-bottom: 4px; }
svg.chart { max-width: 100%; height: auto; font-family: inherit; }
footer { margin-top: 3em; color: #5d6d7e; font-size: 0.8em; }
"""


def page(title: str, body: str, css: str = "") -> str:
    """A complete, self-contained HTML document."""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<style>{BASE_CSS}{css}</style></head>\n<body>\n{body}\n"
        f'<footer>Made by reportnlp {escape(__version__)}. This page loads nothing from the network.</footer>\n'
        "</body></html>\n"
    )


def write_page(path: Path, html: str) -> None:
    """Write beside the target and rename, so a half-written page never sits at ``path``."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.absolute().parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(html)
        Path(tmp).chmod(_mode(path))  # mkstemp makes 0600; a page should get the usual permissions
        Path(tmp).replace(path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def _mode(path: Path) -> int:
    """The target's current permissions, or what the umask gives a new file."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
