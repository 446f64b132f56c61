"""``python -m pei_analysis.cli.data_log``: whether the files generated from the schemas agree with them.

Two files of ``data/`` are rendered from the ``*.schema.yaml`` beside the tables: the column lists
and licence of the data log (``data/README.md``, :mod:`pei_analysis.tables.datalog`) and the
Frictionless package (``data/datapackage.json``, :mod:`pei_analysis.tables.datapackage`). This one
command checks both (exit 1 when either drifted, naming the fix) and ``--escribir`` rewrites them
(``make registro-datos``), so the two checks cannot drift apart and a maintainer has one thing to run.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pei_analysis import cli_es
from pei_analysis.files import atomic_write_text
from pei_analysis.tables.datalog import readme_texts
from pei_analysis.tables.datapackage import package_texts

#: The generated files, each as the function that gives its path, current text and expected text.
GENERATED = (readme_texts, package_texts)


def main(argv: list[str] | None = None) -> int:
    cli_es.install()
    parser = argparse.ArgumentParser(
        prog="python -m pei_analysis.cli.data_log",
        description="Comprueba (o reescribe) los archivos de data/ que se generan de los esquemas: las "
        "listas de columnas y la licencia de data/README.md, y data/datapackage.json.",
    )
    parser.add_argument("--escribir", action="store_true", help="reescribe los que no coincidan")
    parser.add_argument(
        "--datos", type=Path, default=None, metavar="CARPETA", help="carpeta de datos (por omisión, data/)"
    )
    args = parser.parse_args(argv)
    stale = 0
    for texts in GENERATED:
        path, current, expected = texts(args.datos)
        if current == expected:
            print(f"{path}: coincide con los esquemas.")
        elif args.escribir:
            atomic_write_text(path, expected)
            print(f"{path}: regenerado desde los esquemas.")
        else:
            print(f"{path}: no coincide con los esquemas; ejecute make registro-datos.", file=sys.stderr)
            stale += 1
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
