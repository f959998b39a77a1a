"""Bounded memo tables: the components remember recent work, never more than a fixed number of entries.

A table that is cleared when full frees its memory in fragments and grows again; one that drops
its oldest entry per new one stays the same size, so a run's memory does not grow with its length.
(An OrderedDict drops its oldest entry in constant time; a dict must skip the holes left by earlier
deletions to find it.)
"""

from collections import OrderedDict
from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


def memo_table() -> "OrderedDict[K, V]":
    return OrderedDict()


def remember(table: "OrderedDict[K, V]", key: K, value: V, limit: int) -> V:
    """Store ``value`` under ``key``, first dropping the oldest entry if the table is full."""
    if len(table) >= limit:
        table.popitem(last=False)
    table[key] = value
    return value
