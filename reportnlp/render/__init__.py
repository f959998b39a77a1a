"""The shared look of human-facing output: colours and the self-contained HTML page frame. No spaCy."""
