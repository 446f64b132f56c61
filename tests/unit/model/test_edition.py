"""The tables of an edition (pei_analysis.model.edition): numbers only; their words are
tests/unit/chapters."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from pei_analysis.errors import DataError
from pei_analysis.model import attainment
from pei_analysis.model import edition as report
from pei_analysis.model.projection import RITMO, SIN_BASE


def poa_rows(rows):
    """A small POA table with the columns load_poa returns (values are test data, not IGSS figures)."""
    base = {
        "programa_nombre": "PROGRAMA DE PRUEBA",
        "subprograma": "01",
        "subprograma_nombre": "SUBPROGRAMA DE PRUEBA",
        "sigla": "TST",
        "unidad": "producción",
        "cifras_origen": "periodo",
        "archivo_origen": "prueba.txt",
        "linea_origen": 1,
    }
    out = []
    for r in rows:
        row = {**base, **r}
        row.setdefault("descripcion", f"Producto de prueba {row['producto']} (TST)")
        row.setdefault("clave", f"{row['programa']}-{row['subprograma']}-TST-{row['producto']}")
        if "porcentaje_reportado" not in row:
            row["porcentaje_reportado"] = round(row["ejecutado"] * 100 / row["programado"], 2)
        out.append(row)
    return pd.DataFrame(out)


@pytest.fixture
def two_periods():
    return poa_rows(
        [
            {
                "anio": 2024,
                "cuatrimestre": 1,
                "programa": "11",
                "producto": 1,
                "programado": 300,
                "ejecutado": 90,
            },
            {
                "anio": 2024,
                "cuatrimestre": 1,
                "programa": "11",
                "producto": 2,
                "programado": 120,
                "ejecutado": 50,
            },
            {
                "anio": 2024,
                "cuatrimestre": 1,
                "programa": "12",
                "producto": 3,
                "programado": 5,
                "ejecutado": 0,
            },
            {
                "anio": 2024,
                "cuatrimestre": 2,
                "programa": "11",
                "producto": 1,
                "programado": 330,
                "ejecutado": 110,
            },
            {
                "anio": 2024,
                "cuatrimestre": 2,
                "programa": "11",
                "producto": 2,
                "programado": 120,
                "ejecutado": 30,
            },
            {
                "anio": 2024,
                "cuatrimestre": 2,
                "programa": "12",
                "producto": 3,
                "programado": 5,
                "ejecutado": 1,
            },
        ]
    )


# --------------------------------------------------------------------------- execution


def test_execution_table_accumulates_the_year_up_to_the_edition_and_uses_its_programado(two_periods):
    table = report.execution_table(two_periods, 2024, 2).set_index("producto")
    assert table.loc[1, "ejecutado_acumulado"] == 200
    assert table.loc[1, "programado"] == 330  # revised vigente of the edition's cuatrimestre
    assert table.loc[1, "pct_avance"] == pytest.approx(200 * 100 / 330)
    assert table.loc[1, "pct_esperado"] == pytest.approx(200 / 3)
    assert table.loc[2, "brecha_pp"] == pytest.approx(80 * 100 / 120 - 200 / 3)
    assert set(table["cuatrimestres"]) == {2}


def test_execution_table_of_an_earlier_edition_ignores_later_periods(two_periods):
    table = report.execution_table(two_periods, 2024, 1).set_index("producto")
    assert table.loc[1, "ejecutado_acumulado"] == 90
    assert table.loc[1, "programado"] == 300
    assert table.loc[2, "pct_avance"] == pytest.approx(50 * 100 / 120)


def test_execution_table_leaves_the_percentage_empty_when_nothing_was_programmed():
    poa = poa_rows(
        [
            {
                "anio": 2024,
                "cuatrimestre": 1,
                "programa": "11",
                "producto": 1,
                "programado": 0,
                "ejecutado": 0,
                "porcentaje_reportado": 0.0,
            }
        ]
    )
    assert math.isnan(report.execution_table(poa, 2024, 1)["pct_avance"].iloc[0])


def test_an_edition_without_data_for_its_period_is_refused_naming_the_periods_there_are(two_periods):
    with pytest.raises(DataError, match="2024-c1, 2024-c2") as err:
        report.execution_table(two_periods, 2024, 3)
    assert "cuatrimestre 3" in str(err.value)


def test_projection_history_keeps_complete_past_years_and_nothing_after_the_edition(two_periods):
    past = poa_rows(
        [
            {
                "anio": 2023,
                "cuatrimestre": c,
                "programa": "11",
                "producto": 1,
                "programado": 300,
                "ejecutado": 100,
            }
            for c in (1, 2, 3)
        ]
        + [
            {
                "anio": 2022,
                "cuatrimestre": 1,
                "programa": "11",
                "producto": 1,
                "programado": 300,
                "ejecutado": 100,
            }
        ]
    )
    history = report.projection_history(pd.concat([past, two_periods]), 2024, 1)
    assert list(history.columns) == ["serie", "anio", "cuatrimestre", "valor"]
    assert set(zip(history["anio"], history["cuatrimestre"], strict=True)) == {
        (2023, 1),
        (2023, 2),
        (2023, 3),
        (2024, 1),
    }
    assert history.loc[(history["serie"] == "11-01-TST-1") & (history["anio"] == 2024), "valor"].tolist() == [
        90
    ]


def test_a_product_the_report_renumbered_keeps_its_history_under_its_catalogue_key(two_periods):
    # 2023 (test data) numbered products 1 and 2 the other way round; the catalogue key follows each.
    past = poa_rows(
        [
            {
                "anio": 2023,
                "cuatrimestre": c,
                "programa": "11",
                "producto": 2,
                "clave": "11-01-TST-1",
                "programado": 300,
                "ejecutado": 100 + c,
            }
            for c in (1, 2, 3)
        ]
        + [
            {
                "anio": 2023,
                "cuatrimestre": c,
                "programa": "11",
                "producto": 1,
                "clave": "11-01-TST-2",
                "programado": 120,
                "ejecutado": 40,
            }
            for c in (1, 2, 3)
        ]
    )
    history = report.projection_history(pd.concat([past, two_periods]), 2024, 1)
    first = history[history["serie"] == "11-01-TST-1"]
    assert first["valor"].tolist() == [101, 102, 103, 90]
    assert history.loc[history["serie"] == "11-01-TST-2", "valor"].tolist() == [40, 40, 40, 50]


def test_projection_table_adds_the_projection_and_the_semaforo_of_every_product(two_periods):
    table = report.projection_table(two_periods, 2024, 1)
    for column in (
        "proyeccion",
        "limite_inferior",
        "limite_superior",
        "metodo",
        "pct_proyectado",
        "estado",
        "estado_incierto",
    ):
        assert column in table.columns
    assert "ejecutado" not in table.columns  # only the accumulated figure, never ambiguous
    assert len(table) == 3
    assert table.set_index("producto").loc[3, "estado"] == attainment.META_PEQUENA
    projected = table[table["metodo"] != SIN_BASE]
    assert (projected["proyeccion"] >= projected["ejecutado_acumulado"]).all()


def test_a_product_with_nothing_executed_and_no_history_gets_no_projection_nor_interval(two_periods):
    table = report.projection_table(two_periods, 2024, 1).set_index("producto")
    unfounded = table[table["metodo"] == SIN_BASE]
    assert list(unfounded.index) == list(table.index[table["ejecutado_acumulado"] == 0])
    assert len(unfounded) == 1
    assert unfounded[["proyeccion", "limite_inferior", "limite_superior"]].isna().all().all()


def test_thresholds_from_a_parameter_dict_and_refusal_of_an_unknown_key():
    assert report.thresholds_from({"en_riesgo": 60}).at_risk == 60
    assert report.thresholds_from(None) == attainment.Thresholds()
    with pytest.raises(DataError, match="umbral desconocido: riesgo"):
        report.thresholds_from({"riesgo": 60})


def test_thresholds_take_their_spanish_names_and_refuse_the_english_ones_listing_the_spanish():
    limits = report.thresholds_from(
        {"satisfactorio": 85, "en_riesgo": 65, "sobre_ejecucion": 130, "meta_pequena": 5}
    )
    assert limits == attainment.Thresholds(satisfactory=85, at_risk=65, over_execution=130, small_target=5)
    with pytest.raises(DataError) as err:
        report.thresholds_from({"at_risk": 60})
    assert str(err.value).endswith(
        "umbral desconocido: at_risk; se esperaba uno de satisfactorio, en_riesgo, "
        "sobre_ejecucion, meta_pequena"
    )
    assert err.value.field == "umbrales"
    with pytest.raises(
        DataError, match="el umbral «satisfactorio» debe ser mayor que el de «en riesgo»"
    ) as err:
        report.thresholds_from({"en_riesgo": 95})
    assert err.value.field == "satisfactorio"  # the name the user wrote, not the internal field


def test_an_edition_from_a_loaded_poa_is_the_edition_load_edition_gives():
    from pei_analysis import load_poa

    loaded = report.load_edition(2024, 1, thresholds={"en_riesgo": 65}, level=0.9)
    built = report.edition_from_poa(load_poa(), 2024, 1, {"en_riesgo": 65}, 0.9)
    pd.testing.assert_frame_equal(built.table, loaded.table)
    assert (
        (built.thresholds, built.level)
        == (loaded.thresholds, loaded.level)
        == (attainment.Thresholds(at_risk=65), 0.9)
    )


def test_load_edition_refuses_a_level_outside_zero_and_one():
    with pytest.raises(DataError, match="nivel"):
        report.load_edition(2024, 1, level=1.5)


# --------------------------------------------------------------------------- summaries


@pytest.fixture
def scored():
    rows = []
    states = [
        (1, "11", attainment.SATISFACTORIO, 2.0),
        (2, "11", attainment.EN_RIESGO, -4.0),
        (3, "11", attainment.CRITICO, -12.0),
        (4, "12", attainment.CRITICO, -9.0),
        (5, "12", attainment.META_PEQUENA, -33.3),
        (6, "15", attainment.SIN_EJECUCION, -33.3),
    ]
    for producto, programa, estado, brecha in states:
        rows.append(
            {
                "producto": producto,
                "programa": programa,
                "programa_nombre": f"P{programa}",
                "unidad": "producción",
                "subprograma": "01",
                "descripcion": f"Producto {producto}",
                "sigla": None,
                "programado": 100,
                "ejecutado_acumulado": 33,
                "pct_avance": 100 / 3 + brecha,
                "pct_esperado": 100 / 3,
                "brecha_pp": brecha,
                "estado": estado,
                "estado_incierto": estado == attainment.EN_RIESGO,
            }
        )
    return pd.DataFrame(rows)


def test_status_counts_lists_every_state_in_the_fixed_order_with_zeros(scored):
    counts = report.status_counts(scored)
    assert counts["estado"].tolist() == list(attainment.ESTADOS)
    assert counts.set_index("estado").loc[attainment.CRITICO, "productos"] == 2
    assert counts.set_index("estado").loc[attainment.SOBRE_EJECUCION, "productos"] == 0
    assert counts.set_index("estado").loc[attainment.EN_RIESGO, "inciertos"] == 1
    assert counts["productos"].sum() == len(scored)


def test_largest_gaps_leaves_out_flagged_products_and_sorts_by_the_gap(scored):
    gaps = report.largest_gaps(scored, 5)
    assert gaps["producto"].tolist() == [3, 4, 2]
    assert report.flagged_products(scored)["producto"].tolist() == [5, 6]


def test_program_summary_counts_products_behind_pace_and_never_adds_quantities(scored):
    summary = report.program_summary(scored).set_index("programa")
    assert summary.loc["11", "productos"] == 3
    assert summary.loc["11", "atrasados"] == 2
    assert summary.loc["11", "al_ritmo"] == 1
    assert "programado" not in summary.columns
    assert summary.loc["12", attainment.CRITICO] == 1


def test_program_summary_counts_the_products_that_would_close_below_their_goal(scored):
    summary = report.program_summary(scored).set_index("programa")
    # 11: one en riesgo and one crítico; 12: one crítico (the meta pequeña is not scored); 15: none
    assert summary["bajo_meta"].to_dict() == {"11": 2, "12": 1, "15": 0}


def test_percentage_check_of_the_shipped_data_finds_every_percentage_within_rounding():
    edition = report.load_edition(2024, 1)
    check = report.percentage_check(edition.poa)
    assert check[["productos", "cuadran"]].values.tolist() == [[36, 36]]
    assert check["diferencia_maxima"].iloc[0] <= 0.005


def test_percentage_check_catches_a_reported_percentage_that_disagrees(two_periods):
    bad = two_periods.copy()
    bad.loc[0, "porcentaje_reportado"] = 31.0  # 90 / 300 is 30.00
    check = report.percentage_check(bad)
    assert check.loc[check["cuatrimestre"] == 1, "cuadran"].iloc[0] == 2


def test_an_annual_only_past_year_reaches_the_engine_as_its_yearly_level(data_copy, tmp_path):
    """A past year known only by its total (SIMULATED report) enters the projection as a cuatrimestre-0
    row."""
    from pei_analysis.ingest.importer import import_files
    from pei_analysis.tables.poa import load_poa, load_poa_annual
    from tests.simulated_reports import write_report

    import_files(
        [write_report(tmp_path, "anual_2023.txt", 2023, None)], data_dir=data_copy
    )  # DATOS SIMULADOS
    poa, annual = load_poa(data_copy), load_poa_annual(data_copy)
    history = report.projection_history(poa, 2024, 1, annual)
    assert set(history.loc[history["anio"] == 2023, "cuatrimestre"]) == {0}
    assert len(history[history["anio"] == 2023]) == len(annual)
    without = report.projection_table(poa, 2024, 1)
    with_totals = report.projection_table(poa, 2024, 1, annual=annual)
    assert set(without["metodo"]) == {RITMO, SIN_BASE}
    assert (without.loc[without["metodo"] == SIN_BASE, "ejecutado_acumulado"] == 0).all()
    assert not with_totals["proyeccion"].equals(without["proyeccion"])
    assert (
        report.projection_history(poa, 2023, 1, annual).query("cuatrimestre == 0").empty
    )  # not its own year


def test_a_pdf_original_is_listed_with_its_pages_a_workbook_with_its_rows_and_a_damaged_one_with_none(
    tmp_path,
):
    import openpyxl

    from evaluation.report_pdf import extract_to_pdf
    from evaluation.report_sheet import extract_to_xlsx
    from pei_analysis.paths import DATA_DIR

    raw = tmp_path / "raw"
    raw.mkdir()
    text = (DATA_DIR / "raw" / "poa_2024_c1_sicoin_ejecucion_fisica.txt").read_text(encoding="utf-8")
    (raw / "poa_2023_c1_sicoin_ejecucion_fisica.pdf").write_bytes(extract_to_pdf(text))
    (raw / "poa_2023_c2_plantilla.xlsx").write_bytes(b"PK\x03\x04\n\n\n")
    (raw / "poa_2023_c3_sicoin_ejecucion_fisica.txt").write_text("a\nb\nc", encoding="utf-8")
    (raw / "poa_2022_c1_sicoin_ejecucion_fisica.xlsx").write_bytes(extract_to_xlsx(text))
    poa = pd.DataFrame(
        {"archivo_origen": ["poa_2023_c1_sicoin_ejecucion_fisica.pdf"], "anio": [2023], "cuatrimestre": [1]}
    )
    sources = report.sources_table(poa, tmp_path).set_index("archivo")
    assert sources.loc["poa_2023_c1_sicoin_ejecucion_fisica.pdf", "paginas"] == 4
    assert pd.isna(sources.loc["poa_2023_c1_sicoin_ejecucion_fisica.pdf", "lineas"])
    assert sources.loc["poa_2023_c2_plantilla.xlsx", ["lineas", "paginas", "filas"]].isna().all()
    rows = openpyxl.load_workbook(raw / "poa_2022_c1_sicoin_ejecucion_fisica.xlsx")["POA"].max_row
    assert sources.loc["poa_2022_c1_sicoin_ejecucion_fisica.xlsx", "filas"] == rows > 36
    assert sources.loc["poa_2023_c3_sicoin_ejecucion_fisica.txt", "lineas"] == 3
