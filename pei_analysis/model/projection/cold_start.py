"""A serie with no history: projection and interval from one spread of within-year shares.

The spread is that of the call's other series (pooled) or, with too few of them, of the reference
series; the point sits at its median and the limits at its central quantiles, so point and
interval rest on the same expected share of the year (:func:`without_history_interval` says why).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pei_analysis.model.projection.intervals import capped_upper

#: Series with history needed before their pooled profiles give the interval of a serie without history.
MIN_POOLED_SERIES = 10


@dataclass(frozen=True)
class PooledShares:
    """total / observed part of every past year of the series with history (each serie weighs the same)."""

    values: np.ndarray
    weights: np.ndarray
    n_series: int


def pooled_inverse_shares(past: np.ndarray, k: int) -> PooledShares:
    """total / observed part of every past year of the series with history; each serie weighs the same."""
    totals = past.sum(axis=2)
    part = past[:, :, :k].sum(axis=2)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        inv = np.where((part > 0) & (totals > 0), totals / part, np.nan)
    keep = ~np.isnan(inv)
    cnt = keep.sum(axis=1, keepdims=True)
    weights = np.broadcast_to(1.0 / np.maximum(cnt, 1), inv.shape)
    return PooledShares(values=inv[keep], weights=weights[keep], n_series=int((cnt[:, 0] > 0).sum()))


def weighted_quantile(values: np.ndarray, weights: np.ndarray, probs) -> np.ndarray:
    """Quantiles ``probs`` of ``values`` under ``weights`` (midpoint plotting positions)."""
    order = np.argsort(values, kind="stable")
    v, w = values[order], weights[order]
    cum = (np.cumsum(w) - 0.5 * w) / w.sum()
    return np.interp(probs, cum, v)


def without_history_interval(o: np.ndarray, k: int, level: float, pool: PooledShares, reference):
    """Projection and interval of a serie without history, both from one spread of within-year shares.

    The spread is total / observed part in every past year of the call's
    series with history (pooled, each serie weighing the same) or, with fewer
    than ``MIN_POOLED_SERIES`` of them, the reference's. The projection is
    what was observed times the *median* of that spread, and the limits its
    central ``level`` quantiles: point and interval rest on the same expected
    share of the year. The pace so far (×3, ×1.5) assumed an even year the
    spread did not centre on (the reference's median is ×3.26, its band ×2.89
    to ×3.65). Of the two ways to reconcile them, moving the point to the
    spread's centre was chosen by measurement (``evaluation.short_history``,
    mixed runs where each serie is once stripped of its history): against the
    pace it cuts those series' median error by 24 % / 10 % (after one / two
    cuatrimestres) on the real tuning series and by 58 % / 15 % on the held-out
    ones, coverage unchanged; re-centring the spread on the pace kept the
    pace's error and left the held-out coverage at 34 % after one cuatrimestre.
    (Simulated series, whose profiles have random phases: 0.99× and 1.02×.)
    Where the reference gives the centre (no serie of the call has history)
    the evidence is weaker: with the reference rebuilt without the source
    projected, the centre beats the pace on 13 of 16 sources after one
    cuatrimestre (median 0.59×) and 10 of 16 after two (0.72×), but loses on
    flat ones (US employment, 4.6×) and, after two, on both held-out sources.
    One rule for both keeps point and interval on the same share everywhere.

    Returns projection, lower, upper and whether the reference gave them (a
    scalar: the whole call shares one basis). Nothing observed and no history:
    nothing bounds the rest of the year, so the upper limit is open.
    """
    probs = [(1 - level) / 2, 0.5, (1 + level) / 2]
    from_reference = pool.n_series < MIN_POOLED_SERIES
    if from_reference:
        q_lo, q_mid, q_hi = reference.quantile("inverse_share", k, probs)
    else:
        q_lo, q_mid, q_hi = weighted_quantile(pool.values, pool.weights, probs)
    proj = o * max(float(q_mid), 1.0)
    lower = np.minimum(o * max(q_lo, 1.0), proj)
    upper = np.where(o > 0, capped_upper(np.maximum(o * q_hi, proj), proj), np.inf)
    return proj, lower, upper, from_reference
