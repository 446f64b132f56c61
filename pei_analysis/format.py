"""Numbers and dates as the source writes them: 1,367,720 and 34.55%, «abril de 2024», Q 1,234.50.

SICOIN and the PEI use a comma for thousands and a point for decimals; readers compare the book
with those documents, so the book keeps that convention rather than the RAE's.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from pei_analysis.calendar import MESES

SIN_DATOS = "sin datos"


def _missing(value) -> bool:
    return value is None or bool(pd.isna(value))


def fmt_int(value) -> str:
    """1367720 → '1,367,720'; missing → 'sin datos'."""
    if _missing(value):
        return SIN_DATOS
    return f"{round(float(value)):,}"


def fmt_pct(value, decimals: int = 2) -> str:
    """34.554 → '34.55%'; missing → 'sin datos'."""
    if _missing(value):
        return SIN_DATOS
    return f"{float(value):,.{decimals}f}%"


def fmt_quetzales(value, decimals: int = 2) -> str:
    """39238919512.27 → 'Q 39,238,919,512.27'."""
    if _missing(value):
        return SIN_DATOS
    return f"Q {float(value):,.{decimals}f}"


def fmt_date(value: dt.date) -> str:
    """date(2024, 4, 30) → '30 de abril de 2024'."""
    return f"{value.day} de {MESES[value.month - 1]} de {value.year}"


def fmt_month_year(value: dt.date) -> str:
    """date(2024, 4, 1) → 'abril de 2024'."""
    return f"{MESES[value.month - 1]} de {value.year}"

