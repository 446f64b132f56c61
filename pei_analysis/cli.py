"""La línea de órdenes ``pei-analysis`` (también ``python -m pei_analysis``), en español.

One command line for everything an analyst runs, so every command handles a refusal the same way:
:func:`main` alone catches the project's DataError and BuildError and prints the one-line Spanish
message, then what the refusal left untouched (each command says it in its own words), exit code 2;
a traceback is shown only with ``--debug``. A closed pipe (``validar | head -1``) ends quietly and
Ctrl-C with one Spanish line (exit code 130).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from pei_analysis import cli_es
from pei_analysis.errors import BuildError, DataError, InboxRefusal
from pei_analysis.format import fmt_int

#: What a refused command says after its error, by kind of error: by default, that nothing was written.
NOTHING_CHANGED = {DataError: "No se modificó ningún archivo."}
#: Exit code of a command interrupted with Ctrl-C (128 + SIGINT, as the shell reports it).
INTERRUPTED_EXIT = 130


def _output_folder(path: Path, option: str) -> Path:
    """Refuse an output folder that is, or lies under, an existing file (mkdir would fail with a
    traceback)."""
    for place in (path, *path.parents):
        if place.exists():
            if not place.is_dir():
                raise DataError(
                    f"debe ser una carpeta, y {place} es un archivo: elija otra ruta.", field=option
                )
            break
    return path


#: What ``edicion`` and ``vista`` say when Ctrl-C or SIGTERM stops them (exit code 130, or 143 for SIGTERM).
INTERRUPTED = (
    "Construcción interrumpida: se detuvieron los cuadernos y se borraron los archivos temporales. "
    "El sitio publicado quedó como estaba."
)


#: What ``bandeja`` says after a refusal, by kind of error (the first that matches).
INBOX_UNCHANGED = {
    InboxRefusal: "No se importó ni se publicó nada: los datos, el sitio y la bandeja quedaron como estaban. "
    "El porqué y qué hacer están en RECHAZADO.txt, junto a la bandeja.",
    BuildError: "Los reportes quedaron importados y la edición, pendiente: la próxima corrida vuelve a "
    "intentar publicarla. El sitio publicado quedó como estaba.",
    DataError: "No se modificó ningún archivo.",
}
INBOX_INTERRUPTED = (
    "Corrida interrumpida: el sitio publicado quedó como estaba y la próxima corrida "
    "termina lo que faltó (importar o publicar)."
)


def _cmd_validar(args: argparse.Namespace) -> int:
    from pei_analysis.ingest.validation import validate_all

    report = validate_all(args.datos)
    _print_notices(report.avisos)
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
    annual = report.poa_anual
    for anio in sorted(set(annual["anio"])) if annual is not None else []:
        print(f"POA {anio}, total anual (sin cuatrimestres): {int((annual['anio'] == anio).sum())} productos")
    print("\nVerificaciones superadas:")
    for line in report.checks:
        print(f"  ✓ {line}")
    return 0


def _cmd_importar(args: argparse.Namespace) -> int:
    from pei_analysis.ingest.importer import import_files

    batch = import_files(
        args.archivo,
        anio=args.anio,
        cuatrimestre=args.cuatrimestre,
        anual=args.anual,
        cifras=args.cifras,
        replace=args.reemplazar,
        accept_new_products=args.producto_nuevo,
        outlier_factor=args.factor_atipicos,
        data_dir=args.datos,
        on_read=print,
    )
    _print_notices(batch.avisos)
    for line in batch.catalogo:
        print(line)
    for result in batch.archivos:
        period = (
            f"del total anual de {result.anio}"
            if result.cuatrimestre is None
            else f"de {result.anio}, cuatrimestre {result.cuatrimestre}"
        )
        print(
            f"Importado: {result.productos} productos {period} (ejecutado total "
            f"{fmt_int(result.ejecutado_total)}); original guardado en {result.raw_path}"
        )
    for note in batch.incompletos:
        print(f"  {note}")
    for table in batch.tablas:
        print(f"  tabla actualizada: {table}")
    which = (
        "esta importación"
        if len(batch.archivos) == 1
        else f"esta importación (los {len(batch.archivos)} archivos)"
    )
    print(f"  para deshacer {which}: pei-analysis deshacer")
    return 0


def _cmd_deshacer(args: argparse.Namespace) -> int:
    from pei_analysis.ingest.importer import undo_last_import
    from pei_analysis.ingest.journal import describe

    record = undo_last_import(args.datos)
    _print_notices(record["avisos"])
    print(f"Deshecha la importación de {describe(record)} ({record['fecha']}).")
    for name in record["originales_agregados"]:
        print(f"  se retiró data/raw/{name}")
    return 0


def _print_notices(notices: Sequence[str]) -> None:
    """What a command recovered before doing its work (a run killed halfway), before its own output."""
    for notice in notices:
        print(f"Aviso: {notice}")


def _cmd_plantilla(args: argparse.Namespace) -> int:
    from pei_analysis.calendar import check_annual_year, check_import_period
    from pei_analysis.ingest.template import write_template
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
    _output_folder(args.salida, "--salida")
    table = load_poa(args.datos)
    if table.empty:
        raise DataError(
            "la tabla del POA no tiene ningún período del que tomar los productos: importe uno primero."
        )
    anio, cuatrimestre = periods(table)[-1]
    latest = table[(table["anio"] == anio) & (table["cuatrimestre"] == cuatrimestre)]
    csv_path, xlsx_path = write_template(latest, args.anio, args.cuatrimestre, args.salida)
    what = "total anual" if args.anual else f"cuatrimestre {args.cuatrimestre}"
    print(
        f"Plantilla de {args.anio}, {what} ({len(latest)} productos, programado de "
        f"{anio}, cuatrimestre {cuatrimestre}):"
    )
    print(f"  {csv_path}\n  {xlsx_path}")
    if args.anual:
        print(
            "Complete la columna «ejecutado en el año» (el total de enero a diciembre) y el programado de "
            "ese año, y luego: pei-analysis importar ARCHIVO"
        )
    else:
        print("Complete la columna «ejecutado» y luego: pei-analysis importar ARCHIVO --cifras periodo")
    return 0


def _cmd_edicion(args: argparse.Namespace) -> int:
    from pei_analysis.publish.archive import SITE_DIR, build_edition
    from pei_analysis.publish.processes import stop_on_signals

    site = _output_folder(args.sitio or SITE_DIR, "--sitio")
    with stop_on_signals():
        result = build_edition(
            args.anio, args.cuatrimestre, site_dir=site, data_dir=args.datos, force=args.forzar
        )
    print(result.message)
    print(f"  huella: {result.fingerprint[:12]}")
    print(f"  lista de ediciones: {(site / 'index.html').resolve().as_uri()}")
    print(f"  esta edición: {(result.path / 'index.html').resolve().as_uri()}")
    return 0


def _cmd_bandeja(args: argparse.Namespace) -> int:
    from pei_analysis.publish.archive import SITE_DIR
    from pei_analysis.publish.inbox import NOTHING_NEW, describe_waiting, run_inbox
    from pei_analysis.publish.processes import stop_on_signals

    if args.revisar:
        waiting = describe_waiting(args.bandeja)
        print("\n".join(waiting) if waiting else NOTHING_NEW)
        return 0 if waiting else 1
    site = _output_folder(args.sitio or SITE_DIR, "--sitio")
    with stop_on_signals():
        run_inbox(args.bandeja, data_dir=args.datos, site_dir=site)
    return 0


def _cmd_vista(args: argparse.Namespace) -> int:
    from pei_analysis.publish.book import build_book
    from pei_analysis.publish.processes import stop_on_signals

    if args.salida is not None:
        _output_folder(args.salida, "--salida")
    parameters = dict(_parse_parameter(p) for p in args.parametro)
    with stop_on_signals():
        build_book(
            args.anio, args.cuatrimestre, args.salida, parameters, data_dir=args.datos, jobs=args.trabajos
        )
    return 0


def _parse_parameter(text: str) -> tuple[str, object]:
    """``nivel=0.9`` → ('nivel', 0.9): values are YAML, so numbers, lists and dicts read as in a notebook."""
    import yaml

    if "=" not in text:
        raise DataError(f"se esperaba NOMBRE=VALOR; se recibió {text!r}", field="parametro")
    name, value = text.split("=", 1)
    return name.strip(), yaml.safe_load(value)


def _common_options(defaults: bool) -> argparse.ArgumentParser:
    """--debug and --datos, accepted before the command (where they have their defaults) and after it.

    After the command they default to SUPPRESS, so an option given before it is not overwritten.
    """
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--debug",
        action="store_true",
        default=False if defaults else argparse.SUPPRESS,
        help="muestra el detalle técnico (traceback) de un error",
    )
    common.add_argument(
        "--datos",
        type=Path,
        default=None if defaults else argparse.SUPPRESS,
        metavar="CARPETA",
        help="carpeta de datos (por omisión, data/ del repositorio)",
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    cli_es.install()
    parser = argparse.ArgumentParser(
        prog="pei-analysis",
        description="Seguimiento del PEI y del POA del IGSS: valida, importa y publica los datos.",
        parents=[_common_options(defaults=True)],
    )
    parser.set_defaults(sin_cambios=NOTHING_CHANGED)
    sub = parser.add_subparsers(dest="orden", metavar="ORDEN", title="órdenes")
    common = _common_options(defaults=False)
    _add_data_commands(sub, common)
    _add_publishing_commands(sub, common)
    return parser


def _add_data_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    validar = sub.add_parser(
        "validar",
        help="valida todos los datos e imprime un resumen",
        parents=[common],
        description="Valida todos los datos de data/ e imprime un resumen.",
    )
    validar.set_defaults(func=_cmd_validar)

    importar = sub.add_parser(
        "importar",
        help="importa uno o varios reportes de ejecución física de SICOIN (o plantillas)",
        description="Importa uno o varios reportes de ejecución física de SICOIN (texto extraído del PDF) o "
        "plantillas de captura, en cualquier orden (una carpeta vale por todos sus .txt, .csv y .xlsx), y "
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
        help="extracto de texto del reporte de SICOIN, plantilla (.csv o .xlsx) o carpeta",
    )
    importar.add_argument(
        "--anio",
        type=int,
        default=None,
        metavar="A",
        help="año del reporte, p. ej. 2024 (solo con un archivo; por omisión se lee del archivo)",
    )
    importar.add_argument(
        "--cuatrimestre",
        type=int,
        default=None,
        choices=[1, 2, 3],
        metavar="C",
        help="cuatrimestre del reporte: 1, 2 o 3 (solo con un archivo; por omisión se lee del archivo)",
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
    importar.set_defaults(func=_cmd_importar)

    deshacer = sub.add_parser(
        "deshacer",
        help="deshace la última importación (todos sus archivos)",
        parents=[common],
        description="Restaura las tablas del POA como estaban antes de la última importación "
        "y retira los originales que esa importación agregó a data/raw/. Una importación "
        "de varios archivos se deshace entera.",
    )
    deshacer.set_defaults(func=_cmd_deshacer)

    plantilla = sub.add_parser(
        "plantilla",
        help="escribe una plantilla de captura (CSV y XLSX) para un período",
        description="Escribe una plantilla de captura (CSV y XLSX, una fila por producto) con los productos "
        "y el programado del último período de los datos, para completar «ejecutado» a mano.",
        parents=[common],
    )
    plantilla.add_argument("--anio", type=int, required=True, metavar="A", help="año de la plantilla")
    plantilla.add_argument(
        "--cuatrimestre",
        type=int,
        default=None,
        choices=[1, 2, 3],
        metavar="C",
        help="cuatrimestre de la plantilla: 1, 2 o 3",
    )
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


def _add_publishing_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    edicion = sub.add_parser(
        "edicion",
        help="construye la edición de un cuatrimestre en site/ (por omisión, la última)",
        description="Valida los datos y construye la edición del cuatrimestre en site/<A>-c<C>/, "
        "actualiza la lista de ediciones (site/index.html) y site/latest/. Si la edición ya existe "
        "con la misma huella (datos, código, parámetros y versiones), no la reconstruye. Las "
        "ediciones anteriores no se tocan.",
        parents=[common],
    )
    edicion.add_argument("--anio", type=int, default=None, metavar="A", help="año de la edición")
    edicion.add_argument(
        "--cuatrimestre",
        type=int,
        default=None,
        choices=[1, 2, 3],
        metavar="C",
        help="cuatrimestre de la edición: 1, 2 o 3",
    )
    edicion.add_argument(
        "--sitio",
        type=Path,
        default=None,
        metavar="CARPETA",
        help="carpeta del sitio (por omisión, site/ del repositorio)",
    )
    edicion.add_argument(
        "--forzar", action="store_true", help="reconstruye aunque la huella no haya cambiado"
    )
    edicion.set_defaults(
        func=_cmd_edicion,
        al_interrumpir=INTERRUPTED,
        sin_cambios={**NOTHING_CHANGED, BuildError: "El sitio publicado quedó como estaba."},
    )

    bandeja = sub.add_parser(
        "bandeja",
        help="la corrida programada: importa los reportes de bandeja/entrada/ y publica su edición",
        description="Importa en una sola orden, todo o nada y con las verificaciones de «importar», los "
        "reportes que llegaron a bandeja/entrada/ (extractos de SICOIN o plantillas), los mueve a "
        "bandeja/procesados/AAAA-MM-DD/ con una línea fechada en bandeja/registro.log y publica la edición "
        "de cada cuatrimestre nuevo del último año (y siempre la del último período). Si no llegó nada, lo "
        "dice y no cambia nada. Si la importación se rechaza, no publica nada, deja la bandeja como estaba y "
        "escribe el porqué en bandeja/RECHAZADO.txt. Es lo que corre «make publicar».",
        parents=[common],
    )
    bandeja.add_argument(
        "--bandeja",
        type=Path,
        default=None,
        metavar="CARPETA",
        help="carpeta de la bandeja (por omisión, bandeja/ del repositorio)",
    )
    bandeja.add_argument(
        "--sitio",
        type=Path,
        default=None,
        metavar="CARPETA",
        help="carpeta del sitio (por omisión, site/ del repositorio)",
    )
    bandeja.add_argument(
        "--revisar",
        action="store_true",
        help="solo dice qué espera en la bandeja, sin cambiar nada; sale con 0 si hay algo "
        "que importar o publicar y con 1 si no hay nada",
    )
    bandeja.set_defaults(func=_cmd_bandeja, al_interrumpir=INBOX_INTERRUPTED, sin_cambios=INBOX_UNCHANGED)

    vista = sub.add_parser(
        "vista",
        help="construye una vista previa del libro en build/vista/, fuera del archivo de ediciones",
        description="Ejecuta los cuadernos con papermill y construye el libro HTML de una edición.",
        parents=[common],
    )
    vista.add_argument("--anio", type=int, default=2024, metavar="A", help="año del POA (por omisión 2024)")
    vista.add_argument(
        "--cuatrimestre",
        type=int,
        default=1,
        choices=[1, 2, 3],
        metavar="C",
        help="cuatrimestre: 1, 2 o 3 (por omisión 1)",
    )
    vista.add_argument(
        "--salida",
        type=Path,
        default=None,
        metavar="CARPETA",
        help="carpeta de salida (por omisión build/vista/<año>-c<cuatrimestre>, una vista previa "
        "fuera del archivo de ediciones)",
    )
    vista.add_argument(
        "-p",
        "--parametro",
        action="append",
        default=[],
        metavar="NOMBRE=VALOR",
        help="parámetro de los cuadernos, p. ej. nivel=0.9 o umbrales='{en_riesgo: 60}'",
    )
    vista.add_argument(
        "--trabajos",
        type=int,
        default=None,
        metavar="N",
        help="cuadernos ejecutados a la vez (por omisión, uno por núcleo)",
    )
    vista.set_defaults(
        func=_cmd_vista,
        al_interrumpir=INTERRUPTED,
        sin_cambios=dict.fromkeys((DataError, BuildError), "No se publicó nada: el sitio quedó como estaba."),
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 1
    try:
        code = args.func(args)
        sys.stdout.flush()  # a closed pipe shows here, not as a traceback at the interpreter's exit
        return code
    except (DataError, BuildError) as exc:
        if args.debug:
            raise
        print(f"Error: {exc}", file=sys.stderr)
        print(next(text for kind, text in args.sin_cambios.items() if isinstance(exc, kind)), file=sys.stderr)
        return 2
    except BrokenPipeError:
        _silence_stdout()
        return 1
    except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM (publish.processes.Terminated) in edicion and vista
        if args.debug:
            raise
        print(getattr(args, "al_interrumpir", None) or "\nOrden interrumpida (Ctrl-C).", file=sys.stderr)
        return getattr(exc, "exit_code", INTERRUPTED_EXIT)


def _silence_stdout() -> None:
    """Point stdout at /dev/null after the reader closed the pipe (``validar | head -1``), as the Python
    documentation recommends: Python's own flush at exit would otherwise fail again, with a message."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass  # stdout is not a file (tests capture it): nothing will be flushed to the closed pipe
