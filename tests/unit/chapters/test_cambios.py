"""The comparison between editions, in words (pei_analysis.chapters.cambios)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pei_analysis import load_poa
from pei_analysis.chapters import cambios
from pei_analysis.ingest.importer import import_file
from pei_analysis.model import revisions

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


@pytest.fixture
def data_with_c2(data_copy):
    import_file(
        FIXTURES / "poa_2024_c2_prueba.txt", anio=2024, cuatrimestre=2, cifras="periodo", data_dir=data_copy
    )
    return data_copy


def test_the_first_edition_of_a_year_says_there_is_nothing_to_compare_with():
    assert "primera edición de 2024" in cambios.changes_markdown(None, 2024, 1)
    assert cambios.no_changes_text(None, 2024, 1) == "No aplica en la primera edición del año."


def test_an_empty_section_does_not_repeat_the_opening_paragraphs_reason():
    opening = cambios.changes_markdown(None, 2024, 1)
    assert cambios.no_changes_text(None, 2024, 1) not in opening
    assert "no hay una edición anterior" not in cambios.no_changes_text(None, 2024, 1)


def test_a_missing_previous_edition_is_named_in_an_empty_section():
    assert cambios.no_changes_text(None, 2024, 3) == "Sin datos de la edición 2024-c2."


def test_the_changes_paragraph_counts_the_products_that_changed_status(data_with_c2):
    changes = revisions.changes_since_previous(load_poa(data_with_c2), 2024, 2)
    text = cambios.changes_markdown(changes, 2024, 2)
    assert f"{int(changes['cambio_estado'].sum())} de 36 productos cambiaron de estado" in text
    assert "Respecto de la edición 2024-c1" in text


def test_the_track_record_paragraph_waits_for_the_year_then_gives_each_editions_error(data_with_c2):
    waiting = cambios.track_record_markdown(None, 2024, 2)
    assert "llegan al 31 de agosto de 2024" in waiting and "datos al 31 de diciembre de 2024" in waiting
    poa = load_poa(data_with_c2)
    full = pd.concat([poa, poa[poa["cuatrimestre"] == 2].assign(cuatrimestre=3)], ignore_index=True)
    text = cambios.track_record_markdown(revisions.track_record(full, 2024), 2024, 3)
    assert text.startswith("Con el año 2024 completo") and "la edición 2024-c1 erró en" in text


def test_the_waiting_track_record_sentence_states_the_datas_cut_off_not_the_clocks_present():
    text = cambios.track_record_markdown(None, 2024, 1)
    assert "aún no termina" not in text and "todavía" not in text
    assert "30 de abril de 2024" in text


def test_a_product_neither_edition_projected_reads_so_in_the_revised_projections_not_sin_datos(data_with_c2):
    """Product 19 has nothing executed and no earlier year in either edition: no projection to revise."""
    from pei_analysis.chapters.display import html_table

    changes = revisions.changes_since_previous(load_poa(data_with_c2), 2024, 2)
    row = changes[changes["producto"] == 19]
    assert row[["proyeccion_anterior", "proyeccion", "revision_pct"]].isna().all(axis=None)
    html = str(html_table(row, cambios.REVISION_COLUMNS, stacked=True))
    assert html.count(">no se proyecta<") == 2 and ">no se compara<" in html and "sin datos" not in html
    assert "tabla-apilada" in html  # seven columns: cards on a phone
