"""Which period a report covers, read from the report itself when the analyst does not say it.

A folder of past reports is imported in one call, so typing ``--anio`` and ``--cuatrimestre`` for
each file is no longer possible: the period is read from what the file states. A SICOIN extract
states it in its title («Plan Operativo Anual (POA) 2024 Primer Cuatrimeste», with the real typo),
in the column header repeated on every page («PRIMER CUATRIMESTRE 2024») and in its footer
(«(de enero a abril 2024)»; a cumulative report says «de enero a agosto»). The capture template
states it in its «año» and «cuatrimestre» columns; the annual template has no «cuatrimestre» and
its figure column is «ejecutado en el año».

Every statement must agree: a title that says one cuatrimestre and a footer that says another is
refused, naming the line, rather than importing the figures under a guessed period. A report that
states no cuatrimestre but spans January to December is the year's total (an annual report).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pei_analysis.errors import DataError
from pei_analysis.format import join_es
from pei_analysis.ingest.locations import location, location_words

#: Where a statement was read, as the line printed for each file says it.
TITLE, HEADER, FOOTER, TEMPLATE = "título", "encabezado", "pie", "plantilla"


@dataclass(frozen=True)
class Statement:
    """What one line (or row) of a file says about its period; None where it says nothing."""

    where: str
    line: int
    anio: int | None = None
    cuatrimestre: int | None = None
    #: The line says the file holds the year's total (an annual title, an annual template).
    anual: bool = False
    #: How the figures count, as a footer span tells it: «periodo», «acumulado», or None.
    cifras: str | None = None
    #: The footer spans January to December.
    whole_year: bool = False
    text: str = ""


@dataclass(frozen=True)
class ReportPeriod:
    """The period a file covers: a cuatrimestre, or the whole year (``cuatrimestre`` None)."""

    anio: int
    cuatrimestre: int | None
    #: How it was known, in Spanish: «leído del título», «indicado con --anio y --cuatrimestre»…
    origen: str
    #: How the figures count according to the file (its footer), when it says.
    cifras: str | None = None

    @property
    def anual(self) -> bool:
        return self.cuatrimestre is None

    @property
    def sort_key(self) -> tuple[int, int]:
        """Year, then cuatrimestre; an annual total after the cuatrimestres of its year."""
        return self.anio, 4 if self.cuatrimestre is None else self.cuatrimestre

    def label(self) -> str:
        """«2021, cuatrimestre 2» or «2021, total anual»."""
        return f"{self.anio}, total anual" if self.anual else f"{self.anio}, cuatrimestre {self.cuatrimestre}"


def decide(
    source: Path,
    statements: list[Statement],
    *,
    anio: int | None = None,
    cuatrimestre: int | None = None,
    anual: bool = False,
    cifras: str | None = None,
) -> ReportPeriod:
    """The file's period: the analyst's when given in full, otherwise the one the file states.

    Given ``--anio`` and ``--cuatrimestre`` (or ``--anio`` and ``--anual``), the readers check the
    title against them as before. Otherwise every statement must agree, and what the analyst gave
    in part must agree with it.
    """
    footer = next((s for s in statements if s.where == FOOTER), None)
    implied = footer.cifras if footer else None
    if anio is not None and (cuatrimestre is not None or anual):
        if anual:
            _check_annual_statements(source, statements, cifras)
        elif footer is not None and footer.cuatrimestre not in (None, cuatrimestre):
            implied = None  # a footer of another cuatrimestre says nothing of how these figures count
        given = "indicado con --anio y --anual" if anual else "indicado con --anio y --cuatrimestre"
        return ReportPeriod(int(anio), None if anual else int(cuatrimestre), given, implied)
    read = _read(source, statements, anual=anual, cifras=cifras)
    for name, value, stated in (
        ("--anio", anio, read.anio),
        ("--cuatrimestre", cuatrimestre, read.cuatrimestre),
    ):
        if value is not None and value != stated:
            raise DataError(
                f"el archivo dice {read.label()} ({read.origen}) y se indicó {name} {value}.",
                path=source,
                field=name,
            )
    return read


def _read(source: Path, statements: list[Statement], *, anual: bool, cifras: str | None) -> ReportPeriod:
    """The period every statement agrees on; refused naming the line of the first disagreement."""
    stated = [
        s for s in statements if s.anio is not None or s.cuatrimestre is not None or s.anual or s.whole_year
    ]
    if not stated:
        raise DataError(
            "no se encuentra el período ni en el título ni en el pie del reporte (p. ej. "
            "«Primer Cuatrimestre 2024» o «de enero a abril 2024»): indique --anio y "
            "--cuatrimestre (o --anio y --anual).",
            path=source,
            line=1,
            field="periodo",
        )
    years = _agreed(source, stated, "anio", "el año")
    cuatrimestres = [s for s in stated if s.cuatrimestre is not None and not (anual and s.whole_year)]
    named = _agreed(source, cuatrimestres, "cuatrimestre", "el cuatrimestre")
    annual_titles = [s for s in stated if s.anual]
    whole_year = next((s for s in stated if s.whole_year), None)
    titled = [s for s in cuatrimestres if s.where != FOOTER]
    if years is None:
        raise DataError(
            "el reporte no dice de qué año es: indique --anio (y --cuatrimestre o --anual).",
            path=source,
            field="anio",
            **location(source, stated[0].line),
        )
    if anual or annual_titles or (whole_year and not titled):
        if annual_titles and titled:
            raise _disagree(source, annual_titles[0], titled[0], "el período")
        _check_annual_statements(source, stated, cifras)
        return ReportPeriod(years, None, _origin(stated, anual), None)
    if named is None:
        raise DataError(
            f"el reporte es de {years} pero no dice de qué cuatrimestre: indique --cuatrimestre (o --anual "
            "si es el total del año).",
            path=source,
            field="cuatrimestre",
            **location(source, stated[0].line),
        )
    footer = next((s for s in stated if s.where == FOOTER), None)
    return ReportPeriod(years, named, _origin(stated, False), footer.cifras if footer else None)


def _agreed(source: Path, statements: list[Statement], attribute: str, what: str) -> int | None:
    """The one value of *attribute* that the statements give, or None; two different values are refused."""
    given = [s for s in statements if getattr(s, attribute) is not None]
    for other in given[1:]:
        if getattr(other, attribute) != getattr(given[0], attribute):
            raise _disagree(source, given[0], other, what)
    return getattr(given[0], attribute) if given else None


def _the(where: str) -> str:
    """«el título», «el pie», «la plantilla»."""
    return f"la {where}" if where == TEMPLATE else f"el {where}"


def _disagree(source: Path, first: Statement, second: Statement, what: str) -> DataError:
    where = location_words(source, first.line)
    return DataError(
        f"{what} no coincide: {_the(first.where)} ({where}) dice «{first.text}» y "
        f"{_the(second.where)} dice «{second.text}». Revise el archivo o indique --anio y --cuatrimestre.",
        path=source,
        field="periodo",
        **location(source, second.line),
    )


def _check_annual_statements(source: Path, statements: list[Statement], cifras: str | None) -> None:
    """An annual report may name no cuatrimestre, or the third only if its figures run from January.

    The third cuatrimestre's report with figures cumulative from January (its footer «de enero a
    diciembre», or ``--cifras acumulado``) is the year's total; any other cuatrimestre is not.
    """
    for s in statements:
        if s.cuatrimestre is None or s.whole_year:
            continue
        cumulative = cifras == "acumulado" or any(t.whole_year for t in statements)
        if s.cuatrimestre != 3 or not cumulative:
            raise DataError(
                f"se pidió el total anual, pero {_the(s.where)} dice «{s.text}», que no es el "
                "total de enero a diciembre. Un tercer cuatrimestre con cifras acumuladas sí "
                "lo es (--cifras acumulado).",
                path=source,
                field="--anual",
                **location(source, s.line),
            )


def _origin(statements: list[Statement], flagged: bool) -> str:
    """«leído del título y del pie»: where the period was read; the page header only if there is no title."""
    places = []
    for s in statements:
        if s.where not in places:
            places.append(s.where)
    if TITLE in places and HEADER in places:
        places.remove(HEADER)
    if places == [TEMPLATE]:
        text = "leído de la plantilla"
    else:
        named = [f"del {place}" for place in places]
        text = "leído " + join_es(named)
    return f"{text}, con --anual" if flagged else text
