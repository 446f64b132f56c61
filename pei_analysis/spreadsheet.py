"""Texto seguro en una hoja de cálculo: la regla de OWASP contra la inyección de fórmulas (CSV injection).

A product description that begins with ``=``, ``+``, ``-`` or ``@`` went as-is into the book's CSV
downloads and became a live formula (``=HYPERLINK(…)``) in the XLSX files and in the capture
template; a reader who opens a download in Excel must never run what a data file says. So every
CSV and XLSX the project writes passes its text cells through :func:`neutralise`, which puts a
single quote in front (the cell then reads as text), and the template reader undoes it with
:func:`restore`, so a template written by the project re-imports unchanged. Numbers stay numbers:
only text cells are touched, and a negative number is not text.
"""

from __future__ import annotations

import re

import pandas as pd

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
