"""Sections a notebook generates from the data become cells of their own before Jupyter Book reads it."""

from __future__ import annotations

import nbformat

from pei_analysis.chapters.sections import SECTION_KEY
from pei_analysis.publish.notebooks import prepare_for_book
from pei_analysis.publish.sections import PLACEHOLDER, expand_sections


def output(data: dict, mark: dict | None = None):
    return nbformat.v4.new_output("display_data", data=data, metadata={SECTION_KEY: mark} if mark else {})


def notebook_with_generated_sections():
    nb = nbformat.v4.new_notebook()
    figure_meta = {
        "figure": {"caption": "Programa 11: pie.", "name": "fig-avance-11"},
        "image": {"alt": "Texto alternativo"},
    }
    loop = nbformat.v4.new_code_cell(
        "presentation.show_sections(capitulo.program_sections(datos))",
        outputs=[
            output({"text/markdown": "## Programa 11"}, {"celda": "markdown"}),
            output(
                {"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"},
                {"celda": "codigo", "mystnb": figure_meta},
            ),
            output({"text/html": "<table id='t11'></table>", "text/plain": "t11"}, {"celda": "codigo"}),
            output({"text/markdown": "## Programa 12"}, {"celda": "markdown"}),
            output({"text/html": "<table id='t12'></table>", "text/plain": "t12"}, {"celda": "codigo"}),
        ],
    )
    nb.cells = [nbformat.v4.new_markdown_cell("# Capítulo"), nbformat.v4.new_code_cell("x = 1"), loop]
    return nb


def test_each_heading_becomes_a_markdown_cell_and_each_figure_or_table_a_cell_of_its_own():
    nb = notebook_with_generated_sections()
    assert expand_sections(nb) == 5
    kinds = [(c.cell_type, c.source) for c in nb.cells]
    assert kinds[:3] == [
        ("markdown", "# Capítulo"),
        ("code", "x = 1"),
        ("code", "presentation.show_sections(capitulo.program_sections(datos))"),
    ]
    assert nb.cells[2].outputs == []  # the loop itself shows nothing: the book removes it
    assert [(c.cell_type, c.source) for c in nb.cells[3:]] == [
        ("markdown", "## Programa 11"),
        ("code", PLACEHOLDER),
        ("code", PLACEHOLDER),
        ("markdown", "## Programa 12"),
        ("code", PLACEHOLDER),
    ]
    figure = nb.cells[4]
    assert figure.metadata["mystnb"]["figure"]["name"] == "fig-avance-11"
    assert figure.metadata["mystnb"]["image"]["alt"] == "Texto alternativo"
    assert list(figure.outputs[0].data) == ["image/png", "text/plain"]
    assert SECTION_KEY not in figure.outputs[0].metadata
    assert "mystnb" not in nb.cells[5].metadata and "t11" in nb.cells[5].outputs[0].data["text/html"]
    nbformat.validate(nb)


def test_the_split_cells_show_only_their_output_in_the_book():
    nb = notebook_with_generated_sections()
    expand_sections(nb)
    prepare_for_book(nb)
    tags = [c.metadata.get("tags", []) for c in nb.cells if c.cell_type == "code"]
    assert tags == [["remove-cell"], ["remove-cell"], ["remove-input"], ["remove-input"], ["remove-input"]]


def test_a_notebook_without_generated_sections_is_left_alone():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("1", outputs=[output({"text/plain": "1"})])]
    before = nbformat.writes(nb)
    assert expand_sections(nb) == 0
    assert nbformat.writes(nb) == before
