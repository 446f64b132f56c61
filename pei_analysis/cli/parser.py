"""The parser of ``pei-analysis``: the program, its options accepted before and after the command, and the
two groups of commands.

Apart from :func:`pei_analysis.cli.main` so that what the command line accepts (and its help) is read in
one place, and what happens when a command runs or is refused in another.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from pei_analysis import cli_es
from pei_analysis.cli.common import NOTHING_CHANGED
from pei_analysis.cli.data_commands import add_data_commands
from pei_analysis.cli.publishing_commands import add_publishing_commands


def build_parser() -> argparse.ArgumentParser:
    cli_es.install()
    parser = argparse.ArgumentParser(
        prog="pei-analysis",
        description="Seguimiento del PEI y del POA del IGSS: valida, importa y publica los datos.",
        parents=[common_options(defaults=True)],
    )
    parser.set_defaults(sin_cambios=NOTHING_CHANGED)
    sub = parser.add_subparsers(dest="orden", metavar="ORDEN", title="órdenes")
    common = common_options(defaults=False)
    add_data_commands(sub, common)
    add_publishing_commands(sub, common)
    return parser


def common_options(defaults: bool) -> argparse.ArgumentParser:
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
