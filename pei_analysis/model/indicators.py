"""Progress of the PEI indicators towards their metas, from observations with a cited public source.

The PEI gives, for some metas, a baseline and a target (``data/pei/pei_2018_2022.yaml``); what the
institution actually reached lives in ``data/pei/observaciones_indicadores.csv``, one cited figure per
row. This module reads that file (refusing anything it cannot trust) and measures, per indicator, how
much of the baseline → target gap the latest observation closed, how much the straight path to the
target year would have closed by then, and where a least-squares trend of the observations lands by
the target date.

Most indicators lack a baseline, a target year or any observation. The table says so in ``estado`` and
``avisos`` (codes, see :data:`AVISOS`; the PEI chapter writes them as sentences) instead of filling a
gap: a figure no source gives is never guessed here.

Values are read in the terms of ``meta_valor`` (see :data:`MEDIDAS`): the level of the indicator for
``meta_tipo`` «nivel» (or null), and the accumulated change in % with respect to the baseline, with its
sign, for «variacion_porcentual». That keeps every observation checkable against the indicator's own
``unidad`` and lets a percentage goal be followed even where the PEI does not give the starting amount.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import numpy as np
import pandas as pd

from pei_analysis.model.indicator_inputs import (
    indicator_table,
    milestone_shares,
    observation_stats,
    observations_until,
    years,
)
from pei_analysis.tables.pei import PEI

PROGRESS_COLUMNS = [
    "meta_id",
    "indicador",
    "unidad",
    "sentido",
    "medida",
    "linea_base",
    "meta",
    "meta_anio",
    "ultimo_valor",
    "ultima_fecha",
    "n_observaciones",
    "brecha_cerrada",
    "trayectoria_esperada",
    "valor_tendencia_meta",
    "estado",
    "avisos",
]

#: What may limit the reading of an indicator's row, in the order a reader should learn it. ``avisos``
#: holds a tuple of these codes per row (empty when nothing does); the words are the chapter's
#: (:data:`pei_analysis.chapters.pei_indicators.AVISO_TEXT`).
SIN_OBSERVACIONES = "sin_observaciones"
SIN_CIFRA_META = "sin_cifra_meta"
SIN_LINEA_BASE = "sin_linea_base"
META_IGUAL_A_BASE = "meta_igual_a_base"
SIN_ANIO_META = "sin_anio_meta"
SIN_FECHA_BASE = "sin_fecha_base"
META_DE_UMBRAL = "meta_de_umbral"
UMBRAL_ESTRICTO = "umbral_estricto"
UNA_OBSERVACION = "una_observacion"
MISMA_FECHA = "misma_fecha"
HITOS_ACUMULADOS = "hitos_acumulados"
AVISOS = (
    SIN_OBSERVACIONES,
    SIN_CIFRA_META,
    SIN_LINEA_BASE,
    META_IGUAL_A_BASE,
    SIN_ANIO_META,
    SIN_FECHA_BASE,
    META_DE_UMBRAL,
    UMBRAL_ESTRICTO,
    UNA_OBSERVACION,
    MISMA_FECHA,
    HITOS_ACUMULADOS,
)

#: What ``ultimo_valor`` and ``valor_tendencia_meta`` mean, by ``meta_tipo``.
MEDIDAS = {
    "nivel": "nivel",
    "variacion_porcentual": "cambio % desde la línea base",
    None: "nivel",
}

#: The values ``estado`` can take, and what each means (the project's own wording; documented in
#: data/README.md). Order: the first condition that holds wins.
ESTADOS = {
    "sin datos": "no hay ninguna observación con fuente citada (hasta la fecha de corte)",
    "sin cifra de meta": "el PEI no fija el valor a alcanzar",
    "sin línea base": "meta de nivel sin valor de partida en el PEI: no hay brecha que medir",
    "sin brecha": "la meta es igual a la línea base: no hay brecha que cerrar",
    "cumplida": "el último valor alcanzó o superó la meta",
    "no cumplida": "el último valor es del año meta o posterior y no alcanzó la meta",
    "en camino": "cerró al menos la parte de la brecha que marcan los hitos del PEI o la trayectoria recta",
    "rezagada": "cerró menos de lo que marcan los hitos del PEI o la trayectoria recta",
    "en avance": "hay brecha cerrada, pero falta el año meta o la fecha de la línea base para compararla",
    "dentro del umbral": (
        "meta de mantenerse por encima/debajo de un umbral: el último valor lo respeta (si el texto dice "
        "«por encima» o «por debajo», el umbral mismo no lo respeta)"
    ),
    "fuera del umbral": "meta de mantenerse por encima/debajo de un umbral: el último valor no lo respeta",
}

_TOLERANCE = 1e-9


# --------------------------------------------------------------------------- progress


def indicator_progress(
    pei: PEI | pd.DataFrame, observations: pd.DataFrame, as_of: dt.date | None = None
) -> pd.DataFrame:
    """One row per PEI indicator: how far its latest observation got from baseline to target.

    ``pei`` is the loaded plan (or just its ``indicadores`` table); ``observations`` has at least
    meta_id, fecha and valor (as :func:`load_observations` returns them). Observations dated after
    ``as_of`` are ignored, so the table can be rebuilt as it stood on a past date; ``None`` uses them all
    (the result does not depend on the day it is computed).

    Columns (:data:`PROGRESS_COLUMNS`):

    - ``medida``: what ultimo_valor and valor_tendencia_meta mean: «nivel» or «cambio % desde la línea
      base» (meta_tipo variacion_porcentual).
    - ``linea_base``: the PEI's baseline value; ``meta``: the absolute level to reach (meta_valor for a
      «nivel» meta; baseline × (1 ± meta_valor/100) for a percentage change when the baseline is known;
      null otherwise); ``meta_anio`` the target year (its 31 December is the target date).
    - ``brecha_cerrada``: for aumentar/disminuir, (último − partida) / (objetivo − partida), where
      partida/objetivo are the baseline and meta_valor for a level, 0 and ±meta_valor for a percentage
      change. 1 means the meta is reached; it is not clipped (negative: moved away; above 1: overshoot).
      For mantener_arriba/mantener_abajo it is 1.0 when the latest value is on the right side of meta_valor
      and 0.0 when not, because a threshold has no gap to close; the threshold itself is on the right
      side unless the indicator is ``estricto`` («por encima del 25%»: exactly 25 is not).
    - ``trayectoria_esperada``: where the PEI gives yearly milestones, the last one due by the latest
      observation's date over meta_valor (the plan's own path); otherwise the share the straight line from
      the baseline date to the target date would have closed by then (clipped to 0-1; needs both dates).
    - ``valor_tendencia_meta``: with two or more observations on different dates, the value the
      least-squares line through them reaches on the target date (observations only: the baseline is not
      a point of the fit, since for most indicators the PEI gives none).
    - ``estado`` (see :data:`ESTADOS`) and ``avisos``: the codes (:data:`AVISOS`) of what is missing and
      why a column is empty.
    """
    table = _indicators_with_observations(pei, observations, as_of)
    kind = _kind_of(table)
    gap = _gap_closed(table, kind)
    path = _straight_path(table, kind)
    milestones = milestone_shares(pei, table, path.last_date)
    path = path._replace(expected=np.where(kind.moving & ~np.isnan(milestones), milestones, path.expected))
    estado = _state(table, kind, gap, path)
    out = _progress_frame(table, kind, gap, path, estado)
    out["avisos"] = pd.Series(_warnings(table, kind, gap.span), index=out.index, dtype=object)
    return out[PROGRESS_COLUMNS]


# --------------------------------------------------------------------------- steps of the progress table


class _Kind(NamedTuple):
    """Which rule each row follows, read once so that the gap, path, state and note agree on it."""

    moving: np.ndarray  # aumentar/disminuir: a gap from baseline to target to close
    keep_above: np.ndarray  # mantener_arriba: a threshold, no gap
    keep_below: np.ndarray  # mantener_abajo: a threshold, no gap
    is_level: np.ndarray  # values are levels of the indicator
    is_change: np.ndarray  # values are the signed % change from the baseline
    sign: np.ndarray  # -1.0 for disminuir, 1.0 otherwise: the direction of a percentage change
    strict: np.ndarray  # the threshold itself does not meet the meta («por encima del 25%»)
    no_goal: np.ndarray  # no meta_tipo or no meta_valor: nothing to measure against


class _Gap(NamedTuple):
    """How much of the gap the latest value closed (see ``brecha_cerrada`` in :func:`indicator_progress`)."""

    span: np.ndarray  # target − start, in the terms of the observations (NaN where unknown)
    closed: np.ndarray  # the share closed; 1.0/0.0 on the right/wrong side for a threshold meta
    threshold: np.ndarray  # threshold metas with both a latest value and meta_valor: judged by side


class _Path(NamedTuple):
    """The dates of each row and the share of the gap the straight path asks for by the latest one."""

    target_date: pd.Series  # 31 December of meta_anio (NaT without it)
    last_date: pd.Series  # date of the latest observation (NaT without any)
    expected: np.ndarray  # trayectoria_esperada


def _indicators_with_observations(
    pei: PEI | pd.DataFrame, observations: pd.DataFrame, as_of: dt.date | None
) -> pd.DataFrame:
    """Every indicator with the statistics of its observations up to ``as_of`` (n_observaciones 0 if none).

    A left join, so that the table lists every indicator of the PEI and says «sin datos» where nothing
    is cited instead of dropping the row.
    """
    ind = indicator_table(pei)
    obs = observations_until(observations, as_of, set(ind["meta_id"]))
    stats = observation_stats(obs)
    table = ind.merge(stats, on="meta_id", how="left", validate="one_to_one")
    table["n_observaciones"] = table["n_observaciones"].fillna(0).astype("int64")
    return table


def _kind_of(table: pd.DataFrame) -> _Kind:
    """The :class:`_Kind` of every row, from its sentido, meta_tipo and meta_valor."""
    sentido = table["sentido"]
    tipo = table["meta_tipo"]
    return _Kind(
        moving=sentido.isin(["aumentar", "disminuir"]).to_numpy(),
        keep_above=(sentido == "mantener_arriba").to_numpy(),
        keep_below=(sentido == "mantener_abajo").to_numpy(),
        is_level=(tipo == "nivel").to_numpy(),
        is_change=(tipo == "variacion_porcentual").to_numpy(),
        sign=np.where(sentido == "disminuir", -1.0, 1.0),
        strict=table["estricto"].to_numpy(dtype=bool),
        no_goal=tipo.isna().to_numpy() | np.isnan(table["meta_valor"].astype("float64")),
    )


def _gap_closed(table: pd.DataFrame, kind: _Kind) -> _Gap:
    """The share of the baseline → target gap the latest value closed, unclipped.

    Measured in the terms of the observations (baseline → meta_valor for a level, 0 → ±meta_valor for a
    % change), so a percentage goal needs no baseline amount. A threshold has no gap: its share only
    says which side of meta_valor the latest value is on (within a tolerance; the threshold itself counts
    as the right side unless the indicator is strict).
    """
    base = table["linea_base_valor"].astype("float64")
    valor = table["meta_valor"].astype("float64")
    last = table["ultimo_valor"].astype("float64")
    start = np.where(kind.is_level, base, np.where(kind.is_change, 0.0, np.nan))
    goal = np.where(kind.is_level, valor, np.where(kind.is_change, kind.sign * np.abs(valor), np.nan))
    span = goal - start
    with np.errstate(divide="ignore", invalid="ignore"):
        closed = np.where(kind.moving & (span != 0), (last - start) / span, np.nan)
    above = np.where(kind.strict, last > valor + _TOLERANCE, last >= valor - _TOLERANCE)
    below = np.where(kind.strict, last < valor - _TOLERANCE, last <= valor + _TOLERANCE)
    on_side = np.where(kind.keep_above, above, below)
    threshold = (kind.keep_above | kind.keep_below) & ~np.isnan(last) & ~np.isnan(valor)
    closed = np.where(threshold, on_side.astype("float64"), closed)
    return _Gap(span=span, closed=closed, threshold=threshold)


def _straight_path(table: pd.DataFrame, kind: _Kind) -> _Path:
    """The share of the gap the straight line from baseline date to target date asks for by the last date.

    Clipped to 0-1; NaN without the baseline date or the target year, rather than an assumed date.
    """
    target_date = pd.to_datetime(table["meta_anio"].astype("string") + "-12-31", errors="coerce")
    base_date = pd.to_datetime(table["linea_base_fecha"])
    last_date = pd.to_datetime(table["ultima_fecha"])
    elapsed = ((last_date - base_date) / pd.Timedelta(days=1)).to_numpy(dtype="float64", na_value=np.nan)
    length = ((target_date - base_date) / pd.Timedelta(days=1)).to_numpy(dtype="float64", na_value=np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = np.where(kind.moving & (length > 0), np.clip(elapsed / length, 0.0, 1.0), np.nan)
    return _Path(target_date=target_date, last_date=last_date, expected=expected)


def _trend_at_target(table: pd.DataFrame, target_date: pd.Series) -> pd.Series:
    """Where the least-squares line through the observations lands on the target date.

    NaN without a target year or a slope (fewer than two dates): the observations alone define the line.
    """
    target_years = years(target_date)
    trend = (table["media_valor"] + table["pendiente"] * (target_years - table["media_anio"])).to_numpy(
        dtype="float64", na_value=np.nan
    )
    return pd.Series(np.where(np.isnan(target_years), np.nan, trend), dtype="float64")


def _absolute_target(table: pd.DataFrame, kind: _Kind) -> pd.Series:
    """The level to reach: meta_valor, or baseline × (1 ± meta_valor/100) for a % change (else NaN)."""
    base = table["linea_base_valor"].astype("float64")
    valor = table["meta_valor"].astype("float64")
    with np.errstate(invalid="ignore"):
        meta = np.where(
            kind.is_level,
            valor,
            np.where(kind.is_change, base * (1.0 + kind.sign * np.abs(valor) / 100.0), np.nan),
        )
    return pd.Series(meta, dtype="float64")


def _state(table: pd.DataFrame, kind: _Kind, gap: _Gap, path: _Path) -> np.ndarray:
    """The ``estado`` of each row: the first rule that holds, in the order of :data:`ESTADOS`.

    What is missing comes before any judgement, so no row is scored against a goal or baseline the PEI
    does not give; «no cumplida» waits for an observation dated on or after the target date.
    """
    moving = kind.moving
    base = table["linea_base_valor"].astype("float64")
    n = table["n_observaciones"]
    closed, expected = gap.closed, path.expected
    reached_end = (path.last_date >= path.target_date).to_numpy(dtype=bool, na_value=False)
    rules = [
        ((n == 0).to_numpy(), "sin datos"),
        (kind.no_goal, "sin cifra de meta"),
        (moving & kind.is_level & np.isnan(base), "sin línea base"),
        (moving & (gap.span == 0), "sin brecha"),
        (moving & (closed >= 1 - _TOLERANCE), "cumplida"),
        (moving & reached_end, "no cumplida"),
        (moving & ~np.isnan(expected) & (closed >= expected - _TOLERANCE), "en camino"),
        (moving & ~np.isnan(expected), "rezagada"),
        (moving, "en avance"),
        (gap.threshold & (closed == 1.0), "dentro del umbral"),
    ]
    return np.select([rule for rule, _ in rules], [name for _, name in rules], default="fuera del umbral")


def _progress_frame(
    table: pd.DataFrame, kind: _Kind, gap: _Gap, path: _Path, estado: np.ndarray
) -> pd.DataFrame:
    """The progress columns but ``avisos``, with the dtypes the book and the downloads expect."""
    return pd.DataFrame(
        {
            "meta_id": table["meta_id"],
            "indicador": table["indicador"],
            "unidad": table["unidad"],
            "sentido": table["sentido"],
            "medida": np.where(kind.is_change, MEDIDAS["variacion_porcentual"], MEDIDAS["nivel"]),
            "linea_base": table["linea_base_valor"].astype("float64"),
            "meta": _absolute_target(table, kind),
            "meta_anio": table["meta_anio"].astype("Int64"),
            "ultimo_valor": table["ultimo_valor"].astype("float64"),
            "ultima_fecha": path.last_date,
            "n_observaciones": table["n_observaciones"],
            "brecha_cerrada": pd.Series(gap.closed, dtype="float64"),
            "trayectoria_esperada": pd.Series(path.expected, dtype="float64"),
            "valor_tendencia_meta": _trend_at_target(table, path.target_date),
            "estado": estado,
        }
    )


def _warnings(table: pd.DataFrame, kind: _Kind, span: np.ndarray) -> list[tuple[str, ...]]:
    """The :data:`AVISOS` codes that apply to each row, in that order (an empty tuple when none does)."""
    moving, is_level, no_goal = kind.moving, kind.is_level, kind.no_goal
    n = table["n_observaciones"].to_numpy()
    no_year = table["meta_anio"].isna().to_numpy()
    no_base = table["linea_base_valor"].isna().to_numpy()
    no_base_date = table["linea_base_fecha"].isna().to_numpy()
    threshold = ~moving
    applies = {
        SIN_OBSERVACIONES: n == 0,
        SIN_CIFRA_META: no_goal,
        SIN_LINEA_BASE: moving & is_level & no_base,
        META_IGUAL_A_BASE: moving & ~no_goal & ~np.isnan(span) & (span == 0),
        SIN_ANIO_META: no_year,
        SIN_FECHA_BASE: moving & ~no_year & no_base_date,
        META_DE_UMBRAL: threshold,
        UMBRAL_ESTRICTO: threshold & kind.strict,
        UNA_OBSERVACION: n == 1,
        MISMA_FECHA: (n >= 2) & table["pendiente"].isna().to_numpy(),
        HITOS_ACUMULADOS: table["tiene_hitos"].to_numpy(dtype=bool),
    }
    return [tuple(code for code in AVISOS if applies[code][i]) for i in range(len(table))]
