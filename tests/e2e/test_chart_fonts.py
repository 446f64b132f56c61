"""The charts look the same on a reader's machine as on ours: their letters travel inside each SVG.

Every build machine has DejaVu Sans installed (``.ci/run`` installs it), the font matplotlib lays
the charts out with; Windows, macOS, iOS and Android do not have it, and an SVG shown as an image
can only use the fonts of the machine or the ones it carries. These tests draw the book's charts in
Debian's Chromium twice: as usual, and with a font configuration whose only fonts are STIX (a
Times-like serif, from matplotlib's own folder), as on a reader's machine without DejaVu Sans whose
default font is Times New Roman. With the font embedded the two drawings are the same; without it
(the control), the second one is drawn in the other letter.
"""

from __future__ import annotations

import base64
import io
import os
import re
import shutil
from pathlib import Path

import matplotlib
import pytest
from PIL import Image, ImageChops
from playwright.sync_api import sync_playwright

from tests.e2e.test_browser import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="falta /usr/bin/chromium (Debian: apt-get install chromium); .ci/run lo instala",
)

#: fontconfig with a folder of our choosing: the machine's rendering settings (conf.d), none of its fonts.
NO_FONTS = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>{fonts}</dir>
  <cachedir>{cache}</cachedir>
  <include ignore_missing="yes">/etc/fonts/conf.d</include>
</fontconfig>
"""
#: The charts drawn: the widest projection chart (most letters) and a phone chart.
CHARTS = ("Programa 11: Servicios", "Programa 94: Atención")


def _charts(site: Path) -> list[str]:
    """The SVG of each chart in :data:`CHARTS`, the wide one and the phone one."""
    found = []
    for path in sorted((site / "_images").glob("*.svg")):
        text = path.read_text(encoding="utf-8")
        if "Proyección al cierre del año" in text and any(title in text for title in CHARTS):
            found.append(text)
    assert len(found) == 2 * len(CHARTS), len(found)
    return found


def _drawn(svgs: list[str], env: dict | None) -> list[Image.Image]:
    """Each SVG as Chromium draws it in an <img>, under the font configuration *env*."""
    shots = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, env=env)
        page = browser.new_page(viewport={"width": 800, "height": 600})
        for svg in svgs:
            data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
            page.set_content(f'<body style="margin:0"><img src="data:image/svg+xml;base64,{data}"></body>')
            page.wait_for_function("document.images[0].complete && document.images[0].naturalWidth > 0")
            png = page.locator("img").screenshot()
            shots.append(Image.open(io.BytesIO(png)).convert("RGB"))
        browser.close()
    return shots


def _changed_share(a: Image.Image, b: Image.Image) -> float:
    """The share of pixels that differ between two drawings of the same size."""
    assert a.size == b.size
    mask = ImageChops.difference(a, b).convert("L").point(lambda v: 255 if v > 24 else 0)
    return mask.histogram()[255] / (a.size[0] * a.size[1])


@pytest.fixture(scope="module")
def no_fonts_env(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("sin_dejavu")
    (folder / "fuentes").mkdir()
    for name in ("STIXGeneral.ttf", "STIXGeneralBol.ttf"):  # a serif like Times New Roman, and its bold
        shutil.copy(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name, folder / "fuentes" / name)
    config = folder / "fonts.conf"
    config.write_text(NO_FONTS.format(fonts=folder / "fuentes", cache=folder / "cache"), encoding="utf-8")
    return {**os.environ, "FONTCONFIG_FILE": str(config)}


def test_a_chart_looks_the_same_on_a_machine_without_dejavu_sans(built_book, no_fonts_env):
    svgs = _charts(built_book.output_dir)
    assert all("@font-face" in svg and "data:font/woff;base64," in svg for svg in svgs)
    here = _drawn(svgs, None)
    elsewhere = _drawn(svgs, no_fonts_env)
    for ours, theirs in zip(here, elsewhere, strict=True):
        assert _changed_share(ours, theirs) < 0.001


def test_without_its_font_a_chart_is_drawn_in_another_letter_on_such_a_machine(built_book, no_fonts_env):
    # The control: the same charts with their @font-face removed do change there, so the test above
    # measures the embedded font and not a machine that happens to have DejaVu Sans.
    svgs = [re.sub(r"@font-face\{[^}]*\}", "", svg) for svg in _charts(built_book.output_dir)]
    here = _drawn(svgs, None)
    elsewhere = _drawn(svgs, no_fonts_env)
    for ours, theirs in zip(here, elsewhere, strict=True):
        assert _changed_share(ours, theirs) > 0.005
