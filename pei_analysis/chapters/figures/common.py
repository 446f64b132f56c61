"""Lo que comparten todos los gráficos: estilo, colores, tamaños, la versión para teléfono, el SVG como
texto y la línea de fuente.

Separate because it changes with the book's look (letters, colours, widths), not with any one chart.
Its helpers are public (no leading underscore) because every chart module of the package uses them;
they are not re-exported by the package, whose readers only need the charts.
"""

from __future__ import annotations

import io
import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from pei_analysis.calendar import cuatrimestre_label
from pei_analysis.chapters.figures.svg_fonts import embed_fonts
from pei_analysis.chapters.product_names import short_labels
from pei_analysis.errors import DataError

#: Pace colours: hues the semáforo never uses (display.STATUS_STYLE), so that blue always means
#: sobre-ejecución and amber en riesgo across the book. This year's execution is dark grey; a bar
#: behind the even pace turns reddish purple (Okabe-Ito) and is hatched, for readers without colour.
AHEAD_COLOR = "#4D4D4D"  # dark grey: at or above the even pace
BEHIND_COLOR = "#CC79A7"  # reddish purple, hatched: behind it
EXPECTED_COLOR = "#222222"
WIDTH = 7.2  # inches: the book's text column at 100% zoom, so fonts keep their size on screen
ROW_HEIGHT = 0.42  # inches per product row (labels take two lines)
LABEL_WIDTH = 34  # characters per line of a product label
#: Tick labels of a percentage axis («25%», «1,200%»), shared so that every chart writes them alike.
#: Behind a value written on a chart: a reference line (100%, the even pace) must not cross its digits.
LABEL_BACKGROUND = {"facecolor": "white", "alpha": 0.7, "edgecolor": "none", "pad": 0.5}
PCT_AXIS = FuncFormatter(lambda v, _pos: f"{v:,.0f}%")
#: The phone figure: 3.4 inches are 326 CSS px, the text column of a 375 px phone (327 px), so it is
#: shown unscaled; its smallest letters (:data:`PHONE_FONT`, in points) are 12 CSS px there.
PHONE_WIDTH = 3.4
PHONE_FONT = 9
PHONE_LABEL_WIDTH = 40  # characters per line of a product label written above its bar
PHONE_TITLE_WIDTH = 34  # characters per line of the title
PHONE_ROW = 0.72  # inches per product: a label of up to two lines above a thin bar
#: Attribute of a wide Figure that holds its phone version (see :func:`phone_figure`).
PHONE_ATTRIBUTE = "pei_telefono"


def phone_figure(figure) -> Figure | None:
    """The phone version drawn with *figure* by this module's chart functions; None for any other figure."""
    return getattr(figure, PHONE_ATTRIBUTE, None)


def with_phone(wide: Figure, phone: Figure) -> Figure:
    """*wide* carrying *phone* as its phone version; every chart returns its two drawings this way.

    One Figure travels through the chapters and :func:`phone_figure` finds the other, so a chart
    function keeps a single return value and the book decides which one a screen shows.
    """
    setattr(wide, PHONE_ATTRIBUTE, phone)
    return wide


def chart_style(phone: bool = False) -> dict:
    """The matplotlib settings every chart is drawn under (``plt.rc_context``), phone or wide.

    One place for the book's letters and spines keeps the charts alike, and turning mathtext off here
    keeps a «$» in a description from being read as a formula in any of them.
    """
    return {
        "font.family": "DejaVu Sans",
        # Text from the data is drawn as written: a "$" in a description never starts matplotlib's mathtext.
        "text.parse_math": False,
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlesize": 10 if phone else 11,
        "axes.titleweight": "bold",
        "figure.dpi": 150,
        "savefig.dpi": 150,
    }


def program_rows(table: pd.DataFrame, programa: str) -> pd.DataFrame:
    """The products of *programa* in *table*, each with its wrapped label (``etiqueta``), last product first.

    Every per-program chart draws the same rows in the same order with the same labels; an unknown
    program is a :class:`~pei_analysis.errors.DataError` naming the programs there are.
    """
    rows = table[table["programa"].astype(str) == str(programa)]
    labels = short_labels(rows, limit=2 * LABEL_WIDTH).map(
        lambda t: textwrap.fill(t, LABEL_WIDTH, max_lines=2, placeholder="…")
    )
    rows = rows.assign(etiqueta=labels)
    if rows.empty:
        raise DataError(
            f"no hay productos del programa {programa}; programas disponibles: "
            + ", ".join(sorted(table["programa"].astype(str).unique())),
            field="programa",
        )
    return rows.sort_values("producto", ascending=False, kind="stable")


def program_title(rows: pd.DataFrame, width: int = 70) -> str:
    """«Programa 11: Nombre del programa», wrapped at *width* characters: the title of every per-program
    chart, so that the wide and phone versions of each chart name the program the same way."""
    first = rows.iloc[0]
    return textwrap.fill(f"Programa {first['programa']}: {str(first['programa_nombre']).capitalize()}", width)


def figure_title(fig: Figure, title: str, phone: bool = False) -> None:
    """Write *title* at the figure's left edge, over the labels as well as the plot.

    An axes title starts where the plot does, right of the product labels: with short labels and a long
    program name («Programa 94: Atención por desastres naturales y calamidades públicas») it ran past the
    figure's right edge and the book showed it cut. The figure's own title has the whole width, and the
    constrained layout keeps room for it above the plot.
    """
    fig.suptitle(title, x=0.01, ha="left", fontsize=10 if phone else 11, fontweight="bold")


def phone_labels(rows: pd.DataFrame) -> list[str]:
    """Each product's label for the phone figure: up to two lines of :data:`PHONE_LABEL_WIDTH` characters."""
    labels = short_labels(rows, limit=2 * PHONE_LABEL_WIDTH)
    return [textwrap.fill(t, PHONE_LABEL_WIDTH, max_lines=2, placeholder="…") for t in labels]


def phone_rows(ax, n: int, labels: list[str], height: float = 0.36) -> np.ndarray:
    """Rows of a phone figure: no axis labels; each *label* written above its row (row *i* at y = i).

    Returns the rows' y positions; a bar or a marker of *height* data units fits under its label.
    """
    y = np.arange(n, dtype=float)
    for row, label in zip(y, labels, strict=True):
        ax.text(
            0,
            row + height / 2 + 0.04,
            label,
            va="bottom",
            ha="left",
            fontsize=PHONE_FONT,
            transform=ax.get_yaxis_transform(),  # x in the axes' width: from its left edge
            bbox=LABEL_BACKGROUND,
        )
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.set_ylim(-0.5, n - 0.5 + 0.45)
    return y


def svg_text(fig: Figure) -> str:
    """The figure as SVG text, its letters as ``<text>`` (not paths) in the font they were laid out with,
    carried inside (:mod:`.svg_fonts`), and byte-identical from one build to the next.

    Text as text keeps a 200-label chart light (paths weighed six times more); the embedded font makes
    every reader's machine draw it as matplotlib composed it; the fixed hash salt and the absent date
    keep an unchanged figure from changing the edition's pages.
    """
    buffer = io.StringIO()
    with plt.rc_context({"svg.fonttype": "none", "svg.hashsalt": "pei-analysis"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    return embed_fonts(buffer.getvalue())


def source_line(anio: int, cuatrimestre: int, first_year: int | None = None) -> str:
    """«Fuente: SICOIN, Reporte Analítico de Ejecución Física, enero-abril 2024; cálculos de esta
    publicación.»

    With *first_year* (a figure that also draws earlier years) the period starts in that year.
    """
    period = cuatrimestre_label(anio, cuatrimestre).replace(" de ", " ")
    if first_year is not None and first_year < anio:
        period = f"{first_year} a {period}"
    return f"Fuente: SICOIN, Reporte Analítico de Ejecución Física, {period}; cálculos de esta publicación."


def finite_or_empty(values: pd.Series) -> pd.Series:
    """Infinite limits (nothing bounds them) become empty cells: a CSV reader must never meet «inf».

    Shared by every ``*_data`` function whose figures can have an open interval.
    """
    return values.astype(float).where(np.isfinite(values.astype(float)))
