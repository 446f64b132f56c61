"""Suavizado exponencial (Holt-Winters) para todas las series a la vez: constantes elegidas por serie y
año."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evaluation.baselines import holt_winters_baseline
from evaluation.simulate import simulate_history
from pei_analysis.model.projection import MAX_HISTORY
from pei_analysis.model.projection import smoothing as sm
from pei_analysis.model.projection.inputs import prepare_history

from .histories import cut


def smoothing_by_hand(past, obs):
    """Every set of constants run alone: forecasts and sums of squared one-step errors, (constants, series,
    years)."""
    runs = [sm.smoothing_path(past, obs, np.array([c])) for c in sm.SMOOTHING_GRID]
    paths = np.stack([p[0] for p, _ in runs])
    sse = np.stack([e[0] for _, e in runs])
    return paths, np.where(np.isfinite(paths), sse, np.nan)


def test_the_smoothing_takes_for_each_serie_and_year_the_constants_its_errors_and_the_calls_choose(
    monkeypatch,
):
    # Run every set of constants alone and pick by hand (the log of the serie's own sum of squared one-step
    # errors, 30 % of the way to the mean of that log over the call): the engine, which runs them in blocks
    # for all series at once (a block of 7 rows here, so several passes), must give the same forecasts.
    monkeypatch.setattr(sm, "SMOOTHING_BLOCK", 7)
    prepared = prepare_history(cut(simulate_history(3, 6, seed=2), 1), MAX_HISTORY)
    obs = prepared.current[:, :1]
    paths, sse = smoothing_by_hand(prepared.past, obs)
    own = np.log(sse)
    with np.errstate(invalid="ignore"):  # (the first two years have no forecast: 0 / 0 there)
        call = np.nansum(own, axis=1, keepdims=True) / np.isfinite(own).sum(axis=1, keepdims=True)
    crit = (1 - sm.SMOOTHING_POOLING) * own + sm.SMOOTHING_POOLING * call
    picked = np.argmin(np.where(np.isnan(crit), np.inf, crit), axis=0)
    by_hand = np.take_along_axis(paths, picked[None], axis=0)[0]
    engine = sm.smoothing_forecasts(prepared.past, obs)
    np.testing.assert_allclose(engine, by_hand, rtol=1e-12, equal_nan=True)
    # Not one set for all: the series and the years do not all take the same constants.
    assert np.unique(picked[np.isfinite(by_hand)]).size > 1
    # Two complete past years before the first forecast: with one there is no trend to extrapolate.
    assert np.isnan(engine[:, :2]).all() and np.isfinite(engine[:, 2:]).all()


def test_a_serie_smoothed_alone_takes_the_constants_with_its_smallest_one_step_errors():
    prepared = prepare_history(cut(simulate_history(1, 7, seed=5), 1), MAX_HISTORY)
    obs = prepared.current[:, :1]
    paths, sse = smoothing_by_hand(prepared.past, obs)
    by_hand = np.take_along_axis(
        paths, np.argmin(np.where(np.isnan(sse), np.inf, sse), axis=0)[None], axis=0
    )[0]
    np.testing.assert_allclose(
        sm.smoothing_forecasts(prepared.past, obs), by_hand, rtol=1e-12, equal_nan=True
    )


def test_fully_pooled_every_serie_of_a_year_takes_the_constants_the_call_prefers(monkeypatch):
    monkeypatch.setattr(sm, "SMOOTHING_POOLING", 1.0)
    prepared = prepare_history(cut(simulate_history(5, 6, seed=3), 1), MAX_HISTORY)
    obs = prepared.current[:, :1]
    paths, sse = smoothing_by_hand(prepared.past, obs)
    engine = sm.smoothing_forecasts(prepared.past, obs)
    for year in range(2, engine.shape[1]):
        preferred = np.nanargmin(np.nanmean(np.log(sse[:, :, year]), axis=1))
        np.testing.assert_allclose(engine[:, year], paths[preferred, :, year], rtol=1e-12)
    # (pooled this far, the series are no longer smoothed each with its own best constants)
    own_best = np.take_along_axis(
        paths, np.argmin(np.where(np.isnan(sse), np.inf, sse), axis=0)[None], axis=0
    )[0]
    assert not np.allclose(engine[:, 2:], own_best[:, 2:])


def test_the_smoothing_follows_statsmodels_on_a_regular_serie():
    # Same model as the Holt-Winters baseline (damped additive trend, multiplicative seasonality, period 3):
    # on a long regular serie its forecast of the rest of the year is within 1 % of statsmodels' fit.
    pytest.importorskip("statsmodels", reason="viene con el extra «evaluacion»")
    rng = np.random.default_rng(8)
    values = [
        1000 * (1.03 ** (j + c / 3)) * (0.8, 1.0, 1.2)[c] * np.exp(rng.normal(0, 0.01))
        for j in range(12)
        for c in range(3)
    ]
    h = pd.DataFrame(
        {"serie": "s", "anio": np.repeat(np.arange(2010, 2022), 3), "cuatrimestre": [1, 2, 3] * 12}
    )
    h["valor"] = values
    h = h.iloc[:-2]
    prepared = prepare_history(h, MAX_HISTORY)
    observed = prepared.current[0, 0]
    ours = observed + sm.smoothing_forecasts(prepared.past, prepared.current[:, :1])[0, -1]
    theirs = holt_winters_baseline(h).iloc[0]
    assert ours == pytest.approx(theirs, rel=0.01)
