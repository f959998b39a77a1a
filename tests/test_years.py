"""The years a text names: the digit-first reader gives what the plain regex scan over the whole text gives."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportnlp.records.years import DATED_YEAR, years_named


def plain_scan(text: str) -> list[int]:
    """The reader before session 17: finditer over the whole text."""
    years = []
    for d in DATED_YEAR.finditer(text):
        if d.group("short"):
            y = int(d.group("short"))
            years.append(2000 + y if y < 40 else 1900 + y)
        else:
            years.append(int(d.group("long") or d.group("long2") or d.group("long3") or d.group("iso")))
    return years


def test_reads_dates_and_years_after_words() -> None:
    text = "Seen 03/14/2021 and 12/31/08; a CT in 07/2003, MRI 2019-05-02, films of March 2011 and since 1999."
    assert list(years_named(text)) == [2021, 2008, 2003, 2019, 2011, 1999]


def test_a_bare_year_with_no_word_before_it_is_not_named() -> None:
    assert list(years_named("Stable since the 2004 study; 1998 films.")) == []


def test_a_word_that_runs_into_digits_leads_its_year() -> None:
    assert list(years_named("jan1 2003")) == plain_scan("jan1 2003") == [2003]


def test_a_match_consumes_digits_that_would_start_another_date() -> None:
    text = "ref 15/20/19/2003 then"  # finditer reads 15/20/19 and never 20/19/2003
    assert list(years_named(text)) == plain_scan(text) == [2019]


@pytest.mark.parametrize("text", [
    "in 12, 2003", "In  \n 2003", "Dec., 2010", "dec.,2010", "sept. 4, 1999", "May 2020-01", "of 2003/4",
    "year2003", "x in 2003", "_in 2003", "2in 2003", "in 1, 2, 2003", "03/2005/06", "1/2/2003-04-05",
    "since  2010-10-10", "Winter, 2018.", "ſince 2001", "\u212aan in 2001", "in \u0663\u0660\u0660\u0662",
    "\u0661\u0669\u0669\u0669-01-01", "in 2020-1", "in 20201", "by 1999,in 2000", "OCT 12 2012",
])
def test_agrees_with_the_plain_scan(text: str) -> None:
    assert list(years_named(text)) == plain_scan(text)


_PIECES = st.sampled_from([
    "in", "In", "since", "of", "from", "during", "until", "by", "year", "jan", "January", "MAR", "may", "Sept",
    "oct", "Dec", "spring", "Fall", "winter", "x", "_", "é", "ſ", " ", "  ", "\n", ".", ",", "/", "-", ":", "(",
    "1", "12", "3", "19", "20", "08", "99", "2003", "1998", "2021", "20201", "\u0663", "ab", "L4",
])


@settings(max_examples=3000, deadline=None)
@given(st.lists(_PIECES, max_size=14).map("".join))
def test_agrees_on_texts_built_of_dates_and_words(text: str) -> None:
    assert list(years_named(text)) == plain_scan(text)


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40), st.integers(1900, 2099), st.text(max_size=20))
def test_agrees_on_arbitrary_text_around_a_year(before: str, year: int, after: str) -> None:
    text = f"{before}{year}{after}"
    assert list(years_named(text)) == plain_scan(text)
