"""Small histories for the engine's tests, written as the analyst would lay them out."""

from __future__ import annotations

import numpy as np
import pandas as pd


def rows(serie, years, profile, current):
    """Long rows: complete years with the given profile (scaled per year), then the current values."""
    out = []
    for year, scale in years:
        out += [(serie, year, q + 1, v * scale) for q, v in enumerate(profile)]
    last = max(y for y, _ in years) + 1 if years else 2024
    out += [(serie, last, q + 1, v) for q, v in enumerate(current)]
    return out


def frame(records):
    return pd.DataFrame(records, columns=["serie", "anio", "cuatrimestre", "valor"])


def cut(full: pd.DataFrame, observed) -> pd.DataFrame:
    """Keep only the first ``observed`` cuatrimestres of each serie's latest year (a number, or one per
    serie)."""
    last = full.groupby("serie")["anio"].transform("max")
    keep = full["anio"] < last
    keep |= full["cuatrimestre"] <= (observed if np.isscalar(observed) else full["serie"].map(observed))
    return full[keep].reset_index(drop=True)
