"""The in-call backtest: every variant replayed on the call's past years, weighed by its record.

Which variant of the profile suits a serie is an empirical question, and the
call's own past years can answer it: each past year is projected from the
years before it, exactly as the current year is, and the errors score every
variant. Each serie weighs the variants by its own record shrunk towards the
call's, so a short serie leans on what works for the others. The errors of
the whole procedure (weights chosen at each past year on the years before
it, so out of sample) are what the interval is sized on (:mod:`.intervals`).
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
from pei_analysis.model.projection.counting import count_log_variance
from pei_analysis.model.projection.profiles import candidate_log_ratios, serie_features

#: Method used when the call has too few past years to weigh the variants (exact for a repeated profile).
DEFAULT_METHOD = PERFIL
#: Variants weighed by the backtest. Besides its fixed share (``SMOOTHING_SHARE``), the smoothing is one of
#: them after one cuatrimestre (where the backtests on real series found it helps), not after two.
CANDIDATES = {
    1: (PERFIL, PERFIL_MEDIO, PERFIL_TENDENCIA, PERFIL_NIVEL, SUAVIZADO, COMBINACION),
    2: (PERFIL, PERFIL_MEDIO, PERFIL_TENDENCIA, PERFIL_NIVEL, PERFIL_RECIENTE, PERFIL_IMPULSO, COMBINACION),
}
#: Share of the smoothing in the final result (on the log scale), by cuatrimestres observed: fixed shares of
#: two different families of model miss less than either, and than weights chosen by each year's backtest,
#: which swing from almost nothing to almost all.
SMOOTHING_SHARE = {1: 0.4, 2: 0.5}
#: Backtest origins needed before the variants are weighed by their record (fewer: the plain profile).
MIN_ORIGINS_CHOICE = 8
#: Weight, in past years, of the call's score when a serie's own backtest record chooses its method.
OWN_PRIOR_YEARS = 5.0
#: A variant's weight is its score (shrunk mean APE in the backtest) to this negative power.
WEIGHT_POWER = 8.0


@dataclass(frozen=True)
class BacktestErrors:
    """Log errors (log actual - log projected) of every variant at every replayed past year.

    One entry per serie and past year that could be replayed: ``row`` is the
    serie (its row in the call), ``lag`` how many years back, ``n_hist`` how
    many years it was projected from; ``log_errors`` and ``usable`` (whether
    the variant applied, else its error is the remainder method's) are keyed
    by method code.
    """

    row: np.ndarray
    lag: np.ndarray
    n_hist: np.ndarray
    log_errors: dict[str, np.ndarray]
    usable: dict[str, np.ndarray]
    #: What the chance in counting the rest of that year adds to the variance of its log total
    #: (:func:`.counting.count_log_variance`); used only when the series count events.
    count_var: np.ndarray | None = None

    def __len__(self) -> int:
        return int(self.row.size)

    def table(self, names) -> np.ndarray:
        """The log errors of the methods ``names``, one column each."""
        return np.column_stack([self.log_errors[name] for name in names])


@dataclass(frozen=True)
class Record:
    """The backtest record that weighs the variants: the call's score of each and each serie's own sums.

    ``call_score`` (variants) is the median APE over the call's past years;
    ``own_sum`` (series × variants) the sum of each serie's capped APE and
    ``own_n`` (series) how many past years it has.
    """

    call_score: np.ndarray
    own_sum: np.ndarray
    own_n: np.ndarray

    def of_rows(self, rows: np.ndarray) -> Record:
        """The same record with the series' sums repeated for ``rows`` (one entry per row)."""
        return Record(self.call_score, self.own_sum[rows], self.own_n[rows])


@dataclass(frozen=True)
class Weighing:
    """The weighed variants of each serie with history.

    ``log_ratio``: projected total / observed (log; NaN where no profile applies),
    the smoothing's fixed share included; ``main``: code of the variant that
    weighs most (``DEFAULT_METHOD`` where not weighed); ``weighted``: whether the
    variants were weighed by their record; ``smoothed``: whether the smoothing's
    forecast took its share; ``procedure``: log error of the whole procedure at
    each backtest entry (None without backtest).
    """

    log_ratio: np.ndarray
    main: np.ndarray
    weighted: np.ndarray
    smoothed: np.ndarray
    procedure: np.ndarray | None


def log_error(actual: np.ndarray, projected: np.ndarray) -> np.ndarray:
    """log actual - log projected; 0 where both are zero (an exact projection of nothing)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        err = np.log(actual) - np.log(projected)
    return np.where((actual == 0) & (projected == 0), 0.0, err)


def absolute_percentage_error(err: np.ndarray) -> np.ndarray:
    """|projected - actual| / actual, from the log error."""
    with np.errstate(over="ignore"):
        return np.abs(np.expm1(-err))


def backtest_errors(past: np.ndarray, k: int, smoothing_path: np.ndarray, imputed=None) -> BacktestErrors:
    """Project every past year from the years before it, as the current year is projected.

    A year split from its annual total (``imputed``) is not projected: its
    cuatrimestres are an assumption, so its error would say nothing.
    """
    width = past.shape[1]
    parts = []
    for lag in range(1, width):
        cur = past[:, width - lag, :]
        hist = past[:, : width - lag, :]
        ok = ~np.isnan(cur).any(axis=1) & (~np.isnan(hist).any(axis=2)).any(axis=1)
        if imputed is not None:
            ok &= ~imputed[:, width - lag]
        if not ok.any():
            continue
        rows = np.flatnonzero(ok)
        cur, hist = cur[ok], hist[ok]
        o = cur[:, :k].sum(axis=1)
        actual = cur.sum(axis=1)
        hist_imputed = None if imputed is None else imputed[ok, : width - lag]
        f = serie_features(hist, cur[:, :k], k, smoothing_path[rows, width - lag], hist_imputed)
        remainder = o + np.maximum(np.nan_to_num(f.remainder), 0.0)
        errors, usable = {}, {}
        for name, logf in candidate_log_ratios(f, o, k).items():
            with np.errstate(over="ignore", invalid="ignore"):
                point = np.where(np.isnan(logf), remainder, o * np.exp(np.maximum(np.nan_to_num(logf), 0.0)))
            errors[name] = log_error(actual, point)
            usable[name] = ~np.isnan(logf)
        parts.append(
            (rows, np.full(rows.size, lag), f.n_hist, errors, usable, count_log_variance(actual - o, actual))
        )
    if not parts:
        empty = np.empty(0)
        return BacktestErrors(empty.astype(np.int64), empty.astype(np.int64), empty.astype(np.int64), {}, {})
    names = parts[0][3].keys()
    return BacktestErrors(
        row=np.concatenate([p[0] for p in parts]),
        lag=np.concatenate([p[1] for p in parts]),
        n_hist=np.concatenate([p[2] for p in parts]),
        log_errors={name: np.concatenate([p[3][name] for p in parts]) for name in names},
        usable={name: np.concatenate([p[4][name] for p in parts]) for name in names},
        count_var=np.concatenate([p[5] for p in parts]),
    )


def backtest_record(
    ape: np.ndarray | None, errors: BacktestErrors, n: int, keep: np.ndarray | None
) -> Record | None:
    """The record of the ``n`` series from the APE of the variants (entries of ``errors`` × variants).

    ``keep`` limits the record to some entries (the past years before an
    origin, to replay the choice as it was made then). None when there are too
    few past years for a choice (``MIN_ORIGINS_CHOICE``): the default method.
    """
    if ape is None:
        return None
    keep = np.ones(len(errors), dtype=bool) if keep is None else keep
    rows = errors.usable[PERFIL] & keep
    if rows.sum() < MIN_ORIGINS_CHOICE:
        return None
    # Call-level score of each variant: median APE over the past years where the profile applies.
    call_score = np.nanmedian(ape[rows], axis=0)
    # Each serie's own record (mean APE over its past years).
    r = errors.row[keep]
    own_n = np.bincount(r, minlength=n).astype(float)
    capped = np.minimum(np.nan_to_num(ape[keep], nan=0.0, posinf=1.0), 1.0)
    own_sum = np.column_stack(
        [np.bincount(r, weights=capped[:, j], minlength=n) for j in range(ape.shape[1])]
    )
    return Record(call_score, own_sum, own_n)


def variant_weights(record: Record, applies: np.ndarray) -> np.ndarray:
    """Soft choice: each serie's record shrunk towards the call's; weights fall fast with the score.

    ``applies`` (series × variants) is where a variant gives a projection; elsewhere it weighs nothing.
    """
    score = (OWN_PRIOR_YEARS * record.call_score[None, :] + record.own_sum) / (
        OWN_PRIOR_YEARS + record.own_n[:, None]
    )
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        # (APE are fractions; the tiny floor keeps an exactly right variant from dividing by zero.)
        relative = (score + 1e-9) / (np.min(score, axis=1, keepdims=True) + 1e-9)
        return np.where(applies, relative ** (-WEIGHT_POWER), 0.0)


def procedure_errors(ape: np.ndarray, errors: BacktestErrors, names, n: int, k: int) -> np.ndarray:
    """Log error the whole procedure would have made at each past year, choosing as it would have then.

    At each past year the variants are weighed on the years before it only
    (what was known then), so these errors are out of sample: the interval
    they give is not narrowed by weights fitted on the years it is checked on.
    """
    r, lag = errors.row, errors.lag
    table = errors.table(names)
    usable = np.column_stack([errors.usable[name] for name in names])
    out = errors.log_errors[DEFAULT_METHOD].astype(float).copy()
    for L in np.unique(lag):
        at = lag == L
        record = backtest_record(ape, errors, n, lag > L)
        if record is None:
            continue
        wts = variant_weights(record.of_rows(r[at]), usable[at])
        total = wts.sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            mixed = np.nansum(np.nan_to_num(table[at]) * wts, axis=1) / total
        out[at] = np.where(total > 0, mixed, errors.log_errors[REMANENTE][at])
    return with_smoothing(out, errors.log_errors[SUAVIZADO], k)


def with_smoothing(values: np.ndarray, smooth: np.ndarray, k: int) -> np.ndarray:
    """Blend the smoothing's share (``SMOOTHING_SHARE``) into log projections or log errors where it
    exists."""
    share = SMOOTHING_SHARE[k]
    if not share:
        return values
    return np.where(np.isnan(smooth), values, (1 - share) * values + share * smooth)


def weigh_variants(
    candidates: dict[str, np.ndarray], smoothing: np.ndarray, errors: BacktestErrors, k: int
) -> Weighing:
    """Weigh the ``candidates`` (log ratios by code) of every serie by the backtest, then add the smoothing's
    share.

    A fixed share of the result comes from the smoothing (40 % after one
    cuatrimestre, half after two): two different families of model combined
    in fixed shares miss less than either (the backtests on real series
    agree). ``smoothing`` is the Holt-Winters forecast of the rest of the year:
    where it is missing (too few years) its share goes to the plain profile.
    """
    names = CANDIDATES[k]
    n = len(smoothing)
    logf_all = np.column_stack([candidates[name] for name in names])
    ape = absolute_percentage_error(errors.table(names)) if len(errors) else None
    record = backtest_record(ape, errors, n, None)
    if record is not None:
        wts = variant_weights(record, ~np.isnan(logf_all))
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            logf = np.nansum(np.nan_to_num(logf_all) * wts, axis=1) / wts.sum(axis=1)
        logf = np.where(np.isnan(logf_all).all(axis=1), np.nan, logf)
        main = np.asarray(names, dtype=object)[np.argmax(wts, axis=1)]
    else:
        logf = candidates[DEFAULT_METHOD]
        main = np.full(n, DEFAULT_METHOD, dtype=object)
    smoothed = np.full(n, bool(SMOOTHING_SHARE[k])) & ~np.isnan(logf) & np.isfinite(smoothing)
    return Weighing(
        log_ratio=with_smoothing(logf, candidates[SUAVIZADO], k),
        main=main,
        weighted=np.full(n, record is not None),
        smoothed=smoothed,
        procedure=procedure_errors(ape, errors, names, n, k) if len(errors) else None,
    )
