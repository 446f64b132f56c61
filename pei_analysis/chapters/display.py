"""How the book writes what the tables say: semáforo style, column headings, HTML tables, safe text.

Every number a reader sees goes out in the source's convention (1,367,720 and 34.6%: whole units,
one decimal for a percentage, see :mod:`pei_analysis.format`), and every
piece of text that comes from the data is escaped here, in one place, so a description can never
inject HTML or Markdown into a page. The semáforo's colours (Okabe-Ito, safe for colour-blind
readers) always travel with a symbol and a word.

Tables stay plain server-rendered HTML (readable without JavaScript, in print, and by the site
search, and every product row keeps its anchor); an ``interactive`` table only gains the
attributes that ``book/_static/tablas.js`` needs to sort and filter it in the page, offline.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from pei_analysis.chapters.product_names import SHORT_TEXT, short_description, short_texts
from pei_analysis.format import MISSING_TEXT, PCT_DECIMALS, UNBOUNDED_TEXT, fmt_int, fmt_pct
from pei_analysis.model import attainment

#: How each attainment state is drawn and written everywhere in the book: a colour from the
#: Okabe-Ito palette (safe for colour-blind readers) always paired with a symbol and a word.
STATUS_STYLE: dict[str, dict[str, str]] = {
    attainment.SOBRE_EJECUCION: {"color": "#0072B2", "simbolo": "▲", "marcador": "^"},
    attainment.SATISFACTORIO: {"color": "#009E73", "simbolo": "✔", "marcador": "o"},
    attainment.EN_RIESGO: {"color": "#E69F00", "simbolo": "!", "marcador": "D"},
    attainment.CRITICO: {"color": "#D55E00", "simbolo": "✖", "marcador": "X"},
    attainment.META_PEQUENA: {"color": "#999999", "simbolo": "·", "marcador": "s"},
    attainment.SIN_EJECUCION: {"color": "#999999", "simbolo": "○", "marcador": "s"},
    attainment.SIN_DATOS: {"color": "#999999", "simbolo": "?", "marcador": "s"},
}


#: States that flag a product instead of scoring it as a percentage (a tiny goal, nothing executed yet).
UNSCORED_FLAGS = (attainment.META_PEQUENA, attainment.SIN_EJECUCION)
#: What a ``scored_only`` percentage cell says for such a product.
UNSCORED_TEXT = "no se califica"
#: What a projection's cells say where there is none (nothing executed and no earlier year to project from).
NOT_PROJECTED_TEXT = "no se proyecta"

#: Where a product's row is (the execution chapter gives each row this anchor), as a format string.
PRODUCT_LINK = "ejecucion_poa.html#producto-{producto}"
#: Where a product's projection row is (the projection chapter's anchor), as a format string.
PROJECTION_LINK = "proyeccion.html#proyeccion-{producto}"

#: Sort order of the semáforo in an interactive table: from the best state to the unscored ones.
STATUS_ORDER: dict[str, int] = {estado: i for i, estado in enumerate(STATUS_STYLE)}


#: Spanish column headings for the presentation tables.
LABELS: dict[str, str] = {
    "programa": "Programa",
    "programa_nombre": "Nombre del programa",
    "subprograma": "Subprograma",
    "subprograma_nombre": "Nombre del subprograma",
    "producto": "Producto",
    "descripcion": "Descripción",
    "sigla": "Sigla",
    "unidad": "Unidad",
    "programado": "Programado (vigente)",
    "ejecutado": "Ejecutado",
    "ejecutado_acumulado": "Ejecutado acumulado",
    "pct_avance": "% de avance",
    "pct_esperado": "% esperado",
    "brecha_pp": "Brecha (puntos)",
    "proyeccion": "Proyección al cierre",
    "limite_inferior": "Límite inferior",
    "limite_superior": "Límite superior",
    "pct_proyectado": "% proyectado",
    "pct_inferior": "% inferior",
    "pct_superior": "% superior",
    "estado": "Semáforo",
    "nota": "Nota",
    "metodo": "Método",
    "productos": "Productos",
}


#: Long-text columns that get a minimum width, so a table scrolls sideways rather than
#: squeezing a description into one word per line.
WIDE_FIELDS = {"descripcion", "nota", "razon", "meta", "indicador", "regla", "texto"}
MEDIUM_FIELDS = {"semaforo", "meta_cuantitativa", "linea_base", "objetivo", "programa_nombre"}


@dataclass(frozen=True)
class Column:
    """A column of a presentation table: which field, its heading and how to write its values."""

    field: str
    heading: str | None = None
    # text, short (what tells a description apart; the whole in a tooltip), int, pct, pp, status, float,
    # range (two whole numbers, «212,234 a 268,014»: ``field`` is the lower end, ``end`` the upper)
    kind: str = "text"
    css: str = ""
    link: str | None = None  # format string over the row, e.g. "ejecucion_poa.html#producto-{producto}"
    end: str | None = None
    #: A field written on its own line under the cell's text: the product's unit of measure under its name,
    #: so a reader knows what 239,494 counts (consultas, egresos, pagos) without a column for it.
    unit: str | None = None
    #: A percentage the semáforo scores: a product it does not score as a percentage (``UNSCORED_FLAGS``)
    #: reads «no se califica» here, as in its chart and its note, not «0.0%» beside «○ sin ejecución».
    scored_only: bool = False
    #: What a number cell says without a value: «sin datos» where a source should give it; a figure the
    #: book computes and chose not to (a projection with no base) says so instead.
    missing: str = MISSING_TEXT

    @property
    def numeric(self) -> bool:
        """Whether its cells are numbers: aligned right, and sorted by value in an interactive table."""
        return self.kind in _FORMATTERS or self.kind == "range"

    def title(self) -> str:
        """The heading; a column of percentage points says «(puntos)» there, once, not in every cell."""
        title = self.heading or LABELS.get(self.field, self.field)
        return f"{title} (puntos)" if self.kind == "pp" and "puntos" not in title else title

    def classes(self) -> str:
        extra = [self.css]
        if self.kind == "short":
            extra.append("corto")
        elif self.field in WIDE_FIELDS:
            extra.append("ancho")
        elif self.field in MEDIUM_FIELDS:
            extra.append("medio")
        if self.field.endswith("_id"):
            extra.append("id")
        return " ".join(e for e in extra if e)


def fmt_pp(value) -> str:
    """-3.06 → '-3.1'; a gap in percentage points, signed, with the decimals of a percentage. The unit is in
    the column's heading («Brecha (puntos)»): in every cell, «-20.1 puntos» broke each row in two."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING_TEXT
    return f"{float(value):+,.{PCT_DECIMALS}f}"


#: A gap column and the two percentages it is the difference of (:func:`gaps_as_shown`).
GAP_OPERANDS = {"brecha_pp": ("pct_avance", "pct_esperado")}


def gaps_as_shown(table: pd.DataFrame) -> pd.DataFrame:
    """*table* with each gap recomputed from its two percentages as the book prints them (one decimal).

    The exact gap of 13.27% against 33.33% is -20.07, printed «-20.1» beside «13.3%»; a reader who
    checks 13.3 − 33.3 = −20.0 takes it for an error. Downloads keep the exact figures.
    """
    out = table
    for gap, (value, reference) in GAP_OPERANDS.items():
        if {gap, value, reference} <= set(table.columns):
            shown = table[value].round(PCT_DECIMALS) - table[reference].round(PCT_DECIMALS)
            out = out.assign(**{gap: shown.round(PCT_DECIMALS)})
    return out


_FORMATTERS: dict[str, Callable] = {
    "int": fmt_int,
    "pct": fmt_pct,
    "pp": fmt_pp,
    "float": lambda v: MISSING_TEXT if pd.isna(v) else f"{float(v):,.4f}",
}


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, (float, np.floating)) and math.isnan(value))


def sort_key(value, kind: str) -> str:
    """What an interactive table sorts a cell by (``data-valor``): the raw number, the semáforo's
    rank, or '' for text and missing values (text sorts by what it shows; '' goes last)."""
    if kind == "status":
        return str(STATUS_ORDER.get(str(value), len(STATUS_ORDER)))
    if kind in _FORMATTERS and not _missing(value):
        number = float(value)
        if math.isinf(number):
            return "1e308" if number > 0 else "-1e308"
        return repr(number)
    return ""


def unit_text(value) -> str:
    """A product's unit of measure from the catalogue, trimmed; "" when the catalogue leaves it empty. The
    tables, their titles and the summary's cards all decide with it whether a product has a unit."""
    return "" if _missing(value) else str(value).strip()


def _range_ends(low, high) -> tuple[str, str] | None:
    """An interval's two ends as the book writes numbers (``UNBOUNDED_TEXT`` for an infinite one); None
    when either is missing."""
    if _missing(low) or _missing(high):
        return None
    return tuple(UNBOUNDED_TEXT if math.isinf(float(v)) else fmt_int(v) for v in (low, high))


def range_text(low, high) -> str:
    """An interval's two ends as the book writes them, «212,234 a 268,014»."""
    ends = _range_ends(low, high)
    return MISSING_TEXT if ends is None else f"{ends[0]} a {ends[1]}"


def _range_html(low, high, missing: str = MISSING_TEXT) -> str:
    """:func:`range_text` for a table cell: one column instead of two keeps a projection table inside a
    laptop's text column, and the cell breaks only between its ends («212,234 a» over «268,014»)."""
    ends = _range_ends(low, high)
    if ends is None:
        return html.escape(missing)
    first, second = (html.escape(end) for end in ends)
    both = f'<span class="extremo">{first} a</span> <span class="extremo">{second}</span>'
    return f"<span>{both}</span>"  # one box: a phone's card (a flex row) would push the ends apart


def _cell(value, kind: str, row: Mapping, short: str | None = None) -> tuple[str, str]:
    """(escaped HTML, CSS class) of one cell; *short* is what a ``short`` cell shows."""
    if kind == "status":
        estado = str(value)
        style = STATUS_STYLE.get(estado, STATUS_STYLE[attainment.SIN_DATOS])
        incierto = bool(row.get("estado_incierto", False))
        text = html.escape(status_text(estado, incierto))
        slug = re.sub(r"[^a-z]+", "-", estado.replace("í", "i").replace("ó", "o").replace("ñ", "n")).strip(
            "-"
        )
        return (
            (
                f'<span class="semaforo semaforo-{slug}" style="border-left: 0.8em solid {style["color"]}; '
                f'padding-left: 0.4em">{text}</span>'
            ),
            "estado",
        )
    if kind in _FORMATTERS:
        missing = _missing(value)
        if not missing and isinstance(value, (float, np.floating)) and math.isinf(value):
            return UNBOUNDED_TEXT, "num"
        return html.escape(MISSING_TEXT if missing else _FORMATTERS[kind](value)), "num"
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "", "texto"
    if kind == "short":
        full = str(value)
        shown = short or short_description(full, SHORT_TEXT)
        return f'<span title="{html.escape(full)}">{html.escape(shown)}</span>', "texto"
    return html.escape(str(value)), "texto"


@dataclass
class HtmlTable:
    """A table rendered as escaped HTML; Jupyter and the book display it through ``_repr_html_``."""

    html: str

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html


def key_columns(cols: Sequence[Column]) -> dict[int, str]:
    """The CSS classes that keep a row identifiable while a wide table scrolls sideways.

    A leading product number (``fija fija-1``) and the description right after it (``fija
    fija-2``) stay in view (``position: sticky`` in ``book/_static/libro.css``): without them, a
    reader who scrolls right to the semáforo no longer knows which product the row is.
    """
    keys: dict[int, str] = {}
    if cols and cols[0].field == "producto":
        keys[0] = "fija fija-1"
        if len(cols) > 1 and cols[1].field == "descripcion":
            keys[1] = "fija fija-2"
    return keys


def html_table(
    table: pd.DataFrame,
    columns: Sequence[Column | str],
    *,
    caption: str | None = None,
    row_id: str | None = None,
    css_class: str = "tabla-pei",
    interactive: bool = False,
    stacked: bool = False,
    cards: bool = False,
) -> HtmlTable:
    """Render *columns* of *table* as an HTML table, numbers in the source's convention, text escaped.

    ``row_id`` is a format string over the row (e.g. ``"producto-{producto}"``) giving each row an
    anchor other pages can link to. ``interactive`` lets the reader sort the table by any column
    and filter its rows in the page (``book/_static/tablas.js``, no network): each number and
    semáforo cell carries its raw value in ``data-valor`` so it sorts as a number, not as text.
    Cells are separated by line breaks so the site search and its snippets never glue one
    cell's last word to the next cell's first. A ``stacked`` table becomes one card per row on a
    narrow screen (``book/_static/libro.css``): each cell carries its column's heading in
    ``data-etiqueta`` and shows it before its value, so a phone sees every column, none off screen.
    A ``cards`` table is stacked on every screen: for rows too wide for a laptop's text column, whose
    long cells (a reason, a note) would otherwise sit off to the right of rows many lines tall.
    """
    stacked = stacked or cards
    table = gaps_as_shown(table)
    cols = [c if isinstance(c, Column) else Column(c) for c in columns]
    keys = key_columns(cols)
    cols = [replace(c, css=f"{c.css} {keys[i]}".strip()) if i in keys else c for i, c in enumerate(cols)]
    classes = " ".join(
        [css_class]
        + (["tabla-interactiva"] if interactive else [])
        + (["tabla-apilada"] if stacked else [])
        + (["tabla-tarjetas"] if cards else [])
    )
    out = [f'<div class="tabla-contenedor"><table class="{html.escape(classes)}">']
    if caption:
        out.append(f"<caption>{html.escape(caption)}</caption>")
    out.append("<thead><tr>")
    for col in cols:
        align = "num" if col.numeric else "texto"
        out.append(
            f'<th scope="col" class="{align} {html.escape(col.classes())}">{html.escape(col.title())}</th>\n'
        )
    out.append("</tr></thead>\n<tbody>")
    shorts = {c.field: short_texts(table, c.field).tolist() for c in cols if c.kind == "short"}
    for number, record in enumerate(table.to_dict("records")):
        attr = f' id="{html.escape(row_id.format(**record))}"' if row_id else ""
        out.append(f"<tr{attr}>")
        for col in cols:
            short = shorts[col.field][number] if col.field in shorts else None
            out.append(_td(col, record, short, interactive=interactive, stacked=stacked))
        out.append("</tr>\n")
    out.append("</tbody></table></div>")
    return HtmlTable("".join(out))


def _td(col: Column, record: Mapping, short: str | None, *, interactive: bool, stacked: bool) -> str:
    """One cell of :func:`html_table`, with what sorts it (``data-valor``) and labels it on a phone."""
    unscored = col.scored_only and record.get("estado") in UNSCORED_FLAGS
    if col.kind == "range":
        content, css = _range_html(record.get(col.field), record.get(col.end), col.missing), "num rango"
    elif unscored:
        content, css = html.escape(UNSCORED_TEXT), "num"
    elif col.numeric and _missing(record.get(col.field)):
        content, css = html.escape(col.missing), "num sin-valor"  # words may wrap: the column stays narrow
    else:
        content, css = _cell(record.get(col.field), col.kind, record, short)
    if col.link:
        content = f'<a href="{html.escape(col.link.format(**record))}">{content}</a>'
    unit = unit_text(record.get(col.unit)) if col.unit else ""
    if unit:
        unit_html = f'<span class="unidad">unidad: {html.escape(unit)}</span>'
        content = f"<span>{content} {unit_html}</span>"  # one box, as a range's ends (a phone's card)
    value = ""
    if interactive and (col.kind == "status" or col.numeric):  # a range sorts by its lower end
        kind = "int" if col.kind == "range" else col.kind
        key = "" if unscored else sort_key(record.get(col.field), kind)  # '' sorts after every number
        value = f' data-valor="{html.escape(key)}"'
    if stacked:
        value += f' data-etiqueta="{html.escape(col.title())}"'
    return f'<td class="{css} {html.escape(col.classes())}"{value}>{content}</td>\n'


def collapsible(summary: str, content: HtmlTable | str, *, open: bool = False) -> HtmlTable:
    """*content* (trusted HTML, e.g. an :func:`html_table`) folded under a ``<details>`` whose
    *summary* (plain text, escaped) says what it holds; long reference tables stay out of the way
    of a one-minute read. The book's script unfolds it for printing and for a search hit inside."""
    flag = " open" if open else ""
    return HtmlTable(
        f'<details class="plegable"{flag}><summary>{html.escape(summary)}</summary>\n{content}\n</details>'
    )


def md_escape(text) -> str:
    """Text from the data made inert for MyST Markdown: HTML escaped, Markdown punctuation backslashed."""
    escaped = html.escape(str(text), quote=False)
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|~^$:<>])", r"\\\1", escaped)


def status_text(estado: str, incierto: bool = False) -> str:
    """'✔ satisfactorio' (plus '(incierto)' when the interval straddles a threshold)."""
    style = STATUS_STYLE.get(estado, STATUS_STYLE[attainment.SIN_DATOS])
    text = f"{style['simbolo']} {estado}"
    return text + " (incierto)" if incierto else text


def plural(n: int, singular: str, plural: str) -> str:
    return f"{n} {singular if n == 1 else plural}"
