"""The edition dataset (pei_analysis.model.dataset): every number the chapters show, computed once."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pei_analysis import load_linkage, load_pei, load_poa
from pei_analysis.errors import DataError
from pei_analysis.ingest.importer import import_file
from pei_analysis.ingest.validation import validate_all
from pei_analysis.model import attainment, dataset, projection, revisions
from pei_analysis.model import edition as report
from pei_analysis.tables.catalogue import load_catalogue

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


@pytest.fixture(scope="module")
def shipped():
    return dataset.compute_dataset(2024, 1)


def test_the_programs_below_their_goal_add_up_to_the_products_on_the_summarys_board(shipped):
    by_program = shipped.programs.set_index("programa")["bajo_meta"]
    assert by_program.sum() == len(shipped.board.off_track) > 0
    assert (
        by_program.to_dict()
        == shipped.board.off_track.groupby("programa")
        .size()
        .reindex(by_program.index, fill_value=0)
        .to_dict()
    )


def test_the_dataset_holds_the_editions_tables_as_the_model_computes_them(shipped):
    edition = report.load_edition(2024, 1)
    table = dataset.with_catalogue(edition.table, load_catalogue().productos)
    pd.testing.assert_frame_equal(shipped.table.drop(columns=list(dataset.CATALOGUE_COLUMNS)), edition.table)
    pd.testing.assert_frame_equal(shipped.table, table)
    pd.testing.assert_frame_equal(shipped.poa, edition.poa)
    pd.testing.assert_frame_equal(shipped.programs, report.program_summary(table))
    pd.testing.assert_frame_equal(shipped.statuses, report.status_counts(table))
    pd.testing.assert_frame_equal(shipped.gaps, report.largest_gaps(table, 5))
    pd.testing.assert_frame_equal(shipped.flagged, report.flagged_products(table))
    pd.testing.assert_frame_equal(shipped.percentages, report.percentage_check(edition.poa))
    pd.testing.assert_frame_equal(shipped.sources, report.sources_table(edition.poa))
    assert shipped.checks == validate_all().checks
    pd.testing.assert_frame_equal(shipped.linkage, load_linkage())
    assert shipped.pei.objetivos.equals(load_pei().objetivos)
    assert [c["nombre"] for c in shipped.poa_columns] == list(load_poa().columns)
    assert shipped.changes is None and shipped.record is None  # a year's first edition
    assert (shipped.anio, shipped.cuatrimestre, shipped.level, shipped.thresholds) == (
        2024,
        1,
        0.8,
        attainment.Thresholds(),
    )


def test_the_dataset_runs_the_projection_engine_once_per_period(data_copy, monkeypatch):
    import_file(
        FIXTURES / "poa_2024_c2_prueba.txt", anio=2024, cuatrimestre=2, cifras="periodo", data_dir=data_copy
    )
    calls = []
    engine = projection.project_year_end
    monkeypatch.setattr(projection, "project_year_end", lambda *a, **k: calls.append(1) or engine(*a, **k))
    second = dataset.compute_dataset(2024, 2, data_copy, {"en_riesgo": 65}, 0.9)
    assert len(calls) == 2  # the edition's own period and the previous one, for the comparison
    monkeypatch.setattr(projection, "project_year_end", engine)
    expected = revisions.changes_since_previous(
        load_poa(data_copy), 2024, 2, attainment.Thresholds(at_risk=65), 0.9
    )
    named = dataset.with_catalogue(expected, load_catalogue(data_copy).productos)
    pd.testing.assert_frame_equal(second.changes, named)
    assert second.changes["nombre_corto"].notna().all()  # the chapter names each product as the others do
    assert second.thresholds.at_risk == 65 and second.level == 0.9 and second.data_dir == str(data_copy)


def test_bad_parameters_are_refused_before_any_data_is_read(monkeypatch):
    monkeypatch.setattr(
        "pei_analysis.ingest.validation.validate_all", lambda *_: pytest.fail("read the data")
    )
    with pytest.raises(DataError, match="nivel"):
        dataset.compute_dataset(2024, 1, level=1.5)
    with pytest.raises(DataError, match="umbral desconocido: at_risk"):
        dataset.compute_dataset(2024, 1, thresholds={"at_risk": 60})


def test_an_edition_without_data_for_its_period_is_refused():
    with pytest.raises(DataError, match="no hay datos del POA para 2024, cuatrimestre 2"):
        dataset.compute_dataset(2024, 2)


def test_a_saved_dataset_reads_back_exactly_and_only_for_its_own_edition(shipped, tmp_path):
    path = dataset.save_dataset(shipped, tmp_path / dataset.DATASET_FILE)
    again = dataset.edition_dataset(str(path), 2024, 1)
    pd.testing.assert_frame_equal(again.table, shipped.table, check_exact=True)
    assert again.checks == shipped.checks
    with pytest.raises(DataError, match="es de 2024-c1 y el cuaderno pide 2024-c2") as err:
        dataset.edition_dataset(path, 2024, 2)
    assert err.value.field == "edicion"


def test_without_a_file_the_notebook_computes_the_dataset_itself(shipped):
    computed = dataset.edition_dataset(None, 2024, 1)
    pd.testing.assert_frame_equal(computed.table, shipped.table)


def test_the_dataset_holds_every_pei_indicators_progress_at_the_editions_cut_off(shipped):
    assert list(shipped.indicators["meta_id"]) == list(load_pei().indicadores["meta_id"])
    # the shipped observations file cites no figure yet: every indicator says so rather than showing a number
    assert (shipped.indicators["estado"] == "sin datos").all()
    assert shipped.indicators["ultimo_valor"].isna().all()


def test_the_dataset_holds_the_products_history_and_it_is_empty_without_past_years(shipped):
    past = shipped.history
    assert not past.has_past and past.comparison.empty and past.record.empty
    assert len(past.totals) == len(shipped.table)


def test_an_imported_annual_total_is_read_into_the_history(data_copy, tmp_path):
    from pei_analysis.ingest.importer import import_files
    from pei_analysis.tables.poa import PRODUCT_KEY
    from tests.simulated_reports import write_report

    import_files(
        [write_report(tmp_path, "anual_2023.txt", 2023, None)], data_dir=data_copy
    )  # DATOS SIMULADOS
    totals = dataset.annual_totals(data_copy)
    assert sorted(totals["anio"].unique()) == [2023]
    past = dataset.compute_dataset(2024, 1, data_copy).history
    assert past.years[["anio", "tipo"]].values.tolist() == [[2023, "anual"]]
    key = totals[PRODUCT_KEY].iloc[0]
    row = past.totals[(past.totals["anio"] == 2023) & (past.totals[PRODUCT_KEY] == key)].iloc[0]
    assert row["ejecutado"] == totals["ejecutado"].iloc[0]


def test_without_the_annual_table_there_are_no_annual_totals():
    assert dataset.annual_totals().empty


def test_with_catalogue_adds_each_products_short_name_by_its_key_and_keeps_rows_and_order():
    table = pd.DataFrame(
        {"clave": ["12-11-SN-4", "12-01-SN-4", "99-01-SN-1"], "producto": [27, 23, 40]}, index=[5, 3, 9]
    )
    catalogue = pd.DataFrame(
        {
            "clave": ["12-01-SN-4", "12-11-SN-4"],
            "nombre_corto": ["Cuota mortuoria EMA", "Cuota mortuoria IVS"],
        }
    )
    out = dataset.with_catalogue(table, catalogue)
    assert out.index.tolist() == [5, 3, 9] and out["producto"].tolist() == [27, 23, 40]
    assert out["nombre_corto"].tolist()[:2] == ["Cuota mortuoria IVS", "Cuota mortuoria EMA"]
    assert pd.isna(out["nombre_corto"].iloc[2])


def test_the_editions_product_table_carries_the_catalogues_distinct_short_names(shipped):
    table = shipped.table
    assert table["nombre_corto"].notna().all() and table["nombre_corto"].is_unique
    names = table.set_index("producto")["nombre_corto"]
    assert names[[23, 27, 30]].tolist() == [
        "Cuota mortuoria EMA",
        "Cuota mortuoria IVS",
        "Cuota mortuoria PRECAPI",
    ]
    assert names[36] == "Atención COVID-19"
