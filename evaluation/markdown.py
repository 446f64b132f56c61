"""Las tablas Markdown de los informes de evaluación (un solo dibujo para todos los scripts)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def markdown_table(columns: Sequence[str], rows: Iterable[Sequence]) -> str:
    """The header, its rule and one line per row (each cell as ``str``), without a final newline.

    Each report formats its own numbers before; what a Markdown table looks like is said only here.
    """
    head = "| " + " | ".join(columns) + " |\n|" + "---|" * len(columns) + "\n"
    return head + "\n".join("| " + " | ".join(str(v) for v in row) + " |" for row in rows)
