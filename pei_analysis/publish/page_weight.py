"""What the build trims from Jupyter Book's pages so that a reader downloads less, on a phone above all.

Two things weighed most and showed nothing:

- The theme (pydata-sphinx-theme) loads ``_static/scripts/fontawesome.js`` on every page: 1.5 MB (540 KB
  compressed), more than everything else a chapter loads together, charts included, only to turn each
  ``<i class="fa-solid fa-…">`` into an inline SVG once the page has loaded. The theme's own stylesheet
  already draws those icons with the Font Awesome font it loads anyway (the icon of each download link
  uses it), so the script goes. What it did besides drawing stays: each icon is marked ``aria-hidden``
  (its button or link says in words what it does), so a screen reader does not read the font's private
  character. The source maps (``*.map``, 3.4 MB, for a developer's tools; no reader's browser asks for
  them) go too: every edition is kept, and they were a third of each one.
- Every chart is in its page twice, drawn for a wide screen and for a phone
  (:mod:`pei_analysis.chapters.sections`), and the stylesheet shows one of them; a browser fetches every
  ``<img>`` at once, the hidden one too. With past years, «Proyección al cierre» carried 0.9 MB of charts,
  half of them never shown on that screen. Marked ``loading="lazy"``, a hidden chart is never fetched and
  a shown one only when the reader scrolls near it. Each keeps its place meanwhile: its ``width`` and
  ``height`` (the SVG's own size) let the browser lay out the page before the chart arrives, so the text
  does not jump when it does, nor does a product row a link opened. Printing needs them all: Chromium
  loads lazy images for print, and ``book/_static/graficos.js`` asks every browser to before it prints.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

#: The theme's tag that loads the icon script, with the blank line it leaves.
ICON_SCRIPT_RE = re.compile(
    r'[ \t]*<script\b[^>]*\bsrc="[^"]*scripts/fontawesome\.js[^"]*"[^>]*>\s*</script>[ \t]*\n?'
)
#: An element the theme draws as an icon: its class names a Font Awesome style.
ICON_TAG_RE = re.compile(
    r'<(?:i|span)\b[^>]*\bclass="(?:[^"]* )?(?:fa-solid|fa-regular|fa-brands|fas|far|fab)[ "][^>]*>'
)
#: A chart drawn twice (its wide or its phone version, see :mod:`pei_analysis.chapters.sections`).
CHART_TAG_RE = re.compile(r'<img\b[^>]*\bclass="(?:[^"]* )?grafico-(?:ancho|telefono)[ "][^>]*>')
#: The size an SVG of matplotlib gives itself, in points, on its root element.
SVG_SIZE_RE = re.compile(r'<svg\b[^>]*?\swidth="([\d.]+)pt"[^>]*?\sheight="([\d.]+)pt"')
#: CSS pixels per point (96 per inch, 72 points per inch): how a browser sizes a chart drawn in points.
PX_PER_PT = 96 / 72
#: Files of the theme no published page uses once the script is gone.
UNUSED_FILES = ("_static/scripts/fontawesome.js", "_static/scripts/fontawesome.js.LICENSE.txt")


def lighter_page(page: str, chart_size: Callable[[str], tuple[int, int] | None] = lambda src: None) -> str:
    """*page* (HTML) without the tag that loads ``fontawesome.js``, each icon hidden from screen readers and
    each chart loaded when it is about to be shown, in the place *chart_size* (its ``src`` → width and
    height in CSS pixels, or None) keeps for it; a page already so is returned unchanged."""
    page = ICON_SCRIPT_RE.sub("", page)
    page = ICON_TAG_RE.sub(lambda m: _with_attribute(m.group(0), "aria-hidden", "true"), page)
    return CHART_TAG_RE.sub(lambda m: _lazy_chart(m.group(0), chart_size), page)


def _lazy_chart(tag: str, chart_size: Callable[[str], tuple[int, int] | None]) -> str:
    src = re.search(r'\ssrc="([^"]*)"', tag)
    size = chart_size(html.unescape(src.group(1))) if src else None
    if size is not None:
        tag = _with_attribute(_with_attribute(tag, "height", str(size[1])), "width", str(size[0]))
    return _with_attribute(tag, "loading", "lazy")


def svg_size(path: Path) -> tuple[int, int] | None:
    """The width and height, in CSS pixels, a browser gives the SVG chart at *path*; None if it says none."""
    if path.suffix != ".svg" or not path.is_file():
        return None
    with path.open(encoding="utf-8", errors="replace") as handle:
        match = SVG_SIZE_RE.search(handle.read(2000))
    if match is None:
        return None
    width, height = (float(value) * PX_PER_PT for value in match.groups())
    # The attributes are whole pixels, and a browser reserves the place by their ratio: rounding both
    # apart left a 2,600-pixel phone chart 3 px taller than it arrives; the height follows the width's
    # rounding, so the ratio errs by under half a pixel of the height shown.
    shown_width = max(round(width), 1)
    return shown_width, round(height * shown_width / width)


def _with_attribute(tag: str, name: str, value: str) -> str:
    """*tag* (an opening tag) with ``name="value"`` right after its element name, unless it has *name*."""
    if re.search(rf"\s{name}=", re.sub(r'"[^"]*"', '""', tag)):  # an attribute, not words of a value
        return tag
    element = re.match(r"<\w+", tag).group(0)
    return f'{element} {name}="{value}"{tag[len(element) :]}'


def trim_pages(html_dir: Path) -> None:
    """Rewrite the built pages of *html_dir* (:func:`lighter_page`) and remove what no page uses."""
    for page in html_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        trimmed = lighter_page(text, lambda src, folder=page.parent: svg_size(folder / src))
        if trimmed != text:
            page.write_text(trimmed, encoding="utf-8")
    for name in UNUSED_FILES:
        (html_dir / name).unlink(missing_ok=True)
    for source_map in html_dir.rglob("*.map"):
        source_map.unlink()
