"""Numbers and dates as the source writes them: 1,367,720 and 34.55%, «30 de abril de 2024».

SICOIN and the PEI use a comma for thousands and a point for decimals; readers compare the book
with those documents, so the book keeps that convention rather than the RAE's.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from pei_analysis.calendar import MESES

#: What the book prints in place of a missing figure. A display text, not a state: the attainment state
#: of a product without data is :data:`pei_analysis.model.attainment.SIN_DATOS`, a category of the
#: ``estado`` column that happens to read the same; either may change without the other.
MISSING_TEXT = "sin datos"


def _missing(value) -> bool:
    return value is None or bool(pd.isna(value))


def fmt_int(value) -> str:
    """1367720 → '1,367,720'; missing → 'sin datos'."""
    if _missing(value):
        return MISSING_TEXT
    return f"{round(float(value)):,}"


def fmt_pct(value, decimals: int = 2) -> str:
    """34.554 → '34.55%'; missing → 'sin datos'."""
    if _missing(value):
        return MISSING_TEXT
    return f"{float(value):,.{decimals}f}%"


def fmt_date(value: dt.date) -> str:
    """date(2024, 4, 30) → '30 de abril de 2024'."""
    return f"{value.day} de {MESES[value.month - 1]} de {value.year}"
