"""Prediction intervals: empirical quantiles of the procedure's own backtest errors, scaled per serie.

An interval calibrated on the data at hand, rather than on a distributional
assumption, holds the real totals as often as its level says on series
unlike the ones the engine was tuned on. The errors of the replayed
procedure (:mod:`.weighting`), each scaled by its serie's typical error, give
the quantiles; they are widened for shocks a year shares across series and
for the depth of each serie's history. With too few past years in the call
the size comes from the serie's own few errors shrunk towards the other
series' (or the reference's) and the shape from the reference. A serie with
no history at all is :mod:`.cold_start`'s.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# special.ndtri and special.stdtrit are what stats.norm.ppf and stats.t.ppf compute (bit for bit), without the
# half second scipy.stats takes to import in every chapter's kernel.
from scipy import special

from pei_analysis.model.projection.codes import REMANENTE
from pei_analysis.model.projection.counting import with_counting_noise
from pei_analysis.model.projection.profiles import SHRINK_YEARS
from pei_analysis.model.projection.shocks import widened_quantiles
from pei_analysis.model.projection.smoothing import SMOOTHING_MIN_YEARS
from pei_analysis.model.projection.weighting import DEFAULT_METHOD, BacktestErrors

#: Backtest origins needed before the call's own backtest chooses and calibrates.
MIN_ORIGINS = 30
#: Past years of history from which a backtest error counts as comparable to the current projection's.
COMPARABLE_HISTORY = 3
#: Fewest past years the comparable errors must span: below it, errors from shallower histories count too.
MIN_CALIBRATION_YEARS = 2
#: Weight, in backtest years, of the reference's profile change in the interval of a call with few years.
PRIOR_ORIGINS = 1.0
#: Fewest series with backtest errors whose typical size a serie without its own leans on (else: reference).
MIN_PRIOR_SERIES = 3
#: Cap on the pseudo-years that prior weighs.
MAX_PRIOR_YEARS = 30.0
#: Largest upper limit, as a multiple of the projection (see :func:`capped_upper`).
MAX_UPPER_RATIO = 5.0

#: log E|Z| - E[log|Z|] for a normal Z: how far the log of one absolute error falls below its log size.
_LOG_ABS_BIAS = float(np.log(np.sqrt(2.0 / np.pi)) + (np.euler_gamma + np.log(2.0)) / 2.0)
#: Variance of log|Z| for a normal Z (pi^2/8): the noise of a size read from one error.
_LOG_ABS_VAR = float(np.pi**2 / 8.0)
_ABS_RELVAR = float(np.pi / 2.0 - 1.0)  # relative variance of |Z|


@dataclass(frozen=True)
class Interval:
    """Limits of each serie's interval, and whether it rests on the reference rather than on the call's
    data."""

    lower: np.ndarray
    upper: np.ndarray
    from_reference: np.ndarray


@dataclass(frozen=True)
class _OwnErrors:
    """The procedure's backtest errors, comparable and depth-free (``err``, NaN where not), and their sums.

    ``ss`` and ``cnt`` are each serie's sum of squares and count; ``pooled``
    the call's typical mean square (median over the series).
    """

    err: np.ndarray
    ok: np.ndarray
    sq: np.ndarray
    ss: np.ndarray
    cnt: np.ndarray
    pooled: float

    @property
    def enough(self) -> bool:
        """Enough errors for empirical quantiles (``MIN_ORIGINS``)."""
        return bool(self.ok.sum() >= MIN_ORIGINS and self.pooled > 0)


def log_mad_bias(n):
    """Bias of the log of a mean of ``n`` absolute normal errors (delta method in 1/n, exact at n = 1)."""
    n = np.maximum(n, 1)
    return _ABS_RELVAR / (2 * n) + (_LOG_ABS_BIAS - _ABS_RELVAR / 2) / n**2


def log_mad_var(n):
    """Variance of that log (delta method in 1/n, exact at n = 1)."""
    n = np.maximum(n, 1)
    return _ABS_RELVAR / n + (_LOG_ABS_VAR - _ABS_RELVAR) / n**2


def size_prior(log_own, own_n, reference, k, probs, ratio, years=np.inf) -> tuple[float, float, bool]:
    """Log interval size a serie without enough errors of its own leans on, and how many years it weighs.

    From the other series of the call when enough have backtest errors: their
    typical log size, weighing as many pseudo-years as one error's noise over
    the true spread of sizes between series (homogeneous series lend a firm
    prior, scattered ones a weak one), and no more than the ``years`` those
    errors span (years share shocks across series). Otherwise the reference's,
    weighing ``PRIOR_ORIGINS``. The last value says whether it is the reference.
    """
    has = own_n > 0
    if has.sum() >= MIN_PRIOR_SERIES:
        x, m = log_own[has], own_n[has]
        noise = float(np.mean(log_mad_var(m)))
        spread = max(float(np.var(x, ddof=1)) - noise, 1e-3)
        return float(np.median(x)), float(min(_LOG_ABS_VAR / spread, MAX_PRIOR_YEARS, years)), False
    q_lo, q_hi = reference.quantile("profile_change", k, probs)
    return float(np.log(max((max(q_hi, 0.0) - min(q_lo, 0.0)) / 2.0 / ratio, 1e-6))), PRIOR_ORIGINS, True


def depth(n_hist):
    """How the error of a profile grows when it rests on fewer years: sqrt(1 + 1/years) (noise of a mean).

    Errors are divided by it at the depth they were made and the interval is
    multiplied by it at the serie's depth now, so a serie with one past year
    does not borrow the narrower errors of series with eight.
    """
    return np.sqrt(1.0 + 1.0 / np.maximum(np.asarray(n_hist, dtype=float), 1.0))


def _comparable_errors(errors: BacktestErrors, usable, n_hist, method_errors: np.ndarray) -> np.ndarray:
    """Errors of a method (the remainder's where the profile cannot be used), comparable, depth-free.

    Only past years projected from about as much history as the serie has now
    count: one projected from a single year misses by more than one projected
    from eight, and would widen the interval for nothing. But never fewer
    than ``MIN_CALIBRATION_YEARS`` past years (:func:`deepest_spanning`).
    """
    r, origin_hist = errors.row, errors.n_hist
    wanted = np.minimum(np.minimum(n_hist[r], COMPARABLE_HISTORY), deepest_spanning(errors))
    comparable = origin_hist >= wanted
    e = np.where(usable[r], method_errors, errors.log_errors[REMANENTE])
    return np.where(comparable & np.isfinite(e), e, np.nan) / depth(origin_hist)


def deepest_spanning(errors: BacktestErrors) -> int:
    """The deepest history from which the backtest errors still span ``MIN_CALIBRATION_YEARS`` past years.

    A call with three past years has errors from one year back (projected
    from two years) and two back (from one). Keeping only the deeper ones
    calibrated the interval on a single year, whose errors are as calm or as
    shocked as that year was. Two years of errors, the shallower ones made
    comparable by :func:`depth`, moved the coverage of the last year with three
    past years (``evaluation.short_history``, after one / two cuatrimestres)
    from 89.7 / 67.0 % to 84.5 / 83.5 % on the held-out series, from 89.0 /
    88.3 % to 83.4 / 90.2 % on the tuning ones and from 84.5 / 81.2 % to 86.0 /
    82.8 % on simulated ones (mean distance to 80 %: 7.6 to 5.1 points). With
    a long history the comparable errors span many years and nothing changes.
    """
    depths = np.unique(errors.n_hist)[::-1]
    for d in depths:
        if np.unique(errors.lag[errors.n_hist >= d]).size >= MIN_CALIBRATION_YEARS:
            return int(d)
    return int(depths[-1]) if depths.size else 0


def _own_errors(errors: BacktestErrors, usable, n_hist, procedure: np.ndarray, n: int) -> _OwnErrors:
    """The procedure's comparable errors and each serie's sums of them."""
    r = errors.row
    err = _comparable_errors(errors, usable, n_hist, procedure)
    ok = ~np.isnan(err)
    sq = np.where(ok, err**2, 0.0)
    ss = np.bincount(r, weights=sq, minlength=n)
    cnt = np.bincount(r, weights=ok.astype(float), minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        own = np.where(cnt > 0, ss / cnt, np.nan)
    pooled = float(np.nanmedian(own)) if np.isfinite(own).any() else np.nan
    return _OwnErrors(err=err, ok=ok, sq=sq, ss=ss, cnt=cnt, pooled=pooled)


def prediction_interval(
    proj, o, usable, procedure, errors: BacktestErrors, k, level, reference, n_hist, count_var=None
) -> Interval:
    """Interval from the call's backtest errors of the method each serie uses, scaled per serie.

    ``proj`` and ``o`` are the projected and observed totals, ``usable`` where
    a profile was used (else the remainder method), ``procedure`` the log
    errors of the whole procedure at each backtest entry (None without any).
    Enough errors: empirical quantiles (:func:`_empirical_log_bounds`); too
    few past years in the call: a parametric interval sized by the serie's own
    errors and shaped by the reference (:func:`_parametric_log_bounds`). The
    lower limit never falls below what was observed. ``count_var`` (series
    that count events, :func:`.counting.count_log_variance` of the rest of
    this year): the empirical quantiles take it in; the parametric limits get
    the Poisson chance of the rest added on each side.
    """
    n = len(o)
    own = _own_errors(errors, usable, n_hist, procedure, n) if len(errors) else None
    empirical = own is not None and own.enough
    if empirical:
        log_lo, log_hi = _empirical_log_bounds(own, errors, usable, n_hist, level, count_var)
        from_reference = np.zeros(n, dtype=bool)
    else:
        log_lo, log_hi, from_reference = _parametric_log_bounds(own, errors, n, k, level, reference, n_hist)
    with np.errstate(over="ignore", invalid="ignore"):
        lower = np.maximum(proj * np.exp(log_lo), o)
        upper = np.maximum(proj * np.exp(log_hi), proj)
    if count_var is not None and not empirical:  # the empirical quantiles took it in already
        lower, upper = with_counting_noise(proj, lower, upper, o, level)
    return Interval(lower=lower, upper=capped_upper(upper, proj), from_reference=from_reference)


def _empirical_log_bounds(own: _OwnErrors, errors: BacktestErrors, usable, n_hist, level, count_var=None):
    """Log limits from the empirical quantiles of the call's errors, each divided by its serie's scale.

    A serie's scale is the root mean square of its own backtest errors, shrunk
    towards the call's typical one (``SHRINK_YEARS`` pseudo-years; its own
    errors weigh one fewer, :func:`_consistent_scale`); the errors
    of the call, each divided by its serie's scale computed without it
    (leave-one-out, so a serie's scale does not explain away its own error),
    give the quantiles. A serie with no errors of its own takes the quantiles of
    the errors divided by the typical scale instead.

    ``count_var`` (series that count events): each error is divided also by
    the chance in counting the rest of its year, and each interval multiplied
    by its own (:mod:`.counting`). Otherwise the errors of series with a few
    events a year, large for their scale, fatten the quantiles of all.
    """
    r, lag, pooled = errors.row, errors.lag, own.pooled
    scale = _consistent_scale(own)
    loo = np.sqrt((SHRINK_YEARS * pooled + own.ss[r] - own.sq) / (SHRINK_YEARS + own.cnt[r] - own.ok))
    d = depth(n_hist)
    # (the counting variance, like the errors, per unit of the depth of the history each was made from)
    ce = 0.0 if count_var is None else errors.count_var / depth(errors.n_hist) ** 2
    with np.errstate(invalid="ignore", divide="ignore"):
        z = own.err / np.sqrt(loo**2 + ce)
    q_lo, q_hi = widened_quantiles(z, lag, level)
    # A serie with none (one past year, or only years projected from less history than it has now): its
    # scale is the typical one, so its quantiles are those of the errors divided by the typical scale;
    # they hold the spread of scales between series, which the serie's own quantiles had taken out.
    none_own = own.cnt == 0
    if none_own.any():
        t_lo, t_hi = widened_quantiles(own.err / np.sqrt(pooled + ce), lag, level)
        q_lo, q_hi = np.where(none_own, t_lo, q_lo), np.where(none_own, t_hi, q_hi)
        # One the smoothing does not reach yet (too few years) has only the profile: it takes the errors
        # the profile made, not the smaller ones of the procedure that the smoothing helps.
        unsmoothed = none_own & (n_hist < SMOOTHING_MIN_YEARS)
        if unsmoothed.any():
            plain = _comparable_errors(errors, usable, n_hist, errors.log_errors[DEFAULT_METHOD])
            u_lo, u_hi = widened_quantiles(plain / np.sqrt(pooled + ce), lag, level)
            q_lo, q_hi = np.where(unsmoothed, u_lo, q_lo), np.where(unsmoothed, u_hi, q_hi)
    if count_var is None:
        return q_lo * scale * d, q_hi * scale * d
    total = np.sqrt((scale * d) ** 2 + count_var)
    return q_lo * total, q_hi * total


def _consistent_scale(own: _OwnErrors) -> np.ndarray:
    """Each serie's scale, weighing its own errors as much as the leave-one-out scales behind the quantiles
    did.

    The quantiles come from errors each divided by a scale that knew one own
    error fewer (leave-one-out). Multiplying them by a scale that knows all of
    them counts twice what sets series apart: with one error per serie (two
    past years) the quantiles already hold the whole spread between series,
    and the serie's one error then widened its interval again (90-96 %
    coverage, and an upper limit 20 to 120 times the projection for a serie
    whose level collapsed in its only past year). So the serie's mean square
    weighs as many errors as its leave-one-out scale had (one fewer); with
    many years that is almost all of them.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        own_ms = np.where(own.cnt > 0, own.ss / np.maximum(own.cnt, 1), 0.0)
    used = np.maximum(own.cnt - 1, 0)
    return np.sqrt((SHRINK_YEARS * own.pooled + used * own_ms) / (SHRINK_YEARS + used))


def capped_upper(upper: np.ndarray, proj: np.ndarray) -> np.ndarray:
    """The upper limit, never above ``MAX_UPPER_RATIO`` times the projection.

    A serie whose level collapsed (a service that closed, a unit that
    stopped reporting) leaves log-ratio errors of the size of the collapse in
    its record, and an interval built from them lets the year end at tens or
    hundreds of times what it is projected to. No planning reader uses such a
    limit, and in the backtests (real and simulated series, 2 to 12 past
    years) no year total exceeded 4.7 times its projection: the cap is where
    the interval stops saying anything a reader can act on. It steps one ulp
    below ``5 * proj`` where rounding would put ``cap / proj`` above 5 (about
    one projection in 50), so ``upper / proj <= 5`` and ``upper <= 5 * proj`` agree.
    """
    with np.errstate(invalid="ignore", over="ignore"):
        cap = MAX_UPPER_RATIO * proj
        cap = np.where(cap / proj > MAX_UPPER_RATIO, np.nextafter(cap, 0.0), cap)
        return np.where(proj > 0, np.minimum(upper, cap), upper)


def _parametric_log_bounds(own: _OwnErrors | None, errors: BacktestErrors, n, k, level, reference, n_hist):
    """Log limits when the call has too few past years for empirical quantiles, and which rest on the
    reference.

    Size: the serie's own mean absolute backtest error, shrunk on the log scale
    (volatility differs by orders of magnitude between series) towards a prior:
    the typical one of the other series of the call when at least
    ``MIN_PRIOR_SERIES`` have errors (weighing as many pseudo-years as the
    spread of their sizes allows), else the reference's (``PRIOR_ORIGINS``
    pseudo-years). Shape: the reference's ratio of interval half-width to mean
    absolute error (real errors have heavier tails than the normal's), widened
    as a Student t with as many degrees of freedom as years back the size.
    """
    probs = [(1 - level) / 2, (1 + level) / 2]
    z = special.ndtri((1 + level) / 2)
    ratio = reference.tail_ratio(k, level)
    if not np.isfinite(ratio) or ratio <= 0:  # a degenerate reference has no shape: the normal's
        ratio = z * np.sqrt(np.pi / 2.0)
    if own is not None:
        own_abs = np.bincount(errors.row, weights=np.where(own.ok, np.abs(own.err), 0.0), minlength=n)
        own_n = own.cnt
    else:
        own_abs, own_n = np.zeros(n), np.zeros(n)
    with np.errstate(divide="ignore", invalid="ignore"):
        # log of a mean of few absolute errors falls below the log of their expected size: unbiased here.
        log_own = np.log(np.maximum(own_abs / np.maximum(own_n, 1), 1e-6)) + log_mad_bias(own_n)
    # (the prior weighs no more years than the errors behind it span: years share shocks across series)
    years = np.unique(errors.lag[own.ok]).size if own is not None else 0
    log_prior, prior_years, from_reference = size_prior(log_own, own_n, reference, k, probs, ratio, years)
    log_mad = np.where(
        own_n > 0, (prior_years * log_prior + own_n * log_own) / (prior_years + own_n), log_prior
    )
    dof = prior_years + own_n
    half = np.exp(log_mad) * ratio * special.stdtrit(dof, (1 + level) / 2) / z * depth(n_hist)
    return -half, half, from_reference & (own_n < PRIOR_ORIGINS)
