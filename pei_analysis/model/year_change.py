"""The change from last year in a few numbers: how many products rose, how many fell, by how much.

Why: the comparison with earlier years is a table of 36 products × 3 years × 2 figures; a director reads
one line of it. The line compares the months so far this year (January to the end of the edition's
cuatrimestre) with the same months of the most recent earlier year that has them for some product, and
names the steepest falls. Numbers and codes only: the words are the execution chapter's.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pei_analysis.model.history import COMPARABLE
from pei_analysis.tables.poa import PRODUCT_KEY

#: How many of the steepest falls the summary names.
FALLS_SHOWN = 3


@dataclass(frozen=True)
class ChangeSummary:
    """This year's months so far against the same months of *anio_anterior*, over the products that have
    both figures (``comparados``). ``cambio_pct_mediano`` is the median change as % of last year's figure,
    over the products whose figure was above zero (NaN when none was). ``caidas`` are the products that
    fell most, in % (the rows of the comparison, steepest first). ``en_cero`` counts the products with
    nothing executed in either year, apart from ``iguales``: «the same» would read as steady production."""

    anio_anterior: int
    comparados: int
    suben: int
    bajan: int
    iguales: int
    cambio_pct_mediano: float
    caidas: pd.DataFrame
    en_cero: int = 0


def change_summary(comparison: pd.DataFrame, shown: int = FALLS_SHOWN) -> ChangeSummary | None:
    """The summary of *comparison* (:func:`pei_analysis.model.history.same_period`) against the most recent
    earlier year with a comparable year-to-date figure; None when no earlier year has one."""
    if comparison.empty:
        return None
    usable = comparison[(comparison["dato"] == COMPARABLE) & comparison["acumulado_anterior"].notna()]
    usable = usable[usable["acumulado"].notna()]
    if usable.empty:
        return None
    year = int(usable["anio_anterior"].max())
    rows = usable[usable["anio_anterior"] == year].drop_duplicates(PRODUCT_KEY)
    change = rows["cambio_acumulado"]
    zero = (rows["acumulado"] == 0) & (rows["acumulado_anterior"] == 0)
    falls = rows[change < 0].sort_values(["cambio_acumulado_pct", "cambio_acumulado"], kind="stable")
    return ChangeSummary(
        anio_anterior=year,
        comparados=len(rows),
        suben=int((change > 0).sum()),
        bajan=int((change < 0).sum()),
        iguales=int(((change == 0) & ~zero).sum()),
        cambio_pct_mediano=float(rows["cambio_acumulado_pct"].median()),
        caidas=falls.head(shown).reset_index(drop=True),
        en_cero=int(zero.sum()),
    )
