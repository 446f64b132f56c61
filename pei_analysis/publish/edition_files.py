"""What a build adds to an edition besides the executed notebooks: the line under every page, the entry
page, its citation and its open-data package.

They depend on the build itself (its period, its date, its fingerprint, the files the Datos notebook
wrote), so they are written while building, in the temporary folder, and appear with the rest of the edition
in one rename (:mod:`pei_analysis.publish.workspace`). The words are the chapters'
(:mod:`pei_analysis.chapters.citar`, :mod:`pei_analysis.chapters.open_data`); this module only puts
them in place.
"""

from __future__ import annotations

import datetime as dt
import html
import shutil
from pathlib import Path

from pei_analysis.calendar import cuatrimestre_label, edition_id, period_end, period_title
from pei_analysis.chapters import datos
from pei_analysis.chapters.citar import EditionStamp, fill_page, license_short
from pei_analysis.chapters.open_data import edition_package, write_edition_package
from pei_analysis.chapters.sections import DOWNLOADS_FOLDER
from pei_analysis.format import fmt_date
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


#: The footer's link from an archived edition back to the list of editions (site/index.html).
EDITIONS_LINK_TEXT = "← Todas las ediciones"
#: The footer's link to the edition's «Cómo citar esta edición» page (book/citar.md), with the licence.
CITE_LINK_TEXT = f"Cómo citar · licencia {license_short()}"


def footer_html(anio: int, cuatrimestre: int, built: dt.date, huella: str | None = None) -> str:
    """The line under every page (HTML): the edition, the date of its data and the date of the build.

    One function serves the preview and the archive so their footers cannot drift apart. An
    archived edition passes its *huella* and is named by its months, with the fingerprint readers
    cite ('Edición enero-abril de 2024 · datos al … · construida el … · huella <code>…</code>'), and a
    link back to the list of editions beside it (``../index.html``, every page of the edition); a
    preview has no fingerprint and names its folder and full period instead ('Edición 2024-c1 ·
    primer cuatrimestre de 2024 (enero-abril) · datos al … · construida el …'). Both end with the link
    to the edition's «Cómo citar» page, which also states the licence of the text and the data.
    """
    if huella is None:
        name = f"{edition_id(anio, cuatrimestre)} · {period_title(anio, cuatrimestre).lower()}"
    else:
        name = cuatrimestre_label(anio, cuatrimestre)
    dates = f"datos al {fmt_date(period_end(anio, cuatrimestre))} · construida el {fmt_date(built)}"
    text = f"Edición {name} · {dates}"
    stamp = f" · huella <code>{html.escape(huella[:12])}</code>" if huella is not None else ""
    back = (
        f' · <a class="todas-ediciones" href="../index.html">{EDITIONS_LINK_TEXT}</a>'
        if huella is not None
        else ""
    )
    cite = f' · <a class="como-citar" href="citar.html">{CITE_LINK_TEXT}</a>'
    return html.escape(text) + stamp + back + cite


def write_entry_page(html_dir: Path, anio: int, cuatrimestre: int) -> None:
    """Replace Jupyter Book's bare redirect (``index.html``: one ``<meta>``, no language, no title)
    with a page in Spanish that still opens the summary at once, has a title for the tab and the
    history, and a visible link for a browser that does not follow the redirect."""
    label = html.escape(period_title(anio, cuatrimestre))
    (html_dir / "index.html").write_text(_ENTRY_TEMPLATE.format(label=label), encoding="utf-8")


_ENTRY_TEMPLATE = """<!DOCTYPE html>
<html lang="es">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta http-equiv="refresh" content="0; url=resumen.html">
  <link rel="icon" href="_static/favicon.svg" type="image/svg+xml">
  <title>Seguimiento del POA y del PEI del IGSS · {label}</title>
</head>
<body>
  <p><a href="resumen.html">Abrir el resumen ejecutivo · {label}</a></p>
</body>
</html>
"""
