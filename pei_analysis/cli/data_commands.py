"""The commands about ``data/``: validar, importar and deshacer check and change it, plantilla reads it.

Apart from the publishing commands because these change (or check) the tables and nothing else: they call
the ``ingest`` stage, never build a book, and a refusal of theirs leaves every file as it was. Each command
has its parser (``_add_*``) and what it runs (``_cmd_*``), which imports what it calls only when it runs.
"""

from __future__ import annotations

import argparse
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

from pei_analysis.calendar import share_of_year
from pei_analysis.cli.common import add_cuatrimestre, output_folder, print_notices
from pei_analysis.errors import DataError
from pei_analysis.format import fmt_int, fmt_pct

if TYPE_CHECKING:
    import pandas as pd


def add_data_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """The data commands, in the order the help lists them."""
    _add_validar(sub, common)
    _add_importar(sub, common)
    _add_deshacer(sub, common)
    _add_plantilla(sub, common)


def _add_validar(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    validar = sub.add_parser(
        "validar",
        help="valida todos los datos e imprime un resumen",
        parents=[common],
        description="Valida todos los datos de data/ e imprime un resumen.",
    )
    validar.set_defaults(func=_cmd_validar)


def _cmd_validar(args: argparse.Namespace) -> int:
    from pei_analysis.ingest.validation import validate_all

    report = validate_all(args.datos)
    print_notices(report.avisos)
    poa = report.poa
    print("Datos válidos.\n")
    for anio, cuatrimestre in sorted(set(zip(poa["anio"], poa["cuatrimestre"], strict=True))):
        period = poa[(poa["anio"] == anio) & (poa["cuatrimestre"] == cuatrimestre)]
        print(f"POA {anio}, cuatrimestre {cuatrimestre}: {len(period)} productos")
        print("\n".join(program_lines(period)))
    print(textwrap.fill(PACE_NOTE, 100, initial_indent="  ", subsequent_indent="  "))
    annual = report.poa_anual
    for anio in sorted(set(annual["anio"])) if annual is not None else []:
        print(f"POA {anio}, total anual (sin cuatrimestres): {int((annual['anio'] == anio).sum())} productos")
    print(f"\n{history_line(poa, annual)}")
    print("\nVerificaciones superadas:")
    for line in report.checks:
        print(f"  ✓ {line}")
    return 0


#: What the «avance mediano» of each program is, printed once under the tables.
PACE_NOTE = (
    "avance mediano: entre los productos del programa, la mediana de lo ejecutado en el cuatrimestre como "
    f"% de lo programado para el año (un cuatrimestre parejo da {fmt_pct(share_of_year(1))}). No se suman "
    "cifras de productos distintos: unos cuentan consultas, otros raciones o pagos."
)


def program_lines(period: pd.DataFrame) -> list[str]:
    """One line per program of one period's rows: its products, its median progress, those with nothing.

    A sum of programado or ejecutado over a program would add consultas to raciones; the median
    progress is unit-free and shows at a glance an import gone wrong (swapped columns give 300%).
    """
    lines = [f"  {'programa':<58} {'productos':>9} {'avance mediano':>15} {'sin ejecución':>14}"]
    for (codigo, nombre), rows in period.groupby(["programa", "programa_nombre"], sort=True):
        label = f"{codigo} {nombre}" + (" (pagos)" if set(rows["unidad"]) == {"pagos"} else "")
        planned = rows[rows["programado"] > 0]
        pace = (planned["ejecutado"] / planned["programado"] * 100).median() if len(planned) else None
        lines.append(
            f"  {label[:58]:<58} {len(rows):>9} {fmt_pct(pace):>15} {int((rows['ejecutado'] == 0).sum()):>14}"
        )
    return lines


def history_line(poa: pd.DataFrame, annual: pd.DataFrame | None) -> str:
    """What the projection of the last year will stand on: the earlier years the data hold and what each
    has, or, with none, that it rests on the reference series (day one: past reports not loaded yet)."""
    from pei_analysis.chapters.ejecucion_poa import year_labels
    from pei_analysis.model.history import past_years

    last = int(poa["anio"].max())
    years = past_years(poa, last, annual)
    if years.empty:
        return (
            f"Sin años anteriores a {last}: cada proyección del año es lo ejecutado entre la parte del año "
            "que suelen llevar las series públicas de referencia. Para proyectar con la historia propia, "
            "importe los reportes de años pasados (README, «El primer día»)."
        )
    return f"Años anteriores a {last}, el que se proyecta: {', '.join(year_labels(years))}."


def _add_importar(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    importar = sub.add_parser(
        "importar",
        help="importa uno o varios reportes de ejecución física de SICOIN (o plantillas)",
        description="Importa uno o varios reportes de ejecución física de SICOIN (el PDF como lo publica el "
        "IGSS, el libro de Excel del que se imprime, o el texto extraído del PDF) o plantillas de captura, "
        "en cualquier orden (una carpeta vale por todos sus .pdf, .txt, .csv y .xlsx), y "
        "agrega sus períodos a la tabla del POA. El período de cada archivo se lee de su título y de su "
        "pie, y se dice en una línea por archivo. Todo o nada: si un archivo no cuadra, no se importa "
        "ninguno y no cambia nada. Un año pasado al que le falta un cuatrimestre se importa y se avisa que "
        "queda incompleto; de un año pasado del que solo se tiene el total anual, se importa ese total.",
        parents=[common],
    )
    importar.add_argument(
        "archivo",
        metavar="ARCHIVO",
        nargs="+",
        type=Path,
        help="reporte de SICOIN en PDF, su libro de Excel o su texto extraído (.pdf, .xlsx o .txt), "
        "plantilla (.csv o .xlsx) o carpeta",
    )
    _add_importar_period_options(importar)
    _add_importar_guard_options(importar)
    importar.add_argument(
        "--revisar",
        action="store_true",
        help="comprueba los archivos como la importación, sin escribir nada, y lista todo lo que habría "
        "que resolver: cada archivo rechazado, cada cifra fuera de línea con su historia y cada "
        "descripción sin pareja en el catálogo, con la fila propuesta para "
        "data/catalogo/correspondencias.csv; termina con 0 si se importarían y 1 si no",
    )
    importar.set_defaults(func=_cmd_importar)


def _add_importar_period_options(importar: argparse.ArgumentParser) -> None:
    """What period the files are and what their figures count, when the files do not say it."""
    importar.add_argument(
        "--anio",
        type=int,
        default=None,
        metavar="A",
        help="año del reporte, p. ej. 2024 (solo con un archivo; por omisión se lee del archivo)",
    )
    add_cuatrimestre(
        importar, "cuatrimestre del reporte: 1, 2 o 3 (solo con un archivo; por omisión se lee del archivo)"
    )
    importar.add_argument(
        "--anual",
        action="store_true",
        help="los archivos traen el total del año (de enero a diciembre) de un año pasado del "
        "que no se tienen los cuatrimestres; se guardan en poa/poa_anual.csv",
    )
    importar.add_argument(
        "--cifras",
        choices=["periodo", "acumulado"],
        default=None,
        help="si los archivos dan la producción del cuatrimestre (periodo) o la acumulada desde "
        "enero (acumulado); vale para todos. Sin ella se usa lo que diga el pie de cada "
        "reporte («de enero a agosto» es acumulado), y si no lo dice es obligatoria a partir "
        "del cuatrimestre 2",
    )


def _add_importar_guard_options(importar: argparse.ArgumentParser) -> None:
    """The options that let through what the import refuses by default."""
    importar.add_argument(
        "--reemplazar",
        action="store_true",
        help="sustituye un período (o un total anual) si ya está en los datos",
    )
    importar.add_argument(
        "--producto-nuevo",
        action="store_true",
        help="agrega al catálogo (data/catalogo/) como producto nuevo cada producto cuya descripción "
        "no coincide con ninguna del catálogo, en lugar de rechazar el archivo",
    )
    importar.add_argument(
        "--factor-atipicos",
        type=float,
        default=5.0,
        metavar="F",
        help="rechaza un ejecutado F veces mayor o menor que la mediana del producto "
        "(por omisión 5; 0 desactiva la guardia)",
    )


def _import_options(args: argparse.Namespace) -> dict:
    """The options of ``importar`` as the import (and its review) take them."""
    return {
        "anio": args.anio,
        "cuatrimestre": args.cuatrimestre,
        "anual": args.anual,
        "cifras": args.cifras,
        "replace": args.reemplazar,
        "accept_new_products": args.producto_nuevo,
        "outlier_factor": args.factor_atipicos,
        "data_dir": args.datos,
    }


def _file_line(result, verb: str) -> str:
    """«Importado: 36 productos de 2021, cuatrimestre 1 (ejecutado total 1,234)»."""
    period = (
        f"del total anual de {result.anio}"
        if result.cuatrimestre is None
        else f"de {result.anio}, cuatrimestre {result.cuatrimestre}"
    )
    return (
        f"{verb}: {result.productos} productos {period} (ejecutado total {fmt_int(result.ejecutado_total)})"
    )


def _cmd_importar(args: argparse.Namespace) -> int:
    from pei_analysis.ingest.importer import import_files
    from pei_analysis.tables.poa import load_poa, load_poa_annual

    _print_left_out(args.archivo)
    if args.revisar:
        return _cmd_revisar(args)
    batch = import_files(args.archivo, **_import_options(args), on_read=print)
    print_notices(batch.avisos)
    for line in (*batch.repetidos, *batch.catalogo):
        print(line)
    if not batch.archivos:
        print("No había nada nuevo que importar: los datos quedaron como estaban.")
        return 0
    for result in batch.archivos:
        print(f"{_file_line(result, 'Importado')}; original guardado en {result.raw_path}")
    for note in batch.incompletos:
        print(f"  {note}")
    for table in batch.tablas:
        print(f"  tabla actualizada: {table}")
    print(history_line(load_poa(args.datos), load_poa_annual(args.datos)))
    which = (
        "esta importación"
        if len(batch.archivos) == 1
        else f"esta importación (los {len(batch.archivos)} archivos)"
    )
    print(f"  para deshacer {which}: pei-analysis deshacer")
    return 0


def _print_left_out(sources) -> None:
    """Say what the folders named hold that the import leaves out, so a report saved as .docx, or in a
    subfolder, is not missed without a word."""
    from pei_analysis.ingest.batch_reading import left_out

    names = left_out(sources)
    if names:
        print(f"Se deja fuera (no es un reporte ni una plantilla): {', '.join(names)}.")


def _cmd_revisar(args: argparse.Namespace) -> int:
    """``importar --revisar``: what the import would do and everything that stops it; writes nothing."""
    from pei_analysis.ingest.review import review_files

    review = review_files(args.archivo, **_import_options(args))
    batch = review.lote
    for line in (*batch.lecturas, *batch.repetidos, *batch.catalogo):
        print(line)
    if batch.archivos and not review.importable:
        print("Una vez resuelto lo que sigue:")
    for result in batch.archivos:
        print(_file_line(result, "Se importaría"))
    for note in batch.incompletos:
        print(f"  {note}")
    for table in batch.tablas if review.importable else ():  # (unsettled products would add to the catalogue)
        print(f"  tabla que cambiaría: {table}")
    if review.sin_pareja:
        count = len(review.sin_pareja)
        print(
            f"{count} {'descripción' if count == 1 else 'descripciones'} que el catálogo de productos no "
            "reconoce (no coinciden con ninguna, o coinciden con más de una):"
        )
        for item in review.sin_pareja:
            print(f"  {item.where()}: {item.producto} ({item.hint})")
        print(
            "Filas propuestas para data/catalogo/correspondencias.csv; revise la clave de cada una (la del "
            "producto que es; «nuevo» si es un producto nuevo; CLAVE, elíjala) y agréguelas:"
        )
        for item in review.sin_pareja:
            print(f"  {item.fila}")
    for error in review.errores:
        print(f"Error: {error}")
    if review.importable:
        print("Revisión: los archivos se importarían con la misma orden sin --revisar. No se escribió nada.")
        return 0
    print("Revisión: así no se importaría ningún archivo; resuelva lo de arriba. No se escribió nada.")
    return 1


def _add_deshacer(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    deshacer = sub.add_parser(
        "deshacer",
        help="deshace la última importación (todos sus archivos)",
        parents=[common],
        description="Restaura las tablas del POA como estaban antes de la última importación "
        "y retira los originales que esa importación agregó a data/raw/. Una importación "
        "de varios archivos se deshace entera.",
    )
    deshacer.set_defaults(func=_cmd_deshacer)


def _cmd_deshacer(args: argparse.Namespace) -> int:
    from pei_analysis.ingest.batch_writing import undo_last_import
    from pei_analysis.ingest.journal import describe

    record = undo_last_import(args.datos)
    print_notices(record["avisos"])
    print(f"Deshecha la importación de {describe(record)} ({record['fecha']}).")
    for name in record["originales_agregados"]:
        print(f"  se retiró data/raw/{name}")
    return 0


def _add_plantilla(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    plantilla = sub.add_parser(
        "plantilla",
        help="escribe una plantilla de captura (CSV y XLSX) para un período",
        description="Escribe una plantilla de captura (CSV y XLSX, una fila por producto) con los productos "
        "y el programado del último período de los datos, para completar «ejecutado» a mano.",
        parents=[common],
    )
    plantilla.add_argument("--anio", type=int, required=True, metavar="A", help="año de la plantilla")
    add_cuatrimestre(plantilla, "cuatrimestre de la plantilla: 1, 2 o 3")
    plantilla.add_argument(
        "--anual",
        action="store_true",
        help="plantilla del total de un año pasado (columna «ejecutado en el año»), en lugar "
        "de un cuatrimestre",
    )
    plantilla.add_argument(
        "--salida",
        type=Path,
        default=Path("."),
        metavar="CARPETA",
        help="carpeta donde escribir la plantilla (por omisión, la actual)",
    )
    plantilla.set_defaults(func=_cmd_plantilla)


def _cmd_plantilla(args: argparse.Namespace) -> int:
    from pei_analysis.calendar import check_annual_year, check_import_period
    from pei_analysis.ingest.template import template_source, write_template
    from pei_analysis.tables.poa import load_poa, periods

    if args.anual == (args.cuatrimestre is not None):
        raise DataError(
            "indique --cuatrimestre C, o --anual para una plantilla con el total del año (no ambos).",
            field="--cuatrimestre",
        )
    if args.anual:
        check_annual_year(args.anio)
    else:
        check_import_period(args.anio, args.cuatrimestre)
    output_folder(args.salida, "--salida")
    table = load_poa(args.datos)
    if table.empty:
        raise DataError(
            "la tabla del POA no tiene ningún período del que tomar los productos: importe uno primero."
        )
    anio, cuatrimestre = template_source(periods(table), args.anio)
    latest = table[(table["anio"] == anio) & (table["cuatrimestre"] == cuatrimestre)]
    if not args.anual and (args.anio, args.cuatrimestre) in periods(table):
        print(
            f"{args.anio}, cuatrimestre {args.cuatrimestre} ya está en los datos: la plantilla sirve para "
            "corregirlo, importándola con --reemplazar."
        )
    # The goals of a year are its own: another year's template leaves them for the analyst to type.
    same_year = args.anio == anio and not args.anual
    csv_path, xlsx_path = write_template(
        latest, args.anio, args.cuatrimestre, args.salida, with_programado=same_year
    )
    what = "total anual" if args.anual else f"cuatrimestre {args.cuatrimestre}"
    taken = f"programado de {anio}, cuatrimestre {cuatrimestre}" if same_year else "programado vacío"
    print(f"Plantilla de {args.anio}, {what} ({len(latest)} productos de {anio}, {taken}):")
    print(f"  {csv_path}\n  {xlsx_path}")
    figure = "«ejecutado en el año» (el total de enero a diciembre)" if args.anual else "«ejecutado»"
    then = "pei-analysis importar ARCHIVO" + ("" if args.anual else " --cifras periodo")
    if same_year:
        print(f"Complete la columna {figure} y luego: {then}")
    else:
        goals = f"«programado anual vigente» (la meta de {args.anio}, la de su POA)"
        print(f"Complete las columnas {figure} y {goals}, y luego: {then}")
        print(
            f"  Los productos son los de {anio}: quite los que {args.anio} no tenía y agregue los que le "
            "faltan, con la descripción de su reporte."
        )
    return 0
