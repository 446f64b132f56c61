"""Clasificación del cumplimiento: umbrales, banderas e intervalo."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from pei_analysis.errors import DataError
from pei_analysis.model.attainment import (
    CRITICO,
    EN_RIESGO,
    ESTADOS,
    META_PEQUENA,
    SATISFACTORIO,
    SIN_DATOS,
    SIN_EJECUCION,
    SOBRE_EJECUCION,
    Thresholds,
    classify,
    validate_thresholds,
)


def table(programado, ejecutado, proyeccion, lo=None, hi=None):
    proyeccion = np.asarray(proyeccion, dtype=float)
    return pd.DataFrame(
        {
            "programado": programado,
            "ejecutado": ejecutado,
            "proyeccion": proyeccion,
            "limite_inferior": proyeccion if lo is None else lo,
            "limite_superior": proyeccion if hi is None else hi,
        }
    )


def test_each_product_is_scored_by_its_projected_percentage_of_programado():
    out = classify(table([100, 100, 100, 100, 100], [30] * 5, [95, 90, 80, 50, 130]))
    assert list(out["estado"]) == [SATISFACTORIO, SATISFACTORIO, EN_RIESGO, CRITICO, SOBRE_EJECUCION]
    assert out["pct_proyectado"].tolist() == pytest.approx([95, 90, 80, 50, 130])
    assert not out["estado_incierto"].any()


def test_the_limits_are_percentages_of_programado_too():
    out = classify(table([200], [50], [180], lo=[150], hi=[210]))
    assert out.loc[0, "pct_inferior"] == pytest.approx(75)
    assert out.loc[0, "pct_superior"] == pytest.approx(105)


def test_an_interval_that_straddles_a_threshold_marks_the_state_uncertain():
    out = classify(table([100, 100], [30, 30], [92, 95], lo=[85, 91], hi=[99, 99]))
    assert list(out["estado"]) == [SATISFACTORIO, SATISFACTORIO]
    assert list(out["estado_incierto"]) == [True, False]


def test_a_tiny_target_is_flagged_not_scored_even_with_nothing_executed():
    out = classify(table([9, 3], [0, 1], [0, 3]))
    assert list(out["estado"]) == [META_PEQUENA, META_PEQUENA]
    assert not out["estado_incierto"].any()


def test_zero_execution_so_far_is_flagged_even_with_an_unbounded_interval():
    out = classify(table([22], [0], [0], lo=[0], hi=[math.inf]))
    assert out.loc[0, "estado"] == SIN_EJECUCION
    assert out.loc[0, "pct_superior"] == math.inf


def test_a_product_with_nothing_executed_keeps_its_flag_without_a_projection():
    out = classify(table([22, 3], [0, 0], [np.nan, np.nan]))
    assert list(out["estado"]) == [SIN_EJECUCION, META_PEQUENA]
    assert out["pct_proyectado"].isna().all() and not out["estado_incierto"].any()


def test_a_scored_product_without_a_projection_gives_sin_datos():
    out = classify(table([100], [30], [np.nan]))
    assert out.loc[0, "estado"] == SIN_DATOS


def test_a_missing_figure_gives_sin_datos():
    out = classify(table([100.0], [np.nan], [50.0]))
    assert out.loc[0, "estado"] == SIN_DATOS
    assert set(classify(table([100], [10], [95]))["estado"]) <= set(ESTADOS)


def test_thresholds_are_configurable():
    loose = Thresholds(satisfactory=80, at_risk=60, over_execution=150, small_target=2)
    out = classify(table([100, 100, 5], [30, 30, 1], [85, 140, 5]), loose)
    assert list(out["estado"]) == [SATISFACTORIO, SATISFACTORIO, SATISFACTORIO]


def test_classify_keeps_the_rows_and_columns_it_was_given():
    t = table([100, 100], [30, 30], [95, 50]).assign(producto=[1, 2])
    out = classify(t)
    assert list(out["producto"]) == [1, 2]
    assert len(out) == 2 and "producto" in t.columns and "estado" not in t.columns


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"at_risk": 95}, "satisfactory"),
        ({"at_risk": 0}, "at_risk"),
        ({"satisfactory": 105, "over_execution": 130}, "satisfactory"),
        ({"over_execution": 100}, "over_execution"),
        ({"small_target": -1}, "small_target"),
        ({"at_risk": float("nan")}, "at_risk"),
    ],
)
def test_thresholds_out_of_order_or_range_are_refused_in_spanish(kwargs, field):
    with pytest.raises(DataError) as info:
        Thresholds(**kwargs)
    assert info.value.field == field
    assert "umbral" in str(info.value)


def test_validate_thresholds_returns_valid_thresholds_unchanged():
    t = Thresholds()
    assert validate_thresholds(t) is t


def test_classify_refuses_a_table_without_the_projection():
    with pytest.raises(DataError, match="faltan columnas"):
        classify(pd.DataFrame({"programado": [1], "ejecutado": [1]}))


def test_classify_refuses_an_interval_that_does_not_contain_the_projection():
    with pytest.raises(DataError) as info:
        classify(table([100], [10], [50], lo=[60], hi=[70]))
    assert info.value.row == 1


def test_classify_refuses_negative_figures():
    with pytest.raises(DataError) as info:
        classify(table([100], [-1], [50]))
    assert info.value.field == "ejecutado"


def test_the_model_scores_but_writes_no_words_for_a_reader():
    out = classify(table([100, 9], [30, 1], [92, 3], lo=[85, 3], hi=[99, 3]))
    assert "nota" not in out.columns  # the words are chapters.status_notes'
