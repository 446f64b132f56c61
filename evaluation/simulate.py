"""Series simuladas realistas para evaluar la proyección (nunca datos del IGSS).

The projection engine is judged on real series (see ``evaluation/``), but real
cuatrimestral series with long histories are scarce, so the backtest and the
speed benchmarks also use simulated ones. They are built month by month, like a
production count, and summed to cuatrimestres (Jan-Apr, May-Aug, Sep-Dec), with
the features that make projection hard: trend and trend changes, seasonality of
varying strength and shape, multiplicative noise, counting noise on small
series, permanent level shifts, outlier years, intermittent zeros and short
histories. Nothing here is presented as data: it only feeds tests and
evaluation.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

MONTHS_PER_CUATRIMESTRE = 4


def simulate_monthly(n_series: int, n_years: int, seed: int = 0) -> np.ndarray:
    """Return an array (n_series, n_years * 12) of non-negative monthly values."""
    return simulate_monthly_parts(n_series, n_years, seed).values


class SimulatedMonths(NamedTuple):
    """The monthly values of the simulated series and what no forecaster sees (same shape).

    ``expected``: what each month was expected to be before its noise (level,
    trend, seasonality, level shifts and outlier years; no monthly noise, no
    counting noise). ``evaluation.profile_bound`` uses it to say how much any
    estimate of the within-year profile can gain.
    """

    values: np.ndarray
    expected: np.ndarray


def simulate_monthly_parts(n_series: int, n_years: int, seed: int = 0) -> SimulatedMonths:
    """The values of :func:`simulate_monthly` (same arguments, same values) with what lies behind them."""
    rng = np.random.default_rng(seed)
    n_months = n_years * 12
    t = np.arange(n_months) / 12.0  # years since start
    month = np.arange(n_months) % 12

    # Level: from tiny counts (a few per month) to large volumes.
    log_level = rng.uniform(np.log(2.0), np.log(2e5), size=(n_series, 1))

    # Trend: yearly growth that drifts (random walk on the growth rate) and sometimes breaks.
    growth0 = rng.normal(0.03, 0.06, size=(n_series, 1))
    growth_steps = rng.normal(0.0, 0.02, size=(n_series, n_years)) * (rng.random((n_series, 1)) < 0.5)
    growth_breaks = rng.normal(0.0, 0.08, size=(n_series, n_years)) * (rng.random((n_series, n_years)) < 0.08)
    yearly_growth = growth0 + np.cumsum(growth_steps + growth_breaks, axis=1)
    log_trend = np.repeat(np.cumsum(yearly_growth, axis=1) - yearly_growth, 12, axis=1)
    # Spread each year's growth over its months so the trend is smooth within the year.
    log_trend = log_trend + np.repeat(yearly_growth, 12, axis=1) * (month / 12.0)

    # Seasonality: 1-2 harmonics of random phase, amplitude from none to strong, slowly evolving.
    amp1 = rng.uniform(0.0, 0.35, size=(n_series, 1))
    amp2 = rng.uniform(0.0, 0.15, size=(n_series, 1))
    ph1 = rng.uniform(0, 2 * np.pi, size=(n_series, 1))
    ph2 = rng.uniform(0, 2 * np.pi, size=(n_series, 1))
    drift = rng.normal(0.0, 0.03, size=(n_series, 1)) * t  # phase drift: the profile changes slowly
    season = amp1 * np.sin(2 * np.pi * month / 12 + ph1 + drift) + amp2 * np.sin(4 * np.pi * month / 12 + ph2)
    # Some series have a year-end push (common in public administration) or a slow January.
    push = (rng.random((n_series, 1)) < 0.2) * rng.uniform(0.1, 0.5, size=(n_series, 1))
    season = season + push * (month == 11) - 0.5 * push * (month == 0)

    # Permanent level shifts (new unit opens, a service closes) and outlier years.
    shifts = rng.normal(0.0, 0.25, size=(n_series, n_years)) * (rng.random((n_series, n_years)) < 0.06)
    log_shift = np.repeat(np.cumsum(shifts, axis=1), 12, axis=1)
    outlier = rng.normal(0.0, 0.2, size=(n_series, n_years)) * (rng.random((n_series, n_years)) < 0.04)
    log_outlier = np.repeat(outlier, 12, axis=1)

    # Multiplicative noise, from smooth administrative counts to erratic ones.
    sigma = rng.uniform(0.02, 0.25, size=(n_series, 1))
    noise = rng.normal(0.0, 1.0, size=(n_series, n_months)) * sigma

    mean = np.exp(log_level + log_trend + season + log_shift + log_outlier + noise)
    expected = np.exp(log_level + log_trend + season + log_shift + log_outlier)
    # Counting noise matters for small series (Poisson on the monthly mean).
    values = rng.poisson(np.minimum(mean, 1e12)).astype(float)
    # Intermittent series: some months report nothing.
    intermittent = rng.random((n_series, 1)) < 0.05
    values[np.broadcast_to(intermittent, values.shape) & (rng.random(values.shape) < 0.3)] = 0.0
    return SimulatedMonths(values, expected)


def monthly_to_cuatrimestres(monthly: np.ndarray) -> np.ndarray:
    """Sum (n_series, n_years*12) monthly values to (n_series, n_years, 3) cuatrimestres."""
    n_series, n_months = monthly.shape
    if n_months % 12:
        raise ValueError("se esperaban años completos de 12 meses")
    return monthly.reshape(n_series, n_months // 12, 3, MONTHS_PER_CUATRIMESTRE).sum(axis=3)


def to_history(cuatrimestres: np.ndarray, first_year: int = 2000, ids=None) -> pd.DataFrame:
    """Long table (serie, anio, cuatrimestre, valor) from a (n_series, n_years, 3) array."""
    n_series, n_years, _ = cuatrimestres.shape
    ids = np.arange(n_series) if ids is None else np.asarray(ids)
    return pd.DataFrame(
        {
            "serie": np.repeat(ids, n_years * 3),
            "anio": np.tile(np.repeat(np.arange(first_year, first_year + n_years), 3), n_series),
            "cuatrimestre": np.tile(np.arange(1, 4), n_series * n_years),
            "valor": cuatrimestres.reshape(-1),
        }
    )


def simulate_history(n_series: int, n_years: int, seed: int = 0, first_year: int = 2000) -> pd.DataFrame:
    """Complete years of simulated cuatrimestral series as a long table."""
    return to_history(monthly_to_cuatrimestres(simulate_monthly(n_series, n_years, seed)), first_year)
