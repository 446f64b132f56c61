"""Readers of the files IGSS hands us: SICOIN reports (the PDF or its text extract, .pdf or .txt) and the
capture template (.csv, .xlsx)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pei_analysis.ingest import sicoin, template
from pei_analysis.ingest.locations import TEMPLATE_SUFFIXES
from pei_analysis.ingest.periods import Statement


def parse_any(path: str | Path, anio: int, cuatrimestre: int | None, *, annual: bool = False) -> pd.DataFrame:
    """Parse *path* with the reader its extension calls for (``annual``: the year's total, no
    cuatrimestre)."""
    path = Path(path)
    if path.suffix.lower() in TEMPLATE_SUFFIXES:
        return template.parse(path, anio, cuatrimestre, annual=annual)
    return sicoin.parse(path, anio, cuatrimestre, annual=annual)


def statements_any(path: str | Path) -> list[Statement]:
    """What *path* says of its period, read by the reader its extension calls for."""
    path = Path(path)
    if path.suffix.lower() in TEMPLATE_SUFFIXES:
        return template.statements(path)
    return sicoin.statements(path)
