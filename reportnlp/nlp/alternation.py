"""One regex alternation for many literal phrases, written as a prefix tree so Python's ``re`` stays fast.

Section headers, cue words and template values are matched by alternations of hundreds of phrases.
Written flat (``impression|findings|...``), ``re`` tries every branch at every place it looks; as a
prefix tree (``i(?:mpression|ndication)|f(?:indings)...``) it tries only the branches that begin
with the letter at hand. The two regexes match the same text the same way: phrases that can match
at one place are prefixes of one another (words are joined by ``\\s+``), and the tree tries those
longest first, as the flat form sorted longest first does (tests/test_alternation.py checks both
on random phrases and texts).
"""

from __future__ import annotations

import re
from typing import Any

_END = ""  # a phrase ends at this node
_LONGEST = 200  # longer phrases get the flat form (the tree's nesting stays well inside re's limits)


def plain_alternation(phrases: list[str], sep: str = r"\s+") -> str:
    """The flat form: each phrase's words joined by ``sep`` (``\\s+``), longest phrase first (phrases of one
    length in their given order: the same text in every process, whatever its string hashing)."""
    return "|".join(sep.join(map(re.escape, p.split())) for p in sorted(dict.fromkeys(phrases), key=len, reverse=True))


def literal_alternation(phrases: list[str], ignore_case: bool, sep: str = r"\s+") -> str:
    """The prefix-tree form of :func:`plain_alternation` (same matches, same order of preference) for a
    regex compiled with ``re.IGNORECASE`` (``ignore_case``) or without.

    With ``ignore_case`` the tree is built on lower-case phrases ("A" and "a" are one branch). Phrases
    with a character outside ASCII, or a blank one, get the flat form: under ``re.IGNORECASE`` two
    different such characters may match the same one in a text ("s" and the long s), which the
    tree's one-branch-per-character argument does not cover. So do phrases over 200 characters.
    ``sep`` is what stands between words (section headers use one that does not cross a line break).
    """
    if not phrases or not all(p.isascii() and p.strip() and len(p) <= _LONGEST for p in phrases):
        return plain_alternation(phrases, sep)
    root: dict[str, Any] = {}
    for phrase in {" ".join((p.lower() if ignore_case else p).split()) for p in phrases}:
        node = root
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[_END] = {}
    return _tree(root, sep)


def _tree(node: dict[str, Any], sep: str = r"\s+") -> str:
    """Branches by next character (a space stands for ``\\s+``), a phrase that ends here last: along
    one path, longer phrases are tried first; branches with different next characters exclude each other.
    A run of nodes with one next character and no phrase ending is written at once (most of a tree's nodes:
    the same text as one node at a time, without a call per character)."""
    branches = []
    for key, child in sorted(node.items()):
        if key == _END:
            continue
        run = [key]
        while len(child) == 1 and _END not in child:
            ((key, child),) = child.items()
            run.append(key)
        branches.append(sep.join(map(re.escape, "".join(run).split(" "))) + _tree(child, sep))
    if _END in node:
        branches.append("")
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
