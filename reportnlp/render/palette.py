"""Colors shared by the terminal and HTML views, so a status looks the same everywhere."""

from __future__ import annotations

# Label statuses and mention assertions (present/possible/absent mean the same in both).
STATUS_COLORS = {
    "present": "#c0392b",
    "possible": "#e08e0b",
    "absent": "#1e8449",
    "not_mentioned": "#cfd4da",
}
ASSERTION_COLORS = {
    **{k: v for k, v in STATUS_COLORS.items() if k != "not_mentioned"},
    "historical": "#7d3c98",
    "hypothetical": "#2e86c1",
    "family": "#8d6e63",
}
METASTASIS_COLOR = "#c0392b"
DEGENERATIVE_COLOR = "#2e86c1"
EXPECTED_COLOR = "#aab7b8"
INK, MUTED, GRID = "#1c2833", "#5d6d7e", "#e5e8e8"
