"""Simulated calls of the engine whose method names, as the engine wrote them in Spanish, are kept in
tests/fixtures/nombres_de_metodos.json: the chapter must name every projection exactly as before."""

from __future__ import annotations

import numpy as np
import pandas as pd

from evaluation.simulate import simulate_history
from tests.unit.model.projection.histories import cut as _cut
from tests.unit.model.projection.histories import frame as _frame
from tests.unit.model.projection.histories import rows as _rows


def _random_small(seed: int) -> pd.DataFrame:
    """A few series of 0 to 4 past years, with zeros, like the property tests draw them."""
    rng = np.random.default_rng(seed)
    records = []
    for s in range(int(rng.integers(1, 6))):
        years, observed = int(rng.integers(0, 5)), int(rng.integers(1, 3))

        def value():
            return 0.0 if rng.random() < 0.2 else float(rng.uniform(1e-3, 1e6))

        for j in range(years):
            records += [(s, 2020 + j, q, value()) for q in (1, 2, 3)]
        records += [(s, 2020 + years, q, value()) for q in range(1, observed + 1)]
    return _frame(records)


def cases() -> dict[str, tuple[pd.DataFrame, dict]]:
    """Name → (history, keyword arguments of ``project_year_end``)."""
    out = {
        "c1_200_series": (_cut(simulate_history(200, 10, seed=11), 1), {}),
        "c2_60_series": (_cut(simulate_history(60, 10, seed=4), 2), {}),
        "mixed_cuatrimestres": (_cut(simulate_history(45, 7, seed=3), {s: 1 + s % 3 for s in range(45)}), {}),
        "one_serie_alone": (_cut(simulate_history(1, 11, seed=5), 1), {}),
        "few_years_capped": (_cut(simulate_history(80, 12, seed=8), 1), {"max_history": 3}),
        "one_past_year_capped": (_cut(simulate_history(30, 8, seed=8), 2), {"max_history": 1}),
    }
    h = _cut(simulate_history(30, 6, seed=2), 1)
    newcomers = _frame([("nueva", int(h["anio"].max()), 1, 100.0), ("vacia", int(h["anio"].max()), 1, 0.0)])
    out["without_history_among_others"] = (pd.concat([h, newcomers], ignore_index=True), {})
    rng = np.random.default_rng(13)
    steady = []
    for s in range(12):
        profile = rng.uniform(1, 10, size=3) * 100
        steady += _rows(
            s, [(2020 + j, 1.0 + 0.002 * rng.standard_normal()) for j in range(3)], profile, profile[:1]
        )
    steady += _rows("nueva", [(2022, 1.0)], (100.0, 200.0, 300.0), (100.0,))
    out["few_years_and_a_newcomer"] = (_frame(steady), {})
    zeros = _rows("z", [(2022, 1), (2023, 1)], (0.0, 0.0, 0.0), (0.0,))
    zeros += _rows("r", [(2022, 1), (2023, 1)], (0.0, 5.0, 5.0), (0.0,))
    zeros += _rows("q", [(2023, 1)], (4.0, 0.0, 5.0), (0.0, 2.0))
    zeros += _rows("a", [(2022, 1)], (1.0, 2.0, 3.0), (4.0, 5.0, 6.0))
    zeros += [("n", 2024, 1, 100.0), ("m", 2024, 1, 40.0), ("m", 2024, 2, 60.0)]
    out["zeros_complete_and_no_history"] = (_frame(zeros), {})
    for seed in range(12):
        out[f"random_{seed}"] = (_random_small(100 + seed), {})
    return out
