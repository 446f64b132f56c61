"""A SICOIN-like PDF of a report, drawn from its text extract: the PDFs the tests and the history check
import.

Not IGSS's PDF: IGSS publishes the «Reporte Analítico de Ejecución Física» as a PDF table; the
repository keeps only the text extract of the 2024-C1 report (data/raw/), so these PDFs are drawn
from an extract (the real one or a simulated one) with the layout the extract shows: the title
block, and per page a ruled table with its two header rows («PRIMER CUATRIMESTRE 2024» over the
two figure columns), «PROGRAMA:» rows across the table, subprogram rows with their subtotal,
product rows with the description wrapped in its cell, and the «Fuente:» footer. A new page starts
where the extract repeats the column header (a page break of the original).

Which line is which is read with the importer's own rules (:mod:`pei_analysis.ingest.sicoin_lines`):
the drawing must show what the extract says, not a second reading of it.
"""

from __future__ import annotations

import datetime as dt
import re

from fpdf import FPDF
from fpdf.fonts import FontFace

from pei_analysis.ingest import sicoin_lines as lines

#: The date every PDF drawn here says it was made: a fixed one, so that a fixture drawn again is the same
#: file.
CREATED = dt.datetime(2024, 5, 15, tzinfo=dt.UTC)
#: Column widths in mm on a landscape letter page (279 mm wide, 15 mm margins): No., PRODUCTOS,
#: programado, ejecutado, %.
WIDTHS = (14, 150, 33, 26, 26)


class _Report(FPDF):
    """A report page, with «Página N de M» at its foot when asked."""

    page_numbers = False

    def footer(self) -> None:
        if self.page_numbers:
            self.set_y(-10)
            self.set_font("Helvetica", size=7)
            self.cell(0, 4, f"Página {self.page_no()} de {{nb}}", align="R")


def extract_to_pdf(
    text: str, *, borders: str = "ALL", page_numbers: bool = False, v_align: str = "MIDDLE"
) -> bytes:
    """The PDF of the report whose text extract is *text* (``borders``: which ruling lines the table has,
    as fpdf2 names them: «ALL», «NONE», «HORIZONTAL_LINES» (rows only), «NO_HORIZONTAL_LINES» (columns
    only)…;
    ``page_numbers``: «Página N de M» at the foot of each page; ``v_align``: where a cell puts a short
    text beside a long one, «TOP», «MIDDLE» or «BOTTOM»)."""
    pdf = _Report(orientation="L", unit="mm", format="Letter")
    pdf.set_creation_date(CREATED)  # the same extract, the same bytes
    pdf.page_numbers = page_numbers
    pdf.set_margins(15, 12, 15)
    pdf.set_auto_page_break(True, margin=14)
    pdf.set_font("Helvetica", size=8)
    title, pages, footer = _split(text)
    for number, page in enumerate(pages):
        pdf.add_page()
        if number == 0 and title:
            _title(pdf, title)
        _table(pdf, page, borders=borders, v_align=v_align)
    if footer:
        pdf.ln(4)
        pdf.set_font("Helvetica", size=7)
        pdf.multi_cell(0, 4, _latin(footer))
    return bytes(pdf.output())


def _split(text: str) -> tuple[str, list[list[list[str]]], str]:
    """(title, pages of classified lines, footer): each page opens with its column header lines."""
    title, footer = "", ""
    pages: list[list[list[str]]] = []
    previous = None
    for line in text.split("\n"):
        cells = lines.split_cells(line)
        if not cells:
            continue
        joined = " ".join(cells)
        if not title and "(POA)" in joined:
            title = joined
            continue
        kind = lines.line_kind(cells, joined)
        if kind == lines.FOOTER:
            footer = joined
            continue
        if (kind == lines.HEADER and previous != lines.HEADER) or not pages:
            pages.append([])
        pages[-1].append([kind or "", *cells])
        previous = kind
    return title, pages, footer


def _title(pdf: FPDF, title: str) -> None:
    """The title block, on several lines as a report prints it (the extract runs it into one)."""
    parts = re.split(r"(?=Subgerencia|Departamento|Plan Operativo)", title)
    pdf.set_font("Helvetica", style="B", size=10)
    for part in parts:
        pdf.cell(0, 5, _latin(part.strip()), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("Helvetica", size=8)


def _table(pdf: FPDF, page: list[list[str]], *, borders: str, v_align: str) -> None:
    headers = [row[1:] for row in page if row[0] == lines.HEADER]
    body = [row for row in page if row[0] != lines.HEADER]
    bold = FontFace(emphasis="BOLD", fill_color=(230, 230, 230))
    with pdf.table(
        col_widths=WIDTHS,
        borders_layout=borders,
        line_height=3.6,
        text_align=("CENTER", "LEFT", "RIGHT", "RIGHT", "RIGHT"),
        headings_style=bold,
        num_heading_rows=2,
        repeat_headings=1,
        first_row_as_headings=True,
        v_align=v_align,
    ) as table:
        _headings(table, headers)
        for kind, *cells in body:
            _body_row(table, kind, cells)


def _headings(table, headers: list[list[str]]) -> None:
    """The two header rows: No., PRODUCTOS and the programado column over two rows; the period over
    the two figure columns, and under it their names."""
    first = headers[0] if headers else []
    second = [c for h in headers[1:] for c in h if re.search(r"REALIZAD|%|PORCENTAJE|PRODUCCI", c.upper())]
    period = next((c for c in first if lines.period_in(c)), "")
    programado = next((c for c in first if re.search(r"PROGRAMA(CI|D)", c.upper())), "PROGRAMADO")
    row = table.row()
    row.cell("No.", rowspan=2)
    row.cell("PRODUCTOS", rowspan=2)
    row.cell(_latin(programado), rowspan=2)
    row.cell(_latin(period), colspan=2)
    row = table.row()
    for name in (second + ["PRODUCCIÓN REALIZADA", "% DE AVANCE"])[:2]:
        row.cell(_latin(name))


def _body_row(table, kind: str, cells: list[str]) -> None:
    row = table.row()
    joined = " ".join(cells)
    if kind == lines.PROGRAM:
        row.cell(_latin(joined), colspan=5, align="LEFT")
    elif kind == lines.SUBTOTAL:
        sub = lines.parse_subtotal(cells, path=None, line=0, programa="")
        row.cell(sub.codigo)
        row.cell(_latin(sub.nombre))
        row.cell("")
        row.cell(f"{sub.subtotal:,}")
        row.cell("")
    else:
        filled = [c for c in cells if c]
        for cell in filled[:5] + [""] * (5 - len(filled[:5])):
            row.cell(_latin(cell))


def _latin(text: str) -> str:
    """*text* in the core PDF font's Latin-1: the extract's few other characters (dashes) become ASCII."""
    return text.replace("–", "-").replace("—", "-").encode("latin-1", "replace").decode("latin-1")
