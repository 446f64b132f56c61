"""Importador del «Reporte Analítico de Ejecución Física» de SICOIN (el PDF, su libro de Excel, o el texto
extraído del PDF).

The report reaches us as the PDF IGSS publishes, read into lines by
:mod:`~pei_analysis.ingest.sicoin_pdf`, as the workbook the PDF is printed from, read into lines by
:mod:`~pei_analysis.ingest.sicoin_sheet`, or as a tab-separated text extract of it with the
extraction's noise left in:
page headers repeated at every page break, subprogram subtotal lines mangled ("02 <i>A</i>",
"04 /", a name cut and glued to its figure), trailing empty cells. The importer reads it
line by line, keeps the source line of every figure, and refuses the whole file at the first
figure that does not add up, because a wrong number published without warning is the worst
outcome for the readers.

Checks performed (each refusal raises :class:`~pei_analysis.errors.DataError`):

- every line is recognised (header, program, subprogram subtotal, product or footer);
- products are numbered 1, 2, 3, ... with no gap and no repetition;
- figures are whole, non-negative numbers;
- each reported percentage equals ejecutado / programado × 100 to the report's rounding;
- each subprogram subtotal equals the sum of the ejecutado of its products;
- the period stated in the report's title agrees with the one the analyst gives.

This module walks the lines and builds the table; what each line is and how its cells are read
lives in :mod:`~pei_analysis.ingest.sicoin_lines`, the rules the figures must obey in
:mod:`~pei_analysis.ingest.sicoin_checks`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pei_analysis.calendar import ORDINALES
from pei_analysis.errors import DataError
from pei_analysis.files import read_text
from pei_analysis.ingest import sicoin_lines as lines
from pei_analysis.ingest.limits import check_file_size, check_text
from pei_analysis.ingest.locations import is_pdf
from pei_analysis.ingest.periods import FOOTER, HEADER, TITLE, Statement
from pei_analysis.ingest.sicoin_checks import (
    PERCENT_TOLERANCE,
    check_percentage,
    check_product_number,
    check_subtotals,
    resolve_period,
)
from pei_analysis.ingest.sicoin_lines import Subprogram
from pei_analysis.ingest.sicoin_pdf import PdfText, read_pdf
from pei_analysis.ingest.sicoin_sheet import holds_report, read_sheet

__all__ = ["COLUMNS", "PERCENT_TOLERANCE", "parse", "statements"]

#: Columns of the tidy table, in order.
COLUMNS = [
    "anio",
    "cuatrimestre",
    "programa",
    "programa_nombre",
    "subprograma",
    "subprograma_nombre",
    "producto",
    "descripcion",
    "sigla",
    "unidad",
    "programado",
    "ejecutado",
    "porcentaje_reportado",
    "archivo_origen",
    "linea_origen",
]


def parse(
    path: str | Path, anio: int | None = None, cuatrimestre: int | None = None, *, annual: bool = False
) -> pd.DataFrame:
    """Parse a SICOIN physical-execution extract into the tidy table (one row per product).

    ``anio`` and ``cuatrimestre`` default to the period stated in the report's title; when given,
    they must agree with it. With ``annual`` the file is the year's total (an annual report, or a
    third cuatrimestre cumulative from January): the table has no ``cuatrimestre`` column and only
    the year is checked. Raises :class:`DataError` (nothing is written anywhere) at the first check
    that fails.
    """
    path = Path(path)
    text, pdf = _source(path)
    try:
        table = _parse_lines(path, text, anio, cuatrimestre, annual=annual, pdf=pdf)
    except DataError as exc:
        if pdf is not None:
            raise exc.on_page(pdf.page_of(exc.line)) from None
        if holds_report(path):
            raise exc.on_row(read_sheet(path).sheet) from None
        raise
    if pdf is not None:
        table["linea_origen"] = [pdf.page_of(n) for n in table["linea_origen"]]
    return table


#: What a report built for testing says in its title and its «Fuente:» line: «DATOS SIMULADOS, NO SON CIFRAS
#: DEL IGSS» (evaluation/simulated_reports.py), «SIMULADO: DATOS DE PRUEBA» (the tests'). Not «simulacro».
SIMULATED_MARK = re.compile(r"\bSIMULAD[OA]S?\b")


def refuse_if_simulated(path: str | Path, why: str) -> None:
    """Refuse a report that says its figures are simulated, naming where it says so, with *why*.

    The simulated reports the README offers for trying the history are complete, valid reports: the
    importer would take them like IGSS's, and the book would publish their figures as IGSS's.
    """
    path = Path(path)
    text, pdf = _source(path)
    for number, line in enumerate(text, start=1):
        if SIMULATED_MARK.search(lines.plain(line)):
            exc = DataError(why, path=path, line=number, field="reporte")
            if pdf is not None:
                raise exc.on_page(pdf.page_of(number))
            if holds_report(path):
                raise exc.on_row(read_sheet(path).sheet)
            raise exc


def check_is_report(path: str | Path) -> None:
    """Refuse a file that is not a report at all (empty, or notes saved as .txt) for what it is, before its
    «period» is looked for: «no se encuentra el período… indique --anio» sent the analyst the wrong way."""
    path = Path(path)
    text, _ = _source(path)
    if not any(line.strip() for line in text):
        raise DataError("el archivo está vacío.", path=path)
    if not any("PRODUCTOS" in lines.plain(line) for line in text):
        raise DataError(
            "no parece el «Reporte Analítico de Ejecución Física» de SICOIN: no tiene el encabezado de "
            "columnas («PRODUCTOS», «PRODUCCIÓN REALIZADA»…) en ninguna línea.",
            path=path,
        )


def _source(path: Path) -> tuple[list[str], PdfText | None]:
    """The report's lines: the text extract's, those read from the PDF (with the page of each), or the
    rows of its workbook (line *n* is row *n*)."""
    if is_pdf(path):
        pdf = read_pdf(path)
        return pdf.lines, pdf
    if holds_report(path):
        return read_sheet(path).lines, None
    check_file_size(path)
    return read_text(path).split("\n"), None


def _parse_lines(
    path: Path,
    text: list[str],
    anio: int | None,
    cuatrimestre: int | None,
    *,
    annual: bool,
    pdf: PdfText | None,
) -> pd.DataFrame:
    """The tidy table of the report's *text* lines (see :func:`parse`)."""
    report = _read_report(path, text, pdf)
    if not report.vistos:
        raise DataError(
            "el archivo no contiene ningún producto: ¿es un reporte de ejecución física de SICOIN?", path=path
        )
    check_subtotals(report.subprogramas, path=path)
    if annual:
        if report.periodo is not None and anio is not None and report.periodo[0] != int(anio):
            raise DataError(
                f"el reporte es del año {report.periodo[0]} y se indicó --anio {anio}.",
                path=path,
                field="anio",
            )
        return _build_table(report, int(anio), None, path=path)
    anio, cuatrimestre = resolve_period(report.periodo, anio, cuatrimestre, path=path)
    return _build_table(report, anio, cuatrimestre, path=path)


def statements(path: str | Path) -> list[Statement]:
    """What the extract says of its period, line by line: its title, the column header, its footer.

    Read on its own, before the extract is parsed, so that a folder of reports can be put in order
    of period (and each file's period said) before any of them is checked.
    """
    path = Path(path)
    text, pdf = _source(path)
    found = []
    for number, line in enumerate(text, start=1):
        joined = " ".join(lines.split_cells(line))
        if joined:
            found.extend(_statements_of(joined, pdf.page_of(number) if pdf else number))
    return found


def _statements_of(joined: str, number: int) -> list[Statement]:
    found = []
    period = lines.period_in(joined)
    if title := lines.title_in(joined):
        anio, anual = title
        same_year = period is not None and period[0] == anio
        text = joined[joined.find("(POA)") :][:80] if "(POA)" in joined else joined[:80]
        found.append(
            Statement(
                TITLE,
                number,
                anio=anio,
                cuatrimestre=period[1] if same_year else None,
                anual=anual,
                text=text,
            )
        )
        period = None if same_year else period
    if period is not None:
        anio, cuatrimestre = period
        text = f"{ORDINALES[cuatrimestre]} cuatrimestre {anio}"
        found.append(Statement(HEADER, number, anio=anio, cuatrimestre=cuatrimestre, text=text))
    if span := lines.span_in(joined):
        first, last, anio = span
        cuatrimestre, cifras = lines.SPANS.get((first, last), (None, None))
        text = f"de {first.lower()} a {last.lower()}" + (f" {anio}" if anio else "")
        found.append(
            Statement(
                FOOTER,
                number,
                anio=anio,
                cuatrimestre=cuatrimestre,
                cifras=cifras,
                whole_year=(first, last) == ("ENERO", "DICIEMBRE"),
                text=text,
            )
        )
    return found


@dataclass
class _Report:
    """What has been read so far, line by line: the period, the programs and their subprograms.

    The extract has no nesting, only order: a «PROGRAMA:» line opens a program, a subtotal line
    opens one of its subprograms and the product lines that follow belong to it. Page headers
    interrupt but do not close anything, since SICOIN repeats them (and the «PROGRAMA:» line) at
    every page break.
    """

    path: Path
    #: The PDF the lines were read from, which says the page of each; None for a text extract.
    pdf: PdfText | None = None
    periodo: tuple[int, int] | None = None
    #: Unit announced by the last column header, given to the next program that opens.
    unidad_pendiente: str = "producción"
    programa: str | None = None
    programa_nombre: dict[str, str] = field(default_factory=dict)
    unidad_programa: dict[str, str] = field(default_factory=dict)
    subprogramas: list[Subprogram] = field(default_factory=list)
    actual: Subprogram | None = None
    #: Line of each product read, by product number.
    vistos: dict[int, int] = field(default_factory=dict)

    def enter_program(self, joined: str, *, line: int) -> None:
        """A «PROGRAMA:» line: the same program again after a page break changes nothing; a new
        one opens, with the unit of the column header above it. An earlier program coming back
        after another is refused: the report lists each program's products together, so lines
        are out of order."""
        codigo, nombre = lines.program_in(joined)
        check_text(nombre, path=self.path, line=line, field="programa")
        if codigo == self.programa:
            return
        if codigo in self.programa_nombre:
            raise DataError(
                f"el programa {codigo} aparece de nuevo después de otro programa.",
                path=self.path,
                line=line,
                field="programa",
            )
        self.programa_nombre[codigo] = nombre
        self.unidad_programa[codigo] = self.unidad_pendiente
        self.programa = codigo
        self.actual = None

    def add_subprogram(self, cells: list[str], *, line: int) -> None:
        """A subtotal line opens a subprogram of the current program; it must have a program and
        appear once (a repeat would have its products counted under two subtotals)."""
        if self.programa is None:
            raise DataError(
                "aparece un subtotal de subprograma antes de cualquier «PROGRAMA:».",
                path=self.path,
                line=line,
                field="subprograma",
            )
        nuevo = lines.parse_subtotal(cells, path=self.path, line=line, programa=self.programa)
        if any(s.programa == self.programa and s.codigo == nuevo.codigo for s in self.subprogramas):
            raise DataError(
                f"el subprograma {nuevo.codigo} del programa {self.programa} aparece dos veces.",
                path=self.path,
                line=line,
                field="subprograma",
            )
        self.subprogramas.append(nuevo)
        self.actual = nuevo

    def add_product(self, cells: list[str], *, line: int) -> None:
        """A product line: read and checked on its own, then it must fall under a subprogram and
        continue the numbering."""
        fila = lines.parse_product([c for c in cells if c], path=self.path, line=line)
        check_percentage(fila, path=self.path, line=line)
        if self.actual is None:
            raise DataError(
                f"el producto {fila['producto']} aparece antes de su programa o subprograma.",
                path=self.path,
                line=line,
                field="producto",
            )
        check_product_number(fila["producto"], self.vistos, path=self.path, line=line)
        self.vistos[fila["producto"]] = self.pdf.page_of(line) if self.pdf else line
        self.actual.productos.append(fila)


def _read_report(path: Path, text: list[str] | None = None, pdf: PdfText | None = None) -> _Report:
    """Read the report line by line (its *text* lines, read from *path* when not given), refusing the
    first line that is none of the known kinds.

    Blank lines and the «Fuente:» footer are skipped; the period is taken from the first line that
    states it (the title, repeated on every page), whatever kind of line it is.
    """
    if text is None:
        text, pdf = _source(path)
    report = _Report(path=path, pdf=pdf)
    for numero_linea, line in enumerate(text, start=1):
        cells = lines.split_cells(line)
        if not cells:
            continue
        joined = " ".join(cells)
        if report.periodo is None:
            report.periodo = lines.period_in(joined)
        kind = lines.line_kind(cells, joined)
        if kind == lines.PROGRAM:
            report.enter_program(joined, line=numero_linea)
        elif kind == lines.HEADER:
            report.unidad_pendiente = lines.header_unit(joined, report.unidad_pendiente)
        elif kind == lines.PRODUCT:
            report.add_product(cells, line=numero_linea)
        elif kind == lines.SUBTOTAL:
            report.add_subprogram(cells, line=numero_linea)
        elif kind is None:
            raise DataError(
                f"no se reconoce la línea «{joined[:80]}»: no es encabezado, programa, subtotal ni producto.",
                path=path,
                line=numero_linea,
            )
    return report


def _build_table(report: _Report, anio: int, cuatrimestre: int | None, *, path: Path) -> pd.DataFrame:
    """One row per product with its program, subprogram, unit and source line, ordered by product.

    The numbering check already makes reading order the product order; the stable sort by product
    states that order in the table itself.
    """
    rows = []
    for sub in report.subprogramas:
        for p in sub.productos:
            rows.append(
                {
                    "anio": anio,
                    "cuatrimestre": cuatrimestre,
                    "programa": sub.programa,
                    "programa_nombre": report.programa_nombre[sub.programa],
                    "subprograma": sub.codigo,
                    "subprograma_nombre": sub.nombre,
                    "unidad": report.unidad_programa[sub.programa],
                    "archivo_origen": path.name,
                    **p,
                }
            )
    table = pd.DataFrame(rows)[COLUMNS]
    if cuatrimestre is None:  # the year's total: no cuatrimestre
        table = table.drop(columns="cuatrimestre")
    return table.sort_values("producto", kind="stable").reset_index(drop=True)
