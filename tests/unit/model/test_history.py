"""Each product against its past years (pei_analysis.model.history), on SIMULATED multi-year tables
(tests/unit/model/history_cases.py: DATOS SIMULADOS, NO SON CIFRAS DEL IGSS)."""

from __future__ import annotations

import pandas as pd
import pytest

from pei_analysis import load_poa
from pei_analysis.errors import DataError
from pei_analysis.model import edition as report
from pei_analysis.model import history
from pei_analysis.tables.poa import PRODUCT_KEY
from tests.unit.model.history_cases import PROFILES, annual_totals, key, simulated_poa, year_total


@pytest.fixture(scope="module")
def poa():
    return simulated_poa()


@pytest.fixture(scope="module")
def table(poa):
    return report.projection_table(poa, 2024, 1)


@pytest.fixture(scope="module")
def past(poa, table):
    return history.edition_history(poa, table, 2024, 1, annual=annual_totals())


def _row(frame: pd.DataFrame, producto: int, **where) -> pd.Series:
    rows = frame[frame[PRODUCT_KEY] == key(producto)]
    for column, value in where.items():
        rows = rows[rows[column] == value]
    assert len(rows) == 1
    return rows.iloc[0]


def test_each_earlier_year_is_marked_complete_incomplete_or_annual_only(past):
    years = past.years.set_index("anio")
    assert years["tipo"].to_dict() == {
        2020: history.ANUAL,
        2021: history.COMPLETO,
        2022: history.INCOMPLETO,
        2023: history.COMPLETO,
    }
    assert years.loc[2022, "cuatrimestres"] == "1, 2"


def test_the_same_cuatrimestre_of_an_earlier_year_gives_the_change_in_units_and_percent(past, poa):
    row = _row(past.comparison, 1, anio_anterior=2023)
    now = poa[(poa["anio"] == 2024) & (poa[PRODUCT_KEY] == key(1))]["ejecutado"].sum()
    before = round(year_total(1, 2023) * PROFILES[1][0])
    assert (row["ejecutado"], row["ejecutado_anterior"]) == (now, before)
    assert row["cambio"] == now - before
    assert row["cambio_pct"] == pytest.approx((now - before) * 100 / before)
    assert row["dato"] == history.COMPARABLE


def test_an_incomplete_year_still_compares_the_cuatrimestres_it_has_and_says_it_is_incomplete(past):
    row = _row(past.comparison, 1, anio_anterior=2022)
    assert row["dato"] == history.COMPARABLE and row["tipo_anio"] == history.INCOMPLETO


def test_a_product_that_did_not_exist_that_year_has_no_figures_and_says_why(past):
    row = _row(past.comparison, 3, anio_anterior=2021)
    assert row["dato"] == history.SIN_PRODUCTO
    assert pd.isna(row["ejecutado_anterior"]) and pd.isna(row["cambio_pct"])


def test_an_annual_only_year_cannot_be_compared_by_cuatrimestre(past):
    row = _row(past.comparison, 1, anio_anterior=2020)
    assert row["dato"] == history.SOLO_ANUAL and pd.isna(row["cambio"])


def test_a_missing_cuatrimestre_of_an_earlier_year_is_sin_cuatrimestre():
    poa = simulated_poa()
    c2 = pd.concat([poa, poa[(poa["anio"] == 2024)].assign(cuatrimestre=2)], ignore_index=True)
    table = report.projection_table(c2, 2024, 2)
    comparison = history.same_period(c2, table, 2024, 2)
    row = _row(comparison, 1, anio_anterior=2022)
    assert row["dato"] == history.COMPARABLE
    c3 = pd.concat(
        [c2, c2[(c2["anio"] == 2024) & (c2["cuatrimestre"] == 2)].assign(cuatrimestre=3)], ignore_index=True
    )
    comparison = history.same_period(c3, report.projection_table(c3, 2024, 3), 2024, 3, annual_totals())
    assert _row(comparison, 1, anio_anterior=2022)["dato"] == history.SIN_CUATRIMESTRE


def test_with_the_year_complete_an_annual_only_year_compares_its_total(table):
    poa = simulated_poa()
    full = pd.concat(
        [poa] + [poa[poa["anio"] == 2024].assign(cuatrimestre=c) for c in (2, 3)], ignore_index=True
    )
    comparison = history.same_period(full, report.projection_table(full, 2024, 3), 2024, 3, annual_totals())
    row = _row(comparison, 1, anio_anterior=2020)
    assert row["dato"] == history.COMPARABLE and row["acumulado_anterior"] == 900.0
    assert row["cambio_acumulado"] == row["acumulado"] - 900.0


def test_the_cumulative_comparison_adds_the_cuatrimestres_since_january():
    poa = simulated_poa()
    c2 = pd.concat([poa, poa[(poa["anio"] == 2024)].assign(cuatrimestre=2)], ignore_index=True)
    comparison = history.same_period(c2, report.projection_table(c2, 2024, 2), 2024, 2)
    row = _row(comparison, 2, anio_anterior=2021)
    assert row["acumulado_anterior"] == round(600 * 0.2) + round(600 * 0.4)


def test_the_within_year_profile_is_recovered_from_complete_years_only(past):
    profiles = past.profiles
    assert set(profiles.loc[profiles[PRODUCT_KEY] == key(1), "anio"]) == {2021, 2023}
    row = _row(profiles, 2, anio=2021)
    assert row["cuota_c1"] == pytest.approx(20.0) and row["cuota_c2"] == pytest.approx(60.0)


def test_the_profile_summary_compares_this_years_pace_with_the_products_usual_share(past):
    row = _row(past.profile, 2)
    assert row["anios"] == 2 and row["cuota_media"] == pytest.approx(20.0)
    assert row["brecha_perfil_pp"] == pytest.approx(row["pct_avance"] - 20.0)
    assert row["cierre_perfil"] == pytest.approx(row["ejecutado_acumulado"] / 0.20)


def test_a_product_without_a_complete_past_year_has_no_profile():
    poa = simulated_poa()
    poa = poa[~((poa[PRODUCT_KEY] == key(3)) & (poa["anio"] == 2023))]
    past = history.edition_history(poa, report.projection_table(poa, 2024, 1), 2024, 1)
    row = _row(past.profile, 3)
    assert row["anios"] == 0 and pd.isna(row["cuota_media"]) and pd.isna(row["brecha_perfil_pp"])


def test_yearly_totals_use_the_annual_total_only_where_the_cuatrimestres_are_missing(past):
    assert _row(past.totals, 1, anio=2020)["ejecutado"] == 900.0
    assert _row(past.totals, 1, anio=2020)["tipo"] == history.ANUAL
    assert _row(past.totals, 1, anio=2021)["ejecutado"] == pytest.approx(
        sum(round(1000 * s) for s in PROFILES[1])
    )
    incomplete = _row(past.totals, 1, anio=2022)
    assert incomplete["tipo"] == history.INCOMPLETO and incomplete["cuatrimestres"] == 2


def test_this_year_closes_the_totals_with_the_projection_and_the_goal(past, table):
    row = _row(past.totals, 1, anio=2024)
    projected = table.set_index(PRODUCT_KEY).loc[key(1)]
    assert row["tipo"] == history.EN_CURSO
    assert (row["proyeccion"], row["programado"]) == (projected["proyeccion"], projected["programado"])


def test_a_product_that_disappeared_is_listed_with_the_last_year_it_was_seen(past):
    retired = past.retired
    assert retired[PRODUCT_KEY].tolist() == [key(4)] and retired["ultimo_anio"].tolist() == [2022]
    assert key(4) not in set(past.comparison[PRODUCT_KEY])


def test_without_past_years_every_table_is_empty_and_the_history_says_so():
    poa = load_poa()
    past = history.edition_history(poa, report.projection_table(poa, 2024, 1), 2024, 1)
    assert not past.has_past and not past.has_profiles and not past.has_record
    assert past.comparison.empty and past.profiles.empty and past.record.empty
    assert (past.totals["tipo"] == history.EN_CURSO).all()


def test_later_periods_than_the_edition_are_never_seen(poa):
    later = pd.concat(
        [poa, poa[poa["anio"] == 2024].assign(cuatrimestre=2, ejecutado=10**6)], ignore_index=True
    )
    table = report.projection_table(poa, 2024, 1)
    a = history.edition_history(poa, table, 2024, 1)
    b = history.edition_history(later, table, 2024, 1)
    pd.testing.assert_frame_equal(a.comparison, b.comparison)
    pd.testing.assert_frame_equal(a.record, b.record)


def test_annual_totals_without_their_columns_are_refused():
    with pytest.raises(DataError, match="faltan columnas en los totales anuales: ejecutado"):
        history.annual_totals(pd.DataFrame({PRODUCT_KEY: [1], "anio": [2020]}), 2024)


def test_the_history_carries_its_change_from_last_year_computed_once_for_every_chapter(past):
    from pei_analysis.model.year_change import change_summary

    assert past.change is not None and past.change.anio_anterior == 2023
    expected = change_summary(past.comparison)
    assert (past.change.comparados, past.change.suben, past.change.bajan) == (
        expected.comparados,
        expected.suben,
        expected.bajan,
    )
