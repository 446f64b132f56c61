"""What both groups of commands share: the default line after a refusal, the check of an output folder,
the notices of a recovered run and the ``--cuatrimestre`` option.

Apart from the command modules so that neither group imports the other, and apart from the parser so
that the command modules do not import the module that imports them.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from pei_analysis.errors import DataError

#: What a refused command says after its error, by kind of error: by default, that nothing was written.
NOTHING_CHANGED = {DataError: "No se modificó ningún archivo."}


def output_folder(path: Path, option: str) -> Path:
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


def print_notices(notices: Sequence[str]) -> None:
    """What a command recovered before doing its work (a run killed halfway), before its own output."""
    for notice in notices:
        print(f"Aviso: {notice}")


def add_cuatrimestre(parser: argparse.ArgumentParser, help_text: str, default: int | None = None) -> None:
    """``--cuatrimestre C``: the same option (1, 2 or 3) in every command; only its help and default vary."""
    parser.add_argument(
        "--cuatrimestre", type=int, default=default, choices=[1, 2, 3], metavar="C", help=help_text
    )
