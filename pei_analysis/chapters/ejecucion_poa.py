"""El capítulo «Ejecución del POA por programa»: la frase de apertura y una sección por programa.

The sections come from the programs present in the data (no hand-copied section per program),
each with the same heading, chart caption, alt text, anchors and table a reader saw before.
"""

from __future__ import annotations

import pandas as pd

from pei_analysis.calendar import MESES, ORDINALES, months_span
from pei_analysis.chapters import figures
from pei_analysis.chapters.display import (
    PRODUCT_LINK,
    Column,
    HtmlTable,
    html_table,
    md_escape,
    plural,
    unit_text,
)
from pei_analysis.chapters.product_names import short_description, short_texts
from pei_analysis.chapters.sections import FigureBlock, Section
from pei_analysis.errors import DataError
from pei_analysis.format import MISSING_TEXT, PCT_DECIMALS, fmt_date, fmt_int, fmt_pct, join_es
from pei_analysis.model import history
from pei_analysis.model.edition import Edition
from pei_analysis.model.year_change import ChangeSummary
from pei_analysis.tables.poa import PRODUCT_KEY

#: The catalogue's field with each product's unit of measure, written under its name in the tables.
UNIT = "unidad_medida"
#: Columns of each program's table: the product, then its progress (visible at 1280 px without
#: scrolling), then the figures behind it and the subprogram.
COLUMNS = [
    Column("producto", kind="int"),
    Column("descripcion", unit=UNIT),
    Column("pct_avance", kind="pct"),
    Column("brecha_pp", kind="pp"),
    Column("programado", kind="int"),
    Column("ejecutado_acumulado", kind="int"),
    Column("subprograma", "Subpro\u00adgrama"),  # may break at the soft hyphen: its codes are two digits
]
FIGURE_CAPTION = (
    "Programa {programa}: avance acumulado de cada producto (% de lo programado) "
    "frente a la parte del año transcurrida (línea discontinua)."
)
FIGURE_ALT = (
    "Gráfico de barras horizontales, una por producto del programa {programa}, con su "
    "porcentaje de avance escrito al final de cada barra y una línea vertical discontinua "
    "en el porcentaje del año transcurrido; las barras por debajo de ese ritmo van "
    "en morado rayado y las demás en gris oscuro."
)


def execution_overview(edition: Edition) -> str:
    """The Markdown sentence that opens the execution chapter: cut-off date, expected share, pace."""
    t = edition.table
    behind = int((t["brecha_pp"] < 0).sum())
    ahead = int((t["brecha_pp"] >= 0).sum())
    return (
        f"Datos al **{fmt_date(edition.fecha_corte)}**. Al cierre del {ORDINALES[edition.cuatrimestre]} "
        f"cuatrimestre ha transcurrido el **{fmt_pct(edition.pct_esperado)}** del año "
        f"({edition.cuatrimestre * 4} de 12 meses): un producto que avanza a ritmo parejo habría ejecutado "
        f"esa parte de lo programado. De {plural(len(t), 'producto', 'productos')}, "
        f"**{plural(ahead, 'va', 'van')} al ritmo o por encima** y **{behind} por debajo**."
    )


def program_caption(table: pd.DataFrame, programa: str) -> str:
    """'Programa 12, PRESTACIONES PECUNIARIAS: 11 productos.' for a table's caption, with the report's unit
    (SICOIN's «producción» or «pagos») only when the catalogue gives none to write under each name."""
    rows = table[table["programa"].astype(str) == str(programa)]
    if rows.empty:
        raise DataError(f"no hay productos del programa {programa}", field="programa")
    count = plural(len(rows), "producto", "productos")
    head = f"Programa {programa}, {rows['programa_nombre'].iloc[0]}: {count}"
    if UNIT in rows and rows[UNIT].map(unit_text).ne("").any():
        return f"{head}."
    return f"{head}; unidad: {', '.join(sorted(set(rows['unidad'].astype(str))))}."


def program_codes(table: pd.DataFrame) -> list[str]:
    """The programs in the data, in the order their sections appear."""
    return sorted(table["programa"].astype(str).unique())


def sections_by_program(
    table: pd.DataFrame,
    chart,
    columns: list,
    *,
    caption: str,
    alt: str,
    figure_name: str,
    row_id: str,
    extra=None,
    data=None,
    stacked: bool = False,
) -> list[Section]:
    """One section per program in the data, as both per-program chapters show them: a heading, a figure
    (``chart(table, programa)``, with its caption, alt text and name, formatted with the program's code,
    the numbers it draws, ``data(table, programa)``, and the source line),
    the blocks ``extra(programa)`` adds (none by default) and the program's table with an anchor per
    product row (one card per product on a phone when ``stacked``)."""
    return [
        Section(
            f"## Programa {programa}",
            [
                FigureBlock(
                    chart(table, programa),
                    caption.format(programa=programa),
                    alt.format(programa=programa),
                    figure_name.format(programa=programa),
                    data(table, programa) if data else None,
                    figures.source_line(int(table["anio"].iloc[0]), int(table["cuatrimestre"].iloc[0])),
                ),
                *(extra(programa) if extra else []),
                html_table(
                    table[table["programa"].astype(str) == programa],
                    columns,
                    caption=program_caption(table, programa),
                    row_id=row_id,
                    interactive=True,
                    stacked=stacked,
                ),
            ],
        )
        for programa in program_codes(table)
    ]


def program_sections(edition: Edition) -> list[Section]:
    """One section per program in the data: heading, chart of % de avance, table with a row anchor per
    product."""
    return sections_by_program(
        edition.table,
        figures.avance_chart,
        COLUMNS,
        caption=FIGURE_CAPTION,
        alt=FIGURE_ALT,
        figure_name="fig-avance-{programa}",
        row_id="producto-{producto}",
        data=figures.avance_data,
        # a card per product on a phone: at 375 px each row ran the height of a screen (the whole SICOIN
        # description in a narrow column) and lo programado and lo ejecutado were off screen
        stacked=True,
    )


#: What the comparison with earlier years says when the data hold none.
NO_PAST_YEARS = (
    "Los datos no tienen años anteriores: la comparación de cada producto con el mismo cuatrimestre de "
    "otros años aparecerá cuando se importen sus reportes."
)
#: Earlier years shown in the comparison table (the most recent ones; the download has them all).
SHOWN_YEARS = 3
#: Why an earlier year has no figure for a product (``model.history`` codes), as the table writes it.
NOT_COMPARABLE = {
    history.SIN_PRODUCTO: f"{MISSING_TEXT} (el producto no existía)",
    history.SIN_CUATRIMESTRE: f"{MISSING_TEXT} (falta el cuatrimestre)",
    history.SOLO_ANUAL: f"{MISSING_TEXT} (solo el total anual)",
}
YEAR_TYPES = {
    history.COMPLETO: "completo",
    history.INCOMPLETO: "incompleto",
    history.ANUAL: "solo el total anual",
}


def past_years_text(past: history.History, anio: int, cuatrimestre: int) -> str:
    """The paragraphs that open the comparison: the change from last year in one line (what a director
    reads), then which earlier years the data hold and what each has."""
    if not past.has_past:
        return NO_PAST_YEARS
    years = _years_text(past, cuatrimestre)
    headline = change_text(past, anio, cuatrimestre)
    return f"{headline}\n\n{years}" if headline else years


def change_text(past: history.History, anio: int, cuatrimestre: int) -> str:
    """«De enero a abril de 2024, frente a los mismos meses de 2023: 29 de 36 productos registraron más, 2
    menos y 5 lo mismo (cambio mediano: +2.9%). Los que más cayeron: los productos 25 (…, -1.1%) y …»;
    empty when no earlier year has those months."""
    summary = past.change
    if summary is None:
        return ""
    text = change_counts_text(summary, anio, cuatrimestre)
    if len(summary.caidas):
        names = short_texts(summary.caidas, "descripcion", 50)
        falls = [
            f"{int(r.producto)} ({md_escape(name)}, {r.cambio_acumulado_pct:+,.{PCT_DECIMALS}f}%)"
            for r, name in zip(summary.caidas.itertuples(), names, strict=True)
        ]
        what = "Cayó más el producto" if len(falls) == 1 else "Los que más cayeron: los productos"
        text += f" {what} {join_es(falls)}."
    return text


def change_counts_text(summary: ChangeSummary, anio: int, cuatrimestre: int, bold: bool = True) -> str:
    """The first sentence of :func:`change_text` (the summary chapter's main points use it too, unbolded)."""
    others = [f"{summary.bajan} menos"] + ([f"{summary.iguales} lo mismo"] if summary.iguales else [])
    if summary.en_cero:
        others.append(f"{summary.en_cero} sin nada ejecutado en ninguno de los dos años")
    median = summary.cambio_pct_mediano
    mark = "**" if bold else ""
    return (
        f"De enero a {MESES[cuatrimestre * 4 - 1]} de {anio}, frente a los mismos meses de "
        f"{summary.anio_anterior}: {mark}{summary.suben} de {summary.comparados} productos registraron "
        f"más{mark}, {join_es(others)}"
        + (f" (cambio mediano: {median:+,.{PCT_DECIMALS}f}%)." if pd.notna(median) else ".")
    )


def year_labels(years: pd.DataFrame) -> list[str]:
    """Each earlier year of :func:`pei_analysis.model.history.past_years` as the book and ``validar`` write
    it: «2021 (completo)», «2022 (incompleto: solo los cuatrimestres 1, 2)», «2020 (solo el total anual)»."""
    labels = []
    for year in years.itertuples():
        detail = YEAR_TYPES[year.tipo]
        if year.tipo == history.INCOMPLETO:
            detail += (
                f": solo {'el cuatrimestre' if ',' not in year.cuatrimestres else 'los cuatrimestres'} "
                f"{year.cuatrimestres}"
            )
        labels.append(f"{year.anio} ({detail})")
    return labels


def _years_text(past: history.History, cuatrimestre: int) -> str:
    """Which earlier years the data hold and what each has, and the products no longer in the catalogue."""
    years = year_labels(past.years)
    since = "" if cuatrimestre == 1 else f" y con lo acumulado de enero a {MESES[cuatrimestre * 4 - 1]}"
    text = (
        f"Años anteriores en los datos: {', '.join(years)}. Cada producto se compara con el "
        f"{ORDINALES[cuatrimestre]} cuatrimestre de cada año anterior{since}; el cambio se da en unidades y "
        f"en % de la cifra del año anterior."
    )
    if len(past.retired):
        gone = "; ".join(
            f"{int(r.producto)}, «{md_escape(short_description(r.descripcion, 60))}» (hasta {r.ultimo_anio})"
            for r in past.retired.itertuples()
        )
        text += (
            f" {plural(len(past.retired), 'producto', 'productos')} de años anteriores ya no "
            f"{'está' if len(past.retired) == 1 else 'están'} en el catálogo: {gone}."
        )
    return text


def _change_text(change: float, pct: float) -> str:
    """'+36 (+9.92%)'; the % is left out when the earlier figure was 0."""
    units = f"{change:+,.0f}"
    return f"{units} ({pct:+,.{PCT_DECIMALS}f}%)" if pd.notna(pct) else units


def comparison_frame(
    past: history.History, anio: int, cuatrimestre: int, cumulative: bool = False
) -> pd.DataFrame:
    """One row per product, the earlier years side by side (most recent first): each year's figure, or why
    there is none, and the change to this year, as text ready for the page."""
    now, before, change = (
        ("acumulado", "acumulado_anterior", "cambio_acumulado")
        if cumulative
        else ("ejecutado", "ejecutado_anterior", "cambio")
    )
    rows = past.comparison
    first = rows.drop_duplicates(PRODUCT_KEY)
    frame = first[
        [
            c
            for c in dict.fromkeys(
                (PRODUCT_KEY, "producto", "programa", "descripcion", "nombre_corto", "sigla", UNIT)
            )
            if c in first.columns
        ]
    ]
    frame = frame.assign(actual=first[now].to_numpy()).reset_index(drop=True)
    years = sorted(rows["anio_anterior"].unique(), reverse=True)[:SHOWN_YEARS]
    for year in years:
        of_year = rows[rows["anio_anterior"] == year].set_index(PRODUCT_KEY).reindex(frame[PRODUCT_KEY])
        figure, delta = [], []
        for r in of_year.itertuples():
            if pd.isna(getattr(r, before)):
                figure.append(NOT_COMPARABLE.get(r.dato, MISSING_TEXT))
                delta.append("")
            else:
                figure.append(fmt_int(getattr(r, before)))
                delta.append(_change_text(getattr(r, change), getattr(r, f"{change}_pct")))
        frame[f"y{year}"] = figure
        frame[f"c{year}"] = delta
    return frame


def comparison_table(
    past: history.History, anio: int, cuatrimestre: int, cumulative: bool = False
) -> HtmlTable:
    """The comparison as an HTML table (filterable); nothing without earlier years (the opening says so)."""
    if not past.has_past:
        return HtmlTable("")
    frame = comparison_frame(past, anio, cuatrimestre, cumulative)
    types = past.years.set_index("anio")["tipo"]
    period = months_span(cuatrimestre, cumulative)
    columns = [
        Column("producto", kind="int", link=PRODUCT_LINK),
        Column("descripcion", kind="short", unit=UNIT),
        Column("actual", f"{period} {anio}", kind="int"),
    ]
    for name in frame.columns:
        if name.startswith("y"):
            year = int(name[1:])
            mark = {history.INCOMPLETO: " (año incompleto)", history.ANUAL: " (solo total anual)"}.get(
                types.get(year), ""
            )
            columns += [
                Column(name, f"{period} {year}{mark}", css="num"),
                Column(f"c{year}", f"Cambio {year}→{anio}", css="num"),
            ]
    what = "lo acumulado desde enero" if cumulative else f"el {ORDINALES[cuatrimestre]} cuatrimestre"
    return html_table(
        frame,
        columns,
        caption=f"Cada producto en {what}, frente a los años anteriores",
        interactive=True,
        stacked=True,  # a card per product on a phone: the years and their changes were off screen
    )
