"""Language: rule files (loading, validation), regex scanning, the spaCy pipeline and its components."""
