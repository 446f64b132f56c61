"""Dónde está una cifra en el archivo que la trae: la línea de un extracto de texto, la fila de una
plantilla o de un libro de Excel, la página de un PDF.

Every refusal and every row's ``linea_origen`` point into the file the analyst has open; what that
number counts depends on the kind of file, and this module is the one place that says so.
"""

from __future__ import annotations

from pathlib import Path

#: The capture template's formats (:mod:`pei_analysis.ingest.template`); an .xlsx may also be the report's
#: workbook (:mod:`pei_analysis.ingest.sicoin_sheet`), read by rows too.
TEMPLATE_SUFFIXES = {".csv", ".xlsx"}
#: A report as IGSS publishes it (:mod:`pei_analysis.ingest.sicoin_pdf`).
PDF_SUFFIX = ".pdf"


def is_pdf(path: str | Path) -> bool:
    return Path(path).suffix.lower() == PDF_SUFFIX


def location(source: str | Path, number) -> dict:
    """The DataError arguments for position *number* of *source*: ``row`` in a template or a workbook,
    ``page`` in a PDF, ``line`` in a text extract."""
    suffix = Path(source).suffix.lower()
    if suffix in TEMPLATE_SUFFIXES:
        return {"row": int(number)}
    if suffix == PDF_SUFFIX:
        return {"page": int(number)}
    return {"line": int(number)}


def location_words(source: str | Path, number) -> str:
    """Position *number* of *source* in words: «línea 12», «fila 12», «página 2»."""
    kind, value = next(iter(location(source, number).items()))
    return {"row": "fila", "page": "página", "line": "línea"}[kind] + f" {value}"
