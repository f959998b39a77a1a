"""Running: the Extractor (report -> record), the local process pool, signals, progress, the output writer, resume."""
