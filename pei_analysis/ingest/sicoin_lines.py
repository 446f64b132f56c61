"""Las líneas del extracto de SICOIN: qué es cada una y cómo leer sus celdas.

This module knows what the text extract of the «Reporte Analítico de Ejecución Física» looks like
and nothing about whether its figures add up (that is :mod:`pei_analysis.ingest.sicoin_checks`).
It changes when SICOIN or the PDF extraction changes the layout: a new header wording, a new way
of mangling a subprogram subtotal, a new kind of line.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from pei_analysis.errors import DataError
from pei_analysis.ingest.limits import check_text, figure

_ORDINALS = {"PRIMER": 1, "SEGUNDO": 2, "TERCER": 3}
#: «CUATRIMESTRE», and the typos seen in real titles: «Cuatrimeste» (2024-c1) and «CUATRIMETRE».
_CUATRIMESTRE = r"CUATRIME(?:STRE|TRE|STE)"
_PERIOD_RE = re.compile(rf"\b(PRIMER|SEGUNDO|TERCER)O?\s+{_CUATRIMESTRE}\s+(?:DEL?\s+)?(\d{{4}})\b")
_PERIOD_YEAR_FIRST_RE = re.compile(rf"\b(\d{{4}})\s+(PRIMER|SEGUNDO|TERCER)O?\s+{_CUATRIMESTRE}\b")
#: The report's title: «… Plan Operativo Anual (POA) 2024 Primer Cuatrimeste»; what follows the year says the
#: span.
_TITLE_RE = re.compile(r"\(POA\)\s*(\d{4})\b(.*)$")
#: The footer's span: «(de enero a abril 2024)», or cumulative «de enero a agosto».
_SPAN_RE = re.compile(
    r"\bDE\s+(ENERO|MAYO|SEPTIEMBRE|SETIEMBRE)\s+A\s+(ABRIL|AGOSTO|DICIEMBRE)\b(?:\s*(?:DEL?\s+)?(\d{4}))?"
)
#: A footer span → (cuatrimestre it ends, how its figures count: «periodo», «acumulado», or None when both
#: agree).
SPANS = {
    ("ENERO", "ABRIL"): (1, None),
    ("MAYO", "AGOSTO"): (2, "periodo"),
    ("SEPTIEMBRE", "DICIEMBRE"): (3, "periodo"),
    ("SETIEMBRE", "DICIEMBRE"): (3, "periodo"),
    ("ENERO", "AGOSTO"): (2, "acumulado"),
    ("ENERO", "DICIEMBRE"): (3, "acumulado"),
}
PROGRAM_RE = re.compile(r"PROGRAMA:\s*(\d{1,3})\s+(.+)$", re.IGNORECASE)
_NUMBER_RE = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+$")
_PERCENT_RE = re.compile(r"^(\d+(?:\.\d+)?)\s*%$")
_TRAILING_NUMBER_RE = re.compile(r"\s+(\d{1,3}(?:,\d{3})+|\d+)$")
_SIGLA_RE = re.compile(r"\(([A-ZÁÉÍÓÚÑ]{2,6})\)\s*\.?\s*$")
_JUNK_CELL_RE = re.compile(r"^[\s_/|\\.\-–]*$")
_HEADER_MARKERS = (
    "PRODUCTOS",
    "PRODUCCIÓN REALIZADA",
    "PAGOS REALIZADOS",
    "% DE AVANCE",
    "PORCENTAJE DE",
    "PROGRAMACIÓN INICIAL",
    "PAGOS PROGRAMADOS",
    "INSTITUTO GUATEMALTECO",
)

# The kinds of line :func:`line_kind` tells apart.
FOOTER = "pie"
PROGRAM = "programa"
HEADER = "encabezado"
PRODUCT = "producto"
SUBTOTAL = "subtotal"


@dataclass
class Subprogram:
    """A subprogram subtotal line and the products read under it (until the next subtotal or program)."""

    programa: str
    codigo: str
    nombre: str
    subtotal: int
    linea: int
    productos: list[dict] = field(default_factory=list)


def split_cells(line: str) -> list[str]:
    """The line's tab-separated cells, stripped, without the empty cells the extraction leaves at the end.

    An empty list means a blank line (the extract has many around page breaks).
    """
    cells = [c.strip() for c in line.split("\t")]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def plain(text: str) -> str:
    """*text* in capitals without accents, so «Cuatrimestre», «CUATRIMESTRE» and «cuatriméstre» read alike."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().upper()


def period_in(joined: str) -> tuple[int, int] | None:
    """(año, cuatrimestre) if the line states the period («PRIMER CUATRIMESTRE 2024»), else None.

    The column header repeats it on every page (the caller keeps the first one found); the title puts
    the year first («(POA) 2024 Primer Cuatrimeste»). The typos «CUATRIMETRE» and «Cuatrimeste», any
    case and accents are accepted.
    """
    text = plain(joined)
    if m := _PERIOD_RE.search(text):
        return int(m.group(2)), _ORDINALS[m.group(1)]
    if m := _PERIOD_YEAR_FIRST_RE.search(text):
        return int(m.group(1)), _ORDINALS[m.group(2)]
    return None


def title_in(joined: str) -> tuple[int, bool] | None:
    """(año, whether it says «anual») if the line is the report's title «… (POA) 2024 …», else None.

    Only the words after the year count for «anual»: «Plan Operativo Anual» is in every title.
    """
    if m := _TITLE_RE.search(plain(joined)):
        return int(m.group(1)), bool(re.search(r"\bANUAL\b", m.group(2)))
    return None


def span_in(joined: str) -> tuple[str, str, int | None] | None:
    """(first month, last month, year or None) of a footer span «(de enero a abril 2024)», else None."""
    if m := _SPAN_RE.search(plain(joined)):
        return m.group(1), m.group(2), int(m.group(3)) if m.group(3) else None
    return None


def line_kind(cells: list[str], joined: str) -> str | None:
    """What a non-blank line is: FOOTER, PROGRAM, HEADER, PRODUCT, SUBTOTAL, or None if unrecognised.

    The order of the tests matters: a «PROGRAMA:» line may carry header words, and a product line
    starts with digits like a subtotal line does, so programs are recognised before headers and
    products before subtotals.
    """
    if joined.lower().startswith("fuente:"):
        return FOOTER
    if PROGRAM_RE.search(joined):
        return PROGRAM
    if _is_header(cells):
        return HEADER
    if _looks_like_product(cells):
        return PRODUCT
    if re.match(r"^\d{2}(\D|$)", cells[0]):
        return SUBTOTAL
    return None


def program_in(joined: str) -> tuple[str, str]:
    """(código de dos cifras, nombre) of a «PROGRAMA: 11 SERVICIOS ...» line.

    The code is zero-padded so «PROGRAMA: 1» and the report's usual two digits agree, and the name's
    runs of spaces (left by the extraction) are collapsed.
    """
    m = PROGRAM_RE.search(joined)
    return m.group(1).zfill(2), re.sub(r"\s+", " ", m.group(2)).strip()


def header_unit(joined: str, current: str) -> str:
    """The unit of the programs that follow a column header: «pagos» or «producción».

    The column header above each program says whether its figures are payments (PAGOS PROGRAMADOS,
    Prestaciones pecuniarias) or production; a header that says neither keeps the current unit.
    """
    upper = joined.upper()
    if "PAGOS" in upper:
        return "pagos"
    if "PRODUCCI" in upper or "PROGRAMACI" in upper:
        return "producción"
    return current


def _is_header(cells: list[str]) -> bool:
    """A page or column header, repeated at every page break; a lone «No.» is the header split in two."""
    upper = " ".join(cells).upper()
    if cells and cells[0].rstrip(".").upper() == "NO" and len(cells) == 1:
        return True
    if any(_NUMBER_RE.match(c) for c in cells):
        return False
    return any(marker in upper for marker in _HEADER_MARKERS)


def _looks_like_product(cells: list[str]) -> bool:
    """A product line: its number, a description, then figures, the last a percentage (with or without %)."""
    filled = [c for c in cells if c]
    if len(filled) < 4 or not re.fullmatch(r"\d{1,3}", filled[0]):
        return False
    last = filled[-1]
    if _PERCENT_RE.match(last):
        return True
    # Without the % sign: a decimal closing a line of at least three numeric cells after the description.
    return bool(re.fullmatch(r"\d+\.\d+", last)) and sum(bool(_NUMBER_RE.match(c)) for c in filled[2:-1]) >= 2


def parse_int(text: str, *, path: Path, line: int, field: str) -> int:
    """A whole, non-negative figure with optional thousands commas (1,367,720), at most
    :data:`~pei_analysis.ingest.limits.MAX_FIGURE`; anything else is refused."""
    value = text.strip()
    if not _NUMBER_RE.match(value):
        raise DataError(
            f"se esperaba un número entero no negativo (por ejemplo 1,367,720) y se encontró «{value}».",
            path=path,
            line=line,
            field=field,
        )
    return figure(value, path=path, line=line, field=field)


def parse_percent(text: str, *, path: Path, line: int, field: str) -> float:
    """A percentage as the report prints it, «34.55%», or as some extractions leave it, «34.55»."""
    value = text.strip()
    match = _PERCENT_RE.match(value) or re.match(r"^(\d+(?:\.\d+)?)$", value)
    if not match:
        raise DataError(
            f"se esperaba un porcentaje (por ejemplo 34.55%) y se encontró «{value}».",
            path=path,
            line=line,
            field=field,
        )
    return float(match.group(1))


def sigla_of(descripcion: str) -> str | None:
    """The unit's acronym that closes a product description, «... del Instituto. (DYC)» → «DYC»."""
    sigla_match = _SIGLA_RE.search(descripcion)
    return sigla_match.group(1) if sigla_match else None


def _clean_name(text: str) -> str:
    """Strip the extraction's debris around a subprogram name: tags, leading codes, a glued figure."""
    text = re.sub(r"<[^>]*>", " ", text)
    text = _TRAILING_NUMBER_RE.sub("", text.strip())
    text = re.sub(r"^[^A-Za-zÁÉÍÓÚÑáéíóúñ]+", "", text)
    return re.sub(r"\s+", " ", text).strip()


def parse_subtotal(cells: list[str], *, path: Path, line: int, programa: str) -> Subprogram:
    """Read a subprogram subtotal line, however the extraction mangled it.

    The code is the first two characters; what follows may be debris («02 <i>A</i>», «04 /»).
    The name is the longest cell that still reads as a name once cleaned, and may have its
    figure glued to it («ATENCIÓN MÉDICA POR MATERNIDAD 39,432»); the subtotal is the last cell
    that is not debris (a lone «_»), or the figure glued to its end.
    """
    codigo = cells[0][:2]
    names = [_clean_name(c) for c in [cells[0][2:], *cells[1:]]]
    names = [n for n in names if len(n.split()) >= 2 or len(n) > 3]
    if not names:
        raise DataError(
            f"no se encuentra el nombre del subprograma {codigo}.", path=path, line=line, field="subprograma"
        )
    nombre = check_text(max(names, key=len), path=path, line=line, field="subprograma")
    meaningful = [c for c in cells[1:] if not _JUNK_CELL_RE.match(c)]
    if not meaningful:
        raise DataError(
            f"el subtotal del subprograma {codigo} ({nombre}) no trae cifra.",
            path=path,
            line=line,
            field="subtotal",
        )
    last = meaningful[-1]
    if _NUMBER_RE.match(last):
        subtotal = figure(last, path=path, line=line, field="subtotal")
    else:
        glued = _TRAILING_NUMBER_RE.search(last)
        if not glued:
            raise DataError(
                f"el subtotal del subprograma {codigo} ({nombre}) no trae cifra legible: «{last}».",
                path=path,
                line=line,
                field="subtotal",
            )
        subtotal = figure(glued.group(1), path=path, line=line, field="subtotal")
    return Subprogram(programa=programa, codigo=codigo, nombre=nombre, subtotal=subtotal, linea=line)


def parse_product(cells: list[str], *, path: Path, line: int) -> dict:
    """Read a product line (its non-empty cells): No., descripción, programado, ejecutado, % de avance.

    Only the cells are read here; whether the percentage agrees with the figures is
    :func:`~pei_analysis.ingest.sicoin_checks.check_percentage`. The description's line breaks and
    runs of spaces, left by the extraction, are collapsed.
    """
    if len(cells) != 5:
        raise DataError(
            "una línea de producto debe tener 5 columnas (No., descripción, programado, ejecutado, %) "
            f"y tiene {len(cells)}.",
            path=path,
            line=line,
            field="producto",
        )
    numero, descripcion, programado_txt, ejecutado_txt, pct_txt = cells
    producto = int(numero)
    programado = parse_int(programado_txt, path=path, line=line, field=f"programado (producto {producto})")
    ejecutado = parse_int(ejecutado_txt, path=path, line=line, field=f"ejecutado (producto {producto})")
    reportado = parse_percent(pct_txt, path=path, line=line, field=f"% de avance (producto {producto})")
    descripcion = re.sub(
        r"\s+", " ", check_text(descripcion, path=path, line=line, field="descripción")
    ).strip()
    return {
        "producto": producto,
        "descripcion": descripcion,
        "sigla": sigla_of(descripcion),
        "programado": programado,
        "ejecutado": ejecutado,
        "porcentaje_reportado": reportado,
        "linea_origen": line,
    }
