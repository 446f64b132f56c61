"""La comprobación de #19 con años anteriores SIMULADOS: importar nueve reportes y proyectar 2024-C1.

    .venv/bin/python -m evaluation.history_check [--carpeta CARPETA]

From a copy of data/ (the real 2024-C1 report), nine simulated past reports (2021-2023 × three
cuatrimestres, products 9 and 10 trading numbers in 2022: :mod:`evaluation.simulated_reports`,
DATOS SIMULADOS) are imported in one call of the command line, as an analyst would on day one;
then the 2024-C1 edition projects each product from that history. The simulated profile puts 30 %
of the year in the first cuatrimestre, so the right 2024 total is known (``c1 / 0.30``) and the
pace so far ×3 is 10 % low. Done when at least 80 % of the products are within 3 % of their right
total and the two swapped products kept their own series (their 2022 figures are their own, and
their projections are those of a run without the swap). Exit code 1 when either fails.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from evaluation.report_pdf import extract_to_pdf
from evaluation.report_sheet import extract_to_xlsx
from evaluation.simulated_reports import (
    Simulation,
    real_products,
    right_totals,
    simulated_history,
    write_reports,
)
from pei_analysis import cli_es
from pei_analysis.files import LOCK_NAME
from pei_analysis.ingest.journal import JOURNAL_DIR
from pei_analysis.paths import DATA_DIR

#: The done-check's target: share of products within :data:`TOLERANCE` of their right total.
TARGET_SHARE = 0.80
TOLERANCE = 0.03
EDITION = (2024, 1)
#: The nine reports of the check: products 9 and 10 (subprogram 04, accidentes) trade numbers in 2022.
SWAP = (2022, 9, 10)
CHECK = Simulation(swaps=(SWAP,))


@dataclass
class CheckResult:
    """The per-product comparison and the summary figures the check prints and judges."""

    table: pd.DataFrame
    share_within: float
    pace_median_error: float
    identity_ok: bool
    identity_notes: list[str]

    @property
    def passed(self) -> bool:
        return self.share_within >= TARGET_SHARE and self.identity_ok


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pei_analysis", *args], check=False, capture_output=True, text=True
    )


def import_reports(files: list[Path], datos: Path, cifras: str) -> str:
    """Import *files* into *datos* in ONE call of ``pei-analysis importar``; return what it printed.

    The period of each file is read from its title and footer, as an analyst's day one would; a
    refusal is a failure of the check.
    """
    done = _cli("importar", *map(str, files), "--cifras", cifras, "--datos", str(datos))
    if done.returncode != 0:
        raise RuntimeError(f"la importación en una orden fue rechazada:\n{done.stderr}")
    return done.stdout


#: The forms a report can be imported in: the text extract, the PDF IGSS publishes, the workbook it is
#: printed from; each drawn from the extract (evaluation/report_pdf.py, evaluation/report_sheet.py).
FORMS = {"txt": None, "pdf": extract_to_pdf, "xlsx": extract_to_xlsx}


def build_history(
    sim: Simulation, folder: Path, source: Path = DATA_DIR, *, form: str = "txt"
) -> tuple[Path, str]:
    """Copy *source* (data/) to ``folder/datos``, write the simulated reports to ``folder/bandeja`` (in
    *form*: «txt», the extracts; «pdf» or «xlsx», drawn from each extract) and import them all; return the
    data folder and what the import printed."""
    datos = folder / "datos"
    shutil.copytree(source, datos, ignore=shutil.ignore_patterns(LOCK_NAME, JOURNAL_DIR))
    files = write_reports(sim, folder / "bandeja")
    if FORMS[form] is not None:
        files = [_drawn(path, form) for path in files]
    return datos, import_reports(files, datos, sim.cifras)


def _drawn(extract: Path, form: str) -> Path:
    """The report *extract* drawn in *form* beside it, which replaces it."""
    target = extract.with_suffix(f".{form}")
    target.write_bytes(FORMS[form](extract.read_text(encoding="utf-8")))
    extract.unlink()
    return target


def edition_projections(datos: Path) -> pd.DataFrame:
    """The 2024-C1 edition's products with their projection, as the book computes them from *datos*."""
    from pei_analysis.model.edition import projection_table
    from pei_analysis.tables.poa import load_poa

    return projection_table(load_poa(datos), *EDITION)


def compare(projected: pd.DataFrame, truth: pd.DataFrame) -> pd.DataFrame:
    """Per product: right total, projection, pace ×3, method and relative errors (matched by description)."""
    table = truth.merge(
        projected[["descripcion", "ejecutado_acumulado", "proyeccion", "metodo"]],
        on="descripcion",
        how="left",
        validate="one_to_one",
    )
    table["ritmo_x3"] = table["ejecutado_acumulado"] * 3.0
    with np.errstate(divide="ignore", invalid="ignore"):
        table["error"] = table["proyeccion"] / table["total_correcto"] - 1
        table["error_ritmo"] = table["ritmo_x3"] / table["total_correcto"] - 1
    table["dentro_3"] = table["error"].abs() <= TOLERANCE
    return table


def series_identity(datos: Path, sim: Simulation, history: pd.DataFrame) -> list[str]:
    """For each swapped pair, whether the series under each product's key holds its own figures in the
    swap year; returns one line per product that does not (empty when both kept their series)."""
    from pei_analysis.tables.poa import PRODUCT_KEY, load_poa

    poa = load_poa(datos)
    problems = []
    for anio, *pair in sim.swaps:
        for producto in pair:
            descripcion = history.loc[history["clave"] == str(producto), "descripcion"].iloc[0]
            key = poa.loc[
                (poa["anio"] == EDITION[0]) & (poa["descripcion"] == descripcion), PRODUCT_KEY
            ].iloc[0]
            got = poa[(poa[PRODUCT_KEY] == key) & (poa["anio"] == anio)].sort_values("cuatrimestre")[
                "ejecutado"
            ]
            want = history[(history["clave"] == str(producto)) & (history["anio"] == anio)]["ejecutado"]
            if list(got) != list(want):
                problems.append(
                    f"producto {producto} de 2024: su serie en {anio} es {list(got)} y debía ser "
                    f"{list(want)} (se mezcló con la del otro producto)."
                )
    return problems


def run_check(
    sim: Simulation, folder: Path, source: Path = DATA_DIR, *, reference: bool = True, form: str = "txt"
) -> CheckResult:
    """The whole check in *folder*: import (the reports in *form*, see :data:`FORMS`), project, compare;
    with *reference*, also a run without the swap."""
    datos, printed = build_history(sim, folder / "con_intercambio", source, form=form)
    print(printed)
    real = real_products(source / "raw" / "poa_2024_c1_sicoin_ejecucion_fisica.txt")
    table = compare(edition_projections(datos), right_totals(sim, real))
    notes = series_identity(datos, sim, simulated_history(sim, real))
    if reference and sim.swaps:
        plain = replace(sim, swaps=())
        datos_plain, _ = build_history(plain, folder / "sin_intercambio", source)
        notes += _same_projections(table, edition_projections(datos_plain), sim)
    measured = table[table["medible"]]
    return CheckResult(
        table=table,
        share_within=float(measured["dentro_3"].mean()),
        pace_median_error=float(measured["error_ritmo"].median()),
        identity_ok=not notes,
        identity_notes=notes,
    )


def _same_projections(table: pd.DataFrame, plain: pd.DataFrame, sim: Simulation) -> list[str]:
    """The swapped products' projections against the run without the swap: equal when they kept their
    series."""
    problems = []
    plain = plain.set_index("descripcion")["proyeccion"]
    for _, *pair in sim.swaps:
        for producto in pair:
            row = table[table["producto"] == producto].iloc[0]
            other = float(plain[row["descripcion"]])
            if not np.isclose(row["proyeccion"], other, rtol=1e-9):
                problems.append(
                    f"producto {producto} de 2024: proyección {row['proyeccion']:,.0f} con el "
                    f"intercambio y {other:,.0f} sin él."
                )
    return problems


def print_report(result: CheckResult) -> None:
    """The per-product table and the summary, in Spanish; the figures are SIMULATED past years."""
    print("\nProyección de 2024-C1 desde años anteriores SIMULADOS (no son cifras del IGSS)")
    print(
        f"{'prod':>4} {'total correcto':>15} {'proyección':>12} {'ritmo ×3':>12} {'error':>8} "
        f"{'ritmo':>8} {'método':<18} ±3%"
    )
    for r in result.table.itertuples():
        mark = ("sí" if r.dentro_3 else "NO") if r.medible else "no se mide (nada en c1)"
        print(
            f"{r.producto:>4} {r.total_correcto:>15,.0f} {r.proyeccion:>12,.0f} {r.ritmo_x3:>12,.0f} "
            f"{_pct(r.error):>8} {_pct(r.error_ritmo):>8} {r.metodo:<18} {mark}"
        )
    measured = result.table[result.table["medible"]]
    print(
        f"\nDentro de ±3% del total correcto: {int(measured['dentro_3'].sum())} de {len(measured)} "
        f"productos ({result.share_within:.0%}; meta ≥ {TARGET_SHARE:.0%})."
    )
    print(f"Error mediano del ritmo ×3: {_pct(result.pace_median_error)} (por construcción ≈ −10%).")
    print(f"Error mediano de la proyección: {_pct(measured['error'].median())}.")
    if result.identity_ok:
        print("Los productos intercambiados conservaron cada uno su serie.")
    for note in result.identity_notes:
        print(f"Identidad: {note}")
    print("CUMPLE" if result.passed else "NO CUMPLE")


def _pct(x: float) -> str:
    return "—" if not np.isfinite(x) else f"{x * 100:+.1f}%"


def main(argv: list[str] | None = None) -> int:
    cli_es.install()
    parser = argparse.ArgumentParser(
        prog="python -m evaluation.history_check",
        description="Importa nueve reportes SIMULADOS de 2021-2023 en una orden sobre una copia de data/ y "
        "comprueba que la edición 2024-C1 proyecta cada producto desde su historia (±3% en al menos el 80% "
        "de los productos). Sale con código 1 si no cumple.",
    )
    parser.add_argument(
        "--carpeta",
        type=Path,
        default=None,
        metavar="CARPETA",
        help="carpeta de trabajo que se conserva (por omisión, una temporal que se borra)",
    )
    parser.add_argument(
        "--cifras",
        choices=["periodo", "acumulado"],
        default="periodo",
        help="si los reportes simulados dan la producción del cuatrimestre (por omisión) o la "
        "acumulada desde enero",
    )
    parser.add_argument(
        "--semilla",
        type=int,
        default=CHECK.seed,
        metavar="N",
        help=f"semilla del ruido de la simulación (por omisión {CHECK.seed})",
    )
    form = parser.add_mutually_exclusive_group()
    form.add_argument(
        "--pdf",
        action="store_const",
        const="pdf",
        dest="formato",
        default="txt",
        help="los reportes simulados como PDF, la forma en que el IGSS los publica (tablas dibujadas desde "
        "cada extracto por evaluation/report_pdf.py), en vez del texto extraído",
    )
    form.add_argument(
        "--xlsx",
        action="store_const",
        const="xlsx",
        dest="formato",
        help="los reportes simulados como libros de Excel, la tabla de la que se imprime el PDF (dibujados "
        "desde cada extracto por evaluation/report_sheet.py)",
    )
    args = parser.parse_args(argv)
    sim = replace(CHECK, cifras=args.cifras, seed=args.semilla)
    if args.carpeta is not None:
        args.carpeta.mkdir(parents=True, exist_ok=True)
        kept = Path(tempfile.mkdtemp(prefix="historia_", dir=args.carpeta))
        result = run_check(sim, kept, form=args.formato)
    else:
        with tempfile.TemporaryDirectory(prefix="historia_") as tmp:
            result = run_check(sim, Path(tmp), form=args.formato)
    print_report(result)
    if args.carpeta is not None:
        folder = kept / "con_intercambio"
        print(
            f"\nSe conservan los reportes simulados en {folder / 'bandeja'} y la copia de los datos con "
            f"ellos en {folder / 'datos'} (su libro: pei-analysis --datos {folder / 'datos'} vista). data/ "
            "del repositorio los rechaza: no son cifras del IGSS."
        )
    return 0 if result.passed else 1


if __name__ == "__main__":
    sys.exit(main())
