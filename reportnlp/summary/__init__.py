"""Cohort summary: streaming aggregation of records and its renderers (tables, JSON, CSV, HTML, SVG charts). No spaCy."""
