"""The decision board (pei_analysis.model.board): shortfalls, needed pace, order and codes."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from pei_analysis.model import attainment, board, history
from pei_analysis.model.projection import (
    INTERVALO_NINGUNO,
    INTERVALO_OTRAS_SERIES,
    INTERVALO_PROPIO,
    INTERVALO_REFERENCIA,
    RITMO,
    SIN_BASE,
)

CATALOGUE = pd.DataFrame(
    {
        "clave": ["A-1", "B-1", "C-1", "D-1"],
        "unidad_medida": ["raciones", "egresos", "pagos", ""],
        "naturaleza": ["produccion_programada", "a_la_demanda", "pago_de_prestaciones", ""],
    }
)


def product_table(rows):
    """An edition's product table with only the columns the board reads, scored by the semáforo."""
    frame = pd.DataFrame(
        rows,
        columns=[
            "producto",
            "clave",
            "programado",
            "ejecutado_acumulado",
            "proyeccion",
            "limite_inferior",
            "limite_superior",
            "intervalo",
        ],
    )
    frame["metodo"] = frame["intervalo"].map({INTERVALO_NINGUNO: SIN_BASE}).fillna(RITMO)
    return attainment.classify(frame.assign(ejecutado=frame["ejecutado_acumulado"]))


TABLE = product_table(
    [
        # producto, clave, programado, ejecutado, proyeccion, inferior, superior, intervalo
        (1, "A-1", 1000, 200, 800, 700, 900, INTERVALO_REFERENCIA),  # 20 % short
        (2, "B-1", 100, 30, 95, 90, 100, INTERVALO_REFERENCIA),  # 5 % short: still satisfactorio
        (3, "C-1", 50, 10, 30, 20, 40, INTERVALO_REFERENCIA),  # 40 % short
        (4, "D-1", 4000, 1000, 3400, 3000, 3800, INTERVALO_REFERENCIA),  # 15 % short
    ]
)


@pytest.fixture
def products():
    return board.product_board(TABLE, CATALOGUE, cuatrimestre=1)


def test_the_shortfall_is_the_goal_minus_the_projection_in_units_and_as_a_share_of_the_goal(products):
    first = products.iloc[0]
    assert first["faltante"] == pytest.approx(200) and first["faltante_pct"] == pytest.approx(20)


def test_a_product_projected_above_its_goal_has_no_shortfall():
    above = product_table([(1, "A-1", 100, 50, 130, 120, 140, INTERVALO_PROPIO)])
    row = board.product_board(above, CATALOGUE, 1).iloc[0]
    assert row["faltante"] == 0 and row["faltante_pct"] == 0


def test_the_needed_pace_is_what_is_left_per_remaining_cuatrimestre_over_the_pace_so_far(products):
    first = products.iloc[0]  # 800 left over 2 cuatrimestres = 400 each, against 200 so far
    assert first["ritmo_necesario"] == pytest.approx(400)
    assert first["veces_ritmo"] == pytest.approx(2.0)
    after_two = board.product_board(TABLE, CATALOGUE, cuatrimestre=2).iloc[
        0
    ]  # 800 left in 1, against 100 each
    assert after_two["veces_ritmo"] == pytest.approx(8.0)


def test_no_needed_pace_is_given_when_nothing_was_executed_or_no_cuatrimestre_remains():
    idle = product_table([(1, "A-1", 1000, 0, 0, 0, 0, INTERVALO_REFERENCIA)])
    assert pd.isna(board.product_board(idle, CATALOGUE, 1).iloc[0]["veces_ritmo"])
    assert pd.isna(board.product_board(TABLE, CATALOGUE, 3).iloc[0]["veces_ritmo"])


def test_off_track_products_are_those_below_satisfactory_sorted_by_shortfall_as_a_share_of_the_goal(products):
    chosen = board.off_track(products)
    assert chosen["producto"].tolist() == [3, 1, 4]  # 40 %, 20 %, 15 %; product 2 (95 %) is satisfactory


def test_off_track_follows_the_thresholds_the_semaforo_was_scored_with(products):
    """«Satisfactorio» lowered to 85 % takes product 4 (85 %) off the board: the state decides."""
    rescored = attainment.classify(TABLE.drop(columns=["estado"]), attainment.Thresholds(satisfactory=85))
    chosen = board.off_track(board.product_board(rescored, CATALOGUE, cuatrimestre=1))
    assert chosen["producto"].tolist() == [3, 1]


def test_flagged_products_are_never_on_the_board_whatever_their_percentage():
    flagged = product_table(
        [
            (1, "A-1", 5, 1, 2, 1, 3, INTERVALO_REFERENCIA),  # meta pequeña
            (2, "B-1", 100, 0, 0, 0, 0, INTERVALO_REFERENCIA),  # sin ejecución
        ]
    )
    assert board.off_track(board.product_board(flagged, CATALOGUE, 1)).empty


def test_the_shortfall_reads_by_the_products_nature(products):
    assert products["lectura"].tolist() == [
        board.FALTA_PRODUCCION,
        board.MENOR_DEMANDA,
        board.MENOS_PAGOS,
        board.SIN_NATURALEZA,
    ]


def test_a_product_without_a_unit_in_the_catalogue_keeps_an_empty_unit_not_a_missing_value(products):
    assert products.iloc[3]["unidad_medida"] == ""


def test_the_basis_code_follows_the_interval_the_engine_used():
    mixed = product_table(
        [
            (1, "A-1", 100, 30, 90, 80, 100, INTERVALO_PROPIO),
            (2, "B-1", 100, 30, 90, 60, 120, INTERVALO_OTRAS_SERIES),
            (3, "C-1", 100, 30, 90, 70, 110, INTERVALO_REFERENCIA),
        ]
    )
    products = board.product_board(mixed, CATALOGUE, 1)
    assert products["base"].tolist() == [board.BASE_PROPIA, board.BASE_OTROS, board.BASE_REFERENCIA]
    summary = board.bases(products).set_index("base")
    assert summary.loc[board.BASE_OTROS, "medio_ancho_mediano_pct"] == pytest.approx(100 * 30 / 90)
    assert summary["productos"].tolist() == [1, 1, 1]


def test_a_product_the_engine_had_no_base_for_has_its_own_basis_code_and_no_shortfall():
    unfounded = product_table([(1, "A-1", 100, 0, None, None, None, INTERVALO_NINGUNO)])
    products = board.product_board(unfounded, CATALOGUE, 1)
    assert (
        products.loc[0, "base"] == board.BASE_NINGUNA
        and products.loc[0, "estado"] == attainment.SIN_EJECUCION
    )
    assert pd.isna(products.loc[0, "faltante"])
    assert board.bases(products).to_dict("records")[0]["productos"] == 1


def test_the_next_edition_has_the_data_of_the_next_cuatrimestre():
    result = board.edition_board(TABLE, CATALOGUE, 2024, 1)
    assert result.next_cutoff == dt.date(2024, 8, 31)
    assert board.edition_board(TABLE, CATALOGUE, 2024, 3).next_cutoff == dt.date(2025, 4, 30)


def test_the_shipped_edition_puts_product_2_about_802943_raciones_short():
    """The number the issue quotes, from the shipped 2024-c1 data (the catalogue gives its unit)."""
    from pei_analysis.model.dataset import compute_dataset

    shipped = compute_dataset(2024, 1).board
    row = shipped.products.set_index("producto").loc[2]
    assert row["unidad_medida"] == "raciones" and row["lectura"] == board.MENOR_DEMANDA
    assert row["faltante"] == pytest.approx(row["programado"] - row["proyeccion"])
    assert shipped.bases["base"].tolist() == [board.BASE_REFERENCIA, board.BASE_NINGUNA]


def test_the_shipped_edition_projects_none_of_the_products_with_nothing_executed():
    """The report shows 0 executed for five products, and the data hold no earlier year of theirs."""
    from pei_analysis.model.dataset import compute_dataset

    products = compute_dataset(2024, 1).board.products
    unfounded = products[products["base"] == board.BASE_NINGUNA]
    assert sorted(unfounded["producto"]) == sorted(
        products.loc[products["ejecutado_acumulado"] == 0, "producto"]
    )
    assert len(unfounded) == 5
    assert unfounded[["proyeccion", "limite_inferior", "limite_superior"]].isna().all().all()


def _totals(rows):
    """Yearly totals as :func:`pei_analysis.model.history.year_totals` gives them (the columns read)."""
    return pd.DataFrame(rows, columns=["clave", "anio", "tipo", "ejecutado"])


def test_each_product_carries_its_last_whole_year_and_its_goal_and_projection_against_it(products):
    totals = _totals(
        [
            ("A-1", 2022, history.COMPLETO, 600.0),
            ("A-1", 2023, history.COMPLETO, 500.0),  # goal 1000: +100 %; projection 800: +60 %
            ("C-1", 2023, history.ANUAL, 40.0),  # an annual total is a whole year: goal 50 is +25 %
        ]
    )
    row = board.with_last_year(products, totals).set_index("clave")
    assert (row.loc["A-1", "anio_anterior"], row.loc["A-1", "total_anterior"]) == (2023, 500.0)
    assert row.loc["A-1", "meta_vs_anterior_pct"] == pytest.approx(100.0)
    assert row.loc["A-1", "proyeccion_vs_anterior_pct"] == pytest.approx(60.0)
    assert row.loc["C-1", "meta_vs_anterior_pct"] == pytest.approx(25.0)
    assert row.loc["C-1", "proyeccion_vs_anterior_pct"] == pytest.approx(-25.0)


def test_an_incomplete_year_or_a_zero_total_is_no_products_last_whole_year(products):
    totals = _totals(
        [
            ("A-1", 2021, history.COMPLETO, 400.0),
            ("A-1", 2022, history.INCOMPLETO, 100.0),  # a partial sum: not the year's level
            ("B-1", 2023, history.COMPLETO, 0.0),  # no base to compare with
        ]
    )
    row = board.with_last_year(products, totals).set_index("clave")
    assert row.loc["A-1", "anio_anterior"] == 2021 and row.loc["A-1", "total_anterior"] == 400.0
    assert pd.isna(row.loc["B-1", "meta_vs_anterior_pct"])
    assert pd.isna(row.loc["D-1", "total_anterior"]) and pd.isna(row.loc["D-1", "anio_anterior"])


def test_without_earlier_years_the_last_year_columns_are_empty(products):
    for totals in (None, _totals([])):
        out = board.with_last_year(products, totals)
        assert out[["anio_anterior", "total_anterior", "meta_vs_anterior_pct"]].isna().all().all()
