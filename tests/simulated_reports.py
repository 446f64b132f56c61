"""SIMULATED SICOIN reports of past years, built by editing the real 2024-C1 extract (never put in data/).

Each report keeps the real extract's layout (page headers, mangled subtotal lines, the title's
«Cuatrimeste» typo) and replaces its figures by simulated ones: every product's ejecutado is the real
2024-C1 figure times a growth per year and a share per cuatrimestre, and the percentages and the
subprogram subtotals are recomputed so the report adds up. The title says SIMULADO: these are not
figures of the IGSS.
"""

from __future__ import annotations

import re
from pathlib import Path

from pei_analysis.ingest import sicoin
from tests.conftest import RAW_POA

REAL = RAW_POA.read_text(encoding="utf-8")
ORDINAL = {1: "Primer", 2: "Segundo", 3: "Tercer"}
SPAN = {1: "de enero a abril", 2: "de mayo a agosto", 3: "de septiembre a diciembre"}
CUMULATIVE_SPAN = {1: "de enero a abril", 2: "de enero a agosto", 3: "de enero a diciembre"}
#: Simulated share of each cuatrimestre relative to the first (a known within-year profile).
SHARE = {1: 1.00, 2: 1.06, 3: 1.10}
LABEL = "(SIMULADO, NO SON CIFRAS DEL IGSS)"


def _real_report():
    return sicoin._read_report(RAW_POA)


def period_figures(anio: int, cuatrimestre: int) -> dict[int, int]:
    """The simulated ejecutado of every product in that cuatrimestre: real 2024-C1 × growth × share."""
    growth = 1 + 0.03 * (anio - 2021)
    figures = {}
    for sub in _real_report().subprogramas:
        for product in sub.productos:
            figures[product["producto"]] = round(product["ejecutado"] * growth * SHARE[cuatrimestre])
    return figures


def cumulative_figures(anio: int, cuatrimestre: int) -> dict[int, int]:
    """January to the end of the cuatrimestre: the sum of the period figures so far."""
    parts = [period_figures(anio, c) for c in range(1, cuatrimestre + 1)]
    return {p: sum(part[p] for part in parts) for p in parts[0]}


def report_text(
    anio: int,
    cuatrimestre: int | None,
    *,
    figures: dict[int, int] | None = None,
    cumulative: bool = False,
    title: str | None = None,
    header: str | None = None,
    footer: str | None = None,
) -> str:
    """A simulated extract of *anio* and *cuatrimestre* (None: an annual report, the year's total).

    *title*, *header* and *footer* replace what the title states after «(POA)», the column header's
    period and the footer's span («» leaves nothing there); by default they say the period.
    """
    if figures is None:
        if cuatrimestre is None:
            figures = cumulative_figures(anio, 3)
        else:
            figures = (cumulative_figures if cumulative else period_figures)(anio, cuatrimestre)
    if title is None:
        title = f"{anio} {ORDINAL[cuatrimestre]} Cuatrimeste" if cuatrimestre else f"{anio}"
    if header is None:
        header = f"{ORDINAL[cuatrimestre].upper()} CUATRIMESTRE {anio}" if cuatrimestre else f"AÑO {anio}"
    if footer is None:
        span = (CUMULATIVE_SPAN if cumulative or cuatrimestre is None else SPAN)[cuatrimestre or 3]
        footer = f"({span} {anio})"
    lines = _with_figures(REAL.split("\n"), figures)
    text = "\n".join(lines)
    text = text.replace("(POA) 2024 Primer Cuatrimeste", f"(POA) {title} {LABEL}".replace("  ", " "))
    text = text.replace("PRIMER CUATRIMESTRE 2024", header)
    return text.replace("(de enero a abril 2024)", footer)


def _with_figures(lines: list[str], figures: dict[int, int]) -> list[str]:
    """The extract's lines with each product's ejecutado, its percentage and each subtotal recomputed."""
    lines = list(lines)
    for sub in _real_report().subprogramas:
        total = 0
        for product in sub.productos:
            number = product["linea_origen"] - 1
            executed = figures[product["producto"]]
            total += executed
            lines[number] = _product_line(lines[number], product, executed)
        number = sub.linea - 1
        old = f"{sub.subtotal:,}"
        matches = list(re.finditer(rf"(?<![\d,]){re.escape(old)}(?![\d,])", lines[number]))
        last = matches[-1]
        lines[number] = lines[number][: last.start()] + f"{total:,}" + lines[number][last.end() :]
    return lines


def _product_line(line: str, product: dict, executed: int) -> str:
    cells = line.split("\t")
    filled = [i for i, cell in enumerate(cells) if cell.strip()]
    programado = product["programado"]
    percent = executed / programado * 100 if programado else 0.0
    cells[filled[3]] = f"{executed:,}"
    cells[filled[4]] = f"{percent:.2f}%"
    return "\t".join(cells)


def write_report(folder: Path, name: str, anio: int, cuatrimestre: int | None, **options) -> Path:
    """Write a simulated report as *name* in *folder* and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(report_text(anio, cuatrimestre, **options), encoding="utf-8")
    return path


def nine_reports(folder: Path, years=(2021, 2022, 2023), **options) -> list[Path]:
    """Three past years × three cuatrimestres of simulated reports, named as an analyst would."""
    return [
        write_report(folder, f"poa_{anio}_c{c}.txt", anio, c, **options) for anio in years for c in (1, 2, 3)
    ]
