"""What both groups of commands share: the default line after a refusal, the check of an output folder
and the notices of a recovered run.

Apart from the command modules so that neither group imports the other, and apart from the parser so
that the command modules do not import the module that imports them.
"""

from __future__ import annotations

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
