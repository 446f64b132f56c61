"""The book built from a data folder with SIMULATED past years (tests/fixtures/historia_simulada.py; DATOS
SIMULADOS, NO SON CIFRAS DEL IGSS), read as a reader would: the history sections, figures and downloads."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import sync_playwright

from pei_analysis.paths import DATA_DIR
from pei_analysis.publish.book import build_book_report
from tests.e2e.test_book_build import NOISE, read_page
from tests.e2e.test_browser import CHROMIUM, CHROMIUM_ARGS, PHONE, _served
from tests.fixtures.historia_simulada import add_simulated_history


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("historia")
    shutil.copytree(DATA_DIR, folder / "data")
    add_simulated_history(folder / "data", folder)
    return build_book_report(
        2024, 1, folder / "sitio" / "2024-c1", data_dir=folder / "data", log=lambda _: None
    )


@pytest.fixture(scope="module")
def site(built) -> Path:
    return built.output_dir


def test_no_notebook_writes_a_warning_while_drawing_the_history(built):
    for run in built.runs:
        assert [s for s in run.stderr if not s.startswith("Matplotlib is building the font cache")] == [], (
            run.name
        )


def test_the_execution_chapter_compares_each_product_with_the_same_cuatrimestre_of_earlier_years(site):
    text, _, source = read_page(site / "ejecucion_poa.html")
    assert 'id="frente-a-anos-anteriores"' in source
    assert "2022 (incompleto: solo los cuatrimestres 1, 2)" in text
    assert "ene-abr 2022 (año incompleto)" in text and "Cambio 2023→2024" in text
    assert "sin datos (el producto no existía)" in text


def test_the_projection_chapter_draws_each_program_against_its_history(site):
    _, images, source = read_page(site / "proyeccion.html")
    for programa in ("11", "12", "15", "94"):
        assert f'id="fig-historia-{programa}"' in source
        assert source.index(f'id="fig-proyeccion-{programa}"') < source.index(f'id="fig-historia-{programa}"')
    # eight figures, each drawn wide and for a phone
    assert len(images) == 16 and all(len(image.get("alt", "")) > 40 for image in images)


def test_each_history_figure_names_its_years_in_the_source_and_links_the_totals_it_draws(site):
    _, _, source = read_page(site / "proyeccion.html")
    for programa in (
        "11",
        "12",
    ):  # (in 94, product 36 starts later than the axis, which is the same in every panel)
        block = re.search(
            rf'<figure class="align-default" id="fig-historia-{programa}">.*?</figure>', source, re.DOTALL
        )
        link = re.search(r'href="([^"]+/grafico_historia_' + programa + r'\.csv)"', block.group(0))
        data = pd.read_csv(site / link.group(1), encoding="utf-8-sig")
        first = int(data["anio"].min())
        assert first < 2024 and data["anio"].max() == 2024
        assert f"Ejecución Física, {first} a enero-abril 2024; cálculos de esta publicación." in block.group(
            0
        )
        current = data[data["anio"] == 2024]
        assert current["proyeccion"].notna().all() and (current["tipo"] == "en_curso").all()


def test_the_projection_chapter_shows_the_profile_and_the_record_of_earlier_projections(site):
    text, _, _ = read_page(site / "proyeccion.html")
    assert "productos con perfil van por debajo de él" in text
    assert "habría errado el total del año en" in text and "Mediana del error del ritmo parejo" in text
    assert "Los datos no tienen años anteriores" not in text


def test_no_history_page_shows_code_a_traceback_or_a_missing_number(site):
    for page in ("ejecucion_poa", "proyeccion", "datos"):
        text, _, _ = read_page(site / f"{page}.html")
        for noise in NOISE:
            assert noise not in text, (page, noise)


def test_the_downloads_keep_the_projection_file_and_add_the_history_comparison(site):
    _, _, source = read_page(site / "datos.html")
    links = {Path(link).name: site / link for link in re.findall(r'href="(_downloads/[^"]+)"', source)}
    projection = pd.read_csv(links["proyeccion_y_semaforo.csv"], encoding="utf-8-sig")
    assert {"producto", "proyeccion", "limite_inferior", "limite_superior", "metodo"} <= set(
        projection.columns
    )
    comparison = pd.read_csv(links["historia_por_producto.csv"], encoding="utf-8-sig")
    assert sorted(set(comparison["anio_anterior"])) == [2021, 2022, 2023]
    assert "proyecciones_anteriores.csv" in links
    text, _, _ = read_page(site / "datos.html")
    assert "Ejecutado en el mismo cuatrimestre del año anterior" in text


#: Every table of the history sections: at 375 px the years, the gap to the profile and the coverage were
#: off screen, behind the product's fixed columns; as one card per product, every figure is in view.
HISTORY_TABLES = [
    ("ejecucion_poa.html", "frente-a-anos-anteriores"),
    ("proyeccion.html", "perfil-de-cada-producto-dentro-del-ano"),
    ("proyeccion.html", "como-le-fue-a-la-proyeccion-en-anos-anteriores"),
]


def test_on_a_375px_phone_every_figure_of_the_history_tables_is_on_screen(site):
    with _served(site.parent) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=PHONE, locale="es-GT")
        off_screen = {}
        for name, section in HISTORY_TABLES:
            page.goto(f"{url}/{site.name}/{name}", wait_until="load")
            page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
            tables = page.locator(f"section#{section} table.tabla-pei")
            assert tables.count() >= 1, (name, section)
            for i in range(tables.count()):
                off_screen[(name, section, i)] = tables.nth(i).evaluate("""t => [...t.tBodies[0].rows]
                    .flatMap(row => [...row.cells]).filter(cell => { const r = cell.getBoundingClientRect();
                        return !(r.width > 0 && r.left >= 0 && r.right <= innerWidth + 0.5); })
                    .map(cell => cell.textContent.trim()).slice(0, 5)""")
        browser.close()
    assert all(cells == [] for cells in off_screen.values()), off_screen
