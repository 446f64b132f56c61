"""How the book writes numbers (pei_analysis.format): whole units, one decimal for a percentage."""

from __future__ import annotations

from pei_analysis.chapters.display import fmt_pp
from pei_analysis.format import fmt_int, fmt_pct


def test_a_count_of_units_is_written_whole_with_thousands_separated():
    assert "." not in fmt_int(802942.71)
    assert fmt_int(802942.71) == "802,943"


def test_a_percentage_the_book_computes_has_one_decimal():
    assert fmt_pct(100 / 3) == "33.3%"
    assert fmt_pct(34.554) == "34.6%"
    assert fmt_pp(-3.06) == "-3.1"
    assert fmt_pp(0.74) == "+0.7"


def test_a_missing_figure_reads_sin_datos():
    assert fmt_pct(float("nan")) == "sin datos" and fmt_int(None) == "sin datos"
