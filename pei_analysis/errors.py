"""Errores propios del proyecto.

Every refusal of bad input raises :class:`DataError` and every failed book build
:class:`BuildError`, so callers (the command line, the notebooks) can show a short Spanish
message instead of a traceback.
"""

from __future__ import annotations

from pathlib import Path


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
    ) -> None:
        self.reason = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.row = row
        self.field = field
        super().__init__(self._render())

    def _render(self) -> str:
        where = []
        if self.path is not None:
            where.append(self.path.name)
        if self.line is not None:
            where.append(f"línea {self.line}")
        if self.row is not None:
            where.append(f"fila {self.row}")
        if self.field:
            where.append(f"campo «{self.field}»")
        prefix = ", ".join(where)
        return f"{prefix}: {self.reason}" if prefix else self.reason


class BuildError(RuntimeError):
    """The book could not be built; the message (Spanish) says which notebook, cell or page and why.

    It lives here, beside DataError, so the command line can catch both without importing the
    book pipeline (papermill, nbformat) for commands that never build anything.
    """
