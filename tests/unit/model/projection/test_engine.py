"""Proyección al cierre: respuestas conocidas, el contrato del resultado y sus propiedades."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaluation.simulate import simulate_history
from pei_analysis.model.projection import (
    ANIO_COMPLETO,
    DEFAULT_REFERENCE,
    INTERVALO_NINGUNO,
    INTERVALO_OTRAS_SERIES,
    INTERVALO_REFERENCIA,
    INTERVALS,
    METHODS,
    OUTPUT_COLUMNS,
    PERFIL,
    REMANENTE,
    RITMO,
    SIN_BASE,
    Reference,
    project_year_end,
)
from pei_analysis.model.projection.profiles import split_annual_years
from pei_analysis.model.projection.smoothing import smoothing_forecasts
from pei_analysis.model.projection.weighting import backtest_errors

from .histories import cut, frame, rows

#: The columns that say how a serie was projected (codes and flags).
HOW = ["metodo", "ponderado", "con_suavizado", "intervalo"]

# --------------------------------------------------------------------------- known answers


@pytest.mark.parametrize("observed", [1, 2])
def test_a_perfectly_repeating_seasonal_series_is_projected_exactly(observed):
    profile = (10.0, 20.0, 30.0)
    h = frame(rows("a", [(2020, 1), (2021, 1), (2022, 1), (2023, 1)], profile, profile[:observed]))
    out = project_year_end(h)
    assert out.loc[0, "proyeccion"] == pytest.approx(60.0)
    assert out.loc[0, "limite_inferior"] <= 60.0 <= out.loc[0, "limite_superior"]


def test_a_constant_series_projects_three_times_a_cuatrimestre():
    h = frame(rows("c", [(2021, 1), (2022, 1), (2023, 1)], (50.0, 50.0, 50.0), (50.0,)))
    assert project_year_end(h).loc[0, "proyeccion"] == pytest.approx(150.0)


def test_one_past_year_only_projects_with_that_years_profile_unweighed_and_without_smoothing():
    h = frame(rows("u", [(2023, 1)], (10.0, 20.0, 30.0), (12.0,)))
    out = project_year_end(h)
    assert out.loc[0, "proyeccion"] == pytest.approx(72.0)
    assert out.loc[0, "metodo"] == PERFIL
    assert not out.loc[0, "ponderado"] and not out.loc[0, "con_suavizado"]


def test_a_series_that_was_always_zero_projects_zero():
    h = frame(rows("z", [(2022, 1), (2023, 1)], (0.0, 0.0, 0.0), (0.0,)))
    out = project_year_end(h)
    assert out.loc[0, ["proyeccion", "limite_inferior", "limite_superior"]].tolist() == [0.0, 0.0, 0.0]


def test_zero_so_far_with_history_adds_what_the_rest_of_the_year_brought_before():
    h = frame(rows("r", [(2022, 1), (2023, 1)], (0.0, 5.0, 5.0), (0.0,)))
    out = project_year_end(h)
    assert out.loc[0, "proyeccion"] == pytest.approx(10.0)
    assert out.loc[0, "metodo"] == REMANENTE
    assert not out.loc[0, "ponderado"] and not out.loc[0, "con_suavizado"]


def test_without_history_point_and_interval_rest_on_the_same_reference_shares():
    h = frame([("n", 2024, 1, 100.0), ("m", 2024, 1, 40.0), ("m", 2024, 2, 60.0)])
    out = project_year_end(h).set_index("serie")
    assert (out["metodo"] == RITMO).all() and (out["intervalo"] == INTERVALO_REFERENCIA).all()
    lo, mid, hi = DEFAULT_REFERENCE.quantile("inverse_share", 1, [0.1, 0.5, 0.9])
    assert out.loc["n", "proyeccion"] == pytest.approx(100 * mid)
    assert out.loc["n", "limite_inferior"] == pytest.approx(100 * lo)
    assert out.loc["n", "limite_superior"] == pytest.approx(100 * hi)
    assert out.loc["m", "proyeccion"] == pytest.approx(
        100 * DEFAULT_REFERENCE.quantile("inverse_share", 2, [0.5])[0]
    )


def test_without_history_the_point_sits_at_the_centre_of_its_interval_not_at_the_pace():
    """The reference's year is not even (its median is above ×3): the point follows it, not the pace."""
    out = project_year_end(frame([("n", 2024, 1, 100.0)]))
    lo, hi = out.loc[0, "limite_inferior"], out.loc[0, "limite_superior"]
    assert out.loc[0, "proyeccion"] != pytest.approx(300.0)
    assert abs(np.log(hi / out.loc[0, "proyeccion"]) - np.log(out.loc[0, "proyeccion"] / lo)) < 0.1


def test_the_reference_assumption_can_be_replaced():
    flat = Reference(
        inverse_share={1: [2.0] * 50 + [4.0] * 51, 2: [1.5] * 101},
        profile_change={1: [0.0] * 101, 2: [0.0] * 101},
        source="prueba",
    )
    out = project_year_end(frame([("n", 2024, 1, 10.0)]), reference=flat)
    assert out.loc[0, "limite_inferior"] == pytest.approx(20.0)
    assert out.loc[0, "limite_superior"] == pytest.approx(40.0)


def test_without_history_the_other_series_profiles_give_the_interval():
    full = simulate_history(30, 6, seed=2)
    h = cut(full, 1)
    h = pd.concat([h, frame([("nueva", int(h["anio"].max()), 1, 100.0)])], ignore_index=True)
    out = project_year_end(h).set_index("serie")
    assert out.loc["nueva", "metodo"] == RITMO and out.loc["nueva", "intervalo"] == INTERVALO_OTRAS_SERIES
    assert (
        out.loc["nueva", "limite_inferior"]
        < out.loc["nueva", "proyeccion"]
        < out.loc["nueva", "limite_superior"]
    )


def test_without_history_the_other_series_share_of_the_year_gives_the_point():
    """Twelve series that always reach a quarter of their year by April: a new one is projected at ×4."""
    recs = []
    for s in range(12):
        years = [(2020 + j, 1.0 + 0.01 * s + 0.001 * j) for j in range(3)]
        recs += rows(s, years, (100.0, 150.0, 150.0), (100.0 + s,))
    recs += rows("nueva", [(2023, 1.0)], (0.0, 0.0, 0.0), (50.0,))[-1:]
    out = project_year_end(frame(recs)).set_index("serie")
    assert out.loc["nueva", "intervalo"] == INTERVALO_OTRAS_SERIES
    assert out.loc["nueva", "proyeccion"] == pytest.approx(200.0)


def test_without_history_the_interval_leans_the_way_the_other_series_shares_drifted():
    """Twelve series reach a smaller part of their year by April every year (total / April ×2.6, ×2.8,
    ×3.0, ×3.2): the point rule (median of the past, ×2.9) fell short in each past year, so the interval
    of a new serie reaches past every share seen and does not reach below the point."""
    recs = []
    for s in range(12):
        for j, inv in enumerate((2.6, 2.8, 3.0, 3.2)):
            first = 100.0 + s
            recs += [(s, 2020 + j, 1, first), (s, 2020 + j, 2, first * (inv - 1) / 2)]
            recs += [(s, 2020 + j, 3, first * (inv - 1) / 2)]
        recs.append((s, 2024, 1, 100.0 + s))
    recs.append(("nueva", 2024, 1, 50.0))
    out = project_year_end(frame(recs)).set_index("serie")
    assert out.loc["nueva", "intervalo"] == INTERVALO_OTRAS_SERIES
    assert out.loc["nueva", "proyeccion"] == pytest.approx(50.0 * 2.9)
    assert out.loc["nueva", "limite_inferior"] == pytest.approx(out.loc["nueva", "proyeccion"])
    assert out.loc["nueva", "limite_superior"] > 50.0 * 3.2


def test_an_upper_limit_never_exceeds_five_times_the_projection_however_wide_the_spread():
    """Shares whose tail reaches 100 times what was observed (a level that collapsed) are cut at 5×."""
    skewed = Reference(
        inverse_share={1: [3.0] * 60 + [100.0] * 41, 2: [1.5] * 101},
        profile_change={1: [0.0] * 101, 2: [0.0] * 101},
        source="prueba",
    )
    out = project_year_end(frame([("n", 2024, 1, 10.0)]), reference=skewed)
    assert out.loc[0, "proyeccion"] == pytest.approx(30.0)
    assert out.loc[0, "limite_superior"] == pytest.approx(150.0)


def test_nothing_observed_and_no_history_is_marked_as_without_base_and_leaves_the_upper_limit_open():
    h = frame([("n", 2024, 1, 0.0), ("p", 2024, 1, 40.0)])
    out = project_year_end(h).set_index("serie")
    assert out.loc["n", "proyeccion"] == 0.0
    assert out.loc["n", "limite_superior"] == np.inf
    assert (out.loc["n", "metodo"], out.loc["n", "intervalo"]) == (SIN_BASE, INTERVALO_NINGUNO)
    assert (out.loc["p", "metodo"], out.loc["p", "intervalo"]) == (RITMO, INTERVALO_REFERENCIA)


def test_a_complete_last_year_is_returned_as_observed_without_an_interval():
    h = frame(rows("a", [(2022, 1)], (1.0, 2.0, 3.0), (4.0, 5.0, 6.0)))
    out = project_year_end(h)
    assert out.loc[0, "proyeccion"] == 15.0 and out.loc[0, "metodo"] == ANIO_COMPLETO
    assert out.loc[0, "intervalo"] == INTERVALO_NINGUNO
    assert out.loc[0, "limite_inferior"] == out.loc[0, "limite_superior"] == 15.0


# --------------------------------------------------------------------------- contract


def test_the_output_follows_the_contract_and_says_how_with_codes():
    h = cut(simulate_history(12, 5, seed=1), 2)
    out = project_year_end(h, level=0.9)
    assert tuple(out.columns) == OUTPUT_COLUMNS
    assert len(out) == 12 and out["serie"].tolist() == list(range(12))
    assert (out["anio"] == h["anio"].max()).all()
    assert out["metodo"].isin(METHODS).all() and out["intervalo"].isin(INTERVALS).all()
    assert out["ponderado"].dtype == bool and out["con_suavizado"].dtype == bool


def test_a_wider_level_gives_a_wider_interval():
    h = cut(simulate_history(80, 8, seed=5), 1)
    narrow = project_year_end(h, level=0.5)
    wide = project_year_end(h, level=0.95)
    assert (
        wide["limite_superior"] - wide["limite_inferior"]
        >= narrow["limite_superior"] - narrow["limite_inferior"] - 1e-9
    ).all()


def test_an_empty_history_gives_an_empty_result():
    out = project_year_end(frame([]))
    assert len(out) == 0 and tuple(out.columns) == OUTPUT_COLUMNS


# --------------------------------------------------------------------------- properties

# Production figures: zero or a normal float (subnormal numbers underflow to zero when scaled).
values = st.one_of(
    st.just(0.0), st.floats(min_value=1e-3, max_value=1e6, allow_nan=False, allow_infinity=False)
)


@st.composite
def histories(draw):
    n_series = draw(st.integers(1, 4))
    records = []
    for s in range(n_series):
        n_years = draw(st.integers(0, 4))
        observed = draw(st.integers(1, 2))
        for j in range(n_years):
            records += [(s, 2020 + j, q, draw(values)) for q in (1, 2, 3)]
        records += [(s, 2020 + n_years, q, draw(values)) for q in range(1, observed + 1)]
    return frame(records)


def observed_so_far(h: pd.DataFrame) -> pd.Series:
    last = h.groupby("serie")["anio"].transform("max")
    return h[h["anio"] == last].groupby("serie")["valor"].sum()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories())
def test_the_projection_is_never_below_what_was_already_observed(h):
    out = project_year_end(h).set_index("serie")
    seen = observed_so_far(h).reindex(out.index)
    assert (out["proyeccion"] >= seen * (1 - 1e-12)).all()
    assert (out["limite_inferior"] >= seen * (1 - 1e-12)).all()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories())
def test_the_interval_contains_the_projection(h):
    out = project_year_end(h)
    assert (out["limite_inferior"] <= out["proyeccion"] * (1 + 1e-12)).all()
    assert (out["proyeccion"] <= out["limite_superior"] * (1 + 1e-12)).all()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories(), st.floats(min_value=1e-3, max_value=1e3))
def test_scaling_the_series_scales_the_projection_and_keeps_the_method(h, factor):
    base = project_year_end(h)
    scaled = project_year_end(h.assign(valor=h["valor"] * factor))
    for col in ("proyeccion", "limite_inferior", "limite_superior"):
        np.testing.assert_allclose(scaled[col], base[col] * factor, rtol=1e-6, atol=1e-9)
    pd.testing.assert_frame_equal(scaled[HOW], base[HOW])


def test_a_serie_of_zeros_and_a_few_values_projects_the_same_in_other_units():
    """Found by hypothesis: many smoothing constants fit it exactly alike, and the tie must not be broken by
    the rounding of one unit or another."""
    values = [0, 1, 0, 0, 0, 0, 0, 187537, 0, 1.5, 0, 1823]
    records = [(0, 2020 + i // 3, i % 3 + 1, v) for i, v in enumerate(values)] + [(0, 2024, 1, 0.125)]
    h = frame(records)
    base = project_year_end(h)
    for factor in (0.5, 2.0, 1e3):
        scaled = project_year_end(h.assign(valor=h["valor"] * factor))
        for col in ("proyeccion", "limite_inferior", "limite_superior"):
            np.testing.assert_allclose(scaled[col], base[col] * factor, rtol=1e-9)


def test_scaling_one_series_among_many_scales_only_its_projection():
    h = cut(simulate_history(40, 7, seed=8), 1)
    base = project_year_end(h).set_index("serie")
    scaled = project_year_end(h.assign(valor=np.where(h["serie"] == 5, h["valor"] * 7.0, h["valor"])))
    scaled = scaled.set_index("serie")
    assert scaled.loc[5, "proyeccion"] == pytest.approx(7.0 * base.loc[5, "proyeccion"], rel=1e-9)
    others = base.index != 5
    np.testing.assert_allclose(scaled.loc[others, "proyeccion"], base.loc[others, "proyeccion"], rtol=1e-9)


# --------------------------------------------------------------------------- annual totals (cuatrimestre 0)


def _steady_series(n: int) -> list:
    """``n`` series that always bring a quarter of their year by April, at a steady level."""
    recs = []
    for s in range(n):
        years = [(2020 + j, 1.0 + 0.01 * s + 0.001 * j) for j in range(3)]
        recs += rows(s, years, (100.0, 150.0, 150.0), (100.0 + s,))
    return recs


def test_a_serie_known_only_by_annual_totals_takes_the_others_profile_with_its_own_level():
    annual = [("anual", 2020 + j, 0, 1000.0) for j in range(3)] + [("anual", 2023, 1, 250.0)]
    out = project_year_end(frame(_steady_series(12) + annual)).set_index("serie")
    # The others reach a quarter of the year by April, and its own level is 1000: both say 1000.
    assert out.loc["anual", "proyeccion"] == pytest.approx(1000.0, rel=0.02)
    assert out.loc["anual", "metodo"] != RITMO
    assert out.loc["anual", "limite_inferior"] <= 1000.0 <= out.loc["anual", "limite_superior"]


def test_annual_totals_give_the_level_a_serie_without_them_would_not_have():
    """The same April with a level of 1000 or of 2000 a year: the annual totals move the projection."""
    base = _steady_series(12)
    low = project_year_end(
        frame(base + [("x", 2020 + j, 0, 1000.0) for j in range(3)] + [("x", 2023, 1, 250.0)])
    )
    high = project_year_end(
        frame(base + [("x", 2020 + j, 0, 2000.0) for j in range(3)] + [("x", 2023, 1, 250.0)])
    )
    assert high.set_index("serie").loc["x", "proyeccion"] > low.set_index("serie").loc["x", "proyeccion"]


def test_a_year_given_as_a_total_is_split_by_the_series_own_cuatrimestres_and_never_backtested():
    past = np.array([[[10.0, 20.0, 70.0], [np.nan] * 3, [20.0, 40.0, 140.0]]])
    annual = np.array([[np.nan, 300.0, np.nan]])
    filled, imputed = split_annual_years(past, annual, np.array([1 / 3, 1 / 3, 1 / 3]))
    np.testing.assert_allclose(filled[0, 1], [30.0, 60.0, 210.0])
    assert imputed.tolist() == [[False, True, False]]
    path = smoothing_forecasts(filled, np.array([[30.0]]))
    assert sorted(backtest_errors(filled, 1, path).lag.tolist()) == [1, 2]
    assert backtest_errors(filled, 1, path, imputed).lag.tolist() == [1]
