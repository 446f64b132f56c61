"""Los gráficos del libro: avance contra el ritmo esperado, proyección al cierre con su intervalo, semáforo.

Each function takes a table from :mod:`pei_analysis.model.edition` and returns a closed matplotlib
Figure (Jupyter shows it once; nothing is left open in pyplot). Colours come from
``presentation.STATUS_STYLE`` (Okabe-Ito, safe for colour-blind readers) and every colour is
paired with a symbol or a written value, so no figure relies on colour alone. Axis labels are
Spanish, with units; numbers are written as the source writes them (34.55%).

The book shows each figure as SVG with its text kept as text (:func:`svg_text`): it stays sharp at any
zoom, can be searched and copied, and weighs less than a PNG. Each SVG carries the part of DejaVu Sans
its text uses (:mod:`.svg_fonts`), so a reader's machine without that font draws it as it was laid out.
Beside each chart function, a ``*_data`` function returns exactly the numbers it draws, for the CSV
linked under the figure.

Every chart is drawn twice: the wide figure for a screen or paper, and a phone figure
(:func:`phone_figure`) as wide as a 375 px phone's text column, so that it is shown at its natural
size and no letter is under 11 CSS px (a 7-inch figure shrunk to a phone halves its letters). The phone
figure stacks what the wide one puts side by side: each product's label above its bar, one panel per
row. The book shows one or the other by the width of the screen (``book/_static/libro.css``).
"""

from pei_analysis.chapters.figures.common import (
    AHEAD_COLOR,
    BEHIND_COLOR,
    EXPECTED_COLOR,
    LABEL_WIDTH,
    PHONE_ATTRIBUTE,
    PHONE_FONT,
    PHONE_LABEL_WIDTH,
    PHONE_ROW,
    PHONE_TITLE_WIDTH,
    PHONE_WIDTH,
    ROW_HEIGHT,
    WIDTH,
    phone_figure,
    source_line,
    svg_text,
)
from pei_analysis.chapters.figures.history import (
    CURRENT_COLOR,
    HISTORY_COLUMNS,
    PANEL_FONTS,
    PANEL_HEIGHT,
    PAST_COLOR,
    PHONE_PANEL_HEIGHT,
    PROJECTION_COLOR,
    compact_number,
    history_chart,
    history_data,
)
from pei_analysis.chapters.figures.pace import avance_chart, avance_data
from pei_analysis.chapters.figures.projection import projection_chart, projection_data
from pei_analysis.chapters.figures.status import status_chart, status_data

__all__ = [
    "AHEAD_COLOR",
    "BEHIND_COLOR",
    "CURRENT_COLOR",
    "EXPECTED_COLOR",
    "HISTORY_COLUMNS",
    "LABEL_WIDTH",
    "PANEL_FONTS",
    "PANEL_HEIGHT",
    "PAST_COLOR",
    "PHONE_ATTRIBUTE",
    "PHONE_FONT",
    "PHONE_LABEL_WIDTH",
    "PHONE_PANEL_HEIGHT",
    "PHONE_ROW",
    "PHONE_TITLE_WIDTH",
    "PHONE_WIDTH",
    "PROJECTION_COLOR",
    "ROW_HEIGHT",
    "WIDTH",
    "avance_chart",
    "avance_data",
    "compact_number",
    "history_chart",
    "history_data",
    "phone_figure",
    "projection_chart",
    "projection_data",
    "source_line",
    "status_chart",
    "status_data",
    "svg_text",
]
