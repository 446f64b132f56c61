"""Each product against its own past years: same period a year earlier, within-year profile, yearly totals.

Why: with a single year in the data the book can only compare a product with the even pace (a
third of the year per cuatrimestre). Once IGSS loads past years, the better question is how this
year compares with the same cuatrimestre of earlier years, and whether the product is where its
usual within-year profile says it should be. Past years may be incomplete (a cuatrimestre
missing) or annual-only (a total without its cuatrimestres, passed as *annual*); every table here
keeps a code saying which, so the chapters can write «sin datos» or «año incompleto» instead of a
misleading number.

Products are matched across years on :data:`~pei_analysis.tables.poa.PRODUCT_KEY` only (today the
report's number, soon the catalogue key), never on a literal column. Numbers and codes only: the
words are :mod:`pei_analysis.chapters`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from pei_analysis.errors import DataError
from pei_analysis.tables.poa import PRODUCT_KEY

if TYPE_CHECKING:
    from pei_analysis.model.year_change import ChangeSummary

# What an earlier year holds (``tipo``), for the whole data or for one product.
#: All three cuatrimestres.
COMPLETO = "completo"
#: Some cuatrimestres only, and no annual total.
INCOMPLETO = "incompleto"
#: Only the year's total (an annual report or an annual column), no within-year figures.
ANUAL = "anual"
#: This year, still running (the figure's last bar).
EN_CURSO = "en_curso"

# Whether a product's earlier year can be compared with this year's period (``dato``).
#: The earlier year has the same cuatrimestre(s) for the product.
COMPARABLE = "comparable"
#: The earlier year lacks the cuatrimestre, or one before it, in the data.
SIN_CUATRIMESTRE = "sin_cuatrimestre"
#: The earlier year has only its annual total.
SOLO_ANUAL = "solo_anual"
#: The product did not exist (is not in the data) that year.
SIN_PRODUCTO = "sin_producto"

#: Columns of the optional annual totals (one row per product and year).
ANNUAL_COLUMNS = (PRODUCT_KEY, "anio", "ejecutado")
#: Descriptive columns carried from the edition's table into the tables shown per product.
DESCRIPTIVE = (
    "producto",
    "programa",
    "programa_nombre",
    "subprograma",
    "descripcion",
    "nombre_corto",
    "sigla",
    "unidad",
    "unidad_medida",
)


def empty_annual() -> pd.DataFrame:
    """The annual totals when there are none: no rows, the columns of :data:`ANNUAL_COLUMNS`."""
    return pd.DataFrame(
        {
            PRODUCT_KEY: pd.Series(dtype=object),
            "anio": pd.Series(dtype="int64"),
            "ejecutado": pd.Series(dtype=float),
        }
    )


def annual_totals(annual: pd.DataFrame | None, anio: int) -> pd.DataFrame:
    """*annual* checked (its columns) and cut to the years before *anio*; empty when None."""
    if annual is None:
        return empty_annual()
    missing = [c for c in ANNUAL_COLUMNS if c not in annual.columns]
    if missing:
        raise DataError("faltan columnas en los totales anuales: " + ", ".join(missing), field=missing[0])
    out = annual.loc[annual["anio"] < anio, list(ANNUAL_COLUMNS)].copy()
    out["ejecutado"] = out["ejecutado"].astype(float)
    return out


def _keys(frame: pd.DataFrame) -> list[str]:
    """Columns in *frame* that describe a product, the key first and without repeats."""
    return list(dict.fromkeys([PRODUCT_KEY, *(c for c in DESCRIPTIVE if c in frame.columns)]))


def past_years(poa: pd.DataFrame, anio: int, annual: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per year before *anio* in the data: its cuatrimestres, how many products, and its ``tipo``.

    A year is ``completo`` with its three cuatrimestres, ``anual`` when it has annual totals but not
    the three cuatrimestres, ``incompleto`` otherwise. Oldest first; empty when there is no past year.
    """
    annual = annual_totals(annual, anio)
    past = poa[poa["anio"] < anio]
    years = sorted(set(past["anio"].astype(int)) | set(annual["anio"].astype(int)))
    rows = []
    for year in years:
        rows_y = past[past["anio"] == year]
        cuatrimestres = sorted(int(c) for c in rows_y["cuatrimestre"].unique())
        has_annual = bool((annual["anio"] == year).any())
        tipo = COMPLETO if cuatrimestres == [1, 2, 3] else ANUAL if has_annual else INCOMPLETO
        products = set(rows_y[PRODUCT_KEY]) | set(annual.loc[annual["anio"] == year, PRODUCT_KEY])
        rows.append(
            {
                "anio": year,
                "cuatrimestres": ", ".join(map(str, cuatrimestres)),
                "productos": len(products),
                "tipo": tipo,
            }
        )
    return pd.DataFrame(rows, columns=["anio", "cuatrimestres", "productos", "tipo"])


def year_totals(poa: pd.DataFrame, anio: int, annual: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each product's total for each year before *anio*: ``ejecutado``, cuatrimestres seen, ``tipo``,
    programado.

    Three cuatrimestres give a ``completo`` total; otherwise an annual total, when there is one,
    gives the year's level (``anual``); otherwise the partial sum is kept and marked ``incompleto``.
    ``programado`` is the year's last vigente (empty for an annual-only year).
    """
    past = poa[poa["anio"] < anio].sort_values(["anio", "cuatrimestre"], kind="stable")
    grouped = past.groupby([PRODUCT_KEY, "anio"], sort=True)
    quarters = grouped.agg(
        suma=("ejecutado", "sum"),
        cuatrimestres=("cuatrimestre", "nunique"),
        programado=("programado", "last"),
    ).reset_index()
    annual = annual_totals(annual, anio).rename(columns={"ejecutado": "anual"})
    totals = quarters.merge(annual, on=[PRODUCT_KEY, "anio"], how="outer")
    totals["cuatrimestres"] = totals["cuatrimestres"].fillna(0).astype(int)
    complete = totals["cuatrimestres"] == 3
    has_annual = totals["anual"].notna()
    totals["tipo"] = np.where(complete, COMPLETO, np.where(has_annual, ANUAL, INCOMPLETO))
    totals["ejecutado"] = np.where(complete | ~has_annual, totals["suma"], totals["anual"]).astype(float)
    totals["programado"] = totals["programado"].where(totals["tipo"] != ANUAL).astype(float)
    columns = [PRODUCT_KEY, "anio", "tipo", "cuatrimestres", "ejecutado", "programado"]
    return totals[columns].sort_values([PRODUCT_KEY, "anio"], kind="stable").reset_index(drop=True)


def _period_values(poa: pd.DataFrame, anio: int, cuatrimestre: int) -> pd.DataFrame:
    """Per product of year *anio*: its value in *cuatrimestre* and its cumulative 1..*cuatrimestre*
    (empty when one of those cuatrimestres is missing for the product)."""
    rows = poa[(poa["anio"] == anio) & (poa["cuatrimestre"] <= cuatrimestre)]
    grouped = rows.groupby(PRODUCT_KEY)
    out = pd.DataFrame(
        {
            "cuatrimestre_valor": rows[rows["cuatrimestre"] == cuatrimestre].set_index(PRODUCT_KEY)[
                "ejecutado"
            ],
            "acumulado": grouped["ejecutado"].sum(),
            "vistos": grouped["cuatrimestre"].nunique(),
        }
    )
    out["acumulado"] = out["acumulado"].where(out["vistos"] == cuatrimestre)
    return out.drop(columns="vistos").astype(float)


def same_period(
    poa: pd.DataFrame, table: pd.DataFrame, anio: int, cuatrimestre: int, annual: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Each product of the edition against the same cuatrimestre, and the same months since January, of
    every earlier year: one row per product and earlier year.

    ``ejecutado``/``acumulado`` are this year's cuatrimestre and cumulative; ``*_anterior`` the earlier
    year's; ``cambio*`` the difference in units and ``cambio*_pct`` as a % of the earlier figure
    (empty when it is 0 or missing). ``dato`` says whether the earlier year is comparable (codes above)
    and ``tipo_anio`` what the data hold of that year; with the year complete (cuatrimestre 3) an
    annual-only year still compares its total.
    """
    years = past_years(poa, anio, annual)
    annual = annual_totals(annual, anio)
    now = _period_values(poa, anio, cuatrimestre)
    base = table[_keys(table)].merge(
        now.rename(columns={"cuatrimestre_valor": "ejecutado"}),
        left_on=PRODUCT_KEY,
        right_index=True,
        how="left",
    )
    frames = []
    for year in years.itertuples():
        before = _period_values(poa, year.anio, cuatrimestre)
        if cuatrimestre == 3:
            totals = annual[annual["anio"] == year.anio].set_index(PRODUCT_KEY)["ejecutado"]
            before["acumulado"] = before["acumulado"].combine_first(totals)
        before = before.add_suffix("_anterior").rename(
            columns={"cuatrimestre_valor_anterior": "ejecutado_anterior"}
        )
        rows = base.merge(before, left_on=PRODUCT_KEY, right_index=True, how="left")
        rows.insert(len(_keys(table)), "anio_anterior", year.anio)
        rows["tipo_anio"] = year.tipo
        rows["dato"] = _comparison_code(rows, year, cuatrimestre, poa, annual)
        frames.append(rows)
    if not frames:
        return _with_changes(
            base.assign(
                anio_anterior=pd.Series(dtype="int64"),
                ejecutado_anterior=np.nan,
                acumulado_anterior=np.nan,
                tipo_anio="",
                dato="",
            ).iloc[0:0]
        )
    return _with_changes(pd.concat(frames, ignore_index=True))


def _comparison_code(rows: pd.DataFrame, year, cuatrimestre: int, poa: pd.DataFrame, annual: pd.DataFrame):
    """The ``dato`` code of each row: the product's earlier year, comparable or why not."""
    in_year = set(poa.loc[poa["anio"] == year.anio, PRODUCT_KEY]) | set(
        annual.loc[annual["anio"] == year.anio, PRODUCT_KEY]
    )
    present = rows[PRODUCT_KEY].isin(in_year)
    compared = rows["acumulado_anterior"].notna() if cuatrimestre == 3 else rows["ejecutado_anterior"].notna()
    year_has = {int(c) for c in str(year.cuatrimestres).split(", ") if c}
    why_not = (
        SOLO_ANUAL
        if year.tipo == ANUAL and not year_has >= set(range(1, cuatrimestre + 1))
        else SIN_CUATRIMESTRE
    )
    return np.where(~present, SIN_PRODUCTO, np.where(compared, COMPARABLE, why_not))


def _with_changes(rows: pd.DataFrame) -> pd.DataFrame:
    """Add the year-over-year change in units and in % for the cuatrimestre and the cumulative."""
    for now, before, name in (
        ("ejecutado", "ejecutado_anterior", "cambio"),
        ("acumulado", "acumulado_anterior", "cambio_acumulado"),
    ):
        old = rows[before].astype(float)
        rows[name] = rows[now].astype(float) - old
        with np.errstate(divide="ignore", invalid="ignore"):
            rows[f"{name}_pct"] = np.where(old > 0, rows[name] * 100.0 / old, np.nan)
    return rows.reset_index(drop=True)


def within_year_profiles(poa: pd.DataFrame, anio: int) -> pd.DataFrame:
    """Share of the year reached at the end of cuatrimestres 1 and 2, per product and complete earlier year.

    Only years where the product has its three cuatrimestres count (an annual-only or incomplete year
    says nothing about the profile). ``cuota_c1``/``cuota_c2`` are percentages of the year's total,
    empty when the total is 0.
    """
    past = poa[poa["anio"] < anio]
    if past.empty:
        return pd.DataFrame(
            {
                PRODUCT_KEY: pd.Series(dtype=object),
                "anio": pd.Series(dtype="int64"),
                **{c: pd.Series(dtype=float) for c in ("total", "cuota_c1", "cuota_c2")},
            }
        )
    wide = past.pivot_table(
        index=[PRODUCT_KEY, "anio"], columns="cuatrimestre", values="ejecutado", aggfunc="sum"
    )
    wide = wide.reindex(columns=[1, 2, 3]).dropna().astype(float)
    total = wide.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = pd.DataFrame(
            {
                "total": total,
                "cuota_c1": np.where(total > 0, wide[1] * 100.0 / total, np.nan),
                "cuota_c2": np.where(total > 0, (wide[1] + wide[2]) * 100.0 / total, np.nan),
            },
            index=wide.index,
        )
    return out.reset_index().sort_values([PRODUCT_KEY, "anio"], kind="stable").reset_index(drop=True)


def profile_summary(profiles: pd.DataFrame, table: pd.DataFrame, cuatrimestre: int) -> pd.DataFrame:
    """Per product of the edition: its mean profile over the complete past years against this year's pace.

    ``cuota_media`` (and ``cuota_min``/``cuota_max``) is the share of the year usually reached by the
    end of the edition's cuatrimestre; ``pct_avance`` is this year's execution as % of programado, so
    ``brecha_perfil_pp`` says how far the product is from where its own profile would put it on the
    way to the goal (the even pace assumes a third per cuatrimestre). ``cierre_perfil`` is the
    year-end if the rest of the year follows the mean profile. Empty where there is no complete year.
    """
    column = {1: "cuota_c1", 2: "cuota_c2"}.get(cuatrimestre)
    shares = profiles.assign(cuota=profiles[column] if column else 100.0)
    grouped = shares.groupby(PRODUCT_KEY)
    stats = pd.DataFrame(
        {
            "anios": grouped.size(),
            "cuota_c1_media": grouped["cuota_c1"].mean(),
            "cuota_c2_media": grouped["cuota_c2"].mean(),
            "cuota_media": grouped["cuota"].mean(),
            "cuota_min": grouped["cuota"].min(),
            "cuota_max": grouped["cuota"].max(),
        }
    )
    keep = [*_keys(table), "programado", "ejecutado_acumulado", "pct_avance"]
    out = table[keep].merge(stats, left_on=PRODUCT_KEY, right_index=True, how="left")
    out["anios"] = out["anios"].fillna(0).astype(int)
    out["brecha_perfil_pp"] = out["pct_avance"] - out["cuota_media"]
    with np.errstate(divide="ignore", invalid="ignore"):
        share = out["cuota_media"].to_numpy(dtype=float)
        out["cierre_perfil"] = np.where(share > 0, out["ejecutado_acumulado"] * 100.0 / share, np.nan)
    return out.reset_index(drop=True)


def totals_with_projection(totals: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """The yearly totals of the edition's products plus this year (executed so far, projection and its
    interval, programado): what the history figure draws, one row per product and year."""
    catalogue = table[PRODUCT_KEY]
    past = totals[totals[PRODUCT_KEY].isin(catalogue)].assign(
        proyeccion=np.nan, limite_inferior=np.nan, limite_superior=np.nan
    )
    current = table[
        [
            PRODUCT_KEY,
            "anio",
            "cuatrimestres",
            "ejecutado_acumulado",
            "programado",
            "proyeccion",
            "limite_inferior",
            "limite_superior",
        ]
    ].rename(columns={"ejecutado_acumulado": "ejecutado"})
    current = current.assign(tipo=EN_CURSO)
    out = pd.concat([past, current[past.columns]], ignore_index=True)
    out[["ejecutado", "programado"]] = out[["ejecutado", "programado"]].astype(float)
    return out.sort_values([PRODUCT_KEY, "anio"], kind="stable").reset_index(drop=True)


def retired_products(poa: pd.DataFrame, table: pd.DataFrame, anio: int) -> pd.DataFrame:
    """Products of earlier years that are not in the edition's catalogue: key, description, last year seen."""
    past = poa[(poa["anio"] < anio) & ~poa[PRODUCT_KEY].isin(table[PRODUCT_KEY])]
    last = past.sort_values(["anio", "cuatrimestre"], kind="stable").groupby(PRODUCT_KEY, sort=True).tail(1)
    out = last[_keys(last) + ["anio"]].rename(columns={"anio": "ultimo_anio"})
    return out.sort_values(PRODUCT_KEY, kind="stable").reset_index(drop=True)


@dataclass
class History:
    """Everything the book shows of the past years of an edition's products (empty tables without them)."""

    years: pd.DataFrame = field(default_factory=pd.DataFrame)
    comparison: pd.DataFrame = field(default_factory=pd.DataFrame)
    profiles: pd.DataFrame = field(default_factory=pd.DataFrame)
    profile: pd.DataFrame = field(default_factory=pd.DataFrame)
    totals: pd.DataFrame = field(default_factory=pd.DataFrame)
    retired: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Earlier years' projections against what happened (:mod:`pei_analysis.model.track_record`).
    record: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: This year so far against the same months of the latest earlier year that has them, in a few numbers
    #: (:mod:`pei_analysis.model.year_change`); None without such a year.
    change: ChangeSummary | None = None

    @property
    def has_past(self) -> bool:
        """Whether the data hold any year before the edition's."""
        return not self.years.empty

    @property
    def has_profiles(self) -> bool:
        """Whether some product has a complete past year (a within-year profile)."""
        return not self.profiles.empty

    @property
    def has_record(self) -> bool:
        """Whether some earlier complete year could be projected and checked."""
        return not self.record.empty


def edition_history(
    poa: pd.DataFrame,
    table: pd.DataFrame,
    anio: int,
    cuatrimestre: int,
    level: float = 0.8,
    annual: pd.DataFrame | None = None,
) -> History:
    """The :class:`History` of an edition: *table* is its product table (``projection_table``)."""
    from pei_analysis.model.track_record import projection_record
    from pei_analysis.model.year_change import change_summary

    poa = poa[(poa["anio"] < anio) | ((poa["anio"] == anio) & (poa["cuatrimestre"] <= cuatrimestre))]
    totals = year_totals(poa, anio, annual)
    profiles = within_year_profiles(poa, anio)
    comparison = same_period(poa, table, anio, cuatrimestre, annual)
    return History(
        years=past_years(poa, anio, annual),
        comparison=comparison,
        profiles=profiles,
        profile=profile_summary(profiles, table, cuatrimestre),
        totals=totals_with_projection(totals, table),
        retired=retired_products(poa, table, anio),
        record=projection_record(poa, anio, cuatrimestre, level, annual),
        change=change_summary(comparison),
    )
