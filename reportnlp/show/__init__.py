"""One report explained: mentions, cues and why each label, in the terminal or as HTML. No spaCy."""
