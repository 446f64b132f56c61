"""How the projection engine would have done in earlier years: its projection against what happened.

Why: a reader deciding how far to trust this year's projection needs the engine's record on the
same products. For every earlier complete year, the engine (``project_year_end``) is run at the
edition's cuatrimestre with only the data that existed then (that year's first cuatrimestres and
the complete years before it, exactly what an edition of that period would have seen, through
:func:`pei_analysis.model.edition.projection_history`), and its point and interval are compared
with the year's real total. The pace so far (×3 after one cuatrimestre) is scored alongside, as
the baseline the engine must beat. Numbers only; :mod:`pei_analysis.chapters.proyeccion` writes them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pei_analysis.model import edition as report
from pei_analysis.model.projection import METHOD_COLUMNS
from pei_analysis.tables.poa import PRODUCT_KEY

#: Columns of :func:`projection_record`.
RECORD_COLUMNS = [
    PRODUCT_KEY,
    "producto",
    "programa",
    "descripcion",
    "anio",
    "cuatrimestre",
    "observado",
    "proyeccion",
    "limite_inferior",
    "limite_superior",
    *METHOD_COLUMNS,
    "real",
    "error_pct",
    "dentro_del_intervalo",
    "ritmo",
    "error_ritmo_pct",
]


def record_cuatrimestres(cuatrimestre: int) -> tuple[int, ...]:
    """The cuatrimestres at which earlier years are re-projected: the edition's own, or 1 and 2 when the
    edition's year is complete (a complete year needs no projection)."""
    return (cuatrimestre,) if cuatrimestre < 3 else (1, 2)


def complete_years(poa: pd.DataFrame, anio: int) -> list[int]:
    """Years before *anio* whose three cuatrimestres are all in the data, oldest first."""
    past = poa[poa["anio"] < anio]
    seen = past.groupby("anio")["cuatrimestre"].nunique()
    return sorted(int(y) for y in seen[seen == 3].index)


def _one_year(
    poa: pd.DataFrame, year: int, k: int, level: float, annual: pd.DataFrame | None
) -> pd.DataFrame:
    """The engine's projection of *year* after *k* cuatrimestres, against the year's real total (the
    products it could not project then are left out: nothing to score)."""
    known = poa[(poa["anio"] < year) | ((poa["anio"] == year) & (poa["cuatrimestre"] <= k))]
    history = report.projection_history(known, year, k, annual)  # only totals of years before *year* enter
    projected = report.published_projection(history, level)
    projected = projected[projected["proyeccion"].notna()]
    rows = poa[poa["anio"] == year]
    whole = rows.groupby(PRODUCT_KEY).agg(real=("ejecutado", "sum"), vistos=("cuatrimestre", "nunique"))
    so_far = rows[rows["cuatrimestre"] <= k].groupby(PRODUCT_KEY)["ejecutado"].sum().rename("observado")
    described = rows[rows["cuatrimestre"] == k]
    keys = list(dict.fromkeys([PRODUCT_KEY, "producto", "programa", "descripcion"]))
    out = described[keys].merge(
        projected[[PRODUCT_KEY, "proyeccion", "limite_inferior", "limite_superior", *METHOD_COLUMNS]],
        on=PRODUCT_KEY,
        how="inner",
    )
    out = out.merge(whole[whole["vistos"] == 3][["real"]], left_on=PRODUCT_KEY, right_index=True, how="inner")
    out = out.merge(so_far, left_on=PRODUCT_KEY, right_index=True, how="left")
    out.insert(len(keys), "anio", year)
    out.insert(len(keys) + 1, "cuatrimestre", k)
    out["ritmo"] = out["observado"] * 3.0 / k
    return out


def projection_record(
    poa: pd.DataFrame, anio: int, cuatrimestre: int, level: float = 0.8, annual: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per product and earlier complete year: what the engine would have projected at the same
    cuatrimestre, the real total, ``error_pct`` (signed, % of the real total), whether the real total
    fell inside the interval, and the same error for the pace so far (``error_ritmo_pct``).

    Products without the whole year (they appeared or disappeared during it) are left out: there is
    no real total to compare. Empty (with the columns) when there is no earlier complete year.
    *annual*: the years known only by their total, which the engine saw then as it sees them now.
    """
    frames = [
        _one_year(poa, year, k, level, annual)
        for year in complete_years(poa, anio)
        for k in record_cuatrimestres(cuatrimestre)
    ]
    if not frames:
        return pd.DataFrame(
            {
                c: pd.Series(dtype=object if c in (PRODUCT_KEY, *METHOD_COLUMNS) else float)
                for c in dict.fromkeys(RECORD_COLUMNS)
            }
        )
    record = pd.concat(frames, ignore_index=True)
    real = record["real"].astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        record["error_pct"] = np.where(real > 0, (record["proyeccion"] - real) * 100.0 / real, np.nan)
        record["error_ritmo_pct"] = np.where(real > 0, (record["ritmo"] - real) * 100.0 / real, np.nan)
    record["dentro_del_intervalo"] = (record["limite_inferior"] <= real) & (real <= record["limite_superior"])
    return record[list(dict.fromkeys(RECORD_COLUMNS))].reset_index(drop=True)


def _summarise(grouped) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "proyecciones": grouped.size(),
            "error_mediano_pct": grouped["error_pct"].apply(
                lambda e: float(np.nanmedian(np.abs(e))) if e.notna().any() else np.nan
            ),
            "cobertura_pct": grouped["dentro_del_intervalo"].mean() * 100.0,
            "error_ritmo_mediano_pct": grouped["error_ritmo_pct"].apply(
                lambda e: float(np.nanmedian(np.abs(e))) if e.notna().any() else np.nan
            ),
        }
    )


def record_by_product(record: pd.DataFrame) -> pd.DataFrame:
    """Per product: how many earlier years were projected, the median absolute error (engine and pace so
    far) and the share of real totals inside the interval (``cobertura_pct``)."""
    keys = list(dict.fromkeys([PRODUCT_KEY, "producto", "programa", "descripcion"]))
    last = record.sort_values("anio", kind="stable").groupby(PRODUCT_KEY).tail(1)[keys]
    stats = _summarise(record.groupby(PRODUCT_KEY))
    return (
        last.merge(stats, left_on=PRODUCT_KEY, right_index=True)
        .sort_values(PRODUCT_KEY, kind="stable")
        .reset_index(drop=True)
    )


def record_overall(record: pd.DataFrame) -> pd.DataFrame:
    """One row per earlier year and cuatrimestre plus a last row for all of them (``anio`` empty): the
    median absolute error of the engine and of the pace so far, and the interval's coverage."""
    by_year = _summarise(record.groupby(["anio", "cuatrimestre"])).reset_index()
    overall = _summarise(record.assign(todo=0).groupby("todo")).reset_index(drop=True)
    overall.insert(0, "anio", pd.NA)
    overall.insert(1, "cuatrimestre", pd.NA)
    by_year["anio"] = by_year["anio"].astype(object)
    by_year["cuatrimestre"] = by_year["cuatrimestre"].astype(object)
    return pd.concat([by_year, overall], ignore_index=True)
