"""La cobertura por tamaño de la serie, sin y con el azar de contar (evaluation.small_counts)."""

from __future__ import annotations

import pandas as pd

from evaluation.simulate import simulate_history
from evaluation.small_counts import SIZE_NAMES, coverage_rows, one_call, render, size_class, size_summary


def test_a_total_is_classed_by_the_edge_it_reaches():
    classes = size_class(pd.Series([0.0, 99.9, 100.0, 9_999.0, 10_000.0]))
    assert classes.tolist() == [SIZE_NAMES[0], SIZE_NAMES[0], SIZE_NAMES[1], SIZE_NAMES[2], SIZE_NAMES[3]]


def test_a_mixed_call_drops_the_past_years_of_about_a_third_and_scores_both_intervals():
    data = simulate_history(60, 6, seed=3)
    part = one_call(data, past=2, k=1, cold=True, seed=3)
    assert set(part.columns) == {"total", "sin historia", "sin conteo", "con conteo"}
    assert 0.15 < part["sin historia"].mean() < 0.5
    # The series that count a few events a year are the ones whose interval missed for want of it.
    small = part[part["total"] < 100]
    assert len(small) >= 5 and small["con conteo"].mean() > small["sin conteo"].mean() + 0.3
    alone = one_call(data, past=2, k=1, cold=False, seed=3)
    assert not alone["sin historia"].any()


def test_the_report_says_for_each_size_how_far_from_80_each_interval_is():
    res = pd.DataFrame(
        {
            "total": [10.0, 20.0, 5_000.0, 6_000.0],
            "sin historia": False,
            "sin conteo": [False, True, True, True],
            "con conteo": [True, True, True, False],
            "pasados": 2,
            "obs": 1,
            "mixta": False,
        }
    )
    rows = coverage_rows(res)
    assert [(r["tamaño"], r["n"], r["sin conteo"], r["con conteo"]) for r in rows] == [
        (SIZE_NAMES[0], 2, 50.0, 100.0),
        (SIZE_NAMES[2], 2, 100.0, 50.0),
    ]
    assert "| 2 | 1 | todas con historia | con historia | menos de 100 | 2 | 50.0 | 100.0 |" in render(rows)
    summary = size_summary(rows)
    assert (
        "- menos de 100 al año, con historia: de 50.0 a 50.0 % sin el azar de contar, "
        "de 100.0 a 100.0 % con él" in summary
    )
    assert "a 30.0 y 20.0 puntos de 80 en promedio (1 línea)" in summary
