"""Líneas base de la evaluación: lo que haría un analista sin el motor.

The engine must beat the simple rules an analyst would otherwise use, or it
is not worth its complexity: the pace so far (×3, ×1.5), the mean historical
within-year share, and statsmodels' Holt-Winters (additive damped trend,
multiplicative seasonality, period 3) fitted per serie on the cuatrimestral
values, the model the engine's smoothing vectorises. Each takes the engine's
input (``serie``, ``anio``, ``cuatrimestre``, ``valor``; the latest year of
each serie is the one to project) and returns the projected totals by serie.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

RITMO = "ritmo"
PARTICIPACION_MEDIA = "participación media"
HOLT_WINTERS = "Holt-Winters"


def _split(history: pd.DataFrame):
    last = history.groupby("serie", sort=False)["anio"].transform("max")
    current = history[history["anio"] == last]
    past = history[history["anio"] < last]
    return current, past


def pace_baseline(history: pd.DataFrame) -> pd.Series:
    """Observed so far × 3 / cuatrimestres observed, per serie."""
    current, _ = _split(history)
    g = current.groupby("serie", sort=False)["valor"]
    return g.sum() * 3.0 / g.size()


def mean_share_baseline(history: pd.DataFrame) -> pd.Series:
    """Observed so far / mean share of the year reached by this point in past years (NaN without history)."""
    current, past = _split(history)
    k = current.groupby("serie", sort=False)["cuatrimestre"].max()
    observed = current.groupby("serie", sort=False)["valor"].sum()
    kk = past["serie"].map(k)
    part = past["valor"].where(past["cuatrimestre"] <= kk, 0.0)
    yearly = pd.DataFrame(
        {"serie": past["serie"], "anio": past["anio"], "part": part, "total": past["valor"]}
    )
    yearly = yearly.groupby(["serie", "anio"], sort=False)[["part", "total"]].sum()
    yearly = yearly[yearly["total"] > 0]
    share = (yearly["part"] / yearly["total"]).groupby(level="serie", sort=False).mean()
    with np.errstate(divide="ignore", invalid="ignore"):
        return observed / share.reindex(observed.index)


def holt_winters_baseline(history: pd.DataFrame) -> pd.Series:
    """statsmodels Holt-Winters fitted per serie on its cuatrimestral values (a per-serie loop, on purpose).

    Additive damped trend, multiplicative seasonality of period 3; the forecast
    of the missing cuatrimestres is added to what was observed. NaN where the
    model cannot be fitted (fewer than two years, or zeros for the
    multiplicative seasonality).
    """
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    ordered = history.sort_values(["serie", "anio", "cuatrimestre"], kind="stable")
    out = {}
    for serie, g in ordered.groupby("serie", sort=False):
        y = g["valor"].to_numpy(dtype=float)
        last = g["anio"].to_numpy() == g["anio"].max()
        k = int(last.sum())
        observed = y[last].sum()
        value = np.nan
        if len(y) >= 6 and (y > 0).all():
            with warnings.catch_warnings():
                # Short series make the optimiser complain (ConvergenceWarning etc.): the fit is used as is.
                warnings.simplefilter("ignore")
                try:
                    model = ExponentialSmoothing(
                        y,
                        trend="add",
                        damped_trend=True,
                        seasonal="mul",
                        seasonal_periods=3,
                        initialization_method="estimated",
                    ).fit()
                    forecast = np.asarray(model.forecast(3 - k), dtype=float)
                    if np.isfinite(forecast).all():
                        value = observed + forecast.sum()
                except (ValueError, np.linalg.LinAlgError):
                    value = np.nan
        out[serie] = value
    return pd.Series(out, dtype=float)


BASELINE_FUNCTIONS = {
    RITMO: pace_baseline,
    PARTICIPACION_MEDIA: mean_share_baseline,
    HOLT_WINTERS: holt_winters_baseline,
}
