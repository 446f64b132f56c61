"""The commands that build the book and the site: edicion, bandeja and vista.

Apart from the data commands because these run notebooks in child processes: they stop on Ctrl-C and
SIGTERM with their own Spanish line, and after a refusal they say what happened to the published site (and,
for ``bandeja``, to the inbox), not only to the data. Each command has its parser (``_add_*``) and what it
runs (``_cmd_*``), which imports what it calls only when it runs.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from pei_analysis.cli.common import NOTHING_CHANGED, add_cuatrimestre, output_folder
from pei_analysis.errors import BuildError, DataError, InboxRefusal

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
#: What ``bandeja --revisar`` says last when the run would refuse a waiting file (exit code 2).
WOULD_REFUSE = "La próxima corrida rechazará la bandeja entera, todo o nada, por los archivos marcados."
INBOX_INTERRUPTED = (
    "Corrida interrumpida: el sitio publicado quedó como estaba y la próxima corrida "
    "termina lo que faltó (importar o publicar)."
)


def add_publishing_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """The publishing commands, in the order the help lists them."""
    _add_edicion(sub, common)
    _add_bandeja(sub, common)
    _add_vista(sub, common)


def _add_edicion(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
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
    add_cuatrimestre(edicion, "cuatrimestre de la edición: 1, 2 o 3")
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


def _cmd_edicion(args: argparse.Namespace) -> int:
    from pei_analysis.publish.archive import build_edition
    from pei_analysis.publish.processes import stop_on_signals
    from pei_analysis.publish.site_index import SITE_DIR

    site = output_folder(args.sitio or SITE_DIR, "--sitio")
    with stop_on_signals():
        result = build_edition(
            args.anio, args.cuatrimestre, site_dir=site, data_dir=args.datos, force=args.forzar
        )
    print(result.message)
    print(f"  huella: {result.fingerprint[:12]}")
    print(f"  lista de ediciones: {(site / 'index.html').resolve().as_uri()}")
    print(f"  esta edición: {(result.path / 'index.html').resolve().as_uri()}")
    for notice in result.notices:
        print(notice)
    return 0


def _add_bandeja(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
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
        help="solo dice qué espera en la bandeja (y qué archivo la corrida rechazará por su tipo), sin "
        "cambiar nada; sale con 0 si la corrida importaría o publicaría algo, con 1 si no hay nada que hacer "
        "y con 2, como la corrida al rechazar, si rechazaría algún archivo por su tipo",
    )
    bandeja.set_defaults(func=_cmd_bandeja, al_interrumpir=INBOX_INTERRUPTED, sin_cambios=INBOX_UNCHANGED)


def _cmd_bandeja(args: argparse.Namespace) -> int:
    from pei_analysis.publish.inbox import run_inbox
    from pei_analysis.publish.processes import stop_on_signals
    from pei_analysis.publish.site_index import SITE_DIR

    if args.revisar:
        return _review_inbox(args.bandeja)
    site = output_folder(args.sitio or SITE_DIR, "--sitio")
    with stop_on_signals():
        run_inbox(args.bandeja, data_dir=args.datos, site_dir=site)
    return 0


def _review_inbox(folder: Path | None) -> int:
    """``bandeja --revisar``: what waits, and an exit code a script can act on before the run (0: the run
    would import or publish; 1: nothing to do; 2: the run would refuse the inbox, the run's own code)."""
    from pei_analysis.publish.inbox import NOTHING_NEW, describe_waiting, would_refuse

    waiting = describe_waiting(folder)
    if not waiting:
        print(NOTHING_NEW)
        return 1
    print("\n".join(waiting))
    if would_refuse(folder):
        print(WOULD_REFUSE)
        return 2
    return 0


def _add_vista(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    vista = sub.add_parser(
        "vista",
        help="construye una vista previa del libro en build/vista/, fuera del archivo de ediciones",
        description="Ejecuta los cuadernos con papermill y construye el libro HTML de una edición.",
        parents=[common],
    )
    vista.add_argument("--anio", type=int, default=2024, metavar="A", help="año del POA (por omisión 2024)")
    add_cuatrimestre(vista, "cuatrimestre: 1, 2 o 3 (por omisión 1)", default=1)
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


def _cmd_vista(args: argparse.Namespace) -> int:
    from pei_analysis.publish.book import build_book
    from pei_analysis.publish.processes import stop_on_signals

    if args.salida is not None:
        output_folder(args.salida, "--salida")
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
