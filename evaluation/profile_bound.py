"""Lo que puede ganar el perfil con 2-3 años: la cota del oráculo y lo que dan las demás series.

    .venv/bin/python -m evaluation.profile_bound [--out archivo.md]

Issue 19 asks the engine, with 2-3 past years, to miss at most 0.90 times
what the mean historical within-year share misses. That baseline already
projects with the serie's own share; what is left to gain is a better
estimate of the share, and this script measures how much there is to gain,
on the same series and split as ``evaluation.short_history`` (each serie's
last year, and every window of 2 or 3 past years; windows of 12 to compare
with a long history):

- the **oracle** (simulated series only): the share this year was expected
  to have, taken from the simulation before its noise
  (:func:`evaluation.simulate.simulate_monthly_parts`). No estimate from
  past years can know it; what the oracle still misses is this year's own
  noise. Its median APE over the mean share's bounds what any estimate of
  the profile can reach. The **past without noise** is the mean share of the
  past years as they were expected to be: the most that averaging past
  years better (less noisily) could give. The rest of the oracle's
  advantage is what sets this year apart from the past ones (its growth
  within the year), which the past years' shares cannot tell.
- the **pooled share** (all groups): each serie's mean log share shrunk
  towards the median of the series projected in the same call, by how much
  the series differ against how much a mean of 2-3 years wanders (empirical
  Bayes). Past a serie's own years, the other series are the only source a
  call has about its profile.

The numbers are read, not tuned on; none of this is part of the engine.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from evaluation.markdown import add_out_option, markdown_table, publish
from evaluation.short_history import groups as short_history_groups
from evaluation.simulate import monthly_to_cuatrimestres, simulate_monthly_parts
from pei_analysis import cli_es

#: The simulated group of ``evaluation.short_history`` (size and seed): both scripts read the same series.
SIMULATED = {"n_series": 400, "n_years": 16, "seed": 1}
TARGET = 0.90
#: Past years of each line: what IGSS will load first (2, 3) and a long history (12) to compare.
PAST_YEARS = (2, 3, 12)
#: The oracles, by the name of their column: the share this year was expected to have, and the mean of the
#: shares the past years were expected to have (the mean share without the noise of the past years).
ORACLE = "oráculo"
PAST_ORACLE = "pasado sin ruido"


def to_cube(data: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Series × calendar years × 3 cuatrimestres (NaN where a serie has no such year), and the years."""
    wide = data.pivot_table(index=["serie", "anio"], columns="cuatrimestre", values="valor")
    series = wide.index.get_level_values("serie").unique()
    years = np.arange(
        wide.index.get_level_values("anio").min(), wide.index.get_level_values("anio").max() + 1
    )
    full = wide.reindex(pd.MultiIndex.from_product([series, years], names=["serie", "anio"]))
    return full.to_numpy(float).reshape(len(series), len(years), 3), years


def origins(cube: np.ndarray, past: int, last_only: bool) -> list[tuple[int, np.ndarray]]:
    """(year index, series) of each origin: a complete year with ``past`` complete years before it.

    ``last_only`` keeps each serie's last complete year (the short history's
    "2 / 3 pasados"); otherwise every such year (its "ventanas").
    """
    complete = ~np.isnan(cube).any(axis=2)
    n_years = cube.shape[1]
    ok = np.zeros_like(complete)
    for y in range(past, n_years):
        ok[:, y] = complete[:, y - past : y + 1].all(axis=1)
    if last_only:
        last = n_years - 1 - np.argmax(complete[:, ::-1], axis=1)
        ok &= np.arange(n_years)[None, :] == last[:, None]
    return [(y, np.flatnonzero(ok[:, y])) for y in range(n_years) if ok[:, y].any()]


def pooled_log_share(log_share: np.ndarray) -> np.ndarray:
    """Each serie's mean log share (series × past years) shrunk towards the call's median (empirical Bayes).

    The spread of a mean of ``n`` years is the median within-serie variance
    over ``n``; the spread between series is what the means vary beyond it.
    The shrinkage is the first over both: none when series differ far more
    than their means wander, all the way when they do not differ at all.
    """
    n = log_share.shape[1]
    mean = log_share.mean(axis=1)
    if mean.size < 4:
        return mean
    noise = np.median(log_share.var(axis=1, ddof=1)) / n
    between = max(float(np.var(mean, ddof=1)) - noise, 1e-12)
    weight = noise / (noise + between)
    return mean - weight * (mean - np.median(mean))


def projections(cube, expected: np.ndarray | None, past: int, last_only: bool, k: int) -> pd.DataFrame:
    """Per origin: the real total and the projections from the mean and pooled shares, and (with the
    ``expected`` cuatrimestres) from the oracles' shares."""
    frames = []
    for y, rows in origins(cube, past, last_only):
        hist, cur = cube[rows, y - past : y], cube[rows, y]
        totals, parts = hist.sum(axis=2), hist[:, :, :k].sum(axis=2)
        o, actual = cur[:, :k].sum(axis=1), cur.sum(axis=1)
        usable = (totals > 0).all(axis=1) & (parts > 0).all(axis=1) & (o > 0) & (actual > 0)
        if usable.sum() == 0:
            continue
        share = parts[usable] / totals[usable]
        frame = {
            "real": actual[usable],
            "participación media": o[usable] / share.mean(axis=1),
            "participación compartida": o[usable] / np.exp(pooled_log_share(np.log(share))),
        }
        if expected is not None:
            e = expected[rows[usable], y - past : y + 1]
            e_share = e[:, :, :k].sum(axis=2) / e.sum(axis=2)
            frame[ORACLE] = o[usable] / e_share[:, -1]
            frame[PAST_ORACLE] = o[usable] / e_share[:, :-1].mean(axis=1)
        frames.append(pd.DataFrame(frame))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def bound_rows(group: str, cube: np.ndarray, expected: np.ndarray | None) -> list[dict]:
    """The median APE of the mean share and the others' over it, by section, past years and cuatrimestres."""
    rows = []
    for last_only, section in ((True, "último año"), (False, "ventanas")):
        for past in PAST_YEARS if not last_only else PAST_YEARS[:2]:
            for k in (1, 2):
                p = projections(cube, expected, past, last_only, k)
                if p.empty:  # no serie has that many complete years before one
                    continue
                ape = {c: float(np.median(np.abs(p[c] / p["real"] - 1.0))) for c in p.columns if c != "real"}
                base = ape["participación media"]
                rows.append(
                    {
                        "grupo": group,
                        "sección": section,
                        "pasados": past,
                        "obs": k,
                        "n": len(p),
                        "APE part. media (%)": base * 100.0,
                        "compartida / media": ape["participación compartida"] / base,
                        f"{ORACLE} / media": ape.get(ORACLE, np.nan) / base,
                        f"{PAST_ORACLE} / media": ape.get(PAST_ORACLE, np.nan) / base,
                    }
                )
    return rows


def simulated_cubes() -> tuple[np.ndarray, np.ndarray]:
    """The simulated group's cuatrimestres and what each was expected to be before its noise."""
    months = simulate_monthly_parts(**SIMULATED)
    return monthly_to_cuatrimestres(months.values), monthly_to_cuatrimestres(months.expected)


def render(rows: list[dict]) -> str:
    """The results as a Markdown table (the oracles only where the profile is known: «—» elsewhere)."""
    t = pd.DataFrame(rows)
    cells = [
        [r[c] for c in ("grupo", "sección", "pasados", "obs", "n")]
        + [f"{r['APE part. media (%)']:.2f}"]
        + ["—" if np.isnan(v) else f"{v:.3f}" for v in list(r.values())[6:]]
        for r in t.to_dict("records")
    ]
    return markdown_table(list(t.columns), cells)


def report() -> str:
    """The bound on every group, and how many lines even the oracle leaves above the target."""
    t0 = time.perf_counter()
    values, expected = simulated_cubes()
    rows = []
    for group, data in short_history_groups(quick=False).items():
        cube = to_cube(data)[0]
        known = None
        if group == "simuladas":
            if not np.array_equal(cube, values):
                raise RuntimeError("las series simuladas no son las de evaluation.short_history")
            known = expected
        rows += bound_rows(group, cube, known)
    sim = [r for r in rows if r["grupo"] == "simuladas" and r["pasados"] < 12]
    above = sum(r[f"{ORACLE} / media"] > TARGET for r in sim)
    return (
        f"# Cota del perfil con 2-3 años ({time.strftime('%Y-%m-%d')})\n\n"
        + render(rows)
        + f"\n\nEn las simuladas, el oráculo queda por encima de {TARGET:.2f} "
        + f"en {above} de {len(sim)} líneas."
        + f" _{time.perf_counter() - t0:.0f} s_\n"
    )


def main(argv: list[str] | None = None) -> None:
    cli_es.install()
    parser = argparse.ArgumentParser(
        description="Cuánto puede ganar una estimación del perfil con 2-3 años de historia."
    )
    add_out_option(parser)
    args = parser.parse_args(argv)
    text = report()
    publish(text, args.out)


if __name__ == "__main__":
    main()
