"""Clasificación del cumplimiento de metas del POA a partir de la proyección al cierre.

Each product is scored by its projected year-end production as a percentage of
``programado``. No official IGSS thresholds were found, so the defaults below are
the project's own choice, kept in one frozen dataclass so that a reader (or an
analyst) can change them and see the consequence. The prediction interval
counts: when it straddles a threshold the state is marked uncertain. Tiny
targets and zero execution are flagged for what they are instead of being
scored as percentages.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pei_analysis.errors import DataError

SATISFACTORIO = "satisfactorio"
EN_RIESGO = "en riesgo"
CRITICO = "crítico"
SOBRE_EJECUCION = "sobre-ejecución"
META_PEQUENA = "meta pequeña"
SIN_EJECUCION = "sin ejecución"
#: The state of a product that cannot be scored (programado or the projection is missing): a category of
#: the ``estado`` column, with its own style and rule in the book. Not the text printed for a missing
#: figure, which is :data:`pei_analysis.format.MISSING_TEXT`, though both read «sin datos» today.
SIN_DATOS = "sin datos"

#: Every state :func:`classify` can return, from best to worst for the scored
#: ones, then the flags (``SIN_DATOS`` only when programado or the projection is missing).
ESTADOS = (
    SOBRE_EJECUCION,
    SATISFACTORIO,
    EN_RIESGO,
    CRITICO,
    META_PEQUENA,
    SIN_EJECUCION,
    SIN_DATOS,
)

REQUIRED_COLUMNS = ("programado", "ejecutado", "proyeccion", "limite_inferior", "limite_superior")


@dataclass(frozen=True)
class Thresholds:
    """Umbrales de clasificación (criterio propio del proyecto, no oficial del IGSS).

    Percentages of ``programado`` reached by the projected year-end total:

    - ``satisfactory``: from this percentage on, *satisfactorio* (default 90).
    - ``at_risk``: from this percentage up to ``satisfactory``, *en riesgo*;
      below it, *crítico* (default 70).
    - ``over_execution``: above this percentage, *sobre-ejecución*, a planning
      warning that the goal was probably set too low (default 120).
    - ``small_target``: a ``programado`` below this count is a *meta pequeña*
      (e.g. PRECAPI's 1-13 cases), where one case moves the percentage by tens of
      points, so it is flagged rather than scored (default 10).
    """

    satisfactory: float = 90.0
    at_risk: float = 70.0
    over_execution: float = 120.0
    small_target: float = 10.0

    def __post_init__(self) -> None:
        validate_thresholds(self)


def validate_thresholds(thresholds: Thresholds) -> Thresholds:
    """Refuse thresholds that are not finite, positive and ordered; return them unchanged."""
    names = ("at_risk", "satisfactory", "over_execution", "small_target")
    for name in names:
        value = getattr(thresholds, name)
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise DataError(f"el umbral debe ser un número; se recibió {value!r}", field=name)
        if not math.isfinite(float(value)):
            raise DataError(f"el umbral debe ser un número finito; se recibió {value!r}", field=name)
    if not thresholds.at_risk > 0:
        raise DataError(
            f"el umbral «en riesgo» debe ser mayor que 0%; se recibió {thresholds.at_risk}",
            field="at_risk",
        )
    if not thresholds.at_risk < thresholds.satisfactory:
        raise DataError(
            "el umbral «satisfactorio» debe ser mayor que el de «en riesgo»; se recibió "
            f"satisfactorio={thresholds.satisfactory} y en riesgo={thresholds.at_risk}",
            field="satisfactory",
        )
    if not thresholds.satisfactory <= 100:
        raise DataError(
            f"el umbral «satisfactorio» no puede pasar de 100%; se recibió {thresholds.satisfactory}",
            field="satisfactory",
        )
    if not thresholds.over_execution > 100:
        raise DataError(
            f"el umbral de «sobre-ejecución» debe ser mayor que 100%; se recibió {thresholds.over_execution}",
            field="over_execution",
        )
    if thresholds.small_target < 0:
        raise DataError(
            f"el umbral de meta pequeña no puede ser negativo; se recibió {thresholds.small_target}",
            field="small_target",
        )
    return thresholds


def _numeric_column(table: pd.DataFrame, name: str) -> np.ndarray:
    try:
        values = pd.to_numeric(table[name], errors="raise").to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError) as exc:
        raise DataError(f"se esperaban números en la columna ({exc})", field=name) from None
    return values


def classify(table: pd.DataFrame, thresholds: Thresholds | None = None) -> pd.DataFrame:
    """Return *table* with ``pct_proyectado``, ``pct_inferior``, ``pct_superior``,
    ``estado`` and ``estado_incierto`` added (one row per input row). The words that explain a state
    are the chapters' (:mod:`pei_analysis.chapters.status_notes`).

    Percentages are of ``programado``. Flags come first: a missing ``programado``
    or ``ejecutado`` gives *sin datos*; ``programado`` under
    ``thresholds.small_target`` gives *meta pequeña*; nothing executed so far
    gives *sin ejecución* (with or without a projection). The rest is scored by
    the projected percentage, or is *sin datos* without one. ``estado_incierto`` is true when the interval
    reaches another state than the projection's (it straddles a threshold).
    """
    t = validate_thresholds(thresholds if thresholds is not None else Thresholds())
    cols = _checked_columns(table)
    programado = cols["programado"]
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(programado > 0, 100.0 / programado, np.nan)
        pct = cols["proyeccion"] * scale
        pct_lo = cols["limite_inferior"] * scale
        pct_hi = cols["limite_superior"] * scale
    estado, uncertain = _states(cols, pct, pct_lo, pct_hi, t)
    out = table.copy()
    out["pct_proyectado"] = pct
    out["pct_inferior"] = pct_lo
    out["pct_superior"] = pct_hi
    out["estado"] = pd.Series(estado, index=table.index, dtype=object)
    out["estado_incierto"] = uncertain.astype(bool)
    return out


def _checked_columns(table: pd.DataFrame) -> dict[str, np.ndarray]:
    """The :data:`REQUIRED_COLUMNS` as float arrays, refusing what cannot be scored honestly.

    A negative count or an interval that does not contain its projection is an error upstream (in the
    data or the projection), so it stops the build with the row named instead of getting a state.
    """
    if not isinstance(table, pd.DataFrame):
        raise DataError("se esperaba una tabla (DataFrame) con programado, ejecutado y la proyección")
    missing = [c for c in REQUIRED_COLUMNS if c not in table.columns]
    if missing:
        raise DataError("faltan columnas para clasificar: " + ", ".join(missing), field=missing[0])
    cols = {name: _numeric_column(table, name) for name in REQUIRED_COLUMNS}
    for name, values in cols.items():
        bad = np.flatnonzero(values < 0)
        if bad.size:
            raise DataError(
                f"se esperaba un valor no negativo; se recibió {values[bad[0]]}",
                row=int(bad[0]) + 1,
                field=name,
            )
    proy, lo, hi = cols["proyeccion"], cols["limite_inferior"], cols["limite_superior"]
    wrong = np.flatnonzero((lo > proy) | (proy > hi))
    if wrong.size:
        i = int(wrong[0])
        raise DataError(
            "el intervalo no contiene la proyección: se esperaba limite_inferior ≤ proyeccion ≤ "
            f"limite_superior; se recibió {lo[i]} ≤ {proy[i]} ≤ {hi[i]}",
            row=i + 1,
            field="proyeccion",
        )
    return cols


def _scored_state(p: np.ndarray, t: Thresholds) -> np.ndarray:
    """The state a percentage of programado earns on its own, before any flag."""
    return np.select(
        [p > t.over_execution, p >= t.satisfactory, p >= t.at_risk],
        [SOBRE_EJECUCION, SATISFACTORIO, EN_RIESGO],
        default=CRITICO,
    ).astype(object)


def _states(
    cols: dict[str, np.ndarray], pct: np.ndarray, pct_lo: np.ndarray, pct_hi: np.ndarray, t: Thresholds
) -> tuple[np.ndarray, np.ndarray]:
    """The ``estado`` of each row and whether it is uncertain.

    The flags win over the score because a percentage of a missing, tiny or not yet executed target
    would be noise. A scored state is uncertain when an end of the interval falls in another state, or
    when an end is unknown (NaN), since then nothing says the projection is safe.
    """
    programado, ejecutado = cols["programado"], cols["ejecutado"]
    scored = _scored_state(pct, t)
    no_data = np.isnan(programado) | np.isnan(ejecutado)
    small = ~no_data & (programado < t.small_target)
    zero = ~no_data & ~small & (ejecutado == 0)
    # Flagged rows need no projection (a product with nothing executed and no history has none); the
    # others without one cannot be scored.
    no_data |= ~small & ~zero & np.isnan(cols["proyeccion"])
    estado = np.where(
        no_data, SIN_DATOS, np.where(small, META_PEQUENA, np.where(zero, SIN_EJECUCION, scored))
    )
    score_ok = ~(no_data | small | zero)
    ends_known = ~np.isnan(pct_lo) & ~np.isnan(pct_hi)
    uncertain = score_ok & (
        ~ends_known
        | (_scored_state(np.nan_to_num(pct_lo), t) != scored)
        | (_scored_state(np.nan_to_num(pct_hi), t) != scored)
    )
    return estado, uncertain
