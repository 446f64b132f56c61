"""La proyección de cada producto dibujada contra su historia: un panel por producto, y sus cifras.

Separate because it changes with the history of past years (panels, compact numbers, marks).
"""

from __future__ import annotations

import math
import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from pei_analysis.chapters.figures.common import (
    AHEAD_COLOR,
    PHONE_FONT,
    PHONE_LABEL_WIDTH,
    PHONE_TITLE_WIDTH,
    PHONE_WIDTH,
    WIDTH,
    chart_style,
    figure_title,
    finite_or_empty,
    program_rows,
    program_title,
    with_phone,
)
from pei_analysis.chapters.product_names import short_labels
from pei_analysis.format import UNBOUNDED_TEXT


def history_data(totals: pd.DataFrame, table: pd.DataFrame, programa: str) -> pd.DataFrame:
    """The numbers :func:`history_chart` draws for *programa*: per product and year, the bar (total or this
    year's execution so far), the goal, and this year's projection with its interval (open limit: empty)."""
    from pei_analysis.tables.poa import PRODUCT_KEY

    keys = program_rows(table, programa)[PRODUCT_KEY]
    columns = [
        PRODUCT_KEY,
        "anio",
        "tipo",
        "ejecutado",
        "programado",
        "proyeccion",
        "limite_inferior",
        "limite_superior",
    ]
    rows = totals.loc[totals[PRODUCT_KEY].isin(keys), [c for c in columns if c in totals.columns]]
    rows = rows.sort_values([PRODUCT_KEY, "anio"], kind="stable").reset_index(drop=True)
    for column in ("proyeccion", "limite_inferior", "limite_superior"):
        if column in rows:
            rows[column] = finite_or_empty(rows[column])
    return rows


#: Colours of the history figure (Okabe-Ito): earlier years, this year's execution so far, projection.
PAST_COLOR = "#56B4E9"
CURRENT_COLOR = AHEAD_COLOR  # this year's execution: the same grey as in the pace chart, never a semáforo hue
PROJECTION_COLOR = "#000000"
HISTORY_COLUMNS = 2  # panels per row of the wide figure; the phone figure has one
PANEL_HEIGHT = 2.0  # inches per row of panels
PHONE_PANEL_HEIGHT = 2.1  # inches per panel of the phone figure (a title of up to two lines over it)
#: Letter sizes (points) of a panel's notes, axis numbers and title: wide figure, phone figure.
PANEL_FONTS = {False: (6.5, 7.5, 8), True: (8.5, 8.5, PHONE_FONT)}


def compact_number(value: float, _pos=None) -> str:
    """1_250_000 → '1.25 M'; 350_000 → '350 mil'; 950 → '950'; 2.5 → '2.5': short axis labels in Spanish.

    Small counts keep their decimals (PRECAPI's products count a dozen a year): a tick at 2.5 labelled
    «2» would misread the axis.
    """
    if not math.isfinite(value):
        return ""
    magnitude = abs(value)
    if magnitude >= 1e6:
        return f"{value / 1e6:,.3g} M"
    if magnitude >= 1e3:
        return f"{value / 1e3:,.3g} mil"
    return f"{value:,.0f}" if value == round(value) else f"{value:,.3g}"


def _history_panel(ax, rows: pd.DataFrame, years: list[int], title: str, phone: bool = False) -> None:
    """One product: a bar per year (earlier totals; this year's execution so far), the projection with
    its interval over this year's bar, and the goal (programado) as a dash over each year."""
    note, tick, heading = PANEL_FONTS[phone]
    by_year = rows.set_index("anio")
    for x, year in enumerate(years):
        if year not in by_year.index:
            ax.text(x, 0, "sin\ndatos", ha="center", va="bottom", fontsize=note, color="#555555")
            continue
        r = by_year.loc[year]
        tipo = r["tipo"]
        value = float(r["ejecutado"]) if pd.notna(r["ejecutado"]) else 0.0
        if tipo == "en_curso":
            ax.bar(x, value, width=0.7, color=CURRENT_COLOR)
            if pd.notna(r["proyeccion"]):
                _projection_mark(ax, x, r, _panel_top(rows), note)
        elif tipo == "incompleto":
            ax.bar(x, value, width=0.7, facecolor="white", edgecolor=PAST_COLOR, hatch="///", linewidth=1)
            ax.text(x, value, "incompleto", ha="center", va="bottom", fontsize=note, color="#333333")
        else:
            ax.bar(x, value, width=0.7, color=PAST_COLOR, alpha=0.6 if tipo == "anual" else 1.0)
            if tipo == "anual":
                ax.text(x, value, "anual", ha="center", va="bottom", fontsize=note, color="#333333")
        if pd.notna(r["programado"]):
            ax.plot(
                [x - 0.42, x + 0.42],
                [float(r["programado"])] * 2,
                color="#222222",
                linestyle="--",
                linewidth=1.2,
            )
    ax.set_xticks(range(len(years)), [str(y) for y in years], fontsize=tick)
    ax.yaxis.set_major_formatter(FuncFormatter(compact_number))
    ax.tick_params(axis="y", labelsize=tick)
    # Units are counted whole: a panel of 0 to 3 pensions ticks 0, 1, 2, 3, never 0.5.
    ax.yaxis.get_major_locator().set_params(integer=True, **({"nbins": 4} if phone else {}))
    ax.set_ylim(bottom=0)
    ax.margins(y=0.15)
    ax.set_title(title, loc="left", fontsize=heading, fontweight="normal")


def _panel_top(rows: pd.DataFrame) -> float:
    """The highest finite value a panel draws (totals, goals, projection and limits), at least 1."""
    values = rows[["ejecutado", "programado", "proyeccion", "limite_inferior", "limite_superior"]].to_numpy(
        float
    )
    finite = values[np.isfinite(values)]
    return max(float(finite.max()) if finite.size else 0.0, 1.0)


def _projection_mark(ax, x: float, r: pd.Series, top: float, fontsize: float = 6.5) -> None:
    """The projection (a diamond) and its interval (a vertical line with caps); an open upper limit
    (nothing bounds it: no execution and no history) is drawn up to the panel's top and says so."""
    point = float(r["proyeccion"])
    low = float(r["limite_inferior"]) if pd.notna(r["limite_inferior"]) else point
    high = float(r["limite_superior"]) if pd.notna(r["limite_superior"]) else point
    open_top = not math.isfinite(high)
    if open_top:
        high = top * 1.1
        ax.text(x, high, UNBOUNDED_TEXT, ha="center", va="bottom", fontsize=fontsize, color="#333333")
    ax.errorbar(
        x,
        point,
        yerr=[[max(point - low, 0)], [max(high - point, 0)]],
        fmt="D",
        color=PROJECTION_COLOR,
        markersize=5,
        capsize=0 if open_top else 4,
        linewidth=1.4,
    )


def history_chart(totals: pd.DataFrame, table: pd.DataFrame, programa: str, *, level: float = 0.8) -> Figure:
    """Small multiples, one panel per product of *programa*: its yearly totals in earlier years, this
    year's execution so far with the projection and its interval, and the goal (programado) of each year.

    *totals* is :attr:`pei_analysis.model.history.History.totals` (one row per product and year);
    incomplete and annual-only years are drawn differently and say so in words over their bar.
    The returned wide figure (:data:`HISTORY_COLUMNS` panels a row) carries its phone version
    (:func:`phone_figure`): one panel a row, larger letters.
    """
    return with_phone(
        _history(totals, table, programa, level, phone=False),
        _history(totals, table, programa, level, phone=True),
    )


def _history(totals: pd.DataFrame, table: pd.DataFrame, programa: str, level: float, phone: bool) -> Figure:
    from pei_analysis.tables.poa import PRODUCT_KEY

    rows = program_rows(table, programa).iloc[::-1]  # reading order: first product first
    years = sorted(int(y) for y in totals["anio"].unique())  # the same years in every panel and program
    width = PHONE_LABEL_WIDTH if phone else 44
    labels = short_labels(rows, limit=70).map(lambda t: textwrap.fill(t, width, max_lines=2, placeholder="…"))
    n = len(rows)
    columns = 1 if phone else HISTORY_COLUMNS
    nrows = math.ceil(n / columns)
    size = (PHONE_WIDTH, 3.2 + PHONE_PANEL_HEIGHT * nrows) if phone else (WIDTH, 1.2 + PANEL_HEIGHT * nrows)
    with plt.rc_context(chart_style(phone)):
        fig, axes = plt.subplots(nrows, columns, figsize=size, layout="constrained", squeeze=False)
        for ax, record, label in zip(axes.flat, rows.to_dict("records"), labels, strict=False):
            mine = totals[totals[PRODUCT_KEY] == record[PRODUCT_KEY]]
            _history_panel(ax, mine, years, label, phone)
        for ax in axes.flat[n:]:
            ax.set_visible(False)
        title = program_title(rows, PHONE_TITLE_WIDTH) if phone else program_title(rows)
        figure_title(fig, title, phone)
        drawn = set(totals.loc[totals[PRODUCT_KEY].isin(rows[PRODUCT_KEY]), "tipo"])
        fig.legend(
            handles=_history_handles(drawn, level),
            loc="outside lower center",
            ncols=1 if phone else 2,
            frameon=False,
            fontsize=PHONE_FONT if phone else 8,
        )
    plt.close(fig)
    return fig


def _history_handles(drawn: set, level: float) -> list:
    """The history figure's legend: only the kinds of year it draws (*drawn*: the ``tipo`` values)."""
    return [
        plt.Rectangle((0, 0), 1, 1, color=PAST_COLOR, label="total de un año anterior"),
        *(
            [
                plt.Rectangle(
                    (0, 0),
                    1,
                    1,
                    facecolor="white",
                    edgecolor=PAST_COLOR,
                    hatch="///",
                    label="año incompleto (suma de lo que hay)",
                )
            ]
            if "incompleto" in drawn
            else []
        ),
        *(
            [plt.Rectangle((0, 0), 1, 1, color=PAST_COLOR, alpha=0.6, label="año con solo su total anual")]
            if "anual" in drawn
            else []
        ),
        plt.Rectangle((0, 0), 1, 1, color=CURRENT_COLOR, label="ejecutado este año hasta ahora"),
        plt.Line2D(
            [0],
            [0],
            color=PROJECTION_COLOR,
            marker="D",
            markersize=5,
            label=f"proyección al cierre e intervalo al {level * 100:.0f}%",
        ),
        plt.Line2D([0], [0], color="#222222", linestyle="--", label="programado (meta) del año"),
    ]
