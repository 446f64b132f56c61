"""How a chapter shows the sections it generates from the data (pei_analysis.chapters.sections)."""

from __future__ import annotations

import pandas as pd

from pei_analysis.chapters import sections
from pei_analysis.chapters.display import HtmlTable


def test_show_sections_displays_heading_figure_and_table_marked_for_the_book(monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, metadata=None: shown.append((obj, metadata)))
    figure = sections.FigureBlock(object(), "Pie.", "Texto alternativo largo", "fig-x")
    table = HtmlTable("<table></table>")
    sections.show_sections([sections.Section("## Programa 11", [figure, table])], folder=None)
    assert [type(obj).__name__ for obj, _ in shown] == ["Markdown", "object", "HtmlTable"]
    assert shown[0][0].data == "## Programa 11"
    marks = [meta[sections.SECTION_KEY] for _, meta in shown]
    assert marks == [
        {"celda": "markdown"},
        {"celda": "codigo", "mystnb": figure.mystnb()},
        {"celda": "codigo"},
    ]


def test_a_figure_is_shown_as_svg_with_its_source_and_a_link_to_the_csv_of_its_numbers(monkeypatch, tmp_path):
    import IPython.display
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, metadata=None: shown.append((obj, metadata)))
    fig, ax = plt.subplots()
    ax.barh([0, 1], [12.5, 40.0])
    ax.set_title("Programa 11")
    plt.close(fig)
    data = pd.DataFrame({"producto": [1, 2], "pct_avance": [12.5, 40.0]})
    block = sections.FigureBlock(
        fig, "Pie.", "Texto alternativo largo", "fig-avance-11", data, "Fuente: SICOIN."
    )
    monkeypatch.chdir(tmp_path)
    sections.show_figure(block, "descargas")
    ((image, metadata),) = shown
    svg = image._repr_svg_()
    assert "<text" in svg and "Programa 11" in svg
    caption = metadata[sections.SECTION_KEY]["mystnb"]["figure"]["caption"]
    assert caption == "Pie.\n\nFuente: SICOIN. [datos de este gráfico (CSV)](descargas/grafico_avance_11.csv)"
    written = pd.read_csv(tmp_path / "descargas" / "grafico_avance_11.csv", encoding="utf-8-sig")
    pd.testing.assert_frame_equal(written, data)


def test_a_figures_csv_is_named_after_the_figure_and_linked_only_when_a_folder_is_given(
    tmp_path, monkeypatch
):
    block = sections.FigureBlock(
        object(), "Pie.", "Alt", "fig-x", pd.DataFrame({"a": [1]}), "Fuente: SICOIN."
    )
    monkeypatch.chdir(tmp_path)
    assert block.write_data(tmp_path) == tmp_path / "grafico_x.csv"
    assert block.mystnb()["figure"]["caption"] == "Pie.\n\nFuente: SICOIN."


def test_a_figure_with_a_phone_version_shows_it_first_and_only_the_wide_one_carries_the_caption(monkeypatch):
    import IPython.display
    import matplotlib

    matplotlib.use("Agg")
    from pei_analysis.chapters import figures

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, metadata=None: shown.append((obj, metadata)))
    counts = pd.DataFrame({"estado": ["satisfactorio", "crítico"], "productos": [3, 1]})
    block = sections.FigureBlock(figures.status_chart(counts), "Pie.", "Texto alternativo largo", "fig-x")
    assert block.phone is figures.phone_figure(block.figure) and block.phone is not None
    sections.show_figure(block, folder=None)
    (phone, phone_meta), (wide, wide_meta) = shown
    assert phone_meta[sections.SECTION_KEY]["mystnb"] == {
        "image": {"alt": "Texto alternativo largo", "classes": "grafico-telefono"}
    }
    wide_mystnb = wide_meta[sections.SECTION_KEY]["mystnb"]
    assert wide_mystnb["image"]["classes"] == "grafico-ancho" and wide_mystnb["figure"]["caption"] == "Pie."
    assert 'width="244.8pt"' in phone._repr_svg_() and 'width="518.4pt"' in wide._repr_svg_()
