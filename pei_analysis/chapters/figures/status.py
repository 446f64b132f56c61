"""El gráfico del semáforo del resumen: productos por estado, y sus cifras.

Separate because it changes with the summary's states, not with any product's chart.
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from pei_analysis.chapters.display import STATUS_STYLE
from pei_analysis.chapters.figures.common import (
    PHONE_TITLE_WIDTH,
    PHONE_WIDTH,
    WIDTH,
    chart_style,
    figure_title,
    with_phone,
)


def status_data(counts: pd.DataFrame) -> pd.DataFrame:
    """The bars of :func:`status_chart`: each state with at least one product and its count, top bar first."""
    return counts.loc[counts["productos"] > 0, ["estado", "productos"]].reset_index(drop=True)


def status_chart(counts: pd.DataFrame) -> Figure:
    """How many products are in each semáforo state (from ``report.status_counts``), each bar labelled.

    The returned wide figure carries its phone version (:func:`phone_figure`): the same bars, narrower.
    """
    return with_phone(_status(counts, phone=False), _status(counts, phone=True))


def _status(counts: pd.DataFrame, phone: bool) -> Figure:
    rows = counts[counts["productos"] > 0].iloc[::-1]
    title = "Productos por estado del semáforo (proyección al cierre)"
    with plt.rc_context(chart_style(phone)):
        bars = 0.42 * max(len(rows), 1)
        fig, ax = plt.subplots(
            figsize=(PHONE_WIDTH, 1.5 + bars) if phone else (WIDTH, 0.9 + bars), layout="constrained"
        )
        y = np.arange(len(rows))
        colors = [STATUS_STYLE[e]["color"] for e in rows["estado"]]
        ax.barh(y, rows["productos"], color=colors, height=0.65)
        for i, record in enumerate(rows.to_dict("records")):
            ax.text(record["productos"] + 0.2, i, str(record["productos"]), va="center", fontsize=9)
        ax.set_yticks(y, [f"{STATUS_STYLE[e]['simbolo']} {e}" for e in rows["estado"]])
        ax.set_xlabel("Número de productos")
        ax.set_xlim(0, max(rows["productos"].max() if len(rows) else 1, 1) * 1.15 + 0.5)
        ax.xaxis.get_major_locator().set_params(integer=True)
        figure_title(fig, textwrap.fill(title, PHONE_TITLE_WIDTH) if phone else title, phone)
    plt.close(fig)
    return fig
