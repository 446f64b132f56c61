"""Líneas base: lo que haría un analista sin el motor (ritmo, participación media, Holt-Winters)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evaluation.baselines import holt_winters_baseline, mean_share_baseline, pace_baseline
from evaluation.simulate import simulate_history


def history(records):
    return pd.DataFrame(records, columns=["serie", "anio", "cuatrimestre", "valor"])


def test_pace_multiplies_by_three_after_one_cuatrimestre_and_by_one_and_a_half_after_two():
    h = history([("a", 2024, 1, 10.0), ("b", 2024, 1, 10.0), ("b", 2024, 2, 20.0)])
    assert pace_baseline(h).to_dict() == {"a": 30.0, "b": 45.0}


def test_mean_share_divides_by_the_average_share_reached_in_past_years():
    h = history(
        [("a", 2022, q, v) for q, v in zip((1, 2, 3), (10, 20, 70), strict=True)]
        + [("a", 2023, q, v) for q, v in zip((1, 2, 3), (30, 30, 40), strict=True)]
        + [("a", 2024, 1, 20.0)]
    )
    assert mean_share_baseline(h)["a"] == pytest.approx(20 / 0.2)


def test_holt_winters_baseline_fits_per_series_and_gives_nan_where_it_cannot():
    full = simulate_history(1, 3, seed=0)
    h = full[(full["anio"] < full["anio"].max()) | (full["cuatrimestre"] == 1)]
    short = history([("corta", 2024, 1, 5.0)])
    out = holt_winters_baseline(pd.concat([h, short]))
    assert np.isfinite(out[0])
    assert np.isnan(out["corta"])
