"""An edition rebuilt with other figures: it says so at the top, and the version readers saw stays published.

The corrected report is the shipped 2024-c1 extract with product 6's production times 1.10
(tests/fixtures/generar.py::corrected_first: DATOS DE PRUEBA, NOT IGSS figures), imported with
``--reemplazar`` into a temporary copy of data/; the editions are built into a temporary site.
"""

from __future__ import annotations

import re
import shutil

import pytest

from pei_analysis.ingest.importer import import_file
from pei_analysis.paths import DATA_DIR
from pei_analysis.publish.archive import build_edition
from pei_analysis.publish.site_index import list_editions
from tests.conftest import snapshot
from tests.fixtures.generar import corrected_first

VERSION = re.compile(r"2024-c1_version_\d{4}-\d{2}-\d{2}")


@pytest.fixture(scope="module")
def corrected(tmp_path_factory):
    """A site with 2024-c1 built, then rebuilt after the report was replaced, then forced again."""
    root = tmp_path_factory.mktemp("correcciones")
    data, site = root / "data", root / "site"
    shutil.copytree(DATA_DIR, data)
    build_edition(2024, 1, site_dir=site, data_dir=data, log=lambda _: None)
    first = snapshot(site / "2024-c1")
    report = root / "poa_2024_c1_corregido.txt"
    report.write_text(corrected_first(6, 1.10), encoding="utf-8")
    import_file(report, anio=2024, cuatrimestre=1, cifras="periodo", replace=True, data_dir=data)
    second = build_edition(site_dir=site, data_dir=data, log=lambda _: None)
    summary = (site / "2024-c1" / "resumen.html").read_text(encoding="utf-8")
    folders = sorted(p.name for p in site.iterdir() if p.is_dir())
    third = build_edition(2024, 1, site_dir=site, data_dir=data, force=True, log=lambda _: None)
    return {
        "site": site,
        "first": first,
        "second": second,
        "summary": summary,
        "folders": folders,
        "third": third,
    }


def test_the_version_readers_saw_stays_published_byte_for_byte_beside_the_corrected_edition(corrected):
    assert corrected["second"].built
    kept = [name for name in corrected["folders"] if VERSION.fullmatch(name)]
    assert len(kept) == 1
    assert snapshot(corrected["site"] / kept[0]) == corrected["first"]
    assert [e["edicion"] for e in list_editions(corrected["site"])] == ["2024-c1"]
    site = corrected["site"]
    assert corrected["second"].notices == (
        f"La versión anterior de 2024-c1 quedó en {site / kept[0]}/ (confírmela en git junto con {site}/).",
    )
    assert corrected["third"].notices == ()  # the same figures again: nothing kept, nothing to commit


def test_the_corrected_summary_says_what_changed_before_any_figure_and_links_to_that_version(corrected):
    summary = corrected["summary"]
    notice = summary[summary.index('class="aviso-correccion"') :]
    assert summary.index('class="aviso-correccion"') < summary.index('id="por-debajo-de-su-meta"')
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", notice[: notice.index("</div>")]))
    assert "se reemplazó el reporte de enero-abril de 2024" in text
    product = "Producto 6 · Hospitalización obstétrica"
    assert f"{product}, ejecutado de enero-abril de 2024: de 12,285 a 13,514" in text
    assert f"El semáforo de 1 producto: {product}, de en riesgo a satisfactorio" in text
    link = re.search(r'href="\.\./(2024-c1_version_[^"/]+)/index\.html"', notice)
    assert link and (corrected["site"] / link[1] / "resumen.html").exists()


def test_every_page_of_the_corrected_edition_points_to_the_notice_from_its_footer(corrected):
    for page in ("resumen.html", "proyeccion.html", "datos.html"):
        html = (corrected["site"] / "2024-c1" / page).read_text(encoding="utf-8")
        assert 'class="edicion-corregida" href="resumen.html">cifras cambiadas desde la versión del' in html


def test_the_list_of_editions_links_to_the_kept_version_under_its_edition(corrected):
    index = (corrected["site"] / "index.html").read_text(encoding="utf-8")
    kept = r'Versión anterior, con otras cifras: <a href="2024-c1_version_[^"]+/index\.html">'
    assert re.search(kept, index)


def test_a_rebuild_with_the_same_figures_keeps_no_new_version_and_still_shows_the_correction(corrected):
    site = corrected["site"]
    assert corrected["third"].built
    assert sorted(p.name for p in site.iterdir() if p.is_dir()) == corrected["folders"]
    assert "Esta edición cambió desde que se publicó." in (site / "2024-c1" / "resumen.html").read_text(
        encoding="utf-8"
    )
