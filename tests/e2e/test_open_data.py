"""The built edition offers its citation, its licence and a valid data package of its downloads."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import frictionless
import pytest

from pei_analysis.chapters.citar import EditionStamp, citation_text, program_version


@pytest.fixture(scope="module")
def site(built_book) -> Path:
    return built_book.output_dir


def _text(path: Path) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")))


def test_the_citation_page_cites_this_edition_with_the_date_of_its_data_and_build(site):
    # the book is built once per session: a run that crosses midnight built it yesterday
    today = dt.date.today()
    cited = [
        citation_text(EditionStamp(2024, 1, day, program_version()))
        for day in (today, today - dt.timedelta(days=1))
    ]
    assert any(text in _text(site / "citar.html") for text in cited), cited[0]
    assert "no se relicencian" in _text(site / "citar.html")


def test_every_page_links_the_citation_page_with_the_licence_from_its_footer(site):
    link = '<a class="como-citar" href="citar.html">Cómo citar · licencia CC BY 4.0</a>'
    for page in sorted(site.glob("*.html")):
        if page.name in ("index.html", "genindex.html", "search.html"):
            continue
        source = page.read_text(encoding="utf-8")
        assert link in source, page.name


def test_the_downloads_are_published_together_with_a_valid_data_package(site):
    package_path = site / "descargas" / "datapackage.json"
    report = frictionless.validate(package_path)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = json.loads(package_path.read_text(encoding="utf-8"))
    assert package["licenses"][0]["name"] == "CC-BY-4.0" and package["edicion"] == "2024-c1"
    downloads = {p.name: p for p in (site / "_downloads").rglob("*.csv") if not p.name.startswith("grafico_")}
    for resource in package["resources"]:
        name = resource["path"]
        assert (site / "descargas" / name).read_bytes() == downloads[name].read_bytes(), name
    assert 'href="descargas/datapackage.json"' in (site / "datos.html").read_text(encoding="utf-8")
