"""The projection of a call: each serie sent to the stage that suits what it has, results in one table.

A serie whose year is complete needs no projection; one with past years goes
through the profile family, the smoothing, the in-call backtest and the
empirical interval; one without any gets a point from the within-year shares
of the other series (or the reference) and an interval from what that rule
missed by in their past years. The stages are grouped by
cuatrimestres observed, because every array of a stage has the same shape
only for series that observed the same part of the year.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pei_analysis.model.projection.codes import (
    ANIO_COMPLETO,
    INTERVALO_NINGUNO,
    INTERVALO_OTRAS_SERIES,
    INTERVALO_PROPIO,
    INTERVALO_REFERENCIA,
    OUTPUT_COLUMNS,
    REMANENTE,
    RITMO,
    SIN_BASE,
)
from pei_analysis.model.projection.cold_start import (
    MIN_POOLED_SERIES,
    pooled_inverse_shares,
    without_history_interval,
)
from pei_analysis.model.projection.counting import count_log_variance
from pei_analysis.model.projection.inputs import check_level, check_max_history, prepare_history
from pei_analysis.model.projection.intervals import prediction_interval
from pei_analysis.model.projection.profiles import (
    candidate_log_ratios,
    serie_features,
    split_annual_years,
    typical_shares,
)
from pei_analysis.model.projection.reference import DEFAULT_REFERENCE, Reference
from pei_analysis.model.projection.smoothing import smoothing_forecasts
from pei_analysis.model.projection.weighting import backtest_errors, weigh_variants

#: Past years used at most (older ones weigh almost nothing with the recency weights).
MAX_HISTORY = 12


@dataclass(frozen=True)
class Projection:
    """The projection of some series: one value per serie in each field (codes as in the package
    docstring)."""

    point: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    method: np.ndarray
    weighted: np.ndarray
    smoothed: np.ndarray
    interval: np.ndarray

    @classmethod
    def empty(cls, n: int) -> Projection:
        """Room for ``n`` series, to be filled stage by stage."""
        return cls(
            point=np.full(n, np.nan),
            lower=np.full(n, np.nan),
            upper=np.full(n, np.nan),
            method=np.empty(n, dtype=object),
            weighted=np.zeros(n, dtype=bool),
            smoothed=np.zeros(n, dtype=bool),
            interval=np.empty(n, dtype=object),
        )

    @classmethod
    def unweighted(cls, point, lower, upper, method: str, interval: str) -> Projection:
        """Series that all took one method and one interval basis, with no weighing and no smoothing."""
        n = len(point)
        return cls(
            point=point,
            lower=lower,
            upper=upper,
            method=np.full(n, method, dtype=object),
            weighted=np.zeros(n, dtype=bool),
            smoothed=np.zeros(n, dtype=bool),
            interval=np.full(n, interval, dtype=object),
        )

    def fill(self, at: np.ndarray, part: Projection) -> None:
        """Write ``part`` (the projection of the series ``at``) into this one."""
        for name in self.__dataclass_fields__:
            getattr(self, name)[at] = getattr(part, name)


def project_year_end(
    history: pd.DataFrame,
    level: float = 0.8,
    *,
    reference: Reference | None = None,
    max_history: int = MAX_HISTORY,
    counts: bool = False,
) -> pd.DataFrame:
    """Project each serie's total for its latest year with a central ``level`` prediction interval.

    See the package docstring for the methods and the codes of the result.
    ``reference`` replaces the within-year profile assumed only where the
    call's own data offer none; ``max_history`` caps the past years used.
    ``counts``: the values count events, so each interval also holds the
    counting noise of the rest of the year (:mod:`.counting`); off by default,
    because a serie in thousands of units or in money has none.
    """
    level = check_level(level)
    max_history = check_max_history(max_history)
    reference = reference if reference is not None else DEFAULT_REFERENCE
    prepared = prepare_history(history, max_history)
    n = len(prepared.ids)
    if n == 0:
        return _empty_result()
    past, imputed = _with_annual_years(prepared, reference)
    out = Projection.empty(n)
    complete = prepared.observed == 3
    if complete.any():
        out.fill(complete, _complete_year(prepared.current[complete]))
    has_hist = prepared.has_history
    for k in (1, 2):
        sel_k = prepared.observed == k
        idx_h = np.flatnonzero(sel_k & has_hist)
        idx_n = np.flatnonzero(sel_k & ~has_hist)
        if idx_h.size:
            obs = prepared.current[idx_h, :k]
            part_imputed = None if imputed is None else imputed[idx_h]
            # Ratios of zeros and of extreme values are expected here; each is guarded where it is used.
            with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
                out.fill(
                    idx_h, _project_with_history(past[idx_h], obs, k, level, reference, part_imputed, counts)
                )
        if idx_n.size:
            # Every serie with history in the call (whatever it observed this year) lends its profile.
            pool = pooled_inverse_shares(prepared.past[has_hist], k)
            obs = prepared.current[idx_n, :k].sum(axis=1)
            out.fill(idx_n, _project_without_history(obs, k, level, pool, reference, counts))
    return _result_frame(prepared.ids, prepared.year, out)


def _with_annual_years(prepared, reference: Reference):
    """The past years with those known only by their total split by cuatrimestre, and where that was done.

    Without annual totals in the call, the past years as they are (and None).
    The split follows the serie's own years by cuatrimestre or, without any,
    the typical shares of the call's series (at least ``MIN_POOLED_SERIES``) or
    the reference's (:func:`.profiles.split_annual_years`).
    """
    if prepared.annual is None:
        return prepared.past, None
    typical = typical_shares(prepared.past, MIN_POOLED_SERIES)
    typical = reference.year_shares() if typical is None else typical
    return split_annual_years(prepared.past, prepared.annual, typical)


def _complete_year(current: np.ndarray) -> Projection:
    """The year is complete: the projection and both limits are what was observed."""
    total = current.sum(axis=1)
    return Projection.unweighted(total, total, total, ANIO_COMPLETO, INTERVALO_NINGUNO)


def _project_with_history(
    past: np.ndarray, obs: np.ndarray, k: int, level: float, reference, imputed=None, counts: bool = False
) -> Projection:
    """Profile variants and smoothing weighed by the in-call backtest; interval from the procedure's errors.

    ``imputed`` marks past years split from an annual total (level, not profile).
    """
    o = obs.sum(axis=1)
    path = smoothing_forecasts(past, obs)
    f = serie_features(past, obs, k, path[:, -1], imputed)
    errors = backtest_errors(past, k, path, imputed)
    weighing = weigh_variants(candidate_log_ratios(f, o, k), f.smoothing, errors, k)
    logf = weighing.log_ratio
    usable = ~np.isnan(logf)
    remainder = np.maximum(np.nan_to_num(f.remainder), 0.0)
    with np.errstate(over="ignore", invalid="ignore"):
        proj = np.where(usable, o * np.exp(np.maximum(np.nan_to_num(logf), 0.0)), o + remainder)
    count_var = count_log_variance(proj - o, proj) if counts else None
    interval = prediction_interval(
        proj, o, usable, weighing.procedure, errors, k, level, reference, f.n_hist, count_var
    )
    return Projection(
        point=proj,
        lower=interval.lower,
        upper=interval.upper,
        method=np.where(usable, weighing.main, REMANENTE).astype(object),
        weighted=usable & weighing.weighted,
        smoothed=usable & weighing.smoothed,
        interval=np.where(interval.from_reference, INTERVALO_REFERENCIA, INTERVALO_PROPIO).astype(object),
    )


def _project_without_history(
    o: np.ndarray, k: int, level: float, pool, reference, counts: bool = False
) -> Projection:
    """The expected share of the year reached by now, and its spread, from the other series or the
    reference.

    With nothing observed that share has nothing to scale: the rule gives 0, from 0 to no limit, which
    says nothing of the year. Those series are marked ``SIN_BASE`` (no interval basis) so the book can
    say so instead of publishing «0» as a forecast; the numbers stay, for programs that read only them.
    With ``counts`` the interval also holds the chance in counting the rest of the year (:mod:`.counting`).
    """
    proj, lower, upper, from_reference = without_history_interval(o, k, level, pool, reference, counts)
    basis = INTERVALO_REFERENCIA if from_reference else INTERVALO_OTRAS_SERIES
    out = Projection.unweighted(proj, lower, upper, RITMO, basis)
    nothing = ~(o > 0)
    out.method[nothing] = SIN_BASE
    out.interval[nothing] = INTERVALO_NINGUNO
    return out


def _result_frame(ids: pd.Index, year: np.ndarray, out: Projection) -> pd.DataFrame:
    """The result table, one row per serie, columns ``OUTPUT_COLUMNS``."""
    return pd.DataFrame(
        {
            "serie": ids,
            "anio": year.astype("int64"),
            "proyeccion": out.point,
            "limite_inferior": out.lower,
            "limite_superior": out.upper,
            "metodo": out.method,
            "ponderado": out.weighted,
            "con_suavizado": out.smoothed,
            "intervalo": out.interval,
        }
    )


def _empty_result() -> pd.DataFrame:
    """The result of a call without series: no rows, the columns typed as they would be."""
    types = {
        "serie": object,
        "anio": "int64",
        "metodo": object,
        "ponderado": bool,
        "con_suavizado": bool,
        "intervalo": object,
    }
    return pd.DataFrame({c: pd.Series(dtype=types.get(c, float)) for c in OUTPUT_COLUMNS})
