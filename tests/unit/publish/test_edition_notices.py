"""What a build of an edition says besides «construida» (pei_analysis.publish.archive): where the version it
replaced was kept, and that an edition of an earlier period joined the list.

No notebook runs here: the book build is a stand-in that writes the two downloads the archive compares
(tests/e2e/test_corrections.py builds the real book).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from pei_analysis.cli import main
from pei_analysis.paths import REPO_DIR
from pei_analysis.publish import archive, book
from pei_analysis.publish.archive import EditionResult, build_edition, kept_version_line


class FakeBook:
    """Writes an edition whose downloads hold *ejecutado*, and publishes it as the archive asks."""

    def __init__(self) -> None:
        self.ejecutado = 100

    def __call__(self, anio, cuatrimestre, output_dir, *, work_dir, publish, **_) -> Path:
        html_dir = work_dir / "libro" / "_build" / "html"
        (html_dir / "descargas").mkdir(parents=True)
        figures = {"anio": [anio], "cuatrimestre": [cuatrimestre], "producto": [1], "clave": ["K-1"]}
        pd.DataFrame({**figures, "programado": [300], "ejecutado": [self.ejecutado]}).to_csv(
            html_dir / "descargas" / "poa_ejecucion.csv", index=False, encoding="utf-8-sig"
        )
        projection = {"producto": [1], "clave": ["K-1"], "proyeccion": [3.0 * self.ejecutado]}
        pd.DataFrame(
            {**projection, "limite_inferior": [1.0], "limite_superior": [9e9], "estado": ["satisfactorio"]}
        ).to_csv(html_dir / "descargas" / "proyeccion_y_semaforo.csv", index=False, encoding="utf-8-sig")
        (html_dir / "index.html").write_text("<p>edición</p>", encoding="utf-8")
        publish(html_dir, output_dir)
        return output_dir


@pytest.fixture
def fake_book(monkeypatch) -> FakeBook:
    fake = FakeBook()
    monkeypatch.setattr(book, "build_book", fake)
    return fake


def build(site: Path, data: Path, anio=None, cuatrimestre=None, today=dt.date(2026, 12, 2), force=False):
    return build_edition(
        anio, cuatrimestre, site_dir=site, data_dir=data, today=today, force=force, log=lambda _: None
    )


def test_a_build_that_replaces_other_figures_says_where_the_published_version_was_kept(
    fake_book, data_copy, tmp_path
):
    site = tmp_path / "sitio"
    assert build(site, data_copy).notices == ()
    fake_book.ejecutado = 110
    result = build(site, data_copy, today=dt.date(2026, 12, 5), force=True)
    kept = site / "2024-c1_version_2026-12-02"
    assert (kept / "index.html").is_file()
    assert result.notices == (
        f"La versión anterior de 2024-c1 quedó en {kept}/ (confírmela en git junto con {site}/).",
    )


def test_a_rebuild_with_the_same_figures_keeps_no_version_and_says_nothing_more(
    fake_book, data_copy, tmp_path
):
    site = tmp_path / "sitio"
    build(site, data_copy)
    result = build(site, data_copy, today=dt.date(2026, 12, 5), force=True)
    assert result.built and result.notices == ()
    assert sorted(p.name for p in site.iterdir() if p.name.startswith("2024")) == ["2024-c1"]


def test_the_kept_version_is_named_from_the_repository_as_the_analyst_commits_it():
    folder = REPO_DIR / "site" / "2024-c1_version_2026-12-02"
    assert kept_version_line("2024-c1", folder) == (
        "La versión anterior de 2024-c1 quedó en site/2024-c1_version_2026-12-02/ "
        "(confírmela en git junto con site/)."
    )


def test_an_earlier_period_published_for_the_first_time_says_it_joined_the_list_of_editions(
    fake_book, data_with_c2, tmp_path
):
    site = tmp_path / "sitio"
    first = build(site, data_with_c2, 2024, 1)
    assert first.notices == (
        "La edición 2024-c1 no se había publicado y no es la del último período de los datos (2024-c2): "
        f"se agregó a la lista de ediciones ({site / 'index.html'}).",
    )
    assert build(site, data_with_c2).notices == ()  # the latest period
    assert build(site, data_with_c2, 2024, 1, force=True).notices == ()  # published before


def test_edicion_prints_what_the_build_adds_after_where_the_edition_is(monkeypatch, tmp_path, capsys):
    note = "La versión anterior de 2024-c1 quedó en site/2024-c1_version_2026-12-02/ (confírmela en git…)."

    def fake_build(anio, cuatrimestre, **_):
        path = tmp_path / "sitio" / "2024-c1"
        return EditionResult(2024, 1, path, True, "a" * 64, "Edición 2024-c1 construida.", (note,))

    monkeypatch.setattr(archive, "build_edition", fake_build)
    assert main(["edicion", "--sitio", str(tmp_path / "sitio")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Edición 2024-c1 construida." and out[1].startswith("  huella: aaaaaaaaaaaa")
    assert out[-1] == note
