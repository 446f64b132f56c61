"""The cells of a capture template as text: a CSV as Excel saves it, or the first sheet of an XLSX.

Reading a spreadsheet is its own trade (delimiters, encodings, the CSV module's global cell limit,
formulas hiding behind values, sizes bounded before parsing); what the cells mean is
:mod:`pei_analysis.ingest.template`'s.
"""

from __future__ import annotations

import contextlib
import csv
import io
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from pei_analysis.errors import DataError
from pei_analysis.files import read_text
from pei_analysis.ingest.limits import (
    MAX_FIELD,
    MAX_ROWS,
    check_file_size,
    check_text,
    check_xlsx_archive,
    too_many_rows,
    unreadable_xlsx,
)
from pei_analysis.spreadsheet import is_formula, restore

#: The longest CSV cell the reader parses (Python's default, 128 KiB); longer is refused as unreadable.
CSV_FIELD_LIMIT = 131_072


@contextlib.contextmanager
def _csv_field_limit(limit: int = CSV_FIELD_LIMIT):
    """Read with the reader's own cell limit, whatever another library set for the whole process.

    ``csv.field_size_limit`` is global, and a library imported in the same process may raise it
    (frictionless does, on import): the refusal of a huge cell must not depend on what else was imported.
    """
    previous = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def read_rows(path: Path) -> list[list[str]]:
    """Every row of the template as text cells, reading at most :data:`MAX_ROWS` rows."""
    if path.suffix.lower() == ".xlsx":
        check_xlsx_archive(path)
        try:
            return _xlsx_rows(path)
        except DataError:
            raise  # a refusal of its own (too many rows, a cell too long): a ValueError, but said already
        except (OSError, ValueError, KeyError, IndexError, zipfile.BadZipFile, InvalidFileException):
            raise unreadable_xlsx(path) from None
    check_file_size(path)
    text = read_text(path)
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = []
    try:
        with _csv_field_limit():
            for row in reader:
                rows.append([c.strip() for c in row])
                if len(rows) > MAX_ROWS:
                    raise too_many_rows(path)
    except csv.Error as exc:
        raise DataError(
            f"la línea {reader.line_num} no se puede leer como CSV ({exc}); ningún texto puede pasar de "
            f"{MAX_FIELD:,} caracteres.",
            path=path,
            line=reader.line_num,
        ) from None
    return rows


def _xlsx_rows(path: Path) -> list[list[str]]:
    """The first sheet's cells as text, in read-only mode (streamed, not the whole sheet in memory).

    A formula cell becomes its formula text («=…»), so :func:`check_cells` refuses it like a typed one.
    """
    book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        rows = []
        for row in book.worksheets[0].iter_rows():
            rows.append([_xlsx_cell_text(cell) for cell in row])
            if len(rows) > MAX_ROWS:
                raise too_many_rows(path)
        return rows
    finally:
        book.close()


def _xlsx_cell_text(cell) -> str:
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    text = _cell_text(value)
    if getattr(cell, "data_type", None) == "f" and not text.startswith("="):
        text = "=" + text
    return text


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def check_cells(rows: list[list[str]], path: Path) -> list[list[str]]:
    """Refuse a formula or an oversize text in any cell (row 1 is the header); undo the writer's quotes."""
    header = rows[0]
    for number, cells in enumerate(rows, start=1):
        for index, text in enumerate(cells):
            if not text:
                continue
            column = (header[index] if index < len(header) else "") or f"columna {index + 1}"
            if is_formula(text):
                raise DataError(
                    f"la celda tiene una fórmula («{text}»); la plantilla solo admite valores escritos. "
                    "Copie la columna y péguela como valores.",
                    path=path,
                    row=number,
                    field=column,
                )
            if len(text) > MAX_FIELD:
                check_text(text, path=path, row=number, field=column)
    return [[restore(text) for text in cells] for cells in rows]
