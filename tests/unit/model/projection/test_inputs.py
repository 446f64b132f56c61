"""Entrada de la proyección: lo que se rechaza (en español, con fila y campo) y cómo se ordena la historia."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evaluation.simulate import simulate_history
from pei_analysis.errors import DataError
from pei_analysis.model.projection import project_year_end
from pei_analysis.model.projection.inputs import check_level, check_max_history, prepare_history

from .histories import cut, frame, rows


@pytest.mark.parametrize(
    "records, field",
    [
        ([("a", 2024, 4, 1.0)], "cuatrimestre"),
        ([("a", 2024, 1, -1.0)], "valor"),
        ([("a", 2024, 1, float("nan"))], "valor"),
        ([("a", 2024.5, 1, 1.0)], "anio"),
        ([("a", 2024, 1, 1.0), ("a", 2024, 1, 2.0)], "cuatrimestre"),
        ([("a", 2024, 2, 1.0)], "cuatrimestre"),
        ([("a", 2023, 1, 1.0), ("a", 2024, 1, 1.0)], "cuatrimestre"),
    ],
)
def test_bad_history_is_refused_with_a_spanish_message_naming_row_and_field(records, field):
    with pytest.raises(DataError) as info:
        project_year_end(frame(records))
    assert info.value.field == field
    assert info.value.row is not None


def test_missing_columns_and_bad_level_are_refused():
    with pytest.raises(DataError, match="faltan columnas"):
        project_year_end(pd.DataFrame({"serie": [1]}))
    with pytest.raises(DataError, match="nivel"):
        project_year_end(frame([("a", 2024, 1, 1.0)]), level=80)


@pytest.mark.parametrize("level", [0, 1, True, "0.8", 1.5])
def test_a_level_outside_zero_and_one_is_refused(level):
    with pytest.raises(DataError, match="el nivel del intervalo debe estar entre 0 y 1") as info:
        check_level(level)
    assert info.value.field == "level"


@pytest.mark.parametrize("max_history", [0, 2.5, True])
def test_a_history_cap_that_is_not_a_positive_integer_is_refused(max_history):
    with pytest.raises(DataError, match="max_history debe ser un entero ≥ 1"):
        check_max_history(max_history)


def test_the_input_is_not_modified():
    h = cut(simulate_history(10, 4, seed=3), 1)
    before = h.copy()
    project_year_end(h)
    pd.testing.assert_frame_equal(h, before)


def test_the_past_years_are_right_aligned_on_each_series_latest_year_and_capped():
    records = rows("larga", [(2020, 1), (2021, 1), (2022, 1)], (1.0, 2.0, 3.0), (4.0,))
    records += rows("corta", [(2022, 10)], (1.0, 2.0, 3.0), (5.0, 6.0))
    prepared = prepare_history(frame(records), 2)
    assert list(prepared.ids) == ["larga", "corta"]
    assert prepared.year.tolist() == [2023, 2023]
    assert prepared.observed.tolist() == [1, 2]
    np.testing.assert_array_equal(prepared.current, [[4.0, np.nan, np.nan], [5.0, 6.0, np.nan]])
    # Two past years at most; the short serie's only year is its latest, in the last column.
    assert prepared.past.shape == (2, 2, 3)
    np.testing.assert_array_equal(prepared.past[1], [[np.nan] * 3, [10.0, 20.0, 30.0]])
    assert prepared.has_history.tolist() == [True, True]


# --------------------------------------------------------------------------- annual totals (cuatrimestre 0)


def test_a_past_year_may_be_given_by_its_annual_total_alone():
    h = frame([("a", 2022, 0, 600.0), *rows("a", [(2023, 1.0)], (100.0, 200.0, 300.0), (150.0,))])
    prepared = prepare_history(h, 12)
    assert prepared.past.shape == (1, 2, 3)
    assert np.isnan(prepared.past[0, 0]).all() and prepared.past[0, 1].tolist() == [100.0, 200.0, 300.0]
    assert prepared.annual[0].tolist()[0] == 600.0 and np.isnan(prepared.annual[0, 1])
    assert prepared.has_history.tolist() == [True]


def test_without_annual_totals_the_history_carries_none():
    prepared = prepare_history(frame(rows("a", [(2023, 1.0)], (1.0, 2.0, 3.0), (1.0,))), 12)
    assert prepared.annual is None


@pytest.mark.parametrize(
    "records, row",
    [
        ([("a", 2023, 0, 10.0), ("a", 2024, 0, 10.0)], 2),  # the year to project as a total
        (
            [
                ("a", 2023, 0, 10.0),
                ("a", 2023, 1, 5.0),
                ("a", 2023, 2, 5.0),
                ("a", 2023, 3, 5.0),
                ("a", 2024, 1, 1.0),
            ],
            1,
        ),
    ],
)
def test_an_annual_total_is_refused_in_the_year_to_project_or_beside_that_years_cuatrimestres(records, row):
    with pytest.raises(DataError) as info:
        prepare_history(frame(records), 12)
    assert info.value.field == "cuatrimestre" and info.value.row == row
    assert "total anual" in str(info.value)
