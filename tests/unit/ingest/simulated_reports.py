"""Simulated SICOIN reports for the catalogue tests, made by editing the text of the real 2024-C1 extract.

SIMULADO: DATOS DE PRUEBA, NO SON CIFRAS DEL IGSS. Each function edits the real extract as a past
year's report could differ from it (another year in the title, two products that trade numbers, a
product renamed); the figures stay those of the real extract, so every arithmetic check still passes.
"""

from __future__ import annotations

from pathlib import Path

from pei_analysis.paths import DATA_DIR

RAW = DATA_DIR / "raw" / "poa_2024_c1_sicoin_ejecucion_fisica.txt"
MARK = " (SIMULADO: DATOS DE PRUEBA, NO SON CIFRAS DEL IGSS)"


def report_of_year(anio: int) -> str:
    """The real extract's text as the same report of *anio* (title and source line), labelled simulated."""
    text = RAW.read_text(encoding="utf-8").replace("2024", str(anio))
    return text.replace("Primer Cuatrimeste", "Primer Cuatrimeste" + MARK, 1)


def _product_line(lines: list[str], number: int) -> int:
    return next(i for i, line in enumerate(lines) if line.startswith(f"{number}\t"))


def swap_numbers(text: str, first: int, second: int) -> str:
    """The two products (of one subprogram, adjacent) trade numbers: their lines trade places, numbers
    stay."""
    lines = text.split("\n")
    i, j = _product_line(lines, first), _product_line(lines, second)
    a, b = lines[i].split("\t", 1)[1], lines[j].split("\t", 1)[1]
    lines[i], lines[j] = f"{first}\t{b}", f"{second}\t{a}"
    return "\n".join(lines)


def rename(text: str, number: int, old: str, new: str) -> str:
    """Product *number* with *old* replaced by *new* in its description."""
    lines = text.split("\n")
    i = _product_line(lines, number)
    assert old in lines[i], (number, old)
    lines[i] = lines[i].replace(old, new)
    return "\n".join(lines)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
