"""Flat tables from records: one row per patient, per report, per mention, or OMOP NOTE_NLP; streamed. No spaCy."""
