"""The within-year profile family: what each serie's past years say about the rest of this one.

Public-finance practice projects the year end from the share of the year
reached by this point in past years. No single variant of that idea wins on
every serie (a stable serie wants all years alike, a growing one a trend
correction, one that just changed level its last cuatrimestre), so the
engine computes several, plus the smoothing's forecast
(:mod:`.smoothing`), and lets the in-call backtest weigh them
(:mod:`.weighting`). Every quantity is a log ratio total / observed, so
the variants average on one scale whatever the size of the serie.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pei_analysis.model.projection.codes import (
    COMBINACION,
    PERFIL,
    PERFIL_IMPULSO,
    PERFIL_MEDIO,
    PERFIL_NIVEL,
    PERFIL_RECIENTE,
    PERFIL_TENDENCIA,
    REMANENTE,
    SUAVIZADO,
)

#: Weight of a past year relative to the next one when averaging profiles.
RECENCY = 0.7
#: Damping of the historical growth of yearly totals when extrapolating one year ahead.
GROWTH_DAMPING = 0.5
#: Pseudo-count of years of the pooled dispersion when shrinking a serie's own.
SHRINK_YEARS = 2.0
#: Share of a year's growth that shows in the log ratio total/observed, after 1 or 2 cuatrimestres.
TREND_EFFECT = {1: 1.0 / 3.0, 2: 1.0 / 6.0}
#: Share of the unusual growth from the 1st to the 2nd cuatrimestre assumed to carry on into the 3rd.
MOMENTUM = 0.5


@dataclass(frozen=True)
class Features:
    """Per-serie quantities (one value per serie) the candidate methods need.

    ``share_bar`` / ``share_flat``: share of the year reached by now in past
    years, recent years weighing more / all alike; ``yoy``: log growth of what
    was observed over the same part of last year; ``within_bar``: the growth
    within past years; ``kappa``: how much of a growth change shows in the
    profile rather than in noise; ``level`` and ``level_weight``: the yearly
    total extrapolated from past growth and its weight against the profile;
    ``recent``: the rest of the year from the last cuatrimestre's ratio;
    ``momentum``: unusual growth into the last cuatrimestre; ``remainder``:
    what the rest of the year brought before; ``smoothing``: the Holt-Winters
    forecast of the rest of the year; ``n_hist``: past years.
    """

    share_bar: np.ndarray
    share_flat: np.ndarray
    yoy: np.ndarray
    within_bar: np.ndarray
    kappa: np.ndarray
    level: np.ndarray
    level_weight: np.ndarray
    recent: np.ndarray
    momentum: np.ndarray
    remainder: np.ndarray
    smoothing: np.ndarray
    n_hist: np.ndarray


def recency_weights(width: int) -> np.ndarray:
    """Weights of ``width`` past years (the latest last), falling by ``RECENCY`` per year back."""
    return RECENCY ** np.arange(width)[::-1][None, :]


def weighted_mean(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Mean of each row of ``values`` under ``weights``, NaN values left out (NaN where none is left)."""
    w = np.where(np.isnan(values), 0.0, weights)
    total = w.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, np.nansum(np.nan_to_num(values) * w, axis=1) / total, np.nan)


def shrunk_variance(x: np.ndarray) -> np.ndarray:
    """Each row's variance, shrunk towards the call's median one (``SHRINK_YEARS`` pseudo-years).

    A serie with three past years has a variance read from two differences:
    alone it is noise, pooled with the call's it is usable.
    """
    cnt = (~np.isnan(x)).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.nanmean(np.where(cnt[:, None] > 0, x, 0.0), axis=1)
        ss = np.nansum((x - mean[:, None]) ** 2, axis=1)
        own = np.where(cnt >= 2, ss / np.maximum(cnt - 1, 1), np.nan)
    pooled = np.nanmedian(own) if np.isfinite(own).any() else np.nan
    dof = np.maximum(cnt - 1, 0)
    if np.isnan(pooled):
        return own
    return (SHRINK_YEARS * pooled + dof * np.nan_to_num(own)) / (SHRINK_YEARS + dof)


def serie_shares(past: np.ndarray) -> np.ndarray:
    """Each serie's mean share of the year in each cuatrimestre over its past years (series × 3; NaN if
    none)."""
    totals = past.sum(axis=2, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.where(totals > 0, past / totals, np.nan)
    cnt = (~np.isnan(shares)).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(cnt > 0, np.nansum(shares, axis=1) / cnt, np.nan)


def typical_shares(past: np.ndarray, min_series: int) -> np.ndarray | None:
    """The median serie's share of the year in each cuatrimestre (summing to 1); None with fewer than
    ``min_series``."""
    own = serie_shares(past)
    own = own[~np.isnan(own).any(axis=1)]
    if len(own) < min_series:
        return None
    mid = np.median(own, axis=0)
    return mid / mid.sum()


def split_annual_years(
    past: np.ndarray, annual: np.ndarray, typical: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Past years known only by their total, split by cuatrimestre; and where that was done (series × years).

    An annual total says how big the year was, not how it was spread, so it
    is split by the shares the serie's own years by cuatrimestre show or, when
    it has none, by the ``typical`` shares (the other series', or the
    reference's). The split years then give the yearly level (totals, growth,
    the smoothing's level) and take no part in the profile: the features leave
    their shares out and the backtest projects none of them (``imputed``).
    """
    own = serie_shares(past)
    share = np.where(np.isnan(own).any(axis=1, keepdims=True), typical[None, :], own)
    imputed = ~np.isnan(annual)
    filled = np.where(imputed[:, :, None], annual[:, :, None] * share[:, None, :], past)
    return filled, imputed


def serie_features(
    past: np.ndarray, obs: np.ndarray, k: int, smoothing: np.ndarray, imputed=None
) -> Features:
    """The features of every serie from its past years (series × years × 3) and its first ``k`` cuatrimestres.

    ``imputed`` (series × years) marks years split from an annual total: they
    count for the level, not for the profile (:func:`split_annual_years`).
    """
    o = obs.sum(axis=1)
    m, width, _ = past.shape
    w = recency_weights(width)
    totals = past.sum(axis=2)
    part = past[:, :, :k].sum(axis=2)
    profile_past = past if imputed is None else np.where(imputed[:, :, None], np.nan, past)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(totals > 0, part / totals, np.nan)
        if imputed is not None:
            share = np.where(imputed, np.nan, share)
        log_tot = np.where(totals > 0, np.log(totals), np.nan)
        log_share = np.where(share > 0, np.log(share), np.nan)
        growth = np.concatenate([np.full((m, 1), np.nan), np.diff(log_tot, axis=1)], axis=1)
        last_part = part[:, -1]
        yoy = np.where((o > 0) & (last_part > 0), np.log(o / last_part), np.nan)
    # Growth within each past year: mean of the growth into it and out of it (the last one uses this year's).
    growth_out = np.concatenate([growth[:, 1:], yoy[:, None]], axis=1)
    with np.errstate(invalid="ignore"):
        within = np.where(
            np.isnan(growth), growth_out, np.where(np.isnan(growth_out), growth, (growth + growth_out) / 2)
        )
    growth_bar = weighted_mean(growth, w)
    # Dispersion of the profile and of yearly growth, shrunk towards the pooled value of the call.
    var_share = shrunk_variance(log_share)
    var_growth = shrunk_variance(growth)
    with np.errstate(invalid="ignore", divide="ignore"):
        kappa = np.nan_to_num(var_growth / (var_growth + 2.0 * var_share), nan=0.0)
        level = totals[:, -1] * np.exp(GROWTH_DAMPING * np.nan_to_num(growth_bar))
        level_weight = np.nan_to_num(var_share / (var_share + var_growth), nan=0.0)
    return Features(
        share_bar=weighted_mean(share, w),
        share_flat=weighted_mean(share, np.ones_like(w)),
        yoy=yoy,
        within_bar=weighted_mean(np.where(np.isnan(share), np.nan, within), w),
        kappa=kappa,
        level=level,
        level_weight=level_weight,
        recent=_recent(profile_past, obs, k, totals - part, w),
        momentum=_momentum(profile_past, obs, k, w),
        remainder=weighted_mean(totals - part, w),
        smoothing=smoothing,
        n_hist=(~np.isnan(totals)).sum(axis=1),
    )


def _recent(past: np.ndarray, obs: np.ndarray, k: int, rest: np.ndarray, w: np.ndarray) -> np.ndarray:
    """The rest of the year as the last observed cuatrimestre times its usual ratio to the rest of the
    year."""
    with np.errstate(invalid="ignore", divide="ignore"):
        last_cuat = past[:, :, k - 1]
        rest_ratio = np.where(last_cuat > 0, rest / last_cuat, np.nan)
        return obs[:, -1] * weighted_mean(rest_ratio, w)


def _momentum(past: np.ndarray, obs: np.ndarray, k: int, w: np.ndarray) -> np.ndarray:
    """How much faster than usual the serie grew from the previous cuatrimestre to the last one (0 after
    one)."""
    if k != 2:
        return np.zeros(past.shape[0])
    with np.errstate(invalid="ignore", divide="ignore"):
        step = np.where(
            (past[:, :, 0] > 0) & (past[:, :, 1] > 0), np.log(past[:, :, 1] / past[:, :, 0]), np.nan
        )
        now = np.where((obs[:, 0] > 0) & (obs[:, 1] > 0), np.log(obs[:, 1] / obs[:, 0]), np.nan)
        return np.nan_to_num(now - weighted_mean(step, w))


def candidate_log_ratios(f: Features, o: np.ndarray, k: int) -> dict[str, np.ndarray]:
    """Log of projected total / observed for each candidate method, by method code (NaN where it does not
    apply).

    ``REMANENTE`` is all NaN: it is what every variant falls back to (observed
    plus :attr:`Features.remainder`), not a ratio.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        usable = (o > 0) & (f.share_bar > 0)
        base = np.where(usable, -np.log(f.share_bar), np.nan)
        trend = TREND_EFFECT[k] * f.kappa * np.nan_to_num(f.yoy - f.within_bar)
        level_gap = np.where(f.level > 0, np.log(f.level) - np.log(np.where(o > 0, o, np.nan)) - base, 0.0)
        level_gap = np.nan_to_num(level_gap)
        out = {
            PERFIL: base,
            PERFIL_MEDIO: np.where(usable & (f.share_flat > 0), -np.log(f.share_flat), np.nan),
            PERFIL_TENDENCIA: base + trend,
            PERFIL_NIVEL: base + f.level_weight * level_gap,
        }
        smooth = _or_base(np.log1p(f.smoothing / np.where(o > 0, o, np.nan)), base)
        if k == 2:
            out[PERFIL_RECIENTE] = _or_base(np.log1p(f.recent / np.where(o > 0, o, np.nan)), base)
            pushed = np.log1p(f.recent * np.exp(MOMENTUM * f.momentum) / np.where(o > 0, o, np.nan))
        parts = list(out.values()) + [smooth]
        out[COMBINACION] = sum(parts) / len(parts)
        out[SUAVIZADO] = smooth
        if k == 2:
            out[PERFIL_IMPULSO] = _or_base(pushed, base)
        out[REMANENTE] = np.full(o.shape, np.nan)
    return out


def _or_base(log_ratio: np.ndarray, base: np.ndarray) -> np.ndarray:
    """``log_ratio`` where finite, else the plain profile's."""
    return np.where(np.isfinite(log_ratio), log_ratio, base)
