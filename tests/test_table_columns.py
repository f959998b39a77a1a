"""A table laid out in columns of spaces: a cell's column header (records/labels/degenerative.py, session 22)."""

from __future__ import annotations

from reportnlp.records.labels.degenerative import column_header, in_facet_column

TABLE = "FINDINGS:\nLevel    Disc              Facets\nL3-4     normal            mild DJD\nL4-5     bulge             normal\n"


def test_a_cell_takes_the_header_of_its_column() -> None:
    assert column_header(TABLE, TABLE.index("DJD")) == "Facets"
    assert column_header(TABLE, TABLE.index("bulge")) == "Disc"


def test_a_word_in_prose_has_no_column_header() -> None:
    text = "FINDINGS: Mild DJD at L3-4.\nFacets normal.\n"
    assert column_header(text, text.index("DJD")) == ""


def test_the_header_line_itself_has_no_header_above_it() -> None:
    assert column_header(TABLE, TABLE.index("Facets")) == ""


def test_a_generic_word_under_a_facets_header_is_at_the_facets() -> None:
    assert in_facet_column(TABLE, TABLE.index("DJD"))


def test_a_generic_word_under_another_header_is_not_at_the_facets() -> None:
    text = TABLE.replace("Facets", "Comment")
    assert not in_facet_column(text, text.index("DJD"))


def test_the_reports_memo_gives_every_row_the_header_a_fresh_walk_gives() -> None:
    """Rows of a long table share one walk up to their header (session 22): the memo changes no answer, also for
    two tables with prose between them and for a row that is no table line."""
    text = TABLE * 3 + "Prose line between.\n" + TABLE.replace("Facets", "Comment") * 2 + "L5-S1 alone   mild DJD\n"
    memo: dict[int, tuple[int, int] | None] = {}
    for start in range(len(text)):
        assert column_header(text, start, memo) == column_header(text, start)
    assert in_facet_column(text, text.index("DJD"), memo)
    assert not in_facet_column(text, text.rindex("mild DJD\nL4-5"), memo)


def test_a_word_after_more_than_a_rows_reach_on_its_line_is_in_no_column() -> None:
    """A line longer than a table row before the word is prose: its header is not looked for (one line of a
    megabyte was searched back to its start for every generic word: quadratic; session 22)."""
    long_row = "L3-4     normal   " + "x" * 400 + "   mild DJD\n"
    text = TABLE + long_row
    assert column_header(text, text.rindex("DJD")) == ""
    assert column_header(TABLE, TABLE.index("DJD")) == "Facets"
