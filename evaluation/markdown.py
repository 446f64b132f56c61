"""Los informes Markdown de los scripts de evaluación: sus tablas y dónde se escriben (un solo lugar)."""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Sequence
from pathlib import Path


def markdown_table(columns: Sequence[str], rows: Iterable[Sequence]) -> str:
    """The header, its rule and one line per row (each cell as ``str``), without a final newline.

    Each report formats its own numbers before; what a Markdown table looks like is said only here.
    """
    head = "| " + " | ".join(columns) + " |\n|" + "---|" * len(columns) + "\n"
    return head + "\n".join("| " + " | ".join(str(v) for v in row) + " |" for row in rows)


def add_out_option(parser: argparse.ArgumentParser) -> None:
    """The ``--out`` option every report takes: the Markdown file to write it to, besides the screen."""
    parser.add_argument(
        "--out", type=Path, metavar="ARCHIVO", help="escribe el informe en este archivo Markdown"
    )


def publish(text: str, out: Path | None) -> None:
    """Print the report and, with ``--out``, write it there too."""
    if out:
        out.write_text(text, encoding="utf-8")
    print(text)
