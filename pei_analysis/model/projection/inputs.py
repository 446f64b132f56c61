"""Validation of the history and its reshaping into the arrays every stage works on.

The engine is vectorised over series, so the long table (one row per serie,
year and cuatrimestre) becomes dense arrays once, here: this year's
cuatrimestres (series × 3) and the past years (series × years × 3, aligned on
each serie's latest year). Every refusal names the row and the field, in
Spanish, because the person who reads it is the analyst who prepared the
file; their wording is part of the contract.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pei_analysis.errors import DataError
from pei_analysis.model.projection.codes import INPUT_COLUMNS


@dataclass(frozen=True)
class PreparedHistory:
    """The history as arrays: one row per serie, in order of first appearance.

    ``current`` holds this year's cuatrimestres (NaN where not observed yet),
    ``observed`` how many there are (1 to 3), and ``past`` the complete earlier
    years, right-aligned so that the last column is the year before each
    serie's latest (NaN where a serie has no such year; at least one column).
    ``annual`` (series × past years, same alignment) holds the total of a past
    year known only as a whole (``cuatrimestre`` 0): its three columns in
    ``past`` are NaN until the engine splits it (:func:`split_annual_years`).
    """

    ids: pd.Index
    year: np.ndarray
    current: np.ndarray
    observed: np.ndarray
    past: np.ndarray
    annual: np.ndarray | None = None

    @property
    def has_history(self) -> np.ndarray:
        """Series with at least one complete past year (by cuatrimestres or as an annual total)."""
        full = (~np.isnan(self.past).any(axis=2)).any(axis=1)
        return full if self.annual is None else full | (~np.isnan(self.annual)).any(axis=1)


@dataclass(frozen=True)
class _Rows:
    """The validated input columns, row by row, with each row's serie as a code into ``ids``."""

    codes: np.ndarray
    ids: pd.Index
    anio: np.ndarray
    cuat: np.ndarray
    valor: np.ndarray


def check_level(level) -> float:
    """The interval's level as a float, refused unless strictly between 0 and 1."""
    if (
        isinstance(level, bool)
        or not isinstance(level, (int, float, np.floating))
        or not 0 < float(level) < 1
    ):
        raise DataError(f"el nivel del intervalo debe estar entre 0 y 1; se recibió {level!r}", field="level")
    return float(level)


def check_max_history(max_history) -> int:
    """The cap on past years as an int, refused unless an integer ≥ 1."""
    if isinstance(max_history, bool) or not isinstance(max_history, (int, np.integer)) or max_history < 1:
        raise DataError(
            f"max_history debe ser un entero ≥ 1; se recibió {max_history!r}", field="max_history"
        )
    return int(max_history)


def integer_column(history: pd.DataFrame, name: str) -> np.ndarray:
    """Column ``name`` as int64, refusing (with the first bad row) anything that is not a whole number."""
    col = history[name]
    try:
        values = pd.to_numeric(col, errors="raise").to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError):
        bad = int(np.flatnonzero(pd.to_numeric(col, errors="coerce").isna().to_numpy())[0])
        raise DataError(
            f"se esperaba un número entero; se recibió {col.iloc[bad]!r}", row=bad + 1, field=name
        ) from None
    wrong = np.flatnonzero(~np.isfinite(values) | (values != np.round(values)))
    if wrong.size:
        i = int(wrong[0])
        raise DataError(f"se esperaba un número entero; se recibió {col.iloc[i]!r}", row=i + 1, field=name)
    return values.astype(np.int64)


def prepare_history(history: pd.DataFrame, max_history: int) -> PreparedHistory:
    """Validate ``history`` and reshape it to arrays, keeping at most ``max_history`` past years per serie."""
    rows = _validated_rows(history)
    n = len(rows.ids)
    last = np.full(n, np.iinfo(np.int64).min)
    np.maximum.at(last, rows.codes, rows.anio)
    _check_annual_rows(rows, last)
    current, observed = _current_year(rows, last)
    by_cuat = rows.cuat > 0
    past = _past_years(_subset(rows, by_cuat), last, max_history)
    annual = (
        _annual_years(_subset(rows, ~by_cuat), last, max_history, past.shape[1]) if (~by_cuat).any() else None
    )
    if annual is not None and annual.shape[1] > past.shape[1]:
        wider = np.full((past.shape[0], annual.shape[1], 3), np.nan)
        wider[:, annual.shape[1] - past.shape[1] :, :] = past
        past = wider
    return PreparedHistory(
        ids=rows.ids, year=last, current=current, observed=observed, past=past, annual=annual
    )


def _subset(rows: _Rows, keep: np.ndarray) -> _Rows:
    """The rows ``keep``, with the same series codes."""
    return _Rows(
        codes=rows.codes[keep],
        ids=rows.ids,
        anio=rows.anio[keep],
        cuat=rows.cuat[keep],
        valor=rows.valor[keep],
    )


def _check_annual_rows(rows: _Rows, last: np.ndarray) -> None:
    """An annual total (cuatrimestre 0) is a past year's, and its year has no cuatrimestres besides."""
    annual = rows.cuat == 0
    if not annual.any():
        return
    in_last = np.flatnonzero(annual & (rows.anio == last[rows.codes]))
    if in_last.size:
        i = int(in_last[0])
        raise DataError(
            f"el último año ({rows.anio[i]}) de la serie {rows.ids[rows.codes[i]]!r} es el que se "
            "proyecta: debe venir por cuatrimestres (1, 2 o 3); el total anual (cuatrimestre 0) solo "
            "vale para años anteriores",
            row=i + 1,
            field="cuatrimestre",
        )
    keys = pd.MultiIndex.from_arrays([rows.codes, rows.anio])
    both = keys[annual].isin(keys[~annual])
    if both.any():
        i = int(np.flatnonzero(annual)[np.flatnonzero(both)[0]])
        raise DataError(
            f"el año {rows.anio[i]} de la serie {rows.ids[rows.codes[i]]!r} trae el total anual "
            "(cuatrimestre 0) y también cuatrimestres: deje solo uno de los dos",
            row=i + 1,
            field="cuatrimestre",
        )


def _annual_years(rows: _Rows, last: np.ndarray, max_history: int, width: int) -> np.ndarray:
    """The annual totals of past years (series × years), right-aligned like the past cuatrimestres."""
    lag = last[rows.codes] - rows.anio
    keep = lag <= max_history
    w = max(width, int(lag[keep].max()) if keep.any() else 0)
    out = np.full((len(rows.ids), w), np.nan)
    out[rows.codes[keep], w - lag[keep]] = rows.valor[keep]
    return out


def _validated_rows(history: pd.DataFrame) -> _Rows:
    """The four columns checked row by row (types, ranges, duplicates), in the order the refusals are
    tried."""
    if not isinstance(history, pd.DataFrame):
        raise DataError("se esperaba una tabla (DataFrame) con serie, anio, cuatrimestre y valor")
    missing = [c for c in INPUT_COLUMNS if c not in history.columns]
    if missing:
        raise DataError("faltan columnas en la historia: " + ", ".join(missing), field=missing[0])
    if history["serie"].isna().any():
        i = int(np.flatnonzero(history["serie"].isna().to_numpy())[0])
        raise DataError("falta el identificador de la serie", row=i + 1, field="serie")
    anio = integer_column(history, "anio")
    cuat = integer_column(history, "cuatrimestre")
    bad = np.flatnonzero((cuat < 0) | (cuat > 3))
    if bad.size:
        i = int(bad[0])
        raise DataError(
            f"se esperaba 1, 2 o 3 (o 0: el total de un año anterior); se recibió {cuat[i]}",
            row=i + 1,
            field="cuatrimestre",
        )
    valor = _production_column(history)
    codes, ids = pd.factorize(history["serie"], sort=False)
    dup = pd.DataFrame({"c": codes, "a": anio, "q": cuat}).duplicated(keep="first").to_numpy()
    if dup.any():
        i = int(np.flatnonzero(dup)[0])
        raise DataError(
            f"la serie {ids[codes[i]]!r} repite el año {anio[i]}, cuatrimestre {cuat[i]}",
            row=i + 1,
            field="cuatrimestre",
        )
    return _Rows(codes=codes, ids=ids, anio=anio, cuat=cuat, valor=valor)


def _production_column(history: pd.DataFrame) -> np.ndarray:
    """``valor`` as float, refusing what is not a finite, non-negative number."""
    try:
        valor = pd.to_numeric(history["valor"], errors="raise").to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError):
        i = int(np.flatnonzero(pd.to_numeric(history["valor"], errors="coerce").isna().to_numpy())[0])
        raise DataError(
            f"se esperaba un número; se recibió {history['valor'].iloc[i]!r}", row=i + 1, field="valor"
        ) from None
    bad = np.flatnonzero(~np.isfinite(valor) | (valor < 0))
    if bad.size:
        i = int(bad[0])
        raise DataError(
            f"se esperaba una producción finita y no negativa; se recibió {valor[i]}",
            row=i + 1,
            field="valor",
        )
    return valor


def _current_year(rows: _Rows, last: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """This year's cuatrimestres (series × 3) and how many were observed, which must be the first ones."""
    is_current = rows.anio == last[rows.codes]
    current = np.full((len(rows.ids), 3), np.nan)
    current[rows.codes[is_current], rows.cuat[is_current] - 1] = rows.valor[is_current]
    seen = ~np.isnan(current)
    # The observed cuatrimestres must be the first ones: 1, or 1 and 2 (or the whole year).
    bad_prefix = seen[:, 1] & ~seen[:, 0] | seen[:, 2] & ~seen[:, 1]
    if bad_prefix.any():
        s = int(np.flatnonzero(bad_prefix)[0])
        i = int(np.flatnonzero(is_current & (rows.codes == s))[0])
        raise DataError(
            f"en el último año ({last[s]}) de la serie {rows.ids[s]!r} los cuatrimestres observados deben "
            "ser los primeros (1, o 1 y 2)",
            row=i + 1,
            field="cuatrimestre",
        )
    return current, seen.sum(axis=1)


def _past_years(rows: _Rows, last: np.ndarray, max_history: int) -> np.ndarray:
    """The earlier years (series × years × 3), right-aligned by year; each must be complete."""
    codes, anio, cuat = rows.codes, rows.anio, rows.cuat
    lag = last[codes] - anio  # 0 for the current year
    in_past = (lag >= 1) & (lag <= max_history)
    h_width = int(lag[in_past].max()) if in_past.any() else 0
    past = np.full((len(rows.ids), max(h_width, 1), 3), np.nan)
    if not h_width:
        return past
    past[codes[in_past], h_width - lag[in_past], cuat[in_past] - 1] = rows.valor[in_past]
    counts = np.zeros((len(rows.ids), h_width), dtype=np.int64)
    np.add.at(counts, (codes[in_past], h_width - lag[in_past]), 1)
    incomplete = (counts > 0) & (counts < 3)
    if incomplete.any():
        s, j = (int(v[0]) for v in np.nonzero(incomplete))
        year = int(last[s] - (h_width - j))
        i = int(np.flatnonzero((codes == s) & (anio == year))[0])
        raise DataError(
            f"el año {year} de la serie {rows.ids[s]!r} está incompleto: los años anteriores al último deben "
            "tener sus 3 cuatrimestres",
            row=i + 1,
            field="cuatrimestre",
        )
    return past
