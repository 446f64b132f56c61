"""Las tablas de una edición: avance por producto, proyección con semáforo, resúmenes y verificaciones.

The notebooks only call these functions and display what they return, so every figure a reader
sees is computed here, from ``load_poa`` and the projection engine, and tested in tests/unit.
An :class:`Edition` is computed once per notebook from the edition's parameters, so all chapters
show the same numbers. How they are written (HTML, Markdown, labels) is
:mod:`pei_analysis.chapters.display`; the PEI chapter is :mod:`pei_analysis.chapters.pei`; the
downloads are :mod:`pei_analysis.chapters.downloads`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from pei_analysis.calendar import (
    ORDINALES,
    check_period,
    cuatrimestre_label,
    period_end,
    period_title,
    share_of_year,
)
from pei_analysis.chapters.display import STATUS_STYLE, fmt_pp, md_escape, plural, short_description
from pei_analysis.errors import DataError
from pei_analysis.format import MISSING_TEXT, fmt_date, fmt_int, fmt_pct
from pei_analysis.model import attainment

#: States that are scored as a percentage of programado (the others are flags).
SCORED_STATES = (attainment.SOBRE_EJECUCION, attainment.SATISFACTORIO, attainment.EN_RIESGO, attainment.CRITICO)


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
    totals = rows.groupby("producto").agg(
        ejecutado_acumulado=("ejecutado", "sum"), cuatrimestres=("cuatrimestre", "nunique")
    )
    keep = [
        "anio", "programa", "programa_nombre", "subprograma", "subprograma_nombre", "producto",
        "descripcion", "sigla", "unidad", "programado",
    ]
    table = current[keep].merge(totals, left_on="producto", right_index=True, how="left")
    table.insert(1, "cuatrimestre", cuatrimestre)
    programado = table["programado"].astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        table["pct_avance"] = np.where(programado > 0, table["ejecutado_acumulado"] * 100.0 / programado, np.nan)
    table["pct_esperado"] = share_of_year(cuatrimestre)
    table["brecha_pp"] = table["pct_avance"] - table["pct_esperado"]
    return table.sort_values("producto", kind="stable").reset_index(drop=True)


def projection_history(poa: pd.DataFrame, anio: int, cuatrimestre: int) -> pd.DataFrame:
    """The input of ``projection.project_year_end``: each product's cuatrimestral execution up to the edition.

    Earlier years are kept only when complete (three cuatrimestres), as the engine's contract
    asks; later periods than the edition are never seen, so an old edition can be rebuilt
    exactly as it was published.
    """
    anio, cuatrimestre = check_period(anio, cuatrimestre)
    catalogue = poa.loc[(poa["anio"] == anio) & (poa["cuatrimestre"] == cuatrimestre), "producto"].unique()
    past = poa[(poa["anio"] < anio) & poa["producto"].isin(catalogue)]
    complete = past.groupby(["producto", "anio"])["cuatrimestre"].transform("nunique") == 3
    this_year = poa[(poa["anio"] == anio) & (poa["cuatrimestre"] <= cuatrimestre) & poa["producto"].isin(catalogue)]
    history = pd.concat([past[complete], this_year], ignore_index=True)
    history = history.rename(columns={"producto": "serie", "ejecutado": "valor"})
    history = history[["serie", "anio", "cuatrimestre", "valor"]]
    return history.sort_values(["serie", "anio", "cuatrimestre"], kind="stable").reset_index(drop=True)


def projection_table(
    poa: pd.DataFrame,
    anio: int,
    cuatrimestre: int,
    thresholds: attainment.Thresholds | None = None,
    level: float = 0.8,
) -> pd.DataFrame:
    """Execution table plus each product's projected year-end total, its interval and its semáforo.

    How each was projected stays as the engine's codes (``metodo``, ``ponderado``, ``con_suavizado``,
    ``intervalo``): the chapters and downloads name it (:mod:`pei_analysis.chapters.methods`).
    """
    from pei_analysis.model.projection import project_year_end

    execution = execution_table(poa, anio, cuatrimestre)
    projected = project_year_end(projection_history(poa, anio, cuatrimestre), level=level)
    projected = projected.rename(columns={"serie": "producto"}).drop(columns=["anio"])
    table = execution.merge(projected, on="producto", how="left", validate="one_to_one")
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


def thresholds_from(parameters: Mapping | attainment.Thresholds | None) -> attainment.Thresholds:
    """Thresholds from a notebook parameter: None (the defaults), a dict of field names, or Thresholds."""
    if parameters is None:
        return attainment.Thresholds()
    if isinstance(parameters, attainment.Thresholds):
        return parameters
    if not isinstance(parameters, Mapping):
        raise DataError(f"se esperaba un diccionario de umbrales; se recibió {parameters!r}", field="umbrales")
    known = set(attainment.Thresholds.__dataclass_fields__)
    unknown = sorted(set(parameters) - known)
    if unknown:
        raise DataError(
            f"umbral desconocido: {unknown[0]}; se esperaba uno de {', '.join(sorted(known))}", field="umbrales"
        )
    return attainment.Thresholds(**parameters)


def load_edition(
    anio: int = 2024,
    cuatrimestre: int = 1,
    data_dir: str | Path | None = None,
    thresholds: Mapping | attainment.Thresholds | None = None,
    level: float = 0.8,
) -> Edition:
    """Load the POA and compute the edition's product table (execution, projection, semáforo)."""
    from pei_analysis import load_poa

    anio, cuatrimestre = check_period(anio, cuatrimestre)
    if isinstance(level, bool) or not isinstance(level, (int, float)) or not 0 < level < 1:
        raise DataError(f"se esperaba un nivel entre 0 y 1 (p. ej. 0.8); se recibió {level!r}", field="nivel")
    limits = thresholds_from(thresholds)
    poa = load_poa(data_dir)
    table = projection_table(poa, anio, cuatrimestre, limits, level)
    return Edition(anio, cuatrimestre, limits, float(level), poa, table)


def program_summary(table: pd.DataFrame) -> pd.DataFrame:
    """One row per program: how many products, how many behind the even pace, median and range of % avance.

    Products of one program count different things (meals, consultations, payments), so their
    quantities are never added up here: programs are compared by their products' percentages.
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
    return summary


def status_counts(table: pd.DataFrame) -> pd.DataFrame:
    """How many products are in each semáforo state, in the book's fixed order (zeros included)."""
    counts = table["estado"].value_counts()
    rows = [
        {
            "estado": estado,
            "simbolo": STATUS_STYLE[estado]["simbolo"],
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


def check_programs(table: pd.DataFrame, expected: Sequence[str]) -> list[str]:
    """Refuse data whose programs differ from the ones a chapter has sections for (so none is silently left out)."""
    found = sorted(table["programa"].astype(str).unique())
    if sorted(map(str, expected)) != found:
        raise DataError(
            f"el capítulo tiene secciones para los programas {', '.join(map(str, expected))} y los datos traen "
            f"{', '.join(found)}: agregue o quite la sección del programa en el cuaderno.",
            field="programa",
        )
    return found


def program_caption(table: pd.DataFrame, programa: str) -> str:
    """'Programa 12, PRESTACIONES PECUNIARIAS: 11 productos; unidad: pagos.' for a table's caption."""
    rows = table[table["programa"].astype(str) == str(programa)]
    if rows.empty:
        raise DataError(f"no hay productos del programa {programa}", field="programa")
    unidades = ", ".join(sorted(set(rows["unidad"].astype(str))))
    return (
        f"Programa {programa}, {rows['programa_nombre'].iloc[0]}: "
        f"{plural(len(rows), 'producto', 'productos')}; unidad: {unidades}."
    )


def projection_overview(edition: Edition) -> str:
    """The Markdown that opens the projection chapter: what the projection rests on and what it says."""
    t = edition.table
    counts = status_counts(t).set_index("estado")["productos"]
    methods = ", ".join(f"«{md_escape(m)}»" for m in methods_used(t)["metodo"])
    scored = ", ".join(f"{counts[e]} {STATUS_STYLE[e]['simbolo']} {e}" for e in SCORED_STATES)
    return (
        f"La proyección parte de lo ejecutado hasta el **{fmt_date(edition.fecha_corte)}** "
        f"({fmt_pct(edition.pct_esperado)} del año transcurrido). Método: {methods}; el intervalo es de "
        f"predicción al {fmt_pct(edition.level * 100, 0)} (cuando el método puede darlo). "
        f"Resultado: {scored}; {int(counts[[e for e in attainment.ESTADOS if e not in SCORED_STATES]].sum())} "
        "productos no se califican como porcentaje."
    )


def percentage_check(poa: pd.DataFrame) -> pd.DataFrame:
    """Per period: each reported percentage against ejecutado / programado × 100 (the importer's check, redone).

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


def methods_used(table: pd.DataFrame) -> pd.DataFrame:
    """Which projection methods produced this edition's figures (by the name readers see), and for how many products."""
    from pei_analysis.chapters.methods import method_labels

    counts = method_labels(table).fillna(MISSING_TEXT).value_counts()
    return pd.DataFrame({"metodo": counts.index, "productos": counts.to_numpy()})


def execution_overview(edition: Edition) -> str:
    """The Markdown sentence that opens the execution chapter: cut-off date, expected share, pace."""
    t = edition.table
    behind = int((t["brecha_pp"] < 0).sum())
    ahead = int((t["brecha_pp"] >= 0).sum())
    return (
        f"Datos al **{fmt_date(edition.fecha_corte)}**. Al cierre del {ORDINALES[edition.cuatrimestre]} "
        f"cuatrimestre ha transcurrido el **{fmt_pct(edition.pct_esperado)}** del año "
        f"({edition.cuatrimestre * 4} de 12 meses): un producto que avanza a ritmo parejo habría ejecutado esa "
        f"parte de lo programado. De {plural(len(t), 'producto', 'productos')}, "
        f"**{plural(ahead, 'va', 'van')} al ritmo o por encima** y **{behind} por debajo**."
    )


def executive_summary(edition: Edition) -> str:
    """The one-minute reading, as Markdown: date of the data, pace, semáforo counts, largest gaps."""
    t = edition.table
    counts = status_counts(t).set_index("estado")["productos"]
    n = len(t)
    behind = int((t["brecha_pp"] < 0).sum())
    scored = int(counts[list(SCORED_STATES)].sum())
    flagged = n - scored
    inciertos = int(t.loc[t["estado"].isin(SCORED_STATES), "estado_incierto"].sum())
    gaps = largest_gaps(t, 3)
    ahead = int((t["brecha_pp"] >= 0).sum())
    lines = [
        (f"**Datos al {fmt_date(edition.fecha_corte)}**, {ORDINALES[edition.cuatrimestre]} cuatrimestre "
        f"({cuatrimestre_label(edition.anio, edition.cuatrimestre)}). "
        f"Transcurrido el {fmt_pct(edition.pct_esperado)} del año, el POA {edition.anio} tiene "
        f"{plural(n, 'producto', 'productos')} en {plural(t['programa'].nunique(), 'programa', 'programas')}."),
        "",
        (f"- **Ritmo**: {plural(ahead, 'producto va', 'productos van')} al ritmo esperado o por encima; "
        f"{plural(behind, 'va', 'van')} por debajo. Avance mediano: {fmt_pct(t['pct_avance'].median())}."),
        f"- **Proyección al cierre** ({plural(scored, 'producto calificado', 'productos calificados')}): "
        + ", ".join(
            f"{counts[e]} {STATUS_STYLE[e]['simbolo']} {e}" for e in SCORED_STATES
        )
        + (f"; en {plural(inciertos, 'caso', 'casos')} el intervalo cruza un umbral." if inciertos else "."),
    ]
    if flagged:
        flags = ", ".join(
            f"{counts[e]} «{e}»" for e in attainment.ESTADOS if e not in SCORED_STATES and counts[e]
        )
        lines.append(f"- **No calificados como porcentaje**: {flags}.")
    if len(gaps):
        worst = "; ".join(
            f"producto {int(r['producto'])}, «{md_escape(short_description(r['descripcion'], 60))}» "
            f"({fmt_pct(r['pct_avance'])}, {fmt_pp(r['brecha_pp'])})"
            for r in gaps.to_dict("records")
        )
        lines.append(f"- **Mayores rezagos**: {worst}.")
    return "\n".join(lines)


def thresholds_table(thresholds: attainment.Thresholds) -> pd.DataFrame:
    """The semáforo's rules in words, from the thresholds actually used (so the book never disagrees with them)."""
    t = thresholds
    rules = [
        (attainment.SOBRE_EJECUCION, (f"proyección mayor que {fmt_pct(t.over_execution, 0)} de lo programado "
         "(alerta de planificación: la meta pudo quedar baja)")),
        (attainment.SATISFACTORIO, f"proyección de {fmt_pct(t.satisfactory, 0)} a {fmt_pct(t.over_execution, 0)}"),
        (attainment.EN_RIESGO, f"proyección de {fmt_pct(t.at_risk, 0)} a menos de {fmt_pct(t.satisfactory, 0)}"),
        (attainment.CRITICO, f"proyección menor que {fmt_pct(t.at_risk, 0)}"),
        (attainment.META_PEQUENA, f"programado menor que {fmt_int(t.small_target)}: no se califica como porcentaje"),
        (attainment.SIN_EJECUCION, "nada ejecutado en lo que va del año: no se califica como porcentaje"),
        (attainment.SIN_DATOS, "falta lo programado, lo ejecutado o la proyección"),
    ]
    return pd.DataFrame(
        [{"estado": e, "simbolo": STATUS_STYLE[e]["simbolo"], "regla": r} for e, r in rules]
    )


def sources_table(poa: pd.DataFrame, root: str | Path | None = None) -> pd.DataFrame:
    """Every source file in data/raw/ with its size, lines and SHA-256 (so a reader can check a copy)."""
    from pei_analysis.files import sha256_bytes
    from pei_analysis.paths import data_dir as _data_dir

    raw = _data_dir(root) / "raw"
    used = poa.groupby("archivo_origen")[["anio", "cuatrimestre"]].agg(lambda s: sorted(set(s)))
    rows = []
    for path in sorted(p for p in raw.iterdir() if p.is_file() and not p.name.startswith(".")):
        data = path.read_bytes()
        if path.name in used.index:
            periods = ", ".join(f"{a}-c{c}" for a in used.loc[path.name, "anio"] for c in used.loc[path.name, "cuatrimestre"])
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
                "lineas": data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1),
                "sha256": sha256_bytes(data),
            }
        )
    return pd.DataFrame(rows)


def checks_markdown(lines: Iterable[str]) -> str:
    """The validation summary as a Markdown list, one ✔ per check passed (text escaped)."""
    return "\n".join(f"- ✔ {md_escape(line)}" for line in lines)
