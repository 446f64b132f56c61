"""La línea de órdenes ``pei-analysis`` (también ``python -m pei_analysis``), en español.

One command line for everything an analyst runs, so every command handles a refusal the same way:
:func:`main` alone catches the project's DataError and BuildError and prints the one-line Spanish
message, then what the refusal left untouched (each command says it in its own words), exit code 2;
a traceback is shown only with ``--debug``. A closed pipe (``validar | head -1``) ends quietly and
Ctrl-C with one Spanish line (exit code 130).

The package has one module per group of commands, so a command is changed in one short file:
:mod:`.parser` builds the parser and its shared options, :mod:`.data_commands` the commands that read
and write ``data/`` (validar, importar, deshacer, plantilla), :mod:`.publishing_commands` those that
build the book and the site (edicion, bandeja, vista), and :mod:`.common` what both groups share.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from pei_analysis.cli.parser import build_parser
from pei_analysis.errors import BuildError, DataError

__all__ = ["INTERRUPTED_EXIT", "build_parser", "main"]

#: Exit code of a command interrupted with Ctrl-C (128 + SIGINT, as the shell reports it).
INTERRUPTED_EXIT = 130


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 1
    try:
        check_data_folder(getattr(args, "datos", None))
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


def check_data_folder(folder) -> None:
    """Refuse a --datos that does not exist in one line, before a command reads a schema in it."""
    if folder is not None and not Path(folder).is_dir():
        raise DataError(
            f"no existe la carpeta de datos {folder}: indique la que tiene poa/, pei/ y catalogo/ (sin "
            "--datos, se usa data/ del repositorio).",
            field="--datos",
        )


def _silence_stdout() -> None:
    """Point stdout at /dev/null after the reader closed the pipe (``validar | head -1``), as the Python
    documentation recommends: Python's own flush at exit would otherwise fail again, with a message."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass  # stdout is not a file (tests capture it): nothing will be flushed to the closed pipe
