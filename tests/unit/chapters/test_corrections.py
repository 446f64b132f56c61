"""The notice of a corrected edition: what changed, why, and a link to the version readers saw."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from pei_analysis.chapters.corrections import _periods_text, correction_notice, footer_note
from pei_analysis.model.corrections import Correction, PublishedVersion

PRODUCTS = pd.DataFrame(
    {
        "producto": [6, 7],
        "clave": ["11-03-MAT-1", "11-03-MAT-2"],
        "descripcion": ["Egresos hospitalarios de obstetricia", "Atenciones <de> emergencia obstétrica"],
        "nombre_corto": ["Hospitalización obstétrica", ""],
    }
)
NO_PROJECTIONS = pd.DataFrame(
    columns=[
        "clave",
        "producto",
        "proyeccion_antes",
        "proyeccion_ahora",
        "estado_antes",
        "estado_ahora",
        "cambio_pct",
    ]
)


def dataset(figures=None, projections=None, **previous) -> SimpleNamespace:
    version = PublishedVersion(
        carpeta="2024-c1_version_2026-11-30", construida="2026-11-30", huella="b" * 64, **previous
    )
    correction = Correction(
        version,
        figures if figures is not None else pd.DataFrame(columns=["clave"]),
        projections if projections is not None else NO_PROJECTIONS,
    )
    return SimpleNamespace(correction=correction, table=PRODUCTS)


def figure(clave="11-03-MAT-1", producto=6, antes=12285, ahora=13514) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "anio": 2024,
                "cuatrimestre": 1,
                "clave": clave,
                "producto": producto,
                "campo": "ejecutado",
                "antes": antes,
                "ahora": ahora,
            }
        ]
    )


def test_an_edition_never_published_before_or_with_the_same_figures_has_no_notice():
    assert correction_notice(SimpleNamespace(correction=None, table=PRODUCTS)) is None
    assert correction_notice(dataset()) is None


def test_the_notice_names_the_figure_both_values_the_reason_and_links_to_the_kept_version():
    text = str(correction_notice(dataset(figure(), cambios=("datos",), periodos_reemplazados=((2024, 1),))))
    assert "Esta edición cambió desde que se publicó." in text
    assert (
        "Se volvió a construir porque cambiaron los datos: se reemplazó el reporte de enero-abril de 2024."
        in text
    )
    assert "Respecto de la versión construida el 30 de noviembre de 2026, cambiaron:" in text
    assert (
        "Las cifras reportadas de 1 producto: Producto 6 · Hospitalización obstétrica, ejecutado de "
        "enero-abril de 2024: de 12,285 a 13,514." in text
    )
    link = '<a href="../2024-c1_version_2026-11-30/index.html">la versión del 30 de noviembre de 2026</a>'
    assert link in text


def test_a_semaforo_change_is_told_in_words_and_a_description_from_the_report_is_escaped():
    changes = pd.DataFrame(
        [
            {
                "clave": "11-03-MAT-2",
                "producto": 7,
                "proyeccion_antes": 10.0,
                "proyeccion_ahora": 20.0,
                "estado_antes": "en riesgo",
                "estado_ahora": "satisfactorio",
                "cambio_pct": 100.0,
            }
        ]
    )
    text = str(correction_notice(dataset(projections=changes, cambios=("codigo", "parametros"))))
    assert "Se volvió a construir porque cambiaron el código y los parámetros." in text
    assert (
        "La proyección al cierre o su intervalo de 1 producto; la que más se movió: Producto 7 · Atenciones "
        "&lt;de&gt; emergencia obstétrica, de 10 a 20 (+100.0%)." in text
    )
    assert "Producto 7 · Atenciones &lt;de&gt; emergencia obstétrica, de en riesgo a satisfactorio." in text
    assert "<de>" not in text


def test_past_reports_added_are_told_by_year_with_the_months_of_a_partial_year():
    assert (
        _periods_text([(2020, None), (2021, 1), (2021, 2), (2021, 3), (2022, 1), (2022, 2)])
        == "2020 (total anual), 2021 y enero-abril y mayo-agosto de 2022"
    )
    text = str(correction_notice(dataset(figure(), cambios=("datos",), periodos_agregados=((2023, 3),))))
    assert "cambiaron los datos: se agregaron los reportes de septiembre-diciembre de 2023." in text


def test_a_long_list_names_five_figures_and_counts_the_rest():
    many = pd.concat([figure(antes=i, ahora=i + 1) for i in range(8)], ignore_index=True)
    text = str(correction_notice(dataset(many)))
    assert text.count("de enero-abril de 2024: de ") == 5
    assert "; y 3 cifras más." in text


def test_every_page_of_a_corrected_edition_says_so_in_its_footer_and_links_to_the_notice():
    assert footer_note(SimpleNamespace(correction=None, table=PRODUCTS)) == ""
    assert footer_note(dataset()) == ""
    assert footer_note(dataset(figure())) == (
        ' · <a class="edicion-corregida" href="resumen.html">cifras cambiadas desde la versión del 30 de '
        "noviembre de 2026</a>"
    )


def test_products_added_and_removed_are_named_and_one_without_a_name_by_its_key():
    version = PublishedVersion(carpeta="v", construida="2026-11-30", huella="b" * 64)
    correction = Correction(
        version,
        pd.DataFrame(columns=["clave"]),
        NO_PROJECTIONS,
        added=("11-03-MAT-2",),
        removed=("12-01-X-1",),
    )
    text = str(correction_notice(SimpleNamespace(correction=correction, table=PRODUCTS)))
    assert "Se agregó 1 producto: Producto 7 · Atenciones &lt;de&gt; emergencia obstétrica." in text
    assert "Se retiró 1 producto: 12-01-X-1." in text


def test_the_projections_that_moved_most_are_named_largest_first_and_three_at_most():
    moved = pd.DataFrame(
        {
            "clave": ["A", "B", "C", "D", "E"],
            "producto": [1, 2, 3, 4, 5],
            "proyeccion_antes": [100.0, 100.0, 100.0, 100.0, float("nan")],
            "proyeccion_ahora": [101.0, 80.0, 130.0, 95.0, 50.0],
            "estado_antes": "satisfactorio",
            "estado_ahora": "satisfactorio",
            "cambio_pct": [1.0, -20.0, 30.0, -5.0, float("nan")],
        }
    )
    text = str(correction_notice(dataset(projections=moved)))
    assert (
        "La proyección al cierre o su intervalo de 5 productos; las que más se movieron: C, de 100 a 130 "
        "(+30.0%); B, de 100 a 80 (-20.0%); D, de 100 a 95 (-5.0%)." in text
    )
