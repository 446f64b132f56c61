"""The tidy POA table: loaded from the repository wherever Python runs, validated on every load."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from pei_analysis import load_poa
from pei_analysis.errors import DataError
from pei_analysis.tables.poa import POA_CSV, merge_period, write_table
from tests.conftest import snapshot

REQUIRED = [
    "anio",
    "cuatrimestre",
    "programa",
    "subprograma",
    "producto",
    "descripcion",
    "sigla",
    "programado",
    "ejecutado",
]


def _edit_csv(data: Path, old: str, new: str) -> None:
    csv = data / POA_CSV
    text = csv.read_text(encoding="utf-8")
    assert old in text
    csv.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_load_poa_returns_the_36_products_with_the_documented_columns():
    table = load_poa()
    assert len(table) == 36
    assert all(column in table.columns for column in REQUIRED)
    assert str(table["programado"].dtype) == "int64" and str(table["ejecutado"].dtype) == "int64"


def test_load_poa_finds_data_from_the_package_not_the_working_directory(tmp_path):
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        assert len(load_poa()) == 36
    finally:
        os.chdir(cwd)


def test_load_poa_refuses_a_negative_figure_naming_the_line_and_column(data_copy):
    _edit_csv(data_copy, ",3958200,1367720,", ",3958200,-1367720,")
    with pytest.raises(DataError) as err:
        load_poa(data_copy)
    assert "línea 5" in str(err.value) and "ejecutado" in str(err.value)


def test_load_poa_refuses_a_cuatrimestre_outside_1_to_3(data_copy):
    _edit_csv(data_copy, "\n2024,1,11,", "\n2024,4,11,")
    with pytest.raises(DataError, match=r"línea 2.*cuatrimestre"):
        load_poa(data_copy)


def test_load_poa_refuses_text_in_a_numeric_column(data_copy):
    _edit_csv(data_copy, ",3958200,", ",3.958.200,")
    with pytest.raises(DataError, match=r"línea 5.*programado.*3\.958\.200"):
        load_poa(data_copy)


def test_load_poa_refuses_a_duplicated_product_in_a_period(data_copy):
    csv = data_copy / POA_CSV
    lines = csv.read_text(encoding="utf-8").splitlines()
    csv.write_text("\n".join([*lines, lines[4]]) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="repetida"):
        load_poa(data_copy)


def test_load_poa_refuses_an_unknown_unit(data_copy):
    _edit_csv(data_copy, ",pagos,", ",quetzales,")
    with pytest.raises(DataError, match="unidad"):
        load_poa(data_copy)


def test_a_period_already_in_the_table_is_refused_unless_replacing():
    table = load_poa()
    with pytest.raises(DataError, match="--reemplazar"):
        merge_period(table, table)
    assert len(merge_period(table, table, replace=True)) == 36


def test_writing_an_invalid_table_changes_nothing_on_disk(data_copy):
    before = snapshot(data_copy)
    table = load_poa(data_copy)
    table.loc[0, "programado"] = -5
    with pytest.raises(DataError):
        write_table(table, data_copy)
    assert snapshot(data_copy) == before


def test_the_shipped_annual_totals_table_is_empty_with_its_schema_columns():
    from pei_analysis.tables.poa import ANNUAL_COLUMNS, load_poa_annual, poa_annual_schema

    assert poa_annual_schema().column_names == ANNUAL_COLUMNS
    annual = load_poa_annual()
    assert annual.empty and list(annual.columns) == ANNUAL_COLUMNS


def test_a_data_folder_without_the_annual_table_reads_as_no_annual_year(data_copy):
    from pei_analysis.tables.poa import ANNUAL_COLUMNS, POA_ANNUAL_CSV, POA_ANNUAL_SCHEMA, load_poa_annual

    (data_copy / POA_ANNUAL_CSV).unlink()
    (data_copy / POA_ANNUAL_SCHEMA).unlink()
    annual = load_poa_annual(data_copy)
    assert annual.empty and list(annual.columns) == ANNUAL_COLUMNS


def test_the_annual_totals_refuse_a_year_twice_unless_replacing(data_copy, tmp_path):
    from pei_analysis.ingest.importer import import_files
    from pei_analysis.tables.poa import load_poa_annual, merge_annual
    from tests.simulated_reports import write_report

    import_files([write_report(tmp_path, "anual.txt", 2021, None)], data_dir=data_copy)
    annual = load_poa_annual(data_copy)
    with pytest.raises(DataError, match="el total anual de 2021 ya está en los datos: use --reemplazar"):
        merge_annual(annual, annual)
    assert merge_annual(annual, annual, replace=True).equals(annual)


def test_load_poa_refuses_a_product_numbered_two_ways_in_one_year(data_copy):
    path = data_copy / POA_CSV
    rows = pd.read_csv(path, dtype=str, keep_default_na=False)
    first = rows.assign(anio="2023")
    second = first.assign(cuatrimestre="2")
    nine, ten = second["producto"] == "9", second["producto"] == "10"
    second.loc[nine, "producto"], second.loc[ten, "producto"] = "10", "9"  # numbers traded, keys kept
    pd.concat([first, second, rows]).to_csv(path, index=False)
    with pytest.raises(
        DataError, match=r"campo «producto»: la clave «11-04-\S+» tiene en 2023 los números 9, 10"
    ):
        load_poa(data_copy)
    second.loc[nine, "producto"], second.loc[ten, "producto"] = "9", "10"
    pd.concat([first, second, rows]).to_csv(path, index=False)
    assert len(load_poa(data_copy)) == 3 * len(rows)  # the same numbers in both cuatrimestres pass
