"""The PEI chapter as a reader gets it: the notebook's prose and what each of its cells shows, put together
from the library's functions (the notebook's own code, run here without papermill or a book build)."""

from __future__ import annotations

import ast
import html
import re

import jupytext
import pytest

from pei_analysis.paths import REPO_DIR

NOTEBOOK = REPO_DIR / "notebooks" / "pei.md"
#: The Markdown heading of the chapter's last section, which gathers every reading of this publication.
INDEX_HEADING = "## Lo que es lectura de esta publicación"
#: How the chapter says that the plan's horizon is over.
HORIZON = "terminó en 2022"


def shown(value) -> str:
    """What a cell's last value puts on the page: its HTML or its Markdown, as text."""
    if value is None:
        return ""
    if hasattr(value, "_repr_html_"):
        return value._repr_html_()
    return str(getattr(value, "data", value))


def run_cell(source: str, namespace: dict) -> str:
    """Run one code cell as Jupyter does and return what it shows (the value of its last expression)."""
    tree = ast.parse(source)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, str(NOTEBOOK), "exec"), namespace)
    if last is None:
        return ""
    return shown(eval(compile(ast.Expression(last.value), str(NOTEBOOK), "eval"), namespace))


def as_text(page: str) -> str:
    """The page without tags or entities, spaces collapsed: what a reader reads."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


@pytest.fixture(scope="module")
def chapter() -> str:
    """The text of the PEI chapter for the 2024-c1 edition of the shipped data, in reading order."""
    namespace: dict = {}
    parts = []
    for cell in jupytext.read(NOTEBOOK).cells:
        parts.append(run_cell(cell.source, namespace) if cell.cell_type == "code" else cell.source)
    return as_text("\n".join(parts))


def body_and_index(chapter: str) -> tuple[str, str]:
    """The chapter before its index of readings, and the index."""
    body, index = chapter.split(INDEX_HEADING)
    return body, index


def test_the_chapter_says_once_that_the_plans_horizon_ended_before_its_index_of_readings(chapter):
    body, index = body_and_index(chapter)
    assert body.count(HORIZON) == 1
    assert index.count(HORIZON) == 1  # the index gathers every reading, this one too


def test_the_one_statement_of_the_horizon_is_the_reading_with_its_confidence_and_source_lines(chapter):
    body, _ = body_and_index(chapter)
    start = body.index(HORIZON)
    note = body[body.rindex("Lectura de esta publicación", 0, start) : body.index("de la fuente)", start)]
    assert "(confianza media)" in note
    assert "líneas 96-97, 240-242" in note
