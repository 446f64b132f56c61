"""El capítulo «Cambios desde la edición anterior»: qué cambió y cómo les fue a las proyecciones, en palabras.

The numbers are :mod:`pei_analysis.model.revisions`; here they become the chapter's sentences.
"""

from __future__ import annotations

import pandas as pd

from pei_analysis.calendar import edition_id, period_end, previous_period
from pei_analysis.chapters.display import NOT_PROJECTED_TEXT, PRODUCT_LINK, Column
from pei_analysis.format import fmt_date, fmt_pct
from pei_analysis.model.revisions import track_record_summary

#: What a revision cell says when one of the two editions did not project the product (or projected 0).
NOT_COMPARED_TEXT = "no se compara"
#: The product's number (to its row in the execution chapter), program and short name: how each table
#: of the chapter starts.
_PRODUCT = [
    Column("producto", kind="int", link=PRODUCT_LINK),
    "programa",
    Column("descripcion", kind="short"),
]
#: «Productos que cambiaron de estado».
STATUS_CHANGE_COLUMNS = [
    *_PRODUCT,
    Column("estado_anterior", "Estado anterior", kind="status"),
    Column("estado", "Estado ahora", kind="status"),
    Column("revision_pct", "Revisión de la proyección", kind="pct", missing=NOT_COMPARED_TEXT),
]
#: «Proyecciones revisadas»: every product, in cards on a phone (seven columns do not fit 375 px).
REVISION_COLUMNS = [
    *_PRODUCT,
    Column("proyeccion_anterior", "Proyección anterior", kind="int", missing=NOT_PROJECTED_TEXT),
    Column("proyeccion", "Proyección ahora", kind="int", missing=NOT_PROJECTED_TEXT),
    Column("revision_pct", "Revisión", kind="pct", missing=NOT_COMPARED_TEXT),
    Column("estado", "Estado ahora", kind="status"),
]


def changes_markdown(changes: pd.DataFrame | None, anio: int, cuatrimestre: int) -> str:
    """The chapter's opening paragraph: what changed, in Spanish, every number from *changes*."""
    if changes is None:
        if previous_period(anio, cuatrimestre) is None:
            return (
                f"Esta es la primera edición de {anio}: no hay una edición anterior del mismo año "
                "con la que comparar las proyecciones. La comparación empieza con la edición del "
                f"segundo cuatrimestre de {anio}."
            )
        prev_anio, prev_c = previous_period(anio, cuatrimestre)
        return f"No hay datos de la edición anterior ({edition_id(prev_anio, prev_c)}) para comparar."
    changed = int(changes["cambio_estado"].sum())
    revised = changes["revision_pct"].dropna()
    up, down = int((revised > 0).sum()), int((revised < 0).sum())
    median = float(revised.abs().median()) if len(revised) else float("nan")
    previous = edition_id(*previous_period(anio, cuatrimestre))
    return (
        f"Respecto de la edición {previous}, **{changed} de {len(changes)} productos cambiaron de estado** "
        f"en el semáforo. La proyección al cierre subió en {up} productos y bajó en {down}; la revisión "
        f"mediana, en valor absoluto, fue de {fmt_pct(median)} de la proyección anterior."
    )


def track_record_markdown(record: pd.DataFrame | None, anio: int, cuatrimestre: int) -> str:
    """Opening of the track-record section: how the year's earlier projections fared, or why not yet.

    Every date and tense comes from the edition's period, never from the clock: the book is read
    (and rebuilt) long after its data's cut-off, so «el año aún no termina» would be false in 2026
    for a 2024 edition. The sentence says what the data reach and where the comparison will be.
    """
    if record is None:
        return (
            f"Los datos de esta edición llegan al {fmt_date(period_end(anio, cuatrimestre))}, antes del "
            f"cierre de {anio}: la comparación de cada edición con la producción real del año se hace en la "
            f"edición del tercer cuatrimestre de {anio} (datos al {fmt_date(period_end(anio, 3))})."
        )
    summary = track_record_summary(record)
    parts = [
        f"la edición {row.edicion} erró en {fmt_pct(row.error_mediano_pct)} (mediana) y su intervalo "
        f"contuvo el total real en {fmt_pct(row.cobertura_pct, 0)} de los {row.productos} productos"
        for row in summary.itertuples()
    ]
    return (
        f"Con el año {anio} completo, cada proyección se compara con el total real: " + "; ".join(parts) + "."
    )


def no_changes_text(changes: pd.DataFrame | None, anio: int, cuatrimestre: int) -> str:
    """What the chapter says where a table would be empty.

    Without a previous edition the opening paragraph (:func:`changes_markdown`) already says why and
    when the comparison starts; each empty section says so in a few words instead of repeating it.
    """
    if changes is None:
        previous = previous_period(anio, cuatrimestre)
        if previous is None:
            return "No aplica en la primera edición del año."
        return f"Sin datos de la edición {edition_id(*previous)}."
    return "Ningún producto cambió de estado respecto de la edición anterior."
