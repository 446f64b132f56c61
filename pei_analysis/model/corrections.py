"""What changed in an edition since it was published: the figures a reader may already have cited.

An edition changes only when its inputs do (its fingerprint, :mod:`pei_analysis.publish.archive`). When
it is rebuilt with other figures (a cuatrimestre imported again with ``--reemplazar``, past years
loaded, a revised method), the new version must say so at the top, and the one readers saw stays
published beside it. This module compares what the published version offered for download
(``poa_ejecucion.csv`` and ``proyeccion_y_semaforo.csv``, read by :mod:`pei_analysis.publish.versions`)
with what the edition computes now, product by product (by catalogue key). A change of texts, links or
look alone is not a correction: the figures are the same.

Numbers and codes only: the words are :mod:`pei_analysis.chapters.corrections`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pei_analysis.tables.poa import PRODUCT_KEY

#: The figures of the report compared per product and cuatrimestre.
FIGURES = ("programado", "ejecutado")
#: The projection as the book shows it: units, rounded (a change under half a unit is not seen anywhere).
PROJECTION = ("proyeccion", "limite_inferior", "limite_superior")


@dataclass(frozen=True)
class PublishedVersion:
    """The version of an edition that is published now, before it is replaced."""

    #: The folder beside the edition where this version stays published (``2024-c1_version_2026-11-30``).
    carpeta: str
    #: When it was built (ISO date) and its fingerprint.
    construida: str
    huella: str
    #: The inputs that changed since (codes of the fingerprint: ``datos``, ``codigo``, ``parametros``, …).
    cambios: tuple[str, ...] = ()
    #: Periods whose original report is in the data now and was not then, as (anio, cuatrimestre); a
    #: year's total has cuatrimestre None.
    periodos_agregados: tuple[tuple[int, int | None], ...] = ()
    #: Periods with another original report now than then (imported again with ``--reemplazar``).
    periodos_reemplazados: tuple[tuple[int, int | None], ...] = ()
    #: Its ``poa_ejecucion.csv`` and ``proyeccion_y_semaforo.csv``.
    cifras: pd.DataFrame = field(default_factory=pd.DataFrame)
    proyeccion: pd.DataFrame = field(default_factory=pd.DataFrame)


@dataclass(frozen=True)
class Correction:
    """The published version against the new one: only what changed."""

    previous: PublishedVersion
    #: One row per figure that changed: anio, cuatrimestre, clave, producto, campo, antes, ahora.
    figures: pd.DataFrame
    #: One row per product whose projection (rounded to units) or semáforo changed: clave, producto,
    #: proyeccion_antes, proyeccion_ahora, estado_antes, estado_ahora, and cambio_pct, the change of the
    #: projection as a percentage of the published one (NaN where that one was missing or 0).
    projections: pd.DataFrame
    #: Catalogue keys of products in the new version only, and in the published one only.
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        """Whether a reader of the published version saw a figure that is not the edition's any more."""
        return bool(len(self.figures) or len(self.projections) or self.added or self.removed)

    @property
    def status_changes(self) -> pd.DataFrame:
        """The rows of :attr:`projections` whose semáforo changed."""
        p = self.projections
        return p[p["estado_antes"].fillna("") != p["estado_ahora"].fillna("")]


def compare_published(previous: PublishedVersion, rows: pd.DataFrame, table: pd.DataFrame) -> Correction:
    """*previous* against the edition now: *rows* are its POA rows (``poa_ejecucion.csv``), *table* its
    product table (``proyeccion_y_semaforo.csv``)."""
    before, now = set(previous.proyeccion[PRODUCT_KEY]), set(table[PRODUCT_KEY])
    return Correction(
        previous,
        changed_figures(previous.cifras, rows),
        changed_projections(previous.proyeccion, table),
        tuple(sorted(now - before)),
        tuple(sorted(before - now)),
    )


def first_correction(
    published: Sequence[PublishedVersion], rows: pd.DataFrame, table: pd.DataFrame
) -> Correction | None:
    """The comparison with the first of the *published* versions whose figures differ; None if none does."""
    for version in published:
        correction = compare_published(version, rows, table)
        if correction.changed:
            return correction
    return None


def changed_figures(before: pd.DataFrame, now: pd.DataFrame) -> pd.DataFrame:
    """Each programado or ejecutado of a product and cuatrimestre in both tables whose value changed."""
    keys = ["anio", "cuatrimestre", PRODUCT_KEY]
    both = before[[*keys, *FIGURES]].merge(
        now[[*keys, "producto", *FIGURES]], on=keys, suffixes=("_antes", "_ahora")
    )
    parts = []
    for campo in FIGURES:
        moved = both[~_same(both[f"{campo}_antes"], both[f"{campo}_ahora"])]
        parts.append(
            moved[[*keys, "producto"]].assign(
                campo=campo, antes=moved[f"{campo}_antes"], ahora=moved[f"{campo}_ahora"]
            )
        )
    changed = pd.concat(parts, ignore_index=True)
    order = ["anio", "cuatrimestre", "producto", "campo"]
    return changed.sort_values(order, kind="stable").reset_index(drop=True)


def changed_projections(before: pd.DataFrame, now: pd.DataFrame) -> pd.DataFrame:
    """Each product in both tables whose projection or either limit, in units, or whose semáforo changed."""
    both = before[[PRODUCT_KEY, *PROJECTION, "estado"]].merge(
        now[[PRODUCT_KEY, "producto", *PROJECTION, "estado"]], on=PRODUCT_KEY, suffixes=("_antes", "_ahora")
    )
    moved = ~_same(both["estado_antes"], both["estado_ahora"])
    for column in PROJECTION:
        moved |= ~_same(both[f"{column}_antes"].round(), both[f"{column}_ahora"].round())
    keep = [PRODUCT_KEY, "producto", "proyeccion_antes", "proyeccion_ahora", "estado_antes", "estado_ahora"]
    changed = both.loc[moved, keep].sort_values("producto", kind="stable").reset_index(drop=True)
    before_total = changed["proyeccion_antes"].where(changed["proyeccion_antes"] > 0)
    changed["cambio_pct"] = (changed["proyeccion_ahora"] / before_total - 1) * 100
    return changed


def _same(a: pd.Series, b: pd.Series) -> np.ndarray:
    """Element-wise equality where two missing values are the same (a product projected by neither)."""
    return ((a == b) | (a.isna() & b.isna())).to_numpy()
