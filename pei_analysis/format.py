"""Numbers and dates as the book writes them: 1,367,720 and 34.6%, «30 de abril de 2024».

SICOIN and the PEI use a comma for thousands and a point for decimals; readers compare the book
with those documents, so the book keeps that convention rather than the RAE's.

Rounding: what the book computes is written in whole units (a product counts raciones, consultas,
pagos: «1,234.5 raciones» means nothing) and in percentages with one decimal («33.3% del año»; a
second decimal claims a precision no projection has). Figures quoted from a source keep the
precision the source prints: ``porcentaje_reportado`` (SICOIN's two decimals) in the data and the
downloads, and the PEI's own targets (pei chapter). See SUPUESTOS.md.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from pei_analysis.calendar import MESES

#: What the book prints in place of a missing figure. A display text, not a state: the attainment state
#: of a product without data is :data:`pei_analysis.model.attainment.SIN_DATOS`, a category of the
#: ``estado`` column that happens to read the same; either may change without the other.
MISSING_TEXT = "sin datos"
#: What the book prints for an interval's limit that nothing bounds (an infinite upper limit).
UNBOUNDED_TEXT = "sin límite"


def _missing(value) -> bool:
    return value is None or bool(pd.isna(value))


def fmt_int(value) -> str:
    """1367720 → '1,367,720'; missing → 'sin datos'."""
    if _missing(value):
        return MISSING_TEXT
    return f"{round(float(value)):,}"


#: Decimals of a percentage the book computes (a percentage quoted from a source keeps its own).
PCT_DECIMALS = 1


def fmt_pct(value, decimals: int = PCT_DECIMALS) -> str:
    """34.554 → '34.6%'; missing → 'sin datos'."""
    if _missing(value):
        return MISSING_TEXT
    return f"{float(value):,.{decimals}f}%"


def fmt_date(value: dt.date) -> str:
    """date(2024, 4, 30) → '30 de abril de 2024'."""
    return f"{value.day} de {MESES[value.month - 1]} de {value.year}"


def join_es(items) -> str:
    """A list as Spanish prose: «a», «a y b», «a, b y c» (messages and chapters name years, places,
    products)."""
    items = [str(item) for item in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " y " + items[-1]
