"""Secciones que un capítulo genera de los datos (una por programa): encabezado, gráficos y tablas.

In Jupyter they show in order under one cell; for the book each piece carries a mark in its output
metadata, so the build (:func:`pei_analysis.publish.sections.expand_sections`) can give it a cell of
its own: a heading shown from a loop would otherwise be a rubric outside the page's contents.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

#: Key of the output metadata that marks what :func:`show_sections` displayed, so the book build
#: (:func:`pei_analysis.publish.sections.expand_sections`) can turn each piece into a cell of its own.
SECTION_KEY = "pei_analysis"
#: Where figures write the CSV of their numbers, relative to the notebook (the Datos chapter's downloads
#: folder).
DOWNLOADS_FOLDER = "descargas"
#: The words of the link under every figure.
DATA_LINK = "datos de este gráfico (CSV)"
#: CSS classes of a figure's two images (``book/_static/libro.css`` shows one by the screen's width).
WIDE_CLASS = "grafico-ancho"
PHONE_CLASS = "grafico-telefono"


@dataclass
class FigureBlock:
    """A chart with the caption, alt text and anchor name the book gives it (as a cell's ``mystnb`` metadata
    would), the numbers it draws (*data*, written as a CSV linked under the figure) and its source line.

    *phone* is the same chart drawn for a phone's width; by default the one the chart functions of
    :mod:`pei_analysis.chapters.figures` attach to *figure* (:func:`~.figures.phone_figure`).
    """

    figure: object
    caption: str
    alt: str
    name: str
    data: pd.DataFrame | None = None
    source: str = ""
    phone: object | None = None

    def __post_init__(self) -> None:
        if self.phone is None:
            from pei_analysis.chapters.figures import phone_figure

            self.phone = phone_figure(self.figure)

    @property
    def csv_name(self) -> str:
        """A file name stable per figure: «fig-avance-11» → «grafico_avance_11.csv»."""
        return (
            "grafico_"
            + re.sub(r"[^a-z0-9]+", "_", self.name.removeprefix("fig-").lower()).strip("_")
            + ".csv"
        )

    def mystnb(self, folder: str | None = None) -> dict:
        """The cell metadata: the caption, then (a legend under it) the source line and, given the downloads
        *folder*, the link to the figure's CSV."""
        legend = " ".join(
            ([self.source] if self.source else [])
            + ([f"[{DATA_LINK}]({folder}/{self.csv_name})"] if folder and self.data is not None else [])
        )
        caption = f"{self.caption}\n\n{legend}" if legend else self.caption
        image = {"alt": self.alt, "classes": WIDE_CLASS} if self.phone is not None else {"alt": self.alt}
        return {"figure": {"caption": caption, "name": self.name}, "image": image}

    def phone_mystnb(self) -> dict:
        """The metadata of the phone image: the same alt text, no caption (it stands right above the
        figure, whose caption, source line and CSV link it shares)."""
        return {"image": {"alt": self.alt, "classes": PHONE_CLASS}}

    def write_data(self, folder: str | Path) -> Path | None:
        """Write the figure's numbers as CSV into *folder* (as the Datos chapter writes its tables); None
        without data."""
        if self.data is None:
            return None
        from pei_analysis.chapters.downloads import write_csv

        path = Path(folder) / self.csv_name
        path.parent.mkdir(parents=True, exist_ok=True)
        write_csv(self.data, path)
        return path


@dataclass
class Section:
    """A section a chapter generates from the data (one per program): a Markdown heading, then its blocks."""

    heading: str  # Markdown, e.g. "## Programa 11"
    blocks: list  # FigureBlock or HtmlTable, in reading order


def _as_svg(figure):
    from IPython.display import SVG

    from pei_analysis.chapters.figures import svg_text

    return SVG(data=svg_text(figure)) if hasattr(figure, "savefig") else figure


def show_figure(block: FigureBlock, folder: str | None = DOWNLOADS_FOLDER) -> None:
    """Display one figure as SVG (text kept as text), marked for the book with its caption, source line and
    the link to the CSV of its numbers, which it writes into the downloads *folder* (None: no CSV, no link).

    A figure with a phone version shows it first, as an image of its own cell right above the figure:
    the book shows the wide image on a screen or paper and the phone image on a narrow screen
    (:data:`WIDE_CLASS`, :data:`PHONE_CLASS`), so a phone reads letters of at least 11 px and the
    figure keeps one caption, one source line and one CSV link. (A cell's figure caption applies to
    every image of the cell, and an inline SVG cannot sit in a ``<picture>``.)
    """
    from IPython.display import display

    written = block.write_data(folder) if folder else None
    if block.phone is not None:
        phone = {SECTION_KEY: {"celda": "codigo", "mystnb": block.phone_mystnb()}}
        display(_as_svg(block.phone), metadata=phone)
    meta = block.mystnb(folder if written else None)
    display(_as_svg(block.figure), metadata={SECTION_KEY: {"celda": "codigo", "mystnb": meta}})


def show_sections(sections: Sequence[Section], folder: str | None = DOWNLOADS_FOLDER) -> None:
    """Display each section (heading, figures, tables) as outputs of the calling cell.

    In Jupyter the analyst sees headings, charts and tables in order. A heading displayed as a
    Markdown output would only be a rubric in the book (myst-nb parses outputs outside the
    section tree, so it would miss the page's table of contents), and a cell's figure caption
    applies to every image of the cell; so each output carries, under :data:`SECTION_KEY`, what
    it is, and the build splits the cell into a Markdown cell per heading and a cell per figure
    (with its caption, alt text and name) or table, exactly as hand-written sections were.
    Figures write the CSV of their numbers into *folder* (see :func:`show_figure`).
    """
    from IPython.display import Markdown, display

    for section in sections:
        display(Markdown(section.heading), metadata={SECTION_KEY: {"celda": "markdown"}})
        for block in section.blocks:
            if isinstance(block, FigureBlock):
                show_figure(block, folder)
            else:
                display(block, metadata={SECTION_KEY: {"celda": "codigo"}})
