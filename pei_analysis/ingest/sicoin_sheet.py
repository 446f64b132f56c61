"""El reporte en Excel: la tabla del reporte tal como la guarda el Departamento de Planificación.

The report IGSS publishes as a PDF is a table made in a spreadsheet, and the planning department
keeps that workbook (.xlsx) for each past report: asking an analyst to print it to PDF, or to copy
its figures into the capture template, would be asking for work the file already holds. As with the
PDF (:mod:`pei_analysis.ingest.sicoin_pdf`), there is no second importer: each row of the sheet becomes
the line the text extract would have (its cells separated by tabulations), and
:mod:`pei_analysis.ingest.sicoin` reads those lines with the same rules and checks. Line *n* is row
*n* of the sheet, so a refusal and the table's ``linea_origen`` name the row the analyst sees.

A cell is written as the report shows it: a figure as its digits, a percentage cell (a number
formatted «0.00%», usually the formula «=D12/C12») as «28.09%». Formulas are read by the value Excel
saved with them; a formula saved without one (a file written by a program and never opened in a
spreadsheet) is refused, naming its cell, rather than read as empty.

An .xlsx is the report, not the capture template, when one of its visible sheets has the report's
column header: a cell that says «PRODUCTOS» (the template's column is «producto»). Only that sheet is
read; two such sheets (a workbook with one sheet per cuatrimestre) are refused, since a file is one
period's original in data/raw/.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pei_analysis.errors import DataError
from pei_analysis.files import file_state
from pei_analysis.ingest.limits import (
    MAX_ROWS,
    check_text,
    check_xlsx_archive,
    too_many_rows,
    unreadable_xlsx,
)
from pei_analysis.ingest.sicoin_lines import plain

#: The workbook format read as a report (a CSV is always the capture template).
REPORT_SHEET_SUFFIX = ".xlsx"
#: What the report's column header cell says (the capture template's column is «producto»).
HEADER_CELL = "PRODUCTOS"
#: Runs of whitespace inside a cell (a line break typed with Alt+Enter, a tabulation) read as one space:
#: a tabulation is what separates the cells of a line.
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class SheetText:
    """The report's sheet as extract lines: line *n* is row *n*."""

    lines: list[str]
    #: The sheet read, as the workbook names it.
    sheet: str


@dataclass(frozen=True)
class _Sheet:
    name: str
    #: Each row as text cells, from row 1.
    rows: list[list[str]]
    #: (row, column letter) of each formula saved without its value.
    missing: list[tuple[int, str]]


def holds_report(path: str | Path) -> bool:
    """Whether *path* is a workbook with the report's table (not a capture template, not a CSV)."""
    path = Path(path)
    if path.suffix.lower() != REPORT_SHEET_SUFFIX:
        return False
    try:
        return bool(_report_sheets(path))
    except DataError:
        return False  # not a workbook that can be read: the template's reader says why


def read_sheet(path: str | Path) -> SheetText:
    """The lines of the report's sheet in the workbook at *path*; refused (DataError) when no sheet or more
    than one holds the report, when a formula cell was saved without its value, or when a cell is too
    long or holds a control character."""
    path = Path(path)
    sheets = _report_sheets(path)
    if not sheets:
        raise DataError(
            f"ninguna hoja visible del libro tiene la tabla del reporte (la columna «{HEADER_CELL}»).",
            path=path,
        )
    if len(sheets) > 1:
        names = ", ".join(f"«{s.name}»" for s in sheets)
        raise DataError(
            f"{len(sheets)} hojas del libro tienen la tabla de un reporte ({names}) y cada archivo es el "
            "reporte de un período: guarde cada hoja en su propio libro (o borre las que no se importan) "
            "y vuelva a importar.",
            path=path,
        )
    sheet = sheets[0]
    if sheet.missing:
        row, column = sheet.missing[0]
        raise DataError(
            f"la celda {column}{row} tiene una fórmula guardada sin su valor (el archivo no se guardó desde "
            "una hoja de cálculo): ábralo en Excel o LibreOffice y guárdelo, o copie la hoja y péguela "
            "como valores.",
            path=path,
            row=row,
            sheet=sheet.name,
            field=column,
        )
    _check_cells(sheet, path)
    return SheetText(_blocks([_line(cells) for cells in sheet.rows]), sheet.name)


def _check_cells(sheet: _Sheet, path: Path) -> None:
    """Refuse a cell too long to be the report's, or holding a control character, naming it: what reads
    the lines later names only the row."""
    from openpyxl.utils import get_column_letter

    for number, cells in enumerate(sheet.rows, start=1):
        for index, text in enumerate(cells):
            if text:
                check_text(text, path=path, row=number, sheet=sheet.name, field=get_column_letter(index + 1))


def _line(cells: list[str]) -> str:
    """A row as an extract line: its cells from the first filled one (a table that starts in column B
    reads as one that starts in A), separated by tabulations."""
    start = next((n for n, text in enumerate(cells) if text), len(cells))
    return "\t".join(cells[start:])


def _blocks(rows: list[str]) -> list[str]:
    """The rows as lines, with the title block and the footer each run into one line, as the extract has
    them (a workbook spreads them over several rows): the rows above the column header into the first of
    them, the rows from «Fuente:» to the end into that one. The others are left blank, so that line *n*
    stays row *n*."""
    lines = list(rows)
    header = next((n for n, line in enumerate(lines) if _is_header_row(line)), 0)
    footer = next(
        (n for n, line in enumerate(lines) if plain(line).lstrip().startswith("FUENTE")), len(lines)
    )
    for start, end in ((0, header), (footer, len(lines))):
        filled = [n for n in range(start, end) if lines[n].strip()]
        if len(filled) > 1:
            lines[filled[0]] = " ".join(" ".join(lines[n].split()) for n in filled)
            for n in filled[1:]:
                lines[n] = ""
    return lines


def _is_header_row(line: str) -> bool:
    return any(_is_header_cell(cell) for cell in line.split("\t"))


def _is_header_cell(text: str) -> bool:
    return plain(text).strip(" .:") == HEADER_CELL


def _report_sheets(path: Path) -> list[_Sheet]:
    check_xlsx_archive(path)
    return _read_workbook(*file_state(path))


@lru_cache(maxsize=16)
def _read_workbook(path: Path, size: int, modified: int) -> list[_Sheet]:
    """Every visible sheet with the report's header, read once per file as it is (an import reads each
    file three times: is it a report, its period, its figures)."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        values = openpyxl.load_workbook(path, read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except (OSError, ValueError, KeyError, IndexError, zipfile.BadZipFile, InvalidFileException):
        raise unreadable_xlsx(path) from None
    try:
        found = []
        for shown, kept in zip(values.worksheets, formulas.worksheets, strict=True):
            if getattr(shown, "sheet_state", "visible") != "visible":
                continue
            sheet = _read(shown, kept, path)
            if any(_is_header_cell(c) for cells in sheet.rows for c in cells):
                found.append(sheet)
        return found
    finally:
        values.close()
        formulas.close()


def _read(shown, kept, path: Path) -> _Sheet:
    """A sheet's rows as text (*shown*: its saved values; *kept*: the same sheet with its formulas)."""
    rows, missing = [], []
    for number, (cells, sources) in enumerate(
        zip(shown.iter_rows(min_row=1), kept.iter_rows(min_row=1), strict=False), start=1
    ):
        if number > MAX_ROWS:
            raise too_many_rows(path)
        texts = []
        for cell, source in zip(cells, sources, strict=False):
            if cell.value is None and getattr(source, "data_type", None) == "f":
                missing.append((number, source.column_letter))
            texts.append(cell_text(cell.value, getattr(cell, "number_format", None) or ""))
        rows.append(texts)
    return _Sheet(shown.title, rows, missing)


def cell_text(value: object, number_format: str) -> str:
    """A cell as the report shows it: «5103866», «28.09%» (a number formatted as a percentage, to the
    report's two decimals), «01» (a code formatted with leading zeros), a text on one line."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return _number_text(value, number_format)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return _SPACES.sub(" ", str(value)).strip()


def _number_text(value: int | float, number_format: str) -> str:
    """A number as its format shows it, where that matters to the report: a percentage (the format's «%»
    multiplies by 100; a «%» in quotes or after a backslash is only written after the number) and a code
    with leading zeros (format «00»: subprogram «01», which a plain «1» would not be)."""
    shown = re.sub(r'"[^"]*"|\\.', "", number_format)
    if "%" in shown:
        return f"{value * 100:.2f}%"
    if "%" in number_format:  # the number is the percentage already, and the format writes the sign
        return f"{value:.2f}%"
    whole = isinstance(value, int) or value.is_integer()
    if whole and re.fullmatch(r"0+", shown):
        return f"{int(value):0{len(shown)}d}"
    if whole:
        return str(int(value))
    return f"{value:.15g}"
