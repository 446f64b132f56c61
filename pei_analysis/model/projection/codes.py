"""Column names and the codes the engine writes in its result (the words for readers are in the chapters).

The engine says *what it did* with short, stable codes and flags, not with
Spanish sentences: a program (the backtest report, the edition's tables)
can then group and filter on them without parsing prose, and the wording can
change in one place, :mod:`pei_analysis.chapters.methods`, without touching
the engine. The package docstring lists what each code means.
"""

from __future__ import annotations

INPUT_COLUMNS = ("serie", "anio", "cuatrimestre", "valor")
#: The result, one row per serie; ``metodo``, ``ponderado``, ``con_suavizado`` and ``intervalo`` hold codes.
OUTPUT_COLUMNS = (
    "serie",
    "anio",
    "proyeccion",
    "limite_inferior",
    "limite_superior",
    "metodo",
    "ponderado",
    "con_suavizado",
    "intervalo",
)
#: The columns that say how a serie was projected.
METHOD_COLUMNS = ("metodo", "ponderado", "con_suavizado", "intervalo")

# Methods (the ``metodo`` column). With history, the variants of the within-year profile and the smoothing:
PERFIL = "perfil"
PERFIL_MEDIO = "perfil_medio"
PERFIL_TENDENCIA = "perfil_tendencia"
PERFIL_NIVEL = "perfil_nivel"
PERFIL_RECIENTE = "perfil_reciente"
PERFIL_IMPULSO = "perfil_impulso"
SUAVIZADO = "suavizado"
COMBINACION = "combinacion"
#: Where no profile can be used (nothing observed, or a zero share): observed plus the usual rest of the year.
REMANENTE = "remanente"
#: A serie without history: the pace so far.
RITMO = "ritmo"
#: A serie without history and nothing observed this year: no base to project from. The numbers stay
#: those of the rule (the observed 0, from 0 to no limit) so a program that reads only them gets a value;
#: the edition publishes none (:func:`pei_analysis.model.edition.projection_table`).
SIN_BASE = "sin_base"
#: The year is already complete: the observed total.
ANIO_COMPLETO = "anio_completo"

METHODS = (
    PERFIL,
    PERFIL_MEDIO,
    PERFIL_TENDENCIA,
    PERFIL_NIVEL,
    PERFIL_RECIENTE,
    PERFIL_IMPULSO,
    SUAVIZADO,
    COMBINACION,
    REMANENTE,
    RITMO,
    SIN_BASE,
    ANIO_COMPLETO,
)

# What the interval rests on (the ``intervalo`` column).
#: The backtest errors of the call's own data (the serie's, shrunk towards the other series').
INTERVALO_PROPIO = "propio"
#: The pooled within-year shares of the other series of the call that have history.
INTERVALO_OTRAS_SERIES = "otras_series"
#: The reference series (:class:`~pei_analysis.model.projection.reference.Reference`), not the call's data.
INTERVALO_REFERENCIA = "referencia"
#: No interval from the data: the year is complete (both limits are the observed total), or nothing bases
#: one (``SIN_BASE``: from what was observed to no limit).
INTERVALO_NINGUNO = "ninguno"

INTERVALS = (INTERVALO_PROPIO, INTERVALO_OTRAS_SERIES, INTERVALO_REFERENCIA, INTERVALO_NINGUNO)
