"""How a chapter shows the sections it generates from the data (pei_analysis.chapters.sections)."""

from __future__ import annotations

from pei_analysis.chapters import sections
from pei_analysis.chapters.display import HtmlTable


def test_show_sections_displays_heading_figure_and_table_marked_for_the_book(monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, metadata=None: shown.append((obj, metadata)))
    figure = sections.FigureBlock(object(), "Pie.", "Texto alternativo largo", "fig-x")
    table = HtmlTable("<table></table>")
    sections.show_sections([sections.Section("## Programa 11", [figure, table])])
    assert [type(obj).__name__ for obj, _ in shown] == ["Markdown", "object", "HtmlTable"]
    assert shown[0][0].data == "## Programa 11"
    marks = [meta[sections.SECTION_KEY] for _, meta in shown]
    assert marks == [{"celda": "markdown"}, {"celda": "codigo", "mystnb": figure.mystnb()}, {"celda": "codigo"}]
