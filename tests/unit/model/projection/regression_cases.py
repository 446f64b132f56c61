"""Simulated inputs of the projection engine's regression test
(tests/fixtures/proyecciones_de_referencia.csv).

Every series here is simulated or hand-made (no real data): they only pin down that the engine gives,
to the last few bits, what the single-module engine gave before it was split into a package by stage.
"""

import numpy as np
import pandas as pd

from evaluation.simulate import simulate_history
from pei_analysis.model.projection import Reference
from tests.unit.model.projection.histories import cut, frame, rows


def random_value(r: np.random.Generator) -> float:
    """A figure of a small random history: zero one time in five, else anything up to a million."""
    return 0.0 if r.random() < 0.2 else float(r.uniform(1e-3, 1e6))


def cases() -> dict:
    """Name → (history, keyword arguments of project_year_end)."""
    c = {}
    c["c1_40x9"] = (cut(simulate_history(40, 9, seed=11), 1), {})
    c["c2_40x9"] = (cut(simulate_history(40, 9, seed=11), 2), {})
    c["c1_200x10"] = (cut(simulate_history(200, 10, seed=11), 1), {})
    c["c2_60x10"] = (cut(simulate_history(60, 10, seed=4), 2), {})
    # mixed cuatrimestres: c1, c2 and complete in one call
    full = simulate_history(45, 7, seed=3)
    last = full["anio"].max()
    k = full["serie"].map(lambda s: 1 + int(s) % 3)
    c["mixed_k"] = (full[(full["anio"] < last) | (full["cuatrimestre"] <= k)].reset_index(drop=True), {})
    one = cut(simulate_history(1, 11, seed=5), 1)
    c["one_serie_alone"] = (one, {})
    c["one_serie_alone_c2"] = (cut(simulate_history(1, 11, seed=6), 2), {})
    c["one_past_year_alone"] = (frame(rows("r", [(2022, 1.0)], (100.0, 200.0, 300.0), (100.0,))), {})
    c["few_years_12"] = (cut(simulate_history(12, 4, seed=9), 1), {})
    c["few_years_12_c2"] = (cut(simulate_history(12, 3, seed=9), 2), {})
    rng = np.random.default_rng(13)
    recs = []
    for s in range(12):
        profile = rng.uniform(1, 10, size=3) * 100
        years = [(2020 + j, 1.0 + 0.002 * rng.standard_normal()) for j in range(3)]
        recs += rows(s, years, profile, profile[:1])
    recs += rows("nueva", [(2022, 1.0)], (100.0, 200.0, 300.0), (100.0,))
    c["few_years_with_newcomer"] = (frame(recs), {})
    c["many_series"] = (cut(simulate_history(400, 10, seed=21), 1), {})
    c["no_history"] = (
        frame([("n", 2024, 1, 100.0), ("m", 2024, 1, 40.0), ("m", 2024, 2, 60.0), ("z", 2024, 1, 0.0)]),
        {},
    )
    h = cut(simulate_history(30, 6, seed=2), 1)
    h = pd.concat(
        [h, frame([("nueva", int(h["anio"].max()), 1, 100.0), ("nueva2", int(h["anio"].max()), 1, 0.0)])],
        ignore_index=True,
    )
    c["mixed_history_others"] = (h, {})
    full = simulate_history(60, 8, seed=17)
    ids = full["serie"].unique()
    caps = dict(zip(ids, np.random.default_rng(1).integers(0, 7, size=len(ids)), strict=True))
    last = full["anio"].max()
    lag = last - full["anio"]
    keep = (lag <= full["serie"].map(caps)) & ((lag > 0) | (full["cuatrimestre"] <= 1))
    c["mixed_history_caps"] = (full[keep].reset_index(drop=True), {})
    c |= zero_cases()
    c["level_09"] = (cut(simulate_history(40, 9, seed=11), 1), {"level": 0.9})
    c["level_05_c2"] = (cut(simulate_history(40, 9, seed=11), 2), {"level": 0.5})
    flat = Reference(
        inverse_share={1: [2.0] * 50 + [4.0] * 51, 2: [1.5] * 101},
        profile_change={1: list(np.linspace(-0.2, 0.3, 101)), 2: list(np.linspace(-0.1, 0.1, 101))},
        source="prueba",
    )
    c["custom_reference_alone"] = (one, {"reference": flat})
    c["custom_reference_nohist"] = (
        frame([("n", 2024, 1, 10.0), ("m", 2024, 1, 3.0), ("m", 2024, 2, 4.0)]),
        {"reference": flat},
    )
    c["custom_reference_few"] = (cut(simulate_history(5, 3, seed=2), 1), {"reference": flat})
    c["max_history_3"] = (cut(simulate_history(80, 12, seed=8), 1), {"max_history": 3})
    c["max_history_1_c2"] = (cut(simulate_history(30, 8, seed=8), 2), {"max_history": 1})
    c["empty"] = (frame([]), {})
    c["complete_year"] = (frame(rows("a", [(2022, 1)], (1.0, 2.0, 3.0), (4.0, 5.0, 6.0))), {})
    return c | random_cases()


def zero_cases() -> dict:
    """Histories with zeros: whole years, one cuatrimestre, this year's first, scattered in a simulation."""
    z = []
    z += rows("z", [(2022, 1), (2023, 1)], (0.0, 0.0, 0.0), (0.0,))
    z += rows("r", [(2022, 1), (2023, 1)], (0.0, 5.0, 5.0), (0.0,))
    z += rows("p", [(2021, 1), (2022, 1), (2023, 1)], (0.0, 5.0, 5.0), (3.0,))
    z += rows("q", [(2023, 1)], (4.0, 0.0, 5.0), (0.0, 2.0))
    zz = simulate_history(40, 8, seed=5)
    zz.loc[zz.index % 7 == 0, "valor"] = 0.0
    return {"zeros": (frame(z), {}), "zeros_sim_c2": (cut(zz, 2), {})}


def random_cases() -> dict:
    """Small random histories (like the property tests): 1 to 5 series, 0 to 4 past years, c1 or c2."""
    c = {}
    for seed in range(12):
        r = np.random.default_rng(100 + seed)
        recs = []
        for s in range(int(r.integers(1, 6))):
            ny = int(r.integers(0, 5))
            ob = int(r.integers(1, 3))
            for j in range(ny):
                recs += [(s, 2020 + j, q, random_value(r)) for q in (1, 2, 3)]
            recs += [(s, 2020 + ny, q, random_value(r)) for q in range(1, ob + 1)]
        c[f"random_{seed}"] = (frame(recs), {})
    return c


def expected_rows() -> pd.DataFrame:
    """What the engine gives now for every case, in the fixture's columns (floats as exact hexadecimal)."""
    from pei_analysis.chapters.methods import method_labels
    from pei_analysis.model.projection import project_year_end

    parts = []
    for name, (history, keywords) in cases().items():
        out = project_year_end(history, **keywords)
        part = pd.DataFrame(
            {"caso": name, "serie": out["serie"].astype(str), "anio": out["anio"].astype(int)}
        )
        for column in ("proyeccion", "limite_inferior", "limite_superior"):
            part[column] = [float(v).hex() for v in out[column]]
        part["metodo"] = method_labels(out).fillna("").tolist()
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


if __name__ == "__main__":
    # Regenerates the fixture after a deliberate change of method (say why in the commit):
    #     .venv/bin/python -m tests.unit.model.projection.regression_cases
    from pathlib import Path

    target = Path(__file__).resolve().parents[3] / "fixtures" / "proyecciones_de_referencia.csv"
    expected_rows().to_csv(target, index=False)
