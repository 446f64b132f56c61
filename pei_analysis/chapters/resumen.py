"""El capítulo «Resumen ejecutivo»: la lectura de un minuto, en Markdown, con cada cifra de la edición."""

from __future__ import annotations

from pei_analysis.calendar import ORDINALES, cuatrimestre_label
from pei_analysis.chapters.display import STATUS_STYLE, fmt_pp, md_escape, plural, product_name
from pei_analysis.format import fmt_date, fmt_pct
from pei_analysis.model import attainment
from pei_analysis.model.edition import SCORED_STATES, Edition, largest_gaps, status_counts


def executive_summary(edition: Edition) -> str:
    """The one-minute reading, as Markdown: date of the data, pace, semáforo counts, largest gaps."""
    t = edition.table
    counts = status_counts(t).set_index("estado")["productos"]
    n = len(t)
    behind = int((t["brecha_pp"] < 0).sum())
    scored = int(counts[list(SCORED_STATES)].sum())
    flagged = n - scored
    inciertos = int(t.loc[t["estado"].isin(SCORED_STATES), "estado_incierto"].sum())
    gaps = largest_gaps(t, 3)
    ahead = int((t["brecha_pp"] >= 0).sum())
    lines = [
        (f"**Datos al {fmt_date(edition.fecha_corte)}**, {ORDINALES[edition.cuatrimestre]} cuatrimestre "
        f"({cuatrimestre_label(edition.anio, edition.cuatrimestre)}). "
        f"Transcurrido el {fmt_pct(edition.pct_esperado)} del año, el POA {edition.anio} tiene "
        f"{plural(n, 'producto', 'productos')} en {plural(t['programa'].nunique(), 'programa', 'programas')}."),
        "",
        (f"- **Ritmo**: {plural(ahead, 'producto va', 'productos van')} al ritmo esperado o por encima; "
        f"{plural(behind, 'va', 'van')} por debajo. Avance mediano: {fmt_pct(t['pct_avance'].median())}."),
        f"- **Proyección al cierre** ({plural(scored, 'producto calificado', 'productos calificados')}): "
        + ", ".join(
            f"{counts[e]} {STATUS_STYLE[e]['simbolo']} {e}" for e in SCORED_STATES
        )
        + (f"; en {plural(inciertos, 'caso', 'casos')} el intervalo cruza un umbral." if inciertos else "."),
    ]
    if flagged:
        flags = ", ".join(
            f"{counts[e]} «{e}»" for e in attainment.ESTADOS if e not in SCORED_STATES and counts[e]
        )
        lines.append(f"- **No calificados como porcentaje**: {flags}.")
    if len(gaps):
        worst = "; ".join(
            f"producto {int(r['producto'])}, «{md_escape(product_name(r))}» "
            f"({fmt_pct(r['pct_avance'])}, {fmt_pp(r['brecha_pp'])})"
            for r in gaps.to_dict("records")
        )
        lines.append(f"- **Mayores rezagos**: {worst}.")
    return "\n".join(lines)


STATUS_CAPTION = "Productos del POA por estado del semáforo según la proyección al cierre del año."
STATUS_ALT = (
    "Gráfico de barras horizontales con el número de productos del POA en cada estado del semáforo "
    "(sobre-ejecución, satisfactorio, en riesgo, crítico y los no calificados); cada barra lleva su número."
)


def status_figure(edition: Edition):
    """The summary's semáforo chart as a figure block: chart, caption, alt text, the counts it draws, source."""
    from pei_analysis.chapters import figures
    from pei_analysis.chapters.sections import FigureBlock

    counts = status_counts(edition.table)
    return FigureBlock(figures.status_chart(counts), STATUS_CAPTION, STATUS_ALT, "fig-resumen-semaforo",
                       figures.status_data(counts), figures.source_line(edition.anio, edition.cuatrimestre))
