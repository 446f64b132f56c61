"""The change from last year in a few numbers (pei_analysis.model.year_change), on SIMULATED multi-year
tables (tests/unit/model/history_cases.py: DATOS SIMULADOS, NO SON CIFRAS DEL IGSS)."""

from __future__ import annotations

import pandas as pd
import pytest

from pei_analysis.model import edition as report
from pei_analysis.model import history
from pei_analysis.model.year_change import change_summary
from pei_analysis.tables.poa import PRODUCT_KEY
from tests.unit.model.history_cases import annual_totals, key, simulated_poa


def _comparison(poa: pd.DataFrame, anio: int = 2024, cuatrimestre: int = 1) -> pd.DataFrame:
    table = report.projection_table(poa, anio, cuatrimestre)
    return history.same_period(poa, table, anio, cuatrimestre, annual_totals())


def _with_2024_c1(poa: pd.DataFrame, producto: int, factor: float) -> pd.DataFrame:
    """*poa* with product *producto*'s 2024 first cuatrimestre scaled by *factor* (simulated)."""
    out = poa.copy()
    at = (out["anio"] == 2024) & (out[PRODUCT_KEY] == key(producto))
    out.loc[at, "ejecutado"] = (out.loc[at, "ejecutado"] * factor).round().astype("int64")
    return out


def test_the_summary_counts_who_rose_fell_or_held_against_the_latest_earlier_year():
    # product 1 grows 10 % a year, 2 and 3 are flat; 4 is gone from the edition
    summary = change_summary(_comparison(simulated_poa()))
    assert summary.anio_anterior == 2023
    assert (summary.comparados, summary.suben, summary.bajan, summary.iguales) == (3, 1, 0, 2)
    assert summary.cambio_pct_mediano == pytest.approx(0.0)
    assert summary.caidas.empty


def test_the_steepest_falls_in_percent_come_first():
    poa = _with_2024_c1(_with_2024_c1(simulated_poa(), 2, 0.9), 3, 0.5)  # -10 % and -50 %
    summary = change_summary(_comparison(poa))
    assert (summary.suben, summary.bajan, summary.iguales) == (1, 2, 0)
    assert summary.caidas[PRODUCT_KEY].tolist() == [key(3), key(2)]
    assert summary.caidas["cambio_acumulado_pct"].tolist() == pytest.approx([-50.0, -10.0], abs=0.2)
    assert summary.cambio_pct_mediano == pytest.approx(-10.0, abs=0.2)
    assert len(change_summary(_comparison(poa), shown=1).caidas) == 1


def test_a_product_that_did_not_exist_last_year_is_not_counted():
    comparison = _comparison(simulated_poa())
    later = comparison[comparison["anio_anterior"] == 2022]  # product 3 appears in 2023
    summary = change_summary(later)
    assert summary.anio_anterior == 2022 and summary.comparados == 2


def test_without_an_earlier_year_with_the_same_months_there_is_no_summary():
    comparison = _comparison(simulated_poa())
    assert change_summary(comparison.iloc[0:0]) is None
    assert change_summary(comparison[comparison["anio_anterior"] == 2020]) is None  # annual only


def test_with_the_year_complete_the_latest_earlier_year_with_all_its_months_is_the_one_compared():
    # edition 2023-c3: 2022 lacks its third cuatrimestre, so January-December compares with 2021
    summary = change_summary(_comparison(simulated_poa(), 2023, 3))
    assert summary.anio_anterior == 2021
    assert (summary.comparados, summary.suben, summary.iguales) == (2, 1, 1)  # product 3 starts in 2023
    assert summary.cambio_pct_mediano == pytest.approx((1.10**2 - 1) * 100 / 2, abs=0.1)


def test_products_with_nothing_executed_in_either_year_are_counted_apart_from_those_that_held():
    poa = simulated_poa()
    poa.loc[poa[PRODUCT_KEY] == key(2), "ejecutado"] = 0  # simulated: nothing executed in any year
    summary = change_summary(_comparison(poa))
    assert (summary.comparados, summary.suben, summary.iguales, summary.en_cero) == (3, 1, 1, 1)
