"""Secciones que un capítulo genera de los datos (una por programa): encabezado, gráficos y tablas.

In Jupyter they show in order under one cell; for the book each piece carries a mark in its output
metadata, so the build (:func:`pei_analysis.publish.sections.expand_sections`) can give it a cell of
its own: a heading shown from a loop would otherwise be a rubric outside the page's contents.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

#: Key of the output metadata that marks what :func:`show_sections` displayed, so the book build
#: (:func:`pei_analysis.publish.sections.expand_sections`) can turn each piece into a cell of its own.
SECTION_KEY = "pei_analysis"


@dataclass
class FigureBlock:
    """A chart with the caption, alt text and anchor name the book gives it (as a cell's ``mystnb`` metadata would)."""

    figure: object
    caption: str
    alt: str
    name: str

    def mystnb(self) -> dict:
        return {"figure": {"caption": self.caption, "name": self.name}, "image": {"alt": self.alt}}


@dataclass
class Section:
    """A section a chapter generates from the data (one per program): a Markdown heading, then its blocks."""

    heading: str  # Markdown, e.g. "## Programa 11"
    blocks: list  # FigureBlock or HtmlTable, in reading order


def show_sections(sections: Sequence[Section]) -> None:
    """Display each section (heading, figures, tables) as outputs of the calling cell.

    In Jupyter the analyst sees headings, charts and tables in order. A heading displayed as a
    Markdown output would only be a rubric in the book (myst-nb parses outputs outside the
    section tree, so it would miss the page's table of contents), and a cell's figure caption
    applies to every image of the cell; so each output carries, under :data:`SECTION_KEY`, what
    it is, and the build splits the cell into a Markdown cell per heading and a cell per figure
    (with its caption, alt text and name) or table, exactly as hand-written sections were.
    """
    from IPython.display import Markdown, display

    for section in sections:
        display(Markdown(section.heading), metadata={SECTION_KEY: {"celda": "markdown"}})
        for block in section.blocks:
            if isinstance(block, FigureBlock):
                display(block.figure, metadata={SECTION_KEY: {"celda": "codigo", "mystnb": block.mystnb()}})
            else:
                display(block, metadata={SECTION_KEY: {"celda": "codigo"}})
