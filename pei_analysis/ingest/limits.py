"""Los límites de lo que se importa: cifras, textos y tamaños que las tablas y los cuadernos pueden llevar.

A fault-injection campaign found files that import and validate but cannot be stored or published
(a 25-digit figure overflows the table's 64-bit integers at ``validar``; a NUL byte in a
description breaks the datos notebook), and files that hang or flood the terminal (a 54 MB XLSX of
1.5 million rows, a 55 KB XLSX whose one cell is 100 MB). Each limit here is checked while the file
is read, so the refusal names the file, the line or row and the field, and comes quickly.
"""

from __future__ import annotations

import math
import re
import zipfile
from pathlib import Path

import pandas as pd

from pei_analysis.errors import DataError

#: Largest figure accepted: 10^15, a thousand times IGSS's whole yearly budget in quetzales (~10^11) and far
#: below what int64 holds (9.2 × 10^18), so sums of a year's figures in the tables can never overflow.
MAX_FIGURE = 10**15
#: Longest text cell: the longest description in SICOIN has a few hundred characters.
MAX_FIELD = 10_000
#: Largest text extract or CSV template: a year's extract is ~30 KB.
MAX_TEXT_BYTES = 20 * 1024 * 1024
#: Largest uncompressed content of an XLSX template, as its zip declares it (checked before opening it).
MAX_XLSX_BYTES = 50 * 1024 * 1024
#: Past this, a PDF is refused before it is opened (the 2024-C1 report drawn as PDF weighs 10 KB).
MAX_PDF_BYTES = 20 * 1024 * 1024
#: Past this many pages, a PDF is not a cuatrimestre's report (the 2024-C1 report has 4).
MAX_PDF_PAGES = 200
#: Most rows read from a template's sheet: the POA has ~40 products.
MAX_ROWS = 100_000
#: Control characters a text may not hold (tab and newline are the extraction's own separators).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_MB = 1024 * 1024


def figure(digits: str, *, path: Path, field: str, **where) -> int:
    """The figure written by *digits* (thousands commas allowed), refused above :data:`MAX_FIGURE`.

    It would overflow the table's integers later, at ``validar``. The length is checked before
    converting: Python refuses to convert more than 4,300 digits, with a traceback.
    """
    digits = digits.replace(",", "").lstrip("0") or "0"
    if len(digits) > len(str(MAX_FIGURE)) or int(digits) > MAX_FIGURE:
        raise DataError(
            f"la cifra de {len(digits)} dígitos «{digits}» pasa del máximo admitido ({MAX_FIGURE:,}); "
            "¿hay dígitos de más?",
            path=path,
            field=field,
            **where,
        )
    return int(digits)


def check_text(text: str, *, path: Path, field: str, **where) -> str:
    """Refuse a text cell longer than :data:`MAX_FIELD` or holding a control character (NUL, escape…)."""
    if len(text) > MAX_FIELD:
        raise DataError(
            f"el texto tiene {len(text):,} caracteres y el máximo es {MAX_FIELD:,}.",
            path=path,
            field=field,
            **where,
        )
    if match := _CONTROL.search(text):
        raise DataError(
            f"el texto tiene un carácter de control ({match.group()!r}) en la posición {match.start() + 1}; "
            "quítelo y vuelva a importar.",
            path=path,
            field=field,
            **where,
        )
    return text


def check_file_size(path: Path, maximum: int = MAX_TEXT_BYTES) -> None:
    """Refuse a file larger than *maximum* (a text extract or CSV: :data:`MAX_TEXT_BYTES`) before reading
    it."""
    try:
        size = path.stat().st_size
    except OSError:
        return  # the reader says why it cannot read the file
    if size > maximum:
        raise DataError(
            f"el archivo pesa {size / _MB:,.1f} MB y el máximo es {maximum // _MB} "
            "MB: ¿es el archivo correcto?",
            path=path,
        )


def check_xlsx_archive(path: Path) -> None:
    """Refuse an XLSX whose zip declares more than :data:`MAX_XLSX_BYTES` uncompressed, before openpyxl opens
    it.

    A small file can declare gigabytes (a zip bomb), and openpyxl would inflate them all; the sizes
    the zip declares are read from its directory without inflating anything. A file that is not a
    zip is left for the reader, which refuses it in its own words.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            declared = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        return
    if declared > MAX_XLSX_BYTES:
        raise DataError(
            f"la hoja de Excel ocupa {declared / _MB:,.0f} MB sin comprimir y el máximo es "
            f"{MAX_XLSX_BYTES // _MB} MB: la tabla del POA tiene unas decenas de filas.",
            path=path,
        )


def unreadable_xlsx(path: Path) -> DataError:
    """The refusal of an .xlsx that openpyxl cannot open, in the analyst's words: the library's own («File is
    not a zip file», «There is no item named '[Content_Types].xml'») says nothing to an analyst."""
    return DataError(
        "no se puede leer como libro de Excel (.xlsx): está dañado o es otro tipo de archivo con la "
        "extensión .xlsx. Ábralo en Excel o LibreOffice y guárdelo como «Libro de Excel (.xlsx)».",
        path=path,
    )


def too_many_rows(path: Path) -> DataError:
    """The refusal of a sheet with more than :data:`MAX_ROWS` rows (the reader stops reading there)."""
    return DataError(
        f"la hoja tiene más de {MAX_ROWS:,} filas: la tabla del POA tiene unas decenas.", path=path
    )


def check_outlier_factor(factor: float) -> None:
    """Refuse an outlier factor that is not 0 (the guard off) or a finite number above 1.

    ``nan`` silently disabled the guard (every comparison with it is false), ``inf`` does the same,
    and a factor of 1 or less (or negative) refuses every figure.
    """
    if factor == 0:
        return
    if not math.isfinite(factor) or factor <= 1:
        raise DataError(
            f"--factor-atipicos debe ser un número mayor que 1 (o 0 para desactivar la guardia) y se indicó "
            f"«{factor}».",
            field="--factor-atipicos",
        )


def check_no_gap(anio: int, cuatrimestre: int, existing: pd.DataFrame, source: Path) -> None:
    """Refuse cuatrimestre 2 or 3 of a year whose earlier cuatrimestres are not all in the data.

    The edition of a period projects the year from its cuatrimestres so far: with 2025-c2 and no
    2025-c1 every notebook failed. Import the missing cuatrimestres first. The importer applies it
    to the latest year only: a past year with a gap is accepted and reported incomplete.
    """
    have = set(existing.loc[existing["anio"] == anio, "cuatrimestre"].astype(int))
    missing = [c for c in range(1, cuatrimestre) if c not in have]
    if missing:
        names = " y ".join(str(c) for c in missing)
        raise DataError(
            f"faltan en los datos los cuatrimestres anteriores de {anio} ({names}): importe primero "
            f"{'ese cuatrimestre' if len(missing) == 1 else 'esos cuatrimestres'} y luego el {cuatrimestre}.",
            path=source,
            field="cuatrimestre",
        )


def missing_cuatrimestres(table: pd.DataFrame, anio: int) -> list[int]:
    """The cuatrimestres 1-3 of *anio* that *table* does not have."""
    have = set(table.loc[table["anio"] == anio, "cuatrimestre"].astype(int))
    return [c for c in (1, 2, 3) if c not in have]


def incomplete_note(anio: int, missing: list[int]) -> str:
    """What the analyst is told of a past year imported with cuatrimestres missing (accepted, not refused)."""
    if len(missing) == 1:
        which = f"falta el cuatrimestre {missing[0]}"
    else:
        which = f"faltan los cuatrimestres {', '.join(map(str, missing[:-1]))} y {missing[-1]}"
    return f"{anio}: {which}; el año queda incompleto y la proyección no lo usa como año completo"
