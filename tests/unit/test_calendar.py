"""The calendar of the POA (pei_analysis.calendar): cuatrimestres, their dates and names, valid periods."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from pei_analysis import calendar
from pei_analysis.errors import DataError

TODAY = dt.date(2025, 3, 10)


def test_share_of_year_is_four_months_per_cuatrimestre():
    assert [round(calendar.share_of_year(c), 4) for c in (1, 2, 3)] == [33.3333, 66.6667, 100.0]


def test_period_end_is_the_last_day_of_april_august_and_december():
    assert calendar.period_end(2024, 1) == dt.date(2024, 4, 30)
    assert calendar.period_end(2024, 2) == dt.date(2024, 8, 31)
    assert calendar.period_end(2024, 3) == dt.date(2024, 12, 31)


def test_period_title_names_the_cuatrimestre_and_its_months_in_spanish():
    assert calendar.period_title(2024, 1) == "Primer cuatrimestre de 2024 (enero-abril)"
    assert calendar.period_title(2025, 3) == "Tercer cuatrimestre de 2025 (septiembre-diciembre)"


@pytest.mark.parametrize(
    ("anio", "cuatrimestre", "field"),
    [
        (2024, 4, "cuatrimestre"),
        (2024, 0, "cuatrimestre"),
        ("2024", 1, "anio"),
        (2024, True, "cuatrimestre"),
        (1999, 1, "anio"),
        (2024, 1.0, "cuatrimestre"),
    ],
)
def test_check_period_refuses_a_year_or_cuatrimestre_out_of_range_or_of_the_wrong_type(
    anio, cuatrimestre, field
):
    with pytest.raises(DataError) as err:
        calendar.check_period(anio, cuatrimestre)
    assert err.value.field == field


def test_check_period_accepts_numpy_integers_and_returns_plain_ints():
    anio, cuatrimestre = calendar.check_period(np.int64(2024), np.int32(3))
    assert (anio, cuatrimestre) == (2024, 3)
    assert type(anio) is int and type(cuatrimestre) is int


@pytest.mark.parametrize("anio", [calendar.FIRST_YEAR, calendar.LAST_YEAR])
def test_check_period_accepts_the_first_and_the_last_year_of_its_range(anio):
    assert calendar.check_period(anio, 1) == (anio, 1)


def test_check_period_names_the_range_when_it_refuses_a_year():
    with pytest.raises(DataError, match="se esperaba un año entre 2000 y 2100; se recibió 2101"):
        calendar.check_period(2101, 1)


@pytest.mark.parametrize(("anio", "cuatrimestre"), [(2025, 1), (2024, 3), (calendar.FIRST_YEAR, 2)])
def test_check_import_period_accepts_this_year_and_past_years(anio, cuatrimestre):
    assert calendar.check_import_period(anio, cuatrimestre, today=TODAY) is None


@pytest.mark.parametrize(
    ("anio", "cuatrimestre", "field", "message"),
    [
        (2025, 4, "--cuatrimestre", "el cuatrimestre debe ser 1, 2 o 3 y se indicó 4."),
        (2025, 0, "--cuatrimestre", "el cuatrimestre debe ser 1, 2 o 3 y se indicó 0."),
        (2026, 1, "--anio", "el año 2026 está en el futuro (hoy es 2025-03-10)."),
        (1999, 1, "--anio", "el año 1999 no es plausible para un POA del IGSS."),
    ],
)
def test_check_import_period_refuses_a_cuatrimestre_out_of_range_a_future_year_or_an_implausible_one(
    anio, cuatrimestre, field, message
):
    with pytest.raises(DataError) as err:
        calendar.check_import_period(anio, cuatrimestre, today=TODAY)
    assert err.value.field == field and err.value.reason == message


def test_check_import_period_compares_with_today_when_no_date_is_given():
    next_year = dt.date.today().year + 1
    calendar.check_import_period(next_year - 1, 1)
    with pytest.raises(DataError, match=f"el año {next_year} está en el futuro"):
        calendar.check_import_period(next_year, 1)


def test_a_cuatrimestre_is_named_by_its_months_and_an_edition_by_its_folder():
    assert calendar.cuatrimestre_label(2024, 2) == "mayo-agosto de 2024"
    assert calendar.edition_id(2024, 2) == "2024-c2"


def test_the_previous_edition_of_a_year_is_its_previous_cuatrimestre_and_the_first_has_none():
    assert calendar.previous_period(2024, 3) == (2024, 2)
    assert calendar.previous_period(2024, 1) is None


def test_the_next_period_is_the_next_cuatrimestre_and_after_the_third_the_next_years_first():
    assert calendar.next_period(2024, 1) == (2024, 2)
    assert calendar.next_period(2024, 2) == (2024, 3)
    assert calendar.next_period(2024, 3) == (2025, 1)
    assert calendar.period_end(*calendar.next_period(2024, 1)) == dt.date(2024, 8, 31)


def test_a_column_heading_names_a_cuatrimestre_by_its_months_not_by_a_code():
    from pei_analysis.calendar import month_end, months_span

    assert [months_span(c) for c in (1, 2, 3)] == ["ene-abr", "may-ago", "sep-dic"]
    assert months_span(2, cumulative=True) == "ene-ago"
    assert [month_end(c) for c in (1, 2, 3)] == ["abril", "agosto", "diciembre"]
