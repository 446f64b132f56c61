"""The Datos chapter's downloads (pei_analysis.chapters.downloads): CSV and XLSX that read back as the
data."""

from __future__ import annotations

import pandas as pd
import pytest

from pei_analysis.chapters import downloads
from pei_analysis.errors import DataError
from pei_analysis.model import edition as report


@pytest.fixture
def two_periods():
    """Test data, not IGSS figures: three products in two cuatrimestres, with an accent and an empty sigla."""
    return pd.DataFrame(
        [
            {
                "anio": 2024,
                "cuatrimestre": c,
                "programa": "11",
                "subprograma": "01",
                "producto": p,
                "descripcion": f"Atención médica de prueba {p}",
                "sigla": "ENF" if p < 3 else None,
                "programado": 300,
                "ejecutado": 90 + p,
                "porcentaje_reportado": round((90 + p) / 3, 2),
            }
            for c in (1, 2)
            for p in (1, 2, 3)
        ]
    )


@pytest.fixture(scope="module")
def shipped():
    from pei_analysis.tables.linkage import load_linkage
    from pei_analysis.tables.pei import load_pei

    return report.load_edition(2024, 1), load_pei(), load_linkage()


def test_export_tables_writes_csv_and_xlsx_that_read_back_identically(tmp_path, two_periods):
    files = downloads.export_tables({"poa_ejecucion": two_periods}, tmp_path / "descargas")
    assert files[["tabla", "csv", "xlsx", "filas"]].values.tolist() == [
        ["poa_ejecucion", "poa_ejecucion.csv", "poa_ejecucion.xlsx", 6]
    ]
    csv_bytes = (tmp_path / "descargas" / "poa_ejecucion.csv").read_bytes()
    assert csv_bytes.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the accents right
    back = pd.read_csv(
        tmp_path / "descargas" / "poa_ejecucion.csv",
        encoding="utf-8-sig",
        dtype={"programa": str, "subprograma": str},
    )
    pd.testing.assert_frame_equal(back, two_periods, check_dtype=False)
    sheet = pd.read_excel(
        tmp_path / "descargas" / "poa_ejecucion.xlsx", dtype={"programa": str, "subprograma": str}
    )
    pd.testing.assert_frame_equal(sheet, two_periods, check_dtype=False)
    workbook = pd.read_excel(tmp_path / "descargas" / "todas_las_tablas.xlsx", sheet_name=None)
    assert list(workbook) == ["poa_ejecucion"]


def test_export_tables_refuses_a_table_name_that_is_not_a_plain_file_name(tmp_path):
    with pytest.raises(DataError, match="nombre de tabla"):
        downloads.export_tables({"../fuera": pd.DataFrame({"a": [1]})}, tmp_path)
    assert not any(tmp_path.parent.glob("fuera*"))


def test_downloads_markdown_links_every_file_with_the_download_role():
    files = pd.DataFrame(
        [
            {
                "tabla": "poa_ejecucion",
                "descripcion": "Datos",
                "filas": 36,
                "columnas": 3,
                "csv": "poa_ejecucion.csv",
                "xlsx": "poa_ejecucion.xlsx",
            }
        ]
    )
    text = downloads.downloads_markdown(files, "descargas")
    assert "{download}`CSV <descargas/poa_ejecucion.csv>`" in text
    assert "{download}`XLSX <descargas/poa_ejecucion.xlsx>`" in text
    assert "{download}`XLSX <descargas/todas_las_tablas.xlsx>`" in text
    assert "36 filas" in text


def test_downloads_markdown_links_the_data_package_the_build_writes_beside_the_csvs():
    files = pd.DataFrame(
        [
            {
                "tabla": "poa_ejecucion",
                "descripcion": "Datos",
                "filas": 36,
                "columnas": 3,
                "csv": "poa_ejecucion.csv",
                "xlsx": "poa_ejecucion.xlsx",
            }
        ]
    )
    text = downloads.downloads_markdown(files, "descargas")
    assert text.splitlines()[-1].endswith(
        '<a href="descargas/datapackage.json"><code>descargas/datapackage.json</code></a>'
    )


def test_edition_exports_hold_the_books_tables_unformatted(shipped):
    edition, pei, linkage = shipped
    tables = downloads.edition_exports(edition, pei, linkage)
    assert list(tables) == list(downloads.EXPORTS)
    assert len(tables["poa_ejecucion"]) == 36
    assert tables["avance_por_producto"]["programado"].dtype.kind == "i"
    assert len(tables["vinculos_poa_pei"]) == len(linkage)
    assert len(tables["pei_metas"]) == len(pei.metas)


def test_a_download_leaves_an_infinite_percentage_empty_and_writes_yes_no_as_si_no(tmp_path):
    table = pd.DataFrame(
        {
            "producto": [1, 2, 3],
            "pct_proyectado": [float("inf"), 50.0, float("-inf")],
            "estado_incierto": [True, False, True],
            "dentro_del_intervalo": pd.Series([True, None, False], dtype=object),
        }
    )
    downloads.export_tables({"proyeccion_y_semaforo": table}, tmp_path)
    text = (tmp_path / "proyeccion_y_semaforo.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines() == [
        "producto,pct_proyectado,estado_incierto,dentro_del_intervalo",
        "1,,sí,sí",
        "2,50.0,no,",
        "3,,sí,no",
    ]
    sheet = pd.read_excel(tmp_path / "proyeccion_y_semaforo.xlsx")
    assert sheet["estado_incierto"].tolist() == ["sí", "no", "sí"]
    assert sheet["pct_proyectado"].isna().tolist() == [True, False, True]


def test_the_column_dictionary_uses_the_words_the_downloads_write():
    yes_no = [c for c, text in downloads.COLUMN_MEANINGS.items() if "«sí»" in text]
    assert {"estado_incierto", "tiene_indicador", "dentro_del_intervalo"} <= set(yes_no)
    assert not [c for c, text in downloads.COLUMN_MEANINGS.items() if "Verdadero" in text or "True" in text]
    assert "«sin datos»" in downloads.DICTIONARY_NOTE and "«sí»" in downloads.DICTIONARY_NOTE
