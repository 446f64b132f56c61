"""Errores propios del proyecto.

Every refusal of bad input raises :class:`DataError` and every failed book build
:class:`BuildError`, so callers (the command line, the notebooks) can show a short Spanish
message instead of a traceback.
"""

from __future__ import annotations

import re
from pathlib import Path

#: At most this many characters of any quoted input («…») appear in a message: a 55 KB spreadsheet once
#: produced a 100 MB message by quoting a cell whole.
QUOTE_LIMIT = 200
#: Past this, a whole message is cut (a reason quoting input outside «» cannot run away either).
MESSAGE_LIMIT = 1000
#: Control characters (C0, DEL, C1) and the bidirectional overrides that reorder what a terminal shows.
_INVISIBLE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_QUOTED = re.compile("«([^«»]*)»")


def visible(text: str) -> str:
    """*text* with control and escape characters written as ``\\x1b``, ``\\u202e``: a file may hold
    terminal escape sequences, and a message must show them, never let the terminal run them."""
    return _INVISIBLE.sub(lambda m: repr(m.group())[1:-1], text)


def shorten(text: str, limit: int = QUOTE_LIMIT) -> str:
    """The first *limit* characters of *text*, with «…» when something was left out."""
    return text if len(text) <= limit else text[:limit] + "…"


def quote_input(text: str) -> str:
    """Input text as a message quotes it: bounded and visible (newlines too, so a message stays one line)."""
    return visible(shorten(str(text))).replace("\n", "\\n")


class DataError(ValueError):
    """Datos rechazados: names the file, the line or row, the field and what was expected."""

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        row: int | None = None,
        field: str | None = None,
        page: int | None = None,
        sheet: str | None = None,
    ) -> None:
        self.reason = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.row = row
        self.field = field
        self.page = page
        self.sheet = sheet
        super().__init__(self._render())

    def on_page(self, page: int | None) -> DataError:
        """The same refusal pointing at a page of a PDF instead of a line: the lines a PDF is read
        into (:mod:`pei_analysis.ingest.sicoin_pdf`) are not anything the analyst can see."""
        return DataError(self.reason, path=self.path, row=self.row, field=self.field, page=page)

    def on_row(self, sheet: str) -> DataError:
        """The same refusal pointing at a row of a worksheet instead of a line: a workbook's rows are read
        as lines (:mod:`pei_analysis.ingest.sicoin_sheet`), line *n* being row *n* of *sheet*."""
        row = self.line if self.line is not None else self.row
        return DataError(self.reason, path=self.path, row=row, field=self.field, sheet=sheet)

    def _render(self) -> str:
        """The one-line message: where, then why; every quoted input bounded and made visible here, once,
        so no refusal can flood or drive the analyst's terminal whatever the file holds."""
        where = []
        if self.path is not None:
            where.append(quote_input(self.path.name))
        if self.page is not None:
            where.append(f"página {self.page}")
        if self.sheet is not None:
            where.append(f"hoja «{quote_input(self.sheet)}»")
        if self.line is not None:
            where.append(f"línea {self.line}")
        if self.row is not None:
            where.append(f"fila {self.row}")
        if self.field:
            where.append(f"campo «{quote_input(self.field)}»")
        prefix = ", ".join(where)
        reason = _QUOTED.sub(lambda m: f"«{quote_input(m.group(1))}»", str(self.reason))
        reason = shorten(visible(reason), MESSAGE_LIMIT)
        return f"{prefix}: {reason}" if prefix else reason


class BuildError(RuntimeError):
    """The book could not be built; the message (Spanish) says which notebook, cell or page and why.

    It lives here, beside DataError, so the command line can catch both without importing the
    book pipeline (papermill, nbformat) for commands that never build anything.
    """


class InboxRefusal(DataError):
    """The scheduled run refused the reports of its inbox (pei_analysis.publish.inbox): nothing was
    imported or published, and a report of why was left beside the inbox. A class of its own so the
    command line can say that, and not only that no file changed."""
