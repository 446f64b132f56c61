"""El azar de contar: una serie de pocos casos al año no recibe un intervalo más estrecho que ese azar."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from evaluation.simulate import simulate_history
from pei_analysis.model.projection import ANIO_COMPLETO, INTERVALO_OTRAS_SERIES, SIN_BASE, project_year_end
from pei_analysis.model.projection.cold_start import PooledShares, replayed_limits, spread_without_counting
from pei_analysis.model.projection.counting import count_log_variance, poisson_quantile, with_counting_noise
from pei_analysis.model.projection.intervals import MAX_UPPER_RATIO

from .histories import cut, frame, rows

#: Three identical past years of a product paid 6 times in each of the last two cuatrimestres (simulated).
IDENTICAL_YEARS = [(2021, 1.0), (2022, 1.0), (2023, 1.0)]


@pytest.mark.parametrize("q", [0.05, 0.1, 0.5, 0.9, 0.95])
def test_the_poisson_quantile_is_the_one_scipy_stats_gives(q):
    mean = np.array([1e-9, 0.05, 0.2, 0.5, 1.0, 2.0, 2.5, 7.3, 12.0, 100.0, 1e4, 1e6])
    assert np.array_equal(poisson_quantile(q, mean), stats.poisson.ppf(q, mean))


def test_nothing_left_to_count_has_a_quantile_of_zero():
    assert poisson_quantile(0.9, np.array([0.0, np.nan, -3.0])).tolist() == [0.0, 0.0, 0.0]


def test_a_serie_with_identical_past_years_gets_the_chance_of_counting_what_remains():
    h = frame(rows("precapi", IDENTICAL_YEARS, (0.0, 6.0, 6.0), (0.0,)))
    plain = project_year_end(h).iloc[0]
    counted = project_year_end(h, counts=True).iloc[0]
    assert plain["proyeccion"] == pytest.approx(12.0)
    # Without it the errors of identical years are nil and the interval reads «12 a 12».
    assert plain["limite_superior"] - plain["limite_inferior"] < 0.5
    assert counted["proyeccion"] == plain["proyeccion"]
    # 12 still to come: a Poisson count of mean 12 falls between 8 and 17 with 80 % probability.
    assert counted["limite_inferior"] <= 8.0 + 1e-9 and counted["limite_superior"] >= 17.0 - 1e-9
    assert counted["limite_superior"] - counted["limite_inferior"] < 12.0


def test_in_a_call_of_counts_the_small_series_widen_and_the_large_ones_no_longer_pay_for_them():
    h = cut(simulate_history(300, 3, seed=5), 1)  # two past years, as IGSS will load first
    plain = project_year_end(h).set_index("serie")
    counted = project_year_end(h, counts=True).set_index("serie")
    assert np.array_equal(plain["proyeccion"], counted["proyeccion"])
    grown = (counted["limite_superior"] - counted["limite_inferior"]) / (
        plain["limite_superior"] - plain["limite_inferior"]
    )
    total = plain["proyeccion"]
    # Before, the errors of the small series, standardised without their counting chance, widened all.
    assert grown[total < 100].median() > 1.3
    assert grown[total > 1e5].median() < 0.97


def test_counting_keeps_the_point_inside_its_limits_and_the_lower_one_at_or_above_what_was_observed():
    h = cut(simulate_history(200, 4, seed=5), 2)
    counted = project_year_end(h, counts=True)
    observed = h[h["anio"] == h["anio"].max()].groupby("serie")["valor"].sum()
    assert (counted["limite_inferior"] <= counted["proyeccion"]).all()
    assert (counted["limite_superior"] >= counted["proyeccion"]).all()
    assert (counted.set_index("serie")["limite_inferior"] >= observed - 1e-9).all()


def test_the_log_variance_of_a_count_is_its_rest_over_the_squared_total():
    assert count_log_variance(
        np.array([4.0, 0.0, -1.0, 5.0, np.nan]), np.array([8.0, 8.0, 8.0, 0.0, 3.0])
    ).tolist() == [
        0.0625,
        0.0,
        0.0,
        0.0,
        0.0,
    ]


def test_the_upper_limit_stays_capped_and_the_lower_at_or_above_what_was_observed():
    point, observed = np.array([0.4, 10.0]), np.array([0.0, 9.0])
    lower, upper = with_counting_noise(point, point.copy(), point.copy(), observed, 0.8)
    assert lower.tolist() == [0.0, 9.0]
    assert upper[1] == pytest.approx(10.0 + (poisson_quantile(0.9, np.array([1.0]))[0] - 1.0))
    h = frame(
        rows("s", [(2023, 1.0)], (1.0, 0.0, 0.0), (0.1,)) + rows("t", [(2023, 1.0)], (1.0, 2.0, 2.0), (1.0,))
    )
    out = project_year_end(h, counts=True)
    assert (out["limite_superior"] <= MAX_UPPER_RATIO * out["proyeccion"]).all()


def test_a_complete_year_and_a_serie_with_nothing_to_scale_keep_their_limits():
    complete = frame(rows("c", [(2023, 1.0)], (3.0, 3.0, 3.0), (2.0, 2.0, 2.0)))
    nothing = frame(rows("n", [], (), (0.0,)))
    for h, code in ((complete, ANIO_COMPLETO), (nothing, SIN_BASE)):
        plain, counted = project_year_end(h).iloc[0], project_year_end(h, counts=True).iloc[0]
        assert counted["metodo"] == code
        assert counted[["proyeccion", "limite_inferior", "limite_superior"]].equals(
            plain[["proyeccion", "limite_inferior", "limite_superior"]]
        )


def test_a_serie_without_history_among_count_series_widens_if_small_and_not_if_large():
    h = simulate_history(300, 4, seed=8)
    last = h["anio"].max()
    cold = h["serie"] % 4 == 0
    h = h[~(cold & (h["anio"] < last)) & ((h["anio"] < last) | (h["cuatrimestre"] <= 2))]
    plain = project_year_end(h).set_index("serie")
    counted = project_year_end(h, counts=True).set_index("serie")
    without = plain.index % 4 == 0
    assert (plain.loc[without, "intervalo"] == INTERVALO_OTRAS_SERIES).all()
    grown = (counted["limite_superior"] - counted["limite_inferior"]) / (
        plain["limite_superior"] - plain["limite_inferior"]
    )
    total = plain["proyeccion"]
    assert grown[without & (total < 100)].median() > 1.3
    assert grown[without & (total > 1e5)].median() < 1.0


def test_the_rule_spread_without_counting_is_what_puts_the_errors_at_a_normal_median():
    errors = np.array([0.1, -0.3, 0.2, -0.05, 0.4, -0.15])
    spread = spread_without_counting(errors, np.zeros(6))
    assert spread == pytest.approx((np.median(np.abs(errors)) / stats.norm.ppf(0.75)) ** 2, rel=1e-9)
    # When the counting chance alone explains the errors, nothing is left for the rule.
    assert spread_without_counting(errors, np.full(6, 1.0)) == 0.0
    mixed = np.array([0.0, 0.0, 0.0, 0.5, 0.5, 0.5])
    z = errors / np.sqrt(spread_without_counting(errors, mixed) + mixed)
    assert np.median(np.abs(z)) == pytest.approx(stats.norm.ppf(0.75), rel=1e-6)


def test_an_error_no_counting_chance_explains_widens_the_interval_instead_of_being_dropped():
    # 40 past years with nothing left to count after the observed part, yet missed by 50 %, and 60 whose
    # small misses the counting chance alone explains (simulated errors).
    errors = np.r_[np.tile([0.5, -0.5], 20), np.tile([0.05, -0.05], 30)]
    count_var = np.r_[np.zeros(40), np.full(60, 5.0)]
    years = np.tile([1.0, 2.0, 3.0, 4.0], 25)
    pool = PooledShares(np.ones(3), np.ones(3), 30, errors, years, count_var)
    assert spread_without_counting(errors, count_var) == 0.0
    o, proj = np.array([10.0]), np.array([30.0])
    lower, upper = replayed_limits(o, proj, pool, 0.8, counts=True)
    assert lower[0] == o[0] and upper[0] == pytest.approx(MAX_UPPER_RATIO * proj[0])
