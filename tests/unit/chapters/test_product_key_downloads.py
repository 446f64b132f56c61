"""Every table the book offers for download with a row per product carries the product's catalogue key
(issue #19: a product is identified across years by what it is, never by its number in one report)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from pei_analysis.chapters import datos, downloads, ejecucion_poa, proyeccion, resumen
from pei_analysis.chapters.sections import FigureBlock
from pei_analysis.tables.catalogue import load_catalogue
from pei_analysis.tables.poa import PRODUCT_KEY


def offered_downloads(dataset) -> dict[str, pd.DataFrame]:
    """The Datos chapter's tables and the CSV under every figure of the book, by file name."""
    tables = {f"{name}.csv": table for name, table in datos.exports(dataset).items()}
    sections = [*ejecucion_poa.program_sections(dataset), *proyeccion.program_sections(dataset)]
    blocks = [resumen.status_figure(dataset), *(b for s in sections for b in s.blocks)]
    for block in blocks:
        if isinstance(block, FigureBlock) and block.data is not None:
            tables[block.csv_name] = block.data
    plt.close("all")
    return tables


def per_product(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The tables that name a product by its report number: one row per product (and period or link)."""
    return {name: table for name, table in tables.items() if "producto" in table.columns}


@pytest.fixture(scope="module", params=["shipped", "with_history"])
def dataset(request):
    return request.getfixturevalue(request.param)


def test_every_per_product_download_carries_the_catalogue_key(dataset):
    tables = per_product(offered_downloads(dataset))
    assert {"avance_por_producto.csv", "proyeccion_y_semaforo.csv", "grafico_avance_11.csv"} <= set(tables)
    assert [name for name, table in tables.items() if PRODUCT_KEY not in table.columns] == []


def test_every_key_in_a_download_is_a_catalogue_key_and_the_one_the_poa_gives_that_product(dataset):
    keys = set(load_catalogue(dataset.data_dir).productos["clave"])
    known_pairs = set(zip(dataset.poa["producto"], dataset.poa[PRODUCT_KEY], strict=True))
    for name, table in per_product(offered_downloads(dataset)).items():
        assert table[PRODUCT_KEY].notna().all(), name
        assert set(table[PRODUCT_KEY]) <= keys, name
        numbered = table[table["producto"].notna()]  # a product this report no longer has: no number
        assert set(zip(numbered["producto"], numbered[PRODUCT_KEY], strict=True)) <= known_pairs, name


def test_the_progress_download_puts_the_key_right_after_the_report_number_as_the_others_do(shipped):
    tables = datos.exports(shipped)
    for name in ("poa_ejecucion", "avance_por_producto", "proyeccion_y_semaforo"):
        columns = list(tables[name].columns)
        assert columns[columns.index("producto") + 1] == PRODUCT_KEY, name


def test_the_key_has_its_meaning_in_the_column_dictionary_for_the_progress_download(shipped):
    tables = datos.exports(shipped)
    dictionary = downloads.column_dictionary(tables, datos.column_meanings(shipped)).set_index("columna")
    assert "avance_por_producto" in dictionary.loc[PRODUCT_KEY, "tablas"].split(", ")
    assert "catálogo" in dictionary.loc[PRODUCT_KEY, "descripcion"]


def test_the_history_downloads_name_each_product_as_the_others_do_number_then_key(with_history):
    tables = datos.exports(with_history)
    for name in ("historia_por_producto", "perfil_dentro_del_anio", "proyecciones_anteriores"):
        assert list(tables[name].columns[:2]) == ["producto", PRODUCT_KEY], name


def test_the_profile_download_says_which_product_each_key_is_by_its_number_and_short_name(with_history):
    profiles = datos.exports(with_history)["perfil_dentro_del_anio"]
    names = with_history.table.set_index(PRODUCT_KEY)["nombre_corto"]
    current = profiles[PRODUCT_KEY].isin(names.index)
    assert current.sum() > 0 and (~current).sum() > 0  # the simulated history has a product that ended
    assert (profiles.loc[current, "nombre_corto"] == profiles.loc[current, PRODUCT_KEY].map(names)).all()
    assert profiles.loc[~current, ["producto", "nombre_corto"]].isna().all().all()
    assert str(profiles["producto"].dtype) == "Int64"
