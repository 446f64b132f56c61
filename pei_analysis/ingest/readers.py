"""Readers of the files IGSS hands us: SICOIN extracts (.txt) and the capture template (.csv, .xlsx)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pei_analysis.ingest import sicoin, template


def parse_any(path: str | Path, anio: int, cuatrimestre: int) -> pd.DataFrame:
    """Parse *path* with the reader its extension calls for."""
    path = Path(path)
    if path.suffix.lower() in template.TEMPLATE_SUFFIXES:
        return template.parse(path, anio, cuatrimestre)
    return sicoin.parse(path, anio, cuatrimestre)
