"""Proyección al cierre del año de la producción de cada serie, con intervalo de predicción.

Contract (an external benchmark calls exactly this)::

    out = project_year_end(history, level=0.8)

``history`` has ``serie``, ``anio``, ``cuatrimestre`` (1-3) and ``valor`` (≥ 0).
For each serie its latest ``anio`` is the year to project, with 1 or 2
cuatrimestres observed; earlier years are complete. An earlier year may
instead come as one row with ``cuatrimestre`` 0: the year's total, its split
unknown (IGSS sometimes keeps only the annual report). Such a year gives the
yearly level (totals, growth, the smoothing's level) but not the within-year
profile: it is split by the serie's own years by cuatrimestre, or by the call's
typical shares (or the reference's) when it has none, and is never a year of
the in-call backtest. A year has either its total or its cuatrimestres; the
year to project never comes as a total. Without such rows nothing changes. The result has one row per
serie: ``serie``, ``anio``, ``proyeccion`` (the year total), ``limite_inferior``,
``limite_superior`` (a central ``level`` prediction interval) and four columns
of codes that say how it was obtained (the engine writes codes, not prose, so
programs can group on them and the wording lives in one place,
:mod:`pei_analysis.chapters.methods`, which turns them into the Spanish names
readers see):

- ``metodo``: ``perfil`` (share of the year reached by now in past years, recent
  years weighing more), ``perfil_medio`` (all years alike), ``perfil_tendencia``
  (corrected for trend), ``perfil_nivel`` (combined with the yearly level),
  ``perfil_reciente`` and ``perfil_impulso`` (after two cuatrimestres: from the
  last one, without or with its momentum), ``suavizado`` (Holt-Winters),
  ``combinacion`` (mean of the variants), ``remanente`` (observed plus what the
  rest of the year brought before, where no profile applies), ``ritmo`` (no
  history: what was observed over the share of the year the other series, or
  the reference, typically reached by now), ``sin_base`` (no history and nothing
  observed this year: nothing to scale, so the numbers, 0 from 0 to no limit, say
  nothing of the year) or ``anio_completo`` (nothing to project). For a
  serie whose variants were weighed, the one that weighed most.
- ``ponderado`` (bool): the variants were weighed by the in-call backtest
  (``metodo`` names the heaviest); False where the call had too few past years
  and the plain profile was used.
- ``con_suavizado`` (bool): the Holt-Winters forecast took its fixed share of
  the result (False where the serie has too few years for it).
- ``intervalo``: what the interval rests on: ``propio`` (the call's backtest
  errors), ``otras_series`` (a serie without history: what the same rule missed
  by in the past years of the call's series with history, or their
  within-year shares when those years are too few), ``referencia`` (the reference series,
  :class:`Reference`) or ``ninguno`` (complete year, or ``sin_base``).

With ``counts=True`` (the values count events, as every POA product does) each
interval also holds the Poisson chance of what remains of the year
(:mod:`.counting`): the backtest errors (and those replayed for a serie
without history) are standardised by it along with their scale, so the
series with a few events a year get the width their counts need and the
large ones no longer pay for them; an interval that rests on shares or on
the reference gets it added in quadrature.
The points do not move. Off by default: the contract above, and the external
benchmark, call the engine without it.

Layout, one module per stage: :mod:`.inputs` (validation, arrays),
:mod:`.smoothing` (Holt-Winters for all series at once), :mod:`.profiles`
(within-year profile features and candidate variants), :mod:`.weighting`
(in-call backtest, variant weights, procedure errors), :mod:`.intervals`
(empirical and parametric intervals), :mod:`.counting` (the chance in a
count, with ``counts=True``), :mod:`.shocks` (quantiles widened for the
shocks a year shares), :mod:`.cold_start` (a serie without history),
:mod:`.reference` (the assumed profile,
data in :mod:`.reference_data`), :mod:`.engine` (the call), :mod:`.codes`.

Why it is built this way (the technical appendix, ``book/anexo_tecnico.md``,
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
- A serie with no history is projected from the within-year shares of the
  other series of the call that have history, or, when there are none, of a
  reference set of real public monthly series (an explicit, replaceable
  assumption; ``intervalo`` says which): the point at the median of their
  total / observed part (the pace so far, ×3 or ×1.5, was not centred in
  that spread, and missed more), the interval re-centred on it: the errors
  that rule made on the other series' past years when they are enough (a
  year's shares move together, which the spread alone misses), else the
  spread's central quantiles (:func:`.cold_start.without_history_interval`).
- With 2-3 past years the interval neither counts twice what sets series
  apart nor takes every error as a shock common to the year (with one year of
  errors the call cannot tell, and the typical share is assumed; with two it
  is estimated), its errors span at least two past years (with three,
  the errors projected from one year count too: the last year alone left the
  held-out series' coverage after two cuatrimestres at 67 %, now 83.5 %), and
  no upper limit exceeds 5 times its projection (a serie whose level
  collapsed would otherwise reach hundreds of times it).
- Everything is vectorised over series (numpy); no per-serie Python loop, so
  100,000 series project in one call.
"""

from pei_analysis.model.projection.codes import (
    ANIO_COMPLETO,
    COMBINACION,
    INPUT_COLUMNS,
    INTERVALO_NINGUNO,
    INTERVALO_OTRAS_SERIES,
    INTERVALO_PROPIO,
    INTERVALO_REFERENCIA,
    INTERVALS,
    METHOD_COLUMNS,
    METHODS,
    OUTPUT_COLUMNS,
    PERFIL,
    PERFIL_IMPULSO,
    PERFIL_MEDIO,
    PERFIL_NIVEL,
    PERFIL_RECIENTE,
    PERFIL_TENDENCIA,
    REMANENTE,
    RITMO,
    SIN_BASE,
    SUAVIZADO,
)
from pei_analysis.model.projection.cold_start import MIN_POOLED_SERIES
from pei_analysis.model.projection.engine import MAX_HISTORY, project_year_end
from pei_analysis.model.projection.reference import DEFAULT_REFERENCE, Reference

__all__ = [
    "ANIO_COMPLETO",
    "COMBINACION",
    "DEFAULT_REFERENCE",
    "INPUT_COLUMNS",
    "INTERVALO_NINGUNO",
    "INTERVALO_OTRAS_SERIES",
    "INTERVALO_PROPIO",
    "INTERVALO_REFERENCIA",
    "INTERVALS",
    "MAX_HISTORY",
    "METHODS",
    "METHOD_COLUMNS",
    "MIN_POOLED_SERIES",
    "OUTPUT_COLUMNS",
    "PERFIL",
    "PERFIL_IMPULSO",
    "PERFIL_MEDIO",
    "PERFIL_NIVEL",
    "PERFIL_RECIENTE",
    "PERFIL_TENDENCIA",
    "REMANENTE",
    "RITMO",
    "SIN_BASE",
    "SUAVIZADO",
    "Reference",
    "project_year_end",
]
