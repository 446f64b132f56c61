"""El capítulo «Proyección al cierre y cumplimiento de metas»: apertura, reglas del semáforo y una
sección por programa.

The sections come from the programs present in the data, each with the heading, chart caption,
alt text, anchors and table a reader saw when they were written by hand. The methodology
chapter shows the same overview and rules, from here.
"""

from __future__ import annotations

import pandas as pd

from pei_analysis.chapters import figures
from pei_analysis.chapters.display import (
    PRODUCT_LINK,
    STATUS_STYLE,
    Column,
    md_escape,
)
from pei_analysis.chapters.ejecucion_poa import sections_by_program
from pei_analysis.chapters.methods import method_description, method_labels
from pei_analysis.chapters.sections import Section
from pei_analysis.format import MISSING_TEXT, fmt_date, fmt_int, fmt_pct
from pei_analysis.model import attainment
from pei_analysis.model.edition import SCORED_STATES, Edition, status_counts

#: Columns of each program's table.
COLUMNS = [
    Column("producto", kind="int", link=PRODUCT_LINK), "descripcion", Column("programado", kind="int"),
    Column("ejecutado_acumulado", kind="int"), Column("proyeccion", kind="int"),
    Column("limite_inferior", kind="int"), Column("limite_superior", kind="int"),
    Column("pct_proyectado", kind="pct"), Column("estado", kind="status"), "nota",
]
FIGURE_CAPTION = (
    "Programa {programa}: producción proyectada al cierre del año como % de lo programado, "
    "con su intervalo de predicción, sobre las franjas del semáforo."
)
FIGURE_ALT = (
    "Gráfico de puntos, uno por producto del programa {programa}, con el porcentaje proyectado "
    "de lo programado escrito junto a cada punto y una línea horizontal para el intervalo; "
    "la forma y el color del punto indican el estado del semáforo y las líneas verticales "
    "marcan los umbrales y el 100 % de la meta. Los productos no calificados se nombran "
    "con su marca."
)



def methods_used(table: pd.DataFrame) -> pd.DataFrame:
    """Which projection methods produced this edition's figures, by the name readers see, how many products
    each, and what the method and its interval rest on (``descripcion``).

    Counted by name, not by the engine's codes: two code combinations can read the same.
    """
    labels = method_labels(table).fillna(MISSING_TEXT)
    counts = labels.value_counts()
    first = table.assign(nombre=labels).drop_duplicates("nombre").set_index("nombre")
    return pd.DataFrame({
        "metodo": counts.index,
        "productos": counts.to_numpy(),
        "descripcion": [method_description(first.loc[name]) for name in counts.index],
    })



def projection_overview(edition: Edition) -> str:
    """The Markdown that opens the projection chapter: what the projection rests on and what it says."""
    t = edition.table
    counts = status_counts(t).set_index("estado")["productos"]
    methods = ", ".join(f"«{md_escape(m)}»" for m in methods_used(t)["metodo"])
    scored = ", ".join(f"{counts[e]} {STATUS_STYLE[e]['simbolo']} {e}" for e in SCORED_STATES)
    return (
        f"La proyección parte de lo ejecutado hasta el **{fmt_date(edition.fecha_corte)}** "
        f"({fmt_pct(edition.pct_esperado)} del año transcurrido). Método: {methods}; el intervalo es de "
        f"predicción al {fmt_pct(edition.level * 100, 0)} (cuando el método puede darlo). "
        f"Resultado: {scored}; {int(counts[[e for e in attainment.ESTADOS if e not in SCORED_STATES]].sum())} "
        "productos no se califican como porcentaje."
    )

def thresholds_table(thresholds: attainment.Thresholds) -> pd.DataFrame:
    """The semáforo's rules in words, from the thresholds actually used (so the book never disagrees with them)."""
    t = thresholds
    rules = [
        (attainment.SOBRE_EJECUCION, (f"proyección mayor que {fmt_pct(t.over_execution, 0)} de lo programado "
         "(alerta de planificación: la meta pudo quedar baja)")),
        (attainment.SATISFACTORIO, f"proyección de {fmt_pct(t.satisfactory, 0)} a {fmt_pct(t.over_execution, 0)}"),
        (attainment.EN_RIESGO, f"proyección de {fmt_pct(t.at_risk, 0)} a menos de {fmt_pct(t.satisfactory, 0)}"),
        (attainment.CRITICO, f"proyección menor que {fmt_pct(t.at_risk, 0)}"),
        (attainment.META_PEQUENA, f"programado menor que {fmt_int(t.small_target)}: no se califica como porcentaje"),
        (attainment.SIN_EJECUCION, "nada ejecutado en lo que va del año: no se califica como porcentaje"),
        (attainment.SIN_DATOS, "falta lo programado, lo ejecutado o la proyección"),
    ]
    return pd.DataFrame(
        [{"estado": e, "simbolo": STATUS_STYLE[e]["simbolo"], "regla": r} for e, r in rules]
    )


def program_sections(edition: Edition) -> list[Section]:
    """One section per program in the data: heading, chart of the projected % with its interval, table
    with a row anchor per product."""
    return sections_by_program(
        edition.table, lambda table, programa: figures.projection_chart(table, programa, edition.thresholds),
        COLUMNS, caption=FIGURE_CAPTION, alt=FIGURE_ALT, figure_name="fig-proyeccion-{programa}",
        row_id="proyeccion-{producto}",
    )
