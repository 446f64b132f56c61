"""A build puts its citation in the «Cómo citar» page and its downloads together with their package."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import frictionless

from pei_analysis.chapters import datos, downloads
from pei_analysis.chapters.citar import MARKER, EditionStamp, citation_text
from pei_analysis.model.dataset import compute_dataset
from pei_analysis.publish import edition_files
from pei_analysis.publish.book import BOOK_DIR, chapter_files

STAMP = EditionStamp(2024, 1, dt.date(2024, 5, 15), "0.1.0", "cd" * 32)


def test_the_citation_page_is_in_the_table_of_contents():
    assert Path(edition_files.CITATION_PAGE).stem in chapter_files()


def test_the_copy_of_the_citation_page_gets_the_editions_citation_and_the_book_folder_is_untouched(tmp_path):
    shutil.copyfile(BOOK_DIR / edition_files.CITATION_PAGE, tmp_path / edition_files.CITATION_PAGE)
    edition_files.write_citation_page(tmp_path, STAMP)
    page = (tmp_path / edition_files.CITATION_PAGE).read_text(encoding="utf-8")
    assert citation_text(STAMP) in page and MARKER not in page
    assert MARKER in (BOOK_DIR / edition_files.CITATION_PAGE).read_text(encoding="utf-8")


def test_a_book_without_the_citation_page_builds_without_it(tmp_path):
    edition_files.write_citation_page(tmp_path, STAMP)
    assert list(tmp_path.iterdir()) == []


def test_the_csvs_the_datos_notebook_wrote_are_published_together_with_a_valid_package(tmp_path):
    dataset = compute_dataset(2024, 1)
    source, html = tmp_path / "libro", tmp_path / "html"
    downloads.export_tables(datos.exports(dataset), source / "descargas")
    path = edition_files.publish_downloads(source, html, dataset, STAMP)
    assert path == html / "descargas" / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    for resource in package["resources"]:
        name = resource["path"]
        assert (html / "descargas" / name).read_bytes() == (source / "descargas" / name).read_bytes()
    assert frictionless.validate(path).valid


def test_a_book_without_the_datos_chapter_publishes_no_package(tmp_path):
    dataset = compute_dataset(2024, 1)
    assert edition_files.publish_downloads(tmp_path / "libro", tmp_path / "html", dataset, STAMP) is None
    assert not (tmp_path / "html").exists()
