"""El gráfico de la proyección al cierre con su intervalo sobre las bandas del semáforo, y sus cifras.

Separate because it changes with the projection model's output and the semáforo thresholds.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from pei_analysis.chapters.display import STATUS_STYLE
from pei_analysis.chapters.figures.common import (
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
    finite_or_empty,
    phone_labels,
    phone_rows,
    program_rows,
    program_title,
    with_phone,
)
from pei_analysis.format import fmt_pct
from pei_analysis.model import attainment
from pei_analysis.model.edition import SCORED_STATES
from pei_analysis.tables.poa import PRODUCT_KEY


def projection_data(table: pd.DataFrame, programa: str) -> pd.DataFrame:
    """The numbers :func:`projection_chart` draws for *programa*, top row first: the projected % of the goal,
    its interval (an open upper limit is an empty cell) and the state that sets the marker."""
    rows = program_rows(table, programa).iloc[::-1]
    return pd.DataFrame(
        {
            "programa": rows["programa"].astype(str),
            "producto": rows["producto"],
            PRODUCT_KEY: rows[PRODUCT_KEY],
            "descripcion": rows["descripcion"],
            "pct_proyectado": finite_or_empty(rows["pct_proyectado"]),
            "pct_inferior": finite_or_empty(rows["pct_inferior"]),
            "pct_superior": finite_or_empty(rows["pct_superior"]),
            "estado": rows["estado"],
            "estado_incierto": rows["estado_incierto"].astype(bool),
        }
    ).reset_index(drop=True)


def projection_chart(
    table: pd.DataFrame, programa: str, thresholds: attainment.Thresholds | None = None
) -> Figure:
    """Each product's projected year-end as % of programado, with its interval, against the semáforo's
    thresholds.

    Markers differ by state as well as colour; a state the interval puts in doubt (it straddles a
    threshold) says «(incierto)» beside the percentage, as the table does; products not scored as a
    percentage (tiny target, no execution) are listed by name with their flag instead of a point.
    The returned wide figure carries its phone version (:func:`phone_figure`).
    """
    t = thresholds or attainment.Thresholds()
    rows = program_rows(table, programa)
    return with_phone(_projection_wide(rows, t), _projection_phone(rows, t))


def _projection_right(rows: pd.DataFrame, t: attainment.Thresholds) -> float:
    """Where the axis ends: past the over-execution threshold and past every scored point and finite limit."""
    scored = rows["estado"].isin(SCORED_STATES).to_numpy()
    pct = rows["pct_proyectado"].to_numpy(dtype=float)[scored]
    hi = rows["pct_superior"].to_numpy(dtype=float)[scored]
    finite = np.concatenate([pct, hi[np.isfinite(hi)]])
    return max(t.over_execution + 15, float(np.nanmax(finite)) + 15 if finite.size else 0)


def _projection_bands(ax, t: attainment.Thresholds, right: float) -> None:
    """The semáforo's bands (light), its thresholds (dotted) and 100% of the goal (dashed)."""
    bands = [
        (0, t.at_risk, STATUS_STYLE[attainment.CRITICO]["color"]),
        (t.at_risk, t.satisfactory, STATUS_STYLE[attainment.EN_RIESGO]["color"]),
        (t.satisfactory, t.over_execution, STATUS_STYLE[attainment.SATISFACTORIO]["color"]),
        (t.over_execution, right, STATUS_STYLE[attainment.SOBRE_EJECUCION]["color"]),
    ]
    for start, end, color in bands:
        ax.axvspan(start, end, color=color, alpha=0.08, linewidth=0)
    for x in (t.at_risk, t.satisfactory, t.over_execution):
        ax.axvline(x, color="#777777", linewidth=0.8, linestyle=":")
    ax.axvline(100, color=EXPECTED_COLOR, linewidth=1.2, linestyle="--")


def _projection_value(record: dict) -> str:
    """«✔ 95.0% (incierto)», or «· meta pequeña: no se califica» for a product not scored as a percentage."""
    estado = record["estado"]
    style = STATUS_STYLE.get(estado, STATUS_STYLE[attainment.SIN_DATOS])
    if estado not in SCORED_STATES:
        return f"{style['simbolo']} {estado}: no se califica"
    doubt = " (incierto)" if bool(record.get("estado_incierto", False)) else ""
    return f"{style['simbolo']} {fmt_pct(float(record['pct_proyectado']), 1)}{doubt}"


def _projection_point(ax, record: dict, y: float, right: float, markersize: float) -> None:
    """One scored product: its interval (a line, cut at the axis end) and its point (the state's marker)."""
    style = STATUS_STYLE.get(record["estado"], STATUS_STYLE[attainment.SIN_DATOS])
    pct, lo, hi = (float(record[c]) for c in ("pct_proyectado", "pct_inferior", "pct_superior"))
    if math.isfinite(lo) and math.isfinite(hi):
        ax.plot([lo, min(hi, right)], [y, y], color=style["color"], linewidth=2.2, alpha=0.8)
    ax.plot(
        pct,
        y,
        marker=style["marcador"],
        markersize=markersize,
        color=style["color"],
        markeredgecolor="black",
        markeredgewidth=0.6,
        linestyle="none",
    )


def _projection_legend(fig, ncols: int, fontsize: float) -> None:
    handles = [
        plt.Line2D(
            [0],
            [0],
            marker=STATUS_STYLE[e]["marcador"],
            color=STATUS_STYLE[e]["color"],
            markeredgecolor="black",
            markeredgewidth=0.6,
            linestyle="none",
            label=f"{STATUS_STYLE[e]['simbolo']} {e}",
        )
        for e in SCORED_STATES
    ]
    handles.append(plt.Line2D([0], [0], color=EXPECTED_COLOR, linestyle="--", label="100% de la meta"))
    fig.legend(handles=handles, loc="outside lower center", ncols=ncols, frameon=False, fontsize=fontsize)


def _projection_wide(rows: pd.DataFrame, t: attainment.Thresholds) -> Figure:
    labels = rows["etiqueta"].tolist()
    right = _projection_right(rows, t)
    with plt.rc_context(chart_style()):
        fig, ax = plt.subplots(figsize=(WIDTH, 1.6 + ROW_HEIGHT * len(rows)), layout="constrained")
        _projection_bands(ax, t, right)
        for i, record in enumerate(rows.to_dict("records")):
            if record["estado"] not in SCORED_STATES:
                ax.text(2, i, _projection_value(record), va="center", fontsize=8, color="#444444")
                continue
            _projection_point(ax, record, i, right, 8)
            x = min(float(record["pct_proyectado"]), right) + right * 0.012
            ax.text(x, i + 0.22, _projection_value(record), fontsize=8, va="bottom", bbox=LABEL_BACKGROUND)
        ax.set_yticks(np.arange(len(rows)), labels)
        ax.set_xlim(0, right)
        ax.set_ylim(-0.6, len(rows) - 0.2)
        ax.xaxis.set_major_formatter(PCT_AXIS)
        ax.set_xlabel(
            "Proyección al cierre del año (% de lo programado vigente)\n"
            "la línea horizontal es el intervalo de predicción"
        )
        figure_title(fig, program_title(rows))
        _projection_legend(fig, 3, 8)
    plt.close(fig)
    return fig


def _projection_phone(rows: pd.DataFrame, t: attainment.Thresholds) -> Figure:
    """The phone version of :func:`projection_chart`: above each product's point, its label and then its
    state and projected percentage on a line of their own (nothing written beside the point)."""
    right = _projection_right(rows, t)
    records = rows.to_dict("records")
    labels = [f"{name}\n{_projection_value(r)}" for name, r in zip(phone_labels(rows), records, strict=True)]
    height = 2.6 + (PHONE_ROW + 0.16) * len(rows)  # a third line per product: its state and percentage
    with plt.rc_context(chart_style(phone=True)):
        fig, ax = plt.subplots(figsize=(PHONE_WIDTH, height), layout="constrained")
        _projection_bands(ax, t, right)
        y = phone_rows(ax, len(rows), labels, height=0.2)
        for row, record in zip(y, records, strict=True):
            if record["estado"] in SCORED_STATES:
                _projection_point(ax, record, row, right, 7)
        ax.set_xlim(0, right)
        ax.xaxis.set_major_formatter(PCT_AXIS)
        ax.xaxis.get_major_locator().set_params(nbins=4)
        ax.set_xlabel(
            "Proyección al cierre del año\n(% de lo programado vigente);\n"
            "la línea horizontal es el intervalo\nde predicción"
        )
        figure_title(fig, program_title(rows, PHONE_TITLE_WIDTH), phone=True)
        _projection_legend(fig, 1, PHONE_FONT)
    plt.close(fig)
    return fig
