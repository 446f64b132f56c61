"""Backtest de origen móvil: el motor y las líneas base proyectan cada año pasado como si fuera el actual."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evaluation.backtest import (
    MOTOR,
    coverage_interval,
    margin_interval,
    mixed_history_runs,
    rolling_origin,
    stripped_rows,
    summarize,
)
from evaluation.baselines import HOLT_WINTERS, PARTICIPACION_MEDIA, RITMO
from evaluation.simulate import monthly_to_cuatrimestres, simulate_history, simulate_monthly
from pei_analysis.errors import DataError
from pei_analysis.model.projection import INTERVALO_REFERENCIA, Reference, project_year_end
from pei_analysis.model.projection import RITMO as RITMO_MOTOR


def history(records):
    return pd.DataFrame(records, columns=["serie", "anio", "cuatrimestre", "valor"])


def test_rolling_origin_projects_every_year_that_has_earlier_years():
    full = simulate_history(6, 5, seed=1)
    res = rolling_origin(full, baselines=(RITMO, PARTICIPACION_MEDIA))
    motor = res[res["metodo"] == MOTOR]
    # 4 origin years (each with at least one earlier year) x 6 series x 2 numbers of cuatrimestres.
    assert len(motor) == 4 * 6 * 2
    assert set(res["metodo"]) == {MOTOR, RITMO, PARTICIPACION_MEDIA}
    real = full.groupby(["serie", "anio"])["valor"].sum()
    for row in motor.itertuples():
        assert row.real == pytest.approx(real[(row.serie, row.anio)])
    assert motor["historia"].max() == 4


def test_rolling_origin_never_shows_the_projected_year_to_the_engine():
    full = simulate_history(5, 4, seed=2)
    res = rolling_origin(full, observed=(1,), baselines=())
    changed = full.copy()
    last = changed["anio"] == changed["anio"].max()
    changed.loc[last & (changed["cuatrimestre"] > 1), "valor"] *= 10  # the rest of the last year
    again = rolling_origin(changed, observed=(1,), baselines=())
    year = full["anio"].max()
    a = res[res["anio"] == year]["proyeccion"].to_numpy()
    b = again[again["anio"] == year]["proyeccion"].to_numpy()
    np.testing.assert_allclose(a, b)


def test_one_call_per_serie_projects_each_serie_on_its_own():
    full = simulate_history(6, 5, seed=5)
    res = rolling_origin(full, observed=(2,), baselines=(), one_call_per_serie=True)
    year = full["anio"].max()
    row = res[(res["anio"] == year)].iloc[0]
    alone = full[(full["serie"] == row["serie"]) & ((full["anio"] < year) | (full["cuatrimestre"] <= 2))]
    out = project_year_end(alone)
    assert row["proyeccion"] == pytest.approx(out.loc[0, "proyeccion"])
    assert row["limite_superior"] == pytest.approx(out.loc[0, "limite_superior"])


def test_history_years_caps_the_earlier_years_used_per_series():
    full = simulate_history(4, 6, seed=3)
    caps = pd.Series([0, 1, 2, 3], index=[0, 1, 2, 3])
    res = rolling_origin(full, history_years=caps, min_history=0, baselines=())
    assert res.groupby("serie")["historia"].max().to_dict() == {0: 0, 1: 1, 2: 2, 3: 3}


def test_a_mixed_run_scores_each_serie_once_without_the_history_it_has_and_never_in_its_first_year():
    """Two sources, one starting three years later: in its first year no serie has history in any run, and
    those rows (repeated in every run) are not a serie stripped of its history."""
    early = simulate_history(12, 6, seed=4)
    late = simulate_history(12, 3, seed=5).assign(
        serie=lambda d: d["serie"] + 100, anio=lambda d: d["anio"] + 3
    )
    full = pd.concat([early, late], ignore_index=True)
    mixed = mixed_history_runs(full, 3, years=(2, 3))
    assert mixed["historia"].max() == 3  # the early series have up to 5 earlier years
    cold = stripped_rows(mixed, full)
    first = full.groupby("serie")["anio"].min()
    assert (cold["historia"] == 0).all() and (cold["anio"] > cold["serie"].map(first)).all()
    assert not cold.duplicated(["serie", "anio", "observados", "metodo"]).any()
    assert len(cold[cold["metodo"] == MOTOR]) == (12 * 5 + 12 * 2) * 2


def test_summarize_gives_median_and_mean_ape_and_coverage_per_method():
    res = pd.DataFrame(
        {
            "metodo": ["motor"] * 4,
            "observados": [1] * 4,
            "real": [100.0, 100.0, 100.0, 0.0],
            "proyeccion": [90.0, 110.0, 130.0, 5.0],
            "limite_inferior": [80.0, 95.0, 120.0, 0.0],
            "limite_superior": [120.0, 105.0, 140.0, 10.0],
        }
    )
    s = summarize(res).iloc[0]
    assert s["mape_mediana"] == pytest.approx(10.0)
    assert s["mape_media"] == pytest.approx(50 / 3)
    assert s["cobertura"] == pytest.approx(75.0)  # the zero year is covered by [0, 10]
    assert s["n_real_cero"] == 1


def test_rolling_origin_refuses_incomplete_years_and_unknown_baselines():
    with pytest.raises(DataError, match="incompleto"):
        rolling_origin(history([("a", 2023, 1, 1.0)]))
    with pytest.raises(DataError, match="desconocida"):
        rolling_origin(simulate_history(2, 2), baselines=("otra",))
    assert HOLT_WINTERS in ("Holt-Winters",)


def test_on_simulated_series_the_engine_beats_the_pace_and_its_intervals_are_not_far_off():
    full = simulate_history(60, 9, seed=11)
    res = rolling_origin(full, history_years=8, baselines=(RITMO,))
    s = summarize(res).set_index(["metodo", "observados"])
    for k in (1, 2):
        assert s.loc[(MOTOR, k), "mape_mediana"] < s.loc[(RITMO, k), "mape_mediana"]
        assert 65 <= s.loc[(MOTOR, k), "cobertura"] <= 95


def test_simulated_series_are_non_negative_and_sum_months_into_cuatrimestres():
    monthly = simulate_monthly(5, 3, seed=4)
    assert (monthly >= 0).all()
    cuat = monthly_to_cuatrimestres(monthly)
    assert cuat.shape == (5, 3, 3)
    np.testing.assert_allclose(cuat[:, 0, 0], monthly[:, 0:4].sum(axis=1))
    h = simulate_history(5, 3, seed=4)
    assert len(h) == 5 * 3 * 3 and set(h["cuatrimestre"]) == {1, 2, 3}


def _outcomes(covered_by_serie: dict) -> pd.DataFrame:
    """Backtest rows of one method: each serie's flags say, year after year, whether its interval covered."""
    rows = []
    for serie, flags in covered_by_serie.items():
        for i, inside in enumerate(flags):
            rows.append(("motor", 1, serie, 2000 + i, 100.0, 90.0 if inside else 101.0, 110.0))
    columns = ["metodo", "observados", "serie", "anio", "real", "limite_inferior", "limite_superior"]
    return pd.DataFrame(rows, columns=columns)


def test_coverage_interval_is_wide_when_each_serie_is_always_inside_or_always_outside():
    # 10 series × 20 years: 8 series always covered, 2 never. The outcomes say 80 %, but only 10 series back
    # it.
    clustered = _outcomes({s: [s < 8] * 20 for s in range(10)})
    # The same 200 outcomes, the misses spread evenly over 200 series observed in one year.
    spread = _outcomes({s: [s % 5 != 0] for s in range(200)})
    a = coverage_interval(clustered).iloc[0]
    b = coverage_interval(spread).iloc[0]
    assert a["n_series"] == 10 and b["n_series"] == 200
    assert a["cobertura_ic_inf"] < 80 < a["cobertura_ic_sup"]
    assert a["cobertura_ic_sup"] - a["cobertura_ic_inf"] > 2 * (b["cobertura_ic_sup"] - b["cobertura_ic_inf"])
    assert a["cobertura_ic_sup"] - a["cobertura_ic_inf"] > 15


def test_coverage_interval_is_wide_when_every_serie_misses_in_the_same_years():
    # 50 series × 10 years, all covered but in two years (a shock shared by every serie): 80 %, resting on 10
    # years.
    shared = _outcomes({s: [year not in (3, 7) for year in range(10)] for s in range(50)})
    # The same 500 outcomes, each serie missing in two years of its own.
    own = _outcomes({s: [year not in (s % 10, (s + 5) % 10) for year in range(10)] for s in range(50)})
    a, b = coverage_interval(shared).iloc[0], coverage_interval(own).iloc[0]
    assert a["n_anios"] == b["n_anios"] == 10
    assert a["cobertura_ic_inf"] < 70 and a["cobertura_ic_sup"] > 90
    assert a["cobertura_ic_sup"] - a["cobertura_ic_inf"] > 3 * (b["cobertura_ic_sup"] - b["cobertura_ic_inf"])


def test_coverage_interval_keeps_the_group_keys_and_skips_methods_without_intervals():
    res = pd.concat([_outcomes({0: [True, False], 1: [True]}), _outcomes({0: [True]}).assign(observados=2)])
    res = pd.concat([res, res.assign(metodo="ritmo", limite_inferior=np.nan, limite_superior=np.nan)])
    out = coverage_interval(res)
    assert out[["metodo", "observados"]].values.tolist() == [["motor", 1], ["motor", 2]]
    assert out.loc[1, "cobertura_ic_inf"] == out.loc[1, "cobertura_ic_sup"] == 100.0


def test_rolling_origin_hands_its_reference_to_the_engine():
    full = simulate_history(3, 3, seed=5)
    flat = {1: (2.0,) * 101, 2: (1.25,) * 101}
    ref = Reference(inverse_share=flat, profile_change={1: (0.0,) * 101, 2: (0.0,) * 101}, source="prueba")
    res = rolling_origin(full, observed=(1,), history_years=0, min_history=0, baselines=(), reference=ref)
    assert (res["metodo_motor"] == RITMO_MOTOR).all() and (res["intervalo"] == INTERVALO_REFERENCIA).all()
    observed = full[full["cuatrimestre"] == 1].set_index(["serie", "anio"])["valor"]
    lower = res.set_index(["serie", "anio"])["limite_inferior"]
    assert np.allclose(lower, 2.0 * observed.reindex(lower.index))


def _projections(ape_by_method: dict[str, dict[int, list[float]]]) -> pd.DataFrame:
    """Rows of a backtest whose real total is 100, so each projection's APE is the number given (years 2000,
    2001...)."""
    rows = [
        (metodo, 1, serie, 2000 + i, 100.0, 100.0 + ape)
        for metodo, series in ape_by_method.items()
        for serie, apes in series.items()
        for i, ape in enumerate(apes)
    ]
    return pd.DataFrame(rows, columns=["metodo", "observados", "serie", "anio", "real", "proyeccion"])


def test_margin_interval_is_exact_when_the_engine_halves_every_error_of_the_best_baseline():
    base = {s: [2.0 + s, 4.0 + s] for s in range(30)}
    res = _projections(
        {
            MOTOR: {s: [a / 2 for a in v] for s, v in base.items()},
            RITMO: base,
            PARTICIPACION_MEDIA: {s: [a * 3 for a in v] for s, v in base.items()},
        }
    )
    out = margin_interval(res).iloc[0]
    assert out["mejor_base"] == RITMO and out["n_series"] == 30
    assert out["margen"] == pytest.approx(50.0)
    assert out["margen_ic_inf"] == pytest.approx(50.0) and out["margen_ic_sup"] == pytest.approx(50.0)


def test_margin_interval_is_wide_when_a_few_series_carry_the_margin():
    # The same 200 errors twice: on 20 series of 10 years, where 4 series carry the engine's gain,
    # and on 200 series of one year, the same for all.
    rng = np.random.default_rng(1)
    base = rng.uniform(1.0, 3.0, size=200)
    gain = np.where(np.arange(200) < 40, 0.2, 1.02)
    clustered = _projections(
        {
            MOTOR: {s: list(base[s * 10 : (s + 1) * 10] * gain[s * 10 : (s + 1) * 10]) for s in range(20)},
            RITMO: {s: list(base[s * 10 : (s + 1) * 10]) for s in range(20)},
        }
    )
    spread = _projections(
        {MOTOR: {s: [base[s] * gain[s]] for s in range(200)}, RITMO: {s: [base[s]] for s in range(200)}}
    )
    a, b = margin_interval(clustered).iloc[0], margin_interval(spread).iloc[0]
    assert a["margen"] == pytest.approx(b["margen"])
    assert a["margen_ic_inf"] < 4 < a["margen"] < a["margen_ic_sup"]  # 4 series cannot show the goal is met
    assert a["margen_ic_sup"] - a["margen_ic_inf"] > 2 * (b["margen_ic_sup"] - b["margen_ic_inf"])


def test_margin_interval_is_wide_when_a_few_years_carry_the_margin():
    # 40 series × 10 years: the engine gains in 2 years and loses a little in the other 8, in every serie
    # alike.
    rng = np.random.default_rng(2)
    base = rng.uniform(1.0, 3.0, size=(40, 10))
    gain = np.where(np.arange(10) < 2, 0.2, 1.02)
    shared = _projections(
        {MOTOR: {s: list(base[s] * gain) for s in range(40)}, RITMO: {s: list(base[s]) for s in range(40)}}
    )
    # The same errors, each serie gaining in two years of its own.
    own_gain = {s: np.roll(gain, s) for s in range(40)}
    own = _projections(
        {
            MOTOR: {s: list(base[s] * own_gain[s]) for s in range(40)},
            RITMO: {s: list(base[s]) for s in range(40)},
        }
    )
    a, b = margin_interval(shared).iloc[0], margin_interval(own).iloc[0]
    assert a["n_anios"] == b["n_anios"] == 10
    assert a["margen_ic_inf"] < 4 < a["margen_ic_sup"]  # two good years cannot show the goal is met
    assert a["margen_ic_sup"] - a["margen_ic_inf"] > 2 * (b["margen_ic_sup"] - b["margen_ic_inf"])
