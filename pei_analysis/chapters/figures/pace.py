"""El gráfico del avance de cada producto contra el ritmo esperado, y las cifras que dibuja.

Separate because it changes with how the pace is read (bars, hatching, the expected line).
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from pei_analysis.chapters.figures.common import (
    AHEAD_COLOR,
    BEHIND_COLOR,
    EXPECTED_COLOR,
    LABEL_BACKGROUND,
    PCT_AXIS,
    PHONE_FONT,
    PHONE_ROW,
    PHONE_TITLE_WIDTH,
    PHONE_WIDTH,
    ROW_HEIGHT,
    WIDTH,
    chart_style,
    figure_title,
    phone_labels,
    phone_rows,
    program_rows,
    program_title,
    with_phone,
)
from pei_analysis.format import fmt_pct
from pei_analysis.tables.poa import PRODUCT_KEY


def avance_data(table: pd.DataFrame, programa: str) -> pd.DataFrame:
    """The numbers :func:`avance_chart` draws for *programa*, top bar first: each product's % de avance,
    the expected pace (the dashed line) and whether the bar is drawn as behind it."""
    rows = program_rows(table, programa).iloc[::-1]
    return pd.DataFrame(
        {
            "programa": rows["programa"].astype(str),
            "producto": rows["producto"],
            PRODUCT_KEY: rows[PRODUCT_KEY],
            "descripcion": rows["descripcion"],
            "pct_avance": rows["pct_avance"].astype(float),
            "pct_esperado": rows["pct_esperado"].astype(float),
            "por_debajo_del_ritmo": rows["pct_avance"].astype(float) < rows["pct_esperado"].astype(float),
        }
    ).reset_index(drop=True)


def avance_chart(table: pd.DataFrame, programa: str) -> Figure:
    """Horizontal bars of each product's % de avance, with the even-pace line (share of year elapsed).

    Bars behind the pace are reddish purple and hatched, the others dark grey; each bar carries its
    value. The returned wide figure carries its phone version (:func:`phone_figure`).
    """
    rows = program_rows(table, programa)
    return with_phone(_avance_wide(rows), _avance_phone(rows))


def _avance_bars(ax, y, values: np.ndarray, expected: float, height: float, fontsize: float):
    """The bars (behind the pace: purple, hatched) and the value written after each; returns the x limit."""
    behind = values < expected
    bars = ax.barh(
        y,
        np.nan_to_num(values),
        color=[BEHIND_COLOR if b else AHEAD_COLOR for b in behind],
        hatch=["//" if b else "" for b in behind],
        edgecolor="white",
        height=height,
    )
    top = max(np.nanmax(values) if np.isfinite(values).any() else 0, expected) * 1.22 + 1
    for bar, value in zip(bars, values, strict=True):
        text = fmt_pct(value) if math.isfinite(value) else "sin datos"
        ax.text(
            bar.get_width() + top * 0.01,
            bar.get_y() + bar.get_height() / 2,
            text,
            va="center",
            fontsize=fontsize,
            bbox=LABEL_BACKGROUND,
        )
    ax.axvline(expected, color=EXPECTED_COLOR, linestyle="--", linewidth=1.2)
    return top


def _avance_legend(fig, ncols: int, fontsize: float) -> None:
    fig.legend(
        handles=[
            plt.Rectangle((0, 0), 1, 1, color=AHEAD_COLOR, label="al ritmo esperado o por encima"),
            plt.Rectangle(
                (0, 0),
                1,
                1,
                facecolor=BEHIND_COLOR,
                hatch="//",
                edgecolor="white",
                label="por debajo del ritmo esperado",
            ),
            plt.Line2D([0], [0], color=EXPECTED_COLOR, linestyle="--", label="parte del año transcurrida"),
        ],
        loc="outside lower center",
        ncols=ncols,
        frameon=False,
        fontsize=fontsize,
    )


def _avance_phone(rows: pd.DataFrame) -> Figure:
    """The phone version of :func:`avance_chart`: each product's label above its bar, a legend item a line."""
    expected = float(rows["pct_esperado"].iloc[0])
    values = rows["pct_avance"].to_numpy(dtype=float)
    with plt.rc_context(chart_style(phone=True)):
        fig, ax = plt.subplots(figsize=(PHONE_WIDTH, 2.4 + PHONE_ROW * len(rows)), layout="constrained")
        y = phone_rows(ax, len(rows), phone_labels(rows))
        top = _avance_bars(ax, y, values, expected, 0.36, PHONE_FONT)
        top = top * 1.1  # room for the value after the longest bar in a narrow figure
        ax.text(expected, len(rows) - 0.3, f" esperado {fmt_pct(expected)}", fontsize=PHONE_FONT, va="bottom")
        ax.set_xlim(0, top)
        ax.set_ylim(-0.5, len(rows) + 0.05)
        ax.xaxis.set_major_formatter(PCT_AXIS)
        ax.xaxis.get_major_locator().set_params(nbins=4)
        ax.set_xlabel("Avance acumulado del año\n(% de lo programado vigente)")
        figure_title(fig, program_title(rows, PHONE_TITLE_WIDTH), phone=True)
        _avance_legend(fig, 1, PHONE_FONT)
    plt.close(fig)
    return fig


def _avance_wide(rows: pd.DataFrame) -> Figure:
    expected = float(rows["pct_esperado"].iloc[0])
    labels = rows["etiqueta"].tolist()
    values = rows["pct_avance"].to_numpy(dtype=float)
    with plt.rc_context(chart_style()):
        fig, ax = plt.subplots(figsize=(WIDTH, 1.4 + ROW_HEIGHT * len(rows)), layout="constrained")
        y = np.arange(len(rows))
        top = _avance_bars(ax, y, values, expected, 0.7, 8)
        ax.text(expected, len(rows) - 0.4, f" esperado {fmt_pct(expected)}", fontsize=8, va="bottom")
        ax.set_yticks(y, labels)
        ax.set_xlim(0, top)
        ax.set_ylim(-0.6, len(rows) + 0.2)
        ax.xaxis.set_major_formatter(PCT_AXIS)
        ax.set_xlabel("Avance acumulado del año (% de lo programado vigente)")
        figure_title(fig, program_title(rows))
        _avance_legend(fig, 3, 8)
    plt.close(fig)
    return fig
