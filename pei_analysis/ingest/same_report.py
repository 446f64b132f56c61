"""One report in two forms (the PDF IGSS publishes, the workbook it is printed from, its text): imported once.

A planning department keeps both the PDF and the workbook of each report, so a folder of past reports
holds each period twice. Refusing the batch («este archivo y … son los dos de 2021, cuatrimestre 1»)
sent the analyst to sort the folder by hand, and a second import of the folder, once a new report had
arrived, refused the workbook of every period already imported from its PDF. Two files of one period
with the same figures are the same report: one is imported and the other left out with a line, as a
file byte for byte equal to an original already is (:func:`.originals.already_imported`). Files of one
period whose figures differ are still refused: which one is right is the analyst's call.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pei_analysis.ingest.batch_reading import ReadFile
from pei_analysis.ingest.periods import ReportPeriod
from pei_analysis.ingest.readers import parse_any
from pei_analysis.tables.poa import load_poa, load_poa_annual

#: Which form of a report is kept when a batch has several: the PDF as IGSS publishes it first.
FORM_ORDER = (".pdf", ".xlsx", ".txt", ".csv")
#: What must agree for two files to be one report: every product's number and figures.
COMPARED = ("producto", "programado", "ejecutado")


@dataclass(frozen=True)
class OtherForm:
    """A file left out as another form of a report: the one imported instead, or the original kept."""

    source: Path
    #: What the analyst reads of it.
    line: str
    #: The file of the batch imported instead (its original's name is known once it is written)...
    same_as: Path | None = None
    #: ...or the original in data/raw/ that already holds the report.
    original: str | None = None


def same_figures(first: pd.DataFrame, second: pd.DataFrame) -> bool:
    """Whether two readings of a period give every product the same number, programado and ejecutado."""
    columns = [c for c in COMPARED if c in first.columns and c in second.columns]
    if len(first) != len(second) or "producto" not in columns:
        return False

    def figures(rows: pd.DataFrame) -> list[tuple]:
        return sorted(tuple(int(v) for v in row) for row in rows[columns].itertuples(index=False))

    return figures(first) == figures(second)


def one_form_each(reads: list[ReadFile]) -> tuple[list[ReadFile], list[OtherForm]]:
    """Of the files of one period with the same figures and kind (*reads* in period order), keep the first
    in :data:`FORM_ORDER` and leave out the others. Files of one period that differ are all kept, for
    :func:`.batch_reading.check_no_repeated_period` to refuse."""
    kept, left = [], []
    for _, group in itertools.groupby(reads, key=lambda read: read.period.sort_key):
        first, *others = sorted(group, key=_form_rank)
        kept.append(first)
        for other in others:
            if other.cifras == first.cifras and same_figures(first.rows, other.rows):
                line = (
                    f"{other.source.name}: el mismo reporte que {first.source.name} (las mismas cifras de "
                    f"{first.period.label()}); se importa solo {first.source.name}."
                )
                left.append(OtherForm(other.source, line, same_as=first.source))
            else:
                kept.append(other)
    return kept, left


def already_in_data(
    reads: list[ReadFile], root: Path, replace: bool
) -> tuple[list[ReadFile], list[OtherForm]]:
    """The *reads* whose period data/ does not have from an original with the same figures, and those left
    out (with ``--reemplazar``, none: the analyst asked for the period to be read again)."""
    if replace or not reads:
        return reads, []
    poa, annual = load_poa(root), load_poa_annual(root)
    kept, left = [], []
    for read in reads:
        original = _original_of(read.period, poa, annual)
        raw = root / "raw" / original if original else None
        if raw is not None and raw.is_file() and _same_as(read, raw, poa):
            line = (
                f"{read.source.name}: ya está en los datos (las mismas cifras de {read.period.label()} que "
                f"data/raw/{original}); no se importa de nuevo."
            )
            left.append(OtherForm(read.source, line, original=original))
        else:
            kept.append(read)
    return kept, left


def _same_as(read: ReadFile, raw: Path, poa: pd.DataFrame) -> bool:
    """Whether *read* holds the figures the original *raw* holds, counted the same way."""
    period = read.period
    if not period.anual:
        rows = poa[(poa["anio"] == period.anio) & (poa["cuatrimestre"] == period.cuatrimestre)]
        if set(rows["cifras_origen"].astype(str)) != {read.cifras}:
            return False
    return same_figures(parse_any(raw, period.anio, period.cuatrimestre, annual=period.anual), read.rows)


def _original_of(period: ReportPeriod, poa: pd.DataFrame, annual: pd.DataFrame) -> str | None:
    """The name in data/raw/ of the original the tables took *period* from, or None if they lack it."""
    if period.anual:
        rows = annual[annual["anio"] == period.anio]
    else:
        rows = poa[(poa["anio"] == period.anio) & (poa["cuatrimestre"] == period.cuatrimestre)]
    names = set(rows["archivo_origen"].astype(str))
    return names.pop() if len(names) == 1 else None


def _form_rank(read: ReadFile) -> int:
    suffix = read.source.suffix.lower()
    return FORM_ORDER.index(suffix) if suffix in FORM_ORDER else len(FORM_ORDER)
