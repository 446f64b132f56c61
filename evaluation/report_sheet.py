"""The workbook of a report, drawn from its text extract: the .xlsx files the tests and the history check
import.

Not IGSS's workbook: the repository keeps only the text extract of the 2024-C1 report (data/raw/), so
these workbooks are drawn from an extract (the real one or a simulated one) as a planning department
would keep the table the PDF is printed from: the title block in merged cells, the two column header
rows, «PROGRAMA:» rows across the table, subprogram rows with their subtotal, product rows with the
figures as numbers and the % de avance as a percentage cell, and the «Fuente:» footer. The column
header is written where the extract repeats it: it says whether the programs below it count production
or payments («PAGOS PROGRAMADOS»).

The percentage is written the way the analyst chooses (``percent``): «formula»
(``=IF(C12=0,0,D12/C12)`` with the value a spreadsheet saves beside it, as Excel does), «valor» (the
number, formatted as a percentage), «texto» (the text the report prints) or «formula_sin_valor» (the
formula alone, as a program that never computed it saves it).

Which line is which is read with the importer's own rules (:mod:`pei_analysis.ingest.sicoin_lines`),
through the same split into title, header, body and footer as the PDF's (:mod:`evaluation.report_pdf`).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence

import openpyxl
from openpyxl.styles import Alignment, Font

from evaluation.report_pdf import CREATED, _split
from pei_analysis.ingest import sicoin_lines as lines

#: The ways a percentage cell can be written (see the module's docstring).
PERCENT_STYLES = ("formula", "valor", "texto", "formula_sin_valor")
#: The columns: No., PRODUCTOS, programado, ejecutado, %.
COLUMNS = "ABCDE"
_ZIP_DATE = CREATED.timetuple()[:6]


def extract_to_xlsx(text: str, *, percent: str = "formula", other_sheets: Sequence[str] = ()) -> bytes:
    """The workbook of the report whose text extract is *text*; *other_sheets* are sheets added after the
    report's with a note each (a workbook also keeps notes, charts…)."""
    if percent not in PERCENT_STYLES:
        raise ValueError(f"percent: {percent!r} no es uno de {PERCENT_STYLES}")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "POA"
    title, pages, footer = _split(text)
    cached: dict[str, float] = {}
    _title(sheet, title)
    for page in pages:
        _headers(sheet, [row[1:] for row in page if row[0] == lines.HEADER])
        for kind, *cells in page:
            if kind != lines.HEADER:
                _body_row(sheet, kind, cells, percent, cached)
    if footer:
        sheet.append([])
        sheet.append([footer])
    for name in other_sheets:
        book.create_sheet(name).append([f"Notas de {name}"])
    for letter, width in zip(COLUMNS, (6, 90, 16, 16, 14), strict=True):
        sheet.column_dimensions[letter].width = width
    book.properties.created = CREATED.replace(tzinfo=None)
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed(buffer.getvalue(), cached if percent == "formula" else {})


def _title(sheet, title: str) -> None:
    """The title block on three merged rows, as a report's workbook has it."""
    parts = [p.strip() for p in re.split(r"(?=Subgerencia|Departamento|Plan Operativo)", title) if p.strip()]
    for part in parts:
        sheet.append([part])
        row = sheet.max_row
        sheet.merge_cells(f"A{row}:E{row}")
        sheet[f"A{row}"].font = Font(bold=True)
        sheet[f"A{row}"].alignment = Alignment(horizontal="center")
    sheet.append([])


def _headers(sheet, headers: list[list[str]]) -> None:
    """The two header rows: No., PRODUCTOS, programado; the period over the two figure columns, and
    under it their names."""
    first = headers[0] if headers else []
    period = next((c for c in first if lines.period_in(c)), "")
    programado = next((c for c in first if re.search(r"PROGRAMA(CI|D)", c.upper())), "PROGRAMADO")
    second = [c for h in headers[1:] for c in h if re.search(r"REALIZAD|%|PORCENTAJE|PRODUCCI", c.upper())]
    sheet.append(["No.", "PRODUCTOS", programado, period])
    sheet.append(["", "", "", *(second + ["PRODUCCIÓN REALIZADA", "% DE AVANCE"])[:2]])


def _body_row(sheet, kind: str, cells: list[str], percent: str, cached: dict[str, float]) -> None:
    joined = " ".join(cells)
    if kind == lines.PROGRAM:
        sheet.append([joined])
        sheet.merge_cells(f"A{sheet.max_row}:E{sheet.max_row}")
        return
    if kind == lines.SUBTOTAL:
        sub = lines.parse_subtotal(cells, path=None, line=0, programa="")
        sheet.append([sub.codigo, sub.nombre, None, sub.subtotal])
        return
    number, description, *figures = [c for c in cells if c]
    programado, ejecutado = (int(f.replace(",", "")) for f in figures[:2])
    row = sheet.max_row + 1
    sheet.append([int(number), description, programado, ejecutado, _percent(figures[2], row, percent)])
    for letter in "CD":
        sheet[f"{letter}{row}"].number_format = "#,##0"
    if percent != "texto":
        sheet[f"E{row}"].number_format = "0.00%"
    if percent == "formula":
        cached[f"E{row}"] = ejecutado / programado if programado else 0.0


def _percent(reported: str, row: int, percent: str) -> object:
    if percent in ("formula", "formula_sin_valor"):
        return f"=IF(C{row}=0,0,D{row}/C{row})"
    if percent == "valor":
        return float(reported.rstrip("%")) / 100
    return reported if reported.endswith("%") else f"{reported}%"


def _fixed(data: bytes, cached: dict[str, float]) -> bytes:
    """The saved workbook with the value of each formula beside it (*cached*, as a spreadsheet saves it;
    openpyxl writes formulas without one) and fixed dates, so the same extract gives the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml" and cached:
                content = _with_values(content.decode(), cached).encode()
            if info.filename == "docProps/core.xml":
                stamp = CREATED.strftime("%Y-%m-%dT%H:%M:%SZ")
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), content)
            target.writestr(
                zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE), content, zipfile.ZIP_DEFLATED
            )
    return out.getvalue()


def _with_values(xml: str, cached: dict[str, float]) -> str:
    """*xml* with each formula cell in *cached* holding its value (``<v>0.2809…</v>``)."""

    def fill(match: re.Match) -> str:
        value = cached.get(match.group(2))
        return (
            match.group(0)
            if value is None
            else f"{match.group(1)}<f>{match.group(3)}</f><v>{value!r}</v></c>"
        )

    return re.sub(r'(<c r="([A-Z]+\d+)"[^>]*>)<f>([^<]*)</f>(?:<v\s*/>|<v></v>)</c>', fill, xml)
