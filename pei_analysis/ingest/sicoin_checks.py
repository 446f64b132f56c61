"""Las comprobaciones del extracto de SICOIN: cada cifra debe cuadrar o el archivo entero se rechaza.

This module holds the rules the figures must obey, not the layout of the lines (that is
:mod:`pei_analysis.ingest.sicoin_lines`). It changes when an import rule changes: the rounding
tolerance, what a gap in the numbering means, what the period given by the analyst must agree with.
Every refusal raises :class:`~pei_analysis.errors.DataError` with the file, the line and the field.
"""

from __future__ import annotations

from pathlib import Path

from pei_analysis.errors import DataError
from pei_analysis.ingest.locations import location_words
from pei_analysis.ingest.sicoin_lines import Subprogram

#: Half a unit of the report's last decimal, plus room for binary floating point.
PERCENT_TOLERANCE = 0.005 + 1e-9


def check_percentage(fila: dict, *, path: Path, line: int) -> None:
    """The reported % de avance must equal ejecutado / programado × 100 to the report's two decimals.

    A product with nothing programmed must report 0 executed and 0%: SICOIN prints 0.00% rather
    than dividing by zero, and anything else means the line was misread.
    """
    producto, programado, ejecutado = fila["producto"], fila["programado"], fila["ejecutado"]
    reportado = fila["porcentaje_reportado"]
    if programado == 0:
        if ejecutado != 0 or reportado != 0:
            raise DataError(
                f"producto {producto}: programado es 0 pero el reporte da ejecutado {ejecutado:,} "
                f"y {reportado:.2f}%.",
                path=path,
                line=line,
                field="programado",
            )
        calculado = 0.0
    else:
        calculado = ejecutado / programado * 100
    if abs(calculado - reportado) > PERCENT_TOLERANCE:
        raise DataError(
            f"producto {producto}: el reporte dice {reportado:.2f}% pero ejecutado/programado = "
            f"{ejecutado:,}/{programado:,} = {calculado:.2f}%.",
            path=path,
            line=line,
            field="% de avance",
        )


def check_product_number(producto: int, vistos: dict[int, int], *, path: Path, line: int) -> None:
    """Products are numbered 1, 2, 3, ... across the whole report; a repeat or a gap is refused.

    *vistos* maps each product already read to where it is (its line; its page in a PDF). The numbering
    is what reveals a line lost or duplicated at a page break, which no subtotal would catch when the
    product executed 0.
    """
    if producto in vistos:
        raise DataError(
            f"el producto {producto} está repetido (ya aparece en la "
            f"{location_words(path, vistos[producto])}).",
            path=path,
            line=line,
            field="producto",
        )
    esperado = len(vistos) + 1
    if producto != esperado:
        raise DataError(
            f"se esperaba el producto {esperado} y aparece el {producto}: "
            f"falta el producto {esperado} o el orden está alterado.",
            path=path,
            line=line,
            field="producto",
        )


def check_subtotals(subprogramas: list[Subprogram], *, path: Path) -> None:
    """Each subprogram has products and its subtotal equals the sum of their ejecutado.

    The subtotal is the report's own check on the figures of its products: a product misread or
    lost in the extraction shows up here, at the subtotal's line.
    """
    for sub in subprogramas:
        suma = sum(p["ejecutado"] for p in sub.productos)
        if not sub.productos:
            raise DataError(
                f"el subprograma {sub.codigo} ({sub.nombre}) del programa {sub.programa} no tiene productos.",
                path=path,
                line=sub.linea,
                field="subtotal",
            )
        if suma != sub.subtotal:
            productos = ", ".join(str(p["producto"]) for p in sub.productos)
            raise DataError(
                f"el subtotal del subprograma {sub.codigo} ({sub.nombre}) es {sub.subtotal:,} pero sus "
                f"productos ({productos}) suman {suma:,}.",
                path=path,
                line=sub.linea,
                field="subtotal",
            )


def resolve_period(
    periodo: tuple[int, int] | None, anio: int | None, cuatrimestre: int | None, *, path: Path
) -> tuple[int, int]:
    """The period of the rows: the one in the report's title, which the analyst's --anio and
    --cuatrimestre must agree with; the analyst's when the title does not state it.

    Importing a report under the wrong period would silently overwrite another period's figures.
    """
    if periodo is None:
        if anio is None or cuatrimestre is None:
            raise DataError(
                "el título del reporte no indica el período (p. ej. «PRIMER CUATRIMESTRE 2024»): "
                "indique --anio y --cuatrimestre.",
                path=path,
                field="periodo",
            )
        return int(anio), int(cuatrimestre)
    if anio is not None and int(anio) != periodo[0]:
        raise DataError(
            f"el reporte es del año {periodo[0]} y se indicó --anio {anio}.", path=path, field="anio"
        )
    if cuatrimestre is not None and int(cuatrimestre) != periodo[1]:
        raise DataError(
            f"el reporte es del cuatrimestre {periodo[1]} y se indicó --cuatrimestre {cuatrimestre}.",
            path=path,
            field="cuatrimestre",
        )
    return periodo
