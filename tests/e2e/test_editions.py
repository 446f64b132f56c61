"""Editions end to end: a new cuatrimestre in one command, an archive that keeps every edition.

Uses tests/fixtures/poa_2024_c2_prueba.txt: DATOS DE PRUEBA, NOT IGSS figures (see
tests/fixtures/generar.py); it is imported only into a temporary copy of data/ and the editions
are built into a temporary site, never into the repository's site/.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pei_analysis import files, load_poa
from pei_analysis.cli import main
from pei_analysis.errors import DataError
from pei_analysis.ingest.importer import import_file
from pei_analysis.model import revisions
from pei_analysis.paths import DATA_DIR
from pei_analysis.publish.archive import build_edition
from pei_analysis.publish.site_index import list_editions
from tests.conftest import snapshot

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """data/ copy and site after: edition 2024-c1 built, then c2 imported and the latest edition built."""
    root = tmp_path_factory.mktemp("ediciones")
    data, site = root / "data", root / "site"
    shutil.copytree(DATA_DIR, data)
    first = build_edition(2024, 1, site_dir=site, data_dir=data, log=lambda _: None)
    c1_files = snapshot(site / "2024-c1")
    import_file(
        FIXTURES / "poa_2024_c2_prueba.txt", anio=2024, cuatrimestre=2, cifras="periodo", data_dir=data
    )
    second = build_edition(site_dir=site, data_dir=data, log=lambda _: None)
    return {"data": data, "site": site, "first": first, "second": second, "c1_files": c1_files}


def test_the_latest_edition_is_built_by_default_after_an_import(archive):
    assert archive["first"].built and archive["second"].built
    assert (archive["second"].anio, archive["second"].cuatrimestre) == (2024, 2)
    assert (archive["site"] / "2024-c2" / "resumen.html").exists()


def test_the_archive_lists_both_editions_newest_first_and_latest_opens_the_newest(archive):
    assert [e["edicion"] for e in list_editions(archive["site"])] == ["2024-c2", "2024-c1"]
    index = (archive["site"] / "index.html").read_text(encoding="utf-8")
    assert index.index("2024-c2/index.html") < index.index("2024-c1/index.html")
    assert "datos al 31 de agosto de 2024" in index and "datos al 30 de abril de 2024" in index
    assert "url=../2024-c2/index.html" in (archive["site"] / "latest" / "index.html").read_text(
        encoding="utf-8"
    )


def test_the_first_edition_stays_byte_identical_when_the_second_is_published(archive):
    assert snapshot(archive["site"] / "2024-c1") == archive["c1_files"]


def test_each_edition_shows_its_fingerprint_and_build_date_in_the_footer(archive):
    record = list_editions(archive["site"])[0]
    page = (archive["site"] / "2024-c2" / "resumen.html").read_text(encoding="utf-8")
    assert record["huella"][:12] in page and "construida el" in page


def test_every_page_of_an_edition_links_back_to_the_list_of_editions_and_its_entry_page_has_a_title(archive):
    edition = archive["site"] / "2024-c2"
    pages = [p for p in edition.glob("*.html") if p.name != "index.html"]
    assert len(pages) >= 7
    for page in pages:
        assert '<a class="todas-ediciones" href="../index.html">' in page.read_text(encoding="utf-8"), (
            page.name
        )
    entry = (edition / "index.html").read_text(encoding="utf-8")
    assert '<html lang="es">' in entry and "<title>" in entry and '<a href="resumen.html">' in entry
    assert (archive["site"] / "favicon.svg").exists()


def test_a_rerun_with_the_same_inputs_rebuilds_nothing_and_says_so(archive, capsys):
    before = snapshot(archive["site"])
    code = main(["--datos", str(archive["data"]), "edicion", "--sitio", str(archive["site"])])
    assert code == 0
    assert "ya está al día" in capsys.readouterr().out
    assert snapshot(archive["site"]) == before


def test_the_second_edition_says_what_changed_since_the_first(archive):
    changes = revisions.changes_since_previous(load_poa(archive["data"]), 2024, 2)
    changed = int(changes["cambio_estado"].sum())
    page = (archive["site"] / "2024-c2" / "cambios.html").read_text(encoding="utf-8")
    assert f"{changed} de 36 productos cambiaron de estado" in page
    # named as everywhere else (the catalogue's short name), and read as cards on a phone
    assert ">Raciones servidas<" in page and ">Alimentos preparados y servidos" not in page  # (full: tooltip)
    status_table = page[page.index('id="productos-que-cambiaron-de-estado"') :].split("</table>")[0]
    assert "tabla-apilada" in status_table
    revised = page[page.index('id="proyecciones-revisadas"') :].split("</table>")[0]
    assert "tabla-apilada" in revised and revised.count("<tr") == 37  # every product, in cards on a phone
    assert "no se proyecta" in revised and "sin datos" not in revised  # product 19: nothing to project yet
    first = (archive["site"] / "2024-c1" / "cambios.html").read_text(encoding="utf-8")
    assert "primera edición de 2024" in first


def test_a_corrupted_third_cuatrimestre_is_refused_and_data_and_site_stay_unchanged(archive, capsys):
    data_before, site_before = snapshot(archive["data"]), snapshot(archive["site"])
    with pytest.raises(DataError, match=r"línea 12.*subtotal"):
        import_file(
            FIXTURES / "poa_2024_c3_corrupto.txt",
            anio=2024,
            cuatrimestre=3,
            cifras="periodo",
            data_dir=archive["data"],
        )
    assert (
        main(
            [
                "--datos",
                str(archive["data"]),
                "edicion",
                "--sitio",
                str(archive["site"]),
                "--anio",
                "2024",
                "--cuatrimestre",
                "3",
            ]
        )
        == 2
    )
    assert "no hay datos de 2024, cuatrimestre 3" in capsys.readouterr().err
    assert snapshot(archive["data"]) == data_before
    assert snapshot(archive["site"]) == site_before


def test_a_published_edition_is_readable_by_a_web_server_running_as_another_user(archive):
    umask = files.current_umask()
    edition = archive["site"] / "2024-c2"
    for path in [edition, *edition.rglob("*")]:
        assert path.stat().st_mode & 0o777 == (0o777 if path.is_dir() else 0o666) & ~umask, path


def test_an_earlier_edition_rebuilt_after_a_later_import_sees_only_its_own_period(archive):
    """Issue #18: 2024-c1 rebuilt after c2 was imported listed c2's original and 72 rows, under the same
    fingerprint."""
    site, data = archive["site"], archive["data"]
    again = build_edition(2024, 1, site_dir=site, data_dir=data, log=lambda _: None)
    assert not again.built and again.fingerprint == archive["first"].fingerprint
    forced = build_edition(2024, 1, site_dir=site, data_dir=data, force=True, log=lambda _: None)
    assert forced.built and forced.fingerprint == archive["first"].fingerprint
    c2_original = next(p.name for p in (data / "raw").iterdir() if "c2" in p.name)
    for page in (site / "2024-c1").glob("*.html"):
        assert c2_original not in page.read_text(encoding="utf-8"), page.name
    methodology = (site / "2024-c1" / "metodologia.html").read_text(encoding="utf-8")
    assert "poa_ejecucion.csv: 36 filas" in methodology and "72 filas" not in methodology
    assert c2_original in (site / "2024-c2" / "metodologia.html").read_text(encoding="utf-8")
    assert [e["edicion"] for e in list_editions(site)] == ["2024-c2", "2024-c1"]
    assert not [p.name for p in site.iterdir() if p.name.startswith(".") and p.name != ".bloqueo"]
