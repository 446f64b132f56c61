"""Edition fingerprints and the archive index (pei_analysis.publish.archive); no book is built here."""

from __future__ import annotations

import json
import shutil

import pytest

from pei_analysis.paths import DATA_DIR, REPO_DIR
from pei_analysis.publish import archive
from pei_analysis.publish.archive import choose_edition, fingerprint
from pei_analysis.publish.site_index import list_editions, write_index
from pei_analysis.publish.snapshot import CATALOGUE_FILES, DATA_FILES, take_snapshot

LOCALE = "book/_locales/es/LC_MESSAGES/sphinx.po"


@pytest.fixture
def repo_copy(tmp_path):
    """The files the fingerprint reads as code, copied into a throw-away repository a test may edit."""
    for path in archive.code_files():
        target = tmp_path / path.relative_to(REPO_DIR)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    return tmp_path


def snapshot_of(data, anio, cuatrimestre, dest):
    take_snapshot(data, dest, "prueba", lambda poa: choose_edition(poa, anio, cuatrimestre))
    return dest


def test_an_editions_fingerprint_ignores_data_of_later_periods(data_copy, tmp_path):
    before = fingerprint({}, snapshot_of(data_copy, 2024, 1, tmp_path / "antes"))
    from tests.conftest import FIXTURES, import_file

    import_file(
        FIXTURES / "poa_2024_c2_prueba.txt", anio=2024, cuatrimestre=2, cifras="periodo", data_dir=data_copy
    )
    after = fingerprint({}, snapshot_of(data_copy, 2024, 1, tmp_path / "despues"))
    assert after["huella"] == before["huella"]
    assert sorted(after["datos"]) == [
        "catalogo/correspondencias.csv",
        "catalogo/correspondencias.schema.yaml",
        "catalogo/productos.csv",
        "catalogo/productos.schema.yaml",
        "catalogo/productos_por_anio.csv",
        "catalogo/productos_por_anio.schema.yaml",
        "pei/observaciones_indicadores.csv",
        "pei/observaciones_indicadores.schema.yaml",
        "pei/pei_2018_2022.schema.yaml",
        "pei/pei_2018_2022.yaml",
        "poa/poa_ejecucion.csv",
        "poa/poa_ejecucion.schema.yaml",
        "raw/pei_2018_2022_texto.txt",
        "raw/poa_2024_c1_sicoin_ejecucion_fisica.txt",
        "vinculos/poa_pei.csv",
        "vinculos/poa_pei.schema.yaml",
    ]


def test_an_editions_fingerprint_changes_with_its_parameters_and_its_data(data_with_c2, tmp_path):
    c1 = snapshot_of(data_with_c2, 2024, 1, tmp_path / "c1")
    base = fingerprint({"nivel": 0.8}, c1)
    assert fingerprint({"nivel": 0.9}, c1)["huella"] != base["huella"]
    assert (
        fingerprint({"nivel": 0.8}, snapshot_of(data_with_c2, 2024, 2, tmp_path / "c2"))["datos"]
        != base["datos"]
    )


def test_the_fingerprint_records_python_and_every_package_the_book_needs():
    versions = archive.package_versions()
    assert {"python", "pandas", "sphinx", "jinja2", "myst-parser", "nbclient", "ipykernel"} <= set(versions)


def test_a_new_lock_file_changes_the_fingerprint_through_its_own_part(repo_copy, tmp_path):
    """Two machines with the same code and data but different locks may not install the same packages."""
    data = tmp_path / "datos"
    data.mkdir()
    shutil.copyfile(REPO_DIR / archive.LOCK_FILE, repo_copy / archive.LOCK_FILE)
    before = fingerprint({}, data, repo_copy)
    with (repo_copy / archive.LOCK_FILE).open("a", encoding="utf-8") as handle:
        handle.write("# otra versión de un paquete\n")
    after = fingerprint({}, data, repo_copy)
    assert after["huella"] != before["huella"]
    assert [key for key in after if after[key] != before[key]] == ["candado", "huella"]
    assert archive.lock_hash(REPO_DIR) is not None


def test_the_index_lists_editions_newest_first_and_escapes_nothing_it_should_not(tmp_path):
    for anio, c in ((2024, 1), (2024, 2), (2023, 3)):
        folder = tmp_path / f"{anio}-c{c}"
        folder.mkdir()
        record = {
            "edicion": folder.name,
            "anio": anio,
            "cuatrimestre": c,
            "huella": "ab" * 32,
            "datos_al": "2024-04-30",
            "construida": "2024-05-15",
        }
        (folder / "edicion.json").write_text(json.dumps(record), encoding="utf-8")
    write_index(tmp_path)
    assert [e["edicion"] for e in list_editions(tmp_path)] == ["2024-c2", "2024-c1", "2023-c3"]
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert page.index("2024-c2/") < page.index("2024-c1/") < page.index("2023-c3/")
    assert 'lang="es"' in page and "http" not in page
    assert "2024-c2/index.html" in (tmp_path / "latest" / "index.html").read_text(encoding="utf-8")


def test_the_list_of_editions_names_its_icon_and_the_icon_is_written_beside_it(tmp_path):
    write_index(tmp_path)
    assert '<link rel="icon" href="favicon.svg"' in (tmp_path / "index.html").read_text(encoding="utf-8")
    assert (tmp_path / "favicon.svg").read_text(encoding="utf-8").startswith("<svg")


def test_a_change_to_a_translation_of_the_theme_changes_the_fingerprint(repo_copy):
    before = archive.code_hash(repo_copy)
    locale = repo_copy / LOCALE
    with locale.open("a", encoding="utf-8") as handle:
        handle.write('\nmsgid "Nuevo"\nmsgstr "Nuevo"\n')
    assert archive.code_hash(repo_copy) != before


@pytest.mark.parametrize(
    "name",
    [
        "pei_analysis/publish/book.py",
        "pei_analysis/model/attainment.py",
        "book/_static/favicon.svg",
        "book/_templates/layout.html",
        "book/_config.yml",
        "book/_toc.yml",
        "notebooks/resumen.ipynb",
        "notebooks/resumen.md",
        "book/metodo_proyeccion.md",
        "pei_analysis/README.md",
    ],
)
def test_the_fingerprint_covers_the_library_subpackages_the_notebooks_and_every_source_of_the_book(
    repo_copy, name
):
    assert repo_copy / name in archive.code_files(repo_copy)
    before = archive.code_hash(repo_copy)
    with (repo_copy / name).open("ab") as handle:
        handle.write(b"\n")
    assert archive.code_hash(repo_copy) != before


def test_build_leftovers_and_compiled_translations_do_not_change_the_fingerprint(repo_copy):
    before = archive.code_hash(repo_copy)
    for leftover in (
        "book/_locales/es/LC_MESSAGES/sphinx.mo",
        "book/_build/html/index.html",
        "notebooks/.ipynb_checkpoints/resumen-checkpoint.ipynb",
        "pei_analysis/publish/__pycache__/book.cpython-311.pyc",
    ):
        (repo_copy / leftover).parent.mkdir(parents=True, exist_ok=True)
        (repo_copy / leftover).write_bytes(b"restos")
    assert archive.code_hash(repo_copy) == before


def test_the_fingerprint_is_the_same_whatever_the_folder_of_the_repository(repo_copy):
    assert archive.code_hash(repo_copy) == archive.code_hash(REPO_DIR)


def test_every_data_file_the_fingerprint_names_exists_and_every_data_file_is_named():
    """A data file the book reads but the fingerprint ignores would let an edition change silently."""
    named = set(DATA_FILES)
    # The data log and the data package are generated from the schemas (which are hashed); no book reads them.
    paths = [
        p.relative_to(DATA_DIR)
        for p in DATA_DIR.rglob("*")
        if p.is_file() and p.name not in ("README.md", "datapackage.json")
    ]
    shipped = {p.as_posix() for p in paths if p.parts[0] not in ("raw", ".deshacer", ".bloqueo")}
    assert named <= shipped
    # hashed apart, cut at the edition's period (the POA) or year (the catalogue); the annual totals (with
    # their schema) cut at the years before the edition's, and copied only when some are left
    assert shipped - named == {
        "poa/poa_ejecucion.csv",
        "poa/poa_anual.csv",
        "poa/poa_anual.schema.yaml",
        *CATALOGUE_FILES,
    }


def test_an_edition_sees_the_annual_totals_of_earlier_years_only(data_copy, tmp_path):
    from pei_analysis.ingest.importer import import_files
    from pei_analysis.tables.poa import load_poa_annual
    from tests.simulated_reports import write_report

    without = fingerprint({}, snapshot_of(data_copy, 2024, 1, tmp_path / "sin"))
    import_files([write_report(tmp_path, "anual.txt", 2021, None)], data_dir=data_copy)
    copy = snapshot_of(data_copy, 2024, 1, tmp_path / "con")
    assert list(load_poa_annual(copy)["anio"].unique()) == [2021]
    assert (copy / "raw" / "poa_2021_anual_sicoin_ejecucion_fisica.txt").exists()
    assert fingerprint({}, copy)["huella"] != without["huella"]
    assert (
        "poa/poa_anual.csv" not in without["datos"]
    )  # an edition without annual years keeps its fingerprint
