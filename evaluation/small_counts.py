"""La cobertura del intervalo según lo que cuenta cada serie, sin y con el azar de contar.

    .venv/bin/python -m evaluation.small_counts [--semillas N] [--out archivo.md]

The engine's interval is calibrated on log errors scaled per serie and pooled
across series; its coverage is read in aggregate (``evaluation.short_history``).
An aggregate hides how it splits by size: a serie that counts a few events a
year also misses by the chance in a count, which the errors of series in the
thousands do not hold. This script projects the last year of simulated count
series (:mod:`evaluation.simulate`: Poisson on the monthly mean, 24 to 2.4
million a year), with 2, 3 and 12 past years, after one and two
cuatrimestres, alone and in a mixed call (a third of the series without their
past years), once as the external benchmark calls the engine and once with
``counts=True`` (what the edition does: IGSS's products count events), and
reports the coverage of the 80 % interval by the size of the year's total.

Simulated series only: they are counts by construction; the real reference
series are in thousands of people or in money, and ``counts`` stays off for
them. The numbers are read, not tuned on.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from evaluation.markdown import add_out_option, markdown_table, publish
from evaluation.short_history import last_years
from evaluation.simulate import simulate_history
from pei_analysis import cli_es
from pei_analysis.model.projection import SIN_BASE, project_year_end

LEVEL = 0.8
#: Series per seed and years simulated (each serie's last ``past + 1`` years are kept).
N_SERIES, N_YEARS = 400, 16
PAST_YEARS = (2, 3, 12)
#: Share of the series of a mixed call that come without their past years.
COLD_SHARE = 1 / 3
#: Upper edges of the size classes of the year's total (the last one has none).
SIZES = (100, 1_000, 10_000)
SIZE_NAMES = ("menos de 100", "100 a 1,000", "1,000 a 10,000", "10,000 o más")
#: The class of a line's series of every size together (its aggregate coverage).
ALL_SIZES = "todos"


def size_class(total: pd.Series) -> pd.Series:
    """The size class of each year total (``SIZE_NAMES``)."""
    edges = [-np.inf, *SIZES, np.inf]
    return pd.cut(total, edges, right=False, labels=list(SIZE_NAMES))


def one_call(data: pd.DataFrame, past: int, k: int, cold: bool, seed: int) -> pd.DataFrame:
    """Each serie's last year projected after ``k`` cuatrimestres, without and with counting noise.

    ``cold``: a third of the series, drawn at random, lose their past years.
    Series the engine had no base for (nothing observed, no history) are left
    out: the edition publishes no interval for them.
    """
    data = last_years(data, past + 1)
    last = data.groupby("serie")["anio"].transform("max")
    truth = data[data["anio"] == last].groupby("serie")["valor"].sum()
    call = data[(data["anio"] < last) | (data["cuatrimestre"] <= k)]
    without = pd.Series(False, index=truth.index)
    if cold:
        without[:] = np.random.default_rng(seed + 7919).random(len(truth)) < COLD_SHARE
        lost = call["serie"].map(without) & (call["anio"] < last.loc[call.index])
        call = call[~lost]
    plain = project_year_end(call, LEVEL).set_index("serie")
    counted = project_year_end(call, LEVEL, counts=True).set_index("serie")
    if not np.array_equal(plain["proyeccion"].to_numpy(), counted["proyeccion"].to_numpy(), equal_nan=True):
        raise RuntimeError("el azar de contar movió una proyección: solo debe cambiar el intervalo")
    keep = plain["metodo"] != SIN_BASE
    return pd.DataFrame(
        {
            "total": truth[keep],
            "sin historia": without[keep],
            "sin conteo": _inside(truth, plain)[keep],
            "con conteo": _inside(truth, counted)[keep],
        }
    )


def _inside(truth: pd.Series, out: pd.DataFrame) -> pd.Series:
    return (truth >= out["limite_inferior"]) & (truth <= out["limite_superior"])


def results(seeds: int) -> pd.DataFrame:
    """Every projected year of every line (past years, cuatrimestres, mixed or not), over ``seeds`` seeds."""
    frames = []
    for seed in range(seeds):
        data = simulate_history(N_SERIES, N_YEARS, seed=seed)
        for past in PAST_YEARS:
            for k in (1, 2):
                for cold in (False, True):
                    part = one_call(data, past, k, cold, seed)
                    frames.append(part.assign(pasados=past, obs=k, mixta=cold))
    return pd.concat(frames, ignore_index=True)


def coverage_rows(res: pd.DataFrame, by_size: bool = True) -> list[dict]:
    """Coverage (%) without and with counting noise, by line and size class (``sin historia`` apart).

    ``by_size`` False: one class, ``ALL_SIZES``, the line's aggregate (as ``evaluation.short_history``
    reads it).
    """
    res = res.assign(tamaño=size_class(res["total"]) if by_size else ALL_SIZES)
    keys = ["pasados", "obs", "mixta", "sin historia", "tamaño"]
    g = res.groupby(keys, observed=True).agg(
        n=("total", "size"), sin=("sin conteo", "mean"), con=("con conteo", "mean")
    )
    return [
        dict(zip(keys, idx, strict=True))
        | {"n": int(r.n), "sin conteo": r.sin * 100, "con conteo": r.con * 100}
        for idx, r in g.iterrows()
    ]


def render(rows: list[dict]) -> str:
    """The coverages as a Markdown table, one line per line of the backtest and size class."""
    cells = [
        [
            r["pasados"],
            r["obs"],
            "mixta" if r["mixta"] else "todas con historia",
            "sin historia" if r["sin historia"] else "con historia",
            r["tamaño"],
            r["n"],
            f"{r['sin conteo']:.1f}",
            f"{r['con conteo']:.1f}",
        ]
        for r in rows
    ]
    columns = ["pasados", "obs", "corrida", "serie", "total del año", "n", "sin conteo (%)", "con conteo (%)"]
    return markdown_table(columns, cells)


def size_summary(rows: list[dict]) -> str:
    """One line per size class, series with and without history apart: the range of their coverages over
    the lines, without and with the noise, and their mean distance from 80."""
    t = pd.DataFrame(rows)
    lines = []
    for name in (*SIZE_NAMES, ALL_SIZES):
        for cold, which in ((False, "con historia"), (True, "sin historia")):
            s = t[(t["tamaño"] == name) & (t["sin historia"] == cold)]
            if s.empty:
                continue
            lines.append(
                f"- {name + ' al año' if name != ALL_SIZES else 'todos los tamaños juntos'}, {which}: "
                f"de {s['sin conteo'].min():.1f} a {s['sin conteo'].max():.1f} % sin el azar "
                f"de contar, de {s['con conteo'].min():.1f} a {s['con conteo'].max():.1f} % con él; "
                f"a {_distance(s['sin conteo']):.1f} y {_distance(s['con conteo']):.1f} puntos de 80 en "
                f"promedio ({len(s)} {'línea' if len(s) == 1 else 'líneas'})."
            )
    return "\n".join(lines)


def _distance(coverage: pd.Series) -> float:
    """Mean distance, in points, from the interval's level."""
    return float((coverage - LEVEL * 100).abs().mean())


def report(seeds: int) -> str:
    """The coverage table and its summary by size."""
    t0 = time.perf_counter()
    res = results(seeds)
    rows = coverage_rows(res) + coverage_rows(res, by_size=False)
    return (
        f"# Cobertura del intervalo al 80 % según el tamaño de la serie ({time.strftime('%Y-%m-%d')})\n\n"
        f"Series simuladas ({seeds} × {N_SERIES}), el último año de cada una.\n\n"
        + render(rows)
        + "\n\nCobertura por tamaño del total del año (mínimo y máximo entre las líneas):\n\n"
        + size_summary(rows)
        + f"\n\n_{time.perf_counter() - t0:.0f} s_\n"
    )


def main(argv: list[str] | None = None) -> None:
    cli_es.install()
    parser = argparse.ArgumentParser(
        description="Cobertura del intervalo al 80 %, por tamaño de la serie, sin y con el azar de contar."
    )
    parser.add_argument(
        "--semillas", type=int, default=5, metavar="N", help="juegos de series simuladas (5 si no se da)"
    )
    add_out_option(parser)
    args = parser.parse_args(argv)
    if args.semillas < 1:
        parser.error("--semillas debe ser al menos 1")
    text = report(args.semillas)
    publish(text, args.out)


if __name__ == "__main__":
    main()
