"""An edition built from a report imported as a PDF (DATOS DE PRUEBA: the second-cuatrimestre test
extract, drawn as a PDF by evaluation/report_pdf.py), read as a reader would on a phone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from evaluation.report_pdf import extract_to_pdf
from pei_analysis.ingest.importer import import_files
from pei_analysis.paths import DATA_DIR
from pei_analysis.publish.book import build_book_report
from tests.conftest import FIXTURES
from tests.e2e.test_book_build import read_page
from tests.e2e.test_browser import CHROMIUM, CHROMIUM_ARGS, PHONE, _served


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("pdf")
    shutil.copytree(DATA_DIR, folder / "data")
    report = folder / "poa_2024_c2.pdf"
    report.write_bytes(extract_to_pdf((FIXTURES / "poa_2024_c2_prueba.txt").read_text(encoding="utf-8")))
    import_files([report], cifras="periodo", data_dir=folder / "data")
    built = build_book_report(
        2024, 2, folder / "sitio" / "2024-c2", data_dir=folder / "data", log=lambda _: None
    )
    return built.output_dir


def test_the_methodology_lists_the_pdf_original_by_its_pages(site):
    text, _, _ = read_page(site / "metodologia.html")
    assert "poa_2024_c2_sicoin_ejecucion_fisica.pdf" in text and "4 páginas" in text


def test_on_a_375px_phone_no_page_of_an_edition_from_a_pdf_scrolls_sideways(site):
    """The check line of each original names it: «poa_2024_c2_sicoin_ejecucion_fisica.pdf:» is one word
    wider than a phone's column of text."""
    skipped = ("index.html", "genindex.html", "search.html")  # the first only sends the reader on
    pages = sorted(p.name for p in site.glob("*.html") if p.name not in skipped)
    with _served(site.parent) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=PHONE, locale="es-GT")
        wide = {}
        for name in pages:
            page.goto(f"{url}/{site.name}/{name}", wait_until="load")
            extra = "document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth"
            wide[name] = page.evaluate(extra)
        browser.close()
    assert len(pages) >= 10 and all(extra <= 0 for extra in wide.values()), wide
