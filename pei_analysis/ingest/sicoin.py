"""Importador del «Reporte Analítico de Ejecución Física» de SICOIN (texto extraído del PDF).

The PDF reaches us as a tab-separated text extract with the extraction's noise left in:
page headers repeated at every page break, subprogram subtotal lines mangled ("02 <i>A</i>",
"04 /", a name cut and glued to its figure), trailing empty cells. The importer reads it
line by line, keeps the source line of every figure, and refuses the whole file at the first
figure that does not add up, because a wrong number published without warning is the worst
outcome for the readers.

Checks performed (each refusal raises :class:`~pei_analysis.errors.DataError`):

- every line is recognised (header, program, subprogram subtotal, product or footer);
- products are numbered 1, 2, 3, ... with no gap and no repetition;
- figures are whole, non-negative numbers;
- each reported percentage equals ejecutado / programado × 100 to the report's rounding;
- each subprogram subtotal equals the sum of the ejecutado of its products;
- the period stated in the report's title agrees with the one the analyst gives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pei_analysis.errors import DataError
from pei_analysis.files import read_text

#: Columns of the tidy table, in order.
COLUMNS = [
    "anio",
    "cuatrimestre",
    "programa",
    "programa_nombre",
    "subprograma",
    "subprograma_nombre",
    "producto",
    "descripcion",
    "sigla",
    "unidad",
    "programado",
    "ejecutado",
    "porcentaje_reportado",
    "archivo_origen",
    "linea_origen",
]

#: Half a unit of the report's last decimal, plus room for binary floating point.
PERCENT_TOLERANCE = 0.005 + 1e-9

_ORDINALS = {"PRIMER": 1, "SEGUNDO": 2, "TERCER": 3}
_PERIOD_RE = re.compile(r"\b(PRIMER|SEGUNDO|TERCER)\s+CUATRIMES?TRE\s+(\d{4})\b", re.IGNORECASE)
_PROGRAM_RE = re.compile(r"PROGRAMA:\s*(\d{1,3})\s+(.+)$", re.IGNORECASE)
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


@dataclass
class _Subprogram:
    programa: str
    codigo: str
    nombre: str
    subtotal: int
    linea: int
    productos: list[dict] = field(default_factory=list)



def _parse_int(text: str, *, path: Path, line: int, field: str) -> int:
    value = text.strip()
    if not _NUMBER_RE.match(value):
        raise DataError(
            f"se esperaba un número entero no negativo (por ejemplo 1,367,720) y se encontró «{value}».",
            path=path,
            line=line,
            field=field,
        )
    return int(value.replace(",", ""))


def _parse_percent(text: str, *, path: Path, line: int, field: str) -> float:
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


def _cells(line: str) -> list[str]:
    cells = [c.strip() for c in line.split("\t")]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _is_header(cells: list[str]) -> bool:
    upper = " ".join(cells).upper()
    if cells and cells[0].rstrip(".").upper() == "NO" and len(cells) == 1:
        return True
    if any(_NUMBER_RE.match(c) for c in cells):
        return False
    return any(marker in upper for marker in _HEADER_MARKERS)


def _clean_name(text: str) -> str:
    """Strip the extraction's debris around a subprogram name: tags, leading codes, a glued figure."""
    text = re.sub(r"<[^>]*>", " ", text)
    text = _TRAILING_NUMBER_RE.sub("", text.strip())
    text = re.sub(r"^[^A-Za-zÁÉÍÓÚÑáéíóúñ]+", "", text)
    return re.sub(r"\s+", " ", text).strip()


def _parse_subtotal(cells: list[str], *, path: Path, line: int, programa: str) -> _Subprogram:
    codigo = cells[0][:2]
    rest_of_first = cells[0][2:]
    candidates = [rest_of_first, *cells[1:]]
    names = [_clean_name(c) for c in candidates]
    names = [n for n in names if len(n.split()) >= 2 or len(n) > 3]
    if not names:
        raise DataError(
            f"no se encuentra el nombre del subprograma {codigo}.", path=path, line=line, field="subprograma"
        )
    nombre = max(names, key=len)
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
        subtotal = int(last.replace(",", ""))
    else:
        glued = _TRAILING_NUMBER_RE.search(last)
        if not glued:
            raise DataError(
                f"el subtotal del subprograma {codigo} ({nombre}) no trae cifra legible: «{last}».",
                path=path,
                line=line,
                field="subtotal",
            )
        subtotal = int(glued.group(1).replace(",", ""))
    return _Subprogram(programa=programa, codigo=codigo, nombre=nombre, subtotal=subtotal, linea=line)


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


def _parse_product(cells: list[str], *, path: Path, line: int) -> dict:
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
    programado = _parse_int(programado_txt, path=path, line=line, field=f"programado (producto {producto})")
    ejecutado = _parse_int(ejecutado_txt, path=path, line=line, field=f"ejecutado (producto {producto})")
    reportado = _parse_percent(pct_txt, path=path, line=line, field=f"% de avance (producto {producto})")
    descripcion = re.sub(r"\s+", " ", descripcion).strip()
    sigla_match = _SIGLA_RE.search(descripcion)
    if programado == 0:
        if ejecutado != 0 or reportado != 0:
            raise DataError(
                f"producto {producto}: programado es 0 pero el reporte da ejecutado {ejecutado:,} "
                f"y {reportado:.2f}%.",
                path=path,
                line=line,
                field="programado",
            )
        calculado = 0.0
    else:
        calculado = ejecutado / programado * 100
    if abs(calculado - reportado) > PERCENT_TOLERANCE:
        raise DataError(
            f"producto {producto}: el reporte dice {reportado:.2f}% pero ejecutado/programado = "
            f"{ejecutado:,}/{programado:,} = {calculado:.2f}%.",
            path=path,
            line=line,
            field="% de avance",
        )
    return {
        "producto": producto,
        "descripcion": descripcion,
        "sigla": sigla_match.group(1) if sigla_match else None,
        "programado": programado,
        "ejecutado": ejecutado,
        "porcentaje_reportado": reportado,
        "linea_origen": line,
    }


def parse(path: str | Path, anio: int | None = None, cuatrimestre: int | None = None) -> pd.DataFrame:
    """Parse a SICOIN physical-execution extract into the tidy table (one row per product).

    ``anio`` and ``cuatrimestre`` default to the period stated in the report's title; when given,
    they must agree with it. Raises :class:`DataError` (nothing is written anywhere) at the first
    check that fails.
    """
    path = Path(path)
    text = read_text(path)
    lines = text.split("\n")

    periodo: tuple[int, int] | None = None
    unidad_pendiente = "producción"
    programa: str | None = None
    programa_nombre: dict[str, str] = {}
    unidad_programa: dict[str, str] = {}
    subprogramas: list[_Subprogram] = []
    actual: _Subprogram | None = None
    vistos: dict[int, int] = {}

    for numero_linea, line in enumerate(lines, start=1):
        cells = _cells(line)
        if not cells:
            continue
        joined = " ".join(cells)
        if periodo is None and (m := _PERIOD_RE.search(joined)):
            periodo = (int(m.group(2)), _ORDINALS[m.group(1).upper()])
        if joined.lower().startswith("fuente:"):
            continue
        if m := _PROGRAM_RE.search(joined):
            codigo, nombre = m.group(1).zfill(2), re.sub(r"\s+", " ", m.group(2)).strip()
            if codigo != programa:
                if codigo in programa_nombre:
                    raise DataError(
                        f"el programa {codigo} aparece de nuevo después de otro programa.",
                        path=path,
                        line=numero_linea,
                        field="programa",
                    )
                programa_nombre[codigo] = nombre
                unidad_programa[codigo] = unidad_pendiente
                programa = codigo
                actual = None
            continue
        if _is_header(cells):
            upper = joined.upper()
            if "PAGOS" in upper:
                unidad_pendiente = "pagos"
            elif "PRODUCCI" in upper or "PROGRAMACI" in upper:
                unidad_pendiente = "producción"
            continue
        if _looks_like_product(cells):
            fila = _parse_product([c for c in cells if c], path=path, line=numero_linea)
            if actual is None:
                raise DataError(
                    f"el producto {fila['producto']} aparece antes de su programa o subprograma.",
                    path=path,
                    line=numero_linea,
                    field="producto",
                )
            if fila["producto"] in vistos:
                raise DataError(
                    f"el producto {fila['producto']} está repetido (ya aparece en la línea "
                    f"{vistos[fila['producto']]}).",
                    path=path,
                    line=numero_linea,
                    field="producto",
                )
            esperado = len(vistos) + 1
            if fila["producto"] != esperado:
                raise DataError(
                    f"se esperaba el producto {esperado} y aparece el {fila['producto']}: "
                    f"falta el producto {esperado} o el orden está alterado.",
                    path=path,
                    line=numero_linea,
                    field="producto",
                )
            vistos[fila["producto"]] = numero_linea
            actual.productos.append(fila)
            continue
        if re.match(r"^\d{2}(\D|$)", cells[0]):
            if programa is None:
                raise DataError(
                    "aparece un subtotal de subprograma antes de cualquier «PROGRAMA:».",
                    path=path,
                    line=numero_linea,
                    field="subprograma",
                )
            nuevo = _parse_subtotal(cells, path=path, line=numero_linea, programa=programa)
            if any(s.programa == programa and s.codigo == nuevo.codigo for s in subprogramas):
                raise DataError(
                    f"el subprograma {nuevo.codigo} del programa {programa} aparece dos veces.",
                    path=path,
                    line=numero_linea,
                    field="subprograma",
                )
            subprogramas.append(nuevo)
            actual = nuevo
            continue
        raise DataError(
            f"no se reconoce la línea «{joined[:80]}»: no es encabezado, programa, subtotal ni producto.",
            path=path,
            line=numero_linea,
        )

    if not vistos:
        raise DataError("el archivo no contiene ningún producto: ¿es un reporte de ejecución física de SICOIN?",
                        path=path)
    for sub in subprogramas:
        suma = sum(p["ejecutado"] for p in sub.productos)
        if not sub.productos:
            raise DataError(
                f"el subprograma {sub.codigo} ({sub.nombre}) del programa {sub.programa} no tiene productos.",
                path=path,
                line=sub.linea,
                field="subtotal",
            )
        if suma != sub.subtotal:
            productos = ", ".join(str(p["producto"]) for p in sub.productos)
            raise DataError(
                f"el subtotal del subprograma {sub.codigo} ({sub.nombre}) es {sub.subtotal:,} pero sus "
                f"productos ({productos}) suman {suma:,}.",
                path=path,
                line=sub.linea,
                field="subtotal",
            )

    anio, cuatrimestre = _resolve_period(periodo, anio, cuatrimestre, path=path)
    rows = []
    for sub in subprogramas:
        for p in sub.productos:
            rows.append(
                {
                    "anio": anio,
                    "cuatrimestre": cuatrimestre,
                    "programa": sub.programa,
                    "programa_nombre": programa_nombre[sub.programa],
                    "subprograma": sub.codigo,
                    "subprograma_nombre": sub.nombre,
                    "unidad": unidad_programa[sub.programa],
                    "archivo_origen": path.name,
                    **p,
                }
            )
    table = pd.DataFrame(rows)[COLUMNS]
    return table.sort_values("producto", kind="stable").reset_index(drop=True)


def _resolve_period(
    periodo: tuple[int, int] | None, anio: int | None, cuatrimestre: int | None, *, path: Path
) -> tuple[int, int]:
    if periodo is None:
        if anio is None or cuatrimestre is None:
            raise DataError(
                "el título del reporte no indica el período (p. ej. «PRIMER CUATRIMESTRE 2024»): "
                "indique --anio y --cuatrimestre.",
                path=path,
                field="periodo",
            )
        return int(anio), int(cuatrimestre)
    if anio is not None and int(anio) != periodo[0]:
        raise DataError(
            f"el reporte es del año {periodo[0]} y se indicó --anio {anio}.", path=path, field="anio"
        )
    if cuatrimestre is not None and int(cuatrimestre) != periodo[1]:
        raise DataError(
            f"el reporte es del cuatrimestre {periodo[1]} y se indicó --cuatrimestre {cuatrimestre}.",
            path=path,
            field="cuatrimestre",
        )
    return periodo
