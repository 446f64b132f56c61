"""La línea de órdenes ``pei-analysis`` (también ``python -m pei_analysis``), en español.

Every command catches the project's DataError and prints its one-line Spanish message, exit
code 2; a traceback is shown only with ``--debug``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from pei_analysis import cli_es
from pei_analysis.errors import DataError
from pei_analysis.format import fmt_int

Command = Callable[[argparse.Namespace], int]


def _cmd_validar(args: argparse.Namespace) -> int:
    from pei_analysis.ingest.validation import validate_all

    report = validate_all(args.datos)
    poa = report.poa
    print("Datos válidos.\n")
    for anio, cuatrimestre in sorted(set(zip(poa["anio"], poa["cuatrimestre"], strict=True))):
        period = poa[(poa["anio"] == anio) & (poa["cuatrimestre"] == cuatrimestre)]
        print(f"POA {anio}, cuatrimestre {cuatrimestre}: {len(period)} productos")
        grouped = period.groupby(["programa", "programa_nombre", "unidad"], sort=True)
        print(f"  {'programa':<62} {'productos':>9} {'programado':>12} {'ejecutado':>12}")
        for (codigo, nombre, unidad), rows in grouped:
            label = f"{codigo} {nombre}" + (" (pagos)" if unidad == "pagos" else "")
            print(
                f"  {label[:62]:<62} {len(rows):>9} {fmt_int(rows['programado'].sum()):>12} "
                f"{fmt_int(rows['ejecutado'].sum()):>12}"
            )
    print("\nVerificaciones superadas:")
    for line in report.checks:
        print(f"  ✓ {line}")
    return 0


def _cmd_importar(args: argparse.Namespace) -> int:
    from pei_analysis.ingest.importer import import_file

    result = import_file(
        Path(args.archivo),
        anio=args.anio,
        cuatrimestre=args.cuatrimestre,
        cifras=args.cifras,
        replace=args.reemplazar,
        accept_catalogue_changes=args.aceptar_cambios_de_catalogo,
        outlier_factor=args.factor_atipicos,
        data_dir=args.datos,
    )
    print(
        f"Importado: {result.productos} productos de {result.anio}, cuatrimestre {result.cuatrimestre} "
        f"(ejecutado total {fmt_int(result.ejecutado_total)})."
    )
    print(f"  original guardado en {result.raw_path}")
    print(f"  tabla actualizada: {result.table_path}")
    print("  para deshacer esta importación: pei-analysis deshacer")
    return 0


def _cmd_deshacer(args: argparse.Namespace) -> int:
    from pei_analysis.ingest.importer import undo_last_import

    record = undo_last_import(args.datos)
    anio, cuatrimestre = record["periodo"]
    print(f"Deshecha la importación de {anio}, cuatrimestre {cuatrimestre} ({record['fecha']}).")
    if record.get("original_agregado"):
        print(f"  se retiró data/raw/{record['original_agregado']}")
    return 0


def _cmd_plantilla(args: argparse.Namespace) -> int:
    from pei_analysis.calendar import check_import_period
    from pei_analysis.ingest.template import write_template
    from pei_analysis.tables.poa import load_poa, periods

    check_import_period(args.anio, args.cuatrimestre)
    table = load_poa(args.datos)
    anio, cuatrimestre = periods(table)[-1]
    latest = table[(table["anio"] == anio) & (table["cuatrimestre"] == cuatrimestre)]
    csv_path, xlsx_path = write_template(latest, args.anio, args.cuatrimestre, args.salida)
    print(f"Plantilla de {args.anio}, cuatrimestre {args.cuatrimestre} ({len(latest)} productos, programado de "
          f"{anio}, cuatrimestre {cuatrimestre}):")
    print(f"  {csv_path}\n  {xlsx_path}")
    print("Complete la columna «ejecutado» y luego: pei-analysis importar ARCHIVO --anio A --cuatrimestre C "
          "--cifras periodo")
    return 0


def _cmd_edicion(args: argparse.Namespace) -> int:
    from pei_analysis.publish.archive import SITE_DIR, build_edition
    from pei_analysis.publish.book import BuildError

    site = args.sitio or SITE_DIR
    try:
        result = build_edition(args.anio, args.cuatrimestre, site_dir=site, data_dir=args.datos, force=args.forzar)
    except BuildError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        print("El sitio publicado quedó como estaba.", file=sys.stderr)
        return 2
    print(result.message)
    print(f"  huella: {result.fingerprint[:12]}")
    print(f"  lista de ediciones: {(site / 'index.html').resolve().as_uri()}")
    print(f"  esta edición: {(result.path / 'index.html').resolve().as_uri()}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    cli_es.install()
    parser = argparse.ArgumentParser(
        prog="pei-analysis",
        description="Seguimiento del PEI y del POA del IGSS: valida, importa y publica los datos.",
    )
    parser.add_argument("--debug", action="store_true", help="muestra el detalle técnico (traceback) de un error")
    parser.add_argument(
        "--datos", type=Path, default=None, metavar="CARPETA",
        help="carpeta de datos (por omisión, data/ del repositorio)",
    )
    sub = parser.add_subparsers(dest="orden", metavar="ORDEN", title="órdenes")

    validar = sub.add_parser("validar", help="valida todos los datos e imprime un resumen",
                             description="Valida todos los datos de data/ e imprime un resumen.")
    validar.set_defaults(func=_cmd_validar)

    importar = sub.add_parser(
        "importar", help="importa un reporte de ejecución física de SICOIN",
        description="Importa un reporte de ejecución física de SICOIN (texto extraído del PDF) y agrega "
        "el período a la tabla del POA. Si algo no cuadra, no cambia nada.",
    )
    importar.add_argument("archivo", metavar="ARCHIVO", help="extracto de texto del reporte de SICOIN")
    importar.add_argument("--anio", type=int, required=True, metavar="A", help="año del reporte, p. ej. 2024")
    importar.add_argument("--cuatrimestre", type=int, required=True, choices=[1, 2, 3], metavar="C",
                          help="cuatrimestre del reporte: 1, 2 o 3")
    importar.add_argument("--cifras", choices=["periodo", "acumulado"], default=None,
                          help="si el archivo da la producción del cuatrimestre (periodo) o la acumulada desde "
                          "enero (acumulado); obligatorio a partir del cuatrimestre 2")
    importar.add_argument("--reemplazar", action="store_true", help="sustituye el período si ya está en los datos")
    importar.add_argument("--aceptar-cambios-de-catalogo", action="store_true",
                          help="acepta productos que faltan, nuevos o con otra sigla respecto del período anterior")
    importar.add_argument("--factor-atipicos", type=float, default=5.0, metavar="F",
                          help="rechaza un ejecutado F veces mayor o menor que la mediana del producto "
                          "(por omisión 5; 0 desactiva la guardia)")
    importar.set_defaults(func=_cmd_importar)

    deshacer = sub.add_parser("deshacer", help="deshace la última importación",
                              description="Restaura la tabla del POA como estaba antes de la última importación "
                              "y retira el original que esa importación agregó a data/raw/.")
    deshacer.set_defaults(func=_cmd_deshacer)

    plantilla = sub.add_parser(
        "plantilla", help="escribe una plantilla de captura (CSV y XLSX) para un período",
        description="Escribe una plantilla de captura (CSV y XLSX, una fila por producto) con los productos y el "
        "programado del último período de los datos, para completar «ejecutado» a mano.",
    )
    plantilla.add_argument("--anio", type=int, required=True, metavar="A", help="año de la plantilla")
    plantilla.add_argument("--cuatrimestre", type=int, required=True, choices=[1, 2, 3], metavar="C",
                           help="cuatrimestre de la plantilla: 1, 2 o 3")
    plantilla.add_argument("--salida", type=Path, default=Path("."), metavar="CARPETA",
                           help="carpeta donde escribir la plantilla (por omisión, la actual)")
    plantilla.set_defaults(func=_cmd_plantilla)

    edicion = sub.add_parser(
        "edicion", help="construye la edición de un cuatrimestre en site/ (por omisión, la última)",
        description="Valida los datos y construye la edición del cuatrimestre en site/<A>-c<C>/, actualiza la "
        "lista de ediciones (site/index.html) y site/latest/. Si la edición ya existe con la misma huella "
        "(datos, código, parámetros y versiones), no la reconstruye. Las ediciones anteriores no se tocan.",
    )
    edicion.add_argument("--anio", type=int, default=None, metavar="A", help="año de la edición")
    edicion.add_argument("--cuatrimestre", type=int, default=None, choices=[1, 2, 3], metavar="C",
                         help="cuatrimestre de la edición: 1, 2 o 3")
    edicion.add_argument("--sitio", type=Path, default=None, metavar="CARPETA",
                         help="carpeta del sitio (por omisión, site/ del repositorio)")
    edicion.add_argument("--forzar", action="store_true", help="reconstruye aunque la huella no haya cambiado")
    edicion.set_defaults(func=_cmd_edicion)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 1
    try:
        return args.func(args)
    except DataError as exc:
        if args.debug:
            raise
        print(f"Error: {exc}", file=sys.stderr)
        print("No se modificó ningún archivo.", file=sys.stderr)
        return 2


