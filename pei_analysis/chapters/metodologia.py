"""El capítulo «Metodología y fuentes»: las verificaciones repetidas al construir, en palabras.

The projection overview and the semáforo's rules it also shows are those of
:mod:`pei_analysis.chapters.proyeccion`, so both chapters always say the same.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from pei_analysis.chapters.display import md_escape
from pei_analysis.format import MISSING_TEXT, fmt_int


def sources_display(sources: pd.DataFrame) -> pd.DataFrame:
    """The originals with their length in words: «934 líneas» for a text, «4 páginas» for a PDF, «70 filas»
    for a workbook, «sin datos» where none is known."""

    def extension(row) -> str:
        for count, unit in ((row.lineas, "línea"), (row.paginas, "página"), (row.filas, "fila")):
            if pd.notna(count):
                return f"{fmt_int(count)} {unit}" + ("" if count == 1 else "s")
        return MISSING_TEXT

    return sources.assign(extension=[extension(row) for row in sources.itertuples()])


def checks_markdown(lines: Iterable[str]) -> str:
    """The validation summary as a Markdown list, one ✔ per check passed (text escaped)."""
    return "\n".join(f"- ✔ {md_escape(line)}" for line in lines)
