"""Las tablas de una edición: avance por producto, proyección con semáforo, resúmenes y verificaciones.

Numbers only: every figure a reader sees is computed here, from ``load_poa`` and the projection
engine, and tested in tests/unit/model. :func:`pei_analysis.model.dataset.compute_dataset` calls
these functions once per build and hands the result to every chapter, so all chapters show the
same numbers. How they are written (Markdown sentences, HTML tables, labels) is
:mod:`pei_analysis.chapters`, one module per chapter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from pei_analysis.calendar import check_period, period_end, period_title, share_of_year
from pei_analysis.errors import DataError
from pei_analysis.model import attainment
from pei_analysis.tables.poa import PRODUCT_COLUMNS, PRODUCT_KEY

#: States that are scored as a percentage of programado (the others are flags).
SCORED_STATES = (
    attainment.SOBRE_EJECUCION,
    attainment.SATISFACTORIO,
    attainment.EN_RIESGO,
    attainment.CRITICO,
)
#: Scored states below the satisfactory threshold: the products that would close the year short.
BELOW_GOAL_STATES = (attainment.EN_RIESGO, attainment.CRITICO)


def period_rows(poa: pd.DataFrame, anio: int, cuatrimestre: int) -> pd.DataFrame:
    """The POA rows of *anio* up to and including *cuatrimestre*; refuse an edition with no data."""
    anio, cuatrimestre = check_period(anio, cuatrimestre)
    rows = poa[(poa["anio"] == anio) & (poa["cuatrimestre"] <= cuatrimestre)]
    if not (rows["cuatrimestre"] == cuatrimestre).any():
        available = ", ".join(
            f"{a}-c{c}" for a, c in sorted(set(zip(poa["anio"], poa["cuatrimestre"], strict=True)))
        )
        raise DataError(
            f"no hay datos del POA para {anio}, cuatrimestre {cuatrimestre}; períodos disponibles: "
            f"{available or 'ninguno'}",
            field="cuatrimestre",
        )
    return rows.sort_values(["cuatrimestre", "producto"], kind="stable").reset_index(drop=True)


def execution_table(poa: pd.DataFrame, anio: int, cuatrimestre: int) -> pd.DataFrame:
    """Year-to-date execution of every product of the edition's catalogue, against the year elapsed.

    ``ejecutado`` in the POA table is what was realised in each cuatrimestre; here it is summed
    over the year up to the edition's cuatrimestre (``ejecutado_acumulado``). ``programado`` is
    the annual vigente of the edition's own cuatrimestre (it may have been revised).
    ``pct_avance`` is the accumulated execution as a percentage of programado (empty when
    programado is 0); ``pct_esperado`` is the share of the year elapsed (4 months of 12 after the
    first cuatrimestre); ``brecha_pp`` is the difference in percentage points, negative when
    behind the even pace.
    """
    rows = period_rows(poa, anio, cuatrimestre)
    current = rows[rows["cuatrimestre"] == cuatrimestre]
    totals = rows.groupby(PRODUCT_KEY).agg(
        ejecutado_acumulado=("ejecutado", "sum"), cuatrimestres=("cuatrimestre", "nunique")
    )
    keep = ["anio", *PRODUCT_COLUMNS, "programado"]
    table = current[keep].merge(totals, left_on=PRODUCT_KEY, right_index=True, how="left")
    table.insert(1, "cuatrimestre", cuatrimestre)
    programado = table["programado"].astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        table["pct_avance"] = np.where(
            programado > 0, table["ejecutado_acumulado"] * 100.0 / programado, np.nan
        )
    table["pct_esperado"] = share_of_year(cuatrimestre)
    table["brecha_pp"] = table["pct_avance"] - table["pct_esperado"]
    return table.sort_values("producto", kind="stable").reset_index(drop=True)


def projection_history(
    poa: pd.DataFrame, anio: int, cuatrimestre: int, annual: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The input of ``projection.project_year_end``: each product's cuatrimestral execution up to the edition.

    Earlier years are kept only when complete (three cuatrimestres), as the engine's contract
    asks; later periods than the edition are never seen, so an old edition can be rebuilt
    exactly as it was published. A series is a product's catalogue key (``PRODUCT_KEY``), so a
    product the report renumbered keeps its history. *annual* (``poa/poa_anual.csv``) adds the
    earlier years known only by their total, as the engine's cuatrimestre-0 rows: they give the
    product's yearly level, not its within-year profile.
    """
    anio, cuatrimestre = check_period(anio, cuatrimestre)
    catalogue = poa.loc[(poa["anio"] == anio) & (poa["cuatrimestre"] == cuatrimestre), PRODUCT_KEY].unique()
    past = poa[(poa["anio"] < anio) & poa[PRODUCT_KEY].isin(catalogue)]
    complete = past.groupby([PRODUCT_KEY, "anio"])["cuatrimestre"].transform("nunique") == 3
    this_year = poa[
        (poa["anio"] == anio) & (poa["cuatrimestre"] <= cuatrimestre) & poa[PRODUCT_KEY].isin(catalogue)
    ]
    parts = [past[complete], this_year]
    if annual is not None and not annual.empty:
        totals = annual[(annual["anio"].astype(int) < anio) & annual[PRODUCT_KEY].isin(catalogue)]
        parts.append(totals.assign(cuatrimestre=0))
    history = pd.concat(parts, ignore_index=True)
    history = history.rename(columns={PRODUCT_KEY: "serie", "ejecutado": "valor"})
    history = history[["serie", "anio", "cuatrimestre", "valor"]].astype(
        {"anio": "int64", "cuatrimestre": "int64"}
    )
    return history.sort_values(["serie", "anio", "cuatrimestre"], kind="stable").reset_index(drop=True)


def join_catalogue(table: pd.DataFrame, catalogue: pd.DataFrame, columns) -> pd.DataFrame:
    """*table* with the catalogue's *columns* (those it has) for each product, joined by ``PRODUCT_KEY``.

    The one join of the product catalogue (``productos.csv``, keyed by ``clave``) onto a product
    table: the short names the chapters show and the unit and nature the board reads. A column
    *table* already has is replaced; a product the catalogue lacks gets NaN. Rows and their order
    (and index) are those of *table*.
    """
    wanted = [c for c in columns if c in catalogue.columns]
    keyed = catalogue[["clave", *wanted]].rename(columns={"clave": PRODUCT_KEY}).drop_duplicates(PRODUCT_KEY)
    base = table.drop(columns=[c for c in wanted if c in table.columns])
    merged = base.merge(keyed, on=PRODUCT_KEY, how="left", validate="many_to_one")
    merged.index = table.index
    return merged


def published_projection(history: pd.DataFrame, level: float) -> pd.DataFrame:
    """The engine's result on *history* as the book publishes it, keyed by ``PRODUCT_KEY``.

    A product the engine had no base for (``sin_base``: nothing executed, no earlier year) gets no
    projection and no interval: its «0» would read as a forecast that the year closes empty, and its
    interval, from 0 to no limit, as a measured uncertainty. The edition and the record of earlier
    years (:mod:`pei_analysis.model.track_record`) both read it here, so they cannot disagree.

    Every POA product counts events (consultas, egresos, pagos, dosis), so each interval also holds the
    chance in counting what remains of the year (``counts=True``): it matters for the products with a
    few cases a year, which the errors of series in the thousands leave too narrow.
    """
    from pei_analysis.model.projection import SIN_BASE, project_year_end

    projected = project_year_end(history, level=level, counts=True).rename(columns={"serie": PRODUCT_KEY})
    unfounded = projected["metodo"] == SIN_BASE
    projected.loc[unfounded, ["proyeccion", "limite_inferior", "limite_superior"]] = np.nan
    return projected


def projection_table(
    poa: pd.DataFrame,
    anio: int,
    cuatrimestre: int,
    thresholds: attainment.Thresholds | None = None,
    level: float = 0.8,
    annual: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Execution table plus each product's projected year-end total, its interval and its semáforo.

    *annual*: the earlier years known only by their total (see :func:`projection_history`).

    How each was projected stays as the engine's codes (``metodo``, ``ponderado``, ``con_suavizado``,
    ``intervalo``): the chapters and downloads name it (:mod:`pei_analysis.chapters.methods`).
    """
    execution = execution_table(poa, anio, cuatrimestre)
    projected = published_projection(projection_history(poa, anio, cuatrimestre, annual), level)
    table = execution.merge(
        projected.drop(columns=["anio"]), on=PRODUCT_KEY, how="left", validate="one_to_one"
    )
    scored = attainment.classify(table.assign(ejecutado=table["ejecutado_acumulado"]), thresholds)
    return scored.drop(columns=["ejecutado"])


@dataclass
class Edition:
    """Everything the chapters of one edition show, computed once from the same data and parameters."""

    anio: int
    cuatrimestre: int
    thresholds: attainment.Thresholds
    level: float
    poa: pd.DataFrame
    table: pd.DataFrame

    @property
    def pct_esperado(self) -> float:
        return share_of_year(self.cuatrimestre)

    @property
    def fecha_corte(self) -> dt.date:
        return period_end(self.anio, self.cuatrimestre)

    @property
    def titulo_periodo(self) -> str:
        return period_title(self.anio, self.cuatrimestre)


#: The semáforo's thresholds as readers and analysts name them (``umbrales={"en_riesgo": 65}``), and
#: the :class:`~pei_analysis.model.attainment.Thresholds` field each one sets.
THRESHOLD_NAMES: dict[str, str] = {
    "satisfactorio": "satisfactory",
    "en_riesgo": "at_risk",
    "sobre_ejecucion": "over_execution",
    "meta_pequena": "small_target",
}


def thresholds_from(parameters: Mapping | attainment.Thresholds | None) -> attainment.Thresholds:
    """Thresholds from a notebook parameter: None (the defaults), a dict of Spanish names, or Thresholds.

    The parameter is part of the public, Spanish interface (``-p "umbrales={en_riesgo: 65}"``), so
    it takes the names of :data:`THRESHOLD_NAMES`; anything else, English field names included, is
    refused listing the names it takes.
    """
    if parameters is None:
        return attainment.Thresholds()
    if isinstance(parameters, attainment.Thresholds):
        return parameters
    if not isinstance(parameters, Mapping):
        raise DataError(
            f"se esperaba un diccionario de umbrales; se recibió {parameters!r}", field="umbrales"
        )
    unknown = sorted(str(k) for k in set(parameters) - set(THRESHOLD_NAMES))
    if unknown:
        raise DataError(
            f"umbral desconocido: {unknown[0]}; se esperaba uno de {', '.join(THRESHOLD_NAMES)}",
            field="umbrales",
        )
    try:
        return attainment.Thresholds(**{THRESHOLD_NAMES[k]: v for k, v in parameters.items()})
    except DataError as exc:  # same words, but the field as the user named it
        spanish = {field: name for name, field in THRESHOLD_NAMES.items()}
        raise DataError(exc.reason, field=spanish.get(exc.field, exc.field)) from None


def check_parameters(
    anio: int, cuatrimestre: int, thresholds: Mapping | attainment.Thresholds | None, level: float
) -> tuple[int, int, attainment.Thresholds, float]:
    """The edition's parameters checked (period, thresholds, interval level), before any data is read."""
    anio, cuatrimestre = check_period(anio, cuatrimestre)
    if isinstance(level, bool) or not isinstance(level, (int, float)) or not 0 < level < 1:
        raise DataError(f"se esperaba un nivel entre 0 y 1 (p. ej. 0.8); se recibió {level!r}", field="nivel")
    return anio, cuatrimestre, thresholds_from(thresholds), float(level)


def edition_from_poa(
    poa: pd.DataFrame,
    anio: int = 2024,
    cuatrimestre: int = 1,
    thresholds: Mapping | attainment.Thresholds | None = None,
    level: float = 0.8,
    annual: pd.DataFrame | None = None,
) -> Edition:
    """The edition's product table (execution, projection, semáforo) from a POA table already loaded
    (and the annual totals of earlier years, when there are any)."""
    anio, cuatrimestre, limits, level = check_parameters(anio, cuatrimestre, thresholds, level)
    table = projection_table(poa, anio, cuatrimestre, limits, level, annual)
    return Edition(anio, cuatrimestre, limits, level, poa, table)


def load_edition(
    anio: int = 2024,
    cuatrimestre: int = 1,
    data_dir: str | Path | None = None,
    thresholds: Mapping | attainment.Thresholds | None = None,
    level: float = 0.8,
) -> Edition:
    """Load the POA and compute the edition's product table; the chapters use the fuller
    :func:`pei_analysis.model.dataset.compute_dataset`."""
    from pei_analysis.tables.poa import load_poa, load_poa_annual

    check_parameters(anio, cuatrimestre, thresholds, level)  # refuse bad parameters before reading data
    return edition_from_poa(
        load_poa(data_dir), anio, cuatrimestre, thresholds, level, load_poa_annual(data_dir)
    )


def program_summary(table: pd.DataFrame) -> pd.DataFrame:
    """One row per program: how many products, how many behind the even pace, median and range of % avance,
    and (once scored) how many in each semáforo state and how many would close short (``bajo_meta``).

    Products of one program count different things (meals, consultations, payments), so their
    quantities are never added up here: programs are compared by their products' percentages.
    ``bajo_meta`` counts the states below the satisfactory threshold, the products the summary's
    board lists, so a director sees where they are without counting cards.
    """
    behind = table["brecha_pp"] < 0
    grouped = table.assign(atrasados=behind).groupby(["programa", "programa_nombre", "unidad"], sort=True)
    summary = grouped.agg(
        productos=("producto", "size"),
        atrasados=("atrasados", "sum"),
        pct_avance_mediana=("pct_avance", "median"),
        pct_avance_min=("pct_avance", "min"),
        pct_avance_max=("pct_avance", "max"),
    ).reset_index()
    summary["al_ritmo"] = summary["productos"] - summary["atrasados"]
    if "estado" in table.columns:
        for estado in attainment.ESTADOS:
            counts = table[table["estado"] == estado].groupby("programa").size()
            summary[estado] = summary["programa"].map(counts).fillna(0).astype(int)
        summary["bajo_meta"] = summary[list(BELOW_GOAL_STATES)].sum(axis=1)
    return summary


def status_counts(table: pd.DataFrame) -> pd.DataFrame:
    """How many products are in each semáforo state, in the book's fixed order (zeros included).

    Numbers only: the state's symbol and colour are :data:`pei_analysis.chapters.display.STATUS_STYLE`.
    """
    counts = table["estado"].value_counts()
    rows = [
        {
            "estado": estado,
            "productos": int(counts.get(estado, 0)),
            "inciertos": int(table.loc[table["estado"] == estado, "estado_incierto"].sum()),
        }
        for estado in attainment.ESTADOS
    ]
    return pd.DataFrame(rows)


def largest_gaps(table: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """The *n* scored products furthest behind the even pace (most negative ``brecha_pp``).

    Flagged products (tiny targets, no execution yet) are left out: a one-case target at 0% is
    not a gap management can act on the same way; the summary lists them separately.
    """
    scored = table[table["estado"].isin(SCORED_STATES)] if "estado" in table.columns else table
    behind = scored[scored["brecha_pp"] < 0]
    return behind.sort_values(["brecha_pp", "producto"], kind="stable").head(n).reset_index(drop=True)


def flagged_products(table: pd.DataFrame) -> pd.DataFrame:
    """Products not scored as a percentage (tiny target, no execution, missing data)."""
    return table[~table["estado"].isin(SCORED_STATES)].reset_index(drop=True)


def percentage_check(poa: pd.DataFrame) -> pd.DataFrame:
    """Per period: each reported percentage against ejecutado / programado × 100 (the importer's check,
    redone).

    The report rounds to two decimals, so a difference up to 0.005 points is rounding. Rows whose
    source gave cumulative figures (``cifras_origen`` = acumulado) report a percentage of the
    cumulative total, not of the period's ``ejecutado``, and are left out of this check.
    """
    if "cifras_origen" in poa.columns:
        poa = poa[poa["cifras_origen"].astype(str) != "acumulado"]
    programado = poa["programado"].astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        again = np.where(programado > 0, poa["ejecutado"] * 100.0 / programado, 0.0)
    diff = (poa["porcentaje_reportado"] - again).abs()
    frame = poa[["anio", "cuatrimestre"]].assign(diferencia=diff, cuadra=diff <= 0.005 + 1e-9)
    out = frame.groupby(["anio", "cuatrimestre"], as_index=False).agg(
        productos=("cuadra", "size"), cuadran=("cuadra", "sum"), diferencia_maxima=("diferencia", "max")
    )
    return out


def sources_table(poa: pd.DataFrame, root: str | Path | None = None) -> pd.DataFrame:
    """Every source file in data/raw/ with its size, its lines (a text), pages (a PDF) or rows (a workbook:
    of the report's sheet, or of the template's), and its SHA-256 (so a reader can check a copy). The
    others are missing, not counted from its bytes."""
    from pei_analysis.files import sha256_bytes
    from pei_analysis.ingest.locations import is_pdf
    from pei_analysis.ingest.readers import sheet_rows
    from pei_analysis.ingest.sicoin_pdf import page_count
    from pei_analysis.paths import data_dir as _data_dir

    raw = _data_dir(root) / "raw"
    used = poa.groupby("archivo_origen")[["anio", "cuatrimestre"]].agg(lambda s: sorted(set(s)))
    rows = []
    for path in sorted(p for p in raw.iterdir() if p.is_file() and not p.name.startswith(".")):
        data = path.read_bytes()
        if path.name in used.index:
            periods = ", ".join(
                f"{a}-c{c}" for a in used.loc[path.name, "anio"] for c in used.loc[path.name, "cuatrimestre"]
            )
            use = f"POA, período {periods}"
        elif path.name.startswith("pei"):
            use = "PEI 2018-2022"
        else:
            use = "otro"
        rows.append(
            {
                "archivo": path.name,
                "uso": use,
                "bytes": len(data),
                "lineas": _text_lines(data) if path.suffix.lower() in (".txt", ".csv") else None,
                "paginas": page_count(path) if is_pdf(path) else None,
                "filas": sheet_rows(path) if path.suffix.lower() == ".xlsx" else None,
                "sha256": sha256_bytes(data),
            }
        )
    return pd.DataFrame(rows).astype({"lineas": "Int64", "paginas": "Int64", "filas": "Int64"})


def _text_lines(data: bytes) -> int:
    return data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)
