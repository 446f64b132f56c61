"""Progress of the PEI indicators (pei_analysis/model/indicators.py): known answers on synthetic observations.

Every observation here is built inside the test: the shipped observations file has no rows, because no
public source for them is in the project yet. The loader of that file and its refusals are tested in
tests/unit/test_pei_progress.py.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from pei_analysis.errors import DataError
from pei_analysis.model import indicators as ind
from pei_analysis.model.indicators import ESTADOS, PROGRESS_COLUMNS, indicator_progress
from pei_analysis.tables.observations import OBSERVATION_COLUMNS, load_observations
from pei_analysis.tables.pei import load_pei


def _indicator(meta_id: str = "O9-E1-M1", **fields) -> dict:
    """One synthetic indicator row; by default «raise a level from 20 (end of 2018) to 30 by 2022»."""
    row = {
        "meta_id": meta_id,
        "indicador": "Indicador sintético",
        "unidad": "porcentaje",
        "meta_tipo": "nivel",
        "linea_base_valor": 20.0,
        "linea_base_fecha": pd.Timestamp("2018-12-31"),
        "meta_valor": 30.0,
        "meta_anio": 2022,
        "sentido": "aumentar",
    }
    row.update(fields)
    return row


def _indicators(*rows: dict) -> pd.DataFrame:
    table = pd.DataFrame(list(rows))
    table["meta_anio"] = table["meta_anio"].astype("Int64")
    table["linea_base_fecha"] = pd.to_datetime(table["linea_base_fecha"])
    return table


def _obs(*rows: tuple[str, str, float]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["meta_id", "fecha", "valor"])


def _one(indicator: dict, *observations: tuple[str, float], as_of: dt.date | None = None) -> pd.Series:
    """The progress row of a single synthetic indicator with its observations (fecha, valor)."""
    obs = _obs(*[(indicator["meta_id"], fecha, valor) for fecha, valor in observations])
    return indicator_progress(_indicators(indicator), obs, as_of=as_of).iloc[0]


def _days(a: str, b: str) -> float:
    return (pd.Timestamp(b) - pd.Timestamp(a)).days


# --------------------------------------------------------------------------- gap closed and straight path


def test_an_increase_meta_counts_the_share_of_the_gap_from_baseline_to_target():
    row = _one(_indicator(), ("2020-12-31", 26.0))
    assert row["brecha_cerrada"] == pytest.approx(0.6)  # (26 - 20) / (30 - 20)
    assert row["meta"] == 30.0 and row["linea_base"] == 20.0
    assert row["ultimo_valor"] == 26.0 and row["ultima_fecha"] == pd.Timestamp("2020-12-31")


def test_a_decrease_meta_counts_the_gap_downwards():
    indicator = _indicator(unidad="días", linea_base_valor=50.0, meta_valor=15.0, sentido="disminuir")
    row = _one(indicator, ("2020-06-30", 36.0))
    assert row["brecha_cerrada"] == pytest.approx(0.4)  # (36 - 50) / (15 - 50)


def test_moving_away_from_the_target_gives_a_negative_share_and_overshooting_more_than_one():
    indicator = _indicator(unidad="días", linea_base_valor=50.0, meta_valor=15.0, sentido="disminuir")
    assert _one(indicator, ("2020-06-30", 57.0))["brecha_cerrada"] == pytest.approx(-0.2)
    overshoot = _one(indicator, ("2020-06-30", 8.0))
    assert overshoot["brecha_cerrada"] == pytest.approx(1.2)
    assert overshoot["estado"] == "cumplida"


def test_the_straight_path_runs_from_the_baseline_date_to_the_end_of_the_target_year():
    row = _one(_indicator(), ("2020-12-31", 26.0))
    expected = _days("2018-12-31", "2020-12-31") / _days("2018-12-31", "2022-12-31")
    assert row["trayectoria_esperada"] == pytest.approx(expected)  # 731 / 1461, just over half


def test_closing_at_least_the_straight_path_share_is_on_track_and_less_is_lagging():
    # By 2020-12-31 the straight path asks for 731/1461 = 0.50034 of the gap.
    assert _one(_indicator(), ("2020-12-31", 26.0))["estado"] == "en camino"
    assert _one(_indicator(), ("2020-12-31", 25.0))["estado"] == "rezagada"  # 0.5 < 0.50034


def test_a_meta_still_short_at_the_target_date_is_not_met():
    row = _one(_indicator(), ("2023-03-31", 28.0))
    assert row["brecha_cerrada"] == pytest.approx(0.8)
    assert row["trayectoria_esperada"] == 1.0
    assert row["estado"] == "no cumplida"


def test_a_percentage_change_meta_reads_observations_as_signed_change_from_the_baseline():
    indicator = _indicator(
        meta_tipo="variacion_porcentual", linea_base_valor=np.nan, meta_valor=75.0, sentido="disminuir"
    )
    row = _one(indicator, ("2020-12-31", -30.0))
    assert row["brecha_cerrada"] == pytest.approx(0.4)  # -30 of the -75 asked for
    assert row["medida"] == "cambio % desde la línea base"
    assert np.isnan(row["meta"])  # no baseline amount: no absolute target


def test_a_percentage_change_meta_derives_the_absolute_target_when_the_baseline_is_known():
    down = _indicator(
        meta_tipo="variacion_porcentual", linea_base_valor=200.0, meta_valor=75.0, sentido="disminuir"
    )
    up = _indicator("O9-E1-M2", meta_tipo="variacion_porcentual", linea_base_valor=200.0, meta_valor=15.0)
    table = indicator_progress(_indicators(down, up), _obs())
    assert table["meta"].tolist() == pytest.approx([50.0, 230.0])


# --------------------------------------------------------------------------- trend


def test_two_observations_give_the_straight_line_through_them_at_the_target_date():
    row = _one(_indicator(), ("2020-01-01", 10.0), ("2021-01-01", 20.0))
    slope_per_day = 10.0 / _days("2020-01-01", "2021-01-01")
    assert row["valor_tendencia_meta"] == pytest.approx(
        10.0 + slope_per_day * _days("2020-01-01", "2022-12-31")
    )


def test_three_or_more_observations_give_the_least_squares_line_at_the_target_date():
    fechas = ["2019-03-31", "2019-12-31", "2020-09-30", "2021-06-30"]
    valores = [21.0, 24.5, 23.0, 27.0]
    row = _one(_indicator(), *zip(fechas, valores, strict=True))
    x = np.array([_days("2019-03-31", f) for f in fechas])
    slope, intercept = np.polyfit(x, valores, 1)
    assert row["valor_tendencia_meta"] == pytest.approx(intercept + slope * _days("2019-03-31", "2022-12-31"))
    assert row["n_observaciones"] == 4 and row["ultimo_valor"] == 27.0


def test_one_observation_gives_no_trend_and_says_two_are_needed():
    row = _one(_indicator(), ("2020-12-31", 26.0))
    assert np.isnan(row["valor_tendencia_meta"])
    assert ind.UNA_OBSERVACION in row["avisos"]


def test_observations_all_on_one_date_give_no_trend():
    both = _obs(("O9-E1-M1", "2020-12-31", 24.0), ("O9-E1-M1", "2020-12-31", 26.0))
    row = indicator_progress(_indicators(_indicator()), both).iloc[0]
    assert np.isnan(row["valor_tendencia_meta"]) and ind.MISMA_FECHA in row["avisos"]


def test_observations_after_the_cut_off_date_are_ignored():
    row = _one(_indicator(), ("2020-12-31", 26.0), ("2021-12-31", 29.0), as_of=dt.date(2021, 6, 30))
    assert row["n_observaciones"] == 1 and row["ultimo_valor"] == 26.0


# --------------------------------------------------------------------------- thresholds


def test_keep_above_says_whether_the_latest_value_is_at_or_above_the_threshold():
    above = _indicator(linea_base_valor=np.nan, meta_valor=25.0, meta_anio=pd.NA, sentido="mantener_arriba")
    inside = _one(above, ("2019-12-31", 20.0), ("2020-12-31", 25.0))
    outside = _one(above, ("2019-12-31", 30.0), ("2020-12-31", 24.9))
    assert (inside["brecha_cerrada"], inside["estado"]) == (1.0, "dentro del umbral")
    assert (outside["brecha_cerrada"], outside["estado"]) == (0.0, "fuera del umbral")
    assert np.isnan(inside["trayectoria_esperada"])


def test_keep_below_says_whether_the_latest_value_is_at_or_below_the_threshold():
    below = _indicator(linea_base_valor=np.nan, meta_valor=10.0, sentido="mantener_abajo")
    assert _one(below, ("2020-12-31", 12.0))["estado"] == "fuera del umbral"
    assert _one(below, ("2020-12-31", 9.5))["brecha_cerrada"] == 1.0


def test_above_a_strict_threshold_the_threshold_itself_does_not_meet_the_meta():
    strict = _indicator(
        linea_base_valor=np.nan, meta_valor=25.0, meta_anio=pd.NA, sentido="mantener_arriba", estricto=True
    )
    at = _one(strict, ("2020-12-31", 25.0))
    above = _one(strict, ("2020-12-31", 25.1))
    assert (at["brecha_cerrada"], at["estado"]) == (0.0, "fuera del umbral")
    assert (above["brecha_cerrada"], above["estado"]) == (1.0, "dentro del umbral")
    assert ind.UMBRAL_ESTRICTO in at["avisos"]


def test_the_ivs_surplus_of_exactly_25_percent_does_not_meet_por_encima_del_25():
    pei = load_pei()
    obs = _obs(("O2-E5-M1", "2020-12-31", 25.0), ("O2-E2-M4", "2020-12-31", 10.0))
    table = indicator_progress(pei, obs).set_index("meta_id")
    assert table.loc["O2-E5-M1", "estado"] == "fuera del umbral"  # «por encima del 25%»
    assert table.loc["O2-E2-M4", "estado"] == "dentro del umbral"  # «no debe superar el 10%»


def test_where_the_pei_gives_milestones_the_expected_path_is_the_last_milestone_due():
    pei = load_pei()  # O3-E2-M2: cumulative 30 (2018), 60 (2019), 100 (2020) % of the pension backlog
    early = indicator_progress(pei, _obs(("O3-E2-M2", "2018-06-30", -10.0))).set_index("meta_id")
    mid = indicator_progress(pei, _obs(("O3-E2-M2", "2019-12-31", -50.0))).set_index("meta_id")
    assert early.loc["O3-E2-M2", "trayectoria_esperada"] == 0.0  # no milestone due yet
    assert mid.loc["O3-E2-M2", "trayectoria_esperada"] == pytest.approx(0.6)
    assert mid.loc["O3-E2-M2", "brecha_cerrada"] == pytest.approx(0.5)
    assert mid.loc["O3-E2-M2", "estado"] == "rezagada"
    on_track = indicator_progress(pei, _obs(("O3-E2-M2", "2019-12-31", -65.0))).set_index("meta_id")
    assert on_track.loc["O3-E2-M2", "estado"] == "en camino"


# --------------------------------------------------------------------------- what is missing


def test_a_level_meta_without_baseline_says_so_instead_of_measuring_a_gap():
    row = _one(_indicator(linea_base_valor=np.nan), ("2020-12-31", 26.0))
    assert np.isnan(row["brecha_cerrada"])
    assert row["estado"] == "sin línea base" and ind.SIN_LINEA_BASE in row["avisos"]


def test_a_meta_without_target_year_has_no_path_and_no_trend_and_says_why():
    row = _one(_indicator(meta_anio=pd.NA), ("2019-12-31", 22.0), ("2020-12-31", 26.0))
    assert row["brecha_cerrada"] == pytest.approx(0.6)
    assert np.isnan(row["trayectoria_esperada"]) and np.isnan(row["valor_tendencia_meta"])
    assert row["estado"] == "en avance" and ind.SIN_ANIO_META in row["avisos"]


def test_a_meta_without_baseline_date_has_no_straight_path():
    row = _one(_indicator(linea_base_fecha=pd.NaT), ("2020-12-31", 26.0))
    assert np.isnan(row["trayectoria_esperada"]) and row["estado"] == "en avance"
    assert ind.SIN_FECHA_BASE in row["avisos"]


def test_every_estado_the_table_gives_is_documented():
    rows = [
        _indicator("O9-E1-M1"),
        _indicator("O9-E1-M2", linea_base_valor=np.nan),
        _indicator("O9-E1-M3", meta_tipo=None, meta_valor=np.nan),
        _indicator("O9-E1-M4", meta_valor=25.0, sentido="mantener_arriba"),
    ]
    obs = _obs(*[(r["meta_id"], "2020-12-31", 26.0) for r in rows[1:]])
    estados = set(indicator_progress(_indicators(*rows), obs)["estado"])
    assert estados == {"sin datos", "sin línea base", "sin cifra de meta", "dentro del umbral"}
    assert estados <= set(ESTADOS)


# --------------------------------------------------------------------------- the shipped data


def test_with_the_shipped_empty_file_every_pei_indicator_is_sin_datos():
    pei = load_pei()
    observations = load_observations(pei=pei)
    assert observations.empty and list(observations.columns) == OBSERVATION_COLUMNS
    table = indicator_progress(pei, observations)
    assert list(table.columns) == PROGRESS_COLUMNS
    assert table["meta_id"].tolist() == pei.indicadores["meta_id"].tolist()
    assert (table["estado"] == "sin datos").all() and (table["n_observaciones"] == 0).all()
    assert (table["avisos"].str[0] == ind.SIN_OBSERVACIONES).all()
    assert table[["brecha_cerrada", "trayectoria_esperada", "valor_tendencia_meta"]].isna().all().all()


def test_the_pei_gaps_are_flagged_in_the_warnings_of_each_indicator():
    table = indicator_progress(load_pei(), load_observations()).set_index("meta_id")
    assert ind.SIN_LINEA_BASE in table.loc["O3-E1-M2", "avisos"]  # 30 días en 2022, sin tiempo de partida
    assert ind.SIN_ANIO_META in table.loc["O3-E2-M3", "avisos"]  # de 50 a 15 días, sin año
    assert ind.SIN_CIFRA_META in table.loc["O2-E3-M1", "avisos"]  # deuda del Estado: no fija monto


# --------------------------------------------------------------------------- refusals


def test_the_progress_table_refuses_observations_of_a_meta_without_indicator():
    with pytest.raises(DataError, match=r"O9-E9-M9"):
        indicator_progress(_indicators(_indicator()), _obs(("O9-E9-M9", "2020-12-31", 1.0)))
