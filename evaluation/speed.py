"""Velocidad y memoria de la proyección al cierre.

    .venv/bin/python -m evaluation.speed ratio --series 3000 --years 8
    .venv/bin/python -m evaluation.speed scale --series 100000 --years 10

``ratio``: projects the same simulated series (complete past years plus the
first cuatrimestre of the last one) with the engine, in one call, and with a
per-serie loop of statsmodels' Holt-Winters (the issue's baseline), and prints
the engine's time as a fraction of the loop's (goal: at most 1/50).

``scale``: one call with many series; prints the time and the peak resident
memory of the process (the machine has 24 GiB).
"""

from __future__ import annotations

import argparse
import resource
import time
import tracemalloc

import pandas as pd

from evaluation.baselines import holt_winters_baseline
from evaluation.simulate import simulate_history
from pei_analysis import cli_es
from pei_analysis.model.projection import project_year_end


def make_history(n_series: int, n_years: int, observed: int = 1, seed: int = 0) -> pd.DataFrame:
    """Simulated complete years, the last one cut to its first ``observed`` cuatrimestres."""
    full = simulate_history(n_series, n_years + 1, seed=seed)
    last = full["anio"].max()
    return full[(full["anio"] < last) | (full["cuatrimestre"] <= observed)].reset_index(drop=True)


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # kB on Linux


def measure_ratio(n_series: int, n_years: int, seed: int = 0) -> dict:
    history = make_history(n_series, n_years, seed=seed)
    t0 = time.perf_counter()
    engine = project_year_end(history)
    t_engine = time.perf_counter() - t0
    t0 = time.perf_counter()
    loop = holt_winters_baseline(history)
    t_loop = time.perf_counter() - t0
    return {
        "series": n_series,
        "years": n_years,
        "engine_s": t_engine,
        "loop_s": t_loop,
        "ratio": t_engine / t_loop,
        "engine_rows": len(engine),
        "loop_fitted": int(loop.notna().sum()),
    }


def measure_scale(n_series: int, n_years: int, seed: int = 0) -> dict:
    history = make_history(n_series, n_years, seed=seed)
    before = peak_rss_mib()
    t0 = time.perf_counter()
    out = project_year_end(history)
    elapsed = time.perf_counter() - t0
    # Second, traced run: the memory the call itself allocates at its peak (numpy reports to tracemalloc).
    tracemalloc.start()
    project_year_end(history)
    call_peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return {
        "call_peak_mib": call_peak,
        "series": n_series,
        "years": n_years,
        "rows_in": len(history),
        "rows_out": len(out),
        "seconds": elapsed,
        "peak_rss_mib": peak_rss_mib(),
        "peak_rss_before_call_mib": before,
    }


def main(argv: list[str] | None = None) -> None:
    cli_es.install()
    parser = argparse.ArgumentParser(description="Velocidad y memoria de la proyección al cierre.")
    parser.add_argument(
        "modo",
        choices=("ratio", "scale"),
        help="ratio: razón de tiempos frente a Holt-Winters; scale: tiempo y memoria con muchas series",
    )
    parser.add_argument(
        "--series", type=int, default=3000, metavar="N", help="número de series (por omisión 3000)"
    )
    parser.add_argument(
        "--years",
        type=int,
        default=8,
        metavar="N",
        help="años completos de historia por serie (por omisión 8)",
    )
    parser.add_argument(
        "--seed", type=int, default=0, metavar="N", help="semilla de la simulación (por omisión 0)"
    )
    args = parser.parse_args(argv)
    if args.modo == "ratio":
        r = measure_ratio(args.series, args.years, args.seed)
        print(
            f"{r['series']} series, {r['years']} años de historia: motor {r['engine_s']:.2f} s, "
            f"Holt-Winters serie por serie {r['loop_s']:.2f} s ({r['loop_fitted']} ajustadas)"
        )
        print(f"razón motor/Holt-Winters: {r['ratio']:.4f} (1/{1 / r['ratio']:.0f}; meta ≤ 1/50)")
    else:
        r = measure_scale(args.series, args.years, args.seed)
        print(
            f"{r['series']} series, {r['years']} años de historia ({r['rows_in']} filas): "
            f"{r['seconds']:.1f} s; memoria asignada por la llamada en su pico {r['call_peak_mib']:.0f} MiB; "
            f"memoria residente máxima del proceso {r['peak_rss_mib']:.0f} MiB "
            f"({r['peak_rss_before_call_mib']:.0f} MiB antes de la llamada)"
        )


if __name__ == "__main__":
    main()
