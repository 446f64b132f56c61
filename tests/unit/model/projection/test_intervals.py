"""Intervalos de predicción: su tamaño sale de los errores de la llamada y se apoya en otros solo si hace
falta."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evaluation.simulate import simulate_history
from pei_analysis.model.projection import INTERVALO_PROPIO, INTERVALO_REFERENCIA, project_year_end
from pei_analysis.model.projection.intervals import MAX_UPPER_RATIO, capped_upper, deepest_spanning
from pei_analysis.model.projection.shocks import central_quantiles, widened_quantiles, year_share
from pei_analysis.model.projection.weighting import BacktestErrors

from .histories import cut, frame, rows


def test_one_serie_alone_gets_an_interval_sized_by_its_own_backtest():
    rng = np.random.default_rng(5)
    years = [(2010 + j, 1.0) for j in range(10)]
    smooth = frame(rows("s", years, (100.0, 200.0, 300.0), (100.0,)))
    noisy = smooth.copy()
    noisy["valor"] = noisy["valor"] * rng.uniform(0.5, 1.5, size=len(noisy))
    noisy.loc[noisy.index[-1], "valor"] = 100.0
    w_smooth = project_year_end(smooth).eval("limite_superior - limite_inferior").iloc[0]
    w_noisy = project_year_end(noisy).eval("limite_superior - limite_inferior").iloc[0]
    # The reference alone (one past year: nothing to backtest) sits in between.
    w_ref = (
        project_year_end(frame(rows("r", years[-1:], (100.0, 200.0, 300.0), (100.0,))))
        .eval("limite_superior - limite_inferior")
        .iloc[0]
    )
    assert w_smooth < 0.05 * w_ref < w_ref < w_noisy


def test_a_serie_with_one_past_year_gets_a_wider_interval_than_the_long_series_of_its_call():
    h = cut(simulate_history(120, 10, seed=12), 1)
    last = h["anio"].max()
    # The same series, once more, with only its last past year.
    short = h[h["anio"] >= last - 1].assign(serie=lambda d: d["serie"].astype(str) + "-corta")
    out = project_year_end(pd.concat([h, short], ignore_index=True)).set_index("serie")
    rel = np.log(out["limite_superior"] / out["limite_inferior"])
    long_ids = h["serie"].unique()
    short_ids = [f"{s}-corta" for s in long_ids]
    assert np.median(rel.loc[short_ids].to_numpy()) > 1.1 * np.median(rel.loc[long_ids].to_numpy())


def test_with_few_past_years_a_serie_without_errors_borrows_the_size_of_the_other_series_not_the_reference():
    # Twelve steady series with three past years (too few for empirical quantiles) and one with a single past
    # year: its interval is sized by the others' small errors, and it is not said to rest on the reference.
    rng = np.random.default_rng(13)
    records = []
    for s in range(12):
        profile = rng.uniform(1, 10, size=3) * 100
        years = [(2020 + j, 1.0 + 0.002 * rng.standard_normal()) for j in range(3)]
        records += rows(s, years, profile, profile[:1])
    records += rows("nueva", [(2022, 1.0)], (100.0, 200.0, 300.0), (100.0,))
    out = project_year_end(frame(records)).set_index("serie")
    alone = project_year_end(frame(rows("nueva", [(2022, 1.0)], (100.0, 200.0, 300.0), (100.0,))))
    width_call = out.loc["nueva", "limite_superior"] - out.loc["nueva", "limite_inferior"]
    width_alone = alone.loc[0, "limite_superior"] - alone.loc[0, "limite_inferior"]
    assert width_call < 0.2 * width_alone
    assert out.loc["nueva", "intervalo"] == INTERVALO_PROPIO
    assert alone.loc[0, "intervalo"] == INTERVALO_REFERENCIA


def test_series_with_one_past_year_among_series_of_very_different_volatility_are_covered_as_the_level_says():
    # 300 series with eight past years and 300 with one, their noise ranging from 2 % to 30 %: the short
    # ones have no backtest errors of their own, so their scale is the typical one and their band must
    # hold the spread of volatilities between series. (Read from the long series' own-scale quantiles,
    # it held the real total about 74 % of the time.)
    rng = np.random.default_rng(31)
    covered = []
    for _ in range(4):
        records, real = [], {}
        for s in range(600):
            sigma = np.exp(rng.uniform(np.log(0.02), np.log(0.3)))
            profile = np.array([1.0, 1.1, 0.9]) * np.exp(rng.normal(0, 0.05, 3)) * 1000
            n_years = 9 if s < 300 else 2
            values = profile * np.exp(rng.normal(0, sigma, (n_years, 3)))
            for j, year_values in enumerate(values):
                kept = year_values if j < n_years - 1 else year_values[:1]
                records += [(s, 2024 - n_years + 1 + j, c + 1, v) for c, v in enumerate(kept)]
            real[s] = values[-1].sum()
        out = project_year_end(pd.DataFrame(records, columns=["serie", "anio", "cuatrimestre", "valor"]))
        out = out.set_index("serie").loc[300:]
        total = pd.Series(real).loc[300:]
        covered.append(((out["limite_inferior"] <= total) & (total <= out["limite_superior"])).mean())
    assert 0.77 <= np.mean(covered) <= 0.85


def test_the_band_read_from_few_past_errors_holds_a_new_error_as_often_as_the_level_says():
    # Twenty past errors and a new one from the same distribution, many times over: the band between the
    # empirical quantiles must hold the new one 80 % of the time. (With numpy's default plotting position
    # it holds it about 72 % of the time: the band is too narrow when the call has few past years.)
    rng = np.random.default_rng(21)
    draws = rng.standard_normal((20000, 21))
    bands = np.array([central_quantiles(past, 0.8) for past in draws[:, :20]])
    held = (bands[:, 0] <= draws[:, 20]) & (draws[:, 20] <= bands[:, 1])
    assert abs(held.mean() - 0.8) < 0.01


def _errors_of_series_with(past_years: int, n_series: int = 5) -> BacktestErrors:
    """Backtest entries of ``n_series`` series with ``past_years`` each: year L back projected from the
    rest."""
    lag = np.tile(np.arange(1, past_years), n_series)
    return BacktestErrors(
        row=np.repeat(np.arange(n_series), past_years - 1),
        lag=lag,
        n_hist=past_years - lag,
        log_errors={},
        usable={},
    )


def test_with_three_past_years_the_errors_projected_from_one_year_also_calibrate_the_interval():
    # The errors projected from two years all fall one year back: alone they are a single year's calm or
    # shock.
    assert deepest_spanning(_errors_of_series_with(3)) == 1


def test_with_a_long_history_only_errors_from_deep_histories_calibrate_the_interval():
    # Eight past years: errors from six years back or more span two past years already.
    assert deepest_spanning(_errors_of_series_with(8)) == 6


def test_several_years_of_errors_estimate_the_share_their_years_have_in_common():
    rng = np.random.default_rng(3)
    noise = rng.normal(0.0, 1.0, 600)
    inv = np.repeat([0, 1, 2], 200)
    # The same errors, once with the years alike and once with each year shifted as a whole.
    alike = year_share(noise, inv, 3)
    shocked = year_share(noise + np.array([-1.5, 1.5, 0.0])[inv], inv, 3)
    assert alike < 0.05
    assert shocked > 0.5
    # One year of errors cannot tell what its errors share from the rest.
    assert year_share(noise, np.zeros(600, dtype=int), 1) == 1.0


def test_one_year_of_errors_with_a_shock_gives_an_interval_that_also_holds_a_shock_of_the_other_sign():
    rng = np.random.default_rng(4)
    # Every serie missed by about +1.5 that year: the next year's shock is as likely to be -1.5.
    shocked = rng.normal(0.0, 1.0, 2000) + 1.5
    q_lo, q_hi = widened_quantiles(shocked, np.zeros(2000, dtype=int), 0.8)
    assert q_lo < -1.5
    assert q_hi > 1.5
    assert abs(q_lo + q_hi) < 0.2


def test_one_year_of_errors_without_a_shock_is_not_widened_for_one_it_did_not_see():
    rng = np.random.default_rng(4)
    calm = rng.normal(0.0, 1.0, 4000)
    q_lo, q_hi = widened_quantiles(calm, np.zeros(4000, dtype=int), 0.8)
    # The 10 % and 90 % points of a standard normal are ±1.28.
    assert abs(q_lo + 1.28) < 0.1
    assert abs(q_hi - 1.28) < 0.1


def test_three_years_of_errors_keep_their_own_empirical_quantiles():
    rng = np.random.default_rng(4)
    # A skewed error (misses are larger upwards) whose years are alike: its quantiles keep the skew.
    skewed = rng.lognormal(0.0, 0.8, 3000) - 1.0
    q_lo, q_hi = widened_quantiles(skewed, np.repeat([0, 1, 2], 1000), 0.8)
    lo, hi = central_quantiles(skewed, 0.8)
    assert q_hi > 2 * abs(q_lo)
    assert q_lo <= lo and q_hi >= hi


def test_a_capped_upper_limit_is_at_most_five_times_its_projection_however_the_ratio_is_computed():
    """Rounding made ``5 * p / p`` come out as 5.000000000000001 for about one projection in 50."""
    proj = np.random.default_rng(0).uniform(1.0, 1e6, 20_000)
    upper = capped_upper(proj * 100.0, proj)
    assert (upper / proj <= MAX_UPPER_RATIO).all()
    assert (upper <= MAX_UPPER_RATIO * proj).all()
    assert upper == pytest.approx(MAX_UPPER_RATIO * proj, rel=1e-12)
