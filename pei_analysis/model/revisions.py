"""What changed since the previous edition, and how earlier editions' projections fared.

Each edition projects the year-end from the data it had. Readers who saw the previous edition
need to know which products changed status and how much each projection moved; once the year
is complete, everyone needs the track record: each edition's projection against the real
year-end. Both are recomputed from data/ (an edition only ever sees data up to its own period,
see :func:`pei_analysis.model.edition.projection_history`), so they agree with what was published as
long as code and parameters are unchanged, which the editions' fingerprints record.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pei_analysis.calendar import edition_id, previous_period
from pei_analysis.model import attainment
from pei_analysis.model import edition as report
from pei_analysis.model.projection import METHOD_COLUMNS
from pei_analysis.tables.poa import PRODUCT_KEY


def _projection_table(
    poa, anio, cuatrimestre, thresholds, level, known: dict | None, annual=None
) -> pd.DataFrame:
    """``projection_table`` of one period, taken from *known* when already computed (and added to it)."""
    if known is not None and (anio, cuatrimestre) in known:
        return known[(anio, cuatrimestre)]
    table = report.projection_table(poa, anio, cuatrimestre, thresholds, level, annual)
    if known is not None:
        known[(anio, cuatrimestre)] = table
    return table


def changes_since_previous(
    poa: pd.DataFrame,
    anio: int,
    cuatrimestre: int,
    thresholds: attainment.Thresholds | None = None,
    level: float = 0.8,
    *,
    known: dict | None = None,
    annual: pd.DataFrame | None = None,
) -> pd.DataFrame | None:
    """One row per product: previous and new projection and status; None when there is no previous edition.

    ``revision_pct`` is the change of the projected year-end total, as a percentage of the previous
    projection; ``cambio_estado`` is True where the semáforo changed. *known* holds projection
    tables already computed with the same data and parameters, by (anio, cuatrimestre), so the
    edition dataset runs the engine once per period.
    """
    previous = previous_period(anio, cuatrimestre)
    if previous is None:
        return None
    have = set(zip(poa["anio"], poa["cuatrimestre"], strict=True))
    if previous not in have:
        return None
    before = _projection_table(poa, *previous, thresholds, level, known, annual)
    now = _projection_table(poa, anio, cuatrimestre, thresholds, level, known, annual)
    keep = [PRODUCT_KEY, "proyeccion", "limite_inferior", "limite_superior", "pct_proyectado", "estado"]
    shown = list(dict.fromkeys(["producto", PRODUCT_KEY, "programa", "descripcion", "programado", *keep[1:]]))
    table = now[shown].merge(  # by catalogue key: a renumbered product is compared with itself
        before[keep], on=PRODUCT_KEY, how="left", suffixes=("", "_anterior"), validate="one_to_one"
    )
    old = table["proyeccion_anterior"].astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        table["revision_pct"] = np.where(old > 0, (table["proyeccion"] - old) * 100.0 / old, np.nan)
    table["cambio_estado"] = table["estado"] != table["estado_anterior"]
    return table.sort_values("producto", kind="stable").reset_index(drop=True)


def track_record(
    poa: pd.DataFrame,
    anio: int,
    thresholds: attainment.Thresholds | None = None,
    level: float = 0.8,
    *,
    known: dict | None = None,
    annual: pd.DataFrame | None = None,
) -> pd.DataFrame | None:
    """Each earlier edition's projection of *anio* against the real year-end; None until the year is complete.

    Each row keeps the engine's codes of how it was projected (``METHOD_COLUMNS``), so the record can be
    read by method; :mod:`pei_analysis.chapters.methods` names them.

    *known*: projection tables already computed, as in :func:`changes_since_previous`; *annual*: the earlier
    years known only by their total (``edition.projection_history``).
    """
    year = poa[poa["anio"] == anio]
    if set(year["cuatrimestre"]) != {1, 2, 3}:
        return None
    real = year.groupby(PRODUCT_KEY)["ejecutado"].sum().rename("real")
    rows = []
    for cuatrimestre in (1, 2):
        table = _projection_table(poa, anio, cuatrimestre, thresholds, level, known, annual)
        shown = list(
            dict.fromkeys(
                [
                    "producto",
                    PRODUCT_KEY,
                    "programa",
                    "descripcion",
                    "proyeccion",
                    "limite_inferior",
                    "limite_superior",
                    *METHOD_COLUMNS,
                ]
            )
        )
        table = table.loc[table["proyeccion"].notna(), shown]  # a product not projected has nothing to score
        table = table.merge(real, left_on=PRODUCT_KEY, right_index=True, how="left")
        table.insert(0, "edicion", edition_id(anio, cuatrimestre))
        rows.append(table)
    record = pd.concat(rows, ignore_index=True)
    actual = record["real"].astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        record["error_pct"] = np.where(actual > 0, (record["proyeccion"] - actual) * 100.0 / actual, np.nan)
    record["dentro_del_intervalo"] = (record["limite_inferior"] <= actual) & (
        actual <= record["limite_superior"]
    )
    return record


def track_record_summary(record: pd.DataFrame) -> pd.DataFrame:
    """Per edition: products, median absolute % error of the year total, and interval coverage."""
    grouped = record.groupby("edicion", sort=True)
    return pd.DataFrame(
        {
            "productos": grouped.size(),
            "error_mediano_pct": grouped["error_pct"].apply(lambda e: float(np.nanmedian(np.abs(e)))),
            "cobertura_pct": grouped["dentro_del_intervalo"].mean() * 100.0,
        }
    ).reset_index()


def status_changed(changes: pd.DataFrame | None) -> pd.DataFrame:
    """The rows of *changes* whose semáforo changed (none when there is no previous edition)."""
    if changes is None:
        return pd.DataFrame()
    return changes[changes["cambio_estado"]].reset_index(drop=True)
