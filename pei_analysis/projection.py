"""Proyección al cierre del año de la producción de cada serie (versión inicial).

Contract: :func:`project_year_end` takes cuatrimestral values and returns, per
serie, the projected year total with a central prediction interval and the name
of the method used. This first version only implements the no-history method
(the pace so far); the engine with history is being written.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pei_analysis.errors import DataError

INPUT_COLUMNS = ("serie", "anio", "cuatrimestre", "valor")
OUTPUT_COLUMNS = ("serie", "anio", "proyeccion", "limite_inferior", "limite_superior", "metodo")


def project_year_end(history: pd.DataFrame, level: float = 0.8) -> pd.DataFrame:
    """Project each serie's total for its latest year (pace so far, no interval yet)."""
    if not isinstance(history, pd.DataFrame):
        raise DataError("se esperaba una tabla (DataFrame) con serie, anio, cuatrimestre y valor")
    missing = [c for c in INPUT_COLUMNS if c not in history.columns]
    if missing:
        raise DataError("faltan columnas en la historia: " + ", ".join(missing), field=missing[0])
    if len(history) == 0:
        return pd.DataFrame({c: pd.Series(dtype=object if c in ("serie", "metodo") else float) for c in OUTPUT_COLUMNS})
    codes, uniques = pd.factorize(history["serie"])
    anio = history["anio"].to_numpy()
    cuat = history["cuatrimestre"].to_numpy()
    valor = history["valor"].to_numpy(dtype=float)
    last = pd.Series(anio).groupby(codes).max().to_numpy()
    current = anio == last[codes]
    n_obs = np.bincount(codes[current], minlength=len(uniques))
    observed = np.bincount(codes[current], weights=valor[current], minlength=len(uniques))
    factor = np.where(n_obs == 1, 3.0, np.where(n_obs == 2, 1.5, 1.0))
    proy = observed * factor
    del cuat
    return pd.DataFrame(
        {
            "serie": uniques,
            "anio": last.astype(int),
            "proyeccion": proy,
            "limite_inferior": np.full(len(uniques), np.nan),
            "limite_superior": np.full(len(uniques), np.nan),
            "metodo": "ritmo (sin intervalo aún)",
        }
    )
