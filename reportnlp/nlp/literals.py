"""Text that every match of a rule regex must hold, read from the pattern: a cheap test that rules a regex out.

A frame cue or a rule searched before every mention mostly cannot match there; when the words it would
read lack what each of its matches must hold, the search is skipped. Only what is sure is read: a run of
plain characters outside any group (:func:`required_literal`), or the alternatives of a group every match
goes through (:func:`required_any`); anything else gives nothing, and the regex is then always run.
"""

from __future__ import annotations

from collections.abc import Iterator

_QUANTIFIERS = frozenset("?*+{")
_ONE_LETTER_ESCAPES = frozenset("bBsSdDwWAzfnrtv")  # RE2's escapes of one letter: classes, anchors, controls
_CONTROLS = {"t": "\t", "n": "\n", "r": "\r", "f": "\f", "v": "\v"}  # those of them that are one character


def required_literal(pattern: str) -> str:
    """The longest run of literal characters every match of an RE2 ``pattern`` must hold, lower-cased ("" if
    none is sure): characters outside any group or class and not made optional by a quantifier, in a
    pattern with no top-level alternation. A frame whose literal is missing from the words it reads cannot
    match, so it is skipped without running its regex (most mentions have no "?" or "criteria" near them)."""
    runs: list[str] = []
    run: list[str] = []
    depth, i, n = 0, 0, len(pattern)

    def close() -> None:
        if run:
            runs.append("".join(run).lower())
            run.clear()

    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            nxt = pattern[i + 1]
            if nxt.isalnum() and nxt not in _ONE_LETTER_ESCAPES:
                return ""  # \x41, \pL, \Q...\E, \1: longer escapes are not read here, so nothing is sure
            # \b, \s, \d ... are classes or anchors; \t \n are their one character; \? \. are literals
            lit = _CONTROLS.get(nxt) if nxt.isalnum() else nxt
            i += 2
        elif c == "[":
            if pattern.startswith(("[[", "[^["), i):
                return ""  # a class holding a class ("[[:alpha:]]") is not read here
            j = i + 1
            while j < n and pattern[j] != "]":
                j += 2 if pattern[j] == "\\" else 1
            i, lit = j + 1, None
        elif c == "(":
            depth, i, lit = depth + 1, i + 1, None
        elif c == ")":
            depth, i, lit = depth - 1, i + 1, None
        elif c == "|" and depth == 0:
            return ""
        elif c == "{":
            j = pattern.find("}", i)
            i, lit = (j + 1 if j > 0 else n), None
        else:
            lit = None if c in "^$." or c in _QUANTIFIERS else c
            i += 1
        optional = i < n and pattern[i] in _QUANTIFIERS
        if depth == 0 and lit is not None and not optional:
            run.append(lit)
        else:
            close()
            if optional and run and depth == 0:
                close()
    close()
    return max(runs, key=len, default="")


def required_any(pattern: str) -> tuple[str, ...]:
    """Lower-cased literals of which every match of an RE2 ``pattern`` holds at least one, or () if that is not
    sure: the pattern is no alternation itself and goes through a group of alternatives at its top level (not
    made optional, not a lookaround) each of which holds a literal of its own; the first such group is read
    (``\\b(?:can|could)\\s+`` gives can, could; ``\\b(?:multi-?level|(?:any|all)\\s+levels?)\\b``: multi, level;
    ``^[^|\\t]{0,40}?(?:\\t|[ ]*\\|)\\s*s/p``: a tab, "|")."""
    groups = required_groups(pattern)
    return groups[0] if groups else ()


def required_groups(pattern: str) -> tuple[tuple[str, ...], ...]:
    """Every group :func:`required_any` could read, in pattern order: a match holds one literal of each
    (``\\b(?:on|in)\\s+(?:the\\s+)?(?:old|comparison)\\s+`` gives (on, in) and (old, comparison)). A frame
    tested on its first group alone let "in" pass nearly every text (session 24)."""
    if _splits_at_top(pattern):
        return ()
    groups = []
    for i, close in _top_level_groups(pattern):
        body = _group_body(pattern, i)
        if body is None or close is None or (close + 1 < len(pattern) and pattern[close + 1] in _QUANTIFIERS):
            continue
        literals = tuple(required_literal(alternative) for alternative in _top_level_parts(pattern[body:close]))
        if len(literals) > 1 and all(literals):
            groups.append(literals)
    return tuple(groups)


def _top_level_groups(pattern: str) -> list[tuple[int, int | None]]:
    """(index of "(", index of its closing ")" or None) of each group at the top level of ``pattern``, in
    order: what :func:`closing_paren` gives for each, read in one pass (a frame's pattern runs to hundreds
    of characters, and a scan from every group's start read it again for each)."""
    groups: list[tuple[int, int | None]] = []
    depth = 0
    for i, c in _structure(pattern):
        if c == "(":
            depth += 1
            if depth == 1:
                groups.append((i, None))
        elif c == ")":
            depth -= 1
            if depth == 0 and groups and groups[-1][1] is None:
                groups[-1] = (groups[-1][0], i)
    return groups


def _group_body(pattern: str, at: int) -> int | None:
    """Where the body of the group opening at ``at`` starts: after ``(``, ``(?:`` or ``(?P<name>``; None for a
    lookaround or flags group, whose words a match need not hold."""
    if not pattern.startswith("(?", at):
        return at + 1
    if pattern.startswith("(?:", at):
        return at + 3
    if pattern.startswith("(?P<", at):
        end = pattern.find(">", at)
        return end + 1 if end > 0 else None
    return None


def _structure(pattern: str, at: int = 0) -> Iterator[tuple[int, str]]:
    """(index, character) of the characters of ``pattern`` from ``at`` on that are outside escapes and classes."""
    i, in_class = at, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        else:
            yield i, c
        i += 1


def closing_paren(pattern: str, at: int) -> int | None:
    """The index of the ")" that closes the group opening at ``at`` (None if it is never closed)."""
    depth = 0
    for i, c in _structure(pattern, at):
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i
    return None


def _top_level_parts(pattern: str) -> list[str]:
    """``pattern`` split at its top-level "|" (one part when it is no alternation)."""
    parts, depth, last = [], 0, 0
    for i, c in _structure(pattern):
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(pattern[last:i])
            last = i + 1
    return [*parts, pattern[last:]]


def _splits_at_top(pattern: str) -> bool:
    """Whether ``pattern`` is an alternation at its top level (a match may then hold none of a branch's words)."""
    return len(_top_level_parts(pattern)) > 1
