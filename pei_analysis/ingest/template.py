"""Plantilla de captura: CSV o XLSX con una fila por producto, para cuando solo se tiene una hoja o un PDF
escaneado.

The template is pre-filled from the latest period (products, descriptions, programado) so the
analyst only types ``ejecutado``. Spreadsheets arrive saved by Excel in Windows-1252 or with
semicolons, with thousands separators and empty extra columns; all of that is accepted, and
anything else is refused with the row (fila) and column that failed.

Both files are written with their text cells neutralised (:mod:`pei_analysis.spreadsheet`: a
description beginning with «=» gets a leading quote), and read back with the quote removed, so a
template written by the project re-imports unchanged; a formula in any cell is refused, since
what the analyst saw is then not what the file holds. Sizes and rows are bounded
(:mod:`pei_analysis.ingest.limits`) before anything is parsed.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd

from pei_analysis.errors import DataError
from pei_analysis.ingest.limits import (
    check_text,
    figure,
)
from pei_analysis.ingest.periods import TEMPLATE, Statement
from pei_analysis.ingest.sheet_cells import check_cells, read_rows
from pei_analysis.ingest.sicoin import COLUMNS, PERCENT_TOLERANCE
from pei_analysis.spreadsheet import fix_xlsx_dates, safe_frame

#: Template headers (what the analyst sees) → tidy column names.
HEADERS = {
    "año": "anio",
    "cuatrimestre": "cuatrimestre",
    "programa": "programa",
    "nombre del programa": "programa_nombre",
    "subprograma": "subprograma",
    "nombre del subprograma": "subprograma_nombre",
    "producto": "producto",
    "descripción": "descripcion",
    "sigla": "sigla",
    "unidad": "unidad",
    "programado anual vigente": "programado",
    "ejecutado": "ejecutado",
    "ejecutado en el año": "ejecutado",
    "% de avance": "porcentaje_reportado",
}
#: The figure column of the annual template (the year's total); that template has no «cuatrimestre».
ANNUAL_FIGURE = "ejecutado en el año"
REQUIRED = [h for h in HEADERS if h not in ("% de avance", ANNUAL_FIGURE)]
ANNUAL_REQUIRED = [h for h in HEADERS if h not in ("% de avance", "cuatrimestre", "ejecutado")]
#: What an empty required cell asks for, where the cell alone does not say it.
CELL_HINTS = {
    "ejecutado": " (escriba 0 si no hubo producción)",
    "programado anual vigente": " (escriba la programación anual vigente de ese año, la de su POA)",
}
#: Cells a row cannot leave empty (a product with no production has 0, not an empty cell).
REQUIRED_CELLS = (
    "programa",
    "subprograma",
    "producto",
    "descripción",
    "unidad",
    "programado anual vigente",
    "ejecutado",
)


def _normalise(header: str) -> str:
    text = unicodedata.normalize("NFKD", str(header)).encode("ascii", "ignore").decode()
    return re.sub(r"\s+", " ", text).strip().lower()


_BY_NORMALISED = {_normalise(h): h for h in HEADERS}


def template_source(periods: list[tuple[int, int]], anio: int) -> tuple[int, int]:
    """The period a template of *anio* takes its products from: the latest of *anio* in the data, else the
    latest of all (*periods*: the data's, in order).

    A year's products keep their numbers in every cuatrimestre; a template of 2022-C2 written from 2024's
    products would number them as 2024 does, and the import refuses a year numbered two ways.
    """
    same_year = [p for p in periods if p[0] == anio]
    return (same_year or periods)[-1]


def write_template(
    catalogue: pd.DataFrame,
    anio: int,
    cuatrimestre: int | None,
    folder: Path,
    *,
    with_programado: bool = True,
) -> tuple[Path, Path]:
    """Write ``plantilla_poa_<A>_c<C>.csv`` and ``.xlsx`` from *catalogue* (one period of the tidy table).

    With ``cuatrimestre`` None the template is annual (``plantilla_poa_<A>_anual``): no «cuatrimestre»
    column, and the figure typed is the year's total, «ejecutado en el año», for a past year of which
    only the total is known. Without ``with_programado`` the programado column is left empty: *catalogue*
    is another year's, whose goals are not this year's, and the import refuses the empty cell until the
    analyst types the year's own.
    """
    folder.mkdir(parents=True, exist_ok=True)
    rows = catalogue.sort_values("producto")
    figure_column = ANNUAL_FIGURE if cuatrimestre is None else "ejecutado"
    frame = pd.DataFrame(
        {
            "año": anio,
            "cuatrimestre": cuatrimestre,
            "programa": rows["programa"].to_numpy(),
            "nombre del programa": rows["programa_nombre"].to_numpy(),
            "subprograma": rows["subprograma"].to_numpy(),
            "nombre del subprograma": rows["subprograma_nombre"].to_numpy(),
            "producto": rows["producto"].to_numpy(),
            "descripción": rows["descripcion"].to_numpy(),
            "sigla": rows["sigla"].fillna("").to_numpy(),
            "unidad": rows["unidad"].to_numpy(),
            "programado anual vigente": rows["programado"].to_numpy() if with_programado else "",
            figure_column: "",
            "% de avance": "",
        }
    )
    if cuatrimestre is None:
        frame = frame.drop(columns="cuatrimestre")
    stem = f"plantilla_poa_{anio}_" + ("anual" if cuatrimestre is None else f"c{cuatrimestre}")
    csv_path, xlsx_path = folder / f"{stem}.csv", folder / f"{stem}.xlsx"
    frame = safe_frame(frame)
    frame.to_csv(csv_path, index=False, encoding="utf-8-sig", lineterminator="\n")
    with pd.ExcelWriter(xlsx_path, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name="ejecucion")
        sheet = writer.sheets["ejecucion"]
        widths = (6, 12, 9, 30, 11, 34, 9, 60, 7, 11, 24, 14, 12)
        if cuatrimestre is None:
            widths = (6, *widths[2:-2], 20, 12)
        for column, width in zip("ABCDEFGHIJKLM", widths, strict=False):
            sheet.column_dimensions[column].width = width
        sheet.freeze_panes = "A2"
    fix_xlsx_dates(xlsx_path)
    return csv_path, xlsx_path


def _number(text: str, *, path: Path, row: int, field: str, integer: bool = True) -> float | None:
    value = text.strip().replace("\u00a0", "").replace(" ", "")
    if value == "":
        return None
    if integer:
        if re.fullmatch(r"\d{1,3}(,\d{3})+|\d+(\.0+)?", value):
            return figure(value.split(".")[0], path=path, row=row, field=field)
        expected = "un número entero no negativo (por ejemplo 1,367,720)"
    else:
        match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*%?", value)
        if match:
            return float(match.group(1))
        expected = "un porcentaje (por ejemplo 34.55% o 34.55)"
    raise DataError(f"se esperaba {expected} y se encontró «{text}».", path=path, row=row, field=field)


def parse(path: str | Path, anio: int, cuatrimestre: int | None, *, annual: bool = False) -> pd.DataFrame:
    """Read a filled template into the tidy table; refuse with the row and column that failed.

    With ``annual`` the template must be the annual one (its column «ejecutado en el año», no
    «cuatrimestre») and the table has no ``cuatrimestre`` column.
    """
    path = Path(path)
    rows, positions = _header(path)
    is_annual = ANNUAL_FIGURE in positions
    if is_annual != annual:
        raise DataError(
            "la plantilla es anual (columna «ejecutado en el año») y se indicó un cuatrimestre."
            if is_annual
            else "se pidió el total anual (--anual) y la plantilla es de un cuatrimestre (columna "
            "«ejecutado»): escriba una anual con pei-analysis plantilla --anio A --anual.",
            path=path,
            row=1,
            field=ANNUAL_FIGURE if is_annual else "ejecutado",
        )
    records = []
    seen: dict[int, int] = {}
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        cell = {h: (cells[i].strip() if i < len(cells) else "") for h, i in positions.items()}
        if annual:
            cell["ejecutado"] = cell.pop(ANNUAL_FIGURE)
        record = _parse_row(cell, path=path, row=number, anio=anio, cuatrimestre=cuatrimestre)
        if record["producto"] in seen:
            raise DataError(
                f"el producto {record['producto']} está repetido (ya aparece en la fila "
                f"{seen[record['producto']]}).",
                path=path,
                row=number,
                field="producto",
            )
        seen[record["producto"]] = number
        records.append(record)
    if not records:
        raise DataError("la plantilla no tiene ningún producto.", path=path)
    table = pd.DataFrame(records)
    table["archivo_origen"] = path.name
    columns = [c for c in COLUMNS if not (annual and c == "cuatrimestre")]
    return table[columns].sort_values("producto", kind="stable").reset_index(drop=True)


def _header(path: Path) -> tuple[list[list[str]], dict[str, int]]:
    """The template's rows (checked cells) and where each known column is; refuse an unknown or missing
    one."""
    rows = read_rows(path)
    while rows and not any(rows[0]):
        rows.pop(0)
    if not rows:
        raise DataError("la plantilla está vacía.", path=path)
    rows = check_cells(rows, path)
    positions: dict[str, int] = {}
    for index, name in enumerate(rows[0]):
        key = _BY_NORMALISED.get(_normalise(name))
        if key is None:
            if name.strip():
                raise DataError(f"columna desconocida «{name}».", path=path, row=1, field=name)
            continue
        if key in positions:
            raise DataError(f"la columna «{key}» está repetida.", path=path, row=1, field=key)
        positions[key] = index
    if ANNUAL_FIGURE in positions and ("cuatrimestre" in positions or "ejecutado" in positions):
        raise DataError(
            "la plantilla anual («ejecutado en el año») no lleva las columnas «cuatrimestre» ni «ejecutado» "
            "de una plantilla de cuatrimestre: use una de las dos.",
            path=path,
            row=1,
            field=ANNUAL_FIGURE,
        )
    required = ANNUAL_REQUIRED if ANNUAL_FIGURE in positions else REQUIRED
    missing = [h for h in required if h not in positions]
    if missing:
        raise DataError(f"faltan columnas: {', '.join(missing)}.", path=path, row=1)
    return rows, positions


def statements(path: str | Path) -> list[Statement]:
    """The period the template states: its first row's «año» and «cuatrimestre» (or that it is annual).

    The other rows must say the same; the reader checks each one against the period decided.
    """
    path = Path(path)
    rows, positions = _header(path)
    annual = ANNUAL_FIGURE in positions
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        cell = {h: (cells[i].strip() if i < len(cells) else "") for h, i in positions.items()}
        anio = _number(cell["año"], path=path, row=number, field="año")
        cuatrimestre = (
            None if annual else _number(cell["cuatrimestre"], path=path, row=number, field="cuatrimestre")
        )
        text = f"año {cell['año']}" + (
            ", total anual" if annual else f", cuatrimestre {cell['cuatrimestre']}"
        )
        return [Statement(TEMPLATE, number, anio=anio, cuatrimestre=cuatrimestre, anual=annual, text=text)]
    raise DataError("la plantilla no tiene ningún producto.", path=path)


def _parse_row(cell: dict[str, str], *, path: Path, row: int, anio: int, cuatrimestre: int) -> dict:
    """One row of the template as a row of the table, checked in the order an analyst fixes a sheet:
    the texts and the period, empty cells, the figures, then the codes."""
    where = {"path": path, "row": row}
    _check_filled(cell, where, anio, cuatrimestre)
    producto, programado, ejecutado, reported = _row_figures(cell, where)
    _check_codes(cell, where)
    return {
        "anio": anio,
        "cuatrimestre": cuatrimestre,
        "programa": cell["programa"].zfill(2),
        "programa_nombre": cell["nombre del programa"],
        "subprograma": cell["subprograma"].zfill(2),
        "subprograma_nombre": cell["nombre del subprograma"],
        "producto": producto,
        "descripcion": re.sub(r"\s+", " ", cell["descripción"]),
        "sigla": cell["sigla"] or None,
        "unidad": cell["unidad"],
        "programado": programado,
        "ejecutado": ejecutado,
        "porcentaje_reportado": reported,
        "linea_origen": row,
    }


def _check_filled(cell: dict[str, str], where: dict, anio: int, cuatrimestre: int | None) -> None:
    """Texts a reader will see are clean, the period is the one given, and no required cell is empty."""
    for field in ("nombre del programa", "nombre del subprograma", "descripción", "sigla"):
        check_text(cell[field], field=field, **where)
    for field in ("año", "cuatrimestre") if cuatrimestre is not None else ("año",):
        value = _number(cell[field], field=field, **where)
        wanted = anio if field == "año" else cuatrimestre
        if value != wanted:
            raise DataError(
                f"la plantilla dice {cell[field] or 'nada'} y se indicó {wanted}.", field=field, **where
            )
    for field in REQUIRED_CELLS:
        if not cell[field]:
            hint = CELL_HINTS.get(field, "")
            raise DataError(f"celda vacía{hint}.", field=field, **where)


def _row_figures(cell: dict[str, str], where: dict) -> tuple[int, int, int, float]:
    """The product number, programmed, executed and % (as reported, else computed), the % checked against
    executed / programmed."""
    producto = _number(cell["producto"], field="producto", **where)
    if producto < 1:
        raise DataError(
            f"el número de producto debe ser 1 o mayor y es {producto}.", field="producto", **where
        )
    programado = _number(cell["programado anual vigente"], field="programado anual vigente", **where)
    ejecutado = _number(cell["ejecutado"], field="ejecutado", **where)
    reported = _number(cell.get("% de avance", ""), field="% de avance", integer=False, **where)
    computed = ejecutado / programado * 100 if programado else 0.0
    if reported is not None and abs(reported - computed) > PERCENT_TOLERANCE:
        raise DataError(
            f"producto {producto}: dice {reported:.2f}% pero ejecutado/programado = "
            f"{ejecutado:,}/{programado:,} = {computed:.2f}%.",
            field="% de avance",
            **where,
        )
    return producto, programado, ejecutado, round(reported if reported is not None else computed, 2)


def _check_codes(cell: dict[str, str], where: dict) -> None:
    """Programme and subprogramme are codes of one or two digits; the unit is one SICOIN uses."""
    for field in ("programa", "subprograma"):
        if not re.fullmatch(r"\d{1,2}", cell[field]):
            raise DataError(
                f"se esperaba un código de dos dígitos y se encontró «{cell[field]}».", field=field, **where
            )
    if cell["unidad"] not in ("producción", "pagos"):
        raise DataError(
            f"se esperaba «producción» o «pagos» y se encontró «{cell['unidad']}».", field="unidad", **where
        )
