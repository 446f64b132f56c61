"""The engine's record on earlier years (pei_analysis.model.track_record), on SIMULATED tables
(tests/unit/model/history_cases.py: DATOS SIMULADOS, NO SON CIFRAS DEL IGSS)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pei_analysis import load_poa
from pei_analysis.model import track_record
from pei_analysis.model.projection import project_year_end
from pei_analysis.tables.poa import PRODUCT_KEY
from tests.unit.model.history_cases import key, simulated_poa


@pytest.fixture(scope="module")
def record():
    return track_record.projection_record(simulated_poa(), 2024, 1)


def test_only_complete_earlier_years_are_projected_again(record):
    assert sorted(set(record["anio"])) == [2021, 2023]
    assert set(record["cuatrimestre"]) == {1}


def test_each_projection_uses_only_the_data_that_existed_then(record):
    poa = simulated_poa()
    known = poa[(poa["anio"] < 2023) | ((poa["anio"] == 2023) & (poa["cuatrimestre"] == 1))]
    complete = known.groupby([PRODUCT_KEY, "anio"])["cuatrimestre"].transform("nunique") == 3
    history = known[complete | (known["anio"] == 2023)].rename(
        columns={PRODUCT_KEY: "serie", "ejecutado": "valor"}
    )
    history = history[history["serie"].isin(known.loc[known["anio"] == 2023, PRODUCT_KEY])]
    expected = project_year_end(history[["serie", "anio", "cuatrimestre", "valor"]]).set_index("serie")
    row = record[(record[PRODUCT_KEY] == key(1)) & (record["anio"] == 2023)].iloc[0]
    assert row["proyeccion"] == pytest.approx(expected.loc[key(1), "proyeccion"])


def test_the_error_and_the_interval_are_measured_against_the_real_year_total(record):
    real = record["real"].astype(float)
    assert np.allclose(record["error_pct"], (record["proyeccion"] - real) * 100 / real)
    inside = (record["limite_inferior"] <= real) & (real <= record["limite_superior"])
    assert record["dentro_del_intervalo"].equals(inside)


def test_a_known_profile_is_recovered_where_the_pace_so_far_misses(record):
    row = record[(record[PRODUCT_KEY] == key(1)) & (record["anio"] == 2023)].iloc[0]
    assert abs(row["error_pct"]) < 3 and row["error_ritmo_pct"] == pytest.approx(-10, abs=0.5)


def test_a_product_without_its_whole_year_is_left_out():
    poa = simulated_poa()
    poa = poa[~((poa[PRODUCT_KEY] == key(2)) & (poa["anio"] == 2023) & (poa["cuatrimestre"] == 3))]
    record = track_record.projection_record(poa, 2024, 1)
    assert key(2) not in set(record.loc[record["anio"] == 2023, PRODUCT_KEY])


def test_a_product_the_engine_could_not_project_then_is_left_out_of_that_year():
    """key(3) starts in 2023: with nothing executed in its first cuatrimestre there was nothing to project."""
    poa = simulated_poa()
    first = (poa[PRODUCT_KEY] == key(3)) & (poa["anio"] == 2023) & (poa["cuatrimestre"] == 1)
    record = track_record.projection_record(poa.assign(ejecutado=poa["ejecutado"].mask(first, 0)), 2024, 1)
    assert key(3) not in set(record.loc[record["anio"] == 2023, PRODUCT_KEY])
    assert key(1) in set(record.loc[record["anio"] == 2023, PRODUCT_KEY])
    assert record["proyeccion"].notna().all()


def test_a_third_cuatrimestre_edition_scores_the_first_two_cuatrimestres():
    assert track_record.record_cuatrimestres(3) == (1, 2)
    assert track_record.record_cuatrimestres(2) == (2,)


def test_the_summary_per_product_gives_median_absolute_error_and_coverage(record):
    by_product = track_record.record_by_product(record).set_index(PRODUCT_KEY)
    rows = record[record[PRODUCT_KEY] == key(2)]
    assert by_product.loc[key(2), "proyecciones"] == len(rows)
    assert by_product.loc[key(2), "error_mediano_pct"] == pytest.approx(np.median(np.abs(rows["error_pct"])))
    assert by_product.loc[key(2), "cobertura_pct"] == pytest.approx(rows["dentro_del_intervalo"].mean() * 100)


def test_the_overall_summary_ends_with_a_row_for_all_years(record):
    overall = track_record.record_overall(record)
    assert len(overall) == 3 and pd.isna(overall["anio"].iloc[-1])
    assert overall["proyecciones"].iloc[-1] == len(record)
    assert overall["error_mediano_pct"].iloc[-1] == pytest.approx(np.median(np.abs(record["error_pct"])))


def test_without_an_earlier_complete_year_the_record_is_empty_with_its_columns():
    record = track_record.projection_record(load_poa(), 2024, 1)
    assert record.empty and "error_pct" in record.columns
