"""Evaluación con origen móvil (rolling origin) de la proyección al cierre y de sus líneas base.

Every year of a serie that has complete data is projected as if it were the
current one: from the years before it (all of them, or at most
``history_years``) and its first 1 or 2 cuatrimestres. Comparing with the
real total gives, per method and per number of cuatrimestres observed, the
median and mean absolute percentage error of the year total and the coverage
of the intervals. One call of the engine per origin year holds all series, as
in real use, so nothing of the year being projected leaks into its projection.

The baselines it compares with (the issue's) are in ``evaluation.baselines``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from evaluation.baselines import BASELINE_FUNCTIONS, PARTICIPACION_MEDIA, RITMO
from pei_analysis.errors import DataError
from pei_analysis.model.projection import METHOD_COLUMNS, Reference, project_year_end

MOTOR = "motor"
#: The engine's columns that say how it projected, as the engine's rows of the results carry them (its
#: ``metodo`` as ``metodo_motor``: the results' own ``metodo`` says motor or which baseline).
ENGINE_METHOD_COLUMNS = {c: "metodo_motor" if c == "metodo" else c for c in METHOD_COLUMNS}
#: The same columns on a baseline's rows (the engine did not project them).
NO_ENGINE_METHOD = {"metodo_motor": "", "ponderado": False, "con_suavizado": False, "intervalo": ""}
RESULT_COLUMNS = [
    "serie",
    "anio",
    "observados",
    "historia",
    "real",
    "metodo",
    *NO_ENGINE_METHOD,
    "proyeccion",
    "limite_inferior",
    "limite_superior",
]


def _check_complete(complete: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in ("serie", "anio", "cuatrimestre", "valor") if c not in complete.columns]
    if missing:
        raise DataError("faltan columnas para el backtest: " + ", ".join(missing), field=missing[0])
    counts = complete.groupby(["serie", "anio"])["cuatrimestre"].nunique()
    if (counts != 3).any():
        serie, anio = counts.index[np.flatnonzero((counts != 3).to_numpy())[0]]
        raise DataError(
            f"el backtest necesita años completos; la serie {serie!r} tiene el año {anio} incompleto",
            field="cuatrimestre",
        )
    return complete[["serie", "anio", "cuatrimestre", "valor"]]


def rolling_origin(
    complete: pd.DataFrame,
    *,
    observed: tuple[int, ...] = (1, 2),
    history_years: int | pd.Series | None = None,
    min_history: int = 1,
    level: float = 0.8,
    baselines: tuple[str, ...] = (RITMO, PARTICIPACION_MEDIA),
    one_call_per_serie: bool = False,
    reference: Reference | None = None,
) -> pd.DataFrame:
    """Project every year that has ``min_history`` earlier years, from those years and its first
    cuatrimestres.

    ``history_years`` caps the earlier years used (an int for all series, a
    Series indexed by serie for one cap each, None for all). Returns one row
    per serie, origin year, cuatrimestres observed and method: ``serie``,
    ``anio``, ``observados``, ``historia`` (earlier years used), ``metodo``
    (``motor`` or a baseline), ``metodo_motor``, ``ponderado``,
    ``con_suavizado`` and ``intervalo`` (the engine's codes of how it projected,
    so the report can group on them; empty or False on a baseline's rows),
    ``proyeccion``, ``limite_inferior``, ``limite_superior``, ``real``.

    ``one_call_per_serie`` calls the engine once per serie and origin instead
    of once per origin with all series, as a caller that projects series one by
    one would (the engine then cannot lean on the other series). ``reference``
    goes to the engine (e.g. one built without the series being evaluated).
    """
    data = _check_complete(complete)
    unknown = [b for b in baselines if b not in BASELINE_FUNCTIONS]
    if unknown:
        raise DataError("línea base desconocida: " + ", ".join(unknown), field="baselines")
    years = np.sort(data["anio"].unique())
    totals = data.groupby(["serie", "anio"], sort=False)["valor"].sum()
    if isinstance(history_years, pd.Series):
        cap = data["serie"].map(history_years).fillna(np.inf).to_numpy()
    else:
        cap = np.full(len(data), np.inf if history_years is None else float(history_years))
    frames = []
    for year in years:
        for k in observed:
            call, n_hist = _origin_call(data, cap, year, k, min_history)
            if call.empty:
                continue
            ok = n_hist.index
            actual = totals.xs(year, level="anio").reindex(ok)
            out = _engine(call, level, reference, one_call_per_serie)
            base = pd.DataFrame(
                {
                    "serie": ok,
                    "anio": year,
                    "observados": k,
                    "historia": n_hist.to_numpy().astype(int),
                    "real": actual.to_numpy(),
                }
            )
            frames.append(_engine_rows(base, out.loc[ok]))
            frames.extend(_baseline_rows(base, call, baselines))
    if not frames:
        return pd.DataFrame(columns=RESULT_COLUMNS)
    return pd.concat(frames, ignore_index=True)


def _origin_call(
    data: pd.DataFrame, cap: np.ndarray, year: int, k: int, min_history: int
) -> tuple[pd.DataFrame, pd.Series]:
    """The engine's input for one origin, and the earlier years of each serie in it (``min_history``+).

    The input holds, for every serie observed in ``year``, its earlier years
    counted back without gaps up to its cap and the first ``k`` cuatrimestres
    of ``year``; nothing later.
    """
    anio = data["anio"].to_numpy()
    lag = year - anio
    rows_past = (lag >= 1) & (lag <= cap)
    has_year = data["serie"].isin(data.loc[anio == year, "serie"].unique()).to_numpy()
    keep = has_year & (rows_past | ((lag == 0) & (data["cuatrimestre"].to_numpy() <= k)))
    call = data[keep]
    hist_n = call[call["anio"] < year].groupby("serie")["anio"].nunique()
    n_hist = pd.Series(0, index=pd.Index(pd.unique(call["serie"]))).add(hist_n, fill_value=0)
    n_hist = n_hist[n_hist >= min_history]
    return call[call["serie"].isin(n_hist.index)], n_hist


def _baseline_rows(base: pd.DataFrame, call: pd.DataFrame, baselines: tuple[str, ...]) -> list[pd.DataFrame]:
    """The baselines' rows of one origin: ``base`` with each baseline's projection and no interval."""
    rows = []
    for name in baselines:
        values = BASELINE_FUNCTIONS[name](call).reindex(base["serie"])
        rows.append(
            base.assign(
                metodo=name,
                **NO_ENGINE_METHOD,
                proyeccion=values.to_numpy(dtype=float),
                limite_inferior=np.nan,
                limite_superior=np.nan,
            )
        )
    return rows


def _engine(call: pd.DataFrame, level: float, reference, one_call_per_serie: bool) -> pd.DataFrame:
    """The engine's projections of one origin, indexed by serie: one call for all series, or one per serie."""
    if one_call_per_serie:
        out = pd.concat(
            [
                project_year_end(g, level=level, reference=reference)
                for _, g in call.groupby("serie", sort=False)
            ]
        )
    else:
        out = project_year_end(call, level=level, reference=reference)
    return out.set_index("serie")


def _engine_rows(base: pd.DataFrame, out: pd.DataFrame) -> pd.DataFrame:
    """The engine's rows of the results: ``base`` (one row per serie of ``out``) with its projection."""
    codes = {column: out[name].to_numpy() for name, column in ENGINE_METHOD_COLUMNS.items()}
    return base.assign(
        metodo=MOTOR,
        **codes,
        proyeccion=out["proyeccion"].to_numpy(),
        limite_inferior=out["limite_inferior"].to_numpy(),
        limite_superior=out["limite_superior"].to_numpy(),
    )


def _ape(r: pd.DataFrame) -> np.ndarray:
    """Absolute percentage error of each projected year total; NaN where the real total is zero or none was
    made."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(r["real"] > 0, np.abs(r["proyeccion"] - r["real"]) / r["real"] * 100.0, np.nan)


def _draws(rng: np.random.Generator, n: int, draws: int) -> np.ndarray:
    """How many times each of ``n`` units (series, or years) is picked in each of ``draws`` bootstrap
    resamples."""
    return rng.multinomial(n, np.full(n, 1.0 / n), size=draws).astype(float)


def _cluster_weights(r: pd.DataFrame, rng: np.random.Generator, draws: int) -> np.ndarray:
    """Weight of each row of ``r`` in each resample (draws × rows): series and years resampled independently.

    A serie's outcomes are not independent (its profile persists from year to
    year), nor are a year's (a recession or a fall in births moves every serie
    at once). Resampling both, each row weighing how often its serie times how
    often its year was drawn, is Owen's pigeonhole bootstrap for such crossed
    effects (Annals of Applied Statistics, 2007); it errs, if at all, on the
    wide side.
    """
    series = pd.factorize(r["serie"])[0]
    years = pd.factorize(r["anio"])[0]
    by_serie = _draws(rng, series.max() + 1, draws)
    by_year = _draws(rng, years.max() + 1, draws)
    return by_serie[:, series] * by_year[:, years]


def _inside(r: pd.DataFrame) -> pd.Series:
    """1.0 where the real total falls within the interval, else 0.0."""
    return ((r["limite_inferior"] <= r["real"]) & (r["real"] <= r["limite_superior"])).astype(float)


def summarize(results: pd.DataFrame, by: tuple[str, ...] = ("metodo", "observados")) -> pd.DataFrame:
    """Per group: n, median and mean APE of the year total (in %), and interval coverage (in %).

    Years whose real total is zero have no percentage error and are left out of
    the APE (``n_real_cero`` counts them); a projection a method could not make
    (NaN, e.g. Holt-Winters without two years) is left out and counted in
    ``n_sin_proyeccion``.
    """
    r = results.copy()
    r["ape"] = _ape(r)
    r["cubre"] = np.where(r["limite_inferior"].isna(), np.nan, _inside(r))
    r["sin_proyeccion"] = r["proyeccion"].isna()
    r["real_cero"] = r["real"] <= 0
    g = r.groupby(list(by), sort=True)
    out = pd.DataFrame(
        {
            "n": g.size(),
            "mape_mediana": g["ape"].median(),
            "mape_media": g["ape"].mean(),
            "cobertura": g["cubre"].mean() * 100.0,
            "n_real_cero": g["real_cero"].sum(),
            "n_sin_proyeccion": g["sin_proyeccion"].sum(),
        }
    )
    return out.reset_index()


def coverage_interval(
    results: pd.DataFrame,
    by: tuple[str, ...] = ("metodo", "observados"),
    *,
    level: float = 0.9,
    draws: int = 2000,
    seed: int = 0,
) -> pd.DataFrame:
    """Per group, a ``level`` bootstrap interval (in %) for the coverage, resampling whole series and whole
    years.

    Outcomes of one serie, and of one year, are not independent (see
    ``_cluster_weights``): a coverage measured on 15 series or over 14 years is
    far less certain than its count of outcomes suggests, and a shock shared by
    every serie counts as one draw, not as many as there are series.
    ``n_series`` and ``n_anios`` say how many of each back it.
    """
    r = results[results["limite_inferior"].notna()].copy()
    r["cubre"] = _inside(r)
    rng = np.random.default_rng(seed)
    rows = []
    for key, g in r.groupby(list(by), sort=True):
        cells = g.groupby(["serie", "anio"], sort=False)["cubre"].agg(["sum", "size"]).reset_index()
        w = _cluster_weights(cells, rng, draws)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = w @ cells["sum"].to_numpy() / (w @ cells["size"].to_numpy()) * 100.0
        lo, hi = np.nanquantile(share, [(1 - level) / 2, (1 + level) / 2])
        keys = key if isinstance(key, tuple) else (key,)
        rows.append((*keys, g["serie"].nunique(), g["anio"].nunique(), lo, hi))
    return pd.DataFrame(rows, columns=[*by, "n_series", "n_anios", "cobertura_ic_inf", "cobertura_ic_sup"])


def _weighted_median(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Median of ``values`` (sorted ascending) under each row of ``weights`` (draws × values)."""
    cum = np.cumsum(weights, axis=1)
    half = cum[:, -1:] / 2.0
    return values[np.argmax(cum >= half, axis=1)]


def margin_interval(
    results: pd.DataFrame,
    *,
    level: float = 0.9,
    draws: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """Per ``observados``, the engine's margin over the best baseline and a bootstrap interval for it.

    The margin is 1 - (median APE of the engine) / (median APE of the best
    baseline), in %, as the issue's accuracy goal states it. A few series, or a
    few years, can carry it (``_cluster_weights``), so resampling whole series
    and whole years says how far other series and years of the same kind could
    move it; the best baseline is chosen anew in every resample. Rows without a
    real total above zero or without a projection are left out, as in
    :func:`summarize`.
    """
    r = results.assign(ape=_ape(results)).dropna(subset=["ape"])
    rng = np.random.default_rng(seed)
    rows = []
    for k, g in r.groupby("observados", sort=True):
        weights = _cluster_weights(g, rng, draws)
        ape = g["ape"].to_numpy()
        medians, point = {}, {}
        for metodo, at in g.groupby("metodo", sort=True).indices.items():  # (positions of its rows in g)
            at = at[np.argsort(ape[at], kind="stable")]
            medians[metodo] = _weighted_median(ape[at], weights[:, at])
            point[metodo] = float(np.median(ape[at]))
        baselines = [m for m in medians if m != MOTOR]
        if MOTOR not in medians or not baselines:
            continue
        best = min(baselines, key=point.get)
        best_draw = np.min(np.vstack([medians[m] for m in baselines]), axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            margin = (1.0 - medians[MOTOR] / best_draw) * 100.0
        lo, hi = np.nanquantile(margin, [(1 - level) / 2, (1 + level) / 2])
        margin_now = (1.0 - point[MOTOR] / point[best]) * 100.0
        rows.append((k, best, margin_now, lo, hi, g["serie"].nunique(), g["anio"].nunique()))
    columns = ["observados", "mejor_base", "margen", "margen_ic_inf", "margen_ic_sup", "n_series", "n_anios"]
    return pd.DataFrame(rows, columns=columns)


def mixed_history_runs(
    full: pd.DataFrame, folds: int, baselines=(), seed: int = 0, years: tuple[int, int] = (1, 8)
) -> pd.DataFrame:
    """Rolling-origin runs where each serie is once without history (its fold) while the others keep
    ``years`` (fewest, most) years at random: every serie is scored cold with a realistic pool beside it
    (``historia`` 0 marks it; :func:`stripped_rows` keeps those rows)."""
    ids = np.sort(full["serie"].unique())
    rng = np.random.default_rng(seed)
    fold = rng.permutation(len(ids)) % folds
    runs = []
    for f in range(folds):
        kept = rng.integers(years[0], years[1] + 1, size=len(ids))
        caps = pd.Series(np.where(fold == f, 0, kept), index=ids)
        runs.append(rolling_origin(full, history_years=caps, min_history=0, baselines=baselines))
    return pd.concat(runs, ignore_index=True)


def stripped_rows(mixed: pd.DataFrame, full: pd.DataFrame) -> pd.DataFrame:
    """The rows of :func:`mixed_history_runs` of a serie stripped of the history it has: without history
    in a year after its first. A serie's first year has no history in any run (each run repeats it), and
    when its source starts later than the others' no serie of that source has history either: those
    rows measure the reference, not a cold serie among series with history, and once per run."""
    first = full.groupby("serie")["anio"].min()
    return mixed[(mixed["historia"] == 0) & (mixed["anio"] > mixed["serie"].map(first))]
