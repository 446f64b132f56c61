"""The quantiles of scaled errors, widened for the shocks the errors of one year share.

Why a module of its own: the errors of one past year share that year's shock (a recession, a calendar
that moves births between cuatrimestres), so a call's errors hold as many shocks as years, not as many
as errors. Both intervals, that of a serie with history (:mod:`.intervals`) and that of one without
(:mod:`.cold_start`), take their quantiles from here, so they treat a year's shock alike.
"""

from __future__ import annotations

import numpy as np

# special.ndtri is what stats.norm.ppf computes (bit for bit), without the half second scipy.stats takes to
# import in every chapter's kernel.
from scipy import special

#: Fewest years of errors whose own spread gives the shape of the interval, the shocks each year shared
#: included (fewer: the shocks are modelled as symmetric, :func:`few_years_quantiles`).
MIN_YEARS_SHAPE = 3


def central_quantiles(z: np.ndarray, level: float) -> tuple[float, float]:
    """Central ``level`` quantiles of the scaled errors, never excluding 0.

    Plotting position p(n + 1) (``method="weibull"``): a new error falls
    between the order statistics so chosen with probability ``level``, while
    the default position p(n - 1) + 1 gives a narrower band that a new error
    leaves more often when the call has few past errors.
    """
    z = z[~np.isnan(z)]
    lo, hi = np.quantile(z, [(1 - level) / 2, (1 + level) / 2], method="weibull")
    return min(float(lo), 0.0), max(float(hi), 0.0)


def year_moments(z: np.ndarray, inv: np.ndarray, years: int):
    """Each year's count and mean of ``z`` (``inv``: each value's year, 0 .. years - 1), what is left of
    ``z`` without its year's mean, and the variance within years (0 when the years use up every value):
    what both the analysis of variance by year and the few-years quantiles read."""
    cnt = np.bincount(inv, minlength=years).astype(float)
    means = np.bincount(inv, weights=z, minlength=years) / np.maximum(cnt, 1.0)
    rest = z - means[inv]
    dof = z.size - years
    within = float(np.sum(rest**2) / dof) if dof > 0 else 0.0
    return cnt, means, rest, within


def year_share(z: np.ndarray, inv: np.ndarray, years: int) -> float:
    """Between-year share of the variance of ``z`` (``inv``: each value's year, 0 .. years - 1).

    A one-way analysis of variance by year (method of moments, unbalanced
    groups); all of it when the years leave nothing to tell them apart.
    """
    if years < 2 or z.size <= years:
        return 1.0
    cnt, means, _, within = year_moments(z, inv, years)
    n0 = (z.size - np.sum(cnt**2) / z.size) / (years - 1)
    between_ms = float(np.sum(cnt * (means - z.mean()) ** 2) / (years - 1))
    between = max((between_ms - within) / n0, 0.0)
    total = between + within
    return between / total if total > 0 else 1.0


def widened_quantiles(z: np.ndarray, lag: np.ndarray, level: float) -> tuple[float, float]:
    """The central ``level`` quantiles of the scaled errors ``z`` (``lag``: their year), widened for the
    shocks their years share.

    Those shocks (a recession, a calendar that moves births between
    cuatrimestres) are as many draws as there are years of errors, not as
    many as errors. From ``MIN_YEARS_SHAPE`` years on, the empirical
    quantiles hold them, and their share of the variance (:func:`year_share`)
    is widened as one widens a variance estimated from that many draws for a
    new one, √(1 + share / years). With fewer years the errors show one or two
    shocks, of one sign each, and their quantiles lean to that sign
    (:func:`few_years_quantiles`).
    """
    ok = np.isfinite(z)
    z, lag = z[ok], lag[ok]
    years, inv = np.unique(lag, return_inverse=True)
    if years.size < MIN_YEARS_SHAPE:
        return few_years_quantiles(z, inv, years.size, level)
    widen = float(np.sqrt(1.0 + year_share(z, inv, years.size) / years.size))
    q_lo, q_hi = central_quantiles(z, level)
    return widen * q_lo, widen * q_hi


def few_years_quantiles(z: np.ndarray, inv: np.ndarray, years: int, level: float) -> tuple[float, float]:
    """Quantiles from one or two years of errors: each serie's own part, plus a shock of either sign.

    The errors of one year share that year's shock: a call with two past
    years calibrated on the errors of a single year, whose quantiles ran
    from 0 to that year's shock. The next year's shock is as likely of the
    other sign, and the interval missed it (60-65 % coverage on the held-out
    real series, whose births move with the calendar of each year). Here
    each year's mean is taken out: the quantiles of what is left give the
    shape, widened by the variance of the shocks, estimated from the year
    means around zero (the procedure has no bias of its own) less their
    noise, and inflated as a variance read from ``years`` draws.
    """
    if z.size == 0:
        return 0.0, 0.0
    cnt, means, rest, within = year_moments(z, inv, years)
    shock = float(np.mean(np.maximum(means**2 - within / np.maximum(cnt, 1.0), 0.0)))
    shock *= 1.0 + 1.0 / max(years, 1)
    if within <= 0:  # nothing but the shocks: a normal of their size
        half = float(np.sqrt(shock) * special.ndtri((1 + level) / 2))
        return -half, half
    widen = float(np.sqrt(1.0 + shock / within))
    q_lo, q_hi = central_quantiles(rest, level)
    return widen * q_lo, widen * q_hi
