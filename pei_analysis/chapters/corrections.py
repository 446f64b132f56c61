"""The notice at the top of a corrected edition: what changed since readers saw it, and where that version is.

The numbers are :mod:`pei_analysis.model.corrections`; here they become the words. A reader who cited
the edition learns, before any figure, that some are not the ones cited, which ones, why the edition
was rebuilt, and that the version cited is still published as it was.
"""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd

from pei_analysis.calendar import cuatrimestre_label
from pei_analysis.chapters.display import HtmlTable, fmt_pp, plural
from pei_analysis.chapters.resumen import product_names
from pei_analysis.format import fmt_date, fmt_int, join_es
from pei_analysis.model.corrections import Correction
from pei_analysis.tables.poa import PRODUCT_KEY

#: The inputs of an edition (the parts of its fingerprint, :mod:`pei_analysis.publish.archive`) in words.
INPUT_WORDS = {
    "datos": "los datos",
    "codigo": "el código",
    "parametros": "los parámetros",
    "paquetes": "las versiones de los paquetes",
    "candado": "el archivo de versiones (requirements.lock)",
}
#: How many changed products a line names before «y N más».
NAMED = 5
#: How many of the projections that moved most the notice names.
LARGEST = 3


def correction_notice(dataset) -> HtmlTable | None:
    """The notice, as HTML (it links outside the book, to the kept version); None if nothing changed."""
    correction: Correction | None = dataset.correction
    if correction is None or not correction.changed:
        return None
    previous = correction.previous
    built = fmt_date(dt.date.fromisoformat(previous.construida))
    names = _names(dataset.table)  # a product the edition no longer has is named by its key
    items = [
        line
        for line in (
            _figures_line(correction.figures, names),
            _projections_line(correction.projections, names),
            _status_line(correction.status_changes, names),
            _products_line(correction.added, "Se agregó", "Se agregaron", names),
            _products_line(correction.removed, "Se retiró", "Se retiraron", names),
        )
        if line
    ]
    link = f'<a href="../{html.escape(previous.carpeta)}/index.html">la versión del {built}</a>'
    return HtmlTable(
        '<div class="aviso-correccion" role="note">'
        f"<p><strong>Esta edición cambió desde que se publicó.</strong> {html.escape(_why(correction))} "
        f"Respecto de la versión construida el {built}, cambiaron:</p>"
        f"<ul>{''.join(f'<li>{item}</li>' for item in items)}</ul>"
        f"<p>Esa versión sigue publicada tal como era: {link}.</p></div>"
    )


def footer_note(dataset) -> str:
    """What the footer of every page of a corrected edition adds (HTML): a reader who lands on a chapter
    from a link learns that figures changed, and where that is told. Empty if nothing changed."""
    correction: Correction | None = dataset.correction
    if correction is None or not correction.changed:
        return ""
    built = fmt_date(dt.date.fromisoformat(correction.previous.construida))
    text = f"cifras cambiadas desde la versión del {built}"
    return f' · <a class="edicion-corregida" href="resumen.html">{text}</a>'


def _why(correction: Correction) -> str:
    """Why the edition was built again: the inputs that changed, and the reports added or replaced."""
    previous = correction.previous
    words = [INPUT_WORDS.get(code, code) for code in previous.cambios]
    reason = f"Se volvió a construir porque cambiaron {join_es(words)}" if words else "Se volvió a construir"
    reports = []
    if previous.periodos_agregados:
        reports.append(f"se agregaron los reportes de {_periods_text(previous.periodos_agregados)}")
    if previous.periodos_reemplazados:
        one = len(previous.periodos_reemplazados) == 1
        verb = "se reemplazó el reporte" if one else "se reemplazaron los reportes"
        reports.append(f"{verb} de {_periods_text(previous.periodos_reemplazados)}")
    return reason + (f": {'; '.join(reports)}" if reports else "") + "."


def _periods_text(periods) -> str:
    """[(2020, None), (2021, 1), (2021, 2), (2021, 3), (2022, 1), (2022, 2)] → «2020 (total anual), 2021 y
    enero-abril y mayo-agosto de 2022»."""
    by_year: dict[int, list] = {}
    for anio, cuatrimestre in periods:
        by_year.setdefault(anio, []).append(cuatrimestre)
    parts = []
    for anio, cuatrimestres in sorted(by_year.items()):
        if None in cuatrimestres:
            parts.append(f"{anio} (total anual)")
        elif sorted(cuatrimestres) == [1, 2, 3]:
            parts.append(str(anio))
        else:
            months = [cuatrimestre_label(anio, c).rsplit(" de ", 1)[0] for c in sorted(cuatrimestres)]
            parts.append(f"{join_es(months)} de {anio}")
    return join_es(parts)


def _figures_line(figures: pd.DataFrame, names: dict[str, str]) -> str:
    """«Las cifras reportadas de 1 producto: Producto 2 · Raciones servidas, ejecutado de enero-abril de
    2024: de 10 a 12»."""
    if figures.empty:
        return ""
    shown = [
        f"{names.get(r[PRODUCT_KEY], html.escape(r[PRODUCT_KEY]))}, {r['campo']} de "
        f"{cuatrimestre_label(int(r['anio']), int(r['cuatrimestre']))}: de {fmt_int(r['antes'])} a "
        f"{fmt_int(r['ahora'])}"
        for _, r in figures.head(NAMED).iterrows()
    ]
    products = plural(figures[PRODUCT_KEY].nunique(), "producto", "productos")
    return f"Las cifras reportadas de {products}: {_listed(shown, len(figures), 'cifra más', 'cifras más')}."


def _projections_line(projections: pd.DataFrame, names: dict[str, str]) -> str:
    """«La proyección al cierre o su intervalo de 31 productos; las que más se movieron: Producto 7 ·
    Emergencia obstétrica, de 88,443 a 95,120 (+7.5%); …»."""
    if projections.empty:
        return ""
    line = f"La proyección al cierre o su intervalo de {plural(len(projections), 'producto', 'productos')}"
    moved = projections.dropna(subset=["cambio_pct"])
    moved = moved[moved["proyeccion_ahora"].round() != moved["proyeccion_antes"].round()]
    largest = moved.loc[moved["cambio_pct"].abs().sort_values(ascending=False, kind="stable").index]
    shown = [
        f"{names.get(r[PRODUCT_KEY], html.escape(r[PRODUCT_KEY]))}, de {fmt_int(r['proyeccion_antes'])} a "
        f"{fmt_int(r['proyeccion_ahora'])} ({fmt_pp(r['cambio_pct'])}%)"
        for _, r in largest.head(LARGEST).iterrows()
    ]
    if not shown:
        return line + "."
    which = "la que más se movió" if len(shown) == 1 else "las que más se movieron"
    return f"{line}; {which}: {'; '.join(shown)}."


def _status_line(changes: pd.DataFrame, names: dict[str, str]) -> str:
    """«El semáforo de 1 producto: Producto 2 · Raciones servidas, de en riesgo a satisfactorio»."""
    if changes.empty:
        return ""
    shown = [
        f"{names.get(r[PRODUCT_KEY], html.escape(r[PRODUCT_KEY]))}, de {_status(r['estado_antes'])} a "
        f"{_status(r['estado_ahora'])}"
        for _, r in changes.head(NAMED).iterrows()
    ]
    products = plural(len(changes), "producto", "productos")
    return f"El semáforo de {products}: {_listed(shown, len(changes), 'otro', 'otros')}."


def _products_line(keys: tuple[str, ...], one: str, many: str, names: dict[str, str]) -> str:
    """«Se agregaron 2 productos: …» (a product's key where the edition does not name it)."""
    if not keys:
        return ""
    shown = [names.get(key, html.escape(key)) for key in keys[:NAMED]]
    verb = one if len(keys) == 1 else many
    return (
        f"{verb} {plural(len(keys), 'producto', 'productos')}: {_listed(shown, len(keys), 'otro', 'otros')}."
    )


def _listed(shown: list[str], total: int, one_more: str, more: str) -> str:
    """The items *shown* (the first :data:`NAMED` of *total*) joined, and «; y 3 cifras más» for the rest."""
    rest = total - len(shown)
    return "; ".join(shown) + (f"; y {plural(rest, one_more, more)}" if rest else "")


def _status(estado) -> str:
    """A semáforo state in words; «sin calificar» where the published version had none."""
    return html.escape(estado) if isinstance(estado, str) and estado else "sin calificar"


def _names(table: pd.DataFrame) -> dict[str, str]:
    """Each product as the summary's cards name it («Producto 6 · Hospitalización obstétrica»), in HTML,
    by catalogue key."""
    shown = product_names(table)
    return {
        key: f"Producto {int(number)} · {html.escape(name)}"
        for key, number, name in zip(table[PRODUCT_KEY], table["producto"], shown, strict=True)
    }
