"""El capítulo «Ejecución del POA por programa»: la frase de apertura y una sección por programa.

The sections come from the programs present in the data (no hand-copied section per program),
each with the same heading, chart caption, alt text, anchors and table a reader saw before.
"""

from __future__ import annotations

import pandas as pd

from pei_analysis.calendar import ORDINALES
from pei_analysis.chapters import figures
from pei_analysis.chapters.display import Column, html_table, plural
from pei_analysis.chapters.sections import FigureBlock, Section
from pei_analysis.errors import DataError
from pei_analysis.format import fmt_date, fmt_pct
from pei_analysis.model.edition import Edition

#: Columns of each program's table.
COLUMNS = [
    Column("producto", kind="int"), "subprograma", "descripcion",
    Column("programado", kind="int"), Column("ejecutado_acumulado", kind="int"),
    Column("pct_avance", kind="pct"), Column("brecha_pp", kind="pp"),
]
FIGURE_CAPTION = (
    "Programa {programa}: avance acumulado de cada producto (% de lo programado) "
    "frente a la parte del año transcurrida (línea discontinua)."
)
FIGURE_ALT = (
    "Gráfico de barras horizontales, una por producto del programa {programa}, con su "
    "porcentaje de avance escrito al final de cada barra y una línea vertical discontinua "
    "en el porcentaje del año transcurrido; las barras por debajo de ese ritmo van "
    "en naranja rayado y las demás en azul."
)


def execution_overview(edition: Edition) -> str:
    """The Markdown sentence that opens the execution chapter: cut-off date, expected share, pace."""
    t = edition.table
    behind = int((t["brecha_pp"] < 0).sum())
    ahead = int((t["brecha_pp"] >= 0).sum())
    return (
        f"Datos al **{fmt_date(edition.fecha_corte)}**. Al cierre del {ORDINALES[edition.cuatrimestre]} "
        f"cuatrimestre ha transcurrido el **{fmt_pct(edition.pct_esperado)}** del año "
        f"({edition.cuatrimestre * 4} de 12 meses): un producto que avanza a ritmo parejo habría ejecutado esa "
        f"parte de lo programado. De {plural(len(t), 'producto', 'productos')}, "
        f"**{plural(ahead, 'va', 'van')} al ritmo o por encima** y **{behind} por debajo**."
    )


def program_caption(table: pd.DataFrame, programa: str) -> str:
    """'Programa 12, PRESTACIONES PECUNIARIAS: 11 productos; unidad: pagos.' for a table's caption."""
    rows = table[table["programa"].astype(str) == str(programa)]
    if rows.empty:
        raise DataError(f"no hay productos del programa {programa}", field="programa")
    unidades = ", ".join(sorted(set(rows["unidad"].astype(str))))
    return (
        f"Programa {programa}, {rows['programa_nombre'].iloc[0]}: "
        f"{plural(len(rows), 'producto', 'productos')}; unidad: {unidades}."
    )


def program_codes(table: pd.DataFrame) -> list[str]:
    """The programs in the data, in the order their sections appear."""
    return sorted(table["programa"].astype(str).unique())


def sections_by_program(
    table: pd.DataFrame, chart, columns: list, *, caption: str, alt: str, figure_name: str, row_id: str
) -> list[Section]:
    """One section per program in the data, as both per-program chapters show them: a heading, a figure
    (``chart(table, programa)``, with its caption, alt text and name, formatted with the program's code)
    and the program's table with an anchor per product row."""
    return [
        Section(
            f"## Programa {programa}",
            [
                FigureBlock(
                    chart(table, programa),
                    caption.format(programa=programa),
                    alt.format(programa=programa),
                    figure_name.format(programa=programa),
                ),
                html_table(
                    table[table["programa"].astype(str) == programa],
                    columns,
                    caption=program_caption(table, programa),
                    row_id=row_id,
                    interactive=True,
                ),
            ],
        )
        for programa in program_codes(table)
    ]


def program_sections(edition: Edition) -> list[Section]:
    """One section per program in the data: heading, chart of % de avance, table with a row anchor per product."""
    return sections_by_program(
        edition.table, figures.avance_chart, COLUMNS, caption=FIGURE_CAPTION, alt=FIGURE_ALT,
        figure_name="fig-avance-{programa}", row_id="producto-{producto}",
    )
