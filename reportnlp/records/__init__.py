"""Record: a processed Doc becomes one JSON record (mentions, labels, patient, prevalence, levels, schema),
and records files are read back. The package itself imports no spaCy: summary and evaluation use its
label names and readers."""
