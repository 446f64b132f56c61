"""Una página del reporte en PDF sin líneas trazadas: su tabla, leída por la posición de cada palabra.

Some PDF tables are drawn without ruling lines: the columns are only where the words sit. This module
rebuilds such a page's rows from the words' positions, into the same lines the text extract has, so
that :mod:`pei_analysis.ingest.sicoin` reads and checks them like any other report:

- the column of product numbers is what lies left of the word «PRODUCTOS» of the column header;
  an integer there opens a row (a product, or a subprogram with its code);
- the figures are the numbers and percentages that close a row's line, right of the description
  column (which ends where the leftmost of them starts); the three figure columns (programado,
  ejecutado, % de avance) are told apart by the right edge of each figure (figures are right-aligned);
- the lines of a long description belong to the row whose number sits beside their middle, their
  first line or their last (the cells centre their text, or align it to the top or to the bottom):
  the one alignment that accounts for every line on the page is taken, knowing that «PROGRAMA:» and
  subprogram rows have one line; if none does, the page is refused;
- «PROGRAMA:» lines are rows of their own; the lines above the first row are the title block (up to
  the line with «(POA)») and the column header; lines below, starting at the left margin, the footer.

A row read wrong cannot pass quietly: a figure in the wrong column breaks the percentage or the
subtotal check, and a line of description given to the wrong product leaves both products' texts
unknown to the catalogue.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import takewhile

from pei_analysis.errors import DataError

#: A figure of the table: a whole number with or without thousands commas, or a percentage.
_FIGURE = re.compile(r"^(\d{1,3}(,\d{3})+|\d+|\d+(\.\d+)?%?)$")
# What each line of the page is (:func:`_kinds`).
ROW, PROGRAM, TEXT = "fila", "programa", "texto"
TITLE, HEADER, FOOTER = "título", "encabezado", "pie"
#: How far apart (points) two words' tops may be and still be on one line; two right edges in one column.
_LINE_TOLERANCE = 2.0
_COLUMN_TOLERANCE = 4.0


@dataclass
class _Row:
    """A row of the table being rebuilt: its number and where it sits, and the text of each column."""

    top: float
    number: str
    #: (top, left, text) of each word of its description, wherever the cell put it.
    description: list[tuple[float, float, str]] = field(default_factory=list)
    #: (right edge, text) of each figure.
    figures: list[tuple[float, str]] = field(default_factory=list)


def page_lines(words: list[dict], skip: Callable[[str], bool] = lambda text: False) -> list[str] | None:
    """The page's lines as the text extract would have them, or None when the page has no column header
    to take the columns from (no «PRODUCTOS», or no row with figures).

    Raises DataError (without file or page: the caller knows them) when the description lines cannot be
    given to their rows under any one vertical alignment of the cells. Lines whose text *skip* accepts
    (a page number) are left out before anything else.
    """
    lines = [(top, line) for top, line in _text_lines(words) if not skip(_joined(line))]
    edges = _edges(lines)
    if edges is None:
        return None
    number_edge, figure_edge = edges
    kinds = _kinds(lines, number_edge, figure_edge)
    rows = {i: _Row(top, line[0]["text"]) for i, (top, line) in enumerate(lines) if kinds[i] == ROW}
    for i, row in rows.items():
        _place(row, lines[i][0], lines[i][1][1:], figure_edge)
    owners = _owners(kinds, rows)
    for i, owner in owners.items():
        _place(rows[owner], lines[i][0], lines[i][1], figure_edge)
    others = [
        (top, kinds[i], _joined(line)) for i, (top, line) in enumerate(lines) if kinds[i] not in (ROW, TEXT)
    ]
    return _assemble(list(rows.values()), others)


def _kinds(lines: list[tuple[float, list[dict]]], number_edge: float, figure_edge: float) -> list[str]:
    """What each line is: a table row (a number in the number column), a «PROGRAMA:» row, description
    text of some row (only words of the description column, below the column header), or the title
    block, the column header or the footer."""

    def description_only(line: list[dict]) -> bool:
        return all(number_edge <= w["x0"] and w["x1"] < figure_edge for w in line)

    kinds = []
    for _, line in lines:
        if line[0]["text"].upper() == "PROGRAMA:":
            kinds.append(PROGRAM)
        elif _opens_row(line, number_edge):
            kinds.append(ROW)
        else:
            kinds.append("")
    first = next((i for i, kind in enumerate(kinds) if kind), len(lines))
    header_end = max((i for i in range(first) if not description_only(lines[i][1])), default=-1)
    title_end = next((i for i, (_, line) in enumerate(lines) if "(POA)" in _joined(line)), -1)
    for i, (_, line) in enumerate(lines):
        if kinds[i]:
            continue
        if description_only(line) and i > header_end and first < len(lines):
            kinds[i] = TEXT
        elif i < first:
            kinds[i] = TITLE if i <= title_end else HEADER
        else:
            kinds[i] = FOOTER
    return kinds


def _owners(kinds: list[str], rows: dict[int, _Row]) -> dict[int, int]:
    """The row each description line belongs to, under the vertical alignment of the cells that
    accounts for every line: centred, top or bottom. Refused when none does, or when two do and give
    some line to different rows: a guess could join two products' texts.

    A product's number sits beside the middle of its description (centred), its first line (top) or
    its last (bottom). «PROGRAMA:» rows and subprogram rows (one figure, their subtotal) have a
    single line, so they own no other line; under top or bottom alignment every product's number has
    description words beside it.
    """
    anchors = [i for i, kind in enumerate(kinds) if kind in (ROW, PROGRAM)]
    gaps = [
        [i for i in range(lo + 1, hi) if kinds[i] == TEXT]
        for lo, hi in zip([-1, *anchors], [*anchors, len(kinds)], strict=True)
    ]
    single = {i for i in anchors if kinds[i] == PROGRAM or len(rows[i].figures) < 3}
    beside = all(rows[i].description for i in anchors if i not in single)
    readings = [split(anchors, gaps, single, beside) for split in (_centred, _top, _bottom)]
    distinct = {tuple(sorted(r.items())) for r in readings if r is not None}
    if len(distinct) == 1:
        return dict(distinct.pop())
    raise DataError(
        "la tabla de esta página no tiene líneas trazadas, y no se puede saber a qué producto pertenece "
        "cada línea de su descripción. Importe el texto extraído del PDF, o la plantilla de captura "
        "(pei-analysis plantilla)."
    )


def _centred(anchors, gaps, single, beside) -> dict[int, int] | None:
    """As many description lines above each number as below it."""
    owners: dict[int, int] = {}
    below = 0  # lines of the current gap that the row above still owns
    for j, anchor in enumerate(anchors):
        above = len(gaps[j]) - below
        if above < 0 or (anchor in single and above):
            return None
        owners.update(dict.fromkeys(gaps[j][:below], anchors[j - 1]))
        owners.update(dict.fromkeys(gaps[j][below:], anchor))
        below = above
    if below != len(gaps[-1]):
        return None
    owners.update(dict.fromkeys(gaps[-1], anchors[-1]))
    return owners


def _top(anchors, gaps, single, beside) -> dict[int, int] | None:
    """Each number beside the first line of its description: the lines below it are its own."""
    if not beside or gaps[0] or not anchors:
        return None
    owners = {}
    for j, anchor in enumerate(anchors):
        if anchor in single and gaps[j + 1]:
            return None
        owners.update(dict.fromkeys(gaps[j + 1], anchor))
    return owners


def _bottom(anchors, gaps, single, beside) -> dict[int, int] | None:
    """Each number beside the last line of its description: the lines above it are its own."""
    if not beside or gaps[-1] or not anchors:
        return None
    owners = {}
    for j, anchor in enumerate(anchors):
        if anchor in single and gaps[j]:
            return None
        owners.update(dict.fromkeys(gaps[j], anchor))
    return owners


def _text_lines(words: list[dict]) -> list[tuple[float, list[dict]]]:
    """The words grouped into lines (tops within :data:`_LINE_TOLERANCE`), top to bottom, left to right."""
    lines: list[tuple[float, list[dict]]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if lines and abs(word["top"] - lines[-1][0]) <= _LINE_TOLERANCE:
            lines[-1][1].append(word)
        else:
            lines.append((word["top"], [word]))
    return [(top, sorted(line, key=lambda w: w["x0"])) for top, line in lines]


def _edges(lines: list[tuple[float, list[dict]]]) -> tuple[float, float] | None:
    """(where the description column starts, where the figure columns start).

    The first is the left edge of the column header's topmost «PRODUCTOS». The second is read from the
    rows, not from the header (a right-aligned header word starts anywhere in its column): the
    leftmost start of the figures that close a row's line, since the description never reaches into
    a figure column.
    """
    productos = [w for _, line in lines for w in line if w["text"].strip(".:").upper() == "PRODUCTOS"]
    if not productos:
        return None
    number_edge = productos[0]["x0"] - 1
    starts = []
    for _, line in lines:
        if len(line) > 1 and _opens_row(line, number_edge):
            trailing = takewhile(lambda w: _FIGURE.match(w["text"]) or w["text"] == "%", reversed(line[1:]))
            starts.extend(w["x0"] for w in trailing)
    return (number_edge, min(starts) - 1) if starts else None


def _place(row: _Row, top: float, words: list[dict], figure_edge: float) -> None:
    """Give *row* the words of one line: figures right of *figure_edge*, description text left of it."""
    for word in words:
        if word["x0"] >= figure_edge and word["text"] == "%" and row.figures:  # «30.61 %»: one figure
            row.figures[-1] = (word["x1"], row.figures[-1][1] + "%")
        elif word["x0"] >= figure_edge and _FIGURE.match(word["text"]):
            row.figures.append((word["x1"], word["text"]))
        else:
            row.description.append((top, word["x0"], word["text"]))


def _figure_columns(rows: list[_Row]) -> list[float]:
    """The right edges of the figure columns, left to right: figures are right-aligned, so each column's
    figures end at one edge (within :data:`_COLUMN_TOLERANCE`)."""
    edges: list[float] = []
    for right in sorted(x for row in rows for x, _ in row.figures):
        if not edges or right - edges[-1] > _COLUMN_TOLERANCE:
            edges.append(right)
    return edges


def _assemble(rows: list[_Row], others: list[tuple[float, str, str]]) -> list[str]:
    """Rows and other lines in reading order; consecutive lines of the title block, the column header or
    the footer run into one line each, as the text extract has them."""
    columns = _figure_columns(rows)
    items = [(row.top, ROW, _row_text(row, columns)) for row in rows] + others
    lines: list[str] = []
    previous = None
    for _, kind, text in sorted(items, key=lambda item: item[0]):
        if kind == previous and kind in (TITLE, HEADER, FOOTER):
            lines[-1] = f"{lines[-1]} {text}"
        else:
            lines.append(text)
        previous = kind
    return lines


def _row_text(row: _Row, columns: list[float]) -> str:
    """The row as a line of the extract: number, description, then each figure in its column's cell."""
    cells = [""] * len(columns)
    for right, text in row.figures:
        index = min(range(len(columns)), key=lambda i: abs(columns[i] - right))
        cells[index] = f"{cells[index]} {text}".strip()
    by_line: dict[float, list[str]] = {}
    for top, _, text in sorted(row.description):
        by_line.setdefault(top, []).append(text)
    description = ""
    for words in by_line.values():
        description = join_wrapped(description, " ".join(words)) if description else " ".join(words)
    return "\t".join([row.number, description, *cells])


def join_wrapped(first: str, second: str) -> str:
    """Two lines of one cell or block as one: a word cut with a hyphen at the end of the first joins the
    second without a space («morib-» and «mortalidad»)."""
    return first + second if first.endswith("-") else f"{first} {second}"


def _opens_row(line: list[dict], number_edge: float) -> bool:
    """The line starts with a row's number (a product's, or a subprogram's code) in the number column."""
    return line[0]["x1"] < number_edge and bool(re.fullmatch(r"\d{1,3}", line[0]["text"]))


def _joined(line: list[dict]) -> str:
    return " ".join(word["text"] for word in line)
