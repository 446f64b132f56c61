"""La letra de cada gráfico viaja en su SVG: el lector ve el gráfico como se compuso, en cualquier equipo.

matplotlib lays a chart out with the metrics of DejaVu Sans (its own copy, in ``mpl-data``): where a
label ends, where the second line of a two-line label starts, how wide the white box behind a value
is. The book keeps the letters as text in the SVG (light, sharp at any zoom), which leaves the choice
of font to the reader's browser, and an SVG shown as an image can use only the fonts installed on
that machine. Windows, macOS, iOS and Android have no DejaVu Sans: they drew every chart in their
default serif, narrower, with the two lines of each product label out of line with each other and
the boxes behind the values too wide. The build machines have DejaVu Sans installed, so no check in
a browser there could see it.

So each SVG carries, as a ``@font-face`` with a ``data:`` address (nothing is loaded from another
file or host), the part of DejaVu Sans it uses: only the characters of its own text, in each weight it
uses (a few kilobytes). DejaVu Sans is free to embed and redistribute (Bitstream Vera licence); the
embedded part keeps the font's copyright and licence names.
"""

from __future__ import annotations

import base64
import functools
import html
import io
import re

from fontTools import subset
from fontTools.ttLib import TTFont
from matplotlib import font_manager

#: The one family every chart is drawn in (``chart_style``); its SVG text names it exactly so.
FAMILY = "DejaVu Sans"
#: Fields of the font's name table kept in the embedded part: copyright (0), names (1-6), licence
#: description and address (13, 14), which its licence asks every copy to carry.
NAME_IDS = [0, 1, 2, 3, 4, 5, 6, 13, 14]
_TEXT = re.compile(r"<text\b([^>]*)>(.*?)</text>", re.S)
_WEIGHT = re.compile(r"font-weight:\s*(\d+)")
_FAMILY = re.compile(r"font-family:\s*([^;\"]+)")


def embed_fonts(svg: str) -> str:
    """*svg* (matplotlib's, text as ``<text>``) with the part of DejaVu Sans its text uses inside it."""
    used = characters_by_weight(svg)
    if not used:
        return svg
    rules = "".join(font_face(weight, "".join(sorted(chars))) for weight, chars in sorted(used.items()))
    opening = svg.index(">", svg.index("<svg")) + 1  # the style goes first, right inside <svg>
    return svg[:opening] + f'\n <style type="text/css">{rules}</style>' + svg[opening:]


def characters_by_weight(svg: str) -> dict[int, set[str]]:
    """The characters of the SVG's text in DejaVu Sans, by font weight (400 where the text names none).

    Text is in DejaVu Sans when it is the first family named: matplotlib lays it out with the first one
    it finds, and DejaVu Sans comes with matplotlib (its default list starts with it). Text in another
    family (a chart drawn outside ``chart_style``) is left as matplotlib wrote it.
    """
    used: dict[int, set[str]] = {}
    for attributes, content in _TEXT.findall(svg):
        family = _FAMILY.search(attributes)
        if family and family.group(1).split(",")[0].strip().strip("'\"") != FAMILY:
            continue
        weight = _WEIGHT.search(attributes)
        text = html.unescape(re.sub(r"<[^>]+>", "", content))
        used.setdefault(int(weight.group(1)) if weight else 400, set()).update(text)
    return {weight: chars for weight, chars in used.items() if "".join(chars).strip()}


@functools.lru_cache(maxsize=256)
def font_face(weight: int, characters: str) -> str:
    """The ``@font-face`` rule of DejaVu Sans in *weight* with just *characters*, as WOFF in a data address.

    The same characters give the same bytes (no timestamp is rewritten), so an unchanged chart keeps
    its file from one build to the next.
    """
    path = font_manager.findfont(
        font_manager.FontProperties(family=FAMILY, weight=weight), fallback_to_default=False
    )
    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = ["kern"]  # matplotlib kerns and sets no ligatures; the browser does the same
    options.name_IDs = NAME_IDS
    options.hinting = False
    options.notdef_outline = True
    options.drop_tables += ["FFTM"]  # FontForge's timestamps: nothing a browser reads
    font = TTFont(path, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.flavor = "woff"
    font.save(buffer, reorderTables=True)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (
        f"@font-face{{font-family:'{FAMILY}';font-weight:{weight};"
        f"src:url(data:font/woff;base64,{data}) format('woff')}}"
    )
