"""The letters of each chart travel inside its SVG (pei_analysis.chapters.figures.svg_fonts)."""

from __future__ import annotations

import base64
import io
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from fontTools.ttLib import TTFont

from pei_analysis.chapters import figures as plots
from pei_analysis.chapters.figures import svg_fonts
from pei_analysis.chapters.figures.common import chart_style
from pei_analysis.model import edition as report


@pytest.fixture(scope="module")
def edition():
    return report.load_edition(2024, 1)


def embedded(svg: str) -> dict[int, TTFont]:
    """The fonts the SVG carries, by weight."""
    fonts = {}
    for weight, data in re.findall(r"font-weight:(\d+);src:url\(data:font/woff;base64,([^)]+)\)", svg):
        fonts[int(weight)] = TTFont(io.BytesIO(base64.b64decode(data)))
    return fonts


def test_a_chart_carries_every_letter_it_writes_in_each_weight_it_writes_it(edition):
    svg = plots.svg_text(plots.projection_chart(edition.table, "11"))
    fonts = embedded(svg)
    used = svg_fonts.characters_by_weight(svg)
    assert set(fonts) == set(used) == {400, 700}  # the title is bold
    for weight, characters in used.items():
        cmap = fonts[weight].getBestCmap()
        assert {c for c in characters if ord(c) not in cmap} == set(), weight
    assert {"✔", "▲", "ó", "%"} <= used[400] and "ó" in used[700]  # «atención médica» in the title
    # only what it writes: a handful of glyphs, not the 6,000 of DejaVu Sans
    assert len(fonts[400].getGlyphOrder()) < 120 and len(fonts[700].getGlyphOrder()) < 60


def test_the_embedded_font_keeps_its_copyright_and_licence():
    font = TTFont(
        io.BytesIO(base64.b64decode(re.search(r"base64,([^)]+)", svg_fonts.font_face(400, "ab"))[1]))
    )
    names = {record.nameID: str(record) for record in font["name"].names}
    assert "Bitstream" in names[0] and "DejaVu" in names[1]
    assert "Bitstream" in names[13] and names[14].startswith("http")


def test_the_same_letters_give_the_same_bytes_so_an_unchanged_chart_keeps_its_file():
    first = svg_fonts.font_face.__wrapped__(400, "Programa 11")
    assert first == svg_fonts.font_face.__wrapped__(400, "Programa 11")
    assert first != svg_fonts.font_face.__wrapped__(400, "Programa 12")


def test_text_with_markup_entities_counts_the_letters_a_reader_sees():
    svg = "<svg><defs></defs><text style=\"font-family: 'DejaVu Sans'\">A &amp; B &lt;ñ&gt;</text></svg>"
    assert svg_fonts.characters_by_weight(svg) == {400: set("A & B <ñ>")}
    assert svg_fonts.embed_fonts(svg).startswith('<svg>\n <style type="text/css">@font-face{')


def test_a_chart_drawn_with_matplotlibs_defaults_carries_dejavu_sans_too():
    # an analyst's own chart, outside chart_style: matplotlib's default list starts with DejaVu Sans
    fig, ax = plt.subplots()
    ax.set_title("Año")
    plt.close(fig)
    svg = plots.svg_text(fig)
    assert "'DejaVu Sans', 'Bitstream Vera Sans'" in svg and set(embedded(svg)) == {400}
    assert "ñ" in svg_fonts.characters_by_weight(svg)[400]


def test_text_in_another_family_is_left_as_matplotlib_wrote_it():
    with plt.rc_context({**chart_style(), "font.family": "DejaVu Serif"}):
        fig, ax = plt.subplots()
        ax.set_title("Programa 11")
        ax.set_xticks([])
        ax.set_yticks([])
    plt.close(fig)
    svg = plots.svg_text(fig)
    assert "DejaVu Serif" in svg and "@font-face" not in svg


def test_a_figure_without_text_is_left_as_it_is():
    svg = "<svg><defs></defs><path d='M 0 0'/></svg>"
    assert svg_fonts.embed_fonts(svg) == svg
