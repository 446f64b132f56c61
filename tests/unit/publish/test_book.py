"""The book pipeline's checks that need no kernel (pei_analysis.publish.book); the full build is in
tests/e2e."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
import yaml

from pei_analysis.errors import DataError
from pei_analysis.publish import book as build
from pei_analysis.publish import edition_files
from tests.unit.publish.cells import code, notebook


def test_chapter_files_follow_the_table_of_contents_in_reading_order(tmp_path):
    toc = tmp_path / "_toc.yml"
    toc.write_text(
        "format: jb-book\nroot: resumen\nchapters:\n  - file: a\n    sections:\n"
        "      - file: a1\n  - file: b\n",
        encoding="utf-8",
    )
    assert build.chapter_files(toc) == ["resumen", "a", "a1", "b"]


def test_every_shipped_toc_entry_is_a_notebook_or_a_page_of_the_book():
    for name in build.chapter_files():
        assert (build.NOTEBOOKS_DIR / f"{name}.ipynb").exists() or (build.BOOK_DIR / f"{name}.md").exists(), (
            name
        )


def test_every_page_of_the_book_folder_is_in_the_table_of_contents():
    """only_build_toc_files would silently leave out a page the toc forgets."""
    pages = {p.stem for p in build.BOOK_DIR.glob("*.md") if p.name != "README.md"}
    assert pages <= set(build.chapter_files())


def test_declared_parameters_are_the_names_assigned_in_the_parameters_cell():
    nb = notebook(
        code("import x"), code("anio = 2024\ncuatrimestre: int = 1\n# nota\nnivel = 0.8", ["parameters"])
    )
    assert build.declared_parameters(nb) == ["anio", "cuatrimestre", "nivel"]


@pytest.mark.parametrize("count", [0, 2])
def test_a_notebook_without_exactly_one_parameters_cell_is_refused(count):
    nb = notebook(*[code("a = 1", ["parameters"]) for _ in range(count)])
    with pytest.raises(build.BuildError, match=f"hay {count}"):
        build.declared_parameters(nb)


@pytest.mark.parametrize(
    ("anio", "cuatrimestre", "parameters", "message"),
    [
        (2024, 4, None, "cuatrimestre 1, 2 o 3"),
        (2024, 1, {"umbrales": {"en_riesgo": 95}}, "satisfactorio"),
        (
            2024,
            1,
            {"umbrales": {"at_risk": 95}},
            "umbral desconocido: at_risk; se esperaba uno de satisfactorio",
        ),
        (2024, 1, {"edicion": "/tmp/otra.pkl"}, "lo pone la construcción"),
        (2024, 1, {"umbrales": {"riesgo": 60}}, "umbral desconocido"),
        (2024, 1, {"nivel": 1.5}, "nivel entre 0 y 1"),
        (2024, 1, {"carpeta_datos": "/no/existe"}, "no existe"),
        (2024, 1, {"cuatrimestre": 2}, "cuatrimestre=2"),
        (2024, 1, {"carpeta_descargas": "../fuera"}, "nombre de carpeta simple"),
    ],
)
def test_bad_edition_parameters_are_refused_before_any_kernel_starts(anio, cuatrimestre, parameters, message):
    with pytest.raises(DataError, match=message):
        build.edition_parameters(anio, cuatrimestre, parameters)


def test_edition_parameters_fill_the_defaults_and_accept_the_editions_own_period():
    params = build.edition_parameters(2024, 1, {"anio": 2024, "nivel": 0.9})
    assert params == {"carpeta_datos": None, "umbrales": None, "nivel": 0.9, "anio": 2024, "cuatrimestre": 1}


def test_build_refuses_a_period_without_data_and_leaves_no_trace(tmp_path):
    target = tmp_path / "sitio" / "2031-c2"
    with pytest.raises(DataError, match="no hay datos del POA para 2031"):
        build.build_book(2031, 2, target, log=lambda _: None)
    assert not target.exists()
    assert list(tmp_path.rglob("*")) in ([], [tmp_path / "sitio"])


def test_build_refuses_a_parameter_no_notebook_declares_and_leaves_no_trace(tmp_path):
    target = tmp_path / "2024-c1"
    with pytest.raises(DataError, match="ningún cuaderno declara el parámetro «colores»"):
        build.build_book(2024, 1, target, {"colores": "rojo"}, log=lambda _: None)
    assert list(tmp_path.iterdir()) == []


def test_a_preview_footer_names_the_edition_its_period_and_the_dates_of_its_data_and_build():
    assert edition_files.footer_html(2024, 1, dt.date(2024, 5, 15)) == (
        "Edición 2024-c1 · primer cuatrimestre de 2024 (enero-abril) · datos al 30 de abril de 2024 · "
        "construida el 15 de mayo de 2024 · "
        '<a class="como-citar" href="citar.html">Cómo citar · licencia CC BY 4.0</a>'
    )


def test_an_archived_editions_footer_names_its_months_and_shows_the_start_of_its_fingerprint():
    assert edition_files.footer_html(2024, 2, dt.date(2024, 9, 2), huella="0123456789abcdef" * 4) == (
        "Edición mayo-agosto de 2024 · datos al 31 de agosto de 2024 · "
        "construida el 2 de septiembre de 2024 · "
        "huella <code>0123456789ab</code> · "
        '<a class="todas-ediciones" href="../index.html">← Todas las ediciones</a> · '
        '<a class="como-citar" href="citar.html">Cómo citar · licencia CC BY 4.0</a>'
    )


def test_the_entry_page_of_an_edition_is_in_spanish_with_a_title_and_a_visible_link_to_the_summary(tmp_path):
    (tmp_path / "index.html").write_text(
        '<meta http-equiv="Refresh" content="0; url=resumen.html" />', encoding="utf-8"
    )
    edition_files.write_entry_page(tmp_path, 2024, 1)
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert '<html lang="es">' in page and 'url=resumen.html"' in page
    assert (
        "<title>Seguimiento del POA y del PEI del IGSS · Primer cuatrimestre de 2024 (enero-abril)</title>"
        in page
    )
    assert '<a href="resumen.html">' in page and 'href="_static/favicon.svg"' in page


def test_the_footer_goes_under_every_page_and_the_edition_into_the_title(tmp_path):
    shutil.copyfile(build.BOOK_DIR / "_config.yml", tmp_path / "_config.yml")
    build.write_config(tmp_path, 2024, 1, "Edición <code>x</code>")
    config = yaml.safe_load((tmp_path / "_config.yml").read_text(encoding="utf-8"))
    footer = '<p class="pie-edicion">Edición <code>x</code></p>'
    assert config["html"]["extra_footer"] == footer
    assert config["sphinx"]["config"]["html_theme_options"]["extra_footer"] == footer
    assert config["sphinx"]["config"]["html_title"].endswith(" · Primer cuatrimestre de 2024 (enero-abril)")
