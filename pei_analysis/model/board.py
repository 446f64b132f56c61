"""The decision board: for each product, how far it would close from its goal and what it would take.

Numbers and codes only, for the person with one minute (issue #20): the projected shortfall in the
product's own unit and as a percentage of the goal, the pace it would need from now on against the
pace so far, the range of the projection, a code for what the projection rests on and a code for
how a shortfall reads given the product's nature (catalogue ``naturaleza``). The words are
:mod:`pei_analysis.chapters.resumen`'s.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pei_analysis.calendar import next_period, period_end
from pei_analysis.model.edition import BELOW_GOAL_STATES, join_catalogue
from pei_analysis.model.history import ANUAL, COMPLETO
from pei_analysis.model.projection import (
    INTERVALO_NINGUNO,
    INTERVALO_OTRAS_SERIES,
    INTERVALO_PROPIO,
    INTERVALO_REFERENCIA,
    SIN_BASE,
)
from pei_analysis.tables.poa import PRODUCT_KEY

#: What a projection rests on (``base``), from the engine's ``intervalo`` code.
BASE_PROPIA = "historia_propia"  # the product's own past years (the call's backtest)
BASE_OTROS = "otros_productos"  # no history of its own: the within-year shares of products with history
BASE_REFERENCIA = "solo_referencia"  # no history in the data at all: what was observed over a reference share
BASE_COMPLETO = "anio_completo"  # the year is complete: nothing projected
BASE_NINGUNA = "sin_base"  # nothing executed and no history: no projection (engine's ``sin_base``)
BASES = (BASE_PROPIA, BASE_OTROS, BASE_REFERENCIA, BASE_COMPLETO, BASE_NINGUNA)
_BASE_OF_INTERVAL = {
    INTERVALO_PROPIO: BASE_PROPIA,
    INTERVALO_OTRAS_SERIES: BASE_OTROS,
    INTERVALO_REFERENCIA: BASE_REFERENCIA,
    INTERVALO_NINGUNO: BASE_COMPLETO,
}

#: How a shortfall reads (``lectura``), from the catalogue's ``naturaleza``.
FALTA_PRODUCCION = "falta_produccion"  # produccion_programada: the institution produced less than it planned
MENOR_DEMANDA = "menor_demanda"  # a_la_demanda: fewer people came than planned, not necessarily a failure
MENOS_PAGOS = "menos_pagos"  # pago_de_prestaciones: fewer payments fell due
SIN_NATURALEZA = "sin_naturaleza"  # the catalogue does not say
_READING_OF_NATURE = {
    "produccion_programada": FALTA_PRODUCCION,
    "a_la_demanda": MENOR_DEMANDA,
    "pago_de_prestaciones": MENOS_PAGOS,
}

#: The catalogue columns the board carries (``nombre_corto`` only when the catalogue has it).
CATALOGUE_COLUMNS = ("unidad_medida", "naturaleza", "nombre_corto")


@dataclass
class Board:
    """The board of one edition: one row per product, the off-track ones, and the next edition's cut-off."""

    #: One row per product (see :func:`product_board` for the columns).
    products: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: The products off track, largest shortfall as % of the goal first (:func:`off_track`).
    off_track: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Per basis code: how many products rest on it and the median half-width of their interval
    #: (:func:`bases`).
    bases: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: The cut-off date of the next edition's data (the end of the next cuatrimestre).
    next_cutoff: dt.date | None = None


def product_board(table: pd.DataFrame, catalogue: pd.DataFrame, cuatrimestre: int) -> pd.DataFrame:
    """The edition's product table with the board's numbers and codes added.

    Added columns: ``faltante`` (programado − proyeccion when positive, else 0; in the product's
    unit), ``faltante_pct`` (of programado), ``ritmo_actual`` (executed per cuatrimestre so far),
    ``ritmo_necesario`` (what is left of the goal per remaining cuatrimestre), ``veces_ritmo``
    (needed ÷ current: 1.6 means 60 % faster than so far; empty when nothing was executed or no
    cuatrimestre remains), ``medio_ancho_pct`` (half the interval's width as % of the projection),
    ``base`` and ``lectura`` (codes), plus the catalogue's ``unidad_medida`` and ``naturaleza``
    ("" when the catalogue leaves them empty). The catalogue is joined on its ``clave``.
    """
    out = join_catalogue(table, catalogue, [c for c in CATALOGUE_COLUMNS if c not in table.columns])
    for name in (c for c in CATALOGUE_COLUMNS if c in out.columns):
        out[name] = out[name].fillna("").astype(str)
    programado = out["programado"].astype(float).to_numpy()
    proyeccion = out["proyeccion"].astype(float).to_numpy()
    ejecutado = out["ejecutado_acumulado"].astype(float).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        faltante = np.where(
            np.isnan(proyeccion) | np.isnan(programado), np.nan, np.maximum(programado - proyeccion, 0.0)
        )
        out["faltante"] = faltante
        out["faltante_pct"] = np.where(programado > 0, faltante * 100.0 / programado, np.nan)
        out["ritmo_actual"] = ejecutado / cuatrimestre
        remaining = 3 - cuatrimestre
        needed = (
            np.maximum(programado - ejecutado, 0.0) / remaining if remaining else np.full(len(out), np.nan)
        )
        out["ritmo_necesario"] = needed
        out["veces_ritmo"] = np.where(out["ritmo_actual"] > 0, needed / out["ritmo_actual"], np.nan)
        width = (out["limite_superior"].astype(float) - out["limite_inferior"].astype(float)) / 2.0
        out["medio_ancho_pct"] = np.where(proyeccion > 0, width * 100.0 / proyeccion, np.nan)
    out["base"] = out["intervalo"].map(_BASE_OF_INTERVAL).where(out["metodo"] != SIN_BASE, BASE_NINGUNA)
    nature = out["naturaleza"] if "naturaleza" in out.columns else pd.Series("", index=out.index)
    out["lectura"] = nature.map(_READING_OF_NATURE).fillna(SIN_NATURALEZA)
    return out


def with_last_year(products: pd.DataFrame, totals: pd.DataFrame | None) -> pd.DataFrame:
    """*products* with the product's last whole year beside this year's goal and projection.

    Why: a product projected short of a goal 30 % above anything it ever did reads differently from one
    that is falling below last year; the director needs both numbers to tell them apart. Added columns:
    ``anio_anterior`` and ``total_anterior`` (the most recent earlier year with the product's whole-year
    total: three cuatrimestres, or an annual total; an incomplete year's partial sum is no year's level),
    and ``meta_vs_anterior_pct`` / ``proyeccion_vs_anterior_pct``, the goal and the projection as a change
    in % from that total (empty when it is 0 or there is none). *totals* are the yearly totals of the
    edition's history (``History.totals``: each year's ``tipo`` and ``ejecutado``; this year's row, still
    running, is no whole year); None or empty: the columns are all empty.
    """
    out = products.copy()
    whole = pd.DataFrame(columns=[PRODUCT_KEY, "anio", "ejecutado"])
    if totals is not None and not totals.empty:
        whole = totals[totals["tipo"].isin((COMPLETO, ANUAL)) & totals["ejecutado"].notna()]
    last = whole.sort_values("anio", kind="stable").groupby(PRODUCT_KEY).tail(1).set_index(PRODUCT_KEY)
    out["anio_anterior"] = out[PRODUCT_KEY].map(last["anio"]).astype("Int64")
    before = out[PRODUCT_KEY].map(last["ejecutado"]).astype(float).to_numpy()
    out["total_anterior"] = before
    with np.errstate(divide="ignore", invalid="ignore"):
        for name, column in (("meta", "programado"), ("proyeccion", "proyeccion")):
            now = out[column].astype(float).to_numpy()
            out[f"{name}_vs_anterior_pct"] = np.where(before > 0, (now / before - 1.0) * 100.0, np.nan)
    return out


def off_track(products: pd.DataFrame) -> pd.DataFrame:
    """The products that would close the year short of their goal (``edition.BELOW_GOAL_STATES``: scored
    below the satisfactory threshold), largest shortfall as % of the goal first.

    The semáforo's state decides, so the board, the summary per program and the status chart count the
    same products. Only scored products can be short: a tiny target or one with nothing executed yet has
    no honest percentage (``meta pequeña``, ``sin ejecución``), and one without data has no projection.
    The order is the shortfall as a percentage of the goal, not in units: units differ across
    products (raciones, consultas, pagos), so 800,000 raciones short is not "more" than 300
    egresos short; the share of the goal missed is the one quantity products have in common.
    Ties keep the report's order (``producto``).
    """
    chosen = products[products["estado"].isin(BELOW_GOAL_STATES)]
    return chosen.sort_values(
        ["faltante_pct", "producto"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)


def bases(products: pd.DataFrame) -> pd.DataFrame:
    """Per basis code present (in :data:`BASES` order): how many projections rest on it and how wide they are.

    ``medio_ancho_mediano_pct`` is the median over those products of half the interval's width as a
    percentage of the projection (the «±12 %» a reader can hold on to); empty when none has one.
    """
    rows = []
    for code in BASES:
        group = products[products["base"] == code]
        if len(group):
            rows.append(
                {
                    "base": code,
                    "productos": len(group),
                    "medio_ancho_mediano_pct": group["medio_ancho_pct"].median(),
                }
            )
    return pd.DataFrame(rows, columns=["base", "productos", "medio_ancho_mediano_pct"])


def edition_board(
    table: pd.DataFrame,
    catalogue: pd.DataFrame,
    anio: int,
    cuatrimestre: int,
    totals: pd.DataFrame | None = None,
) -> Board:
    """The whole board of an edition from its product table and the catalogue's products table, with each
    product's last whole year from *totals* (:func:`with_last_year`) when the data hold earlier years.

    The next edition's date is the cut-off of the next cuatrimestre's data: no source gives the day
    SICOIN publishes a report, so the board promises only what the next edition's data will cover.
    """
    products = with_last_year(product_board(table, catalogue, cuatrimestre), totals)
    return Board(
        products=products,
        off_track=off_track(products),
        bases=bases(products),
        next_cutoff=period_end(*next_period(anio, cuatrimestre)),
    )
