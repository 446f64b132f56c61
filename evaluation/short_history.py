"""Cifras de la proyección con la historia que el IGSS cargará primero (2-3 años), contra sus metas.

    .venv/bin/python -m evaluation.short_history [--quick] [--out archivo.md]

Same rolling-origin split as ``evaluation.backtest_report`` (every year with
earlier years projected from them and its first 1 or 2 cuatrimestres, one
engine call per origin with all series), on three groups of series: the real
tuning series (``load_real_series``), the held-out real series
(``load_validation_series``: never used to choose constants) and simulated
series (``evaluation.simulate``). Sections:

(a) full history (up to 12 years): the engine's median APE of the year total
    over the best baseline's (pace so far, mean historical share);
(b) short history, each serie cut to its last years: "2 pasados" keeps the
    last 3 years (2 past + the projected one), "3 pasados" the last 4 (3 past
    + the projected one); only the last year is projected. Median APE over the
    mean-share baseline's, 80 % coverage and the largest upper limit over its
    projection. "ventanas de 2" and "ventanas de 3" also project every earlier
    year from exactly its 2 or 3 previous years (more outcomes for the same
    question); the mean distance of these coverages from 80 % sums them up;
(c) cold start: no serie has history (interval from the reference profile),
    and mixed runs where each serie is once stripped of its history while the
    others keep 1 to 8 years (or 2 to 3, as IGSS will first load): the cold
    series' median APE over the pace so far's and their coverage.

A last table repeats the windows of (b) with the series that span the same
years split at random into calls of 36, the products of IGSS's POA
(``IGSS_CALL``), beside the figures of one call with all series: the interval
is calibrated on the errors of the call, and 36 series give fewer of them than
a few hundred. It is read, not a target.

Every line carries its target and whether it is met. The numbers are read,
not tuned on: the held-out series keep the engine honest.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from evaluation.backtest import mixed_history_runs, rolling_origin, stripped_rows, summarize
from evaluation.baselines import PARTICIPACION_MEDIA, RITMO
from evaluation.markdown import add_out_option, markdown_table, publish
from evaluation.real_series import load_real_series, load_validation_series
from evaluation.simulate import simulate_history
from pei_analysis import cli_es

MOTOR = "motor"
#: Folds of the mixed run (each serie is stripped of its history in one of them).
FOLDS = {True: 3, False: 9}
#: Series a year of the windows needs before its own coverage is shown (fewer: a handful of outcomes).
MIN_SERIES_YEAR = 20
#: Series per engine call in the IGSS-sized runs: the products of IGSS's POA.
IGSS_CALL = 36
#: Fewest series of the last, smaller call of a split (fewer are left out: no IGSS call is that small).
MIN_CALL = 10


def groups(quick: bool) -> dict[str, pd.DataFrame]:
    """The three groups of series: real tuning, real held-out, simulated."""
    real = load_real_series().drop(columns="fuente")
    val = load_validation_series().drop(columns="fuente")
    if quick:
        rng = np.random.default_rng(0)
        ids = np.sort(real["serie"].unique())
        real = real[real["serie"].isin(rng.choice(ids, size=80, replace=False))]
    sim = simulate_history(150 if quick else 400, 16, seed=1)
    return {"reales de ajuste": real, "reales de validación": val, "simuladas": sim}


def last_years(data: pd.DataFrame, n: int) -> pd.DataFrame:
    """Each serie cut to its last ``n`` years."""
    last = data.groupby("serie")["anio"].transform("max")
    return data[data["anio"] > last - n]


def _median_ape(results: pd.DataFrame) -> pd.DataFrame:
    """Median APE (%) by cuatrimestres observed and method."""
    return summarize(results).pivot(index="observados", columns="metodo", values="mape_mediana")


def _engine_stats(results: pd.DataFrame) -> pd.DataFrame:
    """Coverage (%) and largest upper limit / projection of the engine, by cuatrimestres observed."""
    m = results[results["metodo"] == MOTOR]
    inside = (m["limite_inferior"] <= m["real"]) & (m["real"] <= m["limite_superior"])
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(m["proyeccion"] > 0, m["limite_superior"] / m["proyeccion"], np.nan)
    frame = pd.DataFrame({"k": m["observados"], "cubre": inside.astype(float), "ratio": ratio})
    g = frame.groupby("k")
    return pd.DataFrame(
        {"cobertura": g["cubre"].mean() * 100.0, "max_ratio": g["ratio"].max(), "n": g.size()}
    )


def _row(group, section, k, metric, value, target, ok, n) -> dict:
    return {
        "grupo": group,
        "sección": section,
        "obs": k,
        "métrica": metric,
        "valor": value,
        "meta": target,
        "cumple": "sí" if ok else "NO",
        "n": n,
    }


def full_history(group: str, data: pd.DataFrame) -> list[dict]:
    """(a) All origins, up to 12 years: the engine against the best baseline."""
    res = rolling_origin(data, history_years=12, baselines=(RITMO, PARTICIPACION_MEDIA))
    ape = _median_ape(res)
    rows = []
    for k, limit in ((1, 0.90), (2, 0.95)):
        best = ape.loc[k].drop(MOTOR).min()
        ratio = ape.loc[k, MOTOR] / best
        n = int(((res["metodo"] == MOTOR) & (res["observados"] == k)).sum())
        rows.append(
            _row(
                group,
                "a) historia completa",
                k,
                "APE motor / mejor base",
                ratio,
                f"≤ {limit:.2f}",
                ratio <= limit,
                n,
            )
        )
    stats = _engine_stats(res)
    for k in (1, 2):
        cov = stats.loc[k, "cobertura"]
        rows.append(
            _row(
                group,
                "a) historia completa",
                k,
                "cobertura 80%",
                cov,
                "78–82",
                78 <= cov <= 82,
                int(stats.loc[k, "n"]),
            )
        )
    return rows


def short_history(group: str, data: pd.DataFrame, past: int, rolling: bool) -> list[dict]:
    """(b) ``past`` past years: the last year of each serie cut to them, or every window of that many."""
    section, res = short_history_results(data, past, rolling)
    return short_history_rows(group, section, res)


def short_history_results(data: pd.DataFrame, past: int, rolling: bool) -> tuple[str, pd.DataFrame]:
    """The section's name and the rolling-origin results of the engine and the mean-share baseline."""
    if rolling:
        res = rolling_origin(data, history_years=past, min_history=past, baselines=(PARTICIPACION_MEDIA,))
        return f"b) ventanas de {past}", res
    cut = last_years(data, past + 1)
    res = rolling_origin(cut, history_years=past, min_history=past, baselines=(PARTICIPACION_MEDIA,))
    return f"b) {past} pasados + el proyectado", res


def short_history_rows(group: str, section: str, res: pd.DataFrame) -> list[dict]:
    """The section's lines: median APE over the mean share's, coverage and largest upper limit, by k."""
    ape = _median_ape(res)
    stats = _engine_stats(res)
    rows = []
    for k in (1, 2):
        ratio = ape.loc[k, MOTOR] / ape.loc[k, PARTICIPACION_MEDIA]
        n = int(stats.loc[k, "n"])
        cov, top = stats.loc[k, "cobertura"], stats.loc[k, "max_ratio"]
        rows += [
            _row(group, section, k, "APE motor / participación media", ratio, "≤ 0.90", ratio <= 0.90, n),
            _row(group, section, k, "cobertura 80%", cov, "78–82", 78 <= cov <= 82, n),
            _row(group, section, k, "máx. límite sup. / proyección", top, "≤ 5", top <= 5, n),
        ]
    return rows


def coverage_by_year(group: str, res: pd.DataFrame, min_series: int = MIN_SERIES_YEAR) -> list[dict]:
    """How much the coverage of one projected year moves from year to year (years with ``min_series``).

    A section that projects only each serie's last year measures one year:
    the shocks that year shares across series move all its outcomes at once.
    The spread of the coverage between the years of the windows says how far
    from its mean one year's coverage falls, and how often it lands in 78–82.
    """
    m = res[res["metodo"] == MOTOR]
    inside = ((m["limite_inferior"] <= m["real"]) & (m["real"] <= m["limite_superior"])).astype(float)
    per_year = inside.groupby([m["observados"], m["anio"]]).agg(["mean", "size"])
    per_year = per_year[per_year["size"] >= min_series]["mean"] * 100.0
    rows = []
    for k, cov in per_year.groupby(level=0):
        in_target = ((cov >= 78) & (cov <= 82)).mean()
        rows.append(
            {
                "grupo": group,
                "obs": k,
                "años": cov.size,
                "media": cov.mean(),
                "DE entre años": cov.std(),
                "mín.": cov.min(),
                "máx.": cov.max(),
                "años en 78–82": in_target,
            }
        )
    return rows


def render_by_year(rows: list[dict]) -> str:
    """The coverage of one year, across the years of the windows, as a Markdown table."""
    columns = ("grupo", "obs", "años", "media", "DE entre años", "mín.", "máx.", "años en 78–82")
    cells = [
        [
            r["grupo"],
            r["obs"],
            r["años"],
            f"{r['media']:.1f}",
            f"{r['DE entre años']:.1f}",
            f"{r['mín.']:.1f}",
        ]
        + [f"{r['máx.']:.1f}", f"{r['años en 78–82'] * 100:.0f}%"]
        for r in rows
    ]
    return markdown_table(columns, cells)


def calls_of(data: pd.DataFrame, size: int, seed: int = 0) -> list[pd.DataFrame]:
    """The group's series split at random into calls of ``size`` among the series that span the same years
    (as the products of one POA do), a last call under ``MIN_CALL`` left out.

    Series of different years in one call would not share its origins: a call of 36 drawn from births
    (1969-1988) and house sales (2000-2015) projects each year from 8 to 21 series, too few for
    the interval's own errors (``MIN_ORIGINS``), and would measure that instead.
    """
    rng = np.random.default_rng(seed)
    span = data.groupby("serie")["anio"].agg(["min", "max"])
    calls = []
    for _, same in span.groupby(["min", "max"]):
        ids = same.index.to_numpy().copy()
        rng.shuffle(ids)
        chunks = [ids[i : i + size] for i in range(0, len(ids), size)]
        calls += [data[data["serie"].isin(c)] for c in chunks if len(c) >= min(size, MIN_CALL)]
    return calls


def igss_sized(group: str, data: pd.DataFrame, whole: dict[int, pd.DataFrame], size: int = IGSS_CALL):
    """The windows of 2 and 3 past years with calls of ``size`` series, beside ``whole`` (past years →
    results of one call with all series): median APE over the mean share's and coverage, by k."""
    rows = []
    for past, all_at_once in whole.items():
        parts = pd.concat([short_history_results(c, past, rolling=True)[1] for c in calls_of(data, size)])
        for k in (1, 2):
            row = {"grupo": group, "ventanas de": past, "obs": k}
            for label, res in ((f"de {size}", parts), ("todas", all_at_once)):
                ape = _median_ape(res)
                row[f"APE / part. media, {label}"] = ape.loc[k, MOTOR] / ape.loc[k, PARTICIPACION_MEDIA]
                row[f"cobertura, {label}"] = _engine_stats(res).loc[k, "cobertura"]
            rows.append(row)
    return rows


def render_igss_sized(rows: list[dict]) -> str:
    """:func:`igss_sized`'s rows as a Markdown table."""

    def cell(column: str, value):
        if column.startswith("cobertura"):
            return f"{value:.1f}"
        return f"{value:.3f}" if column.startswith("APE") else value

    return markdown_table(list(rows[0]), [[cell(c, v) for c, v in r.items()] for r in rows])


#: The mixed runs: label, and how many years the series that keep their history keep (fewest, most).
MIXED_RUNS = (("c) mixta, sin historia", (1, 8)), ("c) mixta con 2-3 años, sin historia", (2, 3)))


def cold_start(group: str, data: pd.DataFrame, folds: int) -> list[dict]:
    """(c) No serie with history (reference profile), and mixed runs with some series stripped of theirs:
    beside series with 1 to 8 years, and beside series with 2 or 3, as IGSS will first load."""
    none = rolling_origin(data, history_years=0, min_history=0, baselines=())
    stats = _engine_stats(none[none["anio"] > none["anio"].min()])
    rows = []
    for k in (1, 2):
        cov, n = stats.loc[k, "cobertura"], int(stats.loc[k, "n"])
        rows.append(
            _row(group, "c) nadie con historia", k, "cobertura 80%", cov, "75–85", 75 <= cov <= 85, n)
        )
    for section, years in MIXED_RUNS:
        rows += _cold_rows(
            group, section, stripped_rows(mixed_history_runs(data, folds, (RITMO,), years=years), data)
        )
    return rows


def _cold_rows(group: str, section: str, cold: pd.DataFrame) -> list[dict]:
    """The cold series' median APE over the pace's and their coverage, after one and two cuatrimestres."""
    ape = _median_ape(cold)
    stats = _engine_stats(cold)
    rows = []
    for k, limit in ((1, 1.00), (2, 0.97)):
        ratio = ape.loc[k, MOTOR] / ape.loc[k, RITMO]
        n = int(stats.loc[k, "n"])
        cov = stats.loc[k, "cobertura"]
        rows += [
            _row(group, section, k, "APE motor / ritmo", ratio, f"≤ {limit:.2f}", ratio <= limit, n),
            _row(group, section, k, "cobertura 80%", cov, "75–85", 75 <= cov <= 85, n),
        ]
    return rows


def projected_years(group: str, section: str, res: pd.DataFrame, shown: int = 3) -> dict:
    """Which calendar years a section projected, with how many series each (the ``shown`` commonest).

    "N pasados" projects each serie's last year; when most series of a group
    end in the same year, the section measures that one year and its shocks.
    """
    years = res.loc[res["metodo"] == MOTOR].drop_duplicates("serie")["anio"].value_counts()
    years = years.sort_index().sort_values(ascending=False, kind="stable")
    text = ", ".join(f"{year} ({count})" for year, count in years.head(shown).items())
    rest = years.iloc[shown:]
    if len(rest):
        text += f"; {len(rest)} {'año' if len(rest) == 1 else 'años'} más ({rest.sum()})"
    return {"grupo": group, "sección": section, "series": int(years.sum()), "años (series)": text}


def coverage_distance(rows: list[dict]) -> float:
    """Mean distance (points) from 80 % of the coverages of section (b): how well calibrated the interval is
    with 2-3 years overall, a figure that moves less from one change to the next than the count of lines in
    78-82 (each of which measures a handful of calendar years)."""
    cov = [r["valor"] for r in rows if r["sección"].startswith("b)") and r["métrica"] == "cobertura 80%"]
    return float(np.mean(np.abs(np.asarray(cov) - 80.0)))


def render(rows: list[dict]) -> str:
    """The results as a Markdown table."""
    t = pd.DataFrame(rows)
    t["valor"] = [
        f"{v:.1f}" if "cobertura" in m else f"{v:.3f}" for v, m in zip(t["valor"], t["métrica"], strict=True)
    ]
    return markdown_table(list(t.columns), t.to_numpy())


def report(quick: bool) -> str:
    """Every section on every group, with the time it took."""
    t0 = time.perf_counter()
    rows: list[dict] = []
    by_year: list[dict] = []
    measured: list[dict] = []
    sized: list[dict] = []
    for group, data in groups(quick).items():
        rows += full_history(group, data)
        for past in (2, 3):
            section, res = short_history_results(data, past, rolling=False)
            rows += short_history_rows(group, section, res)
            measured.append(projected_years(group, section, res))
        whole = {}
        for past in (2, 3):
            section, whole[past] = short_history_results(data, past, rolling=True)
            rows += short_history_rows(group, section, whole[past])
            if past == 2:
                by_year += coverage_by_year(group, whole[past])
        sized += igss_sized(group, data, whole)
        rows += cold_start(group, data, FOLDS[quick])
        print(f"{group}: {time.perf_counter() - t0:.0f} s", flush=True)
    met = sum(r["cumple"] == "sí" for r in rows)
    return (
        f"# Proyección con historia corta ({time.strftime('%Y-%m-%d')}{', rápida' if quick else ''})\n\n"
        + render(rows)
        + f"\n\nMetas cumplidas: {met} de {len(rows)}. _{time.perf_counter() - t0:.0f} s_\n\n"
        + f"Distancia media a 80% de las coberturas con historia corta (b): {coverage_distance(rows):.1f} "
        + "puntos.\n\n"
        + f"## Cobertura de un solo año (ventanas de 2, años con al menos {MIN_SERIES_YEAR} series)\n\n"
        + render_by_year(by_year)
        + "\n\n## Qué años miden las líneas del último año\n\n"
        + markdown_table(list(measured[0]), [list(m.values()) for m in measured])
        + f"\n\n## Ventanas en llamadas de {IGSS_CALL} series, como las del IGSS, y en una con todas\n\n"
        + render_igss_sized(sized)
        + "\n"
    )


def main(argv: list[str] | None = None) -> None:
    cli_es.install()
    parser = argparse.ArgumentParser(
        description="Cifras de la proyección con 2-3 años de historia, con sus metas."
    )
    parser.add_argument("--quick", action="store_true", help="tamaño reducido (unos minutos)")
    add_out_option(parser)
    args = parser.parse_args(argv)
    text = report(args.quick)
    publish(text, args.out)


if __name__ == "__main__":
    main()
