"""La página «Cómo citar esta edición»: la cita de la edición, su licencia y su paquete de datos.

Why generated: a citation must name exactly what the reader saw (the period, the date of the data,
the build, the program's version and, for an archived edition, its fingerprint), and a hand-written
page would go stale with the next edition. ``book/citar.md`` holds the prose that does not change
(licences, what the originals are); the build puts :func:`citation_markdown` in place of its marker
(:mod:`pei_analysis.publish.book`). The licence and the note on the originals are the data
package's (:mod:`pei_analysis.tables.datapackage`), so the page, ``data/README.md`` and every
``datapackage.json`` say the same.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from importlib import metadata

from pei_analysis.calendar import cuatrimestre_label, edition_id, period_end, period_title
from pei_analysis.chapters.sections import DOWNLOADS_FOLDER
from pei_analysis.format import fmt_date
from pei_analysis.tables.datapackage import CONTENT_LICENSE, PACKAGE_FILE

#: Where the build writes the citation in book/citar.md.
MARKER = "<!-- cita de la edición: la escribe la construcción -->"
#: The institution and publication a citation names first.
PUBLICATION = "IGSS — Seguimiento del PEI y del POA"


@dataclass(frozen=True)
class EditionStamp:
    """What identifies one build of an edition: period, build date, program version and fingerprint."""

    anio: int
    cuatrimestre: int
    built: dt.date
    version: str
    huella: str | None = None

    @property
    def name(self) -> str:
        return edition_id(self.anio, self.cuatrimestre)


def program_version() -> str:
    """The installed version of pei-analysis (pyproject.toml's), the one CITATION.cff cites."""
    return metadata.version("pei-analysis")


def citation_text(stamp: EditionStamp) -> str:
    """The citation as one line of plain text («IGSS — …, edición 2024-c1: enero-abril de 2024 (datos …»)."""
    huella = f"; huella {stamp.huella[:12]}" if stamp.huella else ""
    return (
        f"{PUBLICATION}, edición {stamp.name}: {cuatrimestre_label(stamp.anio, stamp.cuatrimestre)} "
        f"(datos al {fmt_date(period_end(stamp.anio, stamp.cuatrimestre))}). Construida el "
        f"{fmt_date(stamp.built)}; versión del programa pei-analysis {stamp.version}{huella}. "
        f"En el sitio de ediciones: {stamp.name}/index.html. Licencia {license_short()}."
    )


def license_short() -> str:
    """The content licence as readers write it: «CC BY 4.0» (the data package's «CC-BY-4.0»)."""
    return CONTENT_LICENSE["name"].replace("-", " ")


def citation_markdown(stamp: EditionStamp) -> str:
    """The generated part of the page: the citation to copy, and what each of its parts means.

    Written as HTML inside Markdown: the citation must reach the reader exactly as printed (no MyST
    role or link that Sphinx would rewrite), and the data package's link points at a file the build
    puts beside the pages, which Sphinx does not know.
    """
    fields = [
        ("Edición", html.escape(stamp.name)),
        ("Período", html.escape(period_title(stamp.anio, stamp.cuatrimestre))),
        ("Datos al", html.escape(fmt_date(period_end(stamp.anio, stamp.cuatrimestre)))),
        ("Construida el", html.escape(fmt_date(stamp.built))),
        ("Versión del programa", html.escape(f"pei-analysis {stamp.version}")),
    ]
    if stamp.huella:  # 64 hexadecimal digits: the <code> may break anywhere on a phone
        fields.append(("Huella de la edición", f"<code>{html.escape(stamp.huella)}</code>"))
    rows = "\n".join(f"<tr><th>{html.escape(k)}</th><td>{v}</td></tr>" for k, v in fields)
    package = f"{DOWNLOADS_FOLDER}/{PACKAGE_FILE}"
    return (
        f'<blockquote class="cita-edicion"><p>{html.escape(citation_text(stamp))}</p></blockquote>\n\n'
        f'<table class="cita-datos">\n{rows}\n</table>\n\n'
        f"<p>Las tablas de esta edición, descritas para programas y portales de datos abiertos: "
        f'<a href="{package}"><code>{package}</code></a> (paquete de datos Frictionless: cada tabla en CSV, '
        f"sus columnas, tipos y significados, la licencia y las fuentes).</p>\n"
    )


def fill_page(text: str, stamp: EditionStamp) -> str:
    """*text* (book/citar.md) with the edition's citation in place of :data:`MARKER`."""
    return text.replace(MARKER, citation_markdown(stamp))
