"""El reporte de SICOIN en PDF, leído como las líneas de su extracto de texto.

IGSS publishes the «Reporte Analítico de Ejecución Física» as a PDF table. Rather than a second
importer, this module turns the PDF into the lines the text extract has (one line per table row,
its cells separated by tabulations; the title block and the «Fuente:» footer each on one line), and
:mod:`pei_analysis.ingest.sicoin` reads them with the same rules and checks as an extract: every
figure still has to add up (percentages, subtotals, numbering), so a table misread here is refused
there, never imported.

The table is found by its ruling lines (pdfplumber's «lines» strategy). A page whose figures lie
outside any ruled table (a table drawn without lines), or whose ruled rows hold several products
(only the columns are ruled), is read from the position of its words instead
(:mod:`pei_analysis.ingest.sicoin_pdf_words`); one without a column header to take the
columns from is refused, naming the page, with the two ways around it (the text extract, the capture
template). Each line keeps the page it comes from: that is where a refusal, and the table's
``linea_origen``, point in a PDF.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pei_analysis.errors import DataError
from pei_analysis.files import file_state
from pei_analysis.ingest.limits import MAX_PDF_BYTES, MAX_PDF_PAGES, check_file_size
from pei_analysis.ingest.sicoin_pdf_words import join_wrapped, page_lines

#: Lines outside the table that say nothing but the page number: «Página 2 de 4», «2 / 4», «2».
_PAGE_NUMBER = re.compile(r"^(p[áa]g(ina)?\.?\s*)?\d{1,3}(\s*(de|/)\s*\d{1,3})?$", re.IGNORECASE)
#: A figure that belongs in the table: a percentage, or a number with thousands separators.
_TABLE_FIGURE = re.compile(r"\d+(\.\d+)?\s*%|\d{1,3}(,\d{3})+")
#: A percentage: each product's row has one, so a table row with two holds more than one product.
_PERCENTAGE = re.compile(r"\d+(\.\d+)?\s*%")
#: How much (in points) a text line may overlap a table's box and still be outside it.
_EDGE = 1.0


@dataclass(frozen=True)
class PdfText:
    """The report as extract lines, and the page (from 1) each line comes from."""

    lines: list[str]
    pages: list[int]

    def page_of(self, line: int | None) -> int | None:
        """The page of line number *line* (from 1), as a refusal names it."""
        return self.pages[line - 1] if line and 0 < line <= len(self.pages) else None


def read_pdf(path: Path) -> PdfText:
    """The lines of the PDF report at *path*, page by page, top to bottom.

    Refused (DataError) when the file is too large, is not a PDF that can be read, has a password,
    has too many pages, or has a page whose table cannot be read (figures outside a ruled table and no
    column header to place them by). An import reads each file twice (its period first, to order the
    batch; then its figures): the second reading of the same bytes is the first one's, kept.
    """
    check_file_size(path, MAX_PDF_BYTES)
    return _read_pdf(*file_state(path))


@lru_cache(maxsize=16)
def _read_pdf(path: Path, size: int, modified: int) -> PdfText:
    """:func:`read_pdf` of a file as it is (its size and modification time are part of the key)."""
    import pdfplumber  # only importing a PDF needs it

    lines: list[str] = []
    pages: list[int] = []
    try:
        with pdfplumber.open(path) as pdf:
            if len(pdf.pages) > MAX_PDF_PAGES:
                raise DataError(
                    f"el PDF tiene {len(pdf.pages)} páginas y un reporte de un cuatrimestre no pasa de "
                    f"{MAX_PDF_PAGES}: ¿es el archivo correcto?",
                    path=path,
                )
            for number, page in enumerate(pdf.pages, start=1):
                for line in _page_lines(page, number, path):
                    lines.append(line)
                    pages.append(number)
    except DataError:
        raise
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds for a damaged or protected PDF
        raise DataError(_unreadable(exc), path=path) from None
    if not lines:
        raise DataError(
            "el PDF no tiene texto que leer (¿es una imagen escaneada?): importe el texto del reporte o "
            "la plantilla de captura (pei-analysis plantilla) con sus cifras.",
            path=path,
        )
    return PdfText(lines, pages)


def page_count(path: Path) -> int | None:
    """How many pages the PDF at *path* has; None if it cannot be opened."""
    import pdfplumber

    try:
        with pdfplumber.open(path) as pdf:
            return len(pdf.pages)
    except Exception:  # noqa: BLE001 - a PDF that cannot be opened has no page count to give
        return None


def _unreadable(exc: Exception) -> str:
    """Why a PDF could not be opened, in the analyst's words."""
    causes = [exc, *exc.args]  # pdfplumber wraps pdfminer's exception in its own
    if any("password" in type(c).__name__.lower() or "encrypt" in str(c).lower() for c in causes):
        return "el PDF está protegido con contraseña: guárdelo sin protección y vuelva a importarlo."
    return (
        "no se puede leer como PDF (está dañado o no es un PDF). Vuelva a descargarlo, o importe el "
        "texto extraído del PDF o la plantilla de captura (pei-analysis plantilla)."
    )


def _page_lines(page, number: int, path: Path) -> list[str]:
    """One page's lines in reading order: its table rows, and the text around them run into one line
    per block (the title block above the table, the footer below)."""
    tables = page.find_tables()
    items: list[tuple[float, str, bool]] = []  # (top, text, is a table row)
    for table in tables:
        for row, cells in zip(table.rows, table.extract(), strict=True):
            items.append((row.bbox[1], "\t".join(_cell(c) for c in cells), True))
    boxes = [t.bbox for t in tables]
    outside = [
        (line["top"], line["text"].strip())
        for line in page.extract_text_lines(strip=True)
        if not any(_inside(line, box) for box in boxes) and not _PAGE_NUMBER.match(line["text"].strip())
    ]
    outside_figures = any(_TABLE_FIGURE.search(text) for _, text in outside)
    merged_rows = any(len(_PERCENTAGE.findall(text)) > 1 for _, text, _ in items)
    if outside_figures or merged_rows:
        return _from_words(page, number, path)
    items.extend((top, text, False) for top, text in outside if text)
    return _blocks(sorted(items, key=lambda item: item[0]))


def _from_words(page, number: int, path: Path) -> list[str]:
    """The page's lines rebuilt from where its words sit: for a table drawn without lines (figures
    outside any ruled table), or with too few (a ruled «row» holding several products' percentages)."""
    try:
        words = page.extract_words(x_tolerance=1.5, y_tolerance=2)
        lines = page_lines(words, skip=lambda text: bool(_PAGE_NUMBER.match(text)))
    except DataError as exc:
        raise DataError(exc.reason, path=path, page=number) from None
    if lines is None:
        raise DataError(
            "las filas de la tabla de esta página no están separadas por líneas trazadas, y no se encuentra "
            "el encabezado de columnas («PRODUCTOS») que diga dónde empieza cada columna. Importe el texto "
            "extraído del PDF, o la plantilla de captura (pei-analysis plantilla).",
            path=path,
            page=number,
        )
    return lines


def _blocks(items: list[tuple[float, str, bool]]) -> list[str]:
    """Table rows as they are; consecutive lines of text outside the table joined into one, as the
    text extract runs the title block into one line."""
    lines: list[str] = []
    previous_row = True
    for _, text, is_row in items:
        if is_row or previous_row:
            lines.append(text)
        else:
            lines[-1] = join_wrapped(lines[-1], text)
        previous_row = is_row
    return lines


def _cell(text: str | None) -> str:
    """A table cell on one line: its wrapped lines joined (a word cut with a hyphen, without space)."""
    if not text:
        return ""
    parts = [p.strip() for p in text.split("\n") if p.strip()]
    joined = ""
    for part in parts:
        joined = join_wrapped(joined, part) if joined else part
    return joined


def _inside(line: dict, box: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = box
    return (
        line["top"] >= top - _EDGE
        and line["bottom"] <= bottom + _EDGE
        and line["x0"] >= x0 - _EDGE
        and line["x1"] <= x1 + _EDGE
    )
