"""«Cómo citar esta edición»: a citation generated from the edition's period, build and fingerprint."""

from __future__ import annotations

import datetime as dt
import tomllib

from pei_analysis.chapters import citar
from pei_analysis.chapters.citar import EditionStamp
from pei_analysis.paths import REPO_DIR

STAMP = EditionStamp(2024, 1, dt.date(2024, 5, 15), "0.1.0", "0123456789abcdef" * 4)


def test_the_citation_names_the_edition_the_date_of_its_data_the_build_the_version_and_the_fingerprint():
    assert citar.citation_text(STAMP) == (
        "IGSS — Seguimiento del PEI y del POA, edición 2024-c1: enero-abril de 2024 (datos al 30 de abril "
        "de 2024). Construida el 15 de mayo de 2024; versión del programa pei-analysis 0.1.0; "
        "huella 0123456789ab. En el sitio de ediciones: 2024-c1/index.html. Licencia CC BY 4.0."
    )


def test_a_preview_without_fingerprint_is_cited_without_one():
    text = citar.citation_text(EditionStamp(2024, 3, dt.date(2025, 1, 20), "0.1.0"))
    assert "edición 2024-c3" in text and "datos al 31 de diciembre de 2024" in text and "huella" not in text


def test_the_page_block_lists_the_full_fingerprint_and_links_the_data_package_beside_the_pages():
    block = citar.citation_markdown(STAMP)
    assert STAMP.huella in block
    assert '<a href="descargas/datapackage.json">' in block
    assert block.startswith('<blockquote class="cita-edicion">')


def test_text_from_outside_reaches_the_page_escaped():
    block = citar.citation_markdown(EditionStamp(2024, 1, dt.date(2024, 5, 15), "<b>1</b>", "<x>"))
    assert "<b>" not in block and "&lt;b&gt;1&lt;/b&gt;" in block


def test_the_shipped_page_has_the_marker_the_build_fills():
    page = (REPO_DIR / "book" / "citar.md").read_text(encoding="utf-8")
    assert page.count(citar.MARKER) == 1
    filled = citar.fill_page(page, STAMP)
    assert citar.MARKER not in filled and citar.citation_text(STAMP) in filled


def test_the_program_version_is_the_one_pyproject_declares():
    project = tomllib.loads((REPO_DIR / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert citar.program_version() == project["version"]
