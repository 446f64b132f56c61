"""What the Datos chapter offers for download, from the edition's dataset (pei_analysis.chapters.datos)."""

from __future__ import annotations

import pandas as pd

from pei_analysis.chapters import datos
from pei_analysis.chapters.methods import with_method_labels
from pei_analysis.chapters.status_notes import with_status_notes


def test_the_exports_are_the_editions_tables_with_the_pei_and_the_links(shipped):
    tables = datos.exports(shipped)
    assert list(tables) == [
        "poa_ejecucion",
        "avance_por_producto",
        "proyeccion_y_semaforo",
        "resumen_por_programa",
        "vinculos_poa_pei",
        "pei_metas",
    ]
    # the engine's method codes and the semáforo go out as the words readers see (the method's name, the
    # state's note); every other column is the edition's table
    expected = with_method_labels(with_status_notes(shipped.table, shipped.thresholds))
    pd.testing.assert_frame_equal(tables["proyeccion_y_semaforo"], expected)


def test_every_column_of_the_poa_has_the_meaning_its_schema_gives(shipped):
    meanings = datos.column_meanings(shipped)
    for column in shipped.poa_columns:
        assert column["nombre"] in meanings
    assert meanings["pct_avance"].startswith("Ejecutado acumulado como %")


def test_the_column_dictionary_is_one_card_per_column_on_a_phone_with_every_exported_column(shipped):
    tables = datos.exports(shipped)
    html = datos.dictionary_table(shipped, tables).html
    assert "tabla-apilada" in html
    columns = {str(c) for t in tables.values() for c in t.columns}
    assert html.count("<tr") == len(columns) + 1  # the heading and one row per column
    assert "Ejecutado acumulado como % de lo programado (vigente)" in html


def test_every_exported_column_has_a_meaning_in_the_dictionary(shipped, with_history):
    for dataset in (shipped, with_history):
        tables = datos.exports(dataset)
        dictionary = datos.column_dictionary(tables, datos.column_meanings(dataset))
        assert dictionary.loc[dictionary["descripcion"] == "", "columna"].tolist() == []
