"""Readers of the files IGSS hands us: SICOIN reports (the PDF, its workbook or its text extract: .pdf,
.xlsx or .txt) and the capture template (.csv, .xlsx).

An .xlsx is either: the report's table (a sheet with its «PRODUCTOS» column header,
:mod:`pei_analysis.ingest.sicoin_sheet`) or the template (one row per product under the template's
column names)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pei_analysis.errors import DataError
from pei_analysis.ingest import sicoin, template
from pei_analysis.ingest.locations import TEMPLATE_SUFFIXES
from pei_analysis.ingest.periods import Statement
from pei_analysis.ingest.sheet_cells import read_rows
from pei_analysis.ingest.sicoin_sheet import holds_report, read_sheet


def parse_any(path: str | Path, anio: int, cuatrimestre: int | None, *, annual: bool = False) -> pd.DataFrame:
    """Parse *path* with the reader its extension calls for (``annual``: the year's total, no
    cuatrimestre)."""
    path = Path(path)
    if is_template(path):
        return template.parse(path, anio, cuatrimestre, annual=annual)
    return sicoin.parse(path, anio, cuatrimestre, annual=annual)


def statements_any(path: str | Path) -> list[Statement]:
    """What *path* says of its period, read by the reader its extension calls for."""
    path = Path(path)
    if is_template(path):
        return template.statements(path)
    return sicoin.statements(path)


def is_template(path: str | Path) -> bool:
    """Whether *path* is read as the capture template: a CSV, or an .xlsx without the report's table."""
    return Path(path).suffix.lower() in TEMPLATE_SUFFIXES and not holds_report(path)


def sheet_rows(path: str | Path) -> int | None:
    """How many rows the workbook at *path* has where it is read: the report's sheet, or the template's
    first sheet; None if it cannot be read."""
    try:
        return len(read_sheet(path).lines) if holds_report(path) else len(read_rows(Path(path)))
    except DataError:
        return None
