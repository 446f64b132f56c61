"""El capítulo «Datos»: qué tablas se ofrecen para descargar y qué significa cada columna.

The files themselves are written by :mod:`pei_analysis.chapters.downloads`; this module puts
together, from the edition's dataset, what the chapter passes to it.
"""

from __future__ import annotations

import pandas as pd

from pei_analysis.chapters.display import Column, HtmlTable, html_table
from pei_analysis.chapters.downloads import (
    COLUMN_MEANINGS,
    column_dictionary,
    edition_exports,
    schema_meanings,
)
from pei_analysis.model.dataset import EditionDataset


def exports(dataset: EditionDataset) -> dict[str, pd.DataFrame]:
    """The tables of the edition offered for download (POA, avance, proyección, programas, PEI)."""
    return edition_exports(dataset, dataset.pei, dataset.linkage)


def column_meanings(dataset: EditionDataset) -> dict[str, str]:
    """Meaning of every exported column: the POA schema's descriptions, then the computed columns'."""
    return {**schema_meanings(dataset.poa_columns), **COLUMN_MEANINGS}


DICTIONARY_COLUMNS = [
    Column("columna", "Columna"),
    Column("descripcion", "Significado"),
    Column("tablas", "Tablas"),
]


def dictionary_table(dataset: EditionDataset, tables: dict[str, pd.DataFrame]) -> HtmlTable:
    """Every column of the downloads *tables* with its meaning and the files it is in; one card per column
    on a phone, where «Tablas» was off screen at 375 px."""
    return html_table(column_dictionary(tables, column_meanings(dataset)), DICTIONARY_COLUMNS, stacked=True)
