"""The calendar of the POA: cuatrimestres, their dates and names, and the one rule for a valid period.

Every stage asks the same questions of a period (is it valid, when does it end, what is it called,
which edition came before), so the answers live here once: the importer, the edition dataset, the
book and the archive all agree on them.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from pei_analysis.errors import DataError

MESES = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)
ORDINALES = {1: "primer", 2: "segundo", 3: "tercer"}
CUATRIMESTRES = (1, 2, 3)
#: The years a POA period may have: IGSS's reports in SICOIN start long after 2000.
FIRST_YEAR = 2000
LAST_YEAR = 2100


def check_period(anio, cuatrimestre) -> tuple[int, int]:
    """Refuse an edition's year or cuatrimestre that is not a whole number in range (parameters come from
    outside)."""
    for name, value in (("anio", anio), ("cuatrimestre", cuatrimestre)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            raise DataError(f"se esperaba un número entero; se recibió {value!r}", field=name)
    if not FIRST_YEAR <= int(anio) <= LAST_YEAR:
        raise DataError(
            f"se esperaba un año entre {FIRST_YEAR} y {LAST_YEAR}; se recibió {anio}", field="anio"
        )
    if int(cuatrimestre) not in CUATRIMESTRES:
        raise DataError(
            f"se esperaba un cuatrimestre 1, 2 o 3; se recibió {cuatrimestre}", field="cuatrimestre"
        )
    return int(anio), int(cuatrimestre)


def check_import_period(anio: int, cuatrimestre: int, today: dt.date | None = None) -> None:
    """Refuse a report's cuatrimestre outside 1-3 or a year that has not started yet (``importar``
    options)."""
    today = today or dt.date.today()
    if cuatrimestre not in CUATRIMESTRES:
        raise DataError(
            f"el cuatrimestre debe ser 1, 2 o 3 y se indicó {cuatrimestre}.", field="--cuatrimestre"
        )
    if anio > today.year:
        raise DataError(f"el año {anio} está en el futuro (hoy es {today.isoformat()}).", field="--anio")
    if anio < FIRST_YEAR:
        raise DataError(f"el año {anio} no es plausible para un POA del IGSS.", field="--anio")


def check_annual_year(anio: int, today: dt.date | None = None, path=None) -> None:
    """Refuse a year's total for a year that has not ended: the total of January to December needs
    December."""
    today = today or dt.date.today()
    if anio >= today.year:
        raise DataError(
            f"el total anual de {anio} no puede existir todavía: el año no ha terminado "
            f"(hoy es {today.isoformat()}).",
            path=path,
            field="--anio",
        )
    if anio < FIRST_YEAR:
        raise DataError(f"el año {anio} no es plausible para un POA del IGSS.", path=path, field="--anio")


def share_of_year(cuatrimestre: int) -> float:
    """Percentage of the year elapsed at the end of *cuatrimestre*: 4, 8 or 12 months of 12."""
    return cuatrimestre * 100.0 / 3.0


def period_end(anio: int, cuatrimestre: int) -> dt.date:
    """Last day of the cuatrimestre: 30 April, 31 August or 31 December."""
    month = cuatrimestre * 4
    next_month = dt.date(anio + (month == 12), month % 12 + 1, 1)
    return next_month - dt.timedelta(days=1)


def cuatrimestre_label(anio: int, cuatrimestre: int) -> str:
    """(2024, 1) → 'enero-abril de 2024'."""
    first = MESES[(cuatrimestre - 1) * 4]
    last = MESES[cuatrimestre * 4 - 1]
    return f"{first}-{last} de {anio}"


def months_span(cuatrimestre: int, cumulative: bool = False) -> str:
    """(1) → 'ene-abr', (2) → 'may-ago'; cumulative (2) → 'ene-ago'. What a column heading calls a
    cuatrimestre: «2023 c1» said nothing to a reader who does not know the project's codes."""
    first = MESES[0 if cumulative else (cuatrimestre - 1) * 4][:3]
    return f"{first}-{MESES[cuatrimestre * 4 - 1][:3]}"


def month_end(cuatrimestre: int) -> str:
    """(1) → 'abril': the month a cuatrimestre closes, as «a abril» says how far into the year."""
    return MESES[cuatrimestre * 4 - 1]


def period_title(anio: int, cuatrimestre: int) -> str:
    """(2024, 1) → 'Primer cuatrimestre de 2024 (enero-abril)'."""
    months = cuatrimestre_label(anio, cuatrimestre).split(" de ")[0]
    return f"{ORDINALES[cuatrimestre].capitalize()} cuatrimestre de {anio} ({months})"


def edition_id(anio: int, cuatrimestre: int) -> str:
    """(2024, 1) → '2024-c1', the edition's folder name."""
    return f"{anio}-c{cuatrimestre}"


def previous_period(anio: int, cuatrimestre: int) -> tuple[int, int] | None:
    """The previous edition projecting the same year, or None for a year's first edition."""
    return (anio, cuatrimestre - 1) if cuatrimestre > 1 else None


def next_period(anio: int, cuatrimestre: int) -> tuple[int, int]:
    """The period of the next edition: the next cuatrimestre, or the first of the next year after the
    third."""
    return (anio, cuatrimestre + 1) if cuatrimestre < 3 else (anio + 1, 1)
