"""Counting noise: what the interval of a serie that counts events must hold besides its backtest errors.

The engine's interval comes from log errors scaled per serie and pooled
across series (:mod:`.intervals`). Most series, and all the reference ones,
count in thousands or more, where the chance in a count is nil; a serie that
counts a few events a year (a pension paid two or three times, twelve
hospital stays) misses also by that chance, and its few past years, shrunk
towards the other series' scale, do not show it: on simulated count series
(``evaluation.small_counts``) the 80 % interval of those under 100 a year held
the total 38 to 69 % of the time (59 to 90 % with this), and of those from
100 to 1,000, 64 to 78 % (71 to 83 %).

For series that count events (the edition's: consultas, egresos, pagos), the
rest of the year is then also a Poisson count with the projected mean, and its
central quantiles are added to each side of the interval in quadrature (two
independent sources of error). The more a serie counts, and the wider its
interval already is, the less this adds: with 10,000 events still to come and
an interval of ±5 %, ±5.2 %. The point does not move.
"""

from __future__ import annotations

import numpy as np
from scipy import special


def poisson_quantile(q: float, mean: np.ndarray) -> np.ndarray:
    """Smallest count whose Poisson(``mean``) probability of not being exceeded reaches ``q``.

    ``scipy.special.pdtrik`` inverts the Poisson distribution function
    continuously in the count (what ``scipy.stats.poisson.ppf`` computes,
    without the half second ``scipy.stats`` takes to import in each chapter's
    kernel); rounding up gives the count. A mean of 0 gives 0.
    """
    mean = np.asarray(mean, dtype=float)
    positive = np.isfinite(mean) & (mean > 0)
    safe = np.where(positive, mean, 1.0)
    return np.where(positive, np.maximum(np.ceil(special.pdtrik(q, safe)), 0.0), 0.0)


def with_counting_noise(point, lower, upper, observed, level: float) -> tuple[np.ndarray, np.ndarray]:
    """The limits widened by the Poisson noise of the rest of the year (``point - observed``), in quadrature.

    Each side's distance to the point becomes the square root of its square
    plus the square of the distance from the rest's mean to its central
    ``level`` quantile on that side. The lower limit stays at or above what
    was observed; where nothing remains (complete year, nothing projected)
    the limits are as they were.
    """
    point = np.asarray(point, dtype=float)
    rest = np.maximum(np.nan_to_num(point - observed, nan=0.0, posinf=0.0), 0.0)
    below = rest - poisson_quantile((1 - level) / 2, rest)
    above = poisson_quantile((1 + level) / 2, rest) - rest
    with np.errstate(invalid="ignore", over="ignore"):
        new_lower = np.maximum(point - np.hypot(point - lower, below), observed)
        new_upper = point + np.hypot(upper - point, above)
    return np.where(rest > 0, new_lower, lower), np.where(rest > 0, new_upper, upper)
