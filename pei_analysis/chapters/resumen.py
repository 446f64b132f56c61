"""El capítulo «Resumen ejecutivo»: la lectura de un minuto, en Markdown, con cada cifra de la edición."""

from __future__ import annotations

import html

import pandas as pd

from pei_analysis.calendar import cuatrimestre_label
from pei_analysis.chapters.display import (
    PRODUCT_LINK,
    PROJECTION_LINK,
    Column,
    HtmlTable,
    html_table,
    md_escape,
    plural,
    unit_text,
)
from pei_analysis.chapters.ejecucion_poa import UNIT, change_counts_text
from pei_analysis.chapters.methods import basis_sentence
from pei_analysis.chapters.product_names import short_texts
from pei_analysis.format import fmt_date, fmt_int, fmt_pct
from pei_analysis.model import board
from pei_analysis.model.edition import SCORED_STATES, Edition, status_counts
from pei_analysis.model.projection import SIN_BASE


def pace_intro(edition: Edition) -> str:
    """What the even pace is and how many products keep it, as Markdown: the opening of «Mayores rezagos».

    This is what the old list under the board said and the board does not (issue #20 removed that
    list: its dates, semáforo counts, unscored products and largest gaps repeated the board, the main
    points and the tables below). The caveat stays next to the counts, so that «21 llevan menos»
    does not read against the semáforo, which judges the projection, not the pace.
    """
    t = edition.table
    behind = int((t["brecha_pp"] < 0).sum())
    ahead = int((t["brecha_pp"] >= 0).sum())
    return (
        f"**Ritmo parejo**: el {fmt_pct(edition.pct_esperado)} de la meta, la parte del año transcurrida "
        f"({cuatrimestre_label(edition.anio, edition.cuatrimestre)}). De los "
        f"{plural(len(t), 'producto', 'productos')} del POA {edition.anio} en "
        f"{plural(t['programa'].nunique(), 'programa', 'programas')}, "
        f"{plural(ahead, 'lleva', 'llevan')} esa parte de su meta o más y {behind} menos; avance mediano: "
        f"{fmt_pct(t['pct_avance'].median())}. Es solo una referencia: muchos servicios producen menos a "
        "comienzo de año, y la proyección al cierre, que decide el semáforo, lo tiene en cuenta. Abajo, los "
        "productos calificados que más se alejan de ese ritmo (la diferencia, en puntos porcentuales, entre "
        "su avance y la parte del año transcurrida)."
    )


#: «Mayores rezagos»: the product, its pace, its projection and semáforo first, then its goal. What is
#: executed so far is one click away (the product's number leads to its row): with it the table no
#: longer fit a 1280 px screen.
GAP_COLUMNS = [
    Column("producto", kind="int", link=PRODUCT_LINK),
    Column("descripcion", kind="short"),
    Column("pct_avance", kind="pct"),
    Column("brecha_pp", kind="pp"),
    Column("pct_proyectado", kind="pct", link=PROJECTION_LINK, scored_only=True),
    Column("estado", kind="status"),
    Column("programado", kind="int"),
]


def gaps_table(dataset) -> HtmlTable:
    """The products furthest behind the even pace, as a table that turns into one card per product on a
    phone (:func:`~.display.html_table` ``stacked``): at 375 px its % and semáforo were off screen."""
    return html_table(dataset.gaps, GAP_COLUMNS, stacked=True)


#: «Todos los productos»: each product's advance, projected % and semáforo, linked to its rows in the two
#: program chapters.
ALL_PRODUCTS_COLUMNS = [
    Column("producto", kind="int", link=PRODUCT_LINK),
    "programa",
    Column("descripcion", kind="short"),
    Column("pct_avance", kind="pct"),
    Column("pct_proyectado", kind="pct", link=PROJECTION_LINK, scored_only=True),
    Column("estado", kind="status"),
]


def all_products_table(edition: Edition) -> HtmlTable:
    """Every product of the edition, sortable and filterable; one card per product on a phone, where the
    three figures were off screen at 375 px (only the number, program and name were in view)."""
    return html_table(edition.table, ALL_PRODUCTS_COLUMNS, interactive=True, stacked=True)


STATUS_CAPTION = "Productos del POA por estado del semáforo según la proyección al cierre del año."
STATUS_ALT = (
    "Gráfico de barras horizontales con el número de productos del POA en cada estado del semáforo "
    "(sobre-ejecución, satisfactorio, en riesgo, crítico y los no calificados); cada barra lleva su número."
)


def status_figure(edition: Edition):
    """The summary's semáforo chart as a figure block: chart, caption, alt text, the counts it draws,
    source."""
    from pei_analysis.chapters import figures
    from pei_analysis.chapters.sections import FigureBlock

    counts = status_counts(edition.table)
    return FigureBlock(
        figures.status_chart(counts),
        STATUS_CAPTION,
        STATUS_ALT,
        "fig-resumen-semaforo",
        figures.status_data(counts),
        figures.source_line(edition.anio, edition.cuatrimestre),
    )


#: Cards shown open on the board; the rest fold under «ver los otros», so the phone read stays short.
BOARD_OPEN = 8
#: The unit printed when the catalogue leaves a product's unit of measure empty.
NO_UNIT = "unidades"
#: Plain words for a shortfall, by the board's reading code (a production shortfall needs none).
READING_WORDS = {
    board.MENOR_DEMANDA: "A la demanda: quedar por debajo puede deberse a menor demanda de lo previsto, no "
    "a un incumplimiento.",
    board.MENOS_PAGOS: "Pago de prestaciones: quedar por debajo puede deberse a menos pagos de lo previsto, "
    "no a un incumplimiento.",
    board.FALTA_PRODUCCION: "",
    board.SIN_NATURALEZA: "",
}


def product_names(products: pd.DataFrame) -> pd.Series:
    """Each product's name on the board, indexed like *products*: the catalogue's short name when it has
    one, else the description cut so that no two products read the same (:func:`~.display.short_texts`:
    the death-benefit payments share their first twelve words)."""
    cut = short_texts(products, "descripcion", 60)
    if "nombre_corto" not in products.columns:
        return cut
    own = products["nombre_corto"].fillna("").astype(str).str.strip()
    return own.where(own != "", cut)


def with_names(dataset) -> pd.DataFrame:
    """The board's off-track products with their ``nombre`` (named among all the edition's products)."""
    names = product_names(dataset.board.products).set_axis(dataset.board.products["producto"])
    off = dataset.board.off_track
    return off.assign(nombre=off["producto"].map(names))


def unit_of(row) -> str:
    """The product's unit of measure from the catalogue, or «unidades» when the catalogue leaves it empty."""
    return unit_text(row.get(UNIT)) or NO_UNIT


def pace_text(times) -> str:
    """«necesita 1.6 veces su ritmo actual», in words that stay true when the needed pace is not higher."""
    if pd.isna(times):
        return "sin ritmo que comparar (nada ejecutado aún o año completo)"
    if times <= 1:
        return (
            f"le bastaría su ritmo actual ({times:.1f} veces); la proyección queda corta porque en un año "
            "típico el resto del año rinde menos"
        )
    return f"necesita {times:.1f} veces su ritmo actual"


def _versus(pct) -> str:
    """«10.7% mayor», «2.1% menor» or «igual»: a change from last year's total, in words."""
    if abs(pct) < 0.05:
        return "igual"
    return f"{fmt_pct(abs(pct), 1)} {'mayor' if pct > 0 else 'menor'}"


def last_year_text(row, unit: str) -> str:
    """«En 2023 registró 4,250 pagos en todo el año: la meta es 10.7% mayor y la proyección, 2.1% menor.»

    Tells a goal set above anything the product did (the projection above last year) from a product
    falling below last year; empty when the data hold no earlier whole year of the product."""
    total = row.get("total_anterior")
    if total is None or pd.isna(total) or pd.isna(row.get("meta_vs_anterior_pct")):
        return ""
    text = (
        f"En {int(row['anio_anterior'])} registró {fmt_int(total)} {unit} en todo el año: la meta es "
        f"{_versus(row['meta_vs_anterior_pct'])}"
    )
    projection = row.get("proyeccion_vs_anterior_pct")
    if projection is not None and not pd.isna(projection):
        text += f" y la proyección, {_versus(projection)}"
    return text + "."


def board_card(row) -> str:
    """One off-track product as an HTML card (all text escaped): shortfall, pace, range, how to read it."""
    unit = unit_of(row)
    name = html.escape(row["nombre"])
    link = html.escape(PRODUCT_LINK.format(**row))
    lines = [
        f'<p class="tarjeta-titulo"><a href="{link}">Producto {int(row["producto"])}</a> · {name}</p>',
        (
            f"<p>Le faltarían cerca de <strong>{fmt_int(row['faltante'])} {html.escape(unit)}</strong> "
            f"({fmt_pct(row['faltante_pct'], 1)} de la meta de {fmt_int(row['programado'])}).</p>"
        ),
        f"<p>Para cumplirla, {html.escape(pace_text(row['veces_ritmo']))}.</p>",
        (
            f"<p>Cerraría entre {fmt_int(row['limite_inferior'])} y {fmt_int(row['limite_superior'])} "
            f"{html.escape(unit)} (proyección: {fmt_int(row['proyeccion'])}).</p>"
        ),
    ]
    last = last_year_text(row, unit)
    if last:
        lines.append(f"<p>{html.escape(last)}</p>")
    if unit == NO_UNIT:
        lines.append('<p class="tarjeta-nota">El catálogo no da su unidad de medida.</p>')
    words = READING_WORDS.get(row["lectura"], "")
    if words:
        lines.append(f'<p class="tarjeta-nota">{html.escape(words)}</p>')
    return f'<li class="tarjeta">{"".join(lines)}</li>'


def decision_board(dataset) -> HtmlTable:
    """The board at the top of the summary: one stacked card per off-track product, largest shortfall first.

    Cards, not a table, so that a 375 px phone reads it without scrolling sideways (issue #20). The
    first :data:`BOARD_OPEN` are open; the rest fold under a ``<details>`` the reader can unfold.
    """
    rows = with_names(dataset).to_dict("records")
    if not rows:
        return HtmlTable(
            '<p class="tablero-vacio">Ningún producto calificado se proyecta por debajo de su meta.</p>'
        )
    cards = [board_card(r) for r in rows]
    out = ['<div class="tablero">', '<ol class="tarjetas">', *cards[:BOARD_OPEN], "</ol>"]
    if len(cards) > BOARD_OPEN:
        rest = len(cards) - BOARD_OPEN
        out += [
            '<details class="tablero-mas"><summary>Ver '
            f"{plural(rest, 'producto más', 'productos más')}</summary>",
            f'<ol class="tarjetas" start="{BOARD_OPEN + 1}">',
            *cards[BOARD_OPEN:],
            "</ol></details>",
        ]
    out.append("</div>")
    return HtmlTable("\n".join(out))


def board_intro(dataset) -> str:
    """The line above the cards: how many products would close short, and in what order they come."""
    scored = int(dataset.table["estado"].isin(SCORED_STATES).sum())
    off = len(dataset.board.off_track)
    against = last_year_sentence(dataset.board.off_track)
    return (
        f"**{off} de los {scored} productos calificados** cerrarían el año por debajo del "
        f"{fmt_pct(dataset.thresholds.satisfactory, 0)} de su meta. Van primero los que más se alejan de "
        "ella en porcentaje de la meta, no en unidades: las de productos distintos (pagos, consultas) no se "
        "comparan." + (f" {against}" if against else "")
    )


def last_year_sentence(off: pd.DataFrame) -> str:
    """How many of the products short of their goal would still close with as much as in their last whole
    year (their goal grew more than their output) and how many with less; empty without earlier years."""
    if "proyeccion_vs_anterior_pct" not in off.columns:
        return ""
    known = off[off["proyeccion_vs_anterior_pct"].notna()]
    if known.empty:
        return ""
    years = known["anio_anterior"].dropna().unique()
    when = f"en {int(years[0])}" if len(years) == 1 else "en su último año completo"
    above = int((known["proyeccion_vs_anterior_pct"] >= 0).sum())
    below = len(known) - above
    if len(known) == 1:
        who = "Ese producto" if len(off) == 1 else "El único con un año completo anterior"
        if above:
            return f"{who} cerraría con tanto o más que {when}: su meta creció más que su producción."
        return f"{who} cerraría con menos que {when}."
    lead = (
        f"De los {len(off)}"
        if len(known) == len(off)
        else f"De los {len(known)} con un año completo anterior"
    )
    grew = "su meta creció" if above == 1 else "sus metas crecieron"
    if not below:
        return f"{lead}, todos cerrarían con tanto o más que {when}: {grew} más que su producción."
    if not above:
        return f"{lead}, todos cerrarían con menos que {when}."
    return (
        f"{lead}, {above} {'cerraría' if above == 1 else 'cerrarían'} con tanto o más que {when} ({grew} más "
        f"que su producción) y {below} con menos."
    )


def main_points(dataset) -> str:
    """Three to six sentences, as a statistics office writes a release: the fact and its number first (the
    sixth, the change from the same months of last year, only when the data hold earlier years)."""
    t = dataset.table
    off = with_names(dataset)
    scored = int(t["estado"].isin(SCORED_STATES).sum())
    sentences = [
        (
            f"Al {fmt_date(dataset.fecha_corte)}, con el {fmt_pct(dataset.pct_esperado, 1)} del año "
            f"transcurrido, {len(off)} de los {scored} productos calificados del POA {dataset.anio} se "
            f"proyectan por debajo del {fmt_pct(dataset.thresholds.satisfactory, 0)} de su meta anual."
        )
    ]
    if len(off):
        top = off.iloc[0]
        sentences.append(
            f"El mayor faltante como parte de la meta es el del producto {int(top['producto'])} "
            f"({md_escape(top['nombre'])}): {fmt_int(top['faltante'])} {md_escape(unit_of(top))}, el "
            f"{fmt_pct(top['faltante_pct'], 1)} de su meta."
        )
        sentences.append(_nature_sentence(off))
        sentences.append(_pace_sentence(off))
    change = dataset.history.change
    if change is not None:  # with earlier years: the same months of last year, the execution chapter's line
        sentences.append(change_counts_text(change, dataset.anio, dataset.cuatrimestre, bold=False))
    sentences.append(unscored_sentence(dataset.flagged))
    return "\n".join(f"- {s}" for s in sentences if s)


def unscored_sentence(flagged: pd.DataFrame) -> str:
    """The products not scored as a percentage and, among them, those not projected either.

    A product with nothing executed and no earlier year gets no projection; it is always among the
    unscored (its target is tiny or nothing is executed), so the summary says both in one sentence
    instead of naming the same products twice (:func:`honesty_sentence` leaves them out).
    """
    n = len(flagged)
    if not n:
        return ""
    unprojected = int((flagged["metodo"] == SIN_BASE).sum())  # the set honesty_sentence leaves out
    lead = plural(n, "producto no se califica", "productos no se califican") + " como porcentaje"
    why = "metas muy pequeñas o sin ejecución registrada en el año"
    if unprojected == n:
        neither = "tampoco se proyecta: no tiene" if n == 1 else "tampoco se proyectan: no tienen"
        return f"{lead} ({why}) y {neither} nada ejecutado ni años anteriores."
    if not unprojected:
        return f"{lead}: {why}."
    some = "uno de ellos" if unprojected == 1 else f"{unprojected} de ellos"
    verb = "tampoco se proyecta" if unprojected == 1 else "tampoco se proyectan"
    return f"{lead}: {why}; {some} {verb}: nada ejecutado y sin años anteriores."


def _nature_sentence(off: pd.DataFrame) -> str:
    """How many of the off-track products depend on demand or are payments, where short may not mean
    failure."""
    counts = off["lectura"].value_counts()
    demand, payments = int(counts.get(board.MENOR_DEMANDA, 0)), int(counts.get(board.MENOS_PAGOS, 0))
    if not demand and not payments:
        return f"Los {len(off)} son de producción programada o sin naturaleza registrada en el catálogo."
    parts = [
        p
        for p in (
            plural(demand, "se atiende a la demanda", "se atienden a la demanda") if demand else "",
            plural(payments, "es pago de prestaciones", "son pagos de prestaciones") if payments else "",
        )
        if p
    ]
    lead = "Ninguno es de producción programada: " if demand + payments == len(off) else "De ellos, "
    causes = [c for c, n in (("menor demanda", demand), ("menos pagos", payments)) if n]
    return (
        f"{lead}{' y '.join(parts)}; en ellos, quedar por debajo puede deberse a {' o a '.join(causes)} "
        "de lo previsto, no a un incumplimiento."
    )


def _pace_sentence(off: pd.DataFrame) -> str:
    """How much faster than so far the off-track products would have to go (median and how many need 1.5×),
    counted «5 de los 8» so the number is not read as one of the counts just before."""
    times = off["veces_ritmo"].dropna()
    if times.empty:
        return ""
    if len(times) == 1:
        return (
            f"Para cumplir su meta necesitaría {times.iloc[0]:.1f} veces su ritmo actual en el resto del año."
        )
    # counted on the figure the cards print (one decimal), so that 1.47, shown «1.5», is among them
    n, faster = len(times), int((times.round(1) >= 1.5).sum())
    if faster == 0:
        how_many = "ninguno necesita"
    elif faster == n:
        how_many = f"los {n} necesitan"
    else:
        how_many = f"{faster} de los {n} {'necesita' if faster == 1 else 'necesitan'}"
    return (
        f"Para cumplir su meta, la mitad de ellos necesitaría al menos {times.median():.1f} veces su ritmo "
        f"actual en el resto del año; {how_many} 1.5 veces o más."
    )


def honesty_sentence(dataset) -> str:
    """What the projections rest on and how uncertain, in one sentence (:func:`~.methods.basis_sentence`);
    the products not projected are named with the unscored ones (:func:`unscored_sentence`)."""
    return basis_sentence(dataset.board.bases, dataset.level, name_unprojected=False)


def next_edition(dataset) -> str:
    """«La próxima edición tendrá datos al 31 de agosto de 2024.» No source gives a publication day."""
    return f"La próxima edición tendrá datos al {fmt_date(dataset.board.next_cutoff)}."


def summary_points(dataset) -> str:
    """The main points, the honesty sentence and the next edition, as the Markdown under the board."""
    parts = (main_points(dataset), honesty_sentence(dataset), next_edition(dataset))
    return "\n\n".join(part for part in parts if part)
