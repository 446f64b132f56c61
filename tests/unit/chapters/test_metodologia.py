"""The methodology chapter's list of checks (pei_analysis.chapters.metodologia)."""

from __future__ import annotations

from pei_analysis.chapters import metodologia
from pei_analysis.model.projection import INTERVALO_OTRAS_SERIES, PERFIL


def test_checks_are_a_list_of_ticks_with_the_text_escaped():
    text = metodologia.checks_markdown(["poa: 36 filas", "<b>raro</b> *x*"])
    assert text.splitlines()[0] == "- ✔ poa: 36 filas".replace(":", "\\:")
    assert "<b>" not in text and "\\*x\\*" in text


def test_the_shipped_datasets_checks_are_each_one_line(shipped):
    text = metodologia.checks_markdown(shipped.checks)
    assert len(text.splitlines()) == len(shipped.checks) == 7


def test_without_any_past_year_the_basis_says_every_projection_rests_on_public_reference_series(shipped):
    text = metodologia.projection_basis(shipped.table)
    assert text.startswith(
        "En esta edición ningún producto tiene años anteriores en los datos: las 36 proyecciones"
    )
    assert "series públicas de referencia, no en la experiencia del IGSS" in text
    assert "{doc}`metodo_proyeccion`" in text


def test_with_mixed_bases_the_sentence_counts_each_one(shipped):
    table = shipped.table.copy()
    table.loc[table.index[:5], "metodo"] = PERFIL
    table.loc[table.index[5:8], "intervalo"] = INTERVALO_OTRAS_SERIES
    assert metodologia.projection_basis(table) == (
        "En esta edición se proyectan 5 productos con sus propios años anteriores, 3 productos con la parte "
        "del año típica de otros productos y 28 productos con series públicas de referencia (de 36)."
    )
