"""The inputs of the PEI indicators' progress: the indicators as the PEI gives them and what their cited
observations say up to a date (count, latest value, trend).

Apart from :mod:`pei_analysis.model.indicators` (how progress is judged) because these steps only
summarise the data; the rules of the states change for other reasons than the shape of the inputs.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from pei_analysis.errors import DataError
from pei_analysis.tables.pei import PEI

#: Days of a year on the trend's time axis (leap years averaged).
DAYS_PER_YEAR = 365.25


def indicator_table(pei: PEI | pd.DataFrame) -> pd.DataFrame:
    """The indicator columns this module needs, plus whether the PEI gives yearly milestones."""
    ind = pei.indicadores if hasattr(pei, "indicadores") else pei
    needed = [
        "meta_id",
        "indicador",
        "unidad",
        "meta_tipo",
        "linea_base_valor",
        "linea_base_fecha",
        "meta_valor",
        "meta_anio",
        "sentido",
    ]
    missing = [c for c in needed if c not in ind.columns]
    if missing:
        raise DataError(
            f"a la tabla de indicadores le faltan columnas: {', '.join(missing)}.", field=missing[0]
        )
    ind = ind[needed].copy().reset_index(drop=True)
    ind["meta_tipo"] = ind["meta_tipo"].astype("object").where(ind["meta_tipo"].notna(), None)
    hitos = getattr(pei, "hitos", None)
    ind["tiene_hitos"] = ind["meta_id"].isin(hitos["meta_id"]) if hitos is not None else False
    # «por encima del 25%»: the threshold itself does not meet the meta (optional; absent means inclusive).
    source = pei.indicadores if hasattr(pei, "indicadores") else pei
    strict = source["estricto"].reset_index(drop=True) if "estricto" in source.columns else None
    ind["estricto"] = strict.fillna(False).astype(bool) if strict is not None else False
    return ind


def milestone_shares(pei, table: pd.DataFrame, last_dates: pd.Series) -> np.ndarray:
    """The share of the gap the PEI's own milestones ask for by each latest date (NaN without milestones).

    Milestones are cumulative in meta_valor's terms (the loader checks it), so the share is the last
    milestone whose year has ended by the latest observation over meta_valor, and 0 before the first:
    the plan's own path, where it gives one, instead of a straight line it does not draw.
    """
    shares = np.full(len(table), np.nan)
    hitos = getattr(pei, "hitos", None)
    if hitos is None or hitos.empty:
        return shares
    ends = pd.to_datetime(hitos["anio"].astype("string") + "-12-31")
    for i, (meta_id, valor, last) in enumerate(
        zip(table["meta_id"], table["meta_valor"].astype("float64"), last_dates, strict=True)
    ):
        mine = (hitos["meta_id"] == meta_id).to_numpy()
        if not mine.any() or pd.isna(last) or np.isnan(valor) or valor == 0:
            continue
        passed = hitos.loc[mine & (ends <= last).to_numpy(), "valor"]
        shares[i] = float(passed.max()) / abs(valor) if len(passed) else 0.0
    return shares


def observations_until(observations: pd.DataFrame, as_of: dt.date | None, known: set) -> pd.DataFrame:
    """meta_id, fecha (datetime) and valor (float) of the observations up to ``as_of``."""
    missing = [c for c in ("meta_id", "fecha", "valor") if c not in observations.columns]
    if missing:
        raise DataError(f"a las observaciones les faltan columnas: {', '.join(missing)}.", field=missing[0])
    obs = observations[["meta_id", "fecha", "valor"]].copy()
    obs["fecha"] = pd.to_datetime(obs["fecha"], errors="coerce")
    obs["valor"] = pd.to_numeric(obs["valor"], errors="coerce").astype("float64")
    for field in ("fecha", "valor"):
        bad = obs[field].isna().to_numpy()
        if bad.any():
            i = int(bad.nonzero()[0][0])
            raise DataError(f"observación sin {field} válido.", row=i + 1, field=field)
    unknown = ~obs["meta_id"].isin(known).to_numpy()
    if unknown.any():
        i = int(unknown.nonzero()[0][0])
        raise DataError(
            f"la meta «{obs['meta_id'].iloc[i]}» no es un indicador del PEI.", row=i + 1, field="meta_id"
        )
    if as_of is not None:
        obs = obs[obs["fecha"] <= pd.Timestamp(as_of)]
    return obs


def years(dates: pd.Series) -> pd.Series:
    """Dates as fractional years since 1970: the time axis of the trend (slope per year)."""
    days = (pd.to_datetime(dates) - pd.Timestamp("1970-01-01")) / pd.Timedelta(days=1)
    return days.astype("float64") / DAYS_PER_YEAR


def observation_stats(obs: pd.DataFrame) -> pd.DataFrame:
    """Per meta_id: count, latest value and date, and the least-squares slope (centred, so stable)."""
    columns = [
        "meta_id",
        "n_observaciones",
        "ultimo_valor",
        "ultima_fecha",
        "media_anio",
        "media_valor",
        "pendiente",
    ]
    if obs.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in columns}).astype(
            {"meta_id": "object", "ultima_fecha": "datetime64[us]"}
        )
    obs = obs.sort_values(["meta_id", "fecha"], kind="stable").assign(anio=lambda d: years(d["fecha"]))
    grouped = obs.groupby("meta_id", sort=False)
    obs["dt"] = obs["anio"] - grouped["anio"].transform("mean")
    obs["dy"] = obs["valor"] - grouped["valor"].transform("mean")
    obs["dtdy"] = obs["dt"] * obs["dy"]
    obs["dt2"] = obs["dt"] ** 2
    grouped = obs.groupby("meta_id", sort=False)
    stats = grouped.agg(
        n_observaciones=("valor", "size"),
        ultimo_valor=("valor", "last"),
        ultima_fecha=("fecha", "last"),
        media_anio=("anio", "mean"),
        media_valor=("valor", "mean"),
        sxy=("dtdy", "sum"),
        sxx=("dt2", "sum"),
    )
    # A line needs two distinct dates; with all observations on one date the slope is undefined.
    stats["pendiente"] = np.where(
        stats["sxx"] > 0, stats["sxy"] / stats["sxx"].where(stats["sxx"] > 0), np.nan
    )
    return stats.reset_index()[columns]
