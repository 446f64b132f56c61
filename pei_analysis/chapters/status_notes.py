"""La nota de cada semáforo: por qué un producto quedó en su estado, en una frase.

Why here and not in :mod:`pei_analysis.model.attainment`: the model scores (``estado``,
``estado_incierto`` and the percentages); how the book explains a score to a reader is a chapter's
choice of words, and it changes for other reasons (wording, the book's number convention) than the
scoring rule does. The projection chapter's tables and the ``proyeccion_y_semaforo`` download both
read the note from here, so they always say the same.
"""

from __future__ import annotations

import math

import pandas as pd

from pei_analysis.format import UNBOUNDED_TEXT, fmt_pct
from pei_analysis.model import attainment
from pei_analysis.model.projection import SIN_BASE

#: Where the note goes among the download's columns: right after the flag it explains.
NOTE_AFTER = "estado_incierto"


def with_status_notes(table: pd.DataFrame, thresholds: attainment.Thresholds) -> pd.DataFrame:
    """*table* (scored by :func:`~pei_analysis.model.attainment.classify`) with a ``nota`` column after
    ``estado_incierto``: the semáforo's reason in words, for the chapter's tables and the download."""
    notes = [status_note(row, thresholds) for row in table.to_dict("records")]
    out = table.copy()
    out.insert(out.columns.get_loc(NOTE_AFTER) + 1, "nota", pd.Series(notes, index=table.index, dtype=object))
    return out


def _pct(value: float) -> str:
    """A percentage of programado to one decimal, as the tables print it: «88.4%», or «sin límite».

    Whole points made notes contradict themselves at a threshold: 120.3% read «Proyección de 120% …, sobre
    el 120%», and an interval from 89.6% «(90% a 93%) cruza un umbral»."""
    return UNBOUNDED_TEXT if math.isinf(value) else fmt_pct(value, 1)


def threshold_number(value: float) -> str:
    """A threshold as the analyst set it («90», «92.5», «1,200»): rounding it would misstate the rule. The
    notes and the chapter's table of rules both write thresholds with it, so they never disagree."""
    return f"{value:,g}"


def threshold_pct(value: float) -> str:
    return f"{threshold_number(value)}%"


def status_note(row, thresholds: attainment.Thresholds) -> str:
    """The note of one scored row (a mapping with ``estado``, ``estado_incierto``, ``programado`` and the
    three ``pct_*`` columns)."""
    estado, t = row["estado"], thresholds
    if estado == attainment.SIN_DATOS:
        return "Sin datos: falta lo programado, lo ejecutado o la proyección; no se califica."
    if estado == attainment.META_PEQUENA:
        return (
            f"Meta pequeña (programado {row['programado']:g}, menos de {threshold_number(t.small_target)}): "
            "un solo caso "
            "mueve el porcentaje decenas de puntos, así que no se califica como porcentaje."
        ) + _unprojected(row)
    if estado == attainment.SIN_EJECUCION:
        return (
            "Sin ejecución registrada en lo que va del año; no se califica como porcentaje."
            + _unprojected(row)
        )
    text = _scored_note(estado, _pct(row["pct_proyectado"]), t)
    if row["estado_incierto"]:
        lo, hi = row["pct_inferior"], row["pct_superior"]
        if pd.isna(lo) or pd.isna(hi):
            text += " Estado incierto: la proyección no tiene intervalo."
        else:
            text += f" Estado incierto: el intervalo ({_pct(lo)} a {_pct(hi)}) cruza un umbral."
    return text


def _unprojected(row) -> str:
    """What a note adds for a product the engine had no base to project (``sin_base``), or nothing."""
    if row.get("metodo") != SIN_BASE:
        return ""
    return " No se proyecta: sin nada ejecutado ni años anteriores, no hay base para proyectar."


def _scored_note(estado: str, pct: str, t: attainment.Thresholds) -> str:
    head = f"Proyección de {pct} de lo programado"
    return {
        attainment.SOBRE_EJECUCION: f"{head}, sobre el {threshold_pct(t.over_execution)}: alerta de "
        "planificación (la meta pudo quedar baja).",
        attainment.SATISFACTORIO: f"{head} (al menos {threshold_pct(t.satisfactory)}).",
        attainment.EN_RIESGO: f"{head} (entre {threshold_pct(t.at_risk)} y {threshold_pct(t.satisfactory)}).",
        attainment.CRITICO: f"{head} (menos de {threshold_pct(t.at_risk)}).",
    }[estado]
