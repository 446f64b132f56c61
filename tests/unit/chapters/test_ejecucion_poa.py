"""The execution chapter's words and its sections, one per program of the data
(pei_analysis.chapters.ejecucion_poa)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from pei_analysis.chapters import ejecucion_poa, proyeccion
from pei_analysis.chapters.display import HtmlTable
from pei_analysis.chapters.sections import FigureBlock
from pei_analysis.errors import DataError
from pei_analysis.model import edition as report


def test_one_section_per_program_in_the_data_with_heading_figure_and_anchored_table(shipped):
    sections = ejecucion_poa.program_sections(shipped)
    assert [s.heading for s in sections] == [
        "## Programa 11",
        "## Programa 12",
        "## Programa 15",
        "## Programa 94",
    ]
    for section in sections:
        programa = section.heading.split()[-1]
        figure, table = section.blocks
        assert isinstance(figure, FigureBlock) and isinstance(table, HtmlTable)
        assert figure.name == f"fig-avance-{programa}"
        assert figure.caption == (
            f"Programa {programa}: avance acumulado de cada producto (% de lo programado) "
            "frente a la parte del año transcurrida (línea discontinua)."
        )
        assert f"una por producto del programa {programa}," in figure.alt and len(figure.alt) > 40
        source = (
            "Fuente: SICOIN, Reporte Analítico de Ejecución Física, enero-abril 2024; "
            "cálculos de esta publicación."
        )
        assert figure.source == source
        assert figure.mystnb("descargas") == {
            "figure": {
                "caption": f"{figure.caption}\n\n{source} [datos de este gráfico (CSV)]"
                f"(descargas/grafico_avance_{programa}.csv)",
                "name": figure.name,
            },
            "image": {"alt": figure.alt, "classes": "grafico-ancho"},
        }
        assert figure.phone_mystnb() == {"image": {"alt": figure.alt, "classes": "grafico-telefono"}}
        assert figure.data["producto"].tolist() == sorted(
            shipped.table.loc[shipped.table["programa"] == programa, "producto"]
        )
        products = shipped.table.loc[shipped.table["programa"] == programa, "producto"]
        assert all(f'id="producto-{p}"' in table.html for p in products)
        assert f"<caption>Programa {programa}, " in table.html


def test_a_fifth_program_in_the_data_gets_a_fifth_section(shipped):
    poa = shipped.poa
    extra = poa[poa["producto"] == 36].assign(
        programa="99",
        programa_nombre="PROGRAMA NUEVO DE PRUEBA",
        producto=37,
        clave="99-01-SN-1",
        descripcion="Producto nuevo de prueba",
    )
    edition = report.edition_from_poa(pd.concat([poa, extra], ignore_index=True), 2024, 1)
    sections = ejecucion_poa.program_sections(edition)
    assert [s.heading for s in sections][-1] == "## Programa 99"
    assert len(sections) == 5
    figure, table = sections[-1].blocks
    assert figure.name == "fig-avance-99" and 'id="producto-37"' in table.html
    assert "Programa 99, PROGRAMA NUEVO DE PRUEBA: 1 producto; unidad: producción." in table.html


def test_program_caption_names_the_program_its_products_and_the_reports_unit_only_without_the_catalogues(
    shipped,
):
    assert (
        ejecucion_poa.program_caption(shipped.table, "12")
        == "Programa 12, PRESTACIONES PECUNIARIAS: 11 productos."
    )
    without = shipped.table.assign(unidad_medida="")
    assert ejecucion_poa.program_caption(without, "12") == (
        "Programa 12, PRESTACIONES PECUNIARIAS: 11 productos; unidad: pagos."
    )


def test_each_program_table_writes_the_catalogues_unit_under_each_products_name(shipped):
    """The report's «unidad» says «producción» for consultas, egresos and raciones alike."""
    for chapter in (ejecucion_poa, proyeccion):
        table = chapter.program_sections(shipped)[0].blocks[-1].html
        row = re.search(r'<tr id="[a-z]+-4">(.*?)</tr>', table, re.S).group(1)
        assert '<span class="unidad">unidad: consultas</span></span></td>' in row, chapter.__name__
        assert row.count("unidad:") == 1
    with pytest.raises(DataError, match="no hay productos del programa 13"):
        ejecucion_poa.program_caption(shipped.table, "13")


def test_execution_overview_counts_products_ahead_and_behind_the_even_pace(shipped):
    text = ejecucion_poa.execution_overview(shipped)
    behind = int((shipped.table["brecha_pp"] < 0).sum())
    assert "Datos al **30 de abril de 2024**" in text and "(4 de 12 meses)" in text
    assert f"**{36 - behind} van al ritmo o por encima** y **{behind} por debajo**" in text
