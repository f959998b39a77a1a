"""Scoring: gold labels, metrics, bootstrap intervals, score tables, the public corpora. No spaCy."""
