"""What a build adds to an edition besides the executed notebooks: its citation and its open-data package.

Both depend on the build itself (its date, its fingerprint, the files the Datos notebook wrote), so
they are written while building, in the temporary folder, and appear with the rest of the edition
in one rename (:mod:`pei_analysis.publish.workspace`). The words are the chapters'
(:mod:`pei_analysis.chapters.citar`, :mod:`pei_analysis.chapters.open_data`); this module only puts
them in place.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from pei_analysis.chapters import datos
from pei_analysis.chapters.citar import EditionStamp, fill_page
from pei_analysis.chapters.open_data import edition_package, write_edition_package
from pei_analysis.chapters.sections import DOWNLOADS_FOLDER
from pei_analysis.model.dataset import EditionDataset

#: The book page that carries the citation (book/citar.md, named in book/_toc.yml).
CITATION_PAGE = "citar.md"


def write_citation_page(source_dir: Path, stamp: EditionStamp) -> None:
    """Put the edition's citation into the copy of book/citar.md, if the book being built has that page."""
    page = source_dir / CITATION_PAGE
    if page.exists():
        page.write_text(fill_page(page.read_text(encoding="utf-8"), stamp), encoding="utf-8")


def publish_downloads(
    source_dir: Path,
    html_dir: Path,
    dataset: EditionDataset,
    stamp: EditionStamp,
    folder: str = DOWNLOADS_FOLDER,
) -> Path | None:
    """Copy the Datos chapter's CSVs to ``<html>/<folder>/`` with their ``datapackage.json``; return its path.

    The book links each download through Sphinx, which puts every file in its own hashed folder
    (``_downloads/<hash>/``); a data package lists its files by relative path, so the CSVs are
    also offered together, byte for byte as the notebook wrote them, beside the package. Returns
    None when the book has no Datos chapter (nothing was written).
    """
    written = source_dir / folder
    exports = datos.exports(dataset)
    tables = {name: table for name, table in exports.items() if (written / f"{name}.csv").is_file()}
    if not tables:
        return None
    target = html_dir / folder
    target.mkdir(parents=True, exist_ok=True)
    for name in tables:
        shutil.copyfile(written / f"{name}.csv", target / f"{name}.csv")
    package = edition_package(tables, datos.column_meanings(dataset), stamp, dataset.sources)
    return write_edition_package(target, package)
