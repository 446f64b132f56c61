"""The checks of a report against what data/ already holds: its kind of figures and each product's history.

Told «periodo», figures that look cumulative are refused (and the reverse); cumulative figures become
the cuatrimestre's own by subtracting the earlier cuatrimestres of the year; a product missing from a
later cuatrimestre of the same year is refused; a figure wildly out of line with the product's usual
level is refused. Every comparison is by catalogue key (``PRODUCT_KEY``), so a product the report
renumbered is compared with itself. Split from ``importer.py``, which orders the batch and writes it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pei_analysis.errors import DataError
from pei_analysis.ingest.locations import location
from pei_analysis.tables.poa import PRODUCT_KEY

#: Told "periodo", a median ratio to the previous cuatrimestre at or above this looks cumulative.
CUMULATIVE_RATIO = 1.6

#: Told "acumulado", a median ratio to the sum of earlier cuatrimestres below this looks like a period figure.
PERIOD_RATIO = 1.2

#: Default guard: a product whose figure is this many times above (or below) its usual level is refused.
OUTLIER_FACTOR = 5.0

#: The guard ignores products whose usual level is below this (small counts swing a lot).
OUTLIER_MIN_LEVEL = 50


def to_period_figures(new: pd.DataFrame, existing: pd.DataFrame, cifras: str, source: Path) -> pd.DataFrame:
    """Return *new* with ``ejecutado`` as the cuatrimestre's own production.

    Cumulative figures (January to the end of the cuatrimestre) become period figures by
    subtracting the earlier cuatrimestres of the same year, which must all be in data/.
    """
    new = new.copy()
    new["cifras_origen"] = cifras
    if cifras == "periodo":
        return new
    anio, cuatrimestre = int(new["anio"].iloc[0]), int(new["cuatrimestre"].iloc[0])
    earlier = existing[(existing["anio"] == anio) & (existing["cuatrimestre"] < cuatrimestre)]
    have = sorted(set(earlier["cuatrimestre"]))
    if have != list(range(1, cuatrimestre)):
        raise DataError(
            f"para convertir cifras acumuladas del cuatrimestre {cuatrimestre} hacen falta los cuatrimestres "
            f"anteriores de {anio} en los datos, y solo están: {have or 'ninguno'}.",
            path=source,
            field="--cifras",
        )
    before = earlier.groupby(PRODUCT_KEY)["ejecutado"].sum()
    prior = new[PRODUCT_KEY].map(before).fillna(0).astype("int64")
    period = new["ejecutado"] - prior
    negative = period < 0
    if negative.any():
        row = new[negative].iloc[0]
        raise DataError(
            f"producto {row['producto']}: el acumulado {row['ejecutado']:,} es menor que lo ya reportado en "
            f"los cuatrimestres anteriores ({prior[negative].iloc[0]:,}); ¿son cifras del período?",
            path=source,
            **location(source, row["linea_origen"]),
            field="ejecutado",
        )
    new["ejecutado"] = period
    return new


def check_period_or_cumulative(raw: pd.DataFrame, existing: pd.DataFrame, cifras: str, source: Path) -> None:
    """Catch cumulative figures imported as period figures, and the reverse, where the data shows it."""
    anio, cuatrimestre = int(raw["anio"].iloc[0]), int(raw["cuatrimestre"].iloc[0])
    earlier = existing[(existing["anio"] == anio) & (existing["cuatrimestre"] < cuatrimestre)]
    if earlier.empty:
        return
    if cifras == "periodo":
        last = earlier[earlier["cuatrimestre"] == earlier["cuatrimestre"].max()]
        previous = last.set_index(PRODUCT_KEY)["ejecutado"]
        ratio = _median_ratio(raw, previous)
        if ratio is not None and ratio >= CUMULATIVE_RATIO:
            raise DataError(
                f"las cifras parecen acumuladas desde enero: la mediana de ejecutado es {ratio:.1f} veces "
                "la del cuatrimestre anterior. Si lo son, importe con --cifras acumulado.",
                path=source,
                field="ejecutado",
            )
    else:
        previous = earlier.groupby(PRODUCT_KEY)["ejecutado"].sum()
        ratio = _median_ratio(raw, previous)
        if ratio is not None and ratio < PERIOD_RATIO:
            raise DataError(
                f"las cifras no parecen acumuladas: la mediana de ejecutado es solo {ratio:.2f} "
                "veces lo reportado en los cuatrimestres anteriores. Si son del período, "
                "importe con --cifras periodo.",
                path=source,
                field="ejecutado",
            )


def _median_ratio(new: pd.DataFrame, previous: pd.Series) -> float | None:
    prev = new[PRODUCT_KEY].map(previous)
    usable = (prev >= OUTLIER_MIN_LEVEL) & (new["ejecutado"] > 0)
    if usable.sum() < 3:
        return None
    return float((new.loc[usable, "ejecutado"] / prev[usable]).median())


def check_same_year_products(new: pd.DataFrame, existing: pd.DataFrame, source: Path) -> None:
    """Refuse a report that lacks a product an earlier cuatrimestre of the same year had.

    Between years a product may disappear (the catalogue keeps it); within a year the report lists the
    same products every cuatrimestre, so a missing one is a cut file or a template row deleted.
    """
    anio, cuatrimestre = int(new["anio"].iloc[0]), int(new["cuatrimestre"].iloc[0])
    earlier = existing[(existing["anio"] == anio) & (existing["cuatrimestre"] < cuatrimestre)]
    if earlier.empty:
        return
    last = earlier[earlier["cuatrimestre"] == earlier["cuatrimestre"].max()]
    missing = last[~last[PRODUCT_KEY].isin(new[PRODUCT_KEY])].sort_values("producto")
    if not missing.empty:
        raise DataError(
            f"faltan productos que estaban en {anio}, cuatrimestre {int(last['cuatrimestre'].iloc[0])}: "
            f"{', '.join(str(int(p)) for p in missing['producto'])}. Un producto sin producción va con 0.",
            path=source,
            field="producto",
        )


def check_same_year_numbers(new: pd.DataFrame, existing: pd.DataFrame, source: Path) -> None:
    """Refuse a report that numbers a product otherwise than the other cuatrimestres of its year do.

    Between years the numbers shift (the catalogue key follows the product); within a year the POA lists
    the same products in the same order every cuatrimestre, and the catalogue keeps one number per product
    and year. A template written from another year's products is what gets here: importing it would leave
    the year's report numbers pointing at two different products.
    """
    anio, cuatrimestre = int(new["anio"].iloc[0]), int(new["cuatrimestre"].iloc[0])
    same_year = existing[(existing["anio"] == anio) & (existing["cuatrimestre"] != cuatrimestre)]
    if same_year.empty:
        return
    other = same_year[same_year["cuatrimestre"] == same_year["cuatrimestre"].max()]
    number = other.set_index(PRODUCT_KEY)["producto"]
    was = new[PRODUCT_KEY].map(number)
    moved = new[was.notna() & (was != new["producto"])]
    if moved.empty:
        return
    row = moved.iloc[0]
    c = int(other["cuatrimestre"].iloc[0])
    raise DataError(
        f"el producto {int(row['producto'])} ({row[PRODUCT_KEY]}) es el {int(was[row.name])} en {anio}, "
        f"cuatrimestre {c}: en un año cada producto conserva su número en todos los cuatrimestres "
        f"({len(moved)} {'cambia' if len(moved) == 1 else 'cambian'} aquí). Si es una plantilla, escríbala "
        f"de nuevo con «pei-analysis plantilla --anio {anio} --cuatrimestre {cuatrimestre}», que trae los "
        f"números de {anio}.",
        path=source,
        **location(source, row["linea_origen"]),
        field="producto",
    )


def check_outliers(
    new: pd.DataFrame, existing: pd.DataFrame, factor: float, source: Path, found: list | None = None
) -> None:
    """Refuse an ejecutado *factor* times above or below the product's median earlier cuatrimestre.

    With a *found* list (a review, ``importar --revisar``), every product out of line is added to it and
    nothing is raised: a year like 2020, when many services fell at once, shows all its products in one
    review, and the analyst decides between fixing figures and ``--factor-atipicos`` knowing them all.
    """
    if not factor or existing.empty:
        return
    usual = existing.groupby(PRODUCT_KEY)["ejecutado"].median()
    level = new[PRODUCT_KEY].map(usual)
    known = level >= OUTLIER_MIN_LEVEL
    high = known & (new["ejecutado"] > factor * level)
    low = known & (new["ejecutado"] * factor < level)
    wild = high | low
    refusals = [
        DataError(
            f"producto {row['producto']}: ejecutado {row['ejecutado']:,} está fuera de línea con su historia "
            f"(mediana por cuatrimestre {typical:,.0f}; se admite hasta {factor:g} veces más o menos). "
            "Revise la cifra, o ajuste la guardia con --factor-atipicos.",
            path=source,
            **location(source, row["linea_origen"]),
            field="ejecutado",
        )
        for (_, row), typical in zip(new[wild].iterrows(), level[wild], strict=True)
    ]
    if found is not None:
        found.extend(refusals)
    elif refusals:
        raise refusals[0]
