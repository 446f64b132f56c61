"""The executive summary's words (pei_analysis.chapters.resumen)."""

from __future__ import annotations

from pei_analysis.chapters import display as presentation
from pei_analysis.chapters import resumen
from pei_analysis.model import edition as report


def test_executive_summary_of_the_shipped_data_states_the_date_and_counts_that_add_up(shipped):
    edition = shipped
    text = resumen.executive_summary(edition)
    assert "**Datos al 30 de abril de 2024**" in text
    assert "36 productos en 4 programas" in text
    assert "33.3%" in text and "33.33%" not in text
    counts = report.status_counts(edition.table).set_index("estado")["productos"]
    for estado in report.SCORED_STATES:
        assert f"{counts[estado]} {presentation.STATUS_STYLE[estado]['simbolo']} {estado}" in text
    behind = int((edition.table["brecha_pp"] < 0).sum())
    assert f"{36 - behind} productos van al ritmo esperado o por encima; {behind} van por debajo" in text


def test_the_summary_names_the_three_largest_gaps_of_the_dataset(shipped):
    text = resumen.executive_summary(shipped)
    for producto in shipped.gaps["producto"].head(3):
        assert f"producto {int(producto)}, «" in text


def test_the_summarys_semaforo_figure_carries_caption_alt_text_counts_and_source(shipped):
    block = resumen.status_figure(shipped)
    assert block.name == "fig-resumen-semaforo" and block.csv_name == "grafico_resumen_semaforo.csv"
    assert block.caption.startswith("Productos del POA por estado del semáforo") and len(block.alt) > 40
    counts = report.status_counts(shipped.table)
    assert block.data["productos"].sum() == counts["productos"].sum() == len(shipped.table)
    assert block.source.startswith("Fuente: SICOIN, Reporte Analítico de Ejecución Física, enero-abril 2024")
