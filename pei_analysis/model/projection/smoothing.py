"""Holt-Winters smoothing run for all series at once: one of the two families the projection combines.

The within-year profile (:mod:`.profiles`) reads how far into its year a serie
usually is; the smoothing instead follows its level, trend and season
cuatrimestre by cuatrimestre. Two different families of model combined miss
less than either on real series, so both are computed. statsmodels fits one
serie at a time with a numerical optimiser, far too slow for 100,000 series;
here the same model runs as array recursions over every serie and every set
of constants of a grid at once, and each serie picks its constants by its
one-step errors.
"""

from __future__ import annotations

import numpy as np

#: Holt-Winters smoothing constants (level, trend, season, damping) tried; the one-step errors pick.
SMOOTHING_GRID = tuple(
    (alpha, beta, gamma, phi)
    for alpha in (0.1, 0.3, 0.5, 0.7, 0.9, 0.99)
    for beta in (0.0, 0.05, 0.15, 0.3)
    for gamma in (0.01, 0.1, 0.25, 0.5)
    for phi in (0.8, 0.9, 0.98)
)
#: Fewest complete past years before the smoothing forecasts (one gives no trend; statsmodels needs two).
SMOOTHING_MIN_YEARS = 2
#: Rows (sets of constants × series) the smoothing runs at once: bounds its memory, keeps numpy busy.
SMOOTHING_BLOCK = 30_000
#: Weight of the call's errors in each serie's choice of smoothing constants (0: its own only, 1: the call's).
SMOOTHING_POOLING = 0.3
#: Criteria (logs of sums of squares) closer than this are a tie, won by the first constants of the grid.
TIE_TOLERANCE = 1e-9


class _HoltWintersState:
    """Level, trend, seasonal factors and sum of squared one-step errors, shape (constants, series).

    Damped additive trend, multiplicative seasonality of period 3, in
    statsmodels' form (the seasonal factor is updated against the level and
    trend expected before the new value).
    """

    def __init__(self, constants: np.ndarray, m: int, k: int):
        self.alpha, self.beta, self.gamma, self.phi = (constants[:, i : i + 1] for i in range(4))
        g = len(constants)
        self.k = k
        self.level = np.zeros((g, m))
        self.trend = np.zeros((g, m))
        self.season = np.ones((g, m, 3))
        self.sse = np.zeros((g, m))
        self.damping = np.cumsum([self.phi**h for h in range(1, 4 - k)], axis=0)

    def update(self, rows: np.ndarray, v: np.ndarray, q: int) -> None:
        """Take in value ``v`` of cuatrimestre ``q`` for the series ``rows`` (the others stay as they are)."""
        alpha, beta, gamma, phi = self.alpha, self.beta, self.gamma, self.phi
        s_old = self.season[:, :, q]
        expected = self.level + phi * self.trend
        base = np.maximum(expected, 0.0)
        error = v - base * s_old
        self.sse[...] += np.where(rows, error * error, 0.0)
        positive = s_old > 0
        deseason = np.where(positive, v / np.where(positive, s_old, 1.0), v)
        new_level = np.maximum(alpha * deseason + (1 - alpha) * expected, 0.0)
        new_trend = beta * (new_level - self.level) + (1 - beta) * phi * self.trend
        ok = base > 0
        new_season = np.where(ok, gamma * v / np.where(ok, base, 1.0) + (1 - gamma) * s_old, s_old)
        self.level[...] = np.where(rows, new_level, self.level)
        self.trend[...] = np.where(rows, new_trend, self.trend)
        self.season[:, :, q] = np.where(rows, new_season, s_old)

    def remainder(self) -> np.ndarray:
        """Forecast of the rest of the year after its first ``k`` cuatrimestres."""
        rest = np.zeros(self.level.shape)
        for h, damp in enumerate(self.damping, start=1):
            rest += np.maximum(self.level + damp * self.trend, 0.0) * self.season[:, :, self.k - 1 + h]
        return rest

    def start(self, init: np.ndarray, block: np.ndarray) -> None:
        """Start the series ``init`` from their first complete year: level = its mean, factors = values /
        mean."""
        mean = block[init].mean(axis=1)
        self.level[:, init] = mean
        self.trend[:, init] = 0.0
        safe = np.where(mean > 0, mean, 1.0)[:, None]
        self.season[:, init] = np.where(mean[:, None] > 0, block[init] / safe, 1.0)

    def restart(self, second: np.ndarray, prev: np.ndarray, cur: np.ndarray) -> None:
        """Restart the series ``second`` from their first two years (classic heuristic start).

        The trend is the change of the yearly means and the seasonal factors
        are measured around that trend line.
        """
        m1, m2 = prev.mean(axis=1), cur.mean(axis=1)
        slope = (m2 - m1) / 3.0
        line = m1[:, None] + slope[:, None] * (np.arange(6)[None, :] - 1.0)
        both = np.concatenate([prev, cur], axis=1)
        ratio = np.where(line > 0, both / np.where(line > 0, line, 1.0), np.nan)
        pairs = ratio.reshape(-1, 2, 3)
        factors = np.nansum(pairs, axis=1) / (~np.isnan(pairs)).sum(axis=1)
        factors = factors / factors.mean(axis=1, keepdims=True)
        fine = np.isfinite(factors).all(axis=1) & (m2 + slope > 0)
        rows = np.flatnonzero(second)[fine]
        self.level[:, rows] = (m2 + slope)[fine]
        self.trend[:, rows] = slope[fine]
        self.season[:, rows] = factors[fine]


def smoothing_path(past: np.ndarray, obs: np.ndarray, constants: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Holt-Winters forecasts of the rest of each year, made after its first k cuatrimestres, for many
    constants.

    ``constants`` holds g rows of (level, trend, season, damping); the state
    has shape (g, series), so one pass (one step per cuatrimestre) runs every
    set of constants on every serie. The recursions are causal: the pass gives
    the forecast made at every past year as well as at the current one.
    Returns, both of shape (g, series, past years + 1), the forecasts (column j
    for past year j, NaN before the serie has ``SMOOTHING_MIN_YEARS`` complete
    years; the last column for the current year) and the sum of squared
    one-step errors up to that point, which picks the constants
    (:func:`smoothing_forecasts`). Each serie starts at its first past year and
    restarts after its second from both years.
    """
    m, width, _ = past.shape
    k = obs.shape[1]
    state = _HoltWintersState(constants, m, k)
    started = np.zeros(m, dtype=bool)
    out = np.full((len(constants), m, width + 1), np.nan)
    sse_at = np.empty((len(constants), m, width + 1))
    seen_years = np.zeros(m, dtype=np.int64)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        for j in range(width + 1):
            block = past[:, j, :] if j < width else np.concatenate([obs, np.full((m, 3 - k), np.nan)], axis=1)
            running = started & ~np.isnan(block[:, :k]).any(axis=1)
            for q in range(k):
                state.update(running, block[:, q], q)
            out[:, :, j] = np.where(running & (seen_years >= SMOOTHING_MIN_YEARS), state.remainder(), np.nan)
            sse_at[:, :, j] = state.sse
            if j == width:
                break
            complete = ~np.isnan(block).any(axis=1)
            for q in range(k, 3):
                state.update(started & complete, block[:, q], q)
            init = ~started & complete
            if init.any():
                state.start(init, block)
            second = started & complete & (seen_years == 1) & (j >= 1)
            if second.any():
                state.restart(second, past[second, j - 1, :], block[second])
            seen_years = np.where(complete & (started | init), seen_years + 1, seen_years)
            started |= init
    return out, sse_at


def smoothing_forecasts(past: np.ndarray, obs: np.ndarray) -> np.ndarray:
    """Holt-Winters remainder forecasts (as in :func:`smoothing_path`), constants chosen per serie and year.

    Like statsmodels, the constants are chosen by the sum of squared one-step
    errors, here over a grid (``SMOOTHING_GRID``) instead of a numerical
    optimiser: the grid runs for all series at once. All cuatrimestres count,
    not only the year totals, so even a short serie has a few errors to choose
    on. Few errors choose noisily, though: each serie's criterion is the log
    of its own sum, pulled (``SMOOTHING_POOLING``) towards the mean of that log
    over the series of the call, which say what constants suit series of this
    kind (partial pooling, as for the weights of the variants; the log makes
    the series' scales drop out of the choice). A serie alone is smoothed on
    its own errors. The choice is made again at every past year with the
    errors up to that point only, so the forecast at a past year is the one the
    procedure would really have made then: the in-call backtest of the
    smoothing (which weighs it and sizes the interval) is out of sample, not
    flattered by constants fitted on that year. Shape (series, past years + 1).
    """
    m, width, _ = past.shape
    grid = np.asarray(SMOOTHING_GRID, dtype=float)
    # A tiny floor, relative to the serie's size, for the log of an exact fit (a serie that repeats exactly).
    with np.errstate(invalid="ignore"):
        size = np.nanmean(np.concatenate([past.reshape(m, -1), obs], axis=1) ** 2, axis=1)
    floor = 1e-12 * np.where(np.isfinite(size) & (size > 0), size, 1.0)[None, :, None]
    best_crit = np.full((m, width + 1), np.inf)
    best = np.full((m, width + 1), np.nan)
    per_pass = max(1, SMOOTHING_BLOCK // max(m, 1))
    for start in range(0, len(grid), per_pass):
        paths, sse = smoothing_path(past, obs, grid[start : start + per_pass])
        ok = np.isfinite(paths) & np.isfinite(sse)
        own = np.log(np.where(ok, sse, 0.0) + floor)
        # (every serie of the call is in the block: the blocks split the constants, never the series)
        count = ok.sum(axis=1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            call = np.where(count > 0, np.where(ok, own, 0.0).sum(axis=1, keepdims=True) / count, 0.0)
        crit = np.where(ok, (1.0 - SMOOTHING_POOLING) * own + SMOOTHING_POOLING * call, np.inf)
        pick = _first_best(crit)[None]
        pass_crit = np.take_along_axis(crit, pick, axis=0)[0]
        better = pass_crit < best_crit - TIE_TOLERANCE
        best_crit = np.where(better, pass_crit, best_crit)
        best = np.where(better, np.take_along_axis(paths, pick, axis=0)[0], best)
    return best


def _first_best(crit: np.ndarray) -> np.ndarray:
    """Index (over axis 0) of the first criterion within ``TIE_TOLERANCE`` of the least.

    A serie of zeros and a few values fits many constants exactly alike;
    argmin alone would break that tie by the last bits of the rounding, so
    the same serie in other units (every value times a factor) could pick
    other constants and project something else. Ties go to the grid's order.
    """
    least = np.min(crit, axis=0, keepdims=True)
    return np.argmax(crit <= least + TIE_TOLERANCE, axis=0)
