"""Secciones generadas por los cuadernos: cada encabezado, gráfico y tabla, en una celda propia del libro.

A chapter that makes one section per program displays them from one loop
(:func:`pei_analysis.chapters.sections.show_sections`). Jupyter Book 1.x would render that
cell's Markdown headings as rubrics (outside the page's sections, its table of contents and
the search's titles) and would give every image of the cell the same caption and figure name.
So, after papermill and before Jupyter Book, :func:`expand_sections` splits such a cell where
its outputs say: a Markdown cell per heading, and a code cell per figure (with the caption, alt
text and name it carries as ``mystnb`` metadata) or table. The page is then exactly what
hand-written cells produced.
"""

from __future__ import annotations

import copy

import nbformat

from pei_analysis.chapters.sections import SECTION_KEY

#: Source of the code cells the split creates; hidden from readers like every cell's code, but not
#: empty, because myst-nb skips a code cell whose source is empty, outputs and all.
PLACEHOLDER = "# salida de show_sections (celda generada al construir el libro)"


def expand_sections(notebook: nbformat.NotebookNode) -> int:
    """Split, in place, every code cell whose outputs are marked with ``SECTION_KEY``; return the cells added.

    Outputs before the first marked one stay in their cell with its source; each marked output
    starts a new cell (Markdown for a heading, code with a placeholder source otherwise) holding it and
    any unmarked outputs that follow it.
    """
    cells = []
    added = 0
    for cell in notebook.cells:
        outputs = cell.get("outputs", []) if cell.cell_type == "code" else []
        if not any(SECTION_KEY in o.get("metadata", {}) for o in outputs):
            cells.append(cell)
            continue
        kept, pieces = [], []
        for output in outputs:
            mark = output.get("metadata", {}).get(SECTION_KEY)
            if mark is None:
                (pieces[-1].outputs if pieces else kept).append(output)
                continue
            output = copy.deepcopy(output)
            del output["metadata"][SECTION_KEY]
            if mark.get("celda") == "markdown":
                pieces.append(nbformat.v4.new_markdown_cell(output["data"]["text/markdown"]))
                pieces[-1].outputs = []  # a scratch list for unmarked outputs; dropped below
            else:
                piece = nbformat.v4.new_code_cell(PLACEHOLDER, outputs=[output])
                if mark.get("mystnb"):
                    piece.metadata["mystnb"] = mark["mystnb"]
                pieces.append(piece)
        cell["outputs"] = kept
        cells.append(cell)
        for piece in pieces:
            if piece.cell_type == "markdown":
                stray = piece.pop("outputs")
                cells.append(piece)
                if stray:
                    cells.append(nbformat.v4.new_code_cell(PLACEHOLDER, outputs=stray))
                    added += 1
            else:
                cells.append(piece)
            added += 1
    notebook.cells = cells
    return added
