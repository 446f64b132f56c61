"""Los gráficos del libro: avance contra el ritmo esperado, proyección al cierre con su intervalo, semáforo.

Each function takes a table from :mod:`pei_analysis.model.edition` and returns a closed matplotlib
Figure (Jupyter shows it once; nothing is left open in pyplot). Colours come from
``presentation.STATUS_STYLE`` (Okabe-Ito, safe for colour-blind readers) and every colour is
paired with a symbol or a written value, so no figure relies on colour alone. Axis labels are
Spanish, with units; numbers are written as the source writes them (34.55%).

The book shows each figure as SVG with its text kept as text (:func:`svg_text`): it stays sharp at any
zoom, can be searched and copied, and weighs less than a PNG. Beside each chart function, a ``*_data``
function returns exactly the numbers it draws, for the CSV linked under the figure.

Every chart is drawn twice: the wide figure for a screen or paper, and a phone figure
(:func:`phone_figure`) as wide as a 375 px phone's text column, so that it is shown at its natural
size and no letter is under 11 CSS px (a 7-inch figure shrunk to a phone halves its letters). The phone
figure stacks what the wide one puts side by side: each product's label above its bar, one panel per
row. The book shows one or the other by the width of the screen (``book/_static/libro.css``).
"""

from __future__ import annotations

import io
import math
import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from pei_analysis.calendar import cuatrimestre_label
from pei_analysis.chapters.display import STATUS_STYLE, short_labels
from pei_analysis.errors import DataError
from pei_analysis.format import fmt_pct
from pei_analysis.model import attainment
from pei_analysis.model.edition import SCORED_STATES

#: Pace colours: hues the semáforo never uses (display.STATUS_STYLE), so that blue always means
#: sobre-ejecución and amber en riesgo across the book. This year's execution is dark grey; a bar
#: behind the even pace turns reddish purple (Okabe-Ito) and is hatched, for readers without colour.
AHEAD_COLOR = "#4D4D4D"  # dark grey: at or above the even pace
BEHIND_COLOR = "#CC79A7"  # reddish purple, hatched: behind it
EXPECTED_COLOR = "#222222"
WIDTH = 7.2  # inches: the book's text column at 100% zoom, so fonts keep their size on screen
ROW_HEIGHT = 0.42  # inches per product row (labels take two lines)
LABEL_WIDTH = 34  # characters per line of a product label
_PCT_AXIS = FuncFormatter(lambda v, _pos: f"{v:,.0f}%")
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


def _with_phone(wide: Figure, phone: Figure) -> Figure:
    setattr(wide, PHONE_ATTRIBUTE, phone)
    return wide


def _style(phone: bool = False) -> dict:
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


def _program_rows(table: pd.DataFrame, programa: str) -> pd.DataFrame:
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


def _title(rows: pd.DataFrame, width: int = 70) -> str:
    first = rows.iloc[0]
    return textwrap.fill(f"Programa {first['programa']}: {str(first['programa_nombre']).capitalize()}", width)


def _phone_labels(rows: pd.DataFrame) -> list[str]:
    """Each product's label for the phone figure: up to two lines of :data:`PHONE_LABEL_WIDTH` characters."""
    labels = short_labels(rows, limit=2 * PHONE_LABEL_WIDTH)
    return [textwrap.fill(t, PHONE_LABEL_WIDTH, max_lines=2, placeholder="…") for t in labels]


def _phone_rows(ax, n: int, labels: list[str], height: float = 0.36) -> np.ndarray:
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
            bbox={"facecolor": "white", "alpha": 0.7, "edgecolor": "none", "pad": 0.5},
        )
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.set_ylim(-0.5, n - 0.5 + 0.45)
    return y


def svg_text(fig: Figure) -> str:
    """The figure as SVG text, its letters as ``<text>`` (not paths) and byte-identical from one build to the
    next.

    Text as text keeps a 200-label chart light and lets readers search and copy it; the fixed hash
    salt and the absent date keep an unchanged figure from changing the edition's pages.
    """
    buffer = io.StringIO()
    with plt.rc_context({"svg.fonttype": "none", "svg.hashsalt": "pei-analysis"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def source_line(anio: int, cuatrimestre: int, first_year: int | None = None) -> str:
    """«Fuente: SICOIN, Reporte Analítico de Ejecución Física, enero-abril 2024; cálculos de esta
    publicación.»

    With *first_year* (a figure that also draws earlier years) the period starts in that year.
    """
    period = cuatrimestre_label(anio, cuatrimestre).replace(" de ", " ")
    if first_year is not None and first_year < anio:
        period = f"{first_year} a {period}"
    return f"Fuente: SICOIN, Reporte Analítico de Ejecución Física, {period}; cálculos de esta publicación."


def _finite_or_empty(values: pd.Series) -> pd.Series:
    """Infinite limits (nothing bounds them) become empty cells: a CSV reader must never meet «inf»."""
    return values.astype(float).where(np.isfinite(values.astype(float)))


def avance_data(table: pd.DataFrame, programa: str) -> pd.DataFrame:
    """The numbers :func:`avance_chart` draws for *programa*, top bar first: each product's % de avance,
    the expected pace (the dashed line) and whether the bar is drawn as behind it."""
    rows = _program_rows(table, programa).iloc[::-1]
    return pd.DataFrame(
        {
            "programa": rows["programa"].astype(str),
            "producto": rows["producto"],
            "descripcion": rows["descripcion"],
            "pct_avance": rows["pct_avance"].astype(float),
            "pct_esperado": rows["pct_esperado"].astype(float),
            "por_debajo_del_ritmo": rows["pct_avance"].astype(float) < rows["pct_esperado"].astype(float),
        }
    ).reset_index(drop=True)


def projection_data(table: pd.DataFrame, programa: str) -> pd.DataFrame:
    """The numbers :func:`projection_chart` draws for *programa*, top row first: the projected % of the goal,
    its interval (an open upper limit is an empty cell) and the state that sets the marker."""
    rows = _program_rows(table, programa).iloc[::-1]
    return pd.DataFrame(
        {
            "programa": rows["programa"].astype(str),
            "producto": rows["producto"],
            "descripcion": rows["descripcion"],
            "pct_proyectado": _finite_or_empty(rows["pct_proyectado"]),
            "pct_inferior": _finite_or_empty(rows["pct_inferior"]),
            "pct_superior": _finite_or_empty(rows["pct_superior"]),
            "estado": rows["estado"],
            "estado_incierto": rows["estado_incierto"].astype(bool),
        }
    ).reset_index(drop=True)


def status_data(counts: pd.DataFrame) -> pd.DataFrame:
    """The bars of :func:`status_chart`: each state with at least one product and its count, top bar first."""
    return counts.loc[counts["productos"] > 0, ["estado", "productos"]].reset_index(drop=True)


def history_data(totals: pd.DataFrame, table: pd.DataFrame, programa: str) -> pd.DataFrame:
    """The numbers :func:`history_chart` draws for *programa*: per product and year, the bar (total or this
    year's execution so far), the goal, and this year's projection with its interval (open limit: empty)."""
    from pei_analysis.tables.poa import PRODUCT_KEY

    keys = _program_rows(table, programa)[PRODUCT_KEY]
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
            rows[column] = _finite_or_empty(rows[column])
    return rows


def avance_chart(table: pd.DataFrame, programa: str) -> Figure:
    """Horizontal bars of each product's % de avance, with the even-pace line (share of year elapsed).

    Bars behind the pace are reddish purple and hatched, the others dark grey; each bar carries its
    value. The returned wide figure carries its phone version (:func:`phone_figure`).
    """
    rows = _program_rows(table, programa)
    return _with_phone(_avance_wide(rows), _avance_phone(rows))


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
    with plt.rc_context(_style(phone=True)):
        fig, ax = plt.subplots(figsize=(PHONE_WIDTH, 2.4 + PHONE_ROW * len(rows)), layout="constrained")
        y = _phone_rows(ax, len(rows), _phone_labels(rows))
        top = _avance_bars(ax, y, values, expected, 0.36, PHONE_FONT)
        top = top * 1.1  # room for the value after the longest bar in a narrow figure
        ax.text(expected, len(rows) - 0.3, f" esperado {fmt_pct(expected)}", fontsize=PHONE_FONT, va="bottom")
        ax.set_xlim(0, top)
        ax.set_ylim(-0.5, len(rows) + 0.05)
        ax.xaxis.set_major_formatter(_PCT_AXIS)
        ax.xaxis.get_major_locator().set_params(nbins=4)
        ax.set_xlabel("Avance acumulado del año\n(% de lo programado vigente)")
        ax.set_title(_title(rows, PHONE_TITLE_WIDTH), loc="left")
        _avance_legend(fig, 1, PHONE_FONT)
    plt.close(fig)
    return fig


def _avance_wide(rows: pd.DataFrame) -> Figure:
    expected = float(rows["pct_esperado"].iloc[0])
    labels = rows["etiqueta"].tolist()
    values = rows["pct_avance"].to_numpy(dtype=float)
    with plt.rc_context(_style()):
        fig, ax = plt.subplots(figsize=(WIDTH, 1.4 + ROW_HEIGHT * len(rows)), layout="constrained")
        y = np.arange(len(rows))
        top = _avance_bars(ax, y, values, expected, 0.7, 8)
        ax.text(expected, len(rows) - 0.4, f" esperado {fmt_pct(expected)}", fontsize=8, va="bottom")
        ax.set_yticks(y, labels)
        ax.set_xlim(0, top)
        ax.set_ylim(-0.6, len(rows) + 0.2)
        ax.xaxis.set_major_formatter(_PCT_AXIS)
        ax.set_xlabel("Avance acumulado del año (% de lo programado vigente)")
        ax.set_title(_title(rows), loc="left")
        _avance_legend(fig, 3, 8)
    plt.close(fig)
    return fig


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
    rows = _program_rows(table, programa)
    return _with_phone(_projection_wide(rows, t), _projection_phone(rows, t))


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
    with plt.rc_context(_style()):
        fig, ax = plt.subplots(figsize=(WIDTH, 1.6 + ROW_HEIGHT * len(rows)), layout="constrained")
        _projection_bands(ax, t, right)
        for i, record in enumerate(rows.to_dict("records")):
            if record["estado"] not in SCORED_STATES:
                ax.text(2, i, _projection_value(record), va="center", fontsize=8, color="#444444")
                continue
            _projection_point(ax, record, i, right, 8)
            x = min(float(record["pct_proyectado"]), right) + right * 0.012
            ax.text(x, i + 0.22, _projection_value(record), fontsize=8, va="bottom")
        ax.set_yticks(np.arange(len(rows)), labels)
        ax.set_xlim(0, right)
        ax.set_ylim(-0.6, len(rows) - 0.2)
        ax.xaxis.set_major_formatter(_PCT_AXIS)
        ax.set_xlabel(
            "Proyección al cierre del año (% de lo programado vigente)\n"
            "la línea horizontal es el intervalo de predicción"
        )
        ax.set_title(_title(rows), loc="left")
        _projection_legend(fig, 3, 8)
    plt.close(fig)
    return fig


def _projection_phone(rows: pd.DataFrame, t: attainment.Thresholds) -> Figure:
    """The phone version of :func:`projection_chart`: above each product's point, its label and then its
    state and projected percentage on a line of their own (nothing written beside the point)."""
    right = _projection_right(rows, t)
    records = rows.to_dict("records")
    labels = [f"{name}\n{_projection_value(r)}" for name, r in zip(_phone_labels(rows), records, strict=True)]
    height = 2.6 + (PHONE_ROW + 0.16) * len(rows)  # a third line per product: its state and percentage
    with plt.rc_context(_style(phone=True)):
        fig, ax = plt.subplots(figsize=(PHONE_WIDTH, height), layout="constrained")
        _projection_bands(ax, t, right)
        y = _phone_rows(ax, len(rows), labels, height=0.2)
        for row, record in zip(y, records, strict=True):
            if record["estado"] in SCORED_STATES:
                _projection_point(ax, record, row, right, 7)
        ax.set_xlim(0, right)
        ax.xaxis.set_major_formatter(_PCT_AXIS)
        ax.xaxis.get_major_locator().set_params(nbins=4)
        ax.set_xlabel(
            "Proyección al cierre del año\n(% de lo programado vigente);\n"
            "la línea horizontal es el intervalo\nde predicción"
        )
        ax.set_title(_title(rows, PHONE_TITLE_WIDTH), loc="left")
        _projection_legend(fig, 1, PHONE_FONT)
    plt.close(fig)
    return fig


def status_chart(counts: pd.DataFrame) -> Figure:
    """How many products are in each semáforo state (from ``report.status_counts``), each bar labelled.

    The returned wide figure carries its phone version (:func:`phone_figure`): the same bars, narrower.
    """
    return _with_phone(_status(counts, phone=False), _status(counts, phone=True))


def _status(counts: pd.DataFrame, phone: bool) -> Figure:
    rows = counts[counts["productos"] > 0].iloc[::-1]
    title = "Productos por estado del semáforo (proyección al cierre)"
    with plt.rc_context(_style(phone)):
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
        if phone:  # over the whole width: the state names take a third of it
            fig.suptitle(
                textwrap.fill(title, PHONE_TITLE_WIDTH), x=0.02, ha="left", fontsize=10, fontweight="bold"
            )
        else:
            ax.set_title(title, loc="left")
    plt.close(fig)
    return fig


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
    if phone:
        ax.yaxis.get_major_locator().set_params(nbins=4)
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
        ax.text(x, high, "sin límite", ha="center", va="bottom", fontsize=fontsize, color="#333333")
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
    return _with_phone(
        _history(totals, table, programa, level, phone=False),
        _history(totals, table, programa, level, phone=True),
    )


def _history(totals: pd.DataFrame, table: pd.DataFrame, programa: str, level: float, phone: bool) -> Figure:
    from pei_analysis.tables.poa import PRODUCT_KEY

    rows = _program_rows(table, programa).iloc[::-1]  # reading order: first product first
    years = sorted(int(y) for y in totals["anio"].unique())  # the same years in every panel and program
    width = PHONE_LABEL_WIDTH if phone else 44
    labels = short_labels(rows, limit=70).map(lambda t: textwrap.fill(t, width, max_lines=2, placeholder="…"))
    n = len(rows)
    columns = 1 if phone else HISTORY_COLUMNS
    nrows = math.ceil(n / columns)
    size = (PHONE_WIDTH, 3.2 + PHONE_PANEL_HEIGHT * nrows) if phone else (WIDTH, 1.2 + PANEL_HEIGHT * nrows)
    with plt.rc_context(_style(phone)):
        fig, axes = plt.subplots(nrows, columns, figsize=size, layout="constrained", squeeze=False)
        for ax, record, label in zip(axes.flat, rows.to_dict("records"), labels, strict=False):
            mine = totals[totals[PRODUCT_KEY] == record[PRODUCT_KEY]]
            _history_panel(ax, mine, years, label, phone)
        for ax in axes.flat[n:]:
            ax.set_visible(False)
        title = _title(rows, PHONE_TITLE_WIDTH) if phone else _title(rows)
        fig.suptitle(title, x=0.01, ha="left", fontsize=10 if phone else 11, fontweight="bold")
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
