"""Texto seguro en una hoja de cálculo: la regla de OWASP contra la inyección de fórmulas (CSV injection).

A product description that begins with ``=``, ``+``, ``-`` or ``@`` went as-is into the book's CSV
downloads and became a live formula (``=HYPERLINK(…)``) in the XLSX files and in the capture
template; a reader who opens a download in Excel must never run what a data file says. So every
CSV and XLSX the project writes passes its text cells through :func:`neutralise`, which puts a
single quote in front (the cell then reads as text), and the template reader undoes it with
:func:`restore`, so a template written by the project re-imports unchanged. Numbers stay numbers:
only text cells are touched, and a negative number is not text.

Every XLSX the project writes also goes through :func:`fix_xlsx_dates`: the same tables must give
the same bytes, or a rebuilt edition shows every download as changed.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pandas as pd

from pei_analysis.files import atomic_write_bytes

#: What a spreadsheet may take for the start of a formula (OWASP): =, +, -, @, tab and carriage return.
TRIGGERS = "=+-@\t\r"
#: A text that needs the quote: a trigger, possibly after quotes (so «'=x» keeps its own quote on the way
#: back).
_NEEDS_QUOTE = re.compile(r"'*[=+\-@\t\r]")
_QUOTED = re.compile(r"'+[=+\-@\t\r]")


def neutralise(value: object) -> object:
    """A text cell made inert (``=1+1`` → ``'=1+1``); anything that is not text is returned as it is."""
    if isinstance(value, str) and _NEEDS_QUOTE.match(value):
        return "'" + value
    return value


def restore(text: str) -> str:
    """The text :func:`neutralise` was given: the exact inverse, so a written template reads back
    unchanged."""
    return text[1:] if _QUOTED.match(text) else text


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of *frame* with every text cell neutralised, for a CSV or XLSX file; numeric columns untouched.

    Column names are text cells too (the header row), so they get the same treatment.
    """
    safe = frame.copy()
    for column in safe.columns:
        dtype = safe[column].dtype
        if (
            pd.api.types.is_object_dtype(dtype)
            or isinstance(dtype, pd.CategoricalDtype)
            or pd.api.types.is_string_dtype(dtype)
        ):
            safe[column] = safe[column].astype(object).map(neutralise)
    safe.columns = [neutralise(c) for c in safe.columns]
    return safe


def is_formula(text: str) -> bool:
    """Whether a cell read from a template is a formula (``=…``); a neutralised text (``'=…``) is not."""
    return text.lstrip().startswith("=")


#: The date every XLSX carries, in its zip entries and its document properties (created, modified).
FIXED_DATE = (2000, 1, 1, 0, 0, 0)
_CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*(</dcterms:)")


def fix_xlsx_dates(path: Path) -> None:
    """Rewrite the XLSX at *path* with :data:`FIXED_DATE` in place of the time it was saved.

    openpyxl stamps the save time in the document properties and in every entry of the zip, so an
    edition rebuilt from unchanged data showed all its spreadsheets as changed, hiding the ones that
    did change. The cells, sheets and styles are copied byte for byte.
    """
    with zipfile.ZipFile(path) as source:
        entries = [(info.filename, source.read(info)) for info in source.infolist()]
    stamp = "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z".format(*FIXED_DATE).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = _CORE_DATES.sub(lambda m: m.group(1) + stamp + m.group(2), data)
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, data)
    atomic_write_bytes(path, buffer.getvalue())
