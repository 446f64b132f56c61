"""The bound on what an estimate of the within-year profile can gain with 2-3 past years."""

from __future__ import annotations

import numpy as np
import pandas as pd

from evaluation.profile_bound import (
    ORACLE,
    PAST_ORACLE,
    bound_rows,
    origins,
    pooled_log_share,
    projections,
    to_cube,
)
from evaluation.simulate import monthly_to_cuatrimestres, simulate_monthly, simulate_monthly_parts


def test_the_simulation_with_what_lies_behind_it_gives_the_same_values_as_before():
    months = simulate_monthly_parts(30, 6, seed=4)
    assert np.array_equal(months.values, simulate_monthly(30, 6, seed=4))
    assert months.expected.shape == months.values.shape and (months.expected > 0).all()


def test_series_that_share_one_profile_are_pulled_to_the_call_median():
    rng = np.random.default_rng(0)
    log_share = np.log(0.3) + rng.normal(0.0, 0.05, size=(200, 2))
    pooled = pooled_log_share(log_share)
    own = log_share.mean(axis=1)
    assert np.std(pooled) < 0.8 * np.std(own)


def test_series_with_very_different_profiles_keep_their_own_mean():
    rng = np.random.default_rng(0)
    profile = rng.uniform(np.log(0.2), np.log(0.5), size=(200, 1))
    log_share = profile + rng.normal(0.0, 0.01, size=(200, 3))
    pooled = pooled_log_share(log_share)
    assert np.max(np.abs(pooled - log_share.mean(axis=1))) < 0.01


def test_each_serie_is_projected_once_at_its_last_complete_year_with_enough_past_years():
    cube = np.ones((3, 5, 3))
    cube[1, 4] = np.nan  # serie 1 ends a year earlier
    cube[2, 1] = np.nan  # serie 2 has a gap: only 2 complete years before its last
    last = {y: list(rows) for y, rows in origins(cube, 2, last_only=True)}
    assert last == {4: [0, 2], 3: [1]}
    assert {y: list(r) for y, r in origins(cube, 3, last_only=True)} == {4: [0], 3: [1]}


def test_the_oracle_projects_exactly_a_year_without_noise_and_the_mean_share_does_not():
    exact = monthly_to_cuatrimestres(simulate_monthly_parts(40, 5, seed=2).expected)
    p = projections(exact, exact, 2, True, 1)
    assert np.allclose(p[ORACLE], p["real"])
    assert not np.allclose(p["participación media"], p["real"])


def test_the_oracle_misses_less_than_the_mean_share_on_simulated_series():
    months = simulate_monthly_parts(200, 14, seed=3)
    expected = monthly_to_cuatrimestres(months.expected)
    rows = bound_rows("simuladas", monthly_to_cuatrimestres(months.values), expected)
    assert (
        len(rows) == 10
    )  # last year with 2 and 3 past years, windows of 2, 3 and 12; after 1 and 2 cuatrimestres
    assert all(r[f"{ORACLE} / media"] < 1.0 for r in rows)
    assert all(
        np.isfinite(r[f"{PAST_ORACLE} / media"]) and np.isfinite(r["compartida / media"]) for r in rows
    )


def test_without_a_known_profile_the_oracles_are_left_empty():
    months = simulate_monthly_parts(30, 5, seed=1)
    rows = bound_rows("reales", monthly_to_cuatrimestres(months.values), None)
    assert len(rows) == 8  # five years: no window of 12
    assert all(np.isnan(r[f"{ORACLE} / media"]) for r in rows)


def test_a_long_table_becomes_series_by_calendar_years_with_gaps_left_empty():
    data = pd.DataFrame(
        {
            "serie": ["a"] * 6 + ["b"] * 3,
            "anio": [2000] * 3 + [2001] * 3 + [2001] * 3,
            "cuatrimestre": [1, 2, 3] * 3,
            "valor": np.arange(9.0),
        }
    )
    cube, years = to_cube(data)
    assert list(years) == [2000, 2001]
    assert cube.shape == (2, 2, 3)
    assert np.isnan(cube[1, 0]).all() and list(cube[1, 1]) == [6.0, 7.0, 8.0]
