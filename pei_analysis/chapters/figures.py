"""Los gráficos del libro: avance contra el ritmo esperado, proyección al cierre con su intervalo, semáforo.

Each function takes a table from :mod:`pei_analysis.model.edition` and returns a closed matplotlib
Figure (Jupyter shows it once; nothing is left open in pyplot). Colours come from
``presentation.STATUS_STYLE`` (Okabe-Ito, safe for colour-blind readers) and every colour is
paired with a symbol or a written value, so no figure relies on colour alone. Axis labels are
Spanish, with units; numbers are written as the source writes them (34.55%).

The book shows each figure as SVG with its text kept as text (:func:`svg_text`): it stays sharp at any
zoom, can be searched and copied, and weighs less than a PNG. Beside each chart function, a ``*_data``
function returns exactly the numbers it draws, for the CSV linked under the figure.
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


def _style() -> dict:
    return {
        "font.family": "DejaVu Sans",
        # Text from the data is drawn as written: a "$" in a description never starts matplotlib's mathtext.
        "text.parse_math": False,
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlesize": 11,
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


def _title(rows: pd.DataFrame) -> str:
    first = rows.iloc[0]
    return textwrap.fill(f"Programa {first['programa']}: {str(first['programa_nombre']).capitalize()}", 70)


def svg_text(fig: Figure) -> str:
    """The figure as SVG text, its letters as ``<text>`` (not paths) and byte-identical from one build to the next.

    Text as text keeps a 200-label chart light and lets readers search and copy it; the fixed hash
    salt and the absent date keep an unchanged figure from changing the edition's pages.
    """
    buffer = io.StringIO()
    with plt.rc_context({"svg.fonttype": "none", "svg.hashsalt": "pei-analysis"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def source_line(anio: int, cuatrimestre: int, first_year: int | None = None) -> str:
    """«Fuente: SICOIN, Reporte Analítico de Ejecución Física, enero-abril 2024; cálculos de esta publicación.»

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
    return pd.DataFrame({
        "programa": rows["programa"].astype(str), "producto": rows["producto"], "descripcion": rows["descripcion"],
        "pct_avance": rows["pct_avance"].astype(float), "pct_esperado": rows["pct_esperado"].astype(float),
        "por_debajo_del_ritmo": rows["pct_avance"].astype(float) < rows["pct_esperado"].astype(float),
    }).reset_index(drop=True)


def projection_data(table: pd.DataFrame, programa: str) -> pd.DataFrame:
    """The numbers :func:`projection_chart` draws for *programa*, top row first: the projected % of the goal,
    its interval (an open upper limit is an empty cell) and the state that sets the marker."""
    rows = _program_rows(table, programa).iloc[::-1]
    return pd.DataFrame({
        "programa": rows["programa"].astype(str), "producto": rows["producto"], "descripcion": rows["descripcion"],
        "pct_proyectado": _finite_or_empty(rows["pct_proyectado"]), "pct_inferior": _finite_or_empty(rows["pct_inferior"]),
        "pct_superior": _finite_or_empty(rows["pct_superior"]), "estado": rows["estado"],
        "estado_incierto": rows["estado_incierto"].astype(bool),
    }).reset_index(drop=True)


def status_data(counts: pd.DataFrame) -> pd.DataFrame:
    """The bars of :func:`status_chart`: each state with at least one product and its count, top bar first."""
    return counts.loc[counts["productos"] > 0, ["estado", "productos"]].reset_index(drop=True)


def history_data(totals: pd.DataFrame, table: pd.DataFrame, programa: str) -> pd.DataFrame:
    """The numbers :func:`history_chart` draws for *programa*: per product and year, the bar (total or this
    year's execution so far), the goal, and this year's projection with its interval (open limit: empty)."""
    from pei_analysis.tables.poa import PRODUCT_KEY

    keys = _program_rows(table, programa)[PRODUCT_KEY]
    columns = [PRODUCT_KEY, "anio", "tipo", "ejecutado", "programado", "proyeccion", "limite_inferior",
               "limite_superior"]
    rows = totals.loc[totals[PRODUCT_KEY].isin(keys), [c for c in columns if c in totals.columns]]
    rows = rows.sort_values([PRODUCT_KEY, "anio"], kind="stable").reset_index(drop=True)
    for column in ("proyeccion", "limite_inferior", "limite_superior"):
        if column in rows:
            rows[column] = _finite_or_empty(rows[column])
    return rows


def avance_chart(table: pd.DataFrame, programa: str) -> Figure:
    """Horizontal bars of each product's % de avance, with the even-pace line (share of year elapsed).

    Bars behind the pace are orange and hatched, the others blue; each bar carries its value.
    """
    rows = _program_rows(table, programa)
    expected = float(rows["pct_esperado"].iloc[0])
    labels = rows["etiqueta"].tolist()
    values = rows["pct_avance"].to_numpy(dtype=float)
    behind = values < expected
    with plt.rc_context(_style()):
        fig, ax = plt.subplots(figsize=(WIDTH, 1.4 + ROW_HEIGHT * len(rows)), layout="constrained")
        y = np.arange(len(rows))
        bars = ax.barh(
            y,
            np.nan_to_num(values),
            color=[BEHIND_COLOR if b else AHEAD_COLOR for b in behind],
            hatch=["//" if b else "" for b in behind],
            edgecolor="white",
            height=0.7,
        )
        top = max(np.nanmax(values) if np.isfinite(values).any() else 0, expected) * 1.22 + 1
        for bar, value in zip(bars, values, strict=True):
            text = fmt_pct(value) if math.isfinite(value) else "sin datos"
            ax.text(bar.get_width() + top * 0.01, bar.get_y() + bar.get_height() / 2, text, va="center", fontsize=8)
        ax.axvline(expected, color=EXPECTED_COLOR, linestyle="--", linewidth=1.2)
        ax.text(expected, len(rows) - 0.4, f" esperado {fmt_pct(expected)}", fontsize=8, va="bottom")
        ax.set_yticks(y, labels)
        ax.set_xlim(0, top)
        ax.set_ylim(-0.6, len(rows) + 0.2)
        ax.xaxis.set_major_formatter(_PCT_AXIS)
        ax.set_xlabel("Avance acumulado del año (% de lo programado vigente)")
        ax.set_title(_title(rows), loc="left")
        fig.legend(
            handles=[
                plt.Rectangle((0, 0), 1, 1, color=AHEAD_COLOR, label="al ritmo esperado o por encima"),
                plt.Rectangle((0, 0), 1, 1, facecolor=BEHIND_COLOR, hatch="//", edgecolor="white",
                              label="por debajo del ritmo esperado"),
                plt.Line2D([0], [0], color=EXPECTED_COLOR, linestyle="--", label="parte del año transcurrida"),
            ],
            loc="outside lower center",
            ncols=3,
            frameon=False,
            fontsize=8,
        )
    plt.close(fig)
    return fig


def projection_chart(table: pd.DataFrame, programa: str, thresholds: attainment.Thresholds | None = None) -> Figure:
    """Each product's projected year-end as % of programado, with its interval, against the semáforo's thresholds.

    Markers differ by state as well as colour; a state the interval puts in doubt (it straddles a
    threshold) says «(incierto)» beside the percentage, as the table does; products not scored as a
    percentage (tiny target, no execution) are listed by name with their flag instead of a point.
    """
    t = thresholds or attainment.Thresholds()
    rows = _program_rows(table, programa)
    labels = rows["etiqueta"].tolist()
    scored = rows["estado"].isin(SCORED_STATES).to_numpy()
    pct = rows["pct_proyectado"].to_numpy(dtype=float)
    lo = rows["pct_inferior"].to_numpy(dtype=float)
    hi = rows["pct_superior"].to_numpy(dtype=float)
    finite = np.concatenate([pct[scored], hi[scored][np.isfinite(hi[scored])]])
    right = max(t.over_execution + 15, float(np.nanmax(finite)) + 15 if finite.size else 0)
    with plt.rc_context(_style()):
        fig, ax = plt.subplots(figsize=(WIDTH, 1.6 + ROW_HEIGHT * len(rows)), layout="constrained")
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
        for i, record in enumerate(rows.to_dict("records")):
            estado = record["estado"]
            style = STATUS_STYLE.get(estado, STATUS_STYLE[attainment.SIN_DATOS])
            if not scored[i]:
                ax.text(2, i, f"{style['simbolo']} {estado}: no se califica", va="center", fontsize=8, color="#444444")
                continue
            if math.isfinite(lo[i]) and math.isfinite(hi[i]):
                ax.plot([lo[i], min(hi[i], right)], [i, i], color=style["color"], linewidth=2.2, alpha=0.8)
            ax.plot(pct[i], i, marker=style["marcador"], markersize=8, color=style["color"],
                    markeredgecolor="black", markeredgewidth=0.6, linestyle="none")
            doubt = " (incierto)" if bool(record.get("estado_incierto", False)) else ""
            ax.text(min(pct[i], right) + right * 0.012, i + 0.22, f"{style['simbolo']} {fmt_pct(pct[i], 1)}{doubt}",
                    fontsize=8, va="bottom")
        ax.set_yticks(np.arange(len(rows)), labels)
        ax.set_xlim(0, right)
        ax.set_ylim(-0.6, len(rows) - 0.2)
        ax.xaxis.set_major_formatter(_PCT_AXIS)
        ax.set_xlabel("Proyección al cierre del año (% de lo programado vigente)\nla línea horizontal es el intervalo de predicción")
        ax.set_title(_title(rows), loc="left")
        handles = [
            plt.Line2D([0], [0], marker=STATUS_STYLE[e]["marcador"], color=STATUS_STYLE[e]["color"],
                       markeredgecolor="black", markeredgewidth=0.6, linestyle="none",
                       label=f"{STATUS_STYLE[e]['simbolo']} {e}")
            for e in SCORED_STATES
        ]
        handles.append(plt.Line2D([0], [0], color=EXPECTED_COLOR, linestyle="--", label="100% de la meta"))
        fig.legend(handles=handles, loc="outside lower center", ncols=3, frameon=False, fontsize=8)
    plt.close(fig)
    return fig


def status_chart(counts: pd.DataFrame) -> Figure:
    """How many products are in each semáforo state (from ``report.status_counts``), each bar labelled."""
    rows = counts[counts["productos"] > 0].iloc[::-1]
    with plt.rc_context(_style()):
        fig, ax = plt.subplots(figsize=(WIDTH, 0.9 + 0.42 * max(len(rows), 1)), layout="constrained")
        y = np.arange(len(rows))
        colors = [STATUS_STYLE[e]["color"] for e in rows["estado"]]
        ax.barh(y, rows["productos"], color=colors, height=0.65)
        for i, record in enumerate(rows.to_dict("records")):
            ax.text(record["productos"] + 0.2, i, str(record["productos"]), va="center", fontsize=9)
        ax.set_yticks(y, [f"{STATUS_STYLE[e]['simbolo']} {e}" for e in rows["estado"]])
        ax.set_xlabel("Número de productos")
        ax.set_xlim(0, max(rows["productos"].max() if len(rows) else 1, 1) * 1.15 + 0.5)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.set_title("Productos por estado del semáforo (proyección al cierre)", loc="left")
    plt.close(fig)
    return fig


#: Colours of the history figure (Okabe-Ito): earlier years, this year's execution so far, projection.
PAST_COLOR = "#56B4E9"
CURRENT_COLOR = AHEAD_COLOR  # this year's execution: the same grey as in the pace chart, never a semáforo hue
PROJECTION_COLOR = "#000000"
HISTORY_COLUMNS = 2  # panels per row: on a phone the figure scrolls sideways, one column at a time
PANEL_HEIGHT = 2.0  # inches per row of panels


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


def _history_panel(ax, rows: pd.DataFrame, years: list[int], title: str) -> None:
    """One product: a bar per year (earlier totals; this year's execution so far), the projection with
    its interval over this year's bar, and the goal (programado) as a dash over each year."""
    by_year = rows.set_index("anio")
    for x, year in enumerate(years):
        if year not in by_year.index:
            ax.text(x, 0, "sin\ndatos", ha="center", va="bottom", fontsize=7, color="#555555")
            continue
        r = by_year.loc[year]
        tipo = r["tipo"]
        value = float(r["ejecutado"]) if pd.notna(r["ejecutado"]) else 0.0
        if tipo == "en_curso":
            ax.bar(x, value, width=0.7, color=CURRENT_COLOR)
            if pd.notna(r["proyeccion"]):
                _projection_mark(ax, x, r, _panel_top(rows))
        elif tipo == "incompleto":
            ax.bar(x, value, width=0.7, facecolor="white", edgecolor=PAST_COLOR, hatch="///", linewidth=1)
            ax.text(x, value, "incompleto", ha="center", va="bottom", fontsize=6.5, color="#333333")
        else:
            ax.bar(x, value, width=0.7, color=PAST_COLOR, alpha=0.6 if tipo == "anual" else 1.0)
            if tipo == "anual":
                ax.text(x, value, "anual", ha="center", va="bottom", fontsize=6.5, color="#333333")
        if pd.notna(r["programado"]):
            ax.plot([x - 0.42, x + 0.42], [float(r["programado"])] * 2, color="#222222", linestyle="--", linewidth=1.2)
    ax.set_xticks(range(len(years)), [str(y) for y in years], fontsize=7.5)
    ax.yaxis.set_major_formatter(FuncFormatter(compact_number))
    ax.tick_params(axis="y", labelsize=7.5)
    ax.set_ylim(bottom=0)
    ax.margins(y=0.15)
    ax.set_title(title, loc="left", fontsize=8, fontweight="normal")


def _panel_top(rows: pd.DataFrame) -> float:
    """The highest finite value a panel draws (totals, goals, projection and limits), at least 1."""
    values = rows[["ejecutado", "programado", "proyeccion", "limite_inferior", "limite_superior"]].to_numpy(float)
    finite = values[np.isfinite(values)]
    return max(float(finite.max()) if finite.size else 0.0, 1.0)


def _projection_mark(ax, x: float, r: pd.Series, top: float) -> None:
    """The projection (a diamond) and its interval (a vertical line with caps); an open upper limit
    (nothing bounds it: no execution and no history) is drawn up to the panel's top and says so."""
    point = float(r["proyeccion"])
    low = float(r["limite_inferior"]) if pd.notna(r["limite_inferior"]) else point
    high = float(r["limite_superior"]) if pd.notna(r["limite_superior"]) else point
    open_top = not math.isfinite(high)
    if open_top:
        high = top * 1.1
        ax.text(x, high, "sin límite", ha="center", va="bottom", fontsize=6.5, color="#333333")
    ax.errorbar(x, point, yerr=[[max(point - low, 0)], [max(high - point, 0)]], fmt="D", color=PROJECTION_COLOR,
                markersize=5, capsize=0 if open_top else 4, linewidth=1.4)


def history_chart(totals: pd.DataFrame, table: pd.DataFrame, programa: str, *, level: float = 0.8) -> Figure:
    """Small multiples, one panel per product of *programa*: its yearly totals in earlier years, this
    year's execution so far with the projection and its interval, and the goal (programado) of each year.

    *totals* is :attr:`pei_analysis.model.history.History.totals` (one row per product and year);
    incomplete and annual-only years are drawn differently and say so in words over their bar.
    """
    from pei_analysis.tables.poa import PRODUCT_KEY

    rows = _program_rows(table, programa).iloc[::-1]  # reading order: first product first
    years = sorted(int(y) for y in totals["anio"].unique())  # the same years in every panel and program
    labels = short_labels(rows, limit=70).map(lambda t: textwrap.fill(t, 44, max_lines=2, placeholder="…"))
    n = len(rows)
    nrows = math.ceil(n / HISTORY_COLUMNS)
    with plt.rc_context(_style()):
        fig, axes = plt.subplots(nrows, HISTORY_COLUMNS, figsize=(WIDTH, 1.2 + PANEL_HEIGHT * nrows),
                                 layout="constrained", squeeze=False)
        for ax, record, label in zip(axes.flat, rows.to_dict("records"), labels, strict=False):
            mine = totals[totals[PRODUCT_KEY] == record[PRODUCT_KEY]]
            _history_panel(ax, mine, years, label)
        for ax in axes.flat[n:]:
            ax.set_visible(False)
        fig.suptitle(_title(rows), x=0.01, ha="left", fontsize=11, fontweight="bold")
        drawn = set(totals.loc[totals[PRODUCT_KEY].isin(rows[PRODUCT_KEY]), "tipo"])
        handles = [
            plt.Rectangle((0, 0), 1, 1, color=PAST_COLOR, label="total de un año anterior"),
            *([plt.Rectangle((0, 0), 1, 1, facecolor="white", edgecolor=PAST_COLOR, hatch="///",
                             label="año incompleto (suma de lo que hay)")] if "incompleto" in drawn else []),
            *([plt.Rectangle((0, 0), 1, 1, color=PAST_COLOR, alpha=0.6, label="año con solo su total anual")]
              if "anual" in drawn else []),
            plt.Rectangle((0, 0), 1, 1, color=CURRENT_COLOR, label="ejecutado este año hasta ahora"),
            plt.Line2D([0], [0], color=PROJECTION_COLOR, marker="D", markersize=5,
                       label=f"proyección al cierre e intervalo al {level * 100:.0f}%"),
            plt.Line2D([0], [0], color="#222222", linestyle="--", label="programado (meta) del año"),
        ]
        fig.legend(handles=handles, loc="outside lower center", ncols=2, frameon=False, fontsize=8)
    plt.close(fig)
    return fig
